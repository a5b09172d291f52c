"""Change notes: what one is, which files need one, and what makes one valid.

Shared by ``require-rollback-note`` (checks notes) and ``new-config-note``
(writes their skeletons), so both agree on the folder, on which files are
config, and on the prompts the hook refuses.

A note is a YAML mapping in the notes folder (``config-changes/``)::

    files: [config/production.yaml]   # paths or globs, relative to the repo root
    owner: payments-team
    expected: p95 of /checkout drops below 300 ms
    rollback: set cache.ttl back to 60 and redeploy
    ticket: BILL-1234                 # optional
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from re import Pattern

from hooks.config import paths
from hooks.config.document import MAPPING, SCALAR, SEQUENCE, Document, Entry
from hooks.core.api import Option
from hooks.core.records import field, record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any, Callable

NOTES_DIR = "config-changes"
NOTE_SUFFIXES = (".yaml", ".yml")

CONFIG_FILES = paths.CONFIG_FILES
# Config of the tooling around the service, not of the service: changing the
# pre-commit config, CI, packaging or a JS manifest needs no rollback note.
EXEMPT_FILES = r"""(?x)(
      (^|/)\.pre-commit-(config|hooks)\.ya?ml$
      |^\.github/|^\.gitlab-ci\.ya?ml$|^\.circleci/|^\.travis\.ya?ml$|(^|/)\.readthedocs\.ya?ml$
      |(^|/)(setup\.cfg|pyproject\.toml|tox\.ini|pytest\.ini|mypy\.ini|\.legacy-config-baseline\.json)$
      |(^|/)(package(-lock)?\.json|tsconfig\.json)$
    )"""

FIELDS = ("files", "owner", "expected", "rollback", "ticket")
REQUIRED = ("files", "owner", "expected", "rollback")
# What new-config-note writes for a field it cannot fill; the hook refuses it.
PROMPTS = {
    "owner": "TODO: the person or team that answers for this change",
    "expected": "TODO: what will be different once this is live, and how you will check it",
    "rollback": "TODO: the exact steps that undo this change if it goes wrong",
}
WHAT = {
    "files": "the config files this note covers",
    "owner": "a person or team that answers for the change",
    "expected": "what should happen once the change is live",
    "rollback": "the exact steps that undo the change",
}
_JUST_PUNCTUATION = re.compile(r"[\W_]*")
_PLACEHOLDER_WORD = re.compile(r"[\W_]*(todo|tbd|tba|fixme|xxx+|n/?a|none|nothing|null|nil|unknown|later)[\W_]*", re.I)
_PLACEHOLDER_START = re.compile(r"[\W_]*(todo|tbd|fixme)(?![\w-])", re.I)  # "TODO: ...", not "todo-list"
_GLOB_CHARS = re.compile(r"[*?\[]")


def regex(text: str) -> Pattern[str]:
    """A regular expression option, with a one-line error."""
    try:
        return re.compile(text)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None


def _bool(text: str) -> bool:
    from hooks.core.settings import as_bool

    return as_bool(text)


# The options both hooks share (require-rollback-note, new-config-note): shared
# settings, under [tool.legacy-config-hooks] itself.
# Commits whose author matches need no note: dependency and lint bots touch
# lock files and tool config, never a service's behaviour by themselves.
BOT_AUTHORS = r"(?i)dependabot|renovate|pre-commit-ci|\[bot\]|[-_.]bot\b|\bbot@"

POLICY_OPTIONS = (
    Option("notes-dir", f"folder holding the change notes (default: {NOTES_DIR})", kind="path", metavar="DIR",
           scope="shared"),
    Option("config-files", "which changed files need a note (default: the hooks' config file pattern)",
           metavar="REGEX", parse=regex, scope="shared"),
    Option("exempt-files", "config files that never need a note (default: pre-commit, CI and packaging files; '' for none)",
           metavar="REGEX", parse=regex, scope="shared"),
    Option("migrations-need-notes", "database migrations count as config changes (default: true)",
           metavar="true|false", parse=_bool, default=True, scope="shared"),
)


@record(frozen=True)
class Policy:
    """Which changed files need a note."""

    notes_dir: str = NOTES_DIR
    config_files: Pattern[str] = paths.CONFIG_FILE
    exempt_files: Pattern[str] | None = re.compile(EXEMPT_FILES)
    # Only service and deployment config need a note (docs/roles.md); None: every role.
    roles: Any | None = None
    bot_authors: Pattern[str] | None = re.compile(BOT_AUTHORS)
    # Database migrations need a note too, so a release's rollback note covers them.
    migrations: bool = True

    @classmethod
    def from_args(cls, args: Any, roles: Any | None = None) -> Policy:
        notes_dir = normalise(args.notes_dir or NOTES_DIR).rstrip("/") or NOTES_DIR
        exempt = args.exempt_files if args.exempt_files is not None else re.compile(EXEMPT_FILES)
        bots = getattr(args, "bot_authors", None)
        bots = bots if bots is not None else re.compile(BOT_AUTHORS)
        migrations = getattr(args, "migrations_need_notes", True)
        return cls(notes_dir, args.config_files or paths.CONFIG_FILE, exempt if exempt.pattern else None,
                   roles, bots if bots.pattern else None, True if migrations is None else bool(migrations))

    def is_bot(self, author: str) -> bool:
        return bool(self.bot_authors and author and self.bot_authors.search(author))

    def in_notes_dir(self, path: str) -> bool:
        return path == self.notes_dir or path.startswith(self.notes_dir + "/")

    def is_note(self, path: str) -> bool:
        return self.in_notes_dir(path) and path.lower().endswith(NOTE_SUFFIXES)

    def needs_note(self, path: str) -> bool:
        # The notes folder never needs a note: a note cannot need a note.
        if self.in_notes_dir(path):
            return False
        if self.migrations and paths.MIGRATION_FILE.search(path):
            return not (self.exempt_files and self.exempt_files.search(path))
        if not self.config_files.search(path):
            return False
        if self.exempt_files and self.exempt_files.search(path):
            return False
        # Test data, docs, lock files, CI and dev environment files need no note.
        return self.roles is None or self.roles.of(path).is_config


def role_needs_note(path: str, rules: Any) -> bool:
    """The default policy's answer for ``path`` with these role rules."""
    return Policy(roles=rules).needs_note(path)


