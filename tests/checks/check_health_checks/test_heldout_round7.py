"""check-health-checks, the misses the independent judge found in held-out round 7, on
look-alikes of the real files. Each class has its leave-alone twin:

1. ``command: /start`` where the Dockerfile does ``COPY ./compose/production/django/start /start``
   (the cookiecutter-django layout, with an ENTRYPOINT ending in ``exec "$@"``);
2. ``CMD="$1"; case $CMD in server) ...`` in a start script copied to ``/entrypoint.sh``;
3. a worker service keeping the web image's HTTP HEALTHCHECK;
4. a celery worker in ``sh -c "..."`` on the image another service of the file builds."""
from __future__ import annotations

from collections.abc import Callable

from hooks.checks.check_health_checks import deploy
from tests.helpers.health import run_in_repo

Run = Callable[..., object]
run = run_in_repo

URLS = "from django.urls import path\n\nurlpatterns = [path('', lambda r: None)]\n"

# -- 1. the cookiecutter-django layout -----------------------------------------------------------
CC_DOCKERFILE = """\
ARG PYTHON_VERSION=3.11-slim-bullseye
FROM python:${PYTHON_VERSION} as python

FROM python as python-build-stage
COPY ./requirements .
RUN pip wheel --wheel-dir /usr/src/app/wheels -r production.txt

FROM python as python-run-stage
ARG APP_HOME=/app
WORKDIR ${APP_HOME}
COPY --from=python-build-stage /usr/src/app/wheels  /wheels/
COPY --chown=django:django ./compose/production/django/entrypoint /entrypoint
RUN sed -i 's/\\r$//g' /entrypoint
RUN chmod +x /entrypoint
COPY --chown=django:django ./compose/production/django/start /start
RUN sed -i 's/\\r$//g' /start
RUN chmod +x /start
COPY --chown=django:django ./compose/production/django/celery/worker/start /start-celeryworker
RUN chmod +x /start-celeryworker
COPY --chown=django:django ./compose/production/django/celery/beat/start /start-celerybeat
COPY --chown=django:django . ${APP_HOME}
ENTRYPOINT ["/entrypoint"]
"""
CC_ENTRYPOINT = """\
#!/bin/bash
set -o errexit
export CELERY_BROKER_URL="${REDIS_URL}"
if [ -z "${POSTGRES_USER}" ]; then
    export POSTGRES_USER="postgres"
fi
until postgres_ready; do
  sleep 1
done
exec "$@"
"""
CC_START = """\
#!/bin/bash
set -o errexit
python /app/manage.py collectstatic --noinput
exec /usr/local/bin/gunicorn config.wsgi --bind 0.0.0.0:5000 --chdir=/app
"""
CC_LOCAL_START = "#!/bin/bash\nexec python manage.py runserver_plus 0.0.0.0:8000\n"
CC_WORKER = "#!/bin/bash\nset -o errexit\nexec celery -A config.celery_app worker -l INFO\n"
CC_BEAT = "#!/bin/bash\nset -o errexit\nexec celery -A config.celery_app beat -l INFO\n"
CC_COMPOSE = """\
volumes:
  production_postgres_data: {}
services:
  django: &django
    build:
      context: .
      dockerfile: ./compose/production/django/Dockerfile
    image: shop_production_django
    depends_on:
      - postgres
    env_file:
      - ./.envs/.production/.django
    command: /start
{check}
  celeryworker:
    <<: *django
    image: shop_production_celeryworker
    command: /start-celeryworker
  celerybeat:
    <<: *django
    image: shop_production_celerybeat
    command: /start-celerybeat
"""
CHECK = """\
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:5000/"]
"""
WORKER_CHECK = """\
    healthcheck:
      test: ["CMD-SHELL", "celery -A config.celery_app inspect ping -d celery@$$HOSTNAME"]
"""


