"""A throwaway PostgreSQL cluster for the differential tests, and what
PostgreSQL does when a migration's SQL runs on a table that has rows.

The cluster lives in a temp dir, listens on a unix socket only, and runs as
the ``postgres`` user when the tests run as root (CI). ``.ci/run`` installs
Debian's ``postgresql`` when it is missing and sets
``LEGACY_CONFIG_POSTGRES=required``, so CI cannot skip these tests.
"""
from __future__ import annotations

import glob
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlparse

from hooks.core.records import field, record


def binaries() -> str | None:
    """The folder of initdb / pg_ctl: pg_config's, or Debian's newest."""
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out and os.path.exists(os.path.join(out, "initdb")):
            return out
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2])
                         if p.split("/")[-2].isdigit() else 0, reverse=True):
        if os.path.exists(os.path.join(folder, "initdb")):
            return folder
    return None


@record
class Cluster:
    folder: str
    bindir: str
    as_postgres: bool

    @property
    def host(self) -> str:
        return self.folder

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)

    def start(self) -> None:
        data = os.path.join(self.folder, "data")
        done = self._run(os.path.join(self.bindir, "initdb"), "-D", data, "-A", "trust", "-U", "postgres",
                         "--no-sync", "-E", "UTF8")
        assert done.returncode == 0, done.stderr
        done = self._run(os.path.join(self.bindir, "pg_ctl"), "-D", data, "-l", os.path.join(self.folder, "log"),
                         "-o", f"-k {self.folder} -c listen_addresses='' -c fsync=off -c full_page_writes=off",
                         "-w", "start")
        assert done.returncode == 0, done.stderr + Path(self.folder, "log").read_text(errors="replace")

    def stop(self) -> None:
        self._run(os.path.join(self.bindir, "pg_ctl"), "-D", os.path.join(self.folder, "data"), "-m", "immediate",
                  "stop")

    def connect(self, dbname: str = "postgres", autocommit: bool = True) -> Any:
        import psycopg

        return psycopg.connect(host=self.host, user="postgres", dbname=dbname, autocommit=autocommit)


def cluster() -> Iterator[Cluster]:
    bindir = binaries()
    if bindir is None:
        raise FileNotFoundError("no PostgreSQL server binaries (initdb)")
    folder = tempfile.mkdtemp(prefix="pg-locks-")
    as_postgres = os.geteuid() == 0
    if as_postgres:
        shutil.chown(folder, "postgres")
    found = Cluster(folder, bindir, as_postgres)
    found.start()
    try:
        yield found
    finally:
        found.stop()
        shutil.rmtree(folder, ignore_errors=True)


# --- the SQL each framework runs ------------------------------------------------------

DJANGO_SQLMIGRATE = """\
import sys
import django
from django.conf import settings
from django.core.management import call_command

settings.configure(
    INSTALLED_APPS=["django.contrib.postgres", "library"],
    DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "postgres", "USER": "postgres",
                           "HOST": sys.argv[1]}},
    USE_TZ=True,
)
django.setup()
for name in sys.argv[2:]:
    try:
        call_command("sqlmigrate", "library", name)
    except Exception as error:  # Django refuses some migrations before any SQL runs
        print("-- error: " + str(error).splitlines()[0])
    print("-- end of migration --")
"""


def django_sql(repo: Path, host: str, names: list[str]) -> list[str]:
    """``manage.py sqlmigrate library <name>`` for each name, in one process."""
    script = repo / "_sqlmigrate.py"
    script.write_text(DJANGO_SQLMIGRATE)
    done = subprocess.run([sys.executable, str(script), host, *names], cwd=repo, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(repo)})
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.split("-- end of migration --\n")[: len(names)]


