"""When migrations arrived (``settled``): git's history walk is kept in the result
cache for the commit it started from; a warm run asks git no walk, a new commit
asks again, and a damaged cache file is not trusted."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.check_migration_locks import settled
from tests.conftest import cached_repo, git, write_files

OLD = {"GIT_AUTHOR_DATE": "2019-03-01T10:00:00", "GIT_COMMITTER_DATE": "2019-03-01T10:00:00"}
NEW = {"GIT_AUTHOR_DATE": "2024-03-01T10:00:00", "GIT_COMMITTER_DATE": "2024-03-01T10:00:00"}
PATHS = ("shop/migrations/0001_initial.py", "blog/migrations/0001_initial.py", "shop/migrations/0002_more.py")


def test_the_walk_is_kept_for_its_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = cached_repo(tmp_path, monkeypatch, {PATHS[0]: "# one\n", PATHS[1]: "# one\n"})
    git(root, "commit", "-q", "-m", "old", env=OLD)
    write_files(root, {PATHS[2]: "# two\n"})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "new", env=NEW)
    walks: list[tuple[str, ...]] = []
    real = settled.run

    def counting(*args: str, cwd: str | None = None) -> str:
        if args[:2] == ("log", "--first-parent"):
            walks.append(args)
        return real(*args, cwd=cwd)

    monkeypatch.setattr(settled, "run", counting)

    def statuses() -> list[str]:
        settled.forget()  # a new process
        settled.prefetch(str(root), {"shop/migrations", "blog/migrations"})
        found = [settled.status(str(root / p), 30, str(root)) for p in PATHS]
        found.append(str(settled._added(str(root), "docs")))  # a folder no prefetch named: a question of its own
        return found

    cold = statuses()
    assert cold[:3] == ["settled", "settled", "new"] and len(walks) == 2
    assert statuses() == cold and len(walks) == 2  # warm: no walk
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1")
    assert statuses() == cold and len(walks) == 4
    monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_CACHE")

    # A new commit: HEAD moved, the walk is asked again and the new file is seen.
    write_files(root, {"shop/migrations/0003_latest.py": "# three\n"})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "newer", env=NEW)
    assert statuses() == cold and len(walks) == 6
    assert settled._added(str(root), "shop/migrations").get("shop/migrations/0003_latest.py") is not None

    # A damaged or lying file is not trusted.
    [kept] = (tmp_path / "cache").glob("migration-history-*.json")
    kept.write_text(kept.read_text().replace('"answer":{', '"answer":{"x":"not a date",'))
    assert statuses() == cold and len(walks) == 8
    kept.write_text("{")
    assert statuses() == cold and len(walks) == 10


INITIAL = '''from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = []
    operations = [
        migrations.CreateModel(name="Book", fields=[("id", models.BigAutoField(primary_key=True)),
                                                    ("title", models.CharField(max_length=100))]),
    ]
'''
INDEX = '''from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.AddIndex(model_name="book", index=models.Index(fields=["title"], name="book_title_idx")),
    ]
'''


def test_each_migrations_events_are_kept_by_content_and_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hooks.checks.check_migration_locks import history

    root = cached_repo(tmp_path, monkeypatch, {"shop/migrations/0001_initial.py": INITIAL, "shop/migrations/0002_later.py": "# nothing yet\n",
                       "README.md": "shop\n"})
    git(root, "commit", "-q", "-m", "old", env=OLD)
    write_files(root, {"README.md": "shop, again\n"})
    git(root, "commit", "-q", "-am", "new", env=NEW)

    def events(no_cache: bool = False) -> list[tuple[str, str, str]]:
        monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1" if no_cache else "0")
        history.forget()
        settled.forget()
        from hooks.common import migrations

        migrations._listing.cache_clear()  # one process's listing
        return sorted((e.table, e.kind, e.path) for e in history.events(str(root), 30))

    cold = events()
    assert ("shop_book", "created", "shop/migrations/0001_initial.py") in cold
    assert list((tmp_path / "cache").glob("migration-events-*.json"))
    assert events() == cold == events(no_cache=True)
    # The later migration now builds an index plainly (staged): read again, judged against its folder.
    write_files(root, {"shop/migrations/0002_later.py": INDEX})
    git(root, "add", "-A")
    warm = events()
    assert any(kind == "plain" and path == "shop/migrations/0002_later.py" for _, kind, path in warm)
    assert warm == events(no_cache=True) and warm != cold
