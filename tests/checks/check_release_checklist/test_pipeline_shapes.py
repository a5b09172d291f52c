"""check-release-checklist: the CI readers (pipeline.py) and the followers
(reach.py) on shapes taken from real projects: GitLab CI with includes,
`extends:`, `!reference`, `only:`/`rules:`; CircleCI, Travis, a Jenkinsfile;
GitHub trigger forms; Makefiles with variables and `-C`; justfiles; tox in
tox.ini, setup.cfg, tox.toml and pyproject.toml; nox's default sessions;
task tables (pdm, rye, hatch, taskipy); scripts; containers. Each is a catch
and a leave-alone pair, read through the hook's output or its --checklist."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import HookResult
from tests.helpers.release import GITLAB, fresh_repo_runner, rules

HOOK = "check-release-checklist"


@pytest.fixture
def check(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    return fresh_repo_runner(run_hook, tmp_path)



def row(result: HookResult, item: str) -> str:
    """The status of one checklist row (--checklist)."""
    for line in result.out.split("\n"):
        if line.startswith(f"| {item} |"):
            return line.split("|")[2].strip()
    raise AssertionError(f"no row {item!r} in {result.out!r}")


# -- GitLab CI --------------------------------------------------------------------------------------

GITLAB_INCLUDES = {
    ".gitlab-ci.yml": """\
include:
  - local: ci/templates.yml
  - local: /ci/lint.yml

stages: [lint, test, release]

default:
  image: python:3.12
  before_script:
    - pip install tox

unit:
  extends: [.tests]
  script:
    - !reference [.tests, script]
    - echo done
""",
    "ci/templates.yml": """\
.tests:
  stage: test
  services:
    - name: postgres:16
      alias: db
  script:
    - tox -e py312
""",
    "ci/lint.yml": """\
lint:
  stage: lint
  script:
    - pre-commit run --all-files --show-diff-on-failure
  only:
    - merge_requests
    - main
