"""no-duplicate-config-keys over ../shared/corpus: real files from public projects."""
from __future__ import annotations

import os

import pytest

from hooks.no_duplicate_config_keys import main
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
    # The duplicates the corpus really holds (each checked by eye):
    assert any(l.startswith("Supervisor__supervisor/supervisor/tests/fixtures/issue-1224.conf:4:1:") for l in findings)
    assert any(l.startswith("wagtail__bakerydemo/bakerydemo/settings/production.py:259:1:") for l in findings)
    # Repeats that are meant: uwsgi options and oslo generator namespaces.
    assert not [l for l in findings if "uwsgi" in l.split(":")[0] or "config-generator" in l.split(":")[0]]


def test_corpus_files_are_left_unchanged(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(CORPUS)
    files = corpus_files()
    before = {f: os.stat(f).st_mtime_ns for f in files}
    main(files)
    capsys.readouterr()
    assert {f: os.stat(f).st_mtime_ns for f in files} == before
