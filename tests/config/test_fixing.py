"""hooks.config.fixing: a fixed file keeps its BOM, encoding, newlines and final
newline; edits apply in any order but never overlap; verify() accepts exactly the
renames asked for and says where anything else would change."""
from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from hooks.config import fixing, loaders
from hooks.config.source import ReadError, TooLarge


@pytest.mark.parametrize(("raw", "encoding", "bom"), [
    (b"cache:\n  timeout: 30\n", "utf-8", b""),
    (codecs.BOM_UTF8 + b"[cache]\r\ntimeout = 30\r\n", "utf-8", codecs.BOM_UTF8),
    (codecs.BOM_UTF16_LE + "timeout=30\n".encode("utf-16-le"), "utf-16-le", codecs.BOM_UTF16_LE),
])
def test_read_source_round_trips_the_bytes(tmp_path: Path, raw: bytes, encoding: str, bom: bytes) -> None:
    path = tmp_path / "app.cfg"
    path.write_bytes(raw)
    source = fixing.read_source(str(path))
    assert (source.encoding, source.bom, source.raw) == (encoding, bom, raw)
    assert not source.text.startswith("\ufeff")
    assert source.encode(source.text) == raw
    assert source.encode(source.text.replace("timeout", "ttl")) == raw.replace(
        "timeout".encode(encoding), "ttl".encode(encoding))


def test_read_source_refuses_what_it_cannot_write_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_bytes(b"a: \xff\n")
    with pytest.raises(ReadError, match="not valid UTF-8"):
        fixing.read_source(str(path))
    path.write_bytes(b"a: 1\n" * 100)
    with pytest.raises(TooLarge):
        fixing.read_source(str(path), max_bytes=50)


def test_atomic_write_replaces_the_file_and_keeps_its_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("app.yaml").write_text("a: 1\n")
    os.chmod("app.yaml", 0o640)
    fixing.atomic_write("app.yaml", b"a: 2\n")
    assert Path("app.yaml").read_bytes() == b"a: 2\n"
    assert os.stat("app.yaml").st_mode & 0o777 == 0o640
    assert sorted(os.listdir(".")) == ["app.yaml"]


@pytest.mark.parametrize(("old", "new", "diff"), [
    ("a: 1\nb: 2\n", "a: 1\nc: 2\n", "--- a/conf/app.yaml\n+++ b/conf/app.yaml\n@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n+c: 2\n"),
    ("a: 1\nb: 2", "a: 1\nc: 2", "--- a/conf/app.yaml\n+++ b/conf/app.yaml\n@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n"
     "\\ No newline at end of file\n+c: 2\n\\ No newline at end of file\n"),
    ("a: 1\n", "a: 1\n", ""),
])
def test_unified_diff_marks_a_missing_final_newline(old: str, new: str, diff: str) -> None:
    assert fixing.unified_diff("conf\\app.yaml", old, new) == diff


def test_line_starts_and_newline_of() -> None:
    assert fixing.line_starts("a\nbb\n\nc") == [0, 2, 5, 6]
    assert fixing.line_starts("") == [0]
    assert (fixing.newline_of("a\r\nb\r\n"), fixing.newline_of("a\nb"), fixing.newline_of("\nx"), fixing.newline_of("x")) == (
        "\r\n", "\n", "\n", "\n")


def test_apply_edits_in_any_order_and_refuse_overlaps() -> None:
    text = "timeout: 1\nretries: 2\n"
    assert fixing.apply_edits(text, [(11, 18, "attempts"), (0, 7, "ttl")]) == "ttl: 1\nattempts: 2\n"
    assert fixing.apply_edits(text, [(0, 7, "ttl"), (0, 7, "ttl")]) == "ttl: 1\nretries: 2\n"  # the same edit twice is one
    with pytest.raises(ValueError, match="overlapping edits"):
        fixing.apply_edits(text, [(0, 7, "ttl"), (3, 9, "x")])


YAML = "cache:\n  backend: redis\n  timeout: 300\nworker:\n  timeout: 30\n"


def _doc(tmp_path: Path, text: str = YAML):
    path = tmp_path / "app.yaml"
    path.write_text(text)
    doc = loaders.load(str(path))
    assert doc is not None and doc.error is None
    return doc


def test_verify_accepts_exactly_the_rename(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    new = YAML.replace("  timeout: 300", "  ttl: 300")
    assert fixing.verify(doc, new, [(("cache", "timeout"), ("cache", "ttl"))]) is None


def test_verify_accepts_a_move_under_a_new_parent(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    new = "cache:\n  backend: redis\nworker:\n  timeout: 30\nttl:\n  cache: 300\n"
    assert fixing.verify(doc, new, [(("cache", "timeout"), ("ttl", "cache"))]) is None


def test_verify_renames_a_key_under_a_renamed_parent(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    new = YAML.replace("cache:", "caches:").replace("  timeout: 300", "  ttl: 300")
    renames = [(("cache",), ("caches",)), (("cache", "timeout"), ("cache", "ttl"))]
    assert fixing.verify(doc, new, renames) is None


@pytest.mark.parametrize(("new", "why"), [
    (YAML.replace("  timeout: 300", "  ttl: 301"), "the fixed file would read back differently at cache.ttl"),
    (YAML.replace("  timeout: 300", "  ttl: 300") + "extra: 1\n", "the fixed file would read back differently at extra"),
    (YAML.replace("  timeout: 300", "  ttl: [300"), "the fixed file would not parse: "),
])
def test_verify_says_where_the_fixed_file_differs(tmp_path: Path, new: str, why: str) -> None:
    doc = _doc(tmp_path)
    got = fixing.verify(doc, new, [(("cache", "timeout"), ("cache", "ttl"))])
    assert got is not None and got.startswith(why), got
