"""check-release-checklist: the classes of held-out round 13, each as a catch and a leave-alone pair on files
shaped like the real ones: a Makefile whose compose command carries a variable no file sets
(``docker compose ${compose_args} run``, make expands it to nothing), a shell with options before ``-c``
(``bash -o pipefail -c '…'``), and an image build job whose pushed image the test jobs pull (``needs:``)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.check_release_checklist.reach import _shell_c
from tests.conftest import HookResult
from tests.helpers.release import fresh_repo_runner, row, rules


@pytest.fixture
def check(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    return fresh_repo_runner(run_hook, tmp_path)


PYTEST_MODULE = "def test_ok():\n    assert True\n"

# ---- 1. a Make variable no file sets, among the compose command's options -------------------------------------

MAKEFILE = """\
env ?= test
localenv =

# command to run in test environment
COMPOSE_TEST_CMD=COMPOSE_FILE=docker/compose.yaml:docker/compose.test.yaml \\
\tdocker compose ${compose_args} \\
\t--env-file=docker/defaults.env \\
\t--env-file=docker/${env}.env \\
\t${localenv}

TOOLS_CMD=COMPOSE_FILE=docker/compose.tools.yaml docker compose ${compose_args}

test: ## run unit tests
\t${COMPOSE_TEST_CMD} run --rm app python3 \\
\t-m coverage run \\
\t-m pytest -ra \\
\tsrc tests

lint: ## run linter
\t${TOOLS_CMD} run --rm tools bin/lint.sh src
"""
LINT_SH = "#!/bin/sh\nset -e\nflake8 \"$@\"\nblack --check \"$@\"\n"


def workflow(lint_step: str) -> str:
    return f"""\
on:
  pull_request:
  push:
    branches: [main]

jobs:
  lintcheck:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Run lint
        run: {lint_step}
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Run test
        run: make test
"""


def compose_repo(makefile: str, lint_step: str) -> dict[str, str]:
    return {".github/workflows/docker.yml": workflow(lint_step), "Makefile": makefile, "bin/lint.sh": LINT_SH,
            "src/app/__init__.py": "", "tests/test_app.py": PYTEST_MODULE}


def test_compose_command_with_an_unset_variable_is_followed_into_the_container(check: Callable[..., HookResult]) -> None:
    result = check(compose_repo(MAKEFILE, "make lint"), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "unit tests").startswith("met"), result.out
    assert row(result, "lint").startswith("met"), result.out


def test_compose_command_running_no_tests_still_leaves_the_finding(check: Callable[..., HookResult]) -> None:
    makefile = MAKEFILE.replace("\t-m coverage run \\\n\t-m pytest -ra \\\n\tsrc tests", "\t-m app.serve")
    result = check(compose_repo(makefile, "make lint"))
    assert rules(result) == ["ci-no-unit-tests"], result.out


# ---- 2. shell options before -c -----------------------------------------------------------------------------

def test_bash_with_options_before_c_is_followed(check: Callable[..., HookResult]) -> None:
    result = check(compose_repo(MAKEFILE, "/bin/bash -o pipefail -c 'make --silent lint | tee -a $GITHUB_STEP_SUMMARY'"),
                   "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met"), result.out


def test_bash_running_a_file_with_options_is_not_read_as_c(check: Callable[..., HookResult]) -> None:
    result = check(compose_repo(MAKEFILE, "/bin/bash -o pipefail ci/report.sh 'make --silent lint'"))
    assert rules(result) == ["ci-no-lint"], result.out


@pytest.mark.parametrize(("words", "expected"), [
    (("bash", "-o", "pipefail", "-c", "make lint"), "make lint"),
    (("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "pytest"), "pytest"),
    (("sh", "-ex", "-c", "tox"), "tox"),
    (("bash", "-ec", "ruff check ."), "ruff check ."),
    (("bash", "-l", "-c", "pytest"), "pytest"),
    (("bash", "-c", "pytest"), "pytest"),
    (("bash", "-o", "pipefail", "script.sh"), None),
    (("bash", "-e", "run.sh", "-c"), None),
    (("sh",), None),
])
def test_shell_c_skips_the_shells_own_options(words: tuple[str, ...], expected: str | None) -> None:
    assert _shell_c(words) == expected


# ---- 3. the image build job whose image the test jobs pull ---------------------------------------------------

def build_workflow(test_needs: str) -> str:
    return f"""\
