"""Markdown, for a pull request or a wiki page."""
from __future__ import annotations

from typing import Any

from hooks.core.escaping import markdown as _cell
from hooks.report.model import DOCS_URL, Report


def _code(text: Any) -> str:
    """A name shown as code: escaped like any cell, so nothing in it is markup."""
    return _cell(text)


def _since(label: str, s: dict[str, Any] | None) -> str:
    if not s:
        return ""
    when = str(s.get("date") or "")[:10]
    commit = str(s.get("commit") or "")[:8]
    ref = f" ({when}{', ' + commit if commit else ''})"
    return f"| since {label}{_cell(ref)} | {_cell(s.get('fixed'))} | {_cell(s.get('new'))} | {_cell(s.get('still_open'))} |\n"


def render(report: Report) -> str:
    out: list[str] = []
    repos = report["repos"]
    totals = report["totals"]
    names = ", ".join(_code(r["name"]) for r in repos)
    out.append(f"# Legacy config report: {names if len(repos) < 6 else f'{len(repos)} repos'}\n\n")
    commits = "; ".join(f"{r['name']} {str(r.get('commit') or 'no commit')[:8]}" for r in repos[:6])
    out.append(
        f"Generated on {_cell(str(report['generated'])[:10])} by legacy-config-hooks "
        f"{_cell(report['tool']['version'])} ({_cell(commits)}).\n\n"
        f"**{_cell(totals['open'])} open** and {_cell(totals['baselined'])} baselined finding(s) "
        f"in {_cell(totals['files_with_findings'])} file(s).\n\n"
    )
    progress = report.get("progress") or {}
    if progress.get("since_previous") or progress.get("since_first"):
        out.append("## Progress\n\n| | fixed | new | still open |\n|---|---:|---:|---:|\n")
        out.append(_since("the previous run", progress.get("since_previous")))
        out.append(_since("the first run", progress.get("since_first")))
        out.append("\n")
    out.append("## Summary\n\n")
    out.append("| check | open | baselined | files checked | could not check |\n|---|---:|---:|---:|---|\n")
    for h in report["hooks"]:
        checked = "repo" if h["files_checked"] is None else h["files_checked"]
        notes = "<br>".join(_cell(n) for n in h["notices"][:5]) + (" …" if len(h["notices"]) > 5 else "")
        out.append(
            f"| [{_cell(h['id'])}]({_cell(DOCS_URL.format(h['id']))}) | {_cell(h['open'])} | {_cell(h['baselined'])} "
            f"| {_cell(checked)} | {notes} |\n"
        )
    out.append(f"| **total** | **{_cell(totals['open'])}** | **{_cell(totals['baselined'])}** | | |\n\n")
    if report["folders"]:
        out.append("## By folder\n\n| folder | open | baselined |\n|---|---:|---:|\n")
        for row in report["folders"]:
            out.append(f"| {_cell(row['name'])} | {_cell(row['open'])} | {_cell(row['baselined'])} |\n")
        out.append("\n")
    if report["worst_files"]:
        out.append(f"## The {_cell(len(report['worst_files']))} worst files\n\n| file | open | baselined |\n|---|---:|---:|\n")
        for row in report["worst_files"]:
            out.append(f"| {_cell(row['path'])} | {_cell(row['open'])} | {_cell(row['baselined'])} |\n")
        out.append("\n")
    out.append("## Findings\n")
    for h in report["hooks"]:
        mine = [f for f in report["findings"] if f["hook"] == h["id"]]
        if not mine:
            continue
        out.append(f"\n### {_cell(h['id'])} ({_cell(h['open'])} open, {_cell(h['baselined'])} baselined)\n\n")
        if h["summary"]:
            out.append(f"{_cell(h['summary'])}\n\n")
        out.append("| file | line | message | status |\n|---|---:|---|---|\n")
        for f in mine:
            out.append(f"| {_cell(f['path'])} | {_cell(f['line'])} | {_cell(f['message'])} | {_cell(f['status'])} |\n")
    if not report["findings"]:
        out.append("\nNo findings.\n")
    return "".join(out)
