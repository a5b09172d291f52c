"""Which config is production, and what each production entry point comes to.

Production entry points, from the repository's tracked files:

* Python settings modules whose environment is production
  (``settings/production.py``, ``config/settings/prod.py``), resolved through
  their star imports;
* Flask config classes named for production (``class ProductionConfig(Config)``);
* ``production.ini`` (Pyramid, ``[app:...]``);
* modules that create a FastAPI/Starlette app;
* with no production module at all, a single ``settings.py`` (Django) or the
  Flask app module with its ``from_object`` config: that *is* production;
* the ``production-settings`` option (``path`` or ``path:ClassName``).
"""
from __future__ import annotations

import ast
import os
import re
from collections.abc import Sequence
from typing import Any, Callable

from hooks.checks.check_security_settings import embedding, routes, session_interface, transport
from hooks.checks.check_security_settings.apps import (
    LOGGING_SETUP,
    AppFacts,
    fastapi_results,
    flask_results,
    middleware_calls,
    pyramid_results,
    pyramid_sections,
    scan_app,
)
from hooks.checks.check_security_settings.django import check as django_check
from hooks.checks.check_security_settings.django import is_django
from hooks.checks.check_security_settings.overlays import overlaid
from hooks.checks.check_security_settings.runs import is_build_or_test, is_run_file, paste_inis, pinned_version, settings_run
from hooks.checks.check_security_settings.servers import Fact, Servers
from hooks.checks.check_security_settings.verdict import MET, NOT_MET, UNKNOWN_STATUS, Result
from hooks.common.settings_layers import Namespace, Resolver, class_names, parse
from hooks.common.settings_values import ENV, LITERAL, Val, to_bool
from hooks.config import formats
from hooks.core.records import field, record, replace
from hooks.repo.environments import PRODUCTION, environment_of
from hooks.repo.roles import belongs_to_service

# A package's test data or an extractor's stub settings.py is not an entry point either.
_EXTRACTOR = re.compile(r"(^|/)extractors?/")


def _not_service(path: str) -> bool:
    return not belongs_to_service(path) or _EXTRACTOR.search(path) is not None


_FLASK = re.compile(r"\bFlask\(|\(Flask\)")
_FLASK_IMPORT = re.compile(r"^\s*(from flask import|import flask)", re.M)
_FASTAPI = re.compile(r"\b(FastAPI|Starlette)\(")
_APP_CODE = re.compile(
    r"debugtoolbar|pyramid_beaker|redis_sessions|session_redis|nacl_session|session_factory_from_settings|\b(Talisman|SSLify|CORS|add_middleware|Middleware|SignedCookieSessionFactory|AuthTktAuthenticationPolicy)\("
    r"|\.config\[|\.config\.(update|from_object|from_pyfile|from_mapping)\("
)
_LOGGING_WORDS = ("dictConfig", "fileConfig", "basicConfig", "addHandler", "structlog", "log_config", "log-config", "loguru")
_APP_WORDS = ("Talisman", "SSLify", "CORS", "iddleware", "SessionFactory", "AuthTkt", ".config", "Flask", "FastAPI", "Starlette", "debugtoolbar",
               "pyramid_beaker", "redis_sessions", "session_redis", "nacl_session", "session_factory_from_settings")
# A command-line module builds an app to run commands in, not the one production serves.
_CLI_MODULE = re.compile(r"(^|/)(commands?|cli|manage|__main__)\.py$|(^|/)(scripts?|bin|tools|management)/")
_SETTINGS_PREFIX = re.compile(r"(^|/)settings[_-][^/]+\.py$")
_PROD_CLASS = re.compile(r"^class\s+(Prod|Production|Live)\w*(Config|Configuration|Settings)\s*[(:]", re.M)
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_MAX_PY_BYTES = 300_000


@record
class Entry:
    path: str
    framework: str  # django | flask | pyramid | fastapi
    cls: str = ""  # a Flask config class
    explicit: bool = False
    # a config the app loads after this one from outside the repo
    # (from_envvar, from_pyfile of an instance file): "run.py:82"
    external: str = ""
    # the config object loaded before this file ("pkg/default_config.py" or "path:Class"):
    # from_object(defaults) then from_envvar(X) with X naming this tracked file
    base: str = ""

    @property
    def label(self) -> str:
        return f"{self.path}:{self.cls}" if self.cls else self.path


@record
class Outcome:
    entry: Entry
    layers: list[str]
    results: list[Result]


@record
class Repo:
    files: list[str]
    read: Callable[[str], str | None]
    load: Callable[[str], object]  # ctx.load, for ini files
    environments: dict[str, Sequence[str]] | None = None
    resolver: Resolver = field(init=False)
    texts: dict[str, str] = field(default_factory=dict)
    # production_environment's answer: the same for every entry point, and it
    # loads every production env file (once per entry point made it quadratic).
    production_env: dict[str, tuple[str, str, int]] | None = None
    # env_values() of production env files already read (the report, as its
    # batches go by): path -> (name, value, line), names an earlier file sets left out.
    env_values: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    run_modules: dict[str, str] | None = None
    # where a production start-up names a per-install settings_local module the repo holds no file of
    unresolved_local: list[str] = field(default_factory=list)
    flask_session_use: str | None = None  # flask_sessions' answer, once per run
    loader_secret: str | None = None  # loader_secret_key's answer, once per run
    session_cookies: list[Any] | None = None  # session_interface.session_cookie_calls' answer, once per run
    embedding: str | None = None  # embedding.code_evidence's answer, once per run
    html: str | None = None  # no_html's answer, once per run
    frame_state: str | None = None  # nothing_to_frame's answer, once per run
    grep: Any = None  # hooks.repo.git.Grep: which files can hold what a loop looks for (None: read them all)
    _python: list[str] | None = None
    _searched: list[str] | None = None

    def holding(self, files: Sequence[str], *alternatives: str, ignore_case: bool = False,
                pathspecs: tuple[str, ...] = ("*.py",)) -> list[str]:
        """``files`` that can hold one of ``alternatives``: a prefilter, the loops still test what they read."""
        from hooks.repo.git import holding

        return holding(self.grep, files, *alternatives, ignore_case=ignore_case, pathspecs=pathspecs)

    def __post_init__(self) -> None:
        self.resolver = Resolver(self.read)
        self.resolver.template = self.overlay_template
        self.resolver.python2 = True

    def overlay_template(self, importer: str, module: str) -> str | None:
        """The tracked template of a settings module a layer star-imports but the repo does not hold
        (gitignored, made on each install): the one file of the same name in a deployment folder
        (``deploy/settings_prod.py``), or a template copy (``settings_prod.py.example``)."""
        return overlay_template(module, self.files, importer)

    def runs(self) -> dict[str, str]:
        """Settings module -> where the service's start-up names it (``wsgi.py:12``)."""
        if self.run_modules is None:
            # settings_run reads a file only for a line naming DJANGO_SETTINGS_MODULE or --settings
            # (the files without one are passed over unread: settings_run skips them after reading)
            found = set(self.holding(self.files, "DJANGO_SETTINGS_MODULE", "--settings", pathspecs=_RUN_FILE_SPECS))
            # a non-ASCII name may match _RUN_FILE by re.I's Unicode folding, not git's ASCII :(icase)
            naming = [f for f in self.files if f in found or not f.isascii()]
            every = self.files

            def anywhere(dotted: str, _files: Sequence[str]) -> str | None:
                return module_file(dotted, every)  # a named module may be any tracked file

            self.run_modules = dict(settings_run(naming, self.read, anywhere, self.environments,
                                                 placed=self.resolver.placed, unresolved=self.unresolved_local, every=every))
        return self.run_modules

    def env(self, path: str) -> str | None:
        return environment_of(path, self.environments)

    def searched(self) -> list[str]:
        """The Python files find() and app_facts() test the text of: those git grep
        says hold one of their words (any case: one search for both), in order."""
        if self._searched is None:
            words = ("flask", "FastAPI(", "Starlette(", *_LOGGING_WORDS, *_APP_WORDS, *_header_names())
            self._searched = self.holding(self.python(), *words, ignore_case=True)
        return self._searched

    def python(self) -> list[str]:
        if self._python is None:  # asked by find and app_facts: worked out once
            self._python = [f for f in self.files if f.endswith(".py") and not _not_service(f)]
        return self._python

    def text(self, path: str) -> str:
        if path not in self.texts:
            try:
                if os.path.getsize(path) > _MAX_PY_BYTES:
                    self.texts[path] = ""
                    return ""
            except OSError:
                self.texts[path] = ""
                return ""
            self.texts[path] = self.read(path) or ""
        return self.texts[path]


