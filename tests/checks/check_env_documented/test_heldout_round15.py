"""check-env-documented, held-out round 15 (joplin, ds-caselaw-editor-ui, help-to-heat): the wrong
classes the judge found, each on files shaped like the real ones, with a catch and a leave-alone test.

- a deploy script that sets the variables on the hosting platform (a list of names PATCHed into
  Heroku's ``config-vars``, ``heroku config:set X=v``, ``kubectl set env``, ``--set-env-vars``);
- a dead template entry (of two words or more) an installed package of the same project (a client library the app imports)
  may read, when the repo's code spells no other name of its family;
- a mode's read (``if EMAIL_BACKEND_TYPE == "FILE":``) whose variable the test setup's env file
  sets beside the mode that selects it.
"""
from __future__ import annotations

from hooks.checks.check_env_documented.pushed import api_names, command_names
from hooks.checks.check_env_documented.reads import Read
from hooks.checks.check_env_documented.scan import mode_documented, project_words
from tests.helpers.env_documented import Fixtures, reported, run_hook


def run(env: Fixtures, files: dict[str, str]) -> tuple[int, str, str]:
    return run_hook(*env, files)


# -- 1. the deploy script that sets the variables on the platform ---------------------------------------------

SETTINGS = """\
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
IS_REVIEW = os.getenv("DEPLOYMENT_MODE") == "REVIEW"
IS_PRODUCTION = os.getenv("DEPLOYMENT_MODE") == "PRODUCTION"

if IS_PRODUCTION or IS_REVIEW:
    STATIC_BUCKET = os.environ["STATIC_BUCKET_NAME"]
    PUBLISHER_KEY = os.environ["PUBLISHER_API_KEY"]
"""

PR_VARS = """\
import os
import requests

config = {}
from_ci = [
    "DJANGO_SECRET_KEY",  # CI console
    "STATIC_BUCKET_NAME",  # CI console
    "PUBLISHER_API_KEY",
]
for v in from_ci:
    config[v] = os.getenv(v, "")
config.update({"DEBUG": 0, "LOAD_DATA": "fixtures"})

headers = {"Authorization": f"Bearer {os.getenv('HEROKU_API_KEY')}"}
response = requests.patch(f'https://api.heroku.com/apps/{os.getenv("APPNAME")}/config-vars', headers=headers,
                          data=config)
"""


def deploy_files() -> dict[str, str]:
    return {"site/settings.py": SETTINGS, "template.env": "DJANGO_SECRET_KEY=x\nDEPLOYMENT_MODE=LOCAL\n",
            ".circleci/vars/pr_vars.py": PR_VARS}


def test_api_names_of_a_module_patching_config_vars() -> None:
    assert api_names("pr_vars.py", PR_VARS) >= {"DJANGO_SECRET_KEY", "STATIC_BUCKET_NAME", "PUBLISHER_API_KEY"}
    assert api_names("pr_vars.py", PR_VARS.replace("config-vars", "builds")) == set()


def test_command_names_of_platform_setters() -> None:
    script = """\
heroku config:set JANIS_URL=https://x.example --app "$APP"
fly secrets set API_TOKEN=$API_TOKEN \\
    SIGNING_KEY="$KEY"
kubectl set env deployment/web MAIL_HOST=smtp.example
gcloud run deploy web --set-env-vars=BUCKET=b,REGION=eu --update-env-vars CACHE_URL=redis://c
# heroku config:set COMMENTED=1
echo OTHER=1
"""
    assert command_names(script) == {"JANIS_URL", "API_TOKEN", "SIGNING_KEY", "MAIL_HOST", "BUCKET", "REGION",
                                     "CACHE_URL"}


def test_leave_alone_reads_a_deploy_script_sets_on_the_platform(env: Fixtures) -> None:
    code, out, _ = run(env, deploy_files())
    assert reported(out) == []
    assert code == 0


def test_leave_alone_reads_heroku_config_set_sets(env: Fixtures) -> None:
    files = deploy_files()
    del files[".circleci/vars/pr_vars.py"]
    files["scripts/deploy.sh"] = ("#!/bin/sh\nheroku config:set STATIC_BUCKET_NAME=static \\\n"
                                  "  PUBLISHER_API_KEY=\"$KEY\" --app \"$APP\"\n")
    code, out, _ = run(env, files)
    assert reported(out) == []
    assert code == 0


def test_catch_reads_a_script_lists_but_does_not_set_on_a_platform(env: Fixtures) -> None:
    # the same list sent to a build API, not the platform's config: documents nothing
    files = deploy_files()
    files[".circleci/vars/pr_vars.py"] = PR_VARS.replace("config-vars", "builds")
    code, out, _ = run(env, files)
    assert reported(out) == ["PUBLISHER_API_KEY", "STATIC_BUCKET_NAME"]
    assert code == 1


# -- 2. a dead entry an installed package of the same project may read ----------------------------------------

EDITOR_SETTINGS = """\
import environ

env = environ.Env()
DATABASES = {"default": env.db("DATABASE_URL")}
LAWBOOK_HOST = env("LAWBOOK_HOST")
"""

VIEW = """\
from django.http import HttpResponseRedirect
from lawbookclient.models.utilities.aws import generate_signed_asset_url


def signed_asset(request, key):
    return HttpResponseRedirect(generate_signed_asset_url(key))
"""

EXAMPLE = """\
LAWBOOK_HOST=localhost
DATABASE_URL=postgres://u:p@db/x
DATABASE_PASSWORD=admin
PRIVATE_ASSET_BUCKET=private-assets
SNS_TOPIC=arn:aws:sns:us-east-1:0:events
"""


