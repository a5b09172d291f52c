"""check-security-settings, held-out round 7's wrong classes and misses fixed as
classes: a setting whose comment says why it is so is a reviewed choice (an
``X_FRAME_OPTIONS = "SAMEORIGIN"`` for a same-origin preview iframe); Pyramid
ini ``session.*`` flags are asked for only when a factory that reads them is
configured; a path to a secret file is no committed secret; a Kubernetes
Ingress with ``tls:`` hosts says HTTPS and names a public host. Catch /
leave-alone pairs on files shaped like the real ones (written here)."""
from __future__ import annotations

from pathlib import Path

from hooks.checks.check_security_settings import HOOK
from hooks.checks.check_security_settings.django import gives_reason
from tests.helpers.security import run_files_hook


def run(tmp_path: Path, files: dict[str, str], **options: object):
    return run_files_hook(HOOK, tmp_path, files, None, **options)


def items(problems) -> set[str]:
    return {p.identity[0] for p in problems}


# ---- a setting with a stated reason is a reviewed choice ----

BASE = '''\
import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "apps.projects"]
MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
)

@COMMENT@
X_FRAME_OPTIONS = "SAMEORIGIN"

ROOT_URLCONF = "config.urls"
'''

PRODUCTION = '''\
from .base import *  # noqa

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["example.org"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_SSL_REDIRECT = True
'''


def _xframe(tmp_path: Path, comment: str):
    files = {"config/settings/base.py": BASE.replace("@COMMENT@", comment), "config/settings/production.py": PRODUCTION,
             "config/settings/__init__.py": ""}
    return run(tmp_path, files)


def test_sameorigin_with_a_reason_above_is_a_reviewed_choice(tmp_path: Path) -> None:
    problems, _ = _xframe(tmp_path, "# Allow same-origin iframes (e.g. dashboard project preview modal).")
    assert "headers.x_frame_options" not in items(problems)


def test_sameorigin_without_a_reason_stays_a_finding(tmp_path: Path) -> None:
    for n, comment in enumerate(("", "# X_FRAME_OPTIONS", "# TODO: allow same-origin iframes for the preview, set DENY later",
                                 "# FIXME needed for the preview modal", "# insecure, but needed for the preview modal",
                                 "# Security headers")):
        problems, _ = _xframe(tmp_path / str(n), comment)
        assert "headers.x_frame_options" in items(problems), comment


def test_what_gives_a_reason() -> None:
    assert gives_reason("Allow same-origin iframes (e.g. dashboard project preview modal).")
    assert gives_reason("Disable the limit of 1000 fields per request: needed for bulk deletion of objects.")
    assert not gives_reason("X_FRAME_OPTIONS")
    assert not gives_reason("Clickjacking protection")
    assert not gives_reason("TODO: allow iframes")
    assert not gives_reason("allow iframes for local development")


# ---- Pyramid: ini session flags only when a factory reads them; a secret file's path ----

FOURFRONT_BASE = '''\
[app:app]
use = egg:encoded
sqlalchemy.url = postgresql:///encoded
session.secret = %(here)s/session-secret.b64
file_upload_bucket = ${FILE_UPLOAD_BUCKET}

[composite:main]
use = egg:rutter#urlmap
/ = app

[server:main]
use = egg:waitress#main
host = 0.0.0.0
port = 6543

[loggers]
keys = root, encoded

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
'''
FOURFRONT_PROD = '''\
[app:app]
use = config:base.ini#app
session.secret = %(here)s/session-secret.b64
auth0.secret = ${AUTH0_SECRET}
env.name = ${BS_ENV}
'''
FOURFRONT_INIT = '''\
from pyramid.config import Configurator


def main(global_config, **local_config):
    settings = global_config
    settings.update(local_config)
    config = Configurator(settings=settings)
    config.include('snovault')
    config.include('.renderers')
    return config.make_wsgi_app()
'''


def _pyramid(tmp_path: Path, prod: str = FOURFRONT_PROD, init: str = FOURFRONT_INIT):
    return run(tmp_path, {"deploy/docker/production/base.ini": FOURFRONT_BASE, "deploy/docker/production/production.ini": prod,
                          "src/encoded/__init__.py": init, "deploy/nginx.conf": "server {\n  return 301 https://$host$request_uri;\n}\n"})


def test_ini_session_keys_nothing_reads_are_not_asked_for(tmp_path: Path) -> None:
    problems, _ = _pyramid(tmp_path)
    assert "headers.session_cookie" not in items(problems)


def test_ini_session_keys_read_by_pyramid_beaker_are_asked_for(tmp_path: Path) -> None:
    for n, init in enumerate((FOURFRONT_INIT.replace("config.include('.renderers')", "config.include('pyramid_beaker')"),
                              FOURFRONT_INIT.replace("config.include('.renderers')",
                                                     "config.set_session_factory(session_factory_from_settings(settings))"))):
        problems, _ = _pyramid(tmp_path / str(n), init=init)
        assert "headers.session_cookie" in items(problems)
    prod = FOURFRONT_PROD + "pyramid.includes =\n    pyramid_beaker\n    pyramid_tm\n"
    problems, _ = _pyramid(tmp_path / "ini", prod=prod)
    assert "headers.session_cookie" in items(problems)


