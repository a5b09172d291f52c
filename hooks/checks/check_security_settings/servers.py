"""What the servers in front of the app, configured in the same repo, cover.

nginx (``client_max_body_size``, security ``add_header`` lines, HTTPS
redirects, ``server_name``), uWSGI (``limit-post``), gunicorn
(``limit_request_line``/``_fields``/``_field_size``, in a config file or on a
command line), and Traefik's HTTPS redirect labels. Read line by line with
regexes: these files are not INI and are never executed.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Callable

from hooks.core.records import field, record

_COMMENT = re.compile(r"\s#.*$|^\s*#.*$")
_NGINX_BLOCK = re.compile(r"^\s*(server|http|location\b[^{]*)\s*\{", re.M)
_BODY = re.compile(r"\bclient_max_body_size\s+([0-9]+[kKmMgG]?)\s*;")
_HEADER = re.compile(r"\b(?:add_header|more_set_headers)\s+['\"]?([A-Za-z-]+)\s*:?\s*['\"]?([^;'\"]*)", re.I)
_HTTPS_REDIRECT = re.compile(r"\b(return\s+30[178]\s+https://|rewrite\s+\S+\s+https://)")
_SERVER_NAME = re.compile(r"\bserver_name\s+([^;]+);")
_LIMIT_POST = re.compile(r"^\s*limit-post\s*[=:]\s*['\"]?([0-9]+)", re.M)
_LIMIT_POST_FLAG = re.compile(r"--limit-post[ =]+['\"]?([0-9]+)")
_GUNICORN_SETTING = re.compile(r"^\s*(limit_request_line|limit_request_fields|limit_request_field_size)\s*=\s*([0-9]+)", re.M)
_GUNICORN_FLAG = re.compile(r"--(limit-request-line|limit-request-fields|limit-request-field_size|limit-request-field-size)[ =]+['\"]?([0-9]+)")
_PROXY = re.compile(r"--proxy-headers|--forwarded-allow-ips|forwarded_allow_ips\s*=|ProxyHeadersMiddleware|ProxyFix\(")
# Kubernetes ingress-nginx annotations (Helm values, manifests)
_INGRESS_BODY = re.compile(r"nginx\.ingress\.kubernetes\.io/proxy-body-size['\"]?\s*:\s*['\"]?([0-9]+[kKmMgG]?)")
_INGRESS_REDIRECT = re.compile(r"nginx\.ingress\.kubernetes\.io/(force-)?ssl-redirect['\"]?\s*:\s*['\"]?true", re.I)
_TRAEFIK_HOST = re.compile(r"\.rule=Host\(`([^`]+)`")
_NGINX_TLS = re.compile(r"\blisten\s+[^;]*\b443\b[^;]*\bssl\b|\bssl_certificate\s+\S")
_TRAEFIK_TLS = re.compile(r"\.tls(\.certresolver)?=|\.tls\s*:\s*true|certificatesresolvers\.", re.I)
# Apache httpd (a <VirtualHost> or mod_wsgi config)
_APACHE = re.compile(r"^\s*(<VirtualHost\b|WSGIScriptAlias\b|WSGIDaemonProcess\b|ProxyPass\b)", re.M | re.I)
_APACHE_TLS = re.compile(r"^\s*(SSLEngine\s+on|SSLCertificateFile\s)", re.I)
_APACHE_HEADER = re.compile(r"^\s*Header\s+(?:always\s+)?(?:set|append|merge|add)\s+['\"]?([A-Za-z-]+)['\"]?\s+['\"]?([^'\"]*)", re.I)
_APACHE_REDIRECT = re.compile(r"^\s*(Redirect(Match)?\s+(permanent\s+|30[178]\s+)?\S+\s+https://|RewriteRule\s+\S+\s+https://)", re.I)
_APACHE_BODY = re.compile(r"^\s*LimitRequestBody\s+([0-9]+)", re.I)
_TRAEFIK_HTTPS = re.compile(r"redirectscheme\.scheme=https|redirect-to-https|entrypoints\.\w+\.http\.redirections")
_MAX_BYTES = 1_000_000
# A fixed public host name in a server config: the certificate's folder, an HTTPS redirect's target, Apache's ServerName.
_DOMAIN = r"((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![\w.-])"
_HOST_NAMED = re.compile(rf"\bssl_certificate(?:_key)?\s+\S*/live/{_DOMAIN}/|\b(?:return\s+30[178]|rewrite\s+\S+)\s+https://{_DOMAIN}"
                         rf"|^\s*Server(?:Name|Alias)\s+(?:https?://)?{_DOMAIN}|^\s*Redirect\S*\s+(?:\S+\s+)*https://{_DOMAIN}", re.I)
# Names that are no one's public host: samples, the machine itself, private suffixes.
_NOT_PUBLIC = re.compile(r"(^|\.)(example\.(com|org|net)|localhost|local|lan|internal|home|test|invalid|localdomain)$|^(your|my)[-_]?domain\.", re.I)
_NGINX_PASS = re.compile(r"\b(proxy_pass|uwsgi_pass|fastcgi_pass|scgi_pass)\s+\S")
_TEST_PATH = re.compile(r"(^|/)(tests?|testing|regtest|e2e|docs?|examples?|\.github|\.devcontainer|\.circleci"
                        r"|devel|\.?ci|integration|test[-_][^/]*|contrib)/|(^|[/._-])(dev|local|test|ci)[._-][^/]*$")
_CANDIDATE = re.compile(
    r"(?ix)( nginx | uwsgi | gunicorn | \.conf$ | \.conf\.(template|j2|tmpl|erb)$ | (^|/)Procfile | (^|/)Dockerfile"
    r" | \.ini$ | ingress[^/]*\.ya?ml$ | values[^/]*\.ya?ml$ | docker-compose[^/]*\.ya?ml$ | compose[^/]*\.ya?ml$ | \.sh$ | \.service$ | "
    r"(^|/)sites-(available|enabled)/ )")


@record(frozen=True)
class Fact:
    text: str  # "client_max_body_size 10m"
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.text} in {self.path}:{self.line}"


@record
class Servers:
    body_limit: Fact | None = None  # a request body limit (nginx or uWSGI)
    unlimited: Fact | None = None  # client_max_body_size 0
    headers: dict[str, Fact] = field(default_factory=dict)  # lower-case header name -> where
    https_redirect: Fact | None = None
    proxy: Fact | None = None  # the app is told it runs behind a proxy
    server_name: Fact | None = None
    gunicorn: list[Fact] = field(default_factory=list)
    gunicorn_unlimited: Fact | None = None
    files: list[str] = field(default_factory=list)
    nginx_proxy: Fact | None = None  # an nginx server that passes requests to the app
    tls: Fact | None = None  # a server in front terminates TLS (listen 443 ssl, SSLEngine on, a Traefik cert resolver)
    apache: Fact | None = None  # an Apache (mod_wsgi, mod_proxy) config serves the app
    uwsgi: Fact | None = None  # a uWSGI config ([uwsgi] section) serves the app
    public_host: Fact | None = None  # a fixed public host name the server in front is set up for (a certificate, a redirect)
    # an nginx server that listens on plain port 80 beside 443 ssl and redirects nowhere: plain HTTP is served on purpose
    plain_http: Fact | None = None

    def app_sends(self, name: str, fact: Fact) -> None:
        """A header the project's own middleware sets on every response (the proxy's, when both, wins)."""
        self.headers.setdefault(name.lower(), fact)

    def header(self, name: str) -> Fact | None:
        return self.headers.get(name.lower())


# An extensionless file in a deployment folder (``deployment/represent``, a copy of
# /etc/nginx/sites-available/represent): read, and kept only when its text is an nginx site.
_DEPLOY_EXTENSIONLESS = re.compile(r"(^|/)(deploy|deployment|deployments)/([^/]+/)*[^/.]+$")
_COMMENT_LINES = re.compile(r"#[^\n]*")
_PLAIN_LISTEN = re.compile(r"^[ \t]*listen\s+(?:\[::\]:|[\d.]+:)?80\b[^;\n]*;", re.M)
_NGINX_SITE = (re.compile(r"^\s*server\s*\{", re.M), re.compile(r"^\s*listen\s+\S", re.M))


def candidates(paths: Iterable[str]) -> list[str]:
    """Server configs that can stand in front of production: not those of tests,
    docs or a developer's machine (``docker/regtest/nginx``, ``docker-compose.dev.yml``)."""
    return [p for p in paths if (_may_be_candidate(p) and _CANDIDATE.search(p) or "deploy" in p.lower() and _DEPLOY_EXTENSIONLESS.search(p))
            and not p.endswith((".md", ".rst", ".txt", ".html")) and not _TEST_PATH.search(p)]


