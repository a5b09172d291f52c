"""check-background-jobs after the first-wave held-out round 9: a Flask app that
loads a top-level settings module by name (``app.config.from_object('settings')``,
no package) and configures Celery with ``celery.conf.update(app.config)`` is
judged on the top-level ``settings.py``, not on a views module of the same name
deeper in the package. Catch and leave-alone cases on files shaped like real ones."""
from __future__ import annotations

PACKAGE = '''\
from celery import Celery
from celery.schedules import crontab
from flask import Flask


app = Flask(__name__)

app.config.from_object('settings')

try:
    from local_settings import *
except ImportError:
    pass


def make_celery(app):
    celery = Celery(app.import_name, broker=app.config['CELERY_BROKER_URL'])

    celery.conf.update(app.config)
    celery.conf.update({
        'CELERY_DEFAULT_QUEUE': 'default',
        'CELERYBEAT_SCHEDULE': {
            'minute-query': {
                'task': 'forum.jobs.query.minute_query',
                'schedule': crontab(),
            },
        },
    })

    return celery


celery = make_celery(app)
'''
SETTINGS = '''\
from datetime import timedelta

DEBUG = False

PERMANENT_SESSION_LIFETIME = timedelta(days=30)

CELERY_BROKER_URL = 'amqp://guest:guest@localhost:5672//'
CELERY_RESULT_BACKEND = 'amqp://guest:guest@localhost:5672//'
CELERY_TASK_SERIALIZER = 'json'
CELERY_ACCEPT_CONTENT = ['application/json']
{extra}
'''
VIEWS_SETTINGS = '''\
from flask import render_template

from forum import app


@app.route('/settings')
def settings():
    return render_template('settings/profile.html')
'''
TASKS = '''\
from forum import celery


@celery.task()
def minute_query():
    return None
'''


def _project(extra: str = "") -> dict[str, str]:
    return {"forum/__init__.py": PACKAGE, "settings.py": SETTINGS.format(extra=extra),
            "forum/views/settings.py": VIEWS_SETTINGS, "forum/views/__init__.py": "",
            "forum/jobs/__init__.py": "", "forum/jobs/query.py": TASKS,
            "local_settings.py.default": "SECRET_KEY = ''\n"}


def test_a_top_level_settings_module_loaded_by_name_is_judged(jobs, rule_ids) -> None:
    r = jobs(_project())
    assert rule_ids(r) == ["task-time-limit"], r.out
    assert r.lines[0].startswith("settings.py:"), r.out
    assert "CELERYD_TASK_TIME_LIMIT" in r.out


def test_a_top_level_settings_module_with_a_limit_passes(jobs) -> None:
    r = jobs(_project("CELERYD_TASK_TIME_LIMIT = 300\nCELERYD_TASK_SOFT_TIME_LIMIT = 240\n"))
    assert (r.code, r.lines) == (0, []), r.out


def test_a_package_settings_module_near_the_app_is_still_preferred(jobs) -> None:
    """``from_object('settings')`` beside a package's own ``forum/settings.py``:
    the nearer module (Python 2's implicit relative import) is read, as before."""
    files = _project()
    files["forum/settings.py"] = SETTINGS.format(extra="CELERYD_TASK_TIME_LIMIT = 300\n")
    r = jobs(files)
    assert (r.code, r.lines) == (0, []), r.out


# A Django settings module switching a development and a production layer on a
# committed flag (``IS_DEV = True``): production runs the production branch.
DJANGO_SETTINGS = '''\
import os

from kombu import Exchange, Queue

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SECRET_KEY = os.environ.get('SECRET_KEY', 'this data will be changed')

IS_DEV = {flag}

INSTALLED_APPS = ['django.contrib.auth', 'shop']

CELERY_TASK_DEFAULT_QUEUE = 'default'
CELERY_TASK_QUEUES = (Queue('default', Exchange('default'), routing_key='default'),)

HTML_MINIFY = not IS_DEV

if IS_DEV:
    from .extra.dev_settings import *
else:
    from .extra.prod_settings import *
'''
DJANGO_CELERY = '''\
import os

from celery import Celery

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'main.settings')

app = Celery('main')
app.config_from_object('django.conf:settings', namespace='CELERY')
app.autodiscover_tasks()
'''
DEV = "DEBUG = True\nCELERY_BROKER_URL = 'amqp://guest:guest@localhost:5672//'\n{extra}"
PROD = "import os\nDEBUG = False\nCELERY_BROKER_URL = os.environ['BROKER_URL']\n{extra}"
LIMIT = "CELERY_TASK_TIME_LIMIT = 600\n"


def _django(flag: str, dev: str = "", prod: str = "") -> dict[str, str]:
    return {"web/main/__init__.py": "from .celery import app as celery_app\n", "web/main/celery.py": DJANGO_CELERY,
            "web/main/settings.py": DJANGO_SETTINGS.format(flag=flag), "web/main/extra/__init__.py": "",
            "web/main/extra/dev_settings.py": DEV.format(extra=dev),
            "web/main/extra/prod_settings.py": PROD.format(extra=prod),
            "web/shop/tasks.py": "from celery import shared_task\n\n\n@shared_task\ndef send_mail(to):\n    return to\n"}


def test_a_committed_dev_switch_is_read_on_its_production_side(jobs, rule_ids) -> None:
    r = jobs(_django("True", dev=LIMIT))
    assert rule_ids(r) == ["task-time-limit"], r.out
    assert "extra/prod_settings.py" in r.out and "dev_settings" not in r.out


def test_a_production_layer_with_a_limit_passes_whatever_the_dev_switch_says(jobs) -> None:
    for flag in ("True", "False"):
        r = jobs(_django(flag, prod=LIMIT))
        assert (r.code, r.lines) == (0, []), (flag, r.out)


def test_a_switch_between_two_development_layers_is_read_as_written(jobs) -> None:
    files = _django("True", dev=LIMIT)
    files["web/main/settings.py"] = files["web/main/settings.py"].replace("prod_settings", "test_settings")
    files["web/main/extra/test_settings.py"] = files.pop("web/main/extra/prod_settings.py")
    r = jobs(files)
    assert (r.code, r.lines) == (0, []), r.out
