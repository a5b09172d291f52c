"""hooks.repo.git: changes of the index, a range and a branch since its base,
authors, revisions checked before they reach git, and its one-line errors."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hooks.repo import git


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "config", "user.email", "alice@example.com")
    _git(tmp_path, "config", "user.name", "Alice")
    (tmp_path / "app.yaml").write_text("a: 1\n")
    (tmp_path / "old.ini").write_text("[x]\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "one")
    return tmp_path


def test_staged_changes_split_a_rename_into_delete_and_add(repo: Path) -> None:
    _git(repo, "mv", "old.ini", "new.ini")
    (repo / "app.yaml").write_text("a: 2\n")
    (repo / "added.toml").write_text("a = 1\n")
    _git(repo, "add", "-A")
    assert sorted((c.status, c.path, c.word) for c in git.staged_changes()) == [
        ("A", "added.toml", "added"), ("A", "new.ini", "added"), ("D", "old.ini", "deleted"), ("M", "app.yaml", "modified")]
    assert git.tracked_files() == {"app.yaml", "new.ini", "added.toml"}


def test_range_and_branch_changes(repo: Path) -> None:
    _git(repo, "checkout", "-q", "-b", "feature")
    (repo / "app.yaml").write_text("a: 3\n")
    _git(repo, "commit", "-q", "-am", "two")
    (repo / "staged.yaml").write_text("b: 1\n")
    _git(repo, "add", "staged.yaml")
    assert [(c.status, c.path) for c in git.range_changes("main", "feature")] == [("M", "app.yaml")]
    assert sorted((c.status, c.path) for c in git.changes_since_base("main")) == [("A", "staged.yaml"), ("M", "app.yaml")]
    assert git.authors("main..feature") == ["Alice <alice@example.com>"]
    assert git.authors() == ["Alice <alice@example.com>"]
    assert git.user_email() == "alice@example.com"


@pytest.mark.parametrize("value", ["", "--output=/tmp/x", "main\0", "a\nb"])
def test_revisions_that_git_would_misread_are_refused(value: str) -> None:
    with pytest.raises(git.GitError, match="^not a git ref: "):
        git.rev(value)


def test_errors_are_one_line(repo: Path) -> None:
    with pytest.raises(git.GitError, match="^git merge-base failed: "):
        git.merge_base("no-such-branch")
    assert git.authors("no-such..range") == []


def test_outside_a_work_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert git.toplevel() is None


def test_git_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(git.GitError, match="^cannot run git: "):
        git.run("status")
