"""check-health-checks, the wrong class of held-out round 12, on look-alikes of the real files,
with their leave-alone twins:

1. a compose file that CI only hands to an image builder which pushes what it builds (``taskboot
   build-compose``, ``docker compose build`` + ``push``, ``docker push`` of its images): its app
   services are "built here, run elsewhere", unknown, not findings. A service kept running
   (``restart: always``), a file named for production, a file CI builds but never pushes, or one a
   host deploys with ``docker stack deploy`` is still judged;
2. the compose file in the service's folder is no longer a side harness of such a build list; it is
   judged by its own signs, and ``develop: watch:`` (compose watch) makes it a development stack.

Coverage: a Helm probe written by a helper of the chart (``include "x.probes.abstract" (merge
.Values.backend.probes.liveness (dict "targetPort" ...))``) is rendered from the chart's
``values.yaml`` defaults and judged; a path Dockerflow's Django middleware answers is served; a helper
or an argument the hook cannot evaluate stays "templated"."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from hooks.checks.check_health_checks.builds import compose_build_lists
from hooks.checks.check_health_checks.helmvalues import ChartValues
from tests.helpers.health import run_in_repo

Run = Callable[..., object]
run = run_in_repo

# -- 1. a Flask service and its worker, listed for the image builder ---------------------------
DOCKERFILE = """\
FROM python:3.12-slim
WORKDIR /code
COPY . /code
RUN pip install -r requirements.txt
CMD gunicorn -b 0.0.0.0:$PORT --workers 2 api.app:app
"""
BUILD_LIST = """\
# The version key can go once the builder supports newer files
version: "3.8"

services:
  acme-api:
    build:
      context: .
      dockerfile: api/Dockerfile
    image: acme/acme-api
    environment:
      - API_TOKEN
      - PORT=8000
    ports:
      - target: 8000
        published: 8000
"""
TASKCLUSTER = """\
tasks:
  - taskId: {$eval: as_slugid("docker_build")}
    payload:
      command:
        - "/bin/sh"
        - "-cxe"
        - "git clone --quiet ${repository} /code &&
          cd /code &&
          taskboot --target /code build-compose --write /images --tag latest"
"""
WORKFLOW_BUILD_PUSH = """\
name: images
on: {push: {tags: ["v*"]}}
jobs:
  images:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: docker compose -f docker-compose.yml build
      - run: docker compose -f docker-compose.yml push
"""
WORKFLOW_BUILD_ONLY = """\
name: tests
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: docker compose build
      - run: docker compose run --rm acme-api pytest
"""
APP = "from flask import Flask\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n    return 'ok'\n"


def repo(compose: str, ci: dict[str, str]) -> dict[str, str]:
    return {"docker-compose.yml": compose, "api/Dockerfile": DOCKERFILE, "api/app.py": APP,
            "requirements.txt": "flask\ngunicorn\n", **ci}


def api_finding(lines: list[str]) -> bool:
    return any("service acme-api" in line for line in lines)


@pytest.mark.parametrize("ci", [
    {".taskcluster.yml": TASKCLUSTER},
    {"infra/pipeline.yml": TASKCLUSTER.replace("build-compose --write", "build-compose --registry=registry.hub.docker.com --write")},
    {".github/workflows/images.yml": WORKFLOW_BUILD_PUSH},
    {".github/workflows/images.yml": WORKFLOW_BUILD_ONLY.replace("docker compose run --rm acme-api pytest",
                                                                 "docker push acme/acme-api:latest")},
    {"Makefile": "release:\n\tdocker-compose build --push\n"},
])
def test_a_compose_file_ci_builds_and_pushes_is_unknown(run_hook: Run, ci: dict[str, str]) -> None:
    lines, text = run(run_hook, repo(BUILD_LIST, ci))
    assert not api_finding(lines), text
    assert "built by CI from this compose file and pushed" in text, text


@pytest.mark.parametrize("compose,ci", [
    (BUILD_LIST, {}),  # nothing builds it: the file is what runs
    (BUILD_LIST, {".github/workflows/tests.yml": WORKFLOW_BUILD_ONLY}),  # built for tests, never pushed
    (BUILD_LIST.replace("    image: acme/acme-api\n", "    image: acme/acme-api\n    restart: always\n"),
     {".taskcluster.yml": TASKCLUSTER}),  # kept running: a host runs this file
    (BUILD_LIST, {".github/workflows/images.yml": WORKFLOW_BUILD_ONLY.replace(
        "docker compose run --rm acme-api pytest", "docker push acme/other-image:latest")}),  # pushes another image
    (BUILD_LIST, {".github/workflows/images.yml": WORKFLOW_BUILD_PUSH,
                  "deploy.sh": "docker stack deploy -c docker-compose.yml acme\n"}),  # and a host deploys it
])
def test_a_compose_file_that_runs_is_still_judged(run_hook: Run, compose: str, ci: dict[str, str]) -> None:
    lines, text = run(run_hook, repo(compose, ci))
    assert api_finding(lines), text


def test_a_production_named_file_ci_builds_and_pushes_is_still_judged(run_hook: Run) -> None:
    files = repo(BUILD_LIST, {".github/workflows/images.yml": WORKFLOW_BUILD_PUSH.replace("docker-compose.yml",
                                                                                          "docker-compose.prod.yml")})
    files["docker-compose.prod.yml"] = files.pop("docker-compose.yml")
    lines, text = run(run_hook, files)
    assert api_finding(lines), text


def test_build_lists_read_the_compose_file_each_command_names() -> None:
    texts = {
        ".taskcluster.yml": "command: taskboot --target /code build-compose --compose-file deploy/images.yml --write /images\n",
        "ci/build.sh": "cd services && docker-compose build\ndocker-compose -f $COMPOSE push\n",
        ".gitlab-ci.yml": "script:\n  - docker compose -f a.yml -f b.yml build\n  - docker compose -f a.yml -f b.yml push\n",
    }
    exists = {"deploy/images.yml", "services/compose.yaml", "services/docker-compose.yml", "a.yml", "b.yml"}.__contains__
    found = compose_build_lists(list(texts), texts.get, exists)
    assert sorted(found) == ["a.yml", "b.yml", "deploy/images.yml"]
    assert found["deploy/images.yml"].where == ".taskcluster.yml:1" and found["a.yml"].images is None
    # the script builds services/compose.yaml (the first default name) but pushes only a file it cannot name
    assert "services/compose.yaml" not in found


# -- 2. the service's own compose file, beside the build list ------------------------------------
SERVICE_STACK = """\
version: "3.2"
services:
  acme-api:
    build:
      context: ..
      dockerfile: api/Dockerfile
    develop:
      watch:
        - action: sync+restart
          path: .
          target: /code/api
    image: acme/acme-api
    environment:
      - REDIS_URL=redis://redis:6379/0
      - PORT=8000
    ports:
      - "8000:8000"
    depends_on:
      - redis

  redis:
    image: redis:7
