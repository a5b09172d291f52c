"""The repo as the health checks see it: what is deployed, how each piece is
checked, which routes the apps serve and which settings production runs."""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import Any

from hooks.checks.check_health_checks import deploy, helmvalues, routes, yamlread
from hooks.core.records import field, record
from hooks.repo.roles import belongs_to_service

DEV_NAME = re.compile(r"(?i)(^|[./_-])(dev|devel|development|local|debug)([./_-]|$)")  # Dockerfile.dev, start-dev.sh
_DEV = re.compile(r"(?i)(^|[./_-])(override|dev|devel|development|local|test|tests|testing|ci|debug|e2e)([./_-]|$)")
_NODE_SERVER = re.compile(r'"(next|express|nuxt|fastify|koa|@nestjs/core|@remix-run/node|@sveltejs/kit|hono)"\s*:')
_K8S_HINT = re.compile(r"^\s*kind:\s*\S", re.M)
_NGINX = re.compile(r"(^|/)(nginx[^/]*|nginx[^/]*/[^/.]+|[^/]*\.conf|[^/]*\.conf\.(template|j2|tmpl)|default\.conf[^/]*|sites-(available|enabled)/[^/]+)$")


@record
class RepoView:
    files: list[str]
    read: Callable[[str], str | None]
    workloads: list[deploy.Workload] = field(default_factory=list)
    services: list[deploy.KService] = field(default_factory=list)
    compose: list[deploy.ComposeService] = field(default_factory=list)
    dockerfiles: dict[str, deploy.Dockerfile] = field(default_factory=dict)
    tables: list[routes.Table] = field(default_factory=list)
    served: list[tuple[str, bool, str]] = field(default_factory=list)  # middleware/nginx: (regex, exact, where)
    other_framework: str = ""
    broken: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    django_settings: dict[str, Any] = field(default_factory=dict)  # settings path -> Module
    route_files: set[str] = field(default_factory=set)
    non_python: str = ""
    grep: Any = None  # hooks.repo.git.Grep: which files can hold what a loop looks for (None: read them all)
    results: Any = None  # hooks.core.cache.FileResults of the per-file facts (made on first use)
    helm: Any = None  # hooks.core.cache.FileResults of masked Helm templates (made on first use)
    blobs: dict[str, str] = field(default_factory=dict)  # path -> git blob id (hooks.repo.git.blob_ids); empty: no cache
    salt: str = ""  # the settings a kept per-file result depends on (the read limit)

    def named(self, name: str) -> list[str]:
        """``files`` (in their order) whose base name is ``name``."""
        index: dict[str, list[str]] | None = getattr(self, "_named", None)
        if index is None:
            index = {}
            for f in self.files:
                index.setdefault(os.path.basename(f), []).append(f)
            self._named = index
        return index.get(name, [])

    def normed(self) -> dict[str, str]:
        """``files`` by their normalised path."""
        index: dict[str, str] | None = getattr(self, "_normed", None)
        if index is None:
            index = self._normed = {os.path.normpath(f): f for f in self.files}
        return index

    def holding(self, files: Sequence[str], *alternatives: str | tuple[str, ...], pathspecs: tuple[str, ...] = ("*.py",),
                also: Sequence[str | tuple[str, ...]] = ()) -> list[str]:
        """``files`` that can hold one of ``alternatives`` (hooks.repo.git.Grep): a prefilter, the loops still test."""
        from hooks.repo.git import holding

        return holding(self.grep, files, *alternatives, pathspecs=pathspecs, also=also)


# The literals without which routes.AppReader.read skips a file (one of its _HINTS,
# or a decorator "@x.route(" / "@x.get(" ...: "@" and ".route(" on one line).
_APP_NEEDLES: tuple[str | tuple[str, ...], ...] = (
    *routes._HINTS, *(("@", f".{m}(") for m in ("route", "get", "post", "api_route")))


