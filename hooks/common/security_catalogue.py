"""The security checklist as data: one place for both security hooks.

Each :class:`Item` is one line of the production checklist for one framework:
its id (``<group>.<name>``, what ``--skip`` takes), the setting it reads, the
safe value, why it matters in one sentence, and how to fix it. The five groups
are the checklist's: permissions, secrets, headers (cookies included), upload
limits and logging. ``check-security-settings`` judges the items;
``security-settings-in-one-place`` uses :data:`SETTING_NAMES` to spot the same
settings assigned outside the config modules. The docs pages render this table.
"""
from __future__ import annotations

from typing import Literal

from hooks.core.records import record

Framework = Literal["django", "flask", "pyramid", "fastapi"]
Group = Literal["permissions", "secrets", "headers", "uploads", "logging"]

GROUPS: tuple[Group, ...] = ("permissions", "secrets", "headers", "uploads", "logging")
GROUP_TITLES: dict[str, str] = {
    "permissions": "permissions",
    "secrets": "secrets",
    "headers": "headers",
    "uploads": "upload limits",
    "logging": "logging",
}
FRAMEWORKS: tuple[Framework, ...] = ("django", "flask", "pyramid", "fastapi")
FRAMEWORK_TITLES: dict[str, str] = {"django": "Django", "flask": "Flask", "pyramid": "Pyramid", "fastapi": "FastAPI/Starlette"}


@record(frozen=True)
class Item:
    id: str  # "<group>.<name>": what --skip takes
    framework: Framework
    setting: str
    safe: str
    why: str
    fix: str
    # Django's `check --deploy` id(s) for the same thing, for the docs and the differential test.
    django_check: str = ""

    @property
    def group(self) -> str:
        return self.id.split(".", 1)[0]