def _server_blocks(text: str) -> Iterable[tuple[int, str]]:
    """(offset, text) of each nginx ``server { ... }`` block, by brace depth."""
    for m in re.finditer(r"^[ \t]*server\s*\{", text, re.M):
        depth, i = 0, m.end() - 1
        while i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        yield m.start(), text[m.start():i + 1]


def _plain_beside_tls(path: str, text: str) -> Fact | None:
    """An nginx server block that listens on plain port 80 and on 443 ssl: one site served both ways."""
    for start, block in _server_blocks(_COMMENT_LINES.sub(lambda m: " " * len(m.group(0)), text)):
        plain = _PLAIN_LISTEN.search(block)
        if plain and _NGINX_TLS.search(block):
            return Fact("nginx serves plain HTTP beside HTTPS (listen 80 and 443 ssl in one server, no redirect)", path,
                        _line_of(text, start + plain.start()))
    return None


def _unnamed_nginx_site(path: str, text: str) -> bool:
    """Whether an extensionless deployment file that no name marks as a server config holds an nginx site."""
    return all(pattern.search(text) for pattern in _NGINX_SITE)


# Every alternative of _CANDIDATE holds one of these (lower case): an ASCII path
# holding none cannot match it, and the substring test is ten times cheaper.
_CANDIDATE_WORDS = ("nginx", "uwsgi", "gunicorn", ".conf", "procfile", "dockerfile", ".ini", "ingress", "values", "compose",
                    ".sh", ".service", "sites-")


