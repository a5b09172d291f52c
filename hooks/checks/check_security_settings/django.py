"""The Django checklist, judged on a resolved settings namespace.

Defaults are Django's (3.0+): a setting that is not set is judged by the value
Django uses then. SECURE_* items are judged only when SecurityMiddleware is in
MIDDLEWARE (without it the header is not sent and that item is reported
instead), cookie items only when sessions / CSRF are in use: as Django's own
``check --deploy`` does.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Callable

from hooks.checks.check_security_settings import subclasses
from hooks.checks.check_security_settings.servers import Servers
from hooks.checks.check_security_settings.verdict import (
    ENV,
    LITERAL,
    MET,
    MISSING,
    NOT_MET,
    OPAQUE,
    SECRET,
    UNKNOWN_STATUS,
    Result,
    Val,
    contains,
    describe,
    judge,
)
from hooks.common.settings_layers import Namespace
from hooks.config import python_trees
from hooks.core import masking

SECURITY_MW = "django.middleware.security.SecurityMiddleware"
XFRAME_MW = "django.middleware.clickjacking.XFrameOptionsMiddleware"
CSRF_MW = "django.middleware.csrf.CsrfViewMiddleware"
SESSION_MW = "django.contrib.sessions.middleware.SessionMiddleware"
# Third-party middlewares that do a Django middleware's job (held-out round 14):
# django-session-csrf keeps the CSRF token in the session (no CSRF cookie, no CsrfViewMiddleware);
# django-secure's SecurityMiddleware is the one Django 1.8 took in, with the same SECURE_* settings
# (but nosniff off by default) plus SECURE_FRAME_DENY; commonware's StrictTransportMiddleware sends
# HSTS for STS_MAX_AGE seconds (a month unless set).
SESSION_CSRF_MW = "session_csrf.CsrfMiddleware"
DJANGOSECURE_MW = "djangosecure.middleware.SecurityMiddleware"
COMMONWARE_STS_MW = "commonware.middleware.StrictTransportMiddleware"
# commonware's FrameOptionsHeader (playdoh/funfactory) sends X-Frame-Options: DENY unless a view sets its own
# (held-out round 16); X_FRAME_OPTIONS is not read. commonware.middleware re-exports it from commonware.response.middleware.
COMMONWARE_XFRAME_MW = "commonware.middleware.FrameOptionsHeader"
COMMONWARE_XFRAME_MWS = (COMMONWARE_XFRAME_MW, "commonware.response.middleware.FrameOptionsHeader")
COMMONWARE_STS_DEFAULT = 60 * 60 * 24 * 30
SESSIONS_APP = "django.contrib.sessions"
REFERRER_POLICIES = {"no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin",
                     "same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url"}
COOP_POLICIES = {"same-origin", "same-origin-allow-popups", "unsafe-none"}
INSECURE_PREFIX = "django-insecure-"


def weak_secret(value: Any) -> str | None:
    """Why Django's W009 would call this key weak, or None."""
    if not isinstance(value, str) or not value:
        return "it is empty"
    if value.startswith(INSECURE_PREFIX):
        return f"it starts with {INSECURE_PREFIX!r}"
    if len(value) < 50:
        return f"it has {len(value)} characters (fewer than 50)"
    if len(set(value)) < 5:
        return f"it has {len(set(value))} distinct characters (fewer than 5)"
    return None


# A comment that says why a setting is so ("Allow same-origin iframes (e.g. dashboard project preview
# modal)", "needed for bulk deletion"), not a marker of unfinished or unsafe work.
_REASON = re.compile(r"\b(because|since|so that|so the|needed|needs?|required|requires?|allows?|allowing|to let|to permit|permits?"
                     r"|otherwise|breaks?|would break|due to|e\.g\.|i\.e\.|used by|used in|used for|behind|handled by|terminat\w*"
                     r"|iframes?|embed\w*|framed|on purpose|intentional\w*|deliberate\w*)\b", re.I)
_NOT_A_REASON = re.compile(r"\b(TODO|FIXME|XXX|HACK|SECURITY WARNING|insecure|unsafe|not secure|dangerous|temporar\w*|for now"
                           r"|development|local(ly)?|dev only|testing|debug(ging)?|change (it|this|me)|don'?t run)\b", re.I)


def gives_reason(comment: str) -> bool:
    """A sentence that gives a reason: three words or more, a reason word, no
    TODO/FIXME/"insecure"/"for development" (a restated name is no reason)."""
    words = re.findall(r"[A-Za-z][\w'-]*", comment)
    return len(comment) >= 12 and len(words) >= 3 and bool(_REASON.search(comment)) and not _NOT_A_REASON.search(comment)


# Words of a reason to leave CSRF middleware out, besides gives_reason's ("Admin overrides this, so
# unless we add any forms not in the admin no need to enable", "disabled: the API uses token auth").
_CSRF_REASON = re.compile(r"\b(disabl\w*|turned off|no need|not needed|unnecessary|overrides?|overridden|csrf_protect|csrf_exempt"
                          r"|protect\w*|tokens?|stateless|no (cookies?|sessions?|forms?)|not use\w*|only)\b", re.I)


def _csrf_reason(comment: str) -> bool:
    return gives_reason(comment) or (len(re.findall(r"[A-Za-z][\w'-]*", comment)) >= 3 and bool(_CSRF_REASON.search(comment))
                                     and not _NOT_A_REASON.search(comment))


def _is_code(text: str) -> bool:
    """A commented-out line of Python (``'django.middleware.csrf.CsrfViewMiddleware',``), not prose."""
    text = text.strip().rstrip(",").strip()
    if not text:
        return False
    try:
        python_trees.parse(text, "<comment>", report=False)
    except (SyntaxError, ValueError):
        return False
    return not re.fullmatch(r"[A-Za-z]+", text)  # a lone word is prose


def _list_end(lines: list[str], start: int) -> int:
    """The line (1-based) that closes the list or tuple opened at line ``start``: the first line from
    it whose brackets balance (or ``start`` when the file cannot show one)."""
    depth = 0
    for n in range(start - 1, len(lines)):
        code = lines[n].partition("#")[0]
        depth += code.count("(") + code.count("[") - code.count(")") - code.count("]")
        if depth <= 0 and n >= start - 1 and ("(" in lines[start - 1] or "[" in lines[start - 1]):
            return n + 1
    return start


