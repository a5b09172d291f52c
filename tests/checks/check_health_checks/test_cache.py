"""check-health-checks keeps what each Python file says on its own (another
framework's import, the paths its middleware answers) in the result cache, by
git blob id: the findings must be those of a run without the cache, cold and
warm, after a file changes (committed or only in the work tree) and with a
damaged cache file; and a commit's few changed files are read without a grep."""
from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.check_health_checks import scan
from tests.conftest import HookResult
from tests.helpers.prefilter import PROJECTS, git_repo

ARGS = ("--checklist", "--verbose")
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
EXTRAS: dict[str, str | bytes] = {  # beside the django_shop fixture: probes only these middlewares answer
    "shop/live_utf16.py": b"\xff\xfe" + MIDDLEWARE.encode("utf-16-le"),
    "shop/ops tools/m\u00fcnchen \"mw\".py": MIDDLEWARE.replace("/livez", "/readyz"),
    "deploy/k8s/api.yaml": (PROJECTS / "django_shop" / "deploy" / "k8s" / "web.yaml").read_text()
    .replace("shop-web", "shop-api").replace("path: /lb-health", "path: /livez").replace("path: /api/v1/health/", "path: /readyz"),
    "shop/plain.py": "import os.path\n\nX = os.path.join('a', 'b')\n",
}


def run_cached(run_hook: Callable[..., HookResult], monkeypatch: pytest.MonkeyPatch, cache: Path | None) -> HookResult:
    monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_PREFILTER", raising=False)
    if cache is None:
        monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1")
    else:
        monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_CACHE", raising=False)
        monkeypatch.setenv("LEGACY_CONFIG_HOOKS_CACHE_DIR", str(cache))
    return run_hook("check-health-checks", *ARGS)


