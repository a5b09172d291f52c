"""The version the hook calls "what pip installs" is what pip installs: small
fixture packages are really built and installed (into a temporary target,
offline: --no-index --no-build-isolation --no-deps, with the setuptools and
wheel of this environment), then importlib.metadata.version() is held
against the source the hook names, and the disagreeing sources it reports
are the ones that differ from it."""
from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.checks.check_release_checklist import versions
from hooks.checks.check_release_checklist.reach import Repo
from tests.conftest import write_files

pytestmark = pytest.mark.e2e

BUILD = '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
PACKAGES: dict[str, dict[str, str]] = {
    # a static [project] version and a __version__ nobody bumped
    "static-pkg": {
        "pyproject.toml": BUILD + '[project]\nname = "static-pkg"\nversion = "1.2.0"\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\n',
        "src/static_pkg/__init__.py": '__version__ = "1.1.0"\n',
    },
    # setup.cfg reads __version__ (attr:); the bumpversion record fell behind
    "attr-pkg": {
        "setup.cfg": "[metadata]\nname = attr-pkg\nversion = attr: attr_pkg.__version__\n\n[options]\npackages = attr_pkg\n\n"
                     "[bumpversion]\ncurrent_version = 0.9.0\n",
        "pyproject.toml": BUILD,
        "attr_pkg/__init__.py": '__version__ = "1.0.0"\n',
    },
    # PEP 621 dynamic version through [tool.setuptools.dynamic]; all agree
    "dynamic-pkg": {
        "pyproject.toml": BUILD + '[project]\nname = "dynamic-pkg"\ndynamic = ["version"]\n\n[tool.setuptools.dynamic]\n'
                                  'version = {attr = "dynamic_pkg.__version__"}\n\n[tool.bumpversion]\ncurrent_version = "2.5.0"\n',
        "dynamic_pkg/__init__.py": '__version__ = "2.5"\n',
    },
    # a plain setup.py with a literal version, and a VERSION file left behind
    "setup-pkg": {
        "setup.py": 'from setuptools import setup\n\nsetup(\n    name="setup-pkg",\n    version="3.0.1",\n    packages=["setup_pkg"],\n)\n',
        "setup_pkg/__init__.py": "",
        "VERSION": "3.0.0\n",
    },
}
EXPECTED_REPORTS = {
    "static-pkg": {("src/static_pkg/__init__.py", "1.1.0")},
    "attr-pkg": {("setup.cfg", "0.9.0")},
    "dynamic-pkg": set(),
    "setup-pkg": {("VERSION", "3.0.0")},
}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("packages")
    for name, files in PACKAGES.items():
        write_files(root / name, files)
    target = root / "target"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index", "--no-build-isolation",
         "--no-deps", "--target", str(target), *(str(root / name) for name in PACKAGES)],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root, target


def _repo(folder: Path) -> Repo:
    files = [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and "egg-info" not in str(p) and "build" not in p.parts]

    def read(path: str) -> str | None:
        return (folder / path).read_text()

    def load(path: str) -> object:
        from hooks.config import formats, loaders

        fmt = formats.detect(path)
        return loaders.parse(path, (folder / path).read_text(), fmt) if fmt else None

    return Repo(files, read, load)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", list(PACKAGES))
def test_installed_source_is_what_pip_installed(installed: tuple[Path, Path], name: str) -> None:
    root, target = installed
    dist = next(importlib.metadata.distributions(path=[str(target)], name=name))
    projects = versions.projects(_repo(root / name))
    assert len(projects) == 1
    project = projects[0]
    assert project.installed is not None
    assert versions.same(project.installed.value, dist.version), (project.installed, dist.version)
    reported = {(source.path, source.value) for source, _ in versions.disagreements(project)}
    assert reported == EXPECTED_REPORTS[name]
    for _path, value in reported:
        assert not versions.same(value, dist.version)
