"""check-security-settings, held-out round 9's wrong classes fixed as classes: a
per-install ``settings_local`` module that a production start-up names is the
production layer (the file the production image copies into its place, else a
production-named template, else the module or its template), and a start-up naming
one the repo holds no file of leaves the base layer's SECRET_KEY unknown; a
match-all CORS origin regex without credentials is no finding, as
CORS_ALLOW_ALL_ORIGINS is not. Catch / leave-alone pairs on files shaped like the
real ones (written here)."""
from __future__ import annotations

from pathlib import Path

from hooks.checks.check_security_settings import HOOK
from hooks.checks.check_security_settings.django import _matches_every_origin
from tests.helpers.security import run_files_hook


def run(tmp_path: Path, files: dict[str, str], **options: object):
    return run_files_hook(HOOK, tmp_path, files, None, **options)


def findings(problems) -> dict[str, str]:
    return {p.identity[0]: f"{p.path}:{p.line}: {p.message}" for p in problems}


# ---- a per-install settings_local named by the production start-up ----

BASE = '''\
import os

TOP_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEBUG = False
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "mainsite"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "mainsite.urls"
LOGGING = {"version": 1, "root": {"handlers": ["console"], "level": "INFO"},
           "handlers": {"console": {"class": "logging.StreamHandler"}}}
'''
WSGI = '''\
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "apps"))

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "mainsite.settings_local"

application = get_wsgi_application()
'''
PROD_TEMPLATE = '''\
# settings_local.py is for all instance specific settings
import random
import string
from .settings import *

DEBUG = False
ALLOWED_HOSTS = ["badges.example.org"]
SECRET_KEY = "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(40))
'''
DEV_TEMPLATE = '''\
from .settings import *

DEBUG = True
ALLOWED_HOSTS = ["*"]
SECRET_KEY = "dev-only"
'''
DOCKERFILE_PROD = '''\
FROM python:3.7-slim
WORKDIR /srv
COPY wsgi.py                             /srv
COPY apps                                /srv/apps
COPY .docker/etc/settings_local.prod.py  /srv/apps/mainsite/settings_local.py
'''
COMPOSE_DEV = '''\
services:
  api:
    build:
      context: .
      dockerfile: .docker/Dockerfile.dev
    volumes:
      - ./apps:/srv/apps
      - ./.docker/etc/settings_local.dev.py:/srv/apps/mainsite/settings_local.py
'''


def _site(**extra: str) -> dict[str, str]:
    files = {"apps/mainsite/__init__.py": "", "apps/mainsite/settings.py": BASE, "wsgi.py": WSGI}
    files.update(extra)
    return files


def test_the_file_the_production_image_copies_in_is_production(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, _site(**{
        ".docker/Dockerfile.prod": DOCKERFILE_PROD,
        ".docker/etc/settings_local.prod.py.example": PROD_TEMPLATE,
        ".docker/etc/settings_local.dev.py.example": DEV_TEMPLATE,
        "apps/mainsite/settings_local.py.example": DEV_TEMPLATE,
        "docker-compose.yml": COMPOSE_DEV,
    }))
    got = findings(problems)
    assert "secrets.secret_key" not in got  # the template sets it, at start-up
    assert "permissions.allowed_hosts" not in got  # the prod template's hosts, not the dev one's '*'
    # the base layer it star-imports (read from where the image puts it) still lacks SecurityMiddleware
    assert "headers.security_middleware" in got or any("SecurityMiddleware" in m for m in got.values()), got
    assert all(m.startswith(".docker/etc/settings_local.prod.py.example") for m in got.values()), got


def test_a_production_named_template_is_production_without_a_copy(tmp_path: Path) -> None:
    template = PROD_TEMPLATE.replace('["badges.example.org"]', '["*"]')
    problems, _ = run(tmp_path, _site(**{"apps/mainsite/settings_local.prod.py.example": template}))
    got = findings(problems)
    assert "secrets.secret_key" not in got
    assert got["permissions.allowed_hosts"].startswith("apps/mainsite/settings_local.prod.py.example:"), got


def test_the_template_beside_the_module_is_judged(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, _site(**{"apps/mainsite/settings_local.py.example": PROD_TEMPLATE}))
    got = findings(problems)
    assert "secrets.secret_key" not in got
    assert any(m.startswith("apps/mainsite/settings_local.py.example") for m in got.values()), got


def test_a_settings_local_with_no_file_leaves_the_base_key_unknown(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, _site())
    got = findings(problems)
    assert "secrets.secret_key" not in got, got


def test_without_a_start_up_naming_it_the_single_settings_module_still_needs_a_key(tmp_path: Path) -> None:
    files = _site()
    files["wsgi.py"] = WSGI.replace("mainsite.settings_local", "mainsite.settings")
    problems, _ = run(tmp_path, files)
    assert "secrets.secret_key" in findings(problems)


def test_a_dev_mount_of_settings_local_is_not_production(tmp_path: Path) -> None:
    # only a development compose file puts a file in place: the dev template is not judged as production
    problems, _ = run(tmp_path, _site(**{".docker/etc/settings_local.dev.py.example": DEV_TEMPLATE, "docker-compose.dev.yml": COMPOSE_DEV}))
    got = findings(problems)
    assert not any(".docker/etc/settings_local.dev.py.example" in m for m in got.values()), got


