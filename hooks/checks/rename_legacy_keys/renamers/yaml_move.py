"""Moving a YAML key to another parent (``database.host`` -> ``db.host``) by lines.

Only the simple, common shape is moved: a block-mapping key whose value fits
on its own line. The key's line goes, with the comment lines directly above it
and its inline comment, to the end of the new parent, re-indented; a parent
that does not exist yet is created at the end of its own parent. Anything else
is left to a person, with the reason.
"""
from __future__ import annotations

from hooks.checks.rename_legacy_keys.renamers import key_span, render
from hooks.config.document import ALIAS, MAPPING, SCALAR, Document, Entry, KeyPath, PathPart, dotted
from hooks.config.fixing import newline_of

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

Lines = list[list[str]]  # [content, line ending] per line


def split_lines(text: str) -> Lines:
    out: Lines = []
    pos = 0
    while pos < len(text):
        nl = text.find("\n", pos)
        if nl < 0:
            out.append([text[pos:], ""])
            break
        seg = text[pos:nl]
        out.append([seg[:-1], "\r\n"] if seg.endswith("\r") else [seg, "\n"])
        pos = nl + 1
    return out


def _indent(content: str) -> int:
    return len(content) - len(content.lstrip(" "))


def _is_content(content: str) -> bool:
    stripped = content.strip()
    return bool(stripped) and not stripped.startswith("#") and stripped not in ("---", "...")


def _step(doc: Document) -> int:
    """The file's indentation step, from its nested block keys (2 when unknown)."""
    keys = doc.keys()
    steps = [
        entry.column - keys[entry.path[:-1]].column
        for entry in doc.entries
        if len(entry.path) > 1 and entry.path[:-1] in keys
    ]
    positive = [s for s in steps if s > 0]
    return min(positive) if positive else 2


def move(doc: Document, entry: Entry, target: KeyPath) -> tuple[str | None, str]:
    """The text with ``entry`` moved to ``target``, or (None, why it is not moved)."""
    if any(isinstance(e.path[0], int) for e in doc.entries):
        return None, "moving keys is not automatic in multi-document or list-rooted YAML"
    lines = split_lines(doc.text)
    i = entry.line - 1
    content = lines[i][0]
    indent = _indent(content)
    node: Any = entry.node
    if entry.column - 1 != indent or "\t" in content[:indent]:
        return None, "it is not a block mapping key at the start of its line"
    if entry.kind != SCALAR or node is None or node.end_mark.line != i or node.style in ("|", ">"):
        return None, "only a key whose value is on its own line is moved automatically"
    if sum(1 for e in doc.entries if e.path == entry.path) > 1:
        return None, "it is set more than once"
    parent = entry.path[:-1]
    if parent and not any(e.path[:-1] == parent and e.path != entry.path for e in doc.entries):
        return None, f"moving it would leave {dotted(parent)} empty"
    span, why = key_span(doc, entry, content)
    new_key = render(doc.format, str(target[-1]), span[2]) if span else None
    if span is None or new_key is None:
        return None, why or "the new name cannot be written as a plain YAML key"
    key_line = content[: span[0]] + new_key + content[span[1] :]
    start = i  # the comment lines directly above belong to the key
    while start > 0 and lines[start - 1][0].lstrip().startswith("#") and _indent(lines[start - 1][0]) == indent:
        start -= 1
    block = [line[0][indent:] for line in lines[start:i]] + [key_line[indent:]]

    keys = doc.keys()
    anchor: KeyPath = target[:-1]
    missing: list[PathPart] = []
    while anchor and anchor not in keys:
        missing.insert(0, anchor[-1])
        anchor = anchor[:-1]
    if anchor:
        owner = keys[anchor]
        owner_line = lines[owner.line - 1][0]
        owner_indent = owner.column - 1
        if owner.kind != MAPPING or ALIAS in owner.flags or getattr(owner.node, "flow_style", False):
            return None, f"{dotted(anchor)} is not a block mapping to move it into"
        if _indent(owner_line) != owner_indent or sum(1 for e in doc.entries if e.path == anchor) > 1:
            return None, f"{dotted(anchor)} is not written plainly once"
        after = owner.line - 1
        for j in range(owner.line, len(lines)):
            if _is_content(lines[j][0]):
                if _indent(lines[j][0]) <= owner_indent:
                    break
                after = j
        children = [e for e in doc.entries if e.path[:-1] == anchor]
        child_indent = children[0].column - 1 if children else owner_indent + _step(doc)
    else:
        after = max((j for j, line in enumerate(lines) if _is_content(line[0])), default=len(lines) - 1)
        child_indent = 0
    if start <= after < i:
        return None, "its new parent is inside the lines being moved"
    step = _step(doc) if missing else 0
    new_lines = []
    for depth, part in enumerate(missing):
        written = render(doc.format, str(part), "")
        if written is None:
            return None, f"the new parent {part!r} cannot be written as a plain YAML key"
        new_lines.append(" " * (child_indent + depth * step) + written + ":")
    new_lines += [" " * (child_indent + len(missing) * step) + text for text in block]

    eol = lines[i][1] or newline_of(doc.text)
    removed = i - start + 1
    was_last = i == len(lines) - 1
    rest = [line[:] for line in lines[:start] + lines[i + 1 :]]
    if was_last and lines[i][1] == "" and rest:
        rest[-1][1] = ""  # the file had no final newline: it still has none
    at = after + 1 - removed if after >= i else after + 1
    added = [[text, eol] for text in new_lines]
    if at >= len(rest):
        if rest and rest[-1][1] == "":
            rest[-1][1] = eol
            added[-1][1] = ""
    rest[at:at] = added
    return "".join(c + e for c, e in rest), ""
