"""check-health-checks, the classes the independent judge found in held-out
round 4, on look-alikes of the real files: a Django project routed by
django-hosts (``ROOT_URLCONF`` a placeholder, the routes in the ``host()``
urlconfs, some pulled in through ``__import__(SITE_PACKAGE + ".urls")``); a
Helm chart whose redis and sandbox mongo take their image from values.yaml
(the mongo one disabled by default); Argo Rollouts behind a Service with no
readinessProbe; a gRPC-only server told to use tcpSocket/grpc. Each with the
finding that must stay."""
from __future__ import annotations

from collections.abc import Callable

from tests.helpers.health import run_in_repo

HOOK = "check-health-checks"
Run = Callable[..., object]


run = run_in_repo  # the shared runner: files staged in a repo here, the hook with --verbose


# -- 1. django-hosts: the host() urlconfs are the route table ---------------------------------------
SETTINGS = """\
import os

SITE_PACKAGE = "sites.sefaria"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django_hosts",
    "reader",
]
MIDDLEWARE = [
    "django_hosts.middleware.HostsRequestMiddleware",  # must be first
    "django.middleware.common.CommonMiddleware",
    "django_hosts.middleware.HostsResponseMiddleware",  # must be last
]
ROOT_URLCONF = "sefaria.urls"
ROOT_HOSTCONF = "sefaria.hosts"
DEFAULT_HOST = "library"
"""
PLACEHOLDER = """\
# Minimal URLconf required by ROOT_URLCONF.
# All real routing is handled by django-hosts (urls_library, urls_sheets).
urlpatterns = []
"""
HOSTS = """\
from django_hosts import patterns, host
from django.conf import settings

library_domain = "|".join(settings.LIBRARY_DOMAINS)
voices_domain = "|".join(settings.VOICES_DOMAINS)
host_patterns = patterns('',
    host(library_domain, 'sefaria.urls_library', name='library'),
    host(voices_domain, 'sefaria.urls_sheets', name='voices'),
)
"""
LIBRARY = """\
from django.urls import re_path
import reader.views as reader_views

urlpatterns = [
    re_path(r'^$', reader_views.home, name="home"),
    re_path(r'^texts/?$', reader_views.texts_list),
    re_path(r'^healthz/?$', reader_views.health_check),
]
"""
SHEETS = """\
from django.urls import re_path
import reader.views as reader_views

urlpatterns = [
    re_path(r'^sheets/?$', reader_views.sheets_home),
    re_path(r'^healthz-voices/?$', reader_views.health_check),
]
"""
ROLLOUT_WEB = """\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: {{ .Values.deployEnv }}-web
spec:
  selector:
    matchLabels:
      app: web-{{ .Values.deployEnv }}
  template:
    metadata:
      labels:
        app: web-{{ .Values.deployEnv }}
    spec:
      containers:
      - name: web
        image: "{{ .Values.web.containerImage.imageRegistry }}:{{ .Values.web.containerImage.tag }}"
        args: ["python manage.py migrate && gunicorn sefaria.wsgi --bind 0.0.0.0:80"]
        ports:
        - containerPort: 80
          protocol: TCP
        readinessProbe:
          httpGet:
            path: {path}
            port: 80
            httpHeaders:
            - name: Host
              value: www.sefaria.org
  strategy:
    canary:
      steps:
      - setWeight: 20
"""
SERVICE_WEB = """\
apiVersion: v1
kind: Service
metadata:
  name: web-{{ .Values.deployEnv }}
spec:
  ports:
  - port: 80
  selector:
    app: web-{{ .Values.deployEnv }}
"""
CHART = {"helm-chart/sefaria/Chart.yaml": "apiVersion: v2\nname: sefaria\nversion: 0.1.0\n",
         "helm-chart/sefaria/templates/service/web.yaml": SERVICE_WEB}


def sefaria(path: str, **extra: str) -> dict[str, str]:
    return {"sefaria/__init__.py": "", "sefaria/settings.py": SETTINGS, "sefaria/urls.py": PLACEHOLDER, "sefaria/hosts.py": HOSTS,
            "sefaria/urls_library.py": LIBRARY, "sefaria/urls_sheets.py": SHEETS, "sefaria/wsgi.py": "",
            "reader/__init__.py": "", "reader/views.py": "def home(request):\n    pass\n", **CHART,
            "helm-chart/sefaria/templates/rollout/web.yaml": ROLLOUT_WEB.replace("{path}", path), **extra}


