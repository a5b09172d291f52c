"""security-settings-in-one-place: held-out round 13's miss, a CSRF exemption on a base
view's ``dispatch`` that views in other modules inherit. Look-alikes shaped like the
real files (an online judge's own ``APIView`` on Django's ``View``, an exempt subclass
of it re-exported by the package's ``__init__``, admin imports and uploads that
subclass it elsewhere), each catch beside the leave-alone cases the hook keeps."""
from __future__ import annotations

from pathlib import Path

from tests.helpers.security import one_place_repo

API = '''import json

from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View


class APIView(View):
    request_parsers = ()

    def response(self, data):
        return HttpResponse(json.dumps(data), content_type="application/json")

    def success(self, data=None):
        return self.response({"error": None, "data": data})

    def dispatch(self, request, *args, **kwargs):
        return super(APIView, self).dispatch(request, *args, **kwargs)


class CSRFExemptAPIView(APIView):
    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        return super(CSRFExemptAPIView, self).dispatch(request, *args, **kwargs)
'''

INIT = "from .api import *  # NOQA\n"

ADMIN = '''from problem.models import Problem
from utils.api import APIView, CSRFExemptAPIView


class ProblemListAPI(APIView):
    def get(self, request):
        return self.success(list(Problem.objects.values("id")))


class ImportProblemAPI(CSRFExemptAPIView):
    request_parsers = ()

    def post(self, request):
        problem = Problem.objects.create(title=request.POST["title"], created_by=request.user)
        return self.success(problem.id)
'''

UPLOADS = '''import os

from django.conf import settings

from utils.api import CSRFExemptAPIView


class EditorImageUploadAPIView(CSRFExemptAPIView):
    def post(self, request):
        name = os.path.join(settings.UPLOAD_DIR, "x.png")
        with open(name, "wb") as f:
            f.write(request.FILES["image"].read())
        return self.response({"success": True, "path": name})
'''

# The other heirs the real repository has: a judge server's heartbeat (its token in a header), an SSO
# endpoint that only reads.
HEARTBEAT = '''from conf.models import JudgeServer
from utils.api import CSRFExemptAPIView


class JudgeServerHeartbeatAPI(CSRFExemptAPIView):
    def post(self, request):
        token = request.META.get("HTTP_X_JUDGE_SERVER_TOKEN")
        if token != JudgeServer.token():
            return self.response({"error": "invalid token"}, status=403)
        JudgeServer.objects.filter(hostname=request.POST["hostname"]).update(last_heartbeat=1)
        return self.success()
'''

SSO = '''from account.models import User
from utils.api import CSRFExemptAPIView


class SSOAPI(CSRFExemptAPIView):
    def post(self, request):
        user = User.objects.get(auth_token=request.POST["token"])
        return self.success({"username": user.username})
'''


def _repo(extra: dict[str, str] | None = None, api: str = API) -> dict[str, str]:
    files = {
        "utils/__init__.py": "",
        "utils/api/__init__.py": INIT,
        "utils/api/api.py": api,
        "conf/views.py": HEARTBEAT,
        "account/views/oj.py": SSO,
    }
    files.update(extra or {})
    return files


def _findings(root: Path, files: dict[str, str]) -> list[tuple[str, int, tuple[str, ...]]]:
    return one_place_repo(root, files, strict=False)


def test_an_exempt_base_dispatch_is_reported_once_naming_the_heirs_that_write(tmp_path: Path) -> None:
    from hooks.checks.security_settings_in_one_place import HOOK, check
    from tests.helpers.security import FakeContext

    files = _repo({"problem/views/admin.py": ADMIN, "utils/views.py": UPLOADS.replace(
        "def post(self, request):\n", "def post(self, request):\n        owner = request.user\n")})
    assert _findings(tmp_path, files) == [("utils/api/api.py", 23, ("exempt", "csrf_exempt"))]
    import os

    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        [problem] = check("utils/api/api.py", FakeContext(HOOK))
    finally:
        os.chdir(old)
    assert "base view and the 4 views that inherit it, 2 of which write for the signed-in user" in problem.message
    assert "ImportProblemAPI (problem/views/admin.py:10)" in problem.message
    assert "EditorImageUploadAPIView (utils/views.py:8)" in problem.message


