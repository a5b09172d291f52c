"""The one runner: everything a hook does besides its check.

It builds the command line from the hook's declared options, reads and
validates settings, loads each file once (bounded cache), hands documents,
paths or the file list to the pure check, applies suppression and the
baseline, reports, and sets the exit code. Usage errors all look alike:
``<hook-id>: error: <one line>`` and exit 2.

``collect()`` is the same run without the command line and the output, for
callers that run several hooks in one process (the cleanup report).
"""
from __future__ import annotations

import os
import re
import sys
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from types import SimpleNamespace

from hooks.config import paths as pathutil
from hooks.config.document import Document
from hooks.config.source import DEFAULT_MAX_BYTES, TooLarge
from hooks.core import settings as settings_mod
from hooks.core.api import Hook, Option, Problem, UsageError
from hooks.core.findings import Finding
from hooks.core.records import field, record
from hooks.repo.environments import DEFAULT_PATTERNS

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    import argparse
    from typing import Any

ENV_PREFIX = settings_mod.ENV_PREFIX
CACHED_DOCUMENTS = 64
FORMATS = ("text", "json", "sarif", "github")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$", re.I)

# The options every hook takes: (option, environment variable).
SHARED_OPTIONS = (
    Option("format", "output format (default: text, or github when GITHUB_ACTIONS is set)", choices=FORMATS),
    Option("baseline", "do not fail on findings recorded in FILE", metavar="FILE"),
    Option("report-stale", "report baseline entries that no longer match a finding", kind="bool"),
    Option("max-file-size", "skip larger files with a notice (default: 10MB; 0 for no limit)", kind="size",
           metavar="SIZE"),
    Option("verbose", "also say what was skipped and why", kind="bool", settable=False),
    Option("explain", "print PATH's role, environment and why (docs/roles.md), and check nothing",
           kind="list", metavar="PATH", settable=False),
)


def parse_size(text: str) -> int:
    """``10MB``, ``500k`` or a number of bytes; 0 means no limit."""
    match = _SIZE.match(str(text))
    if not match:
        raise ValueError(f"not a size: {text!r} (use e.g. 10MB, 500k)")
    scale = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    return int(float(match.group(1)) * scale)


# -- options and settings ----------------------------------------------------
def _convert(option: Option, text: Any) -> Any:
    if option.parse is not None:
        return option.parse(str(text))
    if option.kind == "int":
        return int(text)
    if option.kind == "size":
        return parse_size(text)
    if option.choices and str(text) not in option.choices:
        raise ValueError(f"{text!r} is not one of {', '.join(option.choices)}")
    return text if isinstance(text, (int, float)) and option.kind != "str" else str(text)


def _arg_type(option: Option) -> Any:
    def convert(text: str) -> Any:
        try:
            return _convert(option, text)
        except (ValueError, TypeError) as exc:
            import argparse

            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = option.kind  # argparse names the type in its messages
    return convert


def _add(group: Any, option: Option) -> None:
    flag = "--" + option.name
    if option.kind == "bool":
        group.add_argument(flag, dest=option.dest, action="store_true", default=None, help=option.help)
    elif option.kind == "list":
        group.add_argument(flag, dest=option.dest, action="append", type=_arg_type(option), default=None,
                           metavar=option.metavar or "VALUE", help=option.help + " (repeatable)")
    else:
        group.add_argument(flag, dest=option.dest, type=_arg_type(option), default=None,
                           metavar=option.metavar or option.kind.upper(), help=option.help)


def parse_args(hook: Hook, argv: Sequence[str] | None) -> dict[str, Any]:
    """The command line as ``{dest: value}``. File names alone (a commit's usual
    command line) give every option its default without argparse, which costs
    about 4 ms to import and set up (``tests/test_runner.py`` holds the two equal)."""
    args = sys.argv[1:] if argv is None else list(argv)
    if any(arg.startswith("-") for arg in args):
        return vars(make_parser(hook).parse_args(args))
    parsed: dict[str, Any] = {option.dest: None for option in (*hook.options, *SHARED_OPTIONS)}
    parsed.update(write_baseline=None, filenames=args)
    return parsed


def make_parser(hook: Hook) -> argparse.ArgumentParser:
    import argparse

    class Parser(argparse.ArgumentParser):
        """argparse, with its errors raised as UsageError instead of exiting."""

        def error(self, message: str) -> Any:
            raise UsageError(message)

    description = hook.summary
    parser = Parser(prog=hook.id, description=description,
                     epilog=f"Settings: [tool.legacy-config-hooks.{hook.id}] in pyproject.toml.")
    if hook.reads != "files":
        parser.add_argument("filenames", nargs="*", help="files to check (pre-commit passes them)")
    else:
        parser.add_argument("filenames", nargs="*", help=argparse.SUPPRESS)
    own = parser.add_argument_group(f"{hook.id} options")
    for option in hook.options:
        _add(own, option)
    shared = parser.add_argument_group("options shared by every legacy-config hook")
    for option in SHARED_OPTIONS:
        _add(shared, option)
    shared.add_argument("--write-baseline", metavar="FILE", nargs="?", const="", default=None,
                        help="record today's findings in FILE (default: the --baseline file) and pass")
    return parser


