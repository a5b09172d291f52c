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


def test_a_files_hook_finding_is_printed_by_one_part_of_a_run(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Two parts of one pre-commit run find the same whole-repo problem: the first prints it
    (as many times as it found it), the second does not; other options are another hook entry."""
    import tempfile
    from types import SimpleNamespace

    from hooks.core import registry
    from hooks.core.findings import Finding

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("PRE_COMMIT", "1")
    hook = registry.get("check-security-settings")
    same = Finding(hook.id, "settings.py", 3, 1, "DEBUG is on")
    other = Finding(hook.id, "settings.py", 4, 1, "no HSTS")
    options = SimpleNamespace(strict=False)
    assert runner._first_in_run_findings(hook, options, [same, same]) == [same, same]
    assert runner._first_in_run_findings(hook, options, [same, other]) == [other]
    assert runner._first_in_run_findings(hook, options, [same, same, other]) == []
    assert runner._first_in_run_findings(hook, SimpleNamespace(strict=True), [same]) == [same]
