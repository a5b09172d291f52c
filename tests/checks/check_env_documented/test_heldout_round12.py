"""check-env-documented, held-out round 12 (WhoCanIVoteFor, tunnistamo, notifications-admin,
kerrokantasi, checkmate): the wrong classes and notices the judge found, each on files
shaped like the real ones, with a catch and a leave-alone test.

- a deployment script only CI runs, its variables set by the CI step (``X=v cmd``): the
  pipeline's tooling, not the service;
- a file the entrypoint starts (``uwsgi --ini .prod/uwsgi.ini``) reading a name the
  entrypoint exports just before, whatever the two files' folders;
- a read with no default in a development or test config class (``class Development(Config)``);
- an env template named by its suffix (``config_dev.toml.example``,
  ``docker-compose.env.yaml.template``) whose lines are dotenv entries;
- GeoDjango's library paths, unset by default;
- a helper (a method too) that reads the environment under its parameter's name
  upper-cased, called with literal names.
"""
from __future__ import annotations

from hooks.checks.check_env_documented.docs import dotenv_template
from hooks.checks.check_env_documented.entrypoints import named_files
from hooks.checks.check_env_documented.python import scan
from tests.helpers.env_documented import Fixtures, reported
from tests.helpers.env_documented import run_hook as run

SETTINGS = """\
import os

SECRET_KEY = os.environ["SECRET_KEY"]
"""

# -- 1. a deployment script only CI runs ---------------------------------------------------------------------

ASG = """\
import os

import boto3


def main():
    client = boto3.client("autoscaling")
    client.update_auto_scaling_group(
        AutoScalingGroupName="default",
        MinSize=int(os.environ["MIN_SIZE"]),
        MaxSize=int(os.environ["MAX_SIZE"]),
        DesiredCapacity=int(os.environ["DESIRED_CAPACITY"]),
    )


if __name__ == "__main__":
    main()
"""

CIRCLE = """\
version: 2.1
jobs:
  deploy:
    parameters:
      min-size:
        type: integer
    steps:
      - checkout
      - run:
          name: Update auto scaling group
          command: |
            MIN_SIZE=<<parameters.min-size>> \\
            MAX_SIZE=2 \\
            DESIRED_CAPACITY=1 \\
            uv run python deploy/update_auto_scaling_group.py
"""


def ci_files() -> dict[str, str]:
    return {"app/settings.py": SETTINGS, ".env.example": "SECRET_KEY=\n", "deploy/update_auto_scaling_group.py": ASG,
            ".circleci/config.yml": CIRCLE}


def test_leave_alone_script_only_ci_runs(env: Fixtures) -> None:
    code, out, _ = run(*env, ci_files())
    assert reported(out) == []
    assert code == 0


def test_catch_script_ci_runs_and_the_deployment_starts(env: Fixtures) -> None:
    files = ci_files()
    files["Procfile"] = "release: python deploy/update_auto_scaling_group.py\n"
    code, out, _ = run(*env, files)
    assert reported(out) == ["DESIRED_CAPACITY", "MAX_SIZE", "MIN_SIZE"]
    assert code == 1


def test_catch_script_no_ci_runs(env: Fixtures) -> None:
    files = ci_files()
    files[".circleci/config.yml"] = CIRCLE.replace("deploy/update_auto_scaling_group.py", "deploy/other.py")
    code, out, _ = run(*env, files)
    assert reported(out) == ["DESIRED_CAPACITY", "MAX_SIZE", "MIN_SIZE"]
    assert code == 1


def test_catch_service_entry_module_ci_also_runs(env: Fixtures) -> None:
    files = {".env.example": "SECRET_KEY=\n", "app.py": SETTINGS.replace("SECRET_KEY", "API_TOKEN") + "SECRET_KEY = 1\n",
             ".github/workflows/test.yml": "jobs:\n  t:\n    steps:\n      - run: API_TOKEN=x python app.py --check\n"}
    code, out, _ = run(*env, files)
    assert reported(out) == ["API_TOKEN"]
    assert code == 1


# -- 2. exported by the entrypoint that starts the file ------------------------------------------------------

