"""One loader per format; each is imported only when a file of its format shows up,
so a YAML-only run never imports the INI, TOML or dotenv stack."""
from __future__ import annotations

import importlib
import re

from hooks.config import formats
from hooks.config.document import Document, ParseError
from hooks.config.source import DEFAULT_MAX_BYTES, ReadError, read_text

_MODULES = {
    formats.YAML: "hooks.config.loaders.yaml_loader",
    formats.INI: "hooks.config.loaders.ini_loader",
    formats.DOTENV: "hooks.config.loaders.dotenv_loader",
    formats.TOML: "hooks.config.loaders.toml_loader",
    formats.JSON: "hooks.config.loaders.json_loader",
    formats.PROPERTIES: "hooks.config.loaders.properties_loader",
    formats.PYTHON: "hooks.config.loaders.python_loader",
}
# Jinja / Go template markup: such files are not meant to parse as plain config.
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def parse(path: str, text: str, fmt: str) -> Document:
    """Parse ``text`` as ``fmt``; never raises for bad content."""
    doc = Document(path=path, format=fmt, text=text)
    module = importlib.import_module(_MODULES[fmt])
    try:
        module.load(doc)
    except RecursionError:
        doc.entries = []
        doc.error = ParseError("nesting is too deep")
    except MemoryError:
        doc.entries = []
        doc.error = ParseError("file is too large to parse")
    except Exception as exc:  # a parser library's own bug must not become a traceback
        doc.entries = []
        doc.error = ParseError(f"the {fmt} parser failed ({type(exc).__name__})")
    if doc.error is not None and doc.error.certain and _TEMPLATE.search(text):
        doc.error = ParseError(doc.error.message, doc.error.line, doc.error.column, certain=False)
    return doc


def load(path: str, fmt: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document | None:
    """Load a config file. Returns None for a file in no known format.

    Raises :class:`hooks.config.source.TooLarge` for a file over ``max_bytes``; a file
    that cannot be read or parsed comes back with ``error`` set.
    """
    fmt = fmt or formats.detect(path)
    if fmt is None:
        return None
    try:
        text = read_text(path, max_bytes)
    except ReadError as exc:
        return Document(path=path, format=fmt, text="", error=ParseError(str(exc), exc.line))
    return parse(path, text, fmt)
