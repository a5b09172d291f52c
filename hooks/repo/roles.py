"""Every file in a repository has a role: what it is for decides what each hook
does with it. The rules are data (``RULES``, first match wins), documented in
``docs/roles.md`` and overridable in settings::

    [tool.legacy-config-hooks.roles]
    production = ["deploy/**"]      # service config of the production environment
    config = ["fixtures/**"]        # read as service config after all
    test-data = ["qa/golden/**"]

Nothing here opens a file: roles come from paths alone.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from re import Pattern

from hooks.config.paths import normalise
from hooks.core.records import record
from hooks.repo import environments

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

SERVICE = "service-config"
DEPLOYMENT = "deployment-config"
CI = "ci-config"
DEV = "dev-environment"
TEST_DATA = "test-data"
DOCS = "docs-and-samples"
LOCK = "lock-file"
GENERATED = "generated-or-vendored"
CODE = "code"  # application code that is named like config (forms/config.py)

ROLES = (SERVICE, DEPLOYMENT, CI, DEV, TEST_DATA, DOCS, LOCK, GENERATED, CODE)
# Files that are config of the running service: judged strictly, parsed by every hook.
CONFIG_ROLES = frozenset({SERVICE, DEPLOYMENT})
# Files that are not config at all: no hook reads them by default.
DATA_ROLES = frozenset({TEST_DATA, LOCK, GENERATED, CODE})
# Config whose throwaway credentials are not production secrets.
LENIENT_ROLES = frozenset({CI, DEV, TEST_DATA, DOCS})

# Settings keys of the roles table: a role name, a short alias, or an environment.
ALIASES: Mapping[str, str] = {
    "config": SERVICE,
    "service": SERVICE,
    "deployment": DEPLOYMENT,
    "deploy": DEPLOYMENT,
    "ci": CI,
    "dev": DEV,
    "test": TEST_DATA,
    "data": TEST_DATA,
    "docs": DOCS,
    "samples": DOCS,
    "lock": LOCK,
    "generated": GENERATED,
    "vendored": GENERATED,
    "code": CODE,
}
ENVIRONMENT_KEYS = (environments.PRODUCTION, environments.STAGING, environments.DEVELOPMENT)

# Packages from PyPI that old services copy into a libs/ (or lib/) folder of
# their own (CouchPotato's libs/: requests, tornado, six.py, ...): a file there
# is third-party. A libs/ of the project's own code keeps its role.
VENDORED_PACKAGES: tuple[str, ...] = (
    "requests/**", "urllib3/**", "tornado/**", "six.py", "bs4/**", "certifi/**", "chardet/**", "dateutil/**",
    "httplib2/**", "oauthlib/**", "oauth2/**", "html5lib/**", "pyasn1/**", "rsa/**", "suds/**", "apscheduler/**",
    "pkg_resources.py", "pkg_resources/**", "argparse.py", "simplejson/**", "yaml/**", "jinja2/**", "markupsafe/**",
    "idna/**", "pytz/**", "feedparser.py", "feedparser/**", "cherrypy/**", "werkzeug/**", "flask/**", "mako/**",
    "httplib2.py", "socks.py", "oauth2client/**", "xmltodict.py", "dns/**", "paramiko/**", "backports/**",
)
# (role, why, globs). Globs: `**` crosses folders, `*` does not; a glob with no
# `/` matches the file name in any folder. Order matters: first match wins.
RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (LOCK, "a lock file lists package names and versions", (
        "package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "poetry.lock",
        "Pipfile.lock", "uv.lock", "pdm.lock", "composer.lock", "Cargo.lock", "Gemfile.lock",
        "bun.lock", "*.lock", "requirements*.txt",
    )),
    (GENERATED, "vendored, built or generated files are not edited by hand", (
        "**/node_modules/**", "**/vendor/**", "**/vendored/**", "**/third_party/**", "**/3rdparty/**",
        "**/bower_components/**", "**/dist/**", "**/*.min.*", "**/*.map",
        "**/static/**", "**/staticfiles/**", "**/locale/**", "**/locales/**", "**/i18n/**",
        "**/translations/**", "**/.git/**", "**/*.generated.*", "**/generated/**", "**/lang/**",
        "**/langs/**", "**/l10n/**", "**/intl/**", "**/data/**/*.json",
        *(f"**/{folder}/{package}" for folder in ("libs", "lib") for package in VENDORED_PACKAGES),
    )),
    (CODE, "application code (a form, model, view or migration), not a settings module", (
        "**/migrations/**", "**/db_migrations/**", "**/forms/**/*.py", "**/schemas/**/*.py",
        "**/api/**/*.py", "**/views/**/*.py", "**/models/**/*.py", "**/tables/**/*.py",
        "**/constants/**/*.py", "**/serializers/**/*.py", "**/management/**/*.py",
        "**/templatetags/**/*.py", "**/handlers/**/*.py", "**/utils/**/*.py", "**/admin/**/*.py",
        "**/graphql/**/*.py", "**/commands/**/*.py", "**/contrib/**/*.py",
    )),
    (SERVICE, "a settings module of the test suite is config of the test environment", (
        "**/tests/**/settings.py", "**/tests/**/settings/*.py", "**/test/**/settings.py",
    )),
    (TEST_DATA, "fixtures, cassettes, snapshots and scanner outputs are data for tests", (
        "**/fixtures/**", "**/fixture/**", "**/cassettes/**", "**/snapshots/**", "**/__snapshots__/**",
        "**/testdata/**", "**/test_data/**", "**/test-data/**", "**/testfiles/**", "**/test_files/**",
        "**/scans/**", "**/mocks/**", "**/mock_data/**", "**/unittests/**", "**/*.jsonl", "**/*.ndjson",
        "**/tests/**", "**/test/**", "**/testing/**", "**/e2e/**", "**/cypress/**", "**/playwright/**",
        "**/__tests__/**", "**/spec/**", "**/*.test.json", "conftest.py", "**/sample_data/**",
        "**/sampledata/**", "**/seed_data/**",
    )),
    (DOCS, "documentation, release notes and samples are read by people, not deployed", (
        "**/docs/**", "**/doc/**", "**/api-ref/**", "**/api-guide/**", "**/examples/**", "**/example/**",
        "**/samples/**", "**/sample/**", "**/releasenotes/**", "**/release-notes/**",
        # a folder to copy and fill in: etc.sample/, config.example/, conf-sample/, settings_example/
        "**/*.sample/**", "**/*.example/**", "**/*-sample/**", "**/*_sample/**", "**/*-example/**", "**/*_example/**",
        "**/release_notes/**", "**/changelog/**", "**/changelog.d/**",
        "CHANGELOG*", "CHANGES*", "HISTORY*", "NEWS*", "*.md", "*.rst", "*.txt", "mkdocs.yml",
        "mkdocs.yaml", "hugo.toml", "hugo.yaml", "_config.yml", "book.toml", "antora.yml",
        "**/website/**", "*.sample", "*.example", "*.dist", "*.template", "*.tmpl",
        "*.conf-sample", "*.sample.*", "*.example.*", "*.template.*", "**/openapi*.json",
        "**/openapi*.y*ml", "**/swagger*.json", "**/swagger*.y*ml", "**/*schema*.json", "**/*.schema.y*ml",
        "**/.env.example", "**/.env.sample", "**/.env.template", "**/.env.dist", "**/.env.defaults",
        "**/.env-example", "**/.env-sample", "**/.env-template", "**/.env-dist", "**/.env-defaults", "**/.env.tpl",
        "**/TEMPLATE.env", "**/template.env", "**/*.template.env", "**/example.env", "**/*.example.env",
        "**/sample.env", "**/*.sample.env", "**/env.example", "**/env.sample", "**/env.template",
    )),
    (CI, "continuous integration runs tests in throwaway containers", (
        "**/.github/**", "**/.gitlab-ci.yml", ".gitlab-ci/**", "**/.gitlab/**", ".zuul.yaml", ".zuul.yml",
        "zuul.d/**", ".zuul.d/**", "**/.circleci/**", ".travis.yml", "azure-pipelines*.yml",
        ".azure-pipelines/**", ".drone.yml", "bitbucket-pipelines.yml", ".buildkite/**",
        ".woodpecker.yml", ".woodpecker/**", "tox.ini", "noxfile.py", ".pre-commit-config.yaml",
        ".pre-commit-hooks.yaml", "codecov.yml", ".codecov.yml", ".coveragerc", ".readthedocs.y*ml",
        "renovate.json", ".renovaterc*", ".mergify.yml", "**/docker-compose.ci*.y*ml",
        "**/docker-compose.test*.y*ml", "**/compose.ci*.y*ml", "**/compose.test*.y*ml", "playbooks/**",
        ".bandit", ".yamllint*", "sonar-project.properties", ".snyk", ".ci/**", ".semgrep/**",
        ".semgrep.y*ml", ".restyled.y*ml", ".dryrunsecurity.y*ml", "**/*cypress*.y*ml", ".gitreview", "action.y*ml", "**/action.y*ml",
        ".craft.y*ml", ".github-ci/**",
    )),
    (DEV, "a developer's local environment, editor or tool setup", (
        "**/.devcontainer/**", "devcontainer.json", "**/.vscode/**", "**/.idea/**", "**/docker-compose.override.y*ml",
        "**/compose.override.y*ml", "**/docker-compose.dev*.y*ml", "**/docker-compose.local*.y*ml",
        "**/docker-compose-dev*.y*ml", "**/docker-compose-local*.y*ml", "**/compose.dev*.y*ml",
        "**/compose.local*.y*ml", "**/docker-compose.debug*.y*ml", "local.yml", "dev.yml",
        ".envs/.local/**", "**/dev/**", "**/local/**", "**/devproject/**", "**/dev_project/**",
        "**/devsite/**", "**/testproject/**", "**/test_project/**", "**/sandbox/**", "Vagrantfile", "Tiltfile",
        # a project to run the package in while developing it (codeforlife-portal's example_project/): examples
        "**/example_project/**", "**/exampleproject/**", "**/example_app/**", "**/example_site/**",
        "**/sample_project/**", "**/sampleproject/**", "**/demo_project/**", "**/demoproject/**",
        "tsconfig*.json", "jsconfig*.json", "package.json", ".eslintrc*", ".prettierrc*", ".stylelintrc*",
        ".babelrc*", "babel.config.*", "biome.json", "jest.config.*", "vite.config.*", "webpack.config.*",
        ".nvmrc", ".editorconfig", ".flake8", "mypy.ini", "pytest.ini", ".pylintrc", "pylintrc",
        "ruff.toml", ".ruff.toml", ".isort.cfg", "pyrightconfig.json", ".markdownlint*", "*.jsonc",
        "crowdin.y*ml", ".tx/**", "lerna.json", "nx.json", "turbo.json", ".releaserc*", ".bumpversion.cfg",
        ".hadolint.y*ml", "Makefile", "justfile", ".claude/**", ".cursor/**", ".helix/**", ".zed/**", ".gitpod.yml",
        ".release-it.*", "pnpm-workspace.yaml", "socket.yml", "**/devstack/**",
        "**/docker-compose.override*.y*ml", "**/settings/*compose*.py", "**/settings/*docker*.py",
    )),
    (DEPLOYMENT, "it describes how the service is built and deployed", (
        "**/deploy/**", "**/deployment/**", "**/deployments/**", "**/k8s/**", "**/kubernetes/**",
        "**/helm/**", "**/charts/**", "**/chart/**", "Chart.yaml", "**/values*.yaml", "**/values*.yml",
        "**/docker-compose*.y*ml", "**/compose.y*ml", "**/compose.*.y*ml", "**/Dockerfile*",
        "**/ansible/**", "**/terraform/**", "*.tf", "*.tfvars", "Procfile", "app.json", "app.yaml",
        "fly.toml", "render.yaml", "**/nginx/**", "uwsgi*.ini", "gunicorn*.py", "**/supervisor*/**",
        "**/systemd/**", "**/.envs/**", "**/httpd/**", "**/apache2/**", "**/docker/**", "**/ops/**", "**/infra/**", "**/kustomize/**",
        "kustomization.y*ml", "**/openshift/**", "**/heroku/**", "**/.platform/**",
    )),
    # After deployment: Helm's templates/ folders are deployment config.
    (DOCS, "a template to copy and fill in, not the config a service reads", ("**/templates/**",)),
)
# Paths that are not part of the running service: tests and their harnesses,
# benchmarks and load tests, docs and examples, vendored and installed packages,
# dev containers, CI scripts, migrations. Hooks that read the service's code and
# deployment (settings, routes, probes, tasks, cache sites, env reads) skip them;
# one list, so that a folder is "not the service" for every hook or for none.
NOT_SERVICE_PATHS: tuple[str, ...] = (
    # tests, their settings and fixtures
    "**/test/**", "**/tests/**", "**/testing/**", "**/*_tests/**", "**/*-tests/**", "**/tests_*/**",
    "**/test_*.py", "**/*_test.py", "**/*_tests.py", "**/tests.py", "**/conftest.py", "**/pytest_plugin*.py",
    "**/fixtures/**", "**/fixture/**", "**/*_fixtures/**", "**/testdata/**", "**/test_data/**", "**/test-data/**",
    "**/test_settings*.py", "**/settings_test*.py", "**/settings/test*.py", "**/settings/ci.py", "**/testsettings*.py",
    # end-to-end, browser and integration harnesses
    "**/e2e/**", "**/e2e_tests/**", "**/integration/**", "**/integration_tests/**", "**/functional_tests/**",
    "**/acceptance/**", "**/regression/**", "**/regression_tests/**", "**/playwright/**", "**/cypress/**", "**/selenium/**",
    "**/*_e2e.py", "**/e2e_*.py", "**/qa/**",
    # benchmarks and load tests
    "bench/**", "**/benchmarks/**", "**/benchmark/**", "**/perf/**", "**/performance/**", "**/load_tests/**",
    "**/load-tests/**", "**/loadtest*/**", "**/locust/**", "**/locustfile*.py", "**/bench_*.py", "**/benchmark_*.py",
    # docs, the docs build and examples
    "**/docs/**", "**/doc/**", "**/mkdocs_hooks*.py", "**/hooks/mkdocs*.py", "**/sphinxext/**",
    "**/examples/**", "**/example/**", "**/samples/**", "**/sample/**",
    "**/*.sample/**", "**/*.example/**", "**/*-sample/**", "**/*_sample/**", "**/*-example/**", "**/*_example/**",
    "**/demo/**", "**/demos/**", "**/*-demo/**", "**/*_demo/**",
    "**/example_project/**", "**/exampleproject/**", "**/example_app/**", "**/example_site/**",
    "**/sample_project/**", "**/sampleproject/**", "**/demo_project/**", "**/demoproject/**",
    # vendored and installed packages
    "**/node_modules/**", "**/vendor/**", "**/vendored/**", "**/_vendor/**", "**/third_party/**",
    "**/site-packages/**", "**/.venv/**", "**/venv/**", "**/.tox/**", "**/.nox/**",
    *(f"**/{folder}/{package}" for folder in ("libs", "lib") for package in VENDORED_PACKAGES),
    # dev containers, developer tooling, CI scripts
    "**/.devcontainer/**", "**/ci/**", "**/.ci/**", "**/scripts/ci/**", "**/ci_scripts/**", "tools/ci/**", ".github/**",
    ".gitlab/**", ".circleci/**", ".buildkite/**", ".woodpecker/**", ".drone/**", ".jenkins/**", "**/Jenkinsfile",
    ".azure-pipelines/**", "dev/**", "**/devel/**", "**/devproject/**", "**/dev_project/**", "**/devsite/**",
    "**/testproject/**", "**/test_project/**", "**/sandbox/**", "development/**", "tools/dev/**", "hack/**", "**/local-dev/**",
    # migrations: a one-off data move is history, not the running service
    "**/migrations/**", "**/alembic/versions/**", "**/versions/*.py",
)
_TEST_FOLDER = re.compile(r"(^|/)tests?/|(^|[/._-])(unit_?tests?|tests|test_settings|settings_test)\.py$")
DEFAULT_WHY = "a config file of the service (no rule names another role)"


@record(frozen=True)
class Role:
    role: str
    why: str
    rule: str = ""  # the glob that matched; "" for the default
    environment: str | None = None  # set by a settings entry such as production = [...]
    from_settings: bool = False

    @property
    def is_config(self) -> bool:
        return self.role in CONFIG_ROLES

    @property
    def is_data(self) -> bool:
        return self.role in DATA_ROLES

    @property
    def lenient(self) -> bool:
        return self.role in LENIENT_ROLES


@functools.lru_cache(maxsize=512)
def compile_glob(glob: str) -> Pattern[str]:
    """A glob as a regex over a normalised relative path."""
    return re.compile(glob_regex(glob))


@functools.lru_cache(maxsize=1024)
def glob_regex(glob: str) -> str:
    """``compile_glob``'s pattern, not compiled (a union of many globs compiles once)."""
    anywhere = "/" not in glob.rstrip("/") or glob.startswith("**/")
    body = glob[3:] if glob.startswith("**/") else glob
    out = ""
    i = 0
    while i < len(body):
        if body.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif body.startswith("**", i):
            out += ".*"
            i += 2
        elif body[i] == "*":
            out += "[^/]*"
            i += 1
        elif body[i] == "?":
            out += "[^/]"
            i += 1
        elif body[i] == "[" and "]" in body[i + 1:]:  # a character class: [0-9]
            end = body.index("]", i + 1)
            out += "[" + re.escape(body[i + 1:end]).replace("\\-", "-") + "]"
            i = end + 1
        else:
            out += re.escape(body[i])
            i += 1
    return ("(?:^|.*/)" if anywhere else "^") + out + "$"


