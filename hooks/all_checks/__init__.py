"""``all-checks``: every default-stage check of the collection, in one process.

pre-commit starts one process per hook. On a commit of one settings module
about twelve of ours match, so twelve interpreters start, import the shared
core and list the repository; that fixed cost is most of what the collection
costs at commit time (docs/performance.md). This hook runs each check exactly
as its own hook would (the files pre-commit would give it, its settings, the
baseline, the same output lines and exit code) from one process, so the
start-up, the imports, the settings and the parsed Python modules are paid once.

    legacy-config-checks [--skip IDS] [--only IDS] [--format text|github|json|sarif]
                         [--baseline FILE] [--write-baseline [FILE]] [--report-stale]
                         [--max-file-size SIZE] [--verbose] [files]

JSON and SARIF come out as one document holding every check's findings.

``SKIP=check-env-documented git commit`` skips one check, as it would skip
that hook. Per-check options live in ``[tool.legacy-config-hooks.<hook-id>]``.
"""
from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Sequence
from typing import Any

PROG = "legacy-config-checks"
# Shared options every check understands, passed to each (flag -> takes a value).
FORWARDED = {"--baseline": True, "--max-file-size": True, "--format": True, "--report-stale": False,
             "--verbose": False}


class _Usage(Exception):
    pass