def test_a_path_a_django_hosts_urlconf_serves_is_a_route(run_hook: Run) -> None:
    for path in ("/healthz", "/healthz-voices"):  # the default host's urlconf, and another host's
        lines, text = run(run_hook, sefaria(path))
        assert lines == [], text


def test_a_path_no_host_urlconf_serves_is_still_not_a_route(run_hook: Run) -> None:
    lines, text = run(run_hook, sefaria("/healthcheck"))
    assert len(lines) == 1 and "probe-path-not-a-route" in lines[0] and "/healthcheck" in lines[0], text
    assert "sefaria/urls_library.py" in lines[0] and "sefaria/urls_sheets.py" in lines[0], text


def test_a_host_urlconf_the_hook_cannot_name_makes_the_path_unknown(run_hook: Run) -> None:
    files = sefaria("/healthcheck")
    files["sefaria/hosts.py"] = HOSTS.replace("'sefaria.urls_sheets'", "settings.VOICES_URLCONF")
    lines, text = run(run_hook, files)
    assert lines == [], text
    assert "is not a literal" in text, text


SITE_URLS = """\
from sefaria.settings import SITE_PACKAGE

__temp = __import__(SITE_PACKAGE + ".urls", fromlist=["site_urlpatterns"])
site_urlpatterns = __temp.site_urlpatterns
"""
SHARED = """\
from django.urls import re_path
from sefaria.site.urls import site_urlpatterns
import reader.views as reader_views

shared_patterns = [
    re_path(r'^api/texts/(?P<tref>.+)$', reader_views.texts_api),
]
shared_patterns += site_urlpatterns
"""
DYNAMIC_LIBRARY = """\
from django.urls import re_path
from importlib import import_module
from django.conf import settings
import reader.views as reader_views

urlpatterns = [
    re_path(r'^$', reader_views.home, name="home"),
]
urlpatterns += import_module(settings.SITE_PACKAGE + ".urls").site_urlpatterns
"""


def test_routes_pulled_in_through_a_dynamic_import_make_the_path_unknown(run_hook: Run) -> None:
    # __import__(SITE_PACKAGE + ".urls"), as Sefaria's sefaria/site/urls.py: what it adds is not known
    files = sefaria("/healthz-rollout", **{"sefaria/site/__init__.py": "", "sefaria/site/urls.py": SITE_URLS,
                                           "sefaria/urls_shared.py": SHARED})
    files["sefaria/urls_library.py"] = LIBRARY + "\nfrom sefaria.urls_shared import shared_patterns\nurlpatterns += shared_patterns\n"
    lines, text = run(run_hook, files)
    assert lines == [], text
    assert "rollout/web.yaml:23: readinessProbe of container web in Rollout {{...}}-web: cannot tell" in text, text
    # import_module(...) in the urlconf itself
    files["sefaria/urls_library.py"] = DYNAMIC_LIBRARY
    lines, text = run(run_hook, files)
    assert lines == [], text


def test_without_django_hosts_the_root_urlconf_is_the_route_table(run_hook: Run) -> None:
    files = sefaria("/healthz")
    files["sefaria/settings.py"] = SETTINGS.replace('ROOT_HOSTCONF = "sefaria.hosts"\n', "")
    lines, text = run(run_hook, files)
    assert len(lines) == 1 and "probe-path-not-a-route" in lines[0] and "django (sefaria/urls.py)" in lines[0], text


# -- 2. server software whose image comes from values.yaml ---------------------------------------
VALUES = """\
deployEnv: production
web:
  containerImage:
    imageRegistry: gcr.io/production-deployment/sefaria-web
    tag: latest
# enabling this feature creates an ephemeral database image prepopulated with test data
mongo:
  enabled: {mongo_enabled}
  image:
    registry: us-east1-docker.pkg.dev/development-205018/sefaria-public
    image: sefaria-mongo
    tag: latest
redis:
  containerImage:
    # Full path of the image registry inclusive of the image name
    imageRegistry: {redis}
    tag: latest
  replicaCount: 1
"""
REDIS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "{{ .Values.deployEnv }}-redis"
spec:
  selector:
    matchLabels:
      app: redis-{{ .Values.deployEnv }}
  replicas: {{ .Values.redis.replicaCount }}
  template:
    metadata:
      labels:
        app: redis-{{ .Values.deployEnv }}
    spec:
      containers:
      - name: {name}
        image: "{{ .Values.redis.containerImage.imageRegistry }}:{{ .Values.redis.containerImage.tag }}"
        imagePullPolicy: Always
        ports:
        - containerPort: {port}