""",
    "tox.ini": "[tox]\nenvlist = py312\n\n[testenv]\ncommands =\n    pytest tests\n",
    ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/PyCQA/flake8\n    rev: 7.1.1\n    hooks:\n      - id: flake8\n",
}


def test_gitlab_local_includes_extends_and_references(check: Callable[..., HookResult]) -> None:
    result = check(GITLAB_INCLUDES, "--strict", "--checklist")
    assert rules(result) == []
    assert row(result, "lint") == "met"
    assert row(result, "unit tests") == "met"
    assert row(result, "integration check") == "met"  # postgres service + pytest through tox
    # the reference pointing at nothing runs nothing: the unit job tests no longer
    broken = GITLAB_INCLUDES[".gitlab-ci.yml"].replace("!reference [.tests, script]", "!reference [.nothing, script]")
    result = check({**GITLAB_INCLUDES, ".gitlab-ci.yml": broken.replace("  extends: [.tests]\n", "  stage: test\n")})
    assert rules(result) == ["ci-no-unit-tests"]
    # a local include that is not in the repo (generated, or from a submodule): the missing item is a notice
    missing = {**GITLAB_INCLUDES, ".gitlab-ci.yml": "include:\n  - ci/generated.yml\n" + broken.split("\n", 3)[3]}
    result = check({**missing, ".gitlab-ci.yml": missing[".gitlab-ci.yml"].replace("  extends: [.tests]\n", "  stage: test\n")})
    assert result.code == 0
    assert "cannot be read here (.gitlab-ci.yml: include ci/generated.yml); not reported" in result.err


def test_gitlab_remote_include_makes_a_missing_item_a_notice(check: Callable[..., HookResult]) -> None:
    pipeline = "include:\n  - project: acme/ci-templates\n    file: python.yml\n  - https://example.com/ci.yml\n\n" \
               "lint:\n  script:\n    - ruff check .\n"
    result = check({".gitlab-ci.yml": pipeline})
    assert result.code == 0, result.out
    assert "ci-no-unit-tests: CI runs nothing that reaches the unit tests, but part of it cannot be read here " \
           "(.gitlab-ci.yml: include project: acme/ci-templates)" in result.err


@pytest.mark.parametrize(("trigger", "expected"), [
    ("  only:\n    - main\n", ["ci-not-on-pull-requests"]),
    ("  only:\n    refs:\n      - tags\n", ["ci-not-on-pull-requests"]),
    ("  only:\n    - schedules\n", ["ci-not-on-pull-requests"]),
    ("  only:\n    - branches\n", []),
    ("  only:\n    - /^feature-.*$/\n", []),
    ("  when: manual\n", ["ci-not-on-pull-requests"]),
    ("  rules:\n    - if: $CI_PIPELINE_SOURCE == \"schedule\"\n", ["ci-not-on-pull-requests"]),
    ("  rules:\n    - if: $CI_COMMIT_TAG\n      when: never\n    - when: manual\n", ["ci-not-on-pull-requests"]),
    ("  rules:\n    - if: $CI_MERGE_REQUEST_IID\n    - if: $CI_COMMIT_BRANCH == \"main\"\n", []),
    ("  rules:\n    - if: $CI_COMMIT_BRANCH == \"main\" || $CI_PIPELINE_SOURCE == \"push\"\n", []),
    ("  rules:\n    - changes: [src/**/*]\n", []),
])
def test_gitlab_triggers(check: Callable[..., HookResult], trigger: str, expected: list[str]) -> None:
    pipeline = "test:\n  image: python:3.12\n  services: [redis:7]\n  script:\n    - ruff check .\n    - pytest\n" + trigger
    assert rules(check({".gitlab-ci.yml": pipeline})) == expected


def test_gitlab_workflow_rules_limit_every_job(check: Callable[..., HookResult]) -> None:
    pipeline = "workflow:\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n\n" \
               "test:\n  script:\n    - flake8\n    - pytest\n"
    assert rules(check({".gitlab-ci.yml": pipeline})) == ["ci-not-on-pull-requests"]
    opened = pipeline.replace("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", "$CI_PIPELINE_SOURCE == \"merge_request_event\"")
    assert check({".gitlab-ci.yml": opened}).code == 0


def test_gitlab_publish_in_the_same_stage_as_the_tests(check: Callable[..., HookResult]) -> None:
    pipeline = GITLAB[".gitlab-ci.yml"].replace("  stage: deploy\n", "  stage: test\n")
    result = check({**GITLAB, ".gitlab-ci.yml": pipeline})
    assert rules(result) == ["publish-without-tests"]
    assert "put it in a stage after the test job, or add `needs:` naming it" in result.out
    needs = pipeline.replace("deploy:\n  stage: test\n", "deploy:\n  stage: test\n  needs: [test]\n")
    assert check({**GITLAB, ".gitlab-ci.yml": needs}).code == 0


def test_gitlab_that_cannot_be_parsed_is_a_notice(check: Callable[..., HookResult]) -> None:
    result = check({".gitlab-ci.yml": "test:\n  script: [pytest\n"})
    assert result.code == 0
    assert "(.gitlab-ci.yml: cannot be parsed)" in result.err


# -- other CI systems, read loosely -----------------------------------------------------------------

CIRCLECI = """\
version: 2.1
jobs:
  test:
    docker:
      - image: cimg/python:3.12
      - image: cimg/postgres:16.0
    steps:
      - checkout
      - run:
          name: install
          command: pip install -e '.[test]'
      - run:
          name: lint
          command: |
            cd src
            flake8 .
      - run: pytest --junitxml=results.xml
workflows:
  main:
    jobs: [test]
"""
TRAVIS = """\
language: python
python: ["3.11", "3.12"]
services:
  - postgresql
install: pip install tox-travis
script:
  - tox
  - pylint src
"""
JENKINSFILE = """\
pipeline {
  agent { docker { image 'python:3.12' } }
  stages {
    stage('Lint') { steps { sh 'ruff check .' } }
    stage('Test') {
      steps {
        sh '''
          pip install -e .[test]
          pytest -m integration
        '''
      }
    }
  }
}
"""
AZURE = """\
trigger: [main]
pr: [main]
pool:
  vmImage: ubuntu-latest
steps:
  - script: python -m pip install nox
  - script: nox -s lint tests
    displayName: Run the sessions
