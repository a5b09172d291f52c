"""Fixture migrations for check-migration-locks, shaped like ``makemigrations``
and ``alembic revision`` output: each case is one migration on top of a small
schema (author, book, shelf) and the rules the hook must report for it. The
unit tests run the hook on them; the PostgreSQL tests apply the same files to a
real database and check that each rule fires exactly where PostgreSQL takes the
lock, rewrites the table or fails."""
from __future__ import annotations

import re
import textwrap
from typing import Any, Callable

from hooks.core.records import record

DJANGO_INITIAL = '''\
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Author",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
            ],
        ),
        migrations.CreateModel(
            name="Book",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=100)),
                ("pages", models.IntegerField(default=0)),
                ("isbn", models.CharField(max_length=13, null=True)),
                ("code", models.CharField(max_length=20)),
                ("author", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="library.author")),
            ],
        ),
        migrations.CreateModel(
            name="Shelf",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("label", models.CharField(max_length=50)),
                ("owner_id", models.IntegerField(null=True)),
            ],
        ),
    ]
'''


def django(operations: str, head: str = "", imports: str = "") -> str:
    body = textwrap.indent(textwrap.dedent(operations).strip(), " " * 8)
    attrs = textwrap.indent(textwrap.dedent(head).strip(), " " * 4)
    return (f"from django.db import migrations, models\nimport django.db.models.deletion\n{imports}\n\n"
            f"class Migration(migrations.Migration):\n{attrs}\n\n"
            f"    dependencies = [(\"library\", \"0001_initial\")]\n\n"
            f"    operations = [\n{body}\n    ]\n")


ALEMBIC_ENV = '''\
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True,
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_offline()
'''

ALEMBIC_INITIAL = '''\
"""initial"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None


def upgrade():
    op.create_table(
        "author",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
    )
    op.create_table(
        "book",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("isbn", sa.String(13), nullable=True),
        sa.Column("code", sa.String(20), nullable=True),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("author.id"), nullable=False),
    )
    op.create_index("ix_book_author_id", "book", ["author_id"])
    op.create_table(
        "shelf",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("label", sa.String(50), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
    )


def downgrade():
    op.drop_table("shelf")
    op.drop_table("book")
    op.drop_table("author")
'''


def alembic(upgrade: str, revision: str = "0002", down: str | None = "0001") -> str:
    body = textwrap.indent(textwrap.dedent(upgrade).strip(), " " * 4)
    return (f'"""case"""\nfrom alembic import op\nimport sqlalchemy as sa\n\n'
            f'revision = "{revision}"\ndown_revision = {down!r}\n\n\n'
            f"def upgrade():\n{body}\n\n\ndef downgrade():\n    pass\n")


SQL_INITIAL = """\
CREATE TABLE author (id serial PRIMARY KEY, name varchar(200) NOT NULL);
CREATE TABLE book (
    id serial PRIMARY KEY,
    title varchar(100) NOT NULL,
    pages integer NOT NULL DEFAULT 0,
    isbn varchar(13),
    code varchar(20),
    author_id integer NOT NULL REFERENCES author (id)
);
CREATE INDEX book_author_id_idx ON book (author_id);
CREATE TABLE shelf (id serial PRIMARY KEY, label varchar(50) NOT NULL, owner_id integer);
"""


BACKFILL = '''

def fill_edition(apps, schema_editor):
    Book = apps.get_model("library", "Book")
    for book in Book.objects.iterator(chunk_size=500):
        book.edition = 1 if book.pages else None
        book.save(update_fields=["edition"])
'''


@record(frozen=True)
class Case:
    id: str
    kind: str  # "django", "alembic" or "sql"
    text: str  # the migration file
    rules: frozenset[str]  # what the hook must report (and nothing else)


def _case(id: str, kind: str, text: str, *rules: str) -> Case:
    return Case(id, kind, text, frozenset(rules))


