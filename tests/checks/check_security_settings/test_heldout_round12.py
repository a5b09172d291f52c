"""check-security-settings, held-out round 12's wrong class and misses fixed as classes:
a ``try: X = os.environ["X"] except KeyError: pass`` read is a required read of the
environment (it fails closed), not "X is not set in an except block"; a module-level
alias of ``os.environ.get`` / ``os.getenv`` (``get = environ.get``) is followed, so its
default is judged as a direct call's would be; and the Pyramid ini that the deployment
starts with ``pserve``/``gunicorn --paste``/uWSGI's ``ini-paste`` is production.
Catch / leave-alone pairs on files shaped like the real ones (written here)."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.check_security_settings import HOOK
from tests.helpers.security import run_files_hook


def run(tmp_path: Path, files: dict[str, str], **options: object) -> list[str]:
    problems, _ = run_files_hook(HOOK, tmp_path, files, None, **options)
    return [f"{p.path}:{p.line}: {p.message}" for p in problems]


def secret_lines(out: list[str]) -> list[str]:
    return [x for x in out if "secrets:" in x and "SECRET_KEY" in x]


# ---- Django: SECRET_KEY read in a try block whose except only passes ----

BASE = '''\
"""Settings for the dyndns project; use "dev" or "prod", not this module."""
import os
import logging

log = logging.getLogger(__name__)
{before}
# put a long random string into the environment: export SECRET_KEY="..."
try:
    SECRET_KEY = os.environ['SECRET_KEY']
except KeyError:
{handler}

DEBUG = False
ALLOWED_HOSTS = ['dyn.example.org']

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]

INSTALLED_APPS = [
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'dyndns',
]
'''
PROD = '''\
from .base import *

WE_HAVE_TLS = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {'stderr': {'level': 'INFO', 'class': 'logging.StreamHandler'}},
    'root': {'level': 'INFO', 'handlers': ['stderr']},
}
'''
PASS = '''\
    # unset, it stays undefined and Django refuses to run - unless a local_settings.py defines it
    pass'''


def dyndns(handler: str = PASS, before: str = "") -> dict[str, str]:
    return {"dyndns/__init__.py": "", "dyndns/settings/__init__.py": "",
            "dyndns/settings/base.py": BASE.format(handler=handler, before=before),
            "dyndns/settings/prod.py": PROD}


def test_required_read_in_try_with_pass_is_met(tmp_path: Path) -> None:
    out = run(tmp_path, dyndns())
    assert not secret_lines(out), out


def test_required_read_in_try_with_a_logged_warning_is_met(tmp_path: Path) -> None:
    out = run(tmp_path, dyndns(handler="    log.warning('SECRET_KEY is not set')"))
    assert not secret_lines(out), out


def test_required_read_in_try_whose_except_raises_is_met(tmp_path: Path) -> None:
    out = run(tmp_path, dyndns(handler="    raise RuntimeError('set SECRET_KEY')"))
    assert not secret_lines(out), out


def test_except_that_falls_back_to_a_committed_key_still_reported(tmp_path: Path) -> None:
    out = run(tmp_path, dyndns(handler="    SECRET_KEY = 'insecure-dev-key-123'"))
    assert [x for x in secret_lines(out) if "committed" in x and "in an except block" in x], out


def test_key_set_before_the_try_is_still_the_fallback(tmp_path: Path) -> None:
    out = run(tmp_path, dyndns(before="SECRET_KEY = 'insecure-dev-key-123'\n"))
    assert [x for x in secret_lines(out) if "committed" in x], out


# ---- Flask: a module-level alias of os.environ.get ----

SERVER = '''\
from flask import Flask
from flask_login import LoginManager

app = Flask(__name__)
app.config.from_object('atlas.settings')
login_manager = LoginManager()
login_manager.init_app(app)
'''
SETTINGS = '''\
{imports}


{alias}


SECRET_KEY = {call}('SECRET_KEY'{default})

DATA_DIR = '/tmp'
DB_HOST = {call}('POSTGRES_HOST', 'localhost')
'''


def atlas(imports: str = "from os import environ", alias: str = "get = environ.get", call: str = "get",
          default: str = ", 'abcdefghijklmnop'") -> dict[str, str]:
    return {"atlas/__init__.py": "", "atlas/server.py": SERVER,
            "atlas/settings.py": SETTINGS.format(imports=imports, alias=alias, call=call, default=default)}


def test_alias_of_environ_get_with_a_weak_default_is_reported(tmp_path: Path) -> None:
    out = run(tmp_path, atlas())
    assert [x for x in secret_lines(out) if "atlas/settings.py:" in x and "weak" in x], out


def test_alias_of_os_environ_get_is_followed(tmp_path: Path) -> None:
    out = run(tmp_path, atlas(imports="import os", alias="lookup = os.environ.get", call="lookup"))
    assert [x for x in secret_lines(out) if "weak" in x], out


def test_imported_getenv_under_another_name_is_followed(tmp_path: Path) -> None:
    out = run(tmp_path, atlas(imports="from os import getenv as fetch", alias="", call="fetch"))
    assert [x for x in secret_lines(out) if "weak" in x], out


def test_alias_with_no_default_is_a_required_read(tmp_path: Path) -> None:
    out = run(tmp_path, atlas(default=""))
    assert not secret_lines(out), out


def test_a_name_that_is_no_reader_of_the_environment_is_not_followed(tmp_path: Path) -> None:
    # get = settings_dict.get: a lookup in the project's own mapping, not the environment
    out = run(tmp_path, atlas(imports="LOCAL = {}", alias="get = LOCAL.get"))
    assert not [x for x in secret_lines(out) if "when SECRET_KEY is unset" in x], out


# ---- Pyramid: the ini the deployment serves with pserve / gunicorn --paste / uWSGI ini-paste ----

SERVICE_INI = '''\
###
# app configuration
###
[app:main]
use = egg:authsvc
pyramid.reload_templates = false
pyramid.includes =
    pyramid_tm
{extra}
authsvc.url = http://localhost:2001

[server:main]
use = egg:gunicorn#main
bind = 0.0.0.0:2001
workers = 4

[loggers]
keys = root, authsvc

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = INFO
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
'''
DOCKERFILE = '''\
FROM python:3.12-slim
ENV APP_DIR=/opt/local/src/authsvc
ENV APP_CONFIG_DIR=$APP_DIR/config
WORKDIR $APP_DIR
COPY requirements.txt setup.py $APP_DIR/
RUN pip install --no-cache-dir -e $APP_DIR
COPY ./config/authsvc.ini $APP_CONFIG_DIR/authsvc.ini
COPY ./authsvc $APP_DIR/authsvc/
CMD pserve "$APP_CONFIG_DIR/authsvc.ini"
'''
SECRET = "authsvc.secret = s3cr3t-committed-in-the-ini"


def authsvc(ini_name: str = "config/authsvc.ini", extra: str = SECRET, **more: str) -> dict[str, str]:
    files = {"authsvc/__init__.py": "def main(global_config, **settings):\n    return None\n",
             ini_name: SERVICE_INI.format(extra=extra), "Dockerfile": DOCKERFILE}
    files.update(more)
    return files


def test_ini_copied_and_served_by_pserve_is_production(tmp_path: Path) -> None:
    out = run(tmp_path, authsvc())
    assert [x for x in out if x.startswith("config/authsvc.ini:") and "secrets:" in x], out


def test_ini_template_named_by_pserve_is_production(tmp_path: Path) -> None:
    # the image's ini is made from the tracked template (docker/manager.dockerfile, config/app.ini.example)
    files = authsvc(ini_name="config/authsvc.ini.example")
    files["docker/manager.dockerfile"] = files.pop("Dockerfile").replace("COPY ./config/authsvc.ini $APP_CONFIG_DIR/authsvc.ini\n", "")
    out = run(tmp_path, files)
    assert [x for x in out if x.startswith("config/authsvc.ini.example:") and "secrets:" in x], out


@pytest.mark.parametrize("name,text", [
    ("Procfile", "web: gunicorn --paste deploy/authsvc.ini -b 0.0.0.0:$PORT\n"),
    ("deploy/uwsgi.ini", "[uwsgi]\nini-paste = %(here)s/authsvc.ini\nlimit-post = 1048576\n"),
    ("deploy/authsvc.service", "[Service]\nExecStart=/srv/venv/bin/pserve /srv/authsvc/deploy/authsvc.ini\n"),
])
def test_ini_named_by_other_start_ups_is_production(tmp_path: Path, name: str, text: str) -> None:
    files = authsvc(ini_name="deploy/authsvc.ini", **{name: text})
    files.pop("Dockerfile")
    out = run(tmp_path, files)
    assert [x for x in out if x.startswith("deploy/authsvc.ini:") and "secrets:" in x], out


def test_served_ini_with_nothing_to_flag_passes(tmp_path: Path) -> None:
    problems, ctx = run_files_hook(HOOK, tmp_path, authsvc(extra="authsvc.secret ="), None, checklist=True)
    assert problems == []
    assert "config/authsvc.ini (Pyramid;" in "".join(ctx.output)


@pytest.mark.parametrize("name,text", [
    ("docker-compose.dev.yml", "services:\n  web:\n    build: .\n    command: pserve config/authsvc.ini\n"),
    ("Procfile", "web: pserve --reload config/authsvc.ini\n"),
    ("docs/deploy.sh", "pserve config/authsvc.ini\n"),
    ("Dockerfile.test", "FROM python:3.12\nCMD pserve config/authsvc.ini\n"),
])
def test_ini_started_only_for_development_tests_or_docs_is_not_production(tmp_path: Path, name: str, text: str) -> None:
    files = authsvc(**{name: text})
    files.pop("Dockerfile")
    problems, ctx = run_files_hook(HOOK, tmp_path, files, None)
    assert problems == [], problems
    assert any("no production settings found" in n for n in ctx.notices), ctx.notices
