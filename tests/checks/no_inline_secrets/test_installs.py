"""no-inline-secrets on what installs and production really use (issue 28):
generated keys in templates that installs copy, literal defaults production
falls back to, keys named for what they protect; and requirement lists and
``TEMPLATE.env`` placeholders, which are no secrets. Catch / leave-alone pairs
on files shaped like real ones; no value is ever printed."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import HookResult

# Made-up keys of the shapes installs generate (none is real).
DJANGO_KEY = "django-insecure-7h#q2v!k9x@m4w&z8p$e3r6t^y1u(i5o)a0s-d_f+g=j"
FERNET_KEY = "Jq8vN3kZ1xR7tY5uW0pL2aS4dF6gH9jK3lC5vB7nM1o="
RANDOM_50 = "q8Wm2nZ4kL7xR1vT9pY3sB6dF0gH5jC8eA2uI4oP7rE9tU1yN6"
HEX_64 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
RANDOM_32 = "Hk29dLm4Qp7Zx1Vb8Nc3Rt6Yw0Ue5Ia2"


def _run(run_hook: Callable[..., HookResult], files: dict[str, str]) -> tuple[int, str]:
    code, out = run_hook("no-inline-secrets", files=files, pass_filenames=True)[:2]
    for text in files.values():
        for value in (DJANGO_KEY, FERNET_KEY, RANDOM_50, HEX_64, RANDOM_32):
            if value in text:
                assert value not in out and value[3:20] not in out  # masked
    return code, out


# -- 1. generated keys in templates ------------------------------------------
ENV_EXAMPLE = f"""\
# Copy this file to .env and adjust it: cp .env.example .env
DJANGO_DEBUG=False
DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1
DJANGO_SECRET_KEY='{DJANGO_KEY}'
POSTGRES_DB=app
POSTGRES_USER=app
POSTGRES_PASSWORD=changeme
EMAIL_HOST_PASSWORD=
"""
AIRFLOW_CFG_EXAMPLE = f"""\
[core]
dags_folder = /opt/airflow/dags
executor = LocalExecutor
fernet_key = {FERNET_KEY}

[webserver]
secret_key = {{SECRET_KEY}}
"""
CONFIG_PY_EXAMPLE = f"""\
# Copy to config.py and edit.
DEBUG = False
SQLALCHEMY_DATABASE_URI = "postgresql://app:<password>@localhost/app"
SECRET_KEY = "{RANDOM_50}"
"""


@pytest.mark.parametrize(
    "name, text, where",
    [
        (".env.example", ENV_EXAMPLE, ".env.example:4:20: no-inline-secrets: secret key literal in DJANGO_SECRET_KEY"),
        ("airflow.cfg.example", AIRFLOW_CFG_EXAMPLE, "airflow.cfg.example:4:14: no-inline-secrets: fernet key literal"),
        ("app/config.py.example", CONFIG_PY_EXAMPLE, "app/config.py.example:4:15: no-inline-secrets: secret key literal"),
        (".env.sample", f"APP_NAME=billing\nJWT_SECRET={HEX_64}\n", ".env.sample:2:12: no-inline-secrets: jwt secret literal"),
        # a hyphenated template no loader reads: judged line by line
        (".env-dist", f"APP_NAME=billing\nSECRET_KEY={RANDOM_50}\n", ".env-dist:2:12: no-inline-secrets: secret key literal"),
        ("deploy/docker-compose.yml.dist",
         f"services:\n  web:\n    image: billing:1.4\n    environment:\n      SECRET_KEY: {RANDOM_50}\n",
         "deploy/docker-compose.yml.dist:5:19: no-inline-secrets: secret key literal"),
    ],
)
def test_a_generated_key_in_a_template_is_reported(run_hook, name, text, where) -> None:
    code, out = _run(run_hook, {name: text})
    assert code == 1 and out.count("\n") == 1, out
    assert out.startswith(where), out
    assert "generate the key at install time" in out


@pytest.mark.parametrize(
    "name, text",
    [
        # placeholders a template is right to hold
        (".env.example", "SECRET_KEY=changeme\nAPI_KEY=your-secret-here\nTOKEN=xxx\nSTRIPE_KEY=<your-key>\n"
                         "FERNET_KEY=random_string\nDB_PASSWORD=\nSIGNING_KEY=generate-a-random-key\n"),
        (".env.example", "SECRET_KEY=django-insecure-change-me-in-production\n"
                         "DB_PASSWORD=mysecretpassword\nSESSION_SECRET=a-long-development-only-session-secret\n"),
        # a value that looks long but is words or a sequence
        (".env.example", "SECRET_KEY=this-is-my-very-long-development-secret-key\n"
                         "HMAC_SECRET=abcdef0123456789abcdef0123456789abcd\n"),
        # the name says template (issue 28): random_string is a placeholder
        ("TEMPLATE.env", "# copy to .env\nSECRET_KEY=random_string\nDB_PASSWORD=password123\nAPI_TOKEN=token-here\n"),
        ("airflow.cfg.example", "[core]\nfernet_key = {FERNET_KEY}\n\n[webserver]\nsecret_key = temporary_key\n"),
        (".env-dist", "SECRET_KEY=random_string\nDB_PASSWORD=Wq7Lp2Zx9Kd4Rt\n"),
        ("app/config.py.example", 'SECRET_KEY = "put-a-long-random-string-here"\nMAIL_PASSWORD = "hunter2"\n'),
    ],
)
def test_placeholders_in_a_template_stay_quiet(run_hook, name, text) -> None:
    assert _run(run_hook, {name: text}) == (0, "")


def test_a_short_password_in_a_template_is_a_placeholder_but_in_the_real_file_a_secret(run_hook) -> None:
    text = "POSTGRES_PASSWORD=Wq7Lp2Zx9Kd4Rt\n"
    assert _run(run_hook, {".env.example": text}) == (0, "")
    code, out = _run(run_hook, {"deploy/.env.production": text})
    assert code == 1 and "password literal in POSTGRES_PASSWORD" in out


# -- 2. literal defaults production falls back to ----------------------------
SETTINGS = """\
import os

