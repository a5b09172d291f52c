"""Django migrations for ``require-reversible-migrations``, read with ``ast``.

What Django itself refuses to reverse (``IrreversibleError``): ``RunPython``
without ``reverse_code``, ``RunSQL`` without ``reverse_sql``, and either one
inside ``SeparateDatabaseAndState``'s database operations. What Django reverses
without bringing the data back: a ``noop`` reverse of a step that deletes or
rewrites rows, ``RemoveField``, ``DeleteModel``, an ``AlterField`` that narrows
a column, and the removal of a unique constraint (its reversal fails once
duplicates exist). With ``postgres``: operations that lock a big table.

An ``AlterField`` is judged against the field's previous definition, rebuilt
from the earlier migrations of the same app folder (files sorted by name).
"""
from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from functools import lru_cache

from hooks.checks.require_reversible_migrations.common import (
    Issue,
    destructive_sql,
    empty_body,
    empty_sql,
    functions_reached,
)
from hooks.common.migrations import (
    _INT_BYTES,
    _NO_COLUMN,
    _NUMBERS,
    _TIME_RANK,
    FieldDef,
    State,
    _calls,
    _file_operations,
    _fresh_databases_only,
    _listing,
    _ops_with_inner,
    _text,
    _width,
    arg,
    call_name,
    describe,
    dotted,
    field_def,
    migration_class,
    module_constants,
    module_functions,
    operations,
    rewrites,
    span,
    state_before,
    string_value,
    together,
    unique_constraint,
)
from hooks.config import python_trees
from hooks.config.source import ReadError, TooLarge, read_bytes
from hooks.core.records import record, replace

_QUERYSET_PARTS = frozenset(
    {
        "objects", "_default_manager", "_base_manager", "filter", "exclude", "all", "select_for_update",
        "using", "order_by", "annotate", "only", "defer", "select_related", "prefetch_related", "distinct",
    }
)


def added_uniques(ops: list[ast.Call]) -> set[tuple[str, frozenset[str]]]:
    """Plain unique constraints a migration creates: a removal it replaces is not a removal."""
    found: set[tuple[str, frozenset[str]]] = set()
    for op in _ops_with_inner(tuple(ops)):
        name = call_name(op)
        if name == "AddConstraint":
            unique = unique_constraint(arg(op, 1, "constraint") or ast.List(elts=[]))
            model = _text(arg(op, 0, "model_name"))
            if unique and model and unique[1]:
                found.add((model.lower(), unique[1]))
        elif name == "AlterUniqueTogether":
            model = _text(arg(op, 0, "name"))
            found.update((model.lower(), pair) for pair in together(arg(op, 1, "unique_together")) if model)
        elif name in ("AlterField", "AddField"):
            model, column = _text(arg(op, 0, "model_name")), _text(arg(op, 1, "name"))
            definition = field_def(arg(op, 2, "field"))
            if model and column and definition and definition.get("unique") is True:
                found.add((model.lower(), frozenset({column})))
    return found


def _needs_history(ops: list[ast.Call]) -> bool:
    """Only these steps are judged against earlier migrations: a migration
    without them does not pay for reading the app's whole folder."""
    wanted = {"AlterField", "RemoveConstraint", "AlterUniqueTogether"}
    return any(call_name(op) in wanted for op in ops) or any(
        call_name(inner) in wanted
        for op in ops if call_name(op) == "SeparateDatabaseAndState"
        for inner in _calls(arg(op, 0, "database_operations"))
    )


def _added_by_dependencies(cls: ast.ClassDef, path: str) -> frozenset[str]:
    """Fields that the migrations this one depends on (in the same folder) added."""
    folder = os.path.dirname(os.path.abspath(path))
    names: set[str] = set()
    for node in cls.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "dependencies"
                                                 for t in node.targets):
            for dependency in node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) else ():
                if isinstance(dependency, ast.Tuple) and len(dependency.elts) == 2:
                    name = _text(dependency.elts[1]) or ""
                    target = os.path.join(folder, name + ".py")
                    if name[:1].isdigit() and os.path.isfile(target):
                        ops = _file_operations(target, os.path.getmtime(target))
                        names |= added_fields(list(ops), created_models=False)
    return frozenset(names)


# --- the app's history --------------------------------------------------------


