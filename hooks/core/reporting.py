"""One reporter for every hook: text, json, sarif (2.1.0) and GitHub annotations."""
from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from hooks import __version__
from hooks.core.findings import Finding

FORMATS = ("text", "json", "sarif", "github")
DOCS_URL = "https://github.com/legacy-config-hooks/legacy-config-hooks/blob/main/docs/hooks/{}.md"


def write(findings: Sequence[Finding], fmt: str, hook_id: str, out: IO[str]) -> None:
    if fmt == "json":
        _json(findings, hook_id, out)
    elif fmt == "sarif":
        _sarif(findings, hook_id, out)
    elif fmt == "github":
        from hooks.core.escaping import github_data as _data
        from hooks.core.escaping import github_property as _prop

        for f in findings:
            out.write(
                f"::{_level(f)} file={_prop(f.path)},line={int(f.line)},col={int(f.column)},"
                f"title={_prop(f.hook_id)}::{_data(f.message)}\n"
            )
    else:
        for f in findings:
            out.write(f.format_text() + "\n")


def _level(f: Finding) -> str:
    return "warning" if f.severity == "warning" else "error"


def record(f: Finding) -> dict[str, Any]:
    """One finding as JSON output and the cleanup report hold it."""
    return {
        "hook": f.hook_id,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "severity": f.severity,
        "message": f.message,
        "fingerprint": f.fingerprint,
    }


def _json(findings: Sequence[Finding], hook_id: str, out: IO[str]) -> None:
    import json

    payload = {
        "tool": "legacy-config-hooks",
        "version": __version__,
        "hook": hook_id,
        "findings": [record(f) for f in findings],
    }
    json.dump(payload, out, indent=2)
    out.write("\n")


def _sarif(findings: Sequence[Finding], hook_id: str, out: IO[str]) -> None:
    import json

    rule_ids = sorted({f.hook_id for f in findings} | {hook_id})
    payload = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "legacy-config-hooks",
                        "version": __version__,
                        "informationUri": "https://github.com/legacy-config-hooks/legacy-config-hooks",
                        "rules": [
                            {"id": r, "name": r, "helpUri": DOCS_URL.format(r)} for r in rule_ids
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": f.hook_id,
                        "level": _level(f),
                        "message": {"text": f.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": f.path.replace("\\", "/")},
                                    "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
                                }
                            }
                        ],
                        "partialFingerprints": {"legacyConfigHooks/v1": f.fingerprint},
                    }
                    for f in findings
                ],
            }
        ],
    }
    json.dump(payload, out, indent=2)
    out.write("\n")
