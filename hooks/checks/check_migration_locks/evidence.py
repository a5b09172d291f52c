"""What in the repository says a table is big.

The steps whose cost grows with the table (``SIZE_RULES``: an index built
without CONCURRENTLY, a unique constraint, a type change that rewrites, a SET
NOT NULL scan, a foreign key validated on add, a volatile default) matter on a
big table only, and no static tool knows row counts. The project itself says
which of its tables are big, in its migrations:

- it builds an index CONCURRENTLY on the table (Django ``AddIndexConcurrently``,
  ``CREATE INDEX CONCURRENTLY`` in ``RunSQL`` / ``op.execute`` / a ``.sql``
  migration, Alembic ``create_index(..., postgresql_concurrently=True)``), in
  any migration of any age: the team weighed that table and found it too big
  to lock;
- it partitions the table (``CREATE TABLE ... PARTITION BY``, Alembic
  ``postgresql_partition_by=``): nobody partitions a small table.

A ``postgresql_concurrently=<a name>`` (an opt-in setting the project reads)
is no evidence: the project chose to build that index plainly by default.
Everything is read from the files git tracks (every migration of the
repository, under the folders this hook reads), with ``ast`` and regular
expressions; nothing is imported.
"""
from __future__ import annotations

import ast
import os
import re
from functools import lru_cache

from hooks.checks.check_migration_locks.history import _IDENT, _SQL_CONCURRENT, _name  # one SQL reading for both
from hooks.checks.check_migration_locks.settled import WRITTEN as _WRITTEN
from hooks.config import python_trees

_SQL_TABLE = re.compile(rf"(?is)\bCREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?({_IDENT})\s*\(")
_PARTITION_BY = re.compile(r"(?is)\)\s*PARTITION\s+BY\s+(?:RANGE|LIST|HASH)\b")
_NEEDLES = ("concurrent", "partition")
_SKIP_DIRS = frozenset({"node_modules", "site-packages", "venv", "__pycache__", "dist", "build"})
MAX_WALK = 50_000  # files looked at outside git


def _create_table_end(text: str, start: int) -> int:
    """The index just after the parenthesis that closes ``CREATE TABLE x (`` at ``start`` (at the "(")."""
    depth = 0
    for index in range(start, min(len(text), start + 200_000)):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    return -1


@lru_cache(maxsize=256)
def tables_in(path: str, relative: str) -> dict[str, str]:
    """Table -> why it is big, from one migration file."""
    from hooks.checks.check_migration_locks import alembic
    from hooks.checks.check_migration_locks.read import kind
    from hooks.common.migrations import arg, call_name, model_table, read

    found_kind = kind(relative)
    text = read(path, 5_000_000) if found_kind else None
    if not text or not any(needle in text.lower() for needle in _NEEDLES):
        return {}
    found: dict[str, str] = {}

    def add(table: str | None, why: str) -> None:
        if table and table != "?" and "{" not in table:
            found.setdefault(table.lower(), why)

    concurrent = f"the project builds an index on it CONCURRENTLY ({relative})"
    partitioned = f"the project partitions it ({relative})"
    for match in _SQL_CONCURRENT.finditer(text):
        add(_name(match.group(1)), concurrent)
    for match in _SQL_TABLE.finditer(text):
        end = _create_table_end(text, match.end() - 1)
        if end > 0 and _PARTITION_BY.match(text, end):
            add(_name(match.group(1)), partitioned)
    if found_kind == "sql":
        return found
    try:
        tree = python_trees.parse(text, path, report=False)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return found
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        method = call_name(node)
        if found_kind == "django" and method == "AddIndexConcurrently":
            model = alembic._text(arg(node, 0, "model_name"), {})
            add(model_table(path, model) if model else None, concurrent)
        elif found_kind == "alembic" and method == "create_index" and any(
                kw.arg == "postgresql_concurrently" and isinstance(kw.value, ast.Constant) and kw.value.value is True
                for kw in node.keywords):
            add(alembic._text(arg(node, 1, "table_name"), {}), concurrent)
        elif found_kind == "alembic" and method == "create_table" and any(
                kw.arg == "postgresql_partition_by" for kw in node.keywords):
            add(alembic._text(arg(node, 0, "table_name"), {}), partitioned)
    return found


