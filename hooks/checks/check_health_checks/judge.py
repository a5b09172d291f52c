"""The rules, applied to the repo view (``scan.RepoView``)."""
from __future__ import annotations

import ast
import copy
import os
import posixpath
import re
from collections.abc import Callable, Sequence
from typing import Any

from hooks.checks.check_health_checks import deploy, hosts, makefile, routes, scan, shellbranch, yamlread
from hooks.checks.check_health_checks.yamlread import TEMPLATE_KEY, templated
from hooks.core.records import field, record
from hooks.repo.roles import belongs_to_service

SUPPRESS = "or suppress with # legacy-config: ignore[check-health-checks]"
# Images of other people's software: their probes answer their own routes.
_THIRD_PARTY = re.compile(
    r"(^|/)(nginx|nginxinc|openresty|redis|valkey|postgres|postgis|mysql|mariadb|mongo|rabbitmq|memcached|elasticsearch|opensearch|"
    r"kibana|grafana|prometheus|prom|alertmanager|traefik|envoy|haproxy|caddy|minio|vault|consul|etcd|jaegertracing|jaeger|"
    r"otel|zookeeper|kafka|confluentinc|keycloak|mailhog|mailpit|localstack|selenium|pgbouncer|clickhouse|flower|mher|"
    r"bitnami|library|busybox|alpine|ubuntu|debian|curlimages|nats|temporalio|sentry|getsentry|apache|httpd|tomcat|"
    r"oauth2-proxy|cloudflare|datadog|fluent|fluentd|logstash|docker\.elastic\.co|quay\.io/prometheus|influxdb|telegraf|"
    r"couchdb|cassandra|neo4j|qdrant|weaviate|meilisearch|typesense|solr|varnish|squid|statsd|pgadmin|dpage|adminer|certbot|containrrr|"
    r"portainer|kong|schickling|axllent|vespaengine|milvusdb|chromadb|ollama)"
    r"([/:@]|$)", re.I)
_WEB_SERVER = re.compile(r"(?<![/\w.-])(nginx|httpd|apache2|apache2ctl|caddy|haproxy|envoy|traefik|lighttpd)(?![/\w.-])")
Image = tuple[deploy.Dockerfile, str | None]  # a Dockerfile and the stage built
_HTTP_APP = re.compile(r"\b(gunicorn|uwsgi|uvicorn|daphne|hypercorn|granian|waitress-serve)\b|runserver")
_DJANGO_SETTINGS = re.compile(r"ROOT_URLCONF|ALLOWED_HOSTS|INSTALLED_APPS|MIDDLEWARE|import \*|\binclude\(")
_DJANGO_CMD = re.compile(r"\bwsgi\b|\basgi\b|manage\.py|django")


_DOUBLE = re.compile(r"(?i)(^|[./_-])(mock|mocks|mocked|mockserver|fake|fakes|stub|stubs|dummy)([./_-]|$)")


def mock_service(svc: deploy.ComposeService) -> str:
    """Why a compose service is a test double of a service the app talks to (a ``platform_mock``
    service, one built from a ``mock_api/`` or ``fake-s3/`` folder), "" when it is not: it stands in for
    another system on a local or test stack and is never deployed, so it needs no health check."""
    if _DOUBLE.search(svc.name):
        return f"its name, {svc.name}"
    for folder in (os.path.dirname(svc.build or ""), svc.context or ""):
        if folder and _DOUBLE.search(os.path.normpath(folder)):
            return f"built from {os.path.normpath(folder)}"
    return ""


@record
class Finding:
    rule: str
    file: str
    line: int
    message: str
    identity: tuple[str, ...]
    sources: set[str] = field(default_factory=set)


@record
class Result:
    findings: list[Finding] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)  # where, check, path, verdict
    broken: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # development-only files and services
    checked: int = 0


def why_kind(why: str) -> str:
    for word, kind in (("built by CI from this compose file", "built by CI, run elsewhere"), ("declared ports", "probe port not declared"),
                       ("starts an app server", "command not recognised"), ("Dockerfile", "Dockerfile not in the repo"),
                       ("templat", "templated"), ("environment", "env var"), ("script", "script"), ("not in the repo", "third-party include"),
                       ("registry image", "registry image"), ("cannot be followed", "router not followed"), ("other framework", "other framework"),
                       ("no routes", "no routes found"), ("ALLOWED_HOSTS", "host settings"), ("middleware", "middleware"), ("redirect", "redirect"),
                       ("built FROM", "server software image"), ("gives the app a route", "route added by a package"),
                       ("under a prefix the hook cannot follow", "router not followed"), ("may not run the Python app", "another language's server"),
                       ("mount()", "mounted app"), ("is not a literal", "route not a literal"), ("cannot be told", "prefix not a literal"),
                       ("Django settings", "host settings"), ("other apps", "several apps"), ("Service selects", "templated"),
                       ("which answers its own routes", "web server answers")):
        if word in why:
            return kind
    return "other"


_CLUSTER_SOFTWARE = re.compile(
    r"(^|/)(gcr\.io/google[_-]containers|k8s\.gcr\.io|registry\.k8s\.io|jetstack|quay\.io/(coreos|jetstack|kubernetes-ingress-controller))/"
    r"|(^|[/_.-])(elasticsearch|nginx|redis|postgres|postgresql|mysql|mongodb|rabbitmq|memcached|kafka|zookeeper|minio|"
    r"defaultbackend|ingress-controller|kube-lego|cert-manager|cloudsql-proxy|cloud-sql-proxy|pgbouncer|haproxy|envoy)([:_.-]|$)",
    re.I)


def software(image: str) -> bool:
    """An image of known server software (nginx, httpd, caddy, ...), not a language base image."""
    name = re.sub(r"^(docker\.io/)?library/", "", image.split("@", 1)[0])
    return not templated(image) and (bool(_THIRD_PARTY.search(name)) and not re.match(r"(?i)(alpine|ubuntu|debian|busybox)\b", name)
                                     or bool(_CLUSTER_SOFTWARE.search(name.split(":", 1)[0])))


def server_software(image: str) -> bool:
    """``software`` judged on the image's name alone, its registry and tag templated or not:
    robot-shop's ``{{ .Values.image.repo }}/rs-mongodb:{{ .Values.image.version }}``."""
    name = re.sub(r"\{\{.*?\}\}|TEMPLATED_\d+", "", image.split("@", 1)[0]).rstrip(":")
    last = name.rsplit("/", 1)[-1].split(":", 1)[0]
    return bool(last) and bool(_SOFTWARE_NAME.match(last) or _THIRD_PARTY.search(last)) \
        and not re.match(r"(?i)(alpine|ubuntu|debian|busybox|library)$", last)


# `rs-mongodb`, `app-mysql-db`, `redis-server`: one prefix word at most, the software, a db/server suffix.
_SOFTWARE_NAME = re.compile(
    r"(?i)^(?:[a-z0-9]+[-_.])?(elasticsearch|opensearch|redis|valkey|postgres|postgresql|mysql|mariadb|mongo|mongodb|rabbitmq|"
    r"memcached|kafka|zookeeper|minio|pgbouncer|clickhouse|cassandra|couchdb|nats|etcd)(?:[-_.](db|server|\d+))*$")


# The default ports of server software a chart runs beside the app: redis, mongo, postgres, mysql, rabbitmq
# (AMQP), elasticsearch, memcached, kafka, zookeeper, clickhouse, cassandra, nats, etcd.
_SOFTWARE_PORTS = {6379, 27017, 5432, 3306, 5672, 9200, 11211, 9092, 2181, 8123, 9042, 4222, 2379}


def software_hints(c: deploy.Container, wl: deploy.Workload) -> bool:
    """A container whose image is templated beyond reading but that declares a server's well-known port
    and is named for it (container ``redis`` or Deployment ``{{...}}-redis`` on 6379): that server, not the app."""
    if not templated(c.image) or not any(isinstance(p, int) and p in _SOFTWARE_PORTS for p, _ in c.ports):
        return False
    names = [c.name, c.default_name, wl.default_name, *re.split(r"\{\{\.\.\.\}\}|TEMPLATED_\d+", wl.name)]
    return any(_SOFTWARE_NAME.match(n.strip("-_.")) for n in names if n.strip("-_."))


# The ports of server software that speaks no HTTP: postgres, mysql, redis, mongo, AMQP, memcached,
# kafka, zookeeper, cassandra, nats, etcd (9200 and 8123 answer HTTP: an app could too).
_DATA_PORTS = _SOFTWARE_PORTS - {9200, 8123}


