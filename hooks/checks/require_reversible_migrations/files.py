"""Which files ``require-reversible-migrations`` reads, how, and the plain SQL
migrations; ``scan`` turns one file into its unacknowledged issues."""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from hooks.checks.require_reversible_migrations.common import (
    STATED,
    Acks,
    Issue,
    Problemish,
    acks_from_comments,
    empty_sql,
    placeholder,
    versions_folder,
)
from hooks.common.migrations import (
    ALEMBIC,
    DJANGO,
    DJANGO_APP,
    _glob_match,
    _posix,
    alembic_folder,
    python_comments,
    read,
)
from hooks.config import python_trees
from hooks.core.records import replace

# up file -> down file, the naming conventions of golang-migrate, sqlx, diesel, dbmate-style folders.
_DOWN_NAMES = ((".up.sql", ".down.sql"), ("_up.sql", "_down.sql"), ("/up.sql", "/down.sql"))


def kind(path: str, sql_globs: Iterable[str]) -> str | None:
    """"django", "alembic", "sql", or None for a file that is not a migration."""
    name = _posix(path)
    if name.endswith(".py"):
        if DJANGO.search(name):
            return "django"
        if ALEMBIC.search(name) and alembic_folder(name):
            return "alembic"
        if DJANGO_APP.search(name):
            return "django"  # migrations/<app>/0001_x.py, as MIGRATION_MODULES names it
        return None
    if any(_glob_match(name, pattern) for pattern in sql_globs) and down_name(name):
        return "sql"
    return None


_DEF_DOWNGRADE = re.compile(r"(?m)^[ \t]*(?:async[ \t]+)?def[ \t]+downgrade[ \t]*\(")


@lru_cache(maxsize=16)
def without_downgrades(versions: str, max_bytes: int) -> int:
    """How many revisions the Alembic environment has when it has no downgrades
    by design, else 0: its revision template (``script.py.mako`` beside
    ``versions/``) writes ``upgrade()`` and no ``downgrade()``, and no revision
    under ``versions/`` defines one (mistral: 0 of 46, the OpenStack "no
    downgrade migrations" decision). A template with a downgrade(), a missing
    template, or one revision with a downgrade() is no such decision."""
    template = read(os.path.join(os.path.dirname(versions), "script.py.mako"), max_bytes)
    if template is None or "def upgrade" not in template or "def downgrade" in template:
        return 0
    count = 0
    for _path, text in _revisions(versions, max_bytes):
        if _DEF_DOWNGRADE.search(text):
            return 0
        count += 1
    return count


# A repository whose Alembic environments mostly drop downgrades: more than half of
# their revision templates write no downgrade(), and at most one in five of all their
# revisions defines one (openstack/cloudkitty: 4 of 6 templates, 4 of 29 revisions,
# after the 2016 "no downgrade migrations" decision left a few stray ones). One
# environment counts alone the same way: its template writes none, one in five at most.
STRAY_DOWNGRADES_SHARE = 0.20


@lru_cache(maxsize=4)
def repository_without_downgrades(root: str, max_bytes: int) -> tuple[frozenset[str], int, int, int, int]:
    """(the versions folders of the repository's Alembic environments, revisions, revisions
    defining downgrade(), templates, templates writing none) when the repository has no
    downgrades by design (STRAY_DOWNGRADES_SHARE), else an empty answer. The environments are
    the folders git tracks a ``script.py.mako`` in, with a ``versions/`` beside it."""
    from hooks.repo.git import GitError, run

    nothing: tuple[frozenset[str], int, int, int, int] = (frozenset(), 0, 0, 0, 0)
    try:
        listed = run("ls-files", "-z", "--", "*script.py.mako", cwd=root).split("\0")
    except GitError:
        return nothing
    folders: list[str] = []
    templates = silent = revisions = downgrades = 0
    for name in listed:
        if not name or os.path.basename(name) != "script.py.mako":
            continue
        versions = os.path.join(root, os.path.dirname(name), "versions")
        template = read(os.path.join(root, name), max_bytes)
        if template is None or "def upgrade" not in template or not os.path.isdir(versions):
            continue
        folders.append(os.path.realpath(versions))
        templates += 1
        silent += "def downgrade" not in template
        for _path, text in _revisions(versions, max_bytes):
            revisions += 1
            downgrades += bool(_DEF_DOWNGRADE.search(text))
    if not revisions or silent * 2 <= templates or downgrades > revisions * STRAY_DOWNGRADES_SHARE:
        return nothing
    return frozenset(folders), revisions, downgrades, templates, silent


