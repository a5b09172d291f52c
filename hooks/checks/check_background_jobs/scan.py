"""The whole-repo pass of check-background-jobs: every rule over the tracked files.

Each finding names the files its answer depends on (``related``), so a commit
that stages one of them re-reports it and one that stages none leaves it alone.
Unknowns (replicas from a variable, a worker count from the environment) are
collected as notes for ``--verbose``, never as findings.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import Any

from hooks.checks.check_background_jobs import celery_conf, cron, manifests, shell
from hooks.checks.check_background_jobs.manifests import UNKNOWN, Node, Values
from hooks.core.records import field, record
from hooks.repo.roles import belongs_to_service

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hooks.common.settings_layers import Resolver
    from hooks.common.settings_values import Val

ReadText = Callable[[str], "str | None"]

YAML_FILE = re.compile(r"\.ya?ml$")
COMPOSE_FILE = re.compile(r"(^|/)(docker-)?compose[^/]*\.ya?ml$")
_BEAT = re.compile(r"\bcelery\b[^\n;&|]*?\s(beat)\b|\bcelery\b[^\n;&|]*?\sworker\b[^\n;&|]*?\s(-B|--beat)\b|\bcelerybeat\b|\bcelery[-_]beat\b"
                   r"|\brqscheduler\b|\bmanage\.py\s+celerybeat\b|\bmanage\.py\s+celery\s+beat\b")
_MANAGE = re.compile(r"(?:manage\.py|django-admin(?:\.py)?)\s+([a-z][\w-]*)")
_TIME_LIMIT_FLAG = re.compile(r"--(soft-)?time-limit[= ]\s*\S+|\s--soft-time-limit\b")
_WORKERS = re.compile(r"(?:^|\s)(?:-w|--workers)(?:=|\s+)(\S+)")
_SCHEDULER = re.compile(r"\b(BackgroundScheduler|AsyncIOScheduler|GeventScheduler|TornadoScheduler|TwistedScheduler)\s*\(")
_WEB = re.compile(r"^\s*(from|import)\s+(flask|django|fastapi|starlette|quart|sanic|aiohttp)\b", re.M)
_TEXT_CONFIG = re.compile(r"(?i)(^|/)(Procfile[^/]*|Dockerfile[^/]*|[^/]+\.(ya?ml|sh|conf|ini|service|cfg|toml)|supervisor[^/]*|entrypoint[^/]*)$")


@record
class Found:
    rule: str
    path: str
    line: int
    message: str
    identity: tuple[str, ...]
    related: list[str] = field(default_factory=list)


@record
class Scan:
    files: list[str]
    read: ReadText
    exists: Callable[[str], bool]
    environment: Callable[[str], str | None]  # named environment of a path (roles applied)
    settings_environment: Callable[[str], str | None]  # a settings module's environment (production for a single one)
    active: frozenset[str]
    explicit_settings: list[str] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # what was read, for the summary notice
    grep: Any = None  # hooks.repo.git.Grep: which files can hold what a loop looks for (None: read them all)

    blobs: dict[str, str] = field(default_factory=dict)  # path -> git blob id (hooks.repo.git.blob_ids)
    results: dict[str, Any] = field(default_factory=dict)  # kind -> hooks.core.cache.FileResults
    salt: str = ""  # the settings a kept result depends on

    def cached(self, kind: str, path: str, compute: Callable[[str], Any], rebuild: Callable[[Any], Any]) -> Any:
        """``compute(path)``, or what an earlier run kept for the same content (its
        git blob id): per-file results that do not depend on other files only."""
        from hooks.core.cache import FileResults, encode

        blob = self.blobs.get(path)
        if blob is None:
            return compute(path)
        results = self.results.get(kind)
        if results is None:
            results = self.results[kind] = FileResults(f"check-background-jobs-{kind}", self.salt)
        kept = results.get(path, blob)
        if kept is not None:
            try:
                return rebuild(kept)
            except (TypeError, ValueError, KeyError):
                pass  # foreign or damaged: computed again and kept anew
        value = compute(path)
        if value is not None:  # None: not known from the content alone (say, a file to report as unparsable)
            results.put(path, blob, encode(value))
        return value

    def save(self) -> None:
        for results in self.results.values():
            results.save()

    def holding(self, files: Sequence[str], *alternatives: str | tuple[str, ...], pathspecs: tuple[str, ...] = ("*.py",)) -> list[str]:
        """``files`` that can hold one of ``alternatives``: a prefilter, the loops still test what they read."""
        from hooks.repo.git import holding

        return holding(self.grep, files, *alternatives, pathspecs=pathspecs)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def add(self, rule: str, path: str, line: int, message: str, identity: tuple[str, ...], related: Sequence[str] = ()) -> None:
        if rule in self.active:
            self.found.append(Found(rule, path, line, f"{rule}: {message}", (rule, *identity), [path, *related]))

    def text(self, path: str) -> str:
        return self.read(path) or ""

    def dev_or_test(self, path: str) -> bool:
        return self.environment(path) in ("development", "test")


def run(scan: Scan) -> None:
    files = [f for f in scan.files if belongs_to_service(f)]
    cron_lines = _cron(scan, files)
    kube = _kube(scan, files)
    _compose(scan, files)
    _celery(scan, files, cron_lines, kube)
    _apscheduler(scan, files)


# -- cron ------------------------------------------------------------------
def _cron(scan: Scan, files: Sequence[str]) -> list[cron.CronLine]:
    lines: list[cron.CronLine] = []
    for path in files:
        if cron.is_cron_file(path):
            found = list(cron.crontab_lines(path, scan.text(path)))
        elif cron.SHELLISH.search(path):
            found = list(cron.written_lines(path, scan.text(path)))
        else:
            continue
        if found:
            scan.checked.append(path)
            scan.count("cron line", len(found))
        lines += found
    for line in lines:
        try:
            bad = shell.discarding(line.command)
        except shell.ShellError as exc:
            scan.notes.append(f"{line.path}:{line.line}: cannot read the cron command ({exc})")
            continue
        if bad:
            how = _redirections(line.command)
            scan.add("cron-discards-errors", line.path, line.line,
                     f"`{bad[0].command}` sends stderr to /dev/null ({how}), so nobody hears when the job fails; "
                     "send it to a log file or to cron's mail (keep `>/dev/null` for stdout alone if you must)",
                     (_norm(line.command),))
        if line.frequent and not line.guarded:
            scan.add("cron-no-overlap-guard", line.path, line.line,
                     f"`{' '.join(line.schedule)}` runs more often than hourly with no lock, so a slow run overlaps the next; "
                     "wrap the command in `flock -n /tmp/<job>.lock ...` (or run-one)", (_norm(line.command),))
    return lines


def _redirections(command: str) -> str:
    found = re.findall(r"(?:\d?&?>>?|>&)\s*(?:/dev/null|&\d)", command)
    return " ".join(f.replace(" ", "") for f in found) or "2>/dev/null"


def _norm(text: str) -> str:
    return " ".join(text.split())


# -- Kubernetes and Helm -----------------------------------------------------
@record
class Workload:
    path: str
    line: int
    kind: str
    name: str
    command: str
    replicas: object
    replicas_line: int


@record
class Kube:
    workloads: list[Workload] = field(default_factory=list)
    hpas: dict[str, tuple[object, int, str]] = field(default_factory=dict)  # target name -> (max, line, path)
    commands: list[tuple[str, int, str]] = field(default_factory=list)  # (path, line, command) of CronJobs


def _kube(scan: Scan, files: Sequence[str]) -> Kube:
    kube = Kube()
    values = Values(scan.read)
    for path in scan.holding(files, "kind:", pathspecs=("*.yaml", "*.yml")):  # the loop skips a file without "kind:"
        if not YAML_FILE.search(path) or COMPOSE_FILE.search(path) or scan.dev_or_test(path):
            continue
        text = scan.text(path)
        if "kind:" not in text:
            continue
        before = len(scan.found)
        chart = manifests.chart_root(path, scan.exists) if manifests.is_template(text) else None
        if chart is not None:
            scan.checked.append(path)
        for doc, conditions in manifests.documents(text):
            kind = doc.scalar("kind")
            if not isinstance(kind, str) or (chart is not None and values.skipped(conditions, chart)):
                continue
            related = [os.path.join(chart, "values.yaml")] if chart else []
            if kind == "CronJob":
                _cronjob(scan, path, doc, values, chart, related, kube)
            elif kind == "Job":
                _job(scan, path, doc, values, chart, related)
            elif kind in ("Deployment", "StatefulSet", "ReplicaSet", "DeploymentConfig"):
                spec = doc.get("spec", "template", "spec")
                command = " ".join(manifests.command_text(c) for c in manifests.containers(spec))
                replicas_node = doc.get("spec", "replicas")
                replicas = values.resolve(replicas_node, chart) if replicas_node is not None else 1
                if isinstance(replicas, str):
                    replicas = int(replicas) if replicas.isdigit() else UNKNOWN  # ${BEAT_REPLICAS}, envsubst
                name = doc.scalar("metadata", "name")
                kube.workloads.append(Workload(path, doc.line, kind, name if isinstance(name, str) else "",
                                               command, replicas, replicas_node.line if replicas_node else doc.line))
            elif kind == "HorizontalPodAutoscaler":
                target = doc.scalar("spec", "scaleTargetRef", "name")
                most = values.resolve(doc.get("spec", "maxReplicas"), chart)
                if isinstance(target, str):
                    kind_node = doc.get("kind")
                    kube.hpas[target] = (most, kind_node.line if kind_node else doc.line, path)
        _fold(scan, before)
    for w in kube.workloads:
        if not _BEAT.search(w.command):
            continue
        scan.checked.append(w.path)
        scan.count("scheduler workload")
        what = _scheduler_name(w.command)
        hpa = kube.hpas.get(w.name)
        if isinstance(w.replicas, int) and w.replicas > 1:
            scan.add("singleton-scheduler-scaled", w.path, w.replicas_line,
                     f"{w.kind} {w.name or '(unnamed)'} runs {what} with replicas: {w.replicas}, so every periodic task runs "
                     f"{w.replicas} times; run the scheduler in its own Deployment with replicas: 1 (strategy Recreate)",
                     (w.name, what))
        elif w.replicas is UNKNOWN:
            scan.notes.append(f"{w.path}:{w.replicas_line}: {w.kind} {w.name} runs {what}; its replicas come from a variable "
                              "(unknown statically)")
        if hpa is not None and isinstance(hpa[0], int) and hpa[0] > 1:
            scan.add("singleton-scheduler-scaled", hpa[2], hpa[1],
                     f"HorizontalPodAutoscaler scales {w.name}, which runs {what}, up to {hpa[0]} replicas, so periodic tasks "
                     "run once per replica; do not autoscale the scheduler", (w.name, what, "hpa"), [w.path])
    return kube


_FOLDED = ("cronjob-concurrency", "cronjob-deadline", "cronjob-active-deadline", "job-retries-history")


def _fold(scan: Scan, start: int) -> None:
    """Several CronJobs of one file that miss the same setting are one fix: one line, on the first."""
    mine = scan.found[start:]
    groups: dict[tuple[str, str], list[Found]] = {}
    for f in mine:
        if f.rule in _FOLDED:
            groups.setdefault((f.rule, f.identity[-1] if f.rule == "job-retries-history" else ""), []).append(f)
    drop: set[int] = set()
    for (rule, what), found in groups.items():
        if len(found) < 3:
            continue
        first = found[0]
        others = len(found) - 1
        first.message += f" (and {others} more in this file: one fix for all)"
        first.identity = (rule, "every CronJob of the file", *((what,) if what else ()))
        drop.update(id(f) for f in found[1:])
    scan.found[start:] = [f for f in mine if id(f) not in drop]


def _scheduler_name(command: str) -> str:
    if "rqscheduler" in command:
        return "rqscheduler"
    if re.search(r"\s(-B|--beat)\b", command):
        return "celery worker --beat"
    return "celery beat"


def _unset(node: Node | None) -> bool:
    """Absent, or written with no value (`backoffLimit:`, `~`, `null`): Kubernetes applies its default."""
    return node is None or node.value is None


def _cronjob(scan: Scan, path: str, doc: Node, values: Values, chart: str | None, related: list[str], kube: Kube) -> None:
    label = manifests.label(doc.get("metadata", "name"))
    ident = label
    spec = doc.get("spec")
    if spec is None or not isinstance(spec.value, dict):
        return
    scan.checked.append(path)
    scan.count("CronJob")
    kind_node = doc.get("kind")
    at_kind = kind_node.line if kind_node is not None else doc.line
    policy_node = spec.get("concurrencyPolicy")
    policy = values.resolve(policy_node, chart) if policy_node is not None else None
    if policy is None or policy == "Allow":
        at = policy_node.line if policy_node is not None else at_kind
        said = "concurrencyPolicy: Allow" if policy == "Allow" else "no concurrencyPolicy (the default is Allow)"
        scan.add("cronjob-concurrency", path, at,
                 f"CronJob {label} has {said}, so a run that is late or slow overlaps the next one; "
                 "set concurrencyPolicy: Forbid (or Replace)", (ident,), related)
    elif policy is UNKNOWN:
        scan.notes.append(f"{path}:{policy_node.line if policy_node else doc.line}: CronJob {label}: concurrencyPolicy comes from a value (unknown)")
    if _unset(spec.get("startingDeadlineSeconds")):
        scan.add("cronjob-deadline", path, at_kind,
                 f"CronJob {label} has no startingDeadlineSeconds, so after an outage or a busy cluster it starts late runs "
                 "(and stops scheduling after 100 misses); set startingDeadlineSeconds (e.g. 300)", (ident,), related)
    job = doc.get("spec", "jobTemplate", "spec")
    if job is not None and _unset(job.get("activeDeadlineSeconds")):
        scan.add("cronjob-active-deadline", path, at_kind,
                 f"CronJob {label}'s job template has no activeDeadlineSeconds, so a hung run holds its slot forever; "
                 "set spec.jobTemplate.spec.activeDeadlineSeconds", (ident,), related)
    if job is not None and _unset(job.get("backoffLimit")):
        scan.add("job-retries-history", path, at_kind,
                 f"CronJob {label} leaves backoffLimit unset, so a failing run is retried 6 times; set "
                 "spec.jobTemplate.spec.backoffLimit (0 or 1 for a job that is not safe to run again)", (ident, "backoffLimit"), related)
    failed = spec.get("failedJobsHistoryLimit")
    if failed is not None and values.resolve(failed, chart) == 0:
        scan.add("job-retries-history", path, failed.line,
                 f"CronJob {label} keeps no failed jobs (failedJobsHistoryLimit: 0), so nothing is left to show why a run failed; "
                 "keep at least 1", (ident, "failedJobsHistoryLimit"), related)
    pod = doc.get("spec", "jobTemplate", "spec", "template", "spec")
    for c in manifests.containers(pod):
        command = manifests.command_text(c)
        if command:
            kube.commands.append((path, c.line, command))


def _job(scan: Scan, path: str, doc: Node, values: Values, chart: str | None, related: list[str]) -> None:
    owners = doc.get("metadata", "ownerReferences")
    if owners is not None and any(o.scalar("kind") == "CronJob" for o in owners.items()):
        return  # a Job a CronJob made: its CronJob is the thing to fix
    annotations = doc.get("metadata", "annotations")
    if annotations is not None and isinstance(annotations.value, dict) and "helm.sh/hook" in annotations.value:
        return  # a Helm hook (migrations on upgrade): Helm waits for it and fails the release
    spec = doc.get("spec")
    if spec is None or not isinstance(spec.value, dict) or spec.get("template") is None:
        return
    scan.checked.append(path)
    if _unset(spec.get("backoffLimit")):
        name = doc.scalar("metadata", "name")
        label = name if isinstance(name, str) else "(templated name)"
        scan.add("job-retries-history", path, doc.line,
                 f"Job {label} leaves backoffLimit unset, so a failing run is retried 6 times; set spec.backoffLimit "
                 "(0 or 1 for a job that is not safe to run again)", (label, "backoffLimit"), related)


# -- compose -----------------------------------------------------------------
def _compose(scan: Scan, files: Sequence[str]) -> None:
    for path in files:
        if not COMPOSE_FILE.search(path):
            continue
        if scan.dev_or_test(path) or re.search(r"(?i)(override|\.dev|-dev|\.local|-local|\.test|-test|\.ci)[^/]*$", path):
            continue  # a developer's stack runs on one machine
        for doc, _ in manifests.documents(scan.text(path)):
            services = doc.get("services")
            if services is None or not isinstance(services.value, dict):
                continue
            scan.checked.append(path)
            for name, service in services.value.items():
                if not isinstance(service.value, dict):
                    continue
                command = " ".join(_words(service.get(k)) for k in ("entrypoint", "command"))
                if not _BEAT.search(command):
                    continue
                what = _scheduler_name(command)
                scan.checked.append(path)
                scan.count("scheduler workload")
                for keys in (("deploy", "replicas"), ("scale",)):
                    node = service.get(*keys)
                    if node is None:
                        continue
                    count = node.value
                    if isinstance(count, str) and count.isdigit():
                        count = int(count)
                    if isinstance(count, int) and count > 1:
                        scan.add("singleton-scheduler-scaled", path, node.line,
                                 f"service {name} runs {what} with {'.'.join(keys)}: {count}, so every periodic task runs "
                                 f"{count} times; run one scheduler (replicas: 1)", (name, what))
                    elif not isinstance(count, int):
                        scan.notes.append(f"{path}:{node.line}: service {name} runs {what}; its {'.'.join(keys)} comes from a variable (unknown)")


def _words(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node.value, list):
        return " ".join(str(i.value) for i in node.value if isinstance(i.value, (str, int)))
    return str(node.value) if isinstance(node.value, str) else ""


# -- Celery ------------------------------------------------------------------
def _celery(scan: Scan, files: Sequence[str], cron_lines: list[cron.CronLine], kube: Kube) -> None:
    wanted = {"task-time-limit", "eager-in-production", "schedule-defined-twice", "acks-late-unsafe"}
    if not wanted & scan.active:
        return
    from hooks.common.settings_layers import Resolver

    python = [f for f in files if f.endswith(".py")]
    resolver = Resolver(scan.read)
    resolver.production_switch = True  # IS_DEV = True committed: production runs the other branch
    apps = celery_conf.find_apps(python, scan.read, resolver, set(scan.holding(python, *celery_conf.APP_CALLS)))
    if not apps:
        return
    tasks: list[celery_conf.Task] = []
    for path in _task_files(scan, python):
        tasks += scan.cached("tasks", path, lambda p: _tasks_in(scan, p), _rebuild_tasks) or []
    worker_limit = _worker_flags(scan)
    configs: list[celery_conf.Config] = []
    elsewhere = None
    for app in apps:
        if not app.source and not app.source_name and not app.conf and not app.opaque:
            if elsewhere is None:
                elsewhere = {f for f in scan.holding(python, "config_from_object(", "conf.update(") if not scan.dev_or_test(f)}
            celery_conf.configured_elsewhere(app, len(apps) == 1, python, scan.read, elsewhere)
        if app.source == "django":
            modules = list(scan.explicit_settings) or celery_conf.settings_modules(
                app, python, scan.settings_environment, lambda p: _is_django(resolver, p))
            if not modules:
                scan.notes.append(f"{app.path}:{app.line}: the Celery app reads the Django settings, but no production "
                                  "settings module was found (name it with --production-settings)")
            configs += [celery_conf.resolve(app, m, resolver, True) for m in modules]
        elif app.source == celery_conf.FLASK:
            configs += _flask_configs(scan, app, python, resolver)
        elif app.source:
            if scan.dev_or_test(app.source):
                continue
            configs.append(celery_conf.resolve(app, app.source, resolver, False))
        elif app.source_name:
            scan.notes.append(f"{app.path}:{app.line}: the Celery config comes from {app.source_name}, which is not a module of the repo")
        elif app.conf and not app.opaque:
            configs.append(celery_conf.resolve(app, "", resolver, False))
        else:
            scan.notes.append(f"{app.path}:{app.line}: a Celery app with no config of its own (a client, or settings passed in): not judged")
    for config in configs:
        scan.checked.append(config.path)
        scan.count("production Celery config")
        _judge(scan, config, tasks, worker_limit, cron_lines, kube)


def _flask_configs(scan: Scan, app: celery_conf.App, python: Sequence[str], resolver: Resolver) -> list[celery_conf.Config]:
    """The production Celery config of an app configured from a Flask app's
    config (``config_from_object(app.config["CELERY"])``): the settings modules
    the factory loads by name (``app.config.from_object("proj.settings")``),
    with the layers they import, that hold the Celery settings; development and
    test modules are not production."""
    from hooks.repo.production import class_environment

    holding = {f for f in scan.holding(python, *celery_conf.CONFIG_LOADS) if not scan.dev_or_test(f)}
    sources = [(m, cls) for m, cls in celery_conf.flask_modules(python, scan.read, holding, resolver)
               if not scan.dev_or_test(m) and not (cls and class_environment(cls) in ("development", "test"))]
    configs = [c for c in (celery_conf.resolve_flask(app, m, resolver, cls) for m, cls in sources) if c is not None]
    if not configs:
        held = f'app.config["{app.flask_key}"]' if app.flask_key else "the Flask app's config"
        scan.notes.append(f"{app.path}:{app.line}: the Celery config comes from {held}, but no settings module the "
                          "app loads by name (config.from_object(\"...\")) holds it: not judged")
    return configs


READ_WITHOUT_GREP = 40  # with the cache on, files it does not hold up to this many are read, not first grepped


def _task_files(scan: Scan, python: Sequence[str]) -> list[str]:
    """The files that can declare a task ("@x.task" / "@shared_task": "@" and "task" on one line).

    With the result cache on, a file whose content it holds is asked of it (a file
    without tasks is kept as an empty list), and only the others are grepped: a
    commit's few changed files are read directly, without a git grep of the repo."""
    from hooks.core.cache import FileResults

    if not scan.blobs:
        return scan.holding(python, ("@", "task"))
    results = scan.results.get("tasks")
    if results is None:
        results = scan.results["tasks"] = FileResults("check-background-jobs-tasks", scan.salt)
    misses = [p for p in python if not isinstance(results.get(p, scan.blobs.get(p)), list)]
    if len(misses) <= READ_WITHOUT_GREP:
        return list(python)
    candidates = set(scan.holding(misses, ("@", "task")))
    unread = set(misses) - candidates
    for p in unread:
        results.put(p, scan.blobs.get(p), [])  # git grep: no line holds "@" and "task", so no task
    return [p for p in python if p not in unread]


