"""check-release-checklist: how repo-wide findings are reported, after held-out round 10, each as a catch and a
leave-alone pair on CI files shaped like the real ones: a "no CI job runs X" finding sits on the workflow a
maintainer would edit (the pull-request workflow that runs the other checks, at its ``jobs:`` key), never on a
``workflow_run`` publish or a security scan that sorts first; a repo with no tests written is told to write a
first one; and a job on a retired GitHub runner image (``ubuntu-20.04``) is not counted as running its checks."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import HookResult
from tests.helpers.release import fresh_repo_runner, row, rules

HOOK = "check-release-checklist"


@pytest.fixture
def check(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    return fresh_repo_runner(run_hook, tmp_path)


def placed(result: HookResult, rule: str) -> str:
    """``path:line`` of the one finding of ``rule``."""
    found = [line.split(":1: ")[0] for line in result.lines if f"{HOOK}: {rule}:" in line]
    assert len(found) == 1, result.out
    return found[0]


TEST = "def test_ok():\n    assert True\n"

# A publish that runs after the test workflow; it sorts before it.
BUILD_AND_DEPLOY = """\
name: Build & Deploy
on:
  workflow_run:
    workflows: [Lint & Test]
    branches: [main]
    types: [completed]
  workflow_dispatch:

jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: python -m build
      - uses: pypa/gh-action-pypi-publish@release/v1
"""

LINT_AND_TEST = """\
name: Lint & Test
on:
  pull_request:
    branches: [develop, main]
  push:
    branches: [develop, main]

jobs:
  lint:
    name: Lint
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install tox
      - run: tox -e flake8
  test:
    name: Test
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install tox
      - run: tox -e py
"""

TOX = """\
[tox]
envlist = py, flake8

[testenv]
commands =
    myapp --dry-run

[testenv:flake8]
deps = flake8
commands = flake8 src
"""


def test_no_unit_tests_sits_on_the_workflow_with_the_lint_job_not_a_workflow_run_publish(
        check: Callable[..., HookResult]) -> None:
    result = check({".github/workflows/build-and-deploy.yml": BUILD_AND_DEPLOY,
                    ".github/workflows/lint-and-test.yml": LINT_AND_TEST, "tox.ini": TOX,
                    "src/myapp/__init__.py": "", "tests/test_app.py": TEST})
    assert "ci-no-unit-tests" in rules(result), result.out
    assert placed(result, "ci-no-unit-tests") == ".github/workflows/lint-and-test.yml:8", result.out


def test_no_lint_sits_on_the_workflow_with_the_test_job(check: Callable[..., HookResult]) -> None:
    tox = TOX.replace("myapp --dry-run", "pytest tests").replace("flake8 src", "python -m compileall src")
    result = check({".github/workflows/build-and-deploy.yml": BUILD_AND_DEPLOY,
                    ".github/workflows/lint-and-test.yml": LINT_AND_TEST, "tox.ini": tox,
                    "src/myapp/__init__.py": "", "tests/test_app.py": TEST})
    assert rules(result) == ["ci-no-lint"], result.out
    assert placed(result, "ci-no-lint") == ".github/workflows/lint-and-test.yml:8", result.out


def test_lint_and_tests_run_on_pull_requests_nothing_to_place(check: Callable[..., HookResult]) -> None:
    # leave alone: the same repo with a real test run reports nothing
    tox = TOX.replace("myapp --dry-run", "pytest tests")
    result = check({".github/workflows/build-and-deploy.yml": BUILD_AND_DEPLOY,
                    ".github/workflows/lint-and-test.yml": LINT_AND_TEST, "tox.ini": tox,
                    "src/myapp/__init__.py": "", "tests/test_app.py": TEST}, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "unit tests").startswith("met"), result.out


CODEQL = """\
name: CodeQL
on:
  push:
    branches: [nightly]
  pull_request:
    branches: [nightly]
  schedule:
    - cron: '05 10 * * 1'

jobs:
  analyze:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: github/codeql-action/init@v3
        with:
          languages: python
      - uses: github/codeql-action/analyze@v3
"""

PULL_REQUESTS = """\
name: Pull Requests

on:
  pull_request_target:
    types: [opened, synchronize, edited, reopened]

jobs:
  check-branch:
    name: Check Pull Request
    runs-on: ubuntu-latest
    steps:
      - name: Checkout Code
        uses: actions/checkout@v4
      - name: Comment on Pull Request
        if: github.base_ref != 'nightly'
        run: echo "Pull requests must be made to the nightly branch"
