"""Write a change note skeleton for the staged config files, or for the given paths.

The note goes to ``config-changes/<date>-<slug>.yaml`` with ``files`` filled
in, ``owner`` from ``git config user.email`` (else the ``default-owner``
setting), and ``expected`` and ``rollback`` left as TODO prompts that
require-rollback-note refuses until someone replaces them. Prints the note's
path. Never overwrites a note.
"""
from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Iterator, Sequence

from hooks.common import change_notes
from hooks.common.change_notes import PROMPTS, Policy
from hooks.config import formats, loaders
from hooks.core import runner
from hooks.core.api import Hook, Option, Problem, UsageError
from hooks.repo import git

_PLAIN = re.compile(r"[A-Za-z0-9_./][A-Za-z0-9_./@+-]*")


def yaml_str(text: str) -> str:
    """A YAML scalar for ``text``: plain when that is safe, else a JSON string
    (valid YAML, and it escapes whatever needs escaping)."""
    plain = (
        _PLAIN.fullmatch(text)
        and text.lower() not in {"true", "false", "null", "yes", "no", "on", "off"}
        and not re.fullmatch(r"[\d._+-]+", text)  # would load as a number
    )
    return text if plain else json.dumps(text)


def slug_for(paths: Sequence[str]) -> str:
    stems: list[str] = []
    for path in paths:
        stem = os.path.basename(path.rstrip("/")).lstrip(".")
        stem = re.sub(r"\.(ya?ml|ini|cfg|conf|toml|json|properties|py|env)$", "", stem, flags=re.I)
        if stem and stem not in stems:
            stems.append(stem)
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(stems[:3]).lower()).strip("-")[:48].strip("-")
    return slug or "config-change"


def skeleton(files: Sequence[str], owner: str | None, gone: Sequence[str]) -> str:
    lines = [
        "# Change note, written by new-config-note. Replace every TODO, then commit",
        "# this file together with the config change. Reviewers: is the rollback",
        "# concrete enough to follow at 3 a.m.?",
        "files:",
    ]
    for path in files:
        item = f"  - {yaml_str(path)}"
        if path in gone:  # it will match no file once deleted: keep the note valid later
            item += "  # deleted; legacy-config: ignore[require-rollback-note]"
        lines.append(item)
    lines += [
        f"owner: {yaml_str(owner) if owner else json.dumps(PROMPTS['owner'])}",
        f"expected: {json.dumps(PROMPTS['expected'])}",
        f"rollback: {json.dumps(PROMPTS['rollback'])}",
        "# ticket: ABC-123    # optional",
    ]
    return "\n".join(lines) + "\n"


def write_note(notes_dir: str, slug: str, text: str, today: datetime.date) -> str:
    """Create a new note file; an existing one gets a numbered sibling instead.
    Written through hooks.core.writing (inside the repo, no symlink, never over a
    file); UsageError when the folder cannot take it."""
    from hooks.core.writing import Exists, WriteError, resolve, write_file

    try:
        resolve(notes_dir, what=f"{notes_dir} (notes-dir)", folder=True)
        os.makedirs(notes_dir, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"notes-dir: {exc.strerror or exc}") from None
    n = 1
    while True:
        name = f"{today.isoformat()}-{slug}{'' if n == 1 else f'-{n}'}.yaml"
        path = change_notes.normalise(os.path.join(notes_dir, name))
        try:
            write_file(path, text, exclusive=True)
            return path
        except Exists:
            n += 1
        except WriteError as exc:
            raise UsageError(str(exc)) from None


def staged_files_needing_note(policy: Policy) -> list[str]:
    """Staged config files that no staged note covers yet."""
    changes = git.staged_changes()
    notes = []
    for change in changes:
        if change.status != "D" and policy.is_note(change.path):
            doc = loaders.load(change.path, formats.YAML)
            if doc is not None and doc.error is None:
                notes.append(change_notes.read_note(doc))
    return [
        c.path for c in changes if policy.needs_note(c.path) and not any(n.covers(c.path) for n in notes)
    ]


def prepare(ctx: runner.Context) -> Policy:
    return Policy.from_args(ctx.options, ctx.roles)


def check(given: Sequence[str], ctx: runner.Context) -> Iterator[Problem]:
    """Writes the note; reports nothing (the note's TODOs are require-rollback-note's)."""
    outside = [p for p in given if p == ".." or p.startswith("../")]
    if outside:
        raise UsageError(f"{outside[0]} is outside the repository")
    policy: Policy = ctx.state
    try:
        paths = list(dict.fromkeys(given)) or staged_files_needing_note(policy)
        owner = ctx.options.owner or git.user_email() or ctx.options.default_owner
    except git.GitError as exc:
        raise UsageError(str(exc)) from None
    if not paths:
        ctx.notice(
            "no staged config file needs a note; stage your change first, or name the files: "
            "new-config-note config/production.yaml"
        )
        ctx.changed = True  # exit 1: nothing was written
        return iter(())
    gone = [p for p in paths if not change_notes.is_glob(p) and not os.path.lexists(p)]
    slug = slug_for([ctx.options.slug] if ctx.options.slug else paths)
    note = write_note(policy.notes_dir, slug, skeleton(paths, owner, gone), datetime.date.today())
    shown = os.path.relpath(os.path.join(os.getcwd(), note), ctx.invoked_from)  # as the user's shell sees it
    ctx.emit(shown)
    ctx.notice(f"replace the TODO prompts in {shown}, then: git add {shown}")
    return iter(())


HOOK = Hook(
    id="new-config-note",
    summary="Write a change note skeleton for the staged config files, or for the given paths.",
    description=__doc__ or "",
    check=check,
    reads="files",
    prepare=prepare,
    at_repo_root=True,
    options=change_notes.POLICY_OPTIONS + (
        Option("owner", "who answers for the change (default: git config user.email)", settable=False),
        Option("default-owner", "owner when git has no user.email", metavar="OWNER"),
        Option("slug", "short name for the note's file (default: from the file names)", settable=False),
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
