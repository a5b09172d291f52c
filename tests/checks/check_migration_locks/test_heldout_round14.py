"""check-migration-locks after held-out round 14 (time travel): catch and leave-alone pairs per class, on small
migrations shaped like the round's (none copied)."""
from __future__ import annotations

from typing import Any, Callable

from tests.checks.check_migration_locks.cases import (
    ALEMBIC_ENV,
    ALEMBIC_INITIAL,
    DJANGO_CASE,
    DJANGO_INITIAL,
    alembic,
    django,
    strict,
)
from tests.checks.check_migration_locks.cases import case_findings as findings

HOOK_ID = "check-migration-locks"

# --- class 1: Field(**name), name a dict literal of the Migration class or the module ----------------------------

ADD_EDITION = '''
migrations.AddField(
    model_name="book",
    name="edition",
    field=models.CharField(**edition_args),
),
'''


def test_a_dict_in_the_class_body_that_says_null_true_is_read(run_hook: Callable[..., Any]) -> None:
    # osis-admission: CharField(**default_args), default_args = {..., 'null': True} in the Migration class
    head = 'edition_args = {\n    "editable": False,\n    "max_length": 255,\n    "null": True,\n}'
    assert findings(run_hook, {DJANGO_CASE: django(ADD_EDITION, head=head)}) == []


def test_a_dict_in_the_class_body_without_null_is_still_caught(run_hook: Callable[..., Any]) -> None:
    head = 'edition_args = {"editable": False, "max_length": 255}'
    lines = findings(run_hook, {DJANGO_CASE: django(ADD_EDITION, head=head)})
    assert len(lines) == 1 and "AddField book.edition is NOT NULL without a default" in lines[0], lines


def test_a_module_level_dict_with_a_default_is_read(run_hook: Callable[..., Any]) -> None:
    imports = 'edition_args = {"max_length": 20, "default": "first"}'
    assert findings(run_hook, {DJANGO_CASE: django(ADD_EDITION, imports=imports)}) == []


def test_a_dict_built_from_another_dict_is_read(run_hook: Callable[..., Any]) -> None:
    imports = 'BASE = {"max_length": 20}\nedition_args = {**BASE, "null": True}'
    assert findings(run_hook, {DJANGO_CASE: django(ADD_EDITION, imports=imports)}) == []
    imports = 'BASE = {"max_length": 20}\nedition_args = {**BASE, "editable": False}'
    lines = findings(run_hook, {DJANGO_CASE: django(ADD_EDITION, imports=imports)})
    assert len(lines) == 1 and "NOT NULL without a default" in lines[0], lines


def test_a_kwargs_that_cannot_be_read_is_left_alone(run_hook: Callable[..., Any]) -> None:
    imports = "from library.fields import edition_args"
    assert findings(strict(run_hook), {DJANGO_CASE: django(ADD_EDITION, imports=imports)}) == []


def test_a_unique_key_in_the_dict_is_read_by_the_index_rules(run_hook: Callable[..., Any]) -> None:
    head = 'edition_args = {"max_length": 255, "unique": True, "null": True}'
    lines = findings(strict(run_hook), {DJANGO_CASE: django(ADD_EDITION, head=head)})
    assert len(lines) == 1 and "AddField book.edition (unique=True)" in lines[0], lines


ALTER_ISBN = '''
migrations.AlterField(
    model_name="book",
    name="isbn",
    field=models.CharField(**isbn_args),
),
'''


def test_set_not_null_reads_the_dict(run_hook: Callable[..., Any]) -> None:
    head = 'isbn_args = {"max_length": 13}'
    lines = findings(strict(run_hook), {DJANGO_CASE: django(ALTER_ISBN, head=head)})
    assert len(lines) == 1 and "AlterField book.isbn drops null=True (SET NOT NULL)" in lines[0], lines
    head = 'isbn_args = {"max_length": 13, "null": True}'
    assert findings(strict(run_hook), {DJANGO_CASE: django(ALTER_ISBN, head=head)}) == []


def test_set_not_null_is_quiet_on_a_kwargs_not_read(run_hook: Callable[..., Any]) -> None:
    imports = "from library.fields import isbn_args"
    assert findings(strict(run_hook), {DJANGO_CASE: django(ALTER_ISBN, imports=imports)}) == []


def test_an_earlier_migrations_dict_is_read_for_the_previous_definition(run_hook: Callable[..., Any]) -> None:
    # the state before an AlterField is rebuilt from earlier migrations: their **dict is read too
    earlier = django('migrations.AddField(model_name="book", name="note", field=models.TextField(**note_args)),',
                     head='note_args = {"null": True, "blank": True}')
    later = django('migrations.AlterField(model_name="book", name="note", field=models.TextField(default="")),')
    later = later.replace('"0001_initial"', '"0002_case"')
    lines = findings(strict(run_hook), {DJANGO_CASE: earlier, "library/migrations/0003_later.py": later},
                     "library/migrations/0003_later.py")
    assert len(lines) == 1 and "AlterField book.note drops null=True" in lines[0], lines


REVISION = "migrations/versions/0002_case.py"
ALEMBIC_REPO = {"migrations/env.py": ALEMBIC_ENV, "migrations/versions/0001_initial.py": ALEMBIC_INITIAL}
ADD_COLUMN = 'op.add_column("book", sa.Column("edition", sa.String(20), **EDITION))\n'


