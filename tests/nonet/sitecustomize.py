"""Blocks the network in every Python process started with this folder on
PYTHONPATH (the reliability suites put it there for hook subprocesses).

Any attempt to resolve a name or open an internet socket raises OSError. When
NONET_LOG names a file, each process appends one "loaded <argv0>" line when
this module is imported (proof the block was active in that process) and one
"blocked <what>" line per attempt, so a hook that swallows the error is still
caught.

NONET_ONLY (comma-separated program names) limits the block to those programs,
e.g. the hooks' console scripts, so that ``pre-commit try-repo``, which
installs a fresh hook environment with pip every time, can still reach PyPI.
"""
import os
import socket
import sys

_LOG = os.environ.get("NONET_LOG")
_INET = {getattr(socket, "AF_INET", None), getattr(socket, "AF_INET6", None)}


def _log(line):
    if _LOG:
        try:
            with open(_LOG, "a", encoding="utf-8") as f:
                f.write(line + "\n")
        except OSError:
            pass


def _blocked(what):
    _log(f"blocked {what} in {os.path.basename(sys.argv[0] if sys.argv else '?')}")
    return OSError(f"network access blocked by tests/nonet/sitecustomize.py ({what})")


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_sendto = socket.socket.sendto


def _connect(self, address):
    if self.family in _INET:
        raise _blocked(f"connect {address!r}")
    return _real_connect(self, address)


def _connect_ex(self, address):
    if self.family in _INET:
        raise _blocked(f"connect_ex {address!r}")
    return _real_connect_ex(self, address)


def _sendto(self, *args):
    if self.family in _INET:
        raise _blocked("sendto")
    return _real_sendto(self, *args)


def _getaddrinfo(host, *args, **kwargs):
    raise _blocked(f"getaddrinfo {host!r}")


def _gethostbyname(host, *args):
    raise _blocked(f"gethostbyname {host!r}")


def _install():
    socket.socket.connect = _connect
    socket.socket.connect_ex = _connect_ex
    socket.socket.sendto = _sendto
    socket.getaddrinfo = _getaddrinfo
    socket.gethostbyname = _gethostbyname
    socket.gethostbyname_ex = _gethostbyname
    _log(f"loaded {_PROGRAM}")


_PROGRAM = os.path.basename(sys.argv[0]) if getattr(sys, "argv", None) and sys.argv[0] else "python"
_ONLY = {p.strip() for p in os.environ.get("NONET_ONLY", "").split(",") if p.strip()}
if not _ONLY or _PROGRAM in _ONLY:
    _install()
