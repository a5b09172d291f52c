"""hooks.repo.production on settings folders shaped like real projects: which
module production runs (named, the single one, or a base layer a production or
cabotage-style layer builds on), and whether a base value is overridden there."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.repo import production, roles

BASE = 'import os\nSECRET_KEY = "dev-only"\nDEBUG = True\nINSTALLED_APPS = []\n'


def _tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)


def test_a_base_layer_under_a_production_layer_runs_in_production(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, monkeypatch, {
        "shop/settings/base.py": BASE,
        "shop/settings/production.py": 'from .base import *  # noqa\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = False\n',
        "shop/settings/local.py": "from .base import *  # noqa\n",
    })
    assert production.environment("shop/settings/base.py") is None
    assert production.runs_in_production("shop/settings/base.py")
    assert production.runs_in_production("shop/settings/production.py")
    assert not production.runs_in_production("shop/settings/local.py")
    assert production.overridden_in_production("shop/settings/base.py", "SECRET_KEY")
    assert production.overridden_in_production("shop/settings/base.py", "DEBUG")
    assert not production.overridden_in_production("shop/settings/base.py", "INSTALLED_APPS")


def test_a_layer_named_for_no_environment_that_imports_base_is_deployed(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # cabotage.py, heroku.py, ...: a deployment's own layer on top of base
    _tree(tmp_path, monkeypatch, {
        "warehouse/settings/base.py": BASE,
        "warehouse/settings/cabotage.py": "from warehouse.settings.base import *  # noqa\n"
                                          'if True:\n    SECRET_KEY = os.environ["K"]\n',
    })
    assert production.has_environment_split("warehouse/settings/base.py")
    assert production.runs_in_production("warehouse/settings/base.py")
    assert production.overridden_in_production("warehouse/settings/base.py", "SECRET_KEY")


def test_a_base_layer_under_staging_only_does_not_run_in_production(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, monkeypatch, {"shop/settings/base.py": BASE,
                                  "shop/settings/staging.py": "from .base import *  # noqa\nDEBUG = False\n"})
    assert production.has_environment_split("shop/settings/base.py")
    assert not production.runs_in_production("shop/settings/base.py")
    assert production.overridden_in_production("shop/settings/base.py", "DEBUG")


def test_a_production_template_counts_as_a_deployed_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, monkeypatch, {"app/config.py": BASE,
                                  "app/config.py.prod.example": "try:\n    SECRET_KEY = open('/run/k').read()\nexcept OSError:\n"
                                                                "    raise\n"})
    assert production.overridden_in_production("app/config.py", "SECRET_KEY")  # the template's names count too
    assert not production.overridden_in_production("app/config.py", "DEBUG")
    assert production.runs_in_production("app/config.py")


def test_overrides_are_read_under_if_try_and_with_but_not_from_broken_layers(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, monkeypatch, {
        "shop/settings/base.py": BASE,
        "shop/settings/production.py": "from .base import *  # noqa\ntry:\n    import sentry_sdk\nexcept ImportError:\n"
                                       "    SENTRY = None\nelse:\n    pass\nfinally:\n    CACHE_TTL: int = 300\n"
                                       "with open('/run/secrets/k') as f:\n    SECRET_KEY = f.read()\nDEBUG += 0\n",
        "shop/settings/staging.py": "from .base import *\nDEBUG = (\n",
    })
    for name in ("SENTRY", "CACHE_TTL", "SECRET_KEY", "DEBUG"):
        assert production.overridden_in_production("shop/settings/base.py", name), name
    assert not production.overridden_in_production("shop/settings/base.py", "INSTALLED_APPS")


def test_code_and_other_roles_never_run_as_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, monkeypatch, {"shop/settings/base.py": BASE, "shop/settings/production.py": "from .base import *\n",
                                  "shop/views.py": "DEBUG = True\n", "docs/conf.py": "DEBUG = True\n"})
    assert not production.runs_in_production("shop/views.py")
    assert not production.runs_in_production("docs/conf.py")


def test_explain_names_role_environment_and_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, monkeypatch, {"shop/settings.py": BASE})
    rules = roles.default()
    line = production.explain(rules, "shop/settings.py")
    assert line.startswith("shop/settings.py: role ")
    assert "environment production (" in line
    assert line.endswith("format python")
    assert production.explain(rules, "README.md").endswith("environment none; format not a config format")
