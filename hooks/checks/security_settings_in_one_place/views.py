"""What a view (and the decorators it is wrapped in) does with a request, read
with ``ast``: whether a cross-site form could drive it, so that a CSRF
exemption on it changes nothing (held-out round 6).

- :func:`gated` — the view rejects a request unless it carries something a
  cross-site form cannot send: the caller's address in an allow-list, a custom
  ``X-`` header (``request.is_ajax()`` is ``X-Requested-With``), an
  ``Authorization`` or API-key header;
- :class:`Decorators` — the view's decorators, followed to their definitions in
  the module or in the repository module it imports them from: one that
  rejects a request without an ``Authorization``/API-key header, and never
  falls back to the browser session, authenticates without a cookie
  (PowerDNS-Admin's ``@api_basic_auth``);
- :func:`read_only` — the view only renders a response from the request
  (``dyndns_checkip`` renders the caller's address): nothing to forge.
"""
from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable
from typing import Any

# The caller's address, a custom header (not one a browser sets on a form post), the AJAX marker.
_CALLER = re.compile(r"REMOTE_ADDR|HTTP_X_[A-Z_]+|\bremote_addr\b|\.client_ip\b|\ballowed_ips\b|ALLOWED_IPS|ip_address\(|ip_network\("
                     r"|headers\.get\(\s*[\"'][Xx]-|headers\[\s*[\"'][Xx]-|[\"'][Xx]-[\w-]+[\"']\s+(not\s+)?in\s+\w+\.headers"
                     r"|\.is_ajax\(\)|\.is_xhr\b|(?<![\w.])is_ajax\(\s*(self\.)?request\s*\)")  # tendenci's is_ajax(request) helper
# A header that carries credentials, not a cookie: Authorization, an API key or token header.
_AUTH_HEADER = re.compile(r"(?i)^(proxy-)?authorization$|^x-[\w-]*(api|key|token|auth|secret)[\w-]*$|^api[-_]?key$|^[\w-]*-token$")
_AUTH_META = re.compile(r"^HTTP_(AUTHORIZATION|X_\w*(API|KEY|TOKEN|AUTH|SECRET)\w*)$")
# What lets a browser session through: then the header is one way in, not the only one.
_SESSION = re.compile(r"^(current_user|is_authenticated|get_current_user|_get_user)$")
_REJECTING_CALL = re.compile(r"(?i)^(abort|\w*forbidden\w*|\w*badrequest\w*|\w*notallowed\w*|\w*notfound\w*|\w*unauthori[sz]ed\w*"
                             r"|permissiondenied|http404|\w*error_response)$")
# Functions that read or render and change nothing.
_PURE_FUNCTIONS = frozenset({
    "render_template", "render_template_string", "render", "render_to_response", "render_to_string", "TemplateResponse",
    "jsonify", "JsonResponse", "HttpResponse", "Response", "PlainTextResponse", "HTMLResponse", "make_response",
    "str", "int", "float", "bool", "len", "dict", "list", "tuple", "set", "sorted", "min", "max", "repr", "format",
    "isinstance", "getattr", "hasattr", "escape", "url_for", "reverse", "redirect", "HttpResponseRedirect",
})
# Methods that read, on the request (request.args.get, request.get_host()), a string or a local value;
# not on anything else (requests.get(url) calls another service).
_PURE_METHODS = frozenset({
    "get", "getlist", "strip", "lower", "upper", "split", "join", "items", "keys", "values", "startswith", "endswith",
    "replace", "encode", "decode", "format", "get_host", "build_absolute_uri", "get_full_path", "is_secure",
})


def _pure_call(call: ast.Call, local: set[str]) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in _PURE_FUNCTIONS
    if not isinstance(func, ast.Attribute):
        return False  # PROVIDERS.get(name)(request): a call of what a lookup returned may do anything
    if func.attr == "dumps" and _name(func.value) == "json":
        return True
    if func.attr not in _PURE_METHODS:
        return False
    chain: list[str] = []
    node: ast.expr = func.value
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            chain.append(node.attr)
        node = node.func if isinstance(node, ast.Call) else node.value
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True  # ", ".join(...), "{}".format(...)
    return isinstance(node, ast.Name) and (node.id == "request" or node.id in local or (node.id == "self" and "request" in chain))


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name(node.func)
    return ""