@record
class Shared:
    """The shared settings a check may read."""

    environments: Mapping[str, Sequence[str]] = field(default_factory=lambda: dict(DEFAULT_PATTERNS))
    project: settings_mod.ProjectSettings = field(default_factory=settings_mod.ProjectSettings)
    format: str = "text"
    baseline: str | None = None
    write_baseline: str | None = None
    report_stale: bool = False
    max_file_size: int = DEFAULT_MAX_BYTES
    verbose: bool = False

    def table(self, name: str) -> dict[str, Any]:
        return self.project.tables.get(name, {})


def _from_settings(option: Option, value: Any, where: str) -> Any:
    try:
        # Every option has a declared kind; a value of another type is refused,
        # never turned into a string ("5", "['a']") and used.
        kind = option.kind if option.parse is None or option.kind != "str" else "parsed"
        if kind == "parsed":
            if not isinstance(value, (str, bool, int)) or isinstance(value, float):
                settings_mod.check_type("str", value, option.name)
        else:
            settings_mod.check_type(option.kind, value, option.name)
        if option.kind == "list":
            return [_convert(option, v) for v in settings_mod.as_list(value)]
        if option.kind == "bool":
            return settings_mod.as_bool(value)
        return _convert(option, value)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"setting {option.name} in {where}: {exc}") from None


def resolve_options(
    hook: Hook, given: Mapping[str, Any], project: settings_mod.ProjectSettings, notices: list[str],
    root: str | None = None,
) -> SimpleNamespace:
    """The hook's option values: flag > setting > default, settings validated."""
    own = project.tables.get(hook.id, {})
    by_name = {o.name: o for o in hook.options}
    for name in own:
        option = by_name.get(name)
        if option is None:
            raise UsageError(
                f"unknown setting {name!r} in {project.where(hook.id)}"
                + settings_mod.closest(name, [o.name for o in hook.options if o.settable])
            )
        if not option.settable:
            raise UsageError(f"{name} cannot be set in {project.source}; pass --{name} in the hook's args:")
    legacy = {opt: flat for flat, (hid, opt) in settings_mod.LEGACY_FLAT_KEYS.items() if hid == hook.id}
    values: dict[str, Any] = {}
    for option in hook.options:
        value = given.get(option.dest)
        if value is None and option.settable:
            table = project.top if option.scope == "shared" else own
            where = project.where() if option.scope == "shared" else project.where(hook.id)
            if option.name in table:
                value = _from_settings(option, table[option.name], where)
            elif option.name in legacy and legacy[option.name] in project.top:
                flat = legacy[option.name]
                value = _from_settings(option, project.top[flat], project.where())
                notices.append(
                    f"setting {flat!r} under {project.where()} is deprecated: move it to "
                    f"{project.where(hook.id)} as {option.name!r}"
                )
        if value is None:
            value = list(option.default or []) if option.kind == "list" else option.default
        if option.kind == "bool":
            value = bool(value)
        elif option.kind == "path" and value:
            where = f"--{option.name}" if given.get(option.dest) is not None else f"setting {option.name}"
            inside_repo(str(value), where, root)
        values[option.dest] = value
    return SimpleNamespace(**values)


def validate_top(hook: Hook, project: settings_mod.ProjectSettings) -> None:
    """Unknown keys and tables under [tool.legacy-config-hooks] are errors."""
    from hooks.core import registry

    shared_opts = {o.name for o in hook.options if o.scope == "shared"}
    known = set(settings_mod.SHARED_KEYS) | set(settings_mod.LEGACY_FLAT_KEYS) | shared_opts
    for name in project.top:
        if name == "fix":
            raise UsageError(f"fix cannot be set in {project.source}; pass --fix in the hook's args:")
        if name not in known:
            raise UsageError(f"unknown setting {name!r} in {project.where()}" + settings_mod.closest(name, sorted(known)))
    for name, kind in settings_mod.SHARED_TYPES.items():
        if name in project.top:
            try:
                settings_mod.check_type(kind, project.top[name], f"setting {name} in {project.where()}")
            except ValueError as exc:
                raise UsageError(str(exc)) from None
    tables = set(settings_mod.SHARED_TABLES) | set(registry.ids()) | {hook.id}
    for name in project.tables:
        if name not in tables:
            raise UsageError(
                f"unknown table {project.where(name)}: not a hook id nor a shared table"
                + settings_mod.closest(name, sorted(tables))
            )
        if not isinstance(project.tables[name], dict):  # pragma: no cover - _split makes tables of dicts only
            raise UsageError(f"{project.where(name)} must be a table")
    _check_environments(project)


def _check_environments(project: settings_mod.ProjectSettings) -> None:
    """The environments table: known names only, each a non-empty list of
    path words, and ``production`` always (a table without it would turn
    production detection off in silence); else exit 2 naming the key. A list
    the table leaves out keeps its default."""
    envs = project.tables.get("environments")
    if envs is None:
        return
    where = project.where("environments")
    known = list(DEFAULT_PATTERNS)
    for name, value in envs.items():
        if name not in DEFAULT_PATTERNS:
            raise UsageError(f"unknown environment {name!r} in {where} (use {', '.join(known)})"
                             + settings_mod.closest(str(name), known))
        try:
            settings_mod.check_type("list", value, f"{name} in {where}")
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if not settings_mod.as_list(value):
            raise UsageError(f"{name} in {where} is empty: list the path words that mean {name}")
    if "production" not in envs:
        raise UsageError(f"{where} has no production list: without one no file counts as production "
                         "(add production = [\"production\", \"prod\", ...])")


