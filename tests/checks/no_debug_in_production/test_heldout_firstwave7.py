"""no-debug-in-production after the first-wave held-out round 7: the "nothing
to check" notice is printed only when nothing was judged, and says why when
the only settings module holds too few framework settings to be read."""
from __future__ import annotations

from collections.abc import Callable

from tests.conftest import HookResult

HOOK = "no-debug-in-production"
NOTICE = "nothing to check: no production config"

FLASK_CLASSES = '''\
import os


class Config(object):
    SECRET_KEY = os.environ.get("APP_SECRET", "change-me")
    SQLALCHEMY_DATABASE_URI = "postgresql://localhost/app"
    BROKER_URL = "redis://localhost:6379/0"


class ProdConfig(Config):
    ENV = "prod"
    DEBUG = {debug}
    DEBUG_TB_ENABLED = False


class DevConfig(Config):
    ENV = "dev"
    DEBUG = True


if os.environ.get("APP_ENV") == "prod":
    CurrentConfig = ProdConfig
else:
    CurrentConfig = DevConfig
'''

TORNADO_SETTINGS = '''\
import os

PROJECT_PATH = os.path.dirname(os.path.dirname(__file__))
CONF_PATH = os.path.join(PROJECT_PATH, "conf")
LOG_LEVEL = "INFO"
SERVER_NAME = "camera"
PORT = 8765
'''


def test_a_module_with_a_production_class_is_judged_and_gets_no_notice(run_hook: Callable[..., HookResult]) -> None:
    r = run_hook(HOOK, files={"shop/settings.py": FLASK_CLASSES.format(debug="False")}, pass_filenames=True)
    assert (r.code, r.lines) == (0, []), r.out
    assert NOTICE not in r.out + r.err


def test_debug_on_in_the_production_class_is_reported_without_the_notice(run_hook: Callable[..., HookResult]) -> None:
    r = run_hook(HOOK, files={"shop/settings.py": FLASK_CLASSES.format(debug="True")}, pass_filenames=True)
    assert r.code == 1 and len(r.lines) == 1 and "shop/settings.py:12:" in r.lines[0], r.out
    assert NOTICE not in r.out + r.err


def test_a_single_module_with_too_few_settings_says_so(run_hook: Callable[..., HookResult]) -> None:
    r = run_hook(HOOK, files={"cam/settings.py": TORNADO_SETTINGS}, pass_filenames=True)
    assert (r.code, r.lines) == (0, []), r.out
    out = r.out + r.err
    assert ("no settings module is read as production: cam/settings.py, of no environment, holds fewer than two "
            "framework settings" in out), out
    assert "no single settings module" not in out


def test_no_settings_module_keeps_the_plain_notice(run_hook: Callable[..., HookResult]) -> None:
    r = run_hook(HOOK, files={"cam/helpers.py": "PORT = 1\n", "README.yaml": "a: 1\n"}, pass_filenames=True)
    out = r.out + r.err
    assert (r.code, r.lines) == (0, []) and "no single settings module" in out, out
