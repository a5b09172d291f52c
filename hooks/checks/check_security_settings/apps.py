"""Flask, FastAPI/Starlette and Pyramid: what their production entry points set.

* Flask: a config class (``class ProductionConfig(Config)``, bases applied
  first) or module, plus what app modules do: ``app.config[...] = ...``,
  ``app.config.update(...)``, ``Talisman(app, ...)``, ``CORS(app, ...)``.
* FastAPI/Starlette: ``app.add_middleware(Cls, ...)`` and ``Middleware(Cls, ...)``.
* Pyramid: ``[app:main]`` of ``production.ini``, following ``use = config:...``.
"""
from __future__ import annotations

import ast
import os
import re
from collections.abc import Sequence
from typing import Any

from hooks.checks.check_security_settings.django import weak_secret
from hooks.checks.check_security_settings.servers import Fact, Servers
from hooks.checks.check_security_settings.verdict import MET, NOT_MET, UNKNOWN_STATUS, Result, Status, describe, judge
from hooks.common.settings_layers import Namespace, Resolver, attribute, parse
from hooks.common.settings_values import ENV, LITERAL, MISSING, SECRET, Evaluator, Val, source, to_bool
from hooks.core.records import field, record

# A slot the deployer was meant to fill, left as the running default: "<INSERT_RANDOM_STRING_HERE>", "change-me", "your-secret-key".
PUBLIC_PLACEHOLDER = re.compile(r"^<[^>]*>$|insert.?(a.?)?random|random.?string.?here|change.?me|replace.?me|^your[-_ ]", re.I)
LOGGING_SETUP = re.compile(r"\b(dictConfig|fileConfig|basicConfig|addHandler|structlog\.configure|log_config\s*=|--log-config|from loguru import)\b")


@record
class Call:
    name: str  # last part of the callee: "Talisman", "add_middleware", "Middleware"
    node: ast.Call
    path: str
    evaluator: Evaluator
    lines: list[str] = field(default_factory=list)  # the module's source lines (comments beside arguments)
    # names the enclosing function assigns before the call (``origins = [...]`` then ``allow_origins=origins``),
    # every assignment in source order (``if``/``else`` branches each give one)
    local: dict[str, list[ast.expr]] = field(default_factory=dict)
    # the settings key a test/debug branch around the call reads (``if asbool(settings["testing"]):``), or "":
    # the call runs only where that setting is on
    guard: str = ""

    @property
    def line(self) -> int:
        return self.node.lineno

    def kwarg(self, name: str) -> Val | None:
        for kw in self.node.keywords:
            if kw.arg == name:
                value = kw.value
                if isinstance(value, ast.Name) and value.id in self.local:
                    value = self.local[value.id][-1]  # a local name shadows the module's
                return self.evaluator(value)
        return None

    def kwarg_branches(self, name: str) -> list[Val]:
        """Every value a keyword argument may have: each assignment of the local name it passes
        (``if X: origins = X.split(",")`` / ``else: origins = ["*"]``), judged by the worst."""
        for kw in self.node.keywords:
            if kw.arg == name:
                if isinstance(kw.value, ast.Name) and kw.value.id in self.local:
                    return [self.evaluator(v) for v in self.local[kw.value.id]]
                return [self.evaluator(kw.value)]
        return []

    def explained(self, name: str) -> bool:
        """A keyword argument with a comment beside it or on the line above:
        ``# Forcing HTTPS is the job of a reverse proxy`` then ``force_https=False``."""
        lines = self.lines
        for kw in self.node.keywords:
            if kw.arg == name and lines:
                here = lines[kw.lineno - 1] if kw.lineno <= len(lines) else ""
                above = lines[kw.lineno - 2].strip() if kw.lineno >= 2 else ""
                return "#" in here.split("=", 1)[-1] or above.startswith("#")
        return False

    def arg(self, n: int) -> ast.expr | None:
        return self.node.args[n] if len(self.node.args) > n else None


@record
class AppFacts:
    """What the app modules of one framework do, across the repo."""

    calls: list[Call] = field(default_factory=list)
    config_sets: Namespace = field(default_factory=dict)  # app.config["K"] = v, app.config.update(K=v)
    config_objects: list[tuple[str, str, int]] = field(default_factory=list)  # (target, path, line) of from_object/from_pyfile
    logging: str = ""  # "path:line" of a logging set-up
    header_code: str = ""  # "path:line" where code sets security headers itself
    logging_how: str = ""  # dictConfig, basicConfig, ... (the call at logging)
    app_headers: dict[str, Fact] = field(default_factory=dict)  # security header -> where the app's code sets it
    flask_version: tuple[int, ...] | None = None  # the lowest Flask the repo pins
    django_version: tuple[int, ...] | None = None  # the lowest Django the repo pins

    def named(self, *names: str) -> list[Call]:
        return [c for c in self.calls if c.name in names]


# What config.include(...) calls are kept: the debug toolbar, and the session factories that read the ini's session.* keys.
_INCLUDED = re.compile(r"debugtoolbar|pyramid_beaker|pyramid_redis_sessions|pyramid_session_redis|pyramid_nacl_session")
# A session factory that reads session.* / beaker.session.* / redis.sessions.* keys from the settings.
_INI_SESSIONS = re.compile(r"pyramid_beaker|pyramid_redis_sessions|pyramid_session_redis|pyramid_nacl_session")


