"""Secrets judged in context: what a value is worth depends on the file's role
and environment (``hooks/repo/roles.py``).

* Service and deployment config of production or unknown environment: every
  literal under a sensitive key is reported (the engine's judgement stands).
* CI, dev environment, test data and docs/samples, and config of the
  development or test environment: only credentials that are real anywhere are
  reported: vendor tokens, private keys, high-entropy keys. A throwaway
  password for a local database passes: a value equal to a user, database or
  project name in the same file, or a common dev value.
* Everywhere: password hashes (``pbkdf2_sha256$``, argon2, bcrypt ``$2b$``,
  ``sha1$``, ``hashed_secret``) are not plaintext secrets, and navigation text
  that points to a ``.md`` page is not a secret.
* ``${NAME:-literal}`` and ``${NAME-literal}`` defaults (compose, shell, dotenv,
  any format) are judged like a literal under ``NAME``.

Pure functions only; the hooks call them.
"""
from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Iterable, Iterator

from hooks.repo import environments, roles
from hooks.secrets.patterns import key_words

# Kinds of the engine's findings (hooks/secrets/engine.Secret.kind).
TOKEN_PREFIX = "token:"

_HASH = re.compile(
    r"^(?:"
    r"(?:pbkdf2_sha256|pbkdf2_sha1|argon2|bcrypt_sha256|bcrypt|sha1|md5|unsalted_md5|unsalted_sha1|crypt|scrypt)\$"
    r"|\$(?:2[abxy]?|argon2(?:id|i|d)|1|5|6|pbkdf2(?:-sha\d+)?|scrypt|y|gy|7)\$"
    r"|\{(?:SSHA|SHA|SMD5|MD5|CRYPT|SSHA256|SSHA512|PBKDF2[\w-]*)\}"
    r")",
    re.I,
)
_HASH_KEY_WORDS = frozenset({"hash", "hashed", "digest", "fingerprint", "checksum", "sha", "sha1", "sha256", "md5"})
_DOC_LINK = re.compile(r"^[\w./\-]+\.(?:md|rst|html?|mdx|adoc)(?:#[\w\-]*)?$", re.I)
# Values every tutorial, compose file and CI job uses for a local service.
COMMON_DEV_VALUES = frozenset(
    """
    password passw0rd pass pwd secret secretkey changeme postgres postgresql root admin administrator
    test testing tests dev develop development local localhost mysql mariadb redis guest rabbitmq user
    username 123456 12345678 1234 qwerty letmein example demo default sa oracle mongo mongodb minio
    minioadmin minio123 toor django flask app application superuser nopass insecure devpassword
    testpassword testpass devsecret testsecret citest ci keystone openstack secure mypassword
    """.split()
)
# Words that mark a value as made for a throwaway environment.
_THROWAWAY_WORD = re.compile(r"(?:^|[^a-z])(?:insecure|test|testing|dev|local|ci|fake|dummy|unsafe|notsecret|not-secret)(?:[^a-z]|$)", re.I)
_NAME_KEY_WORDS = frozenset({"user", "username", "login", "db", "database", "name", "project", "app", "owner", "schema", "dbname", "vhost"})
_LAST_NAME = re.compile(r"[A-Za-z_][\w\-]*")
_SQUASH = re.compile(r"[^a-z0-9]")
_ENV_DEFAULT = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?-)(?P<value>[^}$]*)\}")


def squash(text: str) -> str:
    return _SQUASH.sub("", text.lower())


def is_password_hash(value: str) -> bool:
    """``pbkdf2_sha256$...``, ``$2b$12$...``, ``$argon2id$...``, ``{SSHA}...``."""
    return _HASH.match(value.strip()) is not None


# ``swift_hash_path_suffix``, ``password_hash_salt``: inputs of a hash are secrets.
_HASH_INPUT_WORDS = frozenset({"salt", "pepper", "seed", "prefix", "suffix", "key", "secret"})


