"""Follow a CI command to what it runs: Makefile targets, tox environments,
nox sessions, shell scripts, task tables (poe, taskipy, pdm, hatch, just)
and ``docker compose run SERVICE CMD``.

Each hop into another file costs one level; at most :data:`MAX_HOPS` are
taken (a workflow calling ``make test``, whose recipe runs
``scripts/test.sh``, which runs ``pytest``, is two hops). Within one Makefile,
prerequisites and ``$(MAKE) other`` are followed too. A target, environment
or session that cannot be found is judged by its name (``make test``,
``tox -e lint``), so an unreadable definition never becomes a finding.
"""
from __future__ import annotations

import posixpath
import re

from hooks.checks.check_release_checklist import kinds as k
from hooks.checks.check_release_checklist.shell import Command, commands, words_of
from hooks.core.records import field, record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    import ast
    from collections.abc import Collection, Sequence
    from typing import Any, Callable

    from hooks.config.document import Document

MAX_HOPS = 3
_MAKEFILES = ("GNUmakefile", "makefile", "Makefile")
_JUSTFILES = ("justfile", "Justfile", ".justfile")


@record(frozen=True)
class Leaf:
    """One command a CI step reaches, peeled of its wrappers."""

    words: tuple[str, ...]
    path: str  # where the command is written
    line: int
    swallowed: bool = False  # a failure here, or on the way, does not fail the step
    names: tuple[str, ...] = ()  # targets, environments, sessions, tasks on the way
    in_container: bool = False  # run by `docker compose run/exec` beside the service's containers
    via: tuple[str, ...] = ()  # path:line of each hop
    opaque: str = ""  # why the task it names cannot be read here (it comes from an installed package)
    cwd: str = ""  # the folder it runs in (a script named by a relative path is found from there)


@record
class Target:
    line: int
    prerequisites: list[str] = field(default_factory=list)
    recipe: list[Command] = field(default_factory=list)
    unread: bool = False  # a prerequisite list this reader cannot evaluate ($(shell ...), an unknown variable)
    path: str = ""  # the file it is defined in, when not the Makefile read (a file that Makefile `include`s)


class Repo:
    """The repository as the checks see it: tracked files, read once."""

    def __init__(self, files: Sequence[str], read: Callable[[str], str | None],
                 load: Callable[[str], Document | None]) -> None:
        self.files = sorted({posixpath.normpath(f.replace("\\", "/")) for f in files})
        self.fileset = set(self.files)
        self._read = read
        self._load = load
        self._texts: dict[str, str | None] = {}
        self._cache: dict[tuple[str, str], Any] = {}
        self.precommit_lint = True
        self.precommit_staging = False

    def exists(self, path: str) -> bool:
        return posixpath.normpath(path) in self.fileset

    def text(self, path: str) -> str | None:
        path = posixpath.normpath(path)
        if path not in self._texts:
            self._texts[path] = self._read(path) if path in self.fileset else None
        return self._texts[path]

    def python_tree(self, path: str) -> ast.Module | None:
        """A Python file's syntax tree (noxfile.py, tasks.py, a version module); None when
        absent or not Python we can parse."""
        from hooks.config import python_trees

        text = self.text(path)
        if text is None:
            return None
        try:
            return python_trees.parse(text, path)
        except (SyntaxError, ValueError):
            return None

    def doc(self, path: str) -> Document | None:
        path = posixpath.normpath(path)
        return self._load(path) if path in self.fileset else None

    def cached(self, kind: str, path: str, build: Callable[[str], Any]) -> Any:
        key = (kind, path)
        if key not in self._cache:
            self._cache[key] = build(path)
        return self._cache[key]


def join(cwd: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(cwd, path)) if cwd else posixpath.normpath(path)


# ---- Makefiles ---------------------------------------------------------------

_RULE = re.compile(r"^([^\s:=#][^:=#]*?)\s*::?(?!=)\s*([^=]*?)\s*(?:;.*)?$")
_ASSIGN = re.compile(r"^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?::{1,3}=|\?=|\+=|=|!=)\s*(.*)$")
_VAR = re.compile(r"\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]")


_INCLUDE = re.compile(r"^(?:-include|sinclude|include)\s+(.*)$")


def read_makefile(repo: Repo, path: str, targets: dict[str, Target] | None = None,
                  variables: dict[str, str] | None = None, included: str = "") -> tuple[dict[str, Target], dict[str, str]]:
    """A Makefile's targets and variables. ``include``/``-include``/``sinclude`` files are read in place, one level
    deep (paths from the Makefile's folder, globs and ``$(VAR)`` evaluated, tracked files only), so a target they
    define is found; its :attr:`Target.path` is the included file's. ``included`` is that file, when reading one."""
    text = repo.text(included or path) or ""
    targets = {} if targets is None else targets
    variables = {} if variables is None else variables
    current: list[tuple[Target, dict[str, str]]] = []  # the rule's targets, each with its automatic variables
    folder = posixpath.dirname(path)
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        raw = lines[i]
        number = i + 1
        while raw.endswith("\\") and i + 1 < len(lines):
            i += 1
            raw = raw[:-1] + " " + lines[i].strip()
        i += 1
        if raw.startswith("\t"):
            body = raw[1:].strip()
            if current and body and not body.startswith("#"):
                ignore = False
                while body[:1] in ("@", "-", "+"):
                    ignore = ignore or body[0] == "-"
                    body = body[1:].lstrip()
                for target, automatic in current:
                    for command in commands(_substitute(_automatic(body, automatic), variables), number):
                        if ignore:
                            command = Command(command.words, command.line, True, command.text)
                        target.recipe.append(command)
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        include = _INCLUDE.match(stripped)
        if include:
            current = []
            if not included:
                for name in _included(include.group(1).split("#")[0], variables, repo, folder):
                    if name != path:
                        read_makefile(repo, path, targets, variables, name)
            continue
        assign = _ASSIGN.match(stripped)
        if assign:
            if not variables.get(assign.group(1)):  # the first value, unless that one is empty: `PYTEST=`, then
                variables[assign.group(1)] = assign.group(2).strip()  # `ifndef`-guarded `PYTEST=$(shell which pytest)`
            current = []
            continue
        rule = _RULE.match(stripped)
        if rule and not stripped.startswith(("ifeq", "ifneq", "ifdef", "ifndef", "include", "-include", "define")):
            current = _rule(rule.group(1), rule.group(2), number, targets, variables, repo, folder, included)
            continue
        current = []
    return targets, variables


def _included(text: str, variables: dict[str, str], repo: Repo, folder: str) -> list[str]:
    """The tracked files an ``include`` line names (from the Makefile's folder; globs matched)."""
    found: list[str] = []
    for word in make_eval(text, variables, repo, folder).split():
        if "$" in word or word.startswith("/"):
            continue
        names = _wildcard(word, repo, folder).split() if any(c in word for c in "*?") else [word]
        found.extend(name for name in (join(folder, n) for n in names) if repo.exists(name))
    return list(dict.fromkeys(found))


def _rule(names_text: str, rest: str, number: int, targets: dict[str, Target], variables: dict[str, str], repo: Repo,
          folder: str, source: str = "") -> list[tuple[Target, dict[str, str]]]:
    """The targets of one rule line, with their prerequisites: ``$(VAR)`` lists and ``$(wildcard ...)``,
    ``$(filter-out ...)`` and the like evaluated, and a static pattern rule (``$(tests): %.py : lint``) giving
    each target its own prerequisites and stem (``$*`` in the recipe)."""
    rest = rest.split("|")[0]
    pattern = ""
    if ":" in rest:  # targets: target-pattern: prerequisite-patterns
        pattern, _, rest = rest.partition(":")
        pattern = make_eval(pattern, variables, repo, folder).strip()
    names = [n for n in make_eval(names_text, variables, repo, folder).split()
             if not n.startswith(".") or n in (".DEFAULT",)]
    words = [p for p in make_eval(rest, variables, repo, folder).split()]
    unread = any("$" in p for p in words)
    prerequisites = [p for p in words if "$" not in p]
    out = []
    for name in names:
        if name.startswith("$"):
            continue
        stem = ""
        theirs = prerequisites
        if pattern:
            stem_found = _stem(pattern, name)
            if stem_found is None:
                continue  # GNU make: a target that does not match the pattern is an error; skip it
            stem = stem_found
            theirs = [p.replace("%", stem, 1) for p in prerequisites]
        target = targets.setdefault(name, Target(number, path=source))
        target.prerequisites.extend(theirs)
        target.unread = target.unread or unread
        automatic = {"@": name, "*": stem or (name.rsplit(".", 1)[0] if pattern else ""), "<": theirs[0] if theirs else "",
                     "^": " ".join(dict.fromkeys(theirs))}
        out.append((target, automatic))
    return out


def _stem(pattern: str, name: str) -> str | None:
    if "%" not in pattern:
        return "" if pattern == name else None
    before, _, after = pattern.partition("%")
    if name.startswith(before) and name.endswith(after) and len(name) >= len(before) + len(after):
        return name[len(before):len(name) - len(after)]
    return None


_AUTOMATIC = re.compile(r"(?<!\$)\$(?:([@*<^])|\(([@*<^])\))")