"""


def test_the_service_folder_stack_with_compose_watch_is_development(run_hook: Run) -> None:
    files = repo(BUILD_LIST, {".taskcluster.yml": TASKCLUSTER, "api/docker-compose.yml": SERVICE_STACK})
    lines, text = run(run_hook, files)
    assert not api_finding(lines), text
    assert "api/docker-compose.yml: service acme-api: development only" in text and "develop: watch:" in text, text
    assert "side harness" not in text, text


def test_the_service_folder_stack_beside_a_build_list_is_judged_by_itself(run_hook: Run) -> None:
    stack = SERVICE_STACK.replace("    develop:\n      watch:\n        - action: sync+restart\n          path: .\n"
                                  "          target: /code/api\n", "")
    lines, text = run(run_hook, repo(BUILD_LIST, {".taskcluster.yml": TASKCLUSTER, "api/docker-compose.yml": stack}))
    assert any(line.startswith("api/docker-compose.yml:") and "service acme-api" in line for line in lines), text
    assert "side harness" not in text, text


def test_the_service_folder_stack_beside_a_root_stack_that_runs_stays_a_side_harness(run_hook: Run) -> None:
    stack = SERVICE_STACK.replace("    develop:\n      watch:\n        - action: sync+restart\n          path: .\n"
                                  "          target: /code/api\n", "")
    lines, text = run(run_hook, repo(BUILD_LIST, {"api/docker-compose.yml": stack}))
    assert not any(line.startswith("api/docker-compose.yml:") for line in lines), text
    assert "side harness" in text, text


# -- coverage: Helm probes from a helper and the chart's defaults --------------------------------
PROBE_HELPER = """\
{{/*
Probes of a container, from a values block
*/}}
{{- define "files.probes.abstract" -}}
{{- if .exec -}}
exec:
{{- toYaml .exec | nindent 2 }}
{{- else if .tcpSocket -}}
tcpSocket:
{{- toYaml .tcpSocket | nindent 2 }}
{{- else -}}
httpGet:
  path: {{ .path }}
  port: {{ .targetPort }}
{{- end }}
initialDelaySeconds: {{ .initialDelaySeconds | eq nil | ternary 0 .initialDelaySeconds }}
periodSeconds: {{ .periodSeconds | eq nil | ternary 1 .periodSeconds }}
{{- end }}

{{/*
Full name
*/}}
{{- define "files.fullname" -}}
files
{{- end }}
"""
CHART_VALUES = """\
backend:
  image: files-backend:1.0
  service:
    targetPort: 8000
  probes:
    liveness:
      path: {liveness}
      initialDelaySeconds: 10
    readiness:
      path: {readiness}
  celeryWorker:
    probes:
      liveness:
        exec:
          command: ["/bin/sh", "-c", "celery -A files.celery_app inspect ping -d files@$HOSTNAME"]
