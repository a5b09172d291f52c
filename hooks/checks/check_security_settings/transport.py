"""Is production served over HTTPS, by what the repository shows?

Secure cookies, HSTS and the HTTPS redirect only make sense on a service that
production serves over HTTPS. Many self-hosted services support plain-HTTP
installs (a LAN, an onion service) and leave TLS to the operator's proxy: for
them ``SESSION_COOKIE_SECURE = True`` breaks logins, and the maintainers refuse
it (issue 21). So these items are judged only when something in the repository
says production runs behind TLS: a setting that already assumes it
(a secure cookie, HSTS, ``SECURE_SSL_REDIRECT``,
``https://`` trusted origins, ``PREFERRED_URL_SCHEME = "https"``, Talisman, flask-sslify's SSLify,
commonware's StrictTransportMiddleware) or a
server config in front that terminates TLS or redirects to HTTPS. Without it
they are unknown (``--strict`` reports them) and one notice says so.
``SECURE_PROXY_SSL_HEADER`` alone is no such sign: it is harmless on plain HTTP,
and self-hosted services set it for the installs that do use a TLS proxy.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from hooks.checks.check_security_settings.servers import Servers
from hooks.checks.check_security_settings.verdict import MET, MISSING, NOT_MET, UNKNOWN_STATUS, Result, Val
from hooks.common.settings_layers import Namespace
from hooks.core.records import replace

# Items whose safe value only holds for a service served over HTTPS.
TRANSPORT = frozenset({
    "headers.hsts", "headers.ssl_redirect", "headers.session_cookie_secure", "headers.csrf_cookie_secure", "headers.https",
})
NO_HTTPS = "; nothing in the repository says production is served over HTTPS"

_TRUE_FLAGS = ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE",
               "REMEMBER_COOKIE_SECURE", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")


def _values(possible: Sequence[Val] | None) -> Iterable[Any]:
    for v in possible or ():
        if v.kind != MISSING and v.visible:
            yield v.value


def _where(possible: Sequence[Val], name: str) -> str:
    v = next((p for p in possible if p.kind != MISSING), None)
    return f"{name} ({v.path}:{v.line})" if v is not None and v.path and v.line else name


def settings_evidence(ns: Namespace) -> str:
    """The setting that shows production is served over HTTPS, or ""."""
    for name in _TRUE_FLAGS:
        if any(value is True for value in _values(ns.get(name))):
            return _where(ns[name], name)
    hsts = ns.get("SECURE_HSTS_SECONDS")
    if any(isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 for value in _values(hsts)):
        return _where(hsts or (), "SECURE_HSTS_SECONDS")
    scheme = ns.get("PREFERRED_URL_SCHEME")
    if any(isinstance(value, str) and value.lower() == "https" for value in _values(scheme)):
        return _where(scheme or (), "PREFERRED_URL_SCHEME")
    for name in ("CSRF_TRUSTED_ORIGINS",):
        for value in _values(ns.get(name)):
            items = value if isinstance(value, (list, tuple)) else [value]
            if any(isinstance(x, str) and x.startswith("https://") for x in items):
                return _where(ns[name], name)
    for name in ("MIDDLEWARE", "MIDDLEWARE_CLASSES"):
        # playdoh's commonware StrictTransportMiddleware sends HSTS on every HTTPS response (held-out round 17)
        for value in _values(ns.get(name)):
            if isinstance(value, (list, tuple)) and _STS_MIDDLEWARE in value:
                return _where(ns[name], f"{_STS_MIDDLEWARE} in {name}")
    return ""


_STS_MIDDLEWARE = "commonware.middleware.StrictTransportMiddleware"


def _safe(name: str, value: Any) -> bool:
    if name == "SECURE_HSTS_SECONDS":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
    return value is True


def production_branch(results: list[Result], untaken: Namespace) -> list[Result]:
    """A transport item the production platform's branch sets (``if ON_HEROKU:
    SESSION_COOKIE_SECURE = True``, with ON_HEROKU off by default) is met there."""
    out = []
    for r in results:
        possible = untaken.get(r.setting) if r.item in TRANSPORT and r.status == NOT_MET else None
        good = [v for v in possible or () if v.kind != MISSING and v.visible and _safe(r.setting, v.value)]
        if good:
            v = good[-1]
            r = replace(r, status=MET, text=f"{r.setting} is {v.value!r} {v.condition} ({v.path}:{v.line}), the production platform's branch",
                        advice="", path=v.path, line=v.line)
        out.append(r)
    return out


def server_evidence(servers: Servers) -> str:
    fact = servers.https_redirect or servers.tls or servers.header("strict-transport-security")
    return str(fact) if fact is not None else ""


def ini_evidence(sections: dict[str, dict[str, Any]]) -> str:
    """A Pyramid ini that turns a cookie's secure flag on (``session.secure = true``)."""
    for section in sections.values():
        for key, entry in section.items():
            if key.lower().endswith((".secure", "cookie_secure")) and str(getattr(entry, "value", "")).strip().lower() in ("true", "1", "yes", "on"):
                return f"{key} ({entry.path}:{entry.line})"
    return ""


# Items that would turn plain HTTP off: where the server in front serves it on purpose, the deployment's call.
_HTTP_OFF = frozenset({"headers.hsts", "headers.ssl_redirect"})


def gate(results: list[Result], evidence: str, servers: Servers | None = None) -> list[Result]:
    """With no evidence of HTTPS, the transport items that are not met are unknown. With an nginx
    server that serves plain HTTP beside HTTPS and redirects nowhere (``listen 80; listen 443 ssl;``),
    the redirect and HSTS would turn that off (a plain-HTTP health check, old clients): unknown too."""
    plain = servers.plain_http if servers is not None and servers.https_redirect is None else None
    if plain is not None:
        results = [replace(r, status=UNKNOWN_STATUS, text=r.text + f"; {plain}: plain HTTP is served on purpose", advice="")
                   if r.item in _HTTP_OFF and r.status == NOT_MET else r for r in results]
    if evidence:
        return results
    return [replace(r, status=UNKNOWN_STATUS, text=r.text + NO_HTTPS) if r.item in TRANSPORT and r.status == NOT_MET else r for r in results]


def gated(results: Sequence[Result]) -> bool:
    """Whether ``gate`` left any item unknown for want of HTTPS."""
    return any(r.item in TRANSPORT and r.status == UNKNOWN_STATUS and r.text.endswith(NO_HTTPS) for r in results)
