"""Each redirection verdict of the cron tests, confirmed by the shell itself.

``bash -n`` accepts every command; bashlex finds the same redirections as our
reader; and bash runs each line with every command replaced by a function that
writes ``ERR:<name>`` on stderr: the verdict "stderr discarded" must hold
exactly when bash's combined output (what cron would mail) lacks that line.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hooks.checks.check_background_jobs import shell
from tests.helpers.background_jobs import REDIRECTIONS

bashlex = pytest.importorskip("bashlex")
BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")


@pytest.mark.parametrize(("command", "discards"), REDIRECTIONS)
def test_bash_accepts_the_command(command: str, discards: bool) -> None:
    done = subprocess.run([str(BASH), "-n", "-c", command], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _ours(command: str) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []

    def walk(pipelines: list[list[shell.Simple | shell.Group]]) -> None:
        for pipeline in pipelines:
            for cmd in pipeline:
                if isinstance(cmd, shell.Group):
                    walk(cmd.body)
                out.extend((r.fd, r.op, r.target) for r in cmd.redirects)

    walk(shell.parse(command))
    return sorted(out)


def _bashlex(command: str) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []

    class Visitor(bashlex.ast.nodevisitor):  # type: ignore[misc,name-defined]
        def visitredirect(self, node, input, type, output, heredoc):  # noqa: A002 - bashlex's names
            target = str(output) if isinstance(output, int) else output.word
            fd = input if input is not None else (0 if type.startswith("<") else 1)
            out.append((fd, type, target))

    for part in bashlex.parse(command):
        Visitor().visit(part)
    return sorted(out)


@pytest.mark.parametrize(("command", "discards"), REDIRECTIONS)
def test_bashlex_finds_the_same_redirections(command: str, discards: bool) -> None:
    assert _ours(command) == _bashlex(command)


def _names(command: str) -> list[str]:
    names: list[str] = []

    def walk(pipelines: list[list[shell.Simple | shell.Group]]) -> None:
        for pipeline in pipelines:
            for cmd in pipeline:
                if isinstance(cmd, shell.Group):
                    walk(cmd.body)
                elif cmd.command_words():
                    names.append(cmd.command_words()[0])

    walk(shell.parse(command))
    return names


@pytest.mark.parametrize(("command", "discards"), REDIRECTIONS)
def test_bash_runs_it_the_way_we_read_it(tmp_path: Path, command: str, discards: bool) -> None:
    names = _names(command)
    prelude = []
    for name in dict.fromkeys(names + ["run-parts", "certbot", "tee", "logger"]):
        if name in ("tee", "logger"):
            body = "cat"  # pass what is piped in through to the mail
        elif name in shell.GUARDS or name == "[":
            body = "return 0"
        else:
            body = f"touch {tmp_path}/ran.{len(prelude)}; echo OUT:{name}; echo ERR:{name} >&2"
        prelude.append(f"function {name} {{ {body}; }}")
    script = "\n".join(prelude) + "\n" + command.replace("/var/log/", f"{tmp_path}/") + "\n"
    done = subprocess.run([str(BASH), "-c", script], capture_output=True, text=True, cwd=tmp_path)
    mailed = done.stdout + done.stderr
    logs = "".join(p.read_text() for p in tmp_path.glob("*.log")) + "".join(p.read_text() for p in tmp_path.glob("*.err"))
    ran = [name for i, name in enumerate(dict.fromkeys(names + ["run-parts", "certbot", "tee", "logger"]))
           if (tmp_path / f"ran.{i}").exists()]
    lost = [n for n in ran if f"ERR:{n}" not in mailed and f"ERR:{n}" not in logs]
    assert bool(lost) is discards, (mailed, ran, lost)
