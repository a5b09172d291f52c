"""The few questions hooks ask git, each answered by one ``git`` process per
run (never one per file): what changed, which files the repo holds, who the
user is.

Paths come back as git prints them: relative to the top of the work tree, with
``/`` separators. ``-z`` output is used throughout, so names with spaces,
quotes or non-ASCII characters arrive unquoted.
"""
from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Sequence
from typing import TypeVar

from hooks.core.records import record

T = TypeVar("T")

# git's one-letter statuses, as words for messages.
STATUS_WORDS = {"A": "added", "M": "modified", "D": "deleted", "T": "changed type", "U": "unmerged"}


class GitError(Exception):
    """git is missing or refused; the message is one line for the user."""


@record(frozen=True)
class Change:
    status: str  # one letter: A, M, D, T, U (renames are split into D + A)
    path: str

    @property
    def word(self) -> str:
        return STATUS_WORDS.get(self.status, "changed")


# Answers that cannot change while several checks run in one process over an
# unchanged repo (all-checks): asked by each check, computed once. Off by default,
# since a single hook asks each once and tests change repos between calls.
_SHAREABLE = {("rev-parse", "--show-toplevel"), ("ls-files", "-z"), ("ls-files", "-s", "-z"),
              ("diff", "--name-only", "-z", "--no-ext-diff")}
_shared: dict[tuple[object, ...], object] | None = None


def share_answers(on: bool = True) -> None:
    """Remember the answers in ``_SHAREABLE`` from now on (``on=False``: forget them).
    Only for runs that change neither the index nor the work tree."""
    global _shared
    _shared = {} if on else None


def sharing() -> bool:
    """Whether answers are shared now (all-checks, or one hook's run)."""
    return _shared is not None


def forget_answers() -> None:
    """While sharing, forget what was asked so far (a check of the run wrote files)."""
    if _shared is not None:
        _shared.clear()


def run(*args: str, cwd: str | None = None) -> str:
    if _shared is not None and args in _SHAREABLE:
        import os

        key = (os.path.realpath(cwd or "."), args)
        if key not in _shared:
            _shared[key] = _run(*args, cwd=cwd)
        answer = _shared[key]
        assert isinstance(answer, str)
        return answer
    return _run(*args, cwd=cwd)


def remember(key: tuple[object, ...], make: Callable[[], T]) -> T:
    """``make()``, computed once per run while answers are shared (``share_answers``):
    something derived from git's shared answers alone (the blob ids, a prefilter's
    answer), under a ``key`` that names it and the folder asked from. Without
    sharing, ``make()`` every time."""
    if _shared is None:
        return make()
    if key not in _shared:
        _shared[key] = make()
    return _shared[key]  # type: ignore[return-value]  # stored by this function under this key


def _run(*args: str, cwd: str | None = None) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {err[-1] if err else 'exit code ' + str(proc.returncode)}")
    return proc.stdout.decode("utf-8", "surrogateescape")


def rev(value: str, what: str = "ref") -> str:
    """A revision the user gave (a flag, a setting, PRE_COMMIT_FROM_REF),
    checked before it reaches git: one that starts with ``-`` would be read as
    an option (``--output=FILE`` writes a file). Callers also put it after
    ``--end-of-options``."""
    text = str(value)
    if not text or text.startswith("-") or "\0" in text or "\n" in text:
        raise GitError(f"not a git {what}: {text[:80]!r}")
    return text


def toplevel() -> str | None:
    """The top of the work tree, or None outside one (or without git)."""
    try:
        return run("rev-parse", "--show-toplevel").strip() or None
    except GitError:
        return None


def _diff(*spec: str) -> list[Change]:
    # --no-renames: a rename is a deletion plus an addition, so both names are
    # seen whatever diff.renames says; --no-ext-diff: a user's diff tool cannot
    # change the output format. Revisions come after --end-of-options.
    options = [s for s in spec if s.startswith("--")]
    revs = [s for s in spec if not s.startswith("--")]
    out = run("diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", *options, "--end-of-options", *revs)
    parts = out.split("\0")
    changes = []
    for status, path in zip(parts[0::2], parts[1::2]):
        if status and path:
            changes.append(Change(status[0], path))
    return changes


def staged_changes() -> list[Change]:
    """What the next commit changes: the index against HEAD (or against the
    empty tree before the first commit, where ``--cached`` does that itself)."""
    return _diff("--cached")


def range_changes(from_ref: str, to_ref: str) -> list[Change]:
    """What ``to_ref`` changes since its merge base with ``from_ref``: the same
    ``A...B`` range ``pre-commit run --from-ref A --to-ref B`` uses."""
    return _diff(f"{rev(from_ref)}...{rev(to_ref)}")


