"""The production Celery configuration, worked out statically.

A Celery app module (``Celery(...)``) names its configuration:
``config_from_object("django.conf:settings", namespace="CELERY")`` reads the
Django settings of production (resolved layer by layer with the shared
settings-layer resolver), ``config_from_object("proj.celeryconfig")`` a module
of lowercase names; ``app.conf.update(...)`` and ``app.conf.x = ...`` win over
both. Names follow Celery's own lookup: with a namespace, ``CELERY_TASK_TIME_LIMIT``
or the old ``CELERYD_TASK_TIME_LIMIT``; without, ``task_time_limit`` or the old name.
"""
from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

from hooks.common.settings_layers import Namespace, Resolver, class_names, last
from hooks.common.settings_values import ENV, LITERAL, MISSING, OPAQUE, UNKNOWN, Evaluator, Val, to_bool
from hooks.config import python_trees
from hooks.core.records import field, record

# Celery's setting name -> its old (3.x) name.
OLD_NAMES: dict[str, str] = {
    "task_time_limit": "CELERYD_TASK_TIME_LIMIT",
    "task_soft_time_limit": "CELERYD_TASK_SOFT_TIME_LIMIT",
    "task_always_eager": "CELERY_ALWAYS_EAGER",
    "task_acks_late": "CELERY_ACKS_LATE",
    "task_reject_on_worker_lost": "CELERY_REJECT_ON_WORKER_LOST",
    "task_annotations": "CELERY_ANNOTATIONS",
    "beat_schedule": "CELERYBEAT_SCHEDULE",
    "beat_scheduler": "CELERYBEAT_SCHEDULER",
    "broker_transport_options": "BROKER_TRANSPORT_OPTIONS",
    "broker_url": "BROKER_URL",
}
TASK_DECORATORS = frozenset({"task", "shared_task", "periodic_task", "db_task", "db_periodic_task"})
_APP_CALL = re.compile(r"\bCelery\(|\bcreate_celery_app\(")
APP_CALLS = ("Celery(", "create_celery_app(")  # flask_celeryext's create_celery_app(flask_app): the Flask app's config


@record
class App:
    """One Celery app module."""

    path: str
    line: int
    source: str = ""  # "django" | a module's file | "" (none found)
    source_name: str = ""  # what config_from_object was given
    namespace: str | None = None
    settings_hint: str | None = None  # os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)
    conf: dict[str, Val] = field(default_factory=dict)  # app.conf.update / app.conf.x = ...
    periodic: list[tuple[str, str, int]] = field(default_factory=list)  # (task, args, line): add_periodic_task
    opaque: bool = False  # app.conf.update(flask_app.config): settings from somewhere not readable
    django_settings_name: str = ""  # `from django.conf import settings` (config_from_object(settings, ...))
    flask_key: str = ""  # config_from_object(app.config["CELERY"]): the Flask setting that holds Celery's dict
    broker: Val | None = None  # Celery(..., broker=...): wins over the config's broker_url


@record
class Config:
    """What production Celery runs with: one app and one settings source."""

    app: App
    path: str  # the settings module (or the app module when there is none)
    layers: list[str]
    values: dict[str, tuple[Val, ...]]  # Celery's name -> the possible values, () when unset
    names: dict[str, str] = field(default_factory=dict)  # Celery's name -> the name it was found under
    classes: list[str] = field(default_factory=list)  # a Flask config class and its bases, bases first

    def possible(self, name: str) -> tuple[Val, ...]:
        return self.values.get(name, ())


def names_for(setting: str, namespace: str | None, django: bool = False) -> list[str]:
    """The names Celery reads ``setting`` from, in its order. Django's settings
    hold upper-case names only, so without a namespace only the old names count
    there (``CELERY_TASK_TIME_LIMIT`` without ``namespace="CELERY"`` is ignored)."""
    old = OLD_NAMES.get(setting)
    if namespace:
        names = [f"{namespace}_{setting.upper()}"]
    else:
        names = [] if django else [setting]
    return names + ([old] if old else [])


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    return ""