def test_a_path_to_a_secret_file_is_no_committed_secret(tmp_path: Path) -> None:
    for n, value in enumerate(("%(here)s/session-secret.b64", "/run/secrets/session_secret", "session.key", "file:///etc/app/secret")):
        problems, _ = _pyramid(tmp_path / str(n), prod=FOURFRONT_PROD.replace("%(here)s/session-secret.b64", value))
        assert "secrets.session_secret" not in items(problems), value


def test_a_secret_written_in_the_ini_stays_a_finding(tmp_path: Path) -> None:
    for n, value in enumerate(("s3cr3t-0f-the-4dn-portal-2017", "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==")):
        problems, _ = _pyramid(tmp_path / str(n), prod=FOURFRONT_PROD.replace("%(here)s/session-secret.b64", value))
        assert "secrets.session_secret" in items(problems), value


# ---- a Kubernetes Ingress with tls: hosts says HTTPS and names the public host ----

FASTAPI_MAIN = '''\
from fastapi import FastAPI

app = FastAPI(title="KernelCI API")


@app.get("/")
async def root():
    return {"message": "KernelCI API"}
'''
INGRESS = '''\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api-ingress
  namespace: kernelci-api
  annotations:
    cert-manager.io/cluster-issuer: all-issuer
    nginx.ingress.kubernetes.io/proxy-body-size: "32m"  # large result trees exceed the 1m default
spec:
  ingressClassName: ingressclass-api
  tls:
    - hosts:
        - api.kernelci.org
      secretName: api-tls
  rules:
    - host: api.kernelci.org
      http:
        paths:
          - backend:
              service:
                name: api
                port:
                  number: 8000
            path: /
            pathType: Prefix
'''


def test_an_ingress_with_tls_hosts_says_https_and_a_public_host(tmp_path: Path) -> None:
    problems, ctx = run(tmp_path, {"api/main.py": FASTAPI_MAIN, "kube/aks/ingress.yaml": INGRESS}, checklist=True)
    out = "".join(ctx.output)
    assert "headers.https" not in items(problems) and "permissions.trusted_hosts" not in items(problems)
    assert "Kubernetes Ingress" in out
    assert not any("fixed public host" in n or "served over HTTPS" in n for n in ctx.notices)


def test_an_ingress_without_tls_says_neither(tmp_path: Path) -> None:
    plain = INGRESS.replace("    cert-manager.io/cluster-issuer: all-issuer\n", "").replace(
        "  tls:\n    - hosts:\n        - api.kernelci.org\n      secretName: api-tls\n", "")
    problems, ctx = run(tmp_path, {"api/main.py": FASTAPI_MAIN, "kube/aks/ingress.yaml": plain}, checklist=True)
    assert "Kubernetes Ingress TLS" not in "".join(ctx.output)
    assert any("served over HTTPS" in n for n in ctx.notices)
    # a chart's sample host is no one's public host
    sample = INGRESS.replace("api.kernelci.org", "chart-example.local")
    _, ctx = run(tmp_path / "sample", {"api/main.py": FASTAPI_MAIN, "kube/aks/ingress.yaml": sample}, checklist=True)
    assert "Kubernetes Ingress TLS" not in "".join(ctx.output)


# ---- django-configurations: the class DJANGO_CONFIGURATION names is production's settings ----

CONFIGURATIONS = '''\
import os
from pathlib import Path

from configurations import Configuration, importer, values

importer.install(check_options=True)


class Base(Configuration):
    DEBUG = values.BooleanValue(True)
    INSTALLED_APPS = values.ListValue([
        "django.contrib.auth",
        "django.contrib.sessions",
        "froide.foirequest",
    ])
    SECRET_KEY = values.SecretValue()
    SITE_URL = values.Value("http://localhost:8000")
    ROOT_URLCONF = values.Value("froide.urls")
    MIDDLEWARE = [
        @MIDDLEWARE@
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    LOGGING = {
        "version": 1,
        "root": {"level": "WARNING", "handlers": ["console"]},
        "handlers": {"console": {"class": "logging.StreamHandler"}},
    }


class Dev(Base):
    pass


class Production(Base):
    DEBUG = False
    ALLOWED_HOSTS = values.TupleValue(("fragdenstaat.de",))


class SSLSite(object):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_SECURE = True
'''
WSGI = '''\
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "froide.settings")
os.environ.setdefault("DJANGO_CONFIGURATION", "Production")

from configurations.wsgi import get_wsgi_application  # noqa

application = get_wsgi_application()
'''
MANAGE = '''\
#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "froide.settings")
    os.environ.setdefault("DJANGO_CONFIGURATION", "Dev")
    from configurations.management import execute_from_command_line
    execute_from_command_line(sys.argv)
'''


