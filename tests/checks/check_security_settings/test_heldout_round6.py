"""check-security-settings, held-out round 6's wrong classes and misses fixed as
classes: Flask config classes that set their settings in ``__init__``
(``self.SECRET_KEY = ...``). Catch / leave-alone pairs on files shaped like the
real ones (written here)."""
from __future__ import annotations

from pathlib import Path

from hooks.checks.check_security_settings import HOOK
from tests.helpers.security import run_files_hook


def run(tmp_path: Path, files: dict[str, str], **options: object):
    return run_files_hook(HOOK, tmp_path, files, None, **options)


def items(problems) -> set[str]:
    return {p.identity[0] for p in problems}


# ---- Flask config classes whose settings are instance attributes set in __init__ ----

INIT_CONFIG = '''\
import os

MEGABYTE = 1024 * 1024


class BaseConfig:
    def __init__(self):
        # App Settings
        self.DEBUG = False
        self.ENV = os.environ.get("ENV", "development")
        self.USE_SESSION_FOR_NEXT = True

        # Form Settings
        self.SECRET_KEY = @KEY@
        self.WTF_CSRF_ENABLED = True
        self.MAX_CONTENT_LENGTH = 50 * MEGABYTE


class DevelopmentConfig(BaseConfig):
    def __init__(self):
        super(DevelopmentConfig, self).__init__()
        self.DEBUG = True


class ProductionConfig(BaseConfig):
    def __init__(self):
        super(ProductionConfig, self).__init__()
        self.SITEMAP_URL_SCHEME = "https"


config = {"development": DevelopmentConfig(), "production": ProductionConfig()}
'''
INIT_APP = '''\
from flask import Flask
from flask_login import LoginManager

from oversight.app.models.config import config

login_manager = LoginManager()


def create_app(env="default"):
    app = Flask(__name__)
    app.config.from_object(config[env])
    login_manager.init_app(app)
    return app
'''


def oversight(key: str) -> dict[str, str]:
    return {"oversight/app/__init__.py": INIT_APP, "oversight/app/models/__init__.py": "",
            "oversight/app/models/config.py": INIT_CONFIG.replace("@KEY@", key)}


def test_a_secret_key_set_in_init_is_read(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, oversight('os.environ["SECRET_KEY"]'))
    assert "secrets.secret_key" not in items(problems)
    assert not any("is not set" in p.message for p in problems)


def test_a_placeholder_default_set_in_init_is_a_finding(tmp_path: Path) -> None:
    problems, _ = run(tmp_path, oversight('os.environ.get("SECRET_KEY", "changemeplzorelsehax")'))
    keys = [p for p in problems if p.identity[0] == "secrets.secret_key"]
    assert [(p.path, p.line) for p in keys] == [("oversight/app/models/config.py", 14)]
    assert "public placeholder" in keys[0].message and "changemeplz" not in keys[0].message


def test_init_reads_locals_and_earlier_attributes(tmp_path: Path) -> None:
    files = oversight('os.environ["SECRET_KEY"]')
    files["oversight/app/models/config.py"] = files["oversight/app/models/config.py"].replace(
        '        self.SECRET_KEY = os.environ["SECRET_KEY"]\n',
        '        key = "not-secret"\n        self.FALLBACK = key\n        self.SECRET_KEY = self.FALLBACK\n')
    keys = [p for p in run(tmp_path, files)[0] if p.identity[0] == "secrets.secret_key"]
    assert keys and "in the repository" in keys[0].message