def is_hash_key(key: str) -> bool:
    """``hashed_secret``, ``password_hash``, ``token_digest``: they hold hashes
    (but ``*_hash_prefix``/``*_hash_salt`` hold what goes into one)."""
    if not key:
        return False
    words = key_words(key)
    return bool(_HASH_KEY_WORDS.intersection(words)) and words[-1] not in _HASH_INPUT_WORDS


# Values that say they are not the real one (beside secret_patterns' own
# placeholder table): replace-this-please, deadbeef-..., change-this.
_NOT_REAL = re.compile(
    r"replace[-_ ]?(?:this|me|it)|change[-_ ]?(?:this|it)|deadbeef|cafebabe|not[-_ ]?(?:a[-_ ]?)?(?:real|secret)|"
    r"your[-_ ]\w+[-_ ]here|^(?:x+|\*+|0+|1234\w*)$",
    re.I,
)
# A dotted import path (``aggregator.utils.push_credentials``) names code, not a secret.
_DOTTED_PATH = re.compile(r"^[A-Za-z_]\w*(?:(?:\.[A-Za-z_]\w*){2,}|(?:\.[A-Za-z_]\w*)+:[A-Za-z_][\w.]*)$")
# Made only of filler words: supersecret, ultrasecretkey, mysecretpassword.
_WORDY = re.compile(
    r"^(?:my|ultra|super|very|top|the|this|is|an?|default|some|secret|secrets|key|pass|password|passwd|token|"
    r"please|change|changeme|admin|dev|local|test|sample|example|demo|app|shared|private|api|insecure|django)+$"
)


# A route or relative path (NGINX Unit's "pass": "routes/main"), not a password.
_ROUTE = re.compile(r"^[a-z][a-z0-9_.\-]*(?:/[a-z][a-z0-9_.\-]*)+/?$")


def says_not_real(value: str) -> bool:
    v = value.strip()
    return bool(_NOT_REAL.search(v) or _DOTTED_PATH.match(v) or _WORDY.match(squash(v)) or _ROUTE.match(v))


def is_doc_link(value: str) -> bool:
    """``models/users/token.md``: navigation text, not a secret."""
    return _DOC_LINK.match(value.strip()) is not None


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    if not value:
        return 0.0
    counts: dict[str, int] = {}
    for ch in value:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def high_entropy(value: str) -> bool:
    """A key made by a machine: long, varied, several character classes."""
    v = value.strip()
    if len(v) < 16 or " " in v:
        return False
    classes = sum((any(c.islower() for c in v), any(c.isupper() for c in v), any(c.isdigit() for c in v),
                   any(not c.isalnum() for c in v)))
    return classes >= 2 and entropy(v) >= 3.5


def _as_written(entry: object) -> str | None:
    """The value a name key holds: a literal, the literal default of
    ``${NAME:-myapp}``, or of ``os.environ.get("DB_USER", "myapp")``."""
    value = getattr(entry, "value", None)
    if isinstance(value, str):
        for _, literal, _ in env_defaults(value):
            return literal
        return value
    node = getattr(entry, "node", None)
    if getattr(entry, "kind", None) == "expression" and node is not None:
        import ast

        for call in ast.walk(node):
            if isinstance(call, ast.Call):
                args = call.args[1:2] + [k.value for k in call.keywords if k.arg == "default"]
                for arg in args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        return arg.value
    return None


def names_in(entries: Iterable[object], extra: Iterable[str] = ()) -> frozenset[str]:
    """Squashed user, database and project names a file sets: a password equal
    to one of them is a throwaway (``POSTGRES_PASSWORD: myapp`` beside
    ``POSTGRES_DB: myapp``)."""
    out = {squash(e) for e in extra if e}
    for entry in entries:
        path = getattr(entry, "path", ())
        value = _as_written(entry)
        if not path or not isinstance(value, str) or len(value) > 64:
            continue
        words = key_words(path[-1]) if isinstance(path[-1], str) else ()
        if words and words[-1] in _NAME_KEY_WORDS:
            out.add(squash(value))
        elif "=" in value:  # compose list form: - POSTGRES_USER=myapp
            name, _, item = value.partition("=")
            item_words = key_words(name.strip())
            if item_words and item_words[-1] in _NAME_KEY_WORDS:
                out.add(squash(item))
    out.discard("")
    out.update(_component_names(entries))
    return frozenset(out)


