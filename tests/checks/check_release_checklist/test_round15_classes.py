"""check-release-checklist: the classes of held-out round 15, each as a catch and a leave-alone pair on files
shaped like the real ones: a Jenkinsfile made of shared-library steps (``builderProjectTests 'app--ci',
'/srv/app'``), Django's manage run as a module (``coverage run -m pkg.manage test``), a staging folder nothing
loads whose settings module is a placeholder, and a Travis config whose Python versions cannot install the
Django the requirements pin."""
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

# ---- 1. a Jenkinsfile of shared-library steps ------------------------------------------------------------------

LIBRARY_JENKINSFILE = """\
teamPipeline {
    def commit
    stage 'Checkout', {
        checkout scm
        commit = teamGitRevision()
    }

    stage 'Project tests', {
        lock('shop-api--ci') {
            deployRevision 'shop-api--ci', commit
            builderProjectTests 'shop-api--ci', '/srv/shop-api'
        }
    }

    teamMainlineOnly {
        stage 'Approval', {
            teamGitMoveToBranch commit, 'approved'
        }
    }
}
"""

PROJECT_TESTS = "#!/bin/bash\nset -e\n. install.sh\n. .lint.sh\n. .test.sh\n"
LINT_SH = "#!/bin/bash\nset -e\npyflakes ./src/\npylint -E ./src\n"
TEST_SH = "#!/bin/bash\nset -e\npytest src --cov=src\n"
INSTALL_SH = "#!/bin/bash\nset -e\npip install -r requirements.txt\n"


def test_a_jenkinsfile_of_library_steps_is_a_part_that_cannot_be_read(check: Callable[..., HookResult]) -> None:
    result = check({"Jenkinsfile": LIBRARY_JENKINSFILE, "src/test_app.py": PYTEST_MODULE}, "--checklist")
    assert rules(result) == [], result.out
    assert "`teamPipeline`, `deployRevision`, `builderProjectTests`, steps of a Jenkins shared library" in result.err, result.err
    assert row(result, "lint").startswith("unknown")


def test_a_library_step_named_after_a_script_at_the_top_runs_it(check: Callable[..., HookResult]) -> None:
    files = {"Jenkinsfile": LIBRARY_JENKINSFILE, "project_tests.sh": PROJECT_TESTS, ".lint.sh": LINT_SH,
             ".test.sh": TEST_SH, "install.sh": INSTALL_SH, "src/test_app.py": PYTEST_MODULE}
    result = check(files, "--checklist")
    assert result.code == 0, result.out
    assert row(result, "lint").startswith("met") and row(result, "unit tests").startswith("met"), result.out


def test_a_jenkinsfile_of_shell_steps_is_read_and_judged(check: Callable[..., HookResult]) -> None:
    # built-in steps only (sh, stage, checkout, a function the file defines, a notification): read as before
    jenkinsfile = """\
@Library('team-shared-library') _

def runIn(String folder, String command) {
    dir(folder) { sh command }
}

pipeline {
    agent any
    stages {
        stage('Test') {
            steps {
                checkout scm
                sh 'pytest src'
                runIn('src', 'python -m compileall .')
            }
        }
    }
    post {
        always {
            script {
                slackNotifier(currentBuild.currentResult)
            }
        }
    }
}
"""
    result = check({"Jenkinsfile": jenkinsfile, "src/test_app.py": PYTEST_MODULE})
    assert rules(result) == ["ci-no-lint"], result.out
    assert "shared library" not in result.err


def test_library_object_calls_count_only_with_a_library_declared(check: Callable[..., HookResult]) -> None:
    jenkinsfile = """\
@Library("qe-shared-lib@master") _
node("ci") {
    stage("Run tests") {
        qeLib.runTests()
    }
}
"""
    result = check({"Jenkinsfile": jenkinsfile, "src/test_app.py": PYTEST_MODULE})
    assert rules(result) == [] and "`qeLib.runTests`" in result.err, result.out + result.err
    # without a declared library, `x.y()` is a method of a local value: read as before
    result = check({"Jenkinsfile": jenkinsfile.split("\n", 1)[1], "src/test_app.py": PYTEST_MODULE})
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out


# ---- 2. Django's manage run as a module ------------------------------------------------------------------------

TRAVIS_COMPOSE = """\
language: python
python:
  - "3.5"
services:
  - docker
script:
 - docker-compose run app sh -c 'pip3 install coverage && cd shop && coverage run --source=. -m {module} test && coverage report -m'
"""
MANAGE_MAIN = "import sys\nfrom django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n"
COMPOSE = "services:\n  app:\n    build: .\n"


