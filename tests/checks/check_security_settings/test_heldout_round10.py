"""check-security-settings, held-out round 10's wrong classes and misses fixed as
classes: a Pyramid session factory set up in a branch on a test/debug setting runs
in production only when the production ini turns that setting on; the auth ticket
cookie (AuthTktAuthenticationPolicy / AuthTktCookieHelper) needs secure and
http_only where production is HTTPS; flask_jwt_extended signs with SECRET_KEY only
while the app sets no JWT key of its own; a package's example_project/ is a
developer's harness, not production. Catch / leave-alone pairs on files shaped
like the real ones (written here)."""
from __future__ import annotations

from pathlib import Path

from hooks.checks.check_security_settings import HOOK
from tests.helpers.security import run_files_hook


def run(tmp_path: Path, files: dict[str, str], **options: object):
    return run_files_hook(HOOK, tmp_path, files, None, **options)


def lines(problems) -> list[str]:
    return [f"{p.path}:{p.line}: {p.message}" for p in problems]


# ---- Pyramid: a session factory only the test set-up builds ----

PROD_INI = '''\
[app:main]
paste.app_factory = vault:main
pyramid.reload_templates = false
pyramid.includes =

redis.sessions.cookie_secure = true
database_url = postgresql://vault:<password>@localhost:5432/vault

[server:main]
use = egg:waitress#main
host = 0.0.0.0
port = 6543

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
formatter = generic

[formatter_generic]
format = %(message)s
'''

INIT = '''\
import os

from pyramid.authentication import AuthTktAuthenticationPolicy
from pyramid.authorization import ACLAuthorizationPolicy
from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from pyramid.settings import asbool


def main(global_config, **settings):
    settings["auth_tk_secret"] = os.environ["AUTH_TK_SECRET"]
    settings["redis.sessions.secret"] = os.environ["REDIS_SESSIONS_SECRET"]
    config = Configurator(
        settings=settings,
        authorization_policy=ACLAuthorizationPolicy(),
        authentication_policy=AuthTktAuthenticationPolicy(
            settings["auth_tk_secret"],
            wild_domain=False,
            hashalg="sha512",
        ),
    )
    # Setup of stuff used only in the tests
    if "testing" in settings and asbool(settings["testing"]):
        session_factory = SignedCookieSessionFactory("testing")
        config.set_session_factory(session_factory)
    else:
        config.include("pyramid_redis_sessions")
    return config.make_wsgi_app()
'''


def _pyramid(tmp_path: Path, ini: str = PROD_INI, init: str = INIT):
    return run(tmp_path, {"vault/config-templates/production.ini": ini, "vault/__init__.py": init})


def test_a_session_factory_only_the_tests_build_is_not_production(tmp_path: Path) -> None:
    found = lines(_pyramid(tmp_path)[0])
    assert not any("SignedCookieSessionFactory" in f for f in found), found


def test_the_test_factory_counts_where_the_production_ini_turns_testing_on(tmp_path: Path) -> None:
    ini = PROD_INI.replace("pyramid.includes =\n", "pyramid.includes =\ntesting = true\n")
    found = lines(_pyramid(tmp_path, ini=ini)[0])
    assert any("SignedCookieSessionFactory(...)" in f and "literal secret" in f for f in found), found


def test_an_unguarded_session_factory_is_still_judged(tmp_path: Path) -> None:
    init = INIT.replace('    if "testing" in settings and asbool(settings["testing"]):\n', "    if True:\n")
    found = lines(_pyramid(tmp_path, init=init)[0])
    assert any("SignedCookieSessionFactory" in f for f in found), found


def test_redis_sessions_cookie_secure_in_the_ini_is_enough(tmp_path: Path) -> None:
    found = lines(_pyramid(tmp_path)[0])
    assert not any("redis.sessions" in f for f in found), found
    ini = PROD_INI.replace("redis.sessions.cookie_secure = true\n", "redis.sessions.timeout = 1200\nsession.secure = true\n")
    found = lines(_pyramid(tmp_path / "b", ini=ini)[0])
    assert any("redis.sessions.cookie_secure not set" in f for f in found), found