def find_apps(files: Sequence[str], read: Callable[[str], str | None], resolver: Resolver,
              holding: Collection[str] | None = None) -> list[App]:
    """Celery apps of ``files``; only those in ``holding`` (the files that can hold "Celery(") are read, when given."""
    apps = []
    for path in files:  # Python files only: both callers pass no others
        if holding is not None and path not in holding:
            continue
        text = read(path) or ""
        if not any(call in text for call in APP_CALLS) or not _APP_CALL.search(text):
            continue
        try:
            tree = python_trees.parse(text, path)
        except (SyntaxError, ValueError, RecursionError):
            continue
        app = _read_app(path, tree, files, resolver)
        if app is not None:
            apps.append(app)
    return apps


def module_file(dotted: str, files: Sequence[str], near: str = "") -> str | None:
    tail = dotted.replace(".", "/")
    found = [f for f in files if f == tail + ".py" or f.endswith("/" + tail + ".py")
             or f == tail + "/__init__.py" or f.endswith("/" + tail + "/__init__.py")]
    if not found:
        return None
    here = os.path.dirname(near)

    def on_the_path(f: str) -> bool:
        """The folder the name is imported from is ``near``'s own or one above it (the
        project root, ``src/``): ``from_object("settings")`` in ``app/__init__.py`` is the
        top-level ``settings.py``, not ``app/views/settings.py``."""
        root = f[: len(f) - len(tail + ".py")] if f.endswith(tail + ".py") else f[: len(f) - len(tail + "/__init__.py")]
        root = root.rstrip("/")
        return not root or here == root or here.startswith(root + "/")

    found.sort(key=lambda f: (not on_the_path(f), not f.startswith(here), len(f)))
    return found[0]


def _read_app(path: str, tree: ast.Module, files: Sequence[str], resolver: Resolver) -> App | None:
    app: App | None = None
    app_names: set[str] = set()
    ext = any(isinstance(n, ast.ImportFrom) and (n.module or "").startswith("flask_celeryext") for n in tree.body)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = _dotted(node.value.func)
            if not (func.endswith("Celery") or (func.split(".")[-1] == "create_celery_app" and ext)):
                continue
            for t in node.targets:
                if isinstance(t, ast.Name):
                    app_names.add(t.id)
            if app is None:
                app = App(path, node.lineno)
                if func.split(".")[-1] == "create_celery_app":
                    # Flask-CeleryExt: config_from_object(flask_app.config, namespace="CELERY"), the old names mapped
                    app.source, app.namespace = FLASK, "CELERY"
    if app is None:
        return None
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "django.conf":
            for alias in node.names:
                if alias.name == "settings":
                    app.django_settings_name = alias.asname or "settings"
    names: Namespace = resolver.module(path).names  # the module's own names, as the resolver runs them

    def lookup(name: str) -> Val | None:
        got = last(names.get(name))
        return got if got is None or got.kind != MISSING else None

    ev = Evaluator(path, lookup)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            _read_call(app, node, files, ev)
            if node.lineno == app.line and _dotted(node.func).endswith("Celery"):
                app.broker = next((ev(k.value) for k in node.keywords if k.arg == "broker"), app.broker)
        elif isinstance(node, ast.Assign):
            _read_assign(app, node, app_names, ev)
    return app


def configured_elsewhere(app: App, only: bool, files: Sequence[str], read: Callable[[str], str | None],
                         holding: Collection[str]) -> None:
    """An app module that only creates the app (``celery = Celery(__name__)``),
    configured from another module: ``celery.config_from_object(flask_app.config)``
    in the Flask pattern's ``make_celery(app, celery)``. Such a call is read as the
    app's own when its module imports the app, or when the app is the repo's only one."""
    for path in files:
        if path not in holding or path == app.path:
            continue
        text = read(path) or ""
        if "config_from_object(" not in text and "conf.update(" not in text:
            continue
        try:
            tree = python_trees.parse(text, path)
        except (SyntaxError, ValueError, RecursionError):
            continue
        linked = {local for local, (module, name) in _imports(tree, path, files).items() if module == app.path and name}
        ev = Evaluator(path, lambda name: None)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = _dotted(node.func)
            if not func.endswith((".config_from_object", ".conf.update")):
                continue
            if func.split(".")[0] in linked or only:
                _read_call(app, node, files, ev)


