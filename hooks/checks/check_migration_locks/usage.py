"""What the rest of the repository says about a migration: whether code that
is not a migration still uses a renamed name (read with ``ast``), which
foreign-key columns the other Alembic revisions index, and whether the
project sets a ``lock_timeout`` for every migration."""
from __future__ import annotations

import ast
import os
import re
from functools import lru_cache

from hooks.common.migrations import call_name, string_value, upgrade_code
from hooks.config import paths

_SKIP_DIRS = {".git", ".hg", ".venv", "venv", "env", "node_modules", "__pycache__", "site-packages", ".tox", ".nox",
              "build", "dist", "migrations", ".mypy_cache", ".pytest_cache", "static", "vendor"}
_MAX_BYTES = 1_000_000
# A string is read as SQL by a statement's shape, not by one English word ("... in the case where ..."):
# SELECT ... FROM, UPDATE <table> SET, INSERT INTO, DELETE FROM, ALTER TABLE; or a WHERE clause (``sql``
# below checks that it names the old name) in a string that also holds SELECT, UPDATE or DELETE.
_SQL_STATEMENT = re.compile(r"(?is)\bSELECT\b.+?\bFROM\b|\bUPDATE\s+[\w.\"`]+\s+SET\b|\bINSERT\s+INTO\b"
                            r"|\bDELETE\s+FROM\b|\bALTER\s+TABLE\b")
_SQL_VERB = re.compile(r"(?i)\b(SELECT|UPDATE|DELETE)\b")


def _sql_naming(value: str, old: str) -> bool:
    """``value`` is SQL (by its shape) that names ``old`` as a word."""
    if not re.search(rf"(?<![\w.]){re.escape(old)}(?!\w)", value):
        return False
    if _SQL_STATEMENT.search(value):
        return True
    return bool(_SQL_VERB.search(value) and re.search(rf"(?i)\bWHERE\s+(?:[\w\"`]+\.)?[\"`]?{re.escape(old)}(?!\w)", value))


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the strings that are prose: docstrings and bare string statements, never run as SQL."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}


@lru_cache(maxsize=4)
def python_files(root: str) -> tuple[str, ...]:
    """The repository's .py files that are not migrations (sorted, relative to ``root``)."""
    found = []
    for folder, dirs, files in os.walk(root):
        alembic = "env.py" in files
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")
                         and not (alembic and d == "versions"))
        for name in files:
            if name.endswith(".py"):
                found.append(os.path.relpath(os.path.join(folder, name), root))
    return tuple(sorted(found))


@lru_cache(maxsize=16)
def _holding(root: str, word: str) -> tuple[str, ...]:
    """The modules of :func:`python_files` whose text holds ``word`` (read once, not kept)."""
    return tuple(path for path in python_files(root) if word in _read(os.path.join(root, path)))


def _is_test(path: str) -> bool:
    """A test module: never runs in production, so a use there breaks no deploy."""
    parts = path.replace(os.sep, "/").split("/")
    name = parts[-1]
    return (any(part in ("tests", "test", "testing") for part in parts[:-1]) or name == "conftest.py"
            or name.startswith("test_") or name.endswith("_test.py") or name == "tests.py")


@lru_cache(maxsize=2048)
def _text(path: str) -> str:
    return _read(path)


def _read(path: str) -> str:
    from hooks.config.source import ReadError, TooLarge, read_bytes

    try:  # a regular file within the budget: never /dev/zero or a FIFO
        return read_bytes(path, _MAX_BYTES).decode("utf-8")
    except (ReadError, TooLarge, UnicodeDecodeError):
        return ""


@lru_cache(maxsize=2048)
def _tree(path: str) -> ast.Module | None:
    from hooks.config.python_trees import OtherPython, parse

    text = _text(path)
    if not text:
        return None
    try:  # read for context, not judged: a newer Python's module is not reported per call (see unread)
        return parse(text, path, report=False)
    except OtherPython as error:
        _other_python[path] = str(error.msg)
        return None
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


