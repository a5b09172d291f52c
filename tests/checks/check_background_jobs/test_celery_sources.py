"""Where the production Celery config comes from and how its values are judged:
settings modules found with and without the app's DJANGO_SETTINGS_MODULE default,
apps the hook cannot read, limits that do not count, per-task limits and the
other ways a periodic task gets a second schedule (catch / leave-alone pairs)."""
from __future__ import annotations

import pytest

from tests.helpers.background_jobs import BASE, PRODUCTION, TASKS, django_project

# A celery.py with no os.environ.setdefault (the settings module comes from the deployment).
NO_HINT_APP = 'from celery import Celery\n\napp = Celery("shop")\napp.config_from_object("django.conf:settings", namespace="CELERY")\n'


def _no_hint_project(base_extra: str = "") -> dict[str, str]:
    return {
        "config/__init__.py": "",
        "config/celery_app.py": NO_HINT_APP,
        "config/settings/__init__.py": "",
        "config/settings/base.py": BASE.format(extra=base_extra),
        "config/settings/local.py": "from .base import *  # noqa\n\nCELERY_TASK_ALWAYS_EAGER = True\n",
        "config/settings/production.py": PRODUCTION.format(extra=""),
        "orders/__init__.py": "",
        "orders/tasks.py": TASKS,
    }


def test_without_a_settings_default_the_production_module_is_judged(jobs, rule_ids) -> None:
    r = jobs(_no_hint_project())
    assert rule_ids(r) == ["task-time-limit"]
    assert r.lines[0].startswith("config/settings/production.py:")
    assert "(layers: config/settings/base.py -> config/settings/production.py)" in r.lines[0]


def test_without_a_settings_default_a_limit_in_base_passes(jobs) -> None:
    r = jobs(_no_hint_project("CELERY_TASK_TIME_LIMIT = 600\n"))
    assert (r.code, r.lines) == (0, [])
    assert "checked 1 production Celery config (config/settings/production.py)" in r.err


@pytest.mark.parametrize("app", [NO_HINT_APP, NO_HINT_APP.replace(
    "from celery", 'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\nfrom celery')])
@pytest.mark.parametrize("beside", ["", "local_settings.py", "test_settings.py", "staging_settings.py"])
def test_a_single_settings_module_is_judged(jobs, rule_ids, app: str, beside: str) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/celery.py": app,
        "shop/settings.py": 'import os\nSECRET_KEY = os.environ["K"]\nINSTALLED_APPS = []\nCELERY_BROKER_URL = "redis://redis"\n'
                            "try:\n    from .local_settings import *  # noqa\nexcept ImportError:\n    pass\n",
    }
    if beside:  # a development override, the test settings or a staging layer beside it
        files[f"shop/{beside}"] = "from .settings import *  # noqa\n\nDEBUG = True\nCELERY_TASK_ALWAYS_EAGER = True\n"
    r = jobs(files)
    assert rule_ids(r) == ["task-time-limit"]
    assert r.lines[0].startswith("shop/settings.py:4:1:")


def test_default_naming_a_common_layer_with_only_test_settings_beside_it_judges_the_layer(jobs, rule_ids) -> None:
    files = django_project(settings="common")
    files["shop/settings/common.py"] = files.pop("shop/settings/base.py")
    del files["shop/settings/production.py"]
    files["shop/settings/test.py"] = files["shop/settings/test.py"].replace("from .base", "from .common")
    r = jobs(files)
    assert rule_ids(r) == ["task-time-limit"]
    assert r.lines[0].startswith("shop/settings/common.py:")


def test_default_naming_a_base_layer_with_only_staging_beside_it_judges_the_base(jobs, rule_ids) -> None:
    files = django_project(settings="base")
    files["shop/settings/staging.py"] = files.pop("shop/settings/production.py")
    r = jobs(files)
    assert rule_ids(r) == ["task-time-limit"]
    assert r.lines[0].startswith("shop/settings/base.py:")


def test_default_naming_development_settings_with_no_production_module_in_the_repo_is_not_judged(jobs) -> None:
    # production's settings are deployed from elsewhere; the repo holds the local and test ones only
    files = django_project(settings="local")
    for layer in ("base", "production"):
        del files[f"shop/settings/{layer}.py"]
    files["shop/settings/local.py"] = BASE.format(extra="CELERY_TASK_ALWAYS_EAGER = True\n")
    files["shop/settings/test.py"] = files["shop/settings/test.py"].replace("from .base", "from .local")
    r = jobs(files, "--verbose")
    assert (r.code, r.lines) == (0, []), r.lines
    assert ("shop/celery.py:7: the Celery app reads the Django settings, but no production settings module was found "
            "(name it with --production-settings)") in r.err


