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
_WORDS = re.compile(r"[_\-]+")


def tokens(path: str) -> list[Any]:
    """Path tokens, file name first, then its folders from the nearest up.

    Every word of the file name is a token (``settings_staging.py``,
    ``.env.staging``, ``docker-compose.prod.yml``, ``values-prod-eu.yaml``).
    A folder is split at dots; a dot-part that is one word is a token
    (``prod/``, ``.envs/.production/``), and of a dot-part of several words
    joined by ``_`` or ``-`` only the first and last are, the affixes
    (``deploy-prod/``, ``k8s_staging/``, ``prod_settings/``): a word inside a
    longer folder name (``seed_stage_based_messaging/``) is part of a package
    or project name, not an environment.
    """
    parts = path.replace("\\", "/").split("/")
    out: list[Any] = []
    for index, part in enumerate(reversed(parts)):
        for piece in part.split("."):
            words = [w.lower() for w in _WORDS.split(piece) if w]
            if index and len(words) > 2:
                words = [words[0], words[-1]]
            out.extend(words)
    return out


def environment_of(path: str, patterns: Mapping[str, Sequence[str]] | None = None) -> str | None:
    """``config/production.yaml`` -> "production"; ``settings/base.py`` -> None.

    The file name decides before its folders, so ``deploy/prod/values-staging.yaml``
    is staging. ``seed_stage_based_messaging/settings.py`` is no environment
    (see ``tokens``).
    """
    patterns = patterns or DEFAULT_PATTERNS
    lookup = {word.lower(): env for env, words in patterns.items() for word in words}
    for token in tokens(path):
        if token in lookup:
            return lookup[token]
    return None
