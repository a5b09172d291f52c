"""check-release-checklist: the defects of held-out round 17, each as a catch and a leave-alone pair on files
shaped like the real ones: a ``format`` recipe whose ``-ruff check --fix .`` was taken for a lint step allowed
to fail (and named twice), and a script whose ``X=`echo $CRED | sed …``` was read as running ``$CRED`` while
the script the CI names through a folder variable (``exec $DOCKERDIR/run.sh test "$@"``) was not followed."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import HookResult
from tests.helpers.release import fresh_repo_runner, row, rules


@pytest.fixture
def check(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    return fresh_repo_runner(run_hook, tmp_path)


PYTEST_MODULE = "def test_ok():\n    assert True\n"

# ---- 1. a fixer recipe is not a lint step ------------------------------------------------------------------------

# a schema-staleness job regenerates the models through `make model`, which formats them (`make format`); the
# test job runs pytest; nothing runs `make lint-backend`
TEST_BACKEND = """\
name: Test Backend
on:
  pull_request:
  workflow_dispatch:
jobs:
  verify-model:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make install-backend
      - name: Regenerate the model (formatting included so the diff below is not style alone)
        run: make model
      - run: git diff --exit-code -- backend/src/shop/model.py
  test-backend:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: ./backend
    steps:
      - uses: actions/checkout@v4
      - run: uv sync --extra dev
      - run: uv run pytest tests
"""
MAKEFILE = """\
RUN = uv run

.PHONY: install-backend
install-backend:
\tcd backend && uv sync --extra dev

.PHONY: model
model: install-backend
\t$(RUN) gen-pydantic schema/model.yaml > backend/src/shop/model.py
\tmake format

lint: lint-backend

.PHONY: lint-backend
lint-backend:
\t{lint}

.PHONY: format
format: format-backend

.PHONY: format-backend
format-backend:
\t{fix}
\t-$(RUN) ruff format .
"""


def _fixer_files(fix: str = "-$(RUN) ruff check --fix .", lint: str = "-$(RUN) ruff check --diff .",
                 workflow: str = TEST_BACKEND) -> dict[str, str]:
    return {".github/workflows/test-backend.yaml": workflow, "Makefile": MAKEFILE.format(fix=fix, lint=lint),
            "backend/tests/test_app.py": PYTEST_MODULE, "backend/pyproject.toml": "[tool.ruff]\nline-length = 120\n"}


def test_a_fixer_allowed_to_fail_is_no_lint_step(check: Callable[..., HookResult]) -> None:
    result = check(_fixer_files(), "--checklist")
    assert rules(result) == ["ci-no-lint"], result.out
    assert row(result, "lint").startswith("not met"), result.out
    line = next(x for x in result.lines if "ci-no-lint" in x)
    assert line.startswith(".github/workflows/test-backend.yaml:"), line
    # the lint target the Makefile has is named, with what keeps it from failing
    assert "`make lint-backend` once the `-` that ignores ruff's failures is dropped" in line, line
    # ruff check --fix-only never fails on a violation, whatever the recipe says
    assert rules(check(_fixer_files(fix="$(RUN) ruff check --fix-only ."))) == ["ci-no-lint"]


def test_a_lint_target_that_fails_is_named_as_it_is(check: Callable[..., HookResult]) -> None:
    line = check(_fixer_files(lint="$(RUN) ruff check .")).lines[0]
    assert "(for example `make lint-backend`, which runs ruff, or `ruff check .`)" in line, line
    # no lint target at all: the usual example
    files = _fixer_files()
    files["Makefile"] = files["Makefile"].replace("lint-backend", "docs")
    line = check(files).lines[0]
    assert "(for example `pre-commit run --all-files` or `ruff check .`)" in line, line


def test_a_check_allowed_to_fail_is_still_reported_and_named_once(check: Callable[..., HookResult]) -> None:
    # `-ruff check .` (no --fix) in the recipe both jobs reach: lint that may fail, named once
    workflow = TEST_BACKEND.replace("      - run: uv run pytest tests\n", "      - run: uv run pytest tests\n      - run: make -C .. format\n")
    result = check(_fixer_files(fix="-$(RUN) ruff check .", workflow=workflow))
    assert rules(result) == ["ci-tests-allowed-to-fail"], result.out
    line = result.lines[0]
    assert line.startswith("Makefile:23:"), line
    assert ": lint may fail here" in line and "lint and lint" not in line, line


def test_a_fixer_whose_failure_fails_the_job_still_lints(check: Callable[..., HookResult]) -> None:
    # without the `-`, `ruff check --fix` fails on what it cannot fix: the model job lints
    result = check(_fixer_files(fix="$(RUN) ruff check --fix ."), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met"), result.out
    # --exit-non-zero-on-fix fails on the fixes too: a check, allowed to fail here
    assert rules(check(_fixer_files(fix="-$(RUN) ruff check --fix --exit-non-zero-on-fix ."))) == ["ci-tests-allowed-to-fail"]


# ---- 2. a variable echoed in a command substitution; a script named through a folder variable -------------------

TESTALL = """\
name: testall
on:
  pull_request:
