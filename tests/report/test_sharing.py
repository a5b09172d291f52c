"""What the cleanup report shares between checks to parse each file once:
Python syntax trees (hooks/config/python_trees.py) across every hook, and the
"files" hooks that take their files in parts (runner.takes_parts) run in the
batches. Sharing must never change a finding or a notice."""
from __future__ import annotations

import ast
import collections
from pathlib import Path
from typing import Any

import pytest

from hooks.config import python_trees
from hooks.report import collect
from tests.helpers.report import make_repo, report

BASE = """\
import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev")
ALLOWED_HOSTS = []
INSTALLED_APPS = ["django.contrib.admin", "django.contrib.sessions"]
"""
PRODUCTION = """\
import os

from .base import *  # noqa

DEBUG = True
CACHE_MIDDLEWARE_SECONDS = 300
MIDDLEWARE = [
    "django.middleware.cache.UpdateCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.cache.FetchFromCacheMiddleware",
]
DATABASE_URL = os.environ["DATABASE_URL"]
"""
VIEWS = """\
from django.views.decorators.cache import cache_page


@cache_page(60 * 15)
def article(request):
    return None
"""
REPO = {
    "app/settings/__init__.py": "",
    "app/settings/base.py": BASE,
    "app/settings/production.py": PRODUCTION,
    "app/views.py": VIEWS,
    ".env.example": "DJANGO_SECRET_KEY=\n",
    "config/production.yaml": "db:\n  host: db\n  pool: 5\ndebug: true\n",
    "config/staging.yaml": "db:\n  host: db\n",
}
REPO_WIDE = ("check-env-documented", "check-cache-rules", "check-security-settings")


def _findings(data: dict[str, Any]) -> list[Any]:
    return sorted((f["hook"], f["path"], f["line"], f["message"], f["fingerprint"]) for f in data["findings"])


def _notices(data: dict[str, Any]) -> dict[str, Any]:
    return {h["id"]: h["notices"] for h in data["hooks"]}


def test_a_python_module_is_parsed_once_for_every_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "svc", REPO)
    parses: collections.Counter[str] = collections.Counter()
    real = ast.parse

    def counting(source: Any, *args: Any, **kwargs: Any) -> Any:
        parses[source if isinstance(source, str) else repr(source)] += 1
        return real(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting)
    data = report(repo, "--no-history")
    hooks = {f["hook"] for f in data["findings"]}
    # the three repo-wide hooks, the loader and no-debug-in-production all read production.py ...
    assert {"check-env-documented", "check-security-settings", "no-debug-in-production"} <= hooks, hooks
    assert any(f["hook"] == "check-security-settings" and f["path"] == "app/settings/production.py"
               for f in data["findings"])
    # ... and it was parsed once; no text was parsed twice
    assert parses[PRODUCTION] == 1
    assert parses[BASE] == 1
    assert max(parses.values()) == 1, [t[:40] for t, n in parses.items() if n > 1]


def test_sharing_trees_changes_no_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "svc", REPO)
    shared = report(repo, "--no-history")
    monkeypatch.setattr(python_trees, "share", lambda limit: None)  # every check parses for itself
    alone = report(repo, "--no-history")
    assert _findings(shared) == _findings(alone) and _findings(shared)
    assert _notices(shared) == _notices(alone)


def test_hooks_in_parts_find_what_they_find_in_one_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = dict(REPO)
    for n in range(6):  # pairs that fall in different batches
        files[f"svc{n}/production.env"] = f"A=1\nB{n}=2\nDEBUG=true\n"
        files[f"svc{n}/staging.env"] = "A=1\n"
    # check-security-settings reads the production env files as the batches go
    # by; the first file (in path order) that sets a variable is the one that counts.
    files[".env.production"] = "DJANGO_SECRET_KEY=Zq8v3kLm2Xp9Rt5Wy7Nb4Hc6Jd1Fg0Ks\n"
    files["svc4/production.env"] += "DJANGO_SECRET_KEY=Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk\n"
    repo = make_repo(tmp_path / "svc", files)
    monkeypatch.setattr(collect, "CHUNK", 3)  # many batches: each hook gets its files in several parts
    in_parts = report(repo, "--no-history", "--jobs", "1")
    monkeypatch.setattr(collect, "_takes_parts", lambda hook_id: False)  # one call with every file
    whole = report(repo, "--no-history", "--jobs", "1")
    assert _findings(in_parts) == _findings(whole)
    assert _notices(in_parts) == _notices(whole)
    assert sum(f["hook"] == "check-staging-parity" for f in in_parts["findings"]) >= 7
    assert sum(f["hook"] == "no-debug-in-production" for f in in_parts["findings"]) >= 7
    # the committed key is reported where it is written: the first production env file in path order
    secrets = [f for f in in_parts["findings"] if f["hook"] == "check-security-settings" and "SECRET_KEY" in f["message"]]
    assert [(f["path"], f["line"]) for f in secrets] == [(".env.production", 1)]


