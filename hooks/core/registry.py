"""Every hook of the collection, in one list: id -> the module that declares it.

The wiring test holds `.pre-commit-hooks.yaml`, the console scripts, the docs
pages, the README and `docs/index.md` against this list. Modules are imported
only when asked for, so a hook's start-up never pays for the others.
"""
from __future__ import annotations

import importlib

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time

if TYPE_CHECKING:
    from hooks.core.api import Hook

HOOKS: dict[str, str] = {
    "no-duplicate-config-keys": "hooks.checks.no_duplicate_config_keys",
    "no-inline-secrets": "hooks.checks.no_inline_secrets",
    "forbid-env-files": "hooks.checks.forbid_env_files",
    "check-staging-parity": "hooks.checks.check_staging_parity",
    "no-debug-in-production": "hooks.checks.no_debug_in_production",
    "require-rollback-note": "hooks.checks.require_rollback_note",
    "new-config-note": "hooks.checks.new_config_note",
    "rename-legacy-keys": "hooks.checks.rename_legacy_keys",
    "check-cache-rules": "hooks.checks.check_cache_rules",
    "require-reversible-migrations": "hooks.checks.require_reversible_migrations",
    "check-env-documented": "hooks.checks.check_env_documented",
    "check-security-settings": "hooks.checks.check_security_settings",
    "security-settings-in-one-place": "hooks.checks.security_settings_in_one_place",
    "check-health-checks": "hooks.checks.check_health_checks",
    "check-background-jobs": "hooks.checks.check_background_jobs",
    "check-release-checklist": "hooks.checks.check_release_checklist",
    "check-migration-locks": "hooks.checks.check_migration_locks",
}


def get(hook_id: str) -> Hook:
    """The declared hook; KeyError for an unknown id."""
    module = importlib.import_module(HOOKS[hook_id])
    hook: Hook = module.HOOK
    return hook


def ids() -> list[str]:
    return list(HOOKS)