def _revisions(versions: str, max_bytes: int) -> Iterator[tuple[str, str]]:
    """(path, text) of each revision module under ``versions/`` and one folder level
    below it (``__init__.py``, ``__pycache__`` and unreadable files left out)."""
    for folder, folders, names in os.walk(versions):
        depth = os.path.relpath(folder, versions).count(os.sep) + (folder != versions)
        if depth >= 2:
            folders[:] = []
        folders[:] = [name for name in folders if name != "__pycache__"]
        for name in names:
            if not name.endswith(".py") or name == "__init__.py":
                continue
            path = os.path.join(folder, name)
            text = read(path, max_bytes)
            if text is not None:
                yield path, text


# A project whose revisions use a bare ``raise NotImplementedError`` as their "no way back"
# marker: at least this many do, and at least this share of them follow an upgrade() that
# destroys data (dropped columns or tables, deleted or rewritten rows).
BARE_RAISE_AT_LEAST = 3
BARE_RAISE_AFTER_LOSS = 2 / 3


@lru_cache(maxsize=16)
def bare_raise_convention(versions: str, max_bytes: int) -> bool:
    """Do the revisions under ``versions/`` use the bare ``raise NotImplementedError``
    as the project's stated refusal? Three or more of them raise it in downgrade(), and
    two in three of those (or more) after an upgrade() that destroys data (dropbox/changes:
    8 of 10). Then such a raise after a drop is the convention, like
    ``raise Exception("No rolling back")``; one after an index-only upgrade() is still not."""
    from hooks.checks.require_reversible_migrations.alembic import bare_refusal

    raising = after_loss = 0
    for path, text in _revisions(versions, max_bytes):
        if "NotImplementedError" not in text:
            continue
        try:
            tree = python_trees.parse(text, path, report=False)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        refusal = bare_refusal(tree)
        if refusal is not None:
            raising += 1
            after_loss += refusal
    return raising >= BARE_RAISE_AT_LEAST and after_loss >= raising * BARE_RAISE_AFTER_LOSS


def down_name(path: str) -> str | None:
    for up, down in _DOWN_NAMES:
        if path.endswith(up):
            return path[: -len(up)] + down
    return None


def sql_issues(path: str, max_bytes: int) -> list[Issue]:
    down = down_name(_posix(path)) or ""
    up_text = read(path, max_bytes) or ""
    down_text = read(down, max_bytes) if os.path.isfile(down) else None
    if down_text is None and os.path.isfile(down):
        return []  # unreadable down file: not ours to judge
    shown = os.path.basename(down)
    if down_text is None:
        issue = Issue(1, 1, "irreversible", "no-down-sql", shown, f"there is no {shown} to roll this migration back")
    elif empty_sql(down_text):
        issue = Issue(1, 1, "irreversible", "empty-down-sql", shown, f"{shown} is empty: a rollback changes nothing")
    else:
        return []
    comments: dict[int, str] = {}
    for text in (up_text, down_text or ""):
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip().startswith("--"):
                comments[number] = line.strip()
    # An acknowledgement anywhere in either file covers the whole migration.
    acks = acks_from_comments(comments)
    for ack in acks.values():
        if ack.ok:
            return []
    if acks:
        ack = next(iter(acks.values()))
        issue = replace(issue, note=f" (the '-- irreversible:' reason is not a reason: '{ack.reason or 'empty'}')")
    return [issue]