def alembic_sql(repo: Path, revision_range: str) -> str:
    """``alembic upgrade <range> --sql``: the SQL Alembic runs, offline."""
    from alembic import command
    from alembic.config import Config

    buffer = io.StringIO()
    config = Config(stdout=buffer, output_buffer=buffer)
    config.set_main_option("script_location", str(repo / "migrations"))
    config.set_main_option("sqlalchemy.url", "postgresql://")
    command.upgrade(config, revision_range, sql=True)
    return buffer.getvalue()


# --- applying and watching -----------------------------------------------------------

ROWS = textwrap.dedent("""\
    INSERT INTO {author} (id, name) SELECT n, 'author ' || n FROM generate_series(1, 200) n;
    INSERT INTO {book} (id, title, pages, isbn, code, author_id)
        SELECT n, 'title ' || n, n % 500, lpad(n::text, 13, '0'), 'code-' || n, 1 + n % 200
        FROM generate_series(1, 3000) n;
    INSERT INTO {shelf} (id, label, owner_id) SELECT n, 'shelf ' || n, 1 + n % 200 FROM generate_series(1, 60) n;
""")


@record
class Step:
    sql: str
    in_transaction: bool
    error: str = ""
    locks: dict[str, set[str]] = field(default_factory=dict)  # table -> lock modes held after the statement
    rewritten: set[str] = field(default_factory=set)  # tables whose filenode changed
    scanned: set[str] = field(default_factory=set)  # tables sequentially scanned by the statement
    added_columns: set[str] = field(default_factory=set)  # tables that got a column
    new_indexes: list[tuple[str, bool]] = field(default_factory=list)  # (table, unique)
    new_unique_constraints: set[str] = field(default_factory=set)
    new_validated_fks: set[str] = field(default_factory=set)
    set_not_null: set[str] = field(default_factory=set)  # tables where an existing column became NOT NULL


_CATALOG = {
    "filenode": "SELECT c.relname, pg_relation_filenode(c.oid) FROM pg_class c WHERE c.oid = ANY(%s)",
    "scans": "SELECT relname, seq_scan FROM pg_stat_xact_user_tables WHERE relid = ANY(%s)",
    "columns": "SELECT c.relname, count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
               "WHERE a.attrelid = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped GROUP BY c.relname",
    "indexes": "SELECT i.indexrelid, c.relname, i.indisunique FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
               "WHERE i.indrelid = ANY(%s)",
    "constraints": "SELECT k.oid, c.relname, k.contype, k.convalidated FROM pg_constraint k "
                   "JOIN pg_class c ON c.oid = k.conrelid WHERE k.conrelid = ANY(%s)",
    "notnull": "SELECT c.relname, a.attname, a.attnotnull FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
               "WHERE a.attrelid = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped",
}


