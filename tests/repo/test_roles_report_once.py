"""A broken file is reported by one hook only; the others skip it and say so
with --verbose. A hook with nothing to judge says so in one line (issue 11)."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks import check_staging_parity, no_debug_in_production, no_duplicate_config_keys, no_inline_secrets
from tests.conftest import write_files

BROKEN = {"config/production.yaml": "app:\n  debug: [true\n  password: Vq8nL2xKp4Rz\n"}


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def test_only_no_duplicate_config_keys_reports_a_broken_file(here: Path, capsys) -> None:
    write_files(here, BROKEN)
    assert no_duplicate_config_keys.main(list(BROKEN)) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "cannot parse YAML" in out
    for hook in (no_debug_in_production, check_staging_parity):
        assert hook.main(list(BROKEN)) == 0
        assert "cannot parse" not in capsys.readouterr().out


def test_verbose_lists_what_a_hook_skipped(here: Path, capsys) -> None:
    write_files(here, {**BROKEN, "shop/fixtures/users.json": "[]\n"})
    no_debug_in_production.main(["--verbose", *BROKEN])
    err = capsys.readouterr().err
    assert "config/production.yaml: no-debug-in-production: skipped:" in err
    no_duplicate_config_keys.main(["--verbose", "shop/fixtures/users.json"])
    err = capsys.readouterr().err
    assert "shop/fixtures/users.json: no-duplicate-config-keys: skipped: test-data, not config" in err


def test_a_broken_file_is_still_scanned_line_by_line_for_secrets(here: Path, capsys) -> None:
    write_files(here, BROKEN)
    assert no_inline_secrets.main(list(BROKEN)) == 1
    out = capsys.readouterr().out
    assert "config/production.yaml:3:" in out and "cannot parse" not in out


def test_nothing_to_compare_is_one_line_and_exit_0(here: Path, capsys) -> None:
    write_files(here, {"config/app.yaml": "a: 1\n", ".github/workflows/deploy-production.yml": "on: push\n",
                       ".github/workflows/deploy-staging.yml": "on: release\n"})
    assert check_staging_parity.main(["config/app.yaml", ".github/workflows/deploy-production.yml",
                                      ".github/workflows/deploy-staging.yml"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("check-staging-parity: nothing to compare: no production/staging pair")
    assert captured.err.count("\n") == 1


def test_only_data_files_given_is_one_line(here: Path, capsys) -> None:
    write_files(here, {"package-lock.json": "{}\n", "shop/fixtures/a.json": "[]\n"})
    assert no_duplicate_config_keys.main(["package-lock.json", "shop/fixtures/a.json"]) == 0
    err = capsys.readouterr().err
    assert "nothing to check: none of the 2 file(s) given is config" in err
