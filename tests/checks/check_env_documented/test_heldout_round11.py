"""check-env-documented, held-out round 11 (quality-time, wikimedia-toolhub): the
wrong classes the judge found, each on files shaped like the real ones, with a
catch and a leave-alone test.

- a shell script started by another script of its folder that exports the name
  with a value first (``declare -rx X=...``, ``export X=...``, ``X=...; export X``):
  the project sets it, it is not a read to document;
- a repo script that writes ``NAME=value`` lines into a ``.env`` (a heredoc
  generator run by ``make init``): those lines document NAME, like an env template.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.check_env_documented.entrypoints import exported_names
from hooks.checks.check_env_documented.scan import generated_env_names
from tests.helpers.env_documented import reported
from tests.helpers.env_documented import run_hook as run

# -- 1. set by the script that starts this one ---------------------------------------------------------------

RUN_SH = """\
#!/bin/bash
set -e

# Get variable or set defaults
declare -rx LDAP_DOMAIN=${LDAP_DOMAIN:-example.org}

# These are calculated from previous values
declare -rx LDAP_BASEDN="dc=${LDAP_DOMAIN//./,dc=}"
declare -rx LDAP_BINDDN="cn=admin,${LDAP_BASEDN}"

# These are not supposed to be customized for now
declare -rx LDAP_SSL_KEY="/etc/ldap/ssl/ldap.key"
export LDAP_SSL_CERT=/etc/ldap/ssl/ldap.crt
LDAP_CA=/etc/ldap/ssl/ca.crt
export LDAP_CA

if [[ ! -f /etc/ldap/bootstraped ]]; then
    /bin/bash /slapd-init.sh
fi
exec /usr/sbin/slapd -h "ldap:///"
"""

INIT_SH = """\
#!/bin/bash
set -e
cat > /tmp/ssl.ldif <<EOF
olcTLSCertificateKeyFile: ${LDAP_SSL_KEY}
olcTLSCertificateFile: ${LDAP_SSL_CERT}
olcTLSCACertificateFile: ${LDAP_CA}
EOF
ldapadd -D "$LDAP_BINDDN" -w "$LDAP_ADMIN_PASSWORD" -f /tmp/ssl.ldif
"""

DOCKERFILE = """\
FROM debian:13-slim
COPY *.sh /
CMD ["/bin/bash", "/run.sh"]
"""


def ldap_files(init: str = INIT_SH) -> dict[str, str]:
    return {
        "ldap/Dockerfile": DOCKERFILE,
        "ldap/run.sh": RUN_SH,
        "ldap/slapd-init.sh": init,
        ".env.example": "LDAP_DOMAIN=example.org\n",
    }


def test_exported_names_forms() -> None:
    assert exported_names(RUN_SH) == {"LDAP_DOMAIN", "LDAP_BASEDN", "LDAP_BINDDN", "LDAP_SSL_KEY",
                                      "LDAP_SSL_CERT", "LDAP_CA"}
    # a plain assignment is the script's own; a commented export or a readonly non-export sets nothing
    assert exported_names("LOCAL=1\n# export X=1\nexport\ndeclare -r RO=1\n") == set()


def test_catch_read_nothing_in_the_folder_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(tmp_path, monkeypatch, capsys, ldap_files())
    # LDAP_ADMIN_PASSWORD: read by the init script, exported by no script of its folder
    assert reported(out) == ["LDAP_ADMIN_PASSWORD"]
    assert code == 1


def test_leave_alone_names_the_starting_script_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    init = INIT_SH.replace(' -w "$LDAP_ADMIN_PASSWORD"', "")
    code, out, _ = run(tmp_path, monkeypatch, capsys, ldap_files(init))
    assert reported(out) == []
    assert code == 0


def test_catch_export_in_another_folder_does_not_cover(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    files = ldap_files(INIT_SH.replace(' -w "$LDAP_ADMIN_PASSWORD"', ""))
    files["tools/run.sh"] = files.pop("ldap/run.sh")
    files["ldap/Dockerfile"] = DOCKERFILE.replace("/run.sh", "/slapd-init.sh")
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert {"LDAP_SSL_KEY", "LDAP_BINDDN"} <= set(reported(out))
    assert code == 1


# -- 2. a .env written by a generator script -----------------------------------------------------------------

MAKE_ENV = """\
#!/usr/bin/env bash
# Generate a .env file for local development
mkpass() {
    head /dev/urandom | LC_ALL=C tr -dc A-Za-z0-9 | head -c ${1:-20}
}
cat > ${1:?Missing target file} << _EOF
DJANGO_SECRET_KEY=$(mkpass 48)
DB_PASSWORD=$(mkpass)
LOCAL_UID=$(id -u)
LOCAL_GID=$(id -g)
_EOF
"""

MAKEFILE = """\
init: .env  ## Initialize the stack
\tdocker-compose up -d

