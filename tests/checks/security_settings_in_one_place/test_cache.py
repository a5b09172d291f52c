"""security-settings-in-one-place with the per-file findings cache: the same output
cold, warm and without it; a decorator module it follows, changed (or created where
an import would find it first), re-checks the view; a file with items left to
--strict (a count over the run) is not kept, nor is an exempt base view judged by the
views that inherit it (held-out round 13: a new heir may come in any module)."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.security_settings_in_one_place import main
from hooks.checks.security_settings_in_one_place.views import Decorators
from tests.conftest import cached_repo, git, write_files

# a Mac client's endpoints gated by a decorator brought in with a star import (held-out round 12)
DECORATORS = '''import base64
from functools import wraps

from django.http import HttpResponse


def key_auth_required(function):
    @wraps(function)
    def wrap(request, *args, **kwargs):
        if 'HTTP_AUTHORIZATION' in request.META:
            auth = request.META['HTTP_AUTHORIZATION'].split()
            if len(auth) == 2 and auth[0].lower() == 'basic':
                key = base64.b64decode(auth[1]).decode().split(':')[1]
                if MachineGroup.objects.filter(key=key).exists():
                    return function(request, *args, **kwargs)
        response = HttpResponse()
        response.status_code = 401
        return response
    return wrap
'''
STAR = '''from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from inventory.models import Profile
from fleet.decorators import *


@csrf_exempt
@require_POST
@key_auth_required
def submit_profiles(request):
    machine = Machine.objects.get(serial=request.POST.get('serial'), owner=request.user)
    Profile.objects.create(machine=machine, payload=request.POST.get('profiles'))
    return HttpResponse('ok')
'''
# settings and cookies set in code: --strict only
STRICT_ONLY = '''from django.conf import settings


def view(request):
    settings.SESSION_COOKIE_SECURE = False
    response = HttpResponse("x")
    response.set_cookie("sid", request.user.pk, secure=False)
    return response
'''

FILES = {
    "fleet/__init__.py": "",
    "fleet/decorators.py": DECORATORS,
    "profiles/views.py": STAR,
    "profiles/cookies.py": STRICT_ONLY,
}


def test_cold_warm_and_off_agree_and_a_followed_module_is_watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    repo = cached_repo(tmp_path, monkeypatch, FILES)
    monkeypatch.chdir(repo)

    def run(no_cache: bool = False) -> tuple[int, str]:
        monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1" if no_cache else "0")
        Decorators._modules.clear()  # kept for one process's run; each pre-commit run is a new process
        code = main(sorted(FILES))
        captured = capsys.readouterr()
        return code, captured.out + "\n--\n" + captured.err

    off = run(no_cache=True)
    assert off[0] == 0 and "more item" in off[1]  # the cookie file's, with --strict
    assert run() == off == run()
    [kept] = (tmp_path / "cache").glob("findings-security-settings-in-one-place-*.json")
    assert "profiles/views.py" in kept.read_text() and "profiles/cookies.py" not in kept.read_text()

    # The gate decorator goes from the module the view star-imports: the exemption is a finding again.
    (repo / "fleet/decorators.py").write_text(DECORATORS.replace("def key_auth_required", "def key_auth_check"))
    git(repo, "add", "-A")
    changed = run()
    assert changed[0] == 1 and "profiles/views.py:8:" in changed[1]
    assert changed == run(no_cache=True) == run()

    # Back, and a module an absolute import finds first appears (untracked): not served from the cache.
    (repo / "fleet/decorators.py").write_text(DECORATORS)
    git(repo, "add", "-A")
    assert run()[0] == 0
    write_files(repo, {"profiles/fleet/decorators.py": "def unrelated(f):\n    return f\n",
                       "profiles/fleet/__init__.py": ""})
    assert run() == run(no_cache=True)


BASE = '''from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View


class CSRFExemptAPIView(View):
    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)
'''
HEIR = '''from problem.models import Problem
from utils.api import CSRFExemptAPIView


class ImportProblemAPI(CSRFExemptAPIView):
    def post(self, request):
        Problem.objects.create(created_by=request.user)
        return HttpResponse("ok")
'''


def test_an_exempt_base_is_judged_again_when_a_view_starts_inheriting_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    repo = cached_repo(tmp_path, monkeypatch, {"utils/__init__.py": "", "utils/api.py": BASE})
    monkeypatch.chdir(repo)

    def run() -> tuple[int, str]:
        Decorators._modules.clear()
        code = main(["utils/api.py"])  # a commit that stages the base only
        return code, capsys.readouterr().out

    assert run()[0] == 0 and run()[0] == 0  # no heir yet: nothing switched off for a view that writes
    write_files(repo, {"problem/__init__.py": "", "problem/views.py": HEIR})
    git(repo, "add", "-A")
    code, out = run()
    assert code == 1 and "utils/api.py:7:" in out and "ImportProblemAPI (problem/views.py:5)" in out
