"""check-health-checks, the classes the independent judge found in held-out
round 5, on look-alikes of the real files: a local compose stack that says
"dev" through its environment (``IS_LOCAL_DEV=yes``, ``--reload`` added inside
the start script under that variable) over a bind mount of the source; a start
script that picks its process from a role variable (``CONTAINER_ROLE`` /
``PROCESS_TYPE``, or ``target=${1:-app}``); a Helm chart whose PostgreSQL
container is named from values.yaml; a compose service declared through
``extends:`` whose ``${VAR:-default}`` image CI builds. Each with the finding
that must stay."""
from __future__ import annotations

from collections.abc import Callable

from hooks.checks.check_health_checks import builds, deploy, shellbranch
from tests.helpers.health import run_in_repo

HOOK = "check-health-checks"
Run = Callable[..., object]

run = run_in_repo

# -- 1/2. a role-switching start script, a local dev stack ---------------------------------------------
ENTRY = """\
#!/bin/bash
# Set CONTAINER_ROLE: worker, flower, api
echo "Entry script starting..."

if [[ "$CONTAINER_ROLE" == "worker" ]]; then
    celery -A shop.celery_app:celery worker -l INFO --beat -Q shop
elif [[ "$CONTAINER_ROLE" == "flower" ]]; then
    celery -A shop.celery_app:celery flower -l INFO
elif [[ "$CONTAINER_ROLE" == "api" ]]; then
    run-command main update-db
    ARGS="--factory shop.main:server --host 0.0.0.0 --port 5000"

    if [[ "$IS_LOCAL_DEV" == "yes" ]]; then
        ARGS="$ARGS --reload --log-level info"
    fi

    uvicorn $ARGS
else
    echo "Unrecognized CONTAINER_ROLE: $CONTAINER_ROLE"
    exit 1
fi
"""
DOCKERFILE = """\
FROM python:3.12-slim
WORKDIR /app
COPY . /app
RUN pip install -e .
EXPOSE 5000
CMD ["/bin/sh", "./scripts/entry.sh"]
"""
COMPOSE = """\
services:
  backend: &backend
    build:
      context: ./backend
      dockerfile: ./Dockerfile
    restart: always
    ports:
      - 5000:5000
{volumes}    environment:
      - CONTAINER_ROLE=api
{env}
  celery-worker:
    <<: *backend
    ports: []
    environment:
      - CONTAINER_ROLE=worker

  celery-flower:
    <<: *backend
    ports:
      - 5556:5555
    environment:
      - CONTAINER_ROLE=flower
"""
MOUNT = "    volumes:\n      - ./backend/src/shop:/app/shop\n"


def stack(volumes: str = "", env: str = "", entry: str = ENTRY, compose: str = COMPOSE) -> dict[str, str]:
    return {"docker-compose.yml": compose.replace("{volumes}", volumes).replace("{env}", env),
            "backend/Dockerfile": DOCKERFILE, "backend/scripts/entry.sh": entry,
            "backend/src/shop/__init__.py": "", "backend/src/shop/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"}


def test_each_service_is_judged_by_the_branch_its_role_variable_selects(run_hook: Run) -> None:
    lines, text = run(run_hook, stack())
    by_line = {line.split(":", 2)[1]: line for line in lines}
    assert sorted(by_line) == ["12", "2"], text
    assert "service backend runs uvicorn (started by backend/scripts/entry.sh)" in by_line["2"], text
    assert "curl" in by_line["2"] and "celery" not in by_line["2"], text
    assert "service celery-worker runs a celery worker (started by backend/scripts/entry.sh)" in by_line["12"], text
    # flower is an HTTP UI the hook does not name: unknown, not a worker
    assert "service celery-flower: cannot tell: whether" in text, text


def test_a_role_the_service_does_not_set_is_not_guessed(run_hook: Run) -> None:
    compose = COMPOSE.replace("      - CONTAINER_ROLE=api\n", "      - APP_NAME=shop\n")
    lines, text = run(run_hook, stack(compose=compose))
    assert [line for line in lines if "service backend" in line] == [], text
    assert "service backend: cannot tell: whether" in text, text


