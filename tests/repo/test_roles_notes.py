"""require-rollback-note asks for a note only for service and deployment
config, and never for a bot's change (issue 11)."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.require_rollback_note import main
from hooks.common import change_notes
from hooks.repo import roles
from tests.conftest import git, write_files

SERVICE = {"config/production.yaml": "cache:\n  ttl: 60\n", "README.md": "# billing\n"}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF", "PRE_COMMIT_ORIGIN", "PRE_COMMIT_SOURCE", "GITHUB_ACTIONS",
                 "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "svc"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Ann Dev")
    git(root, "config", "user.email", "ann@example.com")
    write_files(root, SERVICE)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial", "--no-verify")
    monkeypatch.chdir(root)
    return root


def stage(root: Path, files: dict[str, str]) -> None:
    write_files(root, files)
    git(root, "add", *files)


@pytest.mark.parametrize(
    "path",
    [
        "myapp/fixtures/users.json", "tests/cassettes/pay.yaml", "docs/conf/production.yaml",
        "releasenotes/notes/prod-fix-1a2b.yaml", "package-lock.json", "pnpm-lock.yaml", ".github/workflows/ci.yml",
        ".zuul.yaml", ".devcontainer/devcontainer.json", "docker-compose.override.yml", "frontend/tsconfig.json",
        "action.yaml",
    ],
)
def test_files_that_are_not_service_or_deployment_config_need_no_note(repo: Path, capsys, path: str) -> None:
    stage(repo, {path: "{}\n" if path.endswith(".json") else "a: 1\n"})
    assert main([]) == 0
    assert capsys.readouterr().out == ""


# A migration is code by role, but it needs a note: the release's rollback note
# must cover it (migrations-need-notes, issue 14).
@pytest.mark.parametrize("path", ["config/production.yaml", "docker-compose.yml", "helm/shop/values.yaml",
                                  "shop/settings.py", ".envs/.production/.django", "app/migrations/0002_settings.py"])
def test_service_and_deployment_config_still_need_a_note(repo: Path, capsys, path: str) -> None:
    stage(repo, {path: "a = 2\n" if path.endswith(".py") else "a: 2\n"})
    assert main([]) == 1
    assert capsys.readouterr().out.startswith(f"{path}:1:1: require-rollback-note:")


@pytest.mark.parametrize("author", ["dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
                                    "renovate-bot <bot@renovateapp.com>", "getsentry-bot <bot@getsentry.com>",
                                    "pre-commit-ci[bot] <66853113+pre-commit-ci[bot]@users.noreply.github.com>"])
def test_a_bot_change_needs_no_note(repo: Path, capsys, monkeypatch, author: str) -> None:
    name, email = author[:-1].split(" <")
    monkeypatch.setenv("GIT_AUTHOR_NAME", name)
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", email)
    stage(repo, {"config/production.yaml": "cache:\n  ttl: 90\n"})
    assert main([]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "a bot author" in captured.err


def test_bot_authors_setting_replaces_the_default(repo: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("GIT_AUTHOR_NAME", "dependabot[bot]")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "dependabot@example.com")
    stage(repo, {"pyproject.toml": "[tool.legacy-config-hooks.require-rollback-note]\nbot-authors = 'release-robot'\n",
                 "config/production.yaml": "cache:\n  ttl: 90\n"})
    assert main([]) == 1


def test_roles_setting_makes_test_data_need_a_note(repo: Path, capsys) -> None:
    stage(repo, {"pyproject.toml": "[tool.legacy-config-hooks.roles]\nconfig = ['fixtures/**']\n",
                 "fixtures/site.json": "{}\n"})
    assert main([]) == 1
    assert "fixtures/site.json:1:1:" in capsys.readouterr().out


def test_policy_is_pure() -> None:
    policy = change_notes.Policy(roles=roles.default())
    assert policy.needs_note("config/production.yaml")
    assert not policy.needs_note("tests/fixtures/a.yaml")
    assert policy.is_bot("dependabot[bot]") and not policy.is_bot("Ann Dev <ann@example.com>")
    assert change_notes.Policy().needs_note("tests/fixtures/a.yaml")  # no roles: every config file, as in 0.1
