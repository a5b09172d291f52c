"""A one-file commit as the issue measured it: our default-stage hooks and the
peers both as ``language: system`` hooks (no environment set-up), through real
``pre-commit run`` on one staged settings module; CPU time (``os.wait4``), best
of N; with and without the git-grep prefilter, and each hook alone.

    python -m venv /tmp/venv-bench && /tmp/venv-bench/bin/pip install . -r bench/requirements.txt
    /tmp/venv-bench/bin/python bench/commit_local.py 2 /path/to/checkout ...

Run it with the interpreter of a regular (not editable) install: the hooks'
console scripts are taken from its ``bin``. Nothing here is a test.
"""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

V = str(Path(sys.executable).parent)
WT = str(Path(__file__).resolve().parent.parent)
sys.path.insert(0, WT)
spec = importlib.util.spec_from_file_location("c", f"{WT}/bench/commit.py")
assert spec and spec.loader
c = importlib.util.module_from_spec(spec)
spec.loader.exec_module(c)
import yaml  # noqa: E402

hooks = yaml.safe_load(open(f"{WT}/.pre-commit-hooks.yaml"))
ours = []
for h in hooks:
    st = h.get("stages")
    if st and "pre-commit" not in st or h["id"] == "all-checks":  # all-checks is timed on its own
        continue
    h = {**h, "language": "system", "entry": f"{V}/{h['entry']}"}
    h.pop("minimum_pre_commit_version", None)
    ours.append(h)
PEER_HOOKS = (("check-yaml", "check-yaml", "yaml"), ("check-json", "check-json", "json"), ("check-toml", "check-toml", "toml"),
              ("detect-secrets", "detect-secrets-hook", None))
one_process = [{"id": "all-checks", "name": "all-checks", "entry": f"{V}/legacy-config-checks", "language": "system",
                "always_run": True, "require_serial": True}]
peers = [{"id": i, "name": i, "entry": f"{V}/{e}", "language": "system", **({"types": [t]} if t else {})} for i, e, t in PEER_HOOKS]
def run(cmd, cwd, env):
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, u = os.wait4(p.pid, 0)
    return u.ru_utime + u.ru_stime
def best(cmd, cwd, env, n):
    return min(run(cmd, cwd, env) for _ in range(n))
for src in sys.argv[2:]:
    n = int(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="quick-"))
    repo = work / "repo"
    subprocess.run(["git", "clone", "-q", "--local", src, str(repo)], check=True)
    changed = c.stage_one_change(repo)
    files = len(subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True).stdout.splitlines())
    cfg = {k: work / f"{k}.yaml" for k in ("floor", "peers", "ours", "one")}
    cfg["floor"].write_text(json.dumps({"repos": []}))
    cfg["peers"].write_text(json.dumps({"repos": [{"repo": "local", "hooks": peers}]}))
    cfg["ours"].write_text(json.dumps({"repos": [{"repo": "local", "hooks": ours}]}))
    cfg["one"].write_text(json.dumps({"repos": [{"repo": "local", "hooks": one_process}]}))
    env = dict(os.environ, LEGACY_CONFIG_HOOKS_CACHE_DIR=str(work / "cache"), PRE_COMMIT_HOME=f"{WT}/.cache/commit-local-pc-home")
    pc = [f"{V}/pre-commit", "run"]
    run(pc + ["-c", str(cfg["ours"])], repo, env)  # cache warm
    load0 = os.getloadavg()[0]
    r = {"floor": best(pc + ["-c", str(cfg["floor"])], repo, env, n), "peers": best(pc + ["-c", str(cfg["peers"])], repo, env, n),
         "ours": best(pc + ["-c", str(cfg["ours"])], repo, env, n),
         "ours, one process": best(pc + ["-c", str(cfg["one"])], repo, env, n),
         "ours, no prefilter": best(pc + ["-c", str(cfg["ours"])], repo, {**env, "LEGACY_CONFIG_HOOKS_NO_PREFILTER": "1"}, n)}
    per = {h["id"]: best(pc + ["-c", str(cfg["ours"]), h["id"]], repo, env, n) - r["floor"] for h in ours}
    plain = {h: best(pc + ["-c", str(cfg["ours"]), h], repo, {**env, "LEGACY_CONFIG_HOOKS_NO_PREFILTER": "1"}, n) - r["floor"]
             for h in ("check-health-checks", "check-background-jobs", "check-security-settings")}
    load1 = os.getloadavg()[0]
    print(f"\n{Path(src).name}: {files} files, staged {changed}; load {load0:.1f} -> {load1:.1f}; CPU s, best of {n}")
    for k, v in r.items():
        print(f"  {k:20s} {v:6.2f}  {v / r['peers']:5.2f}x peers")
    top = sorted(per.items(), key=lambda kv: -kv[1])
    print("  per hook above floor: " + ", ".join(f"{h} {v:.2f}" for h, v in top[:7]))
    print("  without prefilter:    " + ", ".join(f"{h} {v:.2f}" for h, v in plain.items()))
    sys.stdout.flush()
    out = Path(WT) / ".cache" / "bench" / f"commit-local-{Path(src).name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"repo": Path(src).name, "files": files, **r, "hooks": per, "plain": plain, "load": [load0, load1]}))
    shutil.rmtree(work, ignore_errors=True)
