"""Report keys defined twice in one place, where the later value silently wins.

Covers a repeated key in one YAML/JSON/TOML mapping, an INI section (and a
repeated section header), a dotenv file, a .properties file, and a Python
settings module (module-level UPPER_CASE names and dict-literal keys).
Options that a format repeats on purpose are not duplicates: every option of a
uwsgi ``[uwsgi]`` section or a systemd unit section, and ``namespace`` in an
oslo-config-generator file.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from hooks.config import document, formats
from hooks.config.document import AUGMENTED, CONDITIONAL, MULTI_VALUE, SECTION, Document, Entry
from hooks.core import runner
from hooks.core.api import Hook, Problem, pure

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

_NOT_AN_OVERRIDE = frozenset({CONDITIONAL, AUGMENTED, MULTI_VALUE})


def display(doc: Document, entry: Entry) -> str:
    """How a user names this key in this format."""
    return document.display(doc.format, entry.path, section=entry.kind == SECTION)


def identity(doc: Document, entry: Entry) -> str:
    return document.key_identity(doc.format, entry.path, section=entry.kind == SECTION)


def find_duplicates(doc: Document) -> Iterator[tuple[Entry, Entry, Entry]]:
    """Yield (duplicate entry, previous entry, winning entry) triples."""
    # Two entries clash when they have the same key in the same container. In
    # INI, a repeated section is merged, so its name is the container; in every
    # other format a container is one occurrence of a mapping (a repeated
    # mapping replaces the first, so its children are not reported again).
    merged = doc.format == formats.INI
    latest: dict[Any, Any] = {}  # key path -> index of its latest entry
    seen: dict[Any, Any] = {}  # (container, key) -> entries in order
    for index, entry in enumerate(doc.entries):
        parent = entry.path[:-1]
        container = ("path", parent) if merged or parent not in latest else latest[parent]
        latest[entry.path] = index
        if entry.flags & _NOT_AN_OVERRIDE or isinstance(entry.key, int):
            continue
        if entry.key == "<<" and doc.format == formats.YAML:
            continue  # several merge keys in one mapping: PyYAML and ruamel merge them all
        seen.setdefault((container, entry.key), []).append(entry)
    for group in seen.values():
        for previous, duplicate in zip(group, group[1:]):
            yield duplicate, previous, group[-1]


def message(doc: Document, duplicate: Entry, previous: Entry, winner: Entry) -> str:
    name = display(doc, duplicate)
    if duplicate.kind == SECTION:
        return (
            f"{name} is already declared on line {previous.line}; "
            f"its options are merged and the later values win"
        )
    if previous.line == duplicate.line == winner.line:
        return f"{name} is already set earlier on line {previous.line}; this later value wins"
    return f"{name} is already set on line {previous.line}; the value on line {winner.line} wins"


def check(doc: Document, ctx: runner.Context) -> Iterator[Problem]:
    for duplicate, previous, winner in find_duplicates(doc):
        yield Problem(duplicate.line, duplicate.column, message(doc, duplicate, previous, winner),
                      ("duplicate", identity(doc, duplicate)))


HOOK = Hook(
    id="no-duplicate-config-keys",
    summary="Report keys defined twice in one place, where the later value silently wins.",
    description=__doc__ or "",
    check=check,
    cache_key=pure,  # a file's duplicates are in the file alone
)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
