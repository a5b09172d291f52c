"""What a one-file commit costs: every default-stage hook of ours, through real
``pre-commit run`` on the staged file only, against the peer set and against
pre-commit's own floor, on generated repos and on real checkouts.

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/commit.py                          # generated repos of 1,000 / 10,000 / 30,000 files
    .venv/bin/python bench/commit.py --sizes 1000 --runs 3 /path/to/a/real/checkout ...

For each repo a settings module (or, failing that, a YAML config file) gets one
new line and is staged, as a developer's commit would. Then, each the median of
``--runs`` runs:

* ``floor``: pre-commit with no hook (its own start-up and staged-file listing);
* ``peers``: pre-commit-hooks' check-yaml, check-json, check-toml and
  detect-secrets-hook, as local system hooks;
* ``ours cold``: our default-stage hooks with an empty result cache (each run
  gets a fresh one: a first commit on a new clone);
* ``ours warm``: the same with the cache an earlier run left (every later commit);
* ``one process cold`` / ``warm``: the same checks through the one ``all-checks`` hook;
* each of our hooks alone (warm), to find the one that costs the most.

Wall time and CPU time (user + system of every process pre-commit started) are
both printed: CPU is the steadier figure on a shared machine. Ratios are taken
within one run of this script, never across machines; nothing here is a test.
Real checkouts are read, never written: each is cloned to a temporary folder.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: its secrets.py would shadow the stdlib module
_spec = importlib.util.spec_from_file_location("bench_run_all", ROOT / "bench" / "run_all.py")
assert _spec and _spec.loader
run_all = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_all)

BIN = Path(sys.executable).parent
# The hooks that read the whole repo whatever is staged: timed again without the prefilter.
WHOLE_REPO = ("check-health-checks", "check-background-jobs", "check-security-settings")


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one command and everything it started."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def median_of(cmd: list[str], cwd: Path, env: dict[str, str], runs: int, before: object = None) -> dict[str, float]:
    walls, cpus = [], []
    for _ in range(runs):
        if callable(before):
            before()
        wall, cpu = timed(cmd, cwd, env)
        walls.append(wall)
        cpus.append(cpu)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}


def pick_file(repo: Path) -> Path:
    """The file a typical config commit touches: a settings module, else a YAML file."""
    tracked = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True, check=True).stdout.split("\n")
    wanted = (
        lambda p: p.endswith("settings.py"),
        lambda p: "/settings/" in p and p.endswith(".py"),
        lambda p: p.endswith("config.py"),
        lambda p: p.endswith((".yaml", ".yml")),
    )
    for matches in wanted:
        for path in tracked:
            if matches(path) and "test" not in path and "migrations/" not in path and (repo / path).is_file():
                return repo / path
    raise SystemExit(f"{repo}: no settings module or YAML file to change")


def stage_one_change(repo: Path) -> str:
    path = pick_file(repo)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\nBENCH_SETTING = 1\n" if path.suffix == ".py" else "\nbench_key: 1\n")
    run_all.git(repo, "add", str(path.relative_to(repo)))
    return str(path.relative_to(repo))


def clone(source: Path, prefix: str) -> tuple[Path, Path, int]:
    """(work folder, a local clone of ``source`` in it, its tracked files)."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    repo = work / "repo"
    done = subprocess.run(["git", "clone", "-q", "--local", str(source), str(repo)], capture_output=True)
    if done.returncode:  # a checkout whose objects lack some blobs (DefectDojo's mirror): copy its work tree and .git
        shutil.rmtree(repo, ignore_errors=True)
        shutil.copytree(source, repo, symlinks=True)
    files = len(subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True).stdout.splitlines())
    return work, repo, files


def write_configs(work: Path, snapshot: tuple[Path, str], hooks: list[str], floor: bool = False) -> dict[str, Path]:
    """The pre-commit configs compared: the peers, ours (the single hooks, from the
    snapshot), all-checks alone (``one``), and pre-commit alone."""
    snap, rev = snapshot
    configs: dict[str, object] = {"floor": {"repos": []}} if floor else {}
    configs["peers"] = {"repos": [{"repo": "local", "hooks": run_all.PEERS}]}
    configs["ours"] = {"repos": [{"repo": str(snap), "rev": rev, "hooks": [{"id": h} for h in hooks]}]}
    configs["one"] = {"repos": [{"repo": str(snap), "rev": rev, "hooks": [{"id": run_all.ONE_PROCESS}]}]}
    paths = {}
    for name, config in configs.items():
        paths[name] = work / f"{name}.yaml"
        paths[name].write_text(json.dumps(config))
    return paths