jobs:
  testall:
    runs-on: ubuntu-22.04
    steps:
      - uses: actions/checkout@v4
      - name: Build Containers
        env:
          SHOP_DOCKERHUB_CRED: ${{ secrets.SHOP_DOCKERHUB_CRED }}
        run: |
          bash scripts/dhsetup.sh
          cd docker && bash ./dockbuild.sh
      - name: Build & Run Python Tests via Docker
        run: scripts/testall.docker python
"""
DHSETUP = """\
#! /bin/bash
# Authenticate to Docker Hub (avoids pull rate limits)
set -e
[ -z "$SHOP_DOCKERHUB_CRED" ] || {
    DH_USER=`echo $SHOP_DOCKERHUB_CRED | sed -e 's/:.*$//'`
    DH_TOKEN=$(echo $SHOP_DOCKERHUB_CRED | sed -e 's/^[^:]*://')
    (echo "$DH_TOKEN" | docker login --username $DH_USER --password-stdin) || {
        echo "dhsetup: docker login failed"
        false
    }
}
"""
TESTALL_DOCKER = """\
#! /bin/bash
#
# testall.docker -- run all tests via the docker containers defined in the docker directory.
#
prog=`basename $0`
execdir=`dirname $0`
[ "$execdir" = "" -o "$execdir" = "." ] && execdir=$PWD
export CODEDIR=`(cd $execdir/.. > /dev/null 2>&1; pwd)`
export DOCKERDIR=$CODEDIR/docker

echo '(Assuming docker containers have been built)'
exec {runner} test "$@"
"""
RUN_SH = """\
#! /bin/bash
# run.sh -- launch a docker container to build or test this repository
execdir=`dirname $0`
codedir=`(cd $execdir/.. > /dev/null 2>&1; pwd)`
PKGNAME=shop
ti=
[ -t 0 ] && ti="-ti"
volopt="-v $codedir:/dev/shop"
dargs=()
cmds=
while [ "$1" != "" ]; do
    case "$1" in
        build|test|shell)
            cmds="$cmds $1"
            ;;
    esac
    shift
done

if echo "$cmds" | grep -qsw test; then
    docker run $ti --rm $volopt "${dargs[@]}" $PKGNAME/shoptest testall
fi
"""
DOCKBUILD = "#! /bin/bash\nset -e\ndocker build -t shop/shoptest shoptest\n"


def _docker_files(runner: str = "$DOCKERDIR/run.sh") -> dict[str, str]:
    return {".github/workflows/testall.yml": TESTALL, "scripts/dhsetup.sh": DHSETUP,
            "scripts/testall.docker": TESTALL_DOCKER.format(runner=runner), "docker/run.sh": RUN_SH,
            "docker/dockbuild.sh": DOCKBUILD, "docker/shoptest/Dockerfile": "FROM python:3.12\nENTRYPOINT [\"/usr/local/bin/entrypoint.sh\"]\n",
            "python/tests/test_app.py": PYTEST_MODULE}


@pytest.mark.parametrize("runner", ["$DOCKERDIR/run.sh", "${CODEDIR}/docker/run.sh", "$(dirname $0)/../docker/run.sh"])
def test_a_script_named_through_a_folder_variable_is_followed(check: Callable[..., HookResult], runner: str) -> None:
    result = check(_docker_files(runner), "--checklist")
    assert rules(result) == ["ci-no-lint"], result.out
    # docker/run.sh runs `testall` in the test image: the tests, for that reason
    assert row(result, "unit tests").startswith("met"), result.out
    assert "SHOP_DOCKERHUB_CRED" not in result.err, result.err


def test_a_variable_echoed_in_a_substitution_is_not_a_command(check: Callable[..., HookResult]) -> None:
    # the runner named through a folder the repo does not hold: nothing runs the tests, and the credential
    # echoed into `sed` is no command left to a variable
    result = check(_docker_files("$DOCKERDIR/missing/run.sh"), "--checklist")
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out
    assert "SHOP_DOCKERHUB_CRED" not in result.err, result.err


def test_a_command_left_to_a_variable_is_still_unknown(check: Callable[..., HookResult]) -> None:
    # `$TEST_RUNNER test` (nothing sets it): the tests are unknown, not missing, as before
    files = _docker_files("$TEST_RUNNER")
    result = check(files, "--checklist")
    assert rules(result) == ["ci-no-lint"], result.out
    assert "job testall runs `$TEST_RUNNER test python`" in result.err, result.err


def test_a_command_substitution_is_one_word_of_its_command() -> None:
    from hooks.checks.check_release_checklist.shell import commands

    found = commands("DH_USER=`echo $CRED | sed -e 's/:.*$//'` && TAG=$(git describe --tags | cut -d- -f1); pytest")
    assert [c.words for c in found] == [("DH_USER=`echo $CRED | sed -e 's/:.*$//'`",),
                                        ("TAG=$(git describe --tags | cut -d- -f1)",), ("pytest",)]


def test_make_variables_and_quoted_or_lone_backquotes_are_read_as_before() -> None:
    from hooks.checks.check_release_checklist.shell import commands

    assert [c.words for c in commands("$(RUN) ruff check . | tee lint.log")] == [("$(RUN)", "ruff", "check", "."), ("tee", "lint.log")]
    assert [c.words for c in commands('echo "$(date) | done" && pytest')] == [("echo", "$(date) | done"), ("pytest",)]
    # a backquote that does not close on the line is a character, not a substitution
    assert [c.words for c in commands("echo it`s | tee x")] == [("echo", "it`s"), ("tee", "x")]


# ---- the regression run's shapes: what the arguments of a wrapper script run; a program found with `which` ------

CIRCLE = """\
version: 2
jobs:
  build:
    machine: true
    steps:
      - checkout
      - run:
          name: Run tests
          command: ./compose.sh tox run --rm tox