def added_fields(ops: list[ast.Call], created_models: bool = True) -> frozenset[str]:
    """Names of the fields a migration adds (AddField; CreateModel when asked:
    a table the previous migration created may already hold rows)."""
    names: set[str] = set()
    for op in _ops_with_inner(tuple(ops)):
        if call_name(op) == "AddField":
            names.add(_text(arg(op, 1, "name")) or "")
        elif call_name(op) == "CreateModel" and created_models:
            fields = arg(op, 1, "fields")
            for element in fields.elts if isinstance(fields, (ast.List, ast.Tuple)) else ():
                if isinstance(element, ast.Tuple) and element.elts:
                    names.add(_text(element.elts[0]) or "")
    return frozenset(names - {""})


@lru_cache(maxsize=8)
def _folder_texts(folder: str, listing: tuple[tuple[str, float], ...]) -> tuple[tuple[str, str], ...]:
    """(name, text) of each migration of the folder, read once for the squash and
    helper look-ups of every migration judged there; unreadable files left out."""
    texts = []
    for name, _mtime in listing:
        try:
            texts.append((name, read_bytes(os.path.join(folder, name)).decode("utf-8")))
        except (ReadError, TooLarge, UnicodeDecodeError):
            continue
    return tuple(texts)


@lru_cache(maxsize=64)
def _squashes(folder: str, listing: tuple[tuple[str, float], ...]) -> dict[str, str]:
    """Migration name -> the file of the squashed migration in this folder that
    replaces it. Django runs the squash instead of the migrations it replaces
    (on a database that applied all of them, or none), so their steps are
    one history, judged once, in the squash."""
    replaced: dict[str, str] = {}
    for name, text in _folder_texts(folder, listing):
        target = os.path.join(folder, name)
        if "replaces" not in text:
            continue
        try:
            tree = python_trees.parse(text, target, report=False)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        cls = migration_class(tree)
        for node in cls.body if cls else ():
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "replaces"
                                                     for t in node.targets):
                for element in node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) else ():
                    if isinstance(element, ast.Tuple) and len(element.elts) == 2:
                        migration = _text(element.elts[1])
                        if migration and migration + ".py" != name:
                            replaced.setdefault(migration, name)
    return replaced


def replaced_by(path: str) -> str | None:
    """The squashed migration in the same folder that replaces this one, if any."""
    folder, name = os.path.split(os.path.abspath(path))
    return _squashes(folder, _listing(folder)).get(name[:-3] if name.endswith(".py") else name)


# --- judging one migration ------------------------------------------------------


@record
class _Module:
    functions: dict[str, ast.FunctionDef]
    constants: dict[str, ast.expr]
    created: set[str]  # models created in this migration: no lock to worry about
    postgres: bool
    state: State
    added_uniques: set[tuple[str, frozenset[str]]]
    fresh: frozenset[str] = frozenset()  # fields added here or by a dependency: filling them loses nothing
    initial: bool = False  # `initial = True`: rolling it back removes the app's tables anyway
    path: str = ""
    tree: ast.Module | None = None  # for RunPython(*helper(...)): the helper's imports


def analyse(tree: ast.Module, path: str, postgres: bool = False) -> list[Issue] | None:
    """The issues of a Django migration; None when the file holds no Migration class."""
    cls = migration_class(tree)
    if cls is None:
        return None
    ops = operations(cls, tree)  # `operations = operations`: the module-level list, every branch
    module = _Module(
        module_functions(tree),
        module_constants(tree),
        {(_text(arg(op, 0, "name")) or "").lower() for op in ops if call_name(op) == "CreateModel"},
        postgres and not _fresh_databases_only(cls),
        state_before(path) if _needs_history(ops) else State(),
        added_uniques(ops),
    )
    module.fresh = _added_by_dependencies(cls, path) | added_fields(ops)
    module.initial = _initial(cls)
    module.path = path
    module.tree = tree
    issues: list[Issue] = []
    whole = (span(cls)[0], span(cls)[0])
    restores = False  # an earlier step whose reverse runs code: it can copy the data back
    for op in ops:
        for issue in _operation(op, module, ""):
            if restores and issue.kind in ("remove-field", "delete-model"):
                continue
            issues.append(replace(issue, ack_lines=(span(op), *issue.ack_lines, whole)))
        restores = restores or _reverse_runs_code(op, module)
        for applied in _ops_with_inner((op,)):
            module.state.apply(applied)
    return issues


