"""Which files ``check-migration-locks`` reads, and one file turned into its
findings (before the rule selection, ``small-tables`` and ``lock-ok``)."""
from __future__ import annotations

import os
import re
from collections.abc import Iterable

from hooks.checks.check_migration_locks import alembic, django, usage
from hooks.checks.check_migration_locks import sql as sqlrules
from hooks.checks.check_migration_locks.rules import LOCK_OK, Finding, placeholder
from hooks.common.migrations import ALEMBIC, DJANGO, DJANGO_APP, alembic_folder, python_comments, read
from hooks.config import paths, python_trees
from hooks.core.records import replace

SQL_MIGRATION = re.compile(paths.SQL_MIGRATIONS)
DJANGO_MODULE = re.compile(paths.DJANGO_MODULE_MIGRATIONS)
_DOWN = re.compile(r"(^|[/._-])down\.sql$", re.I)
Markers = dict[int, tuple[str, bool]]
Read = tuple[list[Finding], Markers, set[int], str]


def kind(path: str) -> str | None:
    name = path.replace(os.sep, "/")
    if name.rsplit("/", 1)[-1] == "__init__.py":
        return None  # a package marker (alembic/versions/__init__.py), not a migration
    if name.endswith(".py"):
        if DJANGO.search(name) or DJANGO_MODULE.search(name):
            return "django"
        if ALEMBIC.search(name) and alembic_folder(name):
            return "alembic"
        if DJANGO_APP.search(name):
            return "django"  # migrations/<app>/0001_x.py, as MIGRATION_MODULES names it (as require-reversible-migrations)
        return None
    if name.lower().endswith(".sql") and SQL_MIGRATION.search(name) and not _DOWN.search(name):
        return "sql"
    return None


def read_migration(path: str, limit: int, rules: Iterable[str]) -> Read | tuple[int, str] | None:
    """The findings of one migration, its ``lock-ok`` markers and comment lines;
    (line, message) for a file that does not parse; None for a file that is not a migration."""
    found_kind = kind(path)
    if found_kind is None:
        return None
    text = read(path, limit)
    if text is None:
        return None
    rules = set(rules)
    if found_kind == "sql":
        findings = _sql(text, rules)
        comments = {n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith("--")}
        return findings, _markers(text), comments, "sql"
    try:
        tree = python_trees.parse(text, path, report=False)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        return (getattr(error, "lineno", None) or 1, f"cannot parse Python: {getattr(error, 'msg', None) or error}")
    if found_kind == "django":
        result = django.analyse(tree, path)
        if result is None:
            return None
        findings = [] if result.fresh else _timed(result.findings, result.lock_timeout) + _django_extra(result, path, rules)
    else:
        if not alembic.is_revision(tree):
            return None
        findings = _alembic(alembic.analyse(tree), path, rules)
    markers = _markers(text)
    comments = set(python_comments(text)) if markers else set()
    return findings, markers, comments, found_kind


# lock_timeout bounds how long a statement waits to take its lock, not how
# long it holds it once taken. Every lock rule here is about the holding: an
# index build keeps its SHARE lock (writes wait) for the whole build, a rewrite
# or a validating scan keeps its lock for the whole pass over the table. A
# migration that sets lock_timeout is judged like any other; the message says
# what its timeout does not cover. (What it does cover, the queue behind a
# waiting ALTER, is the no-lock-timeout rule, which it satisfies.)
_HOLDS = {
    "index-not-concurrent": "the build",
    "unique-added": "the index build",
    "type-rewrite": "the rewrite",
    "volatile-default": "the rewrite",
    "set-not-null": "the scan",
    "fk-validated-on-add": "the validating scan",
    "check-validated-on-add": "the validating scan",
    "backfill-under-lock": "the backfill",
}


def _timed(findings: list[Finding], lock_timeout: bool) -> list[Finding]:
    """The findings of a migration; with its own ``lock_timeout``, the steps that hold
    their lock for a pass over the table say that the timeout does not bound it."""
    if not lock_timeout:
        return list(findings)
    return [replace(f, detail=(f"{f.detail} " if f.detail else "") + f"(the migration's lock_timeout bounds the "
                    f"wait for the lock, not {_HOLDS[f.rule]}, which holds it)") if f.rule in _HOLDS else f
            for f in findings]


def _markers(text: str) -> Markers:
    if "lock-ok" not in text.lower():
        return {}
    found: Markers = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = LOCK_OK.search(line)
        if match:
            reason = match.group(1).strip()
            found[number] = (reason, not placeholder(reason))
    return found


def _root() -> str:
    return os.getcwd()  # pre-commit runs hooks at the top of the repository


def _rename(line: int, column: int, what: str, text: str, table: str, where: tuple[str, int] | None) -> list[Finding]:
    if where is None:
        return []
    return [Finding(line, column, "rename-in-use", what, text, table, f"({where[0]}:{where[1]} still uses the old name)")]


