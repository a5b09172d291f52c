"""check-background-jobs through the real pre-commit, in a temporary git repo:
an all-files run reports each planted problem once; a commit that stages only a
view runs nothing; one that stages the crontab reports the crontab only; one that
stages a settings layer re-checks the production Celery config."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import PreCommit, git, write_files
from tests.helpers.background_jobs import django_project

CRONTAB = "*/5 * * * * cd /srv/shop && python manage.py sync_orders >/dev/null 2>&1\n0 3 * * * python manage.py clearsessions >/dev/null\n"
CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: import-orders
spec:
  schedule: "*/10 * * * *"
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 300
  jobTemplate:
    spec:
      backoffLimit: 1
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: import
              image: shop:1.0
              command: ["python", "manage.py", "import_orders"]
"""


def test_through_precommit(precommit: PreCommit, tmp_path: Path) -> None:
    files = django_project("CELERY_TASK_TIME_LIMIT = 600\n")
    files.update({"deploy/crontab": CRONTAB, "deploy/k8s/cronjob.yaml": CRONJOB, "shop/views.py": "def index(request):\n    return None\n"})
    repo = precommit.make_repo(tmp_path / "shop", files)
    (repo / ".pre-commit-config.yaml").write_text(precommit.config([{"id": "check-background-jobs"}]))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "config", "--no-verify")

    everything = precommit.run(repo, "run", "--all-files")
    out = everything.stdout
    assert everything.returncode == 1, out + everything.stderr
    lines = [line for line in out.splitlines() if ": check-background-jobs: " in line]
    assert lines == ["deploy/crontab:1:1: check-background-jobs: cron-discards-errors: `python manage.py sync_orders` sends "
                     "stderr to /dev/null (>/dev/null 2>&1), so nobody hears when the job fails; send it to a log file or to "
                     "cron's mail (keep `>/dev/null` for stdout alone if you must)"]

    # Only a view is staged: no file can change the answer, so pre-commit skips the hook.
    write_files(repo, {"shop/views.py": "def index(request):\n    return 1\n"})
    git(repo, "add", "shop/views.py")
    view = precommit.run(repo, "run")
    assert view.returncode == 0, view.stdout
    assert "check background jobs" in view.stdout and "Passed" in view.stdout
    git(repo, "commit", "-q", "-m", "view", "--no-verify")

    # A settings layer drops the limit: the production config is re-checked.
    write_files(repo, {"shop/settings/base.py": files["shop/settings/base.py"].replace("CELERY_TASK_TIME_LIMIT = 600\n", "")})
    git(repo, "add", "shop/settings/base.py")
    layer = precommit.run(repo, "run")
    assert layer.returncode == 1
    assert "shop/settings/production.py:1:1: check-background-jobs: task-time-limit:" in layer.stdout
    assert "deploy/crontab" not in layer.stdout  # not staged: not re-reported
