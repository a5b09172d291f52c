"""check-health-checks reads only the files git grep says can hold what its
loops look for (hooks.repo.git.Grep): the findings must be those of a run that
reads every file, on the fixture projects and on files a byte search could miss."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.check_health_checks import routes, scan
from tests.conftest import HookResult
from tests.helpers.prefilter import PROJECTS, both, git_repo

MIDDLEWARE = '''\
class Live:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ["PATH_INFO"] == "/livez":
            start_response("200 OK", [])
            return [b"ok"]
        return self.app(environ, start_response)
'''
EXTRAS: dict[str, str | bytes] = {
    # a byte search for "PATH_INFO" misses UTF-16; the hook decodes it
    "shop/live_utf16.py": b"\xff\xfe" + MIDDLEWARE.encode("utf-16-le"),
    "shop/ops tools/m\u00fcnchen \"mw\".py": MIDDLEWARE.replace("/livez", "/readyz"),
    # upper-case suffix: the YAML prefilter must match names as the hook does (any case)
    "deploy/k8s/API.YAML": (PROJECTS / "django_shop" / "deploy" / "k8s" / "web.yaml").read_text()
    .replace("shop-web", "shop-api").replace("path: /lb-health", "path: /livez").replace("path: /api/v1/health/", "path: /readyz"),
    "shop/plain.py": "import os.path\n\nX = os.path.join('a', 'b')\n",
}


@pytest.mark.parametrize("project", ["django_shop", "fastapi_app", "flask_api"])
def test_same_findings_with_and_without_the_prefilter(project: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     run_hook: Callable[..., HookResult]) -> None:
    monkeypatch.chdir(git_repo(tmp_path / "repo", EXTRAS, project))
    fast, slow, fast_reads, slow_reads = both(run_hook, monkeypatch, "check-health-checks", "--checklist", "--verbose")
    assert (fast.code, fast.out, fast.err) == (slow.code, slow.out, slow.err)
    assert "|" in fast.out  # the checklist: something was judged
    if project == "django_shop":  # the probes only the UTF-16 and the oddly named middleware answer
        assert "| /livez | a route |" in fast.out and "| /readyz | a route |" in fast.out
    assert fast_reads < slow_reads  # the prefilter did skip files


def test_a_commit_of_one_file_gets_the_same_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   run_hook: Callable[..., HookResult]) -> None:
    repo = git_repo(tmp_path / "repo", EXTRAS, "django_shop")
    monkeypatch.chdir(repo)
    web = repo / "deploy" / "k8s" / "web.yaml"
    web.write_text(web.read_text().replace("path: /api/v1/health/", "path: /api/v1/nope/"))
    fast, slow, _, _ = both(run_hook, monkeypatch, "check-health-checks", "deploy/k8s/web.yaml")
    assert (fast.code, fast.out) == (slow.code, slow.out)
    assert "probe-path-not-a-route" in fast.out and "/api/v1/nope/" in fast.out


def test_the_literals_cover_what_the_loops_search_for() -> None:
    """If a regex of routes.py changes shape, the prefilter's words must follow (or be off)."""
    assert scan._OTHER_NEEDLES != ("",)
    names = re.search(r"\(([\w|]+)\)", routes.OTHER_FRAMEWORKS.pattern)
    assert names and set(names.group(1).split("|")) == set(scan._OTHER_NEEDLES)
    for alternative in routes._PATH_WORDS.pattern.split("|"):
        assert "path" in alternative or "PATH_INFO" in alternative, alternative
    assert set(routes._HINTS) <= set(scan._APP_NEEDLES)
