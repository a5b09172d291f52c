"""check-security-settings, held-out round 17: CSRF middleware left out with the reason in a comment
(a recorded decision, not a finding; a bare commented-out line still is), and a DEBUG level judged
only on loggers that write DEBUG records (not django.request / django.security / django.server).
One env-driven settings module per project, shaped like the round's."""
from __future__ import annotations

from pathlib import Path

SETTINGS = '''import os

SECRET_KEY = os.environ['SECRET_KEY']
DEBUG = False
ALLOWED_HOSTS = ['news.example.org']
ROOT_URLCONF = 'site.urls'
WSGI_APPLICATION = 'site.wsgi.application'
INSTALLED_APPS = ['django.contrib.admin', 'django.contrib.auth', 'django.contrib.sessions', 'pages']

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
{inline}    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]
SECURE_HSTS_SECONDS = 31536000
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

CACHE_SECONDS = 600
{below}
LOGGING = {{
    'version': 1,
    'handlers': {{
        'console': {{'level': 'DEBUG', 'class': 'logging.StreamHandler'}},
        'errors': {{'level': 'ERROR', 'class': 'logging.FileHandler', 'filename': 'errors.log'}},
    }},
    'loggers': {{
        'django': {{'handlers': ['console'], 'level': 'INFO'}},
{loggers}    }},
}}
'''


def _lines(tmp_path: Path, inline: str = "", below: str = "", loggers: str = "") -> list[str]:
    from hooks.checks.check_security_settings import HOOK
    from tests.helpers.security import run_files_hook

    files = {"site/__init__.py": "", "site/settings.py": SETTINGS.format(inline=inline, below=below, loggers=loggers),
             "site/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
             "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
             "requirements.txt": "Django==2.2.28\n"}
    problems, _ = run_files_hook(HOOK, tmp_path, files, None)
    return [f"{p.path}:{p.line}: {p.message}" for p in problems]


def _csrf(out: list[str]) -> list[str]:
    return [m for m in out if "CsrfViewMiddleware is not in" in m]


# ---- class 1: CSRF middleware left out on purpose ------------------------------------------------

REASONED = '''
############
# SECURITY #
############
# Adds time to every response and breaks the page cache.
# The admin wraps its own views, so unless we add forms outside the admin
# there is no need to enable it.
# MIDDLEWARE += ['django.middleware.csrf.CsrfViewMiddleware']
'''


def test_a_commented_out_csrf_middleware_with_its_reason_is_a_decision(tmp_path: Path) -> None:
    out = _lines(tmp_path, below=REASONED)
    assert not _csrf(out), out


def test_a_reason_on_the_commented_out_line_itself_is_a_decision(tmp_path: Path) -> None:
    out = _lines(tmp_path, inline="    # 'django.middleware.csrf.CsrfViewMiddleware',  # disabled: the API clients use token auth\n")
    assert not _csrf(out), out


def test_a_comment_on_csrf_in_the_list_is_a_decision(tmp_path: Path) -> None:
    out = _lines(tmp_path, inline="    # No CSRF middleware: only the admin takes POSTs and it protects its own views.\n")
    assert not _csrf(out), out


def test_a_bare_commented_out_csrf_middleware_is_still_reported(tmp_path: Path) -> None:
    out = _lines(tmp_path, inline="    # 'django.middleware.csrf.CsrfViewMiddleware',\n")
    assert _csrf(out), out


def test_a_todo_above_the_commented_out_line_is_no_reason(tmp_path: Path) -> None:
    out = _lines(tmp_path, below="# TODO: turn this back on\n# MIDDLEWARE += ['django.middleware.csrf.CsrfViewMiddleware']\n")
    assert _csrf(out), out


def test_no_csrf_middleware_and_no_comment_is_reported(tmp_path: Path) -> None:
    assert _csrf(_lines(tmp_path)), "expected a CSRF finding"


# ---- class 2: DEBUG on a logger that writes no DEBUG records ---------------------------------------

def _debug(out: list[str]) -> list[str]:
    return [m for m in out if "is at DEBUG" in m]


def test_django_request_at_debug_is_no_finding(tmp_path: Path) -> None:
    out = _lines(tmp_path, below=REASONED,
                 loggers="        'django.request': {'handlers': ['console'], 'level': 'DEBUG', 'propagate': True},\n"
                         "        'django.security.csrf': {'handlers': ['console'], 'level': 'DEBUG'},\n")
    assert not _debug(out), out


def test_the_apps_own_logger_at_debug_is_the_apps_choice(tmp_path: Path) -> None:
    out = _lines(tmp_path, below=REASONED,
                 loggers="        'django.request': {'handlers': ['console'], 'level': 'DEBUG', 'propagate': True},\n"
                         "        'pages.audit': {'handlers': ['console'], 'level': 'DEBUG', 'propagate': False},\n")
    assert not _debug(out), out


