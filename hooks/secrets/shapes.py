"""Secret shapes that span more than one value, for no-inline-secrets.

* **Name/value pair lists**: Kubernetes and compose ``env:`` lists (``- name:
  DB_PASSWORD`` / ``value: ...``), ``{key: password, value: ...}`` entries,
  Ansible and ECS parameter blocks, where the sensitive name sits on one key
  and the literal on a sibling; CloudFormation ``Parameters: DBPassword:
  {Default: ...}``.
* **Kubernetes ``Secret`` manifests**: every ``data:`` value is base64, decoded
  and judged; ``stringData:`` is judged as written; ``.dockerconfigjson`` and
  ``.dockercfg`` payloads are opened down to the registry password.
* **Tool credential files**: Docker ``config.json`` ``auths``, ``.npmrc``
  (``//registry/:_authToken=``, ``_auth``, ``_password``), ``.netrc``,
  ``.git-credentials``; ``.pypirc``, ``pip.conf`` and ``.yarnrc.yml`` are INI
  or YAML and need nothing beyond the sensitive-key table.

Pure functions of a document (or a file's text) and the hook's ``Checker``;
they yield ``(kind, what, secret, where, entry-or-line)`` and never print.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from hooks.config.document import SCALAR, Document, Entry, secret_identity

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

# Keys of a pair entry that hold the name, and those that hold its value.
NAME_KEYS = frozenset({"name", "key", "parameterkey", "parameter_key", "parametername", "variable", "var", "param", "id"})
VALUE_KEYS = frozenset({"value", "parametervalue", "parameter_value", "val", "default", "defaultvalue", "default_value"})
# A key whose sensitive parent makes its literal the secret (CloudFormation
# ``Parameters: DBPassword: {Default: ...}``, Terraform-style ``default``).
DEFAULT_KEYS = frozenset({"default", "defaultvalue", "default_value"})
# YAML tags whose scalar names another value instead of holding one
# (CloudFormation intrinsics, Ansible vault, custom loaders).
REFERENCE_TAGS = frozenset({
    "!Ref", "!GetAtt", "!ImportValue", "!FindInMap", "!Sub", "!Join", "!Select", "!Split", "!If", "!GetAZs",
    "!Base64", "!Cidr", "!Transform", "!vault", "!env", "!ENV", "!secret", "!include", "!reference", "!Secret",
})
# Keys of a Kubernetes Secret's data that hold no secret (names, places, certificates).
PUBLIC_DATA_WORDS = frozenset({
    "user", "username", "login", "host", "hostname", "port", "database", "db", "dbname", "name", "url", "uri",
    "endpoint", "region", "email", "crt", "cert", "certificate", "ca", "bucket", "project", "namespace", "id",
    "schema", "server", "path", "domain", "realm", "cluster", "pub", "public", "topic", "queue", "issuer",
})
DOCKER_CONFIG_KEYS = (".dockerconfigjson", ".dockercfg")
_BASE64 = re.compile(r"[A-Za-z0-9+/_\-]+={0,2}")


def tagged_reference(entry: Entry) -> bool:
    """A YAML scalar such as ``!Ref DBPassword``: it names a value, holds none."""
    tag = getattr(entry.node, "tag", None)
    return isinstance(tag, str) and tag in REFERENCE_TAGS


def claimed(doc: Document) -> set[tuple[Any, ...]]:
    """Entry paths this module judges itself (a Secret's data), so the
    key-by-key pass skips them: a base64 ``changeme`` is not a literal."""
    out: set[tuple[Any, ...]] = set()
    if "SealedSecret" in doc.text:  # Bitnami sealed secrets: encrypted for the cluster, safe to commit
        for entry in doc.entries:
            if "encryptedData" in entry.path:
                out.add(entry.path)
    if "kmsKeyName" in doc.text:  # Cloud Build secrets/availableSecrets.inline: KMS ciphertext, meant to be committed
        keyed = {e.path[:-1] for e in doc.entries if e.path and e.path[-1] == "kmsKeyName"}
        for entry in doc.entries:
            path = entry.path
            for i, part in enumerate(path[:-1]):
                if part in ("secretEnv", "envMap") and path[:i] in keyed:
                    out.add(path)
    for root in _secret_roots(doc):
        for entry in doc.entries:
            path = entry.path
            if len(path) == len(root) + 2 and path[: len(root)] == root and path[len(root)] in ("data", "stringData"):
                out.add(path)
    return out


def check(doc: Document, checker: Any) -> Iterator[tuple[str, str, str, str, Entry, str]]:
    """Every secret in the shapes above, as ``(kind, what, secret, where, entry,
    anchor)``: ``anchor`` is the text as written (base64 for a Secret's data),
    to point at its column."""
    low = doc.text.lower()
    if "val" not in low and "default" not in low and "secret" not in low and "auths" not in low:
        return  # no value/default key, no Secret, no Docker auths: no shape to look at
    scalars: dict[tuple[Any, ...], dict[str, Entry]] = {}
    for entry in doc.entries:
        if entry.kind == SCALAR and isinstance(entry.path[-1] if entry.path else None, str):
            scalars.setdefault(entry.path[:-1], {})[entry.path[-1].lower()] = entry
    yield from _pairs(scalars, checker, secret_identity)
    yield from _docker_auths(doc, checker, secret_identity)
    for root in _secret_roots(doc):
        yield from _kubernetes_secret(doc, root, checker, secret_identity)


# -- name/value pairs -----------------------------------------------------------
def _pairs(scalars: dict[tuple[Any, ...], dict[str, Entry]], checker: Any, display: Any) -> Iterator[tuple[Any, ...]]:
    for parent, keys in scalars.items():
        value_key = next((k for k in keys if k in VALUE_KEYS), None)
        if value_key is None:
            continue
        value_entry = keys[value_key]
        value = value_entry.value
        if not isinstance(value, str) or tagged_reference(value_entry):
            continue
        name_key = next((k for k in keys if k in NAME_KEYS and isinstance(keys[k].value, str)), None)
        if name_key is not None:
            name = str(keys[name_key].value)
        elif value_key in DEFAULT_KEYS and parent and isinstance(parent[-1], str):
            name = parent[-1]  # Parameters: DBPassword: {Default: ...}
        else:
            continue
        short = re.split(r"[/.:]", name.strip("/"))[-1] or name  # /billing/api_token, ssm paths
        label = checker.p.sensitive(short)
        if label is None or _found_elsewhere(checker, value):
            continue
        if checker.literal(value, short):
            where = f"{name} in {display(value_entry.path)}"
            yield "key", f"{label} literal", value.strip(), where, value_entry, value.strip()


def _found_elsewhere(checker: Any, value: str) -> bool:
    """Token formats and URL passwords are reported by the key-by-key pass."""
    return any(True for _ in checker.tokens(value)) or any(True for _ in checker.url_passwords(value))


# -- Kubernetes Secret manifests -------------------------------------------------
def _secret_roots(doc: Document) -> Iterator[tuple[Any, ...]]:
    if "Secret" not in doc.text:
        return
    for entry in doc.entries:
        path = entry.path
        if entry.kind == SCALAR and path and path[-1] == "kind" and entry.value == "Secret":
            root = path[:-1]
            if len(root) <= 1 and all(isinstance(p, int) for p in root):  # a document's top level
                yield root


def _kubernetes_secret(doc: Document, root: tuple[Any, ...], checker: Any, display: Any) -> Iterator[tuple[Any, ...]]:
    for entry in doc.entries:
        path = entry.path
        if not (entry.kind == SCALAR and len(path) == len(root) + 2 and path[: len(root)] == root):
            continue
        section, key = path[len(root)], str(path[-1])
        if section not in ("data", "stringData") or not isinstance(entry.value, str) or tagged_reference(entry):
            continue
        where = display(path)
        raw = entry.value.strip()
        if not raw or checker.p.is_reference(raw):
            continue
        text = raw if section == "stringData" else _b64text(raw)
        if text is None:
            continue  # not base64, or binary (a key store): nothing we can judge
        if key in DOCKER_CONFIG_KEYS:
            for registry, password in _docker_passwords(text):
                if checker.literal(password, "password"):
                    yield "key", f"registry password for {registry}", password, where, entry, raw
            continue
        found = list(checker.judge(text, key, None, where))
        if found:
            for kind, what, secret, _where in found:
                yield kind, what, secret, where, entry, raw if section == "data" else secret
            continue
        words = checker_words(key)
        if checker.p.sensitive(key) is not None or not (set(words) & PUBLIC_DATA_WORDS):
            value = text.strip()
            if "\n" not in value and checker.literal(value, "secret"):
                yield "key", "Kubernetes Secret value", value, where, entry, raw if section == "data" else value


def checker_words(key: str) -> tuple[str, ...]:
    from hooks.secrets.patterns import key_words

    return key_words(key)


def _b64text(value: str) -> str | None:
    import base64
    import binascii

    squeezed = "".join(value.split())
    if not _BASE64.fullmatch(squeezed):
        return None
    try:
        data = base64.b64decode(squeezed + "=" * (-len(squeezed) % 4), altchars=b"-_" if "-" in squeezed or "_" in squeezed else None)
    except (binascii.Error, ValueError):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if text.isprintable() or "\n" in text else None


def _docker_passwords(text: str) -> Iterator[tuple[str, str]]:
    """(registry, password) from a Docker config (``{"auths": {...}}`` or the
    older ``.dockercfg`` map of registries)."""
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    registries = data.get("auths", data)
    if not isinstance(registries, dict):
        return
    for registry, creds in registries.items():
        if not isinstance(creds, dict):
            continue
        if isinstance(creds.get("password"), str):
            yield str(registry), creds["password"]
        elif isinstance(creds.get("auth"), str):
            pair = _b64text(creds["auth"])
            if pair and ":" in pair:
                yield str(registry), pair.split(":", 1)[1]
        if isinstance(creds.get("identitytoken"), str):
            yield str(registry), creds["identitytoken"]


def _docker_auths(doc: Document, checker: Any, display: Any) -> Iterator[tuple[Any, ...]]:
    """Docker ``config.json``: ``auths.<registry>.auth`` is base64 ``user:password``."""
    if '"auths"' not in doc.text and "auths:" not in doc.text:
        return
    for entry in doc.entries:
        path = entry.path
        if (entry.kind == SCALAR and len(path) >= 3 and path[-1] == "auth" and path[-3] == "auths"
                and isinstance(entry.value, str)):
            pair = _b64text(entry.value.strip())
            if pair and ":" in pair:
                password = pair.split(":", 1)[1]
                if checker.literal(password, "password"):
                    yield "key", f"registry password for {path[-2]}", password, display(path), entry, entry.value.strip()


# -- credential files no loader reads -----------------------------------------------
_NPMRC = re.compile(r"^\s*(?P<scope>//[^\s=]*?:)?(?P<key>_authToken|_auth|_password|npmAuthToken|_authtoken)\s*=\s*(?P<value>.*?)\s*$")
_NETRC = re.compile(r"(?:^|\s)password\s+(?P<value>\S+)")
CREDENTIAL_FILES = (".npmrc", ".netrc", "_netrc", ".authinfo", ".git-credentials")


def credential_file(path: str) -> str | None:
    import os

    name = os.path.basename(path).lower()
    return next((kind for kind in CREDENTIAL_FILES if name == kind or name.startswith(kind + ".")), None)


def check_text(path: str, text: str, checker: Any) -> Iterator[tuple[str, str, str, str, int, int]] | None:
    """Secrets in a credential file, as ``(kind, what, secret, where, line, column)``;
    None when ``path`` is no credential file (the caller scans it line by line)."""
    kind = credential_file(path)
    if kind is None:
        return None
    return _credential_lines(kind, text, checker)


def _credential_lines(kind: str, text: str, checker: Any) -> Iterator[tuple[str, str, str, str, int, int]]:
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if kind == ".npmrc":
            match = _NPMRC.match(line)
            if match:
                value = match.group("value").strip("\"'")
                if match.group("key") in ("_auth", "_password"):
                    decoded = _b64text(value)
                    if decoded is not None and not checker.p.is_reference(value):
                        value = decoded.split(":", 1)[-1]
                if checker.literal(value, "auth_token") and not checker.p.is_reference(match.group("value")):
                    where = f"{match.group('key')} for {match.group('scope') or 'the default registry'}"
                    yield "key", "npm registry credential", value, where, number, line.find(match.group("value")[:8]) + 1
                continue
        if kind in (".netrc", "_netrc", ".authinfo"):
            for match in _NETRC.finditer(line):
                value = match.group("value")
                if checker.literal(value, "password"):
                    yield "key", "password literal", value, "a netrc entry", number, match.start("value") + 1
            continue
        for scheme, _host, password in checker.url_passwords(stripped):
            yield "url", f"password in a {scheme}:// URL", password, "a stored credential", number, line.find(password) + 1
        for tid, name, token in checker.tokens(line):
            yield f"token:{tid}", name, token, f"line {number}", number, line.find(token[:20]) + 1
