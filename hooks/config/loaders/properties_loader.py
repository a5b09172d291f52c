"""Java-style .properties (Kafka, Spark, log4j) through javaproperties' low-level
``parse()``, whose events carry their source text, so lines follow by counting."""
from __future__ import annotations

import re

from hooks.config.document import SCALAR, Document, Entry, ParseError

_BREAK = re.compile("\r\n|[\r\n]")  # javaproperties ends lines at CR, LF or CRLF


def load(doc: Document) -> None:
    from javaproperties import InvalidUEscapeError, parse
    from javaproperties.reading import KeyValue

    entries = []
    line = 1
    try:
        for event in parse(doc.text):
            source = event.source
            if isinstance(event, KeyValue):
                body = source.lstrip(" \t\f")
                entries.append(
                    Entry((event.key,), line, len(source) - len(body) + 1, SCALAR, event.value, event.value)
                )
            line += len(_BREAK.findall(source))
    except InvalidUEscapeError as exc:
        doc.error = ParseError(f"invalid \\u escape {exc.escape!r} (line {line})", line)
        return
    doc.entries = entries