def software_ports(c: deploy.Container, wl: deploy.Workload | None = None) -> bool:
    """A container of the repo's own image (``…/accounts-db:v1``, built ``FROM postgres``) that declares only
    the well-known ports of server software that speaks no HTTP (5432), starts no app server and is named for
    a database (its image, itself or its workload: ``accounts-db``, ``redis-cache``): that software."""
    numbers = [p for p, _ in c.ports]
    if not numbers or not all(isinstance(p, int) and p in _DATA_PORTS for p in numbers) or deploy.HTTP_SERVER.search(c.command):
        return False
    image = re.sub(r"\{\{.*?\}\}|TEMPLATED_\d+", "", c.image.split("@", 1)[0]).rsplit("/", 1)[-1].split(":", 1)[0]
    names = [image, c.name, c.default_name, *([wl.name, wl.default_name] if wl is not None else [])]
    return any(_DB_NAME.search(n) or _SOFTWARE_NAME.match(n) for n in names if n)


_DB_NAME = re.compile(r"(?i)(^|[-_.])(db|database)$")


_SCRIPT_WORD = re.compile(r"[\w./-]+")


def dev_script(command: str) -> str:
    """The development start script a container's command runs (``start-dev.sh``, ``run_dev_server.sh``,
    ``bin/start-local``): a script word (``*.sh``, or named start/run/boot/entrypoint) named for development; "" else."""
    for word in _SCRIPT_WORD.findall(command):
        name: str = os.path.basename(word)
        stem = name[:-3] if name.endswith(".sh") else name
        if (name.endswith(".sh") or re.match(r"(start|run|boot|entrypoint)[-_]", name)) and scan.DEV_NAME.search(stem):
            return name
    return ""


def grpc_port(wl: deploy.Workload) -> str:
    """The port of a workload that serves gRPC only: every declared port named for gRPC (``grpc``, ``grpc-api``),
    or a command that starts a gRPC server (``feast serve_transformations``, ``grpc_server``) and no HTTP one ("" else)."""
    ports = [(p, n) for c in wl.containers for p, n in c.ports if p != TEMPLATE_KEY]
    named = [n for _, n in ports if n]
    if ports and named and len(named) == len(ports) and all(_GRPC_PORT.match(n) for n in named):
        return named[0]
    commands = " ".join(c.command for c in wl.containers)
    if _GRPC_SERVER.search(commands) and not deploy.HTTP_SERVER.search(commands) and len(ports) == 1:
        port = ports[0][1] or ports[0][0]
        return "<port>" if templated(port) else str(port)
    return ""


# a command that may start a server the hook does not name: node server.js, npm start, flask run, an app/web/api module
_SERVES = re.compile(r"(?i)(?<![a-z])(serve|server|runserver|http|https|web|api|app|start|run|node|npm|yarn|java|nginx|flask|fastapi|streamlit|"
                     r"gradio|jupyter|uvicorn|gunicorn|daphne|hypercorn|waitress|bokeh|dash|panel)(?![a-z])")
# what a script's source shows when it serves a port
_SERVER_CODE = re.compile(r"\b(Flask|FastAPI|Starlette|Quart|Sanic|HTTPServer|ThreadingHTTPServer|TCPServer|make_server|serve_forever|"
                          r"start_http_server|runserver|uvicorn|gunicorn|waitress|aiohttp|tornado|http\.server|socketserver|websockets|"
                          r"grpc\.server|\.bind\(|app\.run\(|run_app|serve\()")
_GRPC_PORT = re.compile(r"(?i)^grpcs?(-\w+)?$")
_GRPC_SERVER = re.compile(r"(?i)\bgrpc[_-]?server\b|\bserve_transformations\b|\bgrpc\.server\(")


# What an image reference may hold (registry, path, tag, digest). Anything else (``<to be set by
# deploy_to_kubernetes>``, a space) is a placeholder a deploy script fills (``kubectl set image``) with the
# repo's own image. (``$``: a variable, ``${IMAGE:-redis:7}``, judged by the name below as before.)
_IMAGE_REFERENCE = re.compile(r"[A-Za-z0-9$][A-Za-z0-9._/:@+${}-]*")


def third_party(image: str) -> bool:
    if not image or templated(image) or not _IMAGE_REFERENCE.fullmatch(image.strip()):
        return False
    name = image.split("@", 1)[0]
    last = name.split(":", 1)[0] if "/" not in name else name.rsplit("/", 1)[0] + "/" + name.rsplit("/", 1)[1].split(":", 1)[0]
    return bool(_THIRD_PARTY.search(name)) or bool(_CLUSTER_SOFTWARE.search(last)) or \
        ("/" not in name.split(":", 1)[0] and not name.startswith("$"))