"""


@pytest.mark.parametrize(("path", "text"), [(".circleci/config.yml", CIRCLECI), (".travis.yml", TRAVIS),
                                            ("Jenkinsfile", JENKINSFILE), ("azure-pipelines.yml", AZURE)],
                         ids=["circleci", "travis", "jenkins", "azure"])
def test_other_ci_systems_are_read_as_one_job(check: Callable[..., HookResult], path: str, text: str) -> None:
    noxfile = 'import nox\n\n@nox.session\ndef lint(session):\n    session.run("ruff", "check")\n\n' \
              '@nox.session\ndef tests(session):\n    session.run("pytest")\n'
    files = {path: text, "tox.ini": "[tox]\nenvlist = py3\n[testenv]\ncommands = pytest\n", "noxfile.py": noxfile}
    result = check(files, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint") == "met" and row(result, "unit tests") == "met"
    no_lint = text.replace("ruff check .", "echo").replace("flake8 .", "echo").replace("pylint src", "echo").replace("-s lint tests", "-s tests")
    assert rules(check({**files, path: no_lint})) == ["ci-no-lint"]


def test_other_ci_that_cannot_be_parsed_is_skipped(check: Callable[..., HookResult]) -> None:
    result = check({".circleci/config.yml": "jobs: [\n", ".github/workflows/ci.yml": "on: [pull_request]\njobs:\n  t:\n"
                    "    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check && pytest\n"})
    assert result.code == 0, result.out


# -- GitHub Actions shapes -----------------------------------------------------------------------------

@pytest.mark.parametrize(("on", "expected"), [
    ("on: push\n", []),
    ("on: [push, workflow_dispatch]\n", []),
    ("on:\n  push:\n    branches-ignore: [gh-pages]\n", []),
    ("on:\n  push:\n    branches: ['**']\n", []),
    ("on:\n  push:\n    tags: ['v*']\n", ["ci-not-on-pull-requests"]),
    ("on:\n  release:\n    types: [published]\n", ["ci-not-on-pull-requests"]),
    ("on:\n  schedule:\n    - cron: '0 3 * * *'\n", ["ci-not-on-pull-requests"]),
    ("name: no trigger\n", ["ci-not-on-pull-requests"]),
])
def test_github_trigger_forms(check: Callable[..., HookResult], on: str, expected: list[str]) -> None:
    workflow = on + "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check .\n      - run: pytest\n"
    assert rules(check({".github/workflows/ci.yml": workflow})) == expected


def test_continue_on_error_written_as_a_string_and_as_an_expression(check: Callable[..., HookResult]) -> None:
    base = "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check .\n" \
           "      - run: pytest\n        continue-on-error: {}\n"
    assert rules(check({".github/workflows/ci.yml": base.format("'true'")})) == ["ci-tests-allowed-to-fail"]
    assert check({".github/workflows/ci.yml": base.format("${{ matrix.experimental }}")}).code == 0
    assert check({".github/workflows/ci.yml": base.format("false")}).code == 0


@pytest.mark.parametrize(("step", "lints"), [
    ("      - uses: psf/black@stable\n", True),
    ("      - uses: psf/black@stable\n        with:\n          options: '--verbose'\n", False),
    ("      - uses: astral-sh/ruff-action@v3\n", True),
    ("      - uses: astral-sh/ruff-action@v3\n        with:\n          args: format\n", False),
    ("      - uses: astral-sh/ruff-action@v3\n        with:\n          args: format --check\n", True),
    ("      - uses: docker/build-push-action@v6\n        with:\n          push: false\n", False),
])
def test_linter_actions_and_their_options(check: Callable[..., HookResult], step: str, lints: bool) -> None:
    workflow = "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n" + step + "      - run: pytest\n"
    assert rules(check({".github/workflows/ci.yml": workflow})) == ([] if lints else ["ci-no-lint"])


def test_local_composite_action_steps_are_followed(check: Callable[..., HookResult]) -> None:
    action = "name: test\nruns:\n  using: composite\n  steps:\n    - run: ruff check . && pytest\n      shell: bash\n"
    workflow = "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n" \
               "      - uses: ./.github/actions/test\n"
    assert check({".github/workflows/ci.yml": workflow, ".github/actions/test/action.yml": action}).code == 0
    empty = action.replace("ruff check . && pytest", "echo hello")
    assert rules(check({".github/workflows/ci.yml": workflow, ".github/actions/test/action.yaml": empty})) == \
        ["ci-no-lint", "ci-no-unit-tests"]


def test_default_working_directory_and_matrix_values(check: Callable[..., HookResult]) -> None:
    workflow = ("on: [pull_request]\ndefaults:\n  run:\n    working-directory: backend\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
                "    strategy:\n      matrix:\n        target: [lint, test]\n        python: ['3.12']\n    steps:\n"
                "      - run: make ${{ matrix.target }}\n")
    makefile = "lint:\n\truff check .\ntest:\n\tpytest\n"
    assert check({".github/workflows/ci.yml": workflow, "backend/Makefile": makefile}).code == 0
    assert rules(check({".github/workflows/ci.yml": workflow, "Makefile": makefile})) == []  # judged by the target names


# -- Makefiles, justfiles ---------------------------------------------------------------------------

MAKEFILE = """\
PYTHON ?= python3
PYTEST = $(PYTHON) -m pytest
SRC := src
.PHONY: lint test check ci

