"""check-env-documented against ``git grep`` on a generated repo of Python files.

    python bench/env_documented.py [--files 10000] [--runs 5] [--keep DIR]

The repo: ``--files`` Python modules of 2-4 KB in packages of 100 (models,
views, services, tasks: classes, functions, logging, the odd ``config``
word), about 3 % of them reading the environment in one of the forms the hook
knows (``os.environ``, ``os.getenv``, django-environ, decouple, pydantic
settings), one settings module per package, a ``.env.example`` that documents
most of the variables, a compose file and a Dockerfile. It is committed, so
``git ls-files`` and ``git grep`` see it as a real repo.

The peer: ``git grep -l -E 'environ|getenv|config\\(|env\\.'``, the cheapest
search that lists the files a person would have to read to do this check by
hand. The target (issue 13): the hook's wall time at most 3x the peer's plus
Python start-up (``python -c pass``). Each command runs ``--runs`` times after
one warm-up; the best time counts.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Sequence

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("invoice customer order payment refund ledger account report export import sync batch queue "
         "worker cache session token audit event notify email webhook retry limit window").split()
READ_FORMS = (
    'import os\n\n{name}_SETTING = os.environ.get("{name}", "{default}")\n',
    'import os\n\n{name}_SETTING = os.getenv("{name}")\n',
    'import os\n\nif "{name}" in os.environ:\n    ENABLED = True\n',
    'import environ\n\nenv = environ.Env()\n{name}_SETTING = env.int("{name}", default=3)\n',
    'from decouple import config\n\n{name}_SETTING = config("{name}", default="{default}")\n',
    'from pydantic_settings import BaseSettings\n\n\nclass {cls}Settings(BaseSettings):\n    {field}: str = "{default}"\n',
)


def _module(rng: random.Random, index: int, reads: bool, names: List[str]) -> str:
    w = [rng.choice(WORDS) for _ in range(6)]
    cls = "".join(x.title() for x in w[:2])
    parts = [f'"""{w[0].title()} {w[1]} {w[2]}: generated module {index}."""\n', "from __future__ import annotations\n\n",
             "import logging\nfrom dataclasses import dataclass\n\n", "log = logging.getLogger(__name__)\n\n"]
    if reads:
        name = f"{w[3].upper()}_{w[4].upper()}_{index}"
        names.append(name)
        form = READ_FORMS[index % len(READ_FORMS)]
        parts.append(form.format(name=name, default=w[5], cls=cls, field=name.lower()) + "\n")
    for k in range(rng.randint(3, 6)):
        parts.append(
            f"\n@dataclass\nclass {cls}{k}:\n    {w[k % 6]}_id: int\n    amount: float = 0.0\n\n"
            f"    def total(self, rate: float) -> float:\n        log.debug(\"{w[2]} %s\", self.{w[k % 6]}_id)\n"
            f"        return self.amount * rate + {rng.randint(1, 99)}\n\n\n"
            f"def {w[(k + 1) % 6]}_{w[(k + 2) % 6]}_{k}(items: list[{cls}{k}], config: dict) -> list[float]:\n"
            f"    limit = config.get(\"{w[3]}_limit\", {rng.randint(10, 500)})\n"
            f"    return [item.total(1.0) for item in items[:limit]]\n"
        )
    return "".join(parts)


def generate(target: Path, files: int, seed: int = 13) -> Dict[str, int]:
    rng = random.Random(seed)
    names: List[str] = []
    for i in range(files):
        package = target / f"svc{i // 100:03d}"
        package.mkdir(parents=True, exist_ok=True)
        reads = rng.random() < 0.03
        (package / f"mod_{i:05d}.py").write_text(_module(rng, i, reads, names), encoding="utf-8")
    documented = [n for n in names if rng.random() < 0.9] + ["LEGACY_DEAD_ONE", "LEGACY_DEAD_TWO"]
    (target / ".env.example").write_text("".join(f"{n}=\n" for n in documented), encoding="utf-8")
    (target / "docker-compose.yml").write_text(
        "services:\n  web:\n    build: .\n    environment:\n      - DATABASE_URL=${DATABASE_URL}\n", encoding="utf-8")
    (target / "Dockerfile").write_text("FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\n", encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "generated", "--no-verify"]):
        subprocess.run(["git", *args], cwd=target, check=True, env=env)
    return {"reads": len(names), "documented": len(documented)}


def best(cmd: Sequence[str], cwd: Path, runs: int, env: Dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    subprocess.run(cmd, cwd=cwd, capture_output=True, env=env)  # warm-up: page cache, git index
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - start)
    assert result is not None
    return min(times), result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    args = parser.parse_args(argv)
    target = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="env-documented-"))
    try:
        if not (target / ".git").exists():
            target.mkdir(parents=True, exist_ok=True)
            stats = generate(target, args.files)
        else:
            stats = {"reads": -1, "documented": -1}
        env = {**os.environ, "PYTHONPATH": str(ROOT)}  # byte-compiled once, as an installed hook is
        env = {k: v for k, v in env.items() if not k.startswith(("PRE_COMMIT", "LEGACY_CONFIG_HOOKS_"))}
        grep_t, grep = best(["git", "grep", "-l", "-E", r"environ|getenv|config\(|env\."], target, args.runs, env)
        start_t, _ = best([sys.executable, "-c", "pass"], target, args.runs, env)
        hook_t, hook = best([sys.executable, "-m", "hooks.check_env_documented"], target, args.runs, env)
        if hook.returncode not in (0, 1) or "Traceback" in hook.stderr:
            print(hook.stdout, hook.stderr, file=sys.stderr)
            return 2
        findings = [line for line in hook.stdout.splitlines() if ": check-env-documented: " in line]
        budget = 3 * grep_t + start_t
        size = sum(p.stat().st_size for p in target.rglob("*.py"))
        print(f"repo: {args.files} Python files, {size / 1e6:.1f} MB, {stats['reads']} reads, "
              f"{stats['documented']} documented entries; git grep lists {len(grep.stdout.splitlines())} files")
        print("| command | best of %d |" % args.runs)
        print("|---|---|")
        print(f"| `git grep -l -E 'environ|getenv|config\\(|env\\.'` | {grep_t * 1000:.0f} ms |")
        print(f"| `python -c pass` (start-up) | {start_t * 1000:.0f} ms |")
        print(f"| `check-env-documented` | {hook_t * 1000:.0f} ms ({len(findings)} findings) |")
        print(f"| budget: 3 x git grep + start-up | {budget * 1000:.0f} ms |")
        print(f"ratio (hook - start-up) / git grep: {(hook_t - start_t) / grep_t:.2f}x; "
              f"{'within' if hook_t <= budget else 'OVER'} the target")
        return 0 if hook_t <= budget else 1
    finally:
        if not args.keep:
            shutil.rmtree(target, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