def _framework_needles() -> tuple[str, ...]:
    """The names routes.OTHER_FRAMEWORKS looks for after "from"/"import" (its \\s+
    may cross a line, so the name alone is the literal a file must hold)."""
    m = re.fullmatch(r"\^\\s\*\(\?:from\|import\)\\s\+\(([\w|]+)\)\\b", routes.OTHER_FRAMEWORKS.pattern)
    if m is None:
        return ("",)  # the pattern changed shape: no prefilter (an empty word reads every file)
    return tuple(m.group(1).split("|"))


_OTHER_NEEDLES = _framework_needles()


# An Android/iOS app (its Gradle build applies an Android plugin; an android/ or ios/ folder of a
# Capacitor, Ionic, React Native or Flutter project; a package.json of such an app): a phone runs it, no container.
_MOBILE_DIR = re.compile(r"(^|/)(android|ios)/")
_MOBILE_TEXT = re.compile(r"com\.android\.(application|library|tools\.build)|['\"]@capacitor/|['\"]@ionic/|['\"]react-native['\"]|['\"]expo['\"]\s*:")


def mobile_app(path: str, read: Callable[[str], str | None]) -> bool:
    """A marker file of a mobile app (mobile/app/android/app/build.gradle, an Ionic app's package.json):
    not a server another language runs beside the Python app."""
    if _MOBILE_DIR.search(path):
        return True
    if os.path.basename(path) not in ("build.gradle", "package.json"):
        return False
    return bool(_MOBILE_TEXT.search(read(path) or ""))


def dev_only(path: str, environment: str | None) -> bool:
    if environment in ("development", "test"):
        return True
    name = os.path.basename(path)
    return bool(_DEV.search(name.rsplit(".", 1)[0] if "." in name else name))


def charts(files: Sequence[str]) -> list[str]:
    return sorted({os.path.dirname(f) for f in files if os.path.basename(f) == "Chart.yaml"})


_HELMFILE = re.compile(r"(^|/)helmfile(\.d/[^/]+)?(\.ya?ml)?(\.gotmpl)?$")
_RELEASE = re.compile(r"^(\s*)-\s+name:", re.M)
_DEV_ENVIRONMENTS = ("dev", "development", "local")
_ONLY_IN = re.compile(r"\{\{-?\s*(?:eq\s+\.Environment\.Name\s+\"([\w-]+)\"|eq\s+\"([\w-]+)\"\s+\.Environment\.Name)\s*(?:\|\s*toYaml\s*)?-?\}\}")


def helmfile_dev_charts(view: RepoView) -> dict[str, str]:
    """The repo's charts that its helmfiles install only in a development environment
    (``installed: {{ eq .Environment.Name "dev" | toYaml }}``): chart folder -> why. A chart that
    any release installs without such a condition is not one."""
    dev: dict[str, str] = {}
    elsewhere: set[str] = set()
    for f in view.files:
        if not _HELMFILE.search(f):
            continue
        text = view.read(f) or ""
        starts = [m.start() for m in _RELEASE.finditer(text)]
        for i, start in enumerate(starts):
            entry = text[start: starts[i + 1] if i + 1 < len(starts) else len(text)]
            chart = re.search(r"^\s*chart:\s*[\"']?(\.{1,2}/[^\s\"']+)", entry, re.M)
            if chart is None:
                continue  # a chart from a repository: not the repo's templates
            folder = os.path.normpath(os.path.join(os.path.dirname(f), chart.group(1)))
            installed = re.search(r"^\s*installed:\s*(.+)$", entry, re.M)
            only = _ONLY_IN.fullmatch(installed.group(1).strip()) if installed else None
            name = (only.group(1) or only.group(2)) if only else ""
            if name.lower() in _DEV_ENVIRONMENTS:
                line = text.count("\n", 0, start + (installed.start() if installed else 0)) + 1
                dev.setdefault(folder, f"{f}:{line} installs it only in the {name} environment")
            else:
                elsewhere.add(folder)
    return {k: v for k, v in dev.items() if k not in elsewhere}