ENTRYPOINT = """\
#!/bin/bash
set -e
if [[ "$APPLY_MIGRATIONS" = "1" ]]; then
    ./manage.py migrate --noinput
fi
if [ "$1" = "dev" ]; then
    exec ./manage.py runserver 0:8000
else
    export UWSGI_PROCESSES=${UWSGI_PROCESSES:-4}
    # remove the trailing slash for uWSGI URLs
    export STATIC_URL_ROOTLESS=$(readlink -m $STATIC_URL)
    export MEDIA_URL_ROOTLESS=$(readlink -m $MEDIA_URL)
    uwsgi --ini .prod/uwsgi.ini
fi
"""

UWSGI = """\
[uwsgi]
http-socket = :8000
chdir = /app
mount = $(APP_URL_PATH)=project/wsgi.py
static-map = $(MEDIA_URL_ROOTLESS)=$(MEDIA_ROOT)
static-map = $(STATIC_URL_ROOTLESS)=$(STATIC_ROOT)
"""


def uwsgi_files(entrypoint: str = ENTRYPOINT) -> dict[str, str]:
    return {
        "Dockerfile": 'FROM python:3.12\nCOPY . /app\nENTRYPOINT ["./docker-entrypoint.sh"]\n',
        "docker-entrypoint.sh": entrypoint,
        ".prod/uwsgi.ini": UWSGI,
        ".env.example": "APPLY_MIGRATIONS=1\nSTATIC_URL=/static/\nMEDIA_URL=/media/\nAPP_URL_PATH=/\n"
                        "MEDIA_ROOT=/var/media\nSTATIC_ROOT=/var/static\n",
    }


def test_named_files_forms() -> None:
    tracked = {".prod/uwsgi.ini", "conf/gunicorn.py", "deploy/x.py", "bin/start-web"}
    text = ("uwsgi --ini .prod/uwsgi.ini\ngunicorn -c /app/conf/gunicorn.py app:app\npython ../deploy/x.py\n"
            "# exec ./bin/start-web\n")
    assert named_files(text, "scripts/entry.sh", tracked) == {".prod/uwsgi.ini", "conf/gunicorn.py", "deploy/x.py"}


def test_leave_alone_names_the_entrypoint_exports(env: Fixtures) -> None:
    code, out, _ = run(*env, uwsgi_files())
    assert reported(out) == []
    assert code == 0


def test_catch_entrypoint_that_does_not_start_the_file(env: Fixtures) -> None:
    code, out, _ = run(*env, uwsgi_files(ENTRYPOINT.replace("uwsgi --ini .prod/uwsgi.ini", "uwsgi --ini other.ini")))
    assert reported(out) == ["MEDIA_URL_ROOTLESS", "STATIC_URL_ROOTLESS"]
    assert code == 1


def test_catch_developer_script_exports(env: Fixtures) -> None:
    files = uwsgi_files(ENTRYPOINT.replace("uwsgi --ini .prod/uwsgi.ini", "uwsgi --ini other.ini"))
    files["run_locally_dev.sh"] = "export MEDIA_URL_ROOTLESS=/m\nexport STATIC_URL_ROOTLESS=/s\nuwsgi --ini .prod/uwsgi.ini\n"
    code, out, _ = run(*env, files)
    assert reported(out) == ["MEDIA_URL_ROOTLESS", "STATIC_URL_ROOTLESS"]
    assert code == 1


# -- 3. a development config class -----------------------------------------------------------------------------

FLASK_CONFIG = """\
import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    API_HOST_NAME = os.environ.get("API_HOST_NAME")


class Development(Config):
    SERVER_NAME = os.getenv("SERVER_NAME")
    API_HOST_NAME = os.environ.get("API_HOST_NAME", "http://localhost:6011")


class Test(Development):
    TEST_DATABASE = os.environ.get("TEST_DATABASE")


class Production(Config):
    pass
"""


def test_dev_class_reads_are_weak() -> None:
    reads = {r.name: r for r in scan("app/config.py", FLASK_CONFIG).reads}
    assert reads["SERVER_NAME"].weak and reads["TEST_DATABASE"].weak
    assert not reads["SECRET_KEY"].weak


def test_leave_alone_read_only_in_dev_class(env: Fixtures) -> None:
    files = {"app/config.py": FLASK_CONFIG, ".env.example": "SECRET_KEY=\n"}
    code, out, _ = run(*env, files)
    assert reported(out) == []
    assert code == 0


