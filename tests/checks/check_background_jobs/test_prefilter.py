"""check-background-jobs reads only the files git grep says can hold what its
loops look for (hooks.repo.git.Grep): the findings must be those of a run that
reads every file, on a project shaped like a real Django + Celery service."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import HookResult
from tests.helpers.background_jobs import TASKS, django_project
from tests.helpers.prefilter import both, git_repo

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: import-orders
spec:
  schedule: "*/10 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: import
              image: registry.example.com/shop:1.4.2
              command: ["python", "manage.py", "import_orders"]
"""
APSCHEDULER = '''\
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

app = Flask(__name__)
scheduler = BackgroundScheduler()
scheduler.start()
'''
SLOW_TASK = '''\
from celery import shared_task


@shared_task(bind=True)
def rebuild_search_index(self):
    return None
'''


def project() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(django_project(production_extra="CELERY_TASK_ALWAYS_EAGER = True\n"))
    files.update({
        "deploy/k8s/cron-import.yml": CRONJOB,
        "ops/crontab": "*/5 * * * * cd /srv/shop && python manage.py sync_orders 2>/dev/null\n",
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
    assert fast_reads < slow_reads  # the prefilter did skip files
