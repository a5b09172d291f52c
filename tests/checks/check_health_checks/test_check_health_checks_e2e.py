"""check-health-checks through the real pre-commit, in a temporary git repo
made from the Django fixture project with one probe aimed at a path that is not
a route: found with --all-files; not run when only a README is staged; when
the URLconf is staged, judged again (and the fix in urls.py clears it)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PreCommit, git

pytestmark = pytest.mark.e2e
PROJECT = Path(__file__).parent / "projects" / "django_shop"


def files() -> dict[str, str]:
    out = {str(p.relative_to(PROJECT)): p.read_text() for p in sorted(PROJECT.rglob("*")) if p.is_file()}
    out["deploy/k8s/web.yaml"] = out["deploy/k8s/web.yaml"].replace("path: /api/v1/health/", "path: /healthz/")
    return out


def test_through_pre_commit(precommit: PreCommit, tmp_path: Path) -> None:
    repo = precommit.make_repo(tmp_path / "shop", files())
    (repo / ".pre-commit-config.yaml").write_text(precommit.config([{"id": "check-health-checks"}]))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "config", "--no-verify")

    found = precommit.run(repo, "run", "--all-files")
    assert found.returncode == 1, found.stdout + found.stderr
    lines = [line for line in found.stdout.splitlines() if "check-health-checks:" in line]
    assert len(lines) == 1 and lines[0].startswith("deploy/k8s/web.yaml:31:1: check-health-checks: probe-path-not-a-route:")
    assert "/healthz/" in lines[0]

    # A README change cannot change the answer: pre-commit does not run the hook.
    (repo / "README.md").write_text("# shop\n")
    git(repo, "add", "README.md")
    skipped = precommit.run(repo, "run")
    assert skipped.returncode == 0 and "(no files to check)Skipped" in skipped.stdout.replace(".", ""), skipped.stdout
    git(repo, "commit", "-q", "-m", "readme", "--no-verify")

    # Staging only the URLconf re-judges the probe in deploy/k8s/web.yaml, whose answer it changes.
    urls = repo / "shop/api/urls.py"
    urls.write_text(urls.read_text() + "\nurlpatterns.append(path(\"x/\", views.health))\n")
    git(repo, "add", "shop/api/urls.py")
    still = precommit.run(repo, "run")
    assert still.returncode == 1 and "probe-path-not-a-route" in still.stdout, still.stdout
    root = repo / "shop/urls.py"
    root.write_text(root.read_text().replace('    path("", views.home),\n', '    path("", views.home),\n    path("healthz/", views.health),\n'))
    git(repo, "add", "shop/urls.py")
    fixed = precommit.run(repo, "run")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
