"""CronJobs, Jobs, Helm templates, compose and scaled schedulers: catch / leave-alone pairs."""
from __future__ import annotations

from hooks.checks.check_background_jobs import manifests

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: import-orders
  labels:
    app: shop
spec:
  schedule: "*/10 * * * *"
{extra}  jobTemplate:
    spec:
{job}      template:
        spec:
          restartPolicy: Never
          containers:
            - name: import
              image: registry.example.com/shop:1.4.2
              command: ["python", "manage.py", "import_orders"]
"""
GOOD_SPEC = "  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 300\n  failedJobsHistoryLimit: 3\n"
GOOD_JOB = "      backoffLimit: 1\n      activeDeadlineSeconds: 1800\n"


def test_cronjob_with_defaults_is_caught(jobs, rule_ids) -> None:
    r = jobs({"deploy/k8s/cronjob.yaml": CRONJOB.format(extra="", job="")})
    assert rule_ids(r) == ["cronjob-concurrency", "cronjob-deadline", "job-retries-history"]
    assert r.lines[0].startswith("deploy/k8s/cronjob.yaml:2:1: check-background-jobs: cronjob-concurrency: CronJob import-orders has no concurrencyPolicy")


def test_cronjob_that_sets_everything_passes(jobs) -> None:
    r = jobs({"deploy/k8s/cronjob.yaml": CRONJOB.format(extra=GOOD_SPEC, job=GOOD_JOB)}, "--enable", "cronjob-active-deadline")
    assert (r.code, r.lines) == (0, [])


def test_allow_and_zero_failed_history_are_caught(jobs, rule_ids) -> None:
    spec = GOOD_SPEC.replace("Forbid", "Allow").replace("failedJobsHistoryLimit: 3", "failedJobsHistoryLimit: 0")
    r = jobs({"k8s/cron.yaml": CRONJOB.format(extra=spec, job=GOOD_JOB)})
    assert rule_ids(r) == ["cronjob-concurrency", "job-retries-history"]
    assert "concurrencyPolicy: Allow" in r.lines[0]
    assert "failedJobsHistoryLimit: 0" in r.lines[1]


def test_active_deadline_only_when_enabled(jobs, rule_ids) -> None:
    files = {"k8s/cron.yaml": CRONJOB.format(extra=GOOD_SPEC, job="      backoffLimit: 1\n")}
    assert jobs(files).code == 0
    assert rule_ids(jobs(files, "--enable", "cronjob-active-deadline")) == ["cronjob-active-deadline"]


def test_skip_turns_a_rule_off(jobs, rule_ids) -> None:
    r = jobs({"k8s/cron.yaml": CRONJOB.format(extra="", job="")}, "--skip", "cronjob-*")
    assert rule_ids(r) == ["job-retries-history"]


def test_unknown_rule_is_a_usage_error(jobs) -> None:
    r = jobs({"k8s/cron.yaml": CRONJOB.format(extra="", job="")}, "--skip", "cronjob-deadlines")
    assert r.code == 2
    assert "--skip cronjob-deadlines: no rule matches" in r.err


def test_rules_table(jobs) -> None:
    r = jobs({"crontab": "0 * * * * /bin/true\n"}, "--rules", "--enable", "acks-late-unsafe")
    assert "| acks-late-unsafe | off | on |" in r.out
    assert "| cron-no-overlap-guard | off | off |" in r.out
    as_json = jobs({}, "--rules", "--format", "json")
    assert as_json.out.lstrip().startswith(("{", "["))
    assert "--rules is not printed with --format json/sarif" in as_json.err


JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: backfill-invoices
{meta}spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: backfill
          image: shop:1.4.2
          command: ["python", "manage.py", "backfill_invoices"]
"""


def test_standalone_job_without_backoff_limit(jobs, rule_ids) -> None:
    assert rule_ids(jobs({"k8s/job.yaml": JOB.format(meta="")})) == ["job-retries-history"]


