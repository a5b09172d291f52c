"""legacy-config-report: every check of legacy-config-hooks over a whole repo, in one pass.

    legacy-config-report [--format md|html|json|sarif] [-o FILE] [--hooks IDS] [--skip IDS]
                         [--jobs N] [--since REF] [--history FILE | --no-history] [--baseline FILE]
    legacy-config-report merge a.json b.json ... [--format ...] [-o FILE]

Exit 0 when the report is written (findings are the report's content, not a
failure), 2 on bad usage or input.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from typing import Any, Callable

from hooks.report.model import Report

FORMATS = ("md", "html", "json", "sarif")
EXTENSIONS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json", ".sarif": "sarif"}
PROG = "legacy-config-report"


def render(report: Report, fmt: str) -> str:
    if fmt == "html":
        from hooks.report import render_html as module
    elif fmt == "json":
        from hooks.report import render_json as module  # type: ignore[no-redef]
    elif fmt == "sarif":
        from hooks.report import render_sarif as module  # type: ignore[no-redef]
    else:
        from hooks.report import render_md as module  # type: ignore[no-redef]
    return module.render(report)


def now() -> str:
    """UTC, to the second; ``SOURCE_DATE_EPOCH`` pins it (reproducible output)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = int(epoch) if epoch and epoch.isdigit() else time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))


def _ids(values: list[str] | None) -> list[str]:
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, help="md (default), html, json or sarif; default from -o's extension")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report here (default: stdout)")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.strip().splitlines()[0])
    _output_options(parser)
    parser.add_argument("--hooks", action="append", metavar="IDS", help="only these checks (comma-separated, repeatable)")
    parser.add_argument("--skip", action="append", metavar="IDS", help="leave these checks out")
    parser.add_argument(
        "--jobs", type=int, default=0, metavar="N",
        help="use N processes when the repo is big (default 0: one per CPU; 1: this process only)",
    )
    parser.add_argument("--since", metavar="REF", help="only files added or changed since REF")
    parser.add_argument(
        "--history", metavar="FILE", help="progress between runs, read and updated here (default: .legacy-config-report.json)"
    )
    parser.add_argument("--no-history", action="store_true", help="neither read nor write the history")
    parser.add_argument("--baseline", metavar="FILE", help="count findings recorded here as baselined (default: the baseline setting)")
    parser.add_argument("--repo", default=".", metavar="DIR", help="the repository to report on (default: the current one)")
    parser.add_argument("--name", help="the repository's name in the report (default: its folder name)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    return parser


def make_merge_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} merge", description="Combine many repos' JSON reports into one report, in any format."
    )
    parser.add_argument("reports", nargs="+", metavar="REPORT.json")
    _output_options(parser)
    return parser


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    ext = os.path.splitext(args.output or "")[1].lower()
    return EXTENSIONS.get(ext, "md")


def _check_output(args: argparse.Namespace) -> None:
    """Refuse a bad -o before any work: a symlink, a missing folder, not a
    file (ValueError, one line). -o may point outside the repo: the user
    typed it."""
    if args.output:
        from hooks.core.writing import WriteError, resolve

        try:
            resolve(args.output, allow_outside=True, what=args.output)
        except WriteError as exc:
            raise ValueError(str(exc)) from None


def _write(report: Report, args: argparse.Namespace) -> None:
    text = render(report, _format(args))
    if args.output:
        from hooks.core.writing import WriteError, write_file

        try:  # atomic: a run killed half way leaves the previous report whole
            write_file(args.output, text, allow_outside=True, what=args.output)
        except WriteError as exc:
            raise ValueError(str(exc)) from None
    else:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # piped into head: not our error
            pass


def _summary(report: Report, args: argparse.Namespace) -> str:
    totals = report["totals"]
    line = f"{PROG}: {totals['open']} open, {totals['baselined']} baselined finding(s)"
    prev = (report.get("progress") or {}).get("since_previous")
    if prev:
        line += f"; since the previous run {prev['fixed']} fixed, {prev['new']} new"
    if args.output:
        line += f"; wrote {args.output}"
    return line


