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
Python start-up (``python -c pass``). The three commands run in turn,
``--runs`` rounds after a warm-up round, so the load of a shared machine
falls on all of them alike; the verdict is the median per-round ratio
``(hook - start-up) / git grep``. CPU time (process and children) is shown
too: it moves less with the machine's load than wall time does.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

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


def _module(rng: random.Random, index: int, reads: bool, names: list[str]) -> str:
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


def generate(target: Path, files: int, seed: int = 13) -> dict[str, int]:
    rng = random.Random(seed)
    names: list[str] = []
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


def timed(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds of the process and its children, result)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result


def rounds(commands: dict[str, Sequence[str]], cwd: Path, runs: int, env: dict[str, str]) -> dict[str, list]:
    """Each round runs every command once, one after the other, so a busy
    moment on a shared machine hits all of them alike; one warm-up round."""
    for cmd in commands.values():
        subprocess.run(cmd, cwd=cwd, capture_output=True, env=env)
    out: dict[str, list] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            out[name].append(timed(cmd, cwd, env))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    args = parser.parse_args(argv)
    target = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="env-documented-"))
    try:
        if not (target / ".git").exists():
            target.mkdir(parents=True, exist_ok=True)
            stats = generate(target, args.files)
        else:
            stats = {"reads": -1, "documented": -1}
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        # byte-compiled once (the warm-up round), as an installed hook is
        env = {k: v for k, v in env.items()
               if not k.startswith(("PRE_COMMIT", "LEGACY_CONFIG_HOOKS_")) and k != "PYTHONDONTWRITEBYTECODE"}
        got = rounds({
            "grep": ["git", "grep", "-l", "-E", r"environ|getenv|config\(|env\."],
            "start": [sys.executable, "-c", "pass"],
            "hook": [sys.executable, "-m", "hooks.checks.check_env_documented"],
        }, target, args.runs, env)
        hook = got["hook"][-1][2]
        if hook.returncode not in (0, 1) or "Traceback" in hook.stderr:
            print(hook.stdout, hook.stderr, file=sys.stderr)
            return 2
        findings = [line for line in hook.stdout.splitlines() if ": check-env-documented: " in line]
        grep = got["grep"][-1][2]
        size = sum(p.stat().st_size for p in target.rglob("*.py"))
        ratios = sorted((h[0] - s[0]) / g[0] for g, s, h in zip(got["grep"], got["start"], got["hook"]))
        within = sum(h[0] <= 3 * g[0] + s[0] for g, s, h in zip(got["grep"], got["start"], got["hook"]))
        med = statistics.median
        print(f"repo: {args.files} Python files, {size / 1e6:.1f} MB, {stats['reads']} reads, "
              f"{stats['documented']} documented entries; git grep lists {len(grep.stdout.splitlines())} files; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"| command ({args.runs} interleaved rounds) | wall, median | wall, best | CPU, median |")
        print("|---|---|---|---|")
        labels = {"grep": "`git grep -l -E 'environ|getenv|config\\(|env\\.'`", "start": "`python -c pass` (start-up)",
                  "hook": f"`check-env-documented` ({len(findings)} findings)"}
        for name, label in labels.items():
            walls = [w for w, _, _ in got[name]]
            cpus = [c for _, c, _ in got[name]]
            print(f"| {label} | {med(walls) * 1000:.0f} ms | {min(walls) * 1000:.0f} ms | {med(cpus) * 1000:.0f} ms |")
        print(f"(hook - start-up) / git grep, per round: median {med(ratios):.2f}x, best {ratios[0]:.2f}x, "
              f"worst {ratios[-1]:.2f}x; within 3x + start-up in {within} of {args.runs} rounds")
        return 0 if med(ratios) <= 3 else 1
    finally:
        if not args.keep:
            shutil.rmtree(target, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
