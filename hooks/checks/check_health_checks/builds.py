"""Which image names the repo builds itself, and from which Dockerfile.

A compose service that pulls ``allegro/ralph:latest`` runs the repo's own code
when the repo's Makefile, a script or a CI file builds that name:
``docker build -f docker/Dockerfile-prod -t $(DOCKER_REPO_NAME)/ralph:latest .``.
Only commands written out are read: ``docker build``, ``docker buildx build``
and ``podman build`` with ``-t``/``--tag``, their ``-f``/``--file`` and context,
a ``cd <dir> &&`` before them on the same line, and Make or shell variables the
same file assigns a literal; and in a GitHub workflow, ``docker/build-push-action``'s
``with:`` (``tags:`` written out or taken from a ``docker/metadata-action`` step's
``images:``). A name built from two different Dockerfiles, or one whose parts are
left to a variable nobody assigns, is not linked.
"""
from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from hooks.core.records import record

_BUILD = re.compile(r"\b(?:docker|podman)\s+(?:buildx\s+)?build\b")
_ASSIGN = re.compile(r"^(?:export\s+)?([A-Za-z_]\w*)\s*(\?=|:=|::=|=)\s*(.*?)\s*$")
_VAR = re.compile(r"\$\(([A-Za-z_]\w*)\)|\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)")
_CI = re.compile(r"(^|/)(\.github/workflows/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.travis\.ya?ml|\.circleci/config\.ya?ml|"
                 r"azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|cloudbuild\.ya?ml|Jenkinsfile)$")


@record
class Build:
    image: str  # the repository part of the -t name: allegro/ralph
    dockerfile: str  # repo path
    context: str  # repo path of the build context
    target: str | None
    where: str  # file:line of the command


def is_build_file(path: str) -> bool:
    """A file that may build the repo's images: a Makefile, a shell script, a CI file."""
    base = os.path.basename(path)
    return base in ("Makefile", "GNUmakefile", "makefile") or base.endswith((".mk", ".sh")) or bool(_CI.search(path))


def repository(image: str) -> str:
    """``docker.io/allegro/ralph:latest`` -> ``allegro/ralph`` (tag and digest dropped)."""
    name = image.strip().strip("\"'").split("@", 1)[0]
    last = name.rsplit("/", 1)
    if ":" in last[-1]:
        name = name[: len(name) - len(last[-1])] + last[-1].split(":", 1)[0]
    name = re.sub(r"^(docker\.io/|index\.docker\.io/)", "", name.lower())
    return re.sub(r"^library/", "", name)


def _logical_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    parts: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not parts:
            start = number
        if line.rstrip().endswith("\\"):
            parts.append(line.rstrip()[:-1])
            continue
        parts.append(line)
        out.append((start, _join(parts)))
        parts = []
    if parts:
        out.append((start, _join(parts)))
    return out


def _join(parts: Sequence[str]) -> str:
    """Continued lines as one, the first line's indent kept (a Makefile recipe starts with a tab)."""
    return parts[0].rstrip() + "".join(" " + p.strip() for p in parts[1:])


def _variables(lines: Sequence[tuple[int, str]]) -> dict[str, str | None]:
    """Variables the file assigns a literal (None: assigned something else, or twice differently)."""
    found: dict[str, str | None] = {}
    for _, line in lines:
        m = _ASSIGN.match(line.strip())
        if not m or line.startswith("\t"):
            continue
        value = m.group(3).strip().strip("\"'")
        # $(shell ...), `...`: what a command prints is not known
        value_or_none: str | None = None if "`" in value or re.search(r"\$[({]\w+[\s,]", value) else value
        name = m.group(1)
        found[name] = value_or_none if name not in found or found[name] == value_or_none else None
    return found


def _expand(word: str, variables: dict[str, str | None]) -> str | None:
    def one(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2) or m.group(3)
        value = variables.get(name)
        if value is None:
            raise KeyError(name)
        return value

    try:
        for _ in range(3):  # a variable made of another one
            if not _VAR.search(word):
                break
            word = _VAR.sub(one, word)
        return None if _VAR.search(word) else word.strip("\"'")
    except KeyError:
        return None


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text, posix=True)
    except ValueError:
        return text.split()


