"""check-cache-rules: cache sites in Django, Flask-Caching and nginx, and sites against rules."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from hooks.checks.check_cache_rules.code import check_sites, collect
from hooks.checks.check_cache_rules.schema import read_rules
from hooks.checks.check_cache_rules.sites import scan_nginx, scan_python


def py(text: str, path: str = "blog/views.py") -> list:
    return scan_python(path, textwrap.dedent(text))[0]


def one(text: str, path: str = "blog/views.py"):  # type: ignore[no-untyped-def]
    sites = py(text, path)
    assert len(sites) == 1, sites
    return sites[0]


# -- Django -------------------------------------------------------------------------------
def test_cache_page_decorator_is_a_site_with_its_ttl() -> None:
    site = one("""
        from django.views.decorators.cache import cache_page

        @cache_page(60 * 15)
        def article_list(request):
            return render(request, "blog/list.html")
    """)
    assert (site.id, site.line, site.ttl, site.what) == ("blog/views.py:article_list", 4, 900, "@cache_page")


def test_a_view_without_a_cache_decorator_is_not_a_site() -> None:
    assert py("""
        from django.views.decorators.cache import never_cache
        from django.contrib.auth.decorators import login_required

        @never_cache
        @login_required
        def account(request):
            cache = caches["default"]
            return cache.get("x")
    """) == []


def test_cache_page_in_urls_py_names_the_view() -> None:
    sites = py("""
        from django.urls import path
        from django.views.decorators.cache import cache_page
        from . import views

        urlpatterns = [
            path("sitemap.xml", cache_page(60 * 60 * 6)(views.sitemap), name="sitemap"),
            path("about/", cache_page(timeout=600)(views.About.as_view())),
            path("contact/", views.contact),
        ]
    """, "blog/urls.py")
    assert [(s.id, s.line, s.ttl) for s in sites] == [
        ("blog/urls.py:views.sitemap", 7, 21600),
        ("blog/urls.py:views.About", 8, 600),
    ]


def test_cache_page_with_a_settings_value_or_module_constant_or_timedelta() -> None:
    sites = py("""
        from datetime import timedelta
        from django.conf import settings
        from django.views.decorators.cache import cache_page as cp
        HOUR = 60 * 60

        @cp(HOUR)
        def a(request): ...

        @cp(int(timedelta(minutes=5).total_seconds()))
        def b(request): ...

        @cp(settings.PAGE_TTL)
        def c(request): ...
    """)
    assert [(s.name, s.ttl, s.ttl_text) for s in sites] == [
        ("a", 3600, "HOUR"), ("b", None, "int(timedelta(minutes=5).total_seconds())"), ("c", None, "settings.PAGE_TTL"),
    ]


def test_method_decorator_on_a_class_based_view() -> None:
    site = one("""
        from django.utils.decorators import method_decorator
        from django.views.decorators.cache import cache_page

        @method_decorator(cache_page(300), name="dispatch")
        class PriceList(TemplateView):
            template_name = "prices.html"
    """)
    assert (site.id, site.ttl) == ("blog/views.py:PriceList", 300)


@pytest.mark.parametrize("args, ttl", [("max_age=3600, public=True", 3600), ("public=True, s_maxage=60, max_age=5", 60),
                                       ("public=True", None)])
def test_cache_control_that_caches_is_a_site(args: str, ttl: int | None) -> None:
    site = one(f"""
        from django.views.decorators.cache import cache_control

        @cache_control({args})
        def logo(request): ...
    """)
    assert site.ttl == ttl and site.what == "@cache_control"


@pytest.mark.parametrize("args", ["no_store=True", "private=True", "no_cache=True, max_age=60", "max_age=0",
                                  "private=True, must_revalidate=True"])
def test_cache_control_that_turns_caching_off_is_left_alone(args: str) -> None:
    assert py(f"""
        from django.views.decorators.cache import cache_control

        @cache_control({args})
        def account(request): ...
    """) == []


def test_patch_cache_control_in_a_view_and_not_when_private() -> None:
    sites = py("""
        from django.utils.cache import patch_cache_control

        def feed(request):
            response = render(request, "feed.xml")
            patch_cache_control(response, public=True, max_age=300)
            return response

        def preview(request):
            response = render(request, "preview.html")
            patch_cache_control(response, private=True)
            return response
    """)
    assert [(s.id, s.line, s.ttl) for s in sites] == [("blog/views.py:feed", 6, 300)]


def test_vary_on_decorators_join_the_cache_site_or_stand_alone() -> None:
    sites = py("""
        from django.views.decorators.cache import cache_page
        from django.views.decorators.vary import vary_on_cookie, vary_on_headers

        @cache_page(60)
        @vary_on_headers("Accept-Language", "User-Agent")
        def home(request): ...

        @vary_on_cookie
        def menu(request): ...
    """)
    assert [(s.name, s.line, s.vary, s.what) for s in sites] == [
        ("home", 5, ["Accept-Language", "User-Agent"], "@cache_page @vary_on_headers"),
        ("menu", 9, ["Cookie"], "@vary_on_cookie (Vary)"),
    ]


def test_cache_middleware_with_its_seconds_in_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "settings").mkdir()
    (tmp_path / "settings" / "base.py").write_text(textwrap.dedent("""
        MIDDLEWARE = [
            "django.middleware.cache.UpdateCacheMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.cache.FetchFromCacheMiddleware",
        ]
    """))
    (tmp_path / "settings" / "prod.py").write_text("from .base import *\nCACHE_MIDDLEWARE_SECONDS = 60 * 5\n")
    sites = collect(["settings/base.py", "settings/prod.py"]).sites
    assert [(s.id, s.line, s.ttl) for s in sites] == [("settings/base.py:MIDDLEWARE", 3, 300)]


def test_cache_middleware_seconds_alone_is_no_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "settings.py").write_text('CACHE_MIDDLEWARE_SECONDS = 60\nMIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\n')
    assert collect(["settings.py"]).sites == []


# -- Flask-Caching -------------------------------------------------------------------------
def test_flask_cached_view_and_memoized_function() -> None:
    sites = py("""
        from flask_caching import Cache
        cache = Cache()

        @app.route("/")
        @cache.cached(timeout=50)
        def index():
            return render_template("index.html")

        @cache.memoize(300)
        def standings(bracket):
            return query(bracket)

        class Scoreboard(Resource):
            @cache.cached(timeout=60, key_prefix=make_cache_key)
            def get(self):
                return standings(None)
    """, "app/views.py")
    assert [(s.id, s.ttl, s.page) for s in sites] == [
        ("app/views.py:index", 50, True), ("app/views.py:standings", 300, False), ("app/views.py:Scoreboard.get", 60, True),
    ]


def test_flask_cached_with_a_fixed_key_outside_a_view_caches_a_value() -> None:
    site = one("""
        class Setting(db.Model):
            @classmethod
            @cache.cached(key_prefix="settings")
            def as_dict(cls):
                return {}
    """, "app/models.py")
    assert (site.page, site.ttl, site.ttl_text) == (False, None, "the default timeout")


def test_other_objects_with_cached_or_memoize_methods_are_left_alone() -> None:
    assert py("""
        from functools import lru_cache

        @lru_cache(maxsize=None)
        def settings(): ...

        @property
        @functools.cached_property
        def total(self): ...

        @jinja_env.memoize()
        def template(): ...
    """, "app/util.py") == []


def test_a_syntax_error_is_skipped_quietly() -> None:
    assert scan_python("bad.py", "@cache_page(60\ndef x(:\n") == ([], {}, None, None)


# -- nginx ------------------------------------------------------------------------------------
NGINX = """\
# the billing front
proxy_cache_path /var/cache/nginx keys_zone=pages:10m;
server {
    listen 80;
    location /blog/ {
        proxy_cache pages;
        proxy_cache_valid 404 1m;
        proxy_cache_valid 200 302 10m;
        proxy_cache_bypass $cookie_sessionid $http_authorization $arg_preview;
        proxy_pass http://app;
    }
    location ~ ^/static/ {
        expires 30d;
    }
    location /php/ {
        fastcgi_cache_valid 5m; # cache-rule: legacy-php
    }
}
"""


def test_nginx_cache_valid_and_bypass_are_one_site_per_location() -> None:
    sites = scan_nginx("deploy/nginx/site.conf", NGINX)
    assert [(s.id, s.line, s.ttl, s.what) for s in sites] == [
        ("deploy/nginx/site.conf:/blog/", 8, 600, "proxy_cache_valid"),
        ("deploy/nginx/site.conf:/php/", 16, 300, "fastcgi_cache_valid"),
    ]
    assert sites[0].bypass == [("cookie", "sessionid"), ("header", "authorization"), ("query", "preview")]


def test_nginx_without_cache_directives_and_commented_out_ones_are_left_alone() -> None:
    text = "server {\n  location / {\n    proxy_cache off;\n    # proxy_cache_valid 200 1h;\n    expires 1h;\n  }\n}\n"
    assert scan_nginx("nginx.conf", text) == []


def test_nginx_quoted_words_and_unbalanced_braces_do_not_crash() -> None:
    text = 'server { location "/a b/" { proxy_cache_valid any "1h"; } } }\nlocation /x { proxy_cache_valid 200 2h30m;'
    sites = scan_nginx("n.conf", text)
    assert [(s.name, s.ttl) for s in sites] == [("/a b/", 3600), ("/x", 9000)]


# -- sites against rules ------------------------------------------------------------------------
RULES = """\
rules:
  - name: blog-pages
    why: article pages change at most hourly
    owner: web-team
    match: {paths: ["/blog/**"]}
    ttl: 15m
    vary: [Accept-Language]
    bypass: [{cookie: sessionid}, {header: Authorization}, {query: preview}]
    sites: ["blog/views.py:article_list", "blog/views.py:gone_view"]
    examples: {cached: [/blog/], not_cached: [/blog/?preview=1]}
  - name: scores
    why: the standings query is slow
    owner: ctf
    ttl: 5m
