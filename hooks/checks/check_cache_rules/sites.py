"""check-cache-rules: find the places in code and server config that cache responses.

Python is read with ``ast`` (never imported); nginx files with a small tokenizer
(words, quoted strings, ``{``, ``}``, ``;`` and ``#`` comments). A file is only
parsed when a cheap byte search says it can hold a cache site.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from hooks.checks.check_cache_rules.schema import show_ttl
from hooks.config import python_trees
from hooks.core.records import field, record

DJANGO = {"cache_page", "cache_control", "patch_cache_control", "patch_response_headers", "vary_on_headers",
          "vary_on_cookie"}
# Called on a response in a view, not applied to one: django.utils.cache's patchers.
PATCHERS = ("patch_cache_control", "patch_response_headers")
# Decorator factories whose call alone makes a decorator another helper applies:
# ``decorate_urlpatterns(urlpatterns, cache_control(**kwargs))``, ``return cache_page(60)``.
FACTORIES = ("cache_page", "cache_control")
# A middleware registered with a Cache-Control value for every response
# (FastAPI/Starlette ``app.add_middleware(CacheControlMiddleware, cachecontrol="public, max-age=900")``).
MIDDLEWARE_CALLS = ("add_middleware", "Middleware")
_PUBLIC_CACHE = re.compile(r"(?i)(?:^|[,\s])public(?:$|[,\s])")
_MAX_AGE = re.compile(r"(?i)\b(s-maxage|max-age)\s*=\s*(\d+)")
FLASK = {"cached", "memoize"}
MIDDLEWARE = ("UpdateCacheMiddleware", "FetchFromCacheMiddleware", "CacheMiddleware")
NGINX_VALID = {"proxy_cache_valid", "fastcgi_cache_valid", "uwsgi_cache_valid", "scgi_cache_valid"}
NGINX_BYPASS = {"proxy_cache_bypass", "fastcgi_cache_bypass", "uwsgi_cache_bypass", "scgi_cache_bypass"}
_COMMENT = re.compile(r"#\s*cache-rule:\s*([A-Za-z0-9_.-]+)")
_NGINX_TIME = re.compile(r"^(\d+)(ms|s|m|h|d|w|M|y)?$")
_NGINX_UNITS = {None: 1, "ms": 0, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000, "y": 31536000}
_ROUTE = {"route", "get", "post", "put", "delete", "patch"}


@record
class Site:
    path: str
    name: str  # function, Class.method, the view in urls.py, the nginx location; "" for a whole file
    line: int
    column: int
    what: str  # how the code says it, for messages: "@cache_page(60 * 15)"
    ttl: int | None = None
    ttl_text: str = ""
    page: bool = True  # False: caches function results (Flask-Caching memoize), not responses
    vary: list[str] = field(default_factory=list)
    bypass: list[tuple[str, str]] = field(default_factory=list)  # nginx: (kind, name)
    lines: set[int] = field(default_factory=set)  # where a `# cache-rule:` comment may sit
    rule_comment: str | None = None
    comment_line: int = 0
    rank: int = -1  # nginx: how well the directive that gave the TTL speaks for a 200
    replays_cookies: int = 0  # nginx: line of an `*_ignore_headers Set-Cookie` that caches Set-Cookie

    @property
    def id(self) -> str:
        return f"{self.path}:{self.name}" if self.name else self.path

    def describe(self) -> str:
        where = f" on {self.name}" if self.name else ""
        if self.ttl is None and not self.ttl_text and self.vary:
            return f"{self.what}{where} varies the cache on {', '.join(self.vary)}"
        ttl = f" caches for {show_ttl(self.ttl)}" if self.ttl is not None else " caches"
        if self.ttl is not None and self.ttl_text not in ("", str(self.ttl), show_ttl(self.ttl)):
            ttl += f" ({self.ttl_text})"
        if self.ttl is None and self.ttl_text:
            ttl += f" for {self.ttl_text}"
        if not self.page:
            ttl += " function results"
        return f"{self.what}{where}{ttl}"


# -- Python -------------------------------------------------------------------------
# The words a Python cache site, or the settings that give one its TTL and
# session cookie, cannot be written without: Django's decorators and patchers
# (cache_page, cache_control, patch_cache_control, patch_response_headers,
# vary_on_*), its cache middleware, Flask-Caching's ``.cached``/``.memoize`` on
# an object named for the cache (``cache.memoize``, ``extensions["cache"].cached``;
# not ``from r2.lib.memoize import``) or made by ``Cache(app)``, and the settings
# in capitals (CACHES, CACHE_MIDDLEWARE_SECONDS, CACHE_DEFAULT_TIMEOUT, a module's
# own CACHE_TTL; SESSION_COOKIE_NAME). A middleware given a public max-age is
# checked apart (_MIDDLEWARE_AGE).
_PYTHON_TOKENS = re.compile(
    rb"cache_page|cache_control|patch_response_headers|vary_on_|CacheMiddleware"
    rb"|(?i:cache)[^\s.(]*\.(?:cached|memoize)\b|\bCache\(|CACHE|SESSION_COOKIE_NAME")
_MIDDLEWARE_AGE = re.compile(rb"(?i)max-age")


def wants_python(data: bytes) -> bool:
    """Whether a module's bytes can hold a cache site: only such a module is
    parsed, so a module that cannot (``self.images_cache``, ``dogpile.cache`` in
    a list of requirements) is never read, and never reported as unparseable."""
    if _PYTHON_TOKENS.search(data):
        return True
    return b"iddleware" in data and _MIDDLEWARE_AGE.search(data) is not None


def _fold(node: ast.AST, names: dict[str, int]) -> int | None:
    """The integer value of a constant expression (60 * 15, timedelta(minutes=5), a module constant)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return int(node.value)
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "settings":
        return names.get(node.attr)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):  # cache_timeout=-1
        inner = _fold(node.operand, names)
        return None if inner is None else -inner
    if isinstance(node, ast.BinOp):
        left, right = _fold(node.left, names), _fold(node.right, names)
        if left is None or right is None:
            return None
        ops: dict[type, Callable[[int, int], int | None]] = {
            ast.Mult: lambda a, b: a * b,
            ast.Add: lambda a, b: a + b,
            ast.Sub: lambda a, b: a - b,
            ast.FloorDiv: lambda a, b: a // b if b else None,
            ast.Div: lambda a, b: a // b if b else None,
        }
        op = ops.get(type(node.op))
        return op(left, right) if op else None
    if isinstance(node, ast.Call):
        func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if func == "timedelta" and not node.args:
            units = {"weeks": 604800, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}
            total = 0
            for kw in node.keywords:
                value = _fold(kw.value, names)
                if kw.arg not in units or value is None:
                    return None
                total += value * units[kw.arg]
            return total
        if func == "total_seconds" and isinstance(node.func, ast.Attribute):
            return _fold(node.func.value, names)
    return None


