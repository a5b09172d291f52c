"""Which shell scripts are the service's own: a script's variables are the
deployment's business only when the deployment runs the script.

A script is picked for reading by its name (``reads.SHELL_FILE``): ``run*``,
``start*``, ``*init*``... But ``scripts/run.sh`` may as well be the lint and
test driver that ``scripts/run_tests.sh`` and CI start with the variables set
(eq-survey-runner). So a script counts as an entrypoint when:

- its path says so: a ``Procfile``, a name with ``entrypoint`` or ``docker``
  in it (``docker-entrypoint.sh``, ``bin/docker-entrypoint``, ``docker-run.sh``),
  a script under ``docker/``, ``compose/``, ``deploy/``, ``deployment/``, an
  s6 or runit service's ``run``;
- or something that deploys the service starts it: a Dockerfile ``CMD`` or
  ``ENTRYPOINT`` (also under the name a ``COPY``/``ADD`` gives it), a
  Procfile, a compose file, Kubernetes manifest, Helm chart, ``app.json``,
  ``fly.toml`` or Cloud Foundry manifest that names it, a supervisord
  ``command=`` or a systemd ``ExecStart=``, or a script that is itself an
  entrypoint (``exec ./start-web.sh``).

Any other script is developer tooling: its reads become weak (they keep a
documented entry alive, and are never asked to be documented), like those of
``**/scripts/*.py``.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping

from hooks.checks.check_env_documented.reads import DOCKERFILE, INI_FILE, SHELL_FILE, Read
from hooks.core.records import replace

CONVENTIONAL = re.compile(
    r"(^|/)Procfile[^/]*$|(^|/)[^/]*entrypoint[^/]*$|(^|/)docker[-_][^/]*$"
    r"|(^|/)(docker|compose|deploy|deployment)/|(^|/)(s6-overlay|s6-rc\.d|services\.d|runit|sv)/",
    re.I,
)
# Files that deploy the service and may name a script they start.
_DEPLOY_TEXT = re.compile(r"\.(ya?ml|json|toml)$|(^|/)Procfile[^/]*$")
_UNIT_FILE = re.compile(r"\.service$")
_UNIT_START = re.compile(r"^\s*(?:command|ExecStart\w*|ExecReload)\s*=(.*)$", re.M)
_DOCKER_START = re.compile(r"^\s*(CMD|ENTRYPOINT)\s+(.*)$", re.I)
_DOCKER_COPY = re.compile(r"^\s*(COPY|ADD)\s+(.*)$", re.I)
_DEV_FILE = re.compile(r"(^|/)(docker-)?compose[.-](dev|develop|development|local|override|test|testing|ci|e2e)"
                       r"([.-][\w.-]+)?\.ya?ml$", re.I)
MAX_BYTES = 512 * 1024


def is_conventional(path: str) -> bool:
    return bool(CONVENTIONAL.search(path))


def only_started(reads: list[Read], tracked: Iterable[str], skipped: Callable[[str], bool],
                 read: Callable[[str], bytes | None]) -> list[Read]:
    """``reads`` with those of the shell scripts nothing that deploys the
    service starts made weak."""
    scripts = {r.path for r in reads if r.form == "shell" and not r.weak and not is_conventional(r.path)}
    if not scripts:
        return reads
    tracked = sorted(tracked)
    started = _started(scripts, tracked, skipped, read)
    idle = scripts - started
    return [replace(r, weak=True) if r.path in idle and r.form == "shell" else r for r in reads]


def _mention(name: str, copied: bool = False) -> re.Pattern[str]:
    """A command naming the script ``name``: ``./start.sh``, ``"/app/run_web.sh"``,
    ``bin/start``. A plain word (``start``, ``run``) only with a path before it,
    ``npm start`` is not ``./start``, unless a Dockerfile copied the script
    under that name (``COPY bin/start-web.sh /usr/local/bin/start``)."""
    plain = not re.search(r"[._-]", name) and not copied
    before = r"/" if plain else r"(?<![\w.-])"
    return re.compile(before + re.escape(name) + r"(?![\w.-])")


def _text(data: bytes | None) -> str:
    if data is None or b"\0" in data[:8192]:
        return ""
    return data.decode("utf-8", "replace")


def _started(scripts: set[str], tracked: list[str], skipped: Callable[[str], bool],
             read: Callable[[str], bytes | None], modules: Mapping[str, set[str]] | None = None) -> set[str]:
    """The ``scripts`` something that deploys the service starts. ``modules``: a
    Python file's other names, the dotted module paths ``python -m`` takes."""
    from hooks.repo.roles import CI, DEV, GENERATED, LOCK, TEST_DATA, role_of

    modules = modules or {}
    wanted = {os.path.basename(s) for s in scripts}
    needles = tuple(n.encode() for n in wanted | {m for names in modules.values() for m in names})
    commands: list[str] = []  # text of the commands the deployment runs
    aliases: dict[str, set[str]] = {}  # a script's name -> the names a Dockerfile COPY gives it
    for path in tracked:
        if skipped(path) or path in scripts:
            continue
        docker = bool(DOCKERFILE.search(path))
        deploy = bool(_DEPLOY_TEXT.search(path)) and not _DEV_FILE.search(path)
        unit = bool(INI_FILE.search(path) or _UNIT_FILE.search(path))
        shell = bool(SHELL_FILE.search(path)) and is_conventional(path) and not deploy
        if not (docker or deploy or unit or shell):
            continue
        if role_of(path) in (CI, DEV, GENERATED, LOCK, TEST_DATA):
            continue
        data = read(path)
        if data is None or len(data) > MAX_BYTES or not any(n in data for n in needles):
            continue
        text = _text(data)
        if docker:
            _dockerfile(text, wanted, commands, aliases)
        elif unit:
            commands.extend(m.group(1) for m in _UNIT_START.finditer(text))
        elif shell:
            commands.append(_shell_code(text))
        else:
            commands.append(text)
    started: set[str] = set()
    pending = set(scripts)
    while True:
        found = {s for s in pending if any(_mention(name, name in aliases.get(os.path.basename(s), ())).search(c)
                                           for name in _aliases(s, aliases) | modules.get(s, set())
                                           for c in commands)}
        if not found:
            return started
        started |= found
        pending -= found
        # a started script that starts another: `exec ./scripts/start-web.sh`
        for path in found:
            commands.append(_shell_code(_text(read(path))))


