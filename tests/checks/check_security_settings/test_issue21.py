"""check-security-settings, issue 21: production is what production runs,
equivalent protection counts, advice fits the pinned versions, and findings
point where the config lives. Catch / leave-alone pairs on projects shaped
like the real services the classes came from."""
from __future__ import annotations

from pathlib import Path

from hooks.checks.check_security_settings import HOOK
from tests.helpers.security import run_files_hook

KEY = "Zq8#vN2$kLp9@wX4!mR7^tY1&bH6*cJ3(eF5)gD0-sA_uI+oQpW"

COMMON = f'''\
SECRET_KEY = "{KEY}"
DEBUG = True
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "tcms.urls"
'''
# Kiwi TCMS's shape: wsgi.py runs tcms.settings.product, a name no environment pattern knows
PRODUCT = 'from tcms.settings.common import *  # noqa\n\nDEBUG = False\n'
WSGI = (
    'import os\nfrom django.core.wsgi import get_wsgi_application\n\n'
    'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcms.settings.product")\napplication = get_wsgi_application()\n'
)


def run(tmp_path: Path, files: dict[str, str], **options: object):
    return run_files_hook(HOOK, tmp_path, files, None, **options)


def paths(problems) -> set[str]:
    return {p.path for p in problems}


def kiwi(**more: str) -> dict[str, str]:
    files = {"tcms/__init__.py": "", "tcms/settings/__init__.py": "", "tcms/settings/common.py": COMMON,
             "tcms/settings/product.py": PRODUCT, "tcms/settings/devel.py": "from tcms.settings.common import *\nDEBUG = True\n",
             "tcms/wsgi.py": WSGI,
             "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcms.settings.devel")\n'}
    files.update(more)
    return files


def test_the_module_wsgi_runs_is_production(tmp_path: Path) -> None:
    problems, ctx = run(tmp_path, kiwi())
    assert paths(problems) == {"tcms/settings/product.py"}
    assert "permissions.allowed_hosts" in {p.identity[0] for p in problems}


def test_docker_compose_procfile_and_manifests_name_what_runs(tmp_path: Path) -> None:
    for name, text in (("Dockerfile", "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=tcms.settings.product\n"),
                       ("docker-compose.yml", "services:\n  web:\n    environment:\n      DJANGO_SETTINGS_MODULE: tcms.settings.product\n"),
                       ("Procfile", "web: gunicorn tcms.wsgi --env DJANGO_SETTINGS_MODULE=tcms.settings.product\n"),
                       ("k8s/deployment.yaml", "env:\n  - name: DJANGO_SETTINGS_MODULE\n    value: tcms.settings.product\n")):
        files = kiwi(**{name: text})
        files["tcms/wsgi.py"] = "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"
        problems, _ = run(tmp_path / name.replace("/", "_"), files)
        assert paths(problems) == {"tcms/settings/product.py"}, name


def test_dev_and_test_runs_name_no_production(tmp_path: Path) -> None:
    files = kiwi(**{"docker-compose.dev.yml": "services:\n  web:\n    environment:\n      DJANGO_SETTINGS_MODULE: tcms.settings.devel\n"})
    files["tcms/wsgi.py"] = "application = None\n"
    problems, ctx = run(tmp_path, files)
    assert problems == []


def test_a_base_layer_and_build_settings_are_not_entry_points(tmp_path: Path) -> None:
    files = {
        "svc/settings/production.py": COMMON,  # star-imported by what actually runs
        "svc/settings/production_docker.py": "from .production import *\nALLOWED_HOSTS = ['svc.example.com']\nSECRET_KEY = __import__('os').environ['K']\n",
        "svc/settings/build.py": "from .production import *\n",
        "svc/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "svc.settings.production_docker")\n',
    }
    problems, _ = run(tmp_path, files)
    assert paths(problems) == {"svc/settings/production_docker.py"}
    assert "permissions.allowed_hosts" not in {p.identity[0] for p in problems}


def test_a_stub_settings_in_test_data_or_an_extractor_is_not_production(tmp_path: Path) -> None:
    files = {"pkg/extractors/settings.py": COMMON, "pkg/testdata/proj/settings.py": COMMON, "pkg/app.py": "x = 1\n"}
    problems, ctx = run(tmp_path, files)
    assert problems == []


