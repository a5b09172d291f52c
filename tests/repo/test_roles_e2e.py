"""Issue 11 through the real pre-commit: every hook on a small repo shaped like
the real ones (a single settings module, a deployable compose file with a
secret default, test data, a lock file, CI and dev files, JSONC, one broken
file). What must be reported is; nothing else is; the broken file is reported
once; a hook with nothing to compare says so."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PreCommit, write_files

pytestmark = pytest.mark.e2e

HOOKS = ("no-duplicate-config-keys", "no-inline-secrets", "forbid-env-files", "check-staging-parity",
         "no-debug-in-production", "rename-legacy-keys", "require-rollback-note")

FILES = {
    "shop/settings.py": (
        "import os\nfrom shop.env import get_bool_from_env\n\nSECRET_KEY = os.environ.get('SECRET_KEY')\n"
        "ALLOWED_HOSTS = ['*']\nINSTALLED_APPS = ['django.contrib.admin', 'shop']\n"
        "DEBUG = get_bool_from_env('DEBUG', True)\n"
    ),
    "docker-compose.yml": (
        "services:\n  web:\n    image: example/shop\n    environment:\n"
        "      APP_SECRET_KEY: ${APP_SECRET_KEY:-a8Xk2pQ9zLm4vN7rT1wY6bC3}\n"
        "      DATABASE_URL: postgres://shop:${DB_PASSWORD}@db/shop\n"
        "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: shop\n      POSTGRES_PASSWORD: shop\n"
    ),
    "shop/fixtures/users.json": (
        '[{"model": "auth.user", "pk": 1, "fields": {"username": "admin", '
        '"password": "pbkdf2_sha256$260000$Xk2pQ9zLm4vN$Jc8vW3mR5tY1uI7oP0aS2dF4gH6jK8lZ0xC1vB3nM5q="}}]\n'
    ),
    "package-lock.json": '{"packages": {"node_modules/@inquirer/prompts": {"dependencies": {"@inquirer/password": "^4.0.2"}}}}\n',
    ".github/workflows/ci.yml": (
        "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      postgres:\n"
        "        image: postgres\n        env:\n          POSTGRES_PASSWORD: postgres\n"
    ),
    "frontend/tsconfig.json": '{\n  // strict mode\n  "compilerOptions": {"strict": true,},\n}\n',
    ".env": "COMPOSE_PROJECT_NAME=shop\n",
    "config/app.yaml": "cache:\n  ttl: [300\n",
    "mkdocs.yml": "site_name: shop\nnav:\n  - Token: models/token.md\n",
}


def test_every_hook_on_a_realistic_repo(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "shop", FILES)
    write_files(repo, {".pre-commit-config.yaml": precommit.config(
        [{"id": h, "verbose": True} for h in HOOKS])})
    result = precommit.run(repo, "run", "--all-files")
    out = result.stdout + result.stderr
    findings = [line for line in out.splitlines() if line.count(":") >= 4 and ": " in line and line[0] not in " -"]
    findings = [line for line in findings if line.split(":", 1)[0] in FILES]
    assert "Traceback" not in out
    assert any(line.startswith("shop/settings.py:7:1: no-debug-in-production: DEBUG falls back to")
               for line in findings), out
    assert any(line.startswith("docker-compose.yml:5:") and "default of ${APP_SECRET_KEY}" in line
               for line in findings), out
    broken = [line for line in findings if line.startswith("config/app.yaml:")]
    assert len(broken) == 1 and "no-duplicate-config-keys: cannot parse YAML" in broken[0], out
    assert len(findings) == 3, "\n".join(findings)
    assert "a8Xk2pQ9zLm4" not in out
    assert "check-staging-parity: nothing to compare" in out
