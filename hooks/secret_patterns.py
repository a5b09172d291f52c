"""What no-inline-secrets looks for, as data in one place.

Four tables, each documented in docs/hooks/no-inline-secrets.md:

* ``SENSITIVE_ENDINGS`` - a key is sensitive when its *last words* are one of
  these (``DB_PASSWORD``, ``stripe.apiKey``, ``EMAIL_HOST_PASSWORD``). Judging
  the ending, not a substring, is what keeps ``password_min_length``,
  ``token_expiry_seconds``, ``cache_key_prefix``, ``primary_key``,
  ``public_key`` and ``password_file`` out.
* ``TOKENS`` - token formats that are secret wherever they appear.
* ``REFERENCES`` - values that point at the environment or a secret store.
* ``PLACEHOLDERS`` - values that stand in for a secret.

Everything is compiled once, on first use, so importing this module is cheap.
Users extend the key and placeholder tables with flags (see the hook).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property, lru_cache
from re import Pattern
from typing import Any

# -- sensitive keys ------------------------------------------------------------
# Key words are the key lowercased and split at `_ - . space` and camelCase.
# One-word endings: the key's last word is one of these.
SENSITIVE_WORDS: dict[str, str] = {
    "password": "password",
    "passwd": "password",
    "pwd": "password",
    "pswd": "password",
    "pw": "password",
    "pass": "password",
    "passphrase": "passphrase",
    "secret": "secret",
    "token": "token",
    "apikey": "API key",
    "credentials": "credentials",
    "credential": "credentials",
}
# Fused one-word endings, for keys written without separators (``dbpassword``,
# ``mysecretkey``): the last word ends with one of these.
SENSITIVE_SUFFIXES: dict[str, str] = {
    "password": "password",
    "passwd": "password",
    "apikey": "API key",
    "secretkey": "secret key",
    "accesskey": "access key",
    "privatekey": "private key",
    "clientsecret": "client secret",
    "secret": "secret",
    "authtoken": "token",
    "accesstoken": "token",
    "apitoken": "token",
}
# Two-word endings ``<first> key``: these first words make ``key`` sensitive.
KEY_QUALIFIERS: frozenset[str] = frozenset(
    {
        "api", "access", "secret", "private", "priv", "auth", "service", "account",
        "client", "master", "signing", "encryption", "encrypt", "crypt", "hmac",
        "app", "storage", "shared", "subscription", "webhook", "sign", "jwt", "db",
        "database", "consumer", "license",
    }
)
# Words that, right before the sensitive last word, make the key name a
# reference or a setting about the secret, not the secret itself.
NOT_SENSITIVE_BEFORE: dict[str, frozenset[str]] = {
    # Helm/Kubernetes: names of Secret objects.
    "secret": frozenset({"existing", "tls", "k8s", "kube", "kubernetes", "image", "pull", "sealed", "external", "use", "create", "mount"}),
    # Pagination and CSRF tokens are not credentials.
    "token": frozenset({"id", "csrf", "xsrf", "page", "next", "pagination", "continuation", "cancellation", "sync", "lock", "use"}),
    # Settings about passwords: ``MYSQL_ALLOW_EMPTY_PASSWORD=yes``, ``RESET_PASSWORD``.
    "password": frozenset({"allow", "empty", "random", "generate", "require", "reset", "forgot", "forgotten", "change", "no", "skip", "use", "validate"}),
    "pass": frozenset({"first", "second", "third", "multi", "single", "two", "by", "one"}),
}

# -- token formats ---------------------------------------------------------------
# (id, human name, regex); the whole match is the secret.
TOKENS: tuple[tuple[str, str, str], ...] = (
    ("aws-access-key-id", "AWS access key id", r"\b(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[0-9A-Z]{16}\b"),
    ("github-token", "GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    ("github-token", "GitHub token", r"\bgithub_pat_[A-Za-z0-9_]{50,}\b"),
    ("gitlab-token", "GitLab token", r"\bgl(?:pat|dt|rt|ptt|cbt|soat)-[A-Za-z0-9_\-]{20,}"),
    ("slack-token", "Slack token", r"\bxox[abposre]-(?:[0-9]+-)?[A-Za-z0-9-]{10,}"),
    ("slack-webhook", "Slack webhook URL", r"https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9_/]{20,}"),
    ("stripe-key", "Stripe live key", r"\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b"),
    ("google-api-key", "Google API key", r"\bAIza[0-9A-Za-z_\-]{35}"),
    ("sendgrid-key", "SendGrid API key", r"\bSG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{16,64}"),
    ("pypi-token", "PyPI token", r"\bpypi-Ag[A-Za-z0-9_\-]{50,}"),
    ("openai-key", "OpenAI-style sk- key", r"\bsk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_\-]{20,}"),
    ("jwt", "JSON web token", r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,}"),
    ("private-key", "PEM private key", r"-----BEGIN[A-Z ]{0,24} PRIVATE KEY(?: BLOCK)?-----"),
    ("npm-token", "npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
    ("azure-storage-key", "Azure storage account key", r"(?<=AccountKey=)[A-Za-z0-9+/]{86}=="),
    ("mailchimp-key", "Mailchimp API key", r"\b[0-9a-f]{32}-us[0-9]{1,2}\b"),
    ("mailgun-key", "Mailgun API key", r"\bkey-[0-9a-z]{32}\b"),
    ("twilio-key", "Twilio API key", r"\bSK[0-9a-f]{32}\b"),
    ("square-token", "Square token", r"\bsq0(?:atp|csp)-[0-9A-Za-z_\-]{22,43}"),
    ("shopify-token", "Shopify token", r"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b"),
    ("digitalocean-token", "DigitalOcean token", r"\bdo[por]_v1_[a-f0-9]{64}\b"),
    ("huggingface-token", "Hugging Face token", r"\bhf_[A-Za-z]{34}\b"),
    ("telegram-token", "Telegram bot token", r"\b[0-9]{8,10}:AA[0-9A-Za-z_\-]{33}\b"),
    ("discord-token", "Discord bot token", r"\b[MNO][A-Za-z0-9_\-]{23,25}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38}\b"),
    ("databricks-token", "Databricks token", r"\bdapi[a-f0-9]{32}\b"),
    ("artifactory-key", "Artifactory API key", r"\bAKC[A-Za-z0-9]{60,}\b"),
    ("newrelic-key", "New Relic key", r"\bNRAK-[A-Z0-9]{27}\b"),
    ("sentry-token", "Sentry auth token", r"\bsntry[su]_[A-Za-z0-9+/=_]{40,}"),
    ("grafana-token", "Grafana token", r"\bgl(?:c|sa)_[A-Za-z0-9+/=_]{32,}"),
    ("postman-key", "Postman API key", r"\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b"),
)

# Cheap substring tests before a token regex runs: each format holds one of its
# hints (Discord tokens, which hold none, are tried when a value has two dots).
TOKEN_HINTS: dict[str, tuple[str, ...]] = {
    "aws-access-key-id": ("AKIA", "ASIA", "ABIA", "ACCA", "AIDA", "AROA"),
    "github-token": ("gh", "github_pat_"),
    "gitlab-token": ("gl",),
    "slack-token": ("xox",),
    "slack-webhook": ("hooks.slack.com",),
    "stripe-key": ("_live_",),
    "google-api-key": ("AIza",),
    "sendgrid-key": ("SG.",),
    "pypi-token": ("pypi-",),
    "openai-key": ("sk-",),
    "jwt": ("eyJ",),
    "private-key": ("-----BEGIN",),
    "npm-token": ("npm_",),
    "azure-storage-key": ("AccountKey=",),
    "mailchimp-key": ("-us",),
    "mailgun-key": ("key-",),
    "twilio-key": ("SK",),
    "square-token": ("sq0",),
    "shopify-token": ("shp",),
    "digitalocean-token": ("_v1_",),
    "huggingface-token": ("hf_",),
    "telegram-token": (":AA",),
    "discord-token": (),
    "databricks-token": ("dapi",),
    "artifactory-key": ("AKC",),
    "newrelic-key": ("NRAK-",),
    "sentry-token": ("sntry",),
    "grafana-token": ("glc_", "glsa_"),
    "postman-key": ("PMAK-",),
}

# -- credentials in URLs ---------------------------------------------------------
# scheme://user:password@host - the password may not hold / or whitespace.
URL_CREDENTIALS = r"\b(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]{1,30})://(?P<user>[^:@/\s\"'<>]*):(?P<pw>[^@/\s\"'<>]+)@(?=[^\s@/\"'<>])"
# ``password=...`` inside a longer string: JDBC/ODBC query strings, compose
# ``- POSTGRES_PASSWORD=...`` list items, Kafka ``sasl.jaas.config``.
EMBEDDED_ASSIGNMENT = r"(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*(?:\"(?P<dq>[^\"\n]*)\"|'(?P<sq>[^'\n]*)'|(?P<bare>[^\s;,&\"'<>)]+))"

# -- values that are not secrets -------------------------------------------------
# References to the environment or a secret store (searched anywhere in the value).
REFERENCES: tuple[str, ...] = (
    r"\$\{",  # ${VAR}, ${VAR:-default}, ${VAR?message with spaces}
    r"(?<![\w$])\$[A-Za-z_][A-Za-z0-9_]*",  # $VAR
    r"\$\(",  # $(command)
    r"\{\{.*?\}\}",  # Jinja/Helm/GitHub: {{ secrets.X }}, {{ vault(...) }}
    r"\{%.*?%\}",
    r"<%=?.*?%>",  # ERB
    r"#\{[^}]*\}",  # Ruby/Concourse interpolation
    r"\(\(\s*[\w./-]+\s*\)\)",  # Concourse ((var))
    r"%\([A-Za-z0-9_.\-]+\)[sd]",  # INI %(name)s interpolation
    r"%\{[^}]*\}",  # Logstash/Puppet %{var}
    r"%[A-Za-z_][A-Za-z0-9_]*%",  # Windows %VAR%
    r"^%[sd]$",
    r"^\{[A-Za-z0-9_.\-]*\}$",  # str.format placeholders
    r"\{env[:\[.][^}]*\}",  # tox {env:X:}, dynaconf {env[X]}
    r"^@(?:format|jinja|get|json|int|str)\b",  # dynaconf lazy values
    r"^ENC\[",  # sops
    r"^\$ANSIBLE_VAULT;",
    r"^!vault",
    r"^(?:vault|ssm|secretsmanager|awssm|gcpsm|azkv|sm|op|keyvault|env|secret|file|ref)\s*:(?!//)",
    r"^(?:op|vault|gcp-secret|awssm|sm|k8s|kms|secretref)://",
    r"^arn:aws:(?:secretsmanager|ssm|kms):",
    r"^@Microsoft\.KeyVault\(",
    r"^projects/[^/]+/secrets/",
)
# Placeholders, matched against the whole value (case-insensitive).
PLACEHOLDERS: tuple[str, ...] = (
    r"<[^<>]*>",  # <your-key>
    r"\[[^\[\]]*\]",  # [YOUR_TOKEN]
    r"[\s\W_xX]*",  # xxx, ***, ..., ----, x-x-x
    r"•+|\.\.\.|…",
    r"(?:none|null|nil|undefined|empty|unset|not[-_ ]?set|n/?a|true|false|yes|no|on|off|~)",
    r"(?:change[-_ ]?(?:me|it|this)(?:[-_ ]?(?:please|now|later|in[-_ ]?prod(?:uction)?|\d+))*)",
    r"(?:replace[-_ ]?(?:me|this)|fill[-_ ]?(?:me|in)|set[-_ ]?me|update[-_ ]?me|edit[-_ ]?me)",
    r"(?:dummy|example|sample|placeholder|redacted|hidden|masked|filtered|secret|password|passwd|pass|pwd|pw|token|key|"
    r"apikey|api[-_]key|secret[-_]key|test|testing|tests|foo|bar|baz|foobar|fake|mock|todo|tbd|fixme|tba|default|"
    r"not[-_ ]?a[-_ ]?(?:real[-_ ]?)?secret|notsecret|nosecret|insert[-_ ]?here|not[-_ ]?(?:needed|used|required|set))",
    r"(?:your|my|some|insert|enter|put|add|paste|provide)[-_ ].*",  # your-password-here, some-secret
    r"your(?:password|secret|token|key|apikey|api_key|pass|pwd|secretkey)\w*",
    r".*[-_ ](?:here|goes[-_ ]here)",  # token-here, secret_goes_here
    # Not secrets but settings that happen to sit under a sensitive key (``token: bearer``).
    r"(?:bearer|basic|digest|oauth2?|jwt|plain|plaintext|md5|sha\d+|bcrypt|argon2|scrypt|pbkdf2|required|optional|"
    r"disabled|enabled|auto|manual|prompt|ask|env|environ|environment|file|vault|ssm|kms|keyring|keychain|stdin|"
    r"random|generated|auto[-_]?generated|inherit|same|ignore|none|always|never|read|write|read[-_]?write|readonly|read[-_]only)",
    r"!{2,}.*!{2,}|\*{2,}.*\*{2,}|#{2,}.*#{2,}|_{2,}[A-Za-z0-9_]+_{2,}|@[A-Z0-9_]+@",  # !!!SET ME!!!, __TOKEN__, @TOKEN@
)
# Placeholder words found anywhere in the value (case-insensitive).
PLACEHOLDER_WORDS = r"changeme|change_me|change-me|placeholder|dummy|example|xxxx|\*\*\*|todo|fixme|redacted|do[-_ ]?not[-_ ]?use|not[-_ ]?real"
# A value that is the name of an environment variable (``DB_PASSWORD``).
ENV_VAR_NAME = r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+"
# A path to a file that holds the secret (``/run/secrets/db``, ``./keys/jwt.pem``).
FILE_PATH = r"(?:~|\.{1,2})?/[\w.\-/@%+]*|[A-Za-z]:\\[\w.\-\\ ]+|[\w.\-]+/[\w.\-/]+\.(?:pem|key|crt|cer|txt|json|p12|pfx|jks|gpg|asc)"
# A URL without credentials (``token_url``-like values under a sensitive key).
PLAIN_URL = r"[A-Za-z][A-Za-z0-9+.\-]*://[^@\s]*"
# Python calls that read the environment; their first argument is a variable name.
ENV_GETTERS: frozenset[str] = frozenset(
    {
        "os.environ.get", "os.getenv", "environ.get", "getenv", "os.environ.setdefault", "env", "config",
        "decouple.config", "env.str", "env.get_value", "env.db", "env.url", "env.cache", "env.email",
        "env.db_url", "env.cache_url", "env.json", "env.list", "environ.Env", "os.environ.__getitem__",
    }
)
MIN_LENGTH = 4  # shorter literal values under a sensitive key are not judged


class Compiled:
    """The tables above, compiled once, plus a user's extra patterns."""

    def __init__(
        self,
        extra_sensitive: tuple[str, ...] = (),
        not_sensitive: tuple[str, ...] = (),
        extra_placeholders: tuple[str, ...] = (),
    ) -> None:
        # Compiled on first use (a commit touching one YAML file needs few of them);
        # user patterns are compiled now so a bad one is a usage error at start.
        self._extra_placeholders = extra_placeholders
        if extra_placeholders:
            re.compile("|".join(extra_placeholders))
        self.extra_sensitive = re.compile("|".join(f"(?:{r})" for r in extra_sensitive)) if extra_sensitive else None
        self.not_sensitive = re.compile("|".join(f"(?:{r})" for r in not_sensitive)) if not_sensitive else None
        self._labels: dict[tuple[str, str | None], str | None] = {}

    @cached_property
    def token_hint(self) -> Pattern[str]:
        hints = sorted({h for hs in TOKEN_HINTS.values() for h in hs}, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, hints)))

    @cached_property
    def tokens(self) -> list[tuple[str, str, _Lazy, tuple[str, ...]]]:
        return [(tid, name, _Lazy(r), TOKEN_HINTS[tid]) for tid, name, r in TOKENS]

    @cached_property
    def url(self) -> Pattern[str]:
        return re.compile(URL_CREDENTIALS)

    @cached_property
    def embedded(self) -> Pattern[str]:
        return re.compile(EMBEDDED_ASSIGNMENT)

    @cached_property
    def reference(self) -> Pattern[str]:
        return re.compile("|".join(f"(?:{r})" for r in REFERENCES), re.I)

    @cached_property
    def placeholder(self) -> Pattern[str]:
        return re.compile("|".join(f"(?:{r})" for r in PLACEHOLDERS + self._extra_placeholders), re.I)

    @cached_property
    def placeholder_word(self) -> Pattern[str]:
        return re.compile(PLACEHOLDER_WORDS, re.I)

    @cached_property
    def env_var_name(self) -> Pattern[str]:
        return re.compile(ENV_VAR_NAME)

    @cached_property
    def file_path(self) -> Pattern[str]:
        return re.compile(FILE_PATH)

    @cached_property
    def plain_url(self) -> Pattern[str]:
        return re.compile(PLAIN_URL)

    def sensitive(self, key: str, parent: str | None = None) -> str | None:
        """The label of what ``key`` holds (``"password"``) if it is sensitive, else None."""
        cache_key = (key, parent)
        if cache_key not in self._labels:
            if len(self._labels) >= 20_000:  # bounded: key names differ from repo to repo
                self._labels.clear()
            self._labels[cache_key] = self._sensitive(key, parent)
        return self._labels[cache_key]

    def _sensitive(self, key: str, parent: str | None) -> str | None:
        words = key_words(key)
        if words == ("key",) and parent:  # ``api: {key: ...}`` reads as api_key
            words = key_words(parent)[-1:] + words
        snake = "_".join(words)
        if self.not_sensitive is not None and self.not_sensitive.search(snake):
            return None
        label = _label(words)
        if label is None and self.extra_sensitive is not None and self.extra_sensitive.search(snake):
            label = "secret"
        return label

    def is_placeholder(self, value: str, key: str = "") -> bool:
        if self.placeholder.fullmatch(value) or self.placeholder_word.search(value):
            return True
        if len(set(value.lower())) <= 2:  # aaaa, 0000, abab
            return True
        squashed = _squash(value)
        return bool(key) and squashed in (_squash(key), _squash(key_words(key)[-1]))

    def is_reference(self, value: str) -> bool:
        return self.reference.search(value) is not None