"""
COMPOSE_SH = """\
#!/usr/bin/env bash
config=$1
shift
args=${@:-up}
set -e
cd "$( dirname "${BASH_SOURCE[0]}")"
exec docker-compose --project-name shop --file compose/base.yml --file compose/${config}.yml $args
"""
TOX = "[tox]\nenvlist = flake8,py3\n\n[testenv]\ncommands = pytest\n\n[testenv:flake8]\ncommands = flake8 .\n"


def test_the_arguments_of_a_wrapper_script_are_still_read_as_a_command(check: Callable[..., HookResult]) -> None:
    files = {".circleci/config.yml": CIRCLE, "compose.sh": COMPOSE_SH, "tox.ini": TOX, "tests/test_app.py": PYTEST_MODULE}
    assert rules(check(files)) == []
    files["tox.ini"] = TOX.replace("commands = flake8 .", "commands = python -m compileall .").replace("commands = pytest", "commands = true")
    assert rules(check(files)) == ["ci-no-lint", "ci-no-unit-tests"]


PYTEST_SH = """\
#!/bin/bash
set -e
cd $(dirname $0)/..
PYTEST=$(which pytest || true)
if [ "x$PYTEST" = "x" ]; then
  PYTEST=$(which pytest-3 || true)
fi
case $1 in
  lint)  flake8; exit $?;;
  *)     PYTEST_PARAM="";;
esac
python3 $PYTEST $PYTEST_PARAM
"""
CI = """\
name: CI
on: [push, pull_request]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: ./tools/pytest.sh lint
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: ./tools/pytest.sh all
"""


def test_a_variable_holding_a_program_found_with_which_runs_that_program(check: Callable[..., HookResult]) -> None:
    files = {".github/workflows/ci.yaml": CI, "tools/pytest.sh": PYTEST_SH, "tests/test_app.py": PYTEST_MODULE}
    result = check(files, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "unit tests").startswith("met"), result.out
    # a variable from another program's output is not a program: the tests stay unknown (a notice)
    files["tools/pytest.sh"] = PYTEST_SH.replace("$(which pytest || true)", "$(cat .pytest-path)").replace("$(which pytest-3 || true)", "$(cat .p3)")
    result = check(files)
    assert rules(result) == [], result.out
    assert "runs `$PYTEST $PYTEST_PARAM`" in result.err, result.err


# ---- a test job handed to a cluster: its command is in a manifest the CI files do not show ----------------------

CONTINUOUS = """\
name: Continuous
on:
  pull_request:
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: flake8 .
  pytest-job:
    name: "Continuous Testing: PyTest"
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Start Job
        run: ./build/ci/createJobFromRollout.sh $GITHUB_RUN_ID
      - name: Wait For Job To Finish
        run: ./build/ci/waitForCIJob.bash
"""
CREATE_JOB = """\
#!/bin/bash
GITHUB_RUN_ID=$1
kubectl get rollout shop-web -o yaml | yq '.spec.template.spec' > spec.yaml
yq -i '.spec.template.spec.containers[0].args = ["-c", "pytest -v ./shop"]' job.yaml
kubectl apply -f job.yaml
"""
WAIT_JOB = """\
#!/bin/bash
while true; do
    STATUS=$(kubectl get job -l "ci-run=$GITHUB_RUN_ID" -o json 2>/dev/null) || {
        sleep 30
        continue
    }
    SUCCEEDED=$(echo "$STATUS" | jq -r '.items[0].status.succeeded // 0')
    [[ "$SUCCEEDED" == "1" ]] && exit 0
    sleep 10
