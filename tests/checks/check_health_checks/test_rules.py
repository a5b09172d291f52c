"""check-health-checks: catch / leave-alone pairs per rule, on the fixture
projects (tests/checks/check_health_checks/projects/) with one thing changed."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import git

PROJECTS = Path(__file__).parent / "projects"
HOOK = "check-health-checks"
Run = Callable[..., object]


def project(name: str, **changes: str | None) -> dict[str, str]:
    """The fixture project's files, with ``changes`` (path -> text, None deletes)."""
    root = PROJECTS / name
    files = {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}
    for path, text in changes.items():
        path = path.replace("__", "/").replace("_DOT_", ".")
        if text is None:
            files.pop(path, None)
        else:
            files[path] = text
    return files


def in_repo(run_hook: Run, files: dict[str, str], *args: str) -> object:
    """Write the files into a fresh git repo (the hook reads the repo through git) and run the hook on them."""
    root = Path.cwd()
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    if not (root / ".git").exists():
        git(root, "init", "-q")
    git(root, "add", "-A")
    return run_hook(HOOK, *args, *files)


def run(run_hook: Run, files: dict[str, str], *args: str) -> list[str]:
    result = in_repo(run_hook, files, *args)
    lines = [line for line in result.out.splitlines() if f": {HOOK}: " in line]  # type: ignore[attr-defined]
    assert result.code == (1 if lines else 0), result.out + result.err  # type: ignore[attr-defined]
    return lines


def rules(lines: list[str]) -> list[str]:
    return [line.split(f": {HOOK}: ", 1)[1].split(":", 1)[0] for line in lines]


@pytest.mark.parametrize("name", ["django_shop", "flask_api", "fastapi_app"])
def test_the_fixture_projects_are_clean(run_hook: Run, name: str) -> None:
    assert run(run_hook, project(name)) == []


# -- service-without-healthcheck ------------------------------------------------------
DOCKERFILE_NO_CHECK = "FROM python:3.12-slim\nCOPY . /srv\nCMD [\"gunicorn\", \"shop.wsgi:application\"]\n"


def test_compose_app_server_without_any_healthcheck_is_caught(run_hook: Run) -> None:
    compose = "services:\n  web:\n    build: .\n    ports: [\"8000:8000\"]\n"
    lines = run(run_hook, project("django_shop", **{"docker-compose_DOT_yml": compose, "Dockerfile": DOCKERFILE_NO_CHECK}))
    assert rules(lines) == ["service-without-healthcheck"]
    assert lines[0].startswith("docker-compose.yml:2:1:") and "gunicorn" in lines[0]


def test_a_healthcheck_in_the_dockerfile_it_builds_is_enough(run_hook: Run) -> None:
    compose = "services:\n  web:\n    build: .\n    ports: [\"8000:8000\"]\n"
    assert run(run_hook, project("django_shop", **{"docker-compose_DOT_yml": compose})) == []


@pytest.mark.parametrize("image, said", [("ghcr.io/acme/shop:2.4", True), ("postgres:16", False), ("bitnami/redis:7", False)])
def test_a_registry_image_with_no_command_is_said_in_the_summary(run_hook: Run, image: str, said: bool) -> None:
    compose = f"services:\n  web:\n    image: {image}\n"
    result = in_repo(run_hook, project("django_shop", **{"docker-compose_DOT_yml": compose}))
    assert result.code == 0  # type: ignore[attr-defined]
    assert ("could not be judged (registry image: 1)" in result.out + result.err) is said  # type: ignore[attr-defined]


def test_a_registry_image_is_unknown_not_a_finding(run_hook: Run) -> None:
    compose = "services:\n  web:\n    image: ghcr.io/acme/shop:2.4\n    command: gunicorn shop.wsgi:application\n"
    assert run(run_hook, project("django_shop", **{"docker-compose_DOT_yml": compose})) == []


def test_celery_worker_checked_with_inspect_ping_passes_and_one_with_nothing_is_caught(run_hook: Run) -> None:
    files = project("django_shop")
    assert run(run_hook, files) == []  # the worker service has `celery inspect ping`
    compose = files["docker-compose.yml"].replace(
        '    healthcheck:\n      test: ["CMD-SHELL", "celery -A shop inspect ping -d celery@$$HOSTNAME"]\n', "")
    lines = run(run_hook, project("django_shop", **{"docker-compose_DOT_yml": compose}))
    assert rules(lines) == ["service-without-healthcheck"] and "celery worker" in lines[0]


def test_dev_only_compose_overrides_are_not_production(run_hook: Run) -> None:
    files = project("django_shop")
    assert "runserver" in files["docker-compose.override.yml"]  # no healthcheck there, on purpose
    dev = files["docker-compose.override.yml"]
    assert run(run_hook, project("django_shop", **{"docker-compose_DOT_dev_DOT_yml": dev})) == []


