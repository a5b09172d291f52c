"""YAML with line numbers, and Helm templates made readable as YAML.

Every mapping read here is a :class:`Map` (a dict that knows the line of each
key), every list a :class:`Seq`. Helm's ``{{ ... }}`` is masked before
parsing: a value becomes the scalar :data:`TEMPLATED`, a line holding only an
``include``/``toYaml`` becomes the key :data:`TEMPLATE_KEY` (something the
chart may add there), and control lines (``if``, ``with``, ``range``, ``end``)
are dropped, so both branches of an ``if`` stay. Manifests exported with
kubectl carry their ``last-applied-configuration`` JSON as one string: it stays
a string, never read as a manifest.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

TEMPLATED = "__templated__"
TEMPLATE_KEY = "__helm_template__"


class Map(dict):  # type: ignore[type-arg]
    def __init__(self) -> None:
        super().__init__()
        self.line = 0
        self.lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class Seq(list):  # type: ignore[type-arg]
    line: int = 0


def _loader() -> type:
    import yaml

    base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    loader: Any = type("Loader", (base,), {})

    def mapping(loader: Any, node: Any) -> Map:
        loader.flatten_mapping(node)
        out = Map()
        out.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            try:
                key = loader.construct_object(key_node, deep=True)
                hash(key)
            except Exception:  # an unhashable key: skip it
                continue
            out[key] = loader.construct_object(value_node, deep=True)
            if isinstance(key, str):
                out.lines[key] = key_node.start_mark.line + 1
        return out

    def sequence(loader: Any, node: Any) -> Seq:
        out = Seq(loader.construct_object(child, deep=True) for child in node.value)
        out.line = node.start_mark.line + 1
        return out

    def timestamp(loader: Any, node: Any) -> str:
        return str(node.value)

    loader.add_constructor("tag:yaml.org,2002:map", mapping)
    loader.add_constructor("tag:yaml.org,2002:seq", sequence)
    loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    loader.add_constructor(None, lambda _loader, node: None)  # !Ref, !reset ...: unknown tags
    result: type = loader
    return result


_LOADER: type | None = None


def load_all(text: str) -> Iterator[Any]:
    """The documents of a YAML stream; raises ValueError when it does not parse."""
    global _LOADER
    import yaml

    if _LOADER is None:
        _LOADER = _loader()
    try:
        docs = list(yaml.load_all(text, Loader=_LOADER))  # noqa: S506 - a safe loader
    except (yaml.YAMLError, RecursionError, TypeError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ValueError(f"cannot parse YAML{where}") from None
    yield from docs


_CONTROL = re.compile(r"^\s*\{\{-?\s*(if|else|else if|end|with|range|define|template|block|/\*|\$[\w]+\s*:?=)\b.*?-?\}\}\s*$")
_ONLY_TEMPLATE = re.compile(r"^(\s*)\{\{-?(.*?)-?\}\}\s*$")
_NINDENT = re.compile(r"\bn?indent\s+(\d+)")
_INLINE = re.compile(r"\{\{-?.*?-?\}\}")
_COMMENT_TAG = re.compile(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", re.S)


def is_helm_template(text: str) -> bool:
    return "{{" in text


def mask_helm(text: str) -> str:
    """Helm template text as YAML that parses, lines kept where they were."""
    text = _one_line_actions(_COMMENT_TAG.sub(lambda m: "\n" * m.group(0).count("\n"), text))
    text = _substitute_literals(text)
    out = []
    previous_indent = 0
    lines = text.split("\n")
    for number, raw in enumerate(lines):
        if "{{" not in raw:
            out.append(raw)
            if raw.strip() and not raw.lstrip().startswith("#"):
                previous_indent = len(raw) - len(raw.lstrip())
            continue
        if _CONTROL.match(raw):
            out.append("")
            continue
        only = _ONLY_TEMPLATE.match(raw)
        if only:
            body = only.group(2)
            width = _NINDENT.search(body)
            indent = int(width.group(1)) if width else len(only.group(1))
            if not width and indent == 0:
                indent = previous_indent
            if _flow_depth(out) > 0:  # inside [ ... ] or { ... }
                out.append(" " * indent + f'"{TEMPLATE_KEY}",')
            elif _in_list(lines, number, indent, out):
                out.append(" " * indent + f'- "{TEMPLATE_KEY}"')
            else:
                out.append(" " * indent + f'"{TEMPLATE_KEY}": "{_quote(body.strip())}"')
            continue
        out.append(_INLINE.sub(_inline, raw))
    return "\n".join(out)


_ASSIGN = re.compile(r"\$(\w+)\s*:?=")
_LITERAL_ASSIGN = re.compile(r"\{\{-?\s*\$(\w+)\s*:=\s*\"([^\"{}$\\]*)\"\s*-?\}\}")


def _substitute_literals(text: str) -> str:
    """A template variable set once to a string literal (``{{- $component := "agent-metadata" -}}``)
    written in where the template uses it (``include "x.selectorLabels" (list . $component)``), so two
    templates calling the same helper with different values are told apart. A variable set more than
    once, or to anything but a literal, is left as written (its value is unknown)."""
    if "$" not in text:
        return text
    values: dict[str, set[str]] = {}
    for m in _LITERAL_ASSIGN.finditer(text):
        values.setdefault(m.group(1), set()).add(m.group(2))
    if not values:
        return text
    assigned: dict[str, int] = {}
    for m in _ASSIGN.finditer(text):
        assigned[m.group(1)] = assigned.get(m.group(1), 0) + 1
    known = {name: next(iter(vals)) for name, vals in values.items() if len(vals) == 1 and assigned.get(name) == 1}
    if not known:
        return text

    def action(m: re.Match[str]) -> str:
        if _LITERAL_ASSIGN.fullmatch(m.group(0)):
            return m.group(0)
        return re.sub(r"\$(\w+)\b(?![.\w])", lambda v: f'"{known[v.group(1)]}"' if v.group(1) in known else v.group(0), m.group(0))

    return re.sub(r"\{\{.*?\}\}", action, text)


def _flow_depth(done: list[str]) -> int:
    """Open ``[``/``{`` of a YAML flow collection above (quoted text left out)."""
    depth = 0
    for line in done[-200:]:
        if line.lstrip().startswith("#"):
            continue
        plain = re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'', "", line.split(" #", 1)[0])
        depth = max(0, depth + plain.count("[") + plain.count("{") - plain.count("]") - plain.count("}"))
    return depth


def _in_list(lines: list[str], number: int, indent: int, done: list[str]) -> bool:
    """Whether the sibling lines at ``indent`` around line ``number`` are list items."""
    def sibling(candidates: list[str]) -> bool | None:
        for line in candidates:
            stripped = line.lstrip()
            if not stripped or stripped.startswith("#") or stripped.startswith("{{"):
                continue
            width = len(line) - len(stripped)
            if width < indent:
                return None
            if width == indent:
                return stripped.startswith("- ") or stripped == "-"
        return None

    after = sibling(lines[number + 1:])
    return after if after is not None else bool(sibling(list(reversed(done))))


def _one_line_actions(text: str) -> str:
    """A ``{{ ... }}`` written over several lines, on one line; the lines it
    took come back as blank lines after it, so line numbers stay."""
    if "{{" not in text:
        return text
    out: list[str] = []
    pos = pending = 0
    for m in re.finditer(r"\{\{.*?\}\}", text, re.S):
        chunk = text[pos:m.start()]
        if pending and "\n" in chunk:
            cut = chunk.index("\n") + 1
            chunk = chunk[:cut] + "\n" * pending + chunk[cut:]
            pending = 0
        out.append(chunk)
        body = m.group(0)
        pending += body.count("\n")
        out.append(" ".join(part.strip() for part in body.split("\n")) if "\n" in body else body)
        pos = m.end()
    tail = text[pos:]
    if pending:
        cut = tail.find("\n")
        tail = tail + "\n" * pending if cut < 0 else tail[: cut + 1] + "\n" * pending + tail[cut + 1:]
    out.append(tail)
    return "".join(out)


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')[:200]


def _inline(match: re.Match[str]) -> str:
    """A placeholder named by the expression, so the same expression masks the same
    (``{{- template "x.name" . }}`` and ``{{ template "x.name" $ }}`` alike) and
    different ones differently: a selector is compared with pod labels on it."""
    import zlib

    text = expression(match.group(0))
    kind = VALUE if re.fullmatch(r"\.Values(\.\w+)+", text) else NAMED if re.fullmatch(r'include "[^"]+" \.', text) else 0
    return f"TEMPLATED_{zlib.crc32(text.encode())}{kind}"


VALUE, NAMED = 1, 2  # the last digit of a placeholder: a ``.Values`` path, a named template of ``.``, else 0


def template_kind(placeholder: str) -> int:
    """What a ``TEMPLATED_<n>`` placeholder stood for: :data:`VALUE`, :data:`NAMED` or 0."""
    return int(placeholder[-1]) if re.fullmatch(r"TEMPLATED_\d+", placeholder) else 0


def expression(action: str) -> str:
    """The expression of a ``{{ ... }}`` action, trim markers, spacing and ``$``/``.`` as the root dropped."""
    body = re.sub(r"^\{\{-?|-?\}\}$", "", action).strip()
    body = re.sub(r"^template\s", "include ", re.sub(r"\s+", " ", body))  # the same text either way
    body = re.sub(r"(?<![\w.)\]])\$\.", ".", body)
    return re.sub(r"(?<![\w.)\]])\$(?=[\s)]|$)", ".", body)


def templated(value: Any) -> bool:
    """A value the template fills in (or a placeholder of one)."""
    return isinstance(value, str) and ("TEMPLATED_" in value or value == TEMPLATED or "{{" in value)