def read_shared(args: Mapping[str, Any], project: settings_mod.ProjectSettings, root: str | None = None) -> Shared:
    """Shared options: flag > LEGACY_CONFIG_HOOKS_* variable > setting > default."""
    env = os.environ
    shared = Shared(project=project)

    def pick(name: str, env_name: str) -> Any:
        value = args.get(name.replace("-", "_"))
        if value is None and env.get(ENV_PREFIX + env_name):
            value = env[ENV_PREFIX + env_name]
        if value is None and name in project.top:
            value = project.top[name]
        return value

    fmt = pick("format", "FORMAT")
    if fmt is not None and not isinstance(fmt, str):
        raise UsageError(f"setting format in {project.where()} must be a string, not {type(fmt).__name__}")
    if fmt is None:
        fmt = "github" if env.get("GITHUB_ACTIONS") == "true" else "text"
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    shared.format = str(fmt)
    baseline = pick("baseline", "BASELINE")
    if baseline is not None and not isinstance(baseline, str):
        raise UsageError(f"setting baseline in {project.where()} must be a path (a string), not {type(baseline).__name__}")
    shared.baseline = str(baseline) if baseline else None
    try:
        shared.report_stale = bool(args.get("report_stale")) or settings_mod.as_bool(
            env.get(ENV_PREFIX + "REPORT_STALE", "") or project.top.get("report-stale", False)
        )
        shared.verbose = bool(args.get("verbose")) or settings_mod.as_bool(env.get(ENV_PREFIX + "VERBOSE", ""))
        size = args.get("max_file_size")
        if size is None and "max-file-size" in project.top:
            size = parse_size(project.top["max-file-size"])
        shared.max_file_size = DEFAULT_MAX_BYTES if size is None else int(size)
        write = args.get("write_baseline")
        if write is None and settings_mod.as_bool(env.get(ENV_PREFIX + "WRITE_BASELINE", "")):
            write = ""
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if write == "":
        if not shared.baseline:
            raise UsageError("--write-baseline needs a FILE or a baseline setting")
        write = shared.baseline
    shared.write_baseline = write
    for name, value in (("baseline", shared.baseline), ("write-baseline", shared.write_baseline)):
        if value:
            inside_repo(value, name, root)
    envs = project.tables.get("environments")
    if envs:
        _check_environments(project)
        shared.environments = {**DEFAULT_PATTERNS, **{k: settings_mod.as_list(v) for k, v in envs.items()}}
    return shared


def inside_repo(path: str, setting: str, root: str | None = None) -> str:
    """A path from a flag or a setting that names a file we read or write:
    inside the repo (``root``, default the current folder, where pre-commit
    runs hooks), else a UsageError naming the setting. Writing it goes through
    hooks.core.writing, which also refuses a symlink."""
    from hooks.core.writing import WriteError, check_inside

    try:
        return check_inside(str(path), root, what=f"{path} ({setting})")
    except WriteError as exc:
        raise UsageError(str(exc)) from None


