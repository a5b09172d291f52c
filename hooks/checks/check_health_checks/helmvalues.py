"""What a Helm chart deploys by default, from its ``values.yaml``.

Only simple paths are read: ``{{ .Values.redis.containerImage.imageRegistry }}``
(a scalar at that path), in a container's ``image:`` line, and a template whose
whole text sits inside ``{{- if .Values.mongo.enabled }} ... {{- end }}`` with
``enabled: false`` in the values; and a probe written by a helper of the chart,
``livenessProbe:`` over ``{{- include "x.probes" (merge .Values.backend.probes.liveness
(dict "targetPort" .Values.backend.service.targetPort)) | nindent 12 }}``, rendered from
those defaults when the helper uses only ``if``/``else``, ``.key`` and ``toYaml .key``.
Other pipelines, ``default`` and ``--set``/other values files are not followed: what
they give stays unknown.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from typing import Any

from hooks.checks.check_health_checks import yamlread

_ACTION = re.compile(r"\{\{-?.*?-?\}\}")
_PATH = re.compile(r"\.Values((?:\.\w+)+)")
_CONTROL = re.compile(r"^\s*\{\{-?\s*(if|with|range|define|block|end|else)\b(.*?)-?\}\}\s*$")


class ChartValues:
    """The default values of the charts of a repo, read once per chart."""

    def __init__(self, read: Callable[[str], str | None], files: Sequence[str] = ()) -> None:
        self.read = read
        self.files = files
        self.charts: dict[str, Any] = {}
        self.defines: dict[str, dict[str, str]] = {}

    def values(self, chart: str) -> Any:
        if chart not in self.charts:
            text = self.read(os.path.join(chart, "values.yaml")) if chart else self.read("values.yaml")
            found: Any = None
            if text:
                try:
                    docs = list(yamlread.load_all(text))
                    found = docs[0] if docs else None
                except ValueError:
                    found = None
            self.charts[chart] = found
        return self.charts[chart]

    def lookup(self, chart: str, dotted: str) -> tuple[bool, Any]:
        """(found, value) of ``.Values<dotted>`` in the chart's defaults."""
        node = self.values(chart)
        for part in dotted.strip(".").split("."):
            if not isinstance(node, dict) or part not in node:
                return False, None
            node = node[part]
        return True, node

    def image(self, chart: str, line: str, key: str = "image:") -> str:
        """An ``image:`` line (or another ``key``'s: a container's ``name:``) with every action a
        simple ``.Values`` path to a scalar, filled in ("" else)."""
        _, colon, value = line.partition(key)
        if not colon or "{{" not in value:
            return ""
        failed = False

        def fill(m: re.Match[str]) -> str:
            nonlocal failed
            path = _PATH.fullmatch(yamlread.expression(m.group(0)))
            found, got = self.lookup(chart, path.group(1)) if path else (False, None)
            if not found or not isinstance(got, (str, int, float)) or isinstance(got, bool):
                failed = True
                return ""
            return str(got)

        filled = _ACTION.sub(fill, value.split(" #", 1)[0]).strip().strip("\"'")
        return "" if failed or not filled else filled

    def disabled(self, chart: str, text: str) -> str:
        """Why a template renders nothing by default: its whole text is inside
        ``{{- if .Values.x.enabled }}`` and the chart's values set that to false ("" else)."""
        depth = 0
        guard = ""
        closed_at = -1
        lines = text.split("\n")
        for number, raw in enumerate(lines):
            stripped = raw.strip()
            if not stripped or (stripped.startswith("#") and not depth):
                continue
            m = _CONTROL.match(raw)
            if m is None:
                if depth == 0:
                    return ""  # text outside every block: rendered
                continue
            word, rest = m.group(1), m.group(2).strip()
            if depth == 0:
                if closed_at >= 0 or word != "if":
                    return ""  # a second block, or not an if
                path = _PATH.fullmatch(rest)
                if path is None:
                    return ""
                guard = path.group(1)
            if word in ("if", "with", "range", "define", "block"):
                depth += 1
            elif word == "end":
                depth -= 1
                if depth == 0:
                    closed_at = number
            elif word == "else" and depth == 1:
                return ""  # the else branch renders
        if not guard or closed_at < 0:
            return ""
        found, value = self.lookup(chart, guard)
        if found and value is False:
            return f"rendered only when .Values{guard} is true, and {os.path.join(chart, 'values.yaml')} sets it false"
        return ""

    # -- probes written by a helper of the chart ------------------------------------------------
    def helpers(self, chart: str) -> dict[str, str]:
        """The named templates the chart's ``templates/*.tpl`` define: name -> body."""
        if chart not in self.defines:
            found: dict[str, str] = {}
            folder = os.path.join(chart, "templates") + "/" if chart else "templates/"
            for f in self.files:
                if f.startswith(folder) and f.endswith(".tpl"):
                    for m in _DEFINE.finditer(self.read(f) or ""):
                        found.setdefault(m.group(1), m.group(2))
            self.defines[chart] = found
        return self.defines[chart]

    def probe(self, chart: str, lines: Sequence[str], number: int, key: str) -> Any:
        """The probe at 1-based line ``number`` (its ``key:`` line, or the include under it) rendered
        from the chart's defaults: a mapping (None when it cannot be told)."""
        at = number - 1
        if 0 <= at < len(lines) and re.match(rf"\s*{re.escape(key)}:\s*$", lines[at]):
            at += 1
        if not 0 <= at < len(lines):
            return None
        m = _INCLUDE.fullmatch(lines[at].strip())
        body = self.helpers(chart).get(m.group(1)) if m else None
        if m is None or body is None:
            return None
        try:
            context = _Expr(m.group(2), lambda dotted: self.lookup(chart, dotted)).value()
            if not isinstance(context, dict):
                return None
            text = _render(body, context)
            docs = list(yamlread.load_all(text))
        except (_CannotTell, ValueError):
            return None
        return docs[0] if len(docs) == 1 and isinstance(docs[0], yamlread.Map) else None


