"""Check that production config covers the security checklist: permissions,
secrets, headers (cookies included), upload limits and logging.

Production entry points are found from the repository (``settings/production.py``,
``ProductionConfig``, ``production.ini``, the FastAPI app module, or a single
``settings.py`` with no environment split; or ``--production-settings``) and
their settings layers are resolved statically with ``ast``: star imports,
``+=``, ``.append``, ``if``-guarded assignments (judged by the worst branch),
Flask config classes and ``app.config``, Pyramid ``use = config:`` chains,
FastAPI middleware. Values read from the environment are judged by their
default. nginx, uWSGI and gunicorn configs in the repo count as covering what
they set. One line per unmet item; ``--checklist`` prints the table per entry
point. The checklist is data: ``hooks/common/security_catalogue.py``.
"""
from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Callable, TypeAlias

from hooks.checks.check_security_settings import transport
from hooks.common.security_catalogue import ALL_IDS, FRAMEWORK_TITLES, GROUP_TITLES, GROUPS
from hooks.config import formats
from hooks.core.api import Hook, Option, Problem, UsageError
from hooks.core.records import field, record, replace
from hooks.core.runner import takes_parts

if TYPE_CHECKING:
    from hooks.checks.check_security_settings.entries import Outcome
    from hooks.checks.check_security_settings.verdict import Result
    from hooks.core.runner import Context

_RANK = {"met": 0, "unknown": 1, "not met": 2}
_DEPLOYED = ("headers.https", "permissions.trusted_hosts", "uploads.server_limit")


@record
class State:
    skips: list[str]
    # The report gives the files in parts (runner.takes_parts): the files of
    # the earlier parts, and what their production env files set, read while
    # the shared document cache holds them (see Repo.env_values).
    given: list[str] = field(default_factory=list)
    env_values: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    claimed: dict[str, str] = field(default_factory=dict)  # variable -> the first env file that sets it


def prepare(ctx: Context) -> State:
    skips = [s.strip() for s in ctx.options.skip or [] if s.strip()]
    for pattern in skips:
        if not any(fnmatch.fnmatchcase(i, pattern) or i.split(".")[0] == pattern for i in ALL_IDS):
            raise UsageError(f"--skip {pattern}: no checklist item matches (items: {', '.join(sorted(ALL_IDS))})")
    return State(skips)


def _read_part(paths: Sequence[str], state: State, ctx: Context) -> None:
    """One part of the run's files: keep what its production env files set.
    Only the first file (in path order, as production_environment reads
    them) that sets a variable counts, so later ones keep only new names."""
    from hooks.checks.check_security_settings.entries import env_values, is_production_env_file

    state.given.extend(paths)
    environments = dict(ctx.environments) if ctx.environments else None
    for path in paths:
        doc = ctx.loaded(path) if is_production_env_file(path, environments) else None
        if doc is None or doc.error is not None:
            continue  # not parsed yet, or broken: production_environment loads it as it always did
        kept = []
        for name, value, line in env_values(doc):
            first = state.claimed.get(name)
            if first is None or first > path:  # also the first time this file sets it
                state.claimed[name] = path
                kept.append((name, value, line))
        state.env_values[path] = kept


def skipped(item: str, skips: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(item, s) or item.split(".")[0] == s for s in skips)


def _tracked(paths: Sequence[str]) -> list[str]:
    from hooks.repo import git

    try:
        return sorted(git.tracked_files())
    except Exception:  # not a git work tree or git missing: the given paths are all we know
        return sorted(set(paths))


def _reader(max_bytes: int) -> Callable[[str], str | None]:
    from hooks.config import source

    def read(path: str) -> str | None:
        try:
            return source.read_text(path, max_bytes)
        except (source.ReadError, source.TooLarge):
            return None

    return read