def test_cronjob_managed_job_and_helm_hook_job_are_left_alone(jobs) -> None:
    owned = "  ownerReferences:\n    - apiVersion: batch/v1\n      kind: CronJob\n      name: backfill\n      uid: 1\n"
    hook = '  annotations:\n    "helm.sh/hook": pre-upgrade\n'
    r = jobs({"k8s/owned.yaml": JOB.format(meta=owned), "k8s/hook.yaml": JOB.format(meta=hook)})
    assert (r.code, r.lines) == (0, [])


HELM_CRONJOB = """\
{{- if .Values.cron.enabled }}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ include "shop.fullname" . }}-sync
  labels:
    {{- include "shop.labels" . | nindent 4 }}
spec:
  schedule: {{ .Values.cron.schedule | quote }}
  concurrencyPolicy: {{ .Values.cron.concurrencyPolicy }}
  {{- with .Values.cron.startingDeadlineSeconds }}
  startingDeadlineSeconds: {{ . }}
  {{- end }}
  jobTemplate:
    spec:
      backoffLimit: {{ .Values.cron.backoffLimit | default 1 }}
      template:
        spec:
          containers:
            - name: sync
              image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
              args:
                - python
                - manage.py
                - sync
{{- end }}
"""
CHART = "apiVersion: v2\nname: shop\nversion: 0.1.0\n"


def test_helm_template_values_come_from_the_chart(jobs, rule_ids) -> None:
    values = "cron:\n  enabled: true\n  schedule: '*/5 * * * *'\n  concurrencyPolicy: Allow\n"
    r = jobs({"charts/shop/Chart.yaml": CHART, "charts/shop/values.yaml": values,
              "charts/shop/templates/cronjob.yaml": HELM_CRONJOB})
    assert rule_ids(r) == ["cronjob-concurrency"]
    assert r.lines[0].startswith("charts/shop/templates/cronjob.yaml:10:1:")
    assert "concurrencyPolicy: Allow" in r.lines[0]


def test_helm_template_with_forbid_or_disabled_passes(jobs) -> None:
    forbid = "cron:\n  enabled: true\n  concurrencyPolicy: Forbid\n"
    r = jobs({"charts/shop/Chart.yaml": CHART, "charts/shop/values.yaml": forbid,
              "charts/shop/templates/cronjob.yaml": HELM_CRONJOB})
    assert (r.code, r.lines) == (0, [])
    disabled = "cron:\n  enabled: false\n  concurrencyPolicy: Allow\n"
    r = jobs({"charts/shop/values.yaml": disabled})
    assert (r.code, r.lines) == (0, [])


def test_mask_keeps_line_numbers() -> None:
    tpl = manifests.mask(HELM_CRONJOB)
    assert len(tpl.text.split("\n")) == len(HELM_CRONJOB.split("\n"))
    assert tpl.text.split("\n")[9] == "  concurrencyPolicy: __TPL2__"


BEAT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-beat
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: shop-beat}}
  template:
    spec:
      containers:
        - name: beat
          image: shop:1.4.2
          command: ["celery", "-A", "shop", "beat", "--loglevel", "info"]