def _automatic(body: str, automatic: dict[str, str]) -> str:
    """``$@``, ``$*``, ``$<``, ``$^`` of the rule (left alone where the rule sets none, and ``$$@`` is the shell's)."""
    def one(match: re.Match[str]) -> str:
        value = automatic.get(match.group(1) or match.group(2), "")
        return value or match.group(0)

    return _AUTOMATIC.sub(one, body) if "$" in body else body


def make_eval(text: str, variables: dict[str, str], repo: Repo, folder: str, depth: int = 0) -> str:
    """A target or prerequisite list as make would read it, for the common forms: ``$(VAR)``/``${VAR}``,
    ``$(VAR:.py=.o)``, and the functions ``wildcard`` (matched against the tracked files, from the Makefile's
    folder), ``filter``, ``filter-out``, ``patsubst``, ``subst``, ``addprefix``, ``addsuffix``, ``sort``,
    ``strip``, ``notdir``, ``basename``, ``dir``, ``firstword``, ``words``-free lists. What it cannot evaluate
    (``$(shell ...)``, an unknown variable) is kept as written, so it is seen as unread."""
    if "$" not in text or depth > 8:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "$" or i + 1 >= len(text):
            out.append(c)
            i += 1
            continue
        opener = text[i + 1]
        if opener == "$":
            out.append("$$")
            i += 2
            continue
        if opener not in "({":
            out.append(text[i:i + 2])
            i += 2
            continue
        closer = ")" if opener == "(" else "}"
        level, j = 0, i + 1
        while j < len(text):
            if text[j] == opener:
                level += 1
            elif text[j] == closer:
                level -= 1
                if level == 0:
                    break
            j += 1
        if j >= len(text):
            out.append(text[i:])
            break
        inner = text[i + 2:j]
        value = _make_reference(inner, variables, repo, folder, depth)
        out.append(value if value is not None else text[i:j + 1])
        i = j + 1
    return "".join(out)


def _make_reference(inner: str, variables: dict[str, str], repo: Repo, folder: str, depth: int) -> str | None:
    function, _, arguments = inner.partition(" ")
    if function in _MAKE_FUNCTIONS and arguments:
        parts = _split_arguments(arguments)
        values = [make_eval(p, variables, repo, folder, depth + 1) for p in parts]
        if any("$(" in v or "${" in v for v in values):
            return None
        return _MAKE_FUNCTIONS[function](values, repo, folder)
    name, colon, replacement = inner.partition(":")
    name = make_eval(name, variables, repo, folder, depth + 1)
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", name) or name not in variables:
        return None
    value = make_eval(variables[name], variables, repo, folder, depth + 1)
    if colon and "=" in replacement:  # $(SRC:.py=.pyc)
        old, _, new = replacement.partition("=")
        if "%" not in old:
            old, new = "%" + old, "%" + new
        value = " ".join(_patsubst(old, new, w) for w in value.split())
    return value


def _split_arguments(text: str) -> list[str]:
    parts: list[str] = []
    level, start = 0, 0
    for i, c in enumerate(text):
        if c in "({":
            level += 1
        elif c in ")}":
            level -= 1
        elif c == "," and level == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _patsubst(pattern: str, replacement: str, word: str) -> str:
    stem = _stem(pattern, word)
    if stem is None:
        return word
    return replacement.replace("%", stem, 1) if "%" in replacement else replacement


def _filter(patterns: str, words: str) -> list[str]:
    wanted = patterns.split()
    return [w for w in words.split() if any(_stem(p, w) is not None for p in wanted)]


