"""check-env-documented's work, as pure functions: find the reads in the
tracked files, resolve pydantic settings classes, and hold the reads against
the documented entries.

Files are read from the work tree, which during a pre-commit run holds what
the commit will hold (pre-commit stashes unstaged changes first). Each file is
read once; a Python file is parsed only when its bytes hold one of the
forms' words, and at most once.
"""
from __future__ import annotations

import ast
import os
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Callable

from hooks.checks.check_env_documented.docs import Entry, Platform
from hooks.checks.check_env_documented.python import WRITE, SettingsClass, may_read
from hooks.checks.check_env_documented.python import scan as scan_python
from hooks.checks.check_env_documented.reads import (
    COMPOSE_FILE,
    DOCKERFILE,
    INI_FILE,
    INI_HINTS,
    SHELL_FILE,
    Read,
    scan_compose,
    scan_dockerfile,
    scan_ini,
    scan_shell,
)
from hooks.config import python_trees
from hooks.core.api import Problem
from hooks.core.cache import encode
from hooks.core.records import field, fields, record, replace
from hooks.repo.roles import CI, GENERATED, LOCK, TEST_DATA, role_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hooks.core.cache import FileResults
    from hooks.repo.git import Grep

MAX_BYTES = 2 * 1024 * 1024  # bigger files are data, not code
FLOOD = 20  # more undocumented reads with defaults than this in one module: one line for the module
# A compose file by content: a top-level `services:` whose entries have an image or a build.
_COMPOSE_SERVICES = re.compile(rb"^services:[ \t]*\r?$", re.M)
_COMPOSE_SERVICE_KEY = re.compile(rb"^[ \t]+(?:image|build):", re.M)
# CI pipelines also say `services:` and `$VAR`: they are the CI's, not the service's.
CI_FILE = re.compile(r"(^|/)(\.gitlab-ci|\.travis|\.drone|bitbucket-pipelines|azure-pipelines|\.woodpecker"
                     r"|cloudbuild|buildspec|appveyor|\.appveyor|codecov|\.pre-commit-config|\.pre-commit-hooks)[^/]*$")


DEV_COMPOSE = re.compile(r"(^|/)(docker-)?compose[.-](dev|develop|development|local|override|test|testing|ci|e2e)"
                         r"([.-][\w.-]+)?\.ya?ml$", re.I)


@record
class Found:
    reads: list[Read] = field(default_factory=list)
    classes: list[SettingsClass] = field(default_factory=list)
    scanned: list[str] = field(default_factory=list)  # files that held a read
    env_files: list[Read] = field(default_factory=list)  # compose env_file: references


def read_bytes(path: str) -> bytes | None:
    """The file's bytes, or None for a missing, special, huge or unreadable file."""
    try:
        st = os.lstat(path)
        if not (st.st_mode & 0o170000 == 0o100000) or st.st_size > MAX_BYTES:
            return None
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def _text(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):  # UTF-16/32, as the other hooks read it
        from hooks.config import source

        try:
            return source.decode(data)
        except source.ReadError:
            return None
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # legacy code: names are ASCII whatever the encoding


class GitFiles:
    """The tracked files (``git ls-files``) and the Python files among them
    whose text may hold a hint word (the shared prefilter ``hooks.repo.git.Grep``:
    one ``git grep``, C and threaded, the cheapest byte search there is; a
    UTF-16 file is always a candidate). The two git processes run together."""

    def __init__(self, grep: Grep | None = None) -> None:
        import threading

        from hooks.checks.check_env_documented.python import HINTS
        from hooks.repo import git

        self.grep = grep or git.Grep()
        words = tuple(h.decode() for h in HINTS)
        answer: list[frozenset[str] | None] = [None]

        def search() -> None:
            answer[0] = self.grep.files(*words, pathspecs=("*.py",))

        searching = threading.Thread(target=search, daemon=True)
        searching.start()
        try:
            self.tracked = git.tracked_files()
        finally:
            searching.join()
        found = answer[0]
        self.candidates: set[str] | None = None if found is None else set(found)


def collect(paths: Iterable[str], skipped: Callable[[str], bool],
            read: Callable[[str], bytes | None] = read_bytes,
            candidates: set[str] | None = None, blobs: Mapping[str, str] | None = None) -> Found:
    """Every read in ``paths``. ``candidates``: the Python files known to hold
    a hint word (``GitFiles``); without it each file's bytes are searched.
    ``blobs`` (path -> git blob id): files unchanged since an earlier run come
    from the result cache instead of being read and parsed again."""
    import gc

    from hooks.core.cache import FileResults

    results = FileResults("check-env-documented-reads", "") if blobs else None
    # Syntax trees hold no reference cycles and are dropped file by file: the
    # cycle collector would only rescan them (about 8 % of the time here).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _collect(paths, skipped, read, candidates, blobs or {}, results)
    finally:
        if enabled:
            gc.enable()
        if results:
            results.save()


def _collect(paths: Iterable[str], skipped: Callable[[str], bool], read: Callable[[str], bytes | None],
             candidates: set[str] | None, blobs: Mapping[str, str], results: FileResults | None) -> Found:
    found = Found()
    for path in paths:
        scanner = _scanner(path)
        if scanner is None:
            continue
        kind, hint = scanner
        if (kind == "python" and candidates is not None and path not in candidates) or skipped(path):
            continue
        blob = blobs.get(path)
        one = _decode_scan(path, results.get(path, blob)) if results and blob else None
        if one is None:
            one = _scan_one(path, kind, hint, read, candidates)
            if results:
                results.put(path, blob, _encode_scan(path, one))
        found.reads.extend(one.reads)
        found.classes.extend(one.classes)
        found.env_files.extend(one.env_files)
        if one.reads or one.classes:
            found.scanned.append(path)
    return found


def _scan_one(path: str, kind: str, hint: tuple[bytes, ...], read: Callable[[str], bytes | None],
              candidates: set[str] | None) -> Found:
    """The reads of one file (``Found`` holding that file only)."""
    one = Found()
    data = read(path)
    if data is None:
        return one
    if kind == "python":
        if candidates is None and not may_read(data):
            return one
    elif hint and not any(h in data for h in hint):
        return one
    elif kind == "compose?":
        if not (_COMPOSE_SERVICES.search(data) and _COMPOSE_SERVICE_KEY.search(data)):
            return one
        kind = "compose"
    text = _text(data)
    if text is None:
        return one
    if kind == "python":
        module = scan_python(path, text)
        one.reads.extend(module.reads)
        one.classes.extend(module.classes)
    elif kind == "compose":
        dev = bool(DEV_COMPOSE.search(path))  # a developer's knobs (ports, targets), not the service's
        for r in scan_compose(path, text):
            if r.form == "env_file":
                one.env_files.append(r)
            else:
                one.reads.append(replace(r, weak=True) if dev else r)
    elif kind == "docker":
        one.reads.extend(scan_dockerfile(path, text))
    elif kind == "ini":
        one.reads.extend(scan_ini(path, text))
    else:
        one.reads.extend(scan_shell(path, text))
    return one


def _encode_scan(path: str, one: Found) -> dict[str, Any]:
    return {"reads": [encode(r) for r in one.reads], "classes": [encode(c) for c in one.classes],
            "env_files": [encode(r) for r in one.env_files], "newer": python_trees.newer.get(path)}


