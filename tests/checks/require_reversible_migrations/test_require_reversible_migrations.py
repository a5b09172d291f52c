"""require-reversible-migrations: catch / leave-alone pairs on files shaped like
``makemigrations`` and ``alembic revision --autogenerate`` output."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import pytest

from hooks.checks.require_reversible_migrations import report
from hooks.checks.require_reversible_migrations.common import Issue, destructive_sql, empty_sql
from hooks.checks.require_reversible_migrations.files import scan
from hooks.config.paths import REVERSIBLE_MIGRATION_FILES
from tests.checks.require_reversible_migrations.helpers import (
    ADD,
    DROP,
    ENV,
    FORWARD,
    INITIAL,
    RENAME,
    alembic,
    django,
)

HOOK_ID = "require-reversible-migrations"





def issues_of(tmp_path: Path, name: str, text: str, postgres: bool = False,
              files: dict[str, str] | None = None, sql_globs: tuple = ("*.up.sql",)) -> list[Issue] | None:
    for extra, content in {**(files or {})}.items():
        (tmp_path / extra).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / extra).write_text(content)
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    found = scan(str(path), sql_globs, postgres, 2_000_000)
    assert not isinstance(found, tuple), found
    return found


def djissues(tmp_path: Path, ops: str, functions: str = "", postgres: bool = False) -> list[str]:
    """The kinds found in library/migrations/0002_change.py, after 0001_initial."""
    found = issues_of(tmp_path, "library/migrations/0002_change.py", django(ops, functions), postgres,
                      {"library/migrations/0001_initial.py": INITIAL, "library/migrations/__init__.py": ""})
    assert found is not None
    return [issue.kind for issue in found]


# --- Django: what Django itself cannot reverse ------------------------------------



def test_run_python_without_reverse_is_caught(tmp_path: Path) -> None:
    assert djissues(tmp_path, "migrations.RunPython(forwards),", FORWARD) == ["no-reverse"]


def test_run_python_with_reverse_passes(tmp_path: Path) -> None:
    assert djissues(tmp_path, "migrations.RunPython(forwards, backwards),", FORWARD) == []
    assert djissues(tmp_path, "migrations.RunPython(code=forwards, reverse_code=backwards),", FORWARD) == []


def test_run_python_reverse_none_is_caught(tmp_path: Path) -> None:
    assert djissues(tmp_path, "migrations.RunPython(forwards, reverse_code=None),", FORWARD) == ["no-reverse"]


def test_run_sql_without_reverse_is_caught(tmp_path: Path) -> None:
    ops = 'migrations.RunSQL("CREATE INDEX book_title_lower ON library_book (lower(title));"),'
    assert djissues(tmp_path, ops) == ["no-reverse"]


def test_run_sql_with_reverse_passes(tmp_path: Path) -> None:
    ops = '''
    migrations.RunSQL(
        sql="CREATE INDEX book_title_lower ON library_book (lower(title));",
        reverse_sql="DROP INDEX book_title_lower;",
    ),'''
    assert djissues(tmp_path, ops) == []


def test_separate_database_and_state_inner_run_sql_is_caught(tmp_path: Path) -> None:
    ops = '''
    migrations.SeparateDatabaseAndState(
        database_operations=[
            migrations.RunSQL("ALTER TABLE library_book RENAME TO library_volume;"),
        ],
        state_operations=[
            migrations.RenameModel(old_name="Book", new_name="Volume"),
        ],
    ),'''
    assert djissues(tmp_path, ops) == ["no-reverse"]


def test_separate_database_and_state_reversible_inner_passes(tmp_path: Path) -> None:
    # A RemoveField in state_operations touches no column: no data is lost.
    ops = '''
    migrations.SeparateDatabaseAndState(
        database_operations=[
            migrations.RunSQL(
                "ALTER TABLE library_book RENAME TO library_volume;",
                "ALTER TABLE library_volume RENAME TO library_book;",
            ),
        ],
        state_operations=[
            migrations.RemoveField(model_name="book", name="summary"),
        ],
    ),'''
    assert djissues(tmp_path, ops) == []


# --- Django: reverses that run but do not bring the data back -------------------------


@pytest.mark.parametrize("body", [
    'Book.objects.filter(pages=0).delete()',
    'Book.objects.filter(pages=0).update(pages=1)',
    'books = Book.objects.filter(pages=0)\n    books.update(pages=1)',
    'Book.objects.bulk_update(list(Book.objects.all()), ["pages"])',
    'schema_editor.execute("DELETE FROM library_book WHERE pages = 0")',
    'schema_editor.execute("UPDATE library_book SET pages = 1")',
    'schema_editor.execute("TRUNCATE library_book")',
    'for book in Book.objects.all():\n        book.delete()',
])
def test_noop_reverse_of_destructive_forward_is_caught(tmp_path: Path, body: str) -> None:
    functions = f'''
def forwards(apps, schema_editor):
    Book = apps.get_model("library", "Book")
    {body}
'''
    assert djissues(tmp_path, "migrations.RunPython(forwards, migrations.RunPython.noop),", functions) == ["noop-reverse"]


def test_noop_reverse_follows_helpers_in_the_same_module(tmp_path: Path) -> None:
    functions = '''
def purge(model):
    model.objects.filter(pages=0).delete()


def forwards(apps, schema_editor):
    purge(apps.get_model("library", "Book"))


def backwards(apps, schema_editor):
    pass
'''
    assert djissues(tmp_path, "migrations.RunPython(forwards, backwards),", functions) == ["noop-reverse"]


@pytest.mark.parametrize("body", [
    'Book.objects.bulk_create([Book(title="Intro", pages=1, price=1)])',
    'defaults = {}\n    defaults.update(pages=1)',  # dict.update is not a queryset update
    'print(Book.objects.count())',
])
def test_noop_reverse_of_harmless_forward_passes(tmp_path: Path, body: str) -> None:
    functions = f'''
def forwards(apps, schema_editor):
    Book = apps.get_model("library", "Book")
    {body}
'''
    assert djissues(tmp_path, "migrations.RunPython(forwards, migrations.RunPython.noop),", functions) == []


def test_noop_reverse_filling_a_column_added_here_or_just_before_passes(tmp_path: Path) -> None:
    functions = """
def fill_isbn(apps, schema_editor):
    Book = apps.get_model("library", "Book")
    Book.objects.filter(isbn__isnull=True).update(isbn="unknown")