lint: ## run the linters
\t@$(PYTHON) -m ruff check $(SRC) \\
\t\t--output-format=github

test: install
\t$(PYTEST) tests

install:
\tpip install -e .

check: lint
\t$(MAKE) test

ci:
\t$(MAKE) -C services/api check
"""


def test_makefile_variables_prerequisites_and_sub_makes(check: Callable[..., HookResult]) -> None:
    workflow = "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make -j2 ci\n"
    files = {".github/workflows/ci.yml": workflow, "Makefile": "ci:\n\t$(MAKE) -C services/api check\n", "services/api/Makefile": MAKEFILE}
    result = check(files, "--checklist")
    assert rules(result) == [] and row(result, "unit tests") == "met"
    assert rules(check({**files, "services/api/Makefile": MAKEFILE.replace("$(PYTEST) tests", "echo no tests")})) == \
        ["ci-no-unit-tests"]
    other = workflow.replace("make -j2 ci", "make -f build/ci.mk check")
    assert check({".github/workflows/ci.yml": other, "build/ci.mk": MAKEFILE.replace("-C services/api ", "")}).code == 0


def test_makefile_outside_the_repo_is_judged_by_its_target_names(check: Callable[..., HookResult]) -> None:
    workflow = "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make -C vendor/tools lint unittests\n"
    assert check({".github/workflows/ci.yml": workflow}).code == 0
    assert rules(check({".github/workflows/ci.yml": workflow.replace("lint unittests", "docs")})) == ["ci-no-lint", "ci-no-unit-tests"]


def test_justfile_recipes(check: Callable[..., HookResult]) -> None:
    justfile = "set dotenv-load\n\n# lint everything\nlint:\n    uv run ruff check .\n\ntest *args: lint\n    uv run pytest {{args}}\n"
    workflow = "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: extractions/setup-just@v2\n" \
               "      - run: just test\n"
    assert check({".github/workflows/ci.yml": workflow, "justfile": justfile}).code == 0
    assert rules(check({".github/workflows/ci.yml": workflow, "justfile": justfile.replace("uv run pytest", "echo")})) == \
        ["ci-no-unit-tests"]


# -- tox, nox, task tables --------------------------------------------------------------------------

TOX_WORKFLOW = "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {}\n"


@pytest.mark.parametrize(("name", "text"), [
    ("setup.cfg", "[metadata]\nname = app\n\n[tox:tox]\nenvlist = py312,lint\n\n[testenv]\ncommands = pytest\n\n"
                  "[testenv:lint]\ncommands =\n    flake8 app\n"),
    ("tox.toml", 'env_list = ["py312", "lint"]\n\n[env_run_base]\ncommands = [["pytest", "{posargs}"]]\n\n'
                 '[env.lint]\ncommands = [["ruff", "check", "."]]\n'),
    ("pyproject.toml", '[tool.tox]\nenv_list = ["py312", "lint"]\n\n[tool.tox.env_run_base]\ncommands = [["pytest"]]\n\n'
                       '[tool.tox.env.lint]\ncommands = [["ruff", "check", "."], ["mypy", "src"]]\n'),
    ("pyproject.toml", '[tool.tox]\nlegacy_tox_ini = """\n[tox]\nenvlist = py312, lint\n\n[testenv]\ncommands = pytest\n\n'
                       '[testenv:lint]\ncommands = pylint src\n"""\n'),
], ids=["setup.cfg", "tox.toml", "pyproject-tox4", "pyproject-legacy"])
def test_tox_configuration_everywhere_tox_reads_it(check: Callable[..., HookResult], name: str, text: str) -> None:
    assert check({".github/workflows/ci.yml": TOX_WORKFLOW.format("tox"), name: text}).code == 0
    assert rules(check({".github/workflows/ci.yml": TOX_WORKFLOW.format("tox -e py312"), name: text})) == ["ci-no-lint"]


