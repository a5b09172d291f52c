"""JSON, for CI dashboards: the report dict itself, versioned by
``schema_version`` and described in ``docs/report-schema.md`` and
``schema/report.schema.json``."""
from __future__ import annotations

import json

from hooks.report.model import Report


def render(report: Report) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
