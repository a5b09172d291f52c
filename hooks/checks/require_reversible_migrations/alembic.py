"""Alembic revisions for ``require-reversible-migrations``, read with ``ast``.

A revision cannot be rolled back when ``downgrade()`` is missing, empty (the
template's ``pass``) or raises; when ``upgrade()`` drops a table or column that
``downgrade()`` does not create again (matched by name); or when ``upgrade()``
deletes or rewrites rows with ``op.execute`` and ``downgrade()`` runs no data
step. With ``postgres``: index builds without ``CONCURRENTLY``, ``NOT NULL``
columns without a server default, and column type changes that rewrite the table.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from hooks.checks.require_reversible_migrations.common import (
    Category,
    Issue,
    destructive_sql,
    empty_body,
    functions_reached,
    raises_not_implemented,
)
from hooks.common.migrations import (
    _dialect,
    _norm,
    _type_rewrites,
    arg,
    call_name,
    module_constants,
    module_functions,
    span,
    string_value,
    strip_sql,
)
from hooks.core.records import field, record

_CREATE_TABLE_SQL = re.compile(r"(?i)\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?[\"`\[]?([\w.]+)")
_ADD_COLUMN_SQL = re.compile(r"(?i)\bALTER\s+TABLE\s+(?:ONLY\s+)?[\"`\[]?([\w.]+)[\"`\]]?[^;]*?\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?[\"`\[]?(\w+)")
_DROP_TABLE_SQL = re.compile(r"(?i)\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?[\"`\[]?([\w.]+)")
_UPDATE_TARGET_SQL = re.compile(r"(?i)\bUPDATE\s+(?:ONLY\s+)?[\"`\[]?([\w.]+)[\"`\]]?(?:\s+(?:AS\s+)?\w+)?\s+SET\s+[\"`\[]?(\w+)")
_INDEX_SQL = re.compile(r"(?i)\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)")


@record
class _Body:
    """What one of upgrade()/downgrade() does, by name."""

    dropped_tables: list[tuple[str, ast.Call]] = field(default_factory=list)
    dropped_columns: list[tuple[str, str, ast.Call]] = field(default_factory=list)
    created_tables: set[str] = field(default_factory=set)
    added_columns: set[tuple[str, str]] = field(default_factory=set)
    data_steps: list[tuple[str, tuple[str, str] | None, set[str], ast.Call]] = field(default_factory=list)
    any_data_step: bool = False
    renamed_into: set[str] = field(default_factory=set)  # rename_table(x, x_tmp): x_tmp
    table_renames: dict[str, str] = field(default_factory=dict)  # rename_table(old, new): old -> new
    created_keys: set[str] = field(default_factory=set)  # create_table's first argument, also a variable's
    renames_from: list[tuple[str, str]] = field(default_factory=list)  # (key of the first argument, new name)
    renamed_columns: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, new) -> old
    calls: list[tuple[str, str | None, ast.Call]] = field(default_factory=list)  # (method, batch table, call)


def is_revision(tree: ast.Module) -> bool:
    return "upgrade" in module_functions(tree)


def _read(function: ast.FunctionDef | None, constants: dict[str, ast.expr]) -> _Body:
    body = _Body()
    if function is None:
        return body
    # Each `with op.batch_alter_table("t") as batch_op:` block names its own table;
    # autogenerate reuses the name `batch_op` for every block, so a call's table is
    # the one of the innermost block around it.
    batch_of: dict[int, str] = {}  # id(call) -> table
    for node in ast.walk(function):
        if isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if (isinstance(call, ast.Call) and call_name(call) == "batch_alter_table"
                        and isinstance(item.optional_vars, ast.Name)):
                    table = _norm(string_value(arg(call, 0, "table_name"), constants))
                    if table:
                        _claim_batch(node, item.optional_vars.id, table, batch_of)
    for node in ast.walk(function):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method = node.func.attr
        batch = batch_of.get(id(node))
        body.calls.append((method, batch, node))

        def text(index: int, name: str, node: ast.Call = node) -> str | None:
            return _norm(string_value(arg(node, index, name), constants))

        if method == "drop_table":
            table = text(0, "table_name")
            if table:
                body.dropped_tables.append((table, node))
        elif method == "drop_column":
            table, column = (batch, text(0, "column_name")) if batch else (text(0, "table_name"), text(1, "column_name"))
            if table and column:
                body.dropped_columns.append((table, column, node))
        elif method == "create_table":
            _created(body, node, constants)
        elif method == "add_column":
            table = batch if batch else text(0, "table_name")
            added = arg(node, 0 if batch else 1, "column")
            name = _norm(string_value(arg(added, 0, "name"), constants)) if isinstance(added, ast.Call) else None
            if table and name:
                body.added_columns.add((table, name))
        elif method in ("rename_table", "alter_column"):
            _renamed(body, method, node, batch, text, constants)
        elif method in ("execute", "bulk_insert", "executemany"):
            body.any_data_step = True
            if method != "bulk_insert" and node.args:
                _data_step(body, node, constants)
    # A table created under a scratch name (a variable: "_migrating_%(table)s_%(session)s" % ...)
    # and renamed to another one is that table, rebuilt with the created columns (manila e8ea58723178).
    body.created_tables.update(renamed for key, renamed in body.renames_from if key in body.created_keys)
    return body


def _created(body: _Body, node: ast.Call, constants: dict[str, ast.expr]) -> None:
    table = _norm(string_value(arg(node, 0, "table_name"), constants))
    if table:
        body.created_tables.add(table)
    key = _table_key(arg(node, 0, "table_name"), constants)
    if key:
        body.created_keys.add(key)


def _table_key(node: ast.expr | None, constants: dict[str, ast.expr]) -> str | None:
    """The table a create_table / rename_table names: its name, or the variable holding a computed one."""
    if node is None:
        return None
    name = _norm(string_value(node, constants))
    if name:
        return name
    if isinstance(node, ast.Name):
        return f"variable:{node.id}"
    return None


def _claim_batch(block: ast.With, name: str, table: str, batch_of: dict[int, str]) -> None:
    """Calls on ``name`` inside this ``with`` block act on ``table``; a block
    nested inside it that binds the same name claims its own calls afterwards
    (ast.walk visits outer blocks first)."""
    for statement in block.body:
        for node in ast.walk(statement):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == name):
                batch_of[id(node)] = table


def _renamed(body: _Body, method: str, node: ast.Call, batch: str | None,
             text: Callable[[int, str], str | None], constants: dict[str, ast.expr]) -> None:
    """What a rename brings into being: ``rename_table(old, new)`` makes table
    ``new``; ``alter_column(t, "old_id", new_column_name="id")`` brings column
    ``id`` back under its name."""
    if method == "rename_table":
        renamed = text(1, "new_table_name")
        if renamed:
            body.renamed_into.add(renamed)
            old = text(0, "old_table_name")
            if old:
                body.table_renames[old] = renamed
            key = _table_key(arg(node, 0, "old_table_name"), constants)
            if key:
                body.renames_from.append((key, renamed))
        return
    new_name = next((kw.value for kw in node.keywords if kw.arg == "new_column_name"), None)
    table = batch if batch else text(0, "table_name")
    column = _norm(string_value(new_name, constants)) if new_name is not None else None
    if table and column:
        body.added_columns.add((table, column))
        old = text(0, "column_name") if batch else text(1, "column_name")
        if old:
            body.renamed_columns[(table, column)] = old


def _data_step(body: _Body, node: ast.Call, constants: dict[str, ast.expr]) -> None:
    statement = node.args[0]
    sql = string_value(statement, constants)
    if sql is not None:
        for match in _CREATE_TABLE_SQL.finditer(sql):
            body.created_tables.add(_norm(match.group(1)) or "")
        for match in _ADD_COLUMN_SQL.finditer(strip_sql(sql)):
            body.added_columns.add((_norm(match.group(1)) or "", (match.group(2) or "").lower()))
        keyword = destructive_sql(sql)
        if keyword:
            update = _UPDATE_TARGET_SQL.search(strip_sql(sql))
            target = (_norm(update.group(1)) or "", update.group(2).lower()) if update else None
            dropped = {_norm(m.group(1)) or "" for m in _DROP_TABLE_SQL.finditer(strip_sql(sql))}
            body.data_steps.append((keyword, target, dropped, node))
        return
    # SQLAlchemy constructs: table.update().values(col=...), sa.delete(table), table.delete()
    for part in ast.walk(statement):
        if isinstance(part, ast.Call) and call_name(part) in ("update", "delete"):
            columns = {kw.arg.lower() for sub in ast.walk(statement) if isinstance(sub, ast.Call)
                       and call_name(sub) == "values" for kw in sub.keywords if kw.arg}
            keyword = call_name(part).upper()
            target = ("*", sorted(columns)[0]) if keyword == "UPDATE" and len(columns) == 1 else None
            body.data_steps.append((keyword, target, set(), node))
            return


def analyse(tree: ast.Module, postgres: bool = False) -> list[Issue]:
    functions = module_functions(tree)
    constants = module_constants(tree)
    up, down = functions.get("upgrade"), functions.get("downgrade")
    if up is None:
        return []
    up_head = (span(up)[0], up.lineno)
    issues: list[Issue] = []
    if _is_base_revision(tree):
        # the first revision (down_revision = None) creates the schema: going below it is
        # dropping the database, which no project does with downgrade() (neutron's kilo_initial)
        return _locking_if(postgres, up, constants)
    if down is None:
        if not empty_body(up.body):
            issues.append(Issue(up.lineno, up.col_offset + 1, "irreversible", "no-downgrade", "downgrade()",
                                "there is no downgrade(): the revision cannot be rolled back", (span(up),)))
        return issues + _locking_if(postgres, up, constants)
    down_span = span(down)
    raised = raises_not_implemented(down.body)
    if raised is not None and _gives_a_reason(raised, constants):
        return _locking_if(postgres, up, constants)  # raise NotImplementedError("Cannot undo X: Y") says why
    if raised is not None and _says_no(raised, constants) and destroys_data(up, functions, constants):
        # raise Exception('No rolling back') after a drop, a purge or a rewrite of rows:
        # the data cannot come back and the rollback stops, loudly, at this revision
        return _locking_if(postgres, up, constants)
    if raised is not None:
        issues.append(Issue(raised.lineno, raised.col_offset + 1, "irreversible", "downgrade-raises", "downgrade()",
                            "downgrade() raises instead of undoing upgrade()", (down_span, up_head)))
        return issues + _locking_if(postgres, up, constants)
    if empty_body(down.body):
        if _docstring_says_why(down):
            return issues + _locking_if(postgres, up, constants)  # """This migration does not support downgrades."""
        if nothing_to_undo(up, functions, constants) or recreates_what_it_drops(up, functions, constants):
            # VALIDATE CONSTRAINT, an index, DROP NOT NULL; DROP CONSTRAINT IF EXISTS x, then x again
            return issues + _locking_if(postgres, up, constants)
        if not empty_body(up.body):
            # After a data-only upgrade (a backfill, a dedup, a purge) an empty
            # downgrade() is the usual, deliberate answer: the schema is back as it
            # was; only --data-loss asks about the rows.
            category: Category = "lossy" if data_only(up, functions, constants) else "irreversible"
            issues.append(Issue(down.lineno, down.col_offset + 1, category, "empty-downgrade", "downgrade()",
                                "downgrade() is empty (pass): a rollback leaves upgrade()'s changes in place",
                                (down_span, up_head)))
        return issues + _locking_if(postgres, up, constants)
    forward, backward = _read(up, constants), _read(down, constants)
    acks = (down_span, up_head)
    for table, node in forward.dropped_tables:
        # A table upgrade() itself made (SQLite's rebuild: rename x to x_tmp,
        # create x, copy, drop x_tmp) is its own scaffolding, not the schema's.
        temporary = table in forward.created_tables or table in forward.renamed_into
        if table not in backward.created_tables and not temporary:
            issues.append(Issue(node.lineno, node.col_offset + 1, "irreversible", "drop-table", f"drop_table {table}",
                                f"upgrade() drops table {table} and downgrade() does not create it again",
                                (span(node), *acks)))
    for table, column, node in forward.dropped_columns:
        # A column upgrade() renamed into being (day -> day_string, add a new day,
        # copy, drop day_string) was the original `day`: re-adding `day` restores it.
        original = forward.renamed_columns.get((table, column), column)
        # downgrade() may rename the table back first (rename_table(new, old)) and re-add the column
        # under the old name (manila 03da71c0e321): follow the renames.
        names = _renamed_names(table, backward.table_renames)
        if ({(name, c) for name in names for c in (column, original)} & backward.added_columns
                or names & backward.created_tables):
            continue
        if table in forward.created_tables:
            continue  # a column of a table this upgrade() creates did not exist before it: scaffolding
        issues.append(Issue(node.lineno, node.col_offset + 1, "irreversible", "drop-column",
                            f"drop_column {table}.{column}",
                            f"upgrade() drops column {table}.{column} and downgrade() does not add it back",
                            (span(node), *acks)))
    if not backward.any_data_step:
        for keyword, target, dropped, node in forward.data_steps:
            if target and (target[0] in forward.created_tables or target in forward.added_columns
                           or target[0] == "*" and any(c == target[1] for _, c in forward.added_columns)):
                continue  # fills a column this revision adds: dropping it undoes the fill
            if dropped and dropped <= backward.created_tables:
                continue
            issues.append(Issue(node.lineno, node.col_offset + 1, "lossy", "data-step", f"execute {keyword}",
                                f"upgrade() runs {keyword} with {_owner(node)}.execute and downgrade() has no data "
                                "step to undo it", (span(node), *acks)))
    if postgres:
        issues.extend(_locking(up, constants, forward))
    return issues


def _renamed_names(table: str, renames: dict[str, str]) -> set[str]:
    """``table`` and the names downgrade()'s rename_table calls give it, one after the other."""
    names = {table}
    while table in renames and renames[table] not in names:
        table = renames[table]
        names.add(table)
    return names


