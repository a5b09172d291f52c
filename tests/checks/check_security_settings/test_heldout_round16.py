"""check-security-settings, held-out round 16: a dependency's ``CsrfViewMiddleware`` (a subclass of
Django's that the repository cannot show, such as one that only adds a failure view) is the CSRF
protection; a dependency's middleware of another name is not. Settings shaped like the round's
(a base layer with MIDDLEWARE_CLASSES, a production layer star-importing it)."""
from __future__ import annotations

from pathlib import Path

from tests.helpers.security import COMMON_MIDDLEWARE as COMMON
from tests.helpers.security import layered_django_lines as django_lines

SECURITY = ["django.middleware.security.SecurityMiddleware"]
HSTS = "SECURE_HSTS_SECONDS = 31536000\nCSRF_COOKIE_SECURE = True"


def test_a_dependencys_csrf_view_middleware_is_the_csrf_protection(tmp_path: Path) -> None:
    out = django_lines(tmp_path, COMMON + SECURITY + ["mtp_common.auth.csrf.CsrfViewMiddleware"], HSTS)
    assert not [m for m in out if "CsrfViewMiddleware is not in" in m], out


def test_a_dependencys_middleware_of_another_name_is_not(tmp_path: Path) -> None:
    out = django_lines(tmp_path, COMMON + SECURITY + ["mtp_common.auth.csrf.CsrfFailureLogger"], HSTS)
    assert [m for m in out if "CsrfViewMiddleware is not in" in m], out


# ---- a per-site settings overlay (playdoh ``settings/sites/prod/settings_base.py``) ----------------

def _hook_lines(tmp_path: Path, files: dict[str, str]) -> tuple[list[str], list[str]]:
    from hooks.checks.check_security_settings import HOOK
    from tests.helpers.security import run_files_hook

    problems, ctx = run_files_hook(HOOK, tmp_path, files, None)
    return [f"{p.path}:{p.line}: {p.message}" for p in problems], ctx.notices


SITE_BASE = '''import logging
from funfactory.settings_base import *  # noqa

INSTALLED_APPS = ['django.contrib.sessions', 'pay']
LOGGING = {
    'loggers': {
        'django.request': {'level': 'INFO', 'handlers': ['console', 'sentry']},
    },
    'handlers': {'sentry': {'level': 'ERROR', 'class': 'raven.handlers.SentryHandler'}},
}
MIDDLEWARE_CLASSES = (
    'django.middleware.common.CommonMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'session_csrf.CsrfMiddleware',
    'commonware.middleware.FrameOptionsHeader',
)
ROOT_URLCONF = 'pay.urls'
SECRET_KEY = 'please change this'
BASE_PASSWORD_HASHERS = ('django_sha2.hashers.BcryptHMACCombinedPasswordVerifier',)
'''
SITE_PROD = '''"""private_base will be populated from puppet and placed in this directory"""
import private_base as private

from pay.settings import base

DOMAIN = 'pay.example.com'
ALLOWED_HOSTS = [DOMAIN]
DEBUG = TEMPLATE_DEBUG = False
PASSWORD_HASHERS = list(base.BASE_PASSWORD_HASHERS)
SECRET_KEY = private.SECRET_KEY
SESSION_COOKIE_SECURE = True
'''
SITE_INIT = "from .base import *  # noqa\ntry:\n    from .local import *  # noqa\nexcept ImportError, exc:\n    print 'No local.py imported, skipping.'\n"


def _site_files(prod: str, pin: str = "Django==1.5.9\n") -> dict[str, str]:
    return {"pay/__init__.py": "", "pay/settings/__init__.py": SITE_INIT, "pay/settings/base.py": SITE_BASE,
            "pay/settings/sites/__init__.py": "", "pay/settings/sites/prod/__init__.py": "",
            "pay/settings/sites/prod/settings_base.py": prod, "requirements/prod.txt": pin}


def test_a_site_overlay_is_judged_over_the_base_it_reads(tmp_path: Path) -> None:
    out, _ = _hook_lines(tmp_path, _site_files(SITE_PROD))
    # the base's session_csrf, FrameOptionsHeader and LOGGING count; Django 1.5 has no SecurityMiddleware to add
    assert not out, out


