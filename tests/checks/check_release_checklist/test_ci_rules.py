"""check-release-checklist, CI rules: catch / leave-alone pairs on workflow
files shaped like real ones (tests/helpers/release.py)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import HookResult
from tests.helpers.release import COOKIECUTTER, FULLSTACK, GITLAB, MAKEFILE_SERVICE, RELEASE, make_repo

HOOK = "check-release-checklist"
Run = Callable[..., HookResult]


@pytest.fixture
def check(run_hook: Run, tmp_path: Path) -> Callable[..., HookResult]:
    def run(files: dict[str, str], *args: str) -> HookResult:
        make_repo(tmp_path, files)
        return run_hook(HOOK, *args)

    return run


def rules(result: HookResult) -> list[str]:
    return sorted(line.split(f"{HOOK}: ", 1)[1].split(":", 1)[0] for line in result.lines if f"{HOOK}: " in line)


@pytest.mark.parametrize("files", [FULLSTACK, COOKIECUTTER, MAKEFILE_SERVICE, GITLAB],
                         ids=["fullstack-template", "cookiecutter-django", "makefile-service", "gitlab"])
def test_real_shapes_with_indirection_pass(check: Callable[..., HookResult], files: dict[str, str]) -> None:
    result = check(files)
    assert result.code == 0, result.out + result.err
    assert result.out == ""


# -- ci-no-lint -------------------------------------------------------------------

def test_frontend_only_lint_does_not_count_as_python_lint(check: Callable[..., HookResult]) -> None:
    files = {k: v for k, v in FULLSTACK.items() if k != ".github/workflows/lint-backend.yml"}
    result = check(files)
    assert result.code == 1
    assert rules(result) == ["ci-no-lint"]
    assert result.lines[0].startswith(".github/workflows/test-backend.yml:12:1: check-release-checklist: ci-no-lint: no CI job runs a Python linter")


def test_frontend_make_lint_in_its_folder_does_not_count_either(check: Callable[..., HookResult]) -> None:
    files = {
        ".github/workflows/ci.yml": "on: [pull_request]\njobs:\n  web:\n    runs-on: ubuntu-latest\n    steps:\n"
                                    "      - run: make lint\n        working-directory: web\n      - run: pytest\n",
        "web/Makefile": "lint:\n\tnpx eslint src\n",
        "Makefile": "lint:\n\truff check .\n",
    }
    assert rules(check(files)) == ["ci-no-lint"]


def test_pre_commit_config_with_only_whitespace_hooks_is_not_python_lint(check: Callable[..., HookResult]) -> None:
    files = {**COOKIECUTTER, ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n"
                                                        "    rev: v5.0.0\n    hooks:\n      - id: trailing-whitespace\n"
                                                        "      - id: prettier\n"}
    assert rules(check(files)) == ["ci-no-lint"]


def test_pre_commit_ci_counts_as_lint_on_pull_requests(check: Callable[..., HookResult]) -> None:
    workflow = COOKIECUTTER[".github/workflows/ci.yml"].split("  linter:")[0] + "  pytest:" + \
        COOKIECUTTER[".github/workflows/ci.yml"].split("  pytest:")[1]
    files = {**COOKIECUTTER, ".github/workflows/ci.yml": workflow}
    assert rules(check(files)) == ["ci-no-lint"]
    files[".pre-commit-config.yaml"] += "\nci:\n  autoupdate_schedule: monthly\n"
    assert check(files).code == 0


# -- ci-no-unit-tests ---------------------------------------------------------------

def test_lint_only_pipeline_is_reported_once_for_tests(check: Callable[..., HookResult]) -> None:
    files = {k: v for k, v in FULLSTACK.items() if "test-backend" not in k}
    result = check(files)
    assert rules(result) == ["ci-no-unit-tests"]
    assert "no CI job runs the unit tests (pytest" in result.out
    assert rules(check(files, "--strict")) == ["ci-no-integration-check", "ci-no-unit-tests"]


def test_tox_and_nox_are_followed_to_the_test_command(check: Callable[..., HookResult]) -> None:
    workflow = ("name: tests\non:\n  pull_request:\n  push:\n    branches: [main]\njobs:\n  tox:\n    runs-on: ubuntu-latest\n"
                "    services:\n      redis:\n        image: redis:7\n        ports: ['6379:6379']\n    steps:\n"
                "      - uses: actions/checkout@v4\n      - run: python -m pip install tox\n      - run: tox -e lint,py312\n")
    tox = "[tox]\nenvlist = py3{11,12}, lint\n\n[testenv]\ndeps = pytest\ncommands =\n    pytest {posargs:tests}\n\n" \
          "[testenv:lint]\ndeps = ruff\ncommands = ruff check src\n"
    assert check({".github/workflows/tests.yml": workflow, "tox.ini": tox}).code == 0
    # the same pipeline when tox's lint env only builds the docs
    result = check({".github/workflows/tests.yml": workflow, "tox.ini": tox.replace("ruff check src", "sphinx-build docs out")})
    assert rules(result) == ["ci-no-lint"]


def test_nox_sessions(check: Callable[..., HookResult]) -> None:
    workflow = "on: [push, pull_request]\njobs:\n  nox:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pipx run nox -s lint tests\n"
    noxfile = ('import nox\n\n\n@nox.session\ndef lint(session):\n    session.install("ruff")\n    session.run("ruff", "check", ".")\n\n\n'
               '@nox.session(python=["3.11", "3.12"])\ndef tests(session):\n    session.install(".[test]")\n'
               '    session.run("pytest", "tests/integration", *session.posargs)\n')
    assert check({".github/workflows/ci.yml": workflow, "noxfile.py": noxfile}).code == 0
    result = check({".github/workflows/ci.yml": workflow, "noxfile.py": noxfile.replace('"pytest", "tests/integration"', '"sphinx-build"')})
    assert rules(result) == ["ci-no-unit-tests"]


def test_task_tables_poe_and_hatch(check: Callable[..., HookResult]) -> None:
    workflow = "on: pull_request\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgis/postgis:16-3.4\n" \
               "    steps:\n      - run: poetry run poe lint\n      - run: hatch run test:cov\n"
    pyproject = ('[tool.poe.tasks]\nlint = "ruff check ."\n\n[tool.hatch.envs.test.scripts]\ncov = "pytest --cov=app tests"\n')
    assert check({".github/workflows/ci.yml": workflow, "pyproject.toml": pyproject}).code == 0


# -- ci-no-integration-check ---------------------------------------------------------

def test_unit_tests_without_service_or_database_miss_the_integration_check(check: Callable[..., HookResult]) -> None:
    workflow = "on:\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check .\n      - run: pytest -q\n"
    assert check({".github/workflows/ci.yml": workflow}).code == 0  # by default: no integration tests written, none asked for
    result = check({".github/workflows/ci.yml": workflow}, "--strict")
    assert rules(result) == ["ci-no-integration-check"]
    with_db = workflow.replace("    steps:", "    services:\n      postgres:\n        image: postgres:16\n        env:\n"
                                             "          POSTGRES_PASSWORD: postgres\n    steps:")
    assert check({".github/workflows/ci.yml": with_db}, "--strict").code == 0


def test_integration_marker_or_folder_counts(check: Callable[..., HookResult]) -> None:
    base = "on: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: flake8\n      - run: {}\n"
    assert check({".github/workflows/ci.yml": base.format("pytest -m integration")}, "--strict").code == 0
    assert check({".github/workflows/ci.yml": base.format("pytest -m 'not integration'")}, "--strict").code == 1


def test_compose_up_and_a_request(check: Callable[..., HookResult]) -> None:
    base = ("on: [pull_request]\njobs:\n  smoke:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pre-commit run --all-files\n"
            "      - run: pytest\n      - run: docker compose up -d --wait\n{}")
    assert check({".github/workflows/ci.yml": base.format("      - run: curl -fsS http://localhost:8000/health\n"),
                  ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks:\n      - id: ruff\n        name: ruff\n"
                                             "        entry: ruff check\n        language: system\n"}).code == 0


# -- ci-no-staging-check ---------------------------------------------------------------

STAGING = {"config/production.yaml": "database:\n  host: db.prod\n", "config/staging.yaml": "database:\n  host: db.staging\n"}


def test_staging_config_without_a_staging_check_in_ci(check: Callable[..., HookResult]) -> None:
    result = check({**COOKIECUTTER, **STAGING})
    assert rules(result) == ["ci-no-staging-check"]
    assert "the repo has staging config (config/staging.yaml)" in result.out


def test_staging_parity_in_pre_commit_config_run_by_ci_passes(check: Callable[..., HookResult]) -> None:
    config = COOKIECUTTER[".pre-commit-config.yaml"] + (
        "  - repo: https://github.com/legacy-config-hooks/legacy-config-hooks\n    rev: v0.1.0\n    hooks:\n"
        "      - id: check-staging-parity\n")
    assert check({**COOKIECUTTER, **STAGING, ".pre-commit-config.yaml": config}).code == 0


def test_no_staging_config_nothing_to_verify(check: Callable[..., HookResult]) -> None:
    assert check(COOKIECUTTER).code == 0


# -- ci-tests-allowed-to-fail -------------------------------------------------------------

def test_or_true_on_the_only_test_step(check: Callable[..., HookResult]) -> None:
    workflow = COOKIECUTTER[".github/workflows/ci.yml"].replace("run django pytest", "run django pytest || true")
    result = check({**COOKIECUTTER, ".github/workflows/ci.yml": workflow})
    assert rules(result) == ["ci-tests-allowed-to-fail"]
    line = workflow.split("\n").index("        run: docker compose -f docker-compose.local.yml run django pytest || true") + 1
    assert result.lines[0].startswith(f".github/workflows/ci.yml:{line}:1: check-release-checklist: ci-tests-allowed-to-fail: "
                                      "the unit tests and the integration check may fail here without failing CI")


def test_continue_on_error_on_an_extra_job_is_fine_when_a_required_job_tests(check: Callable[..., HookResult]) -> None:
    workflow = ("on: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      pg:\n        image: postgres\n"
                "    steps:\n      - run: ruff check .\n      - run: pytest\n  test-dev:\n    runs-on: ubuntu-latest\n"
                "    continue-on-error: true\n    steps:\n      - run: pytest\n")
    assert check({".github/workflows/ci.yml": workflow}).code == 0
    only = workflow.replace("      - run: pytest\n  test-dev", "  test-dev")
    result = check({".github/workflows/ci.yml": only})
    assert rules(result) == ["ci-tests-allowed-to-fail"]
    assert rules(check({".github/workflows/ci.yml": only}, "--strict")) == ["ci-no-integration-check", "ci-tests-allowed-to-fail"]
    assert ".github/workflows/ci.yml:12:1: check-release-checklist: ci-tests-allowed-to-fail: the unit tests may fail" in result.out
    assert "(the job has `continue-on-error: true`)" in result.out


def test_make_recipe_that_ignores_errors_and_exit_zero(check: Callable[..., HookResult]) -> None:
    makefile = MAKEFILE_SERVICE["Makefile"].replace("\t$(BIN)/ruff check src tests\n\t$(BIN)/mypy src",
                                                    "\t-$(BIN)/ruff check src tests\n\t$(BIN)/flake8 --exit-zero src")
    files = {**MAKEFILE_SERVICE, "Makefile": makefile}
    result = check(files)
    assert rules(result) == ["ci-tests-allowed-to-fail", "ci-tests-allowed-to-fail"]
    assert result.lines[0].startswith("Makefile:12:1:") and result.lines[1].startswith("Makefile:13:1:")
    assert "(its failure is ignored: `|| true`, a `-` recipe line or tox's `- cmd`)" in result.lines[0]
    assert "(`--exit-zero`)" in result.lines[1]


def test_gitlab_allow_failure_on_the_test_job(check: Callable[..., HookResult]) -> None:
    pipeline = GITLAB[".gitlab-ci.yml"].replace("    - python manage.py test\n", "    - python manage.py test\n  allow_failure: true\n")
    result = check({**GITLAB, ".gitlab-ci.yml": pipeline})
    # and the image is pushed in a later stage than tests that may fail
    assert rules(result) == ["ci-tests-allowed-to-fail", "publish-without-tests"]
    assert "(the job has `allow_failure: true`)" in result.out


# -- ci-not-on-pull-requests -----------------------------------------------------------

def test_tests_only_on_pushes_to_main(check: Callable[..., HookResult]) -> None:
    workflow = COOKIECUTTER[".github/workflows/ci.yml"].replace(
        "  pull_request:\n    branches: ['master', 'main']\n    paths-ignore: ['docs/**']\n\n", "")
    result = check({**COOKIECUTTER, ".github/workflows/ci.yml": workflow})
    # one decision (the workflow's trigger), so one finding that names both jobs
    assert rules(result) == ["ci-not-on-pull-requests"]
    assert result.lines[0].startswith(".github/workflows/ci.yml:6:1:")
    assert "lint and the unit tests run only on pushes to named branches (jobs linter, pytest)" in result.out
    # pushes to every branch test the branch before it is merged
    every = workflow.replace("    branches: ['master', 'main']\n", "")
    assert check({**COOKIECUTTER, ".github/workflows/ci.yml": every}).code == 0


def test_gitlab_tests_only_on_the_default_branch(check: Callable[..., HookResult]) -> None:
    pipeline = GITLAB[".gitlab-ci.yml"].replace('    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n', "")
    result = check({**GITLAB, ".gitlab-ci.yml": pipeline})
    assert rules(result) == ["ci-not-on-pull-requests"]
    assert "the unit tests run only on pushes to named branches (job test)" in result.out


def test_workflow_dispatch_only(check: Callable[..., HookResult]) -> None:
    workflow = "on:\n  workflow_dispatch:\njobs:\n  t:\n    runs-on: ubuntu-latest\n    services:\n      r:\n        image: redis\n" \
               "    steps:\n      - run: ruff check\n      - run: pytest\n"
    result = check({".github/workflows/manual.yml": workflow})
    assert rules(result) == ["ci-not-on-pull-requests"]
    assert "lint and the unit tests run only by hand or on a schedule" in result.out


def test_reusable_workflow_inherits_its_callers_trigger(check: Callable[..., HookResult]) -> None:
    called = "on:\n  workflow_call:\njobs:\n  t:\n    runs-on: ubuntu-latest\n    services:\n      r:\n        image: redis\n" \
             "    steps:\n      - run: ruff check\n      - run: pytest\n"
    caller = "on: [pull_request]\njobs:\n  tests:\n    uses: ./.github/workflows/tests.yml\n"
    assert check({".github/workflows/tests.yml": called, ".github/workflows/pr.yml": caller}).code == 0


# -- publish-without-tests ---------------------------------------------------------------



def test_publish_without_a_needs_path_to_the_tests(check: Callable[..., HookResult]) -> None:
    result = check({".github/workflows/release.yml": RELEASE})
    assert rules(result) == ["publish-without-tests"]
    assert result.lines[0].startswith(".github/workflows/release.yml:24:1: check-release-checklist: publish-without-tests: "
                                      "job publish publishes to PyPI without the tests having passed first")
    chained = RELEASE.replace("  build:\n    runs-on", "  build:\n    needs: test\n    runs-on")
    assert check({".github/workflows/release.yml": chained}).code == 0


def test_docker_push_counts_as_a_publish_unless_release_is_pypi(check: Callable[..., HookResult]) -> None:
    workflow = RELEASE.replace("      - uses: pypa/gh-action-pypi-publish@release/v1\n",
                               "      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: app:latest\n")
    assert rules(check({".github/workflows/release.yml": workflow})) == ["publish-without-tests"]
    assert check({".github/workflows/release.yml": workflow}, "--release", "pypi").code == 0


# -- no CI, options ------------------------------------------------------------------------

def test_no_ci_is_one_notice_not_five_findings(check: Callable[..., HookResult]) -> None:
    result = check({"app/settings.py": "DEBUG = False\n", "pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\n', **STAGING})
    assert result.code == 0 and result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("check-release-checklist: no CI configuration found")


def test_skip_and_unknown_rule(check: Callable[..., HookResult]) -> None:
    workflow = "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n"
    assert rules(check({".github/workflows/ci.yml": workflow}, "--strict")) == ["ci-no-integration-check", "ci-no-lint"]
    assert check({".github/workflows/ci.yml": workflow}, "--strict", "--skip", "ci-no-lint", "--skip", "ci-no-integration-check").code == 0
    bad = check({".github/workflows/ci.yml": workflow}, "--skip", "ci-no-tests")
    assert bad.code == 2 and "--skip ci-no-tests: no such rule" in bad.err


def test_settings_file_skip(check: Callable[..., HookResult]) -> None:
    workflow = "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n"
    pyproject = '[tool.legacy-config-hooks.check-release-checklist]\nskip = ["ci-no-integration-check"]  # no service to start\n'
    assert rules(check({".github/workflows/ci.yml": workflow, "pyproject.toml": pyproject})) == ["ci-no-lint"]


def test_remote_reusable_workflow_is_a_notice_not_a_finding(check: Callable[..., HookResult]) -> None:
    workflow = "on: [pull_request]\njobs:\n  ci:\n    uses: acme/shared-workflows/.github/workflows/python.yml@v3\n"
    result = check({".github/workflows/ci.yml": workflow})
    assert result.code == 0, result.out
    assert "cannot be read here (.github/workflows/ci.yml: acme/shared-workflows" in result.err


def test_suppression_marker_on_the_line(check: Callable[..., HookResult]) -> None:
    workflow = COOKIECUTTER[".github/workflows/ci.yml"].replace(
        "run django pytest\n", "run django pytest || true  # legacy-config: ignore[check-release-checklist]\n")
    assert check({**COOKIECUTTER, ".github/workflows/ci.yml": workflow}).code == 0


def test_broken_ci_files_are_one_notice_not_a_traceback(check: Callable[..., HookResult]) -> None:
    result = check({".github/workflows/ci.yml": "on: [push\njobs: {", ".gitlab-ci.yml": "a: &a [*a]\nb: *a\n",
                    "Makefile": "test:\n\tpytest $(\n", "tox.ini": "[tox\ncommands", "noxfile.py": "def (:\n"})
    assert result.code == 0 and result.out == ""
    assert result.err == ("check-release-checklist: CI configuration cannot be read (.github/workflows/ci.yml: cannot be parsed); "
                          "the CI rules were not checked\n")


# -- shapes met on real repos (tuning set) -------------------------------------------------

def test_auto_fix_then_fail_is_not_allowed_to_fail(check: Callable[..., HookResult]) -> None:
    """full-stack-fastapi-template: prek runs with continue-on-error so fixes can be pushed, then a step fails the job."""
    workflow = ("name: pre-commit\non:\n  pull_request:\njobs:\n  pre-commit:\n    runs-on: ubuntu-latest\n    services:\n"
                "      db:\n        image: postgres:17\n    steps:\n      - uses: actions/checkout@v4\n"
                "      - name: Run prek - pre-commit\n        id: precommit\n        run: uv run prek run --from-ref origin/main --to-ref HEAD\n"
                "        continue-on-error: true\n      - run: uv run pytest\n"
                "      - name: Error out on pre-commit errors\n        if: steps.precommit.outcome == 'failure'\n        run: exit 1\n")
    config = ("repos:\n  - repo: local\n    hooks:\n      - id: local-ruff-check\n        name: ruff check\n"
              "        entry: uv run ruff check --force-exclude --fix --exit-non-zero-on-fix\n        language: unsupported\n"
              "        types: [python]\n")
    assert check({".github/workflows/pre-commit.yml": workflow, ".pre-commit-config.yaml": config}).code == 0
    result = check({".github/workflows/pre-commit.yml": workflow.split("      - name: Error out")[0], ".pre-commit-config.yaml": config})
    assert rules(result) == ["ci-tests-allowed-to-fail"]


def test_database_started_on_the_runner_is_the_integration_check(check: Callable[..., HookResult]) -> None:
    """healthchecks: `sudo systemctl start postgresql.service`, or ankane/setup-mariadb, then manage.py test."""
    base = ("on:\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: mypy --strict hc\n{}"
            "      - run: python manage.py test\n")
    start = ("      - name: Start PostgreSQL\n        run: |\n          sudo systemctl start postgresql.service\n"
             "          sudo -u postgres createuser -s runner\n")
    assert check({".github/workflows/tests.yml": base.format(start)}, "--strict").code == 0
    assert check({".github/workflows/tests.yml": base.format("      - uses: ankane/setup-mariadb@v1\n")}, "--strict").code == 0
    assert rules(check({".github/workflows/tests.yml": base.format("")}, "--strict")) == ["ci-no-integration-check"]


def test_matrix_commands_are_each_followed(check: Callable[..., HookResult]) -> None:
    """warehouse: one job, `run: ${{ matrix.command }}`, the commands listed under the matrix's include."""
    workflow = ("on:\n  pull_request:\n  push:\n    branches: [main]\njobs:\n  test:\n    strategy:\n      matrix:\n        include:\n"
                "          - name: Tests\n            command: bin/tests --postgresql-host postgres\n          - name: Lint\n"
                "            command: bin/lint\n    runs-on: ubuntu-latest\n    services:\n      postgres:\n"
                "        image: ${{ (matrix.name == 'Tests') && 'postgres:17.5' || '' }}\n    steps:\n"
                "      - uses: actions/checkout@v4\n      - name: Run ${{ matrix.name }}\n        run: ${{ matrix.command }}\n")
    files = {".github/workflows/ci.yml": workflow, "bin/tests": "#!/bin/bash\nset -ex\npython -m pytest --dist=worksteal tests/\n",
             "bin/lint": "#!/bin/bash\nset -ex\npython -m ruff check .\npython -m mypy -p warehouse\n"}
    assert check(files).code == 0
    assert rules(check({**files, "bin/lint": "#!/bin/bash\nnpx stylelint 'warehouse/static/sass/**/*.scss'\n"})) == ["ci-no-lint"]


