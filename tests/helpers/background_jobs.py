"""Fixture projects shared by the Celery tests and the differential test against
Celery itself (a helper module: no tests here)."""
from __future__ import annotations

CELERY_APP = '''\
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.{settings}")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
'''
BASE = '''\
import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only")
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = ["shop.example.com"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0")
CELERY_TASK_SERIALIZER = "json"
{extra}'''
PRODUCTION = "from .base import *  # noqa\n\nALLOWED_HOSTS = [\"shop.example.com\"]\n{extra}"
TEST = "from .base import *  # noqa\n\nCELERY_TASK_ALWAYS_EAGER = True\nCELERY_TASK_EAGER_PROPAGATES = True\n"
TASKS = '''\
from celery import shared_task
from django.core.management import call_command


@shared_task
def sync_orders():
    call_command("sync_orders")


@shared_task
def send_digest():
    return None
'''


def django_project(base_extra: str = "", production_extra: str = "", settings: str = "production") -> dict[str, str]:
    return {
        "shop/__init__.py": "",
        "shop/celery.py": CELERY_APP.format(settings=settings),
        "shop/settings/__init__.py": "",
        "shop/settings/base.py": BASE.format(extra=base_extra),
        "shop/settings/production.py": PRODUCTION.format(extra=production_extra),
        "shop/settings/test.py": TEST,
        "orders/__init__.py": "",
        "orders/tasks.py": TASKS,
    }


def celeryconfig_project(config: str, app_extra: str = "") -> dict[str, str]:
    return {
        "worker/__init__.py": "",
        "worker/app.py": ('from celery import Celery\n\napp = Celery("worker")\n'
                          'app.config_from_object("worker.celeryconfig")\n' + app_extra),
        "worker/celeryconfig.py": config,
    }


# (name, files, the module Celery is started with, the app's module)
PROJECTS: list[tuple[str, dict[str, str], str, str]] = [
    ("namespace-no-limit", django_project(), "shop.settings.production", "shop.celery"),
    ("namespace-limit-from-env-default", django_project(
        'CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "1800"))\n'
        'CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", 1500))\n'),
     "shop.settings.production", "shop.celery"),
    ("namespace-eager-env-default-true", django_project(
        'CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_EAGER", "true").lower() == "true"\n'),
     "shop.settings.production", "shop.celery"),
    ("namespace-eager-off-in-production", django_project(
        "CELERY_TASK_ALWAYS_EAGER = True\n", "CELERY_TASK_ALWAYS_EAGER = False\nCELERY_TASK_TIME_LIMIT = 600\n"),
     "shop.settings.production", "shop.celery"),
    ("namespace-old-names", django_project(
        "CELERY_ALWAYS_EAGER = True\nCELERYD_TASK_SOFT_TIME_LIMIT = 120\n"),
     "shop.settings.production", "shop.celery"),
    ("namespace-schedule-in-layers", django_project(
        'CELERY_BEAT_SCHEDULE = {"sync": {"task": "orders.tasks.sync_orders", "schedule": 300.0}}\n',
        'CELERY_BEAT_SCHEDULE["sync-again"] = {"task": "orders.tasks.sync_orders", "schedule": 300.0}\n'
        "CELERY_TASK_TIME_LIMIT = 600\n"),
     "shop.settings.production", "shop.celery"),
    ("namespace-acks-late", django_project(
        "CELERY_TASK_ACKS_LATE = True\nCELERY_TASK_TIME_LIMIT = 7200\n"
        'CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}\n'),
     "shop.settings.production", "shop.celery"),
    ("django-no-namespace-new-names-ignored", {
        **django_project("CELERY_TASK_TIME_LIMIT = 300\nCELERY_TASK_ALWAYS_EAGER = True\n"),
        "shop/celery.py": CELERY_APP.format(settings="production").replace(', namespace="CELERY"', ""),
    }, "shop.settings.production", "shop.celery"),
    ("django-settings-object-old-names", {
        **django_project("CELERYD_TASK_TIME_LIMIT = 300\nCELERY_ALWAYS_EAGER = False\n"),
        "shop/celery.py": CELERY_APP.format(settings="production").replace(
            'app.config_from_object("django.conf:settings", namespace="CELERY")',
            "from django.conf import settings  # noqa: E402\n\napp.config_from_object(settings)"),
    }, "shop.settings.production", "shop.celery"),
    ("celeryconfig-lowercase", celeryconfig_project(
        'import os\n\nbroker_url = os.environ.get("BROKER_URL", "redis://localhost")\ntask_soft_time_limit = 300\n'
        "task_always_eager = False\n"),
     "", "worker.app"),
    ("celeryconfig-old-names", celeryconfig_project(
        'BROKER_URL = "redis://localhost"\nCELERYD_TASK_TIME_LIMIT = 900\nCELERY_ALWAYS_EAGER = True\n'),
     "", "worker.app"),
    ("celeryconfig-app-conf-update", celeryconfig_project(
        'broker_url = "redis://localhost"\ntask_always_eager = True\n',
        "app.conf.update(task_always_eager=False, task_time_limit=60)\n"),
     "", "worker.app"),
    ("celeryconfig-conf-update-dict", celeryconfig_project(
        'broker_url = "redis://localhost"\n',
        'HOUR = 3600\napp.conf.update({"task_time_limit": HOUR, "task_acks_late": True})\n'),
     "", "worker.app"),
    ("celeryconfig-conf-attributes", celeryconfig_project(
        'broker_url = "redis://localhost"\n',
        'app.conf.task_soft_time_limit = 240\napp.conf["task_always_eager"] = True\n'),
     "", "worker.app"),
    ("namespace-settings-hint-names-base", django_project(settings="base"), "shop.settings.production", "shop.celery"),
]


