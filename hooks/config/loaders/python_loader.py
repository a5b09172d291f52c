"""Python settings modules, read with ``ast`` only: the module is never imported
or executed, so reading a settings file can have no side effects.

Entries are the UPPER_CASE names a settings module defines at module level (and
in class bodies, as Flask-style ``class ProductionConfig: DEBUG = False``), with
the keys of dict literals and the items of list literals beneath them.
"""
from __future__ import annotations

import ast

from hooks.config import python_trees
from hooks.config.document import (
    AUGMENTED,
    CONDITIONAL,
    EXPRESSION,
    MAPPING,
    SCALAR,
    SEQUENCE,
    Document,
    Entry,
    ParseError,
)
from hooks.config.paths import SETTING_NAME

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

_BLOCKS = (ast.If, ast.Try, ast.With, ast.For, ast.While)


def load(doc: Document) -> None:
    try:
        tree = python_trees.parse(doc.text, doc.path)
    except python_trees.OtherPython as exc:  # not broken: the runner reports it once, for every hook
        doc.error = ParseError(str(exc.msg), exc.lineno or 1, 1, certain=False)
        return
    except SyntaxError as exc:
        line = exc.lineno or 1
        doc.error = ParseError(f"{exc.msg} (line {line})", line, (exc.offset or 1))
        return
    except ValueError as exc:  # e.g. source with NUL bytes
        doc.error = ParseError(str(exc))
        return
    loader = _Loader(doc.text)
    loader.body(tree.body, (), frozenset())
    doc.entries = loader.entries


class _Loader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.entries: list[Any] = []
        # Offsets of line starts in UTF-8 bytes: ast columns count bytes.
        self.data = text.encode("utf-8", "surrogatepass")
        self.starts = [0]
        for line in self.data.split(b"\n")[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def segment(self, node: Any) -> str:
        """The source of ``node`` (ast.get_source_segment re-splits the whole
        file on every call, which is quadratic on a long settings module)."""
        try:
            start = self.starts[node.lineno - 1] + node.col_offset
            end = self.starts[node.end_lineno - 1] + node.end_col_offset
        except (AttributeError, IndexError, TypeError):
            return ""
        return self.data[start:end].decode("utf-8", "replace")

    def body(self, statements: list[Any], prefix: tuple[Any, ...], flags: frozenset[str]) -> None:
        for stmt in statements:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    self.assign(target, stmt.value, prefix, flags)
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                self.assign(stmt.target, stmt.value, prefix, flags)
            elif isinstance(stmt, ast.AugAssign):
                self.assign(stmt.target, stmt.value, prefix, flags | {AUGMENTED})
            elif isinstance(stmt, ast.ClassDef) and not prefix:
                self.body(stmt.body, (stmt.name,), flags)
            elif isinstance(stmt, _BLOCKS):
                inner = flags | {CONDITIONAL}
                for block in ("body", "orelse", "finalbody"):
                    self.body(getattr(stmt, block, []), prefix, inner)
                for handler in getattr(stmt, "handlers", []):
                    self.body(handler.body, prefix, inner)

    def assign(self, target: ast.AST, value: ast.AST, prefix: tuple[Any, ...], flags: frozenset[str]) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            values = value.elts if isinstance(value, (ast.Tuple, ast.List)) else None
            if values is not None and len(values) == len(target.elts):
                for sub_target, sub_value in zip(target.elts, values):
                    self.assign(sub_target, sub_value, prefix, flags)
            return
        path = _target_path(target)
        if path is None or not SETTING_NAME.match(path[0]):
            return
        if len(path) > 1 or _mentions(value, path[0]):
            flags = flags | {AUGMENTED}  # changes part of an existing setting
        self.value(prefix + path, target, value, flags)

    def value(self, path: tuple[Any, ...], at: Any, node: Any, flags: frozenset[str]) -> None:
        line, column = at.lineno, at.col_offset + 1
        if isinstance(node, ast.Dict):
            self.entries.append(Entry(path, line, column, MAPPING, flags=flags, node=node))
            for key, item in zip(node.keys, node.values):
                name = _constant_key(key)
                if name is not None:
                    self.value(path + (name,), key, item, flags)
        elif _is_dict_call(node):
            self.entries.append(Entry(path, line, column, MAPPING, flags=flags, node=node))
            for keyword in node.keywords:
                if keyword.arg is not None:
                    self.value(path + (keyword.arg,), keyword.value, keyword.value, flags)
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            self.entries.append(Entry(path, line, column, SEQUENCE, flags=flags, node=node))
            for index, item in enumerate(node.elts):
                self.value(path + (index,), item, item, flags)
        else:
            source = self.segment(node)
            try:
                literal = ast.literal_eval(node)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                self.entries.append(Entry(path, line, column, EXPRESSION, None, source, flags, node))
                return
            if isinstance(literal, (str, int, float, bool, type(None), bytes)):
                self.entries.append(Entry(path, line, column, SCALAR, literal, source, flags, node))
            else:
                self.entries.append(Entry(path, line, column, EXPRESSION, None, source, flags, node))


def _target_path(target: ast.AST) -> tuple[Any, ...] | None:
    """``NAME`` -> (NAME,); ``NAME["a"]["b"]`` -> (NAME, "a", "b")."""
    keys: list[Any] = []
    while isinstance(target, ast.Subscript):
        key = _constant_key(target.slice)
        if key is None:
            return None
        keys.append(key)
        target = target.value
    if not isinstance(target, ast.Name):
        return None
    return (target.id, *reversed(keys))


def _constant_key(node: Any) -> str | None:
    if isinstance(node, ast.Index):  # pragma: no cover - Python 3.8 AST shape
        node = node.value  # type: ignore[attr-defined]
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool)):
        return str(node.value)
    return None


def _is_dict_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))
