"""Both security hooks through the real pre-commit, in a temporary git repo:
a change to settings/base.py re-checks settings/production.py, which
star-imports it; a change to an unrelated view does not."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PreCommit, git, write_files

pytestmark = pytest.mark.e2e

BASE = '''\
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["shop.example.com"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "shop.urls"
LOGGING = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "INFO"}}
'''
PRODUCTION = '''\
from .base import *  # noqa

SECURE_HSTS_SECONDS = 31536000
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
'''
VIEWS = "def index(request):\n    return None\n"


def test_change_to_base_rechecks_production(precommit: PreCommit, tmp_path: Path) -> None:
    files = {
        "shop/settings/__init__.py": "",
        "shop/settings/base.py": BASE,
        "shop/settings/production.py": PRODUCTION,
        "shop/views.py": VIEWS,
        "shop/tests/test_views.py": "from django.test import override_settings\n\n@override_settings(SESSION_COOKIE_SECURE=False)\ndef test_x():\n    pass\n",
    }
    repo = precommit.make_repo(tmp_path / "shop", files)
    (repo / ".pre-commit-config.yaml").write_text(precommit.config([
        {"id": "check-security-settings", "args": ["--checklist"]},
        {"id": "security-settings-in-one-place", "args": ["--strict"]},
    ]))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "config", "--no-verify")

    clean = precommit.run(repo, "run", "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr

    # Only base.py changes, and only in the index: production.py must be re-checked.
    write_files(repo, {"shop/settings/base.py": BASE + "DATA_UPLOAD_MAX_MEMORY_SIZE = None\n"})
    git(repo, "add", "shop/settings/base.py")
    result = precommit.run(repo, "run")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert ("shop/settings/production.py:1:1: check-security-settings: upload limits: DATA_UPLOAD_MAX_MEMORY_SIZE is None "
            "(shop/settings/base.py:15), so request bodies are unlimited") in out
    assert "| upload limits | not met |" in out
    git(repo, "commit", "-q", "-m", "limits off", "--no-verify")

    # A view that turns a protection off: the other hook; the settings hook has nothing to re-check.
    write_files(repo, {"shop/views.py": "from django.conf import settings\n\n" + VIEWS + "settings.SESSION_COOKIE_SECURE = False\n"})
    git(repo, "add", "shop/views.py")
    result = precommit.run(repo, "run")
    out = result.stdout
    assert result.returncode == 1
    assert "shop/views.py:5:1: security-settings-in-one-place: settings.SESSION_COOKIE_SECURE is changed at run time" in out
    assert "check security settings" in out and "DATA_UPLOAD_MAX_MEMORY_SIZE" not in out  # passed: no layer changed
    assert "shop/tests/" not in out