def _may_be_candidate(path: str) -> bool:
    if not path.isascii():
        return True  # re.I folds some non-ASCII letters to ASCII ones: let the regex judge
    low = path.lower()
    return any(w in low for w in _CANDIDATE_WORDS)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def scan(paths: Iterable[str], read: Callable[[str], str | None]) -> Servers:
    found = Servers()
    for path in sorted(candidates(paths)):
        try:
            if os.path.getsize(path) > _MAX_BYTES:
                continue
        except OSError:
            continue
        text = read(path)
        if not text:
            continue
        if not (_may_be_candidate(path) and _CANDIDATE.search(path)) and not _unnamed_nginx_site(path, text):
            continue
        before = (found.body_limit, len(found.headers), found.https_redirect, found.proxy, len(found.gunicorn), found.tls, found.apache, found.uwsgi)
        redirect = found.https_redirect
        _scan_text(path, text, found)
        if found.plain_http is None and found.https_redirect is redirect and _NGINX_BLOCK.search(text):
            found.plain_http = _plain_beside_tls(path, text)
        if before != (found.body_limit, len(found.headers), found.https_redirect, found.proxy, len(found.gunicorn), found.tls, found.apache, found.uwsgi):
            found.files.append(path)
    if found.body_limit is None and found.unlimited is None and found.nginx_proxy is not None:
        # nginx refuses bodies over 1 MB unless client_max_body_size says otherwise
        fact = found.nginx_proxy
        found.body_limit = Fact("nginx's default client_max_body_size of 1m (not set otherwise)", fact.path, fact.line)
    return found


def _body_limit(found: Servers, fact: Fact, size: str) -> None:
    """A request body limit; ``0`` is nginx's and ingress-nginx's "no limit"."""
    if size == "0":
        found.unlimited = found.unlimited or fact
    else:
        found.body_limit = found.body_limit or fact


def _scan_nginx_line(path: str, number: int, line: str, found: Servers) -> None:
    m = _BODY.search(line)
    if m:
        _body_limit(found, Fact(f"client_max_body_size {m.group(1)}", path, number), m.group(1))
    m = _HEADER.search(line)
    if m:
        name = m.group(1).lower()
        found.headers.setdefault(name, Fact(f"add_header {m.group(1)} {m.group(2).strip()}".strip(), path, number))
    m = _HTTPS_REDIRECT.search(line)
    if m:
        found.https_redirect = found.https_redirect or Fact("nginx redirect to https", path, number)
    if found.nginx_proxy is None and _NGINX_PASS.search(line) and not _TEST_PATH.search(path):
        found.nginx_proxy = Fact("nginx proxy", path, number)
    m = _SERVER_NAME.search(line)
    if m and m.group(1).strip() not in ("_", "localhost", "\"\"", "*", "default_server"):
        found.server_name = found.server_name or Fact(f"server_name {m.group(1).strip()}", path, number)