def _read_call(app: App, node: ast.Call, files: Sequence[str], ev: Evaluator) -> None:
    func = _dotted(node.func)
    if func.endswith(".config_from_object") and node.args:
        arg = node.args[0]
        target = _string(arg) or _dotted(arg)
        app.source_name = target
        for kw in node.keywords:
            if kw.arg == "namespace":
                app.namespace = _string(kw.value)
        if target.startswith("django.conf") or (isinstance(arg, ast.Name) and app.django_settings_name == arg.id):
            app.source = "django"
        elif _flask_config(arg):  # config_from_object(app.config["CELERY"]) / (app.config, namespace="CELERY")
            app.source, app.source_name = FLASK, ""
            app.flask_key = _string(arg.slice) or "" if isinstance(arg, ast.Subscript) else ""
        elif target:
            app.source = module_file(target.split(":")[0], files, app.path) or ""
    elif func.endswith("environ.setdefault") and len(node.args) > 1 and _string(node.args[0]) == "DJANGO_SETTINGS_MODULE":
        app.settings_hint = _string(node.args[1])
    elif func.endswith(".conf.update"):
        for kw in node.keywords:
            if kw.arg:
                app.conf[kw.arg] = ev(kw.value)
        if node.args and isinstance(node.args[0], ast.Dict):
            for k, v in zip(node.args[0].keys, node.args[0].values):
                key = _string(k)
                if key:
                    app.conf[key] = ev(v)
        elif node.args and _flask_config(node.args[0]) and not app.source:  # conf.update(app.config)
            arg = node.args[0]
            app.source = FLASK
            app.flask_key = _string(arg.slice) or "" if isinstance(arg, ast.Subscript) else ""
        elif node.args:
            app.opaque = True
    elif func.endswith("add_periodic_task"):
        sig = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "sig"), None)
        task, args = _signature(sig)
        if task:
            app.periodic.append((task, args, node.lineno))


def _read_assign(app: App, node: ast.Assign, app_names: set[str], ev: Evaluator) -> None:
    for t in node.targets:
        dotted = _dotted(t)
        if ".conf." in dotted and dotted.split(".")[0] in app_names | {"app", "celery", "celery_app"}:
            app.conf[dotted.rsplit(".", 1)[1]] = ev(node.value)
        elif isinstance(t, ast.Subscript) and _dotted(t.value).endswith(".conf") and _string(t.slice):
            app.conf[str(_string(t.slice))] = ev(node.value)


FLASK = "flask"  # App.source: the Celery settings come from the Flask app's config


def _flask_config(node: ast.AST) -> bool:
    """``app.config`` (``flask_app.config``, ``current_app.config``) or
    ``app.config["CELERY"]``: a Flask app's config, not a module."""
    if isinstance(node, ast.Subscript):
        return _string(node.slice) is not None and _flask_config(node.value)
    dotted = _dotted(node)
    return dotted.count(".") == 1 and dotted.endswith(".config")


CONFIG_LOADS = ("from_object(", "create_conf_loader(")  # what loads a Flask app's settings