class _Lazy:
    """A regex compiled the first time it is used."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: Pattern[str] | None = None

    def finditer(self, text: str) -> Iterator[Any]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled.finditer(text)


def key_words(key: str) -> tuple[str, ...]:
    return _key_words(str(key))


@lru_cache(maxsize=4096)
def _key_words(key: str) -> tuple[str, ...]:
    spaced = _CAMEL_1.sub(r"\1_\2", _CAMEL_2.sub(r"\1_\2", key))
    return tuple(w.rstrip("0123456789") or w for w in _SPLIT.split(spaced.lower()) if w)


def _label(words: tuple[str, ...]) -> str | None:
    if not words:
        return None
    last = words[-1]
    before = words[-2] if len(words) > 1 else ""
    if last in SENSITIVE_WORDS:
        if before in NOT_SENSITIVE_BEFORE.get(last, ()) or before in NOT_SENSITIVE_BEFORE.get(
            SENSITIVE_WORDS[last], ()
        ):
            return None
        if last == "secret" and before in ("client", "app", "webhook", "consumer", "api", "jwt", "shared", "signing"):
            return f"{before} secret"
        return SENSITIVE_WORDS[last]
    if last == "key" and before in KEY_QUALIFIERS:
        return "API key" if before == "api" else f"{before} key"
    for suffix, label in SENSITIVE_SUFFIXES.items():
        if last.endswith(suffix) and last != suffix:
            return label
    return None


def _squash(text: str) -> str:
    return _NON_ALNUM.sub("", str(text).lower())


_CAMEL_1 = re.compile(r"([a-z0-9])([A-Z])")
_CAMEL_2 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_SPLIT = re.compile(r"[^a-z0-9]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]")
