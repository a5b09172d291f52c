"""check-health-checks, the classes the independent judge found in held-out
round 2 (robot-shop's shapes, written as look-alikes): a database image built
FROM mongo/mysql behind a Service, its tag templated by Helm; a queue consumer
with no port behind a headless Service; a per-service compose file beside the
main one. Each with the finding that must stay."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import git
from tests.helpers.health import run_in_repo

HOOK = "check-health-checks"
Run = Callable[..., object]

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  selector:
    matchLabels:
      service: {name}
  template:
    metadata:
      labels:
        service: {name}
    spec:
      containers:
      - name: {name}
        image: {{{{ .Values.image.repo }}}}/rs-{image}:{{{{ .Values.image.version }}}}
{ports}"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
{spec}  selector:
    service: {name}
"""
PORTS = "        ports:\n        - containerPort: {port}\n"


run = run_in_repo  # the shared runner: files staged in a repo here, the hook with --verbose


def chart(name: str, image: str, ports: str, spec: str) -> dict[str, str]:
    return {f"K8s/helm/templates/{name}-deployment.yaml": DEPLOYMENT.format(name=name, image=image, ports=ports),
            f"K8s/helm/templates/{name}-service.yaml": SERVICE.format(name=name, spec=spec)}


def test_a_database_image_behind_a_service_is_not_asked_for_an_http_probe(run_hook: Run) -> None:
    files = {**chart("mongodb", "mongodb", PORTS.format(port=27017), "  ports:\n  - port: 27017\n"),
             **chart("cart", "cart", PORTS.format(port=8080), "  ports:\n  - port: 8080\n")}
    lines, text = run(run_hook, files)
    assert len(lines) == 1 and "cart" in lines[0] and "missing-readiness" in lines[0], text
    assert "built FROM server software" in text  # said as unknown in --verbose


def test_a_queue_consumer_behind_a_headless_service_needs_no_readiness(run_hook: Run) -> None:
    headless = "  clusterIP: None\n  ports:\n  - name: headless\n    port: 55555\n    targetPort: 0\n"
    lines, text = run(run_hook, chart("dispatch", "dispatch", "", headless))
    assert lines == [], text
    # the same consumer behind an ordinary Service is still a finding
    Path("K8s/helm/templates/dispatch-service.yaml").unlink()
    lines, text = run(run_hook, chart("dispatch", "dispatch", "", "  ports:\n  - port: 8080\n"))
    assert [("missing-readiness" in line) for line in lines] == [True], text


def test_a_per_service_compose_file_beside_the_main_one_is_a_side_harness(run_hook: Run) -> None:
    dockerfile = "FROM python:3.12-slim\nCOPY . /app\nCMD [\"uwsgi\", \"--ini\", \"payment.ini\"]\n"
    main = ("services:\n  payment:\n    build: payment\n    healthcheck:\n"
            "      test: [CMD, curl, -f, http://localhost:8080/health]\n")
    side = "services:\n  payment:\n    build: .\n    ports: [\"8080:8080\"]\n"
    app = "from flask import Flask\napp = Flask(__name__)\n\n\n@app.route('/health')\ndef health():\n    return 'OK'\n"
    files = {"docker-compose.yaml": main, "payment/docker-compose.yaml": side, "payment/Dockerfile": dockerfile,
             "payment/payment.py": app}
    lines, text = run(run_hook, files)
    assert lines == [], text
    assert "side harness" in text
    # without the main compose file, the per-service one is what runs it: a finding
    Path("docker-compose.yaml").unlink()
    files.pop("docker-compose.yaml")
    git(Path.cwd(), "add", "-A")
    lines, text = run(run_hook, files)
    assert [("service-without-healthcheck" in line) for line in lines] == [True], text
