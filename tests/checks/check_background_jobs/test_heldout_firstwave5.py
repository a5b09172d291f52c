"""check-background-jobs after the first-wave held-out round 5: a Celery app
configured from a Flask app's config (``config_from_object(app.config["CELERY"])``,
``config_from_object(app.config, namespace="CELERY")``, ``conf.update(app.config)``)
is judged on the settings module the factory loads by name
(``app.config.from_object("shop.settings")``), as a Django-settings Celery app is.
Catch and leave-alone cases on files shaped like real ones."""
from __future__ import annotations

import pytest

FACTORY = '''\
from celery import Celery, Task
from flask import Flask


def create_app(settings_override=None):
    app = Flask(__name__)
    app.config.from_object("shop.settings")
    app.config.from_object(settings_override)
    return app


def make_celery(app):
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.name, task_cls=FlaskTask)
    {configure}
    return celery
'''
SETTINGS = '''\
from decouple import config

REDIS_HOSTNAME = config("REDIS_HOSTNAME", default="redis")

CELERY = {{
    "broker_url": f"redis://{{REDIS_HOSTNAME}}/0",
    "result_backend": f"redis://{{REDIS_HOSTNAME}}/0",
    "task_track_started": True,{extra}
}}
'''
TASKS = '''\
from shop.factory import create_app, make_celery

celery = make_celery(create_app())


@celery.task
def import_participants(upload_id):
    return upload_id
'''


def _project(extra: str = "", configure: str = 'celery.config_from_object(app.config["CELERY"])',
             settings: str | None = None) -> dict[str, str]:
    return {"shop/factory.py": FACTORY.replace("{configure}", configure),
            "shop/settings.py": settings if settings is not None else SETTINGS.format(extra=extra),
            "shop/tasks.py": TASKS}


def test_a_celery_dict_in_the_flask_settings_without_a_limit_is_reported(jobs) -> None:
    r = jobs(_project())
    assert r.lines == [
        "shop/settings.py:5:1: check-background-jobs: task-time-limit: the production Celery config sets no task time "
        "limit, so a hung task holds its worker for ever (and with Redis the broker re-delivers it); set "
        'CELERY["task_time_limit"] (and a soft limit below it), or start the worker with --time-limit'], r.out


@pytest.mark.parametrize("extra", [
    '\n    "task_time_limit": 1800,',
    '\n    "task_soft_time_limit": config("TASK_SOFT_LIMIT", cast=int),',
    '\n    "CELERYD_TASK_TIME_LIMIT": 600,',
    '\n    "task_annotations": {"*": {"time_limit": 300}},',
])
def test_a_celery_dict_with_a_limit_passes(jobs, extra: str) -> None:
    r = jobs(_project(extra))
    assert (r.code, r.lines) == (0, []), r.out


def test_a_worker_started_with_a_time_limit_counts(jobs) -> None:
    files = _project()
    files["Procfile"] = "web: gunicorn shop.wsgi\nworker: celery -A shop.tasks worker --time-limit=1800\n"
    assert jobs(files).code == 0


def test_the_namespace_form_reads_the_upper_case_names(jobs, rule_ids) -> None:
    configure = 'celery.config_from_object(app.config, namespace="CELERY")'
    settings = 'CELERY_BROKER_URL = "redis://redis/0"\n'
    r = jobs(_project(configure=configure, settings=settings))
    assert rule_ids(r) == ["task-time-limit"] and "set CELERY_TASK_TIME_LIMIT" in r.out, r.out
    r = jobs(_project(configure=configure, settings=settings + "CELERY_TASK_TIME_LIMIT = 300\n"))
    assert (r.code, r.lines) == (0, []), r.out


def test_conf_update_with_the_flask_config_reads_the_old_names(jobs, rule_ids) -> None:
    configure = "celery.conf.update(app.config)"
    settings = 'CELERY_BROKER_URL = "redis://redis/0"\nCELERYD_TASK_TIME_LIMIT = 300\n'
    r = jobs(_project(configure=configure, settings=settings))
    assert (r.code, r.lines) == (0, []), r.out


def test_development_settings_alone_are_not_production(jobs) -> None:
    files = _project()
    files["shop/factory.py"] = files["shop/factory.py"].replace('"shop.settings"', '"shop.development_settings"')
    files["shop/development_settings.py"] = files.pop("shop/settings.py")
    r = jobs(files, "--verbose")
    assert (r.code, r.lines) == (0, []), r.out
    assert 'the Celery config comes from app.config["CELERY"], but no settings module' in r.err


def test_a_flask_config_without_the_celery_dict_is_not_judged(jobs) -> None:
    r = jobs(_project(settings='SECRET_KEY = "x"\n'), "--verbose")
    assert (r.code, r.lines) == (0, []), r.out
