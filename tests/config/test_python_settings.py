"""hooks.config.python_settings: the names a settings module gets through star
and named imports of modules beside it (read with ast, never imported), on a
settings package shaped like a real Django project."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.config import loaders, python_settings


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    files = {
        "config/__init__.py": "",
        "config/settings/__init__.py": "",
        "config/settings/base.py": 'SECRET_KEY = "dev"\nDEBUG = True\nCACHES = {"default": {"TIMEOUT": 30}}\n'
                                   "from .logging import *  # noqa\n",
        "config/settings/logging.py": 'LOGGING = {"version": 1}\nfrom .base import *  # noqa: a cycle\n',
        "config/settings/production.py": "from .base import *  # noqa\n"
                                         "try:\n    from .local import *  # noqa\nexcept ImportError:\n    pass\n"
                                         "from config.settings.secrets import SECRET_KEY as KEY, DSN\n"
                                         "from django.conf import global_settings\nimport os\n",
        "config/settings/secrets.py": 'SECRET_KEY = "x"\nDSN = "postgres://"\nOTHER = 1\n',
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def _load(path: str):
    doc = loaders.load(path)
    assert doc is not None
    return doc


def test_imports_lists_modules_of_the_repo_only(project: Path) -> None:
    got = python_settings.imports(_load("config/settings/production.py"))
    assert [(i.line, i.path, i.names) for i in got] == [
        (1, "config/settings/base.py", None),
        (6, "config/settings/secrets.py", {"SECRET_KEY": "KEY", "DSN": "DSN"}),
    ]  # .local does not exist, django.conf is not in the repo, `import os` is not a from-import


def test_inherited_follows_star_imports_through_a_cycle_and_renames_named_ones(project: Path) -> None:
    got = python_settings.inherited(_load("config/settings/production.py"), loaders.load)
    assert [(i.entry.path, i.origin, i.line) for i in got] == [
        (("SECRET_KEY",), "config/settings/base.py", 1),
        (("DEBUG",), "config/settings/base.py", 1),
        (("CACHES",), "config/settings/base.py", 1),
        (("CACHES", "default"), "config/settings/base.py", 1),
        (("CACHES", "default", "TIMEOUT"), "config/settings/base.py", 1),
        (("LOGGING",), "config/settings/logging.py", 1),  # base's own star import, placed at production's line 1
        (("LOGGING", "version"), "config/settings/logging.py", 1),
        (("KEY",), "config/settings/secrets.py", 6),  # `SECRET_KEY as KEY`; OTHER is not imported
        (("DSN",), "config/settings/secrets.py", 6),
    ]


@pytest.mark.parametrize(("importer", "module", "level", "found"), [
    ("config/settings/production.py", "base", 1, "config/settings/base.py"),
    ("config/settings/production.py", "settings.base", 2, "config/settings/base.py"),
    ("config/settings/production.py", "settings", 2, "config/settings/__init__.py"),
    ("config/settings/production.py", "config.settings.base", 0, "config/settings/base.py"),
    ("config/settings/production.py", "nowhere.base", 0, None),
    ("config/settings/production.py", None, 1, None),  # `from . import x`: a package, not a settings module
])
def test_resolve(project: Path, importer: str, module: str | None, level: int, found: str | None) -> None:
    assert python_settings.resolve(importer, module, level) == found


def test_a_module_that_does_not_parse_or_imports_nothing_has_no_imports(project: Path) -> None:
    (project / "config/settings/broken.py").write_text("from .base import *\nDEBUG = (\n")
    (project / "config/settings/plain.py").write_text("DEBUG = False\n")
    assert python_settings.imports(_load("config/settings/broken.py")) == []
    assert python_settings.imports(_load("config/settings/plain.py")) == []


def test_a_module_the_loader_cannot_give_is_skipped(project: Path) -> None:
    got = python_settings.inherited(_load("config/settings/production.py"), lambda path: None)
    assert got == []
