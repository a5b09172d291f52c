"""pre-commit splits the file list across processes: two processes of one hook
over disjoint halves of a repo, at the same time, must end where one serial
run over all of it ends.

* A fixer (a manifest hook with a ``--fix`` variant in the set-up table, e.g.
  rename-legacy-keys) leaves every file byte-identical to a serial fix.
* ``--write-baseline`` from two processes at once ends with both halves'
  fingerprints: the same baseline as one serial run (writes are atomic and
  merged under a lock in hooks/core/baseline.py).
"""
from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.helpers.reliability import (
    Hook,
    assert_no_traceback,
    clean_env,
    describe,
    hook_variants,
    prepare_cwd,
    variant_id,
    write_files,
)

SERVICES = 8
ROUNDS = 3  # races are timing-dependent: run the concurrent case a few times


def repo_files() -> dict[str, str]:
    """Services with planted problems for every hook: duplicate keys, literal
    secrets, debug on in production, staging missing keys, legacy keys."""
    files: dict[str, str] = {}
    for i in range(SERVICES):
        files[f"svc{i}/config/production.yaml"] = (
            "# production\n"
            "cache:\n"
            f"  timeout: {60 + i}  # seconds\n"
            "  backend: redis\n"
            "database:\n"
            f"  password: Pr0dPassw0rd{i:02d}xyz\n"
            "  host: db\n"
            "  host: db2\n"
            "debug: true\n"
            f"only_in_production_{i}: 1\n"
        )
        files[f"svc{i}/config/staging.yaml"] = "cache:\n  timeout: 5\n  backend: redis\ndatabase:\n  host: db\ndebug: false\n"
        files[f"svc{i}/production.ini"] = (
            "[cache]\n; legacy name\ntimeout = 30\n\n[app:main]\nuse = egg:billing\nuse = egg:other\n"
        )
        files[f"svc{i}/pyproject-{i}.toml"] = '[cache]\ntimeout = 10\nbackend = "memcached"\n'
        files[f"svc{i}/.env.production"] = (
            f"export LEGACY_CACHE_TIMEOUT={i}\nDB_PASSWORD=S3cretValue{i:02d}abc\nDEBUG=True\nDEBUG=False\n"
        )
        files[f"svc{i}/settings/prod.py"] = (
            f"LEGACY_CACHE_TIMEOUT = {i}  # old name\nDEBUG = True\nSECRET_KEY = 'dj-{i:02d}-k3yk3yk3yk3y'\n"
            "TIME_ZONE = 'UTC'\nTIME_ZONE = 'Europe/Paris'\n"
        )
    return files


def halves(names: Sequence[str]) -> tuple[list[str], list[str]]:
    ordered = sorted(names)
    return ordered[0::2], ordered[1::2]


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mode (mtimes differ between copies by nature)."""
    out = {}
    for path in sorted(root.rglob("*")):
        if ".git" in path.relative_to(root).parts or not path.is_file():
            continue
        out[path.relative_to(root).as_posix()] = (path.read_bytes(), path.stat().st_mode)
    return out


def start(hook: Hook, cwd: Path, args: Sequence[str]) -> subprocess.Popen:
    return subprocess.Popen(
        hook.command(*args), cwd=cwd, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def finish(proc: subprocess.Popen) -> subprocess.CompletedProcess:
    out, err = proc.communicate(timeout=300)
    result = subprocess.CompletedProcess(proc.args, proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"))
    assert result.returncode in (0, 1), describe(result)
    assert_no_traceback(result)
    return result


def make_repo(hook: Hook, root: Path) -> list[str]:
    prepare_cwd(hook, root)
    files = repo_files()
    write_files(root, files)
    (root / "svc0" / "settings" / "prod.py").chmod(0o640)  # a fixer must keep the mode
    return sorted(files)


def parallel(hook: Hook, root: Path, extra: Sequence[str], names: Sequence[str]) -> list[subprocess.CompletedProcess]:
    first, second = halves(names)
    procs = [start(hook, root, [*extra, *first]), start(hook, root, [*extra, *second])]
    return [finish(p) for p in procs]


FIXERS = [hv for hv in hook_variants() if hv[0].setup.fixer and "--fix" in hv[1]]


@pytest.mark.skipif(not FIXERS, reason="no fixer hook (with a --fix variant) in .pre-commit-hooks.yaml yet")
@pytest.mark.parametrize("hv", FIXERS, ids=variant_id)
def test_two_fixer_processes_on_disjoint_halves_equal_a_serial_run(tmp_path: Path, hv: tuple) -> None:
    hook, variant = hv
    serial_root = tmp_path / "serial"
    names = make_repo(hook, serial_root)
    original = tree(serial_root)
    serial = finish(start(hook, serial_root, [*variant, *names]))
    expected = tree(serial_root)
    assert expected != original, f"the fixer changed nothing; the test repo plants no legacy key\n{describe(serial)}"
    for round_ in range(ROUNDS):
        root = tmp_path / f"parallel-{round_}"
        make_repo(hook, root)
        results = parallel(hook, root, variant, names)
        assert tree(root) == expected, f"round {round_}: parallel fix differs from serial\n" + "\n".join(
            describe(r) for r in results
        )
        lines = sorted(line for r in results for line in r.stdout.splitlines())
        assert lines == sorted(serial.stdout.splitlines())


BASELINE_HOOKS = [h for h, v in hook_variants() if not v and h.setup.shared_flags and h.pass_filenames]


def baseline(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["hooks"]


@pytest.mark.parametrize("hook", BASELINE_HOOKS, ids=str)
def test_concurrent_baseline_writes_merge_both_halves(tmp_path: Path, hook: Hook) -> None:
    serial_root = tmp_path / "serial"
    names = make_repo(hook, serial_root)
    finish(start(hook, serial_root, ["--write-baseline", "baseline.json", *names]))
    expected = baseline(serial_root / "baseline.json")
    if hook.id == "no-duplicate-config-keys":  # the repo does plant findings for it
        assert sum(len(v) for v in expected.get(hook.id, {}).values()) >= 3 * SERVICES, expected
    for round_ in range(ROUNDS):
        root = tmp_path / f"parallel-{round_}"
        make_repo(hook, root)
        results = parallel(hook, root, ["--write-baseline", "baseline.json"], names)
        got = baseline(root / "baseline.json")
        assert got == expected, f"round {round_}: merged baseline differs from serial\n" + "\n".join(
            describe(r) for r in results
        )
        leftovers = [p.name for p in root.iterdir() if p.name.startswith(".baseline-")]
        assert not leftovers, f"temp files left behind: {leftovers}"
    # And the merged baseline silences exactly today's findings.
    check = finish(start(hook, root, ["--baseline", "baseline.json", *names]))
    assert check.returncode == 0 and not check.stdout.strip(), describe(check)


def test_baseline_hooks_are_taken_from_the_manifest() -> None:
    assert "no-duplicate-config-keys" in {h.id for h in BASELINE_HOOKS}
