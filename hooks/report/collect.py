"""Run every selected hook's check over a repo's tracked files in one process.

Files go to each hook exactly as ``pre-commit run --all-files`` would pass
them: the manifest's ``files`` / ``exclude`` / ``types`` decide, hooks that are
not in the default stages (writers such as ``new-config-note``) are left out,
and ``pass_filenames: false`` hooks run once with no names. Checks run through
``hooks.core.runner.collect`` with one shared, bounded document cache, so each file
is parsed once for every hook and memory stays flat. Findings come back after
inline suppression and before the baseline (the report counts baselined
findings itself).
"""
from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Callable

from hooks.core import registry
from hooks.core.records import field, record

MANIFEST = Path(__file__).with_name("pre-commit-hooks.yaml")
CHUNK = 128  # files per batch: the shared document cache holds one batch
CACHE_SIZE = CHUNK + 64  # plus partners read from outside the batch (parity)
DEFAULT_STAGES = {"pre-commit", "commit"}
MIN_BATCHES_FOR_PROCESSES = 4  # a small repo is done before worker processes would start
# With processes, the worker that runs the parts hooks' whole stream also takes
# this share of the batches whole. Chosen for two workers on the generated repo
# (their stream alone costs most of a whole batch per batch, since they need
# most files); one value tried, not tuned further.
FIRST_WORKER_SHARE = 0.25
# Python source whose syntax trees are kept for every check (hooks/config/python_trees.py);
# a tree takes about 20 times its source's size.
SHARED_PYTHON_BYTES = 2 * 1024 * 1024


@record
class Spec:
    """One hook as the manifest declares it."""

    id: str
    files: str = ""
    exclude: str = "^$"
    types: tuple[str, ...] = ("file",)
    types_or: tuple[str, ...] = ()
    exclude_types: tuple[str, ...] = ()
    pass_filenames: bool = True
    always_run: bool = False
    require_serial: bool = False
    stages: tuple[str, ...] = ()

    def matches(self, path: str, tags: Callable[[str], frozenset[str]]) -> bool:
        if self.files and not re.search(self.files, path):
            return False
        if re.search(self.exclude, path):
            return False
        have = tags(path)
        if not set(self.types) <= have:
            return False
        if self.types_or and not set(self.types_or) & have:
            return False
        return not set(self.exclude_types) & have


