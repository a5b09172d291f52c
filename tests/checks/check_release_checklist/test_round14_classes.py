"""check-release-checklist: the classes of held-out round 14, each as a catch and a leave-alone pair on files
shaped like the real ones: ``docker-compose run web test`` whose image's ENTRYPOINT is a script dispatching
on its first argument (``case $1 in … test) pytest ;;``), lint run by pytest plugins from ``addopts``
(``--flake8 --black``), ``docker run --link db ${IMAGE} /bin/bash -c '… manage.py test'``, and an external
reusable workflow that is a security scan."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.check_release_checklist.reach import case_branch
from tests.conftest import HookResult
from tests.helpers.release import fresh_repo_runner, row, rules


@pytest.fixture
def check(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    return fresh_repo_runner(run_hook, tmp_path)


PYTEST_MODULE = "def test_ok():\n    assert True\n"

# ---- 1. docker compose run SERVICE ARG, the image's ENTRYPOINT a dispatcher script -----------------------------

CIRCLECI = """\
version: 2
jobs:
  test:
    machine: true
    steps:
      - checkout
      - run: pip install docker-compose
      - run: ./bin/test
workflows:
  version: 2
  main:
    jobs:
      - test
"""

BIN_TEST = """\
#!/usr/bin/env bash
set -eo pipefail
export DJANGO_CONFIGURATION=Test
[ ! -z ${CI+check} ] && export CI_ENV=`bash <(curl -s https://codecov.io/env)`
docker-compose run -e DJANGO_CONFIGURATION $CI_ENV app {arg}
"""

COMPOSE = """\
version: '2'
x-app: &app
  build:
    context: .
    dockerfile: docker/Dockerfile.dev
  env_file:
    - .env
  command: serve
services:
  db:
    image: postgres:12
  app:
    <<: *app
    ports:
      - "8000:8000"
  worker:
    <<: *app
    command: worker
"""

DOCKERFILE = """\
FROM node:16 AS assets
RUN npm ci

FROM python:3.9-slim AS base
WORKDIR /srv
COPY requirements.txt /tmp/
RUN pip install -r /tmp/requirements.txt \\
    && rm /tmp/requirements.txt
# bash as the entrypoint: volume mounts on some hosts lose the execute bit
ENTRYPOINT ["/bin/bash", "/srv/ops/dispatch"]

FROM base
COPY --from=assets /node_modules /srv/node_modules
CMD ["serve"]
"""

DISPATCH = """\
#!/usr/bin/env bash
set -eo pipefail
: "${PORT:=8000}"
usage() {
  echo "usage: ops/dispatch serve|worker|test"
  exit 1
}
[ $# -lt 1 ] && usage
case $1 in
  serve)
    python manage.py migrate --noinput
    exec gunicorn service.wsgi -b 0.0.0.0:${PORT}
    ;;
  worker)
    exec celery -A service worker
    ;;
  "test"|tests)
    pytest
    ;;
  *)
    exec "$@"
    ;;
