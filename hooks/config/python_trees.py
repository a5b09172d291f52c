"""Parse a Python module once for every check of a run that holds many hooks.

Every hook reads Python with ``ast`` only: the loader (settings modules as
documents), the three hooks that read the whole repository
(check-env-documented, check-cache-rules, check-security-settings) and a few
others parse the same modules. Under pre-commit each hook is its own process,
so there is nothing to share and :func:`parse` is plain ``ast.parse``. The
cleanup report runs every hook in one process and calls :func:`share`: a tree
is then kept, keyed by the module's text (the same text gives the same tree;
the file name only appears in a SyntaxError, and failures are not kept), and
handed to every later caller.

A module written for a newer Python than the one the hooks run on (PEP 695's
``type X = ...``, PEP 758's ``except A, B:``, ...) does not parse here. That
is not a broken file: :func:`parse` raises :class:`NewerSyntax` (a
``SyntaxError``, so callers that skip broken files keep working) and records
the file in :data:`newer`; the runner reports each recorded file once per
hook, the same way for every hook that parses Python: "needs Python ≥ 3.X to
parse; the hooks run on 3.Y; set `language_version` in your config". A
Python 2 module (``print "x"``, ``except E, e:``) is reported the same way, as
:class:`Python2Syntax`: "Python 2 syntax: the hooks read Python 3; this file is
not checked" (no ``language_version`` helps there).

Memory stays bounded: trees are kept until their texts add up to
``max_source_bytes``; after that, new modules are parsed and not kept. Each
hook reads the repository in the same (sorted) order, so the modules kept
first are the ones every later pass asks for first; an LRU would evict each
tree just before the next pass needs it. Callers must not change a tree.
"""
from __future__ import annotations

import ast
import re
import sys
from collections.abc import Sequence

_trees: dict[str, ast.Module] | None = None
_budget = 0
parsed = 0  # ast.parse calls made here (tests count them)
# Files that need a newer Python, recorded by parse() until the runner takes
# them: path -> (line, message).
newer: dict[str, tuple[int, str]] = {}


class OtherPython(SyntaxError):
    """The module is written for another Python than the hooks run on: not a
    broken file. Reported once per hook by the runner, never "cannot parse"."""


class NewerSyntax(OtherPython):
    """The module uses syntax of a newer Python than this one."""

    needs: tuple[int, int] = (3, 0)


class Python2Syntax(OtherPython):
    """The module is Python 2 (``print "x"``, ``except E, e:``, ``0777``, backticks):
    no ``language_version`` makes the hooks read it."""


PYTHON2_MESSAGE = "Python 2 syntax: the hooks read Python 3; this file is not checked"


def message(needs: tuple[int, int], running: tuple[int, int] | None = None) -> str:
    running = running or (sys.version_info[0], sys.version_info[1])
    return (f"needs Python \u2265 {needs[0]}.{needs[1]} to parse; the hooks run on {running[0]}.{running[1]}; "
            "set `language_version` in your config")


