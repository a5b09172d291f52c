"""check-security-settings, held-out round 15's classes fixed as classes: a production-named
Pyramid ini nothing serves beside the one the start-up names; X-Frame-Options asked of a public,
read-only Flask app (no login, no session, no state-changing route); a DJANGO_SETTINGS_MODULE built
at run time from a literal package prefix (``"proj.settings." + country``). Catch / leave-alone
pairs on files shaped like the real ones (written here)."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.check_security_settings import HOOK
from tests.helpers.security import run_files_hook


def run(tmp_path: Path, files: dict[str, str], **options: object) -> list[str]:
    problems, _ = run_files_hook(HOOK, tmp_path, files, None, **options)
    return [f"{p.path}:{p.line}: {p.message}" for p in problems]


# ---- Pyramid: a production.ini the start-up does not serve ----

SERVED_INI = '''\
[app:main]
use = egg:listsvc
pyramid.reload_templates = false
listsvc.lists = main

[uwsgi]
# For use with nginx and uwsgi_pass
socket = /tmp/listsvc.sock
master = true
processes = 4
'''
OLD_INI = '''\
[app:main]
use = egg:listsvc
pyramid.reload_templates = false
pyramid.debug_authorization = false

[server:main]
use = egg:waitress#main
host = 0.0.0.0
port = 6543
'''
STARTUP = '''\
#!/bin/bash

function start {
     exec /usr/local/bin/uwsgi --ini-paste listsvc.ini --paste-logger --uid 10001
}

start
'''
PYRAMID_APP = "from pyramid.config import Configurator\n\n\ndef main(global_config, **settings):\n    return Configurator(settings=settings).make_wsgi_app()\n"


def listsvc(**more: str) -> dict[str, str]:
    files = {"listsvc/__init__.py": PYRAMID_APP, "listsvc.ini": SERVED_INI, "production.ini": OLD_INI, "startup.sh": STARTUP}
    files.update(more)
    return files


def test_production_ini_nothing_serves_is_not_judged_beside_the_served_one(tmp_path: Path) -> None:
    out = run(tmp_path, listsvc())
    assert not [x for x in out if x.startswith("production.ini:")], out
    assert [x for x in out if x.startswith("listsvc.ini:") and "body limit" in x], out


def test_production_ini_is_judged_when_no_start_up_names_an_ini(tmp_path: Path) -> None:
    files = listsvc()
    files.pop("startup.sh")
    out = run(tmp_path, files)
    assert [x for x in out if x.startswith("production.ini:") and "body limit" in x], out


@pytest.mark.parametrize("name,text", [
    ("docker-compose.yml", "services:\n  web:\n    image: listsvc\n    environment:\n      INI: production.ini\n"),
    ("listsvc.ini", SERVED_INI.replace("use = egg:listsvc", "use = config:production.ini")),
])
def test_production_ini_something_names_is_still_judged(tmp_path: Path, name: str, text: str) -> None:
    out = run(tmp_path, listsvc(**{name: text}))
    assert [x for x in out if x.startswith("production.ini:")], out


# ---- Flask: X-Frame-Options asked of a public read-only archive ----

ARCHIVE = '''\
import flask

from archive import db

app = flask.Flask(__name__)
app.config.from_object("archive.default_config")
app.config.from_envvar("ARCHIVE_CONFIG", silent=True)


@app.teardown_appcontext
def remove_session(exc):
    db.session.remove()


@app.route("/")
def index():
    return flask.render_template("index.html")


@app.route("/raw", methods=["GET"])
def raw():
    return flask.render_template("raw.html", messages=db.search(flask.request.args))


@app.route("/count", methods=["POST"])
def count_post():
    flask.abort(405)
'''
DEFAULT_CONFIG = 'CORS_DOMAINS = [".*"]\nDEFAULT_ROWS_PER_PAGE = 25\n'
APACHE = '''\
LoadModule wsgi_module modules/mod_wsgi.so

WSGIDaemonProcess archive user=apache group=apache maximum-requests=1000 display-name=archive processes=2 threads=2
WSGIScriptAlias /archive /usr/share/archive/apache/archive.wsgi

<Location /archive>
    WSGIProcessGroup archive
    Require all granted
</Location>
'''


def archive(**more: str) -> dict[str, str]:
    files = {"archive/__init__.py": "", "archive/app.py": ARCHIVE, "archive/default_config.py": DEFAULT_CONFIG,
             "archive/templates/index.html": "<html></html>\n", "archive/templates/raw.html": "<html></html>\n",
             "apache/archive.conf": APACHE, "requirements.txt": "Flask==2.2.0\n"}
    files.update(more)
    return files


def frame_lines(out: list[str]) -> list[str]:
    return [x for x in out if "X-Frame-Options" in x]


def test_read_only_app_without_login_is_not_asked_for_x_frame_options(tmp_path: Path) -> None:
    out = run(tmp_path, archive())
    assert not frame_lines(out), out


def test_read_only_app_checklist_says_why(tmp_path: Path) -> None:
    _, ctx = run_files_hook(HOOK, tmp_path, archive(), None, checklist=True)
    assert "X-Frame-Options: not applicable, the app has no login or user session" in "".join(ctx.output), ctx.output


@pytest.mark.parametrize("change", [
    # a form that changes state
    ('@app.route("/count", methods=["POST"])\ndef count_post():\n    flask.abort(405)\n',
     '@app.route("/count", methods=("GET", "POST"))\ndef count_post():\n    db.add(flask.request.form)\n    return "ok"\n'),
    # an OIDC login (no form posts)
    ("import flask\n", "import flask\nfrom flask_oidc import OpenIDConnect\n"),
    # the user's session
    ('    return flask.render_template("index.html")', '    return flask.render_template("index.html", user=flask.session.get("user"))'),
    # a MethodView that takes POST
    ("@app.teardown_appcontext", "class Vote(flask.views.MethodView):\n    def post(self):\n        return db.vote()\n\n\n@app.teardown_appcontext"),
])
def test_app_with_login_or_state_changing_route_still_needs_x_frame_options(tmp_path: Path, change: tuple[str, str]) -> None:
    old, new = change
    assert old in ARCHIVE
    out = run(tmp_path, archive(**{"archive/app.py": ARCHIVE.replace(old, new)}))
    assert frame_lines(out), out


# ---- Django: DJANGO_SETTINGS_MODULE built from a literal package prefix ----

WSGI = '''\
import os

from civic.config import config

country = config.get('COUNTRY_APP', 'no_country')

os.environ.setdefault("DJANGO_SETTINGS_MODULE", {built})

from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
'''
BASE = '''\
import os

from civic.config import config

DEBUG = bool(int(config.get('STAGING')))
SECRET_KEY = config.get('DJANGO_SECRET_KEY')
ALLOWED_HOSTS = config.get('ALLOWED_HOSTS', [])
INSTALLED_APPS = (
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'civic.core',
)
MIDDLEWARE_CLASSES = (
    'django.middleware.common.CommonMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440
LOGGING = {'version': 1, 'handlers': {'console': {'class': 'logging.StreamHandler'}}, 'root': {'handlers': ['console']}}
'''
SETTINGS = {
    "civic/settings/__init__.py": "",
    "civic/settings/base.py": BASE,
    "civic/settings/apps.py": "OPTIONAL_APPS = ()\n",
    "civic/settings/kenya_base.py": "COUNTRY_APP = 'kenya'\n",
    "civic/settings/kenya.py": "from .base import *  # noqa\nfrom .kenya_base import *  # noqa\n",
    "civic/settings/nigeria.py": "from .base import *  # noqa\n\nCOUNTRY_APP = 'nigeria'\n",
    "civic/settings/tests.py": "from .base import *  # noqa\n\nDEBUG = True\n",
    "civic/settings/tests_kenya.py": "from .base import *  # noqa\nfrom .kenya_base import *  # noqa\n",
    "civic/config.py": "config = {}\n",
}


@pytest.mark.parametrize("built", [
    '"civic.settings." + country',
    '"civic.settings.%s" % country',
    'f"civic.settings.{country}"',
    '"civic.settings.{}".format(country)',
])
def test_built_settings_module_names_each_country_module(tmp_path: Path, built: str) -> None:
    out = run(tmp_path, {**SETTINGS, "civic/wsgi.py": WSGI.format(built=built)})
    frame = frame_lines(out) + [x for x in out if "XFrameOptionsMiddleware" in x]
    # one finding for the value both country modules inherit from base.py, naming both
    assert len(frame) == 1, out
    assert frame[0].startswith("civic/settings/base.py:") and "kenya.py" in frame[0] and "nigeria.py" in frame[0], out
    assert not [x for x in out if "tests" in x.split(":")[0] or "_base" in x.split(":")[0]], out


def test_built_settings_module_leaves_base_tests_and_layers_out(tmp_path: Path) -> None:
    _, ctx = run_files_hook(HOOK, tmp_path, {**SETTINGS, "civic/wsgi.py": WSGI.format(built='"civic.settings." + country')}, None,
                            checklist=True)
    text = "".join(ctx.output)
    assert "civic/settings/kenya.py (" in text and "civic/settings/nigeria.py (" in text, text
    for left_out in ("civic/settings/base.py (", "civic/settings/kenya_base.py (", "civic/settings/tests.py (",
                     "civic/settings/tests_kenya.py (", "civic/settings/apps.py ("):
        assert left_out not in text, text


def test_literal_settings_module_is_unchanged(tmp_path: Path) -> None:
    out = run(tmp_path, {**SETTINGS, "civic/wsgi.py": WSGI.format(built='"civic.settings.kenya"')})
    frame = [x for x in out if "XFrameOptionsMiddleware" in x]
    assert len(frame) == 1 and frame[0].startswith("civic/settings/kenya.py:"), out


def test_country_module_with_the_middleware_passes(tmp_path: Path) -> None:
    base = BASE.replace("    'django.contrib.messages.middleware.MessageMiddleware',\n",
                        "    'django.contrib.messages.middleware.MessageMiddleware',\n"
                        "    'django.middleware.clickjacking.XFrameOptionsMiddleware',\n")
    out = run(tmp_path, {**SETTINGS, "civic/settings/base.py": base, "civic/wsgi.py": WSGI.format(built='"civic.settings." + country')})
    assert not [x for x in out if "XFrameOptionsMiddleware" in x], out


# ---- Pyramid: the served ini and its base are build-time templates (production.ini.in) ----

TEMPLATE_PROD = '''\
[app:main]
use = config:common.ini

pyramid.reload_templates = false

[server:main]
use = egg:waitress#main
host = 0.0.0.0
port = 6553
'''
TEMPLATE_COMMON = '''\
[app:main]
use = egg:guide_ui
api_url = {api_url}
guide.secret = {secret}
'''
TEMPLATE_DOCKERFILE = '''\
FROM debian:jessie
COPY . /var/www/
WORKDIR /var/www/
RUN make -f config/docker-dev template
ENTRYPOINT ["/docker-entrypoint.sh"]
EXPOSE 8080
CMD ["gunicorn", "--paste", "production.ini", "-u", "www-data", "-b", ":8080"]
'''


def guide(secret: str, **more: str) -> dict[str, str]:
    files = {"guide_ui/__init__.py": PYRAMID_APP, "production.ini.in": TEMPLATE_PROD,
             "common.ini.in": TEMPLATE_COMMON.format(api_url="{api_url}", secret=secret),
             "Dockerfile_deployment_environment.in": TEMPLATE_DOCKERFILE}
    files.update(more)
    return files


def test_served_ini_template_and_its_base_template_are_judged(tmp_path: Path) -> None:
    out = run(tmp_path, guide("s3cr3t-committed-in-the-template"))
    assert [x for x in out if x.startswith("production.ini.in:") and "secrets:" in x and "(common.ini.in:4)" in x], out


def test_served_ini_template_with_a_placeholder_secret_passes(tmp_path: Path) -> None:
    problems, ctx = run_files_hook(HOOK, tmp_path, guide("{secret}"), None, checklist=True)
    assert not [p for p in problems if "secrets:" in p.message], problems
    assert "production.ini.in (Pyramid; layers: common.ini.in -> production.ini.in)" in "".join(ctx.output), ctx.output


def test_ini_template_no_start_up_names_is_not_judged(tmp_path: Path) -> None:
    files = guide("s3cr3t-committed-in-the-template")
    files.pop("Dockerfile_deployment_environment.in")
    files["development.ini.in"] = TEMPLATE_PROD
    out = run(tmp_path, files)
    assert not [x for x in out if ".ini.in:" in x], out