.env:
\t./bin/make_env.sh ./.env
"""

COMPOSE = """\
services:
  web:
    build:
      context: .
    user: "${LOCAL_UID}:${LOCAL_GID}"
    environment:
      DJANGO_SECRET_KEY: "${DJANGO_SECRET_KEY}"
      DB_PASSWORD: "${DB_PASSWORD}"
      EMAIL_HOST: "${SMTP_RELAY_HOST}"
"""


def test_generated_env_names_forms() -> None:
    files = {
        "bin/make_env.sh": MAKE_ENV,
        "Makefile": MAKEFILE,
        "scripts/setup.sh": 'echo "API_TOKEN=changeme" >> .env\nprintf \'PORT=%s\\n\' 8000 > "$ROOT/.env.local"\n'
                            "cat <<EOF >> .env\nexport REGION=eu\nEOF\n",
        "scripts/other.sh": 'echo "NOT_ENV=1" >> settings.txt\ncat > out.cfg <<EOF\nNOT_ENV2=1\nEOF\n',
    }
    names = generated_env_names(files, lambda p: files[p].encode() if p in files else None)
    assert names == {"DJANGO_SECRET_KEY", "DB_PASSWORD", "LOCAL_UID", "LOCAL_GID", "API_TOKEN", "PORT", "REGION"}


def test_leave_alone_names_a_script_writes_into_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    files = {"bin/make_env.sh": MAKE_ENV, "Makefile": MAKEFILE,
             "docker-compose.yaml": COMPOSE.replace('      EMAIL_HOST: "${SMTP_RELAY_HOST}"\n', "")}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert reported(out) == []
    assert code == 0


def test_catch_generator_run_into_another_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # the same generator run into a settings file, not a .env: its lines document nothing
    files = {"bin/make_env.sh": MAKE_ENV, "Makefile": MAKEFILE.replace("./.env\n", "./settings.cfg\n"),
             "docker-compose.yaml": COMPOSE, "docs/setup.md": "Set DJANGO_SECRET_KEY and DB_PASSWORD.\n"}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert "LOCAL_UID" in reported(out)
    assert code == 1


def test_catch_read_the_generator_leaves_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    files = {"bin/make_env.sh": MAKE_ENV, "Makefile": MAKEFILE, "docker-compose.yaml": COMPOSE}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert reported(out) == ["SMTP_RELAY_HOST"]
    assert code == 1


# -- 3. a template's `# NAME, default` list --------------------------------------------------------------------

TEMPLATE = (
    "SECRET_KEY='my_very_secret_key'\r\n"
    "\r\n"
    "# Optional environment variables for local, set these for deployment.\r\n"
    "# Format: VARIABLE_NAME, default value\r\n"
    "# DEBUG, False\r\n"
    "# DATABASE_URL, 'sqlite:///' + str(BASE_DIR.joinpath('db.sqlite3'))\r\n"
    "# LOG_LEVEL, INFO\r\n"
)

SETTINGS = """\
from decouple import config

SECRET_KEY = config("SECRET_KEY")
DEBUG = config("DEBUG", default=False, cast=bool)
DATABASE_URL = config("DATABASE_URL")
LOG_LEVEL = config("LOG_LEVEL", default="INFO")
"""


def test_comment_list_entries() -> None:
    from hooks.checks.check_env_documented.docs import parse_source

    assert [e.name for e in parse_source(".env_template", TEMPLATE)] == ["SECRET_KEY", "DEBUG", "DATABASE_URL",
                                                                        "LOG_LEVEL"]
    # one `# NOTE, ...` line is prose; a list in a file with no entry is not a template
    assert [e.name for e in parse_source(".env.example", "# NOTE, keep this file short\nA_B=1\n")] == ["A_B"]
    assert parse_source("notes.env", "# DEBUG, False\n# LOG_LEVEL, INFO\n") == []


def test_leave_alone_names_a_comment_list_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    files = {".env_template": TEMPLATE, "app/settings.py": SETTINGS}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert reported(out) == []
    assert code == 0


def test_catch_read_the_comment_list_leaves_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    files = {".env_template": TEMPLATE.replace("# DATABASE_URL", "# DB_URL"), "app/settings.py": SETTINGS}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert reported(out) == ["DATABASE_URL", "DB_URL"]  # the read, and the listed name nothing reads
    assert code == 1
