"""cron-discards-errors and cron-no-overlap-guard: catch / leave-alone pairs on
crontabs shaped like real ones, and the redirection verdicts of the shell reader."""
from __future__ import annotations

import pytest

from hooks.checks.check_background_jobs import cron, shell
from tests.helpers.background_jobs import REDIRECTIONS


@pytest.mark.parametrize(("command", "discards"), REDIRECTIONS)
def test_redirection_verdicts(command: str, discards: bool) -> None:
    assert bool(shell.discarding(command)) is discards


def test_unbalanced_quotes_are_a_shell_error() -> None:
    with pytest.raises(shell.ShellError):
        shell.verdicts('python "x.py >/dev/null')


@pytest.mark.parametrize(("line", "schedule", "command"), [
    ("*/5 * * * * python a.py >/dev/null 2>&1", ["*/5", "*", "*", "*", "*"], "python a.py >/dev/null 2>&1"),
    ("@daily /srv/backup.sh", ["@daily"], "/srv/backup.sh"),
    ("0 3 * * * root /usr/bin/backup", ["0", "3", "*", "*", "*"], "/usr/bin/backup"),
    ("0 0 * * mon-fri date +\\%Y%hello", ["0", "0", "*", "*", "mon-fri"], "date +%Y"),
])
def test_cron_lines_split_into_schedule_and_command(line: str, schedule: list[str], command: str) -> None:
    assert cron.split(line) == (schedule, command)


@pytest.mark.parametrize("line", ["# 0 * * * * x", "MAILTO=ops@example.com", "SHELL=/bin/bash", "", "run-parts /etc/x"])
def test_not_cron_lines(line: str) -> None:
    assert cron.split(line) is None


CRONTAB = """\
# m h dom mon dow command
MAILTO=ops@example.com
SHELL=/bin/bash
*/5 * * * * cd /srv/shop && /srv/venv/bin/python manage.py sync_orders >/dev/null 2>&1
0 3 * * * cd /srv/shop && /srv/venv/bin/python manage.py clearsessions > /dev/null
30 2 * * * /srv/bin/backup.sh >> /var/log/backup.log 2>&1
"""


def test_crontab_catches_discarded_stderr_and_leaves_stdout_only_alone(jobs, rule_ids) -> None:
    r = jobs({"deploy/crontab": CRONTAB})
    assert r.code == 1
    assert rule_ids(r) == ["cron-discards-errors"]
    assert r.lines[0].startswith("deploy/crontab:4:1: check-background-jobs: cron-discards-errors: "
                                 "`/srv/venv/bin/python manage.py sync_orders` sends stderr to /dev/null (>/dev/null 2>&1)")


def test_crontab_that_logs_passes(jobs) -> None:
    fixed = CRONTAB.replace(">/dev/null 2>&1", ">>/var/log/shop/sync.log 2>&1")
    r = jobs({"deploy/crontab": fixed})
    assert (r.code, r.lines) == (0, [])


def test_cron_d_and_crontabs_folders_are_read_with_the_user_field(jobs, rule_ids) -> None:
    r = jobs({
        "docker/cron.d/shop": "17 * * * * www-data /srv/bin/report 2>/dev/null\n",
        "docker/crontabs/root": "0 * * * * /srv/bin/ok >/dev/null\n",
    })
    assert rule_ids(r) == ["cron-discards-errors"]
    assert r.lines[0].startswith("docker/cron.d/shop:1:1:")


def test_busybox_periodic_scripts_are_not_cron_lines(jobs) -> None:
    r = jobs({
        "docker/crontabs/root": "*/15 * * * * run-parts /etc/periodic/15min\n",
        "docker/periodic/15min/sync": "#!/bin/sh\n0 1 * * * x\nexec python /srv/manage.py sync 2>/dev/null\n",
    })
    assert (r.code, r.lines) == (0, [])


def test_dockerfile_echo_into_crontab(jobs, rule_ids) -> None:
    dockerfile = """\
FROM python:3.11-alpine
RUN echo "*/10 * * * * cd /app && python manage.py import_feeds > /dev/null 2>&1" >> /etc/crontabs/root
RUN echo "0 1 * * * cd /app && python manage.py clearsessions > /dev/null" >> /etc/crontabs/root
CMD ["crond", "-f"]
"""
    r = jobs({"Dockerfile": dockerfile})
    assert rule_ids(r) == ["cron-discards-errors"]
    assert r.lines[0].startswith("Dockerfile:2:1:")


def test_dockerfile_redirection_of_the_echo_itself_is_not_the_jobs(jobs) -> None:
    dockerfile = 'FROM debian\nRUN (crontab -l 2>/dev/null; echo "0 * * * * /app/run.sh >> /var/log/run.log 2>&1") | crontab -\n'
    r = jobs({"Dockerfile": dockerfile})
    assert (r.code, r.lines) == (0, [])


def test_suppression_marker_on_the_line_above(jobs) -> None:
    text = "# legacy-config: ignore[check-background-jobs]\n*/5 * * * * /srv/bin/sync >/dev/null 2>&1\n"
    r = jobs({"crontab": text})
    assert (r.code, r.lines) == (0, [])


OVERLAP = """\
*/5 * * * * /srv/bin/import.sh >> /var/log/import.log 2>&1
*/5 * * * * flock -n /tmp/export.lock /srv/bin/export.sh >> /var/log/export.log 2>&1
0 * * * * /srv/bin/hourly.sh >> /var/log/hourly.log 2>&1
"""


def test_overlap_guard_is_off_by_default(jobs) -> None:
    assert jobs({"crontab": OVERLAP}).code == 0


def test_overlap_guard_when_enabled(jobs, rule_ids) -> None:
    r = jobs({"crontab": OVERLAP}, "--enable", "cron-no-overlap-guard")
    assert rule_ids(r) == ["cron-no-overlap-guard"]
    assert r.lines[0].startswith("crontab:1:1:")


def test_uwsgi_attach_daemon_is_not_cron(jobs) -> None:
    ini = "[uwsgi]\nprocesses = 4\nattach-daemon = celery -A shop beat >/dev/null 2>&1\n"
    r = jobs({"uwsgi.ini": ini})
    assert (r.code, r.lines) == (0, [])