def scan(path: str, sql_globs: Iterable[str], postgres: bool, max_bytes: int) -> list[Issue] | Problemish | str | None:
    """The unacknowledged issues of one file; a (line, message) pair for a file
    that does not parse; None when the file is not a migration; a sentence
    saying why the file is not judged (a squash in the folder replaces it, or
    it needs a newer Python to parse, which the runner reports)."""
    from hooks.checks.require_reversible_migrations import alembic, django

    found_kind = kind(path, sql_globs)
    if found_kind is None:
        return None
    if found_kind == "sql":
        return sql_issues(path, max_bytes)
    text = read(path, max_bytes)
    if text is None:
        return None
    if found_kind == "django":
        squash = django.replaced_by(path)
        if squash:
            return f"replaced by the squashed migration {squash}, which is judged for it"
    try:
        tree = python_trees.parse(text, path)
    except python_trees.OtherPython as error:
        return str(error.msg)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        if "{{" in text or "{%" in text:
            return "a template (Jinja, cookiecutter), not Python yet"
        return (getattr(error, "lineno", None) or 1, f"cannot parse Python: {getattr(error, 'msg', None) or error}")
    found: list[Issue] | None
    if found_kind == "django":
        found = django.analyse(tree, path, postgres)
    else:
        found = alembic.analyse(tree, postgres) if alembic.is_revision(tree) else None
        if found is not None:
            from hooks.checks.require_reversible_migrations import undo

            found = found + undo.issues(tree, path, max_bytes)
            if (any(issue.kind == "downgrade-raises" for issue in found) and alembic.bare_refusal(tree)
                    and bare_raise_convention(versions_folder(path), max_bytes)):
                # the project's own "no way back" after a drop: the rollback stops loudly, before any change
                found = [issue for issue in found if issue.kind != "downgrade-raises"]
    if found is None:
        return None
    if not found:
        return found
    # Tokenizing for comments costs more than parsing: only when an acknowledgement may be there.
    empty = [i for i in found if i.kind in ("empty-downgrade", "downgrade-raises")]
    comments = python_comments(text) if empty or "irreversible" in text.lower() or STATED.search(text) else {}
    if empty:
        found = [i for i in found if i not in empty or not explained(i, comments)]
    return unacknowledged(found, Acks(acks_from_comments(comments), comments), comments)


def explained(issue: Issue, comments: dict[int, str]) -> bool:
    """An empty (or raising) downgrade() whose comment says why (``# No way back: the rows were
    merged``) is deliberate, like ``# irreversible: <reason>``; Alembic's own
    ``### commands auto generated ###`` lines and placeholders (``TODO``) are not."""
    start, end = issue.ack_lines[0] if issue.ack_lines else (issue.line, issue.line)
    for line in range(start, end + 1):
        words = comments.get(line, "").lstrip("#").strip()
        if words.startswith("#") or "alembic" in words.lower() or placeholder(words) or len(words.split()) < 3:
            continue
        return True
    return False


def unacknowledged(issues: list[Issue], acks: Acks, comments: dict[int, str] | None = None) -> list[Issue]:
    """Drop what a real `# irreversible:` reason covers, or a comment directly above
    the step that says it cannot be rolled back (``# rollback for this migration is
    prohibited``); say so when the reason is a placeholder. Locking steps are not
    about rollback: the marker or the baseline silences them."""
    kept = []
    for issue in issues:
        if issue.category == "locking":
            kept.append(issue)
            continue
        spans = [(issue.line, issue.line), *issue.ack_lines]
        ack = acks.find(spans)
        if ack is None and comments and acks.stated(spans, comments):
            continue
        if ack is None:
            kept.append(issue)
        elif not ack.ok:
            note = f" (the '# irreversible:' reason on line {ack.line} is not a reason: '{ack.reason or 'empty'}')"
            kept.append(replace(issue, note=note))
    return kept


# The forward-only rule is also measured over a project's most recent data migrations
# (by the date git first saw each file): a team that stopped writing reverses migrates
# forward only now, whatever its early years did.
RECENT_WINDOW = 20


