"""check-health-checks, the miss the independent judge found in held-out round 6, on
look-alikes of the real files: a production compose file pulling ``ghcr.io/<owner>/<app>``
that the repo's workflow builds as ``ghcr.io/${{ github.actor }}/<app>`` (a context
expression standing for the owner), whose service starts with ``make <target>`` and the
Makefile recipe of that target runs gunicorn. Each part has its leave-alone twin."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hooks.checks.check_health_checks import builds, makefile
from tests.helpers.health import run_in_repo

Run = Callable[..., object]
run = run_in_repo

WORKFLOW = """\
name: Deploy production
on:
  push:
    branches: [master]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: meta
        uses: docker/metadata-action@v5
        with:
          images: ghcr.io/${{ github.actor }}/shop
          tags: |
            type=sha
      - uses: docker/build-push-action@v6
        with:
          context: .
          push: true
          tags: ${{ steps.meta.outputs.tags }}
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: docker compose -f docker-compose.production.yml up -d
"""
DOCKERFILE = """\
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
EXPOSE 8814
"""
MAKEFILE = """\
PORT := 8814

.PHONY: migrate
migrate:
\tpython3 manage.py migrate

.PHONY: run-production
run-production: migrate  ## Production gunicorn
\tcp -r /app/frontend/static /tmp/
\t@gunicorn shop.wsgi:application \\
\t\t-w 5 --bind=0.0.0.0:$(PORT) \\
\t\t--access-logfile -

.PHONY: run-queue
run-queue:  ## Queue workers
\tpython3 manage.py qcluster

start:
\t$(MAKE) run-production
"""
COMPOSE = """\
services:
  shop_app: &app
    image: ghcr.io/example/shop:${GITHUB_SHA:-latest}
    command: make run-production
    environment:
      - DEBUG=false
    restart: unless-stopped
    ports:
      - "127.0.0.1:8814:8814"
{check}
  queue:
    <<: *app
    command: make run-queue
    ports: []
"""
CHECK = """\
    healthcheck:
      test: ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8814/')"]
      interval: 30s
