"""Bad input: every loader and the hook give one clear line and never a traceback."""
from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.config import formats, loaders

SCRIPT = str(Path(sys.executable).with_name("no-duplicate-config-keys"))

MALFORMED = {
    formats.YAML: ("app.yaml", "db:\n  host: [a, b\n  port: 1\n", 3),
    formats.INI: ("app.ini", "[app]\nkey = 1\n= orphan\n", 3),
    formats.DOTENV: (".env", "A=1\nthis is not an assignment\n", 2),
    formats.TOML: ("app.toml", "[tool]\nname = \n", 2),
    formats.JSON: ("app.json", '{\n  "a": 1,\n  "b": \n}\n', 4),
    formats.PYTHON: ("settings.py", "DEBUG = (\nTIME_ZONE = 'UTC'\n", 1),
    formats.PROPERTIES: ("app.properties", "key=\\uZZZZ\n", 1),
}


@pytest.mark.parametrize("fmt", sorted(MALFORMED))
def test_malformed_file_is_one_located_error(fmt: str) -> None:
    name, text, line = MALFORMED[fmt]
    doc = loaders.parse(name, text, fmt)
    assert doc.error is not None and doc.error.certain
    assert doc.error.line == line
    assert "\n" not in doc.error.message
    assert doc.entries == []


@pytest.mark.parametrize("fmt", formats.ALL)
def test_empty_and_comment_only_files_are_clean(fmt: str) -> None:
    assert loaders.parse("x", "", fmt).error is None
    comment = {formats.JSON: "{}", formats.PROPERTIES: "! comment\n"}.get(fmt, "# just a comment\n")
    doc = loaders.parse("x", comment, fmt)
    assert doc.error is None and doc.entries == []


@pytest.mark.parametrize("fmt", formats.ALL)
def test_crlf_line_endings_keep_line_numbers(fmt: str) -> None:
    text = {
        formats.YAML: "a: 1\r\nb: 2\r\n",
        formats.INI: "[s]\r\na = 1\r\nb = 2\r\n",
        formats.DOTENV: "A=1\r\nB=2\r\n",
        formats.TOML: "a = 1\r\nb = 2\r\n",
        formats.JSON: '{"a": 1,\r\n "b": 2}\r\n',
        formats.PYTHON: "A = 1\r\nB = 2\r\n",
        formats.PROPERTIES: "a=1\r\nb=2\r\n",
    }[fmt]
    doc = loaders.parse("x", text, fmt)
    assert doc.error is None
    last = doc.entries[-1]
    assert str(last.path[-1]).lower() == "b" and last.line == (3 if fmt == formats.INI else 2)
    assert last.value in (2, "2")


def test_yaml_alias_bomb_loads_without_expanding() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    doc = loaders.parse("bomb.yaml", "\n".join(lines) + "\n", formats.YAML)
    assert doc.error is None
    assert len(doc.entries) < 200  # 9**10 if aliases were expanded


@pytest.mark.parametrize(
    "fmt, text",
    [
        (formats.YAML, "a: " + "[" * 10000 + "]" * 10000 + "\n"),
        (formats.JSON, "[" * 10000 + "]" * 10000),
        (formats.PYTHON, "X = " + "[" * 10000 + "]" * 10000 + "\n"),
        (formats.TOML, "a = " + "[" * 10000 + "]" * 10000 + "\n"),
    ],
)
def test_deep_nesting_is_handled(fmt: str, text: str) -> None:
    doc = loaders.parse("deep", text, fmt)
    assert doc.error is None or "\n" not in doc.error.message


def run_hook(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([SCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def bad_files(tmp_path: Path) -> dict:
    files = {
        "binary.yaml": b"\x00\x01\x02PNG\x00" * 50,
        "latin1.ini": "[app]\nname = caf\xe9\n".encode("latin-1"),
        "utf16.yaml": codecs.BOM_UTF16_LE + "a: 1\na: 2\n".encode("utf-16-le"),
        "utf8bom.env": codecs.BOM_UTF8 + b"A=1\nA=2\n",
        "empty.json": b"",
        "broken.json": b'{"a": 1,,}',
        "template.yaml": b"name: {{ .Values.name }}\n{{- if .Values.x }}\nx: 1\n{{- end }}\n",
        "dir with space/café config.yaml": b"a: 1\na: 2\n",
    }
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (tmp_path / "folder.yaml").mkdir()
    os.symlink(tmp_path / "gone.yaml", tmp_path / "dangling.yaml")
    return files


def test_hook_reports_each_bad_file_on_one_line(tmp_path: Path, bad_files: dict) -> None:
    names = sorted(bad_files) + ["folder.yaml", "dangling.yaml", "missing.yaml"]
    before = {n: (tmp_path / n).read_bytes() for n in bad_files}
    result = run_hook(*names, cwd=tmp_path)
    out = result.stdout.splitlines()
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    by_file = {line.split(":", 1)[0]: line for line in out}
    assert "cannot read: binary content" in by_file["binary.yaml"]
    assert "cannot read: not valid UTF-8 (byte 0xe9 on line 2)" in by_file["latin1.ini"]
    assert "cannot parse JSON: Expecting property name" in by_file["broken.json"]
    assert "cannot read: is a directory" in by_file["folder.yaml"]
    assert "cannot read: broken symlink" in by_file["dangling.yaml"]
    assert "cannot read: no such file" in by_file["missing.yaml"]
    # Readable encodings are read, and their duplicates found.
    assert "utf16.yaml:2:1: no-duplicate-config-keys: a is already set on line 1" in result.stdout
    assert "utf8bom.env:2:1: no-duplicate-config-keys: A is already set on line 1" in result.stdout
    assert "dir with space/café config.yaml:2:1:" in result.stdout
    # Empty files and templates are not problems.
    assert "empty.json" not in by_file and "template.yaml" not in by_file
    assert len(out) == 9
    assert {n: (tmp_path / n).read_bytes() for n in bad_files} == before  # nothing written


def test_huge_file_is_skipped_with_a_notice(tmp_path: Path) -> None:
    line = b"key_%08d: some moderately long value for padding the file\n"
    with open(tmp_path / "huge.yaml", "wb") as f:
        f.write(b"".join(line % i for i in range(800_000)))  # about 50 MB
    assert (tmp_path / "huge.yaml").stat().st_size > 45_000_000
    result = run_hook("huge.yaml", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "skipped" in result.stderr and "--max-file-size" in result.stderr


def test_max_file_size_flag_takes_units(tmp_path: Path) -> None:
    (tmp_path / "a.env").write_text("A=1\n" * 400 + "A=2\n")
    assert run_hook("--max-file-size", "1k", "a.env", cwd=tmp_path).returncode == 0
    assert run_hook("--max-file-size", "1MB", "a.env", cwd=tmp_path).returncode == 1
    bad = run_hook("--max-file-size", "lots", "a.env", cwd=tmp_path)
    assert bad.returncode == 2 and "not a size" in bad.stderr