def test_a_cookiecutter_local_layer_stays_development(tmp_path: Path) -> None:
    # settings/local.py is a developer's layer by name, not the per-install settings_local module
    files = {"config/__init__.py": "", "config/settings/__init__.py": "", "config/settings/base.py": BASE,
             "config/settings/local.py": DEV_TEMPLATE.replace(".settings", ".base"),
             "config/wsgi.py": WSGI.replace("mainsite.settings_local", "config.settings.local")}
    problems, _ = run(tmp_path, files)
    got = findings(problems)
    assert not any("config/settings/local.py" in m for m in got.values()), got


# ---- a match-all CORS origin regex ----

CORS = '''\
import environ

env = environ.Env()
DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "corsheaders", "api"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ALLOWED_HOSTS = ["api.example.org"]
CORS_ALLOWED_ORIGIN_REGEXES = env.list("DJANGO_CORS_ALLOWED_ORIGIN_REGEXES", default=[@REGEX@])
@CREDENTIALS@
'''


def _cors(tmp_path: Path, regex: str, credentials: str = "") -> dict[str, str]:
    problems, _ = run(tmp_path, {"api/__init__.py": "", "api/settings.py": CORS.replace("@REGEX@", regex).replace("@CREDENTIALS@", credentials)})
    return {k: v for k, v in findings(problems).items() if k == "permissions.cors"}


def test_a_match_all_regex_without_credentials_is_no_finding(tmp_path: Path) -> None:
    assert _cors(tmp_path, '".*"') == {}


def test_a_match_all_regex_with_credentials_is_a_finding(tmp_path: Path) -> None:
    got = _cors(tmp_path, '"^https?://.*$"', "CORS_ALLOW_CREDENTIALS = True")
    assert "CORS_ALLOWED_ORIGIN_REGEXES" in got["permissions.cors"]


def test_an_anchored_regex_with_credentials_is_no_finding(tmp_path: Path) -> None:
    assert _cors(tmp_path, r'r"^https://(\w+\.)?example\.org$"', "CORS_ALLOW_CREDENTIALS = True") == {}


def test_match_all_patterns() -> None:
    for pattern in (".*", "^.*$", ".+", "^.+$", "^https?://.*$", "https://.+"):
        assert _matches_every_origin(pattern), pattern
    for pattern in (r"^https://(\w+\.)?example\.org$", r"^https://.*\.example\.org$", r"^http://localhost(:\d+)?$"):
        assert not _matches_every_origin(pattern), pattern


# ---- a Flask app's own SessionInterface sets the session cookie ----

FLASK_APP = '''\
import os

from flask import Flask, session

from .redissession import RedisSessionInterface

app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ["SECRET_KEY"],
    SESSION_COOKIE_SECURE=True,
    SESSION_COOKIE_SAMESITE="Lax",
    MAX_CONTENT_LENGTH=1024 * 1024,
)
@INSTALL@


@app.route("/")
def index():
    session["seen"] = True
    return "ok"
'''
INTERFACE = '''\
import pickle
from uuid import uuid4

from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict


class RedisSession(CallbackDict, SessionMixin):
    pass


class RedisSessionInterface(SessionInterface):
    serializer = pickle
    session_class = RedisSession

    def __init__(self, redis, prefix="session:"):
        self.redis = redis
        self.prefix = prefix

    def open_session(self, app, request):
        return self.session_class()

    def save_session(self, app, session, response):
        domain = self.get_cookie_domain(app)
        sid = str(uuid4())
        self.redis.setex(self.prefix + sid, 3600, self.serializer.dumps(dict(session)))
        response.set_cookie(
            app.session_cookie_name,
            sid,
            httponly=True,
            domain=domain,@SECURE@
        )
'''


def _flask(tmp_path: Path, install: bool = True, secure: str = "") -> dict[str, str]:
    app = FLASK_APP.replace("@INSTALL@", "app.session_interface = RedisSessionInterface(redis_conn)" if install else "")
    problems, _ = run(tmp_path, {"web/__init__.py": "", "web/app.py": app,
                                 "web/redissession.py": INTERFACE.replace("@SECURE@", secure)})
    return findings(problems)


def test_an_own_session_interface_without_secure_is_a_finding(tmp_path: Path) -> None:
    got = _flask(tmp_path)
    assert got["headers.session_cookie_secure"].startswith("web/redissession.py:"), got
    assert "RedisSessionInterface.save_session" in got["headers.session_cookie_secure"]


def test_an_own_session_interface_that_reads_the_setting_is_no_finding(tmp_path: Path) -> None:
    got = _flask(tmp_path, secure="\n            secure=self.get_cookie_secure(app),")
    assert "headers.session_cookie_secure" not in got, got


def test_a_session_interface_the_app_does_not_install_changes_nothing(tmp_path: Path) -> None:
    got = _flask(tmp_path, install=False)
    assert "headers.session_cookie_secure" not in got, got