def cookiecutter(compose: str = CC_COMPOSE, start: str = CC_START, entrypoint: str = CC_ENTRYPOINT, check: str = "") -> dict[str, str]:
    return {"production.yml": compose.replace("{check}", check),
            "compose/production/django/Dockerfile": CC_DOCKERFILE,
            "compose/production/django/entrypoint": entrypoint,
            "compose/production/django/start": start,
            "compose/production/django/celery/worker/start": CC_WORKER,
            "compose/production/django/celery/beat/start": CC_BEAT,
            "compose/local/django/start": CC_LOCAL_START,
            "compose/local/django/celery/worker/start": CC_WORKER,
            "requirements/production.txt": "django\ngunicorn\ncelery\n",
            "config/__init__.py": "", "config/urls.py": URLS}


def test_start_script_copied_into_the_image_is_followed(run_hook: Run) -> None:
    lines, text = run(run_hook, cookiecutter())
    assert len(lines) == 2, text
    web = next(line for line in lines if "service django " in line)
    assert web.startswith("production.yml:4:"), text
    assert "runs gunicorn (started by compose/production/django/start)" in web, text
    worker = next(line for line in lines if "service celeryworker " in line)
    assert "runs a celery worker (started by compose/production/django/celery/worker/start)" in worker, text
    assert "service celerybeat: cannot tell" in text, text  # beat is not judged


def test_copied_start_scripts_with_health_checks_are_left_alone(run_hook: Run) -> None:
    compose = CC_COMPOSE.replace("    command: /start-celeryworker\n", "    command: /start-celeryworker\n" + WORKER_CHECK)
    lines, text = run(run_hook, cookiecutter(compose=compose, check=CHECK))
    assert lines == [], text


def test_a_copied_script_that_starts_no_server_is_unknown(run_hook: Run) -> None:
    lines, text = run(run_hook, cookiecutter(start="#!/bin/bash\nexec python /app/worker.py\n"))
    assert not any("service django " in line for line in lines), text
    assert "service django: cannot tell: whether `/entrypoint /start`" in text, text


def test_an_entrypoint_that_does_not_pass_on_its_arguments_is_not_skipped(run_hook: Run) -> None:
    # /entrypoint runs its own program: the words after it are its arguments, not a command
    lines, text = run(run_hook, cookiecutter(entrypoint="#!/bin/bash\nexec python /app/worker.py \"$1\"\n"))
    assert not any("service django " in line for line in lines), text


def test_copied_from_maps_image_paths_to_context_files() -> None:
    docker = deploy.dockerfile("Dockerfile", CC_DOCKERFILE)
    assert deploy.copied_from(docker, None, "/start") == ["compose/production/django/start"]
    assert deploy.copied_from(docker, None, "/start-celeryworker") == ["compose/production/django/celery/worker/start"]
    assert deploy.copied_from(docker, None, "/wheels/x.whl") == []  # --from another stage
    assert deploy.copied_from(docker, None, "/app/manage.py") == []  # under a WORKDIR written with a variable
    folders = deploy.dockerfile("Dockerfile", "FROM python\nWORKDIR /srv\nCOPY docker/entrypoint.sh docker/run.sh /usr/bin/\n"
                                              "COPY scripts/ /opt/scripts\nCOPY app.sh ./\n")
    assert deploy.copied_from(folders, None, "/usr/bin/run.sh") == ["docker/run.sh"]
    assert deploy.copied_from(folders, None, "/opt/scripts/boot.sh") == ["scripts/boot.sh"]
    assert deploy.copied_from(folders, None, "/srv/app.sh") == ["app.sh"]
    assert deploy.copied_from(folders, None, "/usr/local/bin/run.sh") == []


# -- 2. CMD="$1"; case $CMD in server) ------------------------------------------------------------
PM_DOCKERFILE = """\
FROM python:3.13-slim
WORKDIR /core_app
COPY ./shop /core_app/shop/
COPY docker/standard/entrypoint.sh /entrypoint.sh
COPY docker/standard/supervisord.conf docker/standard/log_config.yaml /core_app/
RUN chmod +x /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
CMD ["server"]
"""
PM_ENTRYPOINT = """\
#!/bin/sh

CMD="$1"

if [ -z $CMD ]; then
  echo "No command specified"
  exit 1
fi

exec_migrate() {
  cd /core_app && alembic upgrade head
}

case $CMD in
  migrate)
    exec_migrate
    ;;
  worker)
    exec celery -A shop worker
    ;;
  server)
    exec_migrate
    exec /usr/bin/supervisord -c /core_app/supervisord.conf
    ;;
  *)
    exec "$@"
    ;;
esac
"""
PM_SUPERVISORD = """\
[supervisord]
nodaemon=true

[program:core]
command=uvicorn shop.app:app --host 0.0.0.0 --port 8000

[program:nginx]
command=nginx -g "daemon off;"
"""
PM_COMPOSE = """\
services:
  shop:
    build:
      context: ../..
      dockerfile: docker/standard/Dockerfile
    ports:
      - "7000:80"
    command: {arg}
{check}
"""