def class_environment(name: str, environments: dict[str, Sequence[str]] | None) -> str | None:
    """``ProductionConfig`` -> production, by its CamelCase words."""
    return environment_of("_".join(_CAMEL.findall(name)), environments)


def module_file(dotted: str, files: Sequence[str]) -> str | None:
    """``myapp.settings`` -> ``src/myapp/settings.py`` among the tracked files."""
    tail = dotted.replace(".", "/")
    for f in files:
        if f.endswith("/" + tail + ".py") or f == tail + ".py" or f.endswith("/" + tail + "/__init__.py") or f == tail + "/__init__.py":
            return f
    # Not tracked: each install makes it from the template beside it
    # (opencve.conf.settings <- conf/settings.py.example), which is what production runs.
    for f in files:
        stem, dot, ext = f.rpartition(".")
        if dot and ext in _TEMPLATE_EXTENSIONS and (stem.endswith("/" + tail + ".py") or stem == tail + ".py"):
            return f
    return None


_TEMPLATE_EXTENSIONS = ("example", "sample", "dist", "template", "tpl", "default")
# Where a project keeps the copies it installs on its hosts.
_DEPLOY_FOLDER = re.compile(r"(^|/)(deploy\w*|provision\w*|ansible|salt|puppet|chef|docker|ops|servers?|conf|etc)/")


def overlay_template(module: str, files: Sequence[str], importer: str) -> str | None:
    """``pkg.settings_prod`` (not tracked) -> ``deploy/settings_prod.py`` or ``pkg/settings_prod.py.example``:
    the single tracked template of that name, never the importer itself or a test/build file."""
    name = module.split(".")[-1]
    if not name:
        return None
    plain = name + ".py"
    found = []
    for f in files:
        base = os.path.basename(f)
        if f == importer or is_build_or_test(f):
            continue
        if base == plain and _DEPLOY_FOLDER.search(os.path.dirname(f) + "/"):
            found.append(f)
        elif any(base in (plain + "." + ext, f"{name}.{ext}.py", f"{name}_{ext}.py") for ext in _TEMPLATE_EXTENSIONS):
            found.append(f)
    return found[0] if len(found) == 1 else None


def find(repo: Repo, explicit: Sequence[str]) -> list[Entry]:
    if explicit:
        return [_explicit(repo, item) for item in explicit]
    entries: list[Entry] = []
    python = repo.python()
    # settings_production.py / settings-prod.py too: legacy names the shared pattern misses
    settings = [f for f in python if formats.is_settings_module(f) or _SETTINGS_PREFIX.search(f)]
    flask_apps = flask_app_modules(repo, python)
    fastapi_apps = [f for f in repo.searched() if ("FastAPI(" in repo.text(f) or "Starlette(" in repo.text(f)) and f not in flask_apps]
    for f in settings:
        if repo.env(f) != PRODUCTION:
            continue
        mod = repo.resolver.module(f)
        if is_django(mod.names) or any(n in mod.names for n in ("SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT")) and not flask_apps:
            entries.append(Entry(f, "django"))
        elif flask_apps:
            classes = [c for c in mod.classes if class_environment(c, repo.environments) in (PRODUCTION, None)]
            if classes:
                entries += [Entry(f, "flask", c) for c in classes if _config_like(c)]
            else:
                entries.append(Entry(f, "flask"))
    if flask_apps:
        # Config classes live in settings modules, app modules, or any module
        # that declares a production-named class (app/configuration.py).
        declaring = [f for f in python if f not in settings and f not in flask_apps and _PROD_CLASS.search(repo.text(f))]
        for f in settings + flask_apps + declaring:
            if repo.env(f) == PRODUCTION or "class " not in repo.text(f):
                continue
            mod = repo.resolver.module(f)
            for c in mod.classes:
                if class_environment(c, repo.environments) == PRODUCTION and _config_like(c):
                    if not any(e.path == f and e.cls == c for e in entries):
                        entries.append(Entry(f, "flask", c))
    # A single settings.py with no environment split is production, in each
    # project that has no production module of its own.
    split = [os.path.dirname(os.path.dirname(e.path)) for e in entries if e.framework in ("django", "flask")]
    runs = repo.runs()
    for f in settings:
        if repo.env(f) is not None or not f.endswith(("settings.py", "settings/__init__.py")) or (runs and f not in runs):
            continue  # what production runs is known: a settings.py it does not run is not production
        top = os.path.dirname(os.path.dirname(f[: -len("/__init__.py")] if f.endswith("/__init__.py") else f))
        if any(d == top or d.startswith(top + "/") or not top for d in split):
            continue
        if is_django(repo.resolver.module(f).names):
            # production names a per-install settings_local the repo holds no file of: that layer, on top
            # of this one, is what runs, and may set what this one leaves out
            entries.append(Entry(f, "django", external=repo.unresolved_local[0] if repo.unresolved_local else ""))
    if not any(e.framework in ("django", "flask") for e in entries):
        if flask_apps:
            entries += flask_config_entries(repo, flask_apps)
    entries = _configuration_classes(repo, _what_production_runs(repo, entries, settings))
    entries += [Entry(f, "fastapi") for f in served_apps(repo, [f for f in fastapi_apps if creates_app(repo.text(f))])]
    return entries + pyramid_entries(repo)


