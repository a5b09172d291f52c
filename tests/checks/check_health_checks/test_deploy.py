"""check-health-checks' readers of deploy files (deploy.py): what a health check
asks for, written the ways compose files, Dockerfiles and manifests write it."""
from __future__ import annotations

from textwrap import dedent

import pytest

from hooks.checks.check_health_checks import deploy, yamlread


@pytest.mark.parametrize("command, path, port, follows, host", [
    ("curl -f http://localhost:8000/health/?full=1", "/health/", 8000, False, False),
    ("curl -fsSL http://127.0.0.1:8000", "/", 8000, True, False),
    ("curl --location --fail localhost:8080/ping", "/ping", 8080, True, False),
    ("wget -qO- http://0.0.0.0:5000/api/health", "/api/health", 5000, True, False),
    ("curl -f -H 'Host: shop.example.com' http://localhost:8000/ready", "/ready", 8000, False, True),
    ("python -c \"import urllib.request; urllib.request.urlopen('http://localhost:8000/healthz')\"", "/healthz", 8000, False, False),
])
def test_the_url_a_command_asks_for(command: str, path: str, port: int, follows: bool, host: bool) -> None:
    check = deploy.command_check(command, "docker-compose.yml", 9, "compose")
    assert (check.kind, check.path, check.port, check.follows, check.host_header, check.remote) == ("http", path, port, follows, host, False)


@pytest.mark.parametrize("command, kind, why", [
    ("curl -f http://localhost:${PORT}/health", "http", "the URL is read from the environment"),
    ("curl -f $HEALTH_URL", "http", "the URL is not written out"),
    ("nc -z localhost 8000", "tcp", ""),
    ("pgrep gunicorn", "tcp", ""),
    ("bash -c '</dev/tcp/localhost/8000'", "tcp", ""),
    ("/app/healthcheck.sh", "exec", "it runs a script"),
    ("python manage.py health_check", "exec", "it runs a script"),
    ("celery -A shop inspect ping", "exec", ""),
])
def test_checks_that_ask_no_literal_path(command: str, kind: str, why: str) -> None:
    check = deploy.command_check(command, "compose.yaml", 3, "compose")
    assert (check.kind, check.path, check.unknown) == (kind, None, why)


def test_a_check_of_another_hosts_url_is_remote_and_a_bad_port_is_none() -> None:
    remote = deploy.command_check("curl -f https://status.example.com/health", "compose.yaml", 3, "compose")
    assert remote.remote and remote.path == "/health"
    bad_port = deploy.command_check("curl -f http://localhost:99999/health", "compose.yaml", 3, "compose")
    assert bad_port.path == "/health" and bad_port.port is None
    unbalanced = deploy.command_check("curl -f 'http://localhost:8000/health", "compose.yaml", 3, "compose")
    assert unbalanced.path == "/health"  # an unbalanced quote is read as plain words


def load(text: str) -> list[object]:
    return list(yamlread.load_all(dedent(text)))


