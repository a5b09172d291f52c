"""security-settings-in-one-place: held-out round 14. An app that builds its own url list
in a class (a file browser's ``get_urls``) and exempts one of its methods inline,
``login_required(csrf_exempt(self._upload_file))``, outside any ``urls.py``; and the
notice for a module the hooks cannot parse, which now names the exemption it hides."""
from __future__ import annotations

from pathlib import Path

from hooks.config import python_trees
from tests.helpers.security import FakeContext, one_place_findings

SITE = '''import os

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


class MediaBrowserSite:

    def __init__(self, name, storage):
        self.name = name
        self.storage = storage

    def browser_view(self, view):
        return login_required(view)

    def get_urls(self):
        return [
            path("browse/", self.browser_view(self.browse), name="mb_browse"),
            # non-views
            #path("upload_file/", staff_member_required(csrf_exempt(self._upload_file)), name="mb_do_upload"),
            path("upload_file/", login_required(csrf_exempt(self._upload_file)), name="mb_do_upload"),
        ]

    def browse(self, request):
        return HttpResponse(", ".join(self.storage.listdir(request.GET.get("dir", ""))[1]))

    def _upload_file(self, request):
        """Upload a file to the server."""
        if request.method == "POST":
            if request.is_ajax():  # the uploader's XHR
                folder = request.GET.get("folder")
                try:
                    name = request.GET["qqfile"]
                except KeyError:
                    return HttpResponseBadRequest("Invalid request! No filename given.")
            else:  # a plain form post
                folder = request.POST.get("folder")
                if len(request.FILES) != 1:
                    raise Http404("Invalid request! Multiple files included.")
                name = request.POST.get("file_name")
            upload = request.FILES["file"]
            upload.name = name
            saved = self.storage.save(os.path.join(folder, upload.name), upload)
            return JsonResponse({"success": True, "filename": saved})
        return HttpResponse(status=405)
'''

LINE = 23  # the csrf_exempt(self._upload_file) call


def test_an_inline_exemption_of_a_method_in_a_class_built_url_list_is_read(tmp_path: Path) -> None:
    assert one_place_findings(tmp_path, "mediabrowser/sites.py", SITE, strict=False) == [(LINE, ("exempt", "csrf_exempt"))]
    # re_path()/url() and a staff decorator: the same
    staff = SITE.replace("login_required(csrf_exempt", "staff_member_required(csrf_exempt").replace(
        "from django.contrib.auth.decorators import login_required",
        "from django.contrib.auth.decorators import login_required\nfrom django.contrib.admin.views.decorators import staff_member_required")
    assert one_place_findings(tmp_path / "b", "mediabrowser/sites.py", staff, strict=False) == [(LINE + 1, ("exempt", "csrf_exempt"))]


FORM_BRANCH = """            else:  # a plain form post
                folder = request.POST.get("folder")"""


def test_an_ajax_only_method_is_gated_still(tmp_path: Path) -> None:
    # the form branch turns the request away itself: only the uploader's XHR (X-Requested-With) gets through
    ajax_only = SITE.replace(FORM_BRANCH, FORM_BRANCH.split("\n")[0] + '\n                return HttpResponseBadRequest("AJAX only")')
    assert one_place_findings(tmp_path, "mediabrowser/sites.py", ajax_only, strict=False) == []