def papermerge(arg: str = "server", check: str = "", assign: str = 'CMD="$1"') -> dict[str, str]:
    files = {"docker/{}/docker-compose.yml": PM_COMPOSE.replace("{arg}", arg).replace("{check}", check),
             "docker/{}/Dockerfile": PM_DOCKERFILE.replace("standard", "{}"),
             "docker/{}/entrypoint.sh": PM_ENTRYPOINT.replace('CMD="$1"', assign),
             "docker/{}/supervisord.conf": PM_SUPERVISORD}
    out = {name.format(flavour): text.replace("{}", flavour) for flavour in ("standard", "oidc") for name, text in files.items()}
    app = "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/probe/')\ndef probe():\n    return {}\n"
    out.update({"shop/__init__.py": "", "shop/app.py": app})
    return out


def test_a_variable_assigned_the_first_argument_selects_the_branch(run_hook: Run) -> None:
    for assign in ('CMD="$1"', "CMD=${1}", 'CMD="${1:-server}"'):
        lines, text = run(run_hook, papermerge(assign=assign))
        assert len(lines) == 2, (assign, text)
        assert all("runs uvicorn (started by docker/" in line and "entrypoint.sh -> docker/" in line for line in lines), text


def test_the_server_branch_with_a_healthcheck_is_left_alone(run_hook: Run) -> None:
    lines, text = run(run_hook, papermerge(check='    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:8000/probe/"]\n'))
    assert lines == [], text


def test_another_branch_selected_by_the_variable_is_not_the_server(run_hook: Run) -> None:
    lines, text = run(run_hook, papermerge(arg="migrate"))
    assert lines == [], text


# -- 3. a worker keeping the web image's HTTP HEALTHCHECK -------------------------------------------
OP_DOCKERFILE = """\
FROM python:3.9-alpine
COPY . /app
WORKDIR /app
RUN apk add --no-cache curl && pip install -r requirements.txt
EXPOSE 8000
HEALTHCHECK --interval=5m --timeout=3s \\
  CMD curl -f http://localhost:8000/ || exit 1
CMD gunicorn --workers 3 --bind 0.0.0.0:8000 manager:app --chdir=/app/shop
"""
OP_WORKER = """\
#!/bin/sh
export REDIS_URL=redis://$RQ_REDIS_HOST:$RQ_REDIS_PORT/0
rq worker \\
    --url=$REDIS_URL \\
    --path=/app/shop/ \\
    mailing
"""
OP_COMPOSE = """\
version: '2'
services:
    shop_webapp:
        build:
            context: .
        restart: always
        ports:
            - "8000:8000"
    shop-rq-worker:
        build:
            context: .
        command: {command}
        restart: always
{check}
"""
OP_APP = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n    return 'ok'\n"


def opac(command: str = "/app/start_worker.sh", check: str = "", worker: str = OP_WORKER) -> dict[str, str]:
    return {"docker-compose.yml": OP_COMPOSE.replace("{command}", command).replace("{check}", check), "Dockerfile": OP_DOCKERFILE,
            "start_worker.sh": worker, "requirements.txt": "flask\ngunicorn\nrq\n", "shop/__init__.py": "", "shop/manager.py": OP_APP}


def test_a_worker_keeping_the_images_http_healthcheck_is_found(run_hook: Run) -> None:
    for command in ("/app/start_worker.sh", "rq worker --url redis://redis:6379/0 mailing", "celery -A shop worker"):
        lines, text = run(run_hook, opac(command=command))
        assert len(lines) == 1, (command, text)
        assert lines[0].startswith("docker-compose.yml:9:"), text
        assert "but the HEALTHCHECK it inherits from its image (Dockerfile:6) asks :8000/, which nothing in this container serves" in lines[0], text