def _items() -> tuple[Item, ...]:
    d: Framework = "django"
    f: Framework = "flask"
    p: Framework = "pyramid"
    a: Framework = "fastapi"
    return (
        # ---- Django -------------------------------------------------------
        Item("secrets.secret_key", d, "SECRET_KEY", "read from the environment or a secret file; any visible value (literal or env default) is 50+ characters, 5+ distinct, no `django-insecure-` prefix",
             "anyone who knows the key can forge sessions, password-reset links and signed data",
             "`SECRET_KEY = env(\"DJANGO_SECRET_KEY\")` with no default, and keep the value in the deployment's secret store", "security.W009"),
        Item("secrets.secret_key_fallbacks", d, "SECRET_KEY_FALLBACKS", "each entry from the environment; visible entries as strong as SECRET_KEY",
             "an old key in the fallbacks still verifies every signature made with it",
             "read each fallback from the environment and drop it once the rotation is done", "security.W025"),
        Item("headers.security_middleware", d, "MIDDLEWARE", "contains `django.middleware.security.SecurityMiddleware`",
             "without it none of the SECURE_* headers (HSTS, nosniff, referrer, COOP, SSL redirect) is sent",
             "add `django.middleware.security.SecurityMiddleware` first in MIDDLEWARE", "security.W001"),
        Item("headers.xframe_middleware", d, "MIDDLEWARE", "contains `django.middleware.clickjacking.XFrameOptionsMiddleware`",
             "without X-Frame-Options any site can frame the app and click-jack its users",
             "add `django.middleware.clickjacking.XFrameOptionsMiddleware` to MIDDLEWARE, or `add_header X-Frame-Options DENY` in nginx", "security.W002"),
        Item("headers.csrf_middleware", d, "MIDDLEWARE", "contains `django.middleware.csrf.CsrfViewMiddleware`",
             "without it every form and session-authenticated API accepts cross-site requests",
             "add `django.middleware.csrf.CsrfViewMiddleware` to MIDDLEWARE; exempt single views with `@csrf_exempt` and a reason", "security.W003"),
        Item("headers.hsts", d, "SECURE_HSTS_SECONDS", "> 0 (e.g. 31536000), or `add_header Strict-Transport-Security` in nginx",
             "without HSTS a first plain-HTTP request can be intercepted and downgraded",
             "`SECURE_HSTS_SECONDS = 31536000` (start with 3600 while testing), or set the header in the TLS proxy", "security.W004"),
        Item("headers.nosniff", d, "SECURE_CONTENT_TYPE_NOSNIFF", "True (Django's default since 3.0)",
             "browsers that sniff content types can run an uploaded file as script",
             "remove the `False` override (the default is True)", "security.W006"),
        Item("headers.x_frame_options", d, "X_FRAME_OPTIONS", "`DENY` (Django's default since 3.0)",
             "`SAMEORIGIN` still lets any page of the same origin frame the app",
             "`X_FRAME_OPTIONS = \"DENY\"`, and `@xframe_options_sameorigin` on the views that must be framed", "security.W019"),
        Item("headers.referrer_policy", d, "SECURE_REFERRER_POLICY", "a valid policy, e.g. `same-origin` (the default since 3.1)",
             "full URLs with tokens and ids leak to every third-party site the app links to",
             "remove the `None` override, or set `SECURE_REFERRER_POLICY = \"same-origin\"`", "security.W022, security.E023"),
        Item("headers.cross_origin_opener_policy", d, "SECURE_CROSS_ORIGIN_OPENER_POLICY", "a valid policy, e.g. `same-origin` (the default since 4.0)",
             "without COOP a cross-origin window keeps a handle on the app's window",
             "remove the override, or set `SECURE_CROSS_ORIGIN_OPENER_POLICY = \"same-origin\"`", "security.E024"),
        Item("headers.ssl_redirect", d, "SECURE_SSL_REDIRECT", "True, or `SECURE_PROXY_SSL_HEADER` set behind a TLS proxy, or an HTTPS redirect in nginx",
             "plain-HTTP requests are served, cookies and credentials included",
             "`SECURE_SSL_REDIRECT = True`; behind a TLS proxy set `SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")` and redirect there", "security.W008"),
        Item("headers.session_cookie_secure", d, "SESSION_COOKIE_SECURE", "True",
             "the session cookie is sent over plain HTTP, where it can be stolen",
             "`SESSION_COOKIE_SECURE = True`", "security.W010, W011, W012"),
        Item("headers.session_cookie_httponly", d, "SESSION_COOKIE_HTTPONLY", "True (the default)",
             "script injected into any page can read the session cookie",
             "remove the `False` override", "security.W013, W014, W015"),
        Item("headers.csrf_cookie_secure", d, "CSRF_COOKIE_SECURE", "True (not needed with `CSRF_USE_SESSIONS = True`)",
             "the CSRF cookie is sent over plain HTTP",
             "`CSRF_COOKIE_SECURE = True`", "security.W016"),
        Item("headers.cookie_samesite", d, "SESSION_COOKIE_SAMESITE, CSRF_COOKIE_SAMESITE", "`Lax` (the default) or `Strict`, not `None`",
             "`SameSite=None` sends the cookies on every cross-site request, so CSRF defences carry the whole load",
             "remove the override, or set `\"Lax\"`"),
        Item("permissions.allowed_hosts", d, "ALLOWED_HOSTS", "the service's host names; neither empty nor `*`",
             "with `*` any Host header is accepted, so password-reset links and cache keys can be poisoned",
             "`ALLOWED_HOSTS = env.list(\"DJANGO_ALLOWED_HOSTS\")` listing the real names", "security.W020 (empty only)"),
        Item("permissions.csrf_trusted_origins", d, "CSRF_TRUSTED_ORIGINS", "exact origins, no wildcard",
             "a wildcard origin lets any matching site post forms on behalf of users",
             "list the exact `https://` origins"),
        Item("permissions.cors", d, "CORS_ALLOWED_ORIGINS, CORS_ALLOW_ALL_ORIGINS (django-cors-headers)", "exact origins; allow-all off",
             "any site can read authenticated API responses in the user's browser",
             "set `CORS_ALLOWED_ORIGINS` to the front-end origins and remove `CORS_ALLOW_ALL_ORIGINS = True`"),
        Item("permissions.file_upload_permissions", d, "FILE_UPLOAD_PERMISSIONS, FILE_UPLOAD_DIRECTORY_PERMISSIONS", "not group- or world-writable (e.g. `0o644` / `0o755`)",
             "uploaded files writable by other users on the host can be replaced with something else",
             "`FILE_UPLOAD_PERMISSIONS = 0o644` and `FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o755`"),
        Item("permissions.drf_default_permissions", d, "REST_FRAMEWORK[\"DEFAULT_PERMISSION_CLASSES\"]", "not only `AllowAny`",
             "every API view without its own permission_classes is open to anonymous users",
             "default to `IsAuthenticated` and open single views explicitly"),
        Item("uploads.data_upload_max_memory_size", d, "DATA_UPLOAD_MAX_MEMORY_SIZE", "a number (default 2.5 MB), or a server body limit",
             "with None a client can send an unlimited request body and exhaust memory",
             "remove the `None` override, or limit `client_max_body_size` in nginx / `limit-post` in uWSGI", "(none)"),
        Item("uploads.file_upload_max_memory_size", d, "FILE_UPLOAD_MAX_MEMORY_SIZE", "a number (default 2.5 MB), or a server body limit",
             "with None every upload is held in memory whatever its size",
             "remove the `None` override, or limit the body size in the server", "(none)"),
        Item("uploads.data_upload_max_number_fields", d, "DATA_UPLOAD_MAX_NUMBER_FIELDS", "a number (default 1000), or a server body limit",
             "with None a request with millions of fields ties up a worker",
             "remove the `None` override, or limit the body size in the server", "(none)"),
        Item("uploads.gunicorn_limits", d, "gunicorn `limit_request_line`, `limit_request_fields`, `limit_request_field_size`", "not 0 (0 turns the limit off; gunicorn's defaults are safe)",
             "with 0 a request line or header of any size ties up a worker",
             "remove the 0 (gunicorn's defaults: 4094, 100, 8190)"),
        Item("logging.logging", d, "LOGGING", "a handler that `django.security` and `django.request` reach, at INFO or above",
             "Django's default config only mails errors to ADMINS in production, so security events and 500s go unseen",
             "configure LOGGING with a console or file handler on the root or `django` logger at INFO", "(none)"),
        # ---- Flask --------------------------------------------------------
        Item("secrets.secret_key", f, "SECRET_KEY", "read from the environment or a secret file",
             "anyone who knows the key can forge session cookies",
             "`SECRET_KEY = os.environ[\"SECRET_KEY\"]`"),
        Item("headers.security_headers", f, "flask-talisman (or the same headers set in nginx or an after_request hook)", "HSTS, X-Frame-Options and nosniff sent",
             "without them the app can be framed, downgraded to HTTP or have uploads sniffed as script",
             "`Talisman(app)` in the app factory, or `add_header` lines in the nginx server block"),
        Item("headers.session_cookie_secure", f, "SESSION_COOKIE_SECURE", "True (Flask's default is False; Talisman sets it)",
             "the session cookie is sent over plain HTTP",
             "`SESSION_COOKIE_SECURE = True` in the production config"),
        Item("headers.session_cookie_httponly", f, "SESSION_COOKIE_HTTPONLY", "True (the default)",
             "script injected into any page can read the session cookie",
             "remove the `False` override"),
        Item("headers.cookie_samesite", f, "SESSION_COOKIE_SAMESITE", "`Lax` or `Strict` (Flask's default is unset)",
             "without SameSite the session cookie rides on cross-site requests",
             "`SESSION_COOKIE_SAMESITE = \"Lax\"`"),
        Item("permissions.trusted_hosts", f, "TRUSTED_HOSTS (Flask 3.1+), or `server_name` in nginx", "the service's host names",
             "any Host header is accepted, so `url_for(..., _external=True)` links can be poisoned",
             "`TRUSTED_HOSTS = [\"app.example.com\"]`, or restrict `server_name` in the proxy"),
        Item("permissions.cors", f, "flask-cors `CORS(...)`, CORS_ORIGINS", "not `*` together with credentials",
             "any site can read authenticated responses in the user's browser",
             "`CORS(app, origins=[\"https://app.example.com\"], supports_credentials=True)`"),
        Item("uploads.max_content_length", f, "MAX_CONTENT_LENGTH", "a number, or a server body limit",
             "Flask reads request bodies of any size by default",
             "`MAX_CONTENT_LENGTH = 16 * 1024 * 1024`, or `client_max_body_size` in nginx"),
        Item("logging.logging", f, "logging config (`dictConfig`, `fileConfig`, handlers on app.logger)", "configured for production",
             "without it Flask logs warnings to stderr only and security events are lost",
             "call `logging.config.dictConfig(...)` in the app factory or the WSGI entry point"),
        # ---- Pyramid ------------------------------------------------------
        Item("secrets.session_secret", p, "`*.secret` keys in [app:main] (session.secret, auth.secret ...)", "read from the environment",
             "a secret in the ini file signs every session and auth ticket",
             "pass the secret through the environment (`%(ENV_SESSION_SECRET)s` or read it in `main()`)"),
        Item("headers.session_cookie", p, "`*.secure`, `*.httponly` of the session factory (ini or `SignedCookieSessionFactory(...)`)", "secure and httponly true",
             "the session cookie is sent over plain HTTP or readable from script",
             "`SignedCookieSessionFactory(secret, secure=True, httponly=True)`"),
        Item("permissions.debugtoolbar", p, "`pyramid.includes`, `debugtoolbar.hosts`", "pyramid_debugtoolbar not included; hosts not open",
             "the toolbar runs arbitrary code from the browser",
             "remove `pyramid_debugtoolbar` from production.ini"),
        Item("uploads.server_limit", p, "nginx `client_max_body_size`, uWSGI `limit-post`", "a body limit in the server in front",
             "Pyramid (WebOb) reads request bodies of any size",
             "`client_max_body_size 10m;` in nginx or `limit-post = 10485760` in uWSGI"),
        Item("logging.logging", p, "`[loggers]`, `[handlers]`, `[logger_root]`", "present, not at DEBUG",
             "without them nothing is logged and errors go unseen",
             "add `[loggers]`, `[handlers]`, `[formatters]` and `[logger_root] level = WARN`"),
        # ---- FastAPI / Starlette ------------------------------------------
        Item("secrets.session_secret", a, "`SessionMiddleware(secret_key=...)`", "read from the environment",
             "anyone who knows the key can forge session cookies",
             "`app.add_middleware(SessionMiddleware, secret_key=os.environ[\"SESSION_SECRET\"])`"),
        Item("headers.https", a, "`HTTPSRedirectMiddleware`, or an HTTPS redirect / HSTS in the proxy", "plain HTTP redirected",
             "plain-HTTP requests are served, tokens included",
             "`app.add_middleware(HTTPSRedirectMiddleware)`, or redirect in the TLS proxy"),
        Item("headers.session_cookie_secure", a, "`SessionMiddleware(https_only=...)`", "True",
             "the session cookie is sent over plain HTTP",
             "`SessionMiddleware(..., https_only=True)`"),
        Item("permissions.trusted_hosts", a, "`TrustedHostMiddleware(allowed_hosts=...)`", "present, not `*`",
             "any Host header is accepted",
             "`app.add_middleware(TrustedHostMiddleware, allowed_hosts=[\"api.example.com\"])`"),
        Item("permissions.cors", a, "`CORSMiddleware(allow_origins=..., allow_credentials=...)`", "not `*` together with `allow_credentials=True`",
             "any site can make credentialed requests and read the answers",
             "list the front-end origins in `allow_origins`"),
        Item("uploads.server_limit", a, "nginx `client_max_body_size`, uWSGI `limit-post`", "a body limit in the server in front",
             "Starlette reads request bodies of any size",
             "`client_max_body_size 10m;` in nginx"),
        Item("logging.logging", a, "logging config (`dictConfig`, `basicConfig`, uvicorn `log_config`)", "configured",
             "without it only uvicorn's access log is written",
             "call `logging.config.dictConfig(...)` at start-up or pass `--log-config` to uvicorn"),
    )


