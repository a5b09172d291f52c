"""check-env-documented, held-out round 13 (danswer, enterprise_gateway, Aidants_Connect,
MozDef): the wrong classes the judge found, each on files shaped like the real ones, with a
catch and a leave-alone test.

- a read in a module's ``if __name__ == "__main__":`` block (a manual test) when nothing
  that deploys the service starts the module;
- a read that is the default of another read (``os.getenv(A, os.getenv("LEGACY_A"))``);
- a library that reads a variable itself (``dj_database_url.config()`` reads DATABASE_URL);
- a compose file's ``${X}`` that the repo's Makefile sets on the compose command line.
"""
from __future__ import annotations

import pytest

from hooks.checks.check_env_documented.python import scan
from tests.helpers.env_documented import Fixtures, reported
from tests.helpers.env_documented import run_hook as run

SETTINGS = """\
import os

SECRET_KEY = os.environ["SECRET_KEY"]
"""

# -- 1. a module's `if __name__ == "__main__":` block ----------------------------------------------------------

CONNECTOR = """\
import os


class WikiConnector:
    def __init__(self, space: str) -> None:
        self.space = space

    def load_credentials(self, credentials):
        self.token = credentials["wiki_token"]


if __name__ == "__main__":
    connector = WikiConnector(space=os.environ["WIKI_SPACE"])
    connector.load_credentials({"wiki_token": os.environ["WIKI_TOKEN"]})
    print(connector)
"""


def main_files() -> dict[str, str]:
    return {"backend/app/settings.py": SETTINGS, ".env.example": "SECRET_KEY=\n",
            "backend/app/connectors/wiki/connector.py": CONNECTOR,
            "backend/Dockerfile": "FROM python:3.11\nCMD [\"uvicorn\", \"app.main:app\"]\n"}


def test_scan_marks_main_block_reads() -> None:
    reads = scan("backend/app/connectors/wiki/connector.py", CONNECTOR).reads
    assert sorted((r.name, r.main) for r in reads) == [("WIKI_SPACE", True), ("WIKI_TOKEN", True)]
    assert [r.main for r in scan("app/settings.py", SETTINGS).reads] == [False]


def test_leave_alone_main_block_of_imported_module(env: Fixtures) -> None:
    code, out, _ = run(*env, main_files())
    assert reported(out) == []
    assert code == 0


def test_main_block_read_keeps_entry_alive(env: Fixtures) -> None:
    files = main_files()
    files[".env.example"] = "SECRET_KEY=\nWIKI_TOKEN=\n"
    code, out, _ = run(*env, files)
    assert reported(out) == []
    assert code == 0


def test_catch_main_block_of_module_the_deployment_starts(env: Fixtures) -> None:
    files = main_files()
    files["Procfile"] = "worker: python backend/app/connectors/wiki/connector.py\n"
    code, out, _ = run(*env, files)
    assert reported(out) == ["WIKI_SPACE", "WIKI_TOKEN"]
    assert code == 1


def test_catch_main_block_of_module_started_with_dash_m(env: Fixtures) -> None:
    files = main_files()
    files["backend/Dockerfile"] = "FROM python:3.11\nCMD [\"python\", \"-m\", \"app.connectors.wiki.connector\"]\n"
    code, out, _ = run(*env, files)
    assert reported(out) == ["WIKI_SPACE", "WIKI_TOKEN"]
    assert code == 1


def test_catch_main_block_of_service_entry_module(env: Fixtures) -> None:
    files = main_files()
    files["backend/app/server.py"] = "import os\n\nif __name__ == \"__main__\":\n    run(port=os.environ[\"APP_PORT\"])\n"
    code, out, _ = run(*env, files)
    assert reported(out) == ["APP_PORT"]
    assert code == 1


def test_catch_read_outside_main_block(env: Fixtures) -> None:
    files = main_files()
    files["backend/app/connectors/wiki/connector.py"] = CONNECTOR.replace(
        "class WikiConnector:", "BASE = os.environ[\"WIKI_BASE_URL\"]\n\n\nclass WikiConnector:")
    code, out, _ = run(*env, files)
    assert reported(out) == ["WIKI_BASE_URL"]
    assert code == 1


# -- 2. a read in the default of another read ------------------------------------------------------------------

