"""check-security-settings, held-out round 8's wrong classes and miss fixed as
classes: a django-configurations method setting (``def LOGGING(self)``) is the
setting; a project subclass of SecurityMiddleware named in MIDDLEWARE counts;
the project's own SILENCED_SYSTEM_CHECKS decides the items Django's check ids
test; ``django_heroku.settings(locals())`` sets what it sets; an env default
given as a string and parsed to bool (everett ``parser=bool``) is the parsed
value; a Flask key read from the environment with a committed fallback, beside an
optional deployment file, stays a finding. Catch / leave-alone pairs on files
shaped like the real ones (written here)."""
from __future__ import annotations

from pathlib import Path

from hooks.checks.check_security_settings import HOOK
from hooks.checks.check_security_settings.django import SECURITY_MW
from hooks.checks.check_security_settings.subclasses import ancestors
from tests.helpers.security import run_files_hook


def run(tmp_path: Path, files: dict[str, str], **options: object):
    return run_files_hook(HOOK, tmp_path, files, None, **options)


def items(problems) -> set[str]:
    return {p.identity[0] for p in problems}


def messages(problems, item: str) -> str:
    return " | ".join(p.message for p in problems if p.identity[0] == item)


# ---- django-configurations: method settings, a SecurityMiddleware subclass, silenced checks ----

SETTINGS = '''\
import os

from configurations import Configuration, values


class Core(Configuration):
    BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "shop.base"]
    MIDDLEWARE = [
        "corsheaders.middleware.CorsMiddleware",
        "shop.base.middleware.@SECURITY@",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    ROOT_URLCONF = "shop.urls"


class Base(Core):
    LOGGING_USE_JSON = values.BooleanValue(False)
    DEBUG = values.BooleanValue(False)
    SECRET_KEY = values.SecretValue()
    ALLOWED_HOSTS = values.ListValue([])
    SILENCED_SYSTEM_CHECKS = values.ListValue(
        [
            @SILENCED@
        ]
    )

@LOGGING@


class Production(Base):
    SECURE_PROXY_SSL_HEADER = values.TupleValue(("HTTP_X_FORWARDED_PROTO", "https"))
    SECURE_HSTS_SECONDS = values.IntegerValue(31536000)
    SESSION_COOKIE_SECURE = values.BooleanValue(True)
    LOGGING_USE_JSON = values.Value(True)
'''
LOGGING_METHOD = '''\
    def LOGGING(self):
        return {
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {
                "console": {
                    "level": "DEBUG",
                    "class": "logging.StreamHandler",
                    "formatter": "json" if self.LOGGING_USE_JSON else "development",
                }
            },
            "root": {"handlers": ["console"], "level": "WARNING"},
        }
'''
LOGGING_NONE = '''\
    def logging_config(self):
        return {"version": 1, "root": {"handlers": ["console"], "level": "WARNING"}}
'''
LOGGING_TESTLOGGER = '''\
    @property
    def LOGGING(self):
        """Only a test logger."""
        return {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}},
                "loggers": {"testlogger": {"handlers": ["console"], "level": "INFO"}}}
'''
MIDDLEWARE_MODULE = '''\
from django.middleware.security import SecurityMiddleware
from django.utils.deprecation import MiddlewareMixin

from .redirects import CachedRedirectMixin


class ShopSecurityMiddleware(CachedRedirectMixin, SecurityMiddleware):
    """Logs HTTP to HTTPS redirects."""

    def process_request(self, request):
        return super().process_request(request)


class ShopTimingMiddleware(MiddlewareMixin):
    def process_request(self, request):
        request.started = 0
'''
REDIRECTS = '''\
class CachedRedirectMixin:
    cache_seconds = 3600
'''
WSGI = '''\
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("DJANGO_CONFIGURATION", "Production")

from configurations.wsgi import get_wsgi_application  # noqa

application = get_wsgi_application()
'''


def _shop(tmp_path: Path, security: str = "ShopSecurityMiddleware", silenced: str = "", logging: str = LOGGING_METHOD):
    settings = SETTINGS.replace("@SECURITY@", security).replace("@SILENCED@", silenced).replace("@LOGGING@", logging)
    files = {"shop/settings.py": settings, "shop/wsgi.py": WSGI, "shop/__init__.py": "", "shop/base/__init__.py": "",
             "shop/base/middleware.py": MIDDLEWARE_MODULE, "shop/base/redirects.py": REDIRECTS}
    return run(tmp_path, files, checklist=True)