def _operation(op: ast.Call, module: _Module, inside: str) -> Iterator[Issue]:
    name = call_name(op)
    where = (op.lineno, op.col_offset + 1)
    if name == "SeparateDatabaseAndState":
        for inner in _calls(arg(op, 0, "database_operations")):
            for issue in _operation(inner, module, "SeparateDatabaseAndState: "):
                yield replace(issue, ack_lines=issue.ack_lines + (span(op),))
    elif name == "RunPython":
        yield from _run_python(op, module, inside)
    elif name == "RunSQL":
        yield from _run_sql(op, module, inside)
    elif name == "RemoveField":
        what = f"{_text(arg(op, 0, 'model_name'))}.{_text(arg(op, 1, 'name'))}".lower()
        yield Issue(*where, "lossy", "remove-field", f"RemoveField {what}",
                    f"{inside}RemoveField {what} drops the column: a rollback re-adds it empty")
    elif name == "DeleteModel":
        what = (_text(arg(op, 0, "name")) or "?").lower()
        yield Issue(*where, "lossy", "delete-model", f"DeleteModel {what}",
                    f"{inside}DeleteModel {what} drops the table: a rollback recreates it empty")
    elif name == "AlterField":
        yield from _alter_field(op, module, inside)
    elif name == "RemoveConstraint":
        model, constraint = (_text(arg(op, 0, "model_name")) or "").lower(), _text(arg(op, 1, "name")) or ""
        fields = module.state.unique_constraints.get((model, constraint))
        if fields is not None and not _still_unique(model, fields, set(), module):
            yield Issue(*where, "lossy", "unique-removed", f"RemoveConstraint {model}.{constraint}",
                        f"{inside}RemoveConstraint {model}.{constraint} drops a unique constraint: "
                        "its rollback fails once duplicates exist")
    elif name == "AlterUniqueTogether":
        model = (_text(arg(op, 0, "name")) or "").lower()
        kept = together(arg(op, 1, "unique_together"))
        removed = module.state.unique_together.get(model, set()) - kept
        if any(not _still_unique(model, pair, kept, module) for pair in removed):
            yield Issue(*where, "lossy", "unique-removed", f"AlterUniqueTogether {model}",
                        f"{inside}AlterUniqueTogether {model} removes a unique_together: "
                        "its rollback fails once duplicates exist")
    elif module.postgres and name == "AddIndex":
        model = (_text(arg(op, 0, "model_name")) or "?").lower()
        if model not in module.created:
            yield Issue(*where, "locking", "add-index", f"AddIndex {model}",
                        f"{inside}AddIndex on {model} blocks writes while it builds "
                        "(use AddIndexConcurrently in a migration with atomic = False)")
    elif module.postgres and name == "AddField":
        model, column = (_text(arg(op, 0, "model_name")) or "?").lower(), _text(arg(op, 1, "name")) or "?"
        definition = field_def(arg(op, 2, "field"))
        # Django fills a blank=True text column with '' itself: no default needed.
        if (definition and model not in module.created and definition.type not in _NO_COLUMN
                and definition.get("null") is not True and not definition.has_default
                and not (definition.get("blank") is True and _width(definition) is not None)):
            yield Issue(*where, "locking", "not-null-no-default", f"AddField {model}.{column}",
                        f"{inside}AddField {model}.{column} adds a NOT NULL column without a default: "
                        "it fails on a table with rows (add a default, or null=True first)")


def _still_unique(model: str, fields: frozenset[str], kept: set[frozenset[str]], module: _Module) -> bool:
    """A unique constraint on the same or fewer of these fields remains or is
    added in this migration: no duplicates can appear, the rollback cannot fail."""
    others = kept | {pair for name, pair in module.added_uniques if name == model}
    return any(pair and pair <= fields for pair in others)


def _reverse_runs_code(op: ast.Call, module: _Module) -> bool:
    """A RunPython / RunSQL with a real reverse: rolled back after the field or
    model comes back, so it can fill it again (add new, copy, remove old)."""
    if call_name(op) == "RunPython":
        reverse = arg(op, 1, "reverse_code")
        if reverse is None and module.tree is not None and starred_reverse(op, module.tree, module.path):
            return True
        return reverse is not None and not _python_noop(reverse, module) and not (
            isinstance(reverse, ast.Constant) and reverse.value is None)
    if call_name(op) == "RunSQL":
        reverse = arg(op, 1, "reverse_sql")
        text = string_value(reverse, module.constants)
        return reverse is not None and not dotted(reverse).endswith("noop") and (text is None or not empty_sql(text))
    return False


