"""Settings layers resolved the way Python would run them, read with ``ast`` only.

``from .base import *`` applies the base module first, then the overrides in
order; ``X += [...]``, ``X.append(...)``, ``X["k"] = ...`` change what is
there; django-split-settings' ``include(...)`` runs other files in the same
namespace. An assignment inside an ``if`` whose test cannot be worked out is
*conditional*: the setting then has several possible values (one per branch,
``missing`` where a branch leaves it unset) and is judged by the worst.
Class bodies are kept apart (Flask config classes).
"""
from __future__ import annotations

import ast
import copy
import glob
import os
import re
from collections.abc import Sequence
from typing import Callable, Optional

from hooks.common.settings_values import (
    ENV,
    INSTANCE,
    LITERAL,
    MISSING,
    OPAQUE,
    READ_FUNCTION,
    READ_MAPPING,
    READER,
    SECRET,
    UNKNOWN,
    Evaluator,
    Val,
    source,
    to_bool,
)
from hooks.config import python_settings, python_trees
from hooks.core.records import field, record, replace

Possible = tuple[Val, ...]
Namespace = dict[str, Possible]
MAX_POSSIBLE = 6
MAX_DEPTH = 12


@record
class ClassInfo:
    name: str
    line: int
    bases: list[str]
    names: Namespace


@record
class Module:
    path: str
    names: Namespace = field(default_factory=dict)
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    layers: list[str] = field(default_factory=list)  # files applied, base first, this one last
    tree: ast.Module | None = None
    error: str = ""
    # "path:line" where a layer loads the deployment's own settings from outside the
    # repo (an optional `from .local_settings import *`, exec of a settings file)
    external: str = ""
    # What a branch for the production platform sets when its flag defaults to off
    # (`if ON_HEROKU:` with ON_HEROKU unset): not taken, but what production runs there.
    untaken: Namespace = field(default_factory=dict)
    # a Python 2 module read with its few Python 2 lines rewritten (Resolver.python2)
    python2: bool = False


ReadText = Callable[[str], Optional[str]]


# Modules a settings layer star-imports for the deployment's own values (not in the repo).
_LOCAL_MODULE = re.compile(r"(?i)(^|[._])(local|local_?settings|settings_?local|secrets?|site|override|overrides|custom|deploy|instance"
                           r"|production_local)(_settings)?$")
# A layer that runs a settings file from outside the repo: exec(open(path)...), load_source, import_local_settings
# or patches its own names with what code returns (``locals().update(evaluate_and_patch_config(locals()))``)
_EXEC_SETTINGS = re.compile(r"\bexec\(\s*(compile\(|open\(|\w+\.read\()|\bload_source\(|spec_from_file_location\(|\bimport_local_settings\(|\bexecfile\("
                            r"|^(locals|globals|vars)\(\)\.update\(", re.M)

# A test on the platform or environment production runs on (ON_HEROKU, "DYNO" in os.environ, IS_PRODUCTION),
# not an installer's opt-in (USE_HTTPS, ENABLE_SSL).
_PRODUCTION_FLAG = re.compile(r"(?<![A-Za-z0-9])(HEROKU|DYNO|PRODUCTION|PROD|PRD)(?![A-Za-z0-9])", re.I)
# django-heroku's settings(locals()) (and its fork django-on-heroku): the LOGGING it installs (0.1-0.3).
_HEROKU_HELPERS = ("django_heroku", "django_on_heroku")
_HEROKU_LOGGING = {
    "version": 1, "disable_existing_loggers": False,
    "handlers": {"null": {"level": "DEBUG", "class": "logging.NullHandler"},
                 "console": {"level": "DEBUG", "class": "logging.StreamHandler", "formatter": "verbose"}},
    "loggers": {"testlogger": {"handlers": ["console"], "level": "INFO"}},
}
# A setting's name (upper case, as Django and Flask read them): a method of a config class so named is that setting.
_SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_TAG_LINE = re.compile(r"^\s*\{%-?.*?-?%\}\s*$", re.M)
_TAG = re.compile(r"\{%-?.*?-?%\}")
_EXPR = re.compile(r"\{\{.*?\}\}")