def test_catch_same_read_in_a_production_class(env: Fixtures) -> None:
    files = {"app/config.py": FLASK_CONFIG.replace("class Production(Config):\n    pass",
                                                   "class Production(Config):\n    SERVER_NAME = os.getenv(\"SERVER_NAME\")"),
             ".env.example": "SECRET_KEY=\n"}
    code, out, _ = run(*env, files)
    assert reported(out) == ["SERVER_NAME"]
    assert code == 1


def test_class_named_local_but_not_config_is_the_service() -> None:
    text = "import os\n\nclass LocalStorage(FileSystemStorage):\n    location = os.environ.get('MEDIA_DIR')\n"
    assert not scan("app/storage.py", text).reads[0].weak


# -- 4. env templates named by their suffix -------------------------------------------------------------------

TOML_EXAMPLE = """\
# Project environment configuration
# This file defines a set of (environment) variables. Rename it to `config_dev.toml`.

#### entrypoint.sh settings ####
# Whether to apply migrations when launching the container.
APPLY_MIGRATIONS=true

#### Django settings ####
DEBUG=true
SECRET_KEY=xxx
# ALLOWED_HOSTS=localhost
"""

ENV_SETTINGS = """\
import environ

env = environ.Env(DEBUG=(bool, False), ALLOWED_HOSTS=(list, []))
environ.Env.read_env("config_dev.toml")
DEBUG = env("DEBUG")
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
DATABASE_URL = env.str("DATABASE_URL")
"""


def test_dotenv_template_by_content() -> None:
    assert dotenv_template("config_dev.toml.example", TOML_EXAMPLE.encode())
    assert dotenv_template("docker-compose.env.yaml.template", b"DEBUG=1\nALLOWED_HOSTS=*\nCOOKIE_SECURE=0\n")
    # a TOML or Python settings template, an INI template: not dotenv
    assert not dotenv_template("config.toml.example", b'[server]\nport = 80\nHOST = "x"\nDEBUG = true\n')
    assert not dotenv_template("local_settings.py.example", b"DEBUG=1\nA=2\nB=3\n")
    assert not dotenv_template("alembic.ini.sample", b"A=1\nB=2\nC=3\n")
    assert not dotenv_template("notes.example", b"A=1\nsome prose\nmore prose\nand more\n")


def test_catch_dead_and_undocumented_against_suffixed_template(env: Fixtures) -> None:
    files = {"project/settings.py": ENV_SETTINGS, "config_dev.toml.example": TOML_EXAMPLE + "OLD_KNOB=1\n"}
    code, out, _ = run(*env, files)
    # APPLY_MIGRATIONS: read by nothing here either; DATABASE_URL undocumented
    assert reported(out) == ["APPLY_MIGRATIONS", "DATABASE_URL", "OLD_KNOB"]
    assert "not documented in config_dev.toml.example" in out
    assert code == 1


def test_leave_alone_read_documented_in_suffixed_template(env: Fixtures) -> None:
    files = {"project/settings.py": ENV_SETTINGS.replace('DATABASE_URL = env.str("DATABASE_URL")\n', ""),
             "config_dev.toml.example": TOML_EXAMPLE.replace("APPLY_MIGRATIONS=true\n", "")}
    code, out, _ = run(*env, files)
    assert reported(out) == []
    assert code == 0


# -- 5. GeoDjango's library paths -----------------------------------------------------------------------------


def test_leave_alone_gdal_library_path(env: Fixtures) -> None:
    settings = SETTINGS + 'GDAL_LIBRARY_PATH = os.environ.get("GDAL_LIBRARY_PATH")\n'
    code, out, _ = run(*env, {"app/settings.py": settings, ".env.example": "SECRET_KEY=\n"})
    assert reported(out) == []
    assert code == 0


def test_catch_other_library_path(env: Fixtures) -> None:
    settings = SETTINGS + 'PROJ_DATA_DIR = os.environ.get("PROJ_DATA_DIR")\n'
    code, out, _ = run(*env, {"app/settings.py": settings, ".env.example": "SECRET_KEY=\n"})
    assert reported(out) == ["PROJ_DATA_DIR"]
    assert code == 1


# -- 6. a helper method reading its parameter's name upper-cased -------------------------------------------------

