"""check-release-checklist: the classes of wrong findings of held-out round 6, each as a catch and a
leave-alone pair on CI files and scripts shaped like the real ones: a command held in a shell variable
the script assigns (yournextrepresentative's ``run-tests``: ``COMMAND="coverage run ... manage.py test";
$COMMAND``); ``npm run <script>`` followed into package.json ``scripts`` (tabbycat: ``npm run lint`` runs
``pre-commit run --all-files``, whose config runs flake8); a pytest marker filter read as what it deselects,
not as every integration folder, and ``just`` recipes followed through ``{{ just_executable() }}``, a
``docker/recipe`` path and ``mod`` modules (job-server); a dead Travis config not credited as the CI
(otm-core)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.check_release_checklist import kinds as k
from hooks.checks.check_release_checklist.shell import commands
from tests.conftest import HookResult
from tests.helpers.release import fresh_repo_runner, row, rules

HOOK = "check-release-checklist"


@pytest.fixture
def check(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    return fresh_repo_runner(run_hook, tmp_path)




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


# -- npm run <script> followed into package.json (tabbycat) ---------------------------------------------------

DJANGO_WORKFLOW = """\
name: Django CI

on:
  push:
    branches: [develop]
  pull_request:

jobs:
  build-ubuntu:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:14
        env:
          POSTGRES_PASSWORD: tabbycat
        ports:
          - 5432:5432
    steps:
    - uses: actions/checkout@v4
    - uses: actions/setup-python@v5
      with:
        python-version: '3.11'
    - name: Set up Node.js
      uses: actions/setup-node@v3
      with:
        node-version-file: '.nvmrc'
    - name: Install dependencies
      run: |
        python -m pip install --upgrade pip
        python -m pip install pipenv
        pipenv install --system --dev --deploy
        npm ci
    - name: Run linting
      run: npm run lint
    - name: Run build and collect
      run: |
        npm run build
        python ./tabbycat/manage.py collectstatic --noinput -v 0
    - name: Run tests
      run: python ./tabbycat/manage.py test --parallel 4
"""

PACKAGE_JSON = """\
{
  "name": "tabbycat",
  "private": true,
  "scripts": {
    "serve": "npm-run-all -p serve-*",
    "build": "NODE_ENV='production' npm-run-all -p build-* cp-*",
    "build-vue": "npx vue-cli-service build",
    "lint": "pre-commit run --all-files",
    "lint-vue": "npx eslint --ext .js,.vue tabbycat/templates/"
  },
  "devDependencies": {
    "npm-run-all": "^4.1.5"
  }
}
"""

PRECOMMIT_FLAKE8 = """\
exclude: locale/|^tabbycat/static/
repos:
- repo: https://github.com/pre-commit/pre-commit-hooks
  rev: v2.4.0
  hooks:
  - id: trailing-whitespace
- repo: https://github.com/PyCQA/flake8
  rev: 5.0.4
  hooks:
  - id: flake8
    additional_dependencies:
    - flake8-quotes
    exclude: migrations/
"""


def test_npm_run_lint_whose_script_runs_pre_commit_with_flake8_is_lint(check: Callable[..., HookResult]) -> None:
    files = {".github/workflows/django.yml": DJANGO_WORKFLOW, "package.json": PACKAGE_JSON,
             ".pre-commit-config.yaml": PRECOMMIT_FLAKE8, "tabbycat/manage.py": "import django\n"}
    result = check(files, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met"), result.out
    # yarn and pnpm name the script directly
    for run in ("yarn lint", "yarn run lint", "pnpm run lint", "pnpm lint", "npm run-script lint"):
        other = {**files, ".github/workflows/django.yml": DJANGO_WORKFLOW.replace("run: npm run lint", f"run: {run}")}
        assert rules(check(other)) == [], run


def test_npm_run_lint_whose_script_lints_only_javascript_is_no_python_lint(check: Callable[..., HookResult]) -> None:
    # leave alone: the script runs eslint; npm runs it in frontend/, whose package.json says so
    workflow = DJANGO_WORKFLOW.replace("run: npm run lint", "run: npm run lint --prefix frontend")
    frontend = PACKAGE_JSON.replace('"pre-commit run --all-files"', '"eslint --ext .js,.vue src/"')
    files = {".github/workflows/django.yml": workflow, "package.json": PACKAGE_JSON, "frontend/package.json": frontend,
             ".pre-commit-config.yaml": PRECOMMIT_FLAKE8, "tabbycat/manage.py": "import django\n"}
    assert rules(check(files)) == ["ci-no-lint"]
    # a script package.json does not have, and npm's own commands, are not followed anywhere
    for run in ("npm run lint-python", "yarn install --frozen-lockfile", "npm ci"):
        other = {**files, ".github/workflows/django.yml": DJANGO_WORKFLOW.replace("run: npm run lint", f"run: {run}")}
        assert rules(check(other)) == ["ci-no-lint"], run


def test_npm_test_runs_the_test_script_and_its_pre_script(check: Callable[..., HookResult]) -> None:
    workflow = DJANGO_WORKFLOW.replace("run: npm run lint", "run: npm test").replace(
        "run: python ./tabbycat/manage.py test --parallel 4", "run: echo done")
    package = PACKAGE_JSON.replace('"lint": "pre-commit run --all-files",',
                                   '"pretest": "ruff check .",\n    "test": "cd tabbycat && python manage.py test",')
    files = {".github/workflows/django.yml": workflow, "package.json": package, "tabbycat/manage.py": "import django\n"}
    result = check(files, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "unit tests").startswith("met") and row(result, "lint").startswith("met"), result.out


# -- marker filters and just recipes (job-server) -------------------------------------------------------------

JOB_SERVER_MAIN = """\
name: CI

