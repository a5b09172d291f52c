"""What is deployed and how it is checked: Kubernetes workloads and Services
(plain YAML, Helm templates, kustomize), compose services, Dockerfiles.

Everything here is read from the files' text; nothing is run. A value the
template or the environment fills in is *unknown*, never guessed.
"""
from __future__ import annotations

import os
import posixpath
import re
import shlex
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from hooks.checks.check_health_checks.yamlread import TEMPLATE_KEY, TEMPLATED, Map, Seq, template_kind, templated
from hooks.core.records import field, record

PROBES = ("readinessProbe", "livenessProbe", "startupProbe")
WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Job", "CronJob", "Rollout", "DeploymentConfig")
SERVED = ("Deployment", "StatefulSet", "Rollout")  # Argo Rollouts: a Deployment's spec.template, progressively delivered

APP_SERVER = re.compile(
    r"\b(gunicorn|uwsgi|uvicorn|daphne|hypercorn)\b|manage\.py[\"']?,?\s*[\"']?runserver\b|\bcelery\b.*\bworker\b", re.S)
HTTP_SERVER = re.compile(r"\b(gunicorn|uwsgi|uvicorn|daphne|hypercorn)\b|manage\.py[\"']?,?\s*[\"']?runserver\b", re.S)
CELERY_WORKER = re.compile(r"\bcelery\b.*\bworker\b", re.S)
CELERY = re.compile(r"\bcelery\b.*\b(worker|beat)\b", re.S)
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "[::1]", "::1", ""}


@record
class Check:
    """One health check as written: a probe, a compose healthcheck, a Dockerfile HEALTHCHECK."""
    file: str
    line: int
    role: str  # readiness | liveness | startup | compose | dockerfile
    kind: str  # http | tcp | exec | grpc | none | unknown
    path: str | None = None  # the HTTP path (query string dropped); None when unknown or not HTTP
    unknown: str = ""  # why the path cannot be told
    port: Any = None
    host_header: bool = False
    follows: bool = False  # curl -L, wget: redirects are followed
    command: str = ""
    remote: bool = False  # the URL names another host
    tolerance: int = 0  # seconds of failures before the probe acts (failureThreshold x periodSeconds)
    noop: str = ""  # a command that always succeeds and looks at nothing (`pwd`, `true`, `exit 0`): the command, else ""
    from_values: str = ""  # a Helm probe rendered from the chart's defaults: that values.yaml ("" else)


@record
class Container:
    name: str
    image: str
    command: str
    ports: list[tuple[Any, str]]  # (containerPort, name)
    env: dict[str, Any]
    probes: dict[str, Check]
    line: int
    has_template_keys: bool = False
    declared_ports: bool = True
    image_line: int = 0
    default_image: str = ""  # a templated image as the chart's values.yaml fills it by default (helm_values)
    name_line: int = 0
    default_name: str = ""  # a templated name as the chart's values.yaml fills it by default


@record
class Workload:
    file: str
    kind: str
    name: str
    namespace: str
    labels: dict[str, Any]
    containers: list[Container]
    line: int
    unit: str
    patches: bool = False  # a kustomize patch / partial manifest (no containers' image)
    disabled: str = ""  # why the chart does not deploy it by default ({{- if .Values.x.enabled }}, enabled: false)
    name_line: int = 0
    default_name: str = ""  # a templated name as the chart's values.yaml fills it by default


@record
class KService:
    file: str
    name: str
    namespace: str
    selector: dict[str, Any]
    unit: str
    line: int
    headless: bool = False  # clusterIP: None: DNS for the pods, no load-balanced traffic to hold back
    metrics_only: bool = False  # every port is named for metrics (a ServiceMonitor scrapes it): no clients' traffic
    lb_health: str = ""  # the path a cloud load balancer's health check asks, from an annotation (alb...healthcheck-path)


@record
class ComposeService:
    file: str
    name: str
    line: int
    build: str | None  # the Dockerfile path, or None for a registry image
    target: str | None
    context: str | None
    image: str
    command: str
    healthcheck: Check | None
    healthcheck_disabled: bool
    healthcheck_line: int
    mounts_source: bool = False  # a bind mount of a folder of the repo (./:/app): the code is edited live
    own_entrypoint: bool = False  # the service sets entrypoint: (else the Dockerfile's ENTRYPOINT runs its command)
    env: dict[str, str] = field(default_factory=dict)  # environment: written out in the compose file
    restart: str = ""  # the restart policy: always / unless-stopped say it is kept running
    built_by: str = ""  # file:line of the repo's own build of its registry image (builds.py), when linked
    not_started: str = ""  # why compose never starts it (``scale: 0``, ``deploy: replicas: 0``), else ""
    build_args: dict[str, str] = field(default_factory=dict)  # build: args: written out in the compose file
    binds: list[tuple[str, str]] = field(default_factory=list)  # bind mounts of the repo: (repo path, path in the container)
    watch: bool = False  # develop: watch: (compose watch syncs the code into the container as it is edited)


@record
class Dockerfile:
    path: str
    stages: list[dict[str, Any]] = field(default_factory=list)  # name, base, line, healthcheck, cmd, expose
    args: dict[str, str] = field(default_factory=dict)  # the build args a compose service passes (over ARG defaults)

    def final(self, target: str | None = None) -> list[dict[str, Any]]:
        """The chain of stages of ``target`` (default: the last), base first."""
        if not self.stages:
            return []
        stage = next((s for s in self.stages if target and s["name"] == target), self.stages[-1])
        chain = [stage]
        while True:
            base = next((s for s in self.stages if s["name"] and s["name"] == chain[0]["base"] and s not in chain), None)
            if base is None:
                break
            chain.insert(0, base)
        return chain

    def healthcheck(self, target: str | None = None) -> tuple[Check | None, bool]:
        """The HEALTHCHECK in force, and whether it is ``HEALTHCHECK NONE``."""
        found: Check | None = None
        none = False
        for stage in self.final(target):
            if stage.get("healthcheck") is not None:
                found, none = stage["healthcheck"], stage.get("healthcheck_none", False)
        return found, none

    def has_healthcheck_at(self, index: int, built_on: bool = False) -> bool:
        """Whether stage ``index`` has a HEALTHCHECK (NONE too), its own or one of a
        stage it is built FROM. ``built_on``: a stage built FROM it having one counts
        too (how hadolint's DL3057 judges every stage)."""
        names = {i: s["name"] for i, s in enumerate(self.stages)}
        parent = {i: next((j for j in range(i) if names[j] and names[j] == s["base"]), None) for i, s in enumerate(self.stages)}
        chain: list[int] = []
        cursor: int | None = index
        while cursor is not None and cursor not in chain:
            chain.append(cursor)
            cursor = parent[cursor]
        if any(self.stages[i].get("healthcheck") is not None for i in chain):
            return True
        if built_on:
            children = [i for i, p in parent.items() if p == index]
            return any(self.has_healthcheck_at(i, True) for i in children)
        return False

    def entrypoint(self, target: str | None = None) -> str:
        """The ENTRYPOINT in force: a compose ``command:`` is passed to it."""
        found = ""
        for stage in self.final(target):
            found = stage.get("entrypoint", "") or found
        return found

    def command(self, target: str | None = None) -> str:
        parts = [s.get("entrypoint", "") + " " + s.get("cmd", "") for s in self.final(target)]
        return " ".join(p.strip() for p in parts if p.strip())


