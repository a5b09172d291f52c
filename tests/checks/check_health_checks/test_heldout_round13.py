"""check-health-checks, the coverage gaps of held-out round 13 (no finding was wrong, none missed, but
three kinds of probe were never read), on look-alikes of the real files, with their leave-alone twins:

1. a manifest whose image is a placeholder a deploy script fills (``image: "<set by the release
   script>"``, then ``kubectl set image``) is the repo's own image: its probes are judged against the
   repo's app. Before, the placeholder read as an official Docker Hub image and the workload was dropped.
   A real bare image (``memcached``, ``grafana/grafana``) is still another project's;
2. a Helm probe path read straight from the values (``path: {{ .Values.livenessProbe.httpGet.path }}``)
   is filled from the chart's ``values.yaml`` default, as an image already is. A path with a pipeline
   or a value the defaults do not set stays "templated";
3. Flask blueprints registered by a function of the repo that the app factory calls with the app
   (``setup_blueprints(app)``) are the app's routes, one level deep."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from hooks.checks.check_health_checks.judge import third_party
from tests.helpers.health import run_in_repo

Run = Callable[..., object]
run = run_in_repo


def not_a_route(lines: list[str]) -> list[str]:
    return [line for line in lines if "probe-path-not-a-route" in line]


# -- 1. a placeholder image -------------------------------------------------------------------
DJANGO_SETTINGS = """\
ROOT_URLCONF = "finder.urls"
ALLOWED_HOSTS = ["*"]
MIDDLEWARE = (
    "finder.middleware.StatusMiddleware",
    "django.middleware.common.CommonMiddleware",
)
"""
DJANGO_URLS = """\
from django.urls import path

from finder import views

urlpatterns = [
    path("offices/", views.offices),
]
"""
STATUS_MIDDLEWARE = """\
from django.http import HttpResponse


class StatusMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and request.path == "/status.json":
            return HttpResponse("OK")
        return self.get_response(request)
"""
PLACEHOLDER_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: office-finder
spec:
  replicas: 2
  selector:
    matchLabels:
      app: office-finder
  template:
    metadata:
      labels:
        app: office-finder
    spec:
      containers:
      - image: "{image}"
        name: app
        readinessProbe:
          httpGet:
            path: {path}
            port: 8000
        livenessProbe:
          httpGet:
            path: {path}
            port: 8000
          initialDelaySeconds: 10
"""
RELEASE_SCRIPT = """\
#!/bin/sh
set -e
kubectl set image -f deploy/live/deployment.yml app="$REGISTRY/office-finder:$SHA" --local -o yaml | kubectl apply -f -
"""


def django_repo(image: str, path: str) -> dict[str, str]:
    return {"deploy/live/deployment.yml": PLACEHOLDER_DEPLOYMENT.format(image=image, path=path),
            "bin/release": RELEASE_SCRIPT, "Dockerfile": "FROM python:3.12\nCOPY . /app\nCMD gunicorn -b :8000 finder.wsgi\n",
            "finder/__init__.py": "", "finder/settings.py": DJANGO_SETTINGS, "finder/urls.py": DJANGO_URLS,
            "finder/middleware.py": STATUS_MIDDLEWARE, "finder/views.py": "def offices(request):\n    return None\n",
            "finder/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n"}


@pytest.mark.parametrize("image", ["<set by the release script>", "<to be filled in by bin/release>", " "])
def test_probes_of_a_placeholder_image_are_judged_against_the_repo(run_hook: Run, image: str) -> None:
    lines, text = run(run_hook, django_repo(image, "/nope.json"))
    assert len(not_a_route(lines)) == 2, text


def test_probes_of_a_placeholder_image_on_a_served_path_pass(run_hook: Run) -> None:
    lines, text = run(run_hook, django_repo("<set by the release script>", "/status.json"))
    assert not lines, text
    assert "nothing to check" not in text, text


@pytest.mark.parametrize("image", ["memcached:1.6", "grafana/grafana:10.4.0", "haproxy"])
def test_probes_of_another_projects_image_stay_unjudged(run_hook: Run, image: str) -> None:
    lines, text = run(run_hook, django_repo(image, "/nope.json"))
    assert not lines, text


