"""check-release-checklist: the classes of held-out round 16, each as a catch and a leave-alone pair on files
shaped like the real ones: a Makefile whose targets live in the makefiles it ``include``s, a Cloud Build step
given as an argv list (``args: ['python', 'manage.py', 'test']``), a staging settings layer built from the
production one (``from .production import *``), and a Jenkinsfile whose declarative ``agent``/``tools`` blocks
hold options, not steps."""
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

# ---- 1. Makefile targets defined in included makefiles ----------------------------------------------------------

TRAVIS_MAKE = """\
language: python
python:
  - "3.9"
install:
  - make env
script:
  - make test
"""
ROOT_MAKEFILE = """\
default: build

include {first}
include {second}

.PHONY: env test

env: env-web env-api
test: test-web test-api
"""
WEB_MAKEFILE = """\
test-web:
\t@echo 'Running web tests...'
\tcd web && npm run test

env-web:
\tcd web && npm ci
"""
API_MAKEFILE = """\
PYTHON := api/env/bin/python

test-api:
\tapi/env/bin/coverage run --omit=api/env/* -m pytest api/shop
\tapi/env/bin/coverage xml

env-api:
\tvirtualenv api/env
"""


def _make_files(first: str = "web/Makefile", second: str = "api/Makefile", api: str = API_MAKEFILE) -> dict[str, str]:
    return {".travis.yml": TRAVIS_MAKE, "Makefile": ROOT_MAKEFILE.format(first=first, second=second),
            "web/Makefile": WEB_MAKEFILE, "api/Makefile": api, "api/shop/test_app.py": PYTEST_MODULE}


def test_targets_of_an_included_makefile_are_followed(check: Callable[..., HookResult]) -> None:
    result = check(_make_files(), "--checklist")
    assert rules(result) == ["ci-no-lint"], result.out
    assert row(result, "unit tests").startswith("met"), result.out


@pytest.mark.parametrize("first, second", [("web/Makefile", "$(wildcard api/Make*)"), ("web/Makefile", "api/*akefile")])
def test_an_include_by_variable_or_glob_is_followed(check: Callable[..., HookResult], first: str, second: str) -> None:
    assert rules(check(_make_files(first, second))) == ["ci-no-lint"]


def test_an_included_makefile_that_runs_no_tests_or_is_not_tracked_is_no_unit_tests(check: Callable[..., HookResult]) -> None:
    no_tests = API_MAKEFILE.replace("-m pytest api/shop", "-m compileall api/shop")
    assert rules(check(_make_files(api=no_tests))) == ["ci-no-lint", "ci-no-unit-tests"]
    # `-include` of a file the repo does not hold (generated at build time): nothing is read from it
    files = _make_files(second="api/Makefile.generated")
    files["Makefile"] = files["Makefile"].replace("include api/", "-include api/")
    assert rules(check(files)) == ["ci-no-lint", "ci-no-unit-tests"]


COMMON_VARS = """\
# to be included by the test makefiles:  include ../common-vars.mk
PYTEST=

ifndef PYTEST
    PYTEST=$(shell which pytest)
    ifeq ($(PYTEST),)
        PYTEST=$(shell which pytest-3)
    endif
endif

PYTESTARGS=
"""


def test_an_empty_variable_set_again_under_a_condition_is_not_empty(check: Callable[..., HookResult]) -> None:
    # the tests' Makefile includes the shared variables; `$(PYTEST)` is pytest, not the empty first value
    files = {".travis.yml": TRAVIS_MAKE, "Makefile": "test:\n\t$(MAKE) -C shop/tests $@\n",
             "shop/tests/common-vars.mk": COMMON_VARS, "shop/tests/Makefile": "include common-vars.mk\n\ntest:\n\t$(PYTEST) $(PYTESTARGS)\n",
             "shop/tests/test_app.py": PYTEST_MODULE}
    assert rules(check(files)) == ["ci-no-lint"]
    files["shop/tests/Makefile"] = files["shop/tests/Makefile"].replace("$(PYTEST) $(PYTESTARGS)", "$(PYTESTARGS) true")
    assert rules(check(files)) == ["ci-no-lint", "ci-no-unit-tests"]


# ---- 2. a Cloud Build step given as an argv list ----------------------------------------------------------------

CLOUDBUILD = """\
steps:
# lint
- name: gcr.io/$PROJECT_ID/runner
  args: ['flake8', '.', '--count', '--select=E9,F63,F7,F82', '--statistics']
  id: lint
# tests
- name: gcr.io/$PROJECT_ID/runner
  args: ['python', 'manage.py', '{subcommand}', '--verbosity=2', '--noinput']
  env: ['SHOP_DB=local']
  id: tests
- name: gcr.io/$PROJECT_ID/runner
  entrypoint: 'bash'
  args:
   - -c
   - |
      . setenv
      python manage.py collectstatic --noinput
      python manage.py migrate --noinput
  id: prepare
- name: gcr.io/cloud-builders/gcloud
  args: ['app', 'deploy', '--version=staging']
  id: deploy
"""
DJANGO_FILES = {"manage.py": "import sys\n", "shop/tests.py": "from django.test import TestCase\n"}


def test_an_argv_list_is_read_as_one_command_line(check: Callable[..., HookResult]) -> None:
    result = check({"cloudbuild.yaml": CLOUDBUILD.format(subcommand="test"), **DJANGO_FILES}, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "unit tests").startswith("met") and row(result, "lint").startswith("met"), result.out


def test_an_argv_list_of_another_command_is_not_the_tests(check: Callable[..., HookResult]) -> None:
    assert rules(check({"cloudbuild.yaml": CLOUDBUILD.format(subcommand="check"), **DJANGO_FILES})) == ["ci-no-unit-tests"]


