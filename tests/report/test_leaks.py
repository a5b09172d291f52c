"""The leak suite for legacy-config-report: no secret in any report format, in
the history file, in a merged report, or on stdout/stderr, over the leak
suite's planted files (test_no_secret_leaks.py) and its malformed ones."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from hooks.report import cli
from tests.conftest import git, write_files
from tests.helpers.leaks import MALFORMED, S, leaks, secret_files

FORMATS = ("md", "html", "json", "sarif")


def repo_with_secrets(path: Path, malformed: bool = False) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    write_files(path, {**secret_files(), **(MALFORMED if malformed else {})})
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "secrets", "--no-verify")
    return path


@pytest.mark.parametrize("malformed", [False, True], ids=["planted", "planted-and-malformed"])
def test_no_secret_in_any_report_or_the_history(tmp_path: Path, capsys: pytest.CaptureFixture[str], malformed: bool) -> None:
    repo = repo_with_secrets(tmp_path / "repo", malformed)
    outputs = []
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        assert cli.main(["--repo", str(repo), "--format", fmt, "-o", str(out)]) == 0
        outputs.append(out)
    assert cli.main(["--repo", str(repo), "--no-history"]) == 0  # Markdown on stdout
    assert cli.main(["merge", str(tmp_path / "report.json"), "--format", "html", "-o", str(tmp_path / "org.html")]) == 0
    outputs.append(tmp_path / "org.html")
    history = repo / ".legacy-config-report.json"
    outputs.append(history)
    captured = capsys.readouterr()
    assert not leaks(captured.out) and not leaks(captured.err)
    for path in outputs:
        text = path.read_text(encoding="utf-8")
        assert not leaks(text), f"{path.name} leaks {leaks(text)}"
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["totals"]["open"] > 10  # the secrets were found, and reported masked
    assert any("masked" in f["message"] for f in data["findings"])


def test_history_holds_only_counts_and_fingerprints(tmp_path: Path) -> None:
    repo = repo_with_secrets(tmp_path / "repo")
    assert cli.main(["--repo", str(repo), "-o", str(tmp_path / "r.md")]) == 0
    data = json.loads((repo / ".legacy-config-report.json").read_text())
    (run,) = data["runs"]
    assert set(run) == {"date", "commit", "open", "baselined", "hooks", "folders", "fingerprints"}
    assert all(isinstance(v, int) for v in [*run["hooks"].values(), *run["folders"].values()])
    assert all(len(fp) == 20 and int(fp, 16) >= 0 for fp in run["fingerprints"])
    assert not any(value[:6] in json.dumps(data) for value in S.values())  # not even a prefix
