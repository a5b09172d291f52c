"""Variables a repo script or CI file sets on the hosting platform: documentation.

A deploy script that gives the service its variables on the platform names
them the way ``app.json`` does (held-out round 15: joplin's
``.circleci/vars/heroku_pr_vars.py`` PATCHes a list of names into the Heroku
app's ``config-vars``; its ``scripts/deploy.sh`` runs ``heroku config:set``).
Two shapes are read:

- a command that sets named variables on the platform, on its (logical) line:
  ``heroku config:set X=v``, ``dokku config:set app X=v``, ``fly secrets set X=v``,
  ``kubectl set env deploy/web X=v``, ``gcloud run deploy --set-env-vars X=v,Y=w``,
  ``az webapp config appsettings set --settings X=v``, ``eb setenv X=v``;
  in a shell script, a Makefile, a CI pipeline, a Procfile or a Python file;
- a Python module that sends a collection of names to the platform's API
  (Heroku's ``/apps/<app>/config-vars``): the upper-case names it spells as
  string literals in a list, tuple or set, or as the keys of a dict literal.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable

from hooks.config import python_trees
from hooks.repo.roles import GENERATED, TEST_DATA, role_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hooks.repo.git import Grep

# The commands, each up to where its NAME=value arguments start.
_SETTER = re.compile(
    r"\b(?:heroku|dokku)\s+config:(?:set|add)\b"
    r"|\b(?:fly|flyctl)\s+secrets\s+(?:set|import)\b"
    r"|\bkubectl\s+set\s+env\b"
    r"|--(?:set|update)-env-vars\b"
    r"|\bappsettings\s+set\b"
    r"|\beb\s+setenv\b"
)
_WORDS = ("config:set", "config:add", "secrets set", "secrets import", "set env", "set-env-vars",
          "update-env-vars", "appsettings set", "setenv", "config-vars")
_ASSIGNED = re.compile(r"(?:^|(?<=[\s,'\"=]))(?P<name>[A-Z][A-Z0-9_]*)=")
# A platform's config API, in a module that sends the values itself.
_CONFIG_API = re.compile(r"api\.heroku\.com/apps/[^\s'\"]*/config-vars|/apps/\{[^}]*\}/config-vars")
_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z][A-Z0-9]{2,}")
_MAX = 256 * 1024


def _text(data: bytes) -> str | None:
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8-sig", "replace")


def _logical_lines(text: str) -> Iterable[str]:
    """The lines of a script with backslash continuations joined."""
    held: list[str] = []
    for line in text.split("\n"):
        if line.rstrip().endswith("\\"):
            held.append(line.rstrip()[:-1])
            continue
        yield " ".join([*held, line])
        held = []
    if held:
        yield " ".join(held)


def command_names(text: str) -> set[str]:
    """The names a platform's set-variables command on a line of ``text`` sets."""
    names: set[str] = set()
    for line in _logical_lines(text):
        if line.lstrip().startswith("#"):
            continue
        for m in _SETTER.finditer(line):
            names.update(a.group("name") for a in _ASSIGNED.finditer(line, m.end()))
    return names


def api_names(path: str, text: str) -> set[str]:
    """The names a Python module that calls a platform's config API spells in its
    list/tuple/set literals and as its dict literals' keys."""
    if not _CONFIG_API.search(text):
        return set()
    try:
        tree = python_trees.parse(text, path, report=False)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        items: list[ast.expr | None] = []
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = list(node.elts)
        elif isinstance(node, ast.Dict):
            items = list(node.keys)
        for item in items:
            if isinstance(item, ast.Constant) and isinstance(item.value, str) and _NAME.fullmatch(item.value):
                names.add(item.value)
    return names


def platform_set_names(tracked: Iterable[str], grep: Grep | None, read: Callable[[str], bytes | None]) -> set[str]:
    """Every name a tracked script or pipeline sets on the hosting platform (module doc)."""
    holders = grep.files(*_WORDS, pathspecs=(".",)) if grep is not None else None
    names: set[str] = set()
    for path in sorted(holders if holders is not None else tracked):
        if role_of(path) in (GENERATED, TEST_DATA):
            continue
        data = read(path)
        if data is None or len(data) > _MAX:
            continue
        text = _text(data)
        if not text:
            continue
        names |= command_names(text)
        if path.endswith(".py"):
            names |= api_names(path, text)
    return names
