"""Where a key's own text is in a file, and how a new name is written there.

The loaders give each key's line and column; these helpers find the exact
characters of the key's last part at that place, so a rename edits only them.
When the text there is not the key as expected (an escape, a form we do not
edit), they say why, and the hook reports instead of guessing.
"""
from __future__ import annotations

import json
import re

from hooks.config import formats
from hooks.config.document import SECTION, Document, Entry

Span = tuple[int, int, str]  # start and end column (0-based, in the line) and the quoting style

_YAML_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-/]*$")
_YAML_SPECIAL = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
_TOML_BARE = re.compile(r"[A-Za-z0-9_-]+")
_PY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DOTENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_DOTENV_LEAD = re.compile(r"[ \t]*(?:export[ \t]+)?")


def _quoted_end(line: str, start: int) -> int | None:
    """End (exclusive) of the quoted token starting at ``start``."""
    quote = line[start]
    pos = start + 1
    while pos < len(line):
        ch = line[pos]
        if quote == '"' and ch == "\\":
            pos += 2
            continue
        if ch == quote:
            if quote == "'" and line.startswith("''", pos):  # YAML's doubled quote
                pos += 2
                continue
            return pos + 1
        pos += 1
    return None


def _unquote(token: str) -> str | None:
    if token[0] == "'":
        return token[1:-1].replace("''", "'")
    try:
        value = json.loads(token)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def key_span(doc: Document, entry: Entry, line: str) -> tuple[Span | None, str]:
    """The span of ``entry``'s last key part on its (1-based) line text ``line``."""
    key = str(entry.path[-1])
    fmt = doc.format
    line = line[:-1] if line.endswith("\r") else line
    col = entry.column - 1
    if fmt == formats.PYTHON:  # ast columns count UTF-8 bytes
        col = len(line.encode("utf-8")[:col].decode("utf-8", "replace"))
    if fmt == formats.DOTENV:
        col = _DOTENV_LEAD.match(line).end()  # type: ignore[union-attr]
    if fmt == formats.INI and entry.kind == SECTION:
        for opening in ("[[", "["):
            at = line.find(opening + key + opening.replace("[", "]"))
            if at >= 0 and not line[:at].strip():
                return (at + len(opening), at + len(opening) + len(key), ""), ""
        return None, "its [section] header is not written plainly"
    if fmt == formats.TOML:
        return _toml_span(line, col, key)
    if col >= len(line):
        return None, "its text was not found where the parser put it"
    if line[col] in "\"'" and fmt in (formats.YAML, formats.JSON, formats.DOTENV, formats.INI, formats.PYTHON):
        end = _quoted_end(line, col)
        if end is None:
            return None, "its quoted text does not end on the line"
        token = line[col:end]
        inner = token[1:-1]
        plain = "\\" not in inner and (fmt != formats.YAML or "''" not in inner)
        if (fmt == formats.YAML and _unquote(token) == key) or (plain and inner == key):
            if fmt in (formats.YAML, formats.JSON):
                return (col, end, token[0]), ""  # the new name is written with its quotes
            return (col + 1, end - 1, token[0]), ""
        return None, "its quoted text has escapes"
    if not line.startswith(key, col):
        return None, "its text is written with escapes or in a form this hook does not edit"
    end = col + len(key)
    rest = line[end:]
    ok = {
        formats.YAML: rest.lstrip(" \t").startswith(":"),
        formats.INI: rest.lstrip(" \t")[:1] in ("=", ":", ""),
        formats.DOTENV: rest.lstrip(" \t")[:1] in ("=", ""),  # NAME alone is a binding too
        formats.PROPERTIES: rest[:1] in ("", " ", "\t", "\f", "=", ":"),
        formats.PYTHON: not (rest[:1].isalnum() or rest[:1] == "_"),
    }.get(fmt, False)
    if not ok:
        return None, "its text is not followed by the expected separator"
    return (col, end, ""), ""


def _toml_span(line: str, col: int, key: str) -> tuple[Span | None, str]:
    pos = col
    if line.startswith("[", pos):
        pos += 2 if line.startswith("[[", pos) else 1
    last: Span | None = None
    while True:
        while pos < len(line) and line[pos] in " \t":
            pos += 1
        if pos >= len(line):
            return None, "its key was not found on the line"
        if line[pos] in "\"'":
            end = _quoted_end(line, pos) if line[pos] == '"' else line.find("'", pos + 1) + 1
            if not end or line.startswith(line[pos] * 3, pos):
                return None, "its key is a multi-line or unterminated string"
            token = line[pos:end]
            value = token[1:-1] if token[0] == "'" else _unquote(token)
            last = (pos, end, token[0]) if value == key else None
        else:
            match = _TOML_BARE.match(line, pos)
            if not match:
                return None, "its key was not found on the line"
            end = match.end()
            last = (pos, end, "") if match.group() == key else None
        pos = end
        while pos < len(line) and line[pos] in " \t":
            pos += 1
        if not line.startswith(".", pos):
            break
        pos += 1
    if last is None:
        return None, "its written key does not end in this name"
    return last, ""


def render(fmt: str, name: str, style: str, section: bool = False) -> str | None:
    """``name`` written as a key in ``fmt``, in the old key's quoting where it can be;
    None when the format cannot hold it as a plain edit."""
    if "\n" in name or "\r" in name:
        return None
    if fmt == formats.YAML:
        if style == "" and _YAML_PLAIN.match(name) and name.lower() not in _YAML_SPECIAL:
            return name
        if style == "'":
            return "'" + name.replace("'", "''") + "'"
        return json.dumps(name, ensure_ascii=False)
    if fmt == formats.JSON:
        return json.dumps(name, ensure_ascii=False)
    if fmt == formats.TOML:
        if style == "" and _TOML_BARE.fullmatch(name):
            return name
        if style == "'" and "'" not in name:
            return "'" + name + "'"
        return json.dumps(name, ensure_ascii=False)
    if fmt == formats.INI:
        if section:  # [app:main], [testenv:py3], [python: **.py]
            return None if "]" in name or "[" in name or name.strip() != name else name
        if style:
            return None if style in name else name
        bad = any(ch in name for ch in "=:[]") or name.strip() != name or name[:1] in "#;"
        return None if bad else name
    if fmt == formats.DOTENV:
        if style:
            return None if style in name or "\\" in name else name
        return name if _DOTENV_NAME.match(name) else None
    if fmt == formats.PROPERTIES:
        from javaproperties import escape

        return escape(name) if name else None
    if fmt == formats.PYTHON:
        if style:
            return None if style in name or "\\" in name else name
        return name if _PY_NAME.match(name) else None
    return None
