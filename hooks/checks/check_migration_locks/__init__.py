"""Report migration steps that lock a big PostgreSQL table, or rewrite it,
while production traffic waits: an index built without CONCURRENTLY (or
CONCURRENTLY inside a transaction, which fails), a NOT NULL column without a
default, a column type change that rewrites the table, a foreign key, a
unique or a CHECK constraint validated while the table is locked, a volatile
default, a SET NOT NULL that scans the table, a backfill of every row held
under the lock of a schema step in the same transaction, a rename that the
code still uses, and a SQLAlchemy foreign key with no index. Django migrations and Alembic revisions
are read with ``ast``, ``.sql`` migrations as SQL; nothing is imported and no
database is needed. The steps whose cost grows with the table are judged on a
table known to be big only (the project indexes it CONCURRENTLY or partitions
it, or ``big-tables`` lists it; ``--strict``: every table). Tables created in the
same migration, initial and squashed migrations and the ``small-tables`` setting
are exempt; a step that is fine says why with ``# lock-ok: <reason>``
(``-- lock-ok:`` in SQL).
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from hooks.checks.check_migration_locks.history import SIZE_RULES
from hooks.checks.check_migration_locks.rules import DEFAULT_ON, RULES, Finding, advice
from hooks.checks.check_migration_locks.sql import EMPTIED_RULES
from hooks.core import runner
from hooks.core.api import Hook, Option, Problem, UsageError
from hooks.core.records import replace

MAX_BYTES = 10**12  # with --max-file-size 0: no limit
# Migrations' source whose trees are kept (a tree is about 20 times its source): the
# steps, the tables' history and the evidence of size each read every migration.
SHARED_SOURCE_BYTES = 4 * 1024 * 1024


def prepare(ctx: runner.Context) -> dict[str, Any]:
    from hooks.checks.check_migration_locks import evidence, history, settled, usage
    from hooks.common.migrations import _listing
    from hooks.config import python_trees

    python_trees.share_unless_shared(SHARED_SOURCE_BYTES)  # each migration parsed once for the three passes
    usage.forget()
    settled.forget()
    history.forget()
    evidence.forget()
    _listing.cache_clear()
    for option in ("enable", "disable"):
        unknown = [rule for rule in getattr(ctx.options, option) or () if rule not in RULES]
        if unknown:
            raise UsageError(f"--{option} {unknown[0]!r}: not a rule; the rules are {', '.join(RULES)}")
    rules = (set(DEFAULT_ON) | set(ctx.options.enable or ())) - set(ctx.options.disable or ())
    small = {name.lower().split(".")[-1] for name in ctx.options.small_tables or ()}
    big = {name.lower().split(".")[-1] for name in ctx.options.big_tables or ()}
    both = sorted(small & big)
    if both:
        raise UsageError(f"{both[0]!r} is in both small-tables and big-tables: keep it in one")
    return {"rules": rules, "small": small, "big": big, "unjudged": {}}


def check(paths: list[str], ctx: runner.Context) -> Iterator[Problem]:
    from hooks.checks.check_migration_locks.read import kind
    from hooks.checks.check_migration_locks.settled import prefetch, single_commit, status

    root = os.getcwd()  # pre-commit runs hooks at the top of the work tree
    skipped: dict[str, int] = {}
    unknown = judged = 0
    other: list[str] = []
    if ctx.options.settled_days > 0:
        prefetch(root, {os.path.dirname(os.path.relpath(os.path.abspath(p), root)).replace(os.sep, "/")
                        for p in paths if kind(p) is not None})
    for path in paths:
        if kind(path) is None:
            if ctx.verbose:
                ctx.notice(f"{path}: skipped: not a Django migration, an Alembic revision or a .sql migration")
            continue
        dialect = _other_dialect_folder(path)
        if dialect:
            if ctx.verbose:
                ctx.notice(f"{path}: skipped: a migration folder for {dialect}, not PostgreSQL")
            continue
        if not other:
            other.append(_multi_database(root, ctx))
        state = status(path, ctx.options.settled_days, root)
        if state == "unknown":
            unknown += 1
            continue
        if state == "settled":
            folder = os.path.dirname(path) or "."
            skipped[folder] = skipped.get(folder, 0) + 1
            continue
        ctx.mark_checked(path)
        judged += 1
        for problem in _file(path, ctx, ctx.state["unjudged"]):
            yield replace(problem, path=path)
    if judged and ctx.options.settled_days > 0 and single_commit(root):
        ctx.notice("the git history has one commit, so every migration in it counts as not run yet and is judged; "
                   "in a clone with its history, those committed more than "
                   f"{ctx.options.settled_days} days before the last commit are not")
    unjudged: dict[str, int] = ctx.state["unjudged"]
    if unjudged and ctx.options.settled_days > 0:
        # as for the counts below: every call of a split file list prints the repository's line
        unjudged = _repository_unjudged(root, ctx, unjudged)
    if unjudged:
        count = sum(unjudged.values())
        names = sorted(unjudged)
        tables = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        ctx.notice(f"{count} step(s) on tables with no sign of being big were not judged ({tables}); list big tables "
                   "in big-tables, or --strict judges every table", once_per_run=True)
        ctx.state["unjudged"].clear()
    if unknown or skipped:
        # pre-commit splits a long file list over several calls of the hook: each
        # counts over the repository's migrations, so every call prints the same
        # line, once (not one count per call, none of them the repository's).
        unknown, skipped = _repository_counts(root, ctx.options.settled_days, unknown, skipped)
    if unknown:
        ctx.notice(f"{unknown} migration(s) were not judged: this is a shallow clone, and the commits that added them "
                   "are cut off, so whether they have run already is unknown (CI: fetch the history, "
                   "actions/checkout with fetch-depth: 0; or judge them all with --settled-days 0)", once_per_run=True)
    if skipped:
        total = sum(skipped.values())
        folders = ", ".join(sorted(skipped)[:3]) + (", ..." if len(skipped) > 3 else "")
        ctx.notice(f"{total} migration(s) committed more than {ctx.options.settled_days} days before the last commit "
                   f"were not judged, they have run already ({folders}); --settled-days 0 judges them",
                   once_per_run=True)
    _unread(ctx)


def _unread(ctx: runner.Context) -> None:
    """Modules of the code searched for a renamed name that need a newer Python: one line each per run (every
    call of a split file list reads the repository's code), not the runner's line per call."""
    from hooks.checks.check_migration_locks.usage import unread

    for path, why in sorted(unread.items()):
        ctx.notice(f"{path}: {why} (read for rename-in-use: a use of a renamed name there is not seen)",
                   once_per_run=True)
    unread.clear()


def _repository_unjudged(root: str, ctx: runner.Context, seen: dict[str, int]) -> dict[str, int]:
    """Table -> steps not judged for want of evidence that it is big, over the repository's migrations that
    have not run yet (a handful: those of the last settled-days); what this call saw when git cannot list them."""
    from hooks.checks.check_migration_locks.read import kind
    from hooks.checks.check_migration_locks.settled import status
    from hooks.repo.git import GitError, run

    try:
        listed = run("ls-files", "-z", cwd=root).split("\0")
    except GitError:
        return seen
    found: dict[str, int] = {}
    for path in listed:
        if (not path or kind(path) is None or _other_dialect_folder(path)
                or status(os.path.join(root, path), ctx.options.settled_days, root) != "new"):
            continue
        for _ in _file(os.path.join(root, path), ctx, found):
            pass
    if sum(found.values()) < sum(seen.values()):
        return seen  # files given that git does not list: keep this call's count
    return found


def _repository_counts(root: str, days: int, unknown: int, skipped: dict[str, int]) -> tuple[int, dict[str, int]]:
    """(not datable, settled per folder) over the migrations git tracks in the repository;
    what this call saw when git cannot list them."""
    from hooks.checks.check_migration_locks.read import kind
    from hooks.checks.check_migration_locks.settled import prefetch, status
    from hooks.repo.git import GitError, run

    try:
        listed = run("ls-files", "-z", cwd=root).split("\0")
    except GitError:
        return unknown, skipped
    all_unknown = 0
    all_skipped: dict[str, int] = {}
    listed = [path for path in listed if path and kind(path) is not None and not _other_dialect_folder(path)]
    prefetch(root, {os.path.dirname(path) for path in listed})
    for path in listed:
        state = status(os.path.join(root, path), days, root)
        if state == "unknown":
            all_unknown += 1
        elif state == "settled":
            folder = os.path.dirname(path) or "."
            all_skipped[folder] = all_skipped.get(folder, 0) + 1
    if all_unknown < unknown or sum(all_skipped.values()) < sum(skipped.values()):
        return unknown, skipped  # files given that git does not list: keep this call's count
    return all_unknown, all_skipped


# Rules about how long PostgreSQL holds a lock, whose fixes are PostgreSQL's own
# (CONCURRENTLY, NOT VALID, a CHECK before SET NOT NULL, a batched backfill). A
# project that also runs on MySQL / MariaDB ships one set of migrations for every
# database (usually a self-hosted app, upgraded with its migrations run before it
# serves): they are not judged there unless enabled by name. What fails on every
# database (a NOT NULL column without a default, CONCURRENTLY in a transaction),
# renames and missing foreign-key indexes still are.
POSTGRES_ONLY_FIXES = ("index-not-concurrent", "fk-validated-on-add", "set-not-null", "unique-added", "type-rewrite",
                       "volatile-default", "check-validated-on-add", "backfill-under-lock")
_DIALECT_FOLDER = {"sqlite": "SQLite", "mysql": "MySQL", "mariadb": "MariaDB", "mssql": "SQL Server",
                   "oracle": "Oracle"}


def _other_dialect_folder(path: str) -> str:
    """``versions/sqlite/0001_x.py``: a folder of revisions written for another database."""
    for part in path.replace(os.sep, "/").lower().split("/")[:-1]:
        if part in _DIALECT_FOLDER:
            return _DIALECT_FOLDER[part]
    return ""


def _multi_database(root: str, ctx: runner.Context) -> str:
    from hooks.checks.check_migration_locks.usage import other_database

    where = other_database(root)
    if not where:
        return "-"
    rules = ctx.state["rules"]
    dropped = [rule for rule in POSTGRES_ONLY_FIXES if rule in rules and rule not in (ctx.options.enable or ())]
    if dropped:
        rules.difference_update(dropped)
        ctx.notice(f"the project also runs on MySQL/MariaDB ({where}): {', '.join(dropped)} not judged, their fixes "
                   f"are PostgreSQL's own; '--enable {dropped[0]}' (and so on) judges them", once_per_run=True)
    return where


def _file(path: str, ctx: runner.Context, unjudged: dict[str, int]) -> Iterator[Problem]:
    """The problems of one migration; the steps not judged for want of evidence counted per table in ``unjudged``."""
    from hooks.checks.check_migration_locks.read import read_migration
    from hooks.common.migrations import model_table

    limit = ctx.shared.max_file_size or MAX_BYTES
    state = ctx.state
    found = read_migration(path, limit, state["rules"])
    if found is None:
        return
    if len(found) == 2:  # a file that does not parse
        line, text = found
        yield Problem(line, 1, text, ("cannot-parse",))
        return
    findings, markers, comments, kind = found
    fresh = (_created_alongside(path) if any(f.rule in EMPTIED_RULES or f.rule == "rename-in-use" for f in findings)
             else set())
    for finding in findings:
        if finding.rule not in state["rules"] or _listed(finding, state["small"]):
            continue
        if finding.rule in EMPTIED_RULES and finding.table.lower() in fresh:
            continue  # created by a migration that arrives with this one: empty when this one runs
        if finding.rule == "rename-in-use" and kind == "django" and finding.what.startswith("RenameField ") and (
                model_table(path, finding.table) in fresh):
            continue  # the model arrives with this migration (waldur policy 0004, 0005): no deployed code uses it
        reason = _marker(finding, markers, comments)
        if reason is not None and reason[1]:
            continue
        if finding.rule in SIZE_RULES or not finding.evidence:
            if _listed(finding, state["big"]):
                pass  # the user's word wins over what the history suggests
            elif not ctx.options.strict:
                why = _big(finding, path)
                if why is None:
                    table = finding.table.lower() or "?"
                    unjudged[table] = unjudged.get(table, 0) + 1
                    continue
                finding = replace(finding, detail=f"{finding.detail} (a big table: {why})".lstrip())
            elif finding.rule in SIZE_RULES and _small_by_history(finding, path, ctx):
                continue
        yield Problem(finding.line, finding.column, message(finding, kind, reason), (finding.rule, finding.what))


def _created_alongside(path: str) -> set[str]:
    """The tables the migrations that arrive with ``path`` create (the same commit; or not committed, like it):
    nothing can be deployed between them (concrexit: 0009 creates moneybirdreceipt, 0010 adds a NOT NULL
    column to it, one commit)."""
    from hooks.checks.check_migration_locks.history import created_by
    from hooks.checks.check_migration_locks.read import kind
    from hooks.checks.check_migration_locks.settled import companions

    root = os.getcwd()
    found: set[str] = set()
    for relative in companions(path, root):
        if kind(relative) is not None:
            found |= created_by(os.path.join(root, relative), relative)
    return found


def _big(finding: Finding, path: str) -> str | None:
    """Why the repository says the step's table is big (evidence.py), or None."""
    from hooks.checks.check_migration_locks.evidence import why_big

    return why_big(finding.table, path, os.getcwd())


def _small_by_history(finding: Finding, path: str, ctx: runner.Context) -> bool:
    """The repository's history shows the table small (history.py): not reported, one line says why."""
    from hooks.checks.check_migration_locks.history import small

    found = small(finding.table, path, os.getcwd(), ctx.options.settled_days, ctx.options.history_days)
    if found is None:
        return False
    ctx.notice(f"steps on {found.why}: the table is small, they are not reported (--history-days 0 judges them)",
               once_per_run=True)
    return True


def _listed(finding: Finding, names: set[str]) -> bool:
    """The step's table is one of ``names`` (a table, or a Django model name: ``book`` for ``library_book``)."""
    table = finding.table.lower()
    return bool(table) and any(table == name or table.endswith("_" + name) for name in names)


def _marker(finding: Finding, markers: dict[int, tuple[str, bool]], comments: set[int]) -> tuple[str, bool] | None:
    """The ``lock-ok`` marker on the step's line or in the comment block right above it."""
    if finding.line in markers:
        return markers[finding.line]
    line = finding.line - 1
    while line in comments:
        if line in markers:
            return markers[line]
        line -= 1
    return None


def message(finding: Finding, kind: str, reason: tuple[str, bool] | None = None) -> str:
    lock = RULES[finding.rule][1]
    detail = f" {finding.detail}" if finding.detail else ""
    marker = "-- lock-ok: <reason>" if kind == "sql" else "# lock-ok: <reason>"
    note = f" (the lock-ok reason is not a reason: '{reason[0] or 'empty'}')" if reason is not None else ""
    return f"{finding.text}{detail}: {lock}; {advice(finding.rule, kind)}, or say why not with '{marker}'{note}"


HOOK = Hook(
    id="check-migration-locks",
    summary="A migration does not lock or rewrite a big PostgreSQL table while production waits "
            "(Django, Alembic, SQL; read without a database).",
    check=check,
    reads="files",
    prepare=prepare,
    options=(
        Option("small-tables", "tables (or Django model names) small enough to lock: their steps pass",
               kind="list", default=(), metavar="TABLE"),
        Option("big-tables", "tables (or Django model names) big enough that locking them matters: the steps "
               "whose cost grows with the table are judged on them (as on a table the project indexes CONCURRENTLY "
               "or partitions); on any other table only with --strict", kind="list", default=(), metavar="TABLE"),
        Option("strict", "judge the steps whose cost grows with the table on every table, not only on the ones "
               "known to be big", kind="bool"),
        Option("enable", "also run these rules (no-lock-timeout is off by default)", kind="list", default=(),
               metavar="RULE"),
        Option("disable", "do not run these rules", kind="list", default=(), metavar="RULE"),
        Option("settled-days", "migrations committed this many days before the last commit have run already and "
               "are not judged (0: judge every migration)", kind="int", default=30, metavar="DAYS"),
        Option("history-days", "with --strict: a table the repository's history shows small is not judged for the steps whose "
               "cost grows with it: created, or indexed without CONCURRENTLY by a migration that has run (in a "
               "project that builds other indexes CONCURRENTLY), less than this many days before the migration "
               "(0: judge every table)", kind="int", default=90, metavar="DAYS"),
    ),
    description=__doc__ or "",
    reports_parse_errors=False,
)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
