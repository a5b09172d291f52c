"""check-env-documented, held-out round 14 (objects-api, objecttypes-api, open-notificaties,
kolibri, edx-analytics-dashboard): the wrong classes the judge found, each on files shaped like
the real ones, with a catch and a leave-alone test.

- a start script's ``${SCRIPTPATH}/wait_for_db.sh``, a name a sibling script of the folder
  assigns (``SCRIPTPATH=$(dirname "$SCRIPT")``): the scripts' own path convention;
- a dead entry in a repo whose settings star-import an installed package's settings module;
- a dict of defaults the code applies in a loop (``for k in DEFAULTS: os.environ[k] = ...``);
- the project's own registry of variables in Python (``{"X": {"description": "..."}}``);
- and the soft miss: the "too little documentation" notice names the reads the code needs.
"""
from __future__ import annotations

from hooks.checks.check_env_documented.python import scan
from tests.helpers.env_documented import Fixtures, reported
from tests.helpers.env_documented import run_hook as run

SETTINGS = """\
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DB_NAME = os.environ["DB_NAME"]
"""

DOCKERFILE = """\
FROM python:3.12
COPY ./bin/start.sh /start.sh
COPY ./bin/wait_db.sh /wait_db.sh
CMD ["/start.sh"]
"""

# -- 1. a script-internal path variable a sibling script assigns ----------------------------------------------

START = """\
#!/bin/sh
set -ex

port=${APP_PORT:-8000}

# wait for required services
${HELPERS}/wait_db.sh

uwsgi --http :$port --ini "${HELPERS}/uwsgi.ini"
"""

WORKER = """\
#!/bin/bash
set -euo pipefail

SCRIPT=$(readlink -f "$0")
HELPERS=$(dirname "$SCRIPT")

${HELPERS}/wait_db.sh
celery worker
"""


def script_files() -> dict[str, str]:
    return {"app/settings.py": SETTINGS, ".env.example": "SECRET_KEY=\nDB_NAME=\n", "Dockerfile": DOCKERFILE,
            "bin/start.sh": START, "bin/worker.sh": WORKER, "bin/wait_db.sh": "#!/bin/sh\necho waiting\n",
            "bin/uwsgi.ini": "[uwsgi]\n"}


def test_leave_alone_path_prefix_a_sibling_script_assigns(env: Fixtures) -> None:
    code, out, _ = run(*env, script_files())
    assert reported(out) == []
    assert code == 0


def test_catch_path_prefix_nothing_assigns(env: Fixtures) -> None:
    files = script_files()
    files["bin/worker.sh"] = "#!/bin/bash\ncelery worker\n"
    code, out, _ = run(*env, files)
    assert reported(out) == ["HELPERS"]
    assert code == 1


def test_catch_sibling_assigned_name_read_as_a_value(env: Fixtures) -> None:
    # the sibling's own HELPERS says nothing of a read that is not a path's folder
    files = script_files()
    files["bin/start.sh"] = "#!/bin/sh\nexec gunicorn --workers $HELPERS app.wsgi\n"
    code, out, _ = run(*env, files)
    assert reported(out) == ["HELPERS"]
    assert code == 1


# -- 2. settings star-importing an installed package's settings module ---------------------------------------

BASE = """\
import os

from framework_pkg.conf.base import *  # noqa

SECRET_KEY = os.environ["SECRET_KEY"]
DB_NAME = os.environ["DB_NAME"]
"""


def test_leave_alone_dead_entry_when_settings_come_from_a_package(env: Fixtures) -> None:
    files = {"src/proj/conf/base.py": BASE, ".env-example": "SECRET_KEY=\nDB_NAME=\nEMAIL_HOST=localhost\n"}
    code, out, err = run(*env, files)
    assert reported(out) == []
    assert "EMAIL_HOST" in out + err and "framework_pkg.conf.base" in out + err
    assert code == 0


def test_catch_dead_entry_when_star_import_is_the_repos_own(env: Fixtures) -> None:
    files = {"src/proj/conf/base.py": BASE.replace("framework_pkg.conf.base", "proj.conf.includes"),
             "src/proj/conf/includes.py": "DEBUG = False\n",
             ".env-example": "SECRET_KEY=\nDB_NAME=\nEMAIL_HOST=localhost\n"}
    code, out, _ = run(*env, files)
    assert reported(out) == ["EMAIL_HOST"]
    assert code == 1


def test_catch_dead_entry_when_star_import_is_django(env: Fixtures) -> None:
    files = {"src/proj/conf/base.py": BASE.replace("framework_pkg.conf.base", "django.conf.global_settings"),
             ".env-example": "SECRET_KEY=\nDB_NAME=\nEMAIL_HOST=localhost\n"}
    code, out, _ = run(*env, files)
    assert reported(out) == ["EMAIL_HOST"]
    assert code == 1


