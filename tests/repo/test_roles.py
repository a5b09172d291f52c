"""Every file gets a role from its path; settings override the rules."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.repo import production, roles
from hooks.repo.roles import CI, DEPLOYMENT, DEV, DOCS, GENERATED, LOCK, SERVICE, TEST_DATA, Roles


@pytest.mark.parametrize(
    "path, role",
    [
        ("config/settings/production.py", SERVICE),
        ("myapp/settings.py", SERVICE),
        ("development.ini", SERVICE),
        ("saleor/tests/settings.py", SERVICE),  # the test suite's settings: config of the test env
        ("dojo/settings/settings.dist.py", SERVICE),  # DefectDojo's real settings, despite .dist
        ("docker-compose.yml", DEPLOYMENT),
        ("compose.yaml", DEPLOYMENT),
        ("helm/myapp/values.yaml", DEPLOYMENT),
        ("deploy/prod/values.yaml", DEPLOYMENT),
        (".envs/.production/.django", DEPLOYMENT),
        (".github/workflows/ci.yml", CI),
        (".zuul.yaml", CI),
        ("tox.ini", CI),
        (".devcontainer/devcontainer.json", DEV),
        ("docker-compose.override.yml", DEV),
        ("docker-compose.override.dev.yml", DEV),
        ("docker-compose.dev.yml", DEV),
        (".envs/.local/.postgres", DEV),
        ("frontend/tsconfig.json", DEV),
        (".vscode/settings.json", DEV),
        ("myapp/fixtures/users.json", TEST_DATA),
        ("unittests/scans/trufflehog/v3.json", TEST_DATA),
        ("tests/cassettes/test_pay.yaml", TEST_DATA),
        ("tests/data/events.jsonl", TEST_DATA),
        ("docs/config/production/hugo.toml", DOCS),
        ("api-ref/source/v3/samples/token.json", DOCS),
        ("releasenotes/notes/prod-fix-123.yaml", DOCS),
        ("mkdocs.yml", DOCS),
        ("contrib/openapi.json", DOCS),
        ("etc/keystone.conf.sample", DOCS),
        ("package-lock.json", LOCK),
        ("frontend/pnpm-lock.yaml", LOCK),
        ("poetry.lock", LOCK),
        ("node_modules/x/package.json", GENERATED),
        ("app/static/vendor/lib.json", GENERATED),
        ("app/migrations/0001_initial.py", roles.CODE),
        ("CTFd/forms/config.py", roles.CODE),
    ],
)
def test_default_roles(path: str, role: str) -> None:
    assert roles.role_of(path) == role


@pytest.mark.parametrize(
    "path, env",
    [
        ("config/production.yaml", "production"),
        ("settings/prod.py", "production"),
        (".envs/.production/.django", "production"),
        ("docker-compose.override.yml", "development"),
        (".github/workflows/prod-deploy.yml", "test"),  # CI never is production
        ("saleor/tests/settings.py", "test"),
        ("myapp/settings.py", None),
    ],
)
def test_environment_follows_role(path: str, env: object) -> None:
    assert roles.default().environment(path) == env


@pytest.mark.parametrize(
    "path",
    ["releasenotes/notes/production-debug-off-1a2b.yaml", "docs/hugo/production/hugo.toml", "CHANGELOG.production.md",
     "docs/deploy/production.yaml", "package-lock.json"],
)
def test_path_words_name_no_environment_in_docs_or_release_notes(path: str) -> None:
    assert roles.default().environment(path) is None


def test_settings_override_the_rules() -> None:
    rules = Roles({"production": ["ops/live/**"], "config": ["fixtures/**"], "test-data": ["qa/**"]})
    assert rules.of("ops/live/app.yaml").role == DEPLOYMENT
    assert rules.environment("ops/live/app.yaml") == "production"
    assert rules.of("fixtures/site.json").role == SERVICE
    assert rules.of("fixtures/site.json").from_settings
    assert rules.of("qa/settings.py").role == TEST_DATA
    assert rules.of("app/fixtures/site.json").role == TEST_DATA  # anchored at the root: not this one


def test_unknown_role_in_settings_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown role 'secretz'"):
        Roles({"secretz": ["x/**"]})
    with pytest.raises(ValueError, match="list of globs"):
        Roles({"config": [1]})


def test_explain_says_role_environment_and_why() -> None:
    line = production.explain(roles.default(), "./deploy/prod/values.yaml")
    assert line.startswith("deploy/prod/values.yaml: role deployment-config (rule **/deploy/**)")
    assert "environment production" in line and "format yaml" in line


@pytest.mark.parametrize(
    "glob, path, hit",
    [
        ("**/fixtures/**", "a/b/fixtures/c/d.json", True),
        ("**/fixtures/**", "fixtures/d.json", True),
        ("fixtures/**", "a/fixtures/d.json", False),
        ("*.lock", "deep/dir/poetry.lock", True),
        ("tsconfig*.json", "web/tsconfig.app.json", True),
        (".github/**", "sub/.github/x.yml", False),
        ("**/docker-compose*.y*ml", "docker-compose.prod.yaml", True),
    ],
)
def test_globs(glob: str, path: str, hit: bool) -> None:
    assert (roles.compile_glob(glob).match(path) is not None) is hit


def test_the_docs_list_every_rule() -> None:
    from tests.conftest import ROOT

    page = (ROOT / "docs" / "roles.md").read_text()
    missing = [glob for _, _, globs in roles.RULES for glob in globs if f"`{glob}`" not in page]
    assert not missing, f"docs/roles.md does not list {missing}"


def test_a_globs_literal_part_is_in_every_path_it_matches() -> None:
    # roles._matches tests the literal first and compiles the glob only when it is
    # there: that shortcut must never turn a match into a miss.
    from tests.conftest import CORPUS

    paths = ["a/b", "docker-compose.yml", "x/tests/y.yaml", "deploy/helm/values-prod.yaml", ".github/workflows/ci.yml"]
    if CORPUS.is_dir():
        paths += [str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file()]
    globs = [g for _role, _why, group in roles.RULES for g in group]
    matched = 0
    for path in paths:
        for glob in globs:
            if roles.compile_glob(glob).match(path):
                matched += 1
                assert roles._literal(glob) in path, (glob, path)
    assert matched > 50  # the check above ran on real matches


@pytest.mark.parametrize("path", [
    "billing/tests/test_invoice.py", "app/tests.py", "conftest.py", "app/functional_tests_fixtures/generate.py",
    "loadtest/locustfile.py", "perf/bench_api.py", "docs/conf.py", "examples/flask_app/app.py",
    "node_modules/pkg/index.js", ".venv/lib/python3.11/site-packages/django/conf/global_settings.py",
    "app/migrations/0003_backfill.py", "migrations/versions/1a2b_add_user.py", ".devcontainer/compose.yaml",
    "deploy/ci/settings.py", "e2e/playwright.config.py", "project/settings/test.py",
])
def test_paths_that_are_not_part_of_the_service(path: str) -> None:
    assert not roles.belongs_to_service(path), path


@pytest.mark.parametrize("path", [
    "billing/settings.py", "project/settings/production.py", "app/views.py", "app/testing_utils.py",
    "contest/app.py", "integrations/slack.py", "app/tasks.py", "docker-compose.yml", "deploy/helm/values.yaml",
    "app/health.py", "latest/urls.py",
])
def test_paths_that_can_be_part_of_the_service(path: str) -> None:
    assert roles.belongs_to_service(path), path


def test_not_service_paths_are_documented() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "roles.md").read_text(encoding="utf-8")
    missing = [glob for glob in roles.NOT_SERVICE_PATHS if f"`{glob}`" not in page]
    assert not missing, f"docs/roles.md does not list {missing}"


def test_glob_character_classes() -> None:
    assert roles.compile_glob("**/migrations/[0-9]*.py").match("app/migrations/0001_initial.py")
    assert not roles.compile_glob("**/migrations/[0-9]*.py").match("app/migrations/__init__.py")
    union = roles.glob_union(["tests/**", "*.lock"])
    assert union is not None and union.match("tests/a.py") and union.match("sub/poetry.lock")
    assert roles.glob_union([]) is None


@pytest.mark.parametrize("path", ["devproject/settings.py", "dev_project/settings.py", "sandbox/settings.py",
                                  "testproject/settings.py", "example_project/settings.py", "demo_project/settings.py",
                                  "sample_project/settings.py"])
def test_a_development_project_is_not_production(path: str) -> None:
    # Misago and django-oscar ship a project to develop the package in; production
    # deploys live elsewhere (misago-docker), so its DEBUG and SECRET_KEY are development's.
    role = roles.default().of(path)
    assert role.role == DEV, role
    assert roles.default().environment(path) == "development"
    assert not roles.belongs_to_service(path)


@pytest.mark.parametrize("path", ["connector-proxy-demo/app.py", "demo/settings.py", "api_demo/config.py"])
def test_a_demo_app_is_not_part_of_the_service(path: str) -> None:
    # spiff-arena's connector-proxy-demo/ is a demo beside the real backend
    assert not roles.belongs_to_service(path)


def _sample_paths() -> list[str]:
    """Paths made of the glob list's own words (and near misses), plus the corpus's."""
    import random

    words = set()
    for glob in roles.NOT_SERVICE_PATHS:
        for part in glob.split("/"):
            if part and part != "**":
                words |= {part.replace("*", "x"), part.replace("*", ""), part.replace("*", "a_b"), part + "s"}
    words |= {"app", "settings", "src", "x.py", "views.py", "a.yaml", "Dockerfile", "test", "tests.py", "ci.py"}
    vocabulary = sorted(words)
    rng = random.Random(7)
    paths = ["/".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 5))) for _ in range(20_000)]
    from tests.conftest import CORPUS

    if CORPUS.is_dir():
        paths += [str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file()]
    return paths


def test_the_glob_set_matches_what_the_regex_union_matches() -> None:
    union = roles.glob_union(roles.NOT_SERVICE_PATHS)
    fast = roles.GlobSet(roles.NOT_SERVICE_PATHS)
    assert union is not None
    paths = _sample_paths()
    differ = [p for p in paths if fast.match(p) != (union.match(p) is not None)]
    assert not differ, differ[:10]
    assert 0.2 < sum(fast.match(p) for p in paths) / len(paths) < 0.95  # both kinds of path are in the sample
    assert fast.folders and fast.names and fast.prefixes and fast.rest is not None  # every branch is used


@pytest.mark.parametrize("path", ["deployment/etc.sample/vbox.conf", "config.example/app.ini", "conf-sample/x.yml",
                                  "settings_example/base.py", "etc_sample/app.key"])
def test_a_folder_named_as_a_sample_is_docs_and_samples(path: str) -> None:
    """held-out first wave 6: etc.sample/ is a folder to copy and fill in, for every hook."""
    assert roles.role_of(path) == roles.DOCS and not roles.belongs_to_service(path)


@pytest.mark.parametrize("path", ["deployment/etc/vbox.conf", "samplers/app.ini", "exampleco/settings.py"])
def test_a_folder_only_starting_like_a_sample_keeps_its_role(path: str) -> None:
    assert roles.role_of(path) != roles.DOCS


@pytest.mark.parametrize("path", ["libs/requests/api.py", "libs/tornado/web.py", "libs/six.py", "lib/pkg_resources.py"])
def test_a_pypi_package_copied_into_libs_is_vendored(path: str) -> None:
    """held-out first wave 6: CouchPotato's libs/ holds requests, tornado, six.py, ..."""
    assert roles.role_of(path) == GENERATED and not roles.belongs_to_service(path)


@pytest.mark.parametrize("path", ["libs/myservice/settings.py", "libs/common/cache.py", "lib/app_config.py"])
def test_the_projects_own_code_in_libs_keeps_its_role(path: str) -> None:
    assert roles.role_of(path) != GENERATED and roles.belongs_to_service(path)