"""
BACKEND = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "files.fullname" . }}
spec:
  selector:
    matchLabels:
      app: files-backend
  template:
    metadata:
      labels:
        app: files-backend
    spec:
      containers:
        - name: backend
          image: "{{ .Values.backend.image }}"
          command: ["gunicorn", "-c", "/usr/local/etc/gunicorn/files.py", "files.wsgi:application"]
          ports:
            - name: http
              containerPort: {{ .Values.backend.service.targetPort }}
          {{- if .Values.backend.probes.liveness }}
          livenessProbe:
            {{- include "files.probes.abstract" (merge .Values.backend.probes.liveness (dict "targetPort" .Values.backend.service.targetPort )) | nindent 12 }}
          {{- end }}
          {{- if .Values.backend.probes.readiness }}
          readinessProbe:
            {{- include "files.probes.abstract" (merge .Values.backend.probes.readiness (dict "targetPort" .Values.backend.service.targetPort )) | nindent 12 }}
          {{- end }}
          {{- if .Values.backend.probes.startup }}
          startupProbe:
            {{- include "files.probes.abstract" (merge .Values.backend.probes.startup (dict "targetPort" .Values.backend.service.targetPort )) | nindent 12 }}
          {{- end }}
"""
SETTINGS = """\
ROOT_URLCONF = "files.urls"
ALLOWED_HOSTS = ["*"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    {dockerflow}
]
"""
URLS = """\
from django.urls import path

from files import views

urlpatterns = [
    path("api/v1.0/items/", views.items),
]
"""


def helm_repo(liveness: str = "/__lbheartbeat__", readiness: str = "/__heartbeat__", dockerflow: bool = True,
              backend: str = BACKEND) -> dict[str, str]:
    middleware = '"dockerflow.django.middleware.DockerflowMiddleware",' if dockerflow else ""
    return {"helm/files/Chart.yaml": "apiVersion: v2\nname: files\nversion: 0.1.0\n",
            "helm/files/values.yaml": CHART_VALUES.format(liveness=liveness, readiness=readiness),
            "helm/files/templates/_helpers.tpl": PROBE_HELPER, "helm/files/templates/backend_deployment.yaml": backend,
            "src/backend/files/settings.py": SETTINGS.format(dockerflow=middleware), "src/backend/files/urls.py": URLS,
            "src/backend/files/views.py": "def items(request):\n    return None\n", "src/backend/files/__init__.py": ""}


def test_helm_probes_from_the_chart_defaults_on_dockerflow_routes_pass(run_hook: Run) -> None:
    lines, text = run(run_hook, helm_repo())
    assert not lines, text
    # only the startup probe, which the defaults do not set, is left templated
    assert all("startupProbe" in line for line in text.splitlines() if "the probe is templated" in line), text


def test_a_helm_probe_from_the_chart_defaults_on_a_path_nothing_serves_is_found(run_hook: Run) -> None:
    lines, text = run(run_hook, helm_repo(readiness="/healthz"))
    found = [line for line in lines if "probe-path-not-a-route" in line]
    assert len(found) == 1 and "/healthz" in found[0] and "helm/files/values.yaml" in found[0], text
    assert "backend_deployment.yaml:27:" in found[0], text  # the include under readinessProbe:


def test_dockerflow_paths_without_its_middleware_are_not_routes(run_hook: Run) -> None:
    lines, text = run(run_hook, helm_repo(dockerflow=False))
    assert sum("probe-path-not-a-route" in line for line in lines) == 2, text


def test_a_probe_helper_argument_the_hook_cannot_evaluate_stays_templated(run_hook: Run) -> None:
    backend = BACKEND.replace("(merge .Values.backend.probes.readiness (dict", "(merge (default dict .Values.x) (dict")
    lines, text = run(run_hook, helm_repo(readiness="/healthz", backend=backend))
    assert not any("/healthz" in line for line in lines), text
    assert "readinessProbe of container backend" in text and "the probe is templated" in text, text


@pytest.mark.parametrize("argument,expected", [
    ('(merge .Values.backend.probes.liveness (dict "targetPort" .Values.backend.service.targetPort ))',
     {"httpGet": {"path": "/__lbheartbeat__", "port": 8000}}),
    ('(merge $.Values.backend.celeryWorker.probes.liveness (dict "targetPort" 8000))',
     {"exec": {"command": ["/bin/sh", "-c", "celery -A files.celery_app inspect ping -d files@$HOSTNAME"]}}),
    ('(merge .Values.backend.probes.startup (dict "targetPort" 8000))', None),  # no default: not rendered
    ('(merge $worker.probes.liveness (dict "targetPort" 8000))', None),  # a range variable
    (".Values.backend.probes.liveness", None),  # no targetPort: Go would print <no value>
])
def test_probe_helpers_rendered_from_values(argument: str, expected: dict[str, object] | None) -> None:
    files = helm_repo()
    values = ChartValues(files.get, sorted(files))
    lines = ["          livenessProbe:", f'            {{{{- include "files.probes.abstract" {argument} | nindent 12 }}}}']
    got = values.probe("helm/files", lines, 1, "livenessProbe")
    if expected is None:
        assert got is None
    else:
        assert got is not None and {k: got[k] for k in expected} == expected
        assert got["periodSeconds"] == "__templated__"
