"""JSON through the json module, which validates and keeps every duplicate key
(``object_pairs_hook``); a token walk over the validated text adds positions."""
from __future__ import annotations

import json
import re
from typing import Any

from hooks.document import MAPPING, SCALAR, SEQUENCE, Document, Entry, ParseError

_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity|\s+',
    re.S,
)


def load(doc: Document) -> None:
    if not doc.text.strip():
        return  # an empty file: nothing configured, nothing to report
    try:
        json.loads(doc.text, object_pairs_hook=lambda pairs: None)
    except json.JSONDecodeError as exc:
        doc.error = ParseError(f"{exc.msg} (line {exc.lineno}, column {exc.colno})", exc.lineno, exc.colno)
        return
    doc.entries = _walk(doc.text)


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
