"""The routes an app serves, read statically (``ast``; nothing is imported).

* Django: ``ROOT_URLCONF``'s ``urlpatterns`` (``path``/``re_path``/``url``,
  ``include()`` of the repo's modules with their prefixes, ``i18n_patterns``),
  resolved the way ``django.urls.resolve`` walks them;
* Flask: ``@app.route``/``@bp.get``/``add_url_rule`` with Blueprint
  ``url_prefix`` (given to ``Blueprint()`` or ``register_blueprint``);
* FastAPI/Starlette: ``@router.get`` with ``APIRouter(prefix=...)`` and
  ``include_router(..., prefix=...)``; a prefix read from a settings attribute
  (``settings.API_V1_STR``) is resolved through the settings layers;
* paths that WSGI/ASGI middleware answers (``environ["PATH_INFO"] == "/healthz"``);
* nginx ``location`` blocks that answer by themselves (``return 200``, ``stub_status``).

A route added by a third-party ``include()``, a router built in a loop, a
mounted sub-app: the paths below it are *unknown*, never "not a route".
"""
from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Sequence
from typing import Any

from hooks.core.records import field, record

Verdict = "bool | None"

_DJANGO_CONVERTERS = {"int": "[0-9]+", "str": "[^/]+", "slug": "[-a-zA-Z0-9_]+", "path": ".+",
                      "uuid": "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"}
_FLASK_CONVERTERS = {"int": r"\d+", "float": r"\d+\.\d+", "path": "[^/].*?", "string": "[^/]+", "default": "[^/]+",
                     "uuid": "[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"}
LANGUAGE_PREFIX = r"[a-z]{2,3}(?:[-_][a-zA-Z0-9]+)*/"
OTHER_FRAMEWORKS = re.compile(
    r"^\s*(?:from|import)\s+(aiohttp|tornado|sanic|falcon|pyramid|bottle|quart|connexion|flask_restx|flask_restplus|"
    r"flask_smorest|litestar|cherrypy|twisted|klein|starlite|web|hug|masonite|responder|robyn|blacksheep)\b", re.M)


# Django's own urlconfs, whose paths are fixed: include("django.contrib.auth.urls")
DJANGO_URLCONFS = {
    "django.contrib.auth.urls": ("login/", "logout/", "password_change/", "password_change/done/", "password_reset/",
                                 "password_reset/done/", "reset/<uidb64>/<token>/", "reset/done/"),
}


@record
class DjNode:
    regex: str
    is_regex: bool
    endpoint: bool
    children: list[DjNode] = field(default_factory=list)
    unknown: str = ""  # why what is below cannot be told ("" when it can)

    def match(self, path: str) -> str | None:
        try:
            compiled = re.compile(self.regex)
        except (re.error, RecursionError):
            return None
        if self.is_regex and self.endpoint and self.regex.endswith("$"):
            m = compiled.fullmatch(path)
        else:
            m = compiled.search(path)
        return path[m.end():] if m else None


def resolve_django(nodes: Sequence[DjNode], path: str) -> bool | None:
    """What ``django.urls.resolve(path)`` would do: True, False, or None (cannot tell)."""
    unknown = False
    for node in nodes:
        rest = node.match(path)
        if rest is None:
            continue
        if node.unknown:
            unknown = True
            continue
        if node.endpoint:
            return True
        got = resolve_django(node.children, rest)
        if got:
            return True
        unknown = unknown or got is None
    return None if unknown else False