def read_deploy(view: RepoView, environment: Callable[[str], str | None]) -> None:
    chart_dirs = charts(view.files)
    dev_charts = helmfile_dev_charts(view) if any(_HELMFILE.search(f) for f in view.files) else {}
    values = helmvalues.ChartValues(view.read, view.files)
    # A YAML file that is not a compose file counts only with "kind:" (_K8S_HINT) or "services:" in it.
    manifests = set(view.holding(view.files, "kind:", "services:", pathspecs=(":(icase)*.yaml", ":(icase)*.yml")))
    for f in view.files:
        low = f.lower()
        docker = deploy.is_dockerfile(f)
        if not docker and not low.endswith((".yaml", ".yml")):
            continue  # the cheap test first: most files are neither
        if not belongs_to_service(f):
            continue
        if docker:
            text = view.read(f)
            if text is not None:
                view.dockerfiles[os.path.normpath(f)] = deploy.dockerfile(f, text)
            continue
        in_chart = any(f.startswith(c + "/templates/") or (not c and f.startswith("templates/")) for c in chart_dirs)
        dev_chart = next((why for c, why in dev_charts.items() if in_chart and f.startswith(c + "/templates/")), "")
        if dev_chart:
            view.skipped.append(f"{f}: development only ({dev_chart})")
            continue
        compose = deploy.is_compose_file(f)
        if not compose and f not in manifests:
            continue
        text = view.read(f)
        if text is None:
            continue
        if not compose and not _K8S_HINT.search(text) and "services:" not in text:
            continue
        if dev_only(f, environment(f)):
            if compose or _K8S_HINT.search(text) or _compose_shaped(text):
                view.skipped.append(f"{f}: development or test only")
            continue  # a CI pipeline whose jobs have services: (.gitlab-ci.yml) is no skipped deployment
        declared = deploy.development_header(text) if compose and environment(f) != "production" else ""
        if declared:
            view.skipped.append(f"{f}: development only (its leading comment: \"{declared[:80]}\")")
            continue
        raw = text
        if in_chart or (yamlread.is_helm_template(text) and not compose):
            text = _masked(view, f, text)
        try:
            docs = list(yamlread.load_all(text))
        except ValueError as exc:
            if compose or in_chart or "containers:" in text:
                view.broken.append(f"{f}: {exc}")
            continue
        if compose or (len(docs) == 1 and isinstance(docs[0], yamlread.Map) and "services" in docs[0]
                       and isinstance(docs[0]["services"], yamlread.Map) and "kind" not in docs[0]):
            view.compose.extend(deploy.compose(docs[0] if docs else None, f, lambda path: _compose_doc(view, path)))
            continue
        unit = deploy.unit_of(f, chart_dirs)
        for item in deploy.kubernetes(docs, f, unit):
            if isinstance(item, deploy.Workload):
                if in_chart:
                    _chart_defaults(item, unit, raw, values)
                view.workloads.append(item)
            else:
                view.services.append(item)
    if view.helm is not None:
        view.helm.save()


def _compose_shaped(text: str) -> bool:
    """A YAML file not named like a compose file whose top-level ``services:`` is a mapping (cookiecutter-django's local.yml)."""
    try:
        docs = list(yamlread.load_all(text))
    except ValueError:
        return False
    return len(docs) == 1 and isinstance(docs[0], yamlread.Map) and isinstance(docs[0].get("services"), yamlread.Map)


def _compose_doc(view: RepoView, path: str) -> Any:
    """The compose file a service ``extends:`` (None when it is not in the repo or not YAML)."""
    found = view.normed().get(os.path.normpath(path))
    text = view.read(found) if found is not None else None
    if not text:
        return None
    try:
        docs = list(yamlread.load_all(text))
    except ValueError:
        return None
    return docs[0] if docs else None


