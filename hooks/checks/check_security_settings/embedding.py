"""Is the app embedded by other sites on purpose, by what the repository shows?

An LTI tool is launched by a learning platform in a cross-site iframe; a widget
is framed by its customers' pages. There the session and CSRF cookies must be
``SameSite=None`` (with ``Secure``, or browsers drop them), and the maintainers
set it for that reason. The signs, each on purpose:

* a view exempt from X-Frame-Options (``@xframe_options_exempt``,
  ``method_decorator(xframe_options_exempt, ...)``) in the service's code;
* an LTI library or app: ``import pylti`` / ``pylti1p3`` / ``lti`` / ``lti_tool``
  / ``django_lti`` in the service's code, or an LTI app in ``INSTALLED_APPS``
  (``lti_auth``, ``lti_provider``, ``lti_tool``);
* ``X_FRAME_OPTIONS`` not ``DENY`` together with a CSP ``frame-ancestors`` that
  lets other origins in (django-csp's ``CSP_FRAME_ANCESTORS``, its 4.x
  ``CONTENT_SECURITY_POLICY``, Django's ``SECURE_CSP``, or the header in nginx).

With one of them, ``SameSite=None`` is met when the matching ``*_COOKIE_SECURE``
is on along the same branch; without ``Secure`` it stays a finding (the cookie
is dropped, or sent in the clear).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

from hooks.checks.check_security_settings.servers import Servers
from hooks.checks.check_security_settings.verdict import MET, MISSING, NOT_MET, Result, Val, describe, judge
from hooks.common.settings_layers import Namespace
from hooks.core.records import replace

if TYPE_CHECKING:
    from hooks.checks.check_security_settings.entries import Repo

_EXEMPT = re.compile(r"@xframe_options_exempt\b|\bmethod_decorator\(\s*xframe_options_exempt\b|\bxframe_options_exempt\(")
_LTI_IMPORT = re.compile(r"^\s*(?:from|import)\s+(pylti1p3|pylti|lti|lti_tool|lti_provider|django_lti|lti1p3\w*)\b", re.M)
_LTI_APP = re.compile(r"(^|[._])(py)?lti(\d\w*)?([._]|$)", re.I)
_LTI_NEEDLES = ("pylti", "lti_tool", "lti_provider", "django_lti", "lti1p3", "import lti", "from lti", "import  lti",
                "from  lti", "import\tlti", "from\tlti")
_SELF = {"'self'", "'none'", "self", "none"}


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def code_evidence(repo: Repo) -> str:
    """``path:line (what)`` of an exempt view or an LTI import in the service's code, or ""; once per run."""
    if repo.embedding is None:
        repo.embedding = ""
        # Needles as specific as the patterns: a bare "lti" is in "multiple" and "filter",
        # and sent every Python file of a big repo to the regexes (saleor: 0.3 s).
        for f in repo.holding(repo.python(), "xframe_options_exempt", *_LTI_NEEDLES):
            text = repo.text(f)
            for pattern, what in ((_EXEMPT, "a view exempt from X-Frame-Options"), (_LTI_IMPORT, "an LTI library")):
                m = pattern.search(text) if text else None
                if m:
                    repo.embedding = f"{what} ({f}:{_line(text, m.start())})"
                    return repo.embedding
    return repo.embedding


def _lti_app(names: Namespace) -> str:
    for v in names.get("INSTALLED_APPS", ()):
        if v.visible and isinstance(v.value, (list, tuple)):
            app = next((a for a in v.value if isinstance(a, str) and _LTI_APP.search(a)), None)
            if app is not None:
                return f"the LTI app {app!r} in INSTALLED_APPS" + (f" ({v.path}:{v.line})" if v.path and v.line else "")
    return ""


def _others(sources: Any) -> bool:
    """A frame-ancestors source list that names an origin besides 'self' / 'none'."""
    items = sources.split() if isinstance(sources, str) else list(sources) if isinstance(sources, (list, tuple)) else []
    return any(isinstance(s, str) and s.strip().lower() not in _SELF for s in items)


def _frame_ancestors(names: Namespace, servers: Servers) -> str:
    for name in ("CSP_FRAME_ANCESTORS", "CONTENT_SECURITY_POLICY", "SECURE_CSP"):
        for v in names.get(name, ()):
            if not v.visible:
                continue
            value = v.value
            if isinstance(value, dict):
                directives = value.get("DIRECTIVES", value)
                value = directives.get("frame-ancestors") if isinstance(directives, dict) else None
            if value is not None and _others(value):
                return f"{name} lets other origins frame the app ({v.path}:{v.line})"
    fact = servers.header("content-security-policy")
    if fact is not None:
        m = re.search(r"frame-ancestors\s+([^;'\"]*(?:'[^']*'[^;'\"]*)*)", fact.text)
        if m and _others(m.group(1)):
            return f"frame-ancestors lets other origins frame the app: {fact}"
    return ""


def evidence(repo: Repo, names: Namespace, servers: Servers) -> str:
    """Why the app is framed by other sites on purpose, or ""."""
    found = code_evidence(repo) or _lti_app(names)
    if found:
        return found
    xfo = [v for v in names.get("X_FRAME_OPTIONS", ()) if v.kind != MISSING]
    if xfo and all(v.visible and str(v.value).upper() != "DENY" for v in xfo):
        return _frame_ancestors(names, servers)
    return ""


def samesite(results: list[Result], names: Namespace, why: Callable[[], str]) -> list[Result]:
    """``SameSite=None`` on an app embedded on purpose: met with ``Secure`` on the same branch, else a finding
    about Secure. ``why`` (``evidence``) is asked only when a SameSite finding is there to judge."""
    if not any(r.item == "headers.cookie_samesite" and r.status == NOT_MET and r.setting.endswith("_SAMESITE")
               for r in results):
        return results
    why_text = why()
    if not why_text:
        return results
    out = []
    for r in results:
        if r.item == "headers.cookie_samesite" and r.status == NOT_MET and r.setting.endswith("_SAMESITE"):
            r = _embedded(r, names, why_text)
        out.append(r)
    return out


def _embedded(r: Result, names: Namespace, why: str) -> Result:
    val = next((v for v in names.get(r.setting, ()) if v.path == r.path and v.line == r.line), None)
    if val is None or not val.visible or str(val.value).lower() != "none":
        return r
    secure = r.setting.replace("_SAMESITE", "_SECURE")
    possible = list(names.get(secure) or (Val(MISSING),))
    # the Secure flag along the same branch as SameSite=None: `if TESTING: ... else: SESSION_COOKIE_SAMESITE = "None"`
    same = [v for v in possible if v.condition in ("", val.condition)] if val.condition else possible
    status, flag = judge(secure, same or possible, lambda v: v is True, False)
    head = f"{describe(r.setting, val)} for the cross-site embedding ({why})"
    if status == MET:
        return replace(r, status=MET, text=f"{head}, with {describe(secure, flag)}", advice="")
    return replace(r, status=status, setting=secure,
                   text=f"{head}, but {describe(secure, flag, default_text='the default is False')}: browsers drop SameSite=None cookies "
                        "without Secure",
                   advice=f"set {secure} = True" if status == NOT_MET else "",
                   path=flag.path if flag.kind != MISSING else "", line=flag.line if flag.kind != MISSING else 0)
