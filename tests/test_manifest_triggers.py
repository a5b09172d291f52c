"""The whole-repo hooks run at commit time only when pre-commit selects them: their
`files:`/`types:` in .pre-commit-hooks.yaml must take every file that can be the
source of a finding (else a commit that breaks something skips the hook), and leave
alone files that cannot change the answer (else every commit pays for the hook).
Matched as pre-commit matches: `files`/`exclude` as Python regexes searched in the
path, `types` from identify's tags of the real file."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from identify import identify

from tests.helpers.manifest import HOOKS

# Files a finding of the hook can point at (or read from), as real repos name them.
RELEVANT = {
    "check-health-checks": ["hc/settings.py", "shop/settings/production.py", "shop/urls.py", "app/api/routes/utils.py",
                            "docker-compose.yml", "compose.yaml", "deploy/k8s/web.yaml", "chart/templates/deployment.yaml",
                            "chart/templates/_helpers.tpl", "Dockerfile", "docker/Dockerfile.web", "nginx/default.conf",
                            "deploy/nginx.conf.template"],
    "check-background-jobs": ["shop/celery.py", "shop/settings/production.py", "orders/tasks.py", "gunicorn.conf.py",
                              "uwsgi.ini", "deploy/k8s/cronjob.yaml", "docker-compose.yml", "ops/crontab", "etc/cron.d/backup",
                              "Dockerfile", "docker/entrypoint.sh", "Procfile"],
    "check-security-settings": ["shop/settings/production.py", "app/config.py", "app/main.py", "deploy/nginx.conf",
                                "uwsgi.ini", "setup.cfg", ".env.production", ".envs/.production/.django",
                                "docker/nginx/default.conf.template"],
    "check-cache-rules": ["cache-rules.yaml", "shop/views.py", "deploy/nginx.conf", "pyproject.toml"],
    "check-release-checklist": [".github/workflows/ci.yml", ".gitlab-ci.yml", "tox.ini", "noxfile.py", "Makefile",
                                "pyproject.toml", "setup.cfg", "src/shop/__init__.py", "CHANGELOG.md", "scripts/release.sh"],
}
# Files no finding of the hook can come from: a commit of only these skips it.
# Migrations are history, not the running service (roles.NOT_SERVICE_PATHS): a
# commit of a new migration skips the hooks that read the service.
MIGRATIONS = ["shop/orders/migrations/0042_order_note.py", "migrations/versions/3f2a1b_add_note.py",
              "alembic/versions/2024/3f2a1b_add_note.py"]
IRRELEVANT = {
    "check-health-checks": ["README.md", "static/app.js", "templates/index.html", "requirements.txt", "setup.cfg",
                            *MIGRATIONS],
    "check-background-jobs": ["README.md", "static/app.js", "templates/index.html", "requirements.txt", "app.json",
                              *MIGRATIONS],
    "check-security-settings": ["README.md", "static/app.js", "templates/index.html", "requirements.txt", "app.json",
                                *MIGRATIONS],
    "check-cache-rules": ["README.md", "static/app.js", "templates/index.html", "requirements.txt", "app.yaml",
                          *MIGRATIONS],
    "check-release-checklist": ["README.md", "static/app.js", "shop/views.py", "requirements.txt", "deploy/k8s/web.yaml"],
}


def selected(hook: dict, path: Path, name: str) -> bool:
    if hook.get("always_run"):
        return True
    if not re.search(hook.get("files", ""), name) or ("exclude" in hook and re.search(hook["exclude"], name)):
        return False
    tags = identify.tags_from_path(str(path))
    types, types_or, exclude_types = set(hook.get("types", ["file"])), set(hook.get("types_or", [])), set(hook.get("exclude_types", []))
    return types <= tags and (not types_or or bool(types_or & tags)) and not exclude_types & tags


@pytest.mark.parametrize("hook_id", sorted(RELEVANT))
def test_a_staged_source_of_findings_runs_the_hook_and_others_do_not(hook_id: str, tmp_path: Path) -> None:
    hook = next(h for h in HOOKS if h["id"] == hook_id)
    assert not hook.get("always_run"), "a whole-repo hook declares what can change its answer instead"
    for name in RELEVANT[hook_id] + IRRELEVANT[hook_id]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")
    for name in RELEVANT[hook_id]:
        assert selected(hook, tmp_path / name, name), f"{hook_id} is skipped when {name} is staged"
    for name in IRRELEVANT[hook_id]:
        assert not selected(hook, tmp_path / name, name), f"{hook_id} runs when only {name} is staged"


def test_check_env_documented_stays_always_run() -> None:
    """A commit that only deletes the last read of a variable makes its entry dead,
    and pre-commit passes no deleted file: no `files:` pattern can see that."""
    hook = next(h for h in HOOKS if h["id"] == "check-env-documented")
    assert hook.get("always_run") is True and hook.get("pass_filenames") is False


def test_a_migration_runs_the_migration_hooks_and_not_the_service_readers(tmp_path: Path) -> None:
    for name in MIGRATIONS:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("from alembic import op\n")
    views = tmp_path / "shop" / "views.py"
    views.parent.mkdir(parents=True, exist_ok=True)
    views.write_text("from django.views.decorators.csrf import csrf_exempt\n")
    by_id = {h["id"]: h for h in HOOKS}
    for name in MIGRATIONS:
        assert selected(by_id["require-reversible-migrations"], tmp_path / name, name), name
        assert selected(by_id["check-migration-locks"], tmp_path / name, name), name
        assert not selected(by_id["security-settings-in-one-place"], tmp_path / name, name), name
    assert selected(by_id["security-settings-in-one-place"], views, "shop/views.py")
