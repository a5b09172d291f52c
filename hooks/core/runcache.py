"""A hook's whole result kept per run of the same inputs, so a warm run of an
unchanged repository replays it instead of reading the repository again.

The per-file caches (``hooks.core.cache``) keep what depends on one file. A
cross-file check (check-security-settings' settings layers, check-health-checks'
routes, check-migration-locks' history, check-env-documented's reads joined
with its docs) reads much of the repository for every answer, so a warm
``pre-commit run --all-files`` still did that work in every process. Here the
runner keeps the result of one call of a hook (its findings after the file's
own markers, the checked names, notices, skipped lines) under a key made of:

* the hook, its code, options, settings and shared options (``cache.salt``) and
  the file names it was given;
* the repository as git sees it: the index (``git ls-files -s``: every tracked
  path, mode and blob id), the content of every tracked file changed in the work
  tree, HEAD and whether the clone is shallow, and the environment variables a
  check or git reads (``PRE_COMMIT_*``, ``GIT_*``, ``LEGACY_CONFIG_HOOKS_*``);
* everything else the process read inside the repository up to the end of the
  call, recorded while it ran (an audit hook for ``open``, ``os.listdir`` and
  ``os.scandir``; ``os.stat`` and ``os.lstat`` wrapped for the existence probes):
  untracked and ignored files by their content, folders by their listing, probed
  paths by their kind. A tracked file unchanged in the work tree needs no entry:
  the index names its content. Recording covers the whole process, not just the
  call, because checks of one process share what they read (parsed modules,
  listings): a later check may use what an earlier one read.

Not kept: a call that wrote or printed anything itself, changed a file, or ran
in a process that started a program other than git, a git command that reads
more than the index, HEAD and the tracked files (refs, untracked files, another
folder), or opened a file inside the repository for writing. A check that asks
``runner.first_in_run`` (a claim shared by the parts of one pre-commit run) has
its claims kept in order; a replay claims them again and is used only when every
answer is the same (else the check runs, and its claims get the answers the
replay already took). Cache off (``LEGACY_CONFIG_HOOKS_NO_CACHE=1``) or outside a
git work tree: nothing is recorded or kept.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

MAX_RECORDS = 400_000  # paths recorded in one process; past it nothing more is kept
KEPT_RUNS = 16  # entries per hook and settings: the parts of a split run, other branches
_ENV = ("PRE_COMMIT", "GIT_", "LEGACY_CONFIG_HOOKS_", "GITHUB_ACTIONS")
# git commands whose answer is a function of the index, the tracked files' content and HEAD
# (revisions named by HEAD or a full object id: a commit's id names it for good)
_GIT_OK = {"ls-files", "ls-tree", "rev-parse", "diff", "log", "rev-list", "grep", "cat-file", "show", "diff-files",
           "diff-index", "check-attr", "merge-base"}
_VALUED = {"-n", "--max-count", "--skip", "-U"}  # options whose value is the next word (a number)
# what makes one of them read more: refs, untracked or ignored files, another repository
_GIT_REFUSED = {"--all", "--branches", "--tags", "--remotes", "--glob", "--reflog", "--stdin", "--git-dir", "--work-tree",
                "--untracked", "--no-index", "--recurse-submodules"}
_LS_FILES_REFUSED = {"-o", "--others", "-i", "--ignored", "-x", "-X", "--directory"}
_REVISION = re.compile(r"^(HEAD|[0-9a-f]{40}|[0-9a-f]{64})(:.*)?$")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

_records: set[tuple[str, str]] = set()  # (kind: o open, l listing, s stat; absolute path)
_tainted = False  # the process did something a kept result cannot name
_on = False
_installed = False
_real_stat = os.stat
_real_lstat = os.lstat


# -- recording -----------------------------------------------------------------
def track() -> bool:
    """Record from now on (once per process); False when the result cache is off."""
    global _on, _installed
    from hooks.core import cache

    if cache.directory() is None:
        return False
    if not _installed:
        _installed = True
        sys.addaudithook(_audit)
        os.stat = _stat
        os.lstat = _lstat
    _on = True
    return True


def _note(kind: str, path: Any) -> None:
    global _tainted
    if isinstance(path, int):
        return
    try:
        text = os.fsdecode(path)
    except (TypeError, ValueError):
        return
    if not text:
        return
    _records.add((kind, text if os.path.isabs(text) else os.path.join(os.getcwd(), text)))
    if len(_records) > MAX_RECORDS:
        _tainted = True
        _records.clear()


def _stat(path: Any, *args: Any, **kwargs: Any) -> Any:
    if _on and not kwargs.get("dir_fd"):
        _note("s", path)
    return _real_stat(path, *args, **kwargs)


def _lstat(path: Any, *args: Any, **kwargs: Any) -> Any:
    if _on and not kwargs.get("dir_fd"):
        _note("s", path)
    return _real_lstat(path, *args, **kwargs)


def _audit(event: str, args: tuple[Any, ...]) -> None:
    global _tainted
    if not _on:
        return
    try:
        if event == "open":
            path, mode, flags = args
            writes = (mode is not None and any(c in str(mode) for c in "wax+")) or (
                mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS)
            _note("w" if writes else "o", path)
        elif event in ("os.listdir", "os.scandir"):
            _note("l", args[0] if args and args[0] is not None else ".")
        elif event == "subprocess.Popen":
            if not _git_reads_the_index(args[1], args[2]):
                _tainted = True
        elif event in ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"):
            _tainted = True
    except Exception:  # noqa: BLE001 - an event we cannot read: keep nothing from now on
        _tainted = True


def _git_reads_the_index(argv: Any, cwd: Any) -> bool:
    words = [os.fsdecode(a) for a in argv]
    if not words or os.path.basename(words[0]) != "git":
        return False
    if cwd is not None and os.path.realpath(os.fsdecode(cwd)) != os.path.realpath("."):
        return False
    rest = words[1:]
    while len(rest) >= 2 and rest[0] == "-c":
        rest = rest[2:]
    if not rest or rest[0] not in _GIT_OK:
        return False
    command, rest = rest[0], rest[1:]
    for i, word in enumerate(rest):
        if word == "--":
            break
        if i and rest[i - 1] in _VALUED and word.isdigit():
            continue
        if word in _GIT_REFUSED or word.startswith(("--git-dir=", "--work-tree=", "--glob=", "--branches=", "--tags=",
                                                    "--remotes=")):
            return False
        if command == "ls-files" and (word in _LS_FILES_REFUSED or word.startswith("--exclude")):
            return False
        if command == "grep" or word.startswith("-"):
            continue  # git grep: patterns, over the tracked files only (--untracked/--no-index refused)
        if not _REVISION.match(word):
            return False  # a ref or revision range other than HEAD (or a value we cannot tell from one)
    return True


# -- what a kept result depends on ------------------------------------------------
class Repository:
    """The key of this process's repository state, and each recorded path's state now."""

    def __init__(self, root: str, cache_folder: str) -> None:
        self.root = root
        self.cache_folder = os.path.realpath(cache_folder)
        self.key: str | None = None
        self.blobs: dict[str, str] = {}
        self.parents: set[str] = set()
        self.states: dict[str, str] = {}

    def make_key(self) -> str | None:
        from hooks.repo import git

        try:
            index = git.run("ls-files", "-s", "-z")
            dirty = [p for p in git.run("diff", "--name-only", "-z", "--no-ext-diff").split("\0") if p]
            head = git.remember(("runcache head", self.root), lambda: git.run("rev-parse", "--is-shallow-repository", "HEAD"))
        except git.GitError:
            return None
        if len(dirty) > 500:
            return None
        self.blobs = git.blob_ids()
        digest = hashlib.sha256(index.encode("utf-8", "surrogateescape"))
        digest.update(b"\0" + head.encode())
        for path in sorted(dirty):
            digest.update(b"\0" + path.encode("utf-8", "surrogateescape") + b"\0" + self._content(path).encode())
        env = sorted((k, v) for k, v in os.environ.items() if k.startswith(_ENV))
        digest.update(json.dumps(env).encode("utf-8", "surrogateescape"))
        self.key = digest.hexdigest()
        for path in self.blobs:
            folder = os.path.dirname(path)
            while folder and folder not in self.parents:
                self.parents.add(folder)
                folder = os.path.dirname(folder)
        return self.key

    def relative(self, path: str) -> str | None:
        """``path`` from the top, or None: outside the repository or in the cache folder."""
        real = os.path.normpath(path)
        if real == self.cache_folder or real.startswith(self.cache_folder + os.sep):
            return None
        if real == self.root:
            return "."
        if not real.startswith(self.root + os.sep):
            return None
        return real[len(self.root) + 1:].replace(os.sep, "/")

    def deps(self) -> dict[str, str] | None:
        """``kind:path -> state`` of every recorded path a tracked, unchanged file does
        not cover; None: the process did something no key can name."""
        if _tainted:
            return None
        deps: dict[str, str] = {}
        for kind, full in list(_records):
            rel = self.relative(full)
            if rel is None:
                continue
            if kind == "w":
                return None
            if kind in ("o", "s") and (rel in self.blobs or (kind == "s" and rel in self.parents)):
                continue  # the index names its content (or it is a folder of tracked files)
            deps[f"{kind}:{rel}"] = self.state(kind, rel)
        return deps

    def state(self, kind: str, rel: str) -> str:
        """What a recorded path is now: a file's content, a folder's names, a path's kind."""
        key = f"{kind}:{rel}"
        if key not in self.states:
            self.states[key] = self._state(kind, rel)
        return self.states[key]

    def _state(self, kind: str, rel: str) -> str:
        full = os.path.join(self.root, rel)
        if kind == "l":
            try:
                with os.scandir(full) as entries:
                    names = sorted(f"{e.name}{'/' if e.is_dir() else ''}{'@' if e.is_symlink() else ''}" for e in entries)
            except OSError as exc:
                return f"error {exc.errno}"
            return hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest()[:24]
        try:
            st = _real_lstat(full)
        except OSError:
            return "absent"
        import stat

        if stat.S_ISLNK(st.st_mode):
            try:
                target = os.readlink(full)
            except OSError:
                return "link unreadable"
            try:
                st = _real_stat(full)
            except OSError:
                return f"link {target} broken"
            return f"link {target} " + self._kind(full, st, kind)
        return self._kind(full, st, kind)

    def _kind(self, full: str, st: Any, kind: str) -> str:
        import stat

        if stat.S_ISDIR(st.st_mode):
            return "dir"
        if not stat.S_ISREG(st.st_mode):
            return f"other {stat.S_IFMT(st.st_mode)}"
        if kind == "s":
            return f"file {st.st_size} {st.st_mtime_ns}"
        return "file " + self._content(full)

    @staticmethod
    def _content(path: str) -> str:
        try:
            with open(path, "rb") as handle:
                return hashlib.sha256(handle.read()).hexdigest()[:32]
        except OSError as exc:
            return f"unreadable {exc.errno}"

    def still(self, deps: dict[str, str]) -> bool:
        for key, was in deps.items():
            kind, _, rel = key.partition(":")
            if kind not in ("o", "s", "l") or self.state(kind, rel) != was:
                return False
        return True

    def forget(self) -> None:
        """A call changed files: every state is asked again."""
        self.states.clear()