ITEMS: tuple[Item, ...] = _items()


def items_for(framework: str) -> tuple[Item, ...]:
    return tuple(i for i in ITEMS if i.framework == framework)


def item(framework: str, item_id: str) -> Item:
    for i in ITEMS:
        if i.framework == framework and i.id == item_id:
            return i
    raise KeyError(f"{framework}:{item_id}")


ALL_IDS: frozenset[str] = frozenset(i.id for i in ITEMS)

# Names whose assignment outside a settings module hides a security decision:
# Django's security settings, django-cors-headers, DRF, and Flask's config keys.
DJANGO_SECURITY_SETTINGS: frozenset[str] = frozenset({
    "SECRET_KEY", "SECRET_KEY_FALLBACKS", "ALLOWED_HOSTS", "DEBUG", "MIDDLEWARE", "MIDDLEWARE_CLASSES",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_SSL_REDIRECT", "SECURE_SSL_HOST", "SECURE_PROXY_SSL_HEADER",
    "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY", "SECURE_REDIRECT_EXEMPT",
    "X_FRAME_OPTIONS", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN", "SESSION_ENGINE", "SESSION_SERIALIZER",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE", "CSRF_USE_SESSIONS",
    "CSRF_TRUSTED_ORIGINS", "CSRF_COOKIE_DOMAIN",
    "CORS_ALLOWED_ORIGINS", "CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL", "CORS_ORIGIN_WHITELIST",
    "CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ALLOW_CREDENTIALS",
    "FILE_UPLOAD_PERMISSIONS", "FILE_UPLOAD_DIRECTORY_PERMISSIONS",
    "DATA_UPLOAD_MAX_MEMORY_SIZE", "FILE_UPLOAD_MAX_MEMORY_SIZE", "DATA_UPLOAD_MAX_NUMBER_FIELDS",
    "DATA_UPLOAD_MAX_NUMBER_FILES", "PASSWORD_HASHERS", "AUTH_PASSWORD_VALIDATORS", "LOGGING",
    "REST_FRAMEWORK", "CSP_DEFAULT_SRC", "CONTENT_SECURITY_POLICY",
})
FLASK_SECURITY_KEYS: frozenset[str] = frozenset({
    "SECRET_KEY", "SECRET_KEY_FALLBACKS", "DEBUG", "TESTING", "ENV", "PROPAGATE_EXCEPTIONS",
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PARTITIONED", "PERMANENT_SESSION_LIFETIME", "REMEMBER_COOKIE_SECURE",
    "REMEMBER_COOKIE_HTTPONLY", "REMEMBER_COOKIE_SAMESITE", "TRUSTED_HOSTS", "SERVER_NAME",
    "MAX_CONTENT_LENGTH", "MAX_FORM_MEMORY_SIZE", "MAX_FORM_PARTS", "PREFERRED_URL_SCHEME",
    "WTF_CSRF_ENABLED", "WTF_CSRF_CHECK_DEFAULT", "WTF_CSRF_SSL_STRICT", "WTF_CSRF_TIME_LIMIT",
    "CORS_ORIGINS", "CORS_SUPPORTS_CREDENTIALS", "SECURITY_PASSWORD_SALT", "JWT_SECRET_KEY",
    "JWT_COOKIE_SECURE", "JWT_COOKIE_CSRF_PROTECT", "SQLALCHEMY_ECHO",
})
SETTING_NAMES: frozenset[str] = DJANGO_SECURITY_SETTINGS | FLASK_SECURITY_KEYS

