"""check-security-settings: the classes held-out round 4 showed (issue 21), as
catch / leave-alone pairs on small look-alikes written for these tests: what
counts as the Flask app production serves, SECRET_KEY and session cookies only
where sessions exist, CORS allow-all only with credentials, and a config layer
the deployer writes."""
from __future__ import annotations

from pathlib import Path

from hooks.checks.check_security_settings import HOOK
from tests.helpers.security import run_files_hook

KEY = "Zq8#vN2$kLp9@wX4!mR7^tY1&bH6*cJ3(eF5)gD0-sA_uI+oQpW"


def run(tmp_path: Path, files: dict[str, str], **options: object):
    return run_files_hook(HOOK, tmp_path, files, None, **options)


def where(problems) -> set[tuple[str, str]]:
    return {(p.path, p.identity[0]) for p in problems}


# ---- the Flask app is what production builds, not any Flask( in the text ----

APP = '''\
import os

from flask import Flask
from flask_login import LoginManager


def create_app():
    app = Flask(__name__)
    app.config.from_object("portal.config")
    LoginManager(app)
    return app
'''
CONFIG = '''\
import os

SECRET_KEY = os.environ["PORTAL_SECRET_KEY"]
SESSION_COOKIE_SAMESITE = "Lax"
MAX_CONTENT_LENGTH = 16 * 1024 * 1024
'''
# A plugin that documents its argument type and builds a throwaway app to register an OAuth client.
PLUGIN = '''\
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, session


def init_app(app: Flask):
    """Register the blueprint.

    Args:
        app (Flask): Flask Application object
    """
    app.register_blueprint(Blueprint("mfa", __name__))


def client():
    oauth_obj = OAuth(Flask(__name__))
    return oauth_obj.register("provider")
'''


def test_a_docstring_or_a_throwaway_flask_call_is_not_an_app(tmp_path: Path) -> None:
    files = {"portal/__init__.py": APP, "portal/config.py": CONFIG, "portal/auth/mfa.py": PLUGIN}
    problems, _ = run(tmp_path, files)
    assert not any(p.path.startswith("portal/auth/") for p in problems), [p.message for p in problems]
    # the same plugin keeping its app is one: it builds what it serves
    files["portal/auth/mfa.py"] = PLUGIN.replace("    oauth_obj = OAuth(Flask(__name__))\n", "    app = Flask(__name__)\n    oauth_obj = OAuth(app)\n")
    problems, _ = run(tmp_path / "b", {"portal/auth/mfa.py": files["portal/auth/mfa.py"]})
    assert ("portal/auth/mfa.py", "secrets.secret_key") in where(problems)


def test_an_instance_of_the_projects_own_flask_subclass_is_the_app(tmp_path: Path) -> None:
    app = ('from flask import Flask, session\n\n\nclass Portal(Flask):\n    pass\n\n\ndef create_app():\n'
           '    app = Portal(__name__)\n    app.config["SECRET_KEY"] = "hardcoded-in-the-factory"\n    return app\n')
    problems, _ = run(tmp_path, {"portal/__init__.py": app})
    assert ("portal/__init__.py", "secrets.secret_key") in where(problems)


def test_with_several_apps_the_one_the_start_up_names_wins(tmp_path: Path) -> None:
    admin = "from flask import Flask, session\n\napp = Flask(__name__)\n"
    files = {"portal/__init__.py": APP, "portal/config.py": CONFIG, "portal/admin_preview.py": admin,
             "Procfile": "web: gunicorn 'portal:create_app()'\n"}
    problems, _ = run(tmp_path, files)
    assert not any(p.path == "portal/admin_preview.py" for p in problems), [p.message for p in problems]
    del files["Procfile"]
    problems, _ = run(tmp_path / "b", files)
    assert ("portal/admin_preview.py", "secrets.secret_key") in where(problems)


# ---- SECRET_KEY and session cookie flags only where something is signed ----

TRANSLATOR = '''\
from flask import Flask, jsonify, request


def create_app(args):
    app = Flask(__name__)

    @app.post("/translate")
    def translate():
        return jsonify(translated=request.json["q"])

    return app
'''


