"""require-reversible-migrations after held-out round evening 6: migrations in an app
folder under ``migrations/`` (as ``MIGRATION_MODULES`` names it), and a comment above
a step that says it must not be rolled back."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from hooks.checks.require_reversible_migrations.files import kind, scan
from hooks.config.paths import REVERSIBLE_MIGRATION_FILES
from tests.checks.require_reversible_migrations.helpers import ENV, FORWARD, INITIAL, alembic, django
from tests.conftest import write_files

FILL = "migrations.RunPython(forwards),"


def _scan(tmp_path: Path, files: dict[str, str], name: str) -> list[str]:
    write_files(tmp_path, files)
    found = scan(str(tmp_path / name), (), False, 2_000_000)
    assert isinstance(found, list), found
    return [issue.kind for issue in found]


# --- migrations/<app>/NNNN_*.py (MIGRATION_MODULES) ------------------------------------


def test_app_folder_under_migrations_is_read(tmp_path: Path) -> None:
    # MIGRATION_MODULES = {"inventory": "inventory.migrations.inventory"}
    folder = "src/inventory/migrations/inventory"
    files = {f"{folder}/__init__.py": "", f"{folder}/0001_initial.py": INITIAL,
             f"{folder}/0002_fill.py": django(FILL, FORWARD)}
    assert re.search(REVERSIBLE_MIGRATION_FILES, f"{folder}/0002_fill.py")
    assert _scan(tmp_path, files, f"{folder}/0002_fill.py") == ["no-reverse"]


def test_app_folder_without_a_migration_class_or_flask_versions_is_left_alone(tmp_path: Path) -> None:
    helper = "src/inventory/migrations/helpers/0001_sql.py"
    write_files(tmp_path, {helper: "STATEMENTS = ['UPDATE item SET n = 0']\n"})
    assert scan(str(tmp_path / helper), (), False, 2_000_000) is None
    # Flask-Migrate keeps Alembic revisions in migrations/versions/: Alembic's, not Django's.
    revision = "migrations/versions/1a2b3c4d5e6f_add.py"
    write_files(tmp_path, {"migrations/env.py": ENV,
                           revision: alembic("op.add_column('book', sa.Column('isbn', sa.String(13)))",
                                             "op.drop_column('book', 'isbn')")})
    assert kind(str(tmp_path / revision), ()) == "alembic"
    assert scan(str(tmp_path / revision), (), False, 2_000_000) == []


# --- a comment above the step says it must not be rolled back -----------------------------

REFUSED = """\
migrations.AddField(model_name="book", name="shelf", field=models.IntegerField(null=True)),
# NOTE(maintainer): Due to ambiguity in the next migrations
# rollback for this migration is prohibited.
migrations.RunSQL(FILL_SHELF),
"""
CONSTANT = "\nFILL_SHELF = 'UPDATE library_book SET shelf = 1'\n"


def test_comment_saying_rollback_is_prohibited_accepts_the_step(tmp_path: Path) -> None:
    files = {"library/migrations/0002_shelf.py": django(REFUSED, CONSTANT)}
    assert _scan(tmp_path, files, "library/migrations/0002_shelf.py") == []
    cannot = REFUSED.replace("# NOTE(maintainer): Due to ambiguity in the next migrations\n"
                             "# rollback for this migration is prohibited.", "# This cannot be undone: shelves merge.")
    files = {"library/migrations/0003_shelf.py": django(cannot, CONSTANT)}
    assert _scan(tmp_path, files, "library/migrations/0003_shelf.py") == []


@pytest.mark.parametrize("comment", [
    "# rollback: see docs/runbook.md",
    "# TODO: cannot roll back yet, write the reverse",
    "# We cannot use bulk_update here. Rollback is in 0004.",
    "# keep the rollback cheap",
])
def test_comment_that_only_mentions_rollback_keeps_the_finding(tmp_path: Path, comment: str) -> None:
    ops = REFUSED.replace("# NOTE(maintainer): Due to ambiguity in the next migrations\n"
                          "# rollback for this migration is prohibited.", comment)
    files = {"library/migrations/0002_shelf.py": django(ops, CONSTANT)}
    assert _scan(tmp_path, files, "library/migrations/0002_shelf.py") == ["no-reverse"]


def test_the_statement_must_be_directly_above_the_step(tmp_path: Path) -> None:
    ops = REFUSED.replace("migrations.RunSQL(FILL_SHELF),", "\nmigrations.RunSQL(FILL_SHELF),")
    files = {"library/migrations/0002_shelf.py": django(ops, CONSTANT)}
    assert _scan(tmp_path, files, "library/migrations/0002_shelf.py") == ["no-reverse"]
