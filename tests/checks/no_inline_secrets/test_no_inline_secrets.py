"""no-inline-secrets: what it must catch, what it must not flag, and how it reports."""
from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from hooks.checks.no_inline_secrets import main
from hooks.core import masking
from tests.conftest import CORPUS, HookResult

EXAMPLE_YAML = (
    "# production\n"
    "app:\n"
    "  name: billing\n"
    "database:\n"
    "  host: db.internal\n"
    "  user: billing\n"
    "  pool_size: 10\n"
    "  timeout: 30\n"
    "  port: 5432\n"
    "  password: Qm9vbXRvd24tMjAyNA\n"
)


def test_message_names_kind_and_key_path_and_masks_the_value(run_hook: Callable[..., HookResult]) -> None:
    code, out = run_hook("no-inline-secrets", files={"config/production.yaml": EXAMPLE_YAML}, pass_filenames=True)[:2]
    assert code == 1
    assert out == (
        "config/production.yaml:10:13: no-inline-secrets: password literal in database.password "
        "(value masked: Qm…, 18 chars); read it from the environment instead\n"
    )


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("settings/prod.py", 'DATABASES = {"default": {"PASSWORD": "Vq8nL2xKp4Rz"}}\n', 'password literal in DATABASES["default"]["PASSWORD"]'),
        ("settings/prod.py", 'DATABASES["default"]["PASSWORD"] = "Vq8nL2xKp4Rz"\n', 'DATABASES["default"]["PASSWORD"]'),
        ("settings/prod.py", 'EMAIL_HOST_PASSWORD = "K4afoOcjNqsEDckqEqNx"\n', "password literal in EMAIL_HOST_PASSWORD"),
        ("settings/base.py", 'import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "real-looking-default-9x8k2")\n',
         "secret key literal default of os.environ.get() in SECRET_KEY"),
        ("config.py", 'class ProductionConfig:\n    SECRET_KEY = "f3c9a1e7b2d84c60a9e1"\n', "ProductionConfig.SECRET_KEY"),
        (".env", "DB_PASSWORD=hunter2hunter2\n", "password literal in DB_PASSWORD"),
        (".env.production", 'export DJANGO_SECRET_KEY="asan4)59-5^08vwx5(-cj2c0"\n', "secret key literal in DJANGO_SECRET_KEY"),
        ("production.ini", "[app:main]\nauth.secret = 8Hq2mLx9Pz4Kd7Rt\n", "secret literal in auth.secret in [app:main]"),
        ("pyproject.toml", '[tool.billing]\napi_key = "7f9c2ba4e88f827d6160"\n', "API key literal in tool.billing.api_key"),
        ("config/app.json", '{"stripe": {"clientSecret": "3Mf8hKq2LpZ9xWv1Ty6R"}}\n', "client secret literal in stripe.clientSecret"),
        ("config/app.yaml", "api:\n  key: 7f9c2ba4e88f827d6160\n", "API key literal in api.key"),
        ("conf/kafka.properties", "ssl.keystore.password=Tz8Kq2Lm9Pv4\n", "password literal in ssl.keystore.password"),
        ("docker-compose.yml", "services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=Vq8nL2xKp4Rz\n",
         "password literal in POSTGRES_PASSWORD in services.db.environment[0]"),
    ],
)
def test_sensitive_keys_with_literal_values(run_hook: Callable[..., HookResult], name, text, expected) -> None:
    code, out = run_hook("no-inline-secrets", files={name: text}, pass_filenames=True)[:2]
    assert code == 1, out
    assert expected in out


TOKENS = {
    "AWS access key id": "AKIARQHZLMXWVNJTBKDP",
    "GitHub token": "ghp_8fK2mQ9xLp4Rt7Vz1Nc6Bw3Hd5Jy0Gs2AeUo",
    "GitLab token": "glpat-Xz8Kq2Lm9Pv4Rt7Wn1Bc",
    "Slack token": "xoxb-2930482930-2384729384729-AbCdEfGhIjKlMnOpQrStUvWx",
    "Stripe live key": "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "Google API key": "AIzaSyD31CT9P9KxvNUJOwDq2kcFEIG8ADgaFgx",
    "SendGrid API key": "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",
    "PyPI token": "pypi-AgEIcHlwaS5vcmcCJGI4YmNhMDA1LTIwZjQtNDk0Mi1iYmY2LTkxMzVjYzM4NjliMAAC",
    "OpenAI-style sk- key": "sk-proj-Xq8Lm2Pz9Kd4Rt7Vw1Bc6Nh3Jy5Gs0AeUo2Ri9KfT4",
    "JSON web token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
}


@pytest.mark.parametrize("kind, token", TOKENS.items(), ids=list(TOKENS))
def test_token_formats_anywhere_whatever_the_key(run_hook: Callable[..., HookResult], kind, token) -> None:
    code, out = run_hook("no-inline-secrets", files={"config/app.yaml": f"integrations:\n  upstream: {token}\n"}, pass_filenames=True)[:2]
    assert code == 1
    assert f"{kind} in integrations.upstream" in out
    assert "revoke it" in out


