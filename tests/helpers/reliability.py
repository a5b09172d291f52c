"""Shared helpers for the reliability suites (issue 7).

Every suite iterates over the hooks that ``.pre-commit-hooks.yaml`` lists *at
test time*, so a hook that lands later is covered without editing the suites.
A hook is run the way pre-commit runs it: its ``entry`` console script from the
venv's bin folder (next to ``sys.executable``), with the ``args`` of its
manifest entry, in a temporary git repo as the working directory.

``SETUP`` is the small per-hook table of extra set-up for hooks that need it.
A hook not in the table gets the defaults, which is right for a checker that
reads only the files it is given.
"""
from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tests.conftest import CORPUS, git, write_files  # noqa: F401  (re-exported for the suites)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
BIN = Path(sys.executable).parent
# RELIABILITY_MANIFEST points the suites at another manifest (to try a hook
# before it is listed); by default, the one this repo ships.
MANIFEST = Path(os.environ.get("RELIABILITY_MANIFEST") or ROOT / ".pre-commit-hooks.yaml")

# A mapping for rename-legacy-keys that matches keys planted by the suites that
# need it (parallel runs) and nothing in the bad inputs.
LEGACY_KEYS_YAML = (
    "renamed:\n"
    "  cache.timeout: cache.ttl\n"
    "  LEGACY_CACHE_TIMEOUT: CACHE_TTL\n"
    "removed:\n"
    "  celery.always_eager: \"removed in 4.0: tasks always run on the worker\"\n"
)


@dataclass
class HookSetup:
    """Extra set-up one hook needs beyond "git repo as cwd, files as arguments"."""

    files: dict[str, str] = field(default_factory=dict)  # written into cwd before the run
    variants: tuple[tuple[str, ...], ...] = ((),)  # extra argument sets to run with
    commit: bool = True  # make an initial commit so HEAD exists (git-state hooks)
    fixer: bool = False  # may write the files it is given (only with a variant flag)
    creates: tuple[str, ...] = ()  # folders where the hook may create new files (a writer helper)
    free_output: bool = False  # its output is not findings about files (a helper printing a path)
    shared_flags: bool = True  # takes the core's shared flags (--format, --baseline, --max-file-size)


SETUP: dict[str, HookSetup] = {
    "rename-legacy-keys": HookSetup(
        files={".legacy-keys.yaml": LEGACY_KEYS_YAML}, variants=((), ("--fix",)), fixer=True
    ),
    # Reads git state (staged changes; refs). A repo with one commit and nothing
    # staged is cleanup mode: it checks existing notes only.
    "require-rollback-note": HookSetup(commit=True),
    # Every env template in the repo is held against the reads: a service that
    # reads what the suites' templates document, so a template's entries are alive
    # and a bad template gives its one line, not a "documented but never read" each.
    "check-env-documented": HookSetup(
        files={"service/settings.py": 'import os\n\nAPP_NAME = os.environ.get("APP_NAME")\nWORKERS = os.environ.get("WORKERS")\n'}
    ),
    # Manual-stage helper: writes a note skeleton for the staged config files
    # and prints its path; it has none of the checkers' shared flags.
    "new-config-note": HookSetup(creates=("config-changes",), free_output=True, shared_flags=False),
    # The whole-repo report: runs every hook in one process over the tracked and
    # staged files, prints a Markdown report and keeps its history file.
    # --name: the report names the repo after its folder by default.
    "cleanup-report": HookSetup(
        creates=(".legacy-config-report.json",), free_output=True, shared_flags=False, variants=(("--name", "service"),)
    ),
}


@dataclass
class Hook:
    id: str
    entry: str  # console script name
    args: tuple[str, ...]  # entry's extra words + manifest args
    files: str | None  # the manifest's files regex
    setup: HookSetup
    pass_filenames: bool = True  # False: the hook reads the change from git (stage the inputs)
    stages: tuple[str, ...] = ()

    @property
    def exe(self) -> str:
        return str(BIN / self.entry)

    def command(self, *extra: str) -> list[str]:
        return [self.exe, *self.args, *extra]

    def __str__(self) -> str:
        return self.id


def load_manifest(path: Path = MANIFEST) -> list[dict]:
    from ruamel.yaml import YAML

    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    return list(data or [])