def parse(text: str) -> ast.Module | None:
    try:
        return python_trees.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    if "{%" not in text and "{{" not in text:
        return None
    # A cookiecutter / Jinja template of a settings module: drop the tags (both
    # branches of a template `if` stay, in order) and read what is left.
    plain = _EXPR.sub("template_value", _TAG.sub("", _TAG_LINE.sub("", text)))
    try:
        return python_trees.parse(plain)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


class Resolver:
    """Runs settings modules statically; each file once per run."""

    def __init__(self, read: ReadText) -> None:
        self.read = read
        self.cache: dict[str, Module] = {}
        self.active: set[str] = set()
        # a file the deployment puts elsewhere (a Dockerfile's COPY of settings_local.prod.py into the
        # package): its imports are read from where it runs
        self.placed: dict[str, str] = {}
        # the tracked template of a star-imported settings module the repo does not hold
        # (``from pkg.settings_prod import *`` with ``deploy/settings_prod.py``): (importer, module) -> path
        self.template: Callable[[str, str], str | None] | None = None
        # read a Python 2 settings module whose few Python 2 lines can be rewritten
        # (``except ImportError, exc:`` in a settings package's __init__.py): python_trees.python2_as_3
        self.python2 = False
        # a committed switch between a development and a production settings module
        # (``IS_DEV = True`` ... ``if IS_DEV: from .dev_settings import *`` / ``else: from
        # .prod_settings import *``) is read on its production side: production runs that one
        # (check-background-jobs judges "the production Celery config")
        self.production_switch = False

    def module(self, path: str) -> Module:
        path = os.path.normpath(path)
        if path in self.cache:
            return self.cache[path]
        mod = Module(path)
        if path in self.active or len(self.active) > MAX_DEPTH:
            return mod  # an import cycle: what is known so far
        text = self.read(path)
        tree = parse(text) if text is not None else None
        if tree is None and text is not None and self.python2:
            tree = python_trees.python2_as_3(text)
            mod.python2 = tree is not None
        if tree is None:
            mod.error = "cannot read" if text is None else "cannot parse"
            self.cache[path] = mod
            return mod
        mod.tree = tree
        m = _EXEC_SETTINGS.search(text or "")
        if m:
            mod.external = f"{path}:{(text or '').count(chr(10), 0, m.start()) + 1}"
        self.active.add(path)
        try:
            _Runner(self, mod).block(tree.body, mod.names, "")
        finally:
            self.active.discard(path)
        mod.layers.append(path)
        self.cache[path] = mod
        return mod


_SETTINGS_BASES = ("BaseSettings",)


def attribute(resolver: Resolver) -> Callable[[Val, str], Val | None]:
    """``settings.X`` where ``settings = Settings()``: the class attribute; for a
    pydantic ``BaseSettings`` class, a read of the environment variable X with the
    class value as its default."""
    def get(instance: Val, name: str) -> Val | None:
        path, cls = instance.value
        mod = resolver.cache.get(path)
        if mod is None or cls not in mod.classes:
            return None
        names, chain = class_names(mod, cls, resolver)
        bases = {b.split(".")[-1] for c in chain if c in mod.classes for b in mod.classes[c].bases}
        possible = names.get(name)
        val = possible[-1] if possible else None
        if bases & set(_SETTINGS_BASES):
            if val is None or (val.kind == UNKNOWN and not val.line):
                return Val(ENV, None, name, False, path, mod.classes[cls].line)
            if val.kind == LITERAL:
                return Val(ENV, val.value, name, True, val.path, val.line)
        return val

    return get


def last(possible: Possible | None) -> Val | None:
    """The value a lookup sees: the unconditional one, else the last possibility."""
    if not possible:
        return None
    return possible[-1]


