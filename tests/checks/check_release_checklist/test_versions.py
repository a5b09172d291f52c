"""check-release-checklist, version rules: version-sources-disagree,
tag-not-version (through --tag; the real pre-push is in test_e2e.py) and
changelog-missing-release, catch / leave-alone pairs."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.check_release_checklist import versions
from tests.conftest import HookResult, git
from tests.helpers.release import commit, make_repo

HOOK = "check-release-checklist"
CI = {".pre-commit-config.yaml": "ci:\n  autofix_prs: false\nrepos: []\n"}  # CI present; versions are what is tested
ONLY_VERSIONS = ("--skip", "ci-no-lint", "--skip", "ci-no-unit-tests", "--skip", "ci-no-integration-check")


@pytest.fixture
def check(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    def run(files: dict[str, str], *args: str) -> HookResult:
        make_repo(tmp_path, {**CI, **files})
        return run_hook(HOOK, *ONLY_VERSIONS, *args)

    return run


POETRY_SERVICE = {
    "pyproject.toml": '[tool.poetry]\nname = "billing-api"\nversion = "3.2.0"\ndescription = ""\n\n'
                      '[tool.poetry.dependencies]\npython = "^3.11"\n\n[tool.commitizen]\nname = "cz_conventional_commits"\n'
                      'version = "3.2.0"\ntag_format = "v$version"\n\n[build-system]\nrequires = ["poetry-core"]\n'
                      'build-backend = "poetry.core.masonry.api"\n',
    "billing_api/__init__.py": '"""Billing API."""\n\n__version__ = "3.2.0"\n',
}


def test_agreeing_sources_pass(check: Callable[..., HookResult]) -> None:
    assert check(POETRY_SERVICE).code == 0


def test_forgotten_dunder_version_is_reported_where_it_is_written(check: Callable[..., HookResult]) -> None:
    files = {**POETRY_SERVICE, "billing_api/__init__.py": '"""Billing API."""\n\n__version__ = "3.1.4"\n'}
    result = check(files)
    assert result.code == 1
    assert result.lines == ["billing_api/__init__.py:3:1: check-release-checklist: version-sources-disagree: __version__ is 3.1.4 "
                            "but [tool.poetry] version in pyproject.toml is 3.2.0 (what pip installs); make them agree, or keep "
                            "one source (read it with importlib.metadata.version(), or let the bump tool update every file)"]


def test_bump_tool_record_that_fell_behind(check: Callable[..., HookResult]) -> None:
    files = {**POETRY_SERVICE, "pyproject.toml": POETRY_SERVICE["pyproject.toml"].replace('version = "3.2.0"\ntag_format',
                                                                                           'version = "3.1.0"\ntag_format')}
    result = check(files)
    assert [line.split(": ")[0] for line in result.lines] == ["pyproject.toml:11:1"]
    assert "[tool.commitizen] version is 3.1.0 but [tool.poetry] version" in result.out


def test_versions_written_differently_are_the_same(check: Callable[..., HookResult]) -> None:
    files = {"pyproject.toml": '[project]\nname = "svc"\nversion = "2.0"\n\n[tool.bumpversion]\ncurrent_version = "2.0.0"\n',
             "src/svc/__init__.py": '__version__ = "v2.0.0"\n'}
    assert check(files).code == 0


def test_version_from_git_has_nothing_to_compare(check: Callable[..., HookResult]) -> None:
    files = {"pyproject.toml": '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n\n'
                               '[project]\nname = "svc"\ndynamic = ["version"]\n\n[tool.hatch.version]\nsource = "vcs"\n',
             "src/svc/__init__.py": '__version__ = "0.9.0"  # stale, but nothing installs it\n'}
    assert check(files).code == 0


def test_attr_version_is_the_one_source_and_others_are_held_to_it(check: Callable[..., HookResult]) -> None:
    files = {"setup.cfg": "[metadata]\nname = legacy-svc\nversion = attr: legacy_svc.__version__\n\n"
                          "[bumpversion]\ncurrent_version = 1.4.0\ncommit = True\n",
             "legacy_svc/__init__.py": '__version__ = "1.5.0"\n'}
    result = check(files)
    assert result.lines == ["setup.cfg:6:1: check-release-checklist: version-sources-disagree: [bumpversion] current_version "
                            "is 1.4.0 but __version__ in legacy_svc/__init__.py is 1.5.0 (what pip installs); make them agree, "
                            "or keep one source (read it with importlib.metadata.version(), or let the bump tool update every file)"]
    files["setup.cfg"] = files["setup.cfg"].replace("1.4.0", "1.5.0")
    assert check(files).code == 0


def test_monorepo_projects_are_compared_within_themselves(check: Callable[..., HookResult]) -> None:
    files = {"services/api/pyproject.toml": '[project]\nname = "api"\nversion = "1.0.0"\n',
             "services/api/src/api/__init__.py": '__version__ = "1.0.0"\n',
             "services/worker/pyproject.toml": '[project]\nname = "worker"\nversion = "4.2.0"\n',
             "services/worker/worker/__init__.py": '__version__ = "4.1.0"\n',
             "pyproject.toml": '[tool.ruff]\nline-length = 100\n'}
    result = check(files)
    assert [line.split(": ")[0] for line in result.lines] == ["services/worker/worker/__init__.py:1:1"]
    assert "in services/worker/pyproject.toml is 4.2.0" in result.out


def test_a_word_is_not_a_version(check: Callable[..., HookResult]) -> None:
    """mealie: `__version__ = "develop"`, replaced when the image is built."""
    assert check({**POETRY_SERVICE, "billing_api/__init__.py": '__version__ = "develop"\n'}).code == 0


def test_computed_dunder_version_and_test_fixture_projects_are_left_alone(check: Callable[..., HookResult]) -> None:
    files = {"pyproject.toml": '[project]\nname = "svc"\nversion = "2.0.0"\n',
             "svc/__init__.py": 'from importlib.metadata import version\n\n__version__ = version("svc")\n',
             "tests/fixtures/old/setup.py": 'from setuptools import setup\nsetup(name="svc", version="0.1")\n'}
    assert check(files).code == 0


# -- tag-not-version ---------------------------------------------------------------------

def test_tag_that_does_not_match_the_version(check: Callable[..., HookResult]) -> None:
    result = check(POETRY_SERVICE, "--tag", "v3.3.0")
    assert result.lines == ["pyproject.toml:3:1: check-release-checklist: tag-not-version: tag v3.3.0 is being pushed but "
                            "[tool.poetry] version is 3.2.0; bump the version to 3.3.0 and move the tag (git tag -f v3.3.0), "
                            "or tag 3.2.0"]
    assert check(POETRY_SERVICE, "--tag", "v3.2.0").code == 0
    assert check(POETRY_SERVICE, "--tag", "deploy-friday").code == 0  # not a version tag


def test_docker_releases_do_not_compare_tags_with_the_package_version(check: Callable[..., HookResult]) -> None:
    result = check(POETRY_SERVICE, "--tag", "v9.0.0", "--release", "docker")
    assert result.code == 0
    assert "name Docker images here (release = docker); not compared" in result.err


def test_monorepo_tag_prefix_names_the_project(check: Callable[..., HookResult]) -> None:
    files = {"api/pyproject.toml": '[project]\nname = "api"\nversion = "1.0.0"\n',
             "worker/pyproject.toml": '[project]\nname = "worker"\nversion = "4.2.0"\n'}
    assert check(files, "--tag", "worker-v4.2.0").code == 0
    assert "tag worker-v4.3.0 is being pushed" in check(files, "--tag", "worker-v4.3.0").out


def test_tag_compared_with_the_tagged_commit_not_the_work_tree(check: Callable[..., HookResult], tmp_path: Path) -> None:
    make_repo(tmp_path, {**CI, **POETRY_SERVICE})
    commit(tmp_path)
    git(tmp_path, "tag", "v3.2.0")
    (tmp_path / "pyproject.toml").write_text(POETRY_SERVICE["pyproject.toml"].replace("3.2.0", "3.3.0"))
    (tmp_path / "billing_api/__init__.py").write_text('__version__ = "3.3.0"\n')
    assert check({}, "--tag", "v3.2.0").code == 0


# -- changelog-missing-release (off by default) ------------------------------------------

CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [3.1.0] - 2025-01-10\n\n- first\n"


def test_changelog_rule_is_off_by_default_and_catches_a_missing_heading(check: Callable[..., HookResult]) -> None:
    files = {**POETRY_SERVICE, "CHANGELOG.md": CHANGELOG}
    assert check(files).code == 0
    result = check(files, "--enable", "changelog-missing-release")
    assert result.lines == ["CHANGELOG.md:1:1: check-release-checklist: changelog-missing-release: [tool.poetry] version is "
                            "3.2.0 (pyproject.toml) but CHANGELOG.md has no heading for it; add one with what changed"]
    files["CHANGELOG.md"] = CHANGELOG.replace("## [Unreleased]\n", "## [Unreleased]\n\n## [3.2.0] - 2025-02-01\n\n- second\n")
    assert check(files, "--enable", "changelog-missing-release").code == 0


def test_rst_history_and_towncrier_fragments(check: Callable[..., HookResult]) -> None:
    history = "History\n=======\n\n3.2.0 (2025-02-01)\n------------------\n\n* second\n"
    assert check({**POETRY_SERVICE, "HISTORY.rst": history}, "--enable", "changelog-missing-release").code == 0
    pyproject = POETRY_SERVICE["pyproject.toml"] + '\n[tool.towncrier]\ndirectory = "changelog.d"\n'
    files = {**POETRY_SERVICE, "pyproject.toml": pyproject, "CHANGES.md": "# Changes\n", "changelog.d/123.feature.md": "New thing\n"}
    assert check(files, "--enable", "changelog-missing-release").code == 0


@pytest.mark.parametrize(("a", "b", "same"), [
    ("1.2", "1.2.0", True), ("v1.2.0", "1.2.0", True), ("1.0-RC1", "1.0rc1", True), ("1.0.0-beta.2", "1.0b2", True),
    ("2.0.post1", "2.0.0.post1", True), ("1.2.0", "1.2.1", False), ("1.0rc1", "1.0", False), ("1.0.dev1", "1.0", False),
])
def test_version_comparison(a: str, b: str, same: bool) -> None:
    assert versions.same(a, b) is same


@pytest.mark.parametrize(("tag", "parsed"), [
    ("refs/tags/v1.2.3", ("", "1.2.3")), ("1.2.3", ("", "1.2.3")), ("api-v2.0", ("api", "2.0")),
    ("worker/1.0.0rc1", ("worker", "1.0.0rc1")), ("deploy-2024", None), ("latest", None), ("v1", None),
])
def test_tag_parsing(tag: str, parsed: tuple[str, str] | None) -> None:
    assert versions.parse_tag(tag) == parsed


# -- version sources in the other places build backends read them ---------------------------------------

@pytest.mark.parametrize(("files", "stale"), [
    # setup.py literal beside a package __version__ nobody bumped
    ({"setup.py": 'from setuptools import setup\nsetup(name="legacy-app", version="2.4.0", packages=["legacy_app"])\n',
      "legacy_app/__init__.py": '__version__ = "2.3.9"\n'}, "legacy_app/__init__.py"),
    # setup.cfg reads the version from a file; .bumpversion.cfg fell behind
    ({"setup.cfg": "[metadata]\nname = app\nversion = file: VERSION.txt\n", "VERSION.txt": "1.4.0\n",
      ".bumpversion.cfg": "[bumpversion]\ncurrent_version = 1.3.0\n"}, ".bumpversion.cfg"),
    # setuptools dynamic attr through package-dir
    ({"pyproject.toml": '[project]\nname = "svc"\ndynamic = ["version"]\n\n[tool.setuptools.dynamic]\n'
                        'version = {attr = "svc.__version__"}\n\n[tool.setuptools.package-dir]\n"" = "src"\n\n'
                        '[tool.bumpversion]\ncurrent_version = "0.8.0"\n',
      "src/svc/__init__.py": '__version__ = "0.9.0"\n'}, "pyproject.toml"),
    # hatch reads __version__ from a path; commitizen's record is stale
    ({"pyproject.toml": '[project]\nname = "api"\ndynamic = ["version"]\n\n[build-system]\nrequires = ["hatchling"]\n'
                        'build-backend = "hatchling.build"\n\n[tool.hatch.version]\npath = "api/__about__.py"\n\n'
                        '[tool.commitizen]\nversion = "5.0.0"\n',
      "api/__about__.py": '__version__ = "5.1.0"\n'}, "pyproject.toml"),
    # flit reads the module's __version__; a VERSION file was left behind
    ({"pyproject.toml": '[project]\nname = "tool-kit"\ndynamic = ["version"]\n\n[build-system]\nrequires = ["flit_core"]\n'
                        'build-backend = "flit_core.buildapi"\n',
      "src/tool_kit/__init__.py": '__version__ = "1.0.0"\n', "VERSION": "0.9.0\n"}, "VERSION"),
], ids=["setup.py", "setup.cfg-file", "setuptools-attr-package-dir", "hatch-path", "flit"])
def test_version_sources_build_backends_read(check: Callable[..., HookResult], files: dict[str, str], stale: str) -> None:
    result = check(files)
    assert result.code == 1, result.out + result.err
    assert [line.split(":", 1)[0] for line in result.lines] == [stale]
    assert "version-sources-disagree" in result.out


@pytest.mark.parametrize("files", [
    {"setup.py": 'from setuptools import setup\nsetup(name="x", use_scm_version=True)\n', "x/__init__.py": '__version__ = "0.0.1"\n'},
    {"setup.py": "from setuptools import setup\nsetup(setup_requires=['pbr'], pbr=True)\n", "VERSION": "1.0\n"},
    {"setup.cfg": "[metadata]\nname = y\n\n[options]\nsetup_requires = setuptools_scm\n", "y/__init__.py": '__version__ = "9.9"\n'},
    {"pyproject.toml": '[project]\nname = "z"\ndynamic = ["version"]\n\n[tool.pdm.version]\nsource = "scm"\n', "VERSION": "3\n"},
    {"pyproject.toml": '[tool.poetry]\nname = "w"\nversion = "0.0.0"\n\n[tool.poetry-dynamic-versioning]\nenable = true\n',
     "w/__init__.py": '__version__ = "0.0.0"\n'},
    {"setup.py": 'import setuptools\nsetuptools.setup(name="u", version=get_version())\n', "u/__init__.py": '__version__ = "2"\n'},
    {"setup.py": "def (:\n", "VERSION": "1\n"},
], ids=["use_scm_version", "pbr", "setup_requires-scm", "pdm-scm", "poetry-dynamic", "computed", "broken-setup.py"])
def test_versions_from_git_or_computed_are_not_compared(check: Callable[..., HookResult], files: dict[str, str]) -> None:
    result = check(files)
    assert result.code == 0, result.out



# -- a project nothing installs (held-out round 5: micromasters) ------------------------------------------------

# A Django service migrated from pip-tools to uv: the release version is VERSION (read by settings.py,
# tagged v0.250.0); `[project] version` is the 0.0.1 migrate-to-uv wrote, and `[tool.uv] package = false`
# (the Dockerfile runs `uv sync --no-install-project`) means nothing ever builds or installs the project.
UV_APP = {
    "pyproject.toml": '[project]\nname = "micromasters"\nversion = "0.0.1"\nrequires-python = ">=3.11"\n'
                      'dependencies = [\n    "django>=5.2,<5.3",\n    "celery==5.6.3",\n]\n\n[tool.uv]\npackage = false\n\n'
                      '[dependency-groups]\ndev = [\n    "pytest>=7.0,<8.0",\n    "pylint>=3.0,<4.0",\n]\n',
    "VERSION": "0.250.0\n",
    "uv.lock": "version = 1\nrevision = 2\nrequires-python = \">=3.11\"\n",
    "micromasters/settings.py": 'import os\n\nwith open(os.path.join(os.path.dirname(__file__), "..", "VERSION")) as f:\n'
                                '    VERSION = f.read().strip()\n',
    "Dockerfile": "FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /usr/local/bin/\n"
                  "COPY pyproject.toml uv.lock /src/\nRUN uv sync --frozen --no-install-project --no-dev\n",
}


@pytest.mark.parametrize("switch", [
    "[tool.uv]\npackage = false\n",
    "[tool.poetry]\npackage-mode = false\n",
    "[tool.pdm]\ndistribution = false\n",
    '[tool.pdm]\npackage-type = "application"\n',
    "[tool.rye]\nvirtual = true\n",
], ids=["uv", "poetry", "pdm", "pdm-old", "rye"])
def test_the_version_of_a_project_packaging_is_off_for_is_not_compared(check: Callable[..., HookResult], switch: str) -> None:
    files = {**UV_APP, "pyproject.toml": UV_APP["pyproject.toml"].replace("[tool.uv]\npackage = false\n", switch)}
    result = check(files, "--checklist")
    assert result.code == 0, result.out
    assert "| version (.) | agree | 0.250.0 (VERSION, 1 source(s); [project] version not compared: " in result.out


def test_a_packaged_project_still_compares_its_version_with_version_file(check: Callable[..., HookResult]) -> None:
    built = UV_APP["pyproject.toml"].replace("[tool.uv]\npackage = false\n",
                                             '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n')
    result = check({**UV_APP, "pyproject.toml": built})
    assert [line.split(": ")[0] for line in result.lines] == ["VERSION:1:1"]
    assert "VERSION is 0.250.0 but [project] version in pyproject.toml is 0.0.1 (what pip installs)" in result.out
    # `package = true` forces uv to install it: compared too
    forced = UV_APP["pyproject.toml"].replace("package = false", "package = true")
    assert check({**UV_APP, "pyproject.toml": forced}).code == 1


@pytest.mark.parametrize(("version", "build_system", "uv_lock", "reported"), [
    ("0.1.0", False, True, False),   # uv init's default, no build system: uv never installs it
    ("0.0.1", False, True, False),
    ("1.9.0", False, True, True),    # a version someone writes on purpose: compared
    ("0.1.0", True, True, True),     # a build system: pip and uv install 0.1.0
    ("0.1.0", False, False, True),   # no sign of uv: pip's legacy backend would install 0.1.0
], ids=["uv-default", "migrate-to-uv-default", "real-version", "built", "not-uv"])
def test_an_init_default_version_is_a_placeholder_only_where_uv_installs_nothing(
        check: Callable[..., HookResult], version: str, build_system: bool, uv_lock: bool, reported: bool) -> None:
    pyproject = f'[project]\nname = "shop"\nversion = "{version}"\nrequires-python = ">=3.12"\ndependencies = ["django>=5"]\n'
    if build_system:
        pyproject += '\n[build-system]\nrequires = ["setuptools>=70"]\nbuild-backend = "setuptools.build_meta"\n'
    files = {"pyproject.toml": pyproject, "VERSION": "2.3.0\n"}
    if uv_lock:
        files["uv.lock"] = UV_APP["uv.lock"]
    result = check(files)
    assert (result.code == 1) is reported, result.out

# -- what a pre-push gives, the checklist table, odd corners -------------------------------------------------

def test_pre_push_environment_names_the_tags(check: Callable[..., HookResult], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """pre-commit's pre-push: PRE_COMMIT_REMOTE_BRANCH=refs/tags/v3.3.0, and tags on PRE_COMMIT_TO_REF (--follow-tags)."""
    make_repo(tmp_path, {**CI, **POETRY_SERVICE})
    sha = commit(tmp_path)
    git(tmp_path, "tag", "v3.2.0")
    git(tmp_path, "tag", "v3.1.9")
    monkeypatch.setenv("PRE_COMMIT_TO_REF", sha)
    result = check({})
    assert [line.split("tag-not-version: ")[1].split(" is being")[0] for line in result.lines] == ["tag v3.1.9"]
    assert versions.parse_tag("v3.2.0") is not None
    monkeypatch.setenv("PRE_COMMIT_TO_REF", "not-a-ref")
    monkeypatch.setenv("PRE_COMMIT_REMOTE_BRANCH", "refs/tags/v3.2.0")
    assert check({}).code == 0