"""


def repo(compose: str = COMPOSE, workflow: str = WORKFLOW, make: str = MAKEFILE, check: str = "") -> dict[str, str]:
    return {"docker-compose.production.yml": compose.replace("{check}", check), ".github/workflows/deploy.yml": workflow,
            "Dockerfile": DOCKERFILE, "Makefile": make, "requirements.txt": "django\ngunicorn\n",
            "shop/__init__.py": "", "shop/urls.py": "from django.urls import path\n\nurlpatterns = [path('', lambda r: None)]\n"}


def test_an_image_built_under_the_actors_name_and_started_by_make_is_judged(run_hook: Run) -> None:
    lines, text = run(run_hook, repo())
    assert len(lines) == 1, text
    assert lines[0].startswith("docker-compose.production.yml:2:"), text
    assert "service shop_app runs gunicorn (started by Makefile run-production)" in lines[0], text
    assert "ghcr.io/example/shop:latest is built from (Dockerfile, by .github/workflows/deploy.yml" in lines[0], text
    # a queue worker the hook does not name: said as unknown, not a finding
    assert "service queue: cannot tell: whether `make run-queue` starts" in text, text


def test_the_same_service_with_a_healthcheck_is_left_alone(run_hook: Run) -> None:
    lines, text = run(run_hook, repo(check=CHECK))
    assert lines == [], text


def test_another_registry_or_image_name_is_not_linked(run_hook: Run) -> None:
    for image in ("docker.io/example/shop", "ghcr.io/example/other", "ghcr.io/example/team/shop"):
        lines, text = run(run_hook, repo(compose=COMPOSE.replace("ghcr.io/example/shop", image)))
        assert lines == [], (image, text)
        assert "a registry image" in text, (image, text)


def test_a_make_target_that_runs_no_server_is_unknown(run_hook: Run) -> None:
    lines, text = run(run_hook, repo(make=MAKEFILE.replace("@gunicorn shop.wsgi:application", "@python3 worker.py")))
    assert lines == [], text
    assert "whether `make run-production` starts an app server" in text, text


def test_patterns_keep_the_registry_and_the_name_exact() -> None:
    assert builds.wildcards("ghcr.io/${{ github.repository_owner }}/app") == "ghcr.io/*/app"
    assert builds.wildcards("${{ secrets.DOCKERHUB_USER }}/app") == "*/app"
    assert builds.wildcards("$CI_REGISTRY_IMAGE/web") == "*registry*/*/*/web"
    assert builds.matches("ghcr.io/*/app", "ghcr.io/acme/app")
    assert not builds.matches("ghcr.io/*/app", "quay.io/acme/app")
    assert builds.matches("*/app", "acme/app") and not builds.matches("*/app", "ghcr.io/app")
    assert builds.matches("*registry*/*/*/web", "registry.gitlab.com/acme/shop/web")
    assert not builds.matches("*registry*/*/*/web", "acme/shop/web")
    # the image's own name left to CI (ghcr.io/${{ github.repository }}) links nothing
    assert not builds.valid_pattern("ghcr.io/*/*") and builds.valid_pattern("ghcr.io/*/app")


def test_two_patterns_of_different_dockerfiles_link_nothing() -> None:
    a = builds.Build("ghcr.io/*/app", "Dockerfile", ".", None, "ci.yml:1")
    b = builds.Build("*registry*/*/app", "docker/Dockerfile", "docker", None, "ci.yml:9")
    assert builds.find({"ghcr.io/*/app": a}, "ghcr.io/acme/app:1") == a
    assert builds.find({"ghcr.io/*/app": a, "*registry*/*/app": b}, "ghcr.io/acme/app") is None


def test_gitlab_ci_build_with_the_registry_image_variable() -> None:
    ci = "build:\n  script:\n    - docker build -t $CI_REGISTRY_IMAGE/web:$CI_COMMIT_SHA -f docker/Dockerfile .\n"
    made = builds.builds_in(".gitlab-ci.yml", ci, lambda p: p == "docker/Dockerfile")
    assert [(b.image, b.dockerfile) for b in made] == [("*registry*/*/*/web", "docker/Dockerfile")]
    # the name itself left to a variable: nothing
    ci = "build:\n  script:\n    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA -f docker/Dockerfile .\n"
    assert builds.builds_in(".gitlab-ci.yml", ci, lambda p: p == "docker/Dockerfile") == []


def test_make_call_and_recipe() -> None:
    call = makefile.call(["make", "-C", "app", "-s", "serve", "PORT=9000"])
    assert call is not None and call.directory == "app" and call.targets == ["serve"] and call.variables == {"PORT": "9000"}
    assert makefile.call(["apt-get", "install", "make"]) is None
    text = makefile.recipe(MAKEFILE, ["start"])
    assert "python3 manage.py migrate" in text and "--bind=0.0.0.0:8814" in text, text
    assert "qcluster" not in text
    assert makefile.recipe(MAKEFILE, ["run-production"], {"PORT": "9000"}).count("0.0.0.0:9000") == 1
    assert makefile.recipe(MAKEFILE, ["nothing-here"]) == ""
    # a comment after the rule is not a prerequisite; a target-specific variable is not a rule
    assert makefile.recipe("a: ## run it\n\techo a\nb: X = 1\nb:\n\techo b\n", ["a", "b"]) == "echo a\necho b"


# -- judge's note: a Clowder ClowdApp in an OpenShift Template, read like a Deployment ---------------
CLOWDAPP = """\
---
apiVersion: template.openshift.io/v1
kind: Template
metadata:
  name: shop
