"""The result cache: the same findings as without it, never a stale or foreign
entry, and no damage when several writers race."""
from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from hooks.checks.check_cache_rules import main as cache_rules_main
from hooks.checks.check_cache_rules.code import Scanned, scan_file
from hooks.core import cache
from hooks.repo import git as repo_git
from tests.conftest import git, write_files

VIEWS = "from django.views.decorators.cache import cache_page\n\n@cache_page(60 * 15)\ndef article_list(request): ...\n"
NGINX = "server {\n  location /static/ {\n    proxy_cache static;\n    proxy_cache_valid 200 1h;\n  }\n}\n"


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_CACHE_DIR", str(folder))
    monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_CACHE", raising=False)
    return folder


def test_kept_results_come_back_for_the_same_content_only(cache_dir: Path) -> None:
    first = cache.FileResults("kind", "salt")
    assert first.get("a.py", "b1") is None
    first.put("a.py", "b1", {"x": [1, 2]})
    first.save()
    assert (cache_dir / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    again = cache.FileResults("kind", "salt")
    assert again.get("a.py", "b1") == {"x": [1, 2]}
    assert again.get("a.py", "b2") is None  # other content
    assert again.get("b.py", "b1") is None  # same content elsewhere: results name their path
    assert cache.FileResults("kind", "other settings").get("a.py", "b1") is None
    assert cache.FileResults("kind", "salt").get("a.py", None) is None  # a dirty file has no id


@pytest.mark.parametrize("damage", ["", "{", "[]", '{"tool": "someone-else", "entries": {}}', "\x00\xff" * 10])
def test_a_damaged_or_foreign_file_is_ignored(cache_dir: Path, damage: str) -> None:
    kept = cache.FileResults("kind", "salt")
    kept.put("a.py", "b1", 1)
    kept.save()
    (cache_dir / kept.file).write_text(damage, encoding="latin-1")
    assert cache.FileResults("kind", "salt").get("a.py", "b1") is None


def test_an_entry_of_the_wrong_shape_is_scanned_again() -> None:
    assert Scanned.decode({"read": True, "sites": [{"path": 1}]}, "a.py") is None
    assert Scanned.decode("nonsense", "a.py") is None


def test_no_cache_turns_it_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1")
    results = cache.FileResults("kind", "salt")
    results.put("a.py", "b1", 1)
    results.save()
    assert not cache_dir.exists()


def test_blob_ids_are_git_s_and_leave_out_what_the_work_tree_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "init", "-q")
    write_files(tmp_path, {"a.py": "A = 1\n", "b.py": "B = 1\n"})
    os.symlink("a.py", tmp_path / "link.py")
    git(tmp_path, "add", "-A")
    (tmp_path / "b.py").write_text("B = 2\n")  # not staged: the index's id would be wrong
    monkeypatch.chdir(tmp_path)
    ids = repo_git.blob_ids()
    assert set(ids) == {"a.py"}
    assert ids["a.py"] == git(tmp_path, "hash-object", "a.py").stdout.strip()
    monkeypatch.chdir(tmp_path.parent)
    assert repo_git.blob_ids(cwd=str(tmp_path.parent)) == {}  # not a repository


def test_check_cache_rules_finds_the_same_with_a_warm_cache_and_sees_every_change(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write_files(repo, {"blog/views.py": VIEWS, "deploy/nginx.conf": NGINX, "cache-rules.yaml": "rules: []\n"})
    git(repo, "add", "-A")
    monkeypatch.chdir(repo)

    def run(no_cache: bool = False) -> tuple[int, str]:
        if no_cache:
            monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1")
        code = cache_rules_main(["--verbose"])
        monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_CACHE", raising=False)
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    cold = run()
    assert cold[0] == 1 and "article_list" in cold[1] and "/static/" in cold[1]
    assert list(cache_dir.glob("check-cache-rules-sites-*.json")), "the first run keeps its results"
    assert run() == cold  # warm
    assert run(no_cache=True) == cold

    # A changed and staged file is read again: its old entry is never used.
    write_files(repo, {"blog/views.py": VIEWS.replace("60 * 15", "60 * 30")})
    git(repo, "add", "-A")
    changed = run()
    assert "30m" in changed[1] and "15m" not in changed[1]
    assert changed == run(no_cache=True)

    # Entries in a file of another format (another version of the tool) are never used.
    (file,) = cache_dir.glob("check-cache-rules-sites-*.json")
    data = json.loads(file.read_text())
    data["format"] = cache.FORMAT + 1
    for value in data["entries"].values():
        value["sites"] = []
    file.write_text(json.dumps(data))
    assert run() == changed


def _write_many(folder: str, worker: int) -> None:
    os.environ["LEGACY_CONFIG_HOOKS_CACHE_DIR"] = folder
    for round_ in range(20):
        results = cache.FileResults("race", "salt")
        for n in range(300):
            results.put(f"f{n}.py", f"{worker}-{round_}", {"worker": worker, "n": n})
        results.save()


def test_concurrent_writers_never_leave_a_broken_file(cache_dir: Path) -> None:
    cache_dir.mkdir()
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_write_many, args=(str(cache_dir), w)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    (file,) = cache_dir.glob("race-*.json")
    data = json.loads(file.read_text())  # whole: one writer's file, never a mix
    assert data["tool"] == "legacy-config-hooks" and len(data["entries"]) >= 300
    assert not [p for p in cache_dir.iterdir() if p.name.startswith(".")], "no temporary file left behind"


def test_scan_file_reads_a_site_once_and_keeps_it_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"views.py": "# cache-rule: lists\n" + VIEWS})
    scanned = scan_file("views.py")
    back = Scanned.decode(json.loads(json.dumps(scanned.encode("views.py"))), "views.py")
    assert back == scanned and back is not None and back.sites[0].ttl == 900