def test_the_apps_own_security_middleware_sends_the_header(tmp_path: Path) -> None:
    prod = COMMON.replace('ALLOWED_HOSTS = '
                          '["*"]', 'ALLOWED_HOSTS = ["a.example.com"]').replace(f'SECRET_KEY = "{KEY}"', 'SECRET_KEY = __import__("os").environ["K"]')
    prod += ("SECURE_SSL_REDIRECT = True\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n"
             "LOGGING = {'version': 1, 'handlers': {'c': {'class': 'logging.StreamHandler'}}, 'root': {'handlers': ['c']}}\n"
             "DATA_UPLOAD_MAX_MEMORY_SIZE = 10\n")
    middleware = ("class SecurityHeaders:\n    def __call__(self, request):\n        response = self.get_response(request)\n"
                  "        response['Strict-Transport-Security'] = 'max-age=31536000'\n        return response\n")
    problems, _ = run(tmp_path, {"svc/settings/production.py": prod, "svc/middleware.py": middleware})
    assert problems == []
    debug_only = middleware.replace("        response['Strict", "        if settings.DEBUG:\n            response['Strict")
    problems, _ = run(tmp_path / "b", {"svc/settings/production.py": prod, "svc/middleware.py": debug_only})
    assert [p.identity[0] for p in problems] == ["headers.hsts"]


def test_basic_config_counts_as_logging(tmp_path: Path) -> None:
    prod = COMMON + "LOGGING_X = 1\n"
    files = {"svc/settings/production.py": prod, "svc/wsgi.py": "import logging\nlogging.basicConfig(level=logging.INFO)\n"}
    problems, _ = run(tmp_path, files)
    assert "logging.logging" not in {p.identity[0] for p in problems}
    files["svc/wsgi.py"] = "application = None\n"
    problems, _ = run(tmp_path / "b", files)
    assert "logging.logging" in {p.identity[0] for p in problems}


def test_nginx_default_body_limit_counts_but_zero_does_not(tmp_path: Path) -> None:
    prod = COMMON + "DATA_UPLOAD_MAX_MEMORY_SIZE = None\n"
    nginx = "server {\n  server_name svc.example.com;\n  location / { proxy_pass http://app:8000; }\n}\n"
    problems, _ = run(tmp_path, {"svc/settings/production.py": prod, "deploy/nginx.conf": nginx})
    assert "uploads.data_upload_max_memory_size" not in {p.identity[0] for p in problems}
    unlimited = nginx.replace("proxy_pass", "client_max_body_size 0; proxy_pass")
    problems, _ = run(tmp_path / "b", {"svc/settings/production.py": prod, "deploy/nginx.conf": unlimited})
    assert "uploads.data_upload_max_memory_size" in {p.identity[0] for p in problems}


def test_cors_every_origin_on_public_api_paths_only(tmp_path: Path) -> None:
    prod = COMMON + 'CORS_ALLOW_ALL_ORIGINS = True\nCORS_URLS_REGEX = r"^/api/1/.*$"\n'
    problems, _ = run(tmp_path, {"svc/settings/production.py": prod})
    assert "permissions.cors" not in {p.identity[0] for p in problems}
    problems, _ = run(tmp_path / "b", {"svc/settings/production.py": prod + "CORS_ALLOW_CREDENTIALS = True\n"})
    assert "permissions.cors" in {p.identity[0] for p in problems}


FLASK_APP = '''\
from flask import Flask, session
from flask_talisman import Talisman


def create_app():
    app = Flask(__name__)
    app.config.from_object("svc.default_settings")
    app.config.from_pyfile("svc.cfg", silent=True)
    Talisman(
        app,
        # Forcing HTTPS is the job of a reverse proxy
        force_https=False,
        # This is handled separately through the SESSION_COOKIE_SECURE Flask setting
        session_cookie_secure=False,
    )
    return app
'''
FLASK_DEFAULTS = 'SECRET_KEY = "tralala"\nSESSION_COOKIE_SECURE = True\nSESSION_COOKIE_SAMESITE = "Lax"\nMAX_CONTENT_LENGTH = 10\n'


