"""check-staging-parity: unit tests through main() on files in tmp_path."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.check_staging_parity import main
from tests.conftest import HookResult

HOOK = "check-staging-parity"

DJANGO = {
    "settings/__init__.py": "",
    "settings/base.py": (
        "import os\n"
        "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"
        "DEBUG = False\n"
        "TIME_ZONE = 'UTC'\n"
        "ALLOWED_HOSTS = []\n"
        "DATABASES = {\n"
        "    'default': {\n"
        "        'ENGINE': 'django.db.backends.postgresql',\n"
        "        'HOST': 'localhost',\n"
        "    }\n"
        "}\n"
    ),
    "settings/prod.py": (
        "from .base import *  # noqa\n"
        "\n"
        "ALLOWED_HOSTS = ['billing.example.com', 'billing.internal']\n"
        "TIME_ZONE = 'Europe/Berlin'\n"
        "DATABASES['default']['HOST'] = 'db-primary.internal'\n"
        "DATABASES['default']['OPTIONS'] = {'sslmode': 'require'}\n"
        "SESSION_COOKIE_SECURE = True\n"
        "SECURE_HSTS_SECONDS = 31536000\n"
    ),
    "settings/staging.py": (
        "import os\n"
        "from .base import *  # noqa\n"
        "\n"
        "ALLOWED_HOSTS = ['billing.staging.example.com']\n"
        "DATABASES['default']['HOST'] = 'db-staging.internal'\n"
        "if os.environ.get('SECURE'):\n"
        "    SESSION_COOKIE_SECURE = True\n"
        "DEBUG_TOOLBAR_CONFIG = {'SHOW_TOOLBAR_CALLBACK': 'billing.toolbar.show'}\n"
    ),
}


def test_django_split_settings(run_hook: Callable[..., HookResult]) -> None:
    code, lines = run_hook("check-staging-parity", *["settings/prod.py", "settings/staging.py", "settings/base.py"], files=DJANGO).code_and_lines
    assert code == 1
    # TIME_ZONE (prod only, but staging inherits it from base.py), ALLOWED_HOSTS
    # (values differ) and SESSION_COOKIE_SECURE (set under `if` in staging) pass.
    assert lines == [
        f'settings/prod.py:6:1: {HOOK}: DATABASES["default"]["OPTIONS"] is set here but missing from settings/staging.py',
        f"settings/prod.py:8:1: {HOOK}: SECURE_HSTS_SECONDS is set here but missing from settings/staging.py",
        f"settings/staging.py:8:1: {HOOK}: DEBUG_TOOLBAR_CONFIG is set here but missing from settings/prod.py",
    ]


def test_star_import_defines_what_the_other_side_writes(run_hook: Callable[..., HookResult]) -> None:
    files = {
        "conf/settings/common.py": "CACHES = {'default': {'BACKEND': 'redis', 'TIMEOUT': 300}}\nUSE_TZ = True\n",
        "conf/settings/mixins.py": "from conf.settings.common import *\nSENTRY_DSN = None\n",
        # A cycle back to the importer must not loop.
        "conf/settings/production.py": "from .mixins import *\nCACHES['default']['TIMEOUT'] = 600\n",
        "conf/settings/staging.py": (
            "from .production import *\n"
            "CACHES = {'default': {'BACKEND': 'redis', 'TIMEOUT': 60}}\nUSE_TZ = True\nSENTRY_DSN = None\n"
        ),
    }
    code, lines = run_hook("check-staging-parity", *["conf/settings/staging.py"], files=files).code_and_lines
    assert (code, lines) == (0, [])


def test_name_only_in_base_of_one_side_is_reported_at_the_import(run_hook: Callable[..., HookResult]) -> None:
    files = {
        "settings/base.py": "USE_TZ = True\n",
        "settings/prod.py": "from .base import *\nDEBUG = False\n",
        "settings/staging.py": "DEBUG = False\n",
    }
    code, lines = run_hook("check-staging-parity", *["settings/staging.py"], files=files).code_and_lines
    assert code == 1
    assert lines == [
        f"settings/prod.py:1:1: {HOOK}: USE_TZ (from settings/base.py) is set here but missing from settings/staging.py"
    ]


PRODUCTION_INI = """\
[app:main]
use = egg:billing
pyramid.reload_templates = false
pyramid.includes =
    pyramid_tm
