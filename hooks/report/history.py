"""Progress between runs: ``.legacy-config-report.json``, meant to be committed.

One compact entry per run: date, commit, counts per hook and per folder. The
fingerprints of the findings not fixed yet (open or baselined) are kept on the
first entry and the latest one only, which is all "since the first run" and
"since the previous run" need, so the file grows by a few hundred bytes a run.
Fingerprints leave out line numbers (they survive edits above a finding) and
hold no value: the history never holds a secret, a value or a line of source.
"""
from __future__ import annotations

import json
import os
from typing import Any

from hooks.report.model import Report, counts_by, open_fingerprints

VERSION = 1
DEFAULT = ".legacy-config-report.json"
KIND = "legacy-config-report-history"


def load(path: str) -> dict[str, Any]:
    """The history at ``path``; an empty one when there is none yet.
    ValueError (one line) when the file is not a report history."""
    from hooks.core import validation

    what = "a report history"
    try:
        data = validation.read_json(path, what)
    except validation.Missing:
        return {"kind": KIND, "version": VERSION, "runs": []}
    version = data.get("version") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise ValueError(f"{path}: history version {version} is newer than this tool reads")
    validation.validate(data, os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema", "history.schema.json"),
                        path, what)
    return dict(data)


def entry(report: Report, date: str, commit: str | None) -> dict[str, Any]:
    return {
        "date": date,
        "commit": commit,
        "open": report["totals"]["open"],
        "baselined": report["totals"]["baselined"],
        "hooks": dict(sorted(counts_by(report, "hook").items())),
        "folders": dict(sorted(counts_by(report, "folder").items())),
        "fingerprints": sorted(open_fingerprints(report)),
    }


def _since(old: dict[str, Any], now: set[str]) -> dict[str, Any] | None:
    if "fingerprints" not in old:
        return None
    before = set(old["fingerprints"])
    return {
        "date": old.get("date"),
        "commit": old.get("commit"),
        "fixed": len(before - now),
        "new": len(now - before),
        "still_open": len(before & now),
    }


def progress(history: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """What the report shows: the chart series and fixed/new/open since the
    previous run and since the first."""
    runs: list[dict[str, Any]] = [r for r in history.get("runs", []) if isinstance(r, dict)]
    now = set(current["fingerprints"])
    series = [
        {"date": r.get("date"), "commit": r.get("commit"), "open": r.get("open", 0), "baselined": r.get("baselined", 0)}
        for r in [*runs, current]
    ]
    return {
        "runs": series,
        "since_previous": _since(runs[-1], now) if runs else None,
        "since_first": _since(runs[0], now) if runs else None,
    }


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = ("commit", "open", "baselined", "hooks", "folders", "fingerprints")
    return all(a.get(k) == b.get(k) for k in keys)


def append(history: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The history with ``current`` added: a run that changes nothing (same
    commit, same findings) is not recorded twice, so running again is safe."""
    runs = [r for r in history.get("runs", []) if isinstance(r, dict)]
    if runs and _same(runs[-1], current):
        return {**history, "kind": KIND, "version": VERSION, "runs": runs}
    runs.append(current)
    for middle in runs[1:-1]:  # compact: only the first and latest keep fingerprints
        middle.pop("fingerprints", None)
    return {"kind": KIND, "version": VERSION, "runs": runs}


def save(path: str, history: dict[str, Any], root: str) -> None:
    """Write through ``hooks.core.writing`` (inside ``root``, no symlink, atomic,
    mode kept), one run per line for small diffs. ValueError (one line) when
    the path is refused."""
    from hooks.core.writing import WriteError, write_file

    runs = ",\n    ".join(json.dumps(r, sort_keys=True) for r in history["runs"])
    text = f'{{\n  "kind": "{KIND}",\n  "version": {VERSION},\n  "runs": [\n    {runs}\n  ]\n}}\n'
    json.loads(text)  # what we write must read back
    try:
        write_file(path, text, root, what=f"the history {path}")
    except WriteError as exc:
        raise ValueError(str(exc)) from None
