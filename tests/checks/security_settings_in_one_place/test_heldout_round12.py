"""security-settings-in-one-place: held-out round 12's CSRF classes, each beside the
finding that stays. Look-alikes shaped like the real files (a Mac client's endpoints
gated by a decorator brought in with a star import, an escrow endpoint that never
reads the session, an inbound-mail webhook named only in its docstring, a one-line
wrapper of another exempt view)."""
from __future__ import annotations

from pathlib import Path

from tests.helpers.security import one_place_findings

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


def _private_helper(function):
    return function
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


def _layout(root: Path) -> None:
    (root / "fleet").mkdir(parents=True)
    (root / "fleet" / "__init__.py").write_text("")
    (root / "fleet" / "decorators.py").write_text(DECORATORS)


def test_a_gate_decorator_from_a_star_import_is_followed(tmp_path: Path) -> None:
    _layout(tmp_path)
    assert one_place_findings(tmp_path, "profiles/views.py", STAR) == []


def test_a_star_import_of_a_module_without_the_gate_stays_a_finding(tmp_path: Path) -> None:
    _layout(tmp_path)
    # the decorator is not in the star-imported module (a library's, or a different name): not guessed at
    other = STAR.replace("@key_auth_required", "@machine_key_required")
    assert one_place_findings(tmp_path, "profiles/views.py", other) == [(8, ("exempt", "csrf_exempt"))]
    # a star import from outside the repository is not read
    outside = STAR.replace("from fleet.decorators import *", "from os.path import *")
    assert one_place_findings(tmp_path / "b", "profiles/views.py", outside) == [(8, ("exempt", "csrf_exempt"))]


CHECKIN = '''from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt


##checkin view
@csrf_exempt
def checkin(request):
    try:
        serial_num = request.POST["serial"]
    except KeyError:
        return HttpResponse(status=500)
    computer, _ = Computer.objects.get_or_create(serial=serial_num)
    computer.username = request.POST["username"]
    computer.save()
    Secret(computer=computer, secret=request.POST["recovery_password"]).save()
    return JsonResponse({"rotation_required": False})
'''


def test_an_exempt_view_that_never_reads_the_session_passes(tmp_path: Path) -> None:
    # a forged cross-site post does nothing an anonymous direct post cannot: no CSRF finding
    assert one_place_findings(tmp_path, "server/views.py", CHECKIN) == []


def test_an_exempt_view_that_reads_the_user_or_is_login_required_stays(tmp_path: Path) -> None:
    reads_user = CHECKIN.replace('computer.username = request.POST["username"]', "computer.username = request.user.username")
    assert one_place_findings(tmp_path, "server/views.py", reads_user) == [(6, ("exempt", "csrf_exempt"))]
    login = CHECKIN.replace("@csrf_exempt\n", "@login_required\n@csrf_exempt\n")
    assert one_place_findings(tmp_path / "b", "server/views.py", login) == [(7, ("exempt", "csrf_exempt"))]
    # the session read in a helper the view calls counts too
    helper = CHECKIN.replace("    computer.save()\n", "    stamp(computer, request)\n    computer.save()\n") \
        + "\n\ndef stamp(computer, request):\n    computer.escrowed_by = request.session.get('name')\n"
    assert one_place_findings(tmp_path / "c", "server/views.py", helper) == [(6, ("exempt", "csrf_exempt"))]


WEBHOOK = '''from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def response(request):
    """ Web hook called when a response to a notification is received """
    token = ResponseToken.objects.get(token=request.POST['to'].split('+')[1])
    token.user.profile.last_reply = request.POST['text']
    token.user.profile.save()
    log(request.user)
    return HttpResponse(status=200)
'''


def test_a_webhook_named_in_the_docstring_passes(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "notifications/views.py", WEBHOOK) == []
    vendor = WEBHOOK.replace("Web hook called when", "Callback from Mailgun when")
    assert one_place_findings(tmp_path / "b", "notifications/views.py", vendor) == []


def test_a_docstring_about_something_else_stays(tmp_path: Path) -> None:
    other = WEBHOOK.replace("Web hook called when a response to a notification is received",
                            "Save the reply the user typed into the hook form")
    assert one_place_findings(tmp_path, "notifications/views.py", other) == [(5, ("exempt", "csrf_exempt"))]


WRAPPER = '''from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def upload_image(request):
    return upload_file(request, image_upload=True)


@csrf_exempt
def upload_file(request, image_upload=False):
    folder = os.path.join(UPLOAD_PATH, request.user.username)
    with open(os.path.join(folder, request.FILES['upload'].name), 'wb') as out:
        out.write(request.FILES['upload'].read())
    return HttpResponse('ok')
'''


def test_a_one_line_wrapper_of_an_exempt_view_is_the_same_hole(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "richtext/views.py", WRAPPER) == [(10, ("exempt", "csrf_exempt"))]


def test_a_wrapper_of_a_view_that_is_not_exempt_stays(tmp_path: Path) -> None:
    plain = WRAPPER.replace("@csrf_exempt\ndef upload_file", "def upload_file")
    assert one_place_findings(tmp_path, "richtext/views.py", plain) == [(5, ("exempt", "csrf_exempt"))]
