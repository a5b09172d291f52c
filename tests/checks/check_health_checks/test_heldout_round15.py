"""check-health-checks, the wrong classes of held-out round 15, on look-alikes of the real files, with
their leave-alone (or still-caught) twins:

1. a Flask blueprint the repo fills through its own helper (``add_routes(api, ROUTES)``, whose body
   calls ``blueprint.add_url_rule(route["rule"], ...)`` in a loop over a dict a decorator fills) has
   routes the hook cannot read: a probe path under the blueprint's prefix is unknown, not "no route";
2. a Service only Prometheus scrapes (its one port named ``stats``, or a Service named for metrics with
   ``prometheus.io/scrape: 'true'``) gates no traffic: no missing-readiness for what it selects;
3. a compose service that is a test double (``platform_mock``, built from a ``mock_*`` folder) is not a
   deployed app: no service-without-healthcheck;
4. an OpenShift Template's ``parameters:`` defaults fill ``${NAME}`` for telling server software
   (``image: ${APPLICATION_NAME}:${VERSION}`` with ``APPLICATION_NAME`` defaulting to ``rabbitmq``).

Coverage: ``include("django.contrib.auth.urls")`` serves Django's fixed auth paths (``login/``, ...)."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.helpers.health import run_in_repo

Run = Callable[..., object]
run = run_in_repo


def rule(lines: list[str], name: str) -> list[str]:
    return [line for line in lines if f": {name}: " in line]


# -- 1. routes a helper of the repo adds to a blueprint --------------------------------------------
ROUTING = """\
from functools import wraps


def add_routes(blueprint, routes):
    for module_routes in routes.values():
        for route in module_routes:
            blueprint.add_url_rule(route["rule"], view_func=route["view_func"], **route.get("options", {}))


def app_route(rule, routes, **kwargs):
    def wrapper(func):
        routes.setdefault(func.__module__, []).append(dict(rule=rule, view_func=func, options=kwargs))

        @wraps(func)
        def wrapped(*args, **kw):
            return func(*args, **kw)
        return wrapped
    return wrapper
"""
HEALTH_VIEW = """\
from flask import jsonify

from ledger.util.routing import app_route

ROUTES = {}


@app_route("/health/", ROUTES, methods=("GET",))
def health():
    return jsonify(ok=True)
"""
API_BLUEPRINT = """\
from flask import Blueprint

from ledger.api.health import ROUTES as health_routes
from ledger.util.routing import add_routes

api = Blueprint("api", __name__, url_prefix="/api/v2")

add_routes(api, health_routes)
"""
LITERAL_ROUTING = """\
def add_routes(blueprint, routes):
    blueprint.add_url_rule("/ping", view_func=routes["ping"])
"""
APP = """\
from flask import Flask

from ledger.api.blueprint import api


def create_app():
    app = Flask(__name__)
    app.register_blueprint(api)
    return app
"""
FLASK_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger
spec:
  selector:
    matchLabels:
      app: ledger
  template:
    metadata:
      labels:
        app: ledger
    spec:
      containers:
      - name: ledger
        image: quay.io/acme/ledger:1.0
        command: ["gunicorn", "-b", "0.0.0.0:8080", "ledger:create_app()"]
        ports:
        - containerPort: 8080
        readinessProbe:
          httpGet:
            path: {path}
            port: 8080
"""


def helper_repo(path: str, routing: str = ROUTING) -> dict[str, str]:
    return {"openshift/ledger.yaml": FLASK_DEPLOYMENT.format(path=path), "ledger/__init__.py": APP,
            "ledger/api/__init__.py": "", "ledger/api/blueprint.py": API_BLUEPRINT, "ledger/api/health.py": HEALTH_VIEW,
            "ledger/util/__init__.py": "", "ledger/util/routing.py": routing}


@pytest.mark.parametrize("path", ["/api/v2/health/", "/api/v2/anything"])
def test_a_path_under_a_blueprint_a_helper_fills_is_unknown(run_hook: Run, path: str) -> None:
    lines, text = run(run_hook, helper_repo(path))
    assert not lines, text
    assert "a route of api in ledger/api/blueprint.py is not a literal" in text, text


def test_a_path_outside_the_blueprint_a_helper_fills_is_still_found(run_hook: Run) -> None:
    lines, text = run(run_hook, helper_repo("/status"))
    assert len(rule(lines, "probe-path-not-a-route")) == 1, text