# -- 3. a dict of defaults applied in a loop ------------------------------------------------------------------

ENTRYPOINT = """\
import os
import subprocess

DEFAULT_ENVS = {
    "INTERPRETER_CMD": "python3",  # which interpreter runs the app
    "APP_PORT": "8080",
}


def set_default_envs():
    envs = os.environ
    for key in DEFAULT_ENVS:
        env = os.getenv(key, None)
        if env is None:
            envs[key] = DEFAULT_ENVS[key]


def command():
    envs = os.environ
    return [envs["INTERPRETER_CMD"], "-m", "app", "--port", envs["APP_PORT"], envs["APP_SECRET"]]


if __name__ == "__main__":
    set_default_envs()
    subprocess.run(command())
"""


def loop_files() -> dict[str, str]:
    return {"docker/entrypoint.py": ENTRYPOINT, "docker/env.list": "APP_SECRET=\n",
            "Dockerfile": 'FROM python:3.12\nENTRYPOINT ["python", "docker/entrypoint.py"]\n'}


def test_scan_defaults_dict_in_a_loop() -> None:
    reads = scan("docker/entrypoint.py", ENTRYPOINT).reads
    given = sorted((r.name, r.default) for r in reads if r.form == "os.environ.setdefault")
    assert given == [("APP_PORT", "8080"), ("INTERPRETER_CMD", "python3")]
    # written whatever the test: a write
    unguarded = ENTRYPOINT.replace("        env = os.getenv(key, None)\n        if env is None:\n            envs[key]",
                                   "        os.environ[key]")
    assert sorted(r.name for r in scan("docker/entrypoint.py", unguarded).reads if r.form == "write") == [
        "APP_PORT", "INTERPRETER_CMD"]


def test_leave_alone_default_from_a_defaults_dict(env: Fixtures) -> None:
    code, out, _ = run(*env, loop_files())
    assert reported(out) == []
    assert code == 0


def test_catch_dict_the_loop_does_not_write_to_the_environment(env: Fixtures) -> None:
    files = loop_files()
    files["docker/entrypoint.py"] = ENTRYPOINT.replace("            envs[key] = DEFAULT_ENVS[key]",
                                                       "            print(key, DEFAULT_ENVS[key])")
    code, out, _ = run(*env, files)
    assert reported(out) == ["APP_PORT", "INTERPRETER_CMD"]
    assert code == 1


# -- 4. the project's own registry of variables -------------------------------------------------------------

REGISTRY = """\
import os

ENVIRONMENT_VARIABLES = {
    "APP_HOME": {
        "default": lambda: os.path.join(os.path.expanduser("~"), ".app"),
        "description": "The base directory for the installation.",
    },
    "APP_APK_VERSION_NAME": {
        "description": "Version name for the Android installer",
    },
}


def set_env():
    for key, item in ENVIRONMENT_VARIABLES.items():
        if "default" in item and key not in os.environ:
            os.environ[key] = item["default"]()
"""

VERSION = """\
import os


def get_version():
    return os.environ["APP_APK_VERSION_NAME"]
"""


def registry_files() -> dict[str, str]:
    return {"app/settings.py": SETTINGS, "app/utils/env.py": REGISTRY, "app/utils/version.py": VERSION,
            ".env.example": "SECRET_KEY=\nDB_NAME=\n"}


def test_leave_alone_variable_in_the_projects_registry(env: Fixtures) -> None:
    code, out, _ = run(*env, registry_files())
    assert reported(out) == []
    assert code == 0


def test_catch_registry_without_descriptions(env: Fixtures) -> None:
    files = registry_files()
    files["app/utils/env.py"] = REGISTRY.replace('"description"', '"label"')
    code, out, _ = run(*env, files)
    assert reported(out) == ["APP_APK_VERSION_NAME"]
    assert code == 1


# -- soft miss: the "too little documentation" notice names what the code needs ------------------------------

YAML_CONFIG = """\
import os

from django.core.exceptions import ImproperlyConfigured


def get_env_setting(setting):
    try:
        return os.environ[setting]
    except KeyError:
        raise ImproperlyConfigured("Set the %s env variable" % setting)


CONFIG_FILE = get_env_setting("DASHBOARD_CFG")
"""


def test_too_little_documentation_notice_names_the_needed_reads(env: Fixtures) -> None:
    knobs = "".join(f'K{i} = os.environ.get("KNOB_{i}", "x")\n' for i in range(12))
    files = {"app/settings/yaml_config.py": YAML_CONFIG, "app/settings/base.py": "import os\n" + knobs,
             "README.md": "Set `KNOB_1` to tune it.\n", ".env.example": "KNOB_1=x\n"}
    code, out, err = run(*env, files)
    assert reported(out) == []
    assert "too little environment documentation" in out + err
    assert "read with no default: DASHBOARD_CFG)" in out + err
    assert code == 0
