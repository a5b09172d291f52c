"""Running a whole-repo hook with and without the git-grep prefilter
(``hooks.repo.git.Grep``) over one git repo: a helper module, no tests here."""
from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.config import source
from tests.conftest import HookResult

PROJECTS = Path(__file__).resolve().parent.parent / "checks" / "check_health_checks" / "projects"


def git_repo(root: Path, files: dict[str, str | bytes], project: str | None = None) -> Path:
    """``root`` as a committed git repo: a fixture project copied in (optional), then ``files``."""
    if project:
        shutil.copytree(PROJECTS / project, root, dirs_exist_ok=True)
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


def both(run_hook: Callable[..., HookResult], monkeypatch: pytest.MonkeyPatch, hook_id: str,
         *args: str) -> tuple[HookResult, HookResult, int, int]:
    """(result with the prefilter, result without it, files read with, files read without)."""
    reads: list[str] = []
    real = source.read_bytes

    def counting(path: str, *rest: int) -> bytes:
        reads.append(path)
        return real(path, *rest)

    monkeypatch.setattr(source, "read_bytes", counting)
    out = []
    counts = []
    for off in ("0", "1"):
        monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_PREFILTER", off)
        monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1")
        reads.clear()
        out.append(run_hook(hook_id, *args))
        counts.append(len(reads))
    monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_PREFILTER")
    return out[0], out[1], counts[0], counts[1]
