"""hooks.common.change_notes: the note schema read from real-shaped notes, which
changed files need a note, and how listed paths and globs match (the module both
require-rollback-note and new-config-note build on)."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from hooks.common import change_notes as cn
from hooks.config import loaders

GOOD = """\
files:
  - config/production.yaml
  - deploy/k8s/*.yaml
owner: payments-team
expected: p95 of /checkout drops below 300 ms
rollback: set cache.ttl back to 60 and redeploy
ticket: BILL-1234
"""


def _note(text: str) -> cn.Note:
    return cn.read_note(loaders.parse("config-changes/2026-12-ttl.yaml", text, "yaml"))


def _messages(note: cn.Note) -> list[str]:
    return [f"{p.line}:{p.message}" for p in note.problems]


def test_a_complete_note_has_no_problems_and_lists_its_files() -> None:
    note = _note(GOOD)
    assert note.problems == []
    assert [(item.pattern, item.line) for item in note.listed] == [("config/production.yaml", 2), ("deploy/k8s/*.yaml", 3)]
    assert note.covers("deploy/k8s/cron.yaml") and note.covers("config/production.yaml")
    assert not note.covers("deploy/k8s/charts/cron.yaml") and not note.covers("config/staging.yaml")


@pytest.mark.parametrize(("text", "expected"), [
    ("", ["1:change note is empty: give files, owner, expected and rollback"]),
    ("- files: [a.yaml]\n", ["1:change note is not one YAML mapping: give files, owner, expected and rollback"]),
    (GOOD.replace("owner:", "ower:"), ["4:unknown field 'ower': did you mean 'owner'? (owner is required)"]),
    (GOOD + "tickets: BILL-1\n", ["8:unknown field 'tickets': did you mean 'ticket'?"]),
    (GOOD + "approved_by: alice\n", ["8:unknown field 'approved_by' (known fields: files, owner, expected, rollback, ticket)"]),
    (GOOD.replace("rollback: set cache.ttl back to 60 and redeploy\n", ""),
     ["1:missing field 'rollback': the exact steps that undo the change"]),
    (GOOD.replace("owner: payments-team", "owner:"), ["4:owner is empty: give a person or team that answers for the change"]),
    (GOOD.replace("owner: payments-team", "owner: [a, b]"),
     ["4:owner must be text, not a sequence: give a person or team that answers for the change"]),
    (GOOD.replace("owner: payments-team", "owner: 42"),
     ["4:owner must be text, not '42': give a person or team that answers for the change"]),
    (GOOD.replace("rollback: set cache.ttl back to 60 and redeploy", f"rollback: \"{cn.PROMPTS['rollback']}\""),
     ["6:rollback still holds the prompt new-config-note wrote: replace it with the exact steps that undo the change"]),
    (GOOD.replace("rollback: set cache.ttl back to 60 and redeploy", "rollback: the exact steps that undo this change if it goes wrong"),
     ["6:rollback still holds the prompt new-config-note wrote: replace it with the exact steps that undo the change"]),
    (GOOD.replace("expected: p95 of /checkout drops below 300 ms", "expected: TBD"),
     ["5:expected is a placeholder ('TBD'), not what should happen once the change is live"]),
    (GOOD.replace("expected: p95 of /checkout drops below 300 ms", "expected: 'TODO: measure the latency on the dashboard'"),
     ["5:expected is a placeholder ('TODO: measure the...'), not what should happen once the change is live"]),
    (GOOD.replace("ticket: BILL-1234", "ticket: [BILL-1, BILL-2]"), ["7:ticket must be a ticket id, not a sequence"]),
    (GOOD.replace("ticket: BILL-1234", "ticket:"), []),  # optional
])
def test_note_problems(text: str, expected: list[str]) -> None:
    assert _messages(_note(text)) == expected


@pytest.mark.parametrize(("files", "expected", "listed"), [
    ("files: config/production.yaml\n", [], ["config/production.yaml"]),  # one path as a string
    ("files: []\n", ["1:files is empty: list the config files this note covers"], []),
    ("files:\n", ["1:files is empty: list the config files this note covers"], []),
    ("files: {a: b}\n", ["1:files is a mapping: list the config files this note covers"], []),
    ("files: 3\n", ["1:files is empty: list the config files this note covers"], []),
    ("files:\n  - config/app.yaml\n  - {a: b}\n  - ''\n", ["3:files: each item must be a path or a glob",
                                                         "4:files: each item must be a path or a glob"], ["config/app.yaml"]),
    ("files: [/etc/app.yaml, ../other/app.yaml, ./config/app.yaml]\n",
     ["1:files: '/etc/app.yaml' must be relative to the repository root",
      "1:files: '../other/app.yaml' must be relative to the repository root"], ["./config/app.yaml"]),
])
def test_files_field(files: str, expected: list[str], listed: list[str]) -> None:
    rest = "owner: ops\nexpected: less load\nrollback: revert the commit\n"
    note = _note(files + rest)
    assert _messages(note) == expected
    assert [item.pattern for item in note.listed] == listed


@pytest.mark.parametrize(("pattern", "yes", "no"), [
    ("config/", ["config/app.yaml", "config/sub/a.ini"], ["configs/app.yaml", "config"]),
    ("./config/app.yaml", ["config/app.yaml"], ["config/app.yml"]),
    ("config/*.yaml", ["config/app.yaml"], ["config/sub/app.yaml"]),
    ("config/**/*.yaml", ["config/app.yaml", "config/a/b/app.yaml"], ["other/app.yaml"]),
    ("**/settings/production.py", ["settings/production.py", "shop/settings/production.py"], ["shop/settings/prod.py"]),
    ("deploy/**", ["deploy/a", "deploy/k8s/b.yaml"], ["deployx/a"]),
    ("config/app.y?ml", ["config/app.yaml"], ["config/app.yml"]),
    ("config/[!a]*.ini", ["config/b.ini"], ["config/a.ini"]),
    ("config/[ab].ini", ["config/a.ini"], ["config/c.ini"]),
    ("config/[.ini", ["config/[.ini"], ["config/a.ini"]),
])
def test_matcher(pattern: str, yes: list[str], no: list[str]) -> None:
    match = cn.matcher(pattern)
    assert [p for p in yes + no if match(p)] == yes