def bench_env(work: Path) -> tuple[dict[str, str], Path]:
    """pre-commit's environment for a run, with our result cache in ``work``."""
    env = run_all.env()
    cache = work / "cache"
    env["LEGACY_CONFIG_HOOKS_CACHE_DIR"] = str(cache)
    return env, cache


def bench_repo(source: Path, runs: int, snapshot: tuple[Path, str], hooks: list[str]) -> dict[str, object]:
    work, repo, files = clone(source, "bench-commit-")
    changed = stage_one_change(repo)
    paths = write_configs(work, snapshot, hooks, floor=True)
    env, cache = bench_env(work)

    def cmd(name: str, *extra: str) -> list[str]:
        return [str(BIN / "pre-commit"), "run", "-c", str(paths[name]), *extra]

    subprocess.run(cmd("ours"), cwd=repo, env=env, capture_output=True)  # hook env built, page cache warm
    result: dict[str, object] = {"repo": source.name, "files": files, "changed": changed, "load": os.getloadavg()[0]}
    result["floor"] = median_of(cmd("floor"), repo, env, runs)
    result["peers"] = median_of(cmd("peers"), repo, env, runs)
    result["ours cold"] = median_of(cmd("ours"), repo, env, runs, before=lambda: shutil.rmtree(cache, ignore_errors=True))
    subprocess.run(cmd("ours"), cwd=repo, env=env, capture_output=True)  # the cache a first commit leaves
    result["ours warm"] = median_of(cmd("ours"), repo, env, runs)
    result["one process cold"] = median_of(cmd("one"), repo, env, runs, before=lambda: shutil.rmtree(cache, ignore_errors=True))
    subprocess.run(cmd("one"), cwd=repo, env=env, capture_output=True)
    result["one process warm"] = median_of(cmd("one"), repo, env, runs)
    plain = {**env, "LEGACY_CONFIG_HOOKS_NO_PREFILTER": "1"}  # before the git-grep prefilter (issue 27), same run
    result["warm, no prefilter"] = median_of(cmd("ours"), repo, plain, runs)
    per_hook = {h: median_of(cmd("ours", h), repo, env, runs) for h in hooks}
    result["hooks"] = per_hook
    result["hooks, no prefilter"] = {h: median_of(cmd("ours", h), repo, plain, runs) for h in WHOLE_REPO if h in hooks}
    result["load after"] = os.getloadavg()[0]
    shutil.rmtree(work, ignore_errors=True)
    return result


def show(result: dict[str, object]) -> None:
    peers = result["peers"]["cpu"]  # type: ignore[index]
    peers_wall = result["peers"]["wall"]  # type: ignore[index]
    print(f"\n{result['repo']}: {result['files']} files, staged {result['changed']}"
          f" (load average {result.get('load', 0):.1f} -> {result.get('load after', 0):.1f})")
    print(f"  {'run':<18} {'wall s':>8} {'CPU s':>8} {'CPU / peers':>12} {'wall / peers':>13}")
    for name in ("floor", "peers", "ours cold", "ours warm", "one process cold", "one process warm", "warm, no prefilter"):
        row = result[name]  # type: ignore[index]
        print(f"  {name:<18} {row['wall']:8.2f} {row['cpu']:8.2f} {row['cpu'] / peers:12.2f} {row['wall'] / peers_wall:13.2f}")
    hooks = sorted(result["hooks"].items(), key=lambda kv: -kv[1]["cpu"])  # type: ignore[attr-defined]
    floor = result["floor"]["cpu"]  # type: ignore[index]
    print("  per hook, warm, CPU above the floor: " + ", ".join(f"{h} {max(v['cpu'] - floor, 0):.2f}" for h, v in hooks[:6]))
    plain = result.get("hooks, no prefilter", {})
    print("  the same without the prefilter: " + ", ".join(f"{h} {max(v['cpu'] - floor, 0):.2f}" for h, v in plain.items()))  # type: ignore[attr-defined]
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repos", nargs="*", type=Path, help="real checkouts (git work trees)")
    parser.add_argument("--sizes", default="1000,10000,30000", help="generated repos of these many files ('' for none)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    snapshot = run_all.snapshot()
    hooks = run_all.default_hooks()
    targets = []
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        targets.append(run_all.prepare_target(Path(tempfile.gettempdir()) / f"lch-bench-commit-{size}", size))
    targets += args.repos
    results = []
    for target in targets:
        result = bench_repo(target, args.runs, snapshot, hooks)
        show(result)
        results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
