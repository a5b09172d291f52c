"""Property tests for every loader: any text ends as a document or as a
one-line parse error with a line number; no exception escapes.

Inputs are arbitrary text and mutations of real files (tests/fixtures and the
shared corpus). Bounded: ``MAX_EXAMPLES`` per format and strategy.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooks.config import formats
from hooks.config.document import Document, Entry, ParseError
from hooks.config.loaders import parse
from tests.helpers.reliability import CORPUS, FIXTURES

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))  # raise it for a longer hunt
SUFFIX = {
    formats.YAML: "config.yaml",
    formats.INI: "app.ini",
    formats.DOTENV: ".env",
    formats.TOML: "pyproject.toml",
    formats.JSON: "features.json",
    formats.PROPERTIES: "kafka.properties",
    formats.PYTHON: "settings.py",
}
# Small hand-written seeds so every format has some even without the corpus.
BUILTIN_SEEDS = {
    formats.YAML: ["a: 1\nb:\n  - x\n  - &anchor {c: d}\n  - *anchor\n"],
    formats.INI: ["[app:main]\nuse = egg:app\nsqlalchemy.url = sqlite:///%(here)s/db\n    continued\n"],
    formats.DOTENV: ['export A=1\nB="two words"\n# comment\nC=\'x\'\n'],
    formats.TOML: ['[tool.x]\na = 1\nb = ["c", {d = 2}]\n[[arr]]\ne = """multi\nline"""\n'],
    formats.JSON: ['{"a": [1, 2.5, {"b": null}], "c": "\\u00e9"}\n'],
    formats.PROPERTIES: ["a.b=1\nc : two \\\n  three\n! comment\nd\\u0041=x\n"],
    formats.PYTHON: ['import os\nDEBUG = False\nDATABASES = {"default": {"HOST": os.getenv("H")}}\n'],
}
# Tokens that matter to some grammar, for insertion mutations.
TOKENS = [
    "\n", "\r\n", "\r", "\t", " ", "\x00", "\ufeff", "\u2028", ":", "=", "-", "[", "]", "{", "}", "[[", "]]",
    '"', "'", '"""', "'''", "#", ";", "!", "&a", "*a", "!!python/object", "<<: *a", "%(here)s", "\\",
    "\\u", "\\u12", "${X}", "{{ x }}", "export ", "key", "0x", "1e999", "NaN", "---\n", "...\n", "é", "😀",
]


def _seeds() -> dict[str, list[str]]:
    seeds: dict[str, list[str]] = {fmt: list(texts) for fmt, texts in BUILTIN_SEEDS.items()}
    roots = [FIXTURES, CORPUS]
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            fmt = formats.detect(str(path))
            if fmt is None or not path.is_file() or path.stat().st_size > 200_000:
                continue
            try:
                seeds[fmt].append(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, OSError):
                continue
    return seeds


SEEDS = _seeds()


@st.composite
def mutated(draw: st.DrawFn, fmt: str) -> str:
    text = draw(st.sampled_from(SEEDS[fmt]))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "swap", "truncate", "replace"]))
        n = len(text)
        at = draw(st.integers(0, n))
        if op == "insert":
            piece = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)))
            text = text[:at] + piece + text[at:]
        elif op == "delete" and n:
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif op == "truncate":
            text = text[:at]
        elif op in ("duplicate", "swap"):
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if op == "duplicate":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif op == "replace" and n:
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at + 1 :]
    return text


def arbitrary(fmt: str) -> st.SearchStrategy[str]:
    alphabet = st.one_of(st.characters(), st.sampled_from(TOKENS))
    return st.lists(alphabet, max_size=200).map("".join)


def check_outcome(doc: object, text: str, fmt: str) -> None:
    """The contract every loader keeps, for any input."""
    assert isinstance(doc, Document), type(doc)
    assert doc.format == fmt
    # Positions index Document.lines (line n is lines[n - 1]), whatever line
    # breaks the format's parser counts.
    line_count = len(doc.lines)
    if doc.error is not None:
        error = doc.error
        assert isinstance(error, ParseError)
        assert error.message and isinstance(error.message, str)
        assert "\n" not in error.message and "\r" not in error.message, repr(error.message)
        assert isinstance(error.line, int) and 1 <= error.line <= line_count + 1, (error, line_count)
        assert isinstance(error.column, int) and error.column >= 1, error
        return
    assert isinstance(doc.entries, list)
    for entry in doc.entries:
        assert isinstance(entry, Entry)
        assert isinstance(entry.path, tuple) and entry.path, entry
        assert 1 <= entry.line <= line_count, (entry, line_count)
        assert entry.column >= 1, entry


def parse_checked(fmt: str, text: str) -> Document:
    return parse(_path(fmt), text, fmt)


def _path(fmt: str) -> str:
    return str(Path("fuzz") / SUFFIX[fmt])


@pytest.mark.parametrize("fmt", formats.ALL)
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_arbitrary_text_is_a_document_or_a_one_line_error(fmt: str, data: st.DataObject) -> None:
    text = data.draw(arbitrary(fmt), label="text")
    check_outcome(parse_checked(fmt, text), text, fmt)


@pytest.mark.parametrize("fmt", formats.ALL)
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_mutated_real_files_are_a_document_or_a_one_line_error(fmt: str, data: st.DataObject) -> None:
    text = data.draw(mutated(fmt), label="text")
    check_outcome(parse_checked(fmt, text), text, fmt)


@pytest.mark.parametrize("fmt", formats.ALL)
def test_every_seed_file_loads_within_the_contract(fmt: str) -> None:
    """The unmutated seeds themselves (templates may be errors, but one-line ones)."""
    assert SEEDS[fmt], f"no seed files for {fmt}"
    for text in SEEDS[fmt]:
        check_outcome(parse_checked(fmt, text), text, fmt)


def test_ini_valueless_key_with_continuation_line_is_a_document_or_error() -> None:
    """Regression (found by this fuzzer): configparser raised AttributeError."""
    text = "[s]\nkey\n  more\n"
    check_outcome(parse("app.ini", text, formats.INI), text, formats.INI)


@pytest.mark.parametrize("fmt", [formats.YAML, formats.DOTENV, formats.PYTHON])
def test_entry_lines_index_document_lines_with_lone_cr(fmt: str) -> None:
    """Regression (found by this fuzzer): parsers that count a lone CR as a line
    break gave lines beyond Document.lines."""
    text = {"yaml": "a: 1\rb: 2\rc: 3\n", "dotenv": "A=1\rB=2\rC=3\n", "python": "A=1\rB=2\rC=3\n"}[fmt]
    doc = parse(_path(fmt), text, fmt)
    assert doc.error is None
    assert [e.line for e in doc.entries] == [1, 2, 3]
    for entry in doc.entries:
        assert entry.line <= len(doc.lines), (entry, doc.lines)
        assert doc.lines[entry.line - 1].lstrip().lower().startswith(str(entry.key).lower()), (entry, doc.lines)