"""


def _tie(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], rules: str = RULES) -> list[str]:
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        os.makedirs(os.path.dirname(name) or ".", exist_ok=True)
        Path(name).write_text(textwrap.dedent(text))
    found = collect(files)
    ruleset = read_rules("cache-rules.yaml", rules)
    return [f"{p.path}:{p.line}: {p.message}" for p in check_sites(ruleset, found.sites, "cache-rules.yaml")]


VIEWS = """\
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_headers

@cache_page(60 * 15)
@vary_on_headers("Accept-Language")
def article_list(request): ...

# cache-rule: scores
@cache.memoize(300)
def standings(): ...
"""


def test_sites_tied_by_the_rule_or_a_comment_pass_and_a_missing_site_is_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _tie(tmp_path, monkeypatch, {"blog/views.py": VIEWS})
    assert found == ["cache-rules.yaml:9: rule 'blog-pages' lists site 'blog/views.py:gone_view', but no cache site is "
                     "there any more: remove it or fix the name (stale)"]


def test_an_undocumented_site_is_reported_at_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = VIEWS + "\n@cache_page(60)\ndef article_detail(request, slug): ...\n"
    found = _tie(tmp_path, monkeypatch, {"blog/views.py": text}, RULES.replace(', "blog/views.py:gone_view"', ""))
    assert found == ["blog/views.py:12: @cache_page on article_detail caches for 1m, but no rule in cache-rules.yaml "
                     "covers it: add 'blog/views.py:article_detail' to a rule's sites, or a `# cache-rule: <name>` comment here"]


def test_a_ttl_mismatch_names_both_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = VIEWS.replace("60 * 15", "60 * 60")
    found = _tie(tmp_path, monkeypatch, {"blog/views.py": text}, RULES.replace(', "blog/views.py:gone_view"', ""))
    assert found == ["blog/views.py:4: @cache_page @vary_on_headers on article_list caches for 1h (60 * 60), but rule 'blog-pages' "
                     "(cache-rules.yaml:6) says ttl 15m: make them agree"]


def test_a_comment_naming_no_rule_gets_a_suggestion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = VIEWS.replace("cache-rule: scores", "cache-rule: score")
    found = _tie(tmp_path, monkeypatch, {"blog/views.py": text}, RULES.replace(', "blog/views.py:gone_view"', ""))
    assert found == ["blog/views.py:8: `# cache-rule: score` names no rule in cache-rules.yaml: did you mean 'scores'?"]


def test_vary_missing_from_the_rule_and_a_page_site_under_a_function_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = VIEWS.replace("@cache.memoize(300)", "@app.route('/s')\n@cache.cached(300)")
    rules = RULES.replace(', "blog/views.py:gone_view"', "").replace("vary: [Accept-Language]", "vary: []")
    found = _tie(tmp_path, monkeypatch, {"blog/views.py": text}, rules)
    assert found == [
        "blog/views.py:4: the code varies the cache on Accept-Language, but rule 'blog-pages' does not say so: add it to the rule's vary",
        "blog/views.py:10: @cache.cached caches pages, but rule 'scores' has no match: give it match, bypass and examples",
    ]


def test_nginx_site_must_bypass_what_its_rule_bypasses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = RULES.replace('"blog/views.py:article_list", "blog/views.py:gone_view"', '"deploy/nginx/site.conf:/blog/"')
    rules = rules.replace("ttl: 15m", "ttl: 10m")
    conf = NGINX.replace("$arg_preview", "").replace("# cache-rule: legacy-php", "# cache-rule: scores")
    found = _tie(tmp_path, monkeypatch, {"deploy/nginx/site.conf": conf}, rules)
    assert found == [
        "deploy/nginx/site.conf:8: rule 'blog-pages' bypasses query: preview, but the *_cache_bypass of /blog/ does "
        "not: add $arg_preview to it",
        "deploy/nginx/site.conf:16: proxy_cache_valid caches pages, but rule 'scores' has no match: give it match, "
        "bypass and examples".replace("proxy_cache_valid", "fastcgi_cache_valid"),
    ]


def test_tests_and_migrations_hold_no_sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    files = {"tests/test_views.py": VIEWS, "blog/test_views.py": VIEWS, "blog/migrations/0001.py": VIEWS,
             "vendor/x.py": VIEWS}
    for name, text in files.items():
        os.makedirs(os.path.dirname(name), exist_ok=True)
        Path(name).write_text(text)
    assert {s.path for s in collect(files, exclude=["vendor/*"]).sites} == set()


def test_binary_and_non_utf8_files_are_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.py").write_bytes(b"# cache\n\xff\xfe@cache_page(1)\n")
    Path("b.conf").write_bytes(b"\x00\x01proxy_cache_valid 1m;\xff")
    found = collect(["a.py", "b.conf", "missing.py"])
    assert found.sites == [] and found.skipped == ["a.py: not UTF-8"]


def test_other_middleware_named_like_the_cache_middleware_is_no_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("settings.py").write_text(
        'CACHE_MIDDLEWARE_SECONDS = 60\nMIDDLEWARE = [\n    "dojo.request_cache.middleware.RequestCacheMiddleware",\n'
        '    "myapp.middleware.CacheMiddleware",\n]\n'
    )
    assert collect(["settings.py"]).sites == []
    Path("settings.py").write_text('MIDDLEWARE = ["django.middleware.cache.CacheMiddleware"]\n')
    assert [(s.id, s.ttl) for s in collect(["settings.py"]).sites] == [("settings.py:MIDDLEWARE", 600)]


def test_site_columns_point_at_the_decorator_or_the_call() -> None:
    sites = py("""
        class V:
            @method_decorator(cache_page(60))
            def get(self): ...

        if not settings.DEBUG:
            search = cache_page(60 * 60)(search)
    """)
    assert [(s.line, s.column) for s in sites] == [(3, 5), (7, 14)]


def test_flask_cache_object_with_another_name_and_the_call_form() -> None:
    sites = py("""
        from flask_caching import Cache
        c = Cache(app)

        @bp.route("/leaderboard")
        @c.cached(timeout=30)
        def leaderboard(): ...

        app.add_url_rule("/stats", view_func=c.cached(120)(stats))
        totals = c.memoize(60)(compute_totals)
    """, "app/views.py")
    assert [(s.id, s.ttl, s.page) for s in sites] == [
        ("app/views.py:leaderboard", 30, True), ("app/views.py:stats", 120, True), ("app/views.py:compute_totals", 60, False),
    ]


def test_flask_default_timeout_comes_from_a_config_constant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("config.py").write_text("CACHE_TYPE = 'redis'\nCACHE_DEFAULT_TIMEOUT = 60 * 10\n")
    Path("views.py").write_text("@app.route('/')\n@cache.cached()\ndef index(): ...\n")
    assert [(s.id, s.ttl) for s in collect(["config.py", "views.py"]).sites] == [("views.py:index", 600)]


def test_a_comment_above_the_middleware_statement_ties_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("settings.py").write_text(
        "# cache-rule: site-wide\nMIDDLEWARE = [\n    'django.middleware.cache.UpdateCacheMiddleware',\n"
        "    'django.middleware.cache.FetchFromCacheMiddleware',\n]\n# cache-rule: other\nX = 1\n"
    )
    sites = collect(["settings.py"]).sites
    assert [(s.id, s.rule_comment) for s in sites] == [("settings.py:MIDDLEWARE", "site-wide")]


@pytest.mark.parametrize("directives, ttl", [
    ("proxy_cache_valid 200 304 12h;\n proxy_cache_valid any 10m;", 43200),
    ("proxy_cache_valid any 10m;\n proxy_cache_valid 200 304 12h;", 43200),
    ("proxy_cache_valid 404 1m;\n proxy_cache_valid any 10m;", 600),
    ("proxy_cache_valid 10m;", 600),
    ("proxy_cache_valid 404 10s;", 10),
    ("proxy_cache_valid 200 365d;", 31536000),
])
def test_nginx_ttl_is_the_one_for_a_200(directives: str, ttl: int) -> None:
    sites = scan_nginx("nginx.conf", f"server {{\n location / {{\n {directives}\n }}\n}}\n")
    assert [s.ttl for s in sites] == [ttl]


def test_write_rules_groups_by_file_and_ttl_and_puts_vary_only_views_together() -> None:
    from hooks.checks.check_cache_rules.write import render

    sites = py("""
        @cache_page(60)
        def a(request): ...

        @cache_page(60)
        def b(request): ...

        @cache_page(600)
        def c(request): ...

        @vary_on_headers("Accept")
        def d(request): ...
    """) + py("""
        @vary_on_cookie
        def e(request): ...

        @cache.memoize(30)
        def f(): ...
    """, "shop/models.py")
    text = render(sites, "sessionid")
    ruleset = read_rules("cache-rules.yaml", text)
    assert [(r.name, r.ttl_text, [n.value for n in r.sites]) for r in ruleset.rules] == [
        ("blog-views", "1m", ["blog/views.py:a", "blog/views.py:b"]),
        ("blog-views-10m", "10m", ["blog/views.py:c"]),
        ("varied-pages", "TODO: the TTL of the cache in front (these views only set Vary)", ["blog/views.py:d", "shop/models.py:e"]),
        ("shop-models-data", "30s", ["shop/models.py:f"]),
    ]
    assert ruleset.rules[2].vary == ["Accept", "Cookie"]
    assert all(r.todo for r in ruleset.rules if r.is_page_rule)
    assert {p.identity[0] for p in ruleset.problems} == {"todo"}


def test_nginx_caching_set_cookie_is_reported_and_hiding_it_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = ("location / {\n    proxy_cache pages;\n    proxy_cache_valid any 1m;\n"
            "    proxy_ignore_headers Cache-Control Set-Cookie;\n"
            "    proxy_cache_bypass $cookie_sessionid $http_authorization;\n}\n")
    rules = RULES.replace('"blog/views.py:article_list", "blog/views.py:gone_view"', '"nginx/site.conf:/"').replace(
        "ttl: 15m", "ttl: 1m").replace(", {query: preview}", "")
    found = _tie(tmp_path, monkeypatch, {"nginx/site.conf": conf}, rules)
    assert found == [
        "nginx/site.conf:4: nginx caches responses that set cookies here (*_ignore_headers Set-Cookie with no "
        "*_hide_header Set-Cookie): one visitor's cookie, a CSRF token or a session, is replayed to others; "
        "hide Set-Cookie from cached responses or stop ignoring it"
    ]
    hidden = conf.replace("}\n", "    proxy_hide_header Set-Cookie;\n}\n")
    assert _tie(tmp_path, monkeypatch, {"nginx/site.conf": hidden}, rules) == []


def test_a_site_may_be_listed_in_dotted_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = RULES.replace('"blog/views.py:article_list", "blog/views.py:gone_view"', '"blog.views.article_list"')
    assert _tie(tmp_path, monkeypatch, {"blog/views.py": VIEWS}, rules) == []