def test_flask_instance_config_and_explained_talisman(tmp_path: Path) -> None:
    # ihatemoney's shape: defaults in the repo, the deployment's svc.cfg outside it; the tests' copy is not it
    files = {"svc/__init__.py": "", "svc/run.py": FLASK_APP, "svc/default_settings.py": FLASK_DEFAULTS,
             "svc/tests/svc.cfg": 'SECRET_KEY = "supersecret"\n', "pyproject.toml": '[project]\ndependencies = ["Flask~=3.1.2"]\n'}
    problems, _ = run(tmp_path, files)
    assert problems == [], [p.message for p in problems]
    # no instance config: the committed key is production's
    files["svc/run.py"] = FLASK_APP.replace('    app.config.from_pyfile("svc.cfg", silent=True)\n', "")
    problems, _ = run(tmp_path / "b", files)
    assert [(p.path, p.identity[0]) for p in problems] == [("svc/default_settings.py", "secrets.secret_key")]
    # Talisman switched off with no word of why
    files["svc/run.py"] = files["svc/run.py"].replace("        # Forcing HTTPS is the job of a reverse proxy\n", "")
    problems, _ = run(tmp_path / "c", files)
    assert "headers.security_headers" in {p.identity[0] for p in problems}


def test_flask_trusted_hosts_only_from_3_1(tmp_path: Path) -> None:
    config = "import os\nSECRET_KEY = os.environ['K']\nSESSION_COOKIE_SECURE = True\nSESSION_COOKIE_SAMESITE = 'Lax'\nMAX_CONTENT_LENGTH = 10\n"
    app = "from flask import Flask\nfrom flask_talisman import Talisman\napp = Flask(__name__)\napp.config.from_object('svc.config')\nTalisman(app)\n"
    # a certificate for a fixed public host name: a Host allow-list is a fair ask (held-out round 6)
    nginx = "server {\n  ssl_certificate /etc/letsencrypt/live/shop.acme.io/fullchain.pem;\n  location / { proxy_pass http://app; }\n}\n"
    for pin, reported in (("Flask==2.3.3", False), ("flask>=3.1,<4", True)):
        files = {"svc/__init__.py": "", "svc/app.py": app, "svc/config.py": config, "requirements.txt": pin + "\n", "deploy/nginx.conf": nginx}
        problems, _ = run(tmp_path / pin.replace("=", "").replace(">", "").replace("<", "").replace(",", ""), files)
        assert ("permissions.trusted_hosts" in {p.identity[0] for p in problems}) is reported, pin
        for p in problems:
            assert p.path == "svc/config.py"  # where the config lives, not the app module


def test_fastapi_in_a_docstring_is_no_app(tmp_path: Path) -> None:
    code = 'class PermissionsDependency:\n    """Use it as:\n\n        app = FastAPI()\n    """\n'
    problems, ctx = run(tmp_path, {"src/svc/auth/permissions.py": code})
    assert problems == []


def test_a_hyphenated_production_env_file_is_what_production_reads(tmp_path: Path) -> None:
    prod = COMMON + 'import os\nSESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"\n'
    for name, reported in ((".env-production", True), (".env-dist", False)):
        problems, _ = run(tmp_path / name, {"svc/settings/production.py": prod, name: "SESSION_COOKIE_SECURE=0\n"})
        found = [p.message for p in problems if p.identity[0] == "headers.session_cookie_secure"]
        assert bool(found) is reported, name
        if reported:  # reported where production's value is written
            assert [(p.path, p.line) for p in problems if p.identity[0] == "headers.session_cookie_secure"] == [(name, 1)]


# ---- held-out round 1: the deployment's own settings, fail-closed keys, dev-only branches ----

