"""The report as one plain dict (the JSON report, ``docs/report-schema.md``):
every renderer, the history and ``merge`` work from it."""
from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from typing import Any

from hooks import __version__
from hooks.report import SCHEMA_ID, SCHEMA_VERSION

Report = dict[str, Any]
ROOT_FOLDER = "(top level)"
WORST_FILES = 20
DOCS_URL = "https://github.com/legacy-config-hooks/legacy-config-hooks/blob/main/docs/hooks/{}.md"


def folder_of(path: str) -> str:
    """The top-level folder a path counts towards."""
    head, sep, _ = path.partition("/")
    return head if sep else ROOT_FOLDER


def normpath(path: str) -> str:
    return posixpath.normpath(path.replace("\\", "/"))


def finding_record(raw: dict[str, Any], baselined: bool) -> dict[str, Any]:
    """A hook's JSON finding as the report keeps it (message already masked)."""
    path = normpath(str(raw.get("path", "")))
    return {
        "hook": str(raw.get("hook", "")),
        "path": path,
        "folder": folder_of(path),
        "line": int(raw.get("line") or 1),
        "column": int(raw.get("column") or 1),
        "severity": "warning" if raw.get("severity") == "warning" else "error",
        "message": str(raw.get("message", "")),
        "fingerprint": str(raw.get("fingerprint", "")),
        "status": "baselined" if baselined else "open",
    }


def build(
    hooks: Sequence[dict[str, Any]],
    findings: Iterable[dict[str, Any]],
    repos: Sequence[dict[str, Any]],
    generated: str,
    progress: dict[str, Any] | None = None,
) -> Report:
    """``hooks``: id, summary, files_checked, notices (counts are derived here)."""
    items = sorted(findings, key=lambda f: (f["hook"], f["path"], f["line"], f["column"], f["message"]))
    hook_rows = []
    for meta in hooks:
        mine = [f for f in items if f["hook"] == meta["id"]]
        hook_rows.append(
            {
                "id": meta["id"],
                "summary": meta.get("summary", ""),
                "open": sum(f["status"] == "open" for f in mine),
                "baselined": sum(f["status"] == "baselined" for f in mine),
                "files_checked": meta.get("files_checked"),
                "notices": list(meta.get("notices", [])),
            }
        )
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "legacy-config-hooks", "version": __version__},
        "generated": generated,
        "repos": list(repos),
        "totals": _totals(items),
        "hooks": hook_rows,
        "folders": _by(items, "folder", "name"),
        "worst_files": _by(items, "path", "path")[:WORST_FILES],
        "findings": items,
        "progress": progress,
    }


def _totals(items: Sequence[dict[str, Any]]) -> dict[str, int]:
    return {
        "open": sum(f["status"] == "open" for f in items),
        "baselined": sum(f["status"] == "baselined" for f in items),
        "files_with_findings": len({f["path"] for f in items}),
    }


def _by(items: Sequence[dict[str, Any]], key: str, name: str) -> list[dict[str, Any]]:
    counts: dict[str, dict[str, Any]] = {}
    for f in items:
        row = counts.setdefault(f[key], {name: f[key], "open": 0, "baselined": 0})
        row[f["status"]] += 1
    return sorted(counts.values(), key=lambda r: (-r["open"], -r["baselined"], r[name]))


def open_fingerprints(report: Report) -> set[str]:
    """Fingerprints of the findings not fixed yet (open or baselined)."""
    return {f["fingerprint"] for f in report["findings"]}


def counts_by(report: Report, key: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in report["findings"]:
        out[f[key]] = out.get(f[key], 0) + 1
    return out
