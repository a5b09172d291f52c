"""check-security-settings, held-out round 14's wrong class fixed as a class: ``SECRET_KEY = None``
in a Flask config class (filled at run time from the environment by a loader) is a placeholder, not a
committed key. Catch / leave-alone pair on files shaped like the real ones (written here)."""
from __future__ import annotations

from pathlib import Path

from hooks.checks.check_security_settings import HOOK
from tests.helpers.security import COMMON_MIDDLEWARE as COMMON
from tests.helpers.security import layered_django_lines as django_lines
from tests.helpers.security import run_files_hook


def run(tmp_path: Path, files: dict[str, str], **options: object) -> list[str]:
    problems, _ = run_files_hook(HOOK, tmp_path, files, None, **options)
    return [f"{p.path}:{p.line}: {p.message}" for p in problems]


CONFIG = '''\
class Config:
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 1024 * 1024
    # keys left as None are read from env vars by the shared loader
    SECRET_KEY = {key}


class Live(Config):
    DEBUG = False


class Production(Live):
    pass


class SharedLive(Live):
    pass


configs = {{"live": Live, "production": Production, "shared": SharedLive}}
'''

APP = '''\
from flask import Flask

from shop.config import configs
from sharedlib import init_app


def create_app(name):
    app = Flask(__name__)
    app.config.from_object(configs[name])
    init_app(app, configs[name])
    return app
'''


VIEWS = "from flask import session\n\n\ndef login(user_id):\n    session['user_id'] = user_id\n"


def secret_lines(tmp_path: Path, key: str) -> list[str]:
    files = {"shop/__init__.py": APP, "shop/config.py": CONFIG.format(key=key), "shop/views.py": VIEWS}
    return [m for m in run(tmp_path, files) if "SECRET_KEY" in m]


def test_none_secret_key_in_flask_config_class_is_not_a_finding(tmp_path: Path) -> None:
    assert not [m for m in secret_lines(tmp_path, "None") if "in the repository" in m]


def test_empty_secret_key_is_not_a_finding(tmp_path: Path) -> None:
    assert not [m for m in secret_lines(tmp_path, '""') if "in the repository" in m]


def test_committed_secret_key_in_flask_config_class_still_caught(tmp_path: Path) -> None:
    assert [m for m in secret_lines(tmp_path, '"s3cr3t-k3y-committed"') if "in the repository" in m]


# ---- third-party middlewares that do Django's job (django-session-csrf, django-secure, commonware) ----

def test_session_csrf_middleware_is_the_csrf_protection(tmp_path: Path) -> None:
    out = django_lines(tmp_path, COMMON + ["session_csrf.CsrfMiddleware", "django.middleware.security.SecurityMiddleware"],
                       "SECURE_HSTS_SECONDS = 31536000")
    assert not [m for m in out if "CsrfViewMiddleware" in m or "CSRF_COOKIE_SECURE" in m], out


def test_without_session_csrf_csrf_middleware_and_cookie_still_asked_for(tmp_path: Path) -> None:
    out = django_lines(tmp_path, COMMON + ["django.middleware.security.SecurityMiddleware"], "SECURE_HSTS_SECONDS = 31536000")
    assert [m for m in out if "CsrfViewMiddleware is not in MIDDLEWARE_CLASSES" in m], out
    out = django_lines(tmp_path, COMMON + ["django.middleware.csrf.CsrfViewMiddleware", "django.middleware.security.SecurityMiddleware"],
                       "SECURE_HSTS_SECONDS = 31536000")
    assert [m for m in out if "CSRF_COOKIE_SECURE is not set" in m], out


def test_filtered_middleware_tuple_in_prod_layer_is_read(tmp_path: Path) -> None:
    # prod drops CSP from the base list with a comprehension: the rest is still known
    out = django_lines(tmp_path, COMMON + ["django.middleware.security.SecurityMiddleware"], "SECURE_HSTS_SECONDS = 31536000")
    assert [m for m in out if "CsrfViewMiddleware is not in" in m], out


def test_commonware_strict_transport_middleware_sends_hsts(tmp_path: Path) -> None:
    mw = COMMON + ["commonware.middleware.StrictTransportMiddleware", "session_csrf.CsrfMiddleware",
                   "djangosecure.middleware.SecurityMiddleware"]
    out = django_lines(tmp_path, mw)
    assert not [m for m in out if "HSTS" in m or "SecurityMiddleware" in m or "STS_MAX_AGE" in m], out


