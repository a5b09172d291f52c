"""Every environment variable the code reads is documented, and every documented one is still read.

Runs once per commit over the tracked files (git ls-files), reading the
service's runtime Python with ``ast`` (os.environ, django-environ, environs,
python-decouple, pydantic settings, Starlette, Flask), compose files,
supervisor configs and shell entrypoints. Documentation is wherever the
project keeps it: every env template (.env.example, .env.sample, .env-dist,
env.example, ...) or the ``docs`` sources, the Markdown and reST docs,
compose ``environment:`` values and env files, Dockerfile ENV/ARG. An
undocumented read is reported at its first read; a dead template entry at its
line. Tests, e2e harnesses, benchmarks, the docs build, dev containers, CI,
migrations and vendored code are not reads; platform, framework and library
variables (PATH, CI_COMMIT_*, RUN_MAIN, POSTGRES_*...) are never expected. A repo
with no env documentation at all gets one notice. ``--write-example`` writes
a .env.example from the reads, for review.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from re import Pattern
from typing import TYPE_CHECKING

from hooks.core import runner
from hooks.core.api import Hook, Option, Problem, UsageError
from hooks.core.records import record

if TYPE_CHECKING:
    from hooks.checks.check_env_documented.docs import Entry, Platform
    from hooks.checks.check_env_documented.reads import Read
    from hooks.repo.git import Grep

# Documenting fewer than one in MIN_SHARE_DOCUMENTED of the variables the code
# reads is keeping the documentation somewhere else.
MIN_SHARE_DOCUMENTED = 5
# ... a share told on a code that reads at least this many variables; below it,
# one documented variable (or an env template) is documenting the environment.
MIN_VARIABLES = 10


@record(frozen=True)
class State:
    skip: Pattern[str] | None  # the default excludes plus --exclude
    keep: Pattern[str] | None  # --include: read even when excluded

    def skipped(self, path: str) -> bool:
        return bool(self.skip and self.skip.match(path)) and not (self.keep and self.keep.match(path))


def prepare(ctx: runner.Context) -> State:
    from hooks.checks.check_env_documented.docs import DEFAULT_EXCLUDES
    from hooks.repo.roles import glob_union

    for source in ctx.options.docs or ():
        if not source or source.startswith("/") or ".." in source.split("/"):
            raise UsageError(f"docs: {source!r} is not a path inside the repository")
    try:
        skip = glob_union(DEFAULT_EXCLUDES + tuple(ctx.options.exclude or ()))
        keep = glob_union(tuple(ctx.options.include or ()))
    except Exception as exc:  # a glob that makes a bad regex
        raise UsageError(f"exclude/include: bad glob ({exc})") from None
    return State(skip, keep)


def check(paths: Sequence[str], ctx: runner.Context) -> Iterator[Problem]:
    from hooks.checks.check_env_documented.docs import (
        SUFFIXED,
        Platform,
        dotenv_template,
        env_file_options,
        is_template,
        parse_source,
    )
    from hooks.checks.check_env_documented.entrypoints import (
        only_ci,
        only_started,
        only_started_main,
        set_by_sibling,
        set_by_starter,
    )
    from hooks.checks.check_env_documented.scan import (
        GitFiles,
        ci_compose_env,
        collect,
        compare,
        compose_env_files,
        compose_launch_writes,
        dead_code,
        documented_elsewhere,
        documented_share,
        env_file_reads,
        falls_back,
        mode_documented,
        needed_undocumented,
        outside_settings,
        read_bytes,
        registry_names,
        settings_reads,
        still_named,
    )
    from hooks.core.records import replace
    from hooks.repo import git

    state: State = ctx.state
    try:
        files = GitFiles()
    except git.GitError as exc:
        raise UsageError(str(exc)) from None
    tracked = files.tracked
    if ctx.options.docs:
        sources = list(ctx.options.docs)
        missing = [s for s in sources if s not in tracked and read_bytes(s) is None]
        if missing:
            raise UsageError(f"docs: {', '.join(missing)} is not in the repository")
    else:
        # every env template in the repo, the root's first
        sources = sorted((p for p in tracked if is_template(p) or (SUFFIXED.search(p) and dotenv_template(
            p, read_bytes(p)))), key=lambda p: (p.count("/"), p))
        # and the files a command of the repo passes with --env-file (docs, Makefile, scripts)
        sources += [p for p in env_file_options(tracked, files.grep, read_bytes) if p not in sources]
    from hooks.repo.git import blob_ids

    blobs = blob_ids()
    found = collect(sorted(tracked), state.skipped, candidates=files.candidates, blobs=blobs)
    # a `run*`/`start*` script is the service's only when its deployment starts it
    found.reads = only_started(found.reads, tracked, state.skipped, read_bytes)
    # a module's `if __name__ == "__main__":` block is the service's only when its deployment starts the module
    found.reads = only_started_main(found.reads, tracked, state.skipped, read_bytes)
    # a script's read of a name the script that starts it (same folder) exports with a value
    found.reads = set_by_sibling(found.reads, tracked, read_bytes)
    # a read of a name the entrypoint exports before it starts the file (`uwsgi --ini .prod/uwsgi.ini`)
    found.reads = set_by_starter(found.reads, tracked, state.skipped, read_bytes)
    # the scripts only a CI pipeline runs (deploy tooling the CI step gives its variables)
    found.reads = only_ci(found.reads, tracked, state.skipped, read_bytes)
    reads = found.reads + settings_reads(found.classes) + env_file_reads(found, tracked, sources)
    reads += compose_launch_writes(tracked, files.grep)
    # a compose file's `${X}` that the CI pipeline deploying it sets (`env:` before `envsubst`/`docker compose`)
    from_ci = ci_compose_env(tracked)
    if from_ci:
        reads = [replace(r, weak=True) if r.form == "compose" and r.name in from_ci and not r.weak else r
                 for r in reads]
    # a module its package's __init__ leaves out and nothing else names, a module-level function nothing
    # calls or names anywhere: their reads keep entries alive only
    reads = dead_code(reads, tracked, files.grep)
    platform = Platform(ctx.options.platform or (), tracked)

    def documentation() -> list[Entry]:
        entries: list[Entry] = []
        for source in sources:
            data = read_bytes(source)
            entries.extend(parse_source(source, data.decode("utf-8-sig", "replace") if data else ""))
        return entries

    entries = documentation()
    if ctx.options.write_example:
        target = _write_example(ctx, reads, entries, sources, platform)
        if target not in sources:
            sources.append(target)
        entries = documentation()
    for path in found.scanned + sources:
        ctx.mark_checked(path)
    if not reads and not entries:
        ctx.notice("nothing to check: no environment reads and no .env.example found")
        return
    # Where else the project documents variables: its docs pages, compose
    # `environment:` values, Dockerfile ENV/ARG, the env files compose loads.
    elsewhere = documented_elsewhere(tracked, reads, blobs=blobs)
    # and the deploy scripts that set variables on the platform (`heroku config:set X=`, a list PATCHed
    # into Heroku's config-vars, `kubectl set env`, `--set-env-vars`): like app.json
    from hooks.checks.check_env_documented.pushed import platform_set_names

    elsewhere.names |= platform_set_names(tracked, files.grep, read_bytes)
    # a mode's variables in the compose env file (a test setup's too) that selects the mode (`if X == "FILE":`)
    mode_files = compose_env_files(tracked)
    if mode_files:
        elsewhere.names |= mode_documented(reads, mode_files)
    # and its own registry in Python: {"X": {"description": "..."}, ...}
    listed = {e.name for e in entries} | elsewhere.names
    elsewhere.names |= registry_names({r.name for r in reads if r.kind == "name" and not r.weak} - listed,
                                      files.grep, state.skipped)
    # `X = os.getenv("X")` that the code tests for being unset (`if not app.config.get("X"):
    # build it from parts`): an optional override, not a variable the deploy needs
    overrides = falls_back(reads, needed_undocumented(reads, entries, platform, elsewhere.names), files.grep)
    if overrides:
        reads = [replace(r, default="") if r.name in overrides and r.kind == "name" and r.default is None
                 and r.path.endswith(".py") else r for r in reads]
    documented, named = documented_share(reads, entries, platform, elsewhere.names)
    needed_documented, needed = documented_share(reads, entries, platform, elsewhere.names, needed=True)
    # A project that documents a fifth or less of what its code reads keeps its
    # configuration reference elsewhere (a deployment repo, a website) or nowhere:
    # one notice, not a line per variable; its templates' dead entries still count.
    # Unless it documents at least half of the variables its code needs (no
    # default): then the rest are optional knobs, rarely documented (round 6:
    # helios names 7 of its 54, and SECRET_KEY of the 2 it needs).
    kept_here = bool(ctx.options.docs) or (documented * MIN_SHARE_DOCUMENTED > named if named >= MIN_VARIABLES
                                           else bool(documented or sources)) or (
        needed > 0 and needed_documented * 2 >= needed)
    if not kept_here and named:
        if documented:
            # name the ones it needs: a read that fails without its variable wants a line somewhere
            wanted = sorted(needed_undocumented(reads, entries, platform, elsewhere.names))
            shown = f": {', '.join(wanted[:5] + (['...'] if len(wanted) > 5 else []))}" if wanted else ""
            ctx.notice(f"too little environment documentation to check against: the env documentation names "
                       f"{documented} of the {named} variables the code reads ({needed_documented} of the {needed} "
                       f"it needs, read with no default{shown}), so none is reported; name the project's configuration "
                       "reference with `--docs`, or `check-env-documented --write-example` writes a .env.example "
                       "from the reads (secrets left empty) for review", always=True)
        else:
            ctx.notice(f"no environment documentation: no env template (.env.example, .env.sample, ...) and no docs "
                       f"page names any of the {named} variable(s) the code reads; `check-env-documented "
                       "--write-example` writes a .env.example from the reads (secrets left empty) for review, or "
                       "name your documentation with `--docs`", always=True)
        if not sources:
            return
    hidden: list[str] = []
    problems = list(compare(reads, entries, sources, platform, ctx.options.strict, elsewhere.names,
                            optional=bool(ctx.options.optional), hidden=hidden, undocumented_reads=kept_here))
    if hidden and kept_here:
        names = ", ".join(sorted(hidden) if ctx.verbose else sorted(hidden)[:5] + (["..."] if len(hidden) > 5 else []))
        ctx.notice(f"{len(hidden)} variable(s) read with a default, optional knobs, are not documented ({names}); "
                   "`--optional` reports each")
    dead = {p.identity[1] for p in problems if p.identity[0] == "dead"}
    alive = still_named(dead, sources, files.grep) if dead else set()
    # settings that star-import an installed package's settings module: it may read any entry
    outside = outside_settings(tracked, files.grep, state.skipped) if dead - alive else None
    if outside:
        unknown = sorted(dead - alive)
        names = ", ".join(unknown[:5] + (["..."] if len(unknown) > 5 else []))
        ctx.notice(f"{len(unknown)} documented variable(s) that nothing in the repo reads are not reported "
                   f"({names}): {outside[0]} star-imports {outside[1]}, settings of an installed package, "
                   "which may read them")
        alive |= dead
    elif dead - alive:
        alive |= _library_entries(ctx, dead - alive, tracked, sources, state, files.grep)
    for problem in problems:
        if not (problem.identity[0] == "dead" and problem.identity[1] in alive):
            yield problem


def _library_entries(ctx: runner.Context, dead: set[str], tracked: set[str], sources: list[str], state: State,
                     grep: Grep) -> set[str]:
    """The dead entries a package of the same project that the service imports (a client
    library) may read: those whose family (first word) the repo's code never spells; one notice."""
    from hooks.checks.check_env_documented.scan import project_package, project_words, without_family
    from hooks.repo import git

    try:
        remote: str | None = git.run("config", "--get", "remote.origin.url")
    except git.GitError:
        remote = None
    words = project_words(tracked, remote)
    library = project_package(tracked, state.skipped, words, grep=grep) if words else None
    unknown = sorted(without_family(dead, sources, grep)) if library else []
    if not (library and unknown):
        return set()
    names = ", ".join(unknown[:5] + (["..."] if len(unknown) > 5 else []))
    ctx.notice(f"{len(unknown)} documented variable(s) that nothing in the repo reads are not reported "
               f"({names}): {library[0]} imports {library[1]}, an installed package of the same project, "
               "which may read them")
    return set(unknown)