esac
"""


def dispatch_repo(arg: str, dockerfile: str = DOCKERFILE) -> dict[str, str]:
    return {".circleci/config.yml": CIRCLECI, "bin/test": BIN_TEST.replace("{arg}", arg), "docker-compose.yml": COMPOSE,
            "docker/Dockerfile.dev": dockerfile, "ops/dispatch": DISPATCH, "setup.cfg": "[flake8]\nmax-line-length = 100\n",
            "service/__init__.py": "", "tests/test_service.py": PYTEST_MODULE}


def test_compose_run_argument_is_given_to_the_images_entrypoint_script(check: Callable[..., HookResult]) -> None:
    result = check(dispatch_repo("test"), "--checklist")
    assert rules(result) == ["ci-no-lint"], result.out
    assert row(result, "unit tests").startswith("met"), result.out


def test_compose_run_argument_picks_its_own_case_branch(check: Callable[..., HookResult]) -> None:
    # `app serve` runs the server branch: the pytest of the `test)` branch is not run
    result = check(dispatch_repo("serve"))
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out


def test_compose_run_without_an_entrypoint_reads_the_argument_as_the_command(check: Callable[..., HookResult]) -> None:
    # no ENTRYPOINT: `app test` runs a program called test, nothing the hook knows (the `tests` word rule aside)
    dockerfile = DOCKERFILE.replace('ENTRYPOINT ["/bin/bash", "/srv/ops/dispatch"]\n', "")
    result = check(dispatch_repo("serve", dockerfile))
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out


def test_compose_run_entrypoint_override_is_not_the_images(check: Callable[..., HookResult]) -> None:
    files = dispatch_repo("test")
    files["bin/test"] = files["bin/test"].replace("run -e", "run --entrypoint /bin/sh -e")
    result = check(files)
    assert "ci-no-unit-tests" in rules(result), result.out


@pytest.mark.parametrize(("argument", "kept", "dropped"), [
    ("test", "pytest", "gunicorn"),
    ("tests", "pytest", "celery"),
    ("serve", "gunicorn", "pytest"),
    ("manage.py", 'exec "$@"', "pytest"),
])
def test_case_branch_keeps_the_branch_of_the_argument(argument: str, kept: str, dropped: str) -> None:
    text = case_branch(DISPATCH, argument)
    assert kept in text
    assert dropped not in text
    assert "usage()" in text  # outside the case: kept
    assert len(text.split("\n")) == len(DISPATCH.split("\n"))  # line numbers stay


def test_case_branch_on_another_variable_is_left_whole() -> None:
    text = DISPATCH.replace("case $1 in", "case $MODE in")
    assert case_branch(text, "serve") == text


# ---- 2. lint through pytest plugins in addopts ------------------------------------------------------------------

def pytest_repo(**configs: str) -> dict[str, str]:
    workflow = """\
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements-dev.txt
      - run: python -m pytest
"""
    files = {".github/workflows/ci.yml": workflow, "requirements-dev.txt": "pytest\npytest-flake8\npytest-black\n",
             "service/__init__.py": "", "tests/test_service.py": PYTEST_MODULE}
    files.update({name.replace("_", ".", 1): text for name, text in configs.items()})
    return files


PYTEST_INI = ("[pytest]\nnorecursedirs = .git static\naddopts = -rsxX --showlocals --flake8 --nomigrations\n"
              "  --cov-report term --black -p no:cacheprovider\n")


def test_pytest_plugins_in_addopts_lint(check: Callable[..., HookResult]) -> None:
    result = check(pytest_repo(pytest_ini=PYTEST_INI, setup_cfg="[flake8]\nmax-line-length = 100\n"), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met"), result.out


def test_pytest_plugins_in_pyproject_addopts_lint(check: Callable[..., HookResult]) -> None:
    pyproject = '[tool.pytest.ini_options]\naddopts = ["-ra", "--mypy"]\n'
    result = check(pytest_repo(pyproject_toml=pyproject))
    assert rules(result) == [], result.out


def test_pytest_without_lint_plugins_does_not_lint(check: Callable[..., HookResult]) -> None:
    # pytest.ini is the file pytest reads: setup.cfg's [tool:pytest] --flake8 is not used
    result = check(pytest_repo(pytest_ini="[pytest]\naddopts = -rsxX --showlocals\n",
                               setup_cfg="[tool:pytest]\naddopts = --flake8\n[flake8]\nmax-line-length = 100\n"))
    assert rules(result) == ["ci-no-lint"], result.out


# ---- 3. docker run [options] IMAGE /bin/bash -c '… manage.py test …' ---------------------------------------------

def docker_run_repo(command: str, extra_workflow: str = "") -> dict[str, str]:
    workflow = f"""\
on:
  push:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Test docker image
        env:
          IMAGE: ghcr.io/example/service:${{{{ github.sha }}}}
        run: |
          docker pull ${{IMAGE}}
          docker run --name postgres --detach -e POSTGRES_PASSWORD=postgres postgres:16
          docker run --name app \\
            -e DJANGO_SETTINGS_MODULE=service.settings.ci \\
            --link postgres \\
            ${{IMAGE}} \\
            /bin/bash -c '{command}'