def test_commonware_with_hsts_turned_off_is_reported(tmp_path: Path) -> None:
    mw = COMMON + ["commonware.middleware.StrictTransportMiddleware", "session_csrf.CsrfMiddleware",
                   "djangosecure.middleware.SecurityMiddleware"]
    out = django_lines(tmp_path, mw, "STS_MAX_AGE = 0")
    assert [m for m in out if "STS_MAX_AGE is 0" in m], out


def test_djangosecure_counts_as_security_middleware_and_judges_hsts(tmp_path: Path) -> None:
    out = django_lines(tmp_path, COMMON + ["session_csrf.CsrfMiddleware", "djangosecure.middleware.SecurityMiddleware"])
    assert not [m for m in out if "SecurityMiddleware is not in" in m], out
    assert [m for m in out if "SECURE_HSTS_SECONDS is not set" in m], out
    out = django_lines(tmp_path, COMMON + ["session_csrf.CsrfMiddleware", "djangosecure.middleware.SecurityMiddleware"],
                       "SECURE_HSTS_SECONDS = 31536000")
    assert not [m for m in out if "SECURE_HSTS_SECONDS" in m], out


def test_no_security_middleware_of_any_kind_is_still_reported(tmp_path: Path) -> None:
    out = django_lines(tmp_path, COMMON + ["session_csrf.CsrfMiddleware"])
    assert [m for m in out if "SecurityMiddleware is not in" in m], out


# ---- a Flask app whose config a loader fills from the environment ----

JOBS_APP = '''\
from flask import Flask, session
import coaster.app

app = Flask(__name__, instance_relative_config=True)
app.config["SESSION_COOKIE_SECURE"] = True

from . import views  # noqa

coaster.app.init_app(app, {sources})
'''

LOOP_APP = '''\
import os
from flask import Flask

app = Flask(__name__)
app.config.from_object("board.defaults")
for key in ("SECRET_KEY", "DATABASE_URL"):
    if key in os.environ:
        app.config[key] = os.environ[key]
'''


def jobs_secret_lines(tmp_path: Path, app: str, defaults: str = "") -> list[str]:
    files = {"board/__init__.py": app, "board/views.py": VIEWS,
             "sample.env": "FLASK_SECRET_KEYS='[\"make-this-random\"]'\n"}
    if defaults:
        files["board/defaults.py"] = defaults
    return [m for m in run(tmp_path, files) if "SECRET_KEY" in m]


def test_coaster_env_loader_fills_secret_key(tmp_path: Path) -> None:
    assert not jobs_secret_lines(tmp_path, JOBS_APP.format(sources="['py', 'env'], env_prefix=['FLASK', 'APP_BOARD']"))


def test_coaster_file_only_loader_still_reports_missing_secret_key(tmp_path: Path) -> None:
    # the 'py' source alone is the instance file the repo holds (or not): no environment layer
    assert [m for m in jobs_secret_lines(tmp_path, JOBS_APP.format(sources="['py']"))
            if "SECRET_KEY is not set" in m]


def test_environment_copy_loop_fills_secret_key(tmp_path: Path) -> None:
    defaults = "SESSION_COOKIE_SECURE = True\nDEBUG = False\n"
    assert not [m for m in jobs_secret_lines(tmp_path, LOOP_APP, defaults) if "not set" in m]


def test_without_environment_loop_missing_secret_key_is_reported(tmp_path: Path) -> None:
    defaults = "SESSION_COOKIE_SECURE = True\nDEBUG = False\n"
    app = LOOP_APP.replace('        app.config[key] = os.environ[key]\n', '        print(key)\n')
    assert [m for m in jobs_secret_lines(tmp_path, app, defaults) if "SECRET_KEY is not set" in m]


# ---- one committed value, one line (not one per production subclass) ----

def test_committed_key_in_base_class_is_one_line_for_all_subclasses(tmp_path: Path) -> None:
    lines = [m for m in secret_lines(tmp_path, '"s3cr3t-k3y-committed"') if "in the repository" in m]
    assert len(lines) == 1, lines
    assert lines[0].startswith("shop/config.py:6:") and "Live" in lines[0] and "Production" in lines[0] and "SharedLive" in lines[0], lines


def test_keys_set_in_each_subclass_stay_separate_lines(tmp_path: Path) -> None:
    config = CONFIG.format(key="None").replace("    DEBUG = False\n", "    DEBUG = False\n    SECRET_KEY = 'live-key-committed-here'\n", 1)
    config = config.replace("class Production(Live):\n    pass", "class Production(Live):\n    SECRET_KEY = 'production-key-committed'", 1)
    files = {"shop/__init__.py": APP, "shop/config.py": config, "shop/views.py": VIEWS}
    lines = [m for m in run(tmp_path, files) if "in the repository" in m]
    assert len({m.split(":", 2)[1] for m in lines}) == 2, lines