# (cron command, stderr discarded?) -- tests/checks/check_background_jobs/test_shell_differential.py
# confirms each verdict with bash itself and with bashlex.
REDIRECTIONS = [
    ("python manage.py sync >/dev/null 2>&1", True),
    ("python manage.py sync > /dev/null 2>&1", True),
    ("python manage.py sync 2>/dev/null", True),
    ("python manage.py sync &>/dev/null", True),
    ("python manage.py sync >& /dev/null", True),
    ("python manage.py sync 1>/dev/null 2>/dev/null", True),
    ("python manage.py sync >>/dev/null 2>&1", True),
    ("cd /srv/app && python manage.py sync > /dev/null 2>&1", True),
    ("(cd /srv/app; ./sync.sh) >/dev/null 2>&1", True),
    ("{ ./a.sh; ./b.sh; } 2>/dev/null", True),
    ("./sync.sh 2>/dev/null | tee -a /var/log/sync.log", True),
    ("python manage.py sync >/dev/null", False),
    ("python manage.py sync > /dev/null", False),
    ("python manage.py sync 2>&1 >/dev/null", False),
    ("python manage.py sync >>/var/log/sync.log 2>&1", False),
    ("python manage.py sync 2>&1 | logger -t sync", False),
    ("test -x /usr/bin/foo 2>/dev/null && /usr/bin/foo", False),
    ("[ -x /usr/sbin/anacron ] || ( cd / && run-parts --report /etc/cron.daily )", False),
    ("which certbot >/dev/null 2>&1 && certbot renew -q", False),
    ('sh -c "python x.py >/dev/null 2>&1"', False),  # inside a string: another shell's business
    ("python manage.py sync 2>/var/log/sync.err", False),
    ("python manage.py sync 2>&1 > /var/log/sync.log", False),
    # quoting, substitutions, comments, reserved words and loops as real crontab lines write them
    ("python manage.py sync --tag 'nightly run' 2>/dev/null", True),
    ('python manage.py notify --msg "it\'s \\"done\\"" >> /var/log/sync.log 2>&1', False),
    ("python manage.py sync --host $(hostname -s) >/dev/null 2>&1", True),
    ("python manage.py sync --host `hostname -s` >> /var/log/sync.log 2>&1", False),
    ("python manage.py sync 2>&1 >/dev/null  # stdout only: cron mails the errors", False),
    ("if [ -f /srv/app/ENABLED ]; then python manage.py sync; fi >/dev/null 2>&1", True),
    ('for f in /srv/queue/*.csv; do python manage.py import "$f"; done 2>/dev/null', True),
    ("LANG=C.UTF-8 python manage.py sync 2>/dev/null", True),
    ("/srv/bin/export --all >/dev/null 2>&1", True),  # the job's own script, not the `export` builtin
    ("/usr/bin/test -x /srv/bin/export && /srv/bin/export --all >> /var/log/export.log 2>&1", False),
    ("/srv/bin/cleanup.sh 2>/dev/null; python manage.py sync >> /var/log/sync.log 2>&1", True),
]

# A Kubernetes CronJob with none of the guards the rules ask for (deadline,
# concurrency policy, history limits): a finding for each default rule.
BARE_CRONJOB = """\
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
