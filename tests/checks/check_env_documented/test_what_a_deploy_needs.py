"""check-env-documented, issue 21 (held-out precision): by default the hook
reports what a maintainer would merge a fix for, a variable the service needs
(no default, no test whether it is set) that no documentation names, and a
dead template entry; optional knobs are one notice (``--optional`` lists each),
and a project that documents a fifth or less of its variables keeps its
reference elsewhere: one notice. Catch / leave-alone pairs on small repos
shaped like the services measured (a Flask config class with an entrypoint,
a Django settings module with guarded blocks, a sandbox executor)."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.check_env_documented.python import scan
from hooks.checks.check_env_documented.reads import scan_ini, scan_shell
from hooks.config import python_trees
from tests.helpers.env_documented import reported
from tests.helpers.env_documented import run_hook as run

CONFIG = """\
import os


def get_optional_env_variable(name):
    try:
        return os.environ[name]
    except KeyError:
        return None


class Config:
    SECRET_KEY = os.getenv("SECRET_KEY")
    REDIS_URL = os.environ["REDIS_URL"]
    S3_BUCKET_CSV_UPLOAD = os.environ["S3_BUCKET_CSV_UPLOAD"]
    GUNICORN_WORKERS = int(os.getenv("GUNICORN_WORKERS", "4"))
    TIMEOUT = int(os.environ.get("HTTP_SERVE_TIMEOUT_SECONDS") or 30)
    ANTIVIRUS_ENABLED = os.getenv("ANTIVIRUS_ENABLED") == "1"
    ZENDESK_API_KEY = get_optional_env_variable("ZENDESK_API_KEY")
    if "DB_NAME" in os.environ:
        DB_USER = os.environ["DB_USER"]
    try:
        CRONITOR_KEYS = os.environ["CRONITOR_KEYS"]
    except KeyError:
        CRONITOR_KEYS = None
    if os.getenv("NOTIFY_ENVIRONMENT") == "production":
        SENTRY_DSN_PROD = os.environ["SENTRY_DSN_PROD"]
"""
ENTRYPOINT = """\
#!/bin/bash
set -e
if [ -n "$ADMIN_PASSWORD" ]; then
    python manage.py createadmin --password "$ADMIN_PASSWORD"
fi
read -rd '' DB_ERR < /tmp/db.log || :
echo "$DB_ERR"
exec gunicorn -c gunicorn_config.py --workers "$CONCURRENCY" -b "0.0.0.0:$PORT" application
"""
DOCUMENTED = "".join(f'D{n} = os.environ["DOCUMENTED_{n}"]\n' for n in range(10))
DOCUMENTED_ENTRIES = "".join(f"DOCUMENTED_{n}=\n" for n in range(10))


def service(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"app/config.py": CONFIG, "app/documented.py": "import os\n" + DOCUMENTED, "entrypoint.sh": ENTRYPOINT,
            ".env.example": DOCUMENTED_ENTRIES + "LEGACY_CACHE_HOST=memcached\n", **(extra or {})}


def test_what_a_deploy_needs_is_reported_and_optional_knobs_are_one_notice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(tmp_path, monkeypatch, capsys, service())
    # needed: no default and no test for it; a mode's block (== "production") is still needed in that mode
    assert code == 1 and reported(out) == ["CONCURRENCY", "LEGACY_CACHE_HOST", "REDIS_URL", "S3_BUCKET_CSV_UPLOAD",
                                           "SECRET_KEY", "SENTRY_DSN_PROD"]
    assert ".env.example:11:1: check-env-documented: LEGACY_CACHE_HOST is documented but nothing" in out
    # optional: a default, `or 30`, a flag test, a helper named optional, a guarded block, try/except KeyError,
    # `[ -n "$X" ]` in the entrypoint; PORT is the platform's, DB_ERR the script's own
    notice = next(line for line in err.splitlines() if "optional knobs" in line)
    assert notice.startswith("check-env-documented: 9 variable(s) read with a default, optional knobs, are not "
                             "documented (ADMIN_PASSWORD, ANTIVIRUS_ENABLED, CRONITOR_KEYS, DB_NAME, DB_USER, ...)")
    code, out, _ = run(tmp_path, monkeypatch, capsys, service(), "--optional")
    assert {"ADMIN_PASSWORD", "GUNICORN_WORKERS", "HTTP_SERVE_TIMEOUT_SECONDS", "ZENDESK_API_KEY",
            "CRONITOR_KEYS", "DB_USER"} <= set(reported(out))
    assert "PORT" not in reported(out) and "DB_ERR" not in reported(out)


def test_verbose_names_every_optional_knob(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(tmp_path, monkeypatch, capsys, service(), "--verbose")
    assert "ZENDESK_API_KEY" in err and "..." not in err.split("optional knobs")[1].split("\n")[0]


def test_documenting_a_fifth_or_less_is_documentation_kept_elsewhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # a GOV.UK-style service: config deployed from another repo; the README names two variables
    readme = "# notifications\n\nSet `SECRET_KEY` and `REDIS_URL` in environment.sh, then `make run`.\n"
    files = {"app/config.py": CONFIG + "".join(f'    KNOB_{n} = os.environ["KNOB_{n}"]\n' for n in range(8)),
             "README.md": readme}
    code, out, err = run(tmp_path, monkeypatch, capsys, files)
    assert (code, out) == (0, "")
    assert err.count("too little environment documentation to check against: the env documentation names 2 of the 20 "
                     "variables the code reads (2 of the 12 it needs") == 1
    # leave alone: a template of the same repo that lists a fair share is the project's documentation
    (tmp_path / "kept").mkdir()
    entries = "".join(f"KNOB_{n}=\n" for n in range(8))
    code, out, err = run(tmp_path / "kept", monkeypatch, capsys, {**files, ".env.example": entries})
    assert code == 1 and reported(out) == ["S3_BUCKET_CSV_UPLOAD", "SENTRY_DSN_PROD"]


def test_dead_entries_are_reported_even_when_docs_are_kept_elsewhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    files = {"app/config.py": "import os\n" + "".join(f'K{n} = os.environ["KNOB_{n}"]\n' for n in range(12)),
             ".env.example": "KNOB_0=\nOLD_MAILGUN_KEY=\n"}
    code, out, err = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and reported(out) == ["OLD_MAILGUN_KEY"] and "names 1 of the 12 variables" in err


SANDBOX = """\
import os
import subprocess