def test_tests_named_by_the_compose_service_command(check: Callable[..., HookResult]) -> None:
    """redash: `docker compose run --name tests redash tests --junitxml=...`: the image's entrypoint runs pytest."""
    workflow = ("on:\n  pull_request:\njobs:\n  backend:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check .\n"
                "      - run: docker compose up -d\n      - run: docker compose -p redash run --name tests redash tests --junitxml=junit.xml tests/\n")
    assert check({".github/workflows/ci.yml": workflow}, "--strict").code == 0
    result = check({".github/workflows/ci.yml": workflow.replace("redash tests --junitxml", "redash lint --junitxml")}, "--strict")
    assert rules(result) == ["ci-no-integration-check", "ci-no-unit-tests"]


def test_cd_moves_where_make_and_tox_are_read(check: Callable[..., HookResult]) -> None:
    pipeline = ("stages: [test]\nbackend:\n  stage: test\n  image: python:3.12\n  services:\n    - name: postgres:16\n"
                "      alias: db\n  script:\n    - cd backend\n    - make lint test\n")
    makefile = "lint:\n\tflake8 app\n\ntest:\n\tpytest\n"
    assert check({".gitlab-ci.yml": pipeline, "backend/Makefile": makefile, "Makefile": "lint:\n\tnpm run lint\n"}).code == 0
    workflow = ("on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: mysql:8\n"
                "    steps:\n      - run: cd backend && make lint test\n")
    assert check({".github/workflows/ci.yml": workflow, "backend/Makefile": makefile}).code == 0


