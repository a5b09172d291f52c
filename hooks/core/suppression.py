"""The one inline marker every hook honours:

    key: value  # legacy-config: ignore[no-inline-secrets]

on the line itself, or on a comment-only line directly above it. Several hook
ids may be listed, comma-separated; ``ignore`` without brackets silences every
hook on that line.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

MARKER = re.compile(r"legacy-config:\s*ignore(?:\[([^\]]*)\])?")
_COMMENT_ONLY = re.compile(r"^\s*(#|;|//|--|REM\b)")


def _names(line: str, hook_id: str, extra_markers: Iterable[str]) -> bool:
    for marker in extra_markers:
        if marker in line:
            return True
    for match in MARKER.finditer(line):
        ids = match.group(1)
        if ids is None:
            return True
        if hook_id in {part.strip() for part in ids.split(",")}:
            return True
    return False


def is_suppressed(lines: Sequence[str], line: int, hook_id: str, extra_markers: Iterable[str] = ()) -> bool:
    """True if the 1-based ``line`` of ``lines`` carries a marker for ``hook_id``."""
    extra_markers = tuple(extra_markers)
    if 1 <= line <= len(lines) and _names(lines[line - 1], hook_id, extra_markers):
        return True
    above = line - 1
    if 1 <= above <= len(lines):
        text = lines[above - 1]
        if _COMMENT_ONLY.match(text) and _names(text, hook_id, extra_markers):
            return True
    return False