def test_probe_handlers_of_every_kind() -> None:
    [doc] = load("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report}
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                    - name: tcp
                      image: acme/report
                      readinessProbe: {tcpSocket: {port: 8000}, failureThreshold: 2, periodSeconds: 5}
                      livenessProbe: {grpc: {port: 9000}}
                      startupProbe: {exec: {command: [curl, -f, "http://localhost:8000/up"]}}
                    - name: odd
                      image: acme/report
                      readinessProbe: {initialDelaySeconds: 3}
                      livenessProbe:
                        httpGet: {path: /live, port: 8000, scheme: HTTPS}
                    - name: remote
                      image: acme/report
                      ports: "{{ ports }}"
                      env:
                        - {name: DJANGO_SETTINGS_MODULE, value: shop.settings.production}
                        - {name: SECRET, valueFrom: {secretKeyRef: {name: s, key: k}}}
                      readinessProbe:
                        httpGet: {path: /ready, port: 8000, host: status.example.com, httpHeaders: "{{ headers }}"}
    """)
    [workload] = deploy.kubernetes([doc], "cron.yaml", "")
    assert isinstance(workload, deploy.Workload) and workload.kind == "CronJob"
    tcp, odd, remote = workload.containers
    assert tcp.probes["readinessProbe"].kind == "tcp" and tcp.probes["readinessProbe"].tolerance == 10
    assert tcp.probes["livenessProbe"].kind == "grpc" and tcp.probes["livenessProbe"].port == 9000
    assert tcp.probes["startupProbe"].kind == "http" and tcp.probes["startupProbe"].path == "/up"
    assert odd.probes["readinessProbe"].kind == "unknown" and odd.probes["readinessProbe"].unknown == "no handler the hook knows"
    assert odd.probes["livenessProbe"].path == "/live" and not odd.probes["livenessProbe"].remote
    assert remote.probes["readinessProbe"].remote and remote.probes["readinessProbe"].host_header
    assert remote.env == {"DJANGO_SETTINGS_MODULE": "shop.settings.production", "SECRET": None}
    assert remote.ports == [(yamlread.TEMPLATE_KEY, "")]


def test_a_templated_probe_or_path_is_unknown() -> None:
    text = yamlread.mask_helm(dedent("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: "{{ .Release.Name }}-web"}
        spec:
          template:
            metadata:
              labels:
                {{- include "web.labels" . | nindent 8 }}
            spec:
              containers:
                - name: web
                  image: "{{ .Values.image }}"
                  readinessProbe:
                    {{- toYaml .Values.readinessProbe | nindent 12 }}
                  livenessProbe:
                    httpGet:
                      path: {{ .Values.health.path }}
                      port: http
    """))
    [workload] = deploy.kubernetes(yamlread.load_all(text), "templates/web.yaml", "chart")
    assert isinstance(workload, deploy.Workload)
    assert workload.name == "{{...}}-web"
    assert yamlread.TEMPLATE_KEY in workload.labels
    web = workload.containers[0]
    assert web.probes["readinessProbe"].unknown == "the probe is templated"
    assert web.probes["livenessProbe"].unknown == "the path is templated" and web.probes["livenessProbe"].path is None


def test_services_and_selectors() -> None:
    docs = load("""
        kind: List
        items:
          - kind: Service
            metadata: {name: web, namespace: shop}
            spec: {selector: {app: web, tier: front}}
          - kind: Service
            metadata: {name: headless}
            spec: {clusterIP: None}
          - kind: Pod
            metadata: {name: one, labels: {app: web, tier: front}}
            spec: {containers: [{name: web, image: acme/web}]}
          - kind: Deployment
            metadata: {name: broken}
            spec: {template: []}
    """)
    found = list(deploy.kubernetes(docs, "all.yaml", ""))
    services = [f for f in found if isinstance(f, deploy.KService)]
    pods = [f for f in found if isinstance(f, deploy.Workload)]
    assert [s.name for s in services] == ["web"] and services[0].namespace == "shop"
    assert [p.name for p in pods] == ["one"] and pods[0].labels == {"app": "web", "tier": "front"}
    assert deploy.selects({"app": "web"}, {"app": "web", "tier": "front"}) is True
    assert deploy.selects({"app": "web", "tier": "back"}, {"app": "web", "tier": "front"}) is False
    assert deploy.selects({}, {"app": "web"}) is False
    assert deploy.selects({"app": "api"}, {"other": "x"}) is False
    assert deploy.selects({"app": "TEMPLATED_10"}, {"app": "web"}) is None  # a templated value may be the same: cannot tell
    assert deploy.selects({"app": "TEMPLATED_10"}, {"app": "TEMPLATED_10"}) is True  # the same expression
    assert deploy.selects({"app": "web"}, {yamlread.TEMPLATE_KEY: "x"}) is None
    assert deploy.selects({yamlread.TEMPLATE_KEY: '{{ include "web.selectorLabels" . }}'},
                          {yamlread.TEMPLATE_KEY: '{{ include "web.labels" . }}'}) is True
    assert deploy.selects({yamlread.TEMPLATE_KEY: '{{ include "web.selectorLabels" . }}'},
                          {yamlread.TEMPLATE_KEY: '{{ include "worker.labels" . }}'}) is None


