"""check-release-checklist: the classes of held-out round 12, each as a catch and a leave-alone pair on files
shaped like the real ones: a CI outside the repo that the contributing guide says runs the tests and lint on
every pull request (a notice, not findings); Makefile target lists built with ``$(wildcard)``/``$(filter-out)``
and a static pattern rule running each test module; the project's own unittest runner script; Azure Pipelines
kept below the top of the tree, with local templates; a CI file of a system this hook does not know."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.check_release_checklist.reach import Repo, make_eval, read_makefile, runs_tests
from tests.conftest import HookResult
from tests.helpers.release import fresh_repo_runner, row, rules

HOOK = "check-release-checklist"


@pytest.fixture
def check(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    return fresh_repo_runner(run_hook, tmp_path)


def memory_repo(files: dict[str, str]) -> Repo:
    return Repo(list(files), files.get, lambda path: None)


PYTEST_MODULE = "def test_ok():\n    assert True\n"
UNITTEST_MODULE = """\
import unittest


class TestThing(unittest.TestCase):
    def test_ok(self):
        self.assertTrue(True)


if __name__ == '__main__':
    unittest.main()
"""

# ---- 1. CI outside the repo, described in the contributing guide ----------------------------------------------

# Only publishing workflows: a tag-triggered caller and the reusable template it calls (sorts first).
PUBLISH_CALLER = """\
on:
  push:
    tags:
      - '*.*.*'
  workflow_dispatch:

jobs:
  build_images:
    strategy:
      matrix:
        target: [api, worker]
    uses: ./.github/workflows/images_template.yaml
    with:
      component: ${{ matrix.target }}
"""
PUBLISH_TEMPLATE = """\
on:
  workflow_call:
    inputs:
      component:
        required: true
        type: string

jobs:
  build_image:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/build-push-action@v5
        with:
          push: true
          tags: registry.example.org/app/${{ inputs.component }}
"""
CONTRIBUTING_JENKINS = """\
Contributing
============

Automatic Tests
---------------

Every pull request - and further updates made to it - trigger an automatic evaluation of your changes
through our Jenkins infrastructure, and results come back within 20 minutes. In short there are 3 types
of checks done by jenkins:

1. **unit tests**: all the unit tests are executed on top of your changes and compared against a baseline.

2. **pylint**: modules touched in your pull request get re-evaluated and a score is given.

3. **pycodestyle**: the pep8 checks.

Code Review
-----------

Every pull request has to be reviewed by at least one developer.
"""
CONTRIBUTING_PASSING = """\
Contributing
============

Releases
--------

Every pull request is reviewed by a maintainer. Releases are built by our Jenkins server and pushed to the
registry; see the wiki.

Testing
-------

Run the unit tests with `pytest` and pylint before you open a pull request.
"""

PUBLISHING = {".github/workflows/publish.yaml": PUBLISH_CALLER,
              ".github/workflows/images_template.yaml": PUBLISH_TEMPLATE,
              "src/app/__init__.py": "", "test/test_app.py": PYTEST_MODULE}


def test_ci_described_in_the_contributing_guide_is_a_notice_not_findings(check: Callable[..., HookResult]) -> None:
    result = check({**PUBLISHING, "CONTRIBUTING.rst": CONTRIBUTING_JENKINS}, "--checklist")
    assert "ci-no-lint" not in rules(result) and "ci-no-unit-tests" not in rules(result), result.out
    assert "CONTRIBUTING.rst:" in result.err and "Jenkins runs the tests and lint on pull requests" in result.err, result.err
    assert row(result, "lint").startswith("unknown"), result.out


def test_jenkins_mentioned_in_passing_leaves_the_findings(check: Callable[..., HookResult]) -> None:
    # Jenkins builds the releases; the tests paragraph names no CI: nothing says Jenkins runs the tests
    result = check({**PUBLISHING, "CONTRIBUTING.rst": CONTRIBUTING_PASSING})
    assert {"ci-no-lint", "ci-no-unit-tests"} <= set(rules(result)), result.out
    assert "Jenkins" not in result.err, result.err


def test_a_jenkinsfile_in_the_repo_is_read_not_described(check: Callable[..., HookResult]) -> None:
    jenkinsfile = "pipeline {\n  stages {\n    stage('build') {\n      steps { sh 'python -m build' }\n    }\n  }\n}\n"
    result = check({**PUBLISHING, "CONTRIBUTING.rst": CONTRIBUTING_JENKINS, "Jenkinsfile": jenkinsfile})
    assert {"ci-no-lint", "ci-no-unit-tests"} <= set(rules(result)), result.out


TASKCLUSTER = """\
version: 1
policy:
    pullRequests: public