# -- documents ---------------------------------------------------------------
class Documents:
    """Loads each file once and keeps the last few: enough for a hook that
    reads a partner file, while memory stays flat however many files one
    process gets. Shareable between hooks (the report parses once)."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, size: int = CACHED_DOCUMENTS) -> None:
        self.max_bytes = max_bytes
        self.size = size
        self._cache: OrderedDict[str, Document | None] = OrderedDict()
        self.too_large: dict[str, str] = {}

    def get(self, path: str, fmt: str | None = None) -> Document | None:
        """The document for ``path``, broken or not; None for no known format
        or a file over the size limit."""
        from hooks.config import loaders

        key = pathutil.normalise(path)
        if key in self._cache:
            self._cache.move_to_end(key)
            doc = self._cache[key]
            if doc is None or fmt is None or doc.format == fmt:
                return doc
        try:
            doc = loaders.load(path, fmt, self.max_bytes)
        except TooLarge as exc:
            self.too_large[key] = str(exc)
            doc = None
        self._cache[key] = doc
        if len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return doc

    def cached(self, path: str) -> Document | None:
        return self._cache.get(pathutil.normalise(path))


# Documents shared by every check of a run that holds several (all-checks), by
# folder and size limit; None: each check loads its own (a single hook).
_shared_documents: dict[tuple[str, int], Documents] | None = None


def share_documents(on: bool = True) -> None:
    """From now on, checks of this process read through one document cache (per
    folder and size limit), so a file several checks get is parsed once, as the
    report does (``on=False``: each check its own again). Checks never change a
    document they are given."""
    global _shared_documents
    _shared_documents = {} if on else None


def _documents(max_bytes: int) -> Documents:
    if _shared_documents is None:
        return Documents(max_bytes)
    key = (os.getcwd(), max_bytes)
    if key not in _shared_documents:
        _shared_documents[key] = Documents(max_bytes)
    return _shared_documents[key]


# -- the context a check sees ------------------------------------------------
class Context:
    """What a pure check may ask of the run (see ``hooks/core/api.py``)."""

    def __init__(self, hook: Hook, options: SimpleNamespace, shared: Shared,
                 documents: Documents | None = None) -> None:
        self.hook = hook
        self.options = options
        self.shared = shared
        self.documents = documents or _documents(shared.max_file_size)
        self.state: Any = None
        self.changed = False
        self.checked: list[str] = []
        self.notices: list[str] = []
        self.once_per_run: set[str] = set()  # notices printed by one of pre-commit's calls of the hook only
        self.output: list[str] = []
        self.errors: list[Finding] = []  # broken files this hook reports
        self.skipped: list[str] = []  # broken files this hook skipped (--verbose)
        self._reported_errors: set[str] = set()
        self.invoked_from = os.getcwd()  # where the user ran the hook (at_repo_root hooks move)
        self._roles: Any = None
        self.cached_files: Any = None  # hooks.core.cache.Findings of this run, when the hook keeps findings
        # A "files" check that takes parts (see takes_parts) is being given
        # one part of the run's files; run-wide notices wait for the last call.
        self.partial = False

    @property
    def verbose(self) -> bool:
        return self.shared.verbose

    @property
    def environments(self) -> Mapping[str, Sequence[str]]:
        return self.shared.environments

    @property
    def roles(self) -> Any:
        """The role rules of this run (docs/roles.md), settings' ``roles`` table first."""
        if self._roles is None:
            from hooks.repo import roles

            try:
                self._roles = roles.from_settings(self.shared.project.tables)
            except ValueError as exc:
                raise UsageError(f"setting {exc} in {self.shared.project.where('roles')}") from None
        return self._roles

    def role(self, path: str) -> Any:
        """What ``path`` is for: service config, CI config, test data, ... (hooks/repo/roles.py)."""
        return self.roles.of(path)

    def environment(self, path: str) -> str | None:
        """From the path and the file's role: docs and release notes name no
        environment; CI config and test data are the test environment."""
        found: str | None = self.roles.environment(path, self.shared.environments)
        return found

    def skip(self, path: str, why: str) -> None:
        """Say with --verbose that this hook left ``path`` alone, and why."""
        self.skipped.append(f"{path}: {self.hook.id}: skipped: {why}")

    def load(self, path: str, fmt: str | None = None, strict: bool = False,
             report_errors: bool = True) -> Document | None:
        """A loadable document, or None (unknown format, too large, broken).
        A broken file is reported when this hook reports parse errors;
        ``strict`` also reports files that only look like templates."""
        doc = self.documents.get(path, fmt)
        key = pathutil.normalise(path)
        if doc is None:
            if key in self.documents.too_large and key not in self._reported_errors:
                self._reported_errors.add(key)
                self.notice(f"{path}: {self.hook.id}: {self.documents.too_large[key]}", always=True)
            return None
        if doc.error is None:
            return doc
        if key not in self._reported_errors:
            self._reported_errors.add(key)
            # A docs sample may be abridged on purpose (`...` in an API example): not reported.
            certain = doc.error.certain and self.role(path).role != "docs-and-samples"
            if report_errors and (strict or (certain and self.hook.reports_parse_errors)):
                self.errors.append(parse_error_finding(self.hook.id, doc))
            else:
                self.skipped.append(f"{path}: {self.hook.id}: skipped: {doc.error.message}")
        return None

    def loaded(self, path: str) -> Document | None:
        return self.documents.cached(path)

    def mark_checked(self, path: str) -> None:
        self.checked.append(path)

    def notice(self, message: str, always: bool = False, once_per_run: bool = False) -> None:
        """One informational line on stderr, ``<hook-id>: message``. ``once_per_run``:
        the notice is about the whole run (no mapping file), so when pre-commit
        splits the file names over several calls of the hook, only one prints it."""
        line = message if always or message.startswith(self.hook.id) else f"{self.hook.id}: {message}"
        self.notices.append(line)
        if once_per_run:
            self.once_per_run.add(line)

    def emit(self, text: str) -> None:
        self.output.append(text if text.endswith("\n") else text + "\n")


def parse_error_finding(hook_id: str, doc: Document) -> Finding:
    from hooks.config import formats

    assert doc.error is not None
    message = doc.error.message
    if not message.startswith("cannot read"):
        message = f"cannot parse {formats.label(doc.format)}: {message}"
    return Finding(hook_id, doc.path, doc.error.line, doc.error.column, message, ("error",))


# -- running a check ---------------------------------------------------------
def takes_parts(check: Any) -> Any:
    """Mark a "files" check that may be given its files in consecutive parts,
    one call each, then a last call with ``ctx.partial`` False (and maybe no
    files). It keeps what spans the parts in ``ctx.state`` (from ``prepare``)
    and reports each file in one call. The cleanup report then runs it in its
    batches, while the shared document cache still holds the files, instead
    of parsing them again after the batches."""
    check.takes_parts = True
    return check


def in_parts(hook: Hook) -> bool:
    return hook.reads == "files" and bool(getattr(hook.check, "takes_parts", False))


@record
class Result:
    findings: list[Finding]
    checked: list[str]
    changed: bool


def _finding(hook: Hook, default_path: str, problem: Problem) -> Finding:
    return Finding(hook.id, problem.path or default_path, problem.line, problem.column, problem.message,
                   tuple(problem.identity), problem.severity)


def _wants(hook: Hook, path: str, ctx: Context) -> bool:
    if hook.wants is not None:
        return hook.wants(path, ctx)
    from hooks.config import formats

    return formats.detect(path) is not None and not is_data(path, ctx)