sqlalchemy.url = postgresql://billing@db.internal/billing
sqlalchemy.pool_recycle = 280

[server:main]
use = egg:waitress#main
threads = 8

[filter:proxy-prefix]
use = egg:PasteDeploy#prefix
prefix = /billing

[logger_root]
level = WARN
"""

STAGING_INI = """\
[app:main]
use = egg:billing
Pyramid.Reload_Templates = true
pyramid.includes =
    pyramid_tm
    pyramid_debugtoolbar
sqlalchemy.url = postgresql://billing@db-staging.internal/billing

[server:main]
use = egg:waitress#main
threads = 2
url_scheme = https

[logger_root]
level = INFO
"""


def test_pyramid_ini(run_hook: Callable[..., HookResult]) -> None:
    files = {"production.ini": PRODUCTION_INI, "staging.ini": STAGING_INI}
    code, lines = run_hook("check-staging-parity", *["production.ini"], files=files).code_and_lines
    assert code == 1
    # Values (and option-name case) may differ; a missing section is one finding.
    assert lines == [
        f"production.ini:7:1: {HOOK}: sqlalchemy.pool_recycle in [app:main] is set here but missing from staging.ini",
        f"production.ini:13:1: {HOOK}: section [filter:proxy-prefix] is set here but missing from staging.ini",
        f"staging.ini:12:1: {HOOK}: url_scheme in [server:main] is set here but missing from production.ini",
    ]


HELM_PRODUCTION = """\
replicaCount: 4
image:
  repository: registry.example.com/billing
  tag: "4.2.1"
ingress:
  enabled: true
  hosts:
    - host: billing.example.com
      paths: [/]
    - host: billing.internal
      paths: [/]
env:
  - name: DJANGO_SETTINGS_MODULE
    value: settings.prod
  - name: SENTRY_ENVIRONMENT
    value: production
resources:
  limits:
    cpu: 1000m
    memory: 1Gi
priorityClassName: billing-critical
"""

HELM_STAGING = """\
replicaCount: 1
image:
  repository: registry.example.com/billing
  tag: "4.3.0-rc1"
ingress:
  enabled: true
  hosts:
    - host: billing.staging.example.com
      paths: [/, /admin]
env:
  - name: DJANGO_SETTINGS_MODULE
    value: settings.staging
resources:
  limits:
    cpu: 500m
    memory: 512Mi
"""


def test_helm_values_lists_are_values(run_hook: Callable[..., HookResult]) -> None:
    files = {"deploy/helm/values-production.yaml": HELM_PRODUCTION, "deploy/helm/values-staging.yaml": HELM_STAGING}
    code, lines = run_hook("check-staging-parity", *["deploy/helm/values-staging.yaml"], files=files).code_and_lines
    assert code == 1
    assert lines == [
        f"deploy/helm/values-production.yaml:21:1: {HOOK}: priorityClassName is set here but missing from "
        "deploy/helm/values-staging.yaml"
    ]


def test_dotenv_pair(run_hook: Callable[..., HookResult]) -> None:
    files = {
        ".env.production": "# prod\nDJANGO_SETTINGS_MODULE=settings.prod\nexport DATABASE_URL=postgres://db/app\nWORKERS=8\n",
        ".env.staging": "DJANGO_SETTINGS_MODULE=settings.staging\nDATABASE_URL=postgres://db-stg/app\nWORKERS=2\n"
                        "DEBUG_SQL=1\n",
    }
    code, lines = run_hook("check-staging-parity", *[".env.production", ".env.staging"], files=files).code_and_lines
    assert code == 1
    assert lines == [f".env.staging:4:1: {HOOK}: DEBUG_SQL is set here but missing from .env.production"]


NESTED_PRODUCTION = """\
defaults: &defaults
  timeout_seconds: 30
  retries: 3