def builds_in(path: str, text: str, exists: Callable[[str], bool]) -> list[Build]:
    """The image builds a file writes out."""
    if _CI.search(path):
        text = wildcards(text)
    lines = _logical_lines(text)
    variables = _variables(lines)
    here = os.path.dirname(path)
    out: list[Build] = []
    for number, line in lines:
        for m in _BUILD.finditer(line):
            before = line[: m.start()]
            cd = re.findall(r"\bcd\s+([^\s;&|]+)\s*&&", before)
            command = re.split(r"&&|\|\||;|\|", line[m.end():], maxsplit=1)[0]
            words = _words(command)
            tags: list[str] = []
            dockerfile = target = None
            positional: list[str] = []
            i = 0
            while i < len(words):
                word = words[i]
                value = words[i + 1] if i + 1 < len(words) else ""
                flag, eq, inline = word.partition("=")
                if flag in ("-t", "--tag", "-f", "--file", "--target") or (word.startswith("-t") and len(word) > 2):
                    if word.startswith("-t") and len(word) > 2 and not word.startswith("--"):
                        tags.append(word[2:])
                        i += 1
                        continue
                    got = inline if eq else value
                    if flag in ("-t", "--tag"):
                        tags.append(got)
                    elif flag in ("-f", "--file"):
                        dockerfile = got
                    else:
                        target = got
                    i += 1 if eq else 2
                    continue
                if word.startswith("-"):
                    # --build-arg X=1, --platform p: options that take a value
                    if not eq and word in ("--build-arg", "--label", "--platform", "--secret", "--ssh", "--cache-from", "--cache-to",
                                           "--network", "--progress", "--output", "-o", "--add-host", "--iidfile", "--build-context"):
                        i += 2
                    else:
                        i += 1
                    continue
                positional.append(word)
                i += 1
            if not tags:
                continue
            context_word = _expand(positional[0], variables) if positional else "."
            file_word = _expand(dockerfile, variables) if dockerfile else None
            if context_word is None or (dockerfile and file_word is None) or context_word.startswith(("http", "git@", "-")):
                continue
            # a Makefile runs in its folder, a CI job at the repo's root, a script from either
            start = [""] if _CI.search(path) else [here, ""] if path.endswith(".sh") else [here]
            bases = [os.path.normpath(os.path.join(start[0], *cd))] if cd else start
            for base in bases:
                context = os.path.normpath(os.path.join(base, context_word))
                # docker resolves -f from the working directory, not the context
                docker = os.path.normpath(os.path.join(base, file_word)) if file_word else os.path.join(context, "Dockerfile")
                if exists(docker):
                    break
            else:
                continue
            for tag in tags:
                head, colon, version = tag.rpartition(":")
                # the version may be left to $(shell git describe): the repository is what names the image
                name = _expand(head if colon and "/" not in version else tag, variables)
                if name and "$" not in name and ("*" not in name or valid_pattern(repository(name))):
                    out.append(Build(repository(name), docker, context, _expand(target, variables) if target else None,
                                     f"{path}:{number}"))
    return out


# What CI fills in at run time: the owner (one path segment) or owner/name (two). A name built
# with them is a pattern: each such segment matches any one segment of a compose/manifest image
# name; the registry and the image's own last segment stay exact.
ANY = "*"
ANY_REGISTRY = "*registry*"
_GITHUB_CONTEXT = re.compile(r"\$\{\{\s*(github\.(actor|repository_owner|repository|triggering_actor)|(secrets|vars)\.\w+)\s*\}\}",
                             re.I)
_GITLAB_CONTEXT = {
    "CI_REGISTRY": ANY_REGISTRY,
    "CI_REGISTRY_IMAGE": f"{ANY_REGISTRY}/{ANY}/{ANY}",
    "CI_PROJECT_PATH": f"{ANY}/{ANY}",
    "CI_PROJECT_NAMESPACE": ANY,
    "CI_REGISTRY_USER": ANY,
}
_GITLAB_VAR = re.compile(r"\$\{?(" + "|".join(sorted(_GITLAB_CONTEXT, key=len, reverse=True)) + r")\b\}?")


def _github_wild(m: re.Match[str]) -> str:
    return f"{ANY}/{ANY}" if m.group(2) and m.group(2).lower() == "repository" else ANY


