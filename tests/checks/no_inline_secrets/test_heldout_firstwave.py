"""no-inline-secrets after the first-wave held-out round 1: a default that is a
sentinel message (``MISSING X ENV VAR``, ``ERROR: Could not get ... Key``) or
the variable's name spelled in lower case is a placeholder, also where
production falls back to it; placeholder words (``Unknown``) pass in any role;
an Ansible role's defaults keep only credentials real anywhere. Catch /
leave-alone pairs on files shaped like real ones; no value is ever printed."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import HookResult

RANDOM_40 = "Zq3Lw8Rt1Vb6Nc9Xk2Mp5Hs7Jd4Fg0Ay8Ue3Io6P"  # made up


def _run(run_hook: Callable[..., HookResult], files: dict[str, str]) -> tuple[int, str]:
    code, out = run_hook("no-inline-secrets", files=files, pass_filenames=True)[:2]
    assert RANDOM_40[4:24] not in out  # masked
    return code, out


# The one settings module production runs: every default is judged strictly.
SETTINGS = """\
from os import environ

DEBUG = False

CONCORD = {
    'client_id': 'watershed',
    'client_secret': environ.get('WS_CONCORD_SECRET_KEY',
                                 'MISSING WS_CONCORD_SECRET_KEY ENV VAR'),
}
HYDRO = {
    'client_secret': environ.get('WS_HYDRO_SECRET_KEY', 'MISSING ENV VAR'),
}
CATCHMENT_API = {
    'url': environ.get('WS_CATCHMENT_API_URL', 'ERROR: Could not get Catchment API URL'),
    'api_key': environ.get('WS_CATCHMENT_API_KEY', 'ERROR: Could not get Catchment API Key'),
}
PORTAL = {
    'client_secret': environ.get('WS_PORTAL_SECRET_KEY', 'portal_secret_key'),
}
MAPS_TOKEN = environ.get('MAPS_TOKEN', 'not-set')
"""


def test_sentinel_defaults_and_slot_names_in_production_settings_pass(run_hook) -> None:
    assert _run(run_hook, {"watershed/settings.py": SETTINGS}) == (0, "")


@pytest.mark.parametrize("default", ["changeme", "watershed", RANDOM_40, "hard to guess string"])
def test_a_value_production_may_run_with_is_still_reported(run_hook, default) -> None:
    text = f"from os import environ\n\nDEBUG = False\nAPI_TOKEN = environ.get('WS_API_TOKEN', '{default}')\n"
    code, out = _run(run_hook, {"watershed/settings.py": text})
    assert code == 1 and ":4:" in out and "production runs this and falls back to it" in out, out


def test_sentinel_defaults_in_plain_settings_pass_and_a_secret_beside_them_does_not(run_hook) -> None:
    text = ("import os\n\nSECRET_KEY = os.environ.get('SECRET_KEY', 'please set SECRET_KEY in the environment')\n"
            "MAIL_PASSWORD = os.environ.get('MAIL_PASSWORD', 'Error: mail password unset')\n"
            f"STRIPE_SECRET = os.environ.get('STRIPE_SECRET', '{RANDOM_40}')\n")
    code, out = _run(run_hook, {"config/staging.py": text})
    assert code == 1 and out.count("\n") == 1 and ":5:" in out and "STRIPE_SECRET" in out, out


def test_a_passphrase_under_a_password_key_is_still_prose_secret(run_hook) -> None:
    text = "database:\n  password: correct horse battery staple\n"
    code, out = _run(run_hook, {"config/production.yaml": text})
    assert code == 1 and "password literal" in out, out


ROLE_DEFAULTS = """\
---
app_home: /opt/watershed
envdir_config:
  WS_DB_HOST: "{{ postgresql_host }}"
  WS_DB_PASSWORD: "{{ postgresql_password }}"
  ROLLBAR_SERVER_SIDE_ACCESS_TOKEN: "Unknown"
  SENTRY_TOKEN: "TBD"
postgresql_password: watershed
celery_broker_password: guest
"""


def test_placeholders_and_dev_values_in_role_defaults_pass(run_hook) -> None:
    assert _run(run_hook, {"deployment/ansible/roles/watershed.base/defaults/main.yml": ROLE_DEFAULTS}) == (0, "")


def test_a_high_entropy_key_in_role_defaults_is_still_reported(run_hook) -> None:
    text = ROLE_DEFAULTS + f'django_secret_key: "{RANDOM_40}"\n'
    code, out = _run(run_hook, {"deployment/ansible/roles/watershed.app/defaults/main.yml": text})
    assert code == 1 and out.count("\n") == 1 and "django_secret_key" in out, out


def test_a_dev_password_in_group_vars_or_role_vars_is_still_judged_as_before(run_hook) -> None:
    text = "postgresql_password: Wq7Lp2Zx9Kd4\n"
    for path in ("deployment/ansible/group_vars/production", "deployment/ansible/roles/watershed.base/vars/main.yml"):
        code, out = _run(run_hook, {path: text})
        assert code == 1 and "postgresql_password" in out, (path, out)


def test_unknown_is_a_placeholder_in_any_role(run_hook) -> None:
    text = "rollbar:\n  access_token: Unknown\nsentry:\n  auth_token: unspecified\n"
    assert _run(run_hook, {"config/production.yaml": text}) == (0, "")
