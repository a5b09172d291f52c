"""Reading database migrations without a database: what two hooks share.

``require-reversible-migrations`` (can it be rolled back) and
``check-migration-locks`` (does it lock a big table) read the same files:
Django migrations (the ``Migration`` class, its ``operations`` and the app's
earlier migrations, replayed into the fields each model has), Alembic
revisions (``upgrade()``'s ``op`` calls, column types) and SQL text. These are
plain moves of the functions the first hook had, so both can import them
without one hook importing the other. Everything works on text and ``ast``
trees: no migration is imported.
"""
from __future__ import annotations

import ast
import copy
import fnmatch
import io
import os
import re
import tokenize
from collections.abc import Iterator
from functools import lru_cache

from hooks.config import paths, python_trees
from hooks.core.records import field, record

_SQL_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)


_SQL_STRINGS = re.compile(r"'(?:[^']|'')*'")


def strip_sql(sql: str) -> str:
    return _SQL_STRINGS.sub("''", _SQL_COMMENTS.sub(" ", sql))


def python_comments(source: str) -> dict[int, str]:
    """Line -> comment text for every comment in Python source (not in strings)."""
    comments: dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # the caller parsed it with ast already; a tokenizer hiccup only loses comments
    return comments


def call_name(node: ast.AST) -> str:
    """The last name of a call's function: ``migrations.RunPython(...)`` -> RunPython."""
    func = node.func if isinstance(node, ast.Call) else node
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def dotted(node: ast.AST) -> str:
    """``migrations.RunPython.noop`` for an attribute chain, "" for anything else."""
    return python_trees.dotted_name(node)


