"""check-background-jobs reads only the files git grep says can hold what its
loops look for (hooks.repo.git.Grep): the findings must be those of a run that
reads every file, on a project shaped like a real Django + Celery service."""
from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import HookResult
from tests.helpers.background_jobs import BARE_CRONJOB as CRONJOB
from tests.helpers.background_jobs import TASKS, django_project
from tests.helpers.prefilter import both, git_repo

APSCHEDULER = '''\
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

app = Flask(__name__)
scheduler = BackgroundScheduler()
scheduler.start()
'''
SLOW_TASK = '''\
from celery import shared_task
from django.core.management import call_command


@shared_task(bind=True)
def rebuild_search_index(self):
    call_command("rebuild_index")
'''
BEAT = ('CELERY_BEAT_SCHEDULE = {"sync": {"task": "orders.tasks.sync_orders", "schedule": 300.0},\n'
        '                        "index": {"task": "search.tasks.rebuild_search_index", "schedule": 3600.0}}\n')


def project() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(django_project(base_extra=BEAT, production_extra="CELERY_TASK_ALWAYS_EAGER = True\n"))
    files.update({
        "deploy/k8s/cron-import.yml": CRONJOB,
        "ops/crontab": "*/5 * * * * cd /srv/shop && python manage.py sync_orders 2>/dev/null\n"
                       "0 * * * * cd /srv/shop && python manage.py rebuild_index >> /var/log/index.log 2>&1\n",
        "web/app.py": APSCHEDULER,
        "gunicorn.conf.py": "workers = 4\n",
        # a byte search for "task" misses UTF-16; the hook decodes it
        "search/tasks.py": b"\xff\xfe" + SLOW_TASK.encode("utf-16-le"),
        "orders/more tasks \u00e9.py": TASKS.replace("sync_orders", "sync_refunds").replace("send_digest", "send_report"),
        "orders/views.py": "from django.http import JsonResponse\n\n\ndef index(request):\n    return JsonResponse({})\n",
    })
    return files


@pytest.mark.parametrize("args", [(), ("--enable", "task-time-limit"), ("shop/settings/production.py",)])
def test_same_findings_with_and_without_the_prefilter(args: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     run_hook: Callable[..., HookResult]) -> None:
    monkeypatch.chdir(git_repo(tmp_path / "repo", project()))
    fast, slow, fast_reads, slow_reads = both(run_hook, monkeypatch, "check-background-jobs", "--verbose", *args)
    assert (fast.code, fast.out, fast.err) == (slow.code, slow.out, slow.err)
    assert "eager-in-production" in fast.out
    if not args:  # both tasks the cron lines also run: one of them only in the UTF-16 module
        assert "manage.py sync_orders` runs from cron and also from celery beat" in fast.out
        assert "manage.py rebuild_index` runs from cron and also from celery beat" in fast.out
    assert fast_reads < slow_reads  # the prefilter did skip files


def run_cached(run_hook: Callable[..., HookResult], monkeypatch: pytest.MonkeyPatch, cache: Path | None) -> HookResult:
    monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_PREFILTER", raising=False)
    if cache is None:
        monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1")
    else:
        monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_CACHE", raising=False)
        monkeypatch.setenv("LEGACY_CONFIG_HOOKS_CACHE_DIR", str(cache))
    return run_hook("check-background-jobs", "--verbose")


