"""The repository's CI as jobs: what triggers each, its steps' commands, its
services, what it needs, and whether it may fail.

Read: GitHub Actions workflows (reusable workflows and local composite
actions followed), GitLab CI (``extends:``, ``include: local``,
``!reference``, ``default:``, ``rules:``/``only:``, ``variables:``), Semaphore
(blocks, tasks, jobs, promotions), pre-commit.ci (a ``ci:`` section in
``.pre-commit-config.yaml``), and, more loosely, the scripts of CircleCI (with
its dynamic configuration), Travis, Azure Pipelines, Bitbucket, Drone,
Woodpecker, Buildkite and a Jenkinsfile. CI systems not read at all are noted
as unreadable, so a missing item there is a notice, not a finding.
"""
from __future__ import annotations

import posixpath
import re

from hooks.checks.check_release_checklist.shell import Command, commands, words_of
from hooks.checks.check_release_checklist.tree import Node, root
from hooks.core.records import field, record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from hooks.checks.check_release_checklist.reach import Repo
    from hooks.config.document import Document

# How a job is triggered, best first.
PR = "on pull requests or pushes"  # pull_request, merge requests, pushes to any branch
BRANCH = "on pushes to named branches"  # only main/master (and tags)
RELEASE = "on releases and tags"
MANUAL = "by hand or on a schedule"
CALLED = "when other workflows call it"
_RANK = {PR: 0, CALLED: 1, BRANCH: 2, RELEASE: 3, MANUAL: 4}


@record
class Step:
    path: str
    line: int
    command: Command | None = None
    uses: str = ""
    options: dict[str, str] = field(default_factory=dict)  # an action's `with:`
    may_fail: int = 0  # the line of `continue-on-error: true` / `allow_failure: true`, 0 when it must pass
    cwd: str = ""


@record
class Job:
    path: str
    line: int
    name: str
    system: str  # github, gitlab, pre-commit.ci, other
    key: str = ""  # the job's id in its file (what `needs:` names)
    after_workflow: bool = False  # GitHub `workflow_run`: runs after another workflow
    trigger: str = PR
    trigger_line: int = 0
    steps: list[Step] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    may_fail: int = 0
    calls: str = ""  # a local reusable workflow
    opaque: str = ""  # a remote reusable workflow / include we cannot read
    stage: int = -1  # GitLab: the stage's index


@record
class Pipeline:
    jobs: list[Job] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    opaque: list[str] = field(default_factory=list)  # what we could not read: remote includes, reusable workflows
    dead: list[str] = field(default_factory=list)  # CI files that no longer run, each with the reason (not counted)
    retired: list[tuple[Job, str]] = field(default_factory=list)  # jobs on a retired runner image, and the image (not counted)
    unknown: list[str] = field(default_factory=list)  # files named like another CI system's configuration, not read
    described: list[tuple[str, frozenset[str]]] = field(default_factory=list)  # CI outside the repo its docs describe, and what it runs


WORKFLOWS = re.compile(r"^\.github/workflows/[^/]+\.ya?ml$")
_OTHER_CI = re.compile(r"^(\.circleci/config\.ya?ml|\.travis\.ya?ml|(?:[^/]+/)*azure-pipelines[^/]*\.ya?ml|\.azure-pipelines/.*\.ya?ml|"
                       r"bitbucket-pipelines\.ya?ml|\.drone\.ya?ml|\.woodpecker\.ya?ml|\.woodpecker/[^/]+\.ya?ml|"
                       r"\.buildkite/[^/]*\.ya?ml|appveyor\.ya?ml|\.appveyor\.ya?ml|\.cirrus\.ya?ml|\.builds/[^/]+\.ya?ml|"
                       r"(?:[^/]+/){0,2}Jenkinsfile|[^/]*\.jenkinsfile|codefresh\.ya?ml|cloudbuild\.ya?ml|buildspec\.ya?ml|"
                       r"\.zuul\.ya?ml|zuul\.d/[^/]+\.ya?ml|\.gitea/workflows/[^/]+\.ya?ml|\.forgejo/workflows/[^/]+\.ya?ml)$")


SEMAPHORE = re.compile(r"^\.semaphore/[^/]+\.ya?ml$")
# CI systems whose files are not read at all: their pipeline is elsewhere, and not judged.
_UNREAD_CI = (
    (re.compile(r"^codeship-(steps|services)\.ya?ml$"), "Codeship"),
    (re.compile(r"^\.tekton/[^/]+\.ya?ml$"), "Tekton"),
    (re.compile(r"^\.taskcluster\.ya?ml$"), "Taskcluster"),
    (re.compile(r"^(ci/)?(concourse|\.concourse)/[^/]+\.ya?ml$|^ci/pipelines?(/[^/]+)?\.ya?ml$"), "Concourse"),
    (re.compile(r"^bamboo-specs/"), "Bamboo"),
    (re.compile(r"^\.teamcity/"), "TeamCity"),
    (re.compile(r"(^|/)[^/]*\.gocd\.ya?ml$|^\.gocd/"), "GoCD"),
    (re.compile(r"^\.harness/[^/]+\.ya?ml$"), "Harness"),
    (re.compile(r"^buddy\.ya?ml$"), "Buddy"),
    (re.compile(r"^wercker\.ya?ml$"), "Wercker"),
    (re.compile(r"^shippable\.ya?ml$"), "Shippable"),
    (re.compile(r"^\.scrutinizer\.ya?ml$"), "Scrutinizer"),
)


# A file at the top named like a CI configuration of a system not known here (`.freeipa-pr-ci.yaml`, a project's
# own pull-request CI): with no other CI read, "no CI configuration found" is not said as a fact.
_UNKNOWN_CI = re.compile(r"^\.?[\w.-]*[-_.]ci\.ya?ml$", re.I)
# Folders whose CI files are someone else's (a vendored library, test data): Azure Pipelines files are read at any depth
_VENDORED = re.compile(r"(^|/)(node_modules|vendor|vendored|third_party|third-party|site-packages|fixtures|testdata|test_data|"
                       r"tests?/data|_vendor|external|extern|submodules?)/", re.I)


def read(repo: Repo) -> Pipeline:
    pipeline = Pipeline()
    workflows = [f for f in repo.files if WORKFLOWS.match(f)]
    if workflows:
        _github(repo, workflows, pipeline)
    if repo.exists(".gitlab-ci.yml"):
        _gitlab(repo, pipeline)
    semaphore = [f for f in repo.files if SEMAPHORE.match(f)]
    if semaphore:
        _semaphore(repo, semaphore, pipeline)
    for path in repo.files:
        for pattern, system in _UNREAD_CI:
            if pattern.search(path):
                pipeline.opaque.append(f"{path}: {system} pipelines are not read here")
                break
        else:
            if _UNKNOWN_CI.match(path) and not _OTHER_CI.match(path) and "compose" not in path \
                    and path not in (".gitlab-ci.yml", ".gitlab-ci.yaml"):
                pipeline.unknown.append(f"{path}: named like the configuration of a CI system this hook does not read")
    for path in repo.files:
        if _OTHER_CI.match(path) and not _VENDORED.search(path):
            _other(repo, path, pipeline)
            if path.startswith(".circleci/config."):
                _circleci_continued(repo, path, pipeline)
    _handoffs(repo, pipeline)
    _drop_dead_travis(repo, pipeline, bool(workflows))
    _described(repo, pipeline)
    _hosted_linters(repo, pipeline)
    return pipeline


# Hosted pull-request linters configured by a file in the repo (the app is installed on the repository; it lints
# every pull request, as pre-commit.ci does): file -> (app, section holding the linter's name, its default linter)
_HOSTED_LINTERS = {".pep8speaks.yml": ("PEP8Speaks", "scanner", "pycodestyle"),
                   ".pep8speaks.yaml": ("PEP8Speaks", "scanner", "pycodestyle")}
HOSTED = frozenset({"pre-commit.ci", "hosted"})  # jobs of an app, not a pipeline of the repo's: no finding goes there


def _hosted_linters(repo: Repo, pipeline: Pipeline) -> None:
    """``.pep8speaks.yml`` (``scanner: linter: pycodestyle``): PEP8Speaks lints every pull request."""
    for path, (app, section, default) in _HOSTED_LINTERS.items():
        if not repo.exists(path):
            continue
        doc = repo.doc(path)
        top = root(doc) if doc is not None else None
        if top is None:
            continue
        holder = top.get(section)
        linter = (holder.text("linter") if holder is not None else None) or default
        line = holder.at if holder is not None else 1
        job = Job(path, line, app, "hosted", trigger=PR, trigger_line=line)
        job.steps.append(Step(path, line, Command((str(linter),), line, False, app)))
        pipeline.jobs.append(job)


# ---- CI outside the repo, described in its docs --------------------------------------------------------------

_PROSE_DOCS = re.compile(r"^(?:\.github/|docs?/(?:[^/]+/){0,2})?(readme|contributing|hacking|development|developing|"
                         r"developers?|testing)(\.(md|rst|txt|markdown|adoc))?$", re.I)