def _decode_scan(path: str, data: Any) -> Found | None:
    """A kept result, or None for one this code cannot take whole (scanned again)."""
    try:
        one = Found()
        one.reads = [_read_record(r) for r in data["reads"]]
        one.env_files = [_read_record(r) for r in data["env_files"]]
        one.classes = [_settings_class(c) for c in data["classes"]]
        newer = data["newer"]
        if newer is not None:  # the module needs a newer Python: the runner reports it as if parsed now
            python_trees.newer[path] = (int(newer[0]), str(newer[1]))
        return one
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _read_record(data: dict[str, Any]) -> Read:
    read = Read(**{name: data[name] for name in fields(Read)})
    if not (isinstance(read.name, str) and isinstance(read.line, int) and isinstance(read.column, int)):
        raise ValueError("not a read")
    return read


def _settings_class(data: dict[str, Any]) -> SettingsClass:
    cls = SettingsClass(**{name: data[name] for name in fields(SettingsClass)})
    cls.bases = [str(b) for b in cls.bases]
    cls.fields = [(str(f[0]), int(f[1]), int(f[2]), f[3], [str(a) for a in f[4]], bool(f[5])) for f in cls.fields]
    cls.annotations = {str(k): str(v) for k, v in cls.annotations.items()}
    return cls


def _scanner(path: str) -> tuple[str, tuple[bytes, ...]] | None:
    """(kind, bytes one of which the file must hold) for a file that may read the environment."""
    if path.endswith(".py"):
        return "python", ()
    if path.endswith((".yml", ".yaml")):
        if COMPOSE_FILE.search(path):
            return "compose", ()
        # legacy names (local.yml, production.yml): judged by content below
        return None if CI_FILE.search(path) else ("compose?", (b"services:",))
    if DOCKERFILE.search(path):
        return "docker", ()
    if INI_FILE.search(path):
        return "ini", INI_HINTS
    if SHELL_FILE.search(path):
        return "shell", (b"$",)
    return None


def env_file_reads(found: Found, tracked: set[str], sources: Iterable[str],
                   read: Callable[[str], bytes | None] = read_bytes) -> list[Read]:
    """Names in the tracked files a compose ``env_file:`` names: weak reads
    (the container gets them; the file is their documentation of sorts)."""
    from hooks.checks.check_env_documented.docs import parse_source

    reads: list[Read] = []
    skip = set(sources)
    for ref in found.env_files:
        target = os.path.normpath(os.path.join(os.path.dirname(ref.path), ref.name)).replace(os.sep, "/")
        if target in skip or target not in tracked:
            continue
        skip.add(target)
        data = read(target)
        text = _text(data) if data is not None else None
        for entry in parse_source(target, text or ""):
            reads.append(Read(entry.name, ref.path, ref.line, ref.column, "env_file", weak=True))
    return reads