def flask_modules(files: Sequence[str], read: Callable[[str], str | None], holding: Collection[str],
                  resolver: Resolver) -> list[tuple[str, str]]:
    """The settings a Flask app loads, as (module, config class or ""):
    ``app.config.from_object("proj.settings")`` (or ``"proj.settings.ProdConfig"``),
    ``from_object(ProdConfig)`` of a class defined or imported from the repo (also
    as the default of the factory's parameter, ``def create_app(config=ProdConfig)``),
    ``from_object(config)`` after ``from . import config``, and Invenio's
    ``create_conf_loader(config=config)``."""
    found: list[tuple[str, str]] = []
    for path in files:
        if path not in holding:
            continue
        text = read(path) or ""
        if not any(load in text for load in CONFIG_LOADS):
            continue
        try:
            tree = python_trees.parse(text, path)
        except (SyntaxError, ValueError, RecursionError):
            continue
        imports = _imports(tree, path, files)
        defaults: dict[str, ast.expr] = {}  # a factory's parameter -> its default
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                positional = node.args.posonlyargs + node.args.args
                for arg, default in zip(positional[len(positional) - len(node.args.defaults):], node.args.defaults):
                    defaults[arg.arg] = default
                for arg, kw_default in zip(node.args.kwonlyargs, node.args.kw_defaults):
                    if kw_default is not None:
                        defaults[arg.arg] = kw_default
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = _dotted(node.func)
            target: ast.expr | None = None
            if func.endswith(".config.from_object") and node.args:
                target = node.args[0]
            elif func.split(".")[-1] == "create_conf_loader":  # invenio_config
                target = next((k.value for k in node.keywords if k.arg == "config"), node.args[0] if node.args else None)
            if target is None:
                continue
            source = _config_target(target, path, files, imports, defaults, resolver)
            if source is not None and source not in found:
                found.append(source)
    return found


def _module_path(dotted: str, level: int, path: str, files: Sequence[str]) -> str | None:
    """The file of an imported module: relative to ``path`` when ``level`` > 0."""
    if level == 0:
        return module_file(dotted, files, path) if dotted else None
    folder = os.path.dirname(path)
    for _ in range(level - 1):
        folder = os.path.dirname(folder)
    stem = "/".join(p for p in (folder, dotted.replace(".", "/")) if p)
    known = set(files)
    return next((f for f in (stem + ".py", stem + "/__init__.py") if f in known), None)


