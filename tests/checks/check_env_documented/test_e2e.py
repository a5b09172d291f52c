"""check-env-documented through the real pre-commit, as a git hook: an
undocumented read blocks the commit, documenting it passes, and removing the
last read reports the dead entry."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import PreCommit, git, write_files

pytestmark = pytest.mark.e2e

SERVICE = {
    "billing/__init__.py": "",
    "billing/settings.py": 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = os.getenv("DEBUG", "0") == "1"\n',
    ".env.example": "SECRET_KEY=\nDEBUG=0\n",
    "tests/test_settings.py": 'import os\n\nos.environ["ONLY_IN_TESTS"] = "1"\nX = os.environ["ONLY_IN_TESTS"]\n',
}


def commit(precommit: PreCommit, repo: Path, message: str) -> subprocess.CompletedProcess:
    try:
        return git(repo, "commit", "-q", "-m", message, env=precommit.env())
    except subprocess.CalledProcessError as exc:
        return subprocess.CompletedProcess(exc.cmd, exc.returncode, exc.stdout, exc.stderr)


def test_undocumented_read_blocks_documenting_passes_removing_reports_dead(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "svc", {
        **SERVICE, ".pre-commit-config.yaml": precommit.config([{"id": "check-env-documented"}])})
    assert precommit.run(repo, "install").returncode == 0

    write_files(repo, {"billing/flags.py": 'import os\n\nNEW_FLAG = os.environ["NEW_FLAG"] == "on"\n'})
    git(repo, "add", "-A")
    result = commit(precommit, repo, "add NEW_FLAG")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert ("billing/flags.py:3:12: check-env-documented: NEW_FLAG is read here but not documented "
            "in .env.example") in output
    assert "ONLY_IN_TESTS" not in output and "Traceback" not in output

    write_files(repo, {".env.example": "SECRET_KEY=\nDEBUG=0\n# turns the new checkout on\nNEW_FLAG=off\n"})
    git(repo, "add", "-A")
    result = commit(precommit, repo, "add NEW_FLAG, documented")
    assert result.returncode == 0, result.stdout + result.stderr

    git(repo, "rm", "-q", "billing/flags.py")
    result = commit(precommit, repo, "drop NEW_FLAG")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert ".env.example:4:1: check-env-documented: NEW_FLAG is documented but nothing in the repo reads it" in output

    write_files(repo, {".env.example": "SECRET_KEY=\nDEBUG=0\n"})
    git(repo, "add", "-A")
    result = commit(precommit, repo, "drop NEW_FLAG and its entry")
    assert result.returncode == 0, result.stdout + result.stderr


def test_unstaged_changes_are_not_what_the_commit_holds(precommit: PreCommit, tmp_path: Path) -> None:
    """pre-commit stashes unstaged work: an undocumented read left unstaged does not block."""
    repo = precommit.make_repo(tmp_path / "svc", {
        **SERVICE, ".pre-commit-config.yaml": precommit.config([{"id": "check-env-documented"}])})
    assert precommit.run(repo, "install").returncode == 0
    write_files(repo, {"README.md": "# billing\n"})
    git(repo, "add", "README.md")
    write_files(repo, {"billing/settings.py": SERVICE["billing/settings.py"] + 'X = os.environ["UNSTAGED"]\n'})
    result = commit(precommit, repo, "readme")
    assert result.returncode == 0, result.stdout + result.stderr