def merge_base(ref: str, other: str = "HEAD") -> str:
    return run("merge-base", "--end-of-options", rev(ref), rev(other)).strip()


def changes_since_base(base: str) -> list[Change]:
    """Everything the branch changes since it left ``base``: the index against
    the merge base, so committed and staged changes both count (in CI the
    index is HEAD)."""
    return _diff("--cached", merge_base(base))


def tracked_files() -> set[str]:
    """Every path in the index: committed files plus staged additions, minus
    staged deletions."""
    return {p for p in run("ls-files", "-z").split("\0") if p}


def blob_ids(cwd: str | None = None) -> dict[str, str]:
    """path -> git blob id of every tracked file whose work-tree copy is the one
    in the index (under pre-commit, unstaged changes are stashed: every file):
    the key of the per-file result cache (``hooks.core.cache``). Empty outside git."""
    import os

    # one parse of the listing per run when answers are shared (all-checks); a copy, so no caller's change leaks
    return dict(remember(("blob ids", os.path.realpath(cwd or ".")), lambda: _blob_ids(cwd)))


def _blob_ids(cwd: str | None) -> dict[str, str]:
    try:
        staged = run("ls-files", "-s", "-z", cwd=cwd)
        dirty = set(run("diff", "--name-only", "-z", "--no-ext-diff", cwd=cwd).split("\0"))
    except GitError:
        return {}
    ids: dict[str, str] = {}
    for entry in staged.split("\0"):
        meta, _, path = entry.partition("\t")
        fields = meta.split()
        # mode, object, stage: only plain files (100644/100755) at stage 0; links and submodules are not content
        if len(fields) == 3 and fields[2] == "0" and fields[0].startswith("100") and path not in dirty:
            ids[path] = fields[1]
    return ids


def user_email() -> str | None:
    try:
        return run("config", "user.email").strip() or None
    except GitError:  # exit 1 when unset
        return None


def authors(spec: str | None = None) -> list[str]:
    """``name <email>`` of who makes the change: the staged commit's author
    (``spec`` None), or every commit author in a ``A..B`` range."""
    try:
        if spec is None:
            ident = run("var", "GIT_AUTHOR_IDENT").strip()
            return [ident.rsplit(">", 1)[0] + ">"] if ident else []
        out = run("log", "--format=%an <%ae>", "--end-of-options", rev(spec, "range"))
    except GitError:
        return []
    return [line for line in out.splitlines() if line.strip()]


# Byte order marks of UTF-16/32 text: hooks decode such a file (hooks.config.source),
# but git grep sees its bytes, where "task" is "t\0a\0s\0k\0". A file holding
# one of these is always a candidate, so a prefilter never hides it.
_BOM_NEEDLES = ((b"\xff\xfe",), (b"\xfe\xff",))
# The characters Python's re.IGNORECASE matches to an ASCII letter (dotted and
# dotless i, long s, the Kelvin sign): git grep -i folds ASCII only, so a file
# holding one is a candidate of every case-insensitive question.
_FOLDS_TO_ASCII = tuple(("\u0130\u0131\u017f\u212a"[i].encode(),) for i in range(4))


# At most this many files the result cache cannot answer are given to git grep by
# name (a commit's changed files); more, and the question is asked of the whole repo.
_BY_NAME_AT_MOST = 200