def test_a_shell_given_a_script_by_args_runs_the_script(check: Callable[..., HookResult]) -> None:
    # entrypoint bash + args [-c, script]: the script is read line by line, as before
    shell = CLOUDBUILD.format(subcommand="check").replace("manage.py collectstatic --noinput", "manage.py test --noinput")
    assert rules(check({"cloudbuild.yaml": shell, **DJANGO_FILES})) == []
    # a one-line script in a flow list, with the shell's $0 after it
    flow = """\
steps:
- name: python:3.12
  entrypoint: sh
  args: ['-c', 'pip install -r requirements.txt && python manage.py {subcommand}', 'tests']
"""
    for subcommand, expected in (("test", ["ci-no-lint"]), ("check", ["ci-no-lint", "ci-no-unit-tests"])):
        assert rules(check({"cloudbuild.yaml": flow.format(subcommand=subcommand), **DJANGO_FILES})) == expected


# ---- 3. a staging settings layer built from the production one ---------------------------------------------------

GITLAB = """\
stages: [test, deploy]
test:
  stage: test
  script:
    - ruff check .
    - pytest
deploy staging:
  stage: deploy
  script:
    - ssh deploy@staging.example 'cd shop && git pull'
"""
PRODUCTION = 'from .base import *\n\nDEBUG = False\nALLOWED_HOSTS = env.list("ALLOWED_HOSTS")\n'
STAGING = """\
from .{layer} import *

INSTALLED_APPS += ["bandit"]
EMAIL_BACKEND = "bandit.backends.smtp.HijackSMTPBackend"
BANDIT_EMAIL = env.list("BANDIT_RCPTS", default=["support@shop.example"])
"""


def _settings(layer: str) -> dict[str, str]:
    return {".gitlab-ci.yml": GITLAB, "tests/test_app.py": PYTEST_MODULE, "config/__init__.py": "",
            "config/settings/__init__.py": "", "config/settings/base.py": 'import environ\n\nenv = environ.Env()\nDEBUG = True\n',
            "config/settings/production.py": PRODUCTION, "config/settings/staging.py": STAGING.format(layer=layer)}


def test_a_staging_layer_that_star_imports_production_is_not_staging_config(check: Callable[..., HookResult]) -> None:
    result = check(_settings("production"), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "staging-config check").startswith("nothing to verify"), result.out


def test_a_staging_layer_built_from_base_is_staging_config(check: Callable[..., HookResult]) -> None:
    assert rules(check(_settings("base"))) == ["ci-no-staging-check"]
    # a star import of production that is not at the module's top (chosen at run time) does not count
    files = _settings("base")
    files["config/settings/staging.py"] += "if env.bool('LIKE_PRODUCTION', default=False):\n    from .production import *\n"
    assert rules(check(files)) == ["ci-no-staging-check"]


# ---- 4. a Jenkinsfile's declarative option blocks ----------------------------------------------------------------

DECLARATIVE = """\
pipeline {
  agent {
    dockerfile {
      filename 'Dockerfile.ci'
      // pass the mail settings into the container
      args '-u root --env RECIPIENTS=$RECIPIENTS'
      additionalBuildArgs '--build-arg VERSION=1'
      reuseNode true
    }
  }
  tools {
    jdk 'jdk17'
    maven 'Maven 3'
  }
  options {
    buildDiscarder(logRotator(numToKeepStr: '20'))
  }
  environment {
    SUBJECT = "${env.PROJECT_NAME} - build ${env.BUILD_NUMBER}"
  }
  stages {
    stage('Test') {
      agent { docker { image 'python:3.12'; label 'linux' } }
      steps {
        sh 'pip install -r requirements.txt'
        sh 'pytest src'%s
      }
    }
  }
}
"""


def test_agent_and_tools_options_are_not_library_steps(check: Callable[..., HookResult]) -> None:
    result = check({"Jenkinsfile": DECLARATIVE % "", "src/test_app.py": PYTEST_MODULE})
    assert rules(result) == ["ci-no-lint"], result.out + result.err
    assert "shared library" not in result.err, result.err


def test_a_library_step_among_the_stages_is_still_one(check: Callable[..., HookResult]) -> None:
    result = check({"Jenkinsfile": DECLARATIVE % "\n        teamQualityGate 'shop'", "src/test_app.py": PYTEST_MODULE})
    assert rules(result) == [], result.out
    assert "`teamQualityGate`, step of a Jenkins shared library" in result.err, result.err


def test_a_repo_without_python_is_not_judged_on_python_lint_and_tests(check: Callable[..., HookResult]) -> None:
    # a Rails app's Jenkinsfile, now fully read: no Python linter or tests in it, and none to run
    files = {"Jenkinsfile": DECLARATIVE.replace("sh 'pytest src'", "sh 'bundle exec rails test'") % "",
             "Gemfile": "source 'https://rubygems.org'\n", "test/models/user_test.rb": "require 'test_helper'\n"}
    result = check(files, "--checklist")
    assert rules(result) == [], result.out
    assert "no Python in the repo" in result.err and row(result, "CI").startswith("not checked"), result.out + result.err
    # nor a manifest of another language: judged as before
    del files["Gemfile"]
    assert rules(check(files)) == ["ci-no-lint", "ci-no-unit-tests"]
    files["Gemfile"] = "source 'https://rubygems.org'\n"
    # one Python module is enough to be judged
    assert rules(check({**files, "tools/report.py": "print('ok')\n"})) == ["ci-no-lint", "ci-no-unit-tests"]
