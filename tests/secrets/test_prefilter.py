"""The clean-file fast path of no-inline-secrets (hooks/secrets/prefilter.py).

Its promise: a file it calls plainly clean gets no finding from the full
engine. Held here on every YAML and JSON file we have (the labeled set, the
corpus of real config, our own fixtures and examples), with the fast path
switched off for the full run; plus catch / leave-alone pairs and the
conditions under which a whole run may exit early.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks import no_inline_secrets
from hooks.config import formats, loaders
from hooks.core import settings
from hooks.secrets import prefilter as secret_prefilter
from hooks.secrets.engine import Checker
from hooks.secrets.patterns import Compiled
from hooks.secrets.prefilter import clean_run, plainly_clean
from tests.conftest import CORPUS, ROOT
from tests.secrets_labeled.cases import materialise

CLEAN = {
    "compose service": "services:\n  web:\n    image: billing:1.4\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n",
    "helm values": "replicaCount: 2\nimage:\n  repository: registry.internal/billing\n  tag: v1.4.2\n",
    "json reference": '{\n  "database": {\n    "password": "${DB_PASSWORD}",\n    "host": "db"\n  }\n}\n',
    "url without credentials": "cache:\n  url: redis://cache.internal:6379/0\n",
    "ansible and helm references": "db:\n  password: \"{{ vault_db_password }}\"\n  token: {{ .Values.token | quote }}\n",
    "empty and short values": 'smtp:\n  password: ""\n  api_key: ~\n  token_ttl: 3600\n  use_token: false\n',
    "long identifiers": "logging:\n  handler_class_name: RotatingFileHandlerWithCompression\n",
}
NOT_CLEAN = {
    "literal password": "database:\n  password: hunter2-prod\n",
    "compose default": "environment:\n  SECRET_KEY: ${SECRET_KEY:-d3v-k3y-2f9a}\n",
    "password in a url": "broker: amqp://billing:s3cr3t@rabbit:5672//\n",
    "token under an innocent key": "notify:\n  hook: xoxb-2750918356-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx\n",
    "aws key id in a comment": "# old: AKIAZ7VQ2MN4XKPL3RTY\nregion: eu-west-1\n",
    "private key": "tls:\n  pem: |\n    -----BEGIN RSA PRIVATE KEY-----\n    MIIEow\n",
    "escaped key": 'config:\n  "p\\u0061ssword": hunter2\n',
    "kubernetes secret": "apiVersion: v1\nkind: Secret\ndata:\n  config: aHVudGVyMg==\n",
    "docker auths": '{"auths": {"registry.internal": {"auth": "dTpwYXNz"}}}\n',
    "name/value pair": "env:\n  - name: DB_PASSWORD\n    value: hunter2-prod\n",
    "reference with a default in jinja": "db:\n  password: \"{{ vault_pw | default('hunter2-prod') }}\"\n",
    "four characters": "db:\n  password: abc4\n",
    "hmac key (issue 28)": "webhooks:\n  github_hmac: Hk29dLm4Qp7Zx1Vb8Nc3\n",
    "compose default of a key named for its cipher": "environment:\n  APP_CREDENTIAL_AES_256_KEY: ${APP_CREDENTIAL_AES_256_KEY:-Hk29dLm4}\n",
    "binary value": "blob: !!binary aHVudGVyMg==\n",
    "signed url": "export: https://bucket.s3.amazonaws.com/x?X-Amz-Signature=abcdef\n",
    "discord-shaped line": "bot: MTA4OTk5NzQ4NzYyNDQ1NjE4Mw.GkLmNo.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab\n",
}


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_plainly_clean_files(name: str) -> None:
    assert plainly_clean(CLEAN[name])


@pytest.mark.parametrize("name", sorted(NOT_CLEAN))
def test_files_that_need_the_full_engine(name: str) -> None:
    assert not plainly_clean(NOT_CLEAN[name])


def _yaml_and_json(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and secret_prefilter.judged_here(p.name))


def _engine_finds(checker: Checker, path: str, text: str) -> bool:
    """Does the secret engine itself, before any judgement in context, find anything?
    Judged as a file production runs too, where every default counts (issue 28)."""
    doc = loaders.parse(path, text, formats.detect(path) or formats.YAML)
    if doc.error is not None:
        return any(True for _ in checker.check_text(path, text))
    return any(True for _ in checker.check_document(doc, production=True))


def test_a_plainly_clean_file_gets_no_finding_from_the_full_engine(tmp_path: Path) -> None:
    labeled = tmp_path / "labeled"
    labeled.mkdir()
    materialise(labeled)
    files = _yaml_and_json(labeled) + _yaml_and_json(ROOT / "tests") + _yaml_and_json(ROOT / "examples")
    if CORPUS.is_dir():
        files += _yaml_and_json(CORPUS)
    checker = Checker(Compiled())
    clean, found = set(), set()
    for path in files:
        text = secret_prefilter.read_small(str(path))
        if text is None:
            continue
        if plainly_clean(text):
            clean.add(str(path))
        if _engine_finds(checker, str(path), text):
            found.add(str(path))
    assert len(found) > 100  # the engine found secrets: the comparison means something
    assert not clean & found, sorted(clean & found)[:10]
    # Labeled cases are dense with secrets by design; real config is not.
    assert len(clean) > len(files) // 8, f"only {len(clean)} of {len(files)} files took the fast path"
    if CORPUS.is_dir():
        real = [p for p in files if CORPUS in p.parents]
        assert len(clean.intersection(map(str, real))) > len(real) // 4


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in list(__import__("os").environ):
        if name.startswith(settings.ENV_PREFIX):
            monkeypatch.delenv(name)
    (tmp_path / "values.yaml").write_text(CLEAN["compose service"])
    (tmp_path / "app.json").write_text(CLEAN["json reference"])
    return tmp_path


def test_a_run_of_plainly_clean_files_exits_early(repo: Path) -> None:
    assert clean_run(["values.yaml", "app.json"])


@pytest.mark.parametrize(
    "why, args",
    [
        ("a flag", ["--verbose", "values.yaml"]),
        ("no files", []),
        ("not YAML or JSON", ["values.yaml", "settings.py"]),
        ("a missing file", ["values.yaml", "gone.yaml"]),
    ],
)
def test_the_full_run_when(repo: Path, why: str, args: list[str]) -> None:
    (repo / "settings.py").write_text("DEBUG = False\n")
    assert not clean_run(args), why


def test_the_full_run_when_settings_name_the_collection(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.legacy-config-hooks.no-inline-secrets]\nsensitive-key = ["^conn$"]\n')
    assert not clean_run(["values.yaml"])


def test_the_full_run_when_the_environment_sets_an_option(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_FORMAT", "json")  # json prints a document even when clean
    assert not clean_run(["values.yaml"])


def test_the_full_run_when_a_file_is_not_utf8_or_binary(repo: Path) -> None:
    (repo / "latin1.yaml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    (repo / "blob.json").write_bytes(b'{"a": "\x00"}')
    assert not clean_run(["latin1.yaml"])
    assert not clean_run(["blob.json"])


def test_a_sensitive_key_pattern_turns_the_shortcut_off(repo: Path, capsys: pytest.CaptureFixture) -> None:
    # `conn` holds no sensitive word: only the user's pattern makes it sensitive.
    (repo / "values.yaml").write_text("conn: Xk9#mQ2$vL7pR4wZ\n")
    assert plainly_clean((repo / "values.yaml").read_text())
    assert no_inline_secrets.main(["--sensitive-key", "^conn$", "values.yaml"]) == 1
    assert "values.yaml:1:" in capsys.readouterr().out
