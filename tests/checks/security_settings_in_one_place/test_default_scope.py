"""security-settings-in-one-place: the default reports the rules that found real problems on
held-out repositories (a CSRF exemption on a session view that writes; a world-writable file
mode); the other rules report with --strict only, and a notice says how many items they hold."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from hooks.checks.security_settings_in_one_place import HOOK, check, default_rule
from tests.helpers.security import FakeContext

# organiser-only session views that POST-update a record (djangogirls' change_state shape)
CSRF_VIEW = '''from django.contrib.auth.decorators import login_required
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
@login_required
def change_state(request):
    application = Application.objects.get(pk=request.POST["id"])
    application.state = request.POST["state"]
    application.save()
    return JsonResponse({"ok": True})
'''
# an upload_to that opens the mask for good (tendenci's helpdesk shape)
UMASK = '''import os


def attachment_path(instance, filename):
    os.umask(0)
    path = os.path.join("helpdesk", "attachments", str(instance.pk))
    os.makedirs(path, 0o777)
    return os.path.join(path, filename)
'''
# settings, headers and cookies set in code: --strict only
STRICT_ONLY = '''from django.conf import settings


def view(request):
    settings.SESSION_COOKIE_SECURE = False
    response = HttpResponse("x")
    response.set_cookie("sid", request.user.pk, secure=False)
    return response
'''


def run(tmp_path: Path, name: str, code: str, **options: object) -> tuple[list[tuple[str, ...]], list[str]]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(code)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        ctx = FakeContext(HOOK, **options)
        return [p.identity for p in check(name, ctx)], ctx.notices  # type: ignore[arg-type]
    finally:
        os.chdir(old)


@pytest.mark.parametrize("name, code, identity", [
    ("applications/views.py", CSRF_VIEW, ("exempt", "csrf_exempt")),
    ("helpdesk/models.py", UMASK, ("umask", "os.umask")),
])
def test_the_rules_with_real_findings_report_by_default(tmp_path: Path, name: str, code: str, identity: tuple[str, ...]) -> None:
    found, notices = run(tmp_path, name, code)
    assert found == [identity]
    assert notices == []


def test_the_other_rules_report_with_strict_only_and_a_notice_counts_them(tmp_path: Path) -> None:
    found, notices = run(tmp_path, "shop/views.py", STRICT_ONLY)
    assert found == []
    assert notices == ["security-settings-in-one-place: 2 more items with --strict (settings, headers and cookies set in code, "
                       "and the rules that have not found a real problem on held-out repositories; see the hook page)"]
    found, notices = run(tmp_path, "shop/views.py", STRICT_ONLY, strict=True)
    assert found == [("setting", "SESSION_COOKIE_SECURE"), ("cookie", "secure")]
    assert notices == []


def test_one_notice_line_for_the_whole_call(tmp_path: Path) -> None:
    for name in ("a/views.py", "b/views.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(STRICT_ONLY)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        ctx = FakeContext(HOOK)
        for name in ("a/views.py", "b/views.py"):
            assert list(check(name, ctx)) == []  # type: ignore[arg-type]
    finally:
        os.chdir(old)
    assert len(ctx.notices) == 1 and ctx.notices[0].startswith("security-settings-in-one-place: 4 more items with --strict")


@pytest.mark.parametrize("identity, default", [
    (("exempt", "csrf_exempt"), True),
    (("exempt", "csrf.exempt"), True),
    (("exempt", "csrf.csrf_exempt"), True),
    (("umask", "os.umask"), True),
    (("chmod", "0o777"), True),
    (("exempt", "xframe_options_exempt"), False),
    (("exempt", "csp_exempt"), False),
    (("setting", "SECRET_KEY"), False),
    (("header", "access-control-allow-origin"), False),
    (("cookie", "httponly"), False),
    (("cors", "*"), False),
    (("override", "override_settings"), False),
])
def test_default_rules(identity: tuple[str, ...], default: bool) -> None:
    assert default_rule(identity) is default