"""


def test_beat_with_two_replicas(jobs, rule_ids) -> None:
    r = jobs({"k8s/beat.yaml": BEAT.format(replicas=2)})
    assert rule_ids(r) == ["singleton-scheduler-scaled"]
    assert r.lines[0].startswith("k8s/beat.yaml:6:1: check-background-jobs: singleton-scheduler-scaled: Deployment shop-beat runs celery beat with replicas: 2")


def test_beat_with_one_replica_passes(jobs) -> None:
    assert jobs({"k8s/beat.yaml": BEAT.format(replicas=1)}).code == 0


def test_replicas_from_a_variable_are_unknown_not_a_finding(jobs) -> None:
    r = jobs({"k8s/beat.yaml": BEAT.format(replicas="${BEAT_REPLICAS}")})
    assert (r.code, r.lines) == (0, [])
    assert "1 value(s) could not be read statically" in r.err
    verbose = jobs({}, "--verbose")
    assert "unknown: k8s/beat.yaml:6: Deployment shop-beat runs celery beat; its replicas come from a variable" in verbose.err
    assert verbose.lines == []


def test_helm_replicas_from_values(jobs, rule_ids) -> None:
    tpl = BEAT.format(replicas="{{ .Values.beat.replicaCount }}")
    files = {"charts/shop/Chart.yaml": CHART, "charts/shop/templates/beat.yaml": tpl,
             "charts/shop/values.yaml": "beat:\n  replicaCount: 3\n"}
    assert rule_ids(jobs(files)) == ["singleton-scheduler-scaled"]
    r = jobs({"charts/shop/values.yaml": "beat:\n  image: x\n"})
    assert (r.code, r.lines) == (0, [])


def test_worker_with_embedded_beat_under_an_hpa(jobs, rule_ids) -> None:
    worker = BEAT.format(replicas=1).replace("shop-beat", "shop-worker").replace('"beat"', '"worker", "-B"')
    hpa = ("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: shop-worker\nspec:\n"
           "  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: shop-worker\n  minReplicas: 1\n  maxReplicas: 5\n")
    r = jobs({"k8s/worker.yaml": worker, "k8s/hpa.yaml": hpa})
    assert rule_ids(r) == ["singleton-scheduler-scaled"]
    assert r.lines[0].startswith("k8s/hpa.yaml:2:1:")
    assert "celery worker --beat" in r.lines[0]


COMPOSE = """\
services:
  web:
    image: shop
    command: gunicorn shop.wsgi -w 4
    deploy:
      replicas: 3
  beat:
    image: shop
    command: celery -A shop beat -l info
    deploy:
      replicas: {replicas}
"""


def test_compose_beat_replicas(jobs, rule_ids) -> None:
    r = jobs({"docker-compose.prod.yml": COMPOSE.format(replicas=2)})
    assert rule_ids(r) == ["singleton-scheduler-scaled"]
    assert r.lines[0].startswith("docker-compose.prod.yml:11:1:")


def test_compose_beat_single_or_variable_or_dev_override_passes(jobs) -> None:
    r = jobs({"docker-compose.yml": COMPOSE.format(replicas=1),
              "docker-compose.override.yml": COMPOSE.format(replicas=2),
              "compose.dev.yaml": COMPOSE.format(replicas=2),
              "docker-compose.prod.yml": COMPOSE.format(replicas="${BEAT_REPLICAS:-1}")})
    assert (r.code, r.lines) == (0, [])


def test_rq_worker_with_scheduler_is_not_rqscheduler(jobs) -> None:
    compose = "services:\n  rq:\n    image: shop\n    command: rq worker --with-scheduler\n    deploy:\n      replicas: 4\n"
    assert jobs({"docker-compose.yml": compose}).code == 0
    rqs = compose.replace("rq worker --with-scheduler", "rqscheduler --host redis")
    assert jobs({"docker-compose.yml": rqs}).code == 1


def test_alias_bomb_in_a_manifest_is_bounded(jobs) -> None:
    rows = ["kind: Deployment", 'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 9):
        rows.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]")
    r = jobs({"k8s/bomb.yaml": "\n".join(rows) + "\n"})
    assert r.code == 0


def test_many_cronjobs_missing_the_same_setting_are_one_line(jobs, rule_ids) -> None:
    one = CRONJOB.format(extra="  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 60\n", job="")
    text = "---\n".join(one.replace("import-orders", f"{{{{ .Release.Name }}}}-job-{i}") for i in range(4))
    r = jobs({"charts/shop/Chart.yaml": CHART, "charts/shop/templates/cron.yaml": text})
    assert rule_ids(r) == ["job-retries-history"]
    assert "CronJob {{ .Release.Name }}-job-0 leaves backoffLimit unset" in r.lines[0]
    assert r.lines[0].endswith("(and 3 more in this file: one fix for all)")
