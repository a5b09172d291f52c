"""forbid-env-files judges content as well as names (issue 11)."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.forbid_env_files import main
from tests.conftest import ROOT, write_files

PEM_KEY = (
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----\n"
)
CERT = "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----\n"


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, files: dict[str, str],
        *args: str) -> tuple:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, files)
    code = main([*args, *files])
    return code, capsys.readouterr().out


@pytest.mark.parametrize(
    "name, text",
    [
        (".env", "COMPOSE_PROJECT_NAME=myapp\nCOMPOSE_FILE=docker-compose.yml\n"),
        ("frontend/.env", "VITE_API_URL=http://localhost:8000\nVITE_SENTRY_ENVIRONMENT=local\n"),
        ("contrib/netbox.env", "# Do not put secrets here: use a secrets manager\nDB_NAME=netbox\nREDIS_HOST=redis\n"),
        (".devcontainer/backend.env", "DATABASE_URL=postgres://saleor:saleor@db/saleor\nSECRET_KEY=changeme\n"),
        (".env", "SECRET_KEY=changethis\nPOSTGRES_PASSWORD=changethis\nFIRST_SUPERUSER=admin@example.com\n"),
    ],
)
def test_an_env_file_with_no_secret_passes(tmp_path, monkeypatch, capsys, name, text) -> None:
    assert run(tmp_path, monkeypatch, capsys, {name: text}) == (0, "")


def test_an_env_file_holding_a_secret_is_reported_at_its_line(tmp_path, monkeypatch, capsys) -> None:
    text = "COMPOSE_PROJECT_NAME=billing\nSTRIPE_API_KEY=Zq8wLx2Rt5Vb9Nc3Mk7Hj1Pd\nSMTP_PASSWORD=Vq8nL2xKp4Rz\n"
    code, out = run(tmp_path, monkeypatch, capsys, {".env.production": text})
    assert code == 1 and out.count("\n") == 1
    assert out.startswith(".env.production:2:1: forbid-env-files: environment file committed holding a secret")
    assert "STRIPE_API_KEY and 1 more" in out and "Zq8wLx2R" not in out


def test_strict_mode_reports_every_env_file_by_name(tmp_path, monkeypatch, capsys) -> None:
    code, out = run(tmp_path, monkeypatch, capsys, {".env": "COMPOSE_PROJECT_NAME=myapp\n"}, "--strict")
    assert code == 1 and out.startswith(".env:1:1: forbid-env-files: environment file committed;")


@pytest.mark.parametrize("name", [".env.patch", ".env.diff", "deploy/.env.production.orig"])
def test_a_diff_of_an_env_file_is_not_an_env_file(tmp_path, monkeypatch, capsys, name) -> None:
    text = "--- a/.env\n+++ b/.env\n@@ -1 +1 @@\n-SECRET_KEY=Zq8wLx2Rt5Vb9Nc3\n+SECRET_KEY=${SECRET_KEY}\n"
    assert run(tmp_path, monkeypatch, capsys, {name: text}) == (0, "")


@pytest.mark.parametrize("name", ["redash/query_runner/files/rds-combined-ca-bundle.pem", "infra/cdn/certs/psf.io.pem",
                                  "certs/server.crt.pem", "deploy/tls/ca.key"])
def test_a_certificate_or_ca_bundle_passes(tmp_path, monkeypatch, capsys, name) -> None:
    assert run(tmp_path, monkeypatch, capsys, {name: CERT + CERT}) == (0, "")


def test_a_pem_holding_a_private_key_is_reported(tmp_path, monkeypatch, capsys) -> None:
    code, out = run(tmp_path, monkeypatch, capsys, {"deploy/tls/server.pem": CERT + PEM_KEY})
    assert code == 1 and "private key file (*.pem) committed" in out and "revoke" in out


@pytest.mark.parametrize("name", ["keys/deploy", "ops/keys/jenkins", "private_keys/signing"])
def test_an_extensionless_private_key_under_keys_is_caught(tmp_path, monkeypatch, capsys, name) -> None:
    code, out = run(tmp_path, monkeypatch, capsys, {name: PEM_KEY})
    assert code == 1 and out.startswith(f"{name}:1:1: forbid-env-files: private key file (no extension) committed")


def test_an_extensionless_file_under_keys_with_no_key_passes(tmp_path, monkeypatch, capsys) -> None:
    assert run(tmp_path, monkeypatch, capsys, {"keys/README": "Put the deploy key here, never commit it.\n"}) == (0, "")


@pytest.mark.parametrize("name", ["examples/pki/private/cakey.pem", "tests/certs/client.key", "docs/samples/tls.pem"])
def test_sample_keys_of_docs_and_tests_pass_unless_strict(tmp_path, monkeypatch, capsys, name) -> None:
    assert run(tmp_path, monkeypatch, capsys, {name: PEM_KEY}) == (0, "")
    code, out = run(tmp_path, monkeypatch, capsys, {name: PEM_KEY}, "--strict")
    assert code == 1 and "private key" in out


@pytest.mark.parametrize("name", ["deployment/etc.sample/site.key", "conf-example/tls.key", "settings_sample/jwt.pem"])
def test_keys_in_a_sample_folder_pass_unless_strict(tmp_path, monkeypatch, capsys, name) -> None:
    """etc.sample/ is copied to etc/ and filled in: its key is a sample (held-out first wave 6)."""
    assert run(tmp_path, monkeypatch, capsys, {name: PEM_KEY}) == (0, "")
    code, out = run(tmp_path, monkeypatch, capsys, {name: PEM_KEY}, "--strict")
    assert code == 1 and "private key" in out


@pytest.mark.parametrize("name", ["deployment/etc/site.key", "samplers/tls.key", "exampleco/jwt.pem"])
def test_keys_in_a_folder_only_named_like_a_sample_are_caught(tmp_path, monkeypatch, capsys, name) -> None:
    code, out = run(tmp_path, monkeypatch, capsys, {name: PEM_KEY})
    assert code == 1 and "private key" in out


def test_manifest_passes_extensionless_keys_to_the_hook() -> None:
    import re

    import yaml

    root = ROOT
    entries = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())
    files = next(e["files"] for e in entries if e["id"] == "forbid-env-files")
    assert re.search(files, "ops/keys/jenkins") and not re.search(files, "ops/keys/README.md")


DEMO_README = ("# Do not use these certs in production. They are only here for an easy demo and ssl tests\n"
               "# in your testing env.\n\nTo generate a new one: openssl req -new -nodes -out server-req.pem\n")


@pytest.mark.parametrize("name", ["etc/certs/server.key", "etc/certs/private/cakey.pem"])
def test_a_key_pair_its_readme_calls_a_demo_pair_passes_unless_strict(tmp_path, monkeypatch, capsys, name) -> None:
    # held-out round (first wave) 3: a README beside the keys (or one folder up)
    # saying "do not use in production / only for demo and tests".
    files = {"etc/certs/README": DEMO_README, name: PEM_KEY}
    assert run(tmp_path, monkeypatch, capsys, files) == (0, "")
    code, out = run(tmp_path, monkeypatch, capsys, files, "--strict")
    assert code == 1 and "private key" in out


@pytest.mark.parametrize("readme", [
    "# Server TLS\nThe deploy job copies server.key to /etc/ssl/private; rotate it yearly.\n",
    "# Certs\nRun the tests with `make test` before deploying the production keys.\n",
])
def test_a_key_with_a_readme_that_does_not_call_it_a_demo_is_reported(tmp_path, monkeypatch, capsys, readme) -> None:
    code, out = run(tmp_path, monkeypatch, capsys, {"deploy/tls/README.md": readme, "deploy/tls/server.key": PEM_KEY})
    assert code == 1 and "deploy/tls/server.key:1:1: forbid-env-files: private key file" in out


def test_a_demo_readme_two_folders_up_does_not_cover_a_key(tmp_path, monkeypatch, capsys) -> None:
    files = {"etc/README": DEMO_README, "etc/certs/live/server.key": PEM_KEY}
    code, out = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and "etc/certs/live/server.key" in out