_DEFINE = re.compile(r'\{\{-?\s*define\s+"([^"]+)"\s*-?\}\}(.*?)\{\{-?\s*end\s*-?\}\}(?=\s*(?:\{\{-?\s*define\b|\{\{/\*|$))', re.S)
_INCLUDE = re.compile(r'\{\{-?\s*include\s+"([^"]+)"\s+(.+?)\s*\|\s*n?indent\s+\d+\s*-?\}\}')
_TOKEN = re.compile(r'\s*(\(|\)|"(?:[^"\\]|\\.)*"|[^\s()]+)')


class _CannotTell(Exception):
    pass


class _Expr:
    """A template argument made of ``.Values`` paths, literals, ``merge`` and ``dict``."""

    def __init__(self, text: str, lookup: Callable[[str], tuple[bool, Any]]) -> None:
        self.tokens = [t for t in _TOKEN.findall(text) if t]
        self.at = 0
        self.lookup = lookup

    def value(self) -> Any:
        got = self.term()
        if self.at != len(self.tokens):
            raise _CannotTell
        return got

    def term(self) -> Any:
        if self.at >= len(self.tokens):
            raise _CannotTell
        token = self.tokens[self.at]
        self.at += 1
        if token == "(":
            got = self.call()
            if self.at >= len(self.tokens) or self.tokens[self.at] != ")":
                raise _CannotTell
            self.at += 1
            return got
        if token.startswith('"'):
            return json.loads(token)
        if re.fullmatch(r"-?\d+", token):
            return int(token)
        path = _PATH.fullmatch(token[1:] if token.startswith("$.Values.") else token)
        if path:
            found, got = self.lookup(path.group(1))
            return _plain(got) if found else None
        raise _CannotTell

    def call(self) -> Any:
        name = self.tokens[self.at] if self.at < len(self.tokens) else ""
        if name not in ("merge", "dict"):
            return self.term()
        self.at += 1
        args: list[Any] = []
        while self.at < len(self.tokens) and self.tokens[self.at] != ")":
            args.append(self.term())
        if name == "dict":
            if len(args) % 2 or not all(isinstance(k, str) for k in args[::2]):
                raise _CannotTell
            return {k: v for k, v in zip(args[::2], args[1::2]) if v is not None}
        if not args or not all(isinstance(a, dict) for a in args):
            raise _CannotTell  # merge of a value the defaults do not set
        merged: dict[str, Any] = {}
        for arg in reversed(args):  # the first wins (sprig's merge)
            merged = _merge(merged, arg)
        return merged


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(out.get(k), dict) and isinstance(v, dict) else v
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _truthy(value: Any) -> bool:
    return value not in (None, False, 0, "") and value != {} and value != []


_KEY = re.compile(r"\.(\w+(?:\.\w+)*)")


def _field(context: dict[str, Any], expr: str) -> tuple[bool, Any]:
    m = _KEY.fullmatch(expr)
    if m is None:
        raise _CannotTell
    node: Any = context
    for part in m.group(1).split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _render(body: str, context: dict[str, Any]) -> str:
    """A helper's body with ``if``/``else if``/``else``/``end``, ``.key`` and ``toYaml .key | nindent n``
    evaluated on ``context``; any other action is written as a templated value. Raises _CannotTell."""
    parts = re.split(r"(\{\{-?.*?-?\}\})", body, flags=re.S)
    out: list[str] = []
    stack: list[tuple[bool, bool]] = []  # (this branch renders, a branch of this if was taken)
    trim_next = False
    for i, part in enumerate(parts):
        if i % 2 == 0:
            text = part.lstrip() if trim_next else part
            if i + 1 < len(parts) and parts[i + 1].startswith("{{-"):
                text = text.rstrip()
            if all(on for on, _ in stack):
                out.append(text)
            continue
        trim_next = part.endswith("-}}")
        expr = yamlread.expression(part)
        word = expr.split(" ", 1)[0]
        if part.startswith("{{/*") or part.startswith("{{- /*"):
            continue
        if word == "if":
            cond = _truthy(_field(context, expr[3:].strip())[1])
            stack.append((cond, cond))
        elif word == "else":
            if not stack:
                raise _CannotTell
            _, taken = stack[-1]
            rest = expr[4:].strip()
            cond = not taken if not rest else (not taken and rest.startswith("if ") and _truthy(_field(context, rest[3:].strip())[1]))
            if rest and not rest.startswith("if "):
                raise _CannotTell
            stack[-1] = (cond, taken or cond)
        elif word == "end":
            if not stack:
                raise _CannotTell
            stack.pop()
        elif word in ("with", "range", "define", "block", "template", "include") or expr.startswith("$"):
            raise _CannotTell
        elif not all(on for on, _ in stack):
            continue
        elif _KEY.fullmatch(expr):
            found, value = _field(context, expr)
            if not found or isinstance(value, (dict, list)):
                raise _CannotTell  # Go prints <no value>
            out.append(json.dumps(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value))
        else:
            m = re.fullmatch(r"toYaml (\.\w+(?:\.\w+)*) \| n?indent (\d+)", expr)
            if m is None:
                out.append(json.dumps(yamlread.TEMPLATED))
                continue
            found, value = _field(context, m.group(1))
            if not found:
                raise _CannotTell
            out.append(("\n" if "nindent" in expr else "") + " " * int(m.group(2)) + json.dumps(value))
    if stack:
        raise _CannotTell
    return "".join(out)
