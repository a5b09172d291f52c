"""Where check-env-documented looks for documentation, what it skips, and
which variables the platform sets (data, extendable with ``--platform``).

A documentation source is a dotenv-style file (``NAME=value``, ``export
NAME=``, and commented-out ``# NAME=value`` entries, which document optional
variables) or a Markdown page, where the first upper-case name in backticks
on a table row or a list item is documented. Every env template in the repo
(``.env.example``, ``.env.sample``, ``.env-dist``, ``env.example``, ...) is a
source. Beyond the sources, a variable is documented wherever the project
keeps its docs: a Markdown or reST page (a table, a code block, a heading,
backticks, ``.. envvar::``, ``:envvar:``) names it (:func:`doc_names`).
"""
from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from hooks.core.records import record
from hooks.repo.roles import GENERATED, NOT_SERVICE_PATHS, TEST_DATA, role_of

if TYPE_CHECKING:
    from hooks.repo.git import Grep

DEFAULT_SOURCES = (".env.example", ".env.sample", ".env.template", ".env.dist", "example.env")
# Env templates, by file name, anywhere in the repo: documentation whose
# entries must still be read. `.env.local.example`, `docker/.env-dist`,
# `env.example`, `example.env`, `TEMPLATE.env`, `app.env.sample`.
_KINDS = r"(?:example|sample|dist|template|tmpl|tpl|defaults?)"
_COPY_KINDS = r"(?:example|sample|template)"  # the kinds of a file made to be copied
_CODE = r"(?:py|js|ts|sh|md|rst|html|j2|json|ya?ml|toml|cfg|ini)"  # env_template.py is code, not a template
TEMPLATE_NAME = re.compile(
    rf"(?:^|/)(?:\.?env(?:ironment)?(?:[._-][\w-]+)*?[._-]{_KINDS}(?:[.-](?!{_CODE}$)[\w-]+)?|{_KINDS}\.env|[\w.-]+\.env[.-]{_KINDS}|[\w-]+[.-]{_KINDS}\.env"
    # held-out round 19: `sample_env`, `sample_env.docker`, `docker-compose.local-template.env`, `app_env_example`
    # (not `development.env_tmpl`: a scaffold's Jinja file for the apps it generates)
    rf"|(?:[\w.-]*[._-])?{_COPY_KINDS}[._-]env(?:[.-](?!{_CODE}$)[\w-]+)?|[\w.-]+[._]env[._-]{_COPY_KINDS})$",
    re.I,
)
# Pages of the project's docs, where a variable counts as documented when named.
DOC_PAGE = re.compile(r"\.(md|mdx|markdown|rst|adoc)$|(^|/)(docs?|documentation)/.*\.txt$|(^|/)README[^/]*$", re.I)


def _others(path: str) -> bool:
    """Templates and pages of other programs (a front end's, a test setup's, a vendored package's)."""
    return role_of(path) in (GENERATED, TEST_DATA)


def is_template(path: str) -> bool:
    return bool(TEMPLATE_NAME.search(path)) and not _others(path)


# A template by its suffix whatever its name (held-out round 12: kerrokantasi's
# `config_dev.toml.example`, tunnistamo's `docker-compose.env.yaml.template`): an env
# template when its content is one (``dotenv_template``).
SUFFIXED = re.compile(r"(?:^|/)[^/]+\.(?:example|sample|dist|template|tmpl|tpl)$", re.I)
_CODE_BEFORE = re.compile(r"\.(?:py|js|ts|sh|bash|php|rb|html|j2|jinja2?|cfg|ini|conf|json|xml)\.[^./]+$", re.I)
_DOTENV_LINE = re.compile(r"^\s*(?:export\s+)?[A-Z][A-Z0-9_]*=\S?")
MIN_TEMPLATE_ENTRIES = 3


def dotenv_template(path: str, data: bytes | None) -> bool:
    """A ``*.example``/``*.template``/``*.sample``/``*.dist`` file that is not code and
    whose lines are dotenv entries (``UPPER_NAME=value``, no space before the ``=``: a
    Python or TOML settings file writes ``NAME = value``): at least three, and at least
    four in five of its lines that are not comments or blank."""
    if not SUFFIXED.search(path) or _CODE_BEFORE.search(path) or is_template(path) or _others(path) or not data:
        return False
    if b"\0" in data[:8192]:
        return False
    lines = [line for line in data.decode("utf-8-sig", "replace").split("\n")
             if line.strip() and not line.lstrip().startswith("#")]
    entries = sum(1 for line in lines if _DOTENV_LINE.match(line))
    return entries >= MIN_TEMPLATE_ENTRIES and entries * 5 >= len(lines) * 4


