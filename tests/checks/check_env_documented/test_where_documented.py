"""check-env-documented, issue 21: documentation is wherever the project keeps
it, reads are the service's runtime code, and platform variables are data.
Catch / leave-alone pairs on small git repos shaped like the services the
issue was measured on (Tandoor-, babybuddy-, dispatch- and lemur-like)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hooks.checks.check_env_documented.docs import doc_names, is_doc_page, is_template
from tests.helpers.env_documented import reported
from tests.helpers.env_documented import run_hook as run

SETTINGS = """\
import os

SECRET_KEY = os.environ["SECRET_KEY"]
REDIS_HOST = os.getenv("REDIS_HOST", None)
GUNICORN_MEDIA = bool(int(os.getenv("GUNICORN_MEDIA", "0")))
SQL_DEBUG = os.getenv("SQL_DEBUG", "0") == "1"
"""


# Ten variables the code reads and the template documents: with them a repo keeps
# its env documentation here (a repo documenting a fifth or less gets one notice).
DOCUMENTED = {"app/documented.py": "import os\n" + "".join(f'D{n} = os.environ["DOCUMENTED_{n}"]\n' for n in range(10))}
DOCUMENTED_ENTRIES = "".join(f"DOCUMENTED_{n}=\n" for n in range(10))


# --- class 4: documentation wherever the project keeps it -----------------------------------

CONFIGURATION_MD = """\
# Configuration

#### Secret Key

Set a random secret key:

```
SECRET_KEY=YOUR_SECRET_KEY
```

