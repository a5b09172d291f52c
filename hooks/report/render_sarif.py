"""SARIF 2.1.0: one run, one rule per check, for GitHub code scanning and other
SARIF viewers. ``partialFingerprints`` carry our line-free fingerprints, so a
viewer follows a finding when lines move; baselined findings are results with
an accepted external suppression."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from hooks.report.model import DOCS_URL, Report

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "legacyConfigHooks/v1"


def render(report: Report) -> str:
    return json.dumps(build(report), indent=2, ensure_ascii=False) + "\n"


def build(report: Report) -> dict[str, Any]:
    hook_ids = [h["id"] for h in report["hooks"]]
    for f in report["findings"]:  # a merged report may hold a hook one repo did not run
        if f["hook"] not in hook_ids:
            hook_ids.append(f["hook"])
    summaries = {h["id"]: h.get("summary") or h["id"] for h in report["hooks"]}
    rules = [
        {
            "id": hook_id,
            "name": hook_id,
            "shortDescription": {"text": summaries.get(hook_id, hook_id)},
            "helpUri": DOCS_URL.format(hook_id),
            "defaultConfiguration": {"level": "error"},
        }
        for hook_id in hook_ids
    ]
    index = {hook_id: i for i, hook_id in enumerate(hook_ids)}
    results: list[dict[str, Any]] = []
    for f in report["findings"]:
        result: dict[str, Any] = {
            "ruleId": f["hook"],
            "ruleIndex": index[f["hook"]],
            "level": "warning" if f["severity"] == "warning" else "error",
            "message": {"text": f["message"]},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(f["path"]), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": max(1, f["line"]), "startColumn": max(1, f["column"])},
                    }
                }
            ],
            "partialFingerprints": {FINGERPRINT_KEY: f["fingerprint"]},
        }
        if f["status"] == "baselined":
            result["suppressions"] = [
                {"kind": "external", "status": "accepted", "justification": "recorded in the legacy-config-hooks baseline"}
            ]
        results.append(result)
    notifications = [
        {"level": "note", "message": {"text": note}, "associatedRule": {"id": h["id"], "index": index[h["id"]]}}
        for h in report["hooks"]
        for note in h["notices"]
    ]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "legacy-config-hooks",
                        "version": report["tool"]["version"],
                        "informationUri": "https://github.com/legacy-config-hooks/legacy-config-hooks",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the repository root"}}},
                "invocations": [invocation],
                "results": results,
            }
        ],
    }