def _scan_apache_line(path: str, number: int, line: str, found: Servers) -> None:
    if _APACHE_TLS.search(line):
        found.tls = found.tls or Fact("Apache SSLEngine", path, number)
    m = _APACHE_HEADER.search(line)
    if m:
        found.headers.setdefault(m.group(1).lower(), Fact(f"Apache Header set {m.group(1)} {m.group(2).strip()}".strip(), path, number))
    if _APACHE_REDIRECT.search(line):
        found.https_redirect = found.https_redirect or Fact("Apache redirect to https", path, number)
    m = _APACHE_BODY.search(line)
    if m:
        _body_limit(found, Fact(f"Apache LimitRequestBody {m.group(1)}", path, number), m.group(1))


_JINJA_IF = re.compile(r"\{%-?\s*if\b")
_JINJA_ENDIF = re.compile(r"\{%-?\s*endif\b")


def _scan_optional_line(path: str, number: int, line: str, nginx: bool, apache: bool, found: Servers) -> None:
    """A line under a template's ``{% if %}``: what it adds counts, but an HTTPS
    redirect or a TLS listener there is optional and says nothing about production."""
    tls, redirect = found.tls, found.https_redirect
    if nginx:
        _scan_nginx_line(path, number, line, found)
    elif apache:
        _scan_apache_line(path, number, line, found)
    found.tls, found.https_redirect = tls, redirect


def _scan_front_line(path: str, number: int, line: str, nginx: bool, apache: bool, found: Servers) -> None:
    """A line of a server in front: nginx, Apache, Traefik labels."""
    if (nginx or apache) and found.public_host is None:
        m = _HOST_NAMED.search(line)
        host = next((g for g in m.groups() if g), "") if m else ""
        if host and not _NOT_PUBLIC.search(host):
            found.public_host = Fact(f"the host name {host}", path, number)
    if nginx:
        _scan_nginx_line(path, number, line, found)
        if _NGINX_TLS.search(line):
            found.tls = found.tls or Fact("nginx TLS listener", path, number)
    elif apache:
        _scan_apache_line(path, number, line, found)
    if _TRAEFIK_TLS.search(line) and ("traefik" in line.lower() or "certificatesresolvers" in line.lower()):
        found.tls = found.tls or Fact("Traefik TLS", path, number)


_INGRESS_KIND = re.compile(r"^kind:\s*['\"]?Ingress['\"]?\s*$", re.M)
_CERT_MANAGER = re.compile(r"^\s*['\"]?cert-manager\.io/(cluster-)?issuer['\"]?\s*:", re.M)
_YAML_TLS = re.compile(r"^([ \t]*)tls:[ \t]*$", re.M)
_YAML_HOST = re.compile(rf"^[ \t]*(?:-[ \t]*)?(?:host:[ \t]*)?['\"]?{_DOMAIN}['\"]?[ \t]*(?:#.*)?$")


_INGRESS_NGINX = re.compile(r"nginx\.ingress\.kubernetes\.io/|ingressClassName:\s*['\"]?nginx\b|kubernetes\.io/ingress\.class['\"]?\s*:\s*['\"]?nginx\b")
_RULE_HOST = re.compile(rf"^[ \t]*-?[ \t]*host:[ \t]*['\"]?{_DOMAIN}['\"]?[ \t]*$", re.M)


def _ingress_rules(path: str, text: str, found: Servers) -> None:
    """An Ingress whose every rule names a host routes only those Host headers to the app."""
    rules = text.count("http:")
    hosts = list(_RULE_HOST.finditer(text))
    if hosts and len(hosts) >= rules:
        found.server_name = found.server_name or Fact(f"Kubernetes Ingress rules for host {hosts[0].group(1)}", path, _line_of(text, hosts[0].start(1)))


