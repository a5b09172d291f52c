"""require-reversible-migrations after held-out round evening 10: the data migrations written
before a project started writing reverses (one notice), and an Alembic downgrade() that
creates a constraint or index its upgrade() never dropped while an earlier revision created
it (the rollback fails: it already exists). The smaller forward-only line (one in ten of ten
or more) is tested with the rule's other cases in test_heldout_evening6.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.require_reversible_migrations import main, undo
from hooks.checks.require_reversible_migrations.files import (
    _data_migrations,
    before_reverses,
    practice,
    recent_practice,
    scan,
)
from tests.checks.require_reversible_migrations.helpers import ENV, FORWARD, INITIAL, alembic, django
from tests.conftest import git, write_files

# --- data migrations from before the project wrote reverses ------------------------------

FILL = "migrations.RunPython(forwards),"
FILL_BACK = "migrations.RunPython(forwards, backwards),"


def _history(tmp_path: Path, batches: list[str]) -> list[str]:
    """One commit a year from 2017; each batch a string of R (gives a reverse) and . (does not),
    one data migration per character, numbered on across the batches in app ``cms``."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write_files(root, {"library/migrations/0001_initial.py": INITIAL})
    paths: list[str] = []
    for year, batch in enumerate(batches, 2017):
        files = {f"cms/migrations/{len(paths) + number + 2:04d}_fix.py": django(FILL_BACK if kind == "R" else FILL,
                                                                                FORWARD)
                 for number, kind in enumerate(batch)}
        write_files(root, files)
        git(root, "add", "-A")
        date = f"{year}-06-01T10:00:00"
        git(root, "commit", "-q", "-m", f"{year}", env={"GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date})
        paths += sorted(files)
    return paths


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
         paths: list[str], *options: str) -> tuple[int, str, str]:
    monkeypatch.chdir(tmp_path / "repo")
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1")
    for cached in (practice, recent_practice, _data_migrations, before_reverses):
        cached.cache_clear()
    code = main([*options, *paths])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_old_fixes_from_before_the_project_wrote_reverses_are_one_notice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # meinberlin's shape: 1 of its first 16 (2017-2019), then mostly reverses (8 of the next 10)
    paths = _history(tmp_path, ["....R.......", "....", "RR.RRRRRR.", "RRRRR.RRRR"])
    code, out, err = _run(monkeypatch, capsys, tmp_path, paths)
    assert code == 1 and out.count("has no reverse") == 3  # the three of the new era only
    assert all("_fix.py" in line and int(line.split("/")[2][:4]) > 17 for line in out.splitlines())
    assert err.count("1 of the project's first 16 committed Django data migrations") == 1
    code, out, _ = _run(monkeypatch, capsys, tmp_path, paths, "--strict")
    assert code == 1 and out.count("has no reverse") == 15 + 3


def test_a_project_that_only_drifted_towards_reverses_keeps_its_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # frePPLe's shape: 2 of its first 22, then 3 of the next 10, reverses only later
    paths = _history(tmp_path, ["R.......R.....", "........", "R.....RR..", "RRRRRRRRRR"])
    code, out, err = _run(monkeypatch, capsys, tmp_path, paths)
    assert code == 1 and out.count("has no reverse") == 20 + 7 and "first" not in err


@pytest.mark.parametrize("batches", [
    ["........", "RRRRRRRRRR"],  # eight old ones: fewer than ten say nothing about an era
    ["..........", "RRRRR"],  # the new era has five data migrations: too early to call it one
])
def test_no_era_without_enough_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str], batches: list[str]) -> None:
    paths = _history(tmp_path, batches)
    code, out, err = _run(monkeypatch, capsys, tmp_path, paths)
    assert code == 1 and out.count("has no reverse") == batches[0].count(".") and "first" not in err


# --- downgrade() creates a constraint or index that exists already -----------------------

ORG_TYPE = """
op.add_column('org_type', sa.Column('default', sa.Boolean(), nullable=False))
op.create_unique_constraint(None, 'org_type', ['code'])
op.create_index('ix_org_type_desc', 'org_type', ['desc'])
"""
INVITATION = """
op.create_table('invitation_type', sa.Column('code', sa.String(length=15), nullable=False))
op.add_column('invitation', sa.Column('type', sa.String(length=15), nullable=True))
op.execute("UPDATE invitation SET type = 'STANDARD'")
"""
DRIFT = """
op.create_unique_constraint('org_type_code_key', 'org_type', ['code'])
op.create_index('ix_org_type_desc', 'org_type', ['desc'], unique=False)
op.drop_column('invitation', 'type')
op.drop_table('invitation_type')
"""
LAST = "migrations/versions/0003_invitation_type.py"