def commit(repo: Path) -> None:
    subprocess.run(["git", "commit", "-qam", "y"], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


# 0: every file the cache lacks goes through git grep first; 40: a small repo's are all read directly
@pytest.mark.parametrize("direct", [0, 40])
def test_the_result_cache_gives_the_same_findings_and_never_a_stale_one(
        direct: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_hook: Callable[..., HookResult]) -> None:
    monkeypatch.setattr(scan, "_READ_WITHOUT_GREP", direct)
    repo = git_repo(tmp_path / "repo", EXTRAS, "django_shop")
    monkeypatch.chdir(repo)
    cache = tmp_path / "cache"
    off = run_cached(run_hook, monkeypatch, None)
    cold = run_cached(run_hook, monkeypatch, cache)
    (kept,) = cache.glob("check-health-checks-answers-*.json")
    entries = json.loads(kept.read_text())["entries"]
    assert any(k.endswith(":shop/ops tools/m\u00fcnchen \"mw\".py") and v[1] for k, v in entries.items())  # parsed, answers a path
    warm = run_cached(run_hook, monkeypatch, cache)
    assert off == cold == warm
    assert "| /readyz | a route |" in warm.out and "| /livez | a route |" in warm.out
    # the middleware stops answering /readyz: left in the work tree only (no blob), then committed (a new blob)
    middleware = repo / "shop" / "ops tools" / "m\u00fcnchen \"mw\".py"
    middleware.write_text(MIDDLEWARE.replace("/livez", "/other"))
    dirty = run_cached(run_hook, monkeypatch, cache)
    commit(repo)
    committed = run_cached(run_hook, monkeypatch, cache)
    fresh = run_cached(run_hook, monkeypatch, None)
    assert dirty == committed == fresh
    assert "| /readyz | a route |" not in fresh.out and "| /livez | a route |" in fresh.out
    # a file with nothing to say starts answering a path: the empty entry kept for it is not reused
    plain = repo / "shop" / "plain.py"
    plain.write_text(MIDDLEWARE.replace("/livez", "/readyz"))
    commit(repo)
    again, plain_off = run_cached(run_hook, monkeypatch, cache), run_cached(run_hook, monkeypatch, None)
    assert again == plain_off and "| /readyz | a route |" in again.out


@pytest.mark.parametrize("damage", ["{not json", '{"tool": "legacy-config-hooks", "format": 1, "entries": {}}', "shapes", "lies"])
def test_a_damaged_or_foreign_cache_file_is_not_trusted(damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       run_hook: Callable[..., HookResult]) -> None:
    monkeypatch.chdir(git_repo(tmp_path / "repo", EXTRAS, "django_shop"))
    cache = tmp_path / "cache"
    off = run_cached(run_hook, monkeypatch, None)
    run_cached(run_hook, monkeypatch, cache)
    (kept,) = cache.glob("check-health-checks-answers-*.json")
    data = json.loads(kept.read_text())
    if damage == "shapes":  # right header, wrong shapes
        data["entries"] = {key: (["x"] if i % 2 else {"a": 1}) for i, key in enumerate(data["entries"])}
        kept.write_text(json.dumps(data))
    elif damage == "lies":  # well-formed but impossible: paths answered by a file never parsed
        data["entries"] = {key: ["", False, [["/x", True]]] for key in data["entries"]}
        kept.write_text(json.dumps(data))
    else:
        kept.write_text(damage)
    assert run_cached(run_hook, monkeypatch, cache) == off


def test_a_commit_reads_its_changed_files_without_a_grep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         run_hook: Callable[..., HookResult]) -> None:
    repo = git_repo(tmp_path / "repo", EXTRAS, "django_shop")
    monkeypatch.chdir(repo)
    cache = tmp_path / "cache"
    run_cached(run_hook, monkeypatch, cache)
    greps: list[tuple[object, ...]] = []
    from hooks.repo import git

    real = git.Grep.files

    def counting(self: git.Grep, *alternatives: str | tuple[str, ...], **kw: object) -> frozenset[str] | None:
        greps.append(alternatives)
        return real(self, *alternatives, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(git.Grep, "files", counting)
    warm = run_cached(run_hook, monkeypatch, cache)
    assert not any("PATH_INFO" in alts for alts in greps)  # the middleware question was answered by the cache
    greps.clear()
    assert warm == run_cached(run_hook, monkeypatch, None)
    assert any("PATH_INFO" in alts for alts in greps)  # without the cache it is grepped


@pytest.mark.parametrize("damage", [None, "not text", "lines"])
def test_masked_helm_templates_kept_by_content(damage: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               run_hook: Callable[..., HookResult]) -> None:
    repo = git_repo(tmp_path / "repo", {}, "fastapi_app")
    monkeypatch.chdir(repo)
    cache = tmp_path / "cache"
    off = run_cached(run_hook, monkeypatch, None)
    cold = run_cached(run_hook, monkeypatch, cache)
    (kept,) = cache.glob("check-health-checks-helm-*.json")
    data = json.loads(kept.read_text())
    assert any(k.endswith(":chart/templates/deployment.yaml") for k in data["entries"])
    if damage:  # right header; an entry that is not text, or text whose lines moved, is masked again
        data["entries"] = {k: (7 if damage == "not text" else "kind: Secret\n") for k in data["entries"]}
        kept.write_text(json.dumps(data))
    warm = run_cached(run_hook, monkeypatch, cache)
    assert off == cold == warm
    assert "| /api/v1/utils/health-check/ | a route |" in warm.out
    # the liveness probe moves to a path the app does not serve: the new content is masked and judged
    template = repo / "chart" / "templates" / "deployment.yaml"
    template.write_text(template.read_text().replace("path: /api/v1/utils/health-check/", "path: /nope/"))
    dirty = run_cached(run_hook, monkeypatch, cache)
    commit(repo)
    committed, fresh = run_cached(run_hook, monkeypatch, cache), run_cached(run_hook, monkeypatch, None)
    assert dirty == committed == fresh
    assert "/nope/" in fresh.out