on:
  push:
  pull_request:

jobs:
  test:
    name: Python & JS tests
    runs-on: ubuntu-24.04
    services:
      postgres:
        image: postgres:14
        env:
          POSTGRES_USER: user
          POSTGRES_PASSWORD: password
        ports:
          - 5432:5432
    steps:
      - uses: actions/checkout@v4
      - uses: opensafely-core/setup-action@v1
        with:
          install-just: true
      - name: Run tests
        env:
          DATABASE_URL: postgres://user:password@localhost/jobserver
        run: |
          just check-migrations
          just lint
          # hardcode n because auto=2 in CI for some reason
          just test-ci -n 4

  test-functional:
    name: Docker functional tests
    runs-on: ubuntu-24.04
    needs: [test]
    steps:
      - uses: actions/checkout@v4
      - name: Build docker image and run functional tests in it
        run: |
          # build docker and run test
          just docker-test-functional
"""

JUSTFILE = """\
set dotenv-load := true

export BIN := "venv/bin"

# list available commands
default:
    @{{ just_executable() }} --list

check-migrations: devenv
    $BIN/python manage.py makemigrations --dry-run --check

test-ci *args: assets
    #!/bin/bash
    export COVERAGE_PROCESS_START="pyproject.toml"
    ./scripts/test-coverage.sh -m "not verification and not functional and not docker_test" {{ args }}

format: devenv
    $BIN/ruff format --check .

lint: devenv
    $BIN/ruff check --output-format=full .

# run functional tests in docker container
docker-test-functional *args="":
    {{ just_executable() }} docker/test-functional {{ args }}
"""

DOCKER_JUSTFILE = """\
set dotenv-load := true

# an alias to allow us to use this recipe from the justfile in the parent directory
_dotenv:
    {{ just_executable() }} --justfile {{ justfile_directory() }}/../justfile _dotenv

build env="dev": _dotenv
    docker compose build --pull {{ env }}

# run functional tests in docker container
test-functional *args="": _dotenv build
    docker compose run --rm test python -m pytest \\
    -m "functional" {{ args }}
"""

TEST_COVERAGE = """\
#!/usr/bin/env bash
set -euo pipefail

if command -v coverage; then
    # use coverage on path (if venv activated)
    coverage=$(command -v coverage)
else
    # assume BIN provided by justfile (if not)
    coverage=$BIN/coverage
fi

rc=0
set -x

"$coverage" erase
# shellcheck disable=SC2086
"$coverage" run ${COVERAGE_ARGS:-} --module pytest "$@" || rc=$?
"$coverage" combine

# shellcheck disable=SC2086
"$coverage" report ${COVERAGE_REPORT_ARGS:-} || { rc=$?; "$coverage" html ${COVERAGE_REPORT_ARGS:-}; }

exit $rc
"""

FUNCTIONAL_TEST = """\
import pytest
from playwright.sync_api import expect


pytestmark = pytest.mark.functional


def test_index_page(live_server, page):
    page.goto(live_server.url)
    expect(page).to_have_title("OpenSAFELY Jobs")
"""

INTEGRATION_TEST = """\
import pytest

from ..factories import UserFactory


