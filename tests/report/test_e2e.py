"""legacy-config-report end to end: its counts against the hooks' own output
through real pre-commit on the example service, the `cleanup-report` manual
hook, and the HTML in a real browser (headless Chromium from the system
packages; .ci/run installs it, so in CI this runs rather than skips)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from hooks.report import cli, collect
from tests.conftest import ROOT, PreCommit, git
from tests.helpers.browser import headless

pytestmark = pytest.mark.e2e

EXAMPLE = ROOT / "examples" / "legacy-service"


def example_repo(path: Path) -> Path:
    shutil.copytree(EXAMPLE, path)
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "a legacy service", "--no-verify")
    return path


def json_documents(text: str) -> list[dict[str, Any]]:
    """The JSON documents in pre-commit's output, between its status lines."""
    decoder, docs, pos = json.JSONDecoder(), [], 0
    while True:
        start = text.find("{", pos)
        if start < 0:
            return docs
        try:
            doc, pos = decoder.raw_decode(text, start)
        except ValueError:
            pos = start + 1
            continue
        if isinstance(doc, dict) and "findings" in doc:
            docs.append(doc)


def markdown_counts(text: str) -> dict[str, int]:
    """hook id -> the open count in the report's summary table."""
    counts = {}
    for match in re.finditer(r"^\| \[([a-z-]+)\]\([^)]*\) \| (\d+) \| (\d+) \|", text, re.M):
        counts[match.group(1)] = int(match.group(2))
    return counts


def test_markdown_counts_equal_the_hooks_own_findings_through_pre_commit(
    precommit: PreCommit, tmp_path: Path
) -> None:
    repo = example_repo(tmp_path / "legacy-service")
    ids = collect.default_hooks(collect.load_manifest())
    (tmp_path / "config.yaml").write_text(precommit.config({"id": h} for h in ids))
    result = precommit.run(
        repo, "run", "--all-files", "--config", str(tmp_path / "config.yaml"),
        env={"LEGACY_CONFIG_HOOKS_FORMAT": "json"},
    )
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    theirs: dict[str, int] = {h: 0 for h in ids}
    for doc in json_documents(result.stdout):
        for finding in doc["findings"]:
            theirs[finding["hook"]] += 1
    assert sum(theirs.values()) > 20  # the example service's planted problems
    out = tmp_path / "report.md"
    assert cli.main(["--repo", str(repo), "--no-history", "-o", str(out)]) == 0
    ours = markdown_counts(out.read_text(encoding="utf-8"))
    assert ours == theirs


def test_cleanup_report_runs_as_a_manual_pre_commit_hook(precommit: PreCommit, tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "legacy-service")
    (repo / ".pre-commit-config.yaml").write_text(precommit.config([{"id": "cleanup-report"}]))
    result = precommit.run(repo, "run", "cleanup-report", "--hook-stage", "manual")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "## Summary" in result.stdout and "| [no-inline-secrets](" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    runs = json.loads((repo / ".legacy-config-report.json").read_text())["runs"]
    assert len(runs) == 1 and runs[0]["open"] > 20


# -- a real browser -----------------------------------------------------------
@pytest.fixture(scope="module")
def html_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The example service reported twice, with a fix in between (so the chart
    has two points), as HTML and JSON."""
    tmp = tmp_path_factory.mktemp("browser")
    repo = example_repo(tmp / "legacy-service")
    assert cli.main(["--repo", str(repo), "--format", "json", "-o", str(tmp / "first.json")]) == 0
    git(repo, "rm", "-q", "--cached", ".env.staging")
    git(repo, "commit", "-q", "-m", "untrack .env.staging", "--no-verify")
    assert cli.main(["--repo", str(repo), "-o", str(tmp / "report.html")]) == 0
    assert cli.main(["--repo", str(repo), "--no-history", "-o", str(tmp / "report.json")]) == 0
    return {"dir": tmp, "html": tmp / "report.html", "data": json.loads((tmp / "report.json").read_text())}


def test_headless_chromium_shows_the_summary_and_the_chart(html_report: dict[str, Any]) -> None:
    tmp = html_report["dir"]
    shot = tmp / "shot.png"
    result = headless(tmp, "--window-size=1366,900", f"--screenshot={shot}", html_report["html"].as_uri())
    assert shot.is_file(), result.stderr[-2000:]
    head = shot.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(head[16:20], "big") == 1366  # the page rendered at laptop width
    dom = headless(tmp, "--dump-dom", html_report["html"].as_uri()).stdout
    assert 'id="summary-cards"' in dom and 'id="summary"' in dom
    chart = re.search(r'<svg id="chart".*?</svg>', dom, re.S)
    assert chart and chart.group(0).count("<circle") == 4  # two runs, two series
    assert "fixed since the previous run" in dom
    data = html_report["data"]
    assert f"Showing {len(data['findings'])} of {len(data['findings'])}" in dom  # the script ran


def test_filtering_the_table_in_chromium(html_report: dict[str, Any]) -> None:
    """The filter state comes from the URL fragment, as a shared link opens it;
    the page's script applies it to the rows."""
    tmp, data = html_report["dir"], html_report["data"]
    url = html_report["html"].as_uri() + "#q=masked+prod&hook=no-inline-secrets"
    dom = headless(tmp, "--dump-dom", url).stdout
    rows = re.findall(r"<tr data-hook=\"([^\"]+)\"[^>]*?data-fingerprint=\"([0-9a-f]+)\"([^>]*)>", dom)
    assert len(rows) == len(data["findings"])
    shown = {fp for hook, fp, rest in rows if "hidden" not in rest}

    def matches(f: dict[str, Any]) -> bool:
        text = f"{f['hook']}{f['path']}{f['line']}{f['message']}{f['status']}".lower()
        return f["hook"] == "no-inline-secrets" and "masked" in text and "prod" in text

    expected = {f["fingerprint"] for f in data["findings"] if matches(f)}
    assert expected and len(expected) < len(data["findings"])
    assert shown == expected
    assert f"Showing {len(expected)} of {len(data['findings'])}" in dom
    assert re.search(r'<select id="hook"[^>]*>', dom)
