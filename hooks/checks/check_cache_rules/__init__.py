"""Cache rules are named, say when they are bypassed, and carry examples that run.

Reads ``cache-rules.yaml`` (the ``rules`` setting): every rule has a unique
name, a why and an owner; its examples run (first match wins; a cached
example taken by an earlier rule names the shadowing rule; a not_cached
example must be matched by no rule, or bypassed); a rule without a bypass
for the Authorization header and the session cookie must say ``public: true``
with a reason; only GET and HEAD are cached; the TTL parses and stays under
``--max-ttl``. Then every cache site in the code (Django ``cache_page``,
``cache_control``, ``vary_on_*``, the cache middleware, Flask-Caching
``cached``/``memoize``, nginx ``*_cache_valid``/``*_cache_bypass``) must
belong to a rule, by the rule's ``sites`` or a ``# cache-rule: <name>``
comment, with the same TTL. Without a rules file it lists the sites
(``--verbose``) and passes; ``--write-rules`` writes a starting file.
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from hooks.core import runner
from hooks.core.api import Hook, Option, Problem, UsageError
from hooks.core.records import record

if TYPE_CHECKING:
    from hooks.checks.check_cache_rules.code import Found
    from hooks.core.runner import Context

DEFAULT_RULES = "cache-rules.yaml"
MAX_RULES_BYTES = 1024 * 1024


@record(frozen=True)
class State:
    max_ttl: int | None
    session_cookies: tuple[str, ...]


def prepare(ctx: Context) -> State:
    from hooks.checks.check_cache_rules.engine import DEFAULT_SESSION_COOKIES
    from hooks.checks.check_cache_rules.schema import parse_ttl

    max_ttl = None
    if ctx.options.max_ttl:
        max_ttl = parse_ttl(ctx.options.max_ttl)
        if max_ttl is None:
            raise UsageError(f"--max-ttl {ctx.options.max_ttl!r}: write seconds (86400) or a duration (1d, 15m)")
    cookie = ctx.options.session_cookie
    return State(max_ttl, (cookie,) if cookie else DEFAULT_SESSION_COOKIES)


def tracked_files() -> list[str]:
    from hooks.repo import git

    try:
        return sorted(git.tracked_files())
    except git.GitError as exc:
        raise UsageError(str(exc)) from None


def check(paths: Sequence[str], ctx: Context) -> Iterator[Problem]:
    from hooks.checks.check_cache_rules.code import check_sites, collect
    from hooks.checks.check_cache_rules.engine import check_examples, check_safety

    state: State = ctx.state
    rules_path: str = ctx.options.rules or DEFAULT_RULES
    if rules_path == DEFAULT_RULES and not os.path.exists(rules_path) and os.path.isfile("cache-rules.yml"):
        rules_path = "cache-rules.yml"
    from hooks.repo.git import blob_ids

    found = collect(tracked_files(), ctx.options.exclude or (), blob_ids())
    for line in found.skipped:
        if ctx.verbose:
            ctx.notice(f"skipped {line}")
    if ctx.options.write_rules:
        _write(rules_path, found, ctx)
        return
    if not os.path.isfile(rules_path):
        if ctx.verbose:
            for site in found.sites:
                ctx.notice(f"{site.path}:{site.line}: {site.describe()} [{site.id}]")
        unparsed = _unparsed(found.scanned)
        if found.sites:
            ctx.notice(f"no {rules_path}: found {len(found.sites)} cache site(s), not checked; "
                       "--write-rules writes a starting file" + unparsed)
        elif unparsed:  # its parse lines are findings: never "nothing to check" beside them
            ctx.notice(f"no {rules_path}, and no cache site in the code it could read" + unparsed)
        else:
            ctx.notice(f"nothing to check: no {rules_path} and no cache site in the code")
        return
    from hooks.checks.check_cache_rules.schema import read_rules
    from hooks.config.source import ReadError, TooLarge, read_bytes

    try:
        text = read_bytes(rules_path, MAX_RULES_BYTES).decode("utf-8-sig")
    except TooLarge:
        yield Problem(1, 1, f"{rules_path} is larger than 1 MB: a rules file is a page or two", ("too-large",),
                      path=rules_path)
        return
    except (ReadError, UnicodeDecodeError) as exc:
        reason = str(exc) if isinstance(exc, ReadError) else getattr(exc, "reason", None) or exc.__class__.__name__
        yield Problem(1, 1, f"cannot read {rules_path}: {reason}", ("unreadable",), path=rules_path)
        return
    ruleset = read_rules(rules_path, text)
    for path in [rules_path, *found.scanned]:
        ctx.mark_checked(path)
    cookies = (found.session_cookie,) if found.session_cookie and not ctx.options.session_cookie else state.session_cookies
    yield from ruleset.problems
    yield from check_examples(ruleset)
    yield from check_safety(ruleset, cookies, state.max_ttl)
    yield from check_sites(ruleset, found.sites, rules_path)
    if ctx.verbose:
        ctx.notice(f"{len(ruleset.rules)} rule(s) in {rules_path}, {len(found.sites)} cache site(s) in the code")


def _unparsed(scanned: list[str]) -> str:
    """"; N module(s) that could hold a cache site are not read (...)" for the
    modules written for another Python (the runner prints a line for each), or ""."""
    from hooks.config import python_trees

    count = sum(1 for path in scanned if path in python_trees.newer)
    return (f"; {count} module(s) that could hold a cache site are written for another Python and were not read "
            "(listed)") if count else ""


def _write(rules_path: str, found: Found, ctx: Context) -> None:
    from hooks.checks.check_cache_rules.write import render, write_new

    sites = found.sites
    if os.path.exists(rules_path):
        raise UsageError(f"{rules_path} exists: --write-rules only starts a new file (move it away first)")
    if not sites:
        ctx.emit(f"no cache site found: {rules_path} not written")
        return
    # Django's session cookie unless every site is Flask-Caching (or nginx in front of it).
    flask = any("cache." in s.what for s in sites) and all("cache." in s.what or "_cache_" in s.what for s in sites)
    cookie = found.session_cookie or ("session" if flask else "sessionid")
    try:
        write_new(rules_path, render(sites, cookie))
    except OSError as exc:
        raise UsageError(f"cannot write {rules_path}: {exc.strerror or exc}") from None
    ctx.changed = True
    ctx.emit(f"wrote {rules_path}: {len(sites)} cache site(s); replace its TODOs, then commit it")


HOOK = Hook(
    id="check-cache-rules",
    summary="Cache rules are named, state their bypass conditions and carry examples that run; "
            "every cache site in code belongs to a rule.",
    check=check,
    reads="files",
    options=(
        Option("rules", "the rules file (default cache-rules.yaml)", kind="path", metavar="PATH", default=DEFAULT_RULES),
        Option("max-ttl", "report rules that cache longer than this (e.g. 1d, 3600)", metavar="TTL"),
        Option("session-cookie", "the session cookie every rule must bypass (default: SESSION_COOKIE_NAME "
               "from the settings, else sessionid or session)", metavar="NAME"),
        Option("exclude", "do not look for cache sites in files matching GLOB", kind="list",
               metavar="GLOB"),
        Option("write-rules", "write a starting rules file from the cache sites found, with TODOs",
               kind="bool", settable=False),
    ),
    description=__doc__ or "",
    prepare=prepare,
    at_repo_root=True,
)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
