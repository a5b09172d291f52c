"""The part of a start script that runs for one container: ``if``/``elif``/``else``
blocks whose conditions compare a variable with a literal (``[[ "$CONTAINER_ROLE" ==
"worker" ]]``, ``[ "${target}" = web ]``, ``[ -n "$DEBUG" ]``) are cut down to the
arm the container's values select. Nothing is run; a condition the values cannot
decide keeps the whole block, as written.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from hooks.core.records import field, record

_IF = re.compile(r"^\s*(if|elif)\s+(.*?)\s*(?:;\s*then\b.*)?$")
_ELSE = re.compile(r"^\s*else\b\s*;?\s*$")
_FI = re.compile(r"^\s*fi\b\s*;?\s*$")
_THEN = re.compile(r"^\s*then\b\s*$")
_VAR = r"[\"']?\$\{?(\w+)(?:(:?[-=])([^}\"'\s]*))?\}?[\"']?"
_WORD = r"[\"']?([^\s\"'\]]*)[\"']?"
_COMPARE = re.compile(rf"^(?:\[\[|\[|test)\s+{_VAR}\s*(==|=|!=)\s*{_WORD}\s*(?:\]\]|\])?$")
_EMPTY = re.compile(rf"^(?:\[\[|\[|test)\s+(-z|-n)\s+{_VAR}\s*(?:\]\]|\])?$")


@record
class Resolved:
    text: str  # the script with each decided block replaced by its selected arm
    undecided: list[list[str]] = field(default_factory=list)  # the arms of each block with two or more the values cannot choose from
    decided: bool = False  # some block was decided


def _condition(cond: str, value: Callable[[str], str | None]) -> tuple[bool | None, str]:
    """Whether a condition holds (None: cannot tell), and the variable it reads."""
    cond = cond.strip().rstrip(";").strip()
    m = _COMPARE.match(cond)
    if m:
        name, op, default, wanted = m.group(1), m.group(2), m.group(3), m.group(5)
        got = _value(name, op, default, value)
        if got is None or "$" in wanted or any(ch in wanted for ch in "*?["):
            return None, name
        same = got == wanted
        return (same if m.group(4) in ("==", "=") else not same), name
    m = _EMPTY.match(cond)
    if m:
        name = m.group(2)
        got = _value(name, m.group(3), m.group(4), value)
        if got is None:
            return None, name
        return (got == "") == (m.group(1) == "-z"), name
    return None, ""


def _value(name: str, op: str | None, default: str | None, value: Callable[[str], str | None]) -> str | None:
    got = value(name)
    if got is None:
        return None
    if op is not None and (got == "" and op.startswith(":")):
        return default or ""
    return got


def resolve(body: str, value: Callable[[str], str | None]) -> Resolved:
    """``body`` with every ``if`` block the values decide cut down to its selected arm."""
    lines = body.splitlines()
    out = Resolved("")
    text, _ = _block(lines, 0, value, out, top=True)
    out.text = "\n".join(text)
    return out


def _block(lines: list[str], i: int, value: Callable[[str], str | None], out: Resolved, top: bool = False) -> tuple[list[str], int]:
    """Lines from ``i`` up to the ``elif``/``else``/``fi`` closing the enclosing block
    (the end of the script at the top), each nested block resolved; and where it stopped."""
    kept: list[str] = []
    while i < len(lines):
        line = lines[i]
        m = _IF.match(line)
        if m and m.group(1) == "if":
            block, i = _if(lines, i, value, out)
            kept += block
            continue
        if not top and (m or _ELSE.match(line) or _FI.match(line)):
            return kept, i
        kept.append(line)
        i += 1
    return kept, i


def _if(lines: list[str], i: int, value: Callable[[str], str | None], out: Resolved) -> tuple[list[str], int]:
    """One ``if ... fi`` block from line ``i``: its selected arm, or the whole block when
    undecided; and the line after its ``fi``."""
    start = i
    arms: list[tuple[str | None, list[str]]] = []  # (condition, body); None for else
    while i < len(lines):
        line = lines[i]
        m = _IF.match(line)
        cond: str | None
        if m and (m.group(1) == "if" and i == start or m.group(1) == "elif" and arms):
            cond = m.group(2)
        elif _ELSE.match(line) and arms:
            cond = None
        else:
            break
        i += 1
        if i < len(lines) and _THEN.match(lines[i]):
            i += 1
        body, i = _block(lines, i, value, out)
        arms.append((cond, body))
        if i < len(lines) and _FI.match(lines[i]):
            i += 1
            break
    selected: list[str] | None = None
    decided = True
    for cond, body in arms:
        if cond is None:
            selected = body
            break
        holds, _ = _condition(cond, value)
        if holds is None:
            decided = False
            break
        if holds:
            selected = body
            break
    if decided:
        out.decided = True
        return selected or [], i
    if len(arms) >= 2:
        out.undecided.append(["\n".join(body) for _, body in arms])
    whole = [text for _, body in arms for text in body]
    return lines[start:start + 1] + whole, i
