"""all-checks: every default-stage check in one process gives what the single
hooks give (finding lines, exit code), file for file, in process and through
the real pre-commit."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from hooks import all_checks
from hooks.core import registry, runner
from hooks.repo import git as repo_git
from hooks.report import collect
from tests.conftest import ROOT, PreCommit, git, write_files

HOOK = "all-checks"
FINDING = re.compile(r"^\S.*:\d+:\d+: [a-z-]+: ")
EXAMPLE = ROOT / "examples" / "legacy-service"

# A small Django service with one problem for several checks, and files no
# check of those reads (README) or only some read (the compose file).
SERVICE = {
    "app/settings/__init__.py": "",
    "app/settings/base.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDEBUG = False\n"
                            "ALLOWED_HOSTS = ['app.example.com']\n",
    "app/settings/production.py": "from .base import *\nDEBUG = True\nAPI_TOKEN = os.environ.get('API_TOKEN')\n",
    "config/app.yaml": "db:\n  host: db\n  host: db2\n  password: hunter2hunter2xyz\n",
    "docker-compose.yml": "services:\n  web:\n    image: example/web:1\n    environment:\n      - DEBUG=0\n",
    "README.md": "# svc\n",
}


def findings(text: str) -> list[str]:
    return sorted(line for line in text.splitlines() if FINDING.match(line))


def make_repo(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    write_files(root, files)
    git(root, "add", "-A")
    return root


def one_by_one(files: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Each default-stage check as its own hook, on the files pre-commit would give it."""
    specs = collect.load_manifest()
    chosen = collect.default_hooks(specs)
    given = collect.assign(specs, chosen, files, ".")
    worst, lines = 0, []
    for hook_id in chosen:
        if not given[hook_id] and not specs[hook_id].always_run:
            continue
        capsys.readouterr()
        worst = max(worst, runner.main(registry.get(hook_id), given[hook_id] if specs[hook_id].pass_filenames else []))
        lines += findings(capsys.readouterr().out)
    return worst, sorted(lines)