def unread_python2(repo: Repo) -> list[str]:
    """Settings modules (or modules the start-up names as settings) that are Python 2 beyond what
    ``python2_as_3`` rewrites, so neither they nor the layers they load were judged."""
    from hooks.config import python_trees

    runs = repo.runs()
    out = []
    for path, mod in sorted(repo.resolver.cache.items()):
        if mod.error != "cannot parse" or not (formats.is_settings_module(path) or path in runs):
            continue
        try:
            python_trees.parse(repo.read(path) or "", report=False)
        except python_trees.Python2Syntax:
            out.append(path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            pass
    return out


def pyramid_entries(repo: Repo) -> list[Entry]:
    """``production.ini``, and the PasteDeploy ini a production start-up serves (``pserve X.ini``
    in the Dockerfile, ``gunicorn --paste``, uWSGI ``ini-paste``), with an ``[app:...]`` section."""
    named = [Entry(f, "pyramid") for f in repo.files
             if f.endswith(".ini") and not _not_service(f) and repo.env(f) == PRODUCTION and "[app:" in (repo.read(f) or "")]
    starts = repo.holding(repo.files, "pserve", "paste", pathspecs=_RUN_FILE_SPECS)
    served = [f for f, _where in paste_inis(starts, repo.read, repo.environments, every=repo.files)
              if not _not_service(f) and "[app:" in (repo.read(f) or "")]
    if served:
        # the start-up names the ini it serves: a production-named ini that neither it nor any other
        # start-up file, ini or code names (not even through ``use = config:``) is a leftover, not production
        entries = [e for e in named if e.path in served or _named_elsewhere(repo, e.path)]
    else:
        entries = named
    return entries + [Entry(f, "pyramid") for f in served if not any(e.path == f for e in entries)]


def _named_elsewhere(repo: Repo, path: str) -> bool:
    """Some start-up file, ini or module other than ``path`` itself names its file name."""
    name = os.path.basename(path)
    return any(f != path and name in (repo.read(f) or "") for f in repo.holding(repo.files, name, pathspecs=_RUN_FILE_SPECS))


def _configuration_classes(repo: Repo, entries: list[Entry]) -> list[Entry]:
    """django-configurations: the class DJANGO_CONFIGURATION names is what production runs, not the module's top level."""
    for path, cls, _where in _configurations(repo):
        entries = [e for e in entries if not (e.path == path and e.framework == "django" and not e.cls)]
        if not any(e.path == path and e.cls == cls for e in entries):
            entries.append(Entry(path, "django", cls))
    return entries


def _configurations(repo: Repo) -> list[tuple[str, str, str]]:
    """(settings module, class, where it is named) for each production configuration class."""
    from hooks.checks.check_security_settings.configurations import CONFIGURATION, SETTINGS_MODULE, START

    starts = [f for f in repo.files if START.search(f)]
    found: list[tuple[str, str, str]] = []
    for f in repo.holding(starts, "DJANGO_CONFIGURATION", pathspecs=(".",)):
        if repo.env(f) not in (PRODUCTION, None):
            continue  # docker-compose.dev.yml, .env.test
        text = repo.text(f)
        m = CONFIGURATION.search(text)
        if m is None:
            continue
        cls = m.group(1)
        env = class_environment(cls, repo.environments)
        if env != PRODUCTION and (env is not None or not f.endswith(("wsgi.py", "asgi.py"))):
            # Dev, Test; a class of no environment (E2E, Build) only when the WSGI/ASGI module serves it:
            # an env file or a Dockerfile's RUN names it for a test run or a build step
            continue
        s = SETTINGS_MODULE.search(text)
        module = module_file(s.group(1), repo.files) if s else None
        candidates = [module] if module else [p for p in repo.holding(repo.python(), "configurations") if "class " + cls in repo.text(p)]
        for path in candidates:
            if path and cls in repo.resolver.module(path).classes and not any(p == path and c == cls for p, c, _ in found):
                found.append((path, cls, f"{f}:{text.count(chr(10), 0, m.start()) + 1}"))
    return found


def flask_app_modules(repo: Repo, python: Sequence[str]) -> list[str]:
    """Modules that build the Flask app production serves: ``app = Flask(__name__)``,
    a factory returning one, or an instance of the project's own ``class App(Flask)``.
    Not any ``Flask(`` in the text: a docstring's ``app (Flask):`` or a throwaway
    ``OAuth(Flask(__name__))`` builds nothing that is served. With several such
    modules, those the start-up names (``FLASK_APP``, a gunicorn/uWSGI command,
    a ``wsgi.py``) win."""
    candidates = [f for f in repo.searched() if "flask" in repo.text(f) and _FLASK_IMPORT.search(repo.text(f))
                  and not _CLI_MODULE.search(f)]
    trees = {f: parse(repo.text(f)) for f in candidates if "Flask" in repo.text(f)}
    classes = {"Flask"}
    for tree in trees.values():
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.ClassDef) and any(_called(b) == "Flask" for b in node.bases):
                classes.add(node.name)
    subclasses = sorted(classes - {"Flask"})
    if subclasses:  # a module may build the project's app class without importing flask itself
        for f in repo.holding(python, *subclasses):
            if f not in trees and not _CLI_MODULE.search(f) and any(c + "(" in repo.text(f) for c in subclasses):
                trees[f] = parse(repo.text(f))
    apps = [f for f, tree in trees.items() if (_FLASK.search(repo.text(f)) is not None if tree is None else _builds(tree, classes))]
    if len(apps) > 1:
        named = _served_modules(repo)
        served = [f for f in apps if f in named]
        if served:
            return served
    return apps


def _called(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def _builds(tree: ast.Module, classes: set[str]) -> bool:
    """An app object is made and kept: assigned, returned, or yielded, not passed on."""
    for node in ast.walk(tree):
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign, ast.Return, ast.NamedExpr, ast.Yield)) else None
        if isinstance(value, ast.Call) and _called(value.func) in classes:
            return True
    return False


# FLASK_APP=pkg.wsgi, gunicorn "pkg.app:create_app()", uwsgi module = pkg.wsgi:app, waitress-serve pkg:app
_SERVED = re.compile(r"""FLASK_APP\s*[=:]\s*["']?([\w./-]+)|\b(?:gunicorn|uwsgi|waitress-serve|hypercorn|uvicorn)\b[^\n]*?\s["']?([\w.]+):\w+"""
                     r"""|^\s*(?:module|wsgi)\s*=\s*([\w.]+)[:\s]|^\s*(?:from|import)\s+([\w.]+)""", re.M)
_START_FILES = re.compile(r"(^|/)(Procfile|Dockerfile[^/]*|[^/]*compose[^/]*\.ya?ml|[^/]*\.(sh|ini|toml|cfg|service|env)|\.env[^/]*|wsgi\.py|asgi\.py)$")


def _served_modules(repo: Repo) -> set[str]:
    """Files the start-up names as the app: FLASK_APP, a server command, what a wsgi.py imports."""
    out: set[str] = set()
    for f in repo.files:
        if not _START_FILES.search(f) or _not_service(f):
            continue
        text = repo.read(f) or ""
        for m in _SERVED.finditer(text):
            name = next((g for g in m.groups() if g), "")
            if m.group(4) and not f.endswith(("wsgi.py", "asgi.py")):
                continue  # an import line counts in a wsgi.py only
            name = name[:-3] if name.endswith(".py") else name
            file = module_file(name.replace("/", "."), repo.files) if name else None
            if file is not None:
                out.add(file)
    return out


def _what_production_runs(repo: Repo, entries: list[Entry], settings: Sequence[str]) -> list[Entry]:
    """Add the Django settings modules the service starts with (``DJANGO_SETTINGS_MODULE``
    in wsgi.py, the Dockerfile, compose, a Procfile, manifests); drop a module
    that another entry point star-imports (a base layer), and build or test settings."""
    runs = repo.runs()
    for path in runs:
        if any(os.path.normpath(e.path) == path for e in entries) or _not_service(path):
            continue
        names = repo.resolver.module(path).names
        if is_django(names) or any(n in names for n in ("SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT")):
            entries.append(Entry(path, "django"))
    django = [e for e in entries if e.framework == "django" and not e.explicit]
    layered = {os.path.normpath(layer) for e in django for layer in repo.resolver.module(e.path).layers[:-1]}
    return [e for e in entries if e.framework != "django" or e.explicit
            or (os.path.normpath(e.path) not in layered and (os.path.normpath(e.path) in runs or not is_build_or_test(e.path)))]


_MAIN_GUARD = re.compile(r"""^if\s+__name__\s*==\s*['"]__main__['"]\s*:""", re.M)
_SERVES = re.compile(r"\buvicorn\.(run|Server|Config)\(|\bhypercorn\b|\bgranian\b|\bwaitress\.serve\(|\bweb\.run_app\(|\bserve\(\s*app\b")


