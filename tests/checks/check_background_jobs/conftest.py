"""check-background-jobs reads the repo through git: ``jobs(files)`` writes the
files into a fresh git repo in tmp_path, stages them and runs the hook there."""
from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import HookResult

HOOK_ID = "check-background-jobs"


@pytest.fixture
def jobs(run_hook: Callable[..., HookResult], tmp_path: Path) -> Callable[..., HookResult]:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)

    def run(files: dict[str, str], *args: str, pass_filenames: bool = False) -> HookResult:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
        names = list(files) if pass_filenames else []
        return run_hook(HOOK_ID, *args, *names)

    return run


def _rule_ids(result: HookResult) -> list[str]:
    return [line.split(f"{HOOK_ID}: ", 1)[1].split(":", 1)[0] for line in result.lines if f": {HOOK_ID}: " in line]


@pytest.fixture
def rule_ids() -> Callable[[HookResult], list[str]]:
    """The rule ids of a run's finding lines, in order."""
    return _rule_ids
