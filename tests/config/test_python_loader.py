"""The Python settings loader (ast only): the entries a Django/Flask settings
module gives, with their kinds and flags, and the errors of a module that does
not parse."""
from __future__ import annotations

from hooks.config import formats, loaders
from hooks.config.document import AUGMENTED, CONDITIONAL, EXPRESSION, MAPPING, SCALAR, SEQUENCE

SETTINGS = '''\
import os

DEBUG = False
TIME_ZONE: str = "UTC"
ADMINS = [("Ops", "ops@example.com")]
CACHES = dict(default=dict(BACKEND="redis", TIMEOUT=300))
SECRET_KEY = os.environ["SECRET_KEY"]
HOST, PORT = "db", 5432
A, B = make_pair()
DATABASES = {"default": {"HOST": HOST}}
DATABASES["default"]["PORT"] = 5432
INSTALLED_APPS = ["django.contrib.admin"]
INSTALLED_APPS += ["debug_toolbar"]
MIDDLEWARE = MIDDLEWARE + ["x"]
ALLOWED = {"a", "b"}
BLOB = b"\\x00"
RATE = 1e3
lower_case = 1
settings.X = 1
CACHES[key] = 1
if os.environ.get("SENTRY_DSN"):
    SENTRY = True
try:
    from .local import *
except ImportError:
    LOCAL = False
finally:
    DONE = True


class ProductionConfig:
    DEBUG = False
    LIMITS = frozenset({1})
'''


def _entries(text: str):
    doc = loaders.parse("shop/settings.py", text, formats.PYTHON)
    assert doc.error is None
    return {e.path: e for e in doc.entries}


def test_settings_entries_kinds_and_flags() -> None:
    e = _entries(SETTINGS)
    assert (e[("DEBUG",)].kind, e[("DEBUG",)].value) == (SCALAR, False)
    assert (e[("TIME_ZONE",)].kind, e[("TIME_ZONE",)].value) == (SCALAR, "UTC")
    assert e[("ADMINS",)].kind == SEQUENCE and e[("ADMINS", 0)].kind == SEQUENCE and e[("ADMINS", 0, 1)].value == "ops@example.com"
    assert e[("CACHES",)].kind == MAPPING and e[("CACHES", "default", "TIMEOUT")].value == 300
    assert (e[("SECRET_KEY",)].kind, e[("SECRET_KEY",)].source) == (EXPRESSION, 'os.environ["SECRET_KEY"]')
    assert (e[("HOST",)].value, e[("PORT",)].value) == ("db", 5432)
    assert ("A",) not in e and ("B",) not in e  # unpacking a call: not readable
    assert AUGMENTED in e[("DATABASES", "default", "PORT")].flags
    assert AUGMENTED in e[("INSTALLED_APPS",)].flags  # the last entry of the name: `+=`
    assert AUGMENTED in e[("MIDDLEWARE",)].flags  # MIDDLEWARE = MIDDLEWARE + [...] changes the existing setting
    assert e[("ALLOWED",)].kind == SEQUENCE
    assert (e[("BLOB",)].kind, e[("BLOB",)].value) == (SCALAR, b"\x00")
    assert e[("RATE",)].value == 1000.0
    assert ("lower_case",) not in e and ("X",) not in e and ("settings",) not in e
    assert CONDITIONAL in e[("SENTRY",)].flags and CONDITIONAL in e[("LOCAL",)].flags and CONDITIONAL in e[("DONE",)].flags
    assert e[("ProductionConfig", "DEBUG")].value is False
    assert e[("ProductionConfig", "LIMITS")].kind == EXPRESSION


def test_a_module_that_does_not_parse_gives_its_line() -> None:
    doc = loaders.parse("shop/settings.py", "DEBUG = True\nALLOWED_HOSTS = [\n", formats.PYTHON)
    assert doc.error is not None and doc.error.certain
    assert doc.error.message.endswith("(line 2)") and doc.error.line == 2
    assert doc.entries == []


def test_nul_bytes_are_an_error_not_a_traceback() -> None:
    doc = loaders.parse("shop/settings.py", "DEBUG = True\x00\n", formats.PYTHON)
    assert doc.error is not None and doc.entries == []
