"""The shell reader on what the bash-confirmed table (tests/helpers/background_jobs.py
REDIRECTIONS) cannot hold: ``|&`` and a closed stderr (bashlex spells them
differently), and cron commands that do not parse, which are listed, not judged."""
from __future__ import annotations

import pytest

from hooks.checks.check_background_jobs import shell


def test_pipe_with_stderr_sends_both_streams_down_the_pipe() -> None:
    [sync, logger] = shell.verdicts("python manage.py sync |& logger -t sync")
    assert (sync.command, sync.stderr) == ("python manage.py sync", shell.PIPE)
    assert logger.stderr == "<cron>"
    assert shell.discarding("python manage.py sync |& logger -t sync") == []


def test_closed_stderr_discards() -> None:
    [v] = shell.verdicts("python manage.py sync 2>&-")
    assert v.stderr == shell.CLOSED
    assert v.discards


def test_a_duplicated_descriptor_the_line_never_opened_is_not_dev_null() -> None:
    [v] = shell.verdicts("python manage.py sync 2>&3")
    assert v.stderr == "<fd 3>"
    assert not v.discards


def test_words_are_unquoted_and_escapes_kept_whole() -> None:
    [[cmd]] = shell.parse(r"/srv/bin/report\ daily.sh --title 'a b' --x \"q\" 2>/dev/null")
    assert isinstance(cmd, shell.Simple)
    assert cmd.words == ["/srv/bin/report daily.sh", "--title", "a b", "--x", '"q"']
    assert cmd.name == "report daily.sh"


def test_a_line_of_assignments_only_has_no_command() -> None:
    [[cmd]] = shell.parse("PATH=/usr/local/bin:/usr/bin")
    assert isinstance(cmd, shell.Simple)
    assert (cmd.command_words(), cmd.name) == ([], "")
    assert shell.verdicts("PATH=/usr/local/bin:/usr/bin") == []


@pytest.mark.parametrize(("command", "error"), [
    ("python x.py --tag 'nightly 2>/dev/null", "an unclosed single quote"),
    ('python x.py "x 2>/dev/null', "an unclosed double quote"),
    ("(cd /srv && ./sync.sh 2>/dev/null", "an unclosed parenthesis"),
    ("{ ./a.sh; ./b.sh 2>/dev/null", "an unclosed brace group"),
    ("./sync.sh) 2>/dev/null", "an unbalanced parenthesis"),
    (") ./sync.sh", "an unbalanced parenthesis"),
    ("./sync.sh 2>", "a redirection with no target at column 11"),
])
def test_commands_that_do_not_parse_raise_shell_error(command: str, error: str) -> None:
    with pytest.raises(shell.ShellError, match=error):
        shell.verdicts(command)


def test_a_cron_line_that_does_not_parse_is_listed_and_the_rest_judged(jobs, rule_ids) -> None:
    crontab = ("*/5 * * * * python manage.py sync --tag 'nightly >/dev/null 2>&1\n"
               "0 3 * * * python manage.py clearsessions >/dev/null 2>&1\n")
    r = jobs({"deploy/crontab": crontab}, "--verbose")
    assert rule_ids(r) == ["cron-discards-errors"]
    assert r.lines[0].startswith("deploy/crontab:2:1:")
    assert "deploy/crontab:1: cannot read the cron command (an unclosed single quote)" in r.err
