"""check-migration-locks on a git history: what the repository's own past says.
The "not judged" count is the repository's, whichever part of the file list a
call gets; a table the history shows to be small is not reported."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from tests.checks.check_migration_locks.cases import ALEMBIC_ENV, ALEMBIC_INITIAL, alembic
from tests.conftest import git, write_files

HOOK_ID = "check-migration-locks"
VERSIONS = "migrations/versions"


def commit(repo: Path, files: dict[str, str], when: str) -> None:
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"migrations of {when}", "--no-verify",
        env={"GIT_AUTHOR_DATE": f"{when}T10:00:00+0000", "GIT_COMMITTER_DATE": f"{when}T10:00:00+0000"})


def history(repo: Path, steps: list[tuple[str, dict[str, str]]]) -> None:
    git(repo, "init", "-q", "-b", "main")
    for when, files in steps:
        commit(repo, files, when)


def revision(number: int, upgrade: str) -> dict[str, str]:
    return {f"{VERSIONS}/{number:04d}_step.py": alembic(upgrade, f"{number:04d}", f"{number - 1:04d}")}


def not_judged(err: str) -> list[str]:
    return re.findall(r"(\d+) migration\(s\) committed more than 30 days", err)


def test_the_not_judged_count_is_the_repositorys_whichever_part_a_call_gets(
        run_hook: Callable[..., Any], tmp_path: Path) -> None:
    old = {"migrations/env.py": ALEMBIC_ENV, f"{VERSIONS}/0001_initial.py": ALEMBIC_INITIAL}
    for number in range(2, 8):
        old |= revision(number, f'op.add_column("book", sa.Column("c{number}", sa.Integer(), nullable=True))')
    history(tmp_path, [("2024-01-10", old), ("2026-01-01", revision(8, 'op.create_index("ix_t", "book", ["title"])'))])
    paths = sorted(p for p in old if "versions" in p) + [f"{VERSIONS}/0008_step.py"]
    # pre-commit splits a long list over calls: each says the same, the repository's 7
    first = run_hook(HOOK_ID, *paths[:3])
    second = run_hook(HOOK_ID, *paths[3:])
    assert not_judged(first.err) == ["7"] and not_judged(second.err) == ["7"], (first.err, second.err)
    assert second.code == 1 and "create_index ix_t on book" in second.out
    # a commit that only adds a new migration says nothing about the old ones
    assert not_judged(run_hook(HOOK_ID, f"{VERSIONS}/0008_step.py").err) == []