def test_a_setting_the_repo_leaves_to_the_deployments_own_settings_is_unknown(tmp_path: Path) -> None:
    base = COMMON.replace('ALLOWED_HOSTS = '
                          '["*"]', 'ALLOWED_HOSTS = ["svc.example.com"]').replace(f'SECRET_KEY = "{KEY}"', 'SECRET_KEY = __import__("os").environ["K"]')
    base += 'CSRF_TRUSTED_ORIGINS = ["https://svc.example.com"]\n'  # served over HTTPS: the cookie items are judged
    local = base + "try:\n    from .local_settings import *  # noqa\nexcept ImportError:\n    pass\n"
    problems, _ = run(tmp_path, {"cms/settings.py": local})
    assert "headers.session_cookie_secure" not in {p.identity[0] for p in problems}
    problems, _ = run(tmp_path / "s", {"cms/settings.py": local}, strict=True)
    assert any("may set it" in p.message for p in problems if p.identity[0] == "headers.session_cookie_secure")
    # a value the repo does set is still judged
    problems, _ = run(tmp_path / "b", {"cms/settings.py": local + 'X_FRAME_OPTIONS = "ALLOWALL"\n'})
    assert "headers.x_frame_options" in {p.identity[0] for p in problems}
    # exec of a settings file named by the environment (uMap's UMAP_SETTINGS)
    execs = base + 'import os\npath = os.environ.get("APP_SETTINGS")\nif path:\n    exec(compile(open(path).read(), path, "exec"), {})\n'
    problems, _ = run(tmp_path / "c", {"cms/settings.py": execs})
    assert "headers.session_cookie_secure" not in {p.identity[0] for p in problems}
    # without either, the repo's settings are all there is
    problems, _ = run(tmp_path / "d", {"cms/settings.py": base})
    assert "headers.session_cookie_secure" in {p.identity[0] for p in problems}


def test_an_empty_default_secret_key_fails_closed(tmp_path: Path) -> None:
    base = COMMON.replace(f'SECRET_KEY = "{KEY}"', 'import environ\nenv = environ.Env()\nSECRET_KEY = env("SECRET_KEY", default=None)')
    problems, _ = run(tmp_path, {"svc/settings.py": base})
    assert "secrets.secret_key" not in {p.identity[0] for p in problems}
    problems, _ = run(tmp_path / "b", {"svc/settings.py": base.replace("default=None", 'default="x"')})
    assert "secrets.secret_key" in {p.identity[0] for p in problems}


def test_a_branch_taken_only_when_a_variable_is_set_is_not_production(tmp_path: Path) -> None:
    base = COMMON.replace('ALLOWED_HOSTS = ["*"]', 'ALLOWED_HOSTS = ["svc.example.com"]')
    dev = base + 'import os\nDEVELOPMENT_MODE = os.environ.get("DEVELOPMENT_MODE")\nif DEVELOPMENT_MODE:\n    CORS_ORIGIN_ALLOW_ALL = True\n' \
        + 'CORS_ALLOW_CREDENTIALS = True\n'
    problems, _ = run(tmp_path, {"svc/settings.py": dev})
    assert "permissions.cors" not in {p.identity[0] for p in problems}
    problems, _ = run(tmp_path / "b", {"svc/settings.py": dev.replace("if DEVELOPMENT_MODE:", "if not DEVELOPMENT_MODE:")})
    assert "permissions.cors" in {p.identity[0] for p in problems}


def test_a_flask_app_loading_its_config_from_outside_the_repo(tmp_path: Path) -> None:
    app = ('import os\nfrom flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n'
           '    app.config.from_envvar("LEMUR_CONF")\n    return app\n')
    problems, _ = run(tmp_path, {"lemur/factory.py": app})
    assert {p.identity[0] for p in problems} <= {"headers.security_headers"}  # nothing "not set" is claimed
    assert not any("is not set" in p.message for p in problems)


def test_a_test_networks_nginx_is_not_the_proxy_in_front(tmp_path: Path) -> None:
    main = "from fastapi import FastAPI\nfrom loguru import logger\napp = FastAPI()\n"
    problems, _ = run(tmp_path, {"svc/app.py": main, "docker/regtest/nginx/default.conf": "server {\n  location / { proxy_pass http://x; }\n}\n"})
    assert problems == []  # deployment items unknown (no proxy of production in the repo), loguru logs
    tls = "server {\n  listen 443 ssl;\n  ssl_certificate /etc/letsencrypt/live/api.acme.io/fullchain.pem;\n  location / { proxy_pass http://x; }\n}\n"
    problems, _ = run(tmp_path / "b", {"svc/app.py": main, "deploy/nginx/default.conf": tls})
    assert {p.identity[0] for p in problems} == {"headers.https", "permissions.trusted_hosts"}


