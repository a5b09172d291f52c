"""security-settings-in-one-place: held-out round 15. A DRF view whose base is imported under
another name (``from rest_framework.authtoken.views import ObtainAuthToken as BaseObtainAuthToken``);
a Unix socket's world-writable mode; a view an installed JWT middleware's decorator gates."""
from __future__ import annotations

from pathlib import Path

from tests.helpers.security import one_place_findings, one_place_repo

TOKEN_VIEW = '''from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from rest_framework.authtoken.views import ObtainAuthToken as BaseObtainAuthToken

from .models import AuthRecord


class ObtainTokenView(BaseObtainAuthToken):

    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            AuthRecord.objects.create(user=request.user)
        request.session["seen"] = True
        return super().post(request, *args, **kwargs)
'''

# the same class on Django's View: reached with the session, writes
DJANGO_VIEW = TOKEN_VIEW.replace("from rest_framework.authtoken.views import ObtainAuthToken as BaseObtainAuthToken",
                                 "from django.views.generic import View as BaseObtainAuthToken")
LINE = 10


def test_a_drf_base_imported_under_another_name_is_drf(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "accounts/api/views.py", TOKEN_VIEW, strict=False) == []
    # a generic view under another name: the same
    generic = TOKEN_VIEW.replace("from rest_framework.authtoken.views import ObtainAuthToken",
                                 "from rest_framework.generics import CreateAPIView")
    assert one_place_findings(tmp_path / "b", "accounts/api/views.py", generic, strict=False) == []
    # an add-on's views module (rest_framework_simplejwt.views.TokenObtainPairView)
    jwt = TOKEN_VIEW.replace("from rest_framework.authtoken.views import ObtainAuthToken",
                             "from rest_framework_simplejwt.views import TokenObtainPairView")
    assert one_place_findings(tmp_path / "c", "accounts/api/views.py", jwt, strict=False) == []


def test_a_django_base_under_a_drf_looking_name_is_reported(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "accounts/api/views.py", DJANGO_VIEW, strict=False) == [(LINE, ("exempt", "csrf_exempt"))]
    # a class of DRF that is no view (a mixin) does not make the view DRF's
    mixin = TOKEN_VIEW.replace("from rest_framework.authtoken.views import ObtainAuthToken as BaseObtainAuthToken",
                               "from rest_framework.mixins import CreateModelMixin as BaseObtainAuthToken")
    assert one_place_findings(tmp_path / "b", "accounts/api/views.py", mixin, strict=False) == [(LINE, ("exempt", "csrf_exempt"))]
    # a base the repository defines itself under the aliased name is that class (held-out round 13)
    own = DJANGO_VIEW.replace("class ObtainTokenView(BaseObtainAuthToken):",
                              "class APIView(BaseObtainAuthToken):\n    pass\n\n\nclass ObtainTokenView(APIView):")
    assert one_place_findings(tmp_path / "c", "accounts/api/views.py", own, strict=False) == [(LINE + 4, ("exempt", "csrf_exempt"))]


# a privileged daemon's Unix socket server: connect() needs write permission, so 0o666 lets every user in
DAEMON = '''import pathlib
import socketserver


class Server(socketserver.ThreadingUnixStreamServer):

    def __init__(self, address, *args, **kwargs):
        address_path = pathlib.Path(address)
        address_path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        address_path.unlink(missing_ok=True)
        super().__init__(address, *args, **kwargs)
        address_path.chmod(0o666)
'''
# the same mode on a data file the class writes
DATA_FILE = DAEMON.replace("class Server(socketserver.ThreadingUnixStreamServer):", "class Store:").replace(
    "        super().__init__(address, *args, **kwargs)\n", "        address_path.write_text('')\n")


