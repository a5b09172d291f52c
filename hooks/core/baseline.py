"""The baseline shared by every hook: today's findings, recorded so that only new
ones fail while a legacy repo is cleaned up.

It stores fingerprints only, grouped by hook and file; never a value, never a
line number, so it does not churn when lines move. pre-commit may run one hook
in several processes at once, each on part of the files, so a write merges
under a lock: it replaces only the entries of the files that process checked.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable, Iterator

VERSION = 1
Baseline = dict[str, dict[str, set[str]]]  # hook id -> file -> fingerprints


WHAT = "a legacy-config-hooks baseline"
SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema", "baseline.schema.json")
_HOOK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FINGERPRINT = re.compile(r"^[0-9a-f]{8,64}$")


def load(path: str) -> Baseline:
    """The baseline at ``path``; empty if there is none yet.

    The file is checked against ``hooks/schema/baseline.schema.json``. A hook
    runs on every commit and jsonschema takes longer to import than the hook
    takes to run, so a baseline that ``_convert`` takes whole (exactly what
    the schema allows) is not handed to jsonschema; anything else is, for
    its verdict and its one-line message. Raises ValueError (one line).
    """
    from hooks.core import validation

    try:
        data = validation.read_json(path, WHAT)
    except validation.Missing:
        return {}
    out = _convert(data)
    if out is None:
        validation.validate(data, SCHEMA, path, WHAT)
        raise ValueError(f"{path}: not {WHAT}")  # pragma: no cover - the schema refuses what _convert refuses
    return out


def _convert(data: object) -> Baseline | None:
    """The baseline when ``data`` is one the schema allows, else None."""
    if not isinstance(data, dict) or not set(data) <= {"version", "generated_by", "hooks"}:
        return None
    version = data.get("version", VERSION)
    if type(version) is not int or version != VERSION:
        return None
    if not isinstance(data.get("generated_by", ""), str) or len(data.get("generated_by", "")) > 200:
        return None
    hooks = data.get("hooks")
    if not isinstance(hooks, dict):
        return None
    out: Baseline = {}
    for hook_id, files in hooks.items():
        if not _HOOK_ID.match(hook_id) or not isinstance(files, dict):
            return None
        table: dict[str, set[str]] = {}
        for name, fps in files.items():
            if not isinstance(fps, list) or not all(isinstance(fp, str) and _FINGERPRINT.match(fp) for fp in fps):
                return None
            table[name] = set(fps)
        out[hook_id] = table
    return out


@contextlib.contextmanager
def _locked(path: str) -> Iterator[None]:
    """An exclusive lock on the folder holding the baseline: parallel
    processes of one hook merge their parts in turn. Nothing is written for
    it (a lock file in a shared temp folder could be a planted symlink)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: pre-commit runs serially enough
        yield
        return
    try:
        fd = os.open(os.path.dirname(os.path.abspath(path)) or ".", os.O_RDONLY)
    except OSError:  # no folder: the write says so
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def update(path: str, hook_id: str, checked: Iterable[str], fingerprints: dict[str, set[str]]) -> int:
    """Record ``fingerprints`` (file -> set) for ``hook_id``, replacing what the
    baseline held for every file in ``checked``. Returns the number recorded.
    ValueError (one line) when the file there is not a baseline or cannot be
    written (hooks.core.writing: inside the repo, no symlink, atomic, mode kept)."""
    with _locked(path):
        data = load(path)
        files = data.setdefault(hook_id, {})
        for name in checked:
            files.pop(name, None)
        for name, fps in fingerprints.items():
            if fps:
                files[name] = set(fps)
        if not files:
            data.pop(hook_id)
        _write_atomic(path, data)
    return sum(len(v) for v in fingerprints.values())


def _write_atomic(path: str, data: Baseline) -> None:
    from hooks.core.writing import WriteError, write_file

    payload = {
        "version": VERSION,
        "generated_by": "legacy-config-hooks",
        "hooks": {h: {f: sorted(fps) for f, fps in sorted(files.items())} for h, files in sorted(data.items())},
    }
    try:
        # The runner has already held the path inside the repo (runner.inside_repo);
        # here: no symlink, atomic, mode kept.
        write_file(path, json.dumps(payload, indent=2, sort_keys=False) + "\n",
                   os.path.dirname(os.path.abspath(path)), what=f"the baseline {path}")
    except WriteError as exc:
        raise ValueError(str(exc)) from None
