"""A project's own middleware class named in MIDDLEWARE, by its dotted path
(``myapp.middleware.AppSecurityMiddleware``): what Django classes it subclasses.

The class is found in the repository's module with ``ast`` (never imported); its
bases are followed through the module's own classes and its ``from ... import``
of other repository modules, a few levels deep. A base imported from outside
the repository is named by its full dotted path
(``django.middleware.security.SecurityMiddleware``).
"""
from __future__ import annotations

import ast
from typing import Callable

from hooks.common.settings_layers import parse
from hooks.config import python_trees
from hooks.config.python_trees import dotted_name

ModuleFile = Callable[[str], "str | None"]
Read = Callable[[str], "str | None"]
_DEPTH = 5


def _imports(tree: ast.Module, module: str, is_package: bool) -> dict[str, str]:
    """Local name -> full dotted name, for ``from X import Y [as Z]`` and ``import X.Y``."""
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")
                keep = len(parts) - node.level + (1 if is_package else 0)
                base = ".".join(parts[:max(keep, 0)] + ([base] if base else []))
            for alias in node.names:
                out[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                out[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
    return out


def ancestors(dotted: str, module_file: ModuleFile, read: Read, depth: int = _DEPTH) -> set[str]:
    """The full dotted names of the classes ``dotted`` (a repository class) derives from;
    empty when it is not a class of the repository."""
    module, _, name = dotted.rpartition(".")
    if not module or depth <= 0:
        return set()
    path = module_file(module)
    text = read(path) if path else None
    # a Python 2 module (a playdoh project's middleware.py) is read with its few Python 2 lines rewritten
    tree = (parse(text) or python_trees.python2_as_3(text)) if text else None
    if tree is None or path is None:
        return set()
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    imports = _imports(tree, module, path.endswith("__init__.py"))
    out: set[str] = set()
    todo = [name]
    seen: set[str] = set()
    while todo:
        cls = classes.get(todo.pop())
        if cls is None or cls.name in seen:
            continue
        seen.add(cls.name)
        for base in cls.bases:
            text_base = dotted_name(base)
            if not text_base:
                continue
            head, _, rest = text_base.partition(".")
            if head in classes and not rest:
                out.add(f"{module}.{head}")
                todo.append(head)
                continue
            full = imports[head] + (f".{rest}" if rest else "") if head in imports else text_base
            out.add(full)
            out |= ancestors(full, module_file, read, depth - 1)
    return out
