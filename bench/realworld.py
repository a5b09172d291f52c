"""Run every hook on checkouts of real public repositories, as a new user would.

    .venv/bin/python bench/realworld.py /tmp/real/rr/netbox /tmp/real/rr/saleor ...
    .venv/bin/python bench/realworld.py --sample 30 --seed 11 --out /tmp/rw.json /tmp/real/rr/*/

Each checkout must be a git work tree (``git init; git add -A; git commit``).
Every hook runs through real ``pre-commit run <id> --all-files`` with a config
written outside the checkout (``repo:`` this working tree, ``rev:`` its HEAD, so
commit first). Printed per repo and hook: findings, parse failures, notices
("nothing to check"), the time, and the repo's files by role. Notices at a
line ("needs Python >= 3.12 to parse", "Python 2 syntax") are listed apart,
as ``file_notices`` in ``--out``, and not counted among the findings. ``--peers`` also
times pre-commit-hooks' check-json/check-yaml/check-toml (install them with
``pip install -r bench/requirements.txt``) for the speed target of issue 11.
``--sample N`` prints a seeded sample of N findings per repo and hook, for review.
Nothing is written into the checkouts.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: its secrets.py would shadow the stdlib module
from hooks.config import formats, python_trees  # noqa: E402
from hooks.repo import roles  # noqa: E402

BIN = Path(sys.executable).parent
HOME = ROOT / ".cache" / "realworld-pre-commit-home"
# The path ends at the first ":<line>:<col>: <hook-id>: ", not at its first ':' (Alembic
# revision names hold times: versions/20150630_15:00:54_3183d344740d_x.py).
FINDING = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+):(?P<col>\d+): (?P<hook>[a-z0-9-]+): (?P<msg>.*)$")
# Case-sensitive "not valid": PostgreSQL's NOT VALID in a lock message is no parse failure.
PARSE = re.compile(r"cannot parse|cannot read|not valid (?:YAML|JSON|TOML|UTF-8)|(?i:invalid (?:YAML|JSON|TOML))")
# check-env-documented's: "no environment documentation: ...", "too little environment documentation ...",
# "N variable(s) read with a default, ...".
NOTICE = re.compile(r"^(?:[a-z0-9-]+: )?(?:nothing to \w+|no note needed|notice|skipped"
                    r"|no environment documentation|too little environment documentation"
                    r"|\d+ variables?(?:\(s\))? read with|\d+ documented variables?(?:\(s\))? that nothing)\b.*", re.I)
# Lines shaped like findings that are notices (docs/realworld.md, "How a held-out round is run and judged": listed
# apart, not counted): a module the hooks cannot parse on this Python (hooks.config.python_trees' messages).
# Python 2: "...; this file is not checked", or "...; this file was only scanned line by line" (no-inline-secrets)
FILE_NOTICE = re.compile(r"^(needs Python \u2265 \d+\.\d+ to parse\b|" + re.escape(python_trees.PYTHON2_MESSAGE.split(";")[0]) + ";)")
PEERS = ("check-json", "check-yaml", "check-toml")


def manifest_ids() -> list[str]:
    import yaml

    with open(ROOT / ".pre-commit-hooks.yaml", encoding="utf-8") as f:
        entries = yaml.safe_load(f)
    # Manual-stage writers (new-config-note) change files: not part of a check run.
    return [e["id"] for e in entries if "manual" not in e.get("stages", []) or len(e.get("stages", [])) > 1]


def head(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()


def resolve_rev(rev: str) -> str | None:
    """The full id of the commit ``rev`` names in this repository, or None when it names none. ``git rev-parse``
    alone echoes any 40-hex string unchecked, and pre-commit then skips every repo (exit 3), which read as
    "Skipped, 0 findings" on every checkout (held-out round 18's first run)."""
    found = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                           capture_output=True, text=True)
    return found.stdout.strip() if found.returncode == 0 and found.stdout.strip() else None


def write_config(path: Path, hook_ids: Sequence[str], rev: str, peers: bool) -> None:
    lines = ["repos:", f"- repo: {ROOT}", f"  rev: '{rev}'", "  hooks:"]
    lines += [f"  - id: {h}\n    verbose: true" for h in hook_ids]
    if peers:
        lines += ["- repo: local", "  hooks:"]
        for peer in PEERS:
            kind = peer.split("-")[1]
            lines += [
                f"  - id: {peer}", f"    name: {peer}", f"    entry: {BIN / peer}",
                "    language: system", f"    types: [{kind}]",
            ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def files_by_role(repo: Path) -> dict[str, int]:
    """Config-format files of the repo (what pre-commit would pass) per role."""
    listed = subprocess.run(["git", "-C", str(repo), "ls-files", "-z"], capture_output=True, check=True).stdout
    counts: dict[str, int] = collections.Counter()
    rules = roles.default()
    for raw in listed.split(b"\0"):
        if not raw:
            continue
        path = raw.decode("utf-8", "replace")
        if formats.detect(path) is None or (path.endswith(".py") and not formats.is_settings_module(path)):
            continue
        counts[rules.of(path).role] += 1
    return dict(counts)


def run_hook(repo: Path, config: Path, hook_id: str) -> dict[str, Any]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(HOME), PRE_COMMIT_COLOR="never", SKIP="")
    env.pop("GITHUB_ACTIONS", None)
    start = time.perf_counter()
    proc = subprocess.run(
        [str(BIN / "pre-commit"), "run", hook_id, "--all-files", "-c", str(config)],
        cwd=repo, capture_output=True, text=True, env=env,
    )
    seconds = time.perf_counter() - start
    return {"hook": hook_id, "seconds": round(seconds, 2), "exit": proc.returncode,
            **read_output(hook_id, proc.stdout, proc.stderr)}


