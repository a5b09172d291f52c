"""Report literal secrets in config files, with their values masked.

Three kinds: a sensitive key (``password``, ``DB_PASSWORD``, ``api_key``,
``DATABASES["default"]["PASSWORD"]``) with a literal value; a known token
format (AWS, GitHub, GitLab, Slack, Stripe, Google, SendGrid, PyPI, OpenAI,
JWT, PEM private keys, ...) anywhere; a password inside a URL or DSN.
References to the environment or a secret store, placeholders, paths to secret
files and keys that only look sensitive pass. The tables live in
``hooks/secret_patterns.py``.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence

from hooks import formats, runner
from hooks.api import Hook, Option, Problem, UsageError
from hooks.masking import value_hash
from hooks.paths import normalise
from hooks.secret_engine import Checker, Secret
from hooks.secret_patterns import Compiled

BASELINE_NAME = ".legacy-config-baseline.json"


def prepare(ctx: runner.Context) -> Checker:
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


def scan_file(ctx: runner.Context, checker: Checker, path: str) -> Iterator[Secret]:
    """Every secret in one file. Files no loader can read are scanned line by line."""
    doc = ctx.load(path)  # reports unreadable and unparsable files
    if doc is not None:
        yield from checker.check_document(doc)
        return
    broken = ctx.loaded(path)
    if broken is not None:
        if broken.text:  # read, but not parsed (a template, a broken file)
            yield from checker.check_text(path, broken.text)
        return  # empty: unreadable, binary, or nothing in it
    if formats.detect(path) is not None:
        return  # a config file over --max-file-size: the runner said it skipped it
    from hooks.source import ReadError, TooLarge, read_text

    try:
        text = read_text(path, ctx.shared.max_file_size)
    except (ReadError, TooLarge):
        return
    yield from checker.check_text(path, text)


def check(path: str, ctx: runner.Context) -> Iterator[Problem]:
    if _is_baseline(path, ctx):
        return  # fingerprints, not secrets
    for secret in scan_file(ctx, ctx.state, path):
        yield Problem(secret.line, secret.column, secret.message(),
                      (secret.kind, secret.where, value_hash(secret.value)))


HOOK = Hook(
    id="no-inline-secrets",
    summary="Report literal secrets in config files, with their values masked.",
    description=__doc__ or "",
    check=check,
    reads="paths",
    prepare=prepare,
    markers=("pragma: allowlist secret",),
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
    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
