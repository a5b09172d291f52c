"""A small, honest reader of shell command text (CI ``run:`` blocks, Makefile
recipes, ``scripts/*.sh``, tox ``commands``).

It does not run or fully parse shell: it joins ``\\`` continuations, skips
comments and here-documents, splits a line at ``&&``, ``||``, ``;`` and ``|``
outside quotes, and splits each piece into words with :mod:`shlex`. What it
keeps per command: the words, the line, and whether a failure is swallowed
(``cmd || true``, ``cmd; exit 0``, ``cmd || echo ...``).
"""
from __future__ import annotations

import re
import shlex

from hooks.core.records import record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Iterator


@record(frozen=True)
class Command:
    words: tuple[str, ...]
    line: int
    swallowed: bool = False  # `|| true`, `; exit 0`: a failure does not fail the step
    text: str = ""


# Words a command line may start with that are shell syntax, not the command.
_KEYWORDS = frozenset({"then", "do", "else", "elif", "if", "while", "until", "!", "{", "}", "(", ")", "time", "exec",
                       "fi", "done", "esac", "function", "-"})
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1")
_EMPTY_DEFAULT = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:?-\}$")
_SWALLOWERS = frozenset({"true", ":", "echo", "exit 0", "printf"})


def _logical_lines(text: str, first_line: int) -> Iterator[tuple[int, str]]:
    """(line number, text) per logical line: continuations joined, comments
    and here-document bodies dropped."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        start = i
        line = lines[i]
        while line.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line.rstrip()[:-1] + " " + lines[i].strip()
        i += 1
        heredoc = _HEREDOC.search(line)
        if heredoc:
            end = heredoc.group(2)
            while i < len(lines) and lines[i].strip() != end:
                i += 1
            i += 1
            line = line[:heredoc.start()]
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield first_line + start, stripped


def _split_operators(line: str) -> list[tuple[str, str]]:
    """The pieces of one line and the operator after each ('' at the end)."""
    pieces: list[tuple[str, str]] = []
    current: list[str] = []
    quote = ""
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            current.append(c)
            if c == "\\" and quote == '"' and i + 1 < len(line):
                current.append(line[i + 1])
                i += 2
                continue
            if c == quote:
                quote = ""
            i += 1
            continue
        if c in "'\"":
            quote = c
            current.append(c)
            i += 1
            continue
        if c == "#" and (not current or current[-1].isspace()):
            break  # a comment to the end of the line
        end = substitution_end(line, i)
        if end > i:  # `echo $X | sed …`, $(…): one value, its `|` and `;` are not this line's
            current.append(line[i:end])
            i = end
            continue
        two = line[i:i + 2]
        if two in ("&&", "||"):
            pieces.append(("".join(current), two))
            current = []
            i += 2
            continue
        if c in ";|&\n" and two not in (">&", "&>") and not (c == "&" and i + 1 < len(line) and line[i + 1] == ">"):
            if c == "&" and current and current[-1] in "<>":
                current.append(c)
                i += 1
                continue
            pieces.append(("".join(current), c))
            current = []
            i += 1
            continue
        current.append(c)
        i += 1
    pieces.append(("".join(current), ""))
    return pieces


def substitution_end(text: str, start: int) -> int:
    """The index after a command substitution that opens at ``start`` (a backquote, or ``$(`` that is not
    ``$((`` arithmetic), quotes inside it kept whole; ``start`` when none opens there or it does not close
    on this text (a lone backquote is left as a character)."""
    if text.startswith("`", start):
        i = start + 1
        while i < len(text):
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == "`":
                return i + 1
            i += 1
        return start
    if not text.startswith("$(", start) or text.startswith("$((", start):
        return start
    depth, quote, i = 0, "", start + 1
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 2
                continue
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return start


def _held_substitutions(text: str) -> tuple[str, list[str]]:
    """``text`` with each unquoted command substitution replaced by a placeholder without spaces (so
    ``DH_USER=`echo $CRED | sed -e 's/:.*$//'` `` stays one word), and the substitutions in order."""
    if "`" not in text and "$(" not in text:
        return text, []
    held: list[str] = []
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            out.append(c)
            if c == "\\" and quote == '"' and i + 1 < len(text):
                out.append(text[i + 1])
                i += 2
                continue
            if c == quote:
                quote = ""
            i += 1
            continue
        if c in "'\"":
            quote = c
        end = substitution_end(text, i)
        if end > i:
            out.append(f"\x00{len(held)}\x00")
            held.append(text[i:end])
            i = end
            continue
        out.append(c)
        i += 1
    return "".join(out), held


_HELD = re.compile("\x00(\\d+)\x00")


def words_of(text: str) -> tuple[str, ...]:
    text, held = _held_substitutions(text)
    try:
        words = shlex.split(text, comments=False, posix=True)
    except ValueError:  # an unbalanced quote (a template, a GitHub expression)
        words = text.split()
    if held:
        words = [_HELD.sub(lambda m: held[int(m.group(1))], w) for w in words]
    while words and words[0] in _KEYWORDS:
        words = words[1:]
    # ${COVERAGE_ARGS:-}: nothing unless the caller sets it (coverage run ${ARGS:-} --module pytest)
    return tuple(w for w in words if not _EMPTY_DEFAULT.match(w))


def _swallows(words: tuple[str, ...]) -> bool:
    if not words:
        return False
    head = words[0]
    return head in ("true", ":") or (head == "exit" and words[1:2] in (("0",), ())) or head in ("echo", "printf")


def commands(text: str, first_line: int = 1) -> list[Command]:
    """Every simple command in ``text``, in order; a command held in a variable the text assigns
    (``COMMAND="manage.py test"; $COMMAND``) is read as the value assigned (once per value)."""
    return _expand_variables(_commands(text, first_line))


def _commands(text: str, first_line: int) -> list[Command]:
    out: list[Command] = []
    for number, line in _logical_lines(text, first_line):
        pieces = _split_operators(line)
        parsed = [(words_of(piece), op, piece.strip()) for piece, op in pieces]
        for index, (words, op, raw) in enumerate(parsed):
            if not words:
                continue
            if _swallows(words) and index > 0:
                continue
            swallowed = False
            # `cmd || true`, `cmd || echo ...`, `cmd; exit 0`, `cmd || exit 0`
            rest = parsed[index + 1:]
            if op == "||" and rest and _swallows(rest[0][0]):
                swallowed = True
            elif op == ";" and rest and rest[0][0][:2] == ("exit", "0"):
                swallowed = True
            out.append(Command(words, number, swallowed, raw))
    return out


_ASSIGNMENT = re.compile(r"^(?:(?:export|local|readonly|declare(?:\s+-[a-zA-Z]+)*)\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.S)
_RUN_VARIABLE = re.compile(r"^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(\[[@*]\])?\})$")
_IN_FOLDER = re.compile(r"^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})/")


def _programs_named(command: Command, values: dict[str, list[str]], programs: set[str]) -> Command:
    """``python3 $PYTEST $ARGS`` with ``PYTEST=$(which pytest || true)`` earlier: ``python3 pytest $ARGS``."""
    if not programs:
        return command
    words = list(command.words)
    for index, word in enumerate(words[1:], 1):
        match = _RUN_VARIABLE.match(word)
        name = (match.group(1) or match.group(2)) if match else None
        if name in programs and values.get(name):
            words[index] = values[name][0]
    return Command(tuple(words), command.line, command.swallowed, command.text) if words != list(command.words) else command


def _in_folder(command: Command, values: dict[str, list[str]]) -> Command:
    """``$DOCKERDIR/run.sh test`` with ``DOCKERDIR=$CODEDIR/docker`` assigned in the same text: the program
    named through the folder the variable holds (``$CODEDIR/docker/run.sh``), when it holds one value."""
    match = _IN_FOLDER.match(command.words[0]) if command.words else None
    held = values.get(match.group(1) or match.group(2), []) if match else []
    if match is None or len(held) != 1 or " " in held[0].strip():
        return command
    head = held[0].rstrip("/") + "/" + command.words[0][match.end():]
    return Command((head, *command.words[1:]), command.line, command.swallowed, command.text)


# `$(which pytest || true)`, `` `command -v flake8` ``: the path of a program, run as that program
_LOCATED = re.compile(r"""^["']?(?:\$\(|`)\s*(?:which|command\s+-v|type\s+-p)\s+([A-Za-z0-9_.+-]+)\s*(?:\|\|\s*(?:true|:)\s*)?(?:\)|`)["']?$""")


def _assigned(command: Command) -> tuple[str, str | None] | None:
    """(name, value) of a command that only assigns one variable (``COMMAND="pytest -x"``,
    ``export CMD=(pytest -x)``); the value is None when it is not literal (``$(command -v coverage)``,
    a backquote), so nothing is read from it."""
    match = _ASSIGNMENT.match(command.text)
    if match is None:
        return None
    name, raw = match.group(1), match.group(2).strip()
    located = _LOCATED.match(raw)
    if located is not None:
        return name, located.group(1)  # PYTEST=$(which pytest || true): the program found on the PATH
    if not raw or "$(" in raw or "`" in raw or "<(" in raw:
        return name, None
    if raw.startswith("(") and raw.endswith(")"):
        raw = raw[1:-1]  # an array: CMD=(pytest -x), run as "${CMD[@]}"
    else:
        words = words_of(raw)
        if len(words) != 1:
            return None  # FOO=bar cmd: a variable for one command, not an assignment
        raw = words[0]
    return name, raw


def _expand_variables(found: list[Command]) -> list[Command]:
    """A command that is a variable the same text assigns is the value assigned: every literal value
    counts (one per ``if`` branch), each read as its own command at the line the variable is run."""
    values: dict[str, list[str]] = {}
    programs: set[str] = set()  # variables holding a program's path: `python3 $PYTEST` runs pytest
    for command in found:
        assigned = _assigned(command) if "=" in command.text else None
        value = assigned[1] if assigned is not None else None
        if assigned is not None and value is not None:
            name = assigned[0]
            match = _ASSIGNMENT.match(command.text)
            if match is not None and _LOCATED.match(match.group(2).strip()):
                programs.add(name)
            if value not in values.setdefault(name, []) and not value.split(" ", 1)[0].strip("${}\"").startswith(name):
                values[name].append(value)
    if not values and not any(c.words[:1] == ("eval",) for c in found):
        return found
    out: list[Command] = []
    for command in found:
        if command.words[:1] == ("eval",) and len(command.words) > 1:
            out.extend(_evaluated(command, values))
            continue
        match = _RUN_VARIABLE.match(command.words[0]) if command.words else None
        run = (match.group(1) or match.group(2)) if match else None
        if run is None or not values.get(run):
            out.append(_in_folder(_programs_named(command, values, programs), values))
            continue
        for held in values[run]:
            words = words_of(held)
            if words:
                out.append(Command((*words, *command.words[1:]), command.line, command.swallowed, command.text))
    return out


_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def _evaluated(command: Command, values: dict[str, list[str]]) -> list[Command]:
    """``eval "$DC exec -T web pytest"`` with ``DC="CONTEXT=dev docker compose -f x.yml"`` assigned earlier
    in the same text: the command line it expands to (``docker compose -f x.yml exec -T web pytest``), the
    variables it assigns literally filled in (one line per value of the first such variable), ``VAR=x``
    prefixes dropped. A variable the text does not assign is left as it is."""
    text = " ".join(command.words[1:])
    if "$(" in text or "`" in text:
        return [command]  # eval "$(ssh-agent -s)": what it runs is another program's output
    used = [m.group(1) or m.group(2) for m in _VARIABLE.finditer(text)]
    first = next((name for name in used if values.get(name)), None)
    out: list[Command] = []
    for choice in (values[first] if first else [""]):
        known = {name: held[0] for name, held in values.items() if held}
        if first:
            known[first] = choice
        filled = _VARIABLE.sub(lambda m, known=known: known.get(m.group(1) or m.group(2), m.group(0)), text)  # type: ignore[misc]
        for inner in _commands(filled, command.line):
            words = inner.words
            while words and _ASSIGNMENT.match(words[0]) and len(words) > 1:
                words = words[1:]  # CONTEXT=dev docker compose ...: variables for one command
            if words:
                out.append(Command(words, command.line, command.swallowed or inner.swallowed, command.text))
    return out or [command]