class Grep:
    """Which tracked files may hold what a whole-repo hook looks for, before it
    reads or parses any: one ``git grep -l`` (C, multi-threaded) per question,
    over the work tree (what the hooks read; under pre-commit, unstaged changes
    are stashed). Made once per run: answers are kept for that run only.

    ``files(*alternatives)`` gives the tracked files (paths as ``git ls-files``
    prints them from the same folder) with a line holding one of the
    alternatives: a string, or a tuple of strings that must all be on one line.
    Fixed strings, case-sensitive unless ``ignore_case`` (then as ``re.I``
    folds them). The answer is a superset of the files whose text holds an
    alternative: a UTF-16/32 file is always in it. ``None`` means "cannot tell"
    (not a git work tree, git missing or failing, or
    ``LEGACY_CONFIG_HOOKS_NO_PREFILTER=1``): read every file.
    """

    def __init__(self, cwd: str | None = None) -> None:
        import os

        self.cwd = cwd
        self.off = os.environ.get("LEGACY_CONFIG_HOOKS_NO_PREFILTER", "").strip() not in ("", "0")
        self._answers: dict[tuple[object, ...], frozenset[str] | None] = {}

    def files(self, *alternatives: str | tuple[str, ...], pathspecs: tuple[str, ...] = ("*.py",),
              ignore_case: bool = False) -> frozenset[str] | None:
        if self.off or not alternatives:
            return None
        key = (alternatives, pathspecs, ignore_case)
        if key not in self._answers:
            self._answers[key] = self._grep(alternatives, pathspecs, ignore_case)
        return self._answers[key]

    def holding(self, files: Sequence[str], *alternatives: str | tuple[str, ...], pathspecs: tuple[str, ...] = ("*.py",),
                ignore_case: bool = False, also: Sequence[str | tuple[str, ...]] = ()) -> list[str]:
        """``files`` (in their order) that hold one of ``alternatives`` and, when
        ``also`` is given, one of ``also`` too; all of them when it cannot tell.
        A prefilter only: the caller still tests what it reads."""
        found = self.files(*alternatives, pathspecs=pathspecs, ignore_case=ignore_case)
        if found is not None and also:
            more = self.files(*also, pathspecs=pathspecs, ignore_case=ignore_case)
            found = None if more is None else found & more
        return list(files) if found is None else [f for f in files if f in found]

    def named(self, words: Sequence[str], pathspecs: tuple[str, ...] = (".",)) -> set[str] | None:
        """Which of ``words`` some tracked file under ``pathspecs`` spells out as a
        whole word (letters, digits and ``_`` around it are other words), fixed
        strings, case-sensitive: one ``git grep -o -w``. A UTF-16/32 file (a byte
        order mark) is decoded and searched here. ``None``: cannot tell."""
        wanted = sorted({w for w in words if w})
        if not wanted or any("\n" in w for w in wanted):
            return set()
        cmd = [b"git", b"-c", b"grep.patternType=fixed", b"-c", b"grep.fallbackToNoIndex=false", b"grep", b"-h",
               b"-o", b"-w", b"-F", b"-a", b"--no-color", b"--no-textconv", b"--no-recurse-submodules"]
        for word in wanted:
            cmd += [b"-e", word.encode()]
        proc = self._call([*cmd, b"--", *(p.encode() for p in pathspecs)])
        if proc is None:
            return None
        seen = set(proc.stdout.decode("utf-8", "replace").splitlines()) & set(wanted)
        marked = self._run(["-F"], [b for (w,) in _BOM_NEEDLES for b in (b"-e", w)], pathspecs, False)
        if marked is None:
            return None
        if marked and len(seen) < len(wanted):
            seen |= _named_in_marked(sorted(marked), wanted, self.cwd)
        return seen

    def prefixed(self, prefixes: Sequence[str], pathspecs: tuple[str, ...] = (".",)) -> set[str] | None:
        """The upper-case names (``PREFIX_MORE``) starting with one of ``prefixes`` (each an
        upper-case word and its ``_``) that some tracked file under ``pathspecs`` spells as
        a whole word: one ``git grep -o -E``. UTF-16/32 files are not searched. ``None``:
        cannot tell."""
        wanted = sorted({p for p in prefixes if re.fullmatch(r"[A-Z][A-Z0-9]*_", p)})
        if not wanted:
            return set()
        expr = rb"(^|[^A-Za-z0-9_])(" + b"|".join(p.encode() for p in wanted) + rb")[A-Z0-9_]*[A-Z0-9]"
        cmd = [b"git", b"-c", b"grep.fallbackToNoIndex=false", b"grep", b"-h", b"-o", b"-E", b"-a", b"--no-color",
               b"--no-textconv", b"--no-recurse-submodules", b"-e", expr]
        proc = self._call([*cmd, b"--", *(p.encode() for p in pathspecs)])
        if proc is None:
            return None
        found = set()
        for hit in proc.stdout.decode("utf-8", "replace").splitlines():
            m = re.search(r"[A-Z][A-Z0-9_]*$", hit)
            if m and m.group().startswith(tuple(wanted)):
                found.add(m.group())
        return found

    def _call(self, cmd: list[bytes]) -> subprocess.CompletedProcess[bytes] | None:
        """git grep's result, an empty one for "nothing matched", None when it failed."""
        import os

        env = {k: v for k, v in os.environ.items() if not (k.startswith("GIT_") and k.endswith("_PATHSPECS"))}
        try:
            proc = subprocess.run(cmd, cwd=self.cwd, capture_output=True, check=False, env={**env, "LC_ALL": "C"})
        except OSError:
            return None
        if proc.returncode == 1 and not proc.stdout and not proc.stderr:
            return proc  # git grep's "nothing matched"
        return proc if proc.returncode == 0 else None

    def _grep(self, alternatives: tuple[str | tuple[str, ...], ...], pathspecs: tuple[str, ...],
              ignore_case: bool) -> frozenset[str] | None:
        # git matches a plain list of fixed strings in one pass, but an expression of
        # --or/--and groups word by word, several times slower: so one call (-F) for
        # the single words and one (-E, "a.*b|b.*a") for the pairs on one line.
        singles: list[bytes] = [w for (w,) in (*_BOM_NEEDLES, *(_FOLDS_TO_ASCII if ignore_case else ()))]
        pairs: list[bytes] = []
        for alt in alternatives:
            words = tuple(w.encode() for w in ((alt,) if isinstance(alt, str) else alt))
            if not 1 <= len(words) <= 2 or any(not w or b"\n" in w for w in words):
                return None  # an empty word matches every line: no filter at all
            if len(words) == 1:
                singles.append(words[0])
            else:
                # ERE's special characters, each after a backslash (POSIX: a literal); "]" and "}" are plain
                a, b = (re.sub(rb"([.[\\()*+?{|^$])", rb"\\\1", w) for w in words)
                pairs += [a + b".*" + b, b + b".*" + a]
        found = self._run(["-F"], [b for w in singles for b in (b"-e", w)], pathspecs, ignore_case)
        if pairs and found is not None:
            more = self._run(["-E"], [b"-e", b"|".join(pairs)], pathspecs, ignore_case)
            found = None if more is None else found | more
        return found

    def _run(self, kind: list[str], expr: list[bytes], pathspecs: tuple[str, ...], ignore_case: bool) -> frozenset[str] | None:
        # -c: a user's grep.* settings cannot change what is matched; -a: a binary-looking
        # file is searched too; --no-textconv: the bytes, as the hooks read them; LC_ALL=C:
        # bytes, so a pattern holding a BOM is not refused as bad UTF-8.
        cmd = [b"git", b"-c", b"grep.patternType=fixed", b"-c", b"grep.fallbackToNoIndex=false",
               b"grep", b"-l", b"-z", *(k.encode() for k in kind), b"-a", b"--no-color", b"--no-textconv", b"--no-recurse-submodules"]
        if ignore_case:
            cmd.append(b"-i")
        cmd += expr
        import os

        key = ("grep", os.path.realpath(self.cwd or "."), tuple(cmd), pathspecs)
        return remember(key, lambda: self._kept(cmd, pathspecs))

    def _listed(self, cmd: list[bytes], pathspecs: Sequence[str]) -> frozenset[str] | None:
        """The files ``cmd`` (a ``git grep -l -z`` without its pathspecs) lists under ``pathspecs``."""
        proc = self._call([*cmd, b"--", *(p.encode() for p in pathspecs)])
        if proc is None:
            return None
        return frozenset(p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p)

    def _kept(self, cmd: list[bytes], pathspecs: tuple[str, ...]) -> frozenset[str] | None:
        """``_listed(cmd, pathspecs)``, kept by content in the result cache
        (``hooks.core.cache``) from one run to the next: the files that held the
        words, and the listing (path -> git blob id, ``blob_ids``) they were found
        in. Whether a file holds the words depends on its bytes alone, so only the
        files whose blob id differs from that listing's, or that have none (work-tree
        edits, links, submodules, conflicts), are given to the same ``git grep`` by
        name; when there are many (a first run), the whole question is asked again."""
        import hashlib

        from hooks.core import cache

        if cache.directory() is None:
            return self._listed(cmd, pathspecs)
        scope = self._scope(pathspecs)
        ids = blob_ids(self.cwd)
        if scope is None or not ids:
            return self._listed(cmd, pathspecs)
        listings = _Listings(self.cwd)
        question = hashlib.sha256(b"\0".join([*cmd, b"--", *(p.encode() for p in pathspecs)])).hexdigest()
        results = cache.FileResults("grep", f"{listings.repo}\0{question}")
        kept_listing, kept_found = results.old.get("listing"), results.old.get("found")
        changed = listings.changed(kept_listing, ids) if isinstance(kept_listing, str) else None
        found: set[str] = set()
        ask = list(scope)
        if changed is not None and isinstance(kept_found, list) and all(isinstance(p, str) for p in kept_found):
            in_scope = set(scope)
            found = {p for p in kept_found if p in in_scope and p in ids and p not in changed}
            ask = [p for p in scope if p not in ids or p in changed]
        if ask:
            whole = len(ask) > _BY_NAME_AT_MOST
            more = self._listed(cmd, pathspecs if whole else [":(literal)" + p for p in ask])
            if more is None:
                return None
            found = set(more) if whole else found | more
        current = listings.current(ids)
        if ask or kept_listing != current:
            listings.keep(ids)
            # an answer is kept for files with a blob id only: the others are asked every time
            results.replace({"listing": current, "found": sorted(p for p in found if p in ids)})
        return frozenset(found)

    def _scope(self, pathspecs: tuple[str, ...]) -> list[str] | None:
        """The tracked files ``git grep`` searches under ``pathspecs`` (``git ls-files``:
        the same pathspec rules, from the same folder), each once."""
        import os

        key = ("grep scope", os.path.realpath(self.cwd or "."), pathspecs)

        def listed() -> list[str] | None:
            proc = self._call([b"git", b"ls-files", b"-z", b"--", *(p.encode() for p in pathspecs)])
            if proc is None or proc.returncode != 0:
                return None
            return list(dict.fromkeys(p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p))
        return remember(key, listed)


