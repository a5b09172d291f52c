"""hooks.config.source: the one bounded read of a file a hook is given. Each kind
of file that is not readable text gets its one-line reason, never a hang or a
read without end; text is decoded by its BOM, else as UTF-8 with the line of the
first bad byte."""
from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from hooks.config.source import ReadError, TooLarge, decode, read_bytes, read_head, read_text


def test_a_regular_file_and_a_symlink_to_one_are_read(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_bytes(b"a: 1\n")
    os.symlink("app.yaml", tmp_path / "link.yaml")
    assert read_bytes(str(tmp_path / "app.yaml")) == b"a: 1\n"
    assert read_text(str(tmp_path / "link.yaml")) == "a: 1\n"


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: None, "cannot read: no such file"),
    (lambda p: os.symlink("gone.yaml", p), "cannot read: broken symlink"),
    (lambda p: os.mkdir(p), "cannot read: is a directory"),
    (lambda p: os.mkfifo(p), "cannot read: not a regular file"),
])
def test_what_is_not_a_regular_file_is_a_one_line_read_error(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "app.yaml"
    make(str(path))
    with pytest.raises(ReadError) as info:
        read_bytes(str(path))
    assert str(info.value) == reason


def test_a_device_is_not_read(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="not a regular file"):
        read_bytes("/dev/zero")
    assert read_head("/dev/zero", 10) == b""


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"x" * (3 * 1024 * 1024))
    with pytest.raises(TooLarge) as info:
        read_bytes(str(path), 1024 * 1024)
    assert str(info.value) == "skipped: 3.0MB is over the 1MB limit (raise it with --max-file-size)"
    assert len(read_bytes(str(path), 0)) == 3 * 1024 * 1024  # 0: no limit


def test_read_head(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(b"#!/usr/bin/env python\nprint(1)\n")
    assert read_head(str(tmp_path / "a.py"), 5) == b"#!/us"
    assert read_head(str(tmp_path / "missing.py"), 5) == b""
    os.mkfifo(tmp_path / "fifo")
    assert read_head(str(tmp_path / "fifo"), 5) == b""


@pytest.mark.parametrize(("data", "text"), [
    (codecs.BOM_UTF8 + "clé: 1\n".encode(), "clé: 1\n"),
    (codecs.BOM_UTF16_LE + "a=1\n".encode("utf-16-le"), "a=1\n"),
    (codecs.BOM_UTF16_BE + "a=1\n".encode("utf-16-be"), "a=1\n"),
    (codecs.BOM_UTF32_LE + "a=1\n".encode("utf-32-le"), "a=1\n"),
    (codecs.BOM_UTF32_BE + "a=1\n".encode("utf-32-be"), "a=1\n"),
    ("plain é\n".encode(), "plain é\n"),
])
def test_decode_by_bom_else_utf8(data: bytes, text: str) -> None:
    assert decode(data) == text


@pytest.mark.parametrize(("data", "reason", "line"), [
    (codecs.BOM_UTF16_LE + b"a\x00=\x00\x00\xdc", "cannot read: invalid UTF-16 text", 1),
    (b"a: 1\nb: \x00\x01\n", "cannot read: binary content", 1),
    (b"a: 1\nb: caf\xe9\n", "cannot read: not valid UTF-8 (byte 0xe9 on line 2)", 2),
])
def test_decode_errors_name_the_problem(data: bytes, reason: str, line: int) -> None:
    with pytest.raises(ReadError) as info:
        decode(data)
    assert str(info.value).startswith(reason)
    assert info.value.line == line
