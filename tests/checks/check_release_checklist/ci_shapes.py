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

# akvo-rsr: Semaphore runs ci/build-semaphoreci.sh, which runs scripts/docker/ci/build.sh in the compose
# `web` service through run-as-user.sh (`gosu akvo:akvo "$@"`); build.sh runs the lint script (flake8) and
# `manage.py test`. The only GitHub workflow deploys the docs to Pages.
SEMAPHORE_AKVO = {
    ".semaphore/semaphore.yml": """\
version: v1.0
name: Build, test & deploy
agent:
  machine:
    type: e1-standard-2
    os_image: ubuntu2004
blocks:
  - name: 'Build, test & deploy'
    task:
      secrets:
        - name: docker-hub-credentials
      prologue:
        commands:
          - checkout
          - pushd akvo/rsr/front-end
          - cache restore client-fe-npm-deps-$(checksum package.json)
          - popd
      jobs:
        - name: 'Build&Test'
          commands:
            - export CI_BRANCH="${SEMAPHORE_GIT_PR_BRANCH:-$SEMAPHORE_GIT_BRANCH}"
            - export CI_COMMIT=${SEMAPHORE_GIT_SHA}
            - |-
              if [ "$SEMAPHORE_GIT_REF_TYPE" = "pull-request" ]; then
                export CI_PULL_REQUEST="true"
              else
                export CI_PULL_REQUEST="false"
              fi
            - ./ci/build-semaphoreci.sh && ./ci/deploy-semaphoreci.sh
      env_vars:
        - name: CLOUDSDK_CORE_DISABLE_PROMPTS
          value: '1'
      epilogue:
        on_fail:
          commands:
            - ./ci/on-fail-semaphoreci.sh
""",
    "ci/build-semaphoreci.sh": """\
#!/usr/bin/env bash
set -eu

function log {
   echo "$(date +"%T") - BUILD INFO - $*"
}

docker build --rm=false -t rsr-backend:dev -f Dockerfile-dev .

log Starting docker-compose
docker-compose -p rsrci -f docker-compose.yaml -f docker-compose.ci.yaml up -d --build

if [[ ! "${SKIP_BACKEND_TESTS:-}" = yes ]]; then
  log Running tests
  docker-compose \\
    -p rsrci \\
    -f docker-compose.yaml \\
    -f docker-compose.ci.yaml \\
    run web scripts/docker/dev/run-as-user.sh scripts/docker/ci/build.sh
fi

log Creating Production Backend image with code
docker build --rm=false -t eu.gcr.io/${PROJECT_NAME}/rsr-backend:${CI_COMMIT} -f Dockerfile-prod .
""",
    "ci/deploy-semaphoreci.sh": """\
#!/usr/bin/env bash
set -eu

if [[ "${CI_PULL_REQUEST}" != "false" ]]; then
    exit 0
fi
gcloud auth configure-docker
docker push eu.gcr.io/${PROJECT_NAME}/rsr-backend:${CI_COMMIT}
kubectl apply -f ci/k8s/deployment.yml
""",
    "ci/on-fail-semaphoreci.sh": "#!/usr/bin/env bash\ndocker-compose -p rsrci logs\n",
    "scripts/docker/dev/run-as-user.sh": """\
#!/usr/bin/env bash

set -eux

NEW_UID=$(stat -c '%u' /var/akvo/rsr/code)
usermod -u "$NEW_UID" -o akvo
mkdir -p /var/log/akvo/ /var/akvo/rsr/logs/
chown -R akvo:akvo /var/log/akvo/ /var/akvo/rsr/logs/

gosu akvo:akvo "$@"
""",
    "scripts/docker/ci/build.sh": """\
#!/usr/bin/env bash

set -eu

log Running lint
./scripts/devhelpers/lint.sh

./scripts/docker/dev/wait-for-dependencies.sh

log Running makemigrations
python manage.py makemigrations --check rsr

log Running tests
./manage.py test --keepdb akvo.codelists.tests.test_iati_codelist_generator.CodelistGeneratorTestCase
COVERAGE_PROCESS_START=.coveragerc \\
  coverage run --parallel-mode --concurrency=multiprocessing \\
  manage.py test --keepdb --parallel 4 akvo
""",
    "scripts/docker/dev/wait-for-dependencies.sh": "#!/usr/bin/env bash\nuntil pg_isready -h mainnetwork; do sleep 1; done\n",
    "scripts/devhelpers/lint.sh": """\
#!/usr/bin/env bash
set -euo pipefail

function lint_backend {
    echo "Running backend lint"
    flake8 --ignore=E501,W503 --exclude=wsgi.py,scripts,migrations,__init__.py,node_modules akvo/
}

function lint_frontend {
    pushd akvo/rsr/dir
    npm run lint
    popd
}

lint_backend
lint_frontend
""",
    ".github/workflows/pages.yml": """\
name: Deploy documentation to Pages

on:
  push:
    branches: ["master"]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/configure-pages@v5
      - run: pip install sphinx && make -C doc html
      - uses: actions/upload-pages-artifact@v3
        with:
          path: doc/_build/html
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
""",
}

# A Semaphore pipeline of blocks (lint and tests in parallel after an install block) and a promotion
# that deploys from master once the pipeline passed.
SEMAPHORE_BLOCKS = """\
version: v1.0
name: Python service
agent:
  machine:
    type: e1-standard-2
    os_image: ubuntu2204
global_job_config:
  prologue:
    commands:
      - checkout
      - sem-version python 3.12
      - cache restore
  env_vars:
    - name: PIP_TOOLS
      value: ruff
blocks:
  - name: Install
    task:
      jobs:
        - name: pip
          commands:
            - pip install -r requirements.txt -r requirements-dev.txt
            - cache store
  - name: Checks
    dependencies: [Install]
    task:
      jobs:
        - name: Lint
          commands:
            - $PIP_TOOLS check .
  - name: Tests
    dependencies: [Install]
    task:
      prologue:
        commands:
          - sem-service start postgres 16
      jobs:
        - name: Unit tests
          commands:
            - pytest -p no:cacheprovider tests
promotions:
  - name: Production deploy
    pipeline_file: production-deploy.yml
    auto_promote:
      when: "result = 'passed' and branch = 'master'"
"""
SEMAPHORE_DEPLOY = """\
version: v1.0
name: Production deploy
agent:
  machine:
    type: e1-standard-2
    os_image: ubuntu2204
blocks:
  - name: Push image
    task:
      secrets:
        - name: dockerhub
      jobs:
        - name: Docker
          commands:
            - checkout
            - docker build -t org/service:$SEMAPHORE_GIT_SHA .
            - docker push org/service:$SEMAPHORE_GIT_SHA
"""