tasks:
    - $let:
          project: app
      in:
          $if: 'tasks_for == "github-pull-request" && event.action in ["opened", "reopened", "synchronize"]'
          then:
              taskGroupId: '${ownTaskId}'
"""


def test_a_taskcluster_pipeline_is_a_part_that_cannot_be_read(check: Callable[..., HookResult]) -> None:
    result = check({**PUBLISHING, ".taskcluster.yml": TASKCLUSTER})
    assert "ci-no-lint" not in rules(result) and "ci-no-unit-tests" not in rules(result), result.out
    assert ".taskcluster.yml: Taskcluster pipelines are not read here" in result.err, result.err


def test_with_no_pull_request_workflow_findings_sit_on_the_caller_not_the_reusable_template(
        check: Callable[..., HookResult]) -> None:
    result = check(PUBLISHING)
    places = {line.split(": ")[0] for line in result.lines if "ci-no-lint" in line or "ci-no-unit-tests" in line}
    assert places == {".github/workflows/publish.yaml:7:1"}, result.out


def test_a_lone_reusable_template_still_carries_them(check: Callable[..., HookResult]) -> None:
    # leave alone: nothing else to point at
    result = check({".github/workflows/images_template.yaml": PUBLISH_TEMPLATE, "src/app/__init__.py": "",
                    "test/test_app.py": PYTEST_MODULE})
    assert any(line.startswith(".github/workflows/images_template.yaml:8:") for line in result.lines), result.out


# ---- 2. Makefile lists and static pattern rules ------------------------------------------------------------------

MAKEFILE = """\
MODULES=app tests

lint:
\tflake8 $(MODULES)

mypy:
\tmypy --ignore-missing-imports $(MODULES)

tests:=$(wildcard tests/test_*.py)
serial_tests:=tests/test_search.py \\
              tests/test_indexer.py
parallel_tests:=$(filter-out $(serial_tests),$(tests))

test: $(tests)
\tcoverage combine

parallel_test: $(parallel_tests)

serial_test:
\t$(MAKE) -j1 $(serial_tests)

$(tests): %.py : mypy lint
\tcoverage run -p --source=app $*.py $(UNITTEST_OPTS)
"""
GITLAB_MAKE = """\
stages:
  - test

.tests:
  stage: test
  image: python:3.12

unit_tests:
  extends: .tests
  script:
    - make -j4 parallel_test

test_search:
  extends: .tests
  script:
    - make -j1 tests/test_search.py
