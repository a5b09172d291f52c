"""Report literal secrets in config files, with their values masked.

Three kinds: a sensitive key (``password``, ``DB_PASSWORD``, ``api_key``,
``DATABASES["default"]["PASSWORD"]``) with a literal value; a known token
format (AWS, GitHub, GitLab, Slack, Stripe, Google, SendGrid, PyPI, OpenAI,
JWT, PEM private keys, ...) anywhere; a password inside a URL or DSN.
References to the environment or a secret store, placeholders, paths to secret
files and keys that only look sensitive pass. The tables live in
``hooks/secrets/patterns.py``.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence

from hooks.config.paths import normalise
from hooks.core.api import Hook, Option, Problem, UsageError
from hooks.secrets import prefilter as secret_prefilter

# The runner, the parsers and the secret tables load only when a file needs
# them: a commit of plainly clean files exits before (hooks/secrets/prefilter.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from hooks.core import runner
    from hooks.secrets.engine import Checker, Secret

BASELINE_NAME = ".legacy-config-baseline.json"


def prepare(ctx: runner.Context) -> Checker:
    from hooks.secrets.engine import Checker
    from hooks.secrets.patterns import Compiled

    o = ctx.options
    try:
        patterns = Compiled(tuple(o.sensitive_key), tuple(o.not_sensitive_key), tuple(o.placeholder))
    except re.error as exc:
        raise UsageError(f"bad pattern in a --sensitive-key/--placeholder option: {exc}") from None
    return Checker(patterns)


def _is_baseline(path: str, ctx: runner.Context) -> bool:
    if os.path.basename(path) == BASELINE_NAME:
        return True
    own = [normalise(p) for p in (ctx.shared.baseline, ctx.shared.write_baseline) if p]
    return normalise(path) in own


def scan_file(ctx: runner.Context, checker: Checker, path: str, production: bool = False) -> Iterator[Secret]:
    """Every secret in one file. Files no loader can read are scanned line by line.
    ``production``: production runs the file (its defaults are judged strictly)."""
    from hooks.config import formats

    if path.lower().endswith(formats.TEMPLATE_SUFFIXES) and formats.detect(path) is None:
        yield from _template(ctx, checker, path, production)
        return
    doc = ctx.load(path)  # a broken file is reported by no-duplicate-config-keys, skipped here
    if doc is not None:
        yield from checker.check_document(doc, production)
        return
    broken = ctx.loaded(path)
    if broken is not None:
        if broken.text:  # read, but not parsed (a template, a broken file)
            if broken.error is not None and not broken.error.certain:  # another Python's module
                from hooks.config import python_trees

                python_trees.scanned_as_text(broken.path)  # its notice says it was read line by line
            yield from checker.check_text(path, broken.text)
        return  # empty: unreadable, binary, or nothing in it
    if formats.detect(path) is not None:
        return  # a config file over --max-file-size: the runner said it skipped it
    from hooks.config.source import ReadError, TooLarge, read_text

    try:
        text = read_text(path, ctx.shared.max_file_size)
    except (ReadError, TooLarge):
        return
    yield from checker.check_text(path, text)


def _template(ctx: runner.Context, checker: Checker, path: str, production: bool) -> Iterator[Secret]:
    """A ``*.cfn`` / ``*.template`` file: read as the JSON or YAML it holds when
    it is a CloudFormation template (a deploy script's cloud-init ``write_files``
    can carry keys); any other template of that name is not config."""
    from hooks.config import formats
    from hooks.config.source import ReadError, TooLarge, read_text

    try:
        text = read_text(path, ctx.shared.max_file_size)
    except (ReadError, TooLarge):
        return
    fmt = formats.cloudformation(path, text)
    doc = ctx.load(path, fmt) if fmt else None
    if doc is not None:
        yield from checker.check_document(doc, production)


def _stack_template(path: str, ctx: runner.Context) -> bool:
    from hooks.config import formats

    if not path.lower().endswith(formats.TEMPLATE_SUFFIXES) or formats.detect(path) is not None:
        return False
    from hooks.config.source import ReadError, TooLarge, read_text

    try:
        return formats.cloudformation(path, read_text(path, ctx.shared.max_file_size)) is not None
    except (ReadError, TooLarge):
        return False


def check(path: str, ctx: runner.Context) -> Iterator[Problem]:
    if _is_baseline(path, ctx):
        return  # fingerprints, not secrets
    if _plainly_clean(path, ctx):
        return  # not parsed: nothing in it can be a secret
    from hooks.secrets import context as secret_context

    role, env = ctx.role(path), ctx.environment(path)
    template = secret_context.is_template(path, role)  # .env.example: judged by whether a value is a real key
    if template and not role.from_settings and _stack_template(path, ctx):
        from hooks.repo import roles

        # deploy/app.template holding a CloudFormation stack is deployed as it is, not copied and filled in
        role, template = roles.Role(roles.DEPLOYMENT, "a CloudFormation template: a stack is deployed with it"), False
    secrets = list(scan_file(ctx, ctx.state, path, not template and _runs_in_production(path, env, ctx)))
    # Judged in context (hooks/secrets/context.py): role, environment, the names the file sets.
    names = secret_context.names_in(getattr(ctx.loaded(path), "entries", ()), (secret_context.project_name(),))
    lines = getattr(ctx.loaded(path), "lines", [])
    for secret in secrets:
        if secret.kind == "url" and 0 < secret.line <= len(lines):
            line = "\n".join(lines[secret.line - 1 : secret.line + 5])  # a call may wrap the URL
            if secret_context.to_local_host(line, secret.value):
                continue  # a database on localhost: the developer's own
            if not secret.strict and secret_context.is_name_like(
                secret.value, names | secret_context.url_user_words(line, secret.value)
            ):  # production's fallback database has a password whatever it is named
                continue  # postgres://powersync_storage:powersync_password@db
        if _overridden(path, secret, env, ctx):
            continue  # a development default that production sets again (hooks/repo/production.py)
        fake = template and (ctx.state.p.fake_token(secret.value) or ctx.state.p.encoded_placeholder(secret.value))
        if secret_context.keep(secret.kind, secret.value, secret_context.key_of(secret.where), role, env, names,
                               template=template, fake=fake, strict=secret.strict,
                               overridable=secret_context.is_role_defaults(path)):
            from hooks.core.masking import value_hash  # lazy: hashlib is slow to import, clean files never need it
            from hooks.secrets.engine import TEMPLATE_ADVICE

            advice = TEMPLATE_ADVICE if template and not secret.kind.startswith("token:") else ""
            yield Problem(secret.line, secret.column, secret.message(advice),
                          (secret.kind, secret.where, value_hash(secret.value)))


def _plainly_clean(path: str, ctx: runner.Context) -> bool:
    if not secret_prefilter.judged_here(path) or ctx.state.p.extra_sensitive is not None:
        return False  # a --sensitive-key pattern may match keys without a sensitive word
    cached = ctx.loaded(path)  # the report has parsed it for another check: no second read
    if cached is not None and cached.text:
        return secret_prefilter.plainly_clean(cached.text)
    limit = ctx.shared.max_file_size
    text = secret_prefilter.read_small(path, min(limit, secret_prefilter.MAX_BYTES) if limit else None)
    return text is not None and secret_prefilter.plainly_clean(text)


def _runs_in_production(path: str, env: str | None, ctx: runner.Context) -> bool:
    """Production runs the file: it names production, or it is a settings
    module production runs (hooks/production.py)."""
    if env is not None or not path.endswith(".py"):
        return env == "production"
    from hooks.repo import production

    return production.runs_in_production(path, ctx.roles, ctx.environments)


def _overridden(path: str, secret: Secret, env: str | None, ctx: runner.Context) -> bool:
    if env is not None or secret.kind.startswith("token:") or not path.endswith(".py"):
        return False
    name = re.split(r"[\[. ]", secret.where, maxsplit=1)[0]
    from hooks.repo import production

    return name.isupper() and production.overridden_in_production(path, name, ctx.environments)


def _cache_key(path: str, ctx: runner.Context) -> str | None:
    """A config file's secrets are judged from the file, its path and the settings
    alone; a Python settings module also by the modules beside it (whether
    production runs it, or sets a default again: hooks/repo/production.py), so
    its findings are not kept."""
    return None if path.endswith(".py") else ""


def _is_data(path: str, ctx: runner.Context) -> bool:
    from hooks.core import runner

    return runner.is_data(path, ctx)


HOOK = Hook(
    id="no-inline-secrets",
    summary="Report literal secrets in config files, with their values masked.",
    description=__doc__ or "",
    check=check,
    reads="paths",
    wants=lambda path, ctx: not _is_data(path, ctx),  # test data, lock and vendored files
    prepare=prepare,
    markers=("pragma: allowlist secret",),
    reports_parse_errors=False,
    cache_key=_cache_key,
    options=(
        Option("sensitive-key", "also treat keys matching REGEX (searched in the key in snake_case) as sensitive",
               kind="list", metavar="REGEX"),
        Option("not-sensitive-key", "never treat keys matching REGEX (snake_case) as sensitive",
               kind="list", metavar="REGEX"),
        Option("placeholder", "also accept values fully matching REGEX (case-insensitive) as placeholders",
               kind="list", metavar="REGEX"),
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    return 0 if secret_prefilter.clean_run(argv) else _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    from hooks.core import runner

    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