def _text(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # a tree ast cannot write back: say nothing about it
        return ""


def _str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def rejects(stmts: Iterable[ast.stmt]) -> bool:
    """The statements turn the request away: ``abort(401)``, ``raise``,
    ``return HttpResponseForbidden()``, a 4xx status."""
    for stmt in stmts:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Raise):
                return True
            if isinstance(node, ast.Call) and _REJECTING_CALL.match(_name(node.func)):
                return True
            if isinstance(node, ast.Constant) and type(node.value) is int and 400 <= node.value < 500:
                return True
    return False


def _rejects_outright(stmts: list[ast.stmt]) -> bool:
    """One of the block's own statements (not one nested in a try or an if) turns the request away."""
    return any(isinstance(stmt, ast.Raise) or isinstance(stmt, (ast.Return, ast.Expr)) and rejects([stmt]) for stmt in stmts)


def gated(func: ast.AST) -> bool:
    """The view turns away a request that lacks something a cross-site form
    cannot send: its address in an allow-list, a custom ``X-`` header,
    ``request.is_ajax()``. A read that does not decide (``X-Forwarded-For``
    taken as the address to write into a DNS record) is no gate."""
    derived: set[str] = set()  # names bound to what is tested: ip = request.META["REMOTE_ADDR"]
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and _CALLER.search(_text(node.value)):
            derived.update(t.id for t in node.targets if isinstance(t, ast.Name))
    for node in ast.walk(func):
        if isinstance(node, ast.If):
            test = _text(node.test)
            mentions = _CALLER.search(test) or any(re.search(rf"\b{re.escape(n)}\b", test) for n in derived)
            # held-out round 14 (django-filebrowser's _upload_file): the branch turns the request away itself, not a
            # try/except or a nested if inside it (a bad request for a missing file name in the AJAX branch is no gate)
            if mentions and (_rejects_outright(node.body) or _rejects_outright(node.orelse)):
                return True
        elif isinstance(node, ast.Assert) and _CALLER.search(_text(node.test)):
            return True
    return False


# A stored secret the request must match: submission.pullkey, user.api_key, obj.secret_token.
_STORED_SECRET = re.compile(r"(?i)(key|secret|token)$")


def _turns_away(stmts: list[ast.stmt]) -> bool:
    """The block ends the request: it returns (an error reply, whatever its status) or raises."""
    return bool(stmts) and isinstance(stmts[-1], (ast.Return, ast.Raise))


def _secret_mismatch(test: ast.expr) -> bool:
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return any(_secret_mismatch(v) for v in test.values)
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.NotEq, ast.IsNot)):
        sides = [test.left, test.comparators[0]]
        stored = [s for s in sides if isinstance(s, ast.Attribute) and _STORED_SECRET.search(s.attr) and _name(s.value) != "request"]
        given = [s for s in sides if isinstance(s, (ast.Name, ast.Subscript, ast.Call))]
        return bool(stored) and bool(given)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Call):
        return _name(test.operand.func) == "compare_digest"
    return False


def secret_gate(func: ast.AST) -> bool:
    """Held-out round 8 (xqueue's put_result): the view compares a value from the
    request with a secret stored on the object it acts on
    (``if submission_key != submission.pullkey: return ...``) and turns the request
    away on a mismatch. A cross-site forger cannot know the secret."""
    return any(isinstance(n, ast.If) and _secret_mismatch(n.test) and _turns_away(n.body) for n in ast.walk(func))


def _reads_auth_header(node: ast.AST) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Attribute) and n.attr == "authorization" and _name(n.value) == "request":
            return True  # Flask/werkzeug: request.authorization (Basic or Digest)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "get" and n.args:
            key, owner = _str(n.args[0]), _name(n.func.value)
            if key and ((owner == "headers" and _AUTH_HEADER.match(key)) or (owner == "META" and _AUTH_META.match(key))):
                return True
        if isinstance(n, ast.Subscript):
            key, owner = _str(n.slice), _name(n.value)
            if key and ((owner == "headers" and _AUTH_HEADER.match(key)) or (owner == "META" and _AUTH_META.match(key))):
                return True
        if isinstance(n, ast.Compare) and len(n.ops) == 1 and isinstance(n.ops[0], (ast.In, ast.NotIn)):
            key, owner = _str(n.left), _name(n.comparators[0])
            if key and ((owner == "headers" and _AUTH_HEADER.match(key)) or (owner == "META" and _AUTH_META.match(key))):
                return True
        if isinstance(n, ast.Call) and _name(n.func) == "get_authorization_header":
            return True  # DRF's helper
    return False