def test_a_healthcheck_disabled_on_purpose_is_left_alone(run_hook: Run) -> None:
    compose = "services:\n  web:\n    build: .\n    healthcheck:\n      disable: true\n"
    assert run(run_hook, project("django_shop", **{"docker-compose_DOT_yml": compose, "Dockerfile": DOCKERFILE_NO_CHECK})) == []


# -- missing-readiness -----------------------------------------------------------------
def _without_readiness(text: str) -> str:
    start = text.index("          readinessProbe:")
    end = text.index("          livenessProbe:")
    return text[:start] + text[end:]


def test_deployment_behind_a_service_without_readiness_is_caught(run_hook: Run) -> None:
    files = project("django_shop")
    web = _without_readiness(files["deploy/k8s/web.yaml"])
    lines = run(run_hook, project("django_shop", **{"deploy__k8s__web_DOT_yaml": web}), "--skip", "probe-host-rejected")
    assert rules(lines) == ["missing-readiness"]
    assert lines[0].startswith("deploy/k8s/web.yaml:") and "Service shop-web" in lines[0]


def test_a_workload_no_service_selects_needs_no_readiness(run_hook: Run) -> None:
    files = project("django_shop")
    assert "readinessProbe" not in files["deploy/k8s/worker.yaml"]  # a worker: no Service in front
    web = _without_readiness(files["deploy/k8s/web.yaml"]).replace("app.kubernetes.io/component: web\n  ports", "app.kubernetes.io/component: api\n  ports")
    assert run(run_hook, project("django_shop", **{"deploy__k8s__web_DOT_yaml": web}), "--skip", "probe-host-rejected") == []


def test_a_kustomize_patch_that_adds_the_probe_counts(run_hook: Run) -> None:
    files = project("django_shop")
    web = _without_readiness(files["deploy/k8s/web.yaml"])
    patch = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop-web\nspec:\n  template:\n    spec:\n      containers:\n"
             "        - name: web\n          readinessProbe:\n            httpGet: {path: /api/v1/health/, port: http,"
             " httpHeaders: [{name: Host, value: shop.example.com}]}\n")
    kustomization = "resources:\n  - web.yaml\n  - worker.yaml\npatches:\n  - path: readiness.yaml\n"
    changed = project("django_shop", **{"deploy__k8s__web_DOT_yaml": web, "deploy__k8s__readiness_DOT_yaml": patch,
                                        "deploy__k8s__kustomization_DOT_yaml": kustomization})
    assert run(run_hook, changed, "--skip", "probe-host-rejected") == []


def test_helm_templates_are_masked_and_the_selector_include_matches(run_hook: Run) -> None:
    files = project("fastapi_app")
    template = files["chart/templates/deployment.yaml"]
    start, end = template.index("          {{- if .Values.probes.enabled }}"), template.index("          {{- end }}")
    lines = run(run_hook, project("fastapi_app", **{"chart__templates__deployment_DOT_yaml": template[:start] + template[end:]}))
    assert rules(lines) == ["missing-readiness"]
    assert "chart/templates/service.yaml" in lines[0]


def test_helm_probes_from_values_are_unknown_not_missing(run_hook: Run) -> None:
    files = project("fastapi_app")
    template = files["chart/templates/deployment.yaml"]
    start, end = template.index("          {{- if .Values.probes.enabled }}"), template.index("          {{- end }}")
    probes = "          {{- with .Values.probes }}\n          {{- toYaml . | nindent 10 }}\n          {{- end }}\n"
    changed = project("fastapi_app", **{"chart__templates__deployment_DOT_yaml": template[:start] + probes + template[end + 21:]})
    assert run(run_hook, changed) == []


KUBECTL_EXPORT = '''\
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: |
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"shop-web"},"spec":{"template":{"spec":{"containers":[{"name":"web","readinessProbe":{"httpGet":{"path":"/healthz","port":8000}}}]}}}}
    name: shop-web
    namespace: shop
  spec:
    selector:
      matchLabels: {app: shop-web}
    template:
      metadata:
        labels: {app: shop-web}
      spec:
        containers:
        - image: registry.example.com/shop/web:2.4.1
          name: web
          ports:
          - containerPort: 8000
            protocol: TCP
          READINESS
  status:
    readyReplicas: 3
- apiVersion: v1
  kind: Service
  metadata:
    name: shop-web
    namespace: shop
  spec:
    selector: {app: shop-web}
'''