# -- shapes from the held-out run, fixed after it (the held-out table is of the run before) --------

def test_manage_py_run_directly_is_a_program_not_a_script(check: Callable[..., HookResult]) -> None:
    """wger: `uv run ./manage.py test --parallel auto`."""
    workflow = ("on:\n  pull_request:\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres:15\n"
                "    steps:\n      - run: uv run ruff check\n      - run: uv run ./manage.py test --parallel auto\n")
    assert check({".github/workflows/ci.yml": workflow, "manage.py": "import os\nimport sys\n"}).code == 0


def test_compose_file_option_before_up(check: Callable[..., HookResult]) -> None:
    """paperless-ngx: `docker compose --file docker/compose/docker-compose.ci-test.yml up --detach`, then pytest."""
    workflow = ("on:\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check\n"
                "      - name: Start containers\n        run: |\n          docker compose --file docker/compose/ci.yml pull --quiet\n"
                "          docker compose --file docker/compose/ci.yml up --detach\n      - run: uv run pytest\n")
    assert check({".github/workflows/ci.yml": workflow}).code == 0


def test_go_task_taskfile(check: Callable[..., HookResult]) -> None:
    """mealie: `task py:lint`, `task py:test` from Taskfile.yml."""
    workflow = ("on:\n  workflow_call:\njobs:\n  backend:\n    runs-on: ubuntu-latest\n    services:\n      postgres:\n"
                "        image: postgres\n    steps:\n      - uses: arduino/setup-task@v2\n      - run: task py:lint\n      - run: task py:test\n")
    caller = "on:\n  pull_request:\njobs:\n  backend-tests:\n    uses: ./.github/workflows/partial-backend.yml\n"
    taskfile = ("version: \"3\"\ntasks:\n  py:test:\n    desc: runs tests\n    cmds:\n      - poetry run pytest {{ .CLI_ARGS }}\n"
                "  py:lint:\n    cmds:\n      - poetry run ruff check mealie\n  py:check:\n    deps:\n      - py:lint\n")
    files = {".github/workflows/partial-backend.yml": workflow, ".github/workflows/pull-requests.yml": caller, "Taskfile.yml": taskfile}
    assert check(files, "--strict").code == 0
    assert rules(check({**files, "Taskfile.yml": taskfile.replace("poetry run pytest", "echo")}, "--strict")) == \
        ["ci-no-integration-check", "ci-no-unit-tests"]