def _session_fallback(node: ast.AST) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and (_SESSION.match(n.id) or n.id == "session"):
            return True  # flask's session, flask-login's current_user
        if isinstance(n, ast.Attribute) and (_SESSION.match(n.attr) or (n.attr in ("user", "session") and _name(n.value) == "request")):
            return True  # Django's request.user / request.session (db.session is the database)
    return False


# What ties a request to the browser's session (held-out round 12, Crypt-Server's checkin): without one of
# these a forged cross-site request can do nothing an anonymous direct request cannot.
_CALLER_ATTRS = frozenset({"user", "session", "COOKIES", "cookies", "authenticated_userid", "unauthenticated_userid",
                           "effective_principals", "has_permission"})
_CALLER_NAMES = re.compile(r"^(current_user|get_current_user|_get_user|get_user|session|authenticated_userid|login_user|logout_user"
                           r"|login|logout|auth_login|auth_logout|django_login|django_logout)$")
# Decorators and mixins that let only a signed-in (cookie-authenticated) user through.
_SIGNED_IN = re.compile(r"(?i)login_required|permission_required|staff_member_required|superuser_required|user_passes_test"
                        r"|admin_required|member_required|staff_required|LoginRequired|PermissionRequired|UserPassesTest"
                        r"|roles?_required|groups?_required|authenticated|session")


def reads_caller(funcs: Iterable[ast.AST]) -> bool:
    """The functions read the signed-in user, the session or a cookie
    (``request.user``, ``self.request.session``, flask's ``session`` and
    ``current_user``, ``g.user``, ``request.COOKIES``), or sign a user in or out."""
    for f in funcs:
        for n in ast.walk(f):
            if isinstance(n, ast.Attribute) and n.attr in _CALLER_ATTRS and _name(n.value) in ("request", "g", "flask"):
                return True
            if isinstance(n, ast.Name) and _CALLER_NAMES.match(n.id):
                return True
            if isinstance(n, ast.Attribute) and _SESSION.match(n.attr):
                return True  # user.is_authenticated, flask_login.current_user
    return False


def signed_in_only(func: ast.AST | None, classes: list[ast.ClassDef], inline: Iterable[ast.expr] = ()) -> bool:
    """``@login_required``-style decorators on the view (or applied inline around it:
    ``login_required(csrf_exempt(view))``), or a ``LoginRequiredMixin``-style base of its class."""
    decorators = [d for d in getattr(func, "decorator_list", [])] + list(inline)
    decorators += [d for c in classes for d in c.decorator_list]
    for dec in decorators:
        for n in ast.walk(dec):
            if isinstance(n, (ast.Name, ast.Attribute)) and _SIGNED_IN.search(_name(n)):
                return True
    return any(_SIGNED_IN.search(_name(b)) for c in classes for b in c.bases)


def header_auth(funcs: list[ast.AST]) -> bool:
    """Together, ``funcs`` (a decorator and the helpers it calls) read an
    ``Authorization``/API-key header, turn the request away without it, and
    never let a browser session through instead."""
    return any(_reads_auth_header(f) for f in funcs) and any(rejects([f]) for f in funcs if isinstance(f, ast.stmt)) \
        and not any(_session_fallback(f) for f in funcs)


def read_only(func: ast.AST) -> bool:
    """The view renders a response from the request and changes nothing: every
    call reads or renders, nothing is assigned to an attribute or key."""
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    responds = False
    local = {a.arg for a in func.args.args + func.args.kwonlyargs} - {"self"}
    local |= {t.id for stmt in func.body for n in ast.walk(stmt) if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    for node in (n for stmt in func.body for n in ast.walk(stmt)):  # not the decorators: @bp.route(...) is no call of the view
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Delete, ast.Global,
                             ast.Nonlocal, ast.Await, ast.Yield, ast.YieldFrom, ast.With, ast.AsyncWith)):
            return False
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if not all(isinstance(t, ast.Name) for t in targets):
                return False
        if isinstance(node, ast.Call) and not _pure_call(node, local):
            return False
        if isinstance(node, ast.Return) and isinstance(node.value, (ast.Call, ast.Tuple)):
            responds = True
    return responds


