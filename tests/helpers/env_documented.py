"""check-env-documented in-process: its ``main`` at the root of a temporary git
repo, with the output-format variables a CI runner may set cleared."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.check_env_documented import main
from tests.conftest import git, write_files


def run_in_repo(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of the hook run at ``root``, a git repo already."""
    monkeypatch.chdir(root)
    for name in ("LEGACY_CONFIG_HOOKS_FORMAT", "GITHUB_ACTIONS", "LEGACY_CONFIG_HOOKS_BASELINE"):
        monkeypatch.delenv(name, raising=False)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_hook(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
             files: dict[str, str], *args: str) -> tuple[int, str, str]:
    """Write ``files`` into a new git repo at ``root`` (staged), then run the hook there."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    write_files(root, files)
    git(root, "add", "-A")
    return run_in_repo(root, monkeypatch, capsys, *args)


Fixtures = tuple[Path, pytest.MonkeyPatch, pytest.CaptureFixture[str]]


def reported(out: str) -> list[str]:
    """The variable names of the hook's finding lines in ``out``, sorted (notices left out)."""
    return sorted(line.split(": check-env-documented: ")[1].split()[0] for line in out.splitlines()
                  if ": check-env-documented: " in line)
