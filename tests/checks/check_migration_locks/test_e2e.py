"""check-migration-locks through the real pre-commit, as a git hook: a commit
adding a locking migration is blocked until it is rewritten or says why it is
fine; migrations committed long ago are not judged by ``--all-files``."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.checks.check_migration_locks.cases import CASES, django, repo_files
from tests.conftest import PreCommit, git, write_files

pytestmark = pytest.mark.e2e
HOOK_ID = "check-migration-locks"
# The git hook's mechanics on every table: by default a step whose cost grows with the
# table needs evidence that the table is big (test_evidence.py).
STRICT = {"pyproject.toml": "[tool.legacy-config-hooks.check-migration-locks]\nstrict = true\n"}
INDEX = 'migrations.AddIndex(model_name="book", index=models.Index(fields=["title"], name="book_title_idx")),'


def commit(precommit: PreCommit, repo: Path, message: str, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess:
    try:
        return git(repo, "commit", "-q", "-m", message, env={**precommit.env(), **(env or {})})
    except subprocess.CalledProcessError as exc:
        return subprocess.CompletedProcess(exc.cmd, exc.returncode, exc.stdout, exc.stderr)


def test_locking_migration_is_blocked_until_rewritten_or_explained(precommit: PreCommit, tmp_path: Path) -> None:
    files = {k: v for k, v in repo_files(CASES[0]).items() if "0002" not in k} | STRICT
    repo = precommit.make_repo(tmp_path / "svc", {**files, ".pre-commit-config.yaml": precommit.config([{"id": HOOK_ID}])})
    assert precommit.run(repo, "install").returncode == 0

    path = "library/migrations/0002_book_title_idx.py"
    write_files(repo, {path: django(INDEX)})
    git(repo, "add", path)
    result = commit(precommit, repo, "index titles")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"{path}:11:9: check-migration-locks: AddIndex book.book_title_idx" in output
    assert "Traceback" not in output

    fixed = django(INDEX.replace("migrations.AddIndex", "AddIndexConcurrently"), "atomic = False",
                   "from django.contrib.postgres.operations import AddIndexConcurrently")
    write_files(repo, {path: fixed})
    git(repo, "add", path)
    result = commit(precommit, repo, "index titles")
    assert result.returncode == 0, result.stdout + result.stderr

    other = "library/migrations/0003_shelf_label_idx.py"
    explained = django("# lock-ok: shelf is a lookup table of 40 rows\n"
                       + INDEX.replace('"book"', '"shelf"').replace('"title"', '"label"'))
    write_files(repo, {other: explained})
    git(repo, "add", other)
    result = commit(precommit, repo, "index labels")
    assert result.returncode == 0, result.stdout + result.stderr


def test_all_files_judges_only_migrations_that_have_not_run(precommit: PreCommit, tmp_path: Path) -> None:
    files = {k: v for k, v in repo_files(CASES[0]).items() if "0002" not in k} | STRICT
    repo = precommit.make_repo(tmp_path / "legacy", {**files, ".pre-commit-config.yaml": precommit.config([{"id": HOOK_ID}])},
                               commit=False)
    old = {"GIT_AUTHOR_DATE": "2019-03-01T10:00:00", "GIT_COMMITTER_DATE": "2019-03-01T10:00:00"}
    git(repo, "commit", "-q", "-m", "initial", "--no-verify", env={**precommit.env(), **old})
    write_files(repo, {"library/migrations/0002_old_index.py": django(INDEX)})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "2019's index", "--no-verify", env={**precommit.env(), **old})
    write_files(repo, {"library/migrations/0003_new_index.py": django(INDEX.replace("title", "code"))})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "this week's index", "--no-verify")

    result = precommit.run(repo, "run", HOOK_ID, "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "0003_new_index.py:11:9: check-migration-locks: AddIndex book.book_code_idx" in output
    assert "0002_old_index.py" not in output
    assert "2 migration(s) committed more than 30 days before the last commit were not judged" in output

    audit = tmp_path / "audit.yaml"
    # the audit of every migration, each judged as it was when it ran: 2019's index was
    # built the day its table was created (a young table) unless --history-days 0
    audit.write_text(precommit.config([{"id": HOOK_ID, "args": ["--settled-days", "0"]}]))
    result = precommit.run(repo, "run", HOOK_ID, "--all-files", "--config", str(audit))
    assert "0002_old_index.py:11:9" not in result.stdout and "0003_new_index.py:11:9" in result.stdout
    assert "steps on library_book: created 0 day(s) before the migration" in result.stdout
    audit.write_text(precommit.config([{"id": HOOK_ID, "args": ["--settled-days", "0", "--history-days", "0"]}]))
    result = precommit.run(repo, "run", HOOK_ID, "--all-files", "--config", str(audit))
    assert "0002_old_index.py:11:9" in result.stdout and "0003_new_index.py:11:9" in result.stdout


def _history(precommit: PreCommit, repo: Path) -> None:
    """Two commits from 2019 (the app, then an index) and this week's index."""
    old = {"GIT_AUTHOR_DATE": "2019-03-01T10:00:00", "GIT_COMMITTER_DATE": "2019-03-01T10:00:00"}
    git(repo, "commit", "-q", "-m", "initial", "--no-verify", env={**precommit.env(), **old})
    write_files(repo, {"library/migrations/0002_old_index.py": django(INDEX)})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "2019's index", "--no-verify", env={**precommit.env(), **old})
    write_files(repo, {"library/migrations/0003_new_index.py": django(INDEX.replace("title", "code"))})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "this week's index", "--no-verify")


