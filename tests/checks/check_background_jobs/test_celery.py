"""task-time-limit, eager-in-production, schedule-defined-twice, acks-late-unsafe
and APScheduler in the web process: catch / leave-alone pairs on Django settings
layers, celeryconfig.py and app.conf.update (the same projects the differential
test loads into Celery itself)."""
from __future__ import annotations

import pytest

from tests.helpers.background_jobs import PROJECTS, TASKS, django_project

EXPECTED = {
    "namespace-no-limit": ["task-time-limit"],
    "namespace-limit-from-env-default": [],
    "namespace-eager-env-default-true": ["eager-in-production", "task-time-limit"],
    "namespace-eager-off-in-production": [],
    "namespace-old-names": ["eager-in-production"],
    "namespace-schedule-in-layers": ["schedule-defined-twice"],
    "namespace-acks-late": [],
    "django-no-namespace-new-names-ignored": ["task-time-limit"],
    "django-settings-object-old-names": [],
    "celeryconfig-lowercase": [],
    "celeryconfig-old-names": ["eager-in-production"],
    "celeryconfig-app-conf-update": [],
    "celeryconfig-conf-update-dict": [],
    "celeryconfig-conf-attributes": ["eager-in-production"],
    "namespace-settings-hint-names-base": ["task-time-limit"],
}


@pytest.mark.parametrize(("name", "files"), [(p[0], p[1]) for p in PROJECTS], ids=[p[0] for p in PROJECTS])
def test_projects(jobs, rule_ids, name: str, files: dict[str, str]) -> None:
    r = jobs(files)
    assert sorted(rule_ids(r)) == EXPECTED[name], r.out


def test_time_limit_finding_names_the_layers_and_the_setting(jobs) -> None:
    r = jobs(django_project())
    assert r.lines == [
        "shop/settings/production.py:1:1: check-background-jobs: task-time-limit: the production Celery config "
        "(layers: shop/settings/base.py -> shop/settings/production.py) sets no task time limit, so a hung task holds its "
        "worker for ever (and with Redis the broker re-delivers it); set CELERY_TASK_TIME_LIMIT (and a soft limit below it), "
        "or start the worker with --time-limit"]


def test_worker_started_with_time_limit_counts(jobs) -> None:
    files = django_project()
    files["Procfile"] = "web: gunicorn shop.wsgi\nworker: celery -A shop worker --time-limit=1800 -l info\n"
    assert jobs(files).code == 0


def test_annotations_for_every_task_count(jobs) -> None:
    assert jobs(django_project('CELERY_TASK_ANNOTATIONS = {"*": {"time_limit": 300}}\n')).code == 0


def test_eager_in_test_and_dev_settings_only_passes(jobs) -> None:
    files = django_project("CELERY_TASK_TIME_LIMIT = 300\n")
    files["shop/settings/dev.py"] = "from .base import *  # noqa\n\nCELERY_TASK_ALWAYS_EAGER = True\n"
    r = jobs(files)
    assert (r.code, r.lines) == (0, [])


def test_eager_line_points_at_the_layer(jobs) -> None:
    r = jobs(django_project("CELERY_TASK_TIME_LIMIT = 300\nCELERY_TASK_ALWAYS_EAGER = True\n"))
    assert len(r.lines) == 1
    assert "CELERY_TASK_ALWAYS_EAGER is True in production (shop/settings/base.py:10)" in r.lines[0]


def test_single_settings_module_is_production(jobs, rule_ids) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/celery.py": 'import os\nfrom celery import Celery\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n'
                          'app = Celery("shop")\napp.config_from_object("django.conf:settings", namespace="CELERY")\n',
        "shop/settings.py": 'import os\nDEBUG = False\nSECRET_KEY = os.environ["K"]\nINSTALLED_APPS = []\n'
                            'CELERY_BROKER_URL = "redis://redis"\n',
    }
    r = jobs(files)
    assert rule_ids(r) == ["task-time-limit"]
    assert r.lines[0].startswith("shop/settings.py:5:1:")


def test_add_periodic_task_and_beat_schedule(jobs, rule_ids) -> None:
    files = django_project('CELERY_BEAT_SCHEDULE = {"digest": {"task": "orders.tasks.send_digest", "schedule": 3600.0}}\n'
                           "CELERY_TASK_TIME_LIMIT = 300\n")
    files["shop/celery.py"] += (
        "\n\n@app.on_after_configure.connect\ndef setup_periodic_tasks(sender, **kwargs):\n"
        "    from orders.tasks import send_digest\n\n    sender.add_periodic_task(3600.0, send_digest.s(), name=\"digest\")\n")
    r = jobs(files)
    assert rule_ids(r) == ["schedule-defined-twice"]
    assert r.lines[0].startswith("shop/celery.py:16:1: check-background-jobs: schedule-defined-twice: task send_digest is scheduled "
                                 "twice (beat_schedule digest and add_periodic_task at line 16)")


def test_beat_and_crontab_running_the_same_command(jobs, rule_ids) -> None:
    files = django_project('CELERY_BEAT_SCHEDULE = {"sync": {"task": "orders.tasks.sync_orders", "schedule": 300.0}}\n'
                           "CELERY_TASK_TIME_LIMIT = 300\n")
    files["deploy/crontab"] = "*/5 * * * * cd /srv/shop && python manage.py sync_orders >> /var/log/sync.log 2>&1\n"
    r = jobs(files)
    assert rule_ids(r) == ["schedule-defined-twice"]
    assert r.lines[0].startswith("deploy/crontab:1:1: check-background-jobs: schedule-defined-twice: `manage.py sync_orders` runs from cron")