@takes_parts
def check(paths: Sequence[str], ctx: Context) -> Iterator[Problem]:
    from hooks.checks.check_security_settings.apps import NO_PUBLIC_HOST, proxy_in_repo
    from hooks.checks.check_security_settings.entries import Repo, app_facts, evaluate, find, unread_python2
    from hooks.checks.check_security_settings.servers import candidates, scan

    state = ctx.state if isinstance(ctx.state, State) else State(list(ctx.state or []))
    if getattr(ctx, "partial", False):
        _read_part(paths, state, ctx)
        return
    paths = state.given + list(paths)
    files = [f for f in _tracked(paths) if os.path.isfile(f)]
    read = _reader(ctx.shared.max_file_size)
    # an ini made at build time from X.ini.in (the start-up serves X.ini) is read as an ini
    repo = Repo(files, read, lambda p: ctx.load(p, formats.INI if p.endswith(".ini.in") else None, report_errors=False),
                dict(ctx.environments) if ctx.environments else None)
    repo.env_values = state.env_values
    from hooks.repo.git import Grep

    repo.grep = Grep()  # the whole-repo loops read only the files that can hold what they look for
    explicit = list(ctx.options.production_settings or [])
    for path in explicit:
        if not os.path.isfile(path.partition(":")[0]):
            raise UsageError(f"--production-settings {path}: no such file")
    entries = find(repo, explicit)
    if not entries:
        old = unread_python2(repo)
        # a settings package whose __init__.py is Python 2 (held-out round 16): say which, not only "none found"
        why = (f"; {', '.join(old[:3])}{f' (+{len(old) - 3} more)' if len(old) > 3 else ''} {'is' if len(old) == 1 else 'are'} "
               "Python 2 and could not be read, so the settings layers loaded there were not judged") if old else ""
        ctx.notice(f"nothing to check: no production settings found{why} (name them with --production-settings)", once_per_run=True)
        return
    servers = scan(files, read)
    facts = app_facts(repo)
    for name, fact in facts.app_headers.items():
        servers.app_sends(name, fact)
    changed = {os.path.normpath(p) for p in paths}
    # Any server config that could cover an item (one whose limit was just removed too).
    server_changed = bool(candidates([f for f in files if os.path.normpath(f) in changed]))
    # A production env file feeds every entry point's environment reads.
    server_changed = server_changed or any(formats.detect(p) == formats.DOTENV and ctx.environment(p) == "production" for p in changed)
    skips = state.skips
    checked = 0
    deployment_unknown: list[str] = []
    plain_http: list[str] = []
    no_host: list[str] = []
    # One line per committed value: a key written in a base config class is one finding, not one per
    # production subclass that inherits it (held-out round 14); the labels of the others are listed on it.
    found: _Found = {}
    for entry in entries:
        outcome = evaluate(entry, repo, servers, facts, ctx.options.strict)
        layers = {os.path.normpath(p) for p in outcome.layers}
        if changed and not (changed & layers) and not server_changed and entry.framework == "django":
            continue  # none of its layers is in this commit
        checked += 1
        ctx.mark_checked(entry.path)
        if ctx.options.checklist and getattr(ctx.shared, "format", "text") in ("json", "sarif"):
            if checked == 1:  # stdout must stay one JSON/SARIF document
                ctx.notice("--checklist is not printed with --format json/sarif; run it with the text format")
        elif ctx.options.checklist:
            ctx.emit(checklist(outcome, skips))
        if entry.framework in ("fastapi", "flask") and any(r.status == "unknown" and r.text.endswith(NO_PUBLIC_HOST) for r in outcome.results):
            no_host.append(entry.label)
        if entry.framework == "fastapi" and not proxy_in_repo(servers) and any(r.status == "unknown" and r.item in _DEPLOYED for r in outcome.results):
            deployment_unknown.append(entry.path)
        elif transport.gated([r for r in outcome.results if not skipped(r.item, skips)]):
            plain_http.append(entry.label)
        for result in outcome.results:
            if skipped(result.item, skips):
                continue
            if result.status == "not met" or (result.status == "unknown" and ctx.options.strict):
                _collect(found, _problem(_home(entry.path, entry.framework, entry.cls, outcome.layers), entry.label, outcome.layers, result),
                         entry.label, bool(result.path) and result.line > 0, result)
    yield from _once(found)
    if not checked:
        ctx.notice("nothing to check: the changed files are not layers of a production entry point")
    elif not ctx.options.strict:
        if deployment_unknown:
            ctx.notice(f"{', '.join(deployment_unknown[:3])}: no proxy config (nginx, uWSGI, ingress) in the repository, so HTTPS, "
                       "Host checks and body limits, which the server in front decides, were not judged (--strict reports them)", once_per_run=True)
        if no_host:
            ctx.notice(f"{', '.join(no_host[:3])}: nothing in the repository names a fixed public host name (a self-hosted install is reached by "
                       "whatever name or address its users pick), so a Host allow-list was not asked for (--strict reports it)", once_per_run=True)
        if plain_http:
            ctx.notice(f"{', '.join(plain_http[:3])}: nothing in the repository says production is served over HTTPS (no secure cookie, HSTS, "
                       "HTTPS redirect, https:// trusted origin or TLS proxy config), so secure cookies, HSTS and the HTTPS redirect, which "
                       "would break plain-HTTP installs, were not judged (--strict reports them)", once_per_run=True)


