"""check-env-documented: every read form as a catch / leave-alone pair, the
documentation sources, the comparison and --write-example, on pure functions."""
from __future__ import annotations

import textwrap

import pytest

from hooks.checks.check_env_documented.docs import DEFAULT_EXCLUDES, Entry, Platform, parse_source
from hooks.checks.check_env_documented.example import render, safe_value
from hooks.checks.check_env_documented.python import relevant_prefix, scan
from hooks.checks.check_env_documented.reads import (
    Read,
    scan_compose,
    scan_dockerfile,
    scan_shell,
    scan_supervisor,
)
from hooks.checks.check_env_documented.scan import collect, compare, settings_reads
from hooks.repo.roles import glob_union

HOOK_ID = "check-env-documented"


def py_reads(source: str, path: str = "billing/settings.py") -> list[Read]:
    module = scan(path, textwrap.dedent(source))
    return module.reads + settings_reads(module.classes)


def strong(reads: list[Read]) -> set[str]:
    return {r.name for r in reads if r.kind == "name" and not r.weak}


# (id, module source, the variable it reads)
CATCH = [
    ("environ-subscript", 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\n', "SECRET_KEY"),
    ("environ-get-default", 'import os\nDEBUG = os.environ.get("DJANGO_DEBUG", "off") == "on"\n', "DJANGO_DEBUG"),
    ("getenv", 'import os\nREDIS = os.getenv("REDIS_URL")\n', "REDIS_URL"),
    ("import-os-path", 'import os.path\nROOT = os.path.dirname(__file__)\nKEY = os.environ["MEDIA_KEY"]\n', "MEDIA_KEY"),
    ("import-os-path-getenv", 'import os.path, sys\nX = os.getenv("APP_HOME")\n', "APP_HOME"),
    ("from-os-import-both", 'from os import environ, getenv\nA = environ.get("A_HOST")\nB = getenv("B_HOST")\n', "B_HOST"),
    ("in-environ", 'import os\nif "SENTRY_DSN" in os.environ:\n    pass\n', "SENTRY_DSN"),
    ("not-in-environ", 'import os\nif "SENTRY_DSN" not in os.environ:\n    pass\n', "SENTRY_DSN"),
    ("pop", 'import os\ntoken = os.environ.pop("BOOT_TOKEN", None)\n', "BOOT_TOKEN"),
    ("from-os-import-environ", 'from os import environ\nHOST = environ["DB_HOST"]\n', "DB_HOST"),
    ("from-os-import-getenv", 'from os import getenv as ge\nPORT = ge("DB_PORT", "5432")\n', "DB_PORT"),
    ("import-os-as", 'import os as _os\nX = _os.environ.get("LEGACY_FLAG")\n', "LEGACY_FLAG"),
    ("environ-alias", 'import os\nE = os.environ\nX = E["ALIASED"]\n', "ALIASED"),
    ("module-constant", 'import os\nKEY = "STRIPE_KEY"\nX = os.environ[KEY]\n', "STRIPE_KEY"),
    ("constant-concat", 'import os\nP = "BILLING_"\nX = os.environ[P + "CURRENCY"]\n', "BILLING_CURRENCY"),
    ("constant-fstring", 'import os\nP = "BILLING_"\nX = os.getenv(f"{P}REGION")\n', "BILLING_REGION"),
    ("django-environ-call", 'import environ\nenv = environ.Env()\nSECRET_KEY = env("DJANGO_SECRET_KEY")\n',
     "DJANGO_SECRET_KEY"),
    ("django-environ-bool", 'import environ\nenv = environ.Env()\nDEBUG = env.bool("DJANGO_DEBUG", False)\n',
     "DJANGO_DEBUG"),
    ("django-environ-db-url", 'import environ\nenv = environ.Env()\nDATABASES = {"default": env.db_url("DATABASE_URL")}\n',
     "DATABASE_URL"),
    ("django-environ-cache-url", 'from environ import Env\nenv = Env()\nCACHES = {"default": env.cache_url("CACHE_URL")}\n',
     "CACHE_URL"),
    ("django-environ-email-url", 'import environ\nenv = environ.Env()\nEMAIL = env.email_url("EMAIL_URL")\n', "EMAIL_URL"),
    ("django-environ-list", 'import environ\nenv = environ.Env()\nHOSTS = env.list("ALLOWED_HOSTS", default=[])\n',
     "ALLOWED_HOSTS"),
    ("django-environ-path", 'import environ\nenv = environ.Env()\nROOT = env.path("MEDIA_ROOT")\n', "MEDIA_ROOT"),
    ("django-environ-json", 'import environ\nenv = environ.Env()\nX = env.json("FEATURES")\n', "FEATURES"),
    ("django-environ-schema", 'import environ\nenv = environ.Env(DEBUG=(bool, False))\n', "DEBUG"),
    ("django-environ-from-base", 'from .base import env\nKEY = env("DJANGO_ADMIN_URL")\n', "DJANGO_ADMIN_URL"),
    ("django-environ-star-import", 'from .base import *  # noqa\nKEY = env("MAILGUN_API_KEY")\n', "MAILGUN_API_KEY"),
    ("decouple", 'from decouple import config\nDEBUG = config("DEBUG", default=False, cast=bool)\n', "DEBUG"),
    ("decouple-csv", 'from decouple import config, Csv\nHOSTS = config("ALLOWED_HOSTS", cast=Csv())\n', "ALLOWED_HOSTS"),
    ("decouple-module", 'import decouple\nX = decouple.config("EMAIL_HOST")\n', "EMAIL_HOST"),
    ("decouple-autoconfig", 'from decouple import AutoConfig\nconfig = AutoConfig(search_path="/srv")\nX = config("SMTP_HOST")\n',
     "SMTP_HOST"),
    ("environs-str", 'from environs import Env\nenv = Env()\nenv.read_env()\nNAME = env.str("APP_NAME")\n', "APP_NAME"),
    ("environs-prefixed", 'from environs import Env\nenv = Env()\nwith env.prefixed("BILLING_"):\n    X = env.int("RETRIES")\n',
     "BILLING_RETRIES"),
    ("environs-nested-prefixed",
     'from environs import Env\nenv = Env()\nwith env.prefixed("APP_"):\n    with env.prefixed("DB_"):\n        X = env("HOST")\n',
     "APP_DB_HOST"),
    ("environs-env-prefix", 'from environs import Env\nenv = Env(prefix="SHOP_")\nX = env.bool("DEBUG", False)\n',
     "SHOP_DEBUG"),
    ("starlette", 'from starlette.config import Config\nconfig = Config(".env")\nDEBUG = config("DEBUG", cast=bool, default=False)\n',
     "DEBUG"),
    ("flask-from-envvar", 'def create_app(app):\n    app.config.from_envvar("BILLING_SETTINGS")\n', "BILLING_SETTINGS"),
    ("pydantic-field", 'from pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n    database_url: str\n',
     "DATABASE_URL"),
    ("pydantic-prefix",
     'from pydantic_settings import BaseSettings, SettingsConfigDict\nclass Settings(BaseSettings):\n'
     '    model_config = SettingsConfigDict(env_prefix="BILLING_")\n    currency: str\n', "BILLING_CURRENCY"),
    ("pydantic-v1-config-prefix",
     'from pydantic import BaseSettings\nclass Settings(BaseSettings):\n    region: str\n'
     '    class Config:\n        env_prefix = "APP_"\n', "APP_REGION"),
    ("pydantic-alias", 'from pydantic import Field\nfrom pydantic_settings import BaseSettings\nclass S(BaseSettings):\n'
     '    model_config = {"env_prefix": "X_"}\n    token: str = Field(alias="API_TOKEN")\n', "API_TOKEN"),
    ("pydantic-alias-choices",
     'from pydantic import AliasChoices, Field\nfrom pydantic_settings import BaseSettings\nclass S(BaseSettings):\n'
     '    region: str = Field(validation_alias=AliasChoices("REGION", "AWS_REGION"))\n', "AWS_REGION"),
    ("pydantic-v1-env", 'from pydantic import BaseSettings, Field\nclass S(BaseSettings):\n'
     '    url: str = Field(..., env="REDIS_URL")\n', "REDIS_URL"),
    ("module-wrapper", 'import os\ndef envbool(s, default):\n    return os.getenv(s, default) == "True"\n'
     'DEBUG = envbool("DEBUG", "False")\n', "DEBUG"),
    ("module-wrapper-suffix", 'import os\ndef envsecret(s):\n    if path := os.getenv(s + "_FILE"):\n'
     '        return open(path).read()\n    return os.getenv(s)\nKEY = envsecret("SECRET_KEY")\n', "SECRET_KEY"),
    ("pydantic-inherited", 'from pydantic_settings import BaseSettings\nclass Base(BaseSettings):\n'
     '    model_config = {"env_prefix": "SVC_"}\nclass Settings(Base):\n    timeout: int\n', "SVC_TIMEOUT"),
]


@pytest.mark.parametrize("source,name", [(c[1], c[2]) for c in CATCH], ids=[c[0] for c in CATCH])
def test_catches_each_read_form(source: str, name: str) -> None:
    assert name in strong(py_reads(source))


# (id, module source, a name it must not report as read)
LEAVE_ALONE = [
    ("environ-write", 'import os\nos.environ["NEW_FLAG"] = "1"\n', "NEW_FLAG"),
    ("setdefault-is-a-write", 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE_X", "app.settings")\n',
     "DJANGO_SETTINGS_MODULE_X"),
    ("os-path-only", 'import os.path\nX = os.path.join("ENV_DIR", "x")\n', "ENV_DIR"),
    ("environ-del", 'import os\ndel os.environ["OLD_FLAG"]\n', "OLD_FLAG"),
    ("other-dict-get", 'settings = {}\nX = settings.get("SECRET_KEY")\n', "SECRET_KEY"),
    ("other-getenv", 'class Shell:\n    def getenv(self, k): ...\nX = Shell().getenv("HOME_DIR")\n', "HOME_DIR"),
    ("environ-not-os", 'environ = {}\nX = environ["NOT_ENV"]\n', "NOT_ENV"),
    ("read-env-file", 'import environ\nenv = environ.Env()\nenv.read_env(".env.production")\n', ".env.production"),
    ("env-lowercase-heuristic", 'from .base import env\nX = env("not a variable")\n', "not a variable"),
    ("config-not-a-reader", 'from myapp.conf import settings\nX = settings.config("APP_NAME")\n', "APP_NAME"),
    ("flask-config-subscript", 'def f(app):\n    return app.config["SECRET_KEY"]\n', "SECRET_KEY"),
    ("pydantic-basemodel", 'from pydantic import BaseModel\nclass Payload(BaseModel):\n    secret_key: str\n', "SECRET_KEY"),
    ("pydantic-classvar", 'from typing import ClassVar\nfrom pydantic_settings import BaseSettings\n'
     'class S(BaseSettings):\n    registry: ClassVar[dict] = {}\n', "REGISTRY"),
    ("pydantic-private", 'from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    _cache: dict = {}\n',
     "_CACHE"),
    ("pydantic-alias-hides-field-name", 'from pydantic import Field\nfrom pydantic_settings import BaseSettings\n'
     'class S(BaseSettings):\n    token: str = Field(alias="API_TOKEN")\n', "TOKEN"),
    ("starlette-not-imported", 'class Config:\n    pass\nconfig = Config()\nX = config("DEBUG")\n', "DEBUG"),
    ("wrapper-param-not-literal", 'import os\ndef envbool(s):\n    return os.getenv(s) == "1"\n'
     'for name in NAMES:\n    envbool(name)\n', "s"),
    ("pop-after-own-write", 'import os\ntry:\n    os.environ["NLS_LANG"] = ".UTF8"\nfinally:\n'
     '    os.environ.pop("NLS_LANG", None)\n', "NLS_LANG"),
    ("string-mention", 'HELP = "set os.environ[\'FAKE\'] to enable"\n', "FAKE"),
]


@pytest.mark.parametrize("source,name", [(c[1], c[2]) for c in LEAVE_ALONE], ids=[c[0] for c in LEAVE_ALONE])
def test_leaves_alone_what_is_not_a_read(source: str, name: str) -> None:
    reads = py_reads(source)
    assert name not in {r.name for r in reads if not r.weak}, reads  # weak: keeps an entry alive only


def test_wrapper_reads_are_found_at_the_call_with_their_default() -> None:
    reads = py_reads('import os\ndef envint(s, default):\n    v = os.getenv(s, default)\n    return int(v)\n'
                     'PORT = envint("SMTPD_PORT", "25")\n')
    assert [(r.name, r.line, r.default, r.kind) for r in reads] == [("SMTPD_PORT", 5, "25", "name")]


def test_wrapper_variant_names_keep_entries_alive_only() -> None:
    reads = py_reads('import os\ndef envsecret(s):\n    if path := os.getenv(s + "_FILE"):\n'
                     '        return open(path).read()\n    return os.getenv(s)\nKEY = envsecret("SECRET_KEY")\n')
    assert {(r.name, r.weak) for r in reads} == {("SECRET_KEY", False), ("SECRET_KEY_FILE", True)}


def test_pydantic_is_case_insensitive_unless_told() -> None:
    (r,) = py_reads('from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    redis_url: str\n')
    assert r.name == "REDIS_URL" and r.case_insensitive and r.matches("redis_url")
    (r,) = py_reads('from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n'
                    '    model_config = {"case_sensitive": True}\n    redis_url: str\n')
    assert r.name == "redis_url" and not r.matches("REDIS_URL")


def test_pydantic_nested_delimiter_is_a_prefix_read() -> None:
    reads = py_reads(
        'from pydantic import BaseModel\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n'
        'class Db(BaseModel):\n    host: str = "localhost"\n'
        'class S(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix="APP_", env_nested_delimiter="__")\n'
        '    db: Db = Db()\n'
    )
    prefix = [r for r in reads if r.kind == "prefix"]
    assert [r.name for r in prefix] == ["APP_DB__"]
    assert prefix[0].matches("APP_DB__HOST") and prefix[0].matches("app_db__port")
    assert not prefix[0].matches("APP_DEBUG")


def test_pydantic_settings_base_in_another_module() -> None:
    base = scan("core/base.py", 'from pydantic_settings import BaseSettings\nclass AppSettings(BaseSettings):\n'
                '    model_config = {"env_prefix": "SHOP_"}\n')
    child = scan("core/config.py", "from core.base import AppSettings\nclass Settings(AppSettings):\n    currency: str\n")
    assert strong(settings_reads(base.classes + child.classes)) == {"SHOP_CURRENCY"}
    assert strong(settings_reads(child.classes)) == set()  # not known to be settings on its own


def test_flask_from_prefixed_env_is_a_prefix_read() -> None:
    reads = py_reads("def create_app(app):\n    app.config.from_prefixed_env()\n    app.config.from_prefixed_env(prefix='BILLING')\n")
    assert [(r.name, r.kind) for r in reads] == [("FLASK_", "prefix"), ("BILLING_", "prefix")]


def test_unresolvable_reads_are_not_guessed_but_kept_for_strict() -> None:
    reads = py_reads('import os\nP = "FEATURE_"\ndef flag(name):\n    return os.environ.get(f"{P}{name}")\n'
                     'for k in ("A", "B"):\n    os.getenv(k)\nflag(request.GET["f"])\n')
    assert strong(reads) == set()
    unknown = sorted((r for r in reads if r.kind == "unknown"), key=lambda r: r.line)
    assert [r.name for r in unknown] == ["k", "flag(request.GET['f'])"]
    unknown.reverse()
    assert unknown[0].prefix == "FEATURE_" and unknown[0].matches("FEATURE_BETA")


def test_defaults_are_kept_for_write_example() -> None:
    reads = {r.name: r.default for r in py_reads(
        'import os, environ\nenv = environ.Env(DEBUG=(bool, False))\nA = os.environ.get("A", "1")\n'
        'B = os.getenv("B")\nC = env.int("C", default=5)\n')}
    assert reads == {"DEBUG": "False", "A": "1", "B": None, "C": "5"}


def test_python2_module_is_searched_with_the_fallback() -> None:
    reads = py_reads('import os\nprint "hello"\nKEY = os.environ["LEGACY_KEY"]\nX = env("OLD_URL")\n')
    assert strong(reads) == {"LEGACY_KEY", "OLD_URL"}


MODULE_WITH_READ_AT_TOP = """\
import logging
import os

TIMEOUT = int(os.environ.get("BILLING_TIMEOUT", "30"))
log = logging.getLogger(__name__)


@dataclass
class Invoice:
    amount: float = 0.0

    def total(self, config: dict) -> float:
        return self.amount * config.get("rate", 1)
"""


def test_only_the_statements_that_can_matter_are_parsed() -> None:
    prefix = relevant_prefix(MODULE_WITH_READ_AT_TOP)
    assert prefix.endswith('TIMEOUT = int(os.environ.get("BILLING_TIMEOUT", "30"))\n')
    assert strong(py_reads(MODULE_WITH_READ_AT_TOP)) == {"BILLING_TIMEOUT"}


@pytest.mark.parametrize("source,name", [
    ('from decouple import config as cfg\n\n\ndef f():\n    pass\n\n\nX = cfg("LATE_ALIAS")\n', "LATE_ALIAS"),
    ('import os\nE = os.environ\n\n\nclass A:\n    pass\n\n\nX = E["LATE_MAPPING"]\n', "LATE_MAPPING"),
    ('import os\ndef envbool(name):\n    return os.getenv(name) == "1"\n\n\nclass A:\n    pass\n\n\n'
     'X = envbool("LATE_WRAPPER")\n', "LATE_WRAPPER"),
    ('import os\nX = os.getenv("CUT_IN_STRING", """\nstarts at column 0\n""")\nclass A:\n    pass\n', "CUT_IN_STRING"),
    ('from pydantic_settings import BaseSettings\nimport os\nX = os.getenv("A")\n\n\n'
     'class S(BaseSettings):\n    late_field: str\n', "LATE_FIELD"),
], ids=["import-alias", "environ-alias", "wrapper", "cut-inside-a-string", "settings-class"])
def test_reads_after_the_cut_are_not_lost(source: str, name: str) -> None:
    assert name in strong(py_reads(source))


def test_read_position_is_the_expression() -> None:
    (r,) = py_reads('import os\n\nWEBHOOK = os.environ["STRIPE_WEBHOOK_SECRET"]\n')
    assert (r.line, r.column) == (3, 11)


# --- compose, Dockerfile, supervisor, shell --------------------------------------

COMPOSE = """\
services:
  web:
    build: .
    image: "billing:${TAG:-latest}"
    env_file: .env.web
    environment:
      - PASSTHROUGH
      - WORKERS=4
      - DATABASE_URL=postgres://db/${DB_NAME?set DB_NAME}
    command: echo $$NOT_A_READ
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: postgres
      POSTGRES_USER:
# ${COMMENTED}
"""


def test_compose_reads() -> None:
    reads = scan_compose("docker-compose.yml", COMPOSE)
    by = {r.name: r for r in reads if r.form != "env_file"}
    assert by["TAG"].default == "latest" and not by["TAG"].weak
    assert "DB_NAME" in by and not by["DB_NAME"].weak
    assert not by["PASSTHROUGH"].weak  # comes from the host
    assert by["WORKERS"].weak  # a value given here documents it (issue 21)
    assert by["POSTGRES_PASSWORD"].weak  # a third-party image's setting keeps docs alive only
    assert not by["POSTGRES_USER"].weak  # pass-through, even for an image
    assert "NOT_A_READ" not in by and "COMMENTED" not in by
    assert [r.name for r in reads if r.form == "env_file"] == [".env.web"]
    assert (by["PASSTHROUGH"].line, by["TAG"].line) == (7, 4)


DOCKERFILE = """\
FROM python:3.12-slim
ARG APP_HOME=/app
ARG RELEASE_SHA
ENV PYTHONUNBUFFERED=1 \\
    BILLING_MODE=worker
ENV LEGACY_FORMAT yes
WORKDIR ${APP_HOME}
# ENV COMMENTED=1
"""


def test_dockerfile_env_and_arg() -> None:
    by = {r.name: r for r in scan_dockerfile("Dockerfile", DOCKERFILE)}
    assert set(by) == {"APP_HOME", "RELEASE_SHA", "PYTHONUNBUFFERED", "BILLING_MODE", "LEGACY_FORMAT"}
    # ENV/ARG give the value: documentation that keeps entries alive, never a read to document (issue 21)
    assert all(r.weak for r in by.values())
    assert by["BILLING_MODE"].line == 4 and by["LEGACY_FORMAT"].default == "yes"


def test_uwsgi_env_reads() -> None:
    text = "[uwsgi]\nprocesses = $(UWSGI_PROCESSES)\nif-env = SMTPD_PORT\nattach-daemon = smtpd -p $(SMTPD_PORT)\n" \
           "endif =\n; socket = $(OLD_SOCKET)\nchdir = %d\n"
    assert [(r.name, r.line) for r in scan_supervisor("docker/uwsgi.ini", text)] == [
        ("UWSGI_PROCESSES", 2), ("SMTPD_PORT", 3), ("SMTPD_PORT", 4)]


def test_supervisor_env_reads() -> None:
    text = "[program:worker]\ncommand=rq worker %(ENV_QUEUES)s\n; numprocs=%(ENV_OLD)s\nnumprocs=%(process_num)s\n"
    assert [r.name for r in scan_supervisor("supervisord.conf", text)] == ["QUEUES"]


ENTRYPOINT = """\
#!/bin/sh
set -e
: "${POSTGRES_HOST:=db}"
export DJANGO_SETTINGS_MODULE=config.settings
WORKERS=${GUNICORN_WORKERS:-4}
PORT_LOCAL=8000
echo "$WORKERS $PORT_LOCAL $1 $HOME" '$SINGLE_QUOTED'
# echo $COMMENTED
exec gunicorn -b 0.0.0.0:${APP_PORT} config.wsgi
"""


def test_shell_entrypoint_reads() -> None:
    names = {r.name: r for r in scan_shell("docker-entrypoint.sh", ENTRYPOINT)}
    assert set(names) == {"POSTGRES_HOST", "GUNICORN_WORKERS", "HOME", "APP_PORT"}
    assert names["GUNICORN_WORKERS"].default == "4"


# --- documentation sources ----------------------------------------------------------

def test_dotenv_source_with_commented_entries() -> None:
    text = "# Billing service\nSECRET_KEY=changeme\nexport REDIS_URL=redis://\n# SENTRY_DSN=\n# see the README = docs\n\n"
    assert [(e.name, e.line) for e in parse_source(".env.example", text)] == [
        ("SECRET_KEY", 2), ("REDIS_URL", 3), ("SENTRY_DSN", 4)]


def test_markdown_source_tables_lists_and_headings_only() -> None:
    text = textwrap.dedent("""\
        # Configuration
        Set `IGNORED_IN_PROSE` if you like.

        | variable | meaning |
        |---|---|
        | `DATABASE_URL` | where the data lives, e.g. `POSTGRES` |
        - `SENTRY_DSN`: error reports
        ## `ADMINS` {: #ADMINS }
        * `$CACHE_URL=redis://` cache
        ```
        - `IN_CODE_BLOCK`
        ```
        """)
    assert [e.name for e in parse_source("docs/config.md", text)] == ["DATABASE_URL", "SENTRY_DSN", "ADMINS", "CACHE_URL"]


def test_default_excludes_and_globs() -> None:
    skip = glob_union(DEFAULT_EXCLUDES)
    assert skip is not None
    for path in ("tests/test_app.py", "billing/tests/test_x.py", "conftest.py", "billing/conftest.py",
                 "app/test_views.py", "vendor/lib/x.py", "src/_vendor/y.py", "fixtures/env.py", ".ci/compose.yaml"):
        assert skip.match(path), path
    for path in ("billing/settings.py", "app/testing_utils.py", "contest/app.py", "docker-compose.yml"):
        assert not skip.match(path), path


def test_platform_variables() -> None:
    platform = Platform(["MYCI_*"], {"Procfile"})
    for name in ("PATH", "HOME", "CI", "GITHUB_SHA", "DJANGO_SETTINGS_MODULE", "PYTHONPATH", "PORT", "MYCI_JOB"):
        assert name in platform, name
    assert "DATABASE_URL" not in platform and "MYCI" not in platform
    assert "PORT" in Platform([], set())  # Heroku, Cloud Run, Render, ECS... set it: never asked for (issue 21)


# --- the comparison ---------------------------------------------------------------------

def reads_of(*items: tuple) -> list[Read]:
    return [Read(name, path, line, 1, "os.environ") for name, path, line in items]


def test_undocumented_read_reported_once_at_first_read_with_count() -> None:
    reads = reads_of(("STRIPE_KEY", "billing/settings.py", 42), ("STRIPE_KEY", "billing/views.py", 3),
                     ("STRIPE_KEY", "Dockerfile", 1), ("SECRET_KEY", "billing/settings.py", 5))
    entries = [Entry("SECRET_KEY", ".env.example", 1, 1)]
    (p,) = compare(reads, entries, [".env.example"], Platform([], set()), strict=False)
    assert (p.path, p.line) == ("billing/settings.py", 42)
    assert p.message == "STRIPE_KEY is read here but not documented in .env.example (2 other reads)"
    assert p.identity == ("undocumented", "STRIPE_KEY")


def test_dead_entry_reported_at_documentation_line() -> None:
    entries = [Entry("SECRET_KEY", ".env.example", 1, 1), Entry("LEGACY_CACHE_HOST", ".env.example", 12, 1)]
    (p,) = compare(reads_of(("SECRET_KEY", "app.py", 1)), entries, [".env.example"], Platform([], set()), False)
    assert (p.path, p.line, p.column) == (".env.example", 12, 1)
    assert p.message == "LEGACY_CACHE_HOST is documented but nothing in the repo reads it"


def test_documented_and_platform_reads_pass() -> None:
    reads = reads_of(("SECRET_KEY", "app.py", 1), ("HOME", "app.py", 2), ("GITHUB_SHA", "ci.py", 1))
    entries = [Entry("SECRET_KEY", ".env.example", 1, 1), Entry("PATH", ".env.example", 2, 1)]
    assert list(compare(reads, entries, [".env.example"], Platform([], set()), False)) == []


def test_prefix_reads() -> None:
    flask = Read("FLASK_", "app.py", 3, 5, "Flask", kind="prefix")
    documented = [Entry("FLASK_SECRET_KEY", ".env.example", 1, 1)]
    assert list(compare([flask], documented, [".env.example"], Platform([], set()), False)) == []
    (p,) = compare([flask], [], [".env.example"], Platform([], set()), False)
    assert "variables starting with FLASK_ are read here" in p.message
    assert p.identity == ("undocumented-prefix", "FLASK_")


def test_unknown_reads_only_with_strict_and_they_keep_prefixed_entries_alive() -> None:
    dyn = Read("f'FEATURE_{name}'", "flags.py", 4, 12, "os.environ", kind="unknown", prefix="FEATURE_")
    entries = [Entry("FEATURE_BETA", ".env.example", 1, 1)]
    assert list(compare([dyn], entries, [".env.example"], Platform([], set()), False)) == []
    (p,) = compare([dyn], entries, [".env.example"], Platform([], set()), True)
    assert p.message == "cannot tell which variable this reads: f'FEATURE_{name}'"


def test_case_insensitive_read_matches_documented_lower_case() -> None:
    r = Read("REDIS_URL", "config.py", 3, 5, "pydantic settings", case_insensitive=True)
    assert list(compare([r], [Entry("redis_url", ".env.example", 1, 1)], [".env.example"], Platform([], set()), False)) == []


def test_weak_reads_keep_entries_alive_but_are_not_reported() -> None:
    weak = Read("POSTGRES_PASSWORD", "docker-compose.yml", 9, 7, "compose environment", weak=True)
    assert list(compare([weak], [], [".env.example"], Platform([], set()), False)) == []
    entries = [Entry("POSTGRES_PASSWORD", ".env.example", 1, 1)]
    assert list(compare([weak], entries, [".env.example"], Platform([], set()), False)) == []


def test_variables_libraries_read_are_never_dead_but_still_expected() -> None:
    entries = [Entry("GOOGLE_APPLICATION_CREDENTIALS", ".env.example", 1, 1)]
    assert list(compare([], entries, [".env.example"], Platform([], set()), False)) == []
    (p,) = compare(reads_of(("SENTRY_DSN", "settings.py", 9)), [], [".env.example"], Platform([], set()), False)
    assert p.identity == ("undocumented", "SENTRY_DSN")


def test_several_sources_are_named_in_the_message() -> None:
    (p,) = compare(reads_of(("X_Y", "a.py", 1)), [], [".env.example", "docs/config.md"], Platform([], set()), False)
    assert p.message.endswith("not documented in .env.example or docs/config.md")


# --- reading the repo -------------------------------------------------------------------

def test_collect_parses_only_files_with_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    import hooks.checks.check_env_documented.scan as scan_mod

    files = {
        "billing/settings.py": b'import os\nX = os.environ["BILLING_X"]\n',
        "billing/models.py": b"class Invoice:\n    pass\n",
        "tests/test_settings.py": b'import os\nos.environ["TEST_ONLY"]\n',
        "docker-compose.yml": b"services:\n  web:\n    image: x:${TAG}\n",
        "README.md": b"$NOT_READ",
    }
    parsed: list[str] = []
    real = scan_mod.scan_python
    monkeypatch.setattr(scan_mod, "scan_python", lambda p, t: parsed.append(p) or real(p, t))
    skip = glob_union(DEFAULT_EXCLUDES)
    found = collect(sorted(files), lambda p: bool(skip and skip.match(p)), read=files.get)
    assert parsed == ["billing/settings.py"]
    assert {r.name for r in found.reads} == {"BILLING_X", "TAG"}
    assert found.scanned == ["billing/settings.py", "docker-compose.yml"]


def test_compose_files_with_legacy_names_are_found_by_content() -> None:
    compose = b"version: '3'\nservices:\n  django:\n    build: .\n    environment:\n      - LEGACY_NAMED\n"
    files = {
        "production.yml": compose,
        "local.yml": compose.replace(b"LEGACY_NAMED", b"LOCAL_NAMED"),
        ".gitlab-ci.yml": b"services:\n  - postgres\nimage: python\ntest:\n  script: echo $CI_ONLY\n",
        "config/app.yaml": b"services:\n  billing:\n    url: ${NOT_COMPOSE}\n",
    }
    found = collect(sorted(files), lambda p: False, read=files.get)
    assert sorted(r.name for r in found.reads) == ["LEGACY_NAMED", "LOCAL_NAMED"]


def test_collect_skips_binary_and_undecodable_quietly() -> None:
    files = {"a.py": b"\x00\x01environ", "b.py": b'import os\nX = os.environ["CAF\xe9"]\n'}
    found = collect(sorted(files), lambda p: False, read=files.get)
    assert [r.name for r in found.reads] == []  # a latin-1 name is no variable name we report


# --- --write-example ----------------------------------------------------------------------

def test_safe_value_never_writes_a_secret() -> None:
    assert safe_value("STRIPE_SECRET_KEY", "sk_live_abc")[0] == ""
    assert safe_value("DATABASE_URL", "postgres://app:hunter2@db/app")[0] == "postgres://app:CHANGE_ME@db/app"
    assert safe_value("WORKERS", "4") == ("4", "")
    assert safe_value("GREETING", "hello world")[0] == "'hello world'"  # single quotes: nothing expands
    assert safe_value("NOTHING", None) == ("", "")
    assert safe_value("DATABASE_URL", "postgres://db/${DB_NAME}") == ("", "")


def test_render_example_from_reads() -> None:
    reads = [
        Read("DEBUG", "billing/settings.py", 3, 9, "django-environ", default="False"),
        Read("SECRET_KEY", "billing/settings.py", 4, 14, "django-environ", default="insecure-dev-key"),
        Read("PATH", "billing/settings.py", 5, 1, "os.environ"),
        Read("FLASK_", "app.py", 2, 1, "Flask", kind="prefix"),
        Read("ALREADY", "app.py", 9, 1, "os.environ"),
    ]
    text, written, secrets = render(reads, [Entry("ALREADY", ".env.example", 1, 1)], Platform([], set()), fresh=True)
    assert "REVIEW before committing" in text
    assert "DEBUG=False\n" in text and "SECRET_KEY=\n" in text and "insecure-dev-key" not in text
    assert "PATH=" not in text and "ALREADY=" not in text and "# FLASK_*" in text
    assert (written, secrets) == (2, 1)
    assert render(reads[:1], [Entry("DEBUG", ".env.example", 1, 1)], Platform([], set()), fresh=False)[0] == ""
