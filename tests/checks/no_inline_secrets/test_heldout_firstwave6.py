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
