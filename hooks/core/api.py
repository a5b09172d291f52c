"""What a hook declares about itself; the runner (``hooks/core/runner.py``) does the rest.

A hook module holds one :class:`Hook` and a two-line ``main``::

    HOOK = Hook(
        id="my-hook",
        summary="One line that says what the hook enforces.",
        check=check,                       # pure: (doc, ctx) -> Iterable[Problem]
        options=(Option("allow", "also allow files matching GLOB", kind="list", metavar="GLOB"),),
    )

    def main(argv: Sequence[str] | None = None) -> int:
        return runner.main(HOOK, argv)

``check`` never prints, exits or parses arguments: it turns its input into
:class:`Problem` values. What it receives depends on ``reads``:

* ``"documents"``: ``check(doc, ctx)`` once per file pre-commit passes that
  loads as config (the runner loads, caches and reports broken files);
* ``"paths"``: ``check(path, ctx)`` once per file, not loaded (judged by name,
  or read by the check itself);
* ``"files"``: ``check(paths, ctx)`` once per run with every file name (none
  with ``pass_filenames: false``): hooks that pair files, read the git change
  or the whole repo. Their problems name their ``path``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from hooks.core.records import record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any, Callable, Literal

    from hooks.core.runner import Context

    Reads = Literal["documents", "paths", "files"]
    OptionKind = Literal["str", "int", "bool", "list", "size", "path"]
    Severity = Literal["error", "warning"]


class UsageError(Exception):
    """Bad options, settings or input that the user must fix: exit 2.

    Printed as ``<hook-id>: error: <message>``; ``lines``, when given, are
    printed as they are instead (errors that point into a file, one per line)."""

    def __init__(self, message: str, lines: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.lines = list(lines)


@record(frozen=True)
class Option:
    """One option of one hook: the flag ``--<name>`` and the setting ``<name>``
    under ``[tool.legacy-config-hooks.<hook-id>]`` are the same thing."""

    name: str
    help: str
    kind: OptionKind = "str"
    default: Any = None
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    # False: a flag only. Options that change files (--fix) are never taken
    # from a settings file unless the hook says so here.
    settable: bool = True
    # Turns a text (flag or setting) into the value; raise ValueError to refuse it.
    parse: Callable[[str], Any] | None = None
    # "shared": the setting lives under [tool.legacy-config-hooks] because
    # several hooks read it (the change-note policy).
    scope: Literal["hook", "shared"] = "hook"

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")


@record(frozen=True)
class Problem:
    """What a check found. ``identity`` says *what* the problem is, never where
    (no line numbers) and never a secret in clear: with the hook id and the file
    it makes the fingerprint that the baseline stores."""

    line: int
    column: int
    message: str
    identity: tuple[str, ...] = ()
    path: str | None = None  # default: the document or path being checked
    severity: Severity = "error"


@record(frozen=True)
class Hook:
    id: str
    summary: str
    check: Callable[..., Iterable[Problem]]
    reads: Reads = "documents"
    options: tuple[Option, ...] = ()
    # Longer help for --help (usually the module docstring).
    description: str = ""
    # Extra suppression markers honoured beside `legacy-config: ignore[<id>]`.
    markers: tuple[str, ...] = ()
    # Called once before any check, after options are read: validates them
    # (raise UsageError) and returns what checks keep in ``ctx.state``.
    prepare: Callable[[Context], Any] | None = None
    # "documents" hooks: which passed files to load; default every file in a
    # known config format.
    wants: Callable[[str, Context], bool] | None = None
    # Report files that cannot be parsed. A broken file is reported by one hook
    # only (no-duplicate-config-keys); the others skip it (listed with --verbose).
    reports_parse_errors: bool = True
    # Run from the top of the git work tree (hooks that read git or the repo).
    at_repo_root: bool = False
    # "documents" and "paths" hooks: the findings for one file are a pure function of
    # its path and bytes, this hook's code, its options and the settings, plus what
    # this returns for the path (a digest of another file it reads, say; "" for
    # nothing more, None: do not keep this file's findings). Set, the runner keeps
    # each file's findings by git blob id (hooks/core/cache.py) and a warm run does
    # not read the file. Unset: checked every run.
    cache_key: Callable[[str, Context], str | None] | None = None


def pure(path: str, ctx: Context) -> str:
    """``cache_key`` of a hook whose findings for a file depend on nothing but the file
    (its path and bytes), the hook's code, options and settings."""
    return ""