def test_linter_actions_and_unknown_wrappers(check: Callable[..., HookResult]) -> None:
    base = ("on:\n  pull_request:\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n{}\n  test:\n    runs-on: ubuntu-latest\n"
            "    services:\n      redis:\n        image: redis:7\n    steps:\n      - run: pytest\n")
    for lint in ("      - uses: super-linter/super-linter@v8", "      - uses: j178/prek-action@v2",
                 "      - run: sfw uv run pre-commit run --all --show-diff-on-failure"):
        assert check({".github/workflows/ci.yml": base.format(lint)}).code == 0, lint
    assert rules(check({".github/workflows/ci.yml": base.format("      - run: echo pre-commit run")})) == ["ci-no-lint"]


def test_reusable_workflow_inputs_reach_the_make_target(check: Callable[..., HookResult]) -> None:
    """lnbits: lint.yml calls make.yml with `make: checkruff`; make.yml runs `make ${{ inputs.make }}`."""
    make = ("on:\n  workflow_call:\n    inputs:\n      make:\n        type: string\n        required: true\njobs:\n  make:\n"
            "    runs-on: ubuntu-latest\n    steps:\n      - run: make ${{ inputs.make }}\n")
    lint = "on:\n  pull_request:\njobs:\n  ruff:\n    uses: ./.github/workflows/make.yml\n    with:\n      make: checkruff\n" \
           "  tests:\n    uses: ./.github/workflows/make.yml\n    with:\n      make: test\n"
    makefile = "checkruff:\n\truff check .\n\ntest:\n\tdocker compose up -d postgres\n\tpytest tests\n"
    assert check({".github/workflows/make.yml": make, ".github/workflows/lint.yml": lint, "Makefile": makefile}).code == 0


