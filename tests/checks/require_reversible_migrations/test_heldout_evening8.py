"""require-reversible-migrations after held-out round evening 8: foreign keys re-created
under their name with another ``ondelete`` and an empty downgrade(); a bare ``raise
NotImplementedError`` that a project uses as its "no way back" after a drop; and the
forward-only practice measured over a project's most recent data migrations too."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.require_reversible_migrations import main
from hooks.checks.require_reversible_migrations.files import (
    _data_migrations,
    bare_raise_convention,
    before_reverses,
    practice,
    recent_practice,
    scan,
)
from tests.checks.require_reversible_migrations.helpers import ENV, FORWARD, INITIAL, alembic, django
from tests.conftest import git, write_files


def _scan(tmp_path: Path, files: dict[str, str], name: str) -> list[str]:
    write_files(tmp_path, {"migrations/env.py": ENV, **files})
    bare_raise_convention.cache_clear()
    found = scan(str(tmp_path / name), (), False, 2_000_000)
    assert isinstance(found, list), found
    return [issue.kind for issue in found]


# --- foreign keys re-created with another ondelete, empty downgrade() --------------------

SWAP = """
op.drop_constraint('step_plan_id_fkey', 'step')
op.create_foreign_key('step_plan_id_fkey', 'step', 'plan', ['plan_id'], ['id'], ondelete='CASCADE')

op.drop_constraint('step_owner_id_fkey', 'step')
op.create_foreign_key('step_owner_id_fkey', 'step', 'owner', ['owner_id'], ['id'], ondelete='RESTRICT')
"""
REVISION = "migrations/versions/102eea94977e_cascade.py"


def test_foreign_keys_recreated_with_another_ondelete_and_pass_are_left_alone(tmp_path: Path) -> None:
    assert _scan(tmp_path, {REVISION: alembic(SWAP, "pass")}, REVISION) == []
    with_index = "op.create_index('idx_step_plan_id', 'step', ['plan_id'])\n" + SWAP
    assert _scan(tmp_path, {REVISION: alembic(with_index, "pass")}, REVISION) == []


@pytest.mark.parametrize("upgrade", [
    # the dropped key is replaced by one on another column (build_id -> job_id): a new constraint
    "op.drop_constraint('step_build_id_fkey', 'step')\n"
    "op.create_foreign_key('step_job_id_fkey', 'step', 'job', ['job_id'], ['id'], ondelete='CASCADE')",
    # a key dropped and not created again
    "op.drop_constraint('step_plan_id_fkey', 'step')",
    # same name on another table
    "op.drop_constraint('plan_id_fkey', 'step')\n"
    "op.create_foreign_key('plan_id_fkey', 'task', 'plan', ['plan_id'], ['id'], ondelete='CASCADE')",
    # a unique constraint dropped under the name of the key re-created
    "op.drop_constraint('step_plan_id_fkey', 'step', type_='unique')\n"
    "op.create_foreign_key('step_plan_id_fkey', 'step', 'plan', ['plan_id'], ['id'], ondelete='CASCADE')",
    # the swap beside a dropped column
    SWAP + "\nop.drop_column('step', 'legacy')",
])
def test_other_constraint_changes_with_pass_are_reported(tmp_path: Path, upgrade: str) -> None:
    assert _scan(tmp_path, {REVISION: alembic(upgrade, "pass")}, REVISION) == ["empty-downgrade"]


# --- a bare raise NotImplementedError as the project's "no way back" ----------------------

DROPS = "op.drop_column('job', 'log_path')\nop.drop_column('job', 'log_size')"
INDEXES = "op.drop_index('idx_job_status', 'job')\nop.drop_index('idx_job_result', 'job')"
RAISE = "raise NotImplementedError"


def _revisions(upgrades: list[str]) -> dict[str, str]:
    return {f"migrations/versions/{number:012x}_change.py": alembic(up, RAISE) for number, up in enumerate(upgrades)}


def test_bare_raise_after_a_drop_is_the_projects_refusal(tmp_path: Path) -> None:
    files = _revisions([DROPS, "op.drop_table('legacy_job')", "op.execute('DELETE FROM job WHERE ghost')"])
    name = next(iter(files))
    assert _scan(tmp_path, files, name) == []
    called = files[name].replace("raise NotImplementedError", "raise NotImplementedError()")
    assert _scan(tmp_path, {**files, name: called}, name) == []


TRIGGER = '''op.execute("""
    CREATE OR REPLACE FUNCTION touch_last_job() RETURNS TRIGGER AS $$
    BEGIN
        UPDATE project SET last_job_id = NEW.id WHERE id = NEW.project_id;
        DELETE FROM job_queue WHERE job_id = NEW.id;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    DROP TRIGGER IF EXISTS touch_last_job_trigger ON job;
    CREATE TRIGGER touch_last_job_trigger AFTER INSERT OR UPDATE ON job FOR EACH ROW EXECUTE PROCEDURE touch_last_job();