def test_kubectl_exports_are_parsed_not_grepped(run_hook: Run) -> None:
    ready = "readinessProbe:\n            httpGet: {path: /api/v1/health/, port: 8000, httpHeaders: [{name: Host, value: shop.example.com}]}"
    clean = project("django_shop", **{"deploy__k8s__exported_DOT_yaml": KUBECTL_EXPORT.replace("READINESS", ready)})
    assert run(run_hook, clean) == []  # /healthz inside the annotation's JSON is a string, not a probe
    missing = project("django_shop", **{"deploy__k8s__exported_DOT_yaml": KUBECTL_EXPORT.replace("READINESS", "")})
    assert rules(run(run_hook, missing)) == ["missing-readiness"]  # the JSON's readinessProbe is not the manifest's


# -- probe-path-not-a-route ----------------------------------------------------------------
def _readiness_path(path: str) -> dict[str, str]:
    files = project("django_shop")
    return project("django_shop", **{"deploy__k8s__web_DOT_yaml": files["deploy/k8s/web.yaml"].replace("path: /api/v1/health/", f"path: {path}")})


@pytest.mark.parametrize("path", ["/healthz", "/api/v1/healthz/", "/health/", "/api/v1/probes/alive/"])
def test_django_probe_paths_that_are_not_routes_are_caught(run_hook: Run, path: str) -> None:
    lines = run(run_hook, _readiness_path(path))
    assert rules(lines) == ["probe-path-not-a-route"]
    assert path in lines[0] and lines[0].startswith("deploy/k8s/web.yaml:31:")


@pytest.mark.parametrize("path", [
    "/api/v1/probes/live/",  # include() of a module-level list, inside an include() of an imported module
    "/api/v1/health/?full=1",  # the query string is not part of the route
    "/api/v1/health",  # APPEND_SLASH redirects to the route
    "/en/about/",  # i18n_patterns
    "/orders/12/",  # re_path
    "/lb-health",  # answered by the WSGI middleware in shop/wsgi.py
])
def test_django_probe_paths_that_are_routes_pass(run_hook: Run, path: str) -> None:
    assert run(run_hook, _readiness_path(path)) == []


def test_a_third_party_include_is_unknown_and_said_once(run_hook: Run) -> None:
    files = project("django_shop")
    urls = files["shop/urls.py"].replace('    path("accounts/login/", views.login),\n',
                                         '    path("accounts/login/", views.login),\n    path("ht/", include("health_check.urls")),\n')
    changed = project("django_shop", **{"shop__urls_DOT_py": urls})
    changed["deploy/k8s/web.yaml"] = changed["deploy/k8s/web.yaml"].replace("path: /api/v1/health/", "path: /ht/")
    result = in_repo(run_hook, changed)
    assert result.code == 0, result.out
    assert "could not be judged" in result.err and "third-party include: 1" in result.err
    verbose = in_repo(run_hook, changed, "--verbose")
    assert "include('health_check.urls') is not in the repo" in verbose.err


@pytest.mark.parametrize("test, why", [
    ('["CMD-SHELL", "curl -f http://localhost:$${PORT}/healthz"]', "environment"),
    ('["CMD", "/srv/bin/healthcheck.sh"]', "script"),
])
def test_urls_from_the_environment_and_scripts_are_unknown(run_hook: Run, test: str, why: str) -> None:
    files = project("django_shop")
    compose = files["docker-compose.yml"].replace('["CMD", "curl", "-f", "http://localhost:8000/api/v1/health/?full=1"]', test)
    result = in_repo(run_hook, project("django_shop", **{"docker-compose_DOT_yml": compose}), "--verbose")
    assert result.code == 0, result.out
    assert why in result.err


def test_compose_curl_to_a_missing_route_is_caught(run_hook: Run) -> None:
    files = project("django_shop")
    compose = files["docker-compose.yml"].replace("http://localhost:8000/api/v1/health/?full=1", "http://localhost:8000/healthz")
    lines = run(run_hook, project("django_shop", **{"docker-compose_DOT_yml": compose}))
    assert rules(lines) == ["probe-path-not-a-route"] and lines[0].startswith("docker-compose.yml:9:")


def test_nginx_location_answers_its_own_health_path(run_hook: Run) -> None:
    files = project("django_shop")
    assert run(run_hook, files) == []  # compose nginx asks /nginx_health: location = /nginx_health
    conf = files["deploy/nginx/shop.conf"].replace("location = /nginx_health", "location = /nginx-status")
    # an nginx image checks its own routes: still not a finding, whatever nginx.conf says
    assert run(run_hook, project("django_shop", **{"deploy__nginx__shop_DOT_conf": conf})) == []
    readiness = _readiness_path("/nginx_health")
    readiness["deploy/nginx/shop.conf"] = conf
    assert rules(run(run_hook, readiness)) == ["probe-path-not-a-route"]