# (pattern, system, files that hold its configuration in a repo: when present it is read, or named as a part
# that cannot be read, not described)
_EXTERNAL_CI = (
    (re.compile(r"\bjenkins\b", re.I), "Jenkins", ("Jenkinsfile", ".jenkinsfile")),
    (re.compile(r"\bbuildkite\b", re.I), "Buildkite", (".buildkite/",)),
    (re.compile(r"\bteamcity\b", re.I), "TeamCity", (".teamcity/",)),
    (re.compile(r"\bzuul\b", re.I), "Zuul", (".zuul.yaml", ".zuul.yml", "zuul.d/")),
    (re.compile(r"\bbamboo\b", re.I), "Bamboo", ("bamboo-specs/",)),
    (re.compile(r"\bbuildbot\b", re.I), "Buildbot", ()),
    (re.compile(r"\bhudson\b", re.I), "Hudson", ()),
    (re.compile(r"\bprow\b", re.I), "Prow", ()),
    (re.compile(r"\btaskcluster\b", re.I), "Taskcluster", (".taskcluster.yml",)),
    (re.compile(r"\bpr[- ]ci\b", re.I), "a pull-request CI", ()),
)
_PROSE_TRIGGER = re.compile(r"\bpull[- ]requests?\b|\bPRs?\b|\bmerge[- ]requests?\b|\b(every|each)\s+(new\s+)?(commit|push|change|patch)",
                            re.I)
_PROSE_TESTS = re.compile(r"\b(unit[- ]?tests?|tests?[- ]suites?|(the|all)\s+(\w+\s+)?tests|tests?\s+(are|is)\s+run|runs?\s+(the\s+)?tests|"
                          r"pytest|nosetests|unittests?)\b", re.I)
_PROSE_LINT = re.compile(r"\b(pylint|flake8|pycodestyle|pep8|pyflakes|ruff|mypy|linters?|linting|code[- ]style|coding[- ]style|"
                         r"style[- ]checks?)\b", re.I)
_HEADING = re.compile(r"^(#{1,6}\s|[=\-~^\"'`*+#]{3,}\s*$)")


def _described(repo: Repo, pipeline: Pipeline) -> None:
    """A CI system whose configuration is not in the repo, which the README or the contributing guide says
    runs the tests or lint on pull requests (DMWM's Jenkins: "every pull request triggers ... unit tests,
    pylint, pycodestyle"): what it runs cannot be read here, so a missing item it covers is a notice. A
    mention in passing does not count: the same paragraph names the system and pull requests (or every
    commit), and it or the lines after it, in the same section, name the tests or a linter."""
    for path in repo.files:
        if not _PROSE_DOCS.match(path):
            continue
        text = repo.text(path) or ""
        lines = text.split("\n")
        start = 0
        while start < len(lines):
            if not lines[start].strip():
                start += 1
                continue
            end = start
            while end < len(lines) and lines[end].strip() and not (end > start and _HEADING.match(lines[end])):
                end += 1
            paragraph = " ".join(lines[start:end])
            found = _described_in(repo, path, paragraph, lines, start, end)
            if found is not None and all(found[0].split(" says ")[1] != d.split(" says ")[1] for d, _ in pipeline.described):
                pipeline.described.append(found)  # once per system and what it runs
            start = max(end, start + 1)


def _described_in(repo: Repo, path: str, paragraph: str, lines: list[str], start: int, end: int) -> tuple[str, frozenset[str]] | None:
    from hooks.checks.check_release_checklist import kinds as k

    if not _PROSE_TRIGGER.search(paragraph):
        return None
    for pattern, system, files in _EXTERNAL_CI:
        if not pattern.search(paragraph):
            continue
        if any(f.startswith(files) or f.endswith(files) for f in repo.files) if files else False:
            return None  # its configuration is in the repo: read, not described
        window = [paragraph]
        for line in lines[end:end + 25]:
            if _HEADING.match(line.strip()):
                break
            window.append(line)
        said = " ".join(window)
        kinds = frozenset(kind for kind, words in ((k.UNIT, _PROSE_TESTS), (k.LINT, _PROSE_LINT)) if words.search(said))
        if not kinds:
            return None
        what = " and ".join(w for w, kind in (("the tests", k.UNIT), ("lint", k.LINT)) if kind in kinds)
        return (f"{path}:{start + 1} says {system} runs {what} on pull requests; its configuration is not in the repo", kinds)
    return None


def _drop_dead_travis(repo: Repo, pipeline: Pipeline, actions: bool) -> None:
    """A ``.travis.yml`` that no longer runs is not the CI (otm-core's, last changed in 2017): the repo
    has GitHub Actions workflows and its README's build badge points to travis-ci.org (closed in 2021),
    or Travis tests only Python 2 while the project requires Python 3."""
    for path in (".travis.yml", ".travis.yaml"):
        if not repo.exists(path):
            continue
        why = _travis_dead(repo, path, actions)
        if why:
            pipeline.jobs = [j for j in pipeline.jobs if j.path != path]
            pipeline.files = [f for f in pipeline.files if f != path]
            pipeline.dead.append(f"{path} is not counted as CI: {why}")


_README = re.compile(r"^readme(\.(md|rst|txt|markdown))?$", re.I)


def _travis_dead(repo: Repo, path: str, actions: bool) -> str:
    if actions:
        for readme in (f for f in repo.files if "/" not in f and _README.match(f)):
            text = repo.text(readme) or ""
            if "travis-ci.org/" in text and "travis-ci.com/" not in text:
                return (f"{readme}'s build badge points to travis-ci.org, which stopped running builds in 2021, and "
                        "GitHub Actions workflows are the CI now")
    doc = repo.doc(path)
    top = root(doc) if doc is not None else None
    if top is None:
        return ""
    versions = [str(v.value).strip() for v in _travis_pythons(top)]
    if not versions or not all(re.match(r"^\d+(\.\d+)?$", v) for v in versions):
        return ""
    tested = ", ".join(sorted(set(versions)))
    if all(v.startswith("2") for v in versions):
        needs = _requires_python3(repo)
        return f"it tests only Python {tested} while {needs} requires Python 3" if needs else ""
    highest = max(_version(v) for v in versions)
    minimum = _minimum_python(repo)
    if minimum is not None and highest < minimum[0]:
        return f"it tests only Python {tested} while {minimum[1]}, so it cannot install the project"
    return ""


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:2])


# The oldest Python each Django release supports (its release notes).
_DJANGO_PYTHON = {(2, 0): (3, 4), (2, 1): (3, 5), (2, 2): (3, 5), (3, 0): (3, 6), (3, 1): (3, 6), (3, 2): (3, 6),
                  (4, 0): (3, 8), (4, 1): (3, 8), (4, 2): (3, 8), (5, 0): (3, 10), (5, 1): (3, 10), (5, 2): (3, 10),
                  (6, 0): (3, 12)}
_REQUIREMENTS = re.compile(r"(^|/)requirements[^/]*(/[^/]+)?\.(txt|in)$", re.I)


def _minimum_python(repo: Repo) -> tuple[tuple[int, ...], str] | None:
    """The oldest Python 3 the project can be installed on, and what says so: the lower bound of
    ``requires-python``/``python_requires``, or the oldest Python the Django every requirements file pins
    (``Django==6.0``) supports. None when nothing says."""
    bounds = (("pyproject.toml", r"requires-python\s*=\s*['\"]\s*(?:>=|~=|\^)\s*(3\.\d+)"),
              ("setup.cfg", r"python_requires\s*=\s*(?:>=|~=)\s*(3\.\d+)"),
              ("setup.py", r"python_requires\s*=\s*['\"]\s*(?:>=|~=)\s*(3\.\d+)"))
    for name, pattern in bounds:
        match = re.search(pattern, repo.text(name) or "", re.M) if repo.exists(name) else None
        if match:
            return _version(match.group(1)), f"{name} requires Python {match.group(1)} or later"
    pins = []
    for path in repo.files:
        if _REQUIREMENTS.search(path) and not _VENDORED.search(path):
            for match in re.finditer(r"^\s*django\s*==\s*(\d+)\.(\d+)", repo.text(path) or "", re.M | re.I):
                needs = _DJANGO_PYTHON.get((int(match.group(1)), int(match.group(2))))
                if needs is None:
                    return None  # a Django this table does not know (older or newer): not judged
                pins.append((needs, f"{path} pins Django=={match.group(1)}.{match.group(2)}, which needs Python "
                                    f"{'.'.join(map(str, needs))} or later"))
    return min(pins) if pins else None


def _travis_pythons(top: Node) -> Iterator[Node]:
    """The ``python:`` versions of a Travis config: top level, and each ``matrix``/``jobs`` ``include``."""
    for holder in (top, *(item for key in ("matrix", "jobs") for item in ((top.get(key) or Node(0, None)).get("include")
                                                                          or Node(0, None)).items())):
        node = holder.get("python")
        if node is None:
            continue
        yield from (node.items() if isinstance(node.value, list) else (node,))