@record
class HookResult:
    """What one hook found over the repo."""

    id: str
    summary: str = ""
    files_checked: int | None = 0  # None: the hook reads the repo or the git change itself
    findings: list[dict[str, Any]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def load_manifest(path: Path = MANIFEST) -> dict[str, Spec]:
    """id -> Spec for every hook of the manifest that is in the registry."""
    import yaml  # our own bundled file: libyaml's loader, 2 ms where ruamel.yaml's pure one takes 40

    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []
    specs: dict[str, Spec] = {}
    for entry in data:
        hook_id = str(entry.get("id", ""))
        if hook_id not in registry.HOOKS:
            continue
        specs[hook_id] = Spec(
            id=hook_id,
            files=str(entry.get("files", "") or ""),
            exclude=str(entry.get("exclude", "^$") or "^$"),
            types=tuple(entry.get("types", ["file"])),
            types_or=tuple(entry.get("types_or", [])),
            exclude_types=tuple(entry.get("exclude_types", [])),
            pass_filenames=bool(entry.get("pass_filenames", True)),
            always_run=bool(entry.get("always_run", False)),
            require_serial=bool(entry.get("require_serial", False)),
            stages=tuple(entry.get("stages", [])),
        )
    return specs


def default_hooks(specs: dict[str, Spec]) -> list[str]:
    """The hooks ``pre-commit run --all-files`` runs: not manual-only writers."""
    return [h for h, s in specs.items() if not s.stages or DEFAULT_STAGES & set(s.stages)]


def select(specs: dict[str, Spec], only: Sequence[str], skip: Sequence[str]) -> list[str]:
    """Hook ids to run; ValueError names an unknown id."""
    checks = default_hooks(specs)
    for hook_id in (*only, *skip):
        if hook_id in specs and hook_id not in checks:
            raise ValueError(f"{hook_id} is a manual-stage helper, not a check: the report does not run it")
        if hook_id not in specs:
            known = ", ".join(sorted(checks))
            raise ValueError(f"unknown hook {hook_id!r} (known: {known})")
    chosen = list(only) if only else checks
    return [h for h in chosen if h not in set(skip)]


# -- files --------------------------------------------------------------------
def _git(root: str, *args: str) -> str:
    from hooks.repo import git

    try:
        return git.run(*args, cwd=root)
    except git.GitError as exc:
        raise ValueError(str(exc)) from None


def repo_root(start: str = ".") -> str:
    """The top of the git work tree holding ``start``."""
    try:
        return _git(start, "rev-parse", "--show-toplevel").strip()
    except (ValueError, OSError):
        raise ValueError(f"{os.path.abspath(start)}: not inside a git work tree") from None


def head_commit(root: str) -> str | None:
    try:
        return _git(root, "rev-parse", "HEAD").strip() or None
    except (ValueError, OSError):
        return None


def tracked_files(root: str, since: str | None = None) -> list[str]:
    """Tracked files that exist (as pre-commit --all-files sees them); with
    ``since``, only those added or changed since that ref (work tree included)."""
    names = [n for n in _git(root, "ls-files", "-z").split("\0") if n]
    if since:
        from hooks.repo import git

        try:
            since = git.rev(since)
        except git.GitError as exc:
            raise ValueError(f"--since: {exc}") from None
        changed = set(_git(root, "diff", "--name-only", "-z", "--diff-filter=d", "--end-of-options", since, "--")
                      .split("\0"))
        names = [n for n in names if n in changed]
    return sorted(n for n in names if os.path.lexists(os.path.join(root, n)))


def _tagger(root: str) -> Callable[[str], frozenset[str]]:
    """identify's tags when pre-commit's identify is installed, else a close
    approximation (file / text / binary / symlink / python)."""
    try:
        from identify import identify as _identify

        identify: Any = _identify
    except ImportError:  # pragma: no cover - pre-commit brings identify
        identify = None
    cache: dict[str, frozenset[str]] = {}

    def tags(path: str) -> frozenset[str]:
        if path not in cache:
            full = os.path.join(root, path)
            if identify is not None:
                try:
                    cache[path] = frozenset(identify.tags_from_path(full))
                except ValueError:
                    cache[path] = frozenset()
            else:
                cache[path] = _rough_tags(full)
        return cache[path]

    return tags


def _rough_tags(full: str) -> frozenset[str]:
    if os.path.islink(full):
        return frozenset({"symlink"})
    if not os.path.isfile(full):
        return frozenset()
    try:
        with open(full, "rb") as f:
            head = f.read(1024)
    except OSError:
        return frozenset({"file"})
    kind = "binary" if b"\0" in head else "text"
    extra = {"python"} if full.endswith(".py") else set()
    return frozenset({"file", kind, *extra})


def assign(specs: dict[str, Spec], hook_ids: Sequence[str], files: Sequence[str], root: str) -> dict[str, list[str]]:
    """hook id -> the files pre-commit would pass it."""
    tags = _tagger(root)
    return {h: [p for p in files if specs[h].matches(p, tags)] for h in hook_ids}


# -- running ------------------------------------------------------------------
class Session:
    """One process's view of the run: the project settings, the shared options
    and one bounded document cache that every hook reads through, so each file
    is parsed once for all of them (memory stays flat: the cache holds about
    one batch). Each hook keeps its context (and what ``prepare`` returned)."""

    def __init__(self, root: str) -> None:
        from hooks.config import python_trees
        from hooks.core import runner, settings

        python_trees.share(SHARED_PYTHON_BYTES)  # each Python module parsed once for all checks
        self.root = root
        self.project = settings.load(root)
        self.shared = runner.read_shared({}, self.project, root)
        self.documents = runner.Documents(self.shared.max_file_size, size=CACHE_SIZE)
        self.contexts: dict[str, Any] = {}

    def validate(self, hook_ids: Sequence[str]) -> None:
        """The hooks' own settings checks: UsageError names a bad setting."""
        from hooks.core import runner

        for hook_id in hook_ids:
            self._context(hook_id)
            runner.validate_top(registry.get(hook_id), self.project)
        import gc

        gc.collect()
        gc.freeze()  # every hook module is loaded: keep them out of the collector's scans

    def _context(self, hook_id: str) -> Any:
        from hooks.core import runner

        if hook_id not in self.contexts:
            hook = registry.get(hook_id)
            notices: list[str] = []
            options = runner.resolve_options(hook, {}, self.project, notices, self.root)
            ctx = runner.Context(hook, options, self.shared, self.documents)
            ctx.invoked_from = self.root
            for notice in notices:
                ctx.notice(notice)
            self.contexts[hook_id] = ctx
        return self.contexts[hook_id]

    def run(self, hook_id: str, files: Sequence[str], partial: bool = False) -> tuple[list[dict[str, Any]], list[str]]:
        """One hook over ``files``: its findings (suppression applied, not the
        baseline) as JSON records, and its notices (what it could not check).
        ``partial``: one part of a "files" hook's files (``runner.takes_parts``)."""
        from hooks.core import runner
        from hooks.core.api import UsageError

        ctx = self._context(hook_id)
        seen = len(ctx.notices)
        ctx.checked, ctx.output = [], []
        ctx.partial = partial
        try:
            result = runner.collect(ctx.hook, ctx, list(files))
        except UsageError as exc:
            return [], [f"{hook_id}: error: {exc}"]
        except Exception as exc:  # noqa: BLE001 - one hook's crash must not lose the others' report
            return [], [f"{hook_id}: internal error ({type(exc).__name__}); run the hook alone to see it"]
        from hooks.core.reporting import record

        records = [record(f) for f in result.findings]
        return records, list(ctx.notices[seen:])


_SESSIONS: dict[str, Session] = {}


def session(root: str) -> Session:
    """This process's session for ``root`` (worker processes make their own)."""
    if root not in _SESSIONS:
        _SESSIONS[root] = Session(root)
    return _SESSIONS[root]


Work = list[tuple[str, list[str], bool]]  # one batch: (hook id, its files, partial)
Task = tuple[list[Work], str]  # batches run in order in one process, and the root
Found = list[tuple[str, list[dict[str, Any]], list[str]]]  # (hook id, findings, notices)


def _run_batch(task: Task) -> Found:
    """Every hook of each batch of files, through one document cache."""
    batches, root = task
    if os.getcwd() != root:
        os.chdir(root)
    current = session(root)
    found: Found = []
    for work in batches:
        with _collect_garbage_after(batched=len(work) != 1 or len(work[0][1]) <= CHUNK):
            found.extend((hook_id, *current.run(hook_id, files, partial)) for hook_id, files, partial in work)
    return found


_BATCHES_RUN = [0]
YOUNG_COLLECTION_EVERY = 4  # batches: the loaders' cyclic garbage of a few batches waits
FULL_COLLECTION_EVERY = 32  # batches: cyclic garbage that outlived a batch
_PAUSED: list[bool] = []  # the collector was left off between batches; what it was before


@contextlib.contextmanager
def _collect_garbage_after(batched: bool) -> Iterator[None]:
    """Parsed documents are large graphs of small objects: with the default
    settings the cyclic garbage collector kept rescanning them and took a
    fifth of the report's CPU time. Batches run with it off. Documents hold
    no reference cycles (they are freed when the cache drops them); only the
    loaders leave cyclic garbage. So the young generations are collected every
    few batches (each collection scans the live documents of the cache, so
    fewer collections cost less), the old one rarely, and the collector stays
    off in between (turned on, it would scan the whole batch at once). A
    whole-repo run of one hook keeps it on, but rarely, and is followed by a
    collection. The modules loaded before the first batch are frozen out of
    every scan."""
    import gc

    enabled = _PAUSED.pop() if _PAUSED else gc.isenabled()
    threshold = gc.get_threshold()
    if not gc.get_freeze_count():
        gc.collect()
        gc.freeze()
    if batched:
        gc.disable()
    else:
        gc.set_threshold(20000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        _BATCHES_RUN[0] += 1
        count = _BATCHES_RUN[0]
        if batched and count % YOUNG_COLLECTION_EVERY:
            _PAUSED.append(enabled)  # off until the next batch, which turns it off anyway
        else:
            if enabled:
                gc.enable()
            gc.collect(2 if count % FULL_COLLECTION_EVERY == 0 else 1)


def _garbage_collected() -> None:
    """After the last batch: the collector as it was, and the garbage left."""
    import gc

    if _PAUSED:
        if _PAUSED.pop():
            gc.enable()
        gc.collect(1)


@contextlib.contextmanager
def _quiet_environment() -> Iterator[None]:
    """Environment variables meant for the hooks under pre-commit must not
    change what the report collects (format, writing a baseline)."""
    names = [n for n in os.environ if n.startswith("LEGACY_CONFIG_HOOKS_")]
    saved = {n: os.environ.pop(n) for n in names}
    try:
        yield
    finally:
        os.environ.update(saved)


def collect(
    root: str,
    hook_ids: Sequence[str],
    files: Sequence[str],
    specs: dict[str, Spec],
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list[HookResult]:
    """Run ``hook_ids`` over ``files`` (relative to ``root``)."""
    assigned = assign(specs, hook_ids, files, root)
    results = {
        h: HookResult(h, files_checked=len(assigned[h]) if specs[h].pass_filenames else None) for h in hook_ids
    }
    chunks = -(-len(files) // CHUNK)
    processes = jobs > 1 and chunks >= MIN_BATCHES_FOR_PROCESSES
    # "files" hooks that take their files in parts go by the batches too (they
    # keep state across parts, so all their parts run in one process).
    parts = [h for h in hook_ids if specs[h].pass_filenames and specs[h].require_serial and _takes_parts(h)]
    batched = [h for h in hook_ids if specs[h].pass_filenames and not specs[h].require_serial]
    whole = [h for h in hook_ids if h not in batched and h not in parts]
    cwd = os.getcwd()
    with _quiet_environment():
        os.chdir(root)  # hooks see paths relative to the top of the work tree, as under pre-commit
        _SESSIONS.pop(root, None)  # settings as they are now
        # Each batch: CHUNK consecutive files, and every batched hook's share
        # of them (one pass over each hook's files, not one per batch).
        batch_of = {p: i // CHUNK for i, p in enumerate(files)}
        shares: list[dict[str, list[str]]] = [{} for _ in range(chunks)]
        for h in batched + parts:
            for p in assigned[h]:
                shares[batch_of[p]].setdefault(h, []).append(p)
        last: list[Work] = [[(h, [], False)] for h in parts if assigned[h]]  # the last call: run-wide notices

        def batch(share: dict[str, list[str]], ids: Sequence[str]) -> Work:
            return [(h, share[h], h in parts) for h in hook_ids if h in ids and h in share]

        tasks: list[Task] = []
        if processes:
            # Every part of the parts hooks runs in one worker, in order: the
            # first task, and the longest. It also takes the first batches
            # whole; the other workers take the other hooks' later batches
            # (and the first worker joins them when done). Only the files of
            # those later batches that both need are parsed twice, once in
            # each process.
            first = int(len(shares) * FIRST_WORKER_SHARE)
            stream = [batch(share, batched + parts) for share in shares[:first]]
            stream += [batch(share, parts) for share in shares[first:]]
            tasks.append(([w for w in stream if w] + last, root))
            tasks += [([w], root) for w in (batch(share, batched) for share in shares[first:]) if w]
        else:
            tasks += [([w], root) for w in (batch(share, batched + parts) for share in shares) if w]
            tasks += [([w], root) for w in last]
        for h in whole:
            if assigned[h] or specs[h].always_run or not specs[h].pass_filenames:
                names = assigned[h] if specs[h].pass_filenames else []
                tasks.append(([[(h, names, False)]], root))
        total = sum(_weight(t) for t in tasks)
        done: dict[int, Found] = {}
        try:
            for index, found, weight in _execute(tasks, jobs if processes else 1):
                done[index] = found
                if progress is not None:
                    progress(weight, total)
        finally:
            os.chdir(cwd)
            _garbage_collected()
            from hooks.config import python_trees

            python_trees.stop()
        calls: dict[str, int] = {}
        said: dict[str, dict[str, int]] = {}  # hook -> notice (numbers aside) -> how many of its calls said it
        for index in sorted(done):  # task order: each hook's findings in file order
            for hook_id, findings, notices in done[index]:
                results[hook_id].findings.extend(findings)
                calls[hook_id] = calls.get(hook_id, 0) + 1
                for n in dict.fromkeys(notices):
                    key = _notice_key(n)
                    said.setdefault(hook_id, {})[key] = said.get(hook_id, {}).get(key, 0) + 1
                    if all(_notice_key(m) != key for m in results[hook_id].notices):
                        results[hook_id].notices.append(n)
        for hook_id, result in results.items():
            # a batch's "nothing to check" is the hook's only when every batch said it (parts hooks and
            # whole-repo hooks answer once, in their last call)
            result.notices = [n for n in result.notices if not _nothing_checked(n)
                              or (not result.findings and (hook_id not in batched or said[hook_id][_notice_key(n)] >= calls[hook_id]))]
    return [results[h] for h in hook_ids]


_NUMBER = re.compile(r"\d+")
_NOTHING = re.compile(r"^([\w-]+: )?nothing to (check|compare)\b")


def _notice_key(notice: str) -> str:
    """A notice with its numbers left out: each batch counts its own files, it is one notice."""
    return _NUMBER.sub("#", notice)


def _nothing_checked(notice: str) -> bool:
    """"nothing to check" from one batch of a hook: true of the hook only when every batch says so
    and the hook found nothing (issue 21: never beside the hook's own findings)."""
    return bool(_NOTHING.search(notice))


def _takes_parts(hook_id: str) -> bool:
    from hooks.core import runner

    return runner.in_parts(registry.get(hook_id))


def _weight(task: Task) -> int:
    return sum(len(fs) for work in task[0] for _, fs, _ in work) or 1


def _execute(tasks: list[Task], jobs: int) -> Iterator[tuple[int, Found, int]]:
    """(task index, what it found, its weight) as each task finishes: in this
    process, or in ``jobs`` worker processes, started in the tasks' order."""
    if jobs <= 1:
        for index, task in enumerate(tasks):
            yield index, _run_batch(task), _weight(task)
        return
    import concurrent.futures
    import multiprocessing

    context: Any
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork (Windows): spawn works too
        context = multiprocessing.get_context()
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {pool.submit(_run_batch, task): index for index, task in enumerate(tasks)}
        for future in concurrent.futures.as_completed(futures):
            index = futures[future]
            yield index, future.result(), _weight(tasks[index])


def hook_summary(hook_id: str) -> str:
    return str(registry.get(hook_id).summary)
