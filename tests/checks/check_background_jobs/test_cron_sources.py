"""Cron lines written by Dockerfiles and scripts over several lines, supercronic's
@every schedules, and lines that only look like cron (catch / leave-alone pairs)."""
from __future__ import annotations

import pytest

from hooks.checks.check_background_jobs import cron

CONTINUED = """\
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends cron \\
    && rm -rf /var/lib/apt/lists/*
RUN echo "installing the cron jobs" \\
    && echo "*/5 * * * * cd /app && python manage.py sync_orders >/dev/null 2>&1" \\
        > /etc/cron.d/shop \\
    && echo "0 3 * * * cd /app && python manage.py clearsessions >> /var/log/cron.log 2>&1" >> /etc/cron.d/shop \\
    && crontab /etc/cron.d/shop
CMD ["cron", "-f"]
"""


def test_a_run_continued_over_lines_reports_the_line_of_the_cron_text(jobs, rule_ids) -> None:
    r = jobs({"Dockerfile": CONTINUED})
    assert rule_ids(r) == ["cron-discards-errors"]
    assert r.lines[0].startswith("Dockerfile:5:1: check-background-jobs: cron-discards-errors: `python manage.py sync_orders` sends stderr")


def test_a_continued_run_that_logs_passes(jobs) -> None:
    r = jobs({"Dockerfile": CONTINUED.replace(">/dev/null 2>&1", ">> /var/log/cron.log 2>&1")})
    assert (r.code, r.lines) == (0, [])


def test_a_script_ending_in_a_continuation_is_read(jobs, rule_ids) -> None:
    script = '#!/bin/sh\nset -e\necho "*/10 * * * * /app/bin/poll 2>/dev/null" | crontab - \\\n'
    r = jobs({"docker/entrypoint.sh": script})
    assert rule_ids(r) == ["cron-discards-errors"]
    assert r.lines[0].startswith("docker/entrypoint.sh:3:1:")


def test_escaped_quotes_in_the_echoed_line_fall_back_to_the_run_line(jobs, rule_ids) -> None:
    dockerfile = 'FROM alpine\nRUN echo "0 * * * * /app/run \\"hourly\\" 2>/dev/null" >> /etc/crontabs/root\n'
    r = jobs({"Dockerfile": dockerfile})
    assert rule_ids(r) == ["cron-discards-errors"]
    assert r.lines[0].startswith("Dockerfile:2:1:")


@pytest.mark.parametrize("text", [
    # echo of a schedule-looking line into a file that is not a crontab, in a script that never mentions it
    '#!/bin/sh\necho "*/5 * * * * /app/poll 2>/dev/null" > /tmp/schedule.txt\n',
    # an unclosed quote: the line cannot be read, so it is not judged
    "#!/bin/sh\necho \"*/5 * * * * /app/poll 2>/dev/null >> /etc/crontabs/root\n",
])
def test_scripts_that_do_not_write_a_readable_crontab_line_are_left_alone(jobs, text: str) -> None:
    r = jobs({"docker/entrypoint.sh": text})
    assert (r.code, r.lines) == (0, [])


SUPERCRONIC = """\
# supercronic crontab (deploy/crontab)
@every 2m python manage.py process_queue >> /proc/1/fd/1 2>&1
@every 1h30m python manage.py rebuild_index >> /proc/1/fd/1 2>&1
@daily python manage.py clearsessions >> /proc/1/fd/1 2>&1
@reboot
"""


def test_supercronic_every_schedules_need_an_overlap_guard_when_enabled(jobs, rule_ids) -> None:
    r = jobs({"deploy/crontab": SUPERCRONIC}, "--enable", "cron-no-overlap-guard")
    assert rule_ids(r) == ["cron-no-overlap-guard", "cron-no-overlap-guard"]
    assert [line.split(":", 2)[1] for line in r.lines] == ["2", "3"]


@pytest.mark.parametrize("line", ["@reboot", "Mon Tue * * * not a schedule", "*/5 * * *", "at 5 * * * * run", "Run: * * * * * /app/x"])
def test_lines_that_only_look_like_cron_are_not_cron_lines(line: str) -> None:
    assert cron.split(line) is None
