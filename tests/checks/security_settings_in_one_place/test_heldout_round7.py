"""security-settings-in-one-place: the wrong classes held-out round 7 showed
(CAPEv2, tendenci, patchwork, lego, OctoPrint, askbot), each beside the finding
that stays. Since round 7 a CSRF exemption is reported only with positive
evidence that a forged cross-site request does harm: the view is reached with
the browser session, it changes state, and nothing else gates it. Look-alikes
shaped like the real views."""
from __future__ import annotations

import os
from pathlib import Path

from tests.helpers.security import one_place_findings, one_place_repo

DJANGO = "from django.views.decorators.csrf import csrf_exempt\n\n\n"

# tendenci's events/views.py registrant_check_in: a session POST that saves and deletes: stays reported.
CHECK_IN = DJANGO + '''@csrf_exempt
@login_required
def registrant_check_in(request):
    """
    Check in or uncheck in a registrant.
    """
    if not has_perm(request.user, 'events.view_registrant'):
        raise Http403
    response_d = {'error': True}
    if request.method == 'POST':
        registrant = Registrant.objects.filter(id=int(request.POST.get('id'))).first()
        if registrant and request.POST.get('checked_in') == 'true':
            registrant.checked_in = True
            registrant.save()
        elif registrant:
            RegistrantCredits.objects.filter(registrant=registrant).delete()
    return HttpResponse(json.dumps(response_d), content_type='application/json')
'''


def test_a_session_view_that_saves_stays_reported(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "tendenci/apps/events/views.py", CHECK_IN) == [(4, ("exempt", "csrf_exempt"))]


# tendenci's memberships/views.py: import status, price quotes: lookups and renders, no write.
READ_ONLY = DJANGO + '''@csrf_exempt
@login_required
def membership_default_import_status(request, mimport_id):
    mimport = get_object_or_404(MembershipImport, pk=mimport_id)
    if not has_perm(request.user, 'memberships.change_membershipimport', mimport):
        raise Http403
    status_data = {'status': mimport.status, 'total_created': mimport.num_inserted}
    return HttpResponse(simplejson.dumps(status_data))


@csrf_exempt
def get_price(request):
    form = PriceForm(request.POST)
    if form.is_valid():
        price = pricing.get_price_for_user(request.user, form.cleaned_data['pricing'])
        return HttpResponse(render_to_string('price.json', {'price': price}))
    raise Http404
'''


def test_a_view_that_only_looks_up_and_renders_passes(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "tendenci/apps/memberships/views.py", READ_ONLY) == []
    writes = READ_ONLY.replace("    status_data = {", "    mimport.delete()\n    status_data = {")
    assert one_place_findings(tmp_path / "b", "tendenci/apps/memberships/views.py", writes) == [(4, ("exempt", "csrf_exempt"))]


# tendenci's files/views.py: gated by the is_ajax(request) helper (X-Requested-With), or 404.
AJAX_HELPER = '''from django.views.decorators.csrf import csrf_exempt

from tendenci.apps.base.utils import is_ajax


@csrf_exempt
def get_categories_for_files(request):
    if not is_ajax(request):
        raise Http404
    category = Category.objects.get(pk=request.POST['category'])
    category.touched_by = request.user
    category.save()
    return JsonResponse({'ok': True})
'''


def test_the_is_ajax_helper_is_a_gate(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "tendenci/apps/files/views.py", AJAX_HELPER) == []
    ungated = AJAX_HELPER.replace("    if not is_ajax(request):\n        raise Http404\n", "")
    assert one_place_findings(tmp_path / "b", "tendenci/apps/files/views.py", ungated) == [(6, ("exempt", "csrf_exempt"))]


# CAPEv2's apiv2/views.py: @csrf_exempt stacked on DRF's @api_view, session auth in the settings.
DRF = '''from django.views.decorators.csrf import csrf_exempt
from rest_framework.decorators import api_view
from rest_framework.views import APIView


@csrf_exempt
@api_view(["POST"])
def tasks_create_file(request):
    task = Task.objects.create(target=request.FILES["file"].name, owner=request.user)
    return Response({"task_id": task.id})


class TaskDelete(APIView):
    @csrf_exempt
    def post(self, request, task_id):
        Task.objects.filter(pk=task_id, owner=request.user).delete()
        return Response({})
'''


def test_an_exemption_on_a_drf_view_changes_nothing(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "web/apiv2/views.py", DRF) == []
    plain = DRF.replace('@api_view(["POST"])\n', "").replace("(APIView)", "(View)")
    assert one_place_findings(tmp_path / "b", "web/apiv2/views.py", plain) == [(6, ("exempt", "csrf_exempt")), (13, ("exempt", "csrf_exempt"))]


