"""Production is what production runs (issue 11): a single settings module
with no production/staging split is judged as production, by the defaults of
its environment reads."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.no_debug_in_production import main
from hooks.repo import production
from tests.conftest import write_files

SINGLE = """import os
from myapp.env import get_bool_from_env

SECRET_KEY = os.environ.get("SECRET_KEY")
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.admin", "myapp"]
DEBUG = {debug}
"""


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
        files: dict[str, str]) -> tuple:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, files)
    code = main(list(files))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


@pytest.mark.parametrize(
    "debug",
    [
        'get_bool_from_env("DEBUG", True)',  # saleor-style helper
        'envbool("DEBUG", "True")',  # healthchecks-style helper
        'env.bool("DEBUG", default=True)',  # django-environ, environs
        'config("DEBUG", default=True, cast=bool)',  # python-decouple
        'os.environ.get("DEBUG", "1") == "1"',
        'os.getenv("DEBUG", "true").lower() == "true"',
    ],
)
def test_single_settings_module_defaulting_debug_on_is_reported(tmp_path, monkeypatch, capsys, debug) -> None:
    code, lines, _ = run(tmp_path, monkeypatch, capsys, {"myapp/settings.py": SINGLE.format(debug=debug)})
    assert code == 1 and len(lines) == 1
    assert lines[0].startswith("myapp/settings.py:7:1: no-debug-in-production: DEBUG falls back to")
    assert "production runs it" in lines[0]


@pytest.mark.parametrize(
    "debug", ['get_bool_from_env("DEBUG", False)', 'env.bool("DEBUG")', 'os.environ.get("DEBUG") == "1"', "False"],
)
def test_single_settings_module_with_debug_off_by_default_passes(tmp_path, monkeypatch, capsys, debug) -> None:
    assert run(tmp_path, monkeypatch, capsys, {"myapp/settings.py": SINGLE.format(debug=debug)})[:2] == (0, [])


def test_a_split_layout_keeps_the_base_module_out_of_production(tmp_path, monkeypatch, capsys) -> None:
    files = {
        "config/settings/base.py": SINGLE.format(debug="True"),
        "config/settings/production.py": "from .base import *\nDEBUG = False\n",
        "config/settings/local.py": "from .base import *\nDEBUG = True\n",
    }
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, [])


def test_a_deployed_layer_without_an_environment_name_is_a_split(tmp_path, monkeypatch, capsys) -> None:
    # pythondotorg: settings/cabotage.py does `from pydotorg.settings.base import *`.
    files = {
        "pydotorg/settings/base.py": SINGLE.format(debug="True"),
        "pydotorg/settings/cabotage.py": "from pydotorg.settings.base import *\nDEBUG = False\n",
    }
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, [])


def test_local_and_test_siblings_split_nothing(tmp_path, monkeypatch, capsys) -> None:
    files = {
        "hc/settings.py": SINGLE.format(debug='envbool("DEBUG", "True")'),
        "hc/local_settings.py": "DEBUG = True\n",
        "hc/test.py": "from hc.settings import *\n",
    }
    code, lines, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1 and [line.split(":")[0] for line in lines] == ["hc/settings.py"]


def test_code_named_config_is_not_a_settings_module(tmp_path, monkeypatch, capsys) -> None:
    files = {"app/forms/config.py": "DEBUG = True\nSECRET_KEY = 'x'\nALLOWED_HOSTS = []\n",
             "app/utils/config/__init__.py": "DEBUG = True\nSECRET_KEY = 'x'\n"}
    code, lines, err = run(tmp_path, monkeypatch, capsys, files)
    assert (code, lines) == (0, []) and "nothing to check" in err


def test_toolbar_guarded_by_debug_or_removed_in_production_passes(tmp_path, monkeypatch, capsys) -> None:
    guarded = SINGLE.format(debug="False") + 'if DEBUG:\n    INSTALLED_APPS.append("debug_toolbar")\n'
    removed = (SINGLE.format(debug="False").replace('"myapp"]', '"myapp", "debug_toolbar"]')
               + 'if not DEBUG:\n    INSTALLED_APPS.remove("debug_toolbar")\n')
    assert run(tmp_path, monkeypatch, capsys, {"a/settings.py": guarded})[:2] == (0, [])
    assert run(tmp_path, monkeypatch, capsys, {"b/settings.py": removed})[:2] == (0, [])


def test_named_loggers_at_debug_are_a_choice_in_an_inferred_production(tmp_path, monkeypatch, capsys) -> None:
    text = SINGLE.format(debug="False") + 'LOGGING = {"loggers": {"myapp": {"level": "DEBUG"}}}\n'
    assert run(tmp_path, monkeypatch, capsys, {"myapp/settings.py": text})[:2] == (0, [])


def test_test_settings_are_not_production(tmp_path, monkeypatch, capsys) -> None:
    files = {"dojo/settings/unittests.py": SINGLE.format(debug="True"),
             "saleor/tests/settings.py": SINGLE.format(debug="True")}
    assert run(tmp_path, monkeypatch, capsys, files)[:2] == (0, [])


@pytest.mark.parametrize("path", ["releasenotes/notes/production-debug-2a3b.yaml", "docs/config/production/hugo.toml"])
def test_release_notes_and_docs_sites_are_never_production(tmp_path, monkeypatch, capsys, path) -> None:
    code, lines, err = run(tmp_path, monkeypatch, capsys, {path: "debug: true\n"})
    assert (code, lines) == (0, []) and "nothing to check: no production config" in err


def test_helpers_are_pure_and_list_folders_only() -> None:
    listing = {"myapp": ["settings.py", "urls.py", "local_settings.py"], "myapp/settings": []}
    assert production.is_single_settings_module("myapp/settings.py", listdir=lambda d: listing.get(d, []))
    listing["myapp"].append("settings_production.py")
    assert not production.is_single_settings_module("myapp/settings.py", listdir=lambda d: listing.get(d, []))


FLASK_SINGLE = '''import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///app.db")
    DEBUG = os.environ.get("FLASK_DEBUG", True)


class TestingConfig(Config):
    TESTING = True
'''


def test_a_single_flask_config_class_is_production(tmp_path, monkeypatch, capsys) -> None:
    code, lines, _ = run(tmp_path, monkeypatch, capsys, {"app/config.py": FLASK_SINGLE})
    assert code == 1 and len(lines) == 1 and lines[0].startswith("app/config.py:7:5: no-debug-in-production: Config.DEBUG")


def test_a_config_file_with_a_production_class_is_split(tmp_path, monkeypatch, capsys) -> None:
    text = FLASK_SINGLE + "\n\nclass ProductionConfig(Config):\n    DEBUG = False\n"
    assert run(tmp_path, monkeypatch, capsys, {"app/config.py": text})[:2] == (0, [])
