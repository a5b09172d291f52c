"""What a Helm chart deploys by default, from its ``values.yaml``.

Only simple paths are read: ``{{ .Values.redis.containerImage.imageRegistry }}``
(a scalar at that path), in a container's ``image:`` line, and a template whose
whole text sits inside ``{{- if .Values.mongo.enabled }} ... {{- end }}`` with
``enabled: false`` in the values. Pipelines, ``default``, ``include`` and
``--set``/other values files are not followed: what they give stays unknown.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from hooks.checks.check_health_checks import yamlread

_ACTION = re.compile(r"\{\{-?.*?-?\}\}")
_PATH = re.compile(r"\.Values((?:\.\w+)+)")
_CONTROL = re.compile(r"^\s*\{\{-?\s*(if|with|range|define|block|end|else)\b(.*?)-?\}\}\s*$")


class ChartValues:
    """The default values of the charts of a repo, read once per chart."""

    def __init__(self, read: Callable[[str], str | None]) -> None:
        self.read = read
        self.charts: dict[str, Any] = {}

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
