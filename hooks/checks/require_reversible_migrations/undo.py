"""Alembic downgrades that do not undo their upgrade, for ``require-reversible-migrations``.

Three shapes, all read with ``ast`` only:

- a downgrade() that renames a table or column the same way upgrade() does
  (``rename_table("Acl", "acl")`` in both, often a loop over the same dict)
  instead of back: the first rename fails, the rollback stops there;
- a downgrade() that drops a column its upgrade() never adds: autogenerate
  drift (the ``add_column`` commented out in upgrade() and left in downgrade())
  when an earlier revision creates it, and the rollback deletes a column the
  previous release still uses; a misspelt table or column name when none does,
  and the rollback fails. A table is reported only when an earlier revision
  creates it: one no revision creates may come from the models
  (``metadata.create_all`` creates missing tables at start-up);
- a downgrade() that creates a constraint or index its upgrade() never drops,
  while exactly one earlier revision creates it and none drops it since: it
  exists, so the rollback fails ("already exists").

Anything not read to the end (a loop over a computed list, a helper function,
raw SQL, a name that is not a literal) gives no finding.
"""
from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from functools import lru_cache

from hooks.checks.require_reversible_migrations.alembic import _Body, _is_base_revision, _read
from hooks.checks.require_reversible_migrations.common import Issue, empty_body, versions_folder
from hooks.common.migrations import _norm, arg, call_name, module_constants, module_functions, read, span, string_value
from hooks.config import python_trees

# (table, old, new): table "" for rename_table
Rename = tuple[str, str, str]
TYPE_CHECKING = False  # annotations are strings; the aliases below are for the type checker
if TYPE_CHECKING:
    from typing import Union

    Value = Union[str, tuple[str, ...]]  # what a loop variable holds
    Known = Union[dict[str, str], list[Value]]  # a literal dict or list of names


def issues(tree: ast.Module, path: str, max_bytes: int) -> list[Issue]:
    functions = module_functions(tree)
    up, down = functions.get("upgrade"), functions.get("downgrade")
    if up is None or down is None or empty_body(down.body) or _is_base_revision(tree):
        return []
    constants = module_constants(tree)
    forward, backward = _read(up, constants), _read(down, constants)
    acks = (span(down), (span(up)[0], up.lineno))
    found = list(_repeated_renames(up, down, functions, constants, forward, backward, acks))
    found.extend(_drops_not_added(tree, up, path, max_bytes, constants, forward, backward, acks))
    found.extend(_creates_existing(tree, up, down, path, max_bytes, constants, forward, acks))
    return found


# --- a downgrade() that renames the same way as upgrade() ------------------------------


def _repeated_renames(up: ast.FunctionDef, down: ast.FunctionDef, functions: dict[str, ast.FunctionDef],
                      constants: dict[str, ast.expr], forward: _Body, backward: _Body,
                      acks: tuple[tuple[int, int], ...]) -> Iterator[Issue]:
    ups, downs = _renames(up, functions, constants), _renames(down, functions, constants)
    if not ups or not downs:
        return
    up_keys, down_keys = [_key(r) for r, _ in ups], [_key(r) for r, _ in downs]
    done = {key for key in up_keys if not _scaffolding(key, up_keys, forward)}
    reported: set[int] = set()
    for (rename, node), key in zip(downs, down_keys):
        if id(node) in reported or key not in done or _scaffolding(key, down_keys, backward):
            continue
        reported.add(id(node))
        table, old, new = rename
        what = f"rename_table {old}" if not table else f"alter_column {table}.{old}"
        shown = old if not table else f"{table}.{old}"
        yield Issue(node.lineno, node.col_offset + 1, "irreversible", "rename-repeated", what,
                    f"downgrade() renames {shown} to {new} as upgrade() does, instead of {new} back to {old}: "
                    f"{old} no longer exists, so the rollback fails", (span(node), *acks))


def _key(rename: Rename) -> Rename:
    """The names without quotes or schema, case kept: ``rename_table("Log", "log")`` renames."""
    table, old, new = (name.strip('"`[]').split(".")[-1] for name in rename)
    return table, old, new