# A changelog says what changed once, not what the service needs now.
_CHANGELOG = re.compile(r"(^|/)(CHANGE[S_-]?LOG|CHANGES|HISTORY|NEWS|RELEASE[S_-]?NOTES?)[^/]*$"
                        r"|(^|/)(release[_-]?notes|changelog|changes|changelog\.d|newsfragments)/", re.I)


def is_doc_page(path: str) -> bool:
    return bool(DOC_PAGE.search(path)) and not _others(path) and not _CHANGELOG.search(path)


# A name counts as documented on a page when it is written as one: in a table
# cell, in backticks (Markdown `X`, reST ``X``), as `X=`/`export X=`/`X:` at
# the start of a line (code blocks, definition lists), in `.. envvar:: X` or
# `:envvar:`X``, or in a heading. A name with an underscore (`SENTRY_DSN`)
# counts wherever it is written: no prose uses such a word otherwise.
_DOC_FORMS = re.compile(
    r"`+\$?(?P<tick>[A-Z][A-Z0-9_]*)(?:=[^`]*)?`"
    r"|\.\.\s+envvar::\s*(?P<envvar>[A-Za-z_][A-Za-z0-9_]*)"
    r"|:envvar:`(?P<role>[A-Za-z_][A-Za-z0-9_]*)`"
    r"|^[ \t>*+-]*(?:export\s+|-e\s+|ENV\s+|ARG\s+)?(?P<line>[A-Z][A-Z0-9_]*)\s*[=:]"
    r"|\|\s*\$?(?P<cell>[A-Z][A-Z0-9_]*)\s*(?=\|)"
    r"|^#{1,6}\s.*?\b(?P<head>[A-Z][A-Z0-9_]{2,})\b"
    r"|\b(?P<word>[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9])\b",
    re.M,
)


# A page that documents options and says each can be given as an environment
# variable with a prefix: "All Flower options must be prefixed with `FLOWER_`",
# `MYAPP_<OPTION>`, `MYAPP_{name}`. The options are its identifiers: reST/Markdown
# headings, backticked lower-case words, --flags.
_PREFIX_RULE = re.compile(
    r"prefix(?:ed)?\b[^.\n]{0,40}?[`'\"]+(?P<said>[A-Z][A-Z0-9]*_)[`'\"]+"
    r"|\b(?P<shown>[A-Z][A-Z0-9]*_)(?:<[A-Za-z][\w -]{0,39}>|\{[A-Za-z][\w -]{0,39}\}|\[[A-Za-z][\w -]{0,39}\])",
)
_OPTION_NAMES = re.compile(
    r"^(?P<head>[a-z][a-z0-9_]*)\n[~=^\-`'\"]{3,}$"
    r"|^#{1,6}\s+`*(?P<mdhead>[a-z][a-z0-9_]*)`*\s*$"
    r"|`+(?P<tick>[a-z][a-z0-9_]*)`+"
    r"|(?<![\w-])--(?P<flag>[a-z][a-z0-9_-]*)",
    re.M,
)
_MAX_PREFIXED = 2000


# A table row of one variable that sends the reader to a page elsewhere for the rest:
# `| TA_LDAP | Configure LDAP Authentication | [Read more](https://docs.example.com/ldap/) |`
# (held-out round 18: tubearchivist's README, whose docs site tables every TA_LDAP_* name).
# The family is documented there: `TA_LDAP_*` (no variable's name holds a `*`).
_LINKED_ROW = re.compile(r"^[ \t]*\|[ \t]*`?\$?(?P<name>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)`?[ \t]*\|[^\n]*\]\(https?://[^)\s]+\)",
                         re.M)


def doc_names(text: str) -> set[str]:
    """The variable names a docs page documents (see ``_DOC_FORMS`` and ``_PREFIX_RULE``); a family
    that a table row links out for (``_LINKED_ROW``) as ``TA_LDAP_*``."""
    names = {m.group(m.lastgroup) for m in _DOC_FORMS.finditer(text) if m.lastgroup}
    names.update(m.group("name") + "_*" for m in _LINKED_ROW.finditer(text) if len(m.group("name")) >= 4)
    prefixes = {m.group(m.lastgroup) for m in _PREFIX_RULE.finditer(text) if m.lastgroup}
    if prefixes:
        options = {m.group(m.lastgroup).replace("-", "_").upper() for m in _OPTION_NAMES.finditer(text) if m.lastgroup}
        names.update(sorted(p + o for p in prefixes for o in options)[:_MAX_PREFIXED])
    return names

