"""Check that background work (cron lines, Kubernetes CronJobs and Jobs,
Celery, RQ and APScheduler) is logged, bounded and not run twice.

Rules (``--rules`` prints the table; ``--skip RULE`` turns one off, ``--enable
RULE`` turns on an off-by-default one): cron lines that send stderr to
/dev/null; CronJobs that allow overlapping runs, have no starting deadline or
retry 6 times; a celery beat / rqscheduler / APScheduler that runs in several
replicas or workers; a production Celery config with no task time limit or
with eager mode on; the same periodic task scheduled twice. Production Celery
settings are resolved statically through the Django settings layers (the
resolver check-security-settings uses); values read from the environment
count by their default. Helm templates are read with ``{{ }}`` masked and
their values from the chart's values.yaml. What cannot be told statically
(replicas from a variable) is listed with --verbose, never reported.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from hooks.checks.check_background_jobs.rules import RULES, active, unknown
from hooks.core.api import Hook, Option, Problem, UsageError

if TYPE_CHECKING:
    from hooks.core.runner import Context

# Files that can change an answer; the manifest's `files:` is this pattern (a test holds them equal).
FILES = (r"(?x)( \.py$ | \.ya?ml$ | \.ini$ | (^|/)[^/]*crontab[^/]*$ | \.cron$ | (^|/)(cron\.d|crontabs|cron)/[^/]+$"
         r" | (^|/)(Dockerfile|Containerfile)[^/]*$ | \.dockerfile$ | \.sh$ | (^|/)Procfile[^/]*$ | (^|/)entrypoint[^/]*$ )")
RELEVANT = re.compile(FILES)


def prepare(ctx: Context) -> frozenset[str]:
    enable = [s.strip() for s in ctx.options.enable or [] if s.strip()]
    skip = [s.strip() for s in ctx.options.skip or [] if s.strip()]
    for flag, patterns in (("--enable", enable), ("--skip", skip)):
        for pattern in unknown(patterns):
            raise UsageError(f"{flag} {pattern}: no rule matches (rules: {', '.join(r.id for r in RULES)})")
    return active(enable, skip)


def _tracked(paths: Sequence[str]) -> list[str]:
    from hooks.repo import git

    try:
        return sorted(git.tracked_files())
    except git.GitError:  # the runner found the work tree, but `git ls-files` failed (a broken index): the given paths are all we know
        return sorted(set(paths))


_PY_WORDS = re.compile(r"celery|CELERY|task|Scheduler|gunicorn|beat|call_command")


def _may_matter(path: str) -> bool:
    """A staged file that can change an answer: anything the manifest passes but
    Python code, which only matters when it is settings or mentions tasks or schedulers."""
    if not path.endswith(".py"):
        return True
    from hooks.config import formats, source

    if formats.is_settings_module(path) or "settings" in path or "gunicorn" in os.path.basename(path):
        return True
    try:
        return _PY_WORDS.search(source.read_text(path)) is not None
    except (source.ReadError, source.TooLarge):
        return False


def check(paths: Sequence[str], ctx: Context) -> Iterator[Problem]:
    from hooks.checks.check_background_jobs.scan import Scan, run
    from hooks.config import source
    from hooks.repo import production

    rules = ctx.state if isinstance(ctx.state, frozenset) else active([], [])
    if ctx.options.rules and getattr(ctx.shared, "format", "text") in ("json", "sarif"):
        ctx.notice("--rules is not printed with --format json/sarif; run it with the text format")
    elif ctx.options.rules:
        ctx.emit(rule_table(rules))
    if paths and not any(_may_matter(p) for p in paths):
        ctx.notice("nothing to check: the changed files hold no cron lines, manifests, scheduler or Celery code")
        return
    files = [f for f in _tracked(paths) if RELEVANT.search(f) and os.path.isfile(f)]
    max_bytes = ctx.shared.max_file_size

    def read(path: str) -> str | None:
        try:
            return source.read_text(path, max_bytes)
        except (source.ReadError, source.TooLarge):
            return None

    patterns = dict(ctx.environments) if ctx.environments else None

    def environment(path: str) -> str | None:
        role = ctx.role(path)
        if role.role in ("dev-environment",):
            return "development"
        if role.role in ("test-data", "ci-config"):
            return "test"
        return ctx.environment(path)

    def settings_environment(path: str) -> str | None:
        if ctx.role(path).role in ("test-data", "dev-environment", "ci-config", "docs-and-samples"):
            return "test"
        return production.environment(path, ctx.roles, patterns)

    explicit = list(ctx.options.production_settings or [])
    for path in explicit:
        if not os.path.isfile(path):
            raise UsageError(f"--production-settings {path}: no such file")
    from hooks.repo.git import Grep

    scan = Scan(files, read, os.path.isfile, environment, settings_environment, rules, explicit)
    scan.grep = Grep()  # a loop reads only the files that can hold what it looks for
    from hooks.core.cache import directory
    from hooks.repo.git import blob_ids

    if directory() is not None:  # unchanged files' tasks come from the result cache
        scan.blobs = blob_ids()
        scan.salt = f"max-file-size={max_bytes}"  # a file over it reads as empty
    run(scan)
    scan.save()
    given = {os.path.normpath(p) for p in paths}
    for path in dict.fromkeys(scan.checked):
        ctx.mark_checked(path)
    reported = 0
    for f in scan.found:
        if given and not given & {os.path.normpath(p) for p in f.related}:
            continue
        reported += 1
        yield Problem(f.line, 1, f.message, f.identity, path=f.path)
    if ctx.verbose:
        for note in dict.fromkeys(scan.notes):
            ctx.notice(f"unknown: {note}")
    elif scan.notes:
        ctx.notice(f"{len(set(scan.notes))} value(s) could not be read statically (replicas or worker counts from "
                   "variables); --verbose lists them")
    if not scan.checked:
        ctx.notice("nothing to check: no cron lines, CronJobs, Jobs, schedulers or Celery config found")
    elif not reported:
        counts = scan.counts or {"file": len(set(scan.checked))}
        seen = ", ".join(f"{n} {what}{'s' if n != 1 else ''}" for what, n in counts.items())
        files = sorted(set(scan.checked))
        named = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        ctx.notice(f"checked {seen} ({named}): nothing to report")


def rule_table(rules: frozenset[str]) -> str:
    lines = ["| rule | default | this run | flags |", "|---|---|---|---|"]
    for r in RULES:
        lines.append(f"| {r.id} | {'on' if r.default else 'off'} | {'on' if r.id in rules else 'off'} | {r.summary} |")
    return "\n".join(lines) + "\n"


HOOK = Hook(
    id="check-background-jobs",
    summary="Background jobs (cron, CronJobs, Celery, RQ, APScheduler) are logged, bounded and not run twice.",
    check=check,
    reads="files",
    options=(
        Option("skip", "a rule not to check, e.g. cronjob-deadline (repeatable, globs; keep the reason in the settings file)",
               kind="list", metavar="RULE"),
        Option("enable", f"an off-by-default rule to check: {', '.join(r.id for r in RULES if not r.default)} (repeatable)",
               kind="list", metavar="RULE"),
        Option("rules", "print the rule table (default, on in this run, what it flags)", kind="bool"),
        Option("production-settings", "the production Django settings module the Celery app reads, where the naming "
               "convention fails (repeatable)", kind="list", metavar="PATH"),
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
