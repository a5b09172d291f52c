"""The repo as the health checks see it: what is deployed, how each piece is
checked, which routes the apps serve and which settings production runs."""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import Any

from hooks.checks.check_health_checks import deploy, routes, yamlread
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


def dev_only(path: str, environment: str | None) -> bool:
    if environment in ("development", "test"):
        return True
    name = os.path.basename(path)
    return bool(_DEV.search(name.rsplit(".", 1)[0] if "." in name else name))


def charts(files: Sequence[str]) -> list[str]:
    return sorted({os.path.dirname(f) for f in files if os.path.basename(f) == "Chart.yaml"})


def read_deploy(view: RepoView, environment: Callable[[str], str | None]) -> None:
    chart_dirs = charts(view.files)
    # A YAML file that is not a compose file counts only with "kind:" (_K8S_HINT) or "services:" in it.
    manifests = set(view.holding(view.files, "kind:", "services:", pathspecs=(":(icase)*.yaml", ":(icase)*.yml")))
    for f in view.files:
        low = f.lower()
        if not belongs_to_service(f):
            continue
        if deploy.is_dockerfile(f):
            text = view.read(f)
            if text is not None:
                view.dockerfiles[os.path.normpath(f)] = deploy.dockerfile(f, text)
            continue
        if not low.endswith((".yaml", ".yml")):
            continue
        in_chart = any(f.startswith(c + "/templates/") or (not c and f.startswith("templates/")) for c in chart_dirs)
        compose = deploy.is_compose_file(f)
        if not compose and f not in manifests:
            continue
        text = view.read(f)
        if text is None:
            continue
        if not compose and not _K8S_HINT.search(text) and "services:" not in text:
            continue
        if dev_only(f, environment(f)):
            view.skipped.append(f"{f}: development or test only")
            continue
        if in_chart or (yamlread.is_helm_template(text) and not compose):
            text = yamlread.mask_helm(text)
        try:
            docs = list(yamlread.load_all(text))
        except ValueError as exc:
            if compose or in_chart or "containers:" in text:
                view.broken.append(f"{f}: {exc}")
            continue
        if compose or (len(docs) == 1 and isinstance(docs[0], yamlread.Map) and "services" in docs[0]
                       and isinstance(docs[0]["services"], yamlread.Map) and "kind" not in docs[0]):
            view.compose.extend(deploy.compose(docs[0] if docs else None, f))
            continue
        unit = deploy.unit_of(f, chart_dirs)
        for item in deploy.kubernetes(docs, f, unit):
            if isinstance(item, deploy.Workload):
                view.workloads.append(item)
            else:
                view.services.append(item)


def read_apps(view: RepoView, django_roots: Sequence[str], settings_value: Callable[[str, Any], str | None],
              languages: Sequence[str] = (), locale: str = "") -> None:
    python = [f for f in view.files if f.endswith(".py") and belongs_to_service(f)]
    modules = routes.Modules(python, view.read)
    for root in django_roots:
        table = routes.django_table(root, modules, languages)
        table.locale = locale
        view.tables.append(table)
    reader = routes.AppReader(modules, settings_value)
    reader.read(view.holding(python, *_APP_NEEDLES))
    view.tables.extend(reader.tables())
    import ast

    # The files the loop below can learn from: another framework's import, or a path word and a "/..." literal.
    # other | (path & slash) == (other | path) & (other | slash): two git greps, not three
    answering = set(view.holding(python, *_OTHER_NEEDLES, "path", "PATH_INFO", also=(*_OTHER_NEEDLES, "'/", '"/')))
    for f in python:
        if f not in answering:
            continue
        text = view.read(f) or ""
        if not view.other_framework:
            other = routes.other_frameworks(text)
            if other:
                view.other_framework = f"{other} ({f})"
        if routes._PATH_WORDS.search(text) and re.search(r"['\"]/[\w.-]*['\"]", text):
            tree = modules.tree(f)
            if isinstance(tree, ast.Module):
                view.served += [(r, exact, f) for r, exact in routes.middleware_paths(f, tree)]
    for f in view.files:
        # every name _NGINX matches holds "nginx", ".conf" or "sites-": a cheap test first
        if ("nginx" in f or ".conf" in f or "sites-" in f) and _NGINX.search(f) and not f.endswith((".py", ".yaml", ".yml")):
            text = view.read(f) or ""
            if "location" in text:
                view.served += [(r, exact, f) for r, exact in routes.nginx_paths(text)]
    view.route_files = set(modules.trees)
    for marker in ("go.mod", "pom.xml", "build.gradle", "Cargo.toml", "Gemfile", "composer.json", "mix.exs"):
        hit = next((f for f in view.files if os.path.basename(f) == marker and belongs_to_service(f)), None)
        if hit:
            view.non_python = hit
            break
    if not view.non_python:
        # a Node server (Next.js, Express, ...) answers its own probes; a package.json for static assets does not count
        for f in view.files:
            if os.path.basename(f) == "package.json" and belongs_to_service(f) and _NODE_SERVER.search(view.read(f) or ""):
                view.non_python = f
                break
