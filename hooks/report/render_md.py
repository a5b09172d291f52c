"""Markdown, for a pull request or a wiki page."""
from __future__ import annotations

from typing import Any

from hooks.report.model import DOCS_URL, Report


def _cell(text: Any) -> str:
    """Table-safe: no pipe, no newline, no HTML."""
    s = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    return s.replace("<", "&lt;").replace(">", "&gt;")


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _since(label: str, s: dict[str, Any] | None) -> str:
    if not s:
        return ""
    when = (s.get("date") or "")[:10]
    commit = (s.get("commit") or "")[:8]
    ref = f" ({when}{', ' + commit if commit else ''})"
    return f"| since {label}{ref} | {s['fixed']} | {s['new']} | {s['still_open']} |\n"


def render(report: Report) -> str:
    out: list[str] = []
    repos = report["repos"]
    totals = report["totals"]
    names = ", ".join(_code(r["name"]) for r in repos)
    out.append(f"# Legacy config report: {names if len(repos) < 6 else f'{len(repos)} repos'}\n\n")
    commits = "; ".join(f"{r['name']} {(r.get('commit') or 'no commit')[:8]}" for r in repos[:6])
    out.append(
        f"Generated on {report['generated'][:10]} by legacy-config-hooks {report['tool']['version']} ({commits}).\n\n"
        f"**{totals['open']} open** and {totals['baselined']} baselined finding(s) "
        f"in {totals['files_with_findings']} file(s).\n\n"
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
            f"| [{h['id']}]({DOCS_URL.format(h['id'])}) | {h['open']} | {h['baselined']} | {checked} | {notes} |\n"
        )
    out.append(f"| **total** | **{totals['open']}** | **{totals['baselined']}** | | |\n\n")
    if report["folders"]:
        out.append("## By folder\n\n| folder | open | baselined |\n|---|---:|---:|\n")
        for row in report["folders"]:
            out.append(f"| {_cell(row['name'])} | {row['open']} | {row['baselined']} |\n")
        out.append("\n")
    if report["worst_files"]:
        out.append(f"## The {len(report['worst_files'])} worst files\n\n| file | open | baselined |\n|---|---:|---:|\n")
        for row in report["worst_files"]:
            out.append(f"| {_cell(row['path'])} | {row['open']} | {row['baselined']} |\n")
        out.append("\n")
    out.append("## Findings\n")
    for h in report["hooks"]:
        mine = [f for f in report["findings"] if f["hook"] == h["id"]]
        if not mine:
            continue
        out.append(f"\n### {h['id']} ({h['open']} open, {h['baselined']} baselined)\n\n")
        if h["summary"]:
            out.append(f"{_cell(h['summary'])}\n\n")
        out.append("| file | line | message | status |\n|---|---:|---|---|\n")
        for f in mine:
            out.append(f"| {_cell(f['path'])} | {f['line']} | {_cell(f['message'])} | {f['status']} |\n")
    if not report["findings"]:
        out.append("\nNo findings.\n")
    return "".join(out)
