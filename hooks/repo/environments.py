"""Which environment a config file belongs to, read from its path alone."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any


PRODUCTION = "production"
STAGING = "staging"
DEVELOPMENT = "development"
TEST = "test"

DEFAULT_PATTERNS: Mapping[str, Sequence[str]] = {
    PRODUCTION: ("production", "prod", "prd", "live"),
    STAGING: ("staging", "stage", "stg", "preprod"),
    DEVELOPMENT: ("development", "dev", "local"),
    TEST: ("test", "testing", "ci"),
}

_SPLIT = re.compile(r"[/\\._\-]+")


def tokens(path: str) -> list[Any]:
    """Path tokens, file name first, then its folders from the nearest up."""
    parts = path.replace("\\", "/").split("/")
    out: list[Any] = []
    for part in reversed(parts):
        out.extend(t.lower() for t in _SPLIT.split(part) if t)
    return out


def environment_of(path: str, patterns: Mapping[str, Sequence[str]] | None = None) -> str | None:
    """``config/production.yaml`` -> "production"; ``settings/base.py`` -> None.

    The file name decides before its folders, so ``deploy/prod/values-staging.yaml``
    is staging.
    """
    patterns = patterns or DEFAULT_PATTERNS
    lookup = {word.lower(): env for env, words in patterns.items() for word in words}
    for token in tokens(path):
        if token in lookup:
            return lookup[token]
    return None
