"""The rules of check-background-jobs: id, whether it runs by default, and what it flags.

The table is data; ``--skip RULE`` turns a rule off and ``--enable RULE``
turns an off-by-default rule on (both take globs, as check-security-settings'
``--skip`` does).
"""
from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase

from hooks.core.records import record


@record(frozen=True)
class Rule:
    id: str
    default: bool
    summary: str


RULES: tuple[Rule, ...] = (
    Rule("cron-discards-errors", True, "a cron line sends stderr to /dev/null, so nobody hears when the job fails"),
    Rule("cronjob-concurrency", True, "a Kubernetes CronJob allows overlapping runs (concurrencyPolicy unset or Allow)"),
    Rule("cronjob-deadline", True, "a Kubernetes CronJob has no startingDeadlineSeconds"),
    Rule("cronjob-active-deadline", False, "a Kubernetes CronJob's job template has no activeDeadlineSeconds"),
    Rule("job-retries-history", True, "a CronJob or Job leaves backoffLimit unset (6 retries) or keeps no failed jobs"),
    Rule("singleton-scheduler-scaled", True, "a scheduler that must run once (celery beat, rqscheduler, APScheduler) runs in several replicas or workers"),
    Rule("task-time-limit", True, "the production Celery config sets no task time limit"),
    Rule("eager-in-production", True, "Celery runs tasks eagerly (inline) in production"),
    Rule("schedule-defined-twice", True, "the same periodic task is scheduled in two places"),
    Rule("acks-late-unsafe", False, "task_acks_late without task_reject_on_worker_lost, or a visibility timeout shorter than a time limit"),
    Rule("cron-no-overlap-guard", False, "a cron job running more often than hourly has no flock/run-one lock"),
)
BY_ID = {r.id: r for r in RULES}


def matches(rule: str, patterns: Sequence[str]) -> bool:
    return any(fnmatchcase(rule, p) for p in patterns)


def unknown(patterns: Sequence[str]) -> list[str]:
    return [p for p in patterns if not any(fnmatchcase(r.id, p) for r in RULES)]


def active(enable: Sequence[str], skip: Sequence[str]) -> frozenset[str]:
    """The rules that run: the default ones and the enabled ones, less the skipped."""
    return frozenset(r.id for r in RULES if (r.default or matches(r.id, enable)) and not matches(r.id, skip))