MIXIN = """\
import os


class TLSMixin:
    certfile_env = "APP_CERTFILE"

    def _certfile_default(self):
        return os.getenv(self.certfile_env, os.getenv("LEGACY_CERTFILE"))

    def _max_default(self):
        return int(os.environ.get("APP_MAX_KERNELS", os.environ.get("LEGACY_MAX_KERNELS", 0)))
"""


def test_scan_read_in_default_is_optional() -> None:
    reads = {r.name: r.default for r in scan("app/mixins.py", MIXIN).reads if r.kind == "name"}
    assert reads["LEGACY_CERTFILE"] == ""
    assert reads["LEGACY_MAX_KERNELS"] is not None


def test_leave_alone_fallback_read(env: Fixtures) -> None:
    files = {"app/settings.py": SETTINGS, ".env.example": "SECRET_KEY=\nAPP_MAX_KERNELS=\n", "app/mixins.py": MIXIN}
    code, out, _ = run(*env, files)
    assert reported(out) == []
    assert code == 0


def test_catch_read_next_to_a_default_read(env: Fixtures) -> None:
    files = {"app/settings.py": SETTINGS, ".env.example": "SECRET_KEY=\nAPP_MAX_KERNELS=\n",
             "app/mixins.py": MIXIN + "\n\nCERT = (os.getenv(\"APP_CA\", None), os.getenv(\"LEGACY_CA\"))\n"}
    code, out, _ = run(*env, files)
    assert reported(out) == ["LEGACY_CA"]
    assert code == 1


# -- 3. a library reads the variable by itself ------------------------------------------------------------------

DJ_SETTINGS = """\
import os

import dj_database_url

SECRET_KEY = os.environ["SECRET_KEY"]
DATABASES = {
    "default": dj_database_url.config(default="postgres://localhost/app", conn_max_age=600),
}
"""

ENVIRON_SETTINGS = """\
import environ

env = environ.Env()
SECRET_KEY = env("SECRET_KEY")
DATABASES = {"default": env.db()}
CACHES = {"default": env.cache(default="locmemcache://")}
"""


@pytest.mark.parametrize("settings", [DJ_SETTINGS, DJ_SETTINGS.replace(
    "import dj_database_url", "from dj_database_url import config as db_config").replace(
    "dj_database_url.config(", "db_config("), ENVIRON_SETTINGS])
def test_leave_alone_entry_a_library_reads(env: Fixtures, settings: str) -> None:
    files = {"app/settings.py": settings, ".env.example": "SECRET_KEY=\nDATABASE_URL=postgres://db/app\n"}
    code, out, _ = run(*env, files)
    assert reported(out) == []
    assert code == 0


def test_library_read_is_not_asked_to_be_documented(env: Fixtures) -> None:
    files = {"app/settings.py": ENVIRON_SETTINGS, ".env.example": "SECRET_KEY=\n"}
    code, out, _ = run(*env, files)
    assert reported(out) == []
    assert code == 0


def test_catch_entry_the_library_is_told_not_to_read(env: Fixtures) -> None:
    files = {"app/settings.py": DJ_SETTINGS.replace("conn_max_age=600", "env=\"PRIMARY_DB_URL\""),
             ".env.example": "SECRET_KEY=\nDATABASE_URL=postgres://db/app\nPRIMARY_DB_URL=\n"}
    code, out, _ = run(*env, files)
    assert reported(out) == ["DATABASE_URL"]
    assert code == 1


# -- 4. a compose variable the repo's Makefile sets on the compose command line ---------------------------------

USER_ENV_COMPOSE = """\
---
version: '3.7'
services:
  web:
    env_file:
      - $RUN_ENV_FILE
  worker:
    env_file:
      - $RUN_ENV_FILE
"""

MAKEFILE = """\
NAME := app

.PHONY: run-env
run-env: ## Run the containers with your env file: make run-env -e ENV=my.env
ifneq ("$(wildcard $(ENV))","")
\tRUN_ENV_FILE=$(abspath $(ENV)) docker-compose -f docker/compose/docker-compose.yml \\
\t\t-f docker/compose/docker-compose-user-env.yml -p $(NAME) up -d
else
\t@echo $(ENV) not found.
endif

test:
\tAPI_TOKEN=dummy python -m pytest
"""


def make_files() -> dict[str, str]:
    return {"app/settings.py": SETTINGS + "API_TOKEN = os.environ[\"API_TOKEN\"]\n",
            ".env.example": "SECRET_KEY=\nAPI_TOKEN=\n",
            "docker/compose/docker-compose.yml": "services:\n  web:\n    build: .\n",
            "docker/compose/docker-compose-user-env.yml": USER_ENV_COMPOSE, "Makefile": MAKEFILE}