normalise = paths.normalise


# -- matching listed paths -------------------------------------------------
def is_glob(pattern: str) -> bool:
    return bool(_GLOB_CHARS.search(pattern))


def matcher(pattern: str) -> Callable[[str], bool]:
    """A predicate for one ``files`` item: a path, a folder (``config/``),
    or a glob where ``*`` stays inside one folder and ``**`` crosses folders."""
    if pattern.endswith("/"):
        prefix = normalise(pattern) + "/"
        return lambda path: path.startswith(prefix)
    if not is_glob(pattern):
        literal = normalise(pattern)
        return lambda path: path == literal
    compiled = glob_regex(normalise(pattern))
    return lambda path: compiled.fullmatch(path) is not None


def glob_regex(pattern: str) -> Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        char = pattern[i]
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and pattern.find("]", i + 2) != -1:
            end = pattern.find("]", i + 2)
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out))


# -- the note itself ---------------------------------------------------------
@record(frozen=True)
class Problem:
    line: int
    column: int
    message: str
    identity: tuple[str, ...]


@record
class Listed:
    """One item of ``files``, where it is written."""

    pattern: str
    line: int
    column: int
    matches: Callable[[str], bool]


@record
class Note:
    path: str
    listed: list[Listed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def covers(self, path: str) -> bool:
        return any(item.matches(path) for item in self.listed)


def placeholder(text: str) -> bool:
    text = text.strip()
    return bool(
        _JUST_PUNCTUATION.fullmatch(text) or _PLACEHOLDER_WORD.fullmatch(text) or _PLACEHOLDER_START.match(text)
    )


def _is_prompt(name: str, text: str) -> bool:
    prompt = PROMPTS.get(name)
    if prompt is None:
        return False
    def squash(s: str) -> str:
        return re.sub(r"[\W_]+", " ", s).strip().lower()

    # Also catch the prompt with its "TODO:" deleted but the question left in.
    return squash(text) in (squash(prompt), squash(prompt.split(":", 1)[1]))


def read_note(doc: Document) -> Note:
    """The note's listed files and its schema problems (no filesystem access)."""
    note = Note(doc.path)
    top = [e for e in doc.entries if len(e.path) == 1]
    if not top or any(isinstance(e.path[0], int) for e in top):  # empty, a list, a scalar, several documents
        what = "is empty" if not doc.entries else "is not one YAML mapping"
        note.problems.append(
            Problem(1, 1, f"change note {what}: give files, owner, expected and rollback", ("not-a-mapping",))
        )
        return note
    fields: dict[str, Entry] = {}
    for entry in top:  # the last one wins, as in YAML loaders (duplicates have their own hook)
        fields[str(entry.key)] = entry
    missing = [name for name in REQUIRED if name not in fields]
    for name, entry in fields.items():
        if name in FIELDS:
            continue
        import difflib  # only a note with a typo pays for it
        guess = difflib.get_close_matches(name.lower(), FIELDS, n=1, cutoff=0.6)
        if guess and guess[0] in missing:
            missing.remove(guess[0])
            message = f"unknown field '{name}': did you mean '{guess[0]}'? ({guess[0]} is required)"
        elif guess:
            message = f"unknown field '{name}': did you mean '{guess[0]}'?"
        else:
            message = f"unknown field '{name}' (known fields: {', '.join(FIELDS)})"
        note.problems.append(Problem(entry.line, entry.column, message, ("unknown-field", name)))
    for name in missing:
        note.problems.append(Problem(1, 1, f"missing field '{name}': {WHAT[name]}", ("missing", name)))
    if "files" in fields:
        _read_files(doc, fields["files"], note)
    for name in ("owner", "expected", "rollback", "ticket"):
        if name in fields:
            problem = _check_text(name, fields[name])
            if problem:
                note.problems.append(problem)
    return note


def _check_text(name: str, entry: Entry) -> Problem | None:
    line, column, kind, value = entry.line, entry.column, entry.kind, entry.value
    if name == "ticket":  # optional: any scalar will do, even an empty one
        if kind == SCALAR:
            return None
        return Problem(line, column, f"ticket must be a ticket id, not a {kind}", ("type", name))
    if kind != SCALAR:
        return Problem(line, column, f"{name} must be text, not a {kind}: give {WHAT[name]}", ("type", name))
    if value is None or (isinstance(value, str) and not value.strip()):
        return Problem(line, column, f"{name} is empty: give {WHAT[name]}", ("empty", name))
    if not isinstance(value, str):
        return Problem(line, column, f"{name} must be text, not {entry.source!r}: give {WHAT[name]}", ("type", name))
    if _is_prompt(name, value):
        return Problem(
            line, column,
            f"{name} still holds the prompt new-config-note wrote: replace it with {WHAT[name]}",
            ("prompt", name),
        )
    if placeholder(value):
        shown = value.strip() if len(value.strip()) <= 20 else value.strip()[:17] + "..."
        return Problem(line, column, f"{name} is a placeholder ('{shown}'), not {WHAT[name]}", ("placeholder", name))
    return None


def _read_files(doc: Document, entry: Entry, note: Note) -> None:
    line, column, kind = entry.line, entry.column, entry.kind
    if kind == SCALAR and isinstance(entry.value, str) and entry.value.strip():
        items = [(entry.value.strip(), line, column)]  # one path as a plain string: fine
    elif kind == SEQUENCE:
        items = []
        for item in doc.entries:
            if len(item.path) == 2 and item.path[0] == "files" and isinstance(item.path[1], int):
                if item.kind != SCALAR or not isinstance(item.value, str) or not item.value.strip():
                    note.problems.append(
                        Problem(item.line, item.column, "files: each item must be a path or a glob", ("files-item",))
                    )
                else:
                    items.append((item.value.strip(), item.line, item.column))
        if not items and not note.problems:
            message = "files is empty: list the config files this note covers"
            note.problems.append(Problem(line, column, message, ("empty", "files")))
    else:
        what = "empty" if kind == SCALAR else f"a {kind}" if kind == MAPPING else "not a list"
        note.problems.append(
            Problem(line, column, f"files is {what}: list the config files this note covers", ("empty", "files"))
        )
        return
    for pattern, item_line, item_column in items:
        clean = normalise(pattern)
        if pattern.startswith("/") or clean == ".." or clean.startswith("../") or not clean:
            message = f"files: '{pattern}' must be relative to the repository root"
            note.problems.append(Problem(item_line, item_column, message, ("bad-path", pattern)))
            continue
        note.listed.append(Listed(pattern, item_line, item_column, matcher(pattern)))


def unmatched(note: Note, repo_files: Iterable[str], gone: set[str]) -> list[Problem]:
    """Listed paths that match no file in the repo. ``gone`` are files this
    change deletes: a note may (and should) list them."""
    files = set(repo_files) | gone
    problems = []
    for item in note.listed:
        if not is_glob(item.pattern) and not item.pattern.endswith("/"):
            found = normalise(item.pattern) in files
        else:
            found = any(item.matches(path) for path in files)
        if not found:
            kind = "glob" if is_glob(item.pattern) else "path"
            problems.append(
                Problem(
                    item.line, item.column,
                    f"files: {kind} '{item.pattern}' matches no file in the repo",
                    ("no-match", item.pattern),
                )
            )
    return problems
