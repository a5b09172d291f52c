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

# TANF-app: `.circleci/config.yml` is `setup: true` and only runs generate_config.sh, which concatenates
# base_config.yml and the fragments under .circleci/<area>/ into the configuration CircleCI continues with;
# GitHub workflows only trigger CircleCI pipelines.
CIRCLECI_SETUP = """\
version: 2.1

# this allows you to use CircleCI's dynamic configuration feature
setup: true

# the continuation orb is required in order to use dynamic configuration
orbs:
  continuation: circleci/continuation@0.1.2

# parameters from github actions
parameters:
  build_and_test_all:
    type: boolean
    default: false
  triggered:
    type: boolean
    default: false

jobs:
  setup:
    executor: continuation/default
    steps:
      - checkout # checkout code
      - run: # run a command
          name: Generate config
          command: |
            cd .circleci
            chmod +x generate_config.sh
            ./generate_config.sh
      - continuation/continue:
          configuration_path: .circleci/generated_config.yml # use newly generated config to continue

# our single workflow, that triggers the setup job defined above
workflows:
  github-triggered-setup:
    when: << pipeline.parameters.triggered >>
    jobs:
      - setup:
          filters:
            branches:
              ignore:
                - main
                - master
  circle-ci-setup:
    jobs:
      - setup:
          filters:
            branches:
              only:
                - develop
                - main
                - master
"""
CIRCLECI_GENERATE = """\
#!/usr/bin/sh

cat base_config.yml > generated_config.yml

# Commands
echo 'commands:' >> generated_config.yml
cat build-and-test/commands.yml >> generated_config.yml

# Jobs
echo 'jobs:' >> generated_config.yml
cat build-and-test/jobs.yml >> generated_config.yml

# Workflows
echo 'workflows:' >> generated_config.yml
cat build-and-test/workflows.yml >> generated_config.yml

cat generated_config.yml
"""
CIRCLECI_BASE = """\
version: 2.1

executors:
  machine-executor:
    machine:
      docker_layer_caching: false
      image: ubuntu-2204:2024.05.1

parameters:
  build_and_test_all:
    type: boolean
    default: false
  triggered:
    type: boolean
    default: false
"""
CIRCLECI_COMMANDS = """\
# commands:
  docker-compose-up-backend:
    steps:
      - run:
          name: Build and Spin-up Django API service
          command: cd tdrs-backend; docker network create external-net; docker-compose up -d --build
"""
CIRCLECI_JOBS = """\
# jobs:
  test-backend:
    executor: machine-executor
    steps:
      - checkout
      - docker-compose-up-backend
      - run:
          name: Run Unit Tests And Create Code Coverage Report
          command: |
            cd tdrs-backend;
            docker-compose run --rm web bash -c "./wait_for_services.sh && pytest --cov-report=xml"
      - run:
          name: Execute Python Linting Test
          command: cd tdrs-backend; docker-compose run --rm web bash -c "flake8 ."
"""
CIRCLECI_WORKFLOWS = """\
# workflows:
  build-and-test-all:
    when: << pipeline.parameters.build_and_test_all >>
    jobs:
      - test-backend
"""
GITHUB_TRIGGERS_CIRCLECI = """\
name: Build and test All for PRs
on:
  pull_request:
    branches-ignore: #handled in circleci
      - main
      - master
    types: [review_requested, ready_for_review, synchronize]
jobs:
  build_and_test_pr:
    runs-on: ubuntu-latest
    name: Initiate deploy job in CircleCI
    steps:
      - uses: actions/checkout@v4
      - name: Circle CI Deployment Trigger
        id: curl-circle-ci
        uses: promiseofcake/circleci-trigger-action@v1
        with:
          user-token: ${{ secrets.CIRCLE_CI_V2_TOKEN }}
          project-slug: ${{ github.repository }}
          branch: ${{ (github.event_name == 'pull_request') && github.head_ref || github.ref_name }}
          payload: '{
            "build_and_test_all": true,
            "triggered": true
          }'
"""
CIRCLECI_DYNAMIC = {
    ".circleci/config.yml": CIRCLECI_SETUP,
    ".circleci/generate_config.sh": CIRCLECI_GENERATE,
    ".circleci/base_config.yml": CIRCLECI_BASE,
    ".circleci/build-and-test/commands.yml": CIRCLECI_COMMANDS,
    ".circleci/build-and-test/jobs.yml": CIRCLECI_JOBS,
    ".circleci/build-and-test/workflows.yml": CIRCLECI_WORKFLOWS,
    ".github/workflows/build-pr.yml": GITHUB_TRIGGERS_CIRCLECI,
}


def circleci_generated() -> str:
    """What generate_config.sh writes: the configuration CircleCI continues with."""
    return (CIRCLECI_BASE + "commands:\n" + CIRCLECI_COMMANDS + "jobs:\n" + CIRCLECI_JOBS + "workflows:\n"
            + CIRCLECI_WORKFLOWS)
