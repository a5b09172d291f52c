"""A run-wide notice is printed once per pre-commit run (issue 21), however
many times pre-commit starts the hook with parts of the file list."""
from __future__ import annotations

import pytest

from hooks.core import runner


def test_first_call_of_a_pre_commit_run_prints_a_run_wide_notice(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert runner.first_in_run("rename-legacy-keys", "rename-legacy-keys: nothing to check: x") is True
    assert runner.first_in_run("rename-legacy-keys", "rename-legacy-keys: nothing to check: x") is False
    assert runner.first_in_run("rename-legacy-keys", "rename-legacy-keys: another notice") is True  # another notice
    assert runner.first_in_run("forbid-env-files", "rename-legacy-keys: nothing to check: x") is True  # another hook


def test_outside_pre_commit_every_call_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    assert runner.first_in_run("h", "n") is True
    assert runner.first_in_run("h", "n") is True
