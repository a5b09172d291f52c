"""--fix and --diff at their edges: a diff under --format json, a file that changed
or cannot be written while it is being fixed (reported as a change by hand, the
file untouched), code files that cannot be read, and the console entry point."""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import HookResult

MAPPING = "renamed:\n  cache.timeout: cache.ttl\n  OLD_TTL: NEW_TTL\n"
APP = "cache:\n  backend: redis\n  timeout: 300\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".legacy-keys.yaml").write_text(MAPPING)
    (tmp_path / "app.yaml").write_text(APP)
    return tmp_path


def test_diff_with_json_output_keeps_stdout_one_document(run_hook: Callable[..., HookResult], repo: Path) -> None:
    r = run_hook("rename-legacy-keys", "--diff", "--format", "json", "app.yaml")
    assert r.code == 1
    report = json.loads(r.out)
    assert [f["path"] for f in report["findings"]] == ["app.yaml"]
    assert "-  timeout: 300" in r.err and "+  ttl: 300" in r.err
    assert (repo / "app.yaml").read_text() == APP


def test_a_file_changed_while_it_was_checked_is_not_written(run_hook: Callable[..., HookResult], repo: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from hooks.config import fixing

    real = fixing.read_source

    def edited_meanwhile(path: str):  # an editor saved the file between the check and the write
        (repo / "app.yaml").write_text(APP + "  hosts: [a]\n")
        return real(path)

    monkeypatch.setattr(fixing, "read_source", edited_meanwhile)
    r = run_hook("rename-legacy-keys", "--fix", "app.yaml")
    assert r.code == 1
    assert "the file changed while it was being checked" in r.out
    assert (repo / "app.yaml").read_text() == APP + "  hosts: [a]\n"


def test_a_file_that_cannot_be_written_is_left_for_a_change_by_hand(run_hook: Callable[..., HookResult], repo: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from hooks.config import fixing

    def read_only(path: str, data: bytes) -> None:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(fixing, "atomic_write", read_only)
    r = run_hook("rename-legacy-keys", "--fix", "app.yaml")
    assert r.code == 1
    assert "cannot write the file: Permission denied" in r.out
    assert "renamed" not in r.err
    assert (repo / "app.yaml").read_text() == APP


def test_a_symlinked_config_is_not_written_through(run_hook: Callable[..., HookResult], repo: Path) -> None:
    (repo / "shared").mkdir()
    (repo / "shared/app.yaml").write_text(APP)
    os.symlink("shared/app.yaml", repo / "linked.yaml")
    r = run_hook("rename-legacy-keys", "--fix", "linked.yaml")
    assert r.code == 1
    assert "cannot write the file" in r.out
    assert (repo / "shared/app.yaml").read_text() == APP
    assert os.path.islink(repo / "linked.yaml")


def test_code_that_cannot_be_read_is_skipped_and_code_that_can_is_reported(run_hook: Callable[..., HookResult],
                                                                             repo: Path) -> None:
    (repo / "billing").mkdir()
    (repo / "billing/views.py").write_bytes(b"from django.conf import settings\nTTL = settings.OLD_TTL  # \xff\xfe\n")
    (repo / "billing/tasks.py").write_text("from django.conf import settings\n\n\ndef ttl():\n    return settings.OLD_TTL\n")
    r = run_hook("rename-legacy-keys", "billing/views.py", "billing/tasks.py")
    assert r.lines == ["billing/tasks.py:5:21: rename-legacy-keys: reads OLD_TTL, a deprecated setting; read NEW_TTL instead "
                       "(code is never changed by --fix)"]


def test_console_entry_point(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hooks.checks.rename_legacy_keys import main

    assert main(["app.yaml"]) == 1
    assert "app.yaml:3:3: rename-legacy-keys:" in capsys.readouterr().out
