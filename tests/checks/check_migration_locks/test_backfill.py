"""check-migration-locks: ``backfill-under-lock`` (a schema step on a table, then a backfill of
every row of that table, in one transaction: the ACCESS EXCLUSIVE lock the schema step took is
held for the whole backfill; held-out round 6, squarelet ``organizations/0066``) and
``check-validated-on-add`` (a CHECK constraint added without NOT VALID scans the table under
ACCESS EXCLUSIVE; rounds 4 and 5). Both grow with the table: judged on a table known to be big
(``big-tables``, a CONCURRENTLY build, a partition), counted in the notice elsewhere."""
from __future__ import annotations

import textwrap
from typing import Any, Callable

from tests.checks.check_migration_locks.cases import ALEMBIC_ENV, ALEMBIC_INITIAL, DJANGO_INITIAL, alembic, django

HOOK_ID = "check-migration-locks"
STEP = "library/migrations/0003_step.py"
NOT_JUDGED = "step(s) on tables with no sign of being big were not judged"
BASE = {"library/__init__.py": "", "library/migrations/__init__.py": "",
        "library/migrations/0001_initial.py": DJANGO_INITIAL}
BIG_BOOK = {"pyproject.toml": '[tool.legacy-config-hooks.check-migration-locks]\nbig-tables = ["book"]\n'}

# Shaped like squarelet 0066: a nullable field, then a loop over every row that saves, in one migration.
LOOP = '''
def fill_edition(apps, schema_editor):
    """Copy the first volume's edition to each book."""
    Book = apps.get_model("library", "Book")
    for book in Book.objects.select_related("author").iterator(chunk_size=200):
        volumes = [v for v in book.author.book_set.all() if v.pages]
        if volumes:
            book.edition = len(volumes)
            book.save(update_fields=["edition"])
'''
ADD_THEN_FILL = '''
    migrations.AddField(model_name="book", name="edition", field=models.IntegerField(blank=True, null=True)),
    migrations.RunPython(fill_edition, migrations.RunPython.noop),
'''


def step(operations: str, head: str = "", functions: str = LOOP) -> dict[str, str]:
    return BASE | {STEP: django(operations, head, textwrap.dedent(functions))}


def test_a_loop_over_every_row_after_add_field_on_a_big_table_is_reported(run_hook: Callable[..., Any]) -> None:
    result = run_hook(HOOK_ID, STEP, files=step(ADD_THEN_FILL) | BIG_BOOK)
    assert result.code == 1, result.err
    [line] = result.out.splitlines()
    assert line.startswith(f"{STEP}:21:")  # the RunPython
    assert ("RunPython fill_edition writes every row of library_book after AddField book.edition (line 20) "
            "in the same transaction") in line
    assert "move the backfill into a migration of its own (or set atomic = False on this one)" in line


def test_the_same_migration_on_a_table_with_no_sign_of_being_big_is_only_counted(
        run_hook: Callable[..., Any]) -> None:
    result = run_hook(HOOK_ID, STEP, files=step(ADD_THEN_FILL))
    assert result.code == 0 and result.out == "", result.out
    assert f"1 {NOT_JUDGED} (library_book)" in result.err


def test_a_concurrent_build_elsewhere_is_evidence_for_the_backfill_too(run_hook: Callable[..., Any]) -> None:
    concurrent = django('AddIndexConcurrently(model_name="book", index=models.Index(fields=["code"], '
                        'name="book_code_idx")),', "atomic = False",
                        "from django.contrib.postgres.operations import AddIndexConcurrently")
    result = run_hook(HOOK_ID, STEP, files=step(ADD_THEN_FILL) | {"library/migrations/0002_code.py": concurrent})
    assert result.code == 1 and "a big table: the project builds an index on it CONCURRENTLY" in result.out


def test_atomic_false_commits_the_schema_step_before_the_loop(run_hook: Callable[..., Any]) -> None:
    result = run_hook(HOOK_ID, STEP, files=step(ADD_THEN_FILL, "atomic = False") | BIG_BOOK)
    assert result.code == 0 and result.out == "", result.out


def test_split_migrations_pass(run_hook: Callable[..., Any]) -> None:
    # squarelet 0069 / 0070: the field in one migration, the backfill in the next
    files = BASE | BIG_BOOK | {
        "library/migrations/0002_edition.py": django(
            'migrations.AddField(model_name="book", name="edition", field=models.IntegerField(null=True)),'),
        STEP: django("migrations.RunPython(fill_edition, migrations.RunPython.noop),", "", textwrap.dedent(LOOP))}
    result = run_hook(HOOK_ID, "library/migrations/0002_edition.py", STEP, files=files)
    assert result.code == 0 and result.out == "", result.out


def test_a_model_created_in_the_same_migration_has_nothing_to_lock(run_hook: Callable[..., Any]) -> None:
    operations = '''
    migrations.CreateModel(name="Edition", fields=[
        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
        ("number", models.IntegerField(null=True)),
    ]),
    migrations.AddField(model_name="edition", name="label", field=models.CharField(max_length=20, null=True)),
    migrations.RunPython(fill_edition, migrations.RunPython.noop),
    '''
    functions = LOOP.replace('"Book"', '"Edition"')
    result = run_hook(HOOK_ID, "--strict", STEP, files=step(operations, functions=functions))
    assert result.code == 0 and result.out == "", result.out