def test_an_nginx_site_file_with_no_extension_is_read(run_hook: Run) -> None:
    readiness = _readiness_path("/nginx_health")
    conf = readiness.pop("deploy/nginx/shop.conf", None) or project("django_shop")["deploy/nginx/shop.conf"]
    readiness["docker/nginx/default"] = conf
    assert run(run_hook, readiness) == []


def test_curl_following_a_redirect_from_the_root_is_not_a_finding(run_hook: Run) -> None:
    files = project("django_shop")
    assert "curl -fsSL http://localhost:8000" in files["Dockerfile"]
    urls = files["shop/urls.py"].replace('    path("", views.home),\n', "")
    assert run(run_hook, project("django_shop", **{"shop__urls_DOT_py": urls})) == []


def test_fastapi_prefix_from_settings_attribute(run_hook: Run) -> None:
    files = project("fastapi_app")
    assert run(run_hook, files) == []
    compose = files["docker-compose.yml"].replace("/api/v1/utils/health-check/", "/api/v1/health-check/")
    lines = run(run_hook, project("fastapi_app", **{"docker-compose_DOT_yml": compose}))
    assert rules(lines) == ["probe-path-not-a-route"] and "/api/v1/health-check/" in lines[0]


def test_flask_blueprint_prefixes(run_hook: Run) -> None:
    files = project("flask_api")
    assert run(run_hook, files) == []
    for path, caught in (("/ping", True), ("/_/ready", False), ("/api/v2/orders/7", False), ("/orders/7", True)):
        docker = files["Dockerfile"].replace("/_/ping", path)
        lines = run(run_hook, project("flask_api", Dockerfile=docker))
        assert rules(lines) == (["probe-path-not-a-route"] if caught else []), path


# -- probe-host-rejected ---------------------------------------------------------------
def _no_host_header(**settings: str) -> dict[str, str]:
    files = project("django_shop", **settings)
    web = files["deploy/k8s/web.yaml"].replace("              httpHeaders:\n                - name: Host\n                  value: shop.example.com\n", "")
    files["deploy/k8s/web.yaml"] = web
    return files


def test_probe_without_host_header_against_production_allowed_hosts_is_caught(run_hook: Run) -> None:
    lines = run(run_hook, _no_host_header())
    assert rules(lines) == ["probe-host-rejected"]
    assert "shop/settings/production.py:5" in lines[0] and "'shop.example.com'" in lines[0]


@pytest.mark.parametrize("hosts", ['["*"]', '["shop.example.com", "10.1.2.3"]'])
def test_allowed_hosts_that_allow_the_pod_ip_pass(run_hook: Run, hosts: str) -> None:
    prod = (PROJECTS / "django_shop/shop/settings/production.py").read_text().replace(
        'ALLOWED_HOSTS = ["shop.example.com", ".shop.internal"]', f"ALLOWED_HOSTS = {hosts}")
    assert run(run_hook, _no_host_header(**{"shop__settings__production_DOT_py": prod})) == []


def test_allowed_hosts_from_the_environment_is_unknown(run_hook: Run) -> None:
    prod = (PROJECTS / "django_shop/shop/settings/production.py").read_text().replace(
        'ALLOWED_HOSTS = ["shop.example.com", ".shop.internal"]', 'ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")')
    assert run(run_hook, _no_host_header(**{"shop__settings__production_DOT_py": "import os\n" + prod})) == []


def test_middleware_before_common_middleware_may_answer(run_hook: Run) -> None:
    base = (PROJECTS / "django_shop/shop/settings/base.py").read_text().replace(
        'MIDDLEWARE = [\n', 'MIDDLEWARE = [\n    "shop.middleware.HealthCheckMiddleware",\n')
    assert run(run_hook, _no_host_header(**{"shop__settings__base_DOT_py": base})) == []


# -- probe-port-not-exposed ----------------------------------------------------------------
@pytest.mark.parametrize("port, caught", [("http", False), ("8000", False), ("web", True), ("8080", True)])
def test_probe_ports(run_hook: Run, port: str, caught: bool) -> None:
    files = project("django_shop")
    web = files["deploy/k8s/web.yaml"].replace("              path: /api/v1/health/\n              port: http",
                                               f"              path: /api/v1/health/\n              port: {port}")
    lines = run(run_hook, project("django_shop", **{"deploy__k8s__web_DOT_yaml": web}))
    assert rules(lines) == (["probe-port-not-exposed"] if caught else [])


# -- off by default, and the switches --------------------------------------------------------
def test_identical_liveness_readiness_only_when_enabled(run_hook: Run) -> None:
    files = project("django_shop")
    web = files["deploy/k8s/web.yaml"].replace("path: /lb-health\n              port: 8000\n            failureThreshold: 6",
                                               "path: /api/v1/health/\n              port: http")
    changed = project("django_shop", **{"deploy__k8s__web_DOT_yaml": web})
    assert run(run_hook, changed, "--skip", "probe-host-rejected") == []
    assert rules(run(run_hook, changed, "--skip", "probe-host-rejected", "--enable", "identical-liveness-readiness")) == [
        "identical-liveness-readiness"]


