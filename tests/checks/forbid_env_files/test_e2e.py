"""forbid-env-files through the real pre-commit, in a temporary git repo."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import PreCommit, git, write_files


def test_try_repo_all_files_reports_env_and_key_files_only(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "svc", {
        ".env": "SECRET_KEY=Zq8wLx2Rt5Vb9Nc3Mk7Hj1Pd\n",
        "deploy/.env.production": "DB_PASSWORD=Vq8nL2xKp4Rz\n",
        "frontend/.env": "VITE_API_URL=http://localhost:8000\n",  # no secret: passes (issue 11)
        ".env.example": "SECRET_KEY=changeme\n",
        ".env.sample": "SECRET_KEY=\n",
        "certs/server.key": "-----BEGIN PRIVATE KEY-----\n",
        "ops/id_rsa": "-----BEGIN OPENSSH PRIVATE KEY-----\n",
        "ops/id_rsa.pub": "ssh-ed25519 AAAA billing@deploy\n",
        ".pypirc": "[pypi]\nusername = __token__\npassword = Xk8vPq2Lm9Rt7Wn1\n",
        "settings.py": "DEBUG = False\n",
    })
    (repo / "certs" / "billing.p12").write_bytes(b"\x30\x82\x0a\x00\x00\xff\xfe\x00")
    git(repo, "add", "certs/billing.p12")
    git(repo, "commit", "-q", "-m", "key store", "--no-verify")
    result = precommit.try_repo(repo, "forbid-env-files", "--all-files")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    for reported in (".env:1:1:", "deploy/.env.production:1:1:", "certs/server.key:1:1:", "ops/id_rsa:1:1:",
                     "certs/billing.p12:1:1:", ".pypirc:3:1:"):
        assert reported in out, out
    for clean in (".env.example", ".env.sample", "id_rsa.pub", "settings.py", "frontend/.env"):
        assert f"\n{clean}:" not in out and not out.startswith(f"{clean}:")
    assert "Xk8vPq2Lm9Rt7Wn1" not in out and "Traceback" not in out + result.stderr


def test_commit_of_env_file_is_blocked_and_allow_flag_lets_it_through(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "svc", {"README.md": "billing\n"})
    write_files(repo, {".pre-commit-config.yaml": precommit.config([{"id": "forbid-env-files"}]),
                       ".env.ci": "DEBUG=1\nSTRIPE_API_KEY=Zq8wLx2Rt5Vb9Nc3Mk7Hj1Pd\n"})
    git(repo, "add", ".pre-commit-config.yaml", ".env.ci")
    result = precommit.run(repo, "run")
    assert result.returncode == 1 and ".env.ci:2:1: forbid-env-files: environment file committed" in result.stdout

    write_files(repo, {".pre-commit-config.yaml": precommit.config(
        [{"id": "forbid-env-files", "args": ["--allow", ".env.ci"]}])})
    git(repo, "add", ".pre-commit-config.yaml")
    result = precommit.run(repo, "run")
    assert result.returncode == 0, result.stdout
