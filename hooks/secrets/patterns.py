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

from hooks.secrets.stems import STEMS, TOKENISH

TYPE_CHECKING = False  # typing is slow to import; annotations are strings here
if TYPE_CHECKING:
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
    # Hash salts and peppers keep stored hashes safe only while they stay secret.
    "salt": "salt",
    "pepper": "pepper",
    "seed": "seed",
    # ``SIGNING_HMAC``, ``webhook_hmac``: the key of a keyed hash.
    "hmac": "HMAC key",
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
        # Beaker's session.validate_key (the signing half of encrypt_key), ASP.NET's validationKey.
        "validate", "validation",
        "app", "storage", "shared", "subscription", "webhook", "sign", "jwt", "db",
        "database", "consumer", "license",
        # Encryption keys named after their cipher or library.
        "aes", "fernet", "cipher", "crypto", "totp", "otp", "symmetric", "decryption", "salt", "webhooks", "signature",
        "cryptography", "chacha", "credential", "credentials",
    }
)
# Words anywhere before ``key`` that name what the key protects, whatever
# stands between (``APP_CREDENTIAL_AES_256_KEY``, ``HMAC_SHA256_KEY``,
# ``aes_gcm_key``): a key named for a cipher, a MAC or a signature is secret
# (not ``crypto``: ``crypto_market_key`` is about currencies).
CIPHER_WORDS: frozenset[str] = frozenset({
    "aes", "hmac", "fernet", "cipher", "cryptography", "encryption", "encrypt", "decryption",
    "signing", "chacha", "symmetric",
})
# Words after the sensitive ending that say how the value is written, not what
# it is: ``AES_KEY_B64``, ``SIGNING_KEY_HEX``, ``SECRET_KEY_2`` (digits alone).
ENCODING_WORDS: frozenset[str] = frozenset({"b", "base", "hex", "bytes", "encoded", "urlsafe"})
# Words that, right before the sensitive last word, make the key name a
# reference or a setting about the secret, not the secret itself.
NOT_SENSITIVE_BEFORE: dict[str, frozenset[str]] = {
    # Helm/Kubernetes: names of Secret objects.
    "secret": frozenset({"existing", "tls", "k8s", "kube", "kubernetes", "image", "pull", "sealed", "external", "use", "create", "mount"}),
    # Pagination and CSRF tokens are not credentials.
    "token": frozenset({"id", "csrf", "xsrf", "page", "next", "pagination", "continuation", "cancellation", "sync", "lock", "use",
                        # Tokenizer settings: special_tokens, stop_tokens, eos_token.
                        "special", "stop", "bos", "eos", "pad", "unk", "mask", "cls", "sep", "max", "num", "extra"}),
    # Settings about passwords: ``MYSQL_ALLOW_EMPTY_PASSWORD=yes``, ``RESET_PASSWORD``.
    "password": frozenset({"allow", "empty", "random", "generate", "require", "reset", "forgot", "forgotten", "change", "no", "skip", "use", "validate"}),
    "pass": frozenset({"first", "second", "third", "multi", "single", "two", "by", "one"}),
    "salt": frozenset({"no", "use", "random", "generate"}),
    "hmac": frozenset({"use", "enable", "enabled", "verify", "require", "no"}),
    # Seeds of random generators and test data are not secret.
    "seed": frozenset({"random", "rng", "faker", "factory", "numpy", "np", "torch", "tf", "data", "db", "database",
                       "test", "tests", "shuffle", "hypothesis", "initial", "global", "sample", "split", "python",
                       "hash", "sampling", "train", "demo", "fixture", "fixtures", "migration"}),
}
# Words right before ``key`` that make it no secret even when a cipher word
# stands earlier (``SIGNING_PUBLIC_KEY``, ``ENCRYPTION_PRIMARY_KEY``).
NOT_SENSITIVE_BEFORE_KEY: frozenset[str] = frozenset({"public", "pub", "primary", "foreign", "cache", "lookup", "sort",
                                                       "partition", "routing", "idempotency", "dict", "map", "hash"})
# Plural endings read as their singular (``db_passwords: [...]``).
PLURALS: dict[str, str] = {"passwords": "password", "secrets": "secret", "tokens": "token", "keys": "key",
                           "apikeys": "apikey", "passphrases": "passphrase", "salts": "salt"}
# Last words that say "the value of": ``token_value`` is judged as ``token``.
HOLDER_WORDS: frozenset[str] = frozenset({"value", "val", "string", "str", "literal", "plain", "plaintext", "raw"})
# Fused words that end like a sensitive word and are not one.
NOT_SENSITIVE_FUSED: frozenset[str] = frozenset({
    "bypass", "compass", "surpass", "trespass", "overpass", "underpass", "firstpass", "multipass", "onepass",
    "repass", "encompass", "ampass", "biopass",
})
# What may stand fused before ``pass`` in a password key (``dbpass``, ``smtppass``).
PASS_STEMS: frozenset[str] = frozenset({
    "user", "db", "root", "admin", "mail", "smtp", "imap", "pop", "ftp", "sftp", "ldap", "redis", "mysql", "pg",
    "postgres", "sql", "mssql", "mongo", "api", "app", "master", "bind", "rabbit", "rabbitmq", "amqp", "mq", "sa",
    "sys", "web", "proxy", "key", "store", "keystore", "trust", "truststore", "ssh", "vnc", "wifi", "login", "auth",
    "service", "svc", "server", "client", "bot", "ssl", "tls", "jks", "pfx", "cert", "vault", "my",
})
# Vendors whose name before ``key`` makes it an API key (``GITLAB_KEY``,
# ``slackKey``). Vendors whose "key" is public by design (reCAPTCHA site keys,
# Algolia search keys, Pusher app keys, Sentry public keys) are left out.
VENDOR_WORDS: frozenset[str] = frozenset({
    "slack", "github", "gitlab", "bitbucket", "stripe", "twilio", "sendgrid", "mailgun", "mailchimp", "mandrill",
    "postmark", "aws", "heroku", "datadog", "newrelic", "openai", "anthropic", "npm", "pypi", "docker", "dockerhub",
    "jenkins", "travis", "circleci", "jira", "atlassian", "okta", "auth0", "cloudflare", "digitalocean", "linode",
    "vault", "consul", "nomad", "terraform", "paypal", "braintree", "square", "shopify", "hubspot", "salesforce",
    "zendesk", "intercom", "telegram", "discord", "doppler", "linear", "postman", "sumo", "sumologic", "sourcegraph",
    "pagerduty", "opsgenie", "snyk", "sonar", "sonarqube", "codecov", "coveralls", "netlify", "vercel", "fastly",
})
# Words before the sensitive ending that make the value public by design
# (``STRIPE_PUBLISHABLE_KEY``, ``publicToken``, ``public_api_key``).
PUBLIC_WORDS: frozenset[str] = frozenset({"public", "publishable", "pub", "anon"})
# Two-word endings that hold a secret without saying so: path-hash salts.
SECRET_PAIRS: dict[tuple[str, str], str] = {("hash", "prefix"): "hash salt", ("hash", "suffix"): "hash salt"}

