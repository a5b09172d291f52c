"""Differential tests: every fixture migration of ``cases.py`` is rendered to
the SQL its framework runs (Django ``sqlmigrate``, Alembic ``upgrade --sql``
per revision, the ``.sql`` file itself) and applied to a real PostgreSQL on
tables that have rows. Inside the migration's transaction the test records
``pg_locks`` of its backend, ``pg_relation_filenode`` before and after, the
sequential scans and the catalog. A rule of check-migration-locks must fire
exactly where PostgreSQL takes the lock, rewrites the table, scans it under
lock, or fails. squawk, on the same SQL, is the second opinion: where it
agrees, and where it differs on purpose, is asserted below."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.checks.check_migration_locks import pg
from tests.checks.check_migration_locks.cases import (
    CASES,
    SQL_INITIAL,
    Case,
    path_of,
    repo_files,
    strict,
)
from tests.conftest import write_files

pytestmark = pytest.mark.e2e  # one PostgreSQL cluster per session: about a minute
HOOK_ID = "check-migration-locks"
# What PostgreSQL cannot show: whether code still uses a name, or a setting.
# A CHECK constraint's validating scan and a backfill's time under a lock are real, but the
# statement reader (pg.py) does not single them out; the unit tests pin them.
NOT_OBSERVABLE = {"rename-in-use", "no-lock-timeout", "check-validated-on-add", "backfill-under-lock"}


@pytest.fixture
def run_hook(run_hook: Callable[..., Any]) -> Callable[..., Any]:
    return strict(run_hook)  # the tables here have rows: every one is judged


TABLES = {"django": ["library_author", "library_book", "library_shelf"], "alembic": ["author", "book", "shelf"],
          "sql": ["author", "book", "shelf"]}

# squawk rule -> ours. squawk's others (prefer-bigint-over-int, prefer-robust-stmts,
# require-statement-timeout, ...) are style or belong to no rule here.
SQUAWK = {
    "require-concurrent-index-creation": "index-not-concurrent",
    "ban-concurrent-index-creation-in-transaction": "concurrent-in-transaction",
    "adding-required-field": "not-null-no-default",
    "changing-column-type": "type-rewrite",
    "adding-foreign-key-constraint": "fk-validated-on-add",
    "adding-field-with-default": "volatile-default",
    "adding-not-nullable-field": "set-not-null",
    "disallowed-unique-constraint": "unique-added",
}
# Where squawk and this hook differ, case by case, and why (docs/hooks/check-migration-locks.md).
# (only ours, only squawk's) per case; PostgreSQL sides with this hook in each (see
# the test above).
_ = frozenset
SQUAWK_DIFFERENCES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # Django refuses to render AddIndexConcurrently in an atomic migration: there is no
    # SQL for squawk to read. The deploy fails; this hook reads the Python.
    "dj-concurrently-atomic": (_({"concurrent-in-transaction"}), _()),
    # squawk reports every type change; widening a varchar (or to text) rewrites nothing.
    "dj-widen-charfield": (_(), _({"type-rewrite"})),
    "al-widen-string": (_(), _({"type-rewrite"})),
    "sql-type-varchar": (_(), _({"type-rewrite"})),
    # now() is stable: PostgreSQL stores it once, no rewrite. squawk reports any
    # non-constant default.
    "dj-charfield-to-text": (_(), _({"type-rewrite"})),
    "dj-stable-db-default": (_(), _({"volatile-default"})),
    # The index Django builds for a new foreign key, or for a unique varchar (_like),
    # is named in the one finding of that operation.
    "dj-add-fk-default": (_(), _({"index-not-concurrent"})),
    "dj-unique-field": (_(), _({"index-not-concurrent"})),
    # A foreign key added in the ADD COLUMN of its column, without a DEFAULT: the column
    # is all NULL and PostgreSQL marks the key valid without scanning. squawk asks for
    # NOT VALID anyway.
    "dj-add-fk": (_(), _({"fk-validated-on-add"})),
    "sql-add-column-references": (_(), _({"fk-validated-on-add"})),
    # Steps on a table created in the same migration: nothing to lock or scan yet.
    "dj-created-here": (_(), _({"not-null-no-default", "fk-validated-on-add"})),
    "sql-created-here": (_(), _({"index-not-concurrent", "fk-validated-on-add"})),
    # A NOT NULL column added to a table the migration emptied first (DELETE FROM without
    # WHERE): no row to fill. squawk judges each statement alone.
    "al-emptied-then-not-null": (_(), _({"not-null-no-default"})),
    "sql-emptied-then-not-null": (_(), _({"not-null-no-default"})),
    # '# lock-ok: <reason>' is for this hook; squawk reads the SQL only.
    "dj-lock-ok": (_(), _({"index-not-concurrent"})),
}


def _required() -> bool:
    return os.environ.get("LEGACY_CONFIG_POSTGRES") == "required"


@pytest.fixture(scope="session")
def cluster() -> Iterator[pg.Cluster]:
    if pg.binaries() is None:
        if _required():
            pytest.fail("PostgreSQL is required here (LEGACY_CONFIG_POSTGRES=required) but initdb is missing")
        pytest.skip("no PostgreSQL server installed (.ci/run installs it)")
    yield from pg.cluster()


def _render(root: Path, host: str) -> dict[str, tuple[str, str]]:
    """case id -> (SQL of the initial migration, SQL of the case). The Django
    cases sit side by side as leaves on top of 0001, rendered by one process."""
    found: dict[str, tuple[str, str]] = {}
    django_cases = [case for case in CASES if case.kind == "django"]
    repo = root / "django"
    write_files(repo, {k: v for k, v in repo_files(django_cases[0]).items() if "0002" not in k})
    names = []
    for number, case in enumerate(django_cases, 2):
        name = f"{number:04d}_" + re.sub(r"\W", "_", case.id)  # sqlmigrate finds a migration by its prefix
        write_files(repo, {f"library/migrations/{name}.py": case.text})
        names.append(name)
    initial, *rendered = pg.django_sql(repo, host, ["0001_initial", *names])
    found.update({case.id: (initial, sql) for case, sql in zip(django_cases, rendered)})
    for case in CASES:
        if case.kind == "alembic":
            write_files(root / case.id, repo_files(case))
            found[case.id] = pg.alembic_sql(root / case.id, "0001"), pg.alembic_sql(root / case.id, "0001:0002")
        elif case.kind == "sql":
            found[case.id] = SQL_INITIAL, case.text
    return found


@pytest.fixture(scope="session")
def observed(cluster: pg.Cluster, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """case id -> (the SQL, PostgreSQL's steps, the rules PostgreSQL's behaviour calls for)."""
    root = tmp_path_factory.mktemp("pg-cases")
    rendered = _render(root, cluster.host)
    admin = cluster.connect()
    for kind, initial in (("django", rendered["dj-add-index"][0]), ("alembic", rendered["al-create-index"][0]),
                          ("sql", SQL_INITIAL)):
        admin.execute(f"CREATE DATABASE base_{kind}")
        with cluster.connect(f"base_{kind}") as conn:
            pg.apply(conn, initial, [], wrap_each=True)
            names = dict(zip(("author", "book", "shelf"), TABLES[kind]))
            for statement in pg.statements(pg.ROWS.format(**names)):
                conn.execute(statement)
            conn.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
            base_unindexed = pg.unindexed_foreign_keys(conn)
    found: dict[str, Any] = {}
    version = admin.execute("SHOW server_version_num").fetchone()[0]
    strategy = " STRATEGY FILE_COPY" if int(version) >= 150000 else ""  # faster for small databases
    for case in CASES:
        initial, sql = rendered[case.id]
        name = "c_" + re.sub(r"\W", "_", case.id)
        admin.execute(f"CREATE DATABASE {name} TEMPLATE base_{case.kind}{strategy}")
        with cluster.connect(name) as conn:
            steps = pg.apply(conn, sql, TABLES[case.kind], wrap_each=case.kind == "sql")
            unindexed = pg.unindexed_foreign_keys(conn) - base_unindexed
        admin.execute(f"DROP DATABASE {name}")
        found[case.id] = (sql, steps, pg.truths(steps, bool(unindexed)))
    admin.close()
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rules_fire_exactly_where_postgres_locks_rewrites_or_fails(
        case: Case, observed: dict[str, Any], run_hook: Callable[..., Any]) -> None:
    sql, steps, truth = observed[case.id]
    result = run_hook(HOOK_ID, path_of(case), files=repo_files(case))
    reported = {rule for rule in _rules(result.out)} - NOT_OBSERVABLE
    if case.kind != "alembic":
        truth = truth - {"fk-without-index"}  # a rule for SQLAlchemy models; Django indexes its foreign keys
    if "# lock-ok: " in case.text:
        assert truth and not reported, "the marker silences a step PostgreSQL does lock"
        return
    if case.kind == "django" and truth & {"fk-validated-on-add", "unique-added"}:
        # One Django operation, one finding: the index Django builds for a new
        # foreign key, or the _like index of a unique varchar, is named in that
        # finding's message instead of a second line.
        truth = truth - {"index-not-concurrent"}
    shown = "\n".join(f"  {s.sql[:100]!r}: err={s.error!r} locks={s.locks} rewritten={s.rewritten} "
                      f"scanned={s.scanned}" for s in steps)
    assert reported == truth, f"hook {sorted(reported)} vs PostgreSQL {sorted(truth)}\n{sql}\n{shown}"


def test_the_cases_cover_every_observable_rule(observed: dict[str, Any]) -> None:
    seen = set().union(*(truth for _, _, truth in observed.values()))
    assert seen == {rule for rule in _all_rules()} - NOT_OBSERVABLE


def test_squawk_agrees_except_where_documented(observed: dict[str, Any], tmp_path: Path) -> None:
    squawk = shutil.which("squawk") or str(Path(os.sys.executable).with_name("squawk"))
    files = {}
    for case in CASES:
        path = tmp_path / f"{case.id}.sql"
        path.write_text(observed[case.id][0])
        files[path.name] = case
    done = subprocess.run([squawk, "--reporter", "gcc", "--pg-version", "15", *sorted(files)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    theirs: dict[str, set[str]] = {case.id: set() for case in CASES}
    for line in done.stdout.splitlines():
        match = re.match(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): \w+: (?P<rule>[\w-]+) ", line)
        if match and match.group("rule") in SQUAWK:
            theirs[files[match.group("file")].id].add(SQUAWK[match.group("rule")])
    differences = {}
    for case in CASES:
        ours = set(case.rules) - NOT_OBSERVABLE - {"fk-without-index"}
        if ours != theirs[case.id]:
            differences[case.id] = (frozenset(ours - theirs[case.id]), frozenset(theirs[case.id] - ours))
    assert differences == SQUAWK_DIFFERENCES


def _all_rules() -> list[str]:
    from hooks.checks.check_migration_locks.rules import RULES

    return list(RULES)


def _rules(output: str) -> set[str]:
    from hooks.checks.check_migration_locks.rules import RULES

    return {rule for line in output.splitlines() for rule, (_, lock, _) in RULES.items() if lock in line}