def settings_reads(classes: list[SettingsClass]) -> list[Read]:
    """Reads of every pydantic ``BaseSettings`` class, with prefixes and case
    rules inherited by simple class name across modules."""
    by_name: dict[str, list[SettingsClass]] = {}
    for cls in classes:
        by_name.setdefault(cls.name, []).append(cls)

    def is_settings(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name == "BaseSettings":
            return True
        if name in seen:
            return False
        return any(is_settings(b, seen | {name}) for c in by_name.get(name, ()) for b in c.bases)

    def inherited(cls: SettingsClass, attr: str, seen: frozenset[str] = frozenset()) -> object:
        value = getattr(cls, attr)
        if value is not None or cls.name in seen:
            return value
        for base in cls.bases:
            for parent in by_name.get(base, ()):
                value = inherited(parent, attr, seen | {cls.name})
                if value is not None:
                    return value
        return None

    reads: list[Read] = []
    for cls in classes:
        if not any(is_settings(b, frozenset({cls.name})) for b in cls.bases):
            continue
        prefix = str(inherited(cls, "prefix") or "")
        insensitive = not inherited(cls, "case_sensitive")
        delimiter = inherited(cls, "nested_delimiter")
        for fname, line, column, default, aliases, optional in cls.fields:
            names = aliases or [prefix + fname]
            nested = cls.annotations.get(fname)
            for name in names:
                shown = name.upper() if insensitive else name
                if delimiter and nested in by_name and not aliases:
                    reads.append(Read(f"{shown}{delimiter}", cls.path, line, column, "pydantic settings",
                                      kind="prefix", case_insensitive=insensitive))
                # A field with a default is documented where it is declared: the settings
                # class is the project's typed list of its configuration, with the default
                # beside each name (issue 21). A required field must be given: a read.
                # A field holding another settings model is filled from that model's own variables.
                reads.append(Read(shown, cls.path, line, column, "pydantic settings", default=default if optional else None,
                                  case_insensitive=insensitive,
                                  weak=bool(nested in by_name and not aliases) or optional))
    return reads


def _groups(reads: Iterable[Read], platform: Platform) -> dict[tuple[str, str], list[Read]]:
    """The variables the service needs from its deployment: reads by (kind,
    name), the code's first. Not: weak reads (values the deployment gives,
    documentation of sorts), platform variables, and variables the code sets
    itself (``os.environ["X"] = v``, a child process's ``env={"X": v}``)."""
    written = {r.name for r in reads if r.form == WRITE}
    ordered = sorted(reads, key=lambda r: (not r.path.endswith(".py"), r.path, r.line, r.column))
    groups: dict[tuple[str, str], list[Read]] = {}
    seen: set[tuple[str, int, int, str]] = set()
    for r in ordered:
        if r.kind == "unknown" or r.weak or r.name in platform or r.name in written:
            continue
        if (r.path, r.line, r.column, r.name) in seen:  # one read found twice (a helper's call): one read
            continue
        seen.add((r.path, r.line, r.column, r.name))
        key = (r.kind, r.name.upper() if r.case_insensitive else r.name)
        groups.setdefault(key, []).append(r)
    return groups


# A default that stands in for the value production must give (helios:
# EMAIL_OPTOUT_SECRET = get_from_env(..., 'replace-with-secure-random-key')).
# Not an empty default: that is a feature left off until the variable is set.
_PLACEHOLDER = re.compile(
    r"<[^<>]+>|\[[^\[\]]+\]|[xX*]{3,}"
    r"|(?:change|replace|fill|set|update|edit)[-_ ]?(?:me|it|this|with|in)\b.*"
    r"|.*\b(?:changeme|change[-_]me|replaceme|replace[-_]me|changethis|change[-_]this)\b.*"
    r"|(?:your|insert|enter|put|paste)[-_ ][\w\s-]*|your(?:password|secret|token|key|apikey|api_key|secretkey)\w*"
    r"|.*[-_ ](?:here|goes[-_ ]here)",
    re.I,
)


def placeholder_secret(read: Read) -> bool:
    """A secret's default that production must replace: ``SECRET_KEY='changeme'``,
    ``API_TOKEN='<your-token>'``, ``X_SECRET='replace-with-secure-random-key'``."""
    if not read.default or not _PLACEHOLDER.fullmatch(read.default.strip()):
        return False
    from hooks.secrets.patterns import Compiled

    return Compiled().sensitive(read.name) is not None


def _optional(group: list[Read], given: set[str]) -> bool:
    """A variable the service runs without: some read of it has a default (or
    tests whether it is set), or the code gives it one (os.environ.setdefault).
    A secret whose default is a placeholder (``changeme``) is needed all the same."""
    return group[0].kind == "name" and (
        any(r.default is not None and not placeholder_secret(r) for r in group) or group[0].name in given)


def _documented(entries: Iterable[Entry], elsewhere: Iterable[str]) -> Callable[[Read], bool]:
    known = set(elsewhere)
    every = [*(e.name for e in entries), *known]
    exact = set(every)
    upper = {name.upper() for name in exact}
    families = tuple(name[:-1] for name in exact if name.endswith("_*"))  # a docs row linking out for TA_LDAP

    def documented(r: Read) -> bool:
        if r.kind == "name":
            return r.name in exact or (r.case_insensitive and r.name.upper() in upper) or (
                bool(families) and r.name.startswith(families))
        return any(r.matches(name) for name in every)

    return documented


def needed_undocumented(reads: list[Read], entries: list[Entry], platform: Platform,
                        elsewhere: Iterable[str] = ()) -> list[str]:
    """The variables the service needs (no default, no test) that nothing documents."""
    documented = _documented(entries, elsewhere)
    given = {r.name for r in reads if r.form == "os.environ.setdefault"}
    return [group[0].name for (kind, _), group in _groups(reads, platform).items()
            if kind == "name" and not _optional(group, given) and not any(documented(r) for r in group)]


def documented_share(reads: list[Read], entries: list[Entry], platform: Platform,
                     elsewhere: Iterable[str] = (), needed: bool = False) -> tuple[int, int]:
    """(documented, all): how many of the variables the service reads by name
    (``needed``: of those it needs, no default and no test) the project
    documents anywhere. A project that documents a fifth or less of what it
    needs keeps its configuration reference somewhere else (a deployment repo,
    a website), or nowhere."""
    documented = _documented(entries, elsewhere)
    given = {r.name for r in reads if r.form == "os.environ.setdefault"}
    named = [group for (kind, _), group in _groups(reads, platform).items()
             if kind == "name" and not (needed and _optional(group, given))]
    return sum(1 for group in named if any(documented(r) for r in group)), len(named)


def compare(reads: list[Read], entries: list[Entry], sources: list[str], platform: Platform,
            strict: bool, elsewhere: Iterable[str] = (), optional: bool = True,
            hidden: list[str] | None = None, undocumented_reads: bool = True) -> Iterator[Problem]:
    """Undocumented reads and dead entries. ``elsewhere``: names the project
    documents outside the sources (docs pages, compose, Dockerfile): they count
    as documented, but are never dead entries. ``optional``: also report the
    variables the service runs without (a default, a test for them); when
    False their names go to ``hidden``. ``undocumented_reads``: False reports
    dead entries only."""
    shown = sources[:3] + ([f"{len(sources) - 3} more"] if len(sources) > 3 else [])
    where = " or ".join(shown) if sources else None
    documented = _documented(entries, elsewhere)
    if strict:
        for r in sorted(reads, key=lambda r: (r.path, r.line, r.column)):
            if r.kind == "unknown" and not r.weak:
                yield Problem(r.line, r.column, f"cannot tell which variable this reads: {r.name}",
                              identity=("unresolved", r.name), path=r.path)
    groups = _groups(reads, platform) if undocumented_reads else {}
    given = {r.name for r in reads if r.form == "os.environ.setdefault"}
    undocumented = [(kind, group) for (kind, _), group in groups.items()
                    if not any(documented(r) for r in group)]
    if not optional:
        if hidden is not None:
            hidden.extend(group[0].name for _, group in undocumented if _optional(group, given))
        undocumented = [(kind, group) for kind, group in undocumented if not _optional(group, given)]
    # A module with dozens of undocumented reads that all have a default (a
    # settings module of optional knobs) gets one line, not one per variable.
    by_module: dict[str, list[Read]] = {}
    for _kind, group in undocumented:
        if _optional(group, given):
            by_module.setdefault(group[0].path, []).append(group[0])
    collapsed = {path for path, found in by_module.items() if len(found) > FLOOD}
    tail = f" in {where}" if where else " (no env template, and no docs page names it)"
    for path in sorted(collapsed):
        found = by_module[path]
        names = ", ".join(r.name for r in found[:5])
        target = sources[0] if sources else ".env.example"
        yield Problem(found[0].line, found[0].column,
                      f"{len(found)} variables read here with a default are documented nowhere ({names}, ...); "
                      f"list them in {target} (`check-env-documented --write-example` appends them)",
                      identity=("undocumented-defaults",), path=path)
    for kind, group in undocumented:
        first = group[0]
        if first.path in collapsed and _optional(group, given):
            continue
        others = len(group) - 1
        count = f" ({others} other read{'s' if others != 1 else ''})" if others else ""
        if kind == "prefix":
            what = f"variables starting with {first.name} are read here ({first.form}) but none is documented"
            identity = ("undocumented-prefix", first.name)
        else:
            what = f"{first.name} is read here but not documented"
            identity = ("undocumented", first.name)
        placeholder = "; its default is a placeholder a deploy must replace" if kind == "name" and any(
            placeholder_secret(r) for r in group) else ""
        yield Problem(first.line, first.column, what + tail + count + placeholder, identity=identity, path=first.path)
    read_names = {r.name for r in reads if r.kind == "name" and not r.case_insensitive}
    read_upper = {r.name.upper() for r in reads if r.kind == "name" and r.case_insensitive}
    partial = [r for r in reads if r.kind != "name"]
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        if (entry.path, entry.name) in seen or entry.name in platform or platform.read_implicitly(entry.name):
            continue
        seen.add((entry.path, entry.name))
        if entry.name in read_names or entry.name.upper() in read_upper or any(r.matches(entry.name) for r in partial):
            continue
        yield Problem(entry.line, entry.column, f"{entry.name} is documented but nothing in the repo reads it",
                      identity=("dead", entry.name), path=entry.path)


def first_source(tracked: set[str], candidates: Iterable[str]) -> str | None:
    return next((c for c in candidates if c in tracked), None)


@record
class Elsewhere:
    pages: set[str] = field(default_factory=set)  # named on a docs page
    names: set[str] = field(default_factory=set)  # pages, compose values, Dockerfile ENV/ARG, compose env files


# Deployment config that gives the service its environment: Kubernetes env
# lists (`- name: X`) and ConfigMaps, Helm values, app.json, DigitalOcean app
# specs (`- key: X`), CloudFormation/ECS task definitions (`- Name: X`),
# fly.toml, compose anchors: an UPPER_CASE key there.
_DEPLOY_FILE = re.compile(r"\.(ya?ml|json|toml)$")
# Manifests of packages and tools, not of the service's deployment.
_NOT_DEPLOY_NAMES = re.compile(r"(^|/)(package(-lock)?\.json|composer\.json|pyproject\.toml|Cargo\.toml|tsconfig[^/]*\.json)$"
                               r"|(^|/)\.devcontainer/")
_DEPLOY_MAX = 512 * 1024
_DEPLOY_NAMES = re.compile(
    # (CloudFormation's and ECS task definitions' `Environment: - Name: X  Value: ...`, in YAML or
    # JSON: held-out round 8, concordia's fargate-cluster.yaml)
    r"^[ \t]*-?[ \t]*[\"']?(?:[Nn]ame|[Kk]ey)[\"']?[ \t]*:[ \t]*[\"']?(?P<listed>[A-Z][A-Z0-9_]*)[\"']?[ \t]*,?[ \t]*$"
    r"|[{,][ \t]*[\"'][Nn]ame[\"'][ \t]*:[ \t]*[\"'](?P<pair>[A-Z][A-Z0-9_]*)[\"'][ \t]*,[ \t]*[\"'][Vv]alue(?:From)?[\"']"
    # a settings schema that names each variable: `environment_variable: "NAUTOBOT_X"`, `"env": "X"`
    r"|[\"']?(?:env|envvar|env_var|environment_variable|environment_var|env_name)[\"']?[ \t]*:[ \t]*"
    r"[\"'](?P<schema>[A-Z][A-Z0-9_]*)[\"']"
    r"|^[ \t]*-?[ \t]*[\"']?(?P<key>[A-Z][A-Z0-9_]+)[\"']?[ \t]*[:=](?!:)",
    re.M,
)


# `docker run -e X=v` / `podman run --env X=v` in a deployment template (held-out round 9: patchew's
# ansible `templates/podman.service.j2`, `podman_run_args: "-e PATCHEW_DB_...="`): the deployment gives
# the container its value. In deployment YAML, Jinja templates, systemd units and the shell scripts of
# deploy/, scripts/, bin/, ansible/; only in a file that names docker or podman. A bare `-e X` passes
# the host's value on and documents nothing (as a compose `environment:` entry without a value).
_LAUNCH_FILE = re.compile(r"\.(j2|jinja2?|service|sh|bash)$|(^|/)(deploy\w*|scripts|bin|ansible|playbooks?|systemd)/"
                          r"[^/.]+$")
_CONTAINER_TOOL = re.compile(r"\b(?:docker|podman)\b")
_RUN_ENV = re.compile(r"(?:^|(?<=[\s'\"]))(?:-e|--env)(?:[ \t]+|=)['\"]?(?P<run>[A-Z][A-Z0-9_]*)=")


_NOT_RUNTIME: list[re.Pattern[str] | None] = []


def _launch_file(path: str) -> bool:
    """A deployment template or script whose `docker run -e X=v` documents X: not a test, CI,
    build or developer's script (a dev run's `-e SECRET_KEY=dev` gives production nothing)."""
    if not _LAUNCH_FILE.search(path) or CI_FILE.search(path) or role_of(path) in (GENERATED, TEST_DATA, LOCK, CI):
        return False
    if not _NOT_RUNTIME:
        from hooks.checks.check_env_documented.docs import DEFAULT_EXCLUDES
        from hooks.repo.roles import glob_union

        _NOT_RUNTIME.append(glob_union(DEFAULT_EXCLUDES))
    skip = _NOT_RUNTIME[0]
    return skip is None or not skip.match(path)


# A tracked dotenv file that is not a template (`.env` beside the compose file,
# `docker/release/config.env`, `.env.dev`): its values are given to the service.
_ENV_FILE = re.compile(r"(^|/)(\.env([.-][\w.-]+)?|[\w.-]+\.env|env\.[\w-]+)$")


def _env_file(path: str) -> bool:
    from hooks.checks.check_env_documented.docs import is_template

    return bool(_ENV_FILE.search(path)) and not is_template(path) and role_of(path) not in (GENERATED, TEST_DATA)


def _deployment_file(path: str) -> bool:
    return (bool(_DEPLOY_FILE.search(path)) and not _NOT_DEPLOY_NAMES.search(path) and not CI_FILE.search(path)
            and role_of(path) not in (GENERATED, TEST_DATA, LOCK, CI))


# Reads that are really values the deployment gives the service: documentation.
_GIVEN = ("Dockerfile", "env_file", "compose environment")


def documented_elsewhere(tracked: Iterable[str], reads: Iterable[Read],
                         read: Callable[[str], bytes | None] = read_bytes,
                         blobs: Mapping[str, str] | None = None) -> Elsewhere:
    """The names the project documents outside its env templates (``blobs``: as
    for ``collect``, pages unchanged since an earlier run come from the cache)."""
    from hooks.checks.check_env_documented.docs import is_doc_page
    from hooks.core.cache import FileResults

    results = FileResults("check-env-documented-pages", "") if blobs else None
    found = Elsewhere()
    deployed: set[str] = set()
    for path in sorted(tracked):
        page = is_doc_page(path)
        if not page and not _deployment_file(path) and not _env_file(path) and not _launch_file(path):
            continue
        blob = blobs.get(path) if blobs else None
        kept = results.get(path, blob) if results and blob else None
        names = set(kept) if isinstance(kept, list) and all(isinstance(n, str) for n in kept) else None
        if names is None:
            names = _documented_names(path, page, read)
            if results:
                results.put(path, blob, sorted(names))
        (found.pages if page else deployed).update(names)
    if results:
        results.save()
    deployed |= generated_env_names(tracked, read)
    found.names = found.pages | deployed
    found.names.update(r.name for r in reads if r.kind == "name" and r.form in _GIVEN and (
        r.form != "compose environment" or r.default is not None))
    return found


# A script that writes a dotenv file (held-out round 11: toolhub's bin/make_env.sh, run by
# `make init` as `./bin/make_env.sh ./.env`): `cat > .env <<EOF` / `cat <<EOF >> "$1"` heredocs,
# `echo "X=v" >> .env`, `printf 'X=%s\n' v > .env.local`. Its `NAME=` lines document NAME.
_TARGET = r"[\"']?(?P<target>\$\{[^}\n]*\}|[^\s;|&<>\"']+)[\"']?"
_HEREDOC = re.compile(rf"\bcat\b[^\n<>]*?(?:>>?\s*{_TARGET}\s*<<-?\s*[\"']?(?P<tag>\w+)[\"']?"
                      rf"|<<-?\s*[\"']?(?P<tag2>\w+)[\"']?\s*>>?\s*{_TARGET.replace('target', 'target2')})")
_ECHO = re.compile(rf"^\s*(?:echo|printf)\s+(?:-\w+\s+)*[\"']?(?P<name>[A-Z][A-Z0-9_]*)=[^\n]*?>>?\s*{_TARGET}\s*$",
                   re.M)
_LINE_NAME = re.compile(r"^\s*(?:export\s+)?([A-Z][A-Z0-9_]*)=")
_DOTENV_NAME = re.compile(r"(^|/)\.env([.-][\w.-]+)?$")
_POSITIONAL = re.compile(r"^\$\{?[1-9](?:[:}]|$)")
_SCRIPT_MAX = 256 * 1024


def generated_env_names(tracked: Iterable[str], read: Callable[[str], bytes | None] = read_bytes) -> set[str]:
    """The names the repo's scripts write into a dotenv file: a file named ``.env``/``.env.*``,
    or the script's argument when a tracked file runs the script with such a path."""
    tracked = sorted(tracked)
    scripts = [p for p in tracked if p.endswith((".sh", ".bash")) and role_of(p) not in (GENERATED, TEST_DATA)]
    texts: dict[str, str] = {}
    for path in scripts:
        data = read(path)
        if data is None or len(data) > _SCRIPT_MAX or not (b"<<" in data or b">" in data):
            continue
        text = _text(data)
        if text and "=" in text:
            texts[path] = text
    names: set[str] = set()
    callers: list[str] | None = None
    for path, text in texts.items():
        written: dict[str, set[str]] = {}  # target -> names
        lines = text.split("\n")
        n = 0
        while n < len(lines):
            m = _HEREDOC.search(lines[n]) if not lines[n].lstrip().startswith("#") else None
            n += 1
            if not m:
                continue
            tag = m.group("tag") or m.group("tag2")
            target = m.group("target") or m.group("target2")
            body: set[str] = set()
            while n < len(lines) and lines[n].strip() != tag:
                line = _LINE_NAME.match(lines[n])
                if line:
                    body.add(line.group(1))
                n += 1
            written.setdefault(target, set()).update(body)
        for m in _ECHO.finditer(text):
            written.setdefault(m.group("target"), set()).add(m.group("name"))
        for target, found in written.items():
            if _DOTENV_NAME.search(target):
                names |= found
            elif _POSITIONAL.match(target):
                if callers is None:
                    callers = [t for p, t in _caller_texts(tracked, read)]
                run = re.compile(rf"(?<![\w.-]){re.escape(posixpath.basename(path))}[ \t]+[\"']?"
                                 r"(?:[^\s\"']*/)?\.env(?:[.-][\w.-]+)?[\"']?(?![\w.-])")
                if any(run.search(c) for c in callers):
                    names |= found
    return names


def _caller_texts(tracked: list[str], read: Callable[[str], bytes | None]) -> Iterator[tuple[str, str]]:
    """The Makefiles, scripts and docs pages that may run a generator script."""
    for path in tracked:
        base = posixpath.basename(path)
        if not (base in ("Makefile", "makefile", "GNUmakefile", "justfile", "Taskfile.yml", "tox.ini")
                or path.endswith((".sh", ".bash", ".mk", ".md", ".rst", ".txt"))):
            continue
        data = read(path)
        if data is None or len(data) > _SCRIPT_MAX or b".env" not in data:
            continue
        text = _text(data)
        if text:
            yield path, text


def _documented_names(path: str, page: bool, read: Callable[[str], bytes | None]) -> set[str]:
    """The names one docs page, or one deployment file, gives."""
    from hooks.checks.check_env_documented.docs import doc_names, parse_source

    data = read(path)
    if data is None or (not page and len(data) > _DEPLOY_MAX):
        return set()
    text = _text(data)
    if not text:
        return set()
    if page:
        return doc_names(text)
    if _env_file(path):
        return {e.name for e in parse_source(path, text)}
    names = {m.group("run") for m in _RUN_ENV.finditer(text)} if _CONTAINER_TOOL.search(text) else set()
    if _deployment_file(path):
        names.update(m.group(m.lastgroup) for m in _DEPLOY_NAMES.finditer(text) if m.lastgroup)
    return names


def still_named(names: Iterable[str], sources: Iterable[str], grep: Grep | None = None) -> set[str]:
    """Which of these names some tracked file other than the docs and the env
    templates still spells out (a front end, a Helm chart, a script, code that
    builds the name): an entry named there is not dead. One ``git grep``
    (``hooks.repo.git.Grep.named``: UTF-16 files are searched too)."""
    wanted = sorted(set(names))
    if not wanted:
        return set()
    from hooks.repo import git

    # A prefixed loader (Flask's from_prefixed_env, coaster, django-environ's
    # prefix) maps FLASK_SESSION_COOKIE_DOMAIN to the config key
    # SESSION_COOKIE_DOMAIN: the key named in the code keeps the entry alive.
    keys = {name: key for name in wanted for key in [_unprefixed(name)] if key}
    pathspecs = (".", *(f":(exclude,glob)**/{pattern}" for pattern in (
        "*.md", "*.mdx", "*.markdown", "*.rst", "*.txt", "*.adoc", "*.html", "*.htm", ".env*", "*.env", "*.env.*",
        "env.*", "CHANGELOG*", "CHANGES*", "HISTORY*", "NEWS*")), *(f":(exclude){source}" for source in sources))
    seen = (grep or git.Grep()).named(sorted(set(wanted) | set(keys.values())), pathspecs=pathspecs) or set()
    return {name for name in wanted if name in seen or keys.get(name) in seen}


def _unprefixed(name: str) -> str | None:
    """The config key a prefixed loader gives ``name``: FLASK_X -> X,
    APP_FUNNEL_X -> X, DJANGO_X -> X; None when what is left is too plain a word."""
    parts = name.split("_")
    drop = 2 if parts[0] == "APP" and len(parts) > 3 else 1
    key = "_".join(parts[drop:])
    return key if "_" in key or len(key) >= 8 else None



# A read that gives None when the variable is unset (`os.getenv("X")`,
# `os.environ.get("X")`), as written at the read's column.
_SOFT_READ = re.compile(r"[\w.]*?(?:getenv|\.get)\s*\(")
_RAISES = re.compile(r"^\s*(?:raise\b|assert\b|sys\.exit\(|exit\(|abort\()")


def _setting_tests(name: str) -> re.Pattern[str]:
    """A line that tests the setting ``name`` for being unset: ``if not settings.X:``,
    ``if app.config.get("X"):``, ``X = settings.X or build()``, ``bool(X)``, ``X is None``."""
    return _tests_of(re.escape(name))


def _any_setting_tests(names: Iterable[str]) -> re.Pattern[str]:
    """A line that ``_setting_tests`` of one of ``names`` may match: the same pattern
    with each name's place taken by all of them (every match of one name's pattern
    is a match of this one), so one compile stands before each name's own."""
    return _tests_of("(?:" + "|".join(re.escape(n) for n in sorted(set(names), key=lambda n: (-len(n), n))) + ")")


def _tests_of(n: str) -> re.Pattern[str]:
    access = (rf"[\w.()\[\]]*?(?:\.get\(\s*['\"]{n}['\"]\s*(?:,\s*None\s*)?\)|\b{n}\b(?!\s*[(\[])"
              rf"|\[\s*['\"]{n}['\"]\s*\])")
    plain = (rf"(?<![\w.])[\w.]*?(?:\.get\(\s*['\"]{n}['\"]\s*(?:,\s*None\s*)?\)|\b{n}\b(?!\s*[(\[])"
             rf"|\[\s*['\"]{n}['\"]\s*\])")  # settings.X, config.get("X"), config["X"]: no call around it
    # round 7 (codalab's MAILCHIMP_*, CUSTOM_HEADER_LOGO): `url(X) if X else None`, `all([URL, X])`,
    # `if not settings.A or not settings.X:`
    return re.compile(rf"^\s*(?:el)?if\s+(?:not\s+)?{access}\s*:|\bbool\(\s*{access}\s*\)|{access}\s+or\b"
                      rf"|{access}\s+is\s+(?:not\s+)?None\b|=\s*not\s+{access}\s*$"
                      rf"|\bif\s+(?:not\s+)?{plain}\s+else\b"
                      rf"|\b(?:all|any)\(\s*[\[(](?:[^\[\]()]|\(\))*?(?<![\w.]){plain}\s*[,\])]"
                      rf"|^\s*(?:el)?if\s+(?:.*\b(?:not|and|or)\s+)?{plain}(?=\s*(?:and\b|or\b|:))")


def falls_back(reads: list[Read], needed: Iterable[str], grep: Grep,
               read: Callable[[str], bytes | None] = read_bytes) -> set[str]:
    """Which of the ``needed`` variables the code reads softly (``os.getenv("X")``,
    None when unset) and then tests for being unset as a setting, somewhere in
    the service's Python: ``if not app.config.get("X"): build it from parts``,
    ``settings.X or default``, ``X_ENABLED = bool(X)``. Such a variable is an
    optional override. A test followed by ``raise`` (``if not settings.X: raise
    ImproperlyConfigured``) is a check that it is set: still needed. The test
    counts in any module of the service (``app/setup.py`` too, which is not
    read for variables), not in tests."""
    from hooks.repo.roles import belongs_to_service

    wanted = sorted(set(needed))
    if not wanted:
        return set()
    lines: dict[str, list[str]] = {}

    def text_of(path: str) -> list[str]:
        if path not in lines:
            data = read(path)
            text = _text(data) if data is not None else None
            lines[path] = (text or "").split("\n")
        return lines[path]

    soft: set[str] = set()
    read_at: set[tuple[str, int]] = set()
    for r in reads:
        if r.kind == "name" and r.name in wanted and r.path.endswith(".py") and r.default is None and not r.weak:
            source = text_of(r.path)
            read_at.add((r.path, r.line))
            if 0 < r.line <= len(source) and _SOFT_READ.match(source[r.line - 1][r.column - 1:]):
                soft.add(r.name)
    if not soft:
        return set()
    files = grep.files(*sorted(soft), pathspecs=("*.py",))
    candidates = sorted(files) if files is not None else sorted({r.path for r in reads if r.path.endswith(".py")})
    found: set[str] = set()
    any_test = _any_setting_tests(soft)
    tests: dict[str, re.Pattern[str]] = {}
    for path in candidates:
        if not belongs_to_service(path):
            continue
        source = text_of(path)
        folded = _folded_conditions(source)
        for name in sorted(soft - found):
            for n, line in enumerate(folded, 1):
                if name not in line or (path, n) in read_at or line.lstrip().startswith("#"):
                    continue
                if not any_test.search(line):
                    continue  # no name's test is on this line: this name's own is not compiled
                if name not in tests:
                    tests[name] = _setting_tests(name)
                if not tests[name].search(line):
                    continue
                end = n + line.count("\n")  # a folded condition's last line
                line = line.replace("\n", " ")
                after = next((s for s in source[end:end + 3] if s.strip()), "")
                if line.rstrip().endswith(":") and _RAISES.match(after):
                    continue
                found.add(name)
                break
    return found


_CONDITION_OPEN = re.compile(r"^(\s*(?:el)?if)\s*\(\s*$")
_CONDITION_CLOSE = re.compile(r"^\s*\)\s*:\s*(#.*)?$")


def _folded_conditions(source: list[str]) -> list[str]:
    """``source`` with each ``if (`` condition split over lines (black's style) folded
    into its first line as ``if A and B:`` (the lines kept, joined by newlines, and the
    others left empty), for the line-based tests (held-out round 13: danswer's
    ``if (\n WEB_CONNECTOR_OAUTH_CLIENT_ID\n and ..._SECRET\n ...):``)."""
    out = list(source)
    i = 0
    while i < len(source):
        m = _CONDITION_OPEN.match(source[i])
        if m:
            j = next((k for k in range(i + 1, min(i + 12, len(source))) if _CONDITION_CLOSE.match(source[k])), None)
            if j is not None:
                body = [s.strip() for s in source[i + 1:j]]
                out[i] = m.group(1) + " " + " ".join(body) + ":" + "\n" * (j - i)
                for k in range(i + 1, j + 1):
                    out[k] = ""
                i = j
        i += 1
    return out


# `from .application import *` in a package's __init__: the modules it lists by name.
_SIBLING_IMPORT = re.compile(r"^\s*from\s+\.([A-Za-z_]\w*)\s+import\b|^\s*from\s+\.\s+import\s+([\w ,]+)", re.M)


def unimported(reads: list[Read], tracked: set[str], grep: Grep,
               read: Callable[[str], bytes | None] = read_bytes) -> set[str]:
    """Python modules nothing imports, whose reads no deploy runs (held-out round 7:
    augur's ``api/routes/auggie.py``): the package's ``__init__`` imports its
    siblings by name (two or more) and not this one, and no other tracked file
    names the module at all (an import, an entry point, a dotted path in a string)."""
    dead: set[str] = set()
    listed: dict[str, set[str] | None] = {}
    for path in sorted({r.path for r in reads if r.path.endswith(".py") and not r.weak and r.default is None}):
        folder, stem = posixpath.split(path)
        stem = stem[:-3]
        if stem in ("__init__", "__main__", "manage", "wsgi", "asgi", "settings", "conftest") or not folder:
            continue
        if folder not in listed:
            init = f"{folder}/__init__.py"
            data = read(init) if init in tracked else None
            names: set[str] = set()
            for m in _SIBLING_IMPORT.finditer(data.decode("utf-8", "replace") if data else ""):
                if m.group(1):
                    names.add(m.group(1))
                else:
                    names.update(n.split(" as ")[0].strip() for n in m.group(2).split(","))
            listed[folder] = names if len(names) >= 2 else None
        siblings = listed[folder]
        if siblings is None or stem in siblings:
            continue
        holders = grep.files(stem, pathspecs=(".",))
        if holders is None or len(holders) > 400:
            continue
        # the prefilter also gives every file with a byte order mark's bytes (images): look at each
        if not any(_names(read(other), stem) for other in sorted(holders - {path})):
            dead.add(path)
    return dead


def dead_code(reads: list[Read], tracked: set[str], grep: Grep) -> list[Read]:
    """The reads, those in modules nothing imports and in functions nothing calls made weak."""
    dead_modules = unimported(reads, tracked, grep)
    if dead_modules:
        reads = [replace(r, weak=True) if r.path in dead_modules else r for r in reads]
    dead_functions = uncalled(reads, grep)
    if dead_functions:
        reads = [replace(r, weak=True) if (r.path, r.func) in dead_functions else r for r in reads]
    return reads


def uncalled(reads: list[Read], grep: Grep, read: Callable[[str], bytes | None] = read_bytes) -> set[tuple[str, str]]:
    """(module, function) for the module-level functions that nothing calls (held-out round 18: ruqqus'
    ``log_event``, whose one call is commented out): their module does not name them (``Read.func``:
    no call, reference, string or decorator) and no other tracked file holds the name at all (an
    import, a dotted path in settings, an entry point, a comment too). Their reads no deploy runs."""
    dead: set[tuple[str, str]] = set()
    for path, func in sorted({(r.path, r.func) for r in reads if r.func and not r.weak and r.default is None}):
        holders = grep.files(func, pathspecs=(".",))
        if holders is None or len(holders) > 400:
            continue
        if not any(_names(read(other), func) for other in sorted(holders - {path})):
            dead.add((path, func))
    return dead


def _names(data: bytes | None, word: str) -> bool:
    if data is None:
        return False
    if word.encode() in data:
        return True
    text = _text(data) if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")) else None
    return text is not None and word in text


_COMPOSE_RUN = re.compile(r"\bdocker[- ]compose\b|\bdocker\s+compose\b|\bpodman[- ]compose\b")
# `export X=v`, or `X=v cmd ...` (the command's environment); a plain `X=v` is the script's own variable
# (make's `@` before a recipe line, its `$(abspath $(ENV))` one level of parentheses deep)
_INLINE = re.compile(r"(?:^|(?<=[\s;&|(@]))(?:export\s+(?P<exported>[A-Z][A-Z0-9_]*)="
                     r"|(?P<name>[A-Z][A-Z0-9_]*)=(?:\"[^\"]*\"|'[^']*'|\$\((?:[^()]|\([^()]*\))*\)|`[^`]*`"
                     r"|[^\s;&|()`])*[ \t]+(?=[\w./$\"'-]))")
# The scripts and Makefiles that may start compose (held-out round 13: MozDef's
# `ENV_FILE=$(abspath $(ENV)) docker-compose -f ... up` in its Makefile).
_LAUNCHERS = ("*.sh", "*Makefile", "*makefile", "*.mk")
_LAUNCHER = re.compile(r"\.(sh|mk)$|(^|/)(GNU)?[Mm]akefile$")


def compose_launch_writes(tracked: set[str], grep: Grep, read: Callable[[str], bytes | None] = read_bytes) -> list[Read]:
    """Variables a tracked shell script or Makefile gives the compose it starts (pinry's
    ``sudo CURRENT_UID=$(id -u):$(id -g) docker-compose up``, or ``export X=...`` before
    it): the project sets them, like ``env={...}`` for a child process."""
    holders = grep.files("compose", pathspecs=_LAUNCHERS)
    candidates = sorted(p for p in (holders if holders is not None else tracked) if _LAUNCHER.search(p))
    writes: list[Read] = []
    for path in candidates:
        data = read(path)
        text = _text(data) if data is not None else None
        if not text or not _COMPOSE_RUN.search(text):
            continue
        make = not path.endswith(".sh")
        lines = text.split("\n")
        for n, line in enumerate(lines, 1):
            if line.lstrip().startswith("#"):
                continue
            if make and not _COMPOSE_RUN.search(_logical_line(lines, n - 1)):
                continue  # a Makefile's other recipes (`SECRET_KEY=x python manage.py test`) are not compose's
            for m in _INLINE.finditer(line):
                group = "exported" if m.group("exported") else "name"
                writes.append(Read(m.group(group), path, n, m.start(group) + 1, WRITE, weak=True))
    return writes


def _logical_line(lines: list[str], i: int) -> str:
    """Line ``i`` with the lines its trailing backslashes continue it on."""
    parts = [lines[i]]
    while parts[-1].rstrip().endswith("\\") and i + 1 < len(lines):
        i += 1
        parts.append(lines[i])
    return " ".join(parts)


# A CI pipeline that deploys with compose: `docker compose up`, `docker stack deploy`, or
# `envsubst < docker-compose.yml` (held-out round 8: uclapi's deploy workflow).
_CI_DEPLOY = re.compile(_COMPOSE_RUN.pattern + r"|\benvsubst\b|\bdocker\s+stack\s+deploy\b")
_CI_PIPELINE = re.compile(r"(^|/)\.github/workflows/[^/]+\.ya?ml$|(^|/)\.gitlab-ci[^/]*\.ya?ml$")


def ci_compose_env(tracked: Iterable[str], read: Callable[[str], bytes | None] = read_bytes) -> set[str]:
    """Variables a CI pipeline gives the compose it runs: the ``env:`` (GitHub
    Actions) or ``variables:`` (GitLab) of a step, a job or the whole workflow
    when a command under it runs compose or ``envsubst``. They document the
    ``${X}`` the compose file interpolates, like a compose ``environment:``."""
    import yaml

    given: set[str] = set()
    for path in sorted(p for p in tracked if (_CI_PIPELINE.search(p) or CI_FILE.search(p)) and p.endswith(
            (".yml", ".yaml"))):
        data = read(path)
        text = _text(data) if data is not None else None
        if not text or not _CI_DEPLOY.search(text):
            continue
        try:
            pipeline = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        _walk_ci(pipeline, given)
    return given


def _walk_ci(node: object, given: set[str]) -> bool:
    """Collect the env blocks whose scope runs compose; True when ``node`` runs it."""
    if isinstance(node, str):
        return bool(_CI_DEPLOY.search(node))
    if isinstance(node, list):
        return any([_walk_ci(item, given) for item in node])
    if not isinstance(node, dict):
        return False
    runs = any([_walk_ci(value, given) for key, value in node.items() if key not in ("env", "variables")])
    if runs:
        for key in ("env", "variables"):
            block = node.get(key)
            if isinstance(block, dict):
                given.update(k for k in block if isinstance(k, str) and re.fullmatch(r"[A-Z][A-Z0-9_]*", k))
    return runs


# A registry of the project's variables in Python (held-out round 14: kolibri's utils/env.py,
# ENVIRONMENT_VARIABLES = {"KOLIBRI_HOME": {"default": ..., "description": "..."}, ...}): a
# module-level dict from variable names to dicts that describe them documents each.
_DESCRIBING_KEYS = frozenset({"description", "help", "help_text", "doc", "docs"})
_REGISTRY_MAX = 512 * 1024


def registry_names(names: Iterable[str], grep: Grep, skipped: Callable[[str], bool],
                   read: Callable[[str], bytes | None] = read_bytes) -> set[str]:
    """Which of ``names`` a Python registry documents: a module-level dict with two or
    more entries whose keys are variable names and whose values, dicts, hold a
    description (``"description"``, ``"help"``, ``"doc"``). Only the modules that
    spell one of ``names`` as a dict key opening a dict (``"X": {``) are parsed."""
    wanted = sorted({n for n in names if re.fullmatch(r"[A-Z][A-Z0-9_]*", n)})
    if not wanted:
        return set()
    keys = [f"{q}{n}{q}: {{" for n in wanted for q in ("\"", "'")]
    holders = grep.files(*keys, pathspecs=("*.py",))
    if holders is None:
        return set()
    found: set[str] = set()
    for path in sorted(holders):
        if skipped(path):
            continue
        data = read(path)
        if data is None or len(data) > _REGISTRY_MAX:
            continue
        try:
            tree = python_trees.parse(_text(data) or "", path, report=False)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for stmt in tree.body:
            value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
            if isinstance(value, ast.Dict):
                found |= _described(value)
    return found & set(wanted)


def _described(registry: ast.Dict) -> set[str]:
    """The names a dict of variable names to descriptions describes (none when it is not one)."""
    described: set[str] = set()
    for key, value in zip(registry.keys, registry.values):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)
                and re.fullmatch(r"[A-Z][A-Z0-9_]*", key.value)):
            return set()
        if isinstance(value, ast.Dict) and any(
                isinstance(k, ast.Constant) and k.value in _DESCRIBING_KEYS and isinstance(v, (ast.Constant, ast.JoinedStr))
                for k, v in zip(value.keys, value.values)):
            described.add(key.value)
    return described if len(described) >= 2 else set()


