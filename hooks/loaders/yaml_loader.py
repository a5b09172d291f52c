"""YAML through ruamel.yaml's composer.

Composing (not constructing) is what we need: nodes carry line and column, keep
every duplicate key, leave unknown tags (``!reset``, ``!Ref``) alone, and share
aliased nodes instead of expanding them, so an alias bomb costs nothing. With
ruamel.yaml.clib the C parser does the scanning (about 7x faster than the pure
Python one on the shared corpus).
"""
from __future__ import annotations

from typing import Any

from hooks.document import ALIAS, MAPPING, SCALAR, SEQUENCE, Document, Entry, ParseError

_BOOL = {"true": True, "false": False}
_yaml: Any = None


def _parser() -> Any:
    global _yaml
    if _yaml is None:
        from ruamel.yaml import YAML

        try:
            _yaml = YAML(typ="safe", pure=False)
        except Exception:  # pragma: no cover - no C extension on this interpreter
            _yaml = YAML(typ="safe", pure=True)
    return _yaml


def scalar_value(node: Any) -> object:
    """The Python value of a scalar node under YAML 1.2's core schema."""
    tag = node.tag or ""
    text = node.value
    if node.style:  # quoted or block scalar: always a string
        return text
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return _BOOL.get(text.lower(), text)
    if tag.endswith(":int"):
        try:
            return int(text.replace("_", ""), 0)
        except ValueError:
            return text
    if tag.endswith(":float"):
        try:
            return float(text.replace("_", ""))
        except ValueError:
            return text
    return text


def _key_text(node: Any) -> str:
    if node.id == "scalar":
        return str(node.value)
    # A mapping or list used as a key: name it by position, so two of them never clash.
    return f"<complex key at line {node.start_mark.line + 1}>"


def load(doc: Document) -> None:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = _parser()
    try:
        documents = list(yaml.compose_all(doc.text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        reason = (exc.problem or exc.context or "invalid YAML").strip()
        doc.error = ParseError(f"{reason} (line {line}, column {column})", line, column)
        return
    except YAMLError as exc:
        doc.error = ParseError(str(exc).splitlines()[0] if str(exc) else "invalid YAML")
        return
    entries: list[Any] = []
    seen: set[Any] = set()
    many = len(documents) > 1
    for index, root in enumerate(documents):
        if root is None:
            continue
        _walk(root, (index,) if many else (), entries, seen)
    doc.entries = entries


def _children(node: Any, path: tuple[Any, ...]) -> Any:
    if node.id == "mapping":
        for key_node, value_node in node.value:
            yield path + (_key_text(key_node),), key_node, value_node
    elif node.id == "sequence":
        for i, item in enumerate(node.value):
            yield path + (i,), item, item


def _walk(node: Any, path: tuple[Any, ...], entries: list[Any], seen: set[Any]) -> None:
    # Depth-first in source order with an explicit stack, so a deep but valid
    # document cannot overflow the interpreter's stack here.
    stack = [_children(node, path)]
    while stack:
        for child, at, value_node in stack[-1]:
            entry = _entry(child, at, value_node, seen)
            entries.append(entry)
            if value_node.id != "scalar" and ALIAS not in entry.flags:
                stack.append(_children(value_node, child))
                break
        else:
            stack.pop()


def _entry(path: tuple[Any, ...], at: Any, value_node: Any, seen: set[Any]) -> Entry:
    line = at.start_mark.line + 1
    column = at.start_mark.column + 1
    if value_node.id == "scalar":
        return Entry(path, line, column, SCALAR, scalar_value(value_node), value_node.value, node=value_node)
    flags: frozenset[str] = frozenset()
    if id(value_node) in seen:
        flags = frozenset({ALIAS})
    else:
        seen.add(id(value_node))
    kind = MAPPING if value_node.id == "mapping" else SEQUENCE
    return Entry(path, line, column, kind, flags=flags, node=value_node)
