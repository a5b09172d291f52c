"""check-health-checks' static route reader (routes.py), one construct at a time.

Each case is a small app written the way real projects write it; the expected
verdict is what the framework itself answers for that code (Django's
``resolve``, Flask's ``url_map``, Starlette's router), and *None* where the
code leaves the answer to something the hook cannot read: unknown, never
"not a route". The fixture projects run through the frameworks themselves in
test_frameworks_diff.py.
"""
from __future__ import annotations

import ast
from textwrap import dedent

import pytest

from hooks.checks.check_health_checks import routes


def modules(**files: str) -> routes.Modules:
    texts = {path.replace("__", "/").replace("INIT", "__init__") + ".py": dedent(text) for path, text in files.items()}
    return routes.Modules(sorted(texts), texts.get)


def django(root: str = "proj.urls", languages: tuple[str, ...] = (), **files: str) -> routes.Table:
    return routes.django_table(root, modules(**files), languages)


def apps(**files: str) -> list[routes.Table]:
    mods = modules(**files)

    def value(_file: str, node: ast.expr) -> str | None:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    reader = routes.AppReader(mods, value)
    reader.read(mods.files)
    return reader.tables()


# -- Django ------------------------------------------------------------------------------
def test_regex_patterns_anchor_like_re_path() -> None:
    table = django(proj__urls="""
        from django.urls import re_path, include
        from . import views
        urlpatterns = [
            re_path(r"^health/?$", views.health),
            re_path(r"^api/", include("proj.api")),
        ]
    """, proj__api="""
        from django.urls import re_path
        urlpatterns = [re_path(r"^v(?P<version>[0-9]+)/ping$", lambda r: None)]
    """)
    assert table.resolve("/health") is True
    assert table.resolve("/health/") is True
    assert table.resolve("/healthz") is False  # $ ends an endpoint regex
    assert table.resolve("/api/v2/ping") is True
    assert table.resolve("/api/vx/ping") is False


def test_a_pattern_regex_that_does_not_compile_matches_nothing() -> None:
    assert routes.DjNode("(unclosed", True, True).match("x") is None


def test_patterns_built_by_append_extend_insert_and_addition() -> None:
    table = django(proj__urls="""
        from django.urls import path
        base = [path("a/", lambda r: None)]
        urlpatterns = base + [path("b/", lambda r: None)]
        urlpatterns += [path("c/", lambda r: None)]
        urlpatterns.append(path("d/", lambda r: None))
        urlpatterns.extend([path("e/", lambda r: None)])
        urlpatterns.insert(0, path("f/", lambda r: None))
        helpers.register(urlpatterns)
    """)
    for part in "abcdef":
        assert table.resolve(f"/{part}/") is True, part
    assert table.resolve("/g/") is False


def test_branches_try_and_with_bodies_all_count() -> None:
    table = django(proj__urls="""
        from django.conf import settings
        from django.urls import path
        urlpatterns = [path("home/", lambda r: None)]
        if settings.DEBUG:
            urlpatterns = [path("debug/", lambda r: None)]
        else:
            urlpatterns += [path("ready/", lambda r: None)]
        try:
            urlpatterns += [path("optional/", lambda r: None)]
        except ImportError:
            urlpatterns += [path("fallback/", lambda r: None)]
        with open("x") as f:
            urlpatterns += [path("inside/", lambda r: None)]
        urlpatterns: list = urlpatterns + [path("annotated/", lambda r: None)]
    """)
    for route in ("home", "debug", "ready", "optional", "fallback", "inside", "annotated"):
        assert table.resolve(f"/{route}/") is True, route


def test_static_and_debug_toolbar_helpers_add_nothing_but_other_calls_are_unknown() -> None:
    static = django(proj__urls="""
        from django.conf.urls.static import static
        from django.urls import path
        urlpatterns = [path("a/", lambda r: None)] + static("/media/", document_root="m")
    """)
    assert static.resolve("/healthz") is False
    custom = django(proj__urls="""
        from django.urls import path
        urlpatterns = [path("a/", lambda r: None)] + plugin_urls()
    """)
    assert custom.resolve("/healthz") is None
    assert "cannot read" in custom.why_unknown("/healthz")