def _snapshot(cursor: Any, oids: list[int]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, query in _CATALOG.items():
        cursor.execute(query, (oids,))
        found[name] = cursor.fetchall()
    return found


def statements(sql: str) -> list[str]:
    """The statements of a script, comments and blank ones dropped."""
    found = []
    for statement in sqlparse.split(sql):
        text = sqlparse.format(statement, strip_comments=True).strip().rstrip(";").strip()
        if text:
            found.append(text)
    return found


def apply(conn: Any, sql: str, tables: list[str], wrap_each: bool) -> list[Step]:
    """Run a migration's SQL statement by statement, as its runner does, and
    watch what each statement does to the tables that existed before it.
    ``wrap_each``: plain SQL files, each statement in its own transaction
    (CONCURRENTLY ones outside any), as statement-by-statement runners do."""
    refused = re.match(r"^-- error: (.*)", sql.strip())
    if refused:
        return [Step(sql, True, error=refused.group(1))]
    with conn.cursor() as cursor:
        cursor.execute("SELECT oid, relname FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r'", (tables,))
        oids = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
        in_transaction = False
        steps: list[Step] = []
        for statement in statements(sql):
            head = statement.split()[0].upper()
            if head in ("BEGIN", "START"):
                cursor.execute("BEGIN")
                in_transaction = True
                continue
            if head in ("COMMIT", "END"):
                cursor.execute("COMMIT")
                in_transaction = False
                continue
            wrapped = wrap_each and not in_transaction and "CONCURRENTLY" not in statement.upper()
            if wrapped:
                cursor.execute("BEGIN")
            before = _snapshot(cursor, oids)
            step = Step(statement, in_transaction or wrapped)
            try:
                cursor.execute(statement)
            except Exception as error:  # noqa: BLE001 - any database error is an observation
                step.error = str(error).splitlines()[0]
                steps.append(step)
                if in_transaction or wrapped:
                    cursor.execute("ROLLBACK")
                return steps
            if in_transaction or wrapped:
                cursor.execute("SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                               "WHERE l.pid = %s AND l.relation = ANY(%s)", (pid, oids))
                for table, mode in cursor.fetchall():
                    step.locks.setdefault(table, set()).add(mode)
            after = _snapshot(cursor, oids)
            _compare(step, before, after)
            steps.append(step)
            if wrapped:
                cursor.execute("COMMIT")
        if in_transaction:
            cursor.execute("COMMIT")
        return steps


def _compare(step: Step, before: dict[str, Any], after: dict[str, Any]) -> None:
    old_nodes, new_nodes = dict(before["filenode"]), dict(after["filenode"])
    step.rewritten = {t for t in old_nodes if new_nodes.get(t) != old_nodes[t]}
    old_scans, new_scans = dict(before["scans"]), dict(after["scans"])
    step.scanned = {t for t in new_scans if new_scans[t] > old_scans.get(t, 0)}
    old_columns, new_columns = dict(before["columns"]), dict(after["columns"])
    step.added_columns = {t for t in new_columns if new_columns[t] > old_columns.get(t, 0)}
    known = {row[0] for row in before["indexes"]}
    step.new_indexes = [(table, unique) for oid, table, unique in after["indexes"] if oid not in known]
    old_constraints = {row[0]: row for row in before["constraints"]}
    for oid, table, kind, validated in after["constraints"]:
        if kind in ("u", "p") and oid not in old_constraints:
            step.new_unique_constraints.add(table)
        if kind == "f" and validated and (oid not in old_constraints or not old_constraints[oid][3]):
            step.new_validated_fks.add(table)
    was = {(t, a): n for t, a, n in before["notnull"]}
    step.set_not_null = {t for t, a, n in after["notnull"] if n and was.get((t, a)) is False}


def truths(steps: list[Step], fk_without_index: bool) -> set[str]:
    """The rules that PostgreSQL's own behaviour says apply to this migration."""
    found: set[str] = set()
    for step in steps:
        if "inside a transaction" in step.error:
            found.add("concurrent-in-transaction")
        elif "contains null values" in step.error:
            found.add("not-null-no-default")
        elif step.error:
            raise AssertionError(f"unexpected error from PostgreSQL: {step.error} in {step.sql}")
        for table in step.rewritten:
            found.add("volatile-default" if table in step.added_columns else "type-rewrite")
        if step.new_validated_fks & step.scanned:  # a key added with its all-NULL column is valid unscanned
            found.add("fk-validated-on-add")
        if step.new_unique_constraints and step.new_indexes:  # USING INDEX attaches a built one
            found.add("unique-added")
        elif any(step.in_transaction for _ in step.new_indexes):
            found.add("index-not-concurrent")
        if step.set_not_null - step.added_columns and step.set_not_null & step.scanned:
            found.add("set-not-null")
    if fk_without_index:
        found.add("fk-without-index")
    return found


FK_WITHOUT_INDEX = """\
SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
WHERE c.contype = 'f' AND NOT EXISTS (
    SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])
"""


def unindexed_foreign_keys(conn: Any) -> set[tuple[str, str]]:
    with conn.cursor() as cursor:
        cursor.execute(FK_WITHOUT_INDEX)
        return {(table, column) for table, column in cursor.fetchall()}
