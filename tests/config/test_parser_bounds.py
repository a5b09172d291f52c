"""Parsers contained (issue 22): YAML nesting is bounded before any parser,
.properties are read in linear time as javaproperties reads them, and a file
that is a device or a FIFO is never read."""
from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from hooks.config.loaders import parse
from hooks.config.loaders.yaml_loader import too_deep
from hooks.config.source import ReadError, read_bytes, read_head


@pytest.mark.parametrize(
    "text",
    ["a: " + "[" * 30000, "a: " + "{b: " * 30000, "- " * 3000 + "x", "k: '\n" + "[" * 3000,
     "".join(" " * i + f"k{i}:\n" for i in range(300))],
)
def test_deep_yaml_is_refused_before_any_parser(text: str) -> None:
    assert too_deep(text) is not None
    assert parse("a.yaml", text, "yaml").error is not None


def test_brackets_in_quotes_and_comments_do_not_count() -> None:
    text = "a: [[1, 2], {b: [3]}]\n# " + "[" * 300 + "\nc: '" + "[" * 300 + "'\nd: \"x\\\"" + "[" * 300 + "\"\n"
    assert too_deep(text) is None


def test_properties_reader_is_linear_and_reads_as_javaproperties_does() -> None:
    from javaproperties import parse as their_parse
    from javaproperties.reading import KeyValue

    start = time.process_time()
    doc = parse("a.properties", "a=" + "x\\\n" * 100000 + "end\n", "properties")
    assert time.process_time() - start < 2 and doc.entries[0].value == "x" * 100000 + "end"
    pieces = ["a", "=", ":", " ", "\t", "\\", "\n", "\r\n", "#", "!", "\\u0041", "\\uD83D\\uDE00", "\f", "é", "\r"]
    rng = random.Random(22)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        theirs = [(e.key, e.value) for e in their_parse(text) if isinstance(e, KeyValue)]
        ours = parse("a.properties", text, "properties")
        assert [(e.path[0], e.value) for e in ours.entries] == theirs, repr(text)


def test_a_file_given_that_is_a_device_or_a_fifo_is_not_read(tmp_path: Path) -> None:
    os.symlink("/dev/zero", tmp_path / "z.yaml")
    os.mkfifo(tmp_path / "f.yaml")
    for name in ("z.yaml", "f.yaml"):
        with pytest.raises(ReadError, match="not a regular file"):
            read_bytes(str(tmp_path / name))
        assert read_head(str(tmp_path / name), 100) == b""


def test_a_folder_is_a_read_error_not_a_traceback(tmp_path: Path) -> None:
    # a "files" hook's internal-error finding names the repo (".") as its path;
    # the runner reads it for suppression markers
    with pytest.raises(ReadError, match="is a directory"):
        read_bytes(str(tmp_path))