"""


def make_repo(module: str, makefile: str = MAKEFILE) -> dict[str, str]:
    return {".gitlab-ci.yml": GITLAB_MAKE, "Makefile": makefile, "app/__init__.py": "",
            "tests/__init__.py": "", "tests/test_api.py": module, "tests/test_search.py": module,
            "tests/test_indexer.py": module}


def test_static_pattern_rule_over_a_wildcard_list_runs_lint_and_each_test_module(check: Callable[..., HookResult]) -> None:
    result = check(make_repo(UNITTEST_MODULE), "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met"), result.out
    assert row(result, "unit tests").startswith("met"), result.out


def test_test_modules_without_a_runner_are_not_a_test_run(check: Callable[..., HookResult]) -> None:
    # leave alone: `coverage run tests/test_x.py` on a module with no unittest.main() runs nothing
    result = check({**make_repo(PYTEST_MODULE), "Makefile": MAKEFILE.replace("%.py : mypy lint", "%.py :")})
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out


def test_unreadable_prerequisites_judge_the_target_by_its_name(check: Callable[..., HookResult]) -> None:
    makefile = "parallel_test: $(shell ls tests/test_*.py)\n\ncoverage:\n\tcoverage combine\n"
    result = check({**make_repo(UNITTEST_MODULE, makefile), "setup.cfg": "[flake8]\nmax-line-length = 100\n"}, "--checklist")
    assert row(result, "unit tests").startswith("met"), result.out


def test_unreadable_prerequisites_of_a_build_target_are_not_tests(check: Callable[..., HookResult]) -> None:
    # leave alone: a target named for a build is not taken for a test run
    makefile = "parallel_test: $(shell ls dist/*.whl)\n"
    gitlab = GITLAB_MAKE.replace("make -j4 parallel_test", "make -j4 bundle").replace("make -j1 tests/test_search.py",
                                                                                         "make -j1 bundle")
    result = check({**make_repo(UNITTEST_MODULE, makefile.replace("parallel_test", "bundle")), ".gitlab-ci.yml": gitlab})
    assert "ci-no-unit-tests" in rules(result), result.out


# A Makefile in contrib/docker that runs the project's targets inside the container, in another tree.
DOCKER_MAKEFILE = """\
MAKE = make -C /opt/app/
TEST_TARGETS = test test-all

.PHONY: build run $(TEST_TARGETS)

build:
\tdocker compose build --pull

run:
\tdocker compose up -d

$(TEST_TARGETS): run
\tdocker compose exec app $(MAKE) $@
"""
GITLAB_DOCKER = """\
Build and test:
  image: docker:latest
  services:
    - docker:dind
  script:
    - cd contrib/docker
    - make build
    - make test-all
