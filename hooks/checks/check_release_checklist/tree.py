"""Plain values with positions, from the nodes the project's YAML loader
composed (libyaml's, or ruamel.yaml's when libyaml refuses a file).

CI files need the shape of the document (a job's steps, a rule's ``if:``), not
key paths: :func:`root` rebuilds it from a loaded :class:`Document`, keeping
each node's line, following YAML merge keys (``<<: *defaults``), which
GitLab CI files use everywhere, and leaving unknown tags (``!reference``)
readable through :attr:`Node.tag`.
"""
from __future__ import annotations

from hooks.core.records import record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

    from hooks.config.document import Document

_MAX_DEPTH = 60


@record
class Node:
    line: int
    value: Any  # str | int | float | bool | None, dict[str, Node], list[Node]
    style: str = ""  # "|" or ">" for block scalars: their text starts on the next line
    tag: str = ""
    key_line: int = 0  # the line of the key this value is under (0: none)

    def get(self, key: str) -> Node | None:
        return self.value.get(key) if isinstance(self.value, dict) else None

    def text(self, key: str) -> str | None:
        """The scalar under ``key`` as text (None when absent or not a scalar)."""
        node = self.get(key)
        if node is None or isinstance(node.value, (dict, list)) or node.value is None:
            return None
        value = node.value
        return ("true" if value else "false") if isinstance(value, bool) else str(value)

    def items(self) -> list[Node]:
        """A sequence's items; a lone scalar or mapping as a list of one."""
        if isinstance(self.value, list):
            return list(self.value)
        return [] if self.value is None else [self]

    def mapping(self) -> dict[str, Node]:
        return self.value if isinstance(self.value, dict) else {}

    @property
    def at(self) -> int:
        """Where to point a reader: the key's line, else the value's."""
        return self.key_line or self.line

    @property
    def body_line(self) -> int:
        """The line of a scalar's first line of text."""
        return self.line + 1 if self.style in ("|", ">") else self.line


def convert(node: Any, depth: int = 0) -> Node:
    from hooks.config.loaders.yaml_loader import scalar_value

    line = node.start_mark.line + 1
    tag = node.tag if isinstance(node.tag, str) and node.tag.startswith("!") and not node.tag.startswith("!!") else ""
    if depth > _MAX_DEPTH:
        return Node(line, None)
    if node.id == "scalar":
        return Node(line, scalar_value(node), node.style or "", tag)
    if node.id == "sequence":
        return Node(line, [convert(item, depth + 1) for item in node.value], tag=tag)
    out: dict[str, Node] = {}
    merged: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if key_node.id == "scalar" else f"<key {key_node.start_mark.line + 1}>"
        if key == "<<":
            sources = value_node.value if value_node.id == "sequence" else [value_node]
            for source in sources:
                if source.id == "mapping":
                    for k, v in convert(source, depth + 1).mapping().items():
                        merged.setdefault(k, v)
            continue
        child = convert(value_node, depth + 1)
        child.key_line = key_node.start_mark.line + 1
        out[key] = child
    for k, v in merged.items():
        out.setdefault(k, v)
    return Node(line, out, tag=tag)


def root(doc: Document) -> Node | None:
    """The first document's top-level mapping, or None (empty, broken, a list)."""
    if doc.error is not None:
        return None
    top: dict[str, Node] = {}
    line = 0
    for entry in doc.entries:
        if len(entry.path) != 1 or not isinstance(entry.path[0], str) or entry.node is None:
            continue
        line = line or entry.line
        child = convert(entry.node)
        child.key_line = entry.line
        top[entry.path[0]] = child
        if entry.path[0] == "<<":
            merged = top.pop("<<")
            for k, v in merged.mapping().items():
                top.setdefault(k, v)
    return Node(line or 1, top) if top else None
