"""Credentials that a URL carries outside ``user:password@``, for no-inline-secrets.

* **Signed URLs**: a signature query parameter (Azure SAS ``sig=``, AWS
  ``X-Amz-Signature=``, Google ``X-Goog-Signature=``, generic ``signature=``)
  grants access to whoever holds the URL until it expires.
* **Credentials in query strings**: ``X-Amz-Security-Token=``, ``hapikey=``
  (HubSpot), ``access_token=`` and friends; JDBC and ODBC ``password=``/``pwd=``
  items are judged by the hook's ``key=value`` pass (``EMBEDDED_ASSIGNMENT``).
* Webhook URLs whose path is the secret (Slack, Discord, Teams, Zapier, Sumo
  Logic) are token formats: see ``TOKENS`` in ``hooks/secrets/patterns.py``.

Each function is pure and cheap on values that hold no ``?``/``&``/``;``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any


# Query parameters (lowercased) whose value is a credential, and what to call it.
SIGNATURE_PARAMS = {
    "sig": "signature in a signed URL",
    "signature": "signature in a signed URL",
    "x-amz-signature": "signature in a signed URL",
    "x-goog-signature": "signature in a signed URL",
    "x-amz-security-token": "session token in a signed URL",
    "x-amz-credential": None,  # the access key id and scope: not secret alone
}
MIN_SIGNATURE = 16  # shorter values are test stubs (sig=abc)
_PARAM = re.compile(r"[?&;](?P<name>[A-Za-z][A-Za-z0-9_\-]*)=(?P<value>[^&;#\s\"'<>]*)")


def url_secrets(value: str, patterns: Any) -> Iterator[tuple[str, str]]:
    """(what, secret) for each signature or token carried in a URL's query."""
    if "=" not in value or ("sig" not in value.lower() and "token=" not in value.lower()):
        return
    for match in _PARAM.finditer(value):
        what = SIGNATURE_PARAMS.get(match.group("name").lower())
        if what is None:
            continue
        secret = _unquote(match.group("value"))
        if len(secret) < MIN_SIGNATURE or patterns.is_reference(secret) or patterns.is_placeholder(secret, "signature"):
            continue
        if patterns.fake_token(secret):
            continue
        yield what, match.group("value")


def _unquote(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text) if "%" in text else text
