"""check-background-jobs after the first-wave held-out round 8.

* The Flasky layout: ``app.config.from_object(config[config_name])`` of a
  ``config = {"production": ProductionConfig, ..., "default": DevelopmentConfig}``
  mapping, with ``celery.conf.update(app.config)``: the class production is
  given (the production key's, else the default's; a written-out key's when the
  key is a literal) is read as a class named directly is.
* task-time-limit's re-delivery clause follows the broker URL's scheme (the
  ``Celery(broker=...)`` argument, else the config's broker URL; one built in
  code by the schemes written in its statement): Redis and SQS re-deliver, AMQP
  and other, mixed or unreadable brokers get no clause.
Catch and leave-alone cases on files shaped like real ones."""
from __future__ import annotations

import pytest

CONFIG = '''\
import os
basedir = os.path.abspath(os.path.dirname(__file__))


class Config:
    SECRET_KEY = os.environ.get('SECRET_KEY')
    SQLALCHEMY_TRACK_MODIFICATIONS = True
    CELERY_BROKER_URL = 'redis://localhost:6379'
    CELERY_RESULT_BACKEND = 'redis://localhost:6379'{extra}

    @staticmethod
    def init_app(app):
        pass


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True


class ProductionConfig(Config):
    SQLALCHEMY_DATABASE_URI = os.environ.get('DATABASE_URL')


config = {{
{mapping}
}}
'''
MAPPING = '''\
    'development': DevelopmentConfig,
    'testing': TestingConfig,
    'production': ProductionConfig,

    'default': DevelopmentConfig,'''
APP = '''\
from flask import Flask
from celery import Celery
from config import config, Config

celery = Celery(__name__, broker=Config.CELERY_BROKER_URL)


def create_app(config_name):
    app = Flask(__name__)
    app.config.from_object(config[{key}])
    config[config_name].init_app(app)
    celery.conf.update(app.config)
    return app
'''
TASKS = '''\
from app import celery


@celery.task
def run_playbook(name):
    return name
'''
WORKER = "import os\nfrom app import celery, create_app\n\napp = create_app(os.getenv('FLASK_CONFIG') or 'default')\n"


def _flasky(extra: str = "", mapping: str = MAPPING, key: str = "config_name") -> dict[str, str]:
    return {"config.py": CONFIG.format(extra=extra, mapping=mapping), "app/__init__.py": APP.format(key=key),
            "app/tasks.py": TASKS, "celery_worker.py": WORKER}


def test_a_config_class_reached_through_a_mapping_without_a_limit_is_reported(jobs) -> None:
    r = jobs(_flasky())
    assert r.lines == [
        "config.py:8:1: check-background-jobs: task-time-limit: the production Celery config (ProductionConfig, "
        "from Config) sets no task time limit, so a hung task holds its worker for ever; set "
        "CELERYD_TASK_TIME_LIMIT (and a soft limit below it), or start the worker with --time-limit"], r.out


def test_the_default_class_is_read_when_the_mapping_names_no_production(jobs) -> None:
    mapping = "    'staging': DevelopmentConfig,\n    'default': ProductionConfig,"
    r = jobs(_flasky(mapping=mapping))
    assert len(r.lines) == 1 and "(ProductionConfig, from Config)" in r.lines[0], r.out


def test_a_limit_in_the_base_class_passes(jobs) -> None:
    r = jobs(_flasky("\n    CELERYD_TASK_TIME_LIMIT = 1800"))
    assert (r.code, r.lines) == (0, []), r.out


@pytest.mark.parametrize(("mapping", "key"), [
    ("    'development': DevelopmentConfig,\n    'testing': TestingConfig,\n    'default': DevelopmentConfig,",
     "config_name"),
    (MAPPING, "'testing'"),
])
def test_a_mapping_that_gives_production_only_a_development_or_test_class_is_not_judged(jobs, mapping: str,
                                                                                         key: str) -> None:
    r = jobs(_flasky(mapping=mapping, key=key))
    assert (r.code, r.lines) == (0, []), r.out


DJANGO_CELERY = '''\
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
app = Celery("shop"{broker})
app.config_from_object("django.conf:settings", namespace="CELERY")
'''
DJANGO_SETTINGS = '''\
import os

SECRET_KEY = os.environ["SECRET_KEY"]
INSTALLED_APPS = ["django.contrib.admin", "shop"]
CELERY_BROKER_URL = {url}
'''


def _django(url: str, broker: str = "") -> dict[str, str]:
    return {"shop/__init__.py": "", "shop/celery.py": DJANGO_CELERY.format(broker=broker),
            "shop/settings.py": DJANGO_SETTINGS.format(url=url)}


REDIS = "(and with Redis the broker re-delivers it)"
SQS = "(and SQS re-delivers it when its visibility timeout passes)"


@pytest.mark.parametrize(("url", "broker", "clause"), [
    ('"redis://cache:6379/0"', "", REDIS),
    ('os.environ.get("CELERY_BROKER_URL", "rediss://cache:6380/0")', "", REDIS),
    ('"sentinel://s1:26379;sentinel://s2:26379"', "", REDIS),
    ('"sqs://"', "", SQS),
    ('"amqp://guest:guest@rabbit:5672//"', "", ""),
    ('"django://"', "", ""),
    ('os.environ["CELERY_BROKER_URL"]', "", ""),
    ('"redis://cache:6379/0"', ', broker="pyamqp://rabbit//"', ""),
    ('"amqp://rabbit//"', ', broker="redis://cache/1"', REDIS),
    ('f"redis://{os.environ[\'REDIS_HOST\']}:6379/0"', "", REDIS),
    ('"sqs://{}:{}@".format(os.environ["AWS_KEY"], os.environ["AWS_SECRET"])', "", SQS),
    ('os.environ.get("BROKER_URL", f"amqp://{os.environ[\'MQ_HOST\']}//")', "", ""),
    ('"redis://cache/0" if os.environ.get("REDIS") else "amqp://rabbit//"', "", ""),
    ('""', "", ""),
])
def test_the_redelivery_clause_follows_the_broker_scheme(jobs, url: str, broker: str, clause: str) -> None:
    r = jobs(_django(url, broker))
    assert r.code == 1 and len(r.lines) == 1, r.out
    assert "re-deliver" not in r.lines[0] if not clause else f"for ever {clause}; set" in r.lines[0], r.out
