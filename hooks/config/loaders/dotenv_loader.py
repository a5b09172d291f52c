"""dotenv files through python-dotenv's own parser, which knows ``export``,
quotes, escapes and ``#`` comments and gives each binding's source line."""
from __future__ import annotations

import io

from hooks.config.document import SCALAR, Document, Entry, ParseError


def load(doc: Document) -> None:
    from dotenv.parser import parse_stream

    entries = []
    for binding in parse_stream(io.StringIO(doc.text)):
        original = binding.original.string
        # A binding's text starts with the blank lines before it.
        body = original.lstrip()
        line = binding.original.line + original[: len(original) - len(body)].count("\n")
        if binding.error:
            # Never quote the line: it may hold a secret.
            doc.error = ParseError(f"line {line} is not NAME=value (or a comment)", line)
            doc.entries = []
            return
        if binding.key is None:
            continue
        prefix = original[: len(original) - len(body)]
        indent = len(prefix) - (prefix.rfind("\n") + 1)  # spaces before `export KEY=` on its line
        column = indent + body.find(binding.key) + 1 if binding.key in body else 1
        raw = body.split("=", 1)[1].rstrip("\r\n") if "=" in body else ""
        entries.append(Entry((binding.key,), line, column, SCALAR, binding.value, raw))
    doc.entries = entries