def _imports(tree: ast.Module, path: str, files: Sequence[str]) -> dict[str, tuple[str, str]]:
    """A module's imported names -> (file of the repo, the name in it or "" for the module itself)."""
    out: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            for alias in node.names:
                local = alias.asname or alias.name
                sub = _module_path(f"{base}.{alias.name}" if base else alias.name, node.level, path, files)
                if sub is not None:
                    out[local] = (sub, "")
                    continue
                module = _module_path(base, node.level, path, files)
                if module is not None:
                    out[local] = (module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname or "." not in alias.name:
                    module = _module_path(alias.name, 0, path, files)
                    if module is not None:
                        out[alias.asname or alias.name] = (module, "")
    return out


def _config_target(node: ast.expr, path: str, files: Sequence[str], imports: dict[str, tuple[str, str]],
                   defaults: dict[str, ast.expr], resolver: Resolver) -> tuple[str, str] | None:
    """What one ``from_object(...)`` loads: (module, class or ""), None when not a module or class of the repo."""
    def a_class(module: str, name: str) -> tuple[str, str] | None:
        return (module, name) if name in resolver.module(module).classes else None

    text = _string(node)
    if text is not None:
        module = module_file(text, files, path)
        if module is not None:
            return module, ""
        head, _, tail = text.rpartition(".")
        module = module_file(head, files, path) if head else None
        return a_class(module, tail) if module else None
    if isinstance(node, ast.Name) and node.id not in imports and node.id in defaults:
        node = defaults[node.id]  # def create_app(config=ProdConfig): app.config.from_object(config)
        if _string(node) is not None:
            return _config_target(node, path, files, imports, {}, resolver)
    if isinstance(node, ast.Name):
        if node.id in imports:
            module, name = imports[node.id]
            return a_class(module, name) if name else (module, "")
        return a_class(path, node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imports:
        module, name = imports[node.value.id]  # settings.ProdConfig after `from proj import settings`
        return a_class(module, node.attr) if not name else None
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        # from_object(config[config_name]) of `config = {"production": ProductionConfig, ...}` (the Flasky layout)
        module, name = imports.get(node.value.id, (path, node.value.id))
        cls = _mapped_class(resolver.module(module).tree, name, _string(node.slice)) if name else None
        return a_class(module, cls) if cls else None
    return None


def _mapped_class(tree: ast.Module | None, mapping: str, key: str | None) -> str | None:
    """The config class a module-level ``mapping = {"production": ProductionConfig,
    "default": DevelopmentConfig}`` gives for ``key`` when the key is written out,
    else the one production is given: the class under a key named for production,
    else under "default"."""
    from hooks.repo.environments import environment_of

    table: dict[str, str] = {}
    for stmt in tree.body if tree is not None else ():
        if (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Dict)
                and any(isinstance(t, ast.Name) and t.id == mapping for t in stmt.targets)):
            table = {k: v.id for k, v in ((_string(k), v) for k, v in zip(stmt.value.keys, stmt.value.values))
                     if k is not None and isinstance(v, ast.Name)}
    if key is not None:
        return table.get(key)
    production = [cls for k, cls in table.items() if environment_of(k) == "production"]
    return production[0] if production else table.get("default")


def resolve_flask(app: App, path: str, resolver: Resolver, cls: str = "") -> Config | None:
    """Celery's settings from a Flask settings module (or its config class
    ``cls``, bases applied first): the dict under ``app.flask_key`` (Celery's own
    names), or the upper-case names. None when the settings hold no Celery
    setting."""
    if not app.flask_key:
        mod = resolver.module(path)
        names, chain = class_names(mod, cls, resolver) if cls else (mod.names, [])
        config = resolve(app, path, resolver, True, names)
        config.classes = chain
        return config if config.values or any(n.startswith("CELERY") for n in names) else None
    mod = resolver.module(path)
    held = (class_names(mod, cls, resolver)[0] if cls else mod.names).get(app.flask_key)
    if not held:
        return None
    values: dict[str, tuple[Val, ...]] = {}
    found_as: dict[str, str] = {}
    for setting in OLD_NAMES:
        if setting in app.conf:
            values[setting] = (app.conf[setting],)
            found_as[setting] = f"app.conf.{setting} ({app.path}:{app.conf[setting].line})"
            continue
        possible: list[Val] = []
        for val in held:
            table = val.value if val.visible and isinstance(val.value, dict) else None
            if table is None:
                possible.append(Val(UNKNOWN, path=val.path, line=val.line))  # not readable: taken as set
                continue
            name = next((n for n in (setting, OLD_NAMES[setting]) if n in table), None)
            if name is None:
                possible.append(Val(MISSING))
                continue
            value = table[name]
            possible.append(Val(UNKNOWN, path=val.path, line=val.line) if value is OPAQUE
                            else Val(LITERAL, value, path=val.path, line=val.line))
            found_as[setting] = f'{app.flask_key}["{name}"]'
        if any(v.kind != MISSING for v in possible):
            values[setting] = tuple(possible)
    return Config(app, path, list(mod.layers), values, found_as, class_names(mod, cls, resolver)[1] if cls else [])


def _signature(node: ast.AST | None) -> tuple[str, str]:
    """``cleanup.s(1)`` -> ("cleanup", "(1,)"); ``signature("a.b")`` -> ("a.b", "()")."""
    if isinstance(node, ast.Call):
        func = node.func
        args = "(" + ", ".join(ast.unparse(a) for a in node.args) + ("," if len(node.args) == 1 else "") + ")"
        if isinstance(func, ast.Attribute) and func.attr in ("s", "si", "signature", "subtask"):
            return _dotted(func.value), args if node.args else "()"
        if _dotted(func).split(".")[-1] in ("signature", "Signature") and node.args:
            return _string(node.args[0]) or "", "()"
    if isinstance(node, (ast.Name, ast.Attribute)):
        return _dotted(node), "()"
    return "", ""


def settings_modules(app: App, files: Sequence[str], environment: Callable[[str], str | None],
                     is_django: Callable[[str], bool]) -> list[str]:
    """The production settings modules an app's Django config comes from.

    The app's ``DJANGO_SETTINGS_MODULE`` default names the settings package; a
    module beside it named for production (``settings/production.py``) is what
    production runs, else the default itself when it names no development or test
    environment. With no default, the modules named for production, else the one
    Django settings module of the repo."""
    hint = module_file(app.settings_hint, files, app.path) if app.settings_hint else None
    if hint:
        folder = os.path.dirname(hint)
        siblings = [f for f in files if os.path.dirname(f) == folder and f.endswith(".py") and f != hint]
        production = [f for f in siblings if environment(f) == "production" and is_django(f)]
        if environment(hint) == "production":
            return [hint]
        if production:
            return production
        if environment(hint) is None and is_django(hint):
            return [hint]
        return []
    from hooks.config import formats

    candidates = [f for f in files if f.endswith(".py") and formats.is_settings_module(f) and is_django(f)]
    production = [f for f in candidates if environment(f) == "production"]
    if production:
        return production
    single = [f for f in candidates if environment(f) is None and f.endswith(("settings.py", "settings/__init__.py"))]
    return single if len(single) == 1 else []


def resolve(app: App, path: str, resolver: Resolver, django: bool, names: Namespace | None = None) -> Config:
    """Celery's settings as production reads them: the settings source (``names``
    when given: a config class), then the app's conf."""
    mod = resolver.module(path) if path else None
    if names is None:
        names = mod.names if mod is not None else {}
    layers = list(mod.layers) if mod is not None else [app.path]
    namespace = app.namespace if django or app.namespace else None
    values: dict[str, tuple[Val, ...]] = {}
    found_as: dict[str, str] = {}
    for setting in OLD_NAMES:
        if setting in app.conf:
            values[setting] = (app.conf[setting],)
            found_as[setting] = f"app.conf.{setting} ({app.path}:{app.conf[setting].line})"
            continue
        for name in names_for(setting, namespace, django):
            if name in names:
                values[setting] = names[name]
                found_as[setting] = name
                break
    return Config(app, path or app.path, layers, values, found_as)


# -- judging values ---------------------------------------------------------
def is_set(possible: tuple[Val, ...]) -> bool:
    """A limit is set when some path sets it to something other than a visible None/0
    (an environment read counts: with a default it is the default, without one the operator sets it)."""
    for v in possible:
        if v.kind == MISSING:
            continue
        if v.visible and (v.value is None or v.value is OPAQUE or v.value == 0 or v.value is False):
            continue
        return True
    return False


# Broker URL schemes by the broker they name (kombu's transport aliases).
BROKER_FAMILIES = {"redis": "redis", "rediss": "redis", "sentinel": "redis", "redis+socket": "redis", "sqs": "sqs",
                   "amqp": "amqp", "amqps": "amqp", "pyamqp": "amqp", "librabbitmq": "amqp"}


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+]*)://")


