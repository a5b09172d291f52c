"""Java-style .properties (Kafka, Spark, log4j configs), read as java.util.Properties
reads them, in one linear pass.

javaproperties' parser joins ``\\`` continuation lines in time quadratic in
their number (a 200 KB file of continuations took 97 s), so the logical lines
are found here in one pass over the physical ones; each logical line is then
split and unescaped as javaproperties does (the tests hold the two equal on
the corpus and on generated files).
"""
from __future__ import annotations

import re

from hooks.config.document import SCALAR, Document, Entry, ParseError

_BREAK = re.compile("\r\n|[\r\n]")  # Properties ends lines at CR, LF or CRLF
_WS = " \t\f"
# The key: escaped characters or anything but a separator; then the separator.
_KEY = re.compile(r"(?:[^\\:=\s]|\\.)*", re.S)
_SEP = re.compile(r"[ \t\f]*[=:]?[ \t\f]*")
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|u.{0,4}|.|$)", re.S)
_SIMPLE = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


class BadEscape(ValueError):
    def __init__(self, escape: str) -> None:
        super().__init__(escape)
        self.escape = escape


def unescape(text: str) -> str:
    r"""``\t \n \r \f``, ``\uXXXX`` (surrogate pairs joined), ``\x`` -> ``x``."""
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        body = match.group(1)
        if body.startswith("u"):
            if len(body) != 5 or not all(c in "0123456789abcdefABCDEF" for c in body[1:]):
                raise BadEscape("\\" + body)
            return chr(int(body[1:], 16))
        return _SIMPLE.get(body, body)

    out = _ESCAPE.sub(one, text)
    if any("\ud800" <= c <= "\udfff" for c in out):  # \uD83D\uDE00: one character, as Java reads it
        out = out.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
    return out


def _continues(line: str) -> bool:
    n = len(line) - len(line.rstrip("\\"))
    return n % 2 == 1


def logical_lines(text: str) -> list[tuple[int, int, str]]:
    """(line number, column, logical line) for each key/value line, comments
    and blank lines left out; linear in the size of the text."""
    physical = _BREAK.split(text)
    out = []
    i = 0
    while i < len(physical):
        raw = physical[i]
        number = i + 1
        i += 1
        body = raw.lstrip(_WS)
        if not body or body[0] in "#!":
            continue
        column = len(raw) - len(body) + 1
        parts = []
        line = body
        while _continues(line) and i < len(physical):
            parts.append(line[:-1])
            line = physical[i].lstrip(_WS)
            i += 1
        if _continues(line):  # a continuation at the end of the file
            line = line[:-1]
        parts.append(line)
        logical = "".join(parts)
        if logical:  # a lone `\` at the end of the file is nothing
            out.append((number, column, logical))
    return out


def split(line: str) -> tuple[str, str]:
    """The escaped key and value of one logical line."""
    key = _KEY.match(line)
    end = key.end() if key else 0
    sep = _SEP.match(line, end)
    return line[:end], line[sep.end() if sep else end :]


def load(doc: Document) -> None:
    entries = []
    for number, column, line in logical_lines(doc.text):
        key, value = split(line)
        try:
            k, v = unescape(key), unescape(value)
        except BadEscape as exc:
            doc.error = ParseError(f"invalid \\u escape {exc.escape!r} (line {number})", number)
            return
        entries.append(Entry((k,), number, column, SCALAR, v, v))
    doc.entries = entries
