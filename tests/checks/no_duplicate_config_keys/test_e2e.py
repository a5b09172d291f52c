"""no-duplicate-config-keys through the real pre-commit, in a temporary git repo."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import PreCommit, git, write_files

LEGACY_FILES = {
    "settings/base.py": (
        'import os\n'
        'TIME_ZONE = "UTC"\n'
        'DEBUG = os.environ.get("DEBUG", "False") == "True"\n'
        'if DEBUG:\n'
        '    TIME_ZONE = "Europe/Paris"\n'
        'TIME_ZONE = "Europe/Berlin"\n'
    ),
    "config/app.yaml": "cache:\n  ttl: 60\n  backend: redis\n  ttl: 300\n",
    "setup.cfg": (
        "[metadata]\nname = billing\n\n[options]\ninstall_requires =\n"
        "    requests\n    sqlalchemy>=1.4\n\n[flake8]\nmax-line-length = 100\n"
    ),
    ".env.production": "export DATABASE_URL=postgres://db/app\nWORKERS=4\nWORKERS=8\n",
    "uwsgi.ini": "[uwsgi]\nmodule = app.wsgi\nenv = A=1\nenv = B=2\n",
    "README.md": "a: 1\na: 2\n",
}


def test_try_repo_all_files_reports_each_duplicate_at_its_line(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "svc", LEGACY_FILES)
    result = precommit.try_repo(repo, "no-duplicate-config-keys", "--all-files")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "settings/base.py:6:1: no-duplicate-config-keys: TIME_ZONE is already set on line 2; the value on line 6 wins" in out
    assert "config/app.yaml:4:3: no-duplicate-config-keys: cache.ttl is already set on line 2" in out
    assert ".env.production:3:1: no-duplicate-config-keys: WORKERS is already set on line 2" in out
    # Clean controls: continuation lines, uwsgi multi-values, a conditional override, non-config files.
    for clean in ("setup.cfg:", "uwsgi.ini:", "README.md:", "settings/base.py:5:"):
        assert clean not in out, out
    assert "Traceback" not in out + result.stderr


def test_commit_hook_checks_only_staged_files_and_passes_once_fixed(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "svc", {"old.yaml": "a: 1\na: 2\n"})
    write_files(repo, {".pre-commit-config.yaml": precommit.config([{"id": "no-duplicate-config-keys"}])})
    write_files(repo, {"config/production.yaml": "db:\n  host: a\n  host: b\n"})
    git(repo, "add", "config/production.yaml", ".pre-commit-config.yaml")
    result = precommit.run(repo, "run")  # staged files only: old.yaml is not checked
    assert result.returncode == 1
    assert "config/production.yaml:3:3: no-duplicate-config-keys: db.host is already set on line 2" in result.stdout
    assert "old.yaml" not in result.stdout

    write_files(repo, {"config/production.yaml": "db:\n  host: b\n"})
    git(repo, "add", "config/production.yaml")
    result = precommit.run(repo, "run")
    assert result.returncode == 0, result.stdout
