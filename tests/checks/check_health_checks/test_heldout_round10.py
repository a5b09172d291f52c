"""check-health-checks, the miss, the wrong class and the observations of held-out round 10, on
look-alikes of the real files, with their leave-alone twins:

1. a probe that checks nothing (``exec: [pwd]``, ``true``, ``exit 0``, ``echo ok``, ``ls``, ``cat`` of a
   file the image ships; compose ``test: [CMD, "true"]``) on a container that serves: probe-checks-nothing,
   naming the app's health route when the hook reads one; a check that looks at something (a file the
   app writes, a command of the app, a pipe) and a portless worker are left alone;
2. a development-only fake of an outside service: a chart the repo's helmfile installs only in a
   ``dev``/``development``/``local`` environment, or a container that starts a ``start-dev.sh`` script,
   is development, skipped and said in --verbose;
3. a mobile app (an Android Gradle build, an ``android/``/``ios/`` folder, an Ionic/Capacitor
   package.json) is no server of another language: the Python app's probes are judged;
4. a workload of the repo's own image built FROM a database (``…/accounts-db:v1``) that declares only
   that database's well-known port (5432) is server software: unknown, not missing-readiness."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from hooks.checks.check_health_checks.deploy import always_succeeds
from tests.helpers.health import run_in_repo

Run = Callable[..., object]
run = run_in_repo

# -- 1. a probe that checks nothing ----------------------------------------------------------------
SETTINGS = "ROOT_URLCONF = 'registry.urls'\nALLOWED_HOSTS = ['*']\nINSTALLED_APPS = ['registry']\n"
URLS = """\
from django.urls import path

from registry import views

urlpatterns = [
    path("wells/", views.wells),
    path("status/health", views.health),
]
"""
BACKEND = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: registry-backend
  labels: {app: registry-backend}
spec:
  selector: {matchLabels: {app: registry-backend}}
  template:
    metadata:
      labels: {app: registry-backend}
    spec:
      containers:
        - name: registry-backend
          image: registry.example.org/wells/registry-backend:latest
          livenessProbe:
            exec:
              command:
                - PROBE
            periodSeconds: 10
          ports:
            - containerPort: 8000
              name: http
          readinessProbe:
            exec:
              command:
                - PROBE
            periodSeconds: 5
"""


def django(manifest: str) -> dict[str, str]:
    return {"openshift/backend.deployment.yaml": manifest, "app/registry/settings.py": SETTINGS, "app/registry/urls.py": URLS,
            "app/registry/views.py": "def wells(request):\n    pass\n\n\ndef health(request):\n    pass\n"}


def noop_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if "probe-checks-nothing" in line]


@pytest.mark.parametrize("probe", ["pwd", "true", "/bin/true"])
def test_an_exec_probe_that_always_succeeds_is_a_finding(run_hook: Run, probe: str) -> None:
    lines, text = run(run_hook, django(BACKEND.replace("PROBE", probe)))
    found = noop_lines(lines)
    assert len(found) == 2, text
    assert f"livenessProbe of container registry-backend in Deployment registry-backend runs `{probe}`, which always succeeds" in found[0]
    assert "a hung app is never restarted" in found[0] and "the pod counts as ready before the app answers" in found[1], text
    assert "the app serves /status/health: use httpGet: {path: /status/health, port: http}" in found[1], text


@pytest.mark.parametrize("probe", ["cat /tmp/healthy", "python manage.py check --deploy", "pgrep gunicorn"])
def test_an_exec_probe_that_looks_at_something_is_left_alone(run_hook: Run, probe: str) -> None:
    lines, text = run(run_hook, django(BACKEND.replace("PROBE", probe)))
    assert not noop_lines(lines), text


def test_a_portless_worker_with_a_probe_that_checks_nothing_is_left_alone(run_hook: Run) -> None:
    worker = BACKEND.replace("PROBE", "true").replace("          ports:\n            - containerPort: 8000\n              name: http\n", "")
    lines, text = run(run_hook, django(worker.replace("registry-backend:latest", "registry-backend:latest\n          command: [python, worker.py]")))
    assert not noop_lines(lines), text


def test_no_route_known_says_to_point_it_at_one(run_hook: Run) -> None:
    files = django(BACKEND.replace("PROBE", "pwd"))
    files["app/registry/urls.py"] = URLS.replace('    path("status/health", views.health),\n', "")
    lines, text = run(run_hook, files)
    assert "point it at a health route of the app: use httpGet: {path: /<health route>, port: http}" in noop_lines(lines)[0], text


