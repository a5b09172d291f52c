"""check-cache-rules after the first-wave held-out round 1: Django's cache
decorators made by a call and applied by a helper (``cache_control(**kwargs)``
returned to ``decorate_urlpatterns``), ``patch_cache_control(response,
**kwargs)`` and ``patch_response_headers`` in a view, and a FastAPI/Starlette
middleware given a public Cache-Control value are cache sites. Catch and
leave-alone cases on files shaped like real ones."""
from __future__ import annotations

import textwrap

import pytest

from hooks.checks.check_cache_rules.sites import scan_python


def py(text: str, path: str = "shop/utils/cache.py") -> list:
    return scan_python(path, textwrap.dedent(text))[0]


HELPER = """
    from django.conf import settings
    from django.views.decorators.cache import cache_control


    def get_default_cache_control_kwargs():
        s_maxage = getattr(settings, "CACHE_CONTROL_S_MAXAGE", None)
        kwargs = {"s_maxage": s_maxage, "public": True}
        return {k: v for k, v in kwargs.items() if v is not None}


    def get_default_cache_control_decorator():
        cache_control_kwargs = get_default_cache_control_kwargs()
        return cache_control(**cache_control_kwargs)
"""


def test_a_cache_control_decorator_made_by_a_helper_is_a_site() -> None:
    sites = py(HELPER)
    assert [(s.id, s.line, s.ttl, s.what) for s in sites] == [
        ("shop/utils/cache.py:get_default_cache_control_decorator", 14, None, "cache_control(...)")]
    assert "the arguments in **cache_control_kwargs" in sites[0].describe()


def test_a_decorator_made_in_urls_py_for_a_helper_to_apply_is_a_site() -> None:
    sites = py("""
        from django.views.decorators.cache import cache_control, never_cache
        from wagtail.utils.urlpatterns import decorate_urlpatterns

        urlpatterns = decorate_urlpatterns(urlpatterns, cache_control(public=True, s_maxage=600))
        private_urlpatterns = decorate_urlpatterns(private_urlpatterns, never_cache)
        admin_urlpatterns = decorate_urlpatterns(admin_urlpatterns, cache_control(private=True))
    """, "shop/urls.py")
    assert [(s.id, s.line, s.ttl) for s in sites] == [("shop/urls.py", 5, 600)]


def test_patch_cache_control_with_kwargs_and_patch_response_headers_in_views() -> None:
    sites = py("""
        from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_response_headers
        from shop.utils.cache import get_default_cache_control_kwargs

        def search(request):
            response = render(request, "search.html")
            if request.GET.get("q"):
                add_never_cache_headers(response)
            else:
                patch_cache_control(response, **get_default_cache_control_kwargs())
            return response

        def feed(request):
            response = render(request, "feed.xml")
            patch_response_headers(response, cache_timeout=300)
            return response

        def legacy(request):
            response = render(request, "legacy.html")
            patch_response_headers(response)
            return response
    """, "shop/views.py")
    assert [(s.id, s.ttl, s.ttl_text) for s in sites] == [
        ("shop/views.py:search", None, "the arguments in **get_default_cache_control_kwargs()"),
        ("shop/views.py:feed", 300, "300"),
        ("shop/views.py:legacy", None, "settings.CACHE_MIDDLEWARE_SECONDS"),
    ]


@pytest.mark.parametrize("call", ["patch_response_headers(response, cache_timeout=0)",
                                  "patch_response_headers(response, -1)",
                                  "patch_cache_control(response, no_store=True, **extra)",
                                  "patch_cache_control(response, private=True)"])
def test_patchers_that_turn_caching_off_are_left_alone(call: str) -> None:
    assert py(f"""
        from django.utils.cache import patch_cache_control, patch_response_headers

        def account(request):
            response = render(request, "account.html")
            {call}
            return response
    """, "shop/views.py") == []


def test_decorators_already_counted_are_not_counted_twice() -> None:
    sites = py("""
        from django.utils.decorators import method_decorator
        from django.views.decorators.cache import cache_page

        @method_decorator(cache_page(300), name="dispatch")
        class PriceList(TemplateView):
            template_name = "prices.html"

        urlpatterns = [path("about/", cache_page(600)(views.about))]
    """, "shop/views.py")
    assert [(s.id, s.ttl) for s in sites] == [("shop/views.py:PriceList", 300), ("shop/views.py:views.about", 600)]


MAIN = """
    from fastapi import FastAPI
    from starlette.middleware import Middleware

    from .middleware import CacheControlMiddleware, LoggingMiddleware, TotalTimeMiddleware

    app = FastAPI(title="air quality")
    app.add_middleware(CacheControlMiddleware, cachecontrol="public, max-age=900")
    app.add_middleware(TotalTimeMiddleware)
    app.add_middleware(LoggingMiddleware, level="info")
"""


def test_a_middleware_given_a_public_cache_control_value_is_a_site() -> None:
    sites = py(MAIN, "api/main.py")
    assert [(s.id, s.line, s.ttl) for s in sites] == [("api/main.py:CacheControlMiddleware", 8, 900)]


@pytest.mark.parametrize("value", ["private, max-age=900", "no-store", "public, max-age=0", "public, no-store, max-age=60"])
def test_a_middleware_given_a_private_or_zero_cache_control_value_is_left_alone(value: str) -> None:
    text = MAIN.replace("public, max-age=900", value)
    assert py(text, "api/main.py") == []
