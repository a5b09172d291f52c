"""What a hook declares about itself; the runner (``hooks/runner.py``) does the rest.

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

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any, Callable, Literal

    from hooks.runner import Context

    Reads = Literal["documents", "paths", "files"]
    OptionKind = Literal["str", "int", "bool", "list", "size"]
    Severity = Literal["error", "warning"]


class UsageError(Exception):
    """Bad options, settings or input that the user must fix: exit 2.

    Printed as ``<hook-id>: error: <message>``; ``lines``, when given, are
    printed as they are instead (errors that point into a file, one per line)."""

    def __init__(self, message: str, lines: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.lines = list(lines)


class _Value:
    """A frozen record compared by its fields. Not a dataclass: every hook
    imports this module at start-up, and ``dataclasses`` imports ``inspect``
    (about 10 ms, most of what a clean run of one file costs)."""

    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._fields()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({inner})"


def _init(record: _Value, values: dict[str, Any]) -> None:
    for name in record.__slots__:
        object.__setattr__(record, name, values[name])


class Option(_Value):
    """One option of one hook: the flag ``--<name>`` and the setting ``<name>``
    under ``[tool.legacy-config-hooks.<hook-id>]`` are the same thing.

    ``settable=False``: a flag only. Options that change files (--fix) are never
    taken from a settings file unless the hook says so. ``parse`` turns a text
    (flag or setting) into the value; it raises ValueError to refuse it.
    ``scope="shared"``: the setting lives under [tool.legacy-config-hooks]
    because several hooks read it (the change-note policy)."""

    __slots__ = ("name", "help", "kind", "default", "metavar", "choices", "settable", "parse", "scope")
    name: str
    help: str
    kind: OptionKind
    default: Any
    metavar: str | None
    choices: tuple[str, ...]
    settable: bool
    parse: Callable[[str], Any] | None
    scope: Literal["hook", "shared"]

    def __init__(
        self,
        name: str,
        help: str,
        kind: OptionKind = "str",
        default: Any = None,
        metavar: str | None = None,
        choices: tuple[str, ...] = (),
        settable: bool = True,
        parse: Callable[[str], Any] | None = None,
        scope: Literal["hook", "shared"] = "hook",
    ) -> None:
        _init(self, locals())

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")


class Problem(_Value):
    """What a check found. ``identity`` says *what* the problem is, never where
    (no line numbers) and never a secret in clear: with the hook id and the file
    it makes the fingerprint that the baseline stores. ``path`` defaults to the
    document or path being checked."""

    __slots__ = ("line", "column", "message", "identity", "path", "severity")
    line: int
    column: int
    message: str
    identity: tuple[str, ...]
    path: str | None
    severity: Severity

    def __init__(
        self,
        line: int,
        column: int,
        message: str,
        identity: tuple[str, ...] = (),
        path: str | None = None,
        severity: Severity = "error",
    ) -> None:
        _init(self, locals())


class Hook(_Value):
    """A hook's declaration. Besides id, summary, check, reads and options:

    * ``description``: longer help for --help (usually the module docstring);
    * ``markers``: extra suppression markers beside ``legacy-config: ignore[<id>]``;
    * ``prepare(ctx)``: called once before any check, after options are read:
      validates them (raise UsageError) and returns what checks keep in ``ctx.state``;
    * ``wants(path, ctx)``: "documents" hooks: which passed files to load
      (default: every file in a known config format);
    * ``reports_parse_errors``: a broken file is reported by one hook only
      (no-duplicate-config-keys); the others skip it (listed with --verbose);
    * ``at_repo_root``: run from the top of the git work tree (hooks that read
      git or the repo)."""

    __slots__ = ("id", "summary", "check", "reads", "options", "description", "markers", "prepare", "wants",
                 "reports_parse_errors", "at_repo_root")
    id: str
    summary: str
    check: Callable[..., Iterable[Problem]]
    reads: Reads
    options: tuple[Option, ...]
    description: str
    markers: tuple[str, ...]
    prepare: Callable[[Context], Any] | None
    wants: Callable[[str, Context], bool] | None
    reports_parse_errors: bool
    at_repo_root: bool

    def __init__(
        self,
        id: str,
        summary: str,
        check: Callable[..., Iterable[Problem]],
        reads: Reads = "documents",
        options: tuple[Option, ...] = (),
        description: str = "",
        markers: tuple[str, ...] = (),
        prepare: Callable[[Context], Any] | None = None,
        wants: Callable[[str, Context], bool] | None = None,
        reports_parse_errors: bool = True,
        at_repo_root: bool = False,
    ) -> None:
        _init(self, locals())