def test_config_module_outside_the_repo_is_listed_not_judged(jobs) -> None:
    files = {"worker/app.py": 'from celery import Celery\n\napp = Celery("worker")\napp.config_from_object("corp_settings.celery")\n'}
    r = jobs(files, "--verbose")
    assert (r.code, r.lines) == (0, [])
    assert "worker/app.py:3: the Celery config comes from corp_settings.celery, which is not a module of the repo" in r.err


def test_an_app_module_that_does_not_parse_is_skipped_and_the_others_judged(jobs, rule_ids) -> None:
    files = django_project()
    files["legacy/celery_old.py"] = 'from celery import Celery\napp = Celery("old"\n'
    r = jobs(files)
    assert rule_ids(r) == ["task-time-limit"]
    assert r.lines[0].startswith("shop/settings/production.py:")


def test_celery_called_but_never_assigned_is_no_app(jobs) -> None:
    files = {"worker/factory.py": 'from celery import Celery\n\n\ndef make():\n    return Celery("worker", broker="redis://redis")\n'}
    r = jobs(files)
    assert (r.code, r.lines) == (0, [])
    assert "nothing to check: no cron lines, CronJobs, Jobs, schedulers or Celery config found" in r.err


@pytest.mark.parametrize("limit", ["CELERY_TASK_TIME_LIMIT = None\n", "CELERY_TASK_TIME_LIMIT = 0\n",
                                   'CELERY_TASK_ANNOTATIONS = {"orders.tasks.sync_orders": {"rate_limit": "10/m"}}\n'])
def test_limits_that_do_not_limit_are_caught(jobs, rule_ids, limit: str) -> None:
    assert rule_ids(jobs(django_project(limit))) == ["task-time-limit"]


@pytest.mark.parametrize("limit", [
    "CELERY_TASK_ANNOTATIONS = build_annotations()\n",  # not readable statically: say nothing
    'if os.environ.get("SLOW_TASKS"):\n    CELERY_TASK_SOFT_TIME_LIMIT = 3000\nelse:\n    CELERY_TASK_SOFT_TIME_LIMIT = 300\n',
    'CELERY_TASK_ANNOTATIONS = {"*": {"soft_time_limit": 300}}\n',
])
def test_limits_set_in_ways_a_reader_cannot_see_or_on_a_branch_are_left_alone(jobs, limit: str) -> None:
    r = jobs(django_project(limit))
    assert (r.code, r.lines) == (0, [])


LIMITED_TASKS = '''\
from celery import shared_task
from django.core.management import call_command

from shop.retry import with_retries


@with_retries
@shared_task(name="orders.sync", time_limit=900)
def sync_orders():
    call_command("sync_orders")


@shared_task(soft_time_limit=60)
def send_digest():
    return None
'''


def test_a_limit_on_every_task_counts(jobs) -> None:
    files = django_project()
    files["orders/tasks.py"] = LIMITED_TASKS
    r = jobs(files)
    assert (r.code, r.lines) == (0, [])


def test_a_limit_on_some_tasks_only_is_caught(jobs, rule_ids) -> None:
    files = django_project()
    files["orders/tasks.py"] = LIMITED_TASKS.replace("@shared_task(soft_time_limit=60)", "@shared_task")
    assert rule_ids(jobs(files)) == ["task-time-limit"]


def test_a_task_registered_under_its_own_name_matches_the_schedule_and_the_crontab(jobs, rule_ids) -> None:
    files = django_project('CELERY_BEAT_SCHEDULE = {"sync": {"task": "orders.sync", "schedule": 300.0}}\n')
    files["orders/tasks.py"] = LIMITED_TASKS
    files["deploy/crontab"] = "*/5 * * * * cd /srv/shop && python manage.py sync_orders >> /var/log/sync.log 2>&1\n"
    r = jobs(files)
    assert rule_ids(r) == ["schedule-defined-twice"]
    assert "also from celery beat as orders.sync (beat_schedule)" in r.lines[0]


PERIODIC = '''\
from datetime import timedelta

from celery.decorators import periodic_task


@periodic_task(run_every=timedelta(minutes=5))
def sync_orders():
    return None
'''