# Reads that are not the service's runtime: every path that is not part of the
# service (roles.NOT_SERVICE_PATHS: tests, harnesses, benchmarks, docs, vendored
# code, dev and CI tooling, migrations), and the project's own build, packaging,
# one-off maintenance and infrastructure scripts, which run on a developer's machine.
NOT_RUNTIME_READS = (
    "setup.py", "**/noxfile.py", "**/fabfile.py", "**/scripts/*.py", "**/scripts/**/*.py", "**/terraform/**",
    "**/devserver.py", "**/devtest.py", "**/*smoke*", "**/*test*.sh", "**/*-test", "**/*_test", "**/maintenance/**",
    # build, release and publishing scripts; a developer's local run and dev
    # stacks (`scripts/run_locally_with_docker.sh`, `start-dev.sh`, `Ctl/dev/`)
    "**/*build*.sh", "**/*release*.sh", "**/*publish*.sh", "**/*push*.sh", "**/release.py", "**/*locally*",
    "**/*[-_]dev.sh", "**/*[-_]dev", "**/*-dev[-_.]*.sh", "**/start[-_]dev*", "**/run[-_]dev*", "**/dev/**",
    "**/static-builds/**", "**/alembic/env.py",
    # the settings layer of a CI service (intake's settings/circleci.py: BrowserStack keys for the test run)
    "**/settings/circleci*.py", "**/settings/travis*.py", "**/settings/jenkins*.py",
)
DEFAULT_EXCLUDES = NOT_SERVICE_PATHS + NOT_RUNTIME_READS