class _Runner:
    def __init__(self, resolver: Resolver, mod: Module) -> None:
        self.resolver = resolver
        self.mod = mod

    def evaluator(self, ns: Namespace) -> Evaluator:
        def lookup(name: str) -> Val | None:
            got = last(ns.get(name))
            return got if got is None or got.kind != MISSING else None

        return Evaluator(self.mod.path, lookup, attribute(self.resolver))

    def block(self, body: Sequence[ast.stmt], ns: Namespace, condition: str) -> None:
        for stmt in body:
            self.statement(stmt, ns, condition)

    def set(self, ns: Namespace, name: str, val: Val, condition: str) -> None:
        ns[name] = (replace(val, condition=condition) if condition else val,)

    def statement(self, stmt: ast.stmt, ns: Namespace, condition: str) -> None:
        ev = self.evaluator(ns)
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            value = stmt.value
            if value is None:
                return
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                self.assign(target, value, ns, condition, ev)
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            add = ev(stmt.value)
            ns[name] = tuple(self._augment(v, add, stmt, condition) for v in ns.get(name, (Val(UNKNOWN),)))
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            self.call(stmt.value, ns, condition, ev)
        elif isinstance(stmt, ast.ImportFrom):
            self.import_from(stmt, ns, condition)
        elif isinstance(stmt, ast.If):
            test = ev.test(stmt.test)
            if test.visible:
                taken: Sequence[ast.stmt] = stmt.body if to_bool(test.value) else stmt.orelse
                if test.kind == LITERAL and self.resolver.production_switch:
                    taken = _production_side(stmt, taken)
                self.block(taken, ns, condition)
                if test.kind == ENV and _PRODUCTION_FLAG.search(source(stmt.test, 200)):
                    self.production_branch(stmt.orelse if taken is stmt.body else stmt.body, ns, f"if {source(stmt.test, 50)}"
                                           if taken is stmt.orelse else f"unless {source(stmt.test, 50)}")
                return
            text = source(stmt.test, 50)
            self.branches(ns, [(stmt.body, f"if {text}"), (stmt.orelse, f"unless {text}")], condition)
        elif isinstance(stmt, ast.Try):
            self.try_block(stmt, ns, condition)
        elif isinstance(stmt, (ast.With,)):
            self.block(stmt.body, ns, condition)
        elif isinstance(stmt, (ast.For, ast.While)):
            self.branches(ns, [(stmt.body, "in a loop"), ([], "")], condition)
        elif isinstance(stmt, ast.ClassDef):
            names: Namespace = {}
            inner = _ClassRunner(self.resolver, self.mod, ns)
            inner.block(stmt.body, names, "")
            init = next((f for f in stmt.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
            if init is not None:  # self.SECRET_KEY = ... in __init__: instance settings override the class's
                _InitRunner(self.resolver, self.mod, ns).block(init.body, names, "")
            bases = [source(b, 80) for b in stmt.bases]
            self.mod.classes[stmt.name] = ClassInfo(stmt.name, stmt.lineno, bases, names)

    def try_block(self, stmt: ast.Try, ns: Namespace, condition: str) -> None:
        """``try``/``except``: each arm a branch. An ``except`` that raises (``raise
        ImproperlyConfigured(...)``, ``sys.exit(...)``) never goes on, so it is no branch.
        One that only passes or logs, after ``X = os.environ["X"]`` (or ``env("X")``)
        with no default, leaves X unset exactly when the variable is: that is a
        required read of the environment (unset, the framework's own default or
        refusal applies), not a second, "not set" value."""
        handlers = [h for h in stmt.handlers if not _stops(h.body)]
        arms: list[tuple[Sequence[ast.stmt], str]] = [(list(stmt.body) + list(stmt.orelse),
                                                       "in a try block" if handlers else "")]
        arms += [(h.body, "in an except block") for h in handlers]
        before = dict(ns)
        self.branches(ns, arms, condition)
        if handlers and all(_only_passes(h.body) for h in handlers):
            for name, possible in ns.items():
                if any(v.kind != MISSING for v in before.get(name, ())):
                    continue  # set before the try: the except arm keeps that value, a real fallback
                read = [v for v in possible if v.kind != MISSING]
                if read and len(read) < len(possible) and all(v.kind == ENV and not v.has_default for v in read):
                    ns[name] = tuple(replace(v, condition=condition) for v in read)
        self.block(stmt.finalbody, ns, condition)

    def production_branch(self, body: Sequence[ast.stmt], ns: Namespace, condition: str) -> None:
        """Run the branch not taken of an ``if`` on a production-platform flag, aside: keep what it sets in ``untaken``."""
        if not body:
            return
        mod = self.mod
        saved = (list(mod.layers), dict(mod.classes), mod.external)
        scratch = dict(ns)
        try:
            self.block(body, scratch, condition)
        finally:
            mod.layers[:], mod.external = saved[0], saved[2]
            mod.classes.clear()
            mod.classes.update(saved[1])
        for name, possible in scratch.items():
            if ns.get(name) != possible:
                mod.untaken[name] = possible

    def assign(self, target: ast.expr, value: ast.expr, ns: Namespace, condition: str, ev: Evaluator) -> None:
        if isinstance(target, ast.Name):
            cls = value.func.id if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) else ""
            if cls and cls in self.mod.classes:  # settings = Settings()
                self.set(ns, target.id, Val(INSTANCE, (self.mod.path, cls), path=self.mod.path, line=target.lineno), condition)
                return
            self.set(ns, target.id, ev(value), condition)
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
                and len(target.elts) == len(value.elts):
            for t, v in zip(target.elts, value.elts):
                self.assign(t, v, ns, condition, ev)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for t in target.elts:
                if isinstance(t, ast.Name):
                    self.set(ns, t.id, Val(UNKNOWN, path=self.mod.path, line=target.lineno), condition)
        elif isinstance(target, ast.Subscript):
            # LOGGING["loggers"]["x"] = {...}: change the literal where it can be followed
            keys: list[object] = []
            node: ast.expr = target
            while isinstance(node, ast.Subscript):
                key = ev(node.slice) if not isinstance(node.slice, ast.Slice) else Val(UNKNOWN)
                if key.kind != LITERAL:
                    return
                keys.insert(0, key.value)
                node = node.value
            if not isinstance(node, ast.Name) or node.id not in ns:
                return
            new = ev(value)
            out = []
            for old in ns[node.id]:
                if old.visible and isinstance(old.value, dict):
                    data = copy.deepcopy(old.value)
                    cursor = data
                    ok = True
                    for k in keys[:-1]:
                        nxt = cursor.get(k) if isinstance(cursor, dict) else None
                        if not isinstance(nxt, dict):
                            ok = False
                            break
                        cursor = nxt
                    if ok:
                        try:
                            cursor[keys[-1]] = new.value if new.visible else OPAQUE
                        except TypeError:
                            pass
                    out.append(replace(old, value=data))
                else:
                    out.append(old)
            ns[node.id] = tuple(out)

    def _augment(self, old: Val, add: Val, stmt: ast.stmt, condition: str) -> Val:
        line = stmt.lineno
        if old.visible and isinstance(old.value, (list, tuple)):
            extra = list(add.value) if add.visible and isinstance(add.value, (list, tuple)) else [OPAQUE]
            return replace(old, value=list(old.value) + extra, path=self.mod.path, line=line, condition=condition or old.condition)
        if old.visible and add.visible and isinstance(old.value, (int, float)) and isinstance(add.value, (int, float)):
            return replace(old, value=old.value + add.value, path=self.mod.path, line=line)
        return Val(UNKNOWN, path=self.mod.path, line=line)

    def call(self, call: ast.Call, ns: Namespace, condition: str, ev: Evaluator) -> None:
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ns:
            name, method = func.value.id, func.attr
            args = [ev(a) for a in call.args]
            out = []
            for old in ns[name]:
                out.append(self._method(old, method, args, call.lineno, condition))
            ns[name] = tuple(out)
        elif isinstance(func, ast.Name) and func.id == "include":
            self.include(call, ns, condition)
        elif isinstance(func, ast.Attribute) and func.attr == "settings" and isinstance(func.value, ast.Name) \
                and func.value.id in _HEROKU_HELPERS and call.args and "locals()" in source(call.args[0], 20):
            self.heroku_settings(call, ns, condition)

    def heroku_settings(self, call: ast.Call, ns: Namespace, condition: str) -> None:
        """``django_heroku.settings(locals(), allowed_hosts=False)`` sets, unless its flag is False:
        LOGGING (its own dict: a console handler on a ``testlogger`` logger only), ALLOWED_HOSTS
        = ["*"], and SECRET_KEY from $SECRET_KEY when that is set (the value before stays the
        fallback)."""
        flags = {kw.arg: kw.value for kw in call.keywords if kw.arg}

        def on(flag: str) -> bool:
            node = flags.get(flag)
            return node is None or not (isinstance(node, ast.Constant) and not node.value)

        path, line = self.mod.path, call.lineno
        if on("logging"):
            self.set(ns, "LOGGING", Val(LITERAL, copy.deepcopy(_HEROKU_LOGGING), path=path, line=line), condition)
        if on("allowed_hosts"):
            self.set(ns, "ALLOWED_HOSTS", Val(LITERAL, ["*"], path=path, line=line), condition)
        if on("secret_key"):
            before = last(ns.get("SECRET_KEY"))
            if before is None or before.kind == MISSING:
                self.set(ns, "SECRET_KEY", Val(ENV, None, "SECRET_KEY", False, path, line), condition)
            elif before.kind == LITERAL:
                self.set(ns, "SECRET_KEY", Val(ENV, before.value, "SECRET_KEY", True, before.path, before.line), condition)

    def _method(self, old: Val, method: str, args: list[Val], line: int, condition: str) -> Val:
        if not old.visible:
            return old
        value = old.value
        cond = condition or old.condition
        if isinstance(value, (list, tuple)):
            items = list(value)
            if method == "append" and args:
                items.append(args[0].value if args[0].visible else OPAQUE)
            elif method == "extend" and args:
                items.extend(args[0].value if args[0].visible and isinstance(args[0].value, (list, tuple)) else [OPAQUE])
            elif method == "insert" and len(args) > 1:
                pos = args[0].value if args[0].kind == LITERAL and isinstance(args[0].value, int) else len(items)
                items.insert(pos, args[1].value if args[1].visible else OPAQUE)
            elif method == "remove" and args and args[0].visible:
                if args[0].value in items:
                    items.remove(args[0].value)
            else:
                return old
            return replace(old, value=items, path=self.mod.path, line=line, condition=cond)
        if isinstance(value, dict) and method in ("update", "setdefault") and args:
            data = dict(value)
            if method == "update" and args[0].visible and isinstance(args[0].value, dict):
                data.update(args[0].value)
            elif method == "setdefault" and args[0].kind == LITERAL:
                data.setdefault(args[0].value, args[1].value if len(args) > 1 and args[1].visible else OPAQUE)
            else:
                return Val(UNKNOWN, path=self.mod.path, line=line, condition=cond)
            return replace(old, value=data, path=self.mod.path, line=line, condition=cond)
        return old

    def branches(self, ns: Namespace, arms: list[tuple[Sequence[ast.stmt], str]], condition: str) -> None:
        """Run each arm from the same start and keep every value a name may end with."""
        results: list[tuple[Namespace, str]] = []
        for body, text in arms:
            arm = dict(ns)
            full = text if not condition else f"{condition}, {text}" if text else condition
            self.block(body, arm, full)
            results.append((arm, full))
        names: set[str] = set()
        for r, _ in results:
            names.update(r)
        for name in names:
            merged: list[Val] = []
            for r, text in results:
                for v in r.get(name, (Val(MISSING, path=self.mod.path, condition=text),)):
                    if v not in merged:
                        merged.append(v)
            ns[name] = tuple(merged[-MAX_POSSIBLE:])

    def import_from(self, stmt: ast.ImportFrom, ns: Namespace, condition: str) -> None:
        target = python_settings.resolve(self.resolver.placed.get(self.mod.path, self.mod.path), stmt.module, stmt.level)
        star = any(a.name == "*" for a in stmt.names)
        if target is None and star and stmt.module and self.resolver.template is not None:
            # an overlay made on each install from a tracked template: the template is that layer
            target = self.resolver.template(self.mod.path, stmt.module)
            if target is not None:
                if _LOCAL_MODULE.search(stmt.module) and not self.mod.external:
                    self.mod.external = f"{self.mod.path}:{stmt.lineno}"
                here = os.path.dirname(self.resolver.placed.get(self.mod.path, self.mod.path))
                self.resolver.placed.setdefault(os.path.normpath(target), os.path.join(here, stmt.module.split(".")[-1] + ".py"))
        if target is None:
            if star and _LOCAL_MODULE.search(stmt.module or "") and not self.mod.external:
                self.mod.external = f"{self.mod.path}:{stmt.lineno}"
            if not star:
                for alias in stmt.names:
                    name = alias.asname or alias.name
                    if stmt.module == "os" and not stmt.level and alias.name in _OS_READERS:
                        # from os import getenv as env_get / from os import environ: readers of the environment
                        self.set(ns, name, Val(READER, _OS_READERS[alias.name], path=self.mod.path, line=stmt.lineno), condition)
                        continue
                    # `from .secrets import SECRET_KEY` with the module not in the repo
                    kind = SECRET if any(w in (stmt.module or "").lower() for w in ("secret", "credential", "local")) else UNKNOWN
                    self.set(ns, name, Val(kind, path=self.mod.path, line=stmt.lineno), condition)
            return
        mod = self.resolver.module(target)
        if mod.external and not self.mod.external:
            self.mod.external = mod.external
        if star:  # a layer; a module a few names come from is not
            for layer in mod.layers:
                if layer not in self.mod.layers:
                    self.mod.layers.append(layer)
        if star:
            self.mod.untaken.update(mod.untaken)
            for name, possible in mod.names.items():
                if not name.startswith("_"):
                    ns[name] = tuple(replace(v, condition=condition) for v in possible) if condition else possible
            for cname, info in mod.classes.items():
                self.mod.classes.setdefault(cname, info)
        else:
            for alias in stmt.names:
                name = alias.asname or alias.name
                if alias.name in mod.names:
                    ns[name] = mod.names[alias.name]
                elif alias.name in mod.classes:
                    self.mod.classes[name] = mod.classes[alias.name]

    def include(self, call: ast.Call, ns: Namespace, condition: str) -> None:
        """django-split-settings: ``include("components/*.py", optional("local.py"))``."""
        here = os.path.dirname(self.mod.path)
        for arg in call.args:
            optional = isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "optional"
            node = arg.args[0] if optional and isinstance(arg, ast.Call) and arg.args else arg
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            for path in sorted(glob.glob(os.path.join(here, node.value))):
                path = os.path.normpath(path)
                if path in self.resolver.active or not path.endswith(".py"):
                    continue
                text = self.resolver.read(path)
                tree = parse(text) if text is not None else None
                if tree is None:
                    continue
                if path not in self.mod.layers:
                    self.mod.layers.append(path)
                self.resolver.active.add(path)
                try:
                    _Runner(self.resolver, Module(path, classes=self.mod.classes, layers=self.mod.layers)).block(
                        tree.body, ns, "optional include" if optional else condition)
                finally:
                    self.resolver.active.discard(path)


_OS_READERS = {"getenv": READ_FUNCTION, "environ": READ_MAPPING}
# What an except block may do and still only "pass": log or warn, print, note a flag.
_LOG_CALLS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "print"})


