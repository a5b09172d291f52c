"""Find a config file's partner in another environment from its path alone.

``config/production.yaml`` <-> ``config/staging.yaml``, ``settings/prod.py`` <->
``settings/staging.py``, ``.env.production`` <-> ``.env.staging``,
``deploy/prod/app.yaml`` <-> ``deploy/staging/app.yaml``: the partner is the
same path with the environment word swapped for one of the other
environment's words, in the same format. Only files that exist count.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence

from hooks.config import formats

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

_SEPARATORS = re.compile(r"([/\\._\-]+)")
# Suffixes of one format that a partner may use instead (production.yaml, staging.yml).
_SAME_FORMAT = {".yaml": (".yml",), ".yml": (".yaml",)}


def _styled(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word.capitalize()
    return word


def candidates(path: str, env: str, target: str, patterns: Mapping[str, Sequence[str]]) -> list[str]:
    """Where ``path``'s partner in ``target`` would be, most likely first.

    The environment word that decides ``path``'s environment is swapped first
    (the file name before its folders, as ``hooks.repo.environments`` reads it);
    then every word of ``env`` at once (``deploy/prod/values-prod.yaml``).
    """
    own = {w.lower() for w in patterns.get(env, ())}
    words = list(patterns.get(target, ()))
    pieces = _SEPARATORS.split(path.replace("\\", "/"))
    # Token positions in the order environment_of reads them: the file name's
    # tokens first, then each folder's, nearest first; of a folder's dot-part
    # of three or more words only the first and last (hooks.repo.environments.tokens).
    components: list[list[list[int]]] = [[[]]]
    for index, piece in enumerate(pieces):
        if "/" in piece or "\\" in piece:
            components.append([[]])
        elif "." in piece:
            components[-1].append([])
        elif piece and not _SEPARATORS.fullmatch(piece):
            components[-1][-1].append(index)
    order: list[int] = []
    for depth, component in enumerate(reversed(components)):
        for part in component:
            order.extend(part if depth == 0 or len(part) <= 2 else [part[0], part[-1]])
    lookup = {w.lower(): e for e, ws in patterns.items() for w in ws}
    deciding = next((i for i in order if pieces[i].lower() in lookup), None)
    if deciding is None or lookup[pieces[deciding].lower()] != env:
        return []
    ours = [i for i in order if pieces[i].lower() in own]
    out: list[str] = []
    for positions in ([deciding], ours):
        for word in words:
            swapped = list(pieces)
            for i in positions:
                swapped[i] = _styled(word, pieces[i])
            out.append("".join(swapped))
    root, suffix = os.path.splitext(path)
    for alternative in _SAME_FORMAT.get(suffix.lower(), ()):
        out += [c[: len(c) - len(suffix)] + alternative for c in list(out)]
    seen: set[Any] = set()
    return [c for c in out if not (c in seen or seen.add(c))]  # type: ignore[func-returns-value]


def find_partner(path: str, env: str, target: str, patterns: Mapping[str, Sequence[str]]) -> str | None:
    """The first existing candidate in the same format as ``path``, or None."""
    fmt = formats.detect(path)
    for candidate in candidates(path, env, target, patterns):
        if candidate != path and formats.detect(candidate) == fmt and os.path.isfile(candidate):
            return candidate
    return None