# 0: every file the cache lacks goes through git grep first (one without tasks kept as []); 40: all read directly
@pytest.mark.parametrize("direct", [0, 40])
def test_the_result_cache_gives_the_same_findings_and_never_a_stale_one(
        direct: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_hook: Callable[..., HookResult]) -> None:
    from hooks.checks.check_background_jobs import scan

    monkeypatch.setattr(scan, "READ_WITHOUT_GREP", direct)
    repo = git_repo(tmp_path / "repo", project())
    monkeypatch.chdir(repo)
    cache = tmp_path / "cache"
    off = run_cached(run_hook, monkeypatch, None)
    cold = run_cached(run_hook, monkeypatch, cache)
    kept = list(cache.glob("check-background-jobs-tasks-*.json"))
    assert len(kept) == 1 and "sync_orders" in kept[0].read_text()
    warm = run_cached(run_hook, monkeypatch, cache)
    assert off == cold == warm
    assert "manage.py sync_orders` runs from cron" in warm.out
    # the task stops calling the command: committed (a new blob) and left in the work tree only (no blob)
    tasks = repo / "orders" / "tasks.py"
    tasks.write_text(tasks.read_text().replace('call_command("sync_orders")', "pass"))
    dirty = run_cached(run_hook, monkeypatch, cache)
    subprocess.run(["git", "commit", "-qam", "y"], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})
    committed = run_cached(run_hook, monkeypatch, cache)
    fresh = run_cached(run_hook, monkeypatch, None)
    assert dirty == committed == fresh
    assert "sync_orders` runs from cron" not in fresh.out and "rebuild_index` runs from cron" in fresh.out
    # a module kept as holding no task gains one: its new content is read
    def views_entries() -> list[object]:
        (kept,) = cache.glob("check-background-jobs-tasks-*.json")
        return [v for k, v in json.loads(kept.read_text())["entries"].items() if k.endswith(":orders/views.py")]

    assert views_entries() == [[]]
    views = repo / "orders" / "views.py"
    views.write_text(views.read_text() + '\n\nfrom celery import shared_task\n\n\n@shared_task\ndef resync():\n'
                     '    from django.core.management import call_command\n    call_command("sync_orders")\n')
    commit_env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                  "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", "commit", "-qam", "z"], cwd=repo, check=True, capture_output=True, env=commit_env)
    again, again_off = run_cached(run_hook, monkeypatch, cache), run_cached(run_hook, monkeypatch, None)
    assert again == again_off
    assert any("resync" in str(v) for v in views_entries())  # read and kept anew, beside the old content's []


@pytest.mark.parametrize("damage", ["{not json", '{"tool": "legacy-config-hooks", "format": 1, "entries": {}}', "entries"])
def test_a_damaged_or_foreign_cache_file_is_not_trusted(damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       run_hook: Callable[..., HookResult]) -> None:
    monkeypatch.chdir(git_repo(tmp_path / "repo", project()))
    cache = tmp_path / "cache"
    off = run_cached(run_hook, monkeypatch, None)
    run_cached(run_hook, monkeypatch, cache)
    (kept,) = cache.glob("check-background-jobs-tasks-*.json")
    if damage == "entries":  # right header, wrong shapes: every task entry becomes a list of strings
        data = json.loads(kept.read_text())
        data["entries"] = {key: ["x"] for key in data["entries"]}
        kept.write_text(json.dumps(data))
    else:
        kept.write_text(damage)
    assert run_cached(run_hook, monkeypatch, cache) == off


def test_a_task_module_the_hooks_cannot_parse_is_reported_on_every_run_not_kept_as_taskless(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_hook: Callable[..., HookResult]) -> None:
    # PEP 695 (Python 3.12): on an older interpreter the module does not parse, and a warm
    # run must say so again, not read "no tasks" from the cache (readthedocs.org did).
    from hooks.checks.check_background_jobs import scan

    monkeypatch.setattr(scan, "READ_WITHOUT_GREP", 40)
    files = project()
    files["reports/tasks.py"] = ("from celery import shared_task\n\ntype Rows = list[dict[str, int]]\n\n\n"
                                 "@shared_task\ndef build_report():\n    return 1\n")
    monkeypatch.chdir(git_repo(tmp_path / "repo", files))
    cache = tmp_path / "cache"
    cold = run_cached(run_hook, monkeypatch, cache)
    warm = run_cached(run_hook, monkeypatch, cache)
    off = run_cached(run_hook, monkeypatch, None)
    assert cold == warm == off
    import sys

    if sys.version_info < (3, 12):
        assert "reports/tasks.py" in warm.out and "needs Python" in warm.out
