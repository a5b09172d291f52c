"""check-cache-rules through the real pre-commit, in a temporary git repo."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PreCommit, git, write_files

pytestmark = pytest.mark.e2e

VIEWS = '''\
from django.shortcuts import render
from django.views.decorators.cache import cache_page


def article_list(request):
    return render(request, "blog/list.html")
'''

CACHED_VIEWS = VIEWS.replace("\n\ndef article_list", "\n\n@cache_page(60 * 15)\ndef article_list")

STATUS_RULE = '''\
rules:
  - name: status-page
    why: the load balancer polls it every second
    owner: ops
    match: {paths: ["/status/"]}
    ttl: 1m
    public: true
    public_reason: it shows service health, never user data
    sites: ["blog/urls.py:views.status"]
    examples: {cached: [/status/], not_cached: [{path: /status/, method: POST}]}
'''

URLS = '''\
from django.urls import path
from django.views.decorators.cache import cache_page
from blog import views

urlpatterns = [path("status/", cache_page(60)(views.status))]
'''

RULES = STATUS_RULE + '''\
  - name: blog-pages
    why: the article list changes at most hourly and is the busiest page
    owner: web-team
    match: {paths: ["/blog/", "/blog/*/"], methods: [GET, HEAD]}
    ttl: 15m
    bypass:
      - cookie: sessionid
      - header: Authorization
      - query: preview
    sites: ["blog/views.py:article_list"]
    examples:
      cached: ["/blog/"]
      not_cached:
        - "/blog/?preview=1"
        - {path: "/blog/", cookies: {sessionid: x}}
'''


def test_cache_page_without_a_rule_is_blocked_then_the_rule_passes_then_a_contradiction_is_blocked(
    precommit: PreCommit, tmp_path: Path
) -> None:
    files = {"blog/views.py": VIEWS, "blog/__init__.py": "", "blog/urls.py": URLS, "cache-rules.yaml": STATUS_RULE}
    repo = precommit.make_repo(tmp_path / "svc", files)
    write_files(repo, {".pre-commit-config.yaml": precommit.config([{"id": "check-cache-rules"}])})
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-q", "-m", "pre-commit", "--no-verify")

    # 1. A developer caches a view: no rule covers it, the commit is blocked.
    write_files(repo, {"blog/views.py": CACHED_VIEWS})
    git(repo, "add", "blog/views.py")
    result = precommit.run(repo, "run")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "blog/views.py:5:1: check-cache-rules: @cache_page on article_list caches for 15m (60 * 15), but no rule in "
        "cache-rules.yaml covers it: add 'blog/views.py:article_list' to a rule's sites" in result.stdout
    ), result.stdout
    assert "Traceback" not in result.stdout + result.stderr

    # 2. The rule with its examples: the same commit passes.
    write_files(repo, {"cache-rules.yaml": RULES})
    git(repo, "add", "cache-rules.yaml")
    result = precommit.run(repo, "run")
    assert result.returncode == 0, result.stdout + result.stderr

    # 3. An example the rules contradict (a logged-in user whose bypass was dropped) is blocked.
    write_files(repo, {"cache-rules.yaml": RULES.replace("      - cookie: sessionid\n", "")})
    git(repo, "add", "cache-rules.yaml")
    result = precommit.run(repo, "run")
    assert result.returncode == 1, result.stdout
    assert (
        "cache-rules.yaml:24:11: check-cache-rules: not_cached example /blog/ with cookie sessionid is cached by this "
        "rule for 15m: add a bypass for it to 'blog-pages' or narrow its match" in result.stdout
    ), result.stdout
    assert "has no bypass for cookie: sessionid" in result.stdout


def test_without_a_rules_file_it_lists_the_sites_and_passes_and_write_rules_starts_one(
    precommit: PreCommit, tmp_path: Path
) -> None:
    files = {
        "blog/views.py": CACHED_VIEWS,
        "app/scores.py": "from app import cache\n\n@cache.memoize(timeout=60)\ndef standings():\n    return []\n",
        "deploy/nginx/site.conf": "server {\n  location /blog/ {\n    proxy_cache_valid 200 15m;\n  }\n}\n",
    }
    repo = precommit.make_repo(tmp_path / "svc", files)
    hook = {"id": "check-cache-rules", "args": ["--verbose"], "verbose": True}
    write_files(repo, {".pre-commit-config.yaml": precommit.config([hook])})
    result = precommit.run(repo, "run", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout + result.stderr
    assert "blog/views.py:5: @cache_page on article_list caches for 15m" in out, out
    assert "app/scores.py:3: @cache.memoize on standings caches for 1m function results" in out
    assert "deploy/nginx/site.conf:3: proxy_cache_valid on /blog/ caches for 15m" in out
    assert "no cache-rules.yaml: found 3 cache site(s)" in out

    hook = {"id": "check-cache-rules", "args": ["--write-rules"]}
    write_files(repo, {".pre-commit-config.yaml": precommit.config([hook])})
    result = precommit.run(repo, "run", "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    written = (repo / "cache-rules.yaml").read_text()
    assert '"blog/views.py:article_list"' in written and "ttl: 15m" in written and "TODO" in written

    # The starting file is rejected until its TODOs are replaced.
    write_files(repo, {".pre-commit-config.yaml": precommit.config([{"id": "check-cache-rules"}])})
    git(repo, "add", "-A")
    result = precommit.run(repo, "run", "--all-files")
    assert result.returncode == 1
    assert "'owner' is still a TODO" in result.stdout, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
