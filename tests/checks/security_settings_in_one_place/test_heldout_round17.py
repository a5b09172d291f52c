"""security-settings-in-one-place: held-out round 17. An exempt view that builds a protocol library's
request handler (pylti1p3's ``DjangoOIDCLogin``: the LTI 1.3 login initiation the LMS posts cross-site) is
that protocol's endpoint, whatever its name or folder; the text of a view that ``urls.py`` imports is the
view's own, not the lines of ``urls.py`` at its line numbers."""
from __future__ import annotations

from pathlib import Path

from tests.helpers.security import one_place_findings, one_place_repo

URLS = '''from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from tool.views import login, launch, grades

urlpatterns = [
    path("login/", csrf_exempt(login), name="tool_login"),
    path("launch/", csrf_exempt(launch), name="tool_launch"),
    path("grades/", grades, name="tool_grades"),
]
'''

# an LTI 1.3 tool's login initiation and launch, as pylti1p3's Django example writes them
VIEWS = '''from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from pylti1p3.contrib.django import DjangoOIDCLogin, DjangoMessageLaunch

from tool.config import ToolConf
from tool.models import Course


def tool_conf():
    return ToolConf()


def login(request):
    conf = tool_conf()
    logout(request)
    oidc_login = DjangoOIDCLogin(request, conf)
    target_link_uri = request.POST.get("target_link_uri", request.GET.get("target_link_uri"))
    return oidc_login.enable_check_cookies().redirect(target_link_uri)


class ToolMessageLaunch(DjangoMessageLaunch):
    pass


def launch(request):
    message_launch = ToolMessageLaunch(request, tool_conf())
    data = message_launch.get_launch_data()
    Course.objects.get_or_create(lti_id=data["context"]["id"], owner=request.user)
    return redirect(settings.UI_URL)


def grades(request):
    return redirect(settings.UI_URL)
'''

# the same views without the protocol library: a login that signs the user out, a view that writes for the session
PLAIN = VIEWS.replace("oidc_login = DjangoOIDCLogin(request, conf)\n", "request.session['next'] = 'x'\n") \
    .replace("oidc_login.enable_check_cookies().redirect(target_link_uri)", "redirect(target_link_uri)") \
    .replace("message_launch = ToolMessageLaunch(request, tool_conf())\n    data = message_launch.get_launch_data()",
             "data = request.POST")


def test_a_view_that_builds_a_protocol_handler_is_its_endpoint(tmp_path: Path) -> None:
    files = {"apps/tool/urls.py": URLS, "apps/tool/views.py": VIEWS, "apps/tool/__init__.py": ""}
    assert one_place_repo(tmp_path, files, strict=False) == []


def test_the_same_views_without_the_protocol_library_are_reported(tmp_path: Path) -> None:
    files = {"apps/tool/urls.py": URLS, "apps/tool/views.py": PLAIN, "apps/tool/__init__.py": ""}
    found = one_place_repo(tmp_path, files, strict=False)
    assert [(path, line) for path, line, _ in found] == [("apps/tool/urls.py", 7), ("apps/tool/urls.py", 8)]


def test_a_decorated_view_and_a_class_view_that_build_one(tmp_path: Path) -> None:
    decorated = '''from django.contrib.auth import logout
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View
from onelogin.saml2.auth import OneLogin_Saml2_Auth


@csrf_exempt
def sign_in(request):
    logout(request)
    auth = OneLogin_Saml2_Auth(prepare(request), settings_for(request))
    request.session["relay"] = request.POST.get("next")
    return redirect(auth.login())


@method_decorator(csrf_exempt, name="dispatch")
class StartView(View):
    def post(self, request):
        request.session["relay"] = request.POST.get("next")
        return redirect(FlaskOIDCLogin(request, conf).redirect(request.POST["target_link_uri"]))
'''
    assert one_place_findings(tmp_path, "accounts/entry.py", decorated, strict=False) == []
    plain = decorated.replace("OneLogin_Saml2_Auth(prepare(request), settings_for(request))", "Auth(request)") \
        .replace("FlaskOIDCLogin(request, conf)", "Start(request)")
    assert [line for line, _ in one_place_findings(tmp_path, "accounts/entry.py", plain, strict=False)] == [7, 15]


def test_a_login_form_that_hands_sso_to_a_helper_is_still_reported(tmp_path: Path) -> None:
    # the openipam shape (judged debatable, kept): the view itself builds nothing; its SSO branch is a helper's
    views = '''from django.contrib.auth import views as auth_views
from django.views.decorators.csrf import csrf_exempt

from accounts.sso import sso_signin


@csrf_exempt
def login(request, internal=False):
    if request.POST and not internal:
        return sso_signin(request)
    return auth_views.LoginView.as_view()(request)
'''
    sso = '''from saml2.client import Saml2Client


def sso_signin(request):
    request.session["next"] = request.POST.get("next", "/")
    _, info = Saml2Client(config=load_config(request)).prepare_for_authenticate()
    return redirect(dict(info["headers"])["Location"])
'''
    files = {"accounts/views.py": views, "accounts/sso.py": sso, "accounts/__init__.py": ""}
    assert [(path, line) for path, line, _ in one_place_repo(tmp_path, files, strict=False)] == [("accounts/views.py", 7)]


WEBHOOK_URLS = '''from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from hooks_app.views import receive

urlpatterns = [
    path("receive/", csrf_exempt(receive)),
]
'''

WEBHOOK_VIEWS = '''import hashlib
import hmac

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden

from hooks_app.models import Note


def verify_signature(request, secret):
    digest = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(digest, request.POST.get("sig", ""))


def receive(request):
    if not verify_signature(request, settings.HOOK_SECRET):
        return HttpResponseForbidden()
    Note.objects.create(user=request.user, text=request.POST["text"])
    return HttpResponse("ok")
'''


def test_an_imported_view_is_read_from_its_own_code(tmp_path: Path) -> None:
    files = {"hooks_app/urls.py": WEBHOOK_URLS, "hooks_app/views.py": WEBHOOK_VIEWS, "hooks_app/__init__.py": ""}
    assert one_place_repo(tmp_path, files, strict=False) == []
    unchecked = WEBHOOK_VIEWS.replace('''    if not verify_signature(request, settings.HOOK_SECRET):
        return HttpResponseForbidden()
''', "")
    files["hooks_app/views.py"] = unchecked
    assert [(path, line) for path, line, _ in one_place_repo(tmp_path / "b", files, strict=False)] == [("hooks_app/urls.py", 7)]
