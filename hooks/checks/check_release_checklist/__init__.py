"""Check that the repo's own pipeline runs the release checklist, and that a
release is what its tag says.

CI (GitHub Actions, GitLab CI, Semaphore, pre-commit.ci; CircleCI, Travis, Azure,
Bitbucket, Drone, Woodpecker, Buildkite, Jenkinsfile read loosely) is read
as jobs, and each step's command is followed through Makefile targets, tox
environments, nox sessions, ``scripts/*.sh``, task tables (poe, taskipy,
pdm, hatch, just), ``uv run``/``poetry run`` and ``docker compose run``. A job
that runs on pull requests must run a Python linter and the unit tests; some
job must run an integration check, and one must verify staging config when
the repo has any. Lint and tests must not be allowed to fail, and a publish
job must need the tests. Versions written in several places
(``pyproject.toml``, ``setup.cfg``, ``__version__``, bump tools) must agree,
and at pre-push a version tag must match the project's version. A repo with
no CI gets one notice, not a finding per rule.
"""
from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator, Sequence

from hooks.core import runner
from hooks.core.api import Hook, Option, Problem, UsageError
from hooks.core.records import record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    import ast

    from hooks.checks.check_release_checklist.judge import Finding
    from hooks.checks.check_release_checklist.reach import Repo
    from hooks.checks.check_release_checklist.versions import Project
    from hooks.core.runner import Context


@record
class State:
    rules: set[str]
    release: str
    strict: bool = False


def prepare(ctx: Context) -> State:
    from hooks.checks.check_release_checklist.judge import RULES

    skips = [s.strip() for s in ctx.options.skip or [] if s.strip()]
    enables = [s.strip() for s in ctx.options.enable or [] if s.strip()]
    for flag, names in (("--skip", skips), ("--enable", enables)):
        for name in names:
            if name not in RULES:
                raise UsageError(f"{flag} {name}: no such rule (rules: {', '.join(RULES)})")
    rules = {r for r, on in RULES.items() if on or r in enables} - set(skips)
    return State(rules, ctx.options.release or "auto", bool(ctx.options.strict))


def _tracked(paths: Sequence[str]) -> list[str]:
    from hooks.repo import git

    try:
        return sorted(git.tracked_files())
    except Exception:  # not a git work tree or git missing: the given paths are all we know
        return sorted(set(paths))


def _repo(files: Sequence[str], ctx: Context) -> Repo:
    from hooks.checks.check_release_checklist.reach import Repo
    from hooks.config import source

    def read(path: str) -> str | None:
        try:
            return source.read_text(path, ctx.shared.max_file_size)
        except (source.ReadError, source.TooLarge):
            return None

    return Repo([f for f in files if os.path.isfile(f)], read, lambda p: ctx.load(p, report_errors=False))