def _chart_defaults(wl: deploy.Workload, chart: str, raw: str, values: helmvalues.ChartValues) -> None:
    """What the chart's values.yaml gives by default: a templated image's name, a probe's path (or the whole
    probe, written by a helper), and whether it is rendered at all."""
    wl.disabled = values.disabled(chart, raw)
    lines = raw.split("\n")
    for c in wl.containers:
        if c.image_line and yamlread.templated(c.image) and c.image_line <= len(lines):
            c.default_image = values.image(chart, lines[c.image_line - 1])
        if c.name_line and yamlread.templated(c.name) and c.name_line <= len(lines):
            c.default_name = values.image(chart, lines[c.name_line - 1], "name:")
        for key, check in list(c.probes.items()):
            if check.kind == "unknown" and check.unknown == "the probe is templated":
                rendered = values.probe(chart, lines, check.line, key)
                if rendered is not None:
                    made = deploy.probe_check(rendered, wl.file, check.role)
                    made.line = check.line  # the helper's lines are not this file's: the probe's own line
                    made.from_values = os.path.join(chart, "values.yaml")
                    c.probes[key] = made
            elif check.kind == "http" and check.unknown == "the path is templated" and 0 < check.line <= len(lines):
                # path: {{ .Values.livenessProbe.httpGet.path }}: the chart's default, as an image's
                path = values.image(chart, lines[check.line - 1], "path:")
                if path.startswith("/"):
                    check.path = path.split("?", 1)[0]
                    check.unknown = ""
                    check.from_values = os.path.join(chart, "values.yaml")
    if wl.name_line and yamlread.templated(wl.name) and wl.name_line <= len(lines):
        wl.default_name = values.image(chart, lines[wl.name_line - 1], "name:")


def _masked(view: RepoView, f: str, text: str) -> str:
    """``yamlread.mask_helm(text)`` (a pure function of the text), kept per content in the result cache."""
    blob = view.blobs.get(f)
    if blob is None:
        return yamlread.mask_helm(text)
    if view.helm is None:
        from hooks.core.cache import FileResults

        view.helm = FileResults("check-health-checks-helm", view.salt)
    kept = view.helm.get(f, blob)
    if isinstance(kept, str) and kept.count("\n") == text.count("\n"):  # masking keeps every line where it was
        return kept
    masked = yamlread.mask_helm(text)
    view.helm.put(f, blob, masked)
    return masked


Facts = tuple[str, bool, list[tuple[str, bool]]]  # other framework ("" none), parsed for paths, (regex, exact) answered
_NO_FACTS: Facts = ("", False, [])
_READ_WITHOUT_GREP = 40  # with the cache on, misses up to this many are read directly, not first grepped


def _file_facts(f: str, read: Callable[[str], str | None], modules: routes.Modules) -> Facts:
    """What one Python file says on its own, from its text alone (a pure function of path and content)."""
    import ast

    text = read(f) or ""
    other = routes.other_frameworks(text) or ""
    if not (routes._PATH_WORDS.search(text) and re.search(r"['\"]/[\w.-]*['\"]", text)):
        return (other, False, [])
    tree = modules.tree(f)
    return (other, True, routes.middleware_paths(f, tree) if isinstance(tree, ast.Module) else [])


def _kept_facts(view: RepoView, python: Sequence[str]) -> tuple[dict[str, Facts], list[str]]:
    """The facts the result cache holds for these files' contents, and the files it does not."""
    if view.blobs and view.results is None:
        from hooks.core.cache import FileResults

        view.results = FileResults("check-health-checks-answers", view.salt)
    facts: dict[str, Facts] = {}
    misses: list[str] = []
    for f in python:
        kept = view.results.get(f, view.blobs.get(f)) if view.results is not None else None
        fact = _rebuild(kept)
        if fact is None:
            misses.append(f)
        else:
            facts[f] = fact
    return facts, misses