def _production_side(stmt: ast.If, taken: Sequence[ast.stmt]) -> Sequence[ast.stmt]:
    """The production side of a committed switch between settings modules: when
    ``taken`` star-imports only development modules and the other branch only
    production ones (``if IS_DEV: from .extra.dev_settings import *`` / ``else:
    from .extra.prod_settings import *``), the other branch; else ``taken``."""
    from hooks.repo.environments import environment_of

    def sides(body: Sequence[ast.stmt]) -> set[str | None]:
        return {environment_of((n.module or "").replace(".", "/") + ".py") for n in body
                if isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names)}

    other = stmt.orelse if taken is stmt.body else stmt.body
    if sides(taken) == {"development"} and sides(other) == {"production"}:
        return other
    return taken


def _stops(body: Sequence[ast.stmt]) -> bool:
    """Does this block end by raising or exiting (so what follows never runs after it)?"""
    if not body:
        return False
    end = body[-1]
    if isinstance(end, ast.Raise):
        return True
    if isinstance(end, ast.Expr) and isinstance(end.value, ast.Call):
        func = end.value.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
        return name == "exit" and owner in ("sys", "os", "") or name == "_exit"
    return False


def _only_passes(body: Sequence[ast.stmt]) -> bool:
    """``pass``, a comment's docstring, or a log/warn/print call: nothing is set."""
    for stmt in body:
        if isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in _LOG_CALLS:
                continue
        return False
    return True