"""


def test_a_target_list_rule_running_make_elsewhere_is_judged_by_the_goal_name(check: Callable[..., HookResult]) -> None:
    # `$(TEST_TARGETS): run` with `$(MAKE) $@` where MAKE is `make -C /opt/app/`: the goal runs in a tree not
    # in the repo, so it is judged by its name (test-all), as before the lists were evaluated
    result = check({".gitlab-ci.yml": GITLAB_DOCKER, "contrib/docker/Makefile": DOCKER_MAKEFILE, "app/__init__.py": "",
                    "tests/test_app.py": PYTEST_MODULE}, "--checklist")
    assert row(result, "unit tests").startswith("met"), result.out


def test_a_build_goal_of_the_same_makefile_is_no_test_run(check: Callable[..., HookResult]) -> None:
    # leave alone: only `make build` runs
    gitlab = GITLAB_DOCKER.replace("    - make test-all\n", "")
    result = check({".gitlab-ci.yml": gitlab, "contrib/docker/Makefile": DOCKER_MAKEFILE, "app/__init__.py": "",
                    "tests/test_app.py": PYTEST_MODULE})
    assert "ci-no-unit-tests" in rules(result), result.out


def test_a_prerequisite_with_unreadable_prerequisites_is_not_judged_by_its_name(check: Callable[..., HookResult]) -> None:
    # leave alone: `check: golangci-lint` where `golangci-lint: $(LOCALBIN)/golangci-lint` (a Go linter installed
    # to a folder from $(shell pwd)) is no Python lint; only a goal the CI names is judged by its name
    makefile = ("LOCALBIN ?= $(shell pwd)/bin\n\ncheck: golangci-lint\n\t$(LOCALBIN)/golangci-lint run\n\n"
                "golangci-lint: $(LOCALBIN)/golangci-lint\n")
    gitlab = GITLAB_MAKE.replace("make -j4 parallel_test", "make check").replace("make -j1 tests/test_search.py", "pytest")
    result = check({**make_repo(PYTEST_MODULE, makefile), ".gitlab-ci.yml": gitlab})
    assert rules(result) == ["ci-no-lint"], result.out


def test_make_eval_common_forms() -> None:
    repo = memory_repo({"tests/test_a.py": "", "tests/test_b.py": "", "tests/helpers.py": "", "sub/tests/test_c.py": ""})
    variables = {"tests": "$(wildcard tests/test_*.py)", "serial": "tests/test_b.py", "SRC": "a.py b.py"}
    assert make_eval("$(wildcard tests/test_*.py)", variables, repo, "") == "tests/test_a.py tests/test_b.py"
    assert make_eval("$(filter-out $(serial),$(tests))", variables, repo, "") == "tests/test_a.py"
    assert make_eval("$(filter %_b.py,$(tests))", variables, repo, "") == "tests/test_b.py"
    assert make_eval("$(patsubst tests/%.py,%,$(tests))", variables, repo, "") == "test_a test_b"
    assert make_eval("$(SRC:.py=.pyc)", variables, repo, "") == "a.pyc b.pyc"
    assert make_eval("$(addprefix run-,$(notdir $(tests)))", variables, repo, "") == "run-test_a.py run-test_b.py"
    assert make_eval("$(wildcard tests/test_*.py)", variables, repo, "sub") == "tests/test_c.py"
    assert make_eval("$(shell ls) $(UNKNOWN)", variables, repo, "") == "$(shell ls) $(UNKNOWN)"


def test_read_makefile_static_pattern_rule_gives_each_target_its_stem() -> None:
    files = {"Makefile": MAKEFILE, "tests/test_api.py": "", "tests/test_search.py": ""}
    targets, _ = read_makefile(memory_repo(files), "Makefile")
    assert targets["tests/test_api.py"].prerequisites == ["mypy", "lint"]
    assert [c.words for c in targets["tests/test_api.py"].recipe] == [
        ("coverage", "run", "-p", "--source=app", "tests/test_api.py", "$(UNITTEST_OPTS)")]
    assert targets["parallel_test"].prerequisites == ["tests/test_api.py"]
    assert not targets["parallel_test"].unread


# ---- 3. The project's own unittest runner ---------------------------------------------------------------------------

ALL_TESTS = """\
#!/usr/bin/env python
if '__main__' == __name__:
    import glob
    import sys
    import unittest

    test_file_strings = [x for x in glob.glob('*_tests.py') if x not in __file__]
    module_strings = [file_string[0:len(file_string) - 3] for file_string in test_file_strings]
    suites = [unittest.defaultTestLoader.loadTestsFromName(file_string) for file_string in module_strings]
    testSuite = unittest.TestSuite(suites)
    text_runner = unittest.TextTestRunner().run(testSuite)
    if not text_runner.wasSuccessful():
        sys.exit(-1)
"""
RUNNER_WORKFLOW = """\
name: Python Unit Tests
on:
  pull_request:
    branches: [main, dev]

