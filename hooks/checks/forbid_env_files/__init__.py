"""Report environment and key files committed to the repository.

Judges file names and content: ``.env``, ``.env.<anything>`` and
``<name>.env`` files that hold a secret (``--strict``: every one), ``*.pem``,
``*.key`` and SSH key files (``id_rsa``, ``id_ed25519``, ...) and files with no
extension under ``keys/`` that hold a private key, and ``*.p12``/``*.pfx`` key
stores. Templates pass: ``.env.example``, ``.env.sample``, ``.env.template``,
``.env.dist``, ``.env.defaults``; so do diffs (``.env.patch``). ``.pypirc`` and
``.netrc`` are reported only when they hold a password. Key files of docs and
test data are samples, reported with ``--strict`` only (see
``hooks/checks/forbid_env_files/content.py``).
"""
from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from hooks.checks.forbid_env_files import content
from hooks.config.paths import normalise
from hooks.core import runner
from hooks.core.api import Hook, Option, Problem
from hooks.repo import roles

if TYPE_CHECKING:
    from hooks.config.document import Document

# A dot-part of an env file name that marks a template to copy, not a real file.
TEMPLATE_PARTS = frozenset({"example", "sample", "template", "tmpl", "tpl", "dist", "defaults", "default", "skel"})
SSH_KEYS = frozenset({"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"})
KEY_SUFFIXES = {
    ".pem": "key or certificate file (*.pem)",
    ".key": "private key file (*.key)",
    ".p12": "PKCS#12 key store (*.p12)",
    ".pfx": "PKCS#12 key store (*.pfx)",
}
MOVE_OUT = "untrack it (git rm --cached, add it to .gitignore)"
_NETRC_PASSWORD = re.compile(r"(?:^|\s)password\s+(\S+)")
_PYPIRC_PASSWORD = re.compile(r"^\s*password\s*[=:]\s*(.*?)\s*$", re.I)


def is_template(name: str) -> bool:
    """``.env.example``, ``.env-dist``, ``TEMPLATE.env``: a part of the name says template."""
    parts = re.split(r"[.-]", name.lower().lstrip("."))
    return any(part in TEMPLATE_PARTS for part in parts)


def classify(path: str) -> str | None:
    """What kind of forbidden file ``path`` is, from its name; None if fine.
    ``.pypirc``/``.netrc`` return their kind and are judged by content."""
    name = os.path.basename(path.replace("\\", "/"))
    lower = name.lower()
    if lower == ".env" or lower.startswith((".env.", ".env-")):
        return None if is_template(lower) or content.is_not_env_file(lower) else "environment file"
    if lower.endswith(".env") and len(lower) > 4:  # production.env for docker compose env_file:
        return None if is_template(lower[:-4]) else "environment file"
    if lower in SSH_KEYS:
        return "SSH private key"
    if lower in (".pypirc", ".netrc", "_netrc"):
        return lower.lstrip("._")
    suffix = os.path.splitext(lower)[1]
    if not suffix and content.is_extensionless_key_path(path):
        return "private key file (no extension)"
    return KEY_SUFFIXES.get(suffix)


def is_allowed(path: str, patterns: Sequence[str]) -> bool:
    norm = normalise(path)
    name = os.path.basename(norm)
    return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(norm, p) for p in patterns)


def _read(path: str, limit: int = 1 << 20) -> str:
    from hooks.config.source import read_head

    return read_head(path, limit).decode("utf-8", "replace")