def _scaffolding(rename: Rename, renames: list[Rename], body: _Body) -> bool:
    """A rename that moves a table or column aside for a rebuild (SQLite's rename x to
    x_tmp, create x, copy, drop x_tmp): the old name comes back, or the new one goes."""
    chained = any(r[0] == rename[0] and (r[1] == rename[2] or r[2] == rename[1]) and r != rename for r in renames)
    table, old, new = (name.lower() for name in rename)
    if not table:
        return chained or old in body.created_tables or new in {t for t, _ in body.dropped_tables}
    return (chained or (table, old) in body.added_columns and (table, old) not in body.renamed_columns
            or (table, new) in {(t, c) for t, c, _ in body.dropped_columns})


def _renames(function: ast.FunctionDef, functions: dict[str, ast.FunctionDef],
             constants: dict[str, ast.expr]) -> list[tuple[Rename, ast.Call]] | None:
    """Every rename of ``function`` with its literal names, loops over literal dicts and
    lists unrolled; None when one cannot be read (a computed name, a loop over
    something else, a call to a helper of the module, a rename under an ``if``)."""
    found: list[tuple[Rename, ast.Call]] = []
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions:
            return None
    try:
        _walk(function.body, _Scope(constants), {}, found)
    except _Unread:
        return None
    return found


class _Unread(Exception):
    pass


class _Scope:
    """What a name holds where a rename is read: a loop variable's value, a local
    variable's literal dict or list (None: assigned something else), a module constant."""

    def __init__(self, constants: dict[str, ast.expr]) -> None:
        self.constants = constants
        self.names: dict[str, Value] = {}
        self.literals: dict[str, Known | None] = {}

    def copy(self) -> _Scope:
        inner = _Scope(self.constants)
        inner.names, inner.literals = dict(self.names), dict(self.literals)
        return inner

    def bind(self, target: ast.expr, item: Value) -> None:
        if isinstance(target, ast.Name):
            self.names[target.id] = item
            self.literals[target.id] = None
        elif isinstance(target, ast.Tuple) and isinstance(item, tuple) and len(target.elts) == len(item):
            for part, value in zip(target.elts, item):
                self.bind(part, value)
        else:
            raise _Unread


def _is_rename(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
        node.func.attr == "rename_table"
        or node.func.attr == "alter_column" and any(kw.arg == "new_column_name" for kw in node.keywords))


def _has_rename(nodes: list[ast.stmt]) -> bool:
    return any(_is_rename(node) for statement in nodes for node in ast.walk(statement))


def _walk(statements: list[ast.stmt], scope: _Scope, batches: dict[str, str],
          found: list[tuple[Rename, ast.Call]]) -> None:
    for statement in statements:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call) and _is_rename(statement.value):
            found.append((_rename(statement.value, scope, batches), statement.value))
        elif isinstance(statement, ast.Assign):
            if _has_rename([statement]):
                raise _Unread
            for target in statement.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        scope.names.pop(name.id, None)
                        scope.literals[name.id] = None
            if len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
                scope.literals[statement.targets[0].id] = _value_of(statement.value, scope)
        elif isinstance(statement, ast.For):
            if not _has_rename(statement.body) and not _has_rename(statement.orelse):
                continue
            items = _items(statement.iter, scope)
            if items is None or statement.orelse:
                raise _Unread
            for element in items:
                inner = scope.copy()
                inner.bind(statement.target, element)
                _walk(statement.body, inner, batches, found)
        elif isinstance(statement, ast.With):
            inner_batches = dict(batches)
            for item in statement.items:
                call = item.context_expr
                if (isinstance(call, ast.Call) and call_name(call) == "batch_alter_table"
                        and isinstance(item.optional_vars, ast.Name)):
                    table = _text(arg(call, 0, "table_name"), scope)
                    if table is None:
                        if _has_rename(statement.body):
                            raise _Unread
                        continue
                    inner_batches[item.optional_vars.id] = table
            _walk(statement.body, scope, inner_batches, found)
        elif _has_rename([statement]):
            raise _Unread  # under an if, a try, a comprehension: not read


