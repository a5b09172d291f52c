"""Generate a deterministic legacy-style repo of config files in mixed formats.

    python bench/generate_repo.py OUT_DIR --files 10000 [--seed 7] [--size-kb 10] [--git]

Files come in services of ten (production/staging YAML pairs, INI, dotenv,
TOML, JSON, .properties, Django settings), about ``--size-kb`` KB each on
average, so 10,000 files are about 100 MB. A few per cent carry planted
problems of every kind the hooks look for: duplicate keys, literal secrets,
debug on in production, keys staging lacks, legacy key names. The same seed
and arguments give byte-identical files.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
from pathlib import Path
from typing import Callable

WORDS = (
    "cache database queue worker timeout retries host port pool size limit backend region bucket "
    "feature flag endpoint service logging level format handler path max min interval batch window "
    "replica shard index ttl prefix suffix user group role scope audience issuer tenant zone"
).split()
LAYOUT = [  # (path template, writer); ten files per service
    ("svc{n:05d}/config/production.yaml", "yaml_prod"),
    ("svc{n:05d}/config/staging.yaml", "yaml_staging"),
    ("svc{n:05d}/deploy/values-production.yaml", "yaml_plain"),
    ("svc{n:05d}/production.ini", "ini"),
    ("svc{n:05d}/setup.cfg", "ini"),
    ("svc{n:05d}/.env.production", "dotenv"),
    ("svc{n:05d}/config/app.toml", "toml"),
    ("svc{n:05d}/config/features.json", "json"),
    ("svc{n:05d}/conf/kafka.properties", "properties"),
    ("svc{n:05d}/settings/prod.py", "python"),
]
PLANT_RATE = 0.03


class Gen:
    def __init__(self, rng: random.Random, size: int) -> None:
        self.rng = rng
        self.size = size  # target bytes per file

    def word(self) -> str:
        return self.rng.choice(WORDS)

    def key(self, i: int) -> str:
        return f"{self.word()}_{self.word()}_{i}"

    def value(self) -> str:
        r = self.rng.random()
        if r < 0.3:
            return str(self.rng.randint(0, 100000))
        if r < 0.4:
            return self.rng.choice(["true", "false"])
        return "-".join(self.word() for _ in range(self.rng.randint(1, 6)))

    def plant(self) -> bool:
        return self.rng.random() < PLANT_RATE

    def secret(self) -> str:
        return "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789") for _ in range(24))

    def sections(self, emit: Callable[[int, int], str]) -> str:
        out: list[str] = []
        total = 0
        s = 0
        while total < self.size:
            chunk = emit(s, self.rng.randint(8, 30))
            out.append(chunk)
            total += len(chunk)
            s += 1
        return "".join(out)

    # -- formats ---------------------------------------------------------
    def yaml(self, production: bool, shared_keys: list[str]) -> str:
        def emit(s: int, n: int) -> str:
            lines = [f"section_{s}:\n"]
            for i in range(n):
                lines.append(f"  {self.key(i)}: {self.value()}  # note {i}\n" if i % 7 == 0 else f"  {self.key(i)}: {self.value()}\n")
            return "".join(lines)

        head = "# generated for the benchmark\n" + "".join(f"{k}: {self.value()}\n" for k in shared_keys)
        extra = ""
        if production and self.plant():
            extra += f"database:\n  password: {self.secret()}\n"
        if production and self.plant():
            extra += "debug: true\n"
        if production and self.plant():
            extra += "only_in_production: 1\n"
        if self.plant():
            extra += "cache:\n  timeout: 30\n  timeout: 60\n"  # duplicate + legacy key
        return head + extra + self.sections(emit)

    def yaml_prod(self, shared: list[str]) -> str:
        self.production = self.yaml(True, shared)
        return self.production

    def yaml_staging(self, shared: list[str]) -> str:
        """Staging mirrors production's keys (parity holds) except the
        planted production-only key and the planted production problems."""
        drop = ("only_in_production", "debug:", "database:", "  password:")
        return "".join(line for line in self.production.splitlines(True) if not line.startswith(drop))

    def yaml_plain(self, shared: list[str]) -> str:
        return self.yaml(False, [])

    def ini(self, shared: list[str]) -> str:
        def emit(s: int, n: int) -> str:
            lines = [f"[section_{s}]\n", "; comment\n"]
            lines += [f"{self.key(i)} = {self.value()}\n" for i in range(n)]
            if self.rng.random() < 0.2:
                lines.append(f"multi_{s} =\n    first\n    second\n")
            return "".join(lines) + "\n"

        extra = ""
        if self.plant():
            extra += f"[app:main]\nsqlalchemy.url = postgresql://app:{self.secret()}@db/app\n\n"
        if self.plant():
            extra += "[cache]\ntimeout = 30\ntimeout = 60\n\n"
        return extra + self.sections(emit)

    def dotenv(self, shared: list[str]) -> str:
        def emit(s: int, n: int) -> str:
            return f"# block {s}\n" + "".join(f"{self.key(i).upper()}={self.value()}\n" for i in range(n))

        extra = ""
        if self.plant():
            extra += f"DB_PASSWORD={self.secret()}\n"
        if self.plant():
            extra += "DEBUG=True\nLEGACY_CACHE_TIMEOUT=30\n"
        return extra + self.sections(emit)

    def toml(self, shared: list[str]) -> str:
        def emit(s: int, n: int) -> str:
            lines = [f"[section_{s}]\n"]
            for i in range(n):
                v = self.value()
                lines.append(f"{self.key(i)} = {v if v.isdigit() or v in ('true', 'false') else repr(v)}\n".replace("'", '"'))
            return "".join(lines) + "\n"

        extra = f'[database]\npassword = "{self.secret()}"\n\n' if self.plant() else ""
        return extra + self.sections(emit)

    def json(self, shared: list[str]) -> str:
        def emit(s: int, n: int) -> str:
            items = ", ".join(f'"{self.key(i)}": "{self.value()}"' for i in range(n))
            return f'  "section_{s}": {{{items}}},\n'

        extra = f'  "api_key": "{self.secret()}",\n' if self.plant() else ""
        extra += '  "debug": true,\n  "debug": false,\n' if self.plant() else ""
        return "{\n" + extra + self.sections(emit) + '  "end": true\n}\n'

    def properties(self, shared: list[str]) -> str:
        def emit(s: int, n: int) -> str:
            return f"# block {s}\n" + "".join(f"section{s}.{self.key(i)}={self.value()}\n" for i in range(n))

        extra = f"ssl.keystore.password={self.secret()}\n" if self.plant() else ""
        return extra + self.sections(emit)

    def python(self, shared: list[str]) -> str:
        def emit(s: int, n: int) -> str:
            items = "".join(f"    '{self.key(i)}': '{self.value()}',\n" for i in range(n))
            return f"SECTION_{s} = {{\n{items}}}\n"

        head = "import os\n\nDEBUG = False\n"
        if self.plant():
            head += "DEBUG = True\n"
        if self.plant():
            head += f"SECRET_KEY = '{self.secret()}'\n"
        if self.plant():
            head += "LEGACY_CACHE_TIMEOUT = 30\n"
        return head + self.sections(emit)


def generate(out: Path, files: int, seed: int = 7, size_kb: float = 10) -> dict[str, int]:
    rng = random.Random(seed)
    gen = Gen(rng, int(size_kb * 1024))
    written = 0
    total = 0
    n = 0
    while written < files:
        shared = [f"shared_{gen.word()}_{i}" for i in range(5)]
        for template, writer in LAYOUT:
            if written >= files:
                break
            path = out / template.format(n=n)
            path.parent.mkdir(parents=True, exist_ok=True)
            text = getattr(gen, writer)(shared)
            path.write_text(text, encoding="utf-8")
            total += len(text.encode("utf-8"))
            written += 1
        n += 1
    (out / ".legacy-keys.yaml").write_text(
        "renamed:\n  cache.timeout: cache.ttl\n  LEGACY_CACHE_TIMEOUT: CACHE_TTL\n", encoding="utf-8"
    )
    return {"files": written, "bytes": total}


def git_commit(out: Path) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
        "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+0000", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+0000",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "generated", "--no-verify"]):
        subprocess.run(["git", *args], cwd=out, env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--size-kb", type=float, default=10)
    parser.add_argument("--git", action="store_true", help="make OUT a git repo with one commit")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    info = generate(args.out, args.files, args.seed, args.size_kb)
    if args.git:
        git_commit(args.out)
    print(f"{info['files']} files, {info['bytes'] / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
