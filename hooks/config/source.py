"""Reading a file's text safely: every way a read can fail becomes one clear line."""
from __future__ import annotations

import codecs
import os
import stat

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# Byte order marks and the codec of the text after one (UTF-32 before UTF-16: its
# little-endian mark starts with UTF-16's). The fixers keep the mark and re-encode.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class ReadError(Exception):
    """The file cannot be read as text; the message is one line for the user."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


class TooLarge(Exception):
    """The file is over the size limit: it is skipped, not failed."""


def _too_large(size: int, max_bytes: int) -> TooLarge:
    mb = 1024 * 1024  # --max-file-size counts 1MB as 1024 * 1024 bytes
    return TooLarge(
        f"skipped: {size / mb:.1f}MB is over the {max_bytes / mb:g}MB limit (raise it with --max-file-size)"
    )


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file (a symlink to one is read), at most
    ``max_bytes`` (0: no limit). The one way a hook reads a file it is given:
    a device (``/dev/zero``), a FIFO or a folder is a ReadError, never a read
    without end or a hang; the file is opened without blocking and checked
    with ``fstat`` on the open descriptor, so a swap after a check changes
    nothing; the read stops at the budget even if the file grows."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if os.path.islink(path):
            raise ReadError("cannot read: broken symlink") from None
        raise ReadError("cannot read: no such file") from None
    except IsADirectoryError:
        raise ReadError("cannot read: is a directory") from None
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ReadError("cannot read: is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError("cannot read: not a regular file")
        if max_bytes and st.st_size > max_bytes:
            raise _too_large(st.st_size, max_bytes)
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        try:
            data = handle.read(max_bytes + 1) if max_bytes else handle.read()
        except OSError as exc:
            raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    if max_bytes and len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    return data


def read_head(path: str, limit: int) -> bytes:
    """Up to ``limit`` bytes from the start of a regular file; b"" for
    anything else (missing, a device, a FIFO, unreadable)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return b""
        with os.fdopen(fd, "rb") as handle:
            return handle.read(limit)
    except OSError:
        return b""


def read_text(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    return decode(read_bytes(path, max_bytes))


def decode(data: bytes) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(f"cannot read: invalid {encoding[:6].upper()} text ({exc.reason})") from None
    if b"\x00" in data[:8192]:
        raise ReadError("cannot read: binary content")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReadError(
            f"cannot read: not valid UTF-8 (byte 0x{data[exc.start]:02x} on line {line})", line
        ) from None
