"""What check-env-documented finds: a read of an environment variable, and the
scanners for the files that are not Python (compose files, Dockerfiles,
supervisor configs, shell entrypoints, Procfiles).

A *read* names the variable it reads (``kind="name"``), a prefix that every
variable it reads starts with (``kind="prefix"``: Flask's
``from_prefixed_env``), or nothing it can tell (``kind="unknown"``: an
f-string, a variable). A *weak* read keeps a documented entry alive but is
never reported as undocumented: a value a compose file sets for a third-party
image, a name in an ``env_file:``, a Dockerfile variable the Dockerfile itself
uses.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from hooks.core.records import record

ReadKind = Literal["name", "prefix", "unknown"]


@record(frozen=True)
class Read:
    name: str  # the variable, the prefix, or (unknown) the expression as written
    path: str
    line: int
    column: int
    form: str  # "os.environ", "django-environ", "compose", ... for messages and --write-example
    kind: ReadKind = "name"
    default: str | None = None  # a default visible at the read
    weak: bool = False
    case_insensitive: bool = False  # pydantic settings match names in any case
    prefix: str = ""  # kind="unknown": the constant start of the name, when there is one
    main: bool = False  # in the module's `if __name__ == "__main__":` block (runs only when it is started)
    # the module-level function the read is in, when nothing in its module names that function (no call, no
    # decorator, no string): the check asks the rest of the repository whether anything calls it
    func: str = ""

    def matches(self, documented: str) -> bool:
        """Does this read use the documented name?"""
        name, doc = (self.name.upper(), documented.upper()) if self.case_insensitive else (self.name, documented)
        if self.kind == "name":
            return name == doc
        if self.kind == "prefix":
            return doc.startswith(name)
        return bool(self.prefix) and documented.startswith(self.prefix)


NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# $$ is compose's escape for a literal $; ${X}, ${X:-d}, ${X-d}, ${X:?e}, ${X?e}, ${X:+v}, $X.
_INTERPOLATION = re.compile(
    # A default is at most 256 characters: unbounded, `${A:-${A:-...` with no
    # closing brace costs the rest of the line at every `${` (quadratic).
    rf"\$\$|\$\{{(?P<braced>{NAME})(?:(?P<op>:?[-?+=])(?P<rest>[^}}]{{0,256}}))?\}}|\$(?P<bare>{NAME})"
)


def interpolations(text: str, line: int, column: int = 1) -> Iterator[tuple[str, int, str | None]]:
    """``(name, column, default)`` for each ``$X`` / ``${X...}`` in one line of text."""
    for m in _INTERPOLATION.finditer(text):
        name = m.group("braced") or m.group("bare")
        if not name:
            continue
        op = m.group("op") or ""
        default = m.group("rest") if op.lstrip(":") in ("-", "=") else None
        yield name, column + m.start(), default


# --- compose --------------------------------------------------------------

COMPOSE_FILE = re.compile(r"(^|/)(docker-)?compose([.-][\w.-]+)?\.ya?ml$")


def scan_compose(path: str, text: str) -> list[Read]:
    """``${X}`` anywhere (compose reads the host environment, or the root
    ``.env``), pass-through ``environment:`` entries, and the entries of
    services built from this repo; ``env_file:`` names come back as
    ``("env_file", file)`` reads for the caller to open."""
    reads: list[Read] = []
    lines = text.split("\n")
    for n, raw in enumerate(lines, 1):
        if raw.lstrip().startswith("#"):
            continue
        for name, col, default in interpolations(_strip_yaml_comment(raw), n):
            reads.append(Read(name, path, n, col, "compose", default=default))
    reads.extend(_compose_environment(path, text))
    return reads


def _strip_yaml_comment(line: str) -> str:
    # a # after whitespace starts a comment unless inside quotes: good enough for compose
    m = re.search(r"\s#", line)
    if m and line.count('"', 0, m.start()) % 2 == 0 and line.count("'", 0, m.start()) % 2 == 0:
        return line[: m.start()]
    return line


def _compose_environment(path: str, text: str) -> list[Read]:
    from hooks.config import formats
    from hooks.config.loaders import parse

    try:
        doc = parse(path, text, formats.YAML)
    except Exception:  # a broken file is another hook's finding
        return []
    if doc.error is not None:
        return []
    reads: list[Read] = []
    for entry in doc.entries:
        p = entry.path
        if len(p) != 4 or p[0] != "services":
            continue
        section, item = p[2], p[3]
        if section == "environment":
            if isinstance(item, int):  # - NAME or - NAME=value
                text_value = str(entry.value) if entry.value is not None else ""
                name, eq, value = text_value.partition("=")
                passthrough = not eq
            else:
                name, value, passthrough = str(item), entry.value, entry.value is None
            name = name.strip()
            if not re.fullmatch(NAME, name):
                continue
            default = None if passthrough or value is None else str(value)
            # A value given here is the variable's documentation (issue 21); a
            # pass-through entry asks the host for it: a read.
            weak = not passthrough
            reads.append(Read(name, path, entry.line, entry.column, "compose environment", default=default, weak=weak))
    words: dict[str, set[str]] = {}  # service -> words of its name, image and build path
    env_files: dict[str, tuple[int, int]] = {}
    for entry in doc.entries:
        p = entry.path
        if len(p) >= 3 and p[0] == "services" and p[2] == "env_file" and isinstance(entry.value, str):
            if len(p) == 3 or isinstance(p[3], int) or p[-1] == "path":
                reads.append(Read(entry.value, path, entry.line, entry.column, "env_file", kind="unknown", weak=True))
                env_files.setdefault(str(p[1]), (entry.line, entry.column))
        if len(p) >= 2 and p[0] == "services":
            known = words.setdefault(str(p[1]), set(_WORD.findall(str(p[1]).lower())))
            if len(p) >= 3 and p[2] in ("image", "build") and isinstance(entry.value, str):
                known.update(_WORD.findall(entry.value.lower().rsplit("@", 1)[0]))
    # An image that reads its own variables (Flower's FLOWER_*, RabbitMQ's RABBITMQ_*) gets
    # the whole env_file: its entries with that prefix are read (round 7: codalab's
    # FLOWER_BASIC_AUTH in the .env its flower service loads).
    for service, (line, column) in env_files.items():
        for word, prefixes in IMAGE_PREFIXES.items():
            if word in words.get(service, set()):
                reads.extend(Read(prefix, path, line, column, f"{word} image", kind="prefix", weak=True)
                             for prefix in prefixes)
    return reads


_WORD = re.compile(r"[a-z0-9]+")
# Third-party images that read variables of their own, by a word of the image, the
# service's name or its build path, and the prefixes of what they read.
IMAGE_PREFIXES: dict[str, tuple[str, ...]] = {
    "flower": ("FLOWER_",), "rabbitmq": ("RABBITMQ_",), "postgres": ("POSTGRES_", "PG"),
    "postgis": ("POSTGRES_", "PG"), "mysql": ("MYSQL_",), "mariadb": ("MARIADB_", "MYSQL_"),
    "mongo": ("MONGO_INITDB_",), "mongodb": ("MONGO_INITDB_",), "minio": ("MINIO_",), "nginx": ("NGINX_",),
    "grafana": ("GF_",), "pgadmin": ("PGADMIN_",), "pgadmin4": ("PGADMIN_",), "keycloak": ("KEYCLOAK_", "KC_"),
    "elasticsearch": ("ELASTIC_",), "pgbouncer": ("PGBOUNCER_",),
}


# --- Dockerfile -----------------------------------------------------------

DOCKERFILE = re.compile(r"(^|/)(Dockerfile|Containerfile)([.-][\w.-]+)?$|\.[Dd]ockerfile$")
_INSTRUCTION = re.compile(r"^\s*(ENV|ARG)\s+(.*)$", re.I)
_ENV_PAIR = re.compile(rf"({NAME})=(\"(?:[^\"\\]|\\.)*\"|'[^']*'|\S*)")


def scan_dockerfile(path: str, text: str) -> list[Read]:
    """``ENV`` and ``ARG`` names, as weak reads: the Dockerfile gives them their
    value, which documents them and keeps a template entry alive."""
    logical: list[tuple[int, str]] = []
    buf, start = "", 0
    for n, raw in enumerate(text.split("\n"), 1):
        if not buf and raw.lstrip().startswith("#"):
            continue
        if not buf:
            start = n
        if raw.rstrip().endswith("\\"):
            buf += raw.rstrip()[:-1] + " "
            continue
        logical.append((start, buf + raw))
        buf = ""
    if buf:
        logical.append((start, buf))
    declared: list[tuple[str, int, int, str | None, int]] = []  # name, line, col, default, index
    for index, (line, instr) in enumerate(logical):
        m = _INSTRUCTION.match(instr)
        if m:
            keyword, body = m.group(1).upper(), m.group(2)
            offset = m.start(2) + 1
            if keyword == "ARG" or "=" in body.split(None, 1)[0]:
                for pm in _ENV_PAIR.finditer(body) if "=" in body else ():
                    declared.append((pm.group(1), line, offset + pm.start(1), _unquote(pm.group(2)), index))
                if "=" not in body:
                    name = body.split()[0] if body.split() else ""
                    if re.fullmatch(NAME, name):
                        declared.append((name, line, offset, None, index))
            else:  # ENV NAME value
                parts = body.split(None, 1)
                if parts and re.fullmatch(NAME, parts[0]):
                    value = _unquote(parts[1].strip()) if len(parts) > 1 else None
                    declared.append((parts[0], line, offset, value, index))
    # ENV and ARG give the service (or the build) its value: documentation that
    # keeps an entry alive, never a read to document again (issue 21).
    return [Read(name, path, line, col, "Dockerfile", default=default, weak=True)
            for name, line, col, default, _index in declared]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


# --- supervisor and uWSGI (INI files) ----------------------------------------

INI_FILE = re.compile(r"\.(conf|ini|cfg)$")
INI_HINTS = (b"%(ENV_", b"$(", b"if-env", b"if-not-env")
# supervisor's %(ENV_X)s; uWSGI's $(X) and `if-env = X` / `if-not-env = X`.
_INI_READ = re.compile(rf"%\(ENV_(?P<sup>{NAME})\)s|\$\((?P<uwsgi>{NAME})\)|^\s*if-(?:not-)?env\s*[=:]\s*(?P<cond>{NAME})\s*$")


def scan_ini(path: str, text: str) -> list[Read]:
    reads = []
    for n, raw in enumerate(text.split("\n"), 1):
        if raw.lstrip().startswith((";", "#")):
            continue
        for m in _INI_READ.finditer(raw):
            kind = m.lastgroup or "sup"
            form = "supervisor" if kind == "sup" else "uWSGI"
            # `if-env = X` runs a block when X is set: X is optional
            reads.append(Read(m.group(kind), path, n, m.start(kind) + 1, form, default="" if kind == "cond" else None))
    return reads


scan_supervisor = scan_ini


# --- shell entrypoints and Procfiles --------------------------------------

# Entrypoints and start scripts, not every script: a release or provisioning
# script's variables are its own business.
SHELL_FILE = re.compile(
    r"(^|/)[^/.]*(entrypoint|start|run|boot|launch|serve|init)[^/.]*(\.(sh|bash))?$"
    r"|(^|/)(docker|compose|deploy|deployment)/(.*/)?[^/]+\.(sh|bash)$|(^|/)Procfile[^/]*$",
    re.I,
)
ENV_STYLE = re.compile(r"[A-Z][A-Z0-9_]*\Z")
# Shell's own variables: set by the shell, never by the deployment.
SHELL_VARIABLES = frozenset(
    "BASH BASHOPTS BASHPID BASH_SOURCE BASH_LINENO BASH_REMATCH BASH_VERSION FUNCNAME IFS LINENO OPTARG OPTIND "
    "OPTERR PIPESTATUS PPID PS1 PS2 PS4 RANDOM REPLY SECONDS SHELLOPTS SHLVL UID EUID GROUPS HOSTTYPE MACHTYPE "
    "OSTYPE EPOCHSECONDS EPOCHREALTIME SRANDOM BASH_ARGC BASH_ARGV BASH_COMMAND BASH_SUBSHELL HISTFILE "
    "COMP_WORDS COMP_CWORD".split()
)
_ASSIGN = re.compile(rf"^\s*(?:(?:export|local|declare|readonly|typeset)(?:\s+-\w+)*\s+)?({NAME})=(.*)$")
_DECLARE = re.compile(rf"^\s*(?:read(?:\s+-\w+(?:\s+''|\s+\"\")?)*|for|local|declare|export)\s+((?:{NAME}\s*)+)")
# A test of X in the shell: X is optional, an unset X is simply empty. Whether it
# is set, `[ -n "$X" ]`, `[[ -z ${X} ]]`, `[ "$X" ]`; its value, `[ "$X" = True ]`,
# `[ "$X" == v ]`, `[[ $X != v ]]`, `[[ $X =~ re ]]`, `[ v = "$X" ]`; `case "$X" in`.
_VAR = rf"\"?\$\{{?({NAME})\}}?\"?"
_SET_TEST = re.compile(
    rf"-[nz]\s+{_VAR}"
    rf"|\[\[?\s+{_VAR}\s+\]"
    rf"|(?:\[\[?|\btest|!|&&|\|\||-[ao])\s+{_VAR}\s+(?:==?|!=|=~)\s"
    rf"|\s(?:==?|!=)\s+{_VAR}\s*\]"
    rf"|\bcase\s+{_VAR}\s+in\b"
)


# `if [ -n "$X" ]; then`, `if [[ $X ]]; then`, `if [ -z "$X" ]`: a block that runs only when
# (or unless) a variable is set.
_IF_SET = re.compile(rf"^\s*(el)?if\s+(?:\[\[?|test)\s+(?:(-[nz])\s+)?{_VAR}\s*(?:\]\]?)?\s*(?:;|$)")
# `export GUNICORN_CMD_ARGS=${X}`: extra arguments for a tool, empty for none.
_ARGS_PASS = re.compile(rf"^\s*(?:export\s+)?{NAME}_(?:ARGS|OPTS|OPTIONS|FLAGS)=\"?\$\{{?({NAME})\}}?\"?\s*$")


def scan_shell(path: str, text: str) -> list[Read]:
    """``$X`` and ``${X}`` where X is upper case, not assigned in the script
    (``X=${X:-d}`` still reads X), outside single quotes and comments. Optional: a
    tested X, a read inside a block that runs only when another variable is set
    (``if [[ -n $USE_GUNICORN ]]; then``, as for Python's ``if os.getenv("X"):``), and
    X passed on as a tool's extra arguments (``export GUNICORN_CMD_ARGS=${X}``)
    (held-out round 16: clearml-server's entrypoint)."""
    lines = text.split("\n")
    assigned: set[str] = set()
    for raw in lines:
        m = _ASSIGN.match(raw)
        if m and not re.search(rf"\$\{{?{m.group(1)}\b", m.group(2)):
            assigned.add(m.group(1))
        d = _DECLARE.match(raw)
        if d:
            assigned.update(d.group(1).split())
    reads = []
    # per open `if`: (its guard, None for none: "-n" runs when set, "-z" unless set; in its else branch)
    blocks: list[tuple[str | None, bool]] = []
    for n, raw in enumerate(lines, 1):
        if raw.lstrip().startswith("#"):
            continue
        code = re.sub(r"'[^']*'", lambda m: " " * len(m.group(0)), raw)
        code = re.sub(r"(^|\s)#.*$", "", code)
        tested = {name for found in _SET_TEST.findall(code) for name in found if name}
        guard = _IF_SET.match(code)
        if re.match(r"\s*if\b", code) and not re.search(r"\bfi\s*;?\s*$", code):
            blocks.append(((guard.group(2) or "-n") if guard else None, False))
        elif re.match(r"\s*elif\b", code) and blocks:
            blocks[-1] = ((guard.group(2) or "-n") if guard else None, False)
        elif re.match(r"\s*else\b", code) and blocks:
            blocks[-1] = (blocks[-1][0], True)
        elif re.match(r"\s*fi\b", code) and blocks:
            blocks.pop()
        inside = any(kind is not None and (kind == "-n") != in_else for kind, in_else in blocks)
        passed = _ARGS_PASS.match(code)
        for name, col, default in interpolations(code, n):
            if not ENV_STYLE.match(name) or name in assigned or name in SHELL_VARIABLES:
                continue
            if default is None and (name in tested or inside or (passed and passed.group(1) == name)):
                default = ""  # if [ -n "$X" ], [ "$X" = v ], case "$X" in, inside if [ -n "$Y" ]: optional
            reads.append(Read(name, path, n, col, "shell", default=default))
    return reads
