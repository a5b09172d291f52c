"""check-release-checklist: the classes of wrong findings of held-out round 7, each as a catch and a
leave-alone pair on CI files and scripts shaped like the real ones: pyflakes (``pyflakes3`` run through
``xargs`` in dissemin's ``pyflakes.sh``) and the other Python linters' usual names counted as lint; an
invoke task whose namespace ``tasks.py`` imports from an installed package (digitalmarketplace-api:
``from dmdevtools.invoke_tasks import api_app_tasks; ns = api_app_tasks``) unreadable, so what it may do
is a "cannot be read here" notice, not a finding, as for an external reusable workflow."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.check_release_checklist import kinds as k
from tests.conftest import HookResult
from tests.helpers.release import fresh_repo_runner, row, rules

HOOK = "check-release-checklist"


@pytest.fixture
def check(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    return fresh_repo_runner(run_hook, tmp_path)




# -- pyflakes and the other linters' names (dissemin) ---------------------------------------------------------

DISSEMIN_TRAVIS = """\
dist: bionic
language: python
python:
  - "3.7"
services:
  - postgresql
  - redis-server
before_install:
  - sudo apt-get install -y gettext
  - export DJANGO_SETTINGS_MODULE=dissemin.settings
  - cp dissemin/settings/secret_template.py dissemin/settings/secret.py

install:
  - pip install pip --upgrade
  - pip install -r requirements.txt --upgrade
  - pip install -r requirements-dev.txt --upgrade
  - pip install coveralls
  - ./pyflakes.sh
  - pip freeze

before_script:
  - psql -c "CREATE DATABASE dissemin;" -U postgres

script:
  - python manage.py compilemessages --exclude qqq
  - coverage run --source=backend,deposit,dissemin,papers --omit="*/migrations/*,dissemin/settings/*" -m py.test
  - python manage.py compilescss

after_success:
  - coveralls
"""

PYFLAKES_SH = """\
#!/bin/bash
find -maxdepth 1 -type d | grep -vP "^.($|/dissemin|/notification|/src|/\\..*)" | xargs pyflakes3 > pyflakes.out
cat pyflakes.out
test \\! -s pyflakes.out
"""


def dissemin(script: str = PYFLAKES_SH) -> dict[str, str]:
    return {".travis.yml": DISSEMIN_TRAVIS, "pyflakes.sh": script, "manage.py": "import django\n",
            "papers/tests/test_models.py": "def test_paper():\n    assert True\n"}


def test_a_script_running_pyflakes3_through_xargs_is_lint(check: Callable[..., HookResult]) -> None:
    result = check(dissemin(), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met"), result.out


def test_a_script_that_only_lists_the_folders_is_no_lint(check: Callable[..., HookResult]) -> None:
    # leave alone: the same script without a linter lints nothing
    result = check(dissemin(PYFLAKES_SH.replace("xargs pyflakes3", "xargs ls")))
    assert rules(result) == ["ci-no-lint"], result.out


@pytest.mark.parametrize("command", [
    "pyflakes3 papers", "pyflakes .", "python -m pyflakes papers", "python3 -m pyflakes .", "pycodestyle papers",
    "pep8 --max-line-length=120 papers", "pydocstyle papers", "pylama papers", "prospector", "flakeheaven lint",
    "flakehell lint", "flake8p papers", "pylint3 papers", "find . -name '*.py' | xargs -n 20 pyflakes",
])
def test_the_python_linters_by_their_usual_names_are_lint(command: str) -> None:
    from hooks.checks.check_release_checklist.shell import commands

    found = set().union(*(k.classify(k.peel(c.words)) for c in commands(command)))
    assert k.LINT in found, command


@pytest.mark.parametrize("command", ["xargs rm -f", "find . -name '*.pyc' | xargs rm", "pyflakes-report.sh", "pep8ify ."])
def test_other_programs_are_no_lint(command: str) -> None:
    from hooks.checks.check_release_checklist.shell import commands

    found = set().union(*(k.classify(k.peel(c.words)) for c in commands(command)))
    assert k.LINT not in found, command


# -- invoke tasks from an installed package (digitalmarketplace-api) ------------------------------------------

DM_WORKFLOW = """\
name: Test
on: [pull_request]

jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: [ 3.9 ]
    services:
      postgres:
        image: postgres:12
        env:
          POSTGRES_PASSWORD: postgres
          POSTGRES_DB: digitalmarketplace_test
        ports:
          - "5432:5432"

    steps:
      - name: Check out repository code
        uses: actions/checkout@v3

      - name: Setup python (${{ matrix.python-version }})
        uses: actions/setup-python@v4
        with:
          python-version: ${{ matrix.python-version }}

      - name: Install developer tools
        run: make bootstrap

      - name: Install packages and run tests
        run: |
          invoke requirements-dev
          invoke test
        env:
          SQLALCHEMY_DATABASE_URI: postgresql://postgres:postgres@localhost:5432/digitalmarketplace_test
"""

DM_TASKS = """\
from invoke import task

from dmdevtools.invoke_tasks import (
    api_app_tasks,
    requirements_dev,
    virtualenv,
)


@task(virtualenv)
def run_migrations(c):
    \"\"\"Upgrade database schema\"\"\"
    c.run(f"flask db upgrade")


@task(virtualenv, requirements_dev)
def test_migrations(c):
    \"\"\"Check that migrations parse\"\"\"
    c.run("python scripts/list_migrations.py", hide=True)


ns = api_app_tasks
ns.add_task(run_migrations)
ns.add_task(test_migrations)

# add test-migrations to test
ns["test"].pre.insert(1, test_migrations)
"""

DM_MAKEFILE = """\
.DEFAULT_GOAL := bootstrap

.PHONY: bootstrap
bootstrap:
\tpip install digitalmarketplace-developer-tools
\t@echo done
"""


def digitalmarketplace(tasks: str = DM_TASKS, **extra: str) -> dict[str, str]:
    return {".github/workflows/test.yml": DM_WORKFLOW, "tasks.py": tasks, "Makefile": DM_MAKEFILE,
            "app/__init__.py": "", "tests/test_app.py": "def test_app():\n    assert True\n", **extra}


def test_an_invoke_task_from_an_installed_package_is_unreadable_not_missing(check: Callable[..., HookResult]) -> None:
    result = check(digitalmarketplace(), "--checklist")
    assert rules(result) == [], result.out + result.err
    assert "ci-no-lint: CI runs nothing that reaches a Python linter, but part of it cannot be read here " \
           "(tasks.py:3: task requirements-dev is defined in dmdevtools.invoke_tasks, an installed package; " \
           "tasks.py:3: task test is defined in dmdevtools.invoke_tasks, an installed package); not reported" in result.err
    assert row(result, "lint").startswith("unknown"), result.out
    assert row(result, "unit tests").startswith("met"), result.out  # still credited by the task's name


def test_an_invoke_task_defined_in_the_repos_tasks_py_is_read(check: Callable[..., HookResult]) -> None:
    # leave alone: a tasks.py that defines `test` itself (and imports only invoke) is read, and lints nothing
    tasks = """\
from invoke import Collection, task


@task
def requirements_dev(c):
    c.run("pip install -r requirements-dev.txt")


@task
def test(c):
    c.run("pytest tests")


ns = Collection(requirements_dev, test)
"""
    result = check(digitalmarketplace(tasks))
    assert rules(result) == ["ci-no-lint"], result.out + result.err
    assert "cannot be read here" not in result.err


def test_a_namespace_from_a_module_of_the_repo_is_no_installed_package(check: Callable[..., HookResult]) -> None:
    # leave alone: `from devtools.tasks import ...` where devtools/ is in the repo is the repo's own code
    tasks = DM_TASKS.replace("dmdevtools.invoke_tasks", "devtools.tasks")
    result = check(digitalmarketplace(tasks, **{"devtools/__init__.py": "", "devtools/tasks.py": "api_app_tasks = None\n"}))
    assert rules(result) == ["ci-no-lint"], result.out + result.err


def test_a_nox_session_imported_from_an_installed_package_is_unreadable(check: Callable[..., HookResult]) -> None:
    workflow = DM_WORKFLOW.replace("invoke requirements-dev\n          invoke test", "nox -s lint tests")
    noxfile = "import nox\n\nfrom acme_devtools.nox_sessions import lint, tests  # noqa: F401\n"
    result = check({".github/workflows/test.yml": workflow, "noxfile.py": noxfile, "app/__init__.py": ""})
    assert rules(result) == [], result.out + result.err
    # leave alone: a noxfile defining its sessions, none of which lints
    own = "import nox\n\n\n@nox.session\ndef lint(session):\n    session.run('echo', 'ok')\n\n\n" \
          "@nox.session\ndef tests(session):\n    session.run('pytest')\n"
    result = check({".github/workflows/test.yml": workflow, "noxfile.py": own, "app/__init__.py": ""})
    assert rules(result) == ["ci-no-lint"], result.out + result.err
