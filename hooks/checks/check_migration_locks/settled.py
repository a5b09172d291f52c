"""Which migrations have run in production already: the ones committed long
before the newest commit. A lock they took is history, and editing them
changes nothing on the databases that applied them, so they are not judged
(``settled-days``, default 30; 0 judges every migration)."""
from __future__ import annotations

import os
from functools import lru_cache

from hooks.repo.git import GitError, run

DAY = 86400


@lru_cache(maxsize=1)
def _head_date(root: str) -> int | None:
    try:
        text = run("log", "-1", "--format=%ct", cwd=root).strip()
    except GitError:
        return None
    return int(text) if text.isdigit() else None


@lru_cache(maxsize=256)
def _added(root: str, folder: str) -> dict[str, int]:
    """Path (relative to ``root``) -> when it arrived on the current branch, for one folder's files."""
    try:
        # --first-parent -m: when the file arrived on this branch, a merge included
        # (a migration written on a branch arrives with the merge commit).
        text = run("log", "--first-parent", "-m", "--format=%x00%ct", "--name-only", "--diff-filter=A",
                   "--no-renames", "--", folder or ".", cwd=root)
    except GitError:
        return {}
    added: dict[str, int] = {}
    date = 0
    for line in text.splitlines():
        if line.startswith("\0"):
            date = int(line[1:]) if line[1:].isdigit() else 0
        elif line:
            added.setdefault(line, date)  # newest first: keep the latest addition
    return added


def forget() -> None:
    _head_date.cache_clear()
    _added.cache_clear()


def settled(path: str, days: int, root: str) -> bool:
    if days <= 0:
        return False
    head = _head_date(root)
    if head is None:
        return False  # no git, or no commit yet: judge everything
    relative = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    when = _added(root, os.path.dirname(relative)).get(relative)
    return when is not None and when < head - days * DAY
