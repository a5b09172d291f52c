"""check-security-settings, held-out round 6's wrong classes and misses fixed as
classes: Flask config classes that set their settings in ``__init__``
(``self.SECRET_KEY = ...``); signs of HTTPS in ``SECURE_SSL_REDIRECT = not DEBUG``
and in a production platform's ``if ON_HEROKU:`` block; ``SameSite=None`` cookies
of an app other sites embed on purpose (an LTI tool); a script that builds a
FastAPI app only to export its OpenAPI document is not a served app; a Host
allow-list is asked of FastAPI and Flask apps only when the repository names a
fixed public host name; a committed default SECRET_KEY is public whatever its
length (a Django env default; Flask's defaults object under the tracked file
``FLASK_CONF`` names). Catch / leave-alone pairs on files shaped like the
real ones (written here)."""
from __future__ import annotations

from pathlib import Path

from hooks.checks.check_security_settings import HOOK
from tests.helpers.security import run_files_hook


def run(tmp_path: Path, files: dict[str, str], **options: object):
    return run_files_hook(HOOK, tmp_path, files, None, **options)


def items(problems) -> set[str]:
    return {p.identity[0] for p in problems}


# ---- Flask config classes whose settings are instance attributes set in __init__ ----

INIT_CONFIG = '''\
import os

MEGABYTE = 1024 * 1024


class BaseConfig:
    def __init__(self):
        # App Settings
        self.DEBUG = False
        self.ENV = os.environ.get("ENV", "development")
        self.USE_SESSION_FOR_NEXT = True

        # Form Settings
        self.SECRET_KEY = @KEY@
        self.WTF_CSRF_ENABLED = True
        self.MAX_CONTENT_LENGTH = 50 * MEGABYTE


class DevelopmentConfig(BaseConfig):
    def __init__(self):
        super(DevelopmentConfig, self).__init__()
        self.DEBUG = True


class ProductionConfig(BaseConfig):
    def __init__(self):
        super(ProductionConfig, self).__init__()
        self.SITEMAP_URL_SCHEME = "https"


config = {"development": DevelopmentConfig(), "production": ProductionConfig()}
'''
INIT_APP = '''\
from flask import Flask
from flask_login import LoginManager

from oversight.app.models.config import config

login_manager = LoginManager()


def create_app(env="default"):
    app = Flask(__name__)
    app.config.from_object(config[env])
    login_manager.init_app(app)
    return app
'''


def oversight(key: str) -> dict[str, str]:
    return {"oversight/app/__init__.py": INIT_APP, "oversight/app/models/__init__.py": "",
            "oversight/app/models/config.py": INIT_CONFIG.replace("@KEY@", key)}


def test_a_secret_key_set_in_init_is_read(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, oversight('os.environ["SECRET_KEY"]'))
    assert "secrets.secret_key" not in items(problems)
    assert not any("is not set" in p.message for p in problems)


def test_a_placeholder_default_set_in_init_is_a_finding(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, oversight('os.environ.get("SECRET_KEY", "changemeplzorelsehax")'))
    keys = [p for p in problems if p.identity[0] == "secrets.secret_key"]
    assert [(p.path, p.line) for p in keys] == [("oversight/app/models/config.py", 14)]
    assert "public placeholder" in keys[0].message and "changemeplz" not in keys[0].message


def test_init_reads_locals_and_earlier_attributes(tmp_path: Path) -> None:
    files = oversight('os.environ["SECRET_KEY"]')
    files["oversight/app/models/config.py"] = files["oversight/app/models/config.py"].replace(
        '        self.SECRET_KEY = os.environ["SECRET_KEY"]\n',
        '        key = "not-secret"\n        self.FALLBACK = key\n        self.SECRET_KEY = self.FALLBACK\n')
    keys = [p for p in run(tmp_path, files)[0] if p.identity[0] == "secrets.secret_key"]
    assert keys and "in the repository" in keys[0].message


# ---- signs of HTTPS: `not DEBUG`, and the production platform's branch ----

GIRLS = '''\
import os

BASE_URL = "https://example-girls.org"
DEBUG = os.getenv("DJANGO_DEBUG") != "FALSE"
SECRET_KEY = "hello!" if DEBUG else os.getenv("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = ["example-girls.org"]
INSTALLED_APPS = ["django.contrib.sessions", "django.contrib.auth"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "girls.urls"
LOGGING = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "INFO"}}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = @REDIRECT@
'''
TRANSPORT = {"headers.hsts", "headers.session_cookie_secure", "headers.csrf_cookie_secure"}


