"""The hook's own plumbing: which staged files start a run, which findings a run
with file names reports, files of test and CI environments, outside a git work
tree, --production-settings that names no file, and the console entry point."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers.background_jobs import BARE_CRONJOB as CRONJOB

BAD_CRON = "*/5 * * * * /srv/bin/sync >/dev/null 2>&1\n"


def test_with_file_names_only_findings_about_those_files_are_reported(jobs) -> None:
    r = jobs({"deploy/crontab": BAD_CRON, "docker/crontab": BAD_CRON.replace("sync", "export")}, pass_filenames=False)
    assert [line.split(":", 1)[0] for line in r.lines] == ["deploy/crontab", "docker/crontab"]
    only = jobs({"docker/crontab": BAD_CRON.replace("sync", "export")}, pass_filenames=True)
    assert [line.split(":", 1)[0] for line in only.lines] == ["docker/crontab"]


def test_a_staged_manifest_starts_a_run(jobs, rule_ids) -> None:
    r = jobs({"deploy/k8s/cronjob.yaml": CRONJOB}, pass_filenames=True)
    assert rule_ids(r) == ["cronjob-concurrency", "cronjob-deadline", "job-retries-history"]


@pytest.mark.parametrize("path", ["e2e/k8s/cronjob.yaml", ".gitlab/k8s/cronjob.yaml"])
def test_manifests_of_test_and_ci_environments_are_left_alone(jobs, path: str) -> None:
    r = jobs({path: CRONJOB})
    assert (r.code, r.lines) == (0, [])


@pytest.mark.parametrize("path", ["e2e/crontab", ".ci/crontab"])
def test_crontabs_of_test_and_ci_environments_are_left_alone(jobs, path: str) -> None:
    r = jobs({path: BAD_CRON})
    assert (r.code, r.lines) == (0, [])


def test_production_settings_that_name_no_file_are_a_usage_error(jobs) -> None:
    r = jobs({"deploy/crontab": BAD_CRON}, "--production-settings", "shop/settings/live.py")
    assert r.code == 2
    assert r.lines == []
    assert "--production-settings shop/settings/live.py: no such file" in r.err


def test_outside_a_git_work_tree_is_a_one_line_usage_error(run_hook, tmp_path: Path) -> None:
    assert subprocess.run(["git", "rev-parse"], cwd=tmp_path, capture_output=True).returncode != 0
    r = run_hook("check-background-jobs", files={"crontab": BAD_CRON}, pass_filenames=True)
    assert (r.code, r.lines) == (2, [])
    assert r.err.strip().splitlines() == [
        "check-background-jobs: error: not inside a git work tree (this hook reads the repository through git)"]


def test_when_git_cannot_list_the_index_the_given_files_are_read(jobs, monkeypatch: pytest.MonkeyPatch) -> None:
    from hooks.repo import git

    def broken() -> set[str]:
        raise git.GitError("fatal: index file corrupt")

    monkeypatch.setattr(git, "tracked_files", broken)
    r = jobs({"deploy/crontab": BAD_CRON, "docker/crontab": BAD_CRON}, pass_filenames=True)
    assert [line.split(":", 1)[0] for line in r.lines] == ["deploy/crontab", "docker/crontab"]


def test_console_entry_point(jobs, capsys: pytest.CaptureFixture[str]) -> None:
    from hooks.checks.check_background_jobs import main

    jobs({"deploy/crontab": BAD_CRON})
    capsys.readouterr()
    assert main([]) == 1
    assert "deploy/crontab:1:1: check-background-jobs: cron-discards-errors:" in capsys.readouterr().out