# Modules read for rename-in-use that need a newer Python (path -> message): the check prints one
# line per pre-commit run for those holding an old name, not one per call of the hook (pre-commit
# splits the file list, and each call reads the repository's code).
unread: dict[str, str] = {}
_other_python: dict[str, str] = {}


def _code_tree(root: str, path: str) -> ast.Module | None:
    """The tree of a module of the code searched for an old name; one that needs a newer Python is kept in
    ``unread``."""
    full = os.path.join(root, path)
    tree = _tree(full)
    if tree is None and full in _other_python:
        unread[path] = _other_python[full]
    return tree


def _uses(tree: ast.Module, old: str, kind: str, model: str = "", models: frozenset[str] = frozenset()) -> int:
    """The first line of ``tree`` that uses ``old``; 0 when none does. For a field of ``model``, a use tied to
    another of the project's ``models`` is not one (:func:`_elsewhere`)."""
    lines = []
    labels = _labels(tree) | _docstrings(tree)
    if kind == "field" and model and models:
        labels |= _elsewhere(tree, old, model, models)
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if id(node) in labels:
            continue
        if kind == "model":
            if isinstance(node, ast.Name) and node.id == old or isinstance(node, ast.Attribute) and node.attr == old:
                lines.append(line)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith("." + old):
                lines.append(line)
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and any(a.name.split(".")[-1] == old
                                                                         for a in node.names):
                lines.append(line)
            continue
        if isinstance(node, ast.Attribute) and node.attr == old:
            lines.append(line)
        elif isinstance(node, ast.keyword) and node.arg and (node.arg == old or node.arg.startswith(old + "__")):
            lines.append(getattr(node.value, "lineno", 0))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value
            if value.lstrip("-") == old or value.startswith(old + "__"):
                lines.append(line)
            elif _sql_naming(value, old):
                lines.append(line)
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, (ast.Assign, ast.AnnAssign)) and not _filter_parameter(statement.value):
                    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                    if any(isinstance(t, ast.Name) and t.id == old for t in targets):
                        lines.append(statement.lineno)
    return min((line for line in lines if line), default=0)


def _other_model(node: ast.expr, model: str, models: frozenset[str], bound: set[str]) -> bool:
    """``node`` holds an instance or a queryset of another model than ``model``: its chain of attributes and calls
    reaches a class or a relation named for one of the project's ``models`` (``marketplace_models.Resource.objects
    .exclude(...)``, ``invoice_item.resource``) before ``model``, or a variable bound to one."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, (ast.Attribute, ast.Name)):
            name = (node.attr if isinstance(node, ast.Attribute) else node.id).replace("_", "").lower()
            if name == model:
                return False
            if name in models or isinstance(node, ast.Name) and node.id in bound:
                return True
            if isinstance(node, ast.Name):
                return False
            node = node.value
        else:
            return False


def _elsewhere(tree: ast.Module, old: str, model: str, models: frozenset[str]) -> set[int]:
    """ids of the nodes that name ``old`` on another model (held-out round 13, waldur's policy app:
    ``resources.filter(project=...)`` on ``Resource``, ``invoice_item.resource.project``): an attribute read on
    it, a keyword of a query or constructor of it."""
    found: set[int] = set()
    for scope in ast.walk(tree):
        if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        bound: set[str] = set()
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign) and _other_model(node.value, model, models, bound):
                bound.update(target.id for target in node.targets if isinstance(target, ast.Name))
        for node in ast.walk(scope):
            if isinstance(node, ast.Attribute) and node.attr == old and _other_model(node.value, model, models, bound):
                found.add(id(node))
            elif isinstance(node, ast.Call) and _other_model(node.func, model, models, bound):
                found.update(id(keyword) for keyword in node.keywords
                             if keyword.arg and (keyword.arg == old or keyword.arg.startswith(old + "__")))
    return found


def _filter_parameter(value: ast.expr | None) -> bool:
    """``customer = URLFilter(..., field_name="scope__customer__uuid")``: a django-filter ``FilterSet`` attribute
    with its own ``field_name`` names an API query parameter, not a field (held-out round 13, waldur); the
    ``field_name`` string is the use, read as any string. Without ``field_name`` the attribute is the field."""
    return (isinstance(value, ast.Call) and call_name(value).endswith("Filter")
            and any(keyword.arg == "field_name" for keyword in value.keywords))


# Strings that name a route, a URL, a logger or a label, not a field or a column:
# ``router.register("roles", ...)``, ``path(..., name="roles")``, ``url_name="ipaddresses"``.
_LABEL_KEYWORDS = frozenset({"url_name", "basename", "name", "related_name", "related_query_name", "verbose_name",
                             "verbose_name_plural", "help_text", "label", "url_path", "prefix", "template_name"})
_LABEL_CALLS = frozenset({"register", "path", "re_path", "url", "reverse", "reverse_lazy", "getLogger", "include",
                          "gettext", "gettext_lazy", "_", "pgettext", "ngettext"})


def _labels(tree: ast.Module) -> set[int]:
    """ids of the string constants that are labels (above)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in _LABEL_KEYWORDS and isinstance(node.value, ast.Constant):
            found.add(id(node.value))
        elif isinstance(node, ast.Call) and call_name(node) in _LABEL_CALLS:
            found.update(id(a) for a in node.args if isinstance(a, ast.Constant))
    return found