def _wildcard(patterns: str, repo: Repo, folder: str) -> str:
    found: list[str] = []
    for pattern in patterns.split():
        if pattern.startswith("/") or "$" in pattern:
            continue
        full = join(folder, pattern)
        expression = re.compile("".join("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch) for ch in full) + "$")
        matched = sorted(f for f in repo.files if expression.match(f))
        found.extend(posixpath.relpath(f, folder) if folder else f for f in matched)
    return " ".join(found)


_MAKE_FUNCTIONS: dict[str, Callable[[list[str], Repo, str], str]] = {
    "wildcard": lambda a, repo, folder: _wildcard(a[0], repo, folder),
    "filter": lambda a, repo, folder: " ".join(_filter(a[0], a[1])) if len(a) > 1 else "",
    "filter-out": lambda a, repo, folder: " ".join(w for w in a[1].split() if not _filter(a[0], w)) if len(a) > 1 else "",
    "patsubst": lambda a, repo, folder: " ".join(_patsubst(a[0].strip(), a[1].strip(), w) for w in a[2].split()) if len(a) > 2 else "",
    "subst": lambda a, repo, folder: a[2].replace(a[0], a[1]) if len(a) > 2 and a[0] else "",
    "addprefix": lambda a, repo, folder: " ".join(a[0].strip() + w for w in a[1].split()) if len(a) > 1 else "",
    "addsuffix": lambda a, repo, folder: " ".join(w + a[0].strip() for w in a[1].split()) if len(a) > 1 else "",
    "sort": lambda a, repo, folder: " ".join(sorted(set(a[0].split()))),
    "strip": lambda a, repo, folder: " ".join(a[0].split()),
    "notdir": lambda a, repo, folder: " ".join(posixpath.basename(w) for w in a[0].split()),
    "basename": lambda a, repo, folder: " ".join(w.rsplit(".", 1)[0] if "." in posixpath.basename(w) else w for w in a[0].split()),
    "dir": lambda a, repo, folder: " ".join((posixpath.dirname(w) or ".") + "/" for w in a[0].split()),
    "firstword": lambda a, repo, folder: (a[0].split() or [""])[0],
}


def _substitute(text: str, variables: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "MAKE":  # `MAKE = make -C /opt/app/` (a Makefile that runs the targets in another tree) is kept
            own = variables.get("MAKE", "")
            return own if own.split()[:1] in (["make"], ["gmake"]) else "make"
        value = variables.get(name)
        if value is None or value.startswith("$(shell") or value.startswith("$(wildcard"):
            return name.lower() if match.start() == 0 else match.group(0)  # $(PYTEST) -> pytest
        return value

    for _ in range(3):
        new = _VAR.sub(one, text)
        if new == text:
            break
        text = new
    return text


def read_justfile(repo: Repo, path: str) -> tuple[dict[str, Target], dict[str, str]]:
    """A justfile's recipes, ``{{ ... }}`` filled in (``just_executable()`` is ``just``, a parameter its
    default, a variable its literal value, anything else nothing); the second value holds its modules
    (``mod docker`` -> ``mod:docker``: the module's file) and literal variables."""
    targets: dict[str, Target] = {}
    variables: dict[str, str] = {}
    current: Target | None = None
    parameters: dict[str, str] = {}
    lines = (repo.text(path) or "").split("\n")
    for raw in lines:  # variables may be used before they are set
        assign = re.match(r"^(?:export\s+)?([A-Za-z_][\w-]*)\s*:=\s*(?:\"([^\"]*)\"|'([^']*)')\s*$", raw)
        if assign:
            variables[assign.group(1)] = assign.group(2) if assign.group(2) is not None else assign.group(3)
        module = re.match(r"^mod\??\s+([A-Za-z_][\w-]*)(?:\s+['\"]([^'\"]+)['\"])?\s*$", raw)
        if module:
            variables[f"mod:{module.group(1)}"] = _just_module(repo, path, module.group(1), module.group(2))
    pending: tuple[int, str] | None = None  # a recipe line continued with `\`
    for number, raw in enumerate(lines, 1):
        if raw[:1] in (" ", "\t"):
            body = raw.strip() if pending is not None else raw.strip().lstrip("@-")
            if pending is not None:
                number, body = pending[0], pending[1] + " " + body
                pending = None
            if body.endswith("\\"):
                pending = (number, body[:-1].rstrip())
                continue
            if current is not None and body and not body.startswith("#"):
                current.recipe.extend(commands(_interpolate(body, parameters, variables), number))
            continue
        pending = None
        match = re.match(r"^@?([A-Za-z0-9_-]+)((?:\s+[^:]*)?):(?!=)\s*(.*)$", raw)
        current = None
        if match:
            parameters = {name: (default or "").strip("'\"") if not (default or "").startswith("`") else ""
                          for name, default in re.findall(r"[*+$]*([A-Za-z_][\w-]*)(?:=(\"[^\"]*\"|'[^']*'|[^\s'\"]+))?",
                                                          match.group(2))}
            current = targets.setdefault(match.group(1), Target(number, [p for p in match.group(3).split()
                                                                         if not p.startswith("(") and not p.endswith(")")]))
    return targets, variables


def _interpolate(body: str, parameters: dict[str, str], variables: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        if inner == "just_executable()":
            return "just"
        if inner in ("justfile_directory()", "invocation_directory()", "source_directory()"):
            return "."
        if inner in parameters:
            return parameters[inner]
        return variables.get(inner, "") if not inner.startswith("mod:") else ""

    return re.sub(r"\{\{(.*?)\}\}", one, body)


def _just_module(repo: Repo, path: str, name: str, given: str | None) -> str:
    """The file of ``mod name`` (or ``mod name 'path'``) beside the justfile ``path``."""
    folder = posixpath.dirname(path)
    candidates = [given] if given else [f"{name}.just", f"{name}/mod.just", f"{name}/justfile", f"{name}/.justfile",
                                         f"{name}/Justfile"]
    for candidate in candidates:
        if candidate and repo.exists(join(folder, candidate)):
            return join(folder, candidate)
    return ""


# ---- tox, nox, task tables -----------------------------------------------------


_TOX_REFERENCE = re.compile(r"\{\[([^\]{}]+)\]([A-Za-z_][\w-]*)\}")
_TOX_SUBSTITUTIONS = (
    (re.compile(r"\{env_?python\}"), "python"),  # the env's interpreter
    (re.compile(r"\{env_?bin_?dir\}[/\\]|\{env_?dir\}[/\\](?:bin|Scripts)[/\\]"), ""),  # {envbindir}/pytest: the env's pytest
    (re.compile(r"\{(?:toxinidir|tox_root)\}[/\\]"), ""),  # {toxinidir}/manage.py: relative to tox.ini's folder
    (re.compile(r"\{(?:toxinidir|tox_root)\}"), "."),
    (re.compile(r"\{env:[A-Za-z_][A-Za-z0-9_]*:([^{}]*)\}"), r"\1"),  # {env:PYTEST_ARGS:-x}: its default
)


def tox_substitute(text: str, sections: dict[tuple[str, str], str] | None = None) -> str:
    """A tox command line with tox's substitutions read as what they run: ``{envpython}
    {toxinidir}/manage.py test`` -> ``python manage.py test``, ``{envbindir}/pytest`` -> ``pytest``,
    ``{env:X:default}`` -> its default, ``{[testenv]commands}`` -> that key's value (ini files).
    ``{posargs}`` is left for :func:`kinds.test_scope`."""
    if sections:
        for _ in range(3):
            new = _TOX_REFERENCE.sub(lambda m: sections.get((m.group(1), m.group(2)), m.group(0)), text)
            if new == text:
                break
            text = new
    if "{" not in text:
        return text
    for pattern, replacement in _TOX_SUBSTITUTIONS:
        text = pattern.sub(replacement, text)
    return text


_TOX_FACTORS = re.compile(r"^([A-Za-z0-9_,.!{}-]+):\s")


def _tox_factors_match(condition: str, env: str) -> bool:
    """Whether a factor condition (``py{310,311}-django{42,52}``, ``lint,docs``, ``!lint``) selects ``env``."""
    factors = set(env.split("-"))
    for alternative in (a for a in re.split(r"[\s,]+", _expand_braces(condition)) if a):
        if all((f[1:] not in factors) if f.startswith("!") else (f in factors) for f in alternative.split("-") if f):
            return True
    return False


def _tox_commands(value: str, line: int, sections: dict[tuple[str, str], str] | None = None,
                  env: str | None = None) -> list[Command]:
    """The commands of a tox ``commands`` value; with ``env``, only the lines its factors select
    (``lint: pylint src`` is not a command of ``py311-django42``)."""
    out: list[Command] = []
    # a {[testenv]commands} reference may bring several lines: each is read at the referring line
    lines = [(offset, one) for offset, text in enumerate(value.split("\n"))
             for one in (tox_substitute(text, sections).split("\n") if "{" in text else [text])]
    for offset, text in lines:
        text = text.strip()
        condition = _TOX_FACTORS.match(text)
        if condition is not None:
            if env is not None and not _tox_factors_match(condition.group(1), env):
                continue
            text = text.split(":", 1)[1].strip()  # factor-conditional: py311: pytest
        if text.startswith("-"):
            text = text[1:].strip()  # tox: a leading '-' ignores the exit code
            found = commands(text, line + offset)
            out.extend(Command(c.words, c.line, True, c.text) for c in found)
            continue
        out.extend(commands(text, line + offset))
    return out


def read_tox(repo: Repo, cwd: str) -> tuple[str, dict[str, list[Command]], list[str]] | None:
    """(file, env -> commands, envlist) from tox.ini, setup.cfg [tox:tox] or
    pyproject.toml (legacy_tox_ini or tox 4's TOML tables)."""
    from hooks.config import formats

    for name in ("tox.ini", "setup.cfg", "tox.toml", "pyproject.toml"):
        path = join(cwd, name)
        if not repo.exists(path):
            continue
        if name == "pyproject.toml":
            doc = repo.doc(path)
            if doc is None:
                continue
            legacy = doc.get(("tool", "tox", "legacy_tox_ini"))
            if legacy is not None and isinstance(legacy.value, str):
                from hooks.config import loaders

                inner = loaders.parse(path, legacy.value, formats.INI)
                found = _tox_from_ini(inner, legacy.line, "")
                if found:
                    return (path, *found)
            found = _tox_from_toml(doc, ("tool", "tox"))
            if found:
                return (path, *found)
            continue
        doc = repo.doc(path)
        if doc is None:
            continue
        found = _tox_from_toml(doc, ()) if name == "tox.toml" else _tox_from_ini(doc, 0, "tox:" if name == "setup.cfg" else "")
        if found:
            return (path, *found)
    return None


def _tox_from_ini(doc: Document, base_line: int, prefix: str) -> tuple[dict[str, list[Command]], list[str]] | None:
    envs: dict[str, list[Command]] = {}
    envlist: list[str] = []
    seen = False
    sections = {(str(e.path[0]), str(e.path[1])): e.value.strip("\n") for e in doc.entries
                if len(e.path) == 2 and isinstance(e.value, str)}
    base: tuple[str, int] | None = None
    for entry in doc.entries:
        if len(entry.path) != 2:
            continue
        section, key = str(entry.path[0]), str(entry.path[1])
        if section in (f"{prefix}tox", "tox:tox", "tox"):
            seen = True
            if key == "envlist" and isinstance(entry.value, str):
                envlist = [e for e in re.split(r"[\s,]+", _expand_braces(entry.value)) if e]
        if section == "testenv" or section.startswith("testenv:"):
            seen = True
            if key == "commands" and isinstance(entry.value, str):
                name = section.partition(":")[2] or ""
                line = base_line + entry.line + (1 if not entry.value.split("\n")[0].strip() else 0)
                value = entry.value.strip("\n") if entry.value.startswith("\n") else entry.value
                envs[name] = _tox_commands(value, line, sections)
                if not name:
                    base = (value, line)
    if base is not None and any(_TOX_FACTORS.match(t.strip()) for t in base[0].split("\n")):
        # an env without a section of its own runs the [testenv] lines its factors select
        envs = ToxEnvs(envs, lambda env: _tox_commands(base[0], base[1], sections, env))
    return (envs, envlist) if seen else None


class ToxEnvs(dict[str, list[Command]]):
    """tox envs by name; ``select(env)``: the commands of an env without a section of its own."""

    def __init__(self, envs: dict[str, list[Command]], select: Callable[[str], list[Command]]) -> None:
        super().__init__(envs)
        self.select = select


def _expand_braces(text: str) -> str:
    match = re.search(r"([^\s,{]*)\{([^{}]*)\}([^\s,]*)", text)
    if not match:
        return text
    options = [match.group(1) + o.strip() + match.group(3) for o in match.group(2).split(",")]
    return _expand_braces(text[:match.start()] + ",".join(options) + text[match.end():])


def _tox_from_toml(doc: Document, prefix: tuple[str, ...]) -> tuple[dict[str, list[Command]], list[str]] | None:
    envs: dict[str, list[Command]] = {}
    envlist: list[str] = []
    n = len(prefix)
    seen = False
    for entry in doc.entries:
        path = entry.path
        if path[:n] != prefix or len(path) <= n:
            continue
        rest = path[n:]
        seen = True
        if rest[:1] == ("env_list",) and len(rest) == 2 and isinstance(entry.value, str):
            envlist.append(entry.value)
        name = None
        if rest[:1] == ("env_run_base",) and len(rest) > 1 and rest[1] == "commands":
            name, tail = "", rest[2:]
        elif rest[:1] == ("env",) and len(rest) > 2 and rest[2] == "commands":
            name, tail = str(rest[1]), rest[3:]
        if name is None or len(tail) != 2 or not isinstance(entry.value, str):
            continue
        index = tail[0]
        listed = envs.setdefault(name, [])
        word = tox_substitute(entry.value) if "{" in entry.value else entry.value
        if listed and listed[-1].text == f"#{index}":
            last = listed.pop()
            listed.append(Command((*last.words, word), last.line, last.swallowed, last.text))
        else:
            listed.append(Command((word,), entry.line, False, f"#{index}"))
    return (envs, envlist) if seen else None


def read_nox(repo: Repo, cwd: str) -> tuple[str, dict[str, list[Command]], list[str], Imported] | None:
    import ast

    path = join(cwd, "noxfile.py")
    tree = repo.python_tree(path)
    if tree is None:
        return None
    sessions: dict[str, list[Command]] = {}
    defaults: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(ast.unparse(t) == "nox.options.sessions" for t in node.targets) \
                and isinstance(node.value, (ast.List, ast.Tuple)):
            defaults = [e.value for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        name = None
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            func = call.func if call else decorator
            if ast.unparse(func) in ("nox.session", "session", "nox_poetry.session", "nox_uv.session"):
                name = node.name
                for keyword in call.keywords if call else []:
                    if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                        name = str(keyword.value.value)
        if name is None:
            continue
        found: list[Command] = []
        for call_node in ast.walk(node):
            if isinstance(call_node, ast.Call) and isinstance(call_node.func, ast.Attribute) \
                    and call_node.func.attr in ("run", "run_always", "run_install"):
                words = tuple(a.value for a in call_node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
                swallowed = any(kw.arg == "success_codes" for kw in call_node.keywords)
                if words:
                    found.append(Command(words, call_node.lineno, swallowed, " ".join(words)))
        sessions[name] = found
        sessions.setdefault(name.replace("_", "-"), found)
    return path, sessions, defaults, _installed_imports(repo, tree, cwd)


@record
class Imported:
    """What a tasks.py / noxfile.py takes from an installed package (not a file of the repo): the
    modules of its imported names, and the one its task namespace or star import comes from."""

    names: dict[str, tuple[str, int]] = field(default_factory=dict)  # local name -> (module, line)
    namespace: tuple[str, int] | None = None  # ns = api_app_tasks, Collection.from_module(x), from x import *


_NAMESPACE_CALLS = frozenset({"Collection", "invoke.Collection", "Collection.from_module", "add_collection", "add_task"})


def _installed_imports(repo: Repo, tree: ast.Module, cwd: str) -> Imported:
    """Imports of ``tree`` from a package that is not in the repo: its definitions cannot be read here."""
    import ast
    import sys

    found = Imported()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            module, aliases = node.module, [(a.asname or a.name, a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            module, aliases = "", [((a.asname or a.name).split(".")[0], a.name) for a in node.names]
        else:
            continue
        for local, name in aliases:
            source = module or name
            top = source.split(".")[0]
            if top in sys.stdlib_module_names or top in ("invoke", "fabric", "nox", "nox_poetry", "nox_uv") \
                    or _in_repo(repo, cwd, top):
                continue
            if name == "*":
                found.namespace = found.namespace or (source, node.lineno)
            else:
                found.names[local] = (source, node.lineno)
    for any_node in ast.walk(tree):
        value: ast.AST | None = None
        if isinstance(any_node, ast.Assign) \
                and any(isinstance(t, ast.Name) and t.id in ("ns", "namespace") for t in any_node.targets):
            value = any_node.value  # ns = api_app_tasks
        elif isinstance(any_node, ast.Call) and (ast.unparse(any_node.func) in _NAMESPACE_CALLS or isinstance(
                any_node.func, ast.Attribute) and any_node.func.attr in _NAMESPACE_CALLS):
            value = any_node  # Collection.from_module(tasks), ns.add_collection(docs_tasks)
        if value is None:
            continue
        for used in ast.walk(value):
            if isinstance(used, ast.Name) and used.id in found.names and found.namespace is None:
                found.namespace = found.names[used.id]
    return found


def _in_repo(repo: Repo, cwd: str, top: str) -> bool:
    """A module (or package) of the repo, beside the file or at a usual source root."""
    for root in {cwd, "", "src", join(cwd, "src")}:
        base = join(root, top)
        if repo.exists(base + ".py") or any(f.startswith(base + "/") for f in repo.files):
            return True
    return False


def unreadable_task(imported: Imported, path: str, name: str) -> str:
    """Why task ``name`` (not defined in ``path``) cannot be read: it comes from an installed package; "" when not."""
    source = imported.names.get(name.replace("-", "_")) or imported.namespace
    if source is None:
        return ""
    return f"{path}:{source[1]}: task {name} is defined in {source[0]}, an installed package"


def read_invoke(repo: Repo, cwd: str) -> tuple[str, dict[str, list[Command]], Imported] | None:
    """invoke's tasks.py: task function -> the command lines written in it.

    Tasks build their commands in many ways (``c.run("pytest")``, a helper
    called with an f-string, tokens joined later), so every string literal of
    the function that reads as a command is kept; ``judge`` also reads the
    task's name, as for a Makefile target it cannot see."""
    import ast

    path = join(cwd, "tasks.py")
    tree = repo.python_tree(path)
    if tree is None:
        return None
    tasks: dict[str, list[Command]] = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or not any(
                ast.unparse(d.func if isinstance(d, ast.Call) else d) in ("task", "invoke.task") for d in node.decorator_list):
            continue
        found: list[Command] = []
        for inner in ast.walk(node):
            literal = None
            if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                literal = inner.value
            elif isinstance(inner, ast.JoinedStr):
                literal = "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "X" for v in inner.values)
            if literal and "\n" not in literal.strip() and len(literal) < 300 and re.match(r"^[a-z][\w.-]*( |$)", literal):
                found.extend(commands(literal, getattr(inner, "lineno", node.lineno)))
        tasks[node.name] = found
    return path, tasks, _installed_imports(repo, tree, cwd)


_TABLES = {  # tool -> key-path prefix in pyproject.toml
    "poe": ("tool", "poe", "tasks"),
    "taskipy": ("tool", "taskipy", "tasks"),
    "pdm": ("tool", "pdm", "scripts"),
    "rye": ("tool", "rye", "scripts"),
}


def read_tasks(repo: Repo, cwd: str) -> tuple[str, dict[str, dict[str, list[Command]]]] | None:
    """pyproject.toml's task tables: tool -> task -> commands (hatch: 'env:script')."""
    path = join(cwd, "pyproject.toml")
    doc = repo.doc(path)
    if doc is None:
        return None
    tables: dict[str, dict[str, list[Command]]] = {}
    for entry in doc.entries:
        if not isinstance(entry.value, str):
            continue
        p = entry.path
        for tool, prefix in _TABLES.items():
            if p[:3] == prefix and len(p) >= 4:
                name = str(p[3])
                if len(p) == 4 or (len(p) >= 5 and (p[4] in ("cmd", "shell", "call", "sequence", "composite", "script")
                                                    or isinstance(p[4], int))):
                    if len(p) >= 5 and p[4] == "call":
                        continue
                    tables.setdefault(tool, {}).setdefault(name, []).extend(_task_commands(entry.value, entry.line, tool))
        if p[:3] == ("tool", "hatch", "envs") and len(p) >= 6 and p[4] == "scripts":
            env, name = str(p[3]), str(p[5])
            for key in ((f"{env}:{name}", name) if env == "default" else (f"{env}:{name}",)):
                tables.setdefault("hatch", {}).setdefault(key, []).extend(_task_commands(entry.value, entry.line, "hatch"))
    return path, tables


def _task_commands(value: str, line: int, tool: str) -> list[Command]:
    found = commands(value, line)
    if tool in ("poe", "pdm") and len(found) == 1 and len(found[0].words) == 1 and not found[0].words[0].startswith("-"):
        # poe sequence / pdm composite items name other tasks: kept as `<tool> <task>`
        word = found[0].words[0]
        if word.isidentifier() or re.match(r"^[a-z][\w:-]*$", word):
            return [Command((tool, word), line, False, f"{tool} {word}"), *found]
    return found


def read_precommit(repo: Repo, path: str = ".pre-commit-config.yaml") -> tuple[bool, bool, int] | None:
    """(runs a Python linter, runs a staging-config hook, line of `ci:`) of the
    pre-commit config, or None when there is none."""
    from hooks.checks.check_release_checklist.tree import root

    doc = repo.doc(path)
    if doc is None:
        return None
    top = root(doc)
    if top is None:
        return None
    lint = staging = False
    for repo_node in (top.get("repos") or top).items():
        for hook in (repo_node.get("hooks") or repo_node).items():
            hook_id = (hook.text("id") or "").lower()
            entry = (hook.text("entry") or "").lower()
            stages = [s.text("") or str(s.value) for s in (hook.get("stages") or hook).items()] if hook.get("stages") else []
            if hook_id in ("check-staging-parity", "cleanup-report") and not (stages and set(stages) <= {"manual"}):
                staging = True
            words = k.peel(words_of(entry) or (hook_id,))
            kinds = k.classify((*words, "--check"))
            if k.LINT in kinds or hook_id in _PRECOMMIT_LINT or any(hook_id.startswith(p) for p in ("ruff", "mypy", "flake8", "pylint")):
                lint = True
    ci = top.get("ci")
    return lint, staging, ci.at if ci is not None else 0


_PRECOMMIT_LINT = frozenset({"black", "isort", "flake8", "pylint", "mypy", "ruff", "ruff-check", "ruff-format",
                             "pyupgrade", "autoflake", "bandit", "pydocstyle", "pyright", "blacken-docs",
                             "django-upgrade", "pycln", "docformatter", "yesqa", "flake8-typing-imports",
                             "python-check-blanket-noqa", "python-no-eval", "check-ast", "darker", "blue"})


# ---- following ------------------------------------------------------------------


class Follower:
    """Expands commands into the leaves they reach."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo

    def expand(self, command: Command, path: str, cwd: str = "", swallowed: bool = False) -> list[Leaf]:
        out: list[Leaf] = []
        self._expand(command.words, path, command.line, cwd, swallowed or command.swallowed, (), False, 0, (), set(), out)
        return out

    def _expand(self, words: Sequence[str], path: str, line: int, cwd: str, swallowed: bool, names: tuple[str, ...],
                in_container: bool, hops: int, via: tuple[str, ...], seen: set[tuple[str, str]], out: list[Leaf]) -> None:
        if self._script_table(words, path, line, cwd, swallowed, names, in_container, hops, via, seen, out):
            return
        words = self._peeled(words, path, line, cwd, swallowed, names, in_container, hops, via, seen, out)
        if not words or len(out) > 2000:
            return
        head = k.base(words[0])
        script_text = _shell_c(words) if head in ("bash", "sh", "zsh", "dash") else None
        if script_text is not None:
            for c in commands(script_text, line):  # bash -c "ruff check . && pytest", bash -o pipefail -c '…'
                self._expand(c.words, path, line, cwd, swallowed or c.swallowed, names, in_container, hops, via, seen, out)
            return

        def leaf() -> None:
            out.append(Leaf(tuple(words), path, line, swallowed, names, in_container, via, cwd=cwd))

        def follow(commands_: Sequence[Command], where: str, name: str, same_file: bool = False) -> None:
            key = (where, name)
            if key in seen or (hops >= MAX_HOPS and not same_file):
                leaf()
                return
            seen.add(key)
            step = via + (f"{path}:{line}",)
            for c in commands_:
                self._expand(c.words, where, c.line, cwd if not same_file else cwd, swallowed or c.swallowed,
                             names + ((name,) if name else ()), in_container, hops + (0 if same_file else 1), step, seen, out)

        if head in ("make", "gmake") or head == "$(MAKE)":
            self._make(words, path, line, cwd, swallowed, names, in_container, hops, via, seen, out, _MAKEFILES, read_makefile)
            return
        if head == "just":
            self._make(words, path, line, cwd, swallowed, names, in_container, hops, via, seen, out, _JUSTFILES, read_justfile)
            return
        groups = self._groups(head, words, cwd)
        if groups is not None:
            where, items = groups
            if where is None:
                leaf()  # no tox.ini / noxfile.py / tasks.py to read: judged as it is
            for name, cmds, fallback, unreadable in items:
                if fallback:
                    out.append(Leaf(fallback, path, line, swallowed, names + (name,), in_container, via, unreadable))
                if cmds is not None and where is not None:
                    follow(cmds, where, name)
            return
        script = self._script_of(words, path, cwd, in_container)
        if script is not None:
            text = self.repo.text(script)
            if text is None:
                leaf()
                return
            arguments = _script_arguments(words)
            if arguments and "$" not in arguments[0]:
                text = case_branch(text, arguments[0])  # bin/run test: `case $1 in … test) pytest ;;`
            found = _script_commands(text)
            follow(_with_arguments(found, arguments), script, posixpath.basename(script))
            if arguments and _passes_through(found):
                # run-as-user.sh scripts/ci/build.sh, whose last line is `gosu app "$@"`: the
                # arguments are the command; the wrapper costs no hop
                self._expand(arguments, path, line, cwd, swallowed, names, in_container, hops, via, seen, out)
            return
        task = self._task(words, cwd)
        if task is not None:
            where, name, cmds = task
            follow(cmds, where, name)
            return
        if _container_parts(words) is not None:
            leaf()
            self._container(words, path, line, cwd, swallowed, names, hops, via, seen, out)
            return
        leaf()

    def _container(self, words: Sequence[str], path: str, line: int, cwd: str, swallowed: bool, names: tuple[str, ...],
                   hops: int, via: tuple[str, ...], seen: set[tuple[str, str]], out: list[Leaf]) -> None:
        """``docker compose run/exec``, ``docker run/exec``: the command run in the container, followed."""
        parts = _container_parts(words)
        if parts is None:
            return
        inner = parts[2]
        if parts[0] == "compose-run":
            inner = self._compose_run(words, cwd, path, line, swallowed, names, hops, via, seen, out) or inner
        if inner:
            self._expand(inner, path, line, cwd, swallowed, names, True, hops, via, seen, out)

    def _compose_run(self, words: Sequence[str], cwd: str, path: str, line: int, swallowed: bool, names: tuple[str, ...],
                     hops: int, via: tuple[str, ...], seen: set[tuple[str, str]], out: list[Leaf]) -> tuple[str, ...]:
        """``docker compose run SERVICE ARGS`` whose service is built from this repo: the arguments go to the
        image's entrypoint (``ENTRYPOINT ["/bin/bash", "/app/bin/run"]``: ``bin/run test``), which is followed
        one hop, when it is a script the repo holds or a program (``python -m pytest``). Returns the command
        after the service as the compose file's services read it (``run -e X $CI_ENV web test``: ``test``),
        () when no service is known; the caller follows it as a command as well."""
        from hooks.checks.check_release_checklist import images

        if "--entrypoint" in words or any(w.startswith("--entrypoint=") for w in words):
            return ()
        known = images.services(self.repo, images.compose_files(self.repo, words, cwd))
        parts = _container_parts(words, known) if known else None
        if parts is None or parts[1] not in known:
            return ()
        service = known[parts[1]]
        entry = service.entrypoint
        if entry is None and service.dockerfile is not None and self.repo.exists(service.dockerfile):
            entry = images.entrypoint(self.repo, service.dockerfile, service.target)
        if entry and hops < MAX_HOPS and self._readable_entrypoint(entry, cwd):
            step = via + (f"{path}:{line}",)
            self._expand((*entry, *parts[2]), path, line, cwd, swallowed, names, True, hops + 1, step, seen, out)
        return parts[2]

    def _readable_entrypoint(self, entry: Sequence[str], cwd: str) -> bool:
        """An entrypoint worth following: a script the repo holds (through the image's folder), or a
        program, not a script that is not here (``/docker-entrypoint.sh`` copied from elsewhere)."""
        peeled = k.peel(entry)
        if not peeled:
            return False
        script = self._find_script(peeled, cwd, True)
        if script is not None:
            return self.repo.exists(script)
        return not peeled[0].startswith("/") or k.base(peeled[0]) in ("python", "python3", "bash", "sh")

    def _find_script(self, words: Sequence[str], cwd: str, in_container: bool) -> str | None:
        script = _script(words, cwd)
        if script is not None and in_container and script.startswith("/") and not self.repo.exists(script):
            return self._image_path(script) or script  # docker run org/app /app/docker/run-tests.sh
        return script

    def _peeled(self, words: Sequence[str], path: str, line: int, cwd: str, swallowed: bool, names: tuple[str, ...],
                in_container: bool, hops: int, via: tuple[str, ...], seen: set[tuple[str, str]], out: list[Leaf]) -> tuple[str, ...]:
        """The command under its wrappers (:func:`kinds.peel`); but a script the repo holds is itself, to be
        followed (``scripts/testall.docker python``: the script is given an argument), and what its arguments
        would run as a command is expanded here as well when the script reads them (``./compose.sh tox run …
        tox``: a wrapper whose text may hide that it runs them)."""
        script = self._script_of(words, path, cwd, in_container) if words else None
        peeled = k.peel(words)
        if script is None or not self.repo.exists(script):
            return peeled
        text = self.repo.text(script) or ""
        if peeled and k.base(peeled[0]) != k.base(words[0]) and any(a in text for a in ("$@", "${@", "$*", "${*")):
            # it hands its arguments on (`args=${@:-up}` … `docker-compose … $args`); one that never reads them
            # (`gosu app python manage.py migrate`) is no way in for them
            self._expand(peeled, path, line, cwd, swallowed, names, in_container, hops, via, seen, out)
        return tuple(words)

    def _script_of(self, words: Sequence[str], path: str, cwd: str, in_container: bool) -> str | None:
        """The script a command runs (:func:`_script`), or one named through a folder known at run time."""
        script = self._find_script(words, cwd, in_container)
        if (script is None or not self.repo.exists(script)) and not in_container:
            script = self._through_folder(words[0], path, cwd) or script
        return script

    def _through_folder(self, head: str, path: str, cwd: str) -> str | None:
        """A script named through a folder the files do not spell out (``$CODEDIR/docker/run.sh``, where
        ``CODEDIR`` is the checkout found at run time; ``$(dirname "$0")/run.sh``): the path after the
        variables, read from the folder of the file that runs it, a folder above it, or ``cwd``, when exactly
        one of these is a tracked shell script (not a Python module or a program under a virtualenv)."""
        match = _THROUGH_FOLDER.match(head)
        if match is None:
            return None
        rest = match.group(1)
        if "$" in rest or "`" in rest or rest.endswith((".py", ".js", ".ts", ".rb", ".pl")) or rest.startswith((".venv/", "venv/")):
            return None
        folders: list[str] = []
        folder = posixpath.dirname(path)
        while True:
            folders.append(folder)
            if not folder:
                break
            folder = posixpath.dirname(folder)
        if match.group(0).startswith("$(dirname"):
            folders = folders[:1]  # $(dirname "$0")/run.sh: next to the file itself
        found = {candidate for candidate in (posixpath.normpath(posixpath.join(f, rest)) for f in [*folders, cwd])
                 if not candidate.startswith("..") and self.repo.exists(candidate)}
        return found.pop() if len(found) == 1 else None

    def _image_path(self, path: str) -> str | None:
        """The tracked file an absolute path inside a container names, when the image is built from this
        repo (``ADD . /app`` puts ``docker/run-tests.sh`` at ``/app/docker/run-tests.sh``): the longest tail of the
        path, of a folder and a file at least, that is a tracked file."""
        parts = path.strip("/").split("/")
        for start in range(1, len(parts) - 1):
            tail = "/".join(parts[start:])
            if self.repo.exists(tail):
                return tail
        return None

    def _script_table(self, words: Sequence[str], path: str, line: int, cwd: str, swallowed: bool, names: tuple[str, ...],
                      in_container: bool, hops: int, via: tuple[str, ...], seen: set[tuple[str, str]], out: list[Leaf]) -> bool:
        """``pdm run lint``, ``hatch run ci``: a script of pyproject.toml (not a program called lint), followed;
        ``npm run lint``: a script of package.json."""
        if words and self._follow_package(k.peel(words), path, line, cwd, swallowed, names, in_container, hops, via, seen, out):
            return True
        if not words or k.base(words[0]) not in ("pdm", "hatch", "rye") or len(out) > 2000:
            return False
        task = self._task(words, cwd)
        if task is None:
            return False
        where, name, cmds = task
        if (where, name) in seen or hops >= MAX_HOPS:
            return False
        seen.add((where, name))
        for c in cmds:
            self._expand(c.words, where, c.line, cwd, swallowed or c.swallowed, names + (name,), in_container,
                         hops + 1, via + (f"{path}:{line}",), seen, out)
        return True

    def _groups(self, head: str, words: Sequence[str], cwd: str) -> Any:
        """tox environments, nox sessions, invoke tasks: (file or None, [(name, commands or None, leaf to judge by name)])."""
        if head in ("tox", "detox"):
            found = self.repo.cached("tox", cwd, lambda c: read_tox(self.repo, c))
            if found is None:
                return None, []
            where, envs, envlist = found
            items: list[tuple[str, Any, tuple[str, ...] | None, str]] = []
            for env in _chosen(words, ("-e", "--env", "-f"), ("run", "r", "p", "run-parallel", "exec", "e")) or envlist \
                    or [e for e in envs if e] or [""]:
                cmds = envs.get(env)
                if cmds is None and not _looks_special(env):
                    cmds = (envs.select(env) if isinstance(envs, ToxEnvs) and env else envs.get("")) or None
                items.append((env or "tox", cmds, None if cmds is not None else ("tox", "-e", env), ""))
            return where, items
        if head == "nox":
            found = self.repo.cached("nox", cwd, lambda c: read_nox(self.repo, c))
            if found is None:
                return None, []
            where, sessions, defaults, imported = found
            items = []
            for name in _chosen(words, ("-s", "--session", "--sessions", "-e"), (), greedy=True) or defaults or list(sessions):
                cmds = sessions.get(name) or sessions.get(name.split("(")[0].split("-")[0])
                items.append((name, cmds, None if cmds is not None else ("nox", "-s", name),
                              "" if cmds is not None else unreadable_task(imported, where, name)))
            return where, items
        if head in ("invoke", "inv"):
            found = self.repo.cached("invoke", cwd, lambda c: read_invoke(self.repo, c))
            names = [w for w in words[1:] if not w.startswith("-")][:3]
            # a task is also judged by its name: its commands are often built in ways a reader cannot follow
            if not found:
                return "", [(n, None, ("invoke", n), "") for n in names]
            where, tasks, imported = found
            items = []
            for n in names:
                cmds = tasks.get(n.replace("-", "_"))
                # a task tasks.py takes from an installed package (ns = api_app_tasks): unreadable here
                items.append((n, cmds, ("invoke", n), "" if cmds is not None else unreadable_task(imported, where, n)))
            return where, items
        return None

    def _make(self, words: Sequence[str], path: str, line: int, cwd: str, swallowed: bool, names: tuple[str, ...],
              in_container: bool, hops: int, via: tuple[str, ...], seen: set[tuple[str, str]], out: list[Leaf],
              candidates: tuple[str, ...], reader: Callable[[Repo, str], tuple[dict[str, Target], dict[str, str]]]) -> None:
        directory = cwd
        makefile = None
        goals: list[str] = []
        rest = list(words[1:])
        while rest:
            w = rest.pop(0)
            if w in ("-C", "--directory", "-f", "--file", "--makefile", "-j", "--jobs", "-o", "--justfile", "-d",
                     "--working-directory") and rest:
                value = rest.pop(0)
                if w in ("-C", "--directory"):
                    directory = join(directory, value)
                elif w in ("-f", "--file", "--makefile", "--justfile"):
                    makefile = value
            elif w.startswith("-C") and len(w) > 2:
                directory = join(directory, w[2:])
            elif w.startswith("-") or "=" in w:
                continue
            else:
                goals.append(w)
        if reader is read_justfile and goals and "/" in goals[0] and not makefile:
            # just docker/test-functional: the recipe of docker/justfile, run in docker/
            folder, goals[0] = goals[0].rsplit("/", 1)
            directory = join(directory, folder)
        paths = [join(directory, makefile)] if makefile else [join(directory, m) for m in candidates]
        where = next((p for p in paths if self.repo.exists(p)), None)
        if where is not None and reader is read_justfile and goals:
            module = self._just_module_goal(where, goals)
            if module is not None:  # just docker::test-functional, just docker test-functional
                where, goals = module
                directory = posixpath.dirname(where)
        if where is None:  # each goal judged by its name
            for goal in goals or [""]:
                out.append(Leaf(tuple(words), path, line, swallowed, names + ((goal,) if goal else ()), in_container, via))
            return
        targets, _ = self.repo.cached("make", where, lambda p: reader(self.repo, p))
        if not goals:
            goals = [next((t for t in targets if not t.startswith(".") and "%" not in t), "")]
        step_via = via + (f"{path}:{line}",)
        for goal in goals:
            self._target(goal, targets, where, directory, swallowed, names, in_container,
                         hops + (1 if where != path else 0), step_via, seen, out, words, path, line)

    def _just_module_goal(self, where: str, goals: list[str]) -> tuple[str, list[str]] | None:
        """(module file, its goals) of ``mod::recipe`` or ``mod recipe`` when the justfile declares ``mod mod``."""
        _, variables = self.repo.cached("make", where, lambda p: read_justfile(self.repo, p))
        name, _, recipe = goals[0].partition("::")
        module = variables.get(f"mod:{name}")
        if not module:
            return None
        if recipe:
            return module, [recipe, *goals[1:]]
        return module, goals[1:2] or [""]

    def _target(self, goal: str, targets: dict[str, Target], where: str, cwd: str, swallowed: bool,
                names: tuple[str, ...], in_container: bool, hops: int, via: tuple[str, ...],
                seen: set[tuple[str, str]], out: list[Leaf], words: Sequence[str], path: str, line: int,
                named: bool = True) -> None:
        target = targets.get(goal)
        if target is None or (where, goal) in seen or hops > MAX_HOPS:
            if target is None:
                out.append(Leaf(("make", goal), path, line, swallowed, names + (goal,), in_container, via))
            return
        seen.add((where, goal))
        for prerequisite in target.prerequisites:
            if prerequisite in targets:
                self._target(prerequisite, targets, where, cwd, swallowed, names + (goal,), in_container, hops, via, seen, out,
                             words, path, line, named=False)
        for command in target.recipe:
            self._expand(command.words, target.path or where, command.line, cwd, swallowed or command.swallowed, names + (goal,),
                         in_container, hops, via, seen, out)
        if target.unread and named:
            # a goal the CI (or a recipe) names whose prerequisites this reader cannot evaluate: judged by its name
            # too; not a prerequisite's name (`golangci-lint: $(LOCALBIN)/golangci-lint` under a Go `lint`)
            out.append(Leaf(("make", goal), path, line, swallowed, names + (goal,), in_container, via))

    def _follow_package(self, words: Sequence[str], path: str, line: int, cwd: str, swallowed: bool, names: tuple[str, ...],
                        in_container: bool, hops: int, via: tuple[str, ...], seen: set[tuple[str, str]], out: list[Leaf]) -> bool:
        """``npm run lint``: the package.json script followed (True), run in the package's folder as npm runs it."""
        npm = self._package_script(words, cwd) if words else None
        if npm is None:
            return False
        where, name, directory, cmds = npm
        if (where, name) in seen or hops >= MAX_HOPS:
            out.append(Leaf(tuple(words), path, line, swallowed, names, in_container, via))
            return True
        seen.add((where, name))
        for c in cmds:
            self._expand(c.words, where, c.line, directory, swallowed or c.swallowed, names + (name,), in_container,
                         hops + 1, via + (f"{path}:{line}",), seen, out)
        return True

    def _package_script(self, words: Sequence[str], cwd: str) -> tuple[str, str, str, list[Command]] | None:
        """``npm run lint``, ``yarn lint``, ``pnpm run test``, ``npm test``: (package.json, script, its folder,
        commands, with the ``pre``/``post`` scripts npm runs around it); None when no such script is written."""
        head = k.base(words[0])
        if head not in _PACKAGE_MANAGERS:
            return None
        directory = cwd
        positional: list[str] = []
        rest = list(words[1:])
        while rest:
            w = rest.pop(0)
            if w == "--":
                break
            if w in ("--prefix", "--cwd", "--dir", "-C", "--filter", "-F", "-w", "--workspace") and rest:
                value = rest.pop(0)
                if w in ("--prefix", "--cwd", "--dir", "-C"):
                    directory = join(directory, value)
                elif w in ("-w", "--workspace") and head == "npm":
                    directory = join(directory, value)
            elif w.startswith(("--prefix=", "--cwd=", "--dir=")):
                directory = join(directory, w.split("=", 1)[1])
            elif not w.startswith("-"):
                positional.append(w)
        if not positional:
            return None
        sub = positional[0]
        if sub in ("run", "run-script", "rum", "urn"):
            name = positional[1] if len(positional) > 1 else ""
        elif sub in ("test", "t", "tst"):
            name = "test"
        elif head != "npm" and sub not in _PACKAGE_MANAGER_COMMANDS:
            name = sub  # yarn lint, pnpm lint: a script of package.json
        else:
            return None
        where = join(directory, "package.json")
        scripts = self.repo.cached("npm", where, lambda p: read_package_scripts(self.repo, p))
        if not name or name not in scripts:
            return None
        cmds = [*scripts.get(f"pre{name}", []), *scripts[name], *scripts.get(f"post{name}", [])]
        return where, name, directory, cmds

    def _taskfile(self, words: Sequence[str], cwd: str) -> tuple[str, str, list[Command]] | None:
        names = [w for w in words[1:] if not w.startswith("-") and w != "--"]
        for candidate in ("Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml", "Taskfile.dist.yml"):
            path = join(cwd, candidate)
            if self.repo.exists(path) and names:
                tasks = self.repo.cached("taskfile", path, lambda p: read_taskfile(self.repo, p))
                if names[0] in tasks:
                    return path, names[0], tasks[names[0]]
        return None

    def _task(self, words: Sequence[str], cwd: str) -> tuple[str, str, list[Command]] | None:
        head = k.base(words[0])
        name = None
        tool = None
        if head == "poe" and len(words) > 1:
            tool, name = "poe", words[1]
        elif head == "poetry" and len(words) > 2 and words[1] == "poe":
            tool, name = "poe", words[2]
        elif head in ("pdm", "rye") and len(words) > 1:
            rest = [w for w in words[1:] if not w.startswith("-")]
            rest = rest[1:] if rest[:1] == ["run"] else rest
            if rest:
                tool, name = head, rest[0]
        elif head in ("task", "go-task") and len(words) > 1:
            taskfile = self._taskfile(words, cwd)
            if taskfile is not None:
                return taskfile
            tool, name = "taskipy", words[1]
        elif head == "hatch" and len(words) > 2 and words[1] == "run":
            rest = [w for w in words[2:] if not w.startswith("-")]
            if rest:
                tool, name = "hatch", rest[0]
        if tool is None or name is None:
            return None
        found = self.repo.cached("tasks", cwd, lambda c: read_tasks(self.repo, c))
        if found is None:
            return None
        where, tables = found
        cmds = tables.get(tool, {}).get(name)
        if cmds is None:
            return None
        return where, name, cmds


_PACKAGE_MANAGERS = frozenset({"npm", "yarn", "pnpm", "bun"})
# what yarn, pnpm and bun run themselves rather than as a script of package.json
_PACKAGE_MANAGER_COMMANDS = frozenset({
    "add", "audit", "autoclean", "bin", "cache", "check", "ci", "config", "create", "dedupe", "dlx", "exec", "explain",
    "fetch", "generate-lock-entry", "global", "help", "i", "import", "info", "init", "install", "licenses", "link",
    "list", "login", "logout", "ls", "node", "outdated", "owner", "pack", "patch", "plugin", "prune", "publish",
    "rebuild", "remove", "rm", "set", "store", "tag", "team", "unlink", "up", "update", "upgrade", "version", "why",
    "workspace", "workspaces", "x"})


def read_package_scripts(repo: Repo, path: str) -> dict[str, list[Command]]:
    """package.json's ``scripts``: name -> its commands (each at its line)."""
    doc = repo.doc(path)
    scripts: dict[str, list[Command]] = {}
    for entry in doc.entries if doc is not None else []:
        if len(entry.path) == 2 and entry.path[0] == "scripts" and isinstance(entry.value, str):
            scripts[str(entry.path[1])] = commands(entry.value, entry.line)
    return scripts


def read_taskfile(repo: Repo, path: str) -> dict[str, list[Command]]:
    """go-task's Taskfile.yml: task -> its `cmds` (a `task: other` item and
    `deps` kept as `task other`)."""
    from hooks.checks.check_release_checklist.tree import Node, root

    doc = repo.doc(path)
    top = root(doc) if doc is not None else None
    tasks: dict[str, list[Command]] = {}
    for name, node in ((top.get("tasks") or Node(0, {})).mapping() if top is not None else {}).items():
        found: list[Command] = []
        for dep in (node.get("deps") or Node(0, None)).items():
            other = dep.value if isinstance(dep.value, str) else dep.text("task")
            if other:
                found.append(Command(("task", str(other)), dep.line, False, f"task {other}"))
        for item in (node.get("cmds") or Node(0, None)).items():
            if isinstance(item.value, str):
                found.extend(commands(item.value, item.body_line))
            elif isinstance(item.value, dict):
                if item.text("task"):
                    found.append(Command(("task", str(item.text("task"))), item.line, False, f"task {item.text('task')}"))
                elif item.text("cmd"):
                    cmd = item.get("cmd")
                    found.extend(commands(str(item.text("cmd")), cmd.body_line if cmd is not None else item.line))
        tasks[name] = found
    return tasks


def _looks_special(env: str) -> bool:
    return env.startswith("{") or "$" in env


def _chosen(words: Sequence[str], flags: tuple[str, ...], subcommands: tuple[str, ...], greedy: bool = False) -> list[str]:
    chosen: list[str] = []
    rest = list(words[1:])
    if rest and rest[0] in subcommands:
        rest = rest[1:]
    while rest:
        w = rest.pop(0)
        if w in flags and rest:
            chosen.extend(x for x in re.split(r"[,\s]+", rest.pop(0)) if x)
            while greedy and rest and not rest[0].startswith("-"):
                chosen.append(rest.pop(0))  # nox -s lint tests
        elif any(w.startswith(f + "=") for f in flags if f.startswith("--")):
            chosen.extend(x for x in re.split(r"[,\s]+", w.split("=", 1)[1]) if x)
        elif w == "--":
            break
    return [c for c in chosen if not c.startswith("$")]


# `$DIR/run.sh`, `${DIR}/x/run.sh`, `$(dirname "$0")/run.sh`: a path under a folder known only at run time
_THROUGH_FOLDER = re.compile(r"""^(?:\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})|\$\(dirname\s+["']?\$\{?0\}?["']?\))/+(.+)$""")


def _script(words: Sequence[str], cwd: str) -> str | None:
    head = words[0]
    if k.base(head) in ("bash", "sh", "zsh", "dash", "source", ".") and len(words) > 1:
        rest = [w for w in words[1:] if not w.startswith("-")]
        if rest and (rest[0].endswith(".sh") or "/" in rest[0]):
            return join(cwd, rest[0])
        return None
    if head.endswith((".py", ".js", ".ts", ".rb", ".pl")):
        return None  # ./manage.py test: a program, not a shell script
    if head.endswith(".sh") or head.startswith("./") or (head.count("/") and not head.startswith("/") and "$" not in head
                                                       and not head.startswith((".venv/", "venv/", "node_modules/"))):
        return join(cwd, head)
    return None


_CASE_FIRST = re.compile(r'^\s*case\s+"?\$\{?1(?::?-[^}]*)?\}?"?\s+in\s*(?:#.*)?$')
_CASE_OPEN = re.compile(r"^\s*case\s.*\sin\s*(?:#.*)?$")
_CASE_END = re.compile(r"^\s*esac\b")
_CASE_PATTERN = re.compile(r"^\s*\(?\s*([^()]+?)\s*\)(.*)$", re.S)


def case_branch(text: str, argument: str) -> str:
    """A script given ``argument`` as ``$1`` that dispatches on it (``case $1 in … test) pytest ;; … esac``,
    bin/run's shape): the script with the other branches of that ``case`` blanked (lines kept, so line
    numbers stay); the first branch whose pattern matches runs, as in the shell (``*)`` too). One level:
    a ``case`` inside a branch is kept whole."""
    from fnmatch import fnmatchcase

    lines = text.split("\n")
    out = list(lines)
    i = 0
    while i < len(lines):
        if not _CASE_FIRST.match(lines[i]):
            i += 1
            continue
        out[i] = ""
        i += 1
        expecting, keep, chosen, depth = True, False, False, 0
        while i < len(lines):
            line = lines[i]
            body = line
            if depth == 0 and _CASE_END.match(line):
                out[i] = ""
                break
            if expecting:
                match = _CASE_PATTERN.match(line)
                if match is None or not line.strip():
                    out[i] = ""
                    i += 1
                    continue
                patterns = [p.strip().strip("\"'") for p in match.group(1).split("|")]
                keep = not chosen and any(fnmatchcase(argument, p) for p in patterns)
                chosen = chosen or keep
                expecting = False
                body = match.group(2)
            if _CASE_OPEN.match(body):
                depth += 1
            elif depth and _CASE_END.match(body):
                depth -= 1
            if depth == 0 and ";;" in body:
                body = body.split(";;", 1)[0]
                expecting = True
            out[i] = body if keep else ""
            i += 1
        i += 1
    return "\n".join(out)


_ALL_ARGUMENTS = frozenset({"$@", "${@}", "$*", "${*}"})
_FUNCTION = re.compile(r"^[ \t]*(?:function[ \t]+([A-Za-z_][\w-]*)|([A-Za-z_][\w-]*)[ \t]*\(\))", re.M)


def _script_commands(text: str) -> list[Command]:
    """A script's commands; a call of a function the script defines is dropped (its body is read already:
    akvo's lint.sh calls `lint_backend`, whose body runs flake8)."""
    found = commands(text)
    functions = {a or b for a, b in _FUNCTION.findall(text)}
    if not functions:
        return found
    through = _passing_functions(text, found)
    # `run_test pytest` where run_test's body runs `poetry run $@`: the call's arguments are the command
    return [Command(c.words[1:], c.line, c.swallowed, c.text) if c.words[0] in through else c
            for c in found if c.words[:1] and (c.words[0] not in functions or c.words[0] in through and len(c.words) > 1)]


def _passing_functions(text: str, found: Sequence[Command]) -> set[str]:
    """The functions a script defines whose body runs their arguments as a command (``poetry run $@``,
    ``"$@"``): read from the definition's line to the first line that closes it (``}`` alone)."""
    lines = text.split("\n")
    out: set[str] = set()
    for match in _FUNCTION.finditer(text):
        start = text.count("\n", 0, match.start()) + 1
        end = next((n for n in range(start, len(lines) + 1) if lines[n - 1].strip() == "}"), start)
        if any(start <= c.line <= end and k.peel(c.words)[:1] and k.peel(c.words)[0] in _ALL_ARGUMENTS for c in found):
            out.add(match.group(1) or match.group(2))
    return out


def _with_arguments(found: list[Command], arguments: tuple[str, ...]) -> list[Command]:
    """A script's commands with ``"$@"`` among a command's arguments read as the arguments the script was
    given (``./scripts/test-coverage.sh -m "not functional"`` whose line is ``coverage run -m pytest "$@"``);
    a command that is ``"$@"`` itself is the pass-through the caller follows."""
    if not arguments:
        return found
    out: list[Command] = []
    for c in found:
        if any(w in _ALL_ARGUMENTS for w in c.words[1:]) and not (k.peel(c.words)[:1] and k.peel(c.words)[0] in _ALL_ARGUMENTS):
            words: list[str] = []
            for w in c.words:
                words.extend(arguments if w in _ALL_ARGUMENTS else (w,))
            c = Command(tuple(words), c.line, c.swallowed, c.text)
        out.append(c)
    return out


def _passes_through(found: Sequence[Command]) -> bool:
    """A script that runs its arguments as a command: ``exec "$@"``, ``gosu app "$@"``."""
    return any(k.peel(c.words)[:1] and k.peel(c.words)[0] in _ALL_ARGUMENTS for c in found)


def _script_arguments(words: Sequence[str]) -> tuple[str, ...]:
    """The arguments given to a script: ``bash x.sh a b`` / ``./x.sh a b`` -> ``(a, b)``."""
    rest = list(words[1:])
    if k.base(words[0]) in ("bash", "sh", "zsh", "dash", "source", "."):
        while rest and rest[0].startswith("-"):
            rest.pop(0)
        rest = rest[1:]
    return tuple(rest)


_SHELL_OPTION_VALUES = frozenset({"-o", "+o", "-O", "+O", "--rcfile", "--init-file"})
_UNSET_WORD = re.compile(r"^\$(?:\([A-Za-z_][A-Za-z0-9_]*\)|\{[A-Za-z_][A-Za-z0-9_]*\})$")


def _shell_c(words: Sequence[str]) -> str | None:
    """The command string of ``bash -c '…'``, past the shell's own options (``bash -o pipefail -c``,
    ``sh -ex -c``, ``bash --noprofile --norc -eo pipefail -c``); None when the shell runs a file or stdin."""
    rest = list(words[1:])
    while rest and rest[0][:1] in ("-", "+") and rest[0] not in ("-", "--"):
        option = rest[0]
        if option == "-c" or (not option.startswith("--") and option[:1] == "-" and "c" in option[1:]):
            return rest[1] if len(rest) > 1 else None  # -c, -ec, -xc: the next word is the command
        if option in _SHELL_OPTION_VALUES or (option[:1] in ("-", "+") and not option.startswith("--")
                                              and option.endswith(("o", "O")) and len(option) > 2):
            rest = rest[2:]  # -o pipefail, -eo pipefail
        else:
            rest = rest[1:]
    return None


def _unset_option(word: str) -> bool:
    """A word that is only a Make variable no file sets (``${compose_args}``): make expands it to nothing,
    or to options; it stands among the options, not as the subcommand or service."""
    return bool(_UNSET_WORD.match(word))


# the options of `docker run` / `docker compose run` / `exec` that take a value (`--link postgres`)
_RUN_OPTION_VALUES = frozenset({
    "-e", "--env", "-w", "--workdir", "-u", "--user", "-v", "--volume", "-p", "--publish", "--name", "--entrypoint",
    "--network", "--net", "--env-file", "-l", "--label", "--mount", "--platform", "--index", "--link", "--add-host",
    "-h", "--hostname", "-m", "--memory", "--memory-swap", "--cpus", "--restart", "--log-driver", "--log-opt", "--pull",
    "--shm-size", "--cap-add", "--cap-drop", "--device", "--dns", "--expose", "--tmpfs", "--volumes-from", "--ulimit",
    "--security-opt", "--gpus", "--ipc", "--pid", "--cidfile", "--runtime", "--stop-signal", "--stop-timeout",
    "--group-add", "--label-file", "--network-alias", "--ip", "--mac-address", "--detach-keys", "--health-cmd",
})


def _container_command(words: Sequence[str], known: Collection[str] = ()) -> tuple[str, ...] | None:
    """The command of ``docker compose run/exec SERVICE CMD``, ``docker exec
    CONTAINER CMD`` or ``docker run IMAGE CMD`` (() when none); None otherwise."""
    parts = _container_parts(words, known)
    return None if parts is None else parts[2]


_ARRAY_WORDS = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*\[[@*]\]\}$")


def _container_parts(words: Sequence[str], known: Collection[str] = ()) -> tuple[str, str, tuple[str, ...]] | None:
    """(``compose-run``/``compose-exec``/``run``/``exec``, the service or image, the command after it).
    Among the options of ``docker compose run``, a variable (``$CI_ENV``, ``${compose_args}``) stands for
    options when the word after it is one of the ``known`` services (or, with none known, when it is a Make
    variable no file sets); for ``docker run`` it is the image (``docker run --name api ${IMAGE} bash -c …``)."""
    head = k.base(words[0])
    rest = list(words[1:])
    if head in ("docker", "podman") and rest[:1] == ["compose"]:
        rest = rest[1:]
        head = "docker-compose"
    compose = head in ("docker-compose", "podman-compose")
    if compose:
        while rest and (rest[0].startswith("-") or _unset_option(rest[0])):
            rest = rest[2:] if rest[0] in ("-f", "--file", "-p", "--project-name", "--env-file", "--profile", "--project-directory") else rest[1:]
        if rest[:1] not in (["run"], ["exec"]):
            return None
    elif head in ("docker", "podman") and rest[:1] in (["run"], ["exec"]):
        pass
    else:
        return None
    sub = ("compose-" if compose else "") + rest[0]
    rest = rest[1:]
    takes_value = _RUN_OPTION_VALUES

    def stands_for_options(word: str) -> bool:
        if not word.startswith("$"):
            return False
        if not compose:
            # docker run $ti --rm "${dargs[@]}" $IMAGE cmd: a variable before an option or an array's words, and
            # an array's words themselves, are options; a variable before a command is the image
            return bool(_ARRAY_WORDS.match(word)) or len(rest) > 1 and (rest[1].startswith("-") or bool(_ARRAY_WORDS.match(rest[1])))
        if known:
            return len(rest) > 1 and rest[1] in known and word not in known
        return _unset_option(word)

    while rest and (rest[0].startswith("-") or stands_for_options(rest[0])):
        rest = rest[2:] if rest[0] in takes_value else rest[1:]
    if not rest:
        return sub, "", ()
    return sub, rest[0], tuple(rest[1:])


# ---- the project's own Python test runner --------------------------------------

# what a call runs, by its full name: True when it exits non-zero on a failure by itself
_RUNNER_CALLS = {
    "unittest.main": True, "unittest.TestProgram": True, "unittest.TextTestRunner": False,
    "pytest.main": False, "nose.main": True, "nose.run": False, "nose2.main": True, "nose2.discover": True,
    "twisted.trial.unittest.main": True,
}
_EXITS = frozenset({"sys.exit", "exit", "os._exit", "quit"})


def runs_tests(repo: Repo, path: str) -> bool:
    """True when the Python script ``path`` (run as ``python path`` / ``./path``) is a test run whose failure
    fails the command: it calls ``unittest.main()`` (a test module run directly), builds a suite and runs it
    with ``unittest.TextTestRunner`` or calls ``pytest.main``/``nose.run`` and exits with the result. Read with
    ``ast``, never run."""
    return bool(repo.cached("runs-tests", posixpath.normpath(path), lambda p: _runs_tests(repo, p)))


def _runs_tests(repo: Repo, path: str) -> bool:
    import ast

    from hooks.config.python_trees import dotted_name

    tree = repo.python_tree(path) if path.endswith(".py") else None
    if tree is None:
        return False
    aliases: dict[str, str] = {}  # local name -> full name
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    runs = exits = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            name = dotted_name(node.exc.func if isinstance(node.exc, ast.Call) else node.exc)
            exits = exits or name == "SystemExit"
        if not isinstance(node, ast.Call):
            continue
        name = dotted_name(node.func)
        if not name:
            continue
        first, _, rest = name.partition(".")
        full = aliases.get(first, first) + (f".{rest}" if rest else "")
        if full in _EXITS:
            exits = True
        by_itself = _RUNNER_CALLS.get(full)
        if by_itself is None:
            continue
        runs = True
        stays = any(kw.arg == "exit" and isinstance(kw.value, ast.Constant) and kw.value.value is False for kw in node.keywords)
        if by_itself and not stays:
            exits = True
    return runs and exits