def served_apps(repo: Repo, apps: Sequence[str]) -> list[str]:
    """The FastAPI/Starlette app modules something serves: those the start-up names
    (a uvicorn/gunicorn/hypercorn target in a Dockerfile, compose file, Procfile, script),
    the package's own app modules, and scripts that run a server themselves
    (``uvicorn.run(app)`` under ``if __name__ == "__main__":``). A script that builds the
    app only to export its OpenAPI document, or to generate docs, serves nothing."""
    if not apps:
        return []
    named = _served_modules(repo)
    out = []
    for f in apps:
        text = repo.text(f)
        if f in named or not _MAIN_GUARD.search(text) or _SERVES.search(text):
            out.append(f)
    return out


def creates_app(text: str) -> bool:
    """A real ``FastAPI(...)``/``Starlette(...)`` call, not one in a docstring or comment."""
    if not _FASTAPI.search(text):
        return False
    tree = parse(text)
    if tree is None:
        return True
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in ("FastAPI", "Starlette"):
                return True
    return False


def _config_like(name: str) -> bool:
    return name.endswith(("Config", "Configuration", "Settings")) or class_environment(name, None) is not None


def _explicit(repo: Repo, item: str) -> Entry:
    path, _, cls = item.partition(":")
    if path.endswith((".ini", ".cfg")):
        return Entry(path, "pyramid", explicit=True)
    if cls:
        return Entry(path, "flask", cls, explicit=True)
    text = repo.text(path)
    if _FASTAPI.search(text):
        return Entry(path, "fastapi", explicit=True)
    if _FLASK.search(text) or (not is_django(repo.resolver.module(path).names) and "flask" in text.lower()):
        return Entry(path, "flask", explicit=True)
    return Entry(path, "django", explicit=True)


def app_facts(repo: Repo) -> AppFacts:
    facts = AppFacts()
    facts.flask_version = pinned_version(repo.files, repo.read, "flask")
    facts.django_version = pinned_version(repo.files, repo.read, "django")
    for f in repo.searched():
        text = repo.text(f)
        if not text:
            continue
        # Plain substring tests first: a regex over every file of a big repo costs seconds.
        if not facts.logging and any(w in text for w in _LOGGING_WORDS):
            m = LOGGING_SETUP.search(text)
            if m:
                facts.logging = f"{f}:{text.count(chr(10), 0, m.start()) + 1}"
                facts.logging_how = m.group(1)
        if "-" in text and not _ONE_OFF.search(f):
            for m in _HEADER_SET.finditer(text):
                before = text[max(0, m.start() - 200):m.start()]
                if _DEBUG_ONLY.search(before):
                    continue  # if settings.DEBUG: ... development only
                name = m.group(1) or m.group(2)
                facts.app_headers.setdefault(name.lower(), Fact("set by the app's own code", f, text.count(chr(10), 0, m.start()) + 1))
        if any(w in text for w in _APP_WORDS) and (_APP_CODE.search(text) or _FLASK.search(text) or _FASTAPI.search(text)):
            scan_app(f, text, repo.resolver, facts)
    for f in repo.files:
        if os.path.basename(f).startswith(("logging.", "log_config", "logging_config")) and f.endswith((".ini", ".conf", ".yaml", ".yml", ".json")):
            facts.logging = facts.logging or f"{f}:1"
    return facts


_SECURITY_HEADER = r"Strict-Transport-Security|X-Frame-Options|X-Content-Type-Options|Referrer-Policy|Cross-Origin-Opener-Policy"


# Every name runs._RUN_FILE takes (case-insensitive), as git pathspecs: the search skips
# the rest of the repo (fixtures, data) that settings_run never reads.
_RUN_FILE_SPECS = tuple(f":(icase){g}" for g in (
    "*.py", "*dockerfile*", "*procfile*", "*.yaml", "*.yml", "*uwsgi*", "*gunicorn*", "*.ini", "*app.json", "*fly.toml",
    "*.service", "*.sh"))


def _header_names() -> tuple[str, ...]:
    """The names _HEADER_SET looks for (plain words joined by "|"), or ("",): no prefilter."""
    names = tuple(_SECURITY_HEADER.split("|"))
    return names if all(re.fullmatch(r"[\w-]+", n) for n in names) else ("",)
# response["Strict-Transport-Security"] = ..., headers.set("X-Frame-Options", ...), headers.setdefault(...)
_HEADER_SET = re.compile(
    rf"""\[\s*['"]({_SECURITY_HEADER})['"]\s*\]\s*=[^=]"""
    rf"""|\.(?:set|setdefault|add|append|add_header)\(\s*['"]({_SECURITY_HEADER})['"]""",
    re.I,
)
_DEBUG_ONLY = re.compile(r"\bif\s+(settings\.|self\.|app\.config\[.)?DEBUG\b[^\n]*:\s*\n(\s+[^\n]*\n){0,2}[^\n]*$")
# Code that is not the web process: one-off commands and scripts.
_ONE_OFF = re.compile(r"(^|/)(management/commands|scripts?|bin|tools)/")

_SAMPLE = re.compile(r"(example|sample|template|dist|tpl)$", re.I)
# "!!!SET DJANGO_SECRET_KEY!!!", "<your key>", "changeme", "${FROM_VAULT}": a slot to fill, not a value
_PLACEHOLDER = re.compile(r"!!!|\$\{|<[^>]*>|change.?me|replace.?me|your[-_ ]|\bTODO\b|^x{3,}$|\{\{", re.I)


def production_environment(repo: Repo) -> dict[str, tuple[str, str, int]]:
    """Variables the repo's production env files set (``.env.production``,
    cookiecutter's ``.envs/.production/*``): NAME -> (value, path, line).
    Worked out once per run (callers must not change it)."""
    if repo.production_env is not None:
        return repo.production_env
    out: dict[str, tuple[str, str, int]] = {}
    for f in repo.files:
        if not is_production_env_file(f, repo.environments):
            continue
        values = repo.env_values[f] if f in repo.env_values else env_values(repo.load(f))
        for name, value, line in values:
            out.setdefault(name, (value, f, line))
    repo.production_env = out
    return out


def is_production_env_file(path: str, environments: dict[str, Sequence[str]] | None) -> bool:
    if ".env" not in path.lower():
        return False  # every name formats.detect calls dotenv holds it (.env*, .envs/, *.env, *.env.example)
    return formats.detect(path) == formats.DOTENV and environment_of(path, environments) == PRODUCTION \
        and not _SAMPLE.search(path)


def env_values(doc: object) -> list[tuple[str, str, int]]:
    """(name, value, line) of what a production env file sets, placeholders left out."""
    return [
        (str(e.path[0]), e.value, e.line) for e in getattr(doc, "entries", None) or []
        if len(e.path) == 1 and isinstance(e.value, str) and e.value.strip() and not _PLACEHOLDER.search(e.value)
    ]


def with_environment(names: Namespace, env: dict[str, tuple[str, str, int]]) -> Namespace:
    """Reads of a variable the production env file sets take that value."""
    if not env:
        return names
    out: Namespace = {}
    for name, possible in names.items():
        vals = []
        for v in possible:
            if v.kind == ENV and v.env in env:
                text, path, line = env[v.env]
                vals.append(Val(LITERAL, _typed(text, v.value if v.has_default else None), v.env, True, path, line, v.condition))
            else:
                vals.append(v)
        out[name] = tuple(vals)
    return out


def _typed(text: str, like: Any) -> Any:
    """The env file's text as the type the settings expect (by the default's type)."""
    stripped = text.strip()
    if isinstance(like, bool) or stripped.lower() in ("true", "false", "yes", "no", "on", "off"):
        return to_bool(stripped)
    if isinstance(like, (list, tuple)):
        return [p.strip() for p in stripped.split(",") if p.strip()]
    if isinstance(like, int) or stripped.isdigit():
        try:
            return int(stripped)
        except ValueError:
            return stripped
    return stripped