done
"""


def test_a_test_job_handed_to_a_cluster_is_unknown_not_missing(check: Callable[..., HookResult]) -> None:
    files = {".github/workflows/continuous.yaml": CONTINUOUS, "build/ci/createJobFromRollout.sh": CREATE_JOB,
             "build/ci/waitForCIJob.bash": WAIT_JOB, "shop/tests/test_app.py": PYTEST_MODULE}
    result = check(files)
    assert rules(result) == [], result.out
    assert "job Continuous Testing: PyTest runs `kubectl apply -f job.yaml`" in result.err, result.err
    assert "which hands the work to a cluster" in result.err and "$STATUS" not in result.err, result.err


def test_a_cluster_command_in_a_job_not_named_for_tests_does_not_hide_a_missing_test_run(check: Callable[..., HookResult]) -> None:
    files = {".github/workflows/continuous.yaml": CONTINUOUS.replace('"Continuous Testing: PyTest"', '"Deploy sandbox"'),
             "build/ci/createJobFromRollout.sh": CREATE_JOB, "build/ci/waitForCIJob.bash": WAIT_JOB,
             "shop/tests/test_app.py": PYTEST_MODULE}
    assert rules(check(files)) == ["ci-no-unit-tests"]
    # in a job named for tests, a deployment applied to the cluster is not where the tests run
    files[".github/workflows/continuous.yaml"] = CONTINUOUS
    files["build/ci/createJobFromRollout.sh"] = CREATE_JOB.replace("kubectl apply -f job.yaml", "kubectl apply -f ci/k8s/deployment.yml")
    assert rules(check(files)) == ["ci-no-unit-tests"]


# ---- a function that runs its arguments; an action given a command line ------------------------------------------

PYTHON_TESTS_SH = """\
#!/usr/bin/env bash
status=0

function run_test {
    echo "[TEST SUITE] $@"
    poetry run $@
    local test_status=$?
    if [ $test_status -ne 0 ]; then
        status=$test_status
    fi
    return $status
}

run_test {suite}

exit $status
"""
TESTS_WORKFLOW = """\
name: CI
on: [pull_request]
jobs:
  python-tests:
    runs-on: ubuntu-22.04
    steps:
      - uses: actions/checkout@v4
      - run: poetry run pylint ./shop
      - name: Create test local state
        run: ./scripts/test/stub-data.sh
      - name: Tests
        run: ./scripts/test/python_tests.sh
"""
STUB_DATA = """\
#!/usr/bin/env bash
SCRIPTPATH="$( cd -- "$(dirname "$0")" >/dev/null 2>&1 ; pwd -P )"
DEST=$(dirname $SCRIPTPATH | xargs dirname)
cp -R $SCRIPTPATH/data/* $DEST
"""


def test_a_function_that_runs_its_arguments_runs_the_calls_command(check: Callable[..., HookResult]) -> None:
    files = {".github/workflows/ci.yml": TESTS_WORKFLOW, "scripts/test/stub-data.sh": STUB_DATA,
             "scripts/test/python_tests.sh": PYTHON_TESTS_SH.replace("{suite}", "pytest"), "tests/test_app.py": PYTEST_MODULE}
    result = check(files, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "unit tests").startswith("met"), result.out
    # the function given something else: no tests, and `$SCRIPTPATH` echoed into dirname is no command
    files["scripts/test/python_tests.sh"] = PYTHON_TESTS_SH.replace("{suite}", "./manage.py check")
    result = check(files)
    assert rules(result) == ["ci-no-unit-tests"], result.out
    assert "SCRIPTPATH" not in result.err, result.err


CODECLIMATE = """\
name: CI
on: [pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: flake8 .
      - name: Run tests and report coverage
        uses: paambaati/codeclimate-action@v5
        env:
          CC_TEST_REPORTER_ID: ${{ secrets.CC_TEST_REPORTER_ID }}
        with:
          coverageCommand: {command}
"""


def test_an_action_given_a_command_line_runs_it(check: Callable[..., HookResult]) -> None:
    files = {".github/workflows/ci.yml": CODECLIMATE.replace("{command}", "python -m pytest --cov"), "tests/test_app.py": PYTEST_MODULE}
    assert rules(check(files)) == []
    files[".github/workflows/ci.yml"] = CODECLIMATE.replace("{command}", "coverage xml")
    assert rules(check(files)) == ["ci-no-unit-tests"]