def test_ssl_redirect_unless_debug_is_a_sign_of_https(tmp_path: Path) -> None:
    problems, ctx = run(tmp_path, {"girls/__init__.py": "", "girls/settings.py": GIRLS.replace("@REDIRECT@", "not DEBUG")})
    assert TRANSPORT <= items(problems)
    assert "headers.ssl_redirect" not in items(problems)  # True with DEBUG off
    assert not any("served over HTTPS" in n for n in ctx.notices)


def test_an_opt_in_redirect_or_debug_on_is_no_sign_of_https(tmp_path: Path) -> None:
    for n, redirect in enumerate(('os.getenv("HTTPS", "0") == "1"', "False")):
        problems, ctx = run(tmp_path / str(n), {"girls/__init__.py": "", "girls/settings.py": GIRLS.replace("@REDIRECT@", redirect)})
        assert TRANSPORT.isdisjoint(items(problems)), redirect
        assert any("served over HTTPS" in n for n in ctx.notices)
    # a settings module whose DEBUG is on, literally: `not DEBUG` is False there
    text = GIRLS.replace("@REDIRECT@", "not DEBUG").replace('DEBUG = os.getenv("DJANGO_DEBUG") != "FALSE"', "DEBUG = True")
    assert TRANSPORT.isdisjoint(items(run(tmp_path / "d", {"girls/__init__.py": "", "girls/settings.py": text})[0]))


HUMANS = '''\
import os

import django_heroku


def to_bool(env, default="false"):
    return bool(os.getenv(env, default).lower() in ("true", "1"))


# ON_HEROKU should be true if we are running on heroku.
ON_HEROKU = to_bool("ON_HEROKU")
DEBUG = to_bool("DEBUG")
SECRET_KEY = os.getenv("SECRET_KEY")
ALLOWED_HOSTS = ["humans.example.org"]
INSTALLED_APPS = ("django.contrib.sessions", "django.contrib.auth")
MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
)
ROOT_URLCONF = "humans.urls"
LOGGING = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "INFO"}}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Import settings from local_settings.py; these override the above
try:
    from local_settings import *  # NOQA
except ImportError:
    pass

if @FLAG@:
    INSTALLED_APPS = INSTALLED_APPS + ("raven.contrib.django.raven_compat",)

    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

    django_heroku.settings(locals())
'''


def test_the_production_platforms_branch_is_a_sign_of_https(tmp_path: Path) -> None:
    problems, ctx = run(tmp_path, {"humans/__init__.py": "", "humans/settings.py": HUMANS.replace("@FLAG@", "ON_HEROKU")})
    # the branch sets the cookies and the redirect; HSTS is what it lacks
    assert items(problems) == {"headers.hsts"}
    assert [p.line for p in problems] == [1]
    assert not any("served over HTTPS" in n for n in ctx.notices)


def test_an_installers_opt_in_branch_is_no_sign_of_https(tmp_path: Path) -> None:
    text = HUMANS.replace("@FLAG@", "USE_HTTPS").replace('DEBUG = to_bool("DEBUG")', 'DEBUG = to_bool("DEBUG")\nUSE_HTTPS = to_bool("USE_HTTPS")')
    problems, ctx = run(tmp_path, {"humans/__init__.py": "", "humans/settings.py": text})
    assert not items(problems) & (TRANSPORT | {"headers.ssl_redirect"})
    assert any("served over HTTPS" in n for n in ctx.notices)


# ---- SameSite=None on an app other sites frame on purpose (an LTI tool) ----

SHARED = '''\
import os.path
import sys

SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["tool.example.edu"]
INSTALLED_APPS = ["django.contrib.sessions", "django.contrib.auth", "corsheaders", @APPS@]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "tool.urls"
LOGGING = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "INFO"}}

LTI_TOOL_CONFIGURATION = {"title": "Tool", "launch_url": "lti/"}

TESTING = ('test' in sys.argv or 'jenkins' in sys.argv or
           'integrationserver' in sys.argv)

if TESTING:
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
else:
    SESSION_COOKIE_SAMESITE = 'None'
    @SECURE@

CSRF_COOKIE_SAMESITE = 'None'
'''
LTI_VIEWS = '''\
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic.base import TemplateView


@method_decorator(xframe_options_exempt, name="dispatch")
class LTILandingPage(TemplateView):
    template_name = "lti_auth/landing_page.html"
'''
SECURE = "SESSION_COOKIE_SECURE = True\n    CSRF_COOKIE_SECURE = True"