def still_used(root: str, old: str, kind: str, within: str = "", table: str = "",
               chain: str = "", model: str = "") -> tuple[str, int] | None:
    """(path, line) of the first non-migration module that still uses ``old``:
    a Django field of an app (``within`` the app folder), a model class, a
    column of ``table`` (:func:`_column_uses`; ``chain``: the folder of the
    revision's Alembic ``env.py``) or a table name. A field of ``model`` (Django's lower-case model_name) is
    also searched in the rest of the repository, where only a use tied to that model counts."""
    if kind == "column":
        return _column_used(root, old, table.split(".")[-1].lower(), chain)
    outside: list[str] = []
    for path in _holding(root, old):
        if _is_test(path):
            continue
        if within and not (path + "/").startswith(within.rstrip("/") + "/"):
            outside.append(path)
            continue
        full = os.path.join(root, path)
        text = _text(full)
        if table and table not in text:
            continue
        tree = _code_tree(root, path)
        line = _uses(tree, old, kind, model, _model_names(root) if model else frozenset()) if tree is not None else 0
        if line:
            return path, line
    if kind == "field" and model:
        # Another app's code: only a use tied to the model counts (held-out round 13, waldur's AWS plugin reads
        # ``ssh_key.fingerprint`` on an ``SshPublicKey`` of the core app); the bare name would flood.
        for path in outside:
            text = _text(os.path.join(root, path)).lower()
            if model not in text and model not in text.replace("_", ""):
                continue
            tree = _code_tree(root, path)
            line = _model_uses(tree, old, model) if tree is not None else 0
            if line:
                return path, line
    return None


@lru_cache(maxsize=4)
def _model_names(root: str) -> frozenset[str]:
    """The lower-case names of the classes of the project's model modules (``models.py``, ``models/*.py``)."""
    names: set[str] = set()
    for path in python_files(root):
        parts = path.replace(os.sep, "/").split("/")
        if parts[-1] != "models.py" and "models" not in parts[:-1] or _is_test(path):
            continue
        tree = _tree(os.path.join(root, path))
        if tree is not None:
            names.update(node.name.lower() for node in tree.body if isinstance(node, ast.ClassDef))
    return frozenset(names)