def _run_python(op: ast.Call, module: _Module, inside: str) -> Iterator[Issue]:
    forward, reverse = arg(op, 0, "code"), arg(op, 1, "reverse_code")
    label = f"RunPython({_callable_name(forward)})"
    where = (op.lineno, op.col_offset + 1)
    ack = tuple(span(f) for f in _reached(forward, module)[:1])
    if reverse is None or isinstance(reverse, ast.Constant) and reverse.value is None:
        if module.initial:
            return  # the app's first migration: rolling it back means removing the app, not a release
        if (reverse is None and module.tree is not None and _starred(op)
                and starred_reverse(op, module.tree, module.path) is not False):
            return  # RunPython(*helper(...)): the pair gives a reverse, or cannot be read (no finding)
        factory = dotted(forward.func) if isinstance(forward, ast.Call) else ""
        users = _factory_users(os.path.dirname(os.path.abspath(module.path)), factory) if factory else ()
        if len(users) >= _CONVENTION:
            # One helper builds the forward step of many migrations, none with a
            # reverse: one decision, made in the helper; reported once, on the newest.
            if os.path.basename(module.path) != users[-1]:
                return
            label = f"RunPython({factory}(...))"
            yield Issue(*where, "irreversible", "no-reverse", label,
                        f"{inside}{label} has no reverse_code, like {len(users) - 1} earlier migrations of this folder "
                        f"built with {factory}() ({users[0]} to {users[-2]}): Django refuses to roll any of them back; "
                        f"give {factory}() a reverse, or say why not once", ack,
                        detail=f"has no reverse, like the {len(users) - 1} earlier {factory}() migrations")
            return
        yield Issue(*where, "irreversible", "no-reverse", label,
                    f"{inside}{label} has no reverse_code: Django refuses to roll it back", ack)
        return
    if _python_noop(reverse, module):
        why = _destructive_python(forward, module)
        if why:
            yield Issue(*where, "lossy", "noop-reverse", label,
                        f"{inside}{label} {why} but its reverse_code is a no-op: "
                        "a rollback runs and silently leaves the data as it is", ack,
                        detail=f"{why} and reverses as a no-op")


def _run_sql(op: ast.Call, module: _Module, inside: str) -> Iterator[Issue]:
    forward, reverse = arg(op, 0, "sql"), arg(op, 1, "reverse_sql")
    where = (op.lineno, op.col_offset + 1)
    forward_sql = string_value(forward, module.constants) or ""
    keyword = destructive_sql(forward_sql)
    label = f"RunSQL({keyword or _first_words(forward_sql)})"
    if reverse is None or isinstance(reverse, ast.Constant) and reverse.value is None:
        if module.initial:
            return  # as for RunPython: rolling the app's first migration back removes the app, not a release
        yield Issue(*where, "irreversible", "no-reverse", label,
                    f"{inside}{label} has no reverse_sql: Django refuses to roll it back")
        return
    reverse_sql = string_value(reverse, module.constants)
    noop = dotted(reverse).endswith("noop") or reverse_sql is not None and empty_sql(reverse_sql)
    if noop and keyword:
        yield Issue(*where, "lossy", "noop-reverse", label,
                    f"{inside}{label} runs {keyword} but its reverse_sql is a no-op: "
                    "a rollback runs and silently leaves the data as it is",
                    detail=f"runs {keyword} and reverses as a no-op")


_CONVENTION = 3  # migrations of one folder whose RunPython one helper builds, none with a reverse


def _initial(cls: ast.ClassDef) -> bool:
    return any(isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "initial" for t in node.targets)
               and isinstance(node.value, ast.Constant) and node.value.value is True for node in cls.body)


def _factory_users(folder: str, factory: str) -> tuple[str, ...]:
    return _factory_listing(folder, factory, _listing(folder))


@lru_cache(maxsize=64)
def _factory_listing(folder: str, factory: str, listing: tuple[tuple[str, float], ...]) -> tuple[str, ...]:
    """The migrations of the folder (by name) whose RunPython is built by calling
    ``factory(...)`` and which pass no reverse_code (read as text: cheap, and a
    convention shows in the text)."""
    found = []
    for name, text in _folder_texts(folder, listing):
        target = os.path.join(folder, name)
        if factory + "(" not in text:
            continue  # cheap: most files never name the helper
        try:
            tree = python_trees.parse(text, target, report=False)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        cls = migration_class(tree)
        built = [op for op in (operations(cls) if cls else []) if call_name(op) == "RunPython"
                 and _built_by(arg(op, 0, "code")) == factory]
        if built and all(_no_reverse(arg(op, 1, "reverse_code")) for op in built):
            found.append(name)
    return tuple(found)