def hooks() -> list[Hook]:
    """Every hook in .pre-commit-hooks.yaml, with its set-up."""
    out = []
    for item in load_manifest():
        words = shlex.split(str(item["entry"]))
        out.append(
            Hook(
                id=str(item["id"]),
                entry=words[0],
                args=tuple(words[1:]) + tuple(str(a) for a in item.get("args", []) or []),
                files=item.get("files"),
                setup=SETUP.get(str(item["id"]), HookSetup()),
                pass_filenames=bool(item.get("pass_filenames", True)),
                stages=tuple(item.get("stages", []) or []),
            )
        )
    return out


def hook_variants() -> list[tuple[Hook, tuple[str, ...]]]:
    """(hook, extra args) for every hook and every variant in its set-up."""
    return [(h, v) for h in hooks() for v in h.setup.variants]


def variant_id(hv: tuple[Hook, tuple[str, ...]]) -> str:
    hook, variant = hv
    return "-".join([hook.id, *[v.lstrip("-") for v in variant]])




def prepare_cwd(hook: Hook, cwd: Path) -> Path:
    """Make ``cwd`` a git repo with the hook's extra files (idempotent)."""
    cwd.mkdir(parents=True, exist_ok=True)
    if not (cwd / ".git").exists():
        git(cwd, "init", "-q", "-b", "main")
        git(cwd, "config", "user.email", "test@example.com")
        git(cwd, "config", "user.name", "Test")
        if hook.setup.commit:
            git(cwd, "commit", "-q", "--allow-empty", "-m", "initial", "--no-verify")
    write_files(cwd, hook.setup.files)
    if hook.setup.files:  # part of the repo, as a hook that lists tracked files sees it
        git(cwd, "add", "-f", "--", *hook.setup.files)
    return cwd


def inputs_for(hook: Hook, cwd: Path, names: Sequence[str]) -> list[str]:
    """What to put on the command line for ``names``: the names themselves, or,
    for a hook that reads the change from git (``pass_filenames: false``),
    nothing, with the files staged instead."""
    if hook.pass_filenames:
        return list(names)
    present = [n for n in names if os.path.lexists(cwd / n) and not (cwd / n).is_dir()]
    if present:
        git(cwd, "add", "-f", "--", *present)
    return []


def created_by(hook: Hook, rel: str) -> bool:
    """True for a new file the hook may create (a note written by a helper)."""
    return any(rel == c or rel.startswith(c + os.sep) for c in hook.setup.creates)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment a hook runs in: none of our or pre-commit's variables leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "LEGACY_CONFIG_HOOKS_"))}
    env.pop("GITHUB_ACTIONS", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def run_hook(
    hook: Hook,
    cwd: Path,
    args: Sequence[str],
    timeout: float = 120,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """Run the hook's console script in ``cwd``; bytes out, decoded leniently."""
    result = subprocess.run(
        hook.command(*args), cwd=cwd, env=env or clean_env(), capture_output=True, timeout=timeout
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )


def describe(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    for stream in (result.stdout, result.stderr):
        assert "Traceback (most recent call last)" not in stream, describe(result)


def fingerprint_tree(root: Path, skip: Callable[[Path], bool] = lambda p: False) -> dict[str, tuple]:
    """path -> (kind, size, mtime_ns, sha256) for everything under ``root``
    except .git, without following symlinks."""
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames + dirnames:
            path = Path(dirpath) / name
            if skip(path):
                continue
            st = path.lstat()
            rel = str(path.relative_to(root))
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = ("dir",)
            else:
                digest = hashlib.sha256()
                try:
                    with open(path, "rb") as f:
                        for chunk in iter(lambda: f.read(1 << 20), b""):
                            digest.update(chunk)
                except PermissionError:  # pragma: no cover - non-root runs
                    digest.update(b"<unreadable>")
                out[rel] = ("file", st.st_size, st.st_mtime_ns, st.st_mode, digest.hexdigest())
    return out


def config_files(root: Path) -> list[Path]:
    """The files under ``root`` that the core reads as config (by name)."""
    from hooks.config import formats

    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if formats.detect(str(path)) is not None and path.is_file():
                found.append(path)
    return found
