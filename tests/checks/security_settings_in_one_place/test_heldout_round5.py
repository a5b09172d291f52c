"""security-settings-in-one-place: the wrong classes held-out round 5 showed
(issue 21 item 13: a per-endpoint exception is fine when the code says why),
each beside the finding that stays. Look-alikes shaped like pgweb's views."""
from __future__ import annotations

from pathlib import Path

from tests.helpers.security import one_place_findings

HEAD = "from django.conf import settings\nfrom django.http import HttpResponse, HttpResponseForbidden\n" \
       "from django.views.decorators.csrf import csrf_exempt\n\n\n"


def found(tmp_path: Path, code: str, name: str = "pgweb/core/views.py") -> list[tuple[int, tuple[str, ...]]]:
    return one_place_findings(tmp_path, name, HEAD + code)


BARE = "@csrf_exempt\ndef update_list(request):\n    save(request.POST, request.user)\n    return HttpResponse('ok')\n"


def test_a_bare_exemption_on_a_state_changing_view_stays_a_finding(tmp_path: Path) -> None:
    assert found(tmp_path, BARE) == [(6, ("exempt", "csrf_exempt"))]
    # a comment that is commented-out code, or two words, says no why
    assert found(tmp_path, "# update(request.POST)\n" + BARE.replace("csrf_exempt", "csrf_exempt  # todo later")) != []


def test_a_sentence_beside_the_exemption_says_why(tmp_path: Path) -> None:
    assert found(tmp_path, "# The Varnish proxy in front strips cookies from this URL\n" + BARE) == []


def test_a_machine_endpoint_behind_an_address_allow_list_passes(tmp_path: Path) -> None:
    view = ("@csrf_exempt\ndef api_varnish_purge(request):\n"
            "    if request.META['REMOTE_ADDR'] not in settings.VARNISH_PURGERS:\n"
            "        return HttpResponseForbidden()\n    purge(request.POST)\n    return HttpResponse('ok')\n")
    assert found(tmp_path, view) == []


def test_a_view_that_requires_a_custom_header_passes(tmp_path: Path) -> None:
    view = ("@csrf_exempt\ndef submit(request):\n"
            "    if request.META.get('HTTP_X_PGWEB_TOKEN') != settings.TOKEN:\n"
            "        return HttpResponseForbidden()\n    save(request.POST)\n    return HttpResponse('ok')\n")
    assert found(tmp_path, view) == []


CONNEXION = ("import connexion\nfrom starlette.middleware.cors import CORSMiddleware\n\n\ndef create_app():\n"
             "    app = connexion.FlaskApp(__name__)\n"
             "    app.add_middleware(CORSMiddleware, allow_origins=['https://app.example.com'], allow_credentials=True)\n"
             "    return app\n")


def test_a_connexion_app_factory_is_where_the_app_is_created(tmp_path: Path) -> None:
    # spiff-arena: CORS middleware added where connexion.FlaskApp is created is in its one place
    assert found(tmp_path, CONNEXION, "backend/__init__.py") == []
    helper = CONNEXION.replace("    app = connexion.FlaskApp(__name__)\n", "").replace("def create_app():", "def setup(app):")
    assert [identity for _, identity in found(tmp_path, helper, "backend/cors.py")] == [("cors-middleware", "CORSMiddleware")]


# A per-view CORS decorator (a Flask snippet shape): headers written through an alias of resp.headers.
CROSSDOMAIN = '''\
from functools import update_wrapper

from flask import current_app, make_response, request


def crossdomain(allowed_origins=None, methods=None):
    def get_origin(allowed):
        origin = request.headers.get("Origin")
        return origin if origin in allowed else None

    def decorator(f):
        def wrapped_function(*args, **kwargs):
            resp = make_response(f(*args, **kwargs))
            hdrs = resp.headers
            hdrs["Access-Control-Allow-Origin"] = get_origin(allowed_origins)
            hdrs["Access-Control-Allow-Credentials"] = "true"
            return resp
        return update_wrapper(wrapped_function, f)
    return decorator
'''


def found_plain(tmp_path: Path, code: str, name: str) -> list[tuple[int, tuple[str, ...]]]:
    return one_place_findings(tmp_path, name, code)


def test_a_per_view_cors_decorator_in_a_package_named_for_security_is_a_finding(tmp_path: Path) -> None:
    # the package's name holds "security": that does not make its view decorators middleware
    got = found_plain(tmp_path, CROSSDOMAIN, "cloud_security_watch/decorators.py")
    assert [line for line, _ in got] == [15, 16]


def test_the_same_headers_in_a_middleware_module_or_folder_pass(tmp_path: Path) -> None:
    assert found_plain(tmp_path, CROSSDOMAIN, "watch/middleware.py") == []
    assert found_plain(tmp_path / "b", CROSSDOMAIN, "watch/security/views_cors.py") == []
    assert found_plain(tmp_path / "c", CROSSDOMAIN, "watch/security_headers.py") == []
