"""check-release-checklist: the classes of wrong findings of held-out round 5, each as a catch and a
leave-alone pair on CI files shaped like the real ones (tests/checks/check_release_checklist/ci_shapes.py):
GitLab job `variables:` filled into `script:` (GNOME extensions-web), a command left to a variable
nobody sets judged unknown, not missing; CircleCI dynamic configuration (`setup: true`) read from the
YAML under `.circleci/`, and a workflow that only hands the build to another CI system (TANF-app);
Semaphore read as blocks, tasks and jobs, followed through a wrapper script that runs its arguments
(akvo-rsr), and a notice, never findings, for CI systems the hook does not read."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.checks.check_release_checklist.ci_shapes import (
    CIRCLECI_DYNAMIC,
    GITHUB_TRIGGERS_CIRCLECI,
    GITLAB_TOX_MATRIX,
    GITLAB_VALIDATE,
    SEMAPHORE_AKVO,
    SEMAPHORE_BLOCKS,
    SEMAPHORE_DEPLOY,
)
from tests.conftest import HookResult
from tests.helpers.release import fresh_repo_runner, row, rules

HOOK = "check-release-checklist"
TOX = "[tox]\nenvlist = lint, py3\n\n[testenv]\ndeps = pytest\ncommands = pytest {posargs}\n\n" \
      "[testenv:lint]\ndeps = ruff\ncommands = ruff check .\n"


@pytest.fixture
def check(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    return fresh_repo_runner(run_hook, tmp_path)




# -- GitLab job variables (extensions-web) ------------------------------------------------------------------

def test_gitlab_job_variables_merged_through_extends_are_filled_into_the_script(check: Callable[..., HookResult]) -> None:
    result = check({".gitlab-ci.yml": GITLAB_VALIDATE}, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met | .gitlab-ci.yml: lint; .gitlab-ci.yml: format")


def test_gitlab_variables_that_name_no_linter_still_leave_lint_missing(check: Callable[..., HookResult]) -> None:
    codespell = GITLAB_VALIDATE.replace("VALIDATE_TOOL: ruff", "VALIDATE_TOOL: codespell")
    result = check({".gitlab-ci.yml": codespell})
    assert rules(result) == ["ci-no-lint"], result.out
    # the job's own value wins over its template's
    overridden = GITLAB_VALIDATE.replace("    VALIDATE_TOOL_ARGS: check\n", "    VALIDATE_TOOL_ARGS: check\n    VALIDATE_TOOL: codespell\n")
    overridden = overridden.replace("    VALIDATE_TOOL_ARGS: format --check --diff\n", "    VALIDATE_TOOL_ARGS: -w\n    VALIDATE_TOOL: codespell\n")
    assert rules(check({".gitlab-ci.yml": overridden})) == ["ci-no-lint"]


def test_global_variables_and_parallel_matrix_values_are_filled_in(check: Callable[..., HookResult]) -> None:
    result = check({".gitlab-ci.yml": GITLAB_TOX_MATRIX, "tox.ini": TOX}, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met") and row(result, "unit tests").startswith("met")
    no_lint = GITLAB_TOX_MATRIX.replace("[lint, py311, py312]", "[py311, py312]")
    assert rules(check({".gitlab-ci.yml": no_lint, "tox.ini": TOX})) == ["ci-no-lint"]
    global_tool = "variables:\n  LINTER: flake8\n\nlint:\n  image: python:3.12\n  script:\n    - pip install flake8\n" \
                  "    - $LINTER src\n\ntest:\n  image: python:3.12\n  script:\n    - pytest\n"
    assert check({".gitlab-ci.yml": global_tool}).code == 0


def test_a_command_left_to_a_variable_nobody_sets_is_unknown_not_missing(check: Callable[..., HookResult]) -> None:
    """The tool set in the project's CI/CD settings, not in the file: we cannot tell, so a notice."""
    unset = GITLAB_VALIDATE.replace("  variables:\n    VALIDATE_TOOL: ruff\n", "")
    result = check({".gitlab-ci.yml": unset}, "--checklist")
    assert result.code == 0 and rules(result) == [], result.out
    assert row(result, "lint").startswith("unknown | job lint runs `${VALIDATE_TOOL} check`")
    assert "ci-no-lint: no CI job is seen running a Python linter, but job lint runs" in result.err


def test_an_unset_variable_in_a_job_that_is_not_about_lint_hides_nothing(check: Callable[..., HookResult]) -> None:
    deploy = "test:\n  image: python:3.12\n  script:\n    - pytest\n\ndeploy:\n  image: alpine\n  script:\n    - $DEPLOY_CMD --prod\n"
    result = check({".gitlab-ci.yml": deploy})
    assert rules(result) == ["ci-no-lint"], result.out


def test_python_named_by_a_variable_runs_the_module(check: Callable[..., HookResult]) -> None:
    workflow = "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: $PYTHON -m flake8 src\n" \
               "      - run: ${PYTHON} -m pytest\n"
    assert check({".github/workflows/ci.yml": workflow}).code == 0


