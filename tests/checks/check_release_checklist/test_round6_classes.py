"""check-release-checklist: the classes of wrong findings of held-out round 6, each as a catch and a
leave-alone pair on CI files and scripts shaped like the real ones: a command held in a shell variable
the script assigns (yournextrepresentative's ``run-tests``: ``COMMAND="coverage run ... manage.py test";
$COMMAND``)."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.check_release_checklist.shell import commands
from tests.conftest import HookResult
from tests.helpers.release import make_repo

HOOK = "check-release-checklist"


@pytest.fixture
def check(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    counter = iter(range(1000))

    def run(files: dict[str, str], *args: str) -> HookResult:
        root = make_repo(tmp_path / f"repo{next(counter)}", files)
        old = os.getcwd()
        os.chdir(root)
        try:
            return run_hook(HOOK, *args)
        finally:
            os.chdir(old)

    return run


def rules(result: HookResult) -> list[str]:
    return sorted(line.split(f"{HOOK}: ", 1)[1].split(":", 1)[0] for line in result.lines if f"{HOOK}: " in line)


def row(result: HookResult, item: str) -> str:
    for line in result.out.split("\n"):
        if line.startswith(f"| {item} |"):
            return "|".join(line.split("|")[2:4]).strip()
    raise AssertionError(f"no row {item!r} in {result.out!r}")


# -- a command held in a shell variable (yournextrepresentative) ---------------------------------------------

TRAVIS_RUN_TESTS = """\
sudo: false
language: python
python:
  - '3.5'
addons:
  postgresql: "9.1"
install:
  - pip install -r requirements.txt
script:
  - flake8 candidates
  - ./run-tests --coverage
after_success:
  - coveralls
"""

RUN_TESTS = """\
#!/bin/bash

EXIT_CODE=0

cd $(dirname "$BASH_SOURCE")

if [ "$1" = "--coverage" ]
then
    coverage erase
fi

update_exit_code() {
    LAST_EXIT_CODE=$?
    if [ $LAST_EXIT_CODE != 0 ]
    then
        EXIT_CODE=$LAST_EXIT_CODE
    fi
}

TEST_SETTINGS_MODULES=(
    'mysite.settings.tests'
    'mysite.settings.tests_cr'
)

for TEST_SETTINGS_MODULE in "${TEST_SETTINGS_MODULES[@]}"
do
    if [ "$1" = "--coverage" ]
    then
        COMMAND="coverage run -a --source=candidates,elections --branch manage.py test --noinput --settings=$TEST_SETTINGS_MODULE"
    else
        COMMAND="./manage.py test --noinput --settings=$TEST_SETTINGS_MODULE"
    fi
    echo Running: $COMMAND
    $COMMAND
    update_exit_code
done

exit $EXIT_CODE
"""


def test_a_command_held_in_a_variable_the_script_assigns_is_the_value_assigned() -> None:
    found = [c.words[:2] for c in commands(RUN_TESTS) if c.line == 34]
    # both branches' values count, each read at the line the variable is run
    assert found == [("coverage", "run"), ("./manage.py", "test")]


def test_travis_running_a_script_that_runs_its_command_variable_runs_the_unit_tests(check: Callable[..., HookResult]) -> None:
    result = check({".travis.yml": TRAVIS_RUN_TESTS, "run-tests": RUN_TESTS, "manage.py": "import django\n"}, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "unit tests").startswith("met"), result.out


def test_a_command_variable_assigned_something_else_is_still_no_test_run(check: Callable[..., HookResult]) -> None:
    # leave alone: the variable holds a program that tests nothing, so the unit tests are still missing
    other = RUN_TESTS.replace('COMMAND="coverage run -a --source=candidates,elections --branch manage.py test --noinput '
                              '--settings=$TEST_SETTINGS_MODULE"', 'COMMAND="./manage.py check --deploy"')
    other = other.replace('COMMAND="./manage.py test --noinput --settings=$TEST_SETTINGS_MODULE"',
                          'COMMAND="./manage.py collectstatic --noinput"')
    result = check({".travis.yml": TRAVIS_RUN_TESTS, "run-tests": other, "manage.py": "import django\n"})
    assert rules(result) == ["ci-no-unit-tests"], result.out


def test_only_the_text_that_assigns_the_variable_gives_its_value() -> None:
    # a variable assigned by a command substitution, or nowhere, is left as written (unknown)
    found = commands('coverage=$(command -v coverage)\n"$coverage" run --module pytest\n$RUNNER lint\n')
    assert [c.words[0] for c in found[1:]] == ["$coverage", "$RUNNER"]
    # a literal branch beside it counts; ${ARGS:-} is nothing unless the caller sets it
    found = commands('if command -v coverage; then\n  coverage=$(command -v coverage)\nelse\n  coverage=$BIN/coverage\nfi\n'
                     '"$coverage" run ${COVERAGE_ARGS:-} --module pytest "$@"\n')
    assert found[-1].words == ("$BIN/coverage", "run", "--module", "pytest", "$@")
    # an array, and a variable set for one command only (not an assignment)
    found = commands('CMD=(pytest -x tests)\n"${CMD[@]}"\nTOOL=ruff make lint\n$TOOL check\n')
    assert found[1].words == ("pytest", "-x", "tests")
    assert found[-1].words == ("$TOOL", "check")
    # echo $COMMAND prints it, it does not run it
    assert [c.words for c in commands('CMD="pytest"\necho $CMD\n')][-1] == ("echo", "$CMD")
