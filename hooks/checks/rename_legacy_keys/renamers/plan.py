"""Planning the renames in one parsed file: which uses of listed keys it has,
where each one's new key goes, and whether the fix can be made exactly.

``check_document`` gives every use with its status; ``fix_document`` builds and
verifies the new text, turning each use it cannot prove into MANUAL with why.
"""
from __future__ import annotations

from collections.abc import Sequence

from hooks.checks.rename_legacy_keys.key_mapping import Rule, display
from hooks.config import formats, python_trees
from hooks.config.document import SECTION, Document, Entry, KeyPath
from hooks.config.paths import SETTING_NAME as _SETTING_NAME
from hooks.core.records import record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

HOOK_ID = "rename-legacy-keys"

FIX, MOVE, MANUAL, CONFLICT, AMBIGUOUS, REMOVED = "fix", "move", "manual", "conflict", "ambiguous", "removed"


@record
class Use:
    """One place a file uses a key the mapping lists, and what to do about it."""

    entry: Entry
    rule: Rule
    key: tuple[str, ...]  # the key path as matched (no YAML document index, no Flask class)
    status: str = ""
    target: KeyPath | None = None  # full path of the new key
    detail: str = ""
    edit: tuple[int, int, str] | None = None

    def new_name(self) -> str:
        if self.target is None:
            return str(self.rule.target)
        return display(self.target[len(self.entry.path) - len(self.key) :])

    def message(self) -> str:
        name, new = display(self.key), self.new_name()
        if self.status == REMOVED:
            return f"{name} is removed: {self.rule.message}" if self.rule.message else f"{name} is removed; delete it"
        if self.status in (FIX, MOVE):
            return f"{name} is deprecated; rename it to {new} (run with --fix)"
        if self.status == CONFLICT:
            return f"{name} is deprecated, but {new} is already set on line {self.detail}; merge the two by hand"
        if self.status == AMBIGUOUS:
            return f"{self.rule.source} is ambiguous here: {self.detail}; name the key exactly with the list form"
        return f"{name} is deprecated; rename it to {new} by hand: {self.detail}"


def key_path(doc: Document, entry: Entry) -> tuple[tuple[Any, ...], tuple[str, ...]]:
    """(prefix, key) of an entry: a YAML document index or a Flask config class is
    not part of the key. The key is empty when it sits inside a list."""
    path = entry.path
    prefix: tuple[Any, ...] = ()
    if doc.format == formats.YAML and path and isinstance(path[0], int) and doc.entries:
        if not any(len(e.path) == 1 for e in doc.entries if isinstance(e.path[0], int)):
            prefix, path = path[:1], path[1:]  # multi-document file, not a list at the root
    elif doc.format == formats.PYTHON and len(path) > 1 and not _SETTING_NAME.match(str(path[0])):
        prefix, path = path[:1], path[1:]
    if not path or any(isinstance(part, int) for part in path):
        return prefix, ()
    return prefix, tuple(path)  # type: ignore[arg-type]


def resolve_target(fmt: str, key: tuple[str, ...], rule: Rule) -> tuple[tuple[str, ...] | None, str]:
    """The new key path for ``key``; dots in a dotted target separate levels,
    except where the format's own keys hold dots."""
    target = rule.target
    assert target is not None
    if target.exact:
        return target.parts, ""
    text = target.joined
    if fmt in (formats.DOTENV, formats.PROPERTIES):
        return (text,), ""
    parent = key[:-1]
    prefix = ".".join(parent) + "."
    if fmt == formats.INI or any("." in part for part in key):
        if parent and text.startswith(prefix):
            return parent + (text[len(prefix) :],), ""
        if not parent and fmt == formats.INI:
            return (text,), ""
        if fmt == formats.INI:
            return None, "it moves to another [section]; move it by hand"
        return None, f"{text} could name more than one key path; write the new name as a list in the mapping"
    return tuple(text.split(".")), ""


def check_document(doc: Document, rules: Sequence[Rule]) -> list[Use]:
    """Every use of a listed key in ``doc``, each with its planned fix or the reason there is none."""
    from hooks.core import suppression

    by_joined: dict[str, list[Rule]] = {}
    for rule in rules:
        by_joined.setdefault(rule.source.joined, []).append(rule)
    uses: list[Use] = []
    for entry in doc.entries:
        prefix, key = key_path(doc, entry)
        if key:
            for rule in by_joined.get(".".join(key), ()):
                if rule.source.matches(key):
                    uses.append(Use(entry, rule, key))
    if not uses:
        return uses
    paths = {e.path: e for e in reversed(doc.entries)}  # first entry per path
    planned: dict[KeyPath, Use] = {}
    for use in uses:
        entry, rule = use.entry, use.rule
        others = sorted({u.key for u in uses if u.rule is rule and u.key != use.key})
        if others and not rule.source.exact:
            use.status = AMBIGUOUS
            lines = {u.key: u.entry.line for u in uses if u.rule is rule}
            use.detail = "it matches " + " and ".join(
                f"{display(k)} (line {lines[k]})" for k in sorted({use.key, *others})
            )
            continue
        if rule.target is None:
            use.status = REMOVED
            continue
        target, why = resolve_target(doc.format, use.key, rule)
        if target is None:
            use.status, use.detail = MANUAL, why
            continue
        use.target = entry.path[: len(entry.path) - len(use.key)] + target
        clash = paths.get(use.target)
        earlier = planned.get(use.target)
        if clash is not None or (earlier is not None and earlier.entry.path != entry.path):
            use.status = CONFLICT
            use.detail = str((clash or earlier.entry).line)  # type: ignore[union-attr]
            continue
        planned[use.target] = use
        if suppression.is_suppressed(doc.lines, entry.line, HOOK_ID):
            use.status, use.detail = MANUAL, "the line is suppressed"
        elif use.target[:-1] != entry.path[:-1]:
            same_kind = doc.format == formats.YAML
            use.status = MOVE if same_kind else MANUAL
            use.detail = "" if same_kind else "moving a key to another parent is only automatic in YAML"
        else:
            _plan_edit(doc, use)
    if doc.format == formats.PYTHON:
        _check_python_names(doc, uses)
    return uses


