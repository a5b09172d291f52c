"""What production runs: the settings modules named by ``DJANGO_SETTINGS_MODULE``
(or ``--settings``) where the service starts — ``wsgi.py``/``asgi.py``, the
Dockerfile, compose files, a Procfile, Kubernetes manifests, uWSGI/gunicorn
configs (not ``manage.py``, which names what developers run) — and the framework versions the repo pins.

Read line by line with regexes; nothing is imported or run. Files of tests,
docs, CI and developers' environments never say what production runs.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence

from hooks.repo.environments import DEFAULT_PATTERNS, DEVELOPMENT, PRODUCTION, TEST, environment_of

# DJANGO_SETTINGS_MODULE = / os.environ['DJANGO_SETTINGS_MODULE'] = / : / , / ENV name value / ${DJANGO_SETTINGS_MODULE:-x.y}, then the dotted module
# (a package folder may hold a hyphen: import_module("adhocracy-plus.config.settings.docker") imports it)
_DSM = re.compile(r"""DJANGO_SETTINGS_MODULE['"]?\]?\s*(?:[,:=]|:-|\s)\s*(?:f(?=['"]))?['"]?([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+)""")
_DSM_K8S = re.compile(r"""name:\s*['"]?DJANGO_SETTINGS_MODULE['"]?\s*\n\s*value:\s*['"]?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)""")
_SETTINGS_FLAG = re.compile(r"--settings[= ]['\"]?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)")
_RUN_FILE = re.compile(
    r"(?ix)( (^|/)(wsgi|asgi)\.py$ | (^|/)(wsgi|asgi)/[^/]+\.py$ | (^|/)Dockerfile[^/]* | (^|/)Procfile[^/]*$"
    r" | [^/]\.dockerfile$ | (^|/)(docker-)?compose[^/]*\.ya?ml$ | \.ya?ml$ | (^|/)(uwsgi|gunicorn)[^/]*$ | \.ini$ | (^|/)app\.json$"
    r" | (^|/)fly\.toml$ | \.service$ | (^|/)entrypoint[^/]*\.sh$ | (^|/)(start|run|docker-entrypoint)[^/]*\.sh$ )")
# Never what production runs: tests, docs, CI, developers' machines.
_NOT_RUN = re.compile(
    r"(?i)(^|/)(tests?|testing|docs?|examples?|\.github|\.gitlab|\.circleci|\.devcontainer|\.vscode|node_modules|"
    r"fixtures|test_?data|e2e|playwright|cypress|devstack)/|(^|/)(\.gitlab-ci\.yml|tox\.ini|noxfile\.py|\.pre-commit[^/]*|"
    r"mkdocs\.ya?ml|\.readthedocs\.ya?ml|docker-compose\.override[^/]*|setup\.cfg|pytest\.ini|mypy\.ini)$")
_MAX_BYTES = 200_000
# Settings modules used to build or test, never served.
_BUILD = re.compile(r"(?i)(^|[/_.-])(build|collectstatic|docs|ci|test|tests|testing|unittest|pytest|lint|mypy)([/_.-]|\.py$)")


def _small_text(path: str, read: Callable[[str], str | None]) -> str | None:
    """The text of a start-up file, or None when it is missing or over ``_MAX_BYTES`` (not a start-up file)."""
    try:
        if os.path.getsize(path) > _MAX_BYTES:
            return None
    except OSError:
        return None
    return read(path)


def is_build_or_test(path: str) -> bool:
    """``settings/build.py``, ``settings_test.py``, ``ci_settings.py``: not what production serves."""
    return bool(_BUILD.search(os.path.basename(path)))


def is_run_file(path: str, environments: dict[str, Sequence[str]] | None = None) -> bool:
    """A file that starts the service in production (Dockerfile, compose, Procfile, a manifest), not a developer's or CI's."""
    return bool(_RUN_FILE.search(path)) and not _NOT_RUN.search(path) and environment_of(path, environments) not in (DEVELOPMENT, TEST)


def settings_run(files: Sequence[str], read: Callable[[str], str | None],
                 module_file: Callable[[str, Sequence[str]], str | None],
                 environments: dict[str, Sequence[str]] | None = None,
                 placed: dict[str, str] | None = None, unresolved: list[str] | None = None,
                 every: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """(settings file, where it is named) for each module the service's start-up
    files name in ``DJANGO_SETTINGS_MODULE``; a module named only for
    development or tests is left out.

    A per-install ``settings_local``/``local_settings`` module that a production
    start-up names is the production layer, not a developer's (``local`` in its
    name is the convention, not the environment): the tracked file the production
    image copies into its place, else a production-named template of it
    (``settings_local.prod.py.example``), else the module or the template beside it.
    ``placed`` gets where such a file is put (its relative imports are read from
    there); ``unresolved`` gets where a start-up names one the repo holds no file of."""
    every = files if every is None else every
    found: dict[str, str] = {}
    defaults: dict[str, str] = {}  # os.environ.setdefault in wsgi.py/asgi.py: what runs unless the server says otherwise
    for path in files:
        # manage.py names what developers run (runserver): the servers' files say what production runs
        if not _RUN_FILE.search(path) or _NOT_RUN.search(path):
            continue
        if environment_of(path, environments) in (DEVELOPMENT, TEST):
            continue  # docker-compose.dev.yml, Dockerfile.test
        text = _small_text(path, read)
        if not text or ("DJANGO_SETTINGS_MODULE" not in text and "--settings" not in text):
            continue
        for dotted, line in _named(text):
            if dotted.endswith("."):  # "pkg.settings." + country: each module of the package is an entry point
                for entry in _package_entries(dotted[:-1], every, read, environments):
                    (defaults if path.endswith(".py") else found).setdefault(entry, f"{path}:{line}")
                continue
            target = module_file(dotted, files)
            if is_local_layer(dotted):
                target, where = _local_layer_file(dotted, target, every, read, environments)
                if target is None:
                    if unresolved is not None:
                        unresolved.append(f"{path}:{line}")
                    continue
                if placed is not None and where and where != target:
                    placed[os.path.normpath(target)] = where
                if _per_install_environment(target, environments) in (DEVELOPMENT, TEST) or is_build_or_test(target):
                    continue
            elif target is None or environment_of(target, environments) in (DEVELOPMENT, TEST) or is_build_or_test(target):
                continue
            (defaults if path.endswith(".py") else found).setdefault(os.path.normpath(target), f"{path}:{line}")
    return sorted((found or defaults).items())


# The per-install layer of legacy Django projects: made on each host (often from a template), production's own settings.
_LOCAL_LAYER = re.compile(r"(?i)^(settings_?local|local_?settings)$")
# COPY/ADD in a Dockerfile, a bind mount in a compose file: what the image or container puts where
_COPY = re.compile(r"(?im)^\s*(?:COPY|ADD)\s+(?:--\S+\s+)*(?P<src>[^\s\[]\S*)\s+(?P<dest>\S+)\s*$")
_MOUNT = re.compile(r"""(?m)^\s*-\s*['"]?(?P<src>\.{1,2}/[^:'"\s]+):(?P<dest>/[^:'"\s]+)""")
_TEMPLATE_EXT = ("example", "sample", "dist", "template", "tpl", "default")
# An ini is also made at build time from ``X.ini.in`` (``make``/``envsubst`` over a template)
_INI_TEMPLATE_EXT = (*_TEMPLATE_EXT, "in")


def is_local_layer(dotted: str) -> bool:
    """``mainsite.settings_local``, ``project.local_settings``: the per-install settings module."""
    return bool(_LOCAL_LAYER.match(dotted.rpartition(".")[2]))


def _per_install_environment(path: str, environments: dict[str, Sequence[str]] | None) -> str | None:
    """The environment of a per-install layer's file, ``local`` (its name) not read as development:
    ``settings_local.prod.py.example`` is production, ``settings_local.dev.py`` development."""
    patterns = environments or DEFAULT_PATTERNS
    return environment_of(path, {env: [w for w in words if w.lower() != "local"] for env, words in patterns.items()})


def _local_layer_file(dotted: str, target: str | None, files: Sequence[str], read: Callable[[str], str | None],
                      environments: dict[str, Sequence[str]] | None) -> tuple[str | None, str]:
    """(the file production runs as the per-install module ``dotted``, the repo path it is put at)."""
    tail = dotted.replace(".", "/") + ".py"
    home = _module_home(dotted, target, files)
    tracked = set(files)

    def template_of(src: str) -> str | None:
        if src in tracked:
            return src
        return next((f"{src}.{ext}" for ext in _TEMPLATE_EXT if f"{src}.{ext}" in tracked), None)

    # 1. the file a production image copies (or a production compose file mounts) into the module's place
    for f in files:
        name = os.path.basename(f)
        dockerfile, compose = name.startswith("Dockerfile"), bool(re.search(r"(?i)compose[^/]*\.ya?ml$", name))
        if not (dockerfile or compose) or _NOT_RUN.search(f) or environment_of(f, environments) in (DEVELOPMENT, TEST):
            continue
        text = read(f) or ""
        if tail.rpartition("/")[2] not in text:
            continue
        for m in (_COPY if dockerfile else _MOUNT).finditer(text):
            dest = m.group("dest").rstrip("/")
            if not (dest.endswith("/" + tail) or dest == tail):
                continue
            src = os.path.normpath(m.group("src"))
            if compose:
                src = os.path.normpath(os.path.join(os.path.dirname(f), src))
            found = template_of(src)
            if found and _per_install_environment(found, environments) not in (DEVELOPMENT, TEST):
                return found, home or found
    # 2. a production-named template of it (settings_local.prod.py.example, local_settings_production.py)
    stem = tail.rpartition("/")[2][: -len(".py")]
    named = re.compile(rf"(?i)^{re.escape(stem)}[._-]\w+\.py(\.({'|'.join(_TEMPLATE_EXT)}))?$")
    for f in files:
        if named.match(os.path.basename(f)) and not _NOT_RUN.search(f) and _per_install_environment(f, environments) == PRODUCTION:
            return f, home or f
    # 3. the module itself, or the template beside it
    return target, target or ""


def _module_home(dotted: str, target: str | None, files: Sequence[str]) -> str:
    """Where the module ``dotted`` sits in the repo (``apps/mainsite/settings_local.py``), tracked or not."""
    if target is not None:
        stem, dot, ext = target.rpartition(".")
        return stem if dot and ext in _TEMPLATE_EXT else target
    package, _, last = dotted.rpartition(".")
    folder = package.replace(".", "/")
    for f in files:
        d = os.path.dirname(f)
        if f.endswith(".py") and (d == folder or d.endswith("/" + folder)):
            return f"{d}/{last}.py"
    return ""


# After the literal package of a module name built at run time: "pkg.settings." + country,
# "pkg.settings.%s" % country, f"pkg.settings.{country}", "pkg.settings.{}".format(country)
_BUILT_TAIL = re.compile(r"""\.(?:['"]\s*\+|%s['"]\s*%|\{[^}'"\n]*\}['"])""")


def _named(text: str) -> Iterable[tuple[str, int]]:
    """(dotted module, line) for each module a start-up names; a module name built at run time
    from a literal package prefix is given as the package with a trailing dot (``pkg.settings.``)."""
    for pattern in (_DSM, _DSM_K8S, _SETTINGS_FLAG):
        for m in pattern.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if text[line_start:m.start()].lstrip().startswith("#"):
                continue  # a comment
            built = pattern is _DSM and _BUILT_TAIL.match(text, m.end(1))
            yield m.group(1) + ("." if built else ""), text.count("\n", 0, m.start(1)) + 1


def _package_entries(package: str, files: Sequence[str], read: Callable[[str], str | None],
                     environments: dict[str, Sequence[str]] | None) -> list[str]:
    """The modules of ``package`` a start-up can name when it builds the module name at run time
    (``"pombola.settings." + country``): each module of the package folder, leaving out its
    ``__init__``, shared layers (``base``, ``*_base``, a module another one star-imports), and
    modules for development, tests or builds."""
    init = module_file_in(package + ".__init__", files)
    if init is None:
        return []
    folder = os.path.dirname(init)
    modules = [f for f in files if os.path.dirname(f) == folder and f.endswith(".py") and not f.endswith("/__init__.py")]
    texts = {f: read(f) or "" for f in modules}
    out = []
    for f in modules:
        stem = os.path.basename(f)[: -len(".py")]
        if stem == "base" or stem.endswith("_base") or is_build_or_test(f) or _NOT_RUN.search(f) \
                or environment_of(f, environments) in (DEVELOPMENT, TEST):
            continue
        star = re.compile(rf"(?m)^\s*from\s+(?:\.|{re.escape(package)}\.){re.escape(stem)}\s+import\s+\*")
        if any(star.search(texts[g]) for g in modules if g != f):
            continue  # a layer the other modules build on
        out.append(os.path.normpath(f))
    return out


def module_file_in(dotted: str, files: Sequence[str]) -> str | None:
    """``pkg.settings.__init__`` -> ``src/pkg/settings/__init__.py`` among ``files``."""
    tail = dotted.replace(".", "/") + ".py"
    return next((f for f in files if f == tail or f.endswith("/" + tail)), None)


# ---- the Pyramid (PasteDeploy) ini production starts ---------------------------

# pserve [opts] X.ini, paster serve X.ini, gunicorn ... --paste(r) X.ini, uwsgi ... --ini-paste(-logged) X.ini
# (also the exec form: CMD ["pserve", "/app/x.ini"]); in a uWSGI ini: ini-paste = X.ini, paste = config:X.ini
_PASTE_COMMAND = re.compile(
    r"""(?:\bpserve|\bpaster["',\s]+serve|\bgunicorn\b[^\n]*?\s["']?--paster?|\buwsgi\b[^\n]*?\s["']?--ini-paste(?:-logged)?)"""
    r"""(?:["',=\s]+-{1,2}[\w-]+(?:=[^\s"',]*)?)*["',=\s]+(?:config:)?(?P<ini>[^\s"',\]\[;]+\.ini)\b""")
_PASTE_OPTION = re.compile(r"""(?m)^\s*(?:ini-paste(?:-logged)?|paste)\s*=\s*(?:config:)?(?P<ini>[^\s;#]+\.ini)\b""")


def paste_inis(files: Sequence[str], read: Callable[[str], str | None],
               environments: dict[str, Sequence[str]] | None = None, every: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """(ini file, where it is named) for each PasteDeploy ini a production start-up serves:
    ``pserve``, ``gunicorn --paste``, uWSGI's ``ini-paste``/``paste = config:`` in a Dockerfile,
    compose file, Procfile, systemd unit, entrypoint script or uWSGI ini, as Django's settings
    are found from ``DJANGO_SETTINGS_MODULE`` there. A path inside the image (``pserve
    "$CONFIG_DIR/app.ini"``) is the tracked file the Dockerfile copies there, else the tracked
    file (or template, ``app.ini.example``) of that name; one for development or tests is left out."""
    found: dict[str, str] = {}
    every = files if every is None else every
    tracked = set(every)
    for path in files:
        if not is_run_file(path, environments):
            continue
        text = _small_text(path, read)
        if not text or ("paste" not in text and "pserve" not in text):
            continue
        for pattern in (_PASTE_COMMAND, _PASTE_OPTION):
            for m in pattern.finditer(text):
                line_start = text.rfind("\n", 0, m.start()) + 1
                if text[line_start:m.start()].lstrip().startswith(("#", ";")) or "--reload" in m.group(0):
                    continue  # a comment; pserve --reload is a developer's server
                target = _ini_file(m.group("ini"), path, text, every, tracked)
                if target is None or environment_of(target, environments) in (DEVELOPMENT, TEST) or _NOT_RUN.search(target):
                    continue
                found.setdefault(target, f"{path}:{text.count(chr(10), 0, m.start('ini')) + 1}")
    return sorted(found.items())


def _ini_file(named: str, run_file: str, text: str, files: Sequence[str], tracked: set[str]) -> str | None:
    """The tracked file (or template of it) that a start-up's ini path ``named`` is."""
    def template_of(src: str) -> str | None:
        src = os.path.normpath(src)
        if src in tracked:
            return src
        return next((f"{src}.{ext}" for ext in _INI_TEMPLATE_EXT if f"{src}.{ext}" in tracked), None)

    name = named.replace("\\", "/").rpartition("/")[2]
    if not name or "$" in name or "%" in name:
        return None
    here = os.path.dirname(run_file)
    if not named.startswith(("/", "$", "%", "~")):  # relative to where the start-up runs: its folder, or the repo root
        for base in (here, ""):
            got = template_of(os.path.join(base, named))
            if got:
                return got
    if "dockerfile" in os.path.basename(run_file).lower():
        for m in _COPY.finditer(text):
            dest = m.group("dest").rstrip("/")
            if dest.rpartition("/")[2] == name or dest.endswith("/" + name):
                got = template_of(os.path.join(here, m.group("src"))) or template_of(m.group("src"))
                if got:
                    return got
    # Any tracked file of that name: the one whose folders match the named path best
    parts = named.replace("\\", "/").split("/")
    best: tuple[int, str] | None = None
    for f in files:
        stem, dot, ext = os.path.basename(f).rpartition(".")
        if os.path.basename(f) != name and not (dot and ext in _INI_TEMPLATE_EXT and stem == name):
            continue
        own = (f[: -len(ext) - 1] if os.path.basename(f) != name else f).split("/")
        score = next((i for i in range(1, min(len(own), len(parts)) + 1) if own[-i] != parts[-i]), min(len(own), len(parts)) + 1)
        if best is None or score > best[0]:
            best = (score, f)
    return best[1] if best else None


# ---- pinned versions -------------------------------------------------------

_PIN_FILE = re.compile(
    r"(?i)(^|/)(requirements[^/]*\.(txt|in)|requirements/[^/]+\.(txt|in)|pyproject\.toml|setup\.cfg|setup\.py|Pipfile|Pipfile\.lock"
    r"|poetry\.lock|uv\.lock|pdm\.lock|constraints[^/]*\.txt)$"
)


_VENDORED = re.compile(r"(?i)(^|/)(vendor[^/]*|third_party|site-packages|node_modules)/")


def pinned_version(files: Sequence[str], read: Callable[[str], str | None], package: str) -> tuple[int, ...] | None:
    """The lowest version of ``package`` the repo pins or requires at least
    (``Flask==3.0.3``, ``flask>=2.2,<3``, ``Flask~=3.1.2``, a lock file's
    ``name = "flask"`` / ``version = "3.0.3"``), or None when it says nothing."""
    name = re.escape(package)
    spec = re.compile(rf"""(?im)^\s*['"]?{name}(?:\[[^\]]*\])?['"]?\s*(?:==|~=|>=|===|=\s*['"][=~>^]*)\s*['"]?([0-9]+(?:\.[0-9]+)*)""")
    lock = re.compile(rf"""(?im)^name\s*=\s*['"]{name}['"]\s*\n\s*version\s*=\s*['"]([0-9]+(?:\.[0-9]+)*)""")
    pipfile_lock = re.compile(rf"""(?is)['"]{name}['"]\s*:\s*\{{[^}}]*?['"]version['"]\s*:\s*['"]==([0-9]+(?:\.[0-9]+)*)""")
    versions: list[tuple[int, ...]] = []
    for path in files:
        if not _PIN_FILE.search(path) or _NOT_RUN.search(path) or _VENDORED.search(path):
            continue  # a vendored package's own requirements pin nothing for the service
        text = read(path) or ""
        if package.lower() not in text.lower():
            continue
        for pattern in (spec, lock, pipfile_lock):
            for m in pattern.finditer(text):
                versions.append(tuple(int(p) for p in m.group(1).split(".")))
    return min(versions) if versions else None