def _component_names(entries: Iterable[object]) -> set[str]:
    """Names of the parts a file configures: compose service names, and the
    first word several UPPER_CASE keys share (SENTRY_, KAFKA_, REDASH_)."""
    counts: dict[str, int] = {}
    names: set[str] = set()
    for entry in entries:
        path: tuple[object, ...] = tuple(getattr(entry, "path", ()))
        key = path[-1] if path else None
        if len(path) == 2 and path[0] == "services" and isinstance(key, str):
            names.add(squash(key))
        if isinstance(key, str) and key.isupper() and "_" in key:
            word = key.split("_", 1)[0].lower()
            counts[word] = counts.get(word, 0) + 1
    names.update(word for word, n in counts.items() if n >= 3 and len(word) >= 4)
    return names


def project_name(root: str = ".") -> str:
    return os.path.basename(os.path.abspath(root))


def is_name_like(value: str, names: Iterable[str]) -> bool:
    """``myapp``, ``myapppass``, ``off-wger`` (a user and the project),
    ``powersync_password`` beside user ``powersync_storage``: made only of names
    the file sets and filler words."""
    s = squash(value)
    parts = {n for n in names if len(n) >= 3}
    if not s or s in parts:
        return bool(s)
    return _composed(s, tuple(sorted(parts | _NAME_SUFFIXES, key=len, reverse=True)))


def _composed(s: str, parts: tuple[str, ...]) -> bool:
    """Whether ``s`` is a concatenation of ``parts`` using at least one name."""
    reach = {0: False}  # end index -> a name was used to get here
    for i in range(len(s)):
        if i not in reach:
            continue
        for part in parts:
            if s.startswith(part, i):
                used = reach[i] or part not in _NAME_SUFFIXES
                reach[i + len(part)] = reach.get(i + len(part), False) or used
    return reach.get(len(s), False)


def url_user_words(line: str, password: str) -> set[str]:
    """The user of ``scheme://user:password@`` and its words, as names."""
    match = re.search(r"([\w.\-]+):" + re.escape(password) + "@", line)
    if not match:
        return set()
    user = match.group(1)
    return {squash(user), *(squash(w) for w in re.split(r"[_.\-]", user) if w)}


_NAME_SUFFIXES = frozenset({"pass", "password", "passwd", "pw", "pwd", "secret", "123", "1234", "key"})


def is_throwaway(value: str, names: frozenset[str] = frozenset()) -> bool:
    """A common dev value, a value equal to a name in the file, or one that says
    it is for tests or local use."""
    s = squash(value)
    if not s or s in COMMON_DEV_VALUES or s in names:
        return True
    if any(n and len(n) >= 3 and s in (n + "pass", n + "password", n + "secret", n + "pw", n + "123") for n in names):
        return True
    return _THROWAWAY_WORD.search(value) is not None


# Key words that name a component a compose file or CI job runs next to the
# service: their credentials are made up for that throwaway container.
_LOCAL_WORDS = frozenset(
    """
    postgres postgresql pg mysql mariadb redis rabbitmq rabbit amqp mongo mongodb memcached elasticsearch
    opensearch minio keycloak ldap db database sql cookie session csrf secret django flask app admin
    superuser root user flower celery broker cache smtp mail email jwt signing encryption fernet
    """.split()
)


def names_local_component(key: str) -> bool:
    """``POSTGRES_PASSWORD``, ``REDASH_COOKIE_SECRET``, ``SECRET_KEY``: a key
    for a component that runs beside the service (or the service itself)."""
    return bool(_LOCAL_WORDS.intersection(key_words(key))) if key else True


