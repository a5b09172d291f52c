"""JSON through the json module, which validates and keeps every duplicate key
(``object_pairs_hook``); a token walk over the validated text adds positions.

Two relatives of JSON are read as what they are, never reported as broken JSON:
JSONC (``tsconfig.json``, ``.vscode/*.json``, ``devcontainer.json``, ``*.jsonc``:
comments and trailing commas) and JSON Lines (``*.jsonl``, ``*.ndjson``, or a
``.json`` file holding one JSON value per line).
"""
from __future__ import annotations

import json
import posixpath
import re

from hooks.config.document import MAPPING, SCALAR, SEQUENCE, Document, Entry, ParseError

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity|\s+',
    re.S,
)


_JSONC_NAME = re.compile(
    r"(^|/)(tsconfig[^/]*|jsconfig[^/]*|devcontainer|\.devcontainer|\.eslintrc|\.babelrc|pyrightconfig|"
    r"\.swcrc|language-configuration|api-extractor|typedoc|tslint|cspell|\.cspell|turbo|deno|biome|nx|"
    r"\.markdownlint|\.jshintrc)\.json$|(^|/)\.vscode/[^/]+\.json$|"
    r"(^|/)\.devcontainer/[^/]*\.json$|\.jsonc$"
)
_JSON_LINES_NAME = re.compile(r"\.(jsonl|ndjson)$")


def is_jsonc(path: str) -> bool:
    return _JSONC_NAME.search(path.replace("\\", "/")) is not None


def load(doc: Document) -> None:
    if not doc.text.strip():
        return  # an empty file: nothing configured, nothing to report
    path = posixpath.normpath(doc.path.replace("\\", "/"))
    if _JSON_LINES_NAME.search(path):
        _load_lines(doc)
        return
    text = strip_jsonc(doc.text) if is_jsonc(path) else doc.text
    try:
        json.loads(text, object_pairs_hook=lambda pairs: None)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and exc.lineno > 1 and _load_lines(doc, quiet=True):
            return  # a .json file that holds JSON Lines
        doc.error = ParseError(f"{exc.msg} (line {exc.lineno}, column {exc.colno})", exc.lineno, exc.colno)
        return
    doc.entries = _walk(text)


def _load_lines(doc: Document, quiet: bool = False) -> bool:
    """JSON Lines: each non-blank line is one value, its entries under the line's
    index. False (and no error set) when ``quiet`` and a line is not JSON."""
    entries: list[Entry] = []
    lines = doc.text.split("\n")
    index = -1
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            json.loads(line, object_pairs_hook=lambda pairs: None)
        except json.JSONDecodeError as exc:
            if quiet:
                return False
            doc.error = ParseError(f"{exc.msg} (line {number}, column {exc.colno})", number, exc.colno)
            return False
        index += 1
        # Same text, other lines blanked: positions stay those of the file.
        masked = "\n" * (number - 1) + line
        entries.extend(
            Entry((index,) + e.path, e.line, e.column, e.kind, e.value, e.source)
            for e in _walk(masked)
        )
    doc.entries = entries
    return True


def strip_jsonc(text: str) -> str:
    """``text`` with comments and trailing commas blanked out, so every other
    character keeps its line and column."""
    out = list(text)
    i, n = 0, len(text)
    last_comma = -1  # index of a comma that may turn out to be trailing
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            last_comma = -1
            continue
        if c == "/" and i + 1 < n and text[i + 1] in "/*":
            end = text.find("\n", i) if text[i + 1] == "/" else text.find("*/", i + 2)
            end = n if end < 0 else (end if text[i + 1] == "/" else end + 2)
            for k in range(i, end):
                if out[k] not in "\r\n":
                    out[k] = " "
            i = end
            continue
        if c == ",":
            last_comma = i
        elif c in "}]":
            if last_comma >= 0:
                out[last_comma] = " "
            last_comma = -1
        elif not c.isspace():
            last_comma = -1
        i += 1
    return "".join(out)


def _walk(text: str) -> list[Any]:
    entries: list[Any] = []
    # Each frame: [path, is_object, next index for arrays, pending key (path, line, col)]
    stack: list[Any] = []
    line, line_start = 1, 0
    pending = None  # the key (or array slot) the next value belongs to
    for match in _TOKEN.finditer(text):
        token = match.group()
        start = match.start()
        column = start - line_start + 1
        if token[0] in " \t\r\n":
            newlines = token.count("\n")
            if newlines:
                line += newlines
                line_start = start + token.rfind("\n") + 1
            continue
        frame = stack[-1] if stack else None
        if frame is not None and not frame[1] and pending is None and token not in ",]":
            pending = (frame[0] + (frame[2],), line, column)
            frame[2] += 1
        if token in ":,":
            continue
        if token in "]}":
            stack.pop()
            continue
        if frame is not None and frame[1] and pending is None and token[0] == '"':
            pending = (frame[0] + (json.loads(token),), line, column)
            continue
        path, key_line, key_column = pending if pending else ((), line, column)
        pending = None
        if token in "{[":
            if path:
                entries.append(Entry(path, key_line, key_column, MAPPING if token == "{" else SEQUENCE))
            stack.append([path, token == "{", 0])
        elif path:
            value = json.loads(token)
            entries.append(Entry(path, key_line, key_column, SCALAR, value, token))
    return entries