def tool(apps: str = "'lti_auth'", secure: str = SECURE, views: str = LTI_VIEWS, where: str = "lti_auth/views.py") -> dict[str, str]:
    return {"tool/__init__.py": "", "tool/settings.py": SHARED.replace("@APPS@", apps).replace("@SECURE@", secure),
            where: views, "lti_auth/__init__.py": ""}


def samesite(problems) -> list:
    return [p for p in problems if p.identity[0] == "headers.cookie_samesite"]


def test_samesite_none_on_an_lti_tool_with_secure_cookies_passes(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, tool())
    assert samesite(problems) == []
    # the exempt view alone, or the LTI app alone, says the app is framed on purpose
    assert samesite(run(tmp_path / "a", tool(apps="'tool.core'"))[0]) == []
    assert samesite(run(tmp_path / "b", tool(views="from django.views.generic.base import TemplateView\n"))[0]) == []
    # an LTI library imported by the service
    files = tool(apps="'tool.core'", views="from pylti.common import LTIException\n")
    assert samesite(run(tmp_path / "c", files)[0]) == []


def test_samesite_none_on_an_embedded_app_still_needs_secure(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, tool(secure="pass"))
    found = samesite(problems)
    assert {p.identity[1] for p in found} == {"SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"}
    assert all("browsers drop SameSite=None cookies without Secure" in p.message for p in found)
    assert all("set " in p.message and "_COOKIE_SECURE = True" in p.message for p in found)


def test_samesite_none_without_a_sign_of_embedding_stays_a_finding(tmp_path: Path) -> None:
    plain = "from django.views.generic.base import TemplateView\n"
    problems, _ = run(tmp_path, tool(apps="'tool.core'", views=plain))
    assert {p.identity[1] for p in samesite(problems)} == {"SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE"}
    # an exempt view only the tests hold is not the service framing itself
    problems, _ = run(tmp_path / "t", tool(apps="'tool.core'", views=LTI_VIEWS, where="tests/test_views.py"))
    assert {p.identity[1] for p in samesite(problems)} == {"SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE"}


CSP = '''\
X_FRAME_OPTIONS = "SAMEORIGIN"
CSP_FRAME_ANCESTORS = @ANCESTORS@
'''


def test_frame_ancestors_naming_other_origins_is_a_sign_of_embedding(tmp_path: Path) -> None:
    plain = "from django.views.generic.base import TemplateView\n"
    files = tool(apps="'tool.core'", views=plain)
    files["tool/settings.py"] += CSP.replace("@ANCESTORS@", '("\'self\'", "https://*.instructure.com")')
    assert samesite(run(tmp_path, files)[0]) == []
    files["tool/settings.py"] = files["tool/settings.py"].replace('"https://*.instructure.com"', '"\'none\'"')
    assert len(samesite(run(tmp_path / "b", files)[0])) == 2


# ---- a script that builds the FastAPI app to export its spec serves nothing ----

FASTAPI_CORS = '''\
import logging

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

logging.basicConfig(level=logging.INFO)
'''
GENERATOR = FASTAPI_CORS + '''\
import json
import sys


def build_app() -> FastAPI:
    """Build the app only to read its OpenAPI document."""
    app = FastAPI()
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
    return app


def main() -> int:
    json.dump(build_app().openapi(), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''
SERVED_SCRIPT = FASTAPI_CORS + '''\
import uvicorn

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)