def arg(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if position < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


def string_value(node: ast.AST | None, constants: dict[str, ast.expr]) -> str | None:
    """The text of a string literal, a joined literal, a list/tuple of them, a
    module-level constant naming one, or ``sa.text("...")``; None when not static."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in constants:
        return string_value(constants[node.id], {})
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "strip"):
        template = string_value(node.func.value, constants)  # "ALTER TABLE t AUTO_INCREMENT={}".format(n)
        if template is not None:
            return template
    if isinstance(node, ast.Call) and call_name(node) in ("text", "dedent", "format") and node.args:
        return string_value(node.args[0], constants)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "strip"):
        return string_value(node.func.value, constants)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        left = string_value(node.left, constants)
        right = string_value(node.right, constants) if isinstance(node.op, ast.Add) else ""
        return None if left is None else left + (right or "")
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, (ast.List, ast.Tuple)):
        parts = [string_value(element, constants) for element in node.elts]
        if isinstance(node, ast.Tuple) and parts and parts[0] is not None:
            return parts[0]  # (sql, params)
        return ";\n".join(p for p in parts if p is not None)
    return None


def module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    found: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            found[node.target.id] = node.value
    return found


def module_functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    # async defs are not migration code: Django and Alembic call plain functions.
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


MAX_HELPERS = 50  # module-level functions followed from one upgrade()


def upgrade_code(tree: ast.Module) -> ast.Module | None:
    """An Alembic revision's ``upgrade()`` with the module-level functions it runs: the ones it calls by name
    (``_create_line_extension_table()``), and so on down, and, behind a dispatcher that picks one by name
    (``globals()["upgrade_%s" % engine_name]()``, the multi-database template), every ``upgrade_*`` function.
    One module holding them all (in source order: the steps are sorted by line anyway); None without upgrade()."""
    functions = module_functions(tree)
    up = functions.get("upgrade")
    if up is None:
        return None
    kept: dict[str, ast.FunctionDef] = {"upgrade": up}
    todo = [up]
    while todo and len(kept) < MAX_HELPERS:
        for node in ast.walk(todo.pop()):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name):
                names = [node.func.id]
            elif _by_name(node.func):
                names = [name for name in functions if name.startswith("upgrade_")]
            else:
                continue
            for name in names:
                if name in functions and name not in kept:
                    kept[name] = functions[name]
                    todo.append(functions[name])
    if len(kept) == 1:
        return ast.Module(body=[up], type_ignores=[])
    return ast.Module(body=sorted(kept.values(), key=lambda f: f.lineno), type_ignores=[])


def _by_name(func: ast.expr) -> bool:
    """``globals()[...]`` or ``globals().get(...)``: a function of the module picked by a computed name."""
    if isinstance(func, ast.Subscript):
        holder: ast.expr = func.value
    elif isinstance(func, ast.Call) and isinstance(func.func, ast.Attribute) and func.func.attr == "get":
        holder = func.func.value
    else:
        return False
    return isinstance(holder, ast.Call) and isinstance(holder.func, ast.Name) and holder.func.id == "globals"


def span(node: ast.AST) -> tuple[int, int]:
    start = getattr(node, "lineno", 1)
    decorators = getattr(node, "decorator_list", None)
    if decorators:
        start = min(start, *(d.lineno for d in decorators))
    return start, getattr(node, "end_lineno", None) or start


DJANGO = re.compile(paths.DJANGO_MIGRATIONS)
DJANGO_APP = re.compile(paths.DJANGO_APP_MIGRATIONS)


ALEMBIC = re.compile(paths.ALEMBIC_VERSIONS)


def _posix(path: str) -> str:
    return path.replace(os.sep, "/")


def _glob_match(path: str, pattern: str) -> bool:
    """The glob matches the path or any tail of it (`migrations/*.up.sql` matches `db/migrations/1.up.sql`)."""
    parts = path.split("/")
    return any(fnmatch.fnmatchcase("/".join(parts[i:]), pattern) for i in range(len(parts)))


def alembic_folder(path: str) -> bool:
    """A versions/ folder of an Alembic environment: beside an env.py, or
    named by an alembic.ini's script_location (or version_locations)."""
    versions = os.path.dirname(os.path.abspath(path))
    for _ in range(2):  # versions/postgresql/x.py, versions/<release>/expand/x.py
        if os.path.basename(versions) == "versions":
            break
        versions = os.path.dirname(versions)
    script = os.path.dirname(versions)
    if os.path.isfile(os.path.join(script, "env.py")):
        return True
    folder = script
    for _ in range(6):  # alembic.ini sits at the repo root or a few folders up
        ini = os.path.join(folder, "alembic.ini")
        if os.path.isfile(ini) and _ini_names(ini, script, versions):
            return True
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    root_ini = os.path.join(os.getcwd(), "alembic.ini")  # the hook runs at the repo root
    return os.path.isfile(root_ini) and _ini_names(root_ini, script, versions)


def _ini_names(ini: str, script: str, versions: str) -> bool:
    import configparser  # only when an alembic.ini is there

    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read(ini, encoding="utf-8")
        section = parser["alembic"]
    except (configparser.Error, UnicodeDecodeError, KeyError, OSError):
        return False
    here = os.path.dirname(os.path.abspath(ini))
    wanted = []
    for key in ("script_location", "version_locations"):
        for value in re.split(r"[\s,;:]+" if key == "version_locations" else r"\n", section.get(key, "")):
            value = value.strip().replace("%(here)s", here)
            if value:
                value = value.replace(":", "/") if ":" in value and not os.path.isabs(value) else value
                wanted.append(os.path.normpath(os.path.join(here, value)))
    return script in wanted or versions in wanted


def read(path: str, max_bytes: int) -> str | None:
    """The file's text; None for what cannot be a migration we read (gone, binary, huge, not UTF-8)."""
    from hooks.config.source import ReadError, TooLarge, read_bytes

    try:  # a regular file within the budget: never /dev/zero or a FIFO
        data = read_bytes(path, max_bytes)
    except (ReadError, TooLarge):
        return None
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


_KEPT_KWARGS = ("max_length", "max_digits", "decimal_places", "unique", "null", "primary_key", "blank",
               "db_index", "db_constraint", "db_column", "related_name", "to")


# Column widths of Django's field types, for "does this AlterField narrow it".
_TEXT_WIDTH = {"TextField": 10**9, "JSONField": 10**9, "CharField": None, "SlugField": 50, "EmailField": 254,
               "URLField": 200, "FilePathField": 100, "FileField": 100, "ImageField": 100,
               "GenericIPAddressField": 39, "IPAddressField": 15}


_INT_BYTES = {"BigAutoField": 8, "BigIntegerField": 8, "PositiveBigIntegerField": 8, "AutoField": 4,
              "IntegerField": 4, "PositiveIntegerField": 4, "SmallAutoField": 2, "SmallIntegerField": 2,
              "PositiveSmallIntegerField": 2, "BooleanField": 0, "NullBooleanField": 0}


_TIME_RANK = {"DateTimeField": 2, "DateField": 1, "TimeField": 1}


_RELATIONS = ("ForeignKey", "OneToOneField", "ManyToManyField")


_NO_COLUMN = ("ManyToManyField", "TaggableManager", "GenericRelation", "GenericForeignKey")


_NUMBERS = ("DecimalField", "FloatField", "UUIDField", "DurationField")


UNKNOWN = "?"  # a keyword argument given, but not as a literal (max_length=settings.X)


@record(frozen=True)
class FieldDef:
    type: str
    kwargs: tuple[tuple[str, object], ...] = ()
    has_default: bool = False
    opaque: bool = False  # a ``**name`` that could not be read: null / default / index are not known


    def get(self, name: str) -> object:
        return dict(self.kwargs).get(name)


def field_def(node: ast.AST | None) -> FieldDef | None:
    if not isinstance(node, ast.Call):
        return None
    kept = []
    has_default = False
    opaque = any(kw.arg is None for kw in node.keywords)
    for kw in node.keywords:
        if kw.arg in ("default", "db_default"):
            has_default = True
        elif kw.arg in _KEPT_KWARGS:
            kept.append((kw.arg, kw.value.value if isinstance(kw.value, ast.Constant) else UNKNOWN))
    name = call_name(node)
    if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str) and (
            name.endswith(("ForeignKey", "OneToOneField", "ManyToManyField", "ParentalKey"))):
        kept.append(("to", node.args[0].value))  # ForeignKey("app.Model", ...): the model it points to
    if name == "NullBooleanField":  # Django sets null=True in its __init__, whatever the migration says
        kept = [(key, value) for key, value in kept if key != "null"] + [("null", True)]
    elif _many_to_many(name, node):
        name = "ManyToManyField"  # a join table, no column on the model's table
    return FieldDef(name, tuple(kept), has_default, opaque)


