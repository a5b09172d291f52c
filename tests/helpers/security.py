"""A pure-check harness for the two security hooks: a temporary git repo and
a stand-in for ``runner.Context`` (no argparse, no output), so unit tests stay
in-process and fast."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hooks.core.api import Hook, Problem


class FakeContext:
    def __init__(self, hook: Hook, **options: Any) -> None:
        values = {o.dest: ([] if o.kind == "list" else False if o.kind == "bool" else o.default) for o in hook.options}
        for key, value in options.items():
            assert key in values, key
            values[key] = value
        self.options = SimpleNamespace(**values)
        self.shared = SimpleNamespace(max_file_size=10 * 1024 * 1024, verbose=False)
        self.environments: dict[str, list[str]] | None = None
        self.notices: list[str] = []
        self.output: list[str] = []
        self.checked: list[str] = []
        self.state: Any = None
        if hook.prepare is not None:
            self.state = hook.prepare(self)  # type: ignore[arg-type]

    def load(self, path: str, fmt: str | None = None, strict: bool = False, report_errors: bool = True) -> Any:
        from hooks.config import loaders

        try:
            doc = loaders.load(path, fmt)
        except Exception:
            return None
        return doc if doc is not None and doc.error is None else None

    def environment(self, path: str) -> str | None:
        from hooks.repo.environments import environment_of

        return environment_of(path)

    def notice(self, message: str, always: bool = False, once_per_run: bool = False) -> None:
        self.notices.append(message)

    def emit(self, text: str) -> None:
        self.output.append(text)

    def mark_checked(self, path: str) -> None:
        self.checked.append(path)


def make_repo(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    return root


def run_files_hook(hook: Hook, root: Path, files: dict[str, str], paths: list[str] | None = None,
                   **options: Any) -> tuple[list[Problem], FakeContext]:
    make_repo(root, files)
    old = os.getcwd()
    os.chdir(root)
    try:
        ctx = FakeContext(hook, **options)
        problems = list(hook.check(paths if paths is not None else [], ctx))
    finally:
        os.chdir(old)
    return problems, ctx


def one_place_findings(root: Path, name: str, code: str, strict: bool = True) -> list[tuple[int, tuple[str, ...]]]:
    """security-settings-in-one-place on one file written at ``root/name`` (not a git
    work tree): (line, identity) of each finding. ``strict``: every rule (the rules'
    own tests), not only the default ones."""
    from hooks.checks.security_settings_in_one_place import HOOK, check

    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(code)
    old = os.getcwd()
    os.chdir(root)
    try:
        return [(p.line, p.identity) for p in check(name, FakeContext(HOOK, strict=strict))]
    finally:
        os.chdir(old)


def one_place_repo(root: Path, files: dict[str, str], strict: bool = True) -> list[tuple[str, int, tuple[str, ...]]]:
    """security-settings-in-one-place over ``files`` in a git repo at ``root``, each Python
    file the hook wants checked from there: (path, line, identity) of each finding
    (``strict``: of every rule)."""
    from hooks.checks.security_settings_in_one_place import HOOK, check, wants

    make_repo(root, files)
    old = os.getcwd()
    os.chdir(root)
    try:
        ctx = FakeContext(HOOK, strict=strict)
        return [(path, p.line, p.identity) for path in sorted(files) if path.endswith(".py") and wants(path, ctx)  # type: ignore[arg-type]
                for p in check(path, ctx)]  # type: ignore[arg-type]
    finally:
        os.chdir(old)


# A layered Django project (check-security-settings' held-out rounds 14 and 16)
LAYERED_BASE = '''\
import os

ROOT_URLCONF = "shop.urls"
SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["shop.example.org"]
INSTALLED_APPS = ("django.contrib.sessions", "django.contrib.auth", "session_csrf", "shop")
MIDDLEWARE_CLASSES = (
{middleware}
)
SESSION_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_SSL_REDIRECT = True
X_FRAME_OPTIONS = "DENY"
LOGGING = {{"version": 1, "handlers": {{"console": {{"class": "logging.StreamHandler"}}}},
           "root": {{"handlers": ["console"], "level": "INFO"}}}}
'''

LAYERED_PROD = '''\
from shop.settings.base import *  # noqa

csp = "csp.middleware.CSPMiddleware"
MIDDLEWARE_CLASSES = tuple(m for m in MIDDLEWARE_CLASSES if m not in (csp,))
{extra}
'''

LAYERED_WSGI = '''\
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.prod")
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
'''


def layered_django_lines(tmp_path: Path, middleware: list[str], extra: str = "") -> list[str]:
    """check-security-settings' findings (``path:line: message``) on a Django project whose production
    layer star-imports a base layer holding ``middleware`` as MIDDLEWARE_CLASSES, plus ``extra`` lines."""
    files = {"shop/__init__.py": "", "shop/settings/__init__.py": "",
             "shop/settings/base.py": LAYERED_BASE.format(middleware="\n".join(f"    {m!r}," for m in middleware)),
             "shop/settings/prod.py": LAYERED_PROD.format(extra=extra), "shop/wsgi.py": LAYERED_WSGI,
             "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings.prod')\n"}
    from hooks.checks.check_security_settings import HOOK

    problems, _ = run_files_hook(HOOK, tmp_path, files, None)
    return [f"{p.path}:{p.line}: {p.message}" for p in problems]


COMMON_MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.common.CommonMiddleware",
          "django.middleware.clickjacking.XFrameOptionsMiddleware", "csp.middleware.CSPMiddleware"]