def test_a_case_on_a_process_type_variable_is_followed(run_hook: Run) -> None:
    entry = ('#!/bin/sh\ncase "$PROCESS_TYPE" in\n  web)\n    exec gunicorn shop.wsgi -b 0.0.0.0:5000\n    ;;\n'
             '  worker)\n    exec celery -A shop worker\n    ;;\nesac\n')
    compose = COMPOSE.replace("CONTAINER_ROLE=api", "PROCESS_TYPE=web").replace("CONTAINER_ROLE=worker", "PROCESS_TYPE=worker") \
        .replace("CONTAINER_ROLE=flower", "PROCESS_TYPE=beat")
    lines, text = run(run_hook, stack(entry=entry, compose=compose))
    assert any("service backend runs gunicorn" in line for line in lines), text
    assert any("service celery-worker runs a celery worker" in line for line in lines), text
    assert not any("celery-flower" in line for line in lines), text


def test_the_web_role_with_a_healthcheck_is_credited(run_hook: Run) -> None:
    compose = COMPOSE.replace("      - CONTAINER_ROLE=api\n", "      - CONTAINER_ROLE=api\n    healthcheck:\n"
                                                                  "      test: [CMD, curl, -f, http://localhost:5000/]\n")
    files = stack(compose=compose)
    files["backend/src/shop/main.py"] += '\n\n@app.get("/")\ndef root():\n    return {}\n'
    lines, text = run(run_hook, files)
    assert not any("service backend" in line for line in lines), text


def test_a_local_dev_stack_said_through_its_environment_is_skipped(run_hook: Run) -> None:
    lines, text = run(run_hook, stack(MOUNT, "      - IS_LOCAL_DEV=yes\n      - RELEASE_VERSION=localdev\n"))
    assert lines == [], text
    assert "service backend: development only (service backend sets IS_LOCAL_DEV=yes on a bind mount" in text, text
    assert "service celery-worker: development only" in text, text


def test_the_reload_the_start_script_adds_for_a_local_value_makes_it_dev(run_hook: Run) -> None:
    entry = ENTRY.replace('"$IS_LOCAL_DEV" == "yes"', '"$APP_STAGE" == "laptop"')
    lines, text = run(run_hook, stack(MOUNT, "      - APP_STAGE=laptop\n", entry))
    assert lines == [], text
    assert "runs a reloading development server on the repo's code (its start script" in text, text


def test_the_same_stack_without_the_dev_value_is_still_judged(run_hook: Run) -> None:
    entry = ENTRY.replace('"$IS_LOCAL_DEV" == "yes"', '"$APP_STAGE" == "laptop"')
    lines, text = run(run_hook, stack(MOUNT, "      - APP_STAGE=production\n", entry))
    assert any("service backend runs uvicorn" in line for line in lines), text
    lines, text = run(run_hook, stack("", "      - IS_LOCAL_DEV=no\n"))
    assert any("service backend runs uvicorn" in line for line in lines), text


def test_a_positional_target_picks_the_else_branch(run_hook: Run) -> None:
    entry = ('#!/bin/bash\ntarget=${1-:app}\nprintf "Running ${target} ...\\n"\n\nif [[ "${target}" == app-worker ]] ; then\n'
             '    celery -A app.celery worker -E -B -l INFO &\nelse\n    gunicorn app:app --bind 0.0.0.0:8000 &\nfi\n\n'
             'while true; do sleep 2; done\n')
    compose = ("services:\n  app:\n    build: .\n    restart: always\n    command: ['nohup', './entry.sh', 'webapp']\n"
               "  worker:\n    build: .\n    restart: always\n    command: ['nohup', './entry.sh', 'app-worker']\n")
    files = {"docker-compose.yml": compose, "Dockerfile": "FROM python:3.12\nCOPY entry.sh .\n", "entry.sh": entry,
             "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n"}
    lines, text = run(run_hook, files)
    assert any("service app runs gunicorn (started by entry.sh)" in line for line in lines), text
    assert any("service worker runs a celery worker (started by entry.sh)" in line for line in lines), text