# tendenci's payments/paypal/views.py and payflowlink: the gateway posts back; it cannot carry a token.
GATEWAY = DJANGO + '''@csrf_exempt
def ipn(request):
    payment = PayPalPayment.objects.get(pk=request.POST['invoice'])
    payment.status = 'approved'
    payment.save()
    return HttpResponse('ok')


@csrf_exempt
def thank_you(request):
    payment = PayPalPayment.objects.get(pk=request.POST['invoice'])
    payment.paid_by = request.user
    payment.save()
    return render(request, 'thankyou.html', {'payment': payment})
'''


def test_a_payment_gateways_endpoints_pass(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "tendenci/apps/payments/paypal/views.py", GATEWAY) == []
    # thank_you outside a payments/<gateway>/ folder is an ordinary view
    assert one_place_findings(tmp_path / "b", "tendenci/apps/shop/views.py", GATEWAY) == [(12, ("exempt", "csrf_exempt"))]


# patchwork's views/xmlrpc.py: the view hands the request to a dispatcher that checks Authorization: Basic.
XMLRPC = '''from django.contrib.auth import authenticate
from django.views.decorators.csrf import csrf_exempt


class PatchworkXMLRPCDispatcher(SimpleXMLRPCDispatcher):
    def _user_for_request(self, request):
        auth_header = None
        if 'authorization' in request.headers:
            auth_header = request.headers.get('authorization')
        if auth_header is None or auth_header == '':
            raise Exception('No authentication credentials given')
        username, password = base64.b64decode(auth_header[6:]).decode().split(':', 1)
        return authenticate(username=username, password=password)

    def _dispatch(self, request, method, params):
        auth_required, fn = self.func_map[method]
        if auth_required:
            user = self._user_for_request(request)
            if not user:
                raise Exception('Invalid username/password')
            params = (user,) + params
        return fn(*params)

    def _marshaled_dispatch(self, request):
        params, method = xmlrpc_client.loads(request.body)
        return self.dumps((self._dispatch(request, method, params),), methodresponse=1)


dispatcher = PatchworkXMLRPCDispatcher()


@csrf_exempt
def xmlrpc(request):
    response = HttpResponse()
    if request.method == 'POST':
        ret = dispatcher._marshaled_dispatch(request)
        Patch.objects.filter(pk=ret).update(state=1)
    else:
        ret = dispatcher.generate_html_documentation()
    response.write(ret)
    return response
'''


def test_a_dispatcher_that_checks_the_authorization_header_gates_the_view(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "patchwork/views/xmlrpc.py", XMLRPC) == []
    session = XMLRPC.replace("'authorization' in request.headers", "request.user.is_authenticated") \
        .replace("request.headers.get('authorization')", "request.user")
    session = session.replace("        if auth_header is None or auth_header == '':\n            raise Exception('No authentication credentials given')\n", "")
    session = session.replace("            if not user:\n                raise Exception('Invalid username/password')\n", "")
    # since round 12 the view itself (or what it calls directly) must read the user: it logs who posted
    session = session.replace("        Patch.objects.filter(pk=ret)", "        log(request.user)\n        Patch.objects.filter(pk=ret)")
    assert one_place_findings(tmp_path / "b", "patchwork/views/xmlrpc.py", session) == [(28, ("exempt", "csrf_exempt"))]


# tendenci's api/views.py (HMAC checked by a helper) and helpdesk/views/api.py (credentials in the post).
SIGNED_HELPER = '''import hashlib
import hmac

from django.views.decorators.csrf import csrf_exempt


def validate_api_request(request):
    digest = hmac.new(secret_key(request.POST['access_id']), request.POST['time_stamp'].encode(), hashlib.sha256)
    return hmac.compare_digest(digest.hexdigest(), request.POST['h_sc'])


@csrf_exempt
def api_rp(request):
    if not validate_api_request(request):
        return HttpResponse('invalid', status=403)
    RecurringPayment.objects.filter(pk=request.POST['rp_id']).update(status='active')
    return HttpResponse('ok')


@csrf_exempt
def api(request, method):
    request.user = authenticate(username=request.POST.get('user'), password=request.POST.get('password'))
    if request.user is None:
        return HttpResponseForbidden()
    Ticket.objects.create(title=request.POST['title'], submitter=request.user)
    return HttpResponse('ok')
'''


def test_credentials_a_helper_checks_or_the_post_carries_pass(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "tendenci/apps/api/views.py", SIGNED_HELPER) == []