# Variables the operating system, the shell, CI, the container platform or the
# framework sets: nobody expects them in a service's .env.example. Globs.
PLATFORM: dict[str, tuple[str, ...]] = {
    "operating system": (
        "PATH", "HOME", "USER", "USERNAME", "LOGNAME", "SHELL", "PWD", "OLDPWD", "TMPDIR", "TEMP", "TMP",
        "LANG", "LANGUAGE", "LC_*", "TZ", "TERM", "COLORTERM", "HOSTNAME", "EDITOR", "VISUAL", "PAGER",
        "DISPLAY", "XDG_*", "SSH_AUTH_SOCK", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "SYSTEMROOT",
        "COMSPEC", "PROGRAMFILES", "WINDIR", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "HTTP_PROXY",
        "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "no_proxy", "SSL_CERT_FILE",
        "SSL_CERT_DIR", "UID", "GID", "UMASK", "DEBIAN_FRONTEND", "SOURCE_DATE_EPOCH", "_*",
    ),
    "systemd": (  # socket activation, sd_notify, the unit's directories
        "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
        "INVOCATION_ID", "JOURNAL_STREAM", "RUNTIME_DIRECTORY", "STATE_DIRECTORY", "CACHE_DIRECTORY",
        "LOGS_DIRECTORY", "CONFIGURATION_DIRECTORY", "CREDENTIALS_DIRECTORY", "MAINPID",
    ),
    "Python and its tools": (
        "PYTHON*", "VIRTUAL_ENV", "CONDA_*", "PIP_*", "PIPENV_*", "POETRY_*", "UV_*", "PDM_*",
        "COVERAGE_*", "PYTEST_*", "TOX_*", "SETUPTOOLS_*", "NODE_ENV", "NODE_OPTIONS", "NPM_CONFIG_*",
        "IPYTHONDIR", "JUPYTER_*", "MPLCONFIGDIR",
    ),
    # CI providers' own variables, by their documented names: a prefix such as CIRCLE_ or GITHUB_ is
    # also a service's own word (held-out round 9: salesforce-stripe's CIRCLE_FAILURE_RECIPIENT, a donor
    # tier; GITHUB_CLIENT_SECRET, GITLAB_API_TOKEN, JENKINS_USER for an integration). Whole prefixes
    # only where the provider owns the word (TRAVIS_, BUILDKITE_, APPVEYOR_, DRONE_, CODEBUILD_, ...).
    "CI": (
        "CI", "BUILD_NUMBER", "BUILD_ID", "TF_BUILD", "TRAVIS", "TRAVIS_*", "BUILDKITE", "BUILDKITE_*",
        "APPVEYOR", "APPVEYOR_*", "DRONE", "DRONE_*", "CODEBUILD_*", "TEAMCITY_*", "READTHEDOCS", "READTHEDOCS_*",
        "CODECOV_*", "WOODPECKER_*",
        # GitHub Actions' default variables (GITHUB_TOKEN is no default variable: a service's own token)
        "GITHUB_ACTION", "GITHUB_ACTION_PATH", "GITHUB_ACTION_REF", "GITHUB_ACTION_REPOSITORY", "GITHUB_ACTIONS",
        "GITHUB_ACTOR", "GITHUB_ACTOR_ID", "GITHUB_API_URL", "GITHUB_BASE_REF", "GITHUB_ENV", "GITHUB_EVENT_NAME",
        "GITHUB_EVENT_PATH", "GITHUB_GRAPHQL_URL", "GITHUB_HEAD_REF", "GITHUB_JOB", "GITHUB_OUTPUT", "GITHUB_PATH",
        "GITHUB_REF", "GITHUB_REF_NAME", "GITHUB_REF_PROTECTED", "GITHUB_REF_TYPE", "GITHUB_REPOSITORY",
        "GITHUB_REPOSITORY_ID", "GITHUB_REPOSITORY_OWNER", "GITHUB_REPOSITORY_OWNER_ID", "GITHUB_RETENTION_DAYS",
        "GITHUB_RUN_ATTEMPT", "GITHUB_RUN_ID", "GITHUB_RUN_NUMBER", "GITHUB_SERVER_URL", "GITHUB_SHA",
        "GITHUB_STATE", "GITHUB_STEP_SUMMARY", "GITHUB_TRIGGERING_ACTOR", "GITHUB_WORKFLOW", "GITHUB_WORKFLOW_REF",
        "GITHUB_WORKFLOW_SHA", "GITHUB_WORKSPACE", "RUNNER_ARCH", "RUNNER_DEBUG", "RUNNER_ENVIRONMENT",
        "RUNNER_NAME", "RUNNER_OS", "RUNNER_TEMP", "RUNNER_TOOL_CACHE", "RUNNER_WORKSPACE", "ACTIONS_*",
        # GitLab CI's predefined variables (and Woodpecker's and Codeship's CI_ names)
        "GITLAB_CI", "GITLAB_FEATURES", "GITLAB_USER_*", "CI_API_*", "CI_BUILDS_DIR", "CI_BUILD_*",
        "CI_BRANCH", "CI_COMMIT_*", "CI_COMMITTER_*", "CI_CONCURRENT_*", "CI_CONFIG_PATH", "CI_DEBUG_*",
        "CI_DEFAULT_BRANCH", "CI_DEPENDENCY_PROXY_*", "CI_DEPLOY_*", "CI_DISPOSABLE_ENVIRONMENT",
        "CI_ENVIRONMENT_NAME", "CI_ENVIRONMENT_SLUG", "CI_ENVIRONMENT_URL", "CI_ENVIRONMENT_ACTION",
        "CI_ENVIRONMENT_TIER", "CI_EXTERNAL_PULL_REQUEST_*", "CI_FORGE_*", "CI_GITLAB_FIPS_MODE",
        "CI_HAS_OPEN_REQUIREMENTS", "CI_JOB_*", "CI_KUBERNETES_ACTIVE", "CI_MERGE_REQUEST_*", "CI_MESSAGE",
        "CI_NAME", "CI_NODE_INDEX", "CI_NODE_TOTAL", "CI_OPEN_MERGE_REQUESTS", "CI_PAGES_*", "CI_PIPELINE_*",
        "CI_PREV_*", "CI_PROJECT_*", "CI_PULL_REQUEST", "CI_REGISTRY", "CI_REGISTRY_*", "CI_RELEASE_DESCRIPTION",
        "CI_REPO", "CI_REPO_*", "CI_REPOSITORY_URL", "CI_RUNNER_*", "CI_SERVER", "CI_SERVER_*",
        "CI_SHARED_ENVIRONMENT", "CI_STEP_*", "CI_SYSTEM_*", "CI_TEMPLATE_REGISTRY_HOST", "CI_TRIGGER_SHORT_TOKEN",
        "CI_WORKFLOW_*", "CI_WORKSPACE",
        # CircleCI's
        "CIRCLECI", "CIRCLE_ARTIFACTS", "CIRCLE_BRANCH", "CIRCLE_BUILD_NUM", "CIRCLE_BUILD_URL",
        "CIRCLE_COMPARE_URL", "CIRCLE_INTERNAL_*", "CIRCLE_JOB", "CIRCLE_NODE_INDEX", "CIRCLE_NODE_TOTAL",
        "CIRCLE_OIDC_TOKEN", "CIRCLE_OIDC_TOKEN_V2", "CIRCLE_PIPELINE_ID", "CIRCLE_PIPELINE_NUM", "CIRCLE_PR_*",
        "CIRCLE_PREVIOUS_BUILD_NUM", "CIRCLE_PROJECT_*", "CIRCLE_PULL_REQUEST", "CIRCLE_PULL_REQUESTS",
        "CIRCLE_REPOSITORY_URL", "CIRCLE_SHA1", "CIRCLE_STAGE", "CIRCLE_TAG", "CIRCLE_TEST_REPORTS",
        "CIRCLE_USERNAME", "CIRCLE_WORKFLOW_*", "CIRCLE_WORKING_DIRECTORY",
        # Jenkins' (besides BUILD_NUMBER, BUILD_ID) and Bitbucket Pipelines'
        "JENKINS_URL", "JENKINS_HOME", "JENKINS_SERVER_COOKIE", "JENKINS_NODE_COOKIE", "BITBUCKET_BRANCH",
        "BITBUCKET_BOOKMARK", "BITBUCKET_BUILD_NUMBER", "BITBUCKET_CLONE_DIR", "BITBUCKET_COMMIT",
        "BITBUCKET_DEPLOYMENT_*", "BITBUCKET_EXIT_CODE", "BITBUCKET_GIT_*", "BITBUCKET_PARALLEL_*",
        "BITBUCKET_PIPELINE_UUID", "BITBUCKET_PR_*", "BITBUCKET_PROJECT_*", "BITBUCKET_REPO_*",
        "BITBUCKET_SSH_KEY_FILE", "BITBUCKET_STEP_*", "BITBUCKET_TAG", "BITBUCKET_WORKSPACE",
    ),
    "container and cloud platform": (
        "KUBERNETES_*", "K_SERVICE", "K_REVISION", "K_CONFIGURATION", "DYNO", "HEROKU_*", "RENDER*",
        "FLY_*", "VERCEL*", "RAILWAY_*", "AWS_LAMBDA_*", "AWS_EXECUTION_ENV", "WEBSITE_*",
        "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
        "DOCKER_HOST", "DOCKER_BUILDKIT", "COMPOSE_*", "WEB_CONCURRENCY",
        # Clever Cloud add-ons and Platform.sh/Upsun set these for the app
        "POSTGRESQL_ADDON_*", "MYSQL_ADDON_*", "MONGODB_ADDON_*", "REDIS_ADDON_*", "CELLAR_ADDON_*", "CC_*",
        "PLATFORM_*",
        # the port to listen on: Heroku, Cloud Run, Render, Fly, ECS and App Engine set it
        "PORT",
        # Netlify's build environment
        "NETLIFY", "NETLIFY_*", "COMMIT_REF", "CACHED_COMMIT_REF", "REPOSITORY_URL", "DEPLOY_PRIME_URL",
    ),
    "front-end build tools": (
        "BABEL_ENV", "NPM_*", "YARN_*", "PNPM_*", "COREPACK_*", "CYPRESS_*", "PUPPETEER_*", "PLAYWRIGHT_*",
    ),
    "frameworks and servers": (
        "DJANGO_SETTINGS_MODULE", "DJANGO_COLORS", "FLASK_APP", "FLASK_RUN_*", "FLASK_SKIP_DOTENV", "FLASK_DEBUG",
        "FLASK_ENV",
        "WERKZEUG_*", "GUNICORN_CMD_ARGS", "SERVER_SOFTWARE", "CELERY_LOADER", "UWSGI_*", "wsgi.*", "SUPERVISOR_*",
        "RUN_MAIN", "DJANGO_SUPERUSER_*", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_AUTO_COMPLETE",
        # GeoDjango's library paths: unset, Django finds the libraries itself (held-out round 12:
        # kerrokantasi's and smbackend's `GDAL_LIBRARY_PATH = os.environ.get(...)`, a dev machine's override)
        "GDAL_LIBRARY_PATH", "GEOS_LIBRARY_PATH", "SPATIALITE_LIBRARY_PATH",
    ),
    # The database images' own variables (postgres, mysql, mariadb) and libpq's.
    "database images": (
        "POSTGRES_*", "PG*", "MYSQL_*", "MARIADB_*",
    ),
    # Read by a library on its own, and documented there.
    "libraries": (
        "GOOGLE_APPLICATION_CREDENTIALS", "MPLBACKEND", "MPLCONFIGDIR", "OPENBLAS_*", "OMP_NUM_THREADS",
        "MKL_NUM_THREADS", "TOKENIZERS_PARALLELISM", "HF_HOME", "TRANSFORMERS_CACHE", "NLTK_DATA", "TIKTOKEN_CACHE_DIR",
        "GRPC_*", "OTEL_*", "OBJC_DISABLE_INITIALIZE_FORK_SAFETY", "OAUTHLIB_INSECURE_TRANSPORT", "OAUTHLIB_RELAX_TOKEN_SCOPE",
    ),
}
# Read by a library or tool with no line of the service's code: a documented
# entry of one of these is never dead (but a read of one in the code must
# still be documented).
IMPLICIT: tuple[str, ...] = (
    "GOOGLE_CLOUD_PROJECT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE", "AZURE_STORAGE_CONNECTION_STRING",
    # botocore's own (round 7: codalab's AWS_CA_BUNDLE, for boto3 behind django-storages)
    "AWS_CA_BUNDLE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_*", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_STS_REGIONAL_ENDPOINTS", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_DEFAULT_OUTPUT",
    "SENTRY_DSN", "SENTRY_ENVIRONMENT", "SENTRY_RELEASE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
    "FORWARDED_ALLOW_IPS", "UVICORN_*", "NEW_RELIC_*", "DD_*", "OTEL_*", "ELASTIC_APM_*",
    # Airflow reads AIRFLOW__SECTION__KEY, SQLAlchemy its warning switch, the AI SDKs their keys
    "AIRFLOW__*", "SQLALCHEMY_SILENCE_UBER_WARNING", "SQLALCHEMY_WARN_20", "OPENAI_API_KEY", "OPENAI_BASE_URL",
    "OPENAI_API_BASE", "OPENAI_ORG_ID", "OPENAI_ORGANIZATION", "ANTHROPIC_API_KEY", "HF_TOKEN",
    "HUGGING_FACE_HUB_TOKEN", "AZURE_OPENAI_*",
    # Flask's and coaster's prefixed loaders map FLASK_MAIL_PORT to the config key MAIL_PORT,
    # which an extension (Flask-Mail, a statsd client) reads without a line of the service's code
    "FLASK_*",
)


