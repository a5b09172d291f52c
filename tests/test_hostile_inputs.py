"""Hostile repos and hostile inputs (issue 22), for every hook the manifest
lists and for the report, through the installed console scripts.

Each class of attack has its own payloads here; the checks are the same for
all of them: no crash signal, no traceback, exit 0, 1 or 2, nothing written
outside the repo or through a symlink, no secret printed in full, no forged
``path:line:col:`` line, no raw ESC or bidi control in the output, and each
run within 30 s of CPU and 1 GB of address space. The HTML report is rendered
in headless Chromium, which must run none of the injected script.

The classes:
 1. script in the report (HTML, Markdown), from the repo and from merge inputs;
 2. parser bombs: deep YAML/JSON/TOML/INI/Python, quadratic .properties,
    a symlink to /dev/zero, a FIFO;
 3. writers: symlinks out of the repo, shell-sourced values, settings paths
    outside the repo, modes;
 4. inputs from outside the work tree: merge reports, history, baseline
    (schema, depth, size);
 5. output injection: newlines, ESC, bidi in keys and file names;
 6. options smuggled to git; 7. wrongly typed settings; 8. secrets in --diff.
"""
from __future__ import annotations

import json
import os
import re
import resource
import shutil
import stat
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from hooks.core import registry
from tests.helpers.reliability import (
    BIN,
    Hook,
    assert_no_traceback,
    clean_env,
    describe,
    fingerprint_tree,
    git,
    hooks,
    inputs_for,
)

pytestmark = pytest.mark.e2e

# A hang or a blow-up, not a speed measure: the cleanup report runs every default hook in one
# process and took 10.8-11.3 s of CPU with the bad-input matrix running beside it (pytest-xdist).
CPU_SECONDS = 30.0
ADDRESS_SPACE = 1 << 30
PWNED = "data-pwned"
# Script payloads: each would mark <body> if it ever ran.
SCRIPTS = (
    f"<img src=x onerror=\"document.body.setAttribute('{PWNED}','1')\">",
    f"<script>document.body.setAttribute('{PWNED}','2')</script>",
    f"\"><svg onload=\"document.body.setAttribute('{PWNED}','3')\">",
    f"'><iframe srcdoc=\"<script>parent.document.body.setAttribute('{PWNED}','4')</script>\">",
)
MARKDOWN = ("![x](http://tracker.invalid/p.png)", "[click](javascript:alert(1))", "<img src=x>")
SECRETS = ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8hJ2kL9m", "Zq8pLm2vRt9xWe4Kq1Nu", "hunter2-Zq8pLm2vRt9x")
FORGED = "forged.yaml"
NEWLINE_NAME = f"dup.yaml\n{FORGED}:1:1: no-inline-secrets: FORGED"
BIDI = "\u202e"