def dict_literals(tree: ast.Module | None, cls: ast.ClassDef | None = None) -> dict[str, ast.Dict]:
    """Names bound to a dict literal at module level or in the class body (the class's win), for reading
    ``Field(**default_args)`` (held-out round 14, osis-admission). A name bound twice is dropped: which value a
    call sees is not known."""
    found: dict[str, ast.Dict] = {}
    for body in ((tree.body if tree is not None else []), (cls.body if cls is not None else [])):
        seen: dict[str, int] = {}
        scoped: dict[str, ast.Dict] = {}
        for node in body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, (ast.AnnAssign, ast.AugAssign)) else []
            value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) else None
            for target in targets:
                if isinstance(target, ast.Name):
                    seen[target.id] = seen.get(target.id, 0) + 1
                    if isinstance(value, ast.Dict) and not isinstance(node, ast.AugAssign):
                        scoped[target.id] = value
        found.update({name: value for name, value in scoped.items() if seen[name] == 1})
    return found


def call_keywords(node: ast.Call, names: dict[str, ast.Dict], depth: int = 0) -> tuple[list[ast.keyword], bool]:
    """The call's keywords with each ``**name`` (a dict literal of ``names``, string keys) merged in; and
    whether all of them could be read. An unread ``**`` stays as it is."""
    merged: list[ast.keyword] = []
    complete = True
    for kw in node.keywords:
        if kw.arg is not None:
            merged.append(kw)
            continue
        expanded = _dict_keywords(kw.value, names, depth)
        if expanded is None:
            merged.append(kw)
            complete = False
        else:
            merged.extend(expanded)
    return merged, complete