def _plan_edit(doc: Document, use: Use) -> None:
    from hooks.checks.rename_legacy_keys.renamers import key_span, render
    from hooks.config.fixing import line_starts

    entry = use.entry
    span, why = key_span(doc, entry, doc.lines[entry.line - 1])
    written = render(doc.format, str(use.target[-1]), span[2], entry.kind == SECTION) if span else None  # type: ignore[index]
    if span is None or written is None:
        use.status = MANUAL
        use.detail = why or f"{use.target[-1]!r} cannot be written as a key here"  # type: ignore[index]
        return
    start = line_starts(doc.text)[entry.line - 1]
    use.status, use.edit = FIX, (start + span[0], start + span[1], written)


def _check_python_names(doc: Document, uses: list[Use]) -> None:
    """A settings module that reads the old name itself would break if only the
    assignment were renamed: leave those to a person."""
    import ast

    names = {u.key[0] for u in uses if u.status == FIX and len(u.key) == 1}
    if not names:
        return
    try:
        tree = python_trees.parse(doc.text)
    except (SyntaxError, ValueError):
        return
    edited = {(u.entry.line, u.entry.column - 1) for u in uses if u.status == FIX}
    reads: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in names and (node.lineno, node.col_offset) not in edited:
            reads.setdefault(node.id, node.lineno)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in set(node.names) & names:
                reads.setdefault(name, node.lineno)
    for use in uses:
        if use.status == FIX and len(use.key) == 1 and use.key[0] in reads:
            use.status = MANUAL
            use.detail = f"the module also uses {use.key[0]} on line {reads[use.key[0]]}"
            use.edit = None


def fix_document(doc: Document, uses: list[Use]) -> str | None:
    """The fixed text, verified; None when nothing can be fixed. Uses whose fix
    fails become MANUAL with the reason."""
    from hooks.checks.rename_legacy_keys.renamers import yaml_move
    from hooks.config import loaders
    from hooks.config.fixing import apply_edits, verify

    groups: dict[KeyPath, list[Use]] = {}  # every use of one key is renamed, or none
    for use in uses:
        if use.status in (FIX, MOVE):
            groups.setdefault(use.entry.path, []).append(use)
    for path, group in groups.items():
        held = next((u for u in uses if u.entry.path == path and u.status not in (FIX, MOVE)), None)
        if held is not None or (len(group) > 1 and any(u.status == MOVE for u in group)):
            line = held.entry.line if held else group[-1].entry.line
            for use in group:
                use.status, use.detail, use.edit = MANUAL, f"it is also set on line {line}, which is not renamed automatically", None
    fixes = [u for u in uses if u.status == FIX]
    moves = [u for u in uses if u.status == MOVE]

    def attempt(chosen: list[Use]) -> tuple[str, str | None]:
        text = apply_edits(doc.text, [u.edit for u in chosen])  # type: ignore[misc]
        return text, verify(doc, text, [(u.entry.path, u.target) for u in chosen])  # type: ignore[misc]

    done: list[Use] = []
    text, problem = attempt(fixes)
    if problem is None:
        done = list(fixes)
    else:  # find the keys that spoil it: keep every rename that verifies on its own terms
        for path in dict.fromkeys(u.entry.path for u in fixes):
            group = [u for u in fixes if u.entry.path == path]
            _, problem = attempt(done + group)
            if problem is None:
                done += group
            else:
                for use in group:
                    use.status, use.detail, use.edit = MANUAL, problem, None
        text, _ = attempt(done)
    for use in moves:
        current = loaders.parse(doc.path, text, doc.format)
        entry = current.get(use.entry.path) if current.error is None else None
        if entry is None:
            moved, why = None, "another rename in the file changed its place"
        else:
            moved, why = yaml_move.move(current, entry, use.target)  # type: ignore[arg-type]
        if moved is not None:
            why = verify(doc, moved, [(u.entry.path, u.target) for u in done + [use]]) or ""  # type: ignore[misc]
        if moved is None or why:
            use.status, use.detail = MANUAL, why
        else:
            text = moved
            done.append(use)
    return text if done else None
