"""check-cache-rules: read ``cache-rules.yaml`` into rules, with a line for every field.

The file is read with ruamel.yaml's round-trip loader, whose mappings and
sequences remember where each key and item is written, so every schema problem
points at its line. Nothing here touches the code or the filesystem.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hooks.core.api import Problem
from hooks.core.records import field, record

RULE_FIELDS = (
    "name", "why", "owner", "match", "ttl", "vary", "bypass", "public", "public_reason", "sites", "examples",
    "reason",
)
MATCH_FIELDS = ("paths", "methods")
BYPASS_KINDS = ("cookie", "header", "query", "path")
EXAMPLE_LISTS = ("cached", "not_cached")
REQUEST_FIELDS = ("path", "method", "headers", "cookies")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
KNOWN_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "*"})
_TTL_PART = re.compile(r"(\d+)\s*(w|d|h|m|s)", re.I)
_TTL_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_TODO = re.compile(r"\bTODO\b|\bFIXME\b|^\s*(\.\.\.|<[^>]*>|\?+)\s*$")
_METHOD_PATH = re.compile(r"^[A-Za-z]+\s+/")
_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_HEADER = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


@record
class Node:
    """A value from the file and where it is written (1-based)."""

    value: Any  # str/int/bool/None, or dict[str, Node], or list[Node]
    line: int
    column: int

    def text(self) -> str | None:
        return self.value.strip() if isinstance(self.value, str) else None


@record
class Bypass:
    kind: str  # cookie | header | query | path
    name: str
    line: int

    def describe(self) -> str:
        return f"{self.kind}: {self.name}"


@record
class Request:
    """One example: what a client sends."""

    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    cookies: dict[str, str] = field(default_factory=dict)
    line: int = 0
    column: int = 0
    shown: str = ""

    @property
    def bare_path(self) -> str:
        return self.path.split("?", 1)[0].split("#", 1)[0]

    @property
    def query(self) -> set[str]:
        from urllib.parse import parse_qsl

        part = self.path.split("?", 1)[1].split("#", 1)[0] if "?" in self.path else ""
        return {name for name, _ in parse_qsl(part, keep_blank_values=True)}


@record
class Rule:
    name: str
    line: int
    column: int
    fields: dict[str, Node] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=lambda: ["GET", "HEAD"])
    ttl: int | None = None  # seconds; None when absent or unreadable
    ttl_text: str = ""
    vary: list[str] = field(default_factory=list)
    bypass: list[Bypass] = field(default_factory=list)
    public: str | None = None  # the reason, when the rule says it is public
    sites: list[Node] = field(default_factory=list)
    cached: list[Request] = field(default_factory=list)
    not_cached: list[Request] = field(default_factory=list)
    todo: bool = False  # holds a TODO left by --write-rules: its examples are not run

    @property
    def is_page_rule(self) -> bool:
        """A rule with ``match`` caches responses; one without caches function results."""
        return "match" in self.fields

    def line_of(self, name: str) -> int:
        node = self.fields.get(name)
        return getattr(node, "key_line", node.line) if node else self.line


@record
class RuleSet:
    path: str
    rules: list[Rule] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def by_name(self) -> dict[str, Rule]:
        return {rule.name: rule for rule in self.rules if rule.name}


# -- TTL -----------------------------------------------------------------------
def parse_ttl(value: Any) -> int | None:
    """Seconds from ``900``, ``"900"``, ``"15m"``, ``"1h30m"``, ``"2d"``; None if unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if not isinstance(value, str):
        return None
    text = value.strip().lower().replace(" ", "")
    if text.isdigit():
        return int(text)
    if not text or _TTL_PART.sub("", text):
        return None
    return sum(int(n) * _TTL_UNITS[u.lower()] for n, u in _TTL_PART.findall(text))


def show_ttl(seconds: int) -> str:
    """``900`` -> ``15m``; ``5400`` -> ``1h30m``; ``0`` -> ``0s``."""
    if seconds == 0:
        return "0s"
    out = []
    for unit, size in _TTL_UNITS.items():
        if seconds >= size:
            out.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(out)


def is_todo(text: str) -> bool:
    return bool(_TODO.search(text))