# Settings that star-import a settings module of an installed package (held-out round 14: open-notificaties'
# `from open_api_framework.conf.base import *`): the package reads variables the repo cannot show.
_SETTINGS_PART = re.compile(r"^(?:settings|conf|config|configuration|base_settings|default_settings)$")
_NO_ENV_PACKAGES = frozenset({"django"})  # django.conf.global_settings reads no environment


def outside_settings(tracked: Iterable[str], grep: Grep, skipped: Callable[[str], bool],
                     read: Callable[[str], bytes | None] = read_bytes) -> tuple[str, str] | None:
    """(module path, the module it star-imports) for the first of the repo's Python
    modules that star-imports a settings module (a ``settings``/``conf``/``config``
    part in its dotted name) of a package the repo does not hold; None when none does."""
    files = sorted(tracked)
    holders = grep.files("import *", pathspecs=("*.py",))
    candidates = [p for p in files if p.endswith(".py") and (holders is None or p in holders) and not skipped(p)]
    if not candidates:
        return None
    ours = {part[:-3] if part.endswith(".py") else part for path in files for part in path.split("/")}
    for path in candidates:
        data = read(path)
        if data is None or len(data) > _REGISTRY_MAX or b"import *" not in data:
            continue
        try:
            tree = python_trees.parse(_text(data) or "", path, report=False)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                    and any(a.name == "*" for a in node.names)):
                continue
            parts = node.module.split(".")
            if (parts[0] not in ours and parts[0] not in _NO_ENV_PACKAGES
                    and any(_SETTINGS_PART.match(p) for p in parts[1:])):
                return path, node.module
    return None


