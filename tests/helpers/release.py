"""Repos shaped like real ones for check-release-checklist: workflows, GitLab
pipelines, Makefiles, scripts, tox/nox files and version sources, written the
way public Python services write them (full-stack FastAPI template,
cookiecutter-django, a Makefile-driven service, a GitLab pipeline)."""
from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.conftest import HookResult, git, write_files

# The FastAPI full-stack template's shape: tests run through `uv run bash
# scripts/tests-start.sh`, which calls scripts/test.sh, which runs pytest,
# with the database started by `docker compose up -d db`; the Python lint
# runs through scripts/lint.sh; the frontend has its own lint job.
FULLSTACK = {
    ".github/workflows/test-backend.yml": """\
name: Test Backend

on:
  push:
    branches:
      - master
  pull_request:
    types:
      - opened
      - synchronize

jobs:
  test-backend:
    runs-on: ubuntu-latest
    steps:
      - name: Checkout
        uses: actions/checkout@v5
      - name: Set up Python
        uses: actions/setup-python@v6
        with:
          python-version: "3.10"
      - name: Install uv
        uses: astral-sh/setup-uv@v6
      - run: docker compose down -v --remove-orphans
      - run: docker compose up -d db mailcatcher
      - name: Migrate DB
        run: uv run bash scripts/prestart.sh
        working-directory: backend
      - name: Run tests
        run: uv run bash scripts/tests-start.sh "Coverage for ${{ github.sha }}"
        working-directory: backend
      - run: docker compose down -v --remove-orphans
""",
    ".github/workflows/lint-backend.yml": """\
name: Lint Backend

on:
  push:
    branches:
      - master
  pull_request:
    types:
      - opened
      - synchronize

jobs:
  lint-backend:
    runs-on: ubuntu-latest
    steps:
      - name: Checkout
        uses: actions/checkout@v5
      - name: Install uv
        uses: astral-sh/setup-uv@v6
      - run: uv run bash scripts/lint.sh
        working-directory: backend
""",
    ".github/workflows/lint-frontend.yml": """\
name: Lint Frontend

on:
  pull_request:

jobs:
  lint-frontend:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-node@v5
        with:
          node-version: lts/*
      - run: npm ci
        working-directory: frontend
      - run: npm run lint
        working-directory: frontend
""",
    "backend/scripts/tests-start.sh": """\
#! /usr/bin/env bash
set -e
set -x

python app/tests_pre_start.py

bash scripts/test.sh "$@"
""",
    "backend/scripts/test.sh": """\
#!/usr/bin/env bash

set -e
set -x

coverage run -m pytest tests/
coverage report
coverage html --title "${@-coverage}"
""",
    "backend/scripts/lint.sh": """\
#!/usr/bin/env bash

set -e
set -x

mypy app
ruff check app
ruff format app --check
""",
    "backend/scripts/prestart.sh": "#! /usr/bin/env bash\nset -e\npython app/backend_pre_start.py\nalembic upgrade head\n",
    "backend/pyproject.toml": '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.10,<4.0"\n',
    "frontend/package.json": '{"name": "frontend", "scripts": {"lint": "biome check --apply-unsafe"}}\n',
    "compose.yml": "services:\n  db:\n    image: postgres:17\n  backend:\n    build: ./backend\n",
}

# cookiecutter-django's CI: pre-commit/action for lint, tests inside
# `docker compose run django pytest` next to the compose file's postgres.
COOKIECUTTER = {
    ".github/workflows/ci.yml": """\
name: CI

env:
  UV_FROZEN: 1

on:
  pull_request:
    branches: ['master', 'main']
    paths-ignore: ['docs/**']

  push:
    branches: ['master', 'main']
    paths-ignore: ['docs/**']

concurrency:
  group: ${{ github.head_ref || github.run_id }}
  cancel-in-progress: true

jobs:
  linter:
    runs-on: ubuntu-latest
    steps:
      - name: Checkout Code Repository
        uses: actions/checkout@v4

      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version-file: '.python-version'

      - name: Run pre-commit
        uses: pre-commit/action@v3.0.1

  pytest:
    runs-on: ubuntu-latest

    steps:
      - name: Checkout Code Repository
        uses: actions/checkout@v4

      - name: Build the Stack
        run: docker compose -f docker-compose.local.yml build django

      - name: Check DB Migrations
        run: docker compose -f docker-compose.local.yml run --rm django python manage.py makemigrations --check

      - name: Run DB Migrations
        run: docker compose -f docker-compose.local.yml run --rm django python manage.py migrate

      - name: Test with pytest
        run: docker compose -f docker-compose.local.yml run django pytest

      - name: Tear down the Stack
        run: docker compose -f docker-compose.local.yml down
""",
    ".pre-commit-config.yaml": """\
exclude: '^docs/|/migrations/|devcontainer.json'
default_stages: [pre-commit]

repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v5.0.0
    hooks:
      - id: trailing-whitespace
      - id: end-of-file-fixer
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.11.0
    hooks:
      - id: ruff
        args: [--fix, --exit-non-zero-on-fix]
      - id: ruff-format
""",
    "pyproject.toml": (
        '[project]\nname = "my_awesome_project"\nversion = "0.1.0"\n\n'
        '[tool.pytest.ini_options]\naddopts = "--ds=config.settings.test --reuse-db"\n'
    ),
    "docker-compose.local.yml": "services:\n  django:\n    build: .\n    depends_on: [postgres]\n  postgres:\n    image: postgres:16\n",
}