@lru_cache(maxsize=4)
def _data_migrations(root: str) -> tuple[tuple[str, bool], ...]:
    """(path relative to ``root``, gives a reverse) for each Django data migration git
    tracks under ``root`` (committed, and staged); empty when git cannot list them.
    A data migration gives a reverse when one of its steps does."""
    from hooks.checks.require_reversible_migrations.django import data_step_reverses
    from hooks.config.source import ReadError, TooLarge, read_bytes
    from hooks.repo.git import GitError, run

    try:
        listed = run("ls-files", "-z", cwd=root).split("\0")
    except GitError:
        return ()
    found: list[tuple[str, bool]] = []
    for name in listed:
        if not name or kind(name, ()) != "django":
            continue
        path = os.path.join(root, name)
        try:
            text = read_bytes(path).decode("utf-8")
        except (ReadError, TooLarge, UnicodeDecodeError, OSError):
            continue
        steps = data_step_reverses(text, path)
        if steps:
            found.append((name, any(steps)))
    return tuple(found)


@lru_cache(maxsize=4)
def practice(root: str) -> tuple[int, int]:
    """(data migrations that give a reverse, data migrations) over the Django
    migrations git tracks under ``root``; (0, 0) when git cannot list them."""
    found = _data_migrations(root)
    return sum(reverse for _, reverse in found), len(found)


def _added(root: str) -> dict[str, int]:
    """When each migration file first entered the history (commit time, seconds), by path."""
    from hooks.repo.git import GitError, run

    try:
        log = run("log", "--no-renames", "--diff-filter=A", "--format=@%ct", "--name-only", "--",
                  "*migrations/*.py", cwd=root)
    except GitError:
        return {}
    added: dict[str, int] = {}
    when = 0
    for line in log.splitlines():
        if line.startswith("@") and line[1:].isdigit():
            when = int(line[1:])
        elif line:
            added.setdefault(line, when)  # newest first: a file deleted and added again keeps its last add
    return added


def _in_order(root: str) -> list[tuple[str, bool]]:
    """``_data_migrations`` ordered by the time git first saw each file (a staged one is
    the newest; ties by path, which follows the migration numbers of an app)."""
    added = _added(root)
    newest = float("inf")
    return sorted(_data_migrations(root), key=lambda item: (added.get(item[0], newest), item[0]))


@lru_cache(maxsize=4)
def recent_practice(root: str, window: int = RECENT_WINDOW) -> tuple[int, int]:
    """``practice`` over the ``window`` most recent data migrations (``_in_order``)."""
    found = _data_migrations(root)
    if len(found) <= window:
        return practice(root)
    latest = _in_order(root)[-window:]
    return sum(reverse for _, reverse in latest), len(latest)


# The era before a project started writing reverses: its first data migrations (in the
# order git first saw them) while at most one in ten of ten or more gives a reverse
# (django.clearly_forward_only), then a start: at least half of the next ERA_START give one.
ERA_START = 10
ERA_START_SHARE = 0.5


@lru_cache(maxsize=4)
def before_reverses(root: str) -> tuple[frozenset[str], int]:
    """The data migrations (paths relative to ``root``) written before the project started
    writing reverses, and how many of them give one; (empty, 0) when its history shows no
    such start. The old era is the longest first run that is clearly forward only
    (meinberlin: 1 of its first 16, 2017-2019); the new one must start clearly: at least
    half of the next ten give a reverse (meinberlin 8 of 10, the-deep 10 of 10). A project
    that only drifted towards reverses (frePPLe: 2 of its first 22, then 3 of the next
    10) has no such era: every finding stays."""
    from hooks.checks.require_reversible_migrations.django import clearly_forward_only

    ordered = _in_order(root)
    end = counted = 0
    for index, (_, reverse) in enumerate(ordered, 1):
        counted += reverse
        if clearly_forward_only(counted, index):
            end = index
    while end and ordered[end - 1][1]:
        end -= 1  # the new era starts with its first reverse
    start = ordered[end:end + ERA_START]
    if not end or len(start) < ERA_START or sum(reverse for _, reverse in start) < ERA_START * ERA_START_SHARE:
        return frozenset(), 0
    return frozenset(name for name, _ in ordered[:end]), sum(reverse for _, reverse in ordered[:end])
