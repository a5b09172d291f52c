"""Held-out round (first wave) 2: a settings module whose package name holds an
environment word inside it (``seed_stage_based_messaging/settings.py``) is the
project's one settings module, not a staging one."""
from __future__ import annotations

from collections.abc import Callable

from tests.conftest import HookResult

SETTINGS = "import os\nSECRET_KEY = os.environ['K']\nINSTALLED_APPS = ['django.contrib.admin']\nDEBUG = True\n"


def test_single_settings_module_in_a_package_named_with_stage_inside(run_hook: Callable[..., HookResult]) -> None:
    r = run_hook("no-debug-in-production", files={"seed_stage_app/settings.py": SETTINGS}, pass_filenames=True)
    assert r.code == 1
    assert r.lines and r.lines[0].startswith("seed_stage_app/settings.py:4:")


def test_a_staging_folder_affix_is_still_staging(run_hook: Callable[..., HookResult]) -> None:
    r = run_hook("no-debug-in-production", files={"app_staging/settings.py": SETTINGS}, pass_filenames=True)
    assert r.code == 0, r.out