def test_an_app_with_no_sessions_needs_no_secret_key(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, {"translator/app.py": TRANSLATOR})
    assert "secrets.secret_key" not in {p.identity[0] for p in problems}
    with_flash = TRANSLATOR.replace("jsonify, request", "flash, jsonify, request")
    with_flash = with_flash.replace("        return jsonify", "        flash('done')\n        return jsonify")
    problems, _ = run(tmp_path / "b", {"translator/app.py": with_flash})
    assert "secrets.secret_key" in {p.identity[0] for p in problems}


# ---- CORS allow-all: a finding only with credentials ----

PROD = '''\
import environ

env = environ.Env()
SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = ["osm.example.org"]
INSTALLED_APPS = ["django.contrib.sessions", "corsheaders", "changesets"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
LOGGING = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}},
           "loggers": {"django": {"handlers": ["console"], "level": "INFO"}}}
CORS_ALLOW_ALL_ORIGINS = True
'''


def test_cors_allow_all_without_credentials_is_a_public_api(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, {"config/settings/production.py": PROD})
    assert "permissions.cors" not in {p.identity[0] for p in problems}
    problems, _ = run(tmp_path / "b", {"config/settings/production.py": PROD + "CORS_ALLOW_CREDENTIALS = True\n"})
    cors = [p for p in problems if p.identity[0] == "permissions.cors"]
    assert len(cors) == 1 and "CORS_ALLOW_CREDENTIALS" in cors[0].message


# ---- a layer the deployer writes decides the transport defaults ----

DESKTOP_CONFIG = '''\
import os

SERVER_MODE = False
SECRET_KEY = os.environ.get("PORTAL_SECRET_KEY")
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_HTTPONLY = True
MAX_CONTENT_LENGTH = 10 * 1024 * 1024

# Overrides from config_local.py, config_system.py (written by whoever installs the server)
from portal.evaluate import patch_config
locals().update(patch_config(locals()))
'''
SERVED = '''\
from flask import Flask, session
import config


def create_app():
    app = Flask(__name__)
    app.config.from_object(config)
    return app
'''


def test_a_transport_default_the_deployers_layer_replaces_is_unknown(tmp_path: Path) -> None:
    https = {"deploy/nginx.conf": "server {\n  listen 443 ssl;\n  server_name portal.example.org;\n  location / { proxy_pass http://app:5050; }\n}\n"}
    files = {"web/config.py": DESKTOP_CONFIG, "web/portal/__init__.py": SERVED, **https}
    problems, _ = run(tmp_path, files)
    assert "headers.session_cookie_secure" not in {p.identity[0] for p in problems}, [p.message for p in problems]
    files["web/config.py"] = DESKTOP_CONFIG.split("# Overrides")[0]
    problems, _ = run(tmp_path / "b", files)
    assert "headers.session_cookie_secure" in {p.identity[0] for p in problems}


# ---- a real key as the environment default of a production module (round 4 judge's miss) ----

BASE = f'''\
from os import path

from environs import Env

env = Env()
SECRET_KEY = env("SECRET_KEY", "{KEY}")
DEBUG = env.bool("DEBUG", False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["annotate.example.org"])
INSTALLED_APPS = ["django.contrib.sessions", "projects"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
LOGGING = {{"version": 1, "handlers": {{"console": {{"class": "logging.StreamHandler"}}}},
           "loggers": {{"django": {{"handlers": ["console"], "level": "INFO"}}}}}}
'''


def test_a_committed_key_as_the_production_default_is_reported_a_cast_is_not(tmp_path: Path) -> None:
    files = {"config/settings/base.py": BASE, "config/settings/production.py": "from .base import *  # noqa\n"}
    problems, _ = run(tmp_path, files)
    keys = [p for p in problems if p.identity[0] == "secrets.secret_key"]
    assert len(keys) == 1 and "committed in the repository" in keys[0].message and KEY not in keys[0].message
    # django-environ's env("X", str) is a cast, not a default
    files["config/settings/base.py"] = BASE.replace(f'env("SECRET_KEY", "{KEY}")', 'env("SECRET_KEY", str)')
    assert "secrets.secret_key" not in {p.identity[0] for p in run(tmp_path / "c", files)[0]}
    # a single settings.py (development and production alike) with a strong default: production runs it when the
    # variable is unset, and the key is public whatever its length (held-out round 6, junction)
    problems, _ = run(tmp_path / "d", {"config/settings.py": BASE})
    assert "secrets.secret_key" in {p.identity[0] for p in problems}