def _tasks_in(scan: Scan, path: str) -> list[celery_conf.Task] | None:
    """The tasks a module defines; None when it does not parse, so the result
    cache keeps nothing and every run reports it again ("needs Python >= 3.X")."""
    from hooks.config import python_trees

    text = scan.text(path)
    if "task" not in text or not re.search(r"@\w*\.?(task|shared_task|periodic_task|db_task|db_periodic_task)\b", text):
        return []
    try:
        tree = python_trees.parse(text, path)
    except (SyntaxError, ValueError, RecursionError):
        return None
    return celery_conf.tasks_of(path, tree, celery_conf.module_name(path))


def _rebuild_tasks(kept: Any) -> list[celery_conf.Task]:
    """Tasks from the result cache; a shape this code did not write raises (a miss)."""
    if not isinstance(kept, list):
        raise TypeError("not a list")
    out = []
    for item in kept:
        task = celery_conf.Task(**item)
        if not (isinstance(task.name, str) and isinstance(task.line, int) and isinstance(task.time_limit, bool)):
            raise TypeError("not a task")
        out.append(task)
    return out


_DJANGO_MARKERS = ("INSTALLED_APPS", "DATABASES", "SECRET_KEY", "ROOT_URLCONF", "MIDDLEWARE")


def _is_django(resolver: Resolver, path: str) -> bool:
    names = resolver.module(path).names
    return sum(1 for n in _DJANGO_MARKERS if n in names) >= 2 or any(n.startswith("CELERY") for n in names)


