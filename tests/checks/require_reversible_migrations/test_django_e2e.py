"""require-reversible-migrations against Django itself.

Each case is a tiny app: 0001_initial creates two models, 0002 holds the case.
One subprocess runs ``migrate <app>`` then ``migrate <app> zero`` for every app
on SQLite in tmp_path and says which ones raised ``IrreversibleError``. The
hook must report exactly those as irreversible. Where the hook is stricter (the
rollback runs but loses data: a no-op reverse of a destructive step,
RemoveField, DeleteModel, a narrowing AlterField, a dropped unique
constraint), Django rolls back without complaint and the hook reports it as
"lossy": that is the documented difference. For an irreversible step inside
SeparateDatabaseAndState, Django raises NotImplementedError half-way through
the rollback rather than IrreversibleError before it: counted as refusing.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hooks.checks.require_reversible_migrations.files import scan
from tests.checks.require_reversible_migrations.helpers import INITIAL, django

pytest.importorskip("django")
pytestmark = pytest.mark.e2e

HOOK_ID = "require-reversible-migrations"

DELETE_EMPTY = '''
def forwards(apps, schema_editor):
    Book = apps.get_model("library", "Book")
    Book.objects.filter(pages=0).delete()


def backwards(apps, schema_editor):
    Book = apps.get_model("library", "Book")
    Book.objects.filter(pages=0).update(pages=0)
'''

# case -> (operations, module functions, Django refuses to reverse, hook category or None)
CASES: dict[str, tuple[str, str, bool, object]] = {
    "run_python_no_reverse": ("migrations.RunPython(forwards),", DELETE_EMPTY, True, "irreversible"),
    "run_python_reverse": ("migrations.RunPython(forwards, backwards),", DELETE_EMPTY, False, None),
    "run_python_reverse_none": ("migrations.RunPython(forwards, None),", DELETE_EMPTY, True, "irreversible"),
    "run_sql_no_reverse": ('migrations.RunSQL("UPDATE library_book SET pages = 1 WHERE pages = 0;"),', "", True,
                           "irreversible"),
    "run_sql_reverse": ('migrations.RunSQL("CREATE INDEX library_ix_title ON library_book (title);", '
                        '"DROP INDEX library_ix_title;"),', "", False, None),
    "separate_inner_no_reverse": ('''
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL("CREATE INDEX library_ix_pages ON library_book (pages);")],
            state_operations=[],
        ),''', "", True, "irreversible"),
    "separate_inner_reverse": ('''
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL("CREATE INDEX library_ix_pages ON library_book (pages);",
                                                   "DROP INDEX library_ix_pages;")],
            state_operations=[migrations.RemoveField(model_name="book", name="summary")],
        ),''', "", False, None),
    # Stricter than Django: these roll back, without the data.
    "noop_reverse_of_delete": ("migrations.RunPython(forwards, migrations.RunPython.noop),", DELETE_EMPTY, False,
                               "lossy"),
    "run_sql_noop_reverse_of_delete": ('migrations.RunSQL("DELETE FROM library_book WHERE pages = 0;", '
                                       'migrations.RunSQL.noop),', "", False, "lossy"),
    "remove_field": ('migrations.RemoveField(model_name="book", name="summary"),', "", False, "lossy"),
    "delete_model": ('migrations.DeleteModel(name="Book"),', "", False, "lossy"),
    "alter_field_narrowing": ('migrations.AlterField(model_name="book", name="title", '
                              'field=models.CharField(max_length=50)),', "", False, "lossy"),
    "unique_removed": ('migrations.RemoveConstraint(model_name="author", name="unique_author_name"),', "", False,
                       "lossy"),
    "add_field": ('migrations.AddField(model_name="book", name="isbn", '
                  'field=models.CharField(max_length=13, null=True)),', "", False, None),
}

DRIVER = '''
import json, sys
import django
from django.conf import settings
from django.core.management import call_command
from django.db.migrations.exceptions import IrreversibleError

labels = sys.argv[1].split(",")
settings.configure(
    INSTALLED_APPS=labels,
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": sys.argv[2]}},
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    USE_TZ=True,
)
django.setup()
result = {}
for label in labels:
    call_command("migrate", label, verbosity=0)
    try:
        call_command("migrate", label, "zero", verbosity=0)
        result[label] = False
    except IrreversibleError:
        result[label] = True
    except NotImplementedError:
        # SeparateDatabaseAndState does not ask its inner operations before the
        # rollback starts: Django fails half-way, inside the transaction.
        result[label] = True
print(json.dumps(result))
'''


def _app(root: Path, label: str, ops: str, functions: str) -> Path:
    folder = root / label / "migrations"
    folder.mkdir(parents=True)
    (root / label / "__init__.py").write_text("")
    (root / label / "models.py").write_text("")
    (folder / "__init__.py").write_text("")
    (folder / "0001_initial.py").write_text(INITIAL.replace("library", label))
    change = folder / "0002_change.py"
    change.write_text(django(textwrap.dedent(ops), functions).replace("library", label))
    return change


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bool, list]]:
    root = tmp_path_factory.mktemp("djangoapps")
    paths = {name: _app(root, name, ops, functions) for name, (ops, functions, _, _) in CASES.items()}
    (root / "driver.py").write_text(DRIVER)
    done = subprocess.run(
        [sys.executable, "driver.py", ",".join(CASES), str(root / "db.sqlite3")],
        cwd=root, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    django_says = json.loads(done.stdout.strip().splitlines()[-1])
    ours = {}
    for name, path in paths.items():
        found = scan(str(path), (), False, 2_000_000)
        assert isinstance(found, list), found
        ours[name] = (django_says[name], sorted({issue.category for issue in found}))
    return ours


@pytest.mark.parametrize("case", list(CASES))
def test_agrees_with_django(verdicts: dict[str, tuple[bool, list]], case: str) -> None:
    django_irreversible, categories = verdicts[case]
    _, _, expected_django, expected_category = CASES[case]
    assert django_irreversible is expected_django, f"Django itself changed its mind on {case}"
    # Whatever Django refuses to reverse, we report as irreversible; nothing else.
    assert ("irreversible" in categories) is django_irreversible
    assert categories == ([expected_category] if expected_category else [])


def test_acknowledged_irreversible_passes_while_django_still_refuses(tmp_path: Path) -> None:
    ops = "# irreversible: rows with no pages were test fixtures\nmigrations.RunPython(forwards),"
    path = _app(tmp_path, "acked", ops, DELETE_EMPTY)
    assert scan(str(path), (), False, 2_000_000) == []
