"""Valid files are never reported as broken: JSONC, JSON Lines, YAML that
libyaml accepts. Really broken files still are, with the exact reason."""
from __future__ import annotations

from hooks.config import loaders
from hooks.config.loaders.json_loader import strip_jsonc

TSCONFIG = """{
  // Visit https://aka.ms/tsconfig to read more about this file
  "compilerOptions": {
    "target": "es2020", /* Set the JavaScript language version */
    "paths": {"@/*": ["./src/*"],},
    "strict": true,
  },
}
"""
DEVCONTAINER = """// For format details, see https://aka.ms/devcontainer.json.
{
\t"name": "myapp",
\t"dockerComposeFile": ["../docker-compose.yml"],
\t"forwardPorts": [8000, 5432],
}
"""
EVENTS = '{"event": "login", "user": "ann"}\n{"event": "logout", "user": "bob"}\n\n'
# A pnpm lock file shape: libyaml reads it; some ruamel.yaml versions refuse
# the quoted keys holding '@' and ':' at this nesting.
PNPM = """lockfileVersion: '9.0'

importers:
  .:
    dependencies:
      '@inquirer/password':
        specifier: ^4.0.0
        version: 4.0.2(@types/node@22.0.0)

packages:
  '@inquirer/password@4.0.2':
    resolution: {integrity: sha512-abc==}
"""


def parse(path: str, text: str, fmt: str = "json"):  # type: ignore[no-untyped-def]
    return loaders.parse(path, text, fmt)


def test_tsconfig_is_read_as_jsonc_with_positions() -> None:
    doc = parse("frontend/tsconfig.json", TSCONFIG)
    assert doc.error is None
    target = doc.get(("compilerOptions", "target"))
    assert target is not None and (target.line, target.column, target.value) == (4, 5, "es2020")
    assert doc.get(("compilerOptions", "paths", "@/*", 0)).value == "./src/*"


def test_devcontainer_and_vscode_json_are_jsonc() -> None:
    assert parse(".devcontainer/devcontainer.json", DEVCONTAINER).error is None
    assert parse(".vscode/settings.json", '{\n  // editor\n  "editor.tabSize": 4,\n}\n').error is None
    assert parse("config/app.jsonc", '{"a": 1, /* b */}').error is None


def test_a_plain_json_file_with_a_comment_is_still_broken() -> None:
    doc = parse("config/app.json", '{\n  // no comments in JSON\n  "a": 1\n}\n')
    assert doc.error is not None and doc.error.line == 2


def test_strip_jsonc_keeps_strings_and_positions() -> None:
    text = '{"url": "http://x//y", "s": "a,]" /* c */, }'
    out = strip_jsonc(text)
    assert len(out) == len(text)
    assert '"http://x//y"' in out and '"a,]"' in out and "/*" not in out
    assert out.rstrip().endswith("}") and ", }" not in out


def test_json_lines_are_read_line_by_line() -> None:
    doc = parse("tests/data/events.jsonl", EVENTS)
    assert doc.error is None
    assert [(e.path, e.line, e.value) for e in doc.entries if e.key == "user"] == [
        ((0, "user"), 1, "ann"), ((1, "user"), 2, "bob"),
    ]


def test_a_json_file_holding_json_lines_is_not_broken() -> None:
    doc = parse("unittests/scans/kubeaudit/kubeaudit.json", EVENTS)
    assert doc.error is None and len(doc.entries) == 4


def test_a_broken_json_lines_file_names_its_line() -> None:
    doc = parse("data/events.ndjson", '{"a": 1}\n{"a": \n')
    assert doc.error is not None and doc.error.line == 2


def test_pnpm_lock_is_valid_yaml() -> None:
    doc = parse("pnpm-lock.yaml", PNPM, "yaml")
    assert doc.error is None
    assert any(e.key == "@inquirer/password" for e in doc.entries)


def test_yaml_positions_and_values_from_libyaml() -> None:
    doc = parse("config/production.yaml", "app:\n  debug: true\n  port: 8000\n  mode: 'on'\n  ref: !Ref Bucket\n", "yaml")
    assert doc.error is None
    assert (doc.get(("app", "debug")).line, doc.get(("app", "debug")).column, doc.get(("app", "debug")).value) == (2, 3, True)
    assert doc.get(("app", "port")).value == 8000
    assert doc.get(("app", "mode")).value == "on"
    assert doc.get(("app", "ref")).value == "Bucket"


def test_really_broken_yaml_is_reported_with_the_reason() -> None:
    doc = parse("config/app.yaml", "app:\n  debug: [true\n", "yaml")
    assert doc.error is not None and "line" in doc.error.message


def test_a_diff_of_an_env_file_is_not_read_as_dotenv() -> None:
    from hooks.config import formats

    assert formats.detect("optional-modifications/patches/external-kafka/.env.patch") is None
    assert formats.detect(".env.diff") is None
    assert formats.detect("deploy/.env.production") == "dotenv"
