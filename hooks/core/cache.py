"""Results per file, kept between runs by content, so a whole-repo hook re-reads
only what changed since its last run.

A hook that scans the whole repository (check-cache-rules, check-env-documented)
asks, for each file, ``results.get(path, blob)``: ``blob`` is git's object id of
the file's content, which ``git ls-files -s`` gives for every tracked file in one
call (``hooks.repo.git.blob_ids``). A file whose work-tree copy differs from the index has no id
and is always read. What is kept depends only on the path, the content and what
``salt`` names (the collection's version, the code that computed it, the settings
that change it), so an entry is either right or never looked up.

Where: ``$LEGACY_CONFIG_HOOKS_CACHE_DIR``, else ``$XDG_CACHE_HOME/legacy-config-hooks``,
else ``~/.cache/legacy-config-hooks``, a folder marked with ``CACHEDIR.TAG`` so
backup tools skip it. ``LEGACY_CONFIG_HOOKS_NO_CACHE=1`` turns it off.

Safety: pre-commit runs hooks in parallel, and a user may run two at once. Each
kind of result has its own file, written whole to a temporary file and renamed
over the old one, so a reader sees the old file or the new one, never half of
either; the last writer wins and nothing is lost but warmth. The file is JSON
(never pickle: a cache file is input like any other), checked for its header and
shape when read; a file that is corrupt, foreign or of another version is ignored,
and an entry the caller cannot decode is a miss.
"""
from __future__ import annotations

import hashlib
import json
import os

from hooks import __version__

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

FORMAT = 1
TOOL = "legacy-config-hooks"
# Entries kept per file: those this run used plus older ones (another branch's
# files) up to this many, so switching branches back and forth stays warm.
MAX_ENTRIES = 60_000
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by legacy-config-hooks.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_CODE_DIGEST: str | None = None


MAX_FILE_BYTES = 256 * 1024 * 1024


def directory() -> str | None:
    """The cache folder (created, with its tag), or None when off or not writable."""
    env = os.environ
    if env.get("LEGACY_CONFIG_HOOKS_NO_CACHE", "").strip() not in ("", "0"):
        return None
    base = env.get("LEGACY_CONFIG_HOOKS_CACHE_DIR")
    if not base:
        xdg = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "legacy-config-hooks")
    try:
        os.makedirs(base, exist_ok=True)
        tag = os.path.join(base, "CACHEDIR.TAG")
        if not os.path.exists(tag):
            _write_atomic(base, "CACHEDIR.TAG", _TAG.encode())
    except OSError:
        return None
    return base


def code_digest() -> str:
    """Which code computed a result: the version and every module's size and
    modification time (an edited checkout never reads what older code kept)."""
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        parts = [__version__]
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".py"):
                    st = os.stat(os.path.join(folder, name))
                    parts.append(f"{os.path.relpath(os.path.join(folder, name), root)}:{st.st_size}:{st.st_mtime_ns}")
        _CODE_DIGEST = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]
    return _CODE_DIGEST


def encode(value: Any) -> Any:
    """A record (``hooks.core.records``) and what it holds as JSON: fields by name,
    tuples and sets as lists. The reader rebuilds its own records and checks them."""
    names = getattr(type(value), "__record_fields__", None)
    if names is not None:
        return {name: encode(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(encode(v) for v in value)
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


class FileResults:
    """One kind of per-file result (``name``), for one ``salt``."""

    def __init__(self, name: str, salt: str, folder: str | None = None) -> None:
        self.folder = folder if folder is not None else directory()
        digest = hashlib.sha256(f"{FORMAT}\0{code_digest()}\0{salt}".encode()).hexdigest()[:16]
        self.file = f"{name}-{digest}.json"
        self.header = {"tool": TOOL, "format": FORMAT, "name": name, "salt": digest}
        self.old: dict[str, Any] = self._load()
        self.used: dict[str, Any] = {}
        self.hits = self.misses = 0

    @staticmethod
    def key(path: str, blob: str) -> str:
        return f"{blob}:{path}"

    def get(self, path: str, blob: str | None) -> Any:
        """What was kept for this content at this path, or None."""
        if blob is None:
            return None
        key = self.key(path, blob)
        value = self.used.get(key, self.old.get(key))
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self.used[key] = value
        return value

    def put(self, path: str, blob: str | None, value: Any) -> None:
        """Keep ``value`` (JSON: lists, dicts, strings, numbers, booleans) for next time."""
        if blob is not None and value is not None:
            self.used[self.key(path, blob)] = value

    def save(self) -> None:
        """Write what this run used or made, plus older entries up to the cap; never fails the run."""
        if self.folder is None or not self.used or (self.misses == 0 and len(self.used) == len(self.old)):
            return
        entries = dict(self.used)
        for key, value in self.old.items():
            if len(entries) >= MAX_ENTRIES:
                break
            entries.setdefault(key, value)
        data = json.dumps({**self.header, "entries": entries}, separators=(",", ":")).encode()
        try:
            _write_atomic(self.folder, self.file, data)
        except OSError:
            pass

    def replace(self, entries: dict[str, Any]) -> None:
        """Keep exactly ``entries`` (a result kept whole, not per file), written at once;
        never fails the run."""
        self.old, self.used = entries, {}
        if self.folder is None:
            return
        data = json.dumps({**self.header, "entries": entries}, separators=(",", ":")).encode()
        try:
            _write_atomic(self.folder, self.file, data)
        except OSError:
            pass

    def _load(self) -> dict[str, Any]:
        if self.folder is None:
            return {}
        try:
            with open(os.path.join(self.folder, self.file), "rb") as handle:
                data = json.loads(handle.read(MAX_FILE_BYTES))  # cut short: not JSON, so no cache
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or any(data.get(k) != v for k, v in self.header.items()):
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}


def _write_atomic(folder: str, name: str, data: bytes) -> None:
    """Through hooks.core.writing, held inside the cache folder: atomic, never
    through a symlink (WriteError is an OSError)."""
    from hooks.core.writing import write_file

    write_file(os.path.join(folder, name), data, folder)
