"""What one command does, from its words: lint, unit tests, an integration
check, a staging-config check, a publish, starting the service, a request.

Wrappers are peeled first (``uv run``, ``poetry run``, ``python -m``,
``coverage run``, ``env A=B``, ``timeout 60``, ``bash -c "..."``); commands
that lead elsewhere (``make``, ``tox``, ``nox``, a script, a task runner,
``docker compose run SERVICE CMD``) are followed by :mod:`.reach`, not here.
"""
from __future__ import annotations

import posixpath
import re

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

LINT = "lint"
UNIT = "unit"
INTEGRATION = "integration"
STAGING = "staging"
PUBLISH_PYPI = "publish-pypi"
PUBLISH_DOCKER = "publish-docker"
START = "start"  # starts the service or its database (docker compose up, docker run -d)
REQUEST = "request"  # talks to a running service (curl, wget, pg_isready)
FIXER = "fixer"  # a linter run to fix files (ruff check --fix): a lint check only where its failure fails the job

_PYTHON = re.compile(r"^(python|pypy)(\d+(\.\d+)?)?(\.exe)?$|^py$")
_LINTERS = frozenset({"ruff", "flake8", "pylint", "mypy", "pyright", "basedpyright", "pyflakes", "pycodestyle",
                      "pydocstyle", "prospector", "pylama", "bandit", "flakeheaven", "flakehell", "lint-imports",
                      "dmypy", "pytype", "pyre", "wemake-python-styleguide", "darglint", "vulture", "refurb",
                      # Debian's Python 3 names (dissemin's pyflakes.sh runs pyflakes3), the old names of
                      # pycodestyle and pydocstyle, flake8-pyproject's flake8p
                      "pyflakes3", "pylint3", "pep8", "pep257", "flake8p"})
_CHECK_FLAGS = frozenset({"--check", "--check-only", "-c", "--diff"})
_TESTERS = frozenset({"pytest", "py.test", "nose2", "nosetests", "green", "trial", "ward", "stestr", "testr",
                      "behave", "tox", "nox", "detox", "hypothesis"})
_BROWSERS = frozenset({"playwright", "cypress", "selenium-side-runner", "newman", "schemathesis", "st", "robot"})
_INTEGRATION_WORDS = re.compile(r"(^|[^a-z])(integration|integ|e2e|end[-_]?to[-_]?end|functional|acceptance|smoke|"
                                r"system[-_]?tests?|live|api[-_]?tests?|contract)([^a-z]|$)", re.I)
_TEST_SCRIPT = re.compile(r"^(run_?tests?|tests?_?all|run_?all_?tests|test_?runner)\.py$", re.I)
_REQUESTERS = frozenset({"curl", "wget", "http", "https", "httpie", "xh", "pg_isready", "mysqladmin",
                         "redis-cli", "wait-for-it", "wait-for-it.sh", "dockerize", "nc", "grpcurl", "psql"})


UNSET = re.compile(r"^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$")  # a command that is only a variable the files do not set


def base(word: str) -> str:
    """The program a word names: ``.venv/bin/pytest`` -> ``pytest``."""
    return posixpath.basename(word.replace("\\", "/")) if "/" in word or "\\" in word else word


def _module_after_m(words: Sequence[str]) -> tuple[str, ...] | None:
    """``python [opts] -m mod args`` -> ``(mod, args...)``; a script -> ``(script, args...)``."""
    i = 1
    while i < len(words):
        w = words[i]
        if w == "-m" and i + 1 < len(words):
            return (_django_manage(words[i + 1]), *words[i + 2:])
        if w.startswith("-m") and len(w) > 2:
            return (_django_manage(w[2:]), *words[i + 1:])
        if w in ("-W", "-X", "-c"):
            if w == "-c":
                return None
            i += 2
            continue
        if w.startswith("-"):
            i += 1
            continue
        return tuple(words[i:])
    return None


def _django_manage(module: str) -> str:
    """A module run with ``-m`` named ``manage`` (``-m amcat.manage test``, a package's Django manage) is
    ``manage.py``; any other module is itself."""
    return "manage.py" if module == "manage" or module.endswith(".manage") else module