def _aliases(script: str, aliases: dict[str, set[str]]) -> set[str]:
    name = os.path.basename(script)
    return {name} | aliases.get(name, set())


def _shell_code(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("#"))


def _dockerfile(text: str, wanted: set[str], commands: list[str], aliases: dict[str, set[str]]) -> None:
    """The ``CMD``/``ENTRYPOINT`` commands of a Dockerfile, and the names its
    ``COPY``/``ADD`` give the scripts wanted (``ADD docker-run.sh /run.sh``)."""
    logical: list[str] = []
    buf = ""
    for raw in text.split("\n"):
        if not buf and raw.lstrip().startswith("#"):
            continue
        if raw.rstrip().endswith("\\"):
            buf += raw.rstrip()[:-1] + " "
            continue
        logical.append(buf + raw)
        buf = ""
    if buf:
        logical.append(buf)
    for line in logical:
        start = _DOCKER_START.match(line)
        if start:
            commands.append(start.group(2))
            continue
        copy = _DOCKER_COPY.match(line)
        if not copy:
            continue
        body = copy.group(2).strip()
        if body.startswith("["):
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"', body)
        else:
            parts = [p for p in body.split() if not p.startswith("--")]
        if len(parts) < 2 or parts[-1].endswith("/"):
            continue
        dest = os.path.basename(parts[-1])
        for src in parts[:-1]:
            name = os.path.basename(src)
            if name in wanted and dest and dest != name:
                aliases.setdefault(name, set()).add(dest)


# A name a script exports with a value: `export X=v`, `declare -rx X=v`, `typeset -x X=v`,
# or `X=v` and later `export X` (held-out round 11: quality-time's testldap run.sh exports
# LDAP_SSL_KEY... then runs slapd-init.sh, which reads them).
_EXPORT_ASSIGN = re.compile(r"^\s*(?:export|(?:declare|typeset)\s+(?:-\w+\s+)*-\w*x\w*)(?:\s+-\w+)*\s+"
                            r"([A-Z][A-Z0-9_]*)=", re.M)
_PLAIN_ASSIGN = re.compile(r"^\s*([A-Z][A-Z0-9_]*)=", re.M)
_EXPORT_NAMES = re.compile(r"^\s*export\s+((?:[A-Z][A-Z0-9_]*[ \t]*)+)$", re.M)


def exported_names(text: str) -> set[str]:
    """The names a shell script exports with a value, for the scripts it starts."""
    code = _shell_code(text)
    names = {m.group(1) for m in _EXPORT_ASSIGN.finditer(code)}
    assigned = {m.group(1) for m in _PLAIN_ASSIGN.finditer(code)}
    for m in _EXPORT_NAMES.finditer(code):
        names.update(n for n in m.group(1).split() if n in assigned)
    return names


