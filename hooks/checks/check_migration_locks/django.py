"""Django migrations for ``check-migration-locks``, read with ``ast``.

Each operation is judged by what Django's PostgreSQL schema editor runs for
it: ``AddIndex`` is a plain ``CREATE INDEX``, a ``ForeignKey`` added to an
existing model is ``ADD COLUMN ... REFERENCES`` (valid without a scan when the
column has no default) plus an index,
``AlterField`` is judged against the field's previous definition, rebuilt
from the app's earlier migrations, and ``RunSQL`` is read as SQL.
"""
from __future__ import annotations

import ast
import os
from collections.abc import Iterator

from hooks.checks.check_migration_locks import sql as sqlrules
from hooks.checks.check_migration_locks.rules import Finding
from hooks.common.migrations import (
    _NO_COLUMN,
    FieldDef,
    State,
    _file_operations,
    _folder_states,
    _fresh_databases_only,
    _listing,
    _ops_with_inner,
    _text,
    app_label,
    arg,
    call_name,
    describe,
    dict_literals,
    dotted,
    expand_keywords,
    field_def,
    migration_class,
    module_constants,
    module_functions,
    operations,
    rewrites,
    state_before,
    string_value,
    together,
)
from hooks.core.records import record

_FOREIGN = ("ForeignKey", "OneToOneField", "ParentalKey")
# Database defaults PostgreSQL evaluates per row (Django 5 db_default).
_VOLATILE_FUNCS = ("RandomUUID", "Random", "gen_random_uuid", "uuid_generate_v4", "clock_timestamp", "random",
                   "uuid_generate_v1", "timeofday")
# Operations that take an ACCESS EXCLUSIVE lock on an existing table.
_EXCLUSIVE = ("AddField", "AlterField", "RemoveField", "RenameField", "RenameModel", "AddConstraint",
              "RemoveConstraint", "AlterUniqueTogether", "AlterModelTable", "DeleteModel")


@record(frozen=True)
class Rename:
    line: int
    column: int
    kind: str  # "field" or "model"
    model: str
    old: str
    new: str


@record
class Result:
    findings: list[Finding]
    renames: list[Rename]
    exclusive_line: int  # first ACCESS EXCLUSIVE step on an existing table (0: none)
    lock_timeout: bool
    fresh: bool  # initial or squashed: runs on empty databases only


def analyse(tree: ast.Module, path: str) -> Result | None:
    """None when the file holds no ``Migration`` class."""
    cls = migration_class(tree)
    if cls is None:
        return None
    # Field(**default_args), default_args a dict literal of the class or module: read as its keywords
    names = dict_literals(tree, cls)
    ops = [expand_keywords(op, names) for op in operations(cls)]
    result = Result([], [], 0, False, _fresh_databases_only(cls))
    if result.fresh:
        return result
    atomic = not any(isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "atomic"
                                                          for t in node.targets)
                     and isinstance(node.value, ast.Constant) and node.value.value is False for node in cls.body)
    constants = module_constants(tree)
    created = {(_text(arg(op, 0, "name")) or "").lower() for op in _flat(ops) if call_name(op) == "CreateModel"}
    # the earlier migrations' state: fields for AlterField, db_table for every step on an existing model
    needs_state = any(call_name(op) not in ("CreateModel", "RunSQL", "RunPython") for op in _flat(ops))
    state = state_before(path) if needs_state else State()
    scope = sqlrules.Scope(created=set(created))
    app = app_label(path)
    functions = module_functions(tree)
    for op in ops:
        inside = "SeparateDatabaseAndState: " if call_name(op) == "SeparateDatabaseAndState" else ""
        for inner in _database_ops(op):
            result.findings.extend(_operation(inner, inside, created, state, atomic, constants, scope, result, app))
            _added_null(inner, state, scope, app)
            if atomic:
                _locks(inner, created, scope, app, state)
                if call_name(inner) == "RunPython":
                    result.findings.extend(_backfills(inner, functions, scope, app, inside, state))
        for applied in _ops_with_inner((op,)):
            state.apply(applied)
    result.lock_timeout = scope.lock_timeout
    if not result.exclusive_line and scope.access_exclusive:
        result.exclusive_line = scope.access_exclusive
    return result