def test_pem_private_key_block(run_hook: Callable[..., HookResult]) -> None:
    text = (
        "tls:\n  key: |\n    -----BEGIN RSA PRIVATE KEY-----\n"
        "    MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
        "    -----END RSA PRIVATE KEY-----\n"
        "  cert: |\n    -----BEGIN CERTIFICATE-----\n    MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n"
        "    -----END CERTIFICATE-----\n"
    )
    code, out = run_hook("no-inline-secrets", files={"config/tls.yaml": text}, pass_filenames=True)[:2]
    assert code == 1
    assert out.count("\n") == 1 and "PEM private key in tls.key" in out


@pytest.mark.parametrize(
    "url, what",
    [
        ("postgresql://app:S3cr3tPassw0rd@db.internal:5432/app", "password in a postgresql:// URL"),
        ("redis://:f83jd92kdla0@cache.internal:6379/0", "password in a redis:// URL"),
        ("amqp://billing:Rk3v9Lq2Zp@rabbitmq:5672/billing", "password in a amqp:// URL"),
        ("mongodb+srv://svc:Xq7Lm2Pz9Kd4@cluster0.ab1cd.mongodb.net/app", "password in a mongodb+srv:// URL"),
        ("https://3f1c2a7b9d8e4f60:9a8b7c6d5e4f3a2b@sentry.io/12345", "Sentry DSN secret"),
    ],
)
def test_credentials_in_urls(run_hook: Callable[..., HookResult], url, what) -> None:
    code, out = run_hook("no-inline-secrets", files={"production.ini": f"[app:main]\nsqlalchemy.url = {url}\n"}, pass_filenames=True)[:2]
    assert code == 1
    assert f"{what} in sqlalchemy.url in [app:main]" in out


@pytest.mark.parametrize(
    "value",
    [
        "${DB_PASSWORD}", "${DB_PASSWORD:-}", "$DB_PASSWORD", "{{ secrets.DB_PASSWORD }}", "{{ vault('secret/db') }}",
        "", "<your-key>", "changeme", "xxx", "xxxxxxxx", "***", "dummy", "example", "TODO", "your-password-here",
        "password", "DB_PASSWORD", "/run/secrets/db", "ENC[AES256_GCM,data:Tr3k,iv:x]",
    ],
)
def test_references_placeholders_and_paths_pass(run_hook: Callable[..., HookResult], value) -> None:
    yaml_value = json.dumps(value)
    code, out = run_hook("no-inline-secrets", files={"config/app.yaml": f"db:\n  password: {yaml_value}\n"}, pass_filenames=True)[:2]
    assert (code, out) == (0, "")


@pytest.mark.parametrize(
    "name, text",
    [
        ("config/app.yaml", "db:\n  password: null\n  token: true\n  secret: 12345\n  password_file: /run/secrets/db\n"),
        ("logging.ini", "[loggers]\nkeys = root, sqlalchemy\n\n[handlers]\nkeys = console\n"),
        ("config/app.yaml", "primary_key: id\ntoken_expiry_seconds: 3600\npassword_min_length: 8\n"
                            "cache_key_prefix: billing\npublic_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx2Pz8Kq1L\n"),
        ("settings/base.py", 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nDB_PASSWORD = os.environ.get("DB_PASSWORD")\n'
                             'API_TOKEN = os.getenv("API_TOKEN")\nEMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")\n'),
        ("settings/base.py", 'import environ\nfrom decouple import config\nenv = environ.Env()\n'
                             'SECRET_KEY = env("SECRET_KEY")\nAPI_KEY = config("API_KEY")\n'),
        ("config/app.yaml", "database:\n  url: postgresql://app:${DB_PASSWORD}@db/app\n  replica: postgresql://app@db2/app\n"),
        (".env.example", "SECRET_KEY=changeme\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nDB_PASSWORD=\n"),
        ("deploy/values.yaml", "tls:\n  secretName: billing-tls\nauth:\n  existingSecret: billing-db\n"),
    ],
)
def test_look_alikes_and_environment_reads_pass(run_hook: Callable[..., HookResult], name, text) -> None:
    code, out = run_hook("no-inline-secrets", files={name: text}, pass_filenames=True)[:2]
    assert (code, out) == (0, "")


@pytest.mark.parametrize(
    "line",
    [
        "  password: Qm9vbXRvd24tMjAyNA  # pragma: allowlist secret",
        "  password: Qm9vbXRvd24tMjAyNA  # legacy-config: ignore[no-inline-secrets]",
    ],
)
def test_suppression_markers(run_hook: Callable[..., HookResult], line) -> None:
    code, out = run_hook("no-inline-secrets", files={"config/app.yaml": f"db:\n{line}\n"}, pass_filenames=True)[:2]
    assert (code, out) == (0, "")