def _write_example(ctx: runner.Context, reads: list[Read], entries: list[Entry], sources: list[str],
                   platform: Platform) -> str:
    """Write or extend the example file; returns its path."""
    import os

    from hooks.checks.check_env_documented.example import render
    from hooks.core.writing import WriteError, read_existing, write_file

    target = next((s for s in sources if not s.lower().endswith((".md", ".markdown"))), ".env.example")
    fresh = not os.path.lexists(target)
    text, written, secrets = render(reads, entries, platform, fresh)
    if not text:
        ctx.emit(f"{target}: nothing to add: every read is documented")
        return target
    try:  # inside the repo, never through a symlink, atomic (hooks.core.writing)
        if fresh:
            write_file(target, text, exclusive=True)
        else:
            old = read_existing(target)
            if old and not old.endswith(b"\n"):
                old += b"\n"
            write_file(target, old + text.encode("utf-8"))
    except WriteError as exc:
        raise UsageError(f"--write-example: {exc}") from None
    ctx.changed = True
    ctx.emit(f"{'wrote' if fresh else 'appended to'} {target}: {written} variable(s), "
             f"{secrets} secret(s) left empty; review it, then `git add {target}`")
    return target


HOOK = Hook(
    id="check-env-documented",
    summary="Every environment variable the code reads is documented, and every documented one is still read.",
    check=check,
    reads="files",
    options=(
        Option("docs", "documentation source whose entries must still be read: a dotenv-style file or a Markdown "
               "page (repeatable; default: every env template in the repo, .env.example, .env.sample, .env-dist...)",
               kind="list", metavar="PATH"),
        Option("strict", "also report reads whose name cannot be told statically (f-strings, variables)",
               kind="bool"),
        Option("optional", "also report undocumented variables the code reads with a default (optional knobs); "
               "by default only those it needs, a dead entry, are reported", kind="bool"),
        Option("exclude", "also skip files matching GLOB (tests, fixtures and vendored code always are)",
               kind="list", metavar="GLOB"),
        Option("include", "read files matching GLOB even when excluded by default (e.g. tests/**)",
               kind="list", metavar="GLOB"),
        Option("platform", "a variable the platform sets, never expected in the docs (repeatable; globs: MYCI_*)",
               kind="list", metavar="NAME"),
        Option("write-example", "write (or add to) .env.example from the reads found, secrets left empty, "
               "for review", kind="bool", settable=False),
    ),
    description=__doc__ or "",
    prepare=prepare,
    at_repo_root=True,
)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
