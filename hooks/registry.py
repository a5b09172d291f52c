"""Every hook of the collection, in one list: id -> the module that declares it.

The wiring test holds `.pre-commit-hooks.yaml`, the console scripts, the docs
pages, the README and `docs/index.md` against this list. Modules are imported
only when asked for, so a hook's start-up never pays for the others.
"""
from __future__ import annotations

import importlib

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time

if TYPE_CHECKING:
    from hooks.api import Hook

HOOKS: dict[str, str] = {
    "no-duplicate-config-keys": "hooks.no_duplicate_config_keys",
    "no-inline-secrets": "hooks.no_inline_secrets",
    "forbid-env-files": "hooks.forbid_env_files",
    "check-staging-parity": "hooks.check_staging_parity",
    "no-debug-in-production": "hooks.no_debug_in_production",
    "require-rollback-note": "hooks.require_rollback_note",
    "new-config-note": "hooks.new_config_note",
    "rename-legacy-keys": "hooks.rename_legacy_keys",
    "check-cache-rules": "hooks.check_cache_rules",
    "require-reversible-migrations": "hooks.require_reversible_migrations",
    "check-env-documented": "hooks.check_env_documented",
    "check-security-settings": "hooks.check_security_settings",
    "security-settings-in-one-place": "hooks.security_settings_in_one_place",
    "check-health-checks": "hooks.checks.check_health_checks",
}


def get(hook_id: str) -> Hook:
    """The declared hook; KeyError for an unknown id."""
    module = importlib.import_module(HOOKS[hook_id])
    hook: Hook = module.HOOK
    return hook


def ids() -> list[str]:
    return list(HOOKS)
