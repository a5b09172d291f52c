"""Secrets planted in every format, and how a leak of one is found in any output."""
from __future__ import annotations


def _secrets() -> dict[str, str]:
    # Built at run time so this test module does not itself look like it holds
    # live tokens to a scanner run over the repo.
    return {
        "password": "Qm9vZ1Zl" + "cnk1ZWNyZXQh",
        "dsn_password": "hX7" + "tR2vPq9LmZ4",
        "redis_password": "rEd1s" + "PaSSw0rd2024",
        "aws": "AKIA" + "Q3EGRJ7XK2MPLV5N",
        "aws_secret": "wJalrXUt" + "nFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY9",
        "github": "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
        "slack": "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "stripe": "sk_live_" + "51HxYzAbCdEfGhIjKlMnOpQr",
        "django": "django-insecure-" + "k#9v!2m@x7q$w4e%r8t^y6u&i0o",
        "sentry": "a1b2c3d4e5f6" + "a7b8c9d0e1f2a3b4",
        "props": "kAfKa" + "StorePass99",
        "toml": "tOmL" + "sEcReT55xyz",
        "json": "jS0n" + "ApiKey77abc",
        "dup_first": "FiRsT" + "dUpLiCaTe11",
        "staging": "StAgInG" + "oNlY33pw",
    }


S = _secrets()


def secret_files() -> dict[str, str]:
    """Config files of every format, in production/ and staging/ so that the
    environment-aware hooks read them, with planted secrets (and duplicates of
    secret keys, so that hooks other than the secrets hook report those lines)."""
    return {
        "production/config.yaml": (
            "database:\n"
            f"  password: {S['password']}\n"
            f"  url: postgresql://app:{S['dsn_password']}@db.internal:5432/app\n"
            f"  password: {S['dup_first']}\n"
            "cache:\n"
            f"  url: redis://:{S['redis_password']}@cache:6379/0\n"
            "  timeout: 60\n"
            f"sentry_dsn: https://{S['sentry']}@o1.ingest.sentry.io/42\n"
            f"github_token: {S['github']}\n"
            "debug: true\n"
        ),
        "staging/config.yaml": f"database:\n  password: {S['staging']}\ncache:\n  timeout: 60\n",
        "production/app.ini": (
            "[app:main]\n"
            f"sqlalchemy.url = postgresql://app:{S['dsn_password']}@db/app\n"
            f"session.secret = {S['password']}\n"
            "[aws]\n"
            f"access_key_id = {S['aws']}\n"
            f"secret_access_key = {S['aws_secret']}\n"
            f"secret_access_key = {S['dup_first']}\n"
        ),
        ".env.production": (
            f"export DATABASE_URL=postgres://app:{S['dsn_password']}@db/app\n"
            f"STRIPE_SECRET_KEY={S['stripe']}\n"
            f'SLACK_TOKEN="{S["slack"]}"\n'
            f"DB_PASSWORD={S['password']}\n"
            f"DB_PASSWORD={S['dup_first']}\n"
            "DEBUG=True\n"
        ),
        "production/.env": f"REDIS_PASSWORD={S['redis_password']}\nLEGACY_CACHE_TIMEOUT=30\n",
        "production/app.toml": (
            "[database]\n"
            f'password = "{S["toml"]}"\n'
            f'url = "mysql://root:{S["dsn_password"]}@localhost/app"\n'
        ),
        "production/features.json": (
            "{\n"
            f'  "api_key": "{S["json"]}",\n'
            f'  "stripe": {{"secret_key": "{S["stripe"]}", "secret_key": "{S["dup_first"]}"}},\n'
            '  "debug": true\n'
            "}\n"
        ),
        "production/kafka.properties": (
            f"ssl.keystore.password={S['props']}\n"
            f"sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
            f'required username="app" password="{S["password"]}";\n'
        ),
        "settings/prod.py": (
            "import os\n"
            f"SECRET_KEY = '{S['django']}'\n"
            "DEBUG = True\n"
            "DATABASES = {\n"
            f"    'default': {{'ENGINE': 'django.db.backends.postgresql', 'PASSWORD': '{S['password']}'}},\n"
            "}\n"
            f"AWS_ACCESS_KEY_ID = '{S['aws']}'\n"
            f"AWS_SECRET_ACCESS_KEY = '{S['aws_secret']}'\n"
            f"SECRET_KEY = '{S['dup_first']}'\n"
        ),
        "settings/staging.py": f"SECRET_KEY = '{S['staging']}'\nDEBUG = False\n",
    }


# Malformed files holding a secret on the line the parser stops at: a parse
# error message must not quote it.
MALFORMED: dict[str, str] = {
    "production/broken.yaml": f'db:\n  password: "{S["password"]}\n',
    "production/broken.toml": f'password = "{S["toml"]}\n',
    "production/broken.json": f'{{"api_key": "{S["json"]}",}}',
    "production/broken.ini": f"password {S['props']}\n[db\n",
    "production/broken/settings.py": f'SECRET_KEY = "{S["django"]}\n',
    "production/broken.properties": f"password={S['props']}\\u12zz\n",
    "production/broken/.env": f'DB_PASSWORD="{S["password"]}\nX=1\n',
}


def leaks(text: str) -> list[str]:
    """The secrets that appear in ``text`` in full, or all but their first two
    characters (masking may show two)."""
    return [name for name, value in S.items() if value in text or value[2:] in text]
