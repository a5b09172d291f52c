"""check-health-checks, the wrong classes of held-out round 11, on look-alikes of the real files,
with their leave-alone twins:

1. a compose file whose leading comment says it is for local development with Markdown emphasis
   ("only used for *local development*") and points to where the deployed setup lives ("see
   Dockerfile for deployed version"): development, skipped; a pointer from a production file to the
   development one still cancels the sign;
2. a Helm selector helper called with a per-template variable (``{{- $component := "agent-metadata" -}}``,
   ``include "x.common.selectorLabels" (list . $component)``): the literal is written in, so another
   component's Deployment is not behind the backend Service; a variable the template does not set to a
   literal leaves the match unknown; a workload that declares no port is behind a Service only on a
   proven selector (the very same helper call), not on a related helper."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from hooks.checks.check_health_checks.deploy import development_header, selects
from hooks.checks.check_health_checks.yamlread import TEMPLATE_KEY, mask_helm
from tests.helpers.health import run_in_repo

Run = Callable[..., object]
run = run_in_repo

# -- 1. a Django app's local stack: db + uwsgi --------------------------------------------------------
DOCKERFILE = """\
FROM python:3.11-slim
WORKDIR /app
COPY . /app
RUN pip install -r requirements.txt
CMD ["uwsgi", "--ini", "uwsgi.ini"]
"""
STACK = """\
version: "2.1"

services:
  db:
    image: postgres

  web:
    build:
      context: .
    environment:
      ENV: local
    command: uwsgi --ini uwsgi.ini
    ports:
      - "8000:8000"
"""
BODY = "\nservices:\n  web:\n    build: .\n"


def stack(compose: str) -> dict[str, str]:
    return {"docker-compose.yaml": compose, "Dockerfile": DOCKERFILE, "requirements.txt": "django\nuwsgi\n",
            "app/settings.py": "ROOT_URLCONF = 'app.urls'\nALLOWED_HOSTS = ['*']\n"}


def web_finding(lines: list[str]) -> bool:
    return any("service web" in line for line in lines)


def test_an_emphasised_local_development_header_with_a_deployed_pointer_is_skipped(run_hook: Run) -> None:
    header = "# NB: this is only used for *local development*\n# see Dockerfile for deployed version\n"
    lines, text = run(run_hook, stack(header + STACK))
    assert not web_finding(lines), text
    assert "docker-compose.yaml: development only" in text, text


def test_the_same_stack_without_the_header_is_judged(run_hook: Run) -> None:
    lines, text = run(run_hook, stack("# the app and its database\n" + STACK))
    assert web_finding(lines), text
    assert "development only" not in text, text


@pytest.mark.parametrize("header", [
    "# NB: this is only used for *local development*\n# see Dockerfile for deployed version",
    "# only used for _local development_",
    "# Used for `local development` only",
    "# for **development only**",
    "# see k8s/deployment.yaml for the production setup\n# used for local development",
    "# Used for local development. The deployed configuration is in kubernetes_deploy/",
])
def test_round11_development_headers(header: str) -> None:
    assert development_header(header + BODY)


@pytest.mark.parametrize("header", [
    "# This is the deployed version. For local development see docker-compose.dev.yml",
    "# Deployed stack; see docker-compose.dev.yml for *local development*",
    "# Production stack. See docker-compose.dev.yml for development",
    "# For *local development* use the override file",
    "# see Dockerfile for deployed version",
    "# the my_local_development_flag setting",
])
def test_round11_not_development_headers(header: str) -> None:
    assert development_header(header + BODY) == ""


# -- 2. a chart whose selector helper takes the component from a template variable -------------------
HELPERS = """\
{{- define "conf.selectorLabels" -}}
app.kubernetes.io/name: conf
{{- end }}

{{- define "conf.common.selectorLabels" -}}
{{- $top := index . 0 -}}
{{- $component := index . 1 -}}
{{- include "conf.selectorLabels" $top }}
app.kubernetes.io/component: {{ $component }}
{{- end }}
"""
SERVICE = """\
{{- $component := "backend" -}}
apiVersion: v1
kind: Service
metadata:
  name: conf-backend
spec:
  ports:
    - port: 80
      targetPort: 8000
      name: http
  selector:
    {{- include "conf.common.selectorLabels" (list . $component) | nindent 4 }}
