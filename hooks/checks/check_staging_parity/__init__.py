"""Report keys that production config sets and its staging partner lacks, and
the other way round: staging is a rehearsal for production only if both set
the same keys. Values may differ.

Files are paired by the environment word in their path (``config/production.yaml``
with ``config/staging.yaml``, ``deploy/prod/app.yaml`` with
``deploy/staging/app.yaml``) or with ``--pair PRODUCTION:STAGING``. When only one
side is passed, the other is read from disk. Full key paths are compared; list
items are values. Python settings count what they star-import
(``from .base import *``); YAML counts what a merge key (``<<: *defaults``) brings.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from fnmatch import fnmatchcase
from typing import Any, NamedTuple

from hooks.config import formats
from hooks.config.document import ALIAS, EXPRESSION, MAPPING, SECTION, Document, Entry, KeyPath, dotted
from hooks.config.document import display as document_display
from hooks.config.paths import normalise
from hooks.core import runner
from hooks.core.api import Hook, Option, Problem
from hooks.core.records import field, record
from hooks.repo.environments import PRODUCTION, STAGING

_MERGE = "<<"
_MAX_EXPANDED = 10_000  # keys an alias or merge may add to one document (alias bombs)


class Key(NamedTuple):
    line: int
    column: int
    via: str = ""  # how a key not written under its own name got here
    opaque: bool = False  # Python code, not a literal: its keys cannot be known


def parse_pair(text: str) -> tuple[str, str]:
    production, sep, staging = text.partition(":")
    if not sep or not production or not staging:
        raise ValueError(f"expected PRODUCTION_PATH:STAGING_PATH, got {text!r}")
    return production, staging


def key_map(doc: Document, inherited: Sequence[Any] = ()) -> dict[KeyPath, Key]:
    """Every key path ``doc`` defines, at the place it is defined.

    List items are values, so nothing under a list index is a key; the keys a
    YAML alias or merge key brings, and the names a Python module imports, count
    as defined where the alias, merge or import is written.
    """
    keys: dict[KeyPath, Key] = {}
    expansions = []
    # An int part is a list index, except first in a multi-document YAML file
    # (the document's index), which has no entry of its own.
    root_list = any(len(e.path) == 1 and isinstance(e.path[0], int) for e in doc.entries)
    for entry in doc.entries:
        path = entry.path
        if any(isinstance(p, int) and (i or root_list) for i, p in enumerate(path)):
            continue  # a list item, or inside one: lists are values
        if doc.format == formats.INI and entry.kind != SECTION:
            path = path[:-1] + (str(path[-1]).lower(),)  # configparser reads options in any case
        if path and path[-1] == _MERGE:
            expansions.append((path[:-1], entry, "merged in by <<"))
            continue
        keys.setdefault(path, Key(entry.line, entry.column, opaque=_opaque(entry)))
        if ALIAS in entry.flags and entry.kind == MAPPING:
            expansions.append((path, entry, "from an alias"))
    budget = [_MAX_EXPANDED]
    for parent, entry, via in expansions:  # after the keys written here: they win
        for path in _node_keys(entry.node, parent, budget, set()):
            keys.setdefault(path, Key(entry.line, entry.column, via))
    for item in inherited:
        keys.setdefault(item.entry.path, Key(item.line, item.column, f"from {item.origin}"))
    for path, key in list(keys.items()):  # a nested key implies its parents
        for n in range(1, len(path)):
            keys.setdefault(path[:n], key)
    return keys


def _node_keys(node: object, parent: KeyPath, budget: list[int], active: set[Any]) -> Iterator[KeyPath]:
    """Key paths in a ruamel mapping node (merge keys resolved), budgeted."""
    if node is None or id(node) in active or budget[0] <= 0:
        return
    active.add(id(node))
    if getattr(node, "id", None) == "sequence":  # <<: [*a, *b]
        for item in node.value:  # type: ignore[attr-defined]
            yield from _node_keys(item, parent, budget, active)
    elif getattr(node, "id", None) == "mapping":
        for key_node, value_node in node.value:  # type: ignore[attr-defined]
            budget[0] -= 1
            if budget[0] <= 0:
                break
            name = str(key_node.value) if key_node.id == "scalar" else "<complex key>"
            if name == _MERGE:
                yield from _node_keys(value_node, parent, budget, active)
                continue
            yield parent + (name,)
            if value_node.id == "mapping":
                yield from _node_keys(value_node, parent + (name,), budget, active)
    active.discard(id(node))


def _opaque(entry: Entry) -> bool:
    """``{"default": dj_database_url.config()}`` or ``{**BASE, "HOST": h}``: the
    keys under it are decided at run time."""
    if entry.kind == EXPRESSION:
        return True
    keys = getattr(entry.node, "keys", None)  # an ast.Dict's keys; None marks a ** spread
    return entry.kind == MAPPING and isinstance(keys, list) and None in keys


def missing(have: dict[KeyPath, Key], other: dict[KeyPath, Key]) -> list[KeyPath]:
    """Paths in ``have`` but not in ``other``, topmost only. Nothing under a
    value the other side computes in code is missing: it cannot be known."""
    absent = [
        p for p in have
        if p not in other and not any(p[:n] in other and other[p[:n]].opaque for n in range(1, len(p)))
    ]
    gone = set(absent)
    return [p for p in absent if not any(p[:n] in gone for n in range(1, len(p)))]


def display(doc: Document, path: KeyPath) -> str:
    if doc.format != formats.INI and isinstance(path[0], int) and len(path) > 1:  # multi-document YAML
        return f"{dotted(path[1:])} in document {path[0] + 1}"
    return document_display(doc.format, path)


def allowed(path: KeyPath, globs: Sequence[str]) -> bool:
    """``--allow-missing`` globs match the dotted key path; ``x.*`` covers ``x`` too."""
    name = ".".join(map(str, path))
    names = [name, str(path[-1])] if len(path) > 1 else [name]
    for glob in globs:
        if any(fnmatchcase(n, glob) for n in names):
            return True
        if glob.endswith(".*") and fnmatchcase(name, glob[:-2]):
            return True
    return False


class Plan(NamedTuple):
    pairs: list[tuple[str, str]]  # (production, staging)
    unpaired: list[tuple[str, str, str]]  # (path, its environment, the partner's)


@record
class Seen:
    """What spans the parts of one run (the report gives the files in parts)."""

    files: int = 0  # files given so far
    pairs: int = 0  # pairs checked so far
    taken: set[Any] = field(default_factory=set)  # files already in a pair
    explicit: set[tuple[str, str]] = field(default_factory=set)  # explicit pairs already checked


def prepare(ctx: runner.Context) -> Seen:
    return Seen()


def plan(filenames: Sequence[str], explicit: Sequence[tuple[str, str]], ctx: runner.Context,
         seen: Seen | None = None) -> Plan:
    """Which pairs to check for these files: explicit pairs that touch one of
    them (all explicit pairs when no file is given), then automatic ones.
    ``seen``: the earlier parts of the run (pairs already checked, files taken)."""
    from hooks.checks.check_staging_parity import pairing

    seen = seen if seen is not None else Seen()
    given = {normalise(f) for f in filenames}
    pairs: list[tuple[str, str]] = []
    taken = seen.taken
    for production, staging in explicit:
        if (production, staging) not in seen.explicit and (
                (not given and not seen.files) or {normalise(production), normalise(staging)} & given):
            pairs.append((production, staging))
            seen.explicit.add((production, staging))
        taken |= {normalise(production), normalise(staging)}
    unpaired = []
    patterns = ctx.environments
    for path in filenames:
        env = ctx.environment(path)
        if env not in (PRODUCTION, STAGING) or normalise(path) in taken:
            continue
        target = STAGING if env == PRODUCTION else PRODUCTION
        partner = pairing.find_partner(path, env, target, patterns)
        if partner is None:
            unpaired.append((path, env, target))
            continue
        pair = (path, partner) if env == PRODUCTION else (partner, path)
        taken |= {normalise(path), normalise(partner)}
        pairs.append(pair)
    return Plan(pairs, unpaired)


def check_pair(ctx: runner.Context, production: str, staging: str, allow: Sequence[str]) -> Iterator[Problem]:
    # A broken file is reported by no-duplicate-config-keys, skipped here (--verbose lists it).
    prod_doc, staging_doc = ctx.load(production), ctx.load(staging)
    if prod_doc is None or staging_doc is None:
        return
    prod_keys = key_map(prod_doc, _inherited(ctx, prod_doc))
    staging_keys = key_map(staging_doc, _inherited(ctx, staging_doc))
    for doc, keys, other, other_keys in (
        (prod_doc, prod_keys, staging_doc, staging_keys),
        (staging_doc, staging_keys, prod_doc, prod_keys),
    ):
        for path in missing(keys, other_keys):
            if allowed(path, allow):
                continue
            key = keys[path]
            via = f" ({key.via})" if key.via else ""
            yield Problem(
                key.line, key.column,
                f"{display(doc, path)}{via} is set here but missing from {other.path}",
                ("missing", ".".join(map(str, path)), normalise(other.path)), path=doc.path,
            )


def _inherited(ctx: runner.Context, doc: Document) -> list[Any]:
    if doc.format != formats.PYTHON:
        return []
    from hooks.config import python_settings

    return python_settings.inherited(doc, lambda path: ctx.load(path, formats.PYTHON))


@runner.takes_parts
def check(filenames: Sequence[str], ctx: runner.Context) -> Iterator[Problem]:
    if ctx.state is None:
        ctx.state = prepare(ctx)
    seen: Seen = ctx.state
    ctx.checked.extend(filenames)
    todo = plan(filenames, ctx.options.pair, ctx, seen)
    seen.files += len(filenames)
    seen.pairs += len(todo.pairs)
    for production, staging in todo.pairs:
        yield from check_pair(ctx, production, staging, ctx.options.allow_missing)
    if not ctx.partial and seen.files and not seen.pairs:
        ctx.notice(
            "nothing to compare: no production/staging pair among the files given; name pairs with "
            "--pair PRODUCTION:STAGING or pair = [...] under [tool.legacy-config-hooks.check-staging-parity]"
        )
    if ctx.options.require_pair:
        for path, env, target in todo.unpaired:
            yield Problem(1, 1, f"this {env} file has no {target} partner: add one, or pair it with --pair",
                          ("unpaired",), path=path)


HOOK = Hook(
    id="check-staging-parity",
    summary="Report keys that production config sets and its staging partner lacks, and the other way round.",
    description=__doc__ or "",
    check=check,
    reads="files",
    reports_parse_errors=False,
    prepare=prepare,
    options=(
        Option("pair", "check these two files as a pair", kind="list", metavar="PRODUCTION:STAGING",
               parse=parse_pair),
        Option("allow-missing", "a key path that may be set on one side only, e.g. 'debug_toolbar.*'",
               kind="list", metavar="GLOB"),
        Option("require-pair", "report a production or staging file that has no partner", kind="bool"),
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
