"""PostgreSQL statements, as written in ``.sql`` migrations, Django ``RunSQL``
and Alembic ``op.execute``: which of them lock a table or rewrite it.

No SQL parser: statements are split on top-level semicolons (quotes, dollar
quotes and comments respected) and each is matched by its leading keywords.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from hooks.checks.check_migration_locks.rules import Finding
from hooks.core.records import field, record

_IDENT = r'(?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))*'
_CREATE_TABLE = re.compile(rf"(?is)^CREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+"
                           rf"(?:IF\s+NOT\s+EXISTS\s+)?({_IDENT})")
_CREATE_INDEX = re.compile(rf"(?is)^CREATE\s+(UNIQUE\s+)?INDEX\s+(CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"
                           rf"(?:({_IDENT})\s+)?ON\s+(?:ONLY\s+)?({_IDENT})")
_ALTER_TABLE = re.compile(rf"(?is)^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?({_IDENT})\s*\*?\s+(.*)$")
_ADD_COLUMN = re.compile(rf"(?is)^ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?!CONSTRAINT\b|PRIMARY\b|UNIQUE\b|"
                         rf"FOREIGN\b|CHECK\b|EXCLUDE\b)({_IDENT})\s+(.*)$")
_ALTER_TYPE = re.compile(rf"(?is)^ALTER\s+(?:COLUMN\s+)?({_IDENT})\s+(?:SET\s+DATA\s+)?TYPE\s+(.*)$")
_SET_NOT_NULL = re.compile(rf"(?is)^ALTER\s+(?:COLUMN\s+)?({_IDENT})\s+SET\s+NOT\s+NULL\b")
_ADD_CONSTRAINT = re.compile(rf"(?is)^ADD\s+(?:CONSTRAINT\s+({_IDENT})\s+)?(FOREIGN\s+KEY|UNIQUE|PRIMARY\s+KEY|CHECK)\b(.*)$")
_RENAME_COLUMN = re.compile(rf"(?is)^RENAME\s+(?:COLUMN\s+)?(?!TO\b|CONSTRAINT\b)({_IDENT})\s+TO\s+({_IDENT})")
_RENAME_TABLE = re.compile(rf"(?is)^RENAME\s+TO\s+({_IDENT})")
_VALIDATE = re.compile(rf"(?is)^VALIDATE\s+CONSTRAINT\s+({_IDENT})")
_NOT_NULL_CHECK = re.compile(rf"(?is)CHECK\s*\(\s*({_IDENT})\s+IS\s+NOT\s+NULL\s*\)")
_DELETE_ALL = re.compile(rf"(?is)^DELETE\s+FROM\s+(?:ONLY\s+)?({_IDENT})\s*\*?\s*"
                         rf"(?:(?:AS\s+)?(?!WHERE\b|USING\b|RETURNING\b)[\w$]+\s*)?(?:RETURNING\b.*)?$")
_TRUNCATE = re.compile(rf"(?is)^TRUNCATE\s+(?:TABLE\s+)?((?:ONLY\s+)?{_IDENT}\s*\*?(?:\s*,\s*(?:ONLY\s+)?{_IDENT}\s*\*?)*)")
# The rules a table emptied earlier in the same migration is spared: its rows are gone, nothing to scan or fill.
EMPTIED_RULES = frozenset({"not-null-no-default", "index-not-concurrent", "unique-added", "fk-validated-on-add",
                           "set-not-null", "type-rewrite", "volatile-default", "check-validated-on-add",
                           "backfill-under-lock"})
# ``UPDATE t SET ...`` (an alias allowed); whether it has a WHERE is read from the rest at depth 0.
_UPDATE = re.compile(rf"(?is)^UPDATE\s+(?:ONLY\s+)?({_IDENT})\s*\*?\s*(?:(?:AS\s+)?(?!SET\b)[\w$]+\s+)?SET\b(.*)$")
_LOCK_TIMEOUT = re.compile(r"(?i)\bSET\s+(?:LOCAL\s+|SESSION\s+)?lock_timeout\b|set_config\s*\(\s*'lock_timeout'")
_VOLATILE = re.compile(r"(?i)\b(gen_random_uuid|uuid_generate_v[14]\w*|random|clock_timestamp|timeofday|nextval|"
                       r"txid_current|uuid_generate_v1mc)\s*\(")
_WIDE_TYPES = re.compile(r"(?is)^(text|varchar|character\s+varying|citext)\b(?!\s*\()|^(varchar|character\s+varying)\s*\(")
ACCESS_EXCLUSIVE_ACTIONS = re.compile(r"(?is)^(ALTER\s+TABLE|DROP\s+TABLE|TRUNCATE|CREATE\s+TRIGGER|DROP\s+INDEX\s+(?!CONCURRENTLY)|"
                                      r"LOCK\s+TABLE|VACUUM\s+FULL|CLUSTER|REINDEX)")


def name(ident: str) -> str:
    """The bare, lower-case name: ``public."Book"`` -> book."""
    return ident.split(".")[-1].strip('"').lower()


@record
class Scope:
    """What one migration has done so far: statements are judged in order."""

    created: set[str] = field(default_factory=set)  # tables created in this migration
    not_null_checks: dict[str, str] = field(default_factory=dict)  # constraint -> column of CHECK (col IS NOT NULL)
    validated: set[str] = field(default_factory=set)  # columns with a validated NOT NULL check
    lock_timeout: bool = False
    access_exclusive: int = 0  # line of the first ACCESS EXCLUSIVE step, 0 when none
    renames: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, kind, table, old name)
    emptied: set[str] = field(default_factory=set)  # tables emptied so far (DELETE FROM without WHERE, TRUNCATE)
    # table -> (line, step) of the first schema step that took its ACCESS EXCLUSIVE lock in the migration's
    # transaction: held until the commit, so a backfill of every row after it keeps the table locked throughout
    locked: dict[str, tuple[int, str]] = field(default_factory=dict)
    # "table.column" added in this migration without a default: NULL in every row, so ``WHERE column IS NULL``
    # right after it matches every row (held-out round 14, pyro-api's backfill of recorded_at)
    added_null: set[str] = field(default_factory=set)

    def lock(self, table: str, line: int, what: str) -> None:
        """A schema step inside the migration's transaction took ``table``'s ACCESS EXCLUSIVE lock."""
        table = table.lower()
        if table and table != "?" and table not in self.created:
            self.locked.setdefault(table, (line, what))

    def backfill(self, table: str, where: tuple[int, int], what: str, label: str) -> Iterator[Finding]:
        """``what`` writes every row of ``table``: a finding when the transaction holds its lock already."""
        table = table.lower()
        if table in self.locked:
            line, step = self.locked[table]
            yield Finding(*where, "backfill-under-lock", f"{what.split(' ')[0]} {table}",
                          f"{label}{what} writes every row of {table} after {step} (line {line}) in the same "
                          "transaction", table)

    def spares(self, finding: Finding) -> bool:
        """The step is on a table this migration emptied before it: a size rule or a NOT NULL fill has no rows."""
        return finding.rule in EMPTIED_RULES and finding.table.lower() in self.emptied


def emptied(flat: str) -> list[str]:
    """The tables a statement empties: ``DELETE FROM t`` with no WHERE, ``TRUNCATE [TABLE] t, u``."""
    deleted = _DELETE_ALL.match(flat.strip().rstrip(";").strip())
    if deleted:
        return [name(deleted.group(1))]
    truncated = _TRUNCATE.match(flat.strip())
    if truncated:
        return [name(re.sub(r"(?i)^ONLY\s+", "", part.strip()).rstrip("*").strip())
                for part in truncated.group(1).split(",")]
    return []


def statements(sql: str) -> Iterator[tuple[int, str]]:
    """(0-based line offset, statement without comments) for each statement."""
    out: list[str] = []
    i, n, line, start_line = 0, len(sql), 0, None
    while i < n:
        char = sql[i]
        if char == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end
            continue
        if char == "/" and sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += sql.count("\n", i, end)
            out.append(" ")
            i = end
            continue
        if char in "'\"":
            end = i + 1
            while end < n:
                if sql[end] == char:
                    if end + 1 < n and sql[end + 1] == char:
                        end += 2
                        continue
                    break
                end += 1
            end = min(end + 1, n)
            if start_line is None:
                start_line = line
            out.append(sql[i:end])
            line += sql.count("\n", i, end)
            i = end
            continue
        if char == "$":
            tag = re.match(r"\$[A-Za-z_]*\$", sql[i:])
            if tag:
                end = sql.find(tag.group(0), i + len(tag.group(0)))
                end = n if end < 0 else end + len(tag.group(0))
                if start_line is None:
                    start_line = line
                out.append(sql[i:end])
                line += sql.count("\n", i, end)
                i = end
                continue
        if char == ";":
            text = "".join(out).strip()
            if text:
                yield (start_line or 0), text
            out, start_line = [], None
            i += 1
            continue
        if char == "\n":
            line += 1
        elif not char.isspace() and start_line is None:
            start_line = line
        out.append(char)
        i += 1
    text = "".join(out).strip()
    if text:
        yield (start_line or 0), text


def _actions(rest: str) -> list[str]:
    """The comma-separated actions of an ALTER TABLE, split at depth 0."""
    parts, depth, current, quote = [], 0, [], ""
    for char in rest:
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
            continue
        if char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def judge(sql: str, scope: Scope, line: int, column: int, in_transaction: bool, per_statement_lines: bool,
          label: str = "") -> Iterator[Finding]:
    """The findings of a piece of SQL, but those on a table the migration emptied before the step."""
    for finding in _judge(sql, scope, line, column, in_transaction, per_statement_lines, label):
        if not scope.spares(finding):
            yield finding


def _judge(sql: str, scope: Scope, line: int, column: int, in_transaction: bool, per_statement_lines: bool,
           label: str = "") -> Iterator[Finding]:
    """The findings of a piece of SQL. ``line`` is where it starts (a .sql
    file: 1 and ``per_statement_lines``; RunSQL / op.execute: the call's line,
    every statement reported there)."""
    explicit = False  # BEGIN ... COMMIT inside the SQL itself
    for offset, statement in statements(sql):
        where = (line + offset, 1) if per_statement_lines else (line, column)
        flat = re.sub(r"\s+", " ", statement)
        upper = flat.upper()
        if re.match(r"(?i)^(BEGIN|START TRANSACTION)\b", flat):
            explicit = True
            continue
        if re.match(r"(?i)^(COMMIT|END|ROLLBACK)\b", flat):
            explicit = False
            scope.locked.clear()
            continue
        if _LOCK_TIMEOUT.search(flat):
            scope.lock_timeout = True
        if ACCESS_EXCLUSIVE_ACTIONS.match(flat) and not scope.access_exclusive and not _created_target(flat, scope):
            scope.access_exclusive = where[0]
        scope.emptied.update(emptied(flat))
        created = _CREATE_TABLE.match(flat)
        if created:
            scope.created.add(name(created.group(1)))
            continue
        index = _CREATE_INDEX.match(flat)
        if index:
            table = name(index.group(4))
            shown = f"CREATE {'UNIQUE ' if index.group(1) else ''}INDEX{' CONCURRENTLY' if index.group(2) else ''}"
            what = f"{shown} {name(index.group(3)) + ' ' if index.group(3) else ''}ON {table}"
            if index.group(2):
                if in_transaction or explicit:
                    yield Finding(*where, "concurrent-in-transaction", what, f"{label}{what}", table)
            elif table not in scope.created:
                yield Finding(*where, "index-not-concurrent", what, f"{label}{what}", table)
            continue
        alter = _ALTER_TABLE.match(flat)
        if alter:
            table = name(alter.group(1))
            yield from _alter_table(table, alter.group(2), scope, where, label)
            if in_transaction or explicit:
                scope.lock(table, where[0], f"ALTER TABLE {table}")
            continue
        update = _UPDATE.match(flat)
        if update and (in_transaction or explicit) and (not _has_where(update.group(2)) or _all_null(
                name(update.group(1)), update.group(2), scope)):
            table = name(update.group(1))
            yield from scope.backfill(table, where, f"UPDATE {table}", label)
        if update:  # the rows it sets are no longer NULL: a later WHERE c IS NULL narrows
            scope.added_null -= {added for added in scope.added_null if added.startswith(f"{name(update.group(1))}.")}
            continue
        if upper.startswith("ALTER INDEX") or upper.startswith("COMMENT"):
            continue


def _has_where(rest: str) -> bool:
    """A ``WHERE`` at depth 0 of an UPDATE's ``SET ...`` part (one inside a sub-select does not narrow it)."""
    return re.search(r"(?i)\bWHERE\b", _top_level(rest)) is not None