def class_chain(cls: ast.ClassDef, tree: ast.Module | None) -> list[ast.ClassDef]:
    """The class and its bases defined in the same module, nearest first."""
    classes = {n.name: n for n in (tree.body if tree is not None else []) if isinstance(n, ast.ClassDef)}
    chain, todo = [cls], [cls]
    while todo and len(chain) < 12:
        for base in todo.pop(0).bases:
            found = classes.get(_name(base)) if isinstance(base, (ast.Name, ast.Attribute)) else None
            if found is not None and found not in chain:
                chain.append(found)
                todo.append(found)
    return chain


_CREDENTIAL_KEYWORDS = frozenset({"request", "username", "password", "email", "user", "backend"})


def protocol_login(cls: ast.ClassDef) -> bool:
    """The class signs the caller in from a protocol's own credentials, checked by
    an auth backend: ``authenticate(request=request, lti=lti)`` (an LTI launch the
    LMS signs), ``authenticate(request, saml_response=...)``. Not a login form's
    ``authenticate(username=..., password=...)``."""
    for node in ast.walk(cls):
        if isinstance(node, ast.Call) and _name(node.func) == "authenticate":
            if any(kw.arg and kw.arg not in _CREDENTIAL_KEYWORDS for kw in node.keywords):
                return True
    return False


# The request handlers of protocol libraries, by the class a view builds (held-out round 17): pylti1p3's LTI 1.3
# login initiation and launch (OIDCLogin, MessageLaunch; DjangoOIDCLogin, FlaskMessageLaunch, a project's own
# subclass keeps the end of the name), python3-saml's OneLogin_Saml2_Auth. The LMS or the identity provider
# posts to such a view cross-site, by the protocol: it can carry no CSRF token.
_PROTOCOL_HANDLER = re.compile(r"(OIDCLogin|MessageLaunch)$|^OneLogin_Saml2_Auth$")


def builds_protocol_handler(view: ast.AST) -> bool:
    """The view (a function, or a class's methods) itself builds a protocol library's request handler
    from the request (edubadges' ``DjangoOIDCLogin(request, tool_conf, ...)``): it is that protocol's
    endpoint, whatever its name or folder. Its decorators, and the helpers it calls, are not read (a login
    form that hands an SSO branch to a helper is still a login form)."""
    body = getattr(view, "body", [])
    for node in (n for stmt in body for n in ast.walk(stmt)):
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)) \
                and _PROTOCOL_HANDLER.search(_name(node.func)):
            return True
    return False