def _worker_flags(scan: Scan) -> str:
    """A file that starts workers with --time-limit / --soft-time-limit."""
    for path in scan.files:
        if not _TEXT_CONFIG.search(path) or scan.dev_or_test(path) or not belongs_to_service(path):
            continue
        text = scan.text(path)
        if "celery" in text and "worker" in text and _TIME_LIMIT_FLAG.search(text):
            return path
    return ""


def _under_environment_test(scan: Scan, val: Val) -> bool:
    """Set inside `if os.environ.get("BROKER_URL"): ... else: EAGER = True`: the
    resolver takes the branch an unset variable gives, but the deployment sets it."""
    import ast

    from hooks.common.settings_values import env_read
    from hooks.config import python_trees

    if not val.path or not val.line:
        return False
    try:
        tree = python_trees.parse(scan.text(val.path), val.path)
    except (SyntaxError, ValueError, RecursionError):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and node.lineno < val.line <= (node.end_lineno or node.lineno):
            if any(env_read(sub) is not None for sub in ast.walk(node.test)):
                return True
    return False


def _first_celery_line(config: celery_conf.Config, scan: Scan) -> int:
    text = scan.text(config.path)
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r"\s*(CELERY\w*|BROKER_URL|broker_url|task_\w+|beat_\w+)\s*=", line):
            return number
    return 1