CASES = [
    # --- Django -----------------------------------------------------------------
    _case("dj-add-index", "django", django(
        'migrations.AddIndex(model_name="book", index=models.Index(fields=["title"], name="book_title_idx")),'),
        "index-not-concurrent"),
    _case("dj-add-index-concurrently", "django", django(
        'AddIndexConcurrently(model_name="book", index=models.Index(fields=["title"], name="book_title_idx")),',
        "atomic = False", "from django.contrib.postgres.operations import AddIndexConcurrently")),
    _case("dj-concurrently-atomic", "django", django(
        'AddIndexConcurrently(model_name="book", index=models.Index(fields=["title"], name="book_title_idx")),',
        "", "from django.contrib.postgres.operations import AddIndexConcurrently"), "concurrent-in-transaction"),
    _case("dj-runsql-concurrently-atomic", "django", django(
        'migrations.RunSQL("CREATE INDEX CONCURRENTLY book_pages_idx ON library_book (pages)", '
        '"DROP INDEX book_pages_idx"),'), "concurrent-in-transaction"),
    _case("dj-runsql-index", "django", django(
        'migrations.RunSQL("CREATE INDEX book_pages_idx ON library_book (pages)", "DROP INDEX book_pages_idx"),'),
        "index-not-concurrent"),
    _case("dj-not-null-no-default", "django", django(
        'migrations.AddField(model_name="book", name="edition", field=models.IntegerField()),'),
        "not-null-no-default"),
    _case("dj-not-null-with-default", "django", django(
        'migrations.AddField(model_name="book", name="edition", field=models.IntegerField(default=1)),')),
    _case("dj-nullable", "django", django(
        'migrations.AddField(model_name="book", name="edition", field=models.IntegerField(null=True)),')),
    _case("dj-int-to-bigint", "django", django(
        'migrations.AlterField(model_name="book", name="pages", field=models.BigIntegerField(default=0)),'),
        "type-rewrite"),
    _case("dj-widen-charfield", "django", django(
        'migrations.AlterField(model_name="book", name="title", field=models.CharField(max_length=300)),')),
    _case("dj-add-fk", "django", django(
        'migrations.AddField(model_name="shelf", name="book", field=models.ForeignKey(null=True, '
        'on_delete=django.db.models.deletion.CASCADE, to="library.book")),'), "index-not-concurrent"),
    # With a default the new column is not all NULL: PostgreSQL scans the table for the key.
    _case("dj-add-fk-default", "django", django(
        'migrations.AddField(model_name="shelf", name="book", field=models.ForeignKey(default=1, '
        'on_delete=django.db.models.deletion.CASCADE, to="library.book"), preserve_default=False),'),
        "fk-validated-on-add"),
    _case("dj-add-fk-no-constraint", "django", django(
        'migrations.AddField(model_name="shelf", name="book", field=models.ForeignKey(null=True, db_index=False, '
        'db_constraint=False, on_delete=django.db.models.deletion.CASCADE, to="library.book")),')),
    _case("dj-volatile-db-default", "django", django(
        'migrations.AddField(model_name="book", name="token", '
        'field=models.UUIDField(db_default=RandomUUID())),', "", "from django.contrib.postgres.functions import RandomUUID"),
        "volatile-default"),
    _case("dj-stable-db-default", "django", django(
        'migrations.AddField(model_name="book", name="added", '
        'field=models.DateTimeField(db_default=Now())),', "", "from django.db.models.functions import Now")),
    _case("dj-set-not-null", "django", django(
        'migrations.AlterField(model_name="book", name="isbn", field=models.CharField(max_length=13)),'),
        "set-not-null"),
    _case("dj-unique-constraint", "django", django(
        'migrations.AddConstraint(model_name="book", '
        'constraint=models.UniqueConstraint(fields=("code",), name="book_code_uniq")),'), "unique-added"),
    _case("dj-unique-field", "django", django(
        'migrations.AlterField(model_name="book", name="code", field=models.CharField(max_length=20, unique=True)),'),
        "unique-added"),
    _case("dj-db-index", "django", django(
        'migrations.AlterField(model_name="book", name="code", field=models.CharField(max_length=20, db_index=True)),'),
        "index-not-concurrent"),
    _case("dj-narrow-charfield", "django", django(
        'migrations.AlterField(model_name="book", name="title", field=models.CharField(max_length=50)),'),
        "type-rewrite"),
    _case("dj-charfield-to-text", "django", django(
        'migrations.AlterField(model_name="book", name="title", field=models.TextField()),')),
    _case("dj-created-here", "django", django('''
        migrations.CreateModel(name="Loan", fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("days", models.IntegerField()),
        ]),
        migrations.AddField(model_name="loan", name="book", field=models.ForeignKey(
            on_delete=django.db.models.deletion.CASCADE, to="library.book")),
        migrations.AddIndex(model_name="loan", index=models.Index(fields=["days"], name="loan_days_idx")),
    ''')),
    _case("dj-lock-ok", "django", django('''
        # lock-ok: book holds 300 rows, it is a lookup table
        migrations.AddIndex(model_name="book", index=models.Index(fields=["title"], name="book_title_idx")),
    ''')),
    # A CHECK constraint added without NOT VALID scans the table under ACCESS EXCLUSIVE (les-emplois
    # users/0056, mitxonline 0040: held-out rounds 4 and 5).
    _case("dj-check-constraint", "django", django(
        'migrations.AddConstraint(model_name="book", constraint=models.CheckConstraint('
        'condition=models.Q(pages__gte=0), name="book_pages_gte_0")),'), "check-validated-on-add"),
    # A schema step, then a RunPython over every row, in one atomic migration: the AddField's
    # ACCESS EXCLUSIVE lock is held for the whole loop (squarelet organizations/0066, round 6).
    _case("dj-backfill-under-lock", "django", django("""
        migrations.AddField(model_name="book", name="edition", field=models.IntegerField(null=True)),
        migrations.RunPython(fill_edition, migrations.RunPython.noop),
        """, "", BACKFILL), "backfill-under-lock"),
    _case("dj-backfill-not-atomic", "django", django("""
        migrations.AddField(model_name="book", name="edition", field=models.IntegerField(null=True)),
        migrations.RunPython(fill_edition, migrations.RunPython.noop),
        """, "atomic = False", BACKFILL)),
    _case("dj-backfill-filtered", "django", django("""
        migrations.AddField(model_name="book", name="edition", field=models.IntegerField(null=True)),
        migrations.RunPython(fill_edition, migrations.RunPython.noop),
        """, "", BACKFILL.replace(
        "Book.objects.iterator(chunk_size=500)", 'Book.objects.filter(title__startswith="Vol")'))),
    # --- Alembic ----------------------------------------------------------------
    _case("al-check-constraint", "alembic", alembic(
        'op.create_check_constraint("ck_book_pages", "book", "pages >= 0")'), "check-validated-on-add"),
    _case("al-backfill-under-lock", "alembic", alembic('''
        op.add_column("book", sa.Column("edition", sa.Integer(), nullable=True))
        op.execute("UPDATE book SET edition = 1")
    '''), "backfill-under-lock"),
    # committed first: autocommit_block() ends the revision's transaction before the backfill
    _case("al-backfill-autocommit", "alembic", alembic('''
        op.add_column("book", sa.Column("edition", sa.Integer(), nullable=True))
        with op.get_context().autocommit_block():
            op.execute("UPDATE book SET edition = 1")
    ''')),
    _case("al-update-some-rows", "alembic", alembic('''
        op.add_column("book", sa.Column("edition", sa.Integer(), nullable=True))
        op.execute("UPDATE book SET edition = 1 WHERE pages > 900")
    ''')),
    _case("al-create-index", "alembic", alembic('op.create_index("ix_book_title", "book", ["title"])'),
          "index-not-concurrent"),
    _case("al-index-concurrently-autocommit", "alembic", alembic('''
        with op.get_context().autocommit_block():
            op.create_index("ix_book_title", "book", ["title"], postgresql_concurrently=True)
    ''')),
    _case("al-index-concurrently-transaction", "alembic",
          alembic('op.create_index("ix_book_title", "book", ["title"], postgresql_concurrently=True)'),
          "concurrent-in-transaction"),
    _case("al-not-null-no-default", "alembic",
          alembic('op.add_column("book", sa.Column("edition", sa.Integer(), nullable=False))'),
          "not-null-no-default"),
    _case("al-not-null-server-default", "alembic",
          alembic('op.add_column("book", sa.Column("edition", sa.Integer(), nullable=False, server_default="1"))')),
    _case("al-type-rewrite", "alembic", alembic(
        'op.alter_column("book", "pages", existing_type=sa.Integer(), type_=sa.BigInteger())'), "type-rewrite"),
    _case("al-widen-string", "alembic", alembic(
        'op.alter_column("book", "title", existing_type=sa.String(100), type_=sa.String(300))')),
    _case("al-fk", "alembic", alembic(
        'op.create_foreign_key("shelf_owner_fk", "shelf", "author", ["owner_id"], ["id"])'),
        "fk-validated-on-add", "fk-without-index"),
    _case("al-fk-not-valid", "alembic", alembic('''
        op.create_index("ix_shelf_owner_id", "shelf", ["owner_id"], postgresql_concurrently=True)
        op.create_foreign_key("shelf_owner_fk", "shelf", "author", ["owner_id"], ["id"], postgresql_not_valid=True)
    ''').replace("op.create_index", "with op.get_context().autocommit_block():\n        op.create_index", 1)),
    _case("al-add-column-fk", "alembic", alembic(
        'op.add_column("shelf", sa.Column("book_id", sa.Integer(), sa.ForeignKey("book.id"), nullable=True))'),
        "fk-validated-on-add", "fk-without-index"),
    # Steps in a branch for another database are not judged by PostgreSQL's rules;
    # the PostgreSQL branch is.
    _case("al-sqlite-branch", "alembic", alembic('''
        dialect = op.get_context().dialect.name
        if dialect == "sqlite":
            with op.batch_alter_table("book") as batch_op:
                batch_op.create_index("ix_book_title", ["title"])
        else:
            op.alter_column("book", "isbn", existing_type=sa.String(13), nullable=False)
    '''), "set-not-null"),
    _case("al-not-postgres-branch", "alembic", alembic('''
        if op.get_context().dialect.name != "postgresql":
            op.create_index("ix_book_title", "book", ["title"])
        else:
            with op.get_context().autocommit_block():
                op.create_index("ix_book_title", "book", ["title"], postgresql_concurrently=True)
    ''')),
    _case("al-postgres-branch", "alembic", alembic('''
        if op.get_context().dialect.name in ("postgresql", "postgres"):
            op.create_index("ix_book_title", "book", ["title"])
    '''), "index-not-concurrent"),
    _case("al-volatile-default", "alembic", alembic(
        'op.add_column("book", sa.Column("token", sa.Uuid(), server_default=sa.text("gen_random_uuid()")))'),
        "volatile-default"),
    _case("al-stable-default", "alembic", alembic(
        'op.add_column("book", sa.Column("added", sa.DateTime(), server_default=sa.func.now()))')),
    _case("al-set-not-null", "alembic", alembic(
        'op.alter_column("book", "isbn", existing_type=sa.String(13), nullable=False)'), "set-not-null"),
    _case("al-set-not-null-checked", "alembic", alembic('''
        op.execute("ALTER TABLE book ADD CONSTRAINT book_isbn_nn CHECK (isbn IS NOT NULL) NOT VALID")
        op.execute("ALTER TABLE book VALIDATE CONSTRAINT book_isbn_nn")
        op.alter_column("book", "isbn", existing_type=sa.String(13), nullable=False)
    ''')),
    _case("al-unique", "alembic", alembic('op.create_unique_constraint("uq_book_code", "book", ["code"])'),
          "unique-added"),
    _case("al-create-table-fk-no-index", "alembic", alembic('''
        op.create_table(
            "loan",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("book_id", sa.Integer(), sa.ForeignKey("book.id"), nullable=False),
        )
    '''), "fk-without-index"),
    _case("al-create-table-fk-indexed", "alembic", alembic('''
        op.create_table(
            "loan",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("book_id", sa.Integer(), sa.ForeignKey("book.id"), nullable=False, index=True),
        )
        op.create_index("ix_loan_days", "loan", ["id"])
    ''')),
    # A table emptied earlier in the revision (skyportal a4d17c3b8e52: DELETE FROM, then a
    # NOT NULL column without a default) has no rows to fill or scan; a DELETE with a WHERE keeps rows.
    _case("al-emptied-then-not-null", "alembic", alembic('''
        # The rows are a progress cache; emptying the table lets edition be added NOT NULL.
        op.execute("DELETE FROM book")
        op.add_column("book", sa.Column("edition", sa.Integer(), nullable=False))
    ''')),
    _case("al-deleted-some-then-not-null", "alembic", alembic('''
        op.execute("DELETE FROM book WHERE pages = 0")
        op.execute("DELETE FROM shelf")
        op.add_column("book", sa.Column("edition", sa.Integer(), nullable=False))
    '''), "not-null-no-default"),
    _case("al-not-null-before-emptied", "alembic", alembic('''
        op.add_column("book", sa.Column("edition", sa.Integer(), nullable=False))
        op.execute("DELETE FROM book")
    '''), "not-null-no-default"),
    # Each batch_op belongs to its own `with` (dstack 3d4f69210528: two tables, one name batch_op).
    _case("al-batch-index-per-table", "alembic", alembic('''
        op.create_table(
            "loan",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("book_id", sa.Integer(), sa.ForeignKey("book.id"), nullable=False),
        )
        with op.batch_alter_table("loan", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_loan_book_id"), ["book_id"], unique=False)
        op.create_table(
            "hold",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("book_id", sa.Integer(), sa.ForeignKey("book.id"), nullable=False),
        )
        with op.batch_alter_table("hold", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_hold_book_id"), ["book_id"], unique=False)
    ''')),
    _case("al-batch-index-other-table", "alembic", alembic('''
        op.create_table(
            "loan",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("book_id", sa.Integer(), sa.ForeignKey("book.id"), nullable=False),
        )
        op.create_table(
            "hold",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("book_id", sa.Integer(), sa.ForeignKey("book.id"), nullable=False),
        )
        with op.batch_alter_table("hold", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_hold_book_id"), ["book_id"], unique=False)
    '''), "fk-without-index"),
    # --- SQL --------------------------------------------------------------------
    _case("sql-check", "sql", "ALTER TABLE book ADD CONSTRAINT book_pages_ck CHECK (pages >= 0);\n",
          "check-validated-on-add"),
    _case("sql-check-not-valid", "sql",
          "ALTER TABLE book ADD CONSTRAINT book_pages_ck CHECK (pages >= 0) NOT VALID;\n"),
    _case("sql-backfill-under-lock", "sql",
          "BEGIN;\nALTER TABLE book ADD COLUMN edition integer;\nUPDATE book SET edition = 1;\nCOMMIT;\n",
          "backfill-under-lock"),
    _case("sql-backfill-committed", "sql",
          "BEGIN;\nALTER TABLE book ADD COLUMN edition integer;\nCOMMIT;\nUPDATE book SET edition = 1;\n"),
    _case("sql-index", "sql", "CREATE INDEX book_title_idx ON book (title);\n", "index-not-concurrent"),
    _case("sql-index-concurrently", "sql", "CREATE INDEX CONCURRENTLY book_title_idx ON book (title);\n"),
    _case("sql-concurrently-in-transaction", "sql",
          "BEGIN;\nCREATE INDEX CONCURRENTLY book_title_idx ON book (title);\nCOMMIT;\n", "concurrent-in-transaction"),
    _case("sql-not-null", "sql", "ALTER TABLE book ADD COLUMN edition integer NOT NULL;\n", "not-null-no-default"),
    _case("sql-emptied-then-not-null", "sql",
          "DELETE FROM ONLY public.book;\nALTER TABLE book ADD COLUMN edition integer NOT NULL;\n"),
    _case("sql-emptied-other-then-not-null", "sql",
          "DELETE FROM shelf;\nALTER TABLE book ADD COLUMN edition integer NOT NULL;\n", "not-null-no-default"),
    _case("sql-not-null-default", "sql", "ALTER TABLE book ADD COLUMN edition integer NOT NULL DEFAULT 1;\n"),
    _case("sql-type", "sql", "ALTER TABLE book ALTER COLUMN pages TYPE bigint;\n", "type-rewrite"),
    _case("sql-type-varchar", "sql", "ALTER TABLE book ALTER COLUMN title TYPE varchar(300);\n"),
    _case("sql-fk", "sql", "ALTER TABLE shelf ADD CONSTRAINT shelf_owner_fk FOREIGN KEY (owner_id) REFERENCES author (id);\n",
          "fk-validated-on-add"),
    _case("sql-fk-not-valid", "sql",
          "ALTER TABLE shelf ADD CONSTRAINT shelf_owner_fk FOREIGN KEY (owner_id) REFERENCES author (id) NOT VALID;\n"),
    # A key added with its column (no DEFAULT): all NULL, PostgreSQL marks it valid without a scan.
    _case("sql-add-column-references", "sql", "ALTER TABLE shelf ADD COLUMN book_id integer REFERENCES book (id);\n"),
    _case("sql-add-column-references-default", "sql",
          "ALTER TABLE shelf ADD COLUMN book_id integer DEFAULT 1 REFERENCES book (id);\n", "fk-validated-on-add"),
    # A key added by its own ALTER TABLE scans the table even when the column is new.
    _case("sql-add-column-then-fk", "sql",
          "ALTER TABLE shelf ADD COLUMN book_id integer;\n"
          "ALTER TABLE shelf ADD CONSTRAINT shelf_book_fk FOREIGN KEY (book_id) REFERENCES book (id);\n",
          "fk-validated-on-add"),
    _case("sql-volatile", "sql", "ALTER TABLE book ADD COLUMN token uuid DEFAULT gen_random_uuid();\n",
          "volatile-default"),
    _case("sql-stable", "sql", "ALTER TABLE book ADD COLUMN added timestamptz DEFAULT now();\n"),
    _case("sql-set-not-null", "sql", "ALTER TABLE book ALTER COLUMN isbn SET NOT NULL;\n", "set-not-null"),
    _case("sql-unique", "sql", "ALTER TABLE book ADD CONSTRAINT book_code_uniq UNIQUE (code);\n", "unique-added"),
    _case("sql-unique-using-index", "sql",
          "CREATE UNIQUE INDEX CONCURRENTLY book_code_uniq_idx ON book (code);\n"
          "ALTER TABLE book ADD CONSTRAINT book_code_uniq UNIQUE USING INDEX book_code_uniq_idx;\n"),
    _case("sql-created-here", "sql",
          "CREATE TABLE loan (id serial PRIMARY KEY, book_id integer NOT NULL);\n"
          "CREATE INDEX loan_book_idx ON loan (book_id);\n"
          "ALTER TABLE loan ADD CONSTRAINT loan_book_fk FOREIGN KEY (book_id) REFERENCES book (id);\n"),
]


