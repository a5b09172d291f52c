"""Require a change note (owner, expected result, rollback) with every config change.

A config file changed in a commit (or a pushed range, or a branch) must be
listed by a note in ``config-changes/`` that the same change adds or modifies.
The change is read from git, not from the file names pre-commit passes (those
omit deleted files), so the hook entry sets ``pass_filenames: false``; any
file names given are ignored. With nothing staged (``pre-commit run
--all-files``) it checks every note instead: schema, and that its files exist.
"""
from __future__ import annotations

import os
import shlex
from collections.abc import Iterable, Iterator, Sequence

from hooks.common import change_notes
from hooks.common.change_notes import Note, Policy
from hooks.config import formats
from hooks.core import runner
from hooks.core.api import Hook, Option, Problem, UsageError
from hooks.repo import git

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any


def changed_files(args: Any) -> tuple[str, list[git.Change]]:
    """The mode ("staged", "range" or "base") and what that change touches."""
    if args.base:
        return "base", git.changes_since_base(args.base)
    from_ref = args.from_ref or os.environ.get("PRE_COMMIT_FROM_REF") or os.environ.get("PRE_COMMIT_ORIGIN")
    to_ref = args.to_ref or os.environ.get("PRE_COMMIT_TO_REF") or os.environ.get("PRE_COMMIT_SOURCE")
    if from_ref and to_ref:
        return "range", git.range_changes(from_ref, to_ref)
    return "staged", git.staged_changes()


def all_notes(policy: Policy) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(policy.notes_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            path = change_notes.normalise(os.path.join(folder, name))
            if policy.is_note(path):
                found.append(path)
    return sorted(found)


def load_notes(ctx: runner.Context, paths: Iterable[str], report_errors: bool = True) -> list[Note]:
    """Read each note with the core YAML loader; a broken one is reported by it."""
    notes = []
    for path in paths:
        doc = ctx.load(path, formats.YAML, strict=True, report_errors=report_errors)
        if doc is not None:
            notes.append(change_notes.read_note(doc))
    return notes


def check_notes(notes: list[Note], repo_files: set[str], gone: set[str]) -> Iterator[Problem]:
    for note in notes:
        for problem in note.problems + change_notes.unmatched(note, repo_files, gone):
            yield Problem(problem.line, problem.column, problem.message, tuple(problem.identity), path=note.path)


def uncovered(policy: Policy, changes: list[git.Change], notes: list[Note]) -> list[git.Change]:
    return [c for c in changes if policy.needs_note(c.path) and not any(n.covers(c.path) for n in notes)]


def report_uncovered(
    ctx: runner.Context, policy: Policy, missing: list[git.Change], repo_files: set[str], mode: str
) -> Iterator[Problem]:
    # A note written but not yet staged is the usual slip: name it.
    untracked = [p for p in all_notes(policy) if p not in repo_files]
    drafts = load_notes(ctx, untracked, report_errors=False)  # their problems come when they are staged
    for change in missing:
        draft = next((n.path for n in drafts if n.covers(change.path)), None)
        if draft:
            fix = f"{draft} lists it but is not {'staged' if mode == 'staged' else 'committed'}: git add it"
        else:
            fix = f"add a note to {policy.notes_dir}/ that lists it (new-config-note writes one)"
        yield Problem(1, 1, f"{change.word} with no change note in this change: {fix}", ("uncovered",), path=change.path)


def hint(policy: Policy, missing: list[git.Change], mode: str) -> str:
    paths = " ".join(shlex.quote(c.path) for c in missing)
    lines = [
        f"require-rollback-note: {len(missing)} config file(s) changed without a change note. Write a note skeleton:",
        f"    new-config-note {paths}",
    ]
    if mode == "staged":
        lines.append(
            "  or, if your .pre-commit-config.yaml lists it: pre-commit run new-config-note --hook-stage manual"
        )
    lines.append(
        f"  then replace the TODO prompts in {policy.notes_dir}/ with the expected result and the rollback,"
        f" and {'git add' if mode == 'staged' else 'commit'} the note."
    )
    return "\n".join(lines) + "\n"


def _authors(o: Any, mode: str) -> list[str]:
    """Who makes the change: the staged commit's author, or every commit's in the range."""
    if mode == "staged":
        return git.authors()
    if mode == "range":
        from_ref = o.from_ref or os.environ.get("PRE_COMMIT_FROM_REF") or os.environ.get("PRE_COMMIT_ORIGIN")
        to_ref = o.to_ref or os.environ.get("PRE_COMMIT_TO_REF") or os.environ.get("PRE_COMMIT_SOURCE")
        return git.authors(f"{from_ref}..{to_ref}")
    return git.authors(f"{o.base}..HEAD")


def prepare(ctx: runner.Context) -> Policy:
    o = ctx.options
    if bool(o.from_ref) != bool(o.to_ref):
        raise UsageError("--from-ref and --to-ref go together")
    return Policy.from_args(o, ctx.roles)


def check(filenames: Sequence[str], ctx: runner.Context) -> Iterator[Problem]:
    """Report bad notes and uncovered config files (file names are ignored:
    the change is read from git)."""
    policy: Policy = ctx.state
    try:
        mode, changes = changed_files(ctx.options)
        who = _authors(ctx.options, mode) if changes else []
        if who and all(policy.is_bot(a) for a in who):
            ctx.notice(f"no note needed: the change is by {who[0]}, a bot author (bot-authors setting)")
            changes = [c for c in changes if policy.is_note(c.path)]  # its notes are still checked
        if mode == "staged" and not changes:
            # Cleanup mode (nothing staged, e.g. pre-commit run --all-files): no file
            # counts as changed, so check every note, and ask for none.
            notes = load_notes(ctx, all_notes(policy))
            yield from check_notes(notes, git.tracked_files() if notes else set(), set())
            if not notes:
                ctx.notice(f"nothing to check: nothing staged and no change notes in {policy.notes_dir}/")
            return
        notes = load_notes(ctx, [c.path for c in changes if c.status != "D" and policy.is_note(c.path)])
        missing = uncovered(policy, changes, notes)
        repo_files = git.tracked_files() if notes or missing else set()
        yield from check_notes(notes, repo_files, {c.path for c in changes if c.status == "D"})
    except git.GitError as exc:
        raise UsageError(str(exc)) from None
    if missing:
        yield from report_uncovered(ctx, policy, missing, repo_files, mode)
        for line in hint(policy, missing, mode).rstrip("\n").split("\n"):  # a notice is one line
            ctx.notice(line, always=True)


HOOK = Hook(
    id="require-rollback-note",
    summary="Require a change note (owner, expected result, rollback) with every config change.",
    description=__doc__ or "",
    check=check,
    reads="files",
    prepare=prepare,
    at_repo_root=True,
    options=change_notes.POLICY_OPTIONS + (
        Option("from-ref", "with --to-ref: the change between two refs", metavar="REF", settable=False),
        Option("to-ref", "with --from-ref (pre-commit sets both at pre-push)", metavar="REF", settable=False),
        Option("base", "the change since the merge base with REF (CI)", metavar="REF", settable=False),
        Option("bot-authors", f"commits whose author name or email matches REGEX need no note "
               f"(default: {change_notes.BOT_AUTHORS}; '' for none)", metavar="REGEX", parse=change_notes.regex),
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