def test_pre_commit_on_named_files_is_not_the_lint_step(check: Callable[..., HookResult]) -> None:
    """paperless-ngx's release workflow formats the generated changelog: `prek run --files changelog.md || true`."""
    workflow = ("on:\n  pull_request:\njobs:\n  t:\n    runs-on: ubuntu-latest\n    services:\n      pg:\n        image: postgres\n"
                "    steps:\n      - run: ruff check .\n      - run: pytest\n      - run: uv run prek run --files changelog.md || true\n")
    assert check({".github/workflows/ci.yml": workflow}).code == 0


def test_one_publish_finding_per_workflow(check: Callable[..., HookResult]) -> None:
    release_with_docker = RELEASE + ("  docker:\n    runs-on: ubuntu-latest\n    steps:\n"
                                                "      - run: docker buildx build --push -t app:latest .\n")
    result = check({".github/workflows/release.yml": release_with_docker})
    assert rules(result) == ["publish-without-tests"]
    assert "jobs publish, docker publish to PyPI and a Docker image without the tests having passed first" in result.out
    assert "add `needs: [test]`" in result.out


def test_invoke_tasks(check: Callable[..., HookResult]) -> None:
    """nautobot (round 2): `poetry run invoke unittest`, tasks.py builds the command; the task's name counts too."""
    workflow = ("on:\n  pull_request:\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: poetry run invoke ruff\n"
                "      - run: poetry run invoke unittest\n      - run: poetry run invoke integration-test\n")
    tasks = ('from invoke import task\n\n\n@task\ndef ruff(context):\n    context.run("ruff check .")\n\n\n'
             '@task\ndef unittest(context, label="nautobot"):\n    command = f"coverage run --module nautobot.core.cli test {label}"\n'
             '    run_command(context, command)\n\n\n@task\ndef integration_test(context):\n    unittest(context, tag="integration")\n')
    assert check({".github/workflows/ci.yml": workflow, "tasks.py": tasks}, "--strict").code == 0
    docs_only = workflow.replace("invoke unittest", "invoke build-and-check-docs").replace("      - run: poetry run invoke integration-test\n", "")
    assert rules(check({".github/workflows/ci.yml": docs_only, "tasks.py": tasks}, "--strict")) == \
        ["ci-no-integration-check", "ci-no-unit-tests"]


