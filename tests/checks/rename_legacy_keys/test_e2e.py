"""rename-legacy-keys through the real pre-commit, in a temporary git repo."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import PreCommit, git, write_files

MAPPING = """\
renamed:
  cache.timeout: cache.ttl              # YAML
  database.host: db.host                # a move to another parent
  SESSION_COOKIE_AGE_SECONDS: SESSION_COOKIE_AGE
  ["app:main", "sqlalchemy.pool_recycle"]: ["app:main", "sqlalchemy.recycle"]
  CELERY_WORKERS: CELERY_CONCURRENCY
"""

FILES = {
    ".legacy-keys.yaml": MAPPING,
    "config/production.yaml": (
        "# production\ncache:\n  backend: redis\n  timeout: 300  # seconds\n"
        "database:\n  host: db-1.internal\n  port: 5432\n"
    ),
    "settings/base.py": "DEBUG = False\nSESSION_COOKIE_AGE_SECONDS = 1209600  # two weeks\n",
    "production.ini": "[app:main]\nuse = egg:billing\n; an hour\nsqlalchemy.pool_recycle = 3600\n",
    ".env.production": "export CELERY_WORKERS=\"4\"\r\nDEBUG=0\r\n",
    "billing/tasks.py": "from django.conf import settings\nAGE = settings.SESSION_COOKIE_AGE\n",
}


def changed_lines(repo: Path) -> list:
    diff = git(repo, "diff", "-U0", "--no-color").stdout.splitlines()
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_fix_in_args_fails_modifies_then_passes(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "svc", FILES)
    config = precommit.config([{"id": "rename-legacy-keys", "args": ["--fix"]}])
    write_files(repo, {".pre-commit-config.yaml": config})
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-q", "-m", "hooks", "--no-verify")

    result = precommit.run(repo, "run", "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    # In git's file order; the YAML move adds the new parent at the end of the file.
    assert changed_lines(repo) == [
        '-export CELERY_WORKERS="4"',
        '+export CELERY_CONCURRENCY="4"',
        "-  timeout: 300  # seconds",
        "+  ttl: 300  # seconds",
        "-  host: db-1.internal",
        "+db:",
        "+  host: db-1.internal",
        "-sqlalchemy.pool_recycle = 3600",
        "+sqlalchemy.recycle = 3600",
        "-SESSION_COOKIE_AGE_SECONDS = 1209600  # two weeks",
        "+SESSION_COOKIE_AGE = 1209600  # two weeks",
    ]
    assert (repo / ".env.production").read_bytes() == b'export CELERY_CONCURRENCY="4"\r\nDEBUG=0\r\n'
    assert (repo / "config/production.yaml").read_text() == (
        "# production\ncache:\n  backend: redis\n  ttl: 300  # seconds\n"
        "database:\n  port: 5432\ndb:\n  host: db-1.internal\n"
    )
    assert (repo / "billing/tasks.py").read_text() == FILES["billing/tasks.py"]  # code is never rewritten

    result = precommit.run(repo, "run", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr


def test_try_repo_reports_each_use_and_leaves_files_alone(precommit: PreCommit, tmp_path: Path) -> None:
    files = dict(FILES, **{"billing/tasks.py": "from django.conf import settings\nAGE = settings.SESSION_COOKIE_AGE_SECONDS\n"})
    repo = precommit.make_repo(tmp_path / "svc", files)
    result = precommit.try_repo(repo, "rename-legacy-keys", "--all-files")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    for expected in (
        "config/production.yaml:4:3: rename-legacy-keys: cache.timeout is deprecated; rename it to cache.ttl (run with --fix)",
        "config/production.yaml:6:3: rename-legacy-keys: database.host is deprecated; rename it to db.host (run with --fix)",
        "settings/base.py:2:1: rename-legacy-keys: SESSION_COOKIE_AGE_SECONDS is deprecated",
        'production.ini:4:1: rename-legacy-keys: ["app:main", "sqlalchemy.pool_recycle"] is deprecated; '
        'rename it to ["app:main", "sqlalchemy.recycle"] (run with --fix)',
        ".env.production:1:8: rename-legacy-keys: CELERY_WORKERS is deprecated",
        "billing/tasks.py:2:16: rename-legacy-keys: reads SESSION_COOKIE_AGE_SECONDS, a deprecated setting",
    ):
        assert expected in out, out
    assert ".legacy-keys.yaml:" not in out
    assert git(repo, "status", "--porcelain").stdout == ""


def test_no_mapping_notice_is_printed_once_when_pre_commit_splits_the_files(precommit: PreCommit, tmp_path: Path) -> None:
    # issue 21: enough long names that pre-commit starts the hook several times (its
    # command lines hold about 128 kB), each with a part of the names
    folder = "services/" + "billing-" * 10
    files = {f"{folder}{n:04d}/config/production-settings-{n:04d}.yaml": "a: 1\n" for n in range(1400)}
    repo = precommit.make_repo(tmp_path / "svc", files)
    config = precommit.config([{"id": "rename-legacy-keys", "verbose": True}])
    write_files(repo, {".pre-commit-config.yaml": config})
    result = precommit.run(repo, "run", "rename-legacy-keys", "--all-files")
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert out.count("nothing to check: no .legacy-keys.yaml lists deprecated keys") == 1, out