def glob_union(globs: Sequence[str]) -> Pattern[str] | None:
    """One regex matching a path that any of ``globs`` matches (None for none)."""
    if not globs:
        return None
    return re.compile("|".join(f"(?:{glob_regex(g)})" for g in globs))


class GlobSet:
    """Matches a path against many globs as ``glob_union`` does, without its regex:
    a union of ~100 globs, each with ``.*`` runs, costs about 5 ms to compile and
    30 us per path, and whole-repo hooks ask it of every tracked file. The common
    shapes become set look-ups on the path's parts; the rest stay one small regex
    (``tests/repo/test_roles.py`` holds the two equal on every corpus path)."""

    def __init__(self, globs: Sequence[str]) -> None:
        self.folders: set[str] = set()  # **/NAME/**: any folder of the path is NAME
        self.names: set[str] = set()  # **/NAME: the file's name is NAME
        self.prefixes: list[str] = []  # TOP/**: the path starts with TOP/
        folder_patterns: list[str] = []
        name_patterns: list[str] = []
        rest: list[str] = []
        for glob in globs:
            body = glob[3:] if glob.startswith("**/") else None
            if body is not None and body.endswith("/**") and "/" not in body[:-3]:
                part = body[:-3]
                if _WILD.search(part):
                    folder_patterns.append(part)
                else:
                    self.folders.add(part)
            elif body is not None and "/" not in body:
                if _WILD.search(body):
                    name_patterns.append(body)
                else:
                    self.names.add(body)
            elif glob.endswith("/**") and not _WILD.search(glob[:-3]) and not glob.startswith("**/"):
                self.prefixes.append(glob[:-3] + "/")
            else:
                rest.append(glob)
        self.folder_match = _part_regex(folder_patterns)
        self.name_match = _part_regex(name_patterns)
        self.rest = glob_union(rest)
        self.prefix_tuple = tuple(self.prefixes)

    def match(self, path: str) -> bool:
        """Whether any glob matches ``path`` (normalised, relative)."""
        if path.startswith(self.prefix_tuple):
            return True
        parts = path.split("/")
        name = parts[-1]
        if name in self.names or (self.name_match is not None and self.name_match.match(name)):
            return True
        for part in parts[:-1]:
            if part in self.folders or (self.folder_match is not None and self.folder_match.match(part)):
                return True
        return self.rest is not None and self.rest.match(path) is not None