def test_a_loop_that_adds_patterns_makes_the_rest_unknown() -> None:
    table = django(proj__urls="""
        from django.urls import path
        urlpatterns = [path("a/", lambda r: None)]
        for name in ("x", "y"):
            urlpatterns.append(path(name + "/", lambda r: None))
    """)
    assert table.resolve("/a/") is True
    assert table.resolve("/x/") is None


@pytest.mark.parametrize("item, why", [
    ("*extra", "built in a way the hook cannot read"),
    ("views.health", "a pattern in proj/urls.py the hook cannot read"),
    ("router_patterns()", "router_patterns() in proj/urls.py adds patterns"),
    ("path()", "with no route"),
    ("path(PREFIX, views.health)", "a route in proj/urls.py that is not a literal"),
])
def test_patterns_the_hook_cannot_read_are_unknown(item: str, why: str) -> None:
    table = django(proj__urls=f"""
        from django.urls import path
        from . import views
        urlpatterns = [path("known/", views.known), {item}]
    """)
    assert table.resolve("/known/") is True
    assert table.resolve("/healthz") is None
    assert why in table.why_unknown("/healthz")


def test_route_and_view_given_as_keywords() -> None:
    table = django(proj__urls="""
        from django.urls import path, re_path
        urlpatterns = [path(route="kw/", view=lambda r: None), re_path(regex=r"^rx$", view=lambda r: None)]
    """)
    assert table.resolve("/kw/") is True
    assert table.resolve("/rx") is True


@pytest.mark.parametrize("target", [
    'include("proj.health")',                       # dotted string
    'include(("proj.health", "health"))',           # (module, app_name)
    "include(health)",                              # imported module
    "include(health_patterns)",                     # a list imported from another module
    "include([path('health/', lambda r: None)])",   # an inline list
    "[path('health/', lambda r: None)]",            # a list as the view
    "include(local)",                               # a list of this module
])
def test_includes_the_way_projects_write_them(target: str) -> None:
    table = django(proj__urls=f"""
        from django.urls import include, path
        from proj import health
        from proj.health import urlpatterns as health_patterns
        local = [path("health/", lambda r: None)]
        urlpatterns = [path("ops/", {target})]
    """, proj__health="""
        from django.urls import path
        urlpatterns = [path("health/", lambda r: None)]
    """)
    assert table.resolve("/ops/health/") is True
    assert table.resolve("/ops/nope/") is False
    assert table.resolve("/health/") is False


@pytest.mark.parametrize("target, why", [
    ('include("health_check.urls")', "include('health_check.urls') is not in the repo"),
    ("include()", "include() with no argument"),
    ("include(routers.urls)", "include(routers.urls) cannot be followed"),
    ("admin.site.urls", "admin.site.urls (routes another package adds)"),
])
def test_third_party_and_unreadable_includes_are_unknown_under_their_prefix(target: str, why: str) -> None:
    table = django(proj__urls=f"""
        from django.contrib import admin
        from django.urls import include, path
        urlpatterns = [path("home/", lambda r: None), path("ops/", {target})]
    """)
    assert table.resolve("/ops/health/") is None
    assert why in table.why_unknown("/ops/health/")
    assert table.resolve("/other/") is False  # the unknown stays under its prefix


def test_include_cycles_and_unparsable_modules_are_unknown() -> None:
    cycle = django(proj__urls="""
        from django.urls import include, path
        urlpatterns = [path("a/", include("proj.more"))]
    """, proj__more="""
        from django.urls import include, path
        urlpatterns = [path("b/", include("proj.urls"))]
    """)
    assert cycle.resolve("/a/b/c/") is None
    assert "cycle" in cycle.why_unknown("/a/b/c/")
    broken = django(proj__urls="urlpatterns = [path('a/',\n")
    assert broken.resolve("/a/") is None
    assert "cannot be parsed" in broken.why_unknown("/a/")
    empty = django(proj__urls="ROUTES = []\n")
    assert empty.resolve("/a/") is None
    assert "no urlpatterns list" in empty.why_unknown("/a/")
    missing = routes.django_table("nowhere.urls", modules(proj__urls="urlpatterns = []\n"))
    assert missing.resolve("/") is None
    assert "is not in the repo" in missing.why_unknown("/")