"""
    add = 'migrations.AddField(model_name="book", name="isbn", field=models.CharField(max_length=13, null=True)),'
    run = "migrations.RunPython(fill_isbn, migrations.RunPython.noop),"
    assert djissues(tmp_path, f"{add}\n{run}", functions) == []
    # The same fill one migration later: still only a column that the migration it depends on added.
    folder = tmp_path / "later" / "library" / "migrations"
    later = django(run, functions).replace("0001_initial", "0002_add_isbn")
    found = issues_of(tmp_path / "later", "library/migrations/0003_fill.py", later, files={
        "library/migrations/0001_initial.py": INITIAL, "library/migrations/0002_add_isbn.py": django(add)})
    assert found == []
    # Rewriting a column that was there before is lossy.
    rewrite = functions.replace('update(isbn="unknown")', 'update(title="unknown")')
    assert djissues(tmp_path / "third", run, rewrite) == ["noop-reverse"]
    assert folder.is_dir()


@pytest.mark.parametrize("reverse", ['""', "migrations.RunSQL.noop", "[]", '"SELECT 1;"'])
def test_run_sql_noop_reverse_of_destructive_sql_is_caught(tmp_path: Path, reverse: str) -> None:
    ops = f'migrations.RunSQL("DELETE FROM library_book WHERE pages = 0;", {reverse}),'
    assert djissues(tmp_path, ops) == ["noop-reverse"]


def test_run_sql_noop_reverse_of_harmless_sql_passes(tmp_path: Path) -> None:
    ops = 'migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm;", migrations.RunSQL.noop),'
    assert djissues(tmp_path, ops) == []


def test_remove_field_and_delete_model_are_caught(tmp_path: Path) -> None:
    ops = '''
    migrations.RemoveField(
        model_name="book",
        name="summary",
    ),
    migrations.DeleteModel(
        name="Author",
    ),'''
    assert djissues(tmp_path, ops) == ["remove-field", "delete-model"]


def test_remove_field_after_a_copy_with_a_real_reverse_passes(tmp_path: Path) -> None:
    # add new, copy (and copy back on rollback), remove old: the textbook reversible move.
    ops = '''
    migrations.AddField(model_name="book", name="blurb", field=models.TextField(blank=True)),
    migrations.RunPython(forwards, backwards),
    migrations.RemoveField(model_name="book", name="summary"),'''
    assert djissues(tmp_path, ops, FORWARD) == []
    assert djissues(tmp_path / "noop", ops.replace("backwards", "migrations.RunPython.noop"), FORWARD) == [
        "remove-field"]


def test_add_field_passes(tmp_path: Path) -> None:
    ops = '''
    migrations.AddField(
        model_name="book",
        name="subtitle",
        field=models.CharField(blank=True, max_length=255),
    ),'''
    assert djissues(tmp_path, ops) == []


@pytest.mark.parametrize("field", [
    "models.CharField(max_length=100)",  # 255 -> 100
    "models.TextField()",  # widening is fine, but see summary below
])
def test_alter_field_narrowing_title(tmp_path: Path, field: str) -> None:
    ops = f'migrations.AlterField(model_name="book", name="title", field={field}),'
    assert djissues(tmp_path, ops) == (["narrowing"] if "100" in field else [])


@pytest.mark.parametrize("name, field, narrowing", [
    ("summary", "models.CharField(blank=True, max_length=500)", True),  # text -> varchar(500)
    ("pages", "models.SmallIntegerField(default=0)", True),
    ("pages", "models.BigIntegerField(default=0)", False),
    ("price", "models.DecimalField(decimal_places=0, max_digits=8)", True),
    ("price", "models.DecimalField(decimal_places=2, max_digits=12)", False),
    ("title", "models.CharField(max_length=255, help_text='Shown on the cover')", False),
    ("title", "models.IntegerField()", True),
])
def test_alter_field_narrowing(tmp_path: Path, name: str, field: str, narrowing: bool) -> None:
    ops = f'migrations.AlterField(model_name="book", name="{name}", field={field}),'
    assert djissues(tmp_path, ops) == (["narrowing"] if narrowing else [])


def test_alter_field_without_history_is_not_judged(tmp_path: Path) -> None:
    ops = 'migrations.AlterField(model_name="shelf", name="label", field=models.CharField(max_length=10)),'
    assert djissues(tmp_path, ops) == []


def test_unique_removal_is_caught(tmp_path: Path) -> None:
    ops = '''
    migrations.AlterField(
        model_name="author",
        name="email",
        field=models.EmailField(max_length=254),
    ),
    migrations.AlterUniqueTogether(
        name="book",
        unique_together=set(),
    ),
    migrations.RemoveConstraint(
        model_name="author",
        name="unique_author_name",
    ),'''
    assert djissues(tmp_path, ops) == ["unique-removed", "unique-removed", "unique-removed"]


def test_unique_together_renamed_or_made_stricter_passes(tmp_path: Path) -> None:
    ops = '''
    migrations.RenameField(model_name="book", old_name="author", new_name="writer"),
    migrations.AlterUniqueTogether(name="book", unique_together={("writer", "title")}),'''
    assert djissues(tmp_path, ops) == []
    stricter = 'migrations.AlterUniqueTogether(name="book", unique_together={("title",)}),'
    assert djissues(tmp_path / "stricter", stricter) == []
    looser = 'migrations.AlterUniqueTogether(name="book", unique_together={("author", "title", "pages")}),'
    assert djissues(tmp_path / "looser", looser) == ["unique-removed"]


def test_unique_moved_to_a_constraint_or_check_removed_passes(tmp_path: Path) -> None:
    ops = '''
    migrations.AlterUniqueTogether(
        name="book",
        unique_together=set(),
    ),
    migrations.AddConstraint(
        model_name="book",
        constraint=models.UniqueConstraint(fields=("author", "title"), name="unique_book_title"),
    ),
    migrations.RemoveConstraint(
        model_name="book",
        name="pages_not_negative",
    ),'''
    assert djissues(tmp_path, ops) == []


# --- acknowledgements ------------------------------------------------------------


@pytest.mark.parametrize("where", ["above", "inside", "function", "class"])
def test_irreversible_reason_acknowledges(tmp_path: Path, where: str) -> None:
    note = "# irreversible: summaries were copied into the search index in 0041"
    ops = "migrations.RunPython(forwards),"
    functions = FORWARD
    if where == "above":
        ops = f"{note}\n{ops}"
    elif where == "inside":
        ops = f"migrations.RunPython(\n    {note}\n    forwards,\n),"
    elif where == "function":
        functions = FORWARD.replace("def forwards", f"{note}\ndef forwards")
    text = django(ops, functions)
    if where == "class":
        text = text.replace("class Migration", f"{note}\nclass Migration")
    found = issues_of(tmp_path, "library/migrations/0002_change.py", text,
                      files={"library/migrations/0001_initial.py": INITIAL})
    assert found == []


@pytest.mark.parametrize("reason", ["", "TODO", "todo: explain", "n/a", "???"])
def test_placeholder_reason_is_rejected(tmp_path: Path, reason: str) -> None:
    ops = f"# irreversible: {reason}\nmigrations.RemoveField(model_name='book', name='summary'),"
    found = issues_of(tmp_path, "library/migrations/0002_change.py", django(ops),
                      files={"library/migrations/0001_initial.py": INITIAL})
    assert found is not None and [i.kind for i in found] == ["remove-field"]
    assert "is not a reason" in found[0].short


def test_reason_on_another_operation_does_not_cover(tmp_path: Path) -> None:
    ops = '''
    # irreversible: nobody reads subtitles
    migrations.RemoveField(model_name="book", name="summary"),
    migrations.AddField(model_name="book", name="isbn", field=models.CharField(max_length=13, null=True)),
    migrations.DeleteModel(name="Author"),'''
    assert djissues(tmp_path, ops) == ["delete-model"]


# --- Django with --postgres ------------------------------------------------------------

INDEX = 'migrations.AddIndex(model_name="book", index=models.Index(fields=["title"], name="book_title_idx")),'


def test_add_index_locks_only_with_postgres(tmp_path: Path) -> None:
    assert djissues(tmp_path, INDEX, postgres=True) == ["add-index"]
    assert djissues(tmp_path, INDEX) == []


def test_add_index_concurrently_passes(tmp_path: Path) -> None:
    ops = ('AddIndexConcurrently(model_name="book", '
           'index=models.Index(fields=["title"], name="book_title_idx")),')
    assert djissues(tmp_path, ops, postgres=True) == []


def test_add_index_on_a_model_created_in_the_same_migration_passes(tmp_path: Path) -> None:
    ops = '''
    migrations.CreateModel(
        name="Shelf",
        fields=[("id", models.BigAutoField(primary_key=True, serialize=False)), ("label", models.CharField(max_length=20))],
    ),
    migrations.AddIndex(model_name="shelf", index=models.Index(fields=["label"], name="shelf_label_idx")),'''
    assert djissues(tmp_path, ops, postgres=True) == []


@pytest.mark.parametrize("field, caught", [
    ("models.CharField(max_length=13)", True),
    ("models.CharField(default='', max_length=13)", False),
    ("models.CharField(max_length=13, null=True)", False),
    ("models.IntegerField(default=0)", False),
    ("models.ManyToManyField(to='library.author')", False),
    ("models.CharField(blank=True, max_length=13)", False),  # Django fills '' itself
    ("taggit.managers.TaggableManager(through='extras.TaggedItem', to='extras.Tag')", False),
    ("models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='library.author')", True),
])
def test_not_null_column_without_default(tmp_path: Path, field: str, caught: bool) -> None:
    ops = f'migrations.AddField(model_name="book", name="isbn", field={field}),'
    assert djissues(tmp_path, ops, postgres=True) == (["not-null-no-default"] if caught else [])


@pytest.mark.parametrize("name, field, caught", [
    ("pages", "models.BigIntegerField(default=0)", True),
    ("title", "models.CharField(max_length=500)", False),  # varchar widening: no rewrite
    ("title", "models.TextField()", False),
    ("title", "models.CharField(max_length=255, db_index=True)", False),
    ("summary", "models.JSONField(default=dict)", True),  # text -> jsonb converts every row
    ("summary", "myapp.fields.SanitizedTextField(blank=True)", False),  # a custom field: cannot tell
    ("price", "models.DecimalField(decimal_places=3, max_digits=12)", True),
])
def test_alter_field_rewrite(tmp_path: Path, name: str, field: str, caught: bool) -> None:
    ops = f'migrations.AlterField(model_name="book", name="{name}", field={field}),'
    assert djissues(tmp_path, ops, postgres=True) == (["rewrite"] if caught else [])


# --- Alembic -----------------------------------------------------------------------------





def alissues(tmp_path: Path, upgrade: str, downgrade: str | None, postgres: bool = False) -> list[str]:
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(upgrade, downgrade),
                      postgres, {"migrations/env.py": ENV})
    assert found is not None
    return [issue.kind for issue in found]




def test_autogenerated_pair_passes(tmp_path: Path) -> None:
    assert alissues(tmp_path, ADD, DROP) == []


@pytest.mark.parametrize("downgrade, kind", [
    (None, "no-downgrade"),
    ("pass", "empty-downgrade"),
    ('"""Nothing to do."""', "empty-downgrade"),
    ("raise NotImplementedError()", "downgrade-raises"),
    ("raise NotImplementedError('one way only')", "downgrade-raises"),
])
def test_downgrade_missing_empty_or_raising_is_caught(tmp_path: Path, downgrade: str | None, kind: str) -> None:
    assert alissues(tmp_path, RENAME, downgrade) == [kind]


def test_merge_revision_with_empty_upgrade_and_downgrade_passes(tmp_path: Path) -> None:
    assert alissues(tmp_path, "pass", "pass") == []


def test_drop_table_not_recreated_is_caught(tmp_path: Path) -> None:
    assert alissues(tmp_path, "op.drop_table('legacy_audit')", "pass\n") == ["empty-downgrade"]
    assert alissues(tmp_path, "op.drop_table('legacy_audit')", "op.create_table('audit', sa.Column('id', sa.Integer()))") == ["drop-table"]


def test_drop_table_recreated_passes(tmp_path: Path) -> None:
    downgrade = """
    op.create_table('legacy_audit',
    sa.Column('id', sa.INTEGER(), autoincrement=True, nullable=False),
    sa.Column('action', sa.VARCHAR(length=50), autoincrement=False, nullable=True),
    sa.PrimaryKeyConstraint('id', name='legacy_audit_pkey')
    )"""
    assert alissues(tmp_path, "op.drop_table('legacy_audit')", downgrade) == []


def test_drop_column_not_re_added_is_caught(tmp_path: Path) -> None:
    upgrade = f"{DROP}\nop.drop_column('book', 'subtitle')"
    downgrade = "op.add_column('book', sa.Column('isbn', sa.VARCHAR(length=13), autoincrement=False, nullable=True))"
    assert alissues(tmp_path, upgrade, downgrade) == ["drop-column"]


def test_batch_drop_column(tmp_path: Path) -> None:
    upgrade = """
    with op.batch_alter_table('book', schema=None) as batch_op:
        batch_op.drop_column('isbn')"""
    readd = """
    with op.batch_alter_table('book', schema=None) as batch_op:
        batch_op.add_column(sa.Column('isbn', sa.VARCHAR(length=13), nullable=True))"""
    other = """
    with op.batch_alter_table('author', schema=None) as batch_op:
        batch_op.add_column(sa.Column('isbn', sa.VARCHAR(length=13), nullable=True))"""
    assert alissues(tmp_path, upgrade, readd) == []
    assert alissues(tmp_path, upgrade, other) == ["drop-column"]


def test_data_rewriting_execute_without_reverse_is_caught(tmp_path: Path) -> None:
    upgrade = f"{ADD}\nop.execute(\"DELETE FROM book WHERE pages = 0\")"
    assert alissues(tmp_path, upgrade, DROP) == ["data-step"]
    upgrade = "op.execute(\"UPDATE book SET title = upper(title)\")"
    assert alissues(tmp_path, f"{ADD}\n{upgrade}", DROP) == ["data-step"]


def test_execute_filling_a_new_column_or_with_a_reverse_passes(tmp_path: Path) -> None:
    fill = "op.execute(\"UPDATE book SET isbn = 'unknown'\")"
    assert alissues(tmp_path, f"{ADD}\n{fill}", DROP) == []
    rewrite = "op.execute(\"UPDATE book SET title = upper(title)\")"
    undo = "op.execute(\"UPDATE book SET title = initcap(title)\")"
    assert alissues(tmp_path, f"{ADD}\n{rewrite}", f"{undo}\n{DROP}") == []


def test_irreversible_reason_in_downgrade_acknowledges(tmp_path: Path) -> None:
    downgrade = "# irreversible: the audit rows were exported to the warehouse first\npass"
    assert alissues(tmp_path, "op.drop_table('legacy_audit')", downgrade) == []
    assert alissues(tmp_path, "op.drop_table('legacy_audit')", "# irreversible: TODO\npass") == ["empty-downgrade"]


@pytest.mark.parametrize("upgrade, caught", [
    ("op.create_index(op.f('ix_book_title'), 'book', ['title'], unique=False)", True),
    ("op.create_index('ix_book_title', 'book', ['title'], postgresql_concurrently=True)", False),
    ("op.create_table('shelf', sa.Column('id', sa.Integer(), nullable=False))\n"
     "op.create_index(op.f('ix_shelf_id'), 'shelf', ['id'], unique=False)", False),
])
def test_alembic_index_without_concurrently(tmp_path: Path, upgrade: str, caught: bool) -> None:
    downgrade = "op.drop_index(op.f('ix_book_title'), table_name='book')\nop.drop_table('shelf')"
    assert alissues(tmp_path, upgrade, downgrade, postgres=True) == (["add-index"] if caught else [])
    assert alissues(tmp_path, upgrade, downgrade) == []


@pytest.mark.parametrize("column, caught", [
    ("sa.Column('isbn', sa.String(length=13), nullable=False)", True),
    ("sa.Column('isbn', sa.String(length=13), nullable=False, server_default='')", False),
    ("sa.Column('isbn', sa.String(length=13), nullable=True)", False),
])
def test_alembic_not_null_without_default(tmp_path: Path, column: str, caught: bool) -> None:
    kinds = alissues(tmp_path, f"op.add_column('book', {column})", DROP, postgres=True)
    assert kinds == (["not-null-no-default"] if caught else [])


@pytest.mark.parametrize("alter, caught", [
    ("op.alter_column('book', 'pages', existing_type=sa.INTEGER(), type_=sa.BigInteger())", True),
    ("op.alter_column('book', 'title', existing_type=sa.VARCHAR(length=50), type_=sa.String(length=200))", False),
    ("op.alter_column('book', 'title', existing_type=sa.VARCHAR(length=50), nullable=True)", False),
])
def test_alembic_type_change_rewrites(tmp_path: Path, alter: str, caught: bool) -> None:
    kinds = alissues(tmp_path, alter, alter.replace("type_", "existing_type_"), postgres=True)
    assert kinds == (["rewrite"] if caught else [])


def test_versions_folder_without_env_py_or_alembic_ini_is_skipped(tmp_path: Path) -> None:
    path = "docs/versions/1.py"
    assert issues_of(tmp_path, path, alembic(ADD, None)) is None


def test_alembic_ini_script_location_is_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ini = "[alembic]\nscript_location = %(here)s/db/alembic\nsqlalchemy.url = driver://user:pass@localhost/dbname\n"
    found = issues_of(tmp_path, "db/alembic/versions/3f2a_change.py", alembic(ADD, None), files={"alembic.ini": ini})
    assert found is not None and [i.kind for i in found] == ["no-downgrade"]


@pytest.mark.parametrize("name", ["src/app/_migrations/versions/postgresql/2023_01_25_9326_add_state.py",
                                  "neutron/db/migration/versions/2024.1/expand/a1b2_add_port_col.py"])
def test_revisions_a_folder_or_two_below_versions_are_read(tmp_path: Path, name: str) -> None:
    # Prefect keeps one versions/ subfolder per dialect, neutron one per release and phase
    script = name.split("/versions/")[0]
    found = issues_of(tmp_path, name, alembic(ADD, None), files={f"{script}/env.py": "# alembic env\n"})
    assert found is not None and [i.kind for i in found] == ["no-downgrade"]
    # without an Alembic environment above them they are not migrations
    other = tmp_path / "other"
    other.mkdir()
    assert issues_of(other, "api/versions/v1/views.py", alembic(ADD, None)) is None


def test_the_base_revision_needs_no_downgrade(tmp_path: Path) -> None:
    # neutron's kilo_initial: below the first revision there is no schema to go back to
    base = alembic(ADD, None).replace("down_revision = '1a2b3c4d5e6f'", "down_revision = None")
    found = issues_of(tmp_path, "db/alembic/versions/kilo_initial.py", base, files={"db/alembic/env.py": "# env\n"})
    assert found == []
    later = issues_of(tmp_path, "db/alembic/versions/3f2a_change.py", alembic(ADD, None))
    assert later is not None and [i.kind for i in later] == ["no-downgrade"]


# --- plain SQL -----------------------------------------------------------------------------


def test_sql_up_without_down_is_caught(tmp_path: Path) -> None:
    found = issues_of(tmp_path, "migrations/000042_add_isbn.up.sql", "ALTER TABLE book ADD COLUMN isbn text;\n")
    assert found is not None and [i.kind for i in found] == ["no-down-sql"]


def test_sql_empty_down_is_caught_and_real_down_passes(tmp_path: Path) -> None:
    up = "ALTER TABLE book ADD COLUMN isbn text;\n"
    files = {"migrations/000042_add_isbn.down.sql": "-- nothing\n"}
    found = issues_of(tmp_path, "migrations/000042_add_isbn.up.sql", up, files=files)
    assert found is not None and [i.kind for i in found] == ["empty-down-sql"]
    files = {"migrations/000042_add_isbn.down.sql": "ALTER TABLE book DROP COLUMN isbn;\n"}
    assert issues_of(tmp_path, "migrations/000042_add_isbn.up.sql", up, files=files) == []


def test_sql_acknowledged_and_glob_setting(tmp_path: Path) -> None:
    up = "-- irreversible: the legacy table was archived to S3 before this ran\nDROP TABLE legacy_audit;\n"
    assert issues_of(tmp_path, "migrations/000043_drop_audit.up.sql", up) == []
    other = issues_of(tmp_path, "db/000044_x.up.sql", "DROP TABLE t;", sql_globs=("migrations/*.up.sql",))
    assert other is None


# --- output -------------------------------------------------------------------------------


def test_one_line_per_migration_unless_verbose(tmp_path: Path) -> None:
    ops = "\n".join(f'migrations.RemoveField(model_name="book", name="f{n}"),' for n in range(5))
    found = issues_of(tmp_path, "library/migrations/0002_change.py", django(ops))
    assert found is not None and len(found) == 5
    summary = list(report(found, verbose=False))
    assert len(summary) == 1
    assert "RemoveField book.f0 loses the column's data" in summary[0].message
    assert "and 2 more (--verbose lists each)" in summary[0].message
    assert "# irreversible: <reason>" in summary[0].message
    assert len(list(report(found, verbose=True))) == 5


def test_identity_has_no_line_numbers(tmp_path: Path) -> None:
    ops = 'migrations.RemoveField(model_name="book", name="summary"),'
    first = list(report(issues_of(tmp_path, "library/migrations/0002_change.py", django(ops)) or [], False))
    moved = list(report(issues_of(tmp_path, "library/migrations/0002_change.py", "\n\n" + django(ops)) or [], False))
    assert first[0].identity == moved[0].identity and first[0].line != moved[0].line


# --- bad input and the file pattern ---------------------------------------------------------


def test_syntax_error_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "library/migrations/0003_broken.py"
    path.parent.mkdir(parents=True)
    path.write_text("class Migration(migrations.Migration:\n")
    found = scan(str(path), (), False, 2_000_000)
    assert isinstance(found, tuple) and found[1].startswith("cannot parse Python")


@pytest.mark.parametrize("name, data", [
    ("library/migrations/0003_binary.py", b"\x00\x01\x02"),
    ("library/migrations/0003_latin1.py", "# caf\xe9\n".encode("latin-1")),
    ("library/migrations/0003_empty.py", b""),
    ("library/models.py", b"class Migration: pass\n"),
])
def test_bad_or_unrelated_files_are_skipped(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    assert scan(str(path), (), False, 2_000_000) in (None, [])


def test_migration_files_pattern() -> None:
    import re

    pattern = re.compile(REVERSIBLE_MIGRATION_FILES)
    for name in ("library/migrations/0002_change.py", "migrations/versions/3f2a_add.py",
                 "alembic/versions/2023_11_20_add.py", "db/migrations/000042_add.up.sql",
                 "db/migrations/000042_add.down.sql", "src/maasserver/migrations/maasserver/0004_migrate.py"):
        assert pattern.search(name), name
    for name in ("library/migrations/__init__.py", "library/models.py", "docs/migrations.md", "schema.sql",
                 "src/maasserver/migrations/maasserver/__init__.py", "library/migrations/tests/helpers.py"):
        assert not pattern.search(name), name


def test_sql_helpers() -> None:
    assert destructive_sql("delete from book where id = 1") == "DELETE"
    assert destructive_sql("ALTER TABLE book DROP COLUMN isbn") == "DROP"
    assert destructive_sql("UPDATE book b SET pages = 0") == "UPDATE"
    assert destructive_sql("ALTER TABLE book ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES t ON DELETE CASCADE ON UPDATE SET NULL") is None
    assert destructive_sql("ALTER TABLE book DROP CONSTRAINT book_pages_check") is None
    assert destructive_sql("CREATE INDEX ix ON book (title) -- DELETE later") is None
    assert empty_sql("-- nothing to undo\n;") and empty_sql("SELECT 1;") and not empty_sql("DROP TABLE t;")


# --- through the runner, in-process ---------------------------------------------------------


def test_main_reports_one_line_per_migration_and_exits_1(run_hook: Callable[..., Any]) -> None:
    # RemoveField is reversed by Django itself: reported only with --data-loss (issue 21).
    ops = "\n".join(f'migrations.RemoveField(model_name="book", name="f{n}"),' for n in range(4))
    files = {"library/migrations/0001_initial.py": INITIAL, "library/migrations/0002_change.py": django(ops)}
    assert run_hook(HOOK_ID, *files, files=files).code == 0
    result = run_hook(HOOK_ID, "--data-loss", *files)
    out = result.out.strip().splitlines()
    assert result.code == 1 and len(out) == 1
    assert out[0].startswith(f"library/migrations/0002_change.py:14:9: {HOOK_ID}: migration cannot be fully rolled")
    verbose = run_hook(HOOK_ID, "--verbose", "--data-loss", "library/migrations/0002_change.py")
    assert verbose.code == 1 and len(verbose.out.strip().splitlines()) == 4
    no_reverse = {"library/migrations/0003_fill.py": django("migrations.RunPython(forwards),", FORWARD)}
    result = run_hook(HOOK_ID, "library/migrations/0003_fill.py", files=no_reverse)
    assert result.code == 1 and "RunPython(forwards) has no reverse" in result.out


def test_main_postgres_setting_and_clean_exit(run_hook: Callable[..., Any]) -> None:
    files = {"library/migrations/0001_initial.py": INITIAL, "library/migrations/0002_change.py": django(INDEX)}
    assert run_hook(HOOK_ID, "library/migrations/0002_change.py", files=files).code == 0
    settings = {"pyproject.toml": f'[tool.legacy-config-hooks.{HOOK_ID}]\npostgres = true\n'}
    result = run_hook(HOOK_ID, "library/migrations/0002_change.py", files=settings)
    assert result.code == 1 and "AddIndex book builds an index without CONCURRENTLY" in result.out


def test_main_suppression_marker_on_the_reported_line(run_hook: Callable[..., Any]) -> None:
    ops = f'# legacy-config: ignore[{HOOK_ID}]\nmigrations.RemoveField(model_name="book", name="summary"),'
    files = {"library/migrations/0002_change.py": django(ops)}
    assert run_hook(HOOK_ID, "library/migrations/0002_change.py", files=files).code == 0


def test_main_unknown_setting_is_a_usage_error(run_hook: Callable[..., Any]) -> None:
    settings = {"pyproject.toml": f'[tool.legacy-config-hooks.{HOOK_ID}]\npostgress = true\n'}
    result = run_hook(HOOK_ID, files=settings)
    assert result.code == 2 and "postgres" in result.err


def test_manifest_files_is_migration_files() -> None:
    from tests.helpers.manifest import HOOKS

    entry = next(h for h in HOOKS if h["id"] == HOOK_ID)
    assert entry["files"] == REVERSIBLE_MIGRATION_FILES


def test_squashed_or_initial_migrations_skip_the_locking_checks(tmp_path: Path) -> None:
    text = django(INDEX).replace("    dependencies", "    replaces = [(\"library\", \"0002_a\"), (\"library\", \"0003_b\")]\n\n    dependencies")
    found = issues_of(tmp_path, "library/migrations/0002_squashed_0003.py", text, postgres=True,
                      files={"library/migrations/0001_initial.py": INITIAL})
    assert found == []


def test_sqlalchemy_update_construct_without_reverse_is_caught(tmp_path: Path) -> None:
    upgrade = """
    book = sa.table("book", sa.column("title", sa.String))
    conn = op.get_bind()
    conn.execute(book.update().values(title=sa.func.upper(book.c.title)))"""
    assert alissues(tmp_path, upgrade, "pass\nop.drop_index('x')") == ["data-step"]


def test_alembic_raw_index_and_other_dialect_types_with_postgres(tmp_path: Path) -> None:
    raw = 'op.execute("CREATE INDEX ix_book_title ON book (title)")'
    assert alissues(tmp_path, raw, "op.drop_index('ix_book_title')", postgres=True) == ["add-index"]
    concurrent = 'op.execute("CREATE INDEX CONCURRENTLY ix_book_title ON book (title)")'
    assert alissues(tmp_path, concurrent, "op.drop_index('ix_book_title')", postgres=True) == []
    mysql = "op.alter_column('book', 'created', type_=mysql.DATETIME(fsp=6))"
    assert alissues(tmp_path, mysql, "op.alter_column('book', 'created', type_=mysql.DATETIME())", postgres=True) == []


def test_alembic_reason_on_the_dropping_line(tmp_path: Path) -> None:
    upgrade = "# irreversible: the archive job copied legacy_audit to cold storage\nop.drop_table('legacy_audit')"
    assert alissues(tmp_path, upgrade, "op.create_table('other', sa.Column('id', sa.Integer()))") == []


def test_column_re_added_under_a_new_name_counts(tmp_path: Path) -> None:
    upgrade = """
    op.add_column('book', sa.Column('new_id', postgresql.UUID(as_uuid=True)))
    op.execute('UPDATE book SET new_id = uuid_generate_v4()')
    op.drop_column('book', 'id')
    op.alter_column('book', 'new_id', new_column_name='id')"""
    downgrade = """
    op.add_column('book', sa.Column('old_id', sa.Integer, autoincrement=True))
    op.execute("UPDATE book SET old_id = nextval('book_id_seq')")
    op.drop_column('book', 'id')
    op.alter_column('book', 'old_id', new_column_name='id')"""
    assert alissues(tmp_path, upgrade, downgrade) == []
    assert alissues(tmp_path / "lost", upgrade, downgrade.replace("new_column_name='id'", "new_column_name='pk'")) == [
        "drop-column"]


def test_verbose_says_what_was_not_a_migration(run_hook: Callable[..., Any]) -> None:
    files = {"docs/versions/1.py": "def upgrade():\n    pass\n"}
    quiet = run_hook(HOOK_ID, "docs/versions/1.py", files=files)
    assert quiet.code == 0 and quiet.err == ""
    loud = run_hook(HOOK_ID, "--verbose", "docs/versions/1.py")
    assert loud.code == 0 and "docs/versions/1.py: skipped: not a Django migration" in loud.err


# --- issue 21: the default agrees with the framework's idea of reversible -----------------

PURGE = """
def purge_duplicates(apps, schema_editor):
    Bookmark = apps.get_model("library", "Book")
    seen = set()
    for book in Bookmark.objects.order_by("id"):
        if (book.author_id, book.title) in seen:
            book.delete()
        seen.add((book.author_id, book.title))
