"""check-migration-locks after held-out round 11 (time travel: the commits that added migrations): catch and
leave-alone pairs per class, on small migrations shaped like the round's (none copied)."""
from __future__ import annotations

import re
from typing import Any, Callable

import pytest

from tests.checks.check_migration_locks.cases import CASES, django, repo_files, strict

HOOK_ID = "check-migration-locks"
RULE = re.compile(r"check-migration-locks: ")
CASE = "library/migrations/0002_case.py"


@pytest.fixture
def run_hook(run_hook: Callable[..., Any]) -> Callable[..., Any]:
    return strict(run_hook)


def findings(run_hook: Callable[..., Any], files: dict[str, str], *paths: str) -> list[str]:
    result = run_hook(HOOK_ID, *(paths or (CASE,)), files=repo_files(CASES[0]) | files)
    return [line for line in result.lines if RULE.search(line)]


# --- class 1: fields Django always makes nullable, fields with no column -------------------

NULL_BOOLEAN = '''
migrations.AddField(
    model_name="book",
    name="is_lent_temp",
    field=models.NullBooleanField(blank=True),
),
'''


def test_a_null_boolean_field_is_added_nullable(run_hook: Callable[..., Any]) -> None:
    # usaspending: 87 AddField(NullBooleanField(blank=True)) read as NOT NULL
    assert findings(run_hook, {CASE: django(NULL_BOOLEAN)}) == []


def test_a_plain_boolean_field_without_default_is_still_not_null(run_hook: Callable[..., Any]) -> None:
    lines = findings(run_hook, {CASE: django(NULL_BOOLEAN.replace("NullBooleanField", "BooleanField"))})
    assert len(lines) == 1 and "AddField book.is_lent_temp is NOT NULL without a default" in lines[0]


def test_a_null_boolean_field_altered_to_a_boolean_field_is_set_not_null(run_hook: Callable[..., Any]) -> None:
    # the NULL the old field allowed is what SET NOT NULL scans for
    files = {"library/migrations/0002_lent.py": django(NULL_BOOLEAN),
             "library/migrations/0003_case.py": django('''
                 migrations.AlterField(model_name="book", name="is_lent_temp", field=models.BooleanField(default=False)),
             ''')}
    lines = findings(run_hook, files, "library/migrations/0003_case.py")
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
def test_a_many_to_many_under_another_name_adds_no_column(run_hook: Callable[..., Any], field: str) -> None:
    # nl-kat rocky: tagulous's TagField, a join table, read as a NOT NULL column
    text = django(TAGS.format(field=field), imports=f"import {field.rsplit('.', 1)[0]}")
    assert findings(run_hook, {CASE: text}) == []


def test_django_taggings_tag_field_is_a_column(run_hook: Callable[..., Any]) -> None:
    # django-tagging's TagField is a CharField: still a NOT NULL column
    text = django(TAGS.format(field="tagging.fields.TagField").replace("_set_tag_meta=True,", "max_length=255,")
                  .replace("blank=True,", ""), imports="import tagging.fields")
    lines = findings(run_hook, {CASE: text})
    assert len(lines) == 1 and "AddField book.tags is NOT NULL without a default" in lines[0]


# --- class 4c: Django migrations in an app folder under migrations/ (MIGRATION_MODULES) -----

NOT_NULL = '''
migrations.AddField(model_name="book", name="edition", field=models.IntegerField()),
'''


def test_a_migration_in_an_app_folder_under_migrations_is_read(run_hook: Callable[..., Any]) -> None:
    # "maasserver": "maasserver.migrations.maasserver", as require-reversible-migrations reads them
    path = "src/maasserver/migrations/maasserver/0002_case.py"
    lines = findings(run_hook, {path: django(NOT_NULL), "src/maasserver/migrations/__init__.py": "",
                                "src/maasserver/migrations/maasserver/__init__.py": ""}, path)
    assert len(lines) == 1 and lines[0].startswith(path + ":") and "NOT NULL without a default" in lines[0]


def test_a_module_in_an_app_folder_that_is_no_migration_is_left_alone(run_hook: Callable[..., Any]) -> None:
    path = "src/maasserver/migrations/maasserver/0002_helpers.py"
    assert findings(run_hook, {path: "def fill(apps, schema_editor):\n    pass\n"}, path) == []


def test_the_manifest_reads_app_folders_under_migrations_but_not_flask_migrate_versions() -> None:
    from hooks.config.paths import LOCKING_MIGRATION_FILES

    assert re.search(LOCKING_MIGRATION_FILES, "src/maasserver/migrations/maasserver/0002_case.py")
    assert re.search(LOCKING_MIGRATION_FILES, "migrations/versions/0002_case.py")  # as Alembic's, not Django's
    from hooks.checks.check_migration_locks.read import kind

    assert kind("src/maasserver/migrations/maasserver/0002_case.py") == "django"
    assert kind("migrations/versions/0002_case.py") != "django"
