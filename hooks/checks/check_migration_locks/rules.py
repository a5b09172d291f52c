"""The rules of ``check-migration-locks``, what one finding is, and the
``# lock-ok: <reason>`` marker."""
from __future__ import annotations

import re

from hooks.core.records import record

# rule -> (on by default, what PostgreSQL does, the fix per kind of migration: django, alembic, sql)
RULES: dict[str, tuple[bool, str, dict[str, str]]] = {
    "index-not-concurrent": (True, "CREATE INDEX blocks writes to the table while it builds (SHARE lock)", {
        "django": "use AddIndexConcurrently (django.contrib.postgres.operations) in a migration with atomic = False",
        "alembic": "pass postgresql_concurrently=True inside op.get_context().autocommit_block()",
        "sql": "CREATE INDEX CONCURRENTLY, outside a transaction"}),
    "concurrent-in-transaction": (True, "CONCURRENTLY cannot run inside a transaction: the migration fails at deploy", {
        "django": "set atomic = False on the Migration",
        "alembic": "run it inside op.get_context().autocommit_block()",
        "sql": "run it outside BEGIN ... COMMIT"}),
    "not-null-no-default": (True, "a NOT NULL column without a default fails on a table that has rows", {
        "django": "add it with null=True (or a default), fill it, then drop null=True",
        "alembic": "add it nullable=True (or with a server_default), fill it, then set nullable=False",
        "sql": "add it NULL (or with a constant DEFAULT), fill it, then SET NOT NULL"}),
    "type-rewrite": (True, "PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock", {
        "": "add a new column, backfill it in batches and switch over (or keep the type)"}),
    "fk-validated-on-add": (True, "the new foreign key is validated by a full scan while writes to both tables wait", {
        "django": "add the field with db_constraint=False, then add the constraint NOT VALID and VALIDATE it "
                  "in a later migration (RunSQL)",
        "alembic": "create it with postgresql_not_valid=True, then VALIDATE CONSTRAINT in a later revision",
        "sql": "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later migration"}),
    "volatile-default": (True, "a volatile default is computed for every row: the table is rewritten under an "
                         "ACCESS EXCLUSIVE lock", {
        "": "add the column without the default, set the default afterwards and backfill in batches"}),
    "rename-in-use": (True, "the code still deployed uses the old name: it fails from the moment the migration runs", {
        "": "add the new name beside the old one, move the code over, release, then drop the old name"}),
    "set-not-null": (True, "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock", {
        "": "first add CHECK (column IS NOT NULL) NOT VALID and VALIDATE it; then SET NOT NULL skips the scan"}),
    "unique-added": (True, "the unique index is built while the table is locked", {
        "": "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX"}),
    "check-validated-on-add": (True, "the new CHECK constraint is validated by a scan of the whole table under an "
                               "ACCESS EXCLUSIVE lock", {
        "django": "add it with RunSQL(\"ALTER TABLE ... ADD CONSTRAINT ... CHECK (...) NOT VALID\") and VALIDATE "
                  "CONSTRAINT in a later migration (SeparateDatabaseAndState keeps the model's state)",
        "alembic": "op.execute(\"ALTER TABLE ... ADD CONSTRAINT ... CHECK (...) NOT VALID\"), then VALIDATE "
                   "CONSTRAINT in a later revision",
        "sql": "ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a later migration"}),
    "backfill-under-lock": (True, "the schema step before it took the table's ACCESS EXCLUSIVE lock, held until "
                            "the transaction commits: reads and writes wait for the whole backfill", {
        "django": "move the backfill into a migration of its own (or set atomic = False on this one), and update "
                  "in batches",
        "alembic": "commit the schema step first: backfill in batches inside op.get_context().autocommit_block(), "
                   "or in a revision of its own with transaction_per_migration=True in env.py",
        "sql": "COMMIT the schema change before the backfill, and update in batches"}),
    "fk-without-index": (True, "every delete or key change on the parent table scans this table", {
        "": "add index=True to the column, or an index that starts with it"}),
    "no-lock-timeout": (False, "it waits behind long transactions while every query waits behind it", {
        "": "SET lock_timeout at the top of the migration (or in env.py / the database OPTIONS)"}),
}


def advice(rule: str, kind: str) -> str:
    fixes = RULES[rule][2]
    return fixes.get(kind) or fixes.get("") or next(iter(fixes.values()))


DEFAULT_ON = tuple(rule for rule, (on, _, _) in RULES.items() if on)


@record(frozen=True)
class Finding:
    line: int
    column: int
    rule: str
    what: str  # stable: "AddIndex book", "create_index ix_book_isbn", "CREATE INDEX ON book"
    text: str  # the clause that names the step: "AddIndex on book (index book_isbn_idx)"
    table: str = ""  # for small-tables
    detail: str = ""  # extra words after the rule's lock sentence
    evidence: bool = True  # False: judged only on a table known to be big or with --strict (fk-without-index)


# `# lock-ok: reason` (`-- lock-ok: reason` in SQL).
LOCK_OK = re.compile(r"(?:#|--)\s*lock-ok\s*:(.*)$", re.I)


def placeholder(reason: str) -> bool:
    from hooks.common.change_notes import placeholder as is_placeholder

    return not reason.strip() or is_placeholder(reason)


def lock_ok_lines(text: str) -> dict[int, str]:
    """Line -> the reason of each ``lock-ok`` marker (cheap: only when the text names one)."""
    if "lock-ok" not in text.lower():
        return {}
    found = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = LOCK_OK.search(line)
        if match:
            found[number] = match.group(1).strip()
    return found
