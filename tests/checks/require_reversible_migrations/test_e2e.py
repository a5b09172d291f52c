"""require-reversible-migrations through the real pre-commit, as a git hook:
a commit adding an irreversible migration is blocked; adding the reverse, or an
``# irreversible: <reason>``, lets it through. Alembic and the baseline too."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.checks.require_reversible_migrations.helpers import ADD, DROP, ENV, FORWARD, INITIAL, RENAME, alembic, django
from tests.conftest import PreCommit, git, write_files

pytestmark = pytest.mark.e2e
HOOK_ID = "require-reversible-migrations"


def commit(precommit: PreCommit, repo: Path, message: str) -> subprocess.CompletedProcess:
    try:
        return git(repo, "commit", "-q", "-m", message, env=precommit.env())
    except subprocess.CalledProcessError as exc:
        return subprocess.CompletedProcess(exc.cmd, exc.returncode, exc.stdout, exc.stderr)


def test_irreversible_migration_is_blocked_until_reversed_or_explained(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "svc", {
        "library/__init__.py": "",
        "library/migrations/__init__.py": "",
        "library/migrations/0001_initial.py": INITIAL,
        "migrations/env.py": ENV,
        ".pre-commit-config.yaml": precommit.config([{"id": HOOK_ID}]),
    })
    assert precommit.run(repo, "install").returncode == 0

    path = "library/migrations/0002_fill_summary.py"
    write_files(repo, {path: django("migrations.RunPython(forwards),", FORWARD)})
    git(repo, "add", path)
    result = commit(precommit, repo, "fill summaries")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"{path}:" in output and "RunPython(forwards) has no reverse" in output
    assert "Traceback" not in output

    write_files(repo, {path: django("migrations.RunPython(forwards, backwards),", FORWARD)})
    git(repo, "add", path)
    result = commit(precommit, repo, "fill summaries")
    assert result.returncode == 0, result.stdout + result.stderr

    # Django reverses RemoveField itself: it passes by default (issue 21; --data-loss reports it).
    drop = "library/migrations/0003_remove_book_summary.py"
    write_files(repo, {drop: django('migrations.RemoveField(model_name="book", name="summary"),')})
    git(repo, "add", drop)
    result = commit(precommit, repo, "drop summary")
    assert result.returncode == 0, result.stdout + result.stderr

    purge = "library/migrations/0004_purge_drafts.py"
    write_files(repo, {purge: django('migrations.RunSQL("DELETE FROM library_book WHERE pages = 0"),')})
    git(repo, "add", purge)
    assert commit(precommit, repo, "purge drafts").returncode != 0
    explained = django('# irreversible: drafts were never published; nothing to bring back\n'
                       'migrations.RunSQL("DELETE FROM library_book WHERE pages = 0"),')
    write_files(repo, {purge: explained})
    git(repo, "add", purge)
    result = commit(precommit, repo, "purge drafts")
    assert result.returncode == 0, result.stdout + result.stderr

    # A nullable column alone leaves nothing to undo (held-out round, evening); a rename does.
    revision = "migrations/versions/3f2a1b9c8d7e_rename_summary.py"
    write_files(repo, {revision: alembic(f"{ADD}\n{RENAME}", "pass")})
    git(repo, "add", revision)
    result = commit(precommit, repo, "rename summary")
    assert result.returncode != 0 and "downgrade() is empty" in result.stdout + result.stderr
    back = "op.alter_column('book', 'blurb', new_column_name='summary')"
    write_files(repo, {revision: alembic(f"{ADD}\n{RENAME}", f"{back}\n{DROP}")})
    git(repo, "add", revision)
    result = commit(precommit, repo, "rename summary")
    assert result.returncode == 0, result.stdout + result.stderr


def test_legacy_flow_baseline_then_new_migrations_held(precommit: PreCommit, tmp_path: Path) -> None:
    old = {f"library/migrations/000{n}_old.py": django(f'migrations.RunSQL("UPDATE library_book SET pages = {n}"),')
           for n in range(2, 5)}
    repo = precommit.make_repo(tmp_path / "legacy", {
        "library/migrations/0001_initial.py": INITIAL,
        **old,
        "pyproject.toml": '[tool.legacy-config-hooks]\nbaseline = ".legacy-config-baseline.json"\n',
        ".pre-commit-config.yaml": precommit.config([{"id": HOOK_ID}]),
    })
    first = precommit.run(repo, "run", "--all-files")
    assert first.returncode == 1 and first.stdout.count(f"{HOOK_ID}: migration") == 3
    wrote = precommit.run(repo, "run", "--all-files", env={"LEGACY_CONFIG_HOOKS_WRITE_BASELINE": "1"})
    assert (repo / ".legacy-config-baseline.json").is_file(), wrote.stdout + wrote.stderr
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "baseline", "--no-verify")
    assert precommit.run(repo, "run", "--all-files").returncode == 0
    write_files(repo, {"library/migrations/0005_new.py": django("migrations.RunPython(forwards),", FORWARD)})
    git(repo, "add", "-A")
    again = precommit.run(repo, "run", "--all-files")
    assert again.returncode == 1 and "0005_new.py" in again.stdout and "0002_old.py" not in again.stdout