def _dict_keywords(value: ast.expr, names: dict[str, ast.Dict], depth: int) -> list[ast.keyword] | None:
    literal = names.get(value.id) if isinstance(value, ast.Name) else value if isinstance(value, ast.Dict) else None
    if literal is None or depth > 5:
        return None
    found: list[ast.keyword] = []
    for key, item in zip(literal.keys, literal.values):
        if key is None:  # {**base, "null": True}
            inner = _dict_keywords(item, names, depth + 1)
            if inner is None:
                return None
            found.extend(inner)
        elif isinstance(key, ast.Constant) and isinstance(key.value, str):
            found.append(ast.copy_location(ast.keyword(arg=key.value, value=item), item))
        else:
            return None
    # a later key wins, as in the dict
    last = {kw.arg: kw for kw in found}
    return list(last.values())


def expand_keywords(op: ast.Call, names: dict[str, ast.Dict]) -> ast.Call:
    """``op`` with every call inside it that passes ``**name`` (a dict literal of ``names``) given those keywords
    explicitly: a copy, the shared tree is not changed. ``op`` itself when there is nothing to read."""
    if not names or not any(isinstance(node, ast.Call) and any(kw.arg is None for kw in node.keywords)
                            for node in ast.walk(op)):
        return op
    op = copy.deepcopy(op)
    for node in ast.walk(op):
        if isinstance(node, ast.Call) and any(kw.arg is None for kw in node.keywords):
            node.keywords = call_keywords(node, names)[0]
    return op


def _many_to_many(name: str, node: ast.Call) -> bool:
    """A field known to be a many-to-many under another name: ``SortedManyToManyField`` (django-sortedm2m),
    ``ParentalManyToManyField`` (modelcluster), ``TreeManyToManyField`` (mptt), and tagulous's ``TagField``
    (django-tagging's ``TagField`` is a ``CharField``: only the tagulous one, by its dotted name)."""
    if name.endswith("ManyToManyField"):
        return True
    return name == "TagField" and dotted(node.func).startswith("tagulous.")


