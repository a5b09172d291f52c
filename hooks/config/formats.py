"""Which format a file is in, from its name alone (no file is opened here)."""
from __future__ import annotations

import os
import re

YAML = "yaml"
INI = "ini"
DOTENV = "dotenv"
TOML = "toml"
JSON = "json"
PROPERTIES = "properties"
PYTHON = "python"

ALL = (YAML, INI, DOTENV, TOML, JSON, PROPERTIES, PYTHON)

_BY_SUFFIX = {
    ".yaml": YAML,
    ".yml": YAML,
    ".ini": INI,
    ".cfg": INI,
    ".conf": INI,
    ".toml": TOML,
    ".json": JSON,
    ".jsonc": JSON,  # read as JSONC by the JSON loader
    ".jsonl": JSON,  # read line by line by the JSON loader
    ".ndjson": JSON,
    ".properties": PROPERTIES,
    ".env": DOTENV,
    ".py": PYTHON,
}
# Second suffixes that mark a copy or sample of a config file: look through them.
_SAMPLE_SUFFIXES = {".example", ".sample", ".dist", ".orig", ".default", ".defaults", ".local"}
_DOTENV_NAME = re.compile(r"^\.env([.-].+)?$")  # .env.production, and the hyphenated .env-production, .env-dist
_ENVS_FOLDER = re.compile(r"(^|/)\.envs/")




def is_settings_module(path: str) -> bool:
    """``settings.py``, ``settings/*.py``, ``*_settings.py``, ``config.py``, ``config/*.py``."""
    from hooks.config.paths import SETTINGS_MODULE

    return bool(SETTINGS_MODULE.search(path.replace("\\", "/")))


def detect(path: str) -> str | None:
    name = os.path.basename(path)
    if _DOTENV_NAME.match(name):
        # .env.patch, .env.diff: a diff of an env file is not one (issue 11)
        return None if name.lower().endswith((".patch", ".diff", ".rej", ".orig")) else DOTENV
    if _ENVS_FOLDER.search(path.replace("\\", "/")) and "." not in name.lstrip("."):
        return DOTENV  # cookiecutter-django's .envs/.production/.django
    stem, suffix = os.path.splitext(name)
    suffix = suffix.lower()
    if suffix in _SAMPLE_SUFFIXES or suffix == ".conf-sample":
        inner = os.path.splitext(stem)[1].lower()
        if inner in _BY_SUFFIX:
            return _BY_SUFFIX[inner]
        if suffix == ".conf-sample":
            return INI
    return _BY_SUFFIX.get(suffix)


# CloudFormation templates kept under their own suffix (``console-deploy.cfn``,
# AWS's ``*.template``): JSON or YAML, told apart by their text.
TEMPLATE_SUFFIXES = (".cfn", ".template")
_CLOUDFORMATION = re.compile(r'"?AWSTemplateFormatVersion"?\s*:|^\s*"Resources"\s*:|^Resources:', re.M)


def cloudformation(path: str, text: str) -> str | None:
    """JSON or YAML for a CloudFormation template named ``*.cfn`` or
    ``*.template`` (its text holds ``AWSTemplateFormatVersion`` or a
    ``Resources`` key); None for any other file."""
    if not path.lower().endswith(TEMPLATE_SUFFIXES) or detect(path) is not None:
        return None
    if _CLOUDFORMATION.search(text[:65536]) is None:
        return None
    return JSON if text.lstrip("\ufeff \t\r\n").startswith("{") else YAML


def label(fmt: str) -> str:
    """The name users know the format by, for messages."""
    return {DOTENV: "dotenv", PYTHON: "Python", PROPERTIES: ".properties"}.get(fmt, fmt.upper())
