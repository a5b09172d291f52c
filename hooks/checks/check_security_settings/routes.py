"""Whether a Flask service has anything to click-jack: a login, a user session, or a route that
changes state (POST/PUT/PATCH/DELETE). A public, read-only app with none of them (an archive
meant to be embedded) has nothing a framed page could be tricked into doing, so X-Frame-Options
is not applicable to it.

Read with ``ast``; nothing is imported or run. Whatever cannot be read (a file that does not
parse, ``methods=`` that is not a literal) counts as state-changing.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence

from hooks.config import python_trees

_STATE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_SHORTCUTS = frozenset(m.lower() for m in _STATE_METHODS)  # @app.post(...), def post(self) in a MethodView/Resource

# A login, or a per-user state the browser carries, beyond what flask_sessions() finds
# (flask.session, flask-login, Flask-WTF, OAuth clients): OIDC/OpenID/CAS/SAML logins, HTTP auth,
# cookies the app sets itself, websockets, GraphQL (mutations), admin UIs.
_LOGIN = re.compile(
    r"\bflask_oidc\b|\bOpenIDConnect\b|\bflask_openid\b|\bOpenID\(|\bflask_httpauth\b|\bHTTP(?:Basic|Digest|Token)Auth\b|\bflask_principal\b"
    r"|\blogin_required\b|\brequest\.authorization\b|\bset_cookie\(|\bflask_cas\b|\bflask_saml\w*|\bflask_kerberos\b|\bflask_multipass\b"
    r"|\bflask_socketio\b|\bSocketIO\(|\bGraphQLView\b|\bflask_admin\b|\bflask_user\b|\bflask_praetorian\b|\bflask_jwt\b"
)
LOGIN_WORDS = ("flask_oidc", "OpenIDConnect", "flask_openid", "OpenID(", "flask_httpauth", "Auth", "flask_principal", "login_required",
                "authorization", "set_cookie(", "flask_cas", "flask_saml", "flask_kerberos", "flask_multipass", "socketio", "SocketIO(",
                "GraphQLView", "flask_admin", "flask_user", "flask_praetorian", "flask_jwt")
ROUTE_WORDS = ("methods", ".post(", ".put(", ".patch(", ".delete(", "def post", "def put", "def patch", "def delete")


def login_use(files: Sequence[str], text: Callable[[str], str]) -> str:
    """``path:line`` of the first login or per-user state in ``files`` (see ``_LOGIN``), or ""."""
    for f in files:
        body = text(f)
        m = _LOGIN.search(body)
        if m:
            return f"{f}:{body.count(chr(10), 0, m.start()) + 1}"
    return ""


def state_changing_route(files: Sequence[str], text: Callable[[str], str]) -> str:
    """``path:line`` of the first route that accepts POST/PUT/PATCH/DELETE, or "". A route whose
    view only answers 405 (``abort(405)``) changes nothing; a file that does not parse counts."""
    for f in files:
        body = text(f)
        try:
            tree = python_trees.parse(body, f, report=False)
        except (SyntaxError, ValueError):
            return f"{f}:1"
        for node in ast.walk(tree):
            line = _state_changing(node)
            if line:
                return f"{f}:{line}"
    return ""


def _state_changing(node: ast.AST) -> int:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        for deco in node.decorator_list:
            if isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute):
                takes = deco.func.attr in _SHORTCUTS or (deco.func.attr == "route" and _accepts_state(deco))
                if takes and not _only_refuses(node):
                    return deco.lineno
    elif isinstance(node, ast.ClassDef):
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in _SHORTCUTS and not _only_refuses(item):
                return item.lineno  # a MethodView / flask-restful Resource method
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_url_rule" and _accepts_state(node):
        return node.lineno
    return 0


def _accepts_state(call: ast.Call) -> bool:
    """``methods=`` names a state-changing method, or is not a literal list of strings."""
    for kw in call.keywords:
        if kw.arg == "methods":
            if not isinstance(kw.value, (ast.List, ast.Tuple, ast.Set)):
                return True
            for elt in kw.value.elts:
                if not (isinstance(elt, ast.Constant) and isinstance(elt.value, str)):
                    return True
                if elt.value.upper() in _STATE_METHODS:
                    return True
        elif kw.arg is None:
            return True  # **options: cannot tell
    return False


def _only_refuses(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The view does nothing but answer 405: ``abort(405)`` or ``raise MethodNotAllowed()``."""
    body = list(func.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        body = body[1:]  # the docstring
    if len(body) != 1:
        return False
    stmt = body[0]
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        call = stmt.value
        name = call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id if isinstance(call.func, ast.Name) else ""
        return name == "abort" and bool(call.args) and isinstance(call.args[0], ast.Constant) and call.args[0].value == 405
    if isinstance(stmt, ast.Raise) and stmt.exc is not None:
        exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        name = exc.attr if isinstance(exc, ast.Attribute) else exc.id if isinstance(exc, ast.Name) else ""
        return name == "MethodNotAllowed"
    return False
