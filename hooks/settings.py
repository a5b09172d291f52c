"""Project-wide settings, read once from the repository root.

Options shared by several hooks can be set in ``pyproject.toml``::

    [tool.legacy-config-hooks]
    baseline = ".legacy-config-baseline.json"

or, for a legacy project without one, in ``setup.cfg`` under
``[legacy-config-hooks]``. Keys use dashes or underscores alike. Command-line
flags always win.
"""
from __future__ import annotations

import os
from typing import Any, Dict

TOOL = "legacy-config-hooks"


def _normalise(data: Dict[str, Any]) -> Dict[str, Any]:
    return {str(k).replace("-", "_"): v for k, v in data.items()}


def load(root: str = ".") -> Dict[str, Any]:
    """Settings from ``root``; an empty dict when there are none.

    Raises ValueError with a one-line message when the file holding them is broken.
    """
    pyproject = os.path.join(root, "pyproject.toml")
    text = _read(pyproject)
    if text is not None and TOOL in text:  # cheap test first: no TOML import on most runs
        from hooks.loaders.toml_loader import _tomllib

        tomllib = _tomllib()
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"pyproject.toml: cannot read [tool.{TOOL}]: {exc}") from None
        table = data.get("tool", {}).get(TOOL)
        if isinstance(table, dict):
            return _normalise(table)
    setup_cfg = os.path.join(root, "setup.cfg")
    text = _read(setup_cfg)
    if text is not None and f"[{TOOL}" in text:
        import configparser

        parser = configparser.RawConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(text, source="setup.cfg")
        except configparser.Error as exc:
            raise ValueError(f"setup.cfg: cannot read [{TOOL}]: {str(exc).splitlines()[0]}") from None
        out: Dict[str, Any] = {}
        if parser.has_section(TOOL):
            out.update(_normalise(dict(parser.items(TOOL))))
        # [legacy-config-hooks.environments] etc. become nested tables.
        for section in parser.sections():
            if section.startswith(TOOL + "."):
                out[section[len(TOOL) + 1 :].replace("-", "_")] = {
                    k: as_list(v) for k, v in parser.items(section)
                }
        return out
    return {}


def _read(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


def as_list(value: Any) -> list:
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
    return str(value).strip().lower() in {"1", "true", "yes", "on"}
