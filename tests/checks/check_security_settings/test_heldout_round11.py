"""check-security-settings, held-out round 11's wrong classes fixed as classes:
``SECRET_KEY = None`` in a Django base layer is a placeholder Django refuses to
start with, not a committed weak key; a Flask app whose only signer is Flask-WTF
with CSRF turned off by the config it loads signs nothing; a root logger whose
only handlers carry ``require_debug_true`` emits nothing with DEBUG off.
Catch / leave-alone pairs on files shaped like the real ones (written here)."""
from __future__ import annotations

from pathlib import Path

from hooks.checks.check_security_settings import HOOK
from tests.helpers.security import run_files_hook


def run(tmp_path: Path, files: dict[str, str], **options: object) -> list[str]:
    problems, _ = run_files_hook(HOOK, tmp_path, files, None, **options)
    return [f"{p.path}:{p.line}: {p.message}" for p in problems]


# ---- Django: SECRET_KEY = None in the shared base layer ----

BASE = '''\
"""Default settings; each install writes its own module that star-imports these."""
from os.path import dirname, join

BASE_PATH = dirname(__file__)
DEBUG = False
ALLOWED_HOSTS = ['.example.org']

DATABASES = {{
    'default': {{'ENGINE': 'django.db.backends.postgresql', 'NAME': 'portal'}},
}}

# the secret key, set it in your own settings
SECRET_KEY = {key}

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
    'portal',
]

LOGGING = {{
    'version': 1,
    'disable_existing_loggers': False,
    'filters': {{
        'require_debug_true': {{'()': 'django.utils.log.RequireDebugTrue'}},
        'require_debug_false': {{'()': 'django.utils.log.RequireDebugFalse'}},
    }},
    'handlers': {{
        'console': {{
            'level': 'DEBUG',
            'class': 'logging.StreamHandler',
            'filters': [{filters}],
        }},
    }},
    'root': {{
        'level': 'DEBUG',
        'handlers': ['console'],
    }},
}}
'''


