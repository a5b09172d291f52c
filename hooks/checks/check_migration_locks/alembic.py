"""Alembic revisions for ``check-migration-locks``, read with ``ast``: the
``op`` calls of ``upgrade()`` (batch operations included, and the module's
functions it calls, ``common.migrations.upgrade_code``) and the SQL it runs
with ``op.execute``. Alembic runs a revision in one transaction unless a step
sits inside ``op.get_context().autocommit_block()``.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator

from hooks.checks.check_migration_locks import sql as sqlrules
from hooks.checks.check_migration_locks.rules import Finding
from hooks.common.migrations import (
    _dialect,
    _norm,
    _type_rewrites,
    arg,
    call_keywords,
    call_name,
    module_constants,
    module_functions,
    string_value,
    upgrade_code,
)
from hooks.core.records import field, record

_VOLATILE = ("gen_random_uuid", "uuid_generate_v4", "uuid_generate_v1", "random", "clock_timestamp", "timeofday",
             "uuid_generate_v1mc", "nextval")
_EXCLUSIVE = ("add_column", "alter_column", "drop_column", "create_unique_constraint", "create_check_constraint",
              "drop_constraint", "rename_table", "drop_table", "create_primary_key")
# PostgreSQL scans the table for a key added by its own ALTER TABLE, even on a
# column that is all NULL; the key added in the ADD COLUMN itself is valid at once.
_NEW_COLUMN = (" (the column is new, but Alembic adds the key in a second ALTER TABLE, which scans the table; "
               "op.execute(\"ALTER TABLE ... ADD COLUMN ... REFERENCES ...\") adds both without a scan)")


@record(frozen=True)
class Rename:
    line: int
    column: int
    kind: str  # "column" or "table"
    table: str
    old: str
    new: str


@record(frozen=True)
class ForeignColumn:
    line: int
    column: int
    table: str
    name: str
    indexed: bool


@record
class Result:
    findings: list[Finding] = field(default_factory=list)
    renames: list[Rename] = field(default_factory=list)
    foreign: list[ForeignColumn] = field(default_factory=list)
    indexes: set[tuple[str, str]] = field(default_factory=set)  # (table, first column)
    added: set[tuple[str, str]] = field(default_factory=set)  # (table, column) added by add_column
    exclusive_line: int = 0
    lock_timeout: bool = False
    fresh: bool = False


def is_revision(tree: ast.Module) -> bool:
    return "upgrade" in module_functions(tree)


def _initial(tree: ast.Module) -> bool:
    constants = module_constants(tree)
    down = constants.get("down_revision")
    return isinstance(down, ast.Constant) and down.value is None


def analyse(tree: ast.Module) -> Result:
    result = Result()
    up = upgrade_code(tree)
    if up is None:
        return result
    result.fresh = _initial(tree)
    constants = module_constants(tree)
    batches: dict[int, str] = {}  # id of a batch_op call -> the table of its batch_alter_table
    autocommit: set[int] = set()  # ids of calls inside autocommit_block()
    for node in ast.walk(up):
        if isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if not isinstance(call, ast.Call):
                    continue
                if call_name(call) == "batch_alter_table" and isinstance(item.optional_vars, ast.Name):
                    table = _norm(string_value(arg(call, 0, "table_name"), constants))
                    if table:  # each batch_op call belongs to the table of the ``with`` it sits in
                        variable = item.optional_vars.id
                        batches.update((id(inner), table) for statement in node.body for inner in ast.walk(statement)
                                       if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute)
                                       and isinstance(inner.func.value, ast.Name)
                                       and inner.func.value.id == variable)
                elif call_name(call) == "autocommit_block":
                    autocommit.update(id(inner) for inner in ast.walk(node) if isinstance(inner, ast.Call))
    scope = sqlrules.Scope()
    elsewhere = _other_dialect_calls(up)
    calls = [node for node in ast.walk(up) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and id(node) not in elsewhere]
    calls.sort(key=lambda node: (node.lineno, node.col_offset))
    for node in calls:  # tables created anywhere in upgrade() (or a function it calls) are new
        if node.func.attr == "create_table":  # type: ignore[attr-defined]
            table = _norm(string_value(arg(node, 0, "table_name"), constants))
            if table:
                scope.created.add(table)
                _table_columns(node, table, constants, result)
    for node in calls:
        method = node.func.attr  # type: ignore[attr-defined]
        batch = batches.get(id(node))
        column = arg(node, 0 if batch else 1, "column") if method == "add_column" else None
        if isinstance(column, ast.Call):
            table = batch or _text(arg(node, 0, "table_name"), constants)
            name = _column_parts(column, constants)[0]
            if table and name:
                result.added.add((table, name))
    loops = _literal_loops(up, constants)
    for node in calls:
        method = node.func.attr  # type: ignore[attr-defined]
        batch = batches.get(id(node))
        for binding in loops.get(id(node), [{}]):
            result.findings.extend(finding for finding in _call(
                node, method, batch, constants | binding if binding else constants, scope, id(node) in autocommit,
                result) if not scope.spares(finding))
    result.lock_timeout = scope.lock_timeout
    if not result.exclusive_line and scope.access_exclusive:
        result.exclusive_line = scope.access_exclusive
    return result


MAX_LOOP = 50  # elements of a literal list a loop is expanded over


def _literal_loops(up: ast.AST, constants: dict[str, ast.expr]) -> dict[int, list[dict[str, ast.expr]]]:
    """Ids of the calls inside ``for a, b in <a literal list, or a module constant holding one>:`` -> one binding
    of the loop's names per element, so that each step is judged and named as the list spells it."""
    found: dict[int, list[dict[str, ast.expr]]] = {}
    for node in ast.walk(up):
        if not isinstance(node, ast.For):
            continue
        items = node.iter
        if isinstance(items, ast.Name) and items.id in constants:
            items = constants[items.id]
        if not isinstance(items, (ast.List, ast.Tuple)) or not items.elts or len(items.elts) > MAX_LOOP:
            continue
        bindings: list[dict[str, ast.expr]] = []
        for element in items.elts:
            if isinstance(node.target, ast.Name):
                bindings.append({node.target.id: element})
            elif (isinstance(node.target, (ast.Tuple, ast.List)) and isinstance(element, (ast.Tuple, ast.List))
                  and len(element.elts) == len(node.target.elts)):
                bindings.append({name.id: value for name, value in zip(node.target.elts, element.elts)
                                 if isinstance(name, ast.Name)})
            else:
                break
        else:
            for statement in node.body:
                for inner in ast.walk(statement):
                    if isinstance(inner, ast.Call) and id(inner) not in found:
                        found[id(inner)] = bindings
    return found