def check(paths: Sequence[str], ctx: Context) -> Iterator[Problem]:
    from hooks.checks.check_release_checklist import judge, pipeline, reach, versions

    state = ctx.state if isinstance(ctx.state, State) else prepare(ctx)
    repo = _repo(_tracked(paths), ctx)
    rules = state.rules
    skipped = _not_projects(repo, ctx)
    projects = versions.projects(repo, skipped)
    findings: list[Finding] = []
    notices: list[str] = []
    table: list[tuple[str, str, str]] = []
    if rules & set(judge.CI_RULES):
        found = pipeline.read(repo)
        notices.extend(found.dead)
        precommit = reach.read_precommit(repo)
        if precommit is not None:
            repo.precommit_lint, repo.precommit_staging, ci_line = precommit
            if not ci_line and _precommit_ci_badge(repo):
                ci_line = 1  # pre-commit.ci needs no `ci:` section; the README's badge says the app runs
            if ci_line:
                found.jobs.append(pipeline.precommit_ci_job(ci_line))
        unread = found.opaque + found.unknown + [what for what, _ in found.described]
        other = _other_language(repo)
        if other:
            notices.append(f"no Python in the repo (no .py file, pyproject.toml, setup.cfg or Pipfile; {other} at its "
                           "top): the CI rules (Python lint and tests) were not checked")
            table.append(("CI", "not checked", f"no Python in the repo ({other})"))
        elif not found.jobs and not found.retired and unread:
            notices.append(f"CI configuration cannot be read ({'; '.join(unread[:3])}); the CI rules were not checked")
        elif not found.jobs and not found.retired:  # jobs on retired runner images are CI that no longer runs
            notices.append("no CI configuration found in the files this hook reads (GitHub Actions, GitLab CI, Azure "
                           "Pipelines, CircleCI, Travis, Jenkinsfile, pre-commit.ci, ...; nor a CI the README or "
                           "CONTRIBUTING says runs on pull requests): the CI rules were not checked")
        else:
            release = state.release
            if release == "auto":
                release = "any"
            findings.extend(judge.judge_ci(repo, found, rules, _staging_config(repo, ctx), release, notices, table,
                                           strict=state.strict))
    if "version-sources-disagree" in rules:
        for project in projects:
            for source, installed in versions.disagreements(project):
                findings.append(judge.Finding(
                    "version-sources-disagree", source.path, source.line,
                    f"{source.label} is {source.value} but {installed.label} in {installed.path} is {installed.value} "
                    "(what pip installs); make them agree, or keep one source (read it with "
                    "importlib.metadata.version(), or let the bump tool update every file)",
                    ("version-sources-disagree", source.label, installed.label)))
    if "tag-not-version" in rules:
        findings.extend(_tags(repo, projects, state, ctx, notices))
    if "changelog-missing-release" in rules:
        findings.extend(_changelog(repo, projects, ctx))
    if ctx.options.checklist:
        _checklist(table, projects, findings, ctx)
    for notice in notices:
        ctx.notice(notice)
    for f in findings:
        ctx.mark_checked(f.path)
        yield Problem(f.line, 1, f"{f.rule}: {f.message}", identity=f.identity or (f.rule,), path=f.path)


# A project of another language, by the manifest at the repo's top.
_OTHER_MANIFESTS = ("Gemfile", "go.mod", "Cargo.toml", "pom.xml", "build.gradle", "build.gradle.kts", "composer.json",
                    "mix.exs", "package.json")


def _other_language(repo: Repo) -> str:
    """The manifest of a repo that holds no Python at all but a project of another language (a Rails app's
    ``Gemfile``): it has no Python lint or tests to run, so the CI rules do not apply. '' otherwise."""
    if any(path.endswith((".py", ".pyi")) or posixpath.basename(path) in ("pyproject.toml", "setup.cfg", "Pipfile")
           for path in repo.files):
        return ""
    return next((name for name in _OTHER_MANIFESTS if repo.exists(name)), "")


def _precommit_ci_badge(repo: Repo) -> bool:
    for path in repo.files:
        if "/" not in path and path.lower().startswith("readme"):
            text = repo.text(path) or ""
            if "results.pre-commit.ci" in text or "pre-commit.ci/status" in text:
                return True
    return False


def _checklist(table: list[tuple[str, str, str]], projects: list[Project], findings: list[Finding], ctx: Context) -> None:
    """--checklist: the implementation checklist as a table (text format only: stdout stays one JSON/SARIF document)."""
    if getattr(ctx.shared, "format", "text") in ("json", "sarif"):
        ctx.notice("--checklist is not printed with --format json/sarif; run it with the text format")
        return
    if not table:
        table.append(("CI", "not found", "no CI configuration"))
    for project in projects:
        installed = project.installed
        label = project.root or "."
        if project.from_git:
            table.append((f"version ({label})", "from git", project.from_git))
        elif installed is not None:
            bad = [f for f in findings if f.rule == "version-sources-disagree" and f.path.startswith(project.root)]
            status = "sources disagree" if bad else "agree"
            note = f"; [project] version not compared: {project.not_installed}" if project.not_installed else ""
            table.append((f"version ({label})", status,
                          f"{installed.value} ({installed.label}, {len(project.sources)} source(s){note})"))
    published = [f for f in findings if f.rule == "publish-without-tests"]
    if published:
        table.append(("publish after tests", "not met", "; ".join(f"{f.path}:{f.line}" for f in published[:3])))
    lines = ["| item | status | where |", "|---|---|---|"]
    lines += [f"| {item} | {status} | {where.replace('|', '/')} |" for item, status, where in table]
    ctx.emit("\n".join(lines) + "\n\n")