@record
class State:
    """What earlier migrations of one app say about its models."""

    fields: dict[tuple[str, str], FieldDef] = field(default_factory=dict)
    unique_together: dict[str, set[frozenset[str]]] = field(default_factory=dict)
    unique_constraints: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)  # model -> its db_table, when not app_model

    def copy(self) -> State:
        return State(dict(self.fields), dict(self.unique_together), dict(self.unique_constraints), dict(self.tables))

    def table(self, app: str, model: str) -> str:
        """The model's table: its ``db_table`` (CreateModel options, AlterModelTable), else Django's
        ``<app label>_<model>``."""
        return self.tables.get(model) or f"{app}_{model}"

    def _apply_table(self, name: str, op: ast.Call) -> None:
        if name == "AlterModelTable":
            model, table = _text(arg(op, 0, "name")), _text(arg(op, 1, "table"))
            if model:
                self.tables.pop(model.lower(), None)
                if table:
                    self.tables[model.lower()] = table.lower()
        else:  # RenameModel: a db_table stays; app_old becomes app_new
            old, new = _text(arg(op, 0, "old_name")), _text(arg(op, 1, "new_name"))
            if old and new and old.lower() in self.tables:
                self.tables[new.lower()] = self.tables.pop(old.lower())

    def apply(self, op: ast.Call) -> None:
        name = call_name(op)
        if name in ("AlterModelTable", "RenameModel"):
            self._apply_table(name, op)
            return
        model = _text(arg(op, 0, "name" if name in ("CreateModel", "DeleteModel", "AlterUniqueTogether") else "model_name"))
        if model is None:
            return
        model = model.lower()
        if name == "CreateModel":
            self.tables.pop(model, None)
            fields = arg(op, 1, "fields")
            for element in fields.elts if isinstance(fields, (ast.List, ast.Tuple)) else ():
                if isinstance(element, ast.Tuple) and len(element.elts) == 2:
                    column, definition = _text(element.elts[0]), field_def(element.elts[1])
                    if column and definition:
                        self.fields[(model, column)] = definition
            options = arg(op, 2, "options")
            if isinstance(options, ast.Dict):
                for key, value in zip(options.keys, options.values):
                    if _text(key) == "unique_together":
                        self.unique_together[model] = together(value)
                    elif _text(key) == "constraints":
                        self._constraints(model, value)
                    elif _text(key) == "db_table" and _text(value):
                        self.tables[model] = (_text(value) or "").lower()
        elif name in ("AddField", "AlterField"):
            column, definition = _text(arg(op, 1, "name")), field_def(arg(op, 2, "field"))
            if column and definition:
                self.fields[(model, column)] = definition
        elif name == "RemoveField":
            self.fields.pop((model, _text(arg(op, 1, "name")) or ""), None)
        elif name == "RenameField":
            old, new = _text(arg(op, 1, "old_name")), _text(arg(op, 2, "new_name"))
            if old and new and (model, old) in self.fields:
                self.fields[(model, new)] = self.fields.pop((model, old))
            if old and new and model in self.unique_together:
                self.unique_together[model] = {
                    frozenset(new if name == old else name for name in pair) for pair in self.unique_together[model]
                }
        elif name == "AlterUniqueTogether":
            self.unique_together[model] = together(arg(op, 1, "unique_together"))
        elif name == "AddConstraint":
            constraint = arg(op, 1, "constraint")
            if constraint is not None:
                self._constraints(model, ast.List(elts=[constraint]))
        elif name == "RemoveConstraint":
            self.unique_constraints.pop((model, _text(arg(op, 1, "name")) or ""), None)

    def _constraints(self, model: str, value: ast.AST) -> None:
        for constraint in value.elts if isinstance(value, (ast.List, ast.Tuple)) else ():
            unique = unique_constraint(constraint)
            if unique:
                self.unique_constraints[(model, unique[0])] = unique[1]


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def together(node: ast.AST | None) -> set[frozenset[str]]:
    """unique_together as sets of field names; ``("a", "b")`` written flat is one pair."""
    if not isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        return set()  # set(), None, or not static
    if node.elts and all(isinstance(e, ast.Constant) for e in node.elts):
        return {_names(node)}
    return {_names(e) for e in node.elts}


def _names(node: ast.AST) -> frozenset[str]:
    elements = node.elts if isinstance(node, (ast.List, ast.Tuple, ast.Set)) else []
    return frozenset(t for t in (_text(e) for e in elements) if t)


def unique_constraint(node: ast.AST) -> tuple[str, frozenset[str]] | None:
    """(name, fields) of a UniqueConstraint; a conditional one (``condition=``)
    has no fields here, as it does not replace a plain unique constraint."""
    if not isinstance(node, ast.Call) or call_name(node) != "UniqueConstraint":
        return None
    name = _text(arg(node, 99, "name"))
    if not name:
        return None
    conditional = any(kw.arg in ("condition", "expressions") for kw in node.keywords) or bool(node.args)
    return name, frozenset() if conditional else _names(arg(node, 99, "fields") or ast.List(elts=[]))


def _fresh_databases_only(cls: ast.ClassDef) -> bool:
    """``initial = True`` or a squash (``replaces = [...]``): runs on empty databases
    only (existing ones recorded the replaced migrations), so nothing big to lock."""
    for node in cls.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in ("initial", "replaces")
                                                 for t in node.targets):
            value = node.value
            if isinstance(value, ast.Constant) and value.value is True or isinstance(value, ast.List) and value.elts:
                return True
    return False


