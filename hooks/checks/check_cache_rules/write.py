"""check-cache-rules --write-rules: a starting cache-rules.yaml from the sites found.

One rule per file and TTL. What the code cannot tell (why, owner, the URL
paths, examples) is left as a TODO, which the hook rejects until a person
fills it in.
"""
from __future__ import annotations

import json
import re

from hooks.checks.check_cache_rules.schema import show_ttl
from hooks.checks.check_cache_rules.sites import Site

HEADER = """\
# Cache rules: which responses are cached, for how long, for whom, and why.
# Written by `check-cache-rules --write-rules` from the cache sites in the code;
# replace every TODO (the hook rejects them). Rules are tried top to bottom and
# the first match wins. Format: docs/hooks/check-cache-rules.md
rules:
"""


def _q(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


def _slug(path: str) -> str:
    parts = [p for p in re.split(r"[/\\]", path) if p]
    stem = [re.sub(r"\.(py|conf)$", "", p) for p in parts[-2:]]
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(stem).lower()).strip("-")
    return slug or "cache"


def render(sites: list[Site], session_cookie: str) -> str:
    groups: dict[tuple[str, bool, int | None], list[Site]] = {}
    for site in sites:
        # Views that only set Vary are cached by whatever sits in front: one rule for all of them.
        vary_only = site.ttl is None and not site.ttl_text and bool(site.vary)
        groups.setdefault(("" if vary_only else site.path, site.page, site.ttl), []).append(site)
    names: set[str] = set()
    out = [HEADER]
    for (path, page, ttl), group in groups.items():
        base = (_slug(path) if path else "varied-pages") + ("" if page else "-data")
        name = base
        if name in names:
            name = f"{base}-{show_ttl(ttl)}" if ttl is not None else f"{base}-2"
        counter = 2
        while name in names:
            counter += 1
            name = f"{base}-{counter}"
        names.add(name)
        kinds = sorted({s.what for s in group})
        out.append(f"  - name: {name}\n")
        out.append(f"    why: {_q('TODO: why ' + ('these pages' if page else 'these results') + ' may be cached')}"
                   f"   # {', '.join(kinds)}\n")
        out.append(f"    owner: {_q('TODO: the team or person to ask')}\n")
        if page:
            out.append(f"    match: {{paths: [{_q('TODO: /url/path/')}], methods: [GET, HEAD]}}\n")
        if ttl is not None:
            out.append(f"    ttl: {show_ttl(ttl)}\n")
        else:
            texts = sorted({s.ttl_text for s in group if s.ttl_text}) or [
                "the TTL of the cache in front (these views only set Vary)" if not path else "not set in the code"]
            out.append(f"    ttl: {_q('TODO: ' + '; '.join(texts))}\n")
        vary = sorted({h for s in group for h in s.vary})
        if vary and page:
            out.append(f"    vary: [{', '.join(vary)}]\n")
        if page:
            out.append("    bypass:\n")
            out.append(f"      - cookie: {session_cookie}\n")
            out.append("      - header: Authorization\n")
        out.append("    sites:\n")
        for site_id in sorted({s.id for s in group}):
            out.append(f"      - {_q(site_id)}\n")
        if page:
            out.append("    examples:\n")
            out.append(f"      cached: [{_q('TODO: /a/page/it/caches/')}]\n")
            out.append("      not_cached:\n")
            out.append(f"        - {{path: {_q('TODO: /a/page/it/caches/')}, cookies: {{{session_cookie}: x}}}}\n")
    return "".join(out)


def write_new(path: str, text: str) -> None:
    """Create ``path`` through hooks.core.writing: inside the repo, never through a
    symlink, never over a file (``hooks.core.writing.WriteError``, an OSError)."""
    from hooks.core.writing import write_file

    write_file(path, text, exclusive=True)