@pytest.mark.parametrize("keyword, prefixed", [("", True), ("prefix_default_language=False", False), ("prefix_default_language=FLAG", False)])
def test_i18n_patterns_with_the_production_languages(keyword: str, prefixed: bool) -> None:
    table = django(languages=("en", "de"), proj__urls=f"""
        from django.conf.urls.i18n import i18n_patterns
        from django.urls import path
        urlpatterns = [path("health/", lambda r: None)]
        urlpatterns += i18n_patterns(path("about/", lambda r: None), *more, {keyword})
    """)
    assert table.resolve("/health/") is True
    assert table.resolve("/de/about/") is True
    assert table.resolve("/fr/about/") in (False, None)  # fr is not a language of production
    assert (table.resolve("/about/") is not True) is prefixed


def test_module_lookup_prefers_the_file_nearest_the_importer() -> None:
    mods = modules(a__urls="", a__views="", b__views="", b__urls="", b__sub__INIT="", b__sub__views="")
    assert mods.file("views", "b/urls.py") == "b/views.py"
    assert mods.file("views", "a/urls.py") == "a/views.py"
    assert mods.file("b.sub") == "b/sub/__init__.py"
    assert mods.file("nothing") is None
    assert mods.relative("b/sub/views.py", "views", 2) == "b/views.py"
    assert mods.relative("b/sub/views.py", None, 1) == "b/sub/__init__.py"
    assert mods.relative("b/urls.py", "missing", 1) is None
    assert mods.relative("b/urls.py", None, 0) is None


def test_imports_as_the_hook_reads_them() -> None:
    mods = modules(app__main="""
        import app.health as health_mod
        import os
        from . import health
        from .health import router as health_router
        from app.config import settings
    """, app__health="", app__config="")
    got = mods.imports("app/main.py")
    assert got["health_mod"] == ("app/health.py", None)
    assert got["health"] == ("app/health.py", None)
    assert got["health_router"] == ("app/health.py", "router")
    assert got["settings"] == ("app/config.py", "settings")
    assert "os" not in got
    assert modules(bad="def (:\n").imports("bad.py") == {}


# -- Flask / FastAPI -----------------------------------------------------------------------
def test_flask_routes_prefixes_and_resources() -> None:
    [table] = apps(svc__app="""
        from flask import Flask, Blueprint
        from flask_restful import Api
        app = Flask(__name__)
        bp = Blueprint("ops", __name__, url_prefix="/ops")
        api_bp = Blueprint("api", __name__)

        @app.route("/")
        def index(): ...

        @bp.get("/health")
        def health(): ...

        @api_bp.route("/items/<int:item_id>")
        def item(item_id): ...

        def ready(): ...
        app.add_url_rule("/ready", view_func=ready)
        api = Api(app)
        api.add_resource(Thing, "/things", "/things/<uuid:tid>")
        app.register_blueprint(bp)
        app.register_blueprint(api_bp, url_prefix="/api/v1")
    """)
    assert table.framework == "flask"
    for path in ("/", "/ops/health", "/api/v1/items/12", "/ready", "/static/app.css"):
        assert table.resolve(path) is True, path
    for path in ("/health", "/api/v1/items/x", "/ops/ready"):
        assert table.resolve(path) is False, path


def test_fastapi_routers_across_modules_and_their_prefixes() -> None:
    [table] = apps(svc__main="""
        from fastapi import FastAPI
        from svc import routes
        from svc.routes import items
        app = FastAPI()
        app.include_router(routes.router, prefix="/api")
        app.include_router(items.router)

        @app.get("/livez")
        async def livez(): ...
    """, svc__routes__INIT="""
        from fastapi import APIRouter
        router = APIRouter(prefix="/v1")

        @router.api_route("/health/{probe}", methods=["GET"])
        async def health(probe: str): ...
    """, svc__routes__items="""
        from fastapi import APIRouter
        router = APIRouter(prefix="/items")

        @router.get(path="/{item_id}")
        async def item(item_id: int): ...

        router.add_api_route("/files/{name:path}", handler)
    """)
    assert table.framework == "fastapi"
    for path in ("/livez", "/api/v1/health/db", "/items/3", "/items/files/a/b.txt"):
        assert table.resolve(path) is True, path
    for path in ("/v1/health/db", "/health", "/api/items/3"):
        assert table.resolve(path) is False, path


