"""no-inline-secrets through the real pre-commit, in a temporary git repo."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import PreCommit, git, write_files

LEGACY_FILES = {
    "config/production.yaml": (
        "database:\n"
        "  host: db.internal\n"
        "  password: Qm9vbXRvd24tMjAyNA\n"
        "  replica_url: postgresql://app:${DB_PASSWORD}@replica/app\n"
        "  password_min_length: 12\n"
    ),
    ".env.production": 'export DJANGO_SECRET_KEY="asan4)59-5^08vwx5(-cj2c0"\nDB_PASSWORD=${VAULT_DB_PASSWORD}\n',
    "settings/prod.py": (
        "import os\n"
        "SECRET_KEY = os.environ['SECRET_KEY']\n"
        "DATABASES = {'default': {'PASSWORD': 'Vq8nL2xKp4Rz'}}\n"
    ),
    "production.ini": "[app:main]\nsqlalchemy.url = postgresql://billing:Xk8vPq2Lm9@db/billing\n\n[loggers]\nkeys = root, sqlalchemy\n",
    "docker-compose.yml": "services:\n  worker:\n    environment:\n      AWS_ACCESS_KEY_ID: AKIARQHZLMXWVNJTBKDP\n",
    ".env.example": "DJANGO_SECRET_KEY=changeme\nDB_PASSWORD=\n",
    "README.md": "password: Qm9vbXRvd24tMjAyNA\n",
}


def test_try_repo_all_files_reports_every_planted_secret_masked(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "svc", LEGACY_FILES)
    result = precommit.try_repo(repo, "no-inline-secrets", "--all-files")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    expected = [
        "config/production.yaml:3:13: no-inline-secrets: password literal in database.password (value masked: Qm…, 18 chars)",
        ".env.production:1:27: no-inline-secrets: secret key literal in DJANGO_SECRET_KEY",
        'settings/prod.py:3:39: no-inline-secrets: password literal in DATABASES["default"]["PASSWORD"]',
        "production.ini:2:39: no-inline-secrets: password in a postgresql:// URL in sqlalchemy.url in [app:main]",
        "docker-compose.yml:4:26: no-inline-secrets: AWS access key id in services.worker.environment.AWS_ACCESS_KEY_ID",
    ]
    for line in expected:
        assert line in out, out
    assert out.count("no-inline-secrets:") == len(expected), out
    for secret in ("Qm9vbXRvd24tMjAyNA", "Vq8nL2xKp4Rz", "Xk8vPq2Lm9", "AKIARQHZLMXWVNJTBKDP"):
        assert secret not in out + result.stderr
    assert "README.md" not in out and ".env.example" not in out and "Traceback" not in out + result.stderr


def test_commit_blocked_then_baseline_lets_old_secret_pass_and_reports_it_stale(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "svc", {"config/app.yaml": "db:\n  password: Qm9vbXRvd24tMjAyNA\n"})
    write_files(repo, {".pre-commit-config.yaml": precommit.config(
        [{"id": "no-inline-secrets", "args": ["--baseline", ".legacy-config-baseline.json"]}]
    )})
    git(repo, "add", ".pre-commit-config.yaml")
    result = precommit.run(repo, "run", "--all-files")
    assert result.returncode == 1 and "db.password" in result.stdout

    result = precommit.run(repo, "run", "--all-files", env={"LEGACY_CONFIG_HOOKS_WRITE_BASELINE": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    git(repo, "add", ".legacy-config-baseline.json")
    assert precommit.run(repo, "run", "--all-files").returncode == 0  # the baseline file itself is not flagged

    write_files(repo, {"config/app.yaml": "db:\n  password: ${DB_PASSWORD}\n"})
    git(repo, "add", "config/app.yaml")
    result = precommit.run(repo, "run", "--all-files", env={"LEGACY_CONFIG_HOOKS_REPORT_STALE": "1"})
    assert result.returncode == 1
    assert "config/app.yaml:1:1: no-inline-secrets: baseline entry" in result.stdout
