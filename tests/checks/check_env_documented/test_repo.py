"""check-env-documented through ``main()`` in-process, on small git repos
shaped like real services (Django settings, Flask factory, compose, Dockerfile)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git, write_files
from tests.helpers.env_documented import run_in_repo as run

SETTINGS = """\
import os

import environ

env = environ.Env(DJANGO_DEBUG=(bool, False))
SECRET_KEY = env("DJANGO_SECRET_KEY")
DATABASES = {"default": env.db_url("DATABASE_URL", default="postgres://app:hunter2@localhost/app")}
STRIPE_WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
"""
VIEWS = """\
import os

def webhook(request):
    secret = os.environ["STRIPE_WEBHOOK_SECRET"]
    return secret
"""
EXAMPLE = """\
# Billing service
DJANGO_DEBUG=False
DJANGO_SECRET_KEY=
DATABASE_URL=postgres://localhost/app
TIME_ZONE=UTC
LEGACY_CACHE_HOST=memcached
"""


def make_repo(root: Path, files: dict[str, str]) -> Path:
    git(root, "init", "-q", "-b", "main")
    write_files(root, files)
    git(root, "add", "-A")
    return root




@pytest.fixture
def billing(tmp_path: Path) -> Path:
    return make_repo(tmp_path, {"billing/settings.py": SETTINGS, "billing/views.py": VIEWS, ".env.example": EXAMPLE})


def test_undocumented_read_and_dead_entry(billing: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(billing, monkeypatch, capsys)
    assert code == 1
    assert out.splitlines() == [
        ".env.example:6:1: check-env-documented: LEGACY_CACHE_HOST is documented but nothing in the repo reads it",
        "billing/settings.py:8:25: check-env-documented: STRIPE_WEBHOOK_SECRET is read here but not documented "
        "in .env.example (1 other read)",
    ]


def test_documenting_and_removing_passes(billing: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    text = EXAMPLE.replace("LEGACY_CACHE_HOST=memcached\n", "STRIPE_WEBHOOK_SECRET=\n")
    (billing / ".env.example").write_text(text)
    git(billing, "add", "-A")
    code, out, _ = run(billing, monkeypatch, capsys)
    assert (code, out) == (0, "")


def test_tests_are_excluded_unless_included(billing: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    write_files(billing, {"billing/tests/test_views.py": 'import os\nos.environ["TEST_ONLY_FLAG"]\n'})
    git(billing, "add", "-A")
    assert "TEST_ONLY_FLAG" not in run(billing, monkeypatch, capsys)[1]
    assert "TEST_ONLY_FLAG" in run(billing, monkeypatch, capsys, "--include", "**/tests/**")[1]


def test_exclude_and_platform_options(billing: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    write_files(billing, {"billing/report.py": 'import os\nTOKEN = os.environ["REPORT_TOKEN"]\nJOB = os.getenv("MYCI_JOB_ID")\n'})
    git(billing, "add", "-A")
    out = run(billing, monkeypatch, capsys)[1]
    assert "REPORT_TOKEN" in out and "MYCI_JOB_ID" in out
    out = run(billing, monkeypatch, capsys, "--exclude", "billing/report.py")[1]
    assert "REPORT_TOKEN" not in out and "MYCI_JOB_ID" not in out
    out = run(billing, monkeypatch, capsys, "--platform", "MYCI_*")[1]
    assert "REPORT_TOKEN" in out and "MYCI_JOB_ID" not in out


def test_markdown_docs_option_and_settings_file(billing: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    write_files(billing, {
        "docs/configuration.md": "| variable | meaning |\n|---|---|\n| `STRIPE_WEBHOOK_SECRET` | signs webhooks |\n",
        "pyproject.toml": '[tool.legacy-config-hooks.check-env-documented]\n'
                          'docs = [".env.example", "docs/configuration.md"]\n',
    })
    git(billing, "add", "-A")
    code, out, _ = run(billing, monkeypatch, capsys)
    assert "STRIPE_WEBHOOK_SECRET" not in out and "LEGACY_CACHE_HOST is documented" in out


def test_documentation_with_a_bom_and_crlf(billing: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    text = EXAMPLE.replace("LEGACY_CACHE_HOST=memcached\n", "STRIPE_WEBHOOK_SECRET=\n")
    text = "DJANGO_DEBUG=False\n" + text.replace("DJANGO_DEBUG=False\n", "")
    (billing / ".env.example").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    git(billing, "add", "-A")
    assert run(billing, monkeypatch, capsys)[:2] == (0, "")


def test_missing_docs_source_is_a_usage_error(billing: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(billing, monkeypatch, capsys, "--docs", "docs/nope.md")
    assert code == 2 and "docs/nope.md" in err and "Traceback" not in err


def test_outside_git_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, _, err = run(tmp_path, monkeypatch, capsys)
    assert code == 2 and "git" in err


def test_strict_reports_unresolvable_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, {
        "flags.py": 'import os\n\ndef flag(name):\n    return os.environ.get(f"FEATURE_{name}") == "1"\n\n'
                    'ENABLED = [n for n in NAMES if flag(n)]\n',
        ".env.example": "FEATURE_BETA=0\n",
    })
    assert run(root, monkeypatch, capsys) [:2] == (0, "")  # the f-string keeps FEATURE_BETA alive
    code, out, _ = run(root, monkeypatch, capsys, "--strict")
    assert code == 1 and "flags.py:6:32: check-env-documented: cannot tell which variable this reads: flag(n)" in out


def test_suppression_marker_on_the_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, {
        "app.py": 'import os\nX = os.environ["INTERNAL"]  # legacy-config: ignore[check-env-documented]\n',
        ".env.example": "",
    })
    assert run(root, monkeypatch, capsys)[:2] == (0, "")


def test_suppression_marker_above_a_documented_entry(billing: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    text = EXAMPLE.replace("LEGACY_CACHE_HOST=", "# read by the ops cron job\n# legacy-config: ignore[check-env-documented]\n"
                           "LEGACY_CACHE_HOST=")
    (billing / ".env.example").write_text(text)
    git(billing, "add", "-A")
    code, out, _ = run(billing, monkeypatch, capsys)
    assert "LEGACY_CACHE_HOST" not in out and "STRIPE_WEBHOOK_SECRET" in out


def test_compose_dockerfile_and_entrypoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n      - SENTRY_DSN\n"
                              "    image: app:${RELEASE_TAG:-dev}\n",
        "Dockerfile": "FROM python:3.12\nENV PYTHONUNBUFFERED=1 GUNICORN_WORKERS=4\n",
        "docker-entrypoint.sh": '#!/bin/sh\nexec gunicorn -b "0.0.0.0:${APP_PORT}" app:wsgi\n',
        "supervisord.conf": "[program:worker]\ncommand=rq worker %(ENV_QUEUES)s\n",
        ".env.example": "SENTRY_DSN=\n",
    })
    code, out, err = run(root, monkeypatch, capsys)
    names = sorted(line.split(": check-env-documented: ")[1].split()[0] for line in out.splitlines())
    assert names == ["APP_PORT", "QUEUES"]  # the Dockerfile's ENV documents GUNICORN_WORKERS
    # ${RELEASE_TAG:-dev} has a default: an optional knob, named in one notice, reported with --optional
    assert "1 variable(s) read with a default, optional knobs, are not documented (RELEASE_TAG)" in err
    assert "RELEASE_TAG" in run(root, monkeypatch, capsys, "--optional")[1]


def test_env_file_names_keep_entries_alive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, {
        "deploy/docker-compose.yml": "services:\n  worker:\n    image: vendor/worker:2\n    env_file: ./worker.env\n",
        "deploy/worker.env": "WORKER_QUEUES=default\n",
        ".env.example": "WORKER_QUEUES=default\nNOBODY_READS=1\n",
    })
    code, out, _ = run(root, monkeypatch, capsys)
    assert out == ".env.example:2:1: check-env-documented: NOBODY_READS is documented but nothing in the repo reads it\n"


def test_write_example_on_a_repo_without_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, {"billing/settings.py": SETTINGS})
    code, out, err = run(root, monkeypatch, capsys)  # no env documentation at all: one notice (issue 21)
    assert (code, out) == (0, "") and err.count("\n") == 1
    assert "no environment documentation" in err and "--write-example" in err
    code, out, _ = run(root, monkeypatch, capsys, "--write-example")
    text = (root / ".env.example").read_text()
    assert code == 1 and "wrote .env.example" in out
    assert "REVIEW before committing" in text
    assert "DJANGO_DEBUG=False\n" in text and "TIME_ZONE=UTC\n" in text
    assert "DJANGO_SECRET_KEY=\n" in text and "STRIPE_WEBHOOK_SECRET=\n" in text
    assert "hunter2" not in text and "DATABASE_URL=postgres://app:CHANGE_ME@localhost/app\n" in text
    git(root, "add", "-A")
    assert run(root, monkeypatch, capsys)[:2] == (0, "")
    code, out, _ = run(root, monkeypatch, capsys, "--write-example")  # idempotent
    assert code == 0 and "nothing to add" in out and (root / ".env.example").read_text() == text


def test_write_example_appends_only_the_missing(billing: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(billing, monkeypatch, capsys, "--write-example")
    text = (billing / ".env.example").read_text()
    assert text.startswith(EXAMPLE) and text.count("STRIPE_WEBHOOK_SECRET=") == 1 and text.count("DJANGO_DEBUG") == 1
    assert "STRIPE_WEBHOOK_SECRET" not in out.split("\n", 1)[1]  # now documented: not reported


def test_write_example_is_not_taken_from_settings(billing: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    write_files(billing, {"pyproject.toml": "[tool.legacy-config-hooks.check-env-documented]\nwrite-example = true\n"})
    code, _, err = run(billing, monkeypatch, capsys)
    assert code == 2 and (billing / ".env.example").read_text() == EXAMPLE


def test_nothing_to_check_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, {"README.md": "# hello\n"})
    code, out, err = run(root, monkeypatch, capsys)
    assert code == 0 and "nothing to check" in err


def _utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.encode("utf-16-le")  # how Windows editors save "Unicode" Python files


@pytest.mark.parametrize("module, alive", [
    # a UTF-16 module that names the entry (a key list, a wrapper's table): not dead
    ('CACHE_SETTINGS = ("LEGACY_CACHE_HOST", "LEGACY_CACHE_PORT")\n', True),
    # a UTF-16 module that reads it
    ('import os\n\nCACHE = os.environ["LEGACY_CACHE_HOST"]\n', True),
    # a UTF-16 module that names something else, or the name inside a longer word: still dead
    ('CACHE_SETTINGS = ("LEGACY_CACHE_PORT",)\n', False),
    ('OLD = "LEGACY_CACHE_HOSTNAME"\n', False),
])
def test_a_utf16_python_file_keeps_a_template_entry_alive(
        billing: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        module: str, alive: bool) -> None:
    (billing / "billing" / "cache.py").write_bytes(_utf16(module))
    git(billing, "add", "-A")
    out = run(billing, monkeypatch, capsys)[1]
    assert ("LEGACY_CACHE_HOST is documented but nothing in the repo reads it" not in out) is alive, out
    assert "STRIPE_WEBHOOK_SECRET is read here" in out  # the rest of the run is unchanged
