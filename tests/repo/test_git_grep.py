"""hooks.repo.git.Grep, the prefilter of the whole-repo hooks: which tracked
files can hold a word. Its answer must be a superset of the files whose decoded
text holds it (else a hook would miss a finding), and "cannot tell" outside git."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hooks.repo.git import Grep


def repo(root: Path, files: dict[str, str | bytes], untracked: dict[str, str] | None = None) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    for name, text in (untracked or {}).items():
        (root / name).write_text(text)
    return root


@pytest.fixture
def grep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Grep:
    monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_PREFILTER", raising=False)
    repo(tmp_path, {
        "app/routes.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get('/health')\ndef health():\n    return 'ok'\n",
        "app/split.py": "x = '@'\ny = client.get('/x')\n",  # the pair on two lines, never on one
        "app/plain.py": "import os\n",
        "app/utf16.py": b"\xff\xfe" + "TASK = 'celery'\n".encode("utf-16-le"),
        "app/utf16be.py": b"\xfe\xff" + "TASK = 'celery'\n".encode("utf-16-be"),
        "app/kelvin.py": "HEADER = 'X-Frame-Options'\nOTHER = '\u212aind'\n",
        "app/m\u00fcnchen \"quoted\" name.py": "import celery\n",
        "deploy/web.YAML": "kind: Deployment\n",
        "deploy/notes.md": "celery and Flask( here\n",
        "app/special.py": "pattern = r'a.b(c[d]) {e} ^$|?*+\\\\'\n",
    }, untracked={"app/untracked.py": "import celery\n"})
    monkeypatch.chdir(tmp_path)
    return Grep()


def test_files_holding_a_word_and_only_those(grep: Grep) -> None:
    found = grep.files("celery")
    assert found is not None
    assert {"app/m\u00fcnchen \"quoted\" name.py"} <= found  # names as git ls-files -z gives them, unquoted
    assert "app/plain.py" not in found and "app/routes.py" not in found
    assert "app/untracked.py" not in found  # tracked files only, like git ls-files
    assert "deploy/notes.md" not in found  # the pathspec (*.py by default)


def test_utf16_and_utf32_files_are_always_candidates(grep: Grep) -> None:
    """git sees "t\\0a\\0s\\0k": the hooks decode the BOM, so such a file must be read."""
    found = grep.files("no-such-word-anywhere")
    assert found == {"app/utf16.py", "app/utf16be.py"}


def test_a_pair_must_share_a_line(grep: Grep) -> None:
    found = grep.files(("@", ".get("))
    assert found is not None and "app/routes.py" in found and "app/split.py" not in found
    assert grep.files(("a.b(c[d])", "^$|?*+\\")) == {"app/special.py", "app/utf16.py", "app/utf16be.py"}  # ERE characters are literal


def test_ignore_case_folds_as_python_does(grep: Grep) -> None:
    """re.I matches the Kelvin sign to k (and long s to s, dotted/dotless i to i): git -i does not, so those files count."""
    found = grep.files("x-frame-options", ignore_case=True)
    assert found is not None and "app/kelvin.py" in found
    assert "app/kelvin.py" in (grep.files("no-such-kind", ignore_case=True) or set())
    assert "app/kelvin.py" not in (grep.files("no-such-kind") or set())


def test_pathspecs_and_case_of_names(grep: Grep) -> None:
    assert grep.files("kind:", pathspecs=("*.yaml",)) == frozenset()
    assert grep.files("kind:", pathspecs=(":(icase)*.yaml",)) == {"deploy/web.YAML"}
    assert "deploy/notes.md" in (grep.files("Flask(", pathspecs=()) or set())


def test_the_work_tree_is_what_counts(grep: Grep, tmp_path: Path) -> None:
    """The hooks read the work tree; so does the prefilter (a fresh Grep: answers are kept per run)."""
    (tmp_path / "app" / "plain.py").write_text("import celery\n")
    assert "app/plain.py" in (Grep().files("celery") or set())


def test_cannot_tell_means_none(grep: Grep, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert grep.files("") is None  # an empty word matches everything
    assert grep.holding(["a.py", "b.py"], "") == ["a.py", "b.py"]
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_PREFILTER", "1")
    assert Grep().files("celery") is None
    monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_PREFILTER")
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert Grep().files("celery") is None
    assert Grep().holding(["x.py"], "celery") == ["x.py"]


def test_holding_keeps_order_and_intersects(grep: Grep) -> None:
    files = ["app/split.py", "app/routes.py", "app/plain.py"]
    assert grep.holding(files, "Flask", "'/") == ["app/split.py", "app/routes.py"]
    assert grep.holding(files, "Flask", "'/", also=("Flask",)) == ["app/routes.py"]


def test_named_gives_the_whole_words_spelled_out_utf16_included(grep: Grep) -> None:
    # 'celery' is in the UTF-16 files only as 'c\0e\0l\0...': decoded and searched
    assert grep.named(["celery", "Flask", "health", "TASK", "ask", "nowhere"], pathspecs=("app",)) == {
        "celery", "Flask", "health", "TASK"}  # 'ask' only inside 'TASK'/'Flask': not a whole word
    assert grep.named(["celery"], pathspecs=("app", ":(exclude)app/utf16*.py", ":(exclude)app/m*.py")) == set()
    assert grep.named(["celery"], pathspecs=("app/utf16be.py",)) == {"celery"}
    assert grep.named([]) == set()


def test_named_cannot_tell_outside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "a.py").write_text("celery\n")
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert Grep().named(["celery"]) is None
