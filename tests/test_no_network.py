"""No hook needs the network: the end-to-end flow runs with sockets blocked
in-process (tests/nonet/sitecustomize.py on PYTHONPATH) in every hook process,
and every hook passes or fails exactly as it does without the block.

Two flows over a copy of examples/legacy-service (a realistic legacy repo with
planted problems and one staged config change): each hook's console script,
and real ``pre-commit try-repo --all-files`` (PYTHONPATH reaches the hooks
through pre-commit). ``NONET_LOG`` proves the block was loaded in each hook
process and records any attempt, even one a hook would swallow.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import PreCommit
from tests.helpers.reliability import (
    ROOT,
    Hook,
    assert_no_traceback,
    clean_env,
    config_files,
    describe,
    git,
    hook_variants,
    hooks,
    prepare_cwd,
    run_hook,
    variant_id,
)

NONET = Path(__file__).resolve().parent / "nonet"
EXAMPLE = ROOT / "examples" / "legacy-service"


def blocked_env(log: Path) -> dict[str, str]:
    return clean_env(PYTHONPATH=str(NONET), NONET_LOG=str(log))


def realistic_repo(hook: Hook, path: Path) -> Path:
    """A committed copy of the example service with one staged config change."""
    shutil.copytree(EXAMPLE, path)
    prepare_cwd(hook, path)
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "a legacy service", "--no-verify")
    target = path / "config" / "production.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "\nextra_setting: 1\n", encoding="utf-8")
    git(path, "add", "config/production.yaml")
    return path


def files_for(hook: Hook, root: Path) -> list[str]:
    """What pre-commit would pass: the config files the hook's ``files`` matches."""
    if not hook.pass_filenames:
        return []
    names = [p.relative_to(root).as_posix() for p in config_files(root)]
    pattern = re.compile(hook.files) if hook.files else None
    return [n for n in names if pattern is None or pattern.search(n)]


def test_sitecustomize_blocks_sockets_in_a_child_process(tmp_path: Path) -> None:
    import subprocess
    import sys

    log = tmp_path / "nonet.log"
    code = (
        "import socket\n"
        "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\nexcept OSError as e:\n    print(e)\n"
        "try:\n    socket.getaddrinfo('example.com', 80)\nexcept OSError as e:\n    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=blocked_env(log), capture_output=True, text=True)
    assert result.stdout.count("network access blocked") == 2, result.stdout + result.stderr
    assert "loaded" in log.read_text() and log.read_text().count("blocked") == 2


@pytest.mark.parametrize("hv", hook_variants(), ids=variant_id)
def test_console_script_gives_the_same_result_with_the_network_blocked(tmp_path: Path, hv: tuple) -> None:
    hook, variant = hv
    results = []
    for name, env in (("open", None), ("blocked", blocked_env(tmp_path / "nonet.log"))):
        root = realistic_repo(hook, tmp_path / name)
        result = run_hook(hook, root, [*variant, *files_for(hook, root)], env=env)
        assert_no_traceback(result)
        assert result.returncode in (0, 1), describe(result)
        results.append((result.returncode, result.stdout, result.stderr.replace(str(root), "<root>")))
    assert results[0] == results[1], "network block changed the result:\n" + "\n".join(map(str, results))
    log = (tmp_path / "nonet.log").read_text()
    assert f"loaded {hook.entry}" in log, f"the block was not loaded in {hook.entry}: {log!r}"
    assert "blocked" not in log, log


_STATUS = re.compile(r"^(?P<name>.+?)\.{3,}(?:\(no files to check\))?(?P<status>Passed|Failed|Skipped)$", re.M)


def summary(stdout: str, root: Path) -> tuple[list, list]:
    """Per-hook status lines, and the finding lines, of a pre-commit run."""
    statuses = [(m.group("name").strip(), m.group("status")) for m in _STATUS.finditer(stdout)]
    findings = sorted(
        line.replace(str(root), "<root>")
        for line in stdout.splitlines()
        if re.match(r"^\S.*:\d+:\d+: [a-z-]+: ", line)
    )
    return statuses, findings


def run_pre_commit(precommit: PreCommit, root: Path, mode: str, env: dict[str, str]) -> tuple[int, list, list]:
    if mode == "try-repo":
        args = ["try-repo", str(precommit.repo), "--ref", precommit.rev, "--all-files"]
    else:
        (root / ".pre-commit-config.yaml").write_text(precommit.config([{"id": h.id} for h in hooks()]))
        args = ["run", "--all-files"]
    result = precommit.run(root, *args, env=env)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return (result.returncode, *summary(result.stdout, root))


# "run": pre-commit run with a config pointing at the snapshot; its hook env is
# built once (by the open run) in the session's PRE_COMMIT_HOME, so pre-commit
# itself runs blocked too. "try-repo": try-repo installs a fresh env with pip on
# every call, so the block is limited to the hooks' console scripts (NONET_ONLY).
@pytest.mark.parametrize("mode", ["run", "try-repo"])
def test_pre_commit_gives_the_same_result_with_the_network_blocked(
    precommit: PreCommit, tmp_path: Path, mode: str
) -> None:
    log = tmp_path / "nonet.log"
    ran = {h.entry for h in hooks() if not h.stages or "pre-commit" in h.stages}
    blocked = blocked_env(log)
    if mode == "try-repo":
        blocked["NONET_ONLY"] = ",".join(sorted(ran))
    runs = []
    for name, env in (("open", {}), ("blocked", blocked)):
        runs.append(run_pre_commit(precommit, realistic_repo(hooks()[0], tmp_path / name), mode, env))
    statuses = runs[0][1]
    assert {s for _, s in statuses} - {"Skipped"}, f"no hook ran: {runs[0]}"
    assert runs[0] == runs[1], "network block changed the result:\n" + "\n".join(map(str, runs))
    text = log.read_text()
    assert "blocked" not in text, text
    loaded = {line.split(" ", 1)[1] for line in text.splitlines() if line.startswith("loaded ")}
    # The block was active in the hook processes pre-commit started (hooks with
    # no file to check are not started).
    assert loaded & ran, f"the block was never loaded in a hook: {text!r}"
    assert len(loaded & ran) >= sum(1 for _, s in statuses if s != "Skipped"), (loaded, statuses)
