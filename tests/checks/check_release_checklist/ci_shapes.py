"""CI files shaped like the held-out round-5 services (GNOME extensions-web's GitLab pipeline,
akvo-rsr's Semaphore pipeline, TANF-app's CircleCI dynamic configuration), for
test_round5_classes.py and the parse gate of test_workflow_schemas.py."""
from __future__ import annotations

# extensions-web: one template runs `"${VALIDATE_TOOL}" ${VALIDATE_TOOL_ARGS}`; the tool is set in the
# template, its arguments in each job that extends it (GitLab merges `variables:` key by key).
GITLAB_VALIDATE = """\
variables:
  FF_NETWORK_PER_BUILD: 'true'
  PYTHON_VERSION: '3.12'
  OPENSEARCH_VERSION: '2.8.0'

workflow:
  rules:
    - if: $CI_COMMIT_REF_PROTECTED == "true"
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"

stages:
  - validate
  - test
  - build

.pip cache:
  cache:
    paths:
      - $PIP_CACHE_DIR
    when: always
  variables:
    PIP_CACHE_DIR: $CI_PROJECT_DIR/.cache/pip

.test defaults:
  extends:
    - .pip cache
  image: python:$PYTHON_VERSION
  before_script:
    - pip install -r requirements.dev.txt
  variables:
    EGO_DEBUG: 1
    EGO_SECRET_KEY: .
  needs: []

.validate defaults:
  extends:
    - .test defaults
  stage: validate
  script:
    - >-
      "${VALIDATE_TOOL}" ${VALIDATE_TOOL_ARGS}
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  variables:
    VALIDATE_TOOL: ruff

test:
  extends:
    - .test defaults
  stage: test
  script:
    - python -Wd manage.py test
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  parallel:
    matrix:
      - PYTHON_VERSION:
          - '3.12'
          - '3.13'

check migrations:
  extends:
    - .test defaults
  stage: validate
  script:
    - python manage.py makemigrations --check

lint:
  extends:
    - .validate defaults
  variables:
    VALIDATE_TOOL_ARGS: check

format:
  extends:
    - .validate defaults
  variables:
    VALIDATE_TOOL_ARGS: format --check --diff

build and deploy:
  stage: build
  image: quay.io/buildah/stable
  script:
    - buildah build -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA" .
    - buildah push "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA"
  rules:
    - if: $CI_COMMIT_BRANCH == "deploy"
"""

# A tox pipeline whose environments come from `parallel: matrix:` (one job per TOXENV value).
GITLAB_TOX_MATRIX = """\
default:
  image: python:3.12

variables:
  PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"

tox:
  stage: test
  before_script:
    - pip install tox
  script:
    - tox -e "$TOX_ENV"
  parallel:
    matrix:
      - TOX_ENV: [lint, py311, py312]
"""
