"""Report deprecated config keys listed in the project's mapping file and, with
--fix, rename them in place, changing nothing in the file but the key.

The mapping file (.legacy-keys.yaml) lists ``renamed:`` keys with their new
names and ``removed:`` keys with a message; removed keys are only reported.
A Python settings name read elsewhere as ``settings.OLD`` or
``getattr(settings, "OLD")`` is reported, never rewritten.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence

from hooks.checks.rename_legacy_keys import key_mapping
from hooks.checks.rename_legacy_keys.key_mapping import Rule, display
from hooks.checks.rename_legacy_keys.renamers.plan import (
    AMBIGUOUS,
    CONFLICT,
    FIX,
    MANUAL,
    MOVE,
    REMOVED,
    Use,
    check_document,
    fix_document,
)
from hooks.config import formats, python_trees
from hooks.config.document import Document
from hooks.config.paths import normalise
from hooks.core import runner
from hooks.core.api import Hook, Option, Problem, UsageError

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def python_reads(path: str, text: str, rules: Sequence[Rule]) -> list[tuple[int, int, str, Rule]]:
    """``settings.OLD`` and ``getattr(settings, "OLD")`` in Python code, for
    single-name rules: reported only, code is never rewritten."""
    import ast

    names = {r.source.parts[0]: r for r in rules if len(r.source.parts) == 1 and _IDENTIFIER.match(r.source.parts[0])}
    if not names or not any(name in text for name in names):
        return []
    try:
        tree = python_trees.parse(text, path)
    except (SyntaxError, ValueError):
        return []

    def is_settings(node: ast.AST) -> bool:
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        return name.lower().endswith("settings")

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in names and is_settings(node.value):
            found.append((node.end_lineno or node.lineno, (node.end_col_offset or 0) - len(node.attr), node.attr))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
            and len(node.args) >= 2
            and is_settings(node.args[0])
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in names
        ):
            found.append((node.args[1].lineno, node.args[1].col_offset, node.args[1].value))
    lines = text.split("\n")
    out = []
    for line, offset, name in sorted(found):
        column = len(lines[line - 1].encode("utf-8")[:offset].decode("utf-8", "replace")) + 1
        out.append((line, column, name, names[name]))
    return out


def _relpath(path: str) -> str:
    rel = os.path.relpath(path) if os.path.isabs(path) else path
    return normalise(rel)


def check_path(ctx: runner.Context, path: str, rules: Sequence[Rule]) -> Iterator[Problem]:
    """Report (and with --fix, rename) every listed key in one file."""
    fix, diff = ctx.options.fix, ctx.options.diff
    rel = _relpath(path)
    active = [r for r in rules if r.applies_to(rel)]
    fmt = formats.detect(path)
    if not active or fmt is None:
        return
    if fmt == formats.PYTHON:
        yield from _report_reads(ctx, path, active)
        if not formats.is_settings_module(rel):  # other .py files are only searched for reads
            return
    ctx.mark_checked(path)
    # no-duplicate-config-keys reports broken files; with --fix, say why one is not fixed.
    doc = ctx.load(path, strict=bool(ctx.options.fix))
    if doc is None:
        return
    uses = check_document(doc, active)
    new_text = fix_document(doc, uses) if any(u.status in (FIX, MOVE) for u in uses) else None
    if new_text is not None and (fix or diff):
        new_text = _write(ctx, doc, new_text, uses, fix, diff)
    for use in uses:
        if new_text is not None and fix and use.status in (FIX, MOVE):
            ctx.notice(f"{path}:{use.entry.line}: renamed {display(use.key)} to {use.new_name()}", always=True)
            continue
        identity = (use.status if use.status in (REMOVED, AMBIGUOUS, CONFLICT) else "renamed", display(use.key))
        yield Problem(use.entry.line, use.entry.column, use.message(), identity, path=doc.path)


def _write(ctx: runner.Context, doc: Document, new_text: str, uses: list[Use], fix: bool, diff: bool) -> str | None:
    """Write (with --fix) and/or print the diff; None when the file cannot be written exactly."""
    from hooks.config.fixing import atomic_write, read_source, unified_diff
    from hooks.config.source import ReadError, TooLarge

    try:
        source = read_source(doc.path)
        if source.text != doc.text:
            raise ReadError("the file changed while it was being checked")
    except (ReadError, TooLarge) as exc:
        for use in uses:
            if use.status in (FIX, MOVE):
                use.status, use.detail = MANUAL, str(exc)
        return None
    if diff:
        from hooks.secrets.engine import mask_secrets

        patch = mask_secrets(unified_diff(doc.path, doc.text, new_text), doc)  # never a secret in full
        if ctx.shared.format in ("json", "sarif"):  # keep stdout one document
            for line in patch.rstrip("\n").split("\n"):
                ctx.notice(line, always=True)
        else:
            ctx.emit(patch)
    if fix:
        try:
            atomic_write(doc.path, source.encode(new_text))
        except OSError as exc:  # hooks.core.writing.WriteError too: a symlink, outside the repo
            for use in uses:
                if use.status in (FIX, MOVE):
                    use.status, use.detail = MANUAL, f"cannot write the file: {exc.strerror or exc}"
            return None
        ctx.changed = True
    return new_text


def _report_reads(ctx: runner.Context, path: str, rules: Sequence[Rule]) -> Iterator[Problem]:
    from hooks.config.source import ReadError, TooLarge, read_text

    try:
        text = read_text(path, ctx.shared.max_file_size)
    except (ReadError, TooLarge):
        return  # a broken .py file is not ours to report unless it is a settings module
    for line, column, name, rule in python_reads(path, text, rules):
        if rule.target is None:
            message = f"reads {name}, a removed setting: {rule.message or 'stop reading it'} (code is never changed by --fix)"
        else:
            message = f"reads {name}, a deprecated setting; read {rule.target} instead (code is never changed by --fix)"
        yield Problem(line, column, message, ("read", name), path=path)


def prepare(ctx: runner.Context) -> list[Rule] | None:
    """The mapping's rules; None when the default mapping file does not exist."""
    mapping = ctx.options.mapping or key_mapping.DEFAULT_PATH
    if not ctx.options.mapping and not os.path.exists(mapping):
        # The collection's snippet enables every hook: a repo that has listed no
        # deprecated keys yet has nothing to rename, which is not an error.
        ctx.notice(f"nothing to check: no {mapping} lists deprecated keys", once_per_run=True)
        return None
    try:
        return key_mapping.load(mapping)
    except key_mapping.MappingError as exc:
        lines = exc.lines("rename-legacy-keys")
        if not os.path.exists(mapping):
            lines.append(f"rename-legacy-keys: list the deprecated keys in {mapping}, or point --mapping at the file")
        raise UsageError(str(exc), lines) from None


def check(path: str, ctx: runner.Context) -> Iterator[Problem]:
    rules = ctx.state
    mapping = ctx.options.mapping or key_mapping.DEFAULT_PATH
    if rules and not key_mapping.is_mapping_file(path, mapping):
        yield from check_path(ctx, path, rules)


HOOK = Hook(
    id="rename-legacy-keys",
    summary="Report deprecated config keys from the project's mapping file; with --fix, rename them in place.",
    description=__doc__ or "",
    check=check,
    reads="paths",
    reports_parse_errors=False,
    prepare=prepare,
    options=(
        Option("mapping", f"the mapping file of renamed and removed keys (default: {key_mapping.DEFAULT_PATH})",
               metavar="PATH"),
        Option("fix", "rename the keys in place (removed keys are only reported)", kind="bool", settable=False),
        Option("diff", "print the unified diff of what --fix would change", kind="bool"),
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
