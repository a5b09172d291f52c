"""Names a Python settings module gets from the modules it star-imports.

``settings/staging.py`` usually starts with ``from .base import *``: everything
``base.py`` defines is then defined in staging too. The imported modules are
read with the Python loader (``ast``, never imported or executed), recursively,
each once per run.
"""
from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from typing import Any, Callable, NamedTuple, Optional

from hooks.config import python_trees
from hooks.config.document import Document, Entry
from hooks.core.records import replace

Loader = Callable[[str], Optional[Document]]
_BLOCKS = (ast.If, ast.Try, ast.With, ast.For, ast.While)
_MAX_UP = 8  # how far up an absolute import is looked for


class Import(NamedTuple):
    line: int
    column: int
    path: str  # the imported module's file
    names: dict[str, str] | None  # None for `import *`, else {name in module: name here}


class Inherited(NamedTuple):
    line: int  # of the import statement in the importing file
    column: int
    origin: str  # the file that defines the name
    entry: Entry  # the entry there, path renamed as seen here


def imports(doc: Document) -> list[Import]:
    """``from X import *`` / ``from X import NAME`` statements at module level
    (inside if/try blocks too) whose module is a file next to ``doc``."""
    if "import" not in doc.text:
        return []
    try:
        tree = python_trees.parse(doc.text, doc.path)
    except (SyntaxError, ValueError):
        return []
    out: list[Import] = []
    for node in _module_level(tree.body):
        if not isinstance(node, ast.ImportFrom):
            continue
        target = resolve(doc.path, node.module, node.level)
        if target is None:
            continue
        if any(alias.name == "*" for alias in node.names):
            names = None
        else:
            names = {alias.name: alias.asname or alias.name for alias in node.names}
        out.append(Import(node.lineno, node.col_offset + 1, target, names))
    return out


def _module_level(statements: list[Any]) -> Iterator[ast.stmt]:
    for stmt in statements:
        yield stmt
        if isinstance(stmt, _BLOCKS):
            for block in ("body", "orelse", "finalbody"):
                yield from _module_level(getattr(stmt, block, []))
            for handler in getattr(stmt, "handlers", []):
                yield from _module_level(handler.body)


def resolve(importer: str, module: str | None, level: int) -> str | None:
    """The file of ``from <level dots><module> import ...`` seen from ``importer``.

    Relative imports go up ``level - 1`` folders. An absolute one
    (``from config.settings.base import *``) is looked for under each folder
    above the importer, nearest first, since the project root is unknown.
    """
    parts = module.split(".") if module else []
    if not parts:
        return None
    here = os.path.dirname(importer) or "."
    if level:
        for _ in range(level - 1):
            here = os.path.normpath(os.path.join(here, os.pardir))
        return _module_file(here, parts)
    for _ in range(_MAX_UP):
        found = _module_file(here, parts)
        if found is not None:
            return found
        here = os.path.normpath(os.path.join(here, os.pardir))
        if here.split(os.sep)[0] == os.pardir:
            break  # not above the folder the hook runs in (the repository)
    return None


def _module_file(folder: str, parts: list[str]) -> str | None:
    base = os.path.join(folder, *parts)
    for candidate in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(candidate):
            return os.path.normpath(candidate)
    return None


def inherited(doc: Document, load: Loader, _seen: set[str] | None = None) -> list[Inherited]:
    """Entries ``doc`` gets through its imports, each placed at the import
    statement; cycles (a imports b imports a) are read once."""
    seen = _seen if _seen is not None else {os.path.normpath(doc.path)}
    out: list[Inherited] = []
    for imp in imports(doc):
        if imp.path in seen:
            continue
        seen.add(imp.path)
        module = load(imp.path)
        if module is None:
            continue
        found: list[tuple[str, Entry]] = [(imp.path, e) for e in module.entries]
        found += [(i.origin, i.entry) for i in inherited(module, load, seen)]
        for origin, entry in found:
            name = entry.path[0]
            if imp.names is not None:
                if name not in imp.names:
                    continue
                entry = replace(entry, path=(imp.names[name],) + entry.path[1:])
            out.append(Inherited(imp.line, imp.column, origin, entry))
    return out