def read_output(hook_id: str, stdout: str, stderr: str = "") -> dict[str, Any]:
    """One hook's pre-commit output as findings, parse failures, notices and file notices.

    ``findings`` holds the findings only. A line shaped like a finding that is a notice
    ("needs Python >= 3.12 to parse", "Python 2 syntax ... not checked") goes to
    ``file_notices`` (same fields as a finding), and the notices that name no line
    ("N more items with --strict") to ``notices``, as before. Run files written
    before ``file_notices`` existed counted those lines among ``findings``."""
    findings: list[dict[str, str]] = []
    file_notices: list[dict[str, str]] = []
    parse_failures: list[dict[str, str]] = []
    notices: list[str] = []
    other: list[str] = []
    for line in stdout.splitlines():
        match = FINDING.match(line)
        if match:
            item = match.groupdict()
            if PARSE.search(item["msg"]):
                parse_failures.append(item)
            else:
                (file_notices if FILE_NOTICE.match(item["msg"]) else findings).append(item)
        elif NOTICE.match(line.strip()) or (line.startswith(f"{hook_id}: ") and not line.startswith(f"{hook_id}: error")):
            notices.append(line.strip())  # every hook's notices start with its id
        elif "Traceback" in line or "Error" in line and "error:" in line:
            other.append(line.strip())
    status = "Passed" if "Passed" in stdout else "Failed" if "Failed" in stdout else "Skipped"
    return {
        "status": status, "findings": findings, "parse_failures": parse_failures, "notices": notices,
        "file_notices": file_notices, "traceback": "Traceback" in stdout + stderr, "other": other[:5],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", type=Path, help="git work trees of real repositories")
    parser.add_argument("--hooks", nargs="*", help="hook ids (default: every check in the manifest)")
    parser.add_argument("--rev", help="rev of this working tree to install (default: HEAD)")
    parser.add_argument("--peers", action="store_true", help="also time check-json/check-yaml/check-toml")
    parser.add_argument("--sample", type=int, default=0, metavar="N", help="print N seeded findings per repo and hook")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, help="write every result as JSON")
    args = parser.parse_args(argv)
    hook_ids = args.hooks or manifest_ids()
    rev = resolve_rev(args.rev or "HEAD")
    if rev is None:
        print(f"realworld.py: --rev {args.rev}: not a commit of {ROOT}; nothing was run", file=sys.stderr)
        return 2
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "pre-commit-config.yaml"
        write_config(config, hook_ids, rev, args.peers)
        run_ids = list(hook_ids) + (list(PEERS) if args.peers else [])
        for repo in args.repos:
            repo = repo.resolve()
            by_role = files_by_role(repo)
            print(f"\n== {repo.name} @ {head(repo)[:10]}: config files by role: "
                  + ", ".join(f"{k} {v}" for k, v in sorted(by_role.items(), key=lambda kv: -kv[1])))
            print(f"{'hook':28} {'findings':>8} {'parse':>6} {'time s':>7}  status / notices")
            for hook_id in run_ids:
                result = run_hook(repo, config, hook_id)
                result["repo"] = repo.name
                results.append(result)
                note = result["status"] + ("; TRACEBACK" if result["traceback"] else "")
                if result["file_notices"]:
                    note += f"; {len(result['file_notices'])} file notice{'s' if len(result['file_notices']) != 1 else ''} (not counted)"
                if result["notices"]:
                    note += "; " + " | ".join(result["notices"][:2])
                print(f"{hook_id:28} {len(result['findings']):>8} {len(result['parse_failures']):>6} "
                      f"{result['seconds']:>7.1f}  {note}")
                for failure in result["parse_failures"][:10]:
                    print(f"    parse: {failure['path']}: {failure['msg'][:100]}")
                for item in result["file_notices"][:10]:
                    print(f"    notice: {item['path']}:{item['line']}: {item['msg'][:100]}")
            results.append({"repo": repo.name, "roles": by_role})
    print("\n== totals per hook")
    totals: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0, 0, 0, 0.0])
    for r in results:
        if "hook" in r:
            t = totals[r["hook"]]
            t[0] += len(r["findings"])
            t[1] += len(r["parse_failures"])
            t[2] += len(r.get("file_notices", []))
            t[3] += len(r["notices"])
            t[4] += r["seconds"]
    for hook_id, (n, p, fn, nn, s) in totals.items():
        print(f"{hook_id:28} findings {int(n):>6}  parse failures {int(p):>4}  "
              f"notices (not counted) {int(fn):>4} at a line + {int(nn):>4} other  time {s:7.1f} s")
    if args.sample:
        rng = random.Random(args.seed)
        print(f"\n== seeded sample (seed {args.seed}, up to {args.sample} per repo and hook)")
        for r in results:
            if r.get("findings"):
                chosen = r["findings"] if len(r["findings"]) <= args.sample else rng.sample(r["findings"], args.sample)
                for f in chosen:
                    print(f"{r['repo']}: {f['path']}:{f['line']}: {f['hook']}: {f['msg']}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
