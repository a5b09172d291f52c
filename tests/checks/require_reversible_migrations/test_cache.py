"""require-reversible-migrations with the per-file findings cache: a Django migration's
answer depends on its folder (a squash there speaks for it), so a squash added beside
it, or an untracked file there, is seen on a warm run; cold, warm and no cache agree."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.require_reversible_migrations import main
from hooks.common import migrations
from tests.checks.require_reversible_migrations.test_require_reversible_migrations import GROUPS, SQUASH
from tests.conftest import git, write_files

FILES = {
    "library/migrations/__init__.py": "",
    "library/migrations/0002_groups.py": GROUPS,
    "shop/migrations/0002_groups.py": GROUPS,
    "db/0001_users.up.sql": "CREATE TABLE users (id int);\n",
    "db/0001_users.down.sql": "",
}


def test_a_squash_or_down_file_beside_a_migration_is_seen_warm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_CACHE_DIR", str(tmp_path / "cache"))
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write_files(repo, FILES)
    git(repo, "add", "-A")
    monkeypatch.chdir(repo)

    def run(*names: str, no_cache: bool = False) -> tuple[int, str]:
        monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1" if no_cache else "0")
        migrations._listing.cache_clear()  # listed once per process; each pre-commit run is a new one
        code = main(list(names or sorted(p for p in FILES if not p.endswith("__init__.py"))))
        captured = capsys.readouterr()
        return code, captured.out + "\n--\n" + captured.err

    cold = run()
    assert cold[0] == 1 and "library/migrations/0002_groups.py" in cold[1] and "db/0001_users.up.sql" in cold[1]
    assert run() == cold == run(no_cache=True)
    assert list((tmp_path / "cache").glob("findings-require-reversible-migrations-*.json"))

    # A squash that replaces library's 0002, staged: that migration is judged in the squash now.
    write_files(repo, {"library/migrations/0001_squashed_0003_more.py": SQUASH})
    git(repo, "add", "-A")
    warm = run("library/migrations/0002_groups.py", "shop/migrations/0002_groups.py")
    assert "library/migrations/0002_groups.py" not in warm[1] and "shop/migrations/0002_groups.py" in warm[1]
    assert warm == run("library/migrations/0002_groups.py", "shop/migrations/0002_groups.py", no_cache=True)

    # The down file filled in the work tree only (no blob id): read again.
    (repo / "db/0001_users.down.sql").write_text("DROP TABLE users;\n")
    assert run("db/0001_users.up.sql") == run("db/0001_users.up.sql", no_cache=True)
    assert run("db/0001_users.up.sql")[0] == 0
    # An untracked squash beside shop's migration: its folder has a file with no blob id.
    write_files(repo, {"shop/migrations/0001_squashed_0003_more.py": SQUASH.replace('"library"', '"shop"')})
    assert run("shop/migrations/0002_groups.py") == run("shop/migrations/0002_groups.py", no_cache=True)
    assert run("shop/migrations/0002_groups.py")[0] == 0