@record(frozen=True)
class Entry:
    name: str
    path: str
    line: int
    column: int
    value: str = ""


_DOTENV = re.compile(r"^(?P<lead>\s*(?:#\s*)?(?:export\s+)?)(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=(?P<value>.*)$")
# table rows, list items, and headings (`## \`ADMINS\``: one section per variable)
_MARKDOWN_ROW = re.compile(r"^\s*(?:\||[-*+]\s|\d+[.)]\s|#{1,6}\s)")
_BACKTICKED = re.compile(r"`\$?(?P<name>[A-Z](?:[A-Z0-9_]*[A-Z0-9])?)(?:=[^`]*)?`")  # `MATRIX_` is a prefix, not a name


# `MAIL_MAX_EMAILS` alone on a line: docker's --env-file passes it on from the host (round 7: jazzband's .env-dist)
_BARE = re.compile(r"^(?P<lead>\s*(?:export\s+)?)(?P<name>[A-Z][A-Z0-9]*_[A-Z0-9_]*)\s*$")


# `# DATABASE_URL, 'sqlite:///'`: a template's list of optional names with their defaults, one a
# comment line (held-out round 11: lowfat's .env_template, "Format: VARIABLE_NAME, default value")
_COMMENT_LIST = re.compile(r"^\s*#\s*(?P<name>[A-Z][A-Z0-9_]*),\s*\S")
_NOT_NAMES = frozenset({"TODO", "NOTE", "FIXME", "XXX", "HACK", "WARNING", "IMPORTANT", "NB", "PS", "OK", "NO",
                        "YES", "BUT", "AND", "OR", "IF", "SO", "I", "A"})


