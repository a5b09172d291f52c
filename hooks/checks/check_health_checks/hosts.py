"""Will Django answer a probe that sends the pod's IP as its Host?

The kubelet's ``httpGet`` sends ``Host: <pod IP>:<port>`` unless the probe sets
a Host header. ``CommonMiddleware`` calls ``request.get_host()`` on every
request, which raises ``DisallowedHost`` (a 400) unless ``ALLOWED_HOSTS``
allows the IP. The settings are resolved statically by the shared settings
layers (``hooks.common.settings_layers``); what they cannot tell is unknown.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hooks.common.settings_layers import Namespace
from hooks.common.settings_values import ENV, LITERAL, MISSING, OPAQUE, Val, to_bool
from hooks.core.records import record

POD_IP = "10.1.2.3"
COMMON = "django.middleware.common.CommonMiddleware"
DEBUG_HOSTS = (".localhost", "127.0.0.1", "[::1]")


@record
class HostVerdict:
    rejected: bool | None  # True: 400; False: answered; None: cannot tell
    why: str
    setting: Val | None = None


def validate_host(host: str, allowed: Sequence[str]) -> bool:
    """django.http.request.validate_host."""
    host = host.lower()
    for pattern in allowed:
        pattern = pattern.lower()
        if pattern == "*" or pattern == host:
            return True
        if pattern.startswith(".") and (host.endswith(pattern) or host == pattern[1:]):
            return True
    return False


def _value(val: Val, env: Mapping[str, Any]) -> tuple[Any, bool]:
    """(value, known) of a setting, the container's literal env applied."""
    if val.kind == LITERAL:
        return val.value, True
    if val.kind == MISSING:
        return None, True
    if val.kind == ENV and val.env and isinstance(env.get(val.env), str):
        return env[val.env], True
    return None, False


def _hosts(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [h.strip() for h in value.replace(" ", ",").split(",") if h.strip()]
    if isinstance(value, (list, tuple, set)):
        if any(v is OPAQUE or not isinstance(v, str) for v in value):
            return None
        return list(value)
    return None


def verdict(ns: Namespace, env: Mapping[str, Any], host: str = POD_IP) -> HostVerdict:
    middleware = ns.get("MIDDLEWARE") or ns.get("MIDDLEWARE_CLASSES")
    if not middleware:
        return HostVerdict(None, "MIDDLEWARE is not set where the hook can read it")
    for mw in middleware:
        items = mw.value if mw.kind == LITERAL and isinstance(mw.value, (list, tuple)) else None
        if items is None:
            return HostVerdict(None, "MIDDLEWARE cannot be read")
        if COMMON not in items:
            return HostVerdict(False, "CommonMiddleware is not installed: nothing checks the Host of a GET")
        before = items[: items.index(COMMON)]
        for item in before:
            if item is OPAQUE or not isinstance(item, str) or not item.startswith("django."):
                return HostVerdict(None, f"middleware {item!r} runs before CommonMiddleware and may answer the probe")
    if "ALLOWED_CIDR_NETS" in ns:
        return HostVerdict(None, "ALLOWED_CIDR_NETS allows networks")
    possible = ns.get("ALLOWED_HOSTS") or (Val(MISSING),)
    debug_vals = ns.get("DEBUG") or (Val(MISSING),)
    rejected_by: Val | None = None
    for val in possible:
        value, known = _value(val, env)
        if not known:
            return HostVerdict(None, "ALLOWED_HOSTS is read from the environment" if val.kind == ENV else "ALLOWED_HOSTS cannot be read", val)
        hosts = _hosts(value) if value is not None else []
        if hosts is None:
            return HostVerdict(None, "ALLOWED_HOSTS holds values the hook cannot read", val)
        if not hosts:
            for dv in debug_vals:
                debug, debug_known = _value(dv, env)
                if not debug_known:
                    return HostVerdict(None, "DEBUG cannot be read")
                if to_bool(debug) and validate_host(host, DEBUG_HOSTS):
                    return HostVerdict(False, "DEBUG allows it")
        if validate_host(host, hosts):
            return HostVerdict(False, "ALLOWED_HOSTS allows it", val)
        rejected_by = val
    return HostVerdict(True, "ALLOWED_HOSTS does not allow the pod IP", rejected_by)


def answered_after_common(ns: Namespace, modules: Sequence[str]) -> bool:
    """Every module in ``modules`` (dotted, from the repo's root: ``backend.libs.health``) is the module of
    a class every literal ``MIDDLEWARE`` of the settings lists after CommonMiddleware (none before it)."""
    middleware = ns.get("MIDDLEWARE") or ns.get("MIDDLEWARE_CLASSES")
    if not middleware or not modules:
        return False
    for mw in middleware:
        items = mw.value if mw.kind == LITERAL and isinstance(mw.value, (list, tuple)) else None
        if items is None or COMMON not in items:
            return False
        common = items.index(COMMON)
        for module in modules:
            at = [i for i, item in enumerate(items) if isinstance(item, str) and "." in item
                  and (module == item.rsplit(".", 1)[0] or module.endswith("." + item.rsplit(".", 1)[0]))]
            if not at or min(at) < common:
                return False
    return True


def shown(val: Val | None, env: Mapping[str, Any]) -> str:
    if val is None or val.kind == MISSING:
        return "[] (not set)"
    value, _ = _value(val, env)
    text = repr(value) if not isinstance(value, str) else repr(_hosts(value))
    return text if len(text) <= 80 else text[:77] + "..."
