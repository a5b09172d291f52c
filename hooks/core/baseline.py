"""The baseline shared by every hook: today's findings, recorded so that only new
ones fail while a legacy repo is cleaned up.

It stores fingerprints only, grouped by hook and file; never a value, never a
line number, so it does not churn when lines move. pre-commit may run one hook
in several processes at once, each on part of the files, so a write merges
under a lock: it replaces only the entries of the files that process checked.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator

VERSION = 1
Baseline = dict[str, dict[str, set[str]]]  # hook id -> file -> fingerprints


def load(path: str) -> Baseline:
    """The baseline at ``path``; empty if there is none yet.

    Raises ValueError with a one-line message if the file is not a baseline.
    """
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"{path}: not a legacy-config-hooks baseline ({exc})") from None
    hooks = data.get("hooks") if isinstance(data, dict) else None
    if not isinstance(hooks, dict):
        raise ValueError(f"{path}: not a legacy-config-hooks baseline (no \"hooks\" table)")
    out: Baseline = {}
    for hook_id, files in hooks.items():
        if isinstance(files, dict):
            out[str(hook_id)] = {str(f): set(map(str, fps)) for f, fps in files.items() if isinstance(fps, list)}
    return out


@contextlib.contextmanager
def _locked(path: str) -> Iterator[None]:
    digest = hashlib.sha256(os.path.abspath(path).encode()).hexdigest()[:16]
    lock_path = os.path.join(tempfile.gettempdir(), f"legacy-config-hooks-{digest}.lock")
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: pre-commit runs serially enough
        yield
        return
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def update(path: str, hook_id: str, checked: Iterable[str], fingerprints: dict[str, set[str]]) -> int:
    """Record ``fingerprints`` (file -> set) for ``hook_id``, replacing what the
    baseline held for every file in ``checked``. Returns the number recorded."""
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
    payload = {
        "version": VERSION,
        "generated_by": "legacy-config-hooks",
        "hooks": {h: {f: sorted(fps) for f, fps in sorted(files.items())} for h, files in sorted(data.items())},
    }
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".baseline-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(payload, f, indent=2, sort_keys=False)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