def test_a_world_writable_socket_is_no_finding(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "daemon/server.py", DAEMON, strict=False) == []
    # a comment that says clients connect, on a path the function does not bind
    said = DATA_FILE.replace("chmod(0o666)", "chmod(0o666)  # All users are allowed to connect")
    assert one_place_findings(tmp_path / "b", "daemon/server.py", said, strict=False) == []
    # a socket bound in the function, by os.chmod
    bound = ('import os\nimport socket\n\n\ndef serve(path):\n    s = socket.socket(socket.AF_UNIX)\n    s.bind(path)\n'
             '    os.chmod(path, 0o777)\n')
    assert one_place_findings(tmp_path / "c", "daemon/serve.py", bound, strict=False) == []
    # a path named for a socket
    named = 'import os\n\n\ndef fix(run_dir):\n    os.chmod(os.path.join(run_dir, "agent.sock"), 0o666)\n'
    assert one_place_findings(tmp_path / "d", "daemon/fix.py", named, strict=False) == []


def test_a_world_writable_file_is_reported_still(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "daemon/server.py", DATA_FILE, strict=False) == [(12, ("chmod", "0o666"))]
    # a comment that gives no socket reason
    vague = DATA_FILE.replace("chmod(0o666)", "chmod(0o666)  # so the web app can write it")
    assert one_place_findings(tmp_path / "b", "daemon/server.py", vague, strict=False) == [(12, ("chmod", "0o666"))]
    # another path than the one bound
    other = ('import os\nimport socket\n\n\ndef serve(path, log):\n    s = socket.socket(socket.AF_UNIX)\n    s.bind(path)\n'
             '    os.chmod(log, 0o777)\n')
    assert one_place_findings(tmp_path / "c", "daemon/serve.py", other, strict=False) == [(8, ("chmod", "0o777"))]


# an API gateway's resource: the settings install the gateway package's JWT middleware, the view asks for it
GATEWAY_SETTINGS = """MIDDLEWARE = (
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
)
MIDDLEWARE += (
    "gatewaykit.auth.GatewayJWTMiddleware",  # the gateway's signed JWT
)
"""
GATEWAY_VIEW = """import json

from accounts.decorators import login_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from gatewaykit.decorators import gateway_require

from tasks.models import Task


@login_exempt
@csrf_exempt
@require_POST
@gateway_require
def create_task(request, project_id):
    params = json.loads(request.body)
    task = Task.objects.create(project_id=project_id, creator=request.user.username, name=params["name"])
    return {"result": True, "data": task.id}
"""
NO_JWT = GATEWAY_SETTINGS.replace("gatewaykit.auth.GatewayJWTMiddleware", "gatewaykit.auth.GatewayLocaleMiddleware")


def test_a_decorator_of_an_installed_jwt_middlewares_package_is_a_token_check(tmp_path: Path) -> None:
    files = {"config/settings.py": GATEWAY_SETTINGS, "api/views/create_task.py": GATEWAY_VIEW}
    assert one_place_repo(tmp_path, files, strict=False) == []
    # imported as a module: the same
    module = GATEWAY_VIEW.replace("from gatewaykit.decorators import gateway_require", "from gatewaykit import decorators as gw").replace(
        "@gateway_require", "@gw.gateway_require")
    assert one_place_repo(tmp_path / "b", {**files, "api/views/create_task.py": module}, strict=False) == []


def test_a_decorator_without_the_jwt_middleware_is_no_token_check(tmp_path: Path) -> None:
    reported = [("api/views/create_task.py", 12, ("exempt", "csrf_exempt"))]
    assert one_place_repo(tmp_path, {"config/settings.py": NO_JWT, "api/views/create_task.py": GATEWAY_VIEW}, strict=False) == reported
    # a decorator of another package than the middleware's
    other = GATEWAY_VIEW.replace("from gatewaykit.decorators import gateway_require", "from portal.decorators import gateway_require")
    assert one_place_repo(tmp_path / "b", {"config/settings.py": GATEWAY_SETTINGS, "api/views/create_task.py": other},
                          strict=False) == reported
    # the middleware's package, a decorator that requires nothing (a sign-in page's helper)
    plain = GATEWAY_VIEW.replace("gateway_require", "gateway_context")
    assert one_place_repo(tmp_path / "c", {"config/settings.py": GATEWAY_SETTINGS, "api/views/create_task.py": plain},
                          strict=False) == reported