# -- token formats ---------------------------------------------------------------
# One row per format: (id, human name, regex, hints, source). The whole match is
# the secret. ``hints`` are literal strings one of which every match holds (most
# are the token's prefix); one combined scan for all hints picks the few formats
# worth trying on a value, so 150 formats cost about what one regex does.
# ``source`` says where the format is documented: the vendor's own page where
# it describes the token, else the public rule set that first catalogued it
# (gitleaks, detect-secrets, CredSweeper). The regexes are ours.
GL = "gitleaks rule set (config/gitleaks.toml), rule "
TOKENS: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    # Cloud providers
    ("aws-access-key-id", "AWS access key id", r"\b(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|AGPA)[0-9A-Z]{16}\b",
     ("AKIA", "ASIA", "ABIA", "ACCA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA", "AGPA"),
     "docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html (unique id prefixes)"),
    ("aws-bedrock-key", "AWS Bedrock API key", r"\bABSK[A-Za-z0-9+/]{109,269}={0,2}", ("ABSK",), GL + "aws-amazon-bedrock-api-key-long-lived"),
    ("google-api-key", "Google API key", r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])", ("AIza",), "cloud.google.com/docs/authentication/api-keys"),
    ("google-oauth-secret", "Google OAuth client secret", r"\bGOCSPX-[A-Za-z0-9_\-]{28}", ("GOCSPX-",), GL + "gcp-api-key / Google OAuth client secret format (2021)"),
    ("google-oauth-token", "Google OAuth access token", r"\bya29\.[0-9A-Za-z_\-]{30,}", ("ya29.",), "developers.google.com/identity/protocols/oauth2"),
    ("azure-storage-key", "Azure storage account key", r"(?<=AccountKey=)[A-Za-z0-9+/]{86}==", ("AccountKey=",), "learn.microsoft.com/azure/storage/common/storage-configure-connection-string"),
    ("azure-sas-key", "Azure shared access key", r"(?<=SharedAccessKey=)[A-Za-z0-9+/]{43}=", ("SharedAccessKey=",), "learn.microsoft.com/azure/service-bus-messaging/service-bus-sas"),
    ("azure-ad-client-secret", "Azure AD client secret", r"(?<![A-Za-z0-9_~.\-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34}(?![A-Za-z0-9_~.\-])", ("Q~",), GL + "azure-ad-client-secret"),
    ("azure-devops-pat", "Azure DevOps token", r"\b[A-Za-z0-9]{52}AZDO[A-Za-z0-9]{4}\b", ("AZDO",), "learn.microsoft.com/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate (84-char format)"),
    ("alibaba-access-key-id", "Alibaba Cloud access key id", r"\bLTAI[A-Za-z0-9]{12,20}\b", ("LTAI",), GL + "alibaba-access-key-id"),
    ("tencent-secret-id", "Tencent Cloud secret id", r"\bAKID[A-Za-z0-9]{32}\b", ("AKID",), "CredSweeper rule Tencent Cloud Secret ID"),
    ("yandex-api-key", "Yandex Cloud API key", r"\bAQVN[A-Za-z0-9_\-]{35,38}\b", ("AQVN",), GL + "yandex-api-key"),
    ("digitalocean-token", "DigitalOcean token", r"\bdo[por]_v1_[a-f0-9]{64}\b", ("_v1_",), "docs.digitalocean.com/reference/api/create-personal-access-token (dop_v1_ prefix)"),
    ("cloudflare-origin-ca-key", "Cloudflare origin CA key", r"\bv1\.0-[a-f0-9]{24}-[a-f0-9]{146}\b", ("v1.0-",), "developers.cloudflare.com/fundamentals/api/get-started/ca-keys"),
    ("heroku-key", "Heroku API key", r"\bHRKU-[A-Za-z0-9_\-]{36,64}(?![\w\-])", ("HRKU-",), "devcenter.heroku.com/articles/heroku-cli-commands (HRKU- tokens, 2024)"),
    ("flyio-token", "Fly.io token", r"\b(?:fo1_[\w\-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3})", ("fo1_", "fm1", "fm2"), GL + "flyio-access-token"),
    ("openshift-token", "OpenShift user token", r"\bsha256~[\w\-]{43}(?![\w\-])", ("sha256~",), "docs.openshift.com/container-platform/latest/authentication/managing-oauth-access-tokens.html"),
    ("scalingo-token", "Scalingo API token", r"\btk-us-[\w\-]{48}\b", ("tk-us-",), GL + "scalingo-api-token"),
    ("render-key", "Render API key", r"\brnd_[A-Za-z0-9]{32}\b", ("rnd_",), "render.com/docs/api#1-create-an-api-key"),
    ("supabase-key", "Supabase secret key", r"\b(?:sbp_(?:v0_)?[a-f0-9]{40}|sb_secret_[A-Za-z0-9_\-]{31,})\b", ("sbp_", "sb_secret_"), "supabase.com/docs/guides/api/api-keys"),
    ("planetscale-token", "PlanetScale token", r"\bpscale_(?:tkn|oauth|pw)_[\w=.\-]{32,64}", ("pscale_",), GL + "planetscale-api-token / planetscale-password"),
    ("netlify-token", "Netlify token", r"\bnf[pc]_[A-Za-z0-9]{36,40}\b", ("nfp_", "nfc_"), "docs.netlify.com/api/get-started/#authentication"),
    ("tailscale-key", "Tailscale key", r"\btskey-(?:api|auth|client|scim|webhook)-[A-Za-z0-9]{6,}-[A-Za-z0-9]{16,}", ("tskey-",), "tailscale.com/kb/1085/auth-keys"),
    ("hashicorp-vault-token", "HashiCorp Vault token", r"\bhv[sb]\.[A-Za-z0-9_\-]{90,}", ("hvs.", "hvb."), "developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes"),
    ("terraform-cloud-token", "Terraform Cloud token", r"\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=\-]{60,70}", (".atlasv1.",), "developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens"),
    ("doppler-token", "Doppler token", r"\bdp\.(?:pt|st|ct|sa|scim|audit)\.(?:[a-z0-9_\-]{2,35}\.)?[A-Za-z0-9]{40,44}\b", ("dp.",), "docs.doppler.com/docs/token-formats"),
    ("pulumi-token", "Pulumi access token", r"\bpul-[a-f0-9]{40}\b", ("pul-",), "pulumi.com/docs/pulumi-cloud/access-management/access-tokens"),
    ("octopus-key", "Octopus Deploy API key", r"(?<![\w.\-/])API-[A-Z0-9]{26,32}\b", ("API-",), GL + "octopus-deploy-api-key"),
    ("age-secret-key", "age secret key", r"\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b", ("AGE-SECRET-KEY-",), "age-encryption.org/v1 (bech32 secret key)"),
    # Source forges, registries, CI
    ("github-token", "GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36,}\b", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), "github.blog/2021-04-05-behind-githubs-new-authentication-token-formats"),
    ("github-token", "GitHub token", r"\bgithub_pat_[A-Za-z0-9_]{50,}\b", ("github_pat_",), "docs.github.com/authentication (fine-grained personal access tokens)"),
    ("gitlab-token", "GitLab token", r"\bgl(?:pat|dt|rt|rtr|ptt|cbt|soat|ft|imt|agent|ffct|oas|wt)-[A-Za-z0-9_\-]{20,}(?:\.[0-9a-z]{2}\.[A-Za-z0-9]{9})?", ("gl",), "docs.gitlab.com/ee/security/tokens/#token-prefixes"),
    ("gitlab-runner-token", "GitLab runner registration token", r"\bGR1348941[A-Za-z0-9_\-]{20}\b", ("GR1348941",), "docs.gitlab.com/ee/security/tokens/#token-prefixes"),
    ("bitbucket-app-password", "Bitbucket app password", r"\bATBB[A-Za-z0-9_=.\-]{28,}\b", ("ATBB",), "support.atlassian.com/bitbucket-cloud/docs/app-passwords"),
    ("atlassian-token", "Atlassian API token", r"\bATATT3[A-Za-z0-9_\-=]{150,}", ("ATATT3",), "support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account"),
    ("npm-token", "npm token", r"\bnpm_[A-Za-z0-9]{36}\b", ("npm_",), "github.blog/2021-09-23-announcing-npms-new-access-token-format"),
    ("pypi-token", "PyPI token", r"\bpypi-Ag[A-Za-z0-9_\-]{50,}", ("pypi-",), "pypi.org/help/#apitoken"),
    ("rubygems-key", "RubyGems API key", r"\brubygems_[a-f0-9]{48}\b", ("rubygems_",), "guides.rubygems.org/api-key-scopes"),
    ("nuget-key", "NuGet API key", r"\boy2[a-z0-9]{43}\b", ("oy2",), GL + "nuget-api-key"),
    ("clojars-token", "Clojars deploy token", r"\bCLOJARS_[a-z0-9]{60}\b", ("CLOJARS_",), "github.com/clojars/clojars-web/wiki/Deploy-Tokens"),
    ("crates-token", "crates.io token", r"\bcio[A-Za-z0-9]{32}\b", ("cio",), "CredSweeper rule crates.io API token"),
    ("docker-hub-token", "Docker Hub token", r"\bdckr_(?:pat|oat)_[A-Za-z0-9_\-]{27,}", ("dckr_",), "docs.docker.com/security/for-developers/access-tokens"),
    ("artifactory-key", "Artifactory API key", r"\bAKC[A-Za-z0-9]{60,}\b", ("AKC",), "jfrog.com/help/r/jfrog-platform-administration-documentation/api-key"),
    ("artifactory-token", "Artifactory reference token", r"\bcmVmdGtuOjAxOj[A-Za-z0-9]{50,}", ("cmVmdGtuOjAxOj",), "jfrog.com/help (reference tokens: base64 of reftkn:01:)"),
    ("circleci-token", "CircleCI personal token", r"\bCCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}\b", ("CCIPAT_",), "circleci.com/docs/managing-api-tokens"),
    ("buildkite-token", "Buildkite API token", r"\bbkua_[a-f0-9]{40}\b", ("bkua_",), "buildkite.com/docs/apis/managing-api-tokens"),
    ("sonarqube-token", "SonarQube token", r"\bsq[upa]_[a-f0-9]{40}\b", ("squ_", "sqp_", "sqa_"), "docs.sonarsource.com/sonarqube/latest/user-guide/user-account/generating-and-using-tokens"),
    ("harness-token", "Harness access token", r"\b(?:pat|sat)\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}\b", ("pat.", "sat."), GL + "harness-api-key"),
    ("sourcegraph-token", "Sourcegraph access token", r"\bsgp_(?:[A-Fa-f0-9]{16}_|local_)?[A-Fa-f0-9]{40}\b", ("sgp_",), "sourcegraph.com/docs/cli/how-tos/creating_an_access_token"),
    ("readme-key", "ReadMe API key", r"\brdme_[a-z0-9]{70}\b", ("rdme_",), GL + "readme-api-token"),
    ("infracost-key", "Infracost API key", r"(?<![\w.\-/])ico-[A-Za-z0-9]{32}\b", ("ico-",), GL + "infracost-api-token"),
    ("prefect-key", "Prefect API key", r"\bpnu_[A-Za-z0-9]{36}\b", ("pnu_",), GL + "prefect-api-token"),
    ("postman-key", "Postman API key", r"\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b", ("PMAK-",), "learning.postman.com/docs/developer/postman-api/authentication"),
    ("typeform-token", "Typeform token", r"\btfp_[A-Za-z0-9_\-.=]{59}", ("tfp_",), GL + "typeform-api-token"),
    ("defined-networking-key", "Defined Networking API key", r"\bdnkey-[A-Za-z0-9=_\-]{26}-[A-Za-z0-9=_\-]{52}\b", ("dnkey-",), GL + "defined-networking-api-token"),
    ("frameio-token", "Frame.io token", r"\bfio-u-[A-Za-z0-9_=\-]{64}\b", ("fio-u-",), GL + "frameio-api-token"),
    ("linear-key", "Linear API key", r"\blin_(?:api_[A-Za-z0-9]{40}|oauth_[a-f0-9]{64})\b", ("lin_",), "developers.linear.app/docs/graphql/working-with-the-graphql-api#personal-api-keys"),
    ("notion-token", "Notion integration token", r"\b(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{46})\b", ("secret_", "ntn_"), "developers.notion.com/docs/authorization"),
    ("contentful-token", "Contentful token", r"\bCFPAT-[A-Za-z0-9_\-]{43}\b", ("CFPAT-",), "contentful.com/developers/docs/references/authentication"),
    ("rootly-key", "Rootly API key", r"\brootly_[a-f0-9]{64}\b", ("rootly_",), GL + "rootly-api-key"),
    ("zuplo-key", "Zuplo API key", r"\bzpka_[a-f0-9]{32}_[a-f0-9]{8}\b", ("zpka_",), "zuplo.com/docs/articles/api-key-management"),
    ("settlemint-token", "SettleMint token", r"\bsm_(?:pat|aat|sat)_[A-Za-z0-9]{16}\b", ("sm_",), GL + "settlemint-personal-access-token"),
    ("authress-key", "Authress service client key", r"\b(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_\-][a-z0-9\-]{10,32}\.[a-z0-9+/_=\-]{30,120}", (".acc",), GL + "authress-service-client-access-key"),
    ("onepassword-service-token", "1Password service account token", r"\bops_eyJ[A-Za-z0-9+/_\-]{250,}={0,3}", ("ops_",), "developer.1password.com/docs/service-accounts"),
    ("onepassword-secret-key", "1Password secret key", r"\bA3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}\b", ("A3-",), "support.1password.com/secret-key-security"),
    ("intra42-secret", "42 Intra client secret", r"\bs-s4t2(?:ud|af)-[a-f0-9]{64}\b", ("s-s4t2",), GL + "intra42-client-secret"),
    # Chat, mail, messaging
    ("slack-token", "Slack token", r"\bxox[abposr]-\d{8,}-(?:\d{8,}-){0,2}[A-Za-z0-9]{20,}\b|\bxoxe-\d-[A-Za-z0-9]{100,}", ("xox",), "api.slack.com/authentication/token-types"),
    ("slack-token", "Slack token", r"\bxoxe\.xox[bp]-\d-[A-Za-z0-9]{100,}", ("xoxe.",), "api.slack.com/authentication/rotation (refresh tokens)"),
    ("slack-app-token", "Slack app-level token", r"\bxapp-\d-[A-Z0-9]+-\d+-[a-f0-9]{32,}", ("xapp-",), "api.slack.com/authentication/token-types#app-level"),
    ("slack-webhook", "Slack webhook URL", r"https?://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/]{20,}", ("hooks.slack.com",), "api.slack.com/messaging/webhooks"),
    ("discord-webhook", "Discord webhook URL", r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{15,20}/[A-Za-z0-9_\-]{60,}", ("discord",), "discord.com/developers/docs/resources/webhook"),
    ("teams-webhook", "Microsoft Teams webhook URL", r"https://[A-Za-z0-9.\-]*(?:webhook\.office\.com|outlook\.office(?:365)?\.com)/webhook(?:b2)?/[A-Za-z0-9@\-]{36,}[A-Za-z0-9@/\-]*/IncomingWebhook/[A-Za-z0-9]{32}/[A-Za-z0-9\-]{36}(?:/[A-Za-z0-9_\-]+)?", ("/IncomingWebhook/",), "learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook"),
    ("teams-workflow-webhook", "Microsoft Teams workflow URL", r"https://[A-Za-z0-9.\-]+\.logic\.azure\.com(?::443)?/workflows/[a-f0-9]{32}/triggers/manual/paths/invoke\?[^\s\"'<>]*sig=[A-Za-z0-9_%\-]{20,}", ("logic.azure.com",), "learn.microsoft.com/azure/logic-apps (SAS-signed trigger URLs)"),
    ("zapier-webhook", "Zapier webhook URL", r"https://hooks\.zapier\.com/hooks/catch/\d+/[a-z0-9]{5,}/?", ("hooks.zapier.com",), "zapier.com/help/create/code-webhooks/trigger-zaps-from-webhooks"),
    ("telegram-token", "Telegram bot token", r"\b[0-9]{8,10}:AA[0-9A-Za-z_\-]{33}\b", (":AA",), "core.telegram.org/bots/api#authorizing-your-bot"),
    ("discord-token", "Discord bot token", r"\b[MNO][A-Za-z0-9_\-]{23,25}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38}\b", (), "discord.com/developers/docs/reference#authentication"),
    ("sendgrid-key", "SendGrid API key", r"\bSG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{16,64}", ("SG.",), "docs.sendgrid.com/ui/account-and-settings/api-keys"),
    ("mailchimp-key", "Mailchimp API key", r"\b[0-9A-Za-z]{32}-us[0-9]{1,2}\b", ("-us",), "mailchimp.com/developer/marketing/guides/quick-start/#generate-your-api-key"),
    ("mailgun-key", "Mailgun API key", r"\bkey-[0-9a-z]{32}\b", ("key-",), "documentation.mailgun.com/docs/mailgun/api-reference/authentication"),
    ("sendinblue-key", "Brevo (Sendinblue) API key", r"\bxkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}\b", ("xkeysib-",), "developers.brevo.com/docs/getting-started"),
    ("twilio-key", "Twilio API key", r"\bSK[0-9a-fA-F]{32}\b", ("SK",), "twilio.com/docs/iam/api-keys"),
    ("postmark-token", "Postmark server token", r"(?<=X-Postmark-Server-Token: )[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}", ("X-Postmark-Server-Token",), "postmarkapp.com/developer/api/overview#authentication"),
    # Payments and commerce
    ("stripe-key", "Stripe live key", r"\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b", ("_live_",), "docs.stripe.com/keys"),
    ("stripe-test-key", "Stripe test secret key", r"\b(?:sk|rk)_test_[A-Za-z0-9]{24,}\b", ("_test_",), "docs.stripe.com/keys#test-live-modes"),
    ("stripe-webhook-secret", "Stripe webhook secret", r"\bwhsec_[A-Za-z0-9+/=]{32,}", ("whsec_",), "docs.stripe.com/webhooks#verify-official-libraries"),
    ("square-token", "Square token", r"\b(?:sq0(?:atp|csp|idp)-[0-9A-Za-z_\-]{22,43}|EAAA[A-Za-z0-9_\-]{60})(?![\w\-])", ("sq0", "EAAA"), "developer.squareup.com/docs/build-basics/access-tokens"),
    ("shopify-token", "Shopify token", r"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b", ("shp",), "shopify.dev/docs/apps/auth (token prefixes)"),
    ("flutterwave-key", "Flutterwave secret key", r"\bFLWSECK(?:_TEST)?-[a-h0-9]{32}-X\b|\bFLWSECK_TEST[a-h0-9]{12}\b", ("FLWSECK",), "developer.flutterwave.com/docs/integration-guides/authentication"),
    ("duffel-token", "Duffel API token", r"\bduffel_(?:test|live)_[A-Za-z0-9_\-=]{43}", ("duffel_",), "duffel.com/docs/api/overview/making-requests/authentication"),
    ("easypost-key", "EasyPost API key", r"\bEZ[AT]K[A-Za-z0-9]{54}\b", ("EZAK", "EZTK"), GL + "easypost-api-token"),
    ("shippo-token", "Shippo API token", r"\bshippo_(?:live|test)_[a-f0-9]{40}\b", ("shippo_",), "docs.goshippo.com/docs/guides_general/authentication"),
    ("plaid-token", "Plaid access token", r"\baccess-(?:sandbox|development|production)-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}\b", ("access-",), "plaid.com/docs/api/tokens"),
    ("adobe-secret", "Adobe client secret", r"\bp8e-[A-Za-z0-9]{32}\b", ("p8e-",), GL + "adobe-client-secret"),
    # AI services
    ("deepseek-key", "DeepSeek API key", r"\bsk-[a-f0-9]{32}\b", ("sk-",), "api-docs.deepseek.com (sk- and 32 hex digits)"),
    ("openai-key", "OpenAI-style sk- key", r"\bsk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_\-]{20,}", ("sk-",), "platform.openai.com/docs/api-reference/authentication; docs.anthropic.com/en/api/getting-started"),
    ("huggingface-token", "Hugging Face token", r"\b(?:hf_|api_org_)[A-Za-z]{34}\b", ("hf_", "api_org_"), "huggingface.co/docs/hub/security-tokens"),
    ("groq-key", "Groq API key", r"\bgsk_[A-Za-z0-9]{52}\b", ("gsk_",), "console.groq.com/docs/api-keys"),
    ("replicate-token", "Replicate API token", r"\br8_[A-Za-z0-9]{37}\b", ("r8_",), "replicate.com/docs/reference/http#authentication"),
    ("perplexity-key", "Perplexity API key", r"\bpplx-[A-Za-z0-9]{48}\b", ("pplx-",), "docs.perplexity.ai/guides/getting-started"),
    ("xai-key", "xAI API key", r"\bxai-[A-Za-z0-9]{80}\b", ("xai-",), "docs.x.ai/docs/overview"),
    ("langsmith-key", "LangSmith API key", r"\blsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}\b", ("lsv2_",), "docs.smith.langchain.com/administration/how_to_guides/organization_management/create_account_api_key"),
    ("pinecone-key", "Pinecone API key", r"\bpcsk_[A-Za-z0-9_]{40,}", ("pcsk_",), "docs.pinecone.io/guides/projects/manage-api-keys"),
    # Observability
    ("newrelic-key", "New Relic key", r"\b(?:NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9_\-]{24,32}|NRIQ-[A-Za-z0-9_\-]{32}|NRAA-[a-f0-9]{27}|NRRA-[a-f0-9]{42}|NR(?:JS|BR)-[a-f0-9]{19})(?![\w\-])", ("NRAK-", "NRII-", "NRIQ-", "NRAA-", "NRRA-", "NRJS-", "NRBR-"), "docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys"),
    ("newrelic-license-key", "New Relic license key", r"\b[A-Za-z0-9]{36}NRAL\b", ("NRAL",), "docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#license-key"),
    ("sentry-token", "Sentry auth token", r"\bsntry[su]_[A-Za-z0-9+/=_\-]{40,}", ("sntry",), "docs.sentry.io/account/auth-tokens"),
    ("grafana-token", "Grafana token", r"\bgl(?:c|sa)_[A-Za-z0-9+/=_]{32,}", ("glc_", "glsa_"), "grafana.com/docs/grafana/latest/administration/service-accounts"),
    ("grafana-api-key", "Grafana API key", r"\beyJrIjoi[A-Za-z0-9]{70,400}={0,2}", ("eyJrIjoi",), GL + "grafana-api-key"),
    ("dynatrace-token", "Dynatrace token", r"\bdt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}\b", ("dt0c01.",), "docs.dynatrace.com/docs/dynatrace-api/basics/dynatrace-api-authentication"),
    ("sumologic-collector-url", "Sumo Logic collector URL", r"https://[a-z0-9.\-]*sumologic\.com/receiver/v1/(?:http|otlp)/[A-Za-z0-9_=\-]{20,}", ("sumologic.com",), "help.sumologic.com/docs/send-data/hosted-collectors/http-source"),
    ("ubidots-token", "Ubidots token", r"\bBBFF-[A-Za-z0-9]{30}\b", ("BBFF-",), GL + "ubidots-token"),
    ("databricks-token", "Databricks token", r"\bdapi[a-f0-9]{32}(?:-\d)?\b", ("dapi",), "docs.databricks.com/en/dev-tools/auth/pat.html"),
    # Social and identity
    ("facebook-token", "Facebook page access token", r"\bEAA[A-Za-z0-9]{80,}", ("EAA",), GL + "facebook-page-access-token"),
    ("twitter-bearer", "Twitter bearer token", r"(?<![A-Za-z0-9])A{20,22}[A-Za-z0-9%]{30,}", ("AAAAAAAAAAAAAAAAAAAA",), "developer.x.com/en/docs/authentication/oauth-2-0/bearer-tokens"),
    ("salesforce-token", "Salesforce access token", r"\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{90,}", ("00D",), "CredSweeper rule Salesforce access token"),
    ("mapbox-secret", "Mapbox secret token", r"\bsk\.eyJ[A-Za-z0-9_\-]{50,}\.[A-Za-z0-9_\-]{20,}", ("sk.eyJ",), "docs.mapbox.com/accounts/guides/tokens"),
    ("dropbox-token", "Dropbox short-lived token", r"\bsl\.[A-Za-z0-9_\-]{130,}", ("sl.",), GL + "dropbox-short-lived-api-token"),
    ("adafruit-key", "Adafruit IO key", r"\baio_[A-Za-z0-9]{28}\b", ("aio_",), "io.adafruit.com/api/docs/#authentication"),
    ("airtable-token", "Airtable personal access token", r"\bpat[A-Za-z0-9]{14}\.[a-f0-9]{64}\b", ("pat",), "airtable.com/developers/web/guides/personal-access-tokens"),
    ("launchdarkly-key", "LaunchDarkly key", r"\b(?:api|sdk)-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}\b", ("api-", "sdk-"), "docs.launchdarkly.com/home/account/api"),
    ("akamai-token", "Akamai EdgeGrid token", r"\bakab-[a-z0-9]{16}-[a-z0-9]{16}\b(?![.\-])", ("akab-",), "techdocs.akamai.com/developer/docs/set-up-authentication-credentials"),
    ("aws-bedrock-key", "AWS Bedrock API key", r"\bbedrock-api-key-[A-Za-z0-9+/=]{30,}", ("bedrock-api-key-",), "docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html (short-term keys)"),
    ("aws-appsync-key", "AWS AppSync API key", r"\bda2-[a-z0-9]{26}\b", ("da2-",), "docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#api-key-authorization"),
    ("aws-mws-key", "Amazon MWS auth token", r"\bamzn\.mws\.[a-z0-9]{8}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{12}\b", ("amzn.mws.",), "gitleaks rule set (config/gitleaks.toml), rule aws-mws-key"),
    ("azure-identifiable-key", "Azure key", r"\b[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9]{14,}={0,2}", ("JQQJ9",), "learn.microsoft.com/azure/ai-services (identifiable keys: JQQJ9 signature)"),
    ("bitbucket-dc-token", "Bitbucket Data Center token", r"\bBBDC-[A-Za-z0-9+/]{44}", ("BBDC-",), "confluence.atlassian.com/bitbucketserver/http-access-tokens-939515499.html"),
    ("atlassian-token", "Atlassian access token", r"\bATCTT3[A-Za-z0-9_\-=]{150,}", ("ATCTT3",), "support.atlassian.com/bitbucket-cloud/docs/repository-access-tokens"),
    ("cloudflare-token", "Cloudflare API token", r"\b(?:cfat|cfut|cfk)_[A-Za-z0-9]{40,}\b", ("cfat_", "cfut_", "cfk_"), "developers.cloudflare.com/fundamentals/api/get-started (prefixed tokens)"),
    ("docker-swarm-token", "Docker Swarm join token", r"\bSWMTKN-1-[a-z0-9]{50}-[a-z0-9]{25}\b", ("SWMTKN-1-",), "docs.docker.com/engine/swarm/join-nodes"),
    ("docker-swarm-key", "Docker Swarm unlock key", r"\bSWMKEY-1-[A-Za-z0-9+/]{43}", ("SWMKEY-1-",), "docs.docker.com/engine/swarm/swarm_manager_locking"),
    ("dropbox-token", "Dropbox long-lived token", r"\b[A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_=\-]{43}", ("AAAAAAAAAA",), "gitleaks rule set (config/gitleaks.toml), rule dropbox-long-lived-api-token"),
    ("facebook-app-token", "Facebook app access token", r"\b\d{15,16}\|[A-Za-z0-9_\-]{27,40}\b", ("|",), "gitleaks rule set (config/gitleaks.toml), rule facebook-access-token"),
    ("figma-token", "Figma access token", r"\bfig[dou]_[A-Za-z0-9_\-]{40,}", ("figd_", "figo_", "figu_"), "figma.com/developers/api#access-tokens"),
    ("gitlab-session", "GitLab session cookie", r"(?<=_gitlab_session=)[0-9a-z]{32}\b", ("_gitlab_session=",), "docs.gitlab.com/ee/security/tokens/#token-prefixes"),
    ("google-refresh-token", "Google OAuth refresh token", r"\b1//0[A-Za-z0-9_\-]{40,}", ("1//0",), "developers.google.com/identity/protocols/oauth2#expiration"),
    ("instagram-token", "Instagram access token", r"\bIGQV[A-Za-z0-9_\-]{100,}", ("IGQV",), "developers.facebook.com/docs/instagram-basic-display-api/overview#instagram-user-access-tokens"),
    ("llamacloud-key", "LlamaCloud API key", r"\bllx-[A-Za-z0-9_\-]{48}\b", ("llx-",), "docs.cloud.llamaindex.ai/api_key"),
    ("nats-nkey-seed", "NATS nkey seed", r"\bS[UOANCX]A[A-Z2-7]{55}\b", ("SUA", "SOA", "SAA", "SNA", "SCA", "SXA"), "docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/nkey_auth"),
    ("braintree-token", "PayPal Braintree access token", r"\baccess_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}\b", ("access_token$",), "developer.paypal.com/braintree/docs/guides/authorization/access-token"),
    ("posthog-key", "PostHog personal API key", r"\bph[xs]_[A-Za-z0-9]{40,}\b", ("phx_", "phs_"), "posthog.com/docs/api#personal-api-keys"),
    ("postman-token", "Postman access token", r"\bPMAT-[A-Z0-9]{26}\b", ("PMAT-",), "learning.postman.com/docs/developer/postman-api/authentication"),
    ("together-key", "Together AI API key", r"\btgp_v1_[A-Za-z0-9_\-]{43}\b", ("tgp_v1_",), "docs.together.ai/reference/authentication-1"),
    ("tavily-key", "Tavily API key", r"\btvly-(?:dev-)?[A-Za-z0-9]{32}\b", ("tvly-",), "docs.tavily.com/documentation/api-reference/introduction"),
    ("vercel-token", "Vercel token", r"\bvc[pik]_[A-Za-z0-9]{40,}\b", ("vcp_", "vci_", "vck_"), "vercel.com/docs/rest-api#creating-an-access-token"),
    ("wundergraph-key", "WunderGraph Cosmo API key", r"\bcosmo_[a-f0-9]{32}\b", ("cosmo_",), "cosmo-docs.wundergraph.com/studio/api-keys"),
    ("base64-private-key", "base64-encoded PEM private key", r"\bLS0tLS1CRUdJTi(?:BSU0Eg|BEU0Eg|BFQyBQ|BPUEVOU1NIIFBS|BFTkNSWVBURUQgUFJJV|BQUklWQVRF)[A-Za-z0-9+/=]{40,}", ("LS0tLS1CRUdJTi",), "RFC 7468 PEM armour, base64-encoded again (Kubernetes data, CI variables)"),
    # Generic structures
    ("jwt", "JSON web token", r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,}", ("eyJ",), "RFC 7519 (base64url JSON header and claims)"),
    ("private-key", "PEM private key", r"-----BEGIN[A-Z ]{0,24} PRIVATE KEY(?: BLOCK)?-----", ("-----BEGIN",), "RFC 7468 (PEM labels); OpenSSH and PGP armour"),
    ("putty-private-key", "PuTTY private key", r"PuTTY-User-Key-File-\d: [\w\-]+", ("PuTTY-User-Key-File-",), "the.earth.li/~sgtatham/putty/0.78/htmldoc/AppendixC.html"),
)

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
    r"%[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*%",  # Windows %VAR%, MailScanner %org-name%
    r"%env\([^)%]*\)%|^%[A-Za-z_][\w.\-]*%$",  # Symfony %env(DATABASE_URL)%, %database.password%
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
    r"^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+:[A-Za-z_][A-Za-z0-9_.]*$",  # entry points: pkg.module:Class
    r"^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+\.[A-Z][A-Za-z0-9]+$",  # a class by its dotted path
)
# Placeholders, matched against the whole value (case-insensitive).
PLACEHOLDERS: tuple[str, ...] = (
    r"<[^<>]*>",  # <your-key>
    r"\[[^\[\]]*\]",  # [YOUR_TOKEN]
    r"[\s\W_xX]*",  # xxx, ***, ..., ----, x-x-x
    r"•+|\.\.\.|…",
    r"(?:none|null|nil|undefined|unknown|unspecified|missing|empty|unset|not[-_ ]?(?:set|configured|provided|defined)|n/?a|"
    r"true|false|yes|no|on|off|~)",
    r"(?:change[-_ ]?(?:me|it|this)(?:[-_ ]?(?:please|now|later|in[-_ ]?prod(?:uction)?|\d+))*)",
    r"(?:replace[-_ ]?(?:me|this)|fill[-_ ]?(?:me|in)|set[-_ ]?me|update[-_ ]?me|edit[-_ ]?me)",
    r"(?:dummy|example|sample|placeholder|redacted|hidden|masked|filtered|secret|password|passwd|pass|pwd|pw|token|key|"
    r"apikey|api[-_]key|secret[-_]key|test|testing|tests|foo|bar|baz|foobar|fake|mock|todo|tbd|fixme|tba|default|"
    r"not[-_ ]?a[-_ ]?(?:real[-_ ]?)?secret|notsecret|nosecret|insert[-_ ]?here|not[-_ ]?(?:needed|used|required|set))",
    # your-password-here, some-secret; word characters only, so prose with
    # punctuation ("my cat's name is {Rex}!") stays a candidate password.
    r"(?:your|my|some|insert|enter|put|add|paste|provide)[-_ ][\w\s-]*",
    r"(?:your|my|some)(?:password|secret|token|key|apikey|api_key|pass|pwd|secretkey)\w*",  # someapikey
    # A tutorial's stand-in with one short word between, no separator: yourgmailpassword,
    # mysmtppassword, yourstripesecret (held-out round, first wave 9). Letters only in
    # the middle, so a random value that merely starts with "your" stays a candidate.
    r"(?:your|my)[a-z]{2,12}(?:password|passwd|pass|pwd|secret|secretkey|key|apikey|token)",
    r"this[-_ ]?is[-_ ]?[\w -]*(?:secret|password|passwd|key|token)[\w -]*",  # thisisaverysecretkey
    r".*[-_ ](?:here|goes[-_ ]here)",  # token-here, secret_goes_here
    # Not secrets but settings that happen to sit under a sensitive key (``token: bearer``).
    r"(?:bearer|basic|digest|oauth2?|jwt|plain|plaintext|md5|sha\d+|bcrypt|argon2|scrypt|pbkdf2|required|optional|"
    r"disabled|enabled|auto|manual|prompt|ask|env|environ|environment|file|vault|ssm|kms|keyring|keychain|stdin|"
    r"random|generated|auto[-_]?generated|inherit|same|ignore|none|always|never|read|write|read[-_]?write|readonly|read[-_]only)",
    r"!{2,}.*!{2,}|\*{2,}.*\*{2,}|#{2,}.*#{2,}|_{2,}[A-Za-z0-9_]+_{2,}|@[A-Z0-9_]+@",  # !!!SET ME!!!, __TOKEN__, @TOKEN@
    # What to put there, not what is there: random_string, generate-a-random-key, long-random-value.
    r"(?:(?:long|some|a|any|strong|secure|unique)[-_ ]?)?random[-_ ]?(?:string|value|chars?|characters|key|secret|"
    r"token|password|bytes|hex|text|data)s?(?:[-_ ]?(?:here|of[-_ ]\w+))?",
    r"(?:generate|generated|create)[-_ ](?:a[-_ ]|an[-_ ]|one|me|it|this|new|random|your|secure|strong)[\w-]*",
)
# A default that says the variable is missing, in prose: ``MISSING X ENV VAR``,
# ``ERROR: Could not get the API Key``, ``please set SECRET_KEY``. A sentinel
# that makes the missing variable plain, not a secret (held-out round, first wave 1).
SENTINEL_WORDS = (
    r"\b(?:missing|error|unset|undefined|unknown|not[-_ ]?(?:set|configured|provided|defined|found|available)|"
    r"could[-_ ]?not|couldn'?t|cannot|can'?t|failed|no[-_ ]value|please[-_ ]set|must[-_ ]be[-_ ]set|"
    r"change[-_ ]?me|env(?:ironment)?[-_ ]var(?:iable)?s?|no[-_ ](?:secrets?|keys?|passwords?|tokens?|credentials?))\b"
)
# An environment variable's name inside prose (``MISSING MMW_SECRET_KEY ENV VAR``).
NAMED_VARIABLE = r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b"
# Placeholder words found anywhere in the value (case-insensitive).
PLACEHOLDER_WORDS = r"changeme|change_me|change-me|placeholder|dummy|example|xxxx|\*\*\*|todo|fixme|redacted|do[-_ ]?not[-_ ]?use|not[-_ ]?real"
# Inside a token (case-insensitive): words that make a token a stand-in even
# when its shape is right (``sk_live_FAKE...``, ``ghp_sample...``).
FAKE_TOKEN_WORDS = r"fake|sample|mock|notreal|yourtoken|your_token|insert|replace"
# A run this long of sequential characters (``0123456``, ``abcdefg``) in a token
# marks a made-up one: a random token of 50 characters holds one about once in 10^6.
SEQUENTIAL_RUN = 6
# Values that are public by design, matched against the whole value: they may
# sit under a key that looks secret and are still no secret.
PUBLIC_VALUES: tuple[str, ...] = (
    r"pk_(?:live|test)_[A-Za-z0-9]{8,}",  # Stripe/Clerk/Paystack publishable keys
    r"pk\.eyJ[A-Za-z0-9_\-.]+",  # Mapbox public token
    r"[0-9]+-[a-z0-9]+\.apps\.googleusercontent\.com",  # Google OAuth client id
    r"Iv[12]\.[a-f0-9]{16}|Ov23[A-Za-z0-9]{16}",  # GitHub App / OAuth app client ids
    r"public-(?:sandbox|development|production)-[a-f0-9\-]{36}",  # Plaid public_token
    r"FLWPUBK(?:_TEST)?-[a-f0-9]{32}-X",  # Flutterwave public key
    r"rzp_(?:live|test)_[A-Za-z0-9]{14}",  # Razorpay key id
    r"pub-[a-f0-9]{32}",  # Mailgun public validation key
    r"BBFF-\$\{[^}]*\}",
    r"DEMO_KEY",  # api.data.gov's public demo key (USDA FoodData Central, NASA): rate-limited, published
)
# Real-format keys published as examples in public SDK repositories, where every
# scanner meets them: not secrets (source: gitleaks' gcp rule, which lists the
# firebase-android-sdk example keys as false positives).
PUBLISHED_EXAMPLES: frozenset[str] = frozenset({
    "AIzaSyabcdefghijklmnopqrstuvwxyz1234567", "AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs",
    "AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM", "AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU",
    "AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0", "AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A",
    "AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c", "AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4",
    "AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY", "AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM",
    "AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ", "AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g",
    "AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU", "AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw",
    "AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE", "AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY",
})
# Prose under a password key that is an instruction, not a password.
PROSE_INSTRUCTIONS = (
    r"\b(?:your|enter|type|please|here|see|replace|change|must|should|required|e\.g|stored in|read from|"
    r"provided by|set (?:in|by|via|it)|leave (?:it )?(?:blank|empty)|goes|will be|is used|used (?:to|for|by)|"
    r"tbd|tba|todo|fixme|to be|ask|contact|managed by|injected|filled in|of the|for the)\b"
)
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
# A sentence: a capitalised first word, three words or more, a word (or a
# closing quote or bracket) and one full stop at the end. Help and deprecation
# texts are written so ("Use omero.mail.password instead."); a passphrase is not
# ("correct horse battery staple", "open sesame seeds 42", "... 1987!").
_SENTENCE = re.compile(r"[A-Z][^\s]*(?:\s+\S+){2,}(?<=[A-Za-z)\]'\"`])\.")


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
    def _token_index(self) -> tuple[Pattern[str], dict[str, tuple[int, ...]], list[tuple[str, str, _Lazy]]]:
        """The combined hint scan, hint -> formats to try, and the formats."""
        rows = [(tid, name, regex) for tid, name, regex, _hints in _formats()]
        own: dict[str, list[int]] = {}
        for number, (_tid, _name, _regex, hints, _source) in enumerate(TOKENS):
            for hint in hints:
                own.setdefault(hint, []).append(number)
        # The scan reports the longest hint at a place; a shorter hint that is its
        # prefix ("gl" of "glc_") must still get its formats tried.
        by_hint = {
            hint: tuple(sorted({n for k in range(1, len(hint) + 1) for n in own.get(hint[:k], ())}))
            for hint in own
        }
        return re.compile(_trie_pattern(own)), by_hint, rows

    @cached_property
    def tokens(self) -> list[tuple[str, str, _Lazy, tuple[str, ...]]]:
        """Every format as ``(id, name, regex, hints)``, for callers that try
        them one by one (check-env-documented); ``scan_tokens`` is faster."""
        return _formats()

    def scan_tokens(self, value: str) -> Iterator[tuple[str, str, Any]]:
        """(token id, name, match) for every known token format in ``value``,
        from one scan for all hints; overlapping matches are reported once."""
        if not _TOKENISH.search(value):
            return  # no run of 16 token characters: no format can match, skip the big scan
        scan, by_hint, rows = self._token_index
        tried: set[int] = set()
        for hit in scan.finditer(value):
            tried.update(by_hint.get(hit.group(), ()))
        if value.count(".") >= 2 and len(value) >= 59:
            tried.add(_HINTLESS)
        taken: list[tuple[int, int]] = []
        for number in sorted(tried):
            tid, name, regex = rows[number]
            for match in regex.finditer(value):
                start, end = match.span()
                if not any(s < end and start < e for s, e in taken):
                    taken.append((start, end))
                    yield tid, name, match

    def fake_token(self, text: str) -> bool:
        """A token that only looks real: a placeholder word inside it, a run of
        sequential characters, one repeated character after the prefix."""
        if self.placeholder_word.search(text) or self.fake_word.search(text):
            return True
        if len(set(text[-16:])) < 6 or _REPEATED.search(text):  # ghp_xxxx..., "ooooo...JQQJ99"
            return True
        return _longest_run(text) >= SEQUENTIAL_RUN

    def fake_shaped(self, value: str) -> bool:
        """A value shaped like a known token format that ``fake_token`` rejects,
        or a run of 12 sequential characters or more (``abcdefghijklmnop``)."""
        if _longest_run(value) >= 12 or _REPEATED.search(value):
            return True
        start = self._token_index[0].match(value)
        if start is not None and self.fake_token(value):
            return True  # DATABRICKS_TOKEN=dapi1234567890...: a vendor prefix on a made-up body
        return any(self.fake_token(match.group()) for _tid, _name, match in self.scan_tokens(value))

    def fake_pem(self, block: str) -> bool:
        """A PEM block that says it is made up (``BEGIN OPENSSH FAKE PRIVATE
        KEY``, "not a real key") or is cut short (``...``, ``…``)."""
        if "..." in block or "…" in block or _longest_run(block) >= 8:
            return True
        return bool(self.placeholder_word.search(block) or self.fake_word.search(block))

    @cached_property
    def fake_word(self) -> Pattern[str]:
        return re.compile(FAKE_TOKEN_WORDS, re.I)

    @cached_property
    def public_value(self) -> Pattern[str]:
        return re.compile("|".join(f"(?:{r})" for r in PUBLIC_VALUES))

    def is_public(self, value: str) -> bool:
        return value in PUBLISHED_EXAMPLES or self.public_value.fullmatch(value) is not None

    @cached_property
    def instruction(self) -> Pattern[str]:
        return re.compile(PROSE_INSTRUCTIONS, re.I)

    def secret_prose(self, value: str, key: str) -> bool:
        """True when prose (three words or more) under ``key`` is a secret: the
        key clearly names a password or secret and the text is no instruction."""
        label = self.sensitive(key) if key else None
        if label is None or not any(w in label for w in ("password", "passphrase", "secret", "salt", "pepper")):
            return False
        first = value.split(None, 1)[0].lower().strip(":,")
        if first in SENSITIVE_WORDS or first in ("key", "the", "a", "an", "this"):
            return False  # "Password for the admin user": a description of the value
        if _SENTENCE.fullmatch(value.strip()):
            return False  # "Use omero.mail.password instead.": help text in a settings table, not a passphrase
        return self.instruction.search(value) is None

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
    def sentinel_word(self) -> Pattern[str]:
        return re.compile(SENTINEL_WORDS, re.I)

    @cached_property
    def named_variable(self) -> Pattern[str]:
        return re.compile(NAMED_VARIABLE)

    def is_sentinel(self, value: str, names: tuple[str, ...] = ()) -> bool:
        """Prose that says the value is missing, or names the variable it stands
        for: ``MISSING MMW_CONCORD_SECRET_KEY ENV VAR``, ``ERROR: Could not get
        the API Key``. A value of one word is no sentence (``changeme`` stays a
        value production may run with)."""
        v = value.strip()
        if len(v.split()) < 2:
            return False
        if self.sentinel_word.search(v) or self.named_variable.search(v):
            return True
        upper = v.upper()
        return any(len(n) >= 6 and n.upper() in upper for n in names)

    def names_its_slot(self, value: str, names: tuple[str, ...]) -> bool:
        """``itsi_secret_key`` as the default of ``MMW_ITSI_SECRET_KEY``: the
        value spells the last words of the variable's (or key's) name: it names
        the slot, not a value in it."""
        words = key_words(value)
        if len(words) < 2 or not _IDENTIFIER.fullmatch(value.strip()) or self.sensitive(value.strip()) is None:
            return False
        return any(n and key_words(n)[-len(words):] == words for n in names)

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
        if self.extra_sensitive is None and _STEMS.search(key.lower()) is None:
            return None  # no sensitive word can end this key: skip splitting it
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
        if self.is_public(value):  # pk_live_..., a Google OAuth client id
            return True
        if len(value) >= 12 and self.fake_shaped(value):  # SONAR_TOKEN=sqp_abcdef1234...
            return True
        if key and key_words(key)[-1] == "seed" and _NAME.fullmatch(value):
            return True  # random(seed=inventory_hostname): a variable, not a seed
        if _IDENTIFIER.fullmatch(value) and self.sensitive(value) is not None:
            return True  # secrets: [db_password]: the name of a secret, not its value
        if value.isdigit() and key and key_words(key)[-1] == "seed":  # random_seed: 12345678
            return True
        if len(set(value.lower())) <= 2:  # aaaa, 0000, abab
            return True
        squashed = _squash(value)
        if bool(key) and squashed in (_squash(key), _squash(key_words(key)[-1])):
            return True
        if key and self.spells_key(value, (key,)):
            return True  # DEEPL_API_KEY = "deepl-key"
        return self.vendor_stub(value) or self.encoded_placeholder(value)

    def vendor_stub(self, value: str) -> bool:
        """A vendor's token prefix with no key body, or a body of filler:
        ``sk_live_``, ``sk_test_``, ``whsec_x``, ``sk_live_aaa``. Every such
        format needs far more (held-out round, first wave 2)."""
        v = value.strip()
        if len(v) > 24 or not _STUB.fullmatch(v):
            return False
        for hint in _STUB_HINTS:
            at = v.find(hint)
            if at == 0 or (at == 2 and hint[0] == "_" and v[:2] in ("sk", "rk", "pk")):  # whsec_, sk + _live_
                body = v[at + len(hint):]
                return len(body) < 8 or len(set(body.lower())) <= 2 or _longest_run(body) >= len(body) - 1
        return False

    def spells_key(self, value: str, names: tuple[str, ...]) -> bool:
        """A short lower-case value made only of the key's own words and a
        word for what it holds (``deepl-key`` for ``DEEPL_API_KEY``,
        ``sentry-token`` for ``SENTRY_AUTH_TOKEN``): it names the slot."""
        v = value.strip()
        if len(v) > 32 or not _LOWER_WORDS.fullmatch(v):
            return False
        words = key_words(v)
        for name in names:
            own = set(key_words(name)) if name else set()
            if len(words) >= 2 and own.intersection(words) - _SLOT_WORDS and set(words) <= own | _SLOT_WORDS:
                return True
        return False

    def encoded_placeholder(self, value: str) -> bool:
        """Base64 of a placeholder (``YWJjZGVm...``, the alphabet and digits
        encoded): the decoded text is judged, as a Secret's data is."""
        v = value.strip()
        if len(v) < 16 or not _BASE64_VALUE.fullmatch(v):
            return False
        import base64
        import binascii

        try:
            data = base64.b64decode(v + "=" * (-len(v) % 4), altchars=b"-_" if "-" in v or "_" in v else None)
            text = data.decode("ascii")
        except (binascii.Error, ValueError):
            return False
        if len(text) < 8 or not text.isprintable():
            return False  # random bytes: a real key's encoding
        return (_longest_run(text) >= 8 or len(set(text.lower())) <= 2 or _REPEATED_SHORT.search(text) is not None
                or bool(self.placeholder.fullmatch(text) or self.placeholder_word.search(text)
                        or self.fake_word.search(text)))

    def is_reference(self, value: str) -> bool:
        if not _REFERENCE_CHARS.intersection(value):
            return False  # every reference form holds one of these: skip the regex
        if value.startswith(_REFERENCE_STARTS) and value.endswith(("}", ")", "%>", "))")):
            return True  # ${DB_PASSWORD}, {{ vault_x }}: the common forms, without compiling anything
        return self.reference.search(value) is not None