# A service driven by its Makefile: the workflow calls make lint, make test and
# make integration-tests env=test.
MAKEFILE_SERVICE = {
    ".github/workflows/ci.yml": """\
name: ci
on:
  push:
  pull_request:
jobs:
  checks:
    runs-on: ubuntu-22.04
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: '3.12'
      - name: Install
        run: make install
      - name: Lint
        run: make lint
      - name: Unit tests
        run: make test
      - name: Integration tests
        run: make integration-tests env=test
""",
    "Makefile": """\
PYTHON ?= python3
VENV = .venv
BIN = $(VENV)/bin

.PHONY: install lint test integration-tests

install:
\t$(PYTHON) -m venv $(VENV)
\t$(BIN)/pip install -e '.[dev]'

lint:
\t$(BIN)/ruff check src tests
\t$(BIN)/mypy src

test:
\t$(BIN)/pytest tests/unit -q

integration-tests:
\tdocker compose -f docker-compose.test.yml up -d --wait
\t$(BIN)/pytest tests/integration --env=$(env)
\tdocker compose -f docker-compose.test.yml down
""",
    "pyproject.toml": '[project]\nname = "orders"\nversion = "2.4.1"\n\n[tool.bumpversion]\ncurrent_version = "2.4.1"\n',
    "src/orders/__init__.py": '"""Orders service."""\n__version__ = "2.4.1"\n',
}

# A GitLab pipeline: hidden job templates with extends, a postgres service
# for the tests, merge-request rules, and a deploy that pushes an image on tags.
GITLAB = {
    ".gitlab-ci.yml": """\
stages:
  - lint
  - test
  - deploy

variables:
  PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"

.python:
  image: python:3.12-slim
  before_script:
    - pip install -r requirements-dev.txt
  cache:
    paths:
      - .cache/pip

lint:
  extends: .python
  stage: lint
  script:
    - flake8 app
    - mypy app

test:
  extends: .python
  stage: test
  services:
    - postgres:15
  variables:
    POSTGRES_DB: app
    DATABASE_URL: postgres://postgres:postgres@postgres/app
  script:
    - python manage.py test
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

deploy:
  stage: deploy
  image: docker:27
  services:
    - docker:27-dind
  script:
    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_TAG .
    - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_TAG
  rules:
    - if: $CI_COMMIT_TAG
""",
    "requirements-dev.txt": "flake8\nmypy\n",
    "manage.py": "import sys\n",
}

# A release workflow: tests, a build, and a PyPI publish that needs only the build.
RELEASE = """\
name: Release
on:
  push:
    tags: ['v*']
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:16
    steps:
      - uses: actions/checkout@v4
      - run: pip install -e '.[test]' && ruff check . && pytest
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: python -m build
      - uses: actions/upload-artifact@v4
        with:
          name: dist
          path: dist/
  publish:
    needs: [build]
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: dist
          path: dist/
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


def make_repo(root: Path, files: dict[str, str]) -> Path:
    """``files`` in a git work tree with everything staged (the hook reads `git ls-files`)."""
    root.mkdir(parents=True, exist_ok=True)
    write_files(root, files)
    if not (root / ".git").exists():
        git(root, "init", "-q")
    git(root, "add", "-A")
    return root


def commit(root: Path, message: str = "commit") -> str:
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").stdout.strip()


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


HOOK = "check-release-checklist"


def fresh_repo_runner(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    """``run(files, *args)``: the hook over ``files`` in a new repo each call (no file
    left over from the call before), run from inside that repo."""
    counter = iter(range(1000))

    def run(files: dict[str, str], *args: str) -> HookResult:
        root = make_repo(tmp_path / f"repo{next(counter)}", files)
        old = os.getcwd()
        os.chdir(root)
        try:
            return run_hook(HOOK, *args)
        finally:
            os.chdir(old)

    return run


def rules(result: HookResult) -> list[str]:
    """The rule ids of the hook's finding lines, sorted."""
    return sorted(line.split(f"{HOOK}: ", 1)[1].split(":", 1)[0] for line in result.lines if f"{HOOK}: " in line)


def row(result: HookResult, item: str) -> str:
    """One checklist row (--checklist): its status and what it says, ``"met | ..."``."""
    for line in result.out.split("\n"):
        if line.startswith(f"| {item} |"):
            return "|".join(line.split("|")[2:4]).strip()
    raise AssertionError(f"no row {item!r} in {result.out!r}")
