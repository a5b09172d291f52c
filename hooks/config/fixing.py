"""Writing a fixed config file back without changing anything else about it.

A fixer reads the bytes itself (``read_source``) so it can write back the same
BOM and encoding, edits the decoded text (which keeps LF/CRLF and a missing
final newline as they are), checks the new text with ``verify``, and writes it
with ``atomic_write``: a temp file in the same folder, the old mode, a rename.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from hooks.config.document import Document, KeyPath
from hooks.core.records import record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

Edit = tuple[int, int, str]  # (start, end, replacement) as offsets into the text


@record(frozen=True)
class Source:
    path: str
    raw: bytes
    text: str  # without the BOM
    encoding: str
    bom: bytes

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)


def read_source(path: str, max_bytes: int = 0) -> Source:
    """The file's bytes and text; raises hooks.config.source.ReadError/TooLarge like the loaders."""
    from hooks.config.source import BOMS, ReadError, decode, read_bytes

    raw = read_bytes(path, max_bytes)  # the same checks and messages as the loaders
    text = decode(raw)
    bom, encoding = next(((b, e) for b, e in BOMS if raw.startswith(b)), (b"", "utf-8"))
    source = Source(path, raw, text, encoding, bom)
    if source.encode(text) != raw:  # never write back something we could not read exactly
        raise ReadError("cannot write back: the text does not re-encode to the same bytes")
    return source


def atomic_write(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` through ``hooks.core.writing.write_file``:
    inside the repo (the current folder), never through a symlink, one
    rename, the old mode kept. Raises ``hooks.core.writing.WriteError``."""
    from hooks.core.writing import write_file

    write_file(path, data)


def unified_diff(path: str, old: str, new: str) -> str:
    import difflib

    def lines(text: str) -> list[str]:
        out = [line + "\n" for line in text.split("\n")]
        out[-1] = out[-1][:-1]
        if out[-1] == "":
            out.pop()
        elif out:
            out[-1] += "\n\\ No newline at end of file\n"
        return out

    name = path.replace("\\", "/")
    return "".join(difflib.unified_diff(lines(old), lines(new), f"a/{name}", f"b/{name}"))


def line_starts(text: str) -> list[int]:
    """Offset of each line's first character; ``line_starts(t)[n - 1]`` is line n."""
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits; raises ValueError when two overlap."""
    out = text
    last = len(text) + 1
    for start, end, replacement in sorted(set(edits), reverse=True):
        if end > last:
            raise ValueError("overlapping edits")
        out = out[:start] + replacement + out[end:]
        last = start
    return out


def newline_of(text: str) -> str:
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _signature(path: KeyPath, entry: object) -> tuple[Any, ...]:
    return (path, entry.kind, repr(entry.value), entry.source, tuple(sorted(entry.flags)))  # type: ignore[attr-defined]


def verify(
    old: Document, new_text: str, renames: Sequence[tuple[KeyPath, KeyPath]]
) -> str | None:
    """Re-parse ``new_text`` with the same loader; None when it holds exactly the
    old keys and values with each renamed path moved, else why not."""
    from hooks.config import loaders

    new = loaders.parse(old.path, new_text, old.format)
    if new.error is not None:
        return f"the fixed file would not parse: {new.error.message}"

    by_source = {tuple(source): tuple(target) for source, target in renames}

    def moved(path: KeyPath) -> KeyPath:
        # Each level is renamed on its own, so a renamed key under a renamed
        # parent gets both names; a move puts the key at its absolute target.
        out: KeyPath = ()
        for i, part in enumerate(path):
            target = by_source.get(path[: i + 1])
            if target is None:
                out += (part,)
            elif target[:-1] == path[:i]:
                out += target[-1:]
            else:
                out = target
        return out

    expected = Counter(_signature(moved(e.path), e) for e in old.entries)
    actual = Counter(_signature(e.path, e) for e in new.entries)
    # A move may create the parent it goes under; nothing else may appear.
    created = {t[:i] for _, t in renames for i in range(1, len(t))} - {e.path for e in old.entries}
    extra = actual - expected
    for sig in list(extra):
        if sig[0] in created and sig[1] == "mapping":
            del extra[sig]
    missing = expected - actual
    if missing or extra:
        what = next(iter(missing or extra))
        from hooks.config.document import dotted

        return f"the fixed file would read back differently at {dotted(what[0])}"
    return None
