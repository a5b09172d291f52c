"""no-duplicate-config-keys: what it must catch, and what it must leave alone."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.no_duplicate_config_keys import main
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"


def check(tmp_path: Path, name: str, text: str, capsys: pytest.CaptureFixture) -> tuple:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    code = main([str(path)])
    out = capsys.readouterr().out
    return code, [line.replace(str(tmp_path) + "/", "") for line in out.splitlines()]


CATCH = [
    pytest.param(  # held-out round (first wave) 3: the include lines repeat on purpose, a plain option does not
        "etc/shinken.cfg",
        "# main config\ncfg_dir=commands\ncfg_dir=hosts\nlock_file=/var/run/a.pid\nlock_file=/var/run/b.pid\n",
        ["etc/shinken.cfg:5:1: no-duplicate-config-keys: lock_file is already set on line 4; the value on line 5 wins"],
        id="nagios-main-config-plain-option",
    ),
    pytest.param(
        "settings/base.py",
        'import os\nTIME_ZONE = "UTC"\nUSE_TZ = True\nTIME_ZONE = "Europe/Paris"\n',
        ["settings/base.py:4:1: no-duplicate-config-keys: TIME_ZONE is already set on line 2; the value on line 4 wins"],
        id="django-module-name",
    ),
    pytest.param(
        "settings.py",
        'DATABASES = {\n    "default": {\n        "HOST": "db1",\n        "PORT": 5432,\n        "HOST": "db2",\n    }\n}\n',
        ['settings.py:5:9: no-duplicate-config-keys: DATABASES["default"]["HOST"] is already set on line 3; the value on line 5 wins'],
        id="django-dict-literal-key",
    ),
    pytest.param(
        "config.py",
        "class ProductionConfig:\n    DEBUG = False\n    DEBUG = True\n",
        ["config.py:3:5: no-duplicate-config-keys: ProductionConfig.DEBUG is already set on line 2; the value on line 3 wins"],
        id="flask-config-class",
    ),
    pytest.param(
        "config/production.yaml",
        "cache:\n  backend: redis\n  ttl: 60   # seconds\n\ndatabase:\n  pool: 5\ncache:\n  ttl: 300\n",
        ["config/production.yaml:7:1: no-duplicate-config-keys: cache is already set on line 1; the value on line 7 wins"],
        id="yaml-top-level-mapping-replaced",
    ),
    pytest.param(
        "values.yaml",
        "ingress:\n  hosts:\n    - host: a\n      path: /\n      host: b\n",
        ["values.yaml:5:7: no-duplicate-config-keys: ingress.hosts[0].host is already set on line 3; the value on line 5 wins"],
        id="yaml-key-in-list-item",
    ),
    pytest.param(
        "production.ini",
        "[app:main]\nuse = egg:billing\nsqlalchemy.url = postgresql://db/a\nsqlalchemy.url = postgresql://db/b\n",
        ["production.ini:4:1: no-duplicate-config-keys: sqlalchemy.url in [app:main] is already set on line 3; the value on line 4 wins"],
        id="ini-key",
    ),
    pytest.param(
        "setup.cfg",
        "[flake8]\nmax-line-length = 100\n\n[mypy]\nstrict = true\n\n[flake8]\nexclude = build\n",
        ["setup.cfg:7:1: no-duplicate-config-keys: section [flake8] is already declared on line 1; its options are merged and the later values win"],
        id="ini-section",
    ),
    pytest.param(
        ".env.production",
        'export DATABASE_URL="postgres://db/a"\nWORKERS=4\n# later\nexport WORKERS=8\n',
        [".env.production:4:8: no-duplicate-config-keys: WORKERS is already set on line 2; the value on line 4 wins"],
        id="dotenv",
    ),
    pytest.param(
        "pyproject.toml",
        '[tool.black]\nline-length = 88\ntarget-version = ["py39"]\nline-length = 100\n',
        ["pyproject.toml:4:1: no-duplicate-config-keys: tool.black.line-length is already set on line 2; the value on line 4 wins"],
        id="toml",
    ),
    pytest.param(
        "features.json",
        '{\n  "flags": {\n    "pdf": true,\n    "pdf": false\n  }\n}\n',
        ["features.json:4:5: no-duplicate-config-keys: flags.pdf is already set on line 3; the value on line 4 wins"],
        id="json",
    ),
    pytest.param(
        "log4j.properties",
        "log4j.rootLogger=INFO, stdout\nlog4j.appender.stdout=ConsoleAppender\nlog4j.rootLogger=DEBUG, stdout\n",
        ["log4j.properties:3:1: no-duplicate-config-keys: log4j.rootLogger is already set on line 1; the value on line 3 wins"],
        id="properties",
    ),
]


@pytest.mark.parametrize("name, text, expected", CATCH)
def test_catches(tmp_path: Path, capsys: pytest.CaptureFixture, name: str, text: str, expected: list) -> None:
    code, lines = check(tmp_path, name, text, capsys)
    assert code == 1
    assert lines == expected


def test_three_definitions_name_the_previous_one_and_the_winner(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _, lines = check(tmp_path, "a.yaml", "a: 1\nb: 0\na: 2\na: 3\n", capsys)
    assert lines == [
        "a.yaml:3:1: no-duplicate-config-keys: a is already set on line 1; the value on line 4 wins",
        "a.yaml:4:1: no-duplicate-config-keys: a is already set on line 3; the value on line 4 wins",
    ]


LEAVE_ALONE = [
    pytest.param(  # held-out round (first wave) 3: each include line adds a directory or file
        "etc/nagios.cfg",
        "# Objects\ncfg_dir=commands\ncfg_dir=timeperiods\n\ncfg_file=discovery_rules.cfg\ncfg_file=discovery_runs.cfg\n"
        "resource_file=resource.cfg\nresource_file=resource-local.cfg\ninterval_length=60\n",
        id="nagios-include-directives",
    ),
    pytest.param(  # held-out round (first wave) 3: Nagios object definitions are not INI (never 'cannot parse')
        "etc/commands/check_dig.cfg",
        "## Check a DNS entry\ndefine command {\n    command_name    check_dig\n"
        "    command_line    $PLUGINSDIR$/check_dig -H $HOSTADDRESS$\n}\n",
        id="nagios-object-definitions",
    ),
    pytest.param("setup.cfg", (FIXTURES / "setup.cfg").read_text(), id="setup-cfg-continuations"),
    pytest.param("production.ini", (FIXTURES / "pyramid_production.ini").read_text(), id="pyramid-ini"),
    pytest.param("alembic.ini", (FIXTURES / "alembic.ini").read_text(), id="alembic-ini"),
    pytest.param("tox.ini", (FIXTURES / "tox.ini").read_text(), id="tox-ini"),
    pytest.param("docker-compose.yml", (FIXTURES / "docker-compose.yml").read_text(), id="compose"),
    pytest.param("values.yaml", (FIXTURES / "values-production.yaml").read_text(), id="helm-values"),
    pytest.param("settings.py", (FIXTURES / "django_settings.py").read_text(), id="django-settings"),
    pytest.param(".env", (FIXTURES / "app.env").read_text(), id="dotenv"),
    pytest.param("pyproject.toml", (FIXTURES / "pyproject.toml").read_text(), id="pyproject"),
    pytest.param(
        "uwsgi.ini", "[uwsgi]\nmodule = billing.wsgi\nenv = DJANGO_SETTINGS_MODULE=billing.settings\nenv = LANG=C.UTF-8\n",
        id="uwsgi-multi-values",
    ),
    pytest.param(
        "etc/oslo-config-generator/glance-api.conf",
        "[DEFAULT]\noutput_file = etc/glance-api.conf.sample\nwrap_width = 80\nnamespace = glance.api\nnamespace = oslo.log\n",
        id="oslo-generator-namespaces",
    ),
    pytest.param(
        "billing.service.d/override.conf",
        "[Service]\nEnvironment=A=1\nEnvironment=B=2\nExecStartPre=/bin/true\nExecStartPre=/bin/echo\n",
        id="systemd-drop-in",
    ),
    pytest.param(
        "settings/dev.py",
        "from .base import *\nINSTALLED_APPS += ['debug_toolbar']\nMIDDLEWARE = MIDDLEWARE + ['x']\n"
        "DATABASES['default']['HOST'] = 'localhost'\ntry:\n    from .local import *\nexcept ImportError:\n    LOCAL = None\n"
        "if DEBUG:\n    LOGGING = {}\nLOGGING = {'version': 1}\n",
        id="django-extends-and-conditionals",
    ),
    pytest.param("a.yaml", "base: &base\n  a: 1\nprod:\n  <<: *base\n  a: 2\n", id="yaml-merge-override"),
    pytest.param("a.yaml", "- name: a\n- name: b\n", id="yaml-list-of-mappings"),
    pytest.param("a.yaml", "a: &a {x: 1}\nb: &b {y: 1}\nc:\n  <<: *a\n  <<: *b\n", id="yaml-two-merge-keys"),
    pytest.param("a.yaml", "? [a, b]\n: 1\n? [c, d]\n: 2\n", id="yaml-complex-keys"),
    pytest.param("a.yaml", "a: 1\n---\na: 2\n", id="yaml-separate-documents"),
    pytest.param("a.json", '[{"id": 1}, {"id": 2}]', id="json-array-of-objects"),
    pytest.param("a.toml", "[[servers]]\nhost = 'a'\n[[servers]]\nhost = 'b'\n", id="toml-array-of-tables"),
    pytest.param("a.ini", "[a]\nkey = 1\n[b]\nkey = 1\n", id="same-key-other-section"),
    pytest.param("nginx.conf", "server {\n  listen 80;\n  listen 443 ssl;\n}\n", id="nginx-conf-not-ini"),
    pytest.param("templates/deployment.yaml", "metadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\n  a: 1\n{{- end }}\n", id="helm-template"),
    pytest.param("README.md", "a: 1\na: 2\n", id="not-a-config-file"),
]


@pytest.mark.parametrize("name, text", LEAVE_ALONE)
def test_leaves_alone(tmp_path: Path, capsys: pytest.CaptureFixture, name: str, text: str) -> None:
    code, lines = check(tmp_path, name, text, capsys)
    assert lines == [] and code == 0


def test_each_file_is_reported_on_its_own(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "a.yaml").write_text("a: 1\na: 2\n")
    (tmp_path / "b.yaml").write_text("b: 1\n")
    (tmp_path / "c.env").write_text("C=1\nC=2\n")
    code = main([str(tmp_path / n) for n in ("a.yaml", "b.yaml", "c.env")])
    out = capsys.readouterr().out.splitlines()
    assert code == 1 and len(out) == 2
    assert out[0].endswith("a.yaml:2:1: no-duplicate-config-keys: a is already set on line 1; the value on line 2 wins")
    assert out[1].endswith("c.env:2:1: no-duplicate-config-keys: C is already set on line 1; the value on line 2 wins")


def test_no_files_is_clean(capsys: pytest.CaptureFixture) -> None:
    assert main([]) == 0
    assert capsys.readouterr().out == ""