def _added_null(op: ast.Call, state: State, scope: sqlrules.Scope, app: str) -> None:
    """An AddField of a nullable column without a default: NULL in every row (a later RunSQL's ``WHERE c IS NULL``
    is every row)."""
    if call_name(op) != "AddField":
        return
    model, column = (_text(arg(op, 0, "model_name")) or "").lower(), _text(arg(op, 1, "name"))
    definition = field_def(arg(op, 2, "field"))
    if not column or definition is None or definition.opaque or definition.has_default:
        return
    db_column = definition.get("db_column")
    named = db_column if isinstance(db_column, str) else column + ("_id" if definition.type in _FOREIGN else "")
    scope.added_null.add(f"{state.table(app, model).lower()}.{named.lower()}")


def _locks(op: ast.Call, created: set[str], scope: sqlrules.Scope, app: str, state: State) -> None:
    """An ACCESS EXCLUSIVE step on an existing model, in the migration's transaction: its table stays locked."""
    name = call_name(op)
    if name not in _EXCLUSIVE or name in ("DeleteModel", "RenameModel", "AlterModelTable") or _state_only(op, state):
        return
    model_key = "name" if name == "AlterUniqueTogether" else "model_name"
    model = (_text(arg(op, 0, model_key)) or "").lower()
    if model and model not in created:
        field_name = _text(arg(op, 1, "name")) if name in ("AddField", "AlterField", "RemoveField") else None
        scope.lock(state.table(app, model), op.lineno, f"{name} {model}" + (f".{field_name}" if field_name else ""))


# Query methods that keep every row of the manager's table in the query set (any other one may narrow it).
_WHOLE = frozenset({"all", "iterator", "select_related", "prefetch_related", "only", "defer", "order_by", "values",
                    "values_list", "annotate", "using", "distinct", "objects", "_default_manager", "_base_manager"})
_WRITES = ("save", "bulk_update", "update")


def _backfills(op: ast.Call, functions: dict[str, ast.FunctionDef], scope: sqlrules.Scope, app: str,
               inside: str, state: State) -> Iterator[Finding]:
    """A ``RunPython`` whose function writes every row of a model this migration locked before it: it
    updates the whole manager (``Model.objects.update(...)``, ``Model.objects.all().update(...)``) or loops
    over it unfiltered and saves (``for row in Model.objects.iterator(): ... row.save()``)."""
    code = arg(op, 0, "code")
    function = functions.get(code.id) if isinstance(code, ast.Name) else None
    if function is None or not scope.locked:
        return
    models = _models(function)
    querysets: dict[str, str] = {}  # variable -> model, for ``rows = Model.objects.all()``
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            whole = _whole(node.value, models, querysets)
            if whole:
                querysets[node.targets[0].id] = whole
    found: dict[str, int] = {}
    bulk: set[str] = set()  # models whose manager's bulk_update(...) the function calls
    for node in ast.walk(function):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("update", "bulk_update")):
            manager = _manager(node.func.value, models)
            if node.func.attr == "bulk_update" and manager:
                bulk.add(manager)
            whole = _whole(node.func.value, models, querysets)
            if whole and node.func.attr == "update":
                found.setdefault(whole, node.lineno)
    for node in ast.walk(function):
        if isinstance(node, ast.For):
            whole = _whole(node.iter, models, querysets)
            if whole and (whole in bulk or any(isinstance(inner, ast.Call) and call_name(inner) in _WRITES
                                               for statement in node.body for inner in ast.walk(statement))):
                found.setdefault(whole, node.lineno)
    for model in sorted(found):
        yield from scope.backfill(state.table(app, model), (op.lineno, op.col_offset + 1),
                                  f"RunPython {function.name}", inside)


def _models(function: ast.FunctionDef) -> dict[str, str]:
    """Variable -> model name (lower case) for ``Model = apps.get_model("app", "Model")`` / ``("app.Model")``."""
    found: dict[str, str] = {}
    for node in ast.walk(function):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call) and call_name(node.value) == "get_model" and node.value.args):
            label = _text(node.value.args[-1])
            if label:
                found[node.targets[0].id] = label.split(".")[-1].lower()
    return found