def _model_named(node: ast.AST, model: str) -> bool:
    """``node`` names the model (``SshPublicKey``, ``models.SshPublicKey``) or, Django's naming of a relation to it,
    an attribute or key spelled as the model in snake case (``ssh_public_key``)."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
    if name is None and isinstance(node, ast.Constant) and isinstance(node.value, str):
        name = node.value
    return name is not None and name.replace("_", "").lower() == model


def _tied(value: ast.expr, model: str) -> bool:
    """An expression whose value is the model's instance (or queryset): ``SshPublicKey.objects.get(...)``,
    ``x.ssh_public_key``, ``validated_data.get("ssh_public_key")``, ``data["ssh_public_key"]``."""
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Attribute) and func.attr == "get" and value.args and _model_named(value.args[0], model):
            return True
        while isinstance(func, ast.Attribute):  # Model.objects.filter(...).first()
            if _model_named(func, model):
                return True
            func = func.value.func if isinstance(func.value, ast.Call) else func.value
        return isinstance(func, ast.Name) and _model_named(func, model)
    if isinstance(value, ast.Subscript):
        return _model_named(value.slice, model)
    return isinstance(value, ast.Attribute) and _model_named(value, model)


def _model_uses(tree: ast.Module, old: str, model: str) -> int:
    """The first line that reads field ``old`` on an instance of ``model`` (lower case, Django's model_name): an
    attribute of a variable the same function binds to the model, of a relation named for it, a lookup keyword
    of a query on it, or a serializer's ``Meta.fields`` with ``model = Model``."""
    lines: list[int] = []
    for scope in ast.walk(tree):
        if isinstance(scope, ast.ClassDef):
            lines += _serializer_fields(scope, old, model)
            continue
        if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        bound = {target.id for node in ast.walk(scope) if isinstance(node, ast.Assign) and _tied(node.value, model)
                 for target in node.targets if isinstance(target, ast.Name)}
        for node in ast.walk(scope):
            if isinstance(node, ast.Attribute) and node.attr == old and isinstance(node.ctx, ast.Load):
                if isinstance(node.value, ast.Name) and node.value.id in bound or _tied(node.value, model):
                    lines.append(node.lineno)
            elif isinstance(node, ast.Call) and _tied(node, model) and any(
                    keyword.arg and (keyword.arg == old or keyword.arg.startswith(old + "__"))
                    for keyword in node.keywords):
                lines.append(node.lineno)
    return min(lines, default=0)


def _serializer_fields(node: ast.ClassDef, old: str, model: str) -> list[int]:
    """``class Meta: model = SshPublicKey; fields = ("fingerprint", ...)``."""
    if node.name != "Meta":
        return []
    values: dict[str, ast.expr] = {}
    for statement in node.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    values[target.id] = statement.value
    model_value = values.get("model")
    fields = values.get("fields")
    if model_value is None or not _model_named(model_value, model) or not isinstance(fields, (ast.List, ast.Tuple)):
        return []
    return [element.lineno for element in fields.elts if isinstance(element, ast.Constant) and element.value == old]


# --- a renamed column: uses tied to its table -----------------------------------
#
# An identifier spelled like the old column is not a use of it: an API/DTO field
# (``modified_at: datetime``), a client SDK's field spec, a keyword of a dataclass
# (``modified_at=row.updated_at``, which already reads the new column), another
# service's model of a same-named table on its own database (held-out round 8,
# backend.ai). A use is tied to the table: the table's ORM model (``__tablename__``)
# or ``Table`` object (``Model.old``, ``table.c.old``, ``Model(old=...)``,
# ``select(Model).where(...).values(old=...)``), a field of that model, a
# ``Column("old")`` of its ``Table``, or an SQL string that names both the table
# and the column.

_TABLE_CALLS = frozenset({"Table", "table"})
_COLUMN_CALLS = frozenset({"Column", "column", "mapped_column"})


@lru_cache(maxsize=8)
def _chain_homes(root: str) -> tuple[str, ...]:
    """The folders that hold each Alembic chain's package: the parent of every folder with an
    ``env.py`` and a ``versions/`` folder (``src/app/models`` for ``src/app/models/alembic``)."""
    homes = set()
    for path in python_files(root):
        folder = os.path.dirname(path)
        if os.path.basename(path) == "env.py" and os.path.isdir(os.path.join(root, folder, "versions")):
            homes.add(os.path.dirname(folder))
    return tuple(sorted(homes))


def _another_chain(path: str, home: str, homes: tuple[str, ...]) -> bool:
    """``path`` lies in the package of another Alembic chain (another database) than ``home``'s."""
    inside = [h for h in homes if not h or (path + "/").startswith(h + "/")]
    return bool(inside) and max(inside, key=len) != home


def _home(root: str, chain: str) -> str | None:
    if not chain:
        return None
    return os.path.dirname(os.path.relpath(os.path.abspath(chain), root)).replace(os.sep, "/").lstrip(".")


def _first_string(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _same_table(name: str | None, table: str) -> bool:
    return bool(name) and str(name).split(".")[-1].strip('"').lower() == table


def _tablename(node: ast.ClassDef) -> str | None:
    for statement in node.body:
        if (isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__tablename__"
                                                      for t in statement.targets)
                or isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
                and statement.target.id == "__tablename__"):
            value = statement.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value
    return None


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


@lru_cache(maxsize=64)
def _table_objects(root: str, table: str, home: str | None) -> frozenset[str]:
    """Names of the classes mapped to ``table`` (``__tablename__``) and of the variables holding
    its ``Table``, over the repository's code outside other chains' packages."""
    homes = _chain_homes(root) if home is not None else ()
    names: set[str] = set()
    for path in sorted(set(_holding(root, "__tablename__")) | set(_holding(root, "able("))):
        if home is not None and _another_chain(path, home, homes) or _is_test(path):
            continue
        text = _text(os.path.join(root, path))
        if table not in text.lower():
            continue
        tree = _tree(os.path.join(root, path))
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and _same_table(_tablename(node), table):
                names.add(node.name)
            elif (isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call)
                  and call_name(node.value) in _TABLE_CALLS and _same_table(_first_string(node.value), table)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(_name(t) for t in targets if _name(t))
    return frozenset(names)


def _column_used(root: str, old: str, table: str, chain: str) -> tuple[str, int] | None:
    home = _home(root, chain)
    homes = _chain_homes(root) if home is not None else ()
    names = _table_objects(root, table, home)
    for path in _holding(root, old):
        if home is not None and _another_chain(path, home, homes) or _is_test(path):
            continue
        full = os.path.join(root, path)
        text = _text(full)
        if table not in text.lower() and not any(name in text for name in names):
            continue
        tree = _code_tree(root, path)
        line = _column_uses(tree, old, table, names) if tree is not None else 0
        if line:
            return path, line
    return None


def _column_uses(tree: ast.Module, old: str, table: str, names: frozenset[str]) -> int:
    """The first line of ``tree`` that uses column ``old`` of ``table`` (above); 0 when none does."""
    lines: list[int] = []
    table_word = re.compile(rf"(?i)(?<!\w){re.escape(table)}(?!\w)")
    prose = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and _same_table(_tablename(node), table):
            lines += _model_fields(node, old)
        elif isinstance(node, ast.Call) and call_name(node) in _TABLE_CALLS and _same_table(_first_string(node), table):
            lines += [column.lineno for argument in node.args[1:] for column in ast.walk(argument)
                      if isinstance(column, ast.Call) and call_name(column) in _COLUMN_CALLS
                      and _first_string(column) == old]
        elif isinstance(node, ast.Attribute) and node.attr == old and _bound(node.value, names):
            lines.append(node.lineno)
        elif (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value == old
              and isinstance(node.value, ast.Attribute) and node.value.attr in ("c", "columns")
              and _bound(node.value, names)):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and any(k.arg == old for k in node.keywords) and names and any(
                isinstance(part, (ast.Name, ast.Attribute)) and _name(part) in names for part in ast.walk(node.func)):
            lines.append(node.lineno)  # Model(old=...), update(Model).values(old=...)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose
              and _sql_naming(node.value, old) and table_word.search(node.value)):
            lines.append(node.lineno)
    return min((line for line in lines if line), default=0)


