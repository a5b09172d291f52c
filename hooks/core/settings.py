"""Project settings, read once from the repository root.

Shared settings live under ``[tool.legacy-config-hooks]`` in ``pyproject.toml``
(``[legacy-config-hooks]`` in ``setup.cfg``), a hook's own options under
``[tool.legacy-config-hooks.<hook-id>]`` (``[legacy-config-hooks:<hook-id>]``).
Keys use dashes or underscores alike. Command-line flags always win. Which
keys are known is checked by the runner, which knows the hook's options.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

from hooks.core.records import field, record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

TOOL = "legacy-config-hooks"
# Shared options may also come from the environment: LEGACY_CONFIG_HOOKS_FORMAT=json.
ENV_PREFIX = "LEGACY_CONFIG_HOOKS_"

# Shared keys: every hook reads them, so they stay at the top level.
SHARED_KEYS = frozenset(
    {
        "baseline", "format", "max-file-size", "report-stale",
        # the change-note policy, shared by require-rollback-note and new-config-note
        "notes-dir", "config-files", "exempt-files", "migrations-need-notes",
    }
)
# The declared type of every shared key: a value of another type is exit 2
# naming the key (hooks/runner.py, check_type). "path": a string naming a
# file or folder inside the repository.
SHARED_TYPES: Mapping[str, str] = {
    "baseline": "path", "format": "str", "max-file-size": "size", "report-stale": "bool",
    "notes-dir": "path", "config-files": "str", "exempt-files": "str", "migrations-need-notes": "bool",
}
# Shared tables (nested, not hook ids).
SHARED_TABLES = frozenset({"environments", "roles"})

# Flat keys that held a hook's option before per-hook tables (0.1.x):
# key -> (hook id, option name). Read for one more release, with a notice.
LEGACY_FLAT_KEYS: Mapping[str, tuple[str, str]] = {
    "allow-env-files": ("forbid-env-files", "allow"),
    "debug-keys": ("no-debug-in-production", "key"),
    "sensitive-keys": ("no-inline-secrets", "sensitive-key"),
    "not-sensitive-keys": ("no-inline-secrets", "not-sensitive-key"),
    "placeholders": ("no-inline-secrets", "placeholder"),
    "pair": ("check-staging-parity", "pair"),
    "allow-missing": ("check-staging-parity", "allow-missing"),
    "require-pair": ("check-staging-parity", "require-pair"),
    "mapping": ("rename-legacy-keys", "mapping"),
    "diff": ("rename-legacy-keys", "diff"),
    "default-owner": ("new-config-note", "default-owner"),
}


def key(name: str) -> str:
    """The one spelling of a settings key: dashes."""
    return str(name).replace("_", "-")


@record
class ProjectSettings:
    """What the settings file says, keys normalised to dashes."""

    top: dict[str, Any] = field(default_factory=dict)  # scalar and list keys
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)  # sub-tables by name
    source: str = ""  # "pyproject.toml", "setup.cfg" or "" (none)

    def where(self, table: str | None = None) -> str:
        """How the user names a table in the file they use."""
        if self.source == "setup.cfg":
            return f"[{TOOL}:{table}]" if table else f"[{TOOL}]"
        return f"[tool.{TOOL}.{table}]" if table else f"[tool.{TOOL}]"


def configured(root: str = ".") -> bool:
    """Could settings or the environment change what a run does? The same
    cheap tests as ``load``, without parsing anything (start-up fast paths)."""
    if any(name.startswith(ENV_PREFIX) for name in os.environ):
        return True
    pyproject = _read(os.path.join(root, "pyproject.toml"))
    setup_cfg = _read(os.path.join(root, "setup.cfg"))
    return (pyproject is not None and TOOL in pyproject) or (setup_cfg is not None and f"[{TOOL}" in setup_cfg)


def load(root: str = ".") -> ProjectSettings:
    """Settings from ``root``; empty when there are none.

    Raises ValueError with a one-line message when the file holding them is broken.
    """
    text = _read(os.path.join(root, "pyproject.toml"))
    if text is not None and TOOL in text:  # cheap test first: no TOML import on most runs
        from hooks.config.loaders.toml_loader import _tomllib

        tomllib = _tomllib()
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"pyproject.toml: cannot read [tool.{TOOL}]: {exc}") from None
        table = data.get("tool", {}).get(TOOL)
        if isinstance(table, dict):
            return _split(table, "pyproject.toml")
    text = _read(os.path.join(root, "setup.cfg"))
    if text is not None and f"[{TOOL}" in text:
        import configparser

        parser = configparser.RawConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(text, source="setup.cfg")
        except configparser.Error as exc:
            raise ValueError(f"setup.cfg: cannot read [{TOOL}]: {str(exc).splitlines()[0]}") from None
        out = ProjectSettings(source="setup.cfg")
        if parser.has_section(TOOL):
            out.top = {key(k): v for k, v in parser.items(TOOL)}
        for section in parser.sections():
            # [legacy-config-hooks:<hook-id>]; [legacy-config-hooks.environments] as before
            for sep in (":", "."):
                if section.startswith(TOOL + sep):
                    name = key(section[len(TOOL) + 1 :].strip())
                    items: dict[str, Any] = {key(k): v for k, v in parser.items(section)}
                    if name in SHARED_TABLES:
                        items = {k: as_list(v) for k, v in items.items()}
                    out.tables.setdefault(name, {}).update(items)
        return out
    return ProjectSettings()


def _split(table: dict[str, Any], source: str) -> ProjectSettings:
    out = ProjectSettings(source=source)
    for name, value in table.items():
        if isinstance(value, dict):
            out.tables[key(name)] = {key(k): v for k, v in value.items()} if key(name) not in SHARED_TABLES else value
        else:
            out.top[key(name)] = value
    return out


def _read(path: str) -> str | None:
    from hooks.config.source import DEFAULT_MAX_BYTES, ReadError, TooLarge, read_bytes

    try:  # a regular file within the budget: pyproject.toml may be a symlink to /dev/zero
        return read_bytes(path, DEFAULT_MAX_BYTES).decode("utf-8")
    except (ReadError, TooLarge, UnicodeDecodeError):
        return None


_TYPE_NAMES = {"str": "a string", "path": "a path (a string)", "int": "an integer", "bool": "true or false",
               "size": "a size (10MB, or a number of bytes)", "list": "a list of strings"}


def check_type(kind: str, value: Any, where: str) -> None:
    """ValueError naming ``where`` when ``value`` (from TOML or setup.cfg) is
    not of the declared ``kind``. setup.cfg values are always strings and are
    converted later; TOML values must have the right type."""
    ok: bool
    if kind in ("str", "path"):
        ok = isinstance(value, str) and (kind != "path" or (value.strip() != "" and "\0" not in value))
    elif kind == "bool":
        ok = isinstance(value, (bool, str))
    elif kind in ("int", "size"):
        ok = isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
    elif kind == "list":
        ok = isinstance(value, str) or (
            isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
        )
    else:  # pragma: no cover - every kind is named above
        ok = True
    if not ok:
        shown = type(value).__name__ if not isinstance(value, str) else repr(value[:40])
        raise ValueError(f"{where} must be {_TYPE_NAMES.get(kind, kind)}, not {shown}")


def as_list(value: Any) -> list[str]:
    """A list option from TOML (a list) or setup.cfg (lines or commas)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    text = str(value)
    parts = text.splitlines() if "\n" in text.strip() else text.split(",")
    return [p.strip() for p in parts if p.strip()]


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r} (use true or false)")


def closest(name: str, known: list[str]) -> str:
    """`; did you mean 'baseline'?` or nothing."""
    import difflib

    match = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""