def test_leave_alone_compose_variable_the_makefile_sets(env: Fixtures) -> None:
    code, out, _ = run(*env, make_files())
    assert reported(out) == []
    assert code == 0


def test_catch_compose_variable_no_makefile_sets(env: Fixtures) -> None:
    files = make_files()
    files["Makefile"] = MAKEFILE.replace("RUN_ENV_FILE=$(abspath $(ENV)) ", "")
    code, out, _ = run(*env, files)
    assert reported(out) == ["RUN_ENV_FILE"]
    assert code == 1


def test_catch_read_a_makefile_sets_for_another_command(env: Fixtures) -> None:
    files = make_files()
    files[".env.example"] = "SECRET_KEY=\n"
    code, out, _ = run(*env, files)
    assert reported(out) == ["API_TOKEN"]
    assert code == 1


def test_catch_main_block_of_module_a_started_script_runs(env: Fixtures) -> None:
    files = main_files()
    files["Procfile"] = "worker: bash run_sync_worker.sh\n"
    files["run_sync_worker.sh"] = "#!/bin/bash\nCOMMAND=\"python backend/app/connectors/wiki/connector.py --run\"\n$COMMAND\n"
    code, out, _ = run(*env, files)
    assert reported(out) == ["WIKI_SPACE", "WIKI_TOKEN"]
    assert code == 1


def test_leave_alone_main_block_a_developer_script_runs(env: Fixtures) -> None:
    files = main_files()
    files["run_sync_worker.sh"] = "#!/bin/bash\npython backend/app/connectors/wiki/connector.py\n"
    code, out, _ = run(*env, files)
    assert reported(out) == []
    assert code == 0


# -- 5. an optional setting another module tests in an `if (` condition split over lines -------------------------

OAUTH_CONFIG = """\
import os

SECRET_KEY = os.environ["SECRET_KEY"]
CRAWLER_OAUTH_CLIENT_ID = os.environ.get("CRAWLER_OAUTH_CLIENT_ID")
CRAWLER_OAUTH_CLIENT_SECRET = os.environ.get("CRAWLER_OAUTH_CLIENT_SECRET")
CRAWLER_OAUTH_TOKEN_URL = os.environ.get("CRAWLER_OAUTH_TOKEN_URL")
"""

CRAWLER = """\
from app.configs import CRAWLER_OAUTH_CLIENT_ID, CRAWLER_OAUTH_CLIENT_SECRET, CRAWLER_OAUTH_TOKEN_URL


def start(context):
    if (
        CRAWLER_OAUTH_CLIENT_ID
        and CRAWLER_OAUTH_CLIENT_SECRET
        and CRAWLER_OAUTH_TOKEN_URL
    ):
        token = fetch_token(CRAWLER_OAUTH_TOKEN_URL, CRAWLER_OAUTH_CLIENT_ID, CRAWLER_OAUTH_CLIENT_SECRET)
        context.set_extra_http_headers({"Authorization": f"Bearer {token}"})
    return context
"""


def test_leave_alone_setting_tested_in_split_condition(env: Fixtures) -> None:
    files = {"app/configs.py": OAUTH_CONFIG, ".env.example": "SECRET_KEY=\n", "app/crawler.py": CRAWLER}
    code, out, _ = run(*env, files)
    assert reported(out) == []
    assert code == 0


def test_catch_setting_a_split_condition_requires(env: Fixtures) -> None:
    crawler = CRAWLER.replace("    if (\n        CRAWLER", "    if (\n        not CRAWLER").replace(
        "        and CRAWLER_OAUTH_CLIENT_SECRET\n        and CRAWLER_OAUTH_TOKEN_URL\n    ):\n",
        "        or not CRAWLER_OAUTH_CLIENT_SECRET\n        or not CRAWLER_OAUTH_TOKEN_URL\n    ):\n"
        "        raise RuntimeError(\"set the crawler's OAuth settings\")\n")
    files = {"app/configs.py": OAUTH_CONFIG, ".env.example": "SECRET_KEY=\n", "app/crawler.py": crawler}
    code, out, _ = run(*env, files)
    assert reported(out) == ["CRAWLER_OAUTH_CLIENT_ID", "CRAWLER_OAUTH_CLIENT_SECRET", "CRAWLER_OAUTH_TOKEN_URL"]
    assert code == 1
