"""A Flask app's own ``SessionInterface``: the session cookie is what its
``save_session`` passes to ``response.set_cookie``, not what SESSION_COOKIE_SECURE
says (Flask's own interface reads the setting; a project's replacement decides for
itself). ``set_cookie(..., httponly=True)`` with no ``secure=`` sends the session
cookie over plain HTTP whatever the config says.

Read with ``ast`` only; nothing is imported or run.
"""
from __future__ import annotations

import ast
from collections.abc import Callable, Sequence

from hooks.checks.check_security_settings.verdict import MET, NOT_MET, Result
from hooks.common.settings_layers import parse
from hooks.core.records import record, replace

ITEM = "headers.session_cookie_secure"


@record
class CookieCall:
    path: str
    line: int
    cls: str
    secure: str  # "missing" | "true" | "false" | "follows" (an expression: the config, the request's scheme)


def _base_name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def session_cookie_calls(files: Sequence[str], text: Callable[[str], str]) -> list[CookieCall]:
    """``set_cookie`` calls in ``save_session`` of each project class based on Flask's
    ``SessionInterface`` that the app installs (``app.session_interface = Cls(...)``)."""
    classes: list[tuple[str, ast.ClassDef]] = []
    installed: set[str] = set()
    for f in files:
        source = text(f)
        if "session_interface" in source:
            tree = parse(source)
            for node in ast.walk(tree) if tree is not None else ():
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                        and any(isinstance(t, ast.Attribute) and t.attr == "session_interface" for t in node.targets):
                    installed.add(_base_name(node.value.func))
        if "SessionInterface" in source and "save_session" in source:
            tree = parse(source)
            for node in ast.walk(tree) if tree is not None else ():
                if isinstance(node, ast.ClassDef) and any(_base_name(b) == "SessionInterface" for b in node.bases):
                    classes.append((f, node))
    out: list[CookieCall] = []
    for f, cls in classes:
        if cls.name not in installed:
            continue
        for fn in cls.body:
            if not (isinstance(fn, ast.FunctionDef) and fn.name == "save_session"):
                continue
            for call in ast.walk(fn):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "set_cookie":
                    kw = next((k for k in call.keywords if k.arg == "secure"), None)
                    splat = any(k.arg is None for k in call.keywords)
                    secure = ("follows" if splat else "missing") if kw is None else \
                        ("true" if kw.value.value is True else "false") if isinstance(kw.value, ast.Constant) else "follows"
                    out.append(CookieCall(f, call.lineno, cls.name, secure))
    return out


def apply(results: list[Result], calls: Sequence[CookieCall]) -> list[Result]:
    """The session-cookie Secure item decided by the project's own session interface."""
    if not calls:
        return results
    insecure = next((c for c in calls if c.secure in ("missing", "false")), None)
    out = []
    for r in results:
        if r.item == ITEM:
            if insecure is not None:
                how = "with no secure=" if insecure.secure == "missing" else "with secure=False"
                r = replace(r, status=NOT_MET, setting="set_cookie",
                            text=f"the session cookie is set by the app's own {insecure.cls}.save_session "
                                 f"({insecure.path}:{insecure.line}) {how}, so it travels over plain HTTP "
                                 "whatever SESSION_COOKIE_SECURE says",
                            advice="pass secure=self.get_cookie_secure(app) to set_cookie and set SESSION_COOKIE_SECURE = True",
                            path=insecure.path, line=insecure.line)
            elif all(c.secure == "true" for c in calls):
                c = calls[0]
                r = replace(r, status=MET, setting="set_cookie", text=f"{c.cls}.save_session sets the session cookie secure ({c.path}:{c.line})",
                            advice="", path=c.path, line=c.line)
        out.append(r)
    return out
