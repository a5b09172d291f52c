"""What one checklist item comes to for one production entry point."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable, Literal, Optional

from hooks.common.settings_values import ENV, LITERAL, MISSING, OPAQUE, SECRET, UNKNOWN, Val
from hooks.core import masking
from hooks.core.records import record

Status = Literal["met", "not met", "unknown"]
MET: Status = "met"
NOT_MET: Status = "not met"
UNKNOWN_STATUS: Status = "unknown"
_RANK = {MET: 0, UNKNOWN_STATUS: 1, NOT_MET: 2}


@record(frozen=True)
class Result:
    item: str  # catalogue id, e.g. "headers.hsts"
    status: Status
    setting: str  # the setting (or server directive) the verdict is about
    text: str  # "SECURE_HSTS_SECONDS is 0" / "set in settings/base.py:12"
    advice: str = ""  # what to do, for unmet items
    path: str = ""  # where the deciding value is written ("" when missing)
    line: int = 0


def worst(results: Sequence[Result]) -> Status:
    if not results:
        return MET
    return max((r.status for r in results), key=lambda s: _RANK[s])


def shown(value: Any, secret: bool = False) -> str:
    if secret and isinstance(value, str):
        return masking.mask(value)
    if value is OPAQUE:
        return "…"
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def where(val: Val) -> str:
    return f"{val.path}:{val.line}" if val.path and val.line else ""


def describe(name: str, val: Val, secret: bool = False, default_text: str = "", octal: bool = False) -> str:
    """``X is 0 (settings/base.py:12)``, ``X defaults to 0 when VAR is unset``, ``X is not set``."""
    def fmt(value: Any) -> str:
        if octal and isinstance(value, int) and not isinstance(value, bool):
            return oct(value)
        return shown(value, secret)

    cond = f" {val.condition}" if val.condition else ""
    loc = f" ({where(val)})" if where(val) else ""
    if val.kind == MISSING:
        return f"{name} is not set{cond}" + (f" ({default_text})" if default_text else "")
    if val.kind == ENV and val.has_default:
        return f"{name} defaults to {fmt(val.value)} when {val.env} is unset{cond}{loc}"
    if val.kind == ENV:
        return f"{name} is read from {val.env} with no default{cond}{loc}"
    if val.kind == SECRET:
        return f"{name} is read from a secret file or store, or generated at random{loc}"
    if val.kind == LITERAL:
        return f"{name} is {fmt(val.value)}{cond}{loc}"
    return f"{name} is not a value this hook can read{cond}{loc}"


Predicate = Callable[[Any], Optional[bool]]  # True ok, False bad, None cannot tell


def judge(name: str, possible: Sequence[Val], ok: Predicate, default: Any = None,
          has_default: bool = True) -> tuple[Status, Val]:
    """The worst of the possible values: (status, the value that decided)."""
    verdicts: list[tuple[Status, Val]] = []
    for val in possible or (Val(MISSING),):
        if val.kind == MISSING:
            value: Any = default
            if not has_default:
                verdicts.append((NOT_MET, val))
                continue
        elif val.visible:
            value = val.value
        else:
            verdicts.append((UNKNOWN_STATUS, val))
            continue
        try:
            good = ok(value)
        except Exception:  # a predicate meeting an odd value: cannot tell
            good = None
        verdicts.append((MET if good else NOT_MET if good is False else UNKNOWN_STATUS, val))
    return max(verdicts, key=lambda v: _RANK[v[0]])


def contains(value: Any, wanted: str) -> bool | None:
    """Is ``wanted`` an item of the list (None when an unreadable part may hold it)?"""
    if not isinstance(value, (list, tuple)):
        return None
    if wanted in value:
        return True
    return None if any(v is OPAQUE for v in value) else False


def kinds_known(possible: Sequence[Val]) -> bool:
    return all(v.kind in (LITERAL, MISSING) or (v.kind == ENV and v.has_default) for v in possible)


__all__ = ["Result", "Status", "MET", "NOT_MET", "UNKNOWN_STATUS", "worst", "describe", "judge", "contains",
           "where", "shown", "ENV", "LITERAL", "MISSING", "SECRET", "UNKNOWN", "OPAQUE", "Val", "kinds_known"]