def _dialect_expr(node: ast.AST, names: set[str]) -> bool:
    """``op.get_bind().dialect.name``, ``context.get_context().dialect.name``, or a name set from one."""
    if isinstance(node, ast.Name):
        return node.id in names
    return (isinstance(node, ast.Attribute) and node.attr == "name" and isinstance(node.value, ast.Attribute)
            and node.value.attr == "dialect")


def _runs_on(test: ast.expr, names: set[str], flags: dict[str, ast.expr]) -> tuple[bool, bool] | None:
    """(body runs on PostgreSQL, else-branch runs on PostgreSQL) of an ``if`` on the dialect's name,
    or None when the test is not about the dialect."""
    if isinstance(test, ast.Name) and test.id in flags:
        test = flags[test.id]
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _runs_on(test.operand, names, flags)
        return None if inner is None else (inner[1], inner[0])
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and _dialect_expr(test.left, names)):
        return None
    op, right = test.ops[0], test.comparators[0]
    if isinstance(right, ast.Constant) and isinstance(right.value, str):
        values = {right.value}
    elif isinstance(right, (ast.Tuple, ast.List, ast.Set)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in right.elts):
        values = {e.value for e in right.elts}  # type: ignore[attr-defined]
    else:
        return None
    postgres = any(value.lower().startswith("postgres") for value in values)
    if isinstance(op, (ast.Eq, ast.In, ast.Is)):
        return postgres, not postgres
    if isinstance(op, (ast.NotEq, ast.NotIn, ast.IsNot)):
        return not postgres, postgres
    return None