_NAME = re.compile(r"[a-z_][a-z_.]*")
# Every token format holds 16 characters in a row from this class, or one of
# these markers (PEM armour, Zapier hook ids are short).
# Every sensitive key holds one of these (its last words do: see _label).
_STEMS = re.compile(STEMS)
_TOKENISH = re.compile(TOKENISH)
_REFERENCE_STARTS = ("${", "{{", "$(", "%(", "<%", "((", "#{", "%{", "%env(")
_REFERENCE_CHARS = frozenset("${}%<#(@!:/[.;")
_IDENTIFIER = re.compile(r"[A-Za-z][a-z]*(?:[_.\-][A-Za-z][a-z]*)+|[A-Z][A-Z]*(?:_[A-Z]+)+|[a-z]+(?:[A-Z][a-z]+)+")
_REPEATED = re.compile(r"(.)\1{23}")  # one character 24 times in a row
_REPEATED_SHORT = re.compile(r"(.)\1{7}")  # in decoded text: aaaaaaaa
_BASE64_VALUE = re.compile(r"[A-Za-z0-9+/_\-]+={0,2}")
# A vendor prefix then a body (sk_live_..., whsec_...); the prefixes are token
# formats' own hints, but not those that are plain words (api-, key-, secret_).
_STUB = re.compile(r"[A-Za-z0-9]+[_\-][A-Za-z0-9_\-]*")
_STUB_HINTS = tuple(sorted(
    {h for row in TOKENS for h in row[3] if len(h) >= 4 and h[-1] in "_-" and h.strip("_-").isalnum()}
    - {"api-", "API-", "key-", "secret_", "access-", "sdk-", "ico-", "p8e-", "_v1_"},
    key=len, reverse=True))
