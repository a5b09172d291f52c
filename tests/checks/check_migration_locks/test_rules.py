"""check-migration-locks: catch / leave-alone pairs per rule on Django, Alembic
and SQL migrations, the exemptions, the options and the file kinds."""
from __future__ import annotations

import re
from typing import Any, Callable

import pytest

from hooks.checks.check_migration_locks.rules import RULES
from tests.checks.check_migration_locks.cases import (
    ALEMBIC_ENV,
    ALEMBIC_INITIAL,
    CASES,
    DJANGO_INITIAL,
    Case,
    alembic,
    django,
    path_of,
    repo_files,
)

HOOK_ID = "check-migration-locks"
RULE = re.compile(r"check-migration-locks: ")


def rules_of(lines: list[str]) -> set[str]:
    """The rules behind each reported line, from the messages' fixed lock sentences."""
    found = set()
    for line in lines:
        for rule, (_, lock, _) in RULES.items():
            if lock in line:
                found.add(rule)
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_case_reports_exactly_its_rules(case: Case, run_hook: Callable[..., Any]) -> None:
    result = run_hook(HOOK_ID, path_of(case), files=repo_files(case))
    lines = [line for line in result.lines if RULE.search(line)]
    assert rules_of(lines) == set(case.rules), "\n".join(result.lines)
    assert result.code == (1 if case.rules else 0)
    for line in lines:
        assert line.startswith(path_of(case) + ":"), line
        assert "lock-ok: <reason>" in line


def test_every_default_rule_but_rename_has_a_catching_case() -> None:
    caught = {rule for case in CASES for rule in case.rules}
    on = {rule for rule, (default, _, _) in RULES.items() if default}
    assert on - caught == {"rename-in-use"}  # needs the repo's code: tests below


# --- exemptions -------------------------------------------------------------------


def test_initial_and_squashed_migrations_are_exempt(run_hook: Callable[..., Any]) -> None:
    op = 'migrations.AddIndex(model_name="book", index=models.Index(fields=["title"], name="book_title_idx")),'
    for head in ("initial = True", 'replaces = [("library", "0002_a"), ("library", "0003_b")]'):
        files = repo_files(CASES[0]) | {"library/migrations/0002_case.py": django(op, head)}
        assert run_hook(HOOK_ID, "library/migrations/0002_case.py", files=files).code == 0
    files = {"migrations/env.py": ALEMBIC_ENV,
             "migrations/versions/0002_case.py": alembic('op.create_index("ix", "book", ["title"])', down=None)}
    assert run_hook(HOOK_ID, "migrations/versions/0002_case.py", files=files).code == 0


def test_small_tables_setting_and_flag(run_hook: Callable[..., Any]) -> None:
    case = next(c for c in CASES if c.id == "dj-add-index")
    assert run_hook(HOOK_ID, path_of(case), "--small-tables", "book", files=repo_files(case)).code == 0
    files = repo_files(case) | {"pyproject.toml": '[tool.legacy-config-hooks.check-migration-locks]\n'
                                                  'small-tables = ["library_book"]\n'}
    assert run_hook(HOOK_ID, path_of(case), files=files).code == 0
    other = repo_files(case) | {"pyproject.toml": '[tool.legacy-config-hooks.check-migration-locks]\n'
                                                  'small-tables = ["shelf"]\n'}
    assert run_hook(HOOK_ID, path_of(case), files=other).code == 1


def test_lock_ok_needs_a_reason(run_hook: Callable[..., Any]) -> None:
    op = ('# lock-ok: TODO\nmigrations.AddIndex(model_name="book", '
          'index=models.Index(fields=["title"], name="book_title_idx")),')
    files = repo_files(CASES[0]) | {"library/migrations/0002_case.py": django(op)}
    result = run_hook(HOOK_ID, "library/migrations/0002_case.py", files=files)
    assert result.code == 1 and "the lock-ok reason is not a reason: 'TODO'" in result.out
    sql = "-- lock-ok: built during the maintenance window of BILL-12\nCREATE INDEX book_t ON book (title);\n"
    assert run_hook(HOOK_ID, "db/migrations/0003.up.sql", files={"db/migrations/0003.up.sql": sql}).code == 0