import environ

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost"])
SECRET_KEY = env("SECRET_KEY")
BASIC_AUTH_PASSWORD = os.environ.get("BASIC_AUTH_PASSWORD", "billing")
STORAGE_URI = env.str("STORAGE_URI", "postgres://app:app_password@db:5432/app")
ADMIN_TOKEN = config("ADMIN_TOKEN", default="changeme")
MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or "mail"
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
REDIS_PASSWORD = os.getenv("REDIS_PASSWORD", None)
DATABASE_URL = env.str("DATABASE_URL", "postgres://app:app@localhost:5432/app")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", 3600)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
API_TOKEN_FILE = os.getenv("API_TOKEN_FILE", "/run/secrets/api_token")
"""


def test_defaults_of_the_one_settings_module_production_runs_are_reported_whatever_they_look_like(run_hook) -> None:
    code, out = _run(run_hook, {"billing/settings.py": SETTINGS})
    lines = out.splitlines()
    assert code == 1
    assert [line.split(":")[1] for line in lines] == ["10", "11", "12", "13"], out
    assert "password literal default of os.environ.get() in BASIC_AUTH_PASSWORD" in lines[0]
    assert "password in a postgres:// URL in STORAGE_URI" in lines[1]
    assert "token literal default of config() in ADMIN_TOKEN" in lines[2]
    assert "MAIL_PASSWORD" in lines[3]
    assert all("production runs this and falls back to it" in line for line in lines)
    assert "app_password" not in out and "changeme" not in out


def test_the_same_defaults_in_development_settings_stay_placeholders(run_hook) -> None:
    files = {"billing/settings/base.py": "DEBUG = False\n", "billing/settings/production.py": "from .base import *\n",
             "billing/settings/local.py": SETTINGS}
    assert _run(run_hook, files) == (0, "")


def test_a_base_layer_default_is_reported_unless_the_production_layer_sets_it_again(run_hook) -> None:
    base = ('import os\nDEBUG = False\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev")\n'
            'API_PASSWORD = os.environ.get("API_PASSWORD", "billing")\n')
    production = 'import os\nfrom .base import *  # noqa\nSECRET_KEY = os.environ["SECRET_KEY"]\n'
    code, out = _run(run_hook, {"billing/settings/base.py": base, "billing/settings/production.py": production})
    assert code == 1 and out.count("\n") == 1 and "base.py:4:" in out and "API_PASSWORD" in out, out


def test_a_development_config_class_keeps_its_placeholder_defaults(run_hook) -> None:
    text = ('import os\n\n\nclass Config:\n    SECRET_KEY = os.environ.get("SECRET_KEY", "s3cr3t-fallback")\n\n\n'
            'class DevelopmentConfig(Config):\n    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "password")\n')
    code, out = _run(run_hook, {"app/config.py": text})
    assert code == 1 and out.count("\n") == 1 and "Config.SECRET_KEY" in out, out


def test_compose_defaults_of_a_production_file_are_strict_and_of_a_plain_one_judged_as_values(run_hook) -> None:
    text = ("services:\n  db:\n    image: postgres:16\n    environment:\n"
            "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}\n      POSTGRES_USER: ${POSTGRES_USER:-postgres}\n")
    code, out = _run(run_hook, {"docker-compose.prod.yml": text})
    assert code == 1 and out.count("\n") == 1 and ":5:" in out and "production runs this" in out, out
    assert _run(run_hook, {"docker-compose.yml": text}) == (0, "")


# -- 3. keys named for what they protect --------------------------------------
@pytest.mark.parametrize(
    "name, text, label",
    [
        ("docker-compose.yml", "services:\n  app:\n    environment:\n"
                               f'      SECRET_KEY: "${{SECRET_KEY}}"\n'
                               f'      APP_CREDENTIAL_AES_256_KEY: "${{APP_CREDENTIAL_AES_256_KEY:-{RANDOM_32}}}"\n',
         "aes key literal default of ${APP_CREDENTIAL_AES_256_KEY}"),
        ("config/production.yaml", f"crypto:\n  encryption:\n    key: {RANDOM_32}\n", "encryption key literal"),
        ("deploy/.env.production", f"FERNET_KEY={FERNET_KEY}\n", "fernet key literal in FERNET_KEY"),
        ("billing/settings/production.py", f'SIGNING_KEY = "{RANDOM_32}"\n', "signing key literal in SIGNING_KEY"),
        ("production.ini", f"[app:main]\nwebhook.hmac_sha256_key = {RANDOM_32}\n", "HMAC key literal"),
        ("pyproject.toml", f'[tool.billing]\nsigning_hmac = "{RANDOM_32}"\n', "HMAC key literal"),
        ("config/production.json", f'{{"accounts": {{"PASSWORD_SALT": "{RANDOM_32}"}}}}\n', "salt literal"),
        ("deploy/.env.production", f"AES_KEY_B64={FERNET_KEY}\n", "aes key literal in AES_KEY_B64"),
    ],
)
def test_keys_named_for_what_they_protect(run_hook, name, text, label) -> None:
    code, out = _run(run_hook, {name: text})
    assert code == 1 and out.count("\n") == 1 and label in out, out


def test_settings_about_such_keys_are_not_keys(run_hook) -> None:
    text = ("crypto:\n  signing_key_path: /run/secrets/signing.pem\n  encryption_key_id: 7f3c9a1e-2b4d\n"
            "  aes_key_size: 256\n  hmac_algorithm: sha256\n  salt_rounds: 12\n"
            "  signing_public_key: MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n  use_hmac: true\n")
    assert _run(run_hook, {"config/production.yaml": text}) == (0, "")


# -- 4. requirement lists ------------------------------------------------------
PYPROJECT = """\
[project]
name = "billing"
dependencies = ["django>=4.2", "djangorestframework-api-key==3.0.0", "django-secret-key-gen==1.0"]

