"""check-release-checklist: the classes of wrong findings of held-out round 9, each as a catch and a
leave-alone pair on CI files and scripts shaped like the real ones: tox's substitutions read as what they
run (``{envpython} {toxinidir}/manage.py test`` is ``python manage.py test``); a Travis ``env:`` matrix value
filled into ``tox -e $TOX_ENV``; ``eval "$DC exec -T backend pytest"`` with ``DC="X=1 docker compose -f
y.yml"`` assigned earlier in the script; and Travis ``if:`` conditions that keep jobs off pull requests."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.check_release_checklist import pipeline as p
from hooks.checks.check_release_checklist.reach import tox_substitute
from hooks.checks.check_release_checklist.shell import commands
from tests.conftest import HookResult
from tests.helpers.release import fresh_repo_runner, row, rules

HOOK = "check-release-checklist"


@pytest.fixture
def check(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    return fresh_repo_runner(run_hook, tmp_path)


DJANGO_TEST = "from django.test import TestCase\n\n\nclass ApiTests(TestCase):\n    def test_ok(self):\n        pass\n"


# -- tox substitutions ---------------------------------------------------------------------------------------

TOX_WORKFLOW = """\
name: Automated testing
on:
  push:
    branches: [develop]
  pull_request:

env:
  TOXENV: py3

jobs:
  run-tests:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:14
    steps:
      - uses: actions/checkout@v4
      - run: pip install tox
      - name: Lint
        run: pip install flake8 && flake8 base api
      - name: Run tox
        run: tox -v
"""

TOX_INI = """\
[tox]
envlist = py3
skipsdist = true

[testenv]
usedevelop = true
setenv =
    PYTHONDONTWRITEBYTECODE=1
deps =
    -r{toxinidir}/requirements.txt
commands =
    {envpython} {toxinidir}/manage.py test --no-input

[testenv:py3]
"""


def tox_repo(tox: str = TOX_INI) -> dict[str, str]:
    return {".github/workflows/automated-testing.yaml": TOX_WORKFLOW, "tox.ini": tox, "manage.py": "import django\n",
            "api/tests/test_views.py": DJANGO_TEST}


def test_envpython_and_toxinidir_are_python_and_the_tox_folder(check: Callable[..., HookResult]) -> None:
    result = check(tox_repo(), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "unit tests").startswith("met"), result.out


def test_a_tox_env_running_another_manage_command_is_still_no_test_run(check: Callable[..., HookResult]) -> None:
    # leave alone: the substitution is read, and what it runs tests nothing
    result = check(tox_repo(TOX_INI.replace("manage.py test --no-input", "manage.py collectstatic --no-input")))
    assert rules(result) == ["ci-no-unit-tests"], result.out


@pytest.mark.parametrize(("line", "expected"), [
    ("{envpython} {toxinidir}/manage.py test --no-input", "python manage.py test --no-input"),
    ("{envbindir}/pytest {posargs:tests}", "pytest {posargs:tests}"),
    ("{envdir}/bin/flake8 src", "flake8 src"),
    ("{env_python} -m pytest {tox_root}/tests", "python -m pytest tests"),
    ("pytest {env:PYTEST_ADDOPTS:-x} --rootdir={toxinidir}", "pytest -x --rootdir=."),
    ("{[testenv:lint]commands}", "flake8 src"),
    ("{envname} {[nowhere]commands}", "{envname} {[nowhere]commands}"),
])
def test_tox_substitutions(line: str, expected: str) -> None:
    assert tox_substitute(line, {("testenv:lint", "commands"): "flake8 src"}) == expected


def test_a_section_reference_brings_every_line_of_its_commands(check: Callable[..., HookResult]) -> None:
    tox = TOX_INI.replace("[testenv:py3]\n", "[testenv:py3]\ncommands =\n    {[base]commands}\n\n[base]\ncommands =\n"
                          "    {envpython} -m flake8 api\n    {envbindir}/coverage run {toxinidir}/manage.py test\n")
    tox = tox.replace("{envpython} {toxinidir}/manage.py test --no-input", "{envpython} {toxinidir}/manage.py check")
    result = check(tox_repo(tox), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "unit tests").startswith("met"), result.out


# -- a Travis env matrix filled in ----------------------------------------------------------------------------

TRAVIS = """\
language: python
python:
  - '3.5'
addons:
  postgresql: '9.5'

before_script:
  - if [[ $TOX_ENV != 'py35-flake8' ]]; then psql -c 'create database platform;' -U postgres; fi