def test_the_exemption_on_the_base_class_itself_is_followed_too(tmp_path: Path) -> None:
    api = API.replace('''class CSRFExemptAPIView(APIView):
    @method_decorator(csrf_exempt)
    def dispatch''', '''@method_decorator(csrf_exempt, name="dispatch")
class CSRFExemptAPIView(APIView):
    def dispatch''')
    # and through a view that subclasses an heir (one more level, in a third module, its bases over three lines)
    more = {"problem/views/admin.py": ADMIN.replace("created_by=request.user", "created_by=None"),
            "problem/views/fps.py": "from problem.views.admin import ImportProblemAPI\nfrom problem.models import Problem\n\n\n"
                                    "class FPSProblemImport(\n    ImportProblemAPI,\n):\n    def post(self, request):\n"
                                    "        Problem.objects.create(created_by=request.user)\n        return self.success()\n"}
    assert _findings(tmp_path, _repo(more, api)) == [("utils/api/api.py", 22, ("exempt", "csrf_exempt"))]


def test_heirs_that_do_not_write_for_the_session_leave_the_base_alone(tmp_path: Path) -> None:
    # the real repository's heartbeat (a token header) and SSO (a read), and an upload that reads no session
    # (an anonymous client's endpoint: a forged post does nothing a direct one cannot)
    assert _findings(tmp_path / "a", _repo({"utils/views.py": UPLOADS})) == []
    # a view that writes for the session but says why it is exempt, is named for a webhook, or is protected again
    reason = ADMIN.replace("class ImportProblemAPI", "# the admin's import dialog posts from the separate front end with its token\n"
                                                    "class ImportProblemAPI")
    assert _findings(tmp_path / "b", _repo({"problem/views/admin.py": reason})) == []
    webhook = ADMIN.replace("ImportProblemAPI", "GitHubWebhookAPI")
    assert _findings(tmp_path / "c", _repo({"problem/views/admin.py": webhook})) == []
    protected = ADMIN.replace("    def post(self, request):\n        problem",
                              "    @method_decorator(csrf_protect)\n    def post(self, request):\n        problem")
    assert _findings(tmp_path / "d", _repo({"problem/views/admin.py": protected})) == []
    token = ADMIN.replace("    def post(self, request):\n        problem", "    @token_required\n    def post(self, request):\n        problem")
    assert _findings(tmp_path / "e", _repo({"problem/views/admin.py": token})) == []


def test_a_reason_on_the_base_covers_its_heirs(tmp_path: Path) -> None:
    api = API.replace("    @method_decorator(csrf_exempt)\n",
                      "    # the front end is a separate app: it sends the token in a header checked by TokenMiddleware\n"
                      "    @method_decorator(csrf_exempt)\n")
    assert _findings(tmp_path, _repo({"problem/views/admin.py": ADMIN}, api)) == []


def test_heirs_in_tests_or_of_another_class_of_the_same_name_do_not_count(tmp_path: Path) -> None:
    # a test's subclass is no view of the service
    assert _findings(tmp_path / "a", _repo({"tests/test_api.py": ADMIN})) == []
    # a second CSRFExemptAPIView (not exempt) in another package: the view that imports that one is not an heir
    other = API.replace("    @method_decorator(csrf_exempt)\n", "")
    files = _repo({"legacy/api.py": other, "problem/views/admin.py": ADMIN.replace("from utils.api import", "from legacy.api import")})
    assert _findings(tmp_path / "b", files) == []
    # ... and the one that imports it from the exempt base's module is
    files["problem/views/admin.py"] = ADMIN.replace("from utils.api import", "from utils.api.api import")
    assert _findings(tmp_path / "c", files) == [("utils/api/api.py", 23, ("exempt", "csrf_exempt"))]


def test_a_project_class_named_apiview_is_not_taken_for_drf(tmp_path: Path) -> None:
    # the online judge's own APIView is Django's View: an exempt view on it that writes for the session is reported
    own = API + '''

class ContestAPI(APIView):
    @method_decorator(csrf_exempt)
    def post(self, request):
        Contest.objects.create(created_by=request.user)
        return self.success()
'''
    assert _findings(tmp_path / "a", {"utils/api/api.py": own}) == [("utils/api/api.py", 29, ("exempt", "csrf_exempt"))]
    # DRF's APIView (imported) exempts its views itself and its SessionAuthentication enforces CSRF
    drf = own.replace("from django.views.generic import View\n", "from rest_framework.views import APIView as DRFAPIView\n")
    drf = drf.replace("class APIView(View):", "class APIView(DRFAPIView):")
    assert _findings(tmp_path / "b", {"utils/api/api.py": drf}) == []
