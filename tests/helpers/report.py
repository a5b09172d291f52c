"""A small git repo to report on, and the report it gives."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from hooks.report import cli
from tests.conftest import ROOT, git, write_files

EXAMPLE = ROOT / "examples" / "legacy-service"


def make_repo(path: Path, files: dict[str, str] | None = None, example: bool = False) -> Path:
    if example:
        shutil.copytree(EXAMPLE, path)
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    write_files(path, files or {})
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "initial", "--no-verify")
    return path


def report(repo: Path, *args: str, fmt: str = "json") -> dict[str, Any]:
    out = repo.parent / f"out-{repo.name}.{fmt}"
    assert cli.main(["--repo", str(repo), "--format", fmt, "-o", str(out), *args]) == 0
    text = out.read_text(encoding="utf-8")
    return json.loads(text) if fmt in ("json", "sarif") else {"text": text}