# Response headers that are security policy: set them in settings or the proxy, not in a view.
SECURITY_HEADERS: frozenset[str] = frozenset(h.lower() for h in (
    "X-Frame-Options", "Strict-Transport-Security", "Content-Security-Policy",
    "Content-Security-Policy-Report-Only", "X-Content-Type-Options", "Referrer-Policy",
    "Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy",
    "Permissions-Policy", "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
    "X-XSS-Protection",
))
# Decorators that switch a protection off for one view.
EXEMPT_DECORATORS: frozenset[str] = frozenset({
    "csrf_exempt", "xframe_options_exempt", "csp_exempt",
})

# The safe direction of the settings whose safe value is a plain literal (the ``safe`` column above, as data):
# a literal on the safe side sets nothing a reviewer must catch, wherever it is written (held-out round 10:
# ``settings.DEBUG = False`` in a management command). Settings not listed here have no one safe value.
_SAFE_TRUE = frozenset({
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_USE_SESSIONS",
    "SECURE_SSL_REDIRECT", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "REMEMBER_COOKIE_SECURE", "REMEMBER_COOKIE_HTTPONLY", "SESSION_COOKIE_PARTITIONED", "WTF_CSRF_ENABLED",
    "WTF_CSRF_CHECK_DEFAULT", "WTF_CSRF_SSL_STRICT", "JWT_COOKIE_SECURE", "JWT_COOKIE_CSRF_PROTECT",
})
_SAFE_FALSE = frozenset({
    "DEBUG", "TESTING", "PROPAGATE_EXCEPTIONS", "SQLALCHEMY_ECHO", "CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL",
    "CORS_ALLOW_CREDENTIALS", "CORS_SUPPORTS_CREDENTIALS",
})
_SAFE_SAMESITE = frozenset({"SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "REMEMBER_COOKIE_SAMESITE"})
_SAFE_LIMIT = frozenset({"DATA_UPLOAD_MAX_MEMORY_SIZE", "FILE_UPLOAD_MAX_MEMORY_SIZE", "DATA_UPLOAD_MAX_NUMBER_FIELDS",
                         "DATA_UPLOAD_MAX_NUMBER_FILES", "MAX_CONTENT_LENGTH", "MAX_FORM_MEMORY_SIZE", "MAX_FORM_PARTS"})
_SAFE_HOST_LIST = frozenset({"ALLOWED_HOSTS", "TRUSTED_HOSTS", "CSRF_TRUSTED_ORIGINS", "CORS_ALLOWED_ORIGINS",
                             "CORS_ORIGIN_WHITELIST", "CORS_ORIGINS"})
_SAFE_MODE = frozenset({"FILE_UPLOAD_PERMISSIONS", "FILE_UPLOAD_DIRECTORY_PERMISSIONS"})
_SAFE_REFERRER = frozenset({"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin", "origin",
                            "origin-when-cross-origin"})


def literal_is_safe(name: str, value: object) -> bool | None:
    """Whether a literal ``value`` given to setting ``name`` is on the safe side
    (True), the weak side (False), or the catalogue knows no safe direction for it
    (None). ``value`` is the Python value of the literal (a list of strings for a
    host list); anything else is a weak or unknown value, never a safe one."""
    if name in _SAFE_TRUE:
        return value is True
    if name in _SAFE_FALSE:
        return value is False or value is None or value == 0
    if name in _SAFE_SAMESITE:
        return isinstance(value, str) and value.lower() in ("lax", "strict")
    if name in _SAFE_LIMIT:
        return isinstance(value, int) and not isinstance(value, bool) and value > 0
    if name == "SECURE_HSTS_SECONDS":
        return isinstance(value, int) and not isinstance(value, bool) and value > 0
    if name in _SAFE_MODE:
        return value is None or isinstance(value, int) and not isinstance(value, bool) and not value & 0o022
    if name == "X_FRAME_OPTIONS":
        return isinstance(value, str) and value.upper() in ("DENY", "SAMEORIGIN")
    if name == "SECURE_REFERRER_POLICY":
        return isinstance(value, str) and value.lower() in _SAFE_REFERRER
    if name == "SECURE_CROSS_ORIGIN_OPENER_POLICY":
        return isinstance(value, str) and value.lower() in ("same-origin", "same-origin-allow-popups")
    if name == "PREFERRED_URL_SCHEME":
        return value == "https"
    if name in _SAFE_HOST_LIST:
        # the service's own names, written out: no wildcard (`*`, `.example.com` is a domain, not a wildcard)
        names = [value] if isinstance(value, str) else value if isinstance(value, (list, tuple)) else None
        return names is not None and bool(names) and all(isinstance(v, str) and v and "*" not in v for v in names)
    if name in ("SECRET_KEY", "SECRET_KEY_FALLBACKS", "JWT_SECRET_KEY", "SECURITY_PASSWORD_SALT"):
        return False if isinstance(value, (str, bytes)) and value else None  # a key written out is known to everyone
    return None