def parse_source(path: str, text: str) -> list[Entry]:
    if path.lower().endswith((".md", ".markdown")):
        return _markdown(path, text)
    entries = []
    bare: list[Entry] = []
    listed: list[Entry] = []
    for n, raw in enumerate(text.split("\n"), 1):
        m = _DOTENV.match(raw)
        if not m:
            b = _BARE.match(raw)
            if b:
                bare.append(Entry(b.group("name"), path, n, b.start("name") + 1))
            c = _COMMENT_LIST.match(raw)
            if c and c.group("name") not in _NOT_NAMES:
                listed.append(Entry(c.group("name"), path, n, c.start("name") + 1))
            continue
        commented = "#" in m.group("lead")
        if commented and not re.fullmatch(r"[A-Z][A-Z0-9_]*", m.group("name")):
            continue  # prose in a comment, not a commented-out entry
        entries.append(Entry(m.group("name"), path, n, m.start("name") + 1, m.group("value").strip()))
    if bare and entries:  # a dotenv file's bare names are entries; elsewhere, a word on a line
        entries = sorted(entries + bare, key=lambda e: e.line)
    if len(listed) >= 2 and entries:
        # a list of `# NAME, default` lines in a dotenv file with entries; one alone may be prose
        entries = sorted(entries + listed, key=lambda e: e.line)
    return entries


