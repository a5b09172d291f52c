"""Both security hooks over the shared corpus (real config files from 24
repos): no exception, the entry points it holds are found, and
security-settings-in-one-place has nothing to say about config modules."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hooks.checks import check_security_settings, security_settings_in_one_place
from tests.conftest import CORPUS
from tests.helpers.security import FakeContext, run_files_hook

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CORPUS.is_dir(), reason="no shared corpus")]


def test_corpus_runs_clean(tmp_path: Path) -> None:
    repo = tmp_path / "corpus"
    shutil.copytree(CORPUS, repo)
    problems, ctx = run_files_hook(check_security_settings.HOOK, repo, {}, checklist=True)
    assert len(ctx.checked) >= 9  # bakerydemo, wagtail's template, healthchecks, saleor, netbox, ...
    assert "saleor__saleor/saleor/settings.py" in ctx.checked
    assert all(p.path in ctx.checked for p in problems)
    assert "".join(ctx.output).count("| logging |") == len(ctx.checked)
    listed = subprocess.run(["git", "ls-files", "*.py"], cwd=repo, capture_output=True, text=True, check=True).stdout.split()
    ctx2 = FakeContext(security_settings_in_one_place.HOOK)
    found = []
    old = os.getcwd()
    os.chdir(repo)
    try:
        for path in listed:
            if security_settings_in_one_place.wants(path, ctx2):  # type: ignore[arg-type]
                found += list(security_settings_in_one_place.check(path, ctx2))  # type: ignore[arg-type]
    finally:
        os.chdir(old)
    assert found == []