# What a broker whose URL the settings give does with the unacknowledged
# messages of a hung worker; AMQP (RabbitMQ) and other brokers: nothing said.
_REDELIVERY = {"redis": " (and with Redis the broker re-delivers it)",
               "sqs": " (and SQS re-delivers it when its visibility timeout passes)"}


def _judge(scan: Scan, config: celery_conf.Config, tasks: list[celery_conf.Task], worker_limit: str,
           cron_lines: list[cron.CronLine], kube: Kube) -> None:
    c = celery_conf
    via = f" (layers: {' -> '.join(config.layers)})" if len(config.layers) > 1 else ""
    if config.classes:  # a Flask config class: ProdConfig(Config)
        bases = f", from {', '.join(reversed(config.classes[:-1]))}" if len(config.classes) > 1 else ""
        via = f" ({config.classes[-1]}{bases})" + via
    related = [*config.layers, config.app.path]
    django = config.app.source == "django"
    if config.app.source == c.FLASK:  # Celery's names in the Flask settings' dict, else as in Django's settings
        spelled = (f'{config.app.flask_key}["task_time_limit"]' if config.app.flask_key
                   else c.names_for("task_time_limit", config.app.namespace, True)[0])
    else:
        spelled = c.names_for("task_time_limit", config.app.namespace if django else None, django)[0]
    limited = (c.is_set(config.possible("task_time_limit")) or c.is_set(config.possible("task_soft_time_limit"))
               or c.annotated_limit(config.possible("task_annotations")))
    all_tasks_limited = bool(tasks) and all(t.time_limit for t in tasks)
    if not limited and not worker_limit and not all_tasks_limited:
        broker = (config.app.broker,) if config.app.broker is not None else config.possible("broker_url")
        redelivery = _REDELIVERY.get(c.broker_family(broker, scan.read), "")
        scan.add("task-time-limit", config.path, _first_celery_line(config, scan),
                 f"the production Celery config{via} sets no task time limit, so a hung task holds its worker for ever"
                 f"{redelivery}; set {spelled} (and a soft limit below it), or start the worker with --time-limit",
                 ("time-limit",), related)
    eager = config.possible("task_always_eager")
    if c.surely_true(eager) and not _under_environment_test(scan, eager[-1]):
        val = eager[-1]
        name = config.names.get("task_always_eager", "task_always_eager")
        line = val.line if val.path == config.path else _first_celery_line(config, scan)
        where = f" ({val.path}:{val.line})" if val.path and val.path != config.path else ""
        scan.add("eager-in-production", config.path, line,
                 f"{name} is {c.value_text(val)} in production{where}, so tasks run inline in the request and retries and "
                 "time limits are ignored; set it in the test settings only", ("eager",), related)
    acks = config.possible("task_acks_late")
    if c.surely_true(acks) and not c.is_set(config.possible("task_reject_on_worker_lost")):
        scan.add("acks-late-unsafe", config.path, _first_celery_line(config, scan),
                 "task_acks_late is on without task_reject_on_worker_lost, so a task whose worker is killed is acknowledged "
                 "and lost (or, with it on, re-run: make the task safe to run again)", ("acks-late",), related)
    options = c.any_value(config.possible("broker_transport_options"))
    limit = c.visible_number(config.possible("task_time_limit")) or c.visible_number(config.possible("task_soft_time_limit"))
    if isinstance(options, dict) and isinstance(options.get("visibility_timeout"), (int, float)) and limit and options["visibility_timeout"] < limit:
        scan.add("acks-late-unsafe", config.path, _first_celery_line(config, scan),
                 f"the broker's visibility_timeout ({options['visibility_timeout']}s) is shorter than the task time limit ({limit:g}s), "
                 "so Redis re-delivers a task that is still running; raise visibility_timeout above the longest limit",
                 ("visibility-timeout",), related)
    _schedules(scan, config, tasks, cron_lines, kube, related)