# A package of the same project, installed, that the service imports (held-out round 15: ds-caselaw-editor-ui
# imports `caselawclient.models.utilities.aws` from ds-caselaw-marklogic-api-client, which reads the asset
# buckets and SNS topics of the editor's .env.example): it may read the template's entries. A package is the
# project's when its top-level name holds a word of the project's own name (pyproject/setup name, the owner
# and name of the origin remote), a word of at least five letters that is not a framework's or a generic one.
_GENERIC_WORDS = frozenset({
    "python", "django", "flask", "fastapi", "pyramid", "wagtail", "celery", "server", "service", "services",
    "client", "clients", "frontend", "backend", "admin", "portal", "platform", "project", "editor", "public",
    "private", "config", "settings", "utils", "tools", "common", "core", "library", "plugin", "plugins",
    "dashboard", "manager", "website", "webapp", "application", "docker", "deploy", "engine", "framework",
    "github", "gitlab", "master", "internal", "openapi", "graphql", "models", "model", "database", "worker",
    "workers", "scheduler", "search", "storage", "pipeline", "pipelines", "data", "stack", "system", "systems",
})
_SETUP_NAME = re.compile(r"""^\s*name\s*=\s*["']?(?P<name>[\w.+-]+)|\bname\s*=\s*["'](?P<call>[\w.+-]+)["']""", re.M)