class _ClassRunner(_Runner):
    """A class body: names resolve in the class first, then the module."""

    def __init__(self, resolver: Resolver, mod: Module, outer: Namespace) -> None:
        super().__init__(resolver, mod)
        self.outer = outer

    def evaluator(self, ns: Namespace) -> Evaluator:
        def lookup(name: str) -> Val | None:
            got = last(ns.get(name)) or last(self.outer.get(name))
            return got if got is None or got.kind != MISSING else None

        return Evaluator(self.mod.path, lookup, attribute(self.resolver))

    def statement(self, stmt: ast.stmt, ns: Namespace, condition: str) -> None:
        if isinstance(stmt, (ast.ImportFrom, ast.ClassDef)):
            return
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and _SETTING_NAME.match(stmt.name):
            self.set(ns, stmt.name, self.method_setting(stmt, ns), condition)
            return
        if isinstance(stmt, ast.AnnAssign) and stmt.value is None and isinstance(stmt.target, ast.Name):
            ns[stmt.target.id] = (Val(UNKNOWN),)  # a declared field with no default
            return
        super().statement(stmt, ns, condition)


    def method_setting(self, func: ast.FunctionDef | ast.AsyncFunctionDef, ns: Namespace) -> Val:
        """``def LOGGING(self): return {...}`` (django-configurations, a Flask ``@property``): the
        method is the setting. A body that is one ``return`` is read (``self.X`` is the class's X);
        anything else is a value this module cannot read."""
        body = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None:
            val = _InitRunner(self.resolver, self.mod, self.outer).evaluator(ns)(body[0].value)
            if val.kind != UNKNOWN:
                return val.at(self.mod.path, func.lineno)
        return Val(UNKNOWN, path=self.mod.path, line=func.lineno)


