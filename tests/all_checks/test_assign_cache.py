"""all-checks keeps which files each check gets (pre-commit's patterns and file
types over a whole repo) in the result cache: the same answer as working it out,
and worked out again when the index says a file's mode or content changed."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from hooks.all_checks import _assign
from hooks.report import collect
from tests.conftest import cached_repo, git

FILES = {f"app/module_{i}.py": f"VALUE_{i} = {i}\n" for i in range(220)}
FILES.update({"config/production.yaml": "debug: false\n", "bin/manage": "#!/usr/bin/env python\nprint('hi')\n"})


def test_the_kept_assignment_is_the_worked_out_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = cached_repo(tmp_path, monkeypatch, FILES)
    monkeypatch.chdir(root)
    specs = collect.load_manifest()
    chosen = sorted(specs)
    paths = sorted(FILES)

    def fresh() -> dict[str, list[str]]:
        return collect.assign(specs, chosen, paths, str(root))

    cold = _assign(specs, chosen, paths, str(root))
    assert cold == fresh()
    [kept] = (tmp_path / "cache").glob("assign-*.json")
    assert _assign(specs, chosen, paths, str(root)) == cold
    assert "bin/manage" not in cold["security-settings-in-one-place"]  # not executable: no python tag

    # Made executable (the index's mode changes, not the content): a Python script now.
    os.chmod(root / "bin/manage", 0o755)
    git(root, "add", "-A")
    changed = _assign(specs, chosen, paths, str(root))
    assert changed == fresh() and "bin/manage" in changed["security-settings-in-one-place"]

    # A damaged file is not trusted; a file changed in the work tree is worked out every time.
    kept.write_text('{"tool": "legacy-config-hooks", "entries": {"given": {"digest": "x", "files": {}}}}')
    assert _assign(specs, chosen, paths, str(root)) == fresh()
    (root / "config/production.yaml").write_bytes(b"\0binary now\n")
    assert _assign(specs, chosen, paths, str(root)) == fresh()
