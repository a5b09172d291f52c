"""The few questions hooks ask git, each answered by one ``git`` process per
run (never one per file): what changed, which files the repo holds, who the
user is.

Paths come back as git prints them: relative to the top of the work tree, with
``/`` separators. ``-z`` output is used throughout, so names with spaces,
quotes or non-ASCII characters arrive unquoted.
"""
from __future__ import annotations

import subprocess

from hooks.core.records import record

# git's one-letter statuses, as words for messages.
STATUS_WORDS = {"A": "added", "M": "modified", "D": "deleted", "T": "changed type", "U": "unmerged"}


class GitError(Exception):
    """git is missing or refused; the message is one line for the user."""


@record(frozen=True)
class Change:
    status: str  # one letter: A, M, D, T, U (renames are split into D + A)
    path: str

    @property
    def word(self) -> str:
        return STATUS_WORDS.get(self.status, "changed")


def run(*args: str, cwd: str | None = None) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {err[-1] if err else 'exit code ' + str(proc.returncode)}")
    return proc.stdout.decode("utf-8", "surrogateescape")


def rev(value: str, what: str = "ref") -> str:
    """A revision the user gave (a flag, a setting, PRE_COMMIT_FROM_REF),
    checked before it reaches git: one that starts with ``-`` would be read as
    an option (``--output=FILE`` writes a file). Callers also put it after
    ``--end-of-options``."""
    text = str(value)
    if not text or text.startswith("-") or "\0" in text or "\n" in text:
        raise GitError(f"not a git {what}: {text[:80]!r}")
    return text


def toplevel() -> str | None:
    """The top of the work tree, or None outside one (or without git)."""
    try:
        return run("rev-parse", "--show-toplevel").strip() or None
    except GitError:
        return None


def _diff(*spec: str) -> list[Change]:
    # --no-renames: a rename is a deletion plus an addition, so both names are
    # seen whatever diff.renames says; --no-ext-diff: a user's diff tool cannot
    # change the output format. Revisions come after --end-of-options.
    options = [s for s in spec if s.startswith("--")]
    revs = [s for s in spec if not s.startswith("--")]
    out = run("diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", *options, "--end-of-options", *revs)
    parts = out.split("\0")
    changes = []
    for status, path in zip(parts[0::2], parts[1::2]):
        if status and path:
            changes.append(Change(status[0], path))
    return changes


def staged_changes() -> list[Change]:
    """What the next commit changes: the index against HEAD (or against the
    empty tree before the first commit, where ``--cached`` does that itself)."""
    return _diff("--cached")


def range_changes(from_ref: str, to_ref: str) -> list[Change]:
    """What ``to_ref`` changes since its merge base with ``from_ref``: the same
    ``A...B`` range ``pre-commit run --from-ref A --to-ref B`` uses."""
    return _diff(f"{rev(from_ref)}...{rev(to_ref)}")


def merge_base(ref: str, other: str = "HEAD") -> str:
    return run("merge-base", "--end-of-options", rev(ref), rev(other)).strip()


def changes_since_base(base: str) -> list[Change]:
    """Everything the branch changes since it left ``base``: the index against
    the merge base, so committed and staged changes both count (in CI the
    index is HEAD)."""
    return _diff("--cached", merge_base(base))


def tracked_files() -> set[str]:
    """Every path in the index: committed files plus staged additions, minus
    staged deletions."""
    return {p for p in run("ls-files", "-z").split("\0") if p}


def user_email() -> str | None:
    try:
        return run("config", "user.email").strip() or None
    except GitError:  # exit 1 when unset
        return None


def authors(spec: str | None = None) -> list[str]:
    """``name <email>`` of who makes the change: the staged commit's author
    (``spec`` None), or every commit author in a ``A..B`` range."""
    try:
        if spec is None:
            ident = run("var", "GIT_AUTHOR_IDENT").strip()
            return [ident.rsplit(">", 1)[0] + ">"] if ident else []
        out = run("log", "--format=%an <%ae>", "--end-of-options", rev(spec, "range"))
    except GitError:
        return []
    return [line for line in out.splitlines() if line.strip()]