def _bound(node: ast.expr, names: frozenset[str]) -> bool:
    """``node`` is the table's model or ``Table`` (``Model``, ``Model.__table__.c``, ``table.c``)."""
    if isinstance(node, ast.Attribute) and node.attr in ("c", "columns"):
        node = node.value
    if isinstance(node, ast.Attribute) and node.attr == "__table__":
        node = node.value
    return isinstance(node, (ast.Name, ast.Attribute)) and _name(node) in names


def _model_fields(model: ast.ClassDef, old: str) -> list[int]:
    """Lines of ``model``'s body that map column ``old``: ``old = Column(...)`` (unless the column is
    named otherwise: ``old = Column("new", ...)``), or any attribute mapped with ``Column("old", ...)``."""
    lines = []
    for statement in model.body:
        if not isinstance(statement, (ast.Assign, ast.AnnAssign)):
            continue
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        value = statement.value
        named = _first_string(value) if isinstance(value, ast.Call) and call_name(value) in _COLUMN_CALLS else None
        if any(isinstance(t, ast.Name) and t.id == old for t in targets) and named in (None, old):
            lines.append(statement.lineno)
        elif named == old:
            lines.append(statement.lineno)
    return lines


def forget() -> None:
    """Drop what earlier runs in this process read (tests and the report run many)."""
    other_database.cache_clear()
    for cached in (python_files, _holding, _text, _tree, _folder_keys, project_lock_timeout, _chain_homes, _table_objects,
                   _model_names):
        cached.cache_clear()
    unread.clear()
    _other_python.clear()


