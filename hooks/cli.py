"""What every hook shares around its check: the shared flags and settings,
loading files, suppression, the baseline, reporting and the exit code.

A hook reads as::

    def main(argv=None) -> int:
        parser = cli.make_parser(HOOK_ID, __doc__)
        args = cli.parse_args(parser, argv)
        run = cli.HookRun(HOOK_ID, args)
        for doc in run.documents(args.filenames):
            for finding in check_document(doc):
                run.add(finding)
        return run.finish()
"""
from __future__ import annotations

import argparse
import io
import os
import posixpath
import re
import sys
from collections import OrderedDict
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence

from hooks import formats, loaders, reporting, settings, suppression
from hooks.document import Document
from hooks.environments import DEFAULT_PATTERNS, environment_of
from hooks.findings import Finding
from hooks.source import DEFAULT_MAX_BYTES, TooLarge

ENV_PREFIX = "LEGACY_CONFIG_HOOKS_"
CACHED_DOCUMENTS = 64
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$", re.I)


def parse_size(text: str) -> int:
    """``10MB``, ``500k`` or a number of bytes; 0 means no limit."""
    match = _SIZE.match(str(text))
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 10MB, 500k)")
    scale = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    return int(float(match.group(1)) * scale)


def make_parser(hook_id: str, description: Optional[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=hook_id, description=(description or "").strip().splitlines()[0])
    parser.add_argument("filenames", nargs="*", help="files to check (pre-commit passes them)")
    shared = parser.add_argument_group("options shared by every legacy-config hook")
    shared.add_argument(
        "--format",
        choices=reporting.FORMATS,
        help="output format (default: text, or github when GITHUB_ACTIONS is set)",
    )
    shared.add_argument("--baseline", metavar="FILE", help="do not fail on findings recorded in FILE")
    shared.add_argument(
        "--write-baseline",
        metavar="FILE",
        nargs="?",
        const="",
        help="record today's findings in FILE (default: the --baseline file) and pass",
    )
    shared.add_argument(
        "--report-stale", action="store_true", help="report baseline entries that no longer match a finding"
    )
    shared.add_argument(
        "--verbose", action="store_true", help="also list the files skipped (broken, test data, lock files) and why"
    )
    shared.add_argument(
        "--max-file-size",
        type=parse_size,
        metavar="SIZE",
        help="skip larger files with a notice (default: 10MB; 0 for no limit)",
    )
    return parser


def parse_args(parser: argparse.ArgumentParser, argv: Optional[Sequence[str]]) -> argparse.Namespace:
    """Flags first, then LEGACY_CONFIG_HOOKS_* variables, then the project settings."""
    args = parser.parse_args(argv)
    try:
        project = settings.load()
    except ValueError as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    env = {
        "format": os.environ.get(ENV_PREFIX + "FORMAT"),
        "baseline": os.environ.get(ENV_PREFIX + "BASELINE"),
    }
    for dest, value in env.items():
        if getattr(args, dest, None) is None and value:
            setattr(args, dest, value)
    if args.write_baseline is None and settings.as_bool(os.environ.get(ENV_PREFIX + "WRITE_BASELINE", "")):
        args.write_baseline = ""
    if not args.report_stale and settings.as_bool(os.environ.get(ENV_PREFIX + "REPORT_STALE", "")):
        args.report_stale = True
    for action in parser._actions:  # fill what no flag set from the settings
        dest = action.dest
        if dest in ("help", "filenames") or dest not in project:
            continue
        current = getattr(args, dest, None)
        if current not in (None, [], False):
            continue
        try:
            setattr(args, dest, _coerce(action, project[dest]))
        except (argparse.ArgumentTypeError, TypeError, ValueError) as exc:
            parser.exit(2, f"{parser.prog}: error: setting {dest.replace('_', '-')}: {exc}\n")
    if args.format is None:
        args.format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if args.format not in reporting.FORMATS:
        parser.exit(2, f"{parser.prog}: error: unknown format {args.format!r}\n")
    if args.max_file_size is None:
        args.max_file_size = DEFAULT_MAX_BYTES
    if args.write_baseline == "":
        if not args.baseline:
            parser.exit(2, f"{parser.prog}: error: --write-baseline needs a FILE or a baseline setting\n")
        args.write_baseline = args.baseline
    envs = project.get("environments")
    args.environment_patterns = (
        {k: settings.as_list(v) for k, v in envs.items()} if isinstance(envs, dict) else dict(DEFAULT_PATTERNS)
    )
    args.settings = project
    from hooks import roles

    try:
        args.roles = roles.from_settings(project)  # what each file is for: docs/roles.md
    except ValueError as exc:
        parser.exit(2, f"{parser.prog}: error: setting {exc}\n")
    return args


def _coerce(action: argparse.Action, value: Any) -> Any:
    convert: Any = action.type
    if isinstance(action, (argparse._AppendAction, argparse._ExtendAction)) or action.nargs in ("*", "+"):
        items = settings.as_list(value)
        return [convert(v) for v in items] if convert else items
    if isinstance(action, argparse._StoreTrueAction):
        return settings.as_bool(value)
    if action.type is not None:
        return convert(value)
    if action.choices is not None and value not in action.choices:
        raise ValueError(f"{value!r} is not one of {', '.join(map(str, action.choices))}")
    return value


def normpath(path: str) -> str:
    return posixpath.normpath(path.replace("\\", "/"))


class HookRun:
    """Collects one hook's findings over one invocation and reports them."""

    def __init__(self, hook_id: str, args: argparse.Namespace, extra_markers: Iterable[str] = ()) -> None:
        self.hook_id = hook_id
        self.args = args
        self.extra_markers = tuple(extra_markers)
        self.findings: List[Finding] = []
        self.checked: List[str] = []
        self.changed = False  # a fixer wrote a file: exit 1 even when nothing is left to report
        # Findings whose file was no longer loaded when they were added: their
        # suppression markers are read from disk at the end.
        self._unchecked: List[Finding] = []
        # The documents loaded last: enough for a hook that reads a partner file
        # (parity) to read each file once, while memory stays flat however many
        # files pre-commit passes to one process.
        self._cache: "OrderedDict[str, Optional[Document]]" = OrderedDict()

    # -- input -------------------------------------------------------------
    def load(
        self, path: str, fmt: Optional[str] = None, report_errors: bool = True, strict: bool = False
    ) -> Optional[Document]:
        """Load one file once per run. Returns None for a file in no known format,
        too large, or broken (a broken file is reported when ``report_errors``).

        ``strict`` also reports files that only look like templates or another
        format; use it for files that must be in ``fmt`` (change notes)."""
        key = normpath(path)
        if key in self._cache:
            self._cache.move_to_end(key)
        else:
            try:
                doc = loaders.load(path, fmt, self.args.max_file_size)
            except TooLarge as exc:
                sys.stderr.write(f"{path}: {self.hook_id}: {exc}\n")
                doc = None
            self._cache[key] = doc
            if len(self._cache) > CACHED_DOCUMENTS:
                self._cache.popitem(last=False)
        doc = self._cache[key]
        if doc is None:
            return None
        if doc.error is not None:
            if report_errors and (doc.error.certain or strict):
                self.report_error(doc)
            else:
                self.skipped(path, f"cannot parse {formats.label(doc.format)} (no-duplicate-config-keys reports it)")
            return None
        return doc

    def notice(self, text: str) -> None:
        """An informational line on stderr (pre-commit shows it with verbose: true)."""
        sys.stderr.write(f"{self.hook_id}: {text}\n")

    def skipped(self, path: str, why: str) -> None:
        """``--verbose`` lists what this hook left alone, and why."""
        if getattr(self.args, "verbose", False):
            sys.stderr.write(f"{path}: {self.hook_id}: skipped: {why}\n")

    def loaded(self, path: str) -> Optional[Document]:
        """The document ``load`` read for ``path``, even one that failed to parse
        (its ``text`` is there when the file could be read); None when it was
        never loaded, too large, or in no known format."""
        return self._cache.get(normpath(path))

    def documents(self, filenames: Iterable[str]) -> Iterator[Document]:
        """The loadable documents among ``filenames``; each is marked as checked.
        Test data, lock files and vendored files are not config: never parsed."""
        for path in filenames:
            self.checked.append(path)
            role = self.args.roles.of(path)
            if role.is_data and not role.from_settings:
                self.skipped(path, f"{role.role}, not config (docs/roles.md)")
                continue
            doc = self.load(path)
            if doc is not None:
                yield doc

    def report_error(self, doc: Document) -> None:
        assert doc.error is not None
        message = doc.error.message
        if not message.startswith("cannot read"):
            message = f"cannot parse {formats.label(doc.format)}: {message}"
        self.add(Finding(self.hook_id, doc.path, doc.error.line, doc.error.column, message, ("error",)))

    def environment(self, path: str) -> Optional[str]:
        """From the path, and the file's role: docs and release notes name no
        environment, CI and test data are the test environment."""
        return self.args.roles.environment(path, self.args.environment_patterns)

    # -- output ------------------------------------------------------------
    def add(self, finding: Finding) -> None:
        """Keep a finding unless a marker on its line suppresses it (checked now,
        while the file's lines are at hand, so no run holds every file's text)."""
        doc = self._cache.get(normpath(finding.path))
        if doc is None or not doc.text:
            self._unchecked.append(finding)
        elif not suppression.is_suppressed(doc.lines, finding.line, self.hook_id, self.extra_markers):
            self.findings.append(finding)

    def report(self, path: str, line: int, column: int, message: str, *identity: str) -> None:
        self.add(Finding(self.hook_id, path, line, column, message, tuple(identity)))

    def _check_unchecked(self) -> List[Finding]:
        kept = []
        lines: Dict[str, Sequence[str]] = {}
        for finding in self._unchecked:
            key = normpath(finding.path)
            if key not in lines:
                try:
                    with open(finding.path, encoding="utf-8", errors="replace") as f:
                        lines[key] = f.read().split("\n")
                except OSError:
                    lines[key] = []
            if not suppression.is_suppressed(lines[key], finding.line, self.hook_id, self.extra_markers):
                kept.append(finding)
        self._unchecked = []
        return kept

    def finish(self) -> int:
        findings = _number_occurrences(self.findings + self._check_unchecked())
        args = self.args
        if args.write_baseline or args.baseline:
            from hooks import baseline as baseline_store  # only runs that use one pay for it
        if args.write_baseline:
            grouped: Dict[str, set] = {}
            for f in findings:
                grouped.setdefault(normpath(f.path), set()).add(f.fingerprint)
            count = baseline_store.update(
                args.write_baseline, self.hook_id, {normpath(p) for p in self.checked} | set(grouped), grouped
            )
            sys.stderr.write(f"{self.hook_id}: recorded {count} finding(s) in {args.write_baseline}\n")
            return 1 if self.changed else 0
        if args.baseline:
            try:
                known = baseline_store.load(args.baseline).get(self.hook_id, {})
            except ValueError as exc:
                sys.stderr.write(f"{self.hook_id}: error: {exc}\n")
                return 2
            seen: Dict[str, set] = {}
            for f in findings:
                seen.setdefault(normpath(f.path), set()).add(f.fingerprint)
            findings = [f for f in findings if f.fingerprint not in known.get(normpath(f.path), ())]
            if args.report_stale:
                for path in sorted({normpath(p) for p in self.checked}):
                    for fp in sorted(known.get(path, set()) - seen.get(path, set())):
                        findings.append(
                            Finding(
                                self.hook_id, path, 1, 1,
                                f"baseline entry {fp[:8]} in {args.baseline} no longer matches a finding; "
                                "write the baseline again to drop it",
                                ("stale", fp), severity="warning",
                            )
                        )
        findings.sort(key=lambda f: (f.path, f.line, f.column, f.message))
        if findings or args.format in ("json", "sarif"):
            out = io.StringIO()
            reporting.write(findings, args.format, self.hook_id, out)
            try:
                sys.stdout.write(out.getvalue())
                sys.stdout.flush()
            except BrokenPipeError:  # e.g. piped into head: not our error
                pass
        return 1 if findings or self.changed else 0


def _number_occurrences(findings: List[Finding]) -> List[Finding]:
    """Give repeated identities in one file distinct fingerprints, in line order."""
    counts: Dict[tuple, int] = {}
    out = []
    for f in sorted(findings, key=lambda f: (f.path, f.line, f.column)):
        key = (normpath(f.path), f.identity)
        n = counts.get(key, 0)
        counts[key] = n + 1
        if n:
            f = Finding(f.hook_id, f.path, f.line, f.column, f.message, f.identity, f.severity, n)
        out.append(f)
    return out
