"""The format-neutral view of a config file that every hook reads.

A loader turns a file into a :class:`Document`: every key it defines, in source
order (duplicates included), with its full key path, value and 1-based position.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from hooks.core.records import field, record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any, Union

    PathPart = Union[str, int]
else:
    PathPart = object  # annotations only: the alias above is for the type checker
KeyPath = tuple[PathPart, ...]

# Entry kinds.
SCALAR = "scalar"  # a plain value (str, int, float, bool or None)
MAPPING = "mapping"  # a YAML/JSON/TOML mapping or a Python dict literal
SEQUENCE = "sequence"  # a list; its items follow as entries with int path parts
SECTION = "section"  # an INI section header
EXPRESSION = "expression"  # Python code that is not a literal, e.g. os.environ.get(...)

# Entry flags.
CONDITIONAL = "conditional"  # Python: assigned inside if/try/with/for at module level
AUGMENTED = "augmented"  # Python: X += ..., or X = X + ... (extends, does not replace)
ALIAS = "alias"  # YAML: an alias (*name) to a node defined elsewhere
MULTI_VALUE = "multi-value"  # INI: an option that the format repeats on purpose


@record(frozen=True)
class Entry:
    """One key of a config file, at the place it is written."""

    path: KeyPath
    line: int
    column: int
    kind: str = SCALAR
    value: object = None  # the parsed value for SCALAR entries
    source: str = ""  # the value as written (code for EXPRESSION entries)
    flags: frozenset[str] = frozenset()
    node: object = field(default=None, compare=False, repr=False)  # format-specific

    @property
    def key(self) -> PathPart:
        return self.path[-1]

    @property
    def dotted(self) -> str:
        return dotted(self.path)


def dotted(path: KeyPath) -> str:
    """Render a key path for messages: ``database.hosts[0].name``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def display(fmt: str, path: KeyPath, section: bool | None = None) -> str:
    """A key path as users of the format write it, the same in every hook's
    messages: ``sqlalchemy.url in [app:main]`` and ``section [app:main]`` in INI
    files, ``DATABASES["default"]["PASSWORD"]`` and ``ProductionConfig.DEBUG`` in
    Python settings, ``database.hosts[0]`` elsewhere. ``section`` defaults to "a
    one-part INI path is a section"."""
    if fmt == "python" and path:
        head, rest = str(path[0]), path[1:]
        if not head.isupper() and rest and isinstance(rest[0], str) and rest[0].isupper():
            head, rest = f"{head}.{rest[0]}", rest[1:]  # Flask-style class ProductionConfig: SECRET_KEY
        return head + "".join(f"[{p}]" if isinstance(p, int) else f'["{p}"]' for p in rest)
    return key_identity(fmt, path, section)


def key_identity(fmt: str, path: KeyPath, section: bool | None = None) -> str:
    """A key path for fingerprints. Frozen: users' baselines hold hashes of it,
    so a change here would un-baseline their findings (display may change)."""
    if fmt == "ini" and path:
        if section is None:
            section = len(path) == 1
        if section:
            return "section [" + "][".join(map(str, path)) + "]"
        if len(path) > 1:
            return f"{path[-1]} in [" + "][".join(map(str, path[:-1])) + "]"
    return dotted(path)


def secret_identity(path: KeyPath, python: bool = False) -> str:
    """The key path in a secret's identity: ``database.password``, and Python
    settings as written, ``DATABASES["default"]["PASSWORD"]``. Frozen like
    ``key_identity``: baselines hold it (messages use ``display``)."""
    return display("python", path) if python and path else dotted(path)


# YAML, Python, dotenv and .properties parsers also break lines at a lone CR
# (YAML 1.1 at NEL, LS and PS too); the other formats break at LF only.
_UNIVERSAL = re.compile("\r\n|[\r\n]")
_BREAKS = {
    "yaml": re.compile("\r\n|[\r\n\x85\u2028\u2029]"),
    "python": _UNIVERSAL,
    "dotenv": _UNIVERSAL,
    "properties": _UNIVERSAL,
}
_LONE_BREAKS = {
    "yaml": re.compile("\r(?!\n)|[\x85\u2028\u2029]"),
    "python": re.compile("\r(?!\n)"),
    "dotenv": re.compile("\r(?!\n)"),
    "properties": re.compile("\r(?!\n)"),
}


@record(frozen=True)
class ParseError:
    """Why a file could not be loaded; ``certain`` is False when the file is
    probably not meant to be in this format at all (a template, an nginx .conf),
    in which case hooks skip it instead of reporting it."""

    message: str
    line: int = 1
    column: int = 1
    certain: bool = True


@record
class Document:
    path: str
    format: str
    text: str
    entries: list[Any] = field(default_factory=list)
    error: ParseError | None = None
    _lines: list[Any] | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[Any]:
        """Source lines, 1-based access via ``lines[n - 1]``, split where this
        format's parser breaks lines, so entry line numbers index them."""
        if self._lines is None:
            lone = _LONE_BREAKS.get(self.format)
            if lone is not None and lone.search(self.text):
                self._lines = _BREAKS[self.format].split(self.text)
            else:
                self._lines = self.text.split("\n")
        return self._lines

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def get(self, path: KeyPath) -> Entry | None:
        """The entry that wins for ``path`` (the last one written)."""
        found = None
        for entry in self.entries:
            if entry.path == path:
                found = entry
        return found

    def keys(self) -> dict[Any, Any]:
        """Key path -> winning entry, in first-seen order."""
        out: dict[Any, Any] = {}
        for entry in self.entries:
            out[entry.path] = entry
        return out
