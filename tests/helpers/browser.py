"""Headless Chromium for the tests that render the HTML report: the report's
own browser test (tests/report/test_e2e.py) and the hostile-input suite
(tests/test_hostile_inputs.py). Chromium comes from the system packages;
.ci/run installs it, so in CI these tests run rather than skip."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") or os.environ.get("LEGACY_CONFIG_REPORT_BROWSER") == "required":
        pytest.fail("no Chromium in CI: .ci/run installs it (apt-get install chromium)")
    pytest.skip("Chromium is not installed (apt-get install -y chromium)")


def headless(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000", *args,
        ],
        capture_output=True, text=True, timeout=120,
    )