def test_unmatched_names_listed_paths_and_globs_that_match_nothing() -> None:
    note = _note("files: [config/app.yaml, config/gone.yaml, config/typo.yaml, deploy/*.yaml, old/]\nowner: ops\nexpected: x y\nrollback: revert it\n")
    problems = cn.unmatched(note, ["config/app.yaml", "README.md"], gone={"config/gone.yaml"})
    assert [p.message for p in problems] == ["files: path 'config/typo.yaml' matches no file in the repo",
                                             "files: glob 'deploy/*.yaml' matches no file in the repo",
                                             "files: path 'old/' matches no file in the repo"]


@pytest.mark.parametrize(("path", "needs"), [
    ("config/production.yaml", True),
    ("shop/migrations/0042_add_index.py", True),
    ("config-changes/2026-12-ttl.yaml", False),  # a note never needs a note
    (".pre-commit-config.yaml", False),
    (".github/workflows/ci.yml", False),
    ("pyproject.toml", False),
    ("frontend/package.json", False),
    ("shop/views.py", False),
])
def test_default_policy(path: str, needs: bool) -> None:
    assert cn.Policy().needs_note(path) is needs


def test_policy_from_settings() -> None:
    args = SimpleNamespace(notes_dir="./docs/changes/", config_files=re.compile(r"\.conf$"), exempt_files=re.compile(""),
                           bot_authors=re.compile(""), migrations_need_notes=False)
    policy = cn.Policy.from_args(args)
    assert policy.notes_dir == "docs/changes"
    assert policy.is_note("docs/changes/a.YML") and not policy.is_note("docs/changes/a.txt")
    assert policy.needs_note("nginx/site.conf") and not policy.needs_note("config/app.yaml")
    assert not policy.needs_note("shop/migrations/0042_add_index.py")  # migrations-need-notes = false
    assert (policy.exempt_files, policy.bot_authors) == (None, None)  # '' turns them off
    assert not policy.is_bot("dependabot[bot]")
    default = cn.Policy.from_args(SimpleNamespace(notes_dir=None, config_files=None, exempt_files=None))
    assert default.notes_dir == cn.NOTES_DIR and default.migrations
    assert default.is_bot("dependabot[bot] <support@github.com>") and not default.is_bot("Alice <alice@example.com>")
    assert not default.is_bot("")


def test_exempt_migrations_and_role_rules() -> None:
    from hooks.repo import roles

    policy = cn.Policy(exempt_files=re.compile(r"^legacy/"))
    assert not policy.needs_note("legacy/migrations/0001_initial.py")
    assert cn.role_needs_note("config/production.yaml", roles.default())
    assert not cn.role_needs_note("tests/fixtures/app.yaml", roles.default())


def test_regex_option_is_a_one_line_error() -> None:
    assert cn.regex(r"\.ya?ml$").search("a.yaml")
    with pytest.raises(ValueError, match="^not a valid regular expression: "):
        cn.regex("config/[")