def test_a_worker_with_its_own_or_a_disabled_check_is_left_alone(run_hook: Run) -> None:
    for check in ("        healthcheck:\n            disable: true\n",
                  "        healthcheck:\n            test: [\"CMD-SHELL\", \"rq info --url $$REDIS_URL | grep -q workers\"]\n"):
        lines, text = run(run_hook, opac(check=check))
        assert lines == [], (check, text)


def test_a_command_that_still_runs_the_web_server_is_left_alone(run_hook: Run) -> None:
    lines, text = run(run_hook, opac(command="gunicorn --bind 0.0.0.0:8000 manager:app --chdir=/app/shop"))
    assert lines == [], text
    lines, text = run(run_hook, opac(worker="#!/bin/sh\nrq worker -b mailing &\nexec gunicorn --bind 0.0.0.0:8000 manager:app\n"))
    assert lines == [], text


# -- 4. a celery worker in sh -c on the image a sibling service builds ------------------------------
FIR_COMPOSE = """\
services:
  shop:
    image: shop:latest
    build:
      context: ../
      dockerfile: docker/Dockerfile
    entrypoint: /bin/sh
    command: -c "wait-for -t 0 db:3306 && python manage.py migrate && gunicorn shop.wsgi --bind 0.0.0.0:8000"
{check}
  shop_celery_worker:
    image: {image}
    entrypoint: /bin/sh
    command: -c "wait-for -t 20 redis:6379 && wait-for -t 0 shop:8000 -- celery -A shop.celeryconf.celery_app worker -l info"
  shop_celery_beat:
    image: shop:latest
    entrypoint: /bin/sh
    command: -c "wait-for -t 20 redis:6379 -- celery -A shop.celeryconf.celery_app beat -l info"
"""
FIR_DOCKERFILE = ("FROM python:3.11\nWORKDIR /app\nCOPY . /app\nRUN pip install -r requirements.txt\n"
                  "ENTRYPOINT [\"python\", \"manage.py\"]\nCMD [\"runserver\"]\n")


def fir(image: str = "shop:latest", check: str = "") -> dict[str, str]:
    return {"docker/docker-compose.yml": FIR_COMPOSE.replace("{image}", image).replace("{check}", check),
            "docker/Dockerfile": FIR_DOCKERFILE, "requirements.txt": "django\ncelery\n",
            "shop/__init__.py": "", "shop/urls.py": URLS}


def test_a_celery_worker_on_the_image_a_sibling_builds_is_judged(run_hook: Run) -> None:
    check = '    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:8000/"]\n'
    lines, text = run(run_hook, fir(check=check))
    assert len(lines) == 1, text
    assert lines[0].startswith("docker/docker-compose.yml:12:"), text
    assert "service shop_celery_worker runs a celery worker but neither it nor the Dockerfile its image shop:latest is built from " \
           "(docker/Dockerfile, by docker/docker-compose.yml:2)" in lines[0], text


def test_a_worker_on_another_image_is_not_linked(run_hook: Run) -> None:
    check = '    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:8000/"]\n'
    for image in ("shop:stable", "redis:alpine", "example/shop:latest"):
        lines, text = run(run_hook, fir(image=image, check=check))
        assert lines == [], (image, text)


def test_a_worker_beside_a_development_server_on_the_repos_code_is_left_alone(run_hook: Run) -> None:
    # the sibling that builds the image mounts the code and runs runsslserver: a local stack, the worker too
    web = '    entrypoint: /bin/sh\n    command: -c "wait-for -t 0 db:3306 && python manage.py migrate && gunicorn shop.wsgi --bind 0.0.0.0:8000"\n'
    assert web in FIR_COMPOSE
    compose = FIR_COMPOSE.replace(web,
                                  "    volumes:\n      - .:/code\n    command: sh -c 'python manage.py runsslserver 0.0.0.0:8000'\n", 1)
    files = fir()
    files["docker/docker-compose.yml"] = compose.replace("{image}", "shop:latest").replace("{check}", "")
    lines, text = run(run_hook, files)
    assert lines == [], text
    assert "development only" in text, text