def _revision(number: int, upgrade: str, downgrade: str) -> str:
    text = alembic(upgrade, downgrade)
    below = f"'{number - 1:04d}'" if number > 1 else "None"
    return text.replace("revision = '3f2a1b9c8d7e'", f"revision = '{number:04d}'").replace(
        "down_revision = '1a2b3c4d5e6f'", f"down_revision = {below}")


def _chain(tmp_path: Path, *upgrades: tuple[str, str], helper: str = "") -> list[str]:
    """Revisions 0001, 0002, ... each on the one before; the last is judged. ``helper``
    ends every revision but the last."""
    files = {"migrations/env.py": ENV}
    for number, (up, down) in enumerate(upgrades, 1):
        last = number == len(upgrades)
        files[f"migrations/versions/{number:04d}_{'invitation_type' if last else 'step'}.py"] = (
            _revision(number, up, down) + ("" if last else helper))
    write_files(tmp_path, files)
    undo._objects.cache_clear()
    found = scan(str(tmp_path / f"migrations/versions/{len(upgrades):04d}_invitation_type.py"), (), False, 2_000_000)
    assert isinstance(found, list), found
    return [f"{issue.kind} {issue.what}" for issue in found]


def test_downgrade_creating_a_constraint_an_earlier_revision_made_is_caught(tmp_path: Path) -> None:
    found = _chain(tmp_path, ("op.create_table('org_type', sa.Column('code', sa.String(15)))", "op.drop_table('org_type')"),
                   (ORG_TYPE, "op.drop_column('org_type', 'default')"), (INVITATION, DRIFT))
    assert found == ["create-not-dropped create_unique_constraint org_type_code_key",
                     "create-not-dropped create_index ix_org_type_desc"]


@pytest.mark.parametrize("upgrade", [
    # upgrade() drops them: downgrade() puts them back, as it should
    INVITATION + "op.drop_constraint('org_type_code_key', 'org_type', type_='unique')\n"
                 "op.drop_index('ix_org_type_desc', table_name='org_type')",
    INVITATION + "op.execute('ALTER TABLE org_type DROP CONSTRAINT org_type_code_key')\n"
                 "op.execute('DROP INDEX ix_org_type_desc')",
    # a drop the hook cannot read by name may be them
    INVITATION + "for name in NAMES:\n    op.drop_constraint(name, 'org_type')",
    INVITATION + "op.execute(f'ALTER TABLE org_type DROP CONSTRAINT {NAME}')",
])
def test_downgrade_restoring_what_upgrade_dropped_is_left_alone(tmp_path: Path, upgrade: str) -> None:
    assert _chain(tmp_path, ("op.create_table('org_type', sa.Column('code', sa.String(15)))", "op.drop_table('org_type')"),
                  (ORG_TYPE, "op.drop_column('org_type', 'default')"), (upgrade, DRIFT)) == []


@pytest.mark.parametrize("middle", [
    # a revision in between dropped them: they do not exist at this point
    "op.drop_constraint('org_type_code_key', 'org_type', type_='unique')\n"
    "op.drop_index('ix_org_type_desc', table_name='org_type')",
    "op.drop_table('org_type')",
    # or may have, unseen: a helper of the module
    "cleanup()",
])
def test_constraint_dropped_since_or_maybe_is_left_alone(tmp_path: Path, middle: str) -> None:
    found = _chain(tmp_path, ("op.create_table('org_type', sa.Column('code', sa.String(15)))", "op.drop_table('org_type')"),
                   (ORG_TYPE, "op.drop_column('org_type', 'default')"), (middle, "pass"), (INVITATION, DRIFT),
                   helper="\n\ndef cleanup():\n    op.execute(SQL)\n")
    assert found == []


def test_constraint_no_revision_creates_is_left_alone(tmp_path: Path) -> None:
    # nothing earlier creates them (the models may, or a name was misspelt): not this rule's evidence
    assert _chain(tmp_path, ("op.create_table('org_type', sa.Column('code', sa.String(15)))", "op.drop_table('org_type')"),
                  (INVITATION, DRIFT)) == []