def test_marker_for_another_hook_does_not_suppress(run_hook: Callable[..., HookResult]) -> None:
    text = "db:\n  password: Qm9vbXRvd24tMjAyNA  # legacy-config: ignore[no-debug-in-production]\n"
    code, _ = run_hook("no-inline-secrets", files={"config/app.yaml": text}, pass_filenames=True)[:2]
    assert code == 1


def test_baseline_identity_survives_moves_and_changes_with_the_value(run_hook: Callable[..., HookResult], tmp_path) -> None:
    files = {"config/app.yaml": "db:\n  password: Qm9vbXRvd24tMjAyNA\n"}
    run_hook("no-inline-secrets", "--write-baseline", "base.json", files=files, pass_filenames=True)[:2]
    baseline = (tmp_path / "base.json").read_text()
    assert "Qm9vbXRvd24tMjAyNA" not in baseline and "Qm" not in baseline.replace("\"", " ").split()
    moved = {"config/app.yaml": "# moved down\napp:\n  name: billing\ndb:\n  password: Qm9vbXRvd24tMjAyNA\n"}
    assert run_hook("no-inline-secrets", "--baseline", "base.json", files=moved, pass_filenames=True)[:2] == (0, "")
    changed = {"config/app.yaml": "db:\n  password: Zx8vPq2Lm9Rt7Wn1\n"}
    code, out = run_hook("no-inline-secrets", "--baseline", "base.json", "--report-stale", files=changed, pass_filenames=True)[:2]
    assert code == 1
    assert "password literal in db.password" in out
    assert "no longer matches a finding" in out


def test_fingerprint_uses_documented_salted_hash() -> None:
    import hashlib

    assert masking.value_hash("hunter2") == hashlib.sha256(b"legacy-config-hooks:hunter2").hexdigest()[:16]
    assert masking.mask("Qm9vbXRvd24tMjAyNA") == "Qm…, 18 chars"
    assert masking.mask("hunter2") == "7 chars"  # short values show no characters


def test_shared_baseline_file_is_never_flagged(run_hook: Callable[..., HookResult]) -> None:
    text = json.dumps({"version": 1, "hooks": {"no-inline-secrets": {"a.yaml": ["8f3a9c2e1b7d4f60a5c1"]}}, "token": "ghp_8fK2mQ9xLp4Rt7Vz1Nc6Bw3Hd5Jy0Gs2AeUo"})
    assert run_hook("no-inline-secrets", files={".legacy-config-baseline.json": text}, pass_filenames=True)[:2] == (0, "")


def test_template_files_are_scanned_line_by_line(run_hook: Callable[..., HookResult]) -> None:
    text = "{% if prod %}\npassword: Vq8nL2xKp4Rz\napi_key: {{ vault_api_key }}\nsecret_key: env('SECRET_KEY')\n{% endif %}\n"
    code, out = run_hook("no-inline-secrets", files={"config/app.yaml": text}, pass_filenames=True)[:2]
    assert code == 1
    assert out.startswith("config/app.yaml:2:") and out.count("\n") == 1


@pytest.mark.parametrize(
    "name, data",
    [("config/bad.yaml", b"a: [1, 2\n"), ("settings/prod.py", b"SECRET_KEY = (\n"), ("config/bin.json", b"\x00\x01\x02")],
)
def test_broken_input_is_skipped_quietly_not_a_traceback(tmp_path, monkeypatch, capsys, name, data) -> None:
    # A broken file is reported once, by no-duplicate-config-keys (issue 11).
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_bytes(data)
    code = main([name])
    captured = capsys.readouterr()
    assert (code, captured.out) == (0, "") and "Traceback" not in captured.err


def test_bad_pattern_option_is_a_usage_error(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["--sensitive-key", "(unclosed"])
    assert code == 2
    assert "bad pattern" in capsys.readouterr().err


def test_extra_sensitive_key_and_placeholder_options(run_hook: Callable[..., HookResult]) -> None:
    files = {"config/app.yaml": "stripe:\n  pin: 9f8Kq2Lx7Pz4\ndb:\n  password: acme-dev-only\n"}
    code, out = run_hook("no-inline-secrets", "--sensitive-key", "(^|_)pin$", "--placeholder", "acme-dev-.*", files=files, pass_filenames=True)[:2]
    assert code == 1
    assert "stripe.pin" in out and "db.password" not in out


def test_sensitive_keys_setting_in_pyproject(run_hook: Callable[..., HookResult]) -> None:
    files = {
        "pyproject.toml": '[tool.legacy-config-hooks]\nsensitive-keys = ["(^|_)pin$"]\n',
        "config/app.yaml": "card:\n  pin: 9f8Kq2Lx7Pz4\n",
    }
    code, out = run_hook("no-inline-secrets", files=files, pass_filenames=True)[:2]
    assert code == 1 and "card.pin" in out


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_runs_without_a_traceback(monkeypatch, capsys) -> None:
    monkeypatch.chdir(CORPUS)
    files = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file())
    code = main(files)
    out = capsys.readouterr().out
    assert code in (0, 1)
    assert "Traceback" not in out
