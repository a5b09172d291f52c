"""check-staging-parity through the real pre-commit, in temporary git repos."""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT, PreCommit, git, write_files

HOOK = "check-staging-parity"

SERVICE = {
    "settings/__init__.py": "",
    "settings/base.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nTIME_ZONE = 'UTC'\nDATABASES = {'default': {'HOST': 'localhost'}}\n",
    "settings/prod.py": "from .base import *\nALLOWED_HOSTS = ['a.example.com', 'b.example.com']\nSECURE_HSTS_SECONDS = 3600\n",
    "settings/staging.py": "from .base import *\nALLOWED_HOSTS = ['staging.example.com']\nTIME_ZONE = 'Europe/Berlin'\n",
    "config/production.yaml": "cache:\n  backend: redis\n  ttl: 300\nworkers: 8\n",
    "config/staging.yaml": "cache:\n  backend: redis\n  timeout: 300\nworkers: 2\n",
    "production.ini": "[app:main]\nuse = egg:billing\nthreads = 8\n",
    "staging.ini": "[app:main]\nuse = egg:billing\nthreads = 2\n",
    ".env.production": "WORKERS=8\nSENTRY_ENVIRONMENT=production\n",
    ".env.staging": "WORKERS=2\nSENTRY_ENVIRONMENT=staging\n",
    "config/development.yaml": "only_in_dev: true\n",
}


def test_try_repo_all_files_reports_each_missing_key_on_its_side(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "svc", SERVICE)
    result = precommit.try_repo(repo, HOOK, "--all-files")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    findings = sorted(line for line in out.splitlines() if f": {HOOK}: " in line)
    assert findings == [
        f"config/production.yaml:3:3: {HOOK}: cache.ttl is set here but missing from config/staging.yaml",
        f"config/staging.yaml:3:3: {HOOK}: cache.timeout is set here but missing from config/production.yaml",
        f"settings/prod.py:3:1: {HOOK}: SECURE_HSTS_SECONDS is set here but missing from settings/staging.py",
    ], out
    assert "Traceback" not in out + result.stderr


def test_staging_only_commit_still_gets_the_finding_in_production(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "svc", {
        "config/production.yaml": "cache:\n  backend: redis\n  ttl: 300\n",
        "config/staging.yaml": "cache:\n  backend: redis\n  ttl: 60\n",
    })
    write_files(repo, {".pre-commit-config.yaml": precommit.config([{"id": HOOK}])})
    # The commit renames staging's cache.ttl; production is not staged.
    write_files(repo, {"config/staging.yaml": "cache:\n  backend: redis\n  timeout: 60\n"})
    git(repo, "add", "config/staging.yaml", ".pre-commit-config.yaml")
    result = precommit.run(repo, "run")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"config/production.yaml:3:3: {HOOK}: cache.ttl is set here but missing from config/staging.yaml" in result.stdout
    assert f"config/staging.yaml:3:3: {HOOK}: cache.timeout is set here but missing from config/production.yaml" in result.stdout

    # Accepting the difference in settings lets the commit through.
    write_files(repo, {"pyproject.toml": '[tool.legacy-config-hooks]\nallow-missing = ["cache.ttl", "cache.timeout"]\n'})
    git(repo, "add", "pyproject.toml")
    result = precommit.run(repo, "run")
    assert result.returncode == 0, result.stdout


def test_demo_repo_plants(precommit: PreCommit, tmp_path: Path) -> None:
    repo = tmp_path / "billing"
    shutil.copytree(ROOT / "examples" / "legacy-service", repo)
    write_files(repo, {".pre-commit-config.yaml": precommit.config([{"id": HOOK}])})
    precommit.make_repo(repo, {})
    result = precommit.run(repo, "run", "--all-files")  # the cached hook environment: try-repo builds a new one
    findings = sorted(line for line in result.stdout.splitlines() if f": {HOOK}: " in line)
    assert findings == [
        f"config/production.yaml:32:3: {HOOK}: cache.ttl is set here but missing from config/staging.yaml",
        f"config/staging.yaml:31:3: {HOOK}: cache.timeout is set here but missing from config/production.yaml",
        f"deploy/helm/values-production.yaml:44:1: {HOOK}: priorityClassName is set here but missing from "
        "deploy/helm/values-staging.yaml",
        f"settings/prod.py:24:1: {HOOK}: SECURE_HSTS_SECONDS is set here but missing from settings/staging.py",
    ], result.stdout + result.stderr