@pytest.mark.parametrize("module", ["shop.manage", "manage"])
def test_manage_run_as_a_module_is_manage_py_test(check: Callable[..., HookResult], module: str) -> None:
    files = {".travis.yml": TRAVIS_COMPOSE.format(module=module), "shop/manage/__main__.py": MANAGE_MAIN,
             "docker-compose.yml": COMPOSE, "shop/tests.py": "from django.test import TestCase\n"}
    assert rules(check(files)) == ["ci-no-lint"]


def test_another_module_or_command_is_not_the_tests(check: Callable[..., HookResult]) -> None:
    files = {".travis.yml": TRAVIS_COMPOSE.format(module="shop.management"), "docker-compose.yml": COMPOSE,
             "shop/tests.py": "from django.test import TestCase\n"}
    assert rules(check(files)) == ["ci-no-lint", "ci-no-unit-tests"]
    files[".travis.yml"] = TRAVIS_COMPOSE.format(module="shop.manage").replace(" test &&", " check &&")
    assert rules(check(files)) == ["ci-no-lint", "ci-no-unit-tests"]


# ---- 3. a staging folder nothing loads, its settings module a placeholder ---------------------------------------

WORKFLOW = """\
name: Test
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt
      - run: ruff check .
      - run: pytest
"""
PLACEHOLDER = '"""\nAdd any config variables here that don\'t have to be private.\n"""\n\nPUBLIC_CONFIG_VAR = "STUFF"\n'
LOGGING = "version: 1\nhandlers:\n  console:\n    class: logging.StreamHandler\nroot:\n  level: INFO\n  handlers: [console]\n"
APP = 'import os\n\nenv = os.environ.get("FLASK_ENV", "development")\napp.config.from_pyfile("../config/config.py")\n'


def _staging_files(settings: str, app: str = APP) -> dict[str, str]:
    return {".github/workflows/test.yml": WORKFLOW, "tests/test_app.py": PYTEST_MODULE, "shop/__init__.py": app,
            "config/config.py": "DEBUG = False\n", "config/staging/config.py": settings,
            "config/staging/logging.yaml": LOGGING}


def test_a_placeholder_staging_folder_nothing_names_is_not_staging_config(check: Callable[..., HookResult]) -> None:
    result = check(_staging_files(PLACEHOLDER), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "staging-config check").startswith("nothing to verify")


def test_a_staging_folder_with_settings_or_named_by_the_code_is_staging_config(check: Callable[..., HookResult]) -> None:
    settings = 'DEBUG = False\nDATABASE_URL = "postgres://db/shop"\nALLOWED_HOSTS = ["staging.shop.example"]\n'
    assert rules(check(_staging_files(settings))) == ["ci-no-staging-check"]
    named = APP + 'app.config.from_pyfile("../config/staging/config.py")\n'
    assert rules(check(_staging_files(PLACEHOLDER, named))) == ["ci-no-staging-check"]


# ---- 4. a Travis config whose Pythons cannot install the pinned Django -----------------------------------------

TRAVIS = """\
language: python
python:
    - "3.6"
    - "3.7"
install:
    - pip install -r src/requirements.txt
before_script:
    - cd src
script:
    - flake8 shop
    - python manage.py test
"""
CODEQL = """\
name: CodeQL
on:
  push:
    branches: [main]
  pull_request:
    branches: [main]
jobs:
  analyze:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: github/codeql-action/init@v3
      - uses: github/codeql-action/analyze@v3
"""


def _travis_files(django: str) -> dict[str, str]:
    return {".travis.yml": TRAVIS, ".github/workflows/codeql.yml": CODEQL, "src/requirements.txt": "-r requirements/production.txt\n",
            "src/requirements/production.txt": f"Django=={django}\ncelery==5.5.3\n", "src/manage.py": MANAGE_MAIN,
            "src/shop/tests.py": "from django.test import TestCase\n"}


def test_a_travis_config_too_old_for_the_pinned_django_is_not_the_ci(check: Callable[..., HookResult]) -> None:
    result = check(_travis_files("6.0"))
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out
    assert "tests only Python 3.6, 3.7 while src/requirements/production.txt pins Django==6.0, which needs Python 3.12" in result.err


def test_a_travis_config_that_can_install_the_pinned_django_is_the_ci(check: Callable[..., HookResult]) -> None:
    assert rules(check(_travis_files("3.2"))) == []
    files = _travis_files("6.0")
    files[".travis.yml"] = TRAVIS.replace('    - "3.7"\n', '    - "3.7"\n    - "3.12"\n')
    assert rules(check(files)) == []
