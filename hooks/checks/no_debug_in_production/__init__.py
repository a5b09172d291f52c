"""Report debug mode switched on in production config.

Only files whose environment is production are read (``settings/prod.py``,
``production.ini``, ``.env.production``, ``values-production.yaml`` ...), plus
Flask-style ``class ProductionConfig`` / ``ProdConfig`` bodies in a settings
module that belongs to no environment. The keys it looks for are listed in
``hooks/checks/no_debug_in_production/debug_keys.py``: DEBUG-style flags set to a true value, FLASK_ENV set to
development, the debug toolbar enabled or installed, and DEBUG log levels.
Values read from the environment pass unless their literal default is on.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from fnmatch import translate

from hooks.checks.no_debug_in_production import debug_keys
from hooks.config import formats, python_trees
from hooks.config.document import CONDITIONAL, EXPRESSION, SCALAR, Document, Entry
from hooks.config.document import display as document_display
from hooks.config.paths import SETTING_NAME as _SETTING_NAME
from hooks.core import runner
from hooks.core.api import Hook, Option, Problem
from hooks.repo import production
from hooks.repo.environments import PRODUCTION, environment_of

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_ENV_DEFAULT = re.compile(r"^\$\{\w+:?-(.*)\}$")  # ${DEBUG:-true}: the shell default
_ENV_REFERENCE = re.compile(r"\$\{?\w+")
_ASSIGNMENT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=(.*)$")  # compose `- DEBUG=True`

Finding = tuple[Entry, str, str]  # (where, message, what)


@functools.cache
def _compiled(patterns: tuple[tuple[str, ...], ...]) -> tuple[Any, ...]:
    """One regex for every one-part pattern (most of them), and each longer
    pattern's parts as compiled matchers. Called for every key of every file."""
    single = [p[0] for p in patterns if len(p) == 1]
    one = re.compile("|".join(f"(?:{translate(g.lower())})" for g in single)).match if single else None
    longer = [(len(p), [re.compile(translate(g.lower())).match for g in p]) for p in patterns if len(p) > 1]
    return one, longer


def matches(parts: Sequence[str], patterns: Sequence[tuple[str, ...]]) -> bool:
    """Does the end of ``parts`` match one of the glob tuples (any case)?"""
    if not parts or not patterns:
        return False
    try:  # the patterns are constant tuples: hashing them is cheaper than copying them
        one, longer = _compiled(patterns)
    except TypeError:
        one, longer = _compiled(tuple(tuple(p) for p in patterns))
    last = parts[-1].lower()
    if one is not None and one(last):
        return True
    if not longer or len(parts) < 2:
        return False
    lowered = [p.lower() for p in parts]
    for n, matchers in longer:
        if n <= len(lowered):
            for part, match in zip(lowered[-n:], matchers):
                if not match(part):
                    break
            else:
                return True
    return False


def class_environment(name: str, patterns: Mapping[str, Sequence[str]]) -> str | None:
    """``ProductionConfig`` -> production, by its CamelCase words."""
    return environment_of("_".join(_CAMEL.findall(name)), patterns)


def effective_value(entry: Entry) -> tuple[str, bool] | None:
    """(value as text, comes from a fallback default) or None when the value
    is read from the environment without a default, or is not literal."""
    if entry.kind == SCALAR:
        if isinstance(entry.value, bool):
            return ("true" if entry.value else "false", False)
        if entry.value is None:
            return None
        text = str(entry.value).strip()
        default = _ENV_DEFAULT.match(text)
        if default:
            return (default.group(1).strip("'\""), True)
        if _ENV_REFERENCE.search(text):
            return None
        return (text.strip("'\""), False)
    if entry.kind == EXPRESSION and entry.node is not None:
        if entry.source.strip() == "logging.DEBUG":
            return ("DEBUG", False)
        default_value = _call_default(entry.node)
        if default_value is not None:
            return (default_value, True)
    return None


