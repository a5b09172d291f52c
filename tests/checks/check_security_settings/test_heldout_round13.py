"""check-security-settings, held-out round 13's wrong classes and miss fixed as classes:
a settings module that a base star-imports at its end but the repo does not hold (gitignored,
made on each install) is layered from its tracked template (``deploy/settings_prod.py``), never
judged alone. Catch / leave-alone pairs on files shaped like the real ones (written here)."""
from __future__ import annotations

from pathlib import Path

from hooks.checks.check_security_settings import HOOK
from tests.helpers.security import run_files_hook


def run(tmp_path: Path, files: dict[str, str], **options: object) -> list[str]:
    problems, _ = run_files_hook(HOOK, tmp_path, files, None, **options)
    return [f"{p.path}:{p.line}: {p.message}" for p in problems]


# ---- Django: an overlay star-imported at the end of settings.py, its template in deploy/ ----

SETTINGS = '''\
import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

DEBUG = False

ALLOWED_HOSTS = {hosts}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "tips",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tipline.urls"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 3600
LOGGING = {{
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {{"console": {{"class": "logging.StreamHandler"}}}},
    "root": {{"handlers": ["console"], "level": "INFO"}},
}}

try:
    from tipline.settings_prod import *
except ModuleNotFoundError:
    pass
'''
OVERLAY = '''\
# DEBUG = False

ALLOWED_HOSTS = {hosts}
'''
WSGI = '''\
import os
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tipline.settings")
application = get_wsgi_application()
'''


def tipline(base_hosts: str = '["tips.example.org"]', overlay_hosts: str = '["tips.example.org"]',
            overlay_at: str = "deploy/settings_prod.py") -> dict[str, str]:
    return {"tipline/__init__.py": "", "tipline/wsgi.py": WSGI, ".gitignore": "tipline/settings_prod.py\n",
            "tipline/settings.py": SETTINGS.format(hosts=base_hosts), overlay_at: OVERLAY.format(hosts=overlay_hosts)}


def test_overlay_template_is_not_judged_alone(tmp_path: Path) -> None:
    out = run(tmp_path, tipline())
    assert not [x for x in out if x.startswith("deploy/")], out


def test_overlay_template_values_are_judged_on_the_base(tmp_path: Path) -> None:
    out = run(tmp_path, tipline(overlay_hosts='["*"]'))
    assert [x for x in out if "deploy/settings_prod.py:3" in x and "ALLOWED_HOSTS" in x], out
    assert not [x for x in out if "MIDDLEWARE" in x or "SECRET_KEY" in x or "LOGGING" in x], out


def test_example_copy_beside_the_base_is_the_overlay(tmp_path: Path) -> None:
    out = run(tmp_path, tipline(overlay_hosts='["*"]', overlay_at="tipline/settings_prod.py.example"))
    assert [x for x in out if "ALLOWED_HOSTS" in x], out


def test_same_name_outside_a_deploy_folder_is_not_taken_as_the_overlay(tmp_path: Path) -> None:
    # a second app's own settings_prod.py is that app's, not the template of the missing module
    files = tipline(overlay_hosts='["*"]', overlay_at="otherapp/settings_prod.py")
    out = run(tmp_path, files)
    assert not [x for x in out if x.startswith("tipline/settings.py") and "ALLOWED_HOSTS" in x], out


# ---- Flask: X-Frame-Options asked of a JSON API that renders no HTML ----

API = '''\
from flask import Flask, jsonify, request

app = Flask("geo", static_folder=None)
app.config.from_envvar("GEO_CONFIG")


@app.route("/api/provinces")
def provinces():
    return jsonify({"provinces": [], "total": 0, "params": request.args})
'''
PAGES = '''\
from flask import Flask, render_template

app = Flask("geo")
app.config.from_envvar("GEO_CONFIG")


@app.route("/")
def index():
    return render_template("index.html")
'''
NGINX = '''\
upstream geo_api {
    server 127.0.0.1:5000;
}

server {
    listen 80;
    server_name geo.example.org;

    location /api/ {
        proxy_pass http://geo_api;
        proxy_set_header Host $host;
    }
}
'''


def frame_lines(out: list[str]) -> list[str]:
    return [x for x in out if "X-Frame-Options" in x]


