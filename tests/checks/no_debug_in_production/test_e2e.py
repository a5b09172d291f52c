"""no-debug-in-production through the real pre-commit, in temporary git repos."""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT, PreCommit, git, write_files

HOOK = "no-debug-in-production"

# The same debug settings in every environment: only production may be reported.
SERVICE = {
    "settings/base.py": "DEBUG = True\nINSTALLED_APPS = ['django.contrib.admin', 'debug_toolbar']\n",
    "settings/prod.py": "from .base import *\nDEBUG = True\nINSTALLED_APPS = ['django.contrib.admin', 'debug_toolbar']\n",
    "settings/staging.py": "from .base import *\nDEBUG = True\n",
    "settings/dev.py": "from .base import *\nDEBUG = True\n",
    "production.ini": "[app:main]\npyramid.reload_templates = true\npyramid.debug_notfound = false\n"
                      "[logger_root]\nlevel = DEBUG\n",
    "staging.ini": "[app:main]\npyramid.reload_templates = true\n[logger_root]\nlevel = DEBUG\n",
    "development.ini": "[app:main]\npyramid.reload_templates = true\n",
    ".env.production": "FLASK_ENV=development\nFLASK_DEBUG=0\nLOG_LEVEL=${LOG_LEVEL}\n",
    ".env.staging": "FLASK_ENV=development\nFLASK_DEBUG=1\n",
    "deploy/helm/values-production.yaml": "app:\n  debug: \"false\"\n  log_level: info\n",
    "deploy/helm/values-staging.yaml": "app:\n  debug: \"true\"\n  log_level: debug\n",
    "docker-compose.yml": "services:\n  web:\n    environment:\n      - DEBUG=True\n",
}


def test_try_repo_all_files_reports_production_only(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "svc", SERVICE)
    result = precommit.try_repo(repo, HOOK, "--all-files")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    findings = sorted(line for line in out.splitlines() if f": {HOOK}: " in line)
    assert findings == [
        f".env.production:1:1: {HOOK}: FLASK_ENV is development in production config: development mode runs the debugger",
        f"production.ini:2:1: {HOOK}: pyramid.reload_templates in [app:main] is true in production config: "
        "debug mode must be off",
        f"production.ini:5:1: {HOOK}: level in [logger_root] is DEBUG in production config: use INFO or higher",
        f"settings/prod.py:2:1: {HOOK}: DEBUG is True in production config: debug mode must be off",
        f"settings/prod.py:3:43: {HOOK}: INSTALLED_APPS loads the debug toolbar (debug_toolbar) in production config",
    ], out
    assert "Traceback" not in out + result.stderr


def test_commit_blocked_until_debug_is_off(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "svc", {"README.md": "svc\n"})
    write_files(repo, {
        ".pre-commit-config.yaml": precommit.config([{"id": HOOK}]),
        "config/production.yaml": "app:\n  debug: yes\n",
        "config/staging.yaml": "app:\n  debug: yes\n",
    })
    git(repo, "add", ".")
    result = precommit.run(repo, "run")
    assert result.returncode == 1
    assert f"config/production.yaml:2:3: {HOOK}: app.debug is yes in production config" in result.stdout
    assert "config/staging.yaml" not in result.stdout

    write_files(repo, {"config/production.yaml": "app:\n  debug: ${APP_DEBUG}\n"})
    git(repo, "add", "config/production.yaml")
    result = precommit.run(repo, "run")
    assert result.returncode == 0, result.stdout


def test_demo_repo_plants(precommit: PreCommit, tmp_path: Path) -> None:
    repo = tmp_path / "billing"
    shutil.copytree(ROOT / "examples" / "legacy-service", repo)
    write_files(repo, {".pre-commit-config.yaml": precommit.config([{"id": HOOK}])})
    precommit.make_repo(repo, {})
    result = precommit.run(repo, "run", "--all-files")  # the cached hook environment: try-repo builds a new one
    findings = sorted(line.split(f": {HOOK}: ")[0] for line in result.stdout.splitlines() if f": {HOOK}: " in line)
    assert findings == [".env.production:9:1", "config/production.yaml:12:3", "production.ini:9:1", "settings/prod.py:7:1"], (
        result.stdout + result.stderr
    )
