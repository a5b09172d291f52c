"""check-env-documented, held-out round 16 (clearml-server): the wrong classes the judge found, each on
files shaped like the real ones, with a catch and a leave-alone test.

- ``x = getenv("X")`` whose every later use is a truth test of ``x`` or runs only when it passes, however
  deep (``if x:`` inside the ``else:`` of another test; a module's lower-case name tested in a method);
- a shell read inside ``if [[ -n $OTHER ]]; then`` (the shell twin of Python's ``if os.getenv("Y"):``),
  and ``export TOOL_ARGS=${X}`` (a tool's extra arguments, empty for none).
"""
from __future__ import annotations

from hooks.checks.check_env_documented.python import scan
from hooks.checks.check_env_documented.reads import scan_shell
from tests.helpers.env_documented import Fixtures, reported, run_hook


def defaults(reads: object) -> dict[str, str | None]:
    found = getattr(reads, "reads", reads)
    assert isinstance(found, list)
    return {r.name: r.default for r in found}


# -- 1. a name only ever truth-tested ---------------------------------------------------------------------------

DATABASE = """\
from os import getenv

CONN_KEY = "SVC_MONGO_CONNECTION_STRING"


class Database:
    @classmethod
    def initialize(cls, entries):
        override_conn = getenv(CONN_KEY)
        override_user = getenv("SVC_MONGO_USERNAME")
        override_query = getenv("SVC_MONGO_QUERY")
        if override_conn:
            print("using", override_conn)
        else:
            if override_user:
                print("user", override_user)
        for entry in entries:
            if override_conn:
                entry.host = override_conn
            else:
                if override_user:
                    entry.host = entry.host.replace("mongo", override_user)
                if override_query:
                    entry.host += "?" + override_query
"""

POPULATE = """\
import os

replace_scheme = os.getenv("SVC_REPLACE_S3_SCHEME")


class PrePopulate:
    @staticmethod
    def fixed_url(url):
        if not (replace_scheme and url and url.lower().startswith("s3://")):
            return url
        return "https://" + url[5:]
"""


def test_leave_alone_a_name_every_use_of_which_is_a_truth_test() -> None:
    found = defaults(scan("svc/database.py", DATABASE))
    assert found["SVC_MONGO_USERNAME"] == "" and found["SVC_MONGO_QUERY"] == ""
    assert found["SVC_MONGO_CONNECTION_STRING"] == ""
    assert defaults(scan("svc/populate.py", POPULATE))["SVC_REPLACE_S3_SCHEME"] == ""


def test_catch_a_name_used_untested_or_checked_and_raised() -> None:
    used = DATABASE + "        print(override_query.upper())\n"
    assert defaults(scan("svc/database.py", used))["SVC_MONGO_QUERY"] is None
    raised = POPULATE.replace("            return url\n", "            raise RuntimeError('set it')\n")
    assert defaults(scan("svc/populate.py", raised))["SVC_REPLACE_S3_SCHEME"] is None
    # a settings module's UPPER_CASE name is read by the framework too
    settings = "import os\n\nSTORAGE_TOKEN = os.getenv('SVC_STORAGE_TOKEN')\n\n\ndef f():\n    if STORAGE_TOKEN:\n" \
               "        return 1\n"
    assert defaults(scan("svc/settings.py", settings))["SVC_STORAGE_TOKEN"] is None
    # a parameter of the same name: its loads are not the module's
    shadowed = POPULATE.replace("def fixed_url(url):", "def fixed_url(url, replace_scheme=None):") + \
        "\n\ndef g():\n    return replace_scheme.upper()\n"
    assert defaults(scan("svc/populate.py", shadowed))["SVC_REPLACE_S3_SCHEME"] is None


def test_leave_alone_end_to_end(env: Fixtures) -> None:
    code, out, _ = run_hook(*env, {"svc/database.py": DATABASE, "svc/populate.py": POPULATE,
                                   "svc/app.py": "import os\nKEY = os.environ['SVC_API_KEY']\n",
                                   ".env.example": "SVC_MONGO_CONNECTION_STRING=\n"})
    assert reported(out) == ["SVC_API_KEY"], out


def test_catch_end_to_end(env: Fixtures) -> None:
    used = DATABASE + "        print(override_query.upper())\n"
    code, out, _ = run_hook(*env, {"svc/database.py": used, ".env.example": "SVC_MONGO_CONNECTION_STRING=\n"})
    assert code == 1 and reported(out) == ["SVC_MONGO_QUERY"], out


# -- 2. shell: inside a block that runs when another variable is set ------------------------------------------

ENTRYPOINT = """\
#!/bin/bash
if [[ ${SERVER_TYPE} == "api" ]]; then
    if [[ -n $SVC_USE_GUNICORN ]]; then
      EXTRA=
      if [[ -n $SVC_MAX_REQUESTS ]]; then
        EXTRA="--max-requests $SVC_MAX_REQUESTS"
      fi
      export GUNICORN_EXTRA=${SVC_GUNICORN_EXTRA}
      gunicorn -w "${SVC_WORKERS:-8}" $EXTRA app:app
    else
      python3 -m app --token $SVC_TOKEN
    fi
fi
"""


def test_leave_alone_shell_reads_under_a_set_test() -> None:
    found = {r.name: r.default for r in scan_shell("docker/entrypoint.sh", ENTRYPOINT)}
    assert found["SVC_GUNICORN_EXTRA"] == "" and found["SVC_MAX_REQUESTS"] == ""
    passed = "#!/bin/sh\nexport GUNICORN_CMD_ARGS=${SVC_GUNICORN_CMD_ARGS}\nexec gunicorn app:app\n"
    assert {r.name: r.default for r in scan_shell("entrypoint.sh", passed)}["SVC_GUNICORN_CMD_ARGS"] == ""


def test_catch_shell_reads_outside_the_set_block() -> None:
    found = {r.name: r.default for r in scan_shell("docker/entrypoint.sh", ENTRYPOINT)}
    assert found["SVC_TOKEN"] is None  # the else branch runs when SVC_USE_GUNICORN is unset
    unless = "#!/bin/sh\nif [ -z \"$SVC_DEBUG\" ]; then\n  exec gunicorn --key $SVC_KEY app\nfi\n"
    assert {r.name: r.default for r in scan_shell("entrypoint.sh", unless)}["SVC_KEY"] is None
    passed = "#!/bin/sh\nexport DATABASE_URL=${SVC_DATABASE_URL}\nexec gunicorn app:app\n"
    assert {r.name: r.default for r in scan_shell("entrypoint.sh", passed)}["SVC_DATABASE_URL"] is None