on:
  pull_request:
  push:
    branches: [main]
  release:
    types: [published]

jobs:
  build-docker:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/build-push-action@v5
        with:
          context: .
          push: true
          tags: ghcr.io/example/app:main
  test:
{test_needs}    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: docker compose pull app
      - run: docker compose run --rm app python -m pytest tests
"""


def image_repo(test_needs: str) -> dict[str, str]:
    return {".github/workflows/docker.yml": build_workflow(test_needs), "ruff.toml": "", "src/app/__init__.py": "",
            "tests/test_app.py": PYTEST_MODULE, ".pre-commit-config.yaml": ""}


def test_an_image_pushed_for_the_test_jobs_to_pull_is_left_alone(check: Callable[..., HookResult]) -> None:
    result = check(image_repo("    needs: [build-docker]\n"))
    assert "publish-without-tests" not in rules(result), result.out


def test_an_image_pushed_beside_tests_that_do_not_wait_for_it_is_reported(check: Callable[..., HookResult]) -> None:
    result = check(image_repo(""))
    assert "publish-without-tests" in rules(result), result.out


# ---- 4. marketplace lint actions --------------------------------------------------------------------------------

def lint_workflow(on: str, lint_with: str, isort_configuration: str = "--check-only --diff") -> str:
    return f"""\
name: Lint files
on: {on}
jobs:
  build:
    name: Lint
    runs-on: ubuntu-latest
    steps:
    - uses: actions/checkout@v4
    - uses: actions/setup-python@v5
    - run: pip install black flake8 isort
    - name: Run linters
      uses: wearerequired/lint-action@v2
      with:
        github_token: ${{{{ secrets.github_token }}}}
{lint_with}
    - name: Run isort
      uses: jamescurtin/isort-action@master
      with:
          configuration: "{isort_configuration}"
"""


TESTS_WORKFLOW = """\
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
    - uses: actions/checkout@v4
    - run: pip install -e . pytest
    - run: pytest tests
"""


def lint_repo(workflows: dict[str, str]) -> dict[str, str]:
    files = {f".github/workflows/{name}": text for name, text in workflows.items()}
    return {**files, ".github/workflows/tests.yml": TESTS_WORKFLOW, "setup.cfg": "[flake8]\nmax-line-length = 100\n",
            "src/app/__init__.py": "", "tests/test_app.py": PYTEST_MODULE}


@pytest.mark.parametrize("lint_with", [
    "        auto_fix: false\n        black: true\n        black_args: \"--check -l 100\"\n        flake8: true\n",
    "        auto_fix: true\n        flake8: true\n",
    "        pylint: true\n",
])
def test_lint_action_with_a_python_linter_on_is_lint(check: Callable[..., HookResult], lint_with: str) -> None:
    result = check(lint_repo({"linting_only.yml": lint_workflow('["push", "pull_request"]', lint_with,
                                                                 "--profile black")}), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met"), result.out


def test_isort_action_with_its_default_check_is_lint(check: Callable[..., HookResult]) -> None:
    result = check(lint_repo({"linting_only.yml": lint_workflow('["push", "pull_request"]', "        eslint: true\n")}),
                   "--checklist")
    assert rules(result) == [], result.out


def test_lint_action_that_only_formats_or_runs_other_languages_is_not_lint(check: Callable[..., HookResult]) -> None:
    with_ = "        auto_fix: true\n        black: true\n        eslint: true\n"
    result = check(lint_repo({"linting_only.yml": lint_workflow('["push", "pull_request"]', with_, "--profile black")}))
    assert rules(result) == ["ci-no-lint"], result.out


def test_finding_sits_on_the_pull_request_workflow_not_the_push_only_auto_fix_one(
        check: Callable[..., HookResult]) -> None:
    with_ = "        auto_fix: true\n        black: true\n"
    result = check(lint_repo({"linting_and_fixing.yml": lint_workflow('["push"]', with_, "--profile black"),
                              "linting_only.yml": lint_workflow('["push", "pull_request"]', "        eslint: true\n",
                                                                "--profile black")}))
    assert rules(result) == ["ci-no-lint"], result.out
    assert ".github/workflows/linting_only.yml:" in result.out, result.out


# ---- 5. docker run IMAGE /in/image/script.sh --------------------------------------------------------------------

TRAVIS = """\
language: python
python: 3.7
services:
  - docker
