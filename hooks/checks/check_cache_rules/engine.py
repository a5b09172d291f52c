"""check-cache-rules: run the examples against the rules, and the safety rules.

The model is the one a CDN uses: rules are tried top to bottom, the first rule
whose ``match`` takes the request decides, and that rule either caches the
response or bypasses the cache (a bypass never falls through to a later rule).
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from hooks.checks.check_cache_rules.schema import Bypass, Request, Rule, RuleSet, show_ttl
from hooks.core.api import Problem

DEFAULT_SESSION_COOKIES = ("sessionid", "session")  # Django's and Flask's default names


@lru_cache(maxsize=256)
def _pattern(glob: str) -> re.Pattern[str]:
    """``*`` is one path segment, ``**`` any number of them; the rest is literal."""
    out = []
    i = 0
    while i < len(glob):
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out))


def path_matches(glob: str, path: str) -> bool:
    return _pattern(glob).fullmatch(path) is not None


def matches(rule: Rule, request: Request) -> bool:
    if not rule.is_page_rule or not rule.paths:
        return False
    if "*" not in rule.methods and request.method.upper() not in rule.methods:
        return False
    return any(path_matches(glob, request.bare_path) for glob in rule.paths)


def bypassed_by(rule: Rule, request: Request) -> Bypass | None:
    """The first bypass of ``rule`` that the request triggers."""
    for bypass in rule.bypass:
        if bypass.kind == "cookie":
            hit = bypass.name == "*" and bool(request.cookies) or bypass.name in request.cookies
        elif bypass.kind == "header":
            name = bypass.name.lower()
            hit = name in request.headers or (name == "cookie" and bool(request.cookies))
        elif bypass.kind == "query":
            hit = bypass.name == "*" and "?" in request.path or bypass.name in request.query
        else:
            hit = path_matches(bypass.name, request.bare_path)
        if hit:
            return bypass
    return None


def decide(rules: Sequence[Rule], request: Request) -> tuple[Rule | None, Bypass | None]:
    """(first matching rule, the bypass it applies); (None, None) when no rule matches."""
    for rule in rules:
        if matches(rule, request):
            return rule, bypassed_by(rule, request)
    return None, None


def check_examples(ruleset: RuleSet) -> Iterator[Problem]:
    rules = [rule for rule in ruleset.rules if rule.is_page_rule]
    for rule in rules:
        if rule.todo:
            continue  # the TODOs are reported; examples of a half-written rule would only add noise
        label = rule.name
        for request in rule.cached:
            winner, bypass = decide(rules, request)
            where = (request.line, request.column)
            if winner is None:
                yield _problem(ruleset, where, f"cached example {request.shown} is not matched by rule '{label}' "
                               f"(paths {', '.join(rule.paths) or 'none'}; methods {', '.join(rule.methods)}): "
                               "fix the example or the rule's match", "cached-unmatched", label, request.shown)
            elif winner is not rule:
                own = "also matched by" if matches(rule, request) else "not matched by"
                yield _problem(ruleset, where, f"cached example {request.shown} is taken by rule '{winner.name}' "
                               f"(line {winner.line}) before rule '{label}' ({own} it): first match wins, so "
                               f"'{winner.name}' shadows it; move '{label}' above it or narrow '{winner.name}'",
                               "shadowed", label, request.shown)
            elif bypass is not None:
                yield _problem(ruleset, where, f"cached example {request.shown} is bypassed by rule '{label}' "
                               f"({bypass.describe()}, line {bypass.line}): drop it from cached or list it under not_cached",
                               "cached-bypassed", label, request.shown)
        for request in rule.not_cached:
            winner, bypass = decide(rules, request)
            if winner is not None and bypass is None:
                whose = "this rule" if winner is rule else f"rule '{winner.name}' (line {winner.line})"
                yield _problem(ruleset, (request.line, request.column),
                               f"not_cached example {request.shown} is cached by {whose} for "
                               f"{show_ttl(winner.ttl) if winner.ttl is not None else winner.ttl_text or 'its ttl'}: "
                               f"add a bypass for it to '{winner.name}' or narrow its match",
                               "not-cached-cached", label, request.shown)


def check_safety(ruleset: RuleSet, session_cookies: Sequence[str], max_ttl: int | None) -> Iterator[Problem]:
    for rule in ruleset.rules:
        label = rule.name or f"line {rule.line}"
        if max_ttl is not None and rule.ttl is not None and rule.ttl > max_ttl:
            yield _problem(ruleset, (rule.line_of("ttl"), rule.column),
                           f"rule '{label}' caches for {show_ttl(rule.ttl)}, longer than max-ttl {show_ttl(max_ttl)}",
                           "max-ttl", label)
        said_public = "public" in rule.fields and rule.fields["public"].value is not False
        if not rule.is_page_rule or rule.public is not None or said_public:
            continue  # function caches see no request; a public rule says why (or is told to) it needs no bypass
        missing = []
        if not _bypasses_header(rule, "authorization"):
            missing.append("header: Authorization")
        if not _bypasses_session(rule, session_cookies):
            missing.append(f"cookie: {session_cookies[0]}")
        if missing:
            yield _problem(ruleset, (rule.line_of("bypass") if "bypass" in rule.fields else rule.line, rule.column),
                           f"rule '{label}' has no bypass for {' or '.join(missing)}: a logged-in user's page would be "
                           "served to others; add the bypass, or say `public: true` with a public_reason",
                           "no-auth-bypass", label)


def _bypasses_header(rule: Rule, name: str) -> bool:
    return any(b.kind == "header" and b.name.lower() == name for b in rule.bypass)


def _bypasses_session(rule: Rule, session_cookies: Sequence[str]) -> bool:
    names = {name.lower() for name in session_cookies}
    return any(
        (b.kind == "cookie" and (b.name == "*" or b.name.lower() in names))
        or (b.kind == "header" and b.name.lower() == "cookie")
        for b in rule.bypass
    )


def _problem(ruleset: RuleSet, where: tuple[int, int], message: str, *identity: str) -> Problem:
    return Problem(where[0], where[1], message, identity, path=ruleset.path)
