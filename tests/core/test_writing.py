"""hooks.core.writing, the one writer of user files: inside the repository only,
never through a symlink or onto something that is not a regular file, atomic
(no temp file left), the old mode kept and new files given the umask's mode;
exclusive writes never replace; read_existing has the same checks."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hooks.core import writing
from hooks.core.writing import Exists, WriteError


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / "config").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


def test_write_replaces_atomically_and_keeps_the_mode(repo: Path) -> None:
    (repo / "config/app.yaml").write_text("a: 1\n")
    os.chmod(repo / "config/app.yaml", 0o600)
    target = writing.write_file("config/app.yaml", "a: 2\r\n")
    assert target == str(repo / "config/app.yaml")
    assert (repo / "config/app.yaml").read_bytes() == b"a: 2\r\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert os.listdir(repo / "config") == ["app.yaml"]


def test_a_new_file_gets_the_umask_mode(repo: Path) -> None:
    old = os.umask(0o027)
    try:
        writing.write_file("config/new.yaml", b"a: 1\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(repo / "config/new.yaml").st_mode) == 0o640


@pytest.mark.parametrize(("path", "message"), [
    ("../outside.yaml", "refusing to write ../outside.yaml: it is outside the repository"),
    ("config/link.yaml", "refusing to write config/link.yaml: it is a symlink (write the file it points to yourself)"),
    ("config", "refusing to write config: not a regular file"),
    ("missing/app.yaml", "cannot write missing/app.yaml: no such folder"),
    ("config/..", "refusing to write config/..: not a regular file"),  # the repository folder itself
])
def test_refused_targets(repo: Path, path: str, message: str) -> None:
    (repo / "config/real.yaml").write_text("a: 1\n")
    os.symlink("real.yaml", repo / "config/link.yaml")
    with pytest.raises(WriteError) as info:
        writing.write_file(path, "x")
    assert str(info.value).startswith(message)
    assert (repo / "config/real.yaml").read_text() == "a: 1\n"


def test_a_symlinked_folder_pointing_outside_is_refused(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", repo / "escape")
    with pytest.raises(WriteError, match="outside the repository"):
        writing.write_file("escape/app.yaml", "x")
    assert not (tmp_path / "elsewhere/app.yaml").exists()
    assert writing.write_file(str(tmp_path / "elsewhere/app.yaml"), "x", allow_outside=True)
    assert (tmp_path / "elsewhere/app.yaml").read_text() == "x"


def test_exclusive_never_replaces(repo: Path) -> None:
    writing.write_file("config/baseline.json", "{}", exclusive=True)
    with pytest.raises(Exists, match="cannot write the baseline: it exists"):
        writing.write_file("config/baseline.json", "[]", exclusive=True, what="the baseline")
    assert (repo / "config/baseline.json").read_text() == "{}"
    assert os.listdir(repo / "config") == ["baseline.json"]


def test_a_folder_that_cannot_be_written_is_a_write_error(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def denied(**kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(WriteError, match="^cannot write config/app.yaml: Permission denied$"):
        writing.write_file("config/app.yaml", "x")


def test_resolve_for_a_folder(repo: Path) -> None:
    assert writing.resolve("config", folder=True) == str(repo / "config")
    assert writing.resolve("reports", folder=True) == str(repo / "reports")  # created by the caller
    (repo / "config/app.yaml").write_text("")
    with pytest.raises(WriteError, match="refusing to write into config/app.yaml: not a folder"):
        writing.resolve("config/app.yaml", folder=True)


def test_check_inside(repo: Path) -> None:
    assert writing.check_inside("config/notes") == str(repo / "config/notes")
    with pytest.raises(WriteError, match="^refusing to use notes-dir: it is outside the repository"):
        writing.check_inside("../notes", what="notes-dir")


def test_read_existing(repo: Path) -> None:
    assert writing.read_existing("config/.env.example") == b""
    (repo / "config/.env.example").write_bytes(b"A=1\n")
    assert writing.read_existing("config/.env.example") == b"A=1\n"
    (repo / "config/big").write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    with pytest.raises(WriteError, match="refusing to extend config/big: it is over 2MB"):
        writing.read_existing("config/big", max_bytes=2 * 1024 * 1024)
    os.mkfifo(repo / "config/fifo")
    with pytest.raises(WriteError, match="refusing to write config/fifo: not a regular file"):
        writing.read_existing("config/fifo")