class _Listings:
    """The listings (path -> git blob id) that kept prefilter answers were found in,
    in the result cache, one file per listing, named by its content: every question
    answered in a run refers to that run's listing, so one file serves them all.
    The few most recent of a repository are kept."""

    KEEP = 4

    def __init__(self, cwd: str | None) -> None:
        import hashlib
        import os

        self.root = os.path.realpath(cwd or ".")
        self.repo = hashlib.sha256(self.root.encode("utf-8", "surrogateescape")).hexdigest()[:16]

    @staticmethod
    def digest(ids: dict[str, str]) -> str:
        import hashlib

        return hashlib.sha256("\0".join(f"{p}\0{b}" for p, b in sorted(ids.items())).encode("utf-8", "surrogateescape")).hexdigest()

    def current(self, ids: dict[str, str]) -> str:
        return remember(("grep listing", self.root), lambda: self.digest(ids))

    def changed(self, digest: str, ids: dict[str, str]) -> set[str] | None:
        """The paths whose blob id differs between the kept listing ``digest`` and
        ``ids`` (or that one of them lacks); None when that listing is not kept
        (or is not what its name says)."""
        def diff() -> set[str] | None:
            if digest == self.current(ids):
                return set()
            from hooks.core import cache

            kept = cache.FileResults(f"grep-listing-{self.repo}", digest).old
            if not kept or any(not isinstance(b, str) for b in kept.values()) or self.digest(kept) != digest:
                return None
            return {p for p in kept.keys() | ids.keys() if kept.get(p) != ids.get(p)}
        return remember(("grep listing changes", self.root, digest), diff)

    def keep(self, ids: dict[str, str]) -> None:
        """Write this run's listing (once per run), and leave the last few of this repository."""
        def write() -> bool:
            import glob
            import os

            from hooks.core import cache

            results = cache.FileResults(f"grep-listing-{self.repo}", self.current(ids))
            if results.folder is None:
                return False
            if results.old != ids:
                results.replace(dict(ids))
            try:
                mine = sorted(glob.glob(os.path.join(glob.escape(results.folder), f"grep-listing-{self.repo}-*.json")),
                              key=os.path.getmtime, reverse=True)
                for old in mine[self.KEEP:]:
                    os.unlink(old)
            except OSError:
                pass
            return True
        remember(("grep listing kept", self.root), write)


