"""What the migration readers of ``require-reversible-migrations`` share: the
finding they produce, the ``# irreversible: <reason>`` acknowledgement, and
the SQL and Python patterns that mean "this step deletes or rewrites data".

Everything here works on text and ``ast`` trees: no migration is imported.
"""
from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable
from typing import Literal

from hooks.common.migrations import (
    strip_sql,
)
from hooks.core.records import record

# What a finding is about: the rollback fails (irreversible), the rollback
# runs but does not bring the data back (lossy), or the forward step locks a
# big table (locking, only with --postgres).
Category = Literal["irreversible", "lossy", "locking"]
# A file that does not parse: (line, message).
Problemish = tuple[int, str]


@record(frozen=True)
class Issue:
    line: int
    column: int
    category: Category
    kind: str  # stable, for the baseline: "no-reverse", "noop-reverse", "drop-column", ...
    what: str  # stable name of the operation: "RunPython(forwards)", "RemoveField book.isbn"
    text: str  # one clause for the message: "RunPython(forwards) has no reverse_code"
    # Lines where a `# irreversible:` comment acknowledges this issue, besides
    # the operation's own lines and the comment block above them.
    ack_lines: tuple[tuple[int, int], ...] = ()
    note: str = ""  # e.g. why the `# irreversible:` comment found did not count
    detail: str = ""  # replaces the kind's few words in the one-line form: "calls .delete(), reverse is a no-op"

    @property
    def short(self) -> str:
        """The few words that name this issue in a migration's one line."""
        return f"{self.what} {self.detail or SHORT.get(self.kind, self.kind)}{self.note}"

    @property
    def full(self) -> str:
        return self.text + self.note


SHORT = {
    "no-reverse": "has no reverse",
    "noop-reverse": "deletes or rewrites data and reverses as a no-op",
    "remove-field": "loses the column's data",
    "delete-model": "loses the table's data",
    "narrowing": "narrows the column",
    "unique-removed": "drops a unique constraint",
    "no-downgrade": "is missing",
    "empty-downgrade": "is empty",
    "downgrade-raises": "raises",
    "drop-table": "is not re-created by downgrade()",
    "drop-column": "is not re-added by downgrade()",
    "data-step": "rewrites data and downgrade() does not undo it",
    "rename-repeated": "is renamed the same way by downgrade() as by upgrade(), not back",
    "drop-not-added": "is dropped by downgrade() but never added by upgrade()",
    "create-not-dropped": "is created by downgrade() but never dropped by upgrade(), and exists already",
    "no-down-sql": "is missing",
    "empty-down-sql": "is empty",
    "add-index": "builds an index without CONCURRENTLY",
    "not-null-no-default": "adds NOT NULL without a default",
    "rewrite": "rewrites the table",
}


# `# irreversible: reason` (also `-- irreversible: reason` in SQL files).
ACK = re.compile(r"^(?:#|--)\s*irreversible\s*:(.*)$", re.I)


@record(frozen=True)
class Ack:
    line: int
    reason: str
    ok: bool  # a real reason, not empty and not a placeholder like TODO


def placeholder(reason: str) -> bool:
    # The same rule as the change notes' fields: "TODO", "n/a", "???" are not reasons.
    from hooks.common.change_notes import placeholder as is_placeholder

    return not reason.strip() or is_placeholder(reason)


def acks_from_comments(comments: dict[int, str]) -> dict[int, Ack]:
    acks: dict[int, Ack] = {}
    for line, text in comments.items():
        match = ACK.match(text.strip())
        if match:
            reason = match.group(1).strip()
            acks[line] = Ack(line, reason, not placeholder(reason))
    return acks


class Acks:
    """The acknowledgements of one file, and which lines they cover."""

    def __init__(self, acks: dict[int, Ack], comment_lines: Iterable[int]) -> None:
        self.acks = acks
        self.comment_lines = set(comment_lines)

    def block_above(self, line: int) -> list[int]:
        """Lines of the comment block directly above ``line`` (blank lines end it)."""
        found = []
        current = line - 1
        while current in self.comment_lines:
            found.append(current)
            current -= 1
        return found

    def stated(self, spans: Iterable[tuple[int, int]], comments: dict[int, str]) -> bool:
        """The comment block directly above a span's first line, or a comment on
        that line, says the step cannot be rolled back (``# NOTE: rollback for this
        migration is prohibited``). A ``# irreversible:`` line is judged as an
        acknowledgement, not here."""
        for start, _end in spans:
            lines = sorted([*self.block_above(start), start])
            text = " ".join(comments.get(line, "").lstrip("#").strip() for line in lines
                            if line in comments and line not in self.acks)
            if text and stated(text):
                return True
        return False

    def find(self, spans: Iterable[tuple[int, int]]) -> Ack | None:
        """The acknowledgement inside any span or in the comment block above one;
        a real reason wins over a placeholder."""
        seen: list[Ack] = []
        for start, end in spans:
            for line in [*self.block_above(start), *range(start, end + 1)]:
                if line in self.acks:
                    seen.append(self.acks[line])
        for ack in seen:
            if ack.ok:
                return ack
        return seen[0] if seen else None