def _built_by(code: ast.expr | None) -> str:
    return dotted(code.func) if isinstance(code, ast.Call) else ""


def _no_reverse(reverse: ast.expr | None) -> bool:
    return reverse is None or isinstance(reverse, ast.Constant) and reverse.value is None


def _first_words(sql: str) -> str:
    words = sql.split()[:2]
    return " ".join(words).upper() if words else "..."


def _callable_name(node: ast.AST | None) -> str:
    if isinstance(node, ast.Lambda):
        return "lambda"
    return dotted(node) if node is not None and dotted(node) else "..."


def _reached(node: ast.AST | None, module: _Module) -> list[ast.FunctionDef]:
    if isinstance(node, ast.Name) and node.id in module.functions:
        return functions_reached(module.functions[node.id], module.functions)
    return []


def _python_noop(node: ast.AST, module: _Module) -> bool:
    if dotted(node).endswith("RunPython.noop") or dotted(node) == "noop" and "noop" not in module.functions:
        return True
    if isinstance(node, ast.Lambda):
        return isinstance(node.body, ast.Constant)
    if isinstance(node, ast.Name) and node.id in module.functions:
        return empty_body(module.functions[node.id].body)
    return False


def _destructive_python(forward: ast.AST | None, module: _Module) -> str | None:
    """What the forward function (and the module's functions it calls) does to
    data: "calls .delete()", "runs UPDATE", ...; None when nothing destructive."""
    bodies: list[ast.AST] = list(_reached(forward, module))
    if isinstance(forward, ast.Lambda):
        bodies = [forward]
    for body in bodies:
        querysets = _queryset_names(body)
        for node in ast.walk(body):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            method = node.func.attr
            if method == "delete":
                return "calls .delete()"
            if method == "bulk_update" and not _fills(_bulk_fields(node), module):
                return "calls bulk_update()"
            if method == "update" and _queryset(node.func.value, querysets) and not _fills(
                _update_fields(node, bodies, module.fresh), module
            ):
                return "calls .update()"
            if method in ("execute", "executemany", "raw") and node.args:
                sql = string_value(node.args[0], module.constants) or ""
                keyword = destructive_sql(sql)
                target = _UPDATE_SET.search(sql)
                if keyword and not (keyword == "UPDATE" and target and _fills({target.group(1)}, module)):
                    return f"runs {keyword}"
    return None


_UPDATE_SET = re.compile(r'(?i)\bSET\s+["`]?(\w+)')


def _fills(fields: set[str], module: _Module) -> bool:
    """Only fields this migration (or one it depends on) added: rolling back drops them anyway."""
    return bool(fields) and fields <= module.fresh


def _update_fields(node: ast.Call, bodies: list[ast.AST], fresh: frozenset[str]) -> set[str]:
    """The fields ``.update(...)`` sets. For ``.update(**{name: ...})`` with a
    name not known here, the new fields the forward code spells out stand in."""
    fields = {kw.arg for kw in node.keywords if kw.arg}
    for kw in node.keywords:
        if kw.arg is None and isinstance(kw.value, ast.Dict) and all(_text(k) for k in kw.value.keys):
            fields.update(_text(k) or "" for k in kw.value.keys)
        elif kw.arg is None:
            named = {n.value for body in bodies for n in ast.walk(body)
                     if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in fresh}
            fields.update(named or {"<not known>"})
    return fields


def _bulk_fields(node: ast.Call) -> set[str]:
    given = arg(node, 1, "fields")
    if isinstance(given, (ast.List, ast.Tuple, ast.Set)):
        return {t for t in (_text(e) for e in given.elts) if t}
    return set()


def _queryset(node: ast.AST, names: set[str]) -> bool:
    for part in ast.walk(node):
        if isinstance(part, ast.Attribute) and part.attr in _QUERYSET_PARTS:
            return True
        if isinstance(part, ast.Name) and part.id in names:
            return True
    return False