def _scan_ingress(path: str, text: str, found: Servers) -> None:
    """A Kubernetes Ingress whose ``tls:`` lists host names (the certificate
    cert-manager or a secret holds for them): TLS in front, and a fixed public
    host name. A cert-manager issuer annotation alone says TLS."""
    if not _INGRESS_KIND.search(text):
        return
    lines = text.splitlines()
    for m in _YAML_TLS.finditer(text):
        indent = len(m.group(1).expandtabs())
        start = _line_of(text, m.start())
        for number in range(start + 1, len(lines) + 1):
            raw = lines[number - 1]
            if not raw.strip() or raw.strip().startswith("#"):
                continue
            depth = len(raw) - len(raw.lstrip())
            if depth < indent or (depth == indent and not raw.lstrip().startswith("-")):
                break  # the end of the tls: block
            h = _YAML_HOST.match(raw)
            if h and not _NOT_PUBLIC.search(h.group(1)):
                found.tls = found.tls or Fact(f"Kubernetes Ingress TLS for {h.group(1)}", path, number)
                found.public_host = found.public_host or Fact(f"the host name {h.group(1)}", path, number)
                if _INGRESS_NGINX.search(text):
                    # ingress-nginx redirects to HTTPS whenever an Ingress has tls: (ssl-redirect defaults to true)
                    found.https_redirect = found.https_redirect or Fact("ingress-nginx redirects to HTTPS for a tls: host", path, number)
                _ingress_rules(path, text, found)
                return
    issuer = _CERT_MANAGER.search(text)
    if issuer:
        found.tls = found.tls or Fact("Kubernetes Ingress with a cert-manager issuer", path, _line_of(text, issuer.start()))


def _scan_text(path: str, text: str, found: Servers) -> None:
    _scan_ingress(path, text, found)
    nginx = bool(_NGINX_BLOCK.search(text)) or "nginx" in path.lower()
    apache = _APACHE.search(text) if not nginx else None
    if apache and found.apache is None:
        found.apache = Fact("Apache", path, _line_of(text, apache.start(1)))
    lines = text.splitlines()
    optional = 0  # inside a template's {% if %}: an opt-in of the installer, not what every install serves
    for number, raw in enumerate(lines, 1):
        optional = max(0, optional + len(_JINJA_IF.findall(raw)) - len(_JINJA_ENDIF.findall(raw)))
        line = _COMMENT.sub("", raw)
        if not line.strip():
            continue
        if optional:
            _scan_optional_line(path, number, line, nginx, bool(apache), found)
            continue
        _scan_front_line(path, number, line, nginx, bool(apache), found)
        m = _LIMIT_POST_FLAG.search(line)
        if m and m.group(1) != "0":
            found.body_limit = found.body_limit or Fact(f"uWSGI --limit-post {m.group(1)}", path, number)
        m = _GUNICORN_FLAG.search(line)
        if m:
            fact = Fact(f"gunicorn --{m.group(1)} {m.group(2)}", path, number)
            found.gunicorn.append(fact)
            if m.group(2) == "0":
                found.gunicorn_unlimited = found.gunicorn_unlimited or fact
        m = _PROXY.search(line)
        if m:
            found.proxy = found.proxy or Fact(m.group(0).rstrip("(= "), path, number)
        m = _INGRESS_BODY.search(line)
        if m:
            _body_limit(found, Fact(f"ingress-nginx proxy-body-size {m.group(1)}", path, number), m.group(1))
        if _INGRESS_REDIRECT.search(line):
            found.https_redirect = found.https_redirect or Fact("ingress-nginx ssl-redirect", path, number)
        m = _TRAEFIK_HOST.search(line)
        if m:
            found.server_name = found.server_name or Fact(f"Traefik rule Host(`{m.group(1)}`)", path, number)
        if _TRAEFIK_HTTPS.search(line):
            found.https_redirect = found.https_redirect or Fact("Traefik redirect to https", path, number)
    if "[uwsgi]" in text:
        found.uwsgi = found.uwsgi or Fact("uWSGI", path, _line_of(text, text.index("[uwsgi]")))
        for m in _LIMIT_POST.finditer(text):
            if m.group(1) != "0":
                found.body_limit = found.body_limit or Fact(f"uWSGI limit-post {m.group(1)}", path, _line_of(text, m.start(1)))
    if path.endswith(".py") and "gunicorn" in path.lower():
        for m in _GUNICORN_SETTING.finditer(text):
            fact = Fact(f"gunicorn {m.group(1)} = {m.group(2)}", path, _line_of(text, m.start(1)))
            found.gunicorn.append(fact)
            if m.group(2) == "0":
                found.gunicorn_unlimited = found.gunicorn_unlimited or fact