objects:
- apiVersion: cloud.redhat.com/v1alpha1
  kind: ClowdApp
  metadata:
    name: shop
  spec:
    envName: ${ENV_NAME}
    deployments:
    - name: service
      minReplicas: ${{MIN_REPLICAS}}
      webServices:
        public:
          enabled: true
      podSpec:
        image: ${IMAGE}:${IMAGE_TAG}
        command: ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000"]
        env:
        - name: DJANGO_SETTINGS_MODULE
          value: shop.settings.production
        readinessProbe:
          httpGet:
            path: READY
            port: 8000
            httpHeaders:
            - name: Host
              value: shop.example.com
          initialDelaySeconds: 10
parameters:
- name: IMAGE
  value: quay.io/example/shop
"""
NGINX_TEMPLATE = """\
apiVersion: template.openshift.io/v1
kind: Template
metadata:
  name: shop-frontend
objects:
- apiVersion: apps.openshift.io/v1
  kind: DeploymentConfig
  metadata:
    name: ${NAME}
  spec:
    template:
      spec:
        containers:
        - name: frontend
          image: ${REGISTRY}/${NAME}/frontend:latest
          command: [bash]
          args: ["-c", "envsubst '$BACKEND' < /etc/nginx/nginx.conf.template > /etc/nginx/nginx.conf && nginx -g 'daemon off;'"]
          ports:
          - containerPort: 8080
          readinessProbe:
            httpGet:
              path: /nginx-health
              port: 8080
"""


def _shop(**extra: str) -> dict[str, str]:
    """The django_shop fixture project (its /api/v1/health/ route, ALLOWED_HOSTS shop.example.com) plus ``extra``."""
    root = Path(__file__).parent / "projects" / "django_shop"
    return {**{str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}, **extra}


def test_a_clowdapp_probe_on_a_path_no_route_serves_is_caught(run_hook: Run) -> None:
    lines, text = run(run_hook, _shop(**{"deploy/clowdapp.yml": CLOWDAPP.replace("READY", "/api/v1/ready/")}))
    assert len(lines) == 1 and "probe-path-not-a-route" in lines[0], text
    assert lines[0].startswith("deploy/clowdapp.yml:27:"), text
    assert "readinessProbe of container service in ClowdApp shop-service asks for /api/v1/ready/" in lines[0], text


def test_a_clowdapp_probe_on_a_route_is_left_alone(run_hook: Run) -> None:
    lines, text = run(run_hook, _shop(**{"deploy/clowdapp.yml": CLOWDAPP.replace("READY", "/api/v1/health/")}))
    assert lines == [], text


def test_a_clowdapp_probe_on_a_named_port_is_not_a_missing_port(run_hook: Run) -> None:
    # Clowder assigns the ports: a name the podSpec does not declare is not a broken probe
    lines, text = run(run_hook, _shop(**{"deploy/clowdapp.yml": CLOWDAPP.replace("READY", "/api/v1/health/").replace(
        "port: 8000", "port: web")}))
    assert lines == [], text


def test_a_template_container_running_nginx_answers_its_own_routes(run_hook: Run) -> None:
    lines, text = run(run_hook, _shop(**{"openshift/frontend.yml": NGINX_TEMPLATE}))
    assert lines == [], text
    assert "container frontend in DeploymentConfig ${NAME}: cannot tell: the container runs nginx" in text, text


def test_a_template_container_running_gunicorn_is_still_judged(run_hook: Run) -> None:
    gunicorn = NGINX_TEMPLATE.replace(
        "args: [\"-c\", \"envsubst '$BACKEND' < /etc/nginx/nginx.conf.template > /etc/nginx/nginx.conf && nginx -g 'daemon off;'\"]",
        "args: [\"-c\", \"gunicorn shop.wsgi:application --bind 0.0.0.0:8080\"]").replace(
        "              port: 8080\n",
        "              port: 8080\n              httpHeaders:\n              - name: Host\n                value: shop.example.com\n")
    lines, text = run(run_hook, _shop(**{"openshift/frontend.yml": gunicorn}))
    assert len(lines) == 1 and "probe-path-not-a-route" in lines[0] and "/nginx-health" in lines[0], text
