"""check-health-checks, the wrong class of held-out round 12, on look-alikes of the real files,
with their leave-alone twins:

1. a compose file that CI only hands to an image builder which pushes what it builds (``taskboot
   build-compose``, ``docker compose build`` + ``push``, ``docker push`` of its images): its app
   services are "built here, run elsewhere", unknown, not findings. A service kept running
   (``restart: always``), a file named for production, a file CI builds but never pushes, or one a
   host deploys with ``docker stack deploy`` is still judged;
2. the compose file in the service's folder is no longer a side harness of such a build list; it is
   judged by its own signs, and ``develop: watch:`` (compose watch) makes it a development stack."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from hooks.checks.check_health_checks.builds import compose_build_lists
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