def test_an_inline_exemption_keeps_every_leave_alone_rule(tmp_path: Path) -> None:
    # a reason comment on the line above
    reason = SITE.replace('            path("upload_file/"',
                          '            # the AJAX uploader posts without a token; the iframe form is gone\n            path("upload_file/"')
    assert one_place_findings(tmp_path / "a", "mediabrowser/sites.py", reason, strict=False) == []
    # a safe-methods-only decorator applied inline: Django checks CSRF on unsafe methods only
    safe = SITE.replace("login_required(csrf_exempt(self._upload_file))", "require_GET(csrf_exempt(self._upload_file))")
    assert one_place_findings(tmp_path / "b", "mediabrowser/sites.py", safe, strict=False) == []
    # a method that reads no user and no session, with no sign-in wrapper: a forged post does what anyone's does
    anonymous = SITE.replace("login_required(csrf_exempt(self._upload_file))", "csrf_exempt(self._upload_file)")
    assert one_place_findings(tmp_path / "c", "mediabrowser/sites.py", anonymous, strict=False) == []
    # a method that only reads
    reads = SITE.replace("csrf_exempt(self._upload_file)", "csrf_exempt(self.browse)")
    assert one_place_findings(tmp_path / "d", "mediabrowser/sites.py", reads, strict=False) == []
    # vendored code is not the service
    assert one_place_findings(tmp_path / "e", "vendor/mediabrowser/sites.py", SITE, strict=False) == []
    # a method the class does not define (a base elsewhere, a mixin): no evidence, as for a module attribute
    missing = SITE.replace("csrf_exempt(self._upload_file)", "csrf_exempt(self._upload_elsewhere)")
    assert one_place_findings(tmp_path / "f", "mediabrowser/sites.py", missing, strict=False) == []


def test_a_method_of_a_base_in_the_module_is_found(tmp_path: Path) -> None:
    based = SITE.replace("class MediaBrowserSite:", "class UploadMixin:\n    pass\n\n\nclass MediaBrowserSite(UploadMixin):")
    moved = based.replace("    def _upload_file(self, request):", "    def _upload_file_(self, request):")
    # the method lives on the base: read there
    base_side = moved.replace("class UploadMixin:\n    pass\n", "class UploadMixin:\n    storage = None\n\n"
                              "    def _upload_file(self, request):\n        self.storage.save(request.POST['name'], request.FILES['file'])\n"
                              "        return HttpResponse('ok')\n")
    assert one_place_findings(tmp_path, "mediabrowser/sites.py", base_side, strict=False) == [(LINE + 8, ("exempt", "csrf_exempt"))]


PYTHON2_VIEWS = '''from django.contrib.auth.decorators import login_required
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
@login_required
def cart_add(request, user_id):
    try:
        Cart.objects.get(user__id=user_id).items.create(name=request.POST['name'])
    except OSError, (errno, strerror):
        print "cannot add: %s" % strerror
    return HttpResponse('ok')
'''


def _notice(root: Path, name: str, code: str) -> dict[str, tuple[int, str]]:
    import os

    from hooks.checks.security_settings_in_one_place import HOOK, check

    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(code)
    old = os.getcwd()
    os.chdir(root)
    python_trees.take()
    try:
        assert list(check(name, FakeContext(HOOK))) == []
        return python_trees.take()
    finally:
        os.chdir(old)


def test_a_python2_module_with_an_exemption_says_it_was_not_judged(tmp_path: Path) -> None:
    # `except E, (errno, strerror):` is Python 2 (it was skipped quietly as broken before)
    assert _notice(tmp_path, "cart/views.py", PYTHON2_VIEWS) == {
        "cart/views.py": (10, "Python 2 syntax: the hooks read Python 3; this file is not checked; its csrf_exempt was not judged")}
    daemon = "import os\n\ndef daemonize():\n    os.umask(0)\n    os.chmod('/var/run/x.pid', 0644)\n"
    assert _notice(tmp_path, "tools/daemon.py", daemon) == {
        "tools/daemon.py": (5, "Python 2 syntax: the hooks read Python 3; this file is not checked; "
                               "its os.umask and chmod were not judged")}


def test_a_python2_module_without_an_exemption_keeps_the_plain_notice(tmp_path: Path) -> None:
    # (a file that names none of the hook's words is not even parsed: no notice at all)
    plain = PYTHON2_VIEWS.replace("csrf import csrf_exempt", "clickjacking import xframe_options_exempt").replace(
        "@csrf_exempt", "@xframe_options_exempt")
    assert _notice(tmp_path, "cart/views.py", plain) == {
        "cart/views.py": (10, "Python 2 syntax: the hooks read Python 3; this file is not checked")}
    # a shell command in a string is no file mode
    shell = 'import os\n\nCOMMAND = "chmod 750 %s"\nprint "running", COMMAND\n'
    assert _notice(tmp_path, "tools/deploy.py", shell) == {
        "tools/deploy.py": (4, "Python 2 syntax: the hooks read Python 3; this file is not checked")}
