"""check-security-settings, misses of held-out round 5 fixed as classes: allow-all
CORS with credentials in the Starlette app production runs (a local origins list,
an env default of "*", a regex matching any origin), and the config file the
Dockerfile names for ``from_envvar`` falling back to a public placeholder key.
Catch / leave-alone pairs on files shaped like the real ones (written here)."""
from __future__ import annotations

from pathlib import Path

from hooks.checks.check_security_settings import HOOK
from tests.helpers.security import run_files_hook


def run(tmp_path: Path, files: dict[str, str], **options: object):
    return run_files_hook(HOOK, tmp_path, files, None, **options)


def items(problems) -> set[str]:
    return {p.identity[0] for p in problems}


# An API server class that builds its middleware in a method, origins in a local list.
SERVER = '''\
import logging
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

logging.basicConfig(level=logging.INFO)


class ApiServer:
    def __init__(self) -> None:
        self.app = FastAPI()
        self._apply_middleware()

    def _apply_middleware(self) -> None:
        origins = ORIGINS
        self.app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_credentials=CREDS,
            allow_methods=["*"],
        )
'''
SIBLING = "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get('/health')\ndef health() -> dict:\n    return {}\n"


def server(origins: str, creds: str = "True") -> dict[str, str]:
    return {"api/core/server.py": SERVER.replace("ORIGINS", origins).replace("CREDS", creds), "services/embedder/main.py": SIBLING}


def test_a_local_origins_list_with_a_star_and_credentials_is_a_finding(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, server('["*", "http://localhost:3000"]'))
    cors = [p for p in problems if p.identity[0] == "permissions.cors"]
    assert [(p.path, p.line) for p in cors] == [("api/core/server.py", 15)]  # reported once, not under the sibling app
    assert "every origin with allow_credentials=True" in cors[0].message


def test_origins_from_the_environment_defaulting_to_star(tmp_path: Path) -> None:
    files = server('os.environ.get("CORS_ORIGINS", "*").split(",")')
    files["api/core/server.py"] = "import os\n" + files["api/core/server.py"].replace(
        'origins = os.environ.get("CORS_ORIGINS", "*").split(",")', 'origins = os.environ.get("CORS_ORIGINS", "*")')
    assert "permissions.cors" in items(run(tmp_path, files)[0])


def test_a_regex_that_matches_any_origin_with_credentials(tmp_path: Path) -> None:
    files = server("None")
    files["api/core/server.py"] = files["api/core/server.py"].replace(
        "allow_origins=origins,", r'allow_origin_regex=r"^https?:\/\/*(.*)",')
    assert "permissions.cors" in items(run(tmp_path, files)[0])
    files["api/core/server.py"] = files["api/core/server.py"].replace(r'r"^https?:\/\/*(.*)"', r'r"^https://([a-z]+\.)?example\.org$"')
    assert "permissions.cors" not in items(run(tmp_path / "b", files)[0])


def test_allow_all_without_credentials_or_listed_origins_stay_a_pass(tmp_path: Path) -> None:
    assert "permissions.cors" not in items(run(tmp_path, server('["*"]', creds="False"))[0])
    assert "permissions.cors" not in items(run(tmp_path / "b", server('["https://app.example.org"]'))[0])
    # a local name that shadows a module-level allow-all list is what the call passes
    files = server('["https://app.example.org"]')
    files["api/core/server.py"] = files["api/core/server.py"].replace("class ApiServer", 'origins = ["*"]\n\n\nclass ApiServer')
    assert "permissions.cors" not in items(run(tmp_path / "c", files)[0])


# A Flask app that loads the file an environment variable names; the Dockerfile names a file of the repo.
MONKEY_APP = '''\
import os
from flask import Flask
from flask_login import LoginManager

app = Flask(__name__)
if os.environ.get("WATCHER_SETTINGS"):
    app.config.from_envvar("WATCHER_SETTINGS")
login = LoginManager(app)
'''
DOCKER_CONFIG = '''\
import os

LOG_LEVEL = "INFO"
SQLALCHEMY_DATABASE_URI = os.getenv("DATABASE_URI")
SECRET_KEY = os.getenv("WATCHER_SECRET_KEY", "DEFAULT")
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
'''
DOCKERFILE = "FROM python:3.11\nENV WATCHER_SETTINGS=/usr/local/src/watcher/env-config/config-docker.py \\\n    PYTHONUNBUFFERED=1\n"


def watcher(default: str, dockerfile: str = DOCKERFILE) -> dict[str, str]:
    return {"watcher/__init__.py": MONKEY_APP, "env-config/config-docker.py": DOCKER_CONFIG.replace("DEFAULT", default),
            "Dockerfile": dockerfile}


