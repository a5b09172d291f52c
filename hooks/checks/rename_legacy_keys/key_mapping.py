"""The mapping file of rename-legacy-keys (``.legacy-keys.yaml``): loading and validation.

::

    renamed:
      cache.timeout: cache.ttl                      # dotted: the dots separate levels
      ["app:main", "sqlalchemy.url"]: ["app:main", "sqlalchemy.dsn"]   # exact parts
    removed:
      celery.always_eager: "removed in billing 4.0"
    scopes:
      cache.timeout: ["config/*.yaml"]

Every problem is collected with its line, so a user fixes the file in one go.
"""
from __future__ import annotations

import fnmatch
import os
import posixpath
from collections.abc import Sequence

from hooks.core.records import record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

DEFAULT_PATH = ".legacy-keys.yaml"
SECTIONS = ("renamed", "removed", "scopes")


@record(frozen=True)
class KeyRef:
    """A key as the mapping names it: a dotted string, or a list of exact parts."""

    parts: tuple[str, ...]
    exact: bool  # written as a list: the parts are the key path as they are
    line: int = 0
    column: int = 0

    @property
    def joined(self) -> str:
        return ".".join(self.parts)

    def matches(self, path: tuple[str, ...]) -> bool:
        # A dotted string matches every path that reads the same with dots; the
        # hook reports it as ambiguous when two different paths in one file do.
        return path == self.parts if self.exact else ".".join(path) == self.joined

    def same_as(self, other: KeyRef) -> bool:
        if self.exact and other.exact:
            return self.parts == other.parts
        return self.joined == other.joined

    def __str__(self) -> str:
        return display(self.parts) if self.exact else self.joined


def display(path: Sequence[Any]) -> str:
    """``cache.ttl``, or the list form when a part itself holds a dot."""
    parts = [str(part) for part in path]
    if any("." in part for part in parts) or not parts:
        return "[" + ", ".join('"' + part.replace('"', '\\"') + '"' for part in parts) + "]"
    return ".".join(parts)


@record(frozen=True)
class Rule:
    source: KeyRef
    target: KeyRef | None  # None: the key is removed
    message: str = ""  # why a removed key is gone
    scopes: tuple[str, ...] = ()

    def applies_to(self, relpath: str) -> bool:
        if not self.scopes:
            return True
        base = posixpath.basename(relpath)
        return any(
            fnmatch.fnmatchcase(relpath, glob) or ("/" not in glob and fnmatch.fnmatchcase(base, glob))
            for glob in self.scopes
        )


class MappingError(Exception):
    """The mapping file is unusable; ``problems`` are (line, column, message)."""

    def __init__(self, path: str, problems: list[tuple[int, int, str]]) -> None:
        super().__init__(f"{path}: {problems[0][2]}")
        self.path = path
        self.problems = problems

    def lines(self, hook_id: str) -> list[str]:
        return [f"{self.path}:{line}:{col}: {hook_id}: error: {msg}" for line, col, msg in self.problems]


def load(path: str) -> list[Rule]:
    from hooks.config.source import ReadError, read_text

    try:
        text = read_text(path)
    except ReadError as exc:
        raise MappingError(path, [(exc.line, 1, str(exc))]) from None
    return parse(path, text)


def parse(path: str, text: str) -> list[Rule]:
    # libyaml composes in a fraction of ruamel.yaml's import time, and the hook
    # pays it on every commit; a file it refuses goes to ruamel.yaml, whose
    # messages the errors below report.
    import yaml as pyyaml

    from hooks.config.loaders.yaml_loader import too_deep

    deep = too_deep(text)  # before either parser: deep nesting crashes them
    if deep is not None:
        raise MappingError(path, [(deep.line, 1, f"not valid YAML: {deep.message}")])
    try:
        node = pyyaml.compose(text, Loader=getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader))
    except (pyyaml.YAMLError, ValueError, TypeError, RecursionError):
        node = None
    if node is not None:
        return _Validator(path).rules(node)
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        yaml = YAML(typ="safe", pure=False)
    except Exception:  # pragma: no cover - no C extension on this interpreter
        yaml = YAML(typ="safe", pure=True)
    try:
        root = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise MappingError(path, [(line, col, f"not valid YAML: {(exc.problem or exc.context or '').strip()}")]) from None
    except YAMLError as exc:
        raise MappingError(path, [(1, 1, f"not valid YAML: {str(exc).splitlines()[0] if str(exc) else ''}")]) from None
    except Exception as exc:  # ruamel.yaml's own failure on odd input: one line, not a traceback
        raise MappingError(path, [(1, 1, f"not valid YAML ({type(exc).__name__})")]) from None
    return _Validator(path).rules(root)