def _requires_python3(repo: Repo) -> str:
    """The file that says the project needs Python 3 ('' when none does)."""
    checks = (
        ("pyproject.toml", r"requires-python\s*=\s*['\"][~>=^]*\s*3"),
        ("setup.cfg", r"python_requires\s*=\s*[~>=]*\s*3"),
        ("setup.py", r"python_requires\s*=\s*['\"][~>=]*\s*3"),
        ("runtime.txt", r"^python-3"),
        (".python-version", r"^3"),
        ("Pipfile", r"python_version\s*=\s*['\"]3"),
    )
    for name, pattern in checks:
        if repo.exists(name) and re.search(pattern, repo.text(name) or "", re.M):
            return name
    return ""


def _circleci_continued(repo: Repo, path: str, pipeline: Pipeline) -> None:
    """CircleCI dynamic configuration: a ``setup: true`` config only generates the real one (the
    continuation orb), usually from the other YAML under ``.circleci/`` (TANF-app's
    ``generate_config.sh`` concatenates ``.circleci/*/jobs.yml``): every such file is read as part
    of the pipeline. When there is none, the generated config cannot be read here."""
    doc = repo.doc(path)
    top = root(doc) if doc is not None else None
    setup = top.get("setup") if top is not None else None
    if setup is None or not (setup.value is True or str(setup.value).lower() == "true"):
        return
    parts = [f for f in repo.files if f.startswith(".circleci/") and f != path and f.endswith((".yml", ".yaml"))]
    for part in parts:
        before = len(pipeline.jobs)
        _other(repo, part, pipeline)
        if len(pipeline.jobs) == before and repo.text(part):
            pipeline.opaque.append(f"{part}: cannot be parsed")
    if not parts:
        pipeline.opaque.append(f"{path}: `setup: true` continues with a configuration generated at run time")


# A GitHub step that only starts another CI system's pipeline: (action or URL fragment, system, its files).
_HANDOFFS = (
    ("promiseofcake/circleci-trigger-action", "CircleCI", ".circleci/"),
    ("circleci-public/trigger-circleci-pipeline-action", "CircleCI", ".circleci/"),
    ("circleci.com/api/", "CircleCI", ".circleci/"),
    ("buildkite/trigger-pipeline-action", "Buildkite", ".buildkite/"),
    ("api.buildkite.com/", "Buildkite", ".buildkite/"),
    ("appleboy/jenkins-action", "Jenkins", "Jenkinsfile"),
    ("/buildwithparameters", "Jenkins", "Jenkinsfile"),
    ("azure/pipelines", "Azure Pipelines", "azure-pipelines"),
    ("semaphoreci.com/api/", "Semaphore", ".semaphore/"),
)


def _handoffs(repo: Repo, pipeline: Pipeline) -> None:
    """A workflow that hands the work to another CI system whose configuration is not read here (not in
    the repo) makes what that system runs unknown: the missing items become notices."""
    for job in pipeline.jobs:
        if job.system != "github":
            continue
        for step in job.steps:
            text = (step.uses or (step.command.text if step.command is not None else "")).lower()
            for marker, system, files in _HANDOFFS:
                if marker in text and not any(f.startswith(files) or f.endswith(files) for f in pipeline.files):
                    pipeline.opaque.append(f"{job.path}: hands the build to {system}, whose configuration is not here")
                    break


def with_cwd(found: Sequence[Command], cwd: str) -> Iterator[tuple[Command, str]]:
    """Each command with the folder it runs in: ``cd backend && make test`` runs make in backend/."""
    for command in found:
        if command.words[:1] == ("cd",) and len(command.words) == 2:
            target = command.words[1]
            if "$" in target or target.startswith(("/", "~")):
                continue
            cwd = posixpath.normpath(posixpath.join(cwd, target)) if cwd else posixpath.normpath(target)
            cwd = "" if cwd == "." else cwd
            continue
        yield command, cwd


# ---- GitHub Actions --------------------------------------------------------------

_ACTIONS = (  # action (lower case, no @ref) prefix -> the command it amounts to
    ("pre-commit/action", "pre-commit run --all-files"),
    ("j178/prek-action", "prek run --all-files"),
    ("super-linter/super-linter", "flake8"),
    ("github/super-linter", "flake8"),
    ("oxsecurity/megalinter", "flake8"),
    ("trunk-io/trunk-action", "flake8"),
    ("pypa/gh-action-pypi-publish", "twine upload dist/*"),
    ("astral-sh/ruff-action", "ruff check"),
    ("chartboost/ruff-action", "ruff check"),
    ("psf/black", "black --check ."),
    ("py-actions/flake8", "flake8"),
    ("truebrain/actions-flake8", "flake8"),
    ("suo/flake8-github-action", "flake8"),
    ("reviewdog/action-flake8", "flake8"),
    ("reviewdog/action-mypy", "mypy"),
    ("tsuyoshicho/action-mypy", "mypy"),
    ("jpetrucciani/mypy-check", "mypy"),
    ("sasanquaneuf/mypy-github-action", "mypy"),
    ("jpetrucciani/ruff-check", "ruff check"),
    ("jakebailey/pyright-action", "pyright"),
    ("isort/isort-action", "isort --check"),
    ("jamescurtin/isort-action", "isort --check-only"),
    ("ricardochaves/python-lint", "flake8"),
    ("cypress-io/github-action", "cypress run"),
    ("isbang/compose-action", "docker compose up -d"),
    ("hoverkraft-tech/compose-action", "docker compose up -d"),
    ("redhat-actions/push-to-registry", "docker push"),
    # actions that start a database on the runner
    ("ankane/setup-postgres", "systemctl start postgresql"),
    ("ankane/setup-mariadb", "systemctl start mariadb"),
    ("ankane/setup-mysql", "systemctl start mysql"),
    ("ankane/setup-mongodb", "systemctl start mongodb"),
    ("ankane/setup-elasticsearch", "systemctl start elasticsearch"),
    ("ankane/setup-opensearch", "systemctl start opensearch"),
    ("ikalnytskyi/action-setup-postgres", "systemctl start postgresql"),
    ("harmon758/postgresql-action", "systemctl start postgresql"),
    ("shogo82148/actions-setup-mysql", "systemctl start mysql"),
    ("mirromutth/mysql-action", "systemctl start mysql"),
    ("getong/mariadb-action", "systemctl start mariadb"),
    ("supercharge/redis-github-action", "systemctl start redis"),
    ("supercharge/mongodb-github-action", "systemctl start mongodb"),
    ("shogo82148/actions-setup-redis", "systemctl start redis"),
)


# actions that run a command line given as an input, and that input
_COMMAND_INPUTS = {"paambaati/codeclimate-action": "coverageCommand", "nick-fields/retry": "command",
                   "nick-invision/retry": "command", "wandalen/wretry.action": "command"}


def _command_input(uses: str, options: dict[str, str]) -> str | None:
    name = uses.split("@")[0].lower().rstrip("/")
    key = _COMMAND_INPUTS.get(name)
    return options.get(key) or None if key else None


def _action_command(uses: str, options: dict[str, str], line: int) -> Command | None:
    name = uses.split("@")[0].lower().rstrip("/")
    if name.startswith(("docker/build-push-action", "docker/bake-action")):
        push = options.get("push", "false").strip().lower()
        return Command(("docker", "push"), line, False, uses) if push not in ("false", "", "no") else None
    if name == "wearerequired/lint-action" or name.startswith("wearerequired/lint-action/"):
        return _lint_action(options, line, uses)
    for prefix, text in _ACTIONS:
        if prefix == "jamescurtin/isort-action" and (name == prefix or name.startswith(prefix + "/")):
            configuration = options.get("configuration", "--check-only")  # the action's default checks
            if "--check" not in configuration and "-c " not in f"{configuration} ":
                return None
        if name == prefix or name.startswith(prefix + "/"):
            if prefix == "psf/black" and "--check" not in options.get("options", "--check") and "--diff" not in options.get("options", ""):
                return None
            if prefix == "astral-sh/ruff-action" and options.get("args", "").strip().startswith("format") and "--check" not in options.get("args", ""):
                return None
            if prefix == "pypa/gh-action-pypi-publish":
                index = options.get("repository-url") or options.get("repository_url") or ""
                return Command((*words_of(text), "--repository-url", index) if index else words_of(text), line, False, uses)
            return Command(words_of(text), line, False, uses)
    return None


# wearerequired/lint-action: the Python linters it runs when their input is true; a formatter only checks
# (fails the step) without auto_fix, a linter fails it either way
_LINT_ACTION_CHECKERS = (("flake8", "flake8"), ("pylint", "pylint"), ("mypy", "mypy"), ("ruff", "ruff check"))
_LINT_ACTION_FORMATTERS = (("black", "black --check ."), ("autopep8", "autopep8 --diff --exit-code ."))


def _lint_action(options: dict[str, str], line: int, uses: str) -> Command | None:
    def on(key: str) -> bool:
        return options.get(key, "").strip().lower() in ("true", "yes", "1")

    fixing = on("auto_fix")
    for key, text in _LINT_ACTION_CHECKERS + (() if fixing else _LINT_ACTION_FORMATTERS):
        if on(key):
            return Command(words_of(text), line, False, uses)
    return None