_RUNNERS = {  # runner word -> subcommand word that runs a command, or "" for none
    "uv": "run", "poetry": "run", "pipenv": "run", "pdm": "run", "hatch": "run", "rye": "run", "pixi": "run",
    "conda": "run", "mamba": "run", "micromamba": "run", "pipx": "run", "dotenv": "run", "doppler": "run",
    "op": "run", "honcho": "run", "foreman": "run", "uvx": "", "xvfb-run": "", "sudo": "", "nice": "", "time": "", "exec": "", "command": "",
    "npx": "", "with-contenv": "", "chronic": "", "catchsegv": "", "ddtrace-run": "", "opentelemetry-instrument": "",
}
_VALUE_OPTIONS = frozenset({"-n", "--name", "-p", "--prefix", "-e", "--env", "--with", "--python", "-u", "--user",
                            "--env-file", "--group", "--extra", "--directory", "--project", "-s", "--server-num",
                            "-f", "--file", "-C", "--config", "-g", "--package", "--from"})


_WRAPPED = frozenset({"uv", "uvx", "poetry", "pdm", "hatch", "pipenv", "pre-commit", "prek", "pytest", "tox", "nox", "make",
                      "python", "python3", "ruff", "mypy", "flake8", "pylint", "coverage", "twine"})
_NOT_WRAPPERS = frozenset({"echo", "printf", "cat", "grep", "which", "type", "command", "test", "[", "[[", "if", "for",
                           "while", "export", "local", "alias", "man", "help", "pip", "pip3", "apt-get", "apt", "brew",
                           "git", "cd", "ls", "rm", "cp", "mv", "mkdir", "touch", "chmod", "chown", "ln", "tee", "xargs",
                           "find", "sed", "awk", "cut", "sort", "head", "tail", "wc", "tr", "docker", "docker-compose",
                           "podman", "kubectl", "helm", "npm", "yarn", "pnpm", "npx", "bun", "node", "cargo", "go",
                           # package managers: `apk add python3 make g++` installs make, it does not run it
                           "apk", "dnf", "microdnf", "tdnf", "yum", "zypper", "pacman", "port", "choco", "snap", "pkg",
                           "emerge", "apt-cache", "dpkg", "rpm"})
_KNOWN = _LINTERS | _TESTERS | _BROWSERS | frozenset(_RUNNERS) | frozenset({"env", "timeout", "coverage", "bash", "sh", "zsh", "dash",
                                                                           "pre-commit", "prek", "black", "isort", "twine"})


_XARGS_VALUES = frozenset({"-n", "-I", "-L", "-P", "-d", "-E", "-s", "-a", "--max-args", "--max-procs", "--delimiter",
                           "--arg-file", "--max-chars", "--max-lines", "--eof", "--replace"})
_COVERAGE_VALUES = frozenset({"--source", "--rcfile", "--omit", "--include", "--concurrency", "--context", "--data-file"})