def test_routes_the_hook_cannot_follow_are_unknown_not_missing() -> None:
    [table] = apps(svc__main="""
        from fastapi import FastAPI
        from starlette.staticfiles import StaticFiles
        from plugins import make_router
        app = FastAPI()
        app.mount("/static", StaticFiles(directory="static"))
        app.include_router(make_router(), prefix="/plugins")
    """)
    assert table.resolve("/static/x.css") is None
    assert "mount()" in table.why_unknown("/static/x.css")
    assert table.resolve("/plugins/health") is None
    assert "cannot be followed" in table.why_unknown("/plugins/health")
    assert table.resolve("/health") is False
    [dynamic] = apps(svc__main="""
        from fastapi import FastAPI
        app = FastAPI()

        @app.get(ROUTE_FROM_ENV)
        async def dynamic(): ...
    """)
    assert dynamic.resolve("/anything") is None  # a route that is not a literal may be anything
    assert "is not a literal" in dynamic.why_unknown("/anything")


def test_a_router_whose_prefix_cannot_be_told_is_unknown() -> None:
    [table] = apps(svc__main="""
        from starlette.applications import Starlette
        from svc.api import router
        app = Starlette()
        app.include_router(router, prefix=compute())
    """, svc__api="""
        from fastapi import APIRouter
        router = APIRouter()

        @router.get("/health")
        async def health(): ...
    """)
    assert table.resolve("/health") is None
    assert table.why_unknown("/health")


def test_rule_regex_converters() -> None:
    import re

    assert re.fullmatch(routes._rule_regex("/f/<float:x>"), "/f/1.5")
    assert not re.fullmatch(routes._rule_regex("/f/<float:x>"), "/f/1")
    assert re.fullmatch(routes._rule_regex("/p/<path:rest>"), "/p/a/b")
    assert re.fullmatch(routes._rule_regex("/n/<string(length=2):code>"), "/n/de")
    assert re.fullmatch(routes._rule_regex("/items/{item_id}"), "/items/7")
    assert not re.fullmatch(routes._rule_regex("/items/{item_id}"), "/items/7/x")
    assert routes._join("/api/", "/health", "flask") == "/api/health"
    assert routes._join("/api", "", "flask") == "/api"
    assert routes._join("/api", "/health", "fastapi") == "/api/health"


def test_a_table_with_a_broken_pattern_skips_it() -> None:
    table = routes.Table("flask", "app.py", patterns=[("(bad", True), ("/ok", True)], unknown=[("(also bad", "x")])
    assert table.resolve("/ok") is True
    assert table.resolve("/nope") is None  # an unknown prefix that does not compile may match anything
    assert table.why_unknown("/nope") == "x"
    incomplete = routes.Table("flask", "app.py", complete=False)
    assert incomplete.resolve("/x") is None
    assert incomplete.why_unknown("/x") == "part of the routes cannot be read"


# -- middleware, nginx, other frameworks ----------------------------------------------------------
def test_middleware_paths() -> None:
    tree = ast.parse(dedent("""
        def app(environ, start_response):
            if environ["PATH_INFO"] == "/lb-health":
                return ok()
            if request.path in ("/ping", "/ready"):
                return ok()
            if scope["path"].startswith("/metrics"):
                return ok()
            if re_thing.path.match("^/status/[0-9]+$"):
                return ok()
            if request.method == "GET":
                return ok()
    """))
    got = routes.middleware_paths("wsgi.py", tree)
    assert ("/lb\\-health", True) in got
    assert ("/ping", True) in got and ("/ready", True) in got
    assert ("/metrics", False) in got
    assert ("/status/[0-9]+$", False) in got
    assert all("GET" not in regex for regex, _ in got)