def _files() -> dict[str, str]:
    deep = 30000
    return {
        # parsers
        "deep.yaml": "a: " + "[" * deep + "]" * deep + "\n",
        "deep-map.yaml": "a: " + "{b: " * 5000 + "1" + "}" * 5000 + "\n",
        "deep-block.yaml": "".join(" " * i + f"k{i}:\n" for i in range(400)) + " " * 400 + "v: 1\n",
        "bomb.yaml": "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
            for i in range(9)),
        "deep.json": '{"a": ' + "[" * deep + "]" * deep + "}\n",
        "deep.toml": "a = " + "[" * deep + "]" * deep + "\n",
        "deep.ini": "[" * 3000 + "s" + "]" * 3000 + "\nx = 1\n",
        "config.py": "X = " + "1+" * 950 + "1\nY = " + "-" * 20000 + "1\nZ = " + "(" * 190 + "1" + ")" * 190 + "\n",
        "slow.properties": "a=" + "x\\\n" * 50000 + "end\n",
        # regular expressions that backtrack: `${A:-` without a closing brace, long lines
        "docker-compose.yml": "services:\n  a:\n    image: x\n    environment:\n      - " + "${A:-" * 20000 + "\n",
        "Dockerfile": "FROM x\nENV " + "A=$B " * 20000 + "\n",
        "long.yaml": "k: '" + "${" * 100000 + "'\nj: " + "eyJ" * 100000 + "\n",
        # output injection and secrets
        NEWLINE_NAME: "a: 1\na: 2\n",
        "esc.yaml": f"'k\x1b[2J\x1b]0;owned\x07{BIDI}x': 1\n'k\x1b[2J\x1b]0;owned\x07{BIDI}x': 2\n",
        "markup.yaml": "".join(f"'{m}': 1\n'{m}': 2\n" for m in (*MARKDOWN, *SCRIPTS)),
        ".env.production": (
            f"AWS_SECRET_ACCESS_KEY={SECRETS[0]}\nDB_PASSWORD={SECRETS[1]}\nDEBUG=true\nDEBUG=true\n"
        ),
        "settings.py": f"DEBUG = True\nSECRET_KEY = '{SECRETS[2]}'\nimport os\nAPI = os.environ.get('API_URL', '`touch pwned`$(touch pwned)')\n",
        "secret-rename.yaml": f"password: {SECRETS[1]}\ncache:\n  timeout: 5\n",
        ".legacy-keys.yaml": "renamed:\n  password: db_password\n  cache.timeout: cache.ttl\n",
        "migrations/0001_initial.py": "from django.db import migrations\nclass Migration(migrations.Migration):\n"
                                      "    operations = [migrations.RunSQL('DROP TABLE x')]\n",
        "app/views.py": "import os\nfrom django.views.decorators.cache import cache_page\n"
                        "TOKEN = os.environ['HOSTILE_TOKEN']\n@cache_page(60)\ndef v(r):\n    return r\n",
    }