def _other_dialect_calls(up: ast.AST) -> set[int]:
    """Ids of the calls in branches that run only on another database (``if dialect == "sqlite":``,
    the else of ``if op.get_bind().dialect.name == "postgresql":``): the PostgreSQL rules do not apply."""
    names: set[str] = set()
    flags: dict[str, ast.expr] = {}
    for node in ast.walk(up):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if _dialect_expr(node.value, names):
                names.add(node.targets[0].id)
            elif isinstance(node.value, ast.Compare):
                flags[node.targets[0].id] = node.value
    skipped: set[int] = set()
    for node in ast.walk(up):
        if not isinstance(node, ast.If):
            continue
        runs = _runs_on(node.test, names, flags)
        if runs is None:
            continue
        for on_postgres, branch in zip(runs, (node.body, node.orelse)):
            if not on_postgres:
                skipped.update(id(inner) for statement in branch for inner in ast.walk(statement)
                               if isinstance(inner, ast.Call))
    return skipped


def _text(node: ast.AST | None, constants: dict[str, ast.expr]) -> str | None:
    return _norm(string_value(_named(node), constants))


def _named(node: ast.AST | None) -> ast.AST | None:
    """The name inside ``op.f("ix_name")`` / ``conv("ix_name")``: a name given as is,
    past SQLAlchemy's naming convention."""
    while (isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords
           and call_name(node) in ("f", "conv")):
        node = node.args[0]
    return node


def _kw(node: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in node.keywords if kw.arg == name), None)


def _true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _literal_or_absent(node: ast.AST | None) -> bool:
    return node is None or isinstance(node, ast.Constant)


