"""Production is what production runs.

A file's path names its environment (``settings/production.py``,
``.env.production``), but the most common legacy layout has no such name: one
``settings.py`` (or one ``settings/`` package) that reads the environment with
defaults. Nothing else is deployed, so that module *is* production, and its
environment reads are judged by their defaults: ``DEBUG = env.bool("DEBUG",
default=True)`` means "debug is on in production when DEBUG is unset".

A settings module is taken for production when no environment split is in
sight: no sibling module (``settings/base.py`` beside ``settings/prod.py``,
``settings.py`` beside ``local_settings.py`` or ``settings_dev.py``) names an
environment. Listing a folder is all it reads: no file is opened here.
"""
from __future__ import annotations

import os
from typing import Callable, Iterable, Mapping, Optional, Sequence

from hooks import environments, formats, roles

SINGLE_REASON = "the only settings module (no environment split), so production runs it"


def _siblings(folder: str) -> Iterable[str]:
    try:
        return os.listdir(folder or ".")
    except OSError:
        return ()


def has_environment_split(
    path: str,
    patterns: Optional[Mapping[str, Sequence[str]]] = None,
    listdir: Callable[[str], Iterable[str]] = _siblings,
) -> bool:
    """Whether a module beside ``path`` (or the ``settings/`` package next to a
    ``settings.py``) is the settings of a named environment."""
    norm = roles.normalise(path)
    folder, name = os.path.split(norm)
    stem = os.path.splitext(name)[0]
    candidates = [n for n in listdir(folder) if n != name]
    if stem in ("settings", "config"):
        inner = os.path.join(folder, stem)
        candidates += [os.path.join(stem, n) for n in listdir(inner)]
    for other in candidates:
        base = os.path.basename(other)
        if not base.endswith(".py") or base.startswith("test_"):
            continue
        if environments.environment_of(os.path.splitext(base)[0], patterns) is not None:
            return True
    return False


def is_single_settings_module(
    path: str,
    rules: Optional[roles.Roles] = None,
    patterns: Optional[Mapping[str, Sequence[str]]] = None,
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
    return not has_environment_split(path, patterns, listdir)


def environment(
    path: str,
    rules: Optional[roles.Roles] = None,
    patterns: Optional[Mapping[str, Sequence[str]]] = None,
    listdir: Callable[[str], Iterable[str]] = _siblings,
) -> Optional[str]:
    """The environment a hook should judge ``path`` as: its named one, else
    production for a single settings module, else None."""
    rules = rules or roles.default()
    named = rules.environment(path, patterns)
    if named is not None:
        return named
    if is_single_settings_module(path, rules, patterns, listdir):
        return environments.PRODUCTION
    return None