""")
op.execute("UPDATE job SET status = status")'''


@pytest.mark.parametrize("upgrade", [
    INDEXES,  # dropping indexes leaves nothing to refuse
    TRIGGER,  # a trigger replaced (its body deletes, the upgrade does not) and rows touched
    "op.drop_constraint('job_project_id_fkey', 'job')\nop.execute('ALTER TABLE job DROP CONSTRAINT job_uq')",
])
def test_bare_raise_after_an_upgrade_that_keeps_the_data_stays_reported(tmp_path: Path, upgrade: str) -> None:
    # the convention holds (3 of 4 after a drop), but this upgrade() throws nothing away
    files = _revisions([DROPS, "op.drop_table('legacy_job')", "op.execute('ALTER TABLE task DROP COLUMN x')", upgrade])
    assert _scan(tmp_path, files, list(files)[-1]) == ["downgrade-raises"]


@pytest.mark.parametrize("upgrades", [
    [DROPS, "op.drop_table('legacy_job')"],  # two bare raises: no convention yet
    [DROPS, INDEXES, "op.add_column('job', sa.Column('x', sa.Text()))"],  # most after harmless upgrades
])
def test_bare_raise_without_a_convention_stays_reported(tmp_path: Path, upgrades: list[str]) -> None:
    files = _revisions(upgrades)
    assert _scan(tmp_path, files, next(iter(files))) == ["downgrade-raises"]


# --- forward-only practice over the most recent data migrations ---------------------------

FILL = "migrations.RunPython(forwards),"
FILL_BACK = "migrations.RunPython(forwards, backwards),"


def _project(tmp_path: Path, old: int, old_reversed: int, recent: int, recent_reversed: int) -> list[str]:
    """``old`` data migrations committed in 2021, then ``recent`` ones in 2024; the first
    ``*_reversed`` of each batch give a reverse. The recent ones' names sort first, so
    only the commit dates put them last."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write_files(root, {"library/migrations/0001_initial.py": INITIAL})
    paths = []
    for batch, (count, reversed_count, app, date) in enumerate(
            ((old, old_reversed, "shop", "2021-03-01T10:00:00"), (recent, recent_reversed, "archive", "2024-03-01T10:00:00"))):
        files = {f"{app}/migrations/{number + 2:04d}_fill.py": django(FILL_BACK if number < reversed_count else FILL, FORWARD)
                 for number in range(count)}
        write_files(root, files)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"batch {batch}", env={"GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date})
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


def test_team_that_stopped_writing_reverses_gets_the_notice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # 10 of 12 old ones and 4 of the 20 recent ones give a reverse: 14 of 32 overall (above the line)
    paths = _project(tmp_path, 12, 10, 20, 4)
    code, out, err = _run(monkeypatch, capsys, tmp_path, paths)
    assert code == 0 and out == ""
    assert err.count("4 of the project's 20 most recent committed Django data migrations") == 1
    code, out, _ = _run(monkeypatch, capsys, tmp_path, paths, "--strict")
    assert code == 1 and out.count("has no reverse") == 2 + 16


def test_team_that_still_writes_reverses_keeps_its_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # the old ones never had a reverse, the recent ones mostly do: 15 of 32 overall, 15 of the last 20;
    # since evening 10 the 12 old ones are the era before the project wrote reverses (one notice)
    paths = _project(tmp_path, 12, 0, 20, 15)
    code, out, err = _run(monkeypatch, capsys, tmp_path, paths)
    assert code == 1 and out.count("has no reverse") == 5 and "forward only" not in err
    assert err.count("0 of the project's first 12 committed Django data migrations") == 1
    # 5 of the last 20: one more than the line
    paths = _project(tmp_path / "b", 12, 10, 20, 5) if (tmp_path / "b").mkdir() is None else []
    code, out, err = _run(monkeypatch, capsys, tmp_path / "b", paths)
    assert code == 1 and out.count("has no reverse") == 2 + 15 and "forward only" not in err


def test_small_project_is_measured_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # fewer than twenty data migrations: no forward-only rule, recent or not
    paths = _project(tmp_path, 3, 2, 6, 0)
    code, out, err = _run(monkeypatch, capsys, tmp_path, paths)
    assert code == 1 and out.count("has no reverse") == 1 + 6 and "forward only" not in err