# --- Alembic: indexes made by the other revisions ------------------------------


def folder_indexes(folder: str) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """((table, first column) of every index / unique / key created, tables dropped)
    over every revision of an Alembic versions folder."""
    indexes, _, dropped = _folder_keys(folder)
    return indexes, dropped


def indexed_elsewhere(folder: str, table: str, column: str, revision: str = "") -> tuple[str, str] | None:
    """(another table, the revision's file name) on which a revision of the folder builds an index, by
    ``create_index``, ``Index(...)``, ``index=True`` or ``CREATE INDEX``, that starts with a column named
    ``column``: the project indexes that foreign key where it has it (a primary key or a unique constraint is
    not that choice); one in ``revision`` (a file name) first."""
    column = column.lower()
    found = sorted((name != revision, other, name) for other, first, name in _folder_keys(folder)[1]
                   if first == column and other != table)
    return (found[0][1], found[0][2]) if found else None  # this revision's own first


@lru_cache(maxsize=32)
def _folder_keys(folder: str) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str, str]], frozenset[str]]:
    indexes: set[tuple[str, str]] = set()
    built: set[tuple[str, str, str]] = set()  # (table, first column, file): indexes built, not keys
    dropped: set[str] = set()
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".py"))
    except OSError:
        return frozenset(), frozenset(), frozenset()
    for name in names:
        path = os.path.join(folder, name)
        text = _text(path)
        lower = text.lower()
        if "index" not in lower and "drop_table" not in text and "unique" not in lower and "primary" not in lower:
            continue
        tree = _tree(path)
        up = upgrade_code(tree) if tree is not None else None
        if up is None:
            continue
        for node in ast.walk(up):
            if not isinstance(node, ast.Call):
                continue
            method = call_name(node)
            if method == "create_table" and node.args:
                indexes.update(_keys_of_new_table(node))
                built.update((table, first, name) for table, first in _indexes_of_new_table(node))
            elif method == "add_column" and len(node.args) >= 2 and isinstance(node.args[1], ast.Call):
                table = string_value(node.args[0], {})
                column = string_value(node.args[1].args[0], {}) if node.args[1].args else None
                if table and column and _index_true(node.args[1]):
                    built.add((table.lower(), column.lower(), name))
            elif method in ("create_index", "create_unique_constraint", "create_primary_key") and len(node.args) >= 3:
                table = string_value(node.args[1], {})
                columns = node.args[2]
                if table and isinstance(columns, (ast.List, ast.Tuple)) and columns.elts:
                    first = string_value(columns.elts[0], {})
                    if first:
                        indexes.add((table.lower(), first.lower()))
                        if method == "create_index":
                            built.add((table.lower(), first.lower(), name))
            elif method == "drop_table" and node.args:
                table = string_value(node.args[0], {})
                if table:
                    dropped.add(table.lower())
            elif method == "execute" and node.args:
                sql = string_value(node.args[0], {}) or ""
                for match in re.finditer(r'(?i)\bINDEX\b[^;]*?\bON\s+(?:ONLY\s+)?"?(\w+)"?\s*(?:USING\s+\w+\s*)?\(\s*"?(\w+)',
                                         sql):
                    indexes.add((match.group(1).lower(), match.group(2).lower()))
                    built.add((match.group(1).lower(), match.group(2).lower(), name))
    return frozenset(indexes), frozenset(built), frozenset(dropped)