# Operations that change the schema; everything else upgrade() may do (op.execute
# of DML, a session, bulk_insert, the project's own helpers) changes rows only.
_SCHEMA_OPS = frozenset(
    "create_table drop_table add_column drop_column alter_column create_index drop_index create_foreign_key "
    "create_unique_constraint create_check_constraint create_primary_key create_exclude_constraint "
    "drop_constraint rename_table batch_alter_table create_table_comment drop_table_comment".split()
)
_DDL_SQL = re.compile(r"(?i)\b(?:CREATE|ALTER|DROP|RENAME|COMMENT\s+ON)\b")


# Helpers that build schema objects: sqlalchemy-utils' sync_trigger, a
# project's create_search_index(), metadata.create_all().
_SCHEMA_HELPER = re.compile(r"^(?:create|drop|sync|alter|rename|add|remove|install|refresh)_\w*?"
                            r"(?:trigger|index|view|extension|function|table|column|constraint|schema|sequence|enum)"
                            r"s?$|^(?:create|drop)_all$")


_TEMP_TABLE = re.compile(r"(?i)\bCREATE\s+(?:GLOBAL\s+|LOCAL\s+)?TEMP(?:ORARY)?\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?[\"`]?(\w+)")
# Scaffolding that leaves the schema as it was: triggers switched off and on, session settings.
# A sequence moved past the rows (``ALTER SEQUENCE t_id_seq RESTART WITH n``, as ``setval``; renku
# 46236d8d7cbe) is a repair of data the previous release needs too, not a schema change.
_SCAFFOLDING = re.compile(r"(?is)^\s*(?:ALTER\s+TABLE\s+[\w.\"`]+\s+(?:DISABLE|ENABLE)\s+TRIGGER\b|SET\b|RESET\b"
                          r"|ALTER\s+SEQUENCE\s+(?:IF\s+EXISTS\s+)?[\w.\"`]+\s+RESTART\b(?:\s+WITH\b)?\s*(?:\d+|:\w+|%s|%\(\w+\)s|\?)?\s*$)")