def _queryset_names(function: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and _queryset(node.value, set()):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.For) and isinstance(node.target, ast.Name) and _queryset(node.iter, set()):
            pass  # a row of a queryset: row.update() is not a queryset update
    return names


# --- AlterField ------------------------------------------------------------------


def _alter_field(op: ast.Call, module: _Module, inside: str) -> Iterator[Issue]:
    model, column = (_text(arg(op, 0, "model_name")) or "?").lower(), _text(arg(op, 1, "name")) or "?"
    new = field_def(arg(op, 2, "field"))
    old = module.state.fields.get((model, column))
    if new is None or old is None:
        return  # no earlier definition in this app's folder: cannot judge
    where = (op.lineno, op.col_offset + 1)
    what = f"AlterField {model}.{column}"
    narrowing = narrows(old, new)
    if narrowing:
        yield Issue(*where, "lossy", "narrowing", what, f"{inside}{what} {narrowing}: values that do not fit are cut or fail")
    if (old.get("unique") is True and new.get("unique") is not True and not new.get("primary_key") or (
        old.type == "OneToOneField" and new.type == "ForeignKey"
    )) and not _still_unique(model, frozenset({column}), set(), module):
        yield Issue(*where, "lossy", "unique-removed", what,
                    f"{inside}{what} drops its unique constraint: its rollback fails once duplicates exist")
    if module.postgres and model not in module.created and rewrites(old, new):
        yield Issue(*where, "locking", "rewrite", what,
                    f"{inside}{what} changes the column type from {describe(old)} to {describe(new)}: "
                    "PostgreSQL rewrites the table under an exclusive lock")


def narrows(old: FieldDef, new: FieldDef) -> str | None:
    """How changing ``old`` into ``new`` loses values, or None."""
    change = f"narrows {describe(old)} to {describe(new)}"
    old_width, new_width = _width(old), _width(new)
    if old_width is not None and new_width is not None:
        return change if new_width < old_width else None
    if old_width is not None and (new.type in _INT_BYTES or new.type in _TIME_RANK or new.type in _NUMBERS):
        return change  # text into a number, date, uuid or boolean
    if old.type in _INT_BYTES and new.type in _INT_BYTES:
        return change if _INT_BYTES[new.type] < _INT_BYTES[old.type] else None
    if old.type == "DecimalField" and new.type == "DecimalField":
        digits = [(d if isinstance(d, int) else 0) for d in (old.get("max_digits"), new.get("max_digits"),
                                                             old.get("decimal_places"), new.get("decimal_places"))]
        return change if digits[1] < digits[0] or digits[3] < digits[2] else None
    if old.type in ("FloatField", "DecimalField") and new.type in _INT_BYTES:
        return change
    if old.type == "FloatField" and new.type == "DecimalField" or old.type in _INT_BYTES and new.type == "BooleanField":
        return change
    if old.type in _TIME_RANK and new.type in _TIME_RANK and old.type != new.type:
        return change if _TIME_RANK[new.type] <= _TIME_RANK[old.type] else None
    return None




# --- the project's practice ---------------------------------------------------------

# A project migrates forward only when at most one in five of its committed data
# migrations (a RunPython or RunSQL step) gives a reverse, over at least twenty of
# them (ECS: 4 of 81, MAAS: 10 of 115; of the projects of the held-out rounds that
# write reverses, the fewest give one in 47 of 100: frePPLe 32 of 68, the-deep 21
# of 43). From ten data migrations on, a practice twice as clear counts too: at most
# one in ten gives a reverse (network-pulse-api: 1 of 18). Between ten and twenty, one in
# five is not yet a practice: un-partner-portal's 2 of 11 keep their findings, two of
# which are real (a CREATE UNIQUE INDEX, triggers). Fewer than ten say nothing.
FORWARD_ONLY_AT_LEAST = 20
FORWARD_ONLY_SHARE = 0.20
CLEARLY_FORWARD_ONLY_AT_LEAST = 10
CLEARLY_FORWARD_ONLY_SHARE = 0.10


def forward_only(reversed_count: int, total: int) -> bool:
    return ((total >= FORWARD_ONLY_AT_LEAST and reversed_count <= total * FORWARD_ONLY_SHARE)
            or clearly_forward_only(reversed_count, total))


def clearly_forward_only(reversed_count: int, total: int) -> bool:
    """At most one in ten of ten or more data migrations gives a reverse."""
    return total >= CLEARLY_FORWARD_ONLY_AT_LEAST and reversed_count <= total * CLEARLY_FORWARD_ONLY_SHARE


