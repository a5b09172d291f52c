"""File names real repos use (issue 21): hyphenated env files (.env-dist,
.env-dev, .env-production), TEMPLATE.env-style templates, settings_<x>.py and
<name>.conf.py are read by every hook whose subject they are, in the right
role: template, development or production."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from hooks.checks import forbid_env_files, no_inline_secrets
from hooks.config import formats, paths
from hooks.repo import environments, roles
from tests.conftest import ROOT, write_files

SECRET = "STRIPE_API_KEY=Zq8wLx2Rt5Vb9Nc3Mk7Hj1Pd\nSMTP_PASSWORD=Vq8nL2xKp4Rz\n"


def manifest_files(hook_id: str) -> re.Pattern[str]:
    from ruamel.yaml import YAML

    data = YAML(typ="safe", pure=True).load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return re.compile(next(h["files"] for h in data if h["id"] == hook_id))


@pytest.mark.parametrize("name,fmt", [(".env-production", formats.DOTENV), ("deploy/.env-dev", formats.DOTENV), (".env-dist", formats.DOTENV),
                                      ("TEMPLATE.env", formats.DOTENV), ("app/settings_docker.py", formats.PYTHON), ("gunicorn.conf.py", formats.PYTHON)])
def test_formats_and_config_files(name: str, fmt: str) -> None:
    assert formats.detect(name) == fmt
    assert paths.CONFIG_FILE.search(name)
    for hook_id in ("no-duplicate-config-keys", "no-inline-secrets", "rename-legacy-keys"):
        assert manifest_files(hook_id).search(name), (hook_id, name)


def test_settings_modules_named_settings_x_or_name_conf() -> None:
    for name in ("app/settings_docker.py", "settings_prod.py", "deploy/myservice.conf.py"):
        assert formats.is_settings_module(name), name
    for name in ("app/views.py", "app/conf.py.orig", "docs/conf.py", "app/settings_view.html"):
        assert not formats.is_settings_module(name), name


@pytest.mark.parametrize("name,role,env", [
    (".env-dist", roles.DOCS, None), ("deploy/.env-example", roles.DOCS, None), ("TEMPLATE.env", roles.DOCS, None),
    ("docker/app.example.env", roles.DOCS, None),
    (".env-production", roles.SERVICE, environments.PRODUCTION), (".env-dev", roles.SERVICE, environments.DEVELOPMENT),
    ("app/settings_prod.py", roles.SERVICE, environments.PRODUCTION),
])
def test_roles_and_environments(name: str, role: str, env: str | None) -> None:
    assert roles.default().of(name).role == role
    assert environments.environment_of(name) == env


def run_forbid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, files: dict[str, str]) -> tuple[int, str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, files)
    code = forbid_env_files.main(list(files))
    return code, capsys.readouterr().out


def test_a_real_secret_in_env_production_is_scanned_like_env_dot_production(tmp_path, monkeypatch, capsys) -> None:
    assert manifest_files("forbid-env-files").search(".env-production")
    dotted = run_forbid(tmp_path / "a", monkeypatch, capsys, {".env.production": SECRET})
    hyphen = run_forbid(tmp_path / "b", monkeypatch, capsys, {".env-production": SECRET})
    assert dotted[0] == hyphen[0] == 1
    assert hyphen[1] == dotted[1].replace(".env.production", ".env-production")
    monkeypatch.chdir(tmp_path / "b")
    assert no_inline_secrets.main([".env-production"]) == 1
    assert "STRIPE_API_KEY" in capsys.readouterr().out


@pytest.mark.parametrize("name", [".env-dist", ".env-example", "TEMPLATE.env", "config/example.env"])
def test_templates_pass(tmp_path, monkeypatch, capsys, name) -> None:
    assert run_forbid(tmp_path, monkeypatch, capsys, {name: SECRET}) == (0, "")