def is_data(path: str, ctx: Context) -> bool:
    """Test data, lock files, vendored files and code are not config: no hook
    parses them by default (a ``roles`` setting can say otherwise)."""
    role = ctx.role(path)
    if role.is_data and not role.from_settings:
        ctx.skip(path, f"{role.role}, not config (docs/roles.md)")
        return True
    return False


def collect(hook: Hook, ctx: Context, filenames: Sequence[str]) -> Result:
    """Run ``hook``'s check over ``filenames``; findings come back with
    suppression markers applied (not the baseline)."""
    if hook.prepare is not None and ctx.state is None:
        ctx.state = hook.prepare(ctx)
    raw: list[Finding] = []
    kept: list[Finding] = []

    def keep(findings: Iterable[Finding]) -> None:
        # Check markers now, while the file's lines are at hand, so no run
        # holds every file's text.
        for f in findings:
            doc = ctx.documents.cached(f.path)
            if doc is None or not doc.text:
                raw.append(f)
            elif not _suppressed(doc.lines, f, hook):
                kept.append(f)

    def check_document(path: str) -> list[Finding]:
        doc = ctx.load(path)
        if doc is None:
            return []
        return _contained(hook, doc.path, lambda: [_finding(hook, doc.path, p) for p in hook.check(doc, ctx)])

    def check_path(path: str) -> list[Finding]:
        return _contained(hook, path, lambda: [_finding(hook, path, x) for x in hook.check(path, ctx)])

    units = None
    if hook.reads != "files" and hook.cache_key is not None:
        from hooks.core import cache

        units = _findings_cache(hook, ctx, cache)
    if hook.reads == "documents":
        for path in filenames:
            if not _wants(hook, path, ctx):
                continue
            ctx.checked.append(path)
            if hook.cache_key is not None:
                kept.extend(_one_file(hook, ctx, path, check_document, units))
            else:
                keep(check_document(path))
    elif hook.reads == "paths":
        for path in filenames:
            if hook.wants is not None and not hook.wants(path, ctx):
                continue
            ctx.checked.append(path)
            if hook.cache_key is not None:
                kept.extend(_one_file(hook, ctx, path, check_path, units))
            else:
                keep(check_path(path))
    else:
        keep(_contained(hook, "", lambda: [_finding(hook, "", p) for p in hook.check(list(filenames), ctx)]))
    if hook.reads != "files" and filenames and not ctx.checked:
        ctx.notice(f"nothing to check: none of the {len(filenames)} file(s) given is config "
                   "(test data, lock, vendored files and code are not read; --verbose lists them)")
    keep(ctx.errors)
    ctx.errors = []
    keep(_newer_python(hook, ctx))
    kept.extend(_check_on_disk(raw, hook))
    if units is not None:
        units.save()
    return Result(_number_occurrences(kept), ctx.checked, ctx.changed)


def _collect_kept(hook: Hook, ctx: Context, filenames: list[str]) -> Result:
    """``collect``, or its result kept for the same inputs (``hooks.core.runcache``):
    the hook, its settings and files, the repository as git sees it and whatever
    else the process read. Cache off, the same path without it."""
    global _claims
    from hooks.core import runcache

    repo = runcache.repository() if not runcache.tainted() else None
    if repo is None:
        return collect(hook, ctx, filenames)
    from hooks.core import cache

    kept = cache.FileResults(f"run-{hook.id}", cache.salt(hook, ctx))
    kept.cap = runcache.KEPT_RUNS
    key = runcache.entry_key(repo, filenames)
    hit: dict[str, Any] = kept.old.get(key) or {}
    if runcache.valid(hit) and repo.still(hit["deps"]) and _claimed_again(hit["claims"]):
        ctx.notices.extend(hit["notices"])
        ctx.once_per_run.update(hit["once"])
        ctx.skipped.extend(hit["skipped"])
        ctx.checked.extend(filenames[c] if isinstance(c, int) and 0 <= c < len(filenames) else str(c)
                           for c in hit["checked"])
        findings = [Finding(hook.id, path, line, column, message, tuple(identity), severity, occurrence)
                    for path, line, column, message, identity, severity, occurrence in hit["findings"]]
        return Result(findings, ctx.checked, False)
    marks = (len(ctx.notices), len(ctx.skipped), len(ctx.output), set(ctx.once_per_run))
    _claims = []
    try:
        result = collect(hook, ctx, filenames)
    finally:
        claims, _claims = _claims, None
        _taken.clear()
    if result.changed:
        runcache.forget(True)
        return result
    deps = repo.deps() if len(ctx.output) == marks[2] and not ctx.errors else None
    if deps is None:
        return result
    notices = ctx.notices[marks[0]:]
    position = {p: i for i, p in enumerate(filenames)}
    kept.used[key] = {
        "findings": [[f.path, f.line, f.column, f.message, list(f.identity), f.severity, f.occurrence]
                     for f in result.findings],
        "checked": [position.get(c, c) for c in result.checked],
        "notices": notices,
        "once": [n for n in notices if n in ctx.once_per_run and n not in marks[3]],
        "skipped": ctx.skipped[marks[1]:],
        "claims": claims,
        "deps": deps,
    }
    kept.added += 1
    kept.save()
    return result