# -- YAML -> Node ------------------------------------------------------------------
MAX_NODES = 20000  # a rules file is small; aliases that expand further are an alias bomb


class _TooBig(Exception):
    pass


def _to_node(data: Any, line: int, column: int, budget: list[int] | None = None) -> Node:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig()
    if isinstance(data, CommentedMap):
        out: dict[str, Node] = {}
        for key, value in data.items():
            kline, kcol = data.lc.key(key)
            vline, vcol = data.lc.value(key)
            node = _to_node(value, vline + 1, vcol + 1, budget)
            if not isinstance(value, (CommentedMap, CommentedSeq)):
                node.line, node.column = vline + 1, vcol + 1
            # The key's own place, for "unknown field" messages.
            out[str(key)] = node
            node.key_line, node.key_column = kline + 1, kcol + 1  # type: ignore[attr-defined]
        return Node(out, line, column)
    if isinstance(data, CommentedSeq):
        items = []
        for index, value in enumerate(data):
            iline, icol = data.lc.item(index)
            items.append(_to_node(value, iline + 1, icol + 1, budget))
        return Node(items, line, column)
    if isinstance(data, (str, int, float, bool)) or data is None:
        return Node(str(data) if isinstance(data, str) else data, line, column)
    return Node(str(data), line, column)


def _key_pos(node: Node) -> tuple[int, int]:
    return getattr(node, "key_line", node.line), getattr(node, "key_column", node.column)


