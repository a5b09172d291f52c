"""A hook's result kept per run of the same inputs (``hooks.core.runcache``): a warm
run replays it; anything it read that changed (a tracked file, an untracked or
ignored file, a folder's names, a probed path, HEAD, the settings, the files given)
and it runs again; a run that started another program or asked git about refs is
not kept; a damaged or foreign entry is not used; claims across the parts of a
pre-commit run are made again; racing writers leave one whole file. all-checks
gives the same output with the cache off, cold and warm."""
from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from hooks import all_checks
from hooks.core import cache, runcache, runner
from hooks.core.api import Hook, Problem
from hooks.repo import git as repo_git
from tests.conftest import cached_repo, git

CALLS: list[str] = []


def _check(paths: Sequence[str], ctx: runner.Context) -> Iterator[Problem]:
    """Reads beside the files given: an ignored file, a folder's names, whether a path exists."""
    CALLS.append("checked")
    for path in paths:
        yield Problem(1, 1, f"given {path}", ("given",), path=path)
    try:
        with open("local/extra.txt", encoding="utf-8") as handle:
            for n, line in enumerate(handle.read().splitlines(), 1):
                yield Problem(n, 1, f"extra says {line}", ("extra", line), path="app/settings.py")
    except OSError:
        pass
    names = sorted(os.listdir("drop")) if os.path.isdir("drop") else []
    yield Problem(1, 1, f"drop holds {names}", ("drop",), path="app/settings.py")
    if os.path.exists("flag"):
        yield Problem(2, 1, "flag is set", ("flag",), path="app/settings.py")
    ctx.notice("read the repository", once_per_run=True)
    if os.environ.get("TEST_RUN_CACHE_SPAWN"):
        subprocess.run([os.environ["TEST_RUN_CACHE_SPAWN"], "--version"], capture_output=True, check=False)
    if os.environ.get("TEST_RUN_CACHE_REF"):
        repo_git.run("log", "-1", "--format=%H", os.environ["TEST_RUN_CACHE_REF"])
    if os.environ.get("TEST_RUN_CACHE_CLAIM"):
        if runner.first_in_run("test-run-cache", "claimed finding"):
            yield Problem(3, 1, "claimed", ("claim",), path="app/settings.py")


HOOK = Hook(id="test-run-cache", summary="reads beside its files", check=_check, reads="files", at_repo_root=True)
FILES = {"app/settings.py": "DEBUG = False\n", "app/urls.py": "urls = []\n", ".gitignore": "local/\n",
         "drop/a.txt": "a\n"}


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("PRE_COMMIT", "SKIP", "GITHUB_ACTIONS", "TEST_RUN_CACHE_SPAWN", "TEST_RUN_CACHE_REF",
                 "TEST_RUN_CACHE_CLAIM"):
        monkeypatch.delenv(name, raising=False)
    root = cached_repo(tmp_path, monkeypatch, FILES)
    (root / "local").mkdir()
    (root / "local" / "extra.txt").write_text("one\n", encoding="utf-8")
    git(root, "commit", "-q", "-m", "start")
    monkeypatch.chdir(root)
    CALLS.clear()
    yield root
    repo_git.share_answers(False)
    runcache.start_over()


def run(capsys: pytest.CaptureFixture[str], files: Sequence[str] = ("app/settings.py",)) -> tuple[int, str, bool]:
    """(exit code, output, whether the check ran)."""
    runcache.start_over()  # a new process: nothing recorded yet, the repository's state asked again
    CALLS.clear()
    code = runner.main(HOOK, list(files))
    out, err = capsys.readouterr()
    return code, out + "--\n" + err, bool(CALLS)


def test_a_warm_run_replays_the_same_output(repo: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1")
    off = run(capsys)
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "0")
    cold, warm = run(capsys), run(capsys)
    assert off[:2] == cold[:2] == warm[:2]
    assert off[2] and cold[2] and not warm[2]
    assert "extra says one" in warm[1] and "read the repository" in warm[1]
    assert run(capsys, ["app/urls.py"])[2]  # other files given: another entry