def _claimed_again(claims: list[list[Any]]) -> bool:
    """Claim what a kept result claimed, in order: True when every answer is the
    same. Else the answers taken so far wait for the check's own calls."""
    pre_commit = bool(os.environ.get("PRE_COMMIT"))
    for hook_id, notice, was in claims:
        now = _claim(hook_id, notice) if pre_commit else True
        if now != was:
            _taken.setdefault((hook_id, notice), []).append(now)
            return False
        _taken.setdefault((hook_id, notice), []).append(now)
    _taken.clear()
    return True


def _findings_cache(hook: Hook, ctx: Context, cache: Any) -> Any:
    """The findings cache of this run of ``hook`` (``hooks.core.cache.Findings``), or
    None: the cache is off, or the run is not at the top of a git work tree (the
    blob ids name paths from there)."""
    if cache.directory() is None:
        return None
    from hooks.repo import git

    root = git.toplevel()
    if root is None or os.path.realpath(root) != os.path.realpath("."):
        return None
    blobs = git.blob_ids()
    if not blobs:
        return None
    return cache.Findings(cache.FileResults(f"findings-{hook.id}", cache.salt(hook, ctx)), blobs, hook.cache_key, ctx)


def _one_file(hook: Hook, ctx: Context, path: str, check: Any, units: Any) -> list[Finding]:
    """The findings of one file of a hook that declares ``cache_key`` (``hooks.core.cache.Findings``),
    after the file's own suppression markers: from the cache when it holds this
    file's content, else checked (and kept when the check touched nothing but this
    file's findings, notices, skipped and checked lines). Cache off, the same path
    without the cache: the same findings either way."""
    blob = units.blob(path) if units is not None else None
    if blob is not None:
        hit = units.get(path, blob)
        if hit is not None:
            ctx.checked.extend(hit["checked"])
            ctx.notices.extend(hit["notices"])
            ctx.once_per_run.update(hit["once"])
            ctx.skipped.extend(hit["skipped"])
            return [Finding(hook.id, path, line, column, message, tuple(identity), severity)
                    for line, column, message, identity, severity in hit["findings"]]
    trees = sys.modules.get("hooks.config.python_trees")
    newer = set(trees.newer) if trees is not None else set()
    marks = (len(ctx.checked), len(ctx.notices), len(ctx.skipped), len(ctx.errors), len(ctx.output),
             ctx.notices[-1] if ctx.notices else None, set(ctx.once_per_run), ctx.changed)
    if units is not None:
        from hooks.core import cache

        cache.start_unit(blob is not None)
    try:
        found = check(path)
    finally:
        deps = cache.end_unit(units) if units is not None else None
    found.extend(ctx.errors[marks[3]:])
    del ctx.errors[marks[3]:]
    kept, raw = [], []
    for f in found:  # as collect's keep(): markers from the loaded lines, else from the file
        doc = ctx.documents.cached(f.path)
        if doc is None or not doc.text:
            raw.append(f)
        elif not _suppressed(doc.lines, f, hook):
            kept.append(f)
    kept.extend(_check_on_disk(raw, hook))
    if blob is None or units is None:
        return kept
    trees = sys.modules.get("hooks.config.python_trees")
    notices = ctx.notices[marks[1]:]
    untouched = (
        deps is not None
        and ctx.changed == marks[7] and len(ctx.output) == marks[4]  # wrote nothing, printed nothing
        and (marks[1] == 0 or (len(ctx.notices) >= marks[1] and ctx.notices[marks[1] - 1] is marks[5]))
        and (trees is None or set(trees.newer) <= newer)  # no newer-Python notice: the runner's, per run
        and all(f.path == path for f in found)  # findings in other files: not this file's answer alone
        and ctx.once_per_run >= marks[6]
    )
    if untouched:
        units.put(path, blob, {
            "findings": [[f.line, f.column, f.message, list(f.identity), f.severity] for f in kept],
            "checked": ctx.checked[marks[0]:],
            "notices": notices,
            "once": [n for n in notices if n in ctx.once_per_run and n not in marks[6]],
            "skipped": ctx.skipped[marks[2]:],
            "deps": deps,
        })
    return kept


def _contained(hook: Hook, path: str, run: Any) -> list[Finding]:
    """The findings of one check call. A check that fails on one file (a
    parser's or our own bug on input nobody foresaw: a RecursionError on a
    deep structure) gives one finding naming the file instead of taking the
    run down with a traceback; the other files are still checked. Usage
    errors go through."""
    try:
        return list(run())
    except UsageError:
        raise
    except (Exception, RecursionError, MemoryError) as exc:  # noqa: B014 - named for the reader
        where = path or "."
        return [Finding(hook.id, where, 1, 1, f"could not be checked: internal error ({type(exc).__name__}); "
                        "please report it with this file", ("internal-error", type(exc).__name__))]


def _newer_python(hook: Hook, ctx: Context) -> list[Finding]:
    """Python modules this hook could not parse because they use a newer
    Python's syntax, or Python 2's (recorded by hooks.config.python_trees): one
    line each, the same for every hook, never "cannot parse". Not for a file the
    roles (or the roles setting) call vendored, test data or a lock file: it is
    not the user's code, and no hook reads it as config."""
    trees = sys.modules.get("hooks.config.python_trees")
    if trees is None:
        return []  # nothing parsed Python in this process
    found: dict[str, Finding] = {}
    for path, (line, message) in sorted(trees.take().items()):
        if path.startswith("<"):
            continue
        shown = os.path.relpath(path) if os.path.isabs(path) else path
        if ctx.role(shown).role in _NOT_THE_USERS:
            continue  # libs/requests/, vendor/, tests/fixtures/, or `vendored = [...]` in the roles setting
        found.setdefault(pathutil.normalise(shown), Finding(hook.id, shown, line, 1, message, ("newer-python",)))
    return list(found.values())