def _not_projects(repo: Repo, ctx: Context) -> frozenset[str]:
    from hooks.repo import roles

    out = set()
    for path in repo.files:
        if os.path.basename(path) in ("pyproject.toml", "setup.cfg", "setup.py"):
            role = ctx.role(path).role
            if role in (roles.TEST_DATA, roles.DOCS, roles.GENERATED):
                out.add(path)
    return frozenset(out)


def _staging_config(repo: Repo, ctx: Context) -> list[str]:
    from hooks.config import formats
    from hooks.repo import roles

    found = []
    for path in repo.files:
        if formats.detect(path) is None and not path.endswith(".py"):
            continue
        if path.endswith(".py") and not formats.is_settings_module(path):
            continue  # a module named staging_folder_backends.py is code (Mayan), not staging config
        if ctx.environment(path) == "staging" and ctx.role(path).role in roles.CONFIG_ROLES:
            found.append(path)
    dead = _dead_staging_folders(repo, found)
    return [path for path in found if posixpath.dirname(path) not in dead and not _production_layer(repo, ctx, path)]


def _production_layer(repo: Repo, ctx: Context, path: str) -> bool:
    """A staging settings module built from the production one (``from .production import *`` at its top, then
    its own overrides): it cannot lack a production setting, so it is no staging config for CI to verify."""
    import ast

    from hooks.config import python_settings
    from hooks.repo import environments

    tree = repo.python_tree(path) if path.endswith(".py") else None
    for node in tree.body if tree is not None else ():
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            target = python_settings.resolve(path, node.module, node.level)
            if target is not None and ctx.environment(target.replace(os.sep, "/")) == environments.PRODUCTION:
                return True
    return False


# Files that may name a config folder to load it: code, scripts, CI and deployment files.
_NAMERS = re.compile(r"\.(py|sh|bash|ya?ml|cfg|ini|toml|json|conf|env|j2|jinja2?|tf|hcl)$|(^|/)(Makefile|Dockerfile[^/]*|"
                     r"Procfile|Jenkinsfile|Vagrantfile|\.env[^/]*)$")


def _dead_staging_folders(repo: Repo, found: list[str]) -> set[str]:
    """Folders named ``staging`` whose settings modules are placeholders (pmg-cms-2's ``config/staging/config.py``
    holds only ``PUBLIC_CONFIG_VAR = "STUFF"``) and that no file outside them names (``config/staging``,
    ``config.staging``): nothing loads them, so they are no staging config to verify."""
    dead = set()
    for folder in {posixpath.dirname(p) for p in found if posixpath.basename(posixpath.dirname(p)).lower() == "staging"}:
        modules = [p for p in found if posixpath.dirname(p) == folder and p.endswith(".py")]
        if not modules or not all(_placeholder_module(repo.python_tree(m)) for m in modules):
            continue
        names = (folder, folder.replace("/", "."))
        if any(name in (repo.text(other) or "") for other in repo.files if _NAMERS.search(other)
               and not other.startswith(f"{folder}/") for name in names):
            continue
        dead.add(folder)
    return dead


def _placeholder_module(tree: ast.Module | None) -> bool:
    """A module of at most one constant assignment (and a docstring): a placeholder, not settings."""
    import ast
    if tree is None:
        return False
    body = [node for node in tree.body if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    return len(body) <= 1 and all(isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Constant)
                                  for node in body)


def pushed_tags(explicit: Sequence[str]) -> list[str]:
    """The tags being released: --tag, and at pre-push the pushed ref and the
    tags on the pushed commit (pre-commit passes the first ref with new commits)."""
    tags = [t for t in explicit if t]
    for name in ("PRE_COMMIT_LOCAL_BRANCH", "PRE_COMMIT_REMOTE_BRANCH"):
        ref = os.environ.get(name, "")
        if ref.startswith("refs/tags/"):
            tags.append(ref[len("refs/tags/"):])
    to_ref = os.environ.get("PRE_COMMIT_TO_REF", "")
    if to_ref:
        from hooks.repo import git

        try:
            tags.extend(t for t in git.run("tag", "--points-at", to_ref).split("\n") if t.strip())
        except git.GitError:
            pass
    return list(dict.fromkeys(tags))


