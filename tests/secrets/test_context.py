"""Secrets judged in context (issue 11): each false-positive class found on
real repositories, on small files shaped like theirs, with what must still be
reported beside it."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.no_inline_secrets import main
from hooks.repo import roles
from hooks.secrets import context as secret_context
from tests.conftest import write_files


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, files: dict[str, str],
        *args: str) -> tuple:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, files)
    code = main([*args, *files])
    return code, capsys.readouterr().out


# -- test data ---------------------------------------------------------------
DJANGO_FIXTURE = """[
{"model": "auth.user", "pk": 1, "fields": {"username": "admin",
 "password": "pbkdf2_sha256$260000$Xk2pQ9zLm4vN$Jc8vW3mR5tY1uI7oP0aS2dF4gH6jK8lZ0xC1vB3nM5q=",
 "is_superuser": true}}
]
"""
SCANNER_OUTPUT = """{"results": [{"rule": "hardcoded-password", "secret": "Zx8Kp2Lq9Wm4Rt7v",
  "hashed_secret": "4f8d0bd2c7b4e6a1b0d2f3e4a5b6c7d8e9f0a1b2", "password": "Vq8nL2xKp4Rz"}]}
"""


def test_fixtures_and_scanner_outputs_are_not_read(tmp_path, monkeypatch, capsys) -> None:
    files = {
        "myapp/fixtures/users.json": DJANGO_FIXTURE,
        "unittests/scans/gitleaks/many.json": SCANNER_OUTPUT,
        "tests/cassettes/test_pay.yaml": "request:\n  headers:\n    Authorization: Bearer Zx8Kp2Lq9Wm4Rt7vNb\n",
    }
    assert run(tmp_path, monkeypatch, capsys, files) == (0, "")


def test_test_data_named_as_config_in_settings_is_read(tmp_path, monkeypatch, capsys) -> None:
    files = {"pyproject.toml": '[tool.legacy-config-hooks.roles]\nconfig = ["fixtures/**"]\n',
             "fixtures/app.yaml": "database:\n  password: Qm9vbXRvd24tMjAyNA\n"}
    code, out = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and "fixtures/app.yaml:2:" in out


@pytest.mark.parametrize(
    "value",
    [
        "pbkdf2_sha256$260000$Xk2pQ9zLm4vN$Jc8vW3mR5tY1uI7oP0aS2dF4gH6jK8lZ0xC1vB3nM5q=",
        "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA",
        "$2b$12$KIXQJx8k2pQ9zLm4vN7rT.1wY6bC3Jc8vW3mR5tY1uI7oP0aS2dF4",
        "sha1$abc$4f8d0bd2c7b4e6a1b0d2f3e4a5b6c7d8e9f0a1b2",
        "{SSHA}Xk2pQ9zLm4vN7rT1wY6bC3Jc8vW3mR5t",
    ],
)
def test_password_hashes_are_not_plaintext_secrets(value: str) -> None:
    assert secret_context.is_password_hash(value)
    service = roles.default().of("config/production.yaml")
    assert not secret_context.keep("key", value, "password", service, "production")


def test_a_hash_key_holds_no_secret_but_a_real_password_beside_it_does(tmp_path, monkeypatch, capsys) -> None:
    text = "users:\n  admin:\n    password_hash: 4f8d0bd2c7b4e6a1b0d2f3e4a5b6c7d8\n    password: Vq8nL2xKp4Rz\n"
    code, out = run(tmp_path, monkeypatch, capsys, {"config/users.yaml": text})
    assert code == 1 and out.count("\n") == 1 and "config/users.yaml:4:" in out


# -- CI, dev environments and docs samples -------------------------------------
GITHUB_WORKFLOW = """name: tests
on: [push]
env:
  SECRET_KEY: ci-secret
jobs:
  test:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:16
        env:
          POSTGRES_USER: myapp
          POSTGRES_PASSWORD: myapp
          POSTGRES_DB: myapp
      mysql:
        env:
          MYSQL_ROOT_PASSWORD: rootpass
    steps:
      - run: PGPASSWORD=postgres psql -h localhost -U postgres -c 'select 1'
      - run: curl -H "Authorization: token ghp_8fK2mQ9xLp4Rt7Vz1Nc6Bw3Hd5Jy0Gs2AeUo" https://api.github.com