# (Python version, the line that fails, on its own) for syntax newer Pythons
# added. A Python 2 `except E, e:` (a lower-case name after the comma) is old,
# not new: only class-like names make PEP 758's form.
_NEWER: tuple[tuple[tuple[int, int], re.Pattern[str]], ...] = (
    ((3, 14), re.compile(r"^\s*except\s+\(?[\w.]*[A-Z]\w*(?:\s*,\s*[\w.]*[A-Z][\w.]*)+\s*:")),
    ((3, 14), re.compile(r"(?:^|[^\w'\"])[tT][rR]?['\"]")),
    ((3, 12), re.compile(r"^\s*type\s+[A-Za-z_]\w*\s*(?:\[[^\]]*\]\s*)?=")),
    ((3, 12), re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+\w+\s*\[")),
    ((3, 11), re.compile(r"^\s*except\s*\*")),
    ((3, 10), re.compile(r"^\s*(?:match|case)\s+[^=]*:\s*(?:#.*)?$")),
    ((3, 9), re.compile(r"^\s*@[^\n]*[\[(][^\n]*[\])]\s*[.\[]")),
    ((3, 8), re.compile(r":=|\(\s*[^)]*,\s*/\s*[,)]")),
)
_FSTRING_ERROR = re.compile(r"f-string")
_PYTHON2 = re.compile(r"^\s*print\s+[^\s(=]|^\s*exec\s+['\"]|\bur['\"]|<>|^\s*except\s+[\w.]+\s*,\s*[a-z_]\w*\s*:", re.M)


def newer_syntax(text: str, error: SyntaxError,
                 running: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The Python version whose syntax the failing line uses, when newer than
    ``running`` (this interpreter); None for a file that is simply broken, or
    Python 2."""
    running = running or (sys.version_info[0], sys.version_info[1])
    lines = text.split("\n")
    line = lines[error.lineno - 1] if error.lineno and 0 < error.lineno <= len(lines) else ""
    if _PYTHON2.search(text):
        return None
    for needs, pattern in _NEWER:
        if needs > running and pattern.search(line):
            return needs
    # PEP 701 (3.12): quotes and backslashes inside f-string replacement fields
    if running < (3, 12) and _FSTRING_ERROR.search(str(error.msg or "")):
        return (3, 12)
    return None


# A failing line that only Python 2 writes: the print and exec statements,
# `except E, e:` (or `except E, (errno, strerror):`, the exception's args unpacked), `raise E, "text"`, backticks,
# `<>`, octal `0777`, long `10L`, `ur''`.
_PYTHON2_LINE = re.compile(
    r"^\s*print\b\s*(?:[^\s(=,.\[)]|>>)|^\s*exec\s+[^\s(=]"
    r"|^\s*except\s+\(?[\w.,\s]+\)?\s*,\s*(?:[a-z_]\w*|\(\s*[a-z_]\w*(?:\s*,\s*[a-z_]\w*)+\s*\))\s*:"
    r"|^\s*raise\s+[\w.]+\s*,|`[^`\n]+`|<>|(?<![\w.])0[0-7]+\b(?![.eEjJ])|(?<![\w.])\d+[lL]\b|(?<![\w'\"])[uU][rR]['\"]")
_PYTHON2_ERROR = re.compile(r"^Missing parentheses in call to '(?:print|exec)'|leading zeros in decimal integer")


def python2_syntax(text: str, error: SyntaxError) -> bool:
    """The module fails to parse because it is Python 2: the error is Python 3's
    own hint (``Missing parentheses in call to 'print'``, leading zeros) or the
    failing line is a Python 2 form."""
    if _PYTHON2_ERROR.search(str(error.msg or "")):
        return True
    lines = text.split("\n")
    line = lines[error.lineno - 1] if error.lineno and 0 < error.lineno <= len(lines) else ""
    return bool(_PYTHON2_LINE.search(line))


_PY2_REWRITES = (
    (re.compile(r"^(\s*)(?:print\b(?!\s*[(=,.\[)]).*|exec\s+[^\s(=].*)$"), r"\1pass"),
    (re.compile(r"^(\s*except\s+\(?[\w.,\s]+?\)?)\s*,\s*([a-z_]\w*)\s*:"), r"\1 as \2:"),
    (re.compile(r"^(\s*except\s+\(?[\w.,\s]+?\)?)\s*,\s*\(\s*[a-z_]\w*(?:\s*,\s*[a-z_]\w*)+\s*\)\s*:"), r"\1:"),
    (re.compile(r"^(\s*raise\s+[\w.]+)\s*,.*$"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"repr(\1)"),
    (re.compile(r"<>"), "!="),
    (re.compile(r"(?<![\w.])0([0-7]+)\b(?![.eEjJ])"), r"0o\1"),
    (re.compile(r"(?<![\w.])(\d+)[lL]\b"), r"\1"),
    (re.compile(r"(?<![\w'\"])[uU]([rR]['\"])"), r"\1"),
)
_PY2_MAX_LINES = 40


def python2_as_3(text: str) -> ast.Module | None:
    """A Python 2 module read as Python 3 where only a few of its lines are Python 2
    forms (a settings package's ``except ImportError, exc:``, a ``print 'No local.py'``):
    each such line is rewritten to its Python 3 equivalent (a print or exec statement
    becomes ``pass``), with line numbers kept. None when a failing line is no Python 2
    form or more than a few lines need it. Nothing is recorded for the runner to report:
    the caller says what it read so."""
    lines = text.split("\n")
    for _ in range(_PY2_MAX_LINES):
        try:
            return parse("\n".join(lines), report=False)
        except Python2Syntax as error:
            at = (error.lineno or 0) - 1
            if not 0 <= at < len(lines):
                return None
            line = lines[at]
            for pattern, repl in _PY2_REWRITES:
                line = pattern.sub(repl, line)
            if line == lines[at]:
                return None
            lines[at] = line
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    return None


def not_judged(filename: str, what: Sequence[str]) -> None:
    """Name in the notice recorded for ``filename`` (a module this Python cannot parse)
    what a hook would have judged in it (``...; its csrf_exempt was not judged``), so the
    user sees what the skip hides. Nothing when no notice is recorded for it."""
    if filename in newer and what:
        line, text = newer[filename]
        newer[filename] = (line, f"{text}; its {' and '.join(what)} {'was' if len(what) == 1 else 'were'} not judged")


SCANNED_AS_TEXT = "this file was only scanned line by line (token formats, URL passwords, `NAME = value` lines)"


def scanned_as_text(filename: str) -> None:
    """Say in the notice recorded for ``filename`` (a module this Python cannot parse)
    that the hook scanned it line by line instead (no-inline-secrets does): "this file
    is not checked" would contradict the findings it reports there."""
    if filename in newer:
        line, text = newer[filename]
        if text.startswith(PYTHON2_MESSAGE):
            text = PYTHON2_MESSAGE.replace("this file is not checked", SCANNED_AS_TEXT) + text[len(PYTHON2_MESSAGE):]
        elif SCANNED_AS_TEXT not in text:
            text = f"{text}; meanwhile {SCANNED_AS_TEXT}"
        newer[filename] = (line, text)


def share(max_source_bytes: int) -> None:
    """Keep trees from now on (the cleanup report), up to this much source."""
    global _trees, _budget
    _trees, _budget = {}, max_source_bytes


def share_unless_shared(max_source_bytes: int) -> None:
    """Keep trees for the rest of this process, unless a driver (the report,
    all-checks) already does: for a hook that reads the same modules in several
    passes (check-migration-locks: the judged steps, the tables' history, the
    evidence of size)."""
    if _trees is None:
        share(max_source_bytes)


def take() -> dict[str, tuple[int, str]]:
    """The files recorded since the last call (the runner reports them)."""
    global newer
    found, newer = newer, {}
    return found


def stop() -> None:
    """Back to plain parsing; the kept trees are dropped."""
    global _trees, _budget
    _trees, _budget = None, 0


def parse(text: str, filename: str = "<unknown>", report: bool = True) -> ast.Module:
    """``ast.parse(text, filename)``, shared when :func:`share` is on. Raises
    what ``ast.parse`` raises; :class:`NewerSyntax` for a newer Python's syntax,
    :class:`Python2Syntax` for Python 2."""
    global parsed, _budget
    if _trees is not None:
        tree = _trees.get(text)
        if tree is not None:
            return tree
    parsed += 1
    try:
        tree = ast.parse(text, filename=filename)
    except SyntaxError as error:
        needs = newer_syntax(text, error)
        if needs is None:
            if not python2_syntax(text, error):
                raise
            old_error = Python2Syntax(PYTHON2_MESSAGE, (filename, error.lineno, error.offset, error.text))
            if report:  # reported like a newer Python's module: once per hook, by the runner
                newer[filename] = (error.lineno or 1, PYTHON2_MESSAGE)
            raise old_error from None
        newer_error = NewerSyntax(message(needs), (filename, error.lineno, error.offset, error.text))
        newer_error.needs = needs
        if report:  # a hook reading another file for context (a migration's history) does not report it
            newer[filename] = (error.lineno or 1, newer_error.msg)
        raise newer_error from None
    if _trees is not None and len(text) <= _budget:
        _trees[text] = tree
        _budget -= len(text)
    return tree


def dotted_name(node: ast.AST) -> str:
    """``os.environ.get`` for an attribute chain ending in a name, "" for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def literal(node: ast.expr | None) -> tuple[bool, object]:
    """(True, value) when ``node`` is written out as a literal, else (False, None)."""
    if node is None:
        return False, None
    try:
        return True, ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False, None