if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)
'''


def test_a_spec_generator_script_is_not_an_entry_point(tmp_path: Path) -> None:
    problems, ctx = run(tmp_path, {"generate_api_spec.py": GENERATOR})
    assert problems == []
    assert any("no production settings found" in n for n in ctx.notices)


def test_served_apps_stay_entry_points(tmp_path: Path) -> None:
    # a script that runs the server itself
    problems, _ = run(tmp_path, {"server.py": SERVED_SCRIPT})
    assert [p.path for p in problems if p.identity[0] == "permissions.cors"] == ["server.py"]
    # the package's app factory, with no __main__ guard
    factory = GENERATOR.split("\n\ndef main")[0] + "\n"
    assert "permissions.cors" in items(run(tmp_path / "b", {"api/__init__.py": "", "api/app.py": factory})[0])
    # a script the Dockerfile serves
    files = {"generate_api_spec.py": GENERATOR.replace("def build_app() -> FastAPI:", "app = None\n\n\ndef build_app() -> FastAPI:"),
             "Dockerfile": 'FROM python:3.12\nCMD ["uvicorn", "generate_api_spec:app", "--factory"]\n'}
    assert "permissions.cors" in items(run(tmp_path / "c", files)[0])


# ---- a Host allow-list only for a service with a fixed public host name ----

APPLIANCE = FASTAPI_CORS + '''\

def create_fastapi_app(config) -> FastAPI:
    app = FastAPI(debug=False)
    return app
'''
# the image's own nginx: the catch-all server on purpose, reached by any LAN address
CATCH_ALL = '''\
server {
    listen 8971 ssl;
    ssl_certificate /etc/letsencrypt/live/frigate/fullchain.pem;
    client_max_body_size 10M;
    location / {
        proxy_pass http://frigate_api;
    }
}
'''


def test_an_appliance_reached_by_any_name_is_not_asked_for_a_host_list(tmp_path: Path) -> None:
    files = {"nvr/__init__.py": "", "nvr/api/__init__.py": "", "nvr/api/fastapi_app.py": APPLIANCE,
             "docker/main/rootfs/etc/nginx/nginx.conf": CATCH_ALL}
    problems, ctx = run(tmp_path, files)
    assert "permissions.trusted_hosts" not in items(problems)
    assert any("fixed public host name" in n for n in ctx.notices)
    assert not any("no proxy config" in n for n in ctx.notices)  # the nginx is in the repo
    strict, _ = run(tmp_path / "s", files, strict=True)
    assert "permissions.trusted_hosts" in items(strict)


def test_a_certificate_or_redirect_for_a_public_name_asks_for_a_host_list(tmp_path: Path) -> None:
    for n, line in enumerate(("ssl_certificate /etc/letsencrypt/live/nvr.acme.io/fullchain.pem;", "return 301 https://nvr.acme.io$request_uri;")):
        files = {"nvr/__init__.py": "", "nvr/api/__init__.py": "", "nvr/api/fastapi_app.py": APPLIANCE,
                 "docker/main/rootfs/etc/nginx/nginx.conf": CATCH_ALL.replace("    ssl_certificate /etc/letsencrypt/live/frigate/fullchain.pem;",
                                                                              "    " + line)}
        assert "permissions.trusted_hosts" in items(run(tmp_path / str(n), files)[0]), line
    # a sample name is no one's host
    files["docker/main/rootfs/etc/nginx/nginx.conf"] = CATCH_ALL.replace("live/frigate/", "live/example.com/")
    assert "permissions.trusted_hosts" not in items(run(tmp_path / "x", files)[0])


FLASK_HOSTS_APP = "from flask import Flask\nfrom flask_talisman import Talisman\napp = Flask(__name__)\napp.config.from_object('svc.config')\nTalisman(app)\n"
FLASK_HOSTS_CONFIG = ("import os\nSECRET_KEY = os.environ['K']\nSESSION_COOKIE_SECURE = True\nSESSION_COOKIE_SAMESITE = 'Lax'\n"
                      "MAX_CONTENT_LENGTH = 10\n")


def test_flask_asks_for_trusted_hosts_only_with_a_public_name(tmp_path: Path) -> None:
    files = {"svc/__init__.py": "", "svc/app.py": FLASK_HOSTS_APP, "svc/config.py": FLASK_HOSTS_CONFIG, "requirements.txt": "flask>=3.1\n",
             "deploy/nginx.conf": "server {\n  location / { proxy_pass http://app; }\n}\n"}
    assert "permissions.trusted_hosts" not in items(run(tmp_path, files)[0])
    files["svc/config.py"] += "SERVER_NAME = 'pads.acme.io'\n"
    assert "permissions.trusted_hosts" in items(run(tmp_path / "b", files)[0])


# ---- a committed default SECRET_KEY is public whatever its length ----

STRONG = "z^bd9lk)o!03n#9e_u87zidd1zt7*^_oc4v6t!@@86vtbu0*&j"  # 50 characters, a made-up key
COMMON = '''\
import os

