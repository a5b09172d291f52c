"""Tornado's option definitions: ``define("mysql_password", default="...")``.

A Tornado service declares its settings with ``tornado.options.define`` and
reads them as ``options.mysql_password``; the ``default=`` of a definition is
the value the service runs with unless the command line or a config file sets
it again, so it is config written in code, judged like a setting of that name.

Only calls that resolve to Tornado's ``define`` count: ``define`` imported from
``tornado.options`` (or ``*``), ``options.define`` on the ``options`` object or
module imported from there, and ``tornado.options.define`` itself. A module's
own ``define`` function is not Tornado's.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

MODULE = "tornado.options"


def might_define(text: str) -> bool:
    """Cheap test before parsing: the text imports Tornado's options and calls define."""
    return MODULE in text or ("tornado" in text and "options" in text and "define" in text)


def _define_names(tree: ast.Module) -> frozenset[str]:
    """The dotted names under which ``tornado.options.define`` is called in this module."""
    names = {f"{MODULE}.define"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            for alias in node.names:
                bound = alias.asname or alias.name
                if node.module == MODULE and alias.name in ("define", "*"):
                    names.add("define" if alias.name == "*" else bound)
                if node.module == MODULE and alias.name in ("options", "*"):
                    names.add(f"{'options' if alias.name == '*' else bound}.define")
                elif node.module == "tornado" and alias.name == "options":
                    names.add(f"{bound}.define")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == MODULE and alias.asname:
                    names.add(f"{alias.asname}.define")
    return frozenset(names)


def defaults(tree: ast.Module) -> Iterator[tuple[str, str, Any]]:
    """(option name, literal string default, the default's node) for each
    Tornado option defined with a string default in ``tree``."""
    from hooks.config.python_trees import dotted_name

    names = _define_names(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or dotted_name(node.func) not in names:
            continue
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        name = node.args[0] if node.args else keywords.get("name")
        default = node.args[1] if len(node.args) > 1 else keywords.get("default")
        if (isinstance(name, ast.Constant) and isinstance(name.value, str)
                and isinstance(default, ast.Constant) and isinstance(default.value, str)):
            yield name.value, default.value, default