def test_a_literal_route_a_helper_adds_to_a_blueprint_is_read(run_hook: Run) -> None:
    lines, text = run(run_hook, helper_repo("/api/v2/ping", LITERAL_ROUTING))
    assert not lines, text
    assert "cannot tell" not in text, text
    lines, text = run(run_hook, helper_repo("/api/v2/health", LITERAL_ROUTING))
    assert len(rule(lines, "probe-path-not-a-route")) == 1, text


# -- 2. a Service only Prometheus scrapes ----------------------------------------------------------
WORKER = """\
apiVersion: v1
kind: Template
metadata:
  name: ledger-worker
objects:
- kind: Service
  apiVersion: v1
  metadata:
    annotations:
      description: Ledger worker statistics
{notes}    name: {service}
  spec:
    ports:
    - port: 9999
      name: {port}
    selector:
      app: ledger-worker
- kind: StatefulSet
  apiVersion: apps/v1
  metadata:
    name: ledger-worker
  spec:
    serviceName: {service}
    selector:
      matchLabels:
        app: ledger-worker
    template:
      metadata:
        labels:
          app: ledger-worker
      spec:
        containers:
        - name: ledger-worker
          image: quay.io/acme/ledger:1.0
          command: ["gunicorn", "-b", "0.0.0.0:9999", "ledger:create_app()"]
          ports:
          - containerPort: 9999
"""
SCRAPE = "      prometheus.io/scrape: 'true'\n      prometheus.io/path: /metrics\n      prometheus.io/port: '9999'\n"


def worker_repo(service: str, port: str, notes: str) -> dict[str, str]:
    return {"openshift/worker.yaml": WORKER.format(service=service, port=port, notes=notes),
            "ledger/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n"}


@pytest.mark.parametrize("service,port,notes", [
    ("ledger-stats", "stats", SCRAPE),  # both
    ("ledger-worker", "stats", ""),  # the port's name
    ("ledger-stats", "web", SCRAPE),  # a Service named for metrics that Prometheus scrapes
    ("ledger-worker-metrics", "http", SCRAPE),
])
def test_a_service_only_prometheus_scrapes_needs_no_readiness(run_hook: Run, service: str, port: str, notes: str) -> None:
    lines, text = run(run_hook, worker_repo(service, port, notes))
    assert not rule(lines, "missing-readiness"), text


@pytest.mark.parametrize("service,port,notes", [
    ("ledger-worker", "web", SCRAPE),  # the app's own Service, scraped on the port its clients use
    ("ledger-stats", "web", ""),  # named so, but not a scrape target: a name alone is not enough
    ("ledger-worker", "statsd-ui", ""),
])
def test_a_service_with_traffic_still_needs_readiness(run_hook: Run, service: str, port: str, notes: str) -> None:
    lines, text = run(run_hook, worker_repo(service, port, notes))
    assert len(rule(lines, "missing-readiness")) == 1, text


# -- 3. a test double in a compose file ----------------------------------------------------------------
COMPOSE = """\
services:
  ledger_api:
    build:
      context: ./
      dockerfile: ./Dockerfile
    image: ledger-app:latest
    restart: unless-stopped
    healthcheck:
      test: [CMD, curl, -f, http://localhost:8000/healthz]
    command: gunicorn -b 0.0.0.0:8000 ledger:app

  {name}:
    build:
      context: ./
      dockerfile: ./{folder}/Dockerfile
    image: ledger-{name}:latest
    restart: unless-stopped
    command: gunicorn -b 0.0.0.0:9000 {folder}.app:app
"""
FLASK_APP = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/healthz')\ndef healthz():\n    return 'ok'\n"


def compose_repo(name: str, folder: str) -> dict[str, str]:
    return {"docker-compose.yml": COMPOSE.format(name=name, folder=folder),
            "Dockerfile": "FROM python:3.12\nCOPY . /app\nCMD gunicorn -b 0.0.0.0:8000 ledger:app\n",
            f"{folder}/Dockerfile": f"FROM python:3.12\nCOPY . /app\nCMD gunicorn -b 0.0.0.0:9000 {folder}.app:app\n",
            "ledger/__init__.py": FLASK_APP, f"{folder}/__init__.py": "", f"{folder}/app.py": FLASK_APP}