def test_tcp_only_check_only_when_enabled(run_hook: Run) -> None:
    files = project("django_shop")
    compose = files["docker-compose.yml"].replace('["CMD", "curl", "-f", "http://localhost:8000/api/v1/health/?full=1"]',
                                                  '["CMD-SHELL", "nc -z localhost 8000"]')
    compose = compose.replace("    build: .\n", "    build: .\n    command: gunicorn shop.wsgi:application\n", 1)
    changed = project("django_shop", **{"docker-compose_DOT_yml": compose})
    assert run(run_hook, changed) == []
    assert rules(run(run_hook, changed, "--enable", "tcp-only-check")) == ["tcp-only-check"]


def test_skip_turns_a_rule_off_and_an_unknown_rule_is_a_usage_error(run_hook: Run) -> None:
    assert run(run_hook, _no_host_header(), "--skip", "probe-host-rejected") == []
    bad = in_repo(run_hook, {"a.yaml": "a: 1\n"}, "--skip", "probe-hosts")
    assert bad.code == 2 and "no such rule" in bad.err  # type: ignore[attr-defined]


def test_nothing_to_check_is_said(run_hook: Run) -> None:
    result = in_repo(run_hook, {"config.yaml": "a: 1\n"})
    assert result.code == 0 and "nothing to check" in result.err  # type: ignore[attr-defined]


def test_checklist_prints_each_check(run_hook: Run) -> None:
    result = in_repo(run_hook, project("django_shop"), "--checklist")
    assert "| deploy/k8s/web.yaml:31: readinessProbe of container web in Deployment shop-web | http | /api/v1/health/ | a route |" in result.out  # type: ignore[attr-defined]


def test_suppression_marker_on_the_probe(run_hook: Run) -> None:
    files = _readiness_path("/healthz")
    files["deploy/k8s/web.yaml"] = files["deploy/k8s/web.yaml"].replace(
        "              path: /healthz", "              # legacy-config: ignore[check-health-checks]\n              path: /healthz")
    assert run(run_hook, files) == []


def test_broken_yaml_is_one_line(run_hook: Run, tmp_path: Path) -> None:
    files = project("django_shop", **{"deploy__k8s__broken_DOT_yaml": "kind: Deployment\nspec: [containers:\n"})
    result = in_repo(run_hook, files)
    assert result.code == 0 and "deploy/k8s/broken.yaml" in result.err  # type: ignore[attr-defined]


# -- Helm masking ------------------------------------------------------------------------------
HELM_LISTS = '''\
spec:
  template:
    spec:
      securityContext:
        {{- include "helpers.securityContext" (list
          .Values
          "securityContext.podSecurityContext"
        ) | nindent 8 }}
      volumes:
      - name: run
        emptyDir: {}
      {{- with .Values.extraVolumes }}
        {{- . | toYaml | nindent 6 }}
      {{- end }}
      - name: media
        emptyDir: {}
      containers:
        - name: web
          image: "{{ .Values.image }}"
'''


def test_helm_actions_over_several_lines_and_includes_among_list_items_parse() -> None:
    from hooks.checks.check_health_checks import yamlread

    masked = yamlread.mask_helm(HELM_LISTS)
    assert masked.count("\n") == HELM_LISTS.count("\n")  # line numbers stay
    (doc,) = list(yamlread.load_all(masked))
    spec = doc["spec"]["template"]["spec"]
    assert [v.get("name") for v in spec["volumes"] if isinstance(v, dict)] == ["run", "media"]
    assert spec["containers"][0]["name"] == "web" and spec.lines["containers"] == 17


def test_helm_include_inside_a_flow_list_parses() -> None:
    from hooks.checks.check_health_checks import yamlread

    text = ('containers:\n  - name: worker\n    command:\n      [\n        {{- with include "x.prefix" . }}\n'
            '        {{- . | nindent 8 }}\n        {{- end }}\n        "celery",\n        "worker",\n      ]\n')
    (doc,) = list(yamlread.load_all(yamlread.mask_helm(text)))
    assert doc["containers"][0]["command"][-2:] == ["celery", "worker"]


URLS_WRAPPED = '''\
from django.conf import settings
from django.urls import include, path

from app import views

urlpatterns = [
    path("health", views.health),
]
urlpatterns = [path("", include((urlpatterns, "app")))]
if settings.CONTEXT_PATH:
    urlpatterns = [path(settings.CONTEXT_PATH, include(urlpatterns))]
'''


