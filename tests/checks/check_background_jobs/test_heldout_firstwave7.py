"""check-background-jobs after the first-wave held-out round 7: Celery settings
in a Flask (or Invenio) config module or config class that the Celery app is
configured from are judged as Django settings are. The shapes: an app module
that only creates the app, configured in the Flask pattern's ``make_celery(app,
celery)`` from ``app.config``, which the factory loads with ``from_object`` of a
config class (the factory's default, inherited attributes included); and
Flask-CeleryExt's ``create_celery_app(create_app())`` with Invenio's
``create_conf_loader(config=config)``. Catch and leave-alone cases."""
from __future__ import annotations

TASKS = '''\
from celery import Celery

celery = Celery(__name__)


@celery.task()
def notify_offline_nodes():
    return 0
'''
EXTENSIONS = '''\
def make_celery(app, celery):
    """From the Flask docs' Celery pattern."""
    celery.config_from_object(app.config)
    TaskBase = celery.Task

    class ContextTask(TaskBase):
        abstract = True

        def __call__(self, *args, **kwargs):
            with app.app_context():
                return TaskBase.__call__(self, *args, **kwargs)

    celery.Task = ContextTask
    return celery
'''
APPLICATION = '''\
from flask import Flask

from fleet.extensions import make_celery
from fleet.settings import {default}
from fleet.tasks import celery


def create_app(config={default}):
    app = Flask(__name__)
    app.config.from_object(config)
    app.config.from_envvar("FLEET_SETTINGS", silent=True)
    make_celery(app, celery)
    return app
'''
SETTINGS = '''\
import os


class Config(object):
    SECRET_KEY = os.environ.get("FLEET_SECRET_KEY", "dev")

    BROKER_URL = "redis://localhost:6379/0"
    CELERY_RESULT_BACKEND = "redis://localhost:6379/0"
    CELERYBEAT_SCHEDULE = {{
        "alert-offline": {{"task": "fleet.tasks.notify_offline_nodes", "schedule": 86400}},
    }}{base_extra}


class ProdConfig(Config):
    ENV = "prod"
    DEBUG = False{prod_extra}


class DevConfig(Config):
    ENV = "dev"
    DEBUG = True
    CELERYD_TASK_TIME_LIMIT = 60


class TestConfig(Config):
    TESTING = True
'''
WORKER = '''\
from fleet.application import create_app
from fleet.settings import ProdConfig
from fleet.tasks import celery  # noqa

app = create_app(config=ProdConfig)
'''


def _fleet(base_extra: str = "", prod_extra: str = "", default: str = "ProdConfig") -> dict[str, str]:
    return {"fleet/tasks.py": TASKS, "fleet/extensions.py": EXTENSIONS,
            "fleet/application.py": APPLICATION.format(default=default),
            "fleet/settings.py": SETTINGS.format(base_extra=base_extra, prod_extra=prod_extra),
            "fleet/worker.py": WORKER,
            "docker/service/celery/run": "#!/bin/sh\nexec celery worker -A fleet.worker:celery -l INFO\n"}


def test_a_flask_config_class_without_a_limit_is_reported(jobs) -> None:
    r = jobs(_fleet())
    assert r.lines == [
        "fleet/settings.py:7:1: check-background-jobs: task-time-limit: the production Celery config (ProdConfig, "
        "from Config) sets no task time limit, so a hung task holds its worker for ever (and with Redis the broker "
        "re-delivers it); set CELERYD_TASK_TIME_LIMIT (and a soft limit below it), or start the worker with "
        "--time-limit"], r.out


def test_a_limit_inherited_or_set_in_the_production_class_passes(jobs) -> None:
    for files in (_fleet(base_extra="\n    CELERYD_TASK_TIME_LIMIT = 1800"),
                  _fleet(prod_extra="\n    CELERYD_TASK_SOFT_TIME_LIMIT = 300")):
        r = jobs(files)
        assert (r.code, r.lines) == (0, []), r.out


def test_a_limit_in_the_development_class_only_does_not_count(jobs, rule_ids) -> None:
    assert rule_ids(jobs(_fleet())) == ["task-time-limit"]  # DevConfig sets one; ProdConfig does not


def test_a_worker_started_with_a_time_limit_counts(jobs) -> None:
    files = _fleet()
    files["Procfile"] = "worker: celery worker -A fleet.worker:celery -l INFO --time-limit=1800\n"
    r = jobs(files)
    assert (r.code, r.lines) == (0, []), r.out


def test_a_factory_defaulting_to_the_development_class_is_not_production(jobs) -> None:
    r = jobs(_fleet(default="DevConfig"), "--verbose")
    assert (r.code, r.lines) == (0, []), r.out