@pytest.mark.parametrize("change", ["ignored file", "ignored file added", "folder", "probed path", "tracked in the work tree",
                                    "staged", "committed", "setting"])
def test_what_changed_is_read_again(repo: Path, capsys: pytest.CaptureFixture[str], change: str) -> None:
    cold = run(capsys)
    assert run(capsys)[1:] == (cold[1], False)
    if change == "ignored file":
        (repo / "local" / "extra.txt").write_text("two\n", encoding="utf-8")
    elif change == "ignored file added":
        (repo / "local" / "extra.txt").unlink()
        (repo / "local" / "other.txt").write_text("x\n", encoding="utf-8")
    elif change == "folder":
        (repo / "drop" / "b.txt").write_text("b\n", encoding="utf-8")
    elif change == "probed path":
        (repo / "flag").write_text("", encoding="utf-8")
    elif change in ("tracked in the work tree", "staged", "committed"):
        (repo / "app" / "urls.py").write_text("urls = [1]\n", encoding="utf-8")
        if change != "tracked in the work tree":
            git(repo, "add", "app/urls.py")
        if change == "committed":
            git(repo, "commit", "-q", "-m", "urls")
    else:
        (repo / "pyproject.toml").write_text('[tool.legacy-config-hooks]\nformat = "json"\n', encoding="utf-8")
    code, out, ran = run(capsys)
    assert ran, f"a kept result was used after the {change} changed"
    assert run(capsys)[1:] == (out, False)  # and kept again
    if change == "ignored file":
        assert "extra says two" in out and "extra says one" not in out
    if change == "folder":
        assert "'b.txt'" in out
    if change == "probed path":
        assert "flag is set" in out


def test_a_new_head_is_read_again(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys)
    git(repo, "commit", "-q", "--allow-empty", "-m", "another")
    assert run(capsys)[2]


