"""The runner's per-file findings cache (``Hook.cache_key``, ``hooks.core.cache.Findings``):
the same findings with the cache off, cold and warm; a changed file, argument or
setting is read again; a damaged or foreign cache file is not trusted; the
baseline still applies on a warm run; no secret in full in the cache."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from hooks.checks.no_duplicate_config_keys import main as duplicates_main
from hooks.checks.no_inline_secrets import main as secrets_main
from hooks.config import loaders
from hooks.core import cache
from tests.conftest import cached_repo, git

STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
PASSWORD = "Tr0ub4dor-and-3-horses"
FILES = {
    "config/production.yaml": f"database:\n  host: db\n  host: db2\n  password: {PASSWORD}\nstripe: {STRIPE}\n",
    "config/app.ini": "[main]\nworkers = 2\nworkers = 4  # legacy-config: ignore[no-duplicate-config-keys]\n",
    "config/broken.json": '{"a": 1,, }\n',
    "config/clean.toml": "[server]\nport = 8000\n",
    ".env.production": f"API_KEY={STRIPE}\nDEBUG=0\nDEBUG=1\n",
    "app/settings.py": f'SECRET_KEY = "{PASSWORD}x"\nDEBUG = False\nDEBUG = True\n',
}
HOOKS = {"no-duplicate-config-keys": duplicates_main, "no-inline-secrets": secrets_main}


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = cached_repo(tmp_path, monkeypatch, FILES)
    git(root, "commit", "-q", "-m", "config")
    monkeypatch.chdir(root)
    return root


def run(hook: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str,
        no_cache: bool = False, files: list[str] | None = None) -> tuple[int, str]:
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1" if no_cache else "0")
    code = HOOKS[hook]([*args, *(sorted(FILES) if files is None else files)])
    captured = capsys.readouterr()
    return code, captured.out + "\n--\n" + captured.err


def cache_files(repo: Path, hook: str) -> list[Path]:
    return sorted((repo.parent / "cache").glob(f"findings-{hook}-*.json"))


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: str, *args: object, **kwargs: object) -> object:
        raise AssertionError(f"{path} was parsed on a warm run")

    monkeypatch.setattr(loaders, "load", refuse)


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_cold_warm_and_off_give_the_same_output(repo: Path, hook: str, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    off = run(hook, capsys, monkeypatch, no_cache=True)
    assert not cache_files(repo, hook)
    cold = run(hook, capsys, monkeypatch)
    assert cache_files(repo, hook)
    warm = run(hook, capsys, monkeypatch)
    assert off == cold == warm
    assert off[0] == 1
    if hook == "no-duplicate-config-keys":
        assert "config/production.yaml:3:3: no-duplicate-config-keys" in off[1]
        assert "config/app.ini" not in off[1]  # the marker in the file holds, warm too
        assert "config/broken.json:1:" in off[1]  # a broken file's finding comes back from the cache
        assert "app/settings.py:3:1" in off[1]
    else:
        assert off[1].count("config/production.yaml") == 2 and ".env.production:1" in off[1]


def test_a_warm_run_parses_no_unchanged_config_file(repo: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cold = run("no-duplicate-config-keys", capsys, monkeypatch)
    with monkeypatch.context() as patched:
        no_parsing(patched)
        assert run("no-duplicate-config-keys", capsys, monkeypatch) == cold
    # no-inline-secrets keeps every config file but a Python settings module (its modules beside it count)
    files = [f for f in FILES if not f.endswith(".py")]
    off = run("no-inline-secrets", capsys, monkeypatch, no_cache=True, files=files)
    assert run("no-inline-secrets", capsys, monkeypatch) != off  # app/settings.py too
    with monkeypatch.context() as patched:
        no_parsing(patched)
        assert run("no-inline-secrets", capsys, monkeypatch, files=files) == off


@pytest.mark.parametrize("how", ["work tree", "staged", "committed"])
def test_a_changed_file_is_read_again(repo: Path, how: str, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    for hook in HOOKS:
        run(hook, capsys, monkeypatch)
    (repo / "config/production.yaml").write_text("database:\n  host: db\n  port: 5432\n  port: 5433\n")
    (repo / "config/app.ini").write_text("[main]\nworkers = 2\nworkers = 4\n")  # marker gone
    if how != "work tree":
        git(repo, "add", "-A")
    if how == "committed":
        git(repo, "commit", "-q", "-m", "change")
    for hook in HOOKS:
        warm = run(hook, capsys, monkeypatch)
        assert warm == run(hook, capsys, monkeypatch, no_cache=True)
        if hook == "no-duplicate-config-keys":
            assert "config/production.yaml:4:3" in warm[1] and "config/production.yaml:3:3" not in warm[1]
            assert "config/app.ini:3:1" in warm[1]
        else:
            assert "config/production.yaml" not in warm[1]
        assert run(hook, capsys, monkeypatch) == warm  # and kept again


def test_a_changed_argument_or_setting_is_not_served_old_findings(repo: Path, capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    hook = "no-inline-secrets"
    cold = run(hook, capsys, monkeypatch)
    assert PASSWORD[:4] in cold[1] or "config/production.yaml:4" in cold[1]
    placeholder = ("--placeholder", "Tr0ub4dor.*")
    with_arg = run(hook, capsys, monkeypatch, *placeholder)
    assert "config/production.yaml:4" not in with_arg[1]
    assert with_arg == run(hook, capsys, monkeypatch, *placeholder, no_cache=True)
    assert run(hook, capsys, monkeypatch) == cold  # back without it: the first entries again
    (repo / "pyproject.toml").write_text('[tool.legacy-config-hooks.no-inline-secrets]\nplaceholder = ["Tr0ub4dor.*"]\n')
    assert run(hook, capsys, monkeypatch) == with_arg


@pytest.mark.parametrize("damage", ["", "{", "[]", "\x00\xff" * 8, "foreign", "wrong shape", "extra field"])
def test_a_damaged_or_foreign_cache_file_is_not_trusted(repo: Path, damage: str, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    hook = "no-duplicate-config-keys"
    cold = run(hook, capsys, monkeypatch)
    [kept] = cache_files(repo, hook)
    data = json.loads(kept.read_text())
    if damage == "foreign":
        text = json.dumps({**data, "tool": "someone-else", "entries": {k: {**v, "findings": []} for k, v in data["entries"].items()}})
    elif damage == "wrong shape":
        text = json.dumps({**data, "entries": {k: {**v, "findings": [[1, 1, "x"]]} for k, v in data["entries"].items()}})
    elif damage == "extra field":
        text = json.dumps({**data, "entries": {k: {**v, "code": "print()"} for k, v in data["entries"].items()}})
    else:
        text = damage
    kept.write_text(text, encoding="latin-1")
    assert run(hook, capsys, monkeypatch) == cold


def test_the_baseline_applies_on_a_warm_run(repo: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for hook in HOOKS:
        assert run(hook, capsys, monkeypatch)[0] == 1  # cold: the cache now holds every finding
        assert run(hook, capsys, monkeypatch, "--write-baseline", "baseline.json")[0] == 0
        warm = run(hook, capsys, monkeypatch, "--baseline", "baseline.json")
        assert warm[0] == 0 and warm == run(hook, capsys, monkeypatch, "--baseline", "baseline.json", no_cache=True)
    (repo / "baseline.json").unlink()
    for hook in HOOKS:
        assert run(hook, capsys, monkeypatch)[0] == 1  # without it, the findings again (from the cache)


def test_no_secret_in_full_in_the_cache(repo: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    for hook in HOOKS:
        run(hook, capsys, monkeypatch)
    written = b"".join(p.read_bytes() for p in (repo.parent / "cache").iterdir())
    assert cache_files(repo, "no-inline-secrets")
    for secret in (STRIPE, PASSWORD, PASSWORD + "x"):
        assert secret.encode() not in written


def test_two_writers_of_one_kind_keep_both_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_CACHE", raising=False)
    first, second = cache.FileResults("kind", "salt"), cache.FileResults("kind", "salt")  # two parts of one run
    first.put("a.yaml", "b1", {"x": 1})
    second.put("b.yaml", "b2", {"x": 2})
    first.save()
    second.save()
    both = cache.FileResults("kind", "salt")
    assert both.get("a.yaml", "b1") == {"x": 1} and both.get("b.yaml", "b2") == {"x": 2}
    unchanged = (tmp_path / "cache" / both.file).stat().st_mtime_ns
    both.save()  # nothing new: not written
    assert (tmp_path / "cache" / both.file).stat().st_mtime_ns == unchanged
