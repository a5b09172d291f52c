"""What the repository's own migrations say about a table's size.

No static tool knows row counts, but the history of a project's migrations
holds two kinds of evidence, both read from git (the date a migration arrived
on the branch, as for ``settled-days``), and both recent: less than
``history-days`` (90) days before the migration judged, since tables grow.

- a *young* table: created that recently (every creation of it in the
  repository, other chains of revisions included). It has had a release or
  two to fill, unless a migration filled it with a copy of another table
  (``INSERT INTO it ... SELECT``: a split, a partitioning), which makes it big
  from the start.
- the project's *practice*: a project that builds some indexes CONCURRENTLY
  knows the technique; when it built an index on this table plainly that
  recently, in a migration that has run already (settled), it judged the table
  small enough to lock, and production agreed. A plain build before the
  project's first CONCURRENTLY one, or in a migration that also built a big
  table's index plainly, was no such judgement and does not count.

Against both: an index the project builds CONCURRENTLY on the table, in any
migration anywhere in the repository (this one included). That says the table
is big, and every step on it is judged.
"""
from __future__ import annotations

import ast
import os
import re
from collections import Counter
from functools import lru_cache

from hooks.config import python_trees
from hooks.core.records import record, replace

DAY = 86400
SETTLED_DAYS = 30  # the settled-days default
IMPORT_SIZE = 10  # migrations added by one commit: an imported history
# The steps whose cost grows with the table: what a small table makes cheap.
SIZE_RULES = frozenset({"index-not-concurrent", "unique-added", "fk-validated-on-add", "set-not-null",
                        "type-rewrite", "volatile-default", "check-validated-on-add", "backfill-under-lock"})
_IDENT = r'(?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))*'
_SQL_TABLE = re.compile(rf"(?is)\bCREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+"
                        rf"(?:IF\s+NOT\s+EXISTS\s+)?({_IDENT})\s*\(")
_SQL_CONCURRENT = re.compile(rf"(?is)\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?"
                             rf"(?:{_IDENT}\s+)?ON\s+(?:ONLY\s+)?({_IDENT})")
_SQL_FILLED = re.compile(rf"(?is)\bINSERT\s+INTO\s+({_IDENT})\s*(?:\([^;]*?\)\s*)?(?:SELECT|WITH)\b")
_PLAIN_RULES = ("index-not-concurrent", "unique-added")


@record(frozen=True)
class Event:
    table: str
    kind: str  # "created", "imported" (created by a commit that imported a history), "plain" (an index built
    # without CONCURRENTLY on an existing table), "concurrent", "filled" (INSERT INTO it ... SELECT: a copy)
    date: int  # when its migration arrived on the branch (the last commit's date for a new one)
    path: str  # relative to the root
    settled: bool  # the migration has run already (committed settled-days before the last commit)


@record(frozen=True)
class Small:
    table: str
    why: str
    young: bool  # created recently (else: the project's practice)


def _name(ident: str) -> str:
    return ident.split(".")[-1].strip('"').lower()


def _events_of(path: str, relative: str, date: int, settled: bool) -> list[Event]:
    """The tables a migration creates, and the indexes it builds plainly or concurrently."""
    from hooks.checks.check_migration_locks import alembic
    from hooks.checks.check_migration_locks.read import kind, read_migration
    from hooks.common.migrations import arg, call_name, model_table, read

    found_kind = kind(relative)
    text = read(path, 5_000_000) if found_kind else None
    if not text:
        return []
    found: list[Event] = []

    def add(table: str | None, what: str) -> None:
        if table and table != "?":
            found.append(Event(table.lower(), what, date, relative, settled))

    for match in _SQL_TABLE.finditer(text):
        add(_name(match.group(1)), "created")
    for match in _SQL_CONCURRENT.finditer(text):
        add(_name(match.group(1)), "concurrent")
    for match in _SQL_FILLED.finditer(text):
        add(_name(match.group(1)), "filled")
    if found_kind != "sql":
        try:
            tree = python_trees.parse(text, path, report=False)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return found
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            method = call_name(node)
            if found_kind == "django" and method in ("CreateModel", "AddIndexConcurrently"):
                model = alembic._text(arg(node, 0, "name" if method == "CreateModel" else "model_name"), {})
                add(model_table(path, model, node if method == "CreateModel" else None) if model else None,
                    "created" if method == "CreateModel" else "concurrent")
            elif found_kind == "alembic" and method == "create_table":
                add(alembic._text(arg(node, 0, "table_name"), {}), "created")
            elif (found_kind == "alembic" and method == "create_index"
                  and any(kw.arg == "postgresql_concurrently" and isinstance(kw.value, ast.Constant)
                          and kw.value.value is True for kw in node.keywords)):
                add(alembic._text(arg(node, 1, "table_name"), {}), "concurrent")
    result = read_migration(path, 5_000_000, _PLAIN_RULES)
    if result is not None and len(result) == 4:
        for finding in result[0]:
            if finding.rule in _PLAIN_RULES:
                add(finding.table, "plain")
    return found


