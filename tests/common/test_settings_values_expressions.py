"""hooks.common.settings_values on the expressions settings modules write that
tests/common/test_settings_values.py leaves out: what each comes to statically
(a literal, an environment read with its default, a secret, or unknown)."""
from __future__ import annotations

import os
from typing import Any

import pytest

from hooks.common.settings_layers import Resolver
from hooks.common.settings_values import ENV, LITERAL, SECRET, UNKNOWN, Val, to_bool

PRELUDE = "import os\nimport sys\nimport secrets\nimport environ\nenv = environ.Env()\nBASE = ['a', 'b']\nN = 3\n"


def value(code: str, name: str = "X") -> Val:
    files = {"settings.py": PRELUDE + code + "\n"}
    return Resolver(lambda path: files.get(os.path.normpath(path))).module("settings.py").names[name][-1]


@pytest.mark.parametrize(("code", "kind", "expected"), [
    ("X = -N", LITERAL, -3),
    ("X = not N", LITERAL, False),
    ("X = ~N", UNKNOWN, None),  # only - and not are evaluated; anything else is unknown, never judged
    ('X = -int(os.environ.get("K", "2"))', ENV, -2),
    ("X = -undefined_name", UNKNOWN, None),
    ("X = 'a' if N == 3 else 'b'", LITERAL, "a"),
    ("X = 'a' if N > 1 else 'b'", UNKNOWN, None),  # an ordering comparison is not evaluated
    ('X = "on" if os.environ.get("K") else "off"', ENV, "off"),
    ("X = BASE[0]", LITERAL, "a"),
    ("X = BASE[1:]", LITERAL, ["b"]),
    ("X = BASE[::-1]", UNKNOWN, None),  # a slice with a step is not evaluated
    ("X = BASE[N]", UNKNOWN, None),
    ('X = {"a": 1}["a"]', LITERAL, 1),
    ("X = BASE + ['c']", LITERAL, ["a", "b", "c"]),
    ("X = BASE * 2", LITERAL, ["a", "b", "a", "b"]),
    ("X = 2 ** 100", UNKNOWN, None),
    ("X = 'x' * 20000", UNKNOWN, None),
    ('X = "/srv/" + os.environ.get("APP", "shop")', ENV, "/srv/shop"),
    ("X = 1 / 0", UNKNOWN, None),
    ("X = N == 3 and 'big'", LITERAL, "big"),
    ("X = N == 2 and 'big'", LITERAL, False),
    ("X = 0 or N", LITERAL, 3),
    ('X = os.environ.get("K", "") or "fallback"', ENV, "fallback"),
    ("X = N == 3", LITERAL, True),
    ("X = N != 3", LITERAL, False),
    ("X = 'a' in BASE", LITERAL, True),
    ("X = 'z' not in BASE", LITERAL, True),
    ("X = 1 < N < 5", UNKNOWN, None),
    ("X = N is None", UNKNOWN, None),
    ('X = "test" in sys.argv', LITERAL, False),
    ('X = os.environ.get("MODE", "dev") == "prod"', ENV, False),
    ('X = "DEBUG" in os.environ', UNKNOWN, None),  # read as a condition only (if "X" in os.environ:)
    ('X = f"{N}"', UNKNOWN, None),
    ("X = secrets.token_urlsafe(50)", SECRET, None),
    ("X = ''.join(random.choice('abc') for _ in range(50))", SECRET, None),
    ('X = os.environ.get("HOSTS", "a,b").split(",")', ENV, ["a", "b"]),
    ('X = os.environ.get("LEVEL", "Info").lower()', ENV, "info"),
    ("X = str(N)", LITERAL, "3"),
    ("X = int('7')", LITERAL, 7),
    ("X = bool(N)", LITERAL, True),
    ("X = list(BASE)", LITERAL, ["a", "b"]),
    ("X = dict(a=1, b=N)", LITERAL, {"a": 1, "b": 3}),
    ("X = frozenset()", UNKNOWN, None),
])
def test_expressions(code: str, kind: str, expected: Any) -> None:
    got = value(code)
    assert got.kind == kind, got
    if kind in (LITERAL, ENV):
        assert got.value == expected, got


def test_env_scheme_defaults_are_read() -> None:
    files = {"settings.py": 'import environ\nenv = environ.Env(DEBUG=(bool, False), HOSTS=(list, ["*"]))\n'
                            'DEBUG = env("DEBUG")\nALLOWED_HOSTS = env("HOSTS")\n'}
    names = Resolver(lambda path: files.get(os.path.normpath(path))).module("settings.py").names
    debug, hosts = names["DEBUG"][-1], names["ALLOWED_HOSTS"][-1]
    assert (debug.kind, debug.env, debug.has_default) == (ENV, "DEBUG", True)
    assert (hosts.kind, hosts.env) == (ENV, "HOSTS")


@pytest.mark.parametrize(("raw", "expected"), [("yes", True), (" On ", True), ("0", False), ("false", False), (1, True), (None, False)])
def test_to_bool(raw: Any, expected: bool) -> None:
    assert to_bool(raw) is expected


def test_a_configparser_get_is_not_an_environment_read() -> None:
    # byro: SECRET_KEY = config.get("site", "secret") reads a section of its ini file
    import ast as _ast

    from hooks.common.settings_values import env_read

    assert env_read(_ast.parse('config.get("site", "secret")', mode="eval").body) is None
    assert env_read(_ast.parse('config("SECRET_KEY", default="x")', mode="eval").body)[0] == "SECRET_KEY"  # type: ignore[index]
    assert env_read(_ast.parse('os.environ.get("SECRET_KEY", "dev")', mode="eval").body)[0] == "SECRET_KEY"  # type: ignore[index]