def migration_class(tree: ast.Module) -> ast.ClassDef | None:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "Migration":
            return node
    return None


def operations(cls: ast.ClassDef, tree: ast.Module | None = None) -> list[ast.Call]:
    """The class's ``operations``. With the module's ``tree``, a list built at
    module level and named in the class (``operations = operations``, often under
    ``if not settings.IS_TESTING:``) is read too: every branch's assignments,
    ``+=``, ``.append`` / ``.extend`` / ``.insert``."""
    for node in cls.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "operations" for t in node.targets):
            return _calls(node.value, tree)
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "operations":
            return _calls(node.value, tree)
    return []


def _calls(node: ast.AST | None, tree: ast.Module | None = None) -> list[ast.Call]:
    if isinstance(node, (ast.List, ast.Tuple)):
        return [element for element in node.elts if isinstance(element, ast.Call)]
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)) and isinstance(node.elt, ast.Call):
        return [node.elt]  # [RunSQL(... % i) for i in range(n)]: one step, n times
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _calls(node.left, tree) + _calls(node.right, tree)
    if isinstance(node, ast.Name) and tree is not None:
        return module_list(tree, node.id)
    return []


def _module_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, into every branch of if / try / for / with (not
    into functions or classes)."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.If, ast.For, ast.While, ast.With, ast.Try)):
            for block in ("body", "orelse", "finalbody"):
                yield from _module_statements(getattr(statement, block, []))
            for handler in getattr(statement, "handlers", []):
                yield from _module_statements(handler.body)


def module_list(tree: ast.Module, name: str) -> list[ast.Call]:
    """The calls a module-level list ``name`` is built from, in every branch."""
    calls: list[ast.Call] = []
    for statement in _module_statements(tree.body):
        if isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in statement.targets):
            if not (isinstance(statement.value, ast.Name) and statement.value.id == name):
                calls.extend(_calls(statement.value))
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.target.id == name:
            calls.extend(_calls(statement.value))
        elif (isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name)
              and statement.target.id == name):
            calls.extend(_calls(statement.value))
        elif (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
              and isinstance(statement.value.func, ast.Attribute) and isinstance(statement.value.func.value, ast.Name)
              and statement.value.func.value.id == name and statement.value.args):
            method, added = statement.value.func.attr, statement.value.args[-1]
            if method in ("append", "insert") and isinstance(added, ast.Call):
                calls.append(added)
            elif method == "extend":
                calls.extend(_calls(added))
    return calls