def _pos(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Validator:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[tuple[int, int, str]] = []

    def problem(self, node: Any, message: str) -> None:
        self.problems.append((*_pos(node), message))

    def key(self, node: Any, what: str) -> KeyRef | None:
        line, col = _pos(node)
        if node.id == "scalar":
            value = node.value if node.style or not node.tag.endswith(":null") else ""
            if not value or any(not part for part in value.split(".")):
                self.problem(node, f"{what} {value!r} is not a key path (an empty part)")
                return None
            return KeyRef(tuple(value.split(".")), False, line, col)
        if node.id == "sequence" and node.value and all(
            item.id == "scalar" and item.value for item in node.value
        ):
            return KeyRef(tuple(item.value for item in node.value), True, line, col)
        self.problem(node, f"{what} must be a dotted key path or a list of key parts")
        return None

    def section(self, node: Any, name: str) -> list[tuple[Any, Any]]:
        if node.id == "scalar" and node.tag.endswith(":null"):
            return []
        if node.id != "mapping":
            self.problem(node, f"{name}: must be a mapping of key paths")
            return []
        return list(node.value)

    def rules(self, root: Any) -> list[Rule]:
        if root is None or root.id != "mapping":
            self.problems.append(
                (*(_pos(root) if root is not None else (1, 1)), "must be a mapping with renamed:, removed: or scopes:")
            )
            raise MappingError(self.path, self.problems)
        sections: dict[str, Any] = {}
        for key_node, value_node in root.value:
            name = key_node.value if key_node.id == "scalar" else None
            if name not in SECTIONS:
                self.problem(key_node, f"unknown section {name!r}: use renamed, removed or scopes")
            elif name in sections:
                self.problem(key_node, f"{name}: is given twice")
            else:
                sections[name] = value_node
        renamed: list[tuple[KeyRef, KeyRef]] = []
        for key_node, value_node in self.section(sections["renamed"], "renamed") if "renamed" in sections else []:
            source = self.key(key_node, "renamed key")
            target = self.key(value_node, "new name")
            if source and target:
                renamed.append((source, target))
        removed: list[tuple[KeyRef, str]] = []
        for key_node, value_node in self.section(sections["removed"], "removed") if "removed" in sections else []:
            source = self.key(key_node, "removed key")
            if value_node.id != "scalar":
                self.problem(value_node, "a removed key's value must be its message (a string)")
            elif source:
                removed.append((source, "" if value_node.tag.endswith(":null") else str(value_node.value)))
        scopes: list[tuple[KeyRef, tuple[str, ...]]] = []
        for key_node, value_node in self.section(sections["scopes"], "scopes") if "scopes" in sections else []:
            source = self.key(key_node, "scoped key")
            items = value_node.value if value_node.id == "sequence" else [value_node]
            if not items or not all(item.id == "scalar" and item.value for item in items):
                self.problem(value_node, "a scope must be a glob or a list of globs, e.g. [\"config/*.yaml\"]")
            elif source:
                scopes.append((source, tuple(item.value for item in items)))
        self.check(renamed, removed, scopes)
        if self.problems:
            self.problems.sort()
            raise MappingError(self.path, self.problems)
        out = []
        for source, target in renamed:
            out.append(Rule(source, target, "", self.scope_of(source, scopes)))
        for source, message in removed:
            out.append(Rule(source, None, message, self.scope_of(source, scopes)))
        return out

    @staticmethod
    def scope_of(source: KeyRef, scopes: list[tuple[KeyRef, tuple[str, ...]]]) -> tuple[str, ...]:
        return next((globs for key, globs in scopes if key.same_as(source)), ())

    def add(self, ref: KeyRef, message: str) -> None:
        self.problems.append((ref.line, ref.column, message))

    def check(self, renamed: list[Any], removed: list[Any], scopes: list[Any]) -> None:
        seen: list[KeyRef] = []
        for source, _ in renamed + removed:
            first = next((s for s in seen if s.same_as(source)), None)
            if first is not None:
                in_removed = any(s is source for s, _ in removed) and not any(s is first for s, _ in removed)
                what = "both renamed (line {}) and removed" if in_removed else "listed twice (also on line {})"
                self.add(source, f"{source} is {what.format(first.line)}")
            seen.append(source)
        for source, target in renamed:
            if source.same_as(target):
                self.add(target, f"{source} is renamed to itself")
                continue
            for other, further in renamed:
                if other is not source and target.same_as(other):
                    kind = "a cycle" if further.same_as(source) else "a chain"
                    self.add(
                        target,
                        f"{source} is renamed to {target}, which line {other.line} renames to {further}: "
                        f"{kind}; rename {source} straight to its final name",
                    )
            for other, _ in removed:
                if target.same_as(other):
                    self.add(target, f"{source} is renamed to {target}, which line {other.line} lists as removed")
        listed = [s for s, _ in renamed + removed]
        for ref, _ in scopes:
            if not any(ref.same_as(s) for s in listed):
                self.add(ref, f"scope for {ref}, which is neither renamed nor removed")


def is_mapping_file(path: str, mapping_path: str) -> bool:
    """The mapping file names keys; it is never a config file to rename in."""
    try:
        return os.path.samefile(path, mapping_path)
    except OSError:
        return posixpath.normpath(path.replace("\\", "/")) == posixpath.normpath(mapping_path.replace("\\", "/"))
