"""bench/realworld.py reads pre-commit's finding lines, whatever the path holds."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _module() -> Any:
    spec = importlib.util.spec_from_file_location("bench_realworld", ROOT / "bench" / "realworld.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    saved = list(sys.path)
    try:
        spec.loader.exec_module(module)  # it sets sys.path[0] for its own imports
    finally:
        sys.path[:] = saved
    return module


def _finding_pattern() -> re.Pattern[str]:
    pattern: re.Pattern[str] = _module().FINDING
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


def test_notices_at_a_line_are_not_counted_as_findings() -> None:
    """A held-out round counts findings and notices apart (docs/realworld.md): a module the hooks
    cannot parse on this Python is reported at a line, but it is a notice."""
    hook = "security-settings-in-one-place"
    out = "\n".join([
        f"{hook}.....Failed",
        f"app/views.py:12:2: {hook}: @csrf_exempt switches a protection off for this view: keep it only as ...",
        f"app/flatpages.py:335:1: {hook}: needs Python \u2265 3.12 to parse; the hooks run on 3.11; set `language_version` in your config",
        f"app/old.py:84:1: {hook}: Python 2 syntax: the hooks read Python 3; this file is not checked",
        f"{hook}: 1 more item with --strict (settings, headers and cookies set in code, ...)",
        "app/data.json:3:1: no-duplicate-config-keys: cannot parse: invalid JSON",
    ])
    result = _module().read_output(hook, out)
    assert [f["path"] for f in result["findings"]] == ["app/views.py"]
    assert [f["path"] for f in result["file_notices"]] == ["app/flatpages.py", "app/old.py"]
    assert result["notices"] == [f"{hook}: 1 more item with --strict (settings, headers and cookies set in code, ...)"]
    assert [f["path"] for f in result["parse_failures"]] == ["app/data.json"]
    assert result["status"] == "Failed"


def test_a_rev_that_is_no_commit_stops_the_run(capsys: Any) -> None:
    module = _module()
    # a 40-hex id no commit has: `git rev-parse` alone would echo it, and pre-commit would skip every repo
    assert module.resolve_rev("0" * 40) is None
    assert module.main(["--hooks", "check-release-checklist", "--rev", "0" * 40, str(ROOT)]) == 2
    assert "not a commit" in capsys.readouterr().err
    # an abbreviated id of a real commit is expanded to the full one
    full = module.resolve_rev("HEAD")
    assert full is not None and re.fullmatch(r"[0-9a-f]{40}", full)
    assert module.resolve_rev(full[:10]) == full