@lru_cache(maxsize=4096)
def _file_operations(path: str, mtime: float) -> tuple[ast.Call, ...]:
    from hooks.config.source import ReadError, TooLarge, read_bytes

    try:
        tree = python_trees.parse(read_bytes(path).decode("utf-8"), path, report=False)
    except (ReadError, TooLarge, UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    cls = migration_class(tree)
    if cls is None:
        return ()
    names = dict_literals(tree, cls)
    return tuple(expand_keywords(op, names) for op in operations(cls))


@lru_cache(maxsize=64)
def _folder_states(folder: str, listing: tuple[tuple[str, float], ...]) -> dict[str, State]:
    """File name -> the app's state before that migration."""
    states: dict[str, State] = {}
    state = State()
    for name, mtime in listing:
        states[name] = state.copy()
        for op in _ops_with_inner(_file_operations(os.path.join(folder, name), mtime)):
            state.apply(op)
    return states


def _ops_with_inner(ops: tuple[ast.Call, ...]) -> Iterator[ast.Call]:
    for op in ops:
        if call_name(op) == "SeparateDatabaseAndState":
            yield from _calls(arg(op, 1, "state_operations"))
        else:
            yield op


@lru_cache(maxsize=64)
def _listing(folder: str) -> tuple[tuple[str, float], ...]:
    """The folder's migrations, listed once per run (a run is one commit's files)."""
    try:
        return tuple(sorted(
            (entry.name, entry.stat().st_mtime)
            for entry in os.scandir(folder)
            if entry.name[:1].isdigit() and entry.name.endswith(".py") and entry.is_file()
        ))
    except OSError:
        return ()


def state_before(path: str) -> State:
    folder, name = os.path.split(os.path.abspath(path))
    return _folder_states(folder, _listing(folder)).get(name, State()).copy()


def app_label(path: str) -> str:
    """A Django migration's app label, by its folder: ``library/migrations/0002_x.py`` -> library; in a folder of
    its own under a migrations package (MIGRATION_MODULES, ``maasserver/migrations/maasserver/``) that folder."""
    folder = os.path.dirname(os.path.abspath(path))
    parent = os.path.dirname(folder)
    if os.path.basename(parent) == "migrations":
        return os.path.basename(folder).lower()
    return _declared_label(folder) or os.path.basename(parent).lower()


@lru_cache(maxsize=256)
def _declared_label(folder: str) -> str | None:
    """The label the app gives itself: its ``apps.py`` ``label`` (else the last part of ``name``), or else the
    ``(label, "0001_x")`` tuples of its migrations' ``dependencies`` that name a file of this folder. Needed when
    the folder is not named after the app: an app kept at the repository root (held-out round 14,
    osis-admission's ``migrations/`` beside ``apps.py`` with ``name = "admission"``)."""
    from hooks.config.source import ReadError, TooLarge, read_bytes

    def tree_of(path: str) -> ast.Module | None:
        try:
            return python_trees.parse(read_bytes(path).decode("utf-8"), path, report=False)
        except (OSError, ReadError, TooLarge, UnicodeDecodeError, SyntaxError, ValueError, RecursionError,
                MemoryError):
            return None

    apps = os.path.join(os.path.dirname(folder), "apps.py")
    tree = tree_of(apps) if os.path.isfile(apps) else None
    labels: set[str] = set()
    configs = (node for node in (tree.body if tree else []) if isinstance(node, ast.ClassDef)
               and any(dotted(base).endswith("Config") for base in node.bases))
    for cls in configs:
        given = {target.id: _text(node.value) for node in cls.body if isinstance(node, ast.Assign)
                 for target in node.targets if isinstance(target, ast.Name)}
        label = given.get("label") or (given.get("name") or "").rpartition(".")[2]
        if label:
            labels.add(label.lower())
    if len(labels) == 1:
        return labels.pop()
    names = {name[:-3] for name, _ in _listing(folder)}
    for name, _ in _listing(folder):
        migration = tree_of(os.path.join(folder, name))
        holder = migration_class(migration) if migration else None
        for node in holder.body if holder else []:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "dependencies"
                                                    for t in node.targets):
                for pair in node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) else []:
                    if isinstance(pair, ast.Tuple) and len(pair.elts) == 2 and _text(pair.elts[1]) in names:
                        labels.add((_text(pair.elts[0]) or "").lower())
        if labels:
            break
    labels.discard("")
    return labels.pop() if len(labels) == 1 else None


def model_table(path: str, model: str, create: ast.Call | None = None) -> str:
    """The table of a model of the migration ``path``: the ``db_table`` its app's earlier migrations gave it
    (or the ``CreateModel`` ``create`` gives it), else ``<app label>_<model>``."""
    if create is not None:
        state = State()
        state.apply(create)
    else:
        state = state_before(path)
    return state.table(app_label(path), model.lower())


def describe(definition: FieldDef) -> str:
    if definition.type == "DecimalField":
        return f"DecimalField({definition.get('max_digits')}, {definition.get('decimal_places')})"
    width = definition.get("max_length")
    return f"{definition.type}({width})" if width is not None else definition.type


_TEXT_CLASSES = frozenset({"RichTextField", "RichTextUploadingField", "HTMLField", "MarkdownxField", "MartorField",
                           "MarkdownField", "CKEditor5Field", "StreamField", "ArrayField", "HStoreField"})