def _call_default(node: object) -> str | None:
    """The literal default of an environment lookup in ``node``:
    ``os.environ.get("DEBUG", "True")``, ``env.bool("DEBUG", default=True)``."""
    import ast

    for call in ast.walk(node):  # type: ignore[arg-type]
        if not isinstance(call, ast.Call) or not call.args:
            continue
        if not (isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
            continue  # an environment lookup names its variable first
        candidates = call.args[1:2] + [k.value for k in call.keywords if k.arg == "default"]
        for candidate in candidates:
            if isinstance(candidate, ast.Constant) and isinstance(candidate.value, (str, bool, int)):
                value = candidate.value
                return ("true" if value else "false") if isinstance(value, bool) else str(value)
    return None


def display(doc: Document, parts: Sequence[str | int]) -> str:
    return document_display(doc.format, tuple(parts), section=False)


def check_entry(doc: Document, entry: Entry, flags: Sequence[tuple[str, ...]], names: dict[Any, Any]) -> str | None:
    """The message for one entry that turns debug on, else None."""
    parts = [p for p in entry.path if isinstance(p, str)]
    if isinstance(entry.path[-1], int):  # a list item: an app list, or compose's `- DEBUG=True`
        return _check_item(doc, entry, parts, flags)
    shown_as: str | None = None  # how the message names the key (worked out only for a finding)
    sibling = entry.path[:-1] + ("name",)
    if str(entry.key).lower() == "value" and sibling in names:  # Kubernetes env: {name: DEBUG, value: "true"}
        parts = parts[:-1] + [str(names[sibling].value)]
        shown_as = f"{parts[-1]} in {display(doc, entry.path[:-1])}"

    def name() -> str:
        return shown_as if shown_as is not None else display(doc, entry.path)

    if matches(parts, debug_keys.APP_LIST_KEYS):
        if entry.kind == SCALAR and any(t in str(entry.value).lower() for t in debug_keys.TOOLBAR_NAMES):
            return f"{name()} loads the debug toolbar in production config"
        if entry.kind == EXPRESSION and _toolbar_literal(entry):
            return f"{name()} adds the debug toolbar in production config"
        return None
    # The key first (most keys are none of these), then the value.
    flag, environment = matches(parts, flags), matches(parts, debug_keys.ENVIRONMENT_KEYS)
    log_level = matches(parts, debug_keys.LOG_LEVEL_KEYS)
    if not (flag or environment or log_level):
        return None
    value = effective_value(entry)
    if value is None:
        return None
    text, is_default = value
    lowered = text.lower()
    if flag and lowered in debug_keys.TRUE_WORDS:
        problem = "debug mode must be off"
    elif environment and lowered in debug_keys.DEVELOPMENT_VALUES:
        problem = "development mode runs the debugger"
    elif log_level and lowered == debug_keys.DEBUG_LEVEL:
        problem = "use INFO or higher"
    else:
        return None
    as_written = entry.kind == SCALAR and entry.source and not (isinstance(entry.value, bool) and doc.format == formats.TOML)
    shown = (entry.source.strip() if as_written and not is_default else text)[:20]
    if is_default:
        return f"{name()} falls back to {shown!r} when the environment does not set it in production config: {problem}"
    return f"{name()} is {shown} in production config: {problem}"


def _check_item(doc: Document, entry: Entry, parts: list[Any], flags: Sequence[tuple[str, ...]]) -> str | None:
    if entry.kind != SCALAR or not isinstance(entry.value, str) or not parts:
        return None
    if matches(parts, debug_keys.APP_LIST_KEYS):
        if any(t in entry.value.lower() for t in debug_keys.TOOLBAR_NAMES):
            return f"{display(doc, parts)} loads the debug toolbar ({entry.value[:60]}) in production config"
        return None
    assignment = _ASSIGNMENT.match(entry.value)
    if parts[-1].lower() == "environment" and assignment:
        key, raw = assignment.group(1), assignment.group(2).strip().strip("'\"")
        if matches([key], flags) and raw.lower() in debug_keys.TRUE_WORDS:
            return f"{key}={raw[:20]} in {display(doc, parts)} turns debug mode on in production config"
        if matches([key], debug_keys.ENVIRONMENT_KEYS) and raw.lower() in debug_keys.DEVELOPMENT_VALUES:
            return f"{key}={raw[:20]} in {display(doc, parts)} selects development mode in production config"
    return None


def _toolbar_literal(entry: Entry) -> bool:
    import ast

    return any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and any(t in n.value for t in debug_keys.TOOLBAR_NAMES)
        for n in ast.walk(entry.node)  # type: ignore[arg-type]
    )


def _appended_toolbars(doc: Document) -> Iterator[tuple[int, int, str]]:
    """``INSTALLED_APPS.append("debug_toolbar")`` at module level: (line, column, list name)."""
    import ast

    if not any(t in doc.text for t in debug_keys.TOOLBAR_NAMES):
        return
    try:
        tree = python_trees.parse(doc.text, doc.path)
    except (SyntaxError, ValueError):
        return
    # Statements at module level, and in try/with blocks: an append under an
    # `if DEBUG:` (or any condition) is a development switch, not production's list.
    todo, statements = list(tree.body), []
    while todo:
        node = todo.pop(0)
        statements.append(node)
        if isinstance(node, (ast.Try, ast.With)):
            todo.extend(node.body)
    for node in statements:
        if not isinstance(node, ast.Expr):
            continue
        call = node.value
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            continue
        target = call.func.value
        if call.func.attr in ("append", "extend", "insert") and isinstance(target, ast.Name):
            if matches([target.id], debug_keys.APP_LIST_KEYS) and any(
                isinstance(n, ast.Constant) and isinstance(n.value, str)
                and any(t in n.value for t in debug_keys.TOOLBAR_NAMES)
                for n in ast.walk(call)
            ):
                yield node.lineno, node.col_offset + 1, target.id