def _manager(node: ast.AST, models: dict[str, str]) -> str | None:
    """``Model.objects`` (``_default_manager``, ``_base_manager``): the model's name."""
    if (isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager", "_base_manager")
            and isinstance(node.value, ast.Name)):
        return models.get(node.value.id)
    return None


def _whole(node: ast.AST, models: dict[str, str], querysets: dict[str, str]) -> str | None:
    """The model whose every row ``node`` selects: a chain of ``_WHOLE`` methods on its manager, or None."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        if isinstance(node, ast.Attribute):
            if node.attr not in _WHOLE:
                return None
            if isinstance(node.value, ast.Name) and node.attr in ("objects", "_default_manager", "_base_manager"):
                return models.get(node.value.id)
            node = node.value
            continue
        if isinstance(node, ast.Name):
            return querysets.get(node.id)
        return None


def final_state(path: str) -> State:
    """The app's models after every migration of its folder (the code's models)."""
    folder = os.path.dirname(os.path.abspath(path))
    listing = _listing(folder)
    if not listing:
        return State()
    state = _folder_states(folder, listing).get(listing[-1][0], State()).copy()
    last = os.path.join(folder, listing[-1][0])
    for op in _ops_with_inner(_file_operations(last, listing[-1][1])):
        state.apply(op)
    return state


def reused(path: str, rename: Rename) -> bool:
    """The old name came back: a later field has it, so the code that
    uses it uses the new one (Nautobot: role -> legacy_role, then new_role -> role); or a relation
    to the model names its reverse accessor after it (``ForeignKey(to="app.Package",
    related_name="dependencies")``), so ``package.dependencies`` is valid in the new code."""
    if rename.kind != "field":
        return False  # the replayed state does not follow RenameModel
    fields = final_state(path).fields
    if (rename.model, rename.old) in fields:
        return True
    return any(definition.get("related_name") == rename.old and _points_to(definition.get("to"), rename.model)
               for definition in fields.values())


def _points_to(target: object, model: str) -> bool:
    """``to="app.Model"`` or ``to="Model"`` names ``model`` (lower case)."""
    return isinstance(target, str) and target.rsplit(".", 1)[-1].lower() == model


def _flat(ops: list[ast.Call]) -> Iterator[ast.Call]:
    for op in ops:
        yield from _database_ops(op)


def _database_ops(op: ast.Call) -> list[ast.Call]:
    """The operations that touch the database: SeparateDatabaseAndState's database_operations."""
    if call_name(op) == "SeparateDatabaseAndState":
        inner = arg(op, 0, "database_operations")
        return [e for e in inner.elts if isinstance(e, ast.Call)] if isinstance(inner, (ast.List, ast.Tuple)) else []
    return [op]