def evaluate(entry: Entry, repo: Repo, servers: Servers, facts: AppFacts, strict: bool) -> Outcome:
    env = production_environment(repo) if entry.framework in ("django", "flask") else {}
    if entry.framework == "django":
        mod = overlaid(repo.resolver.module(entry.path), repo.resolver)
        dictconfig = ""
        for layer in mod.layers:
            m = LOGGING_SETUP.search(repo.text(layer))
            if m and "basicConfig" not in m.group(0):
                dictconfig = f"{layer}:{repo.text(layer).count(chr(10), 0, m.start()) + 1}"
                break
        if not dictconfig and facts.logging and not _ONE_OFF.search(facts.logging):
            dictconfig = f"{facts.logging_how} {facts.logging}"
        own = mod.names
        mixin = ""
        if entry.cls:  # django-configurations: the class's attributes, bases applied
            from hooks.checks.check_security_settings import configurations

            own = configurations.class_settings(mod, entry.cls, repo.resolver, repo.text(entry.path))
            others = [c for c in mod.classes if class_environment(c, repo.environments) not in (PRODUCTION, None)]
            mixin = configurations.mixin_evidence(mod, repo.resolver, others)
        names = with_environment(own, env)
        results = django_check(names, servers, strict, entry.path, dictconfig, repo.read,
                               lambda dotted: module_file(dotted, repo.files), facts.django_version)
        results = embedding.samesite(results, names, lambda: embedding.evidence(repo, names, servers))
        # the settings' own defaults count too: a production env file that turns a secure cookie off is a finding
        evidence = transport.settings_evidence(names) or transport.settings_evidence(own) or transport.server_evidence(servers) \
            or transport.settings_evidence(mod.untaken) or mixin
        results = transport.gate(transport.production_branch(results, mod.untaken), evidence, servers)
        # the production platform's own branch sets the HTTPS settings: production's transport is decided in the repo
        platform = transport.settings_evidence(mod.untaken)
        return Outcome(entry, list(mod.layers), _outside(results, own, mod.external or entry.external,
                                                         keep=transport.TRANSPORT if platform else frozenset()))
    if entry.framework == "flask":
        loaded: dict[str, int] = {}
        names, layers = flask_namespace(entry, repo, facts, loaded)
        # app.secret_key = "..." (or app.config["K"] = ...) in the app module, then a config file loaded
        # after it that sets the same key: the later load wins
        sets = {k: v for k, v in facts.config_sets.items()
                if not (k in loaded and all(x.path == entry.path and 0 < x.line < loaded[k] for x in v))}
        if sets != facts.config_sets:
            facts = replace(facts, config_sets=sets)
        given = {**names, **facts.config_sets}
        names = with_environment(names, env)
        results = _frameless(flask_results(names, facts, servers, strict, entry.external), no_html(repo), nothing_to_frame(repo))
        if repo.session_cookies is None:
            repo.session_cookies = session_interface.session_cookie_calls(
                repo.holding(repo.python(), "session_interface", "SessionInterface"), repo.text)
        results = _sessionless(session_interface.apply(results, repo.session_cookies), flask_sessions(repo))
        results = _loader_secret(results, loader_secret_key(repo))
        config = {**names, **facts.config_sets}
        results = embedding.samesite(results, config, lambda: embedding.evidence(repo, config, servers))
        # Talisman forces HTTPS by default; flask-sslify's SSLify(app) redirects every request to HTTPS and sends HSTS
        # (held-out round 17)
        https_call = next(iter(facts.named("Talisman", "SSLify")), None)
        evidence = transport.settings_evidence({**names, **facts.config_sets}) or transport.settings_evidence(given) or transport.server_evidence(servers) \
            or (f"{https_call.name}(app) ({https_call.path}:{https_call.line})" if https_call is not None else "")
        results = transport.gate(results, evidence, servers)
        external = entry.external or next((m.external for m in (repo.resolver.module(lay) for lay in layers) if m.external), "")
        # a key read from the environment with a committed fallback, and a deployment file that is
        # optional (silent=True, or loaded only when its variable is set): the environment is where
        # production's key comes from, and the fallback runs wherever it is unset
        keep = frozenset({"secrets.secret_key"}) if external and _optional_external(external, repo) else frozenset()
        return Outcome(entry, layers, _outside(results, {**names, **facts.config_sets}, external, keep=keep, only_env_defaults=True))
    if entry.framework == "fastapi":
        evidence = transport.server_evidence(servers) or ("HTTPSRedirectMiddleware" if middleware_calls(facts).get("HTTPSRedirectMiddleware") else "")
        return Outcome(entry, [entry.path], transport.gate(fastapi_results(facts, servers, strict, entry.path), evidence))
    sections, layers = pyramid_sections(entry.path, repo.load)
    evidence = transport.server_evidence(servers) or transport.ini_evidence(sections)
    return Outcome(entry, layers, transport.gate(pyramid_results(sections, facts, servers, https=bool(evidence)), evidence))


# Pages a browser renders: template files, template engines, HTML responses, an admin or API-docs UI.
_HTML_FILE = re.compile(r"(^|/)templates?/|\.(html?|xhtml|jinja2?|mako|pt)(\.(j2|jinja2?|tmpl|tpl))?$", re.I)
_HTML_CODE = re.compile(
    r"\brender_template|\bTemplateResponse\b|\bJinja2Templates\b|\bjinja2\b|\bEnvironment\(|\brender\(|\bHTMLResponse\b|text/html"
    r"|\bflask_admin\b|\bAdmin\(|[Ss]wagger|\bflasgger\b|\bflask_restx\b|\bflask_restplus\b|\bmako\b|\bchameleon\b|\bMarkup\("
    r"|\bsend_static_file\b|\bstatic_folder\s*=\s*[^\sN]|<html|<!DOCTYPE|\bredoc\b|\bflask_login\b|\bgraphiql\b|\bGraphiQL\b"
    r'|["\'][\w/.-]*\.html?["\']')
_HTML_WORDS = ("render_template", "TemplateResponse", "Jinja2Templates", "jinja2", "Environment(", "render(", "HTMLResponse", "text/html",
               "flask_admin", "Admin(", "wagger", "flasgger", "flask_restx", "flask_restplus", "mako", "chameleon", "Markup(",
               "send_static_file", "static_folder", ".htm", "<html", "<!DOCTYPE", "redoc", "flask_login", "graphiql", "GraphiQL")
# What a data API answers with
_DATA_CODE = re.compile(r"\bjsonify\(|\bJSONResponse\b|application/json|\bsend_file\(|\bjson\.dumps\(")
_DATA_WORDS = ("jsonify(", "JSONResponse", "application/json", "send_file(", "json.dumps(")


def no_html(repo: Repo) -> str:
    """Why the service renders no HTML (so nothing of it is worth framing), or "": no template
    files, no template engine, HTML response or admin/API-docs UI in its code, and its views
    answer with JSON or files (``jsonify``, ``JSONResponse``, ``send_file``). Once per run."""
    if repo.html is None:
        repo.html = ""
        if any(_HTML_FILE.search(f) for f in repo.files if not _not_service(f)):
            return repo.html
        for f in repo.holding(repo.python(), *_HTML_WORDS):
            if _HTML_CODE.search(repo.text(f)):
                return repo.html
        data = next((f for f in repo.holding(repo.python(), *_DATA_WORDS) if _DATA_CODE.search(repo.text(f))), "")
        if data:
            m = _DATA_CODE.search(repo.text(data))
            assert m is not None
            repo.html = f"{m.group(0).rstrip('(')} ({data}:{repo.text(data).count(chr(10), 0, m.start()) + 1})"
    return repo.html