def test_json_api_is_not_asked_for_x_frame_options(tmp_path: Path) -> None:
    out = run(tmp_path, {"geo/__init__.py": API, "config/geo.nginx": NGINX, "requirements.txt": "Flask==2.0.0\n"})
    assert not frame_lines(out), out


def test_json_api_checklist_says_why_x_frame_options_is_not_applicable(tmp_path: Path) -> None:
    _, ctx = run_files_hook(HOOK, tmp_path, {"geo/__init__.py": API, "config/geo.nginx": NGINX}, None, checklist=True)
    assert "X-Frame-Options: not applicable" in "".join(ctx.output), ctx.output


# A route that changes state: without one (and with no login or session) a page holds nothing to
# click-jack, and X-Frame-Options is not applicable either (held-out round 15), so these keep one.
SUBSCRIBE = '\n\n@app.route("/subscribe", methods=["POST"])\ndef subscribe():\n    return "ok"\n'


def test_app_that_renders_templates_still_needs_x_frame_options(tmp_path: Path) -> None:
    out = run(tmp_path, {"geo/__init__.py": PAGES + SUBSCRIBE, "geo/templates/index.html": "<html></html>\n", "config/geo.nginx": NGINX})
    assert frame_lines(out), out


def test_api_with_a_template_folder_still_needs_x_frame_options(tmp_path: Path) -> None:
    out = run(tmp_path, {"geo/__init__.py": API + SUBSCRIBE, "geo/templates/error.html": "<html></html>\n", "config/geo.nginx": NGINX})
    assert frame_lines(out), out


# ---- Flask: app.secret_key = "..." on the app object, config/<env>.cfg loaded by name ----

DEXTER = '''\
import logging
import os

from flask import Flask
from flask_login import LoginManager

app = Flask(
    __name__,
    static_folder='public')

app.secret_key = {key}

# setup configs
env = os.environ.get('FLASK_ENV', 'development')
app.config['ENV'] = env
app.config.from_pyfile('config/%s.cfg' % env)

login_manager = LoginManager()
login_manager.init_app(app)
'''
PROD_CFG = '''\
DEBUG = False
SQLALCHEMY_DATABASE_URI = os.environ.get('DATABASE_URL')
SESSION_COOKIE_HTTPONLY = True
'''
DEV_CFG = '''\
DEBUG = True
SQLALCHEMY_DATABASE_URI = 'postgresql://dexter@localhost/dexter'
'''
LITERAL_KEY = "'q8fabasof8sahbdai8fa834nts234b8aeuasiub8afil0a8feuohaoteuhbacgla8iufab'"


def dexter(key: str = LITERAL_KEY, prod_cfg: str = PROD_CFG) -> dict[str, str]:
    return {"dexter/__init__.py": "", "dexter/app.py": DEXTER.format(key=key), "dexter/config/__init__.py": "",
            "dexter/config/production.cfg": "import os\n" + prod_cfg, "dexter/config/development.cfg": DEV_CFG}


def key_lines(out: list[str]) -> list[str]:
    return [x for x in out if "secrets:" in x and "SECRET_KEY" in x]


def test_literal_app_secret_key_is_reported_at_its_line(tmp_path: Path) -> None:
    out = key_lines(run(tmp_path, dexter()))
    assert [x for x in out if x.startswith("dexter/app.py:11:") and "in the repository" in x], out
    assert not [x for x in out if "q8fabasof8sahbdai" in x], out  # never the key in full


def test_app_secret_key_from_the_environment_is_met(tmp_path: Path) -> None:
    assert not key_lines(run(tmp_path, dexter(key="os.environ['SECRET_KEY']")))


def test_production_cfg_that_sets_the_key_from_the_environment_wins(tmp_path: Path) -> None:
    out = key_lines(run(tmp_path, dexter(prod_cfg=PROD_CFG + "SECRET_KEY = os.environ['SECRET_KEY']\n")))
    assert not out, out


def test_secret_key_of_another_object_is_not_the_apps(tmp_path: Path) -> None:
    files = dexter(key="os.environ['SECRET_KEY']")
    files["dexter/app.py"] += "\n\nclass Client:\n    pass\n\n\noauth = Client()\noauth.secret_key = 'abcdefghijklmnopqrstuvwxyz0123456789'\n"
    assert not key_lines(run(tmp_path, files))