"""


@pytest.mark.parametrize("ops, functions", [
    ("migrations.RunPython(purge_duplicates, migrations.RunPython.noop),", PURGE),
    ("migrations.RunPython(purge_duplicates, reverse_code=migrations.RunPython.noop),", PURGE),
    ('migrations.RunSQL("DELETE FROM library_book WHERE title = \'\'", migrations.RunSQL.noop),', ""),
    ('migrations.RemoveField(model_name="book", name="summary"),', ""),
    ('migrations.DeleteModel(name="Author"),', ""),
    ('migrations.AlterField(model_name="book", name="title", field=models.CharField(max_length=100)),', ""),
    ('migrations.RemoveConstraint(model_name="author", name="unique_author_name"),', ""),
])
def test_framework_reversible_steps_pass_by_default_and_data_loss_reports_them(
        run_hook: Callable[..., Any], ops: str, functions: str) -> None:
    files = {"library/migrations/0001_initial.py": INITIAL, "library/migrations/0002_change.py": django(ops, functions)}
    assert run_hook(HOOK_ID, "library/migrations/0002_change.py", files=files).code == 0
    strict = run_hook(HOOK_ID, "--data-loss", "library/migrations/0002_change.py")
    assert strict.code == 1 and "0002_change.py" in strict.out
    settings = {"pyproject.toml": f"[tool.legacy-config-hooks.{HOOK_ID}]\ndata-loss = true\n"}
    assert run_hook(HOOK_ID, "library/migrations/0002_change.py", files=settings).code == 1


def test_a_do_nothing_reverse_function_passes_and_a_missing_one_does_not(run_hook: Callable[..., Any]) -> None:
    functions = PURGE + "\n\ndef nothing_to_undo(apps, schema_editor):\n    pass\n"
    files = {"library/migrations/0002_change.py": django("migrations.RunPython(purge_duplicates, nothing_to_undo),",
                                                          functions)}
    assert run_hook(HOOK_ID, "library/migrations/0002_change.py", files=files).code == 0
    files = {"library/migrations/0002_change.py": django("migrations.RunPython(purge_duplicates),", PURGE)}
    result = run_hook(HOOK_ID, "library/migrations/0002_change.py", files=files)
    assert result.code == 1 and "RunPython(purge_duplicates) has no reverse" in result.out


def test_fingerprint_is_the_same_with_and_without_data_loss() -> None:
    issues = [Issue(12, 9, "irreversible", "no-reverse", "RunPython(fill)", "RunPython(fill) has no reverse_code"),
              Issue(13, 9, "lossy", "remove-field", "RemoveField book.summary", "RemoveField book.summary drops")]
    default, = report(issues, verbose=False, data_loss=False)
    strict, = report(issues, verbose=False, data_loss=True)
    assert default.identity == strict.identity == ("migration", "no-reverse:RunPython(fill),remove-field:RemoveField book.summary")
    assert "RemoveField" not in default.message and "RemoveField" in strict.message
    assert list(report(issues[1:], verbose=False, data_loss=False)) == []


BACKFILL = """
bind = op.get_bind()
bind.execute(sa.text("UPDATE certificates SET rotation_policy_id = 1 WHERE rotation_policy_id IS NULL"))"""
DEDUP = """
session = Session(bind=op.get_bind())
for row in session.query(Association).all():
    session.delete(row)