def broker_family(possible: tuple[Val, ...], read: Callable[[str], str | None] | None = None) -> str:
    """"redis", "sqs" or "amqp" when every way through the settings gives a
    broker URL (a literal, or an environment default; a failover list) of that
    broker; "" when it is not set here, not readable, mixed or another broker
    (``django://``, ``sqla+...``). A value built in code (``f"redis://{HOST}/0"``,
    ``"redis://{}".format(host)``) counts by the schemes written in the
    statement that sets it (``read``: a file's text)."""
    families: set[str] = set()
    for v in possible:
        if v.visible and v.value is not OPAQUE:
            urls = v.value if isinstance(v.value, (list, tuple)) else [v.value]
            if not all(isinstance(url, str) and "://" in url for url in urls):
                return ""
            schemes = [m.group(1) for url in urls for m in _SCHEME.finditer(url)]
        elif v.kind != MISSING and v.path and v.line and read is not None:
            schemes = _written_schemes(read(v.path) or "", v.path, v.line)
        else:
            return ""
        if not schemes:
            return ""
        families |= {BROKER_FAMILIES.get(scheme.lower(), "") for scheme in schemes}
    return families.pop() if len(families) == 1 else ""


def _written_schemes(text: str, path: str, line: int) -> list[str]:
    """The URL schemes written in the string constants (f-string parts included)
    of the assignment on ``line`` of a Python file."""
    try:
        tree = python_trees.parse(text, path, report=False)
    except (SyntaxError, ValueError, RecursionError):
        return []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.lineno == line:
            return [m.group(1) for sub in ast.walk(node) if isinstance(sub, ast.Constant) and isinstance(sub.value, str)
                    for m in _SCHEME.finditer(sub.value)]
    return []