def test_compose_services_as_written() -> None:
    [doc] = load("""
        services:
          web:
            build: {context: ./backend, dockerfile: docker/Dockerfile.prod, target: production}
            entrypoint: [/entrypoint.sh]
            command: gunicorn app.wsgi
            volumes:
              - type: bind
                source: ./backend
                target: /app
          worker:
            build: ${CONTEXT}
            command: celery -A app worker
            healthcheck: {test: [NONE]}
          api:
            build: api
            volumes: [media:/media, "/abs:/abs"]
            healthcheck:
              test: curl -f http://localhost:8000/health
          quiet:
            image: acme/off
            healthcheck: {disable: true}
    """)
    web, worker, api, quiet = deploy.compose(doc, "deploy/docker-compose.yml")
    assert (web.build, web.context, web.target, web.own_entrypoint, web.mounts_source) == (
        "deploy/backend/docker/Dockerfile.prod", "deploy/backend", "production", True, True)
    assert web.command == "/entrypoint.sh gunicorn app.wsgi"
    assert (worker.build, worker.healthcheck_disabled) == (None, True)
    assert api.build == "deploy/api/Dockerfile" and not api.mounts_source and api.healthcheck is not None
    assert api.healthcheck.path == "/health"
    assert quiet.healthcheck_disabled and quiet.image == "acme/off"
    assert list(deploy.compose(None, "x.yml")) == [] and list(deploy.compose(yamlread.Map(), "x.yml")) == []


@pytest.mark.parametrize("path, compose", [
    ("docker-compose.yml", True), ("compose.yaml", True), ("docker-compose.prod.yml", True), ("deploy/app.compose.yml", True),
    ("values.yaml", False), ("composer.yml", False)])
def test_compose_file_names(path: str, compose: bool) -> None:
    assert deploy.is_compose_file(path) is compose


@pytest.mark.parametrize("path, docker", [
    ("Dockerfile", True), ("docker/Dockerfile.prod", True), ("web.Dockerfile", True), ("Dockerfile-worker", True),
    ("app.dockerfile", True), ("Dockerfile.md", True), ("dockerfiles/README", False)])
def test_dockerfile_names(path: str, docker: bool) -> None:
    assert deploy.is_dockerfile(path) is docker


def test_dockerfile_stages_commands_and_healthchecks() -> None:
    text = dedent("""\
        # escape=`
        FROM --platform=linux/amd64 python:3.12 AS base
        HEALTHCHECK --interval=30s CMD ["curl", "-f", "http://localhost:8000/health"]
        EXPOSE 8000

        FROM base AS web
        ENTRYPOINT ["/entrypoint.sh"]
        CMD gunicorn app.wsgi `
            # a comment inside the continued line
            --bind 0.0.0.0:8000

        FROM python:3.12 AS worker
        HEALTHCHECK NONE
        CMD ["celery", "-A", "app", "worker"]
    """)
    docker = deploy.dockerfile("Dockerfile", text)
    assert [s["name"] for s in docker.stages] == ["base", "web", "worker"]
    check, none = docker.healthcheck("web")
    assert check is not None and check.path == "/health" and not none
    assert docker.entrypoint("web") == "/entrypoint.sh"
    assert docker.command("web") == "/entrypoint.sh gunicorn app.wsgi --bind 0.0.0.0:8000"
    assert docker.healthcheck() == (docker.stages[2]["healthcheck"], True)
    assert docker.has_healthcheck_at(1) and docker.has_healthcheck_at(2)
    assert deploy.Dockerfile("empty").final() == [] and deploy.Dockerfile("empty").command() == ""


def test_the_unit_a_manifest_deploys_with() -> None:
    assert deploy.unit_of("charts/web/templates/deploy.yaml", ["charts/web", "charts/worker"]) == "charts/web"
    assert deploy.unit_of("k8s/base/deploy.yaml", ["charts/web"]) == "k8s/base"
    assert deploy.unit_of("templates/deploy.yaml", [""]) == deploy.unit_of("templates/service.yaml", [""])
