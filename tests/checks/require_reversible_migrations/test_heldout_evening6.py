"""require-reversible-migrations after held-out round evening 6: migrations in an app
folder under ``migrations/`` (as ``MIGRATION_MODULES`` names it)."""
from __future__ import annotations

import re
from pathlib import Path

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