COMPOSE = """\
services:
  web:
    build: .
    command: gunicorn registry.wsgi --bind 0.0.0.0:8000
    restart: always
    healthcheck:
      test: TEST
  cache:
    image: redis:7
    healthcheck:
      test: ["CMD-SHELL", "exit 0"]
"""


@pytest.mark.parametrize("test, caught", [('["CMD", "true"]', True), ('["CMD-SHELL", "exit 0"]', True), ('"echo ok"', True),
                                          ('["CMD", "curl", "-f", "http://localhost:8000/status/health"]', False),
                                          ('["CMD-SHELL", "test -f /tmp/app-ready"]', False)])
def test_a_compose_check_that_always_succeeds(run_hook: Run, test: str, caught: bool) -> None:
    files = {"docker-compose.yml": COMPOSE.replace("TEST", test), "Dockerfile": "FROM python:3.12\nCOPY . /srv\n",
             "registry/settings.py": SETTINGS, "registry/urls.py": URLS}
    lines, text = run(run_hook, files)
    found = noop_lines(lines)
    assert len(found) == (1 if caught else 0), text
    if caught:
        assert "the health check of service web runs" in found[0] and "http://localhost:<port>/status/health" in found[0], text


@pytest.mark.parametrize("command", ["pwd", "true", "/usr/bin/true", "exit 0", "sh -c 'exit 0'", "/bin/sh -c true", "echo ok",
                                     "echo 'healthy'", "ls", "ls /app", "cat /etc/hostname", "true && pwd"])
def test_commands_that_always_succeed(command: str) -> None:
    assert always_succeeds(command)


@pytest.mark.parametrize("command", ["cat /tmp/healthy", "ls /app/run/ready", "echo ruok | nc localhost 2181", "exit 1",
                                     "python manage.py check", "curl -f http://localhost/", "echo $STATUS", "test -f /tmp/ready",
                                     "celery -A app inspect ping", "true || false"])
def test_commands_that_check_something(command: str) -> None:
    assert not always_succeeds(command)


# -- 2. a development-only fake of an outside service ------------------------------------------------
FAKE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: mailbox
  labels:
    app: mailbox
spec:
  selector:
    matchLabels:
      app: mailbox
  template:
    metadata:
      labels:
        app: mailbox
    spec:
      containers:
        - name: mailbox
          command: ["/bin/sh", "-c", "COMMAND"]
          image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
          ports:
            - containerPort: 8000
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: mailbox
spec:
  selector:
    app: mailbox
  ports:
    - port: 8000
"""
HELMFILE = """\
environments:
  dev:
    values:
      - version: 0.0.1
---
releases:
  - name: postgres
    installed: {{ regexMatch "^dev.*" .Environment.Name | toYaml }}
    chart: bitnami/postgresql

  - name: mailbox
    installed: INSTALLED
    namespace: {{ .Namespace }}
    chart: ./mailbox
"""


def fake_chart(command: str = "/opt/mailbox/start.sh", installed: str = '{{ eq .Environment.Name "dev" | toYaml }}',
               helmfile: bool = True) -> dict[str, str]:
    files = {"deploy/helm/mailbox/Chart.yaml": "apiVersion: v2\nname: mailbox\nversion: 0.1.0\n",
             "deploy/helm/mailbox/values.yaml": "image:\n  repository: registry.example.org/mail/mailbox-api\n  tag: v0.1\n",
             "deploy/helm/mailbox/templates/deployment.yaml": FAKE.replace("COMMAND", command),
             "deploy/helm/mailbox/templates/service.yaml": SERVICE}
    if helmfile:
        files["deploy/helm/helmfile.yaml"] = HELMFILE.replace("INSTALLED", installed)
    return files


def readiness(lines: list[str]) -> bool:
    return any("missing-readiness: Deployment mailbox" in line for line in lines)


@pytest.mark.parametrize("env", ["dev", "development", "local"])
def test_a_chart_the_helmfile_installs_only_in_development_is_skipped(run_hook: Run, env: str) -> None:
    lines, text = run(run_hook, fake_chart(installed=f'{{{{ eq .Environment.Name "{env}" | toYaml }}}}'))
    assert not readiness(lines), text
    why = f"development only (deploy/helm/helmfile.yaml:12 installs it only in the {env} environment)"
    assert f"deploy/helm/mailbox/templates/deployment.yaml: {why}" in text, text


@pytest.mark.parametrize("installed", ['{{ eq .Environment.Name "production" | toYaml }}', "true"])
def test_a_chart_the_helmfile_installs_elsewhere_is_judged(run_hook: Run, installed: str) -> None:
    lines, text = run(run_hook, fake_chart(installed=installed))
    assert readiness(lines), text


def test_a_chart_with_no_helmfile_or_a_second_release_is_judged(run_hook: Run) -> None:
    lines, text = run(run_hook, fake_chart(helmfile=False))
    assert readiness(lines), text


def test_a_chart_also_installed_by_an_unconditioned_release_is_judged(run_hook: Run) -> None:
    files = fake_chart()
    files["deploy/helm/helmfile.yaml"] += "\n  - name: mailbox-prod\n    chart: ./mailbox\n"
    lines, text = run(run_hook, files)
    assert readiness(lines), text


@pytest.mark.parametrize("script", ["/opt/mailbox/start-dev.sh", "./bin/run_dev_server.sh", "start-local.sh"])
def test_a_container_starting_a_development_script_is_skipped(run_hook: Run, script: str) -> None:
    lines, text = run(run_hook, fake_chart(command=script, helmfile=False))
    assert not readiness(lines), text
    assert "Deployment mailbox: development only (its container starts" in text, text


@pytest.mark.parametrize("script", ["/opt/mailbox/start.sh", "./bin/run_server.sh", "/devices/start.sh"])
def test_a_container_starting_another_script_is_judged(run_hook: Run, script: str) -> None:
    lines, text = run(run_hook, fake_chart(command=script, helmfile=False))
    assert readiness(lines), text


# -- 3. a mobile app beside the Python API -------------------------------------------------------------
API = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: registry.example.org/fire/api:1
          ports: [{containerPort: 8080}]
          readinessProbe:
            httpGet: {path: /api/readyz, port: 8080}
"""
FASTAPI = "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/api/ready')\ndef ready():\n    return {}\n"


