"""hooks.config.loaders.parse/load: a parser's failure is a one-line error on the
document, never a traceback; a templated file's parse error is marked uncertain;
unreadable files come back with their read error; unknown formats are None."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.config import formats, loaders


@pytest.mark.parametrize(("exc", "message"), [
    (RecursionError(), "nesting is too deep"),
    (MemoryError(), "file is too large to parse"),
    (KeyError("x"), "the yaml parser failed (KeyError)"),
])
def test_a_parser_failure_is_an_error_on_the_document(monkeypatch: pytest.MonkeyPatch, exc: BaseException,
                                                      message: str) -> None:
    from hooks.config.loaders import yaml_loader

    def boom(doc: object) -> None:
        raise exc

    monkeypatch.setattr(yaml_loader, "load", boom)
    doc = loaders.parse("app.yaml", "a: 1\n", formats.YAML)
    assert doc.entries == []
    assert doc.error is not None and doc.error.message == message


def test_a_template_that_does_not_parse_is_an_uncertain_error() -> None:
    plain = loaders.parse("app.yaml", "a: [1\n", formats.YAML)
    templated = loaders.parse("app.yaml", "a: [{{ .Values.x }}\n", formats.YAML)
    assert plain.error is not None and plain.error.certain
    assert templated.error is not None and not templated.error.certain
    assert templated.error.message  # the same one-line message, only marked uncertain


def test_load(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text("a: 1\n")
    (tmp_path / "bad.yaml").write_bytes(b"a: caf\xe9\n")
    (tmp_path / "notes.txt").write_text("a: 1\n")
    doc = loaders.load(str(tmp_path / "app.yaml"))
    assert doc is not None and doc.error is None and [e.path for e in doc.entries] == [("a",)]
    bad = loaders.load(str(tmp_path / "bad.yaml"))
    assert bad is not None and bad.error is not None
    assert bad.error.message == "cannot read: not valid UTF-8 (byte 0xe9 on line 1)"
    assert loaders.load(str(tmp_path / "notes.txt")) is None
    forced = loaders.load(str(tmp_path / "notes.txt"), fmt=formats.YAML)
    assert forced is not None and [e.path for e in forced.entries] == [("a",)]