@pytest.mark.parametrize("name,folder", [("platform_mock", "platform_mock"), ("inventory", "mock_inventory"),
                                         ("s3", "fake-s3"), ("billing-stub", "billing"), ("dummy_api", "dummy")])
def test_a_test_double_in_compose_is_not_judged(run_hook: Run, name: str, folder: str) -> None:
    lines, text = run(run_hook, compose_repo(name, folder))
    assert not rule(lines, "service-without-healthcheck"), text
    assert "a test double, not a deployed app" in text, text


@pytest.mark.parametrize("name,folder", [("ledger_worker", "worker"), ("mockingbird", "mockingbird"), ("stubhub", "stubhub")])
def test_a_service_not_named_for_a_double_is_still_judged(run_hook: Run, name: str, folder: str) -> None:
    lines, text = run(run_hook, compose_repo(name, folder))
    found = rule(lines, "service-without-healthcheck")
    assert len(found) == 1 and f"service {name} " in found[0], text


# -- 4. OpenShift Template parameters --------------------------------------------------------------
BROKER = """\
apiVersion: v1
kind: Template
metadata:
  name: broker
objects:
- kind: Service
  apiVersion: v1
  metadata:
    name: ${{APPLICATION_NAME}}
  spec:
    clusterIP: None
    ports:
    - name: amqp
      port: 5672
    selector:
      application: ${{APPLICATION_NAME}}
- kind: StatefulSet
  apiVersion: apps/v1
  metadata:
    name: ${{APPLICATION_NAME}}
  spec:
    serviceName: ${{APPLICATION_NAME}}
    selector:
      matchLabels:
        application: ${{APPLICATION_NAME}}
    template:
      metadata:
        labels:
          application: ${{APPLICATION_NAME}}
      spec:
        containers:
        - name: ${{APPLICATION_NAME}}
          image: ${{APPLICATION_NAME}}:${{VERSION}}
          ports:
          - containerPort: 5672
          - containerPort: 8080
parameters:
- name: APPLICATION_NAME
  required: true
  value: {default}
- name: VERSION
  value: 3.7.5
"""


def broker_repo(default: str) -> dict[str, str]:
    return {"openshift/broker.yaml": BROKER.format(default=default),
            "ledger/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n"}


def test_a_template_parameter_default_naming_server_software_is_that_software(run_hook: Run) -> None:
    lines, text = run(run_hook, broker_repo("rabbitmq"))
    assert not rule(lines, "missing-readiness"), text
    assert "built FROM server software" in text, text


def test_a_template_parameter_default_naming_the_app_is_still_judged(run_hook: Run) -> None:
    lines, text = run(run_hook, broker_repo("ledger"))
    assert len(rule(lines, "missing-readiness")) == 1, text


# -- coverage: Django's own auth urlconf ----------------------------------------------------------------
AUTH_URLS = """\
from django.contrib import admin
from django.urls import include, path

from shelf import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("{prefix}", include("django.contrib.auth.urls")),
    path("books/", views.books),
]
"""
AUTH_SETTINGS = ('ROOT_URLCONF = "shelf.urls"\nALLOWED_HOSTS = ["*"]\nINSTALLED_APPS = ["django.contrib.auth"]\n'
                 'MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\n')
DJANGO_DEPLOYMENT = FLASK_DEPLOYMENT.replace("ledger:create_app()", "shelf.wsgi").replace("ledger", "shelf")


def auth_repo(path: str, prefix: str = "") -> dict[str, str]:
    return {"k8s/deployment.yaml": DJANGO_DEPLOYMENT.format(path=path), "shelf/__init__.py": "",
            "shelf/settings.py": AUTH_SETTINGS, "shelf/urls.py": AUTH_URLS.format(prefix=prefix),
            "shelf/views.py": "def books(request):\n    return None\n",
            "shelf/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n"}


@pytest.mark.parametrize("path,prefix", [("/login/", ""), ("/accounts/login/", "accounts/"), ("/password_reset/done/", "")])
def test_a_path_of_djangos_auth_urlconf_is_served(run_hook: Run, path: str, prefix: str) -> None:
    lines, text = run(run_hook, auth_repo(path, prefix))
    assert not lines, text
    assert "cannot tell" not in text, text


def test_a_path_djangos_auth_urlconf_does_not_have_is_found(run_hook: Run) -> None:
    lines, text = run(run_hook, auth_repo("/accounts/health/", "accounts/"))
    assert len(rule(lines, "probe-path-not-a-route")) == 1, text