| variable | meaning |
|---|---|
| `GUNICORN_MEDIA` | serve media with gunicorn |
"""


def test_markdown_docs_document_what_they_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    files = {"recipes/settings.py": SETTINGS, ".env.template": "SQL_DEBUG=0\n",
             "docs/system/configuration.md": CONFIGURATION_MD}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files, "--optional")
    assert code == 1 and reported(out) == ["REDIS_HOST"]  # the one name no doc and no template holds
    assert "REDIS_HOST is read here but not documented in .env.template" in out


def test_rest_envvar_and_mdx_headings_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    files = {"app/settings.py": SETTINGS, "env.example": "SECRET_KEY=\n",
             "docs/config.rst": ".. envvar:: REDIS_HOST\n\n   The cache host. See also :envvar:`SQL_DEBUG`.\n",
             "docs/docs/settings/server.mdx": "#### `GUNICORN_MEDIA` ['default': 0]\n"}
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, "")


def test_prose_mentions_of_plain_words_do_not_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    settings = 'import os\nDEBUG = os.getenv("DEBUG") == "1"\nHOSTED = os.getenv("HOSTED")\n'
    files = {"app/settings.py": settings, ".env.example": "",
             "README.md": "Run it in DEBUG mode while developing; the HOSTED version is ours.\n",
             "CHANGELOG.md": "- new: set `HOSTED` to hide the demo banner\n"}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files, "--optional")
    assert code == 1 and reported(out) == ["DEBUG", "HOSTED"]


def test_compose_values_dockerfile_and_kubernetes_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    settings = SETTINGS + 'SENTRY_DSN = os.getenv("SENTRY_DSN")\nFORCE_SSL = os.getenv("FORCE_SSL")\n'
    files = {
        "app/settings.py": settings, ".env.example": "SQL_DEBUG=0\n",
        "docker-compose.yml": "x-env: &env\n  SECRET_KEY: change-me\nservices:\n  web:\n    build: .\n"
                              "    environment:\n      <<: *env\n      REDIS_HOST: redis\n",
        "Dockerfile": "FROM python:3.12\nENV GUNICORN_MEDIA=0\n",
        "kubernetes/deployment.yml": "spec:\n  containers:\n    - env:\n        - name: FORCE_SSL\n          value: 'yes'\n",
        "kubernetes/configmap.yml": "kind: ConfigMap\ndata:\n  SENTRY_DSN: https://x@sentry.invalid/1\n",
    }
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, "")


def test_a_passthrough_compose_entry_is_a_read_to_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    files = {".env.example": "SECRET_KEY=\n", "app/settings.py": 'import os\nX = os.environ["SECRET_KEY"]\n',
             "docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n      - MAILGUN_API_KEY\n"}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and reported(out) == ["MAILGUN_API_KEY"]


@pytest.mark.parametrize("path, template", [
    (".env.example", True), ("docker/.env-dist", True), ("env.example", True), ("example.env", True),
    (".env.sample", True), (".env.template", True), ("deploy/.env.dist", True), (".env.local.example", True),
    (".environment-example", True), ("environment.sample", True), (".environment", False),
    (".env", False), (".env.production", False), ("tests/.env.example", False),
    ("frontend/node_modules/pkg/.env.example", False), ("settings.py", False),
])
def test_env_templates_by_name(path: str, template: bool) -> None:
    assert is_template(path) is template


def test_doc_pages_and_names() -> None:
    assert is_doc_page("docs/install.md") and is_doc_page("README.rst") and is_doc_page("docs/env.txt")
    assert not is_doc_page("CHANGELOG.md") and not is_doc_page("requirements.txt")
    assert not is_doc_page("docs/releasenotes/notes/x.rst")
    text = "```\nexport DB_HOST=x\n```\n| `PORT` | 80 |\nThe DEBUG flag, and AWS_REGION too.\n"
    assert doc_names(text) == {"DB_HOST", "PORT", "AWS_REGION"}


# --- class 8: dead entries in every template ----------------------------------------------


def test_dead_entries_are_reported_in_every_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    files = {"app/settings.py": 'import os\nX = os.environ["SECRET_KEY"]\n',
             ".env.example": "SECRET_KEY=\nLINENOTIFY_CLIENT_ID=\n",
             "docker/.env-dist": "SECRET_KEY=\nOLD_QUEUE=default\n"}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and out.splitlines() == [
        ".env.example:2:1: check-env-documented: LINENOTIFY_CLIENT_ID is documented but nothing in the repo reads it",
        "docker/.env-dist:2:1: check-env-documented: OLD_QUEUE is documented but nothing in the repo reads it",
    ]


def test_an_entry_the_front_end_or_a_chart_reads_is_not_dead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    files = {"app/settings.py": 'import os\nX = os.environ["SECRET_KEY"]\n',
             ".env.example": "SECRET_KEY=\nVITE_API_URL=http://localhost:8000\nWORKER_QUEUES=default\n",
             "frontend/src/api.ts": "export const base = import.meta.env.VITE_API_URL\n",
             "chart/templates/worker.yaml": "args: [\"--queues\", \"$(WORKER_QUEUES)\"]\n",
             "docs/setup.md": "Set `NOBODY` too.\n"}
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, "")


# --- class 5: reads are the service's runtime code --------------------------------------------

@pytest.mark.parametrize("path", [
    "e2e/conftest_helpers.py", "frontend/e2e/login.py", "benchmarks/run.py", "bench/load.py", "locustfile.py",
    "docs/conf.py", "docs/hooks/mkdocs_hooks.py", ".devcontainer/setup.py", "ci/upload.py",
    "scripts/ci/check.py", "app/migrations/0042_move_settings.py", "src/app/database/revisions/versions/2021_ab.py",
    "app/settings/test.py", "examples/client.py",
])
def test_code_that_is_not_the_running_service_is_not_a_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str], path: str) -> None:
    files = {".env.example": "SECRET_KEY=\n", "app/settings.py": 'import os\nX = os.environ["SECRET_KEY"]\n',
             path: 'import os\nTOKEN = os.environ["HARNESS_ONLY_TOKEN"]\n'}
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, "")


@pytest.mark.parametrize("name, extra", [
    ("RUN_MAIN", {}), ("PORT", {"Procfile": "web: gunicorn app:wsgi -b 0.0.0.0:$PORT\n"}),
    ("POSTGRES_PASSWORD", {}), ("PGHOST", {}), ("GOOGLE_APPLICATION_CREDENTIALS", {}), ("MPLBACKEND", {}),
    ("POSTGRESQL_ADDON_HOST", {}),
])
def test_platform_framework_and_library_variables_are_not_expected(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        name: str, extra: dict[str, str]) -> None:
    files = {".env.example": "SECRET_KEY=\n",
             "app/settings.py": f'import os\nX = os.environ["SECRET_KEY"]\nY = os.environ.get("{name}")\n', **extra}
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, "")


def test_port_is_the_platform_s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    entrypoint = '#!/bin/sh\nexec gunicorn -b "0.0.0.0:${PORT}" -w "$CONCURRENCY" app:app\n'
    files = {".env.example": "SECRET_KEY=\n", "entrypoint.sh": entrypoint,
             "app/settings.py": 'import os\nX = os.environ["SECRET_KEY"]\nY = os.environ["PORT"]\n'}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and reported(out) == ["CONCURRENCY"]


def test_setdefault_is_a_write_that_keeps_an_entry_alive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    manage = 'import os\nos.environ.setdefault("APP_SETTINGS_FLAVOUR", "prod")\nos.environ["LOCAL_ONLY"] = "1"\n'
    files = {".env.example": "APP_SETTINGS_FLAVOUR=prod\n", "manage.py": manage}
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, "")


# --- class 6: every way of importing os binds the name ---------------------------------------

@pytest.mark.parametrize("head", ["import os.path", "import os as _os", "from os import environ, getenv",
                                  "import sys, os.path"])
def test_reads_after_any_import_of_os_are_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str], head: str) -> None:
    body = ("X = getenv('CACHE_URL')\n" if "environ," in head else
            "X = _os.environ['CACHE_URL']\n" if "_os" in head else "X = os.environ['CACHE_URL']\n")
    files = {".env.example": "", "app/cache.py": f"{head}\nROOT = 'here'\n{body}"}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and reported(out) == ["CACHE_URL"]


# --- class 7: no env documentation at all ------------------------------------------------------


def test_no_env_documentation_at_all_is_one_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    files = {"lemur/factory.py": SETTINGS, "docker/entrypoint": "#!/bin/sh\necho $CRON_NOTIFY\n",
             "README.md": "# lemur\n\nCertificate manager.\n"}
    code, out, err = run(tmp_path, monkeypatch, capsys, files)
    assert (code, out) == (0, "")
    assert err.count("no environment documentation") == 1 and "--write-example" in err and "5 variable(s)" in err


def test_docs_that_name_some_variables_make_the_rest_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    files = {"babybuddy/settings/base.py": SETTINGS, "docs/configuration/security.md": "## `SECRET_KEY`\n"}
    code, out, err = run(tmp_path, monkeypatch, capsys, files, "--optional")
    assert code == 1 and reported(out) == ["GUNICORN_MEDIA", "REDIS_HOST", "SQL_DEBUG"]
    assert "no env template, and no docs page names it" in out and "no environment documentation" not in err


PYDANTIC = """\
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="polar_", env_file=".env")

    WORKER_MAX_RETRIES: int = 20
    GRAFANA_WRITE_URL: str | None = None
    TIMEOUT: int = Field(30, ge=1)
    SECRET: str
    STRIPE_KEY: str = Field(...)
