"""runner.share_documents: the checks of one all-checks run load each config file
once; a single hook (sharing off) loads its own, and a folder or size limit of
its own gets a cache of its own."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hooks.config import loaders
from hooks.core import registry, runner, settings


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "app.yaml").write_text("debug: false\nport: 80\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "app.yaml").write_text("debug: true\n")
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    runner.share_documents(False)


def context(hook_id: str, max_bytes: int | None = None) -> runner.Context:
    project = settings.load()
    shared = runner.read_shared({}, project)
    if max_bytes is not None:
        shared.max_file_size = max_bytes
    return runner.Context(registry.get(hook_id), runner.resolve_options(registry.get(hook_id), {}, project, []), shared)


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    loads: list[str] = []
    real = loaders.load

    def load(path: str, *rest: object) -> object:
        loads.append(path)
        return real(path, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(loaders, "load", load)
    return loads


def test_checks_of_one_run_load_a_file_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loads = counting(monkeypatch)
    runner.share_documents()
    first, second = context("no-duplicate-config-keys"), context("no-debug-in-production")
    doc = first.load("app.yaml")
    assert doc is not None and second.load("app.yaml") is doc
    assert loads == ["app.yaml"]


def test_without_sharing_each_check_loads_its_own(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loads = counting(monkeypatch)
    runner.share_documents(False)
    first, second = context("no-duplicate-config-keys"), context("no-debug-in-production")
    assert first.load("app.yaml") is not second.load("app.yaml")
    assert loads == ["app.yaml", "app.yaml"]


def test_another_folder_or_size_limit_is_another_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.share_documents()
    top = context("no-duplicate-config-keys")
    small = context("no-debug-in-production", max_bytes=10)
    assert top.documents is not small.documents
    monkeypatch.chdir(project / "sub")
    below = context("no-debug-in-production")
    doc = below.load("app.yaml")
    assert doc is not None and "true" in doc.text  # sub/app.yaml, not the top one under the same name
    assert below.documents is not top.documents