INSTALLED_APPS = ["django.contrib.sessions", "django.contrib.auth"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "junction.urls"
LOGGING = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "INFO"}}
SECRET_KEY = os.environ.get(
    "SECRET_KEY", @KEY@
)
ALLOWED_HOSTS = ["in.example-conf.org"]
'''
INIT = "from .common import *  # noqa\n\ntry:\n    from .dev import *  # noqa\nexcept ImportError:\n    pass\n"


def conference(key: str, init: str = INIT) -> dict[str, str]:
    return {"settings/__init__.py": init, "settings/common.py": COMMON.replace("@KEY@", key)}


def test_a_strong_committed_env_default_is_a_finding(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, conference(repr(STRONG)))
    keys = [p for p in problems if p.identity[0] == "secrets.secret_key"]
    assert len(keys) == 1 and "committed in the repository" in keys[0].message and "settings/common.py:13" in keys[0].message
    assert STRONG not in keys[0].message


def test_a_key_from_the_environment_or_the_deployers_layer_passes(tmp_path: Path) -> None:
    assert "secrets.secret_key" not in items(run(tmp_path, conference("None"))[0])
    # the deployer's own local_settings, loaded last, replaces the quick-start default
    init = INIT + "\ntry:\n    from .local_settings import *  # noqa\nexcept ImportError:\n    pass\n"
    assert "secrets.secret_key" not in items(run(tmp_path / "b", conference(repr(STRONG), init))[0])


PDNS_APP = '''\
import os

from flask import Flask
from flask_session import Session


def create_app(config=None):
    app = Flask(__name__)
    app.config.from_object("pdnsadmin.default_config")

    # Load config file from FLASK_CONF env variable
    if "FLASK_CONF" in os.environ:
        app.config.from_envvar("FLASK_CONF")

    # Load app specified configuration
    if config is not None:
        if isinstance(config, dict):
            app.config.update(config)
        elif config.endswith(".py"):
            app.config.from_pyfile(config)
    Session(app)
    return app
'''
PDNS_DEFAULTS = "import os\n\nHSTS_ENABLED = False\nSECRET_KEY = 'e951e5a1f4b94151b360f47edf596dd2'\nSESSION_COOKIE_SAMESITE = 'Lax'\n"
PDNS_DOCKER_CONFIG = "import os\n\nPORT = 80\nSQLALCHEMY_DATABASE_URI = os.getenv('SQLALCHEMY_DATABASE_URI', 'sqlite:////data/pdns.db')\n"
PDNS_COMPOSE = "services:\n  app:\n    environment:\n      FLASK_CONF: /app/configs/docker_config.py\n"
PDNS_DOCKERFILE = 'FROM python:3.12\nCMD ["gunicorn", "pdnsadmin:create_app()"]\n'


def pdns(docker_config: str = PDNS_DOCKER_CONFIG, dockerfile: str = PDNS_DOCKERFILE) -> dict[str, str]:
    return {"pdnsadmin/__init__.py": PDNS_APP, "pdnsadmin/default_config.py": PDNS_DEFAULTS, "configs/docker_config.py": docker_config,
            "docker/docker-compose.yml": PDNS_COMPOSE, "docker/Dockerfile.app": dockerfile}


def test_the_defaults_key_runs_when_the_file_flask_conf_names_sets_none(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, pdns())
    keys = [p for p in problems if p.identity[0] == "secrets.secret_key"]
    assert len(keys) == 1 and "pdnsadmin/default_config.py:4" in keys[0].message and "in the repository" in keys[0].message
    assert not any("is not set" in p.message for p in problems)


def test_the_file_flask_conf_names_replaces_the_defaults_key(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, pdns(PDNS_DOCKER_CONFIG + "SECRET_KEY = os.environ['SECRET_KEY']\n"))
    assert "secrets.secret_key" not in items(problems)
    # served with a config argument the repo does not hold: the deployer's file may set the key
    problems, _ = run(tmp_path / "b", pdns(dockerfile='FROM python:3.12\nCMD ["gunicorn", "pdnsadmin:create_app(config=\'/etc/pda.py\')"]\n'))
    assert "secrets.secret_key" not in items(problems)
