"""require-rollback-note on real git repos made in tmp_path."""
from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from hooks.checks.require_rollback_note import main
from hooks.common import change_notes
from tests.conftest import ROOT, HookResult, git, write_files

SERVICE = {
    "config/production.yaml": "cache:\n  ttl: 60\n  backend: redis\n",
    "config/staging.yaml": "cache:\n  ttl: 30\n  backend: redis\n",
    ".env.production": "WORKERS=4\n",
    "settings/prod.py": "DEBUG = False\n",
    "app/main.py": "print('hello')\n",
    "README.md": "# billing\n",
    "config-changes/2026-01-01-initial.yaml": (
        "files: [config/production.yaml]\nowner: ops\nexpected: it starts\nrollback: revert the commit\n"
    ),
}


def note(files: Sequence[str] = ("config/production.yaml",), rollback: str = "set cache.ttl back to 60 and redeploy") -> str:
    items = "".join(f"  - {f}\n" for f in files)
    return (
        f"files:\n{items}owner: payments-team\n"
        f"expected: cache hit rate above 80 %\nrollback: {rollback}\nticket: BILL-1234\n"
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The service repo, committed once per module; each test gets a copy."""
    root = tmp_path_factory.mktemp("template") / "svc"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_files(root, SERVICE)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial", "--no-verify")
    return root


@pytest.fixture
def repo(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF", "PRE_COMMIT_ORIGIN", "PRE_COMMIT_SOURCE", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    for name in ("FORMAT", "BASELINE", "WRITE_BASELINE", "REPORT_STALE"):
        monkeypatch.delenv("LEGACY_CONFIG_HOOKS_" + name, raising=False)
    root = tmp_path / "svc"
    shutil.copytree(template, root, symlinks=True)
    monkeypatch.chdir(root)
    return root


def stage(root: Path, files: dict) -> None:
    write_files(root, files)
    git(root, "add", *files)




CHANGE = {"config/production.yaml": "cache:\n  ttl: 300\n  backend: redis\n"}


def test_staged_config_change_without_note_fails_naming_the_file_and_the_command(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    stage(repo, CHANGE)
    code, out, err = run_hook("require-rollback-note")
    assert code == 1
    assert out.startswith(
        "config/production.yaml:1:1: require-rollback-note: modified with no change note in this change"
    ), out
    assert "    new-config-note config/production.yaml\n" in err
    assert "pre-commit run new-config-note --hook-stage manual" in err


def test_same_change_with_a_valid_note_passes(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    stage(repo, {**CHANGE, "config-changes/2026-11-27-cache-ttl.yaml": note()})
    assert run_hook("require-rollback-note") == (0, "", "")


def test_an_old_note_listing_the_file_does_not_cover_a_new_change(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    # config-changes/2026-01-01-initial.yaml lists config/production.yaml, but it is not part of this change.
    stage(repo, CHANGE)
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1 and "config/production.yaml:1:1:" in out


def test_a_note_covering_another_file_does_not_cover_this_one(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    stage(repo, {**CHANGE, ".env.production": "WORKERS=8\n", "config-changes/n.yaml": note()})
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1
    assert ".env.production:1:1: require-rollback-note: modified" in out
    assert "config/production.yaml" not in out


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (note().replace("rollback: set cache.ttl back to 60 and redeploy\n", ""), 1, "missing field 'rollback'"),
        (note(rollback=""), 5, "rollback is empty"),
        (note(rollback="[]"), 5, "rollback must be text, not a sequence"),
        (note(rollback='""'), 5, "rollback is empty"),
    ],
)
def test_a_note_without_a_rollback_fails_at_the_right_line(run_hook: Callable[..., HookResult], repo: Path, capsys, text: str, line: int, message: str) -> None:
    stage(repo, {**CHANGE, "config-changes/n.yaml": text})
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1
    assert re.search(rf"^config-changes/n\.yaml:{line}:1: require-rollback-note: {re.escape(message)}", out, re.M), out
    assert "config/production.yaml:1:1" not in out  # the note still covers the file: one problem, one line


@pytest.mark.parametrize("value", ["TODO", "tbd", "TBD.", "-", "n/a", "N/A", "TODO: fill in later", "???", "none"])
def test_a_placeholder_rollback_fails(run_hook: Callable[..., HookResult], repo: Path, capsys, value: str) -> None:
    stage(repo, {**CHANGE, "config-changes/n.yaml": note(rollback=f'"{value}"')})
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1
    assert "config-changes/n.yaml:5:1: require-rollback-note: rollback is a placeholder" in out, out


@pytest.mark.parametrize(
    "value",
    ["Revert this commit and redeploy", "todo-list service is unaffected; set ttl back to 60", "n/a -> set ttl back to 60"],
)
def test_a_real_rollback_that_mentions_placeholder_words_passes(run_hook: Callable[..., HookResult], repo: Path, capsys, value: str) -> None:
    stage(repo, {**CHANGE, "config-changes/n.yaml": note(rollback=f'"{value}"')})
    assert run_hook("require-rollback-note") == (0, "", "")


@pytest.mark.parametrize("field", ["owner", "expected"])
def test_placeholders_fail_in_every_required_field(run_hook: Callable[..., HookResult], repo: Path, capsys, field: str) -> None:
    text = re.sub(rf"^{field}: .*$", f"{field}: TBD", note(), flags=re.M)
    stage(repo, {**CHANGE, "config-changes/n.yaml": text})
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1 and f"{field} is a placeholder ('TBD')" in out


@pytest.mark.parametrize(
    "listed", ["config/*.yaml", "config/**", "**/production.yaml", "config/", "./config/production.yaml", "config/[ps]*.yaml"]
)
def test_a_glob_in_files_covers_the_file(run_hook: Callable[..., HookResult], repo: Path, capsys, listed: str) -> None:
    stage(repo, {**CHANGE, "config-changes/n.yaml": note(files=[f'"{listed}"'])})
    assert run_hook("require-rollback-note") == (0, "", "")


@pytest.mark.parametrize("listed", ["config/*.yml", "*.yaml", "conf/production.yaml", "config/staging.yaml"])
def test_a_glob_that_does_not_match_does_not_cover(run_hook: Callable[..., HookResult], repo: Path, capsys, listed: str) -> None:
    stage(repo, {**CHANGE, "config-changes/n.yaml": note(files=[f'"{listed}"'])})
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1 and "config/production.yaml:1:1: require-rollback-note: modified" in out, out


@pytest.mark.parametrize(
    "files",
    [
        {"README.md": "# billing service\n"},
        {"app/main.py": "print('hi')\n"},
        {"docs/config.md": "how we configure\n"},
        {".pre-commit-config.yaml": "repos: []\n"},  # tooling, exempt by default
        {"config-changes/README.md": "how to write a note\n"},  # the notes folder never needs a note
    ],
)
def test_a_change_to_a_file_that_is_not_service_config_needs_no_note(run_hook: Callable[..., HookResult], repo: Path, capsys, files: dict) -> None:
    stage(repo, files)
    assert run_hook("require-rollback-note") == (0, "", "")


@pytest.mark.parametrize("path", [".env.production", "settings/prod.py", "deploy/values-production.yml", "conf/kafka.properties"])
def test_every_config_format_needs_a_note(run_hook: Callable[..., HookResult], repo: Path, capsys, path: str) -> None:
    stage(repo, {path: "A=1\n"})
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1 and f"{path}:1:1: require-rollback-note: " in out


def test_a_deleted_config_file_needs_a_note_and_a_note_may_list_it(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    git(repo, "rm", "-q", "config/staging.yaml")
    code, out, err = run_hook("require-rollback-note")
    assert code == 1
    assert "config/staging.yaml:1:1: require-rollback-note: deleted with no change note" in out
    assert "new-config-note config/staging.yaml" in err
    stage(repo, {"config-changes/n.yaml": note(files=["config/staging.yaml"])})
    assert run_hook("require-rollback-note") == (0, "", "")  # listing a file this change deletes is not "matches no file"


def test_a_rename_needs_both_names_covered(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    git(repo, "mv", "config/staging.yaml", "config/stage.yaml")
    stage(repo, {"config-changes/n.yaml": note(files=["config/stage.yaml"])})
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1 and "config/staging.yaml:1:1: require-rollback-note: deleted" in out
    assert "config/stage.yaml:1:1" not in out
    stage(repo, {"config-changes/n.yaml": note(files=["config/stage.yaml", "config/staging.yaml"])})
    assert run_hook("require-rollback-note") == (0, "", "")


def test_a_note_written_but_not_staged_is_named(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    stage(repo, CHANGE)
    write_files(repo, {"config-changes/draft.yaml": note()})
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1
    assert "config-changes/draft.yaml lists it but is not staged: git add it" in out


def _commit(root: Path, files: dict, message: str) -> str:
    stage(root, files)
    git(root, "commit", "-q", "-m", message, "--no-verify")
    return git(root, "rev-parse", "HEAD").stdout.strip()


def test_from_ref_to_ref_checks_the_range_not_the_index(run_hook: Callable[..., HookResult], repo: Path, capsys, monkeypatch) -> None:
    start = git(repo, "rev-parse", "HEAD").stdout.strip()
    bare = _commit(repo, CHANGE, "config without a note")
    code, out, _ = run_hook("require-rollback-note", "--from-ref", start, "--to-ref", bare)
    assert code == 1 and "config/production.yaml:1:1: require-rollback-note: modified" in out
    noted = _commit(repo, {"config-changes/n.yaml": note()}, "the note, one commit later")
    assert run_hook("require-rollback-note", "--from-ref", start, "--to-ref", noted) == (0, "", "")
    # pre-commit's pre-push (and run --from-ref/--to-ref) passes the range in the environment.
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", start)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", bare)
    code, out, err = run_hook("require-rollback-note")
    assert code == 1 and "config/production.yaml:1:1:" in out and "--hook-stage manual" not in err
    monkeypatch.setenv("PRE_COMMIT_TO_REF", noted)
    assert run_hook("require-rollback-note") == (0, "", "")
    # A range that touches only non-config files passes.
    other = _commit(repo, {"README.md": "# changed\n"}, "docs")
    assert run_hook("require-rollback-note", "--from-ref", noted, "--to-ref", other) == (0, "", "")


def test_base_mode_checks_everything_since_the_merge_base(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    _commit(repo, CHANGE, "config")
    _commit(repo, {"README.md": "# more\n"}, "docs")
    git(repo, "checkout", "-q", "main")
    _commit(repo, {"config/staging.yaml": "cache:\n  ttl: 1\n"}, "main moved on")  # not the branch's change
    git(repo, "checkout", "-q", "feature")
    code, out, _ = run_hook("require-rollback-note", "--base", "main")
    assert code == 1
    assert "config/production.yaml:1:1: require-rollback-note: modified" in out
    assert "staging" not in out
    _commit(repo, {"config-changes/n.yaml": note()}, "note")
    assert run_hook("require-rollback-note", "--base", "main") == (0, "", "")
    stage(repo, {".env.production": "WORKERS=8\n"})  # staged on top of the branch counts too
    code, out, _ = run_hook("require-rollback-note", "--base", "main")
    assert code == 1 and ".env.production:1:1:" in out


def test_cleanup_mode_checks_every_note_and_asks_for_none(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    _commit(
        repo,
        {
            "config-changes/2025-11-20-timeouts.yaml": (
                "files:\n  - config/production.yaml\n  - config/old.yaml\n"
                "ownr: platform-team\nexpected: timeouts drop to 30 s\nrollback: TODO\n"
            ),
            "config-changes/2025-12-01-broken.yaml": "files: [config/production.yaml\nowner: x\n",
            "config-changes/2026/2026-02-01-good.yaml": note(files=["config/*.yaml", ".env.production"]),
            "config-changes/notes.txt": "not a note\n",
        },
        "notes",
    )
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1
    lines = out.splitlines()
    assert lines == [
        "config-changes/2025-11-20-timeouts.yaml:3:5: require-rollback-note: files: path 'config/old.yaml' matches no file in the repo",
        "config-changes/2025-11-20-timeouts.yaml:4:1: require-rollback-note: unknown field 'ownr': did you mean 'owner'? (owner is required)",
        "config-changes/2025-11-20-timeouts.yaml:6:1: require-rollback-note: rollback is a placeholder ('TODO'), not the exact steps that undo the change",
        lines[3],
    ], out
    assert re.match(r"config-changes/2025-12-01-broken\.yaml:2:\d+: require-rollback-note: cannot parse YAML: ", lines[3])


def test_a_note_that_looks_like_a_template_is_still_reported(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    # Other hooks skip files with {{ }} as templates; a note must always parse.
    _commit(repo, {"config-changes/2026-03-01-x.yaml": "files: [{{ file }}\nowner: x\n"}, "note")
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1 and "2026-03-01-x.yaml:2:" in out and "cannot parse YAML" in out


def test_cleanup_mode_passes_on_good_notes(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    assert run_hook("require-rollback-note") == (0, "", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("files: [config/production.yaml]\nowner: a\nexpected: b\nrollback: c\nreviewer: d\n",
         "5:1: require-rollback-note: unknown field 'reviewer' (known fields: files, owner, expected, rollback, ticket)"),
        ("files: [config/production.yaml]\nowner: a\nexpcted: b\nrollback: c\n",
         "3:1: require-rollback-note: unknown field 'expcted': did you mean 'expected'? (expected is required)"),
        ("files: [config/production.yaml]\nowner: a\nexpected: b\nrollback: c\ntickets: X-1\n",
         "5:1: require-rollback-note: unknown field 'tickets': did you mean 'ticket'?"),
        ("- config/production.yaml\n", "1:1: require-rollback-note: change note is not one YAML mapping"),
        ("files: [a]\n---\nowner: b\n", "1:1: require-rollback-note: change note is not one YAML mapping"),
        ("# nothing yet\n", "1:1: require-rollback-note: change note is empty"),
        ("files: []\nowner: a\nexpected: b\nrollback: c\n", "1:1: require-rollback-note: files is empty"),
        ("files: config/nope.yaml\nowner: a\nexpected: b\nrollback: c\n", "1:1: require-rollback-note: files: path 'config/nope.yaml' matches no file"),
        ("files: ['conf/*.ini']\nowner: a\nexpected: b\nrollback: c\n", "1:9: require-rollback-note: files: glob 'conf/*.ini' matches no file"),
        ("files: [../etc/passwd]\nowner: a\nexpected: b\nrollback: c\n", "1:9: require-rollback-note: files: '../etc/passwd' must be relative"),
        ("files: [config/production.yaml]\nowner: true\nexpected: b\nrollback: c\n", "2:1: require-rollback-note: owner must be text, not 'true'"),
    ],
)
def test_schema_problems_are_reported_at_their_line(run_hook: Callable[..., HookResult], repo: Path, capsys, text: str, expected: str) -> None:
    stage(repo, {"config-changes/n.yaml": text})
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1
    assert f"config-changes/n.yaml:{expected}" in out, out


def test_a_single_path_string_and_an_integer_ticket_are_accepted(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    text = "files: config/production.yaml\nowner: a\nexpected: b\nrollback: c\nticket: 1234\n"
    stage(repo, {**CHANGE, "config-changes/n.yaml": text})
    assert run_hook("require-rollback-note") == (0, "", "")


def test_a_finding_can_be_suppressed_on_its_line(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    text = note(files=["config/production.yaml", "config/gone.yaml  # legacy-config: ignore[require-rollback-note]"])
    stage(repo, {**CHANGE, "config-changes/n.yaml": text})
    assert run_hook("require-rollback-note") == (0, "", "")


def test_settings_move_the_notes_folder_and_the_config_pattern(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    write_files(repo, {"pyproject.toml": '[tool.legacy-config-hooks]\nnotes-dir = "docs/changes"\nconfig-files = "^config/"\n'})
    stage(repo, {**CHANGE, ".env.production": "WORKERS=8\n", "config-changes/n.yaml": note()})
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1
    assert "config/production.yaml:1:1:" in out  # config-changes/ is no longer the notes folder
    assert ".env.production" not in out  # not config under this pattern
    stage(repo, {"docs/changes/n.yaml": note()})
    assert run_hook("require-rollback-note") == (0, "", "")
    assert run_hook("require-rollback-note", "--config-files", "^settings/") == (0, "", "")  # the flag wins


def test_json_output_keeps_stdout_machine_readable(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    import json

    stage(repo, CHANGE)
    code, out, err = run_hook("require-rollback-note", "--format", "json")
    assert code == 1
    assert json.loads(out)  # the fix-it hint goes to stderr
    assert "new-config-note config/production.yaml" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from-ref", "HEAD"], "--from-ref and --to-ref go together"),
        (["--config-files", "("], "not a valid regular expression"),
        (["--base", "no-such-branch"], "error: git merge-base failed"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(repo: Path, capsys, args: list, message: str) -> None:
    code = main(args)
    _, err = capsys.readouterr()
    assert code == 2 and message in err and "Traceback" not in err


def test_outside_a_git_repo_is_a_usage_error(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code = main([])
    assert code == 2 and "not inside a git work tree" in capsys.readouterr().err


def test_before_the_first_commit_every_staged_config_file_needs_a_note(run_hook: Callable[..., HookResult], tmp_path: Path, monkeypatch, capsys) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    monkeypatch.chdir(tmp_path)
    stage(tmp_path, {"config/production.yaml": "a: 1\n"})
    code, out, _ = run_hook("require-rollback-note")
    assert code == 1 and "config/production.yaml:1:1: require-rollback-note: added" in out


def test_the_default_config_pattern_is_the_manifest_anchor() -> None:
    manifest = (ROOT / ".pre-commit-hooks.yaml").read_text()
    anchored = re.search(r"files: &config_files (\(\?x\)\(.*?\n\s*\))\n", manifest, re.S)
    assert anchored is not None
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert squash(anchored.group(1)) == squash(change_notes.CONFIG_FILES)


def test_a_new_migration_needs_a_note_unless_the_setting_says_no(repo: Path, run_hook: Callable[..., HookResult]) -> None:
    stage(repo, {"billing/migrations/0002_drop_legacy_column.py": "from django.db import migrations\n"})
    result = run_hook("require-rollback-note")
    assert result.code == 1
    assert "billing/migrations/0002_drop_legacy_column.py:1:1: require-rollback-note:" in result.out
    (repo / "pyproject.toml").write_text("[tool.legacy-config-hooks]\nmigrations-need-notes = false\n")
    assert run_hook("require-rollback-note").code == 0