def test_resolve_keeps_a_block_the_values_cannot_decide() -> None:
    body = 'if [[ "$MODE" == "a" ]]; then\n  gunicorn x\nelse\n  celery -A x worker\nfi\n'
    got = shellbranch.resolve(body, lambda name: None)
    assert "gunicorn" in got.text and "celery" in got.text and len(got.undecided) == 1 and not got.decided
    got = shellbranch.resolve(body, lambda name: "a" if name == "MODE" else None)
    assert "gunicorn" in got.text and "celery" not in got.text and got.decided
    got = shellbranch.resolve('if [ -n "$DEBUG" ]; then\n  X=--reload\nfi\nuvicorn $X\n', lambda name: "")
    assert "--reload" not in got.text and "uvicorn" in got.text


# -- 3. server software named from values.yaml ---------------------------------------------------------------
CHART_VALUES = """\
postgres:
   app: {name}
   name: {name}
   image: <postgres_image>
   tag: <tag>
   replicaCount: 1
"""
POSTGRES = """\
apiVersion: v1
kind: Service
metadata:
  name: {{ .Values.postgres.name }}
spec:
  selector:
    app: {{ .Values.postgres.app }}
  ports:
    - port: {port}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Values.postgres.name }}
spec:
  replicas: {{ .Values.postgres.replicaCount }}
  selector:
    matchLabels:
      app: {{ .Values.postgres.app }}
  template:
    metadata:
      labels:
        app: {{ .Values.postgres.app }}
    spec:
      containers:
        - name: {{ .Values.postgres.name }}
          image: "{{ .Values.postgres.image}}:{{ .Values.postgres.tag }}"
          ports:
            - containerPort: {port}
"""


def helm(name: str, port: str) -> dict[str, str]:
    return {"charts/Chart.yaml": "apiVersion: v2\nname: iris\nversion: 0.1.0\n",
            "charts/values.yaml": CHART_VALUES.replace("{name}", name),
            "charts/templates/postgres.yaml": POSTGRES.replace("{port}", port),
            "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n"}


def test_a_database_named_from_values_yaml_on_its_port_is_left_alone(run_hook: Run) -> None:
    lines, text = run(run_hook, helm("postgres", "5432"))
    assert lines == [], text
    assert "cannot tell: its image is built FROM server software" in text, text


def test_an_app_named_from_values_yaml_still_needs_readiness(run_hook: Run) -> None:
    lines, text = run(run_hook, helm("api", "8000"))
    assert len(lines) == 1 and "missing-readiness" in lines[0], text
    # a database's name on another port is no hint either
    lines, text = run(run_hook, helm("postgres", "8000"))
    assert len(lines) == 1 and "missing-readiness" in lines[0], text


# -- 4. extends: and a ${VAR:-default} image built by CI -----------------------------------------------------
BASE = """\
services:
  app:
    container_name: webapp_app
    command: ['nohup', './web-entrypoint.sh', 'webapp']
    restart: always
    env_file:
      - .env
"""
TOP = """\
services:
  app:
    extends:
      file: docker-compose.base.yml
      service: app
    image: {image}
"""
WORKFLOW = """\
name: Build and push WebApp image
on:
  push:
    tags: [ 'v*.*.*' ]
env:
  REGISTRY: ghcr.io
jobs:
  build-webapp:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Extract Docker metadata
        id: meta
        uses: docker/metadata-action@v5
        with:
          images: ${{ env.REGISTRY }}/example-org/webapp_app
      - name: Build and push
        uses: docker/build-push-action@v5
        with:
          context: .
          tags: ${{ steps.meta.outputs.tags }}
          file: docker/webApp/Dockerfile
"""
WEB_DOCKERFILE = """\
FROM python:3.12
WORKDIR /webapp
COPY docker/webApp/web-entrypoint.sh .
EXPOSE 8000
"""
WEB_ENTRY = ('#!/bin/bash\ntarget=${1:-app}\nif [[ "${target}" == webapp-worker ]] ; then\n    celery -A app.celery worker -E &\n'
             'else\n    gunicorn app:app --bind 0.0.0.0:8000 &\nfi\nwhile true; do sleep 2; done\n')


