"""check-migration-locks after held-out round 11 (time travel: the commits that added migrations): catch and
leave-alone pairs per class, on small migrations shaped like the round's (none copied)."""
from __future__ import annotations

import re
from typing import Any, Callable

import pytest

from tests.checks.check_migration_locks.cases import CASES, DJANGO_CASE, django, repo_files, strict
from tests.checks.check_migration_locks.cases import FINDING as RULE
from tests.checks.check_migration_locks.cases import case_findings as findings

HOOK_ID = "check-migration-locks"
CASE = DJANGO_CASE


@pytest.fixture
def hook(run_hook: Callable[..., Any]) -> Callable[..., Any]:
    return strict(run_hook)  # what each rule sees, on every table


# --- class 1: fields Django always makes nullable, fields with no column -------------------

NULL_BOOLEAN = '''
migrations.AddField(
    model_name="book",
    name="is_lent_temp",
    field=models.NullBooleanField(blank=True),
),
'''


def test_a_null_boolean_field_is_added_nullable(hook: Callable[..., Any]) -> None:
    # usaspending: 87 AddField(NullBooleanField(blank=True)) read as NOT NULL
    assert findings(hook, {CASE: django(NULL_BOOLEAN)}) == []


def test_a_plain_boolean_field_without_default_is_still_not_null(hook: Callable[..., Any]) -> None:
    lines = findings(hook, {CASE: django(NULL_BOOLEAN.replace("NullBooleanField", "BooleanField"))})
    assert len(lines) == 1 and "AddField book.is_lent_temp is NOT NULL without a default" in lines[0]


def test_a_null_boolean_field_altered_to_a_boolean_field_is_set_not_null(hook: Callable[..., Any]) -> None:
    # the NULL the old field allowed is what SET NOT NULL scans for
    files = {"library/migrations/0002_lent.py": django(NULL_BOOLEAN),
             "library/migrations/0003_case.py": django('''
                 migrations.AlterField(model_name="book", name="is_lent_temp", field=models.BooleanField(default=False)),
             ''')}
    lines = findings(hook, files, "library/migrations/0003_case.py")
    assert any("drops null=True" in line for line in lines), lines


TAGS = '''
migrations.AddField(
    model_name="book",
    name="tags",
    field={field}(
        _set_tag_meta=True,
        blank=True,
        help_text="Enter a comma-separated tag string",
        to="library.BookTag",
    ),
),
'''


@pytest.mark.parametrize("field", ["tagulous.models.fields.TagField", "sortedm2m.fields.SortedManyToManyField",
                                   "modelcluster.fields.ParentalManyToManyField"])
def test_a_many_to_many_under_another_name_adds_no_column(hook: Callable[..., Any], field: str) -> None:
    # nl-kat rocky: tagulous's TagField, a join table, read as a NOT NULL column
    text = django(TAGS.format(field=field), imports=f"import {field.rsplit('.', 1)[0]}")
    assert findings(hook, {CASE: text}) == []


def test_django_taggings_tag_field_is_a_column(hook: Callable[..., Any]) -> None:
    # django-tagging's TagField is a CharField: still a NOT NULL column
    text = django(TAGS.format(field="tagging.fields.TagField").replace("_set_tag_meta=True,", "max_length=255,")
                  .replace("blank=True,", ""), imports="import tagging.fields")
    lines = findings(hook, {CASE: text})
    assert len(lines) == 1 and "AddField book.tags is NOT NULL without a default" in lines[0]


# --- class 4c: Django migrations in an app folder under migrations/ (MIGRATION_MODULES) -----

NOT_NULL = '''
migrations.AddField(model_name="book", name="edition", field=models.IntegerField()),
'''


def test_a_migration_in_an_app_folder_under_migrations_is_read(hook: Callable[..., Any]) -> None:
    # "maasserver": "maasserver.migrations.maasserver", as require-reversible-migrations reads them
    path = "src/maasserver/migrations/maasserver/0002_case.py"
    lines = findings(hook, {path: django(NOT_NULL), "src/maasserver/migrations/__init__.py": "",
                                "src/maasserver/migrations/maasserver/__init__.py": ""}, path)
    assert len(lines) == 1 and lines[0].startswith(path + ":") and "NOT NULL without a default" in lines[0]