@pytest.mark.parametrize("image,expected", [
    ("<to be set by deploy_to_kubernetes>", False),  # a placeholder: the repo's own
    ("to be set", False),
    ("", False),
    ("{{ .Values.image }}", False),
    ("redis:7-alpine", True),
    ("${APP_IMAGE}", False),  # a variable: as before
    ("${REGISTRY:-docker.io}/bitnami/redis:7", True),  # as before
    ("docker.io/library/postgres@sha256:abc", True),
    ("registry.example.com/acme/office-finder:1.2", False),
])
def test_third_party_images(image: str, expected: bool) -> None:
    assert third_party(image) is expected


# -- 2. a Helm probe path straight from the values ------------------------------------------------
CHART_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Chart.Name }}
spec:
  selector:
    matchLabels:
      app: {{ .Chart.Name }}
  template:
    metadata:
      labels:
        app: {{ .Chart.Name }}
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.name }}:{{ .Chart.AppVersion }}"
          ports:
            - name: http-server
              containerPort: {{ .Values.container.port }}
          readinessProbe:
            httpGet:
              path: /health
              port: {{ .Values.container.port }}
          livenessProbe:
            httpGet:
              path: {{ LIVENESS }}
              port: {{ .Values.container.port }}
            periodSeconds: {{ .Values.livenessProbe.periodSeconds }}
"""
CHART_VALUES = """\
image:
  name: eu.gcr.io/acme/registry
container:
  port: 8080
livenessProbe:
  httpGet:
    path: {path}
  periodSeconds: 20
"""
FLASK_APP = """\
from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/health")
def health():
    return jsonify(status="ok")


@app.route("/businesses/<business_id>")
def business(business_id):
    return jsonify(id=business_id)
"""


def chart_repo(path: str, liveness: str = ".Values.livenessProbe.httpGet.path") -> dict[str, str]:
    return {"_infra/helm/registry/Chart.yaml": "apiVersion: v2\nname: registry\nversion: 1.0.0\nappVersion: 1.0.0\n",
            "_infra/helm/registry/values.yaml": CHART_VALUES.format(path=path),
            "_infra/helm/registry/templates/deployment.yaml": CHART_DEPLOYMENT.replace("{{ LIVENESS }}", "{{ " + liveness + " }}"),
            "registry/__init__.py": "", "registry/app.py": FLASK_APP}


def test_a_probe_path_from_the_chart_defaults_on_a_served_route_passes(run_hook: Run) -> None:
    lines, text = run(run_hook, chart_repo("/health"))
    assert not lines, text
    assert "templated" not in text, text


def test_a_probe_path_from_the_chart_defaults_nothing_serves_is_found(run_hook: Run) -> None:
    lines, text = run(run_hook, chart_repo("/info"))
    found = not_a_route(lines)
    assert len(found) == 1 and "livenessProbe" in found[0] and "/info" in found[0], text
    assert "the default of _infra/helm/registry/values.yaml" in found[0], text
    assert "deployment.yaml:26:" in found[0], text


@pytest.mark.parametrize("liveness", [
    '.Values.livenessProbe.httpGet.path | default "/info"',  # a pipeline: not followed
    ".Values.probes.liveness.path",  # the defaults do not set it
    ".Values.livenessProbe.httpGet",  # not a scalar
])
def test_a_probe_path_the_defaults_do_not_give_stays_templated(run_hook: Run, liveness: str) -> None:
    lines, text = run(run_hook, chart_repo("/info", liveness))
    assert not lines, text
    assert "the path is templated" in text, text


# -- 3. Flask blueprints registered by a function given the app -----------------------------------
FACTORY = """\
from flask import Flask

from console.views import setup_blueprints


def create_app(config_name=None):
    app = Flask(__name__)
    app.config.from_object(config_name or "config.Config")
    {call}
    return app
"""
VIEWS_INIT = """\
from console.views.info import info_bp
from console.views.surveys import surveys_bp


def {name}({param}):
    {param}.register_blueprint(info_bp, url_prefix="/info")
    {param}.register_blueprint(surveys_bp, url_prefix="/surveys")
    return {param}
"""
INFO = """\
from flask import Blueprint, jsonify

info_bp = Blueprint("info_bp", __name__)


@info_bp.route("/", methods=["GET"])
def get_info():
    return jsonify(name="console")
"""
SURVEYS = """\
from flask import Blueprint

surveys_bp = Blueprint("surveys_bp", __name__)


@surveys_bp.route("/<short_name>")
def view_survey(short_name):
    return short_name
