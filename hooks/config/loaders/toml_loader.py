"""TOML through tomllib (tomli before Python 3.11).

tomllib gives values but no positions, and it stops at the first duplicate key.
A small scan over the text (headers, keys, and the strings and brackets that can
hide them) records where each key is written; when tomllib rejects a file only
because a key is defined twice, the scan's entries still let the duplicate hook
name both lines.
"""
from __future__ import annotations

import re
import sys

from hooks.config.document import MAPPING, SCALAR, SECTION, SEQUENCE, Document, Entry, ParseError

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _tomllib() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


def load(doc: Document) -> None:
    tomllib = _tomllib()
    located = _Scanner(doc.text).scan()
    try:
        data = tomllib.loads(doc.text.replace("\r\n", "\n"))
    except tomllib.TOMLDecodeError as exc:
        paths = [path for path, *_ in located]
        if located and len(set(paths)) < len(paths):
            doc.entries = [Entry(p, line, col, kind, None, "") for p, line, col, kind in located]
            return
        message = str(exc)
        match = _AT_LINE.search(message)
        line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        doc.error = ParseError(_AT_LINE.sub(f"(line {line}, column {column})", message), line, column)
        return
    entries = []
    for path, line, column, kind in located:
        value = _lookup(data, path)
        if kind == SECTION or isinstance(value, dict):
            entries.append(Entry(path, line, column, MAPPING if kind != SECTION else SECTION))
            if kind != SECTION:
                _inline(value, path, line, column, entries)
        elif isinstance(value, list):
            entries.append(Entry(path, line, column, SEQUENCE))
            _inline(value, path, line, column, entries)
        else:
            entries.append(Entry(path, line, column, SCALAR, value, "" if value is None else str(value)))
    doc.entries = entries


def _lookup(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _inline(value: Any, path: tuple[Any, ...], line: int, column: int, entries: list[Any]) -> None:
    """Entries inside an inline table or array, all at the line of their key."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        child = path + (key,)
        if isinstance(item, (dict, list)):
            entries.append(Entry(child, line, column, MAPPING if isinstance(item, dict) else SEQUENCE))
            _inline(item, child, line, column, entries)
        else:
            entries.append(Entry(child, line, column, SCALAR, item, str(item)))


class _Scanner:
    """Finds each header and key with its position; skips over values."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.found: list[Any] = []
        self.table: tuple[Any, ...] = ()
        self.arrays: dict[Any, Any] = {}  # array-of-tables path -> number of elements so far

    def scan(self) -> list[Any]:
        text = self.text
        while self.pos < len(text):
            self._skip_blank()
            if self.pos >= len(text):
                break
            ch = text[self.pos]
            if ch == "#":
                self._skip_line()
            elif ch == "[":
                self._header()
            else:
                if not self._keyval(self.table):
                    self._skip_line()
        return self.found

    # -- low level -------------------------------------------------------
    def _newline(self) -> None:
        self.line += 1
        self.line_start = self.pos + 1

    def _skip_blank(self) -> None:
        text = self.text
        while self.pos < len(text) and text[self.pos] in " \t\r\n":
            if text[self.pos] == "\n":
                self._newline()
            self.pos += 1

    def _skip_line(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end

    def _column(self) -> int:
        return self.pos - self.line_start + 1

    def _key(self) -> tuple[Any, ...] | None:
        parts = []
        text = self.text
        while True:
            while self.pos < len(text) and text[self.pos] in " \t":
                self.pos += 1
            if self.pos >= len(text):
                return None
            ch = text[self.pos]
            if ch in "\"'":
                end = self._string_end(self.pos)
                if end is None:
                    return None
                raw = text[self.pos : end]
                parts.append(raw[1:-1] if ch == "'" else _basic_string(raw))
                self.pos = end
            else:
                match = _BARE.match(text, self.pos)
                if not match:
                    return None
                parts.append(match.group())
                self.pos = match.end()
            while self.pos < len(text) and text[self.pos] in " \t":
                self.pos += 1
            if self.pos < len(text) and text[self.pos] == ".":
                self.pos += 1
                continue
            return tuple(parts)

    def _string_end(self, start: int) -> int | None:
        text = self.text
        quote = text[start]
        if text.startswith(quote * 3, start):
            end = text.find(quote * 3, start + 3)
            if end < 0:
                return None
            while text.startswith(quote, end + 3):  # up to two quotes may close it
                end += 1
            return end + 3
        pos = start + 1
        while pos < len(text) and text[pos] not in "\n":
            if text[pos] == "\\" and quote == '"':
                pos += 2
                continue
            if text[pos] == quote:
                return pos + 1
            pos += 1
        return None

    # -- grammar ---------------------------------------------------------
    def _header(self) -> None:
        line, column = self.line, self._column()
        is_array = self.text.startswith("[[", self.pos)
        self.pos += 2 if is_array else 1
        key = self._key()
        if key is None:
            self._skip_line()
            return
        resolved: tuple[Any, ...] = ()
        for i, part in enumerate(key):
            resolved += (part,)
            last = i == len(key) - 1
            # Inside an array of tables, keys belong to its latest element.
            if resolved in self.arrays and not (is_array and last):
                resolved += (self.arrays[resolved] - 1,)
        if is_array:
            index = self.arrays.get(resolved, 0)
            self.arrays[resolved] = index + 1
            resolved += (index,)
        self.table = resolved
        self.found.append((resolved, line, column, SECTION))
        self._skip_line()

    def _keyval(self, table: tuple[Any, ...]) -> bool:
        line, column = self.line, self._column()
        key = self._key()
        if key is None or self.pos >= len(self.text) or self.text[self.pos] != "=":
            return False
        self.pos += 1
        self.found.append((table + key, line, column, SCALAR))
        self._skip_value()
        return True

    def _skip_value(self) -> None:
        """Move past a value, including multi-line strings, arrays and inline tables."""
        text = self.text
        depth = 0
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in "\"'":
                end = self._string_end(self.pos)
                if end is None:
                    self._skip_line()
                    return
                self.line += text.count("\n", self.pos, end)
                if "\n" in text[self.pos : end]:
                    self.line_start = text.rfind("\n", self.pos, end) + 1
                self.pos = end
                continue
            if ch == "#":
                self._skip_line()
                continue
            if ch in "[{":
                depth += 1
            elif ch in "]}":
                depth -= 1
            elif ch == "\n":
                if depth <= 0:
                    return
                self._newline()
            self.pos += 1


def _basic_string(raw: str) -> str:
    import json

    try:
        return str(json.loads(raw))
    except ValueError:
        return raw[1:-1]