_WILD = re.compile(r"[*?\[]")


def _part_regex(patterns: Sequence[str]) -> Pattern[str] | None:
    """One regex over a single path part (no ``/``) for globs of one part."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{glob_regex(p)[len('(?:^|.*/)'):]})" for p in patterns))


_NOT_SERVICE: GlobSet | None = None


@functools.lru_cache(maxsize=1 << 16)  # whole-repo hooks ask it of every tracked path, several times a run
def belongs_to_service(path: str) -> bool:
    """Whether ``path`` can be part of the running service (see ``NOT_SERVICE_PATHS``)."""
    global _NOT_SERVICE
    if _NOT_SERVICE is None:
        _NOT_SERVICE = GlobSet(NOT_SERVICE_PATHS)
    return not _NOT_SERVICE.match(normalise(path))


@functools.lru_cache(maxsize=1024)
def _literal(glob: str) -> str:
    """The longest wildcard-free part of ``glob``: every path it matches holds it."""
    return max(glob.replace("**/", "*").replace("?", "*").split("*"), key=len)


def _matches(path: str, glob: str) -> bool:
    # The substring test first: a run judges a few paths against ~270 globs,
    # and compiling each glob costs more than a commit of one file.
    return _literal(glob) in path and compile_glob(glob).match(path) is not None


class Roles:
    """The role rules of one run: the settings' overrides first, then ``RULES``."""

    def __init__(self, overrides: Mapping[str, Any] | None = None) -> None:
        self.overrides: list[tuple[str, str | None, str]] = []  # (role, environment, glob)
        for key, globs in (overrides or {}).items():
            name = str(key).replace("_", "-").lower()
            if isinstance(globs, str):
                globs = [globs]
            if not isinstance(globs, (list, tuple)) or not all(isinstance(g, str) for g in globs):
                raise ValueError(f"roles.{key}: expected a list of globs")
            if name in ENVIRONMENT_KEYS:
                role, env = (DEPLOYMENT if name == environments.PRODUCTION else SERVICE), name
            elif name in ROLES or name in ALIASES:
                role, env = ALIASES.get(name, name), None
            else:
                known = ", ".join(sorted(set(ROLES) | set(ALIASES) | set(ENVIRONMENT_KEYS)))
                raise ValueError(f"roles: unknown role {key!r} (known: {known})")
            self.overrides.extend((role, env, g) for g in globs)
        self._cache: dict[str, Role] = {}

    def of(self, path: str) -> Role:
        norm = normalise(path)
        found = self._cache.get(norm)
        if found is None:
            found = self._cache[norm] = self._find(norm)
        return found

    def _find(self, norm: str) -> Role:
        for role, env, glob in self.overrides:
            if _matches(norm, glob):
                return Role(role, f"the roles setting says so ({glob})", glob, env, True)
        for role, why, globs in RULES:
            for glob in globs:
                if _matches(norm, glob):
                    return Role(role, why, glob)
        return Role(SERVICE, DEFAULT_WHY)

    def environment(
        self, path: str, patterns: Mapping[str, Sequence[str]] | None = None
    ) -> str | None:
        """The environment a file configures, read from its path and role.

        Words in a path name an environment only for config: never in docs,
        release notes, lock files or generated files. CI and test data are the
        test environment, a dev environment file is development.
        """
        role = self.of(path)
        if role.environment:
            return role.environment
        if role.role in (DOCS, LOCK, GENERATED):
            return None
        if role.role in (CI, TEST_DATA) or _TEST_FOLDER.search(normalise(path)):
            return environments.TEST
        found = environments.environment_of(normalise(path), patterns)
        if role.role == DEV:
            return found or environments.DEVELOPMENT
        return found


_DEFAULT: Roles | None = None


def default() -> Roles:
    """The rules without settings (tests, scripts)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Roles()
    return _DEFAULT


def from_settings(project: Mapping[str, Any]) -> Roles:
    """The roles of a project whose settings hold an optional ``roles`` table."""
    table = project.get("roles")
    if table is None:
        return default()
    if not isinstance(table, Mapping):
        raise ValueError("roles: expected a table of role = [globs]")
    return Roles(table)


def role_of(path: str) -> str:
    return default().of(path).role
