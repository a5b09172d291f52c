"""Where a shell command line sends stderr, worked out from its redirections.

A small lexer and parser for the part of the shell grammar cron lines use:
lists (``;``, ``&&``, ``||``, ``&``), pipelines (``|``, ``|&``), subshells and
brace groups with their own redirections, and redirections applied left to
right (``>/dev/null 2>&1`` discards both streams; ``2>&1 >/dev/null`` keeps
stderr on the old stdout, where cron mails it). Nothing is run.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from hooks.core.records import field, record

DEV_NULL = "/dev/null"
CLOSED = "<closed>"
PIPE = "<pipe>"
_OPERATORS = ("&&", "||", ";;", "|&", ";", "|", "&", "(", ")", "\n")
_REDIRECT = re.compile(r"(\d*)(&>>|&>|>>|>&|>\||<&|<<<|<<-|<<|<>|>|<)")
# Reserved words before a command: `if cmd; then cmd; fi` runs both commands.
RESERVED = frozenset({"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "case", "esac",
                      "in", "!", "function", "time", "{", "}"})
# Commands that only test or prepare: what they print on stderr is not the job's failure.
GUARDS = frozenset({"test", "[", "[[", "which", "command", "type", "hash", "pgrep", "pidof", "cd", "sleep", "true",
                    "false", "kill", "mkdir", "echo", "printf", "pushd", "popd", "source", ".", "export", "set",
                    "ulimit", "umask", "renice", "ionice", "nice", "exit", "rm", "touch"})


class ShellError(ValueError):
    """The command cannot be parsed (unbalanced quotes or parentheses)."""


@record
class Redirect:
    fd: int
    op: str
    target: str


@record
class Simple:
    words: list[str] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)

    def command_words(self) -> list[str]:
        """The words from the command name on (reserved words and VAR=value before it left out)."""
        for i, w in enumerate(self.words):
            if w in RESERVED or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", w):
                continue
            return self.words[i:]
        return []

    @property
    def name(self) -> str:
        words = self.command_words()
        return words[0].rsplit("/", 1)[-1] if words else ""


@record
class Group:
    body: list[list[Simple | Group]]  # the pipelines of the group, each a list of commands
    redirects: list[Redirect] = field(default_factory=list)


Token = tuple[str, str]  # ("word"|"op"|"redir", text); redir text is "fd\0op\0target"


def lex(text: str) -> list[Token]:
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t":
            i += 1
            continue
        if c == "#" and (i == 0 or text[i - 1] in " \t\n;&|()"):
            while i < n and text[i] != "\n":
                i += 1
            continue
        op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
        m = _REDIRECT.match(text, i)
        if m:
            fd_text, rop = m.group(1), m.group(2)
            j = m.end()
            if rop in (">&", "<&") and j < n and (text[j].isdigit() or text[j] == "-"):
                k = j
                while k < n and (text[k].isdigit() or text[k] == "-"):
                    k += 1
                out.append(("redir", f"{fd_text}\0{rop}\0{text[j:k]}"))
                i = k
                continue
            while j < n and text[j] in " \t":
                j += 1
            word, j = _word(text, j)
            if not word and rop not in (">&",):
                raise ShellError(f"a redirection with no target at column {i + 1}")
            out.append(("redir", f"{fd_text}\0{rop}\0{word}"))
            i = j
            continue
        if op is not None:
            out.append(("op", op))
            i += len(op)
            continue
        word, i = _word(text, i)
        out.append(("word", word))
    return out


def _word(text: str, i: int) -> tuple[str, int]:
    parts: list[str] = []
    n = len(text)
    while i < n:
        c = text[i]
        if c in " \t\n;&|()<>":
            # `2>` inside a word starts a redirection only at a word start; `a>b` splits here
            break
        if c == "\\":
            if i + 1 < n:
                parts.append(text[i + 1])
            i += 2
            continue
        if c == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise ShellError("an unclosed single quote")
            parts.append(text[i + 1:end])
            i = end + 1
            continue
        if c == '"':
            j = i + 1
            buf: list[str] = []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n and text[j + 1] in '"\\$`':
                    buf.append(text[j + 1])
                    j += 2
                    continue
                buf.append(text[j])
                j += 1
            if j >= n:
                raise ShellError("an unclosed double quote")
            parts.append("".join(buf))
            i = j + 1
            continue
        if c == "$" and text.startswith("$(", i):
            depth, j = 0, i + 1
            while j < n:
                if text[j] == "(":
                    depth += 1
                elif text[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            parts.append(text[i:j + 1])
            i = j + 1
            continue
        if c == "`":
            end = text.find("`", i + 1)
            end = n - 1 if end < 0 else end
            parts.append(text[i:end + 1])
            i = end + 1
            continue
        parts.append(c)
        i += 1
    return "".join(parts), i


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse_list(self, closing: str = "") -> list[list[Simple | Group]]:
        pipelines: list[list[Simple | Group]] = []
        current: list[Simple | Group] = []
        while True:
            tok = self.peek()
            if tok is None:
                break
            kind, text = tok
            if kind == "op" and text == ")" and closing == ")":
                break
            if kind == "word" and text == "}" and closing == "}" and not current:
                break
            if kind == "op" and text in ("|", "|&"):
                self.pos += 1
                if text == "|&" and current:
                    current[-1].redirects.append(Redirect(2, ">&", "1"))
                continue
            if kind == "op" and text in ("&&", "||", ";", "&", "\n", ";;"):
                self.pos += 1
                if current:
                    pipelines.append(current)
                current = []
                continue
            current.append(self.command())
        if current:
            pipelines.append(current)
        return pipelines

    def command(self) -> Simple | Group:
        kind, text = self.tokens[self.pos]
        if kind == "op" and text == "(":
            self.pos += 1
            body = self.parse_list(")")
            if self.peek() != ("op", ")"):
                raise ShellError("an unclosed parenthesis")
            self.pos += 1
            return Group(body, self._redirects())
        if kind == "word" and text == "{":
            self.pos += 1
            body = self.parse_list("}")
            if self.peek() != ("word", "}"):
                raise ShellError("an unclosed brace group")
            self.pos += 1
            return Group(body, self._redirects())
        if kind == "op" and text == ")":
            raise ShellError("an unbalanced parenthesis")
        simple = Simple()
        while True:
            tok = self.peek()
            if tok is None or tok[0] == "op":
                break
            if tok[0] == "word" and tok[1] == "}" and simple.words:
                break
            self.pos += 1
            if tok[0] == "redir":
                simple.redirects.append(_redirect(tok[1]))
            else:
                simple.words.append(tok[1])
        return simple

    def _redirects(self) -> list[Redirect]:
        out: list[Redirect] = []
        while True:
            tok = self.peek()
            if tok is None or tok[0] != "redir":
                return out
            self.pos += 1
            out.append(_redirect(tok[1]))


def _redirect(text: str) -> Redirect:
    fd_text, op, target = text.split("\0")
    default = 0 if op.startswith("<") else 1
    return Redirect(int(fd_text) if fd_text else default, op, target)


def parse(text: str) -> list[list[Simple | Group]]:
    # At the top level parse_list reads every token: a stray `)` raises in command().
    return _Parser(lex(text)).parse_list()


def apply(fds: dict[int, str], redirects: list[Redirect]) -> dict[int, str]:
    """The file each descriptor ends up on, redirections taken left to right."""
    fds = dict(fds)
    for r in redirects:
        if r.op in ("&>", "&>>") or (r.op == ">&" and not r.target.isdigit() and r.target != "-"):
            fds[1] = fds[2] = r.target
        elif r.op in (">&", "<&"):
            fds[r.fd] = CLOSED if r.target == "-" else fds.get(int(r.target), f"<fd {r.target}>")
        elif r.op in (">", ">>", ">|", "<>"):
            fds[r.fd] = r.target
    return fds


@record
class Verdict:
    command: str
    stderr: str  # where fd 2 ends up: a file, "<pipe>", "<closed>", or "<cron>" (cron mails it)
    guard: bool

    @property
    def discards(self) -> bool:
        return self.stderr in (DEV_NULL, CLOSED)


def verdicts(text: str) -> list[Verdict]:
    """Where each simple command of ``text`` sends stderr (cron mails what is
    left on the original stdout and stderr)."""
    start = {1: "<cron>", 2: "<cron>"}
    return list(_walk(parse(text), start))


def _walk(pipelines: list[list[Simple | Group]], fds: dict[int, str]) -> Iterator[Verdict]:
    for pipeline in pipelines:
        for i, cmd in enumerate(pipeline):
            mine = dict(fds)
            if i < len(pipeline) - 1:
                mine[1] = PIPE
            if isinstance(cmd, Group):
                yield from _walk(cmd.body, apply(mine, cmd.redirects))
                continue
            name = cmd.name
            out = apply(mine, cmd.redirects)
            if not name and not cmd.redirects:
                continue
            closing = not name and bool(cmd.redirects)  # `done 2>/dev/null`: the loop's redirections
            shown = " ".join(cmd.command_words()[:3]) or "(the compound command)"
            yield Verdict(shown, out[2], name in GUARDS and not closing and _system_command(cmd.command_words()[0]))


_SYSTEM_BIN = frozenset({"/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin"})


def _system_command(word: str) -> bool:
    """`test` or `/usr/bin/test` is the guard; `/srv/bin/export` or `./test` is the job's own script."""
    return "/" not in word or word.rsplit("/", 1)[0] in _SYSTEM_BIN


def discarding(text: str) -> list[Verdict]:
    """The commands of a cron line that do the work and send stderr nowhere."""
    return [v for v in verdicts(text) if v.discards and not v.guard]