def test_nginx_locations_that_answer_by_themselves() -> None:
    conf = """
        server {
            location = /nginx_health { return 200 "ok"; }
            location ~* ^/static/ { root /srv; }
            location ~ ^/status$ { stub_status; }
            location /media/ { alias /srv/media/; }
            location / { proxy_pass http://app:8000; }
            location /api/ { proxy_pass http://app:8000; }
            location /empty/ { add_header X-A b; }
            location "/quoted" { empty_gif; }
        }
    """
    got = routes.nginx_paths(conf)
    assert ("/nginx_health", True) in got
    assert ("(?i)^/static/", False) in got
    assert ("^/status$", False) in got
    assert ("/media/", False) in got
    assert ("/quoted", False) in got
    assert not any(regex in ("/api/", "/empty/", "/") for regex, _ in got)


def test_other_frameworks_are_named() -> None:
    assert routes.other_frameworks("import os\nfrom aiohttp import web\n") == "aiohttp"
    assert routes.other_frameworks("from flask import Flask\n") is None


def test_starlette_route_lists() -> None:
    [table] = apps(svc__app="""
        from starlette.applications import Starlette
        from starlette.routing import Mount, Route, WebSocketRoute
        app = Starlette(routes=[
            Route("/health", health),
            Route(path="/items/{item_id:int}", endpoint=item),
            WebSocketRoute("/ws", ws),
            Mount("/static", app=StaticFiles(directory="static")),
            *plugin_routes,
        ])
    """)
    assert table.resolve("/health") is True
    assert table.resolve("/items/3") is True
    assert table.resolve("/static/app.css") is None
    [built] = apps(svc__app="""
        from starlette.applications import Starlette
        from starlette.routing import Route
        app = Starlette(routes=[Route("/health", health), Route("/ready", ready)])
    """)
    assert built.resolve("/ready") is True
    assert built.resolve("/healthz") is False  # every route is written out: a path none matches is not a route
    [elsewhere] = apps(svc__app="""
        from starlette.applications import Starlette
        app = Starlette(routes=make_routes())
    """)
    assert elsewhere.resolve("/health") is None


def test_a_package_given_the_app_and_a_path_makes_that_path_unknown() -> None:
    [table] = apps(svc__app="""
        from flask import Flask, current_app
        from healthcheck import HealthCheck
        from prometheus_flask_exporter import PrometheusMetrics
        app = Flask(__name__)
        health = HealthCheck(current_app, "/health-check")
        metrics = PrometheusMetrics(app, path="/metrics")
        app.add_middleware(PingMiddleware, path="/ping")

        @app.route("/orders")
        def orders(): ...
    """)
    assert table.resolve("/orders") is True
    assert table.resolve("/health-check/") is None and "HealthCheck() in svc/app.py gives the app a route at /health-check" in \
        table.why_unknown("/health-check/")
    assert table.resolve("/metrics") is None
    assert table.resolve("/ping") is None
    assert table.resolve("/healthz") is False  # paths no extension was given stay judged


def test_an_api_object_given_the_app_serves_its_resources_on_the_app() -> None:
    [table] = apps(svc__core="""
        from flask import Flask
        from flask_restful import Api
        app = Flask(__name__)
        api = Api(app, prefix="/api")
        other = Api()
        other.init_app(app)
    """, svc__routes="""
        from svc.core import api, other
        api.add_resource(ServerInfo, "/server")
        other.add_resource(Ping, "/ping")
    """)
    assert table.resolve("/api/server") is True
    assert table.resolve("/ping") is True
    assert table.resolve("/server") is False


def test_a_wrapper_class_given_the_app_has_an_unknown_prefix() -> None:
    [table] = apps(svc__core="""
        from flask import Flask
        from .service import Service
        app = Flask(__name__, static_folder=None)
        api = Service(app)
    """, svc__app="""
        from svc.core import api, app
        api.add_resource(ServerInfoResource, "/server")
    """)
    assert table.resolve("/api/server") is None  # mwdb-core: Service sets prefix="/api" inside its own class
    assert table.resolve("/api/nothing") is None


def test_routes_of_a_router_no_app_includes_are_unknown_where_they_end() -> None:
    [table] = apps(svc__main="""
        from fastapi import FastAPI
        app = FastAPI()
        plugins.load_all(app)  # imports svc.health and includes its router at run time
    """, svc__health="""
        from fastapi import APIRouter
        router = APIRouter()

        @router.get("/health")
        async def health(): ...
    """)
    assert table.resolve("/api/v1/health") is None
    assert "declares /health" in table.why_unknown("/api/v1/health")