def django_files(key: str = "None", filters: str = "'require_debug_true'") -> dict[str, str]:
    return {"portal/__init__.py": "", "portal/default_settings.py": BASE.format(key=key, filters=filters),
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.default_settings')\n"}


def test_secret_key_none_in_base_layer_is_not_a_committed_key(tmp_path: Path) -> None:
    out = run(tmp_path, django_files())
    assert not [x for x in out if "SECRET_KEY" in x], out


def test_secret_key_committed_string_still_reported(tmp_path: Path) -> None:
    out = run(tmp_path, django_files(key="'k3y-that-everybody-can-read'"))
    assert [x for x in out if "SECRET_KEY is committed" in x], out


# ---- Django: a root logger at DEBUG whose only handlers are filtered by require_debug_true ----

def test_root_at_debug_with_debug_only_handlers_is_not_asked_for_info(tmp_path: Path) -> None:
    out = [x for x in run(tmp_path, django_files()) if "logging:" in x]
    assert not [x for x in out if "use INFO" in x], out
    # the real gap: with DEBUG off no root handler is active
    assert [x for x in out if "require_debug_true" in x and "DEBUG off" in x], out


def test_root_at_debug_with_an_unfiltered_handler_still_reported(tmp_path: Path) -> None:
    out = run(tmp_path, django_files(filters=""))
    assert [x for x in out if "root logger is at DEBUG" in x], out


def test_root_with_a_handler_active_in_production_is_not_reported_lost(tmp_path: Path) -> None:
    out = run(tmp_path, django_files(filters="'require_debug_false'"))
    assert not [x for x in out if "require_debug_true" in x], out


# ---- Flask: the only signer is Flask-WTF, and the config the app loads turns its CSRF off ----

FACTORY = '''\
from flask import Flask

from catalog import mainlib


class AppWrapper:
    def __init__(self):
        self.app = Flask(__name__)

    def go(self):
        self.setup_conf()
        return self.app

    def setup_conf(self):
        conf = mainlib.load_conf(mainlib.guess_conffile(), section="webapp")
        self.app.config.update(conf)


app = AppWrapper().go()
'''
FORMS = '''\
from flask_wtf import FlaskForm
from wtforms import StringField


class SearchForm(FlaskForm):
    query = StringField("query")
'''
INI = '''\
[webapp]
bind_host: 0.0.0.0
# the secret key for session signing
# secret_key: some_hash # not in use

# CSRF token for WTForms; no form writes data
wtf_csrf_enabled: {csrf}
'''


def flask_files(csrf: str = "false", views: str = "") -> dict[str, str]:
    return {"catalog/__init__.py": "", "catalog/mainlib.py": "def load_conf(path, section):\n    return {}\n",
            "catalog/app/__init__.py": "", "catalog/app/app_factory.py": FACTORY, "catalog/app/forms.py": FORMS,
            "catalog/app/views.py": views or "from flask import render_template\n", "etc/config.ini": INI.format(csrf=csrf)}


def test_flask_wtf_with_csrf_off_in_the_ini_signs_nothing(tmp_path: Path) -> None:
    out = run(tmp_path, flask_files())
    assert not [x for x in out if "SECRET_KEY" in x], out


def test_flask_wtf_with_csrf_on_still_needs_a_key(tmp_path: Path) -> None:
    out = run(tmp_path, flask_files(csrf="true"))
    assert [x for x in out if "SECRET_KEY is not set" in x], out


def test_csrf_off_but_the_session_is_used_still_needs_a_key(tmp_path: Path) -> None:
    views = "from flask import session\n\n\ndef remember(x):\n    session['x'] = x\n"
    out = run(tmp_path, flask_files(views=views))
    assert [x for x in out if "SECRET_KEY is not set" in x], out


def test_csrf_off_only_in_a_testing_config_class_is_not_enough(tmp_path: Path) -> None:
    files = flask_files(csrf="true")
    del files["etc/config.ini"]
    files["catalog/config.py"] = "class TestingConfig:\n    TESTING = True\n    WTF_CSRF_ENABLED = False\n"
    out = run(tmp_path, files)
    assert [x for x in out if "SECRET_KEY is not set" in x], out


# ---- Flask: SECRET_KEY produced by the project's own config loader from a TOML secret_key ----

APP = '''\
from flask import Flask

from shop.config.converter import convert_config
from shop.config.parser import parse_config


def create_app(config_path):
    app = Flask(__name__)
    data = {'SESSION_COOKIE_SECURE': True, 'SESSION_COOKIE_SAMESITE': 'Lax'}
    data.update(convert_config(parse_config(config_path)))
    app.config.update(data)
    return app
'''
CONVERTER = '''\
def convert_config(config):
    yield 'LOCALE', config.locale
    yield {mapping}
'''
VIEWS = "from flask import session\n\n\ndef login(user_id):\n    session['user_id'] = user_id\n"


def loader_files(mapping: str = "'SECRET_KEY', config.secret_key") -> dict[str, str]:
    return {"shop/__init__.py": "", "shop/application.py": APP, "shop/views.py": VIEWS, "shop/config/__init__.py": "",
            "shop/config/parser.py": "def parse_config(path):\n    return None\n",
            "shop/config/converter.py": CONVERTER.format(mapping=mapping)}


def test_secret_key_mapped_by_the_projects_loader_is_unknown_not_missing(tmp_path: Path) -> None:
    out = run(tmp_path, loader_files())
    assert not [x for x in out if "SECRET_KEY" in x], out


def test_secret_key_never_mapped_still_reported(tmp_path: Path) -> None:
    out = run(tmp_path, loader_files(mapping="'REDIS_URL', config.redis_url"))
    assert [x for x in out if "SECRET_KEY is not set" in x], out