session.commit()"""


@pytest.mark.parametrize("upgrade", [BACKFILL, DEDUP, "op.execute(\"DELETE FROM roles WHERE name = 'attendee'\")"])
def test_empty_downgrade_after_a_data_only_upgrade_is_lossy(tmp_path: Path, upgrade: str) -> None:
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(upgrade, "pass"),
                      files={"migrations/env.py": ENV})
    assert found is not None and [(i.kind, i.category) for i in found] == [("empty-downgrade", "lossy")]


NOT_NULL_ADD = "op.add_column('book', sa.Column('isbn', sa.String(length=13), nullable=False))"


@pytest.mark.parametrize("upgrade", [NOT_NULL_ADD, RENAME,
                                     "op.create_index('ix_book_isbn', 'book', ['isbn'], unique=True)",
                                     "op.execute('ALTER TABLE book ADD COLUMN isbn varchar(13) NOT NULL')",
                                     "op.execute('ALTER TABLE book ADD CONSTRAINT uq_isbn UNIQUE (isbn)')",
                                     "op.execute('ALTER TABLE book VALIDATE CONSTRAINT book_author_fk')\n" + NOT_NULL_ADD,
                                     "op.alter_column('book', 'title', existing_type=sa.VARCHAR(255), nullable=False)",
                                     "op.create_index('ix_book_title', 'book', ['title'])\n"
                                     "op.execute('UPDATE book SET title = upper(title)')",
                                     "op.alter_column('sub', 'level', type_=sa.Unicode(30), existing_type=sa.Unicode(80))",
                                     "op.alter_column('book', 'pages', type_=sa.Integer(), "
                                     "existing_type=sa.BigInteger())",
                                     "op.alter_column('book', 'pages', type_=sa.Integer())",
                                     "op.alter_column('book', 'title', type_=sa.Text())",
                                     "op.create_foreign_key('fk_book_editor', 'book', 'author', ['editor_id'], ['id'])",
                                     "with op.batch_alter_table('book') as batch_op:\n    batch_op.drop_column('isbn')"])
def test_empty_downgrade_after_a_schema_change_stays_a_finding(run_hook: Callable[..., Any], upgrade: str) -> None:
    files = {"migrations/env.py": ENV, "migrations/versions/3f2a1b9c8d7e_change.py": alembic(upgrade, "pass")}
    result = run_hook(HOOK_ID, "migrations/versions/3f2a1b9c8d7e_change.py", files=files)
    assert result.code == 1 and "downgrade() is empty" in result.out


def test_data_only_upgrade_with_empty_downgrade_passes_through_the_runner(run_hook: Callable[..., Any]) -> None:
    files = {"migrations/env.py": ENV, "migrations/versions/3f2a1b9c8d7e_change.py": alembic(BACKFILL, "pass")}
    assert run_hook(HOOK_ID, "migrations/versions/3f2a1b9c8d7e_change.py", files=files).code == 0
    assert run_hook(HOOK_ID, "--data-loss", "migrations/versions/3f2a1b9c8d7e_change.py").code == 1


SQUASH = '''\
from django.db import migrations, models


def create_default_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="user")


class Migration(migrations.Migration):

    replaces = [("library", "0001_initial"), ("library", "0002_groups"), ("library", "0003_more")]

    dependencies = []

    operations = [
        migrations.CreateModel(name="Shelf", fields=[("id", models.BigAutoField(primary_key=True))]),
        migrations.RunPython(create_default_groups),
    ]
'''
GROUPS = django("migrations.RunPython(create_default_groups),",
                "def create_default_groups(apps, schema_editor):\n    apps.get_model('auth', 'Group').objects.create(name='user')")


def test_a_squash_and_the_migrations_it_replaces_are_reported_once(run_hook: Callable[..., Any]) -> None:
    files = {"library/migrations/0001_initial.py": INITIAL, "library/migrations/0002_groups.py": GROUPS,
             "library/migrations/0003_more.py": django("migrations.RunPython(forwards),", FORWARD),
             "library/migrations/0001_squashed_0003_more.py": SQUASH}
    result = run_hook(HOOK_ID, *files, files=files)
    lines = result.out.strip().splitlines()
    assert result.code == 1 and len(lines) == 1 and lines[0].startswith("library/migrations/0001_squashed_0003_more.py:")
    verbose = run_hook(HOOK_ID, "--verbose", "library/migrations/0002_groups.py")
    assert verbose.code == 0 and "replaced by the squashed migration 0001_squashed_0003_more.py" in verbose.err


def test_a_migration_no_squash_replaces_is_judged(run_hook: Callable[..., Any]) -> None:
    files = {"library/migrations/0001_squashed_0003_more.py": SQUASH, "library/migrations/0004_later.py": GROUPS}
    result = run_hook(HOOK_ID, *files, files=files)
    assert result.code == 1 and "0004_later.py" in result.out and "0001_squashed_0003_more.py" in result.out


@pytest.mark.parametrize("old, new, caught", [
    ("myapp.fields.MarkdownTextField(max_length=500)", "myapp.fields.MarkdownTextField(max_length=200)", False),
    ("markdownx.models.MarkdownxField(max_length=500)", "markdownx.models.MarkdownxField(max_length=100)", False),
    ("models.TextField(max_length=500)", "models.CharField(max_length=200)", True),
    ("myapp.fields.LowerCaseCharField(max_length=255)", "myapp.fields.LowerCaseCharField(max_length=100)", True),
    ("myapp.fields.EncryptedField(max_length=255)", "myapp.fields.EncryptedField(max_length=100)", False),
])
def test_a_custom_field_is_judged_by_the_column_it_makes(tmp_path: Path, old: str, new: str, caught: bool) -> None:
    before = django(f'migrations.AddField(model_name="book", name="notes", field={old}),')
    after = django(f'migrations.AlterField(model_name="book", name="notes", field={new}),')
    found = issues_of(tmp_path, "library/migrations/0003_change.py", after,
                      files={"library/migrations/0001_initial.py": INITIAL, "library/migrations/0002_notes.py": before})
    assert found is not None and [i.kind for i in found] == (["narrowing"] if caught else [])


def test_newer_python_is_reported_once_not_called_broken(run_hook: Callable[..., Any]) -> None:
    text = django("migrations.RunPython(forwards),", FORWARD).replace("class Migration", "type Ops = list[object]\n\n\nclass Migration")
    files = {"library/migrations/0002_change.py": text}
    result = run_hook(HOOK_ID, "library/migrations/0002_change.py", files=files)
    if sys.version_info >= (3, 12):
        assert result.code == 1 and "RunPython(forwards) has no reverse" in result.out
        return
    lines = result.out.strip().splitlines()
    assert result.code == 1 and len(lines) == 1 and "cannot parse" not in result.out
    assert "needs Python \u2265 3.12 to parse; the hooks run on 3." in lines[0]
    assert "set `language_version` in your config" in lines[0]


@pytest.mark.parametrize("upgrade, lossy", [
    ("from sqlalchemy_searchable import sql_expressions\nop.execute(sql_expressions)", False),
    ("table = sa.Table('tag', sa.MetaData(), autoload_with=op.get_bind())\n"
     "sync_trigger(op.get_bind(), table, 'search_vector', ['name'])", False),
    ("conn = op.get_bind()\nquery = sa.text('UPDATE dashboards SET tags = :tags WHERE id = :id')\n"
     "for row in conn.execute(sa.text('SELECT id FROM dashboards')):\n    conn.execute(query, tags=[], id=row[0])", True),
])
def test_data_only_is_told_from_what_upgrade_calls(tmp_path: Path, upgrade: str, lossy: bool) -> None:
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(upgrade, "pass"),
                      files={"migrations/env.py": ENV})
    assert found is not None and [(i.kind, i.category) for i in found] == [
        ("empty-downgrade", "lossy" if lossy else "irreversible")]


@pytest.mark.parametrize("downgrade, kept", [
    ("# No downgrade: rolling back the function would leave the backfilled rows as they are\npass", False),
    ("# No way to downgrade this\npass", False),
    ("# ### commands auto generated by Alembic - please adjust! ###\npass", True),
    ("# TODO\npass", True),
    ("pass  # later", True),
])
def test_an_empty_downgrade_whose_comment_says_why_is_deliberate(tmp_path: Path, downgrade: str, kept: bool) -> None:
    upgrade = "op.execute(sa.text('CREATE OR REPLACE FUNCTION search_update() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$'))"
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(upgrade, downgrade),
                      files={"migrations/env.py": ENV})
    assert found is not None and [i.kind for i in found] == (["empty-downgrade"] if kept else [])


def test_a_templated_migration_is_not_called_broken(run_hook: Callable[..., Any]) -> None:
    text = django("migrations.RunPython(forwards, backwards),", FORWARD).replace(
        "from django.db import migrations, models", "{% if cookiecutter.use_x == 'y' %}import x{% endif %}\n"
        "from django.db import migrations, models")
    files = {"{{cookiecutter.slug}}/users/migrations/0002_change.py": text}
    result = run_hook(HOOK_ID, *files, files=files)
    assert result.code == 0 and "cannot parse" not in result.out
    broken = {"library/migrations/0003_broken.py": "class Migration(:\n"}
    assert "cannot parse Python" in run_hook(HOOK_ID, *broken, files=broken).out


REBUILD = """
conn = op.get_bind()
op.rename_table("replies", "replies_tmp")
op.add_column("replies_tmp", sa.Column("uuid", sa.String(length=36)))
op.create_table("replies", sa.Column("id", sa.Integer(), nullable=False), sa.Column("uuid", sa.String(36)))
conn.execute(sa.text("INSERT INTO replies SELECT id, uuid FROM replies_tmp"))
op.drop_table("replies_tmp")"""


def test_a_table_the_upgrade_made_itself_may_be_dropped(tmp_path: Path) -> None:
    downgrade = "with op.batch_alter_table('replies') as batch_op:\n    batch_op.drop_column('uuid')"
    assert alissues(tmp_path, REBUILD, downgrade) == []
    assert alissues(tmp_path / "real", "op.drop_table('replies')", downgrade) == ["drop-table"]


def test_temporary_tables_and_trigger_toggles_are_not_schema_changes(tmp_path: Path) -> None:
    upgrade = """
    op.execute('''
        CREATE TEMPORARY TABLE merge_map AS SELECT id, merged_into_id FROM users.users;
        CREATE INDEX ix_merge_map ON merge_map USING btree (id);
        ALTER TABLE events.events DISABLE TRIGGER consistent_timetable;
        UPDATE events.events evt SET creator_id = mm.merged_into_id FROM merge_map mm WHERE mm.id = evt.creator_id;
        ALTER TABLE events.events ENABLE TRIGGER consistent_timetable;
        DROP TABLE merge_map;
    ''')"""
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(upgrade, "pass"),
                      files={"migrations/env.py": ENV})
    assert found is not None and [(i.kind, i.category) for i in found] == [("empty-downgrade", "lossy")]


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="this interpreter parses PEP 758")
def test_newer_python_in_the_folders_history_is_reported_only_for_the_file_itself(run_hook: Callable[..., Any]) -> None:
    newer = django("migrations.RunPython(forwards, backwards),", FORWARD + "\n\ndef pick():\n    try:\n        pass\n"
                   "    except KeyError, ValueError:\n        return None\n")
    later = django('migrations.AlterField(model_name="book", name="title", field=models.CharField(max_length=300)),')
    files = {"library/migrations/0001_initial.py": INITIAL, "library/migrations/0002_newer.py": newer,
             "library/migrations/0003_later.py": later}
    assert run_hook(HOOK_ID, "library/migrations/0003_later.py", files=files).out == ""
    result = run_hook(HOOK_ID, "library/migrations/0002_newer.py", "library/migrations/0003_later.py")
    lines = result.out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("library/migrations/0002_newer.py:") and "3.14" in lines[0]


@pytest.mark.parametrize("downgrade, kept", [
    ('raise NotImplementedError("Cannot downgrade removal of runbook feature")', False),
    ("# Downgrade not supported - runbook feature has been removed\nraise NotImplementedError()", False),
    ("raise NotImplementedError()", True),
    ('raise NotImplementedError("TODO")', True),
])
def test_a_raising_downgrade_that_says_why_is_deliberate(tmp_path: Path, downgrade: str, kept: bool) -> None:
    assert alissues(tmp_path, "op.drop_table('runbook')", downgrade) == (["downgrade-raises"] if kept else [])


@pytest.mark.parametrize("downgrade, kept", [
    ('"""This migration does not support downgrades."""', False),
    ('"""Nothing to do."""', True),
])
def test_an_empty_downgrade_whose_docstring_says_why_is_deliberate(tmp_path: Path, downgrade: str, kept: bool) -> None:
    assert alissues(tmp_path, RENAME, downgrade) == (["empty-downgrade"] if kept else [])


# --- upgrades that leave nothing to undo (held-out classes: notifications-api-like revisions) ---

VALIDATE_ONLY = """
op.execute('ALTER TABLE notifications VALIDATE CONSTRAINT "notifications_templates_fkey"')
op.execute('ALTER TABLE notification_history VALIDATE CONSTRAINT "notification_history_templates_fkey"')"""
INDEX_ONLY = """
with op.get_context().autocommit_block():
    op.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_history_job_id ON notification_history (job_id)")"""
