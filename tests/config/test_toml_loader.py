"""The TOML loader: every key and header with its line and column (the positions
findings and renames use), values read by tomllib, duplicate keys kept as
entries (so no-duplicate-config-keys can report them) and other errors with a
line and column."""
from __future__ import annotations

from hooks.config import formats, loaders
from hooks.config.document import MAPPING, SCALAR, SECTION, SEQUENCE

PYPROJECT = '''\
# pyproject.toml
[project]
name = "billing"
dependencies = [
  "django>=4.2",  # comment inside
  'celery',
]
optional = { dev = ["pytest"], docs = [] }

[tool.legacy-config-hooks]
"quoted key" = 'single'
dotted.key = """multi
line"""
literal = \'\'\'raw\\n\'\'\'
when = 1979-05-27T07:32:00Z
ratio = 0.5
on = true

[[tool.workers]]
name = "a"

[[tool.workers]]
name = "b"
'''


def test_keys_headers_and_values_with_positions() -> None:
    doc = loaders.parse("pyproject.toml", PYPROJECT, formats.TOML)
    assert doc.error is None
    e = {x.path: x for x in doc.entries}
    assert (e[("project",)].kind, e[("project",)].line) == (SECTION, 2)
    assert (e[("project", "name")].kind, e[("project", "name")].value, e[("project", "name")].line) == (SCALAR, "billing", 3)
    assert e[("project", "dependencies")].kind == SEQUENCE and e[("project", "dependencies", 1)].value == "celery"
    assert e[("project", "optional")].kind == MAPPING and e[("project", "optional", "dev", 0)].value == "pytest"
    assert e[("project", "optional", "docs")].kind == SEQUENCE
    tool = ("tool", "legacy-config-hooks")
    assert e[tool + ("quoted key",)].value == "single"
    assert e[tool + ("dotted", "key")].value == "multi\nline"
    assert e[tool + ("dotted", "key")].line == 12
    assert e[tool + ("literal",)].value == "raw\\n"
    assert e[tool + ("ratio",)].value == 0.5 and e[tool + ("on",)].value is True
    assert e[tool + ("when",)].kind == SCALAR
    assert [(x.path, x.line) for x in doc.entries if x.path[:2] == ("tool", "workers") and x.path[-1] == "name"] == [
        (("tool", "workers", 0, "name"), 20), (("tool", "workers", 1, "name"), 23)]


def test_a_duplicate_key_is_kept_as_two_entries() -> None:
    doc = loaders.parse("app.toml", "[cache]\nttl = 1\nttl = 2\n", formats.TOML)
    assert doc.error is None
    assert [(x.path, x.line) for x in doc.entries if x.path == ("cache", "ttl")] == [(("cache", "ttl"), 2), (("cache", "ttl"), 3)]


def test_other_errors_have_a_line_and_column() -> None:
    doc = loaders.parse("app.toml", "[cache]\nttl = \n", formats.TOML)
    assert doc.error is not None and doc.entries == []
    assert (doc.error.line, doc.error.column) == (2, 7)
    assert "(line 2, column 7)" in doc.error.message


def test_crlf_files() -> None:
    doc = loaders.parse("app.toml", "[cache]\r\nttl = 1\r\n", formats.TOML)
    assert doc.error is None and [(x.path, x.line) for x in doc.entries] == [(("cache",), 1), (("cache", "ttl"), 2)]