def _false(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _call(node: ast.Call, method: str, batch: str | None, constants: dict[str, ast.expr], scope: sqlrules.Scope,
          autocommit: bool, result: Result) -> Iterator[Finding]:
    where = (node.lineno, node.col_offset + 1)
    if method in _EXCLUSIVE:
        _exclusive(node, method, batch, constants, scope, autocommit, result)
    if method == "execute" and node.args:
        sql = string_value(node.args[0], constants)
        if sql:
            yield from sqlrules.judge(sql, scope, node.lineno, node.col_offset + 1, not autocommit, False,
                                      "op.execute: ")
    elif method == "create_index":
        table = batch or _text(arg(node, 1, "table_name"), constants) or "?"
        index = _text(arg(node, 0, "index_name"), constants) or "?"
        columns = arg(node, 1 if batch else 2, "columns")
        first = columns.elts[0] if isinstance(columns, (ast.List, ast.Tuple)) and columns.elts else None
        first_name = _text(first, constants)
        if first_name:
            result.indexes.add((table, first_name))
        what = f"create_index {index}"
        if _true(_kw(node, "postgresql_concurrently")):
            if not autocommit:
                yield Finding(*where, "concurrent-in-transaction", what, f"{what} on {table}", table,
                              "(postgresql_concurrently=True outside op.get_context().autocommit_block())")
        elif table not in scope.created and _literal_or_absent(_kw(node, "postgresql_concurrently")):
            # postgresql_concurrently=<a name>: the project chooses (an opt-in setting): its own handling
            yield Finding(*where, "index-not-concurrent", what, f"{what} on {table}", table)
    elif method == "add_column":
        table = batch or _text(arg(node, 0, "table_name"), constants) or "?"
        column = arg(node, 0 if batch else 1, "column")
        if isinstance(column, ast.Call) and table not in scope.created:
            yield from _add_column(column, table, where, constants, result)
            _mark_null(column, table, constants, scope)
    elif method == "alter_column":
        yield from _alter_column(node, batch, constants, scope, result)
    elif method == "create_foreign_key":
        table = batch or _text(arg(node, 1, "source_table"), constants) or "?"
        fk = _text(arg(node, 0, "constraint_name"), constants) or "?"
        local = arg(node, 2 if batch else 3, "local_cols")
        first = local.elts[0] if isinstance(local, (ast.List, ast.Tuple)) and local.elts else None
        first_name = _text(first, constants)
        if first_name:
            result.foreign.append(ForeignColumn(*where, table, first_name, False))
        if table not in scope.created and not _true(_kw(node, "postgresql_not_valid")):
            what = f"create_foreign_key {fk}" if fk != "?" else f"create_foreign_key {table}.{first_name or '?'}"
            detail = f"{what} on {table}" if fk != "?" else what
            if (table, first_name) in result.added:
                detail += _NEW_COLUMN
            yield Finding(*where, "fk-validated-on-add", what, detail, table)
    elif method == "create_check_constraint":
        table = batch or _text(arg(node, 1, "table_name"), constants) or "?"
        name = _text(arg(node, 0, "constraint_name"), constants) or "?"
        if table not in scope.created:
            what = f"create_check_constraint {name}"
            yield Finding(*where, "check-validated-on-add", what, f"{what} on {table}", table)
    elif method == "create_unique_constraint":
        table = batch or _text(arg(node, 1, "table_name"), constants) or "?"
        name = _text(arg(node, 0, "constraint_name"), constants) or "?"
        if table not in scope.created:
            what = f"create_unique_constraint {name}"
            yield Finding(*where, "unique-added", what, f"{what} on {table}", table)
    elif method == "rename_table":
        old, new = _text(arg(node, 0, "old_table_name"), constants), _text(arg(node, 1, "new_table_name"), constants)
        if old and new:
            result.renames.append(Rename(*where, "table", old, old, new))


def _exclusive(node: ast.Call, method: str, batch: str | None, constants: dict[str, ast.expr],
               scope: sqlrules.Scope, autocommit: bool, result: Result) -> None:
    """An ACCESS EXCLUSIVE step: the first one's line (no-lock-timeout); inside the revision's transaction,
    its table stays locked until the commit (backfill-under-lock)."""
    if not result.exclusive_line:
        table = batch or _text(arg(node, 1 if method == "create_unique_constraint" else 0, "table_name"), constants)
        if table not in scope.created:
            result.exclusive_line = node.lineno
    if autocommit or method in ("rename_table", "drop_table"):
        return
    second = method in ("create_unique_constraint", "create_check_constraint", "drop_constraint", "create_primary_key")
    locked = batch or _text(arg(node, 1 if second else 0, "table_name"), constants)
    if locked:
        scope.lock(locked, node.lineno, f"{method} {locked}")


def _column_parts(column: ast.Call, constants: dict[str, ast.expr]) -> tuple[str | None, dict[str, ast.expr], bool]:
    """(name, keywords, has a ForeignKey) of ``sa.Column(...)`` / ``mapped_column``."""
    name = _text(column.args[0], constants) if column.args else _text(_kw(column, "name"), constants)
    # sa.Column("c", sa.String(), **common), common a module-level dict literal: read as its keywords; a ** not
    # read is kept under the key "**" (nullable, server_default, index are then not known)
    merged, _ = call_keywords(column, {key: value for key, value in constants.items() if isinstance(value, ast.Dict)})
    keywords = {kw.arg or "**": kw.value for kw in merged}
    foreign = any(isinstance(a, ast.Call) and call_name(a) == "ForeignKey" for a in column.args)
    return name, keywords, foreign


def _mark_null(column: ast.Call, table: str, constants: dict[str, ast.expr], scope: sqlrules.Scope) -> None:
    """A column added without a server_default is NULL in every row: ``WHERE c IS NULL`` after it is every row."""
    name, keywords, _ = _column_parts(column, constants)
    generated = any(isinstance(a, ast.Call) and call_name(a) in ("Computed", "Identity") for a in column.args)
    if name and "server_default" not in keywords and "**" not in keywords and not generated:
        scope.added_null.add(f"{sqlrules.name(table)}.{name.lower()}")


def _add_column(column: ast.Call, table: str, where: tuple[int, int], constants: dict[str, ast.expr],
                result: Result) -> Iterator[Finding]:
    name, keywords, foreign = _column_parts(column, constants)
    what = f"add_column {table}.{name or '?'}"
    default = keywords.get("server_default")
    # sa.Computed / sa.Identity: PostgreSQL fills every row itself (GENERATED ... AS), as Django's GeneratedField
    generated = any(isinstance(a, ast.Call) and call_name(a) in ("Computed", "Identity") for a in column.args)
    if default is not None and _volatile(default, constants):
        yield Finding(*where, "volatile-default", what, f"{what} with a volatile server_default", table)
    elif "**" in keywords:
        pass  # **kwargs not read: nullable and server_default are not known
    elif (_false(keywords.get("nullable")) and default is None and not _true(keywords.get("primary_key"))
          and not generated):
        yield Finding(*where, "not-null-no-default", what, f"{what} is nullable=False without a server_default", table)
    if foreign:
        yield Finding(*where, "fk-validated-on-add", what, f"{what} with a ForeignKey{_NEW_COLUMN}", table)
        if name:
            result.foreign.append(ForeignColumn(*where, table, name, _true(keywords.get("index"))
                                                or _true(keywords.get("primary_key"))))
    if "**" in keywords:
        return
    if _true(keywords.get("unique")):
        yield Finding(*where, "unique-added", what, f"{what} (unique=True)", table)
    elif _true(keywords.get("index")):
        yield Finding(*where, "index-not-concurrent", what, f"{what} (index=True)", table)


def _alter_column(node: ast.Call, batch: str | None, constants: dict[str, ast.expr], scope: sqlrules.Scope,
                  result: Result) -> Iterator[Finding]:
    where = (node.lineno, node.col_offset + 1)
    table = batch or _text(arg(node, 0, "table_name"), constants) or "?"
    column = _text(arg(node, 0 if batch else 1, "column_name"), constants) or "?"
    what = f"alter_column {table}.{column}"
    renamed = _text(_kw(node, "new_column_name"), constants)
    if renamed and table not in scope.created:
        result.renames.append(Rename(*where, "column", table, column, renamed))
    if table in scope.created:
        return
    new_type, old_type = _kw(node, "type_"), _kw(node, "existing_type")
    other_dialect = _dialect(new_type) not in ("", "postgresql", "sa", "sqlalchemy")
    if new_type is not None and not other_dialect and _type_rewrites(old_type, new_type) and not _same(old_type,
                                                                                                     new_type):
        yield Finding(*where, "type-rewrite", what, f"{what} changes the column type", table)
    if _false(_kw(node, "nullable")) and not _false(_kw(node, "existing_nullable")) and column not in scope.validated:
        yield Finding(*where, "set-not-null", what, f"{what} sets nullable=False (SET NOT NULL)", table)


def _same(old: ast.AST | None, new: ast.AST) -> bool:
    return old is not None and ast.dump(old) == ast.dump(new)


def _table_columns(node: ast.Call, table: str, constants: dict[str, ast.expr], result: Result) -> None:
    """Foreign key columns of a new table, and which of them an index or key starts with."""
    for part in node.args[1:]:
        if not isinstance(part, ast.Call):
            continue
        kind = call_name(part)
        if kind in ("Column", "mapped_column"):
            name, keywords, foreign = _column_parts(part, constants)
            if name and foreign:
                result.foreign.append(ForeignColumn(part.lineno, part.col_offset + 1, table, name,
                                                    _true(keywords.get("index")) or _true(keywords.get("unique"))))
        elif kind == "ForeignKeyConstraint":
            columns = arg(part, 0, "columns")
            first = columns.elts[0] if isinstance(columns, (ast.List, ast.Tuple)) and columns.elts else None
            name = _text(first, constants)
            if name:
                result.foreign.append(ForeignColumn(part.lineno, part.col_offset + 1, table, name, False))
        elif kind in ("PrimaryKeyConstraint", "UniqueConstraint", "Index"):
            elements = part.args[1:] if kind == "Index" else part.args
            first = elements[0] if elements else None
            name = _text(first, constants)
            if name:
                result.indexes.add((table, name))
    # The first primary-key column of the table is indexed by the key.
    for part in node.args[1:]:
        if isinstance(part, ast.Call) and call_name(part) in ("Column", "mapped_column"):
            name, keywords, _ = _column_parts(part, constants)
            if name and _true(keywords.get("primary_key")):
                result.indexes.add((table, name))
                break


def _volatile(node: ast.AST, constants: dict[str, ast.expr]) -> bool:
    text = string_value(node, constants)
    if text is not None:
        return any(f"{name}(" in text.lower().replace(" ", "") for name in _VOLATILE)
    return any(isinstance(part, ast.Attribute) and part.attr in _VOLATILE or
               isinstance(part, ast.Call) and call_name(part) in _VOLATILE for part in ast.walk(node))
