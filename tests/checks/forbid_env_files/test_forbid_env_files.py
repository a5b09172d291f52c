"""forbid-env-files: real env and key files are reported, templates are not."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from hooks.checks.forbid_env_files import main
from tests.conftest import CORPUS, HookResult


@pytest.mark.parametrize(
    "name, kind",
    [
        (".env", "environment file"),
        (".env.production", "environment file"),
        ("deploy/.env.staging", "environment file"),
        (".env.local", "environment file"),
        ("docker/production.env", "environment file"),
        ("certs/server.key", "private key file (*.key)"),
        ("certs/billing.p12", "PKCS#12 key store (*.p12)"),
        ("certs/billing.pfx", "PKCS#12 key store (*.pfx)"),
        ("deploy/id_rsa", "SSH private key"),
        ("deploy/id_ed25519", "SSH private key"),
        ("certs/chain.pem", "key or certificate file (*.pem)"),
    ],
)
def test_committed_env_and_key_files_are_reported_by_name_in_strict_mode(run_hook: Callable[..., HookResult], name, kind) -> None:
    code, out = run_hook("forbid-env-files", "--strict", files={name: "A=1\n"}, pass_filenames=True)[:2]
    assert code == 1
    assert out.startswith(f"{name}:1:1: forbid-env-files: {kind} committed;")


def test_pem_holding_a_private_key_says_so(run_hook: Callable[..., HookResult]) -> None:
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0t\n-----END RSA PRIVATE KEY-----\n"
    code, out = run_hook("forbid-env-files", files={"certs/server.pem": pem}, pass_filenames=True)[:2]
    assert code == 1 and "private key file (*.pem) committed" in out


def test_binary_key_store_is_judged_by_name(run_hook: Callable[..., HookResult]) -> None:
    code, out = run_hook("forbid-env-files", files={"billing.p12": b"\x30\x82\x0a\x00\x00\xff\xfe"}, pass_filenames=True)[:2]
    assert code == 1 and "PKCS#12" in out and "Traceback" not in out


@pytest.mark.parametrize(
    "name",
    [
        ".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults", ".env.local.example",
        "example.env", "id_rsa.pub", ".envrc", "settings.py", "config/app.yaml", "docs/env.md",
    ],
)
def test_templates_and_other_files_pass(run_hook: Callable[..., HookResult], name) -> None:
    assert run_hook("forbid-env-files", files={name: "SECRET_KEY=changeme\n"}, pass_filenames=True)[:2] == (0, "")


def test_allowed_names_extend_with_a_flag(run_hook: Callable[..., HookResult]) -> None:
    files = {".env.test": "A=1\n", "certs/ca.pem": "-----BEGIN CERTIFICATE-----\n", ".env": "A=1\n"}
    code, out = run_hook("forbid-env-files", "--strict", "--allow", ".env.test", "--allow", "certs/*.pem", files=files, pass_filenames=True)[:2]
    assert code == 1
    assert out.startswith(".env:1:1:") and out.count("\n") == 1


def test_allowed_names_from_pyproject(run_hook: Callable[..., HookResult]) -> None:
    files = {"pyproject.toml": '[tool.legacy-config-hooks]\nallow-env-files = [".env.ci"]\n', ".env.ci": "A=1\n"}
    assert run_hook("forbid-env-files", files=files, pass_filenames=True)[:2] == (0, "")


PYPIRC = (
    "[distutils]\nindex-servers =\n    pypi\n    internal\n\n"
    "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCJGI4YmNhMDA1LTIwZjQtNDk0Mi1iYmY2LTkxMzVj\n\n"
    "[internal]\nrepository = https://pypi.acme.internal\nusername = bob\npassword = ${TWINE_PASSWORD}\n"
)


def test_pypirc_with_a_password_is_reported_at_its_line(run_hook: Callable[..., HookResult]) -> None:
    code, out = run_hook("forbid-env-files", files={".pypirc": PYPIRC}, pass_filenames=True)[:2]
    assert code == 1
    assert out.startswith(".pypirc:8:1: forbid-env-files: .pypirc holds a password for [pypi];")
    assert out.count("\n") == 1 and "pypi-Ag" not in out


def test_netrc_with_a_password_is_reported(run_hook: Callable[..., HookResult]) -> None:
    text = "machine api.heroku.com\n  login me@example.com\n  password 3c2f0a1b-9d7a-4e2b-8c1d-1234567890ab\n"
    code, out = run_hook("forbid-env-files", files={".netrc": text}, pass_filenames=True)[:2]
    assert code == 1 and "password for machine api.heroku.com" in out and "3c2f" not in out


@pytest.mark.parametrize(
    "name, text",
    [
        (".pypirc", "[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\n"),
        (".pypirc", "[pypi]\nusername = bob\npassword =\n"),
        (".netrc", "machine github.com login bob password changeme\n"),
        (".netrc", "machine example.com login bob\n"),
    ],
)
def test_credential_files_without_a_password_pass(run_hook: Callable[..., HookResult], name, text) -> None:
    assert run_hook("forbid-env-files", files={name: text}, pass_filenames=True)[:2] == (0, "")


def test_suppressed_on_the_first_line(run_hook: Callable[..., HookResult]) -> None:
    text = "# legacy-config: ignore[forbid-env-files]  dev defaults only, no secrets\nDEBUG=1\n"
    assert run_hook("forbid-env-files", files={".env.development": text}, pass_filenames=True)[:2] == (0, "")


def test_missing_file_and_directory_are_skipped(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env.d").mkdir()
    assert main([".env", ".env.d"]) == 0


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_runs_without_a_traceback(monkeypatch, capsys) -> None:
    monkeypatch.chdir(CORPUS)
    files = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file())
    assert main(files) in (0, 1)
    assert "Traceback" not in capsys.readouterr().out