def _callee(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _is_config_attr(node: ast.expr) -> bool:
    """``app.config`` / ``self.config`` / ``application.config``."""
    return isinstance(node, ast.Attribute) and node.attr == "config"


def _module_names(tree: ast.Module, path: str, resolver: Resolver) -> Namespace:
    mod = resolver.module(path)
    return mod.names


def scan_app(path: str, text: str, resolver: Resolver, facts: AppFacts) -> None:
    tree = parse(text)
    if tree is None:
        return
    names = _module_names(tree, path, resolver)

    def lookup(name: str) -> Val | None:
        got = names.get(name)
        return got[-1] if got else None

    ev = Evaluator(path, lookup, attribute(resolver))
    source_lines = text.splitlines()
    functions = [f for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]
    # app.config["K"] = v and app.config.update(K=v), applied in source order after the walk
    sets: list[tuple[int, str, Val, str]] = []
    env_guarded = _env_guarded(tree)
    flag_guarded = _flag_guarded(tree)
    # the Flask app objects of this module (``app = Flask(__name__)``): ``app.secret_key = ...`` is SECRET_KEY
    apps = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call) and _callee(n.value) == "Flask"
            for t in n.targets if isinstance(t, ast.Name)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _callee(node)
            func = node.func
            if isinstance(func, ast.Attribute) and _is_config_attr(func.value):
                if func.attr in ("from_object", "from_pyfile") and node.args:
                    target = node.args[0]
                    text_target = target.value if isinstance(target, ast.Constant) and isinstance(target.value, str) else source(target)
                    facts.config_objects.append((text_target, path, node.lineno))
                elif func.attr in ("update", "from_mapping"):
                    for kw in node.keywords:
                        if kw.arg:
                            sets.append((node.lineno, kw.arg, ev(kw.value), ""))
                    if node.args and isinstance(node.args[0], ast.Dict):
                        for k, v in zip(node.args[0].keys, node.args[0].values):
                            if isinstance(k, ast.Constant) and isinstance(k.value, str):
                                sets.append((node.lineno, k.value, ev(v), ""))
                continue
            if name in ("Talisman", "SSLify", "CORS", "add_middleware", "Middleware", "SessionMiddleware", "SignedCookieSessionFactory",
                        "AuthTktAuthenticationPolicy", "AuthTktCookieHelper", "FastAPI", "Starlette", "setup_logging") \
                    or name == "session_factory_from_settings" \
                    or (name == "include" and node.args and _INCLUDED.search(source(node.args[0]))):
                facts.calls.append(Call(name, node, path, ev, source_lines, _locals_before(functions, node), flag_guarded.get(id(node), "")))
            if name in ("dictConfig", "fileConfig", "basicConfig", "addHandler") and not facts.logging:
                facts.logging = f"{path}:{node.lineno}"
                facts.logging_how = name
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript) and _is_config_attr(target.value) and node.value is not None:
                    index = target.slice
                    if isinstance(index, ast.Constant) and isinstance(index.value, str):
                        sets.append((node.lineno, index.value, ev(node.value), env_guarded.get(id(node), "")))
                if isinstance(target, ast.Attribute) and target.attr == "secret_key" and isinstance(target.value, ast.Name) \
                        and target.value.id in apps and node.value is not None:
                    sets.append((node.lineno, "SECRET_KEY", ev(node.value), env_guarded.get(id(node), "")))
                if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
                        and str(target.slice.value).lower() in ("strict-transport-security", "x-frame-options") and not facts.header_code:
                    facts.header_code = f"{path}:{node.lineno}"
    _apply_sets(sets, facts.config_sets)


def _env_guarded(tree: ast.Module) -> dict[int, str]:
    """id of each statement an ``if "K" in os.environ:`` (no else) holds -> K: it runs only when K is set."""
    out: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and not node.orelse:
            variable = env_present(node.test)
            if variable:
                out.update((id(inner), variable) for inner in node.body)
    return out


# A settings key that switches on a test run or a developer's set-up: production does not set it.
_TEST_FLAG = re.compile(r"^(testing|tests?|unit_?tests?|test_?mode|debug|dev|development)$", re.I)