# ---- the auth ticket cookie on an HTTPS production ----

def test_an_auth_ticket_without_secure_and_http_only_on_https_is_a_finding(tmp_path: Path) -> None:
    found = lines(_pyramid(tmp_path)[0])
    assert any("AuthTktAuthenticationPolicy" in f and "secure and http_only off" in f for f in found), found


def test_an_auth_ticket_with_both_flags_is_no_finding(tmp_path: Path) -> None:
    init = INIT.replace('hashalg="sha512",', 'hashalg="sha512",\n            secure=True,\n            http_only=True,')
    found = lines(_pyramid(tmp_path, init=init)[0])
    assert not any("AuthTkt" in f for f in found), found


def test_an_auth_ticket_helper_is_read_too(tmp_path: Path) -> None:
    init = INIT.replace("AuthTktAuthenticationPolicy(", "AuthTktCookieHelper(").replace(
        "from pyramid.authentication import AuthTktAuthenticationPolicy", "from pyramid.authentication import AuthTktCookieHelper")
    found = lines(_pyramid(tmp_path, init=init)[0])
    assert any("AuthTktCookieHelper" in f and "http_only" in f for f in found), found


def test_an_auth_ticket_is_not_judged_without_https_evidence(tmp_path: Path) -> None:
    ini = PROD_INI.replace("redis.sessions.cookie_secure = true\n", "")
    found = lines(_pyramid(tmp_path, ini=ini)[0])
    assert not any("AuthTkt" in f for f in found), found


# ---- Flask: a JWT app with its own key signs nothing with SECRET_KEY ----

SETTINGS = '''\
import os


class Config:
    DEBUG = False
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    TRUSTED_HOSTS = ["otp.example.org"]


class ProductionConfig(Config):
    pass
'''

APP = '''\
import os

from flask import Flask
from flask_jwt_extended import JWTManager

from otp.settings import ProductionConfig


class OTPApp(Flask):
    def __init__(self):
        super().__init__(__name__)
        self.config.from_object(ProductionConfig)
        with open(self.config.get("SECRET_FILE", "/etc/otp/encKey"), "rb") as f:
            jwt_key = f.read()
        self.config["JWT_SECRET_KEY"] = jwt_key
        JWTManager(self)


def create_app():
    return OTPApp()
'''

WSGI = '''\
from otp.app import create_app

application = create_app()
'''


def _flask(tmp_path: Path, app: str = APP):
    return run(tmp_path, {"otp/settings.py": SETTINGS, "otp/app.py": app, "otp/wsgi.py": WSGI,
                          "Dockerfile": 'FROM python:3.11\nCMD ["gunicorn", "otp.wsgi:application"]\n'})


def test_a_jwt_app_with_its_own_key_needs_no_secret_key(tmp_path: Path) -> None:
    found = lines(_flask(tmp_path)[0])
    assert not any("SECRET_KEY is not set" in f for f in found), found


def test_a_jwt_app_that_falls_back_to_secret_key_needs_one(tmp_path: Path) -> None:
    app = APP.replace('        self.config["JWT_SECRET_KEY"] = jwt_key\n', "")
    found = lines(_flask(tmp_path, app=app)[0])
    assert any("SECRET_KEY is not set" in f for f in found), found


def test_a_jwt_app_that_also_uses_the_session_needs_secret_key(tmp_path: Path) -> None:
    app = APP.replace("from flask import Flask", "from flask import Flask, session")
    found = lines(_flask(tmp_path, app=app)[0])
    assert any("SECRET_KEY is not set" in f for f in found), found


# ---- a package's example_project/ is a developer's harness ----

EXAMPLE_SETTINGS = '''\
import os

DEBUG = True
SECRET_KEY = "not-a-secret"
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "portal"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
ROOT_URLCONF = "example_project.urls"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
'''