def wildcards(text: str) -> str:
    """GitHub context expressions and GitLab CI variables that name the repo's owner or path,
    written as wildcard segments: ``ghcr.io/${{ github.actor }}/club`` -> ``ghcr.io/*/club``."""
    text = _GITHUB_CONTEXT.sub(_github_wild, text)
    return _GITLAB_VAR.sub(lambda m: _GITLAB_CONTEXT[m.group(1)], text)


def _registry(segment: str) -> bool:
    return "." in segment or ":" in segment or segment == "localhost"


def valid_pattern(name: str) -> bool:
    """A name with wildcards that can still link: every wildcard a whole segment, the last
    segment (the image's own name) written out."""
    parts = name.split("/")
    if any(("*" in p and p not in (ANY, ANY_REGISTRY)) for p in parts) or ANY_REGISTRY in parts[1:]:
        return False
    return "*" not in parts[-1] and len(parts) > 1


def matches(pattern: str, name: str) -> bool:
    """``ghcr.io/*/club`` matches ``ghcr.io/vas3k/club``; ``*/app`` matches ``vas3k/app`` (Docker
    Hub) but not ``ghcr.io/app``; ``*registry*/*/*/web`` matches ``registry.gitlab.com/g/p/web``."""
    want, have = pattern.split("/"), name.split("/")
    if len(want) != len(have) or want[-1] != have[-1]:
        return False
    for i, (w, h) in enumerate(zip(want, have)):
        if w == ANY_REGISTRY:
            if i != 0 or not _registry(h):
                return False
        elif w == ANY:
            if i == 0 and _registry(h):
                return False  # the registry stays exact
        elif w != h:
            return False
    return True


def find(builds: dict[str, Build | None], image: str) -> Build | None:
    """The repo's one build of an image name: written out, else the one build whose name
    pattern matches (None when none does, or patterns of different Dockerfiles do)."""
    name = repository(image)
    if name in builds:
        return builds[name]
    hits = {(b.dockerfile, b.target): b for p, b in builds.items() if "*" in p and b is not None and matches(p, name)}
    hits_none = any("*" in p and b is None and matches(p, name) for p, b in builds.items())
    return next(iter(hits.values())) if len(hits) == 1 and not hits_none else None


_ACTION_BUILD = "docker/build-push-action"
_EXPRESSION = re.compile(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.tags\s*\}\}")


def workflow_builds(path: str, text: str, exists: Callable[[str], bool]) -> list[Build]:
    """The images a GitHub workflow builds with ``docker/build-push-action``: its ``with:``
    ``context``/``file``/``target`` and ``tags``, written out or taken from a ``docker/metadata-action``
    step of the same job (``tags: ${{ steps.meta.outputs.tags }}`` and that step's ``images:``, an entry
    ``name=docker.io/caronc/apprise,enable=...`` read as its name). A name made of expressions is left out."""
    from hooks.checks.check_health_checks import yamlread

    try:
        docs = list(yamlread.load_all(text))
    except ValueError:
        return []
    jobs = docs[0].get("jobs") if docs and isinstance(docs[0], dict) else None
    top = _literal_env(docs[0].get("env")) if docs and isinstance(docs[0], dict) else {}
    out: list[Build] = []
    for job in jobs.values() if isinstance(jobs, dict) else []:
        steps = job.get("steps") if isinstance(job, dict) else None
        if not isinstance(steps, list):
            continue
        env = {**top, **_literal_env(job.get("env"))}
        ids = {str(st["id"]): st for st in steps if isinstance(st, dict) and "id" in st}
        for step in steps:
            if not (isinstance(step, dict) and str(step.get("uses", "")).startswith(_ACTION_BUILD)):
                continue
            given = step.get("with")
            given = given if isinstance(given, dict) else {}
            context = str(given.get("context") or ".")
            dockerfile = given.get("file")
            if "${{" in context or (dockerfile is not None and "${{" in str(dockerfile)):
                continue
            context = os.path.normpath(context)
            docker = os.path.normpath(str(dockerfile) if dockerfile else os.path.join(context, "Dockerfile"))
            if not exists(docker):
                continue
            names: list[str] = []
            for entry in re.split(r"[\n,]", wildcards(_expand_env(str(given.get("tags") or ""), env))):
                entry = entry.strip()
                meta = _EXPRESSION.fullmatch(entry)
                if meta and isinstance(ids.get(meta.group(1)), dict):
                    images = (ids[meta.group(1)].get("with") or {}).get("images") if isinstance(ids[meta.group(1)].get("with"), dict) else None
                    for line in wildcards(_expand_env(str(images or ""), env)).splitlines():
                        line = line.strip()
                        name = line[len("name="):].split(",", 1)[0] if line.startswith("name=") else line.split(",", 1)[0]
                        if name and "${{" not in name and "=" not in name:
                            names.append(name)
                elif entry:
                    head, colon, version = entry.rpartition(":")
                    name = head if colon and "/" not in version else entry
                    if "${{" not in name:  # the version may be ${{ github.sha }}: the name is what links
                        names.append(name)
            target = given.get("target")
            where = f"{path}:{step.line}" if isinstance(step, yamlread.Map) else path
            names = [n for n in names if "*" not in n or valid_pattern(repository(n))]
            out += [Build(repository(n), docker, context, str(target) if target and "${{" not in str(target) else None, where) for n in names]
    return out