def test_checklist_table(check: Callable[..., HookResult]) -> None:
    result = check({**GITLAB, "config/staging.yaml": "a: 1\n", "config/production.yaml": "a: 2\n",
                    "pyproject.toml": '[project]\nname = "app"\nversion = "1.0.0"\n'}, "--checklist")
    assert result.out.startswith("| item | status | where |\n|---|---|---|\n| lint | met | .gitlab-ci.yml: lint |\n"
                                 "| unit tests | met | .gitlab-ci.yml: test |\n| integration check | met | .gitlab-ci.yml: test |\n"
                                 "| staging-config check | not met |  |\n| version (.) | agree | 1.0.0 ([project] version, 1 source(s)) |\n\n")
    assert ".gitlab-ci.yml:1:1: check-release-checklist: ci-no-staging-check:" in result.out


# -- default output vs --strict (round 2's debatable classes) ------------------------------------

UNIT_ONLY = ("on:\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
             "      - run: ruff check .\n      - run: {}\n")
INTEGRATION_TESTS = {"tests/unit/test_models.py": "def test_x():\n    assert True\n",
                     "tests/integration/test_api.py": "def test_api():\n    assert True\n",
                     "tests/integration/conftest.py": "", "docs/e2e/test_example.py": ""}


def test_written_integration_tests_that_no_ci_run_collects(check: Callable[..., HookResult]) -> None:
    result = check({".github/workflows/ci.yml": UNIT_ONLY.format("pytest tests/unit"), **INTEGRATION_TESTS})
    assert rules(result) == ["ci-no-integration-check"]
    assert result.lines[0] == (".github/workflows/ci.yml:3:1: check-release-checklist: ci-no-integration-check: integration tests "
                               "are written (tests/integration) but no CI job runs them (no test run collects that folder); run "
                               "them in a job that starts what they talk to (a database under services:, or `docker compose up --wait`)")
    for deselected in ("pytest --ignore=tests/integration", "pytest -k 'not integration'", "pytest tests/unit tests/test_x.py"):
        assert rules(check({".github/workflows/ci.yml": UNIT_ONLY.format(deselected), **INTEGRATION_TESTS})) == \
            ["ci-no-integration-check"], deselected
    # -m deselects what carries the marker: the folder's tests marked integration, not the folder's name
    marked = {**INTEGRATION_TESTS, "tests/integration/test_api.py": "import pytest\n\npytestmark = pytest.mark.integration\n\n\n"
                                                                     "def test_api():\n    assert True\n"}
    assert rules(check({".github/workflows/ci.yml": UNIT_ONLY.format("pytest -m 'not integration'"), **marked})) == \
        ["ci-no-integration-check"]
    assert check({".github/workflows/ci.yml": UNIT_ONLY.format("pytest -m 'not integration'"), **INTEGRATION_TESTS}).code == 0