# A comment that says, in the project's own words, that the step cannot or must
# not be rolled back ("rollback for this migration is prohibited", "this cannot
# be undone", "irreversible"): a rollback word and a refusal in one sentence, or
# "irreversible" / "not reversible" itself. A comment that only mentions a
# rollback ("# rollback: see the runbook", "# TODO: rollback") is no such statement.
_ROLLBACK = (r"(?:roll(?:ed|ing)?[ \t-]*backs?|rollbacks?|downgrad\w*|revers(?:al|ed|ing)|revert(?:ed|ing)?"
             r"|undo(?:ne)?|migrat\w*[ \t]+back(?:wards?)?)")
_REFUSED = (r"(?:prohibited|forbidden|impossible|unsupported|disallowed|cannot|can[ \t]*not|can't|no[ \t]+way"
            r"|not[ \t]+(?:be[ \t]+)?(?:possible|supported|allowed|permitted))")
STATED = re.compile(rf"(?i)\b{_ROLLBACK}\b[^.;!?]*?\b{_REFUSED}(?!\w)|\b{_REFUSED}[^.;!?]*?\b{_ROLLBACK}\b"
                    r"|\b(?:irreversible|not[ \t]+reversible|non-?reversible)\b")
_UNDECIDED = re.compile(r"\b(?:TODO|FIXME|XXX)\b", re.I)


def stated(words: str) -> bool:
    """The comment text says the step cannot or must not be rolled back (and is no TODO)."""
    return bool(STATED.search(words)) and not _UNDECIDED.search(words)


# --- SQL ------------------------------------------------------------------

# Statements that delete or rewrite rows, or drop what holds them. DROP of an
# index, view, trigger, function or constraint loses no data: not listed.
_DESTRUCTIVE_SQL = re.compile(
    r"""(?ix)
      \b(?P<delete>DELETE)\s+FROM\b
    | (?<!\bON\s)\b(?P<update>UPDATE)\s+(?:ONLY\s+)?[\w."`\[\]]+(?:\s+(?:AS\s+)?\w+)?\s+SET\b
    | \b(?P<truncate>TRUNCATE)\b
    | \b(?P<drop>DROP)\s+(?:TABLE|COLUMN|SCHEMA|DATABASE)\b
    | \bALTER\s+TABLE\b[^;]*?\b(?P<dropcol>DROP)\s+(?!CONSTRAINT\b|INDEX\b|DEFAULT\b|NOT\b|TRIGGER\b|IDENTITY\b|EXPRESSION\b)\w
    """
)


def destructive_sql(sql: str) -> str | None:
    """The keyword that makes this SQL delete or rewrite data (DELETE, UPDATE,
    TRUNCATE, DROP), or None."""
    match = _DESTRUCTIVE_SQL.search(strip_sql(sql))
    if not match:
        return None
    return match.group(0).split()[0].upper() if not match.group("dropcol") else "DROP"


def empty_sql(sql: str) -> bool:
    """No statement at all, only comments, semicolons or ``SELECT 1``-style no-ops."""
    statements = [part.strip() for part in strip_sql(sql).split(";")]
    return all(not part or re.fullmatch(r"(?i)select\s+[\w\s,()']*", part) for part in statements)


# --- Python helpers ---------------------------------------------------------


def empty_body(body: list[ast.stmt]) -> bool:
    """``pass``, a docstring, ``...`` or ``return`` / ``return None`` only."""
    for statement in body:
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # docstring or ...
        if isinstance(statement, ast.Return) and (
            statement.value is None or isinstance(statement.value, ast.Constant) and statement.value.value is None
        ):
            continue
        return False
    return True


def raises_not_implemented(body: list[ast.stmt]) -> ast.Raise | None:
    """The ``raise NotImplementedError`` (or any bare raise of an error) that is
    the function's first real statement."""
    for statement in body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Raise) and statement.exc is not None:
            return statement
        return None
    return None


def functions_reached(start: ast.FunctionDef, functions: dict[str, ast.FunctionDef]) -> list[ast.FunctionDef]:
    """``start`` and the module's functions it calls by name, transitively."""
    seen = {start.name}
    order = [start]
    for function in order:
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                name = node.func.id
                if name in functions and name not in seen:
                    seen.add(name)
                    order.append(functions[name])
    return order


def versions_folder(path: str) -> str:
    """The ``versions`` folder a revision belongs to (``versions/postgresql/x.py`` too)."""
    folder = os.path.dirname(os.path.abspath(path))
    for _ in range(2):
        if os.path.basename(folder) == "versions":
            return folder
        folder = os.path.dirname(folder)
    return os.path.dirname(os.path.abspath(path))