_Found: TypeAlias = "dict[tuple[str | None, int, str], tuple[Problem, list[str], Result | None]]"


def _collect(found: _Found, problem: Problem, label: str, written: bool, result: Result | None = None) -> None:
    """Keep ``problem``; a value written at a line (``written``) that another entry's problem
    already reports there in the same words adds only its label to that one. A value of a
    shared settings layer (``base.py:224``) that entry modules star-importing it inherit
    (``kenya.py``, ``nigeria.py``) is one problem too, kept with ``result`` to point at the layer."""
    where = f" [{label}]"
    shared = written and problem.message.endswith(where)
    inherited = written and result is not None and not shared and bool(problem.path) \
        and os.path.normpath(result.path) != os.path.normpath(problem.path or "") and f"({result.path}:{result.line})" in problem.message
    key: tuple[str | None, int, str]
    if inherited and result is not None:
        key = (os.path.normpath(result.path), result.line, f"{result.item}\0{result.setting}\0{result.text}")
    else:
        key = (problem.path, problem.line, problem.message[:-len(where)] if shared else f"{problem.message}\0{len(found)}")
    if key in found:
        found[key][1].append(label)
    else:
        found[key] = (problem, [label], result if inherited else None)


def _once(found: _Found) -> Iterator[Problem]:
    """The problems kept, each with the labels of every entry it stands for."""
    for problem, labels, layer in found.values():
        if len(labels) > 1 and layer is not None:
            # one inherited value: reported at the layer's line, naming the entries that inherit it
            first = labels[0]
            others = [lab.rpartition("/")[2] if lab.rpartition("/")[0] == first.rpartition("/")[0] else lab for lab in labels[1:]]
            message = problem.message.replace(f" ({layer.path}:{layer.line})", "") + f" [{', '.join([first, *others])}]"
            problem = replace(problem, path=layer.path, line=layer.line, message=message)
        elif len(labels) > 1:
            first = labels[0]
            others = [lab.partition(":")[2] if lab.partition(":")[0] == first.partition(":")[0] else lab for lab in labels[1:]]
            problem = replace(problem, message=problem.message[:-len(f" [{first}]")] + f" [{', '.join([first, *others])}]")
        yield problem


def _home(path: str, framework: str, cls: str, layers: Sequence[str]) -> str:
    """Where a finding with no line of its own points: for a Flask app module
    that loads its config (``from_object``/``from_pyfile``), the config it
    loads, not ``factory.py:1``."""
    if framework == "flask" and not cls and len(layers) > 1 and os.path.normpath(layers[0]) == os.path.normpath(path):
        return layers[1]
    return path