class Decorators:
    """Finds the definition of a decorator a view uses: in the module, or in the
    repository module it is imported from (``from ..decorators import
    api_basic_auth``), read with ``ast`` and kept for the run."""

    _modules: dict[str, ast.Module | None] = {}

    def __init__(self, path: str, tree: ast.Module, max_bytes: int) -> None:
        self.path = path
        self.tree = tree
        self.max_bytes = max_bytes
        self.imports: dict[str, tuple[str, int, str]] = {}  # local name -> (module, level, name there); files found on demand
        self.memo: dict[str, bool] = {}
        # held-out round 12 (sal's profiles/views.py): `from sal.decorators import *` brings the gate in unnamed
        self.star_imports: list[tuple[str, int]] = []
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name == "*":
                        self.star_imports.append((node.module or "", node.level))
                    else:
                        self.imports[alias.asname or alias.name] = (node.module or "", node.level, alias.name)

    def _module_file(self, module: str, level: int) -> str:
        parts = module.split(".") if module else []
        if level:
            base = os.path.dirname(self.path)
            for _ in range(level - 1):
                base = os.path.dirname(base)
            roots = [base]
        else:  # absolute: from the repository's root, or from a folder above the file (a src/ layout)
            roots, here = [""], os.path.dirname(self.path)
            while here:
                roots.append(here)
                here = os.path.dirname(here)
        from hooks.core.cache import depends_on

        for root in roots:
            stem = os.path.join(root, *parts) if parts else root
            for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
                if candidate:
                    depends_on(candidate)  # the file's kept findings hold while this is as it was
                if candidate and os.path.isfile(candidate):
                    return os.path.normpath(candidate)
        return ""

    @classmethod
    def _load(cls, path: str, max_bytes: int) -> ast.Module | None:
        key = os.path.abspath(path)
        if key not in cls._modules:
            from hooks.config import python_trees, source

            try:
                cls._modules[key] = python_trees.parse(source.read_text(path, max_bytes), path)
            except Exception:  # unreadable or broken: the decorator is not followed
                cls._modules[key] = None
        return cls._modules[key]

    @staticmethod
    def _defs(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
        return {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}

    def _top_level(self, name: str, kinds: tuple[type[ast.stmt], ...]) -> tuple[Any, ast.Module] | None:
        """A top-level definition of one of ``kinds`` named ``name``: in this module, or in
        the repository module it is imported from; with the tree that holds it."""
        def find(tree: ast.Module, wanted: str) -> ast.stmt | None:
            # the last one: a name defined twice is bound to its second definition
            return next((n for n in reversed(tree.body) if isinstance(n, kinds) and getattr(n, "name", None) == wanted), None)

        own = find(self.tree, name)
        if own is not None:
            return own, self.tree
        if name not in self.imports:
            # a star import from a repository module (later ones win, as Python binds them); not followed further
            for module, level in reversed(self.star_imports):
                file = self._module_file(module, level)
                tree = self._load(file, self.max_bytes) if file else None
                found = find(tree, name) if tree is not None else None
                if found is not None and tree is not None and not name.startswith("_"):
                    return found, tree
            return None
        module, level, there = self.imports[name]
        file = self._module_file(module, level)
        tree = self._load(file, self.max_bytes) if file else None
        found = find(tree, there) if tree is not None else None
        return (found, tree) if found is not None and tree is not None else None

    def _definition(self, name: str) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, ast.Module] | None:
        return self._top_level(name, (ast.FunctionDef, ast.AsyncFunctionDef))

    def class_definition(self, name: str) -> tuple[ast.ClassDef, ast.Module] | None:
        """A class the module defines or imports from a repository module."""
        return self._top_level(name, (ast.ClassDef,))

    def header_auth(self, decorator: ast.expr) -> bool:
        """The decorator (``@api_basic_auth``, ``@token_required(...)``) lets a
        request in only with an ``Authorization``/API-key header."""
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if not isinstance(target, ast.Name):
            return False
        name = target.id
        if name not in self.memo:
            self.memo[name] = False
            found = self._definition(name)
            if found is not None:
                func, tree = found
                defs = self._defs(tree)
                funcs: list[ast.AST] = [func]
                # the helpers it calls in its own module (apikey_or_basic_auth calls apikey_auth and api_basic_auth)
                for _ in range(2):
                    called = {_name(n.func) for f in funcs for n in ast.walk(f) if isinstance(n, ast.Call)}
                    funcs += [defs[c] for c in sorted(called) if c in defs and defs[c] not in funcs]
                self.memo[name] = header_auth(funcs)
        return self.memo[name]


# -- the csrf_exempt rule: reported only with positive evidence (held-out round 7) --------------------------

# DRF views: APIView.as_view() returns csrf_exempt(view) itself and SessionAuthentication enforces CSRF,
# so an exemption on them changes nothing.
_DRF_BASE = re.compile(r"(APIView|ViewSet|ViewSetMixin)$")
# ORM writes, files, mail, sessions: a forged post that reaches one of these does harm.
_WRITE_METHODS = frozenset({
    "save", "delete", "create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "commit",
    "set_cookie", "delete_cookie", "cycle_key", "flush", "set_password", "set_unusable_password", "send_mail", "send_email",
    "send_mass_mail", "mail_admins", "email_user", "makedirs", "mkdir", "rmtree", "unlink", "rename", "write_text",
    "write_bytes", "delay", "apply_async", "get_or_create_user",
})
_WRITE_FUNCTIONS = frozenset({"login", "logout", "auth_login", "auth_logout", "django_login", "django_logout", "login_user",
                              "logout_user", "send_mail", "send_mass_mail", "mail_admins", "call_command"})