def _rename(node: ast.Call, scope: _Scope, batches: dict[str, str]) -> Rename:
    assert isinstance(node.func, ast.Attribute)
    if node.func.attr == "rename_table":
        old, new = _text(arg(node, 0, "old_table_name"), scope), _text(arg(node, 1, "new_table_name"), scope)
        if old is None or new is None:
            raise _Unread
        return "", old, new
    owner = node.func.value
    batch = batches.get(owner.id) if isinstance(owner, ast.Name) else None
    table = batch if batch else _text(arg(node, 0, "table_name"), scope)
    old = _text(arg(node, 0, "column_name") if batch else arg(node, 1, "column_name"), scope)
    new = _text(next(kw.value for kw in node.keywords if kw.arg == "new_column_name"), scope)
    if table is None or old is None or new is None:
        raise _Unread
    return table, old, new


def _text(node: ast.AST | None, scope: _Scope) -> str | None:
    """A name: a literal, a loop variable, ``D[key]`` of a literal dict, an f-string or
    ``+`` / ``%`` of those; None when not literal."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in scope.names:
            value = scope.names[node.id]
            return value if isinstance(value, str) else None
        if node.id in scope.literals:
            return None
        constant = scope.constants.get(node.id)
        return constant.value if isinstance(constant, ast.Constant) and isinstance(constant.value, str) else None
    if isinstance(node, ast.Subscript):
        mapping = _value_of(node.value, scope)
        key = _text(node.slice, scope)
        return mapping.get(key) if isinstance(mapping, dict) and key is not None else None
    if isinstance(node, ast.JoinedStr):
        parts: list[str] = []
        for piece in node.values:
            if isinstance(piece, ast.Constant) and isinstance(piece.value, str):
                parts.append(piece.value)
            elif isinstance(piece, ast.FormattedValue) and piece.format_spec is None and piece.conversion == -1:
                part = _text(piece.value, scope)
                if part is None:
                    return None
                parts.append(part)
            else:
                return None
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left, scope), _text(node.right, scope)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        template, filler = _text(node.left, scope), _text(node.right, scope)
        if template is None or filler is None or template.count("%s") != 1 or template.count("%") != 1:
            return None
        return template.replace("%s", filler)
    return None


def _value_of(node: ast.AST, scope: _Scope) -> Known | None:
    """A literal dict of names (also a dict comprehension over one), or a literal list or
    tuple of names or of tuples of names; a module constant or a local variable naming one."""
    if isinstance(node, ast.Name):
        if node.id in scope.literals:
            return scope.literals[node.id]
        if node.id in scope.names:
            return None
        constant = scope.constants.get(node.id)
        return None if constant is None else _value_of(constant, _Scope({}))
    if isinstance(node, ast.Dict):
        mapping: dict[str, str] = {}
        for key, value in zip(node.keys, node.values):
            name, target = _text(key, scope), _text(value, scope)
            if name is None or target is None:
                return None
            mapping[name] = target
        return mapping
    if isinstance(node, ast.DictComp):
        if len(node.generators) != 1 or node.generators[0].ifs or node.generators[0].is_async:
            return None
        generator = node.generators[0]
        items = _items(generator.iter, scope)
        if items is None:
            return None
        mapping = {}
        for item in items:
            inner = scope.copy()
            try:
                inner.bind(generator.target, item)
            except _Unread:
                return None
            name, target = _text(node.key, inner), _text(node.value, inner)
            if name is None or target is None:
                return None
            mapping[name] = target
        return mapping
    if isinstance(node, (ast.List, ast.Tuple)):
        values: list[Value] = []
        for element in node.elts:
            if isinstance(element, (ast.Tuple, ast.List)):
                parts = [_text(part, scope) for part in element.elts]
                if any(part is None for part in parts):
                    return None
                values.append(tuple(part for part in parts if part is not None))
            else:
                text = _text(element, scope)
                if text is None:
                    return None
                values.append(text)
        return values
    return None


def _items(node: ast.AST, scope: _Scope) -> list[Value] | None:
    """What ``for x in node`` binds x to: a literal dict's keys (``.keys()``, ``.values()``,
    ``.items()``), a literal list's elements; None when not literal."""
    method = None
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args and not node.keywords
            and node.func.attr in ("keys", "values", "items")):
        method, node = node.func.attr, node.func.value
    value = _value_of(node, scope)
    if isinstance(value, dict):
        if method == "values":
            return list(value.values())
        if method == "items":
            return [(key, target) for key, target in value.items()]
        return list(value)
    if isinstance(value, list) and method is None:
        return value
    return None


# --- a downgrade() that drops what its upgrade() never added ---------------------------

