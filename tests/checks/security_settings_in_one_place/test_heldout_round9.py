"""security-settings-in-one-place: the wrong classes held-out round 9 showed
(nucleus, remo, airmozilla, balrog) and its two debatable messages (balrog,
mozillians), each beside the finding that stays. Look-alikes shaped like the
real files."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.security import one_place_findings, one_place_repo

ACAO = ("header", "access-control-allow-origin")

# nucleus's rna/utils.py: a JSON response class whose caller opts in to CORS.
RESPONSE_CLASS = '''import json

from django.http import HttpResponse


class HttpResponseJSON(HttpResponse):
    def __init__(self, data, status=None, cors=False):
        super().__init__(content=json.dumps(data), content_type="application/json", status=status)

        if cors:
            self["Access-Control-Allow-Origin"] = "*"
'''
# remo's api/views.py: the read-only DRF API adds the header in dispatch.
READ_ONLY_VIEWSET = '''from rest_framework.viewsets import ReadOnlyModelViewSet


class BaseReadOnlyModelViewset(ReadOnlyModelViewSet):
    def dispatch(self, request, *args, **kwargs):
        response = super(BaseReadOnlyModelViewset, self).dispatch(request, *args, **kwargs)
        response['Access-Control-Allow-Origin'] = '*'
        return response
'''
# airmozilla's iCal feed: cached, rebuilt from GET parameters, a bug link above the header.
FEED = '''from django import http
from django.core.cache import cache
from django.shortcuts import get_object_or_404


def events_calendar_ical(request, privacy=None):
    cache_key = 'calendar_%s' % privacy
    if request.GET.get('location'):
        location = get_object_or_404(Location, pk=request.GET.get('location'))
        cache_key += str(location.pk)
    cached = cache.get(cache_key)
    if cached:
        cached['Access-Control-Allow-Origin'] = '*'
        return cached
    cal = vobject.iCalendar()
    for event in Event.objects.scheduled().filter(privacy=privacy or 'public'):
        vevent = cal.add('vevent')
        vevent.add('summary').value = event.title
    response = http.HttpResponse(cal.serialize(), content_type='text/calendar; charset=utf-8')
    cache.set(cache_key, response, 60 * 10)

    # https://bugzilla.mozilla.org/show_bug.cgi?id=909516
    response['Access-Control-Allow-Origin'] = '*'
    return response


def edgecast_smil(request):
    context = {}
    for key, value in request.GET.items():
        context[key] = value
    response = render(request, 'main/edgecast_smil.xml', context)
    response['Content-Type'] = 'application/smil'
    response['Access-Control-Allow-Origin'] = '*'
    return response
'''


@pytest.mark.parametrize(("name", "code"), [("rna/utils.py", RESPONSE_CLASS), ("remo/api/views.py", READ_ONLY_VIEWSET),
                                            ("airmozilla/main/views/calendar.py", FEED)])
def test_cors_star_on_a_public_read_only_endpoint_passes(tmp_path: Path, name: str, code: str) -> None:
    assert one_place_findings(tmp_path, name, code) == []


# The same header where the endpoint is not one for anyone, or takes writes.
SESSION_FEED = FEED.replace("    cache_key = 'calendar_%s' % privacy\n",
                            "    cache_key = 'calendar_%s_%s' % (privacy, request.user.pk)\n", 1)
LOGIN_FEED = FEED.replace("def events_calendar_ical(", "@login_required\ndef events_calendar_ical(", 1)
CREDENTIALS = FEED.replace("    response['Access-Control-Allow-Origin'] = '*'\n    return response\n\n\ndef edgecast",
                           "    response['Access-Control-Allow-Origin'] = '*'\n"
                           "    response['Access-Control-Allow-Credentials'] = 'true'\n    return response\n\n\ndef edgecast", 1)
WRITES = FEED.replace("    cal = vobject.iCalendar()\n", "    FeedHit.objects.create(key=cache_key)\n    cal = vobject.iCalendar()\n", 1)
MODEL_VIEWSET = READ_ONLY_VIEWSET.replace("ReadOnlyModelViewSet", "ModelViewSet")
POST_VIEW = '''@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def submit_view(request):
    response = JsonResponse({"ok": True})
    response["Access-Control-Allow-Origin"] = "*"
    return response
'''
METHODS_HELPER = '''def add_cors_headers(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    return response
'''
# healthchecks' hc/api/decorators.py: a decorator that wraps views of every method.
DECORATOR = '''def cors(*methods):
    def decorator(f):
        @wraps(f)
        def wrapper(request, *args, **kwds):
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
            elif request.method in methods:
                response = f(request, *args, **kwds)
            else:
                response = HttpResponse(status=405)
            response["Access-Control-Allow-Origin"] = "*"
            return response
        return wrapper
    return decorator
'''


@pytest.mark.parametrize(("code", "line"), [(SESSION_FEED, 13), (LOGIN_FEED, 14), (WRITES, 13), (MODEL_VIEWSET, 7),
                                            (POST_VIEW, 5), (METHODS_HELPER, 2), (DECORATOR, 11)])
def test_cors_star_on_a_personal_or_writing_endpoint_stays(tmp_path: Path, code: str, line: int) -> None:
    found = one_place_findings(tmp_path, "app/views.py", code)
    assert (line, ACAO) in found


def test_cors_star_with_credentials_stays(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "app/views.py", CREDENTIALS) == [(13, ACAO), (23, ACAO), (24, ("header", "access-control-allow-credentials"))]


# balrog's admin/base.py: the app's after-request hook sends * only when the config says so.
AFTER_REQUEST = '''def create_app():
    flask_app = Flask(__name__)

    @flask_app.after_request
    def add_security_headers(response):
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Access-Control-Allow-Methods"] = "OPTIONS, GET, POST, PUT, DELETE"
        if "*" in flask_app.config["CORS_ORIGINS"]:
            response.headers["Access-Control-Allow-Origin"] = "*"
        elif "Origin" in request.headers and request.headers["Origin"] in flask_app.config["CORS_ORIGINS"]:
            response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
        return response

    return flask_app
'''


def test_cors_star_chosen_by_config_in_the_after_request_hook_passes(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "auslib/web/admin/base.py", AFTER_REQUEST) == []


def test_cors_star_hard_coded_in_the_after_request_hook_stays(tmp_path: Path) -> None:
    hard = AFTER_REQUEST.replace('if "*" in flask_app.config["CORS_ORIGINS"]:', 'if request.path.startswith("/api"):', 1)
    assert one_place_findings(tmp_path / "a", "auslib/web/admin/base.py", hard) == [(9, ACAO)]
    # chosen by config, but sent with credentials
    creds = AFTER_REQUEST.replace('        return response\n',
                                  '        response.headers["Access-Control-Allow-Credentials"] = "true"\n        return response\n', 1)
    assert (9, ACAO) in one_place_findings(tmp_path / "b", "auslib/web/admin/base.py", creds)


# airmozilla: a vendored release of a tool carries a config.py; the service's settings are a package.
VIEW = '''def home(request):
    response = render(request, "home.html")
    response["X-Frame-Options"] = "ALLOWALL"
    return response
'''
SETTINGS_INIT = "from .base import *  # NOQA\n"
SETTINGS_BASE = "SECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\nALLOWED_HOSTS = []\nCSP_DEFAULT_SRC = (\"'self'\",)\n"
VENDORED_CONFIG = "LOG_LEVEL = 1\nHOST = 'localhost'\nPORT = 5432\nUSER = 'root'\nPASSWORD = ''\nDATABASE = 'x'\nTIMEOUT = 3\n"


@pytest.mark.parametrize("vendored", ["mysql2postgres/py-mysql2pgsql-0.1.5/mysql2pgsql/lib/config.py",
                                      "site/vendor/dbtool/config.py", "site/third_party/dbtool/settings.py"])
def test_a_vendored_config_module_is_not_named_as_the_settings(tmp_path: Path, vendored: str) -> None:
    from hooks.checks.security_settings_in_one_place import HOOK
    from tests.helpers.security import FakeContext, make_repo

    make_repo(tmp_path, {"airmozilla/settings/__init__.py": SETTINGS_INIT, "airmozilla/settings/base.py": SETTINGS_BASE,
                         vendored: VENDORED_CONFIG, "airmozilla/main/views.py": VIEW})
    import os
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        ctx = FakeContext(HOOK, strict=True)
    finally:
        os.chdir(old)
    assert ctx.state.home == "airmozilla/settings/base.py"


def test_a_service_config_module_is_still_named(tmp_path: Path) -> None:
    files = {"dbtool/config.py": VENDORED_CONFIG, "dbtool/main/views.py": VIEW}
    from hooks.checks.security_settings_in_one_place import HOOK, check
    from tests.helpers.security import FakeContext, make_repo

    make_repo(tmp_path, files)
    import os
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        problems = list(check("dbtool/main/views.py", FakeContext(HOOK, strict=True)))  # type: ignore[arg-type]
    finally:
        os.chdir(old)
    assert len(problems) == 1 and "dbtool/config.py" in problems[0].message
    assert one_place_repo(tmp_path / "b", files) == [("dbtool/main/views.py", 3, ("header", "x-frame-options"))]


# balrog's scripts/get-prod-db-dump.py and mozillians' GraphQL view: the messages give the narrower remedy.
CHMOD = '''import os


def setLocalDBPermissions():
    os.chmod(LOCAL_DB_PATH, 0o666)
'''
GRAPHQL = '''class MozilliansGraphQLView(GraphQLView):
    @method_decorator(csrf_exempt)
    @method_decorator(csp_exempt)
    def dispatch(self, *args, **kwargs):
        return super(MozilliansGraphQLView, self).dispatch(*args, **kwargs)
'''


def test_world_writable_chmod_message_gives_the_mode_that_does(tmp_path: Path) -> None:
    from hooks.checks.security_settings_in_one_place import HOOK, check
    from tests.helpers.security import FakeContext, make_repo

    make_repo(tmp_path, {"scripts/get-prod-db-dump.py": CHMOD, "scripts/ok.py": CHMOD.replace("0o666", "0o644")})
    import os
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        ctx = FakeContext(HOOK, strict=True)
        problems = list(check("scripts/get-prod-db-dump.py", ctx))  # type: ignore[arg-type]
        assert list(check("scripts/ok.py", ctx)) == []  # type: ignore[arg-type]
    finally:
        os.chdir(old)
    assert [p.line for p in problems] == [5]
    assert "0o644" in problems[0].message and "set it in" not in problems[0].message


def test_csp_exempt_message_says_what_it_does_and_the_narrower_remedy(tmp_path: Path) -> None:
    from hooks.checks.security_settings_in_one_place import HOOK, check
    from tests.helpers.security import FakeContext

    path = tmp_path / "graphql_profiles/views.py"
    path.parent.mkdir(parents=True)
    path.write_text(GRAPHQL)
    import os
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        problems = list(check("graphql_profiles/views.py", FakeContext(HOOK, strict=True)))  # type: ignore[arg-type]
    finally:
        os.chdir(old)
    assert [(p.line, p.identity) for p in problems] == [(3, ("exempt", "csp_exempt"))]
    assert "in production too" in problems[0].message and "settings.DEBUG" in problems[0].message