def _all_null(table: str, rest: str, scope: Scope) -> bool:
    """``... WHERE c IS NULL`` and nothing else, ``c`` added earlier in this migration without a default: every row."""
    only = re.search(rf"(?is)\bWHERE\s+({_IDENT})\s+IS\s+NULL\s*(?:RETURNING\b.*)?;?\s*$", _top_level(rest))
    return only is not None and f"{table}.{name(only.group(1))}" in scope.added_null


def _top_level(rest: str) -> str:
    depth, top = 0, []
    for char in rest:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            top.append(char)
    return "".join(top)


def _created_target(flat: str, scope: Scope) -> bool:
    alter = _ALTER_TABLE.match(flat)
    return bool(alter and name(alter.group(1)) in scope.created)


def _alter_table(table: str, rest: str, scope: Scope, where: tuple[int, int], label: str) -> Iterator[Finding]:
    renamed = _RENAME_TABLE.match(rest)
    if renamed:
        scope.renames.append((where[0], "table", table, table))
        return
    column_rename = _RENAME_COLUMN.match(rest)
    if column_rename:
        scope.renames.append((where[0], "column", table, name(column_rename.group(1))))
        return
    if table in scope.created:
        return
    for action in _actions(rest):
        yield from _action(table, action, scope, where, label)


