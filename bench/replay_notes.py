"""Replay require-rollback-note's rules over the last N commits of a repository.

    .venv/bin/python bench/replay_notes.py /work/.mirror/netbox-community+netbox/repo -n 200
    .venv/bin/python bench/replay_notes.py --markdown REPO [REPO ...]

For each commit (first parent, merges included, as a push would show them) it
asks which changed files would need a change note, under two rule sets:

* ``before``: the rules up to issue 11: every file matching the config-file
  pattern, minus the pre-commit/CI/packaging exemptions;
* ``now``: the hook's rules today: only service and deployment config (see
  ``docs/roles.md``), and no note for commits whose author matches the bot
  pattern (dependabot, renovate, pre-commit-ci by default).

It prints the share of commits that need a note under each, and why: the role
of each file that asked for a note, and how many commits were bots'. Nothing in
the repository is changed; a bare mirror works.
"""
from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: its secrets.py would shadow the stdlib module
from hooks.common import change_notes  # noqa: E402
from hooks.repo import roles  # noqa: E402

Commit = tuple[str, str, str, list[str]]  # sha, author name, author email, changed paths


def commits(repo: str, count: int) -> list[Commit]:
    out = subprocess.run(
        ["git", "-C", repo, "log", "--first-parent", "-m", f"-n{count}", "--name-only",
         "--format=%x01%H%x00%an%x00%ae", "--no-renames"],
        capture_output=True, text=True, check=True, errors="replace",
    ).stdout
    found: list[Commit] = []
    for block in out.split("\x01")[1:]:
        head, _, body = block.partition("\n")
        sha, name, email = head.split("\x00")
        found.append((sha, name, email, [p for p in body.splitlines() if p.strip()]))
    return found


def is_bot(name: str, email: str, pattern: re.Pattern[str]) -> bool:
    return bool(pattern.search(name) or pattern.search(email))


def replay(repo: str, count: int) -> dict[str, object]:
    before = change_notes.Policy()
    now_bots = re.compile(getattr(change_notes, "BOT_AUTHORS", r"(?i)dependabot|renovate|pre-commit-ci"))
    needs_now = getattr(change_notes, "role_needs_note", None)
    rules = roles.default()
    history = commits(repo, count)
    n_before = n_now = bots = 0
    why_before: Counter[str] = collections.Counter()  # role of files that asked, before
    why_now: Counter[str] = collections.Counter()
    only_dropped: Counter[str] = collections.Counter()  # commits that needed a note only for these roles
    for _sha, name, email, paths in history:
        asked = [p for p in paths if before.needs_note(p)]
        if asked:
            n_before += 1
            asked_roles = {rules.of(p).role for p in asked}
            why_before.update(asked_roles)
            if asked_roles.isdisjoint(roles.CONFIG_ROLES):
                only_dropped.update(["+".join(sorted(asked_roles))])
        bot = is_bot(name, email, now_bots)
        if needs_now is not None:
            kept = [p for p in paths if needs_now(p, rules)]
        else:
            kept = [p for p in asked if rules.of(p).is_config]
        if kept and bot:
            bots += 1
        elif kept:
            n_now += 1
            why_now.update({rules.of(p).role for p in kept})
    return {
        "repo": repo, "commits": len(history), "before": n_before, "now": n_now, "bots": bots,
        "why_before": dict(why_before), "why_now": dict(why_now), "only_dropped": dict(only_dropped),
    }


def share(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.0f}%" if whole else "-"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", help="git repositories (work trees or bare mirrors)")
    parser.add_argument("-n", type=int, default=200, help="how many commits (default 200)")
    parser.add_argument("--markdown", action="store_true", help="one Markdown table row per repo")
    args = parser.parse_args(argv)
    if args.markdown:
        print("| repo | commits | needed a note before | needed a note now | bot commits exempted | before, by role of the files |")
        print("|---|---:|---:|---:|---:|---|")
    for repo in args.repos:
        r = replay(repo, args.n)
        name = Path(repo).resolve().parent.name if repo.rstrip("/").endswith("repo") else Path(repo).name
        total = int(r["commits"])  # type: ignore[call-overload]
        why = ", ".join(f"{k} {v}" for k, v in sorted(r["why_before"].items(), key=lambda kv: -kv[1]))  # type: ignore[attr-defined]
        if args.markdown:
            print(f"| {name} | {total} | {r['before']} ({share(r['before'], total)}) | {r['now']} ({share(r['now'], total)}) "  # type: ignore[arg-type]
                  f"| {r['bots']} | {why} |")
            continue
        print(f"{name}: {total} commits; a note needed before: {r['before']} ({share(r['before'], total)}), "  # type: ignore[arg-type]
              f"now: {r['now']} ({share(r['now'], total)}); bot commits exempted: {r['bots']}")  # type: ignore[arg-type]
        print(f"  before, commits by role of the files that asked: {why}")
        print(f"  before, commits that asked only for non-config files: {sum(r['only_dropped'].values())} "  # type: ignore[attr-defined]
              + ", ".join(f"{k} {v}" for k, v in sorted(r["only_dropped"].items(), key=lambda kv: -kv[1])))  # type: ignore[attr-defined]
        print("  now, commits by role: " + ", ".join(f"{k} {v}" for k, v in r["why_now"].items()))  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