def _progress_bar(enabled: bool) -> Any:
    """A tqdm bar on stderr when it is a terminal; None (silent) otherwise."""
    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm  # type: ignore[import-untyped,unused-ignore]  # only the report pays for it

    return tqdm(total=1, unit="file", desc="checking", file=sys.stderr, leave=False, dynamic_ncols=True)


def _fail(message: str) -> int:
    from hooks.core.escaping import text

    sys.stderr.write(f"{PROG}: error: {text(message)}\n")  # one line, whatever a file name holds
    return 2


def run_merge(argv: Sequence[str]) -> int:
    args = make_merge_parser().parse_args(argv)
    from hooks.report import merge

    try:
        _check_output(args)
        merge.check_sizes(args.reports)
        reports = [merge.load(path) for path in args.reports]
        report = merge.merge(reports, now())
        _write(report, args)
    except ValueError as exc:
        return _fail(str(exc))
    sys.stderr.write(_summary(report, args) + f" from {len(reports)} report(s)\n")
    return 0


def report_repo(args: argparse.Namespace, on_progress: Callable[[int, int], None] | None = None) -> Report:
    """Collect and build the report of one repo (ValueError: a usage problem)."""
    from hooks.core.api import UsageError
    from hooks.report import collect, history
    from hooks.report.model import build, finding_record

    root = collect.repo_root(args.repo)
    _check_output(args)
    history_path = None
    partial = bool(args.since or args.hooks or args.skip)
    if not args.no_history and not partial:
        from hooks.core.writing import WriteError, resolve

        try:  # the history is the repo's file: inside it, never through a symlink
            history_path = resolve(args.history or history.DEFAULT, root, what=args.history or history.DEFAULT)
        except WriteError as exc:
            raise ValueError(str(exc)) from None
        past = history.load(history_path)  # a broken history is exit 2 before any work
    specs = collect.load_manifest()
    hook_ids = collect.select(specs, _ids(args.hooks), _ids(args.skip))
    files = collect.tracked_files(root, args.since)
    try:  # the hooks' own settings checks, before any work: a typo is a usage error
        session = collect.Session(root)
        session.validate(hook_ids)
    except UsageError as exc:
        raise ValueError(str(exc)) from None
    baseline_path = args.baseline or session.shared.baseline
    known: dict[str, dict[str, set[str]]] = {}
    if baseline_path:
        from hooks.core import baseline

        full = baseline_path if os.path.isabs(baseline_path) else os.path.join(root, baseline_path)
        known = baseline.load(full)  # ValueError (one line) when it is not a baseline
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    results = collect.collect(root, hook_ids, files, specs, jobs=jobs, progress=on_progress)
    findings = []
    for result in results:
        mine = known.get(result.id, {})
        for raw in result.findings:
            record = finding_record(raw, False)
            if record["fingerprint"] in mine.get(record["path"], ()):
                record["status"] = "baselined"
            findings.append(record)
    hooks_meta = [
        {"id": r.id, "summary": collect.hook_summary(r.id), "files_checked": r.files_checked, "notices": r.notices}
        for r in results
    ]
    commit = collect.head_commit(root)
    repo = {"name": args.name or os.path.basename(root.rstrip("/")) or "repo", "commit": commit, "files": len(files)}
    if args.since:
        repo["since"] = args.since
    generated = now()
    report = build(hooks_meta, findings, [repo], generated)
    if history_path is not None:
        current = history.entry(report, generated, commit)
        report["progress"] = history.progress(past, current)
        history.save(history_path, history.append(past, current), root)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from hooks.core.runner import quiet_user_code_warnings

    quiet_user_code_warnings()
    if argv[:1] == ["merge"]:
        return run_merge(argv[1:])
    args = make_parser().parse_args(argv)
    bar = _progress_bar(not args.no_progress)
    done = [0]

    def on_progress(step: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.update(step)
        done[0] += step

    try:
        report = report_repo(args, on_progress)
    except ValueError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted")
    finally:
        if bar is not None:
            bar.close()
    try:
        _write(report, args)
    except ValueError as exc:
        return _fail(str(exc))
    sys.stderr.write(_summary(report, args) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