def test_a_module_in_an_app_folder_that_is_no_migration_is_left_alone(hook: Callable[..., Any]) -> None:
    path = "src/maasserver/migrations/maasserver/0002_helpers.py"
    assert findings(hook, {path: "def fill(apps, schema_editor):\n    pass\n"}, path) == []


def test_the_manifest_reads_app_folders_under_migrations_but_not_flask_migrate_versions() -> None:
    from hooks.config.paths import LOCKING_MIGRATION_FILES

    assert re.search(LOCKING_MIGRATION_FILES, "src/maasserver/migrations/maasserver/0002_case.py")
    assert re.search(LOCKING_MIGRATION_FILES, "migrations/versions/0002_case.py")  # as Alembic's, not Django's
    from hooks.checks.check_migration_locks.read import kind

    assert kind("src/maasserver/migrations/maasserver/0002_case.py") == "django"
    assert kind("migrations/versions/0002_case.py") != "django"


# --- class 4a: Alembic steps in the module's functions that upgrade() runs ------------------

DISPATCHER = '''"""Adding upper indexes

Revision ID: 0002
Revises: 0001
Create Date: 2021-08-13 14:06:33.089082

"""
revision = "0002"
down_revision = "0001"

from alembic import op
import sqlalchemy as sa


def upgrade(engine_name):
    globals()["upgrade_%s" % engine_name]()


def downgrade(engine_name):
    globals()["downgrade_%s" % engine_name]()


def upgrade_data_broker():
    op.create_index("ix_book_title_upper", "book", [sa.text("UPPER(title)")], unique=False)


def downgrade_data_broker():
    op.drop_index("ix_book_title_upper", table_name="book")
    op.add_column("book", sa.Column("legacy", sa.Integer(), nullable=False))
'''

ALEMBIC_CASE = "migrations/versions/0002_case.py"


def alembic_files(**revisions: str) -> dict[str, str]:
    from tests.checks.check_migration_locks.cases import ALEMBIC_ENV, ALEMBIC_INITIAL

    return {"migrations/env.py": ALEMBIC_ENV, "migrations/versions/0001_initial.py": ALEMBIC_INITIAL,
            **{f"migrations/versions/{name}.py": text for name, text in revisions.items()}}


def alembic_findings(run_hook: Callable[..., Any], files: dict[str, str], *paths: str) -> list[str]:
    result = run_hook(HOOK_ID, *(paths or (ALEMBIC_CASE,)), files=files)
    return [line for line in result.lines if RULE.search(line)]


def test_the_steps_behind_an_engine_dispatcher_are_read(hook: Callable[..., Any]) -> None:
    # data-act-broker: def upgrade(engine_name): globals()["upgrade_%s" % engine_name]()
    lines = alembic_findings(hook, alembic_files(**{"0002_case": DISPATCHER}))
    assert len(lines) == 1 and "create_index ix_book_title_upper on book" in lines[0], lines
    assert lines[0].startswith(ALEMBIC_CASE + ":24:")


def test_a_downgrade_helper_is_not_read_as_upgrade(hook: Callable[..., Any]) -> None:
    text = DISPATCHER.replace('    op.create_index("ix_book_title_upper", "book", [sa.text("UPPER(title)")], '
                              'unique=False)\n', "    pass\n")
    assert alembic_findings(hook, alembic_files(**{"0002_case": text})) == []


HELPER_TABLE = '''"""create loan"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"


def upgrade():
    _create_loan_table()
    op.add_column("shelf", sa.Column("capacity", sa.Integer(), nullable=False))


def _create_loan_table():
    op.create_table(
        "loan",
        sa.Column("book_id", sa.Integer, sa.ForeignKey("book.id"), nullable=False),
        sa.Column("shelf_id", sa.Integer, sa.ForeignKey("shelf.id"), nullable=False),
        {key}
    )


def downgrade():
    op.drop_table("loan")
'''

CASCADE = '''"""loan cascade"""
from alembic import op

revision = "0003"
down_revision = "0002"

FK_NAME = "loan_book_id_fkey"


def upgrade():
    op.drop_constraint(FK_NAME, "loan")
    op.create_foreign_key(FK_NAME, "loan", "book", ["book_id"], ["id"], ondelete="CASCADE")


def downgrade():
    pass
'''


