"""check-health-checks, the wrong classes of held-out round 11, on look-alikes of the real files,
with their leave-alone twins:

1. a compose file whose leading comment says it is for local development with Markdown emphasis
   ("only used for *local development*") and points to where the deployed setup lives ("see
   Dockerfile for deployed version"): development, skipped; a pointer from a production file to the
   development one still cancels the sign."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from hooks.checks.check_health_checks.deploy import development_header
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