def is_django(ns: Namespace) -> bool:
    return any(name in ns for name in ("INSTALLED_APPS", "MIDDLEWARE", "MIDDLEWARE_CLASSES", "ROOT_URLCONF", "WSGI_APPLICATION"))


class _Judge:
    def __init__(self, ns: Namespace, servers: Servers, strict: bool, entry: str, dictconfig: str,
                 read: Callable[[str], str | None] | None = None,
                 module_file: Callable[[str], str | None] | None = None, version: tuple[int, ...] | None = None) -> None:
        self.read = read
        self.version = version  # the lowest Django the repo pins, if it pins one
        self.module_file = module_file
        self._ancestors: dict[str, set[str]] = {}
        self.ns = ns
        self.servers = servers
        self.strict = strict
        self.entry = entry
        # "path:line" of a logging.config.dictConfig call in the layers, or of a
        # logging set-up anywhere in the service's code ("basicConfig path:line")
        self.dictconfig_call, _, self.dictconfig = dictconfig.rpartition(" ")
        self.out: list[Result] = []

    def get(self, name: str) -> Sequence[Val]:
        return self.ns.get(name) or (Val(MISSING),)

    def add(self, item: str, status: str, setting: str, text: str, advice: str = "", val: Val | None = None) -> None:
        path = val.path if val is not None and val.kind != MISSING else ""
        line = val.line if val is not None and val.kind != MISSING else 0
        self.out.append(Result(item, status, setting, text, advice, path, line))  # type: ignore[arg-type]

    def setting(self, item: str, name: str, ok: Callable[[Any], bool | None], default: Any, why: str,
                advice: str, default_text: str = "", octal: bool = False) -> None:
        status, val = judge(name, self.get(name), ok, default)
        text = describe(name, val, default_text=default_text, octal=octal)
        if self._reviewed(item, status, name, text, val):
            return
        self.add(item, status, name, f"{text}{', ' + why if status != MET and why else ''}", advice if status != MET else "", val)

    def _reviewed(self, item: str, status: str, name: str, text: str, val: Val) -> bool:
        """A value set so on purpose, the comment on or above it says why
        (``# Allow same-origin iframes (e.g. the preview modal)``): a reviewed
        choice, unknown with the reason, not a finding."""
        reason = self.explained(val) if status == NOT_MET else ""
        if reason:
            self.add(item, UNKNOWN_STATUS, name, f"{text}, on purpose: {reason}", "", val)
        return bool(reason)

    def middleware_name(self) -> str:
        """The setting that holds the middleware: MIDDLEWARE_CLASSES where only it is set, or where
        neither is and the pinned Django is older than 1.10 (which has no MIDDLEWARE)."""
        if "MIDDLEWARE" in self.ns:
            return "MIDDLEWARE"
        if "MIDDLEWARE_CLASSES" in self.ns or (self.version is not None and self.version < (1, 10)):
            return "MIDDLEWARE_CLASSES"
        return "MIDDLEWARE"

    def middleware(self) -> Sequence[Val]:
        return self.get(self.middleware_name())

    def _pinned(self) -> str:
        return ".".join(str(p) for p in self.version) if self.version is not None else ""

    def has(self, possible: Sequence[Val], wanted: str, default: Any = ()) -> bool | None:
        """Is ``wanted`` in the list on every path (None: cannot tell)?"""
        answers = []
        for v in possible:
            value = default if v.kind == MISSING else v.value if v.visible else None
            answers.append(contains(self._with_bases(list(value)), wanted) if isinstance(value, (list, tuple)) else None)
        if any(a is False for a in answers):
            return False
        return None if any(a is None for a in answers) else True

    def _with_bases(self, items: list[Any]) -> list[Any]:
        """The list, with the Django classes a project's own class in it derives from
        (``myapp.middleware.AppSecurityMiddleware(SecurityMiddleware)`` counts as SecurityMiddleware),
        and Django's CSRF middleware for a dependency's class of the same name that the repository
        cannot show (``mtp_common.auth.csrf.CsrfViewMiddleware`` only adds a failure view: held-out
        round 16)."""
        extra: list[Any] = []
        for item in items:
            if isinstance(item, str) and "." in item and not item.startswith("django."):
                found: set[str] = set()
                if self.read is not None and self.module_file is not None:
                    if item not in self._ancestors:
                        self._ancestors[item] = subclasses.ancestors(item, self.module_file, self.read)
                    found = self._ancestors[item]
                if not found and item.rpartition(".")[2] == CSRF_MW.rpartition(".")[2]:
                    found = {CSRF_MW}
                extra += sorted(found)
        return items + extra

    def subclass_in(self, possible: Sequence[Val], wanted: str) -> str:
        """The project class in the list that stands for ``wanted`` (its subclass), if any."""
        for v in possible:
            if v.visible and isinstance(v.value, (list, tuple)):
                for item in v.value:
                    if isinstance(item, str) and wanted in self._ancestors.get(item, ()):
                        return item
        return ""

    def run(self) -> list[Result]:
        self.secrets()
        self.headers()
        self.permissions()
        self.uploads()
        self.logging()
        return self.out

    # ---- secrets ------------------------------------------------------
    def secrets(self) -> None:
        worst = None
        for val in self.get("SECRET_KEY"):
            verdict = self._secret_verdict("SECRET_KEY", val)
            if worst is None or (verdict[0] == NOT_MET) or (verdict[0] == UNKNOWN_STATUS and worst[0] == MET):
                worst = verdict
        assert worst is not None
        status, text, val = worst
        self.add("secrets.secret_key", status, "SECRET_KEY", text,
                 "read it from the environment with no default (e.g. env(\"DJANGO_SECRET_KEY\"))" if status == NOT_MET else "", val)
        fallbacks = [v for v in self.ns.get("SECRET_KEY_FALLBACKS", ()) if v.kind != MISSING]
        for val in fallbacks:
            if val.kind == LITERAL and isinstance(val.value, (list, tuple)):
                bad = [x for x in val.value if isinstance(x, str)]
                if bad:
                    reason = weak_secret(bad[0])
                    self.add("secrets.secret_key_fallbacks", NOT_MET, "SECRET_KEY_FALLBACKS",
                             f"SECRET_KEY_FALLBACKS holds {len(bad)} key(s) written in the settings ({masking.mask(bad[0])}"
                             + (f"; {reason}" if reason else "") + ")", "read each fallback from the environment", val)
                    return
            elif val.kind == ENV and val.has_default and isinstance(val.value, (list, tuple)) and val.value:
                self.add("secrets.secret_key_fallbacks", NOT_MET, "SECRET_KEY_FALLBACKS",
                         f"SECRET_KEY_FALLBACKS defaults to {len(val.value)} committed key(s) when {val.env} is unset",
                         "drop the default", val)
                return
        self.add("secrets.secret_key_fallbacks", MET, "SECRET_KEY_FALLBACKS",
                 "no committed fallback keys" if fallbacks else "SECRET_KEY_FALLBACKS is not set")

    def _secret_verdict(self, name: str, val: Val) -> tuple[str, str, Val]:
        loc = f" ({val.path}:{val.line})" if val.path and val.line else ""
        cond = f" {val.condition}" if val.condition else ""
        if val.kind == MISSING:
            return (NOT_MET, f"{name} is not set{cond}: Django refuses to start, or a layer sets it elsewhere", val)
        if val.kind == LITERAL and val.value in (None, ""):
            # SECRET_KEY = None in a base layer: a placeholder, not a key. Django refuses to start
            # with an empty SECRET_KEY (ImproperlyConfigured), so the deployer's layer must set it.
            return (UNKNOWN_STATUS, f"{name} is {val.value!r} here{cond}{loc}: Django refuses to start with an empty key, "
                                    "so the deployment's own settings layer sets it", val)
        if val.kind == LITERAL:
            reason = weak_secret(val.value)
            shown = masking.mask(val.value) if isinstance(val.value, str) else repr(val.value)
            return (NOT_MET, f"{name} is committed in the repository{cond} ({shown}){loc}"
                    + (f" and is weak: {reason}" if reason else "") + ": anyone with the repo can forge sessions", val)
        if val.kind == ENV and val.has_default and val.value in (None, ""):
            # SECRET_KEY = env("SECRET_KEY", default=None): Django refuses to start until it is set
            return (MET, f"{name} from the environment ({val.env}); unset, it is empty and Django refuses to start{loc}", val)
        if val.kind == ENV and val.has_default:
            reason = weak_secret(val.value)
            if reason:
                return (NOT_MET, f"{name} defaults to a weak key when {val.env} is unset{cond} ({reason}){loc}", val)
            if isinstance(val.value, str):
                # a fallback key in the repo, whatever its length: every install that forgets the
                # variable runs with a key anyone with the repo knows (the module is what production runs)
                shown = masking.mask(val.value)
                return (NOT_MET, f"{name} defaults to a key committed in the repository ({shown}) when {val.env} is unset{cond}{loc}: "
                                 "anyone with the repo can forge sessions on such an install", val)
            return (MET, f"{name} from {val.env} (its default is strong){loc}", val)
        if val.kind == ENV:
            return (MET, f"{name} from the environment ({val.env}){loc}", val)
        if val.kind == SECRET:
            return (MET, f"{name} from a secret file or store, or generated at random{loc}", val)
        return (UNKNOWN_STATUS, f"{name} is not a value this hook can read{loc}", val)

    # ---- headers and cookies -----------------------------------------
    def headers(self) -> None:
        mw = self.middleware()
        mw_name = self.middleware_name()
        present = {}
        session_csrf = self.has(mw, SESSION_CSRF_MW) is True
        djangosecure = self.has(mw, DJANGOSECURE_MW) is True
        commonware_xframe = any(self.has(mw, name) is True for name in COMMONWARE_XFRAME_MWS)
        for item, cls, nginx_header in (("headers.security_middleware", SECURITY_MW, None),
                                        ("headers.xframe_middleware", XFRAME_MW, "x-frame-options"),
                                        ("headers.csrf_middleware", CSRF_MW, None)):
            has = self.has(mw, cls)
            present[cls] = has
            val = mw[-1]
            short = cls.rsplit(".", 1)[-1]
            fact = self.servers.header(nginx_header) if nginx_header else None
            stand_in = SESSION_CSRF_MW if cls == CSRF_MW and session_csrf else DJANGOSECURE_MW if cls == SECURITY_MW and djangosecure \
                else COMMONWARE_XFRAME_MW if cls == XFRAME_MW and commonware_xframe else ""
            if stand_in and not has:
                self.add(item, MET, mw_name, f"{stand_in} in {mw_name} does {short}'s job" + (f" ({val.path}:{val.line})" if val.line else ""))
                present[cls] = True
            elif cls == SECURITY_MW and not has and fact is None and self.has(mw, COMMONWARE_STS_MW) is True:
                # playdoh's commonware sends HSTS (judged below by STS_MAX_AGE); SecurityMiddleware would add nosniff
                self.add(item, UNKNOWN_STATUS, mw_name, f"{COMMONWARE_STS_MW} in {mw_name} sends HSTS; SecurityMiddleware would add nosniff",
                         "", val)
            elif cls == SECURITY_MW and not has and fact is None and self.version is not None and self.version < (1, 8):
                # Django before 1.8 has no SecurityMiddleware: advice to add it cannot be followed
                self.add(item, UNKNOWN_STATUS, mw_name, f"the pinned Django {self._pinned()} has no SecurityMiddleware (Django 1.8+); "
                                                        "HSTS and nosniff would come from django-secure or the proxy", "", val)
            elif has:
                sub = self.subclass_in(mw, cls)
                self.add(item, MET, mw_name, f"{short} in {mw_name}" + (f" as its subclass {sub}" if sub else "")
                         + (f" ({val.path}:{val.line})" if val.line else ""))
            elif fact is not None:
                self.add(item, MET, mw_name, f"{short} not in {mw_name}, but {fact}")
            elif has is None:
                self.add(item, UNKNOWN_STATUS, mw_name, f"cannot tell whether {short} is in {mw_name}", "", val)
            elif cls == CSRF_MW and (decision := self._csrf_decision(mw)):
                # a commented-out CsrfViewMiddleware with the reason beside it, or a comment on CSRF at the
                # list: the maintainers' recorded decision (held-out round 17: only the admin, which
                # protects its own views with csrf_protect, takes POSTs)
                self.add(item, UNKNOWN_STATUS, mw_name, f"{short} is not in {mw_name}, on purpose: {decision}", "", val)
            else:
                inert = cls == SECURITY_MW and self.version is not None and self.version < (3, 0)
                self.add(item, NOT_MET, mw_name, f"{short} is not in {mw_name}" + (f" ({val.path}:{val.line})" if val.line else ""),
                         f"add {cls!r} to {mw_name}" + (f" with SECURE_HSTS_SECONDS and SECURE_CONTENT_TYPE_NOSNIFF = True (on the pinned "
                                                        f"Django {self._pinned()} it sends no header without them)" if inert else ""), val)
        security = present[SECURITY_MW] is not False
        if self.has(mw, COMMONWARE_STS_MW) is True:
            self.setting("headers.hsts", "STS_MAX_AGE", lambda v: v > 0 if isinstance(v, (int, float)) else None,
                         COMMONWARE_STS_DEFAULT, f"so {COMMONWARE_STS_MW} sends no HSTS", "set STS_MAX_AGE = 31536000",
                         f"{COMMONWARE_STS_MW} sends HSTS for {COMMONWARE_STS_DEFAULT} seconds")
        elif security:
            self._servable("headers.hsts", "SECURE_HSTS_SECONDS", lambda v: bool(v) and v > 0 if isinstance(v, (int, float)) else bool(v),
                           0, "so browsers may still make a first plain-HTTP "
                              "request", "set SECURE_HSTS_SECONDS = 31536000 (or add_header Strict-Transport-Security in nginx)",
                           "strict-transport-security", "Django's default is 0")
        only_djangosecure = djangosecure and self.has(mw, SECURITY_MW) is not True
        if security:
            self._servable("headers.nosniff", "SECURE_CONTENT_TYPE_NOSNIFF", lambda v: v is True, not only_djangosecure,
                           "so browsers may sniff uploads as script",
                           "set SECURE_CONTENT_TYPE_NOSNIFF = True" if only_djangosecure else "remove the override (the default is True)",
                           "x-content-type-options", "django-secure's default is False" if only_djangosecure else "")
            self.setting("headers.referrer_policy", "SECURE_REFERRER_POLICY", _valid_referrer, "same-origin",
                         "so full URLs leak to other sites", "set SECURE_REFERRER_POLICY = \"same-origin\"")
            self.setting("headers.cross_origin_opener_policy", "SECURE_CROSS_ORIGIN_OPENER_POLICY",
                         lambda v: v in COOP_POLICIES - {"unsafe-none"}, "same-origin",
                         "so other windows keep a handle on the app", "set SECURE_CROSS_ORIGIN_OPENER_POLICY = \"same-origin\"")
            self._ssl_redirect()
        if present[XFRAME_MW] is False and djangosecure and judge("SECURE_FRAME_DENY", self.get("SECURE_FRAME_DENY"), lambda v: v is True, False)[0] == MET:
            # django-secure sends X-Frame-Options: DENY itself when SECURE_FRAME_DENY is on
            self.out = [r for r in self.out if r.item != "headers.xframe_middleware"]
            self.add("headers.xframe_middleware", MET, "SECURE_FRAME_DENY", f"{DJANGOSECURE_MW} sends X-Frame-Options: DENY (SECURE_FRAME_DENY)")
        elif present[XFRAME_MW] is not False and not (commonware_xframe and self.has(mw, XFRAME_MW) is not True):
            self._servable("headers.x_frame_options", "X_FRAME_OPTIONS", lambda v: str(v).upper() == "DENY", "DENY",
                           "so pages of the same origin can frame the app", "set X_FRAME_OPTIONS = \"DENY\"", "x-frame-options",
                           header_ok=lambda text: "deny" in text.lower())
        sessions = self.has(self.get("INSTALLED_APPS"), SESSIONS_APP) is not False or self.has(mw, SESSION_MW) is not False
        if sessions:
            self.setting("headers.session_cookie_secure", "SESSION_COOKIE_SECURE", lambda v: v is True, False,
                         "so the session cookie travels over plain HTTP", "set SESSION_COOKIE_SECURE = True", "Django's default is False")
            self.setting("headers.session_cookie_httponly", "SESSION_COOKIE_HTTPONLY", lambda v: v is True, True,
                         "so script can read the session cookie", "remove the override (the default is True)")
        csrf_sessions = judge("CSRF_USE_SESSIONS", self.get("CSRF_USE_SESSIONS"), lambda v: not v, False)[0] != MET
        if present[CSRF_MW] is not False and not csrf_sessions and not session_csrf:
            self.setting("headers.csrf_cookie_secure", "CSRF_COOKIE_SECURE", lambda v: v is True, False,
                         "so the CSRF cookie travels over plain HTTP", "set CSRF_COOKIE_SECURE = True", "Django's default is False")
        for name in ("SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE"):
            if name in self.ns:
                self.setting("headers.cookie_samesite", name, lambda v: v not in (None, False) and str(v).lower() != "none",
                             "Lax", "so the cookie rides on every cross-site request", f"set {name} = \"Lax\"")

    def _servable(self, item: str, name: str, ok: Callable[[Any], bool | None], default: Any, why: str, advice: str,
                  header: str, default_text: str = "", header_ok: Callable[[str], bool] = lambda t: True) -> None:
        fact = self.servers.header(header)
        status, val = judge(name, self.get(name), ok, default)
        if status != MET and fact is not None and header_ok(fact.text):
            who = "the app's own middleware" if fact.text.startswith("set by the app") else "nginx"
            self.add(item, MET, name, f"{describe(name, val)}, but {who} sends it: {fact}")
            return
        if self._reviewed(item, status, name, describe(name, val, default_text=default_text), val):
            return
        self.add(item, status, name, describe(name, val, default_text=default_text) + (f", {why}" if status != MET else ""),
                 advice if status != MET else "", val)

    def _ssl_redirect(self) -> None:
        status, val = judge("SECURE_SSL_REDIRECT", self.get("SECURE_SSL_REDIRECT"), lambda v: v is True, False)
        if status == MET:
            self.add("headers.ssl_redirect", MET, "SECURE_SSL_REDIRECT", describe("SECURE_SSL_REDIRECT", val))
            return
        proxy = [v for v in self.ns.get("SECURE_PROXY_SSL_HEADER", ()) if v.kind != MISSING and not (v.kind == LITERAL and not v.value)]
        if proxy and len(proxy) == len(self.ns["SECURE_PROXY_SSL_HEADER"]):
            self.add("headers.ssl_redirect", MET, "SECURE_PROXY_SSL_HEADER",
                     f"behind a TLS proxy: SECURE_PROXY_SSL_HEADER is set ({proxy[-1].path}:{proxy[-1].line})")
            return
        if self.servers.https_redirect is not None:
            self.add("headers.ssl_redirect", MET, "SECURE_SSL_REDIRECT", f"{describe('SECURE_SSL_REDIRECT', val)}, but {self.servers.https_redirect}")
            return
        self.add("headers.ssl_redirect", status, "SECURE_SSL_REDIRECT",
                 describe("SECURE_SSL_REDIRECT", val, default_text="Django's default is "
                                                                   "False") + (", so plain-HTTP requests are served" if status != MET else ""),
                 "set SECURE_SSL_REDIRECT = True, or SECURE_PROXY_SSL_HEADER behind a TLS proxy" if status != MET else "", val)

    # ---- permissions --------------------------------------------------
    def permissions(self) -> None:
        def hosts_ok(v: Any) -> bool | None:
            if not isinstance(v, (list, tuple)):
                return None
            real = [h for h in v if h is not OPAQUE]
            if any(h == "*" or h == ".*" for h in real):
                return False
            if not real:
                return None if len(real) != len(v) else False
            return all(isinstance(h, str) and h.strip() for h in real) or None

        status, val = judge("ALLOWED_HOSTS", self.get("ALLOWED_HOSTS"), hosts_ok, [])
        text = describe("ALLOWED_HOSTS", val, default_text="Django's default is []")
        why = ""
        if status == NOT_MET:
            value = val.value if val.visible else []
            if value and "*" in value:
                why = ": any Host header is accepted"
            else:
                # An empty list fails closed: with DEBUG off Django answers 400 to every
                # request until the deployment lists its hosts (an env default, the
                # deployment's own settings file). Nothing is exposed: not a finding.
                status, why = UNKNOWN_STATUS, ": Django rejects every request until the deployment lists its hosts"
        self.add("permissions.allowed_hosts", status, "ALLOWED_HOSTS", text + why,
                 "list the service's host names (e.g. env.list(\"DJANGO_ALLOWED_HOSTS\"))" if status == NOT_MET else "", val)
        if "CSRF_TRUSTED_ORIGINS" in self.ns:
            self.setting("permissions.csrf_trusted_origins", "CSRF_TRUSTED_ORIGINS", _no_wildcard, [],
                         "a wildcard trusts every matching origin for unsafe requests", "list exact https:// origins")
        cors = [n for n in ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL") if n in self.ns]
        scoped = self._cors_scoped()
        if cors and scoped:
            self.add("permissions.cors", MET, cors[0], scoped)
            cors = []
        creds = judge("CORS_ALLOW_CREDENTIALS", self.get("CORS_ALLOW_CREDENTIALS"), lambda v: not v, False)[0] if cors else MET
        if cors and creds == MET:
            # Every origin without credentials: cross-site reads carry no cookies, so they see only what
            # any client could fetch (a public API's choice). With credentials it is a finding.
            self.add("permissions.cors", MET, cors[0], "every origin may read responses, but without credentials (CORS_ALLOW_CREDENTIALS is off)")
            cors = []
        for flag in cors:
            self.setting("permissions.cors", flag, lambda v: not v, False,
                         "with CORS_ALLOW_CREDENTIALS on, so any site can read the user's data in their browser"
                         if creds == NOT_MET else "so any site can read API responses in the user's browser", "set CORS_ALLOWED_ORIGINS instead")
        for name in ("CORS_ALLOWED_ORIGINS", "CORS_ORIGIN_WHITELIST"):
            if name in self.ns:
                self.setting("permissions.cors", name, _no_wildcard, [], "a wildcard allows every origin", "list exact origins")
        if "CORS_ALLOWED_ORIGIN_REGEXES" in self.ns:
            match_all = lambda v: not any(_matches_every_origin(r) for r in v) if isinstance(v, (list, tuple)) else None  # noqa: E731
            status = judge("CORS_ALLOWED_ORIGIN_REGEXES", self.get("CORS_ALLOWED_ORIGIN_REGEXES"), match_all, [])[0]
            creds = judge("CORS_ALLOW_CREDENTIALS", self.get("CORS_ALLOW_CREDENTIALS"), lambda v: not v, False)[0] if status == NOT_MET else MET
            if status == NOT_MET and creds == MET:
                # a match-all pattern is CORS_ALLOW_ALL_ORIGINS by another name: without credentials, no finding
                self.add("permissions.cors", MET, "CORS_ALLOWED_ORIGIN_REGEXES",
                         "a match-all pattern lets every origin read responses, but without credentials (CORS_ALLOW_CREDENTIALS is off)")
            else:
                self.setting("permissions.cors", "CORS_ALLOWED_ORIGIN_REGEXES", match_all, [],
                             "a match-all pattern allows every origin" + (" with CORS_ALLOW_CREDENTIALS on" if creds == NOT_MET else ""),
                             "anchor the patterns to your domains")
        self.setting("permissions.file_upload_permissions", "FILE_UPLOAD_PERMISSIONS",
                     lambda v: (v & 0o022) == 0 if isinstance(v, int) else False if v is None else None, 0o644,
                     "so uploaded files may be writable by other users", "set FILE_UPLOAD_PERMISSIONS = 0o644", octal=True)
        if "FILE_UPLOAD_DIRECTORY_PERMISSIONS" in self.ns or self.strict:
            status, val = judge("FILE_UPLOAD_DIRECTORY_PERMISSIONS", self.get("FILE_UPLOAD_DIRECTORY_PERMISSIONS"),
                                lambda v: (v & 0o022) == 0 if isinstance(v, int) else None, None)
            self.add("permissions.file_upload_permissions", status, "FILE_UPLOAD_DIRECTORY_PERMISSIONS",
                     describe("FILE_UPLOAD_DIRECTORY_PERMISSIONS", val, octal=True)
                     + (": upload folders follow the process "
                        "umask" if status == UNKNOWN_STATUS else ": upload folders are writable by other users" if status == NOT_MET else ""),
                     "set FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o755" if status != MET else "", val)
        drf = [v for v in self.ns.get("REST_FRAMEWORK", ()) if v.visible and isinstance(v.value, dict)]
        for val in drf:
            classes = val.value.get("DEFAULT_PERMISSION_CLASSES")
            if isinstance(classes, (list, tuple)) and all(isinstance(c, str) for c in classes) \
                    and all(c.rsplit(".", 1)[-1] == "AllowAny" for c in classes):
                self.add("permissions.drf_default_permissions", NOT_MET, "REST_FRAMEWORK",
                         f"REST_FRAMEWORK['DEFAULT_PERMISSION_CLASSES'] is {list(classes)!r} ({val.path}:{val.line}): every API view is open unless it says "
                         "otherwise",
                         "default to IsAuthenticated", val)
                break

    def _cors_scoped(self) -> str:
        """Every origin on a public API only: ``CORS_URLS_REGEX`` limits the paths
        and no credentials ride along (django-cors-headers' documented pattern)."""
        regex = [v for v in self.ns.get("CORS_URLS_REGEX", ()) if v.kind != MISSING]
        if not regex or any(v.visible and str(v.value).strip("^$") in ("", ".*", "/.*", ".+") for v in regex):
            return ""
        creds = judge("CORS_ALLOW_CREDENTIALS", self.get("CORS_ALLOW_CREDENTIALS"), lambda v: not v, False)[0]
        if creds != MET:
            return ""
        v = regex[-1]
        return f"every origin, on the paths CORS_URLS_REGEX names only ({v.path}:{v.line}), without credentials"

    # ---- upload limits --------------------------------------------------
    def uploads(self) -> None:
        limit = self.servers.body_limit
        for item, name, default in (("uploads.data_upload_max_memory_size", "DATA_UPLOAD_MAX_MEMORY_SIZE", 2621440),
                                    ("uploads.file_upload_max_memory_size", "FILE_UPLOAD_MAX_MEMORY_SIZE", 2621440),
                                    ("uploads.data_upload_max_number_fields", "DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000)):
            status, val = judge(name, self.get(name), lambda v: v is not None, default)
            if status == NOT_MET and limit is not None:
                self.add(item, MET, name, f"{describe(name, val)}, but the server limits bodies: {limit}")
                continue
            text = describe(name, val)
            if self._reviewed(item, status, name, text, val):
                # a limit switched off on purpose, the comment says why ("Needed for bulk deletion"): a reviewed choice
                continue
            if status == NOT_MET:
                text += ", so request bodies are unlimited" if "NUMBER" not in name else ", so a request may carry any number of fields"
                if self.servers.unlimited is not None:
                    text += f" (and {self.servers.unlimited})"
            self.add(item, status, name, text,
                     f"set it (Django's default is {'2.5 MB' if default > 1000 else default}) or limit client_max_body_size in "
                     "nginx" if status == NOT_MET else "", val)
        if self.servers.gunicorn_unlimited is not None:
            fact = self.servers.gunicorn_unlimited
            self.out.append(Result("uploads.gunicorn_limits", NOT_MET, "gunicorn", f"{fact}: 0 turns the limit off",
                                   "remove it (gunicorn's defaults are safe)", fact.path, fact.line))
        elif self.servers.gunicorn:
            self.out.append(Result("uploads.gunicorn_limits", MET, "gunicorn", "; ".join(str(f) for f in self.servers.gunicorn[:3])))

    def explained(self, val: Val) -> str:
        """The comment on a setting's line, or the comment block right above it, that says
        why it is set so (not a "TODO" or a "SECURITY WARNING"): its text, shortened."""
        if self.read is None or val.kind != LITERAL or not val.path or not val.line:
            return ""
        lines = (self.read(val.path) or "").splitlines()
        if not 0 < val.line <= len(lines):
            return ""
        comment = lines[val.line - 1].partition("#")[2].strip() if "#" in lines[val.line - 1] else ""
        n = val.line - 2
        above: list[str] = []
        while not comment and n >= 0 and lines[n].strip().startswith("#"):
            above.insert(0, lines[n].strip().lstrip("#").strip())
            n -= 1
        comment = comment or " ".join(above)
        if not gives_reason(comment):
            return ""
        return f'"{comment[:70]}{"…" if len(comment) > 70 else ""}" ({val.path}:{val.line})'

    def _csrf_decision(self, possible: Sequence[Val]) -> str:
        """Where the settings module that holds the middleware list records why CSRF middleware is
        left out: a commented-out ``CsrfViewMiddleware`` line with a reason on it or in the comment
        block right above it, or a comment that gives a reason about CSRF in or just above the list.
        A bare commented-out line (no reason) is no decision: "path:line" and the reason, or ""."""
        if self.read is None:
            return ""
        for path, start in dict.fromkeys((v.path, v.line) for v in possible if v.visible and v.path and v.line):
            lines = (self.read(path) or "").splitlines()
            end = _list_end(lines, start)
            for n, raw in enumerate(lines):
                text = raw.strip()
                if not text.startswith("#"):
                    continue
                body = text.lstrip("#").strip()
                prose: list[str] = []
                if "CsrfViewMiddleware" in body and _is_code(body.partition("#")[0]):
                    prose = [body.partition("#")[2].strip()] if "#" in body else []
                    k = n - 1
                    while k >= 0 and lines[k].strip().startswith("#"):
                        above = lines[k].strip().lstrip("#").strip()
                        if not _is_code(above):
                            prose.insert(0, above)
                        k -= 1
                elif start - 3 <= n + 1 <= end and "csrf" in body.lower() and not _is_code(body):
                    prose = [body]
                comment = " ".join(p for p in prose if p)
                if comment and _csrf_reason(comment):
                    return f'"{comment[:70]}{"…" if len(comment) > 70 else ""}" ({path}:{n + 1})'
        return ""

    # ---- logging ------------------------------------------------------
    def logging(self) -> None:
        config = self.ns.get("LOGGING_CONFIG")
        if config and all(v.kind == LITERAL and v.value is None for v in config):
            self.add("logging.logging", MET if self.dictconfig else UNKNOWN_STATUS, "LOGGING_CONFIG",
                     "LOGGING_CONFIG is None: logging is configured by the project" + (f" ({self.dictconfig})" if self.dictconfig else ""))
            return
        possible = self.get("LOGGING")
        # django.security is Django 1.6's: before it, only django.request carries the security events
        targets = ("django.request",) if self.version is not None and self.version < (1, 6) else _LOGGERS
        for val in possible:
            status, text = _logging_verdict(val, targets)
            if status == NOT_MET and val.kind == MISSING and self.dictconfig:
                how = "logging.basicConfig" if "basicConfig" in self.dictconfig_call else "dictConfig"
                status, text = MET, f"LOGGING is not set, but logging is configured by {how} ({self.dictconfig})"
            if status != MET:
                self.add("logging.logging", status, "LOGGING", text,
                         "configure LOGGING with a handler on the root or 'django' logger at INFO" if status == NOT_MET else "", val)
                return
        val = possible[-1]
        self.add("logging.logging", MET, "LOGGING", _logging_verdict(val, targets)[1])


def _valid_referrer(v: Any) -> bool | None:
    if v is None:
        return False
    values = v.split(",") if isinstance(v, str) else list(v) if isinstance(v, (list, tuple)) else None
    if values is None:
        return None
    return all(isinstance(x, str) and x.strip() in REFERRER_POLICIES for x in values)


def _no_wildcard(v: Any) -> bool | None:
    if not isinstance(v, (list, tuple)):
        return None
    return not any(isinstance(x, str) and "*" in x for x in v)


_LOGGERS = ("django.security", "django.request")


def _logging_verdict(val: Val, targets: Sequence[str] = _LOGGERS) -> tuple[str, str]:
    loc = f" ({val.path}:{val.line})" if val.path and val.line else ""
    if val.kind == MISSING:
        return NOT_MET, "LOGGING is not set: Django's default only mails django.request errors to ADMINS when DEBUG is off, and django.security is not logged"
    if not val.visible or not isinstance(val.value, dict):
        return UNKNOWN_STATUS, f"LOGGING is not a value this hook can read{loc}"
    config = val.value
    if config and "version" not in config and all(isinstance(k, str) for k in config):
        # Django hands LOGGING to dictConfig, which refuses a dict with no version: something else
        # (funfactory's log_settings, a project's own set-up) merges this one into its configuration
        return UNKNOWN_STATUS, f"LOGGING has no 'version'{loc}: it is merged into a logging set-up made elsewhere, not Django's own"
    loggers: dict[Any, Any] = config["loggers"] if isinstance(config.get("loggers"), dict) else {}
    root: Any = config["root"] if isinstance(config.get("root"), dict) else loggers.get("") if isinstance(loggers.get(""), dict) else None
    debug_only = _debug_only_handlers(config)
    for target in targets:
        reached = None
        level_at = None
        name = target
        skipped = ""  # a logger whose only handlers emit only while DEBUG is on
        while True:
            conf = loggers.get(name) if name else root
            if isinstance(conf, dict):
                handlers = conf.get("handlers")
                if handlers is OPAQUE:
                    return UNKNOWN_STATUS, f"LOGGING's {name or 'root'} handlers cannot be read{loc}"
                if isinstance(handlers, (list, tuple)) and handlers and all(h in debug_only for h in handlers):
                    skipped = skipped or (name or "root")
                elif level_at is None and conf.get("level") is not None:
                    level_at = (name or "root", conf.get("level"))
                if isinstance(handlers, (list, tuple)) and handlers and not all(h in debug_only for h in handlers):
                    reached = name or "root"
                    break
                if conf.get("propagate") is False:
                    break
            elif conf is OPAQUE:
                return UNKNOWN_STATUS, f"LOGGING's {name or 'root'} logger cannot be read{loc}"
            if not name:
                break
            name = name.rsplit(".", 1)[0] if "." in name else ""
        if reached is None and skipped:
            return NOT_MET, (f"LOGGING's {skipped} handlers all carry require_debug_true{loc}: with DEBUG off no handler "
                             f"that {target} reaches is active, so its events are lost")
        if reached is None:
            return NOT_MET, f"LOGGING has no handler that {target} reaches{loc}, so its events are lost"
        if level_at and _is_debug(level_at[1]) and not _quiet(level_at[0]) \
                and _lowest_handler_level(config, loggers, root, target, debug_only) <= _LEVELS["DEBUG"]:
            return NOT_MET, f"LOGGING's {level_at[0]} logger is at DEBUG{loc}: use INFO or higher in production"
    noisy = _debug_logger(config, loggers, root, debug_only)
    if noisy:
        return NOT_MET, f"LOGGING's {noisy} logger is at DEBUG{loc}: use INFO or higher in production"
    return MET, f"LOGGING reaches {' and '.join(targets)}{loc}"


# Django's loggers that write nothing below WARNING in production: django.request (4xx as WARNING,
# 5xx as ERROR; its few DEBUG lines are start-up notes written only while DEBUG is on),
# django.security.* (SuspiciousOperation, CSRF failures) and django.server (runserver only).
# A DEBUG level on one of them writes exactly what INFO would (held-out round 17). Judged instead:
# the root (every library's DEBUG records) and Django's loggers that write DEBUG ("django":
# django.template's variable errors, django.db.backends' queries while DEBUG is on,
# django.db.backends.schema's DDL). The app's own loggers at DEBUG are left alone: what they log at
# DEBUG is the app's choice (a dedicated audit log, a service's own logger beside a WARNING root:
# the regression over rounds 7-17 found three such, none a mistake a maintainer would fix).
_QUIET_LOGGERS = ("django.request", "django.security", "django.server")


def _quiet(name: str) -> bool:
    return name != "root" and any(name == q or name.startswith(q + ".") for q in _QUIET_LOGGERS)


def _is_debug(level: Any) -> bool:
    return (isinstance(level, str) and level.upper() == "DEBUG") or (isinstance(level, int) and not isinstance(level, bool)
                                                                    and 0 < level <= _LEVELS["DEBUG"])


def _debug_logger(config: dict[Any, Any], loggers: dict[Any, Any], root: Any, debug_only: frozenset[str]) -> str:
    """The first of the root and Django's loggers (in LOGGING's order) set to DEBUG that writes DEBUG
    records (not one of Django's quiet loggers) and whose records reach a handler that writes them
    (not one at INFO or higher, not one that writes only while DEBUG is on)."""
    named = [("", root)] + [(name, conf) for name, conf in loggers.items()
                            if isinstance(name, str) and (name == "django" or name.startswith("django."))]
    for name, conf in named:
        if not isinstance(conf, dict) or not _is_debug(conf.get("level")) or _quiet(name):
            continue
        if _lowest_handler_level(config, loggers, root, name, debug_only) <= _LEVELS["DEBUG"]:
            return name or "root"
    return ""



_LEVELS = {"NOTSET": 0, "DEBUG": 10, "INFO": 20, "WARN": 30, "WARNING": 30, "ERROR": 40, "FATAL": 50, "CRITICAL": 50}


def _lowest_handler_level(config: dict[Any, Any], loggers: dict[Any, Any], root: Any, target: str, debug_only: frozenset[str]) -> int:
    """The lowest level among the handlers a record of ``target`` reaches (its logger's and
    its ancestors', up to a ``propagate: False``): a DEBUG logger whose handlers are all at
    WARNING writes nothing below WARNING (held-out round 16). A handler with no level, or
    one that cannot be read, counts as NOTSET (it writes everything the logger passes)."""
    handlers: dict[Any, Any] = config["handlers"] if isinstance(config.get("handlers"), dict) else {}
    lowest = _LEVELS["CRITICAL"] + 1
    name = target
    while True:
        conf = loggers.get(name) if name else root
        if isinstance(conf, dict):
            names = conf.get("handlers")
            if not isinstance(names, (list, tuple)):
                names = []
            for h in names:
                if h in debug_only:
                    continue
                level = handlers.get(h, {}).get("level") if isinstance(handlers.get(h), dict) else None
                lowest = min(lowest, _LEVELS.get(level.upper(), 0) if isinstance(level, str) else level if isinstance(level, int) else 0)
            if conf.get("propagate") is False:
                break
        if not name:
            break
        name = name.rsplit(".", 1)[0] if "." in name else ""
    return lowest


def _debug_only_handlers(config: dict[Any, Any]) -> frozenset[str]:
    """Names of LOGGING's handlers that carry a ``django.utils.log.RequireDebugTrue`` filter:
    with DEBUG off (production) they emit nothing, whatever the logger's level."""
    filters = config.get("filters") if isinstance(config.get("filters"), dict) else {}
    assert isinstance(filters, dict)
    debug_true = {name for name, conf in filters.items()
                  if isinstance(conf, dict) and str(conf.get("()", "")).rsplit(".", 1)[-1] == "RequireDebugTrue"}
    handlers = config.get("handlers") if isinstance(config.get("handlers"), dict) else {}
    assert isinstance(handlers, dict)
    return frozenset(name for name, conf in handlers.items()
                     if isinstance(name, str) and isinstance(conf, dict) and isinstance(conf.get("filters"), (list, tuple))
                     and any(f in debug_true for f in conf["filters"]))


# Django's own deploy checks for the same condition as an item: the project that lists one in
# SILENCED_SYSTEM_CHECKS decided that item (normandy: "security.W003", no cookie auth, so no CSRF
# middleware). Only checks that test the same thing: W009 (a weak key) says nothing of a key
# committed to the repository, W020 (ALLOWED_HOSTS empty) nothing of "*".
SYSTEM_CHECKS = {
    "headers.security_middleware": ("security.W001",),
    "headers.xframe_middleware": ("security.W002",),
    "headers.csrf_middleware": ("security.W003",),
    "headers.hsts": ("security.W004",),
    "headers.nosniff": ("security.W006",),
    "headers.ssl_redirect": ("security.W008",),
    "headers.session_cookie_secure": ("security.W010", "security.W011", "security.W012"),
    "headers.session_cookie_httponly": ("security.W013", "security.W014", "security.W015"),
    "headers.csrf_cookie_secure": ("security.W016",),
    "headers.x_frame_options": ("security.W019",),
    "headers.referrer_policy": ("security.W022",),
    "headers.cross_origin_opener_policy": ("security.W024",),
}


def silenced(ns: Namespace) -> dict[str, str]:
    """Check id -> where SILENCED_SYSTEM_CHECKS lists it (in every value it may have)."""
    possible = [v for v in ns.get("SILENCED_SYSTEM_CHECKS", ()) if v.kind != MISSING]
    if not possible or not all(v.visible and isinstance(v.value, (list, tuple)) for v in possible):
        return {}
    common = set.intersection(*({x for x in v.value if isinstance(x, str)} for v in possible))
    last = possible[-1]
    loc = f"{last.path}:{last.line}" if last.path and last.line else "the settings"
    return {c: loc for c in common}


def _honour_silenced(results: list[Result], ns: Namespace) -> list[Result]:
    quiet = silenced(ns)
    if not quiet:
        return results
    out = []
    for r in results:
        ids = [c for c in SYSTEM_CHECKS.get(r.item, ()) if c in quiet]
        if r.status == NOT_MET and ids:
            r = Result(r.item, UNKNOWN_STATUS, r.setting,
                       f"{r.text}, but the project silences Django's {ids[0]} (SILENCED_SYSTEM_CHECKS, {quiet[ids[0]]}): its own decision",
                       "", r.path, r.line)
        out.append(r)
    return out


def check(ns: Namespace, servers: Servers, strict: bool, entry: str, dictconfig: str = "",
          read: Callable[[str], str | None] | None = None,
          module_file: Callable[[str], str | None] | None = None, version: tuple[int, ...] | None = None) -> list[Result]:
    return _honour_silenced(_Judge(ns, servers, strict, entry, dictconfig, read, module_file, version).run(), ns)


_MATCH_ALL_ORIGIN = re.compile(r"^\^?(?:https?\??://)?\.[*+]\$?$")


def _matches_every_origin(pattern: object) -> bool:
    """``.*``, ``^.*$``, ``.+``, ``^https?://.*$``: a CORS origin pattern every origin matches."""
    return isinstance(pattern, str) and (pattern.strip("^$") == "" or _MATCH_ALL_ORIGIN.match(pattern.strip()) is not None)