@lru_cache(maxsize=1024)
def created_by(path: str, relative: str) -> frozenset[str]:
    """The tables one migration creates (``CreateModel``, ``create_table``, ``CREATE TABLE``)."""
    return frozenset(event.table for event in _events_of(path, relative, 0, False) if event.kind == "created")


@lru_cache(maxsize=2)
def events(root: str, days: int) -> tuple[Event, ...]:
    """Every migration git tracks in the repository, as events; empty outside git."""
    from hooks.checks.check_migration_locks import settled
    from hooks.checks.check_migration_locks.read import kind
    from hooks.repo.git import GitError, run

    head = settled._head_date(root)
    if head is None:
        return ()
    try:
        listed = [p for p in run("ls-files", "-z", cwd=root).split("\0") if p and kind(p) is not None]
    except GitError:
        return ()
    if settled.single_commit(root):
        return ()  # a fresh import: every date is the import's
    settled.prefetch(root, {os.path.dirname(relative) for relative in listed})
    dated: list[tuple[str, int]] = []
    for relative in listed:
        when = settled._added(root, os.path.dirname(relative)).get(relative)
        if when == settled.UNKNOWN:
            continue  # a shallow clone cut off its date
        dated.append((relative, head if when is None else when))
    # A migration that arrived with a move of its file (the same name deleted by the
    # commit that added it), or with the first commit of a repository that brought
    # many migrations at once (an import of an older history), is as old as that
    # history: the tables it creates are not young. A release merged with many
    # migrations is not an import: its tables are as young as it.
    per_commit = Counter(date for _, date in dated)
    moved = _moves(root)
    first = _root_date(root)
    found: list[Event] = []
    kept = _Kept(root)
    for relative, date in dated:
        imported = (date, os.path.basename(relative)) in moved or date == first and per_commit[date] >= IMPORT_SIZE
        for event in kept.events_of(os.path.join(root, relative), relative, date, date < head - days * DAY):
            found.append(replace(event, kind="imported") if imported and event.kind == "created" else event)
    kept.save()
    return tuple(found)


class _Kept:
    """Each migration's events (table, kind) in the result cache (``hooks.core.cache``),
    keyed by its blob id, its kind and its folder's names and blob ids (the plain
    index builds are judged against the folder's earlier migrations): a whole-repo
    run reads and parses only the migrations that changed. Dates come from git
    every run."""

    def __init__(self, root: str) -> None:
        from hooks.core.cache import FileResults, directory
        from hooks.repo import git

        self.root = root
        self.results = FileResults("migration-events", os.path.realpath(root)) if directory() else None
        self.blobs = git.blob_ids(root) if self.results is not None else {}
        self.folders: dict[str, str | None] = {}

    def key(self, relative: str) -> str | None:
        from hooks.checks.check_migration_locks.read import kind
        from hooks.core.cache import folder_state

        blob = self.blobs.get(relative)
        if blob is None:
            return None
        folder = os.path.dirname(relative)
        if folder not in self.folders:
            self.folders[folder] = folder_state(folder, self.blobs, self.root)
        state = self.folders[folder]
        if state is None:
            return None
        import hashlib

        return f"{blob}+{kind(relative)}+{hashlib.sha256(state.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"

    def events_of(self, path: str, relative: str, date: int, settled: bool) -> list[Event]:
        key = self.key(relative) if self.results is not None else None
        if key is not None and self.results is not None:
            pairs = self.results.get(relative, key)
            if isinstance(pairs, list) and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)
                                               for p in pairs):
                return [Event(table, what, date, relative, settled) for table, what in pairs]
        found = _events_of(path, relative, date, settled)
        if key is not None and self.results is not None:
            self.results.put(relative, key, [[e.table, e.kind] for e in found])
        return found

    def save(self) -> None:
        if self.results is not None:
            self.results.save()