def test_a_method_setting_is_the_setting(tmp_path: Path) -> None:
    problems, ctx = _shop(tmp_path)
    assert "shop/settings.py:Production (Django" in "".join(ctx.output)
    assert "logging.logging" not in items(problems)


def test_a_readable_method_setting_is_judged(tmp_path: Path) -> None:
    # the method's one return is read: a LOGGING with only a test logger is still a finding, at the method
    problems, _ = _shop(tmp_path, logging=LOGGING_TESTLOGGER)
    assert "no handler that django.security reaches" in messages(problems, "logging.logging")
    assert [p.line for p in problems if p.identity[0] == "logging.logging"] == [SETTINGS.splitlines().index("@LOGGING@") + 2]


def test_a_lower_case_method_is_no_setting(tmp_path: Path) -> None:
    problems, _ = _shop(tmp_path, logging=LOGGING_NONE)
    assert "LOGGING is not set" in messages(problems, "logging.logging")


def test_a_project_subclass_of_security_middleware_counts(tmp_path: Path) -> None:
    problems, ctx = _shop(tmp_path)
    assert "headers.security_middleware" not in items(problems)
    assert "shop/settings.py:Production (Django" in "".join(ctx.output)
    # the middleware's settings are judged as with Django's own class
    assert "headers.nosniff" not in items(problems) and "headers.hsts" not in items(problems)


def test_the_bases_are_followed_through_modules() -> None:
    files = {"shop/base/middleware.py": MIDDLEWARE_MODULE, "shop/base/redirects.py": REDIRECTS,
             "shop/base/strict.py": "from . import middleware\n\n\nclass StrictMiddleware(middleware.ShopSecurityMiddleware):\n    pass\n"}

    def module_file(dotted: str) -> str | None:
        path = dotted.replace(".", "/") + ".py"
        return path if path in files else None

    found = ancestors("shop.base.strict.StrictMiddleware", module_file, files.get)
    assert SECURITY_MW in found and "shop.base.redirects.CachedRedirectMixin" in found
    assert ancestors("shop.base.middleware.ShopTimingMiddleware", module_file, files.get) == {"django.utils.deprecation.MiddlewareMixin"}
    assert ancestors("shop.base.middleware.Missing", module_file, files.get) == set()
    assert ancestors("corsheaders.middleware.CorsMiddleware", module_file, files.get) == set()


def test_a_project_middleware_that_is_no_subclass_does_not_count(tmp_path: Path) -> None:
    problems, _ = _shop(tmp_path, security="ShopTimingMiddleware")
    assert "headers.security_middleware" in items(problems)
    problems, _ = _shop(tmp_path / "missing", security="NoSuchMiddleware")
    assert "headers.security_middleware" in items(problems)


def test_the_projects_silenced_check_decides_the_item(tmp_path: Path) -> None:
    silenced = ('# We have disabled CSRF as we do not use cookie-based authentication.\n'
                '            "security.W003",')
    problems, ctx = _shop(tmp_path, silenced=silenced)
    assert "headers.csrf_middleware" not in items(problems)
    assert "silences Django's security.W003" in "".join(ctx.output)


def test_a_silenced_check_for_another_item_changes_nothing(tmp_path: Path) -> None:
    problems, _ = _shop(tmp_path, silenced='"security.W004", "security.W009", "security.W020",')
    assert "headers.csrf_middleware" in items(problems)
    problems, _ = _shop(tmp_path / "none", silenced="")
    assert "headers.csrf_middleware" in items(problems)


def test_silencing_the_weak_key_check_keeps_a_committed_key(tmp_path: Path) -> None:
    files = {
        "proj/settings.py": 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n'
                            'SECRET_KEY = "k3y-in-the-repo-9f8e7d6c5b4a3928171605f4e3d2c1b0a9f8e7d6c5b4a3928171605f4e3d"\n'
                            'SILENCED_SYSTEM_CHECKS = ["security.W009"]\nROOT_URLCONF = "proj.urls"\n',
        "proj/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
        "proj/__init__.py": "",
    }
    problems, _ = run(tmp_path, files)
    assert "secrets.secret_key" in items(problems)


# ---- django_heroku.settings(locals()) and everett's parser=bool ----

