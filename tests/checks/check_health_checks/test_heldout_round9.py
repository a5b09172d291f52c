"""check-health-checks, the wrong class the independent judge found in held-out round 9 and the
notice it found inconsistent, on look-alikes of the real files, with their leave-alone twins:

1. a development compose file not recognised: (a) its leading comment says it is a development
   setup ("exclusively intended to be used as a development environment", "used only for local
   development", "not for production"), skipped and said in --verbose; a production file whose
   comment points to the development one ("see docker-compose.dev.yml for development", "For
   development, use ...") is still judged; (b) a service bind-mounts its build context over the
   folder its Dockerfile ``COPY . <dir>``s the code into (``.:/srv/app`` over ``COPY . /srv/app/``):
   the checkout replaces the image's code, a development stack (since round 16, ``restart: always``
   or not); a mount elsewhere or a Dockerfile that copies the code elsewhere is still judged;
2. a repo whose only compose service builds an image that runs its base image's software (FROM
   elasticsearch with a plugin added, no command, no health check) says "nothing to check", as a
   repo with only registry images of other projects does; a built service with a command the hook
   cannot read still says it could not judge it."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from hooks.checks.check_health_checks.deploy import development_header
from tests.helpers.health import run_in_repo

Run = Callable[..., object]
run = run_in_repo

# -- 1. a CherryPy app's development stack: app server, a celery worker, mongo ---------------------
DOCKERFILE = """\
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y python3-pip tini
COPY . /srv/app/
WORKDIR /srv/app
RUN pip install -e .
ENTRYPOINT ["tini", "--", "appctl", "serve"]
"""
STACK = """\
services:
  mongo:
    image: mongo:4.4

  web:
    build: .
    ports:
      - "8080:8080"
    command: --host 0.0.0.0 --database mongodb://mongo:27017/app
    volumes:
      - .:/srv/app # the checkout over the image's code
      - /srv/app/web/dist

  jobs:
    build: .
    entrypoint: celery -A app_jobs.app worker -Q local
    working_dir: /srv/app
"""
HEADER = "# This compose setup is only intended to be used as a development environment\n\n"


def stack(compose: str, dockerfile: str = DOCKERFILE) -> dict[str, str]:
    return {"docker-compose.yml": compose, "Dockerfile": dockerfile, "setup.py": "from setuptools import setup\nsetup(name='app')\n"}


def worker_finding(lines: list[str]) -> bool:
    return any("service jobs runs a celery worker" in line for line in lines)


def test_a_compose_file_whose_leading_comment_says_development_is_skipped(run_hook: Run) -> None:
    lines, text = run(run_hook, stack(HEADER + STACK.replace("      - .:/srv/app # the checkout over the image's code\n", "")))
    assert not worker_finding(lines), text
    assert 'docker-compose.yml: development only (its leading comment: "This compose setup is only intended' in text, text
    assert "nothing to check" in text, text


def test_a_production_file_pointing_to_the_development_one_is_judged(run_hook: Run) -> None:
    plain = STACK.replace("      - .:/srv/app # the checkout over the image's code\n", "")
    for header in ("# Production stack. See docker-compose.dev.yml for development\n",
                   "# For local development, use the override file and run make up\n",
                   "# The stack we deploy; not for local development\n",
                   "# Runs the app, its worker and mongo\n"):
        lines, text = run(run_hook, stack(header + plain))
        assert worker_finding(lines), (header, text)
        assert "development only" not in text, (header, text)


@pytest.mark.parametrize("header", [
    "# This docker compose setup is exclusively intended to be used as a development environment",
    "# NOTE: Used Only for local development",
    "# A dockerized stack for development",
    "# Used for development: please do not remove this file",
    "# Not for production use.",
    "# Do not use this in production!",
    "#\n# Local stack, for development only; not for production.\n#",
])
def test_development_headers(header: str) -> None:
    assert development_header(header + "\nservices:\n  web:\n    build: .\n")


@pytest.mark.parametrize("header", [
    "# Base composition. For development, this composition is augmented in docker-compose.override.yml.",
    "# Production stack. See docker-compose.dev.yml for development",
    "# For development use the override file",
    "# For local development, use the local image built with make",
    "# Production stack; not for local development",
    "# This stack is not for development",
    "# Runs in production and in the development environment",
    "# Ensure this launches a separate stack for CI testing to avoid conflicts with local dev setup:",
    "# Production server with uWSGI on port 8080",
])
def test_not_development_headers(header: str) -> None:
    assert development_header(header + "\nservices:\n  web:\n    build: .\n") == ""


def test_a_comment_after_the_first_key_is_not_a_leading_comment() -> None:
    assert development_header("services:\n  # for local development only\n  web:\n    build: .\n") == ""


def test_the_checkout_mounted_over_the_copied_code_is_a_development_stack(run_hook: Run) -> None:
    lines, text = run(run_hook, stack(STACK))
    assert not worker_finding(lines), text
    assert "service web bind-mounts the checkout over /srv/app, where its Dockerfile copies the code" in text, text
    # WORKDIR then COPY . . and a mount written ./ : the same
    workdir = DOCKERFILE.replace("COPY . /srv/app/\nWORKDIR /srv/app\n", "WORKDIR /srv/app\nCOPY . .\n")
    lines, text = run(run_hook, stack(STACK.replace("      - .:/srv/app #", "      - ./:/srv/app/ #"), workdir))
    assert not worker_finding(lines), text
    assert "bind-mounts the checkout over /srv/app" in text, text


@pytest.mark.parametrize("change", [
    ("      - .:/srv/app #", "      - ./docs:/srv/app #"),  # a folder of the repo, not the build context
    ("      - .:/srv/app #", "      - .:/srv/checkout #"),  # mounted beside the code, not over it
])
def test_other_mounts_are_judged(run_hook: Run, change: tuple[str, str]) -> None:
    lines, text = run(run_hook, stack(STACK.replace(*change)))
    assert worker_finding(lines), (change, text)
    assert "bind-mounts the checkout" not in text, (change, text)


def test_a_dockerfile_that_copies_the_code_elsewhere_is_judged(run_hook: Run) -> None:
    lines, text = run(run_hook, stack(STACK, DOCKERFILE.replace("COPY . /srv/app/", "COPY . /opt/app/")))
    assert worker_finding(lines), text


# -- 2. a repo whose compose file only runs other projects' software ---------------------------------
SEARCH = """\
version: '2'
services:
  zookeeper:
    image: wurstmeister/zookeeper
  search:
    build: ../search/
    ports:
      - "9200:9200"