# -- CircleCI dynamic configuration, and workflows that only trigger another CI (TANF-app) -------------------

def test_circleci_setup_config_is_read_with_the_yaml_it_continues_with(check: Callable[..., HookResult]) -> None:
    result = check(CIRCLECI_DYNAMIC, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint").startswith("met | .circleci/build-and-test/jobs.yml")
    assert row(result, "unit tests").startswith("met | .circleci/build-and-test/jobs.yml")


def test_circleci_continued_config_without_lint_is_reported(check: Callable[..., HookResult]) -> None:
    jobs = CIRCLECI_DYNAMIC[".circleci/build-and-test/jobs.yml"]
    no_lint = jobs.replace('bash -c "flake8 ."', 'bash -c "python manage.py check"')
    result = check({**CIRCLECI_DYNAMIC, ".circleci/build-and-test/jobs.yml": no_lint})
    assert rules(result) == ["ci-no-lint"], result.out


def test_without_setup_true_other_circleci_yaml_is_not_the_pipeline(check: Callable[..., HookResult]) -> None:
    """A static config.yml is the whole CircleCI pipeline: a stray YAML beside it runs nothing."""
    static = "version: 2.1\njobs:\n  test:\n    docker:\n      - image: cimg/python:3.12\n    steps:\n      - checkout\n" \
             "      - run: pytest\nworkflows:\n  main:\n    jobs: [test]\n"
    files = {".circleci/config.yml": static, ".circleci/unused/jobs.yml": CIRCLECI_DYNAMIC[".circleci/build-and-test/jobs.yml"]}
    assert rules(check(files)) == ["ci-no-lint"]


def test_circleci_config_generated_from_elsewhere_is_a_notice(check: Callable[..., HookResult]) -> None:
    files = {".circleci/config.yml": CIRCLECI_DYNAMIC[".circleci/config.yml"].replace("./generate_config.sh", "python gen.py"),
             ".github/workflows/build-pr.yml": GITHUB_TRIGGERS_CIRCLECI}
    result = check(files)
    assert result.code == 0 and rules(result) == [], result.out
    assert "`setup: true` continues with a configuration generated at run time" in result.err


def test_a_workflow_that_hands_the_build_to_another_ci_is_not_the_whole_ci(check: Callable[..., HookResult]) -> None:
    """The CircleCI config lives elsewhere (an org-wide config, a private repo): the trigger is all we see."""
    result = check({".github/workflows/build-pr.yml": GITHUB_TRIGGERS_CIRCLECI})
    assert result.code == 0 and rules(result) == [], result.out
    assert "hands the build to CircleCI, whose configuration is not here" in result.err
    curl = GITHUB_TRIGGERS_CIRCLECI.split("      - name: Circle CI")[0] + (
        "      - run: |\n          curl -X POST -H \"Circle-Token: $TOKEN\" \\\n"
        "            https://circleci.com/api/v2/project/gh/org/app/pipeline\n")
    assert check({".github/workflows/build-pr.yml": curl}).code == 0
    # the same workflow that only checks out and builds docs is the whole CI: reported
    docs_only = GITHUB_TRIGGERS_CIRCLECI.split("      - name: Circle CI")[0] + "      - run: make -C docs html\n"
    assert rules(check({".github/workflows/build-pr.yml": docs_only})) == ["ci-no-lint", "ci-no-unit-tests"]


# -- Semaphore, wrappers that run their arguments, CI systems not read (akvo-rsr) -----------------------------

def test_semaphore_pipeline_is_followed_through_scripts_and_a_pass_through_wrapper(check: Callable[..., HookResult]) -> None:
    result = check(SEMAPHORE_AKVO, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint") == "met | .semaphore/semaphore.yml: Build, test & deploy: Build&Test"
    assert row(result, "unit tests").startswith("met | .semaphore/semaphore.yml")


def test_semaphore_pipeline_without_a_python_linter_is_reported(check: Callable[..., HookResult]) -> None:
    lint = SEMAPHORE_AKVO["scripts/devhelpers/lint.sh"].replace("    flake8 --ignore=E501,W503 --exclude=wsgi.py,scripts,"
                                                                "migrations,__init__.py,node_modules akvo/\n", "")
    result = check({**SEMAPHORE_AKVO, "scripts/devhelpers/lint.sh": lint})
    assert rules(result) == ["ci-no-lint"], result.out
    assert result.lines[0].startswith(".semaphore/semaphore.yml:1:1:")  # the pipeline that runs the tests, not pages.yml


def test_a_wrapper_that_does_not_run_its_arguments_is_not_a_way_in(check: Callable[..., HookResult]) -> None:
    fixed = SEMAPHORE_AKVO["scripts/docker/dev/run-as-user.sh"].replace('gosu akvo:akvo "$@"', "gosu akvo:akvo python manage.py migrate")
    result = check({**SEMAPHORE_AKVO, "scripts/docker/dev/run-as-user.sh": fixed})
    assert rules(result) == ["ci-no-lint", "ci-no-unit-tests"], result.out


def test_semaphore_blocks_env_vars_and_promoted_deploy(check: Callable[..., HookResult]) -> None:
    files = {".semaphore/semaphore.yml": SEMAPHORE_BLOCKS, ".semaphore/production-deploy.yml": SEMAPHORE_DEPLOY}
    result = check(files, "--checklist")
    assert rules(result) == [], result.out
    assert row(result, "lint") == "met | .semaphore/semaphore.yml: Checks: Lint"
    assert row(result, "integration check").startswith("met")  # sem-service start postgres + pytest
    # tests limited to master by the block's `run: when:`: not on pull requests
    master_only = SEMAPHORE_BLOCKS.replace("  - name: Tests\n    dependencies: [Install]\n",
                                           "  - name: Tests\n    dependencies: [Install]\n    run:\n      when: \"branch = 'master'\"\n")
    result = check({**files, ".semaphore/semaphore.yml": master_only})
    assert rules(result) == ["ci-not-on-pull-requests"], result.out
    # `skip: when: "branch != 'master'"` says the same
    skipped = master_only.replace("    run:\n      when: \"branch = 'master'\"\n", "    skip:\n      when: \"branch != 'master'\"\n")
    assert rules(check({**files, ".semaphore/semaphore.yml": skipped})) == ["ci-not-on-pull-requests"]


def test_semaphore_publish_block_must_depend_on_the_tests(check: Callable[..., HookResult]) -> None:
    publish = "  - name: Publish\n    dependencies: [Install]\n    task:\n      jobs:\n        - name: Docker\n" \
              "          commands:\n            - docker push org/service:latest\npromotions:"
    beside = SEMAPHORE_BLOCKS.replace("promotions:", publish)
    assert rules(check({".semaphore/semaphore.yml": beside, ".semaphore/production-deploy.yml": SEMAPHORE_DEPLOY})) \
        == ["publish-without-tests"]
    after = beside.replace("  - name: Publish\n    dependencies: [Install]\n", "  - name: Publish\n    dependencies: [Checks, Tests]\n")
    assert rules(check({".semaphore/semaphore.yml": after, ".semaphore/production-deploy.yml": SEMAPHORE_DEPLOY})) == []
    # blocks without dependencies run one after the other: a last block publishes after the tests
    sequential = after.replace("    dependencies: [Install]\n", "").replace("    dependencies: [Checks, Tests]\n", "")
    assert rules(check({".semaphore/semaphore.yml": sequential})) == []


@pytest.mark.parametrize(("path", "text"), [
    ("codeship-steps.yml", "- name: tests\n  service: app\n  command: ./bin/ci\n"),
    (".tekton/pull-request.yaml", "apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: pr\n"),
    ("bamboo-specs/bamboo.yml", "version: 2\nplan:\n  project-key: SVC\n  key: CI\n  name: CI\n"),
    (".teamcity/settings.kts", "version = \"2024.03\"\nproject {}\n"),
], ids=["codeship", "tekton", "bamboo", "teamcity"])
def test_a_ci_system_not_read_gives_a_notice_not_findings_on_an_unrelated_workflow(
        check: Callable[..., HookResult], path: str, text: str) -> None:
    pages = {".github/workflows/pages.yml": SEMAPHORE_AKVO[".github/workflows/pages.yml"]}
    result = check({**pages, path: text})
    assert result.code == 0 and rules(result) == [], result.out
    assert "pipelines are not read here" in result.err
    assert rules(check(pages)) == ["ci-no-lint", "ci-no-unit-tests"]  # the docs workflow alone is all the CI


def test_a_jenkinsfile_in_a_folder_is_read(check: Callable[..., HookResult]) -> None:
    jenkinsfile = "pipeline {\n  agent any\n  stages {\n    stage('Test') { steps { sh 'tox -e lint,py312' } }\n  }\n}\n"
    tox = "[tox]\nenvlist = lint, py312\n[testenv]\ncommands = pytest\n[testenv:lint]\ncommands = ruff check .\n"
    assert check({"ci/Jenkinsfile": jenkinsfile, "tox.ini": tox}).code == 0
    assert rules(check({"ci/Jenkinsfile": jenkinsfile.replace("lint,", ""), "tox.ini": tox})) == ["ci-no-lint"]


def test_an_entrypoint_that_execs_its_arguments_runs_the_command_given(check: Callable[..., HookResult]) -> None:
    workflow = "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n" \
               "      - run: bash docker/entrypoint.sh ruff check .\n      - run: ./docker/entrypoint.sh ./manage.py test\n"
    entrypoint = "#!/bin/sh\nset -e\npython manage.py migrate --noinput\nexec \"$@\"\n"
    assert check({".github/workflows/ci.yml": workflow, "docker/entrypoint.sh": entrypoint}).code == 0
    no_exec = entrypoint.replace('exec "$@"', "exec gunicorn app.wsgi")
    assert rules(check({".github/workflows/ci.yml": workflow, "docker/entrypoint.sh": no_exec})) == ["ci-no-lint", "ci-no-unit-tests"]