env:
  global:
    - DJANGO_SETTINGS_MODULE=config.settings.travis
    - secure: T6bNu9c2HRPaDv9Hn0bB

matrix:
  fast_finish: true
  include:
    -
      env: TOX_ENV=py35-flake8
    -
      env: TOX_ENV=py35-django-unit

script:
  - tox -e $TOX_ENV
"""

TRAVIS_TOX = """\
[tox]
envlist = py35-flake8, py35-django-unit

[testenv]
deps = -r{toxinidir}/requirements/dev.txt

[testenv:py35-flake8]
commands = ./runtests.py --lint
deps =
  flake8==3.5.0

[testenv:py35-django-unit]
commands = ./runtests.py
"""

RUNTESTS = """\
#!/usr/bin/env python
import subprocess
import sys

import pytest

if __name__ == "__main__":
    if "--lint" in sys.argv:
        sys.exit(subprocess.run(["flake8"]).returncode)
    sys.exit(pytest.main(["platform"]))
"""


def travis_repo(travis: str = TRAVIS, tox: str = TRAVIS_TOX) -> dict[str, str]:
    return {".travis.yml": travis, "tox.ini": tox, "runtests.py": RUNTESTS, "manage.py": "import django\n",
            "platform/tests/test_models.py": "def test_model():\n    assert True\n"}


def test_a_travis_matrix_env_fills_tox_e(check: Callable[..., HookResult]) -> None:
    result = check(travis_repo(), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met"), result.out
    assert row(result, "unit tests").startswith("met"), result.out


def test_a_travis_matrix_without_a_lint_env_is_no_lint(check: Callable[..., HookResult]) -> None:
    # leave alone: the matrix names only the unit-test env, so `tox -e $TOX_ENV` lints nothing
    travis = TRAVIS.replace("    -\n      env: TOX_ENV=py35-flake8\n", "")
    result = check(travis_repo(travis))
    assert rules(result) == ["ci-no-lint"], result.out


@pytest.mark.parametrize("env", [
    "env:\n  - TOX_ENV=py35-flake8\n  - TOX_ENV=py35-django-unit\n",
    "env:\n  matrix:\n    - TOX_ENV=py35-flake8 DB=postgres\n    - TOX_ENV=py35-django-unit DB=postgres\n",
    "jobs:\n  include:\n    - env: TOX_ENV=py35-flake8\n    - env:\n        - TOX_ENV=py35-django-unit\n",
])
def test_every_shape_of_travis_env_rows_fills_the_variable(env: str) -> None:
    from hooks.checks.check_release_checklist.tree import root
    from hooks.config import formats, loaders

    doc = loaders.parse(".travis.yml", "language: python\n" + env + "script: tox -e $TOX_ENV\n", formats.YAML)
    top = root(doc)
    assert top is not None
    _, matrix = p._travis_env(top)
    assert matrix["TOX_ENV"] == ["py35-flake8", "py35-django-unit"]


def test_a_lint_env_running_the_projects_runner_without_a_lint_name_is_no_lint(check: Callable[..., HookResult]) -> None:
    # leave alone: only the environment's name says lint; a runner in an env named for something else is not
    tox = TRAVIS_TOX.replace("py35-flake8", "py35-checks")
    travis = TRAVIS.replace("py35-flake8", "py35-checks")
    result = check(travis_repo(travis, tox))
    assert rules(result) == ["ci-no-lint"], result.out


# -- eval of a command held in a variable ---------------------------------------------------------------------

COMPOSE_WORKFLOW = """\
name: CI
on: [pull_request]
jobs:
  build-and-test-dev-image:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Check coding style
        run: pip install black && black --check .
      - name: Run tests
        run: dev/run-tests.sh
"""

RUN_TESTS = """\
#!/bin/bash
# Executes all tests. Should errors occur, CATCH will be set to 1, causing an erroneous exit code.

USER_ID=$(id -u)
GROUP_ID=$(id -g)
DC="CONTEXT=dev USER_ID=$USER_ID GROUP_ID=$GROUP_ID docker compose -f dev/docker-compose.dev.yml"

trap 'eval "$DC down --volumes"' EXIT
eval "$(ssh-agent -s)"

eval "$DC build --no-cache"
eval "$DC up --detach"
eval "$DC exec -T backend ./entrypoint.sh pytest --cov"
"""

COMPOSE = """\
services:
  backend:
    build: .
    depends_on: [postgres]
  postgres:
    image: postgres:15
