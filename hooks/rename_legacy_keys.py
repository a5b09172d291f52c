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
import sys
from typing import List, Optional, Sequence, Tuple

from hooks import cli, formats, key_mapping
from hooks.document import Document
from hooks.key_mapping import Rule, display
from hooks.renamers.plan import AMBIGUOUS, CONFLICT, FIX, MANUAL, MOVE, REMOVED, Use, check_document, fix_document

HOOK_ID = "rename-legacy-keys"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def python_reads(path: str, text: str, rules: Sequence[Rule]) -> List[Tuple[int, int, str, Rule]]:
    """``settings.OLD`` and ``getattr(settings, "OLD")`` in Python code, for
    single-name rules: reported only, code is never rewritten."""
    import ast

    names = {r.source.parts[0]: r for r in rules if len(r.source.parts) == 1 and _IDENTIFIER.match(r.source.parts[0])}
    if not names or not any(name in text for name in names):
        return []
    try:
        tree = ast.parse(text)
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
    return cli.normpath(rel)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = cli.make_parser(HOOK_ID, __doc__)
    parser.add_argument(
        "--mapping", metavar="PATH", help=f"the mapping file of renamed and removed keys (default: {key_mapping.DEFAULT_PATH})"
    )
    parser.add_argument("--fix", action="store_true", help="rename the keys in place (removed keys are only reported)")
    parser.add_argument("--diff", action="store_true", help="print the unified diff of what --fix would change")
    args = cli.parse_args(parser, argv)
    mapping = args.mapping or key_mapping.DEFAULT_PATH
    if not args.mapping and not os.path.exists(mapping):
        # The collection's snippet enables every hook: a repo that has listed no
        # deprecated keys yet has nothing to rename, which is not an error.
        sys.stderr.write(f"{HOOK_ID}: nothing to check: no {mapping} lists deprecated keys yet\n")
        return 0
    try:
        rules = key_mapping.load(mapping)
    except key_mapping.MappingError as exc:
        sys.stderr.write("\n".join(exc.lines(HOOK_ID)) + "\n")
        if not os.path.exists(mapping):
            sys.stderr.write(f"{HOOK_ID}: list the deprecated keys in {mapping}, or point --mapping at the file\n")
        return 2
    run = cli.HookRun(HOOK_ID, args)
    for path in args.filenames:
        if not key_mapping.is_mapping_file(path, mapping):
            check_path(run, path, rules)
    return run.finish()


def check_path(run: cli.HookRun, path: str, rules: Sequence[Rule]) -> None:
    """Report (and with --fix, rename) every listed key in one file."""
    args = run.args
    rel = _relpath(path)
    active = [r for r in rules if r.applies_to(rel)]
    fmt = formats.detect(path)
    if not active or fmt is None:
        return
    if fmt == formats.PYTHON:
        _report_reads(run, path, active)
        if not formats.is_settings_module(rel):  # other .py files are only searched for reads
            return
    run.checked.append(path)
    # no-duplicate-config-keys reports broken files; --fix says why it cannot fix one.
    doc = run.load(path, report_errors=bool(args.fix))
    if doc is None:
        return
    uses = check_document(doc, active)
    new_text = fix_document(doc, uses) if any(u.status in (FIX, MOVE) for u in uses) else None
    if new_text is not None and (args.fix or args.diff):
        diff_out = (sys.stderr if args.format in ("json", "sarif") else sys.stdout) if args.diff else None
        new_text = _write(run, doc, new_text, uses, args.fix, diff_out)
    for use in uses:
        if new_text is not None and args.fix and use.status in (FIX, MOVE):
            sys.stderr.write(f"{path}:{use.entry.line}: renamed {display(use.key)} to {use.new_name()}\n")
            continue
        identity = (use.status if use.status in (REMOVED, AMBIGUOUS, CONFLICT) else "renamed", display(use.key))
        run.report(doc.path, use.entry.line, use.entry.column, use.message(), *identity)


def _write(run: cli.HookRun, doc: Document, new_text: str, uses: List[Use], fix: bool, diff_out: object) -> Optional[str]:
    """Write (with --fix) and/or print the diff; None when the file cannot be written exactly."""
    from hooks.fixing import atomic_write, read_source, unified_diff
    from hooks.source import ReadError, TooLarge

    try:
        source = read_source(doc.path)
        if source.text != doc.text:
            raise ReadError("the file changed while it was being checked")
    except (ReadError, TooLarge) as exc:
        for use in uses:
            if use.status in (FIX, MOVE):
                use.status, use.detail = MANUAL, str(exc)
        return None
    if diff_out is not None:
        diff_out.write(unified_diff(doc.path, doc.text, new_text))  # type: ignore[attr-defined]
    if fix:
        try:
            atomic_write(doc.path, source.encode(new_text))
        except OSError as exc:
            for use in uses:
                if use.status in (FIX, MOVE):
                    use.status, use.detail = MANUAL, f"cannot write the file: {exc.strerror or exc}"
            return None
        run.changed = True
    return new_text


def _report_reads(run: cli.HookRun, path: str, rules: Sequence[Rule]) -> None:
    from hooks.source import ReadError, TooLarge, read_text

    try:
        text = read_text(path, run.args.max_file_size)
    except (ReadError, TooLarge):
        return  # a broken .py file is not ours to report unless it is a settings module
    for line, column, name, rule in python_reads(path, text, rules):
        if rule.target is None:
            message = f"reads {name}, a removed setting: {rule.message or 'stop reading it'} (code is never changed by --fix)"
        else:
            message = f"reads {name}, a deprecated setting; read {rule.target} instead (code is never changed by --fix)"
        run.report(path, line, column, message, "read", name)


if __name__ == "__main__":
    raise SystemExit(main())