def test_a_site_module_that_reads_no_base_is_still_judged_alone(tmp_path: Path) -> None:
    prod = SITE_PROD.replace("from pay.settings import base\n", "").replace("list(base.BASE_PASSWORD_HASHERS)", "['x']") \
        + "INSTALLED_APPS = ['django.contrib.sessions', 'pay']\nMIDDLEWARE_CLASSES = ('django.middleware.common.CommonMiddleware',)\n"
    out, _ = _hook_lines(tmp_path, _site_files(prod))
    assert [m for m in out if "CsrfViewMiddleware is not in MIDDLEWARE_CLASSES" in m], out
    assert [m for m in out if "XFrameOptionsMiddleware is not in MIDDLEWARE_CLASSES" in m], out
    assert [m for m in out if "LOGGING is not set" in m], out


def test_a_site_overlay_over_a_base_without_csrf_is_a_finding(tmp_path: Path) -> None:
    files = _site_files(SITE_PROD)
    files["pay/settings/base.py"] = SITE_BASE.replace("    'session_csrf.CsrfMiddleware',\n", "")
    out, _ = _hook_lines(tmp_path, files)
    assert [m for m in out if "CsrfViewMiddleware is not in MIDDLEWARE_CLASSES (pay/settings/base.py:" in m], out


def test_security_middleware_advice_fits_the_pinned_django(tmp_path: Path) -> None:
    old, _ = _hook_lines(tmp_path / "a", _site_files(SITE_PROD, "Django==1.5.9\n"))
    assert not [m for m in old if "SecurityMiddleware" in m], old
    mid, _ = _hook_lines(tmp_path / "b", _site_files(SITE_PROD, "Django==1.11.29\n"))
    assert [m for m in mid if "add 'django.middleware.security.SecurityMiddleware' to MIDDLEWARE_CLASSES with SECURE_HSTS_SECONDS" in m], mid
    new, _ = _hook_lines(tmp_path / "c", _site_files(SITE_PROD, "Django==4.2.7\n"))
    assert [m for m in new if m.endswith("add 'django.middleware.security.SecurityMiddleware' to MIDDLEWARE_CLASSES")], new


def test_django_security_logger_is_asked_for_from_django_1_6(tmp_path: Path) -> None:
    old, _ = _hook_lines(tmp_path / "a", _site_files(SITE_PROD, "Django==1.5.9\n"))
    assert not [m for m in old if "django.security" in m], old
    files = _site_files(SITE_PROD, "Django==1.8.19\n")
    files["pay/settings/base.py"] = SITE_BASE.replace("LOGGING = {\n", "LOGGING = {\n    'version': 1,\n")
    new, _ = _hook_lines(tmp_path / "b", files)
    assert [m for m in new if "no handler that django.security reaches" in m], new


# ---- the root logger's level, through its handlers' levels ----------------------------------------

def _logging_files(root_handlers: str, handler_level: str) -> dict[str, str]:
    prod = ("from .common import *\n\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nSECURE_HSTS_SECONDS = 31536000\n"
            "SECURE_SSL_REDIRECT = True\nALLOWED_HOSTS = ['app.example.org']\nSECRET_KEY = os.environ['SECRET_KEY']\n"
            "LOGGING = {\n    'version': 1,\n    'handlers': {\n"
            f"        'logfile': {{'level': '{handler_level}', 'class': 'logging.FileHandler', 'filename': 'x.log'}},\n"
            "        'audit': {'level': 'DEBUG', 'class': 'logging.FileHandler', 'filename': 'audit.log'},\n    },\n"
            "    'loggers': {\n"
            f"        '': {{'level': 'DEBUG', 'handlers': {root_handlers}}},\n"
            "        'app.audit': {'level': 'INFO', 'handlers': ['audit'], 'propagate': False},\n    },\n}\n")
    common = ("import os\nINSTALLED_APPS = ['django.contrib.sessions']\nMIDDLEWARE_CLASSES = [\n"
              + "".join(f"    {m!r},\n" for m in COMMON + SECURITY + ["django.middleware.csrf.CsrfViewMiddleware"]) + "]\n")
    return {"svc/__init__.py": "", "svc/settings/__init__.py": "", "svc/settings/common.py": common,
            "svc/settings/production.py": prod, "requirements.txt": "Django==1.11.29\n"}


def test_a_debug_root_logger_whose_handlers_are_all_at_warning_writes_no_debug(tmp_path: Path) -> None:
    out, _ = _hook_lines(tmp_path, _logging_files("['logfile']", "WARNING"))
    assert not [m for m in out if "at DEBUG" in m], out