# lego's api/urls.py: a function view that only resolves a path and redirects.
REDIRECT = '''from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import re_path, resolve
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def version_redirect(request, path):
    new_path = f"/api/{settings.API_VERSION}/{path}/"
    match = resolve(new_path)
    if match.func == version_redirect:
        raise Http404
    return HttpResponseRedirect(new_path)


urlpatterns = [re_path(r"^(.*)/$", version_redirect)]
'''


def test_a_function_view_that_only_redirects_passes(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "lego/api/urls.py", REDIRECT) == []


# tendenci/libs/tinymce/views.py: vendored django-tinymce.
VENDORED = DJANGO + '''def spell_check(request):
    Spelling.objects.create(word=request.POST['word'], user=request.user)
    return HttpResponse('ok')


spell_check = csrf_exempt(spell_check)
'''


def test_vendored_libraries_are_not_the_service(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "tendenci/libs/tinymce/views.py", VENDORED) == []
    assert one_place_findings(tmp_path / "b", "tendenci/apps/tinymce/views.py", VENDORED) == [(9, ("exempt", "csrf_exempt"))]


def test_the_view_behind_csrf_exempt_in_urls_is_read_where_it_is_imported(tmp_path: Path) -> None:
    layout = {
        "shop/views.py": "def buy(request):\n    Order.objects.create(user=request.user)\n    return redirect('/')\n\n\n"
                         "def price(request):\n    return JsonResponse({'price': 3})\n",
        "shop/urls.py": "from django.views.decorators.csrf import csrf_exempt\n\nfrom shop.views import buy, price\n\n"
                        "urlpatterns = [path('buy/', csrf_exempt(buy)), path('price/', csrf_exempt(price))]\n",
    }
    got = one_place_repo(tmp_path, layout)
    assert [(path, line) for path, line, _ in got] == [("shop/urls.py", 5)]


def test_an_imported_class_view_whose_dispatch_checks_basic_auth_passes(tmp_path: Path) -> None:
    # zentral's terraform backend: csrf_exempt(BackendStateView.as_view()) in api_urls.py, Basic auth with an API token
    views_py = '''from django.http import HttpResponse
from django.views.generic import View


class BackendBaseView(View):
    def dispatch(self, request, *args, **kwargs):
        try:
            username, password = basic_auth_username_and_password_from_request(self.request)
        except ValueError:
            return HttpResponse('Unauthorized', status=401)
        self.token = APIToken.objects.get_active_with_key(password)
        return super().dispatch(request, *args, **kwargs)


class BackendStateView(BackendBaseView):
    def post(self, request, *args, **kwargs):
        StateVersion.objects.create(state=self.state, data=request.body)
        return HttpResponse('ok')
'''
    urls = ("from django.views.decorators.csrf import csrf_exempt\n\nfrom .api_views import BackendStateView\n\n"
            "urlpatterns = [path('backend/<slug:slug>/', csrf_exempt(BackendStateView.as_view()))]\n")
    layout = {"terraform/__init__.py": "", "terraform/api_views.py": views_py, "terraform/api_urls.py": urls}
    assert one_place_repo(tmp_path, layout) == []
    session = views_py.replace("        try:\n            username, password = basic_auth_username_and_password_from_request(self.request)\n"
                               "        except ValueError:\n            return HttpResponse('Unauthorized', status=401)\n"
                               "        self.token = APIToken.objects.get_active_with_key(password)\n", "") \
        .replace("data=request.body)", "data=request.body, user=request.user)")
    assert [(p, line) for p, line, _ in one_place_repo(tmp_path / "b", {**layout, "terraform/api_views.py": session})] \
        == [("terraform/api_urls.py", 5)]


# askbot's views/writers.py upload: the comment above the exemption says the protection is still to do.
TODO = '''from django.views.decorators import csrf


#todo: make this work with csrf
@csrf.csrf_exempt
def upload(request):#ajax upload file to a question or answer
    """view that handles file upload via Ajax
    """
    if request.user.is_anonymous:
        raise exceptions.PermissionDenied(_('Sorry, anonymous users cannot upload files'))
    uploaded_file = request.FILES['file-upload']
    file_url = store_file(uploaded_file.name, uploaded_file)
    return HttpResponse(json.dumps({'file_url': file_url}))
'''


def test_a_todo_comment_is_no_reason(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "askbot/views/writers.py", TODO) == [(5, ("exempt", "csrf.csrf_exempt"))]
    for comment in ("# FIXME enable csrf protection", "# hack for now, add csrf later"):
        code = TODO.replace("#todo: make this work with csrf", comment)
        assert one_place_findings(tmp_path / str(len(comment)), "askbot/views/writers.py", code) == [(5, ("exempt", "csrf.csrf_exempt"))]
    # askbot's save_group_logo_url: the same todo, but @ajax_only turns away requests without X-Requested-With
    gated = TODO.replace("@csrf.csrf_exempt\n", "@csrf.csrf_exempt\n@decorators.ajax_only\n")
    assert one_place_findings(tmp_path / "g", "askbot/views/writers.py", gated) == []
    # a real reason still counts
    reason = TODO.replace("#todo: make this work with csrf", "# the desktop uploader posts without a session cookie")
    assert one_place_findings(tmp_path / "r", "askbot/views/writers.py", reason) == []