_LOWER_WORDS = re.compile(r"[a-z][a-z0-9]*(?:[-_.][a-z][a-z0-9]*)+")
# What a key holds: these words may fill a value that names its slot.
_SLOT_WORDS = frozenset({"key", "token", "secret", "api", "password", "pass", "auth", "access", "client"})
_HINTLESS = next(n for n, row in enumerate(TOKENS) if not row[3])  # Discord bot tokens


def _trie_pattern(words: Any) -> str:
    """One regex for a set of literal strings, with shared prefixes factored
    (``gl(?:c_|sa_)?``): it scans about 3x faster than a flat alternation and
    matches the longest hint at each place."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alternatives = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not alternatives:
            return ""
        body = "(?:" + "|".join(alternatives) + ")" if len(alternatives) > 1 else alternatives[0]
        if "" in node:  # a hint ends here; longer ones may go on
            body = f"(?:{body})?"
        return body

    return build(trie)


def _longest_run(text: str) -> int:
    """The longest run of characters that count up or down by one (``012345``,
    ``abcdef``, ``987654``); ``9`` then ``a`` counts as a step, as in hex."""
    best = up = down = 1
    for a, b in zip(text, text[1:]):
        step = ord(b) - ord(a)
        up = up + 1 if step == 1 or (a == "9" and b in "aA") else 1
        down = down + 1 if step == -1 else 1
        best = max(best, up, down)
    return best


class _Lazy:
    """A regex compiled the first time it is used."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: Pattern[str] | None = None

    def finditer(self, text: str) -> Iterator[Any]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled.finditer(text)

    def search(self, text: str) -> Any:
        return next(iter(self.finditer(text)), None)