def test_the_root_logger_at_debug_beside_a_quiet_django_request_is_a_finding(tmp_path: Path) -> None:
    out = _lines(tmp_path, below=REASONED,
                 loggers="        'django.request': {'handlers': ['console'], 'level': 'DEBUG', 'propagate': False},\n"
                         "        '': {'handlers': ['console'], 'level': 'DEBUG'},\n")
    assert [m for m in out if "LOGGING's root logger is at DEBUG" in m], out


def test_a_debug_root_that_only_reaches_an_error_handler_is_no_finding(tmp_path: Path) -> None:
    out = _lines(tmp_path, below=REASONED, loggers="        '': {'handlers': ['errors'], 'level': 'DEBUG'},\n")
    assert not _debug(out), out


def test_django_db_backends_at_debug_is_a_finding(tmp_path: Path) -> None:
    out = _lines(tmp_path, below=REASONED,
                 loggers="        'django.db.backends': {'handlers': ['console'], 'level': 'DEBUG'},\n")
    assert [m for m in out if "django.db.backends logger is at DEBUG" in m], out


# ---- class 3: HTTPS evidence from flask-sslify and commonware ---------------------------------------

FLASK_FACTORY = '''import os

from flask import Flask
from flask_login import LoginManager
{sslify_import}
login_manager = LoginManager()


def create_app():
    """Build the app from the class APP_SETTINGS names."""
    app = Flask(__name__)
    app.config.from_object(os.environ['APP_SETTINGS'])
    login_manager.init_app(app)
    with app.app_context():
{sslify}        from . import views  # noqa: F401
    return app
'''
FLASK_CONFIG = '''import os


class Config(object):
    SECRET_KEY = os.environ['SECRET_KEY']
    MAX_CONTENT_LENGTH = 1024 * 1024


class ProductionConfig(Config):
    DEBUG = False
'''


def _flask_lines(tmp_path: Path, sslify: bool) -> list[str]:
    from hooks.checks.check_security_settings import HOOK
    from tests.helpers.security import run_files_hook

    app = FLASK_FACTORY.format(sslify_import="from flask_sslify import SSLify\n" if sslify else "",
                               sslify="        SSLify(app, skips=['hook'])\n" if sslify else "")
    files = {"tracks/__init__.py": app, "tracks/views.py": "from flask import current_app\n", "config.py": FLASK_CONFIG,
             "wsgi.py": "from tracks import create_app\napp = create_app()\n", "Procfile": "web: gunicorn wsgi:app\n",
             "requirements.txt": "Flask==1.1.2\nFlask-Login==0.5.0\nFlask-SSLify==0.1.5\n"}
    problems, _ = run_files_hook(HOOK, tmp_path, files, None)
    return [f"{p.path}:{p.line}: {p.message}" for p in problems]


def test_sslify_says_production_is_served_over_https(tmp_path: Path) -> None:
    out = _flask_lines(tmp_path, sslify=True)
    assert [m for m in out if "SESSION_COOKIE_SECURE" in m], out


def test_without_sslify_the_cookie_flag_is_the_deployments_call(tmp_path: Path) -> None:
    out = _flask_lines(tmp_path, sslify=False)
    assert not [m for m in out if "SESSION_COOKIE_SECURE" in m], out


def _plain_lines(tmp_path: Path, inline: str) -> list[str]:
    """The round's Django settings with no secure cookie, HSTS or redirect: nothing else says HTTPS."""
    from hooks.checks.check_security_settings import HOOK
    from tests.helpers.security import run_files_hook

    settings = SETTINGS.replace("SECURE_HSTS_SECONDS = 31536000\nSECURE_SSL_REDIRECT = True\nSESSION_COOKIE_SECURE = True\n"
                                "CSRF_COOKIE_SECURE = True\n", "")
    files = {"site/__init__.py": "", "site/settings.py": settings.format(inline=inline, below=REASONED, loggers=""),
             "site/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
             "requirements.txt": "Django==2.2.28\n"}
    problems, _ = run_files_hook(HOOK, tmp_path, files, None)
    return [f"{p.path}:{p.line}: {p.message}" for p in problems]


def test_commonware_strict_transport_middleware_says_https(tmp_path: Path) -> None:
    out = _plain_lines(tmp_path, "    'commonware.middleware.StrictTransportMiddleware',\n")
    assert [m for m in out if "SESSION_COOKIE_SECURE" in m], out


def test_without_it_nothing_says_https(tmp_path: Path) -> None:
    out = _plain_lines(tmp_path, "")
    assert not [m for m in out if "SESSION_COOKIE_SECURE" in m], out


def test_commonware_strict_transport_middleware_is_settings_evidence() -> None:
    from hooks.checks.check_security_settings.transport import settings_evidence
    from hooks.common.settings_values import LITERAL, Val

    mw = ("django.middleware.common.CommonMiddleware", "commonware.middleware.StrictTransportMiddleware")
    assert "StrictTransportMiddleware" in settings_evidence({"MIDDLEWARE_CLASSES": (Val(LITERAL, mw, path="app/settings/base.py", line=12),)})
    assert settings_evidence({"MIDDLEWARE_CLASSES": (Val(LITERAL, mw[:1], path="app/settings/base.py", line=12),)}) == ""