"""


def test_ci_throwaway_credentials_pass_but_a_vendor_token_does_not(tmp_path, monkeypatch, capsys) -> None:
    code, out = run(tmp_path, monkeypatch, capsys, {".github/workflows/tests.yml": GITHUB_WORKFLOW})
    assert code == 1
    assert out.count("\n") == 1 and "GitHub" in out and ".github/workflows/tests.yml:20:" in out


def test_ci_high_entropy_key_for_an_outside_service_is_reported(tmp_path, monkeypatch, capsys) -> None:
    text = "env:\n  SENDGRID_API_KEY: Zq8wLx2Rt5Vb9Nc3Mk7Hj1Pd4Fs6Ga0E\n  REDIS_PASSWORD: Fm3kP9qL2xZr8Wt5Yb7Nc1Vd4Hs6Ja0Q\n"
    code, out = run(tmp_path, monkeypatch, capsys, {".gitlab-ci.yml": text})
    assert code == 1 and out.count("\n") == 1 and "SENDGRID_API_KEY" in out


DEV_COMPOSE = """services:
  keycloak:
    image: quay.io/keycloak/keycloak
    environment:
      KEYCLOAK_ADMIN: admin
      KEYCLOAK_ADMIN_PASSWORD: nomoresecret
  db:
    environment:
      - MYSQL_ROOT_PASSWORD=nomoresecret
"""


@pytest.mark.parametrize("name", ["docker-compose.override.yml", ".devcontainer/docker-compose.yml",
                                  "devstack/tools/oidc/docker-compose.yaml", "docker-compose.dev.yml"])
def test_dev_environment_passwords_pass(tmp_path, monkeypatch, capsys, name) -> None:
    assert run(tmp_path, monkeypatch, capsys, {name: DEV_COMPOSE}) == (0, "")


API_SAMPLE = """{"auth": {"identity": {"methods": ["password"], "password": {"user": {
  "name": "admin", "domain": {"name": "Default"}, "password": "devstacker"}}}},
  "application_credential": {"secret": "rEaqvJka48mpv"}}
"""


def test_docs_samples_pass_unless_they_hold_a_real_token(tmp_path, monkeypatch, capsys) -> None:
    assert run(tmp_path, monkeypatch, capsys, {"api-ref/source/v3/samples/auth.json": API_SAMPLE}) == (0, "")
    leaked = '{"aws": {"key": "AKIAZ7Q3XK2PQ9ZLM4VN"}}\n'
    code, out = run(tmp_path, monkeypatch, capsys, {"docs/samples/aws.json": leaked})
    assert code == 1 and "AWS" in out


def test_the_same_password_in_production_config_is_reported(tmp_path, monkeypatch, capsys) -> None:
    text = "services:\n  app:\n    environment:\n      SMTP_PASSWORD: nomoresecret\n"
    code, out = run(tmp_path, monkeypatch, capsys, {"deploy/docker-compose.prod.yml": text})
    assert code == 1 and "SMTP_PASSWORD" in out


# -- lock files and docs navigation --------------------------------------------
PACKAGE_LOCK = """{"name": "web", "lockfileVersion": 3, "packages": {
  "node_modules/@inquirer/prompts": {"version": "7.0.0", "dependencies": {"@inquirer/password": "^4.0.2"}},
  "node_modules/@octokit/core": {"version": "5.0.0", "dependencies": {"@octokit/auth-token": "^4.0.0"}}}}
"""
MKDOCS = """site_name: My service
nav:
  - Home: index.md
  - Data model:
      - Users:
          - Token: models/users/token.md
          - Password: models/users/password.md
"""


def test_lock_files_and_docs_navigation_are_never_secrets(tmp_path, monkeypatch, capsys) -> None:
    files = {"package-lock.json": PACKAGE_LOCK, "pnpm-lock.yaml": "packages:\n  '@inquirer/password@4.0.2':\n    resolution: {integrity: sha512-x}\n",
             "mkdocs.yml": MKDOCS}
    assert run(tmp_path, monkeypatch, capsys, files) == (0, "")


def test_a_doc_link_is_not_a_secret_even_in_service_config() -> None:
    service = roles.default().of("config/app.yaml")
    assert not secret_context.keep("key", "models/users/token.md", "token", service, None)


# -- ${NAME:-literal} defaults -------------------------------------------------
COMPOSE = """services:
  app:
    image: example/app
    environment:
      APP_SECRET_KEY: ${APP_SECRET_KEY:-a8Xk2pQ9zLm4vN7rT1wY6bC3}
      DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app
      DEBUG: ${DEBUG:-false}
      LOG_LEVEL: ${LOG_LEVEL:-info}
  worker:
    environment:
      - MAIL_PASSWORD=${MAIL_PASSWORD-Zq8wLx2Rt}
      - API_TOKEN=${API_TOKEN:-changeme}
  db:
    environment:
      POSTGRES_USER: ${DB_USER:-app}
      POSTGRES_PASSWORD: ${DB_PASSWORD:-app}