def _operation(op: ast.Call, inside: str, created: set[str], state: State, atomic: bool,
               constants: dict[str, ast.expr], scope: sqlrules.Scope, result: Result, app: str) -> Iterator[Finding]:
    name = call_name(op)
    where = (op.lineno, op.col_offset + 1)
    model_key = "name" if name in ("CreateModel", "DeleteModel", "AlterUniqueTogether", "AlterIndexTogether",
                                   "AlterModelTable") else "model_name"
    model = (_text(arg(op, 0, model_key)) or "?").lower()
    table = state.table(app, model)
    if _state_only(op, state):
        return  # the column keeps its name: Django runs no SQL
    if name in _EXCLUSIVE and model not in created and not result.exclusive_line:
        result.exclusive_line = op.lineno
    if name == "RunSQL":
        text = string_value(arg(op, 0, "sql"), constants)
        if text:
            yield from sqlrules.judge(text, scope, op.lineno, op.col_offset + 1, atomic, False, f"{inside}RunSQL: ")
        return
    if name == "RenameField" and model not in created:
        old, new = _text(arg(op, 1, "old_name")), _text(arg(op, 2, "new_name"))
        if old and new:
            result.renames.append(Rename(*where, "field", model, old, new))
        return
    if name == "RenameModel":
        old, new = _text(arg(op, 0, "old_name")), _text(arg(op, 1, "new_name"))
        if old and new and old.lower() not in created:
            result.renames.append(Rename(*where, "model", old.lower(), old, new))
        return
    if model in created:
        return
    if name in ("AddIndex", "AddIndexConcurrently"):
        index = arg(op, 1, "index")
        index_name = _text(arg(index, 99, "name")) if isinstance(index, ast.Call) else None
        what = f"{name} {model}" + (f".{index_name}" if index_name else "")
        if name == "AddIndexConcurrently":
            if atomic:
                yield Finding(*where, "concurrent-in-transaction", what, f"{inside}{what}", table,
                              "(the Migration has no atomic = False)")
        else:
            yield Finding(*where, "index-not-concurrent", what, f"{inside}{what}", table)
    elif name == "AddConstraint":
        constraint = arg(op, 1, "constraint")
        if isinstance(constraint, ast.Call) and call_name(constraint) == "UniqueConstraint":
            label = _text(arg(constraint, 99, "name")) or "?"
            what = f"AddConstraint {model}.{label}"
            yield Finding(*where, "unique-added", what, f"{inside}{what} (UniqueConstraint)", table)
        elif isinstance(constraint, ast.Call) and call_name(constraint) == "CheckConstraint":
            label = _text(arg(constraint, 99, "name")) or "?"
            what = f"AddConstraint {model}.{label}"
            yield Finding(*where, "check-validated-on-add", what, f"{inside}{what} (CheckConstraint)", table)
    elif name == "AlterUniqueTogether":
        pairs = together(arg(op, 1, "unique_together")) - state.unique_together.get(model, set())
        if pairs:
            fields = ", ".join(sorted(next(iter(sorted(pairs, key=sorted)))))
            what = f"AlterUniqueTogether {model}"
            yield Finding(*where, "unique-added", what, f"{inside}{what} ({fields})", table)
    elif name == "AlterIndexTogether":
        if together(arg(op, 1, "index_together")):
            what = f"AlterIndexTogether {model}"
            yield Finding(*where, "index-not-concurrent", what, f"{inside}{what}", table)
    elif name == "AddField":
        yield from _add_field(op, model, table, inside)
    elif name == "AlterField":
        yield from _alter_field(op, model, table, inside, state)


def _state_only(op: ast.Call, state: State) -> bool:
    """A ``RenameField`` of a field whose ``db_column`` is set (CreateModel, AddField or an earlier AlterField):
    the old and the new attribute map to the same column, so Django emits no SQL for it."""
    if call_name(op) != "RenameField":
        return False
    model, old = (_text(arg(op, 0, "model_name")) or "").lower(), _text(arg(op, 1, "old_name"))
    definition = state.fields.get((model, old)) if old else None
    return definition is not None and definition.get("db_column") is not None


def _add_field(op: ast.Call, model: str, table: str, inside: str) -> Iterator[Finding]:
    where = (op.lineno, op.col_offset + 1)
    column = _text(arg(op, 1, "name")) or "?"
    node = arg(op, 2, "field")
    definition = field_def(node)
    if definition is None or definition.type in _NO_COLUMN or not isinstance(node, ast.Call):
        return
    what = f"AddField {model}.{column}"
    keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
    db_default = keywords.get("db_default")
    if db_default is not None and _volatile(db_default):
        yield Finding(*where, "volatile-default", what,
                      f"{inside}{what} with db_default={_shown(db_default)}", table)
    if definition.opaque:
        return  # Field(**something not read): null, default, db_index, unique are not known
    if db_default is not None and _volatile(db_default):
        pass
    elif (definition.get("null") is not True and not definition.has_default and definition.get("primary_key") is not True
          and not _fills_itself(definition, keywords)):
        yield Finding(*where, "not-null-no-default", what, f"{inside}{what} is NOT NULL without a default", table)
    foreign = definition.type in _FOREIGN and not _false(keywords.get("db_constraint"))
    # Django adds the column and its REFERENCES in one ALTER TABLE. Without a
    # DEFAULT the new column is all NULL and PostgreSQL marks the key valid
    # without scanning; with one it scans the table for the key.
    defaulted = any(name in keywords and not _none(keywords[name]) for name in ("default", "db_default"))
    if foreign and defaulted:
        yield Finding(*where, "fk-validated-on-add", what,
                      f"{inside}{what} ({definition.type}) with a default adds a REFERENCES constraint "
                      "validated by a scan"
                      + ("" if _false(keywords.get("db_index")) else " and builds its index without CONCURRENTLY"),
                      table)
    elif foreign and definition.type == "OneToOneField":
        yield Finding(*where, "unique-added", what, f"{inside}{what} (OneToOneField) builds its unique index "
                      "without CONCURRENTLY", table)
    elif foreign and not _false(keywords.get("db_index")):
        yield Finding(*where, "index-not-concurrent", what, f"{inside}{what} ({definition.type}) builds its index "
                      "without CONCURRENTLY", table)
    elif foreign:
        pass
    elif definition.get("unique") is True:
        yield Finding(*where, "unique-added", what, f"{inside}{what} (unique=True)", table)
    elif _db_index(definition):
        shown = "db_index=True" if definition.get("db_index") is True else "a SlugField, db_index=True by default"
        yield Finding(*where, "index-not-concurrent", what, f"{inside}{what} ({shown})", table)