def test_a_urlconf_that_wraps_its_own_list_is_read_not_looped() -> None:
    from hooks.checks.check_health_checks import routes

    modules = routes.Modules(["app/urls.py", "app/views.py"], lambda p: URLS_WRAPPED if p == "app/urls.py" else "def health(r): pass\n")
    table = routes.django_table("app.urls", modules)
    assert table.resolve("/health") is True
    assert table.resolve("/nope") is None  # the optional context path is not a literal


@pytest.mark.parametrize("target, caught", [("dev", False), ("production", True)])
def test_a_service_that_builds_the_dev_stage_is_development(run_hook: Run, target: str, caught: bool) -> None:
    compose = (f"services:\n  celery:\n    build:\n      context: .\n      target: {target}\n"
               "    command: celery -A shop worker -l info\n")
    docker = "FROM python:3.12-slim AS dev\nCOPY . /srv\n\nFROM dev AS production\nCMD [\"gunicorn\", \"shop.wsgi\"]\n"
    lines = run(run_hook, project("django_shop", **{"docker-compose_DOT_yml": compose, "Dockerfile": docker}))
    assert rules(lines) == (["service-without-healthcheck"] if caught else [])


def test_a_commit_of_code_that_routes_nothing_is_not_judged(run_hook: Run) -> None:
    files = _readiness_path("/healthz")
    in_repo(run_hook, files)
    views = "from django.http import HttpResponse\n\n\ndef about(request):\n    return HttpResponse('about')\n"
    (Path.cwd() / "shop/other_views.py").write_text(views)
    git(Path.cwd(), "add", "-A")
    quiet = run_hook(HOOK, "shop/other_views.py")
    assert quiet.code == 0 and quiet.out == "" and quiet.err == ""  # type: ignore[attr-defined]
    urls = run_hook(HOOK, "shop/urls.py")
    assert urls.code == 1 and "probe-path-not-a-route" in urls.out  # type: ignore[attr-defined]


# -- start scripts and development services (CTFd, kitsune on the held-out run) -------------
ENTRYPOINT_DOCKERFILE = "FROM python:3.12-slim\nCOPY . /opt/app\nENTRYPOINT [\"/opt/app/docker-entrypoint.sh\"]\n"
GUNICORN_SCRIPT = "#!/bin/sh\nset -e\npython manage.py migrate\nexec gunicorn shop.wsgi:application --bind 0.0.0.0:8000\n"
DISPATCH_SCRIPT = ("#!/bin/sh\ncase \"$1\" in\n  web) exec gunicorn shop.wsgi:application ;;\n"
                   "  worker) exec celery -A shop worker ;;\n  *) exec \"$@\" ;;\nesac\n")


def test_an_app_server_started_by_the_entrypoint_script_is_caught(run_hook: Run) -> None:
    compose = "services:\n  web:\n    build: .\n    ports: [\"8000:8000\"]\n"
    lines = run(run_hook, project("django_shop", **{"docker-compose_DOT_yml": compose, "Dockerfile": ENTRYPOINT_DOCKERFILE,
                                                    "docker-entrypoint_DOT_sh": GUNICORN_SCRIPT}))
    assert rules(lines) == ["service-without-healthcheck"]
    assert "runs gunicorn (started by docker-entrypoint.sh)" in lines[0]


def test_a_relative_script_command_is_read_from_the_build_context(run_hook: Run) -> None:
    compose = "services:\n  web:\n    build: .\n    command: ./bin/run-prod.sh\n"
    files = project("django_shop", **{"docker-compose_DOT_yml": compose, "Dockerfile": DOCKERFILE_NO_CHECK.replace("CMD", "# CMD"),
                                      "bin__run-prod_DOT_sh": GUNICORN_SCRIPT})
    assert rules(run(run_hook, files)) == ["service-without-healthcheck"]


@pytest.mark.parametrize("command, server", [("    command: [\"worker\"]\n", "a celery worker"), ("    command: web\n", "gunicorn")])
def test_the_branch_an_entrypoint_script_takes_for_its_argument_is_followed(run_hook: Run, command: str, server: str) -> None:
    compose = "services:\n  web:\n    build: .\n" + command
    lines = run(run_hook, project("django_shop", **{"docker-compose_DOT_yml": compose, "Dockerfile": ENTRYPOINT_DOCKERFILE,
                                                    "docker-entrypoint_DOT_sh": DISPATCH_SCRIPT}))
    assert rules(lines) == ["service-without-healthcheck"]
    assert f"runs {server} (started by docker-entrypoint.sh)" in lines[0]