def _schedules(scan: Scan, config: celery_conf.Config, tasks: list[celery_conf.Task], cron_lines: list[cron.CronLine],
               kube: Kube, related: list[str]) -> None:
    entries = [(key, task, args, "beat_schedule") for key, task, args in celery_conf.schedule_entries(config.possible("beat_schedule"))]
    entries += [(f"at line {line}", task, args, "add_periodic_task") for task, args, line in config.app.periodic]
    entries += [(t.function, t.name, repr(((), {})), "periodic_task") for t in tasks if t.schedule_line]
    seen: list[tuple[str, str, str]] = []  # (task, args, where)
    for key, task, args, where in entries:
        same = next((s for s in seen if s[1] == _plain(args) and _same_name(s[0], task)), None)
        if same is not None:
            path, line = _locate(scan, related, task, where, config)
            scan.add("schedule-defined-twice", path, line,
                     f"task {task} is scheduled twice ({same[2]} and {where} {key}), so it runs twice per period; "
                     "keep one schedule", ("task", task), related)
            continue
        seen.append((task, _plain(args), f"{where} {key}"))
    if "schedule-defined-twice" not in scan.active:
        return
    scheduled_commands: dict[str, str] = {}
    for _, task, _, where in entries:
        for t in tasks:
            if t.command and celery_conf.same_task(task, t):
                scheduled_commands[t.command] = f"{task} ({where})"
    if not scheduled_commands:
        return
    for cron_line in cron_lines:
        m = _MANAGE.search(cron_line.command)
        if m and m.group(1) in scheduled_commands:
            scan.add("schedule-defined-twice", cron_line.path, cron_line.line,
                     f"`manage.py {m.group(1)}` runs from cron and also from celery beat as {scheduled_commands[m.group(1)]}, "
                     "so it runs twice per period; keep one schedule", ("command", m.group(1)), related)
    for path, at, command in kube.commands:
        m = _MANAGE.search(command)
        if m and m.group(1) in scheduled_commands:
            scan.add("schedule-defined-twice", path, at,
                     f"`manage.py {m.group(1)}` runs from a CronJob and also from celery beat as {scheduled_commands[m.group(1)]}, "
                     "so it runs twice per period; keep one schedule", ("command", m.group(1)), related)