def peel(words: Sequence[str]) -> tuple[str, ...]:
    """The command under its wrappers (``uv run pytest -x`` -> ``pytest -x``)."""
    words = tuple(words)
    for _ in range(8):
        while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
            words = words[1:]  # FOO=bar cmd
        if not words:
            return words
        head = base(words[0])
        if UNSET.match(head) and len(words) > 2 and words[1] == "-m":
            words = ("python", *words[1:])  # $PYTHON -m pytest, ${PY} -m flake8
            continue
        if head in ("gosu", "su-exec") and len(words) > 2:
            words = words[2:]  # gosu app:app "$@": the command, as another user
            continue
        if head == "env":
            words = words[1:]
            while words and (words[0].startswith("-") or "=" in words[0]):
                words = words[2:] if words[0] in ("-u", "--unset", "-C") else words[1:]
            continue
        if head == "xargs":
            rest = list(words[1:])  # find . -name '*.py' | xargs pyflakes3: the command xargs runs
            while rest and rest[0].startswith("-"):
                rest = rest[2:] if rest[0] in _XARGS_VALUES else rest[1:]
            words = tuple(rest)
            continue
        if head == "timeout":
            rest = list(words[1:])
            while rest and rest[0].startswith("-"):
                rest = rest[2:] if rest[0] in ("-s", "--signal", "-k", "--kill-after") else rest[1:]
            words = tuple(rest[1:])
            continue
        if _PYTHON.match(head):
            inner = _module_after_m(words)
            if inner is None:
                return words
            words = inner  # python -m pytest -> pytest; python manage.py test -> manage.py test
            continue
        if head == "coverage" and len(words) > 1 and words[1] == "run":
            rest = list(words[2:])
            while rest and rest[0].startswith("-") and rest[0] not in ("-m", "--module"):
                rest = rest[2:] if rest[0] in _COVERAGE_VALUES else rest[1:]
            if rest and rest[0] in ("-m", "--module"):
                rest = rest[1:]
                rest[:1] = [_django_manage(w) for w in rest[:1]]
            words = tuple(rest)
            continue
        if head in ("bash", "sh", "zsh", "dash") and len(words) > 2 and "-c" in words[1:3]:
            from hooks.checks.check_release_checklist.shell import commands

            index = words.index("-c")
            inner_commands = commands(words[index + 1]) if index + 1 < len(words) else []
            return inner_commands[0].words if len(inner_commands) == 1 else words
        inner = _under_unknown_wrapper(head, words)
        if inner is not None:
            words = inner  # sfw uv run ..., cli/run.py -e test.env python -m pytest: a wrapper that runs a command we know
            continue
        if head in _RUNNERS:
            inner = _after_runner(head, words)
            if inner is None:
                return words
            words = inner
            continue
        return words
    return words


def _under_unknown_wrapper(head: str, words: tuple[str, ...]) -> tuple[str, ...] | None:
    """The command a wrapper we do not know runs, when one follows its arguments.

    ``sfw uv run pytest`` -> ``uv run pytest``; ``cli/run.py -e a.env python -m pytest``
    -> ``python -m pytest`` (liberapay's tox). A word right after an option may be
    that option's value (``--python python3``), so it is not taken for the command.
    """
    if head in _KNOWN or head in _NOT_WRAPPERS or head.startswith(("$", "-")) or "=" in head \
            or head.endswith("manage.py") or head in ("django-admin", "django", "setup.py") or _TEST_SCRIPT.match(head):
        return None
    for i in range(1, len(words)):
        if base(words[i]) in _WRAPPED and (i == 1 or not words[i - 1].startswith("-")):
            return words[i:]
    return None


def _after_runner(head: str, words: tuple[str, ...]) -> tuple[str, ...] | None:
    """``uv run [opts] CMD`` -> CMD; None when the runner runs no command here."""
    sub = _RUNNERS[head]
    rest = list(words[1:])
    if sub:
        while rest and rest[0] != sub and rest[0].startswith("-"):
            rest = rest[2:] if rest[0] in _VALUE_OPTIONS else rest[1:]
        if not rest or rest[0] != sub:
            return None
        rest = rest[1:]
    while rest and rest[0].startswith("-"):
        if rest[0] == "--":
            rest = rest[1:]
            break
        rest = rest[2:] if rest[0] in _VALUE_OPTIONS else rest[1:]
    if not rest:
        return None
    if head in ("hatch", "pdm", "pixi") and ":" in rest[0] and not rest[0].startswith("/"):
        return None  # env:script, a task table entry (reach.py follows it)
    return tuple(rest)


def _has_check_flag(words: Sequence[str]) -> bool:
    return any(w in _CHECK_FLAGS or w.startswith("--check") for w in words[1:])