[project.optional-dependencies]
crypto = ["fernet-key==1.0"]

[dependency-groups]
dev = ["pytest-secret-token==0.2"]

[tool.uv]
override-dependencies = ["openai-api-key==1.2"]

[tool.poetry.dependencies]
django-secret-key = "^1.0"

[tool.poetry.group.dev.dependencies]
pytest-token = {version = "==1.0"}

[build-system]
requires = ["setuptools-secret-key==1"]
"""
SETUP_CFG = """\
[metadata]
name = billing

[options]
install_requires =
    djangorestframework-api-key==2.0
    django-password-hashers==1.1

[options.extras_require]
api-key = drf-api-key==1.0
"""


def test_requirement_lists_name_packages_not_keys(run_hook) -> None:
    assert _run(run_hook, {"pyproject.toml": PYPROJECT, "setup.cfg": SETUP_CFG}) == (0, "")


def test_a_credential_inside_a_requirement_is_still_reported(run_hook) -> None:
    text = ('[project]\nname = "billing"\ndependencies = [\n'
            f'  "internal-sdk @ git+https://deploy:{RANDOM_32}@git.internal.example.org/sdk.git",\n]\n')
    code, out = _run(run_hook, {"pyproject.toml": text})
    assert code == 1 and "password in a git+https:// URL in project.dependencies[0]" in out, out
