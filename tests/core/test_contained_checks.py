"""A check that fails on one file gives one finding naming it, and the run
goes on (issue 22: a crash in one file never takes the run down)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hooks.core import runner
from hooks.core.api import Hook, Problem, UsageError


def _check(doc: Any, ctx: Any) -> Any:
    if "boom" in doc.path:
        raise RecursionError("deep")
    if "usage" in doc.path:
        raise UsageError("bad option")
    yield Problem(1, 1, "found", ("x",))


HOOK = Hook(id="no-duplicate-config-keys", summary="s", check=_check)


def test_the_failing_file_is_named_and_the_others_are_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("boom.yaml", "fine.yaml"):
        (tmp_path / name).write_text("a: 1\n")
    ctx = runner.Context(HOOK, runner.SimpleNamespace(), runner.Shared())
    result = runner.collect(HOOK, ctx, ["boom.yaml", "fine.yaml"])
    messages = {f.path: f.message for f in result.findings}
    assert "could not be checked: internal error (RecursionError)" in messages["boom.yaml"]
    assert messages["fine.yaml"] == "found"


def test_usage_errors_still_stop_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "usage.yaml").write_text("a: 1\n")
    ctx = runner.Context(HOOK, runner.SimpleNamespace(), runner.Shared())
    with pytest.raises(UsageError):
        runner.collect(HOOK, ctx, ["usage.yaml"])