def test_a_filtered_or_other_table_backfill_passes(run_hook: Callable[..., Any]) -> None:
    # a few rows (a filter), or every row of another table than the one locked
    filtered = LOOP.replace('.select_related("author").iterator(chunk_size=200)', '.filter(code="")')
    other = LOOP.replace('"Book"', '"Shelf"')
    for functions in (filtered, other):
        result = run_hook(HOOK_ID, "--strict", STEP, files=step(ADD_THEN_FILL, functions=functions))
        assert result.code == 0 and result.out == "", (functions, result.out)


def test_a_data_step_before_the_schema_step_passes(run_hook: Callable[..., Any]) -> None:
    operations = '''
    migrations.RunPython(fill_edition, migrations.RunPython.noop),
    migrations.AlterField(model_name="book", name="title", field=models.CharField(max_length=300)),
    '''
    result = run_hook(HOOK_ID, "--strict", STEP, files=step(operations))
    assert result.code == 0 and result.out == "", result.out


def test_update_of_the_whole_manager_and_bulk_update_are_backfills(run_hook: Callable[..., Any]) -> None:
    update = '''
    def fill_edition(apps, schema_editor):
        Book = apps.get_model("library.Book")
        Book.objects.all().update(edition=1)
    '''
    bulk = '''
    def fill_edition(apps, schema_editor):
        Book = apps.get_model("library", "Book")
        books = Book.objects.only("pages")
        changed = []
        for book in books:
            book.edition = book.pages // 100
            changed.append(book)
        Book.objects.bulk_update(changed, ["edition"], batch_size=1000)
    '''
    for functions in (update, bulk):
        result = run_hook(HOOK_ID, STEP, files=step(ADD_THEN_FILL, functions=functions) | BIG_BOOK)
        assert result.code == 1 and "RunPython fill_edition writes every row of library_book" in result.out, \
            (functions, result.out)


def test_runsql_update_without_where_after_the_schema_step(run_hook: Callable[..., Any]) -> None:
    operations = '''
    migrations.AddField(model_name="book", name="edition", field=models.IntegerField(null=True)),
    migrations.RunSQL("UPDATE library_book SET edition = 1", migrations.RunSQL.noop),
    '''
    result = run_hook(HOOK_ID, STEP, files=step(operations, functions="") | BIG_BOOK)
    assert result.code == 1 and "RunSQL: UPDATE library_book writes every row of library_book" in result.out
    narrowed = operations.replace("SET edition = 1", "SET edition = 1 WHERE pages > (SELECT 900)")
    result = run_hook(HOOK_ID, STEP, files=step(narrowed, functions="") | BIG_BOOK)
    assert result.code == 0 and result.out == "", result.out
    in_subselect = operations.replace("SET edition = 1", "SET edition = (SELECT 1 WHERE true)")
    assert run_hook(HOOK_ID, STEP, files=step(in_subselect, functions="") | BIG_BOOK).code == 1


def test_check_constraint_is_judged_on_big_tables_only(run_hook: Callable[..., Any]) -> None:
    operations = '''
    migrations.AddConstraint(
        model_name="book",
        constraint=models.CheckConstraint(condition=models.Q(pages__gte=0), name="book_pages_gte_0"),
    ),
    '''
    result = run_hook(HOOK_ID, STEP, files=step(operations, functions=""))
    assert result.code == 0 and f"1 {NOT_JUDGED} (library_book)" in result.err
    result = run_hook(HOOK_ID, STEP, files=step(operations, functions="") | BIG_BOOK)
    assert result.code == 1 and "AddConstraint book.book_pages_gte_0 (CheckConstraint)" in result.out
    assert "validated by a scan of the whole table" in result.out


def test_alembic_backfill_judged_with_evidence_and_committed_one_passes(run_hook: Callable[..., Any]) -> None:
    versions = "migrations/versions"
    revision = f"{versions}/0003_step.py"
    evidence = ('with op.get_context().autocommit_block():\n'
                '    op.create_index("ix_book_code", "book", ["code"], postgresql_concurrently=True)')
    body = '''
    op.add_column("book", sa.Column("edition", sa.Integer(), nullable=True))
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE book SET edition = pages / 100"))
    op.alter_column("book", "edition", nullable=False)
    '''
    files = {"migrations/env.py": ALEMBIC_ENV, f"{versions}/0001_initial.py": ALEMBIC_INITIAL,
             f"{versions}/0002_code.py": alembic(evidence, "0002", "0001"), revision: alembic(body, "0003", "0002")}
    result = run_hook(HOOK_ID, revision, files=files)
    assert result.code == 1, result.err
    assert "UPDATE book writes every row of book after add_column book" in result.out
    committed = body.replace('    conn.execute(', 'with op.get_context().autocommit_block():\n        conn.execute(')
    result = run_hook(HOOK_ID, revision, files=files | {revision: alembic(committed, "0003", "0002")})
    assert "backfill" not in result.out, result.out