"""


def workload(component: str, ports: bool, readiness: bool = False) -> str:
    port = "          ports:\n            - containerPort: 8000\n" if ports else ""
    probe = "          readinessProbe:\n            httpGet: {path: /healthz, port: 8000}\n" if readiness else ""
    return f"""\
{{{{- $component := {component} -}}}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: conf-worker
spec:
  selector:
    matchLabels:
      {{{{- include "conf.common.selectorLabels" (list . $component) | nindent 6 }}}}
  template:
    metadata:
      labels:
        {{{{- include "conf.common.selectorLabels" (list . $component) | nindent 8 }}}}
    spec:
      containers:
        - name: worker
          image: "{{{{ .Values.worker.image }}}}"
          command: ["python", "-m", "conf.agent", "start"]
{port}{probe}"""


def chart(worker: str) -> dict[str, str]:
    return {"chart/Chart.yaml": "apiVersion: v2\nname: conf\nversion: 0.1.0\n", "chart/values.yaml": "worker:\n  image: conf:1\n",
            "chart/templates/_helpers.tpl": HELPERS, "chart/templates/backend_svc.yaml": SERVICE,
            "chart/templates/worker_deployment.yaml": worker}


def readiness_finding(lines: list[str]) -> bool:
    return any("missing-readiness" in line and "worker_deployment.yaml" in line for line in lines)


def test_another_component_of_the_same_selector_helper_is_not_behind_the_service(run_hook: Run) -> None:
    for ports in (True, False):
        lines, text = run(run_hook, chart(workload('"agent-metadata"', ports)))
        assert not readiness_finding(lines), (ports, text)
        assert "whether a Service selects it" not in text, (ports, text)


def test_the_same_component_of_the_selector_helper_is_behind_the_service(run_hook: Run) -> None:
    lines, text = run(run_hook, chart(workload('"backend"', ports=True)))
    assert readiness_finding(lines), text
    assert "backend_svc.yaml" in "\n".join(lines), text


def test_the_same_component_with_its_readiness_probe_is_left_alone(run_hook: Run) -> None:
    lines, text = run(run_hook, chart(workload('"backend"', ports=True, readiness=True)))
    assert not readiness_finding(lines), text


def test_a_component_from_the_values_is_unknown(run_hook: Run) -> None:
    lines, text = run(run_hook, chart(workload(".Values.worker.component", ports=True)))
    assert not readiness_finding(lines), text
    assert "whether a Service selects it is templated" in text, text


def test_a_portless_workload_on_a_related_helper_is_not_put_behind_the_service() -> None:
    selector = {TEMPLATE_KEY: 'include "conf.selectorLabels" . | nindent 4'}
    labels = {TEMPLATE_KEY: 'include "conf.labels" . | nindent 8'}
    assert selects(selector, labels) is True
    assert selects(selector, labels, strict=True) is None
    same = {TEMPLATE_KEY: 'include "conf.selectorLabels" . | nindent 8'}
    assert selects(selector, same, strict=True) is True


def test_literal_arguments_of_the_selector_helper_are_compared() -> None:
    svc = {TEMPLATE_KEY: 'include "conf.common.selectorLabels" (list . "backend") | nindent 4'}
    assert selects(svc, {TEMPLATE_KEY: 'include "conf.common.selectorLabels" (list $ "backend") | nindent 8'}) is True
    assert selects(svc, {TEMPLATE_KEY: 'include "conf.common.selectorLabels" (list . "agent") | nindent 8'}) is False
    assert selects(svc, {TEMPLATE_KEY: 'include "conf.common.selectorLabels" (list . $component) | nindent 8'}) is None


def test_a_variable_set_once_to_a_literal_is_written_in() -> None:
    text = mask_helm('{{- $c := "agent" -}}\nkind: Deployment\nlabels:\n  {{- include "x.sel" (list . $c) | nindent 2 }}\n')
    assert '(list . \\"agent\\")' in text, text
    twice = mask_helm('{{- $c := "a" -}}\n{{- $c = "b" -}}\nlabels:\n  {{- include "x.sel" (list . $c) | nindent 2 }}\n')
    assert "$c" in twice, twice


# -- 3. an OpenShift Template whose DeploymentConfig takes its image from an ImageChange trigger -------
APP = """\
from flask import Flask

app = Flask(__name__)


@app.route("/api/v1/healthz/")
def healthz():
    return "ok"
"""


def template(readiness: bool, path: str = "/api/v1/healthz/") -> str:
    probe = (f"              readinessProbe:\n                httpGet: {{path: {path}, port: 8080}}\n"
             if readiness else "")
    return f"""\
apiVersion: v1
kind: Template
metadata:
  name: queue-api
objects:
  - apiVersion: v1
    kind: Service
    metadata:
      name: "${{API_NAME}}"
    spec:
      ports:
        - name: web
          port: 8080
          targetPort: 8080
      selector:
        name: "${{API_NAME}}"
  - apiVersion: apps.openshift.io/v1
    kind: DeploymentConfig
    metadata:
      name: "${{API_NAME}}"
    spec:
      replicas: 2
      selector:
        name: "${{API_NAME}}"
      template:
        metadata:
          labels:
            name: "${{API_NAME}}"
        spec:
          containers:
            - name: queue-api
              image: " "
              command: ["gunicorn", "app:app", "-b", "0.0.0.0:8080"]
              ports:
                - containerPort: 8080
{probe}      triggers:
        - type: ConfigChange
        - type: ImageChange
          imageChangeParams:
            automatic: true
            containerNames:
              - "${{API_NAME}}"
            from:
              kind: ImageStreamTag
              namespace: "${{TOOLS_WORKSPACE}}"
              name: "${{API_NAME}}:${{IMAGE_TAG}}"
parameters:
  - name: API_NAME
    value: queue-api
"""


def openshift(readiness: bool, path: str = "/api/v1/healthz/") -> dict[str, str]:
    return {"openshift/templates/api-dc.yml": template(readiness, path), "app.py": APP, "requirements.txt": "flask\ngunicorn\n"}


def test_a_deployment_config_filled_by_an_image_change_trigger_is_judged(run_hook: Run) -> None:
    lines, text = run(run_hook, openshift(readiness=True, path="/api/v1/health"))
    assert any("api-dc.yml" in line and "/api/v1/health" in line for line in lines), text


def test_a_deployment_config_with_its_readiness_probe_is_left_alone(run_hook: Run) -> None:
    lines, text = run(run_hook, openshift(readiness=True))
    assert not lines, text


def test_a_blank_image_without_a_trigger_stays_blank() -> None:
    from hooks.checks.check_health_checks import deploy, yamlread

    docs = list(yamlread.load_all(template(readiness=True)))
    [dc] = [w for w in deploy.kubernetes(docs, "dc.yml", "") if isinstance(w, deploy.Workload)]
    assert dc.containers[0].image == "${TOOLS_WORKSPACE}/${API_NAME}:${IMAGE_TAG}"
    plain = template(readiness=True).split("      triggers:")[0]
    [dc] = [w for w in deploy.kubernetes(list(yamlread.load_all(plain)), "dc.yml", "") if isinstance(w, deploy.Workload)]
    assert dc.containers[0].image.strip() == ""