# -- commands -------------------------------------------------------------------
_URL = re.compile(r"(?:https?://[^\s'\"`)\]]+|\b(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::[\w${}]+)?/[^\s'\"`)\]]*)")
_SCRIPT = re.compile(r"(\.sh|\.py)\b|(^|[\s/])(healthcheck|health[-_]check|docker-healthcheck|check[-_]health)\b")
_TCP = re.compile(r"\b(nc|netcat|ncat)\b.*\s-\w*z|\bpgrep\b|/dev/tcp/|\bpidof\b")


def command_check(command: str, file: str, line: int, role: str) -> Check:
    """A check that runs a command: what URL it asks for, if any."""
    check = Check(file, line, role, "exec", command=command)
    text = command.strip()
    urls = [] if re.search(r"/dev/(tcp|udp)/", text) else _URL.findall(text)  # bash's </dev/tcp/localhost/8000 opens a port
    if urls:
        url = urls[0]
        check.kind = "http"
        if "$" in url or "{" in url or "`" in url:
            check.unknown = "the URL is read from the environment"
            return check
        parts = urlsplit(url if "://" in url else "http://" + url)
        host = (parts.hostname or "").lower()
        if host not in _LOCAL_HOSTS and "." in host:
            check.remote = True  # another service's URL
        check.path = parts.path or "/"
        try:
            check.port = parts.port
        except ValueError:
            check.port = None
        words = _words(text)
        check.follows = "wget" in words or any(_flag(w, "L", "--location") for w in words)
        if any(w in ("-H", "--header") or w.lower().startswith(("-hhost:", "host:")) for w in words) and re.search(r"(?i)host:", text):
            check.host_header = True
        return check
    if re.search(r"\b(curl|wget|http|httpie)\b", text):
        check.kind = "http"
        check.unknown = "the URL is not written out"
        return check
    if _TCP.search(text):
        check.kind = "tcp"
        return check
    if _SCRIPT.search(text):
        check.unknown = "it runs a script"
    elif always_succeeds(text):
        check.noop = text
    return check


# Commands that succeed whatever the app does: they print the working directory, the date or a word,
# or list or read a file the image ships (a folder of the system, a file under /etc).
_NOOP = re.compile(r"(?:/usr)?(?:/bin/)?(?:true|:|pwd|date|whoami|hostname|id|uname|env|printenv)|exit\s+0|(?:/bin/)?echo(?:\s+[\w .,:!'\"-]*)?")
_STATIC_READ = re.compile(r"(?:/bin/)?(?:ls|cat|stat|test\s+-[def]|\[\s+-[def])(?:\s+-\w+)*"
                          r"(?:\s+(?:/|\.|~|/(?:app|srv|code|opt|home|workspace|tmp)/?|/(?:etc|usr|bin|sbin|lib|proc/self|proc/1)(?:/[\w.-]*)*))?(?:\s+\])?")


def always_succeeds(command: str) -> bool:
    """A check command that always succeeds and so checks nothing: ``pwd``, ``true``, ``/bin/true``,
    ``exit 0``, ``echo ok``, ``ls``, ``cat /etc/hostname`` — also behind ``sh -c`` and joined with ``&&``/``;``.
    A pipe, a redirection, a substitution or a file the app may write (``cat /tmp/healthy``) is a check."""
    text = command.strip()
    shell = re.fullmatch(r"(?:/usr)?(?:/bin/)?(?:sh|bash|ash|dash)\s+-\w*c\s+(.+)", text, re.S)
    if shell:
        words = _words(shell.group(1))
        text = words[0] if len(words) == 1 else shell.group(1)
    if not text or re.search(r"[|<>`]|\$\(|\|\|", text):
        return False
    parts = [p.strip() for p in re.split(r"&&|;|\n", text) if p.strip()]
    return bool(parts) and all(_NOOP.fullmatch(p) or _STATIC_READ.fullmatch(p) for p in parts)


def command_words(text: str) -> list[str]:
    """A command's words, shell quoting undone (a JSON exec form was joined with spaces)."""
    return _words(text)


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text, posix=True)
    except ValueError:
        return text.split()


def _flag(word: str, short: str, long: str) -> bool:
    return word == long or (word.startswith("-") and not word.startswith("--") and short in word[1:])


def joined(value: Any) -> str:
    """A command written as a list or a string, as one line (YAML's ``- true`` as the word ``true``)."""
    if isinstance(value, list):
        return " ".join(_word(v) for v in value)
    return "" if value is None else _word(value)


