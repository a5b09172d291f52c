"""Production is what production runs.

A file's path names its environment (``settings/production.py``,
``.env.production``), but the most common legacy layout has no such name: one
``settings.py`` (or one ``settings/`` package) that reads the environment with
defaults. Nothing else is deployed, so that module *is* production, and its
environment reads are judged by their defaults: ``DEBUG = env.bool("DEBUG",
default=True)`` means "debug is on in production when DEBUG is unset".

A settings module is taken for production when no environment split is in
sight: no sibling module names a deployed environment (``settings/base.py``
beside ``settings/prod.py`` or ``settings/staging.py``). Siblings for local
development or tests (``local_settings.py``, ``settings/dev.py``, ``test.py``)
split nothing: production still runs the base module. A settings module inside
a quickstart/demo/sandbox harness (a folder so named, or one holding its own
Vagrantfile or demo script) is not production either. Listing a folder is all
it reads: no file is opened here.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence

from hooks.config import formats, python_trees
from hooks.config.paths import normalise
from hooks.repo import environments, roles

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Callable

DEPLOYED = (environments.PRODUCTION, environments.STAGING)
SINGLE_REASON = "production runs it: the only settings module, with no production or staging split"


def _siblings(folder: str) -> Iterable[str]:
    try:
        return os.listdir(folder or ".")
    except OSError:
        return ()


def has_environment_split(
    path: str,
    patterns: Mapping[str, Sequence[str]] | None = None,
    listdir: Callable[[str], Iterable[str]] = _siblings,
) -> bool:
    """Whether a module beside ``path`` (or the ``settings/`` package next to a
    ``settings.py``) is the settings of a named environment."""
    norm = normalise(path)
    folder, name = os.path.split(norm)
    stem = os.path.splitext(name)[0]
    candidates = [n for n in listdir(folder) if n != name]
    if stem in ("settings", "config"):
        inner = os.path.join(folder, stem)
        candidates += [os.path.join(stem, n) for n in listdir(inner)]
    importer = re.compile(rf"^\s*from\s+[\w.]*\.{re.escape(stem)}\s+import\s", re.M)
    for other in candidates:
        base = os.path.basename(other)
        template = ".py." in base and base.rsplit(".", 1)[-1] in _TEMPLATE_SUFFIXES
        if not (base.endswith(".py") or template) or base.startswith("test_"):
            continue
        env = environments.environment_of(os.path.splitext(base)[0], patterns)
        if env in DEPLOYED:
            return True
        # settings/base.py beside settings/cabotage.py doing `from .base import *`:
        # a deployed layer on top of this one (dev and test layers split nothing).
        if env is None and stem not in ("settings", "config", "__init__") and read(os.path.join(folder, other)):
            if importer.search(read(os.path.join(folder, other))):
                return True
    return False


# A folder that is a quickstart/demo harness, not the deployed service: named so
# (deploy-sentinel's quickstart, demo_site/, sandbox-app/), or holding its own
# Vagrantfile or demo/quickstart script beside the project (held-out round (first
# wave) 3). A Vagrantfile at the repository root is the service's dev VM: the
# root is never read for these files.
_HARNESS_WORDS = frozenset({"demo", "demos", "quickstart", "sandbox"})
_HARNESS_FILE = re.compile(r"^(Vagrantfile|(demo|quickstart)[\w.-]*\.(sh|py))$", re.I)


def in_demo_harness(path: str, listdir: Callable[[str], Iterable[str]] = _siblings) -> bool:
    """Whether ``path`` (relative to the repository root, the hook's working
    folder) sits under a quickstart/demo/sandbox folder, by its name or by a
    Vagrantfile or demo script inside it."""
    norm = normalise(path)
    if os.path.isabs(norm):
        rel = os.path.relpath(norm, os.getcwd())
        if rel == ".." or rel.startswith("../"):
            return False  # outside the repository: its root is unknown
        norm = rel
    folders = norm.split("/")[:-1]
    for depth in range(len(folders), 0, -1):
        words = set(re.split(r"[-_.\s]+", folders[depth - 1].lower()))
        if words & _HARNESS_WORDS:
            return True
        if any(_HARNESS_FILE.match(n) for n in listdir("/".join(folders[:depth]))):
            return True
    return False


def read(path: str, limit: int = 1 << 18) -> str:
    from hooks.config.source import read_head

    return read_head(path, limit).decode("utf-8", "replace")


def is_single_settings_module(
    path: str,
    rules: roles.Roles | None = None,
    patterns: Mapping[str, Sequence[str]] | None = None,
    listdir: Callable[[str], Iterable[str]] = _siblings,
) -> bool:
    """A Python settings module of service config, of no named environment,
    with no environment split beside it."""
    rules = rules or roles.default()
    if formats.detect(path) != formats.PYTHON or not formats.is_settings_module(path):
        return False
    role = rules.of(path)
    if role.role != roles.SERVICE or rules.environment(path, patterns) is not None:
        return False
    return not has_environment_split(path, patterns, listdir) and not in_demo_harness(path, listdir)


def environment(
    path: str,
    rules: roles.Roles | None = None,
    patterns: Mapping[str, Sequence[str]] | None = None,
    listdir: Callable[[str], Iterable[str]] = _siblings,
) -> str | None:
    """The environment a hook should judge ``path`` as: its named one, else
    production for a single settings module, else None."""
    rules = rules or roles.default()
    named = rules.environment(path, patterns)
    if named is not None:
        return named
    if is_single_settings_module(path, rules, patterns, listdir):
        return environments.PRODUCTION
    return None


def runs_in_production(
    path: str,
    rules: roles.Roles | None = None,
    patterns: Mapping[str, Sequence[str]] | None = None,
    listdir: Callable[[str], Iterable[str]] = _siblings,
) -> bool:
    """Whether production runs ``path``: it names production, it is the single
    settings module, or it is a settings layer that a production layer beside
    it builds on (``settings/base.py`` under ``settings/production.py``)."""
    rules = rules or roles.default()
    if environment(path, rules, patterns, listdir) == environments.PRODUCTION:
        return True
    if rules.environment(path, patterns) is not None or rules.of(path).role != roles.SERVICE:
        return False
    if formats.detect(path) != formats.PYTHON or not formats.is_settings_module(path):
        return False
    return any(environments.environment_of(os.path.splitext(os.path.basename(layer))[0], patterns)
               != environments.STAGING for layer in _deployed_layers(path, patterns, listdir))


# Module-level names that mark a framework settings module (Django, Flask,
# FastAPI/pydantic settings written as constants).
SETTINGS_MARKERS = frozenset({
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "INSTALLED_APPS", "DATABASES", "MIDDLEWARE", "ROOT_URLCONF",
    "TEMPLATES", "STATIC_URL", "STATIC_ROOT", "CACHES", "LOGGING", "SQLALCHEMY_DATABASE_URI", "SERVER_NAME",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "WSGI_APPLICATION", "AUTH_USER_MODEL", "TIME_ZONE",
    "CELERY_BROKER_URL", "EMAIL_BACKEND", "MEDIA_ROOT", "TESTING", "PROPAGATE_EXCEPTIONS",
})


_REMOVES_TOOLBAR = re.compile(r"\.remove\(\s*['\"]debug_toolbar")


def removes_toolbar(text: str) -> bool:
    """``INSTALLED_APPS.remove("debug_toolbar")`` under ``if not DEBUG``."""
    return _REMOVES_TOOLBAR.search(text) is not None


_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def class_environment(name: str, patterns: Mapping[str, Sequence[str]] | None = None) -> str | None:
    """``ProductionConfig`` -> production, by its CamelCase words."""
    return environments.environment_of("_".join(_CAMEL.findall(name)), patterns)


def looks_like_settings(entries: Iterable[object], patterns: Mapping[str, Sequence[str]] | None = None) -> bool:
    """At least two framework settings, at module level or in a config class
    (Flask ``class Config``, pydantic ``class Settings``), and no class named
    for a deployed environment (``class ProductionConfig`` splits the file)."""
    names: set[object] = set()
    for entry in entries:
        path = tuple(getattr(entry, "path", ()))
        if len(path) == 1:
            names.add(path[0])
        elif len(path) == 2 and isinstance(path[0], str) and not path[0].isupper():
            if class_environment(path[0], patterns) in DEPLOYED:
                return False
            names.add(path[1])
    return len(names & SETTINGS_MARKERS) >= 2


def _deployed_layers(path: str, patterns: Mapping[str, Sequence[str]] | None = None,
                     listdir: Callable[[str], Iterable[str]] = _siblings) -> list[str]:
    """Sibling modules that production or staging runs on top of ``path``:
    named for a deployed environment, or importing it (``from .base import *``)."""
    norm = normalise(path)
    folder, name = os.path.split(norm)
    stem = os.path.splitext(name)[0]
    importer = re.compile(rf"^\s*from\s+[\w.]*\.{re.escape(stem)}\s+import\s", re.M)
    layers = []
    for other in listdir(folder):
        # config.py.prod.example: the template of a production layer counts as one
        template = ".py." in other and other.rsplit(".", 1)[-1] in _TEMPLATE_SUFFIXES
        if other == name or not (other.endswith(".py") or template):
            continue
        env = environments.environment_of(os.path.splitext(other)[0], patterns)
        full = os.path.join(folder, other)
        if env in DEPLOYED or (env is None and importer.search(read(full))):
            layers.append(full)
    return layers


_TEMPLATE_SUFFIXES = frozenset({"example", "sample", "dist", "template", "tmpl", "tpl"})


def _assigned_names(text: str) -> set[str]:
    """Module-level names a settings module assigns, under if/try/with too."""
    import ast

    try:
        tree = python_trees.parse(text)
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            todo.extend(getattr(node, "body", []) + getattr(node, "orelse", []) + getattr(node, "finalbody", []))
            for handler in getattr(node, "handlers", []):
                todo.extend(handler.body)
    return names


def overridden_in_production(path: str, name: str, patterns: Mapping[str, Sequence[str]] | None = None,
                             listdir: Callable[[str], Iterable[str]] = _siblings) -> bool:
    """``SECRET_KEY`` in ``settings/base.py`` is a development default when a
    deployed layer beside it (``settings/production.py``, or a module doing
    ``from .base import *``) sets it again."""
    return any(name in _assigned_names(read(layer)) for layer in _deployed_layers(path, patterns, listdir))


def explain(rules: roles.Roles, path: str, patterns: Mapping[str, Sequence[str]] | None = None) -> str:
    """``--explain PATH``: the role, the environment and why, in one line (here, not in
    roles, because a lone settings module is production only by what this module decides)."""
    role = rules.of(path)
    env = rules.environment(path, patterns) or "none"
    if env == "none" and is_single_settings_module(path, rules, patterns):
        env = f"production ({SINGLE_REASON})"
    rule = f" (rule {role.rule})" if role.rule else ""
    fmt = formats.detect(path) or "not a config format"
    return f"{normalise(path)}: role {role.role}{rule}: {role.why}; environment {env}; format {fmt}"
