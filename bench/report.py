"""Time ``legacy-config-report`` against ``pre-commit run --all-files`` with
every hook, on the generated repo (bench/generate_repo.py), and check that
both find the same number of problems.

    .venv/bin/python bench/report.py                        # 1,000 / 10,000 / 30,000 files
    .venv/bin/python bench/report.py --sizes 300,1000 --json .cache/bench/report.json

Target (issue 17): the report takes at most 0.5x the time of pre-commit,
because it parses each file once for every hook and starts one process.
pre-commit runs our hooks from a git snapshot of this working tree (as
bench/run_all.py does; its first run is an untimed warm-up that builds the
hook environment); the report runs from this venv, once with one process
(``--jobs 1``) and once with as many as pre-commit uses (``--jobs N``,
N = CPU count). Every default-stage hook runs as its single hook (all-checks
would run every check twice; ``--one-process`` times it alone too). The result
cache lives in a folder of its own: each pre-commit run and the report's first
runs start with it empty (cold); "report warm" is a second report run through
the cache the first left. Whole processes are timed with ``os.wait4``: wall time, CPU
time of the whole process tree (user + sys; the robust figure on a shared
machine) and the peak RSS of the largest process.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: its secrets.py would shadow the stdlib module
from bench.run_all import BIN, CACHE, ONE_PROCESS, env, machine, our_config, prepare_target, snapshot  # noqa: E402

RESULT_CACHE = CACHE / "bench" / "report-result-cache"


def bench_env() -> dict[str, str]:
    """run_all's environment with the result cache in a folder of its own, emptied before each cold run."""
    return {**env(), "LEGACY_CONFIG_HOOKS_CACHE_DIR": str(RESULT_CACHE)}


def clear_cache() -> None:
    shutil.rmtree(RESULT_CACHE, ignore_errors=True)


def measure(cmd: Sequence[str], cwd: Path, out: Path | None = None) -> tuple[float, float, int, int]:
    """Wall time, CPU time (user + sys of the whole process tree: wait4 counts
    the descendants each process waited for), peak RSS (KB) of the largest
    process, exit code. CPU time is what to compare on a shared machine."""
    sink = open(out, "wb") if out else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=bench_env(), stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    finally:
        if out:
            sink.close()  # type: ignore[union-attr]
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def pre_commit(target: Path, config: str, runs: int, warm: bool, tag: str = "ours") -> dict[str, Any]:
    """``pre-commit run --all-files`` with every default hook, each timed run
    with an empty result cache (cold, as the report's first run); the first run
    over a new snapshot is an untimed warm-up (it builds the hook env)."""
    cfg = target.parent / f"{target.name}.{tag}.pre-commit-config.yaml"
    cfg.write_text(config)
    cmd = [str(BIN / "pre-commit"), "run", "--all-files", "-c", str(cfg)]
    log = target.parent / f"{target.name}.{tag}.log"
    if warm:
        measure(cmd, target)
    walls, cpus, rss = [], [], []
    for i in range(runs):
        clear_cache()
        t, c, m, _ = measure(cmd, target, log if i == 0 else None)
        walls.append(t)
        cpus.append(c)
        rss.append(m)
    text = log.read_text(errors="replace")
    return {
        "median": statistics.median(walls), "cpu": statistics.median(cpus), "rss_kb": max(rss),
        "findings": sum(1 for line in text.splitlines() if re.match(r"^\S.*:\d+:\d+: [a-z-]+: ", line)),
    }


