"""Kubernetes manifests, Helm templates and compose files, read as YAML nodes.

Helm templates are read with their ``{{ }}`` actions masked: a line holding only
an action (``{{- if .Values.x }}``, ``{{- end }}``) becomes blank, an inline one
becomes a placeholder that remembers the action, so a value written as
``{{ .Values.beat.replicas }}`` is looked up in the chart's ``values.yaml`` and is
otherwise unknown. A document inside ``{{- if .Values.x.enabled }}`` is skipped
when the chart's values turn ``x.enabled`` off.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any

from hooks.core.records import field, record

UNKNOWN = object()  # a templated or variable value nobody can read statically

_ACTION = re.compile(r"\{\{.*?\}\}", re.S)
_ONLY_ACTION = re.compile(r"^\s*(\{\{.*?\}\}\s*)+$")
_PLACEHOLDER = re.compile(r"__TPL(\d+)__")
_VALUES_REF = re.compile(r"^\{\{-?\s*(?:\$)?\.Values((?:\.[A-Za-z_][\w-]*)+)\s*(?:\|\s*default\s+(\S+)\s*)?(?:\|\s*(?:quote|int|toString)\s*)*-?\}\}$")
_IF = re.compile(r"^\{\{-?\s*if\s+(not\s+)?(?:\$)?\.Values((?:\.[A-Za-z_][\w-]*)+)\s*-?\}\}$")


@record
class Template:
    text: str
    actions: list[str] = field(default_factory=list)
    # the `if` actions open at each masked line (1-based line -> actions)
    conditions: dict[int, list[str]] = field(default_factory=dict)


def mask(text: str) -> Template:
    """Blank lines that are only actions, and turn inline actions into placeholders."""
    actions: list[str] = []
    out_lines: list[str] = []
    stack: list[str] = []
    conditions: dict[int, list[str]] = {}

    def placeholder(m: re.Match[str]) -> str:
        actions.append(m.group(0))
        token = f"__TPL{len(actions) - 1}__"
        return token

    # Actions spanning lines are folded first, keeping the line count.
    joined = _ACTION.sub(lambda m: m.group(0).replace("\n", " ") + "\n" * m.group(0).count("\n"), text)
    for number, line in enumerate(joined.split("\n"), 1):
        conditions[number] = list(stack)
        if _ONLY_ACTION.match(line):
            for action in _ACTION.findall(line):
                inner = action.strip("{}- \t")
                if inner.startswith(("if ", "with ", "range ")):
                    stack.append(action)
                elif inner == "end" and stack:
                    stack.pop()
                elif inner.startswith("else") and stack:
                    stack[-1] = "else " + stack[-1]
            out_lines.append("")
            continue
        out_lines.append(_ACTION.sub(placeholder, line))
    return Template("\n".join(out_lines), actions, conditions)


def is_template(text: str) -> bool:
    return "{{" in text


@record
class Node:
    """A YAML node with its value: dicts of Node, lists of Node, or a scalar (UNKNOWN for templated)."""

    value: Any
    line: int
    template: str = ""  # the action a placeholder stood for

    def get(self, *keys: str) -> Node | None:
        node: Node | None = self
        for key in keys:
            if node is None or not isinstance(node.value, dict):
                return None
            node = node.value.get(key)
        return node

    def scalar(self, *keys: str) -> Any:
        node = self.get(*keys)
        return None if node is None else node.value if not isinstance(node.value, (dict, list)) else UNKNOWN

    def items(self) -> list[Node]:
        return list(self.value) if isinstance(self.value, list) else []


class _Budget:
    """Nodes left to convert: a YAML alias bomb shares nodes, and a walk would expand them."""

    def __init__(self, nodes: int = 20_000) -> None:
        self.left = nodes


def _convert(node: Any, actions: list[str], depth: int = 0, budget: _Budget | None = None) -> Node:
    budget = budget or _Budget()
    budget.left -= 1
    line = node.start_mark.line + 1
    if depth > 60 or budget.left < 0:
        return Node(UNKNOWN, line)
    tag = node.tag or ""
    if node.id == "mapping":
        out: dict[str, Node] = {}
        for k, v in node.value:
            if k.id == "scalar":
                out[str(k.value)] = _convert(v, actions, depth + 1, budget)
        return Node(out, line)
    if node.id == "sequence":
        return Node([_convert(v, actions, depth + 1, budget) for v in node.value], line)
    text = str(node.value)
    if _PLACEHOLDER.search(text):
        # the template as written: `{{ .Release.Name }}-sync`, for messages and values lookups
        written = _PLACEHOLDER.sub(lambda m: actions[int(m.group(1))] if int(m.group(1)) < len(actions) else m.group(0), text)
        return Node(UNKNOWN, line, written)
    # The resolver's tag, not the style: libyaml's loader gives plain scalars style "" where
    # PyYAML's gives None, and quoted ones are tagged str by both.
    if tag.endswith(":int"):
        try:
            return Node(int(text), line)
        except ValueError:  # YAML 1.1 spellings Python does not read (0x1F, 0o17, 1:30)
            return Node(text, line)
    if tag.endswith(":bool"):
        return Node(text.lower() in ("true", "yes", "on"), line)
    if tag.endswith(":null"):
        return Node(None, line)
    return Node(text, line)


def documents(text: str) -> Iterator[tuple[Node, list[str]]]:
    """(document, the `if` actions around it) for each YAML document; nothing for a broken file."""
    import yaml

    tpl = mask(text) if is_template(text) else Template(text)
    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    try:
        nodes = list(yaml.compose_all(tpl.text, Loader=loader))
    except yaml.YAMLError:
        return
    except (RecursionError, MemoryError, ValueError):
        return
    for node in nodes:
        if node is None or node.id != "mapping":
            continue
        doc = _convert(node, tpl.actions)
        yield doc, tpl.conditions.get(doc.line, [])


def chart_root(path: str, exists: Callable[[str], bool]) -> str | None:
    """The folder holding Chart.yaml above a template (charts/app/templates/cron.yaml -> charts/app)."""
    folder = os.path.dirname(path)
    for _ in range(4):
        if exists(os.path.join(folder, "Chart.yaml")):
            return folder
        if not folder:
            return None
        folder = os.path.dirname(folder)
    return None


def lookup(values: Any, dotted: str) -> Any:
    node = values
    for part in dotted.strip(".").split("."):
        if not isinstance(node, dict) or part not in node:
            return UNKNOWN
        node = node[part]
    return node


class Values:
    """The chart's values.yaml, read once: resolves `{{ .Values.x }}` placeholders."""

    def __init__(self, read: Callable[[str], str | None]) -> None:
        self.read = read
        self.cache: dict[str, Any] = {}

    def of(self, chart: str | None) -> Any:
        if chart is None:
            return None
        if chart not in self.cache:
            import yaml

            text = self.read(os.path.join(chart, "values.yaml")) or ""
            try:
                self.cache[chart] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader)
            except Exception:  # a broken values file: every value unknown
                self.cache[chart] = None
        return self.cache[chart]

    def resolve(self, node: Node | None, chart: str | None) -> Any:
        """A node's value with a `{{ .Values.x }}` placeholder looked up; UNKNOWN when it cannot be."""
        if node is None:
            return None
        if node.value is not UNKNOWN:
            return node.value
        m = _VALUES_REF.match(node.template.strip()) if node.template else None
        if not m:
            return UNKNOWN
        found = lookup(self.of(chart), m.group(1))
        if found is UNKNOWN or found is None:
            default = m.group(2)
            if default is not None:
                default = default.strip("\"'")
                return int(default) if default.isdigit() else default
            return UNKNOWN
        return found

    def skipped(self, conditions: list[str], chart: str | None) -> bool:
        """A document inside `{{ if .Values.x }}` whose value is off in values.yaml."""
        values = self.of(chart)
        if values is None:
            return False
        for action in conditions:
            m = _IF.match(action.strip())
            if not m:
                continue
            found = lookup(values, m.group(2))
            if found is UNKNOWN:
                continue
            if bool(found) == bool(m.group(1)):
                return True
        return False


def label(node: Node | None) -> str:
    """A name as written: a literal, or its template (`{{ .Release.Name }}-sync`)."""
    if node is None:
        return "(unnamed)"
    if isinstance(node.value, str):
        return node.value
    return node.template or "(templated name)"


def command_text(container: Node) -> str:
    """A container's command and args as one line."""
    words: list[str] = []
    for key in ("command", "args"):
        node = container.get(key)
        # Kubernetes takes command and args as lists of strings only (a string is rejected on apply).
        if node is not None and isinstance(node.value, list):
            words += [str(i.value) for i in node.value if not isinstance(i.value, (dict, list)) and i.value is not UNKNOWN]
    return " ".join(words)


def containers(pod_spec: Node | None) -> list[Node]:
    if pod_spec is None:
        return []
    found = pod_spec.get("containers")
    return found.items() if found is not None else []
