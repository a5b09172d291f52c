"""Differential test: the hook's statically resolved Celery settings against
Celery's own ``app.conf``, loaded under the production settings module.

For each fixture project (tests/helpers/background_jobs.py) Celery and Django
run in a subprocess: ``DJANGO_SETTINGS_MODULE`` is the module the hook picked
as production, the app module is imported and ``app.conf`` read. The hook reads
the same files with ``ast``. Every setting the hook resolves must equal what
Celery resolves; a setting the hook finds unset must be at Celery's default.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.checks.check_background_jobs import celery_conf
from hooks.common.settings_layers import Resolver, last
from tests.helpers.background_jobs import PROJECTS

pytest.importorskip("celery")
pytest.importorskip("django")

KEYS = ["task_time_limit", "task_soft_time_limit", "task_always_eager", "task_acks_late",
        "task_reject_on_worker_lost", "beat_schedule", "broker_transport_options"]
CELERY_SIDE = '''
import json, sys
sys.path.insert(0, ".")
import importlib
app = importlib.import_module(sys.argv[1]).app
conf = app.conf
out = {}
for key in sys.argv[2:]:
    value = conf[key]
    if key == "beat_schedule":
        value = sorted((name, entry["task"]) for name, entry in (value or {}).items())
    out[key] = value
print(json.dumps(out, default=repr))
'''


def static(root: Path, app_module: str) -> tuple[dict[str, object], str]:
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))

    def read(path: str) -> str | None:
        return (root / path).read_text()

    import os

    here = os.getcwd()
    os.chdir(root)
    try:
        resolver = Resolver(read)
        apps = celery_conf.find_apps(files, read, resolver)
        app = next(a for a in apps if a.path == app_module.replace(".", "/") + ".py")
        if app.source == "django":
            from hooks.repo import production

            modules = celery_conf.settings_modules(app, files, production.environment,
                                                   lambda p: "INSTALLED_APPS" in resolver.module(p).names)
            assert len(modules) == 1, modules
            config = celery_conf.resolve(app, modules[0], resolver, True)
            settings = modules[0][:-3].replace("/", ".")
        else:
            config = celery_conf.resolve(app, app.source, resolver, False)
            settings = ""
    finally:
        os.chdir(here)
    out: dict[str, object] = {}
    for key in KEYS:
        val = last(config.possible(key))
        if val is None:
            continue
        assert val.visible, (key, val)
        value = val.value
        if key == "beat_schedule":
            value = sorted([name, entry["task"]] for name, entry in value.items())
        out[key] = value
    return out, settings


@pytest.mark.parametrize(("name", "files", "_settings", "app_module"), PROJECTS, ids=[p[0] for p in PROJECTS])
def test_static_settings_agree_with_celery(tmp_path: Path, name: str, files: dict[str, str], _settings: str, app_module: str) -> None:
    for path, text in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    ours, settings = static(tmp_path, app_module)
    env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    if settings:
        env["DJANGO_SETTINGS_MODULE"] = settings
    done = subprocess.run([sys.executable, "-c", CELERY_SIDE, app_module, *KEYS], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    theirs = json.loads(done.stdout)
    defaults = {"task_time_limit": None, "task_soft_time_limit": None, "task_always_eager": False, "task_acks_late": False,
                "task_reject_on_worker_lost": None, "beat_schedule": [], "broker_transport_options": {}}
    for key in KEYS:
        expected = theirs[key]
        if key == "beat_schedule":
            expected = [list(e) for e in expected]
        got = ours.get(key, defaults[key])
        if isinstance(got, (int, float)) and not isinstance(got, bool) and isinstance(expected, (int, float)):
            assert float(got) == float(expected), (name, key, got, expected)
        else:
            assert got == expected, (name, key, got, expected)