def _problem(path: str, label: str, layers: Sequence[str], result: Result) -> Problem:
    group = GROUP_TITLES[result.item.split(".")[0]]
    text = result.text
    same_file = os.path.normpath(result.path) == os.path.normpath(path) if result.path else False
    if result.path and result.line and not same_file and os.path.normpath(result.path) == os.path.normpath(label):
        # a value the Flask app module sets itself (app.secret_key = "..."): the line to change is there
        path, same_file = result.path, True
    if result.path and result.line and not same_file and os.path.normpath(result.path) not in {os.path.normpath(p) for p in layers}:
        # code or a server config, not a settings layer: the line to change is there
        # (SignedCookieSessionFactory in __init__.py, the nginx server that lacks a header)
        path, same_file = result.path, True
    if same_file:
        text = text.replace(f" ({result.path}:{result.line})", "")
    line = result.line if same_file else 1
    advice = result.advice
    if advice and not result.path:
        home = layers[0] if len(layers) > 1 and os.path.normpath(layers[0]) != os.path.normpath(path) else ""
        advice += f" in {path}" + (f" (or {home})" if home else "")
    unknown = " (cannot tell statically)" if result.status == "unknown" else ""
    where = f" [{label}]" if label != path else ""
    message = f"{group}: {text}{unknown}" + (f"; {advice}" if advice else "") + where
    return Problem(line, 1, message, identity=(result.item, result.setting, label), path=path)


def checklist(outcome: Outcome, skips: Sequence[str]) -> str:
    entry = outcome.entry
    title = FRAMEWORK_TITLES.get(entry.framework, entry.framework)
    lines = [f"{entry.label} ({title}; layers: {' -> '.join(outcome.layers) or entry.path})", "",
             "| item | status | where |", "|---|---|---|"]
    for group in GROUPS:
        results = [r for r in outcome.results if r.item.split(".")[0] == group]
        active = [r for r in results if not skipped(r.item, skips)]
        if results and not active:
            lines.append(f"| {GROUP_TITLES[group]} | skipped | {', '.join(sorted({r.item for r in results}))} |")
            continue
        status = max((r.status for r in active), key=lambda s: _RANK[s]) if active else "met"
        shown = [r for r in active if r.status == status] if status != "met" else active
        # an item not applicable to this app (X-Frame-Options where nothing renders HTML): say so, and why
        shown += [r for r in active if r not in shown and ": not applicable" in r.text]
        where = "; ".join(r.text.replace("|", "/") for r in shown[:4]) + (f"; +{len(shown) - 4} more" if len(shown) > 4 else "")
        lines.append(f"| {GROUP_TITLES[group]} | {status} | {where} |")
    return "\n".join(lines) + "\n\n"


HOOK = Hook(
    id="check-security-settings",
    summary="Production config covers the security checklist: permissions, secrets, headers, upload limits, logging.",
    check=check,
    reads="files",
    options=(
        Option("production-settings", "a production entry point where the naming convention fails: PATH, or PATH:ClassName for a Flask config class "
                                      "(repeatable)",
               kind="list", metavar="PATH"),
        Option("skip", "a checklist item not to check, e.g. headers.hsts when the TLS proxy sends HSTS, or a whole group (repeatable; keep the reason in the "
                       "settings file)",
               kind="list", metavar="ITEM"),
        Option("checklist", "print the checklist table (met / not met / unknown, and where) for each production entry point", kind="bool"),
        Option("strict", "also report items that cannot be told statically (a value read from the environment with no default)", kind="bool"),
    ),
    description=__doc__ or "",
    prepare=prepare,
    at_repo_root=True,
)


def main(argv: Sequence[str] | None = None) -> int:
    from hooks.core import runner

    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