def _call_name(node: ast.AST, aliases: dict[str, str]) -> str:
    """``cache_page`` for ``cache_page(...)``, ``cache.cached`` for ``cache.cached(...)``."""
    func = node.func if isinstance(node, ast.Call) else node
    if isinstance(func, ast.Name):
        return aliases.get(func.id, func.id)
    if isinstance(func, ast.Attribute):
        owner = _unparse(func.value)
        if func.attr in FLASK and ("cache" in owner.lower() or aliases.get(owner) == "<Cache>"):
            return "cache." + func.attr
        return func.attr if func.attr in DJANGO else ""
    return ""


def _unparse(node: ast.AST) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # very old or odd trees: a name is only for messages
        return "?"
    return text if len(text) <= 60 else text[:57] + "..."


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


class _PyScan(ast.NodeVisitor):
    def __init__(self, path: str, tree: ast.Module, text: str) -> None:
        self.path = path
        self.sites: list[Site] = []
        self.stack: list[str] = []
        self.aliases: dict[str, str] = {}
        self.names: dict[str, int] = {}
        self.settings: dict[str, tuple[int, int, str]] = {}  # NAME -> (value, line, source)
        self.middleware: tuple[int, int, str] | None = None
        self.middleware_from = 0  # first line of the statement that lists it
        self.session_cookie: str | None = None
        self.seen_calls: set[int] = set()
        for node in ast.walk(tree):  # `c = Cache(app)`: c.cached / c.memoize are Flask-Caching
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and \
                    getattr(node.value.func, "id", getattr(node.value.func, "attr", "")) == "Cache":
                for target in node.targets:
                    self.aliases[_unparse(target)] = "<Cache>"
        for node in tree.body:  # module constants first, so decorators above their use still fold
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                value = _fold(node.value, self.names)
                if value is not None:
                    self.names[node.targets[0].id] = value
                    self.settings[node.targets[0].id] = (value, node.lineno, _unparse(node.value))
                if node.targets[0].id == "SESSION_COOKIE_NAME" and isinstance(node.value, ast.Constant):
                    self.session_cookie = str(node.value.value)
        self.visit(tree)
        if self.middleware is not None:  # a `# cache-rule:` comment may sit above the whole statement
            for stmt in tree.body:
                if stmt.lineno <= self.middleware[0] <= (getattr(stmt, "end_lineno", None) or stmt.lineno):
                    self.middleware_from = stmt.lineno

    # imports: `from django.views.decorators.cache import cache_page as cp`
    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name in DJANGO and alias.asname:
                self.aliases[alias.asname] = alias.name

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._decorated(node)
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._decorated(node)
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and "." in node.value and node.value.rsplit(".", 1)[-1] in MIDDLEWARE:
            if self.middleware is None and (node.value.startswith("django.middleware.cache.")
                                            or not node.value.endswith(".CacheMiddleware")):
                self.middleware = (node.lineno, node.col_offset + 1, node.value.rsplit(".", 1)[-1])

    def visit_Call(self, node: ast.Call) -> None:
        if id(node) not in self.seen_calls:
            self._call_site(node)
        self.generic_visit(node)

    def _site(self, name: str, node: ast.AST, what: str, first_line: int) -> Site:
        end = getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]
        site = Site(self.path, name, first_line, getattr(node, "col_offset", 0) + 1, what)
        site.lines = set(range(first_line, end + 1))
        return site

    def _read(self, site: Site, call: ast.AST, name: str) -> bool:
        """Fill ttl/vary from one decorator; False when it turns caching off (never a site)."""
        if name in ("vary_on_headers", "vary_on_cookie"):
            if name == "vary_on_cookie":
                site.vary.append("Cookie")
            elif isinstance(call, ast.Call):
                site.vary += [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            return True
        if not isinstance(call, ast.Call):
            return name.startswith("cache.")
        if name == "cache_page":
            expr = call.args[0] if call.args else _kw(call, "timeout")
        elif name == "patch_response_headers":  # patch_response_headers(response, cache_timeout=None)
            expr = call.args[1] if len(call.args) > 1 else _kw(call, "cache_timeout")
            if expr is None or (isinstance(expr, ast.Constant) and expr.value is None):
                expr = None
                site.ttl_text = site.ttl_text or "settings.CACHE_MIDDLEWARE_SECONDS"  # resolved later
            elif (folded := _fold(expr, self.names)) is not None and folded <= 0:
                return False  # max-age=0: nothing is kept
        elif name in ("cache_control", "patch_cache_control"):
            off = any(
                kw.arg in ("no_store", "no_cache") and not (isinstance(kw.value, ast.Constant) and kw.value.value is False)
                for kw in call.keywords
            )
            expr = _kw(call, "s_maxage") or _kw(call, "max_age")
            if off or (expr is not None and _fold(expr, self.names) == 0):
                return False
            splat = next((kw.value for kw in call.keywords if kw.arg is None), None)
            if expr is None and splat is not None:  # cache_control(**get_default_cache_control_kwargs())
                site.ttl_text = site.ttl_text or f"the arguments in **{_unparse(splat)}"
                return True
            if expr is None and _kw(call, "public") is None:
                return False  # private / must_revalidate alone: nothing is kept
        else:  # cache.cached / cache.memoize
            expr = call.args[0] if call.args else _kw(call, "timeout")
            if expr is None or (isinstance(expr, ast.Constant) and expr.value is None):
                site.ttl_text = site.ttl_text or "the default timeout"
                return True
        if expr is not None and site.ttl is None:
            site.ttl = _fold(expr, self.names)
            site.ttl_text = _unparse(expr)
            if site.ttl is None and isinstance(expr, ast.Attribute) and _unparse(expr.value) == "settings":
                site.ttl_text = "settings." + expr.attr  # resolved later from the settings modules
        return True

    def _decorated(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        found: list[tuple[ast.expr, ast.expr, str]] = []
        routed = False
        for deco in node.decorator_list:
            inner: ast.expr = deco
            if isinstance(deco, ast.Call) and deco.args and \
                    getattr(deco.func, "id", getattr(deco.func, "attr", "")) == "method_decorator":
                inner = deco.args[0]  # @method_decorator(cache_page(60), name="dispatch")
            name = _call_name(inner, self.aliases)
            if name in DJANGO or name.startswith("cache."):
                found.append((deco, inner, name))
                if isinstance(inner, ast.Call):
                    self.seen_calls.add(id(inner))
            func = deco.func if isinstance(deco, ast.Call) else deco
            if isinstance(func, ast.Attribute) and func.attr in _ROUTE:
                routed = True
        if not found:
            return
        qual = ".".join(self.stack + [node.name])
        first_deco = min((deco for deco, _, _ in found), key=lambda d: d.lineno)
        first = first_deco.lineno
        site = self._site(qual, first_deco, "", first)
        site.column = max(first_deco.col_offset, 1)  # the '@' (the expression starts after it)
        site.lines = set(range(min(d.lineno for d in node.decorator_list), node.lineno + 1))
        kinds = []
        live = False
        for _deco, inner, name in found:
            live = self._read(site, inner, name) or live
            kinds.append(name)
            if name == "cache.memoize" or (name == "cache.cached" and not routed and self._constant_key(inner)):
                site.page = False
        if not live:
            return
        site.what = " ".join("@" + k for k in kinds)
        if all(k.startswith("vary_on") for k in kinds):
            site.what += " (Vary)"
        self.sites.append(site)

    @staticmethod
    def _constant_key(call: ast.AST) -> bool:
        # cache.cached(key_prefix="settings") outside a view caches a function's value under one key.
        key = _kw(call, "key_prefix") if isinstance(call, ast.Call) else None
        return isinstance(key, ast.Constant) and isinstance(key.value, str) and "%s" not in key.value

    def _call_site(self, node: ast.Call) -> None:
        # cache_page(60)(view) in urls.py, or view = cache_page(60)(view) anywhere
        if isinstance(node.func, ast.Call):
            name = _call_name(node.func, self.aliases)
            if (name in DJANGO and name not in PATCHERS or name.startswith("cache.")) and node.args:
                view = node.args[0]
                if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
                    view = view.func.value
                site = self._site(_unparse(view), node, "", node.lineno)
                if self._read(site, node.func, name):
                    site.what = f"{name}(...)"
                    site.page = name != "cache.memoize"
                    self.sites.append(site)
                self.seen_calls.add(id(node.func))
            return
        name = _call_name(node, self.aliases)
        if name in PATCHERS or name in FACTORIES:  # a factory not applied here: a helper applies its decorator
            site = self._site(".".join(self.stack), node, "", node.lineno)
            if self._read(site, node, name):
                site.what = f"{name}(...)"
                self.sites.append(site)
            return
        func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if func in MIDDLEWARE_CALLS and node.args:
            self._middleware_call(node)

    def _middleware_call(self, node: ast.Call) -> None:
        """``app.add_middleware(CacheControlMiddleware, cachecontrol="public, max-age=900")``:
        a middleware given a public Cache-Control value caches every response."""
        for value in [*node.args[1:], *(kw.value for kw in node.keywords)]:
            text = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else ""
            ages = dict((k.lower(), int(v)) for k, v in _MAX_AGE.findall(text))
            if not _PUBLIC_CACHE.search(text) or "no-store" in text.lower():
                continue
            seconds = ages.get("s-maxage", ages.get("max-age"))
            if seconds:
                site = self._site(_unparse(node.args[0]), node, f"{_unparse(node.func)}(...)", node.lineno)
                site.ttl, site.ttl_text = seconds, repr(text)
                self.sites.append(site)
                return


Middleware = tuple[int, int, str, int]  # line, column, class name, first line of the statement


def scan_python(path: str, text: str) -> tuple[list[Site], dict[str, tuple[int, int, str]], Middleware | None, str | None]:
    """(sites, module constants, cache middleware (line, col, name, statement line) or None, SESSION_COOKIE_NAME)."""
    try:
        tree = python_trees.parse(text, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return [], {}, None, None
    scan = _PyScan(path, tree, text)
    middle = (*scan.middleware, scan.middleware_from or scan.middleware[0]) if scan.middleware else None
    return scan.sites, scan.settings, middle, scan.session_cookie


def attach_comments(sites: list[Site], text: str) -> None:
    """Tie each site to the rule named in a `# cache-rule: <name>` comment on its lines or just above."""
    if "cache-rule:" not in text:
        return
    lines = text.splitlines()
    comments = {}
    for number, line in enumerate(lines, 1):
        found = _COMMENT.search(line)
        if found:
            comments[number] = found.group(1)
    for site in sites:
        candidates = []
        for start in sorted(site.lines) or [site.line]:
            candidates.append(start)
            above = start - 1
            while above >= 1 and lines[above - 1].lstrip().startswith("#"):
                candidates.append(above)
                above -= 1
        for number in candidates:
            if number in comments:
                site.rule_comment, site.comment_line = comments[number], number
                break


# -- nginx --------------------------------------------------------------------------
def wants_nginx(path: str, data: bytes) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    if name.endswith((".py", ".pyc", ".md", ".rst", ".txt", ".html", ".js", ".json", ".yaml", ".yml")):
        return False
    if not (".conf" in name or "nginx" in path.lower() or name.endswith((".vhost", ".site"))):
        return False
    return any(word.encode() in data for word in NGINX_VALID | NGINX_BYPASS)


def _tokens(text: str) -> Iterator[tuple[str, int]]:
    """(token, line): words (quotes removed), '{', '}', ';'. Comments are skipped."""
    i, line, n = 0, 1, len(text)
    while i < n:
        char = text[i]
        if char == "\n":
            line += 1
            i += 1
        elif char.isspace():
            i += 1
        elif char == "#":
            end = text.find("\n", i)
            i = n if end == -1 else end
        elif char in "{};":
            yield char, line
            i += 1
        elif char in "\"'":
            end = i + 1
            while end < n and text[end] != char:
                end += 2 if text[end] == "\\" else 1
            yield text[i + 1:end], line
            line += text.count("\n", i, end)
            i = end + 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in "{};":
                if text[i] == "$" and i + 1 < n and text[i + 1] == "{":  # ${var}
                    close = text.find("}", i)
                    i = close + 1 if close != -1 else i + 1
                else:
                    i += 1
            yield text[start:i], line


def _nginx_seconds(word: str) -> int | None:
    total = 0
    for part in re.findall(r"\d+[a-zA-Z]*", word):
        found = _NGINX_TIME.match(part)
        if not found:
            return None
        total += int(found.group(1)) * _NGINX_UNITS[found.group(2)]
    return total if re.fullmatch(r"(\d+[a-zA-Z]*)+", word) else None


def _nginx_bypass(word: str) -> tuple[str, str] | None:
    for prefix, kind in (("$cookie_", "cookie"), ("$arg_", "query"), ("$http_", "header")):
        if word.startswith(prefix):
            name = word[len(prefix):]
            return kind, name.replace("_", "-") if kind == "header" else name
    return None


def scan_nginx(path: str, text: str) -> list[Site]:
    """One site per block (location, server, http, or the file) holding *_cache_valid / *_cache_bypass."""
    blocks: list[tuple[str, int]] = []  # (name, line of the opening)
    sites: dict[tuple[str, int], Site] = {}
    words: list[tuple[str, int]] = []
    ignores, hides = 0, False  # `*_ignore_headers Set-Cookie` (its line) and `*_hide_header Set-Cookie`
    for token, line in _tokens(text):
        if token == "{":
            head = " ".join(w for w, _ in words)
            blocks.append((head, words[0][1] if words else line))
            words = []
        elif token == "}":
            if blocks:
                blocks.pop()
            words = []
        elif token == ";":
            if words and words[0][0] in NGINX_VALID | NGINX_BYPASS:
                _nginx_directive(path, blocks, sites, words)
            elif words and words[0][0].endswith("_ignore_headers") and \
                    any(w.lower() == "set-cookie" for w, _ in words[1:]):
                ignores = ignores or words[0][1]
            elif words and words[0][0].endswith("_hide_header") and \
                    any(w.lower() == "set-cookie" for w, _ in words[1:]):
                hides = True
            words = []
        else:
            words.append((token, line))
    if ignores and not hides:  # in the same file: the usual layout of one cached front
        for site in sites.values():
            site.replays_cookies = ignores
    return list(sites.values())


def _nginx_directive(path: str, blocks: list[tuple[str, int]], sites: dict[tuple[str, int], Site],
                     words: list[tuple[str, int]]) -> None:
    directive, line = words[0]
    args = [w for w, _ in words[1:]]
    head, head_line = blocks[-1] if blocks else ("", 0)
    if head.startswith("location"):
        name = head.split(None, 1)[1] if " " in head else head
    elif head.split(" ", 1)[0] in ("server", "http", "if"):
        name = head.split(" ", 1)[0]
    else:
        name = head
    key = (name, head_line)
    site = sites.get(key)
    if site is None:
        site = sites[key] = Site(path, name, line, 1, directive, page=True)
        site.lines = {head_line} if head_line else set()
    site.lines.add(line)
    if directive in NGINX_VALID:
        if site.what in NGINX_BYPASS:
            site.what, site.line = directive, line
        seconds = _nginx_seconds(args[-1]) if args else None
        codes = args[:-1]
        # The TTL of a 200: listed codes (or none, meaning 200 301 302) beat `any`, which beats other codes.
        rank = 2 if not codes or "200" in codes else 1 if "any" in codes else 0
        if seconds is not None and (site.ttl is None or rank > site.rank):
            site.ttl, site.ttl_text, site.line, site.rank = seconds, args[-1], line, rank
    else:
        for arg in args:
            found = _nginx_bypass(arg)
            if found:
                site.bypass.append(found)