# Alembic operations whose effect _read follows; anything else in upgrade() (a helper,
# a loop, raw SQL, a session) may add the column unseen.
_PLAIN_OPS = frozenset(
    "add_column drop_column alter_column create_table drop_table create_index drop_index create_foreign_key "
    "create_unique_constraint create_check_constraint create_primary_key drop_constraint".split())


def _plain(up: ast.FunctionDef, constants: dict[str, ast.expr]) -> bool:
    """upgrade() is a list of ``op.<operation>(...)`` calls (and ``batch_alter_table``
    blocks of them) naming tables and columns with literals: every column it adds is read."""
    for statement in up.body:
        if isinstance(statement, ast.Pass) or (isinstance(statement, ast.Expr)
                                               and isinstance(statement.value, ast.Constant)):
            continue
        if isinstance(statement, ast.With):
            if not all(isinstance(item.context_expr, ast.Call) and call_name(item.context_expr) == "batch_alter_table"
                       and _op_call(item.context_expr) and isinstance(item.optional_vars, ast.Name)
                       and string_value(arg(item.context_expr, 0, "table_name"), constants)
                       for item in statement.items):
                return False
            names = {item.optional_vars.id for item in statement.items if isinstance(item.optional_vars, ast.Name)}
            if not all(isinstance(inner, ast.Expr) and _plain_call(inner.value, names, constants, batch=True)
                       for inner in statement.body):
                return False
            continue
        if not (isinstance(statement, ast.Expr) and _plain_call(statement.value, {"op"}, constants, batch=False)):
            return False
    return True


def _op_call(node: ast.Call) -> bool:
    return isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and node.func.value.id == "op"


def _plain_call(node: ast.expr, owners: set[str], constants: dict[str, ast.expr], batch: bool) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id in owners
            and node.func.attr in _PLAIN_OPS):
        return False
    name = node.func.attr
    if name == "add_column":
        column = arg(node, 0 if batch else 1, "column")
        return ((batch or string_value(arg(node, 0, "table_name"), constants) is not None)
                and isinstance(column, ast.Call) and string_value(arg(column, 0, "name"), constants) is not None)
    if name in ("create_table", "alter_column") and not batch:
        return string_value(arg(node, 0, "table_name"), constants) is not None
    return True


def _drops_not_added(tree: ast.Module, up: ast.FunctionDef, path: str, max_bytes: int,
                     constants: dict[str, ast.expr], forward: _Body, backward: _Body,
                     acks: tuple[tuple[int, int], ...]) -> Iterator[Issue]:
    # a table upgrade() renames or drops (what downgrade() does to it is the drop-table finding's)
    touched = ({t for t, _ in forward.dropped_tables} | set(forward.renamed_into) | set(forward.table_renames)
               | set(backward.renamed_into))
    columns = [(table, column, node) for table, column, node in backward.dropped_columns
               if (table, column) not in forward.added_columns and table not in forward.created_tables
               and (table, column) not in backward.added_columns and table not in backward.created_tables
               and (table, column) not in {(t, c) for t, c, _ in forward.dropped_columns}
               and table not in touched]
    tables = [(table, node) for table, node in backward.dropped_tables
              if table not in forward.created_tables and table not in backward.created_tables and table not in touched]
    if not (columns or tables) or not _plain(up, constants):
        return
    earlier = _earlier(tree, path, max_bytes)
    if earlier is None:
        return
    for table, column, node in columns:
        yield Issue(node.lineno, node.col_offset + 1, "irreversible", "drop-not-added", f"drop_column {table}.{column}",
                    f"downgrade() drops column {table}.{column}, which upgrade() does not add: "
                    + _consequence(earlier.get((table, column)), "column"), (span(node), *acks))
    for table, node in tables:
        if (table, "") not in earlier:
            # a table no revision creates may come from the models (metadata.create_all at start-up
            # creates missing tables, never columns): dropping it may be the undo
            continue
        yield Issue(node.lineno, node.col_offset + 1, "irreversible", "drop-not-added", f"drop_table {table}",
                    f"downgrade() drops table {table}, which upgrade() does not create: "
                    + _consequence(earlier.get((table, "")), "table"), (span(node), *acks))


def _consequence(revision: str | None, thing: str) -> str:
    if revision:
        return f"revision {revision} creates it, so the rollback deletes a {thing} the previous release uses"
    return (f"no revision before this one creates it, so the rollback fails there (no such {thing}) or deletes "
            f"a {thing} made outside the revisions")