def _tags(repo: Repo, projects: list[Project], state: State, ctx: Context, notices: list[str]) -> Iterator[Finding]:
    from hooks.checks.check_release_checklist import judge, versions

    tags = pushed_tags(ctx.options.tag or [])
    if not tags:
        return
    if state.release == "docker":
        notices.append(f"tag-not-version: {', '.join(tags)} name Docker images here (release = docker); not compared")
        return
    for tag in tags:
        parsed = versions.parse_tag(tag)
        if parsed is None:
            continue
        prefix, version = parsed
        at_tag = _repo_at(tag, ctx) or repo
        found = versions.projects(at_tag, _not_projects(at_tag, ctx)) if at_tag is not repo else projects
        project = versions.project_for_tag(found, prefix)
        if project is None or project.from_git:
            continue
        installed = project.installed
        if installed is None:
            notices.append(f"tag-not-version: tag {tag} is pushed but the project writes no version to compare it with")
            continue
        if not versions.same(installed.value, version):
            yield judge.Finding("tag-not-version", installed.path, installed.line,
                                f"tag {tag} is being pushed but {installed.label} is {installed.value}; bump the version "
                                f"to {version} and move the tag (git tag -f {tag}), or tag {installed.value}",
                                ("tag-not-version", tag))


def _repo_at(tag: str, ctx: Context) -> Repo | None:
    """The repo's files as the tag has them (read from git, not the work tree)."""
    from hooks.checks.check_release_checklist.reach import Repo
    from hooks.config import formats, loaders
    from hooks.repo import git

    try:
        commit = git.run("rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}").strip()
        files = [f for f in git.run("ls-tree", "-r", "-z", "--name-only", commit).split("\0") if f]
    except git.GitError:
        return None

    def read(path: str) -> str | None:
        try:
            return git.run("show", f"{commit}:{path}")
        except git.GitError:
            return None

    def load(path: str) -> object:
        fmt = formats.detect(path)
        text = read(path)
        return loaders.parse(path, text, fmt) if fmt and text is not None else None

    return Repo(files, read, load)  # type: ignore[arg-type]


def _changelog(repo: Repo, projects: list[Project], ctx: Context) -> Iterator[Finding]:
    from hooks.checks.check_release_checklist import judge, versions

    for project in projects:
        installed = project.installed
        if installed is None:
            continue
        pyproject = repo.doc(project.file) if project.file.endswith("pyproject.toml") else None
        if versions.has_fragments(repo, project.root, pyproject):
            continue
        files = versions.changelog_files(repo, project.root)
        if not files:
            yield judge.Finding("changelog-missing-release", installed.path, installed.line,
                                f"version {installed.value} has no changelog: no CHANGELOG, HISTORY or NEWS file; add one "
                                "with a heading for it (or towncrier/scriv fragments)", ("changelog-missing-release", "none"))
            continue
        if not any(versions.heading_line(repo.text(f) or "", installed.value) for f in files):
            yield judge.Finding("changelog-missing-release", files[0], 1,
                                f"{installed.label} is {installed.value} ({installed.path}) but {files[0]} has no heading "
                                "for it; add one with what changed", ("changelog-missing-release", files[0]))


HOOK = Hook(
    id="check-release-checklist",
    summary="The repo's CI runs lint, unit tests, an integration check and a staging-config check; versions agree and tags match.",
    check=check,
    reads="files",
    prepare=prepare,
    at_repo_root=True,
    options=(
        Option("skip", "a rule not to check, e.g. ci-no-integration-check (repeatable; keep the reason in the settings file)",
               kind="list", metavar="RULE"),
        Option("enable", "an off-by-default rule to check too: changelog-missing-release (repeatable)", kind="list", metavar="RULE"),
        Option("release", "what a release is: pypi (a package upload), docker (image tags; tags are not compared with the "
               "package version), both, or auto (every publish counts)", choices=("auto", "pypi", "docker", "both"), default="auto"),
        Option("strict", "also report what a maintainer may reasonably decline: a publish whose workflow runs no tests "
               "of its own (they ran on the branch), Docker image pushes, and a missing integration check when the repo "
               "has no integration tests written", kind="bool"),
        Option("checklist", "print the checklist table (lint, unit tests, integration check, staging config, versions: "
               "met / not met, and where)", kind="bool"),
        Option("tag", "a tag being released, compared with the project version (CI: --tag \"$GITHUB_REF_NAME\"); at pre-push "
               "the pushed tags are read from git (repeatable)", kind="list", metavar="TAG", settable=False),
    ),
    description=__doc__ or "",
)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