def set_by_sibling(reads: list[Read], tracked: Iterable[str],
                   read: Callable[[str], bytes | None]) -> list[Read]:
    """``reads`` with a shell script's read of a name that another script of its
    folder exports with a value made weak: the script that starts it sets it (it
    keeps an entry alive, and is never asked to be documented). So is a read used
    as the folder of a path (``${SCRIPTPATH}/wait_for_db.sh``) of a name another
    script of the folder assigns (``SCRIPTPATH=$(dirname "$SCRIPT")``): the scripts'
    own convention for where their helpers are, left empty in an image that copies
    them to ``/`` and set inline by CI (held-out round 14: maykinmedia's bin/)."""
    folders = {os.path.dirname(r.path) for r in reads if r.form == "shell" and not r.weak}
    if not folders:
        return reads
    exported: dict[str, dict[str, set[str]]] = {}  # folder -> name -> the scripts exporting it
    assigned: dict[str, dict[str, set[str]]] = {}  # folder -> name -> the scripts assigning it (plain)
    texts: dict[str, str] = {}
    for path in sorted(tracked):
        folder = os.path.dirname(path)
        if folder not in folders or not (SHELL_FILE.search(path) or path.endswith((".sh", ".bash"))):
            continue
        data = read(path)
        if data is None or len(data) > MAX_BYTES:
            continue
        texts[path] = _text(data)
        for name in exported_names(texts[path]):
            exported.setdefault(folder, {}).setdefault(name, set()).add(path)
        for m in _PLAIN_ASSIGN.finditer(_shell_code(texts[path])):
            assigned.setdefault(folder, {}).setdefault(m.group(1), set()).add(path)
    if not exported and not assigned:
        return reads

    def given(r: Read) -> bool:
        folder = os.path.dirname(r.path)
        # the exporting script's own read (`export X=${X:-d}`) stays: it is the deployment's
        if exported.get(folder, {}).get(r.name, set()) - {r.path}:
            return True
        if not assigned.get(folder, {}).get(r.name, set()) - {r.path} or r.path not in texts:
            return False
        lines = texts[r.path].split("\n")
        line = lines[r.line - 1] if 0 < r.line <= len(lines) else ""
        return bool(re.match(rf"\$(?:\{{{r.name}\}}|{r.name}(?!\w))/", line[r.column - 1:]))

    return [replace(r, weak=True) if r.form == "shell" and not r.weak and given(r) else r for r in reads]


# A path a script names in its code: `uwsgi --ini .prod/uwsgi.ini`, `gunicorn -c /app/conf.py`,
# `python deploy/x.py`, `exec ./bin/start-web`.
_PATH_TOKEN = re.compile(r"(?<![\w./$-])(?:\./)?([\w.-]*[./][\w./-]*\w)")


def named_files(text: str, script: str, tracked: set[str]) -> set[str]:
    """The tracked files a script's code (comments left out) names by path: as written
    from the repository root (a container's WORKDIR), from the script's folder, or as
    an absolute path inside the image whose tail is a tracked path (``/app/x.ini``)."""
    folder = os.path.dirname(script)
    found: set[str] = set()
    for m in _PATH_TOKEN.finditer(_shell_code(text)):
        token = m.group(1)
        candidates = [token.lstrip("/"), os.path.normpath(os.path.join(folder, token)).replace(os.sep, "/")]
        parts = token.strip("/").split("/")
        candidates += ["/".join(parts[i:]) for i in range(1, len(parts) - 1)] if token.startswith("/") else []
        target = next((c for c in candidates if c in tracked and c != script), None)
        if target:
            found.add(target)
    return found


