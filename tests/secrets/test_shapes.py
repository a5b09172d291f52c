"""Shapes that span more than one value (hooks/secrets/shapes.py) and URL
credentials (hooks/secrets/urls.py): what they catch, where they point, and
that the decoded or extracted secret is never printed."""
from __future__ import annotations

import base64
from pathlib import Path

import pytest

from hooks.checks.no_inline_secrets import main
from tests.conftest import write_files


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, files: dict[str, str]) -> tuple:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, files)
    code = main(list(files))
    return code, capsys.readouterr().out


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_env_list_pair_points_at_the_value_line(tmp_path, monkeypatch, capsys) -> None:
    text = ("spec:\n  containers:\n    - name: web\n      env:\n        - name: DB_PASSWORD\n"
            "          value: Wq7Lp2Zx9Kd4Rt\n")
    code, out = run(tmp_path, monkeypatch, capsys, {"deploy/deployment.yaml": text})
    assert code == 1
    assert out.startswith("deploy/deployment.yaml:6:18: no-inline-secrets: password literal in DB_PASSWORD in ")
    assert "Wq7Lp2Zx9Kd4Rt" not in out


def test_cloudformation_ref_and_parameter_default(tmp_path, monkeypatch, capsys) -> None:
    text = ("Parameters:\n  DBPassword:\n    Type: String\n    NoEcho: true\n    Default: Tr8kLm2Qz9Vx\n"
            "Resources:\n  DB:\n    Properties:\n      MasterUserPassword: !Ref DBPassword\n")
    code, out = run(tmp_path, monkeypatch, capsys, {"cfn/db.yaml": text})
    assert code == 1
    assert out.count("\n") == 1 and ":5:14:" in out  # the Default, not the !Ref


def test_kubernetes_secret_decoded_and_masked(tmp_path, monkeypatch, capsys) -> None:
    secret = "S3cr3t-Passw0rd-2024"
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  username: {b64('billing')}\n  password: {b64(secret)}\n"
    code, out = run(tmp_path, monkeypatch, capsys, {"k8s/secret.yaml": text})
    assert code == 1
    assert ":7:13: no-inline-secrets: password literal in data.password" in out
    assert secret not in out and b64(secret) not in out
    assert "S3…, 20 chars" in out  # the decoded value's mask


def test_kubernetes_secret_placeholders_and_sealed_secrets_pass(tmp_path, monkeypatch, capsys) -> None:
    files = {
        "k8s/secret.yaml": f"kind: Secret\ndata:\n  password: {b64('changeme')}\n  token: {b64('${API_TOKEN}')}\n",
        "k8s/sealed.yaml": "kind: SealedSecret\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq\n",
    }
    code, out = run(tmp_path, monkeypatch, capsys, files)
    assert (code, out) == (0, "")


def test_dockerconfigjson_in_a_secret(tmp_path, monkeypatch, capsys) -> None:
    config = '{{"auths": {{"registry.internal": {{"auth": "{}"}}}}}}'.format(b64("deploy:Rt7Vw1Bc6Nh3"))
    text = f"kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {b64(config)}\n"
    code, out = run(tmp_path, monkeypatch, capsys, {"k8s/pull.yaml": text})
    assert code == 1
    assert "registry password for registry.internal" in out and "Rt7Vw1Bc6Nh3" not in out


@pytest.mark.parametrize(
    "name, text, expected",
    [
        (".npmrc", "//registry.npmjs.org/:_authToken=Qm8vL2xKp4Rz9Wt7Hd3N\n", ":1:"),
        (".npmrc", f"_auth={b64('ci:Xw9Lm2Qk8Pz4')}\n", ":1:"),
        (".netrc", "machine api.heroku.com login ops@example.org password Zx8Lq3Vm2Kp9\n", ":1:"),
        (".git-credentials", "https://ci-bot:Xw9Lm2Qk8Pz4Vt7R@git.internal.example.org\n", ":1:"),
        (".docker/config.json", '{{"auths": {{"r.internal": {{"auth": "{}"}}}}}}\n'.format(b64("u:Rt7Vw1Bc6Nh3")), ":1:"),
    ],
)
def test_credential_files(tmp_path, monkeypatch, capsys, name, text, expected) -> None:
    code, out = run(tmp_path, monkeypatch, capsys, {name: text})
    assert code == 1 and expected in out


@pytest.mark.parametrize(
    "name, text",
    [
        (".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\nalways-auth=true\n"),
        (".netrc", "machine files.internal login anonymous\n"),
        (".git-credentials", "https://ci-bot@git.internal.example.org\n"),
        (".docker/config.json", '{"auths": {"r.internal": {}}, "credsStore": "desktop"}\n'),
    ],
)
def test_credential_files_without_a_secret(tmp_path, monkeypatch, capsys, name, text) -> None:
    assert run(tmp_path, monkeypatch, capsys, {name: text}) == (0, "")


@pytest.mark.parametrize(
    "url, caught",
    [
        ("https://acct.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=Tk7Lq2Vx9Mz4Pw8Rd3Hn6Bc1Jy5Gs0AeUo%3D", True),
        ("https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F&X-Amz-Signature=9f8e7d6c5b4a39281726354a5b6c7d8e9f0a1b2c", True),
        ("https://example.org/download?file=report.csv&sig=${SIGNATURE}", False),
        ("https://example.org/download?sig=abc", False),  # a stub, too short to sign anything
        ("jdbc:sqlserver://db:1433;databaseName=billing;user=billing;password=Qz8Lm2Vx9Kd4", True),
        ("jdbc:postgresql://db:5432/billing?user=billing&password=${DB_PASSWORD}", False),
    ],
)
def test_url_credentials(tmp_path, monkeypatch, capsys, url, caught) -> None:
    code, out = run(tmp_path, monkeypatch, capsys, {"config/app.yaml": f"upstream:\n  endpoint: \"{url}\"\n"})
    assert (code == 1) is caught, out