PYRAMID_APP = """\
import os


class Application:
    def __init__(self, config):
        self.config = config
        self._configure_db(config)
        self._configure_auth(config)

    def add_setting_from_env(self, param_name, default=None, env_var_name=None):
        env_var_name = env_var_name.upper() if env_var_name else param_name.upper()

        value = self.config.registry.settings.get(param_name) or os.environ.get(
            env_var_name
        )
        if value is None and default is None:
            raise ValueError(f"Param {param_name} must be provided.")
        self.config.add_settings({param_name: value or default})
        return value

    def _configure_db(self, config):
        self.add_setting_from_env("database_url")
        self.add_setting_from_env("public_scheme", default="https")

    def _configure_auth(self, config):
        self.add_setting_from_env("auth.secret", env_var_name="app_secret")
        self.add_setting_from_env("auth.client_id", env_var_name="google_client_id")
"""


def test_helper_method_reads_upper_cased_names() -> None:
    reads = {r.name: r for r in scan("app/app.py", PYRAMID_APP).reads}
    assert set(reads) == {"DATABASE_URL", "PUBLIC_SCHEME", "APP_SECRET", "GOOGLE_CLIENT_ID"}
    assert reads["PUBLIC_SCHEME"].default == "https" and reads["DATABASE_URL"].default is None


def test_catch_undocumented_read_through_helper_method(env: Fixtures) -> None:
    readme = ("# App\n\n## Configuration\n\n| Name | Effect |\n|---|---|\n| `APP_SECRET` | signing |\n"
              "| `PUBLIC_SCHEME` | scheme |\n")
    code, out, _ = run(*env, {"app/app.py": PYRAMID_APP, "README.md": readme})
    assert reported(out) == ["DATABASE_URL", "GOOGLE_CLIENT_ID"]
    assert "no environment documentation" not in out
    assert code == 1


def test_leave_alone_helper_method_documented(env: Fixtures) -> None:
    files = {"app/app.py": PYRAMID_APP, ".env.example": "DATABASE_URL=\nAPP_SECRET=\nGOOGLE_CLIENT_ID=\n"}
    code, out, _ = run(*env, files)
    assert reported(out) == []
    assert code == 0


def test_helper_function_local_not_from_a_parameter_is_not_a_helper() -> None:
    text = ("import os\n\ndef get(name):\n    key = 'PREFIX_' + os.urandom(2).hex()\n    return os.environ.get(key)\n\n"
            "get('x')\n")
    assert [r.kind for r in scan("app/x.py", text).reads] == ["unknown"]


# -- 5b. a status endpoint's build metadata --------------------------------------------------------------------

VIEWS = """\
import os

from flask import Blueprint, jsonify

base = Blueprint("base", __name__)


@base.route("/ping.json")
def ping():
    return jsonify(
        {
            "version_number": os.environ.get("APPVERSION", os.environ.get("APP_VERSION")),
            "build_date": os.environ.get("APP_BUILD_DATE"),
        }
    )


@base.route("/token")
def token():
    return jsonify(token=make_token(os.environ.get("TOKEN_SIGNING_KEY")))
"""


def test_status_endpoint_values_are_optional() -> None:
    reads = {r.name: r for r in scan("app/views.py", VIEWS).reads}
    assert reads["APP_VERSION"].default == "" and reads["APP_BUILD_DATE"].default == ""
    # a value the response is computed from is not reported as it is: still needed
    assert reads["TOKEN_SIGNING_KEY"].default is None


def test_catch_value_used_to_build_the_response(env: Fixtures) -> None:
    code, out, _ = run(*env, {"app/views.py": VIEWS, "app/settings.py": SETTINGS, ".env.example": "SECRET_KEY=\n"})
    assert reported(out) == ["TOKEN_SIGNING_KEY"]
    assert code == 1


def test_leave_alone_build_metadata_in_status_endpoint(env: Fixtures) -> None:
    views = VIEWS.replace('make_token(os.environ.get("TOKEN_SIGNING_KEY"))', "make_token()")
    code, out, _ = run(*env, {"app/views.py": views, "app/settings.py": SETTINGS, ".env.example": "SECRET_KEY=\n"})
    assert reported(out) == []
    assert code == 0
