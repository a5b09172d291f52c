"""check-security-settings: the static evaluator and the layer runner, on
one-line settings: what a value comes to, read with ``ast`` only."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from hooks.common.settings_layers import Resolver, class_names, parse
from hooks.common.settings_values import ENV, LITERAL, MISSING, OPAQUE, SECRET, UNKNOWN, Val


def names(text: str, extra: dict[str, str] | None = None, tmp_path: Path | None = None) -> dict[str, tuple[Val, ...]]:
    files = {"settings.py": text, **(extra or {})}

    def read(path: str) -> str | None:
        return files.get(os.path.normpath(path))

    return Resolver(read).module("settings.py").names


def value(text: str, name: str = "X") -> Val:
    return names(text)[name][-1]


PRELUDE = "import os\nimport environ\nfrom decouple import config, Csv\nenv = environ.Env()\n"


@pytest.mark.parametrize("code,kind,expected,variable", [
    ('X = os.environ["K"]', ENV, None, "K"),
    ('X = os.environ.get("K", "d")', ENV, "d", "K"),
    ('X = os.getenv("K", "1") == "1"', ENV, True, "K"),
    ('X = os.environ.get("K") or "fallback"', ENV, "fallback", "K"),
    ('X = env.bool("K", default=True)', ENV, True, "K"),
    ('X = env.int("K", 5)', ENV, 5, "K"),
    ('X = env.list("K", default=["a"])', ENV, ["a"], "K"),
    ('X = env("K", default="v")', ENV, "v", "K"),
    ('X = config("K", default="a,b", cast=Csv())', ENV, ["a", "b"], "K"),
    ('X = config("K", default="true", cast=bool)', ENV, True, "K"),
    ('X = int(os.environ.get("K", "30"))', ENV, 30, "K"),
    ('X = os.environ.get("K", "A,B").lower().split(",")', ENV, ["a", "b"], "K"),
    ('X = not env.bool("K", default=False)', ENV, True, "K"),
    ('X = os.environ.get("K", "0") != "0"', ENV, False, "K"),
    ('X = os.environ.get("K", "x") in ("x", "y")', ENV, True, "K"),
    ('X = "on" if os.environ.get("K") else "off"', ENV, "off", "K"),
    ('X = os.environ.setdefault("K", "s")', ENV, "s", "K"),
    ('X = environ.get("K")', ENV, None, "K"),
])
def test_environment_reads(code: str, kind: str, expected: Any, variable: str | None) -> None:
    val = value(PRELUDE + code)
    assert val.kind == kind
    if kind == ENV:
        assert val.env == variable
        assert (val.value if val.has_default else None) == expected


@pytest.mark.parametrize("code,expected", [
    ("X = 60 * 60 * 24 * 365", 31536000),
    ("X = 2.5 * 1024 * 1024", 2621440.0),
    ("X = 2 ** 10", 1024),
    ("X = 10 // 3 - 1", 2),
    ("X = 7 % 4", 3),
    ("X = -5", -5),
    ("X = 'a' + 'b'", "ab"),
    ("X = [1] + [2]", [1, 2]),
    ("X = (1, 2)", (1, 2)),
    ("X = {'a': 1, **{'b': 2}}", {"a": 1, "b": 2}),
    ("X = dict(a=1)", {"a": 1}),
    ("X = {'k': [1, 2]}['k'][1]", 2),
    ("X = [1, 2, 3][1:]", [2, 3]),
    ("A = [1]\nX = [*A, 2]", [1, 2]),
    ("X = True and 'yes'", "yes"),
    ("X = False or 0", 0),
    ("X = 1 if True else 2", 1),
    ("X = str(5)", "5"),
    ("X = bool('true')", True),
])
def test_literals(code: str, expected: Any) -> None:
    val = value(code)
    assert val.kind == LITERAL
    assert val.value == expected


@pytest.mark.parametrize("code", [
    "X = get_hosts()",
    "X = f'{A}'",
    "X = 2 ** 1000",
    "X = 1 / 0",
    "X = 'a' * 100000",
    "X = Y",
    "X = lambda: 1",
])
def test_unknown(code: str) -> None:
    assert value(code).kind == UNKNOWN


@pytest.mark.parametrize("code", [
    'X = open("/run/secrets/key").read().strip()',
    'X = Path("/run/secrets/key").read_text()',
    'X = get_secret("django-key")',
    'X = vault.read("k")',
    "X = os.urandom(32)",
    "X = secrets.token_urlsafe(50)",
    "X = ''.join(random.SystemRandom().choice(chars) for _ in range(50))",
])
def test_secret_sources(code: str) -> None:
    assert value("import os, secrets, random\n" + code).kind == SECRET


def test_unreadable_list_part_is_opaque() -> None:
    val = value("X = [*plugins(), 'a']")
    assert val.value == [OPAQUE, "a"]
    assert value("X = plugins() + ['a']").value == ["a", OPAQUE]


def test_mutations() -> None:
    ns = names("""
L = ['a']
L += ['b']
L.append('c')
L.extend(['d'])
L.insert(0, 'z')
L.remove('a')
D = {'loggers': {}}
D['loggers']['django'] = {'level': 'INFO'}
D.update({'version': 1})
D.setdefault('root', {'handlers': ['console']})
N = 1
N += 2
A, B = 1, 2
(C, E) = get()
""")
    assert ns["L"][-1].value == ["z", "b", "c", "d"]
    assert ns["D"][-1].value == {"loggers": {"django": {"level": "INFO"}}, "version": 1, "root": {"handlers": ["console"]}}
    assert ns["N"][-1].value == 3
    assert (ns["A"][-1].value, ns["B"][-1].value) == (1, 2)
    assert ns["C"][-1].kind == UNKNOWN


def test_branches_keep_every_possible_value() -> None:
    ns = names("""
