"""Settings: per-hook tables, validation, deprecated flat keys, and what is
never taken from a settings file."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hooks.checks import forbid_env_files, no_duplicate_config_keys, rename_legacy_keys

DUP = "a: 1\na: 2\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in list(__import__("os").environ):
        if name.startswith("LEGACY_CONFIG_HOOKS_") or name == "GITHUB_ACTIONS":
            monkeypatch.delenv(name)
    return tmp_path


def test_fix_in_a_settings_file_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".legacy-keys.yaml").write_text("renamed:\n  old_name: new_name\n")
    (repo / "app.yaml").write_text("old_name: 1\n")
    for table in ("[tool.legacy-config-hooks]\nfix = true\n", "[tool.legacy-config-hooks.rename-legacy-keys]\nfix = true\n"):
        (repo / "pyproject.toml").write_text(table)
        assert rename_legacy_keys.main(["app.yaml"]) == 2
        assert "fix cannot be set in pyproject.toml; pass --fix" in capsys.readouterr().err
        assert (repo / "app.yaml").read_text() == "old_name: 1\n"  # nothing rewritten


def test_a_misspelt_key_is_refused_with_the_closest_name(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "pyproject.toml").write_text('[tool.legacy-config-hooks]\nbaselin = "b.json"\n')
    assert no_duplicate_config_keys.main([]) == 2
    err = capsys.readouterr().err
    assert "unknown setting 'baselin' in [tool.legacy-config-hooks]; did you mean 'baseline'?" in err
    assert err.count("\n") == 1


def test_a_misspelt_hook_option_and_table_are_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "pyproject.toml").write_text('[tool.legacy-config-hooks.forbid-env-files]\nalow = [".env.test"]\n')
    assert forbid_env_files.main([]) == 2
    assert "unknown setting 'alow' in [tool.legacy-config-hooks.forbid-env-files]; did you mean 'allow'?" in (
        capsys.readouterr().err
    )
    (repo / "pyproject.toml").write_text('[tool.legacy-config-hooks.forbid-env-file]\nallow = []\n')
    assert forbid_env_files.main([]) == 2
    assert "did you mean 'forbid-env-files'?" in capsys.readouterr().err


def test_hook_options_from_their_own_table(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".env.test").write_text("GITHUB_TOKEN=ghp_8fK2mQ9xLp4Rt7Vz1Nc6Bw3Hd5Jy0Gs2AeUo\n")  # a secret: reported (issue 11)
    assert forbid_env_files.main([".env.test"]) == 1
    capsys.readouterr()
    (repo / "pyproject.toml").write_text('[tool.legacy-config-hooks.forbid-env-files]\nallow = [".env.test"]\n')
    assert forbid_env_files.main([".env.test"]) == 0
    assert capsys.readouterr() == ("", "")


def test_setup_cfg_hook_section(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".env.test").write_text("A=1\n")
    (repo / "setup.cfg").write_text("[legacy-config-hooks:forbid-env-files]\nallow = .env.test\n")
    assert forbid_env_files.main([".env.test"]) == 0


def test_flat_keys_of_0_1_still_work_with_a_notice(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".env.test").write_text("A=1\n")
    (repo / "pyproject.toml").write_text('[tool.legacy-config-hooks]\nallow-env-files = [".env.test"]\n')
    assert forbid_env_files.main([".env.test"]) == 0
    err = capsys.readouterr().err
    assert "setting 'allow-env-files' under [tool.legacy-config-hooks] is deprecated" in err
    assert "[tool.legacy-config-hooks.forbid-env-files] as 'allow'" in err
    # Another hook ignores the flat key quietly: it is not its own.
    (repo / "app.yaml").write_text(DUP)
    assert no_duplicate_config_keys.main(["app.yaml"]) == 1
    assert capsys.readouterr().err == ""


def test_flags_win_over_settings(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "app.yaml").write_text(DUP)
    (repo / "pyproject.toml").write_text('[tool.legacy-config-hooks]\nformat = "json"\n')
    assert no_duplicate_config_keys.main(["--format", "text", "app.yaml"]) == 1
    assert capsys.readouterr().out.startswith("app.yaml:2:1:")


def test_a_bad_value_names_the_setting(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "pyproject.toml").write_text('[tool.legacy-config-hooks.check-staging-parity]\nrequire-pair = "maybe"\n')
    from hooks.checks import check_staging_parity

    assert check_staging_parity.main([]) == 2
    assert "setting require-pair in [tool.legacy-config-hooks.check-staging-parity]: not a boolean" in (
        capsys.readouterr().err
    )


def test_python_dash_m_runs_a_hook_by_id(repo: Path) -> None:
    (repo / "app.yaml").write_text(DUP)
    done = subprocess.run([sys.executable, "-m", "hooks", "no-duplicate-config-keys", "app.yaml"],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "app.yaml:2:1: no-duplicate-config-keys:" in done.stdout
    done = subprocess.run([sys.executable, "-m", "hooks", "no-such-hook"], capture_output=True, text=True)
    assert done.returncode == 2 and "unknown hook 'no-such-hook'" in done.stderr
