"""rename-legacy-keys on every real config file of the shared corpus: a fix run
that matches nothing leaves each file byte-identical, and renaming one existing
key changes that key's line and nothing else."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hooks.checks.rename_legacy_keys import main
from hooks.checks.rename_legacy_keys.renamers.plan import key_path
from hooks.config import formats, loaders
from hooks.config.document import MULTI_VALUE, SCALAR
from tests.conftest import CORPUS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")


def corpus_files() -> list[str]:
    if not CORPUS.is_dir():
        return []
    out = []
    for path in sorted(CORPUS.rglob("*")):
        rel = path.relative_to(CORPUS).as_posix()
        fmt = formats.detect(rel)
        if path.is_file() and not path.is_symlink() and fmt is not None:
            if fmt != formats.PYTHON or formats.is_settings_module(rel):
                out.append(rel)
    return out


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root, symlinks=True)
    monkeypatch.chdir(root)
    monkeypatch.delenv("LEGACY_CONFIG_HOOKS_FORMAT", raising=False)
    return root


def test_a_mapping_that_matches_nothing_changes_no_byte(copy: Path, capsys: pytest.CaptureFixture) -> None:
    files = corpus_files()
    assert len(files) > 200
    before = {name: (copy / name).read_bytes() for name in files}
    (copy.parent / "keys.yaml").write_text("renamed:\n  no.such.key: other.key\n  NO_SUCH_SETTING: OTHER\n")
    code = main(["--fix", "--mapping", str(copy.parent / "keys.yaml"), *files])
    out, err = capsys.readouterr()
    reported = [line for line in out.splitlines() if "rename-legacy-keys: cannot" not in line]
    assert reported == [] and code in (0, 1)  # only files that do not parse are reported
    assert "renamed" not in err
    changed = [name for name in files if (copy / name).read_bytes() != before[name]]
    assert changed == []


def first_scalar_key(rel: str) -> tuple[int, list]:
    """(line, key parts) of the file's first scalar key used once in it; (0, []) if none."""
    doc = loaders.load(rel)
    if doc is None or doc.error is not None:
        return 0, []
    keys = [key_path(doc, entry)[1] for entry in doc.entries]
    for entry, key in zip(doc.entries, keys):
        if key and entry.kind == SCALAR and keys.count(key) == 1 and MULTI_VALUE not in entry.flags:
            return entry.line, list(key)
    return 0, []


def test_renaming_one_key_changes_only_its_line(copy: Path, capsys: pytest.CaptureFixture) -> None:
    fixed, by_hand = [], []
    for rel in corpus_files():
        line, key = first_scalar_key(rel)
        if not line:
            continue
        mapping = copy.parent / "keys.yaml"
        new = key[:-1] + [key[-1] + "_RENAMED9"]
        mapping.write_text(f"renamed:\n  ? {json.dumps(key)}\n  : {json.dumps(new)}\n", encoding="utf-8")
        before = (copy / rel).read_bytes()
        code = main(["--fix", "--mapping", str(mapping), rel])
        out, err = capsys.readouterr()
        after = (copy / rel).read_bytes()
        assert code == 1, (rel, out, err)
        if after == before:
            # Not fixed: then it must say why, at that key.
            assert f"{rel}:{line}:" in out and "by hand" in out, (rel, out)
            by_hand.append((rel, out))
            continue
        old_lines, new_lines = before.split(b"\n"), after.split(b"\n")
        assert len(old_lines) == len(new_lines), rel
        differ = [i + 1 for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b]
        assert differ == [line], (rel, differ)
        assert b"_RENAMED9" in new_lines[line - 1]
        fixed.append(rel)
        assert main(["--fix", "--mapping", str(mapping), rel]) == 0, rel  # idempotent
        capsys.readouterr()
    assert len(fixed) > 200
    assert len(by_hand) <= len(fixed) // 20, by_hand