def test_the_generic_suppression_marker_works(run_hook: Callable[..., Any]) -> None:
    sql = "CREATE INDEX book_t ON book (title);  -- legacy-config: ignore[check-migration-locks]\n"
    assert run_hook(HOOK_ID, "db/migrations/0003.up.sql", files={"db/migrations/0003.up.sql": sql}).code == 0


# --- rename-in-use ------------------------------------------------------------------


RENAME = 'migrations.RenameField(model_name="book", old_name="title", new_name="headline"),'


def test_rename_field_still_used_by_the_app_is_caught(run_hook: Callable[..., Any]) -> None:
    files = repo_files(CASES[0]) | {
        "library/migrations/0002_case.py": django(RENAME),
        "library/views.py": "def index(request):\n    return Book.objects.order_by('title')\n",
    }
    result = run_hook(HOOK_ID, "library/migrations/0002_case.py", files=files)
    assert result.code == 1 and "RenameField book.title -> headline" in result.out
    assert "library/views.py:2 still uses the old name" in result.out


def test_rename_field_no_longer_used_passes(run_hook: Callable[..., Any]) -> None:
    files = repo_files(CASES[0]) | {
        "library/migrations/0002_case.py": django(RENAME),
        "library/views.py": "def index(request):\n    return Book.objects.order_by('headline')\n",
        "other/views.py": "def f(page):\n    return page.title\n",  # another app's title: not this model's
    }
    assert run_hook(HOOK_ID, "library/migrations/0002_case.py", files=files).code == 0


def test_rename_model_still_used_is_caught(run_hook: Callable[..., Any]) -> None:
    op = 'migrations.RenameModel(old_name="Shelf", new_name="Rack"),'
    used = repo_files(CASES[0]) | {"library/migrations/0002_case.py": django(op),
                                   "reports/daily.py": "from library.models import Shelf\n"}
    assert "RenameModel Shelf -> Rack" in run_hook(HOOK_ID, "library/migrations/0002_case.py", files=used).out
    unused = repo_files(CASES[0]) | {"library/migrations/0002_case.py": django(op),
                                     "reports/daily.py": "from library.models import Rack\n"}
    assert run_hook(HOOK_ID, "library/migrations/0002_case.py", files=unused).code == 0


def test_alembic_column_rename_still_used_by_a_model_is_caught(run_hook: Callable[..., Any]) -> None:
    files = {"migrations/env.py": ALEMBIC_ENV, "migrations/versions/0001_initial.py": ALEMBIC_INITIAL,
             "migrations/versions/0002_case.py": alembic('op.alter_column("book", "isbn", new_column_name="ean")'),
             "app/models.py": 'class Book(Base):\n    __tablename__ = "book"\n    isbn = Column(String(13))\n'}
    result = run_hook(HOOK_ID, "migrations/versions/0002_case.py", files=files)
    assert "alter_column book.isbn -> ean" in result.out and "app/models.py:3" in result.out
    files["app/models.py"] = 'class Book(Base):\n    __tablename__ = "book"\n    ean = Column(String(13))\n'
    assert run_hook(HOOK_ID, "migrations/versions/0002_case.py", files=files).code == 0


def test_sql_rename_still_used_in_raw_sql_is_caught(run_hook: Callable[..., Any]) -> None:
    files = {"db/migrations/0003.up.sql": "ALTER TABLE book RENAME COLUMN code TO sku;\n",
             "app/queries.py": 'SQL = "SELECT code FROM book WHERE id = %s"\n'}
    result = run_hook(HOOK_ID, "db/migrations/0003.up.sql", files=files)
    assert result.code == 1 and "RENAME COLUMN book.code" in result.out
    files["app/queries.py"] = 'SQL = "SELECT sku FROM book WHERE id = %s"\n'
    assert run_hook(HOOK_ID, "db/migrations/0003.up.sql", files=files).code == 0


# --- no-lock-timeout (off by default) -------------------------------------------------