def load_yaml(text: str) -> tuple[Node | None, str | None, int]:
    """(root node, None, 0) or (None, one-line reason, line)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from hooks.config.loaders.yaml_loader import too_deep

    deep = too_deep(text)  # before the parser: deep nesting crashes it
    if deep is not None:
        return None, deep.message, deep.line
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = (exc.problem or exc.context or "invalid YAML").strip().splitlines()[0]
        return None, reason, (mark.line + 1) if mark else 1
    except (YAMLError, ValueError, RecursionError) as exc:
        return None, str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid YAML", 1
    except Exception as exc:  # ruamel.yaml's own failure on odd input (a tagged nested sequence): not a traceback
        return None, f"ruamel.yaml cannot construct it ({type(exc).__name__})", 1
    if data is None:
        return Node(None, 1, 1), None, 0
    try:
        return _to_node(data, 1, 1), None, 0
    except (_TooBig, RecursionError):
        return None, f"more than {MAX_NODES} values once aliases are expanded", 1
    except Exception as exc:  # a value of a type the rules never hold (a tagged object)
        return None, f"cannot read a value of type {type(exc).__name__}", 1


def _suggest(name: str, known: tuple[str, ...]) -> str:
    import difflib  # only a file with a typo pays for it

    guess = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    return f"did you mean '{guess[0]}'?" if guess else f"known: {', '.join(known)}"


# -- the schema --------------------------------------------------------------------
class _Reader:
    def __init__(self, path: str) -> None:
        self.out = RuleSet(path)

    def problem(self, line: int, column: int, message: str, *identity: str) -> None:
        self.out.problems.append(Problem(line, column, message, tuple(identity), path=self.out.path))

    def unknown(self, fields: dict[str, Node], known: tuple[str, ...], where: str) -> None:
        for name, node in fields.items():
            if name not in known:
                line, column = _key_pos(node)
                self.problem(line, column, f"unknown field '{name}' in {where}: {_suggest(name, known)}",
                             "unknown-field", where, name)

    def text_list(self, node: Node, what: str, rule: str) -> list[tuple[str, Node]]:
        """A list of texts (a single text is a list of one)."""
        items = node.value if isinstance(node.value, list) else [node]
        out = []
        for item in items:
            text = item.text()
            if not text:
                self.problem(item.line, item.column, f"rule '{rule}': each item of {what} must be text",
                             "type", rule, what)
            else:
                out.append((text, item))
        return out


def read_rules(path: str, text: str) -> RuleSet:
    """Every rule of the file, and every schema problem in it."""
    reader = _Reader(path)
    root, error, line = load_yaml(text)
    if root is None:
        reader.problem(line, 1, f"cannot parse {path}: {error}", "parse")
        return reader.out
    if not isinstance(root.value, dict) or "rules" not in root.value:
        if isinstance(root.value, dict):
            reader.unknown(root.value, ("rules",), "the file")
        reader.problem(1, 1, f"{path} must be a mapping with a 'rules' list", "no-rules")
        return reader.out
    reader.unknown(root.value, ("rules",), "the file")
    rules = root.value["rules"]
    if not isinstance(rules.value, list):
        reader.problem(rules.line, rules.column, "'rules' must be a list of rules", "no-rules")
        return reader.out
    seen: dict[str, Rule] = {}
    for index, node in enumerate(rules.value, 1):
        rule = _read_rule(reader, node, index)
        if rule is None:
            continue
        if rule.name in seen:
            first = seen[rule.name]
            reader.problem(rule.line_of("name"), rule.column,
                           f"rule name '{rule.name}' is already used by the rule on line {first.line}: "
                           "names must be unique", "duplicate-name", rule.name)
        elif rule.name:
            seen[rule.name] = rule
            if not _NAME.fullmatch(rule.name):
                reader.problem(rule.line_of("name"), rule.column,
                               f"rule name '{rule.name}' cannot be used in a `# cache-rule:` comment: use letters, "
                               "digits, '-', '_' and '.'", "name", rule.name)
        reader.out.rules.append(rule)
    return reader.out


def _read_rule(reader: _Reader, node: Node, index: int) -> Rule | None:
    if not isinstance(node.value, dict):
        reader.problem(node.line, node.column, f"rule #{index} must be a mapping (name, why, owner, ...)",
                       "type", f"#{index}")
        return None
    fields: dict[str, Node] = node.value
    name_node = fields.get("name")
    name = name_node.text() if name_node else None
    label = name or f"#{index}"
    rule = Rule(name or "", node.line, node.column, fields)
    reader.unknown(fields, RULE_FIELDS, f"rule '{label}'")
    for required, what in (("name", "a short unique name, used in messages and `# cache-rule:` comments"),
                           ("why", "why this is cached, for the person who debugs it later"),
                           ("owner", "the team or person to ask")):
        value = fields.get(required)
        if value is None:
            reader.problem(node.line, node.column, f"rule '{label}' has no '{required}': give {what}",
                           "missing", label, required)
        elif not value.text():
            reader.problem(value.line, value.column, f"rule '{label}': '{required}' must be text: give {what}",
                           "empty", label, required)
        elif is_todo(str(value.value)):
            rule.todo = True
            reader.problem(value.line, value.column, f"rule '{label}': '{required}' is still a TODO: give {what}",
                           "todo", label, required)
    _read_match(reader, rule, label)
    _read_ttl(reader, rule, label)
    if "vary" in fields:
        for text, item in reader.text_list(fields["vary"], "vary", label):
            if not _HEADER.match(text):
                reader.problem(item.line, item.column, f"rule '{label}': vary '{text}' is not a header name",
                               "vary", label, text)
            else:
                rule.vary.append(text)
    _read_bypass(reader, rule, label)
    _read_public(reader, rule, label)
    if "sites" in fields:
        for text, item in reader.text_list(fields["sites"], "sites", label):
            if is_todo(text):
                rule.todo = True
                reader.problem(item.line, item.column, f"rule '{label}': site '{text}' is still a TODO",
                               "todo", label, "sites")
            else:
                item.value = text
                rule.sites.append(item)
    _read_examples(reader, rule, label)
    return rule


def _read_match(reader: _Reader, rule: Rule, label: str) -> None:
    node = rule.fields.get("match")
    if node is None:
        return
    if not isinstance(node.value, dict):
        reader.problem(node.line, node.column, f"rule '{label}': match must be a mapping: {{paths: [...], methods: [...]}}",
                       "type", label, "match")
        return
    reader.unknown(node.value, MATCH_FIELDS, f"the match of rule '{label}'")
    paths = node.value.get("paths")
    if paths is None:
        reader.problem(node.line, node.column, f"rule '{label}': match has no 'paths': list the URL paths it caches",
                       "missing", label, "paths")
    else:
        for text, item in reader.text_list(paths, "match.paths", label):
            if is_todo(text):
                rule.todo = True
                reader.problem(item.line, item.column, f"rule '{label}': match path '{text}' is still a TODO",
                               "todo", label, "paths")
            elif not text.startswith("/"):
                reader.problem(item.line, item.column, f"rule '{label}': match path '{text}' must start with '/'",
                               "path", label, text)
            else:
                rule.paths.append(text)
    methods = node.value.get("methods")
    if methods is not None:
        rule.methods = []
        for text, item in reader.text_list(methods, "match.methods", label):
            method = text.upper()
            if method not in KNOWN_METHODS:
                reader.problem(item.line, item.column, f"rule '{label}': unknown method '{text}'",
                               "method", label, text)
                continue
            rule.methods.append(method)
            if method not in SAFE_METHODS:
                reader.problem(item.line, item.column,
                               f"rule '{label}' caches {'every method' if method == '*' else method} requests: "
                               "only GET and HEAD may be cached; a cached "
                               f"{'write' if method != '*' else 'POST'} is replayed to other users",
                               "unsafe-method", label, method)


def _read_ttl(reader: _Reader, rule: Rule, label: str) -> None:
    node = rule.fields.get("ttl")
    if node is None:
        if rule.is_page_rule:
            reader.problem(rule.line, rule.column, f"rule '{label}' has no 'ttl': say how long a page is cached (e.g. 15m)",
                           "missing", label, "ttl")
        return
    rule.ttl_text = str(node.value)
    if isinstance(node.value, str) and is_todo(node.value):
        rule.todo = True
        reader.problem(node.line, node.column, f"rule '{label}': ttl is still a TODO", "todo", label, "ttl")
        return
    rule.ttl = parse_ttl(node.value)
    if rule.ttl is None:
        reader.problem(node.line, node.column,
                       f"rule '{label}': cannot read ttl '{node.value}': write seconds (900) or a duration (15m, 1h30m, 2d)",
                       "ttl", label)


def _read_bypass(reader: _Reader, rule: Rule, label: str) -> None:
    node = rule.fields.get("bypass")
    if node is None:
        return
    items = node.value if isinstance(node.value, list) else [node]
    for item in items:
        if not isinstance(item.value, dict) or len(item.value) != 1:
            reader.problem(item.line, item.column,
                           f"rule '{label}': each bypass is one of {', '.join(k + ': NAME' for k in BYPASS_KINDS)}",
                           "bypass", label)
            continue
        (kind, value), = item.value.items()
        if kind not in BYPASS_KINDS:
            line, column = _key_pos(value)
            reader.problem(line, column, f"rule '{label}': unknown bypass '{kind}': {_suggest(kind, BYPASS_KINDS)}",
                           "unknown-field", f"bypass of {label}", kind)
            continue
        text = value.text()
        if not text:
            reader.problem(value.line, value.column, f"rule '{label}': bypass {kind} needs a name", "bypass", label)
            continue
        rule.bypass.append(Bypass(kind, text, value.line))


def _read_public(reader: _Reader, rule: Rule, label: str) -> None:
    node = rule.fields.get("public")
    # The reason may be `public_reason:` (or `reason:`) beside `public: true`,
    # `public: <the reason>`, or `public: {reason: ...}`.
    reason = rule.fields.get("public_reason") or rule.fields.get("reason")
    if node is None:
        if reason is not None:
            reader.problem(reason.line, reason.column, f"rule '{label}': a public reason without 'public: true'",
                           "public", label)
        return
    if node.value is False:
        return
    text = reason.text() if reason is not None else None
    if isinstance(node.value, dict):
        reader.unknown(node.value, ("reason",), f"the public of rule '{label}'")
        given = node.value.get("reason")
        text = given.text() if given is not None else None
    elif node.value is not True:
        text = node.text()
    if not text or is_todo(text):
        reader.problem(node.line, node.column,
                       f"rule '{label}' says public without a reason: write `public_reason:` saying why every user "
                       "may get the same page", "public-reason", label)
        return
    rule.public = text


def _read_examples(reader: _Reader, rule: Rule, label: str) -> None:
    node = rule.fields.get("examples")
    if node is None:
        if rule.is_page_rule:
            reader.problem(rule.line, rule.column,
                           f"rule '{label}' has no examples: give at least one cached and one not_cached request",
                           "examples", label)
        return
    if not isinstance(node.value, dict):
        reader.problem(node.line, node.column, f"rule '{label}': examples must be a mapping with cached and not_cached",
                       "type", label, "examples")
        return
    reader.unknown(node.value, EXAMPLE_LISTS, f"the examples of rule '{label}'")
    for kind in EXAMPLE_LISTS:
        listed = node.value.get(kind)
        requests = [r for r in _read_requests(reader, listed, label, kind, rule)] if listed else []
        setattr(rule, kind, requests)
        if not requests and rule.is_page_rule and not rule.todo:
            where = listed or node
            reader.problem(where.line, where.column,
                           f"rule '{label}' has no {kind.replace('_', ' ')} example: add a request that "
                           f"{'it caches' if kind == 'cached' else 'must not be cached (a logged-in user, a POST)'}",
                           "examples", label, kind)


def _read_requests(reader: _Reader, node: Node, label: str, kind: str, rule: Rule) -> Iterator[Request]:
    items = node.value if isinstance(node.value, list) else [node]
    for item in items:
        if isinstance(item.value, str):
            text = item.value.strip()
            if is_todo(text):
                rule.todo = True
                reader.problem(item.line, item.column, f"rule '{label}': {kind} example '{text}' is still a TODO",
                               "todo", label, kind)
            elif _METHOD_PATH.match(text):  # "POST /blog/": a method before the path
                verb, path_text = text.split(None, 1)
                yield Request(path_text, method=verb.upper(), line=item.line, column=item.column, shown=text)
            elif not text.startswith("/"):
                reader.problem(item.line, item.column, f"rule '{label}': {kind} example '{text}' must be a path starting with '/'",
                               "example", label, text)
            else:
                yield Request(text, line=item.line, column=item.column, shown=text)
            continue
        if not isinstance(item.value, dict):
            reader.problem(item.line, item.column,
                           f"rule '{label}': each {kind} example is a path or {{path, method, headers, cookies}}",
                           "example", label)
            continue
        reader.unknown(item.value, REQUEST_FIELDS, f"an example of rule '{label}'")
        path = item.value.get("path")
        text = (path.text() if path is not None else None) or ""
        if path is not None and text and is_todo(text):
            rule.todo = True
            reader.problem(path.line, path.column, f"rule '{label}': {kind} example '{text}' is still a TODO",
                           "todo", label, kind)
            continue
        if not text or not text.startswith("/"):
            reader.problem(item.line, item.column, f"rule '{label}': {kind} example needs a path starting with '/'",
                           "example", label)
            continue
        request = Request(text, line=item.line, column=item.column)
        method = item.value.get("method")
        if method is not None:
            request.method = (method.text() or "GET").upper()
        for name in ("headers", "cookies"):
            given = item.value.get(name)
            if given is None:
                continue
            if not isinstance(given.value, dict):
                reader.problem(given.line, given.column, f"rule '{label}': example {name} must be a mapping of name: value",
                               "example", label, name)
                continue
            values = {k: ("" if v.value is None else str(v.value)) for k, v in given.value.items()}
            if name == "headers":
                request.headers = {k.lower(): v for k, v in values.items()}
            else:
                request.cookies.update(values)
        if "cookie" in request.headers:  # a Cookie header holds cookies too: "sessionid=x; csrftoken=y"
            for part in request.headers["cookie"].split(";"):
                if part.strip():
                    request.cookies.setdefault(part.split("=", 1)[0].strip(), part.partition("=")[2].strip())
        request.shown = describe_request(request)
        yield request


def describe_request(request: Request) -> str:
    parts = [request.method + " " + request.path if request.method != "GET" else request.path]
    parts += [f"header {name}" for name in request.headers]
    parts += [f"cookie {name}" for name in request.cookies]
    return " with ".join([parts[0], ", ".join(parts[1:])]) if len(parts) > 1 else parts[0]