def _split_ids(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def parse(argv: Sequence[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    """(only, skip, options passed to every check, file names)."""
    only: list[str] = []
    skip: list[str] = []
    forwarded: list[str] = []
    files: list[str] = []
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, inline = arg.partition("=")
        if arg == "--":
            files.extend(args[i + 1:])
            break
        if name in ("--only", "--skip") or FORWARDED.get(name):
            if eq:
                value = inline
            elif i + 1 < len(args):
                i += 1
                value = args[i]
            else:
                raise _Usage(f"{name} needs a value")
            if name == "--only":
                only += _split_ids(value)
            elif name == "--skip":
                skip += _split_ids(value)
            else:
                forwarded += [name, value]
        elif name == "--write-baseline":  # an optional value, as the single hooks take it
            if eq:
                forwarded.append(arg)
            elif i + 1 < len(args) and not args[i + 1].startswith("-"):
                i += 1
                forwarded += [name, args[i]]
            else:
                forwarded.append(name)
        elif arg in FORWARDED:
            forwarded.append(arg)
        elif arg in ("-h", "--help"):
            raise _Usage("help")
        elif arg.startswith("-"):
            raise _Usage(f"unknown option {arg} (per-check options go in [tool.legacy-config-hooks.<hook-id>])")
        else:
            files.append(arg)
        i += 1
    return only, skip, forwarded, files


def _output_format(forwarded: Sequence[str]) -> str:
    """The format every check will print in: flag > environment > settings > default,
    decided by the runner's own rule."""
    from hooks.core import runner, settings
    from hooks.core.api import UsageError

    given = forwarded[forwarded.index("--format") + 1] if "--format" in forwarded else None
    try:
        return runner.read_shared({"format": given}, settings.load()).format
    except (UsageError, ValueError) as exc:
        raise _Usage(str(exc)) from None


class _Documents:
    """The checks' JSON or SARIF documents, merged into one (several documents
    in one stream are no document a CI tool can read)."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.merged: dict[str, Any] | None = None

    def add(self, text: str) -> None:
        import json

        if not text.strip():
            return
        document = json.loads(text)
        if self.merged is None:
            self.merged = document
            if self.fmt == "json":
                document["hook"] = "all-checks"
            return
        if self.fmt == "json":
            self.merged["findings"].extend(document["findings"])
        else:
            run, new = self.merged["runs"][0], document["runs"][0]
            rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"] + new["tool"]["driver"]["rules"]}
            run["tool"]["driver"]["rules"] = [rules[key] for key in sorted(rules)]
            run["results"].extend(new["results"])

    def write(self) -> None:
        import json

        if self.merged is not None:
            json.dump(self.merged, sys.stdout, indent=2)
            sys.stdout.write("\n")


def _write_err(text: str) -> None:
    from hooks.core import escaping

    sys.stdout.flush()
    sys.stderr.write(escaping.text(text) + "\n")


def run(argv: Sequence[str]) -> int:
    from hooks.core import runcache, runner
    from hooks.report import collect

    runcache.track()  # from the start: every check's kept result names what the process read before it

    only, skip, forwarded, files = parse(argv)
    skip += _split_ids(os.environ.get("SKIP", ""))  # pre-commit's own: SKIP=hook-id,...
    specs = collect.load_manifest()
    try:
        chosen = collect.select(specs, only, [s for s in skip if s in specs])
    except ValueError as exc:
        raise _Usage(str(exc)) from None
    from hooks.repo import git

    git.share_answers()  # no check here writes files: the listing, the index and the top are the same for all
    root = git.toplevel()
    if root is None:
        raise _Usage("not inside a git work tree")
    here = os.getcwd()
    paths = [os.path.relpath(os.path.join(here, f), root) if not os.path.isabs(f) else os.path.relpath(f, root)
             for f in files]
    os.chdir(root)
    from hooks.config import python_trees

    python_trees.share(collect.SHARED_PYTHON_BYTES)  # each Python module parsed once for all checks
    runner.share_documents()  # and each config file loaded once (the settings module: by three checks)
    fmt = _output_format(forwarded)
    documents = _Documents(fmt) if fmt in ("json", "sarif") else None
    given = _assign(specs, chosen, paths, root)
    try:
        return _run_checks(specs, chosen, given, forwarded, documents, root)
    finally:
        runner.share_documents(False)  # a later run in this process (tests) loads the files again


def _assign(specs: dict[str, Any], chosen: Sequence[str], paths: list[str], root: str) -> dict[str, list[str]]:
    """``collect.assign``: which files each check gets, as pre-commit would give them.
    Over a whole repo that is ~17 patterns against thousands of paths (0.3 s on
    readthedocs.org's 2,674 files); the answer is kept in the result cache for the
    same checks, manifest, file list and index (``git ls-files -s``: every path's
    mode and object id, which is all the file types depend on). A file git does not
    track, or one changed in the work tree, and it is worked out again."""
    from hooks.report import collect

    if len(paths) < 200:
        return collect.assign(specs, chosen, paths, root)
    import hashlib
    import json

    from hooks.core import cache
    from hooks.repo import git

    if cache.directory() is None:
        return collect.assign(specs, chosen, paths, root)
    try:
        index = git.run("ls-files", "-s", "-z")
        dirty = set(git.run("diff", "--name-only", "-z", "--no-ext-diff").split("\0"))
    except git.GitError:
        return collect.assign(specs, chosen, paths, root)
    tracked = {entry.partition("\t")[2] for entry in index.split("\0")}
    if any(p not in tracked or p in dirty for p in paths):
        return collect.assign(specs, chosen, paths, root)
    question = json.dumps([list(chosen), cache.encode(specs), paths]) + "\0" + index
    digest = hashlib.sha256(question.encode("utf-8", "surrogatepass")).hexdigest()
    kept = cache.FileResults("assign", os.path.realpath(root))
    entry = kept.old.get("given")
    if isinstance(entry, dict) and entry.get("digest") == digest:
        files = entry.get("files")
        if (isinstance(files, dict) and set(files) == set(chosen)
                and all(isinstance(v, list) and all(type(i) is int and 0 <= i < len(paths) for i in v) for v in files.values())):
            return {h: [paths[i] for i in files[h]] for h in chosen}
    given = collect.assign(specs, chosen, paths, root)
    position = {p: i for i, p in enumerate(paths)}
    kept.replace({"given": {"digest": digest, "files": {h: [position[p] for p in v] for h, v in given.items()}}})
    return given


def _run_checks(specs: dict[str, Any], chosen: Sequence[str], given: dict[str, list[str]], forwarded: list[str],
                documents: _Documents | None, root: str) -> int:
    from hooks.core import registry, runner

    worst = 0
    for hook_id in chosen:
        spec = specs[hook_id]
        if not given[hook_id] and not spec.always_run:
            continue  # pre-commit would say "(no files to check) Skipped"
        if not spec.pass_filenames and not _first_whole_repo_run(hook_id, chosen, forwarded):
            continue  # another all-checks process of this pre-commit run checks the repo for it
        hook_argv = forwarded + (given[hook_id] if spec.pass_filenames else [])
        out = io.StringIO() if documents is not None else None
        try:
            with contextlib.redirect_stdout(out) if out is not None else contextlib.nullcontext():
                code = runner.main(registry.get(hook_id), hook_argv)
            if out is not None and documents is not None:
                documents.add(out.getvalue())
        except Exception as exc:  # noqa: BLE001 - one check's crash must not hide the others' findings
            _write_err(f"{hook_id}: internal error ({type(exc).__name__}); run `python -m hooks {hook_id}` alone to see it")
            code = 2
        finally:
            os.chdir(root)  # a check may have moved; the next one starts where pre-commit started us
        worst = max(worst, code)
    if documents is not None:
        documents.write()
    return worst


def _first_whole_repo_run(hook_id: str, chosen: Sequence[str], forwarded: Sequence[str]) -> bool:
    """Whether this process runs ``hook_id``, a check that reads the repository
    and not the files given (``pass_filenames: false``).

    pre-commit splits a long file list (over 128 KB of names: ``--all-files`` on
    a few thousand files) into several all-checks processes. Each would run such a
    check on the same repository and print the same findings again; only the first
    of the run to claim it (``runner.first_in_run``: an exclusive create of a marker
    named after the pre-commit process, this check and these options, so
    concurrent parts cannot both win) runs it, and its exit code carries them.
    Outside pre-commit, or where the run cannot be told, every process runs it.
    Writing a baseline, every process runs every check (each writes the file)."""
    import json

    from hooks.core import runner

    if any(arg.startswith("--write-baseline") for arg in forwarded):
        return True
    return runner.first_in_run(PROG, "whole-repo check " + json.dumps([hook_id, list(chosen), list(forwarded)]))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except _Usage as exc:
        if str(exc) == "help":
            sys.stdout.write(__doc__ or "")
            return 0
        _write_err(f"{PROG}: error: {exc}")
        return 2