def together(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    capsys.readouterr()
    code = all_checks.main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, findings(out), err


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("SKIP", "PRE_COMMIT", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    repo = make_repo(tmp_path / "svc", SERVICE)
    monkeypatch.chdir(repo)
    yield repo
    repo_git.share_answers(False)


def test_same_findings_and_exit_code_as_the_single_hooks(service: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(SERVICE)
    code, lines = one_by_one(files, capsys)
    assert code == 1 and len(lines) >= 4, lines  # the fixture plants findings for several checks
    assert {line.split(": ")[1] for line in lines} >= {"no-duplicate-config-keys", "no-debug-in-production",
                                                       "no-inline-secrets"}
    assert together(files, capsys)[:2] == (code, lines)


def test_each_check_gets_only_the_files_its_own_hook_would(service: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Only the README staged: the config checks get no file and stay silent.
    code, lines, _ = together(["README.md"], capsys)
    assert not [line for line in lines if line.startswith("README.md")]
    assert (code, lines) == one_by_one(["README.md"], capsys)


def test_skip_from_pre_commit_and_only(service: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(SERVICE)
    _, every, _ = together(files, capsys)
    assert any(": no-debug-in-production: " in line for line in every)
    monkeypatch.setenv("SKIP", "no-debug-in-production,some-other-repos-hook")
    _, skipped, _ = together(files, capsys)
    assert skipped == [line for line in every if ": no-debug-in-production: " not in line]
    monkeypatch.delenv("SKIP")
    code, only, _ = together(["--only", "no-duplicate-config-keys", *files], capsys)
    assert code == 1 and only and all(": no-duplicate-config-keys: " in line for line in only)


@pytest.mark.parametrize("argv, message", [
    (["--format", "xml"], "unknown format 'xml'"),
    (["--only", "no-such-check"], "unknown hook 'no-such-check'"),
    (["--only", "new-config-note"], "manual-stage helper"),
    (["--fix"], "unknown option --fix"),
    (["--skip"], "--skip needs a value"),
])
def test_bad_usage_is_one_line_and_exit_2(service: Path, capsys: pytest.CaptureFixture[str],
                                          argv: list[str], message: str) -> None:
    code, lines, err = together(argv, capsys)
    assert code == 2 and not lines
    assert err.count("\n") == 1 and message in err, err


def test_json_and_sarif_are_one_document_with_every_checks_findings(
        service: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    files = sorted(SERVICE)
    _, lines = one_by_one(files, capsys)
    capsys.readouterr()
    assert all_checks.main(["--format", "json", *files]) == 1
    document = json.loads(capsys.readouterr().out)  # one document, not one per check
    assert document["hook"] == HOOK and document["tool"] == "legacy-config-hooks"
    assert sorted(f"{f['path']}:{f['line']}:{f['column']}: {f['hook']}: {f['message']}"
                  for f in document["findings"]) == lines

    assert all_checks.main(["--format", "sarif", *files]) == 1
    sarif = json.loads(capsys.readouterr().out)
    (run,) = sarif["runs"]
    assert len(run["results"]) == len(lines)
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rules == sorted(set(rules)) and {r["ruleId"] for r in run["results"]} <= set(rules)


def test_a_baseline_written_once_holds_every_check(service: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(SERVICE)
    code, lines, _ = together(["--write-baseline", "baseline.json", *files], capsys)
    assert code == 0 and not lines  # recorded, so it passes
    assert together(["--baseline", "baseline.json", *files], capsys)[:2] == (0, [])
    write_files(service, {"config/app.yaml": SERVICE["config/app.yaml"] + "  port: 1\n  port: 2\n"})
    code, lines, _ = together(["--baseline", "baseline.json", *files], capsys)
    assert code == 1 and lines == ["config/app.yaml:6:3: no-duplicate-config-keys: db.port is already set on line 5; "
                                   "the value on line 6 wins"]


def test_outside_git_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = together(["a.yaml"], capsys)
    assert code == 2 and err.strip() == "legacy-config-checks: error: not inside a git work tree"


def test_a_crashing_check_costs_only_its_own_findings(service: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(SERVICE)
    _, every, _ = together(files, capsys)
    real_main = runner.main

    def crash_one(hook: object, argv: list[str]) -> int:
        if getattr(hook, "id", "") == "no-duplicate-config-keys":
            raise RuntimeError("boom")
        return real_main(hook, argv)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "main", crash_one)
    code, lines, err = together(files, capsys)
    assert code == 2
    assert "no-duplicate-config-keys: internal error (RuntimeError)" in err
    assert lines == [line for line in every if ": no-duplicate-config-keys: " not in line]


def test_paths_given_from_a_subfolder_are_the_repo_paths(service: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _, from_root, _ = together(["config/app.yaml"], capsys)
    monkeypatch.chdir(service / "config")
    _, from_sub, _ = together(["app.yaml"], capsys)
    assert from_root and from_sub == from_root


def test_git_answers_are_shared_only_when_asked(service: Path) -> None:
    repo_git.share_answers(False)
    before = repo_git.tracked_files()
    write_files(service, {"new.yaml": "a: 1\n"})
    git(service, "add", "new.yaml")
    assert repo_git.tracked_files() == before | {"new.yaml"}  # off: every call asks git
    repo_git.share_answers()
    shared = repo_git.tracked_files()
    git(service, "rm", "-q", "--cached", "new.yaml")
    assert repo_git.tracked_files() == shared  # on: the first answer stands for the run
    repo_git.share_answers(False)
    assert "new.yaml" not in repo_git.tracked_files()


# -- through the real pre-commit ---------------------------------------------------
def test_pre_commit_run_gives_what_the_single_hooks_give(precommit: PreCommit, tmp_path: Path) -> None:
    """The example legacy service, whole repo and then a one-file commit: the
    single hooks and all-checks print the same finding lines and both fail."""
    repo = tmp_path / "svc"
    shutil.copytree(EXAMPLE, repo)
    precommit.make_repo(repo, {})
    specs = collect.load_manifest()
    singles = precommit.config([{"id": h} for h in collect.default_hooks(specs)])
    one = precommit.config([{"id": HOOK}])
    (tmp_path / "singles.yaml").write_text(singles)
    (tmp_path / "one.yaml").write_text(one)

    def both(*args: str) -> tuple[list[str], list[str]]:
        results = [precommit.run(repo, "run", "-c", str(tmp_path / f"{name}.yaml"), *args) for name in ("singles", "one")]
        for result in results:
            assert result.returncode == 1, result.stdout + result.stderr
            assert "Traceback" not in result.stdout + result.stderr
        return findings(results[0].stdout), findings(results[1].stdout)

    whole_singles, whole_one = both("--all-files")
    assert len(whole_singles) >= 20, whole_singles  # the example plants findings for most checks
    assert whole_one == whole_singles

    settings = next(p for p in sorted(repo.rglob("*.py")) if "settings" in p.parts and p.name != "__init__.py")
    settings.write_text(settings.read_text() + "\nDEBUG = True\n")
    git(repo, "add", str(settings.relative_to(repo)))
    commit_singles, commit_one = both()
    assert commit_one == commit_singles
    assert commit_one and len(commit_one) < len(whole_one), commit_one  # the commit's own files, not the repo's


def test_a_split_pre_commit_run_checks_the_whole_repo_once(precommit: PreCommit, tmp_path: Path) -> None:
    """Over 128 KB of file names: pre-commit starts all-checks two or more times.
    The checks that read the repository, not the files given (pass_filenames:
    false), run in one of them: each finding once, the same lines as one process
    over every file, and the run fails."""
    import collections
    import subprocess
    import sys

    repo = tmp_path / "svc"
    shutil.copytree(EXAMPLE, repo)
    padding = {f"docs/notes/{'n' * 150}-{i:04d}.md": "notes\n" for i in range(900)}
    precommit.make_repo(repo, padding)
    names = git(repo, "ls-files").stdout.splitlines()
    assert sum(len(n) + 1 for n in names) > 2 ** 17  # more than pre-commit's xargs puts on one command line
    (tmp_path / "one.yaml").write_text(precommit.config([{"id": HOOK}]))
    split = precommit.run(repo, "run", "-c", str(tmp_path / "one.yaml"), "--all-files")
    assert split.returncode == 1, split.stdout + split.stderr
    assert "Traceback" not in split.stdout + split.stderr
    lines = [line for line in split.stdout.splitlines() if FINDING.match(line)]

    env = {k: v for k, v in precommit.env().items() if k != "PRE_COMMIT"}
    env["PYTHONPATH"] = str(ROOT)
    script = "import sys; from hooks import all_checks; sys.exit(all_checks.main(sys.argv[1:]))"
    alone = subprocess.run([sys.executable, "-c", script, *names], cwd=repo, env=env,
                           capture_output=True, text=True, timeout=600)
    assert alone.returncode == 1, alone.stdout + alone.stderr
    specs = collect.load_manifest()
    whole_repo = {h for h in collect.default_hooks(specs) if not specs[h].pass_filenames}
    repeated = [line for line, n in collections.Counter(lines).items() if n > 1]
    assert not repeated, "\n".join(sorted({l.split(": ")[1] for l in repeated}))
    assert sorted(lines) == findings(alone.stdout)
    assert {line.split(": ")[1] for line in lines} & whole_repo, lines  # the example plants some