def alembic_lines(run_hook: Callable[..., Any], text: str) -> list[str]:
    result = strict(run_hook)(HOOK_ID, REVISION, files=ALEMBIC_REPO | {REVISION: text})
    return [line for line in result.lines if f"{HOOK_ID}: " in line and ".py:" in line]


def test_alembic_column_kwargs_from_a_module_dict(run_hook: Callable[..., Any]) -> None:
    text = alembic(ADD_COLUMN)
    caught = text.replace("def upgrade", 'EDITION = {"nullable": False}\n\n\ndef upgrade', 1)
    lines = alembic_lines(run_hook, caught)
    assert len(lines) == 1 and "nullable=False without a server_default" in lines[0], lines
    fine = text.replace("def upgrade", 'EDITION = {"nullable": False, "server_default": "x"}\n\n\ndef upgrade', 1)
    assert alembic_lines(run_hook, fine) == []
    unread = text.replace("def upgrade", "from app.columns import EDITION\n\n\ndef upgrade", 1)
    assert alembic_lines(run_hook, unread) == []


# --- class 2: an app kept at the repository root: its label from apps.py or its migrations' dependencies ---------

ROOT_APP_CASE = "migrations/0002_case.py"
ROOT_FILES = {"__init__.py": "", "migrations/__init__.py": "", "migrations/0001_initial.py": DJANGO_INITIAL}
ADD_INDEXED = 'migrations.AddField(model_name="book", name="rank", field=models.IntegerField(null=True, db_index=True)),'


def root_notice(run_hook: Callable[..., Any], files: dict[str, str]) -> str:
    result = run_hook(HOOK_ID, ROOT_APP_CASE, files=ROOT_FILES | files)
    return str(result.err)


def test_an_app_at_the_root_takes_its_label_from_apps_py(run_hook: Callable[..., Any]) -> None:
    apps = ('from django.apps import AppConfig\n\n\nclass LibraryConfig(AppConfig):\n'
            '    name = "library"\n    verbose_name = "Library"\n')
    err = root_notice(run_hook, {ROOT_APP_CASE: django(ADD_INDEXED), "apps.py": apps})
    assert "(library_book)" in err, err


def test_an_app_at_the_root_without_apps_py_takes_the_label_of_its_dependencies(run_hook: Callable[..., Any]) -> None:
    err = root_notice(run_hook, {ROOT_APP_CASE: django(ADD_INDEXED)})
    assert "(library_book)" in err, err


def test_an_app_folder_keeps_its_name_when_apps_py_says_the_same(run_hook: Callable[..., Any]) -> None:
    apps = 'from django.apps import AppConfig\n\n\nclass LibraryConfig(AppConfig):\n    name = "shop.library"\n'
    files = {"library/apps.py": apps, DJANGO_CASE: django(ADD_INDEXED)}
    result = run_hook(HOOK_ID, DJANGO_CASE, files=files | {"library/__init__.py": "",
                                                            "library/migrations/__init__.py": "",
                                                            "library/migrations/0001_initial.py": DJANGO_INITIAL})
    assert "(library_book)" in result.err, result.err


# --- class 3: UPDATE ... WHERE c IS NULL right after adding c without a default: every row -------------------------

BACKFILL_NEW_COLUMN = '''
op.add_column("book", sa.Column("printed_at", sa.DateTime(), nullable=True))
op.execute("UPDATE book SET printed_at = now() WHERE printed_at IS NULL")
'''


def test_where_the_new_column_is_null_is_every_row(run_hook: Callable[..., Any]) -> None:
    # pyro-api: add_column recorded_at, UPDATE detections ... WHERE recorded_at IS NULL, then SET NOT NULL
    lines = alembic_lines(run_hook, alembic(BACKFILL_NEW_COLUMN))
    assert len(lines) == 1 and "UPDATE book writes every row of book after add_column book" in lines[0], lines


def test_where_is_null_on_a_column_with_a_server_default_or_an_older_column_is_filtered(
        run_hook: Callable[..., Any]) -> None:
    defaulted = BACKFILL_NEW_COLUMN.replace("nullable=True", 'nullable=True, server_default=sa.text("now()")')
    assert alembic_lines(run_hook, alembic(defaulted)) == []
    older = BACKFILL_NEW_COLUMN.replace("WHERE printed_at IS NULL", "WHERE title IS NULL")
    assert alembic_lines(run_hook, alembic(older)) == []
    narrowed = BACKFILL_NEW_COLUMN.replace("IS NULL", "IS NULL AND id > 100")
    assert alembic_lines(run_hook, alembic(narrowed)) == []


def test_a_second_update_after_a_filtered_one_is_filtered(run_hook: Callable[..., Any]) -> None:
    twice = BACKFILL_NEW_COLUMN.replace(
        'op.execute("UPDATE', 'op.execute("UPDATE book SET printed_at = now() WHERE id < 10")\nop.execute("UPDATE')
    assert alembic_lines(run_hook, alembic(twice)) == []


def test_django_runsql_after_a_nullable_addfield(run_hook: Callable[..., Any]) -> None:
    operations = '''
migrations.AddField(model_name="book", name="printed_at", field=models.DateTimeField(null=True)),
migrations.RunSQL("UPDATE library_book SET printed_at = now() WHERE printed_at IS NULL", migrations.RunSQL.noop),
'''
    lines = findings(strict(run_hook), {DJANGO_CASE: django(operations)})
    assert len(lines) == 1 and "UPDATE library_book writes every row" in lines[0], lines
    defaulted = operations.replace("null=True)", "null=True, default=None)")
    assert findings(strict(run_hook), {DJANGO_CASE: django(defaulted)}) == []
