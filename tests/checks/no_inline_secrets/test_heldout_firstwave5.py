"""no-inline-secrets after the first-wave held-out round 5: a help or
deprecation sentence is not a passphrase, wherever it stands (a settings-mapping
row keyed by a password setting, a plain key); a CloudFormation template kept
under a ``.cfn`` / ``.template`` suffix is read as the JSON or YAML it holds;
``validate_key`` (Beaker's signing half of ``encrypt_key``) and
``validationKey`` name secrets. Catch / leave-alone pairs on files shaped like
real ones; no value is ever printed in full."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from hooks.config import formats
from tests.conftest import HookResult

RANDOM_32 = "Qx7Lm2Vw9Kd4Pz8Rt1Hn6Bc5Jy0Gs3A"  # made up
RANDOM_30 = "Wd4Kp9Lm2Qx8Vz7Tn1Hr6Bc5Jy0Gs3"  # made up


def _run(run_hook: Callable[..., HookResult], files: dict[str, str]) -> tuple[int, str]:
    code, out = run_hook("no-inline-secrets", files=files, pass_filenames=True)[:2]
    assert RANDOM_32[4:20] not in out and RANDOM_30[4:20] not in out  # masked
    return code, out


# Rows of [Django setting, default, parser, help text], keyed by the setting's
# name; the help column of a deprecated password setting says where it went.
MAPPINGS = """\
import json

identity = lambda x: x

DEPRECATED_SETTINGS_MAPPINGS = {
    "shop.web.email_host": [
        "EMAIL_HOST",
        None,
        identity,
        ("Use shop.mail.host instead."),
    ],
    "shop.web.email_host_password": [
        "EMAIL_HOST_PASSWORD",
        {default},
        identity,
        ("Use shop.mail.password instead."),
    ],
    "shop.web.secret_key": [
        "SECRET_KEY",
        None,
        identity,
        "The Django secret key; set it with shop config set.",
    ],
}
"""


def test_help_sentences_in_a_settings_mapping_table_pass(run_hook) -> None:
    assert _run(run_hook, {"shop/settings.py": MAPPINGS.replace("{default}", "None")}) == (0, "")


def test_a_real_default_in_the_same_table_is_still_reported(run_hook) -> None:
    code, out = _run(run_hook, {"shop/settings.py": MAPPINGS.replace("{default}", repr(RANDOM_32))})
    assert code == 1 and out.count("\n") == 1 and ":14:" in out and "password literal" in out, out


def test_a_help_sentence_under_a_plain_password_key_passes(run_hook) -> None:
    text = "[mail]\nhost = smtp.internal\npassword = Deprecated, use mail.smtp_password instead.\n"
    assert _run(run_hook, {"production.ini": text}) == (0, "")


@pytest.mark.parametrize("value", ["correct horse battery staple", "open sesame seeds 42",
                                   "Tk7 Lq2 Vx9 Mz4 1987!", "Rex and Tom 2009"])
def test_a_passphrase_is_still_reported(run_hook, value) -> None:
    code, out = _run(run_hook, {"config/production.yaml": f"mail:\n  password: \"{value}\"\n"})
    assert code == 1 and "password literal" in out, out


# A deploy script kept as a JSON CloudFormation template with its own suffix:
# cloud-init writes the session keys of the console it launches.
CFN = """\
{
  "AWSTemplateFormatVersion" : "2010-09-09",
  "Description" : "Deploy the console behind a load balancer",
  "Resources" : {
    "ConsoleLaunchConfig" : {
      "Type" : "AWS::AutoScaling::LaunchConfiguration",
      "Properties" : {
        "UserData" : { "Fn::Base64" : { "Fn::Join" : ["", [
            "#cloud-config\\n",
            "write_files:\\n",
            "-   content: |\\n",
            "        [general]\\n",
            "        session.encrypt_key = {encrypt}\\n",
            "        session.validate_key = {validate}\\n",
            "    path: /etc/console/session-keys.ini\\n"
        ]]}}
      }
    }
  }
}
"""


def _cfn(encrypt: str, validate: str) -> str:
    return CFN.replace("{encrypt}", encrypt).replace("{validate}", validate)


def test_session_keys_in_a_cfn_template_are_reported(run_hook) -> None:
    code, out = _run(run_hook, {"scripts/console-deploy.cfn": _cfn(RANDOM_32, RANDOM_30)})
    assert code == 1, out
    lines = out.splitlines()
    assert len(lines) == 2, out
    assert lines[0].startswith("scripts/console-deploy.cfn:13:") and "encrypt key literal" in lines[0]
    assert lines[1].startswith("scripts/console-deploy.cfn:14:") and "validate key literal" in lines[1]


def test_a_cfn_template_without_keys_passes(run_hook) -> None:
    text = _cfn("${EncryptKey}", "${ValidateKey}")
    assert _run(run_hook, {"scripts/console-deploy.cfn": text}) == (0, "")


def test_a_yaml_cloudformation_template_is_read_too(run_hook) -> None:
    text = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n"
            f"    Properties:\n      MasterUsername: app\n      MasterUserPassword: {RANDOM_32}\n")
    code, out = _run(run_hook, {"deploy/database.template": text})
    assert code == 1 and "deploy/database.template:7:" in out, out


def test_a_template_that_is_no_cloudformation_is_not_read(run_hook) -> None:
    text = f"server {{\n  listen 80;\n}}\nsecret_key = {RANDOM_32}\n"  # a page template, not config
    assert _run(run_hook, {"deploy/nginx.template": text}) == (0, "")


def test_the_format_of_a_template_is_told_from_its_text() -> None:
    assert formats.cloudformation("a.cfn", '{\n  "Resources" : {}\n}') == formats.JSON
    assert formats.cloudformation("a.template", "Resources:\n  X: {}\n") == formats.YAML
    assert formats.cloudformation("a.template", "Hello {{ name }}\n") is None
    assert formats.cloudformation("a.json", '{"Resources": {}}') is None  # named JSON: loaded as such


@pytest.mark.parametrize("key", ["session.validate_key", "validationKey", "SIGNING_KEY", "session.encrypt_key"])
def test_signing_and_validation_key_names_are_secret_names(run_hook, key) -> None:
    code, out = _run(run_hook, {"production.ini": f"[app:main]\n{key} = {RANDOM_32}\n"})
    assert code == 1 and key in out, out


@pytest.mark.parametrize("key", ["invalidation_key", "validate_keys_on_start", "cache_validation_key_prefix"])
def test_keys_about_validation_are_left_alone(run_hook, key) -> None:
    assert _run(run_hook, {"production.ini": f"[app:main]\n{key} = {RANDOM_32[:12]}\n"}) == (0, "")
