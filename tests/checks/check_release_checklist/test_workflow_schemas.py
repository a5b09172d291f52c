"""A parse gate for the CI fixtures of check-release-checklist: each workflow
and pipeline the tests feed the hook must be valid for GitHub Actions / GitLab
CI, as judged by check-jsonschema's vendored schemas (offline: the schemas
ship inside the package). A fixture GitHub would refuse would make a test prove
nothing."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.checks.check_release_checklist import ci_shapes
from tests.helpers import release

FIXTURES = {"fullstack": release.FULLSTACK, "cookiecutter": release.COOKIECUTTER, "makefile": release.MAKEFILE_SERVICE,
            "gitlab": release.GITLAB, "release": {".github/workflows/release.yml": release.RELEASE},
            "gitlab-validate": {".gitlab-ci.yml": ci_shapes.GITLAB_VALIDATE},
            "gitlab-tox-matrix": {".gitlab-ci.yml": ci_shapes.GITLAB_TOX_MATRIX},
            "akvo-pages": {".github/workflows/pages.yml": ci_shapes.SEMAPHORE_AKVO[".github/workflows/pages.yml"]}}


def _files(kind: str) -> list[tuple[str, str]]:
    out = []
    for name, files in FIXTURES.items():
        for path, text in files.items():
            if (kind == "github" and path.startswith(".github/workflows/")) or (kind == "gitlab" and path == ".gitlab-ci.yml"):
                out.append((f"{name}-{path.replace('/', '_')}", text))
    return out


def _validate(schema: str, files: list[tuple[str, str]], folder: Path) -> subprocess.CompletedProcess:
    paths = []
    for name, text in files:
        path = folder / name
        path.write_text(text)
        paths.append(str(path))
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, "--disable-formats", "*", *paths],
                          capture_output=True, text=True, check=False)


@pytest.mark.parametrize(("kind", "schema"), [("github", "vendor.github-workflows"), ("gitlab", "vendor.gitlab-ci")])
def test_fixtures_are_valid_ci_files(kind: str, schema: str, tmp_path: Path) -> None:
    files = _files(kind)
    assert files
    result = _validate(schema, files, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_circleci_fixtures_are_valid_circleci_configs(tmp_path: Path) -> None:
    """The setup config and the configuration its generator writes (CircleCI dynamic configuration)."""
    files = [("setup-config.yml", ci_shapes.CIRCLECI_SETUP), ("generated_config.yml", ci_shapes.circleci_generated())]
    result = _validate("vendor.circle-ci", files, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    github = [(name.replace("/", "_"), text) for name, text in ci_shapes.CIRCLECI_DYNAMIC.items() if name.startswith(".github/")]
    result = _validate("vendor.github-workflows", github, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def _semaphore_errors(text: str) -> list[str]:
    """check-jsonschema vendors no Semaphore schema: the fixtures are held to the structure of Semaphore's
    pipeline reference instead (version v1.0, an agent machine, blocks of a task with named jobs whose
    commands are strings, promotions naming a pipeline file)."""
    import yaml

    doc = yaml.safe_load(text)
    errors = []
    if doc.get("version") != "v1.0" or not isinstance(doc.get("agent", {}).get("machine", {}).get("type"), str):
        errors.append("version v1.0 and agent.machine.type are required")
    allowed = {"version", "name", "agent", "blocks", "promotions", "global_job_config", "auto_cancel", "fail_fast",
               "execution_time_limit", "queue", "after_pipeline"}
    errors += [f"unknown key {key}" for key in doc if key not in allowed]
    for block in doc.get("blocks") or [errors.append("blocks are required") or {}]:
        task = block.get("task", {})
        if not isinstance(block.get("name"), str) or not task.get("jobs"):
            errors.append(f"block {block.get('name')}: a name and task.jobs are required")
        for job in task.get("jobs", []):
            commands = job.get("commands")
            if not isinstance(job.get("name"), str) or not commands or not all(isinstance(c, str) for c in commands):
                errors.append(f"job {job.get('name')}: a name and string commands are required")
        for key in ("run", "skip"):
            if key in block and not isinstance(block[key].get("when"), str):
                errors.append(f"block {block.get('name')}: {key}.when must be a condition")
    for promotion in doc.get("promotions", []):
        if not isinstance(promotion.get("name"), str) or not str(promotion.get("pipeline_file", "")).endswith(".yml"):
            errors.append("a promotion needs a name and a pipeline_file")
    return errors


def test_semaphore_fixtures_have_the_structure_of_semaphore_pipelines() -> None:
    for text in (ci_shapes.SEMAPHORE_AKVO[".semaphore/semaphore.yml"], ci_shapes.SEMAPHORE_BLOCKS, ci_shapes.SEMAPHORE_DEPLOY):
        assert _semaphore_errors(text) == []
    assert _semaphore_errors(ci_shapes.SEMAPHORE_BLOCKS.replace("          commands:\n            - $PIP", "          command:\n            - $PIP"))


def test_the_gate_refuses_a_broken_workflow(tmp_path: Path) -> None:
    broken = release.RELEASE.replace("    runs-on: ubuntu-latest\n", "    runs_on: ubuntu-latest\n", 1)
    result = _validate("vendor.github-workflows", [("broken.yml", broken)], tmp_path)
    assert result.returncode == 1
