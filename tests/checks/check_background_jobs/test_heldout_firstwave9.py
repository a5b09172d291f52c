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
