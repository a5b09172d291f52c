"""no-inline-secrets after the first-wave held-out round 9: a tutorial's
stand-in written as one word, ``your`` + a short word + a credential word with
no separator (``yourgmailpassword``), is a placeholder, not a password. A real
value that merely starts with ``your``/``my`` is still caught. Catch /
leave-alone pairs on files shaped like real ones; no value is printed in full."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import HookResult

MAIL = """\
# -*- coding: utf-8 -*-
EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'
EMAIL_USE_TLS = True
EMAIL_HOST = 'smtp.gmail.com'
EMAIL_HOST_USER = 'yourgmailaccount@gmail.com'
EMAIL_HOST_PASSWORD = '{value}'
EMAIL_PORT = 587
"""


def _run(run_hook: Callable[..., HookResult], value: str) -> tuple[int, str]:
    code, out = run_hook("no-inline-secrets", files={"config/settings/email.py": MAIL.format(value=value)},
                         pass_filenames=True)[:2]
    assert value[3:] not in out  # never printed in full
    return code, out


@pytest.mark.parametrize("value", [
    "yourgmailpassword", "YourSmtpPassword", "yourmailpass", "mysmtppassword", "yourstripesecret",
    "yourapikey", "yourgithubtoken",
])
def test_a_your_word_password_placeholder_is_left_alone(run_hook, value: str) -> None:
    code, out = _run(run_hook, value)
    assert code == 0 and "no-inline-secrets:" not in out


@pytest.mark.parametrize("value", [
    "yourK7q2Vx9mPassword",  # made up: digits in the middle, a real value
    "your7Hq2LmZ9xR",  # made up: merely starts with "your"
    "mydogrexpassword1987",  # made up: something after the credential word
    "Kq7vR2mZp9yourpassword",  # made up: "your…" not at the start
])
def test_a_real_value_that_starts_like_a_placeholder_is_caught(run_hook, value: str) -> None:
    code, out = _run(run_hook, value)
    assert code == 1 and "email.py:6:" in out and "EMAIL_HOST_PASSWORD" in out


PY2_SETTINGS = """\
# -*- coding: utf-8 -*-
import os

DEBUG = False
SECRET_KEY = '{key}'
ALLOWED_HOSTS = ['*']

try:
    from local_settings import *
except ImportError, e:
    print 'no local settings'
"""
KEY = "s4Kq7vR2mZp9Xw3Lt8Hn6Bc5Jd1Fy0Gu"  # made up


def test_a_python2_module_scanned_line_by_line_says_so_beside_its_finding(run_hook) -> None:
    code, out = run_hook("no-inline-secrets", files={"config/settings/setup.py": PY2_SETTINGS.format(key=KEY)},
                         pass_filenames=True)[:2]
    assert code == 1 and KEY[4:] not in out
    assert "setup.py:5:" in out and "SECRET_KEY" in out
    assert "this file is not checked" not in out
    assert "setup.py:10:1: no-inline-secrets: Python 2 syntax: the hooks read Python 3; this file was only scanned " \
           "line by line" in out


def test_another_hook_still_says_a_python2_module_is_not_checked(run_hook) -> None:
    out = run_hook("no-duplicate-config-keys", files={"config/settings/setup.py": PY2_SETTINGS.format(key="x")},
                   pass_filenames=True)[1]
    assert "setup.py:10:1: no-duplicate-config-keys: Python 2 syntax: the hooks read Python 3; " \
           "this file is not checked" in out