def _index_true(column: ast.Call) -> bool:
    return any(keyword.arg == "index" and isinstance(keyword.value, ast.Constant) and keyword.value.value is True
               for keyword in column.keywords)


def _indexes_of_new_table(node: ast.Call) -> set[tuple[str, str]]:
    """(table, first column) of the indexes a ``create_table`` builds: ``sa.Index(...)``, ``Column(index=True)``."""
    table = string_value(node.args[0], {})
    if not table:
        return set()
    found = set()
    for part in node.args[1:]:
        if not isinstance(part, ast.Call) or not part.args:
            continue
        kind = call_name(part)
        first = string_value(part.args[1], {}) if kind == "Index" and len(part.args) > 1 else (
            string_value(part.args[0], {}) if kind in ("Column", "mapped_column") and _index_true(part) else None)
        if first:
            found.add((table.lower(), first.lower()))
    return found


def model_index(root: str, table: str, column: str) -> tuple[str, int] | None:
    """(path, line) of the SQLAlchemy model of ``table`` declaring ``column`` with ``index=True`` (a
    ``__tablename__`` class, or a ``Table``), outside tests: the project asks for that index."""
    for path in sorted(set(_holding(root, "__tablename__")) | set(_holding(root, "able("))):
        if _is_test(path) or "index" not in _text(os.path.join(root, path)):
            continue
        if table not in _text(os.path.join(root, path)).lower():
            continue
        tree = _tree(os.path.join(root, path))
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and _same_table(_tablename(node), table):
                for statement in node.body:
                    value = statement.value if isinstance(statement, (ast.Assign, ast.AnnAssign)) else None
                    targets = (statement.targets if isinstance(statement, ast.Assign) else
                               [statement.target] if isinstance(statement, ast.AnnAssign) else [])
                    if (isinstance(value, ast.Call) and call_name(value) in _COLUMN_CALLS and _index_true(value)
                            and column in {_first_string(value)} | {t.id for t in targets if isinstance(t, ast.Name)}):
                        return path, statement.lineno
            elif (isinstance(node, ast.Call) and call_name(node) in _TABLE_CALLS
                  and _same_table(_first_string(node), table)):
                for part in node.args:
                    if (isinstance(part, ast.Call) and call_name(part) in _COLUMN_CALLS and _index_true(part)
                            and _first_string(part) == column):
                        return path, part.lineno
    return None


def _keys_of_new_table(node: ast.Call) -> set[tuple[str, str]]:
    """(table, first column) of the primary key, unique constraints, indexes and indexed columns a
    ``create_table`` declares (xivo's ``PrimaryKeyConstraint('line_id', 'extension_id')``)."""
    from hooks.checks.check_migration_locks.alembic import Result, _table_columns

    table = string_value(node.args[0], {})
    if not table:
        return set()
    found = Result()
    _table_columns(node, table.lower(), {}, found)
    return {(name, column.lower()) for name, column in found.indexes} | {
        (column.table, column.name.lower()) for column in found.foreign if column.indexed}


# --- lock_timeout set for every migration --------------------------------------


@lru_cache(maxsize=8)
def project_lock_timeout(root: str, alembic_env: str) -> bool:
    """env.py (Alembic) or a settings module (Django, django-pg-zero-downtime-migrations) sets one."""
    if alembic_env:
        return "lock_timeout" in _text(alembic_env)
    for path in python_files(root):
        if paths.SETTINGS_MODULE.search(path) and re.search(r"lock_timeout|ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT",
                                                            _text(os.path.join(root, path))):
            return True
    return False


# --- databases other than PostgreSQL ------------------------------------------

