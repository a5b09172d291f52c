"""``legacy-config-report merge a.json b.json …``: many repos' JSON reports as
one organisation-wide report. Each repo's paths are prefixed with its name, so
the per-folder counts become per-repo counts; hook counts, files checked and
progress are sums."""
from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from hooks.core import validation
from hooks.report import SCHEMA_VERSION
from hooks.report.model import Report, build, folder_of

WHAT = "a legacy-config-report JSON report"
SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema", "report.schema.json")


def check_sizes(paths: Sequence[str]) -> None:
    """Refuse inputs over the limits before reading any (one line, exit 2)."""
    total = 0
    for path in paths:
        try:
            size = os.stat(path).st_size
        except OSError:
            continue  # load says why
        if size > validation.MAX_INPUT_BYTES:
            raise ValueError(f"{path}: {size // (1024 * 1024)}MB is over the "
                             f"{validation.MAX_INPUT_BYTES // (1024 * 1024)}MB limit of one merge input")
        total += size
    if total > validation.MAX_MERGE_BYTES:
        raise ValueError(f"the merge inputs hold {total // (1024 * 1024)}MB, over the "
                         f"{validation.MAX_MERGE_BYTES // (1024 * 1024)}MB limit: merge them in groups")


def load(path: str) -> Report:
    """One JSON report, checked against the report schema
    (``hooks/report/schema/report.schema.json``); ValueError (one line) when
    it is not one."""
    try:
        data = validation.read_json(path, WHAT)
    except validation.Missing:
        raise ValueError(f"{path}: no such file") from None
    version = data.get("schema_version") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise ValueError(f"{path}: report schema version {version} is not one this tool reads (<= {SCHEMA_VERSION})")
    validation.validate(data, SCHEMA, path, WHAT)
    return dict(data)


def _sum_since(items: Sequence[dict[str, Any] | None]) -> dict[str, Any] | None:
    present = [s for s in items if s]
    if not present:
        return None
    out: dict[str, Any] = {"date": None, "commit": None}
    for key in ("fixed", "new", "still_open"):
        out[key] = sum(int(s.get(key, 0)) for s in present)
    return out


def merge(reports: Sequence[Report], generated: str) -> Report:
    repos: list[dict[str, Any]] = []
    hooks: dict[str, dict[str, Any]] = {}
    findings: list[dict[str, Any]] = []
    taken: dict[str, int] = {}
    for report in reports:
        single = len(report["repos"]) == 1
        prefix = ""
        if single:
            name = str(report["repos"][0].get("name") or "repo")
            taken[name] = taken.get(name, 0) + 1
            if taken[name] > 1:  # two repos of one name: keep them apart
                name = f"{name}-{taken[name]}"
            prefix = name + "/"
            repos.append({**report["repos"][0], "name": name})
        else:
            repos.extend(report["repos"])
        for h in report["hooks"]:
            row = hooks.setdefault(h["id"], {"id": h["id"], "summary": h.get("summary", ""), "files_checked": None, "notices": []})
            if h.get("files_checked") is not None:
                row["files_checked"] = (row["files_checked"] or 0) + h["files_checked"]
            row["notices"].extend(f"{prefix}{n}" if prefix else n for n in h.get("notices", []))
        for f in report["findings"]:
            path = prefix + f["path"]
            findings.append({**f, "path": path, "folder": folder_of(path)})
    progress: dict[str, Any] | None = None
    parts = [r.get("progress") or {} for r in reports]
    if any(p.get("since_previous") or p.get("since_first") for p in parts):
        progress = {
            "runs": [],
            "since_previous": _sum_since([p.get("since_previous") for p in parts]),
            "since_first": _sum_since([p.get("since_first") for p in parts]),
        }
    return build(list(hooks.values()), findings, repos, generated, progress)
