"""Require a change note (owner, expected result, rollback) with every config change.

A config file changed in a commit (or a pushed range, or a branch) must be
listed by a note in ``config-changes/`` that the same change adds or modifies.
The change is read from git, not from the file names pre-commit passes (those
omit deleted files), so the hook entry sets ``pass_filenames: false``; any
file names given are ignored. With nothing staged (``pre-commit run
--all-files``) it checks every note instead: schema, and that its files exist.
"""
from __future__ import annotations

import argparse
import os
import shlex
import sys
from typing import Iterable, List, Optional, Sequence, Set, Tuple

from hooks import change_notes, cli, formats, git
from hooks.change_notes import Note, Policy

HOOK_ID = "require-rollback-note"


def changed_files(args: argparse.Namespace) -> Tuple[str, List[git.Change]]:
    """The mode ("staged", "range" or "base") and what that change touches."""
    if args.base_ref:
        return "base", git.changes_since_base(args.base_ref)
    from_ref = args.from_ref or os.environ.get("PRE_COMMIT_FROM_REF") or os.environ.get("PRE_COMMIT_ORIGIN")
    to_ref = args.to_ref or os.environ.get("PRE_COMMIT_TO_REF") or os.environ.get("PRE_COMMIT_SOURCE")
    if from_ref and to_ref:
        return "range", git.range_changes(from_ref, to_ref)
    return "staged", git.staged_changes()


def all_notes(policy: Policy) -> List[str]:
    found = []
    for folder, dirs, files in os.walk(policy.notes_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            path = change_notes.normalise(os.path.join(folder, name))
            if policy.is_note(path):
                found.append(path)
    return sorted(found)


def load_notes(run: cli.HookRun, paths: Iterable[str]) -> List[Note]:
    """Read each note with the core YAML loader; a broken one is reported by it."""
    notes = []
    for path in paths:
        doc = run.load(path, formats.YAML, strict=True)
        if doc is not None:
            notes.append(change_notes.read_note(doc))
    return notes


def check_notes(run: cli.HookRun, notes: List[Note], repo_files: Set[str], gone: Set[str]) -> None:
    for note in notes:
        for problem in note.problems + change_notes.unmatched(note, repo_files, gone):
            run.report(note.path, problem.line, problem.column, problem.message, *problem.identity)


def uncovered(policy: Policy, changes: List[git.Change], notes: List[Note]) -> List[git.Change]:
    return [c for c in changes if policy.needs_note(c.path) and not any(n.covers(c.path) for n in notes)]


def report_uncovered(
    run: cli.HookRun, policy: Policy, missing: List[git.Change], repo_files: Set[str], mode: str
) -> None:
    # A note written but not yet staged is the usual slip: name it.
    untracked = [p for p in all_notes(policy) if p not in repo_files]
    drafts = load_notes(cli.HookRun(HOOK_ID, run.args), untracked)  # a scratch run: their problems come later
    for change in missing:
        draft = next((n.path for n in drafts if n.covers(change.path)), None)
        if draft:
            fix = f"{draft} lists it but is not {'staged' if mode == 'staged' else 'committed'}: git add it"
        else:
            fix = f"add a note to {policy.notes_dir}/ that lists it (new-config-note writes one)"
        run.report(change.path, 1, 1, f"{change.word} with no change note in this change: {fix}", "uncovered")


def hint(policy: Policy, missing: List[git.Change], mode: str) -> str:
    paths = " ".join(shlex.quote(c.path) for c in missing)
    lines = [
        f"{HOOK_ID}: {len(missing)} config file(s) changed without a change note. Write a note skeleton:",
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


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = cli.make_parser(HOOK_ID, __doc__)
    change_notes.add_policy_options(parser)
    which = parser.add_argument_group("which change (default: the staged one)")
    which.add_argument("--from-ref", metavar="REF", help="with --to-ref: the change between two refs")
    which.add_argument("--to-ref", metavar="REF", help="with --from-ref (pre-commit sets both at pre-push)")
    which.add_argument("--base", dest="base_ref", metavar="REF", help="the change since the merge base with REF (CI)")
    root = git.toplevel()
    if root and os.path.realpath(root) != os.path.realpath("."):
        os.chdir(root)  # git paths and settings are relative to the top of the work tree
    args = cli.parse_args(parser, argv)
    if root is None:
        parser.exit(2, f"{HOOK_ID}: error: not inside a git work tree (the change is read from git)\n")
    if bool(args.from_ref) != bool(args.to_ref):
        parser.exit(2, f"{HOOK_ID}: error: --from-ref and --to-ref go together\n")
    policy = Policy.from_args(args)
    run = cli.HookRun(HOOK_ID, args)
    try:
        mode, changes = changed_files(args)
        who = _authors(args, mode)
        if changes and who and all(policy.is_bot(a) for a in who):
            run.notice(f"no note needed: the change is by {who[0]}, a bot author (--bot-authors)")
            changes = [c for c in changes if policy.is_note(c.path)]
        missing = check(run, policy, mode, changes)
    except git.GitError as exc:
        parser.exit(2, f"{HOOK_ID}: error: {exc}\n")
    code = run.finish()
    if code and missing:
        sys.stdout.flush()  # pre-commit interleaves stdout and stderr: findings first
        sys.stderr.write(hint(policy, missing, mode))
    return code


def _authors(args: argparse.Namespace, mode: str) -> List[str]:
    if mode == "staged":
        return git.authors()
    if mode == "range":
        from_ref = args.from_ref or os.environ.get("PRE_COMMIT_FROM_REF") or os.environ.get("PRE_COMMIT_ORIGIN")
        to_ref = args.to_ref or os.environ.get("PRE_COMMIT_TO_REF") or os.environ.get("PRE_COMMIT_SOURCE")
        return git.authors(f"{from_ref}..{to_ref}")
    return git.authors(f"{args.base_ref}..HEAD")


def check(run: cli.HookRun, policy: Policy, mode: str, changes: List[git.Change]) -> List[git.Change]:
    """Report bad notes and uncovered config files; return the uncovered ones."""
    if mode == "staged" and not changes:
        # Cleanup mode (nothing staged, e.g. pre-commit run --all-files): no file
        # counts as changed, so check every note, and ask for none.
        notes = load_notes(run, all_notes(policy))
        check_notes(run, notes, git.tracked_files() if notes else set(), set())
        if not notes:
            run.notice(f"nothing to check: nothing staged, and no change notes in {policy.notes_dir}/ yet")
        return []
    notes = load_notes(run, [c.path for c in changes if c.status != "D" and policy.is_note(c.path)])
    missing = uncovered(policy, changes, notes)
    repo_files = git.tracked_files() if notes or missing else set()
    check_notes(run, notes, repo_files, {c.path for c in changes if c.status == "D"})
    if missing:
        report_uncovered(run, policy, missing, repo_files, mode)
    return missing


if __name__ == "__main__":
    raise SystemExit(main())