def nothing_to_frame(repo: Repo) -> str:
    """Why a Flask app's pages hold nothing to click-jack, or "": no session, login or signed cookie
    (``flask_sessions``), no other login or per-user state (OIDC, HTTP auth, its own cookies), and no
    route that accepts POST/PUT/PATCH/DELETE (one that only answers 405 does not count). Once per run."""
    if repo.frame_state is None:
        repo.frame_state = ""
        python = repo.python()
        if not flask_sessions(repo) and not routes.login_use(repo.holding(python, *routes.LOGIN_WORDS), repo.text) \
                and not routes.state_changing_route(repo.holding(python, *routes.ROUTE_WORDS), repo.text):
            repo.frame_state = "the app has no login or user session and no route that changes state (a public read-only app: nothing to click-jack)"
    return repo.frame_state


def _frameless(results: list[Result], why: str, stateless: str = "") -> list[Result]:
    """X-Frame-Options asked of an app that renders no HTML, or whose pages hold nothing to
    click-jack (``stateless``): not applicable, with why."""
    if why:
        text = f"X-Frame-Options: not applicable, the app renders no HTML pages (no templates; it answers with {why})"
    elif stateless:
        text = f"X-Frame-Options: not applicable, {stateless}"
    else:
        return results
    return [replace(r, status=MET, text=text, advice="", path="", line=0)
            if r.item == "headers.security_headers" and r.setting == "X-Frame-Options" and r.status != MET else r for r in results]


# Flask's session, flask-login, Flask-WTF's CSRF, Flask-Session/Security, itsdangerous, flash
# messages (kept in the session), an OAuth client's state: each signs with SECRET_KEY.
_SESSION_USE = re.compile(
    r"from flask import\s*\(?[\w\s,\\]*\bsession\b|\bflask\.session\b|\bflask_login\b|\bflask_wtf\b|\bCSRFProtect\b|\bflask_session\b"
    r"|\bflask_security\b|\bitsdangerous\b|\bflash\(|\bflask_dance\b|authlib\.integrations\.flask|\bSessionInterface\b|\bflask_jwt_extended\b"
)
_SESSION_WORDS = ("session", "flask_login", "flask_wtf", "CSRFProtect", "flask_security", "itsdangerous", "flash(", "flask_dance",
                  "authlib", "SessionInterface", "flask_jwt_extended")
_SESSION_ITEMS = ("secrets.secret_key", "headers.session_cookie_secure", "headers.session_cookie_httponly", "headers.cookie_samesite")


# flask_jwt_extended signs with SECRET_KEY only while JWT_SECRET_KEY (or JWT_PRIVATE_KEY) is unset:
# ``app.config["JWT_SECRET_KEY"] = key``, ``JWT_SECRET_KEY = os.environ[...]``, ``"JWT_SECRET_KEY": ...``.
_JWT_OWN_KEY = re.compile(r"""\bJWT_(?:SECRET|PRIVATE)_KEY\b["']?\]?\s*(?:=(?!=)|:)""")


# Flask-WTF's CSRF turned off (or on) by the service's config: ``WTF_CSRF_ENABLED = False`` at a
# module's top level, ``app.config["WTF_CSRF_ENABLED"] = False``, ``wtf_csrf_enabled: false`` (or the
# pre-0.9 ``csrf_enabled``) in an ini/YAML/TOML/env file the app's own loader reads.
# (A class's indented WTF_CSRF_ENABLED is a config class's, often TestingConfig's: not counted.)
_CSRF_PY = re.compile(r"""^(?:[ \t]*\w+\.config\[["'](?:WTF_)?CSRF_ENABLED["']\]|(?:WTF_)?CSRF_ENABLED)[ \t]*=[ \t]*(?P<value>\w+)""", re.M)
_CSRF_CONFIG = re.compile(r"""^[ \t]*["']?(?:wtf_)?csrf_enabled["']?[ \t]*[:=][ \t]*["']?(?P<value>\w+)""", re.M | re.I)
_CSRF_CONFIG_SPECS = ("*.py", "*.ini", "*.cfg", "*.conf", "*.yaml", "*.yml", "*.toml", "*.env", "*.env.*")
_OFF = {"false", "no", "off", "0"}


def _csrf_off(repo: Repo) -> bool:
    """The service's config turns Flask-WTF's CSRF off, and no file of it turns it on: a
    FlaskForm then signs no token with SECRET_KEY. Test set-ups (which often turn CSRF off)
    are not the service's config."""
    off = False
    for f in repo.holding(repo.files, "csrf_enabled", ignore_case=True, pathspecs=_CSRF_CONFIG_SPECS):
        if _not_service(f):
            continue
        for m in (_CSRF_PY if f.endswith(".py") else _CSRF_CONFIG).finditer(repo.text(f) or ""):
            if m.group("value").lower() in _OFF:
                off = True
            else:
                return False
    return off


def flask_sessions(repo: Repo) -> str:
    """``path:line`` where the service's code uses something SECRET_KEY signs, or ""."""
    if repo.flask_session_use is None:
        repo.flask_session_use = ""
        jwt = ""  # the first flask_jwt_extended use, kept while nothing else signs
        wtf = ""  # the first Flask-WTF use, kept while nothing else signs and CSRF is on
        for f in repo.holding(repo.python(), *_SESSION_WORDS):
            text = repo.text(f)
            for m in _SESSION_USE.finditer(text or ""):
                where = f"{f}:{text.count(chr(10), 0, m.start()) + 1}"
                if m.group(0) in ("flask_wtf", "CSRFProtect"):
                    wtf = wtf or where
                    continue
                if m.group(0) != "flask_jwt_extended":
                    repo.flask_session_use = where
                    return where
                jwt = jwt or where
        if wtf and not _csrf_off(repo):
            repo.flask_session_use = wtf
        elif jwt and not any(_JWT_OWN_KEY.search(repo.text(f) or "") for f in repo.holding(repo.python(), "JWT_SECRET_KEY", "JWT_PRIVATE_KEY")):
            repo.flask_session_use = jwt
    return repo.flask_session_use


# The project's own config loader maps a ``secret_key`` field (of a TOML/YAML/ini file it
# parses) to Flask's SECRET_KEY: ``yield 'SECRET_KEY', config.secret_key``,
# ``'SECRET_KEY': conf.secret_key``, ``app.config["SECRET_KEY"] = cfg["secret_key"]``.
_LOADER_SECRET = re.compile(
    r"""["']SECRET_KEY["']\]?\s*(?:,|:|=(?!=))\s*[\w.]+(?:\.secret_key\b|\[["']secret_key["']\]|\.get\(\s*["']secret_key["'])""")


def loader_secret_key(repo: Repo) -> str:
    """``path:line`` where a service module maps a config file's ``secret_key`` to SECRET_KEY, or ""."""
    if repo.loader_secret is None:
        repo.loader_secret = ""
        for f in repo.holding(repo.python(), "SECRET_KEY"):
            text = repo.text(f)
            m = _LOADER_SECRET.search(text or "")
            if m:
                repo.loader_secret = f"{f}:{text.count(chr(10), 0, m.start()) + 1}"
                break
    return repo.loader_secret


def _loader_secret(results: list[Result], where: str) -> list[Result]:
    """SECRET_KEY "not set" where the project's own loader produces it from its config file's
    ``secret_key`` (a file the deployer writes, read by code this hook does not follow): unknown."""
    if not where:
        return results
    return [replace(r, status=UNKNOWN_STATUS, advice="",
                    text=f"SECRET_KEY is not set in the settings read here; the project's own config loader sets it from its "
                         f"config file's secret_key ({where}), which the deployment provides")
            if r.item == "secrets.secret_key" and r.status == NOT_MET and "is not set" in r.text else r for r in results]