import sys
if "runserver" in sys.argv:
    X = 1
else:
    X = 2
if "test" in sys.argv:
    T = 1
else:
    T = 2
if "a" in sys.argv:
    Y = 1
try:
    from .local import *
    Z = 1
except ImportError:
    Z = 2
for i in range(3):
    W = i
""")
    assert [v.value for v in ns["X"]] == [1, 2]
    assert [v.value for v in ns["T"]] == [2]  # production is never a test run (issue 21)
    assert [v.kind for v in ns["Y"]] == [LITERAL, MISSING]
    assert ns["Y"][0].condition.startswith("if ")
    assert [v.value for v in ns["Z"]] == [1, 2]
    assert {v.kind for v in ns["W"]} == {UNKNOWN, MISSING}


def test_literal_if_takes_one_branch() -> None:
    ns = names("DEBUG = False\nif DEBUG:\n    X = 1\nelse:\n    X = 2\nif os.environ.get('K'):\n    Y = 1\n")
    assert [v.value for v in ns["X"]] == [2]
    assert "Y" not in ns


def test_star_and_named_imports_and_cycles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "conf/settings.py": "from .base import *\nfrom .base import B as BB, Config\nfrom .other import C\n"
                            "from .missing_secrets import SECRET_KEY\n",
        "conf/base.py": "A = 1\nB = [1]\n_PRIVATE = 3\nclass Config:\n    SECRET_KEY = 'x'\n",
        "conf/other.py": "from .settings import *\nC = 3\n",  # a cycle back to settings.py
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    mod = Resolver(lambda p: Path(p).read_text() if Path(p).is_file() else None).module("conf/settings.py")
    ns = mod.names
    assert ns["A"][-1].value == 1 and ns["BB"][-1].value == [1]
    assert "_PRIVATE" not in ns
    assert ns["C"][-1].value == 3
    assert ns["SECRET_KEY"][-1].kind == SECRET  # from a module that is not in the repo
    assert "Config" in mod.classes
    assert mod.layers == ["conf/base.py", "conf/settings.py"]


def test_split_settings_include(tmp_path: Path) -> None:
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "a.py").write_text("X = 1\n")
    (tmp_path / "components" / "b.py").write_text("X += 1\nY = X\n")
    (tmp_path / "settings.py").write_text("X = 0\ninclude('components/*.py', optional('local.py'))\n")
    resolver = Resolver(lambda p: Path(p).read_text() if Path(p).is_file() else None)
    mod = resolver.module(str(tmp_path / "settings.py"))
    assert mod.names["Y"][-1].value == 2
    assert len(mod.layers) == 3


def test_class_bodies_and_inheritance() -> None:
    files = {"settings.py": "class Config:\n    A = 1\n    B = A + 1\n    FIELD: int\n\nclass Prod(Config):\n    A = 5\n"}
    resolver = Resolver(lambda p: files.get(os.path.normpath(p)))
    mod = resolver.module("settings.py")
    merged, chain = class_names(mod, "Prod", resolver)
    assert chain == ["Config", "Prod"]
    assert merged["A"][-1].value == 5 and merged["B"][-1].value == 2


def test_templates_and_broken_files() -> None:
    assert parse("X = 1\n{% if cookiecutter.x %}\nY = '{{ cookiecutter.name }}'\n{% endif %}\n") is not None
    assert parse("X = (\n") is None
    resolver = Resolver(lambda p: None)
    assert resolver.module("nowhere.py").error == "cannot read"
    resolver = Resolver(lambda p: "X = (\n")
    assert resolver.module("broken.py").error == "cannot parse"


# ---- held-out round 12: aliases of the environment's readers; try/except around a required read ----

@pytest.mark.parametrize("code,expected,has_default", [
    ('from os import environ\nget = environ.get\nX = get("K", "d")', "d", True),
    ('import os\nread = os.environ.get\nX = read("K")', None, False),
    ('import os\nfetch = os.getenv\nX = fetch("K", default="d")', "d", True),
    ('from os import getenv as fetch\nX = fetch("K", "d")', "d", True),
    ('from os import environ as E\nX = E["K"]', None, False),
    ('import os\nE = os.environ\nX = E.get("K", "d")', "d", True),
])
def test_aliases_of_environment_readers(code: str, expected: Any, has_default: bool) -> None:
    val = value(code)
    assert (val.kind, val.env, val.value, val.has_default) == (ENV, "K", expected, has_default)


@pytest.mark.parametrize("code", [
    'LOCAL = {}\nget = LOCAL.get\nX = get("K", "d")',
    'def get(name, default):\n    return default\nX = get("K", "d")',
    'X = get("K", "d")',
])
def test_other_getters_are_not_environment_reads(code: str) -> None:
    assert value(code).kind != ENV


@pytest.mark.parametrize("handler", ["pass", "log.warning('unset')", "raise ImproperlyConfigured('unset')", "sys.exit(1)"])
def test_required_read_in_try_whose_except_sets_nothing(handler: str) -> None:
    possible = names(f'import os\ntry:\n    X = os.environ["K"]\nexcept KeyError:\n    {handler}\n')["X"]
    assert [(v.kind, v.has_default, v.condition) for v in possible] == [(ENV, False, "")]


@pytest.mark.parametrize("code", [
    'import os\ntry:\n    X = os.environ["K"]\nexcept KeyError:\n    X = "dev"\n',
    'import os\nX = "dev"\ntry:\n    X = os.environ["K"]\nexcept KeyError:\n    pass\n',
    'import os\ntry:\n    X = os.environ.get("K", "d")\nexcept KeyError:\n    pass\n',
])
def test_try_with_a_real_fallback_keeps_both_values(code: str) -> None:
    assert len(names(code)["X"]) == 2
