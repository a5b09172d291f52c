"""The AST visitor of security-settings-in-one-place: what counts as a security
setting or switch set in code, with the message for each (see the hook module)."""
from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from hooks.checks.security_settings_in_one_place import views
from hooks.common.security_catalogue import EXEMPT_DECORATORS, SECURITY_HEADERS, SETTING_NAMES, literal_is_safe
from hooks.config import python_trees
from hooks.config.python_trees import literal as _literal

if TYPE_CHECKING:
    from hooks.checks.security_settings_in_one_place import heirs

_CONFIG_CLASS = re.compile(r"(Config|Configuration|Settings)$")
# Modules named like config (netbox's configuration.py, conf.py, app_config.py):
# their module-level settings are config, though the settings-module pattern misses them.
_CONFIG_NAME = re.compile(r"(^|/)[^/]*(config|configuration|settings|conf)[^/]*\.py$", re.I)


_name = views._name  # a call's, an attribute's or a name's last part: one definition for the hook


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _const(node: ast.expr | None) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) == 1:
        return _const(node.elts[0])
    return None


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def _is_false(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value in (False, 0, None)


def _safe_literal(name: object, value: ast.expr | None) -> bool:
    """The value is a literal on the safe side of a setting whose safe direction the
    catalogue knows (``DEBUG=False``, ``SESSION_COOKIE_SECURE = True``,
    ``SECURE_HSTS_SECONDS = 31536000``): it weakens nothing, wherever it is written."""
    if not isinstance(name, str):
        return False
    written, literal = _literal(value)
    return written and literal_is_safe(name, literal) is True


def _security_kwargs(call: ast.Call) -> list[str]:
    """The security settings a call overrides, not those given their safe value
    (``override_settings(DEBUG=False)``). ``**kwargs`` may hold anything, so it counts."""
    out = []
    for kw in call.keywords:
        if kw.arg is None:
            out.append("**" + (_dotted(kw.value) or "kwargs"))
        elif kw.arg in SETTING_NAMES and not _safe_literal(kw.arg, kw.value):
            out.append(kw.arg)
    return out


# Where a configured value is read from: the settings, a config object or file, the site configuration the
# product stores (reviewboard's siteconfig), the environment, the command line's options.
_CONFIG_SOURCE = re.compile(r"(?i)config|settings|environ|getenv|^env$|^conf$|options|registry|^opts$|^args$")


def _reads_config(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and _CONFIG_SOURCE.search(n.id) or isinstance(n, ast.Attribute) and _CONFIG_SOURCE.search(n.attr)
               for n in ast.walk(node))


def _from_config(value: ast.expr, scope: ast.AST | None, depth: int = 2) -> bool:
    """Held-out round 10 (reviewboard's ``settings.CSRF_COOKIE_SECURE = is_https`` with
    ``is_https = siteconfig.settings.get("site_domain_method") == "https"``): a value
    that is not written out but computed from configuration (the settings, a config
    object, the stored site configuration, the environment, options), directly or
    through the local names it is built from. That configuration chose it; the
    assignment only applies the choice."""
    if _literal(value)[0]:
        return False
    if _reads_config(value):
        return True
    if depth == 0 or scope is None:
        return False
    names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
    if not names:
        return False
    sources = [n.value for n in ast.walk(scope) if isinstance(n, (ast.Assign, ast.AnnAssign)) and n.value is not None
               and any(isinstance(t, ast.Name) and t.id in names for t in (n.targets if isinstance(n, ast.Assign) else [n.target]))]
    return bool(sources) and all(_from_config(s, scope, depth - 1) for s in sources)


# Module-level names that share a setting's name but are the module's own
# constants (TESTING = "pytest" in sys.modules), not config it hides.
_GENERIC_NAMES = frozenset({"TESTING", "ENV", "PROPAGATE_EXCEPTIONS", "SERVER_NAME", "PREFERRED_URL_SCHEME",
                            "SQLALCHEMY_ECHO", "PERMANENT_SESSION_LIFETIME", "PASSWORD_HASHERS", "AUTH_PASSWORD_VALIDATORS"})
# The project's own security middleware: where headers belong (issue 21).
# (A CORS decorator applied view by view is not: the API's CORS policy then lives in code.)
_MIDDLEWARE_NAME = re.compile(r"(?i)middleware|tween|security|secure|headers?|csp|hsts|after_request|process_response")
# A module so named, or a folder named just so: not any package whose name holds the word
# (security_monkey/decorators.py is a view decorator, not middleware).
_MIDDLEWARE_MODULE = re.compile(r"(?i)(^|/)([^/]*(middleware|tweens?|security|headers|csp)[^/]*\.py|(middlewares?|tweens?|security|headers|csp)/)")
# The project's (or a vendored) CORS implementation: its headers follow the configured origins.
_CORS_MODULE = re.compile(r"(?i)(^|/)cors(/|\.py$)")
# Headers whose value switches the protection off, wherever they are set.
_WEAK_HEADER_VALUES = {"access-control-allow-origin": ("*",), "x-frame-options": ("allowall",)}
# A view that a protocol makes exempt: webhooks (signed), SSO/OIDC/SAML callbacks, git smart HTTP, embeds.
_PROTOCOL_VIEW = re.compile(
    r"(?i)webhook|callback|saml|oidc|openid|oauth|sso|acs\b|_acs|assertion|git_|info_refs|upload_pack|receive_pack"
    r"|csp_report|report_uri"
)
# A payment gateway's own endpoints (PayPal IPN, Payflow Link silent post) and, in a payments/<gateway>/
# folder, the return page the gateway posts back to.
_GATEWAY_VIEW = re.compile(r"(?i)(^|_|\.)(ipn|silent_?post|notify|notification|relay_?response)(_|$)")
_GATEWAY_FOLDER = re.compile(r"(?i)(^|/)payments?/[^/]+/[^/]+\.py$")
_GATEWAY_RETURN = re.compile(r"(?i)(^|_|\.)(return|thank_?you|thanks|response|complete|success|cancel)(_|$)")
# Vendored third-party code (tendenci/libs/tinymce): not the service's views.
_VENDORED = re.compile(r"(^|/)(libs/[^/]+|vendor|vendored|third_party|_vendor)/")
# A docstring that names the view a webhook, spelt apart ("Web hook", "web-hook") or as a vendor's callback.
_WEBHOOK_DOC = re.compile(r"(?i)\bweb[\s_-]*hooks?\b|\bcall[\s_-]?back (from|for) \w+")
_PROTOCOL_FOLDER = re.compile(r"(?i)(^|/)(saml2?|oidc|openid|oauth2?|sso|webhooks?)/[^/]+$")
# A Unix socket's path, a comment that says clients connect to it, a socket server class (socketserver.UnixStreamServer).
_SOCKET_PATH = re.compile(r"(?i)sock(et)?\b|sock(et)?_|\.sock")
_SOCKET_COMMENT = re.compile(r"(?i)\bconnect|\bsocket")
_SOCKET_SERVER = re.compile(r"(?i)unix\w*server|socketserver")
_REASON = re.compile(r"(?i)csrf|exempt|webhook|signature|signed|hmac|token|callback|saml|oidc|sso|oauth|protocol|external|third[- ]party|"
                     r"embed|iframe|widget|public|stateless|no (session|cookie)|api key|because|since|required|git")
_SIGNATURE_CHECK = re.compile(r"(?i)compare_digest|verify_signature|validate_signature|check_signature|verify_webhook|"
                              r"signature|hmac\.|\bjwt\.decode|verify_token|validate_token|authenticate_webhook|OneLogin_Saml2|process_response\("
                              # held-out round 11 (abilian's unsubscribe_sbe): a signed URL token checked in the view
                              # (get_token_status(token, ...), itsdangerous' serializer.loads(token)): a forger needs the token
                              r"|\b\w*token_status\(|\bcheck_\w*token\(|\b(loads|unsign)\(\s*token\b")


# A comment that says the protection is missing or a stopgap: no reason (askbot's "#todo: make this work with csrf").
_NOT_A_REASON = re.compile(r"(?i)\b(todo|fixme|xxx|hack|temporar(y|ily)|for now)\b|make (this|it) work with csrf|(enable|add|restore) csrf")


_MARKER = "`# legacy-config: ignore[security-settings-in-one-place] <reason>`"
# What the exemption does to every response of the view, and a narrower remedy when there is one
# (held-out round 9, mozillians: csp_exempt on a GraphQL view for GraphiQL, which only DEV serves).
_EXEMPT_EFFECT = {"csp_exempt": " (its responses go out with no Content-Security-Policy, in production too)",
                  "xframe_options_exempt": " (any site may frame it)"}
_EXEMPT_NARROWER = {"csp_exempt": "; if only a development tool needs it (an in-browser API explorer), relax the policy for that "
                                  "tool alone (csp_update/csp_replace on its view, or only when settings.DEBUG)"}


def _commented_code(text: str) -> bool:
    """A comment's text is a line of code: it parses, and calls, assigns, imports or defines something."""
    code = text.strip().rstrip(",")
    try:
        tree = python_trees.parse(code, "<comment>", report=False)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return any(isinstance(n, (ast.Call, ast.Assign, ast.AugAssign, ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef,
                              ast.Return, ast.Raise))
               for n in ast.walk(tree))


def _says_why(comment: str) -> bool:
    """A comment that gives a reason: a word of ``_REASON``, or a sentence of four
    words or more (pgweb: "the Varnish proxy strips cookies"), not commented-out code,
    nor a to-do that says the protection is missing (``#todo: make this work with csrf``)."""
    # held-out round 14 (django-filebrowser's get_urls): a line commented out above the exemption
    # (#url(r'^upload_file/$', staff_member_required(csrf_exempt(...)))) is old code, not a reason
    comment = " ".join(f"# {part.strip()}" for part in re.split(r"#+", comment) if part.strip() and not _commented_code(part))
    if _NOT_A_REASON.search(comment):
        return False
    if _REASON.search(comment):
        return True
    text = re.sub(r"#+", " ", comment).strip()
    words = re.findall(r"[A-Za-z]{2,}", text)
    return len(words) >= 4 and not re.search(r"[=(){}\[\]]|^\s*(def|class|import|from|return|if)\b", text)


_WEAK_REASON = re.compile(r"(?i)a-c-a-o|cors|any (site|origin)|every origin|public|embed|widget|iframe|third[- ]party")
# Decorators that authenticate a request by an API key, token or signature (no session cookie).
_TOKEN_AUTH = re.compile(
    r"(?i)^(authorize\w*|\w*api_?key\w*|\w*token_(auth|required)\w*|\w*jwt\w*|\w*signature\w*|\w*hmac\w*"
    r"|basic_auth\w*|\w*oauth\w*_required)$"
)
_HEADER_REASON = re.compile(r"(?i)\b(csp|cors|origin|frame|framing|policy|hsts|header|embed|iframe|a-c-a-o|xss|referrer|sniff|because|since|preflight)")
# Decorators that answer only requests with X-Requested-With, which a cross-site form cannot set.
_AJAX_ONLY = re.compile(r"(?i)^(require_?ajax|ajax_?required|ajax_?only|is_?ajax)$")
# A view only the development server serves (``catchall_dev``, ``debug_toolbar_view``).
_DEV_VIEW = re.compile(r"(?i)(^|_)(dev|devel|development|debug)(_|$)")
# A public document meant to be read from any origin: discovery documents, feeds, manifests, key sets.
_PUBLIC_DOCUMENT = re.compile(r"(?i)\.well-known|openid-configuration|jwks|oembed|manifest\b|/feeds?\b|\bfeeds?/|\.(json|xml|rss|atom)$"
                              r"|\bdiscovery\b|\bpublic (json|document|feed|api|data)")
# Settings that hold a secret: loading one at start-up from the app's own store is not a policy change.
_SECRET_SETTING = re.compile(r"SECRET|SALT|PASSWORD|TOKEN|(^|_)KEY$")
_DIRECTIVE = re.compile(r"#\s*(noqa|type:|pylint|pragma|nosec|fmt:|isort|pyright|mypy|legacy-config)")


_LOOSE_CSP = re.compile(r"unsafe-|(^|[\s;])\*(\s|;|$)|\bdata:|\bhttp:")
_RESTRICTIVE = {"x-frame-options": ("deny", "sameorigin"), "x-content-type-options": ("nosniff",)}


def _literal_text(value: ast.expr | None) -> str | None:
    """A header value's text when it is written out (f-string parts joined), else None."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    if isinstance(value, ast.JoinedStr):
        return "".join(v.value for v in value.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        left, right = _literal_text(value.left), _literal_text(value.right)
        return None if left is None or right is None else left + right
    return None


def _tightens(key: str, value: ast.expr | None) -> bool:
    """A value that makes this response stricter, not looser: what a view sets for
    its own content (a sandboxing CSP on an uploaded file) hides no weakening."""
    name = key.lower()
    if name.startswith("access-control-"):
        return False  # CORS headers only ever open a response to other origins
    text = _literal_text(value)
    if text is None:
        return False
    lowered = text.strip().lower()
    if name in _RESTRICTIVE:
        return lowered in _RESTRICTIVE[name]
    if name.startswith("content-security-policy"):
        return bool(lowered) and not _LOOSE_CSP.search(lowered)
    if name == "strict-transport-security":
        return "max-age=0" not in lowered.replace(" ", "")
    if name == "x-xss-protection":
        return lowered.startswith("1")  # "1; mode=block" switches the browser's filter on
    if name == "referrer-policy":
        return lowered in ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin")
    if name.startswith("cross-origin-"):
        return lowered in ("same-origin", "require-corp", "same-site", "credentialless")
    return False


# Pyramid's events that run for every request or response.
APP_WIDE_EVENT = re.compile(r"\b(NewRequest|NewResponse|ContextFound|BeforeTraversal)\b")
_TOKEN_COOKIE = re.compile(r"(?i)csrf|xsrf")
# Settings whose value here switches a protection on: setting them so hides no weakening.
_PROTECTION_ON = re.compile(r"(_HTTPONLY|_SECURE|CSRF_ENABLED|SSL_REDIRECT|_CSRF_CHECK_DEFAULT)$")


def _switches_on(name: object, value: ast.expr) -> bool:
    """``app.config["REMEMBER_COOKIE_HTTPONLY"] = True``: the safe value, not a policy change."""
    return isinstance(name, str) and bool(_PROTECTION_ON.search(name)) and isinstance(value, ast.Constant) and value.value is True


_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _unwrapped(decorators: list[ast.expr]) -> list[ast.expr]:
    """Django's ``@method_decorator(csrf_exempt, name="dispatch")`` (or a list of
    decorators) as the decorators it applies."""
    out: list[ast.expr] = []
    for dec in decorators:
        if isinstance(dec, ast.Call) and _name(dec.func) == "method_decorator" and dec.args:
            inner = dec.args[0]
            out += list(inner.elts) if isinstance(inner, (ast.List, ast.Tuple)) else [inner]
        else:
            out.append(dec)
    return out


# A view meant to be framed by another site: an embed, a widget, an LTI tool the LMS frames.
_FRAMED_VIEW = re.compile(r"(?i)embed|widget|iframe|(^|_|\b|[a-z])lti|LTI|oembed|player")


def _debug_test(test: ast.expr) -> bool:
    """``settings.DEBUG``, ``DEBUG``, ``app.debug``, ``app.config["DEBUG"]``, alone or and-ed with more."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_debug_test(v) for v in test.values)
    if isinstance(test, ast.Name):
        return test.id == "DEBUG"
    if isinstance(test, ast.Attribute):
        return test.attr == "DEBUG" or (test.attr == "debug" and _name(test.value) in ("app", "current_app", "application"))
    if isinstance(test, ast.Subscript):
        return _const(test.slice) == "DEBUG" and _name(test.value) == "config"
    return False