def credential_lines(kind: str, text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, where) for each password a .pypirc or .netrc holds."""
    from hooks.secrets.engine import Checker
    from hooks.secrets.patterns import Compiled

    checker = Checker(Compiled())
    section = "netrc"
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if kind == "pypirc":
            if stripped.startswith("[") and stripped.endswith("]"):
                section = stripped[1:-1]
                continue
            match = _PYPIRC_PASSWORD.match(line)
            if match and checker.literal(match.group(1), "password"):
                yield number, line.find("password") + 1 if "password" in line else 1, f"[{section}]"
        else:
            if stripped.startswith("#"):
                continue
            machine = re.search(r"(?:^|\s)machine\s+(\S+)", line)
            if machine:
                section = f"machine {machine.group(1)}"
            elif re.search(r"(?:^|\s)default(?:\s|$)", line):
                section = "default"
            match = _NETRC_PASSWORD.search(line)
            if match and checker.literal(match.group(1), "password"):
                yield number, line.find("password") + 1, section


def check_file(
    path: str, role: roles.Role | None = None, environment: str | None = None, strict: bool = False,
    doc: Document | None = None,
) -> Iterator[tuple[int, int, str, tuple[str, ...]]]:
    """(line, column, message, identity) for one file; ``doc`` is an env file
    as the run already parsed it (the cleanup report parses each file once)."""
    kind = classify(path)
    if kind is None:
        return
    role = role or roles.default().of(path)
    if kind == "environment file" and not strict:
        held = content.env_file_secrets(path, doc.text if doc is not None else _read(path), role, environment, doc)
        if not held:
            return  # no secret in it: COMPOSE_PROJECT_NAME, front-end URLs
        line, key = held[0]
        more = f" and {len(held) - 1} more" if len(held) > 1 else ""
        yield line, 1, (
            f"environment file committed holding a secret ({key}{more}); {MOVE_OUT} and commit a "
            "template such as .env.example instead"
        ), ("file", kind)
        return
    if kind not in ("pypirc", "netrc", "environment file") and not strict:
        if content.samples(role):
            return  # example PKI for docs, certificates for tests
        if not kind.startswith("PKCS#12") and not content.holds_private_key(_read(path, 1 << 16)):
            return  # a certificate, CA bundle or public key
        if content.documented_sample(path):
            return  # a README beside it: a demo/test pair, "do not use in production"
        if kind.startswith("key or certificate"):
            kind = "private key file (*.pem)"
    if kind in ("pypirc", "netrc"):
        for line, column, where in credential_lines(kind, _read(path)):
            yield line, column, (
                f".{kind} holds a password for {where}; {MOVE_OUT} and use "
                f"{'keyring or TWINE_PASSWORD' if kind == 'pypirc' else 'a credential helper'} instead"
            ), ("credential", kind, where)
        return
    if kind == "environment file":
        advice = f"{MOVE_OUT} and commit a template such as .env.example instead"
    else:
        if kind.startswith("key or certificate") and "PRIVATE KEY" in _read(path, 1 << 16):
            kind = "private key file (*.pem)"
        advice = f"{MOVE_OUT}, revoke it, and fetch it from a secret store at deploy time"
        if kind.startswith("key or certificate"):
            advice = f"{MOVE_OUT} and revoke it; a public certificate may stay: --allow it"
    yield 1, 1, f"{kind} committed; {advice}", ("file", kind)


def check(path: str, ctx: runner.Context) -> Iterator[Problem]:
    if not os.path.isfile(path) or is_allowed(path, ctx.options.allow):
        return
    strict = ctx.options.strict
    found = False
    doc = ctx.load(path, report_errors=False) if not strict and classify(path) == "environment file" else None
    for line, column, message, identity in check_file(path, ctx.role(path), ctx.environment(path), strict, doc):
        found = True
        yield Problem(line, column, message, identity)
    if not found and classify(path) is not None:
        ctx.skip(path, "holds no secret or private key (--strict reports it by name)")


HOOK = Hook(
    id="forbid-env-files",
    summary="Report environment and key files committed to the repository.",
    description=__doc__ or "",
    check=check,
    reads="paths",
    reports_parse_errors=False,
    options=(
        Option("allow", "also allow files whose name or path matches GLOB (e.g. .env.test, certs/ca.pem)",
               kind="list", metavar="GLOB"),
        Option("strict", "report every env file by name (even with no secret in it) and key files of docs and tests",
               kind="bool"),
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