def report_run(target: Path, jobs: int, runs: int, cold: bool = True) -> dict[str, Any]:
    """The report, each timed run with an empty result cache (``cold``) or with
    the one the run before left."""
    out = target.parent / f"{target.name}.report.json"
    cmd = [str(BIN / "legacy-config-report"), "--no-history", "--no-progress", "--jobs", str(jobs), "-o", str(out)]
    times, cpus, rss = [], [], []
    if not cold:
        measure(cmd, target)  # the cache a first run leaves
    for _ in range(runs):
        if cold:
            clear_cache()
        t, c, m, code = measure(cmd, target)
        assert code == 0, f"report exited {code}"
        times.append(t)
        cpus.append(c)
        rss.append(m)
    data = json.loads(out.read_text())
    return {
        "median": statistics.median(times), "cpu": statistics.median(cpus), "rss_kb": max(rss),
        "findings": data["totals"]["open"] + data["totals"]["baselined"],
        "per_hook": {h["id"]: h["open"] + h["baselined"] for h in data["hooks"]},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,30000", help="file counts (default 1000,10000,30000)")
    parser.add_argument("--runs", type=int, default=1, help="timed runs per measurement (default 1)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--no-parallel", action="store_true", help="skip the report with N processes (saves time)")
    parser.add_argument("--one-process", action="store_true", help="also time pre-commit with all-checks alone")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = CACHE / "bench"
    work.mkdir(parents=True, exist_ok=True)
    repo, rev = snapshot()
    config = our_config(repo, rev)
    jobs = os.cpu_count() or 1
    rows: list[dict[str, Any]] = []
    for index, n in enumerate(sizes):
        target = prepare_target(work / f"gen-{n}", n)
        ours = pre_commit(target, config, args.runs, warm=index == 0)
        one = report_run(target, 1, args.runs)
        warm = report_run(target, 1, args.runs, cold=False)
        many = one if args.no_parallel else report_run(target, jobs, args.runs)
        row = {
            "files": n,
            "pre_commit_s": round(ours["median"], 2), "pre_commit_cpu_s": round(ours["cpu"], 2),
            "pre_commit_findings": ours["findings"],
            "pre_commit_rss_mb": round(ours["rss_kb"] / 1024),
            "report_s": round(one["median"], 2), "report_cpu_s": round(one["cpu"], 2),
            "report_rss_mb": round(one["rss_kb"] / 1024),
            f"report_jobs{jobs}_s": round(many["median"], 2),
            "report_findings": one["findings"],
            "report_warm_s": round(warm["median"], 2), "report_warm_cpu_s": round(warm["cpu"], 2),
            "warm_cpu_ratio": round(warm["cpu"] / ours["cpu"], 3),
            "ratio": round(one["median"] / ours["median"], 3),
            "cpu_ratio": round(one["cpu"] / ours["cpu"], 3),
            f"ratio_jobs{jobs}": round(many["median"] / ours["median"], 3),
            "per_hook": one["per_hook"],
        }
        if args.one_process:
            all_checks = pre_commit(target, our_config(repo, rev, [ONE_PROCESS]), args.runs, False, "all-checks")
            row.update({"all_checks_s": round(all_checks["median"], 2), "all_checks_cpu_s": round(all_checks["cpu"], 2),
                        "all_checks_findings": all_checks["findings"],
                        "cpu_ratio_vs_all_checks": round(one["cpu"] / all_checks["cpu"], 3)})
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "per_hook"}), flush=True)
    print()
    print(
        f"| files | pre-commit wall s | CPU s | report wall s (1 process) | CPU s | wall ratio | CPU ratio "
        f"| report wall s ({jobs} processes) | wall ratio | findings (pre-commit / report) | RSS pre-commit / report "
        f"| report warm CPU s | warm CPU ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['files']:,} | {r['pre_commit_s']} | {r['pre_commit_cpu_s']} | {r['report_s']} | {r['report_cpu_s']} "
            f"| {r['ratio']} | **{r['cpu_ratio']}** | {r[f'report_jobs{jobs}_s']} | {r[f'ratio_jobs{jobs}']} "
            f"| {r['pre_commit_findings']:,} / {r['report_findings']:,} | {r['pre_commit_rss_mb']} / {r['report_rss_mb']} MB "
            f"| {r['report_warm_cpu_s']} | {r['warm_cpu_ratio']} |"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": machine(), "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