def _integration_args(words: Sequence[str]) -> bool:
    args = list(words[1:])
    for i, w in enumerate(args):
        if w in ("-m", "-k", "--tags", "--tag", "-t") and i + 1 < len(args):
            expression = args[i + 1]
            if _INTEGRATION_WORDS.search(expression) and not re.search(r"\bnot\s+(integration|e2e|functional|live)", expression):
                return True
        elif w.startswith("-") and _INTEGRATION_WORDS.search(w) and not w.startswith("--ignore") and "--no-" not in w \
                and not w.startswith("--skip") and not w.startswith("--deselect"):
            return True  # --integration, --run-e2e
        elif not w.startswith("-") and ("/" in w or w.endswith(".py") or w.startswith("test")) and _INTEGRATION_WORDS.search(w) \
                and not (i > 0 and args[i - 1] in ("--ignore", "--deselect", "--ignore-glob")):
            return True  # tests/integration, tests/e2e/test_x.py
    return False


_FORMATTERS = frozenset({"black", "isort", "autopep8", "autoflake", "docformatter", "blue"})


def _only_prints(words: Sequence[str]) -> bool:
    head, args = base(words[0]).lower(), words[1:]
    return ("--version" in args or "--help" in args) and (head in _LINTERS or head in _TESTERS or head in _FORMATTERS
                                                          or head in ("pre-commit", "prek", "tox", "nox"))


def classify(words: Sequence[str], precommit_lint: bool = True, precommit_staging: bool = False) -> set[str]:
    """The kinds of a peeled command (see :func:`peel`)."""
    if not words or _only_prints(words):
        return set()  # `flake8 --version`: prints, runs nothing
    head = base(words[0]).lower()
    args = [w.lower() for w in words[1:]]
    kinds: set[str] = set()
    if head in _LINTERS:
        return _linter(head, args, words)
    elif head in _FORMATTERS and _has_check_flag(words):
        kinds.add(LINT)
    elif head in ("pre-commit", "pre_commit", "prek") and args[:1] == ["run"]:
        if "--files" in args:
            return kinds  # hooks on named files (a generated changelog), not the lint step
        named = [a for a in args[1:] if not a.startswith("-")]
        staging_hooks = {"check-staging-parity", "cleanup-report"}
        if named and set(named) & staging_hooks:
            kinds.add(STAGING)
        elif not named and precommit_staging:
            kinds.add(STAGING)
        if precommit_lint and (not named or not set(named) <= staging_hooks):
            kinds.add(LINT)
    elif head in ("check-staging-parity", "legacy-config-report"):
        kinds.add(STAGING)
    elif head in _TESTERS or head == "unittest" or (head.endswith("manage.py") and args[:1] == ["test"]) \
            or (head == "django-admin" and args[:1] == ["test"]) or (head == "setup.py" and "test" in args) \
            or (head == "hatch" and args[:1] == ["test"]) or (head == "django" and args[:1] == ["test"]):
        kinds.add(UNIT)
        if _integration_args(words):
            kinds.add(INTEGRATION)
        if head == "behave" or any(a.startswith("--browser") or a in ("--headed",) for a in args):
            kinds.add(INTEGRATION)
    elif head in _BROWSERS and (head != "playwright" or args[:1] == ["test"]) and (head != "cypress" or args[:1] == ["run"]):
        kinds.add(INTEGRATION)
    elif head in ("twine",) and args[:1] == ["upload"] or head in ("uv", "poetry", "flit", "hatch", "pdm") and args[:1] == ["publish"] \
            or head == "setup.py" and "upload" in args:
        kinds |= _upload(args)
    elif head in ("docker", "podman", "buildah", "nerdctl", "docker-compose", "podman-compose", "/kaniko/executor", "executor",
                  "kaniko", "skopeo"):
        kinds |= _containers(head, args)
    elif _TEST_SCRIPT.match(head):
        kinds.add(UNIT)  # python runtests.py: the project's own test runner
        if _integration_args(words):
            kinds.add(INTEGRATION)
    elif head in _REQUESTERS:
        kinds.add(REQUEST)
    elif head == "systemctl" and args[:1] in (["start"], ["restart"]) and any(is_database_image(a) for a in args[1:]) \
            or head == "service" and args[1:2] in (["start"], ["restart"]) and is_database_image(args[0]) \
            or head == "sem-service" and args[:1] == ["start"] and len(args) > 1 and is_database_image(args[1]):
        kinds.add(START)  # sudo systemctl start postgresql.service; Semaphore's sem-service start postgres 16
    return kinds