_repositories: dict[str, Repository] = {}


def repository() -> Repository | None:
    """The state of the repository at the current folder (its top), once per process
    per folder; None when nothing can be kept (cache off, not at the top, no HEAD)."""
    from hooks.core import cache

    folder = cache.directory()
    if folder is None or not _on:
        return None
    root = os.path.realpath(".")
    if root not in _repositories:
        from hooks.repo import git

        top = git.toplevel()
        repo = Repository(root, folder)
        if top is None or os.path.realpath(top) != root or repo.make_key() is None:
            repo.key = None
        _repositories[root] = repo
    found = _repositories[root]
    return found if found.key is not None else None


def forget(changed: bool) -> None:
    """After a call that changed files: states and keys are asked again."""
    if changed:
        _repositories.clear()


def start_over() -> None:
    """Forget what this process recorded and asked (a test's next run stands for a new process)."""
    global _tainted
    _records.clear()
    _repositories.clear()
    _tainted = False


def tainted() -> bool:
    return _tainted


# -- entries -----------------------------------------------------------------------
def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def valid(value: Any) -> bool:
    """The shape ``runner`` writes, and nothing else."""
    if not isinstance(value, dict) or set(value) != {"findings", "checked", "notices", "once", "skipped", "claims", "deps"}:
        return False
    deps = value["deps"]
    if not isinstance(deps, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in deps.items()):
        return False
    if not all(_strings(value[k]) for k in ("notices", "once", "skipped")):
        return False
    if not isinstance(value["checked"], list) or not all(isinstance(c, (str, int)) and type(c) is not bool
                                                         for c in value["checked"]):
        return False
    claims = value["claims"]
    if not isinstance(claims, list) or not all(
            isinstance(c, list) and len(c) == 3 and isinstance(c[0], str) and isinstance(c[1], str)
            and type(c[2]) is bool for c in claims):
        return False
    findings = value["findings"]
    if not isinstance(findings, list):
        return False
    for f in findings:
        if not (isinstance(f, list) and len(f) == 7 and isinstance(f[0], str) and type(f[1]) is int
                and type(f[2]) is int and isinstance(f[3], str) and _strings(f[4]) and f[5] in ("error", "warning")
                and type(f[6]) is int):
            return False
    return True


def entry_key(repo: Repository, filenames: list[str]) -> str:
    digest = hashlib.sha256((repo.key or "").encode())
    digest.update(json.dumps(filenames).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:40]