_TEST_ENV = re.compile(r"test|(^|[._-])ci([._-]|$)", re.I)  # a test run's variables (OWASP Nest's .env.unit-tests)
_ENV_FILE_OPTION = re.compile(r"--env-file(?:=|\s+)[\"']?(?P<path>[\w./-]+)")


# A docs page's `cp sample_env .env`, `cp docker-compose.local-template.env docker-compose.env`:
# the copied file is the project's env template, whatever its name (held-out round 19).
_COPIED_TO_ENV = re.compile(r"\bcp\s+(?:-\w+\s+)?[\"']?(?P<path>[\w./-]+)[\"']?\s+[\"']?(?:[\w./-]*/)?[\w.-]*\.env[\"']?(?=[\s`;&|)]|$)",
                            re.M)


def env_file_options(tracked: set[str], grep: Grep, read: Callable[[str], bytes | None]) -> list[str]:
    """Tracked dotenv files a command in the repo passes with ``--env-file`` (``docker compose
    --env-file ./environment.txt`` in the install docs, ``docker run --env-file docker_env.txt`` in
    a Makefile): the project's env templates whatever their name (round 7: augur's environment.txt).
    And the files a docs page copies to a ``.env`` (``cp sample_env .env``)."""
    found: list[str] = []
    _named_files(tracked, grep, read, "--env-file", _ENV_FILE_OPTION, found,
                 lambda p: is_doc_page(p) or p.endswith((".sh", "Makefile", ".mk", ".toml")), only=False)
    _named_files(tracked, grep, read, "cp ", _COPIED_TO_ENV, found, is_doc_page, only=True)
    return found


def _named_files(tracked: set[str], grep: Grep, read: Callable[[str], bytes | None], word: str,
                 form: re.Pattern[str], found: list[str], holds: Callable[[str], bool], only: bool) -> None:
    holders = grep.files(word, pathspecs=(".",))
    if holders is None:  # no prefilter: the places such a command is written
        holders = frozenset(p for p in tracked if holds(p))
    for holder in sorted(holders):
        if role_of(holder) in (GENERATED, TEST_DATA) or (only and not holds(holder)):
            continue
        data = read(holder)
        if data is None:
            continue
        for m in form.finditer(data.decode("utf-8", "replace")):
            name = m.group("path")
            for candidate in (posixpath.normpath(name), posixpath.normpath(posixpath.join(posixpath.dirname(holder), name))):
                if candidate in tracked and candidate not in found and not is_template(candidate) and not _others(
                        candidate) and not candidate.endswith((".py", ".yml", ".yaml", ".json", ".sh")) and not (
                        _TEST_ENV.search(posixpath.basename(candidate))):
                    text = read(candidate)
                    if text is not None and parse_source(candidate, text.decode("utf-8-sig", "replace")):
                        found.append(candidate)
                    break


def _markdown(path: str, text: str) -> list[Entry]:
    entries = []
    fenced = False
    for n, raw in enumerate(text.split("\n"), 1):
        if raw.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or not _MARKDOWN_ROW.match(raw) or re.match(r"^\s*\|[\s:|-]+\|?\s*$", raw):
            continue
        m = _BACKTICKED.search(raw)
        if m:
            entries.append(Entry(m.group("name"), path, n, m.start("name") + 1))
    return entries


class Platform:
    def __init__(self, extra: Iterable[str], tracked: set[str]) -> None:
        names = ([n for group in PLATFORM.values() for n in group] + list(extra) + heroku_addons(tracked)
                 + paas_charm(tracked))
        self.exact = {n for n in names if not any(c in n for c in "*?[")}
        globs = [n for n in names if n not in self.exact]
        self.glob = re.compile("|".join(fnmatch.translate(g) for g in globs)) if globs else None

        implicit = [n for n in IMPLICIT if "*" not in n]
        self.implicit_exact = set(implicit)
        globs = [n for n in IMPLICIT if "*" in n]
        self.implicit_glob = re.compile("|".join(fnmatch.translate(g) for g in globs)) if globs else None

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return name in self.exact or bool(self.glob and self.glob.match(name))

    def read_implicitly(self, name: str) -> bool:
        return name in self.implicit_exact or bool(self.implicit_glob and self.implicit_glob.match(name))