OUTSIDE = {"target.env": "OUTSIDE=1\n", "target.yaml": "password: x\ncache:\n  timeout: 1\n", "notes/keep": "x\n"}
LINKS = {  # in the repo -> target
    ".env.example": "../outside/target.env",
    "linked.yaml": "../outside/target.yaml",
    "zero.yaml": "/dev/zero",
    ".env.zero": "/dev/zero",
    "cache-rules.yaml": "../outside/rules.yaml",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogateescape"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed hostile repo beside an ``outside`` folder, copied per test."""
    base = tmp_path_factory.mktemp("hostile")
    repo = base / "repo"
    repo.mkdir()
    _write(repo, _files())
    for name, target in LINKS.items():
        os.symlink(target, repo / name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "config", "user.name", "Test")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hostile", "--no-verify")
    return base


@pytest.fixture()
def world(template: Path, tmp_path: Path) -> Path:
    """A fresh copy: ``repo`` (symlinks kept, a FIFO and a folder named like a
    config file added) and ``outside``."""
    shutil.copytree(template / "repo", tmp_path / "repo", symlinks=True)
    _write(tmp_path / "outside", OUTSIDE)
    os.mkfifo(tmp_path / "repo" / "fifo.yaml")
    (tmp_path / "repo" / "dir.yaml").mkdir()
    return tmp_path


def _limits() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """One bounded run: 1 GB of address space, a hang guard, CPU time measured."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=env or clean_env(), capture_output=True, timeout=120,
                            preexec_fn=_limits, stdin=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    done = subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode("utf-8", "replace"),
                                       result.stderr.decode("utf-8", "replace"))
    done.cpu = cpu  # type: ignore[attr-defined]
    done.wall = time.monotonic() - start  # type: ignore[attr-defined]
    return done


def assert_safe(result: subprocess.CompletedProcess, world: Path, outside_before: dict[str, Any]) -> None:
    """The checks every hostile case shares."""
    assert result.returncode in (0, 1, 2), describe(result)  # a signal is negative
    assert_no_traceback(result)
    assert result.cpu < CPU_SECONDS, f"{result.cpu:.1f}s of CPU\n" + describe(result)  # type: ignore[attr-defined]
    output = result.stdout + result.stderr
    for secret in SECRETS:
        assert secret not in output, describe(result)
    assert "\x1b" not in output and BIDI not in output, describe(result)
    for line in output.splitlines():
        assert not line.startswith(FORGED), describe(result)
    assert fingerprint_tree(world / "outside") == outside_before, "wrote outside the repo\n" + describe(result)
    for name, target in LINKS.items():
        link = world / "repo" / name
        assert link.is_symlink() and os.readlink(link) == target, f"{name} replaced\n" + describe(result)
    assert not (world / "repo" / "pwned").exists()


# -- every hook, every file ------------------------------------------------------
def _flags(hook: Hook) -> list[str]:
    """Every bool flag the hook declares (the writers among them), and a
    baseline write when it takes the shared flags."""
    if hook.id not in registry.HOOKS:
        return []
    flags = [f"--{o.name}" for o in registry.get(hook.id).options if o.kind == "bool"]
    if hook.setup.shared_flags:
        flags += ["--write-baseline", "hostile-baseline.json"]
    return flags


@pytest.mark.parametrize("hook", hooks(), ids=str)
@pytest.mark.parametrize("mode", ["text", "writers", "github"])
def test_every_hook_survives_a_hostile_repo(hook: Hook, mode: str, world: Path) -> None:
    repo = world / "repo"
    names = [*_files(), *LINKS, "fifo.yaml", "dir.yaml"]
    if hook.files:
        names = [n for n in names if re.search(hook.files, n)] or names
    if not hook.pass_filenames:
        names = [n for n in names if n not in ("fifo.yaml", "dir.yaml")]  # git stages neither
    args = inputs_for(hook, repo, names)
    extra: list[str] = []
    if mode == "writers":
        extra = _flags(hook)
    elif mode == "github" and hook.setup.shared_flags:
        extra = ["--format", "github"]
    outside = fingerprint_tree(world / "outside")
    result = run(hook.command(*extra, *args), repo)
    assert_safe(result, world, outside)
    if mode == "github":
        for line in result.stdout.splitlines():
            assert line.startswith("::") or not line.strip() or not hook.setup.shared_flags, describe(result)


# -- the report ----------------------------------------------------------------
def report(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    words = list(args) if args[:1] == ("merge",) else ["--no-progress", *args]
    return run([str(BIN / "legacy-config-report"), *words], cwd)


def _rendered(tmp: Path, page: Path) -> str:
    from tests.helpers.browser import headless

    result = headless(tmp, "--dump-dom", page.as_uri())
    assert "<body" in result.stdout, result.stderr[-2000:]
    return result.stdout


def assert_no_script_ran(dom: str) -> None:
    assert not re.search(rf"<body[^>]*{PWNED}", dom), "an injected script ran"
    assert "Showing " in dom  # the page's own script did run


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_the_report_of_a_hostile_repo(fmt: str, world: Path) -> None:
    outside = fingerprint_tree(world / "outside")
    out = world / f"report.{fmt}"
    result = report("--repo", "repo", "--no-history", "-o", str(out), cwd=world)
    assert_safe(result, world, outside)
    assert result.returncode == 0, describe(result)
    text = out.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in text
    assert "\x1b" not in text and BIDI not in text
    if fmt == "md":
        for bad in ("![x](", "](javascript:", "<img", "<script", "<svg", "<iframe"):
            assert bad not in text
    if fmt == "html":
        assert "unsafe-inline" not in text
        assert_no_script_ran(_rendered(world, out))


def _valid_report(**finding: Any) -> dict[str, Any]:
    base = {
        "hook": "no-inline-secrets", "path": "a.yaml", "folder": "(top level)", "line": 1, "column": 1,
        "severity": "error", "message": "m", "fingerprint": "ab12cd34ef", "status": "open",
    }
    base.update(finding)
    return {
        "schema_version": 1, "tool": {"name": "legacy-config-hooks", "version": "0"},
        "generated": "2026-01-01T00:00:00Z", "repos": [{"name": "r", "commit": None}],
        "totals": {"open": 1, "baselined": 0, "files_with_findings": 1},
        "hooks": [{"id": "no-inline-secrets", "summary": "s", "open": 1, "baselined": 0, "files_checked": 1,
                   "notices": list(SCRIPTS)}],
        "folders": [{"name": "(top level)", "open": 1, "baselined": 0}],
        "worst_files": [{"path": "a.yaml", "open": 1, "baselined": 0}],
        "findings": [base], "progress": None,
    }


def test_merged_html_runs_no_script_from_any_string_field(tmp_path: Path) -> None:
    """Every string the schema allows carries a payload; the page shows them
    as text and Chromium runs none of them."""
    payload = "".join(SCRIPTS)
    data = _valid_report(path=payload + ".yaml", folder=payload, message=payload)
    data["repos"] = [{"name": payload, "commit": payload, "since": payload}]
    data["hooks"][0]["summary"] = payload
    data["folders"][0]["name"] = payload
    data["worst_files"][0]["path"] = payload
    data["tool"]["version"] = payload
    (tmp_path / "in.json").write_text(json.dumps(data))
    for fmt in ("html", "md"):
        result = report("merge", "in.json", "-o", f"out.{fmt}", cwd=tmp_path)
        assert result.returncode == 0, describe(result)
        assert_no_traceback(result)
    md = (tmp_path / "out.md").read_text()
    assert "<img" not in md and "<script" not in md and "![" not in md
    assert_no_script_ran(_rendered(tmp_path, tmp_path / "out.html"))


@pytest.mark.parametrize(
    "case",
    [
        "line-is-markup", "column-is-string", "count-is-negative", "extra-field", "deep", "not-json",
        "newer-version", "fifo", "list-at-top", "unknown-status",
    ],
)
def test_merge_refuses_what_is_not_a_report_in_one_line(case: str, tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    if case == "line-is-markup":
        path.write_text(json.dumps(_valid_report(line=SCRIPTS[0])))
    elif case == "column-is-string":
        path.write_text(json.dumps(_valid_report(column="1")))
    elif case == "count-is-negative":
        data = _valid_report()
        data["totals"]["open"] = -1
        path.write_text(json.dumps(data))
    elif case == "extra-field":
        path.write_text(json.dumps(_valid_report(extra=SCRIPTS[1])))
    elif case == "deep":
        path.write_text('{"findings": ' + "[" * 100000 + "]" * 100000 + "}")
    elif case == "not-json":
        path.write_bytes(b"\xff\xfe{")
    elif case == "newer-version":
        path.write_text(json.dumps({**_valid_report(), "schema_version": 99}))
    elif case == "fifo":
        os.mkfifo(path)
    elif case == "list-at-top":
        path.write_text("[]")
    else:
        path.write_text(json.dumps(_valid_report(status=SCRIPTS[2])))
    result = report("merge", "in.json", "-o", "out.html", cwd=tmp_path)
    assert result.returncode == 2, describe(result)
    assert_no_traceback(result)
    assert len(result.stderr.strip().splitlines()) == 1, describe(result)
    assert "\x1b" not in result.stderr
    assert not (tmp_path / "out.html").exists()


def test_a_huge_merge_is_refused_before_it_is_read(tmp_path: Path) -> None:
    with open(tmp_path / "big.json", "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    result = report("merge", "big.json", cwd=tmp_path)
    assert result.returncode == 2 and "limit" in result.stderr, describe(result)
    assert result.cpu < 2, describe(result)  # type: ignore[attr-defined]


@pytest.mark.parametrize("case", ["symlink-out", "missing-folder", "through-symlinked-folder"])
def test_report_output_never_goes_through_a_symlink(case: str, world: Path) -> None:
    repo = world / "repo"
    outside = fingerprint_tree(world / "outside")
    if case == "symlink-out":
        os.symlink("../outside/target.env", repo / "report.md")
        target = "report.md"
    elif case == "missing-folder":
        target = "no/such/folder/report.md"
    else:
        os.symlink("../outside", repo / "out-link")
        target = "out-link/report.md"
        # -o may point outside on purpose, but a symlink named as the file is never written through
        os.symlink("target.env", world / "outside" / "report.md")
        outside = fingerprint_tree(world / "outside")
    result = report("--repo", ".", "--no-history", "--hooks", "no-duplicate-config-keys", "-o", target, cwd=repo)
    assert result.returncode == 2, describe(result)
    assert_no_traceback(result)
    assert fingerprint_tree(world / "outside") == outside


@pytest.mark.parametrize("case", ["wrong-types", "symlink-out", "outside", "deep"])
def test_report_history_from_outside_is_checked(case: str, world: Path) -> None:
    repo = world / "repo"
    args = ["--repo", "."]  # the history is kept only on a full run
    history = repo / ".legacy-config-report.json"
    if case == "wrong-types":
        history.write_text(json.dumps({"runs": [{"date": 5, "open": "x", "baselined": []}]}))
    elif case == "symlink-out":
        os.symlink("../outside/target.env", history)
    elif case == "outside":
        args += ["--history", str(world / "outside" / "history.json")]
    else:
        history.write_text('{"runs": ' + "[" * 50000 + "]" * 50000 + "}")
    outside = fingerprint_tree(world / "outside")
    result = report(*args, "--jobs", "1", "-o", "r.md", cwd=repo)
    assert result.returncode == 2, describe(result)
    assert_no_traceback(result)
    assert len(result.stderr.strip().splitlines()) == 1, describe(result)
    assert fingerprint_tree(world / "outside") == outside


def test_since_cannot_smuggle_an_option_to_git(world: Path) -> None:
    repo = world / "repo"
    for value in ("--output=smuggled", "--output=../outside/smuggled"):
        result = report("--repo", ".", "--no-history", f"--since={value}", "-o", "r.md", cwd=repo)
        assert result.returncode == 2, describe(result)
        assert_no_traceback(result)
    assert not (repo / "smuggled").exists() and not (world / "outside" / "smuggled").exists()
    env = clean_env(PRE_COMMIT_FROM_REF="--output=smuggled", PRE_COMMIT_TO_REF="HEAD")
    note = next(h for h in hooks() if h.id == "require-rollback-note")
    result = run(note.command(), repo, env)
    assert result.returncode == 2 and not (repo / "smuggled").exists(), describe(result)


# -- writers -------------------------------------------------------------------
def test_history_and_baseline_are_written_atomically_with_a_normal_mode(world: Path) -> None:
    repo = world / "repo"
    result = report("--repo", ".", "--jobs", "1", "-o", "r.md", cwd=repo)
    assert result.returncode == 0, describe(result)
    dup = next(h for h in hooks() if h.id == "no-duplicate-config-keys")
    result = run(dup.command("--write-baseline", "b.json", "esc.yaml"), repo)
    assert result.returncode == 0, describe(result)
    umask = os.umask(0o022)
    os.umask(umask)
    for name in (".legacy-config-report.json", "b.json", "r.md"):
        assert stat.S_IMODE((repo / name).stat().st_mode) == 0o666 & ~umask, name
    os.chmod(repo / "b.json", 0o640)
    run(dup.command("--write-baseline", "b.json", "esc.yaml"), repo)
    assert stat.S_IMODE((repo / "b.json").stat().st_mode) == 0o640  # a rewrite keeps the mode
    leftovers = [p.name for p in repo.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers


def test_write_example_quotes_what_a_shell_would_run(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _write(repo, {"app/settings.py": (
        "import os\n"
        "A = os.environ.get('GREETING_A', '`touch pwned`')\n"
        "B = os.environ.get('GREETING_B', '$(touch pwned)')\n"
        "C = os.environ.get('GREETING_C', 'it''s \"quoted\" $HOME')\n"
        "D = os.environ.get('GREETING_D', 'plain-value')\n"
    )})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    env_hook = next(h for h in hooks() if h.id == "check-env-documented")
    result = run(env_hook.command("--write-example"), repo)
    assert result.returncode in (0, 1), describe(result)
    example = repo / ".env.example"
    assert example.is_file(), describe(result)
    subprocess.run(["sh", "-c", "set -a; . ./.env.example"], cwd=repo, check=True, capture_output=True)
    assert not (repo / "pwned").exists()
    from dotenv import dotenv_values

    values = dotenv_values(example)
    assert values["GREETING_A"] == "`touch pwned`"
    assert values["GREETING_B"] in ("$(touch pwned)", "")  # a default holding $ is left out on purpose
    assert values["GREETING_D"] == "plain-value"


@pytest.mark.parametrize(
    "setting, hook_id",
    [
        ('baseline = "../outside/b.json"', "no-duplicate-config-keys"),
        ('baseline = "/tmp/legacy-config-hooks-hostile-baseline.json"', "no-inline-secrets"),
        ('notes-dir = "../outside/notes"', "require-rollback-note"),
        ('notes-dir = "../outside/notes"', "new-config-note"),
        ('[tool.legacy-config-hooks.check-cache-rules]\nrules = "../outside/rules.yaml"', "check-cache-rules"),
    ],
)
def test_paths_from_settings_outside_the_repo_are_refused(setting: str, hook_id: str, world: Path) -> None:
    repo = world / "repo"
    table = "" if setting.startswith("[") else "[tool.legacy-config-hooks]\n"
    (repo / "pyproject.toml").write_text(table + setting + "\n")
    git(repo, "add", "pyproject.toml", "esc.yaml")
    hook = next(h for h in hooks() if h.id == hook_id)
    extra = ["--write-baseline"] if "baseline" in setting else ["--write-rules"] if "rules" in setting else []
    outside = fingerprint_tree(world / "outside")
    result = run(hook.command(*extra, *(["esc.yaml"] if hook.pass_filenames else [])), repo)
    assert result.returncode == 2, describe(result)
    assert "outside the repository" in result.stderr, describe(result)
    assert fingerprint_tree(world / "outside") == outside
    assert not Path("/tmp/legacy-config-hooks-hostile-baseline.json").exists()


# -- typed settings ---------------------------------------------------------------
@pytest.mark.parametrize(
    "settings, key",
    [
        ("baseline = 5", "baseline"),
        ('baseline = ["a.json"]', "baseline"),
        ("format = 3", "format"),
        ("max-file-size = true", "max-file-size"),
        ("report-stale = 2", "report-stale"),
        ("[tool.legacy-config-hooks.environments]\nstaging = [\"stg\"]", "production"),
        ("[tool.legacy-config-hooks.environments]\nproduction = \"prod\"\nmoon = [\"x\"]", "moon"),
        ("[tool.legacy-config-hooks.environments]\nproduction = 5", "production"),
        ("[tool.legacy-config-hooks.no-inline-secrets]\nsensitive-key = 5", "sensitive-key"),
        ("[tool.legacy-config-hooks.check-staging-parity]\nrequire-pair = [1]", "require-pair"),
    ],
)
def test_wrongly_typed_settings_are_exit_2_naming_the_key(settings: str, key: str, world: Path) -> None:
    repo = world / "repo"
    table = "" if settings.startswith("[") else "[tool.legacy-config-hooks]\n"
    (repo / "pyproject.toml").write_text(table + settings + "\n")
    hook_id = next((h for h in ("no-inline-secrets", "check-staging-parity") if h in settings),
                   "no-duplicate-config-keys")
    hook = next(h for h in hooks() if h.id == hook_id)
    result = run(hook.command("esc.yaml"), repo)
    assert result.returncode == 2, describe(result)
    assert_no_traceback(result)
    assert key in result.stderr and len(result.stderr.strip().splitlines()) == 1, describe(result)
    assert not (repo / "5").exists()


@pytest.mark.parametrize(
    "rules",
    [
        "rules: !!python/tuple [[a, [b]]]\n",
        "rules: !tag [[a, [b]], {c: [d]}]\n",
        "rules:\n  - !!set {? [a, b]: null}\n",
        "rules: !!omap [[1, 2]]\n",
        "rules: " + "[" * 5000 + "]" * 5000 + "\n",
    ],
)
def test_odd_cache_rules_are_one_line(rules: str, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _write(repo, {"cache-rules.yaml": rules})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    hook = next(h for h in hooks() if h.id == "check-cache-rules")
    result = run(hook.command(), repo)
    assert result.returncode in (0, 1, 2), describe(result)
    assert_no_traceback(result)


@pytest.mark.parametrize("text", ["{not json", '{"hooks": {"x": {"a.yaml": "ab12cd34"}}}', "[" * 100000])
def test_write_baseline_over_a_broken_baseline_is_one_line(text: str, tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text(text)
    _write(tmp_path, {"a.yaml": "a: 1\na: 2\n"})
    hook = next(h for h in hooks() if h.id == "no-duplicate-config-keys")
    for args in (["--write-baseline", "b.json"], ["--baseline", "b.json"]):
        result = run(hook.command(*args, "a.yaml"), tmp_path)
        assert result.returncode == 2, describe(result)
        assert_no_traceback(result)
        assert len(result.stderr.strip().splitlines()) == 1, describe(result)
    assert (tmp_path / "b.json").read_text() == text  # left as it was