def run_action(ctx):
    sandbox_env = dict(os.environ)
    sandbox_env["TRACECAT__WF_EXEC_ID"] = str(ctx.exec_id)
    subprocess.run(["python", "-m", "runner"], env={"RUNNER_TOKEN": ctx.token}, check=True)
    os.environ["WORKER_ROLE"] = "executor"
"""
RUNNER = """\
import os

EXEC_ID = os.environ["TRACECAT__WF_EXEC_ID"]
TOKEN = os.environ["RUNNER_TOKEN"]
ROLE = os.environ["WORKER_ROLE"]
API_URL = os.environ["TRACECAT__API_URL"]
"""


def test_variables_the_code_sets_for_a_child_process_are_not_asked_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    files = {"tracecat/executor/action_runner.py": SANDBOX, "registry/context.py": RUNNER, ".env.example": "X=\n",
             "registry/uses.py": "import os\nX = os.environ['X']\n"}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and reported(out) == ["TRACECAT__API_URL"]


def test_writes_are_found_in_a_module_for_a_newer_python() -> None:
    text = 'type Env = dict[str, str]\nsandbox_env["TRACECAT__WF_EXEC_ID"] = "1"\nX = os.environ["NEEDED"]\n'
    reads = scan("tracecat/executor/service.py", text).reads
    python_trees.take()  # the runner would report the newer-Python module: not here
    assert [(r.name, r.form, r.weak) for r in reads] == [("TRACECAT__WF_EXEC_ID", "write", True),
                                                        ("NEEDED", "os.environ", False)]


@pytest.mark.parametrize("path, text", [
    ("app/functional_tests_fixtures/__init__.py", 'import os\nTOKEN = os.environ["REQUEST_BIN_API_TOKEN"]\n'),
    ("scripts/run_locally_with_docker.sh", '#!/bin/sh\ndocker run -e "AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID" app\n'),
    ("Ctl/dev/docker-compose.yml", "services:\n  web:\n    build: .\n    ports: ['${DJANGO_PORT}:8000']\n"),
    ("docker/build.sh", '#!/bin/sh\ndocker build -t "$APP_NAME:$GIT_COMMIT" .\n'),
    ("qa/scenarios/bigquery_data.py", 'import os\nKEY = os.environ["BIGQUERY_KEYFILE_CREDS"]\n'),
    ("start-dev.sh", '#!/bin/sh\ncurl -H "Authorization: $SUPERUSER_ACCESS_TOKEN" localhost\n'),
    ("alembic/env.py", 'import os\nURL = os.environ["ALEMBIC_DB_URL"]\n'),
])
def test_fixture_generators_dev_and_build_scripts_are_not_reads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], path: str, text: str) -> None:
    files = {".env.example": "SECRET_KEY=\n", "app/settings.py": 'import os\nX = os.environ["SECRET_KEY"]\n', path: text}
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, "")


def test_the_service_s_own_entrypoint_and_compose_still_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    files = {".env.example": "SECRET_KEY=\n", "app/settings.py": 'import os\nX = os.environ["SECRET_KEY"]\n',
             "docker/entrypoint.sh": '#!/bin/sh\nexec gunicorn --workers "$WEB_WORKERS" app\n',
             "docker-compose.yml": "services:\n  web:\n    image: app:${RELEASE_TAG}\n"}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and reported(out) == ["RELEASE_TAG", "WEB_WORKERS"]


def test_a_tracked_env_file_beside_compose_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    compose = "services:\n  web:\n    image: ${SENTRY_IMAGE}\n    ports: ['${SENTRY_BIND}:9000']\n"
    files = {"docker-compose.yml": compose, ".env": "SENTRY_IMAGE=getsentry/sentry:nightly\nSENTRY_BIND=9000\n",
             "docker/release/docker-compose.yml": "services:\n  ts:\n    image: ts\n    volumes: ['${TS_CONFIG_PATH}:/etc']\n",
             "docker/release/config.env": "TS_CONFIG_PATH=./etc/timesketch\n", ".env.example": "SENTRY_BIND=9000\n"}
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, "")
    (tmp_path / "bare").mkdir()
    bare = {k: v for k, v in files.items() if not k.endswith("config.env")}
    code, out, _ = run(tmp_path / "bare", monkeypatch, capsys, bare)
    assert code == 1 and reported(out) == ["TS_CONFIG_PATH"]


def test_library_read_entries_are_never_dead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    example = ("AIRFLOW__CORE__EXECUTOR=CeleryExecutor\nSQLALCHEMY_SILENCE_UBER_WARNING=1\nOPENAI_API_KEY=\n"
               "SECRET_KEY=\nNOBODY_READS_THIS=1\n")
    files = {"docker/conf/.env.example": example, "app/settings.py": 'import os\nX = os.environ["SECRET_KEY"]\n'}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and reported(out) == ["NOBODY_READS_THIS"]


def test_a_field_holding_a_nested_settings_model_is_not_a_variable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    config = ("from pydantic_settings import BaseSettings\n\n\nclass DatabaseSettings(BaseSettings):\n"
              "    server: str\n\n\nclass FidesConfig(BaseSettings):\n    database: DatabaseSettings\n"
              "    credentials: dict\n")
    files = {"src/fides/config/__init__.py": config, "example.env": "SERVER=db\n"}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and reported(out) == ["CREDENTIALS"]  # the nested model's fields are its own reads


def test_shell_set_tests_and_uwsgi_if_env_are_optional() -> None:
    reads = [(r.line, r.name, r.default) for r in scan_shell("docker/entrypoint.sh", ENTRYPOINT)]
    # line 4 runs only inside `if [ -n "$ADMIN_PASSWORD" ]`: optional too (held-out round 16)
    assert reads == [(3, "ADMIN_PASSWORD", ""), (4, "ADMIN_PASSWORD", ""), (8, "CONCURRENCY", None), (8, "PORT", None)]
    assert [(r.name, r.default) for r in scan_ini("uwsgi.ini", "[uwsgi]\nif-env = ENABLE_SENTRY\nendif =\n")] == [
        ("ENABLE_SENTRY", "")]


@pytest.mark.parametrize("line, optional", [
    ('X = os.getenv("X")', False),
    ('X = os.environ["X"]', False),
    ('X = env("X")', False),
    ('X = env("X", str, "d")', True),       # django-environ: (var, cast, default)
    ('X = env.bool("X", DEBUG)', True),     # a default that is not a literal is a default all the same
    ('X = not os.getenv("X")', True),
    ('X = bool(os.environ.get("X"))', True),
    ('X = os.getenv("X", "").lower() in ("1", "true")', True),
    ('X = os.environ["X"] == "1"', False),  # a missing variable is a KeyError all the same
])
def test_which_reads_are_optional(line: str, optional: bool) -> None:
    text = f"import os\nimport environ\nenv = environ.Env()\nDEBUG = False\n{line}\n"
    (read,) = [r for r in scan("app/settings.py", text).reads if r.name == "X"]
    assert (read.default is not None) is optional
