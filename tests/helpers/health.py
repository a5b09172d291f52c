"""Shared by check-health-checks' held-out round suites."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import git

HOOK = "check-health-checks"
Run = Callable[..., object]


def run_in_repo(run_hook: Run, files: dict[str, str]) -> tuple[list[str], str]:
    """``files`` written and staged in a git repo at the current folder, the hook run
    over them with --verbose: (its finding lines, everything it printed)."""
    root = Path.cwd()
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git(root, "init", "-q")
    git(root, "add", "-A")
    result = run_hook(HOOK, "--verbose", *files)
    out: str = result.out  # type: ignore[attr-defined]
    return [line for line in out.splitlines() if f": {HOOK}: " in line], out + result.err  # type: ignore[attr-defined]