def _triggers(top: Node) -> tuple[str, int, bool]:
    """(best trigger class, line of `on:`, also callable)."""
    on = top.get("on")
    if on is None:
        on = top.get("true")  # YAML 1.1 readers turn `on` into True
    if on is None:
        return MANUAL, 1, False
    events: dict[str, Node | None] = {}
    if isinstance(on.value, dict):
        events = dict(on.value)
    else:
        for item in on.items():
            if isinstance(item.value, str):
                events[item.value] = None
    best = MANUAL
    callable_ = "workflow_call" in events
    for event, config in events.items():
        found = MANUAL
        if event in ("pull_request", "pull_request_target", "merge_group", "workflow_run"):
            found = PR
        elif event == "push":
            found = _push_class(config)
        elif event in ("release", "registry_package", "create"):
            found = RELEASE
        elif event == "workflow_call":
            found = CALLED
        if _RANK[found] < _RANK[best]:
            best = found
    return best, on.at, callable_


def _push_class(config: Node | None) -> str:
    if config is None or not isinstance(config.value, dict):
        return PR
    branches = config.get("branches")
    if config.get("branches-ignore") is not None:
        return PR
    if branches is None:
        return RELEASE if config.get("tags") is not None or config.get("tags-ignore") is not None else PR
    names = [str(b.value) for b in branches.items()]
    if any("*" in n for n in names if not n.startswith("!")):
        return PR
    return BRANCH


def _may_fail(node: Node, key: str) -> int:
    value = node.get(key)
    if value is None:
        return 0
    if value.value is True or (isinstance(value.value, str) and value.value.strip().lower() == "true"):
        return value.at
    return 0


def _github(repo: Repo, workflows: Sequence[str], pipeline: Pipeline) -> None:
    parsed: dict[str, tuple[Node, str, int, bool]] = {}
    after_workflow: dict[str, bool] = {}
    for path in workflows:
        doc = repo.doc(path)
        top = root(doc) if doc is not None else None
        if top is None or not isinstance(top.get("jobs"), Node):
            if top is None and repo.text(path):
                pipeline.opaque.append(f"{path}: cannot be parsed")
            continue
        trigger, line, callable_ = _triggers(top)
        parsed[path] = (top, trigger, line, callable_)
        on = top.get("on") or top.get("true")
        after_workflow[path] = on is not None and (on.get("workflow_run") is not None or any(i.value == "workflow_run" for i in on.items()))
        pipeline.files.append(path)
    for path, (top, trigger, line, _callable) in parsed.items():
        default_cwd = _working_directory(top)
        for job_id, node in (top.get("jobs") or Node(0, {})).mapping().items():
            name = node.text("name") or job_id
            job = Job(path, node.at, job_id if "${{" in name else name, "github", key=job_id, trigger=trigger, trigger_line=line)
            job.after_workflow = after_workflow[path]
            job.needs = [str(n.value) for n in (node.get("needs") or Node(0, None)).items() if isinstance(n.value, str)]
            job.may_fail = _may_fail(node, "continue-on-error")
            for service in (node.get("services") or Node(0, {})).mapping().values():
                image = service.text("image") if isinstance(service.value, dict) else str(service.value or "")
                if image:
                    job.services.append(image)
            uses = node.text("uses")
            if uses:
                if uses.startswith("./"):
                    job.calls = posixpath.normpath(uses.split("@")[0])
                    called = parsed.get(job.calls)
                    inputs = _options(node.get("with"))
                    if called is not None and inputs:  # the called jobs' steps, with this caller's inputs
                        for inner in (called[0].get("jobs") or Node(0, {})).mapping().values():
                            for step in (inner.get("steps") or Node(0, None)).items():
                                job.steps.extend(_github_step(repo, job.calls, step, _working_directory(inner), 0,
                                                              _matrix(inner), inputs))
                else:
                    job.opaque = uses
                    pipeline.opaque.append(f"{path}: {uses}")
            cwd = _working_directory(node) or default_cwd
            steps = (node.get("steps") or Node(0, None)).items()
            reraised = _reraised(steps)
            matrix = _matrix(node)
            for step in steps:
                found = list(_github_step(repo, path, step, cwd, 0, matrix))
                if step.text("id") in reraised:
                    for each in found:
                        each.may_fail = 0  # a later step fails the job on its outcome
                job.steps.extend(found)
            _keep(pipeline, job, _retired_runner(node.get("runs-on"), matrix))
    # A reusable workflow's jobs are triggered by their callers.
    callers: dict[str, list[Job]] = {}
    for job in pipeline.jobs:
        if job.calls:
            callers.setdefault(job.calls, []).append(job)
    for job in pipeline.jobs:
        if job.path in callers and job.trigger in (CALLED, MANUAL):
            best = min((c.trigger for c in callers[job.path]), key=lambda t: _RANK[t])
            if _RANK[best] < _RANK[job.trigger]:
                job.trigger, job.trigger_line = best, callers[job.path][0].line
        elif job.trigger == CALLED:
            job.trigger = PR  # called from elsewhere: we cannot tell, so it counts


def _reraised(steps: list[Node]) -> set[str]:
    """Ids of steps allowed to fail whose failure a later step turns back into
    one (`if: steps.lint.outcome == 'failure'` then `run: exit 1`): the
    auto-fix-then-fail pattern."""
    out = set()
    for step in steps:
        condition = step.text("if") or ""
        run = step.text("run") or ""
        if not re.search(r"(^|[\s;&|])exit\s+[1-9]", run):
            run = ""  # a summary that only prints the outcomes fails nothing
        for match in re.finditer(r"steps\.([A-Za-z0-9_-]+)\.(outcome|conclusion)", condition + "\n" + run):
            out.add(match.group(1))
    return out


def _working_directory(node: Node) -> str:
    defaults = node.get("defaults")
    run = defaults.get("run") if defaults is not None else None
    value = run.text("working-directory") if run is not None else None
    return "" if not value or "${{" in value else posixpath.normpath(value)