"""
    files = {".github/workflows/build-test-push.yml": workflow, "manage.py": "import sys\n",
             "setup.cfg": "[flake8]\nmax-line-length = 120\n", "service/__init__.py": "",
             "service/tests/test_views.py": "from django.test import TestCase\n"}
    if extra_workflow:
        files[".github/workflows/extra.yml"] = extra_workflow
    return files


TEST_COMMAND = "/app/venv/bin/pip install -r requirements/ci.txt && cd /app && /app/venv/bin/python manage.py test --verbosity=2"


def test_docker_run_image_variable_then_bash_c_is_followed(check: Callable[..., HookResult]) -> None:
    result = check(docker_run_repo(TEST_COMMAND), "--checklist")
    assert row(result, "unit tests").startswith("met"), result.out
    assert rules(result) == ["ci-no-lint"], result.out


def test_docker_run_bash_c_without_tests_is_still_reported(check: Callable[..., HookResult]) -> None:
    result = check(docker_run_repo("cd /app && /app/venv/bin/python manage.py check"))
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out


def scheduled_call(uses: str) -> str:
    return f"""\
on:
  workflow_dispatch:
  schedule:
    - cron: "14 6 * * 1"
jobs:
  scan:
    uses: {uses}
    with:
      image_ref: ghcr.io/example/service:latest
    secrets: inherit
"""


def test_external_security_scan_workflow_does_not_hide_a_missing_linter(check: Callable[..., HookResult]) -> None:
    extra = scheduled_call("example-org/shared-actions/.github/workflows/security_snyk_scan_ecr.yml@v2")
    result = check(docker_run_repo(TEST_COMMAND, extra))
    assert rules(result) == ["ci-no-lint"], result.out


def test_external_workflow_that_may_lint_still_keeps_the_rule_quiet(check: Callable[..., HookResult]) -> None:
    extra = scheduled_call("example-org/shared-actions/.github/workflows/python-checks.yml@v2")
    result = check(docker_run_repo(TEST_COMMAND, extra))
    assert rules(result) == [], result.out
    assert "python-checks.yml@v2); not reported" in result.err


@pytest.mark.parametrize(("unread", "scan"), [
    (".github/workflows/s.yml: org/actions/.github/workflows/security_snyk_scan_ecr.yml@v2", True),
    (".github/workflows/c.yml: org/actions/.github/workflows/codeql-analysis.yml@main", True),
    (".gitlab-ci.yml: include Security/SAST.gitlab-ci.yml", True),
    (".github/workflows/t.yml: org/actions/.github/workflows/trivy.yml@v1", True),
    (".github/workflows/b.yml: org/actions/.github/workflows/build-test-push.yml@v1", False),
    (".github/workflows/d.yml: org/actions/.github/workflows/deploy.yml@v1", False),
    (".github/workflows/p.yml: org/actions/.github/workflows/python-ci.yml@v1", False),
    (".gitlab-ci.yml: include templates/pastebin.yml", False),
])
def test_security_scan_names(unread: str, scan: bool) -> None:
    from hooks.checks.check_release_checklist.judge import security_scan

    assert security_scan(unread) is scan


@pytest.mark.parametrize(("dockerfile", "target", "expected"), [
    (DOCKERFILE, None, ("/bin/bash", "/srv/ops/dispatch")),  # inherited: FROM base
    (DOCKERFILE, "assets", None),
    (DOCKERFILE.replace('ENTRYPOINT ["/bin/bash", "/srv/ops/dispatch"]', "ENTRYPOINT /srv/ops/dispatch"), None, None),
    ("FROM python:3.12\nENTRYPOINT [\"python\", \"-m\", \\\n  \"pytest\"]\n", None, ("python", "-m", "pytest")),
    ("FROM python:3.12\nCMD [\"pytest\"]\n", None, None),
])
def test_dockerfile_entrypoint(dockerfile: str, target: str | None, expected: tuple[str, ...] | None) -> None:
    from hooks.checks.check_release_checklist.images import entrypoint
    from hooks.checks.check_release_checklist.reach import Repo

    repo = Repo(["Dockerfile"], lambda path: dockerfile, lambda path: None)
    assert entrypoint(repo, "Dockerfile", target) == expected
