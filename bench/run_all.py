"""Benchmark the collection: whole processes, several runs each, medians, and
ratios measured in the same run (never absolute timings in tests).

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/run_all.py            # full run (about 100 MB and 300 MB repos)
    .venv/bin/python bench/run_all.py --quick    # reduced sizes, one run each

1. Start-up: each hook's console script on one small file vs ``python -c pass``
   (target: at most 4x), ``-X importtime`` top entries for the slowest hook, and
   which format stacks a YAML-only run imports (target: none but YAML's).
2. ``pre-commit run --all-files`` with all our hooks vs the peer set
   (pre-commit-hooks' check-yaml, check-json, check-toml and detect-secrets-hook)
   over a generated repo of 10,000 config files and over ../shared/corpus
   (target: ours faster).
3. Scaling of our run at 1,000 / 10,000 / 30,000 files: time per file (target:
   10x files at most 11x time) and peak RSS of the largest process (target: at
   most +50 MB), and that hooks needing several files read each file once.

Our hooks run from a git snapshot of this working tree (``repo: <snapshot>``
with its rev, as tests/conftest.py does); the peers run as ``repo: local``,
``language: system`` hooks pointing at console scripts in this venv (no network
to GitHub is needed).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: its secrets.py would shadow the stdlib module
from bench import generate_repo  # noqa: E402  (bench/ is a namespace package)
from tests.helpers.reliability import CORPUS  # noqa: E402
from tests.helpers.reliability import hooks as manifest_hooks  # noqa: E402

BIN = Path(sys.executable).parent
CACHE = ROOT / ".cache"
HOME = CACHE / "bench-pre-commit-home"
FORMAT_STACKS = ("configparser", "configobj", "tomllib", "tomli", "tomlkit", "dotenv", "javaproperties")
PEERS = [
    {"id": "check-yaml", "name": "check-yaml", "entry": str(BIN / "check-yaml"), "language": "system", "types": ["yaml"]},
    {"id": "check-json", "name": "check-json", "entry": str(BIN / "check-json"), "language": "system", "types": ["json"]},
    {"id": "check-toml", "name": "check-toml", "entry": str(BIN / "check-toml"), "language": "system", "types": ["toml"]},
    {"id": "detect-secrets", "name": "detect-secrets", "entry": str(BIN / "detect-secrets-hook"), "language": "system"},
]


# -- measuring ---------------------------------------------------------------
def measure(cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None, out: Path | None = None) -> tuple[float, int, int]:
    """Wall time, peak RSS (KB) of the largest process in the tree, exit code."""
    sink = open(out, "wb") if out else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if out:
            sink.close()  # type: ignore[union-attr]
    return elapsed, usage.ru_maxrss, proc.returncode


def repeat(cmd: Sequence[str], cwd: Path, runs: int, env: dict[str, str] | None = None) -> dict[str, float]:
    times, rss, codes = [], [], set()
    for _ in range(runs):
        t, m, code = measure(cmd, cwd, env)
        times.append(t)
        rss.append(m)
        codes.add(code)
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "rss_kb": max(rss), "codes": sorted(codes)}


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "LEGACY_CONFIG_HOOKS_"))}
    e.pop("GITHUB_ACTIONS", None)
    e.update(PRE_COMMIT_HOME=str(HOME), PRE_COMMIT_COLOR="never", SKIP="")
    return e


def git(cwd: Path, *args: str) -> None:
    e = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
         "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}
    subprocess.run(["git", *args], cwd=cwd, env=e, check=True, capture_output=True)


# -- 1. start-up ------------------------------------------------------------
def startup(runs: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    git(work, "init", "-q", "-b", "main")
    git(work, "commit", "-q", "--allow-empty", "-m", "init")
    (work / "config").mkdir()
    (work / "config" / "production.yaml").write_text("service:\n  name: billing\n  port: 8080\ndebug: false\n")
    (work / ".legacy-keys.yaml").write_text("renamed:\n  cache.timeout: cache.ttl\n")
    bare = repeat([sys.executable, "-c", "pass"], work, runs)
    rows = {}
    for hook in manifest_hooks():
        if "manual" in hook.stages and "pre-commit" not in hook.stages:
            continue  # a helper run by hand, not on every commit
        args = ["config/production.yaml"] if hook.pass_filenames else []
        rows[hook.id] = repeat(hook.command(*args), work, runs)
        rows[hook.id]["ratio"] = rows[hook.id]["median"] / bare["median"]
    worst = max(rows, key=lambda h: rows[h]["median"])
    hook = next(h for h in manifest_hooks() if h.id == worst)
    imports = {}
    for h in manifest_hooks():
        if h.id not in rows:
            continue
        args = ["config/production.yaml"] if h.pass_filenames else []
        result = subprocess.run(h.command(*args), cwd=work, capture_output=True, text=True,
                                env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"})
        imports[h.id] = parse_importtime(result.stderr)
    stacks = {h: sorted({m.split(".")[0] for m in mods} & set(FORMAT_STACKS)) for h, mods in imports.items()}
    top = sorted(imports[worst].items(), key=lambda kv: -kv[1])[:12]
    shutil.rmtree(work, ignore_errors=True)
    return {"bare": bare, "hooks": rows, "worst": worst, "worst_cmd": " ".join(hook.command("config/production.yaml")),
            "importtime_top": top, "yaml_only_format_stacks": stacks}


def parse_importtime(stderr: str) -> dict[str, int]:
    """module -> cumulative import time in microseconds."""
    out = {}
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|\s+(.*)$", line)
        if m:
            out[m.group(3).strip()] = int(m.group(2))
    return out


# -- pre-commit runs -------------------------------------------------------
def snapshot() -> tuple[Path, str]:
    from tests.conftest import _snapshot  # the same snapshot the end-to-end tests use

    repo = _snapshot()
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()
    return repo, rev


ONE_PROCESS = "all-checks"  # every default-stage check in one process: timed on its own, never beside the singles


def default_hooks() -> list[str]:
    """Our single hooks a commit runs (default stage), without all-checks (it would run every check twice)."""
    return [h.id for h in manifest_hooks()
            if (not h.stages or "pre-commit" in h.stages) and h.id != ONE_PROCESS]


def our_config(repo: Path, rev: str, ids: list[str] | None = None) -> str:
    """Our hooks from the snapshot: ``ids``, by default every single default-stage hook."""
    ids = default_hooks() if ids is None else ids
    return json.dumps({"repos": [{"repo": str(repo), "rev": rev, "hooks": [{"id": i} for i in ids]}]})


def peer_config() -> str:
    return json.dumps({"repos": [{"repo": "local", "hooks": PEERS}]})


def prepare_target(path: Path, files: int, seed: int = 7) -> Path:
    if (path / ".git").exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    generate_repo.generate(path, files, seed)
    generate_repo.git_commit(path)
    return path


def corpus_target(path: Path) -> Path:
    if not (path / ".git").exists():
        shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(CORPUS, path)
        git(path, "init", "-q", "-b", "main")
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", "corpus", "--no-verify")
    return path


_WARM: set = set()  # targets run at least once (the first one after a warm-up)


def pre_commit(target: Path, config: str, runs: int, tag: str) -> dict:
    """Median of ``runs`` timed runs. Our first run over a target is an untimed
    warm-up (hook env, page cache); the peers run after ours on the same files,
    so the cache is warm for them too. Findings are counted from the first log."""
    cfg = target.parent / f"{target.name}.{tag}.pre-commit-config.yaml"
    cfg.write_text(config)
    cmd = [str(BIN / "pre-commit"), "run", "--all-files", "-c", str(cfg)]
    log = target.parent / f"{target.name}.{tag}.log"
    times, rss = [], []
    log.unlink(missing_ok=True)
    if tag == "ours" and not _WARM:  # once per bench run: the hook env is shared
        measure(cmd, target, env(), log)
    _WARM.add(target)
    for i in range(runs):
        t, m, _ = measure(cmd, target, env(), log if i == 0 else None)
        times.append(t)
        rss.append(m)
    text = log.read_text(errors="replace") if log.exists() else ""
    return {
        "median": statistics.median(times), "min": min(times), "max": max(times), "rss_kb": max(rss),
        "findings": sum(1 for line in text.splitlines() if re.match(r"^\S.*:\d+:\d+: [a-z-]+: ", line)),
        "failed_hooks": len(re.findall(r"\.Failed$", text, re.M)),
    }


def reads_once(target: Path) -> dict:
    """Open counts per file for the hooks that read partners (parity) or notes."""
    code = (
        "import collections, os, sys\n"
        "counts = collections.Counter()\n"
        "root = os.getcwd()\n"
        "def audit(event, args):\n"
        "    if event == 'open' and isinstance(args[0], str):\n"
        "        p = os.path.abspath(args[0])\n"
        "        if p.startswith(root + os.sep) and '/.git/' not in p:\n"
        "            counts[p] += 1\n"
        "sys.addaudithook(audit)\n"
        "import importlib\n"
        "module = importlib.import_module(sys.argv[1])\n"
        "try:\n"
        "    module.main(sys.argv[2:])\n"
        "finally:\n"
        "    import json\n"
        "    print(json.dumps({'files': len(counts), 'max': max(counts.values(), default=0)}), file=sys.stderr)\n"
    )
    out = {}
    names = subprocess.run(["git", "ls-files"], cwd=target, capture_output=True, text=True, check=True).stdout.split()
    for module, args in (("hooks.checks.check_staging_parity", names), ("hooks.checks.require_rollback_note", [])):
        try:
            __import__(module)
        except ImportError:
            continue
        result = subprocess.run([sys.executable, "-c", code, module, *args], cwd=target, capture_output=True, text=True)
        last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "{}"
        try:
            out[module.split(".")[-1]] = json.loads(last)
        except ValueError:
            out[module.split(".")[-1]] = {"error": last}
    return out


# -- report ----------------------------------------------------------------
def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "platform": platform.platform()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller repos and fewer runs (a smoke run)")
    parser.add_argument("--runs", type=int, help="timed runs per pre-commit measurement (default 3, quick 1)")
    parser.add_argument("--big-runs", type=int, help="timed runs over the 10,000-file repo (default 2, quick 1)")
    parser.add_argument("--startup-runs", type=int, help="timed runs per start-up measurement (default 15, quick 5)")
    parser.add_argument("--scaling-runs", type=int, help="timed runs per scaling size (default 1)")
    parser.add_argument("--sizes", help="scaling sizes, three comma-separated file counts (default 1000,10000,30000)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--skip", action="append", default=[], choices=["startup", "peers", "scaling"])
    args = parser.parse_args()
    runs = args.runs or (1 if args.quick else 3)
    big_runs = args.big_runs or (1 if args.quick else 2)
    startup_runs = args.startup_runs or (5 if args.quick else 15)
    scaling_runs = args.scaling_runs or 1
    big = 1_000 if args.quick else 10_000
    sizes = (300, 1_000, 3_000) if args.quick else (1_000, 10_000, 30_000)
    if args.sizes:
        sizes = tuple(int(n) for n in args.sizes.split(","))
    work = CACHE / "bench"
    work.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine": machine(), "quick": args.quick, "runs": runs}
    print(f"machine: {report['machine']}")

    if "startup" not in args.skip:
        s = startup(startup_runs)
        report["startup"] = s
        print(f"\n## 1. start-up ({startup_runs} runs, median)\n")
        print("| command | median s | ratio to python -c pass |\n|---|---|---|")
        print(f"| python -c pass | {s['bare']['median']:.3f} | 1.00 |")
        for h, r in sorted(s["hooks"].items(), key=lambda kv: -kv[1]["median"]):
            print(f"| {h} | {r['median']:.3f} | {r['ratio']:.2f}{' (over 4x)' if r['ratio'] > 4 else ''} |")
        print(f"\nslowest: {s['worst']}; top imports (cumulative us):")
        for mod, us in s["importtime_top"]:
            print(f"  {us:>8}  {mod}")
        print("\nformat stacks imported by a YAML-only run:")
        for h, stacks in s["yaml_only_format_stacks"].items():
            print(f"  {h}: {', '.join(stacks) if stacks else 'none (lazy imports hold)'}")

    repo, rev = snapshot()
    try:
        if "peers" not in args.skip:
            report["peers"] = {}
            # The corpus first: its run is the warm-up that builds the hook env.
            targets = {"shared corpus": corpus_target(work / "corpus"), f"generated {big} files": prepare_target(work / f"gen-{big}", big)}
            print(f"\n## 2. pre-commit run --all-files: ours vs peers (median of {runs} runs; {big_runs} over the generated repo)\n")
            print("| input | ours s | peers s | ours/peers | ours findings | ours peak RSS MB | peers peak RSS MB |\n|---|---|---|---|---|---|---|")
            for label, target in targets.items():
                n = big_runs if label.startswith("generated") else runs
                ours = pre_commit(target, our_config(repo, rev), n, "ours")
                peers = pre_commit(target, peer_config(), n, "peers")
                report["peers"][label] = {"ours": ours, "peers": peers, "ratio": ours["median"] / peers["median"]}
                print(f"| {label} | {ours['median']:.1f} | {peers['median']:.1f} | {ours['median'] / peers['median']:.2f} | "
                      f"{ours['findings']} | {ours['rss_kb'] / 1024:.0f} | {peers['rss_kb'] / 1024:.0f} |")
        if "scaling" not in args.skip:
            report["scaling"] = {}
            print(f"\n## 3. scaling of our pre-commit run ({scaling_runs} run(s) per size)\n")
            print("| files | MB | s | ms per file | peak RSS MB |\n|---|---|---|---|---|")
            for n in sizes:
                target = prepare_target(work / f"gen-{n}", n)
                mb = sum(p.stat().st_size for p in target.rglob("*") if p.is_file() and ".git" not in p.parts) / 1e6
                known = report.get("peers", {}).get(f"generated {n} files")
                r = known["ours"] if known else pre_commit(target, our_config(repo, rev), scaling_runs, "ours")
                report["scaling"][n] = {**r, "mb": mb}
                print(f"| {n} | {mb:.0f} | {r['median']:.1f} | {1000 * r['median'] / n:.2f} | {r['rss_kb'] / 1024:.0f} |")
            first = report["scaling"][sizes[0]]
            summary = {}
            for n in sizes[1:]:
                r = report["scaling"][n]
                files_x, time_x = n / sizes[0], r["median"] / first["median"]
                # Linear: the time ratio stays within 1.1x the files ratio (10x files <= 11x time).
                print(f"x{files_x:g} files ({sizes[0]} -> {n}): x{time_x:.2f} time (target <= x{1.1 * files_x:g}); "
                      f"peak RSS {(r['rss_kb'] - first['rss_kb']) / 1024:+.0f} MB (target <= +50)")
                summary[n] = {"files_x": files_x, "time_x": time_x, "rss_growth_mb": (r["rss_kb"] - first["rss_kb"]) / 1024}
            report["scaling_summary"] = summary
            once = reads_once(prepare_target(work / f"gen-{sizes[0]}", sizes[0]))
            report["reads_once"] = once
            print(f"\nopens per file ({sizes[0]} files): {json.dumps(once)}")
    finally:
        shutil.rmtree(repo, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
