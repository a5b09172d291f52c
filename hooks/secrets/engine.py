"""The secret-judging engine: which values are literal secrets, in a parsed
document or in plain text. Shared by no-inline-secrets and forbid-env-files;
the tables it reads live in ``hooks/secrets/patterns.py``."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from hooks.config import formats
from hooks.config.document import EXPRESSION, SCALAR, Document, Entry, secret_identity
from hooks.config.document import display as document_display
from hooks.core.records import record
from hooks.secrets import shapes
from hooks.secrets import urls as secret_urls
from hooks.secrets.patterns import ENV_GETTERS, MIN_LENGTH, PUBLISHED_EXAMPLES, Compiled, key_words

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

ADVICE = "read it from the environment instead"
# A literal default of an environment read in what production runs.
PRODUCTION_ADVICE = ("production runs this and falls back to it when the variable is unset: "
                     "drop the default so a missing variable fails loudly")
# A generated key in a template that installs copy unchanged (.env.example).
TEMPLATE_ADVICE = ("a real key in a template: every install that copies this file shares it; "
                   "leave a placeholder and generate the key at install time")


@record(frozen=True)
class Secret:
    kind: str  # "key", "default", "url" or "token:<id>": part of the baseline identity
    what: str  # "password literal", "GitHub token", ...
    value: str  # never printed: masked in messages, hashed in fingerprints
    where: str  # the key path in the identity (frozen spelling)
    line: int
    column: int
    shown: str = ""  # the key path in the message, when it differs from ``where``
    strict: bool = False  # a default production falls back to: no placeholder or name excuses it

    def message(self, advice: str = "") -> str:
        """The finding's line; ``advice`` replaces the usual fix."""
        if not advice:
            advice = "revoke it and " + ADVICE if self.kind.startswith("token:") else ADVICE
            if self.kind == "default":
                advice = "drop the default so a missing variable fails loudly"
            if self.strict:
                advice = PRODUCTION_ADVICE
        from hooks.core.masking import mask  # hashlib costs start-up; only findings need it

        return f"{self.what} in {self.shown or self.where} (value masked: {mask(self.value)}); {advice}"


