"""check-migration-locks after held-out round 12 (time travel): catch and leave-alone pairs per class, on small
migrations and modules shaped like the round's (none copied)."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from tests.checks.check_migration_locks.cases import DJANGO_CASE, django, strict
from tests.checks.check_migration_locks.cases import case_findings as findings

HOOK_ID = "check-migration-locks"
CASE = DJANGO_CASE


@pytest.fixture
def hook(run_hook: Callable[..., Any]) -> Callable[..., Any]:
    return strict(run_hook)  # what each rule sees, on every table


# --- class 1: a RenameField of a field pinned to its column by db_column -------------------

PINNED = '''
migrations.AlterField(
    model_name="book",
    name="title",
    field=models.CharField(db_column="title", max_length=100),
),
migrations.RenameField(
    model_name="book",
    old_name="title",
    new_name="_title",
),
'''
USES_TITLE = {"library/search.py": "def indexed(book):\n    return {'name': book.title}\n"}


def test_a_rename_of_a_field_pinned_by_db_column_changes_no_column(hook: Callable[..., Any]) -> None:
    # enterprise-catalog: AlterField(db_column='json_metadata') then RenameField(json_metadata -> _json_metadata)
    assert findings(hook, {CASE: django(PINNED)} | USES_TITLE) == []


def test_db_column_given_when_the_field_was_added_also_pins_it(hook: Callable[..., Any]) -> None:
    files = {"library/migrations/0002_summary.py": django(
                 'migrations.AddField(model_name="book", name="summary", '
                 'field=models.TextField(db_column="blurb", null=True)),'),
             "library/migrations/0003_case.py": django(
                 'migrations.RenameField(model_name="book", old_name="summary", new_name="abstract"),'),
             "library/search.py": "def indexed(book):\n    return book.summary\n"}
    assert findings(hook, files, "library/migrations/0003_case.py") == []


def test_a_rename_without_db_column_renames_the_column_and_is_still_caught(hook: Callable[..., Any]) -> None:
    unpinned = PINNED.replace('db_column="title", ', "")
    lines = findings(hook, {CASE: django(unpinned)} | USES_TITLE)
    assert len(lines) == 1 and "RenameField book.title -> _title" in lines[0], lines
    assert "library/search.py:2 still uses the old name" in lines[0]


# --- class 2: the old name in prose, not in SQL ----------------------------------------------

RENAME = 'migrations.RenameField(model_name="book", old_name="title", new_name="headline"),'


@pytest.mark.parametrize("code", [
    # a docstring whose prose holds "where" and the old name (scancode.io)
    'def import_books(project):\n    """\n    Save the title of every book. This is used in the case where\n'
    '    book data is imported from another tool.\n    """\n    return project.count()\n',
    # an English message with "update" and "where" in it is no statement
    'HELP = "Update the title where it is shown"\n',
])
def test_the_old_name_in_prose_is_no_use(hook: Callable[..., Any], code: str) -> None:
    assert findings(hook, {CASE: django(RENAME), "library/importer.py": code}) == []


@pytest.mark.parametrize("code, line", [
    ('SQL = "SELECT id FROM library_book WHERE title = %s"\n', 1),
    ('def fix(cursor):\n    cursor.execute("UPDATE library_book SET title = %s WHERE id = %s")\n', 2),
    ('CLAUSE = "DELETE ... WHERE title IS NULL"\n', 1),
])
def test_the_old_name_in_a_sql_statement_is_still_a_use(hook: Callable[..., Any], code: str, line: int) -> None:
    lines = findings(hook, {CASE: django(RENAME), "library/queries.py": code})
    assert len(lines) == 1 and f"library/queries.py:{line} still uses the old name" in lines[0], lines


# The same migration gives the old name back to the model as the reverse accessor of a new relation to it
# (scancode.io: dependencies -> dependencies_data, then ForeignKey(related_name="dependencies") to the model).
REBOUND = RENAME + '''
migrations.CreateModel(
    name="Review",
    fields=[
        ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
        ("book", models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                   related_name="title", to="library.book")),
    ],
),
'''
USES_ATTRIBUTE = {"library/pipes.py": "def reviews(book):\n    return list(book.title.all())\n"}


def test_an_old_name_rebound_as_the_reverse_accessor_of_a_relation_to_the_model_passes(
        hook: Callable[..., Any]) -> None:
    files = {CASE: django(REBOUND)} | USES_ATTRIBUTE
    assert findings(hook, files) == []


def test_a_relation_to_another_model_does_not_rebind_the_old_name(hook: Callable[..., Any]) -> None:
    other = REBOUND.replace('to="library.book"', 'to="library.shelf"')
    lines = findings(hook, {CASE: django(other)} | USES_ATTRIBUTE)
    assert len(lines) == 1 and "library/pipes.py:2 still uses the old name" in lines[0], lines


# --- cosmetic: a package's __init__.py in a versions folder is no migration (mistral's settled count) ----


@pytest.mark.parametrize("path", ["alembic_migrations/versions/__init__.py", "library/migrations/__init__.py"])
def test_an_init_module_is_no_migration(path: str) -> None:
    from hooks.checks.check_migration_locks.read import kind

    assert kind(path) is None


def test_a_migration_beside_an_init_module_still_is_one() -> None:
    from hooks.checks.check_migration_locks.read import kind

    assert kind("library/migrations/0002_case.py") == "django"
