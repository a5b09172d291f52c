"""require-rollback-note and new-config-note through the real pre-commit, as git hooks."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PreCommit, git, write_files

SERVICE = {
    "config/production.yaml": "cache:\n  ttl: 60\n",
    "app/main.py": "print('hello')\n",
    "README.md": "# billing\n",
}


def service(precommit: PreCommit, path: Path, hooks: list) -> Path:
    repo = precommit.make_repo(path, {**SERVICE, ".pre-commit-config.yaml": precommit.config(hooks)})
    git(repo, "config", "user.email", "dev@example.com")
    return repo


def commit(precommit: PreCommit, repo: Path, message: str) -> subprocess.CompletedProcess:
    """A real ``git commit`` that runs the installed hook; failure is returned, not raised."""
    try:
        return git(repo, "commit", "-q", "-m", message, env=precommit.env())
    except subprocess.CalledProcessError as exc:
        return subprocess.CompletedProcess(exc.cmd, exc.returncode, exc.stdout, exc.stderr)


def fill_in(path: Path) -> None:
    text = re.sub(r"^expected: .*$", "expected: cache hit rate above 80 %", path.read_text(), flags=re.M)
    path.write_text(re.sub(r"^rollback: .*$", "rollback: set cache.ttl back to 60 and redeploy", text, flags=re.M))


def test_commit_is_blocked_until_a_filled_in_note_comes_with_it(precommit: PreCommit, tmp_path: Path) -> None:
    repo = service(precommit, tmp_path / "svc", [{"id": "require-rollback-note"}, {"id": "new-config-note"}])
    assert precommit.run(repo, "install").returncode == 0

    write_files(repo, {"README.md": "# billing, now documented\n"})
    git(repo, "add", "README.md")
    result = commit(precommit, repo, "docs only")
    assert result.returncode == 0, result.stdout + result.stderr  # not config: not blocked

    write_files(repo, {"config/production.yaml": "cache:\n  ttl: 300\n"})
    git(repo, "add", "config/production.yaml")
    result = commit(precommit, repo, "raise the cache ttl")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "config/production.yaml:1:1: require-rollback-note: modified with no change note in this change" in output
    assert "new-config-note config/production.yaml" in output
    assert "Traceback" not in output

    # The documented route: the helper as a manual-stage hook, from the pre-commit env.
    made = precommit.run(repo, "run", "new-config-note", "--hook-stage", "manual")
    assert made.returncode == 0, made.stdout + made.stderr
    notes = list((repo / "config-changes").glob("*.yaml"))
    assert len(notes) == 1 and str(notes[0].relative_to(repo)) in made.stdout
    git(repo, "add", "config-changes")
    result = commit(precommit, repo, "raise the cache ttl")
    assert result.returncode != 0
    assert "rollback still holds the prompt new-config-note wrote" in result.stdout + result.stderr

    fill_in(notes[0])
    git(repo, "add", "config-changes")
    result = commit(precommit, repo, "raise the cache ttl")
    assert result.returncode == 0, result.stdout + result.stderr
    assert git(repo, "log", "-1", "--format=%s").stdout.strip() == "raise the cache ttl"


def test_pre_push_checks_the_pushed_range(precommit: PreCommit, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    repo = service(precommit, tmp_path / "svc", [{"id": "require-rollback-note", "stages": ["pre-push"]}])
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "origin", "main")
    assert precommit.run(repo, "install", "--hook-type", "pre-push").returncode == 0

    write_files(repo, {"config/production.yaml": "cache:\n  ttl: 300\n"})
    git(repo, "commit", "-q", "-am", "config, note forgotten")
    with pytest.raises(subprocess.CalledProcessError) as exc:
        git(repo, "push", "-q", "origin", "main", env=precommit.env())
    assert "config/production.yaml:1:1: require-rollback-note: modified" in exc.value.stdout + exc.value.stderr

    write_files(repo, {"config-changes/2026-01-01-ttl.yaml": (
        "files: [config/production.yaml]\nowner: dev@example.com\n"
        "expected: cache hit rate above 80 %\nrollback: set cache.ttl back to 60 and redeploy\n"
    )})
    git(repo, "add", "config-changes")
    git(repo, "commit", "-q", "-m", "the note")
    pushed = git(repo, "push", "-q", "origin", "main", env=precommit.env())  # raises if blocked
    assert pushed.returncode == 0


def test_all_files_with_nothing_staged_checks_every_note(precommit: PreCommit, tmp_path: Path) -> None:
    repo = service(precommit, tmp_path / "svc", [{"id": "require-rollback-note"}])
    write_files(repo, {
        "config-changes/2025-11-20-timeouts.yaml": (
            "files:\n  - config/production.yaml\nownr: platform-team\n"
            "expected: timeouts drop to 30 s\nrollback: TODO\n"
        ),
    })
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "an old note", "--no-verify")
    result = precommit.run(repo, "run", "--all-files")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "config-changes/2025-11-20-timeouts.yaml:3:1: require-rollback-note: unknown field 'ownr': did you mean 'owner'?" in out
    assert "config-changes/2025-11-20-timeouts.yaml:5:1: require-rollback-note: rollback is a placeholder ('TODO')" in out
    assert "config/production.yaml:" not in out  # cleanup mode asks no note of existing config