def project_words(tracked: Iterable[str], remote: str | None,
                  read: Callable[[str], bytes | None] = read_bytes) -> set[str]:
    """The distinctive words (lower case) of the project's own name: the name ``pyproject.toml``,
    ``setup.cfg`` or ``setup.py`` gives, and the owner and repository of the ``origin`` remote
    (``https://github.com/owner/name.git``: its last two parts), never the checkout's folder."""
    from hooks.config.loaders.toml_loader import _tomllib

    tomllib = _tomllib()
    names: list[str] = []
    if remote:
        names += re.split(r"[/:]", remote.strip().removesuffix("/").removesuffix(".git"))[-2:]
    tracked = set(tracked)
    if "pyproject.toml" in tracked:
        data = read("pyproject.toml")
        try:
            manifest = tomllib.loads(_text(data) or "") if data is not None else {}
        except ValueError:  # TOMLDecodeError is one
            manifest = {}
        tool = manifest.get("tool") if isinstance(manifest, dict) else None
        for table in (manifest.get("project"), tool.get("poetry") if isinstance(tool, dict) else None):
            if isinstance(table, dict) and isinstance(table.get("name"), str):
                names.append(table["name"])
    for manifest_path in ("setup.cfg", "setup.py"):
        if manifest_path in tracked:
            data = read(manifest_path)
            text = _text(data) if data is not None else None
            m = _SETUP_NAME.search(text) if text else None
            if m:
                names.append(m.group("name") or m.group("call"))
    return {w for n in names for w in re.split(r"[^a-z0-9]+", n.lower())
            if len(w) >= 5 and w not in _GENERIC_WORDS and not w.isdigit()}


