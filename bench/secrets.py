"""Benchmark no-inline-secrets against detect-secrets on the same files.

    .venv/bin/pip install detect-secrets     # bench only; not a dependency
    .venv/bin/python bench/secrets.py [--files 5000] [--size-kb 10]

Three inputs: the labeled set (tests/secrets_labeled/, materialised into a temp
dir), ../shared/corpus, and a generated repo of config files (default 5,000 files,
~50 MB, in a temp dir, removed afterwards). Both tools run as their real console
scripts, one process per batch of 500 files, one batch after another, as
pre-commit would run them serially. Prints files/s for each tool, our speed as a
ratio, and precision/recall on the labeled set (a file counts as reported when
the tool reports anything in it).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
BATCH = 500
_DS_LOCATION = re.compile(r"^Location:\s+(.+):\d+\s*$", re.M)


def run_tool(tool: str, files: list[str], cwd: Path) -> tuple[float, set[str]]:
    """(seconds, set of reported files) for one tool over ``files``."""
    reported: set[str] = set()
    start = time.perf_counter()
    for i in range(0, len(files), BATCH):
        batch = files[i : i + BATCH]
        if tool == "ours":
            cmd = [str(BIN / "no-inline-secrets"), "--format", "json", *batch]
        else:
            cmd = [str(BIN / "detect-secrets-hook"), *batch]
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        if tool == "ours":
            try:
                reported |= {f["path"] for f in json.loads(proc.stdout)["findings"] if f["severity"] == "error"}
            except ValueError:
                sys.exit(f"no-inline-secrets failed: {proc.stderr[:300]}")
        else:
            reported |= set(_DS_LOCATION.findall(proc.stdout))
    return time.perf_counter() - start, reported


def scores(reported: set[str], truth: dict[str, bool]) -> tuple[float, float, int, int, int]:
    tp = sum(1 for p, secret in truth.items() if secret and p in reported)
    fp = sum(1 for p, secret in truth.items() if not secret and p in reported)
    fn = sum(1 for p, secret in truth.items() if secret and p not in reported)
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), tp, fp, fn


# -- the generated repo -----------------------------------------------------------
WORDS = "billing invoice ledger payment refund customer account report export worker queue cache".split()


def _word(rng: random.Random) -> str:
    return rng.choice(WORDS)


def _secret(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(20))


def _pairs(rng: random.Random, n: int) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for i in range(n):
        roll = rng.random()
        key = f"{_word(rng)}_{_word(rng)}_{i}"
        if roll < 0.3:
            out.append((key + "_timeout", rng.randint(1, 3600)))
        elif roll < 0.5:
            out.append((key + "_enabled", rng.random() < 0.5))
        elif roll < 0.6:
            out.append((key + "_url", f"https://{_word(rng)}.internal:{rng.randint(1000, 9999)}/{_word(rng)}"))
        elif roll < 0.62:
            out.append((key + "_password", "${" + key.upper() + "_PASSWORD}"))  # a reference: not a secret
        elif roll < 0.625:
            out.append((key + "_password", _secret(rng)))  # a real literal
        else:
            out.append((key + "_name", f"{_word(rng)}-{_word(rng)}-{rng.randint(1, 99)}"))
    return out


def _render(fmt: str, pairs: list[tuple[str, object]]) -> str:
    if fmt == "yaml":
        lines = ["service:"]
        for k, v in pairs:
            lines.append(f"  {k}: {json.dumps(v) if isinstance(v, str) else str(v).lower()}")
        return "\n".join(lines) + "\n"
    if fmt == "ini":
        return "[app:main]\n" + "".join(f"{k} = {v}\n" for k, v in pairs)
    if fmt == "env":
        return "".join(f"{k.upper()}={v}\n" for k, v in pairs)
    if fmt == "toml":
        return "[service]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in pairs)
    if fmt == "json":
        return json.dumps({"service": dict(pairs)}, indent=2) + "\n"
    return "".join(f"{k.upper()} = {v!r}\n" for k, v in pairs)


_NAMES = {"yaml": "config/{}.yaml", "ini": "ini/{}.ini", "env": "env/{}.env", "toml": "toml/{}.toml",
          "json": "json/{}.json", "py": "settings/{}_settings.py"}


def generate(root: Path, count: int, size_kb: int) -> list[str]:
    rng = random.Random(2026)
    files = []
    per_file = max(size_kb * 1024 // 40, 10)  # ~40 bytes a line
    for i in range(count):
        fmt = list(_NAMES)[i % len(_NAMES)]
        rel = _NAMES[fmt].format(f"svc{i:05d}")
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_render(fmt, _pairs(rng, per_file)), encoding="utf-8")
        files.append(rel)
    return files


def bench(name: str, root: Path, files: list[str], truth: dict[str, bool] = None) -> dict:
    ours_s, ours = run_tool("ours", files, root)
    ds_s, ds = run_tool("detect-secrets", files, root)
    row = {"input": name, "files": len(files), "ours_files_per_s": len(files) / ours_s,
           "ds_files_per_s": len(files) / ds_s, "speed_ratio": ds_s / ours_s,
           "ours_reported": len(ours), "ds_reported": len(ds)}
    print(f"\n== {name}: {len(files)} files ({sum((root / f).stat().st_size for f in files) / 1e6:.1f} MB)")
    print(f"  no-inline-secrets   {ours_s:7.2f} s  {row['ours_files_per_s']:8.0f} files/s  files reported: {len(ours)}")
    print(f"  detect-secrets-hook {ds_s:7.2f} s  {row['ds_files_per_s']:8.0f} files/s  files reported: {len(ds)}")
    print(f"  speed ratio (ours vs detect-secrets): {row['speed_ratio']:.1f}x")
    if truth is not None:
        for label, reported in (("no-inline-secrets", ours), ("detect-secrets-hook", ds)):
            p, r, tp, fp, fn = scores(reported, truth)
            row[label] = {"precision": p, "recall": r, "tp": tp, "fp": fp, "fn": fn}
            print(f"  {label:19s} precision {p:.3f}  recall {r:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000, help="files in the generated repo")
    parser.add_argument("--size-kb", type=int, default=10, help="approximate size of each generated file")
    args = parser.parse_args()
    if not (BIN / "detect-secrets-hook").exists():
        print("detect-secrets is not installed: .venv/bin/pip install detect-secrets", file=sys.stderr)
        return 2
    from tests.secrets_labeled.cases import materialise

    version = subprocess.run([str(BIN / "detect-secrets"), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"detect-secrets {version}; python {sys.version.split()[0]}; batches of {BATCH} files, run serially")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-secrets-") as tmp:
        labeled = Path(tmp) / "labeled"
        cases = materialise(labeled)
        truth = {str(Path(p).relative_to(labeled)): c.secret for p, c in cases.items()}
        rows.append(bench("labeled set", labeled, sorted(truth), truth))
        corpus = ROOT.parent / "shared" / "corpus"
        if corpus.is_dir():
            files = sorted(str(p.relative_to(corpus)) for p in corpus.rglob("*") if p.is_file())
            rows.append(bench("shared corpus", corpus, files))
        generated = Path(tmp) / "generated"
        rows.append(bench("generated repo", generated, generate(generated, args.files, args.size_kb)))
        shutil.rmtree(generated, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
