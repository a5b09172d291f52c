"""``legacy-config-report``: every hook's check over a whole repo in one process,
written as Markdown, HTML, JSON or SARIF, with progress between runs.

The report is not a hook: it runs them. It reads the hooks through
``hooks.core.registry`` and the manifest (``.pre-commit-hooks.yaml``, shipped inside
this package as ``pre-commit-hooks.yaml``), never by importing a hook module by
name. Every renderer works from one plain dict, the JSON report
(``docs/report-schema.md``), so a merged organisation-wide report renders
exactly like a single repo's.
"""
from __future__ import annotations

SCHEMA_VERSION = 1
SCHEMA_ID = "https://github.com/legacy-config-hooks/legacy-config-hooks/blob/main/hooks/report/schema/report.schema.json"
