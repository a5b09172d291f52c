"""require-reversible-migrations on an Alembic environment without downgrades by
design: its revision template (``script.py.mako``) writes only ``upgrade()`` and
no revision defines ``downgrade()``: one notice for the folder, no finding per
revision; ``--strict`` reports them. A template with a downgrade(), or one
revision with one, keeps the findings."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.require_reversible_migrations import main
from hooks.checks.require_reversible_migrations.files import without_downgrades
from tests.checks.require_reversible_migrations.helpers import ADD, ENV, alembic
from tests.conftest import git, write_files

UPGRADE_ONLY_TEMPLATE = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision}
Create Date: ${create_date}

"""

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}


def upgrade():
    ${upgrades if upgrades else "pass"}
'''

STOCK_TEMPLATE = UPGRADE_ONLY_TEMPLATE + '''

def downgrade():
    ${downgrades if downgrades else "pass"}
'''

VERSIONS = "workflow/db/migration/alembic_migrations/versions"


def _repo(tmp_path: Path, template: str, with_downgrade: bool = False) -> dict[str, str]:
    files = {
        "workflow/db/migration/alembic_migrations/env.py": ENV,
        "workflow/db/migration/alembic_migrations/script.py.mako": template,
        f"{VERSIONS}/__init__.py": "",
    }
    for number in range(1, 4):
        files[f"{VERSIONS}/00{number}_change.py"] = alembic(ADD.replace("isbn", f"isbn{number}"), None)
    if with_downgrade:
        files[f"{VERSIONS}/003_change.py"] = alembic(ADD, "op.drop_column('book', 'isbn')")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write_files(repo, files)
    return files


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
         files: dict[str, str], *options: str) -> tuple[int, str, str]:
    monkeypatch.chdir(tmp_path / "repo")
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1")
    without_downgrades.cache_clear()
    code = main([*options, *sorted(p for p in files if p.endswith(".py") and "/versions/0" in p)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_no_downgrade_anywhere_and_an_upgrade_only_template_is_one_notice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    files = _repo(tmp_path, UPGRADE_ONLY_TEMPLATE)
    code, out, err = _run(monkeypatch, capsys, tmp_path, files)
    assert code == 0 and "downgrade() is missing" not in out
    assert err.count("none of its 3 revision(s) defines downgrade()") == 1 and VERSIONS in err and "--strict" in err
    code, out, _ = _run(monkeypatch, capsys, tmp_path, files, "--strict")
    assert code == 1 and out.count("downgrade() is missing") == 3


def test_a_template_with_downgrade_keeps_the_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    files = _repo(tmp_path, STOCK_TEMPLATE)
    code, out, err = _run(monkeypatch, capsys, tmp_path, files)
    assert code == 1 and out.count("downgrade() is missing") == 3 and "by design" not in err


def test_one_revision_with_a_downgrade_keeps_the_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    files = _repo(tmp_path, UPGRADE_ONLY_TEMPLATE, with_downgrade=True)
    code, out, err = _run(monkeypatch, capsys, tmp_path, files)
    assert code == 1 and out.count("downgrade() is missing") == 2 and "by design" not in err


def test_no_template_keeps_the_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    files = _repo(tmp_path, UPGRADE_ONLY_TEMPLATE)
    (tmp_path / "repo/workflow/db/migration/alembic_migrations/script.py.mako").unlink()
    code, out, _ = _run(monkeypatch, capsys, tmp_path, files)
    assert code == 1 and out.count("downgrade() is missing") == 3
