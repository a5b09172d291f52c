"""no-inline-secrets after the first-wave held-out round 6: KMS ciphertext in a
Cloud Build ``secrets:`` entry (one with ``kmsKeyName``) is meant to be
committed; a ``%var%`` value is a template variable; files under a sample
folder (``etc.sample/``, ``config.example/``) are samples. Catch / leave-alone
pairs on files shaped like real ones; no value is ever printed in full."""
from __future__ import annotations

from collections.abc import Callable

from tests.conftest import HookResult

CIPHER = "CiQAVx9Lm2Qw8Kd4Pz7Rt1Hn6Bc5Jy0Gs3AWd4Kp9Lm2Qx8Vz7Tn1Hr6Bc5Jy0Gs3Wq+Zk/Pm"  # made up
TOKEN = "sntrys_Qx7Lm2Vw9Kd4Pz8Rt1Hn6Bc5Jy0Gs3AWd4Kp9Lm2Qx8Vz7Tn1"  # made up
RANDOM_24 = "Wd4Kp9Lm2Qx8Vz7Tn1Hr6Bc5"  # made up


def _run(run_hook: Callable[..., HookResult], files: dict[str, str]) -> tuple[int, str]:
    code, out = run_hook("no-inline-secrets", files=files, pass_filenames=True)[:2]
    assert CIPHER[6:30] not in out and TOKEN[8:30] not in out and RANDOM_24[3:20] not in out  # masked
    return code, out


CLOUDBUILD = """\
steps:
- name: 'gcr.io/cloud-builders/docker'
  args: ['build', '-t', 'gcr.io/$PROJECT_ID/app:$COMMIT_SHA', '.']
  secretEnv: ['SENTRY_AUTH_TOKEN']
images:
- 'gcr.io/$PROJECT_ID/app:$COMMIT_SHA'

# SENTRY_AUTH_TOKEN is encrypted with KMS
secrets:
- {kms}
  secretEnv:
    SENTRY_AUTH_TOKEN: {value}
"""


def test_kms_ciphertext_in_a_cloud_build_secrets_entry_passes(run_hook) -> None:
    text = CLOUDBUILD.format(kms="kmsKeyName: projects/p/locations/global/keyRings/r/cryptoKeys/sentry", value=CIPHER)
    assert _run(run_hook, {"cloudbuild.yaml": text}) == (0, "")


def test_a_plain_token_under_secret_env_without_kms_is_caught(run_hook) -> None:
    text = CLOUDBUILD.format(kms="name: sentry", value=f"'{RANDOM_24}'")
    code, out = _run(run_hook, {"cloudbuild.yaml": text})
    assert code == 1 and "SENTRY_AUTH_TOKEN" in out


MAILSCANNER = """\
# Set this to a secret string, used to make watermarks unique to your site.
Use Watermarking = no
Watermark Secret = {value}
Watermark Lifetime = 604800
"""


def test_a_percent_variable_in_a_stock_template_value_passes(run_hook) -> None:
    text = MAILSCANNER.format(value="%org-name%-Secret")
    assert _run(run_hook, {"etc/mailscanner/MailScanner.conf": text}) == (0, "")


def test_a_random_watermark_secret_is_caught(run_hook) -> None:
    code, out = _run(run_hook, {"etc/mailscanner/MailScanner.conf": MAILSCANNER.format(value=RANDOM_24)})
    assert code == 1 and "Watermark Secret" in out


VBOX = """\
[macro:app-base]
fqdn = app.local
post_secret = {value}
"""


def test_a_secret_in_a_sample_folder_passes(run_hook) -> None:
    assert _run(run_hook, {"deployment/etc.sample/vbox.conf": VBOX.format(value=RANDOM_24)}) == (0, "")


def test_the_same_secret_in_the_real_folder_is_caught(run_hook) -> None:
    code, out = _run(run_hook, {"deployment/etc/vbox.conf": VBOX.format(value=RANDOM_24)})
    assert code == 1 and "post_secret" in out


# The only settings module (production runs it): environment reads with
# fallbacks, the outbound credentials' fallbacks made up.
SETTINGS = """\
import os

DEBUG = bool(os.environ.get("DEBUG", False))
BUCKET_NAME = os.environ.get("BUCKET_NAME", "fakeBucketName")
S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID", "ABCDEFGHIJKLMNOPQRST")
S3_SECRET_ACCESS_KEY = os.environ.get(
    "S3_SECRET_ACCESS_KEY", "abcdefghijklmnopqrstuvwxyz01234567891012"
)
MAIL_API_KEY = os.environ.get("MAIL_API_KEY", "{mail}")
HOOK_SECRET_ACCESS_KEY = os.environ.get(
    "HOOK_SECRET_ACCESS_KEY", "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmn"
)
"""

PERMISSIONS = """\
import hashlib
import hmac

from django.conf import settings


def verify(request):
    # calculate the HMAC signature to compare with the one sent
    key = bytes(settings.HOOK_SECRET_ACCESS_KEY, "UTF-8")
    digest = hmac.new(key, request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(digest, request.headers["X-Signature"])
"""

UPLOADS = """\
from django.conf import settings


def client():
    return boto3.client("s3", aws_secret_access_key=settings.HOOK_SECRET_ACCESS_KEY)
"""


def _git(tmp_path, files: dict[str, str]) -> None:
    import subprocess

    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", *files], check=True)


def test_made_up_fallbacks_of_outbound_credentials_pass(run_hook, tmp_path) -> None:
    _git(tmp_path, {"app/uploads.py": UPLOADS})
    text = SETTINGS.format(mail="M31tSt331B34m5")
    assert _run(run_hook, {"project/settings.py": text}) == (0, "")


def test_a_made_up_fallback_of_a_key_the_code_signs_with_is_caught(run_hook, tmp_path) -> None:
    _git(tmp_path, {"api/permissions.py": PERMISSIONS})
    code, out = _run(run_hook, {"project/settings.py": SETTINGS.format(mail="M31tSt331B34m5")})
    assert code == 1 and "HOOK_SECRET_ACCESS_KEY" in out and "S3_SECRET" not in out and "MAIL_API_KEY" not in out


def test_a_random_fallback_of_an_outbound_credential_is_caught(run_hook, tmp_path) -> None:
    _git(tmp_path, {"app/uploads.py": UPLOADS})
    code, out = _run(run_hook, {"project/settings.py": SETTINGS.format(mail=RANDOM_24)})
    assert code == 1 and "MAIL_API_KEY" in out and "S3_SECRET" not in out