def test_a_flask_app_configured_by_code_the_hook_does_not_follow(tmp_path: Path) -> None:
    app = ("from flask import Flask\nfrom svc.config import config\n\ndef create_app(config_override=None):\n"
           "    app = Flask(__name__)\n    config.init_app(app)\n    return app\n")
    cli = "from flask import Flask\n\ndef cli():\n    app = Flask(__name__)\n    return app\n"
    problems, _ = run(tmp_path, {"svc/app.py": app, "svc/commands.py": cli})
    assert not any("is not set" in p.message for p in problems)
    assert "svc/commands.py" not in {p.path for p in problems}  # a CLI's app is not what production serves
    # an app with no config at all is judged as it is
    problems, _ = run(tmp_path / "b", {"svc/app.py": "from flask import Flask\nfrom flask_login import LoginManager\napp = Flask(__name__)\n"
                                                     "login = LoginManager(app)\n"})
    assert "secrets.secret_key" in {p.identity[0] for p in problems}


def test_the_servers_settings_module_wins_over_wsgi_setdefault(tmp_path: Path) -> None:
    files = {"bookmarks/settings/__init__.py": "try:\n    from .dev import *\nexcept ImportError:\n    from .prod import *\n",
             "bookmarks/settings/dev.py": "from .base import *\nDEBUG = True\n",
             "bookmarks/settings/base.py": COMMON,
             "bookmarks/settings/prod.py": "from .base import *\nimport os\nSECRET_KEY = os.environ['K']\nALLOWED_HOSTS = [os.environ['HOST']]\n",
             "bookmarks/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookmarks.settings")\n',
             "uwsgi.ini": "[uwsgi]\nenv = DJANGO_SETTINGS_MODULE=bookmarks.settings.prod\n"}
    problems, _ = run(tmp_path, files)
    assert {p.path for p in problems} <= {"bookmarks/settings/prod.py"}
    assert "secrets.secret_key" not in {p.identity[0] for p in problems}


# ---- held-out round 3 classes (fixed after it; not yet measured on unseen repos) ----

PYRAMID_PROD = "[app:main]\nuse = egg:bodhi\noidc.fedora.client_secret = {secret}\n\n" \
    "[server:main]\nuse = egg:waitress#main\nmax_request_body_size = 1048576\n\n" \
    "[loggers]\nkeys = root\n\n[handlers]\nkeys = console\n\n[formatters]\nkeys = generic\n\n[logger_root]\nlevel = INFO\nhandlers = console\n"


def test_a_placeholder_named_after_its_key_and_ci_copies_of_production_ini(tmp_path: Path) -> None:
    files = {"bodhi-server/production.ini": PYRAMID_PROD.format(secret="oidc-client_secret"),
             "devel/ci/integration/bodhi/production.ini": PYRAMID_PROD.format(secret="Zq8wLx2Rt5Vb9Nc3Mk7Hj1Pd")}
    problems, _ = run(tmp_path, files)
    assert problems == []
    files["bodhi-server/production.ini"] = PYRAMID_PROD.format(secret="Zq8wLx2Rt5Vb9Nc3Mk7Hj1Pd")
    problems, _ = run(tmp_path / "b", files)
    assert [(p.path, p.identity[0]) for p in problems] == [("bodhi-server/production.ini", "secrets.session_secret")]


def test_hosts_empty_until_the_variable_is_set_fail_closed(tmp_path: Path) -> None:
    base = COMMON.replace('ALLOWED_HOSTS = '
                          '["*"]', 'import os\nif "HOSTS" in os.environ and os.environ["HOSTS"]:\n    ALLOWED_HOSTS = '
                                   'os.environ["HOSTS"].split(",")\nelse:\n    ALLOWED_HOSTS = []')
    problems, _ = run(tmp_path, {"svc/settings.py": base})
    assert "permissions.allowed_hosts" not in {p.identity[0] for p in problems}