# A function named for a write (save(...), store_file(...), delete_entity(...)), wherever it is defined.
_WRITE_VERB = re.compile(r"^(save|store|create|delete|update|remove|insert|write|send|upload|import|register|approve|reject)(_|$)")
_HTTP_CLIENTS = frozenset({"requests", "httpx", "urllib", "client", "http"})
# A helper that reads credentials from the request, not the session (zentral's basic_auth_username_and_password_from_request).
_CREDENTIAL_HELPER = re.compile(r"(?i)basic_auth|authorization|api_?key|apitoken|get_active_with_key|verify_token|validate_token|check_token")
_CREDENTIALS_IN_REQUEST = re.compile(r"request\.(POST|GET|data|form|json|args|values)\b")


# The modules of DRF (and of its add-ons, rest_framework_simplejwt...) that define views.
_DRF_VIEW_MODULE = re.compile(r"^rest_framework\w*(\.\w+)*\.(views|generics|viewsets)$")


def drf_imports(tree: ast.AST | None) -> dict[str, str]:
    """The names a module imports from DRF, by the name it binds (held-out round 15: openwisp-radius's
    ``from rest_framework.authtoken.views import ObtainAuthToken as BaseObtainAuthToken``): the imported
    name, or ``"view"`` for any class of a DRF views module (ObtainAuthToken is an APIView)."""
    names: dict[str, str] = {}
    for node in getattr(tree, "body", []):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0].startswith("rest_framework"):
            for alias in node.names:
                names[alias.asname or alias.name] = "view" if _DRF_VIEW_MODULE.match(node.module) else alias.name
    return names


def drf_view(func: ast.AST | None, classes: list[ast.ClassDef], imported: dict[str, str] | None = None) -> bool:
    """The view is a DRF view: ``@api_view([...])`` on the function, or a method of
    (or the class of) an ``APIView``/``ViewSet`` subclass; ``imported`` (:func:`drf_imports`) resolves a
    base DRF's module gave under another name."""
    for dec in getattr(func, "decorator_list", []):
        if _name(dec) == "api_view":
            return True
    # a base the chain resolves to a class of the repository is that class, whatever its name (held-out round 13:
    # OnlineJudge's own `class APIView(View)` in utils/api/api.py is Django's View, not DRF's APIView)
    resolved = {cls.name for cls in classes}
    imported = imported or {}
    for cls in classes:
        for base in cls.bases:
            name = _name(base)
            if name != cls.name and name in resolved:
                continue
            origin = imported.get(name, name) if isinstance(base, ast.Name) else name
            if origin == "view" or _DRF_BASE.search(origin):
                return True
    return False