def set_by_starter(reads: list[Read], tracked: Iterable[str], skipped: Callable[[str], bool],
                   read: Callable[[str], bytes | None]) -> list[Read]:
    """``reads`` with a read of a name that the entrypoint script starting the file
    exports with a value made weak, whatever the two files' folders (held-out round 12:
    tunnistamo's ``docker-entrypoint.sh`` exports ``MEDIA_URL_ROOTLESS`` just before
    ``uwsgi --ini .prod/uwsgi.ini``, which reads it). The entrypoint is a script whose
    path says so or that the deployment starts; a developer's script (skipped) is not."""
    files = {r.path for r in reads if not r.weak}
    if not files:
        return reads
    tracked = set(tracked)
    scripts = sorted(p for p in tracked if (SHELL_FILE.search(p) or p.endswith((".sh", ".bash")))
                     and not skipped(p))
    texts: dict[str, str] = {}
    for path in scripts:
        data = read(path)
        if data is None or len(data) > MAX_BYTES or b"export" not in data:
            continue
        texts[path] = _text(data)
    if not texts:
        return reads
    entrypoints = {p for p in texts if is_conventional(p)}
    others = set(texts) - entrypoints
    if others:
        entrypoints |= _started(others, sorted(tracked), skipped, read)
    given: dict[str, set[str]] = {}  # started file -> names its starter exports
    for path in sorted(entrypoints):
        names = exported_names(texts[path])
        if not names:
            continue
        for target in named_files(texts[path], path, tracked) & files:
            given.setdefault(target, set()).update(names)
    if not given:
        return reads
    return [replace(r, weak=True) if not r.weak and r.name in given.get(r.path, ()) else r for r in reads]


# The entry modules of a service, which CI also runs (`python manage.py test`): never CI's tooling.
_SERVICE_ENTRY = re.compile(r"(^|/)(manage|wsgi|asgi|app|application|main|server|run|__main__|__init__|"
                            r"settings|config)\.py$")


def only_ci(reads: list[Read], tracked: Iterable[str], skipped: Callable[[str], bool],
            read: Callable[[str], bytes | None]) -> list[Read]:
    """``reads`` with those of the scripts only CI runs made weak: a script a CI
    pipeline names by its path (``uv run python deploy/update_auto_scaling_group.py``,
    ``MIN_SIZE=... ./deploy/x.sh``) and nothing that deploys the service starts is the
    pipeline's tooling (held-out round 12: WhoCanIVoteFor's CodeDeploy scripts, given
    their variables by the CI step), not the service: its variables are the pipeline's."""
    from hooks.repo.roles import CI, role_of

    candidates = {r.path for r in reads if not r.weak and (r.form == "shell" or r.path.endswith(".py"))
                  and not _SERVICE_ENTRY.search(r.path)}
    if not candidates:
        return reads
    tracked = sorted(tracked)
    run: set[str] = set()
    needles = {path: re.compile(r"(?<![\w./-])(?:\./)?" + re.escape(path) + r"(?![\w.-])") for path in candidates}
    for path in tracked:
        if role_of(path) != CI:
            continue
        data = read(path)
        if data is None or len(data) > MAX_BYTES:
            continue
        text = _text(data)
        run.update(p for p, needle in needles.items() if p not in run and needle.search(text))
    if not run:
        return reads
    idle = run - _started(run, tracked, skipped, read)
    return [replace(r, weak=True) if r.path in idle and not r.weak else r for r in reads]


def _module_names(path: str) -> set[str]:
    """The dotted names ``python -m`` may start a module by, from any folder it
    sits in: ``backend/app/jobs/sync.py`` -> ``app.jobs.sync``, ``jobs.sync``..."""
    parts = path[:-3].split("/")
    if parts[-1] == "__main__":
        parts = parts[:-1]
    return {".".join(parts[i:]) for i in range(len(parts) - 1)}


def only_started_main(reads: list[Read], tracked: Iterable[str], skipped: Callable[[str], bool],
                      read: Callable[[str], bytes | None]) -> list[Read]:
    """``reads`` with those under a module's ``if __name__ == "__main__":`` made weak,
    unless the deployment starts that module (a Dockerfile ``CMD``, compose
    ``command:``, Procfile, unit or entrypoint script naming ``x.py`` or ``-m pkg.x``)
    or it is a service's entry module by name (``manage.py``, ``app.py``, ``main.py``...):
    the block of a module the service imports is the developer's manual test (held-out
    round 13: danswer's connectors, given their credentials from the database)."""
    modules = {r.path for r in reads if r.main and not r.weak and r.path.endswith(".py")
               and not _SERVICE_ENTRY.search(r.path)}
    if not modules:
        return reads
    files = sorted(tracked)
    # and the scripts that may start them, themselves started by the deployment (held-out round 13:
    # oadoi's Procfile runs `bash run_worker.sh`, which runs `python queue_pub.py`)
    launchers = {p for p in files if (SHELL_FILE.search(p) or p.endswith((".sh", ".bash")))
                 and not is_conventional(p) and not skipped(p)}
    started = _started(modules | launchers, files, skipped, read, {m: _module_names(m) for m in modules})
    idle = modules - started
    return [replace(r, weak=True) if r.main and r.path in idle else r for r in reads]