def test_an_example_project_is_not_production(tmp_path: Path) -> None:
    files = {"example_project/__init__.py": "", "example_project/settings.py": EXAMPLE_SETTINGS,
             "example_project/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_project.settings")\n',
             "run": "#!/bin/bash\n./manage.py runserver \"$@\"\n", "portal/__init__.py": ""}
    found = lines(run(tmp_path, files)[0])
    assert not any("example_project" in f for f in found), found


def test_the_same_settings_as_the_service_project_are_judged(tmp_path: Path) -> None:
    files = {"mysite/__init__.py": "", "mysite/settings.py": EXAMPLE_SETTINGS.replace("DEBUG = True", "DEBUG = False"),
             "mysite/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
             "Procfile": "web: gunicorn mysite.wsgi\n", "portal/__init__.py": ""}
    found = lines(run(tmp_path, files)[0])
    assert any("ALLOWED_HOSTS" in f for f in found), found


# ---- an extensionless nginx site in a deployment folder ----

DJANGO_SETTINGS = '''\
import os

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["represent.example.ca"]
INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.sessions", "boundaries"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "represent.urls"
LOGGING = {"version": 1, "root": {"handlers": ["console"], "level": "INFO"},
           "handlers": {"console": {"class": "logging.StreamHandler"}}}
'''

SITE = '''\
# /etc/nginx/sites-available/represent

upstream representbackend {
  server 127.0.0.1:59000;
}

server {
  listen 80;
  listen 443 ssl;

  server_name represent.opennorth.ca;

  ssl_certificate /home/represent/ssl/represent.opennorth.ca.chained.crt;
  ssl_certificate_key /home/represent/ssl/represent.opennorth.ca.key;

  location / {
    proxy_pass http://representbackend;
  }
}
'''


def _django(tmp_path: Path, site: str = SITE, name: str = "deployment/represent"):
    return run(tmp_path, {"represent/__init__.py": "", "represent/settings.py": DJANGO_SETTINGS,
                          "represent/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "represent.settings")\n',
                          "deployment/represent.service": "[Service]\nExecStart=/home/represent/.venv/bin/gunicorn represent.wsgi\n",
                          name: site, "deployment/crontab": "0 3 * * * /home/represent/backup.sh\n"})


def test_an_extensionless_nginx_site_in_deployment_says_https(tmp_path: Path) -> None:
    problems, _ = _django(tmp_path)
    found = lines(problems)
    assert any("SESSION_COOKIE_SECURE" in f for f in found) and any("CSRF_COOKIE_SECURE" in f for f in found), found
    # plain HTTP served on purpose beside HTTPS, no redirect: HSTS and the redirect are the deployment's call
    assert not any("SECURE_HSTS_SECONDS" in f or "SECURE_SSL_REDIRECT" in f for f in found), found


def test_with_a_redirect_hsts_and_the_redirect_are_judged(tmp_path: Path) -> None:
    site = SITE.replace("server {\n  listen 80;\n  listen 443 ssl;",
                        "server {\n  listen 80;\n  return 301 https://$host$request_uri;\n}\n\nserver {\n  listen 443 ssl;")
    found = lines(_django(tmp_path, site=site)[0])
    assert any("SECURE_HSTS_SECONDS" in f for f in found), found


def test_an_extensionless_file_that_is_no_nginx_site_says_nothing(tmp_path: Path) -> None:
    site = "# proxy parameters\nproxy_set_header Host $host;\nssl_certificate /etc/ssl/site.crt;\n"
    found = lines(_django(tmp_path, site=site, name="deployment/proxy_params")[0])
    assert not any("COOKIE_SECURE" in f for f in found), found


def test_a_port_80_server_that_drops_requests_serves_no_plain_http(tmp_path: Path) -> None:
    # a default server on 80 that returns 444 beside a separate 443 ssl server: nothing is served over plain HTTP
    site = SITE.replace("server {\n  listen 80;\n  listen 443 ssl;",
                        "server {\n  listen 80 default_server;\n  server_name _;\n  return 444;\n}\n\nserver {\n  listen 443 ssl;")
    found = lines(_django(tmp_path, site=site)[0])
    assert any("SECURE_HSTS_SECONDS" in f for f in found), found
