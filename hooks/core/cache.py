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
        self.hits = self.misses = self.added = 0
        self.cap = MAX_ENTRIES  # entries kept in the file

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
            key = self.key(path, blob)
            if self.old.get(key) != value:
                self.added += 1
            self.used[key] = value

    def save(self) -> None:
        """Write what this run used or made, plus the entries the file holds now (another
        process's: pre-commit runs parts of one hook's files at once) and older ones,
        up to the cap; nothing when this run made nothing new. Never fails the run."""
        if self.folder is None or not self.added:
            return
        entries = dict(self.used)
        for key, value in (*self._load().items(), *self.old.items()):
            if len(entries) >= self.cap:
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


# -- findings per file ---------------------------------------------------------
class Findings:
    """A hook's findings per file, for hooks whose findings for one file are a pure
    function of its path and bytes, the hook's code, its options and the settings
    (``Hook.cache_key`` declares it, and names anything else a file's answer
    depends on). The runner (``hooks.core.runner.collect``) asks before it loads
    or checks a file and keeps what the check gave: the findings after the
    file's own suppression markers (they are in its bytes), and the notices,
    skipped lines and checked names the file added. The baseline, and whatever
    else reads outside the file, is applied after, on every run.

    Kept: line, column, message, identity and severity of each finding. A
    finding's message and identity never hold a secret in full (``Problem``:
    masked values, hashed identities), so neither does the cache."""

    def __init__(self, results: FileResults, blobs: dict[str, str], key: Any, ctx: Any) -> None:
        self.results = results
        self.blobs = blobs
        self.extra = key  # (path, ctx) -> str | None
        self.ctx = ctx
        self.folders: dict[str, str | None] = {}
        ctx.cached_files = self  # what a hook's cache_key may ask (folder_key)

    def folder(self, folder: str) -> str | None:
        """``folder_state`` of ``folder``, once per run."""
        from hooks.config.paths import normalise

        folder = normalise(folder)
        if folder not in self.folders:
            self.folders[folder] = folder_state(folder, self.blobs)
        return self.folders[folder]

    def blob(self, path: str) -> str | None:
        """The cache key of ``path``: its blob id and what the hook adds, or None (not kept)."""
        from hooks.config.paths import normalise

        blob = self.blobs.get(normalise(path))
        if blob is None:
            return None
        try:
            extra = self.extra(path, self.ctx)
        except Exception:  # noqa: BLE001 - a key that cannot be made is no key: the file is checked
            return None
        if extra is None:
            return None
        return blob if not extra else f"{blob}+{hashlib.sha256(str(extra).encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"

    def state(self, path: str) -> tuple[str, str] | None:
        """(path from the top, its blob id or "" when it does not exist), or None: it
        exists with no blob id (untracked, changed) or lies outside the repository."""
        from hooks.config.paths import normalise

        rel = normalise(os.path.relpath(path) if os.path.isabs(path) else path)
        if rel.startswith("../") or rel == "..":
            return None
        blob = self.blobs.get(rel)
        if blob is not None:
            return rel, blob
        return (rel, "") if not os.path.lexists(rel or ".") else None

    def get(self, path: str, blob: str) -> dict[str, Any] | None:
        value = self.results.get(path, blob)
        if not _valid(value):
            return None
        for dep, was in value["deps"].items():
            if self.state(dep) != (dep, was):
                return None
        return value  # type: ignore[no-any-return]

    def put(self, path: str, blob: str, value: dict[str, Any]) -> None:
        self.results.put(path, blob, value)

    def save(self) -> None:
        self.results.save()


def folder_state(folder: str, blobs: dict[str, str], root: str = "") -> str | None:
    """Every name in ``folder`` (relative to ``root``, default the current folder)
    with its file's blob id (a folder by its name alone), or None when a file there
    has none (untracked, changed in the work tree, a link): part of a cache key for
    a result that reads the files beside one, or asks which exist."""
    from hooks.config.paths import normalise

    folder = normalise(folder)
    try:
        names = sorted(os.listdir(os.path.join(root, folder) if root else folder or "."))
    except OSError:
        names = []
    parts = []
    for name in names:
        rel = normalise(os.path.join(folder, name))
        blob = blobs.get(rel)
        if blob is not None:
            parts.append(f"{name}\0{blob}")
            continue
        full = os.path.join(root, rel) if root else rel
        if not os.path.isdir(full) or os.path.islink(full):
            return None
        parts.append(f"{name}/")
    return "\n".join(parts)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _valid(value: Any) -> bool:
    """The shape ``runner`` writes, and nothing else (a file another tool or a
    damaged disk left is not trusted)."""
    if not isinstance(value, dict) or set(value) != {"findings", "checked", "notices", "once", "skipped", "deps"}:
        return False
    deps = value["deps"]
    if not isinstance(deps, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in deps.items()):
        return False
    if not all(_strings(value[k]) for k in ("checked", "notices", "once", "skipped")):
        return False
    findings = value["findings"]
    if not isinstance(findings, list):
        return False
    for f in findings:
        if not (isinstance(f, list) and len(f) == 5 and type(f[0]) is int and type(f[1]) is int
                and isinstance(f[2], str) and _strings(f[3]) and f[4] in ("error", "warning")):
            return False
    return True


def salt(hook: Any, ctx: Any) -> str:
    """Everything of a run that may change a file's findings besides its bytes:
    the hook, its options, the settings (every table: roles, environments, the
    hook's own), the shared options and the repository's folder (a project's name
    is its folder's). Not the baseline's content: the runner applies it after."""
    shared = ctx.shared
    material = {
        "hook": hook.id,
        "root": os.path.realpath("."),
        "options": encode(vars(ctx.options)),
        "top": encode(shared.project.top),
        "tables": encode(shared.project.tables),
        "environments": encode(shared.environments),
        "shared": [shared.format, shared.baseline, shared.max_file_size, shared.verbose],
    }
    return json.dumps(material, sort_keys=True, default=repr)


def folder_key(path: str, ctx: Any) -> str | None:
    """For a hook's ``cache_key``: what ``path``'s folder holds (every name, each
    file's content by its blob id), for a check that reads the files beside
    ``path`` or asks which exist; None (the file is checked) when a file there is
    untracked or changed, or there is no cache this run."""
    files = getattr(ctx, "cached_files", None)
    if not isinstance(files, Findings):
        return None
    return files.folder(os.path.dirname(path))


# The files the check of the file in hand read besides it, or asked about (None: no
# file in hand, or nothing is kept this run); "" for a file that must stay absent.
_unit: dict[str, bool] | None = None


def depends_on(path: str) -> None:
    """A check of a hook that keeps findings (``Hook.cache_key``) that reads a file
    other than the one it was given, or asks whether one exists, names it here:
    the kept findings are then used only while that file is as it was (the same
    blob id, or still absent)."""
    if _unit is not None:
        _unit[path] = True


def not_kept() -> None:
    """The check of the file in hand found something that depends on more than
    the file (a count over the run, say): its findings are not kept."""
    if _unit is not None:
        _unit[""] = False


def start_unit(on: bool) -> None:
    global _unit
    _unit = {} if on else None


def end_unit(files: Findings) -> dict[str, str] | None:
    """``path -> blob id ("" absent)`` of what the check named, or None: not keepable."""
    global _unit
    named, _unit = _unit, None
    if named is None or "" in named:
        return None
    deps: dict[str, str] = {}
    for path in named:
        state = files.state(path)
        if state is None:
            return None
        deps[state[0]] = state[1]
    return deps
