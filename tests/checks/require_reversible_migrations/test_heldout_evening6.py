"""require-reversible-migrations after held-out round evening 6: migrations in an app
folder under ``migrations/`` (as ``MIGRATION_MODULES`` names it), a comment above a
step that says it must not be rolled back, and Django projects that migrate forward
only (one notice, ``--strict`` reports each)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from hooks.checks.require_reversible_migrations import main
from hooks.checks.require_reversible_migrations.files import kind, practice, scan
from hooks.config.paths import REVERSIBLE_MIGRATION_FILES
from tests.checks.require_reversible_migrations.helpers import ENV, FORWARD, INITIAL, alembic, django
from tests.conftest import git, write_files

FILL = "migrations.RunPython(forwards),"
FILL_BACK = "migrations.RunPython(forwards, backwards),"


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


# --- Django projects that migrate forward only ----------------------------------------------


def _project(tmp_path: Path, data: int, reversed_count: int) -> dict[str, str]:
    """``data`` data migrations over two apps, the first ``reversed_count`` with a reverse."""
    files: dict[str, str] = {}
    for number in range(data):
        app = "library" if number % 2 else "shop"
        ops = FILL_BACK if number < reversed_count else FILL
        files[f"{app}/migrations/{number + 2:04d}_fill.py"] = django(ops, FORWARD)
    files["library/migrations/0001_initial.py"] = INITIAL
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write_files(root, files)
    git(root, "add", "-A")
    return files


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
         paths: list[str], *options: str) -> tuple[int, str, str]:
    monkeypatch.chdir(tmp_path / "repo")
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1")
    practice.cache_clear()
    code = main([*options, *paths])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_forward_only_project_is_one_notice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    files = _project(tmp_path, 20, 2)  # 2 of 20 give a reverse: forward only
    paths = sorted(p for p in files if "_fill" in p)
    code, out, err = _run(monkeypatch, capsys, tmp_path, paths)
    assert code == 0 and out == ""
    assert err.count("2 of the project's 20 committed Django data migrations") == 1 and "--strict" in err
    code, out, _ = _run(monkeypatch, capsys, tmp_path, paths, "--strict")
    assert code == 1 and out.count("has no reverse") == 18


def test_a_new_staged_migration_follows_the_convention(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path, 20, 1)
    git(tmp_path / "repo", "commit", "-q", "-m", "history")
    write_files(tmp_path / "repo", {"shop/migrations/0100_new.py": django(FILL, FORWARD)})
    git(tmp_path / "repo", "add", "shop/migrations/0100_new.py")
    code, out, err = _run(monkeypatch, capsys, tmp_path, ["shop/migrations/0100_new.py"])
    assert code == 0 and "migrates forward only" in err


def test_project_that_writes_reverses_keeps_its_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    files = _project(tmp_path, 20, 5)  # 5 of 20: more than one in five
    paths = sorted(p for p in files if "_fill" in p)
    code, out, err = _run(monkeypatch, capsys, tmp_path, paths)
    assert code == 1 and out.count("has no reverse") == 15 and "forward only" not in err


def test_too_few_data_migrations_say_nothing_about_a_practice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # fewer than ten: nothing, even with no reverse at all
    files = _project(tmp_path, 9, 0)
    paths = sorted(p for p in files if "_fill" in p)
    code, out, err = _run(monkeypatch, capsys, tmp_path, paths)
    assert code == 1 and out.count("has no reverse") == 9 and "forward only" not in err


def test_between_ten_and_twenty_only_one_in_ten_is_a_practice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # 2 of 11 (un-partner-portal's count): one in five, not one in ten: every finding stays
    files = _project(tmp_path, 11, 2)
    paths = sorted(p for p in files if "_fill" in p)
    code, out, err = _run(monkeypatch, capsys, tmp_path, paths)
    assert code == 1 and out.count("has no reverse") == 9 and "forward only" not in err
    # 1 of 18 (network-pulse-api's): one notice
    (tmp_path / "b").mkdir()
    files = _project(tmp_path / "b", 18, 1)
    paths = sorted(p for p in files if "_fill" in p)
    code, out, err = _run(monkeypatch, capsys, tmp_path / "b", paths)
    assert code == 0 and out == "" and err.count("1 of the project's 18 committed Django data migrations") == 1
    code, out, _ = _run(monkeypatch, capsys, tmp_path / "b", paths, "--strict")
    assert code == 1 and out.count("has no reverse") == 17
