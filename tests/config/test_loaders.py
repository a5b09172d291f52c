"""Each loader on files shaped like real ones: key paths, values and positions."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.config import formats, loaders
from hooks.config.document import (
    ALIAS,
    AUGMENTED,
    CONDITIONAL,
    EXPRESSION,
    MAPPING,
    MULTI_VALUE,
    SCALAR,
    SECTION,
    SEQUENCE,
    Document,
)
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"


def load(name: str, fmt: str) -> Document:
    doc = loaders.load(str(FIXTURES / name), fmt)
    assert doc is not None
    assert doc.error is None, doc.error
    return doc


def at(doc: Document, *path: object) -> tuple:
    entry = doc.get(tuple(path))
    assert entry is not None, f"{path} not in {[e.path for e in doc.entries]}"
    return entry.line, entry.column, entry.value


def line_of(doc: Document, text: str) -> int:
    return next(i for i, line in enumerate(doc.lines, 1) if text in line)


# -- INI family ---------------------------------------------------------------


def test_pyramid_ini_sections_keys_lines_and_continuations() -> None:
    doc = load("pyramid_production.ini", formats.INI)
    assert at(doc, "app:main", "use") == (7, 1, "egg:billing")
    assert at(doc, "app:main", "pyramid.reload_templates") == (9, 1, "false")
    assert at(doc, "app:main", "pyramid.includes") == (12, 1, "\npyramid_tm\npyramid_retry")
    assert at(doc, "app:main", "sqlalchemy.url")[0] == 16
    assert at(doc, "loggers", "keys") == (28, 1, "root, billing, sqlalchemy")
    # %(...)s interpolation is kept raw, never expanded or rejected.
    assert "%(asctime)s" in doc.get(("formatter_generic", "format")).value
    sections = [e.path for e in doc.entries if e.kind == SECTION]
    assert sections[:3] == [("app:main",), ("server:main",), ("loggers",)]
    assert doc.get(("app:main",)).line == 6


def test_alembic_ini_with_here_and_escaped_percent() -> None:
    doc = load("alembic.ini", formats.INI)
    assert at(doc, "alembic", "script_location") == (5, 1, "%(here)s/alembic")
    # configparser keeps `;` after a value (no inline comments by default).
    assert at(doc, "alembic", "version_path_separator")[2] == "os  ; Use os.pathsep."
    assert at(doc, "formatter_generic", "datefmt")[0] == 17
    assert doc.get(("post_write_hooks",)).kind == SECTION


def test_setup_cfg_continuation_lines_and_comments_inside_values() -> None:
    doc = load("setup.cfg", formats.INI)
    line, _, value = at(doc, "options", "install_requires")
    assert line == 9
    assert value.split("\n") == ["", "pyramid>=2.0", "SQLAlchemy>=1.4,<2", "zope.sqlalchemy"]
    assert at(doc, "options.entry_points", "console_scripts")[0] == 18
    # An indented `key = value` inside a continuation is value text, not a key.
    assert doc.get(("options.entry_points", "main")) is None
    assert at(doc, "flake8", "max-line-length") == (22, 1, "100")


def test_tox_ini() -> None:
    doc = load("tox.ini", formats.INI)
    assert at(doc, "tox", "envlist") == (2, 1, "py39, py311, lint")
    assert at(doc, "testenv:lint", "commands") == (15, 1, "flake8 billing tests")
    assert len([e for e in doc.entries if e.path[-1] == "deps"]) == 2


def test_configobj_dialect_top_level_keys_and_nested_sections() -> None:
    text = 'name = billing\n\n[server]\nport = 8080  # inline\n[[tls]]\ncert = "/etc/tls.pem"\n'
    doc = loaders.parse("app.conf", text, formats.INI)
    assert doc.error is None
    assert doc.get(("name",)).line == 1
    assert doc.get(("server", "port")).value == "8080"
    assert doc.get(("server", "tls", "cert")).value == "/etc/tls.pem"
    assert doc.get(("server", "tls", "cert")).line == 6


def test_uwsgi_and_oslo_generator_repeats_are_marked_multi_value() -> None:
    uwsgi = loaders.parse("uwsgi.ini", "[uwsgi]\nenv = A=1\nenv = B=2\n", formats.INI)
    assert all(MULTI_VALUE in e.flags for e in uwsgi.entries if e.kind == SCALAR)
    oslo = loaders.parse(
        "gen.conf",
        "[DEFAULT]\noutput_file = etc/glance.conf.sample\nnamespace = glance\nnamespace = oslo.log\n",
        formats.INI,
    )
    flagged = {e.path[-1] for e in oslo.entries if MULTI_VALUE in e.flags}
    assert flagged == {"namespace"}
    plain = loaders.parse("app.ini", "[app]\nnamespace = a\nnamespace = b\n", formats.INI)
    assert not any(MULTI_VALUE in e.flags for e in plain.entries)


def test_nginx_conf_is_not_ini_and_is_skipped_quietly() -> None:
    doc = loaders.parse("nginx.conf", "server {\n  listen 80;\n}\n", formats.INI)
    assert doc.error is not None and not doc.error.certain
    broken = loaders.parse("app.ini", "[app]\nkey = 1\n= orphan value\n", formats.INI)
    assert broken.error is not None and broken.error.certain and broken.error.line == 3


# -- YAML ---------------------------------------------------------------------


def test_docker_compose_paths_lines_and_list_items() -> None:
    doc = load("docker-compose.yml", formats.YAML)
    assert at(doc, "version") == (1, 1, "3.8")
    assert at(doc, "services", "web", "environment", 1) == (9, 9, "DATABASE_URL=${DATABASE_URL}")
    assert at(doc, "services", "db", "environment", "POSTGRES_PASSWORD") == (
        18, 7, "${POSTGRES_PASSWORD:-postgres}",
    )
    assert doc.get(("services", "web", "depends_on")).kind == SEQUENCE
    assert at(doc, "services", "web", "depends_on", 1)[2] == "redis"
    assert doc.get(("volumes", "pgdata")).kind == MAPPING


def test_helm_values_anchor_alias_and_typed_scalars() -> None:
    doc = load("values-production.yaml", formats.YAML)
    assert at(doc, "replicaCount") == (2, 1, 3)
    assert at(doc, "image", "tag") == (6, 3, "1.4.2")  # quoted: stays a string
    assert at(doc, "ingress", "enabled")[2] is True
    assert at(doc, "ingress", "hosts", 0, "host") == (21, 7, "billing.example.com")
    alias = doc.get(("worker", "resources"))
    assert ALIAS in alias.flags and alias.line == 15
    # The alias is not expanded: nothing is listed beneath it.
    assert not any(e.path[:2] == ("worker", "resources") and len(e.path) > 2 for e in doc.entries)


def test_yaml_1_2_scalars_and_multi_documents() -> None:
    doc = loaders.parse("a.yaml", "a: yes\nb: ~\nc: 0x1F\nd: 1.5\n---\na: 2\n", formats.YAML)
    assert doc.get((0, "a")).value == "yes"  # YAML 1.2: not a boolean
    assert doc.get((0, "b")).value is None
    assert doc.get((0, "c")).value == 31
    assert doc.get((0, "d")).value == 1.5
    assert doc.get((1, "a")).line == 6


def test_yaml_custom_tags_load_without_constructors() -> None:
    doc = loaders.parse("compose.yaml", "services:\n  web:\n    ports: !reset []\n    x: !Ref Bucket\n", formats.YAML)
    assert doc.error is None
    assert doc.get(("services", "web", "x")).value == "Bucket"


# -- dotenv -------------------------------------------------------------------


def test_dotenv_export_quotes_comments_and_lines() -> None:
    doc = load("app.env", formats.DOTENV)
    assert at(doc, "DATABASE_URL") == (2, 8, "postgres://billing@localhost/billing")
    assert at(doc, "DJANGO_SETTINGS_MODULE") == (3, 1, "billing.settings.dev")
    assert at(doc, "EMPTY")[2] == ""
    assert at(doc, "QUOTED")[2] == "single # not a comment"
    assert at(doc, "CELERY_BROKER_URL")[0] == 7  # after a blank line


def test_dotenv_column_counts_indentation() -> None:
    doc = loaders.parse(".env", "A=1\n\n  export B=2\n", formats.DOTENV)
    assert [(e.line, e.column) for e in doc.entries] == [(1, 1), (3, 10)]


def test_cookiecutter_envs_folder_is_dotenv() -> None:
    assert formats.detect(".envs/.production/.django") == formats.DOTENV
    assert formats.detect(".env.staging") == formats.DOTENV
    assert formats.detect("deploy/app.env") == formats.DOTENV


# -- TOML ---------------------------------------------------------------------


def test_pyproject_tables_keys_arrays_and_array_of_tables() -> None:
    doc = load("pyproject.toml", formats.TOML)
    assert doc.get(("project",)).line == 5
    assert at(doc, "project", "name") == (6, 1, "billing")
    deps = doc.get(("project", "dependencies"))
    assert deps.kind == SEQUENCE and deps.line == 7
    assert at(doc, "project", "dependencies", 1)[2] == "SQLAlchemy>=1.4"
    assert at(doc, "tool", "black", "line-length") == (13, 1, 100)
    assert at(doc, "tool", "mypy", "overrides", 0, "module") == (20, 1, "billing.legacy.*")


def test_toml_duplicate_key_still_yields_located_entries() -> None:
    doc = loaders.parse("celery.toml", "[worker]\nconcurrency = 4\nprefetch = 1\nconcurrency = 8\n", formats.TOML)
    assert doc.error is None
    lines = [e.line for e in doc.entries if e.path == ("worker", "concurrency")]
    assert lines == [2, 4]


# -- JSON ---------------------------------------------------------------------


def test_json_paths_lines_and_duplicates_kept() -> None:
    doc = load("features.json", formats.JSON)
    assert at(doc, "flags", "new_invoice_pdf") == (3, 5, True)
    assert at(doc, "flags", "rollout", 1) == (4, 21, 50)
    assert at(doc, "version") == (6, 3, 3)
    dup = loaders.parse("a.json", '{"a": 1,\n "a": {"b": "x"}}', formats.JSON)
    assert [e.line for e in dup.entries if e.path == ("a",)] == [1, 2]


# -- .properties --------------------------------------------------------------


def test_properties_separators_continuations_and_lines() -> None:
    doc = load("kafka.properties", formats.PROPERTIES)
    assert at(doc, "bootstrap.servers") == (2, 1, "kafka-1:9092,kafka-2:9092")
    assert at(doc, "group.id") == (3, 1, "billing")
    assert at(doc, "ssl.truststore.location") == (4, 1, "/etc/kafka/truststore.jks")
    line, _, value = at(doc, "sasl.jaas.config")
    assert line == 5 and value.endswith('username="billing";')


# -- Python settings ----------------------------------------------------------


def test_django_settings_names_dict_keys_and_flags() -> None:
    doc = load("django_settings.py", formats.PYTHON)
    assert doc.get(("SECRET_KEY",)).kind == EXPRESSION
    assert doc.get(("SECRET_KEY",)).source == 'os.environ["DJANGO_SECRET_KEY"]'
    assert at(doc, "ALLOWED_HOSTS", 0) == (9, 18, "billing.example.com")
    assert at(doc, "DATABASES", "default", "PORT") == (20, 9, 5432)
    assert doc.get(("DATABASES", "default")).kind == MAPPING
    toolbar = [e for e in doc.entries if e.value == "debug_toolbar"]
    assert toolbar and CONDITIONAL in toolbar[0].flags and AUGMENTED in toolbar[0].flags
    assert at(doc, "TIME_ZONE") == (27, 1, "UTC")
    assert doc.get(("logger_name",)) is None  # not an UPPER_CASE setting
    assert doc.get(("BASE_DIR",)).kind == EXPRESSION


def test_python_settings_are_never_imported(tmp_path: Path) -> None:
    marker = tmp_path / "imported"
    text = f"open({str(marker)!r}, 'w').write('x')\nDEBUG = True\n"
    doc = loaders.parse(str(tmp_path / "settings.py"), text, formats.PYTHON)
    assert doc.get(("DEBUG",)).value is True
    assert not marker.exists()


def test_flask_config_classes() -> None:
    text = "class Config:\n    DEBUG = False\n\nclass ProductionConfig(Config):\n    DEBUG = True\n"
    doc = loaders.parse("config.py", text, formats.PYTHON)
    assert doc.get(("ProductionConfig", "DEBUG")).line == 5


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("a.yaml", formats.YAML), ("b.yml", formats.YAML), ("setup.cfg", formats.INI),
        ("x.conf", formats.INI), ("pyproject.toml", formats.TOML), ("a.json", formats.JSON),
        ("log4j.properties", formats.PROPERTIES), ("settings.py", formats.PYTHON),
        (".env", formats.DOTENV), ("config.yaml.example", formats.YAML), ("README.md", None),
    ],
)
def test_format_detection_by_name(name: str, fmt: object) -> None:
    assert formats.detect(name) == fmt
