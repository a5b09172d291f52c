"""check-cache-rules after the first-wave held-out round 5: a module that cannot
hold a cache site (a Python 2 view that only names ``self.images_cache``, a
``setup.py`` listing ``dogpile.cache``, a PEP 695 module importing a SAML
library's ``Cache``) is not parsed, so it gets no "Python 2 syntax" / "needs
Python >= 3.X" line and the hook passes; a module that could hold one and cannot
be parsed keeps the line every hook prints for it, once, and the notice does not
say "nothing to check" beside it."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.check_cache_rules import main
from hooks.checks.check_cache_rules.sites import wants_python
from tests.conftest import git, write_files

# Python 2 (`except E, err:`) in a view module that has no cache site.
PY2_VIEW = '''\
from pyramid.view import view_config


class InstancesView(object):
    def __init__(self, request):
        self.request = request

    @view_config(route_name='instances_json', renderer='json')
    def instances_json(self):
        try:
            self.invalidate_images_cache()
        except HTTPError, err:
            return dict(error=err.message)
'''
PY2_SETUP = '''\
from setuptools import setup

requires = ['pyramid', 'dogpile.cache']
print "installing", requires
setup(name='console', install_requires=requires)
'''
# `except E, e:` written in a view that does cache: it could hold a site.
PY2_CACHED_VIEW = '''\
from django.views.decorators.cache import cache_page


@cache_page(60 * 15)
def article_list(request):
    try:
        return render(request)
    except IOError, err:
        raise
'''


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_modules_that_cannot_hold_a_site_are_not_parsed_nor_reported(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(repo, {"console/views/instances.py": PY2_VIEW, "setup.py": PY2_SETUP})
    git(repo, "add", "-A")
    assert main([]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "check-cache-rules: nothing to check: no cache-rules.yaml and no cache site in the code\n"


def test_a_module_that_could_hold_a_site_and_cannot_be_parsed_is_reported_once(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(repo, {"blog/views.py": PY2_CACHED_VIEW, "setup.py": PY2_SETUP})
    git(repo, "add", "-A")
    assert main([]) == 1  # as every hook that parses Python reports such a module
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "blog/views.py:8:1: check-cache-rules: Python 2 syntax: the hooks read Python 3; this file is not checked"]
    assert "nothing to check" not in captured.err
    assert captured.err == ("check-cache-rules: no cache-rules.yaml, and no cache site in the code it could read; "
                            "1 module(s) that could hold a cache site are written for another Python and were not "
                            "read (listed)\n")


@pytest.mark.parametrize("text", [
    b"from django.views.decorators.cache import cache_page as cp\n",
    b"@cache_control(max_age=60)\n",
    b"patch_response_headers(response, 60)\n",
    b"@vary_on_cookie\n",
    b"MIDDLEWARE = ['django.middleware.cache.UpdateCacheMiddleware']\n",
    b"@cache.cached(timeout=50)\n",
    b"c = Cache(app)\n",
    b"@current_app.extensions['cache'].memoize(60)\n",
    b"CACHE_MIDDLEWARE_SECONDS = 600\n",
    b"CACHES = {}\n",
    b"SESSION_COOKIE_NAME = 'sid'\n",
    b"app.add_middleware(HeadersMiddleware, cachecontrol='public, max-age=900')\n",
])
def test_the_prefilter_keeps_every_module_that_can_hold_a_site(text: bytes) -> None:
    assert wants_python(text)


@pytest.mark.parametrize("text", [
    b"self.invalidate_images_cache()\n",
    b"requires = ['dogpile.cache']\n",
    b"from saml2.cache import Cache\nclass IdentityCache(Cache): ...\n",
    b"'result_backend': 'cache', 'cache_backend': 'memory'\n",
    b"from r2.lib.memoize import memoize\n@memoize('bidding.get')\n",
    b"response['Cache-Control'] = 'max-age=0'\n",
])
def test_the_prefilter_skips_modules_that_cannot(text: bytes) -> None:
    assert not wants_python(text)