@pytest.mark.parametrize("script, command", [
    ("#!/bin/sh\npython manage.py migrate\npython manage.py collectstatic --noinput\n", ""),  # runs no server
    (DISPATCH_SCRIPT, "    command: [\"python\", \"manage.py\", \"shell\"]\n"),  # the branch that runs its arguments
    ("#!/bin/sh\n# exec gunicorn shop.wsgi  (the old way)\nexec python -m shop.serve\n", ""),  # a comment is not a command
])
def test_a_script_that_runs_no_known_server_stays_unknown(run_hook: Run, script: str, command: str) -> None:
    compose = "services:\n  web:\n    build: .\n" + command
    result = in_repo(run_hook, project("django_shop", **{"docker-compose_DOT_yml": compose, "Dockerfile": ENTRYPOINT_DOCKERFILE,
                                                         "docker-entrypoint_DOT_sh": script}), "--verbose")
    assert result.code == 0, result.out  # type: ignore[attr-defined]
    assert "starts an app server (a script or entrypoint command) is unknown" in result.out + result.err  # type: ignore[attr-defined]


@pytest.mark.parametrize("volumes, caught", [("    volumes:\n      - .:/srv\n", False), ("    volumes:\n      - media:/srv/media\n", True), ("", True)])
def test_a_reloading_server_on_a_source_mount_is_development(run_hook: Run, volumes: str, caught: bool) -> None:
    compose = ("services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n" + volumes +
               "  worker:\n    build: .\n    command: celery -A shop worker -l info\n")
    files = project("django_shop", **{"docker-compose_DOT_yml": compose, "Dockerfile": DOCKERFILE_NO_CHECK})
    result = in_repo(run_hook, files, "--verbose")
    out = result.out + result.err  # type: ignore[attr-defined]
    assert out.count("service-without-healthcheck") == (2 if caught else 0)  # the worker of a development stack is development too
    assert ("service worker: development only (service web runs a reloading development server on the repo's code)" in out) is not caught


@pytest.mark.parametrize("package, caught", [
    ('{"dependencies": {"next": "14.2.0", "react": "18.3.0"}}', False),  # the Next.js server may be what the pod runs
    ('{"devDependencies": {"vite": "5.0.0"}, "scripts": {"build": "vite build"}}', True),  # static assets only
])
def test_a_node_server_in_the_repo_makes_a_probe_of_an_unnamed_server_unknown(run_hook: Run, package: str, caught: bool) -> None:
    files = _readiness_path("/healthz")
    files["deploy/k8s/web.yaml"] = files["deploy/k8s/web.yaml"].replace(
        '          args: ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000"]\n', "")
    files["frontend/package.json"] = package
    result = in_repo(run_hook, files, "--verbose")
    out = result.out + result.err  # type: ignore[attr-defined]
    assert ("probe-path-not-a-route" in out) is caught
    assert ("may not run the Python app (frontend/package.json is in the repo)" in out) is not caught


@pytest.mark.parametrize("command, caught", [("node server.js", False), ("gunicorn shop.wsgi:application", True)])
def test_a_compose_service_of_the_whole_repo_with_a_node_server_in_it(run_hook: Run, command: str, caught: bool) -> None:
    compose = ("services:\n  web:\n    build: .\n    command: " + command + "\n"
               "    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:3000/api/healthz\"]\n")
    files = project("django_shop", **{"docker-compose_DOT_yml": compose, "package_DOT_json": '{"dependencies": {"express": "4.19.0"}}'})
    result = in_repo(run_hook, files, "--verbose")
    out = result.out + result.err  # type: ignore[attr-defined]
    assert ("probe-path-not-a-route" in out) is caught
    assert ("may not run the Python app (package.json is in the repo)" in out) is not caught


@pytest.mark.parametrize("build, script, caught", [
    ("      dockerfile: Dockerfile.dev\n", "start.sh", False),
    ("      dockerfile: Dockerfile\n", "start-dev.sh", False),
    ("      dockerfile: Dockerfile\n", "start.sh", True),
])
def test_a_development_dockerfile_or_start_script_makes_the_stack_development(run_hook: Run, build: str, script: str, caught: bool) -> None:
    compose = ("services:\n  web:\n    build:\n      context: .\n" + build + f"    command: ./bin/{script}\n"
               "  worker:\n    image: ghcr.io/acme/shop:2.4\n    command: celery -A shop worker\n")
    docker = DOCKERFILE_NO_CHECK.replace("CMD", "# CMD")
    files = project("django_shop", **{"docker-compose_DOT_yml": compose, "Dockerfile": docker, "Dockerfile_DOT_dev": docker,
                                      f"bin__{script.replace('.', '_DOT_')}": GUNICORN_SCRIPT})
    result = in_repo(run_hook, files, "--verbose")
    out = result.out + result.err  # type: ignore[attr-defined]
    assert ("service-without-healthcheck" in out) is caught
    assert ("service worker: development only (service web " in out) is not caught