def lenient(role: roles.Role, environment: str | None) -> bool:
    """Only credentials that are real anywhere count in this file."""
    return role.lenient or environment in (environments.DEVELOPMENT, environments.TEST)


# A file an install copies and fills in, by its name: .env.example,
# airflow.cfg.example, config.py.sample, settings.py.dist, TEMPLATE.env, env.tmpl.
# A part of the name between dots is the word (``.env.example``, ``TEMPLATE.env``),
# or ends with it after ``_``/``-`` (``config_example.yaml``, ``.env-dist``,
# ``env-sample``); ``email_templates.yaml`` is config that holds templates.
_TEMPLATE_PART = re.compile(r"(?:^|.*[_-])(?:example|sample|dist|template|tmpl|tpl)$", re.I)


def is_template(path: str, role: roles.Role) -> bool:
    """A template to copy: named for it, and not given another role in the
    settings. Its values are judged by whether they are real keys."""
    if role.from_settings and role.role != roles.DOCS:
        return False
    return any(_TEMPLATE_PART.match(part) for part in os.path.basename(path).split(".") if part)


# An Ansible role's defaults (roles/<role>/defaults/main.yml): the lowest
# precedence of all, there to be overridden by the inventory or the vault.
_ROLE_DEFAULTS = re.compile(r"(?:^|/)roles/[^/]+/defaults/[^/]+\.ya?ml$")


def is_role_defaults(path: str) -> bool:
    """An Ansible role's defaults file: its values are what a deployment
    overrides, so only a credential real anywhere counts there (a vendor
    token, a private key, a high-entropy key); ``Unknown``, ``mmw``, a dev
    password are the role's stand-ins."""
    return _ROLE_DEFAULTS.search(path.replace("\\", "/")) is not None


_DJANGO_INSECURE = "django-insecure-"
_FERNET = re.compile(r"[A-Za-z0-9_\-]{43}=")
_HEX = re.compile(r"[0-9a-fA-F]+")


def is_generated_key(value: str) -> bool:
    """A key made by a machine, as installs are told to make one: Django's
    ``django-insecure-`` + 50 random characters, a Fernet key (44 urlsafe
    base64 characters ending ``=``), a random string of 32 to 100 characters
    (hex with 10 distinct digits or more, base64 or mixed, 4+ bits per
    character). Words, placeholders and sequences are not."""
    v = value.strip()
    if v.lower().startswith(_DJANGO_INSECURE):
        rest = v[len(_DJANGO_INSECURE):]
        return len(rest) >= 32 and entropy(rest) >= 4.0 and not says_not_real(rest)
    if not 32 <= len(v) <= 100 or any(c.isspace() for c in v) or says_not_real(v) or "://" in v:
        return False
    if _FERNET.fullmatch(v):
        return entropy(v) >= 4.3
    if _HEX.fullmatch(v):
        return entropy(v) >= 3.3 and len(set(v.lower())) >= 10
    return high_entropy(v) and entropy(v) >= 4.0


def keep(kind: str, value: str, key: str, role: roles.Role, environment: str | None,
         names: frozenset[str] = frozenset(), template: bool = False, fake: bool = False,
         strict: bool = False, overridable: bool = False) -> bool:
    """Whether a secret the engine found in a file of this role is reported.
    ``template``: the file is a template (``is_template``): only tokens and
    generated keys count there. ``fake``: the engine calls the value made up.
    ``strict``: a default that production falls back to (``Secret.strict``).
    ``overridable``: an Ansible role's defaults (``is_role_defaults``)."""
    if role.is_data and not role.from_settings:
        return False
    if is_password_hash(value) or is_doc_link(value):
        return False
    if template:
        return kind.startswith(TOKEN_PREFIX) or (not fake and is_generated_key(value))
    if strict:
        return True  # a default production falls back to: no placeholder or name excuses it
    if overridable and not kind.startswith(TOKEN_PREFIX):
        return high_entropy(value) and not says_not_real(value) and not is_throwaway(value, names)
    if not kind.startswith(TOKEN_PREFIX) and says_not_real(value):
        return False
    if not kind.startswith(TOKEN_PREFIX) and is_hash_key(key):
        return False
    if kind.startswith(TOKEN_PREFIX):
        return True  # vendor tokens and private keys are real anywhere
    if is_name_like(value, names):
        return False  # a password equal to the user, database or project name is no secret
    if not lenient(role, environment):
        return True
    if role.role in (roles.DOCS, roles.TEST_DATA):
        return False  # samples and test data: only credentials real anywhere (tokens, keys)
    # CI and dev environments: a high-entropy key for an outside service (a
    # payment or mail API) is real; made-up credentials of local containers are not.
    return high_entropy(value) and not is_throwaway(value, names) and not names_local_component(key)