def _schema_sql(sql: str) -> bool:
    """Does this SQL change the schema? A temporary table (and the index or the
    DROP of it) and toggling triggers for the length of a data fix do not."""
    text = strip_sql(sql)
    temporary = {name.lower() for name in _TEMP_TABLE.findall(text)}
    for statement in text.split(";"):
        if not _DDL_SQL.search(statement) or _TEMP_TABLE.search(statement) or _SCAFFOLDING.match(statement):
            continue
        words = {word.lower() for word in re.findall(r"\w+", statement)}
        if temporary and words & temporary:
            continue  # CREATE INDEX ... ON merge_map, DROP TABLE merge_map
        return True
    return False


def data_only(up: ast.FunctionDef, functions: dict[str, ast.FunctionDef], constants: dict[str, ast.expr]) -> bool:
    """upgrade() (and the module's functions it calls) changes rows, not the
    schema: no schema operation, no DDL in ``op.execute``, no schema helper,
    and no ``op.execute`` of a statement imported from elsewhere (a library's
    DDL, such as sqlalchemy-searchable's ``sql_expressions``)."""
    for function in functions_reached(up, functions):
        local = {t.id for node in ast.walk(function) if isinstance(node, (ast.Assign, ast.For, ast.With))
                 for t in ast.walk(node) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            name = call_name(node)
            if name in _SCHEMA_OPS or _SCHEMA_HELPER.match(name):
                return False
            if name == "execute" and isinstance(node.func, ast.Attribute) and node.args:
                statement = node.args[0]
                sql = string_value(statement, constants)
                if sql is not None and _schema_sql(sql):
                    return False
                if sql is None and isinstance(statement, ast.Name) and statement.id not in local and statement.id not in constants:
                    return False  # not ours to read: could be DDL
    return True


# What an upgrade() may do and leave in place on a rollback: the previous release
# runs on the schema as it is (an index more or less, a constraint now validated,
# a column that now accepts NULL or longer text), and undoing it would only cost a
# lock (or, for the text, cut values).
_HARMLESS_SQL = re.compile(
    r"(?is)^\s*(?:CREATE\s+INDEX\b|DROP\s+INDEX\b|REINDEX\b|ANALY[SZ]E\b|VACUUM\b|SET\b|RESET\b|COMMENT\s+ON\b"
    r"|ALTER\s+TABLE\s+(?:ONLY\s+)?[\w.\"`]+\s+(?:VALIDATE\s+CONSTRAINT\b"
    r"|ALTER\s+(?:COLUMN\s+)?[\w\"`]+\s+DROP\s+NOT\s+NULL\s*$)|$)")
_HARMLESS_OPS = frozenset({"create_index", "drop_index", "alter_column", "f", "get_bind", "get_context",
                           "autocommit_block", "batch_alter_table"})
_ROW_WRITES = frozenset({"add", "add_all", "merge", "delete", "update", "insert", "commit", "flush", "bulk_insert",
                         "executemany", "bulk_save_objects", "bulk_insert_mappings", "bulk_update_mappings"})


def nothing_to_undo(up: ast.FunctionDef, functions: dict[str, ast.FunctionDef], constants: dict[str, ast.expr]) -> bool:
    """upgrade() only adds: plain indexes (or drops them), nullable columns (with a
    foreign key or a fill of their own), tables, a validated constraint, a column
    that now accepts NULL (``alter_column(..., nullable=True)``) or a wider type
    (``String(30)`` -> ``String(80)`` / ``Text``, ``Integer`` -> ``BigInteger``):
    an empty downgrade() leaves a schema the previous release runs on, so there is
    nothing to roll back. A unique index, a narrowing, a rename, a drop or any
    other row write is not harmless."""
    reached = functions_reached(up, functions)
    added: set[str] = set()  # columns (by name) and tables this upgrade() adds
    created: set[str] = set()
    for function in reached:
        body = _read(function, constants)
        added |= {column for _, column in body.added_columns}
        created |= body.created_tables
    seen = False
    fills: set[int] = set()  # calls inside an op.execute(update(T).values(new=...)) of a column added here
    swapped = _foreign_keys_swapped(reached, constants)
    for function in reached:
        for node in ast.walk(function):
            if not isinstance(node, ast.Call) or id(node) in fills:
                continue
            name = call_name(node)
            if name == "execute" and isinstance(node.func, ast.Attribute) and node.args:
                fill = _fills_added(node.args[0], added)
                if fill:
                    fills |= fill
                    continue
            if name in _ROW_WRITES:
                return False
            keywords = {kw.arg: kw.value for kw in node.keywords}
            if name in ("create_index", "drop_index"):
                if _is_true(keywords.get("unique")):
                    return False
                seen = True
            elif name == "add_column":
                column = next((a for a in (*node.args, *keywords.values())
                               if isinstance(a, ast.Call) and call_name(a) == "Column"), None)
                if column is None or not _nullable(column):
                    return False
                seen = True
            elif name == "create_table":
                seen = True  # a new table: the previous release never reads it
            elif name in ("create_foreign_key", "drop_constraint") and _constraint_key(node, constants) in swapped:
                seen = True  # a foreign key re-created under its name (another ondelete): same columns, same rows
            elif name == "create_foreign_key":
                local = keywords.get("local_cols") or (
                    node.args[3] if len(node.args) >= 5 else node.args[2] if len(node.args) == 4 else None)
                names = {_norm(string_value(e, constants)) for e in local.elts} if isinstance(local, (ast.List, ast.Tuple)) else set()
                if not names or not names <= added:
                    return False  # a new constraint on existing data: rows may break it on the way back
                seen = True
            elif name == "alter_column":
                # NULL allowed, or a type widened (String(30) -> String(80), -> Text, Integer -> BigInteger)
                relaxed = _is_true(keywords.get("nullable")) and "type_" not in keywords
                widened = "nullable" not in keywords and _widens(keywords.get("existing_type"), keywords.get("type_"))
                if not (relaxed or widened) or set(keywords) - {
                        "nullable", "type_", "existing_type", "existing_nullable", "existing_server_default", "schema",
                        "table_name", "column_name"}:
                    return False
                seen = True
            elif name == "execute" and isinstance(node.func, ast.Attribute) and node.args:
                sql = string_value(node.args[0], constants)
                if sql is None or not all(_HARMLESS_SQL.match(part) or _adds_nullable_sql(part)
                                          or _additive_alter(part, added, created)
                                          for part in strip_sql(sql).split(";")):
                    return False
                seen = seen or bool(strip_sql(sql).strip(" ;\n"))
            elif (name in _SCHEMA_OPS or _SCHEMA_HELPER.match(name)) and name not in _HARMLESS_OPS:
                return False
    return seen


def _constraint_key(node: ast.Call, constants: dict[str, ast.expr]) -> tuple[str, str] | None:
    """(table, name) of ``drop_constraint(name, table)`` / ``create_foreign_key(name, table, ...)``."""
    table = _norm(string_value(arg(node, 1, "source_table" if call_name(node) == "create_foreign_key"
                                   else "table_name"), constants))
    name = _norm(string_value(arg(node, 0, "constraint_name"), constants))
    return (table, name) if table and name else None


def _foreign_keys_swapped(reached: list[ast.FunctionDef], constants: dict[str, ast.expr]) -> set[tuple[str, str]]:
    """The foreign keys upgrade() drops and creates again under the same name on the same
    table (``drop_constraint("step_plan_id_fkey", "step")`` then
    ``create_foreign_key("step_plan_id_fkey", "step", "plan", ["plan_id"], ["id"], ondelete="CASCADE")``):
    the same columns pointing at the same rows, with another ``ondelete``/``onupdate``.
    The previous release runs unchanged on either; only what a DELETE of a parent does differs."""
    dropped: set[tuple[str, str]] = set()
    created: set[tuple[str, str]] = set()
    for function in reached:
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            name = call_name(node)
            key = _constraint_key(node, constants) if name in ("drop_constraint", "create_foreign_key") else None
            if key is None:
                continue
            if name == "drop_constraint":
                kind = _norm(string_value(arg(node, 2, "type_"), constants))
                if kind in (None, "foreignkey"):
                    dropped.add(key)
            else:
                created.add(key)
    return dropped & created


_DROP_IF_EXISTS_SQL = re.compile(
    r"(?is)^\s*(?:ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?([\w.\"`]+)\s+DROP\s+CONSTRAINT\s+IF\s+EXISTS"
    r"|DROP\s+INDEX\s+(?:CONCURRENTLY\s+)?IF\s+EXISTS)\s+([\w.\"`]+)\s*(?:CASCADE|RESTRICT)?\s*$")
_RECREATE_SQL = re.compile(
    r"(?is)^\s*(?:ALTER\s+TABLE\s+(?:ONLY\s+)?([\w.\"`]+)\s+ADD\s+CONSTRAINT\s+([\w\"`]+)\b"
    r"|CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?([\w\"`]+)\s+ON\s+(?:ONLY\s+)?([\w.\"`]+))")
_RECREATE_OPS = frozenset({"create_unique_constraint", "create_index", "create_check_constraint", "create_foreign_key",
                           "create_primary_key", "create_exclude_constraint"})


def recreates_what_it_drops(up: ast.FunctionDef, functions: dict[str, ast.FunctionDef],
                            constants: dict[str, ast.expr]) -> bool:
    """upgrade() is an idempotent repair: it drops constraints or indexes *if they exist*
    (``DROP CONSTRAINT IF EXISTS ux``, ``drop_index(..., if_exists=True)``) and creates each
    again under the same name on the same table, and does nothing else (QCFractal
    34d57d259c11). The schema after it is the one the models describe, before and
    after a rollback; there is nothing for downgrade() to undo. A drop without
    ``IF EXISTS`` and a create of the same name is a change of definition: reported."""
    dropped: set[tuple[str, str]] = set()
    created: set[tuple[str, str]] = set()
    for function in functions_reached(up, functions):
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            name = call_name(node)
            keywords = {kw.arg: kw.value for kw in node.keywords}
            if name == "execute" and isinstance(node.func, ast.Attribute) and node.args:
                sql = string_value(node.args[0], constants)
                if sql is None:
                    return False
                for statement in strip_sql(sql).split(";"):
                    drop, make = _DROP_IF_EXISTS_SQL.match(statement), _RECREATE_SQL.match(statement)
                    if drop:
                        dropped.add((_norm(drop.group(1)) or "", _norm(drop.group(2)) or ""))
                    elif make and make.group(2):
                        created.add((_norm(make.group(1)) or "", _norm(make.group(2)) or ""))
                    elif make:
                        created.add((_norm(make.group(4)) or "", _norm(make.group(3)) or ""))
                    elif statement.strip() and not re.match(r"(?i)^\s*(?:SET|RESET)\b", statement):
                        return False
            elif name in ("drop_constraint", "drop_index"):
                if not _is_true(keywords.get("if_exists")):
                    return False
                dropped.add((_norm(string_value(arg(node, 1, "table_name"), constants)) or "",
                             _norm(string_value(arg(node, 0, "constraint_name" if name == "drop_constraint"
                                                    else "index_name"), constants)) or ""))
            elif name in _RECREATE_OPS:
                table = arg(node, 1, "source_table" if name == "create_foreign_key" else "table_name")
                created.add((_norm(string_value(table, constants)) or "",
                             _norm(string_value(arg(node, 0, "constraint_name" if name != "create_index"
                                                    else "index_name"), constants)) or ""))
            elif name in _SCHEMA_OPS or name in _ROW_WRITES or _SCHEMA_HELPER.match(name):
                return False
    if not dropped or any(not name for _, name in dropped | created):
        return False
    names = {name.split(".")[-1] for _, name in created}
    tables = {name.split(".")[-1]: table for table, name in created}
    return all(name.split(".")[-1] in names and (not table or not tables[name.split(".")[-1]]
                                                 or table == tables[name.split(".")[-1]])
               for table, name in dropped) and len(names) == len({name.split(".")[-1] for _, name in dropped})


_ADD_COLUMN_ONLY = re.compile(r"(?is)^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?[\w.\"`]+\s+ADD\s+"
                              r"(?!CONSTRAINT\b|PRIMARY\b|UNIQUE\b|FOREIGN\b|CHECK\b|EXCLUDE\b|INDEX\b|KEY\b)"
                              r"(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?[\w\"`]+\s+[^,]*$")
_NOT_ADDITIVE = re.compile(r"(?i)\bNOT\s+NULL\b|\bPRIMARY\b|\bUNIQUE\b|\bREFERENCES\b|\bCHECK\b")


def _adds_nullable_sql(statement: str) -> bool:
    """``ALTER TABLE t ADD COLUMN x varchar(13)``: one nullable column, no constraint."""
    flat = re.sub(r"\([^()]*\)", "", statement)  # numeric(10, 2): not a second clause
    return bool(_ADD_COLUMN_ONLY.match(flat)) and not _NOT_ADDITIVE.search(flat)


_ALTER_TABLE = re.compile(r"(?is)^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?[\"`\[]?([\w.]+)[\"`\]]?\s+(.*\S)\s*$")
_ADD_NEW_COLUMN = re.compile(r"(?is)^ADD\s+(?!CONSTRAINT\b|PRIMARY\b|UNIQUE\b|FOREIGN\b|CHECK\b|EXCLUDE\b|INDEX\b|KEY\b"
                             r"|FULLTEXT\b|SPATIAL\b)(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?[\"`\[]?(\w+)[\"`\]]?\s+(.*)$")
_ADD_PLAIN_INDEX = re.compile(r"(?is)^ADD\s+(?:INDEX|KEY)\b")
_ADD_FOREIGN_KEY = re.compile(r"(?is)^ADD\s+(?:CONSTRAINT\s+[\"`\[]?\w*[\"`\]]?\s+)?FOREIGN\s+KEY\s*(?:[\"`]?\w+[\"`]?\s*)?\(([^)]*)\)\s*REFERENCES\b")
_INLINE_NOT_ADDITIVE = re.compile(r"(?i)\bNOT\s+NULL\b|\bPRIMARY\b|\bUNIQUE\b|\bCHECK\b")


def _clauses(text: str) -> list[str]:
    """``ADD COLUMN a INT(11), ADD INDEX b (a)``: the comma-separated clauses, not split inside parentheses."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [part for part in parts if part]


def _additive_alter(statement: str, added: set[str], created: set[str]) -> bool:
    """Raw-SQL forms of the additive cases (MySQL and PostgreSQL spellings): an
    ``ALTER TABLE`` on a table this upgrade() creates (``AUTO_INCREMENT=...``), or one
    whose every clause adds a nullable column (``ADD COLUMN x INT(11) DEFAULT NULL``,
    an inline ``REFERENCES``), a plain index, or a foreign key on the columns this
    revision adds."""
    match = _ALTER_TABLE.match(statement)
    if not match:
        return False
    table = _norm(match.group(1)) or ""
    if table in {_norm(name) for name in created}:
        return True
    new: set[str] = set()
    foreign: list[str] = []
    for clause in _clauses(match.group(2)):
        column = _ADD_NEW_COLUMN.match(clause)
        if column and not _INLINE_NOT_ADDITIVE.search(column.group(2)):
            new.add(column.group(1).lower())
            continue
        if _ADD_PLAIN_INDEX.match(clause):
            continue
        key = _ADD_FOREIGN_KEY.match(clause)
        if key:
            foreign.extend(c.strip(" `\"[]").lower() for c in key.group(1).split(","))
            continue
        return False
    known = new | {c.lower() for c in added}
    return bool(new or foreign) and all(c in known for c in foreign)


_INT_RANK = {"smallinteger": 2, "integer": 4, "int": 4, "biginteger": 8, "bigint": 8}


def _widens(old: ast.AST | None, new: ast.AST | None) -> bool:
    """A type every old value fits in: longer or unlimited text (from a known
    text type), a larger integer; ``BigInteger`` whatever it was (``type_`` alone,
    autogenerate's shape: only an integer converts to it without ``USING``)."""
    if new is None:
        return False
    new_name = call_name(new).lower() if isinstance(new, ast.Call) else _attr_name(new)
    if old is None:
        return new_name in ("biginteger", "bigint")
    old_name = call_name(old).lower() if isinstance(old, ast.Call) else _attr_name(old)
    if old_name in _INT_RANK and new_name in _INT_RANK:
        return _INT_RANK[new_name] >= _INT_RANK[old_name]
    return old_name in _TEXT_NAMES and new_name in _TEXT_NAMES and not _type_rewrites(old, new)


_TEXT_NAMES = frozenset({"string", "varchar", "unicode", "text", "unicodetext"})


def _attr_name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr.lower()
    return node.id.lower() if isinstance(node, ast.Name) else ""


def _nullable(column: ast.Call) -> bool:
    """``sa.Column("x", sa.Text)``: NULL allowed (SQLAlchemy's default), not a key."""
    keywords = {kw.arg: kw.value for kw in column.keywords}
    nullable = keywords.get("nullable")
    return not (isinstance(nullable, ast.Constant) and nullable.value is False) and not _is_true(keywords.get("primary_key"))


def _fills_added(statement: ast.AST, added: set[str]) -> set[int]:
    """``sa.update(T).values({T.new: ...})`` (or ``values(new=...)``) setting only
    columns this upgrade() adds: the ids of its calls, else an empty set."""
    calls = [part for part in ast.walk(statement) if isinstance(part, ast.Call)]
    if not any(call_name(part) == "update" for part in calls):
        return set()
    columns: set[str] = set()
    for part in calls:
        if call_name(part) != "values":
            continue
        columns |= {kw.arg.lower() for kw in part.keywords if kw.arg}
        for value in part.args:
            if not isinstance(value, ast.Dict):
                return set()
            for key in value.keys:
                column = _attr_name(key) if isinstance(key, (ast.Attribute, ast.Name)) else (
                    key.value.lower() if isinstance(key, ast.Constant) and isinstance(key.value, str) else "")
                columns.add(column)
    if not columns or not columns <= {c.lower() for c in added}:
        return set()
    return {id(part) for part in calls}


def _docstring_says_why(down: ast.FunctionDef) -> bool:
    """An empty downgrade() whose docstring says it is one-way on purpose (four
    words or more, not a placeholder), like a comment would."""
    from hooks.checks.require_reversible_migrations.common import placeholder

    doc = ast.get_docstring(down) or ""
    return bool(doc) and not placeholder(doc) and len(doc.split()) >= 4


def _is_base_revision(tree: ast.Module) -> bool:
    """``down_revision = None`` (or ``down_revision: str | None = None``) at module level."""
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if any(isinstance(t, ast.Name) and t.id == "down_revision" for t in targets):
            return isinstance(value, ast.Constant) and value.value is None
    return False


def _gives_a_reason(raised: ast.Raise, constants: dict[str, ast.expr]) -> bool:
    """``raise NotImplementedError("Downgrading would discard the history; restore
    a backup")``: the revision says why it cannot be undone, as ``# irreversible:``
    would. A bare raise, or a placeholder message (``"TODO"``), is no reason."""
    from hooks.checks.require_reversible_migrations.common import placeholder

    exc = raised.exc
    message = string_value(exc.args[0], constants) if isinstance(exc, ast.Call) and exc.args else None
    return bool(message) and not placeholder(message or "") and len((message or "").split()) >= 4


def bare_refusal(tree: ast.Module) -> bool | None:
    """Whether downgrade() is a bare ``raise NotImplementedError`` (no message) and
    upgrade() throws data away (``drops_data``): True for such a refusal after a drop,
    False after an upgrade() that only adds or moves indexes, constraints or triggers
    (the raise blocks every rollback for nothing), None when downgrade() is no bare raise."""
    functions = module_functions(tree)
    up, down = functions.get("upgrade"), functions.get("downgrade")
    raised = raises_not_implemented(down.body) if down is not None else None
    if up is None or raised is None:
        return None
    exc = raised.exc
    if isinstance(exc, ast.Call) and not exc.args and not exc.keywords:
        exc = exc.func
    if not (isinstance(exc, ast.Name) and exc.id == "NotImplementedError"):
        return None
    return drops_data(up, functions, module_constants(tree))


_DOLLAR_QUOTED = re.compile(r"(?s)\$(\w*)\$.*?\$\1\$")
_DROPS_SQL = re.compile(r"(?is)\bDROP\s+TABLE\b|\bDELETE\s+FROM\b|\bTRUNCATE\b"
                        r"|\bALTER\s+TABLE\b[^;]*?\bDROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?"
                        r"(?!CONSTRAINT\b|INDEX\b|DEFAULT\b|NOT\b|TRIGGER\b|IDENTITY\b|EXPRESSION\b|KEY\b)[\"`\[]?\w")
_ROW_DELETERS = frozenset({"delete", "truncate"})


def drops_data(up: ast.FunctionDef, functions: dict[str, ast.FunctionDef], constants: dict[str, ast.expr]) -> bool:
    """upgrade() (or a module function it calls) throws data away: it drops a table or a
    column (``drop_table``, ``drop_column``, ``DROP TABLE``, ``ALTER TABLE t DROP COLUMN c``)
    or deletes rows (``DELETE FROM``, ``TRUNCATE``, ``session.delete(row)``, ``t.delete()``).
    Narrower than ``destroys_data``: an ``UPDATE`` (a recompute, a touch that fires a trigger)
    and SQL inside a function body (``CREATE FUNCTION ... $$ ... $$``) do not count."""
    return _loses_data(up, functions, constants, _drops_sql, _drops_sql, _ROW_DELETERS, type_changes=False)


def _drops_sql(sql: str) -> bool:
    return bool(_DROPS_SQL.search(_DOLLAR_QUOTED.sub(" ", strip_sql(sql))))


def _loses_data(up: ast.FunctionDef, functions: dict[str, ast.FunctionDef], constants: dict[str, ast.expr],
                literal_sql: Callable[[str], bool], named_sql: Callable[[str], bool], row_calls: frozenset[str],
                type_changes: bool) -> bool:
    """The walk ``drops_data`` and ``destroys_data`` share: a SQL string in upgrade() or a function
    it calls (``literal_sql``; a docstring is not SQL), ``op.execute(NAME)`` of a module constant
    (``named_sql``), ``drop_table``/``drop_column``, a row call on an object (``row_calls``), and,
    with ``type_changes``, an ``alter_column`` type change that does not widen."""
    for function in functions_reached(up, functions):
        docstring = function.body[0].value if (function.body and isinstance(function.body[0], ast.Expr)
                                               and isinstance(function.body[0].value, ast.Constant)) else None
        for node in ast.walk(function):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node is not docstring:
                if literal_sql(node.value):
                    return True
            if not isinstance(node, ast.Call):
                continue
            name = call_name(node)
            if name in ("drop_table", "drop_column") or name in row_calls and isinstance(node.func, ast.Attribute):
                return True
            if name == "execute" and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in constants:
                sql = string_value(node.args[0], constants)
                if sql and named_sql(sql):
                    return True
            if type_changes and name == "alter_column":
                keywords = {kw.arg: kw.value for kw in node.keywords}
                if "type_" in keywords and not _widens(keywords.get("existing_type"), keywords.get("type_")):
                    return True
    return False


_NOT_IMPLEMENTED = re.compile(r"(?i)^\W*(?:not\s*(?:yet\s*)?implemented|notimplemented(?:error)?)\W*$")


def _says_no(raised: ast.Raise, constants: dict[str, ast.expr]) -> bool:
    """``raise Exception("Won't")``: a message, however short, that is no
    placeholder (``TODO``, ``!``) and not the exception's own name (``"not implemented"``)."""
    from hooks.checks.require_reversible_migrations.common import placeholder

    exc = raised.exc
    message = string_value(exc.args[0], constants) if isinstance(exc, ast.Call) and exc.args else None
    return bool(message) and not placeholder(message or "") and not _NOT_IMPLEMENTED.match(message or "")


# MySQL's multi-table UPDATE (UPDATE folder INNER JOIN account ON ... SET ...), which
# destructive_sql's single-table UPDATE ... SET does not read.
_UPDATE_JOIN_SQL = re.compile(r"(?is)\bUPDATE\s+[\w.`\"]+(?:\s+(?:AS\s+)?\w+)?\s+(?:(?:INNER|LEFT|RIGHT|CROSS|STRAIGHT)\s+)?(?:OUTER\s+)?JOIN\b.*?\bSET\b")
# ORM and SQLAlchemy calls that delete or rewrite existing rows.
_ROW_DESTROYERS = frozenset({"delete", "update", "bulk_update_mappings", "truncate"})


def destroys_data(up: ast.FunctionDef, functions: dict[str, ast.FunctionDef], constants: dict[str, ast.expr]) -> bool:
    """upgrade() (or a module function it calls) loses data a downgrade could not
    bring back: it drops a table or column, changes a column's type other than by
    widening it, or deletes or rewrites rows (``DELETE``/``UPDATE``/``TRUNCATE``/``DROP``
    in any SQL string, ``session.delete(row)``, ``query.update(...)``, ``t.delete()``)."""
    return _loses_data(up, functions, constants,
                       lambda sql: bool(destructive_sql(sql) or _UPDATE_JOIN_SQL.search(strip_sql(sql))),
                       lambda sql: bool(destructive_sql(sql)), _ROW_DESTROYERS, type_changes=True)


def _locking_if(postgres: bool, up: ast.FunctionDef, constants: dict[str, ast.expr]) -> list[Issue]:
    return list(_locking(up, constants)) if postgres else []


def _owner(node: ast.Call) -> str:
    owner = node.func.value if isinstance(node.func, ast.Attribute) else None
    return owner.id if isinstance(owner, ast.Name) else "op"


def _locking(up: ast.FunctionDef, constants: dict[str, ast.expr], body: _Body | None = None) -> Iterator[Issue]:
    body = body or _read(up, constants)
    for method, batch, node in body.calls:
        where = (node.lineno, node.col_offset + 1)
        if method == "create_index":
            table = batch or _norm(string_value(arg(node, 1, "table_name"), constants))
            concurrently = any(kw.arg == "postgresql_concurrently" and isinstance(kw.value, ast.Constant)
                               and kw.value.value is True for kw in node.keywords)
            if not concurrently and table not in body.created_tables:
                name = _norm(string_value(arg(node, 0, "index_name"), constants)) or "?"
                yield Issue(*where, "locking", "add-index", f"create_index {name}",
                            f"create_index {name} on {table or '?'} blocks writes while it builds "
                            "(pass postgresql_concurrently=True, outside a transaction)")
        elif method == "add_column":
            column = arg(node, 0 if batch else 1, "column")
            if isinstance(column, ast.Call) and _not_null_without_default(column):
                table = batch or _norm(string_value(arg(node, 0, "table_name"), constants)) or "?"
                name = _norm(string_value(arg(column, 0, "name"), constants)) or "?"
                yield Issue(*where, "locking", "not-null-no-default", f"add_column {table}.{name}",
                            f"add_column {table}.{name} is NOT NULL without a server_default: "
                            "it fails on a table with rows")
        elif method == "alter_column":
            new_type = next((kw.value for kw in node.keywords if kw.arg == "type_"), None)
            old_type = next((kw.value for kw in node.keywords if kw.arg == "existing_type"), None)
            other_dialect = _dialect(new_type) not in ("", "postgresql", "sa", "sqlalchemy")
            if new_type is not None and not other_dialect and _type_rewrites(old_type, new_type):
                table = batch or _norm(string_value(arg(node, 0, "table_name"), constants)) or "?"
                name = _norm(string_value(arg(node, 0 if batch else 1, "column_name"), constants)) or "?"
                yield Issue(*where, "locking", "rewrite", f"alter_column {table}.{name}",
                            f"alter_column {table}.{name} changes the column type: "
                            "PostgreSQL rewrites the table under an exclusive lock")
        elif method == "execute" and node.args:
            sql = string_value(node.args[0], constants) or ""
            if _INDEX_SQL.search(strip_sql(sql)):
                yield Issue(*where, "locking", "add-index", "execute CREATE INDEX",
                            "upgrade() runs CREATE INDEX without CONCURRENTLY: it blocks writes while it builds")


def _not_null_without_default(column: ast.Call) -> bool:
    keywords = {kw.arg: kw.value for kw in column.keywords}
    nullable = keywords.get("nullable")
    not_null = isinstance(nullable, ast.Constant) and nullable.value is False
    return not_null and "server_default" not in keywords and not _is_true(keywords.get("primary_key"))


def _is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