def _tracked(root: str) -> list[str] | None:
    from hooks.checks.check_migration_locks.read import kind
    from hooks.repo.git import GitError, run

    try:
        listed = run("ls-files", "-z", cwd=root).split("\0")
    except GitError:
        return None
    return [path for path in listed if path and kind(path) is not None]


def _walked(root: str) -> list[str]:
    """Outside git: the migrations under ``root`` (hidden and vendored folders skipped)."""
    from hooks.checks.check_migration_locks.read import kind

    found: list[str] = []
    seen = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in files:
            seen += 1
            if seen > MAX_WALK:
                return found
            relative = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
            if kind(relative) is not None:
                found.append(relative)
    return found


@lru_cache(maxsize=2)
def big_tables(root: str) -> dict[str, str]:
    """Table -> why the repository says it is big, over every migration it holds."""
    listed = _tracked(root)
    if listed is None:
        listed = _walked(root)
    found: dict[str, str] = {}
    for relative in sorted(listed):
        for table, why in tables_in(os.path.join(root, relative), relative).items():
            found.setdefault(table, why)
    return found


# A habit: at least HABIT_MIN migrations build an index concurrently, and at least HABIT_RATIO times as many
# as build one plainly (on an existing table) since the first of them (dstack: 8 and 3; Skyvern 14 and 23,
# Agenta 5 and 24 mix both and keep the evidence).
HABIT_MIN = 3
HABIT_RATIO = 2


def _written(path: str, fallback: int) -> int:
    """When a migration was written: Alembic's ``Create Date:`` or Django's ``Generated by Django ... on``
    header (a move of the files keeps it), else the date it arrived on the branch."""
    import calendar

    from hooks.common.migrations import read

    text = read(path, 4_000)
    match = _WRITTEN.search(text or "")
    if not match:
        return fallback
    try:
        return calendar.timegm((int(match.group(1)), int(match.group(2)), int(match.group(3)), 0, 0, 0))
    except (ValueError, OverflowError):
        return fallback


@lru_cache(maxsize=2)
def habit(root: str) -> str | None:
    """How the project builds (nearly) all its indexes CONCURRENTLY, tiny tables included (few plain builds on
    an existing table in the migrations written since its first concurrent build): then a concurrent build says nothing about
    a table's size. None when the project mixes plain and concurrent builds, or outside git."""
    from hooks.checks.check_migration_locks import history

    everything = history.events(root, history.SETTLED_DAYS)
    written = {e.path: _written(os.path.join(root, e.path), e.date)
               for e in everything if e.kind in ("concurrent", "plain")}
    concurrent = [e for e in everything if e.kind == "concurrent"]
    if not concurrent:
        return None
    first = min(concurrent, key=lambda e: (written[e.path], e.path))
    plain = {e.path for e in everything if e.kind == "plain" and written[e.path] >= written[first.path]}
    paths = {e.path for e in concurrent}
    if len(paths) < HABIT_MIN or len(plain) * HABIT_RATIO > len(paths):
        return None
    return (f"the project builds (nearly) every index CONCURRENTLY since {first.path} ({len(paths)} migration(s) "
            f"concurrently, {len(plain)} plainly): a habit, not a sign of size")


def why_big(table: str, path: str, root: str) -> str | None:
    """Why ``table`` is big by the repository's evidence (the migration ``path`` included), or None.
    A concurrent build is no evidence in a project that builds every index concurrently (``habit``)."""
    table = table.lower()
    if not table or table == "?":
        return None
    found = big_tables(root).get(table)
    if found is None:
        relative = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
        found = tables_in(path, relative).get(table)
    if found is not None and found.startswith("the project builds an index on it CONCURRENTLY") and habit(root):
        return None
    return found


def forget() -> None:
    habit.cache_clear()
    big_tables.cache_clear()
    tables_in.cache_clear()