@pytest.mark.parametrize("what", ["program", "ref"])
def test_a_run_that_asked_outside_the_key_is_not_kept(repo: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    git(repo, "branch", "other")
    if what == "program":
        monkeypatch.setenv("TEST_RUN_CACHE_SPAWN", "true")
    else:
        monkeypatch.setenv("TEST_RUN_CACHE_REF", "other")
    assert run(capsys)[2]
    assert runcache.tainted()
    assert run(capsys)[2]
    assert not list((repo.parent / "cache").glob("run-test-run-cache-*.json"))


def test_damaged_foreign_and_wrong_shaped_entries_are_not_used(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cold = run(capsys)
    [kept] = (repo.parent / "cache").glob("run-test-run-cache-*.json")
    data = json.loads(kept.read_text())
    [(key, entry)] = data["entries"].items()
    for bad in ({**entry, "findings": [["x", "1", 1, "m", [], "error", 0]]}, {**entry, "extra": 1},
                {**entry, "deps": {"o:local/extra.txt": 5}}, {**entry, "claims": [["h", "n", "yes"]]}, "text"):
        kept.write_text(json.dumps({**data, "entries": {key: bad}}))
        assert run(capsys)[1:] == (cold[1], True)
    kept.write_text(json.dumps({**data, "tool": "another", "entries": {key: entry}}))
    assert run(capsys)[2]
    kept.write_bytes(b"\x00not json")
    assert run(capsys)[1:] == (cold[1], True)
    assert run(capsys)[1:] == (cold[1], False)


def test_claims_of_a_pre_commit_run_are_made_again(repo: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A check that claims a finding for one part of a pre-commit run: a warm run
    in a new pre-commit run replays it (the claim is won again); a second part of
    the same run loses the claim, so it runs the check, which does not print it."""
    import tempfile

    monkeypatch.setenv("PRE_COMMIT", "1")
    monkeypatch.setenv("TEST_RUN_CACHE_CLAIM", "1")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "run1"))
    (tmp_path / "run1").mkdir()
    cold = run(capsys)
    assert "claimed" in cold[1]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "run2"))
    (tmp_path / "run2").mkdir()
    warm = run(capsys)
    assert warm[1:] == (cold[1], False)
    second_part = run(capsys)
    assert second_part[2] and "claimed" not in second_part[1]


def _save(folder: str, n: int) -> None:
    kept = cache.FileResults("run-racing", "salt", folder)
    kept.cap = runcache.KEPT_RUNS
    for i in range(50):
        kept.used[f"{n}-{i}"] = {"n": n, "i": i, "pad": "x" * 2000}
        kept.added += 1
        kept.save()


def test_racing_writers_leave_one_whole_file(tmp_path: Path) -> None:
    folder = str(tmp_path / "cache")
    os.makedirs(folder)
    workers = [multiprocessing.get_context("spawn").Process(target=_save, args=(folder, n)) for n in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    kept = cache.FileResults("run-racing", "salt", folder)
    assert kept.old and len(kept.old) <= runcache.KEPT_RUNS * 4
    assert all(isinstance(v, dict) and v["pad"] == "x" * 2000 for v in kept.old.values())


ALL_FILES = {
    "app/settings/__init__.py": "",
    "app/settings/base.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDEBUG = False\n"
                            "ALLOWED_HOSTS = ['app.example.com']\n",
    "app/settings/production.py": "from .base import *\nDEBUG = True\nAPI_TOKEN = os.environ.get('API_TOKEN')\n",
    "config/app.yaml": "db:\n  host: db\n  host: db2\n  password: hunter2hunter2xyz\n",
    "docker-compose.yml": "services:\n  web:\n    image: example/web:1\n    environment:\n      - DEBUG=0\n",
    "README.md": "# svc\n",
}


def test_all_checks_off_cold_and_warm_give_the_same_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("SKIP", "PRE_COMMIT", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    root = cached_repo(tmp_path, monkeypatch, ALL_FILES)
    git(root, "commit", "-q", "-m", "svc")
    monkeypatch.chdir(root)
    files = sorted(ALL_FILES)

    def once(no_cache: str) -> tuple[int, str, str]:
        monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", no_cache)
        runcache.start_over()
        try:
            code = all_checks.main(files)
        finally:
            repo_git.share_answers(False)
        out, err = capsys.readouterr()
        return code, out, err

    off, cold, warm = once("1"), once("0"), once("0")
    assert off == cold == warm
    assert off[0] == 1 and off[1]
    assert list((tmp_path / "cache").glob("run-check-security-settings-*.json"))
    (root / "app" / "settings" / "production.py").write_text("from .base import *\nDEBUG = False\n", encoding="utf-8")
    changed = once("0")
    assert changed != warm and changed == once("1")


@pytest.mark.parametrize(("argv", "kept"), [
    (["git", "ls-files", "-s", "-z"], True),
    (["git", "diff", "--name-only", "-z", "--no-ext-diff"], True),
    (["git", "log", "--first-parent", "-m", "--format=%x00%ct %H", "--name-only", "--", "app/migrations"], True),
    (["git", "rev-parse", "--verify", "-q", "HEAD"], True),
    (["git", "ls-tree", "-r", "--name-only", "HEAD", "--"], True),
    (["git", "-c", "grep.patternType=fixed", "grep", "-h", "-o", "-w", "-F", "-e", "DEBUG", "--", "*.py"], True),
    (["git", "rev-list", "--parents", "-n", "1", "7cb5d5669dee7c4801fd0b76a280ee370c9e9624"], True),
    (["git", "merge-base", "3ccac0c0ef1a45939872acc7bd2574026be795a7", "9fe0ab4239355c16838f92dd58086c093fba3682"], True),
    (["git", "rev-list", "-n", "1", "main"], False),
    (["git", "ls-files", "--others", "--exclude-standard"], False),
    (["git", "ls-files", "-o"], False),
    (["git", "grep", "--untracked", "-e", "x"], False),
    (["git", "log", "origin/main"], False),
    (["git", "log", "--all"], False),
    (["git", "tag", "--points-at", "HEAD"], False),
    (["git", "config", "user.email"], False),
    (["git", "--git-dir=/elsewhere", "log"], False),
    (["python", "-c", "pass"], False),
])
def test_which_programs_a_kept_result_may_have_started(argv: list[str], kept: bool) -> None:
    assert runcache._git_reads_the_index(argv, None) is kept