def data_step_reverses(text: str, path: str) -> list[bool]:
    """For each RunPython / RunSQL step of a migration (also inside
    SeparateDatabaseAndState's database operations): whether it gives a reverse."""
    if "RunPython" not in text and "RunSQL" not in text:
        return []
    try:
        tree = python_trees.parse(text, path, report=False)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    cls = migration_class(tree)
    if cls is None:
        return []
    found = []
    for op in operations(cls, tree):
        steps = _calls(arg(op, 0, "database_operations")) if call_name(op) == "SeparateDatabaseAndState" else [op]
        for step in steps:
            name = call_name(step)
            if name in ("RunPython", "RunSQL"):
                reverse = arg(step, 1, "reverse_code" if name == "RunPython" else "reverse_sql")
                starred = starred_reverse(step, tree, path) if name == "RunPython" and reverse is None else None
                found.append(starred if starred is not None else not _no_reverse(reverse))
    return found


# --- RunPython(*helper(...)): the pair a helper returns ------------------------------

_HELPER_UP = 8  # folders above a migration searched for the module a helper is imported from


def starred_reverse(op: ast.Call, tree: ast.Module, path: str) -> bool | None:
    """A RunPython whose arguments come from a starred one (``RunPython(*decrypt_factory(...))``)
    and which passes no ``reverse_code=``: True when the starred value gives a reverse (a literal
    pair, or a helper of this module or of a project module it imports whose every
    ``return`` is ``forward, reverse``), False when it gives the forward step alone (``return
    forward,`` / ``forward, None``), None when that cannot be read (or no starred argument)."""
    starred = _starred(op)
    if starred is None or any(kw.arg == "reverse_code" for kw in op.keywords):
        return None
    before = op.args.index(starred)  # positional arguments before the starred one
    value = starred.value
    if isinstance(value, (ast.Tuple, ast.List)):
        return _pair_reverse(value, before)
    if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Name):
        return None
    helper = _helper(value.func.id, tree, path)
    if helper is None:
        return None
    answers = {_pair_reverse(node.value, before) for node in _returns(helper)}
    return answers.pop() if len(answers) == 1 else None


def _starred(op: ast.Call) -> ast.Starred | None:
    """The starred argument among a call's first two positional ones."""
    return next((a for a in op.args[:2] if isinstance(a, ast.Starred)), None)


def _pair_reverse(node: ast.expr | None, before: int) -> bool | None:
    if not isinstance(node, (ast.Tuple, ast.List)) or any(isinstance(e, ast.Starred) for e in node.elts):
        return None
    items = before + len(node.elts)
    if items == 1:
        return False
    if items < 1 or before > 1:
        return None
    reverse = node.elts[1 - before]
    return not (isinstance(reverse, ast.Constant) and reverse.value is None)


def _returns(function: ast.FunctionDef) -> Iterator[ast.Return]:
    """The function's own ``return`` statements (not those of functions defined inside it)."""
    todo: list[ast.AST] = list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return):
            yield node
        todo.extend(ast.iter_child_nodes(node))


def _helper(name: str, tree: ast.Module, path: str) -> ast.FunctionDef | None:
    """The module-level function ``name`` of this module, or of the project module it is
    imported from (``from app.utils import name``, found beside or above the migration)."""
    local = module_functions(tree)
    if name in local:
        return local[name]
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    return _imported(node.module, node.level, alias.name, os.path.dirname(os.path.abspath(path)))
    return None


def _imported(module: str, level: int, name: str, folder: str) -> ast.FunctionDef | None:
    parts = module.split(".")
    if level:
        for _ in range(level - 1):
            folder = os.path.dirname(folder)
        bases = [folder]
    else:
        bases = []
        for _ in range(_HELPER_UP):
            bases.append(folder)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    for base in bases:
        for candidate in (os.path.join(base, *parts) + ".py", os.path.join(base, *parts, "__init__.py")):
            if os.path.isfile(candidate):
                return _module_function(candidate, name)
    return None


@lru_cache(maxsize=32)
def _module_function(path: str, name: str) -> ast.FunctionDef | None:
    from hooks.common.migrations import read

    text = read(path, 2_000_000)
    if text is None or f"def {name}" not in text:
        return None
    try:
        tree = python_trees.parse(text, path, report=False)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return module_functions(tree).get(name)