def test_a_helper_that_upgrade_calls_is_read(hook: Callable[..., Any]) -> None:
    # xivo-manage-db 2989b8b30fe7: the table is created in _create_line_extension_table(); the steps after it in
    # upgrade() and in the helper are judged as one migration
    text = HELPER_TABLE.format(key='sa.PrimaryKeyConstraint("book_id", "shelf_id"),')
    lines = alembic_findings(hook, alembic_files(**{"0002_case": text}))
    assert any("add_column shelf.capacity" in line for line in lines), lines
    assert any("ForeignKey loan.shelf_id has no index" in line for line in lines), lines
    assert not any("loan.book_id" in line for line in lines), lines  # the key starts with it


def test_a_key_declared_in_a_helper_of_another_revision_indexes_the_column(hook: Callable[..., Any]) -> None:
    # xivo f9ea1046c8e5: "no index starts with line_id" while 2989b8b30fe7's PK does
    files = alembic_files(**{"0002_loan": HELPER_TABLE.format(key='sa.PrimaryKeyConstraint("book_id", "shelf_id"),'),
                             "0003_case": CASCADE})
    lines = alembic_findings(hook, files, "migrations/versions/0003_case.py")
    assert lines and not any("has no index" in line for line in lines), lines  # (the validating scan is reported)


def test_a_foreign_key_no_key_of_any_revision_starts_with_is_still_reported(hook: Callable[..., Any]) -> None:
    files = alembic_files(**{"0002_loan": HELPER_TABLE.format(key='sa.PrimaryKeyConstraint("shelf_id", "book_id"),'),
                             "0003_case": CASCADE})
    lines = alembic_findings(hook, files, "migrations/versions/0003_case.py")
    assert any("ForeignKey loan.book_id has no index" in line for line in lines), lines


# --- class 4b: a Django model's table is its db_table ----------------------------------------

LATER = "library/migrations/0003_case.py"
ALTER_SIGNED = 'migrations.AlterField(model_name="transactionsearch", name="signed", field=models.DateField(null=True)),'

DB_TABLE = django('''
migrations.CreateModel(
    name="TransactionSearch",
    fields=[
        ("id", models.BigAutoField(primary_key=True, serialize=False)),
        ("signed", models.DateTimeField(null=True)),
    ],
    options={"db_table": "transaction_search"},
),
''')


def test_a_step_on_a_model_with_a_db_table_is_judged_on_that_table(run_hook: Callable[..., Any]) -> None:
    # usaspending search/0006: AlterField on transactionsearch, whose table is transaction_search
    files = {"library/migrations/0002_search.py": DB_TABLE, LATER: django(ALTER_SIGNED)}
    result = run_hook(HOOK_ID, LATER, files=repo_files(CASES[0]) | files)
    assert result.code == 0 and "not judged (transaction_search)" in result.err, result.err
    result = run_hook(HOOK_ID, "--big-tables", "transaction_search", LATER, files=repo_files(CASES[0]) | files)
    assert result.code == 1 and "AlterField transactionsearch.signed" in result.out


def test_a_model_without_a_db_table_is_app_model(run_hook: Callable[..., Any]) -> None:
    files = {"library/migrations/0002_search.py": DB_TABLE.replace('options={"db_table": "transaction_search"},', ""),
             LATER: django(ALTER_SIGNED)}
    result = run_hook(HOOK_ID, LATER, files=repo_files(CASES[0]) | files)
    assert result.code == 0 and "not judged (library_transactionsearch)" in result.err, result.err


def test_alter_model_table_renames_the_table_for_later_steps(run_hook: Callable[..., Any]) -> None:
    files = {"library/migrations/0002_search.py": DB_TABLE,
             "library/migrations/0003_table.py": django(
                 'migrations.AlterModelTable(name="transactionsearch", table="search_rows"),'),
             "library/migrations/0004_case.py": django(ALTER_SIGNED)}
    result = run_hook(HOOK_ID, "library/migrations/0004_case.py", files=repo_files(CASES[0]) | files)
    assert "not judged (search_rows)" in result.err, result.err


# --- classes 2 and 3: when a migration arrived, and with what -------------------------------

from pathlib import Path  # noqa: E402

from tests.conftest import git, write_files  # noqa: E402


def _at(when: str) -> dict[str, str]:
    return {"GIT_AUTHOR_DATE": f"{when}T10:00:00+0000", "GIT_COMMITTER_DATE": f"{when}T10:00:00+0000"}