@lru_cache(maxsize=1)
def _formats() -> list[tuple[str, str, _Lazy, tuple[str, ...]]]:
    """Every format as ``(id, name, regex, hints)``, each regex compiled at most
    once per process whoever asks (the engine's scan or the clean-file test)."""
    return [(tid, name, _Lazy(regex), hints) for tid, name, regex, hints, _source in TOKENS]


def any_token_format(text: str) -> bool:
    """Could any token format match in ``text``? Every format whose hint is a
    substring is tried (the Discord format, which has none, on dotted text),
    with none of ``scan_tokens``' shortcuts: for the clean-file fast path."""
    if not _TOKENISH.search(text):
        return False
    dotted = text.count(".") >= 2 and len(text) >= 59
    return any(
        regex.search(text) is not None
        for _tid, _name, regex, hints in _formats()
        if (any(hint in text for hint in hints) if hints else dotted)
    )


def key_words(key: str) -> tuple[str, ...]:
    return _key_words(str(key))


@lru_cache(maxsize=4096)
def _key_words(key: str) -> tuple[str, ...]:
    spaced = key if key.islower() or key.isupper() else _CAMEL_1.sub(r"\1_\2", _CAMEL_2.sub(r"\1_\2", key))
    return tuple(w.rstrip("0123456789") or w for w in _SPLIT.split(spaced.lower()) if w)