def test_the_file_the_dockerfile_names_for_from_envvar_is_production(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, watcher("<INSERT_RANDOM_STRING_HERE>"))
    secret = [p for p in problems if p.identity[0] == "secrets.secret_key"]
    assert [(p.path, p.line) for p in secret] == [("env-config/config-docker.py", 5)]
    assert "public placeholder" in secret[0].message
    assert "INSERT_RANDOM" not in secret[0].message  # the value is never printed whole


def test_a_long_placeholder_is_still_a_placeholder_and_a_required_key_passes(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, watcher("change-me-to-a-long-random-string-in-production-please"))
    assert "secrets.secret_key" in items(problems)
    problems, _ = run(tmp_path / "b", {**watcher(""), "env-config/config-docker.py": DOCKER_CONFIG.replace(
        'os.getenv("WATCHER_SECRET_KEY", "DEFAULT")', 'os.environ["WATCHER_SECRET_KEY"]')})
    assert "secrets.secret_key" not in items(problems)


def test_without_a_start_up_file_naming_it_the_config_stays_the_deployers(tmp_path: Path) -> None:
    # no Dockerfile sets the variable: the settings come from outside the repo, nothing "not set" is claimed
    problems, _ = run(tmp_path, watcher("<INSERT_RANDOM_STRING_HERE>", dockerfile="FROM python:3.11\nENV PYTHONUNBUFFERED=1\n"))
    assert "env-config/config-docker.py" not in {p.path for p in problems}
    assert not any("is not set" in p.message for p in problems)
    # a development compose file naming it is not production
    files = watcher("<INSERT_RANDOM_STRING_HERE>", dockerfile="FROM python:3.11\n")
    files["docker-compose.dev.yml"] = "services:\n  web:\n    environment:\n      WATCHER_SETTINGS: /app/env-config/config-docker.py\n"
    assert "env-config/config-docker.py" not in {p.path for p in run(tmp_path / "b", files)[0]}


# A Django project whose settings end with an optional, untracked layer named without an underscore.
EVAL_SETTINGS = '''\
import os

DEBUG = True
ALLOWED_HOSTS = ["survey.example.org"]
CSRF_TRUSTED_ORIGINS = ["https://survey.example.org"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware",
              "django.middleware.csrf.CsrfViewMiddleware", "django.middleware.clickjacking.XFrameOptionsMiddleware"]
ROOT_URLCONF = "survey.urls"
SESSION_COOKIE_SECURE = False
'''
OPTIONAL = "try:\n    # the deployer's overrides; absent in CI\n    from survey.MODULE import *  # noqa: F403\nexcept ImportError:\n    pass\n"


def test_an_optional_localsettings_layer_is_the_deployers(tmp_path: Path) -> None:
    for n, module in enumerate(("localsettings", "settings_local")):
        files = {"survey/__init__.py": "", "survey/settings.py": EVAL_SETTINGS + OPTIONAL.replace("MODULE", module)}
        problems, _ = run(tmp_path / str(n), files)
        assert {"secrets.secret_key", "headers.session_cookie_secure"}.isdisjoint(items(problems)), module
        problems, _ = run(tmp_path / f"s{n}", files, strict=True)
        assert any("may set it" in p.message for p in problems if p.identity[0] == "secrets.secret_key")


def test_without_the_optional_layer_the_repos_settings_are_judged(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, {"survey/__init__.py": "", "survey/settings.py": EVAL_SETTINGS})
    assert {"secrets.secret_key", "headers.session_cookie_secure"} <= items(problems)
    # a star import of a module the repo holds is a layer like any other, not the deployer's
    files = {"survey/__init__.py": "", "survey/localsettings.py": "X = 1\n",
             "survey/settings.py": EVAL_SETTINGS + OPTIONAL.replace("MODULE", "localsettings")}
    assert "secrets.secret_key" in items(run(tmp_path / "b", files)[0])


def test_an_allow_all_fallback_branch_is_judged_as_the_worst_branch(tmp_path: Path) -> None:
    files = server("None")
    fallback = ('if os.environ.get("ALLOW_ORIGINS"):\n            origins = os.environ["ALLOW_ORIGINS"].split(",")\n'
                '        else:\n            origins = FALLBACK\n')
    code = "import os\n" + files["api/core/server.py"].replace("origins = None\n", fallback)
    problems, _ = run(tmp_path, {**files, "api/core/server.py": code.replace("FALLBACK", '["*"]')})
    assert "permissions.cors" in items(problems)
    problems, _ = run(tmp_path / "b", {**files, "api/core/server.py": code.replace("FALLBACK", '["https://app.example.org"]')})
    assert "permissions.cors" not in items(problems)