def _same_name(a: str, b: str) -> bool:
    """Full names must be equal; a name written in code (`cleanup.s()`) matches the end of a full one."""
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def _plain(args: str) -> str:
    return args.replace(" ", "").replace("[]", "()").replace("((),{})", "()")


def _locate(scan: Scan, files: Sequence[str], task: str, where: str, config: celery_conf.Config) -> tuple[str, int]:
    """The last place the task's name is written among the config's files."""
    short = task.rsplit(".", 1)[-1]
    best: tuple[str, int] = (config.path, 1)
    for path in dict.fromkeys(files):
        for number, line in enumerate(scan.text(path).splitlines(), 1):
            if task in line or (where != "beat_schedule" and short in line and "add_periodic_task" in line):
                best = (path, number)
    return best


# -- APScheduler in the web process -------------------------------------------
def _apscheduler(scan: Scan, files: Sequence[str]) -> None:
    if "singleton-scheduler-scaled" not in scan.active:
        return
    starts: list[tuple[str, int, str]] = []
    for path in scan.holding(files, "Scheduler"):  # each name _SCHEDULER looks for ends in "Scheduler"
        if not path.endswith(".py"):
            continue
        text = scan.text(path)
        m = _SCHEDULER.search(text)
        if m is None or ".start(" not in text or not _WEB.search(text):
            continue
        line = next((n for n, ln in enumerate(text.splitlines(), 1) if ".start(" in ln and "scheduler" in ln.lower()), 0)
        if line:
            starts.append((path, line, m.group(1)))
    if not starts:
        return
    workers, where, preload, unknown = _web_workers(scan)
    for path, line, kind in starts:
        if preload:
            continue
        if workers > 1:
            scan.add("singleton-scheduler-scaled", path, line,
                     f"APScheduler's {kind} starts in web-process code and {where} runs {workers} workers, so every job runs "
                     f"{workers} times; start it in one process of its own (or gunicorn --preload)", ("apscheduler", kind), [where])
        elif unknown:
            scan.notes.append(f"{path}:{line}: APScheduler starts in web-process code; the web server's worker count comes "
                              f"from a variable ({unknown}), unknown statically")