@pytest.mark.parametrize("name, text", [
    ("mobile/app/android/app/build.gradle", "apply plugin: 'com.android.application'\n"),
    ("mobile/app/build.gradle", "plugins {\n    id 'com.android.application'\n}\n"),
    ("mobile/app/ios/App/Gemfile", "gem 'cocoapods'\n"),
    ("mobile/app/package.json", '{"dependencies": {"@capacitor/core": "6.0.0", "express": "4.0.0"}}\n'),
])
def test_a_mobile_app_is_no_server_of_another_language(run_hook: Run, name: str, text: str) -> None:
    lines, out = run(run_hook, {"k8s/api.yaml": API, "api/app/main.py": FASTAPI, name: text})
    assert any("probe-path-not-a-route: readinessProbe of container api" in line for line in lines), out


@pytest.mark.parametrize("name, text", [("services/billing/build.gradle", "apply plugin: 'java'\n"),
                                        ("web/package.json", '{"dependencies": {"express": "4.0.0"}}\n')])
def test_a_server_of_another_language_still_makes_the_probe_unknown(run_hook: Run, name: str, text: str) -> None:
    lines, out = run(run_hook, {"k8s/api.yaml": API, "api/app/main.py": FASTAPI, name: text})
    assert not lines and f"may not run the Python app ({name} is in the repo)" in out, out


# -- 4. the repo's own image built FROM postgres --------------------------------------------------------
DB = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: accounts-db
spec:
  serviceName: accounts-db
  selector: {matchLabels: {app: accounts-db}}
  template:
    metadata: {labels: {app: accounts-db}}
    spec:
      containers:
        - name: accounts-db
          image: europe-docker.pkg.dev/bank/demo/accounts-db:v0.6@sha256:0123
          ports:
            PORTS
---
apiVersion: v1
kind: Service
metadata:
  name: accounts-db
spec:
  selector: {app: accounts-db}
  ports: [{port: 5432}]
"""


def test_a_database_image_of_the_repo_on_its_well_known_port_is_unknown(run_hook: Run) -> None:
    lines, text = run(run_hook, {"kubernetes-manifests/accounts-db.yaml": DB.replace("PORTS", "- containerPort: 5432")})
    assert not lines, text
    assert "declare only the well-known ports of server software (5432)" in text, text


@pytest.mark.parametrize("ports", ["- containerPort: 8080", "- containerPort: 5432\n            - containerPort: 8080"])
def test_a_workload_with_another_port_is_judged(run_hook: Run, ports: str) -> None:
    lines, text = run(run_hook, {"kubernetes-manifests/accounts-db.yaml": DB.replace("PORTS", ports)})
    assert any("missing-readiness: StatefulSet accounts-db" in line for line in lines), text


def test_a_workload_on_a_database_port_not_named_for_one_is_judged(run_hook: Run) -> None:
    manifest = DB.replace("PORTS", "- containerPort: 5432").replace("accounts-db", "accounts")
    lines, text = run(run_hook, {"kubernetes-manifests/accounts.yaml": manifest})
    assert any("missing-readiness: StatefulSet accounts" in line for line in lines), text