def _sessionless(results: list[Result], use: str) -> list[Result]:
    """A Flask app with no session, login, CSRF or signed cookie signs nothing with
    SECRET_KEY and sets no session cookie: those items are not findings."""
    if use:
        return results
    return [replace(r, status=MET, text="the app uses no session, flask-login, CSRF or signed cookie, so nothing is signed with SECRET_KEY "
                                        "and no session cookie is sent", advice="")
            if r.item in _SESSION_ITEMS and r.status != MET else r for r in results]


# Settings that follow how the deployment is served (HTTPS or not): the deployer's own layer decides them.
_TRANSPORT_SETTING = re.compile(r"COOKIE_SECURE|SSL_REDIRECT|HSTS")


def _outside(results: list[Result], names: Namespace, external: str, keep: frozenset[str] = frozenset(),
             only_env_defaults: bool = False) -> list[Result]:
    """With the deployment's own settings loaded from outside the repo (``external``), a
    setting the repo does not set at all may be set there: unknown, not unmet. Items in
    ``keep`` stay as they are (with ``only_env_defaults``, only while every value the setting
    may have is an environment read with a committed default: ``SECRET_KEY = "dev"`` beside
    an instance file is the quick-start default, and a key the repo never sets is the file's)."""
    if not external:
        return results
    out = []
    for r in results:
        possible = names.get(r.setting, ())
        if r.item in keep and (not only_env_defaults or (possible and all(v.kind == ENV and v.has_default for v in possible))):
            pass
        elif r.status == NOT_MET and r.setting.isupper() and r.setting not in names:
            r = replace(r, status=UNKNOWN_STATUS, text=f"{r.text}; the deployment's own settings, loaded at {external}, may set it")
        elif r.status == NOT_MET and r.item == "secrets.secret_key" and all(v.kind == LITERAL or (v.kind == ENV and v.has_default)
                                                                             for v in names.get(r.setting, ())):
            # the quick-start key in the repo is a default: every install's own file (local_settings.py) sets its key
            r = replace(r, status=UNKNOWN_STATUS, text=f"{r.text}; a default that the deployment's own settings, loaded at {external}, replace")
        elif r.status == NOT_MET and _TRANSPORT_SETTING.search(r.setting) and names.get(r.setting) and all(v.kind == LITERAL for v in names[r.setting]):
            # SESSION_COOKIE_SECURE = False as a default the deployer's layer (config_local.py) sets for their HTTPS
            r = replace(r, status=UNKNOWN_STATUS, text=f"{r.text}; a default that the deployment's own settings, loaded at {external}, may replace")
        out.append(r)
    return out


def flask_namespace(entry: Entry, repo: Repo, facts: AppFacts, loaded: dict[str, int] | None = None) -> tuple[Namespace, list[str]]:
    """The config an entry comes to, and its layers; ``loaded`` gets, for each setting a
    ``from_object``/``from_pyfile`` of the app module loads, the line of that call."""
    mod = repo.resolver.module(entry.path)
    layers = list(mod.layers)
    if entry.base:  # the defaults object first, then this file over it
        path, _, cls = entry.base.partition(":")
        base = repo.resolver.module(path)
        layered = class_names(base, cls, repo.resolver)[0] if cls else {k: v for k, v in base.names.items() if k.isupper()}
        layered.update({k: v for k, v in mod.names.items() if k.isupper()})
        return layered, [path, *layers]
    if entry.cls:
        return class_names(mod, entry.cls, repo.resolver)[0], layers
    names: Namespace = {}
    # A Flask app module: what from_object / from_pyfile load, in order.
    if entry.path not in [p for _t, p, _l in facts.config_objects] and is_settings_like(mod.names):
        return dict(mod.names), layers
    for target, path, line in facts.config_objects:
        if path != entry.path:
            continue
        before = dict(names)
        _load_object(target, path, repo, names, layers)
        if loaded is not None:
            loaded.update((k, line) for k, v in names.items() if before.get(k) != v)
    return names, layers


def _load_object(target: str, path: str, repo: Repo, names: Namespace, layers: list[str]) -> None:
    """One ``from_pyfile``/``from_object`` of the app module at ``path``, applied to ``names``."""
    if target.endswith((".py", ".cfg")):  # from_pyfile: next to the app module, or anywhere in the repo
        pyfile = pyfile_path(target, path, repo.files)
        if pyfile is not None:
            names.update({k: v for k, v in repo.resolver.module(pyfile).names.items() if k.isupper()})
            layers.append(pyfile)
        return
    pyfile = templated_pyfile(target, path, repo)
    if pyfile is not None:  # from_pyfile("config/%s.cfg" % env): production's own file
        names.update({k: v for k, v in repo.resolver.module(pyfile).names.items() if k.isupper()})
        layers.append(pyfile)
        return
    dotted, _, cls = target.rpartition(".") if target[:1].isalpha() and "/" not in target else ("", "", "")
    file = module_file(target, repo.files) if "/" not in target and not target.endswith(".py") and not target.endswith(".cfg") else None
    if file is None and dotted:
        file = module_file(dotted, repo.files)
        if file is not None and cls:
            layer_mod = repo.resolver.module(file)
            names.update(class_names(layer_mod, cls, repo.resolver)[0])
            layers.append(file)
            return
    if file is not None:
        names.update({k: v for k, v in repo.resolver.module(file).names.items() if k.isupper()})
        layers.append(file)

# The deployment's own config, or config the app gets from code this hook does not follow:
# from_envvar, from_pyfile(variable), from_object(variable or call), from_mapping(variable),
# from_prefixed_env, a config object's init_app(app); or a loader that fills the config from the
# environment: coaster's ``init_app(app, ['py', 'env'], env_prefix=[...])``, a loop that copies
# ``os.environ[key]`` over ``app.config[key]`` (held-out round 14: the key in code is a placeholder).
_EXTERNAL = re.compile(r"config\.(from_envvar\(|from_prefixed_env\(|from_pyfile\(\s*(?!['\"])|from_object\(\s*(?!['\"])|from_mapping\(\s*(?![{\w]+=|\{)|"
                       r"from_pyfile\(\s*['\"]([^'\"]+)['\"])|\bconfig\.init_app\(\s*app\b"
                       r"|\binit_app\(\s*\w+\s*,[^)]*?(?:['\"]env['\"]|\benv_prefix\s*=)"
                       r"|\.config\[\s*[A-Za-z_]\w*\s*\]\s*=\s*(?:os\.)?(?:environ\s*\[|environ\.get\(|getenv\()")


def _factory_param_unused(name: str, text: str, pos: int, repo: Repo) -> bool:
    """``def create_app(config=None): ... app.config.from_pyfile(config)`` while the start-up
    serves ``pkg:create_app()`` with no arguments: the parameter is None in production."""
    defs = [m for m in re.finditer(r"^\s*def\s+(\w+)\(([^)]*)\)", text, re.M) if m.start() < pos]
    if not defs or not re.search(rf"\b{re.escape(name)}\s*=\s*None\b", defs[-1].group(2)):
        return False
    factory = re.compile(rf":{re.escape(defs[-1].group(1))}\(\s*\)")
    starts = [f for f in repo.files if _START_FILES.search(f) and is_run_file(f, repo.environments) and not _not_service(f)]
    return any(factory.search(repo.text(f)) for f in repo.holding(starts, defs[-1].group(1), pathspecs=(".",)))