_ENV_EXPRESSION = re.compile(r"\$\{\{\s*env\.(\w+)\s*\}\}")


def _expand_env(value: str, env: dict[str, str]) -> str:
    """``${{ env.REGISTRY }}`` filled from the workflow's or the job's ``env:`` (literals only)."""
    return _ENV_EXPRESSION.sub(lambda m: env.get(m.group(1), m.group(0)), value)


def _literal_env(raw: Any) -> dict[str, str]:
    """A workflow's ``env:`` entries that are written out, or made of the context expressions
    that name the repo's owner (``IMAGE_NAME: ${{ github.repository }}``, kept as wildcards)."""
    if not isinstance(raw, dict):
        return {}
    return {str(k): wildcards(str(v)) for k, v in raw.items() if isinstance(v, (str, int)) and "${{" not in wildcards(str(v))}


def image_builds(files: Sequence[str], read: Callable[[str], str | None], exists: Callable[[str], bool]) -> dict[str, Build | None]:
    """Image repository -> the one build of it (None: built from more than one Dockerfile)."""
    found: dict[str, Build | None] = {}
    for path in files:
        if not is_build_file(path):
            continue
        text = read(path)
        if not text:
            continue
        made = builds_in(path, text, exists) if _BUILD.search(text) else []
        if _ACTION_BUILD in text and "/.github/workflows/" in "/" + path:
            made += workflow_builds(path, text, exists)
        for build in made:
            if build.image not in found:
                found[build.image] = build
                continue
            have = found[build.image]
            if have is not None and (have.dockerfile, have.target) != (build.dockerfile, build.target):
                found[build.image] = None
    return found


# -- compose files CI only builds images from ----------------------------------------------
_COMPOSE_CLI = re.compile(r"\b(?:docker|podman)[ -]compose\b")
_TASKBOOT = re.compile(r"\btaskboot\b(?P<before>[^\n;&|]*?)\bbuild-compose\b(?P<after>[^\n;&|]*)")
_IMAGE_PUSH = re.compile(r"\b(?:docker|podman)\s+(?:image\s+)?push\s+(?:-\S+\s+)*([^\s;&|]+)")
_STACK_DEPLOY = re.compile(r"\bdocker\s+stack\s+deploy\b")
_COMPOSE_OPTIONS = ("-f", "--file", "-p", "--project-name", "--project-directory", "--env-file", "--profile", "--ansi",
                    "--parallel", "--progress")
DEFAULT_COMPOSE = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
BUILD_LIST_NEEDLES: tuple[str | tuple[str, ...], ...] = ("build-compose", ("compose", "build"), ("stack", "deploy"))
BUILD_LIST_PATHSPECS = ("*.yml", "*.yaml", "*.sh", "*Makefile", "*makefile", "*.mk", "*Jenkinsfile")


def is_ci_or_build_file(path: str) -> bool:
    """A file that may hold CI's commands: a build file, or any YAML (a Taskcluster hook, a pipeline)."""
    return is_build_file(path) or path.endswith((".yml", ".yaml"))


