"""check-security-settings, held-out round 14's wrong class fixed as a class: ``SECRET_KEY = None``
in a Flask config class (filled at run time from the environment by a loader) is a placeholder, not a
committed key. Catch / leave-alone pair on files shaped like the real ones (written here)."""
from __future__ import annotations

from pathlib import Path

from hooks.checks.check_security_settings import HOOK
from tests.helpers.security import run_files_hook


def run(tmp_path: Path, files: dict[str, str], **options: object) -> list[str]:
    problems, _ = run_files_hook(HOOK, tmp_path, files, None, **options)
    return [f"{p.path}:{p.line}: {p.message}" for p in problems]


CONFIG = '''\
class Config:
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 1024 * 1024
    # keys left as None are read from env vars by the shared loader
    SECRET_KEY = {key}


class Live(Config):
    DEBUG = False


class Production(Live):
    pass


class SharedLive(Live):
    pass


configs = {{"live": Live, "production": Production, "shared": SharedLive}}
'''

APP = '''\
from flask import Flask

from shop.config import configs
from sharedlib import init_app


def create_app(name):
    app = Flask(__name__)
    app.config.from_object(configs[name])
    init_app(app, configs[name])
    return app
'''


VIEWS = "from flask import session\n\n\ndef login(user_id):\n    session['user_id'] = user_id\n"


def secret_lines(tmp_path: Path, key: str) -> list[str]:
    files = {"shop/__init__.py": APP, "shop/config.py": CONFIG.format(key=key), "shop/views.py": VIEWS}
    return [m for m in run(tmp_path, files) if "SECRET_KEY" in m]


def test_none_secret_key_in_flask_config_class_is_not_a_finding(tmp_path: Path) -> None:
    assert not [m for m in secret_lines(tmp_path, "None") if "in the repository" in m]


def test_empty_secret_key_is_not_a_finding(tmp_path: Path) -> None:
    assert not [m for m in secret_lines(tmp_path, '""') if "in the repository" in m]


def test_committed_secret_key_in_flask_config_class_still_caught(tmp_path: Path) -> None:
    assert [m for m in secret_lines(tmp_path, '"s3cr3t-k3y-committed"') if "in the repository" in m]