def route_to_regex(route: str, endpoint: bool) -> str:
    parts = ["^"]
    pos = 0
    for m in re.finditer(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>", route):
        parts.append(re.escape(route[pos:m.start()]))
        parts.append("(" + _DJANGO_CONVERTERS.get(m.group("conv") or "str", "[^/]+") + ")")
        pos = m.end()
    parts.append(re.escape(route[pos:]))
    if endpoint:
        parts.append(r"\Z")
    return "".join(parts)


@record
class Table:
    """The routes of one app."""
    framework: str  # django | flask | fastapi | middleware | nginx
    where: str  # the file the routes start from
    django: list[DjNode] = field(default_factory=list)
    patterns: list[tuple[str, bool]] = field(default_factory=list)  # (regex over the full path, exact)
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (prefix regex, why)
    complete: bool = True
    locale: str = ""  # Django: the language LocaleMiddleware redirects an unprefixed path to ("" without it)

    def resolve(self, path: str) -> bool | None:
        if self.framework == "django":
            got = resolve_django([DjNode("^/", True, False, self.django)], path)
            return got
        for regex, exact in self.patterns:
            try:
                if (re.fullmatch if exact else re.match)(regex, path):
                    return True
            except re.error:
                continue
        for regex, _ in self.unknown:
            try:
                if re.match(regex, path):
                    return None
            except re.error:
                return None
        return False if self.complete else None

    def why_unknown(self, path: str) -> str:
        for regex, why in self.unknown:
            try:
                if re.match(regex, path):
                    return why
            except re.error:
                return why
        if self.framework == "django":
            return _django_why(self.django, path.lstrip("/")) or "part of the URLconf cannot be read"
        return "part of the routes cannot be read"


def _django_why(nodes: Sequence[DjNode], path: str) -> str:
    for node in nodes:
        rest = node.match(path)
        if rest is None:
            continue
        if node.unknown:
            return node.unknown
        why = _django_why(node.children, rest)
        if why:
            return why
    return ""


# -- module lookup -----------------------------------------------------------------
class Modules:
    """The repo's Python files by dotted name (any folder may be a source root)."""

    def __init__(self, files: Sequence[str], read: Callable[[str], str | None]) -> None:
        self.files = [f for f in files if f.endswith(".py")]
        self.read = read
        self.trees: dict[str, ast.Module | None] = {}
        self._by_tail: dict[str, list[str]] = {}
        for f in self.files:
            parts = f[:-3].split("/")
            if parts[-1] == "__init__":
                parts = parts[:-1]
            for i in range(len(parts)):
                self._by_tail.setdefault(".".join(parts[i:]), []).append(f)

    def file(self, dotted: str, near: str = "") -> str | None:
        found = self._by_tail.get(dotted)
        if not found:
            return None
        if len(found) == 1 or not near:
            return sorted(found, key=len)[0]
        # the candidate sharing the longest folder with the importing file
        return max(found, key=lambda f: (len(os.path.commonpath([f, near])) if os.path.isabs(f) == os.path.isabs(near) else 0, -len(f)))

    def relative(self, current: str, module: str | None, level: int) -> str | None:
        if level == 0:
            return self.file(module or "", current) if module else None
        base = os.path.dirname(current)
        for _ in range(level - 1):
            base = os.path.dirname(base)
        target = os.path.join(base, *(module.split(".") if module else []))
        for cand in (target + ".py", os.path.join(target, "__init__.py")):
            if os.path.normpath(cand) in self._normed:
                return self._normed[os.path.normpath(cand)]
        return None

    @property
    def _normed(self) -> dict[str, str]:
        cache = getattr(self, "_normed_cache", None)
        if cache is None:
            cache = {os.path.normpath(f): f for f in self.files}
            self._normed_cache = cache
        return cache

    def tree(self, path: str) -> ast.Module | None:
        if path not in self.trees:
            from hooks.config import python_trees

            text = self.read(path)
            try:
                self.trees[path] = python_trees.parse(text, path) if text is not None else None
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self.trees[path] = None
        return self.trees[path]

    def imports(self, path: str) -> dict[str, tuple[str | None, str | None]]:
        """Local name -> (file of the module, attribute or None for the module itself)."""
        cache: dict[str, dict[str, tuple[str | None, str | None]]] = self.__dict__.setdefault("_imports", {})
        if path not in cache:
            cache[path] = self._read_imports(path)
        return cache[path]

    def _read_imports(self, path: str) -> dict[str, tuple[str | None, str | None]]:
        tree = self.tree(path)
        out: dict[str, tuple[str | None, str | None]] = {}
        if tree is None:
            return out
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    local = alias.asname or alias.name
                    dotted = ".".join(p for p in (node.module, alias.name) if p)
                    as_module = self.relative(path, dotted, node.level) if node.level else self.file(dotted, path)
                    if as_module:
                        out[local] = (as_module, None)
                    else:
                        owner = self.relative(path, node.module, node.level) if node.level else self.file(node.module or "", path)
                        out[local] = (owner, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        out[alias.asname] = (self.file(alias.name, path), None)
        return out


def _const_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


# -- Django ------------------------------------------------------------------------
class DjangoReader:
    def __init__(self, modules: Modules, languages: Sequence[str] = ()) -> None:
        self.modules = modules
        self.active: set[str] = set()
        self.expanding: set[tuple[str, str]] = set()
        # i18n_patterns' prefix: one of LANGUAGES (LocaleMiddleware activates it from the URL)
        self.prefix = "(?:" + "|".join(re.escape(code) for code in languages) + ")/" if languages else LANGUAGE_PREFIX

    def urlconf(self, path: str) -> list[DjNode]:
        if path in self.active:
            return [DjNode("", True, False, unknown="an include() cycle")]
        tree = self.modules.tree(path)
        if tree is None:
            return [DjNode("", True, False, unknown=f"{path} cannot be parsed")]
        self.active.add(path)
        try:
            lists = self._lists(tree)
            names = self._module_lists(tree)
            found = lists.get("urlpatterns")
            if found is None:
                return [DjNode("", True, False, unknown=f"{path} has no urlpatterns list the hook can read")]
            return self._items(found, path, names)
        finally:
            self.active.discard(path)

    def _module_lists(self, tree: ast.Module) -> dict[str, list[ast.expr]]:
        return self._lists(tree)

    def _lists(self, tree: ast.Module) -> dict[str, list[ast.expr]]:
        """Module-level lists of patterns, with ``+=``/append/extend applied, ``if`` bodies included."""
        lists = _PatternLists()
        lists.walk(tree.body)
        return lists.out

    def _items(self, items: Sequence[ast.expr], path: str, names: dict[str, list[ast.expr]]) -> list[DjNode]:
        nodes: list[DjNode] = []
        for item in items:
            nodes.extend(self._item(item, path, names))
        return nodes

    def _item(self, item: ast.expr, path: str, names: dict[str, list[ast.expr]]) -> list[DjNode]:
        if isinstance(item, ast.Starred):
            return [DjNode("", True, False, unknown=f"urlpatterns in {path} are built in a way the hook cannot read")]
        if not isinstance(item, ast.Call):
            return [DjNode("", True, False, unknown=f"a pattern in {path} the hook cannot read")]
        name = _call_name(item)
        if name == "i18n_patterns":
            prefixed = True
            for kw in item.keywords:
                if kw.arg == "prefix_default_language":
                    prefixed = not (isinstance(kw.value, ast.Constant) and kw.value.value is False)
                    if not isinstance(kw.value, ast.Constant):
                        prefixed = False
            children = self._items([a for a in item.args if not isinstance(a, ast.Starred)], path, names)
            children += [DjNode("", True, False, unknown=f"patterns in {path} the hook cannot read")
                         for a in item.args if isinstance(a, ast.Starred)]
            regex = "^" + self.prefix if prefixed else "^(?:" + self.prefix + ")?"
            return [DjNode(regex, True, False, children)]
        if name not in ("path", "re_path", "url"):
            return [DjNode("", True, False, unknown=f"{name or 'a call'}() in {path} adds patterns the hook cannot read")]
        route_kw = next((k.value for k in item.keywords if k.arg in ("route", "regex")), None)
        if not item.args and route_kw is None:
            return [DjNode("", True, False, unknown=f"a pattern in {path} with no route")]
        route = _const_str(item.args[0] if item.args else route_kw)
        is_regex = name != "path"
        view = item.args[1] if len(item.args) > 1 else next((k.value for k in item.keywords if k.arg == "view"), None)
        children, unknown, endpoint = self._view(view, path, names)
        if route is None:
            return [DjNode("", True, False, unknown=f"a route in {path} that is not a literal")]
        regex = route if is_regex else route_to_regex(route, endpoint)
        return [DjNode(regex, is_regex, endpoint, children, unknown)]

    def _view(self, view: ast.expr | None, path: str, names: dict[str, list[ast.expr]]) -> tuple[list[DjNode], str, bool]:
        """(children, why unknown, endpoint) of a pattern's second argument."""
        if isinstance(view, ast.Call) and _call_name(view) == "include":
            if not view.args:
                return [], "include() with no argument", False
            target = view.args[0]
            if isinstance(target, ast.Tuple) and target.elts:
                target = target.elts[0]
            text = _const_str(target)
            if text is not None:
                found = self.modules.file(text, path)
                if found is None and text in DJANGO_URLCONFS:  # Django's own, with fixed paths
                    return [DjNode(route_to_regex(r, True), False, True) for r in DJANGO_URLCONFS[text]], "", False
                if found is None:
                    return [], f"include('{text}') is not in the repo", False
                return self.urlconf(found), "", False
            if isinstance(target, (ast.List, ast.Tuple)):
                return self._items(target.elts, path, names), "", False
            if isinstance(target, ast.Name):
                if (path, target.id) in self.expanding:  # urlpatterns = [path(PREFIX, include(urlpatterns))]
                    return [], f"include({target.id}) of the list being built in {path}", False
                if target.id in names:
                    self.expanding.add((path, target.id))
                    try:
                        return self._items(names[target.id], path, names), "", False
                    finally:
                        self.expanding.discard((path, target.id))
                imported = self.modules.imports(path).get(target.id)
                if imported and imported[0] and imported[1] is None:
                    return self.urlconf(imported[0]), "", False
                if imported and imported[0] and imported[1]:
                    tree = self.modules.tree(imported[0])
                    lists = self._lists(tree) if tree is not None else {}
                    if imported[1] in lists:
                        return self._items(lists[imported[1]], imported[0], lists), "", False
            return [], f"include({_source(target)}) cannot be followed", False
        if isinstance(view, (ast.List, ast.Tuple)) and view.elts:
            return self._items(list(view.elts), path, names), "", False
        if isinstance(view, ast.Attribute) and view.attr == "urls":
            return [], f"{_source(view)} (routes another package adds)", False
        return [], "", True


class _Rename(ast.NodeTransformer):
    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new

    def visit_Name(self, node: ast.Name) -> ast.Name:
        return ast.Name(self.new, node.ctx) if node.id == self.old else node


class _PatternLists:
    """Module-level lists of URL patterns as the module builds them."""

    def __init__(self) -> None:
        self.out: dict[str, list[ast.expr]] = {}

    def items_of(self, value: ast.expr) -> list[ast.expr]:
        if isinstance(value, (ast.List, ast.Tuple)):
            return list(value.elts)
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
            return self.items_of(value.left) + self.items_of(value.right)
        if isinstance(value, ast.Name) and value.id in self.out:
            return list(self.out[value.id])
        if isinstance(value, ast.Call):
            name = _call_name(value)
            if name == "i18n_patterns":
                return [value]
            if name in ("static", "staticfiles_urlpatterns", "debug_toolbar_urls"):
                return []
        return [ast.Starred(value)]  # something we cannot read

    def walk(self, body: Sequence[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                self.assign(stmt.targets[0].id, stmt.value)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                self.assign(stmt.target.id, stmt.value)
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
                self.out.setdefault(stmt.target.id, []).extend(self.items_of(stmt.value))
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                self.method(stmt.value)
            elif isinstance(stmt, ast.If):
                # either branch may run: a list it rebinds keeps its old patterns too
                before = {name: list(items) for name, items in self.out.items()}
                self.walk(stmt.body)
                self.walk(stmt.orelse)
                for name, items in before.items():
                    kept = self.out[name]
                    self.out[name] = kept + [i for i in items if not any(i is k for k in kept)]
            elif isinstance(stmt, ast.Try):
                self.walk(stmt.body)
                for handler in stmt.handlers:
                    self.walk(handler.body)
                self.walk(stmt.orelse)
            elif isinstance(stmt, ast.With):
                self.walk(stmt.body)
            elif isinstance(stmt, ast.For) and any(isinstance(n, ast.Name) and n.id == "urlpatterns" for n in ast.walk(stmt)):
                # urlpatterns += [path(...) for ...] in a loop: cannot tell
                self.out.setdefault("urlpatterns", []).append(ast.Starred(ast.Constant(None)))

    def assign(self, name: str, value: ast.expr) -> None:
        """``urlpatterns = [path("", include((urlpatterns, "app")))]`` wraps the list
        as it was: the old list is kept under its own name."""
        if name in self.out and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(value)):
            import copy

            alias = f"{name}@{len(self.out)}"
            self.out[alias] = self.out[name]
            value = _Rename(name, alias).visit(copy.deepcopy(value))
        self.out[name] = self.items_of(value)

    def method(self, call: ast.Call) -> None:
        """``urlpatterns.append(...)``, ``.extend([...])``, ``.insert(i, ...)``."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr in ("append", "extend", "insert")):
            return
        target = self.out.setdefault(func.value.id, [])
        if func.attr == "append" and call.args:
            target.append(call.args[0])
        elif func.attr == "extend" and call.args:
            target.extend(self.items_of(call.args[0]))
        elif func.attr == "insert" and len(call.args) > 1:
            target.append(call.args[1])


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _source(node: ast.AST) -> str:
    try:
        return ast.unparse(node)[:60]
    except Exception:  # a hand-built node
        return "?"


def django_table(root_urlconf: str, modules: Modules, languages: Sequence[str] = ()) -> Table:
    found = modules.file(root_urlconf)
    if found is None:
        return Table("django", root_urlconf, [DjNode("", True, False, unknown=f"ROOT_URLCONF {root_urlconf} is not in the repo")])
    return Table("django", found, DjangoReader(modules, languages).urlconf(found))


# -- Flask / FastAPI ------------------------------------------------------------------
_APPS = {"Flask": "flask", "FastAPI": "fastapi", "Starlette": "starlette", "Quart": "flask"}
_ROUTERS = {"Blueprint": "prefix", "APIRouter": "prefix", "Api": "prefix", "APIBlueprint": "prefix", "Router": "prefix"}
_ROUTE_METHODS = {"route", "get", "post", "put", "delete", "patch", "head", "options", "api_route", "websocket"}
_APP_NAMES = {"app", "application", "current_app", "api"}
# calls of the app or router that the reader handles itself
_OWN_CALLS = _ROUTE_METHODS | {"add_url_rule", "add_api_route", "add_route", "add_websocket_route", "add_resource", "include_router",
                               "register_blueprint", "register_api", "mount"}
_HINTS = ("Flask(", "FastAPI(", "Blueprint(", "APIRouter(", "Starlette(", "include_router", "register_blueprint", "Quart(", ".add_resource(",
          ".add_url_rule(", ".add_api_route(", ".init_app(")


@record
class _Obj:
    file: str
    name: str
    kind: str  # flask | fastapi | starlette | router
    prefix: str | None = ""
    routes: list[tuple[str | None, int]] = field(default_factory=list)  # (rule, line) None: not a literal
    children: list[tuple[Any, str | None, bool]] = field(default_factory=list)  # (child key or None, prefix, prefix given)
    mounts: list[str | None] = field(default_factory=list)
    line: int = 0


class AppReader:
    """Flask and FastAPI apps of the repo, their routers and the prefixes between them."""

    def __init__(self, modules: Modules, value: Callable[[str, ast.expr], str | None]) -> None:
        self.modules = modules
        self.value = value  # (file, expression) -> a string, or None
        self.objects: dict[tuple[str, str], _Obj] = {}
        self.extensions: list[tuple[str, str]] = []  # (path regex, why): routes an extension given the app adds
        # (app, object, prefix, prefix given): Api(app), Service(app), api.init_app(app) attach an object to an app, if it is one
        self.links: list[tuple[tuple[str, str] | None, tuple[str, str], str | None, bool]] = []
        self._reached: set[tuple[str, str]] = set()
        # (argument, function, parameter): ``setup_blueprints(app)``, a function of the repo given an object
        self.calls: list[tuple[tuple[str, str], tuple[str, str], int | str]] = []

    def read(self, files: Sequence[str]) -> None:
        for f in files:
            text = self.modules.read(f) or ""
            if not any(h in text for h in _HINTS) and not re.search(r"@\w+\.(route|get|post|api_route)\(", text):
                continue
            tree = self.modules.tree(f)
            if tree is not None:
                self._module(f, tree)

    def _key(self, file: str, node: ast.expr) -> tuple[str, str] | None:
        if isinstance(node, ast.Name):
            if (file, node.id) in self.objects:
                return (file, node.id)
            imported = self.modules.imports(file).get(node.id)
            if imported and imported[0] and imported[1]:
                return (imported[0], imported[1])
            return (file, node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            imported = self.modules.imports(file).get(node.value.id)
            if imported and imported[0] and imported[1] is None:
                return (imported[0], node.attr)
            if imported and imported[0] and imported[1]:
                sub = self.modules.file(imported[1], imported[0])
                owner = self.modules.relative(imported[0], imported[1], 1) or sub
                if owner:
                    return (owner, node.attr)
        return None

    def _module(self, f: str, tree: ast.Module) -> None:
        self._created(f, tree)
        self._used(f, tree)

    def _created(self, f: str, tree: ast.Module) -> None:
        """Apps and routers the module creates."""
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                cname = _call_name(node.value)
                for target in node.targets:
                    if not isinstance(target, ast.Name):
                        continue
                    if cname in _APPS:
                        self.objects[(f, target.id)] = _Obj(f, target.id, _APPS[cname], "", line=node.lineno)
                    elif cname in _ROUTERS:
                        prefix_node = next((k.value for k in node.value.keywords if k.arg in ("prefix", "url_prefix")), None)
                        prefix = "" if prefix_node is None else self.value(f, prefix_node)
                        self.objects[(f, target.id)] = _Obj(f, target.id, "router", prefix, line=node.lineno)
                    else:
                        continue
                    self._route_list(f, self.objects[(f, target.id)], node.value)

    def _used(self, f: str, tree: ast.Module) -> None:
        """Routes, includes, mounts and extensions the module adds to apps and routers."""
        apps = {name for (file, name), obj in self.objects.items() if file == f and obj.kind != "router"} | _APP_NAMES
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Attribute) and node.func.attr in _OWN_CALLS):
                self._extension(f, node, apps)
                self._helper_call(f, node)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name) and _call_name(node.value) not in _APPS:
                self._attach(f, node.value, (f, node.targets[0].id), node.value.args, _call_name(node.value) in _ROUTERS)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "init_app":
                owner = self._key(f, node.func.value)
                if owner is not None:
                    self._attach(f, node, owner, node.args[:1], True)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                for deco in node.decorator_list:
                    if isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute) and deco.func.attr in _ROUTE_METHODS:
                        owner = self._key(f, deco.func.value)
                        rule = deco.args[0] if deco.args else next((k.value for k in deco.keywords if k.arg in ("path", "rule")), None)
                        if owner is not None:
                            self._obj(owner).routes.append((self.value(f, rule) if rule is not None else None, deco.lineno))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                attr = node.func.attr
                owner = self._key(f, node.func.value)
                if owner is None:
                    continue
                if attr in ("add_url_rule", "add_api_route", "add_route", "add_websocket_route") and node.args:
                    self._obj(owner).routes.append((self.value(f, node.args[0]), node.lineno))
                elif attr == "add_resource" and len(node.args) > 1:
                    for arg in node.args[1:]:
                        self._obj(owner).routes.append((self.value(f, arg), node.lineno))
                elif attr in ("include_router", "register_blueprint", "register_api") and node.args:
                    child = self._key(f, node.args[0])
                    kw = next((k.value for k in node.keywords if k.arg in ("prefix", "url_prefix")), None)
                    self._obj(owner).children.append((child, "" if kw is None else self.value(f, kw), kw is not None))
                elif attr == "mount":
                    self._obj(owner).mounts.append(self.value(f, node.args[0]) if node.args else None)

    def _attach(self, f: str, call: ast.Call, child: tuple[str, str], args: Sequence[ast.expr], known: bool) -> None:
        """``api = Api(app, prefix="/api")``, ``api = Service(app)``, ``api.init_app(app)``: the object's
        routes are the app's, under its prefix (unknown for a class the hook does not know)."""
        kw = next((k.value for k in call.keywords if k.arg in ("prefix", "url_prefix")), None)
        for arg in [*args, *(k.value for k in call.keywords if k.arg == "app")]:
            if isinstance(arg, (ast.Name, ast.Attribute)):
                prefix = self.value(f, kw) if kw is not None else ("" if known else None)
                self.links.append((self._key(f, arg), child, prefix, kw is not None or not known))

    def _helper_call(self, f: str, call: ast.Call) -> None:
        """``setup_blueprints(app)``: remembered, so that what the function registers on its parameter
        is the app's when the argument is one (``tables``)."""
        if not isinstance(call.func, (ast.Name, ast.Attribute)):
            return
        func = self._key(f, call.func)
        if func is None:
            return
        given: list[tuple[ast.expr, int | str]] = [(a, i) for i, a in enumerate(call.args)]
        given += [(k.value, k.arg) for k in call.keywords if k.arg]
        for arg, at in given:
            if isinstance(arg, ast.Name):
                key = self._key(f, arg)
                if key is not None:
                    self.calls.append((key, func, at))

    def _parameter(self, func: tuple[str, str], at: int | str) -> str | None:
        """The name of parameter ``at`` (a position or a keyword) of module-level function ``func``."""
        tree = self.modules.tree(func[0])
        if tree is None:
            return None
        defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == func[1]]
        if len(defs) != 1:
            return None
        names = [a.arg for a in (*defs[0].args.posonlyargs, *defs[0].args.args)]
        if isinstance(at, int):
            return names[at] if at < len(names) else None
        return at if at in names or at in [a.arg for a in defs[0].args.kwonlyargs] else None

    def _follow_helpers(self) -> None:
        """What a function of the repo registers on its parameter (``def setup_blueprints(app):
        app.register_blueprint(info_bp, url_prefix="/info")``) is the app's when the app's factory calls it
        with the app, and a blueprint's when the module calls it with a blueprint it creates (``def
        add_routes_to_blueprint(bp, routes): bp.add_url_rule(route["rule"], ...)`` in a loop: a route that is
        not a literal, so the paths under the blueprint's prefix are unknown). One level: the function's own
        calls with its parameter are not followed."""
        merged: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for arg, func, at in self.calls:
            app = self.objects.get(arg)
            if app is None or (app.kind == "router" and not app.line):
                continue  # an app, or a router the repo creates (``add_routes_to_blueprint(api_v1, ROUTES)``)
            name = self._parameter(func, at)
            if name is None:
                continue
            param = self.objects.get((func[0], name))
            if param is None or param.kind != "router" or param.prefix is not None or param.line or param is app:
                continue  # not an object the function only receives
            app.routes += param.routes
            app.children += [c for c in param.children if c not in app.children]
            app.mounts += param.mounts
            merged.setdefault((func[0], name), []).append(arg)
        for key, apps in merged.items():
            del self.objects[key]
            # ``Api(app)`` inside the function: attached to the app given
            self.links += [(app, child, prefix, given) for owner, child, prefix, given in self.links if owner == key for app in apps]

    def _extension(self, f: str, call: ast.Call, apps: set[str]) -> None:
        """``HealthCheck(app, "/health-check")``, ``PrometheusMetrics(app, path="/metrics")``: a package
        given the app and a path serves routes there the hook cannot see: unknown under that path."""
        values = [*call.args, *(k.value for k in call.keywords)]
        on_app = isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) and call.func.value.id in apps
        if not on_app and not any(isinstance(v, ast.Name) and v.id in apps for v in values):
            return
        for v in values:
            text = _const_str(v)
            if text and text.startswith("/") and len(text) > 1:
                self.extensions.append((re.escape(text.rstrip("/")), f"{_call_name(call) or 'a call'}() in {f} gives the app a route at {text}"))

    def _route_list(self, f: str, obj: _Obj, call: ast.Call) -> None:
        """Starlette's ``Starlette(routes=[Route("/health", health), Mount("/static", ...)])``
        (FastAPI and APIRouter take ``routes=`` too)."""
        given = next((k.value for k in call.keywords if k.arg == "routes"), None)
        if given is None:
            return
        if not isinstance(given, (ast.List, ast.Tuple)):
            obj.mounts.append(None)  # built elsewhere: anything may be below
            return
        for item in given.elts:
            name = _call_name(item) if isinstance(item, ast.Call) else ""
            first = item.args[0] if isinstance(item, ast.Call) and item.args else \
                next((k.value for k in item.keywords if k.arg == "path"), None) if isinstance(item, ast.Call) else None
            if name in ("Route", "WebSocketRoute", "APIRoute", "APIWebSocketRoute") and first is not None:
                obj.routes.append((self.value(f, first), item.lineno))
            elif name == "Mount" and first is not None:
                obj.mounts.append(self.value(f, first))
            else:
                obj.mounts.append(None)

    def _obj(self, key: tuple[str, str]) -> _Obj:
        if key not in self.objects:
            self.objects[key] = _Obj(key[0], key[1], "router", None)  # an object made elsewhere: prefix unknown
        return self.objects[key]

    def tables(self) -> list[Table]:
        self._follow_helpers()
        for app, child, prefix, given in self.links:
            owner = self.objects.get(app) if app else None
            if owner is None or owner.kind == "router" or child not in self.objects or child == app:
                continue
            if not any(c == child for c, _, _ in owner.children):
                owner.children.append((child, prefix, given))
        out = []
        for obj in self.objects.values():
            if obj.kind not in ("flask", "fastapi", "starlette"):
                continue
            table = Table(obj.kind if obj.kind != "starlette" else "fastapi", obj.file)
            if obj.kind == "flask":
                table.patterns.append((_rule_regex("/static/<path:filename>"), True))
            table.unknown += self.extensions
            self._walk(obj, "", table, set(), obj.kind)
            out.append(table)
        # routes of objects no app is seen to include: they may be served under any prefix
        orphans = [(_rule_regex(rule), f"{obj.name} in {obj.file} declares {rule}, under a prefix the hook cannot follow")
                   for key, obj in self.objects.items() if key not in self._reached
                   for rule, _ in obj.routes if rule]
        for table in out:
            table.unknown += [(".*" + regex.lstrip("^") + "/?$", why) for regex, why in orphans]
        return out

    def _walk(self, obj: _Obj, prefix: str | None, table: Table, seen: set[tuple[str, str]], kind: str) -> None:
        key = (obj.file, obj.name)
        if key in seen:
            return
        seen = seen | {key}
        self._reached.add(key)
        for rule, _line in obj.routes:
            if prefix is None or rule is None:
                table.unknown.append((re.escape(prefix or "") if prefix else ".*", f"a route of {obj.name} in {obj.file} is not a literal"))
                if prefix is None:
                    table.complete = False
                continue
            full = _join(prefix, rule, kind)
            table.patterns.append((_rule_regex(full), True))
        for mount in obj.mounts:
            table.unknown.append((re.escape(_join(prefix or "", mount, kind)) if mount is not None and prefix is not None else ".*",
                                  f"{obj.name}.mount() in {obj.file}"))
        for child_key, child_prefix, given in obj.children:
            child = self.objects.get(child_key) if child_key else None
            if child is None:
                where = re.escape(_join(prefix, child_prefix, kind)) if prefix is not None and child_prefix is not None else ".*"
                table.unknown.append((where, f"a router included in {obj.file} cannot be followed"))
                continue
            if kind == "flask" and given:
                own = child_prefix
            elif kind == "flask":
                own = child.prefix
            else:
                own = None if child_prefix is None or child.prefix is None else child_prefix + child.prefix
            nxt = None if prefix is None or own is None else _join(prefix, own, kind)
            if nxt is None:
                table.unknown.append((".*", f"the prefix of {child.name} ({child.file}) cannot be told"))
            self._walk(child, nxt, table, seen, kind)


def _join(prefix: str | None, rule: str | None, kind: str) -> str:
    prefix = prefix or ""
    rule = rule or ""
    if kind == "flask" and prefix:
        return "/".join((prefix.rstrip("/"), rule.lstrip("/"))) if rule else prefix
    return prefix + rule


def _rule_regex(rule: str) -> str:
    parts = []
    pos = 0
    for m in re.finditer(r"<(?:(?P<conv>[a-zA-Z_]+)(?:\([^)]*\))?:)?(?P<name>[^>:]+)>|\{(?P<fname>[^}:]+)(?::(?P<fconv>\w+))?\}", rule):
        parts.append(re.escape(rule[pos:m.start()]))
        if m.group("fname"):
            parts.append(".+" if m.group("fconv") == "path" else "[^/]+")
        else:
            parts.append(_FLASK_CONVERTERS.get(m.group("conv") or "default", "[^/]+"))
        pos = m.end()
    parts.append(re.escape(rule[pos:]))
    return "".join(parts)


# -- middleware and nginx --------------------------------------------------------------
# Middleware of a package that answers paths by itself, before any urlconf: its dotted name in the
# settings' MIDDLEWARE -> the paths it answers (regex, matched whole). Dockerflow's Django middleware
# (Mozilla's Dockerflow spec) answers /__version__, /__heartbeat__ and /__lbheartbeat__, slash or not.
PACKAGE_MIDDLEWARE: dict[str, tuple[str, ...]] = {
    "dockerflow.django.middleware.DockerflowMiddleware": ("/__version__/?", "/__heartbeat__/?", "/__lbheartbeat__/?"),
}


def package_middleware_paths(files: Sequence[str], read: Callable[[str], str | None]) -> list[tuple[str, bool, str]]:
    """(regex, exact, file) of the paths a known package's middleware answers, for each Python file
    that names it as a string in a ``MIDDLEWARE`` (or ``MIDDLEWARE_CLASSES``) setting it writes."""
    out: list[tuple[str, bool, str]] = []
    for f in files:
        text = read(f) or ""
        if not re.search(r"\bMIDDLEWARE(_CLASSES)?\b", text):
            continue
        for name, paths in PACKAGE_MIDDLEWARE.items():
            if re.search(r"['\"]" + re.escape(name) + r"['\"]", text):
                out += [(p, True, f) for p in paths]
    return out


_PATH_WORDS = re.compile(r"PATH_INFO|\bpath_info\b|\[['\"]path['\"]\]|\.path\b|url\.path|raw_path")


def middleware_paths(path: str, tree: ast.Module) -> list[tuple[str, bool]]:
    """Paths code answers by comparing the request path with a literal
    (``environ["PATH_INFO"] == "/healthz"``, ``request.path in ("/ping", ...)``,
    ``scope["path"].startswith("/health")``): (regex, exact)."""
    out: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if not any(_PATH_WORDS.search(_source(s)) for s in sides):
                continue
            for side in sides:
                for text in _literals(side):
                    out.append((re.escape(text), True))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("startswith", "match") \
                and _PATH_WORDS.search(_source(node.func.value)) and node.args:
            for text in _literals(node.args[0]):
                out.append((re.escape(text) if node.func.attr == "startswith" else text.lstrip("^"), False))
    return out


def _literals(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(("/", "^/")):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str) and e.value.startswith("/")]
    return []


_LOCATION = re.compile(r"\blocation\s+(=|\^~|~\*|~)?\s*(\"[^\"]*\"|'[^']*'|[^\s{]+)\s*\{")
_ANSWERS = re.compile(r"\b(return|stub_status|alias|root|try_files|empty_gif)\b")
_PASSES = re.compile(r"\b(proxy_pass|uwsgi_pass|fastcgi_pass|grpc_pass|scgi_pass)\b")


def nginx_paths(text: str) -> list[tuple[str, bool]]:
    """Locations that answer without the app: (regex, exact)."""
    out: list[tuple[str, bool]] = []
    for m in _LOCATION.finditer(text):
        modifier, where = m.group(1) or "", m.group(2).strip("\"'")
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body = text[m.end():i - 1]
        if _PASSES.search(body) or not _ANSWERS.search(body):
            continue
        if modifier == "=":
            out.append((re.escape(where), True))
        elif modifier in ("~", "~*"):
            out.append(("(?i)" + where if modifier == "~*" else where, False))
        elif where != "/":
            out.append((re.escape(where), False))
    return out


def other_frameworks(text: str) -> str | None:
    m = OTHER_FRAMEWORKS.search(text)
    return m.group(1) if m else None