def _compose_calls(line: str, here: str) -> Iterator[tuple[str, tuple[str, ...], bool, bool]]:
    """``docker compose [-f a.yml]... <subcommand>`` on a line: (subcommand, the compose files it
    reads (the default names in the working folder when none is given), whether those are the
    defaults, whether ``build --push``)."""
    for m in _COMPOSE_CLI.finditer(line):
        before = line[: m.start()]
        cd = re.findall(r"\bcd\s+([^\s;&|]+)\s*&&", before)
        words = _words(re.split(r"&&|\|\||;|\|", line[m.end():], maxsplit=1)[0])
        given: list[str] = []
        i = 0
        while i < len(words) and words[i].startswith("-"):
            flag, eq, inline = words[i].partition("=")
            if flag in ("-f", "--file"):
                given.append(inline if eq else (words[i + 1] if i + 1 < len(words) else ""))
            i += 1 if eq or flag not in _COMPOSE_OPTIONS else 2
        if i >= len(words):
            continue
        base = os.path.normpath(os.path.join(here, *cd)) if cd else here
        files = tuple(os.path.normpath(os.path.join(base, f)) for f in given if f and "$" not in f)
        if given and len(files) != len(given):
            continue  # -f $COMPOSE_FILE: which file is not known
        yield (words[i], files or tuple(os.path.normpath(os.path.join(base, d)) for d in DEFAULT_COMPOSE), not files,
               "--push" in words[i + 1:])


@record
class BuildList:
    """A compose file CI builds images from and pushes them."""
    where: str  # file:line of the build command
    images: frozenset[str] | None  # the image repositories pushed (None: every image the file builds)


def compose_build_lists(files: Sequence[str], read: Callable[[str], str | None], exists: Callable[[str], bool]) -> dict[str, BuildList]:
    """Compose files a CI file (or a release script) hands to an image builder that pushes what it
    builds: ``taskboot build-compose`` (its ``--compose-file``, else ``docker-compose.yml`` at the
    checkout's root), ``docker compose [-f x.yml] build`` in a file that also runs ``docker compose
    push`` on the same files (or ``build --push``), or that ``docker push``es named images (then only
    the services of those images). Normalised path -> the build. A compose file some file deploys
    with ``docker stack deploy`` is left out: that one runs."""
    found: dict[str, BuildList] = {}
    deployed: set[str] = set()

    def chosen(names: tuple[str, ...], default: bool) -> list[str]:
        there = [n for n in names if exists(n)]
        return there[:1] if default else there  # docker compose reads the first default name it finds

    for path in files:
        if not is_ci_or_build_file(path):
            continue
        text = read(path)
        if not text or ("build-compose" not in text and not _COMPOSE_CLI.search(text) and not _STACK_DEPLOY.search(text)):
            continue
        # a CI job and a Taskcluster task run at the checkout's root; a Makefile or a script in its folder
        here = os.path.dirname(path) if os.path.basename(path) in ("Makefile", "GNUmakefile", "makefile") or path.endswith(".mk") else ""
        lines = _logical_lines(text)
        variables = _variables(lines)
        builds: list[tuple[tuple[str, ...], bool, str]] = []
        pushed: set[tuple[str, ...]] = set()
        images = frozenset(repository(n) for n in (_expand(m.group(1), variables) for m in _IMAGE_PUSH.finditer(text))
                           if n and "$" not in n)
        for number, line in lines:
            for m in _TASKBOOT.finditer(line):
                words = _words(m.group("after"))
                named = [w.split("=", 1)[1] if "=" in w else (words[i + 1] if i + 1 < len(words) else "")
                         for i, w in enumerate(words) if w.split("=", 1)[0] == "--compose-file"]
                if all(n and "$" not in n for n in named):
                    for name in chosen(tuple(os.path.normpath(n) for n in named) or ("docker-compose.yml",), False):
                        found.setdefault(name, BuildList(f"{path}:{number}", None))
            if _STACK_DEPLOY.search(line):
                deployed.update(os.path.normpath(w) for w in re.findall(r"(?:-c|--compose-file)[=\s]+([^\s;&|]+)", line) if "$" not in w)
            for sub, compose_files, default, push in _compose_calls(line, here):
                if sub == "build":
                    builds.append((compose_files, default, f"{path}:{number}"))
                    if push:
                        pushed.add(compose_files)
                elif sub == "push":
                    pushed.add(compose_files)
        for compose_files, default, where in builds:
            if compose_files in pushed or images:
                for name in chosen(compose_files, default):
                    found.setdefault(name, BuildList(where, None if compose_files in pushed else images))
    return {name: made for name, made in found.items() if name not in deployed}
