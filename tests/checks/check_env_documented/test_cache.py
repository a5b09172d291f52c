"""check-env-documented with the result cache: the same findings as without it,
whatever changed between runs."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hooks.checks.check_env_documented import main
from tests.conftest import cached_repo, git, write_files

FILES = {
    "app/settings.py": 'import os\n\nDEBUG = os.environ.get("DEBUG") == "1"\nTOKEN = os.environ["API_TOKEN"]\n',
    "app/newer.py": "type Pair = tuple[int, int]\nimport os\nX = os.getenv('NEWER_ONLY')\n",
    ".env.example": "DEBUG=0\nOLD_SETTING=1\n",
    "docs/deploy.md": "Set `API_TOKEN` to the token of the payments API.\n",
}


def test_warm_runs_find_what_a_cold_run_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    repo = cached_repo(tmp_path, monkeypatch, FILES)
    monkeypatch.chdir(repo)

    def run(no_cache: bool = False) -> tuple[int, str]:
        monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1" if no_cache else "0")
        code = main([])
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    cold = run()
    assert cold[0] == 1 and "OLD_SETTING is documented but nothing in the repo reads it" in cold[1]
    assert "API_TOKEN" not in cold[1]  # the docs page names it
    if sys.version_info < (3, 12):  # kept with the file's entry, reported again from the cache
        assert "app/newer.py:1:1: check-env-documented: needs Python" in cold[1]
    assert list((tmp_path / "cache").glob("check-env-documented-reads-*.json"))
    assert run() == cold == run(no_cache=True)

    # A read added and staged, a page that stops naming a variable: both seen warm.
    write_files(repo, {"app/settings.py": FILES["app/settings.py"] + 'OLD = os.getenv("OLD_SETTING")\n',
                       "docs/deploy.md": "Nothing here.\n"})
    git(repo, "add", "-A")
    changed = run()
    assert "OLD_SETTING is documented" not in changed[1]
    assert "API_TOKEN is read here but not documented" in changed[1]
    assert changed == run(no_cache=True)