before_install:
  - docker build -t example/app .
install:
- docker run example/app /app/docker/run-tests.sh
script:
- echo done
"""
DOCKERFILE = "FROM python:3.7\nADD . /app\nWORKDIR /app\nRUN pip install -e .\n"
RUN_TESTS = "#!/bin/bash\nset -e\ncd /app/server\n./manage.py test app.tests\n"


def docker_run_repo(script_path: str) -> dict[str, str]:
    return {".travis.yml": TRAVIS, "Dockerfile": DOCKERFILE, script_path: RUN_TESTS, "server/manage.py": "",
            "server/app/__init__.py": "", "server/app/tests.py": PYTEST_MODULE}


def test_docker_run_of_a_script_in_the_image_follows_the_tracked_script(check: Callable[..., HookResult]) -> None:
    result = check(docker_run_repo("docker/run-tests.sh"), "--checklist")
    assert "ci-no-unit-tests" not in rules(result), result.out
    assert row(result, "unit tests").startswith("met"), result.out


def test_docker_run_of_a_script_the_repo_does_not_hold_is_not_a_test_run(check: Callable[..., HookResult]) -> None:
    result = check(docker_run_repo("scripts/serve.sh"))
    assert "ci-no-unit-tests" in rules(result), result.out


# ---- found on the way: `flake8 --version`; a summary step that fails the job on the linters' outcomes -----------

def summary_workflow(summary_run: str) -> str:
    return f"""\
on:
  pull_request:
jobs:
  python-linting:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Show linter versions
        continue-on-error: true
        run: docker compose run --rm --no-deps app sh -lc "flake8 --version ; black --version" || true
      - name: "Lint: flake8"
        id: flake8
        continue-on-error: true
        run: docker compose run --rm --no-deps app sh -lc "flake8 . --count"
      - name: Lint summary and fail if needed
        if: ${{{{ always() }}}}
        run: |
          echo "Flake8: ${{{{ steps.flake8.outcome }}}}"
{summary_run}
  python-test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: docker compose run --rm app python manage.py test
"""


def summary_repo(summary_run: str) -> dict[str, str]:
    return {".github/workflows/test.yaml": summary_workflow(summary_run), "docker-compose.yml": "services:\n  app: {}\n",
            "manage.py": "", "app/__init__.py": "", "app/tests.py": PYTEST_MODULE}


def test_a_summary_step_failing_on_the_lint_outcome_makes_the_lint_required(check: Callable[..., HookResult]) -> None:
    run = ('          if [ "${{ steps.flake8.outcome }}" = "failure" ]; then\n'
           '            exit 1\n          fi\n')
    result = check(summary_repo(run), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met"), result.out


def test_a_summary_step_that_only_prints_the_outcome_leaves_the_lint_allowed_to_fail(
        check: Callable[..., HookResult]) -> None:
    result = check(summary_repo("          echo done\n"))
    assert rules(result) == ["ci-tests-allowed-to-fail"], result.out
    assert "test.yaml:13:" in result.out and "test.yaml:10:" not in result.out, result.out  # flake8, not the versions


@pytest.mark.parametrize(("words", "kinds"), [
    (("flake8", "--version"), set()),
    (("pytest", "--help"), set()),
    (("black", "--version"), set()),
    (("flake8", "."), {"lint"}),
    (("pytest", "-v"), {"unit"}),
])
def test_a_version_or_help_call_runs_nothing(words: tuple[str, ...], kinds: set[str]) -> None:
    from hooks.checks.check_release_checklist.kinds import classify
    assert classify(words) == kinds
