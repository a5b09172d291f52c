"""The prefilter's answers kept by content (hooks.repo.git.Grep with the result
cache): whatever the cache holds, every question gets the answer a plain
``git grep`` over the work tree gives; a file that changed is searched again."""
from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from hooks.repo import git
from hooks.repo.git import Grep

from .test_git_grep import repo

FILES: dict[str, str | bytes] = {
    "app/routes.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get('/health')\ndef health():\n    return 'ok'\n",
    "app/tasks.py": "from celery import Celery\n\napp = Celery('x')\n",
    "app/plain.py": "import os\n",
    "app/utf16.py": b"\xff\xfe" + "TASK = 'celery'\n".encode("utf-16-le"),
    "app/kelvin.py": "HEADER = 'X-Frame-Options'\nOTHER = '\u212aind'\n",
    "app/m\u00fcnchen \"quoted\" name.py": "import celery\n",
    "app/[glob]*.py": "import celery\n",  # a name a pathspec would read as a pattern
    "deploy/web.YAML": "kind: Deployment\n",
    "deploy/notes.md": "celery and Flask( here\n",
}
QUESTIONS: list[tuple[tuple[str | tuple[str, ...], ...], tuple[str, ...], bool]] = [
    (("celery",), ("*.py",), False),
    (("Celery(", "Flask("), ("*.py",), False),
    ((("@", ".get("),), ("*.py",), False),
    (("x-frame-options",), ("*.py",), True),
    (("kind:",), (":(icase)*.yaml",), False),
    (("celery",), (".", ":(exclude)app/plain.py"), False),
    (("nowhere",), ("*.py",), False),
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_PREFILTER", raising=False)
    monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_CACHE", raising=False)
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_CACHE_DIR", str(tmp_path / "cache"))
    root = repo(tmp_path / "repo", FILES)
    subprocess.run(["git", "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "x"], cwd=root, check=True)
    monkeypatch.chdir(root)
    yield root
    git.share_answers(False)


def answers(monkeypatch: pytest.MonkeyPatch, cache: bool = True) -> list[frozenset[str] | None]:
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "0" if cache else "1")
    grep = Grep()
    return [grep.files(*words, pathspecs=specs, ignore_case=icase) for words, specs, icase in QUESTIONS]


def counting(monkeypatch: pytest.MonkeyPatch) -> list[list[bytes]]:
    calls: list[list[bytes]] = []
    real = Grep._call

    def call(self: Grep, cmd: list[bytes]) -> subprocess.CompletedProcess[bytes] | None:
        if b"grep" in cmd:
            calls.append(cmd)
        return real(self, cmd)

    monkeypatch.setattr(Grep, "_call", call)
    return calls


def test_cold_warm_and_no_cache_agree(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = answers(monkeypatch, cache=False)
    assert plain[0] is not None and "app/[glob]*.py" in plain[0] and "app/utf16.py" in plain[0]
    calls = counting(monkeypatch)
    assert answers(monkeypatch) == plain  # cold: each question asked of the repo, every answer kept
    assert calls and all(b"--" in c for c in calls)
    calls.clear()
    assert answers(monkeypatch) == plain  # warm: from the cache alone
    assert calls == []


def test_a_changed_file_is_searched_again(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers(monkeypatch)
    (project / "app" / "plain.py").write_text("import celery\n")  # in the work tree only: no blob id
    (project / "app" / "tasks.py").write_text("import os\n")
    subprocess.run(["git", "add", "app/tasks.py"], cwd=project, check=True)  # staged: a new blob id
    (project / "app" / "[glob]*.py").write_text("import os\n")
    calls = counting(monkeypatch)
    warm = answers(monkeypatch)
    assert warm == answers(monkeypatch, cache=False)
    assert warm[0] is not None and "app/plain.py" in warm[0] and "app/tasks.py" not in warm[0]
    assert "app/[glob]*.py" not in warm[0]
    by_name = [c for c in calls if b":(literal)app/plain.py" in c]
    assert by_name and all(not c[c.index(b"--") + 1:].count(b"*.py") for c in by_name)  # only the changed files


def test_a_damaged_or_foreign_cache_file_is_not_trusted(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    plain = answers(monkeypatch, cache=False)
    answers(monkeypatch)
    (project / "app" / "tasks.py").write_text("import os\n")  # the listing kept is not this run's: it is read
    subprocess.run(["git", "add", "app/tasks.py"], cwd=project, check=True)
    plain = answers(monkeypatch, cache=False)
    listings = sorted((tmp_path / "cache").glob("grep-listing-*.json"))
    questions = sorted(set((tmp_path / "cache").glob("grep-*.json")) - set(listings))
    assert listings and questions
    now = subprocess.run(["git", "ls-files", "-s", "app/tasks.py"], cwd=project, capture_output=True, text=True,
                         check=True).stdout.split()[1]
    for path in listings:  # claims tasks.py is as it is now: not the listing its name says, so not used
        text = path.read_text()
        was = '"app/tasks.py":"' + text.split('"app/tasks.py":"')[1][:40]
        path.write_text(text.replace(was, f'"app/tasks.py":"{now}'))
        assert json.loads(path.read_text())["entries"]["app/tasks.py"] == now
    assert answers(monkeypatch) == plain
    for n, path in enumerate(sorted((tmp_path / "cache").glob("grep-*.json"))):
        text = path.read_text()
        # a list of files that is none, a file cut short, another tool's header
        path.write_text(text.replace('"found":[', '"found":[1,') if n % 3 == 0
                        else text[: len(text) // 2] if n % 3 == 1 else text.replace('"legacy-config-hooks"', '"other"'))
    assert answers(monkeypatch) == plain
    for path in (tmp_path / "cache").glob("grep-*.json"):
        path.write_text("{not json")
    assert answers(monkeypatch) == plain


def test_links_and_files_git_cannot_key_are_asked_by_name(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.symlink("tasks.py", project / "app" / "link.py")
    subprocess.run(["git", "add", "app/link.py"], cwd=project, check=True)
    plain = answers(monkeypatch, cache=False)
    answers(monkeypatch)
    assert answers(monkeypatch) == plain


def test_shared_answers_ask_once_per_run(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers(monkeypatch)
    git.share_answers()
    calls = counting(monkeypatch)
    (project / "app" / "plain.py").write_text("import celery\n")
    first = answers(monkeypatch)
    asked = len(calls)
    assert asked and answers(monkeypatch) == first and len(calls) == asked  # a second Grep of the run asks nothing
