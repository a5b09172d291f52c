"""Shared test set-up.

End-to-end tests run the hooks through the real ``pre-commit``. pre-commit
builds one hook environment per (repo, rev), which takes a while, so the
session takes one snapshot of this working tree as a git repo and every
end-to-end test points at it. ``run()`` with a ``config()`` that names the
snapshot builds the environment once per session in the shared
PRE_COMMIT_HOME; ``try_repo()`` is the user's command, but pre-commit gives
each try-repo a throwaway store, so each call builds its own (about 8 s):
keep try-repo tests few.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
# ../shared/corpus beside the checkout (as CI lays it out), or two levels up from a git worktree.
CORPUS = next(
    (p for p in (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus") if p.is_dir()),
    ROOT.parent / "shared" / "corpus",
)
FIXED_DATE = "2026-01-01T00:00:00+0000"


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_AUTHOR_DATE": FIXED_DATE,
        "GIT_COMMITTER_DATE": FIXED_DATE,
        **(env or {}),
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=full_env, check=True, capture_output=True, text=True
    )


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def cached_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> Path:
    """``tmp_path/repo``: a git repository holding ``files`` (added, not committed), with the
    result cache on and kept in ``tmp_path/cache``, as the cache tests of every hook need it."""
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LEGACY_CONFIG_HOOKS_NO_CACHE", raising=False)
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write_files(root, files)
    git(root, "add", "-A")
    return root


class PreCommit:
    """Runs the real pre-commit against the session's snapshot of this repo."""

    def __init__(self, repo: Path, rev: str, home: Path) -> None:
        self.repo = repo
        self.rev = rev
        self.home = home
        self.exe = str(Path(sys.executable).with_name("pre-commit"))

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "LEGACY_CONFIG_HOOKS_"))}
        env.pop("GITHUB_ACTIONS", None)
        env["PRE_COMMIT_HOME"] = str(self.home)
        env["PRE_COMMIT_COLOR"] = "never"
        return env

    def make_repo(self, path: Path, files: dict[str, str], commit: bool = True) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        git(path, "init", "-q", "-b", "main")
        write_files(path, files)
        git(path, "add", "-A")
        if commit:
            git(path, "commit", "-q", "-m", "initial", "--no-verify")
        return path

    def config(self, hooks: Iterable[dict]) -> str:
        """A .pre-commit-config.yaml that uses the snapshot at its rev."""
        import json

        return json.dumps({"repos": [{"repo": str(self.repo), "rev": self.rev, "hooks": list(hooks)}]})

    def try_repo(self, cwd: Path, hook: str | None, *args: str) -> subprocess.CompletedProcess:
        """``pre-commit try-repo <snapshot> [hook] --ref <rev> ARGS``; hook None runs them all."""
        hook_args = [hook] if hook else []
        return self.run(cwd, "try-repo", str(self.repo), *hook_args, "--ref", self.rev, *args)

    def run(self, cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [self.exe, *args], cwd=cwd, env={**self.env(), **(env or {})}, capture_output=True, text=True, timeout=900
        )


def _snapshot() -> Path:
    """Copy the tracked and untracked-but-not-ignored files into a fresh repo
    (one per session, so parallel test sessions cannot clobber each other)."""
    import tempfile

    (ROOT / ".cache").mkdir(exist_ok=True)
    target = Path(tempfile.mkdtemp(prefix="snapshot-", dir=ROOT / ".cache"))
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            dest = target / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest)
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot", "--no-verify")
    return target


# Modules whose tests run hooks in subprocesses (console scripts, real
# pre-commit) or over the whole shared corpus: the in-process suite (pytest -m "not e2e") leaves them out.
E2E_MODULES = {
    "test_bad_input", "test_bad_input_matrix", "test_no_network", "test_parallel_runs", "test_no_user_code",
    "test_no_secret_leaks",  # every hook x every format x every planted secret: a reliability suite
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if getattr(item, "module", None) else ""
        uses_precommit = "precommit" in getattr(item, "fixturenames", ())
        if uses_precommit or module in E2E_MODULES or module.endswith(("_e2e", "_corpus")) or module.startswith(("test_e2e_", "test_corpus_")):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _no_parse_records_from_other_tests() -> None:
    """hooks.config.python_trees keeps, per process, the Python files a parse gave up on
    (Python 2, newer syntax) until the runner reports them. A test that parses such a file
    without the runner would leave its record for the next hook run in the same process,
    which then reports a file of another test: each test starts with none (the order of
    tests on a pytest-xdist worker is not the serial order)."""
    trees = sys.modules.get("hooks.config.python_trees")
    if trees is not None:
        trees.take()


class HookResult(NamedTuple):
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.out.splitlines() if line]

    @property
    def code_and_lines(self) -> tuple[int, list[str]]:
        return self.code, self.lines


@pytest.fixture
def run_hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., HookResult]:
    """Run a hook in-process, by id, in ``tmp_path`` with a clean environment:
    ``run_hook("no-duplicate-config-keys", "app.yaml", files={"app.yaml": "a: 1\na: 2\n"})``."""
    from hooks.core import registry, runner

    if not Path.cwd().is_relative_to(tmp_path):  # another fixture may have set up a repo inside it
        monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("LEGACY_CONFIG_HOOKS_") or name == "GITHUB_ACTIONS":
            monkeypatch.delenv(name)

    def run(hook_id: str, *args: str, files: dict[str, str | bytes] | None = None,
            pass_filenames: bool = False) -> HookResult:
        """``files`` are written first; ``pass_filenames`` also passes their
        names, as pre-commit does."""
        for name, data in (files or {}).items():
            path = Path.cwd() / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        capsys.readouterr()
        code = runner.main(registry.get(hook_id), [*args, *(files or {})] if pass_filenames else list(args))
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return HookResult(code, out, err)

    return run


@pytest.fixture(scope="session")
def precommit() -> Iterator[PreCommit]:
    repo = _snapshot()
    rev = git(repo, "rev-parse", "HEAD").stdout.strip()
    home = ROOT / ".cache" / "pre-commit-home"
    yield PreCommit(repo, rev, home)
    shutil.rmtree(repo, ignore_errors=True)
