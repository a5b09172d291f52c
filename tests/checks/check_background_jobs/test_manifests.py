"""Helm templates and manifests the CronJob rules read: `| default` values, `if not`
and `else` around a document, a chart whose values.yaml is broken or missing, values
that are not `.Values` lookups, YAML that does not parse, and a setting written with
no value (Kubernetes reads `key:` with nothing after it as unset)."""
from __future__ import annotations

import pytest

CHART = "apiVersion: v2\nname: shop\nversion: 0.1.0\n"
TEMPLATE = """\
{{- if .Values.cron.enabled }}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ include "shop.fullname" . }}-sync
spec:
  schedule: {{ .Values.cron.schedule | quote }}
  concurrencyPolicy: POLICY
  startingDeadlineSeconds: 300
  jobTemplate:
    spec:
      backoffLimit: 1
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: sync
              image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
              args: ["python", "manage.py", "sync"]
{{- end }}
"""


def _chart(policy: str, values: str, template: str = TEMPLATE) -> dict[str, str]:
    return {"charts/shop/Chart.yaml": CHART, "charts/shop/values.yaml": values,
            "charts/shop/templates/cronjob.yaml": template.replace("POLICY", policy)}


@pytest.mark.parametrize(("policy", "values", "caught"), [
    ('{{ .Values.cron.concurrencyPolicy | default "Forbid" }}', "cron:\n  enabled: true\n", False),
    ('{{ .Values.cron.concurrencyPolicy | default "Allow" }}', "cron:\n  enabled: true\n", True),
    ('{{ .Values.cron.concurrencyPolicy | default "Allow" }}', "cron:\n  enabled: true\n  concurrencyPolicy: Replace\n", False),
    ("{{ .Values.cron.concurrencyPolicy }}", "cron:\n  enabled: true\n  concurrencyPolicy: Allow\n", True),
])
def test_default_applies_only_when_values_leave_it_unset(jobs, rule_ids, policy: str, values: str, caught: bool) -> None:
    r = jobs(_chart(policy, values))
    assert rule_ids(r) == (["cronjob-concurrency"] if caught else [])
    if caught:
        assert r.lines[0].startswith("charts/shop/templates/cronjob.yaml:8:1:")
        assert '{{ include "shop.fullname" . }}-sync has concurrencyPolicy: Allow' in r.lines[0]


@pytest.mark.parametrize("values", ["cron:\n  enabled: true\n  suspended: [\n", ""])
def test_a_broken_or_empty_values_file_makes_values_unknown_not_findings(jobs, values: str) -> None:
    r = jobs(_chart("{{ .Values.cron.concurrencyPolicy }}", values), "--verbose")
    assert (r.code, r.lines) == (0, [])
    assert "charts/shop/templates/cronjob.yaml:8: CronJob" in r.err
    assert "concurrencyPolicy comes from a value (unknown)" in r.err


def test_a_value_from_a_named_template_is_unknown(jobs) -> None:
    r = jobs(_chart('{{ include "shop.cronPolicy" . }}', "cron:\n  enabled: true\n"), "--verbose")
    assert (r.code, r.lines) == (0, [])
    assert "concurrencyPolicy comes from a value (unknown)" in r.err


def test_a_template_outside_any_chart_has_no_values(jobs) -> None:
    files = {"deploy/cronjob.yaml": TEMPLATE.replace("POLICY", "{{ .Values.cron.concurrencyPolicy }}")}
    r = jobs(files, "--verbose")
    assert (r.code, r.lines) == (0, [])
    assert "deploy/cronjob.yaml:8: CronJob" in r.err


NEGATED = TEMPLATE.replace("{{- if .Values.cron.enabled }}", "{{- if not .Values.cron.disabled }}")


@pytest.mark.parametrize(("values", "caught"), [("cron:\n  disabled: true\n", False), ("cron:\n  disabled: false\n", True)])
def test_if_not_skips_the_document_only_when_the_value_turns_it_off(jobs, rule_ids, values: str, caught: bool) -> None:
    r = jobs(_chart("Allow", values, NEGATED))
    assert rule_ids(r) == (["cronjob-concurrency"] if caught else [])


def test_a_document_in_an_else_branch_is_read(jobs, rule_ids) -> None:
    template = TEMPLATE.replace("{{- if .Values.cron.enabled }}\n", "{{- if .Values.cron.external }}\n# runs elsewhere\n{{- else }}\n")
    r = jobs(_chart("Allow", "cron:\n  external: true\n", template))
    assert rule_ids(r) == ["cronjob-concurrency"]


CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: import-orders
spec:
  schedule: "*/10 * * * *"
  concurrencyPolicy: Forbid
  startingDeadlineSeconds:{deadline}
  jobTemplate:
    spec:
      backoffLimit:{backoff}
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: import
              image: registry.example.com/shop:1.4.2
              command: ["python", "manage.py", "import_orders"]
"""


@pytest.mark.parametrize(("deadline", "backoff", "caught"), [
    ("", " 1", ["cronjob-deadline"]),
    (" ~", " null", ["cronjob-deadline", "job-retries-history"]),
    (" 300", "", ["job-retries-history"]),
    (" 300", " 0", []),
])
def test_a_setting_with_no_value_is_unset(jobs, rule_ids, deadline: str, backoff: str, caught: list[str]) -> None:
    r = jobs({"k8s/cronjob.yaml": CRONJOB.format(deadline=deadline, backoff=backoff)})
    assert rule_ids(r) == caught


def test_a_manifest_that_does_not_parse_is_skipped_and_the_others_read(jobs, rule_ids) -> None:
    files = {"k8s/broken.yaml": "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x\n",
             "k8s/list.yaml": "- kind: CronJob\n- kind: Job\n",
             "k8s/cronjob.yaml": CRONJOB.format(deadline="", backoff=" 1")}
    r = jobs(files)
    assert rule_ids(r) == ["cronjob-deadline"]
    assert r.lines[0].startswith("k8s/cronjob.yaml:")


SCALARS = "a: 3\nb: '3'\nc: true\nd: off\ne: ~\nf:\ng: null\nh: 0x1F\ni: \"null\"\n"


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
def test_scalars_read_the_same_with_libyaml_and_pure_python(monkeypatch: pytest.MonkeyPatch, loader: str) -> None:
    import yaml

    from hooks.checks.check_background_jobs import manifests

    if loader == "SafeLoader":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    [(doc, _)] = list(manifests.documents(SCALARS))
    got = {k: v.value for k, v in doc.value.items()}
    assert got == {"a": 3, "b": "3", "c": True, "d": False, "e": None, "f": None, "g": None, "h": "0x1F", "i": "null"}