def library_files() -> dict[str, str]:
    return {"config/settings/base.py": EDITOR_SETTINGS, "judgments/views/signed_asset.py": VIEW,
            ".env.example": EXAMPLE, "requirements/base.txt": "django==4.2\nlawbook-api-client==49.1.1\n",
            "pyproject.toml": '[project]\nname = "lawbook-editor-ui"\n\n[tool.ruff]\nline-length = 120\n'}


def test_project_words_from_the_manifest_and_the_origin_remote() -> None:
    files = {"pyproject.toml": b'[project]\nname = "ds-lawbook-editor"\n', "setup.py": b"setup(name='courtdocs')\n"}
    assert project_words(set(files), "https://github.com/justiceorg/ds-lawbook-editor-ui.git", files.get) == {
        "justiceorg", "lawbook", "courtdocs"}
    assert project_words(set(), None, files.get) == set()


def test_catch_dead_entries_without_a_project_name(env: Fixtures) -> None:
    # no manifest name and no origin remote: the package cannot be told the project's
    files = library_files()
    del files["pyproject.toml"]
    code, out, _ = run(env, files)
    assert reported(out) == ["DATABASE_PASSWORD", "PRIVATE_ASSET_BUCKET", "SNS_TOPIC"]
    assert code == 1


def test_leave_alone_dead_entries_a_project_package_may_read(env: Fixtures) -> None:
    code, out, err = run(env, library_files())
    # DATABASE_PASSWORD: the repo's own DATABASE_* family, still reported
    assert reported(out) == ["DATABASE_PASSWORD"]
    assert "PRIVATE_ASSET_BUCKET, SNS_TOPIC" in out + err and "lawbookclient.models.utilities.aws" in out + err
    assert code == 1


def test_catch_dead_entries_when_the_package_is_not_the_projects(env: Fixtures) -> None:
    files = library_files()
    files["judgments/views/signed_asset.py"] = VIEW.replace("lawbookclient", "storages")
    code, out, _ = run(env, files)
    assert reported(out) == ["DATABASE_PASSWORD", "PRIVATE_ASSET_BUCKET", "SNS_TOPIC"]
    assert code == 1


def test_catch_dead_entry_of_one_word_beside_a_project_package(env: Fixtures) -> None:
    # a library prefixes the names it reads: DEVEL is the repo's own
    files = library_files()
    files[".env.example"] = EXAMPLE + "DEVEL=true\n"
    code, out, _ = run(env, files)
    assert reported(out) == ["DATABASE_PASSWORD", "DEVEL"]
    assert code == 1


def test_catch_dead_entry_whose_family_the_repo_spells(env: Fixtures) -> None:
    # a test reads E2E_LOGIN_USER: the template's E2E_USER_LOGIN is the repo's, misspelled
    files = library_files()
    files[".env.example"] = EXAMPLE + "E2E_USER_LOGIN=root\n"
    files["e2e_tests/conftest.py"] = "import os\n\nUSER = os.environ.get('E2E_LOGIN_USER')\n"
    code, out, _ = run(env, files)
    assert reported(out) == ["DATABASE_PASSWORD", "E2E_USER_LOGIN"]
    assert code == 1


# -- 3. a mode's read documented in the env file of the setup that selects the mode ---------------------------

MODE_SETTINGS = """\
import environ

env = environ.Env()
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
EMAIL_BACKEND_TYPE = env.str("EMAIL_BACKEND_TYPE")

if EMAIL_BACKEND_TYPE == "FILE":
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
elif EMAIL_BACKEND_TYPE == "NOTIFY":
    NOTIFY_API_KEY = env.str("NOTIFY_API_KEY")
"""

TEST_COMPOSE = """\
version: '3'
services:
  tests-app:
    build:
      context: ../
    env_file:
      - ../envs/tests
"""


def mode_files() -> dict[str, str]:
    return {"app/settings.py": MODE_SETTINGS, "envs/web.template": "DJANGO_SECRET_KEY=\nEMAIL_BACKEND_TYPE=CONSOLE\nDJANGO_DEBUG=0\n",
            "envs/tests": "DJANGO_SECRET_KEY='x'\nEMAIL_BACKEND_TYPE=FILE\nEMAIL_FILE_PATH='/app/mail'\n"
                          "NOTIFY_API_KEY=fake\n",
            "tests/docker-compose.yml": TEST_COMPOSE}


def test_leave_alone_mode_read_the_test_setup_selects_and_sets(env: Fixtures) -> None:
    code, out, _ = run(env, mode_files())
    # NOTIFY_API_KEY: the test file sets it, but not the NOTIFY mode: the deployed mode's key is still wanted
    assert reported(out) == ["NOTIFY_API_KEY"]
    assert code == 1


def test_catch_mode_read_when_no_env_file_selects_the_mode(env: Fixtures) -> None:
    files = mode_files()
    files["envs/tests"] = "DJANGO_SECRET_KEY='x'\nEMAIL_BACKEND_TYPE=CONSOLE\nEMAIL_FILE_PATH='/app/mail'\n"
    code, out, _ = run(env, files)
    assert reported(out) == ["EMAIL_FILE_PATH", "NOTIFY_API_KEY"]
    assert code == 1


def test_mode_documented_needs_the_branch() -> None:
    lines = {"s.py": b"import os\nX = os.environ['EMAIL_FILE_PATH']\n"}
    read = Read("EMAIL_FILE_PATH", "s.py", 2, 5, "os.environ")
    files = {"envs/tests": {"EMAIL_BACKEND_TYPE": "FILE", "EMAIL_FILE_PATH": "/app/mail"}}
    assert mode_documented([read], files, lines.get) == set()