def _moves(root: str) -> frozenset[tuple[int, str]]:
    """(date, file name) of every .py / .sql file a first-parent commit deleted
    (kept for the commit HEAD names: ``settled.at_head``)."""
    from hooks.checks.check_migration_locks.settled import at_head

    found = at_head(root, "moves", lambda: sorted(_moves_git(root)),
                    lambda v: isinstance(v, list) and all(isinstance(p, list) and len(p) == 2 and type(p[0]) is int
                                                          and isinstance(p[1], str) for p in v))
    return frozenset((date, name) for date, name in found)


def _moves_git(root: str) -> frozenset[tuple[int, str]]:
    from hooks.repo.git import GitError, run

    try:
        text = run("log", "--first-parent", "-m", "--diff-filter=D", "--no-renames", "--format=%x00%ct",
                   "--name-only", "--", "*.py", "*.sql", cwd=root)
    except GitError:
        return frozenset()
    found: set[tuple[int, str]] = set()
    date = 0
    for line in text.splitlines():
        if line.startswith("\0"):
            date = int(line[1:]) if line[1:].isdigit() else 0
        elif line:
            found.add((date, os.path.basename(line)))
    return frozenset(found)


def _root_date(root: str) -> int | None:
    from hooks.checks.check_migration_locks.settled import at_head

    found = at_head(root, "root date", lambda: _root_date_git(root), lambda v: v is None or type(v) is int)
    return found if type(found) is int else None


def _root_date_git(root: str) -> int | None:
    from hooks.repo.git import GitError, run

    try:
        roots = run("rev-list", "--max-parents=0", "--format=%ct", "HEAD", cwd=root).split()
    except GitError:
        return None
    dates = [int(part) for part in roots if part.isdigit()]
    return min(dates) if dates else None


def forget() -> None:
    events.cache_clear()
    created_by.cache_clear()


def date_of(path: str, root: str) -> int | None:
    """When the migration arrived on the branch; the last commit's date for a new one."""
    from hooks.checks.check_migration_locks import settled

    head = settled._head_date(root)
    if head is None:
        return None
    relative = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    when = settled._added(root, os.path.dirname(relative)).get(relative)
    if when == settled.UNKNOWN:
        return None
    return head if when is None else when


def small(table: str, path: str, root: str, days: int, window: int) -> Small | None:
    """Why the repository's history shows ``table`` small when ``path`` runs, or None.
    ``window``: how many days before the migration the evidence may be (0: none counts)."""
    if not table or table == "?" or window <= 0:
        return None
    when = date_of(path, root)
    if when is None:
        return None
    relative = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    everything = events(root, days if days > 0 else SETTLED_DAYS)  # an audit (0) still needs "has run"
    big = {e.table for e in everything if e.kind == "concurrent"}
    if table in big:
        return None  # the project builds this table's indexes concurrently (this migration too): big
    recent = [e for e in everything if e.table == table and e.path != relative and when - window * DAY <= e.date]
    created = [e for e in everything if e.table == table and e.kind in ("created", "imported") and e.date <= when]
    filled = any(e.table == table and e.kind == "filled" for e in everything)
    if created and not filled:  # a table filled by a copy of another (a split, a partitioning) is born big
        first = min(created, key=lambda e: e.date)
        if first in recent and first.kind == "created":
            return Small(table, f"{table}: created {(when - first.date) // DAY} day(s) before the migration, "
                                f"in {first.path}", True)
    if not big:
        return None  # a project that never builds an index CONCURRENTLY says nothing by building one plainly
    since = min((e for e in everything if e.kind == "concurrent"), key=lambda e: e.date)
    # a migration that also built a big table's index plainly was not weighing sizes
    careless = {e.path for e in everything if e.kind == "plain" and e.table in big}
    plain = sorted((e for e in recent if e.kind == "plain" and e.settled and e.date >= since.date
                    and e.path not in careless), key=lambda e: e.date)
    if plain:
        return Small(table, f"{table}: indexed without CONCURRENTLY {(when - plain[-1].date) // DAY} day(s) before "
                            f"the migration, in {plain[-1].path}, which has run, while the project builds other "
                            f"indexes CONCURRENTLY (since {since.path})", False)
    return None