@pytest.mark.django_db
@pytest.mark.slow_test
def test_applications_flow(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/applications/").status_code == 200
"""


def no_services(workflow: str) -> str:
    start = workflow.index("    services:\n")
    return workflow[:start] + workflow[workflow.index("    steps:\n", start):]


def job_server(**changes: str) -> dict[str, str]:
    files = {".github/workflows/main.yml": JOB_SERVER_MAIN, "justfile": JUSTFILE, "docker/justfile": DOCKER_JUSTFILE,
             "scripts/test-coverage.sh": TEST_COVERAGE, "manage.py": "import django\n",
             "tests/__init__.py": "", "tests/functional/test_index_page.py": FUNCTIONAL_TEST,
             "tests/integration/test_applications.py": INTEGRATION_TEST}
    files.update({name.replace("__", "/").replace("_DOT_", "."): text for name, text in changes.items()})
    return files


def test_a_marker_filter_drops_only_the_tests_carrying_the_marker(check: Callable[..., HookResult]) -> None:
    # -m "not functional" deselects tests/functional (marked), not the unmarked tests/integration: with
    # Postgres under services: that is met anyway, so without it the folders decide
    workflow = no_services(JOB_SERVER_MAIN.split("  test-functional:")[0])  # only the job that runs test-ci
    result = check(job_server(**{".github/workflows/main_DOT_yml": workflow}), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "integration check").startswith("met"), result.out
    # the same filter written in the script itself
    script = TEST_COVERAGE.replace('--module pytest "$@"', '--module pytest -m "not functional" "$@"')
    justfile = JUSTFILE.replace(' -m "not verification and not functional and not docker_test"', "")
    result = check(job_server(**{".github/workflows/main_DOT_yml": workflow, "scripts__test-coverage_DOT_sh": script,
                                 "justfile": justfile}))
    assert rules(result) == [], result.out


def test_a_marker_filter_that_deselects_the_marked_integration_folder_leaves_it_unrun(check: Callable[..., HookResult]) -> None:
    # catch: tests/integration carries the marker the run deselects, by pytestmark or by its conftest
    workflow = no_services(JOB_SERVER_MAIN.split("  test-functional:")[0])
    marked = INTEGRATION_TEST.replace("@pytest.mark.django_db\n", "pytestmark = pytest.mark.functional\n\n\n@pytest.mark.django_db\n")
    result = check(job_server(**{".github/workflows/main_DOT_yml": workflow, "tests__integration__test_applications_DOT_py": marked}))
    assert rules(result) == ["ci-no-integration-check"], result.out
    conftest = ("import pytest\n\n\ndef pytest_collection_modifyitems(items):\n    for item in items:\n"
                "        if 'integration' in str(item.fspath):\n            item.add_marker(pytest.mark.functional)\n")
    result = check(job_server(**{".github/workflows/main_DOT_yml": workflow, "tests__conftest_DOT_py": conftest}))
    assert rules(result) == ["ci-no-integration-check"], result.out
    # -k matches folder and module names: -k "not integration" does drop tests/integration
    script = TEST_COVERAGE.replace('--module pytest "$@"', '--module pytest -k "not integration" "$@"')
    result = check(job_server(**{".github/workflows/main_DOT_yml": workflow, "scripts__test-coverage_DOT_sh": script}))
    assert rules(result) == ["ci-no-integration-check"], result.out


def test_negated_markers_and_the_folders_they_drop() -> None:
    assert k.test_scope(("pytest", "-m", "not verification and not (functional or docker_test)")) == \
        ("", "!mark:verification", "!mark:functional", "!mark:docker_test")
    assert k.test_scope(("pytest", "-m", "integration")) == ("",)
    scope = k.test_scope(("pytest", "-m", "not integration"))
    # a marker named like the folder is not the folder: only the folder's own marks count
    assert k.collects(scope, ["tests/integration"], lambda folder, marker: False)
    assert not k.collects(scope, ["tests/integration"], lambda folder, marker: marker == "integration")


def test_just_executable_recipe_paths_and_modules_are_followed(check: Callable[..., HookResult]) -> None:
    # the functional tests run only in the docker recipe; tests/integration is marked too, so the
    # docker recipe (-m functional) is the only integration run
    unit_only = JUSTFILE.replace('-m "not verification and not functional and not docker_test"', '-m "not functional"')
    marked = INTEGRATION_TEST.replace("@pytest.mark.django_db\n", "pytestmark = pytest.mark.functional\n\n\n@pytest.mark.django_db\n")
    plain = no_services(JOB_SERVER_MAIN)
    base = {"justfile": unit_only, "tests__integration__test_applications_DOT_py": marked, ".github/workflows/main_DOT_yml": plain}
    assert rules(check(job_server(**base))) == [], "just docker/test-functional"
    module = unit_only.replace("set dotenv-load := true\n", "set dotenv-load := true\n\nmod docker\n")
    for call in ("just docker::test-functional", "just docker test-functional"):
        moduled = module.replace("{{ just_executable() }} docker/test-functional {{ args }}", call)
        assert rules(check(job_server(**{**base, "justfile": moduled}))) == [], call
    # leave alone: the module recipe only builds the image, so nothing runs the integration tests
    builds = DOCKER_JUSTFILE.replace('docker compose run --rm test python -m pytest \\\n    -m "functional" {{ args }}',
                                     "docker compose build test")
    result = check(job_server(**{**base, "docker__justfile": builds}))
    assert rules(result) == ["ci-no-integration-check"], result.out


# -- a dead Travis config (otm-core) ----------------------------------------------------------------------------

OTM_TRAVIS = """\
language: python

python: "2.7"

services:
  - redis-server
  - postgresql

dist: trusty

install:
  - pip install -r travis-requirements.txt
  - npm install

before_script:
  - cp ci/local_settings.py opentreemap/opentreemap/settings/local_settings.py
  - python opentreemap/manage.py migrate --noinput

script:
  - flake8 --exclude migrations,*.pyc opentreemap
  - npm run test
  - cd opentreemap && coverage run --rcfile=../.coveragerc --source=. manage.py test

after_success:
  coveralls
"""

OTM_TRIGGER = """\
name: CI to trigger otm-cluster app image build

on: push

jobs:
  ci:
    name: Trigger otm-cluster app image build
    runs-on: ubuntu-latest
    steps:
      - name: Clone otm-cluster
        run: |
          mkdir -p ./src
          cd ./src
          git clone https://${{ secrets.ACCESS_TOKEN }}@github.com/OpenTreeMap/otm-cluster.git
      - name: Commit and push files
        run: |
          cd src/otm-cluster
          git commit -a -m "Trigger app build"
          git push
"""

OTM_README = """\
![OTM2 open source logo](https://opentreemap.github.io/images/logo@2x.png)

[![Build Status](https://travis-ci.org/OpenTreeMap/otm-core.svg?branch=master)](https://travis-ci.org/OpenTreeMap/otm-core)

# OpenTreeMap 2
"""


def otm(**changes: str) -> dict[str, str]:
    files = {".travis.yml": OTM_TRAVIS, ".github/workflows/ci-otm-core.yml": OTM_TRIGGER, "README.md": OTM_README,
             "opentreemap/manage.py": "import django\n"}
    files.update({name.replace("__", "/").replace("_DOT_", "."): text for name, text in changes.items()})
    return {name: text for name, text in files.items() if text}


def test_a_travis_config_whose_badge_points_to_travis_ci_org_beside_github_actions_is_dead(check: Callable[..., HookResult]) -> None:
    result = check(otm())
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out
    assert ".travis.yml is not counted as CI: README.md's build badge points to travis-ci.org" in result.out
    assert result.lines[0].startswith(".github/workflows/ci-otm-core.yml:5:1: ")


def test_a_travis_config_testing_only_python_2_for_a_python_3_project_is_dead(check: Callable[..., HookResult]) -> None:
    files = otm(**{"README_DOT_md": "# OpenTreeMap 2\n", "setup_DOT_py": "from setuptools import setup\n\n"
                   "setup(name='otm', python_requires='>=3.6')\n"})
    result = check(files)
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out
    assert "it tests only Python 2.7 while setup.py requires Python 3" in result.out


def test_a_travis_config_that_may_still_run_is_credited(check: Callable[..., HookResult]) -> None:
    # leave alone: the badge moved to travis-ci.com; no GitHub Actions beside it (cabot); Python 3 tested
    # too; Python 2 only, but nothing says the project needs 3
    com = OTM_README.replace("travis-ci.org", "travis-ci.com")
    for files in (otm(**{"README_DOT_md": com}), otm(**{".github__workflows__ci-otm-core_DOT_yml": ""}),
                  otm(**{"README_DOT_md": "# OTM\n", "_DOT_travis_DOT_yml": OTM_TRAVIS.replace('python: "2.7"',
                                                                                         'python:\n  - "2.7"\n  - "3.6"'),
                         "setup_DOT_py": "from setuptools import setup\n\nsetup(python_requires='>=3.6')\n"}),
                  otm(**{"README_DOT_md": "# OTM\n"})):
        result = check(files)
        assert rules(result) == [], result.out
        assert "not counted as CI" not in result.out