app:
  name: billing
  log_level: INFO
database:
  <<: *defaults
  pool_size: 20
  url: postgresql://app:${DB_PASSWORD}@db/app
payments:
  <<: *defaults
  provider: adyen
cache:
  backend: redis
  ttl: 300
  options:
    socket_timeout: 5
"""

NESTED_STAGING = """\
app:
  name: billing
  log_level: DEBUG
  debug_toolbar:
    enabled: true
    panels: [sql, cache]
database:
  timeout_seconds: 10
  retries: 1
  pool_size: 5
  url: postgresql://app:${DB_PASSWORD}@db-staging/app
payments:
  provider: adyen
defaults:
  timeout_seconds: 30
  retries: 3
"""


def test_nested_yaml_topmost_path_and_merge_keys(run_hook: Callable[..., HookResult]) -> None:
    files = {"config/production.yaml": NESTED_PRODUCTION, "config/staging.yaml": NESTED_STAGING}
    code, lines = run_hook("check-staging-parity", *["config/production.yaml"], files=files).code_and_lines
    assert code == 1
    # database: the merged keys are written out in staging, so they match.
    assert lines == [
        f"config/production.yaml:13:3: {HOOK}: payments.retries (merged in by <<) is set here but missing "
        "from config/staging.yaml",
        f"config/production.yaml:13:3: {HOOK}: payments.timeout_seconds (merged in by <<) is set here but missing "
        "from config/staging.yaml",
        f"config/production.yaml:15:1: {HOOK}: cache is set here but missing from config/staging.yaml",
        f"config/staging.yaml:4:3: {HOOK}: app.debug_toolbar is set here but missing from config/production.yaml",
    ]
    assert not any("<<" in line.split(": ", 2)[2].split(" (")[0] for line in lines)


def test_only_staging_passed_reads_production_from_disk(run_hook: Callable[..., HookResult]) -> None:
    files = {"config/production.yaml": "cache:\n  backend: redis\n  ttl: 300\n",
             "config/staging.yml": "cache:\n  backend: redis\n"}
    code, lines = run_hook("check-staging-parity", *["config/staging.yml"], files=files).code_and_lines
    assert code == 1
    assert lines == [f"config/production.yaml:3:3: {HOOK}: cache.ttl is set here but missing from config/staging.yml"]


def test_sibling_environment_folders(run_hook: Callable[..., HookResult]) -> None:
    files = {
        "deploy/prod/app.yaml": "server:\n  workers: 8\n  keepalive: 5\n",
        "deploy/staging/app.yaml": "server:\n  workers: 2\n",
        "deploy/dev/app.yaml": "server:\n  reload: true\n",
    }
    code, lines = run_hook("check-staging-parity", *["deploy/prod/app.yaml", "deploy/dev/app.yaml"], files=files).code_and_lines
    assert code == 1
    assert lines == [f"deploy/prod/app.yaml:3:3: {HOOK}: server.keepalive is set here but missing from deploy/staging/app.yaml"]


@pytest.mark.parametrize(
    "files",
    [
        {"config/production.yaml": "a:\n  b: 1\n  c: [1, 2]\n", "config/staging.yaml": "a:\n  c: []\n  b: 2\n"},
        {"production.ini": "[app:main]\nthreads = 8\n", "staging.ini": "[app:main]\nTHREADS = 2\n"},
        {".env.production": "A=1\nB=\n", ".env.staging": "B=x\nA=2\n"},
        {"settings/prod.py": "HOSTS = ['a', 'b']\nDB = {'HOST': 'p'}\n",
         "settings/staging.py": "HOSTS = ('c',)\nDB = dict(HOST='s')\n"},
        {"config/production.toml": "[db]\nhost = 'p'\n[[workers]]\nname = 'a'\n[[workers]]\nname = 'b'\n",
         "config/staging.toml": "[db]\nhost = 's'\n[[workers]]\nqueue = 'a'\n"},
        {"config/production.json": '{"db": {"host": "p", "hosts": [{"a": 1}]}}',
         "config/staging.json": '{"db": {"host": "s", "hosts": []}}'},
    ],
    ids=["yaml", "ini", "dotenv", "python", "toml", "json"],
)
def test_pairs_differing_only_in_values_pass(run_hook: Callable[..., HookResult], files: dict[str, str]) -> None:
    code, lines = run_hook("check-staging-parity", *list(files), files=files).code_and_lines
    assert (code, lines) == (0, [])


STAGING_WITH_TOOLBAR = {
    "config/production.yaml": "app:\n  name: billing\n",
    "config/staging.yaml": "app:\n  name: billing\ndebug_toolbar:\n  enabled: true\n  intercept_redirects: false\n",
}


def test_allow_missing_flag(run_hook: Callable[..., HookResult]) -> None:
    code, lines = run_hook("check-staging-parity", *["config/staging.yaml", "--allow-missing", "debug_toolbar.*"], files=STAGING_WITH_TOOLBAR).code_and_lines
    assert (code, lines) == (0, [])


def test_allow_missing_other_glob_still_reports(run_hook: Callable[..., HookResult]) -> None:
    code, lines = run_hook("check-staging-parity", *["config/staging.yaml", "--allow-missing", "profiler.*"], files=STAGING_WITH_TOOLBAR).code_and_lines
    assert code == 1
    assert lines == [f"config/staging.yaml:3:1: {HOOK}: debug_toolbar is set here but missing from config/production.yaml"]


def test_allow_missing_from_settings(run_hook: Callable[..., HookResult]) -> None:
    files = {**STAGING_WITH_TOOLBAR, "pyproject.toml": '[tool.legacy-config-hooks]\nallow-missing = ["debug_toolbar*"]\n'}
    code, lines = run_hook("check-staging-parity", *["config/staging.yaml"], files=files).code_and_lines
    assert (code, lines) == (0, [])


def test_inline_suppression(run_hook: Callable[..., HookResult]) -> None:
    files = {
        "config/production.yaml": "app:\n  name: billing\n",
        "config/staging.yaml": (
            "app:\n  name: billing\n"
            "# legacy-config: ignore[check-staging-parity]\n"
            "debug_toolbar:\n  enabled: true\n"
            "profiler: true  # legacy-config: ignore[check-staging-parity]\n"
            "sentry: false\n"
        ),
    }
    code, lines = run_hook("check-staging-parity", *["config/staging.yaml"], files=files).code_and_lines
    assert code == 1
    assert lines == [f"config/staging.yaml:7:1: {HOOK}: sentry is set here but missing from config/production.yaml"]


@pytest.mark.parametrize(
    "broken, text, message",
    [
        ("config/production.yaml", "cache:\n  ttl: [300\n", "cannot parse YAML"),
        (".env.production", "DEBUG=0\nthis is not a binding\n", "cannot parse dotenv"),
        ("settings/prod.py", "DEBUG = (\n", "cannot parse Python"),
    ],
)
def test_partner_that_does_not_parse_is_left_to_no_duplicate_config_keys(run_hook: Callable[..., HookResult], broken: str, text: str, message: str) -> None:
    # A broken file is reported once, by no-duplicate-config-keys (issue 11).
    staging = broken.replace("production", "staging").replace("prod.py", "staging.py")
    good = {"config/staging.yaml": "cache:\n  ttl: 60\n", ".env.staging": "DEBUG=0\n", "settings/staging.py": "DEBUG = 0\n"}
    code, lines = run_hook("check-staging-parity", *[staging], files={broken: text, staging: good[staging]}).code_and_lines
    assert (code, lines) == (0, [])


def test_explicit_pair(run_hook: Callable[..., HookResult]) -> None:
    files = {"deploy/live.cfg": "[app]\nworkers = 8\ncdn = on\n", "deploy/rehearsal.cfg": "[app]\nworkers = 2\n"}
    code, lines = run_hook("check-staging-parity", *["deploy/rehearsal.cfg", "--pair", "deploy/live.cfg:deploy/rehearsal.cfg"], files=files).code_and_lines
    assert code == 1
    assert lines == [f"deploy/live.cfg:3:1: {HOOK}: cdn in [app] is set here but missing from deploy/rehearsal.cfg"]


def test_explicit_pair_not_touched_by_the_commit_is_skipped(run_hook: Callable[..., HookResult]) -> None:
    files = {"a.yaml": "x: 1\n", "b.yaml": "y: 1\n", "other.yaml": "z: 1\n"}
    code, lines = run_hook("check-staging-parity", *["other.yaml", "--pair", "a.yaml:b.yaml"], files=files).code_and_lines
    assert (code, lines) == (0, [])


def test_bad_pair_syntax_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["--pair", "only-one-path.yaml"])
    assert code == 2
    assert "expected PRODUCTION_PATH:STAGING_PATH" in capsys.readouterr().err


def test_missing_partner_is_fine_unless_required(run_hook: Callable[..., HookResult]) -> None:
    files = {"config/production.yaml": "a: 1\n", "config/app.yaml": "a: 1\n", "config/development.yaml": "a: 1\n"}
    assert run_hook("check-staging-parity", *list(files), files=files).code_and_lines == (0, [])
    code, lines = run_hook("check-staging-parity", *[*files, "--require-pair"], files=files).code_and_lines
    assert code == 1
    assert lines == [f"config/production.yaml:1:1: {HOOK}: this production file has no staging partner: "
                     "add one, or pair it with --pair"]


def test_corpus_runs_without_a_traceback(capsys: pytest.CaptureFixture) -> None:
    from tests.conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("no shared corpus")
    files: list[str] = sorted(str(p) for p in CORPUS.rglob("*") if p.is_file())
    assert main(files) in (0, 1)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err


def test_multi_document_yaml_compares_document_by_document(run_hook: Callable[..., HookResult]) -> None:
    files = {
        "k8s/production.yaml": "kind: ConfigMap\ndata:\n  A: '1'\n---\nkind: Secret\ndata:\n  B: x\n  C: y\n",
        "k8s/staging.yaml": "kind: ConfigMap\ndata:\n  A: '2'\n---\nkind: Secret\ndata:\n  B: z\n",
        "lists/production.yaml": "- a: 1\n- b: 2\n",
        "lists/staging.yaml": "- c: 1\n",
    }
    code, lines = run_hook("check-staging-parity", *["k8s/staging.yaml", "lists/staging.yaml"], files=files).code_and_lines
    assert code == 1
    assert lines == [f"k8s/production.yaml:8:3: {HOOK}: data.C in document 2 is set here but missing from k8s/staging.yaml"]


def test_keys_under_a_computed_value_are_not_missing(run_hook: Callable[..., HookResult]) -> None:
    files = {
        "settings/prod.py": (
            "import dj_database_url\n"
            "DATABASES = {'default': dj_database_url.config()}\n"
            "CACHES = {'default': {**BASE_CACHE, 'TIMEOUT': 600}}\n"
        ),
        "settings/staging.py": (
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db-staging'}}\n"
            "CACHES = {'default': {'BACKEND': 'redis', 'TIMEOUT': 60}}\n"
            "EXTRA = 1\n"
        ),
    }
    code, lines = run_hook("check-staging-parity", *["settings/staging.py"], files=files).code_and_lines
    assert code == 1
    assert lines == [f"settings/staging.py:3:1: {HOOK}: EXTRA is set here but missing from settings/prod.py"]