def _linter(head: str, args: Sequence[str], words: Sequence[str]) -> set[str]:
    kinds: set[str] = set()
    if head == "ruff" and args[:1] == ["format"] and not _has_check_flag(words):
        return kinds  # formats in place: never fails
    if head == "ruff" and "--exit-non-zero-on-fix" not in args and not _has_check_flag(words):
        if "--fix-only" in args:
            return kinds  # fixes what it can and reports nothing: never fails on a violation
        if "--fix" in args:
            kinds.add(FIXER)  # fails only on what it cannot fix; a `format` recipe's job is the edit
    if "--exit-zero" in args:
        kinds.add("swallowed")
    kinds.add(LINT)
    return kinds


def _upload(args: Sequence[str]) -> set[str]:
    """A package upload; one to TestPyPI is a rehearsal on a staging index, not a release."""
    return set() if any("testpypi" in a or "test.pypi" in a for a in args) else {PUBLISH_PYPI}


_DOCKER_VALUE_OPTIONS = frozenset({"-f", "--file", "-p", "--project-name", "--env-file", "--profile", "--project-directory",
                                   "-c", "--context", "-H", "--host", "--log-level", "--config", "--ansi", "--parallel"})


def _positional(args: list[str]) -> list[str]:
    """The words that are not options or option values: `compose --file x.yml up` -> compose, up."""
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a.startswith("-"):
            skip = a in _DOCKER_VALUE_OPTIONS
            continue
        out.append(a)
    return out


def _containers(head: str, args: list[str]) -> set[str]:
    """docker push / buildx --push / kaniko: a publish; compose up, run -d: the service starts."""
    sub = _positional(args)[:2]
    if head in ("docker-compose", "podman-compose"):
        if sub[:1] == ["up"] and any(a.startswith(("--exit-code-from", "--abort-on-container-exit")) for a in args):
            return {START, UNIT, INTEGRATION}
        return {START} if sub[:1] in (["up"], ["start"]) else set()
    if head in ("/kaniko/executor", "executor", "kaniko") or (head == "skopeo" and sub[:1] == ["copy"]):
        return {PUBLISH_DOCKER}
    if sub[:1] == ["push"] or sub[:2] in (["compose", "push"], ["image", "push"]) or ("--push" in args and sub[:1] in (["build"], ["buildx"])):
        return {PUBLISH_DOCKER}
    if sub[:2] in (["compose", "up"], ["compose", "start"]) or (sub[:1] == ["run"] and ("-d" in args or "--detach" in args)):
        if sub[:1] == ["compose"] and any(a.startswith(("--exit-code-from", "--abort-on-container-exit")) for a in args):
            return {START, UNIT, INTEGRATION}  # the job's result is a container's exit code: the tests run in it
        return {START}
    return set()


def name_says_integration(name: str) -> bool:
    return bool(_INTEGRATION_WORDS.search(name))


_DB_IMAGE = re.compile(r"(^|[/'\"\s])(postgres|postgresql|postgis|timescale|mysql|mariadb|mongo|redis|valkey|rabbitmq|memcached|"
                       r"elasticsearch|opensearch|kafka|cp-kafka|zookeeper|localstack|minio|cassandra|clickhouse|"
                       r"cockroach|neo4j|nats|solr|mssql|oracle|keycloak|selenium|dynamodb|azurite|couchdb)", re.I)


def is_database_image(image: str) -> bool:
    """A service container a test job talks to (a database, cache, broker)."""
    return bool(_DB_IMAGE.search(image.split("@")[0]))


_PYTEST_VALUES = frozenset({"-m", "-k", "-c", "-p", "-n", "-o", "--maxfail", "--cov", "--cov-report", "--cov-config", "--junitxml",
                            "--junit-xml", "--rootdir", "--confcutdir", "--basetemp", "--durations", "--tb", "-W", "--dist",
                            "--reruns", "--timeout", "--ds", "--settings", "--parallel", "--verbosity", "--log-level",
                            "-r", "--numprocesses", "--splits", "--group", "--randomly-seed", "--cov-fail-under"})


