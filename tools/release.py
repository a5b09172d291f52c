"""Cut a release: ``make release VERSION=x.y.z`` (see docs/releasing.md).

Bumps ``hooks.__version__``, dates the changelog's Unreleased section, moves
every ``rev: vX.Y.Z`` in the README and docs to the new tag, builds the sdist
and wheel, checks them with ``twine check``, commits and tags ``vX.Y.Z``.
Pushing is left to the person releasing.
"""
from __future__ import annotations

import datetime
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = re.compile(r"^\d+\.\d+\.\d+$")
REV = re.compile(r"(rev: v)\d+\.\d+\.\d+")


def run(*cmd: str) -> None:
    print("+", " ".join(cmd))
    subprocess.run(cmd, cwd=ROOT, check=True)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not VERSION.match(argv[0]):
        print("usage: make release VERSION=x.y.z", file=sys.stderr)
        return 2
    version = argv[0]
    status = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    if status.strip():
        print("release: the work tree is not clean; commit or stash first", file=sys.stderr)
        return 2
    changelog = ROOT / "CHANGELOG.md"
    text = changelog.read_text()
    if "\n## Unreleased\n" not in text:
        print("release: CHANGELOG.md has no '## Unreleased' section to release", file=sys.stderr)
        return 2
    today = datetime.date.today().isoformat()
    changelog.write_text(text.replace("\n## Unreleased\n", f"\n## Unreleased\n\n## {version} — {today}\n", 1))
    init = ROOT / "hooks" / "__init__.py"
    init.write_text(re.sub(r'__version__ = "[^"]+"', f'__version__ = "{version}"', init.read_text()))
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    for path in docs:
        path.write_text(REV.sub(rf"\g<1>{version}", path.read_text()))
    run(sys.executable, "-m", "pytest", "-q", "tests/test_release.py")
    run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", "dist")
    run(sys.executable, "-m", "twine", "check", "--strict", *map(str, sorted((ROOT / "dist").glob(f"*{version}*"))))
    run("git", "commit", "-qam", f"Release {version}")
    run("git", "tag", "-a", f"v{version}", "-m", f"legacy-config-hooks {version}")
    print(f"tagged v{version}; push with: git push origin main v{version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
