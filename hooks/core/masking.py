"""How a secret may appear in output and in the baseline: masked, or hashed.

A masked value shows at most its first 2 characters (and none for values
shorter than 8, where 2 characters would give too much away) and its length.
The baseline and fingerprints hold a salted hash, never the value: sha256 of
``SALT + value``, truncated to 16 hex digits. The salt is fixed and public so
that fingerprints are the same on every machine; it only keeps a fingerprint
from being the plain sha256 a search engine could look up.
"""
from __future__ import annotations

import hashlib

SALT = "legacy-config-hooks:"
MIN_SHOWN_LENGTH = 8


def mask(value: str) -> str:
    """``Qm…, 16 chars`` for a 16-character value starting with ``Qm``."""
    n = len(value)
    shown = value[:2] if n >= MIN_SHOWN_LENGTH else ""
    shown = "".join(c if c.isprintable() and not c.isspace() and c not in "\\`" else "?" for c in shown)
    return f"{shown}…, {n} chars" if shown else f"{n} chars"


def value_hash(value: str) -> str:
    return hashlib.sha256((SALT + value).encode("utf-8", "surrogatepass")).hexdigest()[:16]