def test_scope(words: Sequence[str], cwd: str = "") -> tuple[str, ...]:
    """The folders a test run collects: ``pytest tests/unit`` -> ("tests/unit",);
    ``pytest`` or ``manage.py test`` -> ("",), everything under ``cwd``;
    ``-m "not integration"`` or ``--ignore`` of a folder -> that folder's
    exclusion as ``!folder`` (``!`` alone: integration tests deselected)."""
    head = base(words[0]).lower() if words else ""
    args = list(words[1:])
    if head.endswith("manage.py") or head in ("django-admin", "django", "hatch", "setup.py"):
        args = args[1:]
    out: list[str] = []
    i = 0
    while i < len(args):
        w = args[i]
        if w in ("-m", "-k") and i + 1 < len(args):
            # -m "not functional": the tests marked functional, not a folder named so; -k "not e2e": the
            # tests whose names (folders and modules included) contain e2e
            out.extend(f"!{'mark' if w == '-m' else 'kw'}:{name}" for name in _negated(args[i + 1]))
            i += 2
            continue
        if w.startswith(("--ignore=", "--ignore-glob=", "--deselect=")):
            out.append("!" + _join(cwd, w.split("=", 1)[1].rstrip("/*")))
        elif w in ("--ignore", "--ignore-glob", "--deselect") and i + 1 < len(args):
            out.append("!" + _join(cwd, args[i + 1].rstrip("/*")))
            i += 2
            continue
        elif w in _PYTEST_VALUES:
            i += 2
            continue
        elif w.startswith("{posargs:") or w.startswith("{posargs"):
            inner = w[len("{posargs"):].lstrip(":").rstrip("}")
            out.extend(_join(cwd, p) for p in inner.split() if p)
        elif not w.startswith("-") and "=" not in w and "$" not in w and "{" not in w:
            path = w.split("::")[0]
            if "/" in path or "." not in path:
                out.append(_join(cwd, path.rstrip("/")))
        i += 1
    if not any(not o.startswith("!") for o in out):
        out.insert(0, cwd)
    return tuple(out)


def _negated(expression: str) -> list[str]:
    """The names an ``-m``/``-k`` expression deselects: ``not a and not (b or c)`` -> a, b, c."""
    names: list[str] = []
    for match in re.finditer(r"\bnot\s+(?:\(([^()]*)\)|([\w.-]+))", expression):
        group = match.group(1)
        names.extend(re.findall(r"[\w.-]+", group) if group is not None else [match.group(2)])
    return [n for n in names if n not in ("or", "and", "not")]


def _join(cwd: str, path: str) -> str:
    path = posixpath.normpath(path) if path not in ("", ".") else ""
    path = "" if path == "." else path
    return posixpath.normpath(posixpath.join(cwd, path)) if cwd and path else (cwd or path)


def collects(scope: Sequence[str], folders: Sequence[str], marked: Callable[[str, str], bool] | None = None) -> bool:
    """A test run with this scope (:func:`test_scope`) collects one of these folders. ``marked(folder, marker)``
    says whether the folder's tests carry a marker (``pytestmark``, a conftest adding it): ``-m "not
    functional"`` drops only such a folder (without ``marked``, none)."""
    for folder in folders:
        if any(folder == s[1:] or folder.startswith(s[1:] + "/") for s in scope
               if s.startswith("!") and len(s) > 1 and not s.startswith(("!mark:", "!kw:"))):
            continue
        if any(s[4:].lower() in folder.lower() for s in scope if s.startswith("!kw:")):
            continue
        if marked is not None and any(marked(folder, s[6:]) for s in scope if s.startswith("!mark:")):
            continue
        for s in scope:
            if s.startswith("!"):
                continue
            if s == "" or folder == s or folder.startswith(s + "/") or s.startswith(folder + "/"):
                return True
            dotted = s.replace(".", "/")  # manage.py test app.tests.integration
            if "." in s and "/" not in s and (folder.startswith(dotted + "/") or dotted.startswith(folder)):
                return True
    return False
