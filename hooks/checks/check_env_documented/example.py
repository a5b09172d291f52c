"""``--write-example``: a ``.env.example`` written from the reads the hook
found, for a repo that has none (or entries appended for the reads it lacks).

Values are the defaults visible at the reads, never a secret: a variable
with a sensitive-looking name gets an empty value, a default URL keeps its
shape but loses its password, and a default that looks like a token is left
out. The file says at the top that a person must review it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from hooks.checks.check_env_documented.docs import Entry, Platform
from hooks.checks.check_env_documented.reads import Read

HEADER = """\
# Environment variables this service reads.
# Written by `check-env-documented --write-example` from the reads it found:
# REVIEW before committing. Values are the defaults seen in the code; secrets
# are left empty on purpose: set them in the real environment, never here.
"""
APPENDED = "\n# Added by `check-env-documented --write-example`: REVIEW before committing.\n"
# What a shell that sources the file, and a dotenv parser, both read as plain
# text when written bare.
_BARE = re.compile(r"^[A-Za-z0-9_./:@%+,=-]*$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:@/\s]*:)(?P<pw>[^@/\s]+)@")


def safe_value(name: str, default: str | None) -> tuple[str, str]:
    """(value to write, note) for one variable."""
    from hooks.secrets.patterns import Compiled

    patterns = Compiled()
    if patterns.sensitive(name):
        return "", "secret: set it in the environment"
    if default is None or "$" in default:  # no default, or one that is itself a reference
        return "", ""
    value = _URL_PASSWORD.sub(lambda m: m.group("head") + "CHANGE_ME@", default)
    if any(next(pattern.finditer(value), None) for _tid, _n, pattern, _h in patterns.tokens):
        return "", "the default in the code looks like a secret: not copied"
    return shell_value(value)


def shell_value(value: str) -> tuple[str, str]:
    """(value as written, note): a .env file is also sourced by shells
    (``set -a; . ./.env``), so anything but plain characters goes in single
    quotes, where neither a shell nor python-dotenv expands `cmd`, $(cmd),
    $VAR or a backslash; a value that holds a single quote or a control
    character is not copied at all."""
    if _BARE.match(value):
        return value, ""
    if "'" in value or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "", "the default in the code holds a quote or a control character: not copied"
    return "'" + value + "'", ""


def render(reads: Iterable[Read], documented: list[Entry], platform: Platform, fresh: bool) -> tuple[str, int, int]:
    """(text to write or append, variables written, secrets left empty)."""
    have = {e.name for e in documented}
    have_upper = {e.name.upper() for e in documented}
    chosen: dict[str, Read] = {}
    for r in sorted(reads, key=lambda r: (r.path, r.line, r.column)):
        if r.kind == "unknown" or r.weak or r.name in platform:
            continue
        key = r.name.upper() if r.case_insensitive else r.name
        if key in have or (r.case_insensitive and key in have_upper):
            continue
        if key not in chosen or (chosen[key].default is None and r.default is not None):
            chosen.setdefault(key, r)
            if chosen[key].default is None and r.default is not None:
                chosen[key] = r
    lines: list[str] = []
    current = None
    secrets = 0
    from hooks.core.escaping import text as one_line

    for key, r in sorted(chosen.items(), key=lambda kv: (kv[1].path, kv[1].line)):
        if not _NAME.match(key.rstrip("*")):
            continue  # not a name a shell could set: never a line of the file
        if r.path != current:
            current = r.path
            lines.append(f"\n# read in {one_line(r.path)}")
        if r.kind == "prefix":
            lines.append(f"# {key}*: every variable starting with {key} is read ({one_line(r.form)}, line {r.line})")
            continue
        value, note = safe_value(key, r.default)
        secrets += note.startswith("secret")
        if note:
            lines.append(f"# {note}")
        lines.append(f"{key}={value}")
    written = sum(1 for line in lines if line and not line.startswith(("#", "\n")))
    if not written and not any(line.startswith("# ") and "*:" in line for line in lines):
        return "", 0, 0
    body = "\n".join(lines).lstrip("\n") + "\n"
    return (HEADER + "\n" + body if fresh else APPENDED + body), written, secrets