"""
SERVICE_REDIS = """\
apiVersion: v1
kind: Service
metadata:
  name: redis-{{ .Values.deployEnv }}
spec:
  ports:
  - port: 6379
  selector:
    app: redis-{{ .Values.deployEnv }}
"""
MONGO = """\
{{- if .Values.mongo.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: {{ .Values.deployEnv }}-mongo
  name: {{ .Values.deployEnv }}-mongo
spec:
  replicas: 1
  selector:
    matchLabels:
      app: {{ .Values.deployEnv }}-mongo
  template:
    metadata:
      labels:
        app: {{ .Values.deployEnv }}-mongo
    spec:
      containers:
      - image: {{ .Values.mongo.image.registry }}/{{ .Values.mongo.image.image }}:{{.Values.mongo.image.tag }}
        name: {name}
{{- end }}
"""
SERVICE_MONGO = """\
{{- if .Values.mongo.enabled }}
apiVersion: v1
kind: Service
metadata:
  name: {{ .Values.deployEnv }}-mongo
spec:
  ports:
  - port: 27017
  selector:
    app: {{ .Values.deployEnv }}-mongo
{{- end }}
"""
T = "helm-chart/sefaria/templates"


def chart(values: str, redis: str = REDIS, mongo: str = MONGO) -> dict[str, str]:
    return {"helm-chart/sefaria/Chart.yaml": "apiVersion: v2\nname: sefaria\nversion: 0.1.0\n",
            "helm-chart/sefaria/values.yaml": values, f"{T}/redis-deployment.yaml": redis,
            f"{T}/service/redis.yaml": SERVICE_REDIS, f"{T}/mongodb/deployment.yaml": mongo, f"{T}/mongodb/service.yaml": SERVICE_MONGO,
            "app/__init__.py": "", "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"}


def test_a_database_whose_image_values_yaml_names_is_left_alone(run_hook: Run) -> None:
    values = VALUES.replace("{mongo_enabled}", "true").replace("{redis}", "redis")
    lines, text = run(run_hook, chart(values, REDIS.replace("{name}", "cache").replace("{port}", "6380"),
                                      MONGO.replace("{name}", "db")))
    assert lines == [], text
    assert "-redis: cannot tell: its image is built FROM server software" in text, text
    assert "-mongo: cannot tell: its image is built FROM server software" in text, text


def test_a_database_named_and_on_its_port_is_left_alone_though_its_image_is_unknown(run_hook: Run) -> None:
    # no values.yaml default for the image: the container redis on 6379 is redis
    values = VALUES.replace("{mongo_enabled}", "false").replace("    imageRegistry: {redis}\n", "")
    lines, text = run(run_hook, chart(values, REDIS.replace("{name}", "redis").replace("{port}", "6379"),
                                      MONGO.replace("{name}", "mongo")))
    assert lines == [], text
    assert "-redis: cannot tell: its image is built FROM server software" in text, text


def test_a_workload_values_yaml_disables_is_still_judged_and_said_to_be_off_by_default(run_hook: Run) -> None:
    # an opt-in app server (hue's daphne, off by default, was judged real): whoever turns it on meets the gap
    values = VALUES.replace("{mongo_enabled}", "false").replace("{redis}", "redis")
    mongo = MONGO.replace("{name}", "api").replace("{{ .Values.mongo.image.image }}", "sefaria-api")
    lines, text = run(run_hook, chart(values, REDIS.replace("{name}", "redis").replace("{port}", "6379"), mongo))
    assert len(lines) == 1 and lines[0].startswith(f"{T}/mongodb/deployment.yaml:19:1: {HOOK}: missing-readiness: "), text
    assert "(not deployed by default: rendered only when .Values.mongo.enabled is true, and helm-chart/sefaria/values.yaml sets it false)" \
        in lines[0], text
    # enabled by default: no such words
    lines, text = run(run_hook, chart(values.replace("enabled: false", "enabled: true"), REDIS.replace("{name}", "redis").replace("{port}", "6379"),
                                      mongo))
    assert len(lines) == 1 and "not deployed by default" not in lines[0], text


def test_the_app_whose_image_values_yaml_names_still_needs_readiness(run_hook: Run) -> None:
    # the image values.yaml gives is the app's own; enabled: true; no hint of server software: a finding
    values = VALUES.replace("{mongo_enabled}", "true").replace("{redis}", "gcr.io/production-deployment/sefaria-cache-api")
    lines, text = run(run_hook, chart(values, REDIS.replace("{name}", "api").replace("{port}", "8000"),
                                      MONGO.replace("{name}", "api").replace("{{ .Values.mongo.image.image }}", "sefaria-api")))
    assert sorted(line.split(":", 1)[0] for line in lines) == [f"{T}/mongodb/deployment.yaml", f"{T}/redis-deployment.yaml"], text
    assert all("missing-readiness" in line and "httpGet" in line for line in lines), text
    # the port of redis, but neither the container nor the Deployment is named for it: a finding still
    lines, text = run(run_hook, chart(values.replace("enabled: true", "enabled: false"),
                                      REDIS.replace("{name}", "api").replace("{port}", "6379").replace('-redis"', '-api"'),
                                      MONGO.replace("{name}", "api")))
    assert [line.split(":", 1)[0] for line in lines] == [f"{T}/redis-deployment.yaml"], text


# -- 3. Argo Rollouts are workloads -----------------------------------------------------------------
ROLLOUT_NODE = """\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: {{ .Values.deployEnv }}-node
  labels:
    deployEnv: "{{ .Values.deployEnv }}"
spec:
  strategy:
    blueGreen:
      activeService: node-{{ .Values.deployEnv }}
  selector:
    matchLabels:
      app: node-{{ .Values.deployEnv }}
  template:
    metadata:
      labels:
        app: node-{{ .Values.deployEnv }}
    spec:
      containers:
      - name: node
        image: "{{ .Values.nodejs.containerImage.imageRegistry }}:{{ .Values.nodejs.containerImage.tag }}"
        command: ["bash"]
        args: ["-c", "npm run build-prod && node ./node/server.js"]
        ports:
        - containerPort: 3000
          protocol: TCP
{probe}"""
SERVICE_NODE = """\
apiVersion: v1
kind: Service
metadata:
  name: node-{{ .Values.deployEnv }}
spec:
  ports:
  - port: 3000
  selector:
    app: node-{{ .Values.deployEnv }}
"""


def rollout(probe: str) -> dict[str, str]:
    return {"helm-chart/sefaria/Chart.yaml": "apiVersion: v2\nname: sefaria\nversion: 0.1.0\n",
            f"{T}/rollout/nodejs.yaml": ROLLOUT_NODE.replace("{probe}", probe), f"{T}/service/nodejs.yaml": SERVICE_NODE}


def test_a_rollout_behind_a_service_with_no_readiness_probe(run_hook: Run) -> None:
    lines, text = run(run_hook, rollout(""))
    assert len(lines) == 1 and lines[0].startswith(f"{T}/rollout/nodejs.yaml:20:1: {HOOK}: missing-readiness: Rollout {{{{...}}}}-node "), text


def test_a_rollout_with_a_readiness_probe_is_left_alone(run_hook: Run) -> None:
    probe = "        readinessProbe:\n          tcpSocket:\n            port: 3000\n"
    lines, text = run(run_hook, rollout(probe))
    assert lines == [], text


def test_a_rollout_that_references_a_deployment_has_no_pods_of_its_own(run_hook: Run) -> None:
    files = rollout("")
    files[f"{T}/rollout/nodejs.yaml"] = """\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: node
spec:
  workloadRef:
    apiVersion: apps/v1
    kind: Deployment
    name: node
"""
    lines, text = run(run_hook, files)
    assert lines == [], text


# -- 5. a gRPC-only server: tcpSocket or grpc, not httpGet ------------------------------------------
GRPC_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ template "transformation-service.fullname" . }}
spec:
  selector:
    matchLabels:
      app: {{ template "transformation-service.name" . }}
  template:
    metadata:
      labels:
        app: {{ template "transformation-service.name" . }}
    spec:
      containers:
      - name: {{ .Chart.Name }}
        image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
        ports:
        - name: {port_name}
          containerPort: {{ .Values.service.grpc.targetPort }}
        env:
        - name: FEATURE_TRANSFORMATION_SERVER_PORT
          value: {{ .Values.service.grpc.targetPort | quote }}
"""
GRPC_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {{ template "transformation-service.fullname" . }}
spec:
  type: ClusterIP
  ports:
  - name: grpc
    port: {{ .Values.service.grpc.port }}
    targetPort: {{ .Values.service.grpc.targetPort }}
  selector:
    app: {{ template "transformation-service.name" . }}
"""
G = "infra/charts/feast/charts/transformation-service"


def grpc_chart(port_name: str) -> dict[str, str]:
    return {f"{G}/Chart.yaml": "apiVersion: v1\nname: transformation-service\nversion: 0.1.0\n",
            f"{G}/values.yaml": "image:\n  repository: feastdev/feature-transformation-server\n  tag: 0.1.0\n"
                                "service:\n  grpc:\n    port: 6566\n    targetPort: 6566\n",
            f"{G}/templates/deployment.yaml": GRPC_DEPLOYMENT.replace("{port_name}", port_name),
            f"{G}/templates/service.yaml": GRPC_SERVICE}


def test_a_grpc_only_server_is_told_to_use_a_tcp_or_grpc_probe(run_hook: Run) -> None:
    lines, text = run(run_hook, grpc_chart("grpc"))
    assert len(lines) == 1 and "missing-readiness" in lines[0], text
    assert "it serves gRPC only, so add readinessProbe: (tcpSocket: {port: grpc}, or grpc: {port: <its number>}" in lines[0], text
    assert "httpGet" not in lines[0], text


def test_an_http_server_is_still_told_to_use_httpget(run_hook: Run) -> None:
    lines, text = run(run_hook, grpc_chart("http"))
    assert len(lines) == 1 and "missing-readiness" in lines[0] and "httpGet: {path: <health route>" in lines[0], text
    assert "gRPC" not in lines[0], text


ROLLOUT_MONITOR = """\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: {{ .Values.deployEnv }}-monitor
spec:
  selector:
    matchLabels:
      app: monitor-{{ .Values.deployEnv }}
  template:
    metadata:
      labels:
        app: monitor-{{ .Values.deployEnv }}
    spec:
      containers:
      - name: monitor
        image: "{{ .Values.monitor.containerImage.imageRegistry }}:{{ .Values.monitor.containerImage.tag }}"
        imagePullPolicy: Always
        args: [ "mkdir -p /log && touch /log/sefaria_book_errors.log && python {script}" ]
        env:
          - name: REDIS_HOST
            value: "redis-{{ .Values.deployEnv }}"
"""
SERVICE_MONITOR = """\
apiVersion: v1
kind: Service
metadata:
  name: monitor-{{ .Values.deployEnv }}
spec:
  ports:
  - port: 80
  selector:
    app: monitor-{{ .Values.deployEnv }}
"""


MONITOR_SCRIPT = """\
import django
django.setup()

from sefaria.settings import MULTISERVER_ENABLED
from sefaria.system.multiserver.monitor import MultiServerMonitor


if __name__ == '__main__':
    if not MULTISERVER_ENABLED:
        exit()

    monitor = MultiServerMonitor()
    monitor.listen()
"""


def test_a_portless_listener_script_behind_a_leftover_service_is_unknown(run_hook: Run) -> None:
    files = {"helm-chart/sefaria/Chart.yaml": "apiVersion: v2\nname: sefaria\nversion: 0.1.0\n",
             f"{T}/rollout/monitor.yaml": ROLLOUT_MONITOR.replace("{script}", "multiserver-monitor.py"),
             f"{T}/service/monitor.yaml": SERVICE_MONITOR, "multiserver-monitor.py": MONITOR_SCRIPT}
    lines, text = run(run_hook, files)
    assert lines == [], text
    assert "it declares no port and its command starts no server the hook knows" in text, text
    # the script serves a port after all (prometheus_client's start_http_server): a finding
    files["multiserver-monitor.py"] = MONITOR_SCRIPT.replace("    monitor.listen()\n", "    start_http_server(80)\n    monitor.listen()\n")
    lines, text = run(run_hook, files)
    assert len(lines) == 1 and "missing-readiness: Rollout {{...}}-monitor" in lines[0], text
    files["multiserver-monitor.py"] = MONITOR_SCRIPT
    # the same shape running a web server (no port declared: the Service's port 80 reaches it anyway): a finding
    files[f"{T}/rollout/monitor.yaml"] = ROLLOUT_MONITOR.replace("python {script}", "gunicorn sefaria.wsgi --bind 0.0.0.0:80")
    lines, text = run(run_hook, files)
    assert len(lines) == 1 and "missing-readiness: Rollout {{...}}-monitor" in lines[0], text
    files[f"{T}/rollout/monitor.yaml"] = ROLLOUT_MONITOR.replace("{script}", "web_server.py")
    lines, text = run(run_hook, files)
    assert len(lines) == 1 and "missing-readiness: Rollout {{...}}-monitor" in lines[0], text


# -- 4. a compose service pulling the image the repo's CI builds (docker/build-push-action) ---------
APPRISE_COMPOSE = """\
services:
  apprise:
    image: caronc/apprise:latest
    container_name: apprise
    ports:
      - "8000:8000"
    environment:
      APPRISE_STATEFUL_MODE: simple
      APPRISE_WORKER_COUNT: "1"
    volumes:
      - ./config:/config
      - ./plugin:/plugin
"""
APPRISE_OVERRIDE = """\
services:
  apprise:
    build:
      context: .
      dockerfile: Dockerfile
    image: apprise-dev
    container_name: apprise-dev
    volumes:
      - ./apprise_api:/opt/apprise/webapp:ro
"""
APPRISE_WORKFLOW = """\
name: Build Apprise API Image

on:
  push:
    branches:
      - master

jobs:
  buildx:
    name: Build Docker Image
    runs-on: ubuntu-latest
    steps:
      - name: Checkout
        uses: actions/checkout@v4

      - name: Set ghcr repository name
        id: set-ghcr-repository
        run: |
          ghcr_name=$(echo "${{ github.repository_owner }}/apprise" | awk '{ print tolower($0) }')
          echo "ghcr-repository=${ghcr_name}" >> $GITHUB_OUTPUT

      - name: Docker Meta
        id: docker_meta
        uses: docker/metadata-action@v5
        with:
          images: |
            ghcr.io/${{ steps.set-ghcr-repository.outputs.ghcr-repository }}
            name=docker.io/caronc/apprise,enable=${{ steps.push-other-places.outputs.enable }}
          tags: |
            type=ref,event=branch
            type=semver,pattern={{version}}

      - name: Build and push
        uses: docker/build-push-action@v6
        with:
          context: .
          platforms: linux/amd64,linux/arm64
          push: ${{ github.event_name != 'pull_request' }}
          tags: ${{ steps.docker_meta.outputs.tags }}
          labels: ${{ steps.docker_meta.outputs.labels }}
"""
APPRISE_DOCKERFILE = """\
ARG PYTHON_VERSION=3.12
FROM python:${PYTHON_VERSION}-slim AS base
RUN apt-get update -qq && apt-get install -y -qq nginx curl
COPY ./requirements.txt /etc/requirements.txt
RUN pip3 install --no-cache-dir -q -r /etc/requirements.txt gunicorn supervisor
WORKDIR /opt/apprise
COPY apprise_api/ webapp
EXPOSE 8000
CMD ["/opt/apprise/webapp/supervisord-startup"]
"""
STARTUP = """\
#!/bin/bash
# supervisord configuration file
SUPERVISORD_CONF="/opt/apprise/webapp/etc/supervisord.conf"
cd /opt/apprise
exec /usr/local/bin/supervisord -c "$SUPERVISORD_CONF"
exit $?
"""
SUPERVISORD = """\
[supervisord]
nodaemon=true

[program:nginx]
command=/usr/sbin/nginx -c /opt/apprise/webapp/etc/nginx.conf -p /opt/apprise

[program:gunicorn]
command=gunicorn -c /opt/apprise/webapp/gunicorn.conf.py --worker-tmp-dir /dev/shm core.wsgi
"""


def apprise(**changes: str | None) -> dict[str, str]:
    files: dict[str, str | None] = {
        "docker-compose.yml": APPRISE_COMPOSE, "docker-compose.override.yml": APPRISE_OVERRIDE,
        ".github/workflows/build.yml": APPRISE_WORKFLOW, "Dockerfile": APPRISE_DOCKERFILE, "requirements.txt": "django\n",
        "apprise_api/supervisord-startup": STARTUP, "apprise_api/etc/supervisord.conf": SUPERVISORD,
        "apprise_api/core/__init__.py": "", "apprise_api/core/wsgi.py": "", **changes}
    return {k: v for k, v in files.items() if v is not None}


def test_a_service_pulling_the_image_ci_builds_is_judged_by_its_dockerfile(run_hook: Run) -> None:
    lines, text = run(run_hook, apprise())
    assert len(lines) == 1 and lines[0].startswith(f"docker-compose.yml:2:1: {HOOK}: service-without-healthcheck: service apprise runs gunicorn "
                                                   "(started by apprise_api/supervisord-startup -> apprise_api/etc/supervisord.conf)"), text
    assert "the Dockerfile its image caronc/apprise:latest is built from (Dockerfile, by .github/workflows/build.yml:33)" in lines[0], text


def test_the_ci_built_image_with_a_healthcheck_is_left_alone(run_hook: Run) -> None:
    dockerfile = APPRISE_DOCKERFILE.replace("EXPOSE 8000\n", "EXPOSE 8000\nHEALTHCHECK CMD curl -fs http://localhost:8000/status || exit 1\n")
    lines, text = run(run_hook, apprise(Dockerfile=dockerfile))
    assert [line for line in lines if "service-without-healthcheck" in line] == [], text


def test_without_restart_or_a_building_override_the_pulled_image_stays_unknown(run_hook: Run) -> None:
    # no override: a compose file pulling the image may be a user's example or a CI harness
    lines, text = run(run_hook, apprise(**{"docker-compose.override.yml": None}))
    assert lines == [] and "service apprise: cannot tell: a registry image" in text, text


def test_an_override_that_does_not_build_the_service_does_not_link_it(run_hook: Run) -> None:
    override = APPRISE_OVERRIDE.replace("    build:\n      context: .\n      dockerfile: Dockerfile\n", "")
    lines, text = run(run_hook, apprise(**{"docker-compose.override.yml": override}))
    assert lines == [] and "service apprise: cannot tell: a registry image" in text, text


def test_an_image_name_made_of_expressions_is_not_linked(run_hook: Run) -> None:
    workflow = APPRISE_WORKFLOW.replace("            name=docker.io/caronc/apprise,enable=${{ steps.push-other-places.outputs.enable }}\n", "")
    lines, text = run(run_hook, apprise(**{".github/workflows/build.yml": workflow}))
    assert lines == [] and "service apprise: cannot tell: a registry image" in text, text


def test_workflow_builds_reads_written_out_tags_and_a_file() -> None:
    from hooks.checks.check_health_checks import builds

    workflow = APPRISE_WORKFLOW.replace("          context: .\n", "          context: .\n          file: docker/Dockerfile.prod\n").replace(
        "${{ steps.docker_meta.outputs.tags }}", "ghcr.io/acme/shop:latest,acme/shop-web:${{ github.sha }}")
    got = builds.workflow_builds(".github/workflows/build.yml", workflow, lambda p: p == "docker/Dockerfile.prod")
    # a tag whose version is an expression still names its image (round 6): the name is what links
    assert [(b.image, b.dockerfile, b.context) for b in got] == [("ghcr.io/acme/shop", "docker/Dockerfile.prod", "."),
                                                                  ("acme/shop-web", "docker/Dockerfile.prod", ".")]
    assert builds.workflow_builds(".github/workflows/build.yml", workflow, lambda p: False) == []  # no such Dockerfile
    # a name made of an expression that is not the repo's owner stays out
    odd = workflow.replace("acme/shop-web:${{ github.sha }}", "${{ steps.x.outputs.name }}/shop-web:1")
    assert [b.image for b in builds.workflow_builds(".github/workflows/build.yml", odd, lambda p: True)] == ["ghcr.io/acme/shop"]