"""


def compose_repo(script: str = RUN_TESTS) -> dict[str, str]:
    return {".github/workflows/continuous_integration.yml": COMPOSE_WORKFLOW, "dev/run-tests.sh": script,
            "dev/docker-compose.dev.yml": COMPOSE, "entrypoint.sh": '#!/bin/bash\nexec "$@"\n',
            "tests/test_actions.py": "def test_action():\n    assert True\n"}


def test_eval_of_a_variable_holding_docker_compose_runs_the_tests(check: Callable[..., HookResult]) -> None:
    result = check(compose_repo(), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "unit tests").startswith("met"), result.out


def test_eval_that_only_builds_the_stack_is_no_test_run(check: Callable[..., HookResult]) -> None:
    # leave alone: the same script without the test line runs no tests
    result = check(compose_repo(RUN_TESTS.replace('eval "$DC exec -T backend ./entrypoint.sh pytest --cov"\n', "")))
    assert rules(result) == ["ci-no-unit-tests"], result.out


def test_eval_reads_the_line_it_expands_to() -> None:
    found = [c.words for c in commands(RUN_TESTS) if c.text.startswith("eval")]
    assert ("docker", "compose", "-f", "dev/docker-compose.dev.yml", "exec", "-T", "backend", "./entrypoint.sh", "pytest",
            "--cov") in found
    # another program's output and a variable the script does not assign are left as written
    assert ("eval", "$(ssh-agent -s)") in found
    assert commands('eval "$RUNNER tests"')[0].words == ("$RUNNER", "tests")


# -- Travis `if:` conditions -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("condition", "expected"), [
    ("type = push", p.PR),  # pushes to any branch, as GitHub's `on: push`
    ("type != pull_request", p.PR),
    ("branch = master", p.PR),  # pull requests into master are built too
    ("type = pull_request OR branch = master", p.PR),
    ("branch = master AND type = push", p.BRANCH),
    ("type IN (push, api) AND branch IN (master, develop)", p.BRANCH),
    ("tag IS present", p.RELEASE),
    ("type = cron", p.MANUAL),
    ("type IN (cron, api)", p.MANUAL),
])
def test_travis_conditions(condition: str, expected: str) -> None:
    assert p._travis_condition(condition) == expected


def test_travis_jobs_all_kept_to_pushes_to_master_do_not_run_on_pull_requests(check: Callable[..., HookResult]) -> None:
    travis = TRAVIS.replace("    -\n      env:", "    -\n      if: branch = master AND type = push\n      env:")
    result = check(travis_repo(travis))
    assert rules(result) == ["ci-not-on-pull-requests"], result.out


def test_travis_jobs_on_pushes_to_any_branch_count_as_pull_request_builds(check: Callable[..., HookResult]) -> None:
    # leave alone: `if: type = push` builds every pushed branch, as GitHub's `on: push` does
    travis = TRAVIS.replace("    -\n      env:", "    -\n      if: type = push\n      env:")
    result = check(travis_repo(travis))
    assert rules(result) == [], result.out


def test_a_top_level_travis_condition_counts_for_every_job(check: Callable[..., HookResult]) -> None:
    result = check(travis_repo("if: tag IS present\n" + TRAVIS))
    assert rules(result) == ["ci-not-on-pull-requests"], result.out


FACTOR_TOX = """\
[tox]
envlist = py3-django42, py3-lint

[unittests]
commands =
    coverage run manage.py test askbot.tests

[lint]
commands =
    pylint --rcfile={toxinidir}/.pylintrc askbot

[testenv]
changedir = {toxinidir}/testproject/
commands =
    py{310,311,3}-django{42,52}: {[unittests]commands}
    lint: {[lint]commands}
"""


def test_an_env_without_a_section_runs_the_lines_its_factors_select() -> None:
    from hooks.checks.check_release_checklist.reach import Follower, Repo
    from hooks.checks.check_release_checklist.shell import Command
    from hooks.config import formats, loaders

    files = {"tox.ini": FACTOR_TOX}
    repo = Repo(list(files), files.get, lambda path: loaders.parse(path, files[path], formats.INI))
    follower = Follower(repo)

    def leaves(env: str) -> list[str]:
        return [leaf.words[0] for leaf in follower.expand(Command(("tox", "-e", env), 1, False, ""), ".travis.yml")]

    # the lint env runs only the line `lint:` selects, a test env only its own (coverage run peeled); an env
    # that no line selects is judged by its name, as before
    assert leaves("lint") == ["pylint"]
    assert leaves("py3-django42") == ["manage.py"]
    assert leaves("docs") == ["tox"]
