"""What ``make <target>`` in a container's command or start script runs: the target's recipe.

A compose service started by ``command: make docker-run-production`` runs the recipe of that
target in the repo's Makefile (``gunicorn club.wsgi:application --bind=0.0.0.0:8814``). The
Makefile is read as text, nothing is run: the rule line naming the target, its tab-indented
recipe lines (continued lines joined, ``@``/``-``/``+`` prefixes dropped), the recipes of its
prerequisites that are rules of the same file, and ``$(MAKE) other`` / ``make other`` lines
followed into those targets a few levels down. ``$(VAR)`` is filled when the Makefile (or the
command line, ``make run PORT=8000``) assigns it a literal; ``$$`` is the shell's ``$``.
"""
from __future__ import annotations

import os
import re
from collections.abc import Sequence

from hooks.checks.check_health_checks import builds
from hooks.core.records import record

MAKE_NAMES = ("make", "gmake")
_MAKE_WORD = re.compile(r"^(?:(?:/usr)?(?:/local)?/bin/)?g?make$|^\$[({]MAKE[)}]$")
_SEPARATORS = ("&&", "||", ";", "|", "&")
_RULE = re.compile(r"^([^\t#=:][^=:]*?)\s*(::?)(?!=)\s*(.*)$")
_DEPTH = 3


@record
class MakeCall:
    directory: str  # -C dir ("" for the working directory)
    makefile: str  # -f file ("" for the default names)
    targets: list[str]  # none: the Makefile's first target (not followed)
    variables: dict[str, str | None]  # VAR=value on the command line


def call(words: Sequence[str]) -> MakeCall | None:
    """``make -C app -f Makefile.prod run PORT=8000`` among a command's words (the first one)."""
    for i, word in enumerate(words):
        if not _MAKE_WORD.match(word.strip("\"'")):
            continue
        if i > 0 and words[i - 1] not in (*_SEPARATORS, "exec", "sudo", "env", "nice", "then", "do", "-c") \
                and not re.fullmatch(r"\w+=\S*", words[i - 1]):
            continue  # `apt-get install make`: the word, not the command
        directory = makefile = ""
        targets: list[str] = []
        variables: dict[str, str | None] = {}
        j = i + 1
        while j < len(words) and words[j] not in _SEPARATORS:
            word = words[j].strip("\"'")
            value = words[j + 1].strip("\"'") if j + 1 < len(words) else ""
            if word in ("-C", "--directory", "-f", "--file", "--makefile", "-I", "--include-dir", "-o", "-W", "-j", "-l"):
                if word in ("-C", "--directory"):
                    directory = os.path.join(directory, value)
                elif word in ("-f", "--file", "--makefile"):
                    makefile = value
                j += 2 if word not in ("-j", "-l") or re.fullmatch(r"\d+", value) else 1
                continue
            if word.startswith("-C") and len(word) > 2 and not word.startswith("--"):
                directory = os.path.join(directory, word[2:])
            elif word.startswith(("--directory=", "--file=", "--makefile=")):
                key, _, got = word.partition("=")
                if key == "--directory":
                    directory = os.path.join(directory, got)
                else:
                    makefile = got
            elif word.startswith("-f") and len(word) > 2 and not word.startswith("--"):
                makefile = word[2:]
            elif re.fullmatch(r"[A-Za-z_]\w*=.*", word):
                name, _, got = word.partition("=")
                variables[name] = None if "$" in got or "`" in got else got
            elif not word.startswith("-"):
                targets.append(word)
            j += 1
        return MakeCall(directory, makefile, targets, variables)
    return None


def candidates(made: MakeCall) -> list[str]:
    """The Makefile paths (relative to the working directory) make would read."""
    names = [made.makefile] if made.makefile else ["GNUmakefile", "makefile", "Makefile"]
    return [os.path.normpath(os.path.join(made.directory, n)) for n in names]


def recipe(text: str, targets: Sequence[str], given: dict[str, str | None] | None = None) -> str:
    """The recipe lines ``make <targets>`` runs, as shell text ("" when no target is a rule here)."""
    lines = builds._logical_lines(text)
    variables = {**builds._variables(lines), **(given or {})}
    rules = _rules(lines)
    out: list[str] = []
    seen: set[str] = set()

    def follow(target: str, depth: int) -> None:
        if target in seen or target not in rules or depth > _DEPTH:
            return
        seen.add(target)
        prerequisites, body = rules[target]
        for pre in prerequisites:
            follow(pre, depth + 1)
        for line in body:
            line = _fill(line, variables)
            inner = call(builds._words(line))
            if inner is not None and not inner.directory and not inner.makefile and inner.targets:
                for t in inner.targets:
                    follow(t, depth + 1)
                continue
            out.append(line)

    for target in targets:
        follow(target, 0)
    return "\n".join(out)


def _rules(lines: Sequence[tuple[int, str]]) -> dict[str, tuple[list[str], list[str]]]:
    """target -> (its prerequisites, its recipe lines), for explicit rules (no patterns)."""
    rules: dict[str, tuple[list[str], list[str]]] = {}
    current: list[str] = []
    for _, line in lines:
        if line.startswith("\t"):
            command = line.strip().lstrip("@-+").strip()
            if current and command and not command.startswith("#"):
                for target in current:
                    rules[target][1].append(command)
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _RULE.match(line)
        if m is None or line.startswith((" ", "define", "ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "include", "export ")):
            current = []
            continue
        rest, _, inline = m.group(3).partition(";")
        rest = rest.split("#", 1)[0]
        if "=" in rest:  # target: VAR = value, a target-specific variable
            continue
        names = [n for n in m.group(1).split() if "%" not in n and not n.startswith(".")]
        prerequisites = [p for p in rest.split("|", 1)[0].split() if "%" not in p]
        current = names
        for name in names:
            have = rules.setdefault(name, ([], []))
            have[0].extend(prerequisites)
            if inline.strip():
                have[1].append(inline.strip())
    return rules


_MAKEVAR = re.compile(r"\$\(([A-Za-z_]\w*)\)|\$\{([A-Za-z_]\w*)\}")


def _fill(line: str, variables: dict[str, str | None]) -> str:
    """``$(PORT)`` filled from a literal assignment (left as written otherwise), ``$$`` -> ``$``."""
    def one(m: re.Match[str]) -> str:
        value = variables.get(m.group(1) or m.group(2) or "")
        return value if value is not None and "$" not in value else m.group(0)

    line = line.replace("$$", "\0")
    for _ in range(3):
        filled = _MAKEVAR.sub(one, line)
        if filled == line:
            break
        line = filled
    return line.replace("\0", "$")