def test_database_scheduler_is_not_a_second_schedule(jobs) -> None:
    files = django_project('CELERY_BEAT_SCHEDULE = {"sync": {"task": "orders.tasks.sync_orders", "schedule": 300.0}}\n'
                           'CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"\n'
                           "CELERY_TASK_TIME_LIMIT = 300\n")
    files["orders/migrations/0002_periodic.py"] = (
        "from django.db import migrations\n\n\ndef add(apps, schema_editor):\n"
        "    PeriodicTask = apps.get_model('django_celery_beat', 'PeriodicTask')\n"
        "    PeriodicTask.objects.create(name='sync', task='orders.tasks.sync_orders')\n")
    files["deploy/crontab"] = "0 3 * * * cd /srv/shop && python manage.py clearsessions >> /var/log/c.log 2>&1\n"
    r = jobs(files)
    assert (r.code, r.lines) == (0, [])


def test_same_task_with_different_arguments_is_not_twice(jobs) -> None:
    files = django_project('CELERY_BEAT_SCHEDULE = {\n'
                           '    "digest-daily": {"task": "orders.tasks.send_digest", "schedule": 86400.0, "args": ("daily",)},\n'
                           '    "digest-weekly": {"task": "orders.tasks.send_digest", "schedule": 604800.0, "args": ("weekly",)},\n'
                           '}\nCELERY_TASK_TIME_LIMIT = 300\n')
    assert jobs(files).code == 0


def test_acks_late_when_enabled(jobs, rule_ids) -> None:
    files = next(p[1] for p in PROJECTS if p[0] == "namespace-acks-late")
    r = jobs(files, "--enable", "acks-late-unsafe")
    assert sorted(rule_ids(r)) == ["acks-late-unsafe", "acks-late-unsafe"]
    assert any("visibility_timeout (3600s) is shorter than the task time limit (7200s)" in line for line in r.lines)


def test_production_settings_option(jobs, rule_ids) -> None:
    files = django_project(settings="base")
    files["shop/settings/live_eu.py"] = "from .base import *  # noqa\nCELERY_TASK_ALWAYS_EAGER = True\n"
    r = jobs(files, "--production-settings", "shop/settings/live_eu.py")
    assert sorted(rule_ids(r)) == ["eager-in-production", "task-time-limit"]
    assert all(line.startswith("shop/settings/live_eu.py:") for line in r.lines)


APP = '''\
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

app = Flask(__name__)
scheduler = BackgroundScheduler()
scheduler.add_job(send_reminders, "interval", minutes=5)
scheduler.start()
'''


def test_apscheduler_in_gunicorn_with_workers(jobs, rule_ids) -> None:
    r = jobs({"app/__init__.py": APP, "gunicorn.conf.py": "bind = '0.0.0.0:8000'\nworkers = 4\n"})
    assert rule_ids(r) == ["singleton-scheduler-scaled"]
    assert r.lines[0].startswith("app/__init__.py:7:1:")
    assert "gunicorn.conf.py runs 4 workers" in r.lines[0]


@pytest.mark.parametrize("extra", [
    {"gunicorn.conf.py": "workers = 1\n"},
    {"gunicorn.conf.py": "workers = 4\npreload_app = True\n"},
    {"Procfile": "web: gunicorn app:app --preload -w 4\n"},
    {"Procfile": "web: gunicorn app:app -w $WEB_CONCURRENCY\n"},
])
def test_apscheduler_left_alone(jobs, extra: dict[str, str]) -> None:
    r = jobs({"app/__init__.py": APP, **extra})
    assert (r.code, r.lines) == (0, [])


def test_a_view_change_reports_nothing_and_a_settings_change_reports(jobs) -> None:
    files = django_project()
    files["orders/views.py"] = "def index(request):\n    return None\n"
    r = jobs(files, pass_filenames=False)
    assert r.code == 1
    only_view = jobs({"orders/views.py": "def index(request):\n    return 1\n"}, pass_filenames=True)
    assert (only_view.code, only_view.lines) == (0, [])
    assert "nothing to check" in only_view.err
    base = jobs({"shop/settings/base.py": files["shop/settings/base.py"] + "\n"}, pass_filenames=True)
    assert base.code == 1


def test_tasks_module_change_rechecks(jobs) -> None:
    files = django_project("CELERY_TASK_TIME_LIMIT = 300\n")
    assert jobs(files).code == 0
    assert "sync_orders" in TASKS


def test_eager_when_the_broker_variable_is_unset_is_left_alone(jobs) -> None:
    files = django_project('CELERY_TASK_TIME_LIMIT = 300\nif os.environ.get("CELERY_BROKER_URL"):\n'
                           '    CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]\nelse:\n'
                           "    # no broker: run tasks inline\n    CELERY_TASK_ALWAYS_EAGER = True\n")
    r = jobs(files)
    assert (r.code, r.lines) == (0, [])


def test_a_client_app_with_no_config_is_not_judged(jobs) -> None:
    files = {"web/tasks.py": 'from celery import Celery\n\napp = Celery("tasks", broker="redis://redis")\n\n\n'
                             "@app.task\ndef ping():\n    return 1\n",
             "web/factory.py": 'from celery import Celery\n\n\ndef make_celery(app):\n    celery = Celery(app.import_name)\n'
                               "    celery.conf.update(app.config)\n    return celery\n"}
    r = jobs(files, "--verbose")
    assert (r.code, r.lines) == (0, [])
    assert "web/tasks.py:3: a Celery app with no config of its own" in r.err