def commit(repo: Path, files: dict[str, str], when: str, message: str = "step") -> None:
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, "--no-verify", env=_at(when))


def django_files() -> dict[str, str]:
    return {name: text for name, text in repo_files(CASES[0]).items() if name != CASE}


HEADED = "# Generated by Django 3.2.16 on {date}\n" + django(NOT_NULL)
MERGED = "library/migrations/0002_edition.py"


def test_a_migration_merged_in_with_another_repositorys_history_has_run_there(
        hook: Callable[..., Any], tmp_path: Path) -> None:
    # nl-kat: five repositories merged with their histories; their migrations first reach the main line that day
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q", "-b", "main")
    commit(other, django_files() | {MERGED: HEADED.format(date="2023-01-03 17:21")}, "2023-01-05")
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, {"README.md": "monorepo\n", ".gitignore": "other/\n"}, "2023-02-14")
    git(tmp_path, "fetch", "-q", str(other), "main:component")
    git(tmp_path, "merge", "-q", "--allow-unrelated-histories", "--no-edit", "component", env=_at("2023-02-14"))
    result = hook(HOOK_ID, MERGED)
    assert result.code == 0 and "1 migration(s) committed more than 30 days" in result.err, result.out + result.err


@pytest.mark.parametrize("squash", [False, True])
def test_a_migration_written_long_ago_on_a_branch_has_not_run(
        hook: Callable[..., Any], tmp_path: Path, squash: bool) -> None:
    # a branch of the same history (merged or squashed) is not deployed before it lands, whatever its header says
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, django_files(), "2022-06-01")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    commit(tmp_path, {MERGED: HEADED.format(date="2022-11-02 10:00")}, "2022-11-02")
    git(tmp_path, "checkout", "-q", "main")
    commit(tmp_path, {"README.md": "x\n"}, "2023-02-13")
    if squash:
        git(tmp_path, "merge", "-q", "--squash", "feature")
        git(tmp_path, "commit", "-q", "-m", "squash", env=_at("2023-02-14"))
    else:
        git(tmp_path, "merge", "-q", "--no-ff", "--no-edit", "feature", env=_at("2023-02-14"))
    lines = [line for line in hook(HOOK_ID, MERGED).lines if RULE.search(line)]
    assert len(lines) == 1 and "NOT NULL without a default" in lines[0], lines


RECEIPT = django('''
migrations.CreateModel(
    name="Receipt",
    fields=[("id", models.BigAutoField(primary_key=True, serialize=False))],
    options={"db_table": "receipts"},
),
''')
REIMBURSEMENT = django('migrations.AddField(model_name="receipt", name="paid_by", field=models.IntegerField()),')
CREATED, ADDED = "library/migrations/0002_receipt.py", "library/migrations/0003_receipt_paid_by.py"


@pytest.mark.parametrize("staged", [False, True])
def test_a_table_created_by_a_migration_of_the_same_commit_is_empty(
        hook: Callable[..., Any], tmp_path: Path, staged: bool) -> None:
    # concrexit: 0009 creates moneybirdreceipt, 0010 adds a NOT NULL column to it, in one commit
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, django_files(), "2025-01-01")
    write_files(tmp_path, {CREATED: RECEIPT, ADDED: REIMBURSEMENT})
    git(tmp_path, "add", "-A")
    if not staged:
        git(tmp_path, "commit", "-q", "-m", "receipts", env=_at("2025-04-23"))
    result = hook(HOOK_ID, CREATED, ADDED)
    assert result.code == 0 and result.out == "", result.out


@pytest.mark.parametrize("staged", [False, True])
def test_a_table_created_by_an_earlier_commit_may_have_rows(
        hook: Callable[..., Any], tmp_path: Path, staged: bool) -> None:
    # created a week earlier: that commit may be deployed, and the table filled, before this one
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, django_files(), "2025-01-01")
    commit(tmp_path, {CREATED: RECEIPT}, "2025-04-16")
    write_files(tmp_path, {ADDED: REIMBURSEMENT})
    git(tmp_path, "add", "-A")
    if not staged:
        git(tmp_path, "commit", "-q", "-m", "paid by", env=_at("2025-04-23"))
    lines = [line for line in hook(HOOK_ID, CREATED, ADDED).lines if RULE.search(line)]
    assert len(lines) == 1 and lines[0].startswith(ADDED + ":") and "receipt.paid_by is NOT NULL" in lines[0], lines
