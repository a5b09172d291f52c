"""Where a key's text is on its line (key_span) and how a new name is written
(render), format by format, on lines shaped like real config files: the spans a
rename edits, and the reasons it reports instead when the text is not plain."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.rename_legacy_keys.renamers import key_span, render
from hooks.config import formats, loaders


def _span(tmp_path: Path, name: str, text: str, key: str) -> tuple[tuple[int, int, str] | None, str, str]:
    """(span, reason, the text under the span) of the first entry whose last key part is ``key``."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    doc = loaders.load(str(path))
    assert doc is not None and doc.error is None, doc and doc.error
    entry = next(e for e in doc.entries if str(e.path[-1]) == key)
    line = text.split("\n")[entry.line - 1]
    span, why = key_span(doc, entry, line)
    return span, why, line[span[0]:span[1]] if span else ""


@pytest.mark.parametrize(("name", "text", "key", "written"), [
    ("app.yaml", 'cache:\n  "time\\tout": 30\n', "time\tout", '"time\\tout"'),  # YAML: quotes kept, escape decoded
    ("app.yaml", "cache:\n  'it''s': 30\n", "it's", "'it''s'"),
    ("app.yaml", "cache:\n  timeout : 30\n", "timeout", "timeout"),
    ("settings.json", '{"cache": {"timeout": 30}}\n', "timeout", '"timeout"'),
    ("app.ini", "[app:main]\ntimeout: 30\n", "timeout", "timeout"),
    ("app.toml", "[cache]\n\"time out\" = 30\n", "time out", '"time out"'),
    ("app.toml", "[cache]\n'timeout' = 30\n", "timeout", "'timeout'"),
    ("app.toml", 'cache . "redis" . timeout = 30\n', "timeout", "timeout"),
    ("app.properties", "cache.timeout=30\n", "cache.timeout", "cache.timeout"),
    (".env", "export CACHE_TIMEOUT=30\n", "CACHE_TIMEOUT", "CACHE_TIMEOUT"),
    ("settings.py", 'CACHES = {"default": {"TIMEOUT": 30}}\n', "TIMEOUT", "TIMEOUT"),
    ("settings.py", "# é\nCACHE_TIMEOUT = 30  # seconds\n", "CACHE_TIMEOUT", "CACHE_TIMEOUT"),
])
def test_the_span_is_the_key_as_written(tmp_path: Path, name: str, text: str, key: str, written: str) -> None:
    span, why, under = _span(tmp_path, name, text, key)
    assert (under, why) == (written, "")


@pytest.mark.parametrize(("name", "text", "key", "reason"), [
    ("settings.json", '{"cache": {"time\\u006fut": 30}}\n', "timeout", "its quoted text has escapes"),
    ("app.yaml", 'cache:\n  "time\\x6fut": 30\n', "timeout", "its quoted text has escapes"),  # a YAML-only escape
    ("settings.py", 'CACHES = {"default": {"TIME\\x4fUT": 30}}\n', "TIMEOUT", "its quoted text has escapes"),
    ("app.toml", '[cache]\n"""timeout""" = 1\n', None, None),  # not TOML: a multi-line key does not load
])
def test_keys_written_with_escapes_are_reported_not_edited(tmp_path: Path, name: str, text: str, key: str | None,
                                                          reason: str | None) -> None:
    if key is None:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        doc = loaders.load(str(path))
        assert doc is not None and doc.error is not None
        return
    span, why, _ = _span(tmp_path, name, text, key)
    assert (span, why) == (None, reason)


def test_a_line_that_moved_since_loading_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text("cache:\n  timeout: 30\n", encoding="utf-8")
    doc = loaders.load(str(path))
    assert doc is not None
    entry = next(e for e in doc.entries if e.path[-1] == "timeout")
    assert key_span(doc, entry, "") == (None, "its text was not found where the parser put it")
    assert key_span(doc, entry, '  "timeout: 30') == (None, "its quoted text does not end on the line")
    assert key_span(doc, entry, "  timeouts: 30") == (None, "its text is not followed by the expected separator")
    assert key_span(doc, entry, "  TIMEOUT: 30") == (
        None, "its text is written with escapes or in a form this hook does not edit")