def _settings_flag(test: ast.expr) -> str:
    """The test/debug key an ``if`` test reads from a settings mapping: ``asbool(settings["testing"])``,
    ``settings.get("testing")``, ``"testing" in settings and ...``, ``settings["debug"]``; or ""."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        keys = [_settings_flag(v) for v in test.values]
        return next((k for k in keys if k), "")
    if isinstance(test, ast.Call) and len(test.args) == 1 and not test.keywords and _callee(test) in ("asbool", "bool", "to_bool", "as_bool"):
        return _settings_flag(test.args[0])
    key: object = None
    if isinstance(test, ast.Subscript) and isinstance(test.slice, ast.Constant):
        key = test.slice.value
    elif isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr == "get" and test.args \
            and isinstance(test.args[0], ast.Constant):
        key = test.args[0].value
    elif isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.In) and isinstance(test.left, ast.Constant) \
            and not env_present(test) and "argv" not in source(test.comparators[0], 40):
        key = test.left.value
    return key if isinstance(key, str) and _TEST_FLAG.match(key) else ""


def _flag_guarded(tree: ast.Module) -> dict[int, str]:
    """id of each node in the body of an ``if`` on a test/debug setting -> the key (the ``else:`` is production's)."""
    out: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            key = _settings_flag(node.test)
            if key:
                out.update((id(inner), key) for stmt in node.body for inner in ast.walk(stmt))
    return out


def _apply_sets(sets: list[tuple[int, str, Val, str]], config: Namespace) -> None:
    """The app.config sets in source order (a later line wins); one guarded by the variable it reads
    over a literal is ``os.environ.get("SECRET_KEY", "...")`` written out: the literal runs wherever
    the variable is unset (``app.config["SECRET_KEY"] = "..."`` then ``if "SECRET_KEY" in os.environ:
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]``)."""
    for _line, name, val, guard in sorted(sets, key=lambda t: t[0]):
        before = config.get(name, ())
        if guard and val.kind == ENV and val.env == guard and not val.has_default and len(before) == 1 \
                and before[0].kind == LITERAL and before[0].value not in (None, ""):
            val = Val(ENV, before[0].value, guard, True, before[0].path, before[0].line)
        config[name] = (val,)


def env_present(test: ast.expr) -> str:
    """The variable ``"K" in os.environ`` / ``os.environ.get("K")`` / ``os.getenv("K")`` tests, or ""."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.In) \
            and isinstance(test.left, ast.Constant) and isinstance(test.left.value, str) \
            and source(test.comparators[0], 40).split(".")[-1] == "environ":
        return test.left.value
    if isinstance(test, ast.Call) and len(test.args) == 1 and isinstance(test.args[0], ast.Constant) \
            and isinstance(test.args[0].value, str) and source(test.func, 40) in ("os.environ.get", "environ.get", "os.getenv", "getenv"):
        return test.args[0].value
    return ""


def _locals_before(functions: Sequence[ast.FunctionDef | ast.AsyncFunctionDef], call: ast.Call) -> dict[str, list[ast.expr]]:
    """Plain names the innermost function around ``call`` assigns before it, each assignment in source order."""
    around = [f for f in functions if f.lineno <= call.lineno <= (f.end_lineno or f.lineno)]
    if not around:
        return {}
    inner = max(around, key=lambda f: f.lineno)
    out: dict[str, list[ast.expr]] = {}
    for node in sorted((n for n in ast.walk(inner) if isinstance(n, (ast.Assign, ast.AnnAssign))), key=lambda n: n.lineno):
        if node.lineno >= call.lineno or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                out.setdefault(target.id, []).append(node.value)
    return out


# ---- Flask --------------------------------------------------------------

def flask_results(ns: Namespace, facts: AppFacts, servers: Servers, strict: bool, external: str = "") -> list[Result]:
    out: list[Result] = []
    merged: Namespace = dict(ns)
    merged.update(facts.config_sets)

    def get(name: str) -> Sequence[Val]:
        return merged.get(name) or (Val(MISSING),)

    def add(item: str, status: str, setting: str, text: str, advice: str = "", val: Val | None = None) -> None:
        path = val.path if val is not None and val.kind != MISSING else ""
        line = val.line if val is not None and val.kind != MISSING else 0
        out.append(Result(item, status, setting, text, advice, path, line))  # type: ignore[arg-type]

    # secrets
    for val in get("SECRET_KEY"):
        if val.kind == MISSING:
            add("secrets.secret_key", NOT_MET, "SECRET_KEY", "SECRET_KEY is not set: sessions cannot be signed, or a layer sets it elsewhere",
                "read it from the environment", val)
            break
        if val.kind == LITERAL and (val.value is None or val.value == ""):
            # SECRET_KEY = None / "" in a config class: a placeholder filled at run time (an env
            # loader, an init_app that copies the environment over config), never a committed key
            add("secrets.secret_key", UNKNOWN_STATUS, "SECRET_KEY", describe("SECRET_KEY", val, secret=True)
                + ": a placeholder, set at run time", "", val)
            break
        if val.kind == LITERAL and external:
            add("secrets.secret_key", UNKNOWN_STATUS, "SECRET_KEY", describe("SECRET_KEY", val, secret=True)
                + f": a default that the deployment's own config file ({external}) replaces", "", val)
            break
        if val.kind == LITERAL:
            add("secrets.secret_key", NOT_MET, "SECRET_KEY", describe("SECRET_KEY", val, secret=True) + ": it is in the repository",
                "read it from the environment (os.environ[\"SECRET_KEY\"])", val)
            break
        if val.kind == ENV and val.has_default and isinstance(val.value, str) and PUBLIC_PLACEHOLDER.search(val.value):
            add("secrets.secret_key", NOT_MET, "SECRET_KEY", describe("SECRET_KEY", val, secret=True)
                + ": a public placeholder, so sessions are signed with a string anyone can read when it is unset",
                "drop the default (os.environ[\"...\"] fails at start-up when it is unset)", val)
            break
        if val.kind == ENV and val.has_default and weak_secret(val.value) and (
            not isinstance(val.value, str) or len(val.value) < 32 or "insecure" in val.value or "change" in str(val.value).lower()
        ):
            add("secrets.secret_key", NOT_MET, "SECRET_KEY", describe("SECRET_KEY", val, secret=True) + ": a weak committed key runs when it is unset",
                "drop the default", val)
            break
    else:
        val = get("SECRET_KEY")[-1]
        add("secrets.secret_key", MET if val.kind in (ENV, SECRET) else UNKNOWN_STATUS, "SECRET_KEY", describe("SECRET_KEY", val, secret=True), "", val)
    # headers
    talisman = facts.named("Talisman")
    t = talisman[0] if talisman else None
    if t is not None:
        secure_cookie = judge("SESSION_COOKIE_SECURE", get("SESSION_COOKIE_SECURE"), lambda v: v is True, False)[0] == MET
        weak = [k for k, bad in (("force_https", False), ("strict_transport_security", False), ("session_cookie_secure", False))
                if (v := t.kwarg(k)) is not None and v.visible and to_bool(v.value) is bad
                and not (k == "session_cookie_secure" and secure_cookie) and not t.explained(k)]
        if weak:
            add("headers.security_headers", NOT_MET, "Talisman", f"Talisman({', '.join(k + '=False' for k in weak)}) ({t.path}:{t.line}) turns protection "
                                                                 "off",
                "remove the False arguments", Val(LITERAL, path=t.path, line=t.line))
        else:
            add("headers.security_headers", MET, "Talisman", f"Talisman ({t.path}:{t.line})")
    elif facts.header_code:
        add("headers.security_headers", MET, "headers", f"security headers set in code ({facts.header_code})")
    else:
        out.extend(_flask_headers(servers))
    status, val = judge("SESSION_COOKIE_SECURE", get("SESSION_COOKIE_SECURE"), lambda v: v is True, False)
    if status != MET and t is not None and not ((v := t.kwarg("session_cookie_secure")) is not None and v.visible and not to_bool(v.value)):
        add("headers.session_cookie_secure", MET, "SESSION_COOKIE_SECURE", f"Talisman sets the session cookie secure ({t.path}:{t.line})")
    else:
        add("headers.session_cookie_secure", status, "SESSION_COOKIE_SECURE",
            describe("SESSION_COOKIE_SECURE", val, default_text="Flask's default is "
                                                                "False") + (", so the session cookie travels over plain HTTP" if status != MET else ""),
            "set SESSION_COOKIE_SECURE = True" if status != MET else "", val)
    status, val = judge("SESSION_COOKIE_HTTPONLY", get("SESSION_COOKIE_HTTPONLY"), lambda v: v is True, True)
    add("headers.session_cookie_httponly", status, "SESSION_COOKIE_HTTPONLY", describe("SESSION_COOKIE_HTTPONLY", val),
        "remove the override" if status != MET else "", val)
    status, val = judge("SESSION_COOKIE_SAMESITE", get("SESSION_COOKIE_SAMESITE"),
                        lambda v: isinstance(v, str) and v.lower() in ("lax", "strict"), None)
    if status == NOT_MET and val.kind == MISSING:
        # Not set: browsers apply their own default (Lax in Chromium); as for Django, only a value set to None is reported.
        status = UNKNOWN_STATUS
    add("headers.cookie_samesite", status, "SESSION_COOKIE_SAMESITE",
        describe("SESSION_COOKIE_SAMESITE", val, default_text="Flask's default is "
                                                              "None") + (", so the session cookie rides on cross-site requests" if status != MET else ""),
        "set SESSION_COOKIE_SAMESITE = \"Lax\"" if status != MET else "", val)
    # permissions
    status, val = judge("TRUSTED_HOSTS", get("TRUSTED_HOSTS"),
                        lambda v: bool(v) and not any(h == "*" for h in v) if isinstance(v, (list, tuple)) else False if v is None else None, None)
    if status != MET and servers.server_name is not None:
        add("permissions.trusted_hosts", MET, "TRUSTED_HOSTS", f"hosts restricted in the proxy: {servers.server_name}")
    elif status != MET and facts.flask_version is not None and facts.flask_version < (3, 1):
        version = ".".join(str(p) for p in facts.flask_version)
        add("permissions.trusted_hosts", UNKNOWN_STATUS, "TRUSTED_HOSTS",
            f"the repo pins Flask {version}, which has no TRUSTED_HOSTS (3.1+): the server in front must check the Host header",
            "restrict server_name in the proxy, or set TRUSTED_HOSTS after upgrading to Flask 3.1", val)
    elif status == NOT_MET and val.kind == MISSING and _deployed(servers) == UNKNOWN_STATUS:
        add("permissions.trusted_hosts", UNKNOWN_STATUS, "TRUSTED_HOSTS",
            describe("TRUSTED_HOSTS", val) + " and no proxy config is in the repo, so the Host check is the deployment's",
            "set TRUSTED_HOSTS (Flask 3.1+) or restrict server_name in the proxy", val)
    elif status == NOT_MET and val.kind == MISSING and not public_host(servers, merged):
        add("permissions.trusted_hosts", UNKNOWN_STATUS, "TRUSTED_HOSTS", describe("TRUSTED_HOSTS", val) + NO_PUBLIC_HOST, "", val)
    else:
        add("permissions.trusted_hosts", status, "TRUSTED_HOSTS",
            describe("TRUSTED_HOSTS", val) + (", so any Host header is accepted" if status != MET else ""),
            "set TRUSTED_HOSTS (Flask 3.1+) or restrict server_name in the proxy" if status != MET else "", val)
    out.extend(_cors_flask(facts, merged))
    # uploads
    status, val = judge("MAX_CONTENT_LENGTH", get("MAX_CONTENT_LENGTH"), lambda v: isinstance(v, (int, float)) and v > 0, None)
    if status != MET and servers.body_limit is not None:
        add("uploads.max_content_length", MET, "MAX_CONTENT_LENGTH", f"the server limits bodies: {servers.body_limit}")
    elif status == NOT_MET and val.kind == MISSING and _body_deployed(servers) == UNKNOWN_STATUS:
        add("uploads.max_content_length", UNKNOWN_STATUS, "MAX_CONTENT_LENGTH",
            describe("MAX_CONTENT_LENGTH", val) + ": the server in front limits bodies, and its config is not in the repo",
            "set MAX_CONTENT_LENGTH or limit the body size in the proxy", val)
    else:
        add("uploads.max_content_length", status, "MAX_CONTENT_LENGTH",
            describe("MAX_CONTENT_LENGTH", val, default_text="Flask's default is None") + (", so request bodies are unlimited" if status != MET else ""),
            "set MAX_CONTENT_LENGTH or client_max_body_size in nginx" if status != MET else "", val)
    # Flask's default handler writes the app's warnings and errors (unhandled exceptions) to
    # stderr, which the WSGI server logs: whether that is enough is the deployment's call.
    out.append(_logging(facts, merged, "Flask logs warnings and errors to stderr", UNKNOWN_STATUS))
    return out


def _flask_headers(servers: Servers) -> list[Result]:
    """With no Talisman and no header code: HSTS (judged only on a service served over
    HTTPS, see transport.py) and X-Frame-Options, each from the server in front. Flask
    sends neither, so with no proxy config in the repo each is the deployment's (unknown)."""
    out = []
    front = servers.nginx_proxy or servers.apache
    home = front.path if front is not None else servers.files[0] if servers.files else ""
    where = f" in {home}" if home else " in the proxy"
    apache = servers.apache is not None and (servers.nginx_proxy is None or home == servers.apache.path)
    verb = "Header always set" if apache else "add_header"
    for item, header, advice in (("headers.hsts", "Strict-Transport-Security", f"{verb} Strict-Transport-Security \"max-age=31536000\""),
                                 ("headers.security_headers", "X-Frame-Options", f"{verb} X-Frame-Options DENY")):
        fact = servers.header(header)
        if fact is None and header == "X-Frame-Options":
            csp = servers.header("content-security-policy")
            fact = csp if csp is not None and "frame-ancestors" in csp.text else None
        if fact is not None:
            out.append(Result(item, MET, header, f"{header}: {fact}"))
            continue
        status = _deployed(servers)
        text = f"no Talisman, and neither the app nor a proxy config in the repo sends {header}"
        if status == UNKNOWN_STATUS:
            text += ": the server in front decides (no proxy config in the repo)"
        out.append(Result(item, status, header, text, f"{advice}{where}, or use Talisman(app) in the app factory",
                          front.path if front is not None else "", front.line if front is not None else 0))
    return out


def _cors_flask(facts: AppFacts, ns: Namespace) -> list[Result]:
    for call in facts.named("CORS"):
        origins = call.kwarg("origins") or call.kwarg("resources")
        creds = call.kwarg("supports_credentials")
        open_origins = origins is None or (origins.visible and ("*" in str(origins.value)))
        if open_origins and creds is not None and creds.visible and to_bool(creds.value):
            return [Result("permissions.cors", NOT_MET, "CORS", f"CORS(...) ({call.path}:{call.line}) allows every origin with credentials",
                           "list the front-end origins", call.path, call.line)]
    origin_values = ns.get("CORS_ORIGINS", ())
    cred_values = ns.get("CORS_SUPPORTS_CREDENTIALS", ())
    if any(v.visible and "*" in str(v.value) for v in origin_values) and any(v.visible and to_bool(v.value) for v in cred_values):
        v = origin_values[-1]
        return [Result("permissions.cors", NOT_MET, "CORS_ORIGINS", describe("CORS_ORIGINS", v) + " with CORS_SUPPORTS_CREDENTIALS on",
                       "list the front-end origins", v.path, v.line)]
    return [Result("permissions.cors", MET, "CORS", "no CORS wildcard with credentials")]


def _logging(facts: AppFacts, ns: Namespace, default: str, status: Status = NOT_MET) -> Result:
    if facts.logging:
        return Result("logging.logging", MET, "logging", f"logging configured ({facts.logging})")
    for name in ("LOGGING", "LOGGING_CONFIG", "LOG_CONFIG"):
        if name in ns and ns[name][-1].kind != MISSING:
            v = ns[name][-1]
            return Result("logging.logging", MET, name, describe(name, v))
    return Result("logging.logging", status, "logging", f"no logging configuration found ({default})",
                  "configure logging (logging.config.dictConfig) at start-up")


# ---- FastAPI / Starlette -------------------------------------------------

def _middleware(facts: AppFacts) -> dict[str, Call]:
    """Middleware class name -> the call that adds it (kwargs read from that call)."""
    out: dict[str, Call] = {}
    for call in facts.calls:
        if call.name in ("add_middleware", "Middleware") and call.node.args:
            cls = call.node.args[0]
            name = cls.id if isinstance(cls, ast.Name) else cls.attr if isinstance(cls, ast.Attribute) else ""
            if name:
                out.setdefault(name, call)
    return out


middleware_calls = _middleware


def fastapi_results(facts: AppFacts, servers: Servers, strict: bool, entry: str = "") -> list[Result]:
    mw = _middleware(facts)
    out: list[Result] = []
    session = mw.get("SessionMiddleware")
    if session is None:
        out.append(Result("secrets.session_secret", MET, "SessionMiddleware", "no SessionMiddleware"))
    else:
        val = session.kwarg("secret_key")
        if val is None and len(session.node.args) > 1:
            val = session.evaluator(session.node.args[1])
        val = val or Val(MISSING)
        loc = f"SessionMiddleware ({session.path}:{session.line})"
        if val.kind == LITERAL or (val.kind == ENV and val.has_default and weak_secret(val.value) and len(str(val.value)) < 32):
            out.append(Result("secrets.session_secret", NOT_MET, "secret_key", f"{loc}: " + describe("secret_key", val, secret=True),
                              "read the secret from the environment", session.path, session.line))
        else:
            out.append(Result("secrets.session_secret", MET if val.kind in (ENV, SECRET) else UNKNOWN_STATUS, "secret_key",
                              f"{loc}: " + describe("secret_key", val, secret=True)))
        https = session.kwarg("https_only")
        ok = https is not None and https.visible and to_bool(https.value)
        out.append(Result("headers.session_cookie_secure", MET if ok else UNKNOWN_STATUS if https is not None and not https.visible else NOT_MET,
                          "https_only", f"{loc}: https_only is {'True' if ok else 'not True'}", "pass https_only=True" if not ok else "",
                          session.path, session.line))
    redirect = mw.get("HTTPSRedirectMiddleware")
    if redirect is not None:
        out.append(Result("headers.https", MET, "HTTPSRedirectMiddleware", f"HTTPSRedirectMiddleware ({redirect.path}:{redirect.line})"))
    elif servers.https_redirect or servers.header("strict-transport-security"):
        fact = servers.https_redirect or servers.header("strict-transport-security")
        who = "the app's own middleware sends HSTS" if fact is not None and fact.text.startswith("set by the app") else "the proxy handles HTTPS"
        out.append(Result("headers.https", MET, "proxy", f"{who}: {fact}"))
    else:
        out.append(Result("headers.https", _deployed(servers), "HTTPSRedirectMiddleware", "no HTTPSRedirectMiddleware and no HTTPS redirect in a proxy "
                                                                                          "config in the repo",
                          "add HTTPSRedirectMiddleware, or redirect to HTTPS in the TLS proxy"))
    hosts = mw.get("TrustedHostMiddleware")
    if hosts is not None:
        val = hosts.kwarg("allowed_hosts") or Val(MISSING)
        bad = val.kind == MISSING or (val.visible and isinstance(val.value, (list, tuple)) and "*" in val.value)
        status = NOT_MET if bad else MET if val.visible else UNKNOWN_STATUS
        out.append(Result("permissions.trusted_hosts", status, "TrustedHostMiddleware",
                          f"TrustedHostMiddleware ({hosts.path}:{hosts.line}): " + describe("allowed_hosts", val, default_text="Starlette's default is "
                                                                                                                               "['*']"),
                          "list the service's host names" if bad else "", hosts.path, hosts.line))
    elif servers.server_name is not None:
        out.append(Result("permissions.trusted_hosts", MET, "server_name", f"hosts restricted in the proxy: {servers.server_name}"))
    elif _deployed(servers) == NOT_MET and not public_host(servers, {}):
        out.append(Result("permissions.trusted_hosts", UNKNOWN_STATUS, "TrustedHostMiddleware",
                          "no TrustedHostMiddleware and no server_name in a proxy config" + NO_PUBLIC_HOST))
    else:
        out.append(Result("permissions.trusted_hosts", _deployed(servers), "TrustedHostMiddleware", "no TrustedHostMiddleware and no server_name in a proxy "
                                                                                                    "config, so any Host header is accepted",
                          "add TrustedHostMiddleware(allowed_hosts=[...])"))
    out.append(cors_middleware(facts, entry) or Result("permissions.cors", MET, "CORSMiddleware", "no CORSMiddleware"))
    out.append(_server_limit(servers, "Starlette reads bodies of any size", deployed=True))
    out.append(_logging(facts, {}, "only uvicorn's own logs (access, errors) are written"))
    return out


# Origins no front end has: a pattern that lets these in lets in every site.
_FOREIGN_ORIGINS = ("https://evil.example", "http://attacker.test:8080")


def _allows_all(origins: Val | None, regex: Val | None) -> bool:
    """``allow_origins=["*"]`` (or a setting/env default of ``"*"``, a comma list holding it),
    or an ``allow_origin_regex`` that matches any origin."""
    if origins is not None and origins.visible:
        value = origins.value
        items = value if isinstance(value, (list, tuple, set)) else re.split(r"[,\s]+", value) if isinstance(value, str) else []
        if any(str(o).strip() == "*" for o in items):
            return True
    if regex is not None and regex.visible and isinstance(regex.value, str):
        try:
            pattern = re.compile(regex.value)
        except re.error:
            return False
        return all(pattern.fullmatch(o) for o in _FOREIGN_ORIGINS)
    return False


def cors_middleware(facts: AppFacts, entry: str = "") -> Result | None:
    """Starlette's ``CORSMiddleware`` that lets every origin in with ``allow_credentials=True``:
    the calls in the entry point's own module when it has some, else every one in the
    service's code under its folder; the worst is reported. None when the app adds no CORSMiddleware."""
    calls = [c for c in facts.calls if c.name in ("add_middleware", "Middleware") and c.node.args
             and (_callee_name(c.node.args[0]) == "CORSMiddleware")]
    if entry:
        # the entry's own module, else the package it sits in (not a sibling service's app)
        own = [c for c in calls if os.path.normpath(c.path) == os.path.normpath(entry)]
        home = os.path.dirname(os.path.normpath(entry))
        calls = own or [c for c in calls if not home or os.path.normpath(c.path).startswith(home + os.sep)]
    if not calls:
        return None
    for cors in calls:
        creds = cors.kwarg("allow_credentials")
        with_creds = creds is not None and creds.visible and to_bool(creds.value)
        if with_creds and (any(_allows_all(v, None) for v in cors.kwarg_branches("allow_origins"))
                           or any(_allows_all(None, v) for v in cors.kwarg_branches("allow_origin_regex"))):
            return Result("permissions.cors", NOT_MET, "CORSMiddleware",
                          f"CORSMiddleware ({cors.path}:{cors.line}) allows every origin with allow_credentials=True, "
                          "so any site can make credentialed requests and read the answers",
                          "list the front-end origins in allow_origins", cors.path, cors.line)
    cors = calls[0]
    return Result("permissions.cors", MET, "CORSMiddleware", f"CORSMiddleware ({cors.path}:{cors.line}) has no wildcard with credentials")


def _callee_name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


NO_PUBLIC_HOST = ("; nothing in the repository names a fixed public host name (a self-hosted install is reached by whatever name or address "
                  "its users pick), so a Host allow-list is the installer's")


def public_host(servers: Servers, ns: Namespace) -> str:
    """A fixed public host name the project is served under, or "": the certificate or HTTPS
    redirect of the server in front, Apache's ServerName, or Flask's SERVER_NAME. Starlette's
    TrustedHostMiddleware and Flask's TRUSTED_HOSTS are optional: a Host allow-list is a fair
    ask only of a service with such names (Django's ALLOWED_HOSTS is mandatory, and judged always)."""
    if servers.public_host is not None:
        return str(servers.public_host)
    for v in ns.get("SERVER_NAME", ()):
        if v.visible and isinstance(v.value, str) and "." in v.value and not v.value.startswith(("localhost", "127.", "0.0.0.0")):
            return f"SERVER_NAME {v.value!r} ({v.path}:{v.line})"
    return ""


def proxy_in_repo(servers: Servers) -> bool:
    """Whether the repo holds the config of a server in front of the app (nginx, uWSGI, an ingress, Traefik)."""
    # A server's own config (nginx, Apache, uWSGI, Traefik, an ingress), not a flag
    # that only says a proxy exists (--forwarded-allow-ips) or gunicorn's limits.
    sent = any(not f.text.startswith("set by the app") for f in servers.headers.values())
    return bool(servers.nginx_proxy or servers.apache or servers.uwsgi or servers.unlimited or servers.server_name or servers.body_limit
                or servers.https_redirect or servers.tls or sent)


def _deployed(servers: Servers) -> Status:
    """An item the server in front decides: not met when its config is in the
    repo and misses it, unknown when the repo holds no such config (the
    deployment is elsewhere; ``--strict`` reports it)."""
    return NOT_MET if proxy_in_repo(servers) else UNKNOWN_STATUS


def _body_deployed(servers: Servers) -> Status:
    """No body limit anywhere: not met when a server config in the repo says
    unlimited (``client_max_body_size 0``) or a proxy in the repo sets none of its
    own (Traefik); unknown when the front server's config is not in the repo, or it
    is Apache's, whose LimitRequestBody default (1 GB since 2.4.53) the deployment sets."""
    if servers.unlimited is not None:
        return NOT_MET
    if servers.apache is not None and servers.nginx_proxy is None:
        return UNKNOWN_STATUS
    return _deployed(servers)


def _server_limit(servers: Servers, why: str, deployed: bool = True) -> Result:
    if servers.body_limit is not None:
        return Result("uploads.server_limit", MET, "client_max_body_size", str(servers.body_limit))
    extra = f" ({servers.unlimited})" if servers.unlimited else ""
    return Result("uploads.server_limit", _body_deployed(servers) if deployed else NOT_MET, "client_max_body_size",
                  f"no request body limit in a server config in the repo{extra}: {why}",
                  "limit client_max_body_size in nginx or limit-post in uWSGI")


# ---- Pyramid -------------------------------------------------------------

_ENV_REF = re.compile(r"%\(ENV_\w+\)s|\$\{?\w+|%\(__\w+\)s")


@record
class IniEntry:
    value: str
    path: str
    line: int


def pyramid_sections(path: str, load: Any, seen: set[str] | None = None) -> tuple[dict[str, dict[str, IniEntry]], list[str]]:
    """Sections of an ini file with ``use = config:other.ini`` chains applied (base first)."""
    seen = seen if seen is not None else set()
    seen.add(os.path.normpath(path))
    doc = load(path)
    sections: dict[str, dict[str, IniEntry]] = {}
    layers: list[str] = []
    if doc is None:
        return sections, layers
    own: dict[str, dict[str, IniEntry]] = {}
    for entry in doc.entries:
        if len(entry.path) == 1:
            own.setdefault(str(entry.path[0]), {})
        elif len(entry.path) == 2:
            written = str(entry.value if entry.value is not None else entry.source)
            own.setdefault(str(entry.path[0]), {})[str(entry.path[1])] = IniEntry(written, path, entry.line)
    for name, keys in own.items():
        use = keys.get("use")
        if use and use.value.strip().startswith("config:"):
            target = use.value.strip()[len("config:"):].split("#", 1)[0].strip()
            target = target.replace("%(here)s", os.path.dirname(path) or ".")
            target = os.path.normpath(target if os.path.isabs(target) else os.path.join(os.path.dirname(path), target))
            template = path.rpartition(".")[2]
            if not os.path.isfile(target) and not path.endswith(".ini") and os.path.isfile(f"{target}.{template}"):
                target = f"{target}.{template}"  # production.ini.in uses config:common.ini, made from common.ini.in
            if os.path.isfile(target) and os.path.normpath(target) not in seen:
                base, base_layers = pyramid_sections(target, load, seen)
                for section, values in base.items():
                    merged = dict(values)
                    if section == name or (section.startswith("app:") and name.startswith("app:")):
                        merged.update(keys)
                        sections[name] = merged
                    else:
                        sections.setdefault(section, values)
                layers += [lay for lay in base_layers if lay not in layers]
    for name, keys in own.items():
        if name in sections:
            sections[name] = {**sections[name], **keys}
        else:
            sections[name] = keys
    layers.append(path)
    return sections, layers


def _names_itself(key: str, value: str) -> bool:
    """``oidc.fedora.client_secret = oidc-client_secret``: a slot to fill, named after its key."""
    def norm(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    last = norm(key.rsplit(".", 1)[-1])
    return bool(last) and norm(value).endswith(last) or norm(value) in ("changeme", "change_me", "secret", "replace_me", "xxx")


# A value that names a file holding the secret, not the secret: "%(here)s/session-secret.b64",
# "/run/secrets/session_key", "file://...", "session.key".
_SECRET_PATH = re.compile(r"^(%\(here\)s[/\\]|/run/secrets/|/etc/|/var/|file://|\.{0,2}/[\w.-]+/)|^[\w./%()-]+\.(b64|key|pem|txt|secret)$", re.I)


def _ini_session_reader(sections: dict[str, dict[str, IniEntry]], facts: AppFacts) -> str:
    """What reads the ini's session.* keys: pyramid_beaker (or a redis session
    package) in pyramid.includes / the pipeline / config.include, or a
    session_factory_from_settings call; "" when nothing does."""
    app = next((v for k, v in sections.items() if k.startswith("app:")), {})
    includes = app.get("pyramid.includes")
    if includes is not None and _INI_SESSIONS.search(includes.value):
        return f"pyramid.includes ({includes.path}:{includes.line})"
    for name, keys in sections.items():  # [filter:session] use = egg:Beaker#beaker_session, in a [pipeline:main]
        use = keys.get("use")
        if name.startswith("filter:") and use is not None and re.search(r"beaker", use.value, re.I):
            return f"[{name}] ({use.path}:{use.line})"
    for call in facts.named("include", "session_factory_from_settings"):
        if call.name == "session_factory_from_settings" or (call.node.args and _INI_SESSIONS.search(source(call.node.args[0]))):
            return f"{call.name} ({call.path}:{call.line})"
    return ""


def pyramid_results(sections: dict[str, dict[str, IniEntry]], facts: AppFacts, servers: Servers, https: bool = True) -> list[Result]:
    """``https``: whether the repo shows production is served over HTTPS (see
    transport.py); without it a cookie's ``secure`` flag is the deployment's call."""
    out: list[Result] = []
    app = next((v for k, v in sections.items() if k.startswith("app:")), {})
    # Secrets may sit in the app's own sections too ([syncserver] secret = ...), not only [app:main].
    settings_sections = [v for k, v in sections.items()
                         if not k.startswith(("server:", "logger", "handler", "formatter", "pipeline:", "filter:", "composite:"))]
    secrets = [(k, e) for sec in settings_sections for k, e in sec.items()
               if k.lower().endswith(("secret", "_secret", ".secret")) or k.lower().endswith("secret_key")]
    bad = [(k, e) for k, e in secrets if e.value.strip() and not _ENV_REF.search(e.value) and not _names_itself(k, e.value)]
    files = [(k, e) for k, e in bad if _SECRET_PATH.search(e.value.strip())]
    bad = [(k, e) for k, e in bad if (k, e) not in files]
    def runs(call: Call) -> bool:
        """A call in a branch on a test/debug setting runs in production only when its ini turns that setting on."""
        if not call.guard:
            return True
        entry = next((sec[call.guard] for sec in settings_sections if call.guard in sec), None)
        return entry is not None and to_bool(entry.value.strip()) is True

    factories = [c for c in facts.named("SignedCookieSessionFactory", "AuthTktAuthenticationPolicy", "AuthTktCookieHelper") if runs(c)]
    for call in factories:
        first = call.arg(0)
        val = call.evaluator(first) if first is not None else call.kwarg("secret")
        if val is not None and val.kind == LITERAL and isinstance(val.value, str):
            out.append(Result("secrets.session_secret", NOT_MET, call.name, f"{call.name}(...) ({call.path}:{call.line}) gets a literal secret",
                              "read it from the settings, filled from the environment", call.path, call.line))
            break
    else:
        if bad:
            k, e = bad[0]
            out.append(Result("secrets.session_secret", NOT_MET, k, f"{k} is written in the ini file ({e.path}:{e.line})",
                              "pass it through the environment", e.path, e.line))
        elif files:
            k, e = files[0]
            out.append(Result("secrets.session_secret", MET, k, f"{k} names a secret file ({e.value.strip()}, {e.path}:{e.line}): "
                                                                "from a secret store, not committed"))
        else:
            out.append(Result("secrets.session_secret", MET, "secret", "no literal session or auth secret"))
    flags = (".secure", ".httponly", "cookie_secure", "cookie_httponly") if https else (".httponly", "cookie_httponly")
    cookie_bad = [(k, e) for k, e in app.items() if k.lower().endswith(flags) and e.value.strip().lower() in ("false", "0", "no", "off")]
    wanted = ("secure", "httponly") if https else ("httponly",)
    session_calls = [c for c in factories if c.name == "SignedCookieSessionFactory"]
    if cookie_bad:
        k, e = cookie_bad[0]
        out.append(Result("headers.session_cookie", NOT_MET, k, f"{k} is {e.value} ({e.path}:{e.line})", "set it to true", e.path, e.line))
    elif session_calls:
        call = session_calls[0]
        missing = [k for k in wanted if not ((v := call.kwarg(k)) is not None and (not v.visible or to_bool(v.value)))]
        if missing:
            out.append(Result("headers.session_cookie", NOT_MET, "SignedCookieSessionFactory",
                              f"SignedCookieSessionFactory ({call.path}:{call.line}) leaves {' and '.join(missing)} off (Pyramid's default)",
                              "pass " + ", ".join(f"{k}=True" for k in missing), call.path, call.line))
        else:
            out.append(Result("headers.session_cookie", MET, "SignedCookieSessionFactory", f"{' and '.join(wanted)} set ({call.path}:{call.line})"))
    else:
        # Sessions configured from the ini (pyramid_beaker, pyramid_redis_sessions): the flags must be on there.
        prefixes = sorted({p for p in ("session", "beaker.session", "redis.sessions") for k in app if k.startswith(p + ".")})
        # pyramid_redis_sessions / pyramid_session_redis read redis.sessions.cookie_secure and cookie_httponly (httponly on by default)
        unset = [f"{p}.cookie_{flag}" if p == "redis.sessions" else f"{p}.{flag}" for p in prefixes[:1] for flag in wanted
                 if not (p == "redis.sessions" and flag == "httponly")]
        unset = [k for k in unset if k not in app]
        reader = _ini_session_reader(sections, facts)
        if unset and not reader:
            # session.* keys no factory in the repo reads (the factory is built in code, maybe by a dependency):
            # setting the flags in the ini would change nothing
            entry = next(e for k, e in app.items() if k.startswith(prefixes[0] + "."))
            out.append(Result("headers.session_cookie", UNKNOWN_STATUS, prefixes[0],
                              f"{prefixes[0]}.* keys are set ({entry.path}:{entry.line}) but nothing in the repository reads them (no pyramid_beaker, "
                              "pyramid_redis_sessions or session_factory_from_settings): the session factory is built elsewhere, "
                              "so its cookie flags cannot be told", "", entry.path, entry.line))
        elif unset:
            entry = next(e for k, e in app.items() if k.startswith(prefixes[0] + "."))
            out.append(Result("headers.session_cookie", NOT_MET, unset[0],
                              f"{' and '.join(unset)} not set for the session configured in the ini ({entry.path}:{entry.line}); the defaults are off",
                              "set " + ", ".join(f"{k} = true" for k in unset), entry.path, entry.line))
        else:
            out.append(Result("headers.session_cookie", MET, "session", "no cookie session factory with insecure flags"))
    out.extend(_auth_ticket_cookie(factories, https))
    includes = app.get("pyramid.includes")
    hosts = app.get("debugtoolbar.hosts")
    toolbar = [c for c in facts.named("include") if c.node.args and "debugtoolbar" in source(c.node.args[0])]
    if includes is not None and "debugtoolbar" in includes.value:
        out.append(Result("permissions.debugtoolbar", NOT_MET, "pyramid.includes", "pyramid.includes loads pyramid_debugtoolbar "
                                                                                   f"({includes.path}:{includes.line})",
                          "remove pyramid_debugtoolbar from production", includes.path, includes.line))
    elif toolbar:
        call = toolbar[0]
        out.append(Result("permissions.debugtoolbar", NOT_MET, "config.include", "config.include(...) loads pyramid_debugtoolbar in code "
                                                                                 f"({call.path}:{call.line})",
                          "include it only from development.ini", call.path, call.line))
    elif hosts is not None and re.search(r"0\.0\.0\.0/0|::/0|\*", hosts.value):
        out.append(Result("permissions.debugtoolbar", NOT_MET, "debugtoolbar.hosts", "debugtoolbar.hosts is open to every address "
                                                                                     f"({hosts.path}:{hosts.line})",
                          "remove it", hosts.path, hosts.line))
    else:
        out.append(Result("permissions.debugtoolbar", MET, "pyramid.includes", "pyramid_debugtoolbar not included"))
    waitress = next((v.get("max_request_body_size") for k, v in sections.items() if k.startswith("server:")), None)
    if waitress is not None and waitress.value.strip() not in ("", "0"):
        out.append(Result("uploads.server_limit", MET, "max_request_body_size",
                          f"waitress max_request_body_size = {waitress.value.strip()} ({waitress.path}:{waitress.line})"))
    else:
        out.append(_server_limit(servers, "WebOb reads bodies of any size (waitress allows 1 GB)"))
    root = sections.get("logger_root")
    if root is None or "loggers" not in sections or "handlers" not in sections:
        out.append(Result("logging.logging", NOT_MET, "[logger_root]", "no [loggers] / [handlers] / [logger_root] sections, so the app's logging is not "
                                                                       "configured (only the server's own log)",
                          "add the logging sections with [logger_root] level = WARN"))
    else:
        level = root.get("level")
        if level is not None and level.value.strip().upper() == "DEBUG":
            out.append(Result("logging.logging", NOT_MET, "logger_root.level", f"[logger_root] level is DEBUG ({level.path}:{level.line})",
                              "use INFO or WARN", level.path, level.line))
        else:
            out.append(Result("logging.logging", MET, "[logger_root]", "[logger_root] and handlers present"))
    return out


def _auth_ticket_cookie(factories: Sequence[Call], https: bool) -> list[Result]:
    """The auth ticket cookie (``AuthTktAuthenticationPolicy`` / ``AuthTktCookieHelper``) is the login
    session: ``secure`` and ``http_only`` are off by default. Judged only where production is HTTPS."""
    out: list[Result] = []
    if not https:
        return out
    for call in factories:
        if call.name not in ("AuthTktAuthenticationPolicy", "AuthTktCookieHelper"):
            continue
        if call.node.keywords and any(kw.arg is None for kw in call.node.keywords):
            continue  # **kwargs: cannot tell
        missing = [k for k in ("secure", "http_only") if not ((v := call.kwarg(k)) is not None and (not v.visible or to_bool(v.value)))]
        if missing:
            out.append(Result("headers.session_cookie", NOT_MET, call.name,
                              f"{call.name} ({call.path}:{call.line}) leaves {' and '.join(missing)} off (Pyramid's default), "
                              "so the login cookie travels over plain HTTP or is readable from script",
                              "pass " + ", ".join(f"{k}=True" for k in missing), call.path, call.line))
        break
    return out