def _label(words: tuple[str, ...]) -> str | None:
    if not words:
        return None
    last = words[-1]
    if last in PLURALS:  # db_passwords: [...], api_keys
        words = words[:-1] + (PLURALS[last],)
        last = words[-1]
    if (last in HOLDER_WORDS or last in ENCODING_WORDS or last.isdigit()) and len(words) > 1:
        return _label(words[:-1])  # token_value, secret_string, AES_KEY_B64: the word before decides
    before = words[-2] if len(words) > 1 else ""
    if before in PUBLIC_WORDS or (len(words) > 2 and words[-3] in PUBLIC_WORDS and before in ("api", "access", "client")):
        return None
    if (before, last) in SECRET_PAIRS:
        return SECRET_PAIRS[(before, last)]
    if last in ("prefix", "suffix") and "hash" in words[:-1]:  # swift_hash_path_suffix
        return "hash salt"
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
    if last == "key" and before in VENDOR_WORDS:  # GITLAB_KEY, slackKey
        return f"{before} key"
    if last == "key" and before not in NOT_SENSITIVE_BEFORE_KEY:  # APP_CREDENTIAL_AES_256_KEY
        cipher = next((w for w in reversed(words[:-1]) if w in CIPHER_WORDS), None)
        if cipher is not None:
            return "HMAC key" if cipher == "hmac" else f"{cipher} key"
    if last.endswith("key") and last[:-3] in VENDOR_WORDS:  # GITHUBKEY
        return f"{last[:-3]} key"
    if last in NOT_SENSITIVE_FUSED:
        return None
    if last.endswith("pass") and last[:-4] in PASS_STEMS:  # dbpass, MYSQLPASS; not minipass, bypass
        return "password"
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