RELAX = "op.alter_column('organisation', 'logo', existing_type=sa.VARCHAR(length=255), nullable=True)"
WIDEN = """
try:
    op.alter_column('subscription', 'level', type_=sa.Unicode(80), existing_type=sa.Unicode(30))
except Exception as exx:
    print("Could not make field 'level' longer.")"""


@pytest.mark.parametrize("upgrade", [VALIDATE_ONLY, INDEX_ONLY, RELAX,
                                     "op.create_index(op.f('ix_book_title'), 'book', ['title'], unique=False)",
                                     "op.drop_index('ix_book_old_title', table_name='book')",
                                     "op.execute('ALTER TABLE book ALTER COLUMN title DROP NOT NULL')",
                                     WIDEN])
def test_empty_downgrade_after_an_upgrade_with_nothing_to_undo_passes(tmp_path: Path, upgrade: str) -> None:
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(upgrade, "pass"),
                      files={"migrations/env.py": ENV})
    assert found == []


def test_nothing_to_undo_holds_with_data_loss_through_the_runner(run_hook: Callable[..., Any]) -> None:
    files = {"migrations/env.py": ENV, "migrations/versions/3f2a1b9c8d7e_change.py": alembic(VALIDATE_ONLY, "pass")}
    assert run_hook(HOOK_ID, "--data-loss", "migrations/versions/3f2a1b9c8d7e_change.py", files=files).code == 0


