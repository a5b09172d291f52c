"""check-health-checks, the wrong class and the miss of held-out round 16, on look-alikes of the real files,
with their leave-alone (or still-caught) twins:

1. a compose app service that runs from a bind mount of its own build context over the code its Dockerfile
   ``ADD``s (``./:/app/`` over ``ADD . /app/``) is a development run, ``restart: always`` or not: the whole
   file is a development stack (a file named for production is still judged, and so is another mount);
2. a Dockerfile ``HEALTHCHECK`` that runs curl (or wget) in an image without it can never pass:
   ``healthcheck-tool-missing`` (``python:*-slim`` has neither, alpine has busybox's wget but no curl; a full
   ``python:*`` image has both; an install in the final stage's chain or a COPY of the binary brings it)."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from hooks.checks.check_health_checks import deploy
from tests.helpers.health import run_in_repo

Run = Callable[..., object]
run = run_in_repo


def rule(lines: list[str], name: str) -> list[str]:
    return [line for line in lines if f": {name}: " in line]


APP = """\
from flask import Flask

app = Flask(__name__)


@app.route("/healthcheck")
def healthcheck():
    return "WORKING"
"""

# -- 1. a kept-running service that runs from the checkout mounted over its image's code -------------------
COMPOSE = """\
version: '2'
services:
  db:
    image: mysql:5.7
  worker:
    build:
      context: ./
      dockerfile: scripts/docker/Dockerfile
    restart: always
    command: celery -A shop worker -l debug
    volumes:
      - ./:/shop/
  web:
    build:
      context: ./
      dockerfile: scripts/docker/Dockerfile
    restart: always
    command: gunicorn -b 0.0.0.0:8000 shop.wsgi
    ports:
      - "8000:8000"
    volumes:
      - ./:/shop/
"""

DOCKERFILE = """\
FROM python:2.7
RUN mkdir /shop
ADD requirements_debug.txt /requirements_debug.txt
RUN pip install -r /requirements_debug.txt
ADD . /shop/
WORKDIR /shop
"""


def stack(compose: str = COMPOSE, name: str = "docker-compose.yml") -> dict[str, str]:
    return {name: compose, "scripts/docker/Dockerfile": DOCKERFILE, "shop/app.py": APP}


def test_kept_running_service_on_the_checkout_mounted_over_its_code_is_development(run_hook: Run) -> None:
    lines, text = run(run_hook, stack())
    assert rule(lines, "service-without-healthcheck") == [], text
    assert "service web: development only (service worker bind-mounts the checkout over /shop, where its Dockerfile copies the code)" in text, text


@pytest.mark.parametrize("mount", [
    "      - ./logs:/shop/logs\n",  # a folder of the repo, not the build context
    "      - ./:/checkout/\n",  # mounted beside the code, not over it
])
def test_kept_running_services_without_the_checkout_over_their_code_are_judged(run_hook: Run, mount: str) -> None:
    lines, text = run(run_hook, stack(COMPOSE.replace("      - ./:/shop/\n", mount)))
    assert len(rule(lines, "service-without-healthcheck")) == 2, (mount, text)
    assert "bind-mounts the checkout" not in text, (mount, text)


def test_a_compose_file_named_for_production_is_judged_whatever_it_mounts(run_hook: Run) -> None:
    lines, text = run(run_hook, stack(name="docker-compose.production.yml"))
    assert len(rule(lines, "service-without-healthcheck")) == 2, text


# -- 2. a HEALTHCHECK whose tool is not in the image --------------------------------------------------------
IMAGE = """\
ARG PYTHON_VERSION=3.12
ARG DEBIAN_VERSION=bookworm
FROM ghcr.io/astral-sh/uv:python${PYTHON_VERSION}-${DEBIAN_VERSION} AS builder
RUN apt-get update && apt-get install -y curl build-essential
COPY . /src
RUN uv pip install --prefix=/install /src

