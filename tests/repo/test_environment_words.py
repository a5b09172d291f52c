"""An environment word counts as a whole path segment, a file name's word or
an affix of a folder name, never inside a longer folder name (held-out round
(first wave) 2: ``seed_stage_based_messaging/settings.py`` was read as staging)."""
from __future__ import annotations

import pytest

from hooks.checks.check_staging_parity.pairing import candidates
from hooks.repo import roles
from hooks.repo.environments import DEFAULT_PATTERNS, environment_of


@pytest.mark.parametrize("path,env", [
    ("config/settings/staging.py", "staging"),
    ("settings_staging.py", "staging"),
    ("settings-prod.ini", "production"),
    ("production.ini", "production"),
    (".env.staging", "staging"),
    (".envs/.production/.django", "production"),
    ("docker-compose.prod.yml", "production"),
    ("core/settings/prod_docker.py", "production"),
    ("helm/values-prod-eu.yaml", "production"),  # every word of a file name counts
    ("deploy/prod/app.yaml", "production"),
    ("deploy-prod/app.yaml", "production"),  # affix of a folder name
    ("k8s_staging/app.yaml", "staging"),
    ("deploy/prod/values-staging.yaml", "staging"),  # the file name decides first
])
def test_environment_words_that_count(path: str, env: str) -> None:
    assert environment_of(path) == env


@pytest.mark.parametrize("path", [
    "seed_stage_based_messaging/settings.py",
    "seed_stage_based_messaging/celery.py",
    "my_prod_line_app/settings.py",
    "backstage/settings.py",
    "productionline/config.py",
    "settings/base.py",
])
def test_words_inside_a_longer_folder_name_do_not(path: str) -> None:
    assert environment_of(path) is None
    assert roles.default().environment(path) is None


def test_partner_candidates_skip_words_inside_a_package_name() -> None:
    found = candidates("seed_stage_x_app/settings_staging.py", "staging", "production", DEFAULT_PATTERNS)
    assert found[0] == "seed_stage_x_app/settings_production.py"
    assert all(c.startswith("seed_stage_x_app/") for c in found)
    assert candidates("seed_stage_x_app/settings.py", "staging", "production", DEFAULT_PATTERNS) == []
