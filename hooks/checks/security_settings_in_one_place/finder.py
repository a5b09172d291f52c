"""The AST visitor of security-settings-in-one-place: what counts as a security
setting or switch set in code, with the message for each (see the hook module)."""
from __future__ import annotations

import ast
import re

from hooks.common.security_catalogue import EXEMPT_DECORATORS, SECURITY_HEADERS, SETTING_NAMES

_CONFIG_CLASS = re.compile(r"(Config|Configuration|Settings)$")
# Modules named like config (netbox's configuration.py, conf.py, app_config.py):
# their module-level settings are config, though the settings-module pattern misses them.
_CONFIG_NAME = re.compile(r"(^|/)[^/]*(config|configuration|settings|conf)[^/]*\.py$", re.I)


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name(node.func)
    return ""


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


def _security_kwargs(call: ast.Call) -> list[str]:
    """The security settings a call overrides; DEBUG only when switched on.
    ``**kwargs`` may hold anything, so it counts."""
    out = []
    for kw in call.keywords:
        if kw.arg is None:
            out.append("**" + (_dotted(kw.value) or "kwargs"))
        elif kw.arg in SETTING_NAMES and not (kw.arg == "DEBUG" and _is_false(kw.value)):
            out.append(kw.arg)
    return out


class Finder(ast.NodeVisitor):
    def __init__(self, path: str, creates_app: bool, home: str = "") -> None:
        self.path = path
        self.home = home  # the production settings module, named in messages
        self.config_named = bool(_CONFIG_NAME.search(path))
        self.creates_app = creates_app
        self.found: list[tuple[int, int, str, tuple[str, ...]]] = []
        self.class_stack: list[str] = []
        self.decorators: set[int] = set()

    def add(self, node: ast.AST, message: str, *identity: str) -> None:
        self.found.append((getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1, message, identity))

    def hidden(self, what: str, why: str = "") -> str:
        home = self.home or "the settings"
        return f"{what} outside the settings modules: reviewers of {home} will not see it{why}; set it in {self.home or 'the settings module'}"

    # -- assignments ---------------------------------------------------
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if _CONFIG_CLASS.search(node.name):
            return  # a config class is config, wherever it lives
        self.class_stack.append(node.name)
        self.generic_visit(node)
        self.class_stack.pop()

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._target(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._target(node.target, node.value)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._target(node.target, node.value)
        self.generic_visit(node)

    def _target(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Attribute) and target.attr in SETTING_NAMES and _dotted(target.value).split(".")[-1] in ("settings", "conf", "config"):
            self.add(target, self.hidden(f"settings.{target.attr} is changed at run time"), "setting", target.attr)
        elif isinstance(target, ast.Subscript):
            key = _const(target.slice)
            owner = _dotted(target.value)
            if isinstance(key, str) and key in SETTING_NAMES and owner.split(".")[-1] in ("config", "settings"):
                self.add(target, self.hidden(f"{owner}[{key!r}] is set"), "setting", key)
            elif isinstance(key, str) and key.lower() in SECURITY_HEADERS:
                self.add(target, f"the {key} header is set in code, outside the settings modules: reviewers of "
                                 f"{self.home or 'the settings'} will not see it; send it from the security settings (middleware) or the proxy",
                         "header", key.lower())
        elif isinstance(target, ast.Name) and target.id in SETTING_NAMES and not self.class_stack and not self.config_named \
                and target.id not in ("DEBUG", "LOGGING", "MIDDLEWARE"):
            self.add(target, self.hidden(f"{target.id} is assigned"), "setting", target.id)

    # -- calls and decorators -----------------------------------------
    def _decorators(self, node: ast.AST) -> None:
        for dec in getattr(node, "decorator_list", []):
            self.decorators.add(id(dec))
            name = _name(dec)
            if name in EXEMPT_DECORATORS or _dotted(dec.func if isinstance(dec, ast.Call) else dec) in ("csrf.exempt", "csrf_protect.exempt"):
                shown = _dotted(dec.func if isinstance(dec, ast.Call) else dec) or name
                self.add(dec, f"@{shown} switches a protection off for this view: keep it only as a reviewed exception, "
                              f"with `# legacy-config: ignore[security-settings-in-one-place] <reason>`", "exempt", shown)
            elif name in ("override_settings", "modify_settings") and isinstance(dec, ast.Call) and _security_kwargs(dec):
                self.add(dec, self.hidden(f"@{name}({', '.join(_security_kwargs(dec))}=...) changes security settings in non-test code"), "override", name)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._decorators(node)
        self.generic_visit(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._decorators(node)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        dotted = _dotted(node.func)
        if id(node) in self.decorators:
            pass  # reported as a decorator
        elif name in EXEMPT_DECORATORS and node.args:  # path("graphql/", csrf_exempt(GraphQLView.as_view()))
            self.add(node, f"{name}(...) switches a protection off for this view: keep it only as a reviewed exception, "
                           f"with `# legacy-config: ignore[security-settings-in-one-place] <reason>`", "exempt", name)
        elif name in ("add", "set", "setdefault", "add_header", "__setitem__") and "headers" in dotted.lower() and node.args \
                and isinstance(_const(node.args[0]), str) and str(_const(node.args[0])).lower() in SECURITY_HEADERS:
            key = str(_const(node.args[0]))
            self.add(node, f"the {key} header is set in code, outside the settings modules: reviewers of "
                           f"{self.home or 'the settings'} will not see it; send it from the security settings (middleware) or the proxy",
                     "header", key.lower())
        elif dotted.endswith("settings.configure"):
            self.add(node, self.hidden("settings.configure(...) sets settings in code"), "configure", "settings.configure")
        elif name in ("override_settings", "modify_settings") and _security_kwargs(node):
            self.add(node, self.hidden(f"{name}({', '.join(_security_kwargs(node))}=...) changes security settings in non-test code"), "override", name)
        elif dotted.endswith(("config.update", "config.from_mapping")):
            keys = [kw.arg for kw in node.keywords if kw.arg in SETTING_NAMES]
            if node.args and isinstance(node.args[0], ast.Dict):
                keys += [k.value for k in node.args[0].keys if isinstance(k, ast.Constant) and k.value in SETTING_NAMES]
            if keys:
                self.add(node, self.hidden(f"{dotted}(...) sets {', '.join(keys)}"), "setting", *keys)
        elif name == "Talisman":
            weak = [kw.arg for kw in node.keywords if kw.arg in ("force_https", "strict_transport_security", "session_cookie_secure",
                                                                   "session_cookie_http_only", "content_security_policy", "frame_options")
                    and _is_false(kw.value)]
            if weak:
                self.add(node, self.hidden(f"Talisman({', '.join(k + '=' + ast.unparse(_kw(node, k)) for k in weak)}) switches protection off"),  # type: ignore[arg-type]
                         "talisman", *weak)
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
            weak = [k for k in ("secure", "httponly") if _is_false(_kw(node, k))]
            if weak:
                self.add(node, f"set_cookie(..., {', '.join(k + '=False' for k in weak)}) sends the cookie unprotected, outside the "
                               f"settings modules: reviewers of {self.home or 'the settings'} will not see it; drop the override", "cookie", *weak)
        elif name in ("SignedCookieSessionFactory", "BaseCookieSessionFactory", "SessionMiddleware", "AuthTktAuthenticationPolicy"):
            weak = [k for k in ("secure", "httponly", "https_only") if _is_false(_kw(node, k))]
            if weak:
                self.add(node, self.hidden(f"{name}({', '.join(k + '=False' for k in weak)}) sends the session cookie unprotected"), "session", *weak)
        elif dotted in ("os.umask", "umask") and node.args and isinstance(node.args[0], ast.Constant):  # not the restore
            self.add(node, self.hidden("os.umask(...) changes the permissions of every file the process creates"), "umask", "os.umask")
        elif dotted.endswith("chmod") and node.args:
            mode = node.args[-1] if dotted in ("os.chmod", "chmod") and len(node.args) > 1 else node.args[0] if not dotted.startswith("os.") else None
            value = _const(mode)
            if isinstance(value, int) and not isinstance(value, bool) and value & 0o002:
                self.add(node, self.hidden(f"{dotted}(..., {oct(value)}) makes a file world-writable"), "chmod", oct(value))
        self.generic_visit(node)