class Checker:
    """Judges values; holds the compiled patterns for one run."""

    def __init__(self, patterns: Compiled) -> None:
        self.p = patterns

    # -- one value -----------------------------------------------------------
    def literal(self, value: str, key: str) -> bool:
        """True when ``value`` under a sensitive ``key`` is a real literal."""
        v = value.strip()
        if len(v) < MIN_LENGTH or (len(v) <= 6 and v.replace(".", "", 1).isdigit()):
            return False
        p = self.p
        if p.is_reference(v) or p.is_placeholder(v, key):
            return False
        if any(_squash(v) == _squash(w) for w in _words(key)):  # POSTGRES_PASSWORD=postgres
            return False
        if p.env_var_name.fullmatch(v) or p.file_path.fullmatch(v) or p.plain_url.fullmatch(v):
            return False
        if p.is_sentinel(v, (key,)):
            return False  # "MISSING DB_PASSWORD ENV VAR", "ERROR: Could not get the API key"
        return len(v.split()) < 3 or p.secret_prose(v, key)  # "Enter your password" is not one

    def tokens(self, value: str) -> Iterator[tuple[Any, ...]]:
        """(token id, name, secret) for each known token format in ``value``."""
        if len(value) >= 16:
            for tid, name, match in self.p.scan_tokens(value):
                yield from self._token(value, match, tid, name)

    def _token(self, value: str, match: Any, tid: str, name: str) -> Iterator[tuple[Any, ...]]:
        text = match.group()
        if tid == "private-key":
            text = _pem_block(value, match.start())
            if not _pem_has_body(text) or self.p.fake_pem(text):
                return
        elif self.p.fake_token(text) or text in PUBLISHED_EXAMPLES:
            return  # AKIAIOSFODNN7EXAMPLE, ghp_xxxx..., ghp_0123456789..., SDK example keys
        elif tid == "jwt" and not _jwt_header(text):
            return
        elif tid == "openai-key" and not _mixed(text[3:]):
            return
        yield tid, name, text

    def url_passwords(self, value: str) -> Iterator[tuple[Any, ...]]:
        """(scheme, host hint, password) for each ``scheme://user:password@host``."""
        if "://" not in value or "@" not in value:
            return
        for match in self.p.url.finditer(value):
            pw, user = match.group("pw"), match.group("user")
            if pw == user or pw.isdigit() or self.p.is_reference(pw) or self.p.is_placeholder(pw, "password"):
                continue
            host = value[match.end() : match.end() + 64]
            yield match.group("scheme").lower(), host, pw

    def judge(self, value: str, key: str, parent: str | None, where: str,
              assign: bool = True) -> Iterator[tuple[Any, ...]]:
        """(kind, what, secret, where) for each secret in one value; ``assign``:
        also ``KEY=value`` items inside it (not in a requirement list)."""
        found = False
        for tid, name, text in self.tokens(value):
            found = True
            yield f"token:{tid}", name, text, where
        for scheme, host, pw in self.url_passwords(value):
            found = True
            what = "Sentry DSN secret" if "sentry" in host.lower() else f"password in a {scheme}:// URL"
            yield "url", what, pw, where
        for what, secret in secret_urls.url_secrets(value, self.p):  # signed URLs
            found = True
            yield "url", what, secret, where
        if found:
            return
        label = self.p.sensitive(key, parent) if key else None
        if label is not None:
            if self.literal(value, key):
                yield "key", f"{label} literal", value.strip(), where
            return
        if assign and "=" in value and "{{" not in value:  # KEY=value items, JDBC/ODBC strings, sasl.jaas.config (not Jinja kwargs)
            for match in self.p.embedded.finditer(value):
                name = match.group("name")
                label = self.p.sensitive(name.rsplit(".", 1)[-1], None) or self.p.sensitive(name)
                inner = next((g for g in match.group("dq", "sq", "bare") if g is not None), "")
                if label is not None and self.literal(inner, name):
                    yield "key", f"{label} literal", inner, f"{name} in {where}"

    # -- documents -----------------------------------------------------------
    def check_document(self, doc: Document, production: bool = False) -> Iterator[Secret]:
        """Every secret in a parsed document. ``production``: production runs
        this file, so every literal default of an environment read under a
        sensitive name is reported, whatever it looks like (``strict``)."""
        python = doc.format == formats.PYTHON
        # Kubernetes/Helm: beside ``secretName``, ``secretKey``/``key`` name a key
        # inside a Secret object; they hold no secret.
        named = {e.path[:-1] for e in doc.entries if _names_a_secret(e.path)}
        claimed = shapes.claimed(doc)  # a Kubernetes Secret's data: judged decoded, below
        for entry in doc.entries:
            if entry.kind == SCALAR:
                if entry.path in claimed or shapes.tagged_reference(entry):
                    continue
                value = entry.value
                if isinstance(value, bytes):
                    value = value.decode("utf-8", "replace")
                if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**6:
                    value = str(value)  # NUMERIC_APIKEY: 1925483168813050783076 (short ones are ports, counts)
                if not isinstance(value, str) or not value:
                    continue
                if python and _constance_help(entry.path):
                    continue  # CONSTANCE_CONFIG = {"X_SECRET": ("", "help text")}: [0] is the value
                key, parent = _key_and_parent(entry.path)
                assign = True
                if entry.path[:-1] in named or "@context" in entry.path:
                    key = ""  # token formats and URL passwords only; JSON-LD terms map to IRIs
                elif doc.format in (formats.TOML, formats.INI) and is_requirement_list(entry.path):
                    key, assign = "", False  # django-api-key==1.0 names a package: tokens and URL passwords only
                base = secret_identity(entry.path, python)
                shown = document_display(doc.format, entry.path)
                found = self.judge(value, key, parent, base, assign)
                strict: list[tuple[Any, ...]] = []
                if "${" in value:  # compose/shell defaults: ${APP_SECRET_KEY:-literal}
                    from hooks.secrets.context import default_secrets

                    if production:
                        strict = list(default_secrets(self, value, base, strict=True))
                    found = iter([*strict, *found, *default_secrets(self, value, base)])
            elif entry.kind == EXPRESSION and python and entry.node is not None:
                base = shown = ""
                local = production and _local_branch(doc.lines, entry.line)
                strict = list(self.production_defaults(entry)) if production and not local else []
                found = iter([*strict, *self.python_expression(entry)])
            else:
                continue
            seen = set()
            firm = {(kind, secret) for kind, _what, secret, _where in strict}
            for kind, what, secret, where in found:
                if (kind, secret) not in seen:
                    seen.add((kind, secret))
                    yield Secret(kind, what, secret, where, *_locate(doc, entry, secret),
                                 where.replace(base, shown) if base and shown != base else "",
                                 (kind, secret) in firm)
        for kind, what, secret, where, entry, anchor in shapes.check(doc, self):  # pair lists, Secrets, auths
            yield Secret(kind, what, secret, where, *_locate(doc, entry, anchor))
        if python:
            yield from self.tornado_defaults(doc)
        yield from self.comment_tokens(doc)

    def tornado_defaults(self, doc: Document) -> Iterator[Secret]:
        """The ``default=`` of Tornado's ``define("mysql_password", ...)``,
        judged as a value of a setting of that name (hooks/secrets/tornado_options.py)."""
        from hooks.secrets import tornado_options

        if not tornado_options.might_define(doc.text):
            return
        from hooks.config import python_trees

        try:
            tree = python_trees.parse(doc.text, doc.path, report=False)
        except (SyntaxError, ValueError):
            return
        for name, default, node in tornado_options.defaults(tree):
            for kind, what, secret, where in self.judge(default, name, None, f"options.{name}"):
                if kind == "key":
                    what = f"{what} default of define()"
                line = node.lineno
                text = doc.lines[line - 1] if 1 <= line <= len(doc.lines) else ""
                column = text.find(secret.split("\n")[0], node.col_offset) + 1 or node.col_offset + 1
                yield Secret(kind, what, secret, where, line, column)

    def comment_tokens(self, doc: Document) -> Iterator[Secret]:
        """Token formats in comments: a key pasted in a comment is leaked too."""
        if "#" not in doc.text and ";" not in doc.text:
            return
        for number, line in enumerate(doc.lines, start=1):
            stripped = line.lstrip()
            if stripped.startswith(("#", ";", "//")) and len(stripped) >= 20:
                for tid, name, text in self.tokens(stripped):
                    col = line.find(text[:20]) + 1
                    yield Secret(f"token:{tid}", name, text, "a comment", number, col)

    def python_expression(self, entry: Entry) -> Iterator[tuple[Any, ...]]:
        """Literal defaults of environment reads, sensitive keyword arguments and
        dict items, and tokens or URL passwords in any string constant."""
        import ast

        key, parent = _key_and_parent(entry.path)
        where = secret_identity(entry.path, True)
        label = self.p.sensitive(key, parent) if key else None
        if label is not None:
            for name, default in python_env_defaults(entry.node):
                if self.literal(default, key) and not self.outbound_placeholder(default, (key,)):
                    yield "default", f"{label} literal default of {name}()", default.strip(), where
        for node in ast.walk(entry.node):  # type: ignore[arg-type]
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if kw.arg and isinstance(_const(kw.value), str):
                        kw_label = self.p.sensitive(kw.arg)
                        if kw_label and self.literal(_const(kw.value), kw.arg):
                            yield "key", f"{kw_label} literal", _const(kw.value).strip(), f"{kw.arg}= in {where}"
            elif isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values):
                    k_text, v_text = _const(k), _const(v)
                    if isinstance(k_text, str) and isinstance(v_text, str):
                        k_label = self.p.sensitive(k_text)
                        if k_label and self.literal(v_text, k_text):
                            yield "key", f"{k_label} literal", v_text.strip(), f'{where}["{k_text}"]'
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield from self.judge(node.value, "", None, where)

    def production_defaults(self, entry: Entry) -> Iterator[tuple[Any, ...]]:
        """Literal defaults of environment reads in a module production runs,
        judged strictly: under a sensitive name (the setting's or the
        variable's), any value that can be a credential; in a URL default, any
        password but the user's own name. Not in a class named for development
        or tests (``class DevelopmentConfig``)."""
        path = entry.path
        if len(path) > 1 and isinstance(path[0], str) and not path[0].isupper():
            from hooks.repo.production import class_environment

            if class_environment(path[0]) not in (None, "production"):
                return
        key, parent = _key_and_parent(path)
        where = secret_identity(path, True)
        label = self.p.sensitive(key, parent) if key else None
        for name, default, variable in python_env_defaults(entry.node, with_names=True):
            own = label or (self.p.sensitive(variable) if variable else None)
            if own is not None and self.outbound_placeholder(default, (variable, key)):
                continue  # S3_SECRET_ACCESS_KEY = getenv(..., "abcdefghijklmnop..."): the provider refuses it
            if own is not None and self.could_be_credential(default, (variable, key)):
                yield "default", f"{own} literal default of {name}()", default.strip(), where
            elif "://" in default and "@" in default:
                for match in self.p.url.finditer(default):
                    pw, user = match.group("pw"), match.group("user")
                    if pw != user and not pw.isdigit() and not self.p.is_reference(pw):
                        yield "url", f"password in a {match.group('scheme').lower()}:// URL", pw, where

    def could_be_credential(self, value: str, names: tuple[str, ...] = ()) -> bool:
        """Anything but an empty value, a number, a boolean, a word that says
        no value is set, a reference, a path to a file, a URL without
        credentials, a value public by design, or a sentinel: prose saying the
        variable is missing, or the variable's own name spelled in lower case
        (``names``: the variable read and the key it sets)."""
        v = value.strip()
        if not v or _squash(v) in _NOT_CREDENTIALS or v.replace(".", "", 1).lstrip("-").isdigit():
            return False
        p = self.p
        if p.is_sentinel(v, names) or p.names_its_slot(v, names) or p.spells_key(v, names):
            return False
        if p.vendor_stub(v) or p.encoded_placeholder(v):
            return False  # sk_live_ with no key body; base64 of the alphabet
        return not (p.is_reference(v) or p.file_path.fullmatch(v) or p.plain_url.fullmatch(v) or p.is_public(v))

    def outbound_placeholder(self, value: str, names: Sequence[str | None]) -> bool:
        """A made-up stand-in (a run of sequential characters, words in leet)
        for a credential the service presents to an outside service (an access
        key, an API key): the provider refuses it, so the fallback grants
        nothing. Not when the repository's code signs or verifies requests with
        the setting (an HMAC key named like an access key): there a public
        fallback lets anyone forge a request."""
        v = value.strip()
        if len(v) < MIN_LENGTH or not any(n and _outbound(n) for n in names):
            return False
        if not (self.p.fake_shaped(v) or _leet_words(v)):
            return False
        from hooks.secrets.context import signs_requests

        return not any(n and signs_requests(n) for n in names)

    def check_text(self, path: str, text: str) -> Iterator[Secret]:
        """Line by line, for files no loader reads (templates, unknown or broken
        formats): token formats, URL passwords and ``key: value`` lines."""
        credentials = shapes.check_text(path, text, self)  # .npmrc, .netrc, .git-credentials
        if credentials is not None:
            for kind, what, secret, where, number, col in credentials:
                yield Secret(kind, what, secret, where, number, col)
            return
        lines = text.split("\n")
        for number, line in enumerate(lines, start=1):
            if len(line) < 8:
                continue
            stripped = line.strip()
            match = None if stripped.startswith(("#", ";", "//")) else _LINE_KV.match(line)
            if match and not _CODE.match(match.group("value")):
                key, value = match.group("key"), _unquote(match.group("value"))
                found = list(self.judge(value, key, None, key))
                if "${" in value:
                    from hooks.secrets.context import default_secrets

                    found += list(default_secrets(self, value, key))
                if not found:  # https://u:p@host reads as key "https"; a token in the key, escaped quotes
                    found = [(f"token:{t}", n, s, f"line {number}") for t, n, s in self.tokens(stripped)]
                    found += [("url", f"password in a {scheme}:// URL", pw, f"line {number}")
                              for scheme, _host, pw in self.url_passwords(stripped)]
            elif "-----BEGIN" in line and "PRIVATE KEY" in line:  # a PEM block spans the lines below
                found = [(f"token:{t}", n, s, f"line {number}") for t, n, s in self.tokens(_text_pem(lines, number))]
            else:
                found = [(f"token:{t}", n, s, "a comment" if stripped[:1] in "#;/" else f"line {number}")
                         for t, n, s in self.tokens(line)]
            for kind, what, secret, where in found:
                col = line.find(secret.split("\n")[0]) + 1 or 1
                yield Secret(kind, what, secret, where, number, col)