BATCH_UP = """
with op.batch_alter_table('workout_segments', schema=None) as batch_op:
    batch_op.alter_column('start_date', existing_type=sa.DateTime(), nullable=False)
    batch_op.drop_column('segment_id')

with op.batch_alter_table('workouts', schema=None) as batch_op:
    batch_op.drop_column('gpx')"""
BATCH_DOWN = """
with op.batch_alter_table('workouts', schema=None) as batch_op:
    batch_op.add_column(sa.Column('gpx', sa.VARCHAR(length=255), autoincrement=False, nullable=True))

with op.batch_alter_table('workout_segments', schema=None) as batch_op:
    batch_op.add_column(sa.Column('segment_id', sa.INTEGER(), autoincrement=False, nullable=True))
    batch_op.alter_column('start_date', existing_type=sa.DateTime(), nullable=True)"""


def test_batch_blocks_that_reuse_the_name_batch_op_each_name_their_table(tmp_path: Path) -> None:
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(BATCH_UP, BATCH_DOWN),
                      files={"migrations/env.py": ENV})
    assert found == []


def test_batch_column_not_added_back_is_named_with_its_own_table(tmp_path: Path) -> None:
    down = BATCH_DOWN.replace("    batch_op.add_column(sa.Column('gpx', sa.VARCHAR(length=255), "
                              "autoincrement=False, nullable=True))", "    pass")
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(BATCH_UP, down),
                      files={"migrations/env.py": ENV})
    assert found is not None and [i.what for i in found] == ["drop_column workouts.gpx"]


RENAME_UP = """
op.alter_column("notification_statistics", "day", new_column_name="day_string")
op.add_column("notification_statistics", sa.Column("day", sa.Date(), nullable=True))
op.execute("UPDATE notification_statistics SET day = to_date(day_string, 'YYYY-MM-DD')")
op.drop_column("notification_statistics", "day_string")"""
RENAME_DOWN = """
op.alter_column("notification_statistics", "day", new_column_name="day_date")
op.add_column("notification_statistics", sa.Column("day", sa.String(), nullable=True))
op.execute("UPDATE notification_statistics SET day = to_char(day_date, 'YYYY-MM-DD')")
op.drop_column("notification_statistics", "day_date")"""


def test_a_dropped_column_that_upgrade_renamed_is_restored_under_its_first_name(tmp_path: Path) -> None:
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(RENAME_UP, RENAME_DOWN),
                      files={"migrations/env.py": ENV})
    assert found == []
    down = RENAME_DOWN.replace('op.add_column("notification_statistics", sa.Column("day", sa.String(), nullable=True))',
                               "pass")
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(RENAME_UP, down))
    assert found is not None and [i.what for i in found] == ["drop_column notification_statistics.day_string"]


# --- Django: initial migrations, and one helper that builds many migrations ---

def test_runpython_without_reverse_in_an_initial_migration_is_not_a_release_rollback(tmp_path: Path) -> None:
    text = django("migrations.RunPython(create_schema),", "def create_schema(apps, schema_editor):\n    pass\n")
    text = text.replace("class Migration(migrations.Migration):\n", "class Migration(migrations.Migration):\n"
                        "    initial = True\n")
    assert issues_of(tmp_path, "radio/migrations/0001_initial.py", text) == []
    later = django("migrations.RunPython(create_schema),", "def create_schema(apps, schema_editor):\n    pass\n")
    found = issues_of(tmp_path, "radio/migrations/0002_more.py", later)
    assert found is not None and [i.kind for i in found] == ["no-reverse"]


def _factory_migration(version: str) -> str:
    return django(f'''
        migrations.RunPython(
            code=legacy_migration_factory(
                target="{version}",
                sql=UP,
            )
        ),''', 'UP = """\nALTER TABLE cc_show ADD COLUMN image_path varchar(255) DEFAULT \'\';\n"""\n',
                  imports="\nfrom ._migrations import legacy_migration_factory")


def test_one_helper_building_many_migrations_without_reverse_is_reported_once(tmp_path: Path) -> None:
    folder = tmp_path / "legacy" / "migrations"
    folder.mkdir(parents=True)
    names = [f"00{n:02d}_2_5_{n}.py" for n in range(3, 8)]
    for n, name in enumerate(names):
        (folder / name).write_text(_factory_migration(f"2.5.{n}"))
    results = [scan(str(folder / name), ("*.up.sql",), False, 2_000_000) for name in names]
    assert results[:-1] == [[]] * (len(names) - 1)
    last = results[-1]
    assert isinstance(last, list) and len(last) == 1
    assert "like 4 earlier migrations" in last[0].full and "legacy_migration_factory()" in last[0].full


def test_a_helper_used_by_two_migrations_is_judged_in_each(tmp_path: Path) -> None:
    folder = tmp_path / "legacy" / "migrations"
    folder.mkdir(parents=True)
    for name in ("0003_a.py", "0004_b.py"):
        (folder / name).write_text(_factory_migration("2.5.2"))
    for name in ("0003_a.py", "0004_b.py"):
        found = scan(str(folder / name), ("*.up.sql",), False, 2_000_000)
        assert isinstance(found, list) and [i.kind for i in found] == ["no-reverse"]


def test_a_helper_migration_with_a_reverse_passes(tmp_path: Path) -> None:
    folder = tmp_path / "legacy" / "migrations"
    folder.mkdir(parents=True)
    for n in range(3, 7):
        (folder / f"000{n}_x.py").write_text(_factory_migration("2.5.2"))
    text = _factory_migration("2.5.2").replace("sql=UP,\n            )\n", "sql=UP,\n            ),\n"
                                               "            reverse_code=migrations.RunPython.noop,\n")
    assert "reverse_code" in text
    (folder / "0009_x.py").write_text(text)
    assert scan(str(folder / "0009_x.py"), ("*.up.sql",), False, 2_000_000) == []
    assert len(scan(str(folder / "0006_x.py"), ("*.up.sql",), False, 2_000_000) or []) == 1  # the newest without


def test_a_sibling_with_a_positional_reverse_is_not_counted_in_the_convention(tmp_path: Path) -> None:
    folder = tmp_path / "legacy" / "migrations"
    folder.mkdir(parents=True)
    for n in range(3, 6):
        (folder / f"000{n}_x.py").write_text(_factory_migration("2.5.2"))
    reversed_ = _factory_migration("2.5.2").replace("code=legacy", "legacy").replace(
        "sql=UP,\n            )\n", "sql=UP,\n            ),\n            legacy_migration_factory(target='2.5.1'),\n")
    assert "target='2.5.1'" in reversed_
    (folder / "0009_x.py").write_text(reversed_)
    assert scan(str(folder / "0009_x.py"), ("*.up.sql",), False, 2_000_000) == []
    newest = scan(str(folder / "0005_x.py"), ("*.up.sql",), False, 2_000_000)
    assert isinstance(newest, list) and len(newest) == 1 and "like 2 earlier migrations" in newest[0].full


# --- held-out round (evening): additive upgrades, columns of new tables, initial RunSQL, module-level operations ---

GUARDED_ADDS = """
with op.batch_alter_table('table_history') as batch_op:
    if not column_exists('table_history', 'matched'):
        batch_op.add_column(sa.Column('matched', sa.Text))
    if not column_exists('table_history', 'not_matched'):
        batch_op.add_column(sa.Column('not_matched', sa.Text))"""
GUARD = """

bind = op.get_context().bind
insp = sa.inspect(bind)


def column_exists(table_name, column_name):
    columns = insp.get_columns(table_name)
    return any(c["name"] == column_name for c in columns)
"""
SELF_FK = """
if not column_exists('table_history', 'upgradedFromId'):
    with op.batch_alter_table('table_history', schema=None) as batch_op:
        batch_op.add_column(sa.Column('upgradedFromId', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(constraint_name='fk_history_upgradedFromId_id',
                                    referent_table='table_history',
                                    local_cols=['upgradedFromId'],
                                    remote_cols=['id'])"""
FILL_NEW = """
if not column_exists('table_shows', 'monitored'):
    with op.batch_alter_table('table_shows', schema=None) as batch_op:
        batch_op.add_column(sa.Column('monitored', sa.Text(), nullable=True))
    op.execute(sa.update(TableShows).values({TableShows.monitored: 'True'}))"""
