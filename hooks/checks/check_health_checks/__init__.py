"""Check that every deployed service can answer "is it up?", at a route the
app really serves, and that Django will answer it.

Reads compose files (and the Dockerfiles their ``build:`` names), Kubernetes
manifests, Helm templates (``{{ }}`` masked before parsing) and kustomize
folders; the routes of the Django, Flask and FastAPI apps of the repo (read
with ``ast``, never imported), nginx ``location`` blocks and middleware that
answer a path themselves; and the production Django settings, resolved
statically through their layers. Rules (``--skip`` one, ``--enable`` an
off-by-default one): service-without-healthcheck, missing-readiness,
probe-path-not-a-route, probe-host-rejected, probe-port-not-exposed,
probe-checks-nothing, healthcheck-tool-missing; off by
default: identical-liveness-readiness, tcp-only-check. What cannot be told
(a templated path, an env var in a URL, a script, a third-party include) is
not a finding: one notice says how many, ``--verbose`` lists them.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from hooks.core.api import Hook, Option, Problem, UsageError
from hooks.core.records import field, record

if TYPE_CHECKING:
    from hooks.checks.check_health_checks.judge import Finding
    from hooks.core.runner import Context

RULES = {
    "service-without-healthcheck": True,
    "missing-readiness": True,
    "probe-path-not-a-route": True,
    "probe-host-rejected": True,
    "probe-port-not-exposed": True,
    "probe-checks-nothing": True,
    "healthcheck-tool-missing": True,
    "identical-liveness-readiness": False,
    "tcp-only-check": False,
}


@record
class State:
    rules: set[str] = field(default_factory=set)


def prepare(ctx: Context) -> State:
    skips = [s.strip() for s in ctx.options.skip or [] if s.strip()]
    enables = [s.strip() for s in ctx.options.enable or [] if s.strip()]
    for flag, names in (("--skip", skips), ("--enable", enables)):
        for name in names:
            if name not in RULES:
                raise UsageError(f"{flag} {name}: no such rule (rules: {', '.join(RULES)})")
    rules = {r for r, on in RULES.items() if on or r in enables} - set(skips)
    return State(rules)


def _tracked(paths: Sequence[str]) -> list[str]:
    from hooks.repo import git

    try:
        return sorted(git.tracked_files())
    except Exception:  # not a git work tree or git missing: the given paths are all we know
        return sorted(set(paths))


def check(paths: Sequence[str], ctx: Context) -> Iterator[Problem]:
    from hooks.checks.check_health_checks import judge
    from hooks.config import source
    from hooks.core.runner import first_in_run

    state = ctx.state if isinstance(ctx.state, State) else prepare(ctx)
    limit = ctx.shared.max_file_size
    if paths and not any(_can_change_the_answer(p, limit) for p in paths):
        return  # a commit of views, models, tests: no route, probe or setting changed
    files = [f for f in _tracked(paths) if os.path.isfile(f)]

    def read(path: str) -> str | None:
        try:
            return source.read_text(path, limit)
        except (source.ReadError, source.TooLarge):
            return None

    from hooks.core.cache import directory
    from hooks.repo.git import Grep, blob_ids

    # unchanged files' facts come from the result cache; a file over the read limit reads as empty
    blobs = blob_ids() if directory() is not None else {}
    result = judge.run(files, read, ctx.environment, state.rules, ctx.roles, Grep(), blobs, f"max-file-size={limit}")
    changed = {os.path.normpath(p) for p in paths}
    for line in result.broken:
        ctx.notice(f"{line} (not checked)", once_per_run=True)
    if ctx.verbose:
        for line in result.skipped:
            ctx.notice(f"{line}: skipped", once_per_run=True)
    if not result.checked:
        dev = f" ({len(result.skipped)} development-only or never-started compose file(s) or service(s) skipped)" if result.skipped else ""
        ctx.notice(f"nothing to check: no compose service, Kubernetes workload or Dockerfile HEALTHCHECK of a deployed app{dev}",
                   once_per_run=True)
        return
    if ctx.options.checklist:
        ctx.emit(judge.checklist(result))
    for finding in result.findings:
        if changed and not (changed & {os.path.normpath(s) for s in finding.sources}):
            continue
        # pre-commit may split a long file list over several calls: one of them reports it
        if not first_in_run(HOOK.id, f"{finding.file}:{finding.rule}:{finding.identity}"):
            continue
        ctx.mark_checked(finding.file)
        yield _problem(finding)
    if result.unknown:
        if ctx.verbose:
            for where, why in result.unknown:
                ctx.notice(f"{where}: cannot tell: {why}", once_per_run=True)
        else:
            kinds: dict[str, int] = {}
            for _, why in result.unknown:
                kinds[judge.why_kind(why)] = kinds.get(judge.why_kind(why), 0) + 1
            summary = ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
            ctx.notice(f"{len(result.unknown)} health check(s) could not be judged ({summary}); --verbose lists them",
                       once_per_run=True)


_ROUTING = re.compile(
    r"urlpatterns|ROOT_URLCONF|ALLOWED_HOSTS|MIDDLEWARE|LANGUAGE|PATH_INFO|['\"]path['\"]\]|\.path\b|prefix|"
    r"\.(route|add_url_rule|add_api_route|add_resource|include_router|register_blueprint|mount)\(|"
    r"@\w+\.(get|post|put|delete|patch|head|api_route|websocket)\(|\b(Flask|FastAPI|Starlette|Blueprint|APIRouter)\(")


def _can_change_the_answer(path: str, limit: int) -> bool:
    """A deploy file, an nginx config, a settings module, or Python that routes or answers paths."""
    from hooks.config import formats, source

    if not path.endswith(".py"):
        return True
    if formats.is_settings_module(path):
        return True
    try:
        return bool(_ROUTING.search(source.read_text(path, limit)))
    except (source.ReadError, source.TooLarge):
        return True


def _problem(finding: Finding) -> Problem:
    return Problem(finding.line, 1, f"{finding.rule}: {finding.message}", identity=(finding.rule, *finding.identity), path=finding.file)


HOOK = Hook(
    id="check-health-checks",
    summary="Deployed services declare health checks, at routes the app really serves and Django will answer.",
    check=check,
    reads="files",
    options=(
        Option("skip", "a rule not to check, e.g. probe-host-rejected (repeatable; keep the reason in the settings file)",
               kind="list", metavar="RULE"),
        Option("enable", "an off-by-default rule to check too: identical-liveness-readiness, tcp-only-check (repeatable)",
               kind="list", metavar="RULE"),
        Option("checklist", "print a table of every health check found, the path it asks for and the verdict", kind="bool"),
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