def test_an_ini_section_header_not_written_plainly(tmp_path: Path) -> None:
    path = tmp_path / "setup.cfg"
    path.write_text("[tool:pytest]\naddopts = -q\n", encoding="utf-8")
    doc = loaders.load(str(path))
    assert doc is not None
    section = next(e for e in doc.entries if e.path == ("tool:pytest",))
    assert key_span(doc, section, "[tool:pytest]")[0] == (1, 12, "")
    assert key_span(doc, section, "addopts = [tool:pytest]") == (None, "its [section] header is not written plainly")


def test_toml_table_headers_hold_the_key(tmp_path: Path) -> None:
    path = tmp_path / "app.toml"
    path.write_text("workers = 1\n", encoding="utf-8")
    doc = loaders.load(str(path))
    assert doc is not None
    entry = next(e for e in doc.entries if e.path[-1] == "workers")
    assert key_span(doc, entry, "[[workers]]") == ((2, 9, ""), "")
    assert key_span(doc, entry, "[jobs.workers]") == ((6, 13, ""), "")


@pytest.mark.parametrize(("line", "key", "reason"), [
    ("   ", "timeout", "its key was not found on the line"),
    ("= 30", "timeout", "its key was not found on the line"),
    ("'timeout = 30", "timeout", "its key is a multi-line or unterminated string"),
    ("cache.ttl = 30", "timeout", "its written key does not end in this name"),
])
def test_toml_lines_that_do_not_hold_the_key(tmp_path: Path, line: str, key: str, reason: str) -> None:
    path = tmp_path / "app.toml"
    path.write_text(f"{key} = 1\n", encoding="utf-8")
    doc = loaders.load(str(path))
    assert doc is not None
    entry = next(e for e in doc.entries if e.path[-1] == key)
    assert key_span(doc, entry, line) == (None, reason)


@pytest.mark.parametrize(("fmt", "name", "style", "section", "written"), [
    (formats.YAML, "cache.ttl", "", False, "cache.ttl"),
    (formats.YAML, "on", "", False, '"on"'),  # a YAML 1.1 boolean as a plain key
    (formats.YAML, "it's", "'", False, "'it''s'"),
    (formats.YAML, "ttl\nx", "", False, None),
    (formats.JSON, "ttl", '"', False, '"ttl"'),
    (formats.TOML, "ttl", "", False, "ttl"),
    (formats.TOML, "cache ttl", "'", False, "'cache ttl'"),
    (formats.TOML, "it's", "'", False, '"it\'s"'),
    (formats.TOML, "cache.ttl", "", False, '"cache.ttl"'),
    (formats.INI, "app:main", "", True, "app:main"),
    (formats.INI, "app]main", "", True, None),
    (formats.INI, "ttl", "'", False, "ttl"),
    (formats.INI, "it's", "'", False, None),
    (formats.INI, "a=b", "", False, None),
    (formats.INI, "#ttl", "", False, None),
    (formats.DOTENV, "CACHE_TTL", "", False, "CACHE_TTL"),
    (formats.DOTENV, "1TTL", "", False, None),
    (formats.DOTENV, "CACHE_TTL", '"', False, "CACHE_TTL"),
    (formats.DOTENV, "A\\B", '"', False, None),
    (formats.PROPERTIES, "cache ttl", "", False, "cache\\ ttl"),
    (formats.PROPERTIES, "", "", False, None),
    (formats.PYTHON, "CACHE_TTL", "", False, "CACHE_TTL"),
    (formats.PYTHON, "cache-ttl", "", False, None),
    (formats.PYTHON, "cache-ttl", '"', False, "cache-ttl"),
    (formats.PYTHON, 'say "hi"', '"', False, None),
    ("xml", "ttl", "", False, None),
])
def test_render_writes_the_name_in_the_old_keys_quoting_or_refuses(fmt: str, name: str, style: str, section: bool,
                                                                   written: str | None) -> None:
    assert render(fmt, name, style, section) == written