def test_tox_ignored_exit_code_and_factor_conditions(check: Callable[..., HookResult]) -> None:
    tox = "[tox]\nenvlist = py{311,312}-{unit,lint}\n\n[testenv]\ncommands =\n    unit: pytest\n    lint: - flake8 src\n"
    result = check({".github/workflows/ci.yml": TOX_WORKFLOW.format("python -m tox run -e py312-unit,py312-lint"), "tox.ini": tox})
    assert rules(result) == ["ci-tests-allowed-to-fail"]
    assert result.lines[0].startswith("tox.ini:7:1:")
    assert check({".github/workflows/ci.yml": TOX_WORKFLOW.format("tox -e py312-unit,py312-lint"),
                  "tox.ini": tox.replace("- flake8", "flake8")}).code == 0


def test_nox_default_sessions_and_named_sessions(check: Callable[..., HookResult]) -> None:
    noxfile = ('import nox\n\nnox.options.sessions = ["lint", "tests"]\n\n\n@nox.session(name="lint")\ndef run_linters(session):\n'
               '    session.run("ruff", "check", ".")\n\n\n@nox.session(python=["3.11", "3.12"])\ndef tests(session):\n'
               '    session.run("pytest", success_codes=[0, 5])\n\n\n@nox.session\ndef docs(session):\n    session.run("sphinx-build")\n')
    files = {".github/workflows/ci.yml": TOX_WORKFLOW.format("nox"), "noxfile.py": noxfile}
    assert rules(check(files)) == ["ci-tests-allowed-to-fail"]  # success_codes lets a failure through
    ok = noxfile.replace(", success_codes=[0, 5]", "")
    assert check({**files, "noxfile.py": ok}).code == 0
    assert check({".github/workflows/ci.yml": TOX_WORKFLOW.format("nox -s lint 'tests(3.12)'"), "noxfile.py": ok}).code == 0
    assert rules(check({".github/workflows/ci.yml": TOX_WORKFLOW.format("nox -s docs"), "noxfile.py": ok})) == \
        ["ci-no-lint", "ci-no-unit-tests"]


@pytest.mark.parametrize(("command", "pyproject"), [
    ("pdm run ci", '[tool.pdm.scripts]\nlint = "ruff check ."\ntest = "pytest"\nci = {composite = ["lint", "test"]}\n'),
    ("rye run check", '[tool.rye.scripts]\ncheck = { chain = ["lint", "test"] }\nlint = "ruff check"\ntest = "pytest"\n'),
    ("task ci", '[tool.taskipy.tasks]\nlint = "ruff check ."\ntest = "pytest"\nci = "task lint && task test"\n'),
    ("hatch run ci", '[tool.hatch.envs.default.scripts]\nci = ["ruff check .", "pytest"]\n'),
    ("poe ci", '[tool.poe.tasks]\nlint = "ruff check ."\ntest.cmd = "pytest"\nci = ["lint", "test"]\n'),
], ids=["pdm", "rye", "taskipy", "hatch", "poe"])
def test_task_tables(check: Callable[..., HookResult], command: str, pyproject: str) -> None:
    files = {".github/workflows/ci.yml": TOX_WORKFLOW.format(command), "pyproject.toml": pyproject}
    result = check(files, "--checklist")
    if command.startswith("rye"):  # rye's chain is a table of names, not commands: not followed
        assert row(result, "lint") == "not met"
        return
    assert rules(result) == [], result.out
    broken = pyproject.replace("pytest", "sphinx-build")
    assert rules(check({**files, "pyproject.toml": broken})) == ["ci-no-unit-tests"]