"""


def test_a_built_image_of_other_software_with_no_command_is_nothing_to_check(run_hook: Run) -> None:
    files = {"extra/docker/docker-compose.yml": SEARCH,
             "extra/search/Dockerfile": "FROM docker.elastic.co/elasticsearch/elasticsearch:7.10.1\n"
                                        "RUN /usr/share/elasticsearch/bin/elasticsearch-plugin install --batch analysis-icu\n"}
    lines, text = run(run_hook, files)
    assert not lines, text
    assert "nothing to check" in text, text


def test_a_built_image_with_a_command_not_read_is_said(run_hook: Run) -> None:
    files = {"extra/docker/docker-compose.yml": SEARCH.replace("    build: ../search/\n", "    build: ../search/\n    command: ./start-search\n"),
             "extra/search/Dockerfile": "FROM python:3.12\nCOPY . /app\n"}
    lines, text = run(run_hook, files)
    assert "nothing to check" not in text, text
    assert "cannot tell: whether `./start-search` starts an app server" in text, text


def test_a_ci_pipeline_with_job_services_is_not_a_skipped_compose_file(run_hook: Run) -> None:
    ci = "image: python:3.11\ntest:\n  services:\n    - postgres:13\n  script:\n    - pytest\n"
    lines, text = run(run_hook, {".gitlab-ci.yml": ci, "setup.py": "from setuptools import setup\nsetup(name='app')\n"})
    assert "nothing to check" in text, text
    assert "skipped" not in text, text


def test_a_helper_service_sharing_the_mounted_checkout_makes_the_stack_development(run_hook: Run) -> None:
    """The round-5 full stack with debug off: its ``static`` service mounts the checkout over the
    code the Dockerfile copies, and ``web`` takes it through ``volumes_from``."""
    services = "services:\n  app:\n    build: .\n    image: shop:latest\n"
    full = ("services:\n  web:\n    extends:\n      file: docker-services.yml\n      service: app\n"
            "    command: uwsgi /code/shop/docker/uwsgi/uwsgi.ini\n    volumes_from:\n      - static\n"
            "  static:\n    extends:\n      file: docker-services.yml\n      service: app\n    restart: \"no\"\n"
            "    command: tail -f /var/log/*\n    volumes:\n      - \".:/code/shop\"\n")
    files = {"docker-services.yml": services, "docker-compose.full.yml": full, "Dockerfile": "FROM python:3.12\nCOPY . /code/shop\n",
             "shop/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n"}
    lines, text = run(run_hook, files)
    assert lines == [], text
    assert "service static bind-mounts the checkout over /code/shop" in text, text
    files["Dockerfile"] = "FROM python:3.12\nCOPY . /srv/shop\n"
    lines, text = run(run_hook, files)
    assert any("service web runs uwsgi" in line for line in lines), text


POD_TEMPLATE = """\
apiVersion: v1
kind: Pod
spec:
  containers:
    - name: app
      image: "public.ecr.aws/acme/shop-tests:py311"
      tty: true
      command: ["tail", "-f"]
"""


def test_a_ci_pod_template_with_no_probe_is_nothing_to_check(run_hook: Run) -> None:
    """A Jenkins agent's pod template (kind Pod, no probe): no rule judges it, so the repo says
    "nothing to check" rather than nothing at all."""
    lines, text = run(run_hook, {"Jenkinsfiles/pod-config.yaml": POD_TEMPLATE})
    assert not lines, text
    assert "nothing to check" in text, text


def test_a_pod_with_a_probe_is_judged(run_hook: Run) -> None:
    probed = POD_TEMPLATE + "      readinessProbe:\n        httpGet:\n          path: /healthz\n          port: 8000\n"
    files = {"k8s/pod.yaml": probed, "shop/app.py": "from flask import Flask\n\napp = Flask(__name__)\n"}
    lines, text = run(run_hook, files)
    assert "nothing to check" not in text, text
    assert any("probe-path-not-a-route: readinessProbe of container app in Pod" in line for line in lines), text


def test_a_compose_file_named_for_production_is_judged(run_hook: Run) -> None:
    """docker-compose.production.yml mounting the checkout over the code, or with a leading comment
    saying development: its name wins, it is judged."""
    for compose in (STACK, HEADER + STACK):
        files = stack(compose)
        files["docker-compose.production.yml"] = files.pop("docker-compose.yml")
        lines, text = run(run_hook, files)
        assert worker_finding(lines), text
        assert "development only" not in text, text