def _width(definition: FieldDef) -> int | None:
    """The column's length for text-like fields; None when not text or not known.
    A custom field is judged by the column it makes: a TextField subclass (or a
    rich-text field) is text whatever its max_length; a CharField subclass is
    varchar(max_length); any other custom class is not judged."""
    if definition.type not in _TEXT_WIDTH and definition.type not in _INT_BYTES:
        if definition.type in _TEXT_CLASSES or definition.type.endswith("TextField"):
            return None if definition.type in ("ArrayField", "HStoreField", "StreamField") else 10**9
        if not definition.type.endswith(("CharField", "SlugField")):
            return None
    width = definition.get("max_length")
    if width == UNKNOWN:
        return None
    if definition.type in ("TextField", "JSONField"):
        return 10**9  # Django ignores max_length for the column: text / jsonb
    if isinstance(width, int) and not isinstance(width, bool):
        return width
    if definition.type not in _TEXT_WIDTH:
        return None
    default = _TEXT_WIDTH[definition.type]
    return default if default is not None else 10**9


def _number(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _known(definition: FieldDef) -> bool:
    return any(definition.type in family for family in (_TEXT_WIDTH, _INT_BYTES, _TIME_RANK, _NUMBERS))


def rewrites(old: FieldDef, new: FieldDef) -> bool:
    """Does PostgreSQL rewrite the table for this change of column type?"""
    if old.type in _RELATIONS or new.type in _RELATIONS:
        return False
    old_width, new_width = _width(old), _width(new)
    if old_width is not None and new_width is not None:
        if (old.type == "JSONField") != (new.type == "JSONField"):
            return True  # text <-> jsonb converts every row
        # varchar(n) -> varchar(m >= n) or text needs no rewrite; narrowing does.
        return new_width < old_width
    if old.type == "DecimalField" and new.type == "DecimalField":
        return old.get("decimal_places") != new.get("decimal_places") or _number(new.get("max_digits")) < _number(
            old.get("max_digits")
        )
    if old.type == new.type or not (_known(old) and _known(new)):
        return False  # same type (other options changed), or a custom field we cannot see into
    same_int = old.type in _INT_BYTES and new.type in _INT_BYTES and _INT_BYTES[old.type] == _INT_BYTES[new.type]
    return old.type != new.type and not same_int


def _norm(name: str | None) -> str | None:
    return name.strip('"`[]').split(".")[-1].lower() if name else None


_TEXT_TYPES = {"string": 1, "varchar": 1, "unicode": 1, "text": 2, "unicodetext": 2}


def _type_rewrites(old: ast.AST | None, new: ast.AST) -> bool:
    """varchar(n) -> varchar(m >= n) or text does not rewrite; other type changes do."""
    new_name = call_name(new).lower() if isinstance(new, ast.Call) else _attr(new)
    old_name = (call_name(old).lower() if isinstance(old, ast.Call) else _attr(old)) if old is not None else ""
    if new_name in _TEXT_TYPES and old_name in _TEXT_TYPES:
        if _TEXT_TYPES[new_name] == 2:
            return False
        if _TEXT_TYPES[old_name] == 2:
            return True
        return (_length(new) or 10**9) < (_length(old) or 10**9)
    return True


def _dialect(node: ast.AST | None) -> str:
    """``mysql`` for ``mysql.DATETIME(fsp=6)``: a type for another database."""
    target = node.func if isinstance(node, ast.Call) else node
    while isinstance(target, ast.Attribute):
        target = target.value
        if isinstance(target, ast.Name):
            return target.id.lower()
    return ""


def _attr(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr.lower()
    return node.id.lower() if isinstance(node, ast.Name) else ""


def _length(node: ast.AST | None) -> int | None:
    if isinstance(node, ast.Call):
        value = arg(node, 0, "length")
        if isinstance(value, ast.Constant) and isinstance(value.value, int):
            return value.value
    return None
