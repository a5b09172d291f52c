"""YAML through libyaml's composer (PyYAML's CSafeLoader), ruamel.yaml's as a
second opinion.

Composing (not constructing) is what we need: nodes carry line and column, keep
every duplicate key, leave unknown tags (``!reset``, ``!Ref``) alone, and share
aliased nodes instead of expanding them, so an alias bomb costs nothing.
libyaml is what most tools that read these files use (pre-commit-hooks'
check-yaml, Ansible, Helm's Python tooling) and is about 20x faster than
ruamel.yaml's safe mode on the shared corpus; a file either parser accepts is
never reported as broken (ruamel.yaml rejects some valid ``pnpm-lock.yaml``
files, libyaml some YAML 1.2 files). Fixers that rewrite YAML keep ruamel.yaml.
"""
from __future__ import annotations

from hooks.config.document import ALIAS, MAPPING, SCALAR, SEQUENCE, Document, Entry, ParseError

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

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


def _compose_libyaml(text: str) -> Any:
    """The composed documents, or the (line, column, reason) libyaml gave; None
    when PyYAML is not installed."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML is a dependency
        return None
    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    try:
        return list(yaml.compose_all(text, Loader=loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        return ParseError(f"{(exc.problem or exc.context or 'invalid YAML').strip()} (line {line}, column {column})", line, column)
    except yaml.YAMLError as exc:
        return ParseError(str(exc).splitlines()[0] if str(exc) else "invalid YAML")
    except (ValueError, TypeError) as exc:  # e.g. characters libyaml's reader refuses
        return ParseError(str(exc).splitlines()[0] if str(exc) else "invalid YAML")


MAX_DEPTH = 200  # nesting deeper than this is refused before any YAML parser sees the file


_SPECIAL = None  # compiled on first use: the characters too_deep looks at


def too_deep(text: str, limit: int = MAX_DEPTH) -> ParseError | None:
    """A ParseError when ``text`` may nest deeper than ``limit``, else None;
    linear time, before any parser runs. Both parsers compose recursively:
    a 60 KB flow sequence 30,000 deep crashed the interpreter (SIGSEGV) in
    ruamel.yaml, which no ``except`` can catch.

    It over-counts rather than under-counts: flow brackets outside quotes and
    comments, plus the block levels of the line they sit on (indentation
    steps and compact ``- - -`` items). A quote ends with its line here."""
    global _SPECIAL
    if _SPECIAL is None:
        import re

        _SPECIAL = re.compile(r"[\[\]{}'\"#\\]")
    special = _SPECIAL
    flow = 0
    indents: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if flow == 0:
            stripped = line.lstrip(" ")
            if stripped and not stripped.startswith("#"):
                indent = len(line) - len(stripped)
                while indents and indents[-1] >= indent:
                    indents.pop()
                indents.append(indent)
                dashes = 0
                while stripped[dashes * 2 : dashes * 2 + 2] in ("- ", "? "):
                    dashes += 1
                if len(indents) + dashes > limit:
                    return ParseError(f"nesting is too deep (over {limit} levels at line {number})", number)
        if "[" not in line and "{" not in line and (flow == 0 or ("]" not in line and "}" not in line)):
            continue
        quote = ""
        skip = -1
        for match in special.finditer(line):
            i = match.start()
            if i <= skip:
                continue
            c = line[i]
            if quote:
                if c == quote:
                    if quote == "'" and line[i + 1 : i + 2] == "'":
                        skip = i + 1  # '' inside single quotes
                    else:
                        quote = ""
                elif c == "\\" and quote == '"':
                    skip = i + 1
            elif c in "\"'":
                if i == 0 or line[i - 1] in " \t[{,:-?":
                    quote = c
            elif c == "#":
                if i == 0 or line[i - 1] in " \t":
                    break
            elif c in "[{":
                flow += 1
                if flow + len(indents) > limit:
                    return ParseError(f"nesting is too deep (over {limit} levels at line {number})", number)
            elif c in "]}":
                flow = max(flow - 1, 0)
    return None


def load(doc: Document) -> None:
    deep = too_deep(doc.text)
    if deep is not None:
        doc.error = deep
        return
    documents = _compose_libyaml(doc.text)
    if isinstance(documents, ParseError):
        first_error: ParseError = documents
        load_ruamel(doc)
        if doc.error is not None:
            doc.error = first_error  # both refuse it: libyaml's reason is the one users know
        return
    if documents is None:
        load_ruamel(doc)
        return
    _entries(doc, documents)


def load_ruamel(doc: Document) -> None:
    """Compose with ruamel.yaml: nodes a round-trip fixer can rely on."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    deep = too_deep(doc.text)
    if deep is not None:
        doc.error = deep
        return
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
    _entries(doc, documents)


def _entries(doc: Document, documents: list[Any]) -> None:
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