def extends_repo(image: str = "${APP_IMAGE_NAME:-ghcr.io/example-org/webapp_app}:${APP_IMAGE_TAG:-v2.4.20}",
                 dockerfile: str = WEB_DOCKERFILE, base: str = BASE) -> dict[str, str]:
    return {"docker-compose.yml": TOP.replace("{image}", image), "docker-compose.base.yml": base,
            ".github/workflows/build-webApp.yml": WORKFLOW, "docker/webApp/Dockerfile": dockerfile,
            "docker/webApp/web-entrypoint.sh": WEB_ENTRY, "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n"}


def test_an_extended_service_pulling_a_defaulted_image_ci_builds_is_judged(run_hook: Run) -> None:
    lines, text = run(run_hook, extends_repo())
    assert len(lines) == 1 and lines[0].startswith(f"docker-compose.yml:2:1: {HOOK}: service-without-healthcheck: service app runs gunicorn"), text
    assert "ghcr.io/example-org/webapp_app:v2.4.20 is built from (docker/webApp/Dockerfile, by .github/workflows/build-webApp.yml" in lines[0], text


def test_the_ci_built_image_with_a_healthcheck_is_left_alone(run_hook: Run) -> None:
    dockerfile = WEB_DOCKERFILE + "HEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1\n"
    lines, text = run(run_hook, extends_repo(dockerfile=dockerfile))
    assert [line for line in lines if "service-without-healthcheck" in line] == [], text


def test_an_image_variable_without_a_default_stays_unknown(run_hook: Run) -> None:
    lines, text = run(run_hook, extends_repo(image="${APP_IMAGE}"))
    assert lines == [] and "service app: cannot tell: a registry image" in text, text


def test_an_extended_service_not_kept_running_stays_unknown(run_hook: Run) -> None:
    lines, text = run(run_hook, extends_repo(base=BASE.replace("    restart: always\n", "")))
    assert lines == [] and "service app: cannot tell: a registry image" in text, text


def test_extends_fills_the_base_service_under_its_own_keys() -> None:
    from hooks.checks.check_health_checks import yamlread

    base = next(iter(yamlread.load_all(BASE.replace("command:", "build: ./web\n    command:"))))
    top = next(iter(yamlread.load_all(TOP.replace("{image}", "web:1").replace("docker-compose.base.yml", "sub/base.yml"))))
    got = list(deploy.compose(top, "docker-compose.yml", lambda path: base if path == "sub/base.yml" else None))
    assert len(got) == 1 and got[0].restart == "always" and got[0].image == "web:1"
    assert got[0].build == "sub/web/Dockerfile" and "web-entrypoint.sh" in got[0].command


def test_image_default_and_workflow_env() -> None:
    assert deploy.image_default("${A:-ghcr.io/o/app}:${T-v1}") == "ghcr.io/o/app:v1"
    assert deploy.image_default("${A}:v1") == "${A}:v1"
    made = builds.workflow_builds(".github/workflows/b.yml", WORKFLOW, lambda p: True)
    assert [b.image for b in made] == ["ghcr.io/example-org/webapp_app"]
    assert builds.workflow_builds(".github/workflows/b.yml", WORKFLOW.replace("  REGISTRY: ghcr.io\n", "  X: y\n"), lambda p: True) == []


# -- the EKS miss: a bare image name the repo runs its own start script in; a load balancer's health check ----
EKS_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  namespace: web
  name: web-app-deployment