class Judge:
    def __init__(self, files: Sequence[str], read: Callable[[str], str | None], environment: Callable[[str], str | None],
                 rules: set[str], grep: Any = None, blobs: dict[str, str] | None = None, salt: str = "") -> None:
        from hooks.common.settings_layers import Resolver

        self.view = scan.RepoView(list(files), read, grep=grep, blobs=dict(blobs or {}), salt=salt)
        self.environment = environment
        self.rules = rules
        self.result = Result()
        self.resolver = Resolver(read)
        self.seen_checks: set[tuple[str, int]] = set()
        self._apps_read = False
        self.production: list[str] = []
        self._builds: dict[str, Any] | None = None
        self._build_lists: dict[str, Any] | None = None
        self.host_unknown: list[tuple[str, str]] = []  # (where, why): a django-hosts urlconf the hook cannot name

    # -- settings ---------------------------------------------------------------
    def settings_modules(self) -> list[str]:
        from hooks.config import formats

        return [f for f in self.view.files if f.endswith(".py") and belongs_to_service(f) and formats.is_settings_module(f)]

    def django(self) -> tuple[list[str], list[str]]:
        """(ROOT_URLCONFs, production settings modules)."""
        from hooks.common.settings_values import LITERAL
        from hooks.repo import production

        roots: list[str] = []
        django_mods = []
        for f in self.settings_modules():
            if not _DJANGO_SETTINGS.search(self.view.read(f) or ""):
                continue  # not a Django settings module, nor a layer on top of one
            names = self.resolver.module(f).names
            urlconf = names.get("ROOT_URLCONF")
            if not urlconf:
                continue
            django_mods.append(f)
            for val in urlconf:
                if val.kind == LITERAL and isinstance(val.value, str) and val.value not in roots:
                    roots.append(val.value)
                elif val.visible and isinstance(val.value, str) and val.value not in roots:
                    roots.append(val.value)
        prod = [f for f in django_mods if self.environment(f) == "production"]
        if not prod:
            prod = [f for f in django_mods if production.is_single_settings_module(f)]
        for f in django_mods:
            for val in self.resolver.module(f).names.get("ROOT_HOSTCONF", ()):
                self.host_urlconfs(val.value if val.kind == LITERAL or val.visible else None, roots)
        return roots, prod

    def host_urlconfs(self, hostconf: Any, roots: list[str]) -> None:
        """django-hosts: ``HostsRequestMiddleware`` routes each request through the urlconf of the
        ``host()`` its Host matches (``DEFAULT_HOST``'s otherwise); ``ROOT_URLCONF`` may be a placeholder.
        A path any host's urlconf serves is served; a urlconf the hook cannot name makes every path unknown."""
        if not isinstance(hostconf, str):
            self.host_unknown.append(("ROOT_HOSTCONF", "ROOT_HOSTCONF (django-hosts) is not a literal: which urlconf serves a path is unknown"))
            return
        found = self.modules.file(hostconf)
        tree = self.modules.tree(found) if found else None
        if found is None or tree is None:
            self.host_unknown.append((hostconf, f"ROOT_HOSTCONF {hostconf} (django-hosts) cannot be read: which urlconf serves a path is unknown"))
            return
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and routes._call_name(node) == "host"):
                continue
            target = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "urlconf"), None)
            if isinstance(target, ast.Attribute) and target.attr == "ROOT_URLCONF":
                continue  # settings.ROOT_URLCONF: read already
            urlconf = self.value(found, target) if target is not None else None
            if urlconf is None:
                self.host_unknown.append((found, f"a host() urlconf in {found} (django-hosts) is not a literal"))
            elif urlconf not in roots:
                roots.append(urlconf)

    def languages(self) -> list[str]:
        """LANGUAGES of the production settings, when every module that sets it writes a literal."""
        from hooks.common.settings_values import LITERAL

        codes: list[str] = []
        for f in self.production:
            for val in self.resolver.module(f).names.get("LANGUAGES", ()):
                if val.kind != LITERAL or not isinstance(val.value, (list, tuple)):
                    return []
                for item in val.value:
                    if not (isinstance(item, (list, tuple)) and item and isinstance(item[0], str)):
                        return []
                    codes.append(item[0])
        return sorted(set(codes), key=lambda c: (-len(c), c))

    def locale(self) -> str:
        """LANGUAGE_CODE when production runs LocaleMiddleware, which redirects /x/ to /<language>/x/."""
        from hooks.common.settings_layers import last
        from hooks.common.settings_values import LITERAL

        if len(self.production) != 1:
            return ""
        names = self.resolver.module(self.production[0]).names
        middleware, code = last(names.get("MIDDLEWARE")), last(names.get("LANGUAGE_CODE"))
        if middleware is None or middleware.kind != LITERAL or "django.middleware.locale.LocaleMiddleware" not in middleware.value:
            return ""
        return code.value if code is not None and code.kind == LITERAL and isinstance(code.value, str) else "en-us"

    def value(self, file: str, node: Any) -> str | None:
        """A string expression of app code: literals, f-strings, ``+``, and names or
        settings attributes the settings layers resolve."""
        from hooks.common.settings_layers import attribute
        from hooks.common.settings_values import INSTANCE

        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                got = self.value(file, v.value if isinstance(v, ast.FormattedValue) else v)
                if got is None:
                    return None
                parts.append(got)
            return "".join(parts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.value(file, node.left), self.value(file, node.right)
            return None if left is None or right is None else left + right
        if isinstance(node, ast.Name):
            val = self._name(file, node.id)
            return val.value if val is not None and val.visible and isinstance(val.value, str) else None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner = self._name(file, node.value.id)
            if owner is not None and owner.kind == INSTANCE:
                found = attribute(self.resolver)(owner, node.attr)
                return found.value if found is not None and found.visible and isinstance(found.value, str) else None
            imported = self.modules.imports(file).get(node.value.id)
            if imported and imported[0] and imported[1] is None:
                val = self._name(imported[0], node.attr)
                return val.value if val is not None and val.visible and isinstance(val.value, str) else None
        return None

    def _name(self, file: str, name: str) -> Any:
        from hooks.common.settings_layers import last

        if name not in self._assigned(file):
            # imported: run only the module it comes from (a config module), not this one with all its imports
            imported = self.modules.imports(file).get(name)
            if imported and imported[0] and imported[1]:
                return last(self.resolver.module(imported[0]).names.get(imported[1]))
            return None
        return last(self.resolver.module(file).names.get(name))

    def _assigned(self, file: str) -> set[str]:
        cache: dict[str, set[str]] = self.__dict__.setdefault("_assigned_cache", {})
        if file not in cache:
            tree = self.modules.tree(file)
            names: set[str] = set()
            for stmt in tree.body if tree is not None else []:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
                names.update(t.id for t in targets if isinstance(t, ast.Name))
            cache[file] = names
        return cache[file]

    # -- the run ----------------------------------------------------------------------
    def run(self) -> Result:
        view = self.view
        scan.read_deploy(view, self.environment)
        self.result.broken = view.broken
        self.result.skipped = view.skipped
        python = [f for f in view.files if f.endswith(".py") and belongs_to_service(f)]
        self.modules = routes.Modules(python, view.read)
        dev_files: dict[str, str] = {}
        view.compose = [self.own_image(svc) for svc in view.compose]
        for svc in view.compose:
            why = "" if svc.not_started else self.development(svc)
            if why:
                dev_files.setdefault(svc.file, f"service {svc.name} {why}")
        for svc in view.compose:
            if svc.not_started:
                self.view.skipped.append(f"{svc.file}: service {svc.name}: not started ({svc.not_started})")
                continue
            if svc.file in dev_files:
                # a stack whose web service is a development server is a development stack: its worker too
                self.view.skipped.append(f"{svc.file}: service {svc.name}: development only ({dev_files[svc.file]})")
                continue
            double = mock_service(svc)
            if double:
                self.view.skipped.append(f"{svc.file}: service {svc.name}: a test double, not a deployed app ({double})")
                continue
            self.compose_service(svc)
        for wl in view.workloads:
            self.workload(wl)
        for path, docker in view.dockerfiles.items():
            if scan.dev_only(path, self.environment(path)):
                continue
            check, none = docker.healthcheck()
            if check is not None and not none:
                self.tool_rule(check, docker)
            if check is not None and not none and (check.file, check.line) not in self.seen_checks:
                self.result.checked += 1
                if check.noop and deploy.APP_SERVER.search(docker.command()):
                    self.noop_rule(check, f"HEALTHCHECK in {path}", {path}, docker.command(),
                                   "HEALTHCHECK CMD curl -f http://localhost:<port><route>")
                self.path_rule(check, f"HEALTHCHECK in {path}", os.path.dirname(path), {path}, runs=docker.command())
        return self.result

    def tool_rule(self, check: deploy.Check, docker: deploy.Dockerfile) -> None:
        """A Dockerfile HEALTHCHECK that runs curl or wget in an image without it can never pass."""
        missing = deploy.missing_check_tool(docker, check.command)
        if missing is None:
            return
        tool, base = missing
        self.add("healthcheck-tool-missing", check.file, check.line,
                 f"HEALTHCHECK runs {tool}, but the image is built FROM {base}, which has no {tool}, and no RUN installs it "
                 f"nor COPY brings it: the check can never pass and the container is reported unhealthy; install {tool} in the "
                 f"final stage or check with python -c \"import urllib.request; urllib.request.urlopen('http://localhost:<port><route>')\", "
                 f"{SUPPRESS}", ("healthcheck-tool", check.file), {check.file})

    def apps(self) -> None:
        """Read the settings and the apps' routes, the first time a path or a Host needs judging."""
        if self._apps_read:
            return
        self._apps_read = True
        roots, self.production = self.django()
        scan.read_apps(self.view, roots, self.value, self.languages(), self.locale(), self.host_unknown)

    def add(self, rule: str, file: str, line: int, message: str, identity: tuple[str, ...], sources: set[str]) -> None:
        if rule in self.rules:
            self.result.findings.append(Finding(rule, file, line, message, identity, sources | {file}))

    def unknown(self, where: str, why: str) -> None:
        self.result.unknown.append((where, why))

    # -- compose ------------------------------------------------------------------------
    def command_of(self, svc: deploy.ComposeService) -> tuple[deploy.Dockerfile | None, str]:
        """The Dockerfile a service builds, and the command it runs."""
        docker = self.view.dockerfiles.get(os.path.normpath(svc.build)) if svc.build else None
        command = svc.command or (docker.command(svc.target) if docker else "")
        if svc.command and docker and not svc.own_entrypoint and docker.entrypoint(svc.target):
            command = f"{docker.entrypoint(svc.target)} {svc.command}"  # the image's ENTRYPOINT runs the compose command
        return docker, command

    def image_of(self, svc: deploy.ComposeService) -> Image | None:
        """The Dockerfile a service builds and its target stage (what its image paths hold)."""
        docker = self.view.dockerfiles.get(os.path.normpath(svc.build)) if svc.build else None
        if docker is not None and svc.build_args:
            docker = copy.copy(docker)
            docker.args = svc.build_args  # COPY ${RUN_SCRIPT} ...: the value the service builds with
        return (docker, svc.target) if docker is not None else None

    def development(self, svc: deploy.ComposeService) -> str:
        """Why a compose service is a development one ("" when it is not)."""
        if svc.target and scan.dev_only(svc.target, None):
            return f"builds the {svc.target} stage"
        if svc.watch and svc.build:
            return "syncs the code being edited into the container (develop: watch:, compose watch)"
        if svc.mounts_source and deploy.DEV_SERVER.search(self.command_of(svc)[1]):
            return "runs a reloading development server on the repo's code"
        tag = svc.image.rsplit(":", 1)[1] if ":" in svc.image.rsplit("/", 1)[-1] else ""
        if svc.build and (scan.DEV_NAME.search(tag) or svc.image.startswith("local/")):
            return f"builds the image {svc.image}"
        settings = svc.env.get("DJANGO_SETTINGS_MODULE", "")
        if settings and scan.DEV_NAME.search(settings.rsplit(".", 1)[-1]):
            return f"runs DJANGO_SETTINGS_MODULE={settings}"
        if svc.mounts_source and deploy.development_env(svc.env):
            return f"sets {deploy.development_env(svc.env)} on a bind mount of the repo's code"
        if svc.build and scan.DEV_NAME.search(os.path.basename(svc.build)):
            return f"builds {svc.build}"
        over = self.checkout_over_code(svc)
        if over:
            return f"bind-mounts the checkout over {over}, where its Dockerfile copies the code"
        script, _, text = self.script_run(self.command_of(svc)[1], svc.context, env=svc.env, image=self.image_of(svc)) if svc.build else ("", None, "")
        if script and scan.DEV_NAME.search(os.path.basename(script)):
            return f"starts with {script}"
        if svc.mounts_source and text and deploy.DEV_SERVER.search(text):
            return "runs a reloading development server on the repo's code (its start script, with the service's environment)"
        return ""

    def checkout_over_code(self, svc: deploy.ComposeService) -> str:
        """The container path where a service not kept running (no ``restart: always`` or
        ``unless-stopped``), in a compose file not named for production, bind-mounts its build context over the code its Dockerfile copied
        there (``.:/girder`` over ``COPY . /girder/``): the image's code is replaced by the
        checkout being edited, which is what a development stack does ("" when it does not)."""
        if svc.build is None or svc.context is None:
            return ""
        if self.environment(svc.file) == "production":
            return ""  # docker-compose.production.yml: its name says what it is
        docker = self.view.dockerfiles.get(os.path.normpath(svc.build))
        if docker is None:
            return ""
        copied = {dest for stage in docker.final(svc.target) for sources, dest, _ in stage.get("copies", [])
                  if any(posixpath.normpath(src) == "." for src in sources)}
        context = os.path.normpath(svc.context)
        return next((target for source, target in svc.binds if source == context and target in copied), "")

    def own_image(self, svc: deploy.ComposeService) -> deploy.ComposeService:
        """A service kept running (``restart: always``) that pulls an image the repo builds itself
        (``docker build -f docker/Dockerfile-prod -t allegro/ralph .`` in its Makefile, a script or
        CI): judged as if it built that Dockerfile. Anything else is left as written."""
        image = deploy.image_default(svc.image)
        if svc.build is not None or not image or templated(image) or "$" in image:
            return svc
        sibling = next((o for o in self.view.compose if o.file == svc.file and o.build is not None and o.image == svc.image), None)
        if sibling is not None:
            # image: fir:latest beside the service of the same file that builds fir:latest: compose builds it on up
            linked = copy.copy(svc)
            linked.build, linked.context, linked.target = sibling.build, sibling.context, sibling.target
            linked.built_by = f"{sibling.file}:{sibling.line}"
            return linked
        if third_party(image):
            return svc
        if svc.restart not in ("always", "unless-stopped") and not self.built_by_override(svc):
            return svc
        if self._builds is None:
            from hooks.checks.check_health_checks import builds

            self._builds = builds.image_builds(self.view.files, self.view.read, lambda p: os.path.normpath(p) in self.view.dockerfiles)
        from hooks.checks.check_health_checks.builds import find

        build = find(self._builds, image)
        if build is None:
            return svc
        linked = copy.copy(svc)
        linked.image = image
        linked.build, linked.context, linked.target, linked.built_by = build.dockerfile, build.context, build.target, build.where
        return linked

    def built_by_override(self, svc: deploy.ComposeService) -> bool:
        """Compose's own layering: the service's file pulls the published image, and the
        ``docker-compose.override.yml`` beside it (which ``docker compose up`` adds for development)
        builds the same service from source (apprise-api). Without ``-f`` overrides, the base file is
        what a deployment runs, restart policy or not."""
        folder = os.path.dirname(svc.file)
        if os.path.basename(svc.file) not in ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"):
            return False
        files = self.view.normed()
        for name in ("docker-compose.override.yml", "docker-compose.override.yaml", "compose.override.yml", "compose.override.yaml"):
            found = files.get(os.path.normpath(os.path.join(folder, name)))
            if found is None:
                continue
            try:
                docs = list(yamlread.load_all(self.view.read(found) or ""))
            except ValueError:
                return False
            services = docs[0].get("services") if docs and isinstance(docs[0], dict) else None
            override = services.get(svc.name) if isinstance(services, dict) else None
            return isinstance(override, dict) and override.get("build") is not None
        return False

    def built_elsewhere(self, svc: deploy.ComposeService) -> str:
        """Where CI builds a service's image from its compose file and pushes it (``taskboot
        build-compose``, ``docker compose build`` + ``push``): the file is a list of images to build,
        not a stack that runs, so where the image runs and how that checks it is not in it. A service
        kept running (``restart: always``/``unless-stopped``) or a file named for production is what a
        host runs: "" (and "" when CI does not build it)."""
        if svc.build is None or svc.restart in ("always", "unless-stopped") or self.environment(svc.file) == "production":
            return ""
        if self._build_lists is None:
            from hooks.checks.check_health_checks import builds

            normed = self.view.normed()
            candidates = self.view.holding(self.view.files, *builds.BUILD_LIST_NEEDLES, pathspecs=builds.BUILD_LIST_PATHSPECS)
            self._build_lists = builds.compose_build_lists(candidates, self.view.read, lambda p: os.path.normpath(p) in normed)
        from hooks.checks.check_health_checks.builds import repository

        made = self._build_lists.get(os.path.normpath(svc.file))
        if made is None or (made.images is not None and (not svc.image or repository(svc.image) not in made.images)):
            return ""
        return str(made.where)

    def side_harness(self, svc: deploy.ComposeService) -> bool:
        """A compose file in a service's folder that another compose file nearer the root also
        runs (robot-shop's payment/docker-compose.yaml beside its main docker-compose.yaml):
        the main one is what deploys it. A file nearer the root that CI only builds images from
        (``built_elsewhere``) deploys nothing: the one in the service's folder is judged by itself."""
        depth = svc.file.count("/")
        for other in self.view.compose:
            if other.file == svc.file or other.file.count("/") >= depth or self.built_elsewhere(other):
                continue
            if other.name == svc.name or (svc.context is not None and other.context == svc.context):
                return True
        return False

    def judged_elsewhere(self, svc: deploy.ComposeService, where: str) -> bool:
        """A service with no health check whose compose file is not what runs it: a list of images CI
        builds and pushes (unknown), or a side harness of a compose file nearer the root (skipped)."""
        built = self.built_elsewhere(svc)
        if built:
            self.unknown(where, f"built by CI from this compose file and pushed ({built}): "
                                "where the image runs, and how that checks it, is not in the repo")
            return True
        if self.side_harness(svc):
            self.result.skipped.append(f"{svc.file}: service {svc.name} is also defined by a compose file nearer the repo's root "
                                       "(a side harness for one service)")
            return True
        return False

    def compose_service(self, svc: deploy.ComposeService) -> None:
        docker, command = self.command_of(svc)
        where = f"{svc.file}:{svc.line}: service {svc.name}"
        runs = deploy.APP_SERVER.search(command)
        script = ""
        if not runs and svc.build is not None and command:
            script, runs = self.script_server(command, svc.context, env=svc.env, image=self.image_of(svc))
        if svc.build is None and third_party(svc.image):
            return  # another project's image checks its own routes
        if svc.build is None and not runs and not svc.healthcheck:
            if svc.image and not svc.healthcheck_disabled:
                self.result.checked += 1  # looked at: said as unknown, not "nothing to check"
                self.unknown(where, "a registry image: what it runs and whether it has a HEALTHCHECK is unknown")
            return
        check = svc.healthcheck
        none = svc.healthcheck_disabled
        inherited = False
        if check is None and not none and docker is not None:
            check, none = docker.healthcheck(svc.target)
            inherited = check is not None and not none
            if none:
                check = None
        if check is None and not runs and not command:
            # FROM elasticsearch with a plugin added, no command of its own and no health check: it runs
            # its base image's software, as a registry image of another project would; nothing is judged
            return
        self.result.checked += 1
        sources = {svc.file} | ({docker.path} if docker else set())
        if inherited and check is not None and svc.command and self.inherited_web_check(svc, check, command, sources):
            return
        if check is None and not none and runs:
            if svc.build is None:
                self.unknown(where, "a registry image: whether it has a HEALTHCHECK is unknown")
            elif docker is None:
                self.unknown(where, f"its Dockerfile ({svc.build}) is not in the repo")
            elif not self.judged_elsewhere(svc, where):
                server = runs.group(0).split()[0].strip("\"',") if runs else "an app server"
                if "runserver" in runs.group(0):
                    server = "manage.py runserver"
                if "celery" in server or deploy.CELERY_WORKER.search(runs.group(0)):
                    hint = "test: [CMD-SHELL, celery -A <app> inspect ping -d celery@$$HOSTNAME]"
                    server = "a celery worker"
                else:
                    hint = "test: [CMD, curl, -f, http://localhost:<port>/<health route>]"
                if script:
                    server += f" (started by {script})"
                dockerfile = f"its Dockerfile ({docker.path})"
                if svc.built_by:
                    dockerfile = f"the Dockerfile its image {svc.image} is built from ({docker.path}, by {svc.built_by})"
                    sources.add(svc.built_by.rsplit(":", 1)[0])
                self.add("service-without-healthcheck", svc.file, svc.line,
                         f"service {svc.name} runs {server} but neither it nor {dockerfile} declares a health check, "
                         f"so nothing notices when it hangs; add healthcheck: ({hint}) or a HEALTHCHECK to the Dockerfile, {SUPPRESS}",
                         (svc.name,), sources)
        if check is None:
            if svc.build is not None and not runs and not none and command:
                self.unknown(where, f"whether `{command[:40]}` starts an app server (a script or entrypoint command) is unknown")
            return
        self.seen_checks.add((check.file, check.line))
        self.noop_rule(check, f"the health check of service {svc.name}", sources, command,
                       "test: [CMD, curl, -f, http://localhost:<port><route>]", serves=runs is not None)
        if check.kind != "http" and check.unknown:
            self.unknown(f"{check.file}:{check.line}: service {svc.name}", check.unknown)
        context = svc.context if svc.build else None
        base = docker.final(svc.target)[0]["base"] if docker and docker.final(svc.target) else ""
        if check.kind == "http" and not check.remote and base and software(base) and not _HTTP_APP.search(command):
            # FROM nginx:stable with the built front end copied in: nginx answers, not the Python app
            self.unknown(f"{check.file}:{check.line}: service {svc.name}", f"the image is built FROM {base}, which answers its own routes")
        else:
            self.path_rule(check, f"service {svc.name}", context, sources, runs=command)
        if check.kind == "tcp" and _HTTP_APP.search(command):
            self.add("tcp-only-check", check.file, check.line,
                     f"service {svc.name} serves HTTP but its health check only sees that a port or process is there; "
                     f"ask a route instead (curl -f http://localhost:<port>/<health route>), {SUPPRESS}", (svc.name,), sources)

    def noop_rule(self, check: deploy.Check, what: str, sources: set[str], command: str, fix: str, serves: bool = True) -> None:
        """probe-checks-nothing: a check whose command always succeeds (``exec: [pwd]``, ``test: [CMD, "true"]``),
        of a container that serves."""
        if not check.noop or not serves:
            return
        effect = {"readiness": "the pod counts as ready before the app answers and stays in rotation when it stops answering",
                  "liveness": "a hung app is never restarted",
                  "startup": "liveness starts before the app is up"}.get(check.role, "the container counts as healthy whatever the app does")
        route = self.health_route(command)
        where = f"the app serves {route}" if route else "point it at a health route of the app"
        self.add("probe-checks-nothing", check.file, check.line,
                 f"{what} runs `{' '.join(check.noop.split())[:60]}`, which always succeeds: it checks nothing, so {effect}; "
                 f"{where}: use {fix.replace('<route>', route or '/<health route>')}, {SUPPRESS}", (what,), sources)

    def health_route(self, command: str) -> str:
        """A literal health route of the app a command runs ("" when none, or the repo may run another one)."""
        self.apps()
        if self.view.non_python and not _HTTP_APP.search(command):
            return ""
        tables = self.named_app(self.view.tables, command) or self.view.tables
        paths: list[str] = []
        for table in tables:
            if table.framework == "django":
                paths += ["/" + p.lstrip("/") for p in _django_literals(table.django, "/")]
            else:
                paths += [r.replace("\\", "") for r, exact in table.patterns if exact and not re.search(r"[\[\](){}*+?|^$]", r.replace("\\", ""))]
        for word in ("health", "ready", "alive", "live", "ping", "heartbeat", "status"):
            hits = sorted({p for p in paths if word in p.lower() and not re.search(r"[\[\](){}*+?|^$<>]", p)}, key=lambda p: (len(p), p))
            if hits:
                return hits[0]
        return ""

    def inherited_web_check(self, svc: deploy.ComposeService, check: deploy.Check, command: str, sources: set[str]) -> bool:
        """A service whose ``command:`` swaps the image's web server for a worker (``rq worker``,
        ``celery worker``) but keeps the image's HTTP HEALTHCHECK: nothing in that container
        answers it, so the container is never healthy. Said as a finding; True when said."""
        if check.kind != "http" or check.remote:
            return False
        text = command
        if _HTTP_APP.search(text) is None and _WORKER.search(text) is None and svc.build is not None:
            text = self.script_run(command, svc.context, env=svc.env, image=self.image_of(svc))[2]
        worker = _WORKER.search(text)
        if worker is None or _HTTP_APP.search(text) is not None:
            return False
        url = f":{check.port}{check.path or '/'}" if check.port else (check.path or "an HTTP route")
        program = " ".join(worker.group(0).split())
        self.add("service-without-healthcheck", svc.file, svc.line,
                 f"service {svc.name} runs {program}, but the HEALTHCHECK it inherits from its image ({check.file}:{check.line}) "
                 f"asks {url}, which nothing in this container serves, so it is never healthy; override healthcheck: "
                 f"for the worker (or disable: true), {SUPPRESS}", (svc.name,), sources | {check.file})
        return True

    def script_server(self, command: str, context: str | None, depth: int = 0,
                      env: dict[str, str] | None = None, image: Image | None = None) -> tuple[str, re.Match[str] | None]:
        """The app server a start script of the repo runs (``docker-entrypoint.sh`` ending in
        ``exec gunicorn ...``): (the script, the match), or ("", None). A script that picks
        what to run from its first argument (``case "$1" in start) ...``, ``if [[ "$target" ==
        worker ]]`` after ``target=${1:-app}``) or from a variable the service sets
        (``CONTAINER_ROLE=api`` in its ``environment:``) is followed into the branch that value
        (or the script's ``${1:-start}`` default) selects, and a script that branch (or the
        script) runs, one level down; when the branch cannot be told and the branches run
        different servers it is not followed."""
        found, hit, _ = self.script_run(command, context, depth, env, image)
        return found, hit

    def script_run(self, command: str, context: str | None, depth: int = 0,
                   env: dict[str, str] | None = None, image: Image | None = None) -> tuple[str, re.Match[str] | None, str]:
        """``script_server``, and the text of the script that runs (its selected branches)."""
        words = deploy.command_words(command)
        made = makefile.call(words)
        if made is not None:
            rule, recipe = self.make_recipe(made, context)
            if rule:
                return self.follow_part(rule, recipe, context, depth, env, image)
        if image is not None and words and (os.path.basename(words[0]) == "my_init" or (os.path.basename(words[0]) == "runsvdir"
                                                                                          and "/etc/service" in words[1:])):
            return self.runit(image, context, depth, env)
        for i, word in enumerate(words):
            if not re.search(r"\.sh[\"']?$|(^|/)(docker-)?entrypoint$|(^|/)(start|run|serve|boot)[\w-]*$|(^|/)\w+[-_](start|startup|run|entrypoint)$", word):
                continue
            found = self.repo_script(word.strip("\"'"), context, image)
            if found is None:
                continue
            text = self.view.read(found) or ""
            body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
            args = [w for w in words[i + 1:] if not w.startswith("-")]
            passes_on = i + 1 < len(words) and _EXEC_ARGS.search(body) is not None
            lookup = _script_values(body, args, env)
            branch = _case_branch(body, args, lookup)
            if branch is None:
                resolved = shellbranch.resolve(body, lookup)
                if any(_different_servers(arms) for arms in resolved.undecided):
                    return "", None, ""
                if passes_on and deploy.APP_SERVER.search(resolved.text) is None:
                    continue  # an entrypoint ending in exec "$@": the words after it are the command it runs
                if not resolved.decided and args and re.search(r"\bcase\b|\$\{?1\b|\$\{?@", body):
                    return "", None, ""
                part = resolved.text
            else:
                part = shellbranch.resolve(branch, lookup).text
            followed = self.follow_part(found, part, context, depth, env, image)
            if followed[1] is None and passes_on:
                continue  # an entrypoint ending in exec "$@": the words after it are the command it runs
            return followed
        return "", None, ""

    def runit(self, image: Image, context: str | None, depth: int,
              env: dict[str, str] | None) -> tuple[str, re.Match[str] | None, str]:
        """phusion's ``/sbin/my_init``: runit starts every ``/etc/service/<name>/run`` the Dockerfile
        copies (the source may be a build arg's value); the one that runs an HTTP server, else the
        first that runs an app server."""
        hits: list[tuple[str, re.Match[str] | None, str]] = []
        for path in deploy.runit_services(*image):
            files = self.view.normed()
            base = os.path.normpath(context) if context else "."
            copied = [files[c] for c in (os.path.normpath(os.path.join(base, src)) for src in deploy.copied_from(image[0], image[1], path)) if c in files]
            if not copied:
                continue
            found = copied[0]
            body = "\n".join(line for line in (self.view.read(found) or "").splitlines() if not line.lstrip().startswith("#"))
            followed = self.follow_part(found, body, context, depth, env, image)
            if followed[1] is not None:
                hits.append(followed)
        web = [h for h in hits if h[1] is not None and deploy.HTTP_SERVER.search(h[1].group(0))]
        return (web or hits or [("", None, "")])[0]

    def follow_part(self, found: str, part: str, context: str | None, depth: int,
                    env: dict[str, str] | None, image: Image | None = None) -> tuple[str, re.Match[str] | None, str]:
        """What the text a script (or a make recipe) runs starts: an app server written in it, one a
        supervisord config of it runs, or (one level down) one a script or ``make`` target it calls runs."""
        hit = deploy.APP_SERVER.search(part)
        if hit is not None:
            return found, hit, part
        conf, hit = self.supervisord(part, context, image)
        if hit is not None:
            return f"{found} -> {conf}", hit, part
        if depth == 0:
            for line in part.splitlines():
                inner, deeper, more = self.script_run(re.sub(r"^\s*(exec|source|\.|bash|sh)\s+", "", line), context, 1, env, image)
                if deeper is not None:
                    return f"{found} -> {inner}", deeper, part + "\n" + more
        return "", None, part

    def make_recipe(self, made: makefile.MakeCall, context: str | None) -> tuple[str, str]:
        """``make <target>`` in a command: ("Makefile target", the recipe it runs), or ("", "")."""
        if not made.targets:
            return "", ""
        for cand in makefile.candidates(made):
            found = self.repo_makefile(cand, context)
            if found is None:
                continue
            text = makefile.recipe(self.view.read(found) or "", made.targets, made.variables)
            return (f"{found} {' '.join(made.targets)}", text) if text else ("", "")
        return "", ""

    def repo_makefile(self, path: str, context: str | None) -> str | None:
        """The Makefile a command in the container reads: under the build context (the image's
        working directory holds the context's copy), else the repo root's when there is no context."""
        files = self.view.normed()
        for base in [os.path.normpath(context)] if context else ["."]:
            cand = os.path.normpath(os.path.join(base, path))
            if cand in files:
                return files[cand]
        return None

    def supervisord(self, script: str, context: str | None, image: Image | None = None) -> tuple[str, re.Match[str] | None]:
        """``exec supervisord -c "$SUPERVISORD_CONF"`` in a start script (the variable assigned a literal in it):
        the app server a ``[program:x]`` ``command=`` of that config runs, and the config."""
        m = re.search(r"\bsupervisord\b[^\n]*?\s(?:-c|--configuration)[\s=]+[\"']?([^\s\"']+)", script)
        if m is None:
            return "", None
        word = m.group(1)
        var = re.fullmatch(r"\$\{?(\w+)\}?", word)
        if var:
            values = set(re.findall(rf"^\s*(?:export\s+)?{var.group(1)}=[\"']?([^\s\"'$`]+)[\"']?\s*$", script, re.M))
            if len(values) != 1:
                return "", None
            word = values.pop()
        found = self.repo_script(word, context, image)
        if found is None:
            return "", None
        text = self.view.read(found) or ""
        for section in re.split(r"(?m)^\s*\[", text):
            if not section.startswith("program:"):
                continue
            command = re.search(r"(?m)^\s*command\s*=\s*(.+)$", section)
            hit = deploy.APP_SERVER.search(command.group(1)) if command else None
            if hit is not None:
                return found, hit
        return "", None

    def repo_script(self, word: str, context: str | None, image: Image | None = None) -> str | None:
        """The repo file a command's script word names: the file the service's Dockerfile copies to
        that image path (``COPY ./compose/production/django/start /start``), else under the build
        context (``./bin/run.sh``, or ``/app/docker-entrypoint.sh`` copied from the context), else the
        one file of that name."""
        name = os.path.basename(word)
        files = self.view.normed()
        base = os.path.normpath(context) if context else "."
        if image is not None and word.startswith("/"):
            for src in deploy.copied_from(image[0], image[1], word):
                cand = os.path.normpath(os.path.join(base, src))
                if cand in files:
                    return files[cand]
        for cand in (os.path.join(base, word.lstrip("./")) if not word.startswith("/") else "", os.path.join(base, name)):
            if cand and os.path.normpath(cand) in files:
                return files[os.path.normpath(cand)]
        same = [f for f in self.view.named(name) if belongs_to_service(f)]
        return same[0] if len(same) == 1 else None

    # -- Kubernetes ------------------------------------------------------------------------
    def own_bare_image(self, c: deploy.Container) -> bool:
        """A bare image name (``iriswebapp_app:v2.2.2``, no registry or owner: read as an official
        Docker Hub image) whose container starts an app server, itself or through a start script of
        the repo (``./iris-entrypoint.sh iriswebapp``): the repo's own image, built and loaded by hand."""
        name = c.image.split("@", 1)[0]
        if not name or templated(name) or "/" in name.split(":", 1)[0] or server_software(name) or software(name):
            return False
        if deploy.HTTP_SERVER.search(c.command) is not None:
            return True
        hit = self.script_server(c.command, None)[1]
        return hit is not None and deploy.HTTP_SERVER.search(hit.group(0)) is not None  # a worker's image: not told apart from a registry one

    def workload(self, wl: deploy.Workload) -> None:
        ours = [c for c in wl.containers if not third_party(c.image) or self.own_bare_image(c)]
        if not ours:
            return
        if wl.kind not in deploy.SERVED and not any(c.probes for c in ours):
            return  # a Pod, Job or DaemonSet with no probe (a CI agent's pod template): nothing a rule judges, not counted
        script = next((dev_script(c.command) for c in ours if dev_script(c.command)), "")
        if script:
            # `/bin/sh -c /opt/app/start-dev.sh`: a local-development fake or stack, as a compose service starting one is
            self.result.skipped.append(f"{wl.file}: {wl.kind} {wl.name or '?'}: development only (its container starts {script})")
            return
        self.result.checked += 1
        label = f"{wl.kind} {wl.name or '?'}"
        if wl.kind in deploy.SERVED and not wl.patches:
            self.readiness(wl, label)
        for c in ours:
            probes = c.probes
            for role, check in probes.items():
                what = f"{role} of container {c.name} in {label}"
                if check.noop and (c.ports or deploy.APP_SERVER.search(c.command)) and not software_ports(c) \
                        and not server_software(c.image):
                    port = next((n or str(p) for p, n in c.ports if p != TEMPLATE_KEY and not templated(n or str(p))), "<port>")
                    self.noop_rule(check, what, {wl.file}, c.command, f"httpGet: {{path: <route>, port: {port}}}")
                if check.kind in ("http", "tcp", "grpc") and not wl.patches:
                    self.port_rule(check, c, what)
                front = _WEB_SERVER.search(c.command)
                if check.kind == "http" and front and not _HTTP_APP.search(c.command) and not check.remote:
                    # `envsubst ... && nginx -g 'daemon off;'`: the web server answers, from a config the probe cannot see
                    self.unknown(f"{check.file}:{check.line}: {what}", f"the container runs {front.group(1)}, which answers its own routes")
                elif check.kind == "http":
                    self.path_rule(check, what, None, {wl.file}, c)
                    if not check.host_header and not check.remote:
                        self.host_rule(check, c, what, wl)
                elif check.unknown:
                    self.unknown(f"{check.file}:{check.line}: {what}", check.unknown)
            ready, live = probes.get("readinessProbe"), probes.get("livenessProbe")
            if ready and live and ready.kind == live.kind == "http" and ready.path and ready.path == live.path \
                    and str(ready.port) == str(live.port) and live.tolerance and live.tolerance <= ready.tolerance:
                self.add("identical-liveness-readiness", wl.file, live.line,
                         f"livenessProbe of container {c.name} in {label} asks the same {live.path} as its readinessProbe and gives up no later "
                         f"({live.tolerance}s vs {ready.tolerance}s): a slow dependency restarts the pod instead of taking it out of rotation; "
                         f"give liveness a cheaper path or a longer failureThreshold, {SUPPRESS}", (wl.kind, wl.name, c.name), set())
            if probes and all(p.kind == "tcp" for p in probes.values()) and _HTTP_APP.search(c.command):
                first = next(iter(probes.values()))
                self.add("tcp-only-check", wl.file, first.line,
                         f"container {c.name} in {label} serves HTTP but its probes only open a TCP connection; use httpGet on a health route, {SUPPRESS}",
                         (wl.kind, wl.name, c.name), set())

    def readiness(self, wl: deploy.Workload, label: str) -> None:
        if any("readinessProbe" in c.probes or c.has_template_keys for c in wl.containers):
            return
        # a manifest with no namespace goes where `kubectl -n` sends it: it may meet a Service that names one
        selectors = [s for s in self.view.services if s.unit == wl.unit and (s.namespace == wl.namespace or not s.namespace or not wl.namespace)]
        selectors = [s for s in selectors if not s.metrics_only]  # scraped for metrics only: no clients to hold back
        if not any(c.ports for c in wl.containers) or self.consumer(wl):
            # a queue consumer (no port, or a celery worker that serves nothing on the port it declares):
            # a headless Service gives it DNS only (robot-shop's dispatch, substra's builder StatefulSet)
            selectors = [s for s in selectors if not s.headless]
        # a workload that declares no port is behind a Service only on a selector proven to pick it
        portless = not any(c.ports for c in wl.containers)
        verdicts = [(s, deploy.selects(s.selector, wl.labels, strict=portless)) for s in selectors]
        chosen = [s for s, v in verdicts if v]
        maybe = [s for s, v in verdicts if v is None]
        if not chosen:
            if maybe:
                self.unknown(f"{wl.file}:{wl.line}: {label}", "whether a Service selects it is templated")
            return
        # a kustomize patch (or any other manifest of the same workload) may add the probe
        for other in self.view.workloads:
            if other is not wl and other.patches and other.kind == wl.kind and other.name == wl.name and \
                    any("readinessProbe" in c.probes or c.has_template_keys for c in other.containers):
                return
        if self.portless_script(wl):
            self.unknown(f"{wl.file}:{wl.line}: {label}", "it declares no port and its command starts no server the hook knows "
                         "(a listener script): whether anything answers the Service is unknown")
            return
        imaged = [c for c in wl.containers if c.image]
        if imaged and all(server_software(c.image) or server_software(c.default_image) or software_hints(c, wl) for c in imaged):
            self.unknown(f"{wl.file}:{wl.line}: {label}", "its image is built FROM server software (a database, a broker): "
                         "readiness is that software's, not an HTTP route of the app")
            return
        if imaged and all(software_ports(c, wl) for c in imaged):
            ports = ", ".join(sorted({str(p) for c in imaged for p, _ in c.ports}))
            self.unknown(f"{wl.file}:{wl.line}: {label}", f"its containers declare only the well-known ports of server software ({ports}): "
                         "built FROM server software (a database, a broker), readiness is that software's, not an HTTP route of the app")
            return
        if all(s.lb_health for s in chosen):
            self.unknown(f"{wl.file}:{wl.line}: {label}", f"its Service {chosen[0].name or '?'} ({chosen[0].file}) is health-checked by its "
                         f"load balancer at {chosen[0].lb_health} (an annotation); whether in-cluster traffic needs a readinessProbe too is unknown")
            return
        container = wl.containers[0] if wl.containers else None
        line = container.line if container else wl.line
        service = chosen[0]
        grpc = grpc_port(wl)
        number = grpc if grpc.isdigit() else "<its number>"  # a grpc probe takes no port name
        fix = (f"it serves gRPC only, so add readinessProbe: (tcpSocket: {{port: {grpc}}}, or grpc: {{port: {number}}} when the server "
               "registers the gRPC health service)") if grpc else "add readinessProbe: (httpGet: {path: <health route>, port: <port>})"
        # off by default (hue's opt-in daphne was judged real): said, still judged; whoever turns it on meets the gap
        off = f" (not deployed by default: {wl.disabled})" if wl.disabled else ""
        self.add("missing-readiness", wl.file, line,
                 f"{label} is behind Service {service.name or '?'} ({service.file}) but none of its containers has a readinessProbe, "
                 f"so traffic reaches pods before they can answer{off}; {fix}, {SUPPRESS}",
                 (wl.kind, wl.name), {service.file})

    def portless_script(self, wl: deploy.Workload) -> bool:
        """No container declares a port and each runs ``python <script>.py``, a script of the repo that
        starts no server (Sefaria's ``python multiserver-monitor.py``, a pub/sub listener behind a leftover Service)."""
        ours = [c for c in wl.containers if c.image]
        if not ours:
            return False
        for c in ours:
            script = re.search(r"\bpython[\d.]*\s+(?:-u\s+)?([\w./-]+\.py)\b", c.command)
            if c.ports or not script or deploy.HTTP_SERVER.search(c.command) or _SERVES.search(c.command):
                return False
            found = self.repo_script(script.group(1), None)
            if found is None or _SERVER_CODE.search(self.view.read(found) or "x.serve_forever()"):
                return False
        return True

    @staticmethod
    def consumer(wl: deploy.Workload) -> bool:
        """Every container of the workload runs celery (worker or beat), and none an HTTP server."""
        ours = [c for c in wl.containers if c.image and not third_party(c.image)]
        return bool(ours) and all(deploy.CELERY.search(c.command) and not deploy.HTTP_SERVER.search(c.command) for c in ours)

    def port_rule(self, check: deploy.Check, c: deploy.Container, what: str) -> None:
        port = check.port
        if port is None or templated(port) or any(p == TEMPLATE_KEY or templated(p) or templated(n) for p, n in c.ports):
            return
        numbers = {p for p, _ in c.ports if isinstance(p, int)}
        names = {n for _, n in c.ports if n}
        if isinstance(port, str) and not port.isdigit():
            if port in names:
                return
            have = ", ".join(sorted(names)) or "none"
            self.add("probe-port-not-exposed", check.file, check.line,
                     f"{what} uses the port named {port!r}, which the container does not declare (named ports: {have}): the probe always fails; "
                     f"name the port under ports: or use its number, {SUPPRESS}", (what, str(port)), set())
            return
        number = int(port) if isinstance(port, (int, str)) else None
        if number is None or not c.declared_ports or not numbers or number in numbers:
            return
        # The kubelet probes a number whether ports: declares it or not: an undeclared number is a
        # finding only when the container's command says the app listens elsewhere.
        listens = deploy.listen_ports(c.command, c.env)
        declared = ", ".join(str(n) for n in sorted(numbers))
        if number in {n for n, _ in listens}:
            return  # the app listens there; declaring it is tidy-up, not a broken probe
        if not listens:
            self.unknown(f"{check.file}:{check.line}: {what}", f"port {number} is not among the declared ports ({declared}); "
                         "the kubelet probes it anyway; whether the app listens there is not written in the manifest")
            return
        shown = ", ".join(f"{n} ({how})" for n, how in listens)
        self.add("probe-port-not-exposed", check.file, check.line,
                 f"{what} uses port {number}, but the container's command listens on {shown} and declares {declared}, "
                 f"so nothing may answer on {number}; probe the port the app listens on, {SUPPRESS}", (what, str(number)), set())

    # -- routes ---------------------------------------------------------------------------
    def tables_for(self, context: str | None) -> list[routes.Table]:
        tables = self.view.tables
        if context:
            inside = [t for t in tables if context in ("", ".") or os.path.normpath(t.where).startswith(os.path.normpath(context) + os.sep)]
            return inside
        return tables

    def path_rule(self, check: deploy.Check, what: str, context: str | None, sources: set[str], container: deploy.Container | None = None,
                  runs: str = "") -> None:
        where = f"{check.file}:{check.line}: {what}"
        if check.kind != "http" or check.remote:
            return
        if check.path is None:
            self.unknown(where, check.unknown or "the path is not written out")
            self.result.rows.append((where, "http", "?", check.unknown))
            return
        path = check.path if check.path.startswith("/") else "/" + check.path
        self.apps()
        verdict, why = self.resolves(path, context, check, container, runs)
        self.result.rows.append((where, "http", path, {True: "a route", False: "NOT a route", None: f"unknown: {why}"}[verdict]))
        if verdict is None:
            self.unknown(where, why)
            return
        if verdict:
            return
        tables = self.tables_for(context)
        names = ", ".join(sorted({f"{t.framework} ({t.where})" for t in tables}))
        near = self.nearest(path, tables)
        given = f" (the default of {check.from_values})" if check.from_values else ""
        self.add("probe-path-not-a-route", check.file, check.line,
                 f"{what} asks for {path}{given}, which no route of the app serves ({names}), so the check fails or passes on a 404"
                 f"{'; routes like it: ' + near if near else ''}; point it at a route the app serves or add one, {SUPPRESS}",
                 (what, path), sources | self.view.route_files | {s for _, _, s in self.view.served} | ({check.from_values} - {""}))

    def served(self, path: str) -> bool:
        self.apps()
        for regex, exact, _ in self.view.served:
            try:
                if (re.fullmatch if exact else re.match)(regex, path):
                    return True
            except re.error:
                continue
        return False

    def resolves(self, path: str, context: str | None, check: deploy.Check, container: deploy.Container | None,
                 runs: str = "") -> tuple[bool | None, str]:
        if self.served(path):
            return True, ""
        if container is None and self.view.non_python and (not context or context == ".") and not _HTTP_APP.search(runs):
            return None, f"the service may not run the Python app ({self.view.non_python} is in the repo)"
        if container is not None and (third_party(container.image) or (self.view.non_python and not _HTTP_APP.search(container.command))):
            return None, f"the container may not run the Python app ({self.view.non_python} is in the repo)"
        tables = self.tables_for(context)
        if not tables:
            return None, "no routes of a Django, Flask or FastAPI app found" + (f" under {context}" if context else "")
        named = self.named_app(tables, container.command if container else check.command)
        if named:
            tables = named
        unknown = ""
        candidates = [path]
        if not path.endswith("/"):
            candidates.append(path + "/")  # APPEND_SLASH, strict_slashes and redirect_slashes redirect there
        elif path != "/":
            candidates.append(path.rstrip("/"))
        for table in tables:
            if table.locale and path != "/":
                candidates = [*candidates, f"/{table.locale}{path}"]
            for cand in candidates:
                if cand != path and table.framework == "flask" and cand.endswith("/") is False:
                    continue  # Flask does not drop a trailing slash
                got = table.resolve(cand)
                if got:
                    return True, ""
                if got is None and not unknown:
                    unknown = table.why_unknown(cand)
        if unknown:
            return None, unknown
        if self.view.other_framework and not named:
            return None, f"the repo also uses another framework: {self.view.other_framework}"
        if path == "/" and check.follows:
            return None, "/ may redirect (the check follows redirects)"
        return False, ""

    def named_app(self, tables: Sequence[routes.Table], command: str) -> list[routes.Table]:
        """The apps the container's command names: ``gunicorn shop.wsgi:application``
        (Django's WSGI module), ``uvicorn app.main:app`` (the module that creates it)."""
        if not command:
            return []
        if _DJANGO_CMD.search(command) and not re.search(r"\b(uvicorn|hypercorn)\b.*:(app|application)\b(?!.*(wsgi|asgi))", command):
            django = [t for t in tables if t.framework == "django"]
            if django:
                return django
        out = []
        for m in re.finditer(r"([\w.]+):(\w+)", command):
            file = self.modules.file(m.group(1))
            out += [t for t in tables if file and os.path.normpath(t.where) == os.path.normpath(file)]
        return out

    @staticmethod
    def nearest(path: str, tables: Sequence[routes.Table]) -> str:
        words = {w for w in re.split(r"[/_.-]+", path.lower()) if w}
        hits = []
        for table in tables:
            for regex, _ in table.patterns:
                text = regex.replace("\\", "")
                if words & {w for w in re.split(r"[/_.-]+", text.lower()) if w} or any(w in text for w in ("health", "ping", "status", "alive", "ready")):
                    hits.append(text)
            if table.framework == "django":
                hits += [n for n in _django_literals(table.django, "/") if any(w in n for w in ("health", "ping", "status", "alive", "ready", *words))]
        return ", ".join(sorted(set(hits))[:3])

    # -- Host -------------------------------------------------------------------------------
    def settings_of(self, c: deploy.Container) -> str | None:
        """The settings file the container runs: its literal ``DJANGO_SETTINGS_MODULE``, else production's only one."""
        module = c.env.get("DJANGO_SETTINGS_MODULE")
        if isinstance(module, str) and not templated(module):
            return self.modules.file(module)
        if module is None and len(self.production) == 1:
            return self.production[0]
        return None

    def answered_after_common(self, path: str, c: deploy.Container) -> bool:
        """Every module of the repo that answers ``path`` is a class the settings list in ``MIDDLEWARE`` after
        CommonMiddleware, which checks the Host first (substra's HealthCheckMiddleware): the host still matters."""
        sources = set()
        for regex, exact, source in self.view.served:
            try:
                if (re.fullmatch if exact else re.match)(regex, path):
                    sources.add(source)
            except re.error:
                continue
        settings = self.settings_of(c)
        if not sources or settings is None or not all(s.endswith(".py") for s in sources):
            return False
        return hosts.answered_after_common(self.resolver.module(settings).names, [s[:-3].replace("/", ".") for s in sources])

    def host_rule(self, check: deploy.Check, c: deploy.Container, what: str, wl: deploy.Workload) -> None:
        self.apps()
        django = [t for t in self.view.tables if t.framework == "django"]
        if not django or (check.path and self.served(check.path) and not self.answered_after_common(check.path, c)):
            return  # no Django, or middleware answers the path before Django sees it
        where = f"{check.file}:{check.line}: {what}"
        others = [t for t in self.view.tables if t.framework != "django"]
        if others and not _DJANGO_CMD.search(c.command):
            self.unknown(where, "the repo has other apps: which one the container runs is unknown")
            return
        settings = self.settings_of(c)
        if settings is None:
            self.unknown(where, "which Django settings production runs is unknown")
            return
        mod = self.resolver.module(settings)
        verdict = hosts.verdict(mod.names, c.env)
        if verdict.rejected is None:
            self.unknown(where, verdict.why)
            return
        if not verdict.rejected:
            return
        val = verdict.setting
        at = f" ({val.path}:{val.line})" if val is not None and val.path and val.line else f" ({settings})"
        self.add("probe-host-rejected", check.file, check.line,
                 f"{what} sends no Host header, so Django gets the pod IP as the host and answers 400: ALLOWED_HOSTS{at} is "
                 f"{hosts.shown(val, c.env)}; add httpHeaders: [{{name: Host, value: <an allowed host>}}] to the probe "
                 f"or allow the pod network (django-allow-cidr), {SUPPRESS}", (what,), set(mod.layers) | {settings})


_WORKER = re.compile(r"\bcelery\b.*?\b(worker|beat)\b|\brq\s+worker\b|\brqworker\b|\brqscheduler\b|\bdramatiq\b|\bhuey_consumer\b", re.S)
_EXEC_ARGS = re.compile(r"^\s*exec\s+[\"']?\$\{?@", re.M)  # exec "$@": run the command given to the script
_CASE = re.compile(r"\bcase\s+[\"']?\$\{?(\w+)(?::-([^}\"'\s]*))?\}?[\"']?\s+in\b(.*?)\besac\b", re.S)


def _script_values(body: str, args: Sequence[str], env: dict[str, str] | None) -> Callable[[str], str | None]:
    """What a variable of a start script holds for one container: ``$1`` (or a variable
    assigned from it, ``target=${1:-app}``) is the command's first argument or that default;
    another variable is what the service's ``environment:`` sets; anything else is unknown."""
    def value(name: str) -> str | None:
        if name == "1":
            return args[0] if args else None
        assigned = re.search(rf"^\s*(?:local\s+|export\s+)?{name}=[\"']?\$\{{?1(?::?-([^}}\"'\s]*))?\}}?[\"']?\s*$", body, re.M)
        if assigned is not None:
            return args[0] if args else assigned.group(1)
        if env is not None and name in env and "$" not in env[name]:
            return env[name]
        return None
    return value


def _different_servers(arms: Sequence[str]) -> bool:
    """Whether the arms of an undecided block start different servers (a role switch:
    uvicorn in one, a celery worker in another)."""
    kinds = set()
    for arm in arms:
        hit = deploy.APP_SERVER.search(arm)
        if hit is not None:
            kinds.add("celery" if deploy.CELERY_WORKER.search(hit.group(0)) else hit.group(0).split()[0])
    return len(kinds) >= 2


def _case_branch(body: str, args: Sequence[str], lookup: Callable[[str], str | None] | None = None) -> str | None:
    """The body of the ``case`` branch a script's first argument selects: ``case "$1" in``,
    or ``case "$ARG" in`` after ``ARG=${1:-start}`` (the default when no argument is given),
    or ``case "$PROCESS_TYPE" in`` set by the service (``lookup``).
    None when the script has no such ``case`` or no branch can be told."""
    import fnmatch

    for m in _CASE.finditer(body):
        name, default, branches = m.group(1), m.group(2), m.group(3)
        if name != "1":
            assigned = re.search(rf"^\s*(?:local\s+|export\s+)?{name}=[\"']?\$\{{?1(?::-([^}}\"'\s]*))?\}}?[\"']?\s*$", body, re.M)
            if assigned is None:
                set_by = lookup(name) if lookup is not None else None
                if set_by is None:
                    continue
                given: Sequence[str] = [set_by]
                default = None
            else:
                given, default = args, assigned.group(1)
        else:
            given = args
        value = given[0] if given else default
        if value is None:
            return None
        for arm in re.finditer(r"^\s*\(?([^)\n]+)\)(.*?)(?:;;|\Z)", branches, re.S | re.M):
            patterns = [p.strip().strip("\"'") for p in arm.group(1).split("|")]
            if any(fnmatch.fnmatchcase(value, p) for p in patterns if p):
                return arm.group(2)
        return "" if given is not args else None  # a role the service sets that no arm runs: none of them
    return None


def _django_literals(nodes: Sequence[routes.DjNode], prefix: str) -> list[str]:
    out = []
    for node in nodes:
        text = node.regex.lstrip("^").replace("\\Z", "").replace("\\", "").rstrip("$")
        if node.endpoint:
            out.append(prefix + text)
        else:
            out += _django_literals(node.children, prefix + text)
    return out


def run(files: Sequence[str], read: Callable[[str], str | None], environment: Callable[[str], str | None], rules: set[str],
        roles: Any = None, grep: Any = None, blobs: dict[str, str] | None = None, salt: str = "") -> Result:
    """``blobs`` (path -> git blob id, hooks.repo.git.blob_ids) turns on the per-file result
    cache; ``salt`` names the settings a kept result depends on."""
    judge = Judge(files, read, environment, rules, grep, blobs, salt)
    return judge.run()


def checklist(result: Result) -> str:
    lines = ["| where | check | path | verdict |", "|---|---|---|---|"]
    for where, kind, path, verdict in result.rows:
        lines.append(f"| {where} | {kind} | {path} | {verdict.replace('|', '/')} |")
    return "\n".join(lines) + "\n\n"