def test_taskfile_deps_and_task_items(check: Callable[..., HookResult]) -> None:
    taskfile = ("version: '3'\ntasks:\n  ci:\n    deps: [lint]\n    cmds:\n      - task: test\n      - cmd: echo done\n"
                "  lint:\n    cmds: [ruff check .]\n  test:\n    cmds:\n      - cmd: pytest -q\n")
    files = {".github/workflows/ci.yml": TOX_WORKFLOW.format("task ci"), "Taskfile.yml": taskfile}
    assert check(files).code == 0
    assert rules(check({**files, "Taskfile.yml": taskfile.replace("pytest -q", "echo")})) == ["ci-no-unit-tests"]


# -- scripts, shells, containers ---------------------------------------------------------------------

@pytest.mark.parametrize("command", ["bash scripts/ci.sh", "sh -e ./scripts/ci.sh", "source scripts/ci.sh", "scripts/ci.sh --fast",
                                     "bash -c 'ruff check . && pytest'"])
def test_scripts_and_shells_are_followed(check: Callable[..., HookResult], command: str) -> None:
    script = "#!/usr/bin/env bash\nset -euo pipefail\nruff check .\npytest -q \"$@\"\n"
    files = {".github/workflows/ci.yml": TOX_WORKFLOW.format(command), "scripts/ci.sh": script}
    assert check(files).code == 0
    assert rules(check({**files, "scripts/ci.sh": "#!/bin/sh\necho ok\n"})) == ([] if "-c" in command else ["ci-no-lint", "ci-no-unit-tests"])


def test_a_script_that_is_not_in_the_repo_is_not_a_finding_source(check: Callable[..., HookResult]) -> None:
    result = check({".github/workflows/ci.yml": TOX_WORKFLOW.format("./scripts/missing.sh && ruff check .")}, "--checklist")
    assert row(result, "lint") == "met" and row(result, "unit tests") == "not met"


@pytest.mark.parametrize("command", ["docker exec app pytest", "docker run --rm -e DJANGO_SETTINGS_MODULE=app.settings app:ci pytest",
                                     "docker compose exec -T web python manage.py test",
                                     "docker-compose -f docker-compose.test.yml run --rm web pytest"])
def test_tests_in_containers(check: Callable[..., HookResult], command: str) -> None:
    files = {".github/workflows/ci.yml": TOX_WORKFLOW.format("ruff check . && " + command)}
    result = check(files, "--strict", "--checklist")
    assert rules(result) == [] and row(result, "integration check") == "met"


def test_pre_commit_config_staging_hooks(check: Callable[..., HookResult]) -> None:
    precommit = ("repos:\n  - repo: https://github.com/legacy-config-hooks/legacy-config-hooks\n    rev: v0.1.0\n    hooks:\n"
                 "      - id: check-staging-parity\n        stages: [manual]\n  - repo: local\n    hooks:\n"
                 "      - id: lint\n        name: lint\n        entry: uv run ruff check\n        language: system\n")
    staging = {"config/staging.yaml": "db: staging\n", "config/production.yaml": "db: prod\n"}
    files = {".github/workflows/ci.yml": TOX_WORKFLOW.format("pre-commit run --all-files && pytest"),
             ".pre-commit-config.yaml": precommit, **staging}
    assert rules(check(files)) == ["ci-no-staging-check"]  # the staging hook is manual-only
    assert check({**files, ".pre-commit-config.yaml": precommit.replace("        stages: [manual]\n", "")}).code == 0
    by_hand = TOX_WORKFLOW.format("pre-commit run --all-files && pre-commit run check-staging-parity --hook-stage manual && pytest")
    assert check({**files, ".github/workflows/ci.yml": by_hand}).code == 0