def surely_true(possible: tuple[Val, ...]) -> bool:
    """Every way through the settings leaves it true (an environment default counts)."""
    return bool(possible) and all(v.visible and v.value is not OPAQUE and to_bool(v.value) for v in possible)


def annotated_limit(possible: tuple[Val, ...]) -> bool:
    """task_annotations = {"*": {"time_limit": 300}}."""
    for v in possible:
        if v.visible and isinstance(v.value, dict):
            star = v.value.get("*")
            if isinstance(star, dict) and any(k in star for k in ("time_limit", "soft_time_limit")):
                return True
        elif v.kind not in (MISSING, LITERAL):
            return True  # not readable: say nothing
    return False


def schedule_entries(possible: tuple[Val, ...]) -> list[tuple[str, str, str]]:
    """(entry name, task, args) of the beat schedule production ends with."""
    val = last(possible)
    if val is None or not val.visible or not isinstance(val.value, dict):
        return []
    out = []
    for key, entry in val.value.items():
        if isinstance(entry, dict) and isinstance(entry.get("task"), str):
            args = repr((entry.get("args", ()), entry.get("kwargs", {})))
            out.append((str(key), entry["task"], args))
    return out


def visible_number(possible: tuple[Val, ...]) -> float | None:
    val = last(possible)
    if val is not None and val.visible and isinstance(val.value, (int, float)) and not isinstance(val.value, bool):
        return float(val.value)
    return None


# -- tasks and the management commands they call -------------------------------
@record
class Task:
    name: str  # the dotted name Celery registers (module path + function, or name=)
    function: str
    path: str
    line: int
    command: str = ""  # call_command("x") in its body
    time_limit: bool = False
    schedule_line: int = 0  # @periodic_task(run_every=...)


def tasks_of(path: str, tree: ast.Module, module: str) -> list[Task]:
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for dec in node.decorator_list:
            call = dec if isinstance(dec, ast.Call) else None
            name = _dotted(call.func if call else dec).split(".")[-1]
            if name not in TASK_DECORATORS:
                continue
            task = Task(f"{module}.{node.name}", node.name, path, node.lineno)
            for kw in call.keywords if call else []:
                if kw.arg == "name" and _string(kw.value):
                    task.name = str(_string(kw.value))
                elif kw.arg in ("time_limit", "soft_time_limit"):
                    task.time_limit = True
                elif kw.arg == "run_every" and "periodic" in name:
                    task.schedule_line = dec.lineno
            for sub in ast.walk(node):
                if isinstance(sub, ast.Call) and _dotted(sub.func).split(".")[-1] == "call_command" and sub.args:
                    task.command = _string(sub.args[0]) or ""
                    break
            out.append(task)
            break
    return out


def module_name(path: str) -> str:
    stem = path[:-3] if path.endswith(".py") else path
    if stem.endswith("/__init__"):
        stem = stem[: -len("/__init__")]
    parts = stem.split("/")
    if parts and parts[0] in ("src", "app", "backend") and len(parts) > 2:
        parts = parts[1:]
    return ".".join(parts)


def same_task(scheduled: str, task: Task) -> bool:
    if scheduled == task.name:
        return True
    module, _, func = scheduled.rpartition(".")
    return func == task.function and bool(module) and task.name.rsplit(".", 1)[0].endswith(module)


def value_text(val: Val) -> str:
    if val.kind == ENV:
        return f"read from {val.env}" + (f" (default {val.value!r})" if val.has_default else "")
    return repr(val.value) if val.visible else "not readable statically"


def any_value(possible: tuple[Val, ...]) -> Any:
    val = last(possible)
    return val.value if val is not None and val.visible else None
