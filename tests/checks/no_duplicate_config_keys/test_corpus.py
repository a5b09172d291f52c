"""no-duplicate-config-keys over ../shared/corpus: real files from public projects."""
from __future__ import annotations

import os

import pytest

from hooks.checks.no_duplicate_config_keys import main
from tests.conftest import CORPUS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")


def corpus_files() -> list:
    return sorted(
        str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file() and p.name not in ("README.md", "SOURCES.tsv")
    )


def test_runs_over_the_whole_corpus_without_a_traceback(capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    files = corpus_files()
    assert len(files) > 300
    code = main(files)  # any exception fails the test
    out, err = capsys.readouterr()
    findings = out.splitlines()
    print(f"\n{len(files)} corpus files, {len(findings)} findings:\n{out}")
    assert code == (1 if findings else 0)
    assert "Traceback" not in out + err
    # The duplicates the corpus really holds in service config (checked by eye):
    assert any(l.startswith("wagtail__bakerydemo/bakerydemo/settings/production.py:259:1:") for l in findings)
    assert any(l.startswith("uw-it-aca__myuw/docker/test-values.yml:48:1:") for l in findings)
    # Supervisor's issue-1224.conf repeats `nodaemon` on purpose: it is a test
    # fixture, and test data is not read unless the roles setting says so.
    assert not [l for l in findings if l.startswith("Supervisor__supervisor/supervisor/tests/")]
    # Repeats that are meant: uwsgi options and oslo generator namespaces.
    assert not [l for l in findings if "uwsgi" in l.split(":")[0] or "config-generator" in l.split(":")[0]]


def test_corpus_files_are_left_unchanged(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(CORPUS)
    files = corpus_files()
    before = {f: os.stat(f).st_mtime_ns for f in files}
    main(files)
    capsys.readouterr()
    assert {f: os.stat(f).st_mtime_ns for f in files} == before


def test_a_test_fixture_declared_config_is_checked(tmp_path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    fixture = "supervisor/tests/fixtures/issue-1224.conf"
    (tmp_path / fixture).parent.mkdir(parents=True)
    (tmp_path / fixture).write_bytes((CORPUS / "Supervisor__supervisor" / fixture).read_bytes())
    (tmp_path / "pyproject.toml").write_text('[tool.legacy-config-hooks.roles]\nconfig = ["supervisor/tests/fixtures/**"]\n')
    monkeypatch.chdir(tmp_path)
    assert main([fixture]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{fixture}:4:1: no-duplicate-config-keys: nodaemon in [supervisord] is already set on line 2; the value on line 4 wins")