def test_no_lock_timeout_is_off_by_default_and_enabled_on_request(run_hook: Callable[..., Any]) -> None:
    op = 'migrations.AddField(model_name="book", name="edition", field=models.IntegerField(null=True)),'
    files = repo_files(CASES[0]) | {"library/migrations/0002_case.py": django(op)}
    assert run_hook(HOOK_ID, "library/migrations/0002_case.py", files=files).code == 0
    result = run_hook(HOOK_ID, "library/migrations/0002_case.py", "--enable", "no-lock-timeout", files=files)
    assert result.code == 1 and "sets no lock_timeout" in result.out
    timed = 'migrations.RunSQL("SET lock_timeout = \'5s\'", migrations.RunSQL.noop),\n' + op
    files["library/migrations/0002_case.py"] = django(timed)
    assert run_hook(HOOK_ID, "library/migrations/0002_case.py", "--enable", "no-lock-timeout", files=files).code == 0
    files["library/migrations/0002_case.py"] = django(op)
    files["settings.py"] = 'DATABASES = {"default": {"OPTIONS": {"options": "-c lock_timeout=5000"}}}\n'
    assert run_hook(HOOK_ID, "library/migrations/0002_case.py", "--enable", "no-lock-timeout", files=files).code == 0


def test_unknown_rule_is_a_usage_error(run_hook: Callable[..., Any]) -> None:
    result = run_hook(HOOK_ID, "--disable", "index-not-concurent")
    assert result.code == 2 and "not a rule" in result.err


def test_disable_a_rule(run_hook: Callable[..., Any]) -> None:
    case = next(c for c in CASES if c.id == "al-fk")
    result = run_hook(HOOK_ID, path_of(case), "--disable", "fk-without-index", files=repo_files(case))
    assert rules_of(result.lines) == {"fk-validated-on-add"}


# --- which files ----------------------------------------------------------------------


def test_files_that_are_not_migrations_are_left_alone(run_hook: Callable[..., Any]) -> None:
    files = {
        "app/versions/helpers.py": "def upgrade():\n    op.create_index('i', 'book', ['title'])\n",  # no env.py
        "db/schema.sql": "CREATE INDEX book_t ON book (title);\n",  # a dump, not a migration folder
        "db/migrations/0003.down.sql": "CREATE INDEX book_t ON book (title);\n",  # the rollback
        "library/migrations/0009_notes.py": "# not a migration class\nX = 1\n",
    }
    result = run_hook(HOOK_ID, *files, files=files)
    assert result.code == 0 and result.out == ""


def test_a_broken_migration_is_one_line(run_hook: Callable[..., Any]) -> None:
    result = run_hook(HOOK_ID, "library/migrations/0002_x.py", files={"library/migrations/0002_x.py": "class (:\n"})
    assert result.code == 1 and "cannot parse Python" in result.out and len(result.lines) == 1


def test_alter_field_without_history_is_not_judged(run_hook: Callable[..., Any]) -> None:
    op = 'migrations.AlterField(model_name="book", name="pages", field=models.BigIntegerField(default=0)),'
    files = {"library/migrations/0002_case.py": django(op)}  # no 0001: the old type is unknown
    assert run_hook(HOOK_ID, "library/migrations/0002_case.py", files=files).code == 0
    files["library/migrations/0001_initial.py"] = DJANGO_INITIAL
    assert run_hook(HOOK_ID, "library/migrations/0002_case.py", files=files).code == 1


def test_manifest_files_are_the_migration_pattern_of_paths() -> None:
    from pathlib import Path

    import yaml

    from hooks.config.paths import LOCKING_MIGRATION_FILES, MIGRATION_FILES

    manifest = yaml.safe_load((Path(__file__).parents[3] / ".pre-commit-hooks.yaml").read_text())
    entry = next(h for h in manifest if h["id"] == HOOK_ID)
    assert entry["files"] == LOCKING_MIGRATION_FILES and LOCKING_MIGRATION_FILES.startswith(MIGRATION_FILES)


def test_rename_whose_old_name_comes_back_passes(run_hook: Callable[..., Any]) -> None:
    """Nautobot's pattern: role -> legacy_role and new_role added, then new_role -> role:
    the code's `role` is the new field."""
    files = repo_files(CASES[0]) | {
        "library/migrations/0002_case.py": django(
            RENAME + '\nmigrations.AddField(model_name="book", name="new_title", '
            'field=models.CharField(max_length=100, null=True)),'),
        "library/migrations/0003_title.py": django(
            'migrations.RenameField(model_name="book", old_name="new_title", new_name="title"),'
        ).replace('"0001_initial"', '"0002_case"'),
        "library/views.py": "def index(request):\n    return Book.objects.order_by('title')\n",
    }
    result = run_hook(HOOK_ID, "library/migrations/0002_case.py", files=files)
    assert "RenameField" not in result.out, result.out