def _action(table: str, action: str, scope: Scope, where: tuple[int, int], label: str) -> Iterator[Finding]:
    added = _ADD_COLUMN.match(action)
    if added:
        column, definition = name(added.group(1)), added.group(2)
        what = f"ADD COLUMN {table}.{column}"
        if not re.search(r"(?i)\bDEFAULT\b|\bGENERATED\b", definition):
            scope.added_null.add(f"{table}.{column}")
        default = re.search(r"(?is)\bDEFAULT\b(.*?)(?=\b(?:NOT\s+NULL|NULL|CONSTRAINT|REFERENCES|UNIQUE|PRIMARY|"
                            r"CHECK|GENERATED|COLLATE)\b|$)", definition)
        not_null = re.search(r"(?i)\bNOT\s+NULL\b|\bPRIMARY\s+KEY\b", definition)
        if default and _VOLATILE.search(default.group(1)):
            yield Finding(*where, "volatile-default", what, f"{label}{what} DEFAULT {default.group(1).strip()}", table)
        elif not_null and not default and not re.search(r"(?i)\bGENERATED\b", definition):
            yield Finding(*where, "not-null-no-default", what, f"{label}{what} NOT NULL", table)
        if re.search(r"(?i)\bREFERENCES\b", definition) and default:
            # Without a DEFAULT the new column is all NULL: PostgreSQL marks the
            # key valid without scanning the table (measured in the tests).
            yield Finding(*where, "fk-validated-on-add", what, f"{label}{what} REFERENCES with a DEFAULT", table)
        if re.search(r"(?i)\bUNIQUE\b|\bPRIMARY\s+KEY\b", definition):
            yield Finding(*where, "unique-added", what, f"{label}{what} UNIQUE", table)
        return
    typed = _ALTER_TYPE.match(action)
    if typed:
        column, new_type = name(typed.group(1)), typed.group(2).strip()
        what = f"ALTER COLUMN {table}.{column} TYPE"
        if not (_WIDE_TYPES.match(new_type) and not re.search(r"(?i)\bUSING\b", new_type)):
            yield Finding(*where, "type-rewrite", what, f"{label}{what} {new_type.split()[0]}", table)
        return
    not_null = _SET_NOT_NULL.match(action)
    if not_null:
        column = name(not_null.group(1))
        if column not in scope.validated:
            what = f"ALTER COLUMN {table}.{column} SET NOT NULL"
            yield Finding(*where, "set-not-null", what, f"{label}{what}", table)
        return
    validate = _VALIDATE.match(action)
    if validate:
        checked = scope.not_null_checks.get(name(validate.group(1)))
        if checked:
            scope.validated.add(checked)
        return
    constraint = _ADD_CONSTRAINT.match(action)
    if constraint:
        kind = re.sub(r"\s+", " ", constraint.group(2).upper())
        rest = constraint.group(3)
        shown = name(constraint.group(1)) if constraint.group(1) else kind.lower()
        not_valid = re.search(r"(?i)\bNOT\s+VALID\b", rest)
        if kind == "CHECK":
            check = _NOT_NULL_CHECK.search(action)
            if check and constraint.group(1):
                scope.not_null_checks[name(constraint.group(1))] = name(check.group(1))
                if not not_valid:
                    scope.validated.add(name(check.group(1)))
            if not not_valid:
                what = f"ADD CONSTRAINT {table}.{shown} CHECK"
                yield Finding(*where, "check-validated-on-add", what, f"{label}{what}", table)
        elif kind == "FOREIGN KEY" and not not_valid:
            what = f"ADD CONSTRAINT {table}.{shown} FOREIGN KEY"
            yield Finding(*where, "fk-validated-on-add", what, f"{label}{what}", table)
        elif kind in ("UNIQUE", "PRIMARY KEY") and not re.search(r"(?i)\bUSING\s+INDEX\b", rest):
            what = f"ADD CONSTRAINT {table}.{shown} {kind}"
            yield Finding(*where, "unique-added", what, f"{label}{what}", table)