def _earlier(tree: ast.Module, path: str, max_bytes: int) -> dict[tuple[str, str], str] | None:
    """The tables ``(t, "")`` and columns ``(t, c)`` the revisions before this one create
    in their upgrade(), each with the revision that does; None when the chain cannot be read."""
    constants = module_constants(tree)
    below = _down_revisions(constants)
    if below is None:
        return None
    versions = versions_folder(path)
    revisions = _folder(versions, _listing(versions), max_bytes)
    created: dict[tuple[str, str], str] = {}
    seen: set[str] = set()
    queue = list(below)
    while queue:
        revision = queue.pop()
        if revision in seen:
            continue
        seen.add(revision)
        entry = revisions.get(revision)
        if entry is None:
            continue
        parents, made = entry
        for key in made:
            created.setdefault(key, revision)
        queue.extend(parents)
    return created


def _down_revisions(constants: dict[str, ast.expr]) -> tuple[str, ...] | None:
    value = constants.get("down_revision")
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return (value.value,)
    if isinstance(value, (ast.Tuple, ast.List)) and all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                                                        for e in value.elts):
        return tuple(str(e.value) for e in value.elts if isinstance(e, ast.Constant))
    return None


def _listing(versions: str) -> tuple[tuple[str, float], ...]:
    found: list[tuple[str, float]] = []
    for folder, folders, names in os.walk(versions):
        folders[:] = [name for name in folders if name != "__pycache__"] if folder == versions else []
        for name in names:
            if name.endswith(".py") and name != "__init__.py":
                full = os.path.join(folder, name)
                try:
                    found.append((full, os.stat(full).st_mtime))
                except OSError:
                    continue
    return tuple(sorted(found))


@lru_cache(maxsize=8)
def _folder(versions: str, listing: tuple[tuple[str, float], ...],
            max_bytes: int) -> dict[str, tuple[tuple[str, ...], frozenset[tuple[str, str]]]]:
    """Each revision of the folder: its down revisions, and the tables and columns its upgrade() creates."""
    revisions: dict[str, tuple[tuple[str, ...], frozenset[tuple[str, str]]]] = {}
    for name, _ in listing:
        text = read(name, max_bytes)
        if text is None or "def upgrade" not in text:
            continue
        try:
            tree = python_trees.parse(text, name)
        except (python_trees.OtherPython, SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        constants = module_constants(tree)
        value = constants.get("revision")
        up = module_functions(tree).get("upgrade")
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)) or up is None:
            continue
        body = _read(up, constants)
        made = {(table, "") for table in body.created_tables | body.renamed_into} | set(body.added_columns)
        made |= _table_columns(up, constants)
        revisions[value.value] = (_down_revisions(constants) or (), frozenset(made))
    return revisions


def _table_columns(up: ast.FunctionDef, constants: dict[str, ast.expr]) -> set[tuple[str, str]]:
    """``create_table("t", sa.Column("c", ...), ...)``: (t, c) for each column."""
    found: set[tuple[str, str]] = set()
    for node in ast.walk(up):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "create_table":
            table = _norm(string_value(arg(node, 0, "table_name"), constants))
            if not table:
                continue
            for column in node.args[1:]:
                if isinstance(column, ast.Call) and call_name(column) == "Column":
                    name = _norm(string_value(arg(column, 0, "name"), constants))
                    if name:
                        found.add((table, name))
    return found


# --- a downgrade() that creates what its upgrade() never dropped -----------------------

# The Alembic operations that create a named constraint or index: (name, table) are their
# first two arguments. What PostgreSQL names one created with name=None, by its columns.
_CREATES = {"create_unique_constraint": "unique constraint", "create_index": "index",
            "create_foreign_key": "foreign key", "create_check_constraint": "check constraint",
            "create_primary_key": "primary key"}
_DEFAULT_SUFFIX = {"create_unique_constraint": "key", "create_foreign_key": "fkey"}
_DROPS_BY_SQL = re.compile(r"\bdrop\s+(?:constraint|index)\b", re.I)

# (operation, name): what a revision's upgrade() creates
Made = tuple[str, str]