BIGINT = """
if bind.engine.name == 'postgresql':
    with op.batch_alter_table('table_episodes') as batch_op:
        batch_op.alter_column('file_size', type_=sa.BigInteger())"""
NEW_TABLE = """
op.create_table('announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'))
op.create_index(op.f('ix_announcements_text'), 'announcements', ['text'], unique=False)"""


def _guarded(upgrade: str) -> str:
    return alembic(upgrade, "pass").replace("depends_on = None\n", "depends_on = None\n" + GUARD, 1)


@pytest.mark.parametrize("upgrade", [GUARDED_ADDS, SELF_FK, FILL_NEW, BIGINT, NEW_TABLE, ADD,
                                     "op.execute('ALTER TABLE book ADD COLUMN isbn varchar(13)')",
                                     "op.execute('ALTER TABLE book ADD COLUMN price numeric(10, 2) DEFAULT 0')",
                                     "op.alter_column('book', 'pages', type_=sa.BigInteger(), existing_type=sa.Integer())",
                                     "op.alter_column('book', 'title', type_=sa.Text(), existing_type=sa.String(80))"])
def test_empty_downgrade_after_an_additive_upgrade_passes(tmp_path: Path, upgrade: str) -> None:
    found = issues_of(tmp_path, "migrations/versions/95cd4cf40d7a_.py", _guarded(upgrade),
                      files={"migrations/env.py": ENV})
    assert found == []


@pytest.mark.parametrize("upgrade", [
    # a drop beside the additive columns (the old release reads alternativeTitle)
    "if column_exists('table_shows', 'alternativeTitle'):\n"
    "    with op.batch_alter_table('table_shows', schema=None) as batch_op:\n"
    "        batch_op.drop_column('alternativeTitle')\n" + GUARDED_ADDS,
    # a fill of an existing column, then a type change the old release does not expect
    "op.execute(sa.update(TableLanguagesProfiles).values({TableLanguagesProfiles.originalFormat: 0}))\n"
    "with op.batch_alter_table('table_languages_profiles') as batch_op:\n"
    "    batch_op.alter_column('originalFormat', type_=sa.Integer())",
    # a fill of an existing column beside a new one
    SELF_FK + "\nop.execute(sa.update(TableHistory).values({TableHistory.action: 1}))",
    # a foreign key on an existing column: existing rows may break it
    "op.create_foreign_key('fk_book_author', 'book', 'author', ['author_id'], ['id'])\n" + ADD,
])
def test_empty_downgrade_after_an_upgrade_that_drops_or_rewrites_stays_a_finding(tmp_path: Path, upgrade: str) -> None:
    found = issues_of(tmp_path, "migrations/versions/195144da1f7e_.py", _guarded(upgrade),
                      files={"migrations/env.py": ENV})
    assert found is not None and [i.kind for i in found] == ["empty-downgrade"]


NEW_TABLE_SCAFFOLD = """
op.create_table('vehicle_description',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vehicle_id', sa.Integer(), nullable=True),
    sa.Column('licence_plate', sa.String(), nullable=True),  #We'll be erased
    sa.PrimaryKeyConstraint('id'))
op.execute("INSERT INTO vehicle_description (vehicle_id, licence_plate) SELECT id, licence_plate FROM vehicle")
op.drop_column('vehicle_description', 'licence_plate')"""


def test_a_column_of_a_table_the_upgrade_creates_is_scaffolding(tmp_path: Path) -> None:
    assert alissues(tmp_path, NEW_TABLE_SCAFFOLD, "op.drop_table('vehicle_description')") == []


def test_a_column_of_an_existing_table_dropped_beside_a_new_table_is_caught(tmp_path: Path) -> None:
    upgrade = NEW_TABLE_SCAFFOLD + "\nop.drop_column('vehicle', 'licence_plate')"
    assert alissues(tmp_path, upgrade, "op.drop_table('vehicle_description')") == ["drop-column"]


def _initial(ops: str) -> str:
    return django(ops).replace("class Migration(migrations.Migration):\n",
                               "class Migration(migrations.Migration):\n    initial = True\n")


def test_runsql_without_reverse_in_an_initial_migration_is_skipped_like_runpython(tmp_path: Path) -> None:
    ops = ('migrations.RunSQL("insert into common_parameter (name, value) values (\'archive.frequency\', \'week\')"),\n'
           'migrations.SeparateDatabaseAndState(database_operations=[migrations.RunSQL("ALTER TABLE a SET DEFAULT now()")]),')
    assert issues_of(tmp_path, "archive/migrations/0001_initial.py", _initial(ops)) == []
    found = issues_of(tmp_path, "archive/migrations/0002_more.py", django(ops))
    assert found is not None and [i.kind for i in found] == ["no-reverse", "no-reverse"]


MODULE_OPS = '''\
"""Add ``SmallVariant.info``."""
from django.conf import settings
from django.db import migrations, models


if not settings.IS_TESTING:
    # Operations using raw SQL.
    operations = [
        migrations.RunSQL("ALTER TABLE variants_smallvariant ADD info jsonb DEFAULT '{}'::jsonb"),
    ]
else:
    operations = [
        migrations.AddField(model_name="smallvariant", name="info", field=models.JSONField(null=True)),
    ]
%s

class Migration(migrations.Migration):

    dependencies = [("variants", "0055_auto_20190828_1408")]

    operations = %s
'''


@pytest.mark.parametrize("extra, kinds", [
    ("", ["no-reverse"]),
    ("\nif not settings.IS_TESTING:\n    for i in range(4):\n        operations.append(\n"
     "            migrations.RunSQL('ALTER TABLE variants_smallvariant_%d SET LOGGED' % i)\n        )\n",
     ["no-reverse", "no-reverse"]),
    ("\noperations += [migrations.RunSQL('CREATE INDEX ix ON t (a)') for i in range(4)]\n",
     ["no-reverse", "no-reverse"]),
])
def test_module_level_operations_named_in_the_class_are_read(tmp_path: Path, extra: str, kinds: list[str]) -> None:
    found = issues_of(tmp_path, "variants/migrations/0056_add_info.py", MODULE_OPS % (extra, "operations"))
    assert found is not None and [i.kind for i in found] == kinds


@pytest.mark.parametrize("value", [
    "[]",  # the class runs nothing: the module-level list is dead code (varfish's svs/0010, 0011)
    '[migrations.AddField(model_name="smallvariant", name="dist", field=models.IntegerField(null=True))]',
])
def test_module_level_operations_the_class_does_not_use_are_left_alone(tmp_path: Path, value: str) -> None:
    assert issues_of(tmp_path, "variants/migrations/0056_add_info.py", MODULE_OPS % ("", value)) == []


def test_module_level_operations_with_reverses_pass(tmp_path: Path) -> None:
    text = (MODULE_OPS % ("", "operations")).replace(
        "'{}'::jsonb\"),", "'{}'::jsonb\", reverse_sql=\"ALTER TABLE variants_smallvariant DROP info\"),")
    assert issues_of(tmp_path, "variants/migrations/0056_add_info.py", text) == []


# --- held-out round (evening 2): nylas-like revisions (MySQL, raw SQL, short refusals) ---

@pytest.mark.parametrize("upgrade", [
    "op.drop_table('searchsignal')\nop.drop_table('searchtoken')",
    "op.drop_column('easaccount', 'eas_state')",
    "conn = op.get_bind()\nconn.execute(sa.text('''\n    UPDATE folder INNER JOIN account ON folder.account_id = account.id\n"
    "    SET folder.canonical_name = NULL WHERE account.type = 'easaccount'\n'''))",
    "from myapp.session import session_scope\nwith session_scope() as db_session:\n"
    "    for status in db_session.query(FolderStatus).all():\n        db_session.delete(status)\n    db_session.commit()",
    "op.alter_column('message', 'subject', type_=sa.String(255), existing_nullable=True)",
])
@pytest.mark.parametrize("message", ["No rolling back", "Won't", "Can't.", "Not supported!"])
def test_a_short_refusal_after_a_step_that_destroys_data_is_the_acknowledgement(
        tmp_path: Path, upgrade: str, message: str) -> None:
    assert alissues(tmp_path, upgrade, f"raise Exception({message!r})") == []


@pytest.mark.parametrize("upgrade, downgrade", [
    # the data can come back, or nothing is lost: the short raise blocks a rollback for nothing
    ("op.create_index('ix_contact_ns', 'contact', ['namespace_id', 'uid'], unique=False)", "raise Exception(\"Don't bother.\")"),
    ("op.drop_constraint('easuid_ibfk_2', 'easuid', type_='foreignkey')\n"
     "op.create_foreign_key('easuid_ibfk_2', 'easuid', 'message', ['message_id'], ['id'], ondelete='cascade')",
     "raise Exception('Nope.')"),
    ("op.create_table('category', sa.Column('id', sa.Integer(), nullable=False))", "raise Exception('Aw hell no')"),
    # after a drop: a bare raise, a placeholder or the exception's own name is no answer
    ("op.drop_column('message', 'sanitized_body')", "raise Exception()"),
    ("op.drop_column('message', 'sanitized_body')", "raise Exception"),
    ("op.drop_column('message', 'sanitized_body')", "raise Exception('!')"),
    ("op.drop_column('message', 'sanitized_body')", "raise NotImplementedError('not implemented')"),
    ("op.drop_column('message', 'sanitized_body')", "raise NotImplementedError('TODO')"),
])
def test_a_short_refusal_is_still_reported_when_nothing_is_destroyed_or_it_says_nothing(
        tmp_path: Path, upgrade: str, downgrade: str) -> None:
    assert alissues(tmp_path, upgrade, downgrade) == ["downgrade-raises"]


