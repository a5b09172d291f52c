"""legacy-config-report merge: inputs refused before anything is read (one too
large, all together too large, missing, a newer schema), and sums over reports
that carry no progress."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from hooks.core import validation
from hooks.report import SCHEMA_VERSION, merge, model


def _report(name: str) -> dict:
    return model.build([{"id": "no-duplicate-config-keys"}], [], [{"name": name, "commit": None}], "2026-01-01T00:00:00Z")


def test_sizes_are_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_bytes(b"x" * 3000)
    b.write_bytes(b"x" * 3000)
    merge.check_sizes([str(a), str(b), str(tmp_path / "missing.json")])  # under the limits; a missing file is load's business
    monkeypatch.setattr(validation, "MAX_INPUT_BYTES", 2 * 1024 * 1024)
    monkeypatch.setattr(validation, "MAX_MERGE_BYTES", 5000)
    with pytest.raises(ValueError, match="^the merge inputs hold 0MB, over the 0MB limit: merge them in groups$"):
        merge.check_sizes([str(a), str(b)])
    big = tmp_path / "big.json"
    big.write_bytes(b"x" * (3 * 1024 * 1024))
    with pytest.raises(ValueError, match=r"big.json: 3MB is over the 2MB limit of one merge input$"):
        merge.check_sizes([str(big)])


def test_load_refuses_a_missing_file_and_a_newer_schema(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"missing.json: no such file$"):
        merge.load(str(tmp_path / "missing.json"))
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({**_report("svc"), "schema_version": SCHEMA_VERSION + 1}))
    with pytest.raises(ValueError, match=f"report schema version {SCHEMA_VERSION + 1} is not one this tool reads"):
        merge.load(str(newer))
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps(_report("svc")))
    assert merge.load(str(ok))["repos"][0]["name"] == "svc"


def test_merging_reports_without_progress_has_none() -> None:
    merged = merge.merge([_report("a"), _report("b")], "2026-01-02T00:00:00Z")
    assert [r["name"] for r in merged["repos"]] == ["a", "b"]
    assert merged["totals"]["open"] == 0


def test_merging_sums_progress_and_keeps_an_already_merged_report_as_is() -> None:
    finding = model.finding_record({"hook": "no-duplicate-config-keys", "path": "config/app.yaml", "line": 2, "column": 1,
                                    "message": "x twice", "fingerprint": "f1"}, baselined=False)
    hooks = [{"id": "no-duplicate-config-keys", "files_checked": 3, "notices": ["1 file skipped"]}]
    with_progress = model.build(hooks, [finding], [{"name": "svc", "commit": None}], "2026-01-01T00:00:00Z",
                                {"runs": [], "since_previous": {"date": None, "commit": None, "fixed": 2, "new": 1, "still_open": 1},
                                 "since_first": None})
    org = model.build(hooks, [{**finding, "path": "billing/config/app.yaml", "folder": "billing"}],
                      [{"name": "billing", "commit": None}, {"name": "search", "commit": None}], "2026-01-01T00:00:00Z")
    merged = merge.merge([with_progress, org, _report("plain")], "2026-01-02T00:00:00Z")
    assert [r["name"] for r in merged["repos"]] == ["svc", "billing", "search", "plain"]
    assert sorted(f["path"] for f in merged["findings"]) == ["billing/config/app.yaml", "svc/config/app.yaml"]
    row = next(h for h in merged["hooks"] if h["id"] == "no-duplicate-config-keys")
    assert row["files_checked"] == 6
    assert row["notices"] == ["svc/1 file skipped", "1 file skipped"]
    assert merged["progress"]["since_previous"] == {"date": None, "commit": None, "fixed": 2, "new": 1, "still_open": 1}
    assert merged["progress"]["since_first"] is None