def test_an_unlinked_app_among_several_is_not_judged(jobs) -> None:
    files = _fleet()
    files["fleet/other.py"] = 'from celery import Celery\n\nmailer = Celery("mailer", broker="redis://localhost/1")\n'
    files["fleet/extensions.py"] = EXTENSIONS  # configures a parameter: which app is unknown with two of them
    r = jobs(files, "--verbose")
    assert not any("fleet/settings.py" in line for line in r.lines), r.out
    assert "a Celery app with no config of its own" in r.err, r.err


def test_an_app_imported_where_it_is_configured_is_linked_among_several(jobs, rule_ids) -> None:
    files = _fleet()
    files["fleet/other.py"] = 'from celery import Celery\n\nmailer = Celery("mailer", broker="redis://localhost/1")\n'
    files["fleet/extensions.py"] = ("from fleet.tasks import celery\n\n\ndef init_celery(app):\n"
                                    "    celery.conf.update(app.config)\n")
    assert rule_ids(jobs(files)) == ["task-time-limit"]


CELERY_APP = '''\
"""Celery application factory."""
from flask_celeryext import create_celery_app

from .factory import create_app

celery = create_celery_app(create_app())
'''
FACTORY = '''\
from invenio_base.app import create_app_factory
from invenio_config import create_conf_loader

from . import config

config_loader = create_conf_loader(config=config, env_prefix="REPO")

create_app = create_app_factory("repo", config_loader=config_loader)
'''
CONFIG = '''\
from datetime import timedelta

from celery.schedules import crontab

BROKER_URL = "amqp://guest:guest@localhost:5672//"
CELERY_RESULT_BACKEND = "redis://localhost:6379/1"
CELERY_BEAT_SCHEDULE = {{
    "indexer": {{"task": "invenio_indexer.tasks.process_bulk_queue", "schedule": timedelta(minutes=5)}},
    "embargo": {{"task": "repo.records.tasks.lift_embargoes", "schedule": crontab(minute=2, hour=0)}},
}}{extra}
'''


def _invenio(extra: str = "") -> dict[str, str]:
    return {"repo/__init__.py": "", "repo/celery.py": CELERY_APP, "repo/factory.py": FACTORY,
            "repo/config.py": CONFIG.format(extra=extra)}


def test_an_invenio_config_module_without_a_limit_is_reported(jobs) -> None:
    r = jobs(_invenio())
    assert r.lines == [
        "repo/config.py:5:1: check-background-jobs: task-time-limit: the production Celery config sets no task time "
        "limit, so a hung task holds its worker for ever; set "  # an amqp:// broker: no Redis re-delivery (round 8)
        "CELERY_TASK_TIME_LIMIT (and a soft limit below it), or start the worker with --time-limit"], r.out


def test_an_invenio_config_module_with_a_limit_passes(jobs) -> None:
    for extra in ("\nCELERY_TASK_TIME_LIMIT = 3600", "\nCELERYD_TASK_SOFT_TIME_LIMIT = 600"):
        r = jobs(_invenio(extra))
        assert (r.code, r.lines) == (0, []), r.out


def test_an_invenio_config_module_without_celery_settings_is_not_judged(jobs) -> None:
    files = _invenio()
    files["repo/config.py"] = 'SECRET_KEY = "CHANGE_ME"\nSEARCH_INDEX_PREFIX = "repo-"\n'
    r = jobs(files)
    assert (r.code, r.lines) == (0, []), r.out


def test_a_config_class_named_by_a_dotted_string(jobs, rule_ids) -> None:
    files = _fleet()
    files["fleet/application.py"] = files["fleet/application.py"].replace(
        "app.config.from_object(config)", 'app.config.from_object("fleet.settings.ProdConfig")').replace(
        "config=ProdConfig", "config=None")
    assert rule_ids(jobs(files)) == ["task-time-limit"]


def test_a_create_celery_app_of_the_repo_is_not_taken_for_flask_celeryext(jobs) -> None:
    files = _invenio()
    files["repo/celery.py"] = ("from .factory import create_app\nfrom .ext import create_celery_app\n\n"
                               "celery = create_celery_app(create_app())\n")
    files["repo/ext.py"] = ("from celery import Celery\n\n\ndef create_celery_app(flask_app):\n"
                            '    app = Celery(flask_app.import_name, broker="redis://localhost/0")\n'
                            "    app.conf.task_time_limit = 900\n    return app\n")
    r = jobs(files)
    assert (r.code, r.lines) == (0, []), r.out
