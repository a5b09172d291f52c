"""check-cache-rules: collect the cache sites of the repo, and hold them against the rules."""
from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator, Mapping, Sequence

from hooks.checks.check_cache_rules.schema import Rule, RuleSet, show_ttl
from hooks.checks.check_cache_rules.sites import (
    Middleware,
    Site,
    attach_comments,
    scan_nginx,
    scan_python,
    wants_nginx,
    wants_python,
)
from hooks.config import python_trees
from hooks.config.source import ReadError, TooLarge, read_bytes
from hooks.core.api import Problem
from hooks.core.cache import encode
from hooks.core.records import field, fields, record
from hooks.repo.roles import belongs_to_service

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

MAX_BYTES = 2 * 1024 * 1024
DJANGO_DEFAULT_MIDDLEWARE_SECONDS = 600


@record
class Found:
    sites: list[Site] = field(default_factory=list)
    session_cookie: str | None = None
    skipped: list[str] = field(default_factory=list)  # unreadable files, for --verbose
    scanned: list[str] = field(default_factory=list)  # files read for sites (the baseline's bookkeeping)


@record
class Scanned:
    """What one file gave: kept in the result cache by content."""

    read: bool = False  # a file the scan looked into (the baseline's bookkeeping)
    sites: list[Site] = field(default_factory=list)
    names: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # module constants
    middleware: Middleware | None = None
    cookie: str | None = None
    skipped: str | None = None

    def encode(self, path: str) -> dict[str, Any]:
        return {"read": self.read, "sites": [encode(s) for s in self.sites], "names": self.names,
                "middleware": self.middleware, "cookie": self.cookie, "skipped": self.skipped,
                "newer": python_trees.newer.get(path)}

    @classmethod
    def decode(cls, data: Any, path: str) -> Scanned | None:
        try:
            middle, newer = data["middleware"], data["newer"]
            if newer is not None:  # the module needs a newer Python: the runner reports it as if parsed now
                python_trees.newer[path] = (int(newer[0]), str(newer[1]))
            return cls(
                bool(data["read"]), [_decode_site(s) for s in data["sites"]],
                {str(k): (int(v[0]), int(v[1]), str(v[2])) for k, v in data["names"].items()},
                (int(middle[0]), int(middle[1]), str(middle[2]), int(middle[3])) if middle else None,
                data["cookie"] if isinstance(data["cookie"], str) else None,
                data["skipped"] if isinstance(data["skipped"], str) else None,
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None  # foreign or damaged: scanned again


def _decode_site(data: dict[str, Any]) -> Site:
    site = Site(**{name: data[name] for name in fields(Site)})
    if not all(isinstance(getattr(site, n), int) for n in ("line", "column", "comment_line", "rank", "replays_cookies")):
        raise ValueError("not a site")
    site.lines = {int(n) for n in data["lines"]}
    site.bypass = [(str(kind), str(name)) for kind, name in data["bypass"]]
    site.vary = [str(v) for v in data["vary"]]
    return site


def scan_file(path: str) -> Scanned:
    """The cache sites of one file (already known to be a candidate by its name)."""
    try:
        data = read_bytes(path, MAX_BYTES)
    except TooLarge:
        return Scanned(skipped=f"{path}: larger than {MAX_BYTES // 1048576} MB")
    except ReadError:
        return Scanned()  # deleted in the work tree, a dangling link, a directory (submodule), a device
    if path.endswith(".py"):
        if not wants_python(data):
            return Scanned()
        text = _decode(data)
        if text is None:
            return Scanned(skipped=f"{path}: not UTF-8")
        sites, names, middle, cookie = scan_python(path, text)
        out = Scanned(True, sites, names, middle, cookie)
    elif wants_nginx(path, data):
        text = _decode(data)
        if text is None:
            return Scanned()
        out = Scanned(True, scan_nginx(path, text))
    else:
        return Scanned()
    if out.sites:
        attach_comments(out.sites, text)
    return out


def collect(files: Iterable[str], exclude: Sequence[str] = (), blobs: Mapping[str, str] | None = None) -> Found:
    """Every cache site in ``files`` (paths relative to the repo root). ``blobs``
    (path -> git blob id) lets files unchanged since an earlier run come from the
    result cache instead of being read again."""
    from hooks.core.cache import FileResults

    results = FileResults("check-cache-rules-sites", "") if blobs else None
    found = Found()
    settings: dict[str, tuple[int, int, str]] = {}
    middleware: list[tuple[str, Middleware, dict[str, tuple[int, int, str]]]] = []
    for path in sorted(files):
        if not belongs_to_service(path) or any(fnmatch.fnmatchcase(path, glob) for glob in exclude):
            continue
        if not path.endswith(".py") and not (".conf" in path or "nginx" in path.lower() or path.endswith((".vhost", ".site"))):
            continue
        blob = blobs.get(path) if blobs else None
        scanned = Scanned.decode(results.get(path, blob), path) if results and blob else None
        if scanned is None:
            scanned = scan_file(path)
            if results:
                results.put(path, blob, scanned.encode(path))
        if scanned.skipped:
            found.skipped.append(scanned.skipped)
        if not scanned.read:
            continue
        for name, value in scanned.names.items():
            settings.setdefault(name, value)
        if scanned.middleware:
            middleware.append((path, scanned.middleware, scanned.names))
        found.session_cookie = found.session_cookie or scanned.cookie
        found.scanned.append(path)
        found.sites.extend(scanned.sites)
    if results:
        results.save()
    for path, (line, column, name, first), names in middleware:
        site = _middleware_site(path, line, column, name, names, settings)
        site.lines |= set(range(first, line + 1))
        found.sites.append(site)
    for site in found.sites:  # cache_page(settings.CACHE_MIDDLEWARE_SECONDS) and friends
        if site.ttl is None and site.ttl_text.startswith("settings.") and site.ttl_text[9:] in settings:
            site.ttl = settings[site.ttl_text[9:]][0]
        elif site.ttl is None and site.ttl_text == "the default timeout" and "CACHE_DEFAULT_TIMEOUT" in settings:
            site.ttl = settings["CACHE_DEFAULT_TIMEOUT"][0]  # Flask-Caching's setting, when the config sets it
            site.ttl_text = "CACHE_DEFAULT_TIMEOUT"
    if middleware:
        _attach_middleware_comments(found.sites)
    return found


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _middleware_site(path: str, line: int, column: int, name: str, names: dict[str, tuple[int, int, str]],
                     settings: dict[str, tuple[int, int, str]]) -> Site:
    site = Site(path, "MIDDLEWARE", line, column, name)
    site.lines = {line}
    seconds = names.get("CACHE_MIDDLEWARE_SECONDS") or settings.get("CACHE_MIDDLEWARE_SECONDS")
    if seconds:
        site.ttl, site.ttl_text = seconds[0], "CACHE_MIDDLEWARE_SECONDS = " + seconds[2]
        if "CACHE_MIDDLEWARE_SECONDS" in names:
            site.lines.add(seconds[1])
    else:
        site.ttl, site.ttl_text = DJANGO_DEFAULT_MIDDLEWARE_SECONDS, "Django's default CACHE_MIDDLEWARE_SECONDS"
    return site


def _attach_middleware_comments(sites: list[Site]) -> None:
    by_path: dict[str, list[Site]] = {}
    for site in sites:
        if site.name == "MIDDLEWARE" and site.rule_comment is None:
            by_path.setdefault(site.path, []).append(site)
    for path, group in by_path.items():
        try:
            text = _decode(read_bytes(path, MAX_BYTES)) or ""
        except (ReadError, TooLarge):
            continue
        attach_comments(group, text)


# -- sites against rules ------------------------------------------------------------
def _covers(entry: str, site: Site) -> bool:
    if entry == site.id or entry == site.path or ("*" in entry and fnmatch.fnmatchcase(site.id, entry)):
        return True
    # The dotted form people write for Python: blog.views.article_detail
    return site.path.endswith(".py") and ":" not in entry and "/" not in entry and \
        entry == site.path[:-3].replace("/", ".") + "." + site.name


def check_sites(ruleset: RuleSet, sites: list[Site], rules_path: str) -> Iterator[Problem]:
    by_name = ruleset.by_name()
    used: set[int] = set()  # ids of site entries that cover something
    for site in sites:
        owner: Rule | None = None
        if site.rule_comment is not None:
            owner = by_name.get(site.rule_comment)
            if owner is None:
                import difflib

                guess = difflib.get_close_matches(site.rule_comment, list(by_name), n=1, cutoff=0.6)
                hint = f"did you mean '{guess[0]}'?" if guess else f"rules: {', '.join(by_name) or 'none'}"
                yield Problem(site.comment_line, 1, f"`# cache-rule: {site.rule_comment}` names no rule in "
                              f"{rules_path}: {hint}", ("unknown-rule", site.id, site.rule_comment), path=site.path)
        for rule in ruleset.rules:
            for entry in rule.sites:
                if _covers(entry.value, site):
                    used.add(id(entry))
                    owner = owner or rule
        if site.replays_cookies:
            yield Problem(site.replays_cookies, 1,
                          "nginx caches responses that set cookies here (*_ignore_headers Set-Cookie with no "
                          "*_hide_header Set-Cookie): one visitor's cookie, a CSRF token or a session, is replayed to "
                          "others; hide Set-Cookie from cached responses or stop ignoring it",
                          ("replays-set-cookie", site.id), path=site.path)
        if owner is None and site.rule_comment is None:
            yield Problem(site.line, site.column,
                          f"{site.describe()}, but no rule in {rules_path} covers it: add '{site.id}' to a rule's "
                          "sites, or a `# cache-rule: <name>` comment here",
                          ("undocumented", site.id), path=site.path)
            continue
        if owner is not None:
            yield from _against(site, owner, rules_path)
    for rule in ruleset.rules:
        for entry in rule.sites:
            if id(entry) not in used:
                what = "no cache site is left in that file" if ":" not in entry.value else "no cache site is there any more"
                yield Problem(entry.line, entry.column,
                              f"rule '{rule.name}' lists site '{entry.value}', but {what}: remove it or fix the name "
                              "(stale)", ("stale-site", rule.name, entry.value), path=ruleset.path)


def _against(site: Site, rule: Rule, rules_path: str) -> Iterator[Problem]:
    where = f"rule '{rule.name}' ({rules_path}:{rule.line_of('ttl')})"
    if site.ttl is not None and rule.ttl is not None and site.ttl != rule.ttl:
        plain = site.ttl_text in ("", show_ttl(site.ttl), str(site.ttl))
        code = show_ttl(site.ttl) + ("" if plain else f" ({site.ttl_text})")
        yield Problem(site.line, site.column,
                      f"{site.what}{' on ' + site.name if site.name else ''} caches for {code}, but {where} says "
                      f"ttl {show_ttl(rule.ttl)}: make them agree", ("ttl-mismatch", site.id, rule.name), path=site.path)
    if site.page and not rule.is_page_rule:
        yield Problem(site.line, site.column,
                      f"{site.what} caches pages, but rule '{rule.name}' has no match: give it match, bypass and "
                      "examples", ("page-site-function-rule", site.id, rule.name), path=site.path)
    declared = {v.lower() for v in rule.vary}
    missing = [h for h in site.vary if h.lower() not in declared]
    if missing and rule.is_page_rule:
        yield Problem(site.line, site.column,
                      f"the code varies the cache on {', '.join(missing)}, but rule '{rule.name}' does not say so: "
                      f"add it to the rule's vary", ("vary", site.id, rule.name), path=site.path)
    if site.bypass and rule.is_page_rule:
        have = {(kind, name.lower()) for kind, name in site.bypass}
        absent = [b for b in rule.bypass if b.kind != "path" and (b.kind, b.name.lower()) not in have and b.name != "*"]
        if absent:
            shown = ", ".join(b.describe() for b in absent)
            yield Problem(site.line, site.column,
                          f"rule '{rule.name}' bypasses {shown}, but the *_cache_bypass of {site.name or site.path} "
                          f"does not: add {' '.join(_nginx_var(b.kind, b.name) for b in absent)} to it",
                          ("bypass-missing", site.id, rule.name), path=site.path)


def _nginx_var(kind: str, name: str) -> str:
    prefix = {"cookie": "$cookie_", "query": "$arg_", "header": "$http_"}[kind]
    return prefix + (name.lower().replace("-", "_") if kind == "header" else name)
