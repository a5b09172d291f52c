"""check-security-settings: catch / leave-alone pairs per framework, on small
projects shaped like real ones (layers, app factories, ini chains, confs)."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.check_security_settings import HOOK
from hooks.core.api import UsageError
from tests.helpers.security import FakeContext, run_files_hook

GOOD_KEY = "Zq8#vN2$kLp9@wX4!mR7^tY1&bH6*cJ3(eF5)gD0-sA_uI+oQpW"

BASE = '''\
import os

import environ

env = environ.Env()
SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["shop.example.com"])
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "rest_framework",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "shop.urls"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
'''
PRODUCTION = '''\
from .base import *  # noqa: F401,F403

SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
'''
STAGING = '''\
from .base import *  # noqa

SECURE_HSTS_SECONDS = 0
'''


def django(extra_base: str = "", extra_prod: str = "", more: dict[str, str] | None = None) -> dict[str, str]:
    files = {
        "shop/__init__.py": "",
        "shop/settings/__init__.py": "",
        "shop/settings/base.py": BASE + extra_base,
        "shop/settings/production.py": PRODUCTION + extra_prod,
        "shop/settings/staging.py": STAGING,
        "shop/views.py": "def index(request):\n    return None\n",
    }
    files.update(more or {})
    return files


def run(tmp_path: Path, files: dict[str, str], paths: list[str] | None = None, **options: object):
    return run_files_hook(HOOK, tmp_path, files, paths, **options)


def items(problems) -> list[str]:
    return sorted(p.identity[0] for p in problems)


# ---- Django ------------------------------------------------------------

def test_django_layers_clean(tmp_path: Path) -> None:
    problems, ctx = run(tmp_path, django(), checklist=True)
    assert problems == []
    table = "".join(ctx.output)
    assert "shop/settings/production.py (Django; layers: shop/settings/base.py -> shop/settings/production.py)" in table
    for group in ("permissions", "secrets", "headers", "upload limits", "logging"):
        assert f"| {group} | met |" in table
    assert ctx.checked == ["shop/settings/production.py"]  # staging is not production


def test_django_upload_limit_off_in_base_is_reported_at_line_1_of_production(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, django(extra_base="DATA_UPLOAD_MAX_MEMORY_SIZE = None\n"))
    assert len(problems) == 1
    p = problems[0]
    assert (p.path, p.line) == ("shop/settings/production.py", 1)
    assert p.message.startswith("upload limits: DATA_UPLOAD_MAX_MEMORY_SIZE is None (set in shop/settings/base.py:") is False
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE is None (shop/settings/base.py:" in p.message
    assert "client_max_body_size" in p.message


def test_django_upload_limit_covered_by_nginx(tmp_path: Path) -> None:
    nginx = "server {\n    listen 80;\n    server_name shop.example.com;\n    client_max_body_size 10m;\n}\n"
    problems, ctx = run(tmp_path, django(extra_base="DATA_UPLOAD_MAX_MEMORY_SIZE = None\n", more={"deploy/nginx/shop.conf": nginx}), checklist=True)
    assert problems == []
    assert "client_max_body_size 10m in deploy/nginx/shop.conf:4" in "".join(ctx.output)


def test_django_uwsgi_limit_post_covers_uploads(tmp_path: Path) -> None:
    uwsgi = "[uwsgi]\nmodule = shop.wsgi\nlimit-post = 20971520\n"
    problems, _ = run(tmp_path, django(extra_base="FILE_UPLOAD_MAX_MEMORY_SIZE = None\n", more={"uwsgi.ini": uwsgi}))
    assert problems == []


def test_django_offending_line_in_the_entry_point(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, django(extra_prod="ALLOWED_HOSTS = ['*']\n"))
    assert items(problems) == ["permissions.allowed_hosts"]
    assert problems[0].line == 7
    assert "any Host header is accepted" in problems[0].message


def test_django_missing_middleware_appended_in_production_is_seen(tmp_path: Path) -> None:
    base = BASE.replace('    "django.middleware.clickjacking.XFrameOptionsMiddleware",\n', "")
    files = django()
    files["shop/settings/base.py"] = base
    problems, _ = run(tmp_path, files)
    assert items(problems) == ["headers.xframe_middleware"]
    files["shop/settings/production.py"] = PRODUCTION + 'MIDDLEWARE += ["django.middleware.clickjacking.XFrameOptionsMiddleware"]\n'
    problems, _ = run(tmp_path / "again", files)
    assert problems == []


def test_django_append_and_insert(tmp_path: Path) -> None:
    base = BASE.replace('    "django.middleware.security.SecurityMiddleware",\n', "")
    files = django(extra_prod='MIDDLEWARE.insert(0, "django.middleware.security.SecurityMiddleware")\n')
    files["shop/settings/base.py"] = base
    assert run(tmp_path, files)[0] == []


def test_django_secret_literal_and_weak_default(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, django(extra_prod=f'SECRET_KEY = "{GOOD_KEY}"\n'))
    assert items(problems) == ["secrets.secret_key"]
    assert GOOD_KEY not in problems[0].message and "Zq…, 51 chars" in problems[0].message
    problems, _ = run(tmp_path / "b", django(extra_prod='SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-123")\n'))
    assert items(problems) == ["secrets.secret_key"]
    assert "defaults to a weak key when DJANGO_SECRET_KEY is unset" in problems[0].message


def test_django_secret_from_file_passes(tmp_path: Path) -> None:
    prod = 'with open("/run/secrets/django_key") as f:\n    SECRET_KEY = f.read().strip()\n'
    assert run(tmp_path, django(extra_prod=prod))[0] == []
    assert run(tmp_path / "b", django(extra_prod='SECRET_KEY = open("/run/secrets/key").read().strip()\n'))[0] == []


def test_django_env_default_judged(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, django(extra_prod='SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)\n'))
    assert items(problems) == ["headers.session_cookie_secure"]
    assert "defaults to False when SESSION_COOKIE_SECURE is unset" in problems[0].message


def test_django_env_without_default_unknown_only_with_strict(tmp_path: Path) -> None:
    files = django(extra_prod='SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS")\n')
    assert run(tmp_path, files)[0] == []
    problems, _ = run(tmp_path / "strict", files, strict=True)
    # --strict also asks for FILE_UPLOAD_DIRECTORY_PERMISSIONS (unset: the umask decides)
    assert items(problems) == ["headers.hsts", "permissions.file_upload_permissions"]
    assert all("cannot tell statically" in p.message for p in problems)


def test_django_if_guarded_assignment_is_conservative(tmp_path: Path) -> None:
    prod = PRODUCTION.replace("SESSION_COOKIE_SECURE = True\n", 'if "ssl" in os.uname().release:\n    SESSION_COOKIE_SECURE = True\n')
    files = django()
    files["shop/settings/production.py"] = prod
    problems, _ = run(tmp_path, files)
    assert items(problems) == ["headers.session_cookie_secure"]
    assert "unless" in problems[0].message


def test_django_if_on_env_default_takes_that_branch(tmp_path: Path) -> None:
    prod = PRODUCTION.replace("SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365\n", 'if not DEBUG:\n    SECURE_HSTS_SECONDS = 31536000\n')
    files = django()
    files["shop/settings/production.py"] = prod
    assert run(tmp_path, files)[0] == []


def test_django_absolute_star_import_and_chain(tmp_path: Path) -> None:
    files = django()
    files["shop/settings/production.py"] = "from shop.settings.common import *\n"
    files["shop/settings/common.py"] = "from .base import *\n" + PRODUCTION.replace("from .base import *  # noqa: F401,F403\n", "")
    problems, ctx = run(tmp_path, files, checklist=True)
    assert problems == []
    assert "layers: shop/settings/base.py -> shop/settings/common.py -> shop/settings/production.py" in "".join(ctx.output)


def test_django_logging_missing_and_debug(tmp_path: Path) -> None:
    files = django()
    files["shop/settings/base.py"] = BASE.split("LOGGING = {")[0]
    problems, _ = run(tmp_path, files)
    assert items(problems) == ["logging.logging"]
    files["shop/settings/base.py"] = BASE.replace('"level": "INFO"', '"level": "DEBUG"')
    problems, _ = run(tmp_path / "b", files)
    assert items(problems) == ["logging.logging"] and "at DEBUG" in problems[0].message


def test_django_logging_without_handlers_for_django_loggers(tmp_path: Path) -> None:
    files = django()
    files["shop/settings/base.py"] = BASE.split("LOGGING = {")[0] + 'LOGGING = {"version": 1, "loggers": {"shop": {"handlers": ["console"]}}}\n'
    problems, _ = run(tmp_path, files)
    assert "django.security" in problems[0].message


@pytest.mark.parametrize("line,item", [
    ("CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True", "permissions.cors"),
    ("CORS_ORIGIN_ALLOW_ALL = True\nCORS_ALLOW_CREDENTIALS = True", "permissions.cors"),
    ("CORS_ALLOWED_ORIGINS = ['*']", "permissions.cors"),
    ("CSRF_TRUSTED_ORIGINS = ['https://*']", "permissions.csrf_trusted_origins"),
    ("FILE_UPLOAD_PERMISSIONS = 0o666", "permissions.file_upload_permissions"),
    ("FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o777", "permissions.file_upload_permissions"),
    ("REST_FRAMEWORK = {'DEFAULT_PERMISSION_CLASSES': ['rest_framework.permissions.AllowAny']}", "permissions.drf_default_permissions"),
    ("SESSION_COOKIE_SAMESITE = 'None'", "headers.cookie_samesite"),
    ("DATA_UPLOAD_MAX_NUMBER_FIELDS = None", "uploads.data_upload_max_number_fields"),
    ("SECURE_CONTENT_TYPE_NOSNIFF = False", "headers.nosniff"),
    ("X_FRAME_OPTIONS = 'SAMEORIGIN'", "headers.x_frame_options"),
])
def test_django_catches(tmp_path: Path, line: str, item: str) -> None:
    assert items(run(tmp_path, django(extra_prod=line + "\n"))[0]) == [item]


@pytest.mark.parametrize("line", [
    "CORS_ALLOWED_ORIGINS = ['https://shop.example.com']",
    "CORS_ALLOW_ALL_ORIGINS = False",
    "CORS_ALLOW_ALL_ORIGINS = True",  # every origin without credentials: a public API's choice
    "CSRF_TRUSTED_ORIGINS = ['https://shop.example.com']",
    "FILE_UPLOAD_PERMISSIONS = 0o644",
    "FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o755",
    "REST_FRAMEWORK = {'DEFAULT_PERMISSION_CLASSES': ['rest_framework.permissions.IsAuthenticated']}",
    "SESSION_COOKIE_SAMESITE = 'Strict'",
    "DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000",
    "X_FRAME_OPTIONS = 'DENY'",
])
def test_django_leaves_alone(tmp_path: Path, line: str) -> None:
    assert run(tmp_path, django(extra_prod=line + "\n"))[0] == []


def test_nginx_headers_cover_hsts(tmp_path: Path) -> None:
    nginx = 'server {\n  listen 443 ssl;\n  add_header Strict-Transport-Security "max-age=31536000" always;\n}\n'
    prod = PRODUCTION.replace("SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365\n", "")
    files = django(more={"nginx/site.conf": nginx})
    files["shop/settings/production.py"] = prod
    problems, ctx = run(tmp_path, files, checklist=True)
    assert problems == []
    files2 = django()
    files2["shop/settings/production.py"] = prod
    assert items(run(tmp_path / "b", files2)[0]) == ["headers.hsts"]


def test_skip_option(tmp_path: Path) -> None:
    files = django(extra_prod="SECURE_HSTS_SECONDS = 0\n")
    problems, ctx = run(tmp_path, files, skip=["headers.hsts"], checklist=True)
    assert problems == []
    assert items(run(tmp_path / "b", files, skip=["logging"])[0]) == ["headers.hsts"]


def test_skip_unknown_item_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        FakeContext(HOOK, skip=["headers.hstss"])


def test_single_settings_py_is_production(tmp_path: Path) -> None:
    files = {"mysite/settings.py": BASE + 'SESSION_COOKIE_SECURE = True\nSECURE_SSL_REDIRECT = os.environ.get("SSL", "0") == "1"\n',
             "mysite/urls.py": ""}
    problems, _ = run(tmp_path, files)
    assert "headers.ssl_redirect" in items(problems)
    assert all(p.path == "mysite/settings.py" for p in problems)


def test_changed_base_rechecks_production_and_unrelated_change_does_not(tmp_path: Path) -> None:
    files = django(extra_base="DATA_UPLOAD_MAX_MEMORY_SIZE = None\n")
    problems, ctx = run(tmp_path, files, paths=["shop/settings/base.py"])
    assert [p.path for p in problems] == ["shop/settings/production.py"]
    problems, ctx = run(tmp_path / "b", files, paths=["shop/views.py"])
    assert problems == [] and ctx.checked == []
    assert any("nothing to check" in n for n in ctx.notices)


def test_explicit_production_settings(tmp_path: Path) -> None:
    files = django()
    files["shop/settings/live_eu.py"] = 'from .base import *\nCSRF_TRUSTED_ORIGINS = ["https://eu.shop.example.com"]\n'
    problems, _ = run(tmp_path, files, production_settings=["shop/settings/live_eu.py"])
    assert {p.path for p in problems} == {"shop/settings/live_eu.py"}
    assert "headers.hsts" in items(problems)


def test_no_production_settings_says_so(tmp_path: Path) -> None:
    problems, ctx = run(tmp_path, {"README.md": "hi\n", "lib/util.py": "X = 1\n"})
    assert problems == [] and any("no production settings found" in n for n in ctx.notices)


def test_broken_settings_do_not_crash(tmp_path: Path) -> None:
    files = django()
    files["shop/settings/production.py"] = "from .base import *\nSECRET_KEY = (\n"
    problems, _ = run(tmp_path, files)
    assert problems == []  # unparsable: skipped quietly, no traceback


# ---- Flask -------------------------------------------------------------

FLASK_CONFIG = '''\
import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SESSION_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    TRUSTED_HOSTS = ["app.example.com"]


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True


class DevelopmentConfig(Config):
    SECRET_KEY = "dev"
    SESSION_COOKIE_SECURE = False
'''
FLASK_APP = '''\
import logging.config

from flask import Flask
from flask_login import LoginManager
from flask_talisman import Talisman


def create_app(config_name="production"):
    app = Flask(__name__)
    app.config.from_object(f"app.config.{config_name}")
    Talisman(app)
    LoginManager(app)
    logging.config.dictConfig({"version": 1})
    return app
'''


def flask(config: str = FLASK_CONFIG, app: str = FLASK_APP) -> dict[str, str]:
    return {"app/__init__.py": app, "app/config.py": config}


def test_flask_production_class_clean(tmp_path: Path) -> None:
    problems, ctx = run(tmp_path, flask(), checklist=True)
    assert problems == []
    assert "app/config.py:ProductionConfig (Flask" in "".join(ctx.output)


def test_flask_class_inheritance_and_factory_override(tmp_path: Path) -> None:
    app = FLASK_APP.replace("    Talisman(app)\n", '    Talisman(app, force_https=False)\n    app.config["SECRET_KEY"] = "hardcoded-in-factory"\n')
    problems, _ = run(tmp_path, flask(app=app))
    assert items(problems) == ["headers.security_headers", "secrets.secret_key"]


def test_flask_missing_settings(tmp_path: Path) -> None:
    config = FLASK_CONFIG.replace("    MAX_CONTENT_LENGTH = 16 * 1024 * 1024\n", "").replace('    SESSION_COOKIE_SAMESITE = "Lax"\n', "")
    app = FLASK_APP.replace("    Talisman(app)\n", "").replace('    logging.config.dictConfig({"version": 1})\n', "")
    problems, _ = run(tmp_path, flask(config, app))
    # Not set: SameSite is the browser's default (as for Django); the headers and the body limit are the
    # front server's, whose config is not in the repo (issue 21): --strict reports them.
    assert problems == []
    problems, _ = run(tmp_path / "s", flask(config, app), strict=True)
    assert items(problems) == ["headers.cookie_samesite", "headers.hsts", "headers.security_headers", "logging.logging", "uploads.max_content_length"]
    assert all(p.path == "app/config.py" for p in problems)
    # With the nginx in front in the repo, what it does not send is its to add, at its server block.
    files = flask(config, app)
    files["deploy/nginx/app.conf"] = "server {\n    listen 443 ssl;\n    location / { proxy_pass http://app:8000; }\n}\n"
    problems, _ = run(tmp_path / "n", files)
    assert items(problems) == ["headers.hsts", "headers.security_headers"]
    assert {(p.path, p.line) for p in problems} == {("deploy/nginx/app.conf", 3)}
    assert "add_header X-Frame-Options DENY in deploy/nginx/app.conf" in problems[1].message


def test_flask_cors_star_with_credentials(tmp_path: Path) -> None:
    app = FLASK_APP.replace("    Talisman(app)\n", '    Talisman(app)\n    CORS(app, origins="*", supports_credentials=True)\n')
    assert items(run(tmp_path, flask(app=app))[0]) == ["permissions.cors"]
    app = FLASK_APP.replace("    Talisman(app)\n", '    Talisman(app)\n    CORS(app, origins=["https://app.example.com"], supports_credentials=True)\n')
    assert run(tmp_path / "b", flask(app=app))[0] == []


# ---- FastAPI -----------------------------------------------------------

FASTAPI_MAIN = '''\
import logging
import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.httpsredirect import HTTPSRedirectMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from starlette.middleware.sessions import SessionMiddleware

logging.basicConfig(level=logging.INFO)
app = FastAPI()
app.add_middleware(HTTPSRedirectMiddleware)
app.add_middleware(TrustedHostMiddleware, allowed_hosts=["api.example.com"])
app.add_middleware(SessionMiddleware, secret_key=os.environ["SESSION_SECRET"], https_only=True)
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)
'''
NGINX = "server {\n    listen 443 ssl;\n    server_name api.example.com;\n    client_max_body_size 5m;\n}\n"


def test_fastapi_clean(tmp_path: Path) -> None:
    problems, ctx = run(tmp_path, {"app/main.py": FASTAPI_MAIN, "deploy/nginx.conf": NGINX}, checklist=True)
    assert problems == []
    assert "app/main.py (FastAPI/Starlette" in "".join(ctx.output)


@pytest.mark.parametrize("old,new,item", [
    ('allow_origins=["https://app.example.com"]', 'allow_origins=["*"]', "permissions.cors"),
    ('allowed_hosts=["api.example.com"]', 'allowed_hosts=["*"]', "permissions.trusted_hosts"),
    ('secret_key=os.environ["SESSION_SECRET"]', 'secret_key="s3cr3t"', "secrets.session_secret"),
    ("https_only=True", "https_only=False", "headers.session_cookie_secure"),
    ("app.add_middleware(HTTPSRedirectMiddleware)\n", "", "headers.https"),
    ("logging.basicConfig(level=logging.INFO)\n", "", "logging.logging"),
])
def test_fastapi_catches(tmp_path: Path, old: str, new: str, item: str) -> None:
    main = FASTAPI_MAIN.replace(old, new)
    assert items(run(tmp_path, {"app/main.py": main, "deploy/nginx.conf": NGINX})[0]) == [item]


def test_fastapi_middleware_list_and_no_server_limit(tmp_path: Path) -> None:
    main = '''\
import logging.config
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

logging.config.dictConfig({"version": 1})
middleware = [
    Middleware(TrustedHostMiddleware, allowed_hosts=["*"]),
    Middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True),
]
app = Starlette(middleware=middleware)
'''
    problems, _ = run(tmp_path, {"service/app.py": main})
    # No proxy config in the repo: HTTPS and the body limit are the deployment's (issue 21), --strict reports them.
    assert items(problems) == ["permissions.cors", "permissions.trusted_hosts"]
    problems, _ = run(tmp_path, {"service/app.py": main}, strict=True)
    assert items(problems) == ["headers.https", "permissions.cors", "permissions.trusted_hosts", "uploads.server_limit"]
    problems, _ = run(tmp_path, {"service/app.py": main, "deploy/nginx.conf": "server {\n  location / { proxy_pass http://app:8000; client_max_body_size 0; "
                                                                              "}\n}\n"})
    # nothing says it is served over HTTPS: the redirect is not judged
    assert items(problems) == ["permissions.cors", "permissions.trusted_hosts", "uploads.server_limit"]


# ---- Pyramid -----------------------------------------------------------

PYRAMID_BASE = '''\
[app:main]
use = egg:tutorial
pyramid.reload_templates = false
session.secret = %(ENV_SESSION_SECRET)s
session.secure = true
session.httponly = true

[server:main]
use = egg:waitress#main
listen = *:6543

[loggers]
keys = root, tutorial

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
'''
PYRAMID_PROD = '''\
[app:main]
use = config:%(here)s/base.ini#main
pyramid.includes =
    pyramid_tm

[uwsgi]
limit-post = 10485760
'''


def test_pyramid_production_ini_chain_clean(tmp_path: Path) -> None:
    problems, ctx = run(tmp_path, {"base.ini": PYRAMID_BASE, "production.ini": PYRAMID_PROD}, checklist=True)
    assert problems == []
    assert "production.ini (Pyramid; layers: base.ini -> production.ini)" in "".join(ctx.output)


@pytest.mark.parametrize("where,old,new,item", [
    ("production.ini", "    pyramid_tm\n", "    pyramid_tm\n    pyramid_debugtoolbar\n", "permissions.debugtoolbar"),
    ("base.ini", "%(ENV_SESSION_SECRET)s", "itsaseekreet", "secrets.session_secret"),
    ("base.ini", "session.httponly = true", "session.httponly = false", "headers.session_cookie"),
    ("base.ini", "level = WARN", "level = DEBUG", "logging.logging"),
    ("production.ini", "limit-post = 10485760\n", "", "uploads.server_limit"),
])
def test_pyramid_catches(tmp_path: Path, where: str, old: str, new: str, item: str) -> None:
    files = {"base.ini": PYRAMID_BASE, "production.ini": PYRAMID_PROD}
    files[where] = files[where].replace(old, new)
    problems, _ = run(tmp_path, files)
    assert items(problems) == [item]
    assert problems[0].path == "production.ini"


def test_pyramid_session_factory_in_code(tmp_path: Path) -> None:
    code = ("from pyramid.session import SignedCookieSessionFactory\n\n"
            "def main(g, **settings):\n    f = SignedCookieSessionFactory(settings['session.secret'])\n")
    files = {"base.ini": PYRAMID_BASE, "production.ini": PYRAMID_PROD, "tutorial/__init__.py": code}
    problems, _ = run(tmp_path, files)
    assert items(problems) == ["headers.session_cookie"]
    files["tutorial/__init__.py"] = code.replace("])", "], secure=True, httponly=True)")
    assert run(tmp_path / "b", files)[0] == []


def test_every_reported_item_is_in_the_catalogue(tmp_path: Path) -> None:
    from hooks.common.security_catalogue import items_for

    bad = ("SECRET_KEY = 'x'\nSECRET_KEY_FALLBACKS = ['y']\nMIDDLEWARE = []\nALLOWED_HOSTS = ['*']\nLOGGING = {}\n"
           "DATA_UPLOAD_MAX_MEMORY_SIZE = None\nFILE_UPLOAD_MAX_MEMORY_SIZE = None\nDATA_UPLOAD_MAX_NUMBER_FIELDS = None\n"
           "CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\nCSRF_TRUSTED_ORIGINS = ['*']\nFILE_UPLOAD_PERMISSIONS = 0o777\n")
    files = django(extra_prod=bad, more={"gunicorn.conf.py": "limit_request_line = 0\n"})
    problems, _ = run(tmp_path, files)
    ids = {i.id for i in items_for("django")}
    assert {p.identity[0] for p in problems} <= ids
    assert len({p.identity[0] for p in problems}) >= 12


def test_waitress_body_limit_and_ingress_annotation_cover_uploads(tmp_path: Path) -> None:
    prod = PYRAMID_PROD.replace("limit-post = 10485760\n", "")
    files = {"base.ini": PYRAMID_BASE.replace("listen = *:6543", "listen = *:6543\nmax_request_body_size = 10485760"), "production.ini": prod}
    assert run(tmp_path, files)[0] == []
    files = {"base.ini": PYRAMID_BASE, "production.ini": prod,
             "chart/values-production.yaml": "ingress:\n  annotations:\n    nginx.ingress.kubernetes.io/proxy-body-size: \"8m\"\n"}
    assert run(tmp_path / "b", files)[0] == []


def test_removing_an_nginx_limit_rechecks_django(tmp_path: Path) -> None:
    files = django(extra_base="DATA_UPLOAD_MAX_MEMORY_SIZE = None\n", more={"deploy/nginx.conf": "server {\n    listen 80;\n}\n"})
    problems, ctx = run(tmp_path, files, paths=["deploy/nginx.conf"])
    assert items(problems) == ["uploads.data_upload_max_memory_size"]


PYDANTIC_CONFIG = '''\
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    PROJECT_NAME: str = "api"
    SESSION_SECRET: str
    BACKEND_CORS_ORIGINS: list[str] = ["*"]
    ALLOWED_HOSTS: list[str] = ["api.example.com"]


settings = Settings()
'''
PYDANTIC_MAIN = '''\
import logging

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from starlette.middleware.sessions import SessionMiddleware

from app.core.config import settings

logging.basicConfig()
app = FastAPI()
app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.ALLOWED_HOSTS)
app.add_middleware(SessionMiddleware, secret_key=settings.SESSION_SECRET, https_only=True)
app.add_middleware(CORSMiddleware, allow_origins=settings.BACKEND_CORS_ORIGINS, allow_credentials=True)
'''


def test_fastapi_values_from_a_pydantic_settings_class(tmp_path: Path) -> None:
    files = {"app/__init__.py": "", "app/core/__init__.py": "", "app/core/config.py": PYDANTIC_CONFIG,
             "app/main.py": PYDANTIC_MAIN, "deploy/nginx.conf": NGINX.replace("server_name", "return 301 https://$host$request_uri;\n    server_name")}
    problems, ctx = run(tmp_path, files, checklist=True)
    assert items(problems) == ["permissions.cors"]  # BACKEND_CORS_ORIGINS defaults to ["*"] when unset
    table = "".join(ctx.output)
    assert "secret_key is read from SESSION_SECRET with no default" in table
    files["app/core/config.py"] = PYDANTIC_CONFIG.replace('["*"]', '["https://app.example.com"]')
    assert run(tmp_path / "b", files)[0] == []


def test_pyramid_debugtoolbar_included_in_code(tmp_path: Path) -> None:
    code = "def main(global_config, **settings):\n    config = Configurator(settings=settings)\n    config.include('pyramid_debugtoolbar')\n"
    files = {"base.ini": PYRAMID_BASE, "production.ini": PYRAMID_PROD, "tutorial/__init__.py": code}
    assert items(run(tmp_path, files)[0]) == ["permissions.debugtoolbar"]
    files["tutorial/__init__.py"] = code.replace("pyramid_debugtoolbar", "pyramid_tm")
    assert run(tmp_path / "b", files)[0] == []


def test_django_environ_scheme_defaults(tmp_path: Path) -> None:
    base = BASE.replace("env = environ.Env()", "env = environ.Env(DJANGO_ALLOWED_HOSTS=(list, ['*']), SSL=(bool, False))")
    files = django(extra_prod='SECURE_SSL_REDIRECT = env("SSL")\n')
    files["shop/settings/base.py"] = base.replace('ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["shop.example.com"])',
                                                  'ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS")')
    problems, _ = run(tmp_path, files)
    assert items(problems) == ["headers.ssl_redirect", "permissions.allowed_hosts"]
    assert any("defaults to ['*'] when DJANGO_ALLOWED_HOSTS is unset" in p.message for p in problems)


def test_flask_from_pyfile_and_factory_assignments(tmp_path: Path) -> None:
    app = (
        "from flask import Flask\nfrom flask_talisman import Talisman\n\n\ndef create_app():\n"
        "    app = Flask(__name__)\n    app.config.from_pyfile('settings.cfg')\n    Talisman(app)\n"
        "    app.logger.addHandler(handler)\n    return app\n"
    )
    cfg = ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nSESSION_COOKIE_SAMESITE = 'Lax'\n"
           "TRUSTED_HOSTS = ['app.example.com']\nMAX_CONTENT_LENGTH = None\n")
    problems, ctx = run(tmp_path, {"web/__init__.py": app, "web/settings.cfg": cfg}, checklist=True)
    assert items(problems) == ["uploads.max_content_length"]
    assert "layers: web/__init__.py -> web/settings.cfg" in "".join(ctx.output)


def test_pyramid_secret_in_an_app_section(tmp_path: Path) -> None:
    files = {"base.ini": PYRAMID_BASE + "\n[myservice]\nsecret = 0123456789abcdef\n", "production.ini": PYRAMID_PROD}
    assert items(run(tmp_path, files)[0]) == ["secrets.session_secret"]


def test_main_reads_skip_from_pyproject_and_prints_the_checklist(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from hooks.checks.check_security_settings import main
    from tests.helpers.security import make_repo

    files = django(extra_prod="SECURE_HSTS_SECONDS = 0\nDATA_UPLOAD_MAX_MEMORY_SIZE = None\n")
    files["pyproject.toml"] = '[tool.legacy-config-hooks.check-security-settings]\n# the ALB sends HSTS\nskip = ["headers.hsts"]\n'
    make_repo(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    assert main(["--checklist"]) == 1
    out = capsys.readouterr().out
    assert "| upload limits | not met |" in out
    assert "shop/settings/production.py:8:1: check-security-settings: upload limits: DATA_UPLOAD_MAX_MEMORY_SIZE is None" in out
    assert "SECURE_HSTS_SECONDS" not in out.split("\n\n")[-1]
    assert main(["--skip", "nope"]) == 2


def test_flask_from_object_module_and_class_without_production_names(tmp_path: Path) -> None:
    app = ("from flask import Flask\nfrom flask_talisman import Talisman\n\napp = Flask(__name__)\n"
           "app.config.from_object('web.settings')\nTalisman(app)\n")
    settings = ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nSESSION_COOKIE_SAMESITE = 'Lax'\n"
                "TRUSTED_HOSTS = ['a.example.com']\nMAX_CONTENT_LENGTH = 1024\nLOGGING = {'version': 1}\n")
    problems, ctx = run(tmp_path, {"web/__init__.py": app, "web/settings.py": settings}, checklist=True)
    assert problems == [] and ctx.checked == ["web/settings.py"]
    app2 = app.replace("'web.settings'", "'web.conf.Default'")
    conf = "import os\n\nclass Default:\n" + "".join("    " + line + "\n" for line in settings.splitlines()[1:])
    problems, ctx = run(tmp_path / "b", {"web/__init__.py": app2, "web/conf.py": "import os\n" + conf[10:]}, checklist=True)
    assert problems == [] and "web/conf.py:Default (Flask" in "".join(ctx.output)


@pytest.mark.parametrize("target,files,framework", [
    ("app/config.py:ProductionConfig", flask(), "Flask"),
    ("production.ini", {"base.ini": PYRAMID_BASE, "production.ini": PYRAMID_PROD}, "Pyramid"),
    ("app/main.py", {"app/main.py": FASTAPI_MAIN}, "FastAPI/Starlette"),
    ("shop/settings/base.py", django(), "Django"),
])
def test_explicit_entry_points_of_each_framework(tmp_path: Path, target: str, files: dict[str, str], framework: str) -> None:
    problems, ctx = run(tmp_path, files, production_settings=[target], checklist=True)
    assert f"{target} ({framework}" in "".join(ctx.output)


def test_explicit_entry_point_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        run(tmp_path, django(), production_settings=["shop/settings/nope.py"])


def test_production_env_file_values_replace_defaults(tmp_path: Path) -> None:
    files = django(extra_prod='SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=True)\n')
    files[".envs/.production/.django"] = ("DJANGO_SESSION_COOKIE_SECURE=False\nDJANGO_SECRET_KEY=abc\n"
                                         "DJANGO_ALLOWED_HOSTS=!!!SET DJANGO_ALLOWED_HOSTS!!!\n")
    files[".env.production.example"] = "DJANGO_ALLOWED_HOSTS=*\n"  # a template: not what production runs
    problems, _ = run(tmp_path, files)
    assert items(problems) == ["headers.session_cookie_secure", "secrets.secret_key"]
    messages = " ".join(p.message for p in problems)
    # reported where production's value is written: the env file
    assert [(p.path, p.line) for p in problems if p.identity[0] == "headers.session_cookie_secure"] == [(".envs/.production/.django", 1)]
    assert "SESSION_COOKIE_SECURE is False, so" in messages
    assert "abc" not in messages and "committed in the repository" in messages


def test_changed_production_env_file_rechecks(tmp_path: Path) -> None:
    files = django(extra_prod='SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=True)\n')
    files[".env.production"] = "DJANGO_SESSION_COOKIE_SECURE=0\n"
    problems, _ = run(tmp_path, files, paths=[".env.production"])
    assert items(problems) == ["headers.session_cookie_secure"]


def test_flask_config_class_in_a_module_not_named_config(tmp_path: Path) -> None:
    files = flask()
    files["app/configuration.py"] = files.pop("app/config.py")
    files["app/__init__.py"] = FLASK_APP.replace("app.config.{config_name}", "app.configuration.{config_name}")
    problems, ctx = run(tmp_path, files, checklist=True)
    assert problems == [] and "app/configuration.py:ProductionConfig (Flask" in "".join(ctx.output)


def test_gunicorn_limits_named_in_the_checklist(tmp_path: Path) -> None:
    files = django(more={"gunicorn.conf.py": "limit_request_line = 4094\nlimit_request_fields = 50\n"})
    problems, ctx = run(tmp_path, files, checklist=True)
    assert problems == []
    assert "gunicorn limit_request_fields = 50 in gunicorn.conf.py:2" in "".join(ctx.output)
    files["gunicorn.conf.py"] = "limit_request_field_size = 0\n"
    problems, _ = run(tmp_path / "b", files)
    assert items(problems) == ["uploads.gunicorn_limits"] and "gunicorn.conf.py:1" in problems[0].message


def test_pyramid_session_from_the_ini_without_flags(tmp_path: Path) -> None:
    base = PYRAMID_BASE.replace("session.secure = true\n", "").replace("session.httponly = true\n", "")
    prod = PYRAMID_PROD.replace("pyramid_tm\n", "pyramid_tm\n    pyramid_beaker\n")  # the factory that reads session.*
    problems, _ = run(tmp_path, {"base.ini": base, "production.ini": prod})
    assert items(problems) == ["headers.session_cookie"]
    # nothing in the repo says production is served over HTTPS: the secure flag is the deployment's (issue 21)
    assert "session.httponly not set" in problems[0].message and "session.secure" not in problems[0].message
    problems, _ = run(tmp_path / "b", {"base.ini": base, "production.ini": prod,
                                       "deploy/nginx.conf": "server {\n  return 301 https://$host$request_uri;\n}\n"})
    assert "session.secure and session.httponly not set" in problems[0].message


def test_legacy_settings_prod_name_is_the_entry_point_not_settings_py(tmp_path: Path) -> None:
    files = {"mysite/settings.py": BASE, "mysite/settings_prod.py": "from .settings import *\nSESSION_COOKIE_SECURE = True\nSECURE_HSTS_SECONDS = 0\n"}
    problems, ctx = run(tmp_path, files)
    assert ctx.checked == ["mysite/settings_prod.py"]
    assert "headers.hsts" in items(problems)
