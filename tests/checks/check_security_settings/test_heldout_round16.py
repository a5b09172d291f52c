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