def test_a_debug_root_logger_with_a_handler_at_debug_is_a_finding(tmp_path: Path) -> None:
    out, _ = _hook_lines(tmp_path / "a", _logging_files("['logfile', 'audit']", "WARNING"))
    assert [m for m in out if "LOGGING's root logger is at DEBUG" in m], out
    out, _ = _hook_lines(tmp_path / "b", _logging_files("['logfile']", "NOTSET"))
    assert [m for m in out if "LOGGING's root logger is at DEBUG" in m], out


# ---- a settings package whose __init__.py is Python 2 ---------------------------------------------

PY2_BASE = "SECRET_KEY = 'k8#2mq!vz0r7x@w1p4n6b9c3d5f8g2h0j7l1s4t6y9u3e5a8q2'\nINSTALLED_APPS = ['django.contrib.sessions']\n" \
           "MIDDLEWARE_CLASSES = ('django.middleware.common.CommonMiddleware',)\nALLOWED_HOSTS = ['app.example.org']\n"
PY2_WSGI = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"


def test_a_python2_settings_init_is_read_and_its_layers_judged(tmp_path: Path) -> None:
    init = "import sys\n\nfrom .base import *\n\ntry:\n    from .local import *\nexcept ImportError, exc:\n    print 'no local.py'\n"
    out, notices = _hook_lines(tmp_path, {"app/__init__.py": "", "app/settings/__init__.py": init, "app/settings/base.py": PY2_BASE,
                                          "app/wsgi.py": PY2_WSGI})
    assert [m for m in out if m.startswith("app/settings/__init__.py:1: headers: CsrfViewMiddleware is not in MIDDLEWARE_CLASSES "
                                           "(app/settings/base.py:3)")], (out, notices)
    assert not [n for n in notices if "no production settings found" in n], notices


def test_a_python2_settings_init_that_cannot_be_read_is_named_in_one_notice(tmp_path: Path) -> None:
    init = "from .base import *\n\ntry:\n    from .local import *\nexcept ImportError, exc:\n    print 'no local.py: %s' % (\n        exc)\n"
    out, notices = _hook_lines(tmp_path, {"app/__init__.py": "", "app/settings/__init__.py": init, "app/settings/base.py": PY2_BASE,
                                          "app/wsgi.py": PY2_WSGI})
    assert not out, out
    found = [n for n in notices if "no production settings found" in n]
    assert len(found) == 1 and "app/settings/__init__.py is Python 2 and could not be read" in found[0], notices


def test_no_python2_notice_where_the_settings_parse(tmp_path: Path) -> None:
    _, notices = _hook_lines(tmp_path, {"app/__init__.py": "", "app/settings.py": "DEBUG = False\n", "app/util.py": "print 'x'\n"})
    assert not [n for n in notices if "Python 2" in n], notices


def test_playdoh_middlewares_and_a_merged_logging_dict_count(tmp_path: Path) -> None:
    # affiliates-shaped: no pin (Django vendored), commonware's HSTS, a project subclass of commonware's
    # FrameOptionsHeader (a Python 2 module), LOGGING without 'version' that funfactory merges
    files = _site_files(SITE_PROD, "")
    files["vendor-local/packages/tag/requirements.txt"] = "Django>=1.0\n"
    files["pay/base/__init__.py"] = ""
    files["pay/base/middleware.py"] = ("from commonware.response.middleware import FrameOptionsHeader as Base\n\n\n"
                                       "class FrameOptionsHeader(Base):\n    def process_response(self, request, response):\n"
                                       "        print 'framing'\n        return super(FrameOptionsHeader, self).process_response(request, response)\n")
    files["pay/settings/base.py"] = SITE_BASE.replace("'commonware.middleware.FrameOptionsHeader'", "'pay.base.middleware.FrameOptionsHeader',\n"
                                                      "    'commonware.middleware.StrictTransportMiddleware'")
    out, _ = _hook_lines(tmp_path, files)
    assert not out, out


def test_without_them_the_same_project_is_told(tmp_path: Path) -> None:
    files = _site_files(SITE_PROD, "Django==1.8.19\n")
    files["pay/settings/base.py"] = SITE_BASE.replace("    'commonware.middleware.FrameOptionsHeader',\n", "") \
        .replace("LOGGING = {\n", "LOGGING = {\n    'version': 1,\n")
    out, _ = _hook_lines(tmp_path, files)
    assert [m for m in out if "XFrameOptionsMiddleware is not in MIDDLEWARE_CLASSES" in m], out
    assert [m for m in out if "SecurityMiddleware is not in MIDDLEWARE_CLASSES" in m], out
    assert [m for m in out if "no handler that django.security reaches" in m], out