# -- helpers -----------------------------------------------------------------
# The last words of a credential the service presents to an outside service.
_OUTBOUND = (("access", "key"), ("api", "key"), ("apikey",), ("api", "token"), ("api", "secret"))
_LEET = str.maketrans("013457", "oleast")
_CAMEL_WORDS = re.compile(r"(?:[A-Z][a-z]{2,}){2,}")


def _outbound(name: str) -> bool:
    words = key_words(name)
    return any(words[-len(t):] == t for t in _OUTBOUND)


def _leet_words(value: str) -> bool:
    """Words in leet (``M31tSt331B34m5``): digits for letters, and read back
    capitalised words that each hold a vowel. A random key never reads so."""
    if sum(c.isdigit() for c in value) < 2:
        return False
    plain = value.translate(_LEET)
    if not _CAMEL_WORDS.fullmatch(plain):
        return False
    return all(re.search("[aeiouy]", w) for w in re.findall("[A-Z][a-z]+", plain))


# Tables and keys whose values name packages, not settings: pyproject's
# project.dependencies, optional-dependencies, dependency-groups,
# build-system.requires, tool.uv override-/constraint-/dev-dependencies,
# tool.poetry(.group.*).dependencies, tool.pdm/hatch dependencies; setup.cfg's
# install_requires, setup_requires, tests_require, extras_require; tox deps.
_REQUIREMENT_WORDS = ("dependencies", "dependency-groups", "dependency_groups")
_REQUIREMENT_KEYS = frozenset({"requires", "install_requires", "setup_requires", "tests_require", "deps",
                               "extras_require", "options.extras_require", "requirements", "build-requires"})


