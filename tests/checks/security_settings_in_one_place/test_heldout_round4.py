"""security-settings-in-one-place: the wrong classes held-out round 4 showed
(issue 21), each beside the finding that stays. Look-alikes written for the
tests, shaped like the real files."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.security_settings_in_one_place import HOOK, wants
from tests.helpers.security import FakeContext, one_place_findings


def found(tmp_path: Path, code: str, name: str = "portal/app_setup.py") -> list[tuple[int, tuple[str, ...]]]:
    return one_place_findings(tmp_path, name, code)


# The sqlite file is born 0o600: the mask tightens around its creation and is restored.
TIGHTEN = '''import os


def create_store(path):
    # umask 0o077 while the file is created closes the window before chmod
    saved = os.umask(0o077)
    try:
        open(path, "a").close()
    finally:
        os.umask(saved)
'''
LOOSEN = '''import os


def daemonize():
    if os.fork():
        os._exit(0)
    os.setsid()
    os.umask(0)
'''


def test_a_umask_that_tightens_passes_one_that_opens_files_to_everyone_is_reported(tmp_path: Path) -> None:
    assert found(tmp_path, TIGHTEN) == []
    assert found(tmp_path, TIGHTEN.replace("0o077", "0o027")) == []
    assert found(tmp_path, LOOSEN) == [(8, ("umask", "os.umask"))]
    assert found(tmp_path, LOOSEN.replace("os.umask(0)", "os.umask(0o020)")) == [(8, ("umask", "os.umask"))]


STORE = '''def setup_security(app, config):
    with app.app_context():
        config.SECRET_KEY = Keys.query.filter_by(name="SECRET_KEY").first().value
        config.SECURITY_PASSWORD_SALT = Keys.query.filter_by(name="SECURITY_PASSWORD_SALT").first().value
        config.CSRF_SESSION_KEY = load_key("CSRF_SESSION_KEY")
'''


def test_secrets_loaded_from_the_apps_own_store_pass_a_literal_or_a_policy_change_is_reported(tmp_path: Path) -> None:
    assert found(tmp_path, STORE) == []
    literal = STORE.replace('Keys.query.filter_by(name="SECRET_KEY").first().value', '"not-so-secret"')
    assert found(tmp_path, literal) == [(3, ("setting", "SECRET_KEY"))]
    policy = STORE + "        config.SESSION_COOKIE_SECURE = compute()\n"
    assert found(tmp_path, policy) == [(6, ("setting", "SESSION_COOKIE_SECURE"))]


def test_a_regression_test_runner_is_not_service_code() -> None:
    ctx = FakeContext(HOOK, strict=True)
    assert not wants("web/regression/runtests.py", ctx)
    assert not wants("web/regression/python_test_utils/test_utils.py", ctx)
    assert wants("web/portal/views.py", ctx)


DEV_VIEWS = '''from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie


@csrf_exempt
def catchall_dev(request, context=None):
    return render(request, "translate.html", context=context)


@ensure_csrf_cookie
def catchall_prod(request, context=None):
    return render(request, "translate.html", context=context)
'''


def test_a_development_only_view_passes_the_same_exemption_on_a_served_view_is_reported(tmp_path: Path) -> None:
    assert found(tmp_path, DEV_VIEWS, "portal/views.py") == []
    # (a served view that only renders passes too since round 6: it changes nothing; this one writes the session)
    served = DEV_VIEWS.replace("catchall_dev", "catchall_page").replace(
        "(request, context=None):\n", "(request, context=None):\n    request.session['locale'] = request.POST['locale']\n", 1)
    assert found(tmp_path, served, "portal/views.py") == [(4, ("exempt", "csrf_exempt"))]


DISCOVERY = '''@app.get("/.well-known/agent-card.json")
async def agent_card(request: Request):
    """Describe this service to agents that discover it."""
    response = JSONResponse(content=card(request))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
'''
PRIVATE = '''@app.get("/reports/{report_id}")
async def read_report(request: Request, report_id: str, user: User = Depends(current_user)):
    response = JSONResponse(content=load(report_id))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
'''


@pytest.mark.parametrize("route", ['"/.well-known/agent-card.json"', '"/.well-known/openid-configuration"', '"/feeds/latest.json"'])
def test_cors_star_on_a_public_document_passes(tmp_path: Path, route: str) -> None:
    assert found(tmp_path, DISCOVERY.replace('"/.well-known/agent-card.json"', route), "portal/server.py") == []


def test_cors_star_on_a_private_report_is_reported(tmp_path: Path) -> None:
    assert found(tmp_path, PRIVATE, "portal/server.py") == [(4, ("header", "access-control-allow-origin"))]


def test_a_staff_post_view_with_a_bare_exemption_stays_a_finding(tmp_path: Path) -> None:
    code = ('from django.contrib.admin.views.decorators import staff_member_required\n'
            'from django.views.decorators.csrf import csrf_exempt\nfrom django.views.decorators.http import require_POST\n\n\n'
            '@staff_member_required\n@csrf_exempt\n@require_POST\ndef bulk_delete_local(request):\n'
            '    Entity.objects.filter(local=True).delete()\n    return None\n')
    assert found(tmp_path, code, "portal/admin_views.py") == [(7, ("exempt", "csrf_exempt"))]


AJAX = '''from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.base.utils import require_AJAX


@csrf_exempt
@require_POST
@require_AJAX
def entities(request):
    Entity.objects.filter(owner=request.user, pk__in=request.POST.getlist('id')).update(seen=True)
    return JsonResponse(list_entities(request.POST))
'''


def test_an_exemption_on_an_ajax_only_view_passes_without_the_guard_it_is_reported(tmp_path: Path) -> None:
    assert found(tmp_path, AJAX, "portal/views.py") == []
    assert found(tmp_path, AJAX.replace("@require_AJAX\n", ""), "portal/views.py") == [(7, ("exempt", "csrf_exempt"))]