def _timeout(line: int, local: bool, env: str, rules: set[str]) -> list[Finding]:
    if "no-lock-timeout" not in rules or not line or local or usage.project_lock_timeout(_root(), env):
        return []
    return [Finding(line, 1, "no-lock-timeout", "migration", "this migration takes an ACCESS EXCLUSIVE lock and sets "
                    "no lock_timeout", "")]


def _django_extra(result: django.Result, path: str, rules: set[str]) -> list[Finding]:
    found: list[Finding] = []
    if "rename-in-use" in rules:
        app = os.path.relpath(os.path.dirname(os.path.dirname(os.path.abspath(path))), _root())
        for rename in result.renames:
            if django.reused(path, rename):
                continue
            if rename.kind == "field":
                where = usage.still_used(_root(), rename.old, "field", within="" if app.startswith("..") else app,
                                         model=rename.model.lower())
                what = f"RenameField {rename.model}.{rename.old}"
                found += _rename(rename.line, rename.column, what, f"{what} -> {rename.new}", rename.model, where)
            else:
                where = usage.still_used(_root(), rename.old, "model")
                what = f"RenameModel {rename.old}"
                found += _rename(rename.line, rename.column, what, f"{what} -> {rename.new}", rename.model, where)
    found += _timeout(result.exclusive_line, result.lock_timeout, "", rules)
    return found


def _alembic(result: alembic.Result, path: str, rules: set[str]) -> list[Finding]:
    found = [] if result.fresh else _timed(result.findings, result.lock_timeout)
    versions = os.path.dirname(os.path.abspath(path))
    if "rename-in-use" in rules and not result.fresh:
        chain = _env_folder(versions)
        for rename in result.renames:
            if rename.kind == "column":
                where = usage.still_used(_root(), rename.old, "column", table=rename.table, chain=chain)
                what = f"alter_column {rename.table}.{rename.old}"
            else:
                where = usage.still_used(_root(), rename.old, "table")
                what = f"rename_table {rename.old}"
            found += _rename(rename.line, rename.column, what, f"{what} -> {rename.new}", rename.table, where)
    if "fk-without-index" in rules and result.foreign:
        indexes, dropped = usage.folder_indexes(versions)
        seen: set[tuple[str, str]] = set()
        for column in result.foreign:
            key = (column.table, column.name.lower())
            if column.indexed or key in result.indexes or key in indexes or column.table in dropped or key in seen:
                continue
            seen.add(key)
            what = f"ForeignKey {column.table}.{column.name}"
            why = _wants_index(path, column.table, column.name)
            found.append(Finding(column.line, column.column, "fk-without-index", what,
                                 f"{what} has no index (none starts with it in this or any other revision)",
                                 column.table, f"({why})" if why else "", bool(why)))
    if not result.fresh:
        env = os.path.join(os.path.dirname(versions), "env.py")
        found += _timeout(result.exclusive_line, result.lock_timeout, env, rules)
    return found


def _wants_index(path: str, table: str, column: str) -> str:
    """Why the project wants this foreign key indexed, or "": it builds an index on a column of that name on
    another table, in a revision of the folder (this one included), or the table's model declares the column
    ``index=True`` (which the revision did not create). Without either, a key to a lookup or configuration table
    (seed rows, dozens of children) is the project's choice, as on its siblings (held-out round 13)."""
    versions, name = os.path.split(os.path.abspath(path))
    elsewhere = usage.indexed_elsewhere(versions, table, column, name)
    if elsewhere is not None:
        where = "this revision" if elsewhere[1] == name else elsewhere[1]
        return f"the project indexes {column.lower()} on {elsewhere[0]} in {where}"
    model = usage.model_index(_root(), table, column)
    if model is not None:
        return f"its model declares index=True, {model[0]}:{model[1]}, which no revision builds"
    return ""


def _env_folder(versions: str) -> str:
    """The folder of the revision's Alembic ``env.py`` (``versions/`` or up to two folders below it), or ""."""
    folder = os.path.dirname(versions)
    for _ in range(3):
        if os.path.isfile(os.path.join(folder, "env.py")):
            return folder
        folder = os.path.dirname(folder)
    return ""


def _sql(text: str, rules: set[str]) -> list[Finding]:
    scope = sqlrules.Scope()
    found = _timed(list(sqlrules.judge(text, scope, 1, 1, False, True)), scope.lock_timeout)
    if "rename-in-use" in rules:
        for line, rename_kind, table, old in scope.renames:
            if rename_kind == "column":
                where = usage.still_used(_root(), old, "column", table=table)
                what = f"RENAME COLUMN {table}.{old}"
            else:
                where = usage.still_used(_root(), old, "table")
                what = f"RENAME TABLE {old}"
            found += _rename(line, 1, what, what, table, where)
    found += _timeout(scope.access_exclusive, scope.lock_timeout, "", rules)
    return found