def is_requirement_list(path: tuple[Any, ...]) -> bool:
    """Whether a TOML or INI entry at ``path`` sits in a requirement list: a
    package named ``django-api-key`` there is no key."""
    for part in path:
        if isinstance(part, str) and (part.lower().endswith(_REQUIREMENT_WORDS) or part.lower() in _REQUIREMENT_KEYS):
            return True
    return False


_LINE_KV = re.compile(r"""^\s*(?:export\s+|-\s+)?["']?(?P<key>[A-Za-z_][\w.\-]*)["']?\s*[:=]\s*(?P<value>\S.*?)\s*$""")
_CODE = re.compile(r"[A-Za-z_][\w.]*\s*[(\[]")  # env("X"), os.environ["X"]: code, not a value
_TRAILING_COMMENT = re.compile(r"\s+[#;].*$")
_NON_ALNUM = re.compile(r"[^a-z0-9]")


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] in "\"'" and value.find(value[0], 1) > 0:
        return value[1 : value.find(value[0], 1)]
    return _TRAILING_COMMENT.sub("", value).rstrip(",")


def _squash(text: str) -> str:
    return _NON_ALNUM.sub("", text.lower())


def _words(key: str) -> tuple[Any, ...]:
    return key_words(key) + (key,) if key else ()


