"""check-env-documented, held-out round 17 (export-wins-data): the wrong class the judge found, on files
shaped like the real ones, with a catch and a leave-alone test.

- ``EMAIL_SSL_KEYFILE = os.getenv("EMAIL_SSL_KEYFILE")`` (no default) in a Django settings module, for a
  setting whose Django default is None or ``''``: unset is Django's own default, an optional knob. The
  table of such settings is checked against the installed Django's ``global_settings.py``, read with ``ast``.
"""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from hooks.checks.check_env_documented.django_defaults import REFUSED, UNSET_IS_DEFAULT
from hooks.checks.check_env_documented.python import scan
from tests.helpers.env_documented import Fixtures, reported, run_hook


def defaults(path: str, text: str) -> dict[str, str | None]:
    return {r.name: r.default for r in scan(path, text).reads}


def test_the_table_is_django_global_settings_none_or_empty_less_the_refused() -> None:
    spec = importlib.util.find_spec("django")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("Django is not installed (it is in the test extra)")
    source = Path(next(iter(spec.submodule_search_locations)), "conf", "global_settings.py")
    tree = ast.parse(source.read_text(encoding="utf-8"))
    unset: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value in (None, ""):
            unset.update(t.id for t in node.targets if isinstance(t, ast.Name))
    assert set(REFUSED) <= unset, "a refused name is no longer None or '' in Django"
    assert UNSET_IS_DEFAULT == frozenset(unset - set(REFUSED))


SETTINGS = """\
\"\"\"Django settings for the wins service.\"\"\"
import os
from os import getenv

SECRET_KEY = os.getenv("SECRET_KEY")
DEBUG = bool(os.getenv("DEBUG"))
INSTALLED_APPS = ["django.contrib.auth", "wins"]

# Mail stuffs
EMAIL_HOST = os.getenv("EMAIL_HOST")
EMAIL_PORT = os.getenv("EMAIL_PORT")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = os.environ.get("SMTP_PASSWORD")
EMAIL_SSL_KEYFILE = os.getenv("EMAIL_SSL_KEYFILE")
EMAIL_SSL_CERTFILE = getenv("EMAIL_SSL_CERTFILE")
if not DEBUG:
    SESSION_COOKIE_DOMAIN = os.getenv("COOKIE_DOMAIN")

OAUTH2_CLIENT_ID = os.getenv("OAUTH2_CLIENT_ID")
STATIC_ROOT = os.getenv("STATIC_ROOT")
"""

OPTIONAL = ("EMAIL_HOST_USER", "SMTP_PASSWORD", "EMAIL_SSL_KEYFILE", "EMAIL_SSL_CERTFILE", "COOKIE_DOMAIN")


def test_leave_alone_a_django_setting_whose_default_is_none_or_empty() -> None:
    found = defaults("data/settings.py", SETTINGS)
    assert all(found[name] == "" for name in OPTIONAL), found
    # a layer of layered settings: `from .base import *` says Django's as well
    layer = "from .base import *  # noqa\nimport os\n\nEMAIL_SSL_KEYFILE = os.getenv('EMAIL_SSL_KEYFILE')\n"
    assert defaults("proj/settings/production.py", layer)["EMAIL_SSL_KEYFILE"] == ""


def test_catch_what_django_needs_or_refuses_empty_and_other_modules() -> None:
    found = defaults("data/settings.py", SETTINGS)
    # Django refuses an empty SECRET_KEY and a missing STATIC_ROOT (collectstatic); EMAIL_HOST's default is
    # "localhost", not None; OAUTH2_CLIENT_ID is no Django setting
    for name in ("SECRET_KEY", "STATIC_ROOT", "EMAIL_HOST", "EMAIL_PORT", "OAUTH2_CLIENT_ID"):
        assert found[name] is None, name
    # os.environ["X"] raises when unset; a read inside a function is no setting
    strict = SETTINGS.replace('os.getenv("EMAIL_SSL_KEYFILE")', 'os.environ["EMAIL_SSL_KEYFILE"]') + \
        "\n\ndef mail_user():\n    EMAIL_HOST_USER = os.getenv('MAIL_USER')\n    return EMAIL_HOST_USER.strip()\n"
    found = defaults("data/settings.py", strict)
    assert found["EMAIL_SSL_KEYFILE"] is None and found["MAIL_USER"] is None
    # the same names in a module that is no Django settings module: its own code uses them
    assert defaults("wins/mail.py", SETTINGS)["EMAIL_SSL_KEYFILE"] is None
    flask = "import os\n\nclass Config:\n    EMAIL_SSL_KEYFILE = os.getenv('EMAIL_SSL_KEYFILE')\n"
    assert defaults("app/config.py", flask)["EMAIL_SSL_KEYFILE"] is None


TEMPLATE = """\
export SECRET_KEY=change-me
export DEBUG=True
export EMAIL_HOST=localhost
export EMAIL_PORT=1025
export STATIC_ROOT=/app/static
"""


def test_leave_alone_end_to_end(env: Fixtures) -> None:
    code, out, err = run_hook(*env, {"data/settings.py": SETTINGS, ".env.template": TEMPLATE})
    assert code == 1 and reported(out) == ["OAUTH2_CLIENT_ID"], out
    assert "5 variable(s) read with a default, optional knobs, are not documented (COOKIE_DOMAIN, " in err, err


def test_catch_end_to_end(env: Fixtures) -> None:
    undocumented = TEMPLATE.replace("export STATIC_ROOT=/app/static\n", "")
    code, out, _ = run_hook(*env, {"data/settings.py": SETTINGS, ".env.template": undocumented})
    assert code == 1 and reported(out) == ["OAUTH2_CLIENT_ID", "STATIC_ROOT"], out