spec:
  selector:
    matchLabels:
      app: web-app
  template:
    metadata:
      labels:
        app: web-app
    spec:
      containers:
      - name: web-app
        image: {image}
        ports:
        - containerPort: 8000
        command: {command}
"""
EKS_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  namespace: web
  name: web-app-service
{annotations}spec:
  selector:
    app: web-app
  ports:
  - protocol: TCP
    port: 80
    targetPort: 8000
"""
ALB = "  annotations:\n    alb.ingress.kubernetes.io/healthcheck-path: '/login'\n"


def eks(image: str = "webapp_app:v2.2.2", command: str = "['nohup', './web-entrypoint.sh', 'webapp']", annotations: str = "") -> dict[str, str]:
    return {"deploy/eks/app/deployment.yml": EKS_DEPLOYMENT.replace("{image}", image).replace("{command}", command),
            "deploy/eks/app/service.yml": EKS_SERVICE.replace("{annotations}", annotations),
            "docker/webApp/web-entrypoint.sh": WEB_ENTRY, "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n"}


def test_a_bare_image_running_the_repos_start_script_is_the_repos_own(run_hook: Run) -> None:
    lines, text = run(run_hook, eks())
    assert len(lines) == 1 and lines[0].startswith(f"deploy/eks/app/deployment.yml:16:1: {HOOK}: missing-readiness: "
                                                   "Deployment web-app-deployment is behind Service web-app-service"), text


def test_a_bare_official_image_is_still_another_projects(run_hook: Run) -> None:
    lines, text = run(run_hook, eks(image="postgres:16", command="['postgres']"))
    assert lines == [], text
    lines, text = run(run_hook, eks(command="['python', 'listen.py']"))
    assert lines == [], text


def test_a_service_its_load_balancer_health_checks_is_unknown_not_a_finding(run_hook: Run) -> None:
    lines, text = run(run_hook, eks(annotations=ALB))
    assert lines == [], text
    assert "is health-checked by its load balancer at /login (an annotation)" in text, text


# -- a "full stack" built through extends:, its code shared through volumes_from, debug on by default ---------
SERVICES = """\
version: '2.1'
services:
  app:
    build: .
    image: shop:latest
    environment:
      - "SHOP_SECRET_KEY=CHANGE_ME"
      - "FLASK_DEBUG=${FLASK_DEBUG:-on}"
"""
FULL = """\
version: '2.1'
services:
  web:
    extends:
      file: docker-services.yml
      service: app
    command: uwsgi /code/shop/docker/uwsgi/uwsgi.ini
    ports:
      - "5000:5000"
    volumes_from:
      - static
  static:
    extends:
      file: docker-services.yml
      service: app
    restart: "no"
    command: tail -f /var/log/*
    volumes:
      - "/usr/local/var/data"
      - ".:/code/shop"
"""


def full_stack(services: str = SERVICES, full: str = FULL) -> dict[str, str]:
    return {"docker-services.yml": services, "docker-compose.full.yml": full, "Dockerfile": "FROM python:3.12\nCOPY . /code/shop\n",
            "shop/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n"}


def test_a_full_stack_sharing_the_code_through_volumes_from_with_debug_on_is_dev(run_hook: Run) -> None:
    lines, text = run(run_hook, full_stack())
    assert lines == [], text
    assert "service web: development only (service web sets FLASK_DEBUG=on on a bind mount" in text, text


def test_the_same_stack_with_debug_off_by_default_is_judged(run_hook: Run) -> None:
    files = full_stack(SERVICES.replace("${FLASK_DEBUG:-on}", "${FLASK_DEBUG:-off}"))
    # the image's code elsewhere than the mount (.:/code/shop over COPY . /code/shop is a development sign of its own, round 9)
    files["Dockerfile"] = "FROM python:3.12\nCOPY . /srv/shop\n"
    lines, text = run(run_hook, files)
    assert any("service web runs uwsgi" in line for line in lines), text