def _web_workers(scan: Scan) -> tuple[int, str, bool, str]:
    """(most workers, where, preload, where the count is a variable) of gunicorn/uwsgi in the repo."""
    most, where, preload, unknown = 1, "", False, ""
    for path in scan.files:
        base = os.path.basename(path)
        if scan.dev_or_test(path):
            continue
        text = ""
        if base.startswith("gunicorn") and base.endswith(".py"):
            text = scan.text(path)
            m = re.search(r"^workers\s*=\s*(.+)$", text, re.M)
            if m:
                value = m.group(1).strip()
                if value.isdigit():
                    if int(value) > most:
                        most, where = int(value), path
                else:
                    unknown = unknown or path
            if re.search(r"^preload_app\s*=\s*True", text, re.M):
                preload = True
        elif base.startswith("uwsgi") and base.endswith(".ini"):
            text = scan.text(path)
            m = re.search(r"^\s*(processes|workers)\s*=\s*(\S+)", text, re.M)
            if m and m.group(2).isdigit() and re.search(r"^\s*lazy-apps\s*=\s*(true|1|yes)", text, re.M | re.I):
                if int(m.group(2)) > most:
                    most, where = int(m.group(2)), path
        elif _TEXT_CONFIG.search(path) or base.startswith("Procfile"):
            text = scan.text(path)
            if "gunicorn" not in text:
                continue
            for line in text.splitlines():
                if "gunicorn" not in line:
                    continue
                if "--preload" in line:
                    preload = True
                m = _WORKERS.search(line)
                if m:
                    value = m.group(1).strip("\"',")
                    if value.isdigit():
                        if int(value) > most:
                            most, where = int(value), path
                    else:
                        unknown = unknown or path
    return most, where, preload, unknown
