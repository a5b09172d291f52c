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

from hooks.repo.environments import DEVELOPMENT, TEST, environment_of

# DJANGO_SETTINGS_MODULE = / : / , / ENV name value / ${DJANGO_SETTINGS_MODULE:-x.y}, then the dotted module
# (a package folder may hold a hyphen: import_module("adhocracy-plus.config.settings.docker") imports it)
_DSM = re.compile(r"""DJANGO_SETTINGS_MODULE['"]?\s*(?:[,:=]|:-|\s)\s*['"]?([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+)""")
_DSM_K8S = re.compile(r"""name:\s*['"]?DJANGO_SETTINGS_MODULE['"]?\s*\n\s*value:\s*['"]?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)""")
_SETTINGS_FLAG = re.compile(r"--settings[= ]['\"]?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)")
_RUN_FILE = re.compile(
    r"(?ix)( (^|/)(wsgi|asgi)\.py$ | (^|/)(wsgi|asgi)/[^/]+\.py$ | (^|/)Dockerfile[^/]* | (^|/)Procfile[^/]*$"
    r" | (^|/)(docker-)?compose[^/]*\.ya?ml$ | \.ya?ml$ | (^|/)(uwsgi|gunicorn)[^/]*$ | \.ini$ | (^|/)app\.json$"
    r" | (^|/)fly\.toml$ | \.service$ | (^|/)entrypoint[^/]*\.sh$ | (^|/)(start|run|docker-entrypoint)[^/]*\.sh$ )")
# Never what production runs: tests, docs, CI, developers' machines.
_NOT_RUN = re.compile(
    r"(?i)(^|/)(tests?|testing|docs?|examples?|\.github|\.gitlab|\.circleci|\.devcontainer|\.vscode|node_modules|"
    r"fixtures|test_?data|e2e|playwright|cypress|devstack)/|(^|/)(\.gitlab-ci\.yml|tox\.ini|noxfile\.py|\.pre-commit[^/]*|"
    r"mkdocs\.ya?ml|\.readthedocs\.ya?ml|docker-compose\.override[^/]*|setup\.cfg|pytest\.ini|mypy\.ini)$")
_MAX_BYTES = 200_000
# Settings modules used to build or test, never served.
_BUILD = re.compile(r"(?i)(^|[/_.-])(build|collectstatic|docs|ci|test|tests|testing|unittest|pytest|lint|mypy)([/_.-]|\.py$)")


def is_build_or_test(path: str) -> bool:
    """``settings/build.py``, ``settings_test.py``, ``ci_settings.py``: not what production serves."""
    return bool(_BUILD.search(os.path.basename(path)))


def is_run_file(path: str, environments: dict[str, Sequence[str]] | None = None) -> bool:
    """A file that starts the service in production (Dockerfile, compose, Procfile, a manifest), not a developer's or CI's."""
    return bool(_RUN_FILE.search(path)) and not _NOT_RUN.search(path) and environment_of(path, environments) not in (DEVELOPMENT, TEST)


def settings_run(files: Sequence[str], read: Callable[[str], str | None],
                 module_file: Callable[[str, Sequence[str]], str | None],
                 environments: dict[str, Sequence[str]] | None = None) -> list[tuple[str, str]]:
    """(settings file, where it is named) for each module the service's start-up
    files name in ``DJANGO_SETTINGS_MODULE``; a module named only for
    development or tests is left out."""
    found: dict[str, str] = {}
    defaults: dict[str, str] = {}  # os.environ.setdefault in wsgi.py/asgi.py: what runs unless the server says otherwise
    for path in files:
        # manage.py names what developers run (runserver): the servers' files say what production runs
        if not _RUN_FILE.search(path) or _NOT_RUN.search(path):
            continue
        if environment_of(path, environments) in (DEVELOPMENT, TEST):
            continue  # docker-compose.dev.yml, Dockerfile.test
        try:
            if os.path.getsize(path) > _MAX_BYTES:
                continue
        except OSError:
            continue
        text = read(path)
        if not text or ("DJANGO_SETTINGS_MODULE" not in text and "--settings" not in text):
            continue
        for dotted, line in _named(text):
            target = module_file(dotted, files)
            if target is None or environment_of(target, environments) in (DEVELOPMENT, TEST) or is_build_or_test(target):
                continue
            (defaults if path.endswith(".py") else found).setdefault(os.path.normpath(target), f"{path}:{line}")
    return sorted((found or defaults).items())


def _named(text: str) -> Iterable[tuple[str, int]]:
    for pattern in (_DSM, _DSM_K8S, _SETTINGS_FLAG):
        for m in pattern.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if text[line_start:m.start()].lstrip().startswith("#"):
                continue  # a comment
            yield m.group(1), text.count("\n", 0, m.start(1)) + 1


# ---- pinned versions -------------------------------------------------------

_PIN_FILE = re.compile(
    r"(?i)(^|/)(requirements[^/]*\.(txt|in)|pyproject\.toml|setup\.cfg|setup\.py|Pipfile|Pipfile\.lock"
    r"|poetry\.lock|uv\.lock|pdm\.lock|constraints[^/]*\.txt)$"
)


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
        if not _PIN_FILE.search(path) or _NOT_RUN.search(path):
            continue
        text = read(path) or ""
        if package.lower() not in text.lower():
            continue
        for pattern in (spec, lock, pipfile_lock):
            for m in pattern.finditer(text):
                versions.append(tuple(int(p) for p in m.group(1).split(".")))
    return min(versions) if versions else None
