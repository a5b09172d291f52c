"""No hook executes user code: settings modules (and modules that shadow the
libraries our loaders import) that would write a marker file and connect to a
socket if imported or executed; every hook in .pre-commit-hooks.yaml runs over
them, and neither the marker nor a connection may appear.
"""
from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.reliability import (
    assert_no_traceback,
    describe,
    hook_variants,
    inputs_for,
    prepare_cwd,
    run_hook,
    variant_id,
    write_files,
)


class Listener:
    """A local TCP server that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.connections.append(conn.recv(1024) or b"<connected>")
                except OSError:
                    self.connections.append(b"<connected>")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def payload(marker: Path, port: int, name: str) -> str:
    """Code that leaves evidence if it ever runs."""
    return (
        "import socket as _s\n"
        f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n"
        "try:\n"
        f"    _c = _s.create_connection(('127.0.0.1', {port}), timeout=2)\n"
        f"    _c.sendall({name!r}.encode())\n"
        "    _c.close()\n"
        "except OSError:\n"
        "    pass\n"
    )


def user_files(marker: Path, port: int) -> dict[str, str]:
    code = lambda name: payload(marker, port, name)  # noqa: E731
    settings = "DEBUG = True\nSECRET_KEY = 'not-a-real-secret-value'\nLEGACY_CACHE_TIMEOUT = 30\nCACHE_TTL = 60\n"
    return {
        "settings.py": code("settings.py") + settings,
        "config.py": code("config.py") + "class ProductionConfig:\n    DEBUG = False\n",
        "settings/__init__.py": code("settings/__init__.py"),
        "settings/base.py": code("settings/base.py") + "TIME_ZONE = 'UTC'\nALLOWED_HOSTS = []\n",
        "settings/prod.py": code("settings/prod.py") + "from .base import *\nfrom settings.base import *\n" + settings,
        "settings/staging.py": code("settings/staging.py") + "from .base import *\nDEBUG = False\n",
        "config/production.py": code("config/production.py") + "DEBUG = False\n",
        "billing_settings.py": code("billing_settings.py") + "WORKERS = 4\n",
        # Code that runs at class-definition time and in decorators and defaults.
        "settings/local.py": (
            "def _side_effect():\n" + "".join("    " + l + "\n" for l in code("settings/local.py").splitlines())
            + "class Config:\n    DEBUG = _side_effect() or False\n"
            "DEBUG = (lambda: _side_effect())()\n"
        ),
        # Modules that shadow what a loader imports: only run if cwd were on sys.path.
        "sitecustomize.py": code("sitecustomize.py"),
        "usercustomize.py": code("usercustomize.py"),
        "yaml.py": code("yaml.py"),
        "tomllib.py": code("tomllib.py"),
        "configparser.py": code("configparser.py"),
        "configobj.py": code("configobj.py"),
        "javaproperties.py": code("javaproperties.py"),
        "dotenv/__init__.py": code("dotenv/__init__.py"),
        "ruamel/__init__.py": code("ruamel/__init__.py"),
        "hooks/__init__.py": code("hooks/__init__.py"),
        # YAML tags that an unsafe loader would turn into calls.
        "production/app.yaml": (
            "debug: !!python/object/apply:builtins.exec\n"
            f"  - {payload(marker, port, 'yaml-tag')!r}\n"
            "cache:\n  timeout: !!python/object/apply:os.system ['true']\n"
        ),
        "staging/app.yaml": "debug: false\ncache:\n  timeout: 5\n",
    }


@pytest.mark.parametrize("hv", hook_variants(), ids=variant_id)
def test_hook_never_imports_or_executes_user_code(tmp_path: Path, listener: Listener, hv: tuple) -> None:
    hook, variant = hv
    marker = tmp_path / "MARKER"
    root = prepare_cwd(hook, tmp_path / "repo")
    files = user_files(marker, listener.port)
    write_files(root, files)
    args = inputs_for(hook, root, sorted(files))
    result = run_hook(hook, root, [*variant, *args])
    assert result.returncode in (0, 1), describe(result)
    assert_no_traceback(result)
    assert not marker.exists(), f"user code ran: {marker.read_text()}\n{describe(result)}"
    assert listener.connections == [], f"user code connected: {listener.connections}\n{describe(result)}"


def test_the_payload_does_leave_evidence_when_run(tmp_path: Path, listener: Listener) -> None:
    """Guards the test: running one of the modules does write the marker and connect."""
    import subprocess
    import sys
    import time

    marker = tmp_path / "MARKER"
    files = user_files(marker, listener.port)
    write_files(tmp_path, {"settings.py": files["settings.py"]})
    subprocess.run([sys.executable, str(tmp_path / "settings.py")], check=True, timeout=30)
    assert marker.read_text() == "settings.py\n"
    deadline = time.time() + 5
    while not listener.connections and time.time() < deadline:
        time.sleep(0.05)
    assert listener.connections == [b"settings.py"]