def _word(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


# -- Kubernetes -------------------------------------------------------------------
_LISTEN_FLAG = re.compile(
    r"(?:^|\s)(--bind|-b|--http|--http-socket|--socket|--listen|--port|-p|runserver)(?:=|\s+)[\"']?"
    r"(?:(?:[\w.\-]*|\[[:\w]*\]):)?(\d{2,5})\b")
_LISTEN_ADDRESS = re.compile(r"(?<![\w.:/])(?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\]|::):(\d{2,5})\b")


def listen_ports(command: str, env: dict[str, Any]) -> list[tuple[int, str]]:
    """The ports a container's command (or its ``PORT``-like env values) says the app listens on,
    each with the words that say so: ``gunicorn --bind 0.0.0.0:8000`` gives (8000, "--bind 0.0.0.0:8000")."""
    found: dict[int, str] = {}
    for m in _LISTEN_FLAG.finditer(command):
        found.setdefault(int(m.group(2)), m.group(0).strip().replace('"', "").replace("'", ""))
    for m in _LISTEN_ADDRESS.finditer(command):
        found.setdefault(int(m.group(1)), m.group(0))
    for name, value in env.items():
        text = str(value).strip() if isinstance(value, (int, str)) else ""
        if re.fullmatch(r"(?i)((HTTP|LISTEN|APP|SERVER|WEB|GUNICORN|UVICORN)_)?PORT", name) and text.isdigit():
            found.setdefault(int(text), f"{name}={text}")
        elif re.fullmatch(r"(?i)(GUNICORN_)?BIND|LISTEN_ADDR(ESS)?|GUNICORN_CMD_ARGS", name) and not templated(text):
            hit = re.search(r":(\d{2,5})\b", text)
            if hit:
                found.setdefault(int(hit.group(1)), f"{name}={text}")
    return [(n, how) for n, how in found.items() if 0 < n < 65536]


def shown(value: Any) -> str:
    """A name as said in a message: a masked template run as ``{{...}}``."""
    return re.sub(r"TEMPLATED_\d+", "{{...}}", str(value))


def pod_spec(doc: Map) -> Map | None:
    spec = doc.get("spec")
    if not isinstance(spec, Map):
        return None
    if doc.get("kind") == "Pod":
        return spec
    if doc.get("kind") == "CronJob":
        job = spec.get("jobTemplate")
        spec = job.get("spec") if isinstance(job, Map) else None
        if not isinstance(spec, Map):
            return None
    template = spec.get("template")
    inner = template.get("spec") if isinstance(template, Map) else None
    return inner if isinstance(inner, Map) else None


def pod_labels(doc: Map) -> dict[str, Any]:
    spec = doc.get("spec")
    if doc.get("kind") == "Pod":
        meta = doc.get("metadata")
    else:
        template = spec.get("template") if isinstance(spec, Map) else None
        meta = template.get("metadata") if isinstance(template, Map) else None
    labels = meta.get("labels") if isinstance(meta, Map) else None
    if isinstance(meta, Map) and TEMPLATE_KEY in meta and not isinstance(labels, Map):
        return {TEMPLATE_KEY: meta[TEMPLATE_KEY]}
    return dict(labels) if isinstance(labels, Map) else {}


def probe_check(probe: Any, file: str, role: str) -> Check:
    check = _probe_check(probe, file, role)
    if isinstance(probe, Map):
        failures, period = probe.get("failureThreshold", 3), probe.get("periodSeconds", 10)
        if isinstance(failures, int) and isinstance(period, int):
            check.tolerance = failures * period
    return check


def _probe_check(probe: Any, file: str, role: str) -> Check:
    line = probe.line if isinstance(probe, Map) else 0
    if not isinstance(probe, Map):
        return Check(file, line, role, "unknown", unknown="the probe is templated")
    if TEMPLATE_KEY in probe:
        return Check(file, line, role, "unknown", unknown="the probe is templated")
    http = probe.get("httpGet")
    if isinstance(http, Map):
        check = Check(file, http.line_of("path") if "path" in http else http.line, role, "http", port=http.get("port"))
        raw = http.get("path", "/")
        if templated(raw) or TEMPLATE_KEY in http:
            check.unknown = "the path is templated"
        elif isinstance(raw, str):
            check.path = raw.split("?", 1)[0] or "/"
        headers = http.get("httpHeaders")
        if isinstance(headers, list):
            check.host_header = any(isinstance(h, Map) and str(h.get("name", "")).lower() == "host" for h in headers)
        elif headers is not None:
            check.host_header = True  # templated headers: may hold Host
        if http.get("host") not in (None, "") or str(http.get("scheme", "HTTP")).upper() == "HTTPS":
            check.remote = http.get("host") not in (None, "")
            check.host_header = check.host_header or check.remote
        return check
    tcp = probe.get("tcpSocket")
    if isinstance(tcp, Map):
        return Check(file, tcp.line, role, "tcp", port=tcp.get("port"))
    exe = probe.get("exec")
    if isinstance(exe, Map):
        return command_check(joined(exe.get("command")), file, exe.line, role)
    if isinstance(probe.get("grpc"), Map):
        return Check(file, line, role, "grpc", port=probe["grpc"].get("port"))
    return Check(file, line, role, "unknown", unknown="no handler the hook knows")


def containers(spec: Map, file: str) -> list[Container]:
    out: list[Container] = []
    items = spec.get("containers")
    if not isinstance(items, list):
        return out
    for item in items:
        if not isinstance(item, Map):
            continue
        ports: list[tuple[Any, str]] = []
        raw_ports = item.get("ports")
        if isinstance(raw_ports, list):
            for p in raw_ports:
                if isinstance(p, Map):
                    ports.append((p.get("containerPort"), str(p.get("name") or "")))
                else:
                    ports.append((TEMPLATE_KEY, ""))
        elif raw_ports is not None:
            ports.append((TEMPLATE_KEY, ""))
        env: dict[str, Any] = {}
        raw_env = item.get("env")
        if isinstance(raw_env, list):
            for e in raw_env:
                if isinstance(e, Map) and isinstance(e.get("name"), str):
                    env[e["name"]] = e.get("value") if "value" in e else None
        probes = {name: probe_check(item[name], file, name[: -len("Probe")]) for name in PROBES if name in item}
        for name, check in probes.items():
            if check.line == 0:
                check.line = item.line_of(name)
        out.append(Container(
            shown(item.get("name") or "?"), str(item.get("image") or ""),
            joined(item.get("command")) + " " + joined(item.get("args")), ports, env, probes, item.line,
            TEMPLATE_KEY in item or any(templated(k) for k in item), raw_ports is not None, item.line_of("image") if "image" in item else 0,
            name_line=item.line_of("name") if "name" in item else 0))
    return out


def _trigger_images(doc: Map, items: list[Container]) -> None:
    """An OpenShift DeploymentConfig leaves a container's ``image`` blank (``" "``) for an ``ImageChange``
    trigger to fill from an ImageStreamTag (the repo's own BuildConfig output): the container runs
    that image, written ``<namespace>/<name:tag>`` (``imagestream/<name:tag>`` when no namespace is named)."""
    spec = doc.get("spec")
    triggers = spec.get("triggers") if isinstance(spec, Map) else None
    for trigger in triggers if isinstance(triggers, list) else []:
        params = trigger.get("imageChangeParams") if isinstance(trigger, Map) and trigger.get("type") == "ImageChange" else None
        source = params.get("from") if isinstance(params, Map) else None
        if not isinstance(params, Map) or not isinstance(source, Map) or not isinstance(source.get("name"), str):
            continue
        if source.get("kind") not in (None, "ImageStreamTag", "ImageStreamImage"):
            continue
        names = [shown(n) for n in params.get("containerNames") or []] if isinstance(params.get("containerNames"), list) else []
        image = f"{source.get('namespace') or 'imagestream'}/{source['name']}"
        for c in items:
            # a name the template fills in (containerNames: ["${APP_NAME}"]) may be any blank container's
            if not c.image.strip() and (not names or c.name in names or any("$" in n or "{{" in n for n in names)):
                c.image = image


def kubernetes(docs: Sequence[Any], file: str, unit: str) -> Iterator[Workload | KService]:
    todo: list[tuple[Any, dict[str, str]]] = [(d, {}) for d in docs]
    while todo:
        doc, params = todo.pop(0)
        if not isinstance(doc, Map):
            continue
        kind = doc.get("kind")
        if kind == "List" and isinstance(doc.get("items"), list):
            todo = [(d, params) for d in doc["items"]] + todo
            continue
        if kind == "Template" and isinstance(doc.get("objects"), list):  # OpenShift: its objects are what it deploys
            todo = [(d, template_parameters(doc)) for d in doc["objects"]] + todo
            continue
        meta = doc.get("metadata")
        if not isinstance(meta, Map):
            meta = Map()
        name = shown(meta.get("name") or "")
        namespace = str(meta.get("namespace") or "")
        if kind in WORKLOADS:
            spec = pod_spec(doc)
            if spec is None:
                continue
            items = containers(spec, file)
            if kind == "DeploymentConfig":
                _trigger_images(doc, items)
            patch = not any(c.image for c in items)
            workload = Workload(file, str(kind), name, namespace, pod_labels(doc), items, doc.line, unit, patch,
                                name_line=meta.line_of("name") if "name" in meta else 0)
            if params:
                _parameter_defaults(workload, params)
            yield workload
        elif kind == "ClowdApp":
            yield from clowdapp(doc, file, unit, name, namespace)
        elif kind == "Service":
            spec = doc.get("spec")
            selector = spec.get("selector") if isinstance(spec, Map) else None
            headless = isinstance(spec, Map) and str(spec.get("clusterIP") or "").strip().lower() == "none"
            if isinstance(selector, Map):
                yield KService(file, name, namespace, dict(selector), unit, doc.line, headless, _metrics_only(spec, meta), _lb_health(meta))
            elif isinstance(spec, Map) and TEMPLATE_KEY in spec:
                yield KService(file, name, namespace, {TEMPLATE_KEY: spec[TEMPLATE_KEY]}, unit, doc.line)


def template_parameters(doc: Map) -> dict[str, str]:
    """An OpenShift Template's ``parameters:`` that have a default (``- name: APPLICATION_NAME``,
    ``value: rabbitmq``): name -> value. The first of a name written twice wins, as ``oc process`` does."""
    out: dict[str, str] = {}
    for param in doc.get("parameters") or [] if isinstance(doc.get("parameters"), list) else []:
        if isinstance(param, Map) and isinstance(param.get("name"), str) and isinstance(param.get("value"), (str, int, float)):
            out.setdefault(param["name"], str(param["value"]))
    return out


_PARAMETER = re.compile(r"\$\{(\w+)\}")


def _filled(value: str, params: dict[str, str]) -> str:
    """``${APPLICATION_NAME}:${VERSION}`` as the Template's defaults fill it ("" when a name has no default)."""
    if "${" not in value or any(m.group(1) not in params for m in _PARAMETER.finditer(value)):
        return ""
    return _PARAMETER.sub(lambda m: params[m.group(1)], value)


def _parameter_defaults(wl: Workload, params: dict[str, str]) -> None:
    """A Template's workload: its name and its containers' images and names as the parameters' defaults
    fill them, beside what is written (used to tell server software, as a chart's ``values.yaml``)."""
    wl.default_name = wl.default_name or _filled(wl.name, params)
    for c in wl.containers:
        c.default_image = c.default_image or _filled(c.image, params)
        c.default_name = c.default_name or _filled(c.name, params)


def clowdapp(doc: Map, file: str, unit: str, app: str, namespace: str) -> Iterator[Workload]:
    """A Clowder ``ClowdApp``: each ``spec.deployments[]`` entry runs one container, its ``podSpec``
    (image, command, probes) read like a Deployment's container. Clowder assigns the ports
    (public 8000, private 10000, metrics 9000), so none is taken as declared or missing; the
    Deployment it makes is named ``<app>-<deployment>``."""
    spec = doc.get("spec")
    deployments = spec.get("deployments") if isinstance(spec, Map) else None
    for dep in deployments if isinstance(deployments, list) else []:
        pod = dep.get("podSpec") if isinstance(dep, Map) else None
        if not isinstance(pod, Map) or not pod.get("image"):
            continue
        holder = Map()
        holder["containers"] = [pod]
        items = containers(holder, file)
        for c in items:
            c.name = shown(dep.get("name") or "?")
            c.ports = [(TEMPLATE_KEY, "")]
        yield Workload(file, "ClowdApp", f"{app}-{shown(dep.get('name') or '?')}", namespace, {}, items, dep.line, unit,
                       name_line=dep.line_of("name") if "name" in dep else 0)


_LB_HEALTH = re.compile(r"(?i)(^|/)([\w-]*-)?health-?check-path$")


def _lb_health(meta: Map) -> str:
    """``alb.ingress.kubernetes.io/healthcheck-path: /login`` (or the AWS NLB / other ``...healthcheck-path``
    annotation) on a Service: the path its load balancer checks ("" when none is written out)."""
    notes = meta.get("annotations")
    for key, value in notes.items() if isinstance(notes, Map) else []:
        if isinstance(key, str) and _LB_HEALTH.search(key) and isinstance(value, str) and value.startswith("/"):
            return value
    return ""


_METRICS_PORT = re.compile(r"(?i)^(http-|https-)?(metrics|prometheus|prom|monitoring|exporter|stats)(-\w+)?$")


_METRICS_NAME = re.compile(r"(?i)(^|[._-])(metrics|prometheus|monitoring|exporter|stats|statistics)([._-]|$)")


def _metrics_only(spec: Any, meta: Map | None = None) -> bool:
    """Every port of a Service is named for metrics (``name: metrics``, ``prometheus``, ``stats``), or a
    Service named for metrics (``masu-stats``, ``api-metrics``) asks Prometheus to scrape it
    (``prometheus.io/scrape: 'true'``): what scrapes it (Prometheus reads not-ready endpoints too) is not
    traffic a readiness probe holds back. The scrape annotation alone is not enough: an app's own
    Service is often scraped on the port that serves its clients."""
    ports = spec.get("ports") if isinstance(spec, Map) else None
    if not isinstance(ports, list) or not ports:
        return False
    if all(isinstance(p, Map) and isinstance(p.get("name"), str) and bool(_METRICS_PORT.match(p["name"])) for p in ports):
        return True
    notes = meta.get("annotations") if isinstance(meta, Map) else None
    name = meta.get("name") if isinstance(meta, Map) else None
    return isinstance(notes, Map) and str(notes.get("prometheus.io/scrape", "")).strip().lower() == "true" \
        and isinstance(name, str) and bool(_METRICS_NAME.search(name))


def selects(selector: dict[str, Any], labels: dict[str, Any], strict: bool = False) -> bool | None:
    """Whether a Service's selector picks pods with these labels (None: cannot tell). ``strict``: a
    selector written by a helper (``include "x.selectorLabels" ...``) proves a match only when the pod
    labels are the very same call; a related helper (``x.labels``) leaves it unknown."""
    if not selector:
        return False
    unknown = False
    for key, value in selector.items():
        if key == TEMPLATE_KEY:
            same = _include_match(value, labels.get(TEMPLATE_KEY))
            if same is False:
                return False
            if same and not (strict and _include_call(value) != _include_call(labels.get(TEMPLATE_KEY))):
                continue
            unknown = True
            continue
        if key in labels and not templated(key):
            same = same_value(value, labels[key])
            if same is False:
                return False
            unknown = unknown or same is None
            continue
        if templated(key):
            if key in labels or TEMPLATE_KEY in labels:
                continue
            unknown = True
            continue
        if TEMPLATE_KEY in labels:
            unknown = True
            continue
        return False
    return None if unknown else True


_TEMPLATE_RUN = re.compile(r"TEMPLATED_\d+|\{\{.*?\}\}|" + re.escape(TEMPLATED))


def same_value(selector: Any, label: Any) -> bool | None:
    """Whether a selector's value and a pod label's value are the same once rendered
    (None: cannot tell). Template runs are masked by their expression, so the same
    expression is the same value; the literal text around them must agree:
    ``{{ name }}-server`` never selects ``{{ name }}-scheduler``, nor ``web-1`` a
    value ending in ``-server``. Two different expressions are not taken to be the same
    value (``{{ .Values.frontEnd.serviceName }}`` vs ``{{ .Values.search.serviceName }}``)."""
    a, b = str(selector), str(label)
    if a == b:
        return True
    if not (templated(a) or templated(b)):
        return False
    pa, pb = _TEMPLATE_RUN.split(a), _TEMPLATE_RUN.split(b)
    if len(pa) == 1 or len(pb) == 1:  # one side literal: does the other's pattern match it?
        literal, pattern = (a, pb) if len(pa) == 1 else (b, pa)
        if not re.fullmatch(".*".join(re.escape(p) for p in pattern), literal, re.S):
            return False
        return None
    # both templated: their literal prefixes and suffixes must agree
    if not (pa[0].startswith(pb[0]) or pb[0].startswith(pa[0])) or not (pa[-1].endswith(pb[-1]) or pb[-1].endswith(pa[-1])):
        return False
    runs_a, runs_b = _TEMPLATE_RUN.findall(a), _TEMPLATE_RUN.findall(b)
    if pa == pb and len(runs_a) == len(runs_b) and all(
            x == y or (template_kind(x) == template_kind(y) != 0) for x, y in zip(runs_a, runs_b, strict=True)):
        # the same literal text around different .Values paths (or named templates of the chart):
        # each component's own value, not one another's
        return False
    return None


_INCLUDE = re.compile(r"include\s+\"([^\"]+)\"\s*([^|]*)")
_VARIABLE = re.compile(r"\$\w+")


def _include_call(value: Any) -> tuple[str, str] | None:
    """The helper an ``include "name" args | nindent 4`` action calls, and its arguments (spacing and
    ``$`` as the root normalised)."""
    m = _INCLUDE.search(str(value or ""))
    if not m:
        return None
    args = re.sub(r"\s+", " ", m.group(2)).strip()
    args = re.sub(r"\$(?=[\s.)]|$)", ".", args).replace("..", ".")
    return m.group(1), args


def _include_match(a: Any, b: Any) -> bool | None:
    """Whether a selector written by a helper and pod labels written by a helper render the same
    labels: the same (or the labels/selectorLabels pair of a chart) helper called with the same
    arguments (True); called with different literal arguments, the component label such helpers add
    differs (``(list . "agent-metadata")`` vs ``(list . "backend")``: False); with a variable whose
    value the template does not set to a literal, unknown (None). Not the same helper: None."""
    if a is not None and a == b and not _VARIABLE.search(str(a)):
        return True
    if not _same_include(a, b):
        return None
    ca, cb = _include_call(a), _include_call(b)
    if ca is None or cb is None:
        return None
    if _VARIABLE.search(ca[1]) or _VARIABLE.search(cb[1]):
        return None
    if ca[1] == cb[1]:
        return True
    la, lb = re.findall(r'"([^"]*)"', ca[1]), re.findall(r'"([^"]*)"', cb[1])
    return False if (la or lb) and la != lb else None


def _same_include(a: Any, b: Any) -> bool:
    name = re.compile(r"include\s+\"([^\"]+)\"")
    ma, mb = name.search(str(a or "")), name.search(str(b or ""))
    if not (ma and mb):
        return False
    # "x.selectorLabels" is part of "x.labels" in every chart helm create writes
    return ma.group(1) == mb.group(1) or (ma.group(1).endswith("selectorLabels") and mb.group(1).endswith(".labels")
                                          and ma.group(1).rsplit(".", 1)[0] == mb.group(1).rsplit(".", 1)[0])


# -- compose ----------------------------------------------------------------------
def extended(svc: Map, file: str, services: Map, load: Callable[[str], Any] | None, depth: int = 0) -> tuple[Map, str]:
    """A compose service with what its ``extends:`` names (``{file: docker-compose.base.yml, service: app}``,
    or a service of the same file) filled in under its own keys; and the file its ``build:`` is
    written in (a build's path is relative to that file)."""
    ext = svc.get("extends")
    if ext is None or depth > 3:
        return svc, file
    other: Any = services
    where = file
    if isinstance(ext, Map):
        name = ext.get("service")
        path = ext.get("file")
        if isinstance(path, str):
            where = os.path.normpath(os.path.join(os.path.dirname(file), path))
            doc = load(where) if load is not None else None
            other = doc.get("services") if isinstance(doc, Map) else None
    else:
        name = ext
    base = other.get(name) if isinstance(other, Map) and isinstance(name, str) else None
    if not isinstance(base, Map) or base is svc:
        return svc, file
    base, build_file = extended(base, where, other if isinstance(other, Map) else Map(), load, depth + 1)
    merged = Map()
    merged.line = svc.line
    for key, value in base.items():
        merged[key] = value
        merged.lines[key] = svc.line  # the base's line numbers are another file's
    for key, value in svc.items():
        merged[key] = value
        merged.lines[key] = svc.line_of(key)
    return merged, (file if "build" in svc else build_file)


_DEFAULTED = re.compile(r"\$\{(\w+):?-([^}$]*)\}")


def image_default(image: str) -> str:
    """A compose image with ``${VAR:-default}`` filled with its default, as ``docker compose up``
    gives it when nothing sets the variable (``${APP_IMAGE_NAME:-ghcr.io/org/app}:${TAG:-v2}``)."""
    return _DEFAULTED.sub(lambda m: m.group(2), image)


def compose(doc: Any, file: str, load: Callable[[str], Any] | None = None) -> Iterator[ComposeService]:
    if not isinstance(doc, Map):
        return
    services = doc.get("services")
    if not isinstance(services, Map):
        return
    for name, svc in services.items():
        if not isinstance(svc, Map) or not isinstance(name, str):
            continue
        svc, build_file = extended(svc, file, services, load)
        here = os.path.dirname(build_file)
        build = svc.get("build")
        dockerfile = context = target = None
        if isinstance(build, str):
            context = os.path.normpath(os.path.join(here, build))
            dockerfile = os.path.join(context, "Dockerfile")
        elif isinstance(build, Map):
            context = os.path.normpath(os.path.join(here, str(build.get("context") or ".")))
            dockerfile = os.path.normpath(os.path.join(context, str(build.get("dockerfile") or "Dockerfile")))
            target = build.get("target") if isinstance(build.get("target"), str) else None
        if context is not None and ("$" in context or "://" in context):
            context = dockerfile = None
        command = joined(svc.get("entrypoint")) + " " + joined(svc.get("command"))
        hc = svc.get("healthcheck")
        check = None
        disabled = False
        if isinstance(hc, Map):
            disabled = hc.get("disable") is True
            test = hc.get("test")
            if isinstance(test, list) and test and str(test[0]).upper() == "NONE":
                disabled = True
            elif test is not None:
                words = [str(t) for t in test] if isinstance(test, list) else [str(test)]
                if words and words[0].upper() in ("CMD", "CMD-SHELL"):
                    words = words[1:]
                check = command_check(" ".join(words), file, hc.line_of("test"), "compose")
        yield ComposeService(file, name, services.line_of(name), dockerfile, target, context, str(svc.get("image") or ""),
                             command.strip(), check, disabled, services.line_of(name) if hc is None else svc.line_of("healthcheck"),
                             _mounts_source(svc.get("volumes")) or _mounts_from(svc, file, services, load),
                             "entrypoint" in svc, _environment(svc.get("environment")),
                             str(svc.get("restart") or ""), not_started=_scaled_to_zero(svc),
                             build_args=_environment(build.get("args")) if isinstance(build, Map) else {},
                             binds=_binds(svc.get("volumes"), here), watch=_watched(svc))


def _watched(svc: Map) -> bool:
    """``develop: watch: [...]``: ``docker compose watch`` (or ``up --watch``) syncs the code being
    edited into the container and restarts it, a development feature only."""
    develop = svc.get("develop")
    return isinstance(develop, Map) and bool(develop.get("watch"))


def _scaled_to_zero(svc: Map) -> str:
    """``scale: 0`` or ``deploy: replicas: 0`` (a literal 0): compose starts no container of the
    service; it is a template others inherit (``<<: *django``) or one turned off. A variable or
    any other number is left to run."""
    deploy = svc.get("deploy")
    for key, value in (("scale", svc.get("scale")), ("deploy: replicas", deploy.get("replicas") if isinstance(deploy, Map) else None)):
        if (isinstance(value, int) and not isinstance(value, bool) and value == 0) or (isinstance(value, str) and value.strip() == "0"):
            return f"{key}: 0"
    return ""


def _environment(raw: Any) -> dict[str, str]:
    if isinstance(raw, Map):
        return {str(k): "" if v is None else str(v) for k, v in raw.items()}
    if isinstance(raw, list):
        pairs = [item.split("=", 1) for item in raw if isinstance(item, str)]
        return {pair[0]: pair[1] if len(pair) > 1 else "" for pair in pairs}
    return {}


_DEV_ENV = re.compile(r"(?i)^(debug|django_debug|flask_debug|[\w]*autoreload|[\w]*_reload"
                      r"|(is_)?(local_?)?dev(el|elopment)?(_?mode)?|[\w]*_local_dev)=(true|1|yes|on|[1-9])$"
                      r"|^(flask_env|env|environment|app_env|django_env|node_env)=(dev|devel|development|local)$", re.I)


def development_env(env: dict[str, str]) -> str:
    """The environment variable that says a compose service runs in development ("" when none does)."""
    for key, value in env.items():
        value = image_default(value.strip())  # FLASK_DEBUG=${FLASK_DEBUG:-on}: on unless the shell says otherwise
        if _DEV_ENV.match(f"{key}={value}"):
            return f"{key}={value}"
    return ""


DEV_SERVER = re.compile(r"\brun(?:ssl)?server(?:_plus)?\b|--reload\b|\bflask\b.*\brun\b|--debug\b|\bwatchmedo\b|\bdevelop\b|\bdev_server\b", re.S)


def _mounts_from(svc: Map, file: str, services: Map, load: Callable[[str], Any] | None) -> bool:
    """``volumes_from: [static]`` naming a service of the same file that bind-mounts the repo's code."""
    names = svc.get("volumes_from")
    for entry in names if isinstance(names, list) else []:
        name = str(entry).split(":", 1)[0]
        other = services.get(name) if not str(entry).startswith("container:") else None
        if isinstance(other, Map) and other is not svc and _mounts_source(extended(other, file, services, load)[0].get("volumes")):
            return True
    return False


def _mounts_source(volumes: Any) -> bool:
    for volume in volumes if isinstance(volumes, list) else []:
        source = volume.get("source") if isinstance(volume, Map) and volume.get("type") == "bind" else \
            str(volume).split(":", 1)[0] if isinstance(volume, str) and ":" in volume else None
        if isinstance(source, str) and source.startswith((".", "${PWD}", "$PWD")):
            return True
    return False


def _binds(volumes: Any, here: str) -> list[tuple[str, str]]:
    """The bind mounts of folders or files of the repo: (their path in the repo, where they are mounted)."""
    found: list[tuple[str, str]] = []
    for volume in volumes if isinstance(volumes, list) else []:
        if isinstance(volume, Map) and volume.get("type") == "bind":
            source, target = volume.get("source"), volume.get("target")
        elif isinstance(volume, str) and ":" in volume:
            source, target, *_ = volume.split(":")
        else:
            continue
        if not isinstance(source, str) or not isinstance(target, str) or not target.startswith("/"):
            continue
        for pwd in ("${PWD}", "$PWD"):
            if source == pwd or source.startswith(pwd + "/"):
                source = "." + source[len(pwd):]
        if source.startswith(".") and "$" not in source:
            found.append((os.path.normpath(os.path.join(here, source)), posixpath.normpath(target)))
    return found


# A leading comment that says the compose file is for development only: "This setup is intended
# to be used as a development environment", "Used only for local development", "not for production".
_DEV_DECLARED = re.compile(
    r"\b(?:development|dev) environment\b"
    r"|\bdevelopment (?:only|purposes?)\b"
    r"|\b(?:for|in|during) (?:local )?development\b(?!\s*,|\s+(?:use|run|see|set|add|uncomment|start|copy|create|build|change|edit|"
    r"enable|you|we|it|this|the|of)\b)"
    r"|\bnot (?:intended |meant |suitable |ready |designed )?(?:to be used )?(?:for|in) production\b"
    r"|\b(?:do not|don't|never) (?:use|run|deploy) (?:this |it )?(?:\w+ )?(?:in|for|to) production\b", re.I)
_PRODUCTION_DENIED = re.compile(
    r"\bnot (?:intended |meant |suitable |ready |designed )?(?:to be used )?(?:for|in) production\b"
    r"|\b(?:do not|don't|never) (?:use|run|deploy) (?:this |it )?(?:\w+ )?(?:in|for|to) production\b", re.I)
# A sentence about another file or setup: "for development, see docker-compose.dev.yml", "... use X instead".
_ELSEWHERE = re.compile(r"[\w.-]+\.ya?ml\b|\bsee\b|\binstead\b", re.I)
_PRODUCTION = re.compile(r"\bprod(?:uction)?\b", re.I)
# A pointer to where the deployed setup lives ("see Dockerfile for deployed version", "the production
# config is in k8s/"): it confirms that THIS file is not the deployed one, so it is dropped before the
# sentence is read (it neither cancels the development sign nor makes the comment speak of production).
_DEPLOYED_ELSEWHERE = re.compile(
    r"\b(?:see|use|check)\s+\S+\s+(?:for|to see)\s+(?:the\s+)?(?:deployed|production|prod|live|real)\s+"
    r"(?:version|setup|config(?:uration)?|build|image|stack|deployment|one)\b"
    r"|\b(?:the\s+)?(?:deployed|production|live)\s+(?:version|setup|config(?:uration)?|build|image|stack|deployment)\s+"
    r"(?:is|lives)\s+(?:in|at|under)\s+\S+", re.I)
# Markdown emphasis around words ("only used for *local development*", "`dev` environment").
_EMPHASIS = re.compile(r"[*`]+|(?<![\w])_+|_+(?![\w])")
_NEGATED = re.compile(r"\b(?:not|never|no)\s+(?:\w+\s+)?$", re.I)


def development_header(text: str) -> str:
    """The sentence of a compose file's leading comment (the comment lines before its first
    key) that says the file is a development setup ("" when none does). A sentence that points
    elsewhere (a file name, "see", "instead") or denies it ("not for development") does not count,
    nor does any sentence when the comment speaks of production other than to deny it
    ("Production stack; not for local development", "for production use the published image").
    Emphasis markup is dropped first ("only for *local development*"), and so is a pointer to where
    the deployed setup lives ("see Dockerfile for deployed version"): it says this file is not it."""
    words: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped == "---":
            continue
        if not stripped.startswith("#"):
            break
        comment = stripped.lstrip("#").strip()
        words.append(comment if comment else ".")  # an empty comment line ends a sentence
    joined = _DEPLOYED_ELSEWHERE.sub(" . ", _EMPHASIS.sub("", " ".join(words)))
    sentences = [s for s in re.split(r"(?<=[.;!?])\s+|\s+\.(?:\s+|$)", joined) if s.strip(" .")]
    if any(_PRODUCTION.search(_PRODUCTION_DENIED.sub("", s)) for s in sentences):
        return ""  # "Production stack; not for local development": the header speaks of production
    for sentence in sentences:
        found = _DEV_DECLARED.search(sentence)
        if found and not _NEGATED.search(sentence[:found.start()]) and not _ELSEWHERE.search(_PRODUCTION_DENIED.sub("", sentence)):
            return sentence.strip(" .")
    return ""


def is_compose_file(path: str) -> bool:
    base = os.path.basename(path).lower()
    return bool(re.match(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$", base)) or bool(re.match(r"^[\w.-]*\.?compose\.ya?ml$", base))


# -- Dockerfile --------------------------------------------------------------------
def is_dockerfile(path: str) -> bool:
    base = os.path.basename(path)
    return base == "Dockerfile" or base.startswith("Dockerfile.") or base.endswith(".Dockerfile") or base.endswith(".dockerfile") \
        or base.startswith("Dockerfile-")


def _instructions(text: str) -> Iterator[tuple[int, str, str]]:
    lines = text.splitlines()
    i = 0
    escape = "\\"
    if lines and re.match(r"^#\s*escape\s*=\s*`", lines[0]):
        escape = "`"
    while i < len(lines):
        start = i
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            i += 1
            continue
        parts: list[str] = []
        while True:
            current = lines[i]
            if current.lstrip().startswith("#") and parts:
                i += 1
                if i >= len(lines):
                    break
                continue
            if current.rstrip().endswith(escape):
                parts.append(current.rstrip()[:-1])
                i += 1
                if i >= len(lines):
                    break
            else:
                parts.append(current)
                i += 1
                break
        joined_text = " ".join(p.strip() for p in parts)
        word, _, rest = joined_text.partition(" ")
        yield start + 1, word.upper(), rest.strip()


def _exec_form(rest: str) -> str:
    if rest.startswith("["):
        import json

        try:
            value = json.loads(rest)
            if isinstance(value, list):
                return " ".join(str(v) for v in value)
        except ValueError:
            pass
    return rest


def dockerfile(path: str, text: str) -> Dockerfile:
    out = Dockerfile(path)
    for line, word, rest in _instructions(text):
        if word == "FROM":
            parts = rest.split()
            parts = [p for p in parts if not p.startswith("--")]
            base = parts[0] if parts else ""
            name = parts[2] if len(parts) >= 3 and parts[1].lower() == "as" else ""
            out.stages.append({"name": name, "base": base, "line": line, "healthcheck": None, "cmd": "", "entrypoint": "", "expose": [],
                               "copies": [], "workdir": "/", "runs": [], "added": []})
            continue
        if not out.stages:
            continue
        stage = out.stages[-1]
        if word == "HEALTHCHECK":
            if rest.upper().strip() == "NONE":
                stage["healthcheck"] = Check(path, line, "dockerfile", "none")
                stage["healthcheck_none"] = True
            else:
                cmd = re.split(r"\bCMD\b", rest, maxsplit=1)
                stage["healthcheck"] = command_check(_exec_form(cmd[1].strip()) if len(cmd) > 1 else rest, path, line, "dockerfile")
                stage["healthcheck_none"] = False
        elif word == "CMD":
            stage["cmd"] = _exec_form(rest)
        elif word == "ENTRYPOINT":
            stage["entrypoint"] = _exec_form(rest)
            stage["cmd"] = ""
        elif word == "EXPOSE":
            stage["expose"] += rest.split()
        elif word == "WORKDIR" and rest:
            folder = _exec_form(rest).strip("\"'")
            stage["workdir"] = "" if "$" in folder or not (stage["workdir"] or folder.startswith("/")) else posixpath.join(stage["workdir"], folder)
        elif word == "ARG":
            for arg in _words(rest):
                name, eq, default = arg.partition("=")
                stage.setdefault("args", {})[name] = default.strip("\"'") if eq else ""
        elif word == "RUN":
            stage["runs"].append(rest)
        elif word in ("COPY", "ADD"):
            stage["added"].append(rest)  # every COPY/ADD as written (--from= too): what a tool's binary may come from
            copied = _copy(rest, stage["workdir"])
            if copied is not None:
                stage["copies"].append(copied)
    return out


def _copy(rest: str, workdir: str) -> tuple[list[str], str, bool] | None:
    """A ``COPY``/``ADD`` of files of the build context: (its sources, its destination in the
    image, whether the destination is a folder). None for one from another stage or image
    (``--from=``), a URL, or a destination written with a variable."""
    words = _exec_form(rest).split() if rest.startswith("[") else _words(rest)
    flags = [w for w in words if w.startswith("--")]
    words = [w for w in words if not w.startswith("--")]
    if any(f.startswith("--from") for f in flags) or len(words) < 2:
        return None
    *sources, dest = words
    if "$" in dest or any("://" in src for src in sources) or not (workdir or dest.startswith("/")):
        return None  # a destination under a WORKDIR written with a variable: where it is is unknown
    folder = dest.endswith("/") or len(sources) > 1 or dest in (".", "./")
    return sources, posixpath.normpath(posixpath.join(workdir, dest)), folder


def runit_services(docker: Dockerfile, target: str | None) -> list[str]:
    """The image paths of runit run scripts the Dockerfile copies (``COPY ./deploy/prod.sh
    /etc/service/django/run``): what phusion's ``/sbin/my_init`` (or ``runsvdir /etc/service``) starts."""
    found: list[str] = []
    for stage in docker.final(target):
        for sources, dest, folder in stage.get("copies", []):
            for src in sources:
                image_path = posixpath.join(dest, posixpath.basename(src.rstrip("/"))) if folder else dest
                if re.fullmatch(r"/etc/service/[^/]+/run", image_path) and image_path not in found:
                    found.append(image_path)
    return found


_CHECK_TOOL = re.compile(r"(?:^|[\s;&|(\"'`])(?:/usr/bin/|/bin/|/usr/local/bin/)?(curl|wget)(?=\s|$|[\"'])")
_SLIM_BASES = {"python", "pypy", "debian", "node"}  # official images with a -slim variant: neither curl nor wget
_ALPINE_BASES = {"python", "pypy", "node", "alpine"}  # official alpine images: busybox's wget, no curl
_UNKNOWN_INSTALL = re.compile(r"\.sh\b|\b(?:install|add)\b[^;&|]*\$")


def base_lacks(base: str) -> set[str] | None:
    """The check tools (curl, wget) an official base image surely lacks: a ``-slim`` Debian or
    Python image has neither, an alpine one has busybox's ``wget`` but no ``curl``, a distroless
    one has neither. None when the image is not one of those (``python:3.12`` has both; another
    project's image, or one named by a variable, is unknown)."""
    image = base.lower().split("@", 1)[0]
    for prefix in ("docker.io/", "library/"):
        image = image[len(prefix):] if image.startswith(prefix) else image
    if image.startswith("gcr.io/distroless/"):
        return {"curl", "wget"}
    name, _, tag = image.partition(":")
    if "/" in name or "$" in name:
        return None
    if name in _ALPINE_BASES and (name == "alpine" or re.search(r"(?:^|[-.])alpine", tag)):
        return {"curl"}
    if name in _SLIM_BASES and re.search(r"(?:^|[-.])slim(?:$|[-.])", tag):
        return {"curl", "wget"}
    return None


def missing_check_tool(docker: Dockerfile, command: str, target: str | None = None) -> tuple[str, str] | None:
    """The tool a health check runs (``curl``/``wget``) that the image it runs in does not have:
    the stage chain starts from a base that lacks it (``base_lacks``), and no ``RUN`` of the chain
    names it (``apt-get install curl``, ``apk add curl``) and no ``COPY``/``ADD`` brings it. A ``RUN``
    that runs a script or installs packages named by a variable may add it: unknown, None.
    Returns (tool, base image), or None when the tool is there or may be."""
    tools = {m.group(1) for m in _CHECK_TOOL.finditer(command)}
    chain = docker.final(target)
    if not tools or not chain:
        return None
    lacks = base_lacks(chain[0]["base"])
    if not lacks or not tools <= lacks:
        return None  # a tool the base has (or one of two alternatives: curl ... || wget ...)
    for stage in chain:
        for text in stage.get("runs", []) + stage.get("added", []):
            if any(re.search(rf"\b{tool}\b", text) for tool in tools) or _UNKNOWN_INSTALL.search(text):
                return None
    return sorted(tools)[0], chain[0]["base"]


def copied_from(docker: Dockerfile, target: str | None, path: str) -> list[str]:
    """The build-context paths an image path could have been copied from by the Dockerfile's
    ``COPY``/``ADD`` lines (``COPY ./compose/production/django/start /start``: ``/start`` ->
    ``compose/production/django/start``; ``COPY scripts/ /usr/bin/``: ``/usr/bin/run`` ->
    ``scripts/run``), the latest copy first."""
    path = posixpath.normpath(path)
    found: list[str] = []
    chain = docker.final(target)
    args: dict[str, str] = {}
    for stage in chain:
        args.update(stage.get("args", {}))
    args.update(docker.args)
    for stage in reversed(chain):
        for sources, dest, folder in reversed(stage.get("copies", [])):
            for raw in sources:
                if "$" in raw:
                    # COPY ${RUN_SCRIPT} /etc/service/django/run: the build arg's value (compose build: args, else the ARG default)
                    raw = re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: args.get(m.group(1) or m.group(2), "$"), raw)
                    if "$" in raw or not raw:
                        continue
                src = raw.rstrip("/") or "."
                if path == dest and not folder:
                    found.append(src)
                elif path == posixpath.join(dest, posixpath.basename(src)):
                    found.append(src)
                elif path.startswith(dest.rstrip("/") + "/") and (raw.endswith("/") or len(sources) == 1):
                    # the contents of a folder copied there
                    found.append(posixpath.join(src, path[len(dest.rstrip("/")) + 1:]))
    return [posixpath.normpath(f) for f in found]


# -- units: which files deploy together ---------------------------------------------
def unit_of(path: str, charts: Sequence[str]) -> str:
    """The chart a template belongs to, else the file's folder."""
    folder = os.path.dirname(path)
    best = ""
    for chart in charts:
        if (folder == chart or folder.startswith(chart + "/") or not chart) and len(chart) >= len(best):
            best = chart
            if folder == chart or folder.startswith(chart + "/"):
                return chart
    return folder


def seq_line(value: Any, default: int) -> int:
    return value.line if isinstance(value, (Map, Seq)) and value.line else default
