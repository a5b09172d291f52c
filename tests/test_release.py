"""Users pin a tag: the README's `rev:`, the package version and the latest
released changelog heading must name the same version."""
from __future__ import annotations

import re

from hooks import __version__
from tests.conftest import ROOT


def test_readme_rev_version_and_changelog_agree() -> None:
    readme = (ROOT / "README.md").read_text()
    revs = set(re.findall(r"rev: v(\d+\.\d+\.\d+)", readme))
    changelog = (ROOT / "CHANGELOG.md").read_text()
    released = re.findall(r"^## (\d+\.\d+\.\d+) — \d{4}-\d{2}-\d{2}$", changelog, re.M)
    assert revs == {__version__}
    assert released and released[0] == __version__


def test_docs_pin_the_same_rev() -> None:
    for page in (ROOT / "docs").rglob("*.md"):
        for rev in re.findall(r"rev: v(\d+\.\d+\.\d+)", page.read_text()):
            assert rev == __version__, page.name
