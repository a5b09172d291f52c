"""check-release-checklist: what one command does (kinds.peel, classify,
test_scope, collects), on commands copied from the shape of real CI steps."""
from __future__ import annotations

import pytest

from hooks.checks.check_release_checklist import kinds as k
from hooks.checks.check_release_checklist.shell import words_of


@pytest.mark.parametrize(("command", "peeled"), [
    ("python -mpytest -x", "pytest -x"),
    ("python3 -W error -X dev -m pytest", "pytest"),
    ("python -u -m unittest discover", "unittest discover"),
    ("python -c 'import app'", "python -c 'import app'"),
    ("python -O", "python -O"),
    ("DJANGO_SETTINGS_MODULE=app.test PYTHONPATH=. pytest", "pytest"),
    ("CI=1", ""),
    ("env -u HOME -i PATH=/bin pytest -q", "pytest -q"),
    ("timeout -s KILL --preserve-status 600 pytest", "pytest"),
    ("coverage run --rcfile .coveragerc --parallel-mode -m pytest tests", "pytest tests"),
    ("coverage run manage.py test", "manage.py test"),
    ("uv run --frozen --extra test -- pytest", "pytest"),
    ("uv run", "uv run"),
    ("poetry install", "poetry install"),
    ("uvx ruff check .", "ruff check ."),
    ("hatch run test:cov", "hatch run test:cov"),
    ("xvfb-run -s '-screen 0 1024x768x24' pytest tests/ui", "pytest tests/ui"),
    ("sfw uv run pytest", "pytest"),
    # gratipay's Makefile: $(honcho) run -e $(test_env_files) $(env_bin)/py.test (held-out round 8)
    ("env/bin/honcho run -e defaults.env,tests/local.env env/bin/py.test --tb=native", "env/bin/py.test --tb=native"),
    ("honcho start", "honcho start"),
    # liberapay's tox: a wrapper script with its own options before the command it runs
    ("python cli/run.py -e defaults.env,tests/test.env python -m pytest -Wd tests/py", "pytest -Wd tests/py"),
    ("./scripts/with-db.sh pytest -x", "pytest -x"),
    # a word after an option may be its value, not a command
    ("mytool --python python3 build", "mytool --python python3 build"),
    ("sphinx-build -b html docs out", "sphinx-build -b html docs out"),
    ("bash -c 'pytest -x'", "pytest -x"),
])
def test_peel(command: str, peeled: str) -> None:
    assert k.peel(words_of(command)) == words_of(peeled)


@pytest.mark.parametrize(("command", "expected"), [
    ("ruff format .", set()),
    ("ruff format --check .", {k.LINT}),
    ("flake8 --exit-zero app", {k.LINT, "swallowed"}),
    ("black --diff .", {k.LINT}),
    ("isort src", set()),
    ("pre-commit run check-staging-parity --all-files", {k.STAGING}),
    ("check-staging-parity", {k.STAGING}),
    ("pytest --run-e2e", {k.UNIT, k.INTEGRATION}),
    ("pytest --integration", {k.UNIT, k.INTEGRATION}),
    ("pytest --no-integration", {k.UNIT}),
    ("pytest --ignore tests/integration tests", {k.UNIT}),
    ("pytest --browser chromium tests/ui", {k.UNIT, k.INTEGRATION}),
    ("behave features/", {k.UNIT, k.INTEGRATION}),
    ("django-admin test --settings=app.settings.ci", {k.UNIT}),
    ("setup.py test", {k.UNIT}),
    ("playwright install", set()),
    ("playwright test", {k.INTEGRATION}),
    ("cypress run --browser chrome", {k.INTEGRATION}),
    ("newman run api.postman_collection.json", {k.INTEGRATION}),
    ("runtests.py --tags integration", {k.UNIT, k.INTEGRATION}),
    ("python runtests.py --tag integration", {k.UNIT, k.INTEGRATION}),
    ("python cli/run.py -e test.env python -m pytest tests/integration", {k.UNIT, k.INTEGRATION}),
    ("run_tests.py", {k.UNIT}),
    ("poetry publish --build", {k.PUBLISH_PYPI}),
    ("uv publish --publish-url https://test.pypi.org/legacy/", set()),
    ("setup.py sdist upload", {k.PUBLISH_PYPI}),
    ("docker push ghcr.io/acme/app:1.0", {k.PUBLISH_DOCKER}),
    ("docker buildx build --push -t app .", {k.PUBLISH_DOCKER}),
    ("docker build -t app .", set()),
    ("/kaniko/executor --destination registry/app", {k.PUBLISH_DOCKER}),
    ("skopeo copy docker://a docker://b", {k.PUBLISH_DOCKER}),
    ("docker-compose up -d db", {k.START}),
    ("docker-compose up --exit-code-from tests", {k.START, k.UNIT, k.INTEGRATION}),
    ("docker-compose build", set()),
    ("docker run -d -p 5432:5432 postgres:16", {k.START}),
    ("docker compose -p ci up --abort-on-container-exit", {k.START, k.UNIT, k.INTEGRATION}),
    ("curl -fsS http://localhost:8000/health", {k.REQUEST}),
    ("sudo service postgresql start", {k.START}),
    ("systemctl start nginx", set()),
])
def test_classify(command: str, expected: set[str]) -> None:
    assert k.classify(k.peel(words_of(command))) == expected


def test_pre_commit_without_python_hooks_is_not_lint() -> None:
    assert k.classify(words_of("pre-commit run --all-files"), precommit_lint=False) == set()
    assert k.classify(words_of("pre-commit run --all-files"), precommit_lint=False, precommit_staging=True) == {k.STAGING}


@pytest.mark.parametrize(("command", "cwd", "scope"), [
    ("pytest", "", ("",)),
    ("pytest", "backend", ("backend",)),
    ("pytest -x -n auto --cov app tests/unit", "", ("tests/unit",)),
    ("pytest tests/test_models.py::test_x", "", ("tests/test_models.py",)),
    ("pytest -m 'not integration'", "", ("", "!mark:integration")),
    ("pytest -k 'not (e2e or slow)'", "", ("", "!kw:e2e", "!kw:slow")),
    ("pytest --ignore tests/integration/ tests", "", ("!tests/integration", "tests")),
    ("pytest --deselect=tests/e2e", "api", ("api", "!api/tests/e2e")),
    ("pytest {posargs:tests/unit}", "", ("tests/unit",)),
    ("pytest {posargs}", "", ("",)),
    ("manage.py test app.tests --parallel 4", "", ("",)),  # a dotted label is not a path: counted as everything
    ("pytest .", "src", ("src",)),
])
def test_test_scope(command: str, cwd: str, scope: tuple[str, ...]) -> None:
    assert k.test_scope(words_of(command), cwd) == scope


@pytest.mark.parametrize(("scope", "collected"), [
    (("",), True),
    (("tests",), True),
    (("tests/integration/test_api.py",), True),
    (("tests/unit",), False),
    (("", "!kw:integration"), False),
    (("", "!mark:integration"), True),  # unless the folder's tests carry the marker (see test_round6_classes)
    (("", "!tests/integration"), False),
    (("", "!tests"), False),
    (("app.tests",), False),
    (("tests.integration",), True),
])
def test_collects(scope: tuple[str, ...], collected: bool) -> None:
    assert k.collects(scope, ["tests/integration"]) is collected