"""
UI_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: console
spec:
  selector:
    matchLabels:
      app: console
  template:
    metadata:
      labels:
        app: console
    spec:
      containers:
        - name: console
          image: eu.gcr.io/acme/console:1.0
          command: ["gunicorn", "-b", "0.0.0.0:8085", "console:create_app()"]
          ports:
            - name: http-server
              containerPort: 8085
          readinessProbe:
            httpGet:
              path: {path}
              port: 8085
"""


def flask_repo(path: str, call: str = "setup_blueprints(app)", name: str = "setup_blueprints", param: str = "app",
               views: str = VIEWS_INIT) -> dict[str, str]:
    return {"deploy/deployment.yaml": UI_DEPLOYMENT.format(path=path),
            "console/__init__.py": FACTORY.format(call=call),
            "console/views/__init__.py": views.format(name=name, param=param),
            "console/views/info.py": INFO, "console/views/surveys.py": SURVEYS}


@pytest.mark.parametrize("path", ["/info", "/info/", "/surveys/monthly"])
def test_blueprints_a_helper_registers_on_the_app_are_routes(run_hook: Run, path: str) -> None:
    lines, text = run(run_hook, flask_repo(path))
    assert not lines, text
    assert "cannot follow" not in text and "cannot tell" not in text, text


@pytest.mark.parametrize("call,param", [("setup_blueprints(app)", "application"), ("setup_blueprints(flask_app=app)", "flask_app"),
                                        ("app = setup_blueprints(app)", "app")])
def test_a_path_no_blueprint_of_the_helper_serves_is_found(run_hook: Run, call: str, param: str) -> None:
    lines, text = run(run_hook, flask_repo("/healthz", call=call, param=param))
    assert len(not_a_route(lines)) == 1, text


def test_a_helper_two_levels_down_is_not_followed(run_hook: Run) -> None:
    files = flask_repo("/healthz", views="from console.views.register import register\n\n\ndef {name}({param}):\n    register({param})\n")
    files["console/views/register.py"] = VIEWS_INIT.format(name="register", param="app")
    lines, text = run(run_hook, files)
    assert not lines, text
    assert "under a prefix the hook cannot follow" in text, text


def test_a_helper_given_something_else_than_the_app_is_not_followed(run_hook: Run) -> None:
    lines, text = run(run_hook, flask_repo("/healthz", call="setup_blueprints(app.config)"))
    assert not lines, text
    assert "cannot follow" in text, text


# -- seen in the regression: a Django middleware listed after CommonMiddleware answers the probe ----
HEALTH_MIDDLEWARE = """\
from django.http import HttpResponse


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and request.path == "/liveness":
            return HttpResponse("OK")
        return self.get_response(request)
"""
LATE_SETTINGS = """\
ROOT_URLCONF = "orgs.urls"
ALLOWED_HOSTS = ["orgs.example.org"]
MIDDLEWARE = [
{middleware}
]
"""
LATE_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orgs
spec:
  selector:
    matchLabels:
      app: orgs
  template:
    metadata:
      labels:
        app: orgs
    spec:
      containers:
        - name: server
          image: registry.example.org/orgs/backend:1.0
          command: ["gunicorn", "-b", "0.0.0.0:8000", "orgs.wsgi"]
          ports:
            - name: http
              containerPort: 8000
          livenessProbe:
            httpGet:
              path: /liveness
              port: http
"""


def late_repo(order: list[str]) -> dict[str, str]:
    middleware = "\n".join(f'    "{m}",' for m in order)
    return {"deploy/deployment.yaml": LATE_DEPLOYMENT, "backend/orgs/__init__.py": "",
            "backend/orgs/settings.py": LATE_SETTINGS.format(middleware=middleware),
            "backend/orgs/urls.py": "urlpatterns = []\n", "backend/libs/__init__.py": "", "backend/libs/probes.py": HEALTH_MIDDLEWARE}


def test_a_probe_a_middleware_after_common_answers_still_meets_allowed_hosts(run_hook: Run) -> None:
    lines, text = run(run_hook, late_repo(["django.middleware.common.CommonMiddleware", "libs.probes.ProbeMiddleware"]))
    assert len(lines) == 1 and "probe-host-rejected" in lines[0] and "livenessProbe" in lines[0], text


def test_a_probe_a_middleware_before_common_answers_is_left_alone(run_hook: Run) -> None:
    lines, text = run(run_hook, late_repo(["libs.probes.ProbeMiddleware", "django.middleware.common.CommonMiddleware"]))
    assert not lines, text