def _rebuild(kept: Any) -> Facts | None:
    """A kept entry checked for its shape; anything else (damaged, foreign) is None: read again."""
    if not (isinstance(kept, list) and len(kept) == 3 and isinstance(kept[0], str) and isinstance(kept[1], bool)
            and isinstance(kept[2], list)):
        return None
    served: list[tuple[str, bool]] = []
    for item in kept[2]:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], bool)):
            return None
        served.append((item[0], item[1]))
    if served and not kept[1]:
        return None  # paths come only from a parsed file
    return (kept[0], kept[1], served)


def read_apps(view: RepoView, django_roots: Sequence[str], settings_value: Callable[[str, Any], str | None],
              languages: Sequence[str] = (), locale: str = "", unknown_urlconfs: Sequence[tuple[str, str]] = ()) -> None:
    python = [f for f in view.files if f.endswith(".py") and belongs_to_service(f)]
    modules = routes.Modules(python, view.read)
    for root in django_roots:
        table = routes.django_table(root, modules, languages)
        table.locale = locale
        view.tables.append(table)
    for where, why in unknown_urlconfs:
        view.tables.append(routes.Table("django", where, [routes.DjNode("", True, False, unknown=why)]))
    reader = routes.AppReader(modules, settings_value)
    reader.read(view.holding(python, *_APP_NEEDLES))
    view.tables.extend(reader.tables())

    # What each Python file says on its own (another framework's import, paths its code answers):
    # kept per content (git blob id) in the result cache, so a commit re-reads only what changed.
    facts, misses = _kept_facts(view, python)
    # The files the loop below can learn from: another framework's import, or a path word and a "/..." literal.
    # other | (path & slash) == (other | path) & (other | slash): two git greps, not three. A few
    # files (a commit's, when the rest is kept) are cheaper to read than two greps of the repo.
    answering = set(misses) if view.results is not None and len(misses) <= _READ_WITHOUT_GREP else set(
        view.holding(misses, *_OTHER_NEEDLES, "path", "PATH_INFO", also=(*_OTHER_NEEDLES, "'/", '"/')))
    parsed: set[str] = set()
    for f in python:
        fact = facts.get(f)
        if fact is None:
            fact = _file_facts(f, view.read, modules) if f in answering else _NO_FACTS
            if view.results is not None:
                view.results.put(f, view.blobs.get(f), [fact[0], fact[1], [list(s) for s in fact[2]]])
        other, was_parsed, served = fact
        if other and not view.other_framework:
            view.other_framework = f"{other} ({f})"
        if was_parsed:
            parsed.add(f)
        view.served += [(r, exact, f) for r, exact in served]
    if view.results is not None:
        view.results.save()
    for f in view.files:
        # every name _NGINX matches holds "nginx", ".conf" or "sites-": a cheap test first
        if ("nginx" in f or ".conf" in f or "sites-" in f) and _NGINX.search(f) and not f.endswith((".py", ".yaml", ".yml")):
            text = view.read(f) or ""
            if "location" in text:
                view.served += [(r, exact, f) for r, exact in routes.nginx_paths(text)]
    view.served += routes.package_middleware_paths(view.holding(python, *routes.PACKAGE_MIDDLEWARE), view.read)
    view.route_files = set(modules.trees) | parsed
    for marker in ("go.mod", "pom.xml", "build.gradle", "Cargo.toml", "Gemfile", "composer.json", "mix.exs"):
        hit = next((f for f in view.named(marker) if belongs_to_service(f) and not mobile_app(f, view.read)), None)
        if hit:
            view.non_python = hit
            break
    if not view.non_python:
        # a Node server (Next.js, Express, ...) answers its own probes; a package.json for static assets does not count
        for f in view.named("package.json"):
            if belongs_to_service(f) and not mobile_app(f, view.read) and _NODE_SERVER.search(view.read(f) or ""):
                view.non_python = f
                break