"""


def test_with_no_checks_at_all_the_findings_sit_on_the_pull_request_workflow_not_codeql(
        check: Callable[..., HookResult]) -> None:
    result = check({".github/workflows/codeql.yml": CODEQL, ".github/workflows/pull-requests.yml": PULL_REQUESTS,
                    "app/__init__.py": "", "app/server.py": "def main():\n    pass\n"})
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out
    assert placed(result, "ci-no-lint") == ".github/workflows/pull-requests.yml:7", result.out
    assert placed(result, "ci-no-unit-tests") == ".github/workflows/pull-requests.yml:7", result.out


def test_a_lone_codeql_workflow_still_carries_them(check: Callable[..., HookResult]) -> None:
    # leave alone: with no other workflow, the only CI file is the place (at its jobs: key)
    result = check({".github/workflows/codeql.yml": CODEQL, "app/__init__.py": ""})
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out
    assert placed(result, "ci-no-lint") == ".github/workflows/codeql.yml:10", result.out


CLEANUP = """\
name: Cleanup
on:
  schedule:
    - cron: '0 0 * * 0'
jobs:
  del_runs:
    runs-on: ubuntu-latest
    steps:
      - uses: Mattraks/delete-workflow-runs@v2
"""

RELEASE_BRANCH = """\
name: Dev release
on:
  push:
    branches: [release-3.0.0]

jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install pylint && pylint backend
        continue-on-error: true
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo build
"""


def test_off_pull_requests_the_workflow_running_the_other_check_beats_a_cleanup_cron(
        check: Callable[..., HookResult]) -> None:
    result = check({".github/workflows/cleanup-cron.yaml": CLEANUP, ".github/workflows/dev-release.yaml": RELEASE_BRANCH,
                    "backend/__init__.py": "", "backend/tests.py": TEST})
    assert placed(result, "ci-no-unit-tests") == ".github/workflows/dev-release.yaml:6", result.out


# -- no tests written at all ----------------------------------------------------------------------------------

LINT_ONLY = """\
name: CI
on: [push, pull_request]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install ruff && ruff check .
"""


def unit_message(result: HookResult) -> str:
    found = [line for line in result.lines if f"{HOOK}: ci-no-unit-tests:" in line]
    assert len(found) == 1, result.out
    return found[0]


def test_a_repo_with_no_tests_is_told_to_write_a_first_one(check: Callable[..., HookResult]) -> None:
    # vendored packages' own tests (a lib/ of bundled packages) are not the repo's tests
    result = check({".github/workflows/ci.yml": LINT_ONLY, "app/__init__.py": "", "app/server.py": "x = 1\n",
                    "lib/cheroot/__init__.py": "", "lib/cheroot/test/test_core.py": TEST,
                    "lib/requests/__init__.py": "", "lib/six.py": "", "lib/arrow/__init__.py": "",
                    "vendor/thing/tests/test_thing.py": TEST})
    message = unit_message(result)
    assert "the repo has no tests yet" in message and "write a first test" in message, message
    assert "add a test step" not in message, message


@pytest.mark.parametrize("written", [
    {"tests/test_app.py": TEST},
    {"app/tests.py": TEST},
    {"app/server_test.py": TEST},
    {"setup.cfg": "[metadata]\nname = app\n\n[tool:pytest]\ntestpaths = app\n"},
    {"pyproject.toml": "[project]\nname = 'app'\n\n[tool.pytest.ini_options]\naddopts = '-q'\n"},
    {"lib/app/__init__.py": "", "lib/app/tests/test_x.py": TEST},  # the project's own lib/ (one package)
])
def test_a_repo_with_tests_written_is_asked_for_a_test_step(check: Callable[..., HookResult],
                                                            written: dict[str, str]) -> None:
    # leave alone: tests exist, so the usual ask stands
    result = check({".github/workflows/ci.yml": LINT_ONLY, "app/__init__.py": "", **written})
    message = unit_message(result)
    assert "add a test step (for example `pytest`)" in message, message
    assert "no tests yet" not in message, message


# -- retired runner images ------------------------------------------------------------------------------------

PYCODESTYLE = """\
name: "Run pycodestyle on repository"

on:
  push:
    branches: [develop, maintenance, master]
  pull_request:
    branches: [develop, maintenance]

jobs:
  pycodestyle:
    name: Run pycodestyle
    runs-on: {runner}

    steps:
      - uses: actions/checkout@v4
      - run: pip install pycodestyle
      - run: pycodestyle intelmq/
"""

UNITTESTS = """\
name: "Unit tests"
on:
  push:
  pull_request:
jobs:
  unittests:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: ['3.8', '3.12']
    steps:
      - uses: actions/checkout@v4
      - run: pip install -e . pytest
      - run: pytest intelmq/tests