@pytest.mark.parametrize("base, caught", [("nginx:stable", False), ("python:3.12-slim", True)])
def test_a_service_built_from_an_nginx_image_answers_its_own_routes(run_hook: Run, base: str, caught: bool) -> None:
    compose = ("services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile-web\n"
               "    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost/index.html\"]\n")
    docker = f"FROM node:20 AS build\nRUN npm ci && npm run build\n\nFROM {base}\nCOPY --from=build /app/dist /usr/share/nginx/html\n"
    result = in_repo(run_hook, project("django_shop", **{"docker-compose_DOT_yml": compose, "Dockerfile-web": docker}), "--verbose")
    out = result.out + result.err  # type: ignore[attr-defined]
    assert ("probe-path-not-a-route" in out) is caught
    assert (f"the image is built FROM {base}, which answers its own routes" in out) is not caught


@pytest.mark.parametrize("extra, caught", [
    ("    environment:\n      DJANGO_SETTINGS_MODULE: shop.settings.dev\n", False),  # bakerydemo: settings.dev
    ("    volumes:\n      - .:/code\n    environment:\n      - UWSGI_PYTHON_AUTORELOAD=3\n      - DEBUG=True\n", False),  # openstates
    ("    volumes:\n      - .:/code\n    environment:\n      - DEBUG=False\n", True),
    ("    environment:\n      - DEBUG=True\n", True),  # no source mount: a production image with a debug switch
    ("    environment:\n      DJANGO_SETTINGS_MODULE: shop.settings.production\n", True),
    ("    image: local/shop:devel\n", False),  # nyaa's full-stack.yml names the image it builds for development
    ("    image: ghcr.io/acme/shop:2.4\n", True),
])
def test_a_development_environment_makes_the_stack_development(run_hook: Run, extra: str, caught: bool) -> None:
    compose = "services:\n  app:\n    build: .\n    command: uwsgi --http :8000 --module shop.wsgi\n" + extra
    files = project("django_shop", **{"docker-compose_DOT_yml": compose, "Dockerfile": DOCKERFILE_NO_CHECK})
    result = in_repo(run_hook, files, "--verbose")
    out = result.out + result.err  # type: ignore[attr-defined]
    assert ("service-without-healthcheck" in out) is caught
    assert ("service app: development only" in out) is not caught


def test_a_repo_whose_only_service_is_a_registry_image_says_so_not_nothing_to_check(run_hook: Run) -> None:
    result = in_repo(run_hook, {"docker-compose.yml": "services:\n  app:\n    image: ghcr.io/acme/shop\n    ports: [\"5000:5000\"]\n"})
    out = result.out + result.err  # type: ignore[attr-defined]
    assert result.code == 0 and "could not be judged (registry image: 1)" in out and "nothing to check" not in out  # type: ignore[attr-defined]


# -- found on held-out round 2 (after the run; not re-judged) ---------------------------------
@pytest.mark.parametrize("workload_ns, service_ns, caught", [("", "shop", True), ("shop", "", True), ("shop", "other", False)])
def test_a_manifest_with_no_namespace_meets_a_service_that_names_one(run_hook: Run, workload_ns: str, service_ns: str, caught: bool) -> None:
    def meta(name: str, namespace: str) -> str:
        return f"metadata:\n  name: {name}\n" + (f"  namespace: {namespace}\n" if namespace else "")

    manifest = ("apiVersion: apps/v1\nkind: Deployment\n" + meta("translate", workload_ns) +
                "spec:\n  selector: {matchLabels: {app: translate}}\n  template:\n    metadata: {labels: {app: translate}}\n"
                "    spec:\n      containers:\n        - name: translate\n          image: acme/translate:1\n"
                "          ports: [{containerPort: 5000}]\n---\napiVersion: v1\nkind: Service\n" + meta("translate", service_ns) +
                "spec:\n  selector: {app: translate}\n  ports: [{port: 5000}]\n")
    assert rules(run(run_hook, {"k8s.yaml": manifest})) == (["missing-readiness"] if caught else [])


def test_a_helm_probe_in_a_repo_with_another_language_is_unknown_unless_it_names_a_python_server(run_hook: Run) -> None:
    files = project("fastapi_app")
    files["shipping/pom.xml"] = "<project/>\n"
    deployment = files["chart/templates/deployment.yaml"]
    files["chart/templates/deployment.yaml"] = deployment.replace("/api/v1/utils/health-check/", "/_health")
    result = in_repo(run_hook, files, "--verbose")
    out = result.out + result.err  # type: ignore[attr-defined]
    assert "probe-path-not-a-route" not in out and "may not run the Python app (shipping/pom.xml is in the repo)" in out