def _constance_help(path: tuple[Any, ...]) -> bool:
    """``CONSTANCE_CONFIG = {"X": (default, "help text", type)}``
    (django-constance): only ``[0]`` is a value; the help text and the type
    are not."""
    return (len(path) == 3 and isinstance(path[0], str) and path[0].upper().endswith("CONSTANCE_CONFIG")
            and isinstance(path[2], int) and path[2] != 0)


# ``if LOCALHOST:``, ``if settings.DEBUG:``, ``if IS_DEV:``: a branch only local
# development or tests run; production does not take it.
_LOCAL_FLAG = re.compile(
    r"\s*(?:el)?if\s+(?:[A-Za-z_]\w*\.)?(?:IS_|RUNNING_|IN_)?"
    r"(?:LOCALHOST|LOCAL|LOCAL_DEV|LOCAL_DEVELOPMENT|DEV|DEVELOPMENT|TESTING|TEST|TESTS|DEBUG)\s*:\s*(?:#.*)?$"
)


def _local_branch(lines: Sequence[str], line: int) -> bool:
    """Whether the statement at ``line`` sits in an ``if`` on a flag that
    means local development or tests (the nearest enclosing block header)."""
    if not 0 < line <= len(lines):
        return False
    text = lines[line - 1]
    indent = len(text) - len(text.lstrip())
    if indent == 0:
        return False
    for number in range(line - 2, -1, -1):
        above = lines[number]
        stripped = above.strip()
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(above) - len(above.lstrip())
        if depth < indent:
            if _LOCAL_FLAG.fullmatch(above):
                return True
            if not stripped.endswith(":"):
                continue  # a wrapped line of a statement further up
            if stripped.startswith(("if ", "elif ", "else")):
                return False
            indent = depth  # with/try/for: look further out
            if depth == 0:
                return False
    return False