def _alter_field(op: ast.Call, model: str, table: str, inside: str, state: State) -> Iterator[Finding]:
    where = (op.lineno, op.col_offset + 1)
    column = _text(arg(op, 1, "name")) or "?"
    new = field_def(arg(op, 2, "field"))
    old = state.fields.get((model, column))
    if new is None or old is None or new.opaque or old.opaque:
        return  # no earlier definition in this app's folder, or a **kwargs not read: cannot judge
    what = f"AlterField {model}.{column}"
    if rewrites(old, new):
        yield Finding(*where, "type-rewrite", what,
                      f"{inside}{what} changes {describe(old)} to {describe(new)}", table)
    if old.get("null") is True and new.get("null") is not True and new.type not in _NO_COLUMN:
        yield Finding(*where, "set-not-null", what, f"{inside}{what} drops null=True (SET NOT NULL)", table)
    if new.type in _FOREIGN and old.type not in _FOREIGN and new.get("db_constraint") is not False:
        yield Finding(*where, "fk-validated-on-add", what, f"{inside}{what} becomes a {new.type}", table)
    elif _unique(new) and not _unique(old):
        yield Finding(*where, "unique-added", what, f"{inside}{what} sets unique=True", table)
    elif _db_index(new) and not _db_index(old) and not _unique(new):
        yield Finding(*where, "index-not-concurrent", what, f"{inside}{what} sets db_index=True", table)


def _db_index(definition: FieldDef) -> bool:
    """The field has an index of its own: ``db_index=True``, or a ``SlugField`` (Django's default for it is
    ``db_index=True``; held-out round 13, waldur's slug fields)."""
    given = definition.get("db_index")
    return given is True or given is None and definition.type == "SlugField"


def _none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _unique(definition: FieldDef) -> bool:
    return definition.get("unique") is True or definition.type == "OneToOneField" or definition.get(
        "primary_key") is True


def _fills_itself(definition: FieldDef, keywords: dict[str, ast.expr]) -> bool:
    """Django gives every existing row a value without a default: '' for a
    blank text column, now() for auto_now(_add), and nothing to fill for an
    auto-increment key."""
    if any(_true(keywords.get(name)) for name in ("auto_now", "auto_now_add")):
        return True
    if definition.type in ("AutoField", "BigAutoField", "SmallAutoField", "GeneratedField"):
        return True  # a generated column is computed by the database for every row
    text_like = definition.type in ("CharField", "TextField", "SlugField", "EmailField", "URLField")
    return text_like and definition.get("blank") is True


def _volatile(node: ast.AST) -> bool:
    for part in ast.walk(node):
        if isinstance(part, ast.Call):
            if call_name(part) in _VOLATILE_FUNCS:
                return True
            function = arg(part, 99, "function")
            if call_name(part) == "Func" and isinstance(function, ast.Constant) and str(function.value) in _VOLATILE_FUNCS:
                return True
    return False


def _shown(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        return f"{dotted(node.func) or call_name(node)}()"
    return "..."


def _true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _false(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False
