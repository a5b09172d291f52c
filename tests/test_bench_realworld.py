"""bench/realworld.py reads pre-commit's finding lines, whatever the path holds."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _finding_pattern() -> re.Pattern[str]:
    spec = importlib.util.spec_from_file_location("bench_realworld", ROOT / "bench" / "realworld.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    saved = list(sys.path)
    try:
        spec.loader.exec_module(module)  # it sets sys.path[0] for its own imports
    finally:
        sys.path[:] = saved
    pattern: re.Pattern[str] = module.FINDING
    return pattern


def test_path_with_colons_keeps_its_finding() -> None:
    line = ("migrations/versions/20150630_15:00:54_3183d344740d_add_x.py.py:38:1: require-reversible-migrations: "
            "migration cannot be fully rolled back: downgrade() is empty (line 38)")
    match = _finding_pattern().match(line)
    assert match is not None
    assert match["path"] == "migrations/versions/20150630_15:00:54_3183d344740d_add_x.py.py"
    assert (match["line"], match["col"], match["hook"]) == ("38", "1", "require-reversible-migrations")
    assert match["msg"].startswith("migration cannot be fully rolled back: downgrade() is empty (line 38)")


def test_plain_path_and_non_finding_lines() -> None:
    pattern = _finding_pattern()
    match = pattern.match("app/settings.py:12:5: no-inline-secrets: SECRET_KEY = 'dj...': a literal secret")
    assert match is not None and match["path"] == "app/settings.py" and match["msg"].endswith("a literal secret")
    assert pattern.match("- hook id: require-reversible-migrations") is None
    assert pattern.match("require-reversible-migrations..........Failed") is None