def project_package(tracked: Iterable[str], skipped: Callable[[str], bool], words: set[str],
                    read: Callable[[str], bytes | None] = read_bytes,
                    grep: Grep | None = None) -> tuple[str, str] | None:
    """(module path, the imported module) for the first of the service's Python modules
    that imports a package the repo does not hold, outside the standard library, whose
    top-level name holds one of the project's ``words``; None when none does."""
    import sys

    if not words:
        return None
    files = sorted(tracked)
    ours = {part[:-3] if part.endswith(".py") else part for path in files for part in path.split("/")}
    stdlib: frozenset[str] = getattr(sys, "stdlib_module_names", frozenset())
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words)))
    holders = grep.files(*sorted(words), pathspecs=("*.py",), ignore_case=True) if grep is not None else None
    for path in files:
        if not path.endswith(".py") or skipped(path) or (holders is not None and path not in holders):
            continue
        data = read(path)
        if data is None or len(data) > _REGISTRY_MAX or not pattern.search(data.decode("utf-8", "replace").lower()):
            continue
        try:
            tree = python_trees.parse(_text(data) or "", path, report=False)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in ast.walk(tree):
            modules = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                       [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
            for module in modules:
                top = module.split(".")[0]
                if top in ours or top in stdlib:
                    continue
                if pattern.search(top.lower().replace("_", "")) or pattern.search(top.lower()):
                    return path, module
    return None


def without_family(names: Iterable[str], sources: Iterable[str], grep: Grep | None = None) -> set[str]:
    """Which of these names share their first word with no other upper-case name spelled
    in the repo's code (docs and env templates aside): DATABASE_PASSWORD beside a read of
    DATABASE_URL is of the repo's own family; PRIVATE_ASSET_BUCKET with no PRIVATE_* name
    in the repo may be a library's. A name of one word (DEVEL) is the repo's: a library
    prefixes the names it reads (held-out round 8: ubuntu.com's DEVEL, read by none)."""
    from hooks.repo import git

    wanted = sorted(n for n in set(names) if "_" in n.strip("_"))
    prefixes = {n.split("_")[0] + "_" for n in wanted}
    pathspecs = (".", *(f":(exclude,glob)**/{pattern}" for pattern in (
        "*.md", "*.mdx", "*.markdown", "*.rst", "*.txt", "*.adoc", ".env*", "*.env", "*.env.*", "env.*",
        "CHANGELOG*", "CHANGES*", "HISTORY*", "NEWS*")), *(f":(exclude){source}" for source in sources))
    seen = (grep or git.Grep()).prefixed(sorted(prefixes), pathspecs=pathspecs) if prefixes else set()
    if seen is None:
        return set()
    return {n for n in wanted if not any(s != n and s.startswith(n.split("_")[0] + "_") for s in seen)}


# A mode's variables in the env file of the setup that runs that mode (held-out round 15: help-to-heat reads
# EMAIL_FILE_PATH only `if EMAIL_BACKEND_TYPE == "FILE":`, and `envs/tests`, which tests/docker-compose.yml
# loads, sets EMAIL_BACKEND_TYPE=FILE beside EMAIL_FILE_PATH): a test compose's env_file documents the reads
# under a branch on a value that file sets. Its other names stay undocumented (a test run's dummy values).
_BOOLISH = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null"})
_MODE_VALUE = re.compile(r"[A-Za-z][\w.-]+")
_HEADER = re.compile(r"^(?P<indent>[ \t]*)(?:el)?if\b(?P<test>.*)$")


def compose_env_files(tracked: Iterable[str], read: Callable[[str], bytes | None] = read_bytes) -> dict[str, dict[str, str]]:
    """{env file: {name: value}} for every tracked file a tracked compose file (tests' too) loads with ``env_file:``."""
    tracked = set(tracked)
    found: dict[str, dict[str, str]] = {}
    from hooks.checks.check_env_documented.docs import parse_source

    for path in sorted(p for p in tracked if COMPOSE_FILE.search(p) and role_of(p) != GENERATED):
        data = read(path)
        text = _text(data) if data is not None and b"env_file" in data else None
        if not text:
            continue
        for ref in scan_compose(path, text):
            if ref.form != "env_file":
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), ref.name))
            if target in found or target not in tracked:
                continue
            body = read(target)
            source = _text(body) if body is not None else None
            found[target] = {e.name: e.value.strip("'\"") for e in parse_source(target, source or "")}
    return found