def _names_a_secret(path: tuple[Any, ...]) -> bool:
    return (bool(path) and isinstance(path[-1], str) and "name" in path[-1].lower()  # cheap test first
            and key_words(path[-1])[-2:] == ("secret", "name"))


def _key_and_parent(path: tuple[Any, ...]) -> tuple[str, str | None]:
    names = [p for p in path if isinstance(p, str)]
    if not names:
        return "", None
    return names[-1], (names[-2] if len(names) > 1 else None)


def _locate(doc: Document, entry: Entry, secret: str) -> tuple[int, int]:
    """(line, column) where the secret's text starts: on the entry's line, or
    on one of the two below it for a YAML block scalar (``key: |``), or on a
    later line of a Python statement wrapped over lines."""
    column = _column(doc, entry, secret)
    if column != entry.column or not 1 <= entry.line <= len(doc.lines):
        return entry.line, column
    first = secret.split("\n")[0].strip()
    # A Python call wrapped over lines (``X = env.str(\n    "X", "postgres://...")``): its end line.
    end = getattr(entry.node, "end_lineno", None) if doc.format == formats.PYTHON else None
    if len(first) >= 4 and isinstance(end, int) and end > entry.line:
        for number in range(entry.line + 1, min(end, entry.line + 20, len(doc.lines)) + 1):
            found = doc.lines[number - 1].find(first)
            if found >= 0:
                return number, found + 1
    if len(first) >= 4 and doc.lines[entry.line - 1].rstrip().endswith(("|", ">", "|-", ">-", "|+", ">+")):
        for number in range(entry.line + 1, min(entry.line + 2, len(doc.lines)) + 1):
            found = doc.lines[number - 1].find(first)
            if found >= 0:
                return number, found + 1
    return entry.line, column


def _column(doc: Document, entry: Entry, secret: str) -> int:
    """Where the value starts on the entry's line, else where its key does."""
    if 1 <= entry.line <= len(doc.lines):
        found: int = doc.lines[entry.line - 1].find(secret.split("\n")[0], max(entry.column - 1, 0))
        if found >= 0:
            return found + 1
    return entry.column