def _named_in_marked(paths: Sequence[str], wanted: Sequence[str], cwd: str | None) -> set[str]:
    """The words of ``wanted`` in the UTF-16/32 files among ``paths`` (git grep
    reads bytes: "A\\0B\\0" is not "AB"), decoded as the hooks decode them."""
    import os

    from hooks.config import source

    found: set[str] = set()
    pattern = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, sorted(wanted, key=len, reverse=True)))
                         + r")(?![A-Za-z0-9_])")
    for path in paths:
        try:
            data = source.read_bytes(os.path.join(cwd or "", path))
            if not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
                continue  # the mark is inside the file, not a byte order mark
            text = source.decode(data)
        except (source.ReadError, source.TooLarge):
            continue
        found.update(match.group(1) for match in pattern.finditer(text))
    return found


def holding(grep: Grep | None, files: Sequence[str], *alternatives: str | tuple[str, ...], pathspecs: tuple[str, ...] = ("*.py",),
            ignore_case: bool = False, also: Sequence[str | tuple[str, ...]] = ()) -> list[str]:
    """``grep.holding(...)``, or every file when there is no ``grep`` (a caller that made none)."""
    if grep is None:
        return list(files)
    return grep.holding(files, *alternatives, pathspecs=pathspecs, ignore_case=ignore_case, also=also)