def mode_documented(reads: Iterable[Read], env_files: Mapping[str, Mapping[str, str]],
                    read: Callable[[str], bytes | None] = read_bytes) -> set[str]:
    """The names read in Python under an ``if``/``elif`` that compares a variable with the
    value (``EMAIL_BACKEND_TYPE == "FILE"``) an env file of ``env_files`` gives that variable,
    when that same file sets the name."""
    documented: set[str] = set()
    lines_of: dict[str, list[str]] = {}
    for r in reads:
        if r.kind != "name" or r.weak or not r.path.endswith(".py"):
            continue
        files = [values for values in env_files.values() if r.name in values]
        if not files:
            continue
        if r.path not in lines_of:
            data = read(r.path)
            lines_of[r.path] = (_text(data) or "").split("\n") if data is not None else []
        tests = _enclosing_tests(lines_of[r.path], r.line)
        if any(re.search(rf"""(?:==\s*|\bin\s*[(\[{{][^)\]}}]*)["']{re.escape(v)}["']|["']{re.escape(v)}["']\s*==""", t)
               for values in files for n, v in values.items()
               if n != r.name and _MODE_VALUE.fullmatch(v) and v.lower() not in _BOOLISH for t in tests if n in t):
            documented.add(r.name)
    return documented


def _enclosing_tests(lines: list[str], line: int) -> list[str]:
    """The tests of the ``if``/``elif`` headers the (1-based) ``line`` sits under, by indentation."""
    if not 1 <= line <= len(lines):
        return []
    here = lines[line - 1]
    indent = len(here) - len(here.lstrip())
    tests: list[str] = []
    for raw in reversed(lines[: line - 1]):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(raw) - len(raw.lstrip())
        if depth >= indent:
            continue
        indent = depth
        m = _HEADER.match(raw)
        if m:
            tests.append(m.group("test"))
        if depth == 0:
            break
    return tests