_NOT_THE_USERS = frozenset({"generated-or-vendored", "test-data", "lock-file"})


def _suppressed(lines: Sequence[str], f: Finding, hook: Hook) -> bool:
    from hooks.core import suppression

    return suppression.is_suppressed(lines, f.line, hook.id, hook.markers)


def _check_on_disk(findings: list[Finding], hook: Hook) -> list[Finding]:
    kept = []
    lines: dict[str, Sequence[str]] = {}
    for f in findings:
        key = pathutil.normalise(f.path)
        if key not in lines:
            from hooks.config.source import ReadError, read_bytes

            try:
                lines[key] = read_bytes(f.path, DEFAULT_MAX_BYTES).decode("utf-8", "replace").split("\n")
            except (ReadError, TooLarge):
                lines[key] = []
        if not _suppressed(lines[key], f, hook):
            kept.append(f)
    return kept


def _number_occurrences(findings: list[Finding]) -> list[Finding]:
    """Give repeated identities in one file distinct fingerprints, in line order."""
    counts: dict[tuple[Any, ...], int] = {}
    out = []
    for f in sorted(findings, key=lambda f: (f.path, f.line, f.column)):
        key = (pathutil.normalise(f.path), f.identity)
        n = counts.get(key, 0)
        counts[key] = n + 1
        if n:
            f = Finding(f.hook_id, f.path, f.line, f.column, f.message, f.identity, f.severity, n)
        out.append(f)
    return out


# -- baseline and output -----------------------------------------------------
def apply_baseline(hook_id: str, result: Result, shared: Shared) -> list[Finding]:
    """Write or apply the baseline; returns what is left to report."""
    findings = result.findings
    if not (shared.write_baseline or shared.baseline):
        return findings
    from hooks.core import baseline as store  # only runs that use one pay for it

    if shared.write_baseline:
        grouped: dict[str, set[str]] = {}
        for f in findings:
            grouped.setdefault(pathutil.normalise(f.path), set()).add(f.fingerprint)
        try:
            count = store.update(shared.write_baseline, hook_id,
                                 {pathutil.normalise(p) for p in result.checked} | set(grouped), grouped)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        sys.stderr.write(f"{hook_id}: recorded {count} finding(s) in {shared.write_baseline}\n")
        return []
    assert shared.baseline is not None
    try:
        known = store.load(shared.baseline).get(hook_id, {})
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    seen: dict[str, set[str]] = {}
    for f in findings:
        seen.setdefault(pathutil.normalise(f.path), set()).add(f.fingerprint)
    left = [f for f in findings if f.fingerprint not in known.get(pathutil.normalise(f.path), ())]
    if shared.report_stale:
        for path in sorted({pathutil.normalise(p) for p in result.checked}):
            for fp in sorted(known.get(path, set()) - seen.get(path, set())):
                left.append(Finding(
                    hook_id, path, 1, 1,
                    f"baseline entry {fp[:8]} in {shared.baseline} no longer matches a finding; "
                    "write the baseline again to drop it",
                    ("stale", fp), severity="warning",
                ))
    return left


def _write(text: str, stream: Any) -> None:
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:  # e.g. piped into head: not our error
        pass


def _from_root(path: str, root: str, folders: dict[str, str] | None = None) -> str:
    """A path given from where the user stands, made relative to the repo root
    (``folders``: the real paths of folders and of the root asked so far in this call)."""
    folders = {} if folders is None else folders
    full = os.path.abspath(path)
    folder = os.path.dirname(full)
    if folder not in folders:
        folders[folder] = os.path.realpath(folder)
    if "" not in folders:
        folders[""] = os.path.realpath(root)
    full = os.path.join(folders[folder], os.path.basename(full))
    return pathutil.normalise(os.path.relpath(full, folders[""]))