"""


def test_pydantic_fields_with_a_default_document_themselves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    files = {"server/polar/config.py": PYDANTIC, "server/.env.template": "POLAR_DEBUG=0\n"}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and reported(out) == ["POLAR_DEBUG", "POLAR_SECRET", "POLAR_STRIPE_KEY"]
    assert "POLAR_DEBUG is documented but nothing in the repo reads it" in out


@pytest.mark.parametrize("path, text", [
    ("dev/cli/analytics.py", 'import os\nX = os.environ["DEV_CLI_URL"]\n'),
    ("server/scripts/seeds_load.py", 'import os\nX = os.environ["SEED_FILE"]\n'),
    ("terraform/modules/cache/refresh.py", 'import os\nX = os.environ["TF_CACHE_ID"]\n'),
    ("docker-compose.dev.yml", "services:\n  web:\n    build: .\n    ports: ['${WEB_PORT:-3000}:3000']\n"),
    ("docker-compose.override.yml", "services:\n  web:\n    build:\n      target: ${TARGET}\n"),
])
def test_developer_tooling_is_not_the_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str], path: str, text: str) -> None:
    files = {".env.example": "SECRET_KEY=\n", "app/settings.py": 'import os\nX = os.environ["SECRET_KEY"]\n', path: text}
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, "")


def test_the_production_compose_file_still_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    files = {".env.example": "", "docker-compose.yml": "services:\n  web:\n    image: app:${RELEASE_TAG}\n"}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and reported(out) == ["RELEASE_TAG"]


def test_an_entry_a_prefixed_loader_maps_to_a_config_key_is_alive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    app = ("from coaster.app import init_app\n\ndef create(app):\n    init_app(app, ['py', 'env'], env_prefix=['FLASK'])\n"
           "    return app.config['SESSION_COOKIE_DOMAIN'], app.config['MATOMO_URL']\n")
    files = {"funnel/__init__.py": app,
             "sample.env": "FLASK_SESSION_COOKIE_DOMAIN=.example.test\nAPP_MATOMO_URL=\nNEVER_USED_KNOB=1\n"
                           "FLASK_MAIL_PORT=587\n"}  # read by Flask-Mail as MAIL_PORT: never dead
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and out == "sample.env:3:1: check-env-documented: NEVER_USED_KNOB is documented but nothing " \
                                "in the repo reads it\n"


def test_a_settings_schema_naming_the_variable_documents_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    settings = 'import os\nif "NAUTOBOT_BANNER_TOP" in os.environ:\n    BANNER_TOP = os.environ["NAUTOBOT_BANNER_TOP"]\n'
    schema = 'properties:\n  BANNER_TOP:\n    type: string\n    environment_variable: "NAUTOBOT_BANNER_TOP"\n'
    files = {".env.example": "", "nautobot/core/settings.py": settings, "nautobot/core/settings.yaml": schema}
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, "")
    files = {"nautobot/core/settings.yaml": schema.replace("environment_variable", "description")}
    (tmp_path / "bare").mkdir()
    code, out, _ = run(tmp_path / "bare", monkeypatch, capsys, {**files, ".env.example": "",
                                                                   "nautobot/core/settings.py": settings}, "--optional")
    assert code == 1 and reported(out) == ["NAUTOBOT_BANNER_TOP"]


@pytest.mark.parametrize("path, text", [
    ("deploy/docker/scripts/smoke-test.sh", "#!/bin/sh\ncurl -u $PI_SMOKE_ADMIN $PI_SMOKE_URL\n"),
    ("development/nautobot_config.py", 'import os\nDEBUG = os.environ["NAUTOBOT_DEBUG_DEV"]\n'),
    ("devserver.py", 'import os\nMOCK = os.environ.get("MOCK_TRANSPORTS")\n'),
])
def test_test_scripts_and_development_config_are_not_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str], path: str, text: str) -> None:
    files = {".env.example": "SECRET_KEY=\nFLASK_DEBUG=0\n", "app/settings.py": 'import os\nX = os.environ["SECRET_KEY"]\n',
             path: text}
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, "")


def test_a_module_of_many_optional_knobs_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    knobs = "".join(f'KNOB_{n} = config("KNOB_{n}", default={n}, cast=int)\n' for n in range(25))
    settings = f'from decouple import config\nSECRET_KEY = config("SECRET_KEY")\n{knobs}'
    files = {".env-dist": "DEBUG=False\n" + DOCUMENTED_ENTRIES, "kitsune/settings.py": settings,
             "kitsune/views.py": "import os\nDEBUG = os.getenv('DEBUG')\n", **DOCUMENTED}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files, "--optional")
    lines = out.splitlines()
    assert code == 1 and len(lines) == 2
    assert lines[0].startswith("kitsune/settings.py:2:14: check-env-documented: SECRET_KEY is read here")
    assert lines[1].startswith("kitsune/settings.py:3:10: check-env-documented: 25 variables read here with a default "
                               "are documented nowhere (KNOB_0, KNOB_1, KNOB_2, KNOB_3, KNOB_4, ...); list them in .env-dist")
    few = {"kitsune/settings.py": settings.replace("range(25)", "range(3)")}
    few["kitsune/settings.py"] = 'from decouple import config\n' + "".join(
        f'KNOB_{n} = config("KNOB_{n}", default={n}, cast=int)\n' for n in range(3))
    (tmp_path / "few").mkdir()
    code, out, _ = run(tmp_path / "few", monkeypatch, capsys, {**few, ".env-dist": ""}, "--optional")
    assert reported(out) == ["KNOB_0", "KNOB_1", "KNOB_2"]


@pytest.mark.parametrize("path, text", [
    ("indico/cli/python_upgrader.py", 'import os\nX = os.environ.get("_PYTHON_UPGRADER_REEXEC")\n'),
    ("data/database.py", 'import os\nX = os.environ.get("SUPERVISOR_PROCESS_NAME")\n'),
    ("bin/build-wheel.py", 'import os\nX = os.environ.get("SOURCE_DATE_EPOCH")\n'),
    ("hack/prepopulate.py", 'import os\nX = os.environ["LOGGING_LEVEL"]\n'),
    ("local-dev/garage/init.sh", "#!/bin/sh\ndocker exec $GARAGE_CONTAINER ls\n"),
    ("bin/maintenance/dump_url_map.py", 'import os\nX = os.environ.get("INDICO_NO_GIT")\n'),
    ("playwright_tests/core/utilities.py", 'import os\nX = os.environ["TEST_ACCOUNT_PASSWORD"]\n'),
])
def test_private_tool_and_harness_variables_are_not_expected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str], path: str, text: str) -> None:
    files = {".env.example": "SECRET_KEY=\n", "app/settings.py": 'import os\nX = os.environ["SECRET_KEY"]\n', path: text}
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, "")


def test_a_none_default_is_a_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    knobs = "".join(f"KNOB_{n} = env.str('KNOB_{n}', None)\n" for n in range(22))
    files = {".env.example": DOCUMENTED_ENTRIES, "kobo/settings/base.py": f"import environ\nenv = environ.Env()\n{knobs}",
             **DOCUMENTED}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files, "--optional")
    assert code == 1 and len(out.splitlines()) == 1 and "22 variables read here with a default" in out


def test_a_newer_python_module_is_still_searched_and_reported_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    settings = ('import os\nfrom environ import Env\nenv = Env()\ntype Name = str\n'
                'A = os.environ.get("APP_TIMEOUT", "30")\nB = env("not_an_env_name")\nC = os.getenv("APP_TOKEN")\n')
    files = {".env.example": "", "app/config.py": settings}
    code, out, err = run(tmp_path, monkeypatch, capsys, files, "--optional")
    assert "Traceback" not in out + err and "internal error" not in out
    assert "APP_TIMEOUT" in out and "APP_TOKEN" in out and "not_an_env_name" not in out
    if sys.version_info < (3, 12):
        assert out.count("needs Python \u2265 3.12 to parse") == 1


def test_or_default_is_a_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    knobs = "".join(f'KNOB_{n} = int(os.environ.get("KNOB_{n}") or {n})\n' for n in range(22))
    files = {".env.example": DOCUMENTED_ENTRIES, "app/config.py": f'import os\nTOKEN = os.environ.get("APP_TOKEN")\n{knobs}',
             **DOCUMENTED}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files, "--optional")
    assert code == 1 and len(out.splitlines()) == 2 and "22 variables read here with a default" in out
    assert "APP_TOKEN is read here" in out
    code, out, err = run(tmp_path, monkeypatch, capsys, files)  # by default: what a deploy needs, and one notice
    assert code == 1 and reported(out) == ["APP_TOKEN"]
    assert "22 variable(s) read with a default, optional knobs, are not documented (KNOB_0, KNOB_1," in err


def test_or_default_in_a_module_read_by_the_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    knobs = "".join(f'KNOB_{n} = int(os.environ.get("KNOB_{n}") or {n})\n' for n in range(22))
    files = {".env.example": DOCUMENTED_ENTRIES, "app/config.py": f"import os\ntype Seconds = int\n{knobs}", **DOCUMENTED}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files, "--optional")
    if sys.version_info < (3, 12):
        assert "22 variables read here with a default" in out and len(out.splitlines()) == 2