_CACHE_PUBLIC = re.compile(r"(?i)\bpublic\b|\bs-maxage\s*=\s*[1-9]|(?<![-\w])max-age\s*=\s*[1-9]")
_CACHE_PRIVATE = re.compile(r"(?i)\bprivate\b|\bno-store\b|\bno-cache\b")


def _shared_cacheable(func: ast.AST) -> bool:
    """Held-out round 8 (mapit's ``output_json``): the function that sets
    ``Access-Control-Allow-Origin: *`` also marks the response for shared caches
    (``Cache-Control: s-maxage=...``, ``max-age=...`` or ``public``, not ``private``
    or ``no-store``), sends no ``Access-Control-Allow-Credentials`` and ``Vary`` on
    nothing, and reads no user or session: one copy is served to everyone, so the
    content is public and ``*`` (which browsers never combine with cookies) opens
    nothing more."""
    if views._session_fallback(func):
        return False
    texts: list[str] = []
    for n in ast.walk(func):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            texts.append(n.value)
    lowered = [t.lower() for t in texts]
    if "access-control-allow-credentials" in lowered or "vary" in lowered:
        return False
    cache: list[str] = []
    for n in ast.walk(func):
        value: ast.expr | None = None
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Subscript) \
                and str(_const(n.targets[0].slice)).lower() == "cache-control":
            value = n.value
        elif isinstance(n, ast.Call) and n.args and str(_const(n.args[0])).lower() == "cache-control" and len(n.args) > 1:
            value = n.args[1]
        if value is not None:
            cache.append(" ".join(c.value for c in ast.walk(value) if isinstance(c, ast.Constant) and isinstance(c.value, str)))
    return bool(cache) and all(_CACHE_PUBLIC.search(c) and not _CACHE_PRIVATE.search(c) for c in cache)


_UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_AUTHENTICATES = re.compile(r"(?i)login|auth|permission|staff|superuser|user_passes|requires?_user|jwt|token|admin")
# Base classes whose views answer reads only (DRF's ReadOnlyModelViewSet, its router's API root, Django's ListView).
_READ_ONLY_BASE = re.compile(r"ReadOnly|ListView|DetailView|TemplateView|ListAPIView|RetrieveAPIView|APIRoot|RootView|Feed$")
_WRITE_BASE = re.compile(r"Create|Update|Destroy|Delete|Edit|Form|Mutation|^ModelViewSet$|^GenericViewSet$")


def _methods_in(node: ast.expr) -> set[str] | None:
    """The HTTP methods a literal names (``"GET, HEAD"``, ``["GET"]``), None when not written out."""
    text = _literal_text(node)
    if text is not None:
        return {m.strip().upper() for m in text.split(",") if m.strip()}
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        out = set()
        for e in node.elts:
            if not (isinstance(e, ast.Constant) and isinstance(e.value, str)):
                return None
            out.add(e.value.upper())
        return out
    return None


def _serves_writes(func: ast.FunctionDef | ast.AsyncFunctionDef, classes: list[ast.ClassDef]) -> bool:
    """The endpoint answers (or may answer) an unsafe method: it is a post/put/patch/delete
    handler, a decorator or route lets one through, it compares ``request.method`` with one
    (or with anything not written out), it lists one in ``Access-Control-Allow-Methods``, or
    it is the ``dispatch`` of a class that handles one."""
    if func.name in ("post", "put", "patch", "delete"):
        return True
    for dec in func.decorator_list:
        name = _name(dec)
        if name in ("require_POST", "csrf_exempt"):
            return True
        if isinstance(dec, ast.Call):
            methods = dec.args[0] if name == "require_http_methods" and dec.args else _kw(dec, "methods")
            if name in ("post", "put", "patch", "delete") or name == "api_view" and not dec.args and methods is None:
                return True
            if methods is not None:
                named = _methods_in(methods)
                if named is None or named & _UNSAFE_METHODS:
                    return True
    for n in ast.walk(func):
        if isinstance(n, ast.Compare) and any(isinstance(side, ast.Attribute) and side.attr == "method" for side in [n.left, *n.comparators]):
            for side in [n.left, *n.comparators]:
                if isinstance(side, ast.Attribute) and side.attr == "method":
                    continue
                named = _methods_in(side) if not isinstance(side, ast.Constant) else {str(side.value).upper()}
                if named is None or named & _UNSAFE_METHODS:
                    return True
        allowed: ast.expr | None = None
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Subscript) \
                and str(_const(n.targets[0].slice)).lower() == "access-control-allow-methods":
            allowed = n.value
        elif isinstance(n, ast.Call) and len(n.args) > 1 and str(_const(n.args[0])).lower() == "access-control-allow-methods":
            allowed = n.args[1]
        if allowed is not None:
            named = _methods_in(allowed)
            if named is None or named & _UNSAFE_METHODS:
                return True
    if classes:
        handlers = {f.name for c in classes for f in c.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
        if handlers & {"post", "put", "patch", "delete"}:
            return True
        bases = [_name(b) for c in classes for b in c.bases]
        if func.name == "dispatch" and not any(_READ_ONLY_BASE.search(b) for b in bases):
            return True  # a mixin's dispatch: the subclasses it is mixed into may take writes
        if any(_WRITE_BASE.search(b) and not _READ_ONLY_BASE.search(b) for b in bases):
            return True
    return False


_PER_USER_VARY = re.compile(r"(?i)\b(cookie|authorization)\b")


def _personal_cache(func: ast.AST) -> bool:
    """The function marks its response as one user's: ``Cache-Control: private`` (or
    ``no-store``), or ``Vary`` on the cookie or the Authorization header."""
    for n in ast.walk(func):
        key: object = None
        value: ast.expr | None = None
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Subscript):
            key, value = _const(n.targets[0].slice), n.value
        elif isinstance(n, ast.Call) and len(n.args) > 1:
            key, value = _const(n.args[0]), n.args[1]
        if not isinstance(key, str) or value is None:
            continue
        text = " ".join(c.value for c in ast.walk(value) if isinstance(c, ast.Constant) and isinstance(c.value, str))
        if key.lower() == "cache-control" and re.search(r"(?i)\bprivate\b|\bno-store\b", text) \
                or key.lower() == "vary" and _PER_USER_VARY.search(text):
            return True
    return False