def _options(node: Node | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (node.mapping() if node is not None else {}).items():
        if not isinstance(value.value, (dict, list)):
            out[key] = "" if value.value is None else str(value.value).lower() if isinstance(value.value, bool) else str(value.value)
    return out


# GitHub-hosted runner images GitHub has removed (a job asking for one is never picked up), with the date each
# was removed for good, from GitHub's changelog: a fixed list, never looked up.
RETIRED_RUNNERS = {
    "ubuntu-16.04": "2021-09-20",
    "ubuntu-18.04": "2023-04-03",
    "ubuntu-20.04": "2025-04-15",
    "macos-11": "2024-06-28",
    "macos-12": "2024-12-03",
}


def _keep(pipeline: Pipeline, job: Job, retired_image: str) -> None:
    """A job counts, unless it asks for a retired runner image: then it is set aside with the reason."""
    if not retired_image:
        pipeline.jobs.append(job)
        return
    pipeline.retired.append((job, retired_image))


def _retired_runner(runs_on: Node | None, matrix: dict[str, list[str]]) -> str:
    """The retired image a job's ``runs-on`` asks for ("" when it asks for one that still runs, or we cannot
    tell): a literal label, or ``${{ matrix.os }}`` whose every value is retired."""
    if runs_on is None or not isinstance(runs_on.value, str):
        return ""
    label = runs_on.value.strip()
    match = _MATRIX_REF.fullmatch(label)
    values = matrix.get(match.group(1), []) if match else [label]
    if values and all(v.strip() in RETIRED_RUNNERS for v in values):
        return values[0].strip()
    return ""


def _matrix(job: Node) -> dict[str, list[str]]:
    """``strategy.matrix`` values by key, ``include:`` entries too."""
    strategy = job.get("strategy")
    matrix = strategy.get("matrix") if strategy is not None else None
    out: dict[str, list[str]] = {}
    for key, value in (matrix.mapping() if matrix is not None else {}).items():
        entries = [value] if key != "include" else []
        if key == "include":
            for item in value.items():
                for k, v in item.mapping().items():
                    if isinstance(v.value, (str, int, float)):
                        out.setdefault(k, []).append(str(v.value))
        for entry in entries:
            for item in entry.items():
                if isinstance(item.value, (str, int, float)):
                    out.setdefault(key, []).append(str(item.value))
    return out


_MATRIX_REF = re.compile(r"\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}")


def _expand_matrix(text: str, matrix: dict[str, list[str]]) -> list[str]:
    """``run: ${{ matrix.command }}``: one text per value of the first key used."""
    match = _MATRIX_REF.search(text)
    if not match or not matrix.get(match.group(1)):
        return [text]
    key = match.group(1)
    return [_substitute(text, key, value) for value in dict.fromkeys(matrix[key])]


def _substitute(text: str, key: str, value: str) -> str:
    return _MATRIX_REF.sub(lambda m: value if m.group(1) == key else m.group(0), text)


_INPUT_REF = re.compile(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}")


def _github_step(repo: Repo, path: str, step: Node, cwd: str, depth: int, matrix: dict[str, list[str]] | None = None,
                 inputs: dict[str, str] | None = None) -> Iterator[Step]:
    may_fail = _may_fail(step, "continue-on-error")
    step_cwd = step.text("working-directory")
    if step_cwd and "${{" not in step_cwd:
        cwd = posixpath.normpath(posixpath.join(cwd, step_cwd)) if cwd else posixpath.normpath(step_cwd)
    run = step.get("run")
    if run is not None and isinstance(run.value, str):
        text = run.value
        if inputs:
            text = _INPUT_REF.sub(lambda m: inputs.get(m.group(1), m.group(0)), text)
        for expanded in _expand_matrix(text, matrix or {}):
            for command, where in with_cwd(commands(expanded, run.body_line), cwd):
                yield Step(path, command.line, command, "", {}, may_fail, where)
        return
    uses = step.text("uses") or ""
    if not uses:
        return
    options = _options(step.get("with"))
    given = _command_input(uses, options)
    if given is not None:  # codeclimate-action's coverageCommand, retry's command: the step runs them
        for command, where in with_cwd(commands(given, step.at), cwd):
            yield Step(path, step.at, command, uses, options, may_fail, where)
        return
    action = _action_command(uses, options, step.at)
    if action is not None:
        yield Step(path, step.at, action, uses, options, may_fail, cwd)
        return
    if uses.startswith("./") and depth == 0:  # a local composite action: its steps, one level
        for name in ("action.yml", "action.yaml"):
            action_file = posixpath.normpath(posixpath.join(uses, name))
            doc = repo.doc(action_file)
            top = root(doc) if doc is not None else None
            runs = top.get("runs") if top is not None else None
            if runs is not None:
                for inner in (runs.get("steps") or Node(0, None)).items():
                    for found in _github_step(repo, action_file, inner, cwd, depth + 1):
                        found.may_fail = found.may_fail or may_fail
                        yield found
                return
    yield Step(path, step.at, None, uses, options, may_fail, cwd)


# ---- GitLab CI ----------------------------------------------------------------

_GITLAB_RESERVED = frozenset({"image", "services", "stages", "types", "before_script", "after_script", "variables",
                              "cache", "include", "workflow", "default", "spec"})


def _gitlab(repo: Repo, pipeline: Pipeline) -> None:
    path = ".gitlab-ci.yml"
    doc = repo.doc(path)
    top = root(doc) if doc is not None else None
    if top is None:
        if repo.text(path):
            pipeline.opaque.append(f"{path}: cannot be parsed")
        return
    pipeline.files.append(path)
    definitions: dict[str, tuple[str, Node]] = {}
    for include in _includes(top):
        if isinstance(include, str):
            inc_doc = repo.doc(include)
            inc_top = root(inc_doc) if inc_doc is not None else None
            if inc_top is not None:
                pipeline.files.append(include)
                for key, node in inc_top.mapping().items():
                    definitions[key] = (include, node)
            elif not repo.exists(include):
                pipeline.opaque.append(f"{path}: include {include}")
        else:
            pipeline.opaque.append(f"{path}: include {include[1]}")
    for key, node in top.mapping().items():
        definitions[key] = (path, node)
    stages = [str(s.value) for s in (top.get("stages") or Node(0, None)).items()] or [".pre", "build", "test", "deploy", ".post"]
    default = top.get("default") or Node(0, {})
    workflow_class = _gitlab_rules_class(top.get("workflow"), PR)
    for name, (where, node) in definitions.items():
        if name in _GITLAB_RESERVED or name.startswith(".") or not isinstance(node.value, dict):
            continue
        merged = _extends(node, definitions, 0)
        if merged.get("script") is None and merged.get("trigger") is None:
            continue
        job = Job(where, node.at, name, "gitlab", key=name)
        job.trigger = _gitlab_job_class(merged)
        if _RANK[workflow_class] > _RANK[job.trigger]:
            job.trigger = workflow_class
        job.trigger_line = (merged.get("rules") or merged.get("only") or merged.get("when") or node).at
        failing = merged.get("allow_failure")
        job.may_fail = failing.at if failing is not None and failing.value is True else 0
        stage = merged.text("stage") or "test"
        job.stage = stages.index(stage) if stage in stages else -1
        job.needs = [str(n.text("job") if isinstance(n.value, dict) else n.value) for n in (merged.get("needs") or Node(0, None)).items()]
        for service in (merged.get("services") or default.get("services") or top.get("services") or Node(0, None)).items():
            image = service.text("name") if isinstance(service.value, dict) else str(service.value or "")
            if image:
                job.services.append(image)
        scripts = []
        for key in ("before_script", "script"):
            script = merged.get(key) or default.get(key) or top.get(key)
            if script is not None:
                scripts.append(script)
        variables = {**_variables(top), **_job_variables(node, definitions, 0)}
        matrix = _gitlab_matrix(merged)
        found = [c for script in scripts for line, text in _script_lines(script, definitions)
                 for expanded in _expand_variables(text, variables, matrix) for c in commands(expanded, line)]
        for command, cwd in with_cwd(found, ""):  # a job's script lines share one shell
            job.steps.append(Step(where, command.line, command, "", {}, 0, cwd))
        pipeline.jobs.append(job)


def _variables(holder: Node | None) -> dict[str, str]:
    """A ``variables:`` mapping as text (``VAR: {value: x, description: ...}`` too)."""
    node = holder.get("variables") if holder is not None else None
    out: dict[str, str] = {}
    for key, value in (node.mapping() if node is not None else {}).items():
        if isinstance(value.value, dict):
            text = value.text("value")
            if text is not None:
                out[key] = text
        elif value.value is not None and not isinstance(value.value, list):
            out[key] = ("true" if value.value else "false") if isinstance(value.value, bool) else str(value.value)
    return out


def _job_variables(node: Node, definitions: dict[str, tuple[str, Node]], depth: int) -> dict[str, str]:
    """A job's variables with its ``extends:`` parents' merged in first: GitLab merges
    ``variables:`` key by key (a template's ``VALIDATE_TOOL: ruff`` survives the job's own
    ``VALIDATE_TOOL_ARGS: check``), unlike the other keys a job replaces whole."""
    out: dict[str, str] = {}
    parents = node.get("extends")
    if parents is not None and depth <= 10:
        for parent in parents.items():
            found = definitions.get(str(parent.value))
            if found is not None:
                out.update(_job_variables(found[1], definitions, depth + 1))
    out.update(_variables(node))
    return out


def _gitlab_matrix(job: Node) -> dict[str, list[str]]:
    """``parallel: matrix:`` values by variable."""
    parallel = job.get("parallel")
    matrix = parallel.get("matrix") if parallel is not None else None
    out: dict[str, list[str]] = {}
    for entry in matrix.items() if matrix is not None else []:
        for key, value in entry.mapping().items():
            for item in value.items():
                if isinstance(item.value, (str, int, float)) and not isinstance(item.value, bool):
                    out.setdefault(key, []).append(str(item.value))
    return out


_SHELL_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def _expand_variables(text: str, variables: dict[str, str], matrix: dict[str, list[str]]) -> list[str]:
    """The script text with the job's own variables filled in (``"${VALIDATE_TOOL}" ${VALIDATE_TOOL_ARGS}``
    -> ``"ruff" check``); one text per value of the first ``parallel: matrix:`` variable it uses.
    Variables the file does not set (``$CI_COMMIT_SHA``, secrets) are left as they are."""
    if "$" not in text:
        return [text]
    used = [m.group(1) or m.group(2) for m in _SHELL_VAR.finditer(text)]
    key = next((name for name in used if name in matrix), None)
    choices = [{key: value} for value in dict.fromkeys(matrix[key])] if key else [{}]
    out = []
    for choice in choices:
        out.append(_fill(text, {**variables, **choice}))
    return out


def _fill(text: str, known: dict[str, str]) -> str:
    for _ in range(3):  # a variable set from another: VALIDATE_CMD: "$VALIDATE_TOOL check"
        new = _SHELL_VAR.sub(lambda m: known.get(m.group(1) or m.group(2), m.group(0)), text)
        if new == text:
            break
        text = new
    return text


def _includes(top: Node) -> Iterator[str | tuple[str, str]]:
    include = top.get("include")
    if include is None:
        return
    for item in include.items():
        if isinstance(item.value, str):
            if item.value.startswith(("http://", "https://")):
                yield ("remote", item.value)
            else:
                yield item.value.lstrip("/")
        elif isinstance(item.value, dict):
            local = item.text("local")
            if local:
                yield local.lstrip("/")
            else:
                kind = next(iter(item.mapping()), "include")
                yield (kind, f"{kind}: {item.text(kind) or ''}")


def _extends(node: Node, definitions: dict[str, tuple[str, Node]], depth: int) -> Node:
    parents = node.get("extends")
    if parents is None or depth > 10:
        return node
    merged: dict[str, Node] = {}
    for parent in parents.items():
        found = definitions.get(str(parent.value))
        if found is not None:
            merged.update(_extends(found[1], definitions, depth + 1).mapping())
    merged.update(node.mapping())
    return Node(node.line, merged, key_line=node.key_line)


def _script_lines(script: Node, definitions: dict[str, tuple[str, Node]], depth: int = 0) -> Iterator[tuple[int, str]]:
    if depth > 5:
        return
    if script.tag == "!reference":
        parts = [str(p.value) for p in script.items()]
        target = definitions[parts[0]][1] if parts and parts[0] in definitions else None
        for part in parts[1:]:
            target = target.get(part) if target is not None else None
        if target is not None:
            yield from _script_lines(target, definitions, depth + 1)
        return
    if isinstance(script.value, str):
        yield script.body_line, script.value
        return
    for item in script.items():
        if item is not script:
            yield from _script_lines(item, definitions, depth + 1)


_DEFAULT_ONLY = re.compile(r"\$CI_COMMIT_(BRANCH|REF_NAME)\s*==\s*(\$CI_DEFAULT_BRANCH|[\"']?(main|master|trunk|develop|production|release)[\"']?)"
                           r"|\$CI_COMMIT_TAG|\$CI_DEFAULT_BRANCH\s*==\s*\$CI_COMMIT_(BRANCH|REF_NAME)")
_MANUAL_SOURCE = re.compile(r"\$CI_PIPELINE_SOURCE\s*==\s*[\"']?(schedule|web|api|trigger|pipeline)")


def _gitlab_rules_class(holder: Node | None, fallback: str) -> str:
    rules = holder.get("rules") if holder is not None else None
    if rules is None:
        return fallback
    best = None
    for rule in rules.items():
        if not isinstance(rule.value, dict):
            continue
        if (rule.text("when") or "") == "never":
            continue
        condition = rule.text("if") or ""
        if (rule.text("when") or "") == "manual":
            found = MANUAL
        elif not condition or "merge_request" in condition.lower() or "CI_OPEN_MERGE_REQUESTS" in condition:
            found = PR
        elif _MANUAL_SOURCE.search(condition) and "||" not in condition:
            found = MANUAL
        elif _DEFAULT_ONLY.search(condition) and "||" not in condition and "!=" not in condition:
            found = BRANCH
        else:
            found = PR  # a condition we cannot judge counts as running
        if best is None or _RANK[found] < _RANK[best]:
            best = found
    return best or MANUAL


def _gitlab_job_class(job: Node) -> str:
    if (job.text("when") or "") == "manual":
        return MANUAL
    if job.get("rules") is not None:
        return _gitlab_rules_class(job, PR)
    only = job.get("only")
    if only is not None:
        refs = only.get("refs") if isinstance(only.value, dict) else only
        names = [str(r.value) for r in (refs.items() if refs is not None else [])]
        if not names or any(n in ("merge_requests", "branches", "pushes", "external_pull_requests", "external")
                            or n.startswith("/") for n in names):
            return PR
        if all(n in ("schedules", "web", "api", "triggers", "pipelines") for n in names):
            return MANUAL
        return BRANCH if any(n not in ("tags",) for n in names) else RELEASE
    return PR


# ---- Semaphore ----------------------------------------------------------------------


def _semaphore(repo: Repo, files: Sequence[str], pipeline: Pipeline) -> None:
    """Semaphore 2.0: ``.semaphore/semaphore.yml`` is the pipeline every push and pull request runs; its
    ``promotions:`` start other pipeline files (deploys) after it, automatically on a condition or by hand.
    A pipeline is ``blocks:``, each with a ``task:`` of ``jobs:`` whose ``commands`` run after the task's
    (and ``global_job_config``'s) ``prologue``. Blocks run one after the other unless they declare
    ``dependencies:``. ``run: when:`` / ``skip: when:`` conditions limit a block to branches or tags."""
    entry = next((f for f in files if posixpath.basename(f) in ("semaphore.yml", "semaphore.yaml")), None)
    todo: list[tuple[str, str, bool]] = [(entry, PR, False)] if entry else [(f, PR, False) for f in files]
    seen: set[str] = set()
    while todo:
        path, trigger, promoted = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        doc = repo.doc(path)
        top = root(doc) if doc is not None else None
        if top is None or top.get("blocks") is None:
            if repo.text(path):
                pipeline.opaque.append(f"{path}: cannot be parsed")
            continue
        pipeline.files.append(path)
        _semaphore_pipeline(path, top, trigger, promoted, pipeline)
        for promotion in (top.get("promotions") or Node(0, None)).items():
            target = promotion.text("pipeline_file")
            if not target:
                continue
            target = posixpath.normpath(posixpath.join(".semaphore", target))
            auto = promotion.get("auto_promote")
            condition = (auto.text("when") or "") if auto is not None else (promotion.text("auto_promote_on") or "")
            found = _semaphore_condition(condition, False) if condition else MANUAL
            todo.append((target, found if _RANK[found] >= _RANK[trigger] else trigger, True))


def _semaphore_pipeline(path: str, top: Node, trigger: str, promoted: bool, pipeline: Pipeline) -> None:
    common = _semaphore_commands(top.get("global_job_config"), "prologue")
    env = _semaphore_env(top.get("global_job_config"))
    blocks = (top.get("blocks") or Node(0, None)).items()
    explicit = any(block.get("dependencies") is not None for block in blocks)
    keys: dict[str, list[str]] = {}
    previous: list[str] = []
    for index, block in enumerate(blocks):
        name = block.text("name") or f"block {index + 1}"
        task = block.get("task") or Node(0, {})
        prologue = _semaphore_commands(task, "prologue")
        block_env = {**env, **_semaphore_env(task)}
        block_trigger = _semaphore_block_class(block, trigger)
        needs = [key for dep in (block.get("dependencies") or Node(0, None)).items() for key in keys.get(str(dep.value), [])] \
            if explicit else list(previous)
        keys[name] = []
        for number, node in enumerate((task.get("jobs") or Node(0, None)).items()):
            job_name = node.text("name") or f"job {number + 1}"
            job = Job(path, node.at, f"{name}: {job_name}", "semaphore", key=f"{name}/{job_name}", trigger=block_trigger,
                      trigger_line=(block.get("run") or block.get("skip") or block).at, after_workflow=promoted)
            job.needs = needs
            variables = {**block_env, **_semaphore_env(node)}
            for line, text in [*common, *prologue, *_semaphore_commands(node, "")]:
                for expanded in _expand_variables(text, variables, {}):
                    for command, cwd in with_cwd(commands(expanded, line), ""):
                        job.steps.append(Step(path, command.line, command, cwd=cwd))
            keys[name].append(job.key)
            pipeline.jobs.append(job)
        previous = keys[name] or previous


def _semaphore_commands(holder: Node | None, section: str) -> list[tuple[int, str]]:
    node = holder.get(section) if holder is not None and section else holder
    found = node.get("commands") if node is not None else None
    return [(item.body_line, item.value) for item in (found or Node(0, None)).items() if isinstance(item.value, str)]


def _semaphore_env(holder: Node | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in ((holder.get("env_vars") if holder is not None else None) or Node(0, None)).items():
        name, value = item.text("name"), item.text("value")
        if name and value is not None:
            out[name] = value
    return out


def _semaphore_block_class(block: Node, trigger: str) -> str:
    run = block.get("run")
    skip = block.get("skip")
    found = PR
    if run is not None and run.text("when"):
        found = _semaphore_condition(str(run.text("when")), False)
    elif skip is not None and skip.text("when"):
        found = _semaphore_condition(str(skip.text("when")), True)
    return found if _RANK[found] > _RANK[trigger] else trigger


_SEMAPHORE_BRANCH = re.compile(r"\bbranch\s*(=|!=)\s*'(main|master|trunk|develop|production|release)'", re.I)


def _semaphore_condition(condition: str, skip: bool) -> str:
    """The trigger class a ``when:`` condition leaves a block (``skip: when:`` reversed)."""
    text = condition.lower()
    if "pull_request" in text or "change_in" in text or " or " in text:
        return PR
    branch = _SEMAPHORE_BRANCH.search(condition)
    if branch:
        runs_on_named = (branch.group(1) == "=") != skip
        return BRANCH if runs_on_named else PR
    if re.search(r"\btag\s*=~", text) and not skip:
        return RELEASE
    return PR


# ---- other CI systems, read loosely ---------------------------------------------

_SCRIPT_KEYS = frozenset({"script", "scripts", "run", "command", "commands", "before_script", "install", "before_install",
                          "test_script", "build_script", "bash", "pwsh", "powershell", "inline", "cmd", "steps", "test",
                          "build", "after_success", "deploy", "inlineScript", "args"})


def _other(repo: Repo, path: str, pipeline: Pipeline) -> None:
    text = repo.text(path)
    if text is None:
        return
    job = Job(path, 1, posixpath.basename(path), "other")
    if path.endswith(("Jenkinsfile", ".jenkinsfile")):
        for match in re.finditer(r"\bsh\s*\(?\s*(?:script\s*:\s*)?('''|\"\"\"|'|\")(.*?)\1", text, re.S):
            line = text.count("\n", 0, match.start(2)) + 1
            for command in commands(match.group(2), line):
                job.steps.append(Step(path, command.line, command))
        library = _library_steps(text)
        for name, line in library:
            script = _named_script(repo, name)
            if script:
                for command in commands(f"./{script}", line):
                    job.steps.append(Step(path, command.line, command))
        if library:
            named = ", ".join(f"`{name}`" for name, _ in library[:3])
            pipeline.opaque.append(f"{path}: runs {named}, step{'s' if len(library) > 1 else ''} of a Jenkins shared "
                                   "library that is not in the repo")
    else:
        doc = repo.doc(path)
        if _ZUUL.search(path):
            pipeline.unknown.append(_zuul_unread(path, doc))
            return  # Zuul runs playbooks of jobs and templates its file names, most of them defined in another repo
        top = root(doc) if doc is not None else None
        if top is None:
            return
        travis = posixpath.basename(path) in (".travis.yml", ".travis.yaml")
        variables, matrix = _travis_env(top) if travis else ({}, {})
        azure = "azure-pipelines" in path
        if azure and "/" in path.replace(".azure-pipelines/", "") and not any(top.get(key) is not None for key in ("jobs", "stages", "steps")):
            return  # named like a pipeline deep in the tree but holding none
        parts = [(path, top)] + (_azure_templates(repo, path, top, pipeline) if azure else [])
        for where, part in parts:
            for line, value in _strings(part, False, 0):
                texts = _expand_variables(value, variables, matrix) if matrix or variables else [value]
                for command, cwd in with_cwd([c for text in texts for c in commands(text, line)], ""):
                    job.steps.append(Step(where, command.line, command, cwd=cwd))
        if travis:
            job.trigger, job.trigger_line = _travis_trigger(top)
        for image in _images(top, 0):
            job.services.append(image)
    pipeline.files.append(path)
    pipeline.jobs.append(job)


_ZUUL = re.compile(r"(^|/)\.?zuul(\.d/[^/]+)?\.ya?ml$")


def _zuul_unread(path: str, doc: Document | None) -> str:
    """What a Zuul file runs is not in it: its project stanza names templates and jobs (``openstack-python3-jobs``,
    which runs ``tox -e pep8`` and ``py3``) defined in another repository, and its own jobs run playbooks."""
    names: list[str] = []
    for entry in doc.entries if doc is not None and doc.error is None else ():
        if len(entry.path) == 4 and entry.path[1:3] == ("project", "templates") and isinstance(entry.value, str):
            names.append(entry.value)
    said = f" (templates {', '.join(f'`{n}`' for n in names[:3])}{', ...' if len(names) > 3 else ''})" if names else ""
    return f"{path}: Zuul jobs and templates{said} are defined outside the repo"


# Jenkins steps and Groovy words that are not a shared library's: the pipeline's own syntax, the built-in and
# common plugin steps. A statement starting with any other name (`builderProjectTests 'app--ci', '/srv/app'`,
# `servicePipeline(...)`, `lib.runTests()`) calls a step defined elsewhere, which may run anything.
_JENKINS_KNOWN = frozenset("""
def if else for while try catch finally return switch case default throw import new void private static public
println print assert break continue String boolean int Map List Closure
pipeline agent any none label node docker dockerfile kubernetes stages stage steps post always success failure
unstable changed fixed regression aborted cleanup unsuccessful environment options parameters triggers tools when
branch expression allOf anyOf not tag changeRequest buildingTag changelog changeset equals beforeAgent input
parallel matrix axes axis name values excludes exclude script libraries lib library
sh bat powershell pwsh echo error checkout git scm dir ws withEnv withCredentials timeout retry sleep lock milestone
stash unstash archiveArtifacts archive junit deleteDir cleanWs writeFile readFile fileExists readJSON readYaml
writeJSON writeYaml readProperties load build catchError warnError timestamps ansiColor wrap withDockerContainer
withDockerRegistry withDockerServer container containerTemplate podTemplate properties pipelineTriggers
buildDiscarder logRotator disableConcurrentBuilds skipDefaultCheckout skipStagesAfterUnstable githubPush pollSCM
cron upstream string booleanParam choice text password credentials usernamePassword file sshUserPrivateKey
sshagent slackSend mail emailext step publishHTML publishChecks cobertura recordIssues recordCoverage jacoco
isUnix waitUntil withMaven withPythonEnv withSonarQubeEnv waitForQualityGate githubNotify tool xunit nodejs
withAWS s3Upload s3Download withKubeConfig container stepcounter setBuildStatus currentBuild env params
filename args image additionalBuildArgs reuseNode customWorkspace registryUrl registryCredentialsId alwaysPull
yaml yamlFile cloud inheritFrom defaultContainer namespace
""".split())
# Declarative directives whose blocks hold options, not steps (`agent { dockerfile { filename 'Dockerfile.ci';
# args '-u root' } }`, `tools { maven 'Maven 3' }`, `options { ... }`): their contents are not read for steps.
_JENKINS_DIRECTIVES = re.compile(r"\b(?:agent|options|environment|tools|parameters|triggers)\s*\{")


def _without_directives(bare: str) -> str:
    """``bare`` (strings and comments blanked) with the contents of the declarative directive blocks blanked too,
    line breaks kept."""
    out: list[str] = []
    start = 0
    for match in _JENKINS_DIRECTIVES.finditer(bare):
        if match.start() < start:
            continue  # inside a block already blanked
        level, j = 1, match.end()
        while j < len(bare) and level:
            level += {"{": 1, "}": -1}.get(bare[j], 0)
            j += 1
        out.append(bare[start:match.end()])
        out.append("\n" * bare.count("\n", match.end(), j - 1))
        start = j - 1 if not level else len(bare)
    out.append(bare[start:])
    return "".join(out)
# Objects whose methods are Jenkins' or Groovy's own (`docker.build(...)`, `env.X`, `currentBuild.result`).
_JENKINS_OBJECTS = frozenset({"docker", "env", "params", "currentBuild", "scm", "openshift", "this", "System", "Math",
                              "manager", "binding", "jenkins", "Jenkins", "agents"})
# Library steps that only report (notifications, build status): they run no checks.
_REPORTING = re.compile(r"notif|slack|mail|chat|teams|discord|status|badge|message|report|abort", re.I)


def _library_steps(text: str) -> list[tuple[str, int]]:
    """The steps a Jenkinsfile calls that are defined neither by Jenkins nor in the file: a shared library's
    (``@Library(...)``, or a global library configured on the server), in order."""
    bare = re.sub(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"",
                  lambda m: "''" + "\n" * m.group(0).count("\n"), text, flags=re.S)
    bare = re.sub(r"/\*.*?\*/|//[^\n]*", lambda m: "\n" * m.group(0).count("\n"), bare, flags=re.S)
    bare = _without_directives(bare)
    defined: set[str] = set()
    for signature in re.finditer(r"^\s*(?:def|void|private|public|static|[A-Z]\w*)\s+(?:\w+\s+)*?(\w+)\s*\(([^)]*)\)", bare, re.M):
        defined.update([signature.group(1), *re.findall(r"\w+", signature.group(2))])  # the function and its parameters
    defined.update(re.findall(r"\{\s*(\w+)\s*->", bare))  # closure parameters
    explicit = re.search(r"^\s*@Library\b|^\s*library\b", text, re.M) is not None
    assigned = set(re.findall(r"^\s*(?:def\s+)?(\w+)\s*=", bare, re.M))
    found: list[tuple[str, int]] = []
    for match in re.finditer(r"^[ \t]*([a-z_]\w*)(\.[A-Za-z_]\w*)?[ \t]*(\(|\{|''|[ \t]+[A-Za-z_$\[(\d])", bare, re.M):
        name, method = match.group(1), match.group(2) or ""
        if name in defined or name in assigned or _REPORTING.search(name + method) \
                or (name in _JENKINS_OBJECTS or not explicit if method else name in _JENKINS_KNOWN):
            continue
        if name + method not in (step for step, _ in found):
            found.append((name + method, bare.count("\n", 0, match.start(1)) + 1))
    return found


def _named_script(repo: Repo, step: str) -> str:
    """The script at the top of the repo a library step is named after, by the convention of such libraries
    (``builderProjectTests`` runs ``project_tests.sh``): the step's last two or more words, '' when none."""
    words = [w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", step.rsplit(".", 1)[-1])]
    for start in range(len(words) - 1):
        for joiner in ("_", "-"):
            script = joiner.join(words[start:]) + ".sh"
            if repo.exists(script):
                return script
    return ""


def _azure_templates(repo: Repo, path: str, top: Node, pipeline: Pipeline, depth: int = 0) -> list[tuple[str, Node]]:
    """The local templates an Azure pipeline uses (`- template: templates/test-jobs.yml`, a path from the file's
    folder, or from the repo's top when it starts with `/`), read with it; one chosen at run time
    (`templates/${{ variables.X }}`) or from another repository (`x.yml@tools`) cannot be read here."""
    found: list[tuple[str, Node]] = []
    for value in _template_values(top, 0):
        if "${{" in value or "$(" in value or "@" in value:
            note = f"{path}: template {value} is chosen at run time or lives in another repository"
            if note not in pipeline.opaque:
                pipeline.opaque.append(note)
            continue
        where = posixpath.normpath(value.lstrip("/") if value.startswith("/") else posixpath.join(posixpath.dirname(path), value))
        doc = repo.doc(where) if repo.exists(where) else None
        part = root(doc) if doc is not None else None
        if part is None:
            if not repo.exists(where):
                note = f"{path}: template {value} is not in the repo"
                if note not in pipeline.opaque:
                    pipeline.opaque.append(note)
            continue
        if any(w == where for w, _ in found):
            continue
        found.append((where, part))
        if depth < 2:
            found.extend(t for t in _azure_templates(repo, where, part, pipeline, depth + 1) if t[0] not in {w for w, _ in found})
    return found


def _template_values(node: Node, depth: int) -> Iterator[str]:
    if depth > 30:
        return
    if isinstance(node.value, dict):
        for key, child in node.value.items():
            if key == "template" and isinstance(child.value, str):
                yield child.value
            else:
                yield from _template_values(child, depth + 1)
    elif isinstance(node.value, list):
        for child in node.value:
            yield from _template_values(child, depth + 1)


_TRAVIS_ASSIGN = re.compile(r"""(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s]*)""")


def _travis_assignments(node: Node | None) -> list[dict[str, str]]:
    """The rows of a Travis ``env:`` value: ``A=1 B=2`` is one row, a list is one row per item
    (``secure:`` items hold nothing readable)."""
    if node is None:
        return []
    items = [node] if isinstance(node.value, str) else [i for i in node.items() if isinstance(i.value, str)]
    rows = []
    for item in items:
        row = {m.group(1): m.group(2).strip("\"'") for m in _TRAVIS_ASSIGN.finditer(str(item.value))}
        if row:
            rows.append(row)
    return rows


def _travis_entries(top: Node) -> list[Node]:
    """The ``matrix:``/``jobs:`` ``include:`` entries of a Travis file."""
    out: list[Node] = []
    for key in ("matrix", "jobs"):
        holder = top.get(key)
        include = holder.get("include") if holder is not None and isinstance(holder.value, dict) else None
        out.extend(e for e in (include.items() if include is not None else []) if isinstance(e.value, dict))
    return out


def _travis_env(top: Node) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(variables every job has, matrix variable -> its values) of a Travis file: ``env: global:``, and one
    value per row of ``env:`` (a string, a list, or ``env: matrix:``/``jobs:``) and per ``matrix.include[].env``
    / ``jobs.include[].env``, so ``tox -e $TOX_ENV`` is read once per env the matrix names."""
    env = top.get("env")
    variables: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    if env is not None and isinstance(env.value, dict):
        for row in _travis_assignments(env.get("global")):
            variables.update(row)
        rows.extend(_travis_assignments(env.get("matrix") or env.get("jobs")))
    else:
        rows.extend(_travis_assignments(env))
    for entry in _travis_entries(top):
        rows.extend(_travis_assignments(entry.get("env")))
    matrix: dict[str, list[str]] = {}
    for row in rows:
        for key, value in row.items():
            if value not in matrix.setdefault(key, []):
                matrix[key].append(value)
    return variables, matrix


_TRAVIS_TYPE = re.compile(r"^(NOT\s+)?type\s*(=|!=|==|IN|NOT\s+IN)\s*\(?([\w\s,]+?)\)?$", re.I)
_TRAVIS_BRANCH = re.compile(r"^branch\s*(=|==|IN)\s*\(?([\w\s,./-]+?)\)?$", re.I)
_TRAVIS_TAG = re.compile(r"^tag\s+IS\s+present$|^tag\s*=~", re.I)
_TRAVIS_TYPES = frozenset({"push", "pull_request", "cron", "api"})


def _travis_condition(condition: str) -> str:
    """The trigger class of a Travis ``if:`` condition that is one clause or clauses joined by AND:
    ``type = push`` runs on pushes to any branch (PR, as GitHub's ``on: push``), with ``branch = master``
    on pushes to named branches (BRANCH; ``branch = master`` alone still builds pull requests into
    master), ``tag IS present`` on tags (RELEASE), ``type IN (cron, api)`` by hand or on a schedule
    (MANUAL). Anything else (OR, env(), repo =, a fork test) counts as PR."""
    if re.search(r"\bOR\b|\|\|", condition, re.I):
        return PR
    types = set(_TRAVIS_TYPES)
    branch = tag = False
    for clause in re.split(r"\s+AND\s+|&&", condition.strip(), flags=re.I):
        clause = clause.strip().strip("()").strip()
        typed = _TRAVIS_TYPE.match(clause)
        if typed is not None:
            names = {n.strip().lower() for n in re.split(r"[\s,]+", typed.group(3)) if n.strip()}
            negated = bool(typed.group(1)) != (typed.group(2).upper().replace(" ", "") in ("!=", "NOTIN"))
            types = types - names if negated else types & names
        elif _TRAVIS_BRANCH.match(clause):
            branch = True
        elif _TRAVIS_TAG.match(clause):
            tag = True
    if tag:
        return RELEASE  # a pull request build has no tag
    if "pull_request" in types:
        return PR
    if "push" not in types:
        return MANUAL
    return BRANCH if branch else PR


def _travis_trigger(top: Node) -> tuple[str, int]:
    """(trigger class, its line) of a Travis file: its top-level ``if:`` when there is one; else, when every
    ``include:`` entry has an ``if:`` and the file builds no job of its own beside them (no ``env:`` rows,
    one Python), the best of the entries' classes."""
    condition = top.get("if")
    if condition is not None and isinstance(condition.value, str):
        return _travis_condition(condition.value), condition.at
    entries = _travis_entries(top)
    if not entries:
        return PR, 0
    env = top.get("env")
    own = env is not None and (_travis_assignments(env) if not isinstance(env.value, dict)
                               else _travis_assignments(env.get("matrix") or env.get("jobs")))
    pythons = top.get("python")
    if own or (pythons is not None and len(pythons.items()) > 1):
        return PR, 0
    found: list[tuple[str, int]] = []
    for entry in entries:
        node = entry.get("if")
        if node is None or not isinstance(node.value, str):
            return PR, 0
        found.append((_travis_condition(node.value), node.at))
    return min(found, key=lambda f: _RANK[f[0]])


_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ash"})


def _argv(node: dict[str, Node]) -> tuple[int, str] | None:
    """The command line of a step given in exec form, an argv list under ``args`` (Google Cloud Build, Tekton,
    Argo, Kubernetes): ``args: [python, manage.py, test]`` is ``python manage.py test``, after its ``entrypoint``
    (or a ``command`` list) when there is one. A shell given ``-c`` runs its script: ``entrypoint: bash`` with
    ``args: [-c, "…"]`` is the script. None when ``args`` is not a list of plain values."""
    args = node.get("args")
    if args is None or not isinstance(args.value, list) or not args.value \
            or not all(isinstance(item.value, (str, int, float)) for item in args.value):
        return None
    head: list[str] = []
    entry = node.get("entrypoint") or node.get("command")
    if entry is not None and isinstance(entry.value, str):
        head = [entry.value]
    elif entry is not None and isinstance(entry.value, list) and all(isinstance(i.value, str) for i in entry.value):
        head = [str(i.value) for i in entry.value]
    items = [(item.body_line, str(item.value)) for item in args.value]
    argv: list[tuple[int, str]] = [(entry.line if entry is not None else args.line, word) for word in head] + items
    if argv and posixpath.basename(argv[0][1]) in _SHELLS:
        for i, (_, word) in enumerate(argv[1:-1], 1):
            if re.fullmatch(r"-[a-z]*c", word):
                return argv[i + 1]  # the script; the words after it are its $0, $1, ...
    return argv[0][0], " ".join(_quoted(word) for _, word in argv)


def _quoted(word: str) -> str:
    return word if re.fullmatch(r"[\w@%+=:,./${}-]+", word) else "'" + word.replace("'", "'\"'\"'") + "'"


def _strings(node: Node, under_script: bool, depth: int) -> Iterator[tuple[int, str]]:
    if depth > 30:
        return
    if isinstance(node.value, dict):
        argv = _argv(node.value)
        if argv is not None:
            yield argv
        for key, child in node.value.items():
            if argv is not None and (key in ("args", "entrypoint") or key == "command" and isinstance(child.value, list)):
                continue
            yield from _strings(child, under_script or key in _SCRIPT_KEYS, depth + 1)
    elif isinstance(node.value, list):
        for child in node.value:
            yield from _strings(child, under_script, depth + 1)
    elif under_script and isinstance(node.value, str):
        yield node.body_line, node.value


def _images(node: Node, depth: int) -> Iterator[str]:
    if depth > 30:
        return
    if isinstance(node.value, dict):
        for key, child in node.value.items():
            if key in ("image", "services", "docker"):
                for item in child.items():
                    if isinstance(item.value, str):
                        yield item.value
                    elif isinstance(item.value, dict) and item.text("image"):
                        yield str(item.text("image"))
            yield from _images(child, depth + 1)
    elif isinstance(node.value, list):
        for child in node.value:
            yield from _images(child, depth + 1)


def precommit_ci_job(line: int) -> Job:
    """pre-commit.ci runs the hooks on every pull request when the app is installed."""
    job = Job(".pre-commit-config.yaml", line, "pre-commit.ci", "pre-commit.ci", trigger=PR, trigger_line=line)
    job.steps.append(Step(".pre-commit-config.yaml", line, Command(("pre-commit", "run", "--all-files"), line, False, "pre-commit.ci")))
    return job
