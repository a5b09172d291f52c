"""check-release-checklist: the defects of held-out round 18, each as a catch and a leave-alone pair on files
shaped like the real ones: a package-manager install line (``apk add python3 make g++``) read as the command it
installs, a hosted pull-request linter (``.pep8speaks.yml``) not counted, and a Zuul file that names only
templates defined in another repository reported as "no CI configuration found"."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.check_release_checklist.kinds import peel
from tests.conftest import HookResult
from tests.helpers.release import fresh_repo_runner, row, rules


@pytest.fixture
def check(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    return fresh_repo_runner(run_hook, tmp_path)


PYTEST_MODULE = "def test_ok():\n    assert True\n"
MAKEFILE = "test:\n\tpytest tests\n"

# ---- 1. a package-manager install line is not the command it installs ---------------------------------------------

# a manual deploy job installs build tools in an Alpine image; the PR workflow runs only a linter
DEPLOY_CI = """\
stages:
  - deploy

dev:
  stage: deploy
  image: google/cloud-sdk:alpine
  when: manual
  script:
    - echo "deploying"
    - {install}
    - gcloud auth activate-service-account --key-file $KEY
    - ssh deploy@dev.example.org 'restart app'
"""
LINT_WORKFLOW = """\
name: lint
on: [pull_request]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install flake8
      - run: flake8 .
"""


def _deploy_files(install: str) -> dict[str, str]:
    return {".gitlab-ci.yml": DEPLOY_CI.format(install=install), ".github/workflows/lint.yml": LINT_WORKFLOW,
            "Makefile": MAKEFILE, "tests/test_app.py": PYTEST_MODULE, "setup.cfg": "[flake8]\nmax-line-length = 100\n"}


@pytest.mark.parametrize("words", ["apk add python3 py3-pip make g++", "apk --no-cache add make", "dnf install -y make tox",
                                   "yum -y install make", "zypper install make", "sudo apk add make", "pacman -S make",
                                   "brew install make", "pip install tox", "conda install -y make"])
def test_an_install_line_names_packages(words: str) -> None:
    assert peel(words.split())[0] not in ("make", "tox", "g++")


def test_a_manual_job_installing_make_does_not_run_the_tests(check: Callable[..., HookResult]) -> None:
    result = check(_deploy_files("apk add python3 python3-dev py-pip make g++ py3-virtualenv"), "--checklist")
    # the tests run nowhere: the install line is not `make`, so no "the unit tests run only by hand"
    assert rules(result) == ["ci-no-unit-tests"], result.out
    assert row(result, "unit tests").startswith("not met"), result.out


def test_a_manual_job_that_runs_make_still_runs_the_tests(check: Callable[..., HookResult]) -> None:
    # the same job running `make test` after installing make: the tests run, only by hand
    result = check(_deploy_files("apk add make && make test"))
    assert rules(result) == ["ci-not-on-pull-requests"], result.out


# ---- 2. a hosted pull-request linter ----------------------------------------------------------------------------

TEST_WORKFLOW = """\
name: Run Tests
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt
      - run: pytest
"""
PEP8SPEAKS = """\
scanner:
    diff_only: True
    linter: {linter}

pycodestyle:
    max-line-length: 100
    ignore:
        - W504

message:
    opened:
        header: "Hello @{{name}}! Thanks for opening this PR."
"""


def _speaks_files(extra: dict[str, str]) -> dict[str, str]:
    return {".github/workflows/main.yml": TEST_WORKFLOW, "tests/test_app.py": PYTEST_MODULE,
            "requirements.txt": "pytest\n", **extra}


def test_pep8speaks_lints_pull_requests(check: Callable[..., HookResult]) -> None:
    result = check(_speaks_files({".pep8speaks.yml": PEP8SPEAKS.format(linter="pycodestyle")}), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met"), result.out
    assert "PEP8Speaks" in row(result, "lint"), result.out
    # flake8 as its linter, or no scanner section (pycodestyle by default)
    assert rules(check(_speaks_files({".pep8speaks.yml": PEP8SPEAKS.format(linter="flake8")}))) == []
    assert rules(check(_speaks_files({".pep8speaks.yml": "pycodestyle:\n    max-line-length: 100\n"}))) == []


def test_without_a_hosted_linter_lint_is_missing(check: Callable[..., HookResult]) -> None:
    # a pycodestyle section in setup.cfg is no app that runs it
    result = check(_speaks_files({"setup.cfg": "[pycodestyle]\nmax-line-length = 100\n"}))
    assert rules(result) == ["ci-no-lint"], result.out
    assert result.lines[0].startswith(".github/workflows/main.yml:"), result.lines


def test_the_finding_is_not_placed_on_the_hosted_linter(check: Callable[..., HookResult]) -> None:
    # PEP8Speaks lints; the tests run nowhere: the finding goes to the repo's own workflow, not the app's file
    workflow = TEST_WORKFLOW.replace("      - run: pytest\n", "      - run: echo done\n")
    result = check(_speaks_files({".pep8speaks.yml": PEP8SPEAKS.format(linter="pycodestyle"),
                                  ".github/workflows/main.yml": workflow}))
    assert rules(result) == ["ci-no-unit-tests"], result.out
    assert result.lines[0].startswith(".github/workflows/main.yml:"), result.lines


# ---- 3. a Zuul file naming templates defined elsewhere ------------------------------------------------------------

ZUUL = """\
- project:
    queue: telemetry
    templates:
      - openstack-python3-jobs
      - publish-openstack-docs-pti
      - check-requirements
    check:
      jobs:
        - telemetry-dsvm-integration:
            irrelevant-files: &irrelevant
              - ^doc/.*$
    gate:
      jobs:
        - telemetry-dsvm-integration:
            irrelevant-files: *irrelevant
"""


def test_zuul_templates_cannot_be_read(check: Callable[..., HookResult]) -> None:
    result = check({".zuul.yaml": ZUUL, "tox.ini": "[tox]\nenvlist = py3,pep8\n", "tests/test_app.py": PYTEST_MODULE})
    assert rules(result) == [], result.out
    assert "CI configuration cannot be read (.zuul.yaml: Zuul jobs and templates (templates `openstack-python3-jobs`" \
        in result.err, result.err
    assert "no CI configuration found" not in result.err, result.err


def test_without_zuul_no_ci_is_found(check: Callable[..., HookResult]) -> None:
    result = check({"tox.ini": "[tox]\nenvlist = py3,pep8\n", "tests/test_app.py": PYTEST_MODULE})
    assert rules(result) == [], result.out
    assert "no CI configuration found" in result.err, result.err
    # a Zuul file beside a workflow the hook reads: the workflow is judged
    result = check({".zuul.yaml": ZUUL, ".github/workflows/main.yml": TEST_WORKFLOW, "tests/test_app.py": PYTEST_MODULE})
    assert rules(result) == ["ci-no-lint"], result.out
