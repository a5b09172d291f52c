"""Report database migrations that cannot be rolled back, or that roll back
without bringing the data back, unless they say why with
``# irreversible: <reason>``.

By default the hook agrees with the frameworks' own idea of reversible.
Django (``migrations/0042_*.py``): RunPython / RunSQL without a reverse (also
inside SeparateDatabaseAndState), which Django refuses to roll back; in a
project that migrates forward only (at most one in five of its 20+ committed
data migrations, or of its 20 most recent, or one in ten of 10+, gives a reverse)
one notice instead, and the same for the data migrations written before a project
started writing reverses (``--strict`` reports each).
Alembic (``versions/*.py`` beside ``env.py``, or under ``alembic.ini``'s
``script_location``): a missing or raising downgrade(), an empty one after an
upgrade() that changes the schema, tables and columns dropped and not
created again, and a downgrade() that renames the same way as upgrade() or
drops a column upgrade() never adds. Plain SQL (``sql-migrations`` globs): a missing or empty
``.down.sql``. A squashed migration speaks for the migrations it replaces.
``--data-loss`` adds the steps that roll back without bringing the data back:
RemoveField, DeleteModel, a narrowing AlterField, a dropped unique
constraint, a no-op reverse of a step that deletes or rewrites rows, an empty
downgrade() after a data-only upgrade(). ``--postgres`` adds the steps that
lock a big table. Files are read with ``ast``; nothing is imported and no
database is needed. One line per migration; ``--verbose`` lists each step.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from hooks.core import runner
from hooks.core.api import Hook, Option, Problem

# Which files are migrations (this hook's `files:` in .pre-commit-hooks.yaml);
# require-rollback-note counts them as config changes too.

if TYPE_CHECKING:
    from hooks.checks.require_reversible_migrations.common import Issue


MAX_BYTES = 10**12  # with --max-file-size 0: no limit
ADVICE = "write the reverse, or say why not with '# irreversible: <reason>'"
# Django refuses to migrate back past a RunPython / RunSQL without a reverse: the
# one-line fix is a reverse, a no-op one when nothing needs undoing.
NO_REVERSE_ADVICE = ("add a reverse (migrations.RunPython.noop / RunSQL.noop when there is nothing to undo) so "
                     "'migrate' can go back past it; if the data cannot come back, also say so with "
                     "'# irreversible: <reason>'")
SHOWN = 3  # steps named in a migration's one line; --verbose lists them all


DEPRECATED = ("--postgres is deprecated: its locking rules moved to the check-migration-locks hook "
              "(add '- id: check-migration-locks'); it will be removed in 0.3.0")


def prepare(ctx: runner.Context) -> None:
    if ctx.options.postgres:
        ctx.notice(DEPRECATED)


def check(path: str, ctx: runner.Context) -> Iterator[Problem]:
    import os
    import stat

    from hooks.checks.require_reversible_migrations.files import scan

    limit = ctx.shared.max_file_size or MAX_BYTES
    try:
        st = os.stat(path)
    except OSError:
        return  # gone: pre-commit only passes files that exist, so nothing to judge
    if not stat.S_ISREG(st.st_mode):
        return  # a device, a FIFO, a folder: not a migration (the readers refuse them too)
    if st.st_size > limit:
        ctx.notice(f"{path}: skipped: larger than the --max-file-size limit")
        return
    found = scan(path, ctx.options.sql_migrations or (), bool(ctx.options.postgres), limit)
    if isinstance(found, str):
        if ctx.verbose:
            ctx.notice(f"{path}: skipped: {found}")
        return
    if found is None and ctx.verbose:
        ctx.notice(f"{path}: skipped: not a Django migration, an Alembic revision beside env.py / under alembic.ini, "
                   "or an sql-migrations file")
    if isinstance(found, tuple):
        yield Problem(found[0], 1, found[1], ("cannot-parse",))
    elif found:
        if not ctx.options.strict and any(issue.kind == "no-downgrade" for issue in found):
            found = _by_design(path, found, limit, ctx)
        if not ctx.options.strict and any(issue.kind == "no-reverse" for issue in found):
            found = _forward_only(path, found, ctx)
        yield from report(found, bool(ctx.verbose), bool(ctx.options.data_loss))


def _by_design(path: str, found: list[Issue], limit: int, ctx: runner.Context) -> list[Issue]:
    """An Alembic environment whose template and revisions have no downgrade() has
    no downgrades by design, and so has a repository whose environments mostly write
    none (files.repository_without_downgrades: most templates write none, at most one
    revision in five defines one): one notice (once per run), no finding per revision."""
    import os

    from hooks.checks.require_reversible_migrations.common import versions_folder
    from hooks.checks.require_reversible_migrations.files import (
        kind,
        repository_without_downgrades,
        without_downgrades,
    )
    from hooks.repo.git import toplevel

    if kind(path, ctx.options.sql_migrations or ()) != "alembic":
        return found
    versions = versions_folder(path)
    root = toplevel()
    folders, revisions, downgrades, templates, silent = (
        repository_without_downgrades(root, limit) if root is not None else (frozenset(), 0, 0, 0, 0))
    ours = os.path.realpath(versions) in folders
    # Several environments decided together: one notice for the repository, not one per folder.
    count = 0 if ours and templates > 1 else without_downgrades(versions, limit)
    if count:
        shown = os.path.relpath(versions).replace(os.sep, "/")
        message = (f"{shown}: none of its {count} revision(s) defines downgrade() and its revision template "
                   "(script.py.mako) writes none: the project does not roll back by design; a missing downgrade() "
                   "is not reported there ('--strict' reports it)")
    elif ours:
        message = (f"{downgrades} of the {revisions} revisions of the repository's {templates} Alembic environment(s) "
                   f"define downgrade() and {silent} of their {templates} revision templates (script.py.mako) write "
                   "none: the project does not roll back by design; a missing downgrade() is not reported "
                   "('--strict' reports it)")
    else:
        return found
    if not any(notice.endswith(message) for notice in ctx.notices):
        ctx.notice(message, once_per_run=True)
    return [issue for issue in found if issue.kind != "no-downgrade"]


def _forward_only(path: str, found: list[Issue], ctx: runner.Context) -> list[Issue]:
    """A Django project whose committed data migrations almost never give a
    reverse (django.forward_only: at most one in five, over twenty or more; or over
    its twenty most recent, files.recent_practice) migrates forward only by practice: one notice for the project (once per run),
    no finding per RunPython / RunSQL without a reverse."""
    from hooks.checks.require_reversible_migrations.django import forward_only
    from hooks.checks.require_reversible_migrations.files import kind, practice, recent_practice
    from hooks.core import cache
    from hooks.repo.git import toplevel

    if kind(path, ctx.options.sql_migrations or ()) != "django":
        return found
    root = toplevel()
    if root is None:
        return found
    # The answer depends on every migration of the project, not this file's folder alone.
    cache.not_kept()
    reversed_count, total = practice(root)
    if forward_only(reversed_count, total):
        counted = f"{reversed_count} of the project's {total} committed Django data migrations (RunPython / RunSQL)"
    else:
        # measured again over the most recent ones: a team that stopped writing reverses
        reversed_count, recent = recent_practice(root)
        if recent >= total or not forward_only(reversed_count, recent):
            return _before_reverses(path, found, root, total, ctx)
        counted = (f"{reversed_count} of the project's {recent} most recent committed Django data migrations "
                   f"(RunPython / RunSQL; {total} in all)")
    message = (f"{counted} give a reverse: the project migrates forward only; a RunPython / RunSQL without a "
               "reverse is not reported ('--strict' reports each)")
    if not any(notice.endswith(message) for notice in ctx.notices):
        ctx.notice(message, once_per_run=True)
    return [issue for issue in found if issue.kind != "no-reverse"]


def _before_reverses(path: str, found: list[Issue], root: str, total: int, ctx: runner.Context) -> list[Issue]:
    """A data migration from before the project started writing reverses
    (files.before_reverses: the first ones, clearly forward only, then at least half of
    the next ten with a reverse): its missing reverse is that era's practice, one notice
    for the project (once per run), no finding. Later ones keep their findings."""
    import os

    from hooks.checks.require_reversible_migrations.files import before_reverses

    old, reversed_count = before_reverses(root)
    if os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/") not in old:
        return found
    message = (f"{reversed_count} of the project's first {len(old)} committed Django data migrations (RunPython / "
               f"RunSQL; {total} in all) give a reverse, most of those since do: a RunPython / RunSQL without a "
               "reverse from before the project wrote reverses is not reported ('--strict' reports each)")
    if not any(notice.endswith(message) for notice in ctx.notices):
        ctx.notice(message, once_per_run=True)
    return [issue for issue in found if issue.kind != "no-reverse"]


def cache_key(path: str, ctx: runner.Context) -> str | None:
    """A Django migration is judged from its folder too (a squash there speaks for
    it), a SQL one with the .down.sql beside it: the folder's names and contents
    join the key. An Alembic revision depends on env.py or an alembic.ini up the
    tree: not kept."""
    from hooks.checks.require_reversible_migrations.files import kind
    from hooks.core.cache import folder_key

    if kind(path, ctx.options.sql_migrations or ()) not in ("django", "sql"):
        return None
    return folder_key(path, ctx)


def report(issues: list[Issue], verbose: bool, data_loss: bool = True) -> Iterator[Problem]:
    """One problem per migration naming its first steps, or one per step with ``verbose``.
    Without ``data_loss`` the steps that roll back without their data are not shown;
    the migration's identity is still made of every step found, so a baseline
    written with or without the option matches either way."""
    every = issues
    issues = [i for i in issues if data_loss or i.category != "lossy"]
    if not issues:
        return
    if verbose:
        for issue in issues:
            advice = "" if issue.category == "locking" else f"; {ADVICE}"
            yield Problem(issue.line, issue.column, issue.full + advice, (issue.kind, issue.what))
        return
    first = issues[0]
    named = "; ".join(f"{i.short} (line {i.line})" for i in issues[:SHOWN])
    more = f"; and {len(issues) - SHOWN} more (--verbose lists each)" if len(issues) > SHOWN else ""
    rollback = any(i.category != "locking" for i in issues)
    head = "migration cannot be fully rolled back: " if rollback else "migration locks tables: "
    tail = f"; {NO_REVERSE_ADVICE if all(i.kind == 'no-reverse' for i in issues) else ADVICE}" if rollback else ""
    identity = ("migration", ",".join(sorted({f"{i.kind}:{i.what}" for i in every})))
    yield Problem(first.line, first.column, head + named + more + tail, identity)


HOOK = Hook(
    id="require-reversible-migrations",
    summary="Every database migration can be rolled back, or says why not with '# irreversible: <reason>'.",
    check=check,
    reads="paths",
    prepare=prepare,
    options=(
        Option("data-loss", "also report steps that roll back without bringing the data back: RemoveField, "
               "DeleteModel, narrowing AlterField, dropped unique constraints, no-op reverses of deletes and "
               "rewrites, an empty downgrade() after a data-only upgrade()", kind="bool", default=False),
        Option("postgres", "deprecated (use the check-migration-locks hook): also report steps that lock a big "
               "PostgreSQL table: index builds without CONCURRENTLY, NOT NULL columns without a default, column "
               "type rewrites", kind="bool", default=False),
        Option("strict", "also report the missing downgrade() of Alembic revisions whose environment has no "
               "downgrades by design (its script.py.mako and every revision have none, or most of the repository's "
               "templates and four in five of its revisions have none), and the RunPython / RunSQL "
               "without a reverse of a Django project that migrates forward only (at most one in five of its 20 or "
               "more data migrations, or of its 20 most recent, or one in ten of 10 or more, gives a reverse) or "
               "from before it started writing reverses", kind="bool", default=False),
        Option("sql-migrations", "glob of plain SQL up-migrations whose .down.sql must exist and not be empty",
               kind="list", default=("*.up.sql",), metavar="GLOB"),
    ),
    description=__doc__ or "",
    reports_parse_errors=False,
    cache_key=cache_key,
)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