def test_a_tag_pushed_where_no_version_is_written(check: Callable[..., HookResult]) -> None:
    result = check({"pyproject.toml": '[project]\nname = "svc"\n', "svc/__init__.py": ""}, "--tag", "v1.0.0")
    assert result.code == 0
    assert "tag-not-version: tag v1.0.0 is pushed but the project writes no version to compare it with" in result.err


def test_checklist_table_rows_for_versions_and_publishes(check: Callable[..., HookResult]) -> None:
    workflow = ("on:\n  pull_request:\n  push:\n    tags: ['v*']\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - run: ruff check . && pytest\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - uses: pypa/gh-action-pypi-publish@release/v1\n")
    files = {".github/workflows/ci.yml": workflow, "pyproject.toml": '[project]\nname = "a"\ndynamic = ["version"]\n\n'
             '[tool.setuptools_scm]\n', "a/__init__.py": ""}
    result = check(files, "--checklist", "--skip", "ci-no-staging-check")
    assert "| version (.) | from git | setuptools-scm |" in result.out
    assert "| publish after tests | not met | .github/workflows/ci.yml:10 |" in result.out
    as_json = check(files, "--checklist", "--format", "json")
    assert "--checklist is not printed with --format json/sarif" in as_json.err
    assert as_json.out.lstrip().startswith(("{", "["))


def test_checklist_without_ci_and_a_changelog_that_is_missing(run_hook: Callable[..., HookResult], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "no-ci", {"pyproject.toml": '[project]\nname = "a"\nversion = "1.2.0"\n'})
    monkeypatch.chdir(repo)
    result = run_hook(HOOK, "--checklist", "--enable", "changelog-missing-release")
    assert result.code == 1
    assert "| CI | not found | no CI configuration |" in result.out
    assert "| version (.) | agree | 1.2.0 ([project] version, 1 source(s)) |" in result.out
    assert ("pyproject.toml:3:1: check-release-checklist: changelog-missing-release: version 1.2.0 has no changelog: "
            "no CHANGELOG, HISTORY or NEWS file") in result.out
    assert result.err.startswith("check-release-checklist: no CI configuration found")
