"""The shared core: fingerprints, suppression, baseline, reporters, settings, environments."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks import no_duplicate_config_keys
from hooks.core import baseline, settings
from hooks.core.findings import Finding
from hooks.core.suppression import is_suppressed
from hooks.repo import environments
from tests.conftest import HookResult

HOOK = "no-duplicate-config-keys"
DUP_YAML = "db:\n  host: a\n  port: 5432\n  host: b\n"


# -- fingerprints -------------------------------------------------------------


def test_fingerprint_survives_moved_lines_but_not_a_different_key() -> None:
    a = Finding(HOOK, "config/app.yaml", 4, 3, "m", ("duplicate", "db.host"))
    moved = Finding(HOOK, "./config/app.yaml", 40, 9, "other text", ("duplicate", "db.host"))
    other_key = Finding(HOOK, "config/app.yaml", 4, 3, "m", ("duplicate", "db.port"))
    other_file = Finding(HOOK, "config/other.yaml", 4, 3, "m", ("duplicate", "db.host"))
    assert a.fingerprint == moved.fingerprint
    assert len({a.fingerprint, other_key.fingerprint, other_file.fingerprint}) == 3


def test_baseline_survives_lines_added_above(run_hook: Callable[..., HookResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("app.yaml").write_text(DUP_YAML)
    assert run_hook("no-duplicate-config-keys", *["--write-baseline", "base.json", "app.yaml"])[0] == 0
    Path("app.yaml").write_text("# a comment\nname: billing\n" + DUP_YAML)
    assert run_hook("no-duplicate-config-keys", *["--baseline", "base.json", "app.yaml"])[0] == 0
    # A new duplicate still fails.
    Path("app.yaml").write_text(DUP_YAML + "  port: 1\n")
    code, out, _ = run_hook("no-duplicate-config-keys", *["--baseline", "base.json", "app.yaml"])
    assert code == 1 and "db.port" in out and "db.host" not in out


# -- suppression --------------------------------------------------------------


@pytest.mark.parametrize(
    "lines, line, expected",
    [
        (["a: 1  # legacy-config: ignore[no-duplicate-config-keys]"], 1, True),
        (["# legacy-config: ignore[no-duplicate-config-keys]", "a: 1"], 2, True),
        (["; legacy-config: ignore[other-hook, no-duplicate-config-keys]", "a = 1"], 2, True),
        (["a: 1  # legacy-config: ignore"], 1, True),
        (["a: 1  # legacy-config: ignore[no-inline-secrets]"], 1, False),
        # A marker on the previous *key* line covers that key only.
        (["a: 1  # legacy-config: ignore[no-duplicate-config-keys]", "b: 2"], 2, False),
        (["a: 1"], 1, False),
    ],
)
def test_inline_marker(lines: list, line: int, expected: bool) -> None:
    assert is_suppressed(lines, line, HOOK) is expected


def test_extra_marker_for_one_hook() -> None:
    assert is_suppressed(['KEY = "x"  # pragma: allowlist secret'], 1, "h", ["pragma: allowlist secret"])
    assert not is_suppressed(['KEY = "x"  # pragma: allowlist secret'], 1, "h")


def test_suppressed_duplicate_is_not_reported(run_hook: Callable[..., HookResult], tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text("db:\n  host: a\n  # legacy-config: ignore[no-duplicate-config-keys]\n  host: b\n")
    assert run_hook("no-duplicate-config-keys", *[str(path)])[0] == 0


# -- baseline -----------------------------------------------------------------


def test_baseline_stores_fingerprints_per_hook_and_file_only(run_hook: Callable[..., HookResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("app.yaml").write_text("password: s3cretvalue\npassword: s3cretvalue2\n")
    code, _, err = run_hook("no-duplicate-config-keys", *["--write-baseline", "b.json", "app.yaml"])
    assert code == 0 and "recorded 1 finding" in err
    raw = Path("b.json").read_text()
    data = json.loads(raw)
    fps = data["hooks"][HOOK]["app.yaml"]
    assert len(fps) == 1 and len(fps[0]) == 20
    assert "s3cret" not in raw and '"line"' not in raw


def test_baseline_update_merges_other_files_and_hooks(tmp_path: Path) -> None:
    path = str(tmp_path / "b.json")
    one, two, three = "1" * 20, "2" * 20, "3" * 20  # fingerprints are hex
    baseline.update(path, "hook-a", ["x.yaml"], {"x.yaml": {one}})
    baseline.update(path, "hook-a", ["y.yaml"], {"y.yaml": {two}})
    baseline.update(path, "hook-b", ["x.yaml"], {"x.yaml": {three}})
    baseline.update(path, "hook-a", ["x.yaml"], {})  # x.yaml was cleaned up
    assert baseline.load(path) == {"hook-a": {"y.yaml": {two}}, "hook-b": {"x.yaml": {three}}}


def test_stale_baseline_entries_are_reported_on_request(run_hook: Callable[..., HookResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("app.yaml").write_text(DUP_YAML)
    run_hook("no-duplicate-config-keys", *["--write-baseline", "b.json", "app.yaml"])
    Path("app.yaml").write_text("db:\n  host: b\n")
    assert run_hook("no-duplicate-config-keys", *["--baseline", "b.json", "app.yaml"])[0] == 0
    code, out, _ = run_hook("no-duplicate-config-keys", *["--baseline", "b.json", "--report-stale", "app.yaml"])
    assert code == 1 and "no longer matches a finding" in out


def test_broken_baseline_is_a_one_line_usage_error(run_hook: Callable[..., HookResult], tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text("{not json")
    (tmp_path / "a.yaml").write_text("a: 1\n")
    code, out, err = run_hook("no-duplicate-config-keys", *["--baseline", str(tmp_path / "b.json"), str(tmp_path / "a.yaml")])
    assert code == 2 and "not a legacy-config-hooks baseline" in err and "Traceback" not in err


# -- reporters ----------------------------------------------------------------


def test_json_report(run_hook: Callable[..., HookResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("app.yaml").write_text(DUP_YAML)
    code, out, _ = run_hook("no-duplicate-config-keys", *["--format", "json", "app.yaml"])
    data = json.loads(out)
    assert code == 1
    assert data["findings"][0]["path"] == "app.yaml"
    assert data["findings"][0]["line"] == 4 and data["findings"][0]["column"] == 3
    assert data["findings"][0]["hook"] == HOOK


def test_json_report_of_a_clean_run_is_still_json(run_hook: Callable[..., HookResult], tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("a: 1\n")
    code, out, _ = run_hook("no-duplicate-config-keys", *["--format", "json", str(tmp_path / "a.yaml")])
    assert code == 0 and json.loads(out)["findings"] == []


def test_sarif_report(run_hook: Callable[..., HookResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("app.yaml").write_text(DUP_YAML)
    _, out, _ = run_hook("no-duplicate-config-keys", *["--format", "sarif", "app.yaml"])
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    result = sarif["runs"][0]["results"][0]
    assert result["ruleId"] == HOOK
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 3}
    assert result["partialFingerprints"]["legacyConfigHooks/v1"]
    assert sarif["runs"][0]["tool"]["driver"]["rules"][0]["id"] == HOOK


def test_github_annotations_are_automatic_on_actions(run_hook: Callable[..., HookResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    Path("app.yaml").write_text(DUP_YAML)
    _, out, _ = run_hook("no-duplicate-config-keys", *["app.yaml"])
    assert out.startswith("::error file=app.yaml,line=4,col=3,title=no-duplicate-config-keys::db.host is already set")
    _, out, _ = run_hook("no-duplicate-config-keys", *["--format", "text", "app.yaml"])  # a flag still wins
    assert out.startswith("app.yaml:4:3: ")


# -- settings -----------------------------------------------------------------


def test_settings_from_pyproject_env_and_flags_in_order(run_hook: Callable[..., HookResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pyproject.toml").write_text('[tool.legacy-config-hooks]\nformat = "json"\n')
    Path("app.yaml").write_text(DUP_YAML)
    assert json.loads(run_hook("no-duplicate-config-keys", *["app.yaml"])[1])["findings"]
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_FORMAT", "github")
    assert run_hook("no-duplicate-config-keys", *["app.yaml"])[1].startswith("::error")
    assert run_hook("no-duplicate-config-keys", *["--format", "text", "app.yaml"])[1].startswith("app.yaml:4:3")


def test_settings_from_setup_cfg_when_no_pyproject_table(run_hook: Callable[..., HookResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    Path("setup.cfg").write_text(
        "[metadata]\nname = x\n\n[legacy-config-hooks]\nbaseline = b.json\n\n"
        "[legacy-config-hooks.environments]\nproduction =\n    prod\n    live\nstaging = stg\n"
    )
    loaded = settings.load()
    assert loaded.top["baseline"] == "b.json"
    assert loaded.tables["environments"] == {"production": ["prod", "live"], "staging": ["stg"]}
    Path("app.yaml").write_text(DUP_YAML)
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_WRITE_BASELINE", "1")
    assert run_hook("no-duplicate-config-keys", *["app.yaml"])[0] == 0
    assert Path("b.json").exists()
    monkeypatch.delenv("LEGACY_CONFIG_HOOKS_WRITE_BASELINE")
    assert run_hook("no-duplicate-config-keys", *["app.yaml"])[0] == 0  # the baseline from setup.cfg applies


def test_broken_settings_file_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pyproject.toml").write_text("[tool.legacy-config-hooks]\nformat = \n")
    assert no_duplicate_config_keys.main(["x.yaml"]) == 2
    assert "pyproject.toml" in capsys.readouterr().err


def test_unknown_flag_is_a_usage_error(capsys: pytest.CaptureFixture) -> None:
    code = no_duplicate_config_keys.main(["--no-such-flag"])
    assert code == 2


# -- environments -------------------------------------------------------------


@pytest.mark.parametrize(
    "path, env",
    [
        ("config/production.yaml", "production"),
        ("settings/prod.py", "production"),
        (".env.staging", "staging"),
        ("values-staging.yaml", "staging"),
        ("production.ini", "production"),
        ("deploy/prod/app.yaml", "production"),
        ("deploy/prod/values-staging.yaml", "staging"),  # the file name decides first
        ("settings/local.py", "development"),
        ("settings/test.py", "test"),
        (".envs/.production/.django", "production"),
        ("settings/base.py", None),
        ("config/products.yaml", None),  # a token must match whole
    ],
)
def test_environment_from_path(path: str, env: object) -> None:
    assert environments.environment_of(path) == env


def test_environment_patterns_can_be_overridden() -> None:
    patterns = {"production": ["prd", "eu1"], "staging": ["acc"]}
    assert environments.environment_of("deploy/eu1/app.yaml", patterns) == "production"
    assert environments.environment_of("config/acc.yaml", patterns) == "staging"
    assert environments.environment_of("config/production.yaml", patterns) is None