def test_periodic_task_decorator_and_beat_schedule_are_two_schedules(jobs, rule_ids) -> None:
    files = django_project('CELERY_BEAT_SCHEDULE = {"sync": {"task": "orders.periodic.sync_orders", "schedule": 300.0}}\n'
                           "CELERY_TASK_TIME_LIMIT = 300\n")
    files["orders/periodic.py"] = PERIODIC
    r = jobs(files)
    assert rule_ids(r) == ["schedule-defined-twice"]
    assert "task orders.periodic.sync_orders is scheduled twice (beat_schedule sync and periodic_task sync_orders)" in r.lines[0]


def test_periodic_task_decorator_alone_is_one_schedule(jobs) -> None:
    files = django_project("CELERY_TASK_TIME_LIMIT = 300\n")
    files["orders/periodic.py"] = PERIODIC
    assert jobs(files).code == 0


PERIODIC_SETUP = ("\n\n@app.on_after_configure.connect\ndef setup_periodic_tasks(sender, **kwargs):\n"
                  "    from orders.tasks import send_digest\n\n    {call}\n")


@pytest.mark.parametrize("call", [
    'sender.add_periodic_task(3600.0, sig=signature("orders.tasks.send_digest"))',
    "sender.add_periodic_task(3600.0, send_digest)",
])
def test_add_periodic_task_spellings_are_read(jobs, rule_ids, call: str) -> None:
    files = django_project('CELERY_BEAT_SCHEDULE = {"digest": {"task": "orders.tasks.send_digest", "schedule": 3600.0}}\n'
                           "CELERY_TASK_TIME_LIMIT = 300\n")
    files["shop/celery.py"] += PERIODIC_SETUP.format(call=call)
    assert rule_ids(jobs(files)) == ["schedule-defined-twice"]


def test_add_periodic_task_with_a_signature_built_elsewhere_is_not_guessed(jobs) -> None:
    files = django_project('CELERY_BEAT_SCHEDULE = {"digest": {"task": "orders.tasks.send_digest", "schedule": 3600.0}}\n'
                           "CELERY_TASK_TIME_LIMIT = 300\n")
    files["shop/celery.py"] += PERIODIC_SETUP.format(call="sender.add_periodic_task(3600.0, DIGESTS[0])")
    assert jobs(files).code == 0


@pytest.mark.parametrize("tasks_path", ["src/orders/tasks.py", "orders/tasks/__init__.py"])
def test_task_module_names_follow_src_layouts_and_packages(jobs, rule_ids, tasks_path: str) -> None:
    files = django_project('CELERY_BEAT_SCHEDULE = {"sync": {"task": "orders.tasks.sync_orders", "schedule": 300.0}}\n'
                           "CELERY_TASK_TIME_LIMIT = 300\n")
    del files["orders/tasks.py"]
    files[tasks_path] = TASKS
    files["deploy/crontab"] = "*/5 * * * * cd /srv/shop && python manage.py sync_orders >> /var/log/sync.log 2>&1\n"
    r = jobs(files)
    assert rule_ids(r) == ["schedule-defined-twice"]
    assert r.lines[0].startswith("deploy/crontab:1:1:")


def test_a_package_named_with_an_environment_word_inside_is_still_production(jobs, rule_ids) -> None:
    """Held-out round (first wave) 2: the only settings module of
    ``seed_stage_based_messaging/`` was read as staging ("stage" inside the package
    name), so its Celery config was never judged."""
    files = {
        "seed_stage_app/__init__.py": "",
        "seed_stage_app/celery.py": NO_HINT_APP.replace('"shop"', '"seed_stage_app"'),
        "seed_stage_app/settings.py": 'import os\nSECRET_KEY = os.environ["K"]\nINSTALLED_APPS = []\n'
                                      'CELERY_BROKER_URL = "redis://redis"\nCELERY_WORKER_MAX_TASKS_PER_CHILD = 50\n',
        "Dockerfile": "FROM python:3.6\nENV DJANGO_SETTINGS_MODULE=seed_stage_app.settings\n",
    }
    r = jobs(files)
    assert rule_ids(r) == ["task-time-limit"]
    assert r.lines[0].startswith("seed_stage_app/settings.py:")


def test_a_staging_folder_affix_still_names_staging(jobs) -> None:
    files = {
        "app_staging/__init__.py": "",
        "app_staging/celery.py": NO_HINT_APP,
        "app_staging/settings.py": 'import os\nSECRET_KEY = os.environ["K"]\nINSTALLED_APPS = []\nCELERY_BROKER_URL = "redis://redis"\n',
    }
    r = jobs(files)
    assert "task-time-limit" not in r.out
