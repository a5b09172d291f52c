"""Whole-repo runs: ``pre-commit run --all-files`` with every default-stage hook
of ours, cold (an empty result cache: a first run) and warm (the cache the run
before left, nothing changed), against the peer set on the same files; both as
the single hooks (one process per hook) and as ``all-checks`` (every check in
one process).

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/allfiles.py                              # generated repo of 3,000 config files
    .venv/bin/python bench/allfiles.py --sizes "" --runs 3 /path/to/a/real/checkout ...

Prints wall and CPU time (user + system of every process pre-commit started;
the steadier figure on a shared machine), each the median of ``--runs``, and
the ratios the issue sets targets for (issue 27): warm / cold (at most 0.3) and
ours / peers on generated config files (at most 0.15). The peers are
pre-commit-hooks' check-yaml, check-json, check-toml and detect-secrets-hook as
local system hooks; our hooks run from a git snapshot of this working tree.
Real checkouts are cloned to a temporary folder, never written. Nothing here is a test.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: its secrets.py would shadow the stdlib module
_spec = importlib.util.spec_from_file_location("bench_commit", ROOT / "bench" / "commit.py")
assert _spec and _spec.loader
commit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(commit)
run_all = commit.run_all
BIN = Path(sys.executable).parent


def bench_repo(source: Path, runs: int, snapshot: tuple[Path, str], hooks: list[str], skip_peers: bool = False) -> dict[str, object]:
    work, repo, files = commit.clone(source, "bench-allfiles-")
    paths = commit.write_configs(work, snapshot, hooks)
    env, cache = commit.bench_env(work)

    def cmd(name: str) -> list[str]:
        return [str(BIN / "pre-commit"), "run", "--all-files", "-c", str(paths[name])]

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    subprocess.run(cmd("ours"), cwd=repo, env=env, capture_output=True)  # hook env built, page cache warm
    result: dict[str, object] = {"repo": source.name, "files": files, "load": os.getloadavg()[0]}
    if not skip_peers:
        result["peers"] = commit.median_of(cmd("peers"), repo, env, runs)
    for name, label in (("ours", "ours"), ("one", "all-checks")):
        result[f"{label} cold"] = commit.median_of(cmd(name), repo, env, runs, before=clear)
        subprocess.run(cmd(name), cwd=repo, env=env, capture_output=True)  # the cache a first run leaves
        result[f"{label} warm"] = commit.median_of(cmd(name), repo, env, runs)
    result["load after"] = os.getloadavg()[0]
    shutil.rmtree(work, ignore_errors=True)
    return result


def best_of(cmd: list[str], repo: Path, env: dict[str, str], before: object = None) -> dict[str, float]:
    if callable(before):
        before()
    wall, cpu = commit.timed(cmd, repo, env)
    return {"wall": wall, "cpu": cpu, "load": os.getloadavg()[0]}


def interleaved(source: Path, runs: int, snapshot: tuple[Path, str], hooks: list[str], per_hook: bool,
                singles: bool = True) -> dict[str, object]:
    """Cold and warm one after the other, ``runs`` rounds (single hooks, then
    all-checks), best (least CPU) of the rounds; with ``per_hook`` also each
    hook alone through ``pre-commit run --all-files <id>``, cold then warm, and
    pre-commit with no hook at all (its own floor)."""
    work, repo, files = commit.clone(source, "bench-allfiles-")
    paths = commit.write_configs(work, snapshot, hooks, floor=True)
    env, cache = commit.bench_env(work)

    def cmd(name: str, *extra: str) -> list[str]:
        return [str(BIN / "pre-commit"), "run", "--all-files", "-c", str(paths[name]), *extra]

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    subprocess.run(cmd("ours" if singles else "one"), cwd=repo, env=env, capture_output=True)  # hook env built
    subprocess.run(cmd("one"), cwd=repo, env=env, capture_output=True)
    result: dict[str, object] = {"repo": source.name, "files": files, "load": os.getloadavg()[0]}
    rounds: dict[str, list[dict[str, float]]] = {}
    for _ in range(runs):
        for name, label in (("ours", "ours"), ("one", "all-checks"))[0 if singles else 1:]:
            rounds.setdefault(f"{label} cold", []).append(best_of(cmd(name), repo, env, before=clear))
            rounds.setdefault(f"{label} warm", []).append(best_of(cmd(name), repo, env))
    for key, values in rounds.items():
        result[key] = min(values, key=lambda t: t["cpu"])
        result[key + " all"] = values
    if per_hook:
        result["floor"] = min((best_of(cmd("floor"), repo, env) for _ in range(3)), key=lambda t: t["cpu"])
        each: dict[str, dict[str, float]] = {}
        for hook in hooks:
            cold = best_of(cmd("ours", hook), repo, env, before=clear)
            warm = min((best_of(cmd("ours", hook), repo, env) for _ in range(2)), key=lambda t: t["cpu"])
            each[hook] = {"cold": cold["cpu"], "warm": warm["cpu"]}
        result["per hook"] = each
    result["load after"] = os.getloadavg()[0]
    shutil.rmtree(work, ignore_errors=True)
    return result


def show(result: dict[str, object]) -> None:
    names = [k for k in ("peers", "ours cold", "ours warm", "all-checks cold", "all-checks warm") if k in result]
    row: dict[str, dict[str, float]] = {k: result[k] for k in names}  # type: ignore[misc]
    print(f"\n{result['repo']}: {result['files']} files (load average {result['load']:.1f} -> {result['load after']:.1f})")
    print(f"  {'run':<16} {'wall s':>8} {'CPU s':>8}")
    for name, t in row.items():
        print(f"  {name:<16} {t['wall']:8.2f} {t['cpu']:8.2f}")

    def ratio(a: str, b: str) -> str:
        return f"CPU {row[a]['cpu'] / row[b]['cpu']:.2f}, wall {row[a]['wall'] / row[b]['wall']:.2f}"

    for label in ("ours", "all-checks"):
        if f"{label} cold" not in row:
            continue
        line = f"  {label}: warm / cold: {ratio(f'{label} warm', f'{label} cold')}"
        if "peers" in row:
            line += (f"   cold / peers: {ratio(f'{label} cold', 'peers')}"
                     f"   warm / peers: {ratio(f'{label} warm', 'peers')}")
        print(line)
    if "per hook" in result:
        floor = result["floor"]["cpu"]  # type: ignore[index]
        print(f"  pre-commit alone: {floor:.2f} s CPU; each hook alone, CPU s (cold / warm, pre-commit's floor included):")
        for hook, t in result["per hook"].items():  # type: ignore[attr-defined]
            print(f"    {hook:<32} {t['cold']:6.2f} {t['warm']:6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repos", nargs="*", type=Path, help="real checkouts (git work trees)")
    parser.add_argument("--sizes", default="3000", help="generated repos of these many files ('' for none)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--skip-peers", action="store_true", help="time ours only (the peers are slow on big repos)")
    parser.add_argument("--interleave", action="store_true",
                        help="cold and warm one after the other, --runs rounds, best of them (no peers)")
    parser.add_argument("--per-hook", action="store_true", help="with --interleave: also each hook alone, cold and warm")
    parser.add_argument("--skip-singles", action="store_true", help="with --interleave: all-checks only")
    args = parser.parse_args()
    snapshot = run_all.snapshot()
    hooks = run_all.default_hooks()
    targets = [run_all.prepare_target(Path(tempfile.gettempdir()) / f"lch-bench-allfiles-{int(s)}", int(s))
               for s in args.sizes.split(",") if s.strip()]
    results = []
    for target in [*targets, *args.repos]:
        if args.interleave:
            result = interleaved(target, args.runs, snapshot, hooks, args.per_hook, not args.skip_singles)
        else:
            result = bench_repo(target, args.runs, snapshot, hooks, args.skip_peers)
        show(result)
        sys.stdout.flush()
        results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
