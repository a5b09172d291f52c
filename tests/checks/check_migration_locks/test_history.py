"""check-migration-locks on a git history: what the repository's own past says.
The "not judged" count is the repository's, whichever part of the file list a
call gets; a table the history shows to be small is not reported."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.checks.check_migration_locks.cases import (
    ALEMBIC_ENV,
    ALEMBIC_INITIAL,
    CASES,
    alembic,
    django,
    repo_files,
    strict,
)
from tests.conftest import git, write_files

HOOK_ID = "check-migration-locks"
VERSIONS = "migrations/versions"


@pytest.fixture
def run_hook(run_hook: Callable[..., Any]) -> Callable[..., Any]:
    return strict(run_hook)  # the history's small tables matter when every table is judged


def commit(repo: Path, files: dict[str, str], when: str) -> None:
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"migrations of {when}", "--no-verify",
        env={"GIT_AUTHOR_DATE": f"{when}T10:00:00+0000", "GIT_COMMITTER_DATE": f"{when}T10:00:00+0000"})


def history(repo: Path, steps: list[tuple[str, dict[str, str]]]) -> None:
    repo.mkdir(parents=True, exist_ok=True)
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


# --- a table the history shows small ------------------------------------------------

BASE = {"migrations/env.py": ALEMBIC_ENV, f"{VERSIONS}/0001_initial.py": ALEMBIC_INITIAL}
RECORD = 'op.create_table("record", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("turn_id", sa.Integer()))'
CONCURRENT_BOOK = ('with op.get_context().autocommit_block():\n'
                   '    op.create_index("ix_book_code", "book", ["code"], postgresql_concurrently=True)')


def reported(result: Any) -> list[str]:
    return [line for line in result.out.splitlines() if ": check-migration-locks: " in line]


def test_a_table_created_weeks_before_is_small(run_hook: Callable[..., Any], tmp_path: Path) -> None:
    # agenta oss000000004: an index on `records`, created by the release two weeks before
    history(tmp_path, [("2025-01-01", BASE), ("2025-12-18", revision(2, RECORD)),
                       ("2026-01-01", revision(3, 'op.create_index("ix_record_turn", "record", ["turn_id"])'))])
    result = run_hook(HOOK_ID, f"{VERSIONS}/0003_step.py")
    assert result.code == 0 and reported(result) == [], result.out
    assert ("steps on record: created 14 day(s) before the migration, in migrations/versions/0002_step.py: "
            "the table is small, they are not reported (--history-days 0 judges them)") in result.err
    assert run_hook(HOOK_ID, f"{VERSIONS}/0003_step.py", "--history-days", "0").code == 1
    assert run_hook(HOOK_ID, f"{VERSIONS}/0003_step.py", "--history-days", "10").code == 1
    # what fails whatever the size is still reported
    commit(tmp_path, revision(4, 'op.add_column("record", sa.Column("kind", sa.String(8), nullable=False))'),
           "2026-01-02")
    assert "nullable=False without a server_default" in run_hook(HOOK_ID, f"{VERSIONS}/0004_step.py").out


def test_a_young_table_filled_with_a_copy_of_another_is_big(run_hook: Callable[..., Any], tmp_path: Path) -> None:
    copy = RECORD + '\nop.execute("INSERT INTO record (id, turn_id) SELECT id, pages FROM book")'
    history(tmp_path, [("2025-01-01", BASE), ("2025-12-18", revision(2, copy)),
                       ("2026-01-01", revision(3, 'op.create_index("ix_record_turn", "record", ["turn_id"])'))])
    result = run_hook(HOOK_ID, f"{VERSIONS}/0003_step.py")
    assert result.code == 1 and "create_index ix_record_turn on record" in result.out, result.err


def test_a_table_created_long_before_is_judged(run_hook: Callable[..., Any], tmp_path: Path) -> None:
    # notification-api 0522: `reports` was created 16 months before; nothing in the repository says it is small
    history(tmp_path, [("2025-01-01", BASE), ("2025-06-01", revision(2, RECORD)),
                       ("2026-01-01", revision(3, 'op.create_index(op.f("ix_record_turn"), "record", ["turn_id"])'))])
    result = run_hook(HOOK_ID, f"{VERSIONS}/0003_step.py")
    assert result.code == 1 and "create_index ix_record_turn on record" in result.out
    assert "the table is small" not in result.err


def test_a_young_table_the_project_indexes_concurrently_is_big(run_hook: Callable[..., Any], tmp_path: Path) -> None:
    # agenta `spans`: young in one chain of revisions, indexed CONCURRENTLY in another
    other = ('with op.get_context().autocommit_block():\n'
             '    op.create_index("ix_record_id", "record", ["id"], postgresql_concurrently=True)')
    history(tmp_path, [("2025-01-01", BASE),
                       ("2025-12-18", revision(2, RECORD) | {
                           "ee/env.py": ALEMBIC_ENV,
                           "ee/versions/0001_ee.py": alembic(RECORD + "\n" + other, "ee01", None)}),
                       ("2026-01-01", revision(3, 'op.create_index("ix_record_turn", "record", ["turn_id"])'))])
    result = run_hook(HOOK_ID, f"{VERSIONS}/0003_step.py")
    assert result.code == 1 and "create_index ix_record_turn on record" in result.out, result.err


def practice(tmp_path: Path, concurrent: bool = True, careless: bool = False, target: str = "shelf",
             plain_first: bool = False) -> None:
    """A project that builds `book`'s indexes CONCURRENTLY, and indexed `shelf` plainly in a migration
    that has run (skyvern `persistent_browser_sessions`, notification-api `services`)."""
    plain = 'op.create_index("ix_shelf_owner", "shelf", ["owner_id"])' + (
        '\nop.create_index("ix_book_isbn", "book", ["isbn"])' if careless else "")
    big = revision(2, CONCURRENT_BOOK if concurrent else 'op.add_column("book", sa.Column("n", sa.Integer()))')
    steps = [("2025-01-01", BASE), ("2025-09-01", big), ("2025-11-15", revision(3, plain))]
    if plain_first:
        steps = [("2025-01-01", BASE), ("2025-10-20", revision(2, plain.replace("ix_shelf_owner", "ix_shelf_o1"))),
                 ("2025-11-15", {f"{VERSIONS}/0003_step.py": big[f"{VERSIONS}/0002_step.py"].replace(
                     '"0002"', '"0003"').replace('"0001"', '"0002"')})]
    steps.append(("2026-01-01", revision(4, f'op.create_index("ix_{target}_new", "{target}", ["id", "{"label" if target == "shelf" else "title"}"])')))
    history(tmp_path, steps)


def test_a_table_the_project_indexed_plainly_while_it_builds_others_concurrently_is_small(
        run_hook: Callable[..., Any], tmp_path: Path) -> None:
    practice(tmp_path)
    result = run_hook(HOOK_ID, f"{VERSIONS}/0004_step.py")
    assert result.code == 0 and reported(result) == [], result.out
    assert ("steps on shelf: indexed without CONCURRENTLY 47 day(s) before the migration, in "
            "migrations/versions/0003_step.py, which has run, while the project builds other indexes CONCURRENTLY "
            "(since migrations/versions/0002_step.py)") in result.err
    assert run_hook(HOOK_ID, f"{VERSIONS}/0004_step.py", "--history-days", "0").code == 1


def test_a_table_the_project_indexes_concurrently_is_judged(run_hook: Callable[..., Any], tmp_path: Path) -> None:
    # skyvern `workflow_runs`, `credentials`: indexed CONCURRENTLY before, so big
    practice(tmp_path, target="book")
    result = run_hook(HOOK_ID, f"{VERSIONS}/0004_step.py")
    assert result.code == 1 and "create_index ix_book_new on book" in result.out


def test_a_project_that_never_builds_concurrently_says_nothing_by_building_plainly(
        run_hook: Callable[..., Any], tmp_path: Path) -> None:
    # osf.io: no CONCURRENTLY anywhere; a plain build is no judgement of size
    practice(tmp_path, concurrent=False)
    assert run_hook(HOOK_ID, f"{VERSIONS}/0004_step.py").code == 1


def test_a_plain_build_that_weighed_nothing_is_no_evidence(run_hook: Callable[..., Any], tmp_path: Path) -> None:
    # skyvern e0ccabc005af built five tables' indexes plainly, one of them a table it indexes CONCURRENTLY
    practice(tmp_path, careless=True)
    assert run_hook(HOOK_ID, f"{VERSIONS}/0004_step.py").code == 1


def test_a_plain_build_before_the_project_knew_concurrently_is_no_evidence(
        run_hook: Callable[..., Any], tmp_path: Path) -> None:
    practice(tmp_path, plain_first=True)
    assert run_hook(HOOK_ID, f"{VERSIONS}/0004_step.py").code == 1


def test_django_a_young_model_is_small_and_one_indexed_concurrently_is_big(
        run_hook: Callable[..., Any], tmp_path: Path) -> None:
    base = {k: v for k, v in repo_files(CASES[0]).items() if "0002" not in k}
    loan = django('migrations.CreateModel(name="Loan", fields=[("id", models.BigAutoField(primary_key=True)), '
                  '("due", models.DateField(null=True))]),')
    index = django('migrations.AddIndex(model_name="loan", index=models.Index(fields=["due"], name="loan_due_idx")),')
    history(tmp_path, [("2025-01-01", base), ("2025-12-01", {"library/migrations/0002_loan.py": loan}),
                       ("2026-01-01", {"library/migrations/0003_loan_due.py": index})])
    result = run_hook(HOOK_ID, "library/migrations/0003_loan_due.py")
    assert result.code == 0 and "steps on library_loan: created 31 day(s) before the migration" in result.err
    # the same project builds the young table's indexes CONCURRENTLY elsewhere: big
    concurrent = django('AddIndexConcurrently(model_name="loan", index=models.Index(fields=["id", "due"], '
                        'name="loan_id_due_idx")),', "atomic = False",
                        "from django.contrib.postgres.operations import AddIndexConcurrently")
    commit(tmp_path, {"library/migrations/0004_loan_id_due.py": concurrent}, "2026-01-02")
    assert run_hook(HOOK_ID, "library/migrations/0003_loan_due.py").code == 1


def test_no_table_is_young_in_an_imported_or_moved_history(run_hook: Callable[..., Any], tmp_path: Path) -> None:
    import os

    index = 'op.create_index("ix_r", "record2", ["turn_id"])'
    many = dict(BASE)
    for number in range(2, 12):
        many |= revision(number, RECORD.replace('"record"', f'"record{number}"'))
    # one commit (a fresh import): the dates are the import's, not the tables'
    history(tmp_path / "one", [("2026-01-01", many | revision(12, index))])
    os.chdir(tmp_path / "one")
    assert run_hook(HOOK_ID, f"{VERSIONS}/0012_step.py").code == 1
    # a first commit that brought many migrations at once: an older history imported
    history(tmp_path / "imported", [("2025-12-01", many), ("2026-01-01", revision(12, index))])
    os.chdir(tmp_path / "imported")
    assert run_hook(HOOK_ID, f"{VERSIONS}/0012_step.py").code == 1
    # the same migrations merged with a release (agenta v0.105.0 brought 13): young
    history(tmp_path / "release", [("2024-01-01", BASE), ("2025-12-01", {k: v for k, v in many.items() if k not in BASE}),
                                   ("2026-01-01", revision(12, index))])
    os.chdir(tmp_path / "release")
    assert run_hook(HOOK_ID, f"{VERSIONS}/0012_step.py").code == 0
    # a folder moved: its migrations arrive again, as old as before
    history(tmp_path / "moved", [("2024-01-01", {k.replace("migrations/", "db/"): v for k, v in many.items()})])
    git(tmp_path / "moved", "mv", "db", "migrations")
    commit(tmp_path / "moved", {}, "2025-12-01")
    commit(tmp_path / "moved", revision(12, index), "2026-01-01")
    os.chdir(tmp_path / "moved")
    assert run_hook(HOOK_ID, f"{VERSIONS}/0012_step.py").code == 1