class _InitRunner(_ClassRunner):
    """A config class's ``__init__``: ``self.X = value`` sets the setting X (OpenOversight's
    ``BaseConfig.__init__``); ``self.X`` reads it back; other statements run as in the class body.
    Local names are kept beside the settings (only upper-case names are settings)."""

    def evaluator(self, ns: Namespace) -> Evaluator:
        outer = self.outer
        instance = attribute(self.resolver)

        def lookup(name: str) -> Val | None:
            if name == "self":
                return Val(INSTANCE, ("", "self"))
            got = last(ns.get(name)) or last(outer.get(name))
            return got if got is None or got.kind != MISSING else None

        def attr(base: Val, name: str) -> Val | None:
            if base.value == ("", "self"):
                got = last(ns.get(name))
                return got if got is None or got.kind != MISSING else None
            return instance(base, name)

        return Evaluator(self.mod.path, lookup, attr)

    def assign(self, target: ast.expr, value: ast.expr, ns: Namespace, condition: str, ev: Evaluator) -> None:
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
            self.set(ns, target.attr, ev(value), condition)
        elif isinstance(target, ast.Name):
            self.set(ns, target.id, ev(value), condition)
        else:
            super().assign(target, value, ns, condition, ev)


def class_names(mod: Module, name: str, resolver: Resolver, seen: set[str] | None = None) -> tuple[Namespace, list[str]]:
    """A config class's settings with its bases applied first (left-most base wins, as in the MRO)."""
    seen = seen if seen is not None else set()
    info = mod.classes.get(name)
    if info is None or name in seen:
        return {}, []
    seen.add(name)
    merged: Namespace = {}
    chain: list[str] = []
    for base in reversed(info.bases):
        base_name = base.split(".")[-1]
        names, base_chain = class_names(mod, base_name, resolver, seen)
        merged.update(names)
        chain += [c for c in base_chain if c not in chain]
    merged.update(info.names)
    chain.append(name)
    return merged, chain