def _pem_block(value: str, start: int) -> str:
    end = value.find("-----END", start)
    if end < 0:
        return value[start:]
    close = value.find("-----", end + 8)
    return value[start : close + 5] if close >= 0 else value[start:]


def _text_pem(lines: Sequence[str], number: int) -> str:
    """The PEM block that starts on line ``number``, up to its END line."""
    rest = lines[number - 1 : number + 200]
    end = next((i for i, text in enumerate(rest) if "-----END" in text), 0)
    return "\n".join(rest[: end + 1])


def _pem_has_body(block: str) -> bool:
    """The base64 between the armour lines, however the lines were joined
    (newlines, escaped ``\\n``, ``.properties``/INI continuations, YAML folding)."""
    inner = re.sub(r"^-----BEGIN[^-]*-----|-----END.*$", "", block.strip(), flags=re.S)
    text = re.sub(r"\\n|\\|\s|[A-Za-z-]+:[^\n]*\n", "", inner)
    return len(text) >= 32 and len(set(text)) > 8


def _jwt_header(token: str) -> bool:
    import base64

    head = token.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))
    except (ValueError, TypeError):
        return False
    return b'"alg"' in decoded or b'"typ"' in decoded


def _mixed(text: str) -> bool:
    return any(c.isdigit() for c in text) and any(c.isupper() for c in text) and any(c.islower() for c in text)


def _const(node: Any) -> Any:
    import ast

    return node.value if isinstance(node, ast.Constant) else None


def _call_name(func: Any) -> str:
    import ast

    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))


def _is_env_getter(name: str) -> bool:
    return name in ENV_GETTERS or name.startswith("env.") or name.endswith(("environ.get", ".getenv", ".config"))


# Squashed (``not-set`` -> notset): a boolean, or a word saying no value is set.
_NOT_CREDENTIALS = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null", "nil", "", "undefined",
                              "unknown", "unset", "notset", "missing", "unspecified", "na"})


def python_env_defaults(node: Any, with_names: bool = False) -> Iterator[tuple[Any, ...]]:
    """(getter, literal default[, variable name]) for each environment read
    with a string default under ``node``: ``os.environ.get("X", "d")``,
    ``env.str("X", default="d")``, ``config("X", default="d")``, and
    ``os.environ.get("X") or "d"``."""
    import ast

    for sub in ast.walk(node):
        call: Any = sub
        default = None
        if isinstance(sub, ast.Call):
            default = _default_arg(sub)
        elif isinstance(sub, ast.BoolOp) and isinstance(sub.op, ast.Or) and len(sub.values) == 2:
            call, default = sub.values[0], _const(sub.values[1])
            if not isinstance(call, ast.Call) or _default_arg(call) is not None:
                continue
        if not isinstance(default, str):
            continue
        name = _call_name(call.func)
        if _is_env_getter(name):
            if with_names:
                first = _const(call.args[0]) if call.args else None
                yield name, default, first if isinstance(first, str) else ""
            else:
                yield name, default


def _default_arg(call: Any) -> Any:
    if len(call.args) > 1:
        return _const(call.args[1])
    for kw in call.keywords:
        if kw.arg == "default":
            return _const(kw.value)
    return None


def mask_secrets(text: str, doc: Document) -> str:
    """``text`` (a diff, a preview of ``doc``) with every secret the engine
    finds in ``doc`` masked as ``hooks.core.masking.mask`` shows it: output that
    quotes a config line never quotes its secret."""
    from hooks.core.masking import mask

    checker = Checker(Compiled())
    found = {s.value for s in checker.check_document(doc)} if doc.error is None else set()
    found |= {s.value for s in checker.check_text(doc.path, doc.text)}
    for secret in sorted((s for s in found if len(s) >= 4), key=len, reverse=True):
        text = text.replace(secret, f"<secret masked: {mask(secret)}>")
        for part in secret.split("\n"):  # a PEM block spans lines of the diff
            if len(part) >= 16:
                text = text.replace(part, f"<secret masked: {mask(part)}>")
    return text