def _writes(node: ast.AST) -> bool:
    """One statement's own evidence of a state change (not the functions it calls)."""
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            func = n.func
            if isinstance(func, ast.Name):
                if func.id in _WRITE_FUNCTIONS or _WRITE_VERB.match(func.id):
                    return True
                if func.id == "open" and any(isinstance(m, str) and set(m) & set("wax") for m in
                                             [_str(a) for a in n.args[1:2]] + [_str(k.value) for k in n.keywords if k.arg == "mode"]):
                    return True
            elif isinstance(func, ast.Attribute):
                attr, owner = func.attr, _name(func.value)
                if attr in _WRITE_METHODS or attr.startswith("bulk_"):
                    return True
                if attr == "update" and n.keywords and not n.args:
                    return True  # queryset.update(state=...): dict.update(...) takes a mapping
                if attr in ("add", "remove") and (not n.args or owner == "session"):
                    return True  # history.add(), db.session.add(obj); not a set's add(x)
                if attr in ("post", "put", "patch") and owner in _HTTP_CLIENTS:
                    return True  # a call that changes another service
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Attribute) and n.value.attr in ("post", "put", "patch", "delete") \
                and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            return True  # function = instance.post: the unsafe method handed on to a handler (held-out round 10, socorro)
        if isinstance(n, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = n.targets if isinstance(n, (ast.Assign, ast.Delete)) else [n.target]
            for t in targets:
                if isinstance(t, ast.Subscript) and _name(t.value) in ("session", "cookies"):
                    return True  # request.session["x"] = ...
    return False


class Evidence:
    """Whether a CSRF-exempt view, with the functions it calls in its module (and
    the repository modules it imports them from), changes state a forged
    cross-site request could drive, and whether something other than the
    session lets it in."""

    def __init__(self, decorators: Decorators) -> None:
        self.decorators = decorators
        tree = decorators.tree
        self.classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        # module-level instances of local classes: dispatcher = PatchworkXMLRPCDispatcher()
        self.instances: dict[str, ast.ClassDef] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and _name(node.value.func) in self.classes:
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        self.instances[t.id] = self.classes[_name(node.value.func)]

    def _callees(self, funcs: list[ast.AST], owner: list[ast.ClassDef]) -> list[ast.AST]:
        """The functions ``funcs`` call, found in the module, its imports, the class
        chain (``self.helper()``) or a module-level instance's class."""
        out: list[ast.AST] = []
        methods = {f.name: f for c in owner for f in c.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for f in funcs:
            for n in ast.walk(f):
                if not isinstance(n, ast.Call):
                    continue
                found: ast.AST | None = None
                if isinstance(n.func, ast.Name):
                    hit = self.decorators._definition(n.func.id)
                    found = hit[0] if hit is not None else None
                elif isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name):
                    if n.func.value.id == "self":
                        found = methods.get(n.func.attr)
                    elif n.func.value.id in self.instances:
                        cls = self.instances[n.func.value.id]
                        found = next((m for m in cls.body if isinstance(m, ast.FunctionDef) and m.name == n.func.attr), None)
                if found is not None and found not in funcs and found not in out:
                    out.append(found)
        return out

    def reach(self, func: ast.AST, owner: list[ast.ClassDef], depth: int = 2) -> list[ast.AST]:
        funcs = [func]
        for _ in range(depth):
            more = self._callees(funcs, owner)
            if not more:
                break
            funcs += more
        return funcs

    def changes_state(self, func: ast.AST, owner: list[ast.ClassDef]) -> bool:
        body = getattr(func, "body", [])
        if not any(_writes(stmt) for stmt in body):
            return any(_writes(stmt) for f in self.reach(func, owner)[1:] for stmt in getattr(f, "body", []))
        return True

    def uses_session(self, func: ast.AST, owner: list[ast.ClassDef]) -> bool:
        """The view, or what it calls (two levels, as for :meth:`changes_state`), reads the
        signed-in user, the session or a cookie, or only a signed-in user may call it."""
        if signed_in_only(func, owner) or reads_caller(self.reach(func, owner)):
            return True
        # a decorator of the repository that reads the session (PowerDNS-Admin's @basic_or_session)
        for dec in getattr(func, "decorator_list", []):
            target = dec.func if isinstance(dec, ast.Call) else dec
            found = self.decorators._definition(target.id) if isinstance(target, ast.Name) else None
            if found is not None and reads_caller([found[0]]):
                return True
        return False

    def not_session(self, func: ast.AST, owner: list[ast.ClassDef], signature: re.Pattern[str]) -> bool:
        """Something other than the browser session lets the request in: an
        Authorization header or a signature checked by a helper it calls or by the
        dispatcher object it hands the request to, credentials in the request itself
        (``authenticate(username=request.POST[...], password=...)``)."""
        funcs = self.reach(func, owner)
        if header_auth(funcs[1:]) or any(signature.search(_text(f)) for f in funcs[1:]):
            return True
        for f in funcs:
            # p = request.POST.copy(): the credentials are read through the copy (held-out round 8, xqueue's log_in)
            aliases = {t.id for n in ast.walk(f) if isinstance(n, ast.Assign) and _CREDENTIALS_IN_REQUEST.search(_text(n.value))
                       for t in n.targets if isinstance(t, ast.Name)}
            for n in ast.walk(f):
                if isinstance(n, ast.Call) and _name(n.func) == "authenticate":
                    text = _text(n)
                    if _CREDENTIALS_IN_REQUEST.search(text) or any(re.search(rf"\b{re.escape(a)}\b", text) for a in aliases):
                        return True
        if any(isinstance(n, ast.Call) and _CREDENTIAL_HELPER.search(_name(n.func)) for n in ast.walk(func)) \
                and rejects(getattr(func, "body", [])) and not _session_fallback(func):
            return True  # credentials read from the request by a helper, 401 without them
        # the dispatcher it hands the request to checks the Authorization header itself
        for n in ast.walk(func):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and _name(n.func.value) in self.instances:
                cls = self.instances[_name(n.func.value)]
                members: list[ast.AST] = [m for m in cls.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))]
                if any(_reads_auth_header(m) for m in members) and any(rejects([m]) for m in members if isinstance(m, ast.stmt)):
                    return True
        return False