@pytest.mark.parametrize("command", ["pytest", "pytest tests", "python -m pytest -x --cov=app tests/", "python manage.py test",
                                     "pytest tests/integration/test_api.py::test_api", "python -m unittest discover -s tests"])
def test_a_run_that_collects_the_integration_folder_runs_them(check: Callable[..., HookResult], command: str) -> None:
    assert check({".github/workflows/ci.yml": UNIT_ONLY.format(command), **INTEGRATION_TESTS}).code == 0


def test_tox_posargs_default_collects_the_integration_folder(check: Callable[..., HookResult]) -> None:
    tox = "[tox]\nenvlist = py312\n\n[testenv]\ndeps = pytest\ncommands = pytest {posargs:tests}\n"
    assert check({".github/workflows/ci.yml": UNIT_ONLY.format("tox"), "tox.ini": tox, **INTEGRATION_TESTS}).code == 0
    tox_unit = tox.replace("{posargs:tests}", "{posargs:tests/unit}")
    assert rules(check({".github/workflows/ci.yml": UNIT_ONLY.format("tox"), "tox.ini": tox_unit, **INTEGRATION_TESTS})) == \
        ["ci-no-integration-check"]


def test_a_small_library_without_integration_tests_is_not_asked_for_one(check: Callable[..., HookResult]) -> None:
    files = {".github/workflows/ci.yml": UNIT_ONLY.format("pytest"), "tests/test_core.py": "", "src/lib/__init__.py": ""}
    result = check(files, "--checklist")
    assert result.code == 0
    assert "| integration check | not asked | no integration tests written (--strict asks for one) |" in result.out
    assert rules(check(files, "--strict")) == ["ci-no-integration-check"]


RELEASE_ONLY = """\
name: Publish
on:
  release:
    types: [published]
jobs:
  pypi:
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - run: python -m build
      - uses: pypa/gh-action-pypi-publish@release/v1
"""
TESTS = "on:\n  pull_request:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" \
        "      - run: ruff check .\n      - run: pytest\n"


def test_publish_workflow_without_tests_of_its_own_is_strict_only(check: Callable[..., HookResult]) -> None:
    """ckan, nautobot, Kinto: a tag or release publishes; the tests ran on the branch in another workflow."""
    files = {".github/workflows/publish.yml": RELEASE_ONLY, ".github/workflows/tests.yml": TESTS}
    assert check(files).code == 0
    result = check(files, "--strict", "--skip", "ci-no-integration-check")
    assert rules(result) == ["publish-without-tests"]
    assert result.lines[0].startswith(".github/workflows/publish.yml:6:1: check-release-checklist: publish-without-tests: "
                                      "job pypi publishes to PyPI without the tests having passed first")