def path_of(case: Case) -> str:
    """Where the case's migration lives in the fixture repository."""
    return {"django": "library/migrations/0002_case.py", "alembic": "migrations/versions/0002_case.py",
            "sql": "db/migrations/0002_case.up.sql"}[case.kind]


def repo_files(case: Case) -> dict[str, str]:
    """The fixture repository of one case: the initial migration, the case, and what the framework needs."""
    files = {path_of(case): case.text}
    if case.kind == "django":
        files.update({"library/__init__.py": "", "library/migrations/__init__.py": "",
                      "library/migrations/0001_initial.py": DJANGO_INITIAL})
    elif case.kind == "alembic":
        files.update({"migrations/env.py": ALEMBIC_ENV, "migrations/versions/0001_initial.py": ALEMBIC_INITIAL})
    else:
        files.update({"db/migrations/0001_initial.up.sql": SQL_INITIAL})
    return files


def strict(run_hook: Callable[..., Any]) -> Callable[..., Any]:
    """``run_hook`` with every table judged (--strict) by check-migration-locks: for the
    tests about what each rule sees. By default a step whose cost grows with the table
    needs evidence that the table is big (test_evidence.py)."""
    def run(hook_id: str, *args: str, **kwargs: Any) -> Any:
        return run_hook(hook_id, *(("--strict",) if hook_id == "check-migration-locks" else ()), *args, **kwargs)

    return run


FINDING = re.compile(r"check-migration-locks: ")
DJANGO_CASE = "library/migrations/0002_case.py"  # path_of a Django case


def case_findings(run_hook: Callable[..., Any], files: dict[str, str], *paths: str) -> list[str]:
    """check-migration-locks' finding lines over the first case's repository with ``files``
    laid over it, run on ``paths`` (the Django case's file when none is named)."""
    result = run_hook("check-migration-locks", *(paths or (DJANGO_CASE,)), files=repo_files(CASES[0]) | files)
    return [line for line in result.lines if FINDING.search(line)]
