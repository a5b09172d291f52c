"""Which files a Flask-style app loads its config from (held-out round 6:
PowerDNS-Admin's ``configs/development.py``): those are settings modules,
wherever they live and whatever they are called.

- ``app.config.from_object("pkg.default_config")`` and
  ``from_pyfile("settings.cfg")`` with a literal name: that module or file;
- ``app.config.from_envvar("FLASK_CONF")`` (or ``from_pyfile(os.environ[...])``):
  a ``.py`` file a tracked file assigns to that variable — compose
  (``FLASK_CONF: /app/configs/docker_config.py``), a Dockerfile, a unit file,
  the install docs (``export FLASK_CONF=../configs/development.py``) — and the
  settings-shaped modules beside it (the folder the deployment picks its
  config from: ``configs/test.py``).

Read once per run with one ``git grep`` per question; nothing is imported.
"""
from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from hooks.config import python_trees

_LOADS = ("config.from_envvar(", "config.from_pyfile(", "config.from_object(")
_ENVVAR = re.compile(r"config\.from_envvar\(\s*['\"](\w+)['\"]"
                     r"|config\.from_pyfile\(\s*os\.(?:environ\.get\(|getenv\(|environ\[)\s*['\"](\w+)['\"]")
_PYFILE = re.compile(r"config\.from_pyfile\(\s*['\"]([\w./-]+\.(?:py|cfg))['\"]")
_OBJECT = re.compile(r"config\.from_object\(\s*['\"]([\w.]+)['\"]")
_MAX_TEXT = 1 << 18


@dataclass(frozen=True)
class Loaded:
    files: frozenset[str] = field(default_factory=frozenset)
    home: str = ""  # the config the app always loads (from_object/from_pyfile), else the one the deployment names


def _read(path: str) -> str:
    from hooks.config.source import read_head

    return read_head(path, _MAX_TEXT).decode("utf-8", "replace")


def _module_file(dotted: str, tracked: set[str]) -> str | None:
    """``pkg.default_config`` (or ``pkg.config.Production``: its module) as a tracked file."""
    parts = dotted.split(".")
    for n in (len(parts), len(parts) - 1):
        if n <= 0:
            continue
        stem = "/".join(parts[:n])
        for candidate in (stem + ".py", stem + "/__init__.py"):
            hit = next((f for f in sorted(tracked) if f == candidate or f.endswith("/" + candidate)), None)
            if hit is not None:
                return hit
    return None


def _tracked_tail(target: str, tracked: set[str]) -> str | None:
    """``/app/configs/docker_config.py`` or ``../configs/development.py``: the tracked file it ends with."""
    parts = [p for p in target.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    for i in range(len(parts)):
        tail = "/".join(parts[i:])
        if tail in tracked:
            return tail
    return None


def settings_shaped(text: str) -> bool:
    """Mostly module-level UPPER_CASE assignments: a config file, not code."""
    try:
        tree = python_trees.parse(text, report=False)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    upper = other = 0
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if all(isinstance(t, ast.Name) and t.id.isupper() for t in targets):
                upper += 1
                continue
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.Expr, ast.If, ast.Try)):
            continue  # imports, docstrings, optional overrides
        other += 1
    return upper >= 3 and other <= upper // 4


def loaded_config_files(tracked: Iterable[str]) -> Loaded:
    from hooks.repo.git import Grep

    files = set(tracked)
    grep = Grep()
    instance = _instance_files(grep, files)
    apps = grep.files(*_LOADS, pathspecs=("*.py",))
    if not apps:
        return Loaded(frozenset(instance)) if instance else Loaded()
    found: list[str] = []
    always: list[str] = []
    variables: set[str] = set()
    for app in sorted(a for a in apps if a in files):
        text = _read(app)
        for m in _OBJECT.finditer(text):
            hit = _module_file(m.group(1), files)
            if hit is not None and hit != app:
                always.append(hit)
        for m in _PYFILE.finditer(text):
            here = os.path.normpath(os.path.join(os.path.dirname(app), m.group(1)))
            hit = here if here in files else _tracked_tail(m.group(1), files)
            if hit is not None and hit.endswith(".py"):
                always.append(hit)
        variables.update(v for m in _ENVVAR.finditer(text) for v in m.groups() if v)
    named: list[str] = []
    for variable in sorted(variables):
        value = re.compile(rf"""\b{re.escape(variable)}['"]?\s*(?:=|:|\s)\s*['"]?([\w./$-]+\.py)\b""")
        holders = grep.files(variable, pathspecs=(".",)) or frozenset()
        for holder in sorted(h for h in holders if h in files):
            for m in value.finditer(_read(holder)):
                hit = _tracked_tail(m.group(1), files)
                if hit is not None and hit not in named:
                    named.append(hit)
    found = always + named
    # the folder the deployment picks its config file from: the settings-shaped modules beside a named one
    for folder in sorted({os.path.dirname(f) for f in named}):
        for sibling in sorted(f for f in files if os.path.dirname(f) == folder and f.endswith(".py") and f not in found):
            if settings_shaped(_read(sibling)):
                found.append(sibling)
    home = next(iter(always + named), "")
    return Loaded(frozenset(found + instance), home)


_INSTANCE_RELATIVE = re.compile(r"instance_relative_config\s*=\s*True")


def _instance_files(grep: object, files: set[str]) -> list[str]:
    """Held-out round 8 (lastuser): ``Flask(__name__, instance_relative_config=True)``
    loads its config from the instance folder, ``instance/`` beside the app's package
    (or above it): the ``.py`` files there are config files."""
    from hooks.repo.git import Grep

    apps = grep.files("instance_relative_config", pathspecs=("*.py",)) if isinstance(grep, Grep) else None
    out: list[str] = []
    for app in sorted(a for a in (apps or ()) if a in files):
        if not _INSTANCE_RELATIVE.search(_read(app)):
            continue
        here = os.path.dirname(app)
        roots = []
        while True:
            roots.append(here)
            if not here:
                break
            here = os.path.dirname(here)
        for root in roots:
            folder = os.path.join(root, "instance") if root else "instance"
            out += [f for f in sorted(files) if os.path.dirname(f) == folder and f.endswith(".py") and f not in out]
    return out
