"""The rules, judged on the pipeline (:mod:`.pipeline`), the commands its
steps reach (:mod:`.reach`) and the project's versions (:mod:`.versions`)."""
from __future__ import annotations

import re

from hooks.checks.check_release_checklist import kinds as k
from hooks.checks.check_release_checklist.pipeline import CALLED, HOSTED, PR, Job, Pipeline
from hooks.checks.check_release_checklist.reach import Follower, Leaf, Repo, join, runs_tests
from hooks.core.records import field, record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

# rule -> on by default
RULES: dict[str, bool] = {
    "ci-no-lint": True,
    "ci-no-unit-tests": True,
    "ci-no-integration-check": True,
    "ci-no-staging-check": True,
    "ci-tests-allowed-to-fail": True,
    "ci-not-on-pull-requests": True,
    "version-sources-disagree": True,
    "tag-not-version": True,
    "publish-without-tests": True,
    "changelog-missing-release": False,
}
CI_RULES = tuple(r for r in RULES if r.startswith("ci-")) + ("publish-without-tests",)
CATEGORIES = (k.LINT, k.UNIT, k.INTEGRATION, k.STAGING)
_WHAT = {
    k.LINT: "a Python linter (ruff, flake8, pylint, black --check, mypy or pre-commit run)",
    k.UNIT: "the unit tests (pytest, python -m unittest, manage.py test, tox or nox)",
    k.INTEGRATION: "an integration check (docker compose up plus a request, a database under services: plus tests, "
                   "pytest -m integration, tests/integration, a browser test)",
    k.STAGING: "a staging-config check (check-staging-parity, the cleanup report, or pre-commit run with "
               "check-staging-parity in .pre-commit-config.yaml)",
}
_SHORT = {k.LINT: "lint", k.UNIT: "the unit tests", k.INTEGRATION: "the integration check", k.STAGING: "the staging-config check"}
_RULE_OF = {k.LINT: "ci-no-lint", k.UNIT: "ci-no-unit-tests", k.INTEGRATION: "ci-no-integration-check",
            k.STAGING: "ci-no-staging-check"}
_NAME_LINT = re.compile(r"(^|[-_:])(lint|linters?|linting|style|flake8|ruff|mypy|pylint|typecheck|type-check|types|"
                        r"check-format|format-check|static|quality|qa|pre-commit|precommit)([-_:]|$)", re.I)
_CONTAINER_TESTS = re.compile(r"^(tests?|unit[-_]?tests?|run[-_]?tests?|test[-_]?(all|unit|suite))$", re.I)
_NAME_UNIT = re.compile(r"(^|[-_:])(tests?|unit|unittests?|pytest|coverage|cov|py\d*)([-_:]|$)", re.I)


@record(frozen=True)
class Finding:
    rule: str
    path: str
    line: int
    message: str
    identity: tuple[str, ...] = ()


@record
class Facts:
    """What one job does, by category: where it runs each, and where it may fail."""

    required: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    swallowed: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)
    publishes: set[str] = field(default_factory=set)
    publish_line: int = 0
    scopes: list[tuple[str, ...]] = field(default_factory=list)  # the folders each required unit-test run collects
    # commands whose work cannot be seen, and why: a variable nobody sets (`$TOOL $ARGS`), a job handed to a cluster
    unknown: list[tuple[str, int, str, str]] = field(default_factory=list)
    opaque: list[str] = field(default_factory=list)  # tasks it runs whose definitions are not in the repo


def _leaf_kinds(leaf: Leaf, repo: Repo) -> set[str]:
    found = k.classify(leaf.words, repo.precommit_lint, repo.precommit_staging)
    head = k.base(leaf.words[0]) if leaf.words else ""
    if not found and head.endswith(".py") and not leaf.in_container and "$" not in leaf.words[0] \
            and runs_tests(repo, join(leaf.cwd, leaf.words[0])):
        # `coverage run ./all_tests.py` (a suite run with unittest.TextTestRunner), `coverage run tests/test_x.py`
        # (a module ending in unittest.main()): the project's own test run, read with ast
        found.add(k.UNIT)
        if k.name_says_integration(leaf.words[0]):
            found.add(k.INTEGRATION)
    if k.UNIT in found and k.LINT not in found and pytest_lints(repo, leaf):
        found.add(k.LINT)  # pytest.ini `addopts = --flake8 --black`: the test run lints (pytest-flake8, pytest-black)
    if head in ("make", "gmake", "just", "tox", "nox", "invoke") and leaf.names:
        # a target, environment or session we could not read: judged by its name
        name = leaf.names[-1]
        found.discard(k.UNIT)
        if _NAME_LINT.search(name):
            found.add(k.LINT)
        elif k.name_says_integration(name):
            found |= {k.UNIT, k.INTEGRATION}
        elif _NAME_UNIT.search(name) or head in ("tox", "nox") and name in ("tox", "nox"):
            found.add(k.UNIT)
    elif head in ("tox", "nox") and not leaf.names:
        found.add(k.UNIT)
    elif (found <= {k.UNIT} and leaf.names and head.endswith(".py") and _NAME_LINT.search(leaf.names[-1])
          and (not found or any(_NAME_LINT.search(w.lstrip("-")) for w in leaf.words[1:]))):
        # `./runtests.py --lint` as the whole of [testenv:py35-flake8]: the project's own Python runner, not
        # followed, judged by the environment's (target's, session's) name like one we could not read, when
        # nothing else is known of it or its arguments say lint too (then it is no test run)
        found = {k.LINT}
    elif leaf.in_container and not found:
        # `docker compose run --rm web tests`, `docker run $IMAGE lint` / `ci-test`: a word
        # that the image's entrypoint maps to a command (Baserow: `ci-test` -> make ci-test-python)
        alone = len(leaf.words) == 1
        if _CONTAINER_TESTS.match(head):
            found.add(k.UNIT)
        elif alone and _NAME_LINT.search(head):
            found.add(k.LINT)
        elif alone and _NAME_UNIT.search(head):
            found.add(k.UNIT)
    if k.UNIT in found and any(k.name_says_integration(n) for n in leaf.names):
        found.add(k.INTEGRATION)
    return found