@pytest.mark.parametrize("sql", [
    # MySQL: nullable columns, a plain index, foreign keys on the new columns (nylas 169/212-like)
    "ALTER TABLE easuid\n    ADD COLUMN server_id VARCHAR(64) DEFAULT NULL,\n    ADD COLUMN folder_status_id INT(11) DEFAULT NULL,\n"
    "    ADD INDEX folder_status_id (folder_status_id),\n    ADD CONSTRAINT easuid_ibfk_4 FOREIGN KEY (folder_status_id)\n"
    "        REFERENCES folderstatus (id) ON DELETE CASCADE,\n    ADD INDEX ix_easuid_server_id (server_id)",
    "ALTER TABLE genericaccount ADD COLUMN imap_password_id BIGINT(20), "
    "ADD CONSTRAINT imap_password_id_ifbk FOREIGN KEY (`imap_password_id`) REFERENCES `secret` (`id`);",
    # PostgreSQL spellings: IF NOT EXISTS, an inline REFERENCES on the new column
    'ALTER TABLE "account" ADD COLUMN IF NOT EXISTS "owner_id" integer NULL REFERENCES "user" ("id")',
    "ALTER TABLE account ADD COLUMN owner_id integer, ADD CONSTRAINT account_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id)",
])
def test_raw_sql_nullable_columns_with_their_keys_and_indexes_leave_nothing_to_undo(tmp_path: Path, sql: str) -> None:
    upgrade = f"conn = op.get_bind()\nconn.execute(sa.text({sql!r}))"
    assert alissues(tmp_path, upgrade, "pass") == []


@pytest.mark.parametrize("sql", [
    "ALTER TABLE easuid ADD COLUMN server_id VARCHAR(64) NOT NULL",
    "ALTER TABLE easuid ADD COLUMN server_id VARCHAR(64) DEFAULT NULL, DROP COLUMN old_id",
    # a foreign key on a column that was already there: existing rows may break it
    "ALTER TABLE easuid ADD CONSTRAINT easuid_ibfk_4 FOREIGN KEY (folder_id) REFERENCES folder (id)",
    "ALTER TABLE easuid ADD COLUMN x INT(11) DEFAULT NULL, ADD UNIQUE INDEX ux (x)",
    "ALTER TABLE part DROP FOREIGN KEY part_ibfk_1, ADD CONSTRAINT part_ibfk_1 FOREIGN KEY (block_id) REFERENCES block (id) ON DELETE CASCADE",
    # AUTO_INCREMENT on a table that was already there
    "ALTER TABLE transaction AUTO_INCREMENT=281474976710657",
])
def test_raw_sql_that_changes_existing_columns_or_keys_keeps_the_finding(tmp_path: Path, sql: str) -> None:
    upgrade = f"conn = op.get_bind()\nconn.execute(sa.text({sql!r}))"
    assert alissues(tmp_path, upgrade, "pass") == ["empty-downgrade"]


def test_raw_sql_on_a_table_the_upgrade_creates_leaves_nothing_to_undo(tmp_path: Path) -> None:
    upgrade = ("op.create_table('accounttransaction', sa.Column('id', sa.BigInteger(), nullable=False),\n"
               "                sa.PrimaryKeyConstraint('id'))\n"
               "op.create_index('ix_accounttransaction_id', 'accounttransaction', ['id'], unique=False)\n"
               "conn = op.get_bind()\nincrement = (shard_id << 48) + 1\n"
               "conn.execute('ALTER TABLE accounttransaction AUTO_INCREMENT={}'.format(increment))")
    assert alissues(tmp_path, upgrade, "pass") == []


PYTHON2_REVISION = alembic("conn = op.get_bind()\nprint 'dropping'\nop.drop_column('message', 'old')", "pass")


def test_a_python2_revision_gets_one_clear_line_not_cannot_parse(run_hook: Callable[..., Any]) -> None:
    files = {"migrations/env.py": ENV, "migrations/versions/3f2a1b9c8d7e_change.py": PYTHON2_REVISION}
    result = run_hook(HOOK_ID, "migrations/versions/3f2a1b9c8d7e_change.py", files=files)
    lines = result.out.strip().splitlines()
    assert result.code == 1 and len(lines) == 1 and "cannot parse" not in result.out + result.err
    line = PYTHON2_REVISION.splitlines().index("    print 'dropping'") + 1
    assert lines[0] == (f"migrations/versions/3f2a1b9c8d7e_change.py:{line}:1: {HOOK_ID}: "
                        "Python 2 syntax: the hooks read Python 3; this file is not checked")


# --- held-out round evening 4: a repair that leaves the schema as it found it ---------------------

RECREATE = ("op.execute('ALTER TABLE shelf DROP CONSTRAINT IF EXISTS ux_shelf_kind_name')\n"
            "op.create_unique_constraint('ux_shelf_kind_name', 'shelf', ['kind', 'name'])")


@pytest.mark.parametrize("upgrade", [
    RECREATE,
    "op.drop_index('ix_shelf_name', table_name='shelf', if_exists=True)\n"
    "op.create_index('ix_shelf_name', 'shelf', ['name'])",
    "op.execute('DROP INDEX IF EXISTS ix_shelf_name; CREATE UNIQUE INDEX ix_shelf_name ON shelf (name)')",
])
def test_an_idempotent_repair_needs_no_downgrade(tmp_path: Path, upgrade: str) -> None:
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(upgrade, "pass"),
                      files={"migrations/env.py": ENV})
    assert found == []


@pytest.mark.parametrize("upgrade", [
    # no IF EXISTS: the constraint was there, and is now defined anew
    "op.drop_constraint('ux_shelf_kind_name', 'shelf', type_='unique')\n"
    "op.create_unique_constraint('ux_shelf_kind_name', 'shelf', ['kind', 'name'])",
    # another name: a new constraint
    "op.execute('ALTER TABLE shelf DROP CONSTRAINT IF EXISTS ux_shelf_name')\n"
    "op.create_unique_constraint('ux_shelf_kind_name', 'shelf', ['kind', 'name'])",
    # the repair and something more
    RECREATE + "\nop.add_column('shelf', sa.Column('floor', sa.Integer(), nullable=False))",
])
def test_a_drop_and_create_that_changes_the_schema_stays_a_finding(tmp_path: Path, upgrade: str) -> None:
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(upgrade, "pass"),
                      files={"migrations/env.py": ENV})
    assert found is not None and [(i.kind, i.category) for i in found] == [("empty-downgrade", "irreversible")]


RESTART = """
connection = op.get_bind()
op.execute(sa.text("LOCK TABLE app.user_settings IN EXCLUSIVE MODE"))
last = connection.scalars(sa.select(sa.func.max(sa.column("id"))).select_from(sa.table("user_settings"))).one()
op.execute(sa.text(f"ALTER SEQUENCE app.user_settings_id_seq RESTART WITH {last + 1}"))"""


@pytest.mark.parametrize("upgrade", [
    RESTART,
    "op.execute('ALTER SEQUENCE user_settings_id_seq RESTART WITH 1000')",
    "op.execute(\"SELECT setval('user_settings_id_seq', (SELECT max(id) FROM user_settings))\")",
    "op.get_bind().exec_driver_sql('ALTER SEQUENCE user_settings_id_seq RESTART WITH 1000')",
])
def test_a_sequence_reset_is_data_only(tmp_path: Path, upgrade: str) -> None:
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(upgrade, "pass"),
                      files={"migrations/env.py": ENV})
    assert found is not None and [(i.kind, i.category) for i in found] in ([], [("empty-downgrade", "lossy")])


@pytest.mark.parametrize("upgrade", [
    "op.execute('ALTER SEQUENCE user_settings_id_seq INCREMENT BY 10')",
    "op.execute('ALTER SEQUENCE user_settings_id_seq RESTART WITH 1000 INCREMENT BY 10')",
    "op.execute('ALTER SEQUENCE user_settings_id_seq RENAME TO settings_id_seq')",
])
def test_a_sequence_redefined_stays_a_schema_change(tmp_path: Path, upgrade: str) -> None:
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(upgrade, "pass"),
                      files={"migrations/env.py": ENV})
    assert found is not None and [(i.kind, i.category) for i in found] == [("empty-downgrade", "irreversible")]


# --- Alembic: a downgrade() that renames the table back, or rebuilds it under a scratch name ---

RENAMED_TABLE_UP = '''\
op.rename_table("snapshot_members", "group_snapshot_members")
op.drop_column("group_snapshot_members", "kind_id")'''


RENAMED_TABLE_DOWN = '''\
op.rename_table("group_snapshot_members", "snapshot_members")
op.add_column("snapshot_members", sa.Column("kind_id", sa.String(36), nullable=True))
op.alter_column("snapshot_members", "kind_id", existing_type=sa.String(36), nullable=False)'''


def test_a_column_re_added_under_the_old_table_name_after_rename_table_is_restored(tmp_path: Path) -> None:
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py",
                      alembic(RENAMED_TABLE_UP, RENAMED_TABLE_DOWN), files={"migrations/env.py": ENV})
    assert found == []


def test_a_column_re_added_on_another_table_after_rename_table_is_still_caught(tmp_path: Path) -> None:
    down = RENAMED_TABLE_DOWN.replace('add_column("snapshot_members"', 'add_column("snapshots"')
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py", alembic(RENAMED_TABLE_UP, down),
                      files={"migrations/env.py": ENV})
    assert found is not None and [i.what for i in found] == ["drop_column group_snapshot_members.kind_id"]


REBUILD_UP = '''\
op.drop_column(TABLE_NAME, "host")'''


REBUILD_DOWN = '''\
scratch = "_migrating_%(table)s_%(session)s" % {"table": TABLE_NAME, "session": "x1"}
copy = op.create_table(
    scratch,
    sa.Column("host", sa.String(255), nullable=False, primary_key=True),
    sa.Column("entity_uuid", sa.String(36), nullable=False, primary_key=True),
    sa.Column("value", sa.String(1023), nullable=False),
)
rows = [{"host": "unknown", "entity_uuid": row.entity_uuid, "value": row.value}
        for row in op.get_bind().execute(sa.text("SELECT * FROM private_data"))]
op.bulk_insert(copy, rows)
op.drop_table(TABLE_NAME)
op.rename_table(scratch, TABLE_NAME)'''


def _with_table_name(text: str) -> str:
    return text.replace("depends_on = None\n", "depends_on = None\n\nTABLE_NAME = 'private_data'\n")


def test_a_column_restored_by_rebuilding_the_table_under_a_scratch_name_is_restored(tmp_path: Path) -> None:
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py",
                      _with_table_name(alembic(REBUILD_UP, REBUILD_DOWN)), files={"migrations/env.py": ENV})
    assert found == []


def test_a_scratch_table_never_renamed_to_the_table_does_not_restore_it(tmp_path: Path) -> None:
    down = REBUILD_DOWN.replace("op.drop_table(TABLE_NAME)\nop.rename_table(scratch, TABLE_NAME)", "")
    found = issues_of(tmp_path, "migrations/versions/3f2a1b9c8d7e_change.py",
                      _with_table_name(alembic(REBUILD_UP, down)), files={"migrations/env.py": ENV})
    assert found is not None and [i.what for i in found] == ["drop_column private_data.host"]
