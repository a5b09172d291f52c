"""Paths as the collection names them, and which files are config files."""
from __future__ import annotations

import posixpath
import re

# The files every config hook reads. `.pre-commit-hooks.yaml` repeats it as its
# `config_files` anchor (a test keeps them equal); the change-note policy and
# the new-note helper use this one.
CONFIG_FILES = r"""(?x)(
      \.(ya?ml|ini|cfg|conf|toml|json|properties)$
      |(^|/)\.env([.-][^/]+)?$
      |\.env$
      |(^|/)\.envs/
      |(^|/)(settings|config)\.py$
      |(^|/)(settings|config)/[^/]+\.py$
      |_settings\.py$
      |(^|/)settings_[^/]+\.py$
      |(^|/)[^/]+\.conf\.py$
    )"""
CONFIG_FILE = re.compile(CONFIG_FILES)
# The .py files that are settings modules (the other .py files are code).
# settings_prod.py / settings_docker.py and <name>.conf.py (issue 21) are settings modules too.
SETTINGS_MODULE = re.compile(r"(^|/)(settings|config)\.py$|(^|/)(settings|config)/[^/]+\.py$|_settings\.py$"
                             r"|(^|/)settings_[^/]+\.py$|(^|/)[^/]+\.conf\.py$")
# Database migrations (Django, Alembic, plain SQL): require-reversible-migrations
# checks them, and require-rollback-note counts them as config changes.
DJANGO_MIGRATIONS = r"(^|/)migrations/[0-9][^/]*\.py$"
# Revisions may sit up to two folders below versions/ (Prefect's versions/postgresql/,
# neutron's versions/<release>/expand/: version_locations or recursive_version_locations).
ALEMBIC_VERSIONS = r"(^|/)versions/(?:[^/]+/){0,2}[^/]+\.py$"
MIGRATION_FILES = rf"{DJANGO_MIGRATIONS}|{ALEMBIC_VERSIONS}|\.(up|down)\.sql$"
MIGRATION_FILE = re.compile(MIGRATION_FILES)
# Plain SQL migrations in a migrations folder (flyway's db/migration/V1__x.sql,
# golang-migrate, dbmate): check-migration-locks reads these too.
SQL_MIGRATIONS = r"(^|/)(migrations?|versions|migrate)/([^/]+/)*[^/]+\.sql$"
# Django apps that move their migrations with MIGRATION_MODULES (DefectDojo's
# dojo/db_migrations/): check-migration-locks reads them when they hold a Migration class.
DJANGO_MODULE_MIGRATIONS = r"(^|/)\w+_migrations/[0-9][^/]*\.py$"
# Django apps whose MIGRATION_MODULES put their migrations in a folder of their own
# under a migrations package (MAAS: "maasserver": "maasserver.migrations.maasserver",
# src/maasserver/migrations/maasserver/0001_initial.py). Flask-Migrate's
# migrations/versions/ is Alembic's. require-reversible-migrations and
# check-migration-locks read them when they hold a Migration class.
DJANGO_APP_MIGRATIONS = r"(^|/)migrations/(?!versions/)\w+/[0-9][^/]*\.py$"
LOCKING_MIGRATION_FILES = rf"{MIGRATION_FILES}|{SQL_MIGRATIONS}|{DJANGO_MODULE_MIGRATIONS}|{DJANGO_APP_MIGRATIONS}"
REVERSIBLE_MIGRATION_FILES = rf"{MIGRATION_FILES}|{DJANGO_APP_MIGRATIONS}"
# A module-level name that is a setting: UPPER_CASE (Django's rule).
SETTING_NAME = re.compile(r"^_*[A-Z][A-Z0-9_]*$")


def normalise(path: str) -> str:
    """One spelling per file: forward slashes, no ``./`` or ``a/../``; ``.`` is ''."""
    path = posixpath.normpath(path.replace("\\", "/"))
    return "" if path == "." else path
