"""security-settings-in-one-place: held-out round 15. A DRF view whose base is imported under
another name (``from rest_framework.authtoken.views import ObtainAuthToken as BaseObtainAuthToken``)."""
from __future__ import annotations

from pathlib import Path

from tests.helpers.security import one_place_findings

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
