"""What the rest of the repository says about a migration: whether code that
is not a migration still uses a renamed name (read with ``ast``), which
foreign-key columns the other Alembic revisions index, and whether the
project sets a ``lock_timeout`` for every migration."""
from __future__ import annotations

import ast
import os
import re
from functools import lru_cache

from hooks.common.migrations import call_name, module_functions, string_value
from hooks.config import paths

_SKIP_DIRS = {".git", ".hg", ".venv", "venv", "env", "node_modules", "__pycache__", "site-packages", ".tox", ".nox",
              "build", "dist", "migrations", ".mypy_cache", ".pytest_cache", "static", "vendor"}
_MAX_BYTES = 1_000_000
_SQL_WORDS = re.compile(r"(?i)\b(SELECT|UPDATE|INSERT|DELETE|WHERE|ALTER)\b")


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


@lru_cache(maxsize=2048)
def _text(path: str) -> str:
    from hooks.config.source import ReadError, TooLarge, read_bytes

    try:  # a regular file within the budget: never /dev/zero or a FIFO
        return read_bytes(path, _MAX_BYTES).decode("utf-8")
    except (ReadError, TooLarge, UnicodeDecodeError):
        return ""


@lru_cache(maxsize=2048)
def _tree(path: str) -> ast.Module | None:
    from hooks.config.python_trees import parse

    text = _text(path)
    if not text:
        return None
    try:
        return parse(text, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _uses(tree: ast.Module, old: str, kind: str) -> int:
    """The first line of ``tree`` that uses ``old``; 0 when none does."""
    lines = []
    labels = _labels(tree)
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
            elif _SQL_WORDS.search(value) and re.search(rf"(?<![\w.]){re.escape(old)}(?!\w)", value):
                lines.append(line)
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                    if any(isinstance(t, ast.Name) and t.id == old for t in targets):
                        lines.append(statement.lineno)
    return min((line for line in lines if line), default=0)


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


def still_used(root: str, old: str, kind: str, within: str = "", table: str = "") -> tuple[str, int] | None:
    """(path, line) of the first non-migration module that still uses ``old``:
    a Django field of an app (``within`` the app folder), a model class, an
    SQLAlchemy column (in modules that name ``table``) or a table name."""
    for path in python_files(root):
        if within and not (path + "/").startswith(within.rstrip("/") + "/"):
            continue
        full = os.path.join(root, path)
        text = _text(full)
        if old not in text or table and table not in text:
            continue
        tree = _tree(full)
        line = _uses(tree, old, kind) if tree is not None else 0
        if line:
            return path, line
    return None


def forget() -> None:
    """Drop what earlier runs in this process read (tests and the report run many)."""
    other_database.cache_clear()
    for cached in (python_files, _text, _tree, folder_indexes, project_lock_timeout):
        cached.cache_clear()


# --- Alembic: indexes made by the other revisions ------------------------------


@lru_cache(maxsize=32)
def folder_indexes(folder: str) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """((table, first column) of every index / unique / key created, tables dropped)
    over every revision of an Alembic versions folder."""
    indexes: set[tuple[str, str]] = set()
    dropped: set[str] = set()
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".py"))
    except OSError:
        return frozenset(), frozenset()
    for name in names:
        path = os.path.join(folder, name)
        text = _text(path)
        if "index" not in text.lower() and "drop_table" not in text and "unique" not in text.lower():
            continue
        tree = _tree(path)
        up = module_functions(tree).get("upgrade") if tree is not None else None
        if up is None:
            continue
        for node in ast.walk(up):
            if not isinstance(node, ast.Call):
                continue
            method = call_name(node)
            if method in ("create_index", "create_unique_constraint", "create_primary_key") and len(node.args) >= 3:
                table = string_value(node.args[1], {})
                columns = node.args[2]
                if table and isinstance(columns, (ast.List, ast.Tuple)) and columns.elts:
                    first = string_value(columns.elts[0], {})
                    if first:
                        indexes.add((table.lower(), first.lower()))
            elif method == "drop_table" and node.args:
                table = string_value(node.args[0], {})
                if table:
                    dropped.add(table.lower())
            elif method == "execute" and node.args:
                sql = string_value(node.args[0], {}) or ""
                for match in re.finditer(r'(?i)\bINDEX\b[^;]*?\bON\s+(?:ONLY\s+)?"?(\w+)"?\s*(?:USING\s+\w+\s*)?\(\s*"?(\w+)',
                                         sql):
                    indexes.add((match.group(1).lower(), match.group(2).lower()))
    return frozenset(indexes), frozenset(dropped)


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
                 "docker-compose", "deployment")


@lru_cache(maxsize=4)
def other_database(root: str) -> str:
    """Where the project says it also runs on MySQL / MariaDB (a settings module
    naming the engine, a compose file running the image), or "". There the
    PostgreSQL-only fixes (CONCURRENTLY, NOT VALID) do not fit the migrations."""
    for path in python_files(root):
        if paths.SETTINGS_MODULE.search(path) and _OTHER_ENGINE.search(_text(os.path.join(root, path))):
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
    return ""
