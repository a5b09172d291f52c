"""The collection's manifest (.pre-commit-hooks.yaml) and console scripts, as the tests read them."""
from __future__ import annotations

import configparser

from ruamel.yaml import YAML

from tests.conftest import ROOT


def manifest() -> list:
    return YAML(typ="safe", pure=True).load((ROOT / ".pre-commit-hooks.yaml").read_text())


def console_scripts() -> dict:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    lines = parser["options.entry_points"]["console_scripts"].strip().splitlines()
    return dict(tuple(part.strip() for part in line.split("=", 1)) for line in lines)


HOOKS = manifest()