HEROKU = '''\
from pathlib import Path

from everett.manager import ConfigManager, ConfigOSEnv

config = ConfigManager([ConfigOSEnv()])
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = config("SECRET_KEY")
DEBUG = config("DEBUG", default="false", parser=bool)
ALLOWED_HOSTS = config("ALLOWED_HOSTS", default="standup.example.org", parser=str).split(",")
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "standup.status"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "standup.urls"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = config("SECURE_CONTENT_TYPE_NOSNIFF", default="@NOSNIFF@", parser=bool)

# Configure Django App for Heroku. Sets up db, logging, static files, and some other things.
import django_heroku  # noqa
django_heroku.settings(locals(), test_runner=False@HOSTS@)
'''


def _heroku(tmp_path: Path, nosniff: str = "true", hosts: str = ", allowed_hosts=False"):
    files = {"standup/settings.py": HEROKU.replace("@NOSNIFF@", nosniff).replace("@HOSTS@", hosts),
             "standup/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "standup.settings")\n',
             "standup/__init__.py": ""}
    return run(tmp_path, files)


def test_a_string_default_parsed_to_bool_is_the_parsed_value(tmp_path: Path) -> None:
    problems, _ = _heroku(tmp_path)
    assert "headers.nosniff" not in items(problems)


def test_a_false_string_default_parsed_to_bool_is_a_finding(tmp_path: Path) -> None:
    problems, _ = _heroku(tmp_path, nosniff="false")
    assert "headers.nosniff" in items(problems)


def test_the_heroku_helper_sets_logging(tmp_path: Path) -> None:
    problems, _ = _heroku(tmp_path)
    text = messages(problems, "logging.logging")
    # its LOGGING configures a "testlogger" only: not "not set", but still nothing for django.security
    assert "LOGGING is not set" not in text and "no handler that django.security reaches" in text
    assert "permissions.allowed_hosts" not in items(problems)  # allowed_hosts=False


def test_the_heroku_helper_sets_allowed_hosts_unless_told_not_to(tmp_path: Path) -> None:
    problems, _ = _heroku(tmp_path, hosts="")
    assert "ALLOWED_HOSTS is ['*']" in messages(problems, "permissions.allowed_hosts")


# ---- Flask: a committed fallback key beside an optional deployment file ----

FLASK_APP = '''\
import os

import flask


def create_app(_read_config=True, **config):
    app = flask.Flask(__name__)

    # Utilized for sessions and other secrets
    # NOTE: This key is insecure and you should override it on the server
    app.config[
        "SECRET_KEY"
    ] = "@KEY@"
@OVERRIDE@

    app.config["SESSION_COOKIE_SECURE"] = True
    app.config.update(config)

    if _read_config:
        @LOAD@
    return app
'''
OPTIONAL_LOAD = '''if os.environ.get("DEPLOY_CONF"):
            app.config.from_envvar("DEPLOY_CONF")
        else:
            app.config.from_pyfile(os.path.expanduser("~/.config/deploy/deploy.conf.py"), silent=True)'''
REQUIRED_LOAD = 'app.config.from_envvar("DEPLOY_CONF")'
WEAK_KEY = "t3%xd2.fe03=ecaf2+b8=f7"


ENV_OVERRIDE = '''    if "SECRET_KEY" in os.environ:
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]'''


def _flask(tmp_path: Path, override: str = ENV_OVERRIDE, load: str = OPTIONAL_LOAD, key: str = WEAK_KEY):
    app = FLASK_APP.replace("@KEY@", key).replace("@OVERRIDE@", override).replace("@LOAD@", load)
    files = {"deploy/config.py": app, "deploy/__init__.py": "from deploy.config import create_app\n",
             "deploy/web/auth.py": "from flask import session\n\n\ndef login():\n    session['uid'] = 1\n"}
    return run(tmp_path, files)


def test_a_committed_fallback_key_beside_an_optional_deployment_file_is_a_finding(tmp_path: Path) -> None:
    problems, _ = _flask(tmp_path)
    assert "a weak committed key runs when it is unset" in messages(problems, "secrets.secret_key")


def test_a_committed_fallback_key_beside_a_required_deployment_file_is_left_to_it(tmp_path: Path) -> None:
    problems, _ = _flask(tmp_path, load=REQUIRED_LOAD)
    assert "secrets.secret_key" not in items(problems)


def test_a_plain_quick_start_key_beside_an_optional_instance_file_is_left_to_it(tmp_path: Path) -> None:
    # the Flask tutorial's shape: SECRET_KEY="dev", the instance file sets production's key
    problems, _ = _flask(tmp_path, override="", key="dev")
    assert "secrets.secret_key" not in items(problems)