# OctoPrint's src/octoprint/__init__.py: the umask is queried and put back at once.
UMASK = '''import os

# figure out current umask - sadly only doable by setting a new one and resetting it, no query method
UMASK = os.umask(0)
os.umask(UMASK)
'''
# tendenci's helpdesk/models.py: set in an upload_to function and never restored.
UMASK_LEFT = '''import os


def attachment_path(instance, filename):
    os.umask(0)
    path = 'helpdesk/attachments/%s' % instance.followup.ticket.ticket_for_url
    os.makedirs(path, 0o777)
    return os.path.join(path, filename)
'''


def test_a_umask_queried_and_restored_passes(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "src/octoprint/__init__.py", UMASK) == []
    assert one_place_findings(tmp_path / "b", "tendenci/apps/helpdesk/models.py", UMASK_LEFT) == [(5, ("umask", "os.umask"))]
    # saved but never handed back: still reported
    kept = UMASK.replace("os.umask(UMASK)\n", "")
    assert one_place_findings(tmp_path / "c", "src/octoprint/__init__.py", kept) == [(4, ("umask", "os.umask"))]


# OctoPrint's server/util/csrf.py: the double-submit token cookie JS must read.
CSRF_COOKIE = '''from flask import request


def add_csrf_cookie(response):
    token = generate_csrf_token()
    response.set_cookie("csrf_token_P5000", token, httponly=False, samesite="Lax")
    return response


def remember(response):
    response.set_cookie("remember_token", request.cookies["x"], httponly=False)
    return response
'''


def test_a_csrf_token_cookie_may_be_read_by_js(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "src/octoprint/server/util/flask_csrf.py", CSRF_COOKIE) == [(11, ("cookie", "httponly"))]
    insecure = CSRF_COOKIE.replace('httponly=False, samesite="Lax"', 'httponly=False, secure=False')
    assert one_place_findings(tmp_path / "b", "src/octoprint/server/util/flask_csrf.py", insecure)[0] == (6, ("cookie", "secure"))


# OctoPrint's server/__init__.py _setup_flask_app: a protection switched on is the safe value.
SWITCHED_ON = '''from flask import Flask


class OctoPrintServer:
    def _setup_flask_app(self):
        app = Flask("octoprint")
        app.config["REMEMBER_COOKIE_HTTPONLY"] = True
        app.config["SESSION_COOKIE_SECURE"] = False
        return app
'''


def test_a_protection_switched_on_is_not_reported(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "src/octoprint/server/__init__.py", SWITCHED_ON) == [(8, ("setting", "SESSION_COOKIE_SECURE"))]


def test_an_api_module_named_settings_is_not_the_settings_module(tmp_path: Path) -> None:
    from hooks.checks.security_settings_in_one_place import HOOK
    from tests.helpers.security import FakeContext, make_repo

    api = ('from flask import jsonify\n\nfrom octoprint.server.api import api\n\nA = 1\nB = 2\nC = 3\n\n\n'
           '@api.route("/settings", methods=["GET"])\ndef getSettings():\n    return jsonify({})\n')
    files = {"src/octoprint/server/api/settings.py": api, "src/octoprint/server/__init__.py": SWITCHED_ON,
             "src/octoprint/config.py": "SECRET_KEY = 'x'\nDEBUG = False\n"}
    make_repo(tmp_path, files)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert FakeContext(HOOK).state.home == "src/octoprint/config.py"
        make_repo(tmp_path / "b", {k: v for k, v in files.items() if not k.endswith("config.py")})
        os.chdir(tmp_path / "b")
        assert FakeContext(HOOK).state.home == ""
    finally:
        os.chdir(old)


def test_a_django_settings_module_with_a_toolbar_callback_stays_the_settings_module(tmp_path: Path) -> None:
    from hooks.checks.security_settings_in_one_place import HOOK
    from tests.helpers.security import FakeContext, make_repo

    settings = "DEBUG = False\nSECRET_KEY = 'x'\nALLOWED_HOSTS = []\n\n\ndef show_toolbar(request):\n    return DEBUG\n"
    make_repo(tmp_path, {"micromasters/settings.py": settings, "search/base.py": "x = 1\n"})
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert FakeContext(HOOK).state.home == "micromasters/settings.py"
    finally:
        os.chdir(old)