"""


def runner_repo(runner: str) -> dict[str, str]:
    return {".github/workflows/pycodestyle.yml": PYCODESTYLE.replace("{runner}", runner),
            ".github/workflows/unittests.yml": UNITTESTS, "intelmq/__init__.py": "",
            "intelmq/tests/test_x.py": TEST}


@pytest.mark.parametrize("runner", ["ubuntu-20.04", "ubuntu-18.04", "macos-12", "${{ matrix.os }}"])
def test_a_lint_job_on_a_retired_runner_image_does_not_count(check: Callable[..., HookResult], runner: str) -> None:
    files = runner_repo(runner)
    if "matrix" in runner:
        files[".github/workflows/pycodestyle.yml"] = files[".github/workflows/pycodestyle.yml"].replace(
            "    steps:", "    strategy:\n      matrix:\n        os: [ubuntu-20.04, ubuntu-18.04]\n    steps:", 1)
    result = check(files)
    assert rules(result) == ["ci-no-lint"], result.out
    line = result.lines[0]
    assert "not counted: job Run pycodestyle (.github/workflows/pycodestyle.yml:" in line, line
    assert "runner image retired on" in line, line
    # on the file to edit: the retired job's
    assert placed(result, "ci-no-lint") == ".github/workflows/pycodestyle.yml:9", result.out


@pytest.mark.parametrize("runner", ["ubuntu-22.04", "ubuntu-latest", "macos-14", "self-hosted", "${{ matrix.os }}",
                                    "${{ inputs.runner }}"])
def test_a_lint_job_on_a_current_or_unknown_image_counts(check: Callable[..., HookResult], runner: str) -> None:
    # leave alone: a current image, a self-hosted label, a matrix with one current image, a value we cannot read
    files = runner_repo(runner)
    if "matrix" in runner:
        files[".github/workflows/pycodestyle.yml"] = files[".github/workflows/pycodestyle.yml"].replace(
            "    steps:", "    strategy:\n      matrix:\n        os: [ubuntu-20.04, ubuntu-24.04]\n    steps:", 1)
    result = check(files, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met"), result.out


# -- a workflow named for the item ----------------------------------------------------------------------------

RUFF_ONLY = "on: [pull_request]\njobs:\n  ruff:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check .\n"
DOCS_ONLY = "on: [pull_request]\njobs:\n  unit:\n    runs-on: ubuntu-latest\n    steps:\n      - run: sphinx-build docs out\n"


def test_no_unit_tests_sits_on_a_workflow_named_tests_before_the_lint_workflow(check: Callable[..., HookResult]) -> None:
    result = check({".github/workflows/a-ruff.yml": RUFF_ONLY, ".github/workflows/tests.yml": DOCS_ONLY,
                    "tests/test_app.py": TEST})
    assert placed(result, "ci-no-unit-tests") == ".github/workflows/tests.yml:2", result.out


def test_a_workflow_named_for_the_frontend_is_not_where_python_goes(check: Callable[..., HookResult]) -> None:
    # leave alone: tests-frontend.yml is named for tests, but for the JavaScript side
    result = check({".github/workflows/a-ruff.yml": RUFF_ONLY, ".github/workflows/tests-frontend.yml": DOCS_ONLY,
                    "tests/test_app.py": TEST})
    assert placed(result, "ci-no-unit-tests") == ".github/workflows/a-ruff.yml:2", result.out


def test_a_ci_whose_every_job_is_on_a_retired_image_is_ci_that_no_longer_runs(check: Callable[..., HookResult]) -> None:
    # not "no CI configuration found": the findings name the retired job, on its workflow
    files = {".github/workflows/tests.yml": UNITTESTS.replace("ubuntu-latest", "ubuntu-20.04").replace(
        "pytest intelmq/tests", "flake8 intelmq && pytest intelmq/tests"),
        "intelmq/__init__.py": "", "intelmq/tests/test_x.py": TEST}
    result = check(files)
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out
    assert "no CI configuration found" not in result.out + result.err
    assert placed(result, "ci-no-unit-tests") == ".github/workflows/tests.yml:5", result.out


def test_the_test_finding_goes_to_the_retired_lint_workflow_not_a_publish(check: Callable[..., HookResult]) -> None:
    publish = BUILD_AND_DEPLOY.replace("  workflow_run:\n    workflows: [Lint & Test]\n    branches: [main]\n"
                                       "    types: [completed]\n", "  push:\n")
    files = {".github/workflows/a-publish.yml": publish,
             ".github/workflows/style.yml": PYCODESTYLE.replace("{runner}", "ubuntu-18.04"),
             "intelmq/__init__.py": "", "intelmq/tests/test_x.py": TEST}
    result = check(files)
    assert placed(result, "ci-no-unit-tests") == ".github/workflows/style.yml:9", result.out
