"""Every hook is wired end to end: metadata, console script, module, docs page,
README row and a test module that names it."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.helpers.manifest import HOOKS, console_scripts

IDS = [hook["id"] for hook in HOOKS]


def test_manifest_ids_are_unique_and_complete() -> None:
    assert len(IDS) == len(set(IDS))
    for hook in HOOKS:
        assert {"id", "name", "description", "entry", "language"} <= set(hook), hook["id"]
        assert hook["language"] == "python"
        assert hook.get("files") or hook.get("types") or hook.get("always_run") or hook.get("exclude"), hook["id"]


@pytest.mark.parametrize("hook", HOOKS, ids=IDS)
def test_hook_is_wired(hook: dict) -> None:
    hook_id = hook["id"]
    scripts = console_scripts()
    entry = hook["entry"].split()[0]
    assert entry in scripts, f"{entry} is not a console script in setup.cfg"
    module_name, func = scripts[entry].split(":")
    module = importlib.import_module(module_name)
    assert callable(getattr(module, func))
    docs = ROOT / "docs" / "hooks" / f"{hook_id}.md"
    assert docs.is_file(), f"no docs page for {hook_id}"
    text = docs.read_text()
    for heading in ("## What it does", "## Why it matters", "## Example", "## Use instead", "## How to fix or suppress"):
        assert heading in text, f"{docs.name} lacks {heading!r}"
    assert f"id: {hook_id}" in text, f"{docs.name} has no .pre-commit-config.yaml snippet"
    readme = (ROOT / "README.md").read_text()
    assert re.search(rf"^\| `{re.escape(hook_id)}` .*docs/hooks/{re.escape(hook_id)}\.md", readme, re.M)
    # Tests mirror the package: hooks/checks/<hook>/ is tested in tests/checks/<hook>/ (the report in tests/report/).
    package = module_name.removeprefix("hooks.")
    folder = ROOT / "tests" / Path(*package.split(".")[: 2 if package.startswith("checks.") else 1])
    tests = "".join(p.read_text() for p in folder.rglob("test_*.py"))
    assert hook_id in tests, f"no test module in {folder.relative_to(ROOT)} names {hook_id}"


def test_files_pattern_matches_every_format_and_not_other_files() -> None:
    pattern = re.compile(next(h for h in HOOKS if h["id"] == "no-duplicate-config-keys")["files"])
    for name in ("config/production.yaml", "a.yml", "production.ini", "setup.cfg", "tox.ini", "app.conf",
                 "pyproject.toml", "features.json", "kafka.properties", ".env", ".env.production",
                 "deploy/app.env", ".envs/.production/.django", "settings.py", "billing/settings/prod.py",
                 "config.py", "config/celery.py", "test_settings.py"):
        assert pattern.search(name), name
    for name in ("README.md", "billing/models.py", "Dockerfile", "environment.md"):
        assert not pattern.search(name), name