def _configurations(tmp_path: Path, security: bool, wsgi: str = WSGI):
    settings = CONFIGURATIONS.replace("@MIDDLEWARE@", '"django.middleware.security.SecurityMiddleware",' if security else "")
    return run(tmp_path, {"froide/settings.py": settings, "froide/wsgi.py": wsgi, "manage.py": MANAGE, "froide/__init__.py": ""},
               checklist=True)


def test_the_production_configuration_class_is_judged(tmp_path: Path) -> None:
    problems, ctx = _configurations(tmp_path, security=False)
    assert "froide/settings.py:Production (Django" in "".join(ctx.output)
    assert "headers.security_middleware" in items(problems)
    # values.SecretValue() is read from the environment with no default
    assert "secrets.secret_key" not in items(problems)


def test_a_configuration_class_with_the_middleware_passes(tmp_path: Path) -> None:
    problems, ctx = _configurations(tmp_path, security=True)
    assert "froide/settings.py:Production (Django" in "".join(ctx.output)
    assert "headers.security_middleware" not in items(problems)
    assert "permissions.allowed_hosts" not in items(problems)  # DJANGO_ALLOWED_HOSTS, default ("fragdenstaat.de",)


def test_a_developers_configuration_is_no_entry_point(tmp_path: Path) -> None:
    # only manage.py (the developer's Dev class) names a configuration: nothing production runs
    problems, ctx = _configurations(tmp_path, security=False, wsgi=WSGI.replace('"Production"', '"Dev"'))
    assert "Production (Django" not in "".join(ctx.output) and "Dev (Django" not in "".join(ctx.output)
    assert "headers.security_middleware" not in items(problems)


def test_a_build_or_test_runs_configuration_is_no_entry_point(tmp_path: Path) -> None:
    settings = CONFIGURATIONS.replace("@MIDDLEWARE@", "") + "\n\nclass Build(Base):\n    pass\n\n\nclass E2E(Base):\n    pass\n"
    files = {"froide/settings.py": settings, "froide/wsgi.py": WSGI.replace('"Production"', '"Dev"'), "manage.py": MANAGE,
             "Dockerfile": "FROM python:3.12\nRUN DJANGO_CONFIGURATION=Build python manage.py collectstatic --noinput\n",
             "backend/.env.e2e-tests": "DJANGO_SETTINGS_MODULE=froide.settings\nDJANGO_CONFIGURATION=E2E\n"}
    problems, ctx = run(tmp_path, files, checklist=True)
    assert "(Django" not in "".join(ctx.output) and problems == []


# ---- a Dockerfile naming a settings module under a hyphenated folder: what production runs ----

APLUS_BASE = BASE.replace("@COMMENT@", "# Allow same-origin iframes (e.g. dashboard project preview modal).")
APLUS_DEV = '''\
from .base import *

# SECURITY WARNING: don't run with debug turned on in production!
DEBUG = True

SECRET_KEY = "k3l^@x53$l5@y(fo6ivgplj&q^^rmtl^enzse5ozxuepx0$s()"
'''
APLUS_DOCKER = '''\
import os

from .dev import *

DATABASES = {"default": {"ENGINE": "django.contrib.gis.db.backends.postgis", "HOST": os.environ.get("POSTGRES_HOST", "db")}}

ALLOWED_HOSTS = @HOSTS@
'''
APLUS_DOCKERFILE = '''\
FROM python:3.12-bookworm AS app

ENV PYTHONUNBUFFERED=1 \\
    DJANGO_SETTINGS_MODULE=adhocracy-plus.config.settings.docker

CMD ["gunicorn", "adhocracy-plus.config.wsgi", "--bind", "0.0.0.0:8004"]
'''


def _aplus(tmp_path: Path, hosts: str):
    files = {"adhocracy-plus/config/settings/base.py": APLUS_BASE, "adhocracy-plus/config/settings/dev.py": APLUS_DEV,
             "adhocracy-plus/config/settings/docker.py": APLUS_DOCKER.replace("@HOSTS@", hosts),
             "adhocracy-plus/config/settings/production.py": PRODUCTION, "adhocracy-plus/config/settings/__init__.py": "",
             "Dockerfile": APLUS_DOCKERFILE}
    return run(tmp_path, files, checklist=True)


def test_the_module_a_dockerfile_names_under_a_hyphenated_folder_is_judged(tmp_path: Path) -> None:
    problems, ctx = _aplus(tmp_path, '["*"]')
    assert "adhocracy-plus/config/settings/docker.py (Django" in "".join(ctx.output)
    assert any(p.identity[0] == "permissions.allowed_hosts" and p.path.endswith("docker.py") for p in problems)


def test_the_dockerfiles_module_with_its_hosts_from_the_environment_passes(tmp_path: Path) -> None:
    problems, ctx = _aplus(tmp_path, 'os.environ["ALLOWED_HOSTS"].split(",")')
    assert "adhocracy-plus/config/settings/docker.py (Django" in "".join(ctx.output)
    assert "permissions.allowed_hosts" not in items(problems)
