"""What ``docker compose run SERVICE ARGS`` runs when the service's image is built from this repo: the
compose file's ``build:`` (context and dockerfile) and the Dockerfile's ``ENTRYPOINT`` (or the service's own
``entrypoint:``). The arguments go to that entrypoint (``ENTRYPOINT ["/bin/bash", "/app/bin/run"]`` with
``web test`` runs ``bin/run test``). Read as text and YAML; nothing is built or run.
"""
from __future__ import annotations

import json
import posixpath
import re

from hooks.checks.check_release_checklist.shell import words_of
from hooks.core.records import record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Sequence

    from hooks.checks.check_release_checklist.reach import Repo

_DEFAULT_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
_FILE_OPTIONS = frozenset({"-f", "--file"})


@record(frozen=True)
class Service:
    name: str
    dockerfile: str | None  # the repo path of the Dockerfile its image is built from (None: a pulled image)
    target: str | None  # build.target: the stage built
    entrypoint: tuple[str, ...] | None  # the service's own `entrypoint:` (None: the image's)


def compose_files(repo: Repo, words: Sequence[str], cwd: str) -> list[str]:
    """The compose files a ``docker compose …`` command reads: its ``-f`` files, else the default name
    in its folder, else at the repo's top."""
    given: list[str] = []
    rest = list(words[1:])
    while rest:
        word = rest.pop(0)
        if word in _FILE_OPTIONS and rest:
            given.append(rest.pop(0))
        elif word.startswith("--file="):
            given.append(word.split("=", 1)[1])
        elif word in ("run", "exec", "up"):
            break
    if given:
        return [p for p in (posixpath.normpath(posixpath.join(cwd, g)) for g in given) if repo.exists(p)]
    for folder in dict.fromkeys((cwd, "")):
        found = [p for p in (posixpath.normpath(posixpath.join(folder, n)) for n in _DEFAULT_FILES) if repo.exists(p)]
        if found:
            return found[:1]
    return []


def services(repo: Repo, files: Sequence[str]) -> dict[str, Service]:
    """The services of the compose files, later files overriding earlier ones (YAML merge keys followed)."""
    out: dict[str, Service] = {}
    for path in files:
        for name, service in repo.cached("compose-services", path, lambda p: _read_services(repo, p)).items():
            old = out.get(name)
            if old is not None:
                service = Service(name, service.dockerfile or old.dockerfile, service.target or old.target,
                                  service.entrypoint if service.entrypoint is not None else old.entrypoint)
            out[name] = service
    return out


def _read_services(repo: Repo, path: str) -> dict[str, Service]:
    from hooks.checks.check_release_checklist.tree import root

    doc = repo.doc(path)
    top = root(doc) if doc is not None else None
    table = top.get("services") if top is not None else None
    if table is None:
        return {}
    folder = posixpath.dirname(path)
    out: dict[str, Service] = {}
    for name, node in table.mapping().items():
        dockerfile = target = None
        build = node.get("build")
        if build is not None:
            if isinstance(build.value, str):
                context, file = build.value, "Dockerfile"
            else:
                context, file = build.text("context") or ".", build.text("dockerfile") or "Dockerfile"
                target = build.text("target")
            if "://" not in context and not context.startswith(("/", "$")) and not file.startswith("$"):
                dockerfile = posixpath.normpath(posixpath.join(folder, context, file))
        entry = node.get("entrypoint")
        entrypoint: tuple[str, ...] | None = None
        if entry is not None:
            if isinstance(entry.value, list):
                entrypoint = tuple(str(i.value) for i in entry.value if not isinstance(i.value, (dict, list)))
            elif isinstance(entry.value, str):
                entrypoint = words_of(entry.value)
        out[name] = Service(name, dockerfile, target, entrypoint)
    return out


_INSTRUCTION = re.compile(r"^\s*([A-Za-z]+)\s+(.*)$", re.S)
_FROM = re.compile(r"^(?:--\S+\s+)*(\S+)(?:\s+as\s+(\S+))?\s*$", re.I)


def entrypoint(repo: Repo, dockerfile: str, target: str | None) -> tuple[str, ...] | None:
    """The exec-form ``ENTRYPOINT`` of the stage built (``target``, else the last), inherited from the
    stage it is ``FROM``; None when it has none, or only a shell form (which ignores the arguments)."""
    text = repo.text(dockerfile)
    if text is None:
        return None
    stages: list[tuple[str, str, list[str] | None | bool]] = []  # (name, base, ENTRYPOINT; False: shell form)
    for line in _instructions(text):
        match = _INSTRUCTION.match(line)
        if match is None:
            continue
        word, rest = match.group(1).upper(), match.group(2).strip()
        if word == "FROM":
            parts = _FROM.match(rest)
            if parts is not None:
                stages.append(((parts.group(2) or "").lower(), parts.group(1).lower(), None))
        elif word == "ENTRYPOINT" and stages:
            name, base, _ = stages[-1]
            stages[-1] = (name, base, _exec_form(rest))
    if not stages:
        return None
    index = len(stages) - 1
    if target:
        named = [i for i, s in enumerate(stages) if s[0] == target.lower()]
        if not named:
            return None
        index = named[-1]
    for _ in range(len(stages)):
        name, base, value = stages[index]
        if value is not None:
            return tuple(value) if isinstance(value, list) and value else None
        earlier = [i for i in range(index) if stages[i][0] and stages[i][0] == base]
        if not earlier:
            return None
        index = earlier[-1]
    return None


def _exec_form(rest: str) -> list[str] | bool:
    if not rest.startswith("["):
        return False
    try:
        value = json.loads(rest)
    except ValueError:
        return False
    return [str(v) for v in value] if isinstance(value, list) and all(isinstance(v, str) for v in value) else False


def _instructions(text: str) -> list[str]:
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("#") and not current:
            continue
        if stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        out.append(current + stripped)
        current = ""
    if current:
        out.append(current)
    return out
