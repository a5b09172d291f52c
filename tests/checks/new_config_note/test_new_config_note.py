"""new-config-note writes a note skeleton that require-rollback-note refuses until filled in."""
from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from hooks.checks import new_config_note, require_rollback_note
from tests.conftest import git, write_files

TODAY = datetime.date.today().isoformat()
SERVICE = {
    "config/production.yaml": "cache:\n  ttl: 60\n",
    "config/staging.yaml": "cache:\n  ttl: 30\n",
    "settings/prod.py": "DEBUG = False\n",
    "README.md": "# billing\n",
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The service repo, committed once per module; each test gets a copy."""
    root = tmp_path_factory.mktemp("template") / "svc"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.com")
    write_files(root, SERVICE)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial", "--no-verify")
    return root


@pytest.fixture
def repo(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF", "PRE_COMMIT_ORIGIN", "PRE_COMMIT_SOURCE", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    # Only the repo's own git config counts: no user.email leaks in from the machine.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "svc"
    shutil.copytree(template, root, symlinks=True)
    monkeypatch.chdir(root)
    return root


def stage(root: Path, files: dict) -> None:
    write_files(root, files)
    git(root, "add", *files)


def helper(capsys, *args: str):
    code = new_config_note.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def hook(capsys):
    code = require_rollback_note.main([])
    out, err = capsys.readouterr()
    return code, out, err


def fill_in(path: Path) -> None:
    text = path.read_text()
    text = re.sub(r"^expected: .*$", "expected: cache hit rate above 80 % within an hour", text, flags=re.M)
    text = re.sub(r"^rollback: .*$", "rollback: set cache.ttl back to 60 and redeploy", text, flags=re.M)
    path.write_text(text)


def test_default_picks_the_staged_config_files_and_prints_the_note(repo: Path, capsys) -> None:
    stage(repo, {"config/production.yaml": "cache:\n  ttl: 300\n", "settings/prod.py": "DEBUG = False\nX = 1\n", "README.md": "x\n"})
    code, out, err = helper(capsys)
    assert code == 0
    assert out == f"config-changes/{TODAY}-production-prod.yaml\n"
    text = (repo / out.strip()).read_text()
    assert "files:\n  - config/production.yaml\n  - settings/prod.py\nowner: dev@example.com\n" in text
    assert "README.md" not in text
    assert f"git add {out.strip()}" in err


def test_the_skeleton_fails_until_it_is_filled_in(repo: Path, capsys) -> None:
    stage(repo, {"config/production.yaml": "cache:\n  ttl: 300\n"})
    _, out, _ = helper(capsys)
    note = out.strip()
    git(repo, "add", note)
    code, out, _ = hook(capsys)
    assert code == 1
    assert f"{note}:7:1: require-rollback-note: expected still holds the prompt new-config-note wrote" in out
    assert f"{note}:8:1: require-rollback-note: rollback still holds the prompt new-config-note wrote" in out
    assert "config/production.yaml:1:1" not in out  # covered: only the prompts are left to do

    fill_in(repo / note)
    git(repo, "add", note)
    assert hook(capsys) == (0, "", "")


def test_deleting_only_the_todo_word_still_fails(repo: Path, capsys) -> None:
    stage(repo, {"config/production.yaml": "cache:\n  ttl: 300\n"})
    note = helper(capsys)[1].strip()
    path = repo / note
    path.write_text(path.read_text().replace('"TODO: ', '"'))
    git(repo, "add", note)
    code, out, _ = hook(capsys)
    assert code == 1 and "rollback still holds the prompt" in out


def test_given_paths_are_taken_from_where_the_user_stands(repo: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(repo / "config")
    code, out, _ = helper(capsys, "production.yaml", "../settings/prod.py", "--slug", "Cache TTL!")
    assert code == 0
    assert out == f"../config-changes/{TODAY}-cache-ttl.yaml\n"
    text = (repo / "config-changes" / f"{TODAY}-cache-ttl.yaml").read_text()
    assert "  - config/production.yaml\n  - settings/prod.py\n" in text


def test_it_never_overwrites_a_note(repo: Path, capsys) -> None:
    existing = repo / "config-changes" / f"{TODAY}-production.yaml"
    write_files(repo, {f"config-changes/{TODAY}-production.yaml": "keep me\n"})
    assert helper(capsys, "config/production.yaml")[1] == f"config-changes/{TODAY}-production-2.yaml\n"
    assert helper(capsys, "config/production.yaml")[1] == f"config-changes/{TODAY}-production-3.yaml\n"
    assert existing.read_text() == "keep me\n"


def test_owner_falls_back_to_the_default_owner_setting_then_to_a_prompt(repo: Path, capsys) -> None:
    git(repo, "config", "--unset", "user.email")
    _, out, _ = helper(capsys, "config/production.yaml")
    assert 'owner: "TODO: the person or team that answers for this change"\n' in (repo / out.strip()).read_text()
    write_files(repo, {"setup.cfg": "[legacy-config-hooks]\ndefault-owner = payments-team\n"})
    _, out, _ = helper(capsys, "config/production.yaml")
    assert "owner: payments-team\n" in (repo / out.strip()).read_text()
    _, out, _ = helper(capsys, "config/production.yaml", "--owner", "alice@example.com")
    assert "owner: alice@example.com\n" in (repo / out.strip()).read_text()


def test_a_prompt_owner_is_refused_by_the_hook(repo: Path, capsys) -> None:
    git(repo, "config", "--unset", "user.email")
    stage(repo, {"config/production.yaml": "cache:\n  ttl: 300\n"})
    note = helper(capsys)[1].strip()
    fill_in(repo / note)
    git(repo, "add", note)
    code, out, _ = hook(capsys)
    assert code == 1 and f"{note}:6:1: require-rollback-note: owner still holds the prompt" in out


def test_a_deleted_file_is_listed_and_marked_so_later_cleanup_runs_pass(repo: Path, capsys) -> None:
    git(repo, "rm", "-q", "config/staging.yaml")
    note = helper(capsys)[1].strip()
    text = (repo / note).read_text()
    assert "  - config/staging.yaml  # deleted; legacy-config: ignore[require-rollback-note]\n" in text
    fill_in(repo / note)
    git(repo, "add", note)
    assert hook(capsys) == (0, "", "")
    git(repo, "commit", "-q", "-m", "drop staging", "--no-verify")
    assert hook(capsys) == (0, "", "")  # cleanup mode: the deleted file would match nothing, but it is marked


def test_default_skips_files_a_staged_note_already_covers(repo: Path, capsys) -> None:
    stage(repo, {"config/production.yaml": "cache:\n  ttl: 300\n"})
    first = helper(capsys)[1].strip()
    git(repo, "add", first)
    stage(repo, {"config/staging.yaml": "cache:\n  ttl: 1\n"})
    second = helper(capsys)[1].strip()
    text = (repo / second).read_text()
    assert "config/staging.yaml" in text and "config/production.yaml" not in text


def test_nothing_staged_says_what_to_do(repo: Path, capsys) -> None:
    code, out, err = helper(capsys)
    assert code == 1 and out == ""
    assert "name the files: new-config-note config/production.yaml" in err
    assert not (repo / "config-changes").exists()


def test_the_notes_folder_setting_is_honoured(repo: Path, capsys) -> None:
    write_files(repo, {"pyproject.toml": '[tool.legacy-config-hooks]\nnotes-dir = "ops/changes"\n'})
    assert helper(capsys, "config/production.yaml")[1] == f"ops/changes/{TODAY}-production.yaml\n"


def test_odd_paths_are_quoted_so_the_note_still_parses(repo: Path, capsys) -> None:
    stage(repo, {"config/my app: prod.yaml": "a: 1\n"})
    note = helper(capsys)[1].strip()
    assert '  - "config/my app: prod.yaml"\n' in (repo / note).read_text()
    fill_in(repo / note)
    git(repo, "add", note)
    assert hook(capsys) == (0, "", "")


def test_a_path_outside_the_repo_is_a_usage_error(repo: Path, capsys) -> None:
    code = new_config_note.main(["../elsewhere.yaml"])
    assert code == 2 and "outside the repository" in capsys.readouterr().err