def env_defaults(value: str) -> Iterator[tuple[str, str, int]]:
    """(variable, literal default, offset) for each ``${NAME:-literal}`` or
    ``${NAME-literal}`` in a value."""
    if "${" not in value:
        return
    for match in _ENV_DEFAULT.finditer(value):
        literal = match.group("value").strip().strip("'\"")
        if literal:
            yield match.group("name"), literal, match.start("value")


_LOCAL_HOST = r"@(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?=[:/?\s'\"]|$)"


def to_local_host(line: str, password: str) -> bool:
    """``postgres://app:pw@localhost/app``: a credential for a database on the
    developer's own machine, which production never reaches."""
    return re.search(re.escape(password) + _LOCAL_HOST, line) is not None


def key_of(where: str) -> str:
    """The key a finding's ``where`` names last: ``POSTGRES_PASSWORD in
    services.db.environment[1]`` -> POSTGRES_PASSWORD, ``a.b["PASSWORD"]`` -> PASSWORD."""
    head = where.split(" in ", 1)[0]
    found = _LAST_NAME.findall(head)
    return found[-1] if found else ""


def default_secrets(checker: object, value: str, where: str,
                    strict: bool = False) -> Iterator[tuple[str, str, str, str]]:
    """(kind, what, secret, where) for each ``${NAME:-literal}`` default that
    would be reported as a literal under ``NAME``: the engine's own judgement
    (placeholders, references, prose pass). ``strict``: production runs the
    file, so any default that can be a credential counts."""
    for name, literal, _ in env_defaults(value):
        label = checker.p.sensitive(name, None)  # type: ignore[attr-defined]
        if label is None:
            continue
        if checker.could_be_credential(literal, (name,)) if strict else checker.literal(literal, name):  # type: ignore[attr-defined]
            yield "default", f"{label} literal default of ${{{name}}}", literal, where


# Code that signs or verifies a request with a key (an HMAC, a JWT, a signature check).
_SIGNING = re.compile(r"\bhmac\b|compare_digest|\bjwt\.(?:en|de)code|signature|\bSigner\b|\bsign\(", re.I)


def signs_requests(name: str) -> bool:
    """Whether the repository's own Python code (not tests) signs or verifies
    requests with the setting ``name``: a line reading it (not assigning it)
    within 12 lines of an HMAC, a JWT call or a signature check."""
    return _signs_requests(os.getcwd(), name)


@functools.lru_cache(maxsize=256)
def _signs_requests(cwd: str, name: str) -> bool:
    from hooks.repo import git

    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{2,}", name):
        return False
    try:
        out = git.run("grep", "-n", "-w", "-F", name, "--", "*.py", cwd=cwd)
    except git.GitError:
        return False  # no match (git grep exits 1), or not a repository
    assigns = re.compile(rf"^\s*{re.escape(name)}\s*[:=]")
    for hit in out.splitlines():
        path, _, rest = hit.partition(":")
        number, _, line = rest.partition(":")
        if not number.isdigit() or assigns.match(line) or not roles.belongs_to_service(path):
            continue
        try:
            with open(os.path.join(cwd, path), encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError:
            continue
        at = int(number) - 1
        if _SIGNING.search("\n".join(lines[max(0, at - 12) : at + 13])):
            return True
    return False