def test_a_run_wide_notice_waits_for_the_last_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"svc{n}/config/staging.yaml": "a: 1\n" for n in range(7)}
    repo = make_repo(tmp_path / "svc", files)
    monkeypatch.setattr(collect, "CHUNK", 2)
    notices = _notices(report(repo, "--no-history", "--jobs", "1"))
    assert len(notices["no-debug-in-production"]) == 1 and "nothing to check" in notices["no-debug-in-production"][0]
    assert len(notices["check-staging-parity"]) == 1 and "nothing to compare" in notices["check-staging-parity"][0]
    files["svc6/config/production.yaml"] = "a: 1\nb: 2\n"  # the last batch has the only production file
    repo = make_repo(tmp_path / "svc2", files)
    data = report(repo, "--no-history", "--jobs", "1")
    assert _notices(data)["no-debug-in-production"] == [] and _notices(data)["check-staging-parity"] == []
    assert [f["path"] for f in data["findings"] if f["hook"] == "check-staging-parity"] == ["svc6/config/production.yaml"]


def test_trees_are_shared_within_a_budget_and_failures_are_not_kept() -> None:
    try:
        python_trees.share(40)
        first = python_trees.parse("x = 1\n")
        assert python_trees.parse("x = 1\n") is first  # the same text: the same tree
        big = "y = [" + "1, " * 20 + "]\n"
        assert python_trees.parse(big) is not python_trees.parse(big)  # over the budget: not kept
        before = python_trees.parsed
        for _ in range(2):
            with pytest.raises(SyntaxError):
                python_trees.parse("def (:\n", "broken.py")
        assert python_trees.parsed == before + 2
    finally:
        python_trees.stop()
    assert python_trees.parse("x = 1\n") is not python_trees.parse("x = 1\n")  # plain parsing again


def test_the_garbage_collector_is_left_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    repo = make_repo(tmp_path / "svc", {f"d{n}/app.yaml": f"a: {n}\n" for n in range(7)})
    monkeypatch.setattr(collect, "CHUNK", 2)  # batches that end between two collections
    assert gc.isenabled()
    report(repo, "--no-history", "--jobs", "1")
    assert gc.isenabled() and not collect._PAUSED


def test_a_hooks_notices_are_listed_once_per_hook_not_per_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 21: many batches, each one call of rename-legacy-keys without a mapping file
    files = {f"svc{n}/config/production.yaml": "a: 1\n" for n in range(9)}
    repo = make_repo(tmp_path / "svc", files)
    monkeypatch.setattr(collect, "CHUNK", 2)
    notices = _notices(report(repo, "--no-history", "--jobs", "1"))
    assert notices["rename-legacy-keys"] == ["rename-legacy-keys: nothing to check: no .legacy-keys.yaml lists deprecated keys"]


def test_notices_that_differ_by_a_count_are_one_and_nothing_to_check_is_recognised() -> None:
    assert collect._notice_key("check-cache-rules: found 3 cache site(s)") == collect._notice_key("check-cache-rules: found 12 cache site(s)")
    assert collect._nothing_checked("no-debug-in-production: nothing to check: no production config among the files given")
    assert collect._nothing_checked("check-staging-parity: nothing to compare: no production/staging pair")
    assert not collect._nothing_checked("check-cache-rules: no cache-rules.yaml: found 3 cache site(s), not checked")