jobs:
  linux:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install coverage
      - name: 'Unit tests...'
        working-directory: ./tests
        run: coverage run --source=.. --omit=../lib/* ./all_tests.py
"""


def test_own_runner_script_building_a_suite_is_the_unit_tests(check: Callable[..., HookResult]) -> None:
    result = check({".github/workflows/unittest.yml": RUNNER_WORKFLOW, "tests/all_tests.py": ALL_TESTS,
                    "tests/name_parser_tests.py": UNITTEST_MODULE, "app/__init__.py": ""})
    assert rules(result) == ["ci-no-lint"], result.out


def test_runner_script_that_ignores_the_result_is_not_counted(check: Callable[..., HookResult]) -> None:
    # leave alone: a suite run whose failure never fails the step
    silent = ALL_TESTS.replace("    if not text_runner.wasSuccessful():\n        sys.exit(-1)\n", "")
    result = check({".github/workflows/unittest.yml": RUNNER_WORKFLOW, "tests/all_tests.py": silent,
                    "tests/name_parser_tests.py": UNITTEST_MODULE, "app/__init__.py": ""})
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out


def test_runs_tests_reads_the_common_runners() -> None:
    files = {
        "a.py": "import pytest\nimport sys\nsys.exit(pytest.main(['tests']))\n",
        "b.py": "from unittest import main\nmain(verbosity=2)\n",
        "c.py": "import unittest\nunittest.main(exit=False)\n",
        "d.py": "import pytest\npytest.main(['tests'])\n",
        "e.py": "import subprocess\nsubprocess.run(['make', 'docs'])\n",
        "f.py": "import unittest as ut\nresult = ut.TextTestRunner().run(ut.TestSuite())\nraise SystemExit(not result.wasSuccessful())\n",
    }
    repo = memory_repo(files)
    assert [runs_tests(repo, name) for name in sorted(files)] == [True, True, False, False, False, True]


# ---- 4. Azure Pipelines below the top; an unknown CI file ------------------------------------------------------------

AZURE = """\
trigger:
- master

jobs:
- job: Lint
  pool:
    vmImage: ubuntu-latest
  steps:
    - template: templates/${{ variables.PREPARE_LINT_TEMPLATE }}
    - script: |
        set -e
        make V=0 lint
      displayName: Lint sources

- job: Tox
  steps:
    - template: templates/prepare-tox.yml
"""
AZURE_TOX = """\
steps:
- script: |
    set -e
    tox -e py3
  displayName: Run tox
"""
TOX_INI = "[tox]\nenvlist = py3\n\n[testenv]\ncommands = pytest tests\n"


def test_azure_pipelines_below_the_top_are_read_with_their_templates(check: Callable[..., HookResult]) -> None:
    result = check({"ipatests/azure/azure-pipelines.yml": AZURE, "ipatests/azure/templates/prepare-tox.yml": AZURE_TOX,
                    "tox.ini": TOX_INI, "Makefile.am": "lint:\n\tpylint app\n", "app/__init__.py": "",
                    "tests/test_app.py": PYTEST_MODULE}, "--checklist")
    assert "no CI configuration found" not in result.err, result.err
    assert row(result, "lint").startswith("met"), result.out
    assert row(result, "unit tests").startswith("met"), result.out


def test_azure_file_in_test_data_is_not_the_ci(check: Callable[..., HookResult]) -> None:
    # leave alone: a pipeline kept as test data (or vendored) is not this repo's CI
    result = check({"tests/data/azure-pipelines.yml": AZURE, "app/__init__.py": "", "tests/test_app.py": PYTEST_MODULE})
    assert result.err.startswith("check-release-checklist: no CI configuration found"), result.err


def test_unknown_ci_file_is_not_called_no_ci(check: Callable[..., HookResult]) -> None:
    result = check({".acme-pr-ci.yaml": "topologies:\n  build:\n    cpu: 2\njobs:\n  fedora-latest/build:\n    requires: []\n",
                    "app/__init__.py": "", "tests/test_app.py": PYTEST_MODULE})
    assert "no CI configuration found" not in result.err, result.err
    assert "CI configuration cannot be read (.acme-pr-ci.yaml:" in result.err, result.err


def test_a_ci_compose_file_is_not_a_ci_configuration(check: Callable[..., HookResult]) -> None:
    # leave alone: docker-compose.ci.yml is a compose file the CI may use, not a CI system's configuration
    result = check({"docker-compose.ci.yml": "services:\n  web:\n    image: app\n", "app/__init__.py": "",
                    "tests/test_app.py": PYTEST_MODULE})
    assert result.err.startswith("check-release-checklist: no CI configuration found in the files this hook reads"), result.err
