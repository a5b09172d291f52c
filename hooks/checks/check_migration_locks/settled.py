"""Which migrations have run in production already: the ones committed long
before the newest commit. A lock they took is history, and editing them
changes nothing on the databases that applied them, so they are not judged
(``settled-days``, default 30; 0 judges every migration)."""
from __future__ import annotations

import os
from functools import lru_cache

from hooks.repo.git import GitError, run

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

DAY = 86400


@lru_cache(maxsize=1)
def _head_date(root: str) -> int | None:
    try:
        text = run("log", "-1", "--format=%ct", cwd=root).strip()
    except GitError:
        return None
    return int(text) if text.isdigit() else None


UNKNOWN = -1  # arrived in a shallow clone's boundary commit: the real date is cut off


@lru_cache(maxsize=1)
def _boundary(root: str) -> frozenset[str]:
    """The commits a shallow clone is cut at (their parents are missing, so git
    shows every file they hold as added by them); empty in a full clone."""
    try:
        if run("rev-parse", "--is-shallow-repository", cwd=root).strip() != "true":
            return frozenset()
        shallow = run("rev-parse", "--git-path", "shallow", cwd=root).strip()
    except GitError:
        return frozenset()
    from hooks.config.source import ReadError, TooLarge, read_bytes

    try:
        text = read_bytes(os.path.join(root, shallow) if not os.path.isabs(shallow) else shallow).decode("ascii")
    except (ReadError, TooLarge, UnicodeDecodeError):
        return frozenset({"?"})  # shallow, but where is unknown: no date can be trusted
    return frozenset(text.split())


def shallow(root: str) -> bool:
    return bool(_boundary(root))


@lru_cache(maxsize=1)
def single_commit(root: str) -> bool:
    """A full history of one commit (a fresh import, or a new project): every file
    in it arrived "today", so nothing counts as settled."""
    try:
        return run("rev-list", "--count", "--max-count=2", "HEAD", cwd=root).strip() == "1" and not shallow(root)
    except GitError:
        return False


_PREFETCHED: dict[tuple[str, str], dict[str, int]] = {}


def prefetch(root: str, folders: set[str]) -> None:
    """Read when the files of many folders arrived in one walk through the history
    (one ``git log`` per folder walks it once per folder)."""
    wanted = sorted(f for f in folders if (root, f) not in _PREFETCHED)
    if len(wanted) < 2:
        return
    found = _walk(root, wanted)
    for folder in wanted:
        _PREFETCHED[(root, folder)] = {}
    for path, date in found.items():
        folder = os.path.dirname(path)
        if (root, folder) in _PREFETCHED and folder in wanted:
            _PREFETCHED[(root, folder)][path] = date


@lru_cache(maxsize=256)
def _added(root: str, folder: str) -> dict[str, int]:
    """Path (relative to ``root``) -> when it arrived on the current branch, for one
    folder's files; UNKNOWN for a file a shallow clone's boundary commit holds."""
    if (root, folder) in _PREFETCHED:
        return _PREFETCHED[(root, folder)]
    return _walk(root, [folder])


def _walk(root: str, folders: list[str]) -> dict[str, int]:
    """The history walk, kept for the commit it started from (``at_head``): a
    whole-repo run pays ~0.2 s of git for it on a service with a few hundred migrations."""
    import json

    boundary = _boundary(root)
    added: dict[str, int] = at_head(
        root, json.dumps(["added", sorted(boundary), folders]), lambda: _walk_git(root, folders, boundary),
        lambda v: isinstance(v, dict) and all(isinstance(k, str) and type(d) is int for k, d in v.items()))
    return added


def at_head(root: str, question: str, answer: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
    """``answer()`` (JSON), kept in the result cache (``hooks.core.cache``) for the
    commit HEAD names: what git says about one commit's history never changes. One
    file per repository; a new HEAD replaces what was kept for the old one; a kept
    answer ``valid`` refuses is asked again."""
    try:
        head = run("rev-parse", "--verify", "-q", "HEAD", cwd=root).strip()
    except GitError:
        head = ""
    if not head:
        return answer()
    from hooks.core.cache import FileResults

    kept = FileResults("migration-history", os.path.realpath(root))
    entry = kept.old.get(question)
    if isinstance(entry, dict) and entry.get("head") == head and "answer" in entry and valid(entry["answer"]):
        return entry["answer"]
    found = answer()
    same_head = {k: v for k, v in kept.old.items() if isinstance(v, dict) and v.get("head") == head}
    kept.replace({**same_head, question: {"head": head, "answer": found}})
    return found


def _walk_git(root: str, folders: list[str], boundary: frozenset[str]) -> dict[str, int]:
    try:
        # --first-parent -m: when the file arrived on this branch, a merge included
        # (a migration written on a branch arrives with the merge commit).
        text = run("log", "--first-parent", "-m", "--format=%x00%ct %H", "--name-only", "--diff-filter=A",
                   "--no-renames", "--", *[folder or "." for folder in folders], cwd=root)
    except GitError:
        return {}
    added: dict[str, int] = {}
    date = 0
    for line in text.splitlines():
        if line.startswith("\0"):
            stamp, _, sha = line[1:].partition(" ")
            date = int(stamp) if stamp.isdigit() else 0
            if sha in boundary or "?" in boundary:
                date = UNKNOWN
        elif line:
            added.setdefault(line, date)  # newest first: keep the latest addition
    return added


@lru_cache(maxsize=256)
def _in_head(root: str, folder: str) -> frozenset[str]:
    """The folder's files in the last commit: a file that is not there (staged, new)
    needs no walk through the history."""
    try:
        text = run("ls-tree", "-r", "--name-only", "HEAD", "--", folder or ".", cwd=root)
    except GitError:
        return frozenset()
    return frozenset(text.splitlines())


def forget() -> None:
    _boundary.cache_clear()
    single_commit.cache_clear()
    _head_date.cache_clear()
    _added.cache_clear()
    _PREFETCHED.clear()
    _in_head.cache_clear()


def status(path: str, days: int, root: str) -> str:
    """"new" (judge it), "settled" (committed ``days`` before the last commit: it has
    run already), or "unknown" (a shallow clone cut off the commit that added it:
    CI's default fetch-depth 1; not judged, counted in one notice)."""
    if days <= 0:
        return "new"
    head = _head_date(root)
    if head is None:
        return "new"  # no git, or no commit yet: judge everything
    relative = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    folder = os.path.dirname(relative)
    if relative not in _in_head(root, folder):
        return "new"  # new in this commit: not run anywhere yet
    when = _added(root, folder).get(relative)
    if when == UNKNOWN:
        return "unknown"
    return "settled" if when is not None and when < head - days * DAY else "new"


def settled(path: str, days: int, root: str) -> bool:
    return status(path, days, root) == "settled"
