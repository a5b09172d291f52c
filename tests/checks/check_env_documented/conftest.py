"""Fixtures the check-env-documented tests share."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.env_documented import Fixtures


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Fixtures:
    """What ``run_hook`` needs besides the files: a folder, and pytest's monkeypatch and capsys."""
    return tmp_path, monkeypatch, capsys