FROM docker.io/library/python:${PYTHON_VERSION}-slim-${DEBIAN_VERSION}
COPY --from=builder /install /usr/local
EXPOSE 5000/tcp
HEALTHCHECK --start-period=5s --interval=1m --timeout=5s \\
  CMD curl --fail --silent --show-error http://localhost:5000/healthcheck || exit 1
ENTRYPOINT ["gunicorn", "-b", "0.0.0.0:5000", "app:app"]
"""


def image(dockerfile: str) -> dict[str, str]:
    return {"docker/Dockerfile": dockerfile, "docker/app.py": APP}


@pytest.mark.parametrize("dockerfile", [
    IMAGE,  # slim final stage; only the builder installs curl
    IMAGE.replace("python:${PYTHON_VERSION}-slim-${DEBIAN_VERSION}", "python:3.12-alpine"),  # alpine: no curl
    IMAGE.replace("CMD curl --fail --silent --show-error", "CMD wget -q -O-"),  # slim: no wget either
    IMAGE.replace("docker.io/library/python:${PYTHON_VERSION}-slim-${DEBIAN_VERSION}", "gcr.io/distroless/python3-debian12"),
])
def test_a_healthcheck_tool_the_image_lacks_is_caught(run_hook: Run, dockerfile: str) -> None:
    lines, text = run(run_hook, image(dockerfile))
    found = rule(lines, "healthcheck-tool-missing")
    assert len(found) == 1 and found[0].startswith("docker/Dockerfile:11:"), text


@pytest.mark.parametrize("dockerfile", [
    IMAGE.replace("-slim-${DEBIAN_VERSION}", "-${DEBIAN_VERSION}"),  # full python image: curl and wget are there
    IMAGE.replace("COPY --from=builder /install /usr/local\n",
                  "COPY --from=builder /install /usr/local\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"),
    IMAGE.replace("python:${PYTHON_VERSION}-slim-${DEBIAN_VERSION}", "python:3.12-alpine").replace("CMD curl --fail --silent --show-error", "CMD wget -q -O-"),
    IMAGE.replace("python:${PYTHON_VERSION}-slim-${DEBIAN_VERSION}", "python:3.12-alpine").replace("\nEXPOSE", "\nRUN apk add --no-cache curl\nEXPOSE"),
    IMAGE.replace("COPY --from=builder /install /usr/local\n", "COPY --from=builder /install /usr/local\nCOPY --from=builder /usr/bin/curl /usr/bin/curl\n"),
    IMAGE.replace("COPY --from=builder /install /usr/local\n", "COPY --from=builder /install /usr/local\nRUN ./docker/install-packages.sh\n"),
    IMAGE.replace("docker.io/library/python", "myorg/python"),  # another project's image: unknown
    IMAGE.replace("CMD curl --fail --silent --show-error http://localhost:5000/healthcheck || exit 1",
                  "CMD python -c \"import urllib.request; urllib.request.urlopen('http://localhost:5000/healthcheck')\""),
])
def test_a_healthcheck_tool_the_image_has_or_may_have_is_left_alone(run_hook: Run, dockerfile: str) -> None:
    lines, text = run(run_hook, image(dockerfile))
    assert rule(lines, "healthcheck-tool-missing") == [], text


@pytest.mark.parametrize("base, lacks", [
    ("python:3.12-slim", {"curl", "wget"}),
    ("debian:bookworm-slim", {"curl", "wget"}),
    ("python:3.12-alpine3.20", {"curl"}),
    ("alpine:3.20", {"curl"}),
    ("python:3.12", None),
    ("python:slim", {"curl", "wget"}),
    ("python:${TAG}", None),
    ("tiangolo/uvicorn-gunicorn:python3.11-slim", None),
])
def test_base_lacks(base: str, lacks: set[str] | None) -> None:
    assert deploy.base_lacks(base) == lacks