"""


def test_compose_defaults_are_judged_like_literals(tmp_path, monkeypatch, capsys) -> None:
    code, out = run(tmp_path, monkeypatch, capsys, {"docker-compose.yml": COMPOSE})
    lines = out.splitlines()
    assert code == 1 and len(lines) == 2, out
    assert lines[0].startswith("docker-compose.yml:5:") and "default of ${APP_SECRET_KEY}" in lines[0]
    assert "drop the default" in lines[0] and "a8Xk2pQ9" not in out
    assert lines[1].startswith("docker-compose.yml:11:") and "default of ${MAIL_PASSWORD}" in lines[1]


@pytest.mark.parametrize(
    "name, text",
    [
        (".env.production", "SECRET_KEY=${SECRET_KEY:-a8Xk2pQ9zLm4vN7rT1wY6bC3}\n"),
        ("deploy/values.yaml", "env:\n  secretKey: \"${SECRET_KEY-a8Xk2pQ9zLm4vN7rT1wY6bC3}\"\n"),
        ("config/production.ini", "[app:main]\nsecret = ${APP_SECRET:-a8Xk2pQ9zLm4vN7rT1wY6bC3}\n"),
        ("config/app.toml", "[app]\nsecret = \"${APP_SECRET:-a8Xk2pQ9zLm4vN7rT1wY6bC3}\"\n"),
    ],
)
def test_defaults_are_judged_in_every_format(tmp_path, monkeypatch, capsys, name, text) -> None:
    code, out = run(tmp_path, monkeypatch, capsys, {name: text})
    assert code == 1 and "literal default of ${" in out and "drop the default" in out


def test_env_defaults_parse_both_forms() -> None:
    found = list(secret_context.env_defaults("a ${A:-x1} b ${B-y2} c ${C} d ${D:-}"))
    assert [(n, v) for n, v, _ in found] == [("A", "x1"), ("B", "y2")]


# -- names and values that say they are not real --------------------------------
def test_password_equal_to_the_user_or_database_name_passes(tmp_path, monkeypatch, capsys) -> None:
    text = ("services:\n  db:\n    environment:\n      - MARIADB_USER=ctfd\n      - MARIADB_PASSWORD=ctfd\n"
            "      - MARIADB_DATABASE=ctfd\n")
    assert run(tmp_path, monkeypatch, capsys, {"docker-compose.yml": text}) == (0, "")


@pytest.mark.parametrize(
    "value", ["replace-this-please", "deadbeef-dead-beef-dead-beefdeadbeef", "aggregator.utils.push_credentials",
              "your-api-key-here"],
)
def test_values_that_say_they_are_not_real_pass(tmp_path, monkeypatch, capsys, value) -> None:
    assert run(tmp_path, monkeypatch, capsys, {"myapp/settings.py": f'API_KEY = "{value}"\n'}) == (0, "")


def test_a_real_api_key_literal_in_a_single_settings_module_is_reported(tmp_path, monkeypatch, capsys) -> None:
    code, out = run(tmp_path, monkeypatch, capsys, {"myapp/settings.py": 'AKISMET_API_KEY = "c892e4962244"\n'})
    assert code == 1 and "AKISMET_API_KEY" in out


BASE = 'DEBUG = True\nSECRET_KEY = "its-a-dev-only-key-9d8f7a6s5"\nSTRIPE_API_KEY = "Zq8wLx2Rt5Vb9Nc3"\n'
PROD = 'from myapp.settings.base import *\nfrom decouple import config\n\nSECRET_KEY = config("SECRET_KEY")\n'


def test_a_base_settings_default_that_production_sets_again_passes(tmp_path, monkeypatch, capsys) -> None:
    files = {"myapp/settings/base.py": BASE, "myapp/settings/cabotage.py": PROD}
    code, out = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and "STRIPE_API_KEY" in out and "in SECRET_KEY" not in out


def test_credentials_named_after_a_component_of_the_file_pass(tmp_path, monkeypatch, capsys) -> None:
    # getsentry/self-hosted: an internal S3 (seaweedfs) with access key and secret "sentry".
    text = ("services:\n  web:\n    environment:\n      SENTRY_EVENT_RETENTION_DAYS: 90\n      SENTRY_BIND: 9000\n"
            "      SENTRY_MAIL_HOST: smtp\n  seaweedfs:\n    environment:\n      AWS_ACCESS_KEY_ID: sentry\n"
            "      AWS_SECRET_ACCESS_KEY: sentry\n  vroom:\n    environment:\n      STORAGE_SECRET: seaweedfs\n")
    assert run(tmp_path, monkeypatch, capsys, {"docker-compose.yml": text}) == (0, "")


def test_a_default_that_the_production_example_sets_again_passes(tmp_path, monkeypatch, capsys) -> None:
    # taiga-back: settings/common.py and settings/config.py.prod.example doing `from .common import *`.
    files = {"settings/common.py": 'DEBUG = False\nSECRET_KEY = "aw3+t2r(8(0kkrhg8)gx6i96v5^kv%6cfep9wxfom0"\n',
             "settings/config.py.prod.example": 'from .common import *\nSECRET_KEY = "changeme"\n'}
    code, out = run(tmp_path, monkeypatch, capsys, {"settings/common.py": files["settings/common.py"]})
    assert code == 1  # alone, the literal is reported
    write_files(tmp_path, files)
    assert main(["settings/common.py"]) == 0


def test_a_url_password_for_localhost_passes_but_one_for_a_real_host_does_not(tmp_path, monkeypatch, capsys) -> None:
    text = ('[alembic]\nsqlalchemy.url = postgresql://scott:Vq8nL2xKp4Rz@localhost:5432/app\n'
            '[app:main]\nbroker = amqp://svc:Zq8wLx2Rt5Vb@mq.internal:5672//\n')
    code, out = run(tmp_path, monkeypatch, capsys, {"alembic.ini": text})
    assert code == 1 and out.count("\n") == 1 and "alembic.ini:4:" in out


@pytest.mark.parametrize(
    "name, text",
    [
        # NGINX Unit: "pass" routes a listener; its value is a route, not a password.
        ("docker/nginx-unit.json", '{"listeners": {"0.0.0.0:8080": {"pass": "routes/main"}},'
                                   ' "routes": {"main": [{"action": {"pass": "applications/netbox"}}]}}\n'),
        # wger: a password made of the user and the project name.
        ("extras/off/docker-compose.yml", "services:\n  mongodb:\n    environment:\n"
                                          "      MONGO_INITDB_ROOT_USERNAME: off\n      MONGO_INITDB_ROOT_PASSWORD: off-wger\n"
                                          "      WGER_SITE: x\n      WGER_DB: y\n      WGER_TZ: z\n"),
        # a URL password made of its own user's words, in the settings of local development
        ("settings/local.py", "PS_STORAGE_PG_URI = env.str('PS_STORAGE_PG_URI', "
                              "'postgres://powersync_storage:powersync_password@db:5432/wger')\n"),
    ],
)
def test_routes_and_passwords_made_of_names_pass(tmp_path, monkeypatch, capsys, name, text) -> None:
    assert run(tmp_path, monkeypatch, capsys, {name: text}) == (0, "")


def test_a_url_default_made_of_names_is_reported_where_production_falls_back_to_it(tmp_path, monkeypatch,
                                                                                   capsys) -> None:
    # issue 28: the one settings module production runs; the fallback database has a password
    text = ("PS_STORAGE_PG_URI = env.str('PS_STORAGE_PG_URI', "
            "'postgres://powersync_storage:powersync_password@db:5432/wger')\n")
    code, out = run(tmp_path, monkeypatch, capsys, {"settings/main.py": text})
    assert code == 1 and "settings/main.py:1:" in out and "production runs this" in out
    assert "powersync_password" not in out


def test_a_committed_env_file_of_random_passwords_is_reported(tmp_path, monkeypatch, capsys) -> None:
    text = "DB_NAME=netbox\nDB_USER=netbox\nDB_PASSWORD=J5brHrAXFLQSif0K\nREDIS_PASSWORD=H733Kdjndks81\n"
    code, out = run(tmp_path, monkeypatch, capsys, {"env/netbox.env": text})
    assert code == 1 and out.count("\n") == 2