# pytest plugins that lint the collected files and fail the run on a finding
_PYTEST_LINT_FLAGS = frozenset({"--flake8", "--black", "--pylint", "--mypy", "--isort", "--ruff", "--pycodestyle", "--pep8"})
# where pytest reads its settings, in its order, each with the section it must hold
_PYTEST_CONFIGS = (("pytest.ini", ("pytest",)), ("pyproject.toml", ("tool", "pytest", "ini_options")),
                   ("tox.ini", ("pytest",)), ("setup.cfg", ("tool:pytest",)))


def pytest_lints(repo: Repo, leaf: Leaf) -> bool:
    """A pytest run that lints: a lint plugin's flag (``--flake8``, ``--black``, ``--pylint``, ``--mypy``,
    ``--isort``, ``--ruff``) on its command line or in the ``addopts`` of the settings file pytest reads
    (the first of pytest.ini, pyproject.toml's [tool.pytest.ini_options], tox.ini's [pytest] and setup.cfg's
    [tool:pytest] with that section, in the run's folder or the nearest one above it; ``-c FILE`` names it)."""
    words = k.peel(leaf.words)
    if not words or k.base(words[0]) not in ("pytest", "py.test"):
        return False
    if any(w in _PYTEST_LINT_FLAGS for w in words[1:]):
        return True
    given = next((words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-c", "--config-file")), None)
    if given is not None:
        candidates = [(join(leaf.cwd, given), _section_for(given))]
    else:
        folder = leaf.cwd.strip("/")
        candidates = []
        while True:
            candidates += [(join(folder, name), section) for name, section in _PYTEST_CONFIGS]
            if not folder:
                break
            folder = folder.rpartition("/")[0]
    for path, section in candidates:
        if not repo.exists(path):
            continue
        doc = repo.doc(path)
        if doc is None:
            continue
        entries = [e for e in doc.entries if tuple(e.path[:len(section)]) == section]
        if not entries and not path.endswith("pytest.ini"):
            continue
        opts = [str(e.value) for e in entries if len(e.path) > len(section) and e.path[len(section)] == "addopts"
                and isinstance(e.value, str)]
        return any(w in _PYTEST_LINT_FLAGS for opt in opts for w in opt.split())
    return False


def _section_for(path: str) -> tuple[str, ...]:
    name = path.rpartition("/")[2]
    return next((section for known, section in _PYTEST_CONFIGS if known == name), ("pytest",))


# a reusable workflow or CI template whose file name says it is a security scanner (Snyk, CodeQL, Trivy, Grype,
# gitleaks, TruffleHog, GitLab's SAST templates, a dependency or secret scan): it runs no lint, tests or config check
_SECURITY_SCAN = re.compile(r"(^|[-_.])(snyk|codeql|trivy|grype|gitleaks|trufflehog|sast|secrets?[-_]?scan\w*|"
                            r"dependency[-_]?(review|scan|check)\w*)([-_.]|$)|security[-_](\w+[-_])?scan|"
                            r"vulnerabilit(y|ies)[-_]scan", re.I)


def security_scan(unread: str) -> bool:
    """An unread part of the CI (``path: owner/repo/.github/workflows/security_snyk_scan_ecr.yml@v2``, ``path:
    include Security/SAST.gitlab-ci.yml``) that is a security scanner by its file's name: it does not keep the
    rules from reporting. A build, deploy or test workflow by name still does (it may run the tests first)."""
    name = unread.rsplit(" ", 1)[-1].split("@", 1)[0].rstrip("/").rpartition("/")[2]
    return bool(name) and bool(_SECURITY_SCAN.search(name))


def job_facts(job: Job, follower: Follower, repo: Repo) -> Facts:
    facts = Facts()
    started = requested = False
    unit_required: list[tuple[str, int]] = []
    unit_swallowed: list[tuple[str, int, str]] = []
    in_container: list[tuple[str, int, str]] = []
    for step in job.steps:
        if step.command is None:
            continue
        for leaf in follower.expand(step.command, step.path, step.cwd):
            found = _leaf_kinds(leaf, repo)
            if leaf.opaque and leaf.opaque not in facts.opaque:
                facts.opaque.append(leaf.opaque)
            where, how = _failure(job, step, leaf, found)
            found = _as_run(found, how)
            if not found:
                facts.unknown.extend(_unread(leaf))
                continue
            if k.START in found:
                started = True
            if k.REQUEST in found:
                requested = True
            for publish in (k.PUBLISH_PYPI, k.PUBLISH_DOCKER):
                if publish in found:
                    facts.publishes.add(publish)
                    facts.publish_line = facts.publish_line or step.line
            for category in CATEGORIES:
                if category not in found:
                    continue
                if how:
                    facts.swallowed.setdefault(category, []).append((where[0], where[1], how))
                else:
                    facts.required.setdefault(category, []).append((step.path, step.line))
            if k.UNIT in found:
                if how:
                    unit_swallowed.append((where[0], where[1], how))
                else:
                    unit_required.append((step.path, step.line))
                    facts.scopes.append(k.test_scope(leaf.words, step.cwd))
                if leaf.in_container:
                    in_container.append((where[0], where[1], how) if how else (step.path, step.line, ""))
    database = any(k.is_database_image(image) for image in job.services)
    if (database or started) and unit_required or started and requested:
        facts.required.setdefault(k.INTEGRATION, []).extend(unit_required[:1] or [(job.path, job.line)])
    elif (database or started) and unit_swallowed:
        facts.swallowed.setdefault(k.INTEGRATION, []).extend(unit_swallowed[:1])
    for path, line, how in in_container:
        if not how:
            facts.required.setdefault(k.INTEGRATION, []).append((path, line))
        else:
            facts.swallowed.setdefault(k.INTEGRATION, []).append((path, line, how))
    return facts


_LEFT_TO_A_VARIABLE = "a command the CI files leave to a variable they do not set"
_TO_A_CLUSTER = "which hands the work to a cluster (its command is in a manifest the CI files do not show)"


def _unread(leaf: Leaf) -> list[tuple[str, int, str, str]]:
    """A leaf that runs something this hook cannot see: a variable nobody sets (``$TOOL $ARGS``), or
    ``kubectl apply -f job.yaml`` (a Kubernetes job the step then waits on, its command written by ``yq``)."""
    text = " ".join(leaf.words[:4])
    if leaf.words and k.UNSET.match(leaf.words[0]):
        return [(leaf.path, leaf.line, text, _LEFT_TO_A_VARIABLE)]
    if leaf.words[:1] and k.base(leaf.words[0]) in ("kubectl", "oc") and any(w in ("apply", "create", "replace")
                                                                            for w in leaf.words[1:3]) \
            and any(_CLUSTER_JOB.search(w) for w in leaf.words[2:]):
        return [(leaf.path, leaf.line, text, _TO_A_CLUSTER)]  # a Job (job.yaml, `create job`), not a deployment
    return []


_CLUSTER_JOB = re.compile(r"(^|[/_.-])(jobs?|tests?|pytest)([/_.-]|$)", re.I)


def _as_run(found: set[str], how: str) -> set[str]:
    """A leaf's kinds as it runs: a fixer whose failure is ignored (``-ruff check --fix .`` in a ``format``
    recipe) is run to edit files, not to check them: no lint step allowed to fail, and no lint step at all."""
    return found - {k.LINT, k.FIXER} if how and k.FIXER in found else found


def _failure(job: Job, step: object, leaf: Leaf, found: set[str]) -> tuple[tuple[str, int], str]:
    """Where and how a failure is let through ("" when it fails the job)."""
    from hooks.checks.check_release_checklist.pipeline import Step

    assert isinstance(step, Step)
    if step.command is not None and step.command.swallowed:
        return (step.path, step.line), "`|| true` / `; exit 0` swallows its failure"
    if step.may_fail:
        return (step.path, step.may_fail), "the step has `continue-on-error: true`"
    if job.may_fail:
        word = "allow_failure" if job.system == "gitlab" else "continue-on-error"
        return (job.path, job.may_fail), f"the job has `{word}: true`"
    if leaf.swallowed:
        return (leaf.path, leaf.line), "its failure is ignored: `|| true`, a `-` recipe line or tox's `- cmd`"
    if "swallowed" in found:
        return (leaf.path, leaf.line), "`--exit-zero`"
    return ("", 0), ""


def judge_ci(repo: Repo, pipeline: Pipeline, rules: set[str], staging_config: Sequence[str], release: str,
             notices: list[str], table: list[tuple[str, str, str]] | None = None, strict: bool = True) -> Iterator[Finding]:
    """The CI rules; ``table`` (when given) gets one (item, status, where) row per checklist item.

    Without ``strict``, the integration check is asked for only where the
    repo has integration tests written (a folder, a browser-test config) that
    no CI job reaches, and a publish only where its own workflow (pipeline)
    runs the tests and the publish does not wait for them."""
    rows = table if table is not None else []
    follower = Follower(repo)
    facts = {id(job): job_facts(job, follower, repo) for job in pipeline.jobs}
    by_workflow: dict[str, list[Job]] = {}
    for job in pipeline.jobs:
        by_workflow.setdefault(job.path, []).append(job)
    # A job calling a local reusable workflow does what the called jobs do.
    for job in pipeline.jobs:
        if job.calls:
            mine = facts[id(job)]
            for called in by_workflow.get(job.calls, []):
                theirs = facts[id(called)]
                for category, found in theirs.required.items():
                    mine.required.setdefault(category, []).extend(found)
    opaque = [o for o in pipeline.opaque if not security_scan(o)]
    retired = {id(job): job_facts(job, follower, repo) for job, _ in pipeline.retired}
    everything = {**facts, **retired}  # where a finding goes: a retired job's file is still a CI file to edit
    not_on_prs: dict[int, list[str]] = {}
    places: dict[tuple[str, int], tuple[str, list[str]]] = {}
    for category in CATEGORIES:
        rule = _RULE_OF[category]
        title = _SHORT[category].replace("the ", "")
        if category == k.STAGING and not staging_config:
            rows.append((title, "nothing to verify", "no staging config in the repo"))
            continue
        on_prs = [j for j in pipeline.jobs if j.trigger == PR and facts[id(j)].required.get(category)]
        anywhere = [j for j in pipeline.jobs if facts[id(j)].required.get(category)]
        if on_prs or (category in (k.INTEGRATION, k.STAGING) and anywhere):
            rows.append((title, "met", _jobs(on_prs or anywhere)))
            continue
        if anywhere:
            rows.append((title, "not on pull requests", _jobs(anywhere)))
            # A job that also publishes (build, test, push the release image) must not run on
            # pull requests: it would publish their code. Its tests are not the question then.
            for job in anywhere:
                if not facts[id(job)].publishes:
                    not_on_prs.setdefault(id(job), []).append(category)
            continue
        swallowed = [place for j in pipeline.jobs for place in facts[id(j)].swallowed.get(category, [])]
        if swallowed:
            rows.append((title, "allowed to fail", "; ".join(f"{p}:{n}" for p, n, _ in swallowed[:3])))
            for path, line, how in swallowed:
                named = places.setdefault((path, line), (how, []))[1]
                if category not in named:  # the same line reached by two jobs is named once
                    named.append(category)
            continue
        written: list[str] = []
        if category == k.INTEGRATION and not strict:
            written, settled = _written_integration(repo, pipeline, facts)
            if settled is not None:
                rows.append((title, *settled))
                continue
        # a task the CI runs whose definition is in an installed package may do this (a job on pull
        # requests for lint and the unit tests, any job for the rest), as an external reusable workflow may
        tasks = [o for j in pipeline.jobs if j.trigger == PR or category in (k.INTEGRATION, k.STAGING)
                 for o in facts[id(j)].opaque]
        # a CI outside the repo the README or contributing guide says runs it on pull requests
        described = [what for what, kinds in pipeline.described if category in kinds]
        if _unknown_instead(category, rule in rules, pipeline, facts,
                            described + opaque + (["; ".join(tasks[:3])] if tasks else []),
                            rows, notices) or rule not in rules:
            continue
        dead = f" ({pipeline.dead[0]})" if pipeline.dead and category in (k.LINT, k.UNIT) else ""
        dead += _retired_note(category, pipeline, retired)
        gone = _retired_jobs(category, pipeline, retired)
        path, line = _at_jobs(gone[0][0].path, repo) if gone else _main_file(pipeline, everything, category, repo)
        yield Finding(rule, path, line, _missing(category, staging_config, written, repo) + dead, (rule,))
    if "ci-tests-allowed-to-fail" in rules:
        for (path, line), (how, categories) in places.items():
            what = " and ".join(_SHORT[c] for c in categories)
            yield Finding("ci-tests-allowed-to-fail", path, line,
                          f"{what} may fail here without failing CI ({how}), and no other job runs "
                          f"{'them' if len(categories) > 1 or categories[0] == k.UNIT else 'it'} as a required check; let a failure fail "
                          "the build (fix or ignore what it reports instead)", ("ci-tests-allowed-to-fail", *categories))
    if "ci-not-on-pull-requests" in rules:
        yield from _not_on_pull_requests(pipeline, not_on_prs)
    if "publish-without-tests" in rules:
        yield from _publish(pipeline, facts, release, strict)


_HINTS = {
    k.LINT: re.compile(r"lint|style|flake8|ruff|mypy|pylint|black|isort|format|validat|static|quality|type.?check|pre.?commit", re.I),
    k.UNIT: re.compile(r"test|unit|pytest|coverage|spec", re.I),
}


def _retired_jobs(category: str, pipeline: Pipeline, facts: dict[int, Facts]) -> list[tuple[Job, str]]:
    """The jobs on a retired runner image that would run ``category``, with their image."""
    return [(job, image) for job, image in pipeline.retired
            if facts[id(job)].required.get(category) or facts[id(job)].swallowed.get(category)]


def _retired_note(category: str, pipeline: Pipeline, facts: dict[int, Facts]) -> str:
    """`` (not counted: job X (file:line) runs on `ubuntu-20.04`, ... retired on ...)`` for the retired jobs that
    would run ``category``, by image."""
    from hooks.checks.check_release_checklist.pipeline import RETIRED_RUNNERS

    by_image: dict[str, list[Job]] = {}
    gone = _retired_jobs(category, pipeline, facts)
    for job, image in gone:
        by_image.setdefault(image, []).append(job)
    parts = []
    for image, jobs in by_image.items():
        named = ", ".join(f"{j.name} ({j.path}:{j.line})" for j in jobs[:3]) + (f" and {len(jobs) - 3} more" if len(jobs) > 3 else "")
        one = len(jobs) == 1
        parts.append(f"job{'' if one else 's'} {named} {'runs' if one else 'run'} on `{image}`, a GitHub-hosted runner "
                     f"image retired on {RETIRED_RUNNERS[image]}, so {'it no longer runs' if one else 'they no longer run'}")
    if not parts:
        return ""
    return f" (not counted: {'; '.join(parts)}; move {'it' if len(gone) == 1 else 'them'} to a current image such as ubuntu-latest)"


def _unknown_instead(category: str, reported: bool, pipeline: Pipeline, facts: dict[int, Facts], opaque: list[str],
                     rows: list[tuple[str, str, str]], notices: list[str]) -> bool:
    """True when a missing item is unknown rather than missing (a notice, no finding): part of the CI cannot
    be read here, or a job that may do it runs a command left to a variable. Its checklist row either way."""
    title = _SHORT[category].replace("the ", "")
    if opaque:
        rows.append((title, "unknown", opaque[0]))
        if reported:
            notices.append(f"{_RULE_OF[category]}: CI runs nothing that reaches {_WHAT[category].split(' (')[0]}, but part "
                           f"of it cannot be read here ({opaque[0]}); not reported")
        return True
    unknown = _unknown(category, pipeline, facts)
    if not unknown:
        rows.append((title, "not met", ""))
        return False
    rows.append((title, "unknown", unknown))
    if reported:
        notices.append(f"{_RULE_OF[category]}: no CI job is seen running {_WHAT[category].split(' (')[0]}, but {unknown}; "
                       "not reported")
    return True


def _unknown(category: str, pipeline: Pipeline, facts: dict[int, Facts]) -> str:
    """A pull-request job whose name (or the variable it runs) says it may do ``category``, running a command
    that is a variable the files never set (``"${VALIDATE_TOOL}" ${ARGS}`` in job lint): we cannot tell, so the
    missing item is unknown, not missing. "" when there is none."""
    hint = _HINTS.get(category)
    if hint is None:
        return ""
    for job in pipeline.jobs:
        if job.trigger != PR:
            continue
        for path, line, text, why in facts[id(job)].unknown:
            if hint.search(job.name) or why == _LEFT_TO_A_VARIABLE and hint.search(text.split()[0]):
                return f"job {job.name} runs `{text}` ({path}:{line}), {why}"
    return ""


def _not_on_pull_requests(pipeline: Pipeline, not_on_prs: dict[int, list[str]]) -> Iterator[Finding]:
    """One decision per file and trigger: jobs that share it are one finding (Mayan's three GitLab jobs)."""
    jobs = {id(j): j for j in pipeline.jobs}
    groups: dict[tuple[str, str], list[tuple[Job, list[str]]]] = {}
    for job_id, categories in not_on_prs.items():
        job = jobs[job_id]
        groups.setdefault((job.path, str(job.trigger)), []).append((job, categories))
    for (path, _trigger), members in groups.items():
        first = min((job for job, _ in members), key=lambda j: j.trigger_line or j.line)
        categories = [c for c in (k.LINT, k.UNIT) if any(c in cats for _, cats in members)]
        what = " and ".join("the unit tests" if c == k.UNIT else "lint" for c in categories)
        names = ", ".join(sorted({job.name for job, _ in members}))
        yield Finding("ci-not-on-pull-requests", path, first.trigger_line or first.line,
                      f"{what} run only {first.trigger} (job{'s' if len(members) > 1 else ''} {names}), so a pull request "
                      "is merged before they run; add a pull_request trigger (GitHub: `on: pull_request`; GitLab: a rule for "
                      "$CI_PIPELINE_SOURCE == \"merge_request_event\")", ("ci-not-on-pull-requests", path, first.key or first.name))


def _written_integration(repo: Repo, pipeline: Pipeline, facts: dict[int, Facts]) -> tuple[list[str], tuple[str, str] | None]:
    """Without --strict: the integration tests written in the repo, and the checklist row when that settles it
    (none written: nothing asked; a test run collects their folder: met)."""
    written = integration_tests(repo)
    if not written:
        return written, ("not asked", "no integration tests written (--strict asks for one)")
    def marked(folder: str, marker: str) -> bool:
        return bool(repo.cached("marked", f"{folder}\0{marker}", lambda _: _marked(repo, folder, marker)))

    collecting = [j for j in pipeline.jobs if any(k.collects(scope, written, marked) for scope in facts[id(j)].scopes)]
    return written, (("met", _jobs(collecting)) if collecting else None)


def _marked(repo: Repo, folder: str, marker: str) -> bool:
    """The tests of ``folder`` carry ``marker``: a conftest.py in it or above it adds the marker
    (``item.add_marker(pytest.mark.integration)`` by path, a ``pytestmark``), or every test module
    in it names it (``pytestmark = pytest.mark.functional``, the marker on each test). A folder merely
    named like the marker is not marked."""
    mark = re.compile(rf"\bmark\.{re.escape(marker)}\b|add_marker\(\s*['\"]{re.escape(marker)}['\"]")
    parts = folder.split("/")
    for depth in range(len(parts) + 1):
        conftest = "/".join((*parts[:depth], "conftest.py"))
        if mark.search(repo.text(conftest) or ""):
            return True
    modules = [f for f in repo.files if f.startswith(folder + "/") and f.endswith(".py")
               and (f.rsplit("/", 1)[-1].startswith("test") or f.endswith("_test.py"))]
    return bool(modules) and all(mark.search(repo.text(f) or "") for f in modules)


def _jobs(jobs: Sequence[Job]) -> str:
    shown = [f"{j.path}: {j.name}" for j in jobs[:3]]
    return "; ".join(shown) + (f"; +{len(jobs) - 3} more" if len(jobs) > 3 else "")


def _missing(category: str, staging_config: Sequence[str], written: Sequence[str] = (), repo: Repo | None = None) -> str:
    if category == k.LINT and repo is not None and repo.precommit_lint and repo.exists(".pre-commit-config.yaml"):
        return (_missing(category, staging_config) + "; .pre-commit-config.yaml runs Python linters but no CI job runs it "
                "(if pre-commit.ci does, add its `ci:` section or badge so this is visible)")
    if written:
        return (f"integration tests are written ({', '.join(written[:3])}) but no CI job runs them (no test run collects "
                "that folder); run them in a job that starts what they talk to (a database under services:, or "
                "`docker compose up --wait`)")
    if category == k.UNIT and repo is not None and not tests_written(repo):
        return (f"no CI job runs {_WHAT[category]}, and the repo has no tests yet (no tests/ folder, no test_*.py or "
                "*_test.py, no Django tests.py, no pytest configuration); write a first test (for example a "
                "tests/test_smoke.py that imports the app) and run it with `pytest` in a job that runs on pull requests")
    target = _lint_target(repo) if category == k.LINT and repo is not None else None
    how = {
        k.LINT: (f"add a lint step (for example {target}) to a job that runs on pull requests" if target else
                 "add a lint step (for example `pre-commit run --all-files` or `ruff check .`) to a job that runs on pull requests"),
        k.UNIT: "add a test step (for example `pytest`) to a job that runs on pull requests",
        k.INTEGRATION: "add a job that starts the service or its database and talks to it (for example a postgres service "
                       "plus pytest, or `docker compose up --wait` then a request)",
        k.STAGING: f"the repo has staging config ({', '.join(staging_config[:3])}{', ...' if len(staging_config) > 3 else ''}); "
                   "add check-staging-parity to .pre-commit-config.yaml and run `pre-commit run --all-files` in CI",
    }[category]
    return f"no CI job runs {_WHAT[category]}, directly or through make, tox, nox or a script; {how}"


_LINT_TARGET = re.compile(r"lint|check|style|flake8|ruff|pylint|mypy|quality", re.I)


def _lint_target(repo: Repo) -> str | None:
    """A Makefile target (root or one folder down) whose name says lint and whose own recipe runs a Python
    linter, as the example of a lint step to add (``make lint-backend``, which runs ruff), with what to change
    when every such line ignores its failure (a ``-`` before it). None when there is none."""
    from hooks.checks.check_release_checklist.reach import read_makefile

    for path in repo.files:
        if path.count("/") > 1 or path.rsplit("/", 1)[-1] not in ("Makefile", "GNUmakefile", "makefile"):
            continue
        targets, _ = read_makefile(repo, path)
        for name, target in targets.items():
            if name.startswith(".") or not _LINT_TARGET.search(name):
                continue
            linters: list[tuple[str, bool]] = []
            for command in target.recipe:
                words = k.peel(command.words)
                if words and k.classify(words) & {k.LINT, k.FIXER} == {k.LINT}:  # a check, not `ruff check --fix`
                    linters.append((k.base(words[0]), command.swallowed))
            if not linters:
                continue
            folder = path.rsplit("/", 1)[0] if "/" in path else ""
            make = f"`make {'-C ' + folder + ' ' if folder else ''}{name}`"
            names = ", ".join(dict.fromkeys(linter for linter, _ in linters))
            if all(ignored for _, ignored in linters):
                return f"`ruff check .`, or {make} once the `-` that ignores {names}'s failures is dropped from its recipe"
            return f"{make}, which runs {names}, or `ruff check .`"
    return None


# The checks a missing item's finding goes next to: the workflow that already runs them is the one to edit.
_PARTNERS = {k.LINT: (k.UNIT,), k.UNIT: (k.LINT,), k.INTEGRATION: (k.UNIT, k.LINT), k.STAGING: (k.LINT, k.UNIT)}
# Workflow file names that say the file is not where the checks live (security scans, bots, publishing).
_NOT_CI_NAME = re.compile(r"codeql|scorecard|snyk|semgrep|security|stale|label|lock|greet|welcome|triage|backport|"
                          r"issue|dependabot|cleanup|clean-up|cron|release|publish|deploy|pages|docs?([_.-]|$)", re.I)
_NAMED_FOR = {
    k.LINT: re.compile(r"(^|[/_.-])(lint|linters?|linting|style|flake8|ruff|pylint|mypy|pre-?commit|quality|format)([_.-])", re.I),
    k.UNIT: re.compile(r"(^|[/_.-])(tests?|unit[_-]?tests?|pytest|testing)([_.-])", re.I),
    k.INTEGRATION: re.compile(r"(^|[/_.-])(tests?|integration|e2e|testing)([_.-])", re.I),
}
# A workflow named for the JavaScript side or the docs (lint-frontend.yml) is not where Python's checks go.
_OTHER_PART = re.compile(r"front[_-]?end|client|(^|[_.-])(js|node|npm|yarn|web|ui|css|docs?)([_.-])", re.I)
_CI_NAME = re.compile(r"(^|[/_.-])(ci|tests?|main|python|build|checks?|lint|pull[_-]?requests?|pr)([_.-])", re.I)


def _main_file(pipeline: Pipeline, facts: dict[int, Facts], category: str, repo: Repo | None = None) -> tuple[str, int]:
    """Where a repo-wide "no CI job runs X" finding points: the file a maintainer would edit to add X.

    In order: a pull-request workflow named for the item (``tests.yml`` for the tests, ``lint.yml`` for lint);
    a pull-request workflow whose jobs already run the other checks (for lint, the one with the test
    job; for the tests, the one with the lint job), then such a workflow on another trigger; then the main
    pull-request workflow (its file name says CI, tests or pull requests; else one whose jobs run anything;
    else any not named as a security scan, a bot or a publish); else the first CI file. Never a workflow that
    only runs after another (``workflow_run``). The line is the file's ``jobs:`` key (1 when it has none)."""
    jobs_seen = [j for j in pipeline.jobs if id(j) in facts] + [j for j, _ in pipeline.retired if id(j) in facts]
    usual = [j for j in jobs_seen if j.system not in HOSTED and not j.after_workflow]
    on_prs = [j for j in usual if j.trigger == PR]
    # a workflow that names pull requests in `on:` before one that runs on every branch push only (an auto-fix
    # workflow that commits back): the pull request is where the maintainer wants the check
    on_prs.sort(key=lambda j: not _names_pull_requests(j, repo))

    def name(job: Job) -> str:
        return job.path.rsplit("/", 1)[-1]

    named = _NAMED_FOR.get(category)
    for job in on_prs:
        if named is not None and named.search(name(job)) and not _OTHER_PART.search(name(job)):
            return _at_jobs(job.path, repo)  # tests.yml, lint.yml: where the item runs (or would)
    for jobs in (on_prs, usual):
        for partner in _PARTNERS[category]:
            for job in jobs:
                if facts[id(job)].required.get(partner) or facts[id(job)].swallowed.get(partner):
                    return _at_jobs(job.path, repo)
    ci_like = [j for j in on_prs if not _NOT_CI_NAME.search(name(j))]
    for job in ci_like:
        if _CI_NAME.search(name(job)):
            return _at_jobs(job.path, repo)
    for job in on_prs:
        if facts[id(job)].required and not _NOT_CI_NAME.search(name(job)):
            return _at_jobs(job.path, repo)
    for job in ci_like or on_prs:
        return _at_jobs(job.path, repo)
    # no pull-request workflow: rather a workflow with triggers of its own than a reusable template it calls
    # (`on: workflow_call`), and rather one that does not publish than an image or release upload
    called = {j.calls for j in jobs_seen if j.calls}
    own = [j for j in usual if j.path not in called and j.trigger != CALLED]
    for job in [j for j in own if not facts[id(j)].publishes] or own or usual or [j for j in jobs_seen if j.system not in HOSTED]:
        return _at_jobs(job.path, repo)
    return (pipeline.files[0] if pipeline.files else ".pre-commit-config.yaml"), 1


_PR_EVENTS = ("pull_request", "pull_request_target", "merge_group")


def _names_pull_requests(job: Job, repo: Repo | None) -> bool:
    """A GitHub workflow whose ``on:`` names a pull-request event; True for every other job (not reordered)."""
    from hooks.checks.check_release_checklist.tree import root

    if job.system != "github" or repo is None:
        return True
    doc = repo.doc(job.path)
    top = root(doc) if doc is not None else None
    on = top.get("on") if top is not None else None
    if on is None and top is not None:
        on = top.get("true")  # YAML 1.1 readers turn `on` into True
    if on is None:
        return True
    if isinstance(on.value, dict):
        return any(str(event) in _PR_EVENTS for event in on.value)
    if isinstance(on.value, str):
        return on.value in _PR_EVENTS
    return any(item.value in _PR_EVENTS for item in on.items())


def _at_jobs(path: str, repo: Repo | None) -> tuple[str, int]:
    """``path`` at its top-level ``jobs:`` key (GitHub, CircleCI), else line 1."""
    from hooks.checks.check_release_checklist.tree import root

    doc = repo.doc(path) if repo is not None else None
    top = root(doc) if doc is not None else None
    jobs = top.get("jobs") if top is not None else None
    return path, (jobs.key_line or 1) if jobs is not None else 1


def _publish(pipeline: Pipeline, facts: dict[int, Facts], release: str, strict: bool = True) -> Iterator[Finding]:
    wanted = {"pypi": {k.PUBLISH_PYPI}, "docker": {k.PUBLISH_DOCKER}}.get(release, {k.PUBLISH_PYPI, k.PUBLISH_DOCKER})
    called = {j.calls for j in pipeline.jobs if j.calls}
    untested: dict[str, list[Job]] = {}
    for job in pipeline.jobs:
        mine = facts[id(job)]
        if not mine.publishes & wanted or job.after_workflow or job.path in called:
            continue  # a called workflow's publish is its callers'
        if _tested_before(job, pipeline, facts):
            continue
        if _feeds_testers(job, pipeline, facts):
            continue  # build-docker pushes the image its test jobs pull (`needs: [build-docker]`): `needs: [test]` is a cycle
        if not strict and not _testers(job, pipeline, facts):
            continue  # the tests ran elsewhere (on the branch the tag is cut from): --strict reports it
        untested.setdefault(job.path, []).append(job)
    for jobs in untested.values():  # one finding per workflow, at its first publishing job
        job = jobs[0]
        kinds = set().union(*(facts[id(j)].publishes for j in jobs)) & wanted
        kind = " and ".join(w for w, p in (("to PyPI", k.PUBLISH_PYPI), ("a Docker image", k.PUBLISH_DOCKER)) if p in kinds)
        names = ", ".join(j.name for j in jobs)
        testers = _testers(job, pipeline, facts)
        if job.system != "github":
            hint = "put it in a stage after the test job, or add `needs:` naming it"
        elif testers:
            hint = f"add `needs: [{testers[0]}]`"
        else:
            hint = ("run the tests in a job of this workflow and name it in `needs:`, or start this workflow with "
                    "`workflow_run` after the test workflow succeeds")
        yield Finding("publish-without-tests", job.path, job.line,
                      f"{'job' if len(jobs) == 1 else 'jobs'} {names} {'publishes' if len(jobs) == 1 else 'publish'} {kind} "
                      f"without the tests having passed first (no `needs:` path to a job that runs them); {hint}",
                      ("publish-without-tests",))


def _testers(job: Job, pipeline: Pipeline, facts: dict[int, Facts]) -> list[str]:
    """The jobs of the publish's own workflow (GitLab: pipeline) that run the unit tests."""
    def tests(other: Job) -> bool:
        return bool(facts[id(other)].required.get(k.UNIT) or facts[id(other)].swallowed.get(k.UNIT))

    if job.system == "gitlab":
        return [j.key for j in pipeline.jobs if j.system == "gitlab" and tests(j)]
    return [j.key for j in pipeline.jobs if j.path == job.path and j is not job and tests(j)]


_INTEGRATION_DIR = re.compile(r"(^|/)(integration|integration[-_]tests?|e2e|e2e[-_]tests?|end[-_]?to[-_]?end|functional|"
                              r"functional[-_]tests?|acceptance|smoke|smoke[-_]tests?|system[-_]tests?)/")


def integration_tests(repo: Repo) -> list[str]:
    """The folders holding integration tests written in Python (``tests/integration/test_x.py``, ``e2e/test_x.py``),
    outside vendored and node_modules trees."""
    found: dict[str, None] = {}
    for path in repo.files:
        if "node_modules/" in path or path.startswith(("vendor/", "third_party/", "docs/")):
            continue
        name = path.rsplit("/", 1)[-1]
        if not (name.startswith("test") and name.endswith(".py") or name.endswith("_test.py") or name.endswith(".feature")):
            continue
        match = _INTEGRATION_DIR.search(path)
        if match and ("test" in path[:match.end()].lower() or match.start() == 0):
            found.setdefault(path[:match.end() - 1], None)
    return list(found)


_VENDOR_TOP = ("vendor/", "vendored/", "_vendor/", "third_party/", "thirdparty/", "3rdparty/", "external/", "externals/")
_BUNDLED_TOP = ("lib/", "libs/", "ext/")  # SickBeard-style trees of bundled packages: vendored when they hold several


def tests_written(repo: Repo) -> bool:
    """The repo has tests of its own: a tests/ (test/) folder, a test_*.py, *_test.py or Django tests.py, a
    conftest.py, or pytest configuration (pytest.ini, [tool:pytest], [tool.pytest.ini_options], tox.ini's
    [pytest]); outside node_modules, docs and vendored trees (vendor/, third_party/, a lib/ of bundled packages)."""
    bundled: dict[str, set[str]] = {}
    for path in repo.files:
        for top in _BUNDLED_TOP:
            if path.startswith(top) and path.count("/") >= 2:
                bundled.setdefault(top, set()).add(path.split("/")[1])
    vendored = _VENDOR_TOP + tuple(top for top, packages in bundled.items() if len(packages) >= 3)
    for path in repo.files:
        if "node_modules/" in path or "/site-packages/" in path or path.startswith(("docs/", "doc/", *vendored)):
            continue
        name = path.rsplit("/", 1)[-1]
        if re.search(r"(^|/)tests?/", path) and name.endswith(".py"):
            return True
        if name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py")
                                     or name in ("tests.py", "conftest.py")):
            return True
        if name == "pytest.ini":
            return True
    for config, marker in (("setup.cfg", "[tool:pytest]"), ("pyproject.toml", "[tool.pytest"), ("tox.ini", "[pytest]")):
        if marker in (repo.text(config) or ""):
            return True
    return False


def _feeds_testers(job: Job, pipeline: Pipeline, facts: dict[int, Facts]) -> bool:
    """Every job of the workflow that runs the unit tests waits for this publishing job (`needs:`, directly or
    on the way): it pushes the image the tests then pull, and cannot wait for them in turn."""
    if job.system != "github" or not job.key:
        return False
    siblings = {j.key: j for j in pipeline.jobs if j.path == job.path}
    testers = _testers(job, pipeline, facts)
    if not testers:
        return False

    def waits(name: str) -> bool:
        todo, seen = list(siblings[name].needs) if name in siblings else [], set()
        while todo:
            other = todo.pop()
            if other == job.key:
                return True
            if other in seen or other not in siblings:
                continue
            seen.add(other)
            todo.extend(siblings[other].needs)
        return False

    return all(waits(t) for t in testers)


def _tested_before(job: Job, pipeline: Pipeline, facts: dict[int, Facts]) -> bool:
    if facts[id(job)].required.get(k.UNIT):
        return True
    siblings = {j.key: j for j in pipeline.jobs if j.path == job.path}
    if job.system == "gitlab":
        siblings = {j.key: j for j in pipeline.jobs if j.system == "gitlab"}
        if job.stage >= 0 and any(facts[id(j)].required.get(k.UNIT) and 0 <= j.stage < job.stage and not j.may_fail
                                  for j in siblings.values()):
            return True
    todo = list(job.needs)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in siblings:
            continue
        seen.add(name)
        other = siblings[name]
        if facts[id(other)].required.get(k.UNIT):
            return True
        todo.extend(other.needs)
    return False