def _object_name(node: ast.Call, constants: dict[str, ast.expr]) -> str | None:
    """The literal name of a created constraint or index (``op.f("ix_x")`` too); for a
    unique or foreign key created with ``None``, the name PostgreSQL gives it
    (``<table>_<columns>_key``, ``<table>_<column>_fkey``)."""
    operation = call_name(node)
    name = arg(node, 0, "constraint_name" if operation != "create_index" else "index_name")
    if isinstance(name, ast.Call) and call_name(name) == "f" and name.args:
        name = name.args[0]
    text = string_value(name, constants) if not isinstance(name, (ast.List, ast.Tuple)) else None
    if text:
        return _norm(text)
    suffix = _DEFAULT_SUFFIX.get(operation)
    if suffix is None or not (isinstance(name, ast.Constant) and name.value is None):
        return None
    table = _norm(string_value(arg(node, 1, "table_name" if operation != "create_foreign_key" else "source_table"),
                               constants))
    columns = arg(node, 2, "columns" if operation == "create_unique_constraint" else "local_cols")
    if table is None or not isinstance(columns, (ast.List, ast.Tuple)):
        return None
    names = [string_value(column, constants) for column in columns.elts]
    if not names or any(not part for part in names) or (suffix == "fkey" and len(names) != 1):
        return None
    return f"{table}_{'_'.join(str(part).lower() for part in names)}_{suffix}"


def _op_creates(function: ast.FunctionDef, constants: dict[str, ast.expr]) -> list[tuple[str, str, ast.Call]]:
    """(operation, name, call) of each ``op.create_<constraint or index>(...)`` statement
    directly in ``function``'s body."""
    found = []
    for statement in function.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if isinstance(call, ast.Call) and _op_call(call) and call_name(call) in _CREATES:
            name = _object_name(call, constants)
            if name:
                found.append((call_name(call), name, call))
    return found


def _mentions(function: ast.FunctionDef, creates: list[ast.Call]) -> list[str]:
    """Every string in ``function`` (lower case), but the names given to ``creates``."""
    skipped: set[int] = set()
    for call in creates:
        name = arg(call, 0, "constraint_name" if call_name(call) != "create_index" else "index_name")
        if name is not None:
            skipped.update(id(node) for node in ast.walk(name))
    return [node.value.lower() for node in ast.walk(function)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped]


def _drops_unseen(function: ast.FunctionDef, functions: dict[str, ast.FunctionDef]) -> bool:
    """Can ``function`` drop a constraint or index the hook does not see by name? A call to a
    helper of the module, a drop whose name is computed, or computed SQL whose literal part
    may drop one (``f"ALTER TABLE {t} DROP CONSTRAINT {c}"``, a bare variable). Computed SQL
    that says no ``DROP`` (``f"SELECT ... {x}"``) drops nothing."""
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in functions:
            return True
        operation = call_name(node)
        if operation not in ("drop_constraint", "drop_index", "execute", "exec_driver_sql"):
            continue
        given = [*node.args[:1], *(kw.value for kw in node.keywords
                                   if kw.arg in ("constraint_name", "index_name", "sqltext", "statement"))]
        if not given or not _computed(given[0]):
            continue
        if operation.startswith("drop_"):
            return True
        literal = " ".join(part.value for part in ast.walk(given[0])
                           if isinstance(part, ast.Constant) and isinstance(part.value, str))
        if not literal.strip() or _DROPS_BY_SQL.search(literal) or _DROP_COMPUTED.search(literal):
            return True
    return False


_DROP_COMPUTED = re.compile(r"\bdrop\s*$", re.I | re.M)


def _computed(node: ast.expr) -> bool:
    """A text made of more than literals (``sa.text("...")`` and ``text("...")`` of a literal are literal)."""
    if isinstance(node, ast.Call) and call_name(node) == "text" and len(node.args) == 1 and not node.keywords:
        node = node.args[0]
    return not all(isinstance(part, ast.Constant) or (isinstance(part, ast.JoinedStr) and part is node)
                   for part in ast.walk(node))