def _external_config(app: str, repo: Repo, resolved: Sequence[str] = ()) -> str:
    """Where the app loads a config that is not in the repository: ``from_envvar(...)``,
    ``from_pyfile(variable)``, ``from_pyfile("instance.cfg", silent=True)`` of a file the repo lacks."""
    text = repo.text(app)
    for m in _EXTERNAL.finditer(text):
        if m.group(2) and (pyfile_path(m.group(2), app, repo.files) is not None or templated_pyfile(repr(m.group(2)), app, repo) is not None):
            continue
        rest = text[m.end():]
        var = re.match(r"""\s*['"](\w+)['"]""", rest) if m.group(0).endswith("from_envvar(") else None
        if var is not None and var.group(1) in resolved:
            continue  # the start-up names the tracked file this variable points to: a layer, not the deployment's own
        param = re.match(r"\s*(\w+)\s*\)", rest) if m.group(0).endswith(("from_pyfile(", "from_object(")) else None
        if param is not None and _factory_param_unused(param.group(1), text, m.start(), repo):
            continue
        if m.group(0).endswith("from_object(") and _imported_module(text[m.end():], text, repo.files):
            continue  # from_object(config) of a module the app imports from the repo: followed, not external
        return f"{app}:{text.count(chr(10), 0, m.start()) + 1}"
    return ""


def _optional_external(external: str, repo: Repo) -> bool:
    """Every ``config.from_envvar``/``from_pyfile`` of the app at ``external`` ("path:line") is
    optional: ``silent=True``, or under an ``if`` that the variable is set."""
    from hooks.checks.check_security_settings.apps import env_present

    path = external.rpartition(":")[0]
    tree = parse(repo.text(path))
    if tree is None:
        return False
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and env_present(node.test):
            guarded |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    loads = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr in ("from_envvar", "from_pyfile") and isinstance(n.func.value, ast.Attribute) and n.func.value.attr == "config"]
    return bool(loads) and all(id(n) in guarded or any(k.arg == "silent" and isinstance(k.value, ast.Constant) and k.value.value is True
                                                      for k in n.keywords) for n in loads)


def _imported_module(rest: str, text: str, files: Sequence[str]) -> bool:
    """``from_object(config)`` after ``import config`` (or ``import pkg.settings as config``,
    ``from pkg import config``): a module in the repository. ``import pkg.config`` binds
    ``pkg``, and a parameter named ``config`` is no module."""
    m = re.match(r"\s*(\w+)\s*\)", rest)
    if m is None:
        return False
    name = m.group(1)
    if re.search(rf"\bdef\s+\w+\([^)]*\b{name}\b", text):
        return False  # a factory's parameter: whatever the caller passes
    imp = re.search(rf"^\s*import\s+({name})\s*$|^\s*import\s+([\w.]+)\s+as\s+{name}\s*$|^\s*from\s+([\w.]+)\s+import\s+[^\n]*\b{name}\b",
                    text, re.M)
    if imp is None:
        return False
    dotted = imp.group(1) or imp.group(2) or f"{imp.group(3)}.{name}"
    return module_file(dotted.lstrip("."), files) is not None


def pyfile_path(target: str, app: str, files: Sequence[str]) -> str | None:
    """``app.config.from_pyfile("config.py")``: relative to the app's folder, else a tracked file ending so."""
    here = os.path.normpath(os.path.join(os.path.dirname(app), target))
    if here in files:
        return here
    tail = "/" + target.lstrip("./")
    # the tests' copy of an instance config (tests/app.cfg) is not what production loads
    return next((f for f in files if (f.endswith(tail) or f == target.lstrip("./")) and not _not_service(f)), None)


# from_pyfile("config/%s.cfg" % env), from_pyfile("config/{}.py".format(env)), f"config/{env}.cfg"
_TEMPLATED = re.compile(r"""^f?['"]([\w./-]*)(%s|\{\w*\})([\w./-]*\.(?:py|cfg))['"]""")


def templated_pyfile(target: str, app: str, repo: Repo) -> str | None:
    """The one tracked production file a from_pyfile path built from the environment's name
    comes to (``'config/%s.cfg' % env`` -> ``config/production.cfg``), or None."""
    m = _TEMPLATED.match(target.strip())
    if m is None:
        return None
    head, tail = m.group(1), m.group(3)
    found = []
    for f in repo.files:
        rel = os.path.relpath(f, os.path.dirname(app)) if os.path.dirname(app) else f
        for candidate in (rel, f):
            if candidate.startswith(head.lstrip("./")) and candidate.endswith(tail) and len(candidate) > len(head) + len(tail):
                middle = candidate[len(head.lstrip("./")):-len(tail)]
                if "/" not in middle and repo.env(f) == PRODUCTION and not _not_service(f) and f not in found:
                    found.append(f)
    return found[0] if len(found) == 1 else None


def is_settings_like(names: Namespace) -> bool:
    return sum(1 for n in names if n.isupper()) >= 3


def envvar_config_file(variable: str, repo: Repo) -> str | None:
    """``app.config.from_envvar("X_SETTINGS")`` with ``ENV X_SETTINGS=/srv/app/env-config/config-docker.py``
    in the Dockerfile (or compose, a Procfile, a manifest): the tracked file that path ends with."""
    value = re.compile(rf"""\b{re.escape(variable)}['"]?\s*(?:=|:|\s)\s*['"]?([\w./-]+\.(?:py|cfg))\b""")
    started = [f for f in repo.files if is_run_file(f, repo.environments)]
    for path in repo.holding(started, variable, pathspecs=_RUN_FILE_SPECS):
        for m in value.finditer(repo.text(path) or ""):
            target = m.group(1)
            hit = next((f for f in repo.files if (target == f or target.endswith("/" + f)) and not _not_service(f)), None)
            if hit is None:  # a path inside the image: its longest tail that is a tracked file
                tails = target.lstrip("/").split("/")
                hit = next((f for i in range(len(tails)) for f in repo.files if f == "/".join(tails[i:]) and not _not_service(f)), None)
            if hit is not None:
                return hit
    return None


def flask_config_entries(repo: Repo, apps: Sequence[str]) -> list[Entry]:
    """With no production class: what the app modules load with ``from_object``
    (a module, or a module's class), else the app module itself."""
    out: list[Entry] = []
    for app in apps:
        found = False
        external = _external_config(app, repo)
        named: list[tuple[str, str]] = []  # (the tracked file, the variable that names it)
        for m in re.finditer(r"config\.from_envvar\(\s*['\"](\w+)['\"]", repo.text(app)):
            file = envvar_config_file(m.group(1), repo)
            if file is not None:  # the Dockerfile/compose/Procfile names the config file production loads
                named.append((file, m.group(1)))
        objects: list[Entry] = []
        for m in re.finditer(r"config\.from_object\(\s*['\"]([\w.]+)['\"]", repo.text(app)):
            target = m.group(1)
            file = module_file(target, repo.files)
            if file is not None:
                objects.append(Entry(file, "flask", external=external))
                continue
            dotted, _, cls = target.rpartition(".")
            file = module_file(dotted, repo.files) if dotted else None
            if file is not None and cls in repo.resolver.module(file).classes:
                objects.append(Entry(file, "flask", cls, external=external))
        if named and objects:
            # from_object(defaults), then the file the start-up names: one config, the defaults first
            layered = _external_config(app, repo, [var for _f, var in named])
            out += [Entry(file, "flask", external=layered, base=objects[-1].label) for file, _var in named]
        else:
            out += [Entry(file, "flask") for file, _var in named] + objects
        found = bool(named or objects)
        for m in re.finditer(r"config\.from_pyfile\(\s*['\"]([\w./-]+)['\"]", repo.text(app)):
            if pyfile_path(m.group(1), app, repo.files) is not None and not any(e.path != app for e in out):
                out.append(Entry(app, "flask"))  # the app module: its from_pyfile layers apply in flask_namespace
                found = True
        if not found:
            out.append(Entry(app, "flask", external=external))
    unique: list[Entry] = []
    for e in out:
        if not any(u.path == e.path and u.cls == e.cls for u in unique):
            unique.append(e)
    return unique[:3]