def production_classes(doc: Document, patterns: Mapping[str, Sequence[str]]) -> bool:
    """A Python config module with a class named for production (``class ProdConfig(Config)``): judged."""
    return doc.format == formats.PYTHON and any(
        len(e.path) > 1 and not _SETTING_NAME.match(str(e.path[0])) and class_environment(str(e.path[0]), patterns) == PRODUCTION
        for e in doc.entries)


def check_document(doc: Document, file_env: str | None, patterns: Mapping[str, Sequence[str]], extra_keys: Sequence[str]) -> Iterator[Finding]:
    """Yield (entry, message, what) for each debug setting that is on in the
    production part of ``doc``."""
    flags = tuple(debug_keys.FLAG_KEYS) + tuple(tuple(k.split(":")) for k in extra_keys)
    names = {e.path: e for e in doc.entries if e.kind == SCALAR and isinstance(e.key, str) and e.key.lower() == "name"}
    for entry in doc.entries:
        env, path = file_env, entry.path
        if doc.format == formats.PYTHON and len(path) > 1 and not _SETTING_NAME.match(str(path[0])):
            env = class_environment(str(path[0]), patterns) or file_env  # a Flask-style config class
        if env != PRODUCTION:
            continue
        message = check_entry(doc, entry, flags, names)
        if message is not None:
            yield entry, message, entry.dotted
    if doc.format == formats.PYTHON and file_env == PRODUCTION:
        for line, column, name in _appended_toolbars(doc):
            yield Entry((name,), line, column), f"{name} loads the debug toolbar in production config", name


def wants(path: str, ctx: runner.Context) -> bool:
    """Production files, and settings modules of no environment (a single
    settings module is production; others may hold a ProductionConfig class);
    staging, development, test and base files are never read."""
    env = ctx.environment(path)
    return env == PRODUCTION or (env is None and formats.detect(path) == formats.PYTHON)


def check_path(path: str, ctx: runner.Context) -> Iterator[Problem]:
    """One file; ``ctx.state`` counts the files judged as production."""
    file_env = ctx.environment(path)
    single = file_env is None and production.is_single_settings_module(path, ctx.roles, ctx.environments)
    doc = ctx.load(path)  # a broken file is reported by no-duplicate-config-keys
    if doc is None:
        return
    if single and production.looks_like_settings(doc.entries, ctx.environments):
        file_env = PRODUCTION  # the only settings module: production runs it (hooks/repo/production.py)
    judged = file_env == PRODUCTION or production_classes(doc, ctx.environments)
    ctx.state["production"] += judged
    if single and not judged:
        ctx.state["unread"].append(path)  # the only settings module, but with too few framework settings to be read
    for entry, message, what in check_document(doc, file_env, ctx.environments, ctx.options.key):
        if single and file_env == PRODUCTION:
            if CONDITIONAL in entry.flags or "loggers" in [str(p).lower() for p in entry.path]:
                continue  # set under an if (an env switch), or a named logger: choices, not defaults
            if "debug toolbar" in message and production.removes_toolbar(doc.text):
                continue  # INSTALLED_APPS.remove("debug_toolbar") when not DEBUG
            message += f" ({production.SINGLE_REASON})"
        yield Problem(entry.line, entry.column, message, ("debug", what), path=path)


def prepare(ctx: runner.Context) -> dict[str, Any]:
    """Counts over the whole run (the report gives the files in parts): files
    given, files judged as production (a production module, the single settings
    module, or a module with a production config class), and single settings
    modules not read as settings."""
    return {"production": 0, "given": 0, "unread": []}


@runner.takes_parts
def check(paths: Sequence[str], ctx: runner.Context) -> Iterator[Problem]:
    if ctx.state is None:
        ctx.state = prepare(ctx)
    ctx.state["given"] += len(paths)
    for path in paths:
        if not wants(path, ctx):
            continue
        ctx.mark_checked(path)
        yield from check_path(path, ctx)
    if not ctx.partial and ctx.state["given"] and not ctx.state["production"]:
        unread = ctx.state["unread"]
        single = "no single settings module"
        if unread:
            held = (f"{unread[0]} and {len(unread) - 1} more of no environment hold" if len(unread) > 1
                    else f"{unread[0]}, of no environment, holds")
            single = (f"no settings module is read as production: {held} fewer than two framework settings such as "
                      "DEBUG, SECRET_KEY, DATABASES")
        ctx.notice(
            f"nothing to check: no production config among the files given (no path names production, and {single}); "
            "name them under [tool.legacy-config-hooks.roles] production = [GLOBS]"
        )


HOOK = Hook(
    id="no-debug-in-production",
    summary="Report debug mode switched on in production config.",
    description=__doc__ or "",
    check=check,
    reads="files",
    reports_parse_errors=False,
    prepare=prepare,
    options=(
        Option("key", "another setting that turns debug on when true (PARENT:NAME for a nested key)",
               kind="list", metavar="GLOB"),
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