def _creates_existing(tree: ast.Module, up: ast.FunctionDef, down: ast.FunctionDef, path: str, max_bytes: int,
                      constants: dict[str, ast.expr], forward: _Body,
                      acks: tuple[tuple[int, int], ...]) -> Iterator[Issue]:
    """downgrade() creates a constraint or index that upgrade() never drops, while an
    earlier revision created it and none since dropped it: it exists, so the rollback
    fails ("relation ... already exists"). Autogenerate drift again: the drop left in
    upgrade() by a later revision's model change, or none at all (sbc-auth's
    ``payment_type_code_key``, created unnamed by an ancestor)."""
    creates = _op_creates(down, constants)
    if not creates:
        return
    functions = module_functions(tree)
    if _drops_unseen(up, functions):
        return
    up_text = _mentions(up, [])
    gone = {t for t, _ in forward.dropped_tables} | set(forward.renamed_into) | set(forward.table_renames)
    before: list[str] = []  # the downgrade's strings up to each create: a drop of it there makes room
    statements = {id(statement.value): index for index, statement in enumerate(down.body)
                  if isinstance(statement, ast.Expr)}
    chain = None
    for operation, name, node in creates:
        table = _norm(string_value(arg(node, 1, "table_name" if operation != "create_foreign_key"
                                        else "source_table"), constants))
        if table is None or table in gone or any(name in text for text in up_text):
            continue
        earlier_down = ast.Module(body=down.body[:statements.get(id(node), 0)], type_ignores=[])
        before = [n.value.lower() for n in ast.walk(earlier_down)
                  if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        if any(name in text for text in before):
            continue
        if chain is None:
            chain = _ancestry(tree, path, max_bytes)
            if chain is None:
                return
        made = [revision for revision, (creates_there, texts, dropped) in chain.items()
                if (operation, name) in creates_there]
        if len(made) != 1 or any(table in dropped or any(name in text for text in texts)
                                 for revision, (_, texts, dropped) in chain.items()):
            continue
        what = _CREATES[operation]
        yield Issue(node.lineno, node.col_offset + 1, "irreversible", "create-not-dropped", f"{operation} {name}",
                    f"downgrade() creates {what} {name} on {table}, which upgrade() does not drop: revision "
                    f"{made[0]} creates it, so the rollback fails (it already exists)", (span(node), *acks))


# revision -> (what its upgrade() creates, its other strings, tables it drops or renames away)
Ancestor = tuple[frozenset[Made], tuple[str, ...], frozenset[str]]


def _ancestry(tree: ast.Module, path: str, max_bytes: int) -> dict[str, Ancestor] | None:
    """Every revision before this one, by ``down_revision``; None when one of them is not
    in the folder, not read, or may drop a constraint or index unseen."""
    below = _down_revisions(module_constants(tree))
    if below is None:
        return None
    versions = versions_folder(path)
    revisions = _objects(versions, _listing(versions), max_bytes)
    found: dict[str, Ancestor] = {}
    queue = list(below)
    while queue:
        revision = queue.pop()
        if revision in found:
            continue
        entry = revisions.get(revision)
        if entry is None:
            return None
        parents, ancestor = entry
        if ancestor is None:
            return None
        found[revision] = ancestor
        queue.extend(parents)
    return found


@lru_cache(maxsize=8)
def _objects(versions: str, listing: tuple[tuple[str, float], ...],
             max_bytes: int) -> dict[str, tuple[tuple[str, ...], Ancestor | None]]:
    """Each revision of the folder: its down revisions, the constraints and indexes its
    upgrade() creates, its other strings and the tables it drops or renames away; None
    for a revision whose upgrade() may drop one unseen (``_drops_unseen``)."""
    revisions: dict[str, tuple[tuple[str, ...], Ancestor | None]] = {}
    for name, _ in listing:
        text = read(name, max_bytes)
        if text is None or "def upgrade" not in text:
            continue
        try:
            tree = python_trees.parse(text, name, report=False)
        except (python_trees.OtherPython, SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        constants = module_constants(tree)
        value = constants.get("revision")
        functions = module_functions(tree)
        up = functions.get("upgrade")
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)) or up is None:
            continue
        parents = _down_revisions(constants) or ()
        if _drops_unseen(up, functions):
            revisions[value.value] = (parents, None)
            continue
        creates = _op_creates(up, constants)
        body = _read(up, constants)
        gone = frozenset({t for t, _ in body.dropped_tables} | body.renamed_into | set(body.table_renames))
        texts = tuple(_mentions(up, [call for _, _, call in creates]))
        revisions[value.value] = (parents, (frozenset((op, made) for op, made, _ in creates), texts, gone))
    return revisions