def run(hook: Hook, argv: Sequence[str] | None = None) -> int:
    """Parse, check, report; the exit code (0 clean, 1 findings or changes, 2 usage)."""
    from hooks.core import runcache

    runcache.track()  # what this process reads, for the result kept per run (_collect_kept)
    args = parse_args(hook, argv)
    invoked_from = os.getcwd()
    if hook.at_repo_root:
        from hooks.repo import git

        root = git.toplevel()
        if root is None:
            raise UsageError("not inside a git work tree (this hook reads the repository through git)")
        folders: dict[str, str] = {}  # each folder's real path once, not once per file
        args["filenames"] = [_from_root(p, root, folders) for p in args.get("filenames") or []]
        if os.path.realpath(root) != os.path.realpath("."):
            os.chdir(root)  # git paths and settings are relative to the top of the work tree
    try:
        project = settings_mod.load()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    validate_top(hook, project)
    notices: list[str] = []
    options = resolve_options(hook, args, project, notices)
    shared = read_shared(args, project)
    ctx = Context(hook, options, shared)
    ctx.invoked_from = invoked_from
    for notice in notices:
        ctx.notice(notice)
    if args.get("explain"):
        from hooks.core import escaping
        from hooks.repo import production

        _write("".join(escaping.lines(production.explain(ctx.roles, p, shared.environments)) + "\n"
                       for p in args["explain"]), sys.stdout)
        return 0
    from hooks.repo import git

    own = not git.sharing()
    if own:  # one listing of the repo and its blob ids for the whole run (the prefilters', the caches')
        git.share_answers()
    try:
        result = _collect_kept(hook, ctx, list(args.get("filenames") or []))
    finally:
        if own:
            git.share_answers(False)
    if result.changed and _shared_documents is not None:
        from hooks.repo import git

        _shared_documents.clear()  # this check wrote files: the next ones read them, and git, again
        git.forget_answers()
    findings = apply_baseline(hook.id, result, shared)
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.message))
    if hook.reads == "files" and findings and os.environ.get("PRE_COMMIT"):
        findings = _first_in_run_findings(hook, options, findings)
    from hooks.core import escaping

    if ctx.output:
        _write(escaping.lines("".join(ctx.output)), sys.stdout)
    if findings or shared.format in ("json", "sarif"):
        import io

        from hooks.core import reporting

        out = io.StringIO()
        reporting.write(findings, shared.format, hook.id, out)
        _write(out.getvalue(), sys.stdout)
    lines = [n for n in ctx.notices if n not in ctx.once_per_run or first_in_run(hook.id, n)] + (ctx.skipped if shared.verbose else [])
    if lines:
        sys.stdout.flush()  # pre-commit interleaves stdout and stderr: findings first
        _write("".join(escaping.text(line) + "\n" for line in lines), sys.stderr)
    return 1 if findings or result.changed else 0


def _first_in_run_findings(hook: Hook, options: SimpleNamespace, findings: list[Finding]) -> list[Finding]:
    """The findings no earlier part of this pre-commit run printed. A "files" hook
    reads the repository beside the files given, so when pre-commit splits a long
    file list (over 128 KB of names) two parts can find the same problem; each
    problem (its place, message and how many times this call found it) is
    claimed once per run and these options (``first_in_run``: an exclusive
    create, so parts running at once cannot both print it). Two entries of the
    same hook with the same options in one config print it once."""
    import json

    own = json.dumps(sorted((k, repr(v)) for k, v in vars(options).items()))
    seen: dict[tuple[str, int, int, str], int] = {}
    kept = []
    for finding in findings:
        place = (finding.path, finding.line, finding.column, finding.message)
        seen[place] = seen.get(place, 0) + 1
        if first_in_run(hook.id, f"finding {own} {json.dumps([*place, seen[place]])}"):
            kept.append(finding)
    return kept


_swept = False
# The claims a check made while its result is being kept (hook id, notice, answer),
# and the answers a replay took before it found one that differs (_collect_kept).
_claims: list[list[Any]] | None = None
_taken: dict[tuple[str, str], list[bool]] = {}


def first_in_run(hook_id: str, notice: str) -> bool:
    """Whether this call of the hook is the first of its pre-commit run to print
    ``notice``. pre-commit starts a hook once per part of a long file list, every
    part from the same pre-commit process: the first call to claim a marker
    named after that process (its id and start time), the hook and the notice
    prints it. Outside pre-commit, or where that cannot be told, every call prints."""
    if not os.environ.get("PRE_COMMIT"):
        return True
    taken = _taken.get((hook_id, notice))
    if taken:
        return taken.pop(0)
    answer = _claim(hook_id, notice)
    if _claims is not None:
        _claims.append([hook_id, notice, answer])
    return answer


def _claim(hook_id: str, notice: str) -> bool:
    import hashlib
    import tempfile
    import time

    parent = os.getppid()
    try:
        with open(f"/proc/{parent}/stat", encoding="ascii", errors="replace") as handle:
            started = handle.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return True
    key = hashlib.sha256(f"{parent}:{started}:{hook_id}:{notice}".encode()).hexdigest()[:32]
    folder = os.path.join(tempfile.gettempdir(), f"legacy-config-hooks-{os.getuid() if hasattr(os, 'getuid') else 0}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        os.close(os.open(os.path.join(folder, key), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    except OSError:
        return True
    global _swept
    if _swept:
        return True
    _swept = True
    try:  # markers of runs that ended long ago (once per process: a run can claim hundreds)
        day = time.time() - 86_400
        for entry in os.scandir(folder):
            if entry.stat().st_mtime < day:
                os.unlink(entry.path)
    except OSError:
        pass
    return True


def quiet_user_code_warnings() -> None:
    """``ast.parse`` of a user's module warns about its invalid escapes
    (``"\\."``: a SyntaxWarning printed on stderr from Python 3.12): their
    code, not our finding, and noise in every hook's output."""
    import warnings

    warnings.filterwarnings("ignore", category=SyntaxWarning)
    warnings.filterwarnings("ignore", "invalid escape sequence", DeprecationWarning)


def main(hook: Hook, argv: Sequence[str] | None = None) -> int:
    """A hook's console script: ``return runner.main(HOOK, argv)``."""
    quiet_user_code_warnings()
    try:
        return run(hook, argv)
    except UsageError as exc:
        from hooks.core import escaping

        lines = exc.lines or [f"{hook.id}: error: {exc}"]
        _write("".join(escaping.text(line) + "\n" for line in lines), sys.stderr)
        return 2