def test_a_shallow_clone_says_the_dates_are_unknown_instead_of_judging_history(
        precommit: PreCommit, tmp_path: Path) -> None:
    files = {k: v for k, v in repo_files(CASES[0]).items() if "0002" not in k} | STRICT
    origin = precommit.make_repo(tmp_path / "origin", {**files, ".pre-commit-config.yaml":
                                                       precommit.config([{"id": HOOK_ID}])}, commit=False)
    _history(precommit, origin)

    # CI's default checkout: depth 1. Every file seems added by the one commit there is.
    depth1 = tmp_path / "ci1"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(depth1))
    assert git(depth1, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
    result = precommit.run(depth1, "run", HOOK_ID, "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "check-migration-locks: AddIndex" not in output
    assert "3 migration(s) were not judged: this is a shallow clone" in output and "fetch-depth: 0" in output

    # depth 2: the last commit's own migration is known to be new and is judged; the rest is cut off.
    depth2 = tmp_path / "ci2"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{origin}", str(depth2))
    result = precommit.run(depth2, "run", HOOK_ID, "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "0003_new_index.py:11:9: check-migration-locks: AddIndex book.book_code_idx" in output
    assert "0002_old_index.py" not in output
    assert "2 migration(s) were not judged: this is a shallow clone" in output  # 0001 and 0002

    # the full clone: dates known, the old ones settled
    full = tmp_path / "full"
    git(tmp_path, "clone", "-q", f"file://{origin}", str(full))
    output = precommit.run(full, "run", HOOK_ID, "--all-files").stdout
    assert "0003_new_index.py:11:9" in output and "shallow clone" not in output
    assert "2 migration(s) committed more than 30 days before the last commit were not judged" in output


def test_a_one_commit_history_is_judged_and_says_why(precommit: PreCommit, tmp_path: Path) -> None:
    files = {k: v for k, v in repo_files(CASES[0]).items() if "0002" not in k} | STRICT
    files["library/migrations/0002_old_index.py"] = django(INDEX)
    repo = precommit.make_repo(tmp_path / "import", {**files, ".pre-commit-config.yaml":
                                                     precommit.config([{"id": HOOK_ID}])})
    result = precommit.run(repo, "run", HOOK_ID, "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "0002_old_index.py:11:9" in output, output
    assert "the git history has one commit, so every migration in it counts as not run yet" in output
