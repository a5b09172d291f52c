"""check-security-settings reads only the files git grep says can hold what its
loops look for (hooks.repo.git.Grep): the findings must be those of a run that
reads every file, on projects shaped like real services and on files a byte
search could miss (UTF-16, a header name only Python's case folding matches)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.check_security_settings import entries
from tests.conftest import HookResult
from tests.helpers.prefilter import both, git_repo

HEADERS = '''\
class SecurityHeaders:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Strict-Tran\u017fport-Security"] = "max-age=31536000"
        return response
'''
LOGGING = '''\
import logging.config

logging.config.dictConfig({"version": 1, "root": {"level": "INFO"}})
'''
EXTRAS: dict[str, str | bytes] = {
    "shop/middleware/headers.py": HEADERS,  # "\u017f" (long s) folds to "s" under re.I, not under git grep -i
    "shop/logconf.py": b"\xff\xfe" + LOGGING.encode("utf-16-le"),  # a byte search for "dictConfig" misses UTF-16
    "shop/plain.py": "import os.path\n\nX = os.path.join('a', 'b')\n",
}


@pytest.mark.parametrize("project", ["django_shop", "fastapi_app", "flask_api"])
def test_same_findings_with_and_without_the_prefilter(project: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     run_hook: Callable[..., HookResult]) -> None:
    monkeypatch.chdir(git_repo(tmp_path / "repo", EXTRAS, project))
    fast, slow, fast_reads, slow_reads = both(run_hook, monkeypatch, "check-security-settings", "--checklist")
    assert (fast.code, fast.out, fast.err) == (slow.code, slow.out, slow.err)
    assert fast_reads < slow_reads  # the prefilter did skip files
    if project == "django_shop":  # only the UTF-16 module configures logging
        assert "| logging | met |" in fast.out


def test_a_commit_of_the_settings_gets_the_same_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       run_hook: Callable[..., HookResult]) -> None:
    repo = git_repo(tmp_path / "repo", EXTRAS, "django_shop")
    monkeypatch.chdir(repo)
    fast, slow, _, _ = both(run_hook, monkeypatch, "check-security-settings", "shop/settings/production.py")
    assert (fast.code, fast.out) == (slow.code, slow.out)
    assert "check-security-settings:" in fast.out


def test_the_header_names_are_plain_words() -> None:
    """If _SECURITY_HEADER stops being "A|B|C" of plain names, the prefilter must be off, not wrong."""
    assert entries._header_names() != ("",)
    assert "Strict-Transport-Security" in entries._header_names()


def test_server_candidates_keep_the_regex_answer() -> None:
    """servers.candidates tests a few words before its regex: each alternative of
    _CANDIDATE must hold one, and the answer must be the regex's own."""
    import re

    from hooks.checks.check_security_settings import servers

    body = re.sub(r"^\(\?ix\)\(|\)$", "", servers._CANDIDATE.pattern)
    for alternative in body.split(" | "):
        literal = re.sub(r"\\|\(\^\|/\)|\[\^/\]\*|\?|\$|\(.*\)$", "", alternative.strip()).lower()
        assert any(w in literal for w in servers._CANDIDATE_WORDS), alternative
    paths = ["deploy/nginx/site.conf", "NGINX.CONF", "etc/uwsgi.ini", "gunicorn.conf.py", "Procfile", "docker/Dockerfile.web",
             "chart/values-prod.yaml", "k8s/Ingress.yml", "docker-compose.prod.yml", "bin/start.sh", "shop.service",
             "etc/sites-enabled/shop", "shop/views.py", "README.md", "docs/nginx.md", "static/app.js", "setup.cfg",
             "start.\u017fh", "UWSG\u0130.ini", "conf/app.txt"]
    expected = [p for p in paths if servers._CANDIDATE.search(p) and not p.endswith((".md", ".rst", ".txt", ".html"))
                and not servers._TEST_PATH.search(p)]
    assert servers.candidates(paths) == expected
    assert "start.\u017fh" in expected  # re.I folds the long s: the non-ASCII path went to the regex