def test_publish_beside_a_test_job_it_does_not_wait_for(check: Callable[..., HookResult]) -> None:
    test_job = "  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n"
    workflow = RELEASE_ONLY.replace("jobs:\n", "jobs:\n" + test_job)
    result = check({".github/workflows/publish.yml": workflow, ".github/workflows/tests.yml": TESTS})
    assert rules(result) == ["publish-without-tests"]
    assert "add `needs: [test]`" in result.out
    waits = workflow.replace("  pypi:\n    runs-on", "  pypi:\n    needs: test\n    runs-on")
    assert check({".github/workflows/publish.yml": waits, ".github/workflows/tests.yml": TESTS}).code == 0


def test_test_pypi_is_a_staging_index_not_a_release(check: Callable[..., HookResult]) -> None:
    """ckan's publish-test-pypi.yml (judged wrong in round 2)."""
    action = RELEASE_ONLY.replace("gh-action-pypi-publish@release/v1\n",
                                  "gh-action-pypi-publish@release/v1\n        with:\n          repository-url: https://test.pypi.org/legacy/\n")
    twine = RELEASE_ONLY.replace("      - uses: pypa/gh-action-pypi-publish@release/v1\n", "      - run: twine upload -r testpypi dist/*\n")
    for workflow in (action, twine):
        assert rules(check({".github/workflows/publish.yml": workflow, ".github/workflows/tests.yml": TESTS}, "--strict")) == \
            ["ci-no-integration-check"]
    real = RELEASE_ONLY.replace("      - uses: pypa/gh-action-pypi-publish@release/v1\n", "      - run: twine upload dist/*\n")
    assert rules(check({".github/workflows/publish.yml": real, ".github/workflows/tests.yml": TESTS}, "--strict")) == \
        ["ci-no-integration-check", "publish-without-tests"]


def test_compose_up_exit_code_from_a_service_is_the_test_run(check: Callable[..., HookResult]) -> None:
    """DefectDojo: `docker compose up --exit-code-from uwsgi` after an env script makes uwsgi's entrypoint run the tests."""
    base = ("on:\n  pull_request:\njobs:\n  tests:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check .\n"
            "      - run: ./docker/setEnv.sh unit_tests_cicd\n      - run: docker compose up --no-deps {}uwsgi\n")
    assert check({".github/workflows/ci.yml": base.format("--exit-code-from uwsgi ")}, "--strict").code == 0
    assert check({".github/workflows/ci.yml": base.format("--abort-on-container-exit ")}, "--strict").code == 0
    assert rules(check({".github/workflows/ci.yml": base.format("-d ")}, "--strict")) == ["ci-no-integration-check", "ci-no-unit-tests"]


@pytest.mark.parametrize("command", ["python runtests.py", "python run_tests.py --parallel", "./runtests.py"])
def test_the_projects_own_test_runner_script(check: Callable[..., HookResult], command: str) -> None:
    assert check({".github/workflows/ci.yml": UNIT_ONLY.format(command)}).code == 0


def test_a_python_script_that_is_not_a_test_runner(check: Callable[..., HookResult]) -> None:
    assert rules(check({".github/workflows/ci.yml": UNIT_ONLY.format("python scripts/build_docs.py")})) == ["ci-no-unit-tests"]


def test_pre_commit_ci_badge_in_the_readme_counts_as_lint(check: Callable[..., HookResult]) -> None:
    workflow = "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n"
    precommit = "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.8.0\n    hooks:\n      - id: ruff\n"
    files = {".github/workflows/ci.yml": workflow, ".pre-commit-config.yaml": precommit}
    assert rules(check({**files, "README.md": "# lib\n"})) == ["ci-no-lint"]
    badge = "# lib\n\n[![pre-commit.ci status](https://results.pre-commit.ci/badge/github/acme/lib/main.svg)]" \
            "(https://results.pre-commit.ci/latest/github/acme/lib/main)\n"
    assert check({**files, "README.md": badge}).code == 0


def test_repo_wide_findings_point_at_the_test_workflow(check: Callable[..., HookResult]) -> None:
    """DefectDojo: 'no unit tests' was reported on ruff.yml:1; it belongs where the tests run (or would)."""
    ruff = "on: [pull_request]\njobs:\n  ruff:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check .\n"
    tests = "on: [pull_request]\njobs:\n  unit:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n"
    result = check({".github/workflows/a-ruff.yml": ruff, ".github/workflows/tests.yml": tests,
                    "tests/integration/test_db.py": "", "pytest.ini": "[pytest]\ntestpaths = tests/unit\n"},
                   "--skip", "ci-no-lint")
    assert result.code == 0  # plain pytest collects tests/ (testpaths is not read: it counts as run)
    docs = tests.replace("pytest", "sphinx-build docs out")
    result = check({".github/workflows/a-ruff.yml": ruff, ".github/workflows/tests.yml": docs})
    assert rules(result) == ["ci-no-integration-check", "ci-no-unit-tests"]  # the integration tests are still written
    assert all(line.startswith(".github/workflows/tests.yml:2:1:") for line in result.lines)  # its jobs: key