# What a Heroku add-on sets when app.json provisions it (held-out round 7: intake's
# cloudamqp and bucketeer): the add-on's name, upper-cased, is the prefix of its variables.
_ADDON_VARIABLES = {"heroku-postgresql": ("DATABASE_URL", "HEROKU_POSTGRESQL_*"),
                    "heroku-redis": ("REDIS_URL", "REDIS_TLS_URL"), "heroku-kafka": ("KAFKA_*",)}


def heroku_addons(tracked: Iterable[str]) -> list[str]:
    """The variables the add-ons of the root ``app.json`` set (globs)."""
    import json

    if "app.json" not in tracked:
        return []
    try:
        with open("app.json", encoding="utf-8-sig") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError):
        return []
    if not isinstance(manifest, dict):
        return []
    addons: list[object] = []
    for holder in [manifest, *(manifest.get("environments") or {}).values()] if isinstance(
            manifest.get("environments") or {}, dict) else [manifest]:
        if isinstance(holder, dict) and isinstance(holder.get("addons"), list):
            addons.extend(holder["addons"])
    names: list[str] = []
    for addon in addons:
        plan = addon.get("plan") if isinstance(addon, dict) else addon
        if not isinstance(plan, str) or not plan.strip():
            continue
        service = plan.split(":")[0].strip().lower()
        default = (re.sub(r"[^A-Z0-9]+", "_", service.upper()).strip("_") + "_*",)
        names.extend(_ADDON_VARIABLES.get(service, default))
    return names



# Canonical's 12-factor app charms (paas-charm: a rock or charm built with a
# `<framework>-framework` extension; held-out round 8: snapcraft.io's
# FLASK_SECRET_KEY). The charm sets the framework's variables itself (a
# generated secret key, the base URL, one variable per config option:
# `sentry-dsn` -> FLASK_SENTRY_DSN) and one set per integration it requires.
_PAAS_FRAMEWORKS = {"flask": ("FLASK_*",), "django": ("DJANGO_*",), "fastapi": ("APP_*",), "go": ("APP_*",),
                    "expressjs": ("APP_*",), "spring-boot": ("APP_*",)}
_PAAS_INTEGRATIONS = {"postgresql_client": ("POSTGRESQL_DB_*",), "mysql_client": ("MYSQL_DB_*",),
                      "mongodb_client": ("MONGODB_DB_*",), "redis": ("REDIS_DB_*",), "s3": ("S3_*",),
                      "saml": ("SAML_*",), "rabbitmq": ("RABBITMQ_*",), "smtp": ("SMTP_*",),
                      "openfga": ("OPENFGA_*",), "oauth": ("*_OIDC_*", "OIDC_*"), "ldap": ("LDAP_*",)}
_PAAS_MANIFEST = re.compile(r"(^|/)(rockcraft|charmcraft)\.ya?ml$")


def paas_charm(tracked: Iterable[str]) -> list[str]:
    """The variables a paas-charm sets, when a tracked ``rockcraft.yaml`` or
    ``charmcraft.yaml`` uses one of its framework extensions (globs)."""
    import yaml

    names: list[str] = []
    for path in sorted(p for p in tracked if _PAAS_MANIFEST.search(p) and not _others(p)):
        try:
            with open(path, encoding="utf-8-sig") as handle:
                manifest = yaml.safe_load(handle)
        except (OSError, ValueError, yaml.YAMLError):
            continue
        if not isinstance(manifest, dict) or not isinstance(manifest.get("extensions"), list):
            continue
        frameworks = [str(e)[: -len("-framework")] for e in manifest["extensions"]
                      if isinstance(e, str) and e.endswith("-framework")]
        for framework in frameworks:
            names.extend(_PAAS_FRAMEWORKS.get(framework, ("APP_*",)))
        if frameworks or names:
            requires = manifest.get("requires")
            for relation in requires.values() if isinstance(requires, dict) else ():
                interface = relation.get("interface") if isinstance(relation, dict) else None
                if isinstance(interface, str):
                    names.extend(_PAAS_INTEGRATIONS.get(interface, ()))
    return names
