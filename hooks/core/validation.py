"""Reading a JSON input that comes from outside the work tree (``merge``'s
reports, the report's history, the baseline): a regular file, a byte budget,
bounded nesting, then the versioned JSON Schema, checked by ``jsonschema``.

Every failure is :class:`ValueError` with one line naming the file and, for a
schema mismatch, where in the document it is; callers turn it into exit 2.
``jsonschema`` is imported only when a file is validated, so a hook run
without a baseline never pays for it.
"""
from __future__ import annotations

import json

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

MAX_INPUT_BYTES = 32 * 1024 * 1024  # one merge input, a history or a baseline: larger is refused
MAX_MERGE_BYTES = 64 * 1024 * 1024  # every merge input together
MAX_DEPTH = 64  # deeper than any document of ours: refused before json sees it
_validators: dict[str, Any] = {}


class Missing(ValueError):
    """The file does not exist (callers may start from an empty one)."""


def read_json(path: str, what: str, max_bytes: int = MAX_INPUT_BYTES) -> Any:
    """The JSON value in ``path``: a regular file (a symlink to one is read),
    at most ``max_bytes``, nested at most ``MAX_DEPTH`` deep."""
    from hooks.config import source  # the one bounded read of a regular file

    try:
        raw = source.read_bytes(path, max_bytes)
    except source.TooLarge:
        raise ValueError(f"{path}: {what} is larger than the {max_bytes // (1024 * 1024)}MB limit") from None
    except source.ReadError as exc:
        reason = str(exc).removeprefix("cannot read: ")
        if reason in ("no such file", "broken symlink"):
            raise Missing(f"{path}: no such file") from None
        if reason in ("is a directory", "not a regular file"):
            reason = "not a regular file"
        raise ValueError(f"{path}: cannot read {what}: {reason}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not {what} (not UTF-8)") from None
    depth = nesting(text)
    if depth > MAX_DEPTH:
        raise ValueError(f"{path}: not {what} (nested {depth} deep; at most {MAX_DEPTH})")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ValueError(f"{path}: not {what} ({reason})") from None


def nesting(text: str) -> int:
    """How deep brackets nest in JSON text, strings skipped; linear time."""
    depth = peak = 0
    in_string = escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth > peak:
                peak = depth
        elif c in "]}":
            depth -= 1
    return peak


def validate(data: Any, schema: str, path: str, what: str) -> None:
    """Check ``data`` against the JSON Schema in the file ``schema``
    (``hooks/core/schema/baseline.schema.json``, ``hooks/report/schema/*``)."""
    validator = _validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(list(e.absolute_path)), str(e.message)))
    if not errors:
        return
    from jsonschema.exceptions import best_match  # type: ignore[import-untyped,unused-ignore]

    error = best_match(errors) or errors[0]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path) or "the top level"
    from hooks.core.escaping import text

    message = text(error.message)
    if len(message) > 160:
        message = message[:157] + "..."
    raise ValueError(f"{path}: not {what}: at {text(where)[:120]}: {message}")


def _validator(schema: str) -> Any:
    if schema not in _validators:
        import jsonschema  # type: ignore[import-untyped,unused-ignore]

        with open(schema, encoding="utf-8") as handle:
            document = json.load(handle)
        cls = jsonschema.validators.validator_for(document)
        _validators[schema] = cls(document)
    return _validators[schema]


def load(path: str, schema: str, what: str, max_bytes: int = MAX_INPUT_BYTES) -> Any:
    """Read and validate; :class:`Missing` when there is no file."""
    data = read_json(path, what, max_bytes)
    validate(data, schema, path, what)
    return data