def test_no_lint_with_a_pre_commit_config_nobody_runs_says_so(check: Callable[..., HookResult]) -> None:
    precommit = "repos:\n  - repo: https://github.com/pycqa/flake8\n    rev: 7.1.1\n    hooks:\n      - id: flake8\n"
    result = check({".github/workflows/ci.yml": TOX_WORKFLOW.format("pytest"), ".pre-commit-config.yaml": precommit})
    assert rules(result) == ["ci-no-lint"]
    assert result.lines[0].endswith("; .pre-commit-config.yaml runs Python linters but no CI job runs it (if pre-commit.ci does, "
                                    "add its `ci:` section or badge so this is visible)")
    result = check({".github/workflows/ci.yml": TOX_WORKFLOW.format("pytest")})
    assert rules(result) == ["ci-no-lint"] and "pre-commit.ci" not in result.out


def test_gitlab_shared_only_is_one_finding_and_a_publishing_job_is_not_asked(check: Callable[..., HookResult]) -> None:
    # Mayan-EDMS' shape: test jobs and a build-test-push job share one `only:` list
    # (an anchor); tests run on pushes to tests/* and releases/* branches only.
    pipeline = (
        ".only: &only\n  only:\n    - releases/all_major\n    - releases/staging\n    - tests/all\n\n"
        "job_postgres_test:\n  image: python:3.12\n  services: [postgres:16]\n  script:\n    - python manage.py test\n  <<: *only\n\n"
        "job_sqlite_test:\n  image: python:3.12\n  script:\n    - python manage.py test\n  <<: *only\n\n"
        "job_docker_build:\n  image: docker:27\n  script:\n    - docker build -t registry.example.com/app:$CI_COMMIT_TAG .\n"
        "    - docker run registry.example.com/app:$CI_COMMIT_TAG python manage.py test\n"
        "    - docker push registry.example.com/app:$CI_COMMIT_TAG\n  <<: *only\n"
    )
    result = check({".gitlab-ci.yml": pipeline, "pyproject.toml": "[tool.ruff]\n"})
    found = [line for line in result.lines if "ci-not-on-pull-requests" in line]
    assert len(found) == 1, result.out
    assert "jobs job_postgres_test, job_sqlite_test" in found[0]
    assert "job_docker_build" not in found[0]


def test_a_word_run_in_the_built_image_is_judged_by_its_name(check: Callable[..., HookResult]) -> None:
    # Baserow's shape: the image's entrypoint maps `lint` and `ci-test` to make targets
    pipeline = (
        "stages: [build, test]\n\n"
        "build:\n  stage: build\n  image: docker:27\n  services: [docker:dind]\n  script:\n"
        "    - docker build -t $CI_REGISTRY_IMAGE/backend:$CI_COMMIT_SHA backend\n\n"
        "backend-lint:\n  stage: test\n  image: docker:27\n  services: [docker:dind]\n  rules:\n"
        "    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n  script:\n"
        "    - docker run --rm $CI_REGISTRY_IMAGE/backend:$CI_COMMIT_SHA lint\n\n"
        "backend-test:\n  stage: test\n  image: docker:27\n  services: [docker:dind, postgres:16]\n  rules:\n"
        "    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n  script:\n"
        "    - docker run --rm --network host -e DATABASE_HOST=postgres $CI_REGISTRY_IMAGE/backend:$CI_COMMIT_SHA ci-test\n"
    )
    result = check({".gitlab-ci.yml": pipeline})
    assert "ci-no-lint" not in result.out and "ci-no-unit-tests" not in result.out, result.out
    # a word that names nothing we know is not taken for tests or lint
    other = pipeline.replace(" lint\n", " serve\n").replace(" ci-test\n", " migrate\n")
    result = check({".gitlab-ci.yml": other})
    assert "ci-no-lint" in result.out and "ci-no-unit-tests" in result.out, result.out


def test_a_module_named_for_staging_is_not_staging_config(check: Callable[..., HookResult]) -> None:
    workflow = ("on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - run: ruff check .\n      - run: pytest\n")
    files = {".github/workflows/ci.yml": workflow, "mayan/apps/sources/source_backends/staging_folder_backends.py": "X = 1\n"}
    assert "ci-no-staging-check" not in check(files).out
    settings = {**files, "project/settings/staging.py": "DEBUG = False\n"}
    assert "ci-no-staging-check" in check(settings).out