_OTHER_ENGINE = re.compile(r"django\.db\.backends\.mysql|[\"']mysql\+\w+://|[\"']mariadb(?:\+\w+)?://"
                           r"|[\"'](?:mysql|mariadb)[\"']")
_COMPOSE = re.compile(r"^(?:docker-)?compose[\w.-]*\.ya?ml$")
_COMPOSE_IMAGE = re.compile(r"(?m)^\s*image:\s*[\"']?(?:[\w./-]*/)?(mariadb|mysql)(?::|[\"']?\s*$)")
_COMPOSE_DIRS = ("", "docker", "docker/compose", "deploy", "compose", "contrib", "contrib/docker",
                 "docker-compose", "deployment", ".ci")
# A CI workflow that runs the project on MySQL (ecommerce's migrations-mysql8.yml: DB_ENGINE:
# "django.db.backends.mysql"), or starts a MySQL / MariaDB service container for it.
_WORKFLOW_ENGINE = re.compile(r"(?m)^[^#\n]*(?:django\.db\.backends\.mysql\b|\b(?:mysql|mariadb)\+\w+://)")


_ENGINE_VALUE = re.compile(r"(?i)^(?:[\w.]*\.mysql(?:\.base)?|mysql|mariadb|(?:mysql|mariadb)(?:\+\w+)?://.*)$")


def _names_other_engine(path: str) -> bool:
    """A settings module whose code (a string, never a comment: Django's stock ``# Add 'postgresql_psycopg2',
    'postgresql', 'mysql', 'sqlite3' or 'oracle'.`` beside a PostgreSQL ENGINE) names the MySQL / MariaDB
    engine: ``django.db.backends.mysql``, ``"mysql"``, a ``mysql+pymysql://`` URL, also as a commented-out
    alternative (:data:`_COMMENTED_CONFIG`)."""
    text = _text(path)
    if not _OTHER_ENGINE.search(text):
        return False
    if _COMMENTED_CONFIG.search(text):
        return True  # '# DB_URL=mysql://...', "#'ENGINE': 'django.db.backends.mysql'": a documented alternative
    tree = _tree(path)
    if tree is None:  # not Python 3 as this interpreter reads it: the text without its comments
        return bool(_OTHER_ENGINE.search(re.sub(r"(?m)#.*$", "", text)))
    return any(isinstance(node, ast.Constant) and isinstance(node.value, str)
               and _ENGINE_VALUE.match(node.value.strip()) for node in ast.walk(tree))


# A commented-out configuration for MySQL (an ENGINE, a URL) documents it as an alternative; the bare word
# in Django's stock comment ("Add 'postgresql', 'mysql', 'sqlite3' or 'oracle'.") does not.
_COMMENTED_CONFIG = re.compile(r"(?m)#.*(?:django\.db\.backends\.mysql|\b(?:mysql|mariadb)(?:\+\w+)?://)")


@lru_cache(maxsize=4)
def other_database(root: str) -> str:
    """Where the project says it also runs on MySQL / MariaDB (a settings module
    naming the engine, a compose file running the image), or "". There the
    PostgreSQL-only fixes (CONCURRENTLY, NOT VALID) do not fit the migrations."""
    for path in python_files(root):
        if paths.SETTINGS_MODULE.search(path) and _names_other_engine(os.path.join(root, path)):
            return path
    for folder in _COMPOSE_DIRS:
        try:
            names = sorted(os.listdir(os.path.join(root, folder)))
        except OSError:
            continue
        for name in names:
            full = os.path.join(root, folder, name)
            if _COMPOSE.match(name) and os.path.isfile(full) and _COMPOSE_IMAGE.search(_text(full)):
                return os.path.join(folder, name)
    workflows = os.path.join(".github", "workflows")
    try:
        names = sorted(os.listdir(os.path.join(root, workflows)))
    except OSError:
        names = []
    for name in names:
        full = os.path.join(root, workflows, name)
        if name.endswith((".yml", ".yaml")) and os.path.isfile(full):
            text = _text(full)
            if _WORKFLOW_ENGINE.search(text) or _COMPOSE_IMAGE.search(text):
                return os.path.join(workflows, name)
    return ""