def _public_wildcard(stack: list[ast.FunctionDef | ast.AsyncFunctionDef], classes: list[ast.ClassDef],
                     evidence: views.Evidence | None) -> bool:
    """Held-out round 9: ``Access-Control-Allow-Origin: *`` on an endpoint that only
    reads, for anyone: the per-endpoint exception the CORS protocol expects (a public
    JSON export, a read-only API, an iCal feed, a player's playlist). Browsers never send
    cookies to a ``*`` response, so it shares only what any server-side fetch gets.
    Not when the function also sends ``Access-Control-Allow-Credentials``, reads the
    user, session or cookies, changes state (itself or through the helpers it calls),
    answers an unsafe method, or wraps other views (a decorator or middleware that
    calls the view it was given: the views it wraps may write)."""
    if not stack:
        return False
    func = stack[-1]
    strings = [n.value.lower() for c in [func, *classes[-1:]] for n in ast.walk(c) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    if "access-control-allow-credentials" in strings:
        return False
    if _personal_cache(func):
        return False  # Cache-Control: private, Vary: Cookie: a copy per user
    if views._session_fallback(func) or any(isinstance(n, ast.Attribute) and n.attr in ("COOKIES", "cookies") for n in ast.walk(func)):
        return False
    if any(_AUTHENTICATES.search(_name(d)) for d in func.decorator_list) \
            or any(isinstance(d, ast.Call) and _name(d.func) in ("Depends", "Security") for d in func.args.defaults + func.args.kw_defaults if d):
        return False  # @login_required, user=Depends(current_user): not an endpoint for anyone
    wrapped = {a.arg for outer in stack[:-1] for a in outer.args.args + outer.args.kwonlyargs}
    wrapped |= {"get_response", "get_response_callable"}
    if any(isinstance(n, ast.Call) and (isinstance(n.func, ast.Name) and n.func.id in wrapped
                                        or isinstance(n.func, ast.Attribute) and n.func.attr in ("get_response", "get_response_callable"))
           for n in ast.walk(func)):
        return False
    if _serves_writes(func, classes):
        return False
    if any(views._writes(stmt) for stmt in func.body):
        return False
    return not (evidence is not None and evidence.changes_state(func, classes))


def _safe_methods_only(dec: ast.expr) -> bool:
    """``@require_GET``, ``@require_safe``, ``@require_http_methods(["GET", "HEAD"])``."""
    name = _name(dec)
    if name in ("require_GET", "require_safe"):
        return True
    if name == "require_http_methods" and isinstance(dec, ast.Call) and dec.args and isinstance(dec.args[0], (ast.List, ast.Tuple, ast.Set)):
        methods = [_const(e) for e in dec.args[0].elts]
        return bool(methods) and all(isinstance(m, str) and m.upper() in _SAFE_METHODS for m in methods)
    return False


def _reads_settings(func: ast.AST) -> bool:
    """The function reads the project's settings (``request.registry.settings[...]``, ``settings.X``, ``app.config[...]``)."""
    return any(isinstance(n, (ast.Name, ast.Attribute)) and (getattr(n, "id", None) or getattr(n, "attr", None)) in ("settings", "config")
               for n in ast.walk(func))


def _loads_secret(target: ast.expr, value: ast.expr) -> bool:
    """``config.SECRET_KEY = Keys.query.filter_by(...).first().value``: a secret setting
    given a value computed at start-up (a database, a key store), not a literal."""
    name = target.attr if isinstance(target, ast.Attribute) else _const(target.slice) if isinstance(target, ast.Subscript) else None
    return isinstance(name, str) and bool(_SECRET_SETTING.search(name)) and _literal_text(value) is None \
        and not isinstance(value, ast.Constant)


def _own_csrf_decorator(cls: ast.ClassDef) -> bool:
    """The class, or one of its methods, carries its own ``csrf_exempt`` or ``csrf_protect``."""
    decorated = [*cls.decorator_list, *(d for f in cls.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                                        for d in f.decorator_list)]
    return any(_name(d).startswith("csrf_") or _dotted(d.func if isinstance(d, ast.Call) else d) in ("csrf.exempt", "csrf_protect.exempt")
               for d in _unwrapped(decorated))


# How many heirs a message names, and how many are judged at most (a commit of a base many views inherit stays cheap).
_NAMED_HEIRS = 5
_JUDGED_HEIRS = 60


def _writers(harmful: list[tuple[str, str, int]], more: bool) -> str:
    """``2 of which write for the signed-in user: A (a.py:3), B (b.py:9)``; ``at least 5`` when
    the judging stopped at the fifth."""
    shown = ", ".join(f"{name} ({path}:{line})" for name, path, line in harmful)
    n = len(harmful)
    return f"{'at least ' if more else ''}{n} of which write{'s' if n == 1 and not more else ''} for the signed-in user: {shown}"


class Finder(ast.NodeVisitor):
    def __init__(self, path: str, creates_app: bool, home: str = "", lines: list[str] | None = None,
                 loads_config: bool = False, decorators: views.Decorators | None = None) -> None:
        self.path = path
        self.home = home  # the production settings module, named in messages
        self.config_named = bool(_CONFIG_NAME.search(path))
        self.creates_app = creates_app
        # an app factory that loads its config object: the framework's place for app-wide switches
        self.factory = loads_config
        self.lines = lines or []
        self.middleware_module = bool(_MIDDLEWARE_MODULE.search(path))
        self.found: list[tuple[int, int, str, tuple[str, ...]]] = []
        self.class_stack: list[str] = []
        self.class_nodes: list[ast.ClassDef] = []
        self.function_stack: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.decorators: set[int] = set()
        self.definitions = decorators  # where the view's decorators are defined (followed for header auth)
        self.target_tree: ast.Module | None = None  # the module of a view csrf_exempt(...) wraps, when imported
        self.restored: set[int] = set()  # os.umask(0) calls whose old mask is put back: UMASK = os.umask(0); os.umask(UMASK)
        self.csrf_off = False  # CsrfViewMiddleware is not installed: Django's @csrf_exempt switches nothing off
        self.token_packages: frozenset[str] = frozenset()  # packages of the token/JWT middlewares MIDDLEWARE installs
        self.if_tests: list[ast.expr] = []  # the tests of the if statements around the node visited
        self.module: ast.Module | None = None
        self.response_hooks: frozenset[str] = frozenset()  # functions registered on every request/response (the hook's prepare)
        # held-out round 13 (OnlineJudge's CSRFExemptAPIView): the views that inherit an exempt base's dispatch,
        # found in the repository by name (heirs.ClassIndex) in the modules the hook reads (in_scope)
        self.index: heirs.ClassIndex | None = None
        self.in_scope: Callable[[str], bool] = lambda path: True
        self.follow_heirs = True  # off in the finders that judge one heir: the index already went down the tree
        self.chains: dict[int, list[ast.ClassDef]] = {}  # an heir's bases across modules (the index found them)
        # the exempt base -> (how many views inherit it, the ones that write for the session: name, path, line)
        self.inherited: dict[int, tuple[int, list[tuple[str, str, int]], bool]] = {}
        # held-out round 14 (django-filebrowser's get_urls: url(..., login_required(csrf_exempt(self._upload_file)))):
        # the calls wrapped around a call, innermost last, and those around the csrf_exempt(...) being judged
        self.wrapped_in: dict[int, list[ast.expr]] = {}
        self.inline: list[ast.expr] = []

    # -- what the code around a line says ---------------------------------
    def comment_near(self, line: int, above: int = 2) -> str:
        """The comments on ``line`` and the lines just above it (directives left out)."""
        out = []
        for n in range(max(1, line - above), line + 1):
            text = self.lines[n - 1] if n - 1 < len(self.lines) else ""
            if "#" in text and not _DIRECTIVE.search(text):
                stripped = text.strip()
                if stripped.startswith("#") or n == line:
                    out.append(text[text.index("#"):])
            elif n < line and text.strip() and not text.strip().startswith(("@", "#")) and not text.rstrip().endswith(":"):
                out = []  # code between (other than the block the line opens): the comment is about something else
        return " ".join(out)

    def cookie_reason(self, call: ast.Call) -> bool:
        """A comment on or just above ``httponly=False``, or at the end of the call,
        that gives a reason (a sentence, not a to-do)."""
        value = _kw(call, "httponly")
        lines = {getattr(value, "lineno", call.lineno), getattr(call, "end_lineno", None) or call.lineno}
        for line in sorted(lines):
            text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
            comment = text[text.index("#"):] if "#" in text else ""
            above = self.lines[line - 2].strip() if line >= 2 and line - 2 < len(self.lines) else ""
            for said in (comment, above if above.startswith("#") else ""):
                if said and not _DIRECTIVE.search(said) and _says_why(said):
                    return True
        return False

    def source(self, func: ast.AST, line: int) -> str:
        """The view's text: its lines in this module, or, for a view imported from another module
        (``csrf_exempt(login)`` in a ``urls.py``), its own code, unparsed (held-out round 17: the lines
        of the ``urls.py`` at the view's line numbers said nothing about the view)."""
        start = getattr(func, "lineno", line)
        end = getattr(func, "end_lineno", None) or line
        name = getattr(func, "name", "")
        first = self.lines[start - 1] if 0 < start <= len(self.lines) else ""
        if name and not re.search(rf"\b(def|class)\s+{re.escape(name)}\b", first):
            return views._text(func)
        return "\n".join(self.lines[start - 1:end])

    def in_middleware(self) -> bool:
        """Inside the project's own security middleware, tween or after-request hook."""
        if self.middleware_module:
            return True
        names = self.class_stack + [f.name for f in self.function_stack]
        if any(_MIDDLEWARE_NAME.search(n) for n in names):
            return True
        for func in self.function_stack:
            if func.name in self.response_hooks:
                return True  # registered to run on every request or response (config.add_subscriber(f, NewRequest))
            for dec in func.decorator_list:
                text = _dotted(dec.func if isinstance(dec, ast.Call) else dec)
                if text.endswith(("middleware", "after_request", "after_app_request")):
                    return True
                if text.endswith("subscriber") and isinstance(dec, ast.Call) and any(APP_WIDE_EVENT.search(ast.unparse(a)) for a in dec.args):
                    return True  # Pyramid's @subscriber(NewRequest): app-wide, like a tween
        return False

    def exempt_explained(self, node: ast.AST, view: str, func: ast.AST | None, csrf: bool = True) -> bool:
        """A per-view exemption the code explains: a reason comment beside it, a
        protocol that needs it (webhook, SSO callback, git smart HTTP, embed)
        with the view's name saying so, or a signature check in the view."""
        line = getattr(node, "lineno", 1)
        if _says_why(self.comment_near(line)):
            return True
        if csrf and self.csrf_off and "csrf_exempt" in views._text(node):
            return True  # Django's CsrfViewMiddleware is not in MIDDLEWARE: the exemption switches nothing off
        if view and _PROTOCOL_VIEW.search(view):
            return True
        if _PROTOCOL_FOLDER.search(self.path):
            return True  # zentral's realms/backends/saml/public_views.py: the views of a SAML (OIDC, webhook) backend
        if view and _DEV_VIEW.search(view.rsplit(".", 1)[-1]):
            return True  # a development-only view (catchall_dev beside catchall_prod): production never routes to it
        for dec in _unwrapped(getattr(func, "decorator_list", [])) + self.inline:
            if _safe_methods_only(dec):
                return True  # @require_GET: Django checks CSRF on unsafe methods only, so the exemption changes nothing
            if _TOKEN_AUTH.search(_dotted(dec.func if isinstance(dec, ast.Call) else dec).rsplit(".", 1)[-1]):
                return True  # authenticated by a token or key, not a cookie: there is no CSRF to forge
            if self.middleware_token_gate(dec):
                return True  # @apigw_require: the installed JWT middleware turns away a request without the signed token
            if _AJAX_ONLY.search(_dotted(dec.func if isinstance(dec, ast.Call) else dec).rsplit(".", 1)[-1]):
                return True  # @require_AJAX: a custom header (X-Requested-With) cross-site forms cannot send
            if csrf and self.definitions is not None and self.definitions.header_auth(dec):
                return True  # @api_basic_auth: 401 without an Authorization/API-key header, no session: nothing to forge
        if func is not None:
            doc = ast.get_docstring(func) if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else None
            if doc and _REASON.search(doc) and _PROTOCOL_VIEW.search(doc):
                return True
            if doc and _WEBHOOK_DOC.search(doc):
                return True  # held-out round 12 (lernanta's notifications.response): "Web hook called when ..."
            if _SIGNATURE_CHECK.search(self.source(func, line)):
                return True
            if views.builds_protocol_handler(func):
                return True  # held-out round 17 (edubadges' LTI 1.3 login): a protocol's endpoint, by what it builds
            if not csrf:
                return False  # what follows says a forged post gains nothing: no answer to framing or a CSP
            if views.gated(func) or views.header_auth([func]) or views.secret_gate(func):
                return True  # turned away without its address in an allow-list, a custom or an Authorization header
            if views.read_only(func):
                return True  # renders from the request and changes nothing: a forged post gains nothing
            if isinstance(func, ast.ClassDef) and self.definitions is not None and self.class_explained(func) \
                    and not self.heirs_do_harm(func):
                return True
        return csrf and not self.forgery_does_harm(view, func)

    def middleware_token_gate(self, dec: ast.expr) -> bool:
        """Held-out round 15 (bk-sops's ``@apigw_require`` from ``apigw_manager.apigw.decorators``): a
        ``*require*`` decorator imported from a package whose token/JWT authentication middleware the
        settings install marks the view for that middleware's check."""
        name = _dotted(dec.func if isinstance(dec, ast.Call) else dec)
        if not self.token_packages or "require" not in name.rsplit(".", 1)[-1].lower() or self.definitions is None:
            return False
        head = name.split(".")[0]
        for node in self.definitions.tree.body:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                    and any((a.asname or a.name) == head for a in node.names):
                return node.module.split(".")[0] in self.token_packages
            if isinstance(node, ast.Import) and any((a.asname or a.name).split(".")[0] == head for a in node.names):
                return head in self.token_packages or any(a.name.split(".")[0] in self.token_packages
                                                          for a in node.names if (a.asname or a.name) == head)
        return False

    def wraps_exempt_view(self, node: ast.AST, exemption: str) -> bool:
        """A one-line view that only returns another view of this module, exempt the same
        way (``return upload_file(request, image_upload=True)``): the same hole as that view."""
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or self.definitions is None:
            return False
        body = node.body[1:] if ast.get_docstring(node) is not None else node.body
        if len(body) != 1 or not isinstance(body[0], ast.Return) or not isinstance(body[0].value, ast.Call):
            return False
        callee = body[0].value.func
        if not isinstance(callee, ast.Name) or callee.id == node.name:
            return False
        wrapped = next((n for n in self.definitions.tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                        and n.name == callee.id), None)
        return wrapped is not None and any(_name(d) == exemption for d in _unwrapped(wrapped.decorator_list))

    def forgery_does_harm(self, view: str, func: ast.AST | None) -> bool:
        """Positive evidence that a forged cross-site request to this CSRF-exempt
        view does harm (held-out round 7): it is reached with the browser session
        (not a DRF view, not a gateway's or another protocol's endpoint, no
        credentials or signature checked by the helpers or dispatcher it uses)
        and it changes state (an ORM write, a session, a file, mail). Without
        that evidence the exemption is not reported."""
        if _VENDORED.search(self.path):
            return False  # vendored third-party code, not the service
        name = view.rsplit(".", 1)[-1]
        if name and (_GATEWAY_VIEW.search(name) or (_GATEWAY_FOLDER.search(self.path) and _GATEWAY_RETURN.search(name))):
            return False  # a payment gateway posts here; it cannot carry a CSRF token
        if self.definitions is None:
            return False
        evidence = views.Evidence(self.definitions)
        if func is None or isinstance(func, ast.ClassDef):
            cls = func if isinstance(func, ast.ClassDef) else None
            owner = [cls] if cls is not None else []
        else:
            cls = self.class_nodes[-1] if self.class_nodes else None
            owner = [cls] if cls is not None else []
        if cls is not None:
            owner = self.chain(cls)
        if views.drf_view(func, owner, views.drf_imports(self.definitions.tree)):
            return False  # DRF exempts its views itself and SessionAuthentication enforces CSRF: nothing switched off
        targets: list[ast.AST]
        if func is None:
            return False  # csrf_exempt(...) on a view this module does not define: no evidence
        base = isinstance(func, ast.ClassDef) or getattr(func, "name", "") == "dispatch"
        if base:
            # the nearest handler of each method (an heir's post overrides its base's); one a token or an
            # AJAX-only decorator lets in is not reached with the session
            handlers: dict[str, ast.AST] = {}
            for c in owner:
                for f in c.body:
                    if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name in ("post", "put", "patch", "delete"):
                        handlers.setdefault(f.name, f)
            targets = [f for f in handlers.values() if not self.handler_explained(f)]
        else:
            targets = [func]
        dispatch = [f for c in owner for f in c.body if isinstance(f, ast.FunctionDef) and f.name == "dispatch"][:1]
        for target in targets + dispatch:
            if evidence.not_session(target, owner, _SIGNATURE_CHECK):
                return False
        # held-out round 12 (Crypt-Server's checkin): a view that never reads the user, the session or a cookie
        # does for a forged cross-site request only what it does for anyone's direct request
        if any(evidence.changes_state(t, owner) for t in targets) and \
                (any(evidence.uses_session(t, owner) for t in targets + dispatch) or views.signed_in_only(func, owner)
                 or views.signed_in_only(None, [], self.inline)):
            return True
        # held-out round 13 (OnlineJudge's CSRFExemptAPIView): a base view's exemption does its harm in the views
        # that inherit it, in other modules
        return base and cls is not None and self.heirs_do_harm(cls)

    def chain(self, cls: ast.ClassDef) -> list[ast.ClassDef]:
        """The class and its bases: across modules for an heir the index found, else those of its module."""
        known = self.chains.get(id(cls))
        if known is not None:
            return known
        return views.class_chain(cls, self.target_tree or (self.definitions.tree if self.definitions is not None else None))

    def handler_explained(self, func: ast.AST) -> bool:
        """A ``post``/``put``/... whose own decorators keep the session out: a token or
        key decorator, an AJAX-only one, one that requires an ``Authorization`` header."""
        for dec in _unwrapped(getattr(func, "decorator_list", [])):
            last = _dotted(dec.func if isinstance(dec, ast.Call) else dec).rsplit(".", 1)[-1]
            if _TOKEN_AUTH.search(last) or _AJAX_ONLY.search(last):
                return True
            if self.definitions is not None and self.definitions.header_auth(dec):
                return True
        return False

    def heirs_do_harm(self, base: ast.ClassDef) -> bool:
        """Held-out round 13: some view that inherits the exemption of ``base`` (a class
        whose ``dispatch`` is exempt), anywhere in the repository, would be reported
        were the exemption its own: it writes for the browser session and nothing the
        hook knows explains it (a reason comment, a protocol's name, a signature or
        token check, DRF, a view that reads no session). Kept in :attr:`inherited`
        for the message, which names them."""
        if id(base) in self.inherited:
            return bool(self.inherited[id(base)][1])
        self.inherited[id(base)] = (0, [], False)
        if not self.follow_heirs or self.index is None or self.definitions is None:
            return False
        from hooks.core.cache import not_kept

        not_kept()  # an heir may be added or changed in any module: this file's findings are not kept between runs
        found = self.index.heirs(base, self.path, self.chain(base), self.in_scope)
        harmful: list[tuple[str, str, int]] = []
        judged = 0
        for heir in found:
            if len(harmful) >= _NAMED_HEIRS or judged >= _JUDGED_HEIRS:
                break  # enough to name (the message says "at least"), or a framework's base: a commit stays cheap
            if _VENDORED.search(heir.module.path) or _own_csrf_decorator(heir.cls):
                continue  # exempt (or protected) again by itself: its own finding, or none
            judged += 1
            judge = Finder(heir.module.path, False, self.home, heir.module.lines, False, heir.module.decorators)
            judge.csrf_off, judge.follow_heirs = self.csrf_off, False
            judge.chains[id(heir.cls)] = heir.chain
            if not judge.exempt_explained(heir.cls, heir.cls.name, heir.cls):
                harmful.append((heir.cls.name, heir.module.path, heir.cls.lineno))
        self.inherited[id(base)] = (len(found), harmful, judged < len(found) and len(harmful) >= _NAMED_HEIRS)
        return bool(harmful)

    def class_explained(self, cls: ast.ClassDef) -> bool:
        """A class-based view (``@method_decorator(csrf_exempt, name="dispatch")``) whose
        unsafe-method handlers, in the class or its bases in this module, all change
        nothing (micromasters' ReactView.post redirects to GET), or that signs the
        caller in from a protocol's own credentials (an LTI launch:
        ``authenticate(request=request, lti=lti)`` in a mixin's dispatch)."""
        chain = self.chain(cls)
        handlers = [f for c in chain for f in c.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and f.name in ("post", "put", "patch", "delete")]
        if handlers and all(views.read_only(f) for f in handlers):
            return True
        return any(views.protocol_login(c) for c in chain)

    def checked_origin(self, func: ast.FunctionDef | ast.AsyncFunctionDef, value: ast.expr) -> bool:
        """Held-out round 10 (appenlight's ``check_cors``): ``Access-Control-Allow-Origin``
        echoes the request's ``Origin`` only in a branch taken after the origin was
        checked against an allow-list (per tenant, from the database or the config:
        ``if domain in origin``, ``origin in allowed``, ``pattern.match(origin)``), and
        the function sends no ``Access-Control-Allow-Credentials``. Only listed sites
        get an answer, and browsers send them no cookies with it."""
        if not self.if_tests or _literal(value)[0]:
            return False
        if any(isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.lower() == "access-control-allow-credentials"
               for n in ast.walk(func)):
            return False
        names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
        sources = [n.value for n in ast.walk(func) if isinstance(n, ast.Assign) and n.value is not None
                   and any(isinstance(t, ast.Name) and t.id in names for t in n.targets)]
        if not any(re.search(r"(?i)origin", ast.unparse(e)) for e in [value, *sources]):
            return False  # not the request's Origin
        origin = names | {"origin"}

        def mentions(node: ast.AST) -> bool:
            return any(isinstance(n, ast.Name) and n.id in origin or isinstance(n, ast.Constant) and isinstance(n.value, str)
                       and n.value.lower() in ("origin", "http_origin") for n in ast.walk(node))

        for n in ast.walk(func):
            if isinstance(n, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn, ast.Eq, ast.NotEq)) for op in n.ops) \
                    and mentions(n) and not any(isinstance(c, ast.Constant) and not c.value for c in [n.left, *n.comparators]):
                return True  # if domain in origin / origin in allowed
            if isinstance(n, ast.Call) and any(mentions(a) for a in n.args) and re.search(
                    r"(?i)match|search|allowed|valid|check|trusted|startswith|endswith", _name(n.func)):
                return True  # re.match(pattern, origin), is_allowed_origin(origin)
        return False

    def configured_wildcard(self) -> bool:
        """``if "*" in app.config["CORS_ORIGINS"]: headers["Access-Control-Allow-Origin"] = "*"``
        in the project's own middleware or after-request hook (held-out round 9, balrog):
        the value is chosen by the config, so the policy is reviewed where the config is."""
        if not self.in_middleware() or not self.function_stack:
            return False
        func = self.function_stack[-1]
        if any(isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.lower() == "access-control-allow-credentials"
               for n in ast.walk(func)):
            return False
        return any(_reads_settings(test) for test in self.if_tests)

    def public_endpoint(self) -> bool:
        if self.in_middleware():
            return False  # a middleware or after-request hook sends it on every response, the writing ones too
        owner = self.class_nodes[-1:] if self.class_nodes else []
        if owner and self.definitions is not None:
            owner = views.class_chain(owner[0], self.definitions.tree)
        evidence = views.Evidence(self.definitions) if self.definitions is not None else None
        return _public_wildcard(self.function_stack, owner, evidence)

    def public_document(self) -> bool:
        """The enclosing view serves a public document (``/.well-known/...``, a JSON feed):
        its route, name or docstring says so."""
        func = self.function_stack[-1] if self.function_stack else None
        if func is None:
            return False
        texts = [func.name.replace("_", " "), ast.get_docstring(func) or ""]
        for dec in func.decorator_list:
            if isinstance(dec, ast.Call):
                texts += [a.value for a in dec.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        return any(_PUBLIC_DOCUMENT.search(t) for t in texts)

    def scope(self) -> ast.AST | None:
        """The function being read, else the module: where a local name's value is looked up."""
        return self.function_stack[-1] if self.function_stack else self.module

    def add(self, node: ast.AST, message: str, *identity: str) -> None:
        self.found.append((getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1, message, identity))

    def hidden(self, what: str, why: str = "") -> str:
        home = self.home or "the settings"
        return f"{what} outside the settings modules: reviewers of {home} will not see it{why}; set it in {self.home or 'the settings module'}"

    # -- development-only code ------------------------------------------
    def visit_If(self, node: ast.If) -> None:
        """``if settings.DEBUG:`` / ``if DEBUG:`` / ``if app.debug:``: the block runs on a
        developer's machine only (held-out round 8: snippets' media server in urls.py)."""
        if _debug_test(node.test):
            for stmt in node.orelse:
                self.visit(stmt)
            return
        self.visit(node.test)
        self.if_tests.append(node.test)  # what chooses the branch (configured_wildcard reads it)
        for stmt in node.body + node.orelse:
            self.visit(stmt)
        self.if_tests.pop()

    # -- assignments ---------------------------------------------------
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if _CONFIG_CLASS.search(node.name):
            return  # a config class is config, wherever it lives
        self._decorators(node)  # @method_decorator(csrf_exempt, name="dispatch")
        self.class_stack.append(node.name)
        self.class_nodes.append(node)
        self.generic_visit(node)
        self.class_nodes.pop()
        self.class_stack.pop()

    def visit_Module(self, node: ast.Module) -> None:
        self.module = node
        # the names handed back to os.umask(...): the masks a query-and-restore saved
        restores = {a.id for n in ast.walk(node) if isinstance(n, ast.Call) and _dotted(n.func) in ("os.umask", "umask")
                    for a in n.args[:1] if isinstance(a, ast.Name)}
        for n in ast.walk(node):
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call) and _dotted(n.value.func) in ("os.umask", "umask") \
                    and any(isinstance(t, ast.Name) and t.id in restores for t in n.targets):
                self.restored.add(id(n.value))
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        start = len(self.found)
        for target in node.targets:
            self._target(target, node.value)
        # held-out round 11 (burp-ui's SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = ...): one chained
        # statement that sets several settings is one finding, its identity naming them all
        settings = [f for f in self.found[start:] if f[3] and f[3][0] == "setting"]
        if len(settings) > 1:
            first = settings[0]
            merged = (first[0], first[1], first[2], first[3] + tuple(n for f in settings[1:] for n in f[3][1:]))
            self.found[start:] = [merged] + [f for f in self.found[start:] if f not in settings]
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._target(node.target, node.value)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._target(node.target, node.value)
        self.generic_visit(node)

    def header_belongs(self, key: str, value: ast.expr | None, node: ast.AST) -> bool:
        """A security header set where it belongs: the project's own middleware
        (unless the value switches the protection off), or one view with a
        comment saying why."""
        if _CORS_MODULE.search(self.path) and key.lower().startswith("access-control-"):
            return True
        if _tightens(key, value):
            return True  # X-Frame-Options: DENY, a CSP with no unsafe- or * source: stricter than the settings, on purpose
        weak = _WEAK_HEADER_VALUES.get(key.lower(), ())
        literal = _const(value) if value is not None else None
        if isinstance(literal, str) and literal.strip().lower() in weak:
            if key.lower() == "access-control-allow-origin" and self.public_document():
                return True  # a discovery document or feed is meant to be read from any origin
            if key.lower() == "access-control-allow-origin" and self.function_stack and _shared_cacheable(self.function_stack[-1]):
                return True  # a response any shared cache may keep and serve to anyone is public already
            if key.lower() == "access-control-allow-origin" and self.configured_wildcard():
                return True  # the app's after-request hook sends * only when the configured origins say so (balrog's CORS_ORIGINS)
            if key.lower() == "access-control-allow-origin" and self.public_endpoint():
                return True  # a read-only endpoint for anyone: the protocol's per-endpoint exception
            # switched off on purpose, with a comment saying so ("pass it through and add A-C-A-O: *")
            return bool(_WEAK_REASON.search(self.comment_near(getattr(node, "lineno", 1), 3)))
        if self.in_middleware():
            return True
        func = self.function_stack[-1] if self.function_stack else None
        if func is not None and key.lower() == "access-control-allow-origin" and value is not None and self.checked_origin(func, value):
            return True  # the caller's Origin sent back only once it matched an allow-list, with no credentials
        if func is not None and literal is None and value is not None and _reads_settings(func):
            return True  # the allowed origins come from the settings: the policy is configured there
        start = func.lineno if func is not None else getattr(node, "lineno", 1)
        # a comment in the view above the line, saying what the header is for
        return func is not None and any(_HEADER_REASON.search(self.comment_near(n, 0)) for n in range(start, getattr(node, "lineno", start) + 1))

    def _target(self, target: ast.expr, value: ast.expr) -> None:
        if self.factory and isinstance(target, ast.Subscript) and _dotted(target.value).split(".")[-1] == "config":
            return  # app.config[...] in the app factory that loads the config object: the framework's place
        if _loads_secret(target, value):
            return  # config.SECRET_KEY = Keys.query...: the secret is loaded from the app's own store, its policy is unchanged
        key = target.attr if isinstance(target, ast.Attribute) else _const(target.slice) if isinstance(target, ast.Subscript) \
            else target.id if isinstance(target, ast.Name) else None
        if _switches_on(key, value) or _safe_literal(key, value):
            return  # a protection switched on (REMEMBER_COOKIE_HTTPONLY = True, DEBUG = False): the safe value, nothing hidden
        if isinstance(key, str) and key in SETTING_NAMES and _from_config(value, self.scope()):
            return  # computed from the configuration (the stored site config, the environment): its choice, applied here
        if isinstance(target, ast.Attribute) and target.attr in SETTING_NAMES and _dotted(target.value).split(".")[-1] in ("settings", "conf", "config"):
            self.add(target, self.hidden(f"settings.{target.attr} is changed at run time"), "setting", target.attr)
        elif isinstance(target, ast.Subscript):
            key = _const(target.slice)
            owner = _dotted(target.value)
            if isinstance(key, str) and key in SETTING_NAMES and owner.split(".")[-1] in ("config", "settings"):
                self.add(target, self.hidden(f"{owner}[{key!r}] is set"), "setting", key)
            elif isinstance(key, str) and key.lower() in SECURITY_HEADERS and not self.header_belongs(key, value, target):
                self.add(target, f"the {key} header is set in code, outside the settings modules: reviewers of "
                                 f"{self.home or 'the settings'} will not see it; send it from the security settings (middleware) or the proxy",
                         "header", key.lower())
        elif isinstance(target, ast.Name) and target.id in SETTING_NAMES and not self.class_stack and not self.config_named \
                and not self.function_stack and target.id not in ("DEBUG", "LOGGING", "MIDDLEWARE") and target.id not in _GENERIC_NAMES:
            self.add(target, self.hidden(f"{target.id} is assigned"), "setting", target.id)

    # -- calls and decorators -----------------------------------------
    def _decorators(self, node: ast.AST) -> None:
        for outer in getattr(node, "decorator_list", []):
            wrapped = isinstance(outer, ast.Call) and _name(outer.func) == "method_decorator"
            if isinstance(node, ast.ClassDef) and not wrapped:
                continue  # a class's @override_settings(...) is reported as the call it is
            self.decorators.add(id(outer))
            for dec in _unwrapped([outer]):
                self._decorator(node, outer, dec, wrapped)

    def _decorator(self, node: ast.AST, outer: ast.expr, dec: ast.expr, wrapped: bool) -> None:
        name = _name(dec)
        if name in EXEMPT_DECORATORS or _dotted(dec.func if isinstance(dec, ast.Call) else dec) in ("csrf.exempt", "csrf_protect.exempt"):
            shown = _dotted(dec.func if isinstance(dec, ast.Call) else dec) or name
            view = getattr(node, "name", "")
            if self.class_stack and not isinstance(node, ast.ClassDef):
                view = f"{self.class_stack[-1]}.{view}"  # BaseSPView.dispatch: the class names the view
            if name == "xframe_options_exempt" and _FRAMED_VIEW.search(view):
                return  # a view meant to be framed (an embed, an LTI tool's page): framing is its purpose
            if self.wraps_exempt_view(node, name):
                return  # held-out round 12 (lernanta's upload_image): one hole, reported at the view it wraps
            if self.exempt_explained(outer, view, node, csrf=name not in ("xframe_options_exempt", "csp_exempt")):
                return
            written = f"method_decorator({shown})" if wrapped else shown
            base = node if isinstance(node, ast.ClassDef) else self.class_nodes[-1] if self.class_nodes else None
            count, harmful, more = self.inherited.get(id(base), (0, [], False)) if base is not None else (0, [], False)
            if harmful:
                self.add(outer, f"@{written} switches a protection off for this base view and the {count} "
                                f"view{'s' if count != 1 else ''} that inherit it, {_writers(harmful, more)}: keep it only as a "
                                f"reviewed exception, with {_MARKER}, or exempt only the views that need it",
                         "exempt", name if wrapped else shown)
                return
            self.add(outer, f"@{written} switches a protection off for this view{_EXEMPT_EFFECT.get(name, '')}: keep it only as a "
                          f"reviewed exception, with `# legacy-config: ignore[security-settings-in-one-place] <reason>`"
                          f"{_EXEMPT_NARROWER.get(name, '')}", "exempt", name if wrapped else shown)
        elif name in ("override_settings", "modify_settings") and isinstance(dec, ast.Call) and _security_kwargs(dec):
            self.add(dec, self.hidden(f"@{name}({', '.join(_security_kwargs(dec))}=...) changes security settings in non-test code"), "override", name)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._decorators(node)
        self.function_stack.append(node)
        self.generic_visit(node)
        self.function_stack.pop()

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._decorators(node)
        self.function_stack.append(node)
        self.generic_visit(node)
        self.function_stack.pop()

    def _talisman_weak(self, node: ast.Call) -> list[str]:
        return [kw.arg for kw in node.keywords if kw.arg in ("force_https", "strict_transport_security", "session_cookie_secure",
                                                               "session_cookie_http_only", "content_security_policy", "frame_options")
                and _is_false(kw.value) and not _REASON.search(self.comment_near(kw.value.lineno, 1) or "") and not self.comment_near(kw.value.lineno, 1)]

    def _in_factory(self, name: str, dotted: str, node: ast.Call) -> bool:
        return self.factory and (dotted.endswith(("config.update", "config.from_mapping")) or name in ("Talisman", "CORS")) \
            and not (name == "Talisman" and self._talisman_weak(node))

    def _exempt_call_explained(self, node: ast.Call) -> bool:
        """``csrf_exempt(ZendeskWebhookView.as_view())``, or with a reason comment;
        the view is read where the module defines or imports it."""
        view = node.args[0].func if isinstance(node.args[0], ast.Call) else node.args[0]
        target: ast.AST | None = None
        shown = ""
        if self.definitions is not None:
            if isinstance(view, ast.Attribute) and view.attr == "as_view" and isinstance(view.value, ast.Name):
                found = self.definitions.class_definition(view.value.id)
                target = found[0] if found is not None else None
                self.target_tree = found[1] if found is not None else None
            elif isinstance(view, ast.Name):
                hit = self.definitions._definition(view.id)
                target = hit[0] if hit is not None else None
            elif isinstance(view, ast.Attribute) and isinstance(view.value, ast.Name) and view.value.id == "self" \
                    and self.class_nodes:
                # held-out round 14: a url list built in a class (an app's get_urls) exempts one of its methods
                cls = self.class_nodes[-1]
                target = next((f for c in self.chain(cls) for f in c.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                               and f.name == view.attr), None)
                shown = f"{cls.name}.{view.attr}"
        self.inline = self.wrapped_in.get(id(node), [])  # login_required(csrf_exempt(view)): decorators applied inline
        try:
            return self.exempt_explained(node, shown or _dotted(view), target)
        finally:
            self.target_tree = None
            self.inline = []

    def _weak_update(self, node: ast.Call) -> list[str]:
        """The security settings ``app.config.update(...)`` sets, but not those given
        their safe value (``DEBUG=False``) or a value the configuration computed."""
        values: dict[str, ast.expr] = {kw.arg: kw.value for kw in node.keywords if kw.arg in SETTING_NAMES}
        if node.args and isinstance(node.args[0], ast.Dict):
            values.update({k.value: v for k, v in zip(node.args[0].keys, node.args[0].values)
                           if isinstance(k, ast.Constant) and isinstance(k.value, str) and k.value in SETTING_NAMES})
        return [k for k, v in values.items() if not (_safe_literal(k, v) or _switches_on(k, v) or _from_config(v, self.scope()))]

    def _note_wrapped(self, node: ast.Call) -> None:
        """``login_required(csrf_exempt(view))``: the calls around each call argument, outermost first."""
        around = self.wrapped_in.get(id(node), []) + [node.func]
        for arg in node.args:
            if isinstance(arg, ast.Call):
                self.wrapped_in[id(arg)] = around

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        dotted = _dotted(node.func)
        self._note_wrapped(node)
        if id(node) in self.decorators:
            pass  # reported as a decorator
        elif name in EXEMPT_DECORATORS and node.args and not self._exempt_call_explained(node):  # csrf_exempt(GraphQLView.as_view())
            self.add(node, f"{name}(...) switches a protection off for this view: keep it only as a reviewed exception, "
                           f"with `# legacy-config: ignore[security-settings-in-one-place] <reason>`", "exempt", name)
        elif name in ("add", "set", "setdefault", "add_header", "__setitem__") and "headers" in dotted.lower() and node.args \
                and isinstance(_const(node.args[0]), str) and str(_const(node.args[0])).lower() in SECURITY_HEADERS \
                and not self.header_belongs(str(_const(node.args[0])), node.args[1] if len(node.args) > 1 else None, node):
            key = str(_const(node.args[0]))
            self.add(node, f"the {key} header is set in code, outside the settings modules: reviewers of "
                           f"{self.home or 'the settings'} will not see it; send it from the security settings (middleware) or the proxy",
                     "header", key.lower())
        elif dotted.endswith("settings.configure") and (_security_kwargs(node) or node.args):
            # settings.configure(USE_I18N=True) in a tool sets no security setting
            self.add(node, self.hidden("settings.configure(...) sets settings in code"), "configure", "settings.configure")
        elif name in ("override_settings", "modify_settings") and _security_kwargs(node):
            self.add(node, self.hidden(f"{name}({', '.join(_security_kwargs(node))}=...) changes security settings in non-test code"), "override", name)
        elif self._in_factory(name, dotted, node):
            pass  # the app factory that loads its config object: the framework's place for app-wide switches
        elif dotted.endswith(("config.update", "config.from_mapping")):
            keys = self._weak_update(node)
            if keys:
                self.add(node, self.hidden(f"{dotted}(...) sets {', '.join(keys)}"), "setting", *keys)
        elif name == "Talisman":
            weak = self._talisman_weak(node)
            if weak:
                settings = ", ".join(k + "=" + ast.unparse(_kw(node, k)) for k in weak)  # type: ignore[arg-type]
                self.add(node, self.hidden(f"Talisman({settings}) switches protection off"), "talisman", *weak)
        elif name == "CORS" and not node.args and not node.keywords:
            pass  # cors = CORS(): an extension object, configured by init_app from the app's config
        elif name == "CORS":
            origins = _kw(node, "origins")
            value = _const(origins) if origins is not None else "*"
            if value == "*":
                self.add(node, self.hidden("CORS(...) allows every origin"), "cors", "*")
        elif name in ("add_middleware", "Middleware") and node.args and _name(node.args[0]) == "SessionMiddleware" \
                and any(_is_false(_kw(node, k)) for k in ("https_only", "httponly", "secure")):
            weak = [k for k in ("https_only", "httponly", "secure") if _is_false(_kw(node, k))]
            self.add(node, self.hidden(f"SessionMiddleware({', '.join(k + '=False' for k in weak)}) sends the session cookie unprotected"), "session", *weak)
        elif name == "add_middleware" and node.args and _name(node.args[0]) == "CORSMiddleware" and not self.creates_app:
            self.add(node, self.hidden("add_middleware(CORSMiddleware) is outside the module that creates the app"), "cors-middleware", "CORSMiddleware")
        elif name == "set_cookie":
            cookie = _const(node.args[0]) if node.args else _const(_kw(node, "key"))
            # a double-submit CSRF token cookie must be readable by JS (Django's CSRF_COOKIE_HTTPONLY = False default)
            token_cookie = isinstance(cookie, str) and bool(_TOKEN_COOKIE.search(cookie))
            weak = [k for k in ("secure", "httponly") if _is_false(_kw(node, k)) and not (k == "httponly" and token_cookie)]
            if "httponly" in weak and self.cookie_reason(node):
                weak.remove("httponly")  # readable from JS on purpose, the comment says why (lastuser's hasuser flag)
            if weak:
                self.add(node, f"set_cookie(..., {', '.join(k + '=False' for k in weak)}) sends the cookie unprotected, outside the "
                               f"settings modules: reviewers of {self.home or 'the settings'} will not see it; drop the override", "cookie", *weak)
        elif name in ("SignedCookieSessionFactory", "BaseCookieSessionFactory", "SessionMiddleware", "AuthTktAuthenticationPolicy"):
            weak = [k for k in ("secure", "httponly", "https_only") if _is_false(_kw(node, k))]
            if weak:
                self.add(node, self.hidden(f"{name}({', '.join(k + '=False' for k in weak)}) sends the session cookie unprotected"), "session", *weak)
        else:
            self._permissions(node, dotted)
        self.generic_visit(node)

    def socket_mode(self, call: ast.Call, path: ast.expr | None) -> bool:
        """The mode is a Unix socket's (held-out round 15: FreedomBox's privileged daemon,
        ``address_path.chmod(0o666)  # All users are allowed to connect``): connect() needs write
        permission, so a world-writable mode is how a socket lets its clients in. A socket is a path
        named for one (``*.sock``, ``socket_path``), a path the same function binds or hands to a
        socket server's ``__init__`` (also through ``p = Path(address)``), or a comment on the call
        that says clients connect."""
        if path is None:
            return False
        if _SOCKET_PATH.search(ast.unparse(path)):
            return True
        if _SOCKET_COMMENT.search(self.comment_near(call.lineno, above=1)):
            return True
        func = self.function_stack[-1] if self.function_stack else None
        if func is None:
            return False
        names = {n.id for n in ast.walk(path) if isinstance(n, ast.Name)} - {"self", "os"}
        for stmt in ast.walk(func):  # p = pathlib.Path(address): p is address
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id in names for t in stmt.targets):
                names |= {n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)} - {"self", "os", "pathlib", "Path"}
        server = any(_SOCKET_SERVER.search(_dotted(base)) for cls in self.class_nodes[-1:] for base in cls.bases)
        for n in ast.walk(func):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and \
                    (n.func.attr == "bind" or (n.func.attr == "__init__" and server)) and \
                    any(isinstance(a, ast.Name) and a.id in names for a in n.args[:1]):
                return True
        return False

    def _permissions(self, node: ast.Call, dotted: str) -> None:
        mask = node.args[0].value if dotted in ("os.umask", "umask") and node.args and isinstance(node.args[0], ast.Constant) else None
        # not the restore (a variable), nor a mask that tightens (0o077, 0o027: no file is world-writable)
        if isinstance(mask, int) and not isinstance(mask, bool) and not mask & 0o002 and id(node) not in self.restored:
            self.add(node, f"os.umask(0o{mask:03o}) lets every file the process creates be world-writable: any local user can change "
                           f"them; keep 0o002 (or stricter) in the mask, or keep it as a reviewed exception with {_MARKER}", "umask", "os.umask")
        elif dotted.endswith("chmod") and node.args:
            mode = node.args[-1] if dotted in ("os.chmod", "chmod") and len(node.args) > 1 else node.args[0] if not dotted.startswith("os.") else None
            value = _const(mode)
            path = node.args[0] if dotted in ("os.chmod", "chmod") and len(node.args) > 1 else \
                node.func.value if isinstance(node.func, ast.Attribute) and not dotted.startswith("os.") else None
            if isinstance(value, int) and not isinstance(value, bool) and value & 0o002 and not self.socket_mode(node, path):
                narrow = oct(value & ~0o022)
                self.add(node, f"{dotted}(..., {oct(value)}) makes a file world-writable: any local user can change it; {narrow} keeps "
                               f"it readable without that, or keep it as a reviewed exception with {_MARKER}", "chmod", oct(value))
