"""The one way legacy-config-hooks writes a file: fixes, the baseline, the
report and its history, change notes, ``--write-example``, ``--write-rules``.

Every write goes through :func:`write_file`:

* the path is resolved against the repository root (the current folder for a
  hook, ``--repo`` for the report); a path that leaves the root, through
  ``..``, an absolute path or a symlinked folder, is refused unless the caller
  says the user gave it explicitly on the command line (``-o``);
* a symlink is never followed: the path itself must not be one, and the file
  is replaced by a rename, which replaces a name, never a link's target;
* the write is atomic: a temp file in the same folder, fsync, rename. A run
  killed half way leaves the old file whole;
* a replaced file keeps its mode; a new file gets the mode the umask gives
  (0644 under the usual 022), not ``mkstemp``'s 0600;
* ``exclusive=True`` never replaces a file: the temp file is hard-linked to
  the name, which fails if the name is taken (by a file or a symlink).

Refusals raise :class:`WriteError`, one line for the user, and callers turn
it into exit 2.
"""
from __future__ import annotations

import os
import stat
import tempfile

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Union

    Data = Union[bytes, str]


class WriteError(OSError):
    """A write refused or failed; the message is one line naming the path.
    An OSError, so a caller's ``except OSError`` handles it too."""


class Exists(WriteError):
    """``exclusive=True`` and the name is taken."""


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def resolve(path: str, root: str | None = None, *, allow_outside: bool = False, what: str = "",
            folder: bool = False) -> str:
    """The absolute path ``write_file`` would write, after its checks.

    ``path`` is relative to ``root`` (default: the current folder) unless
    absolute. Its folder is resolved with every symlink in it; the result must
    lie inside the real root unless ``allow_outside``. The last component is
    never resolved: a symlink there is refused."""
    label = what or path
    base = os.path.realpath(root or os.getcwd())
    full = path if os.path.isabs(path) else os.path.join(base, path)
    full = os.path.normpath(full)
    name = os.path.basename(full)
    if not name or name in (".", ".."):
        raise WriteError(f"cannot write {label}: not a file name")
    parent = os.path.realpath(os.path.dirname(full))
    target = os.path.join(parent, name)
    if not allow_outside and not _inside(target, base):
        raise WriteError(f"refusing to write {label}: it is outside the repository ({base})")
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        if not folder and not os.path.isdir(parent):
            raise WriteError(f"cannot write {label}: no such folder {os.path.dirname(full)}") from None
        return target
    except OSError as exc:
        raise WriteError(f"cannot write {label}: {exc.strerror or exc}") from None
    if stat.S_ISLNK(st.st_mode):
        raise WriteError(f"refusing to write {label}: it is a symlink (write the file it points to yourself)")
    if folder and not stat.S_ISDIR(st.st_mode):
        raise WriteError(f"refusing to write into {label}: not a folder")
    if not folder and not stat.S_ISREG(st.st_mode):
        raise WriteError(f"refusing to write {label}: not a regular file")
    return target


def check_inside(path: str, root: str | None = None, what: str = "") -> str:
    """The absolute path of ``path`` (relative to ``root``), its folders
    resolved; WriteError when that is outside the root. For a path a setting
    names before anything is written (the checks of a write come with it)."""
    base = os.path.realpath(root or os.getcwd())
    full = os.path.normpath(path if os.path.isabs(path) else os.path.join(base, path))
    target = os.path.join(os.path.realpath(os.path.dirname(full)), os.path.basename(full))
    if not _inside(target, base):
        raise WriteError(f"refusing to use {what or path}: it is outside the repository ({base})")
    return target


def _umask_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_file(
    path: str,
    data: Data,
    root: str | None = None,
    *,
    allow_outside: bool = False,
    exclusive: bool = False,
    what: str = "",
) -> str:
    """Write ``data`` (text is written as UTF-8, newlines untouched) to ``path``
    under the rules above; returns the absolute path written."""
    target = resolve(path, root, allow_outside=allow_outside, what=what)
    label = what or path
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = stat.S_IMODE(os.lstat(target).st_mode)
        if exclusive:
            raise Exists(f"cannot write {label}: it exists")
    except FileNotFoundError:
        mode = _umask_mode()
    folder = os.path.dirname(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target)[:40] + ".", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"cannot write {label}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if exclusive:
            os.link(tmp, target)  # never replaces: fails when the name is taken
        else:
            os.replace(tmp, target)  # replaces the name; a link there would be replaced, not followed
    except FileExistsError:
        raise Exists(f"cannot write {label}: it exists") from None
    except OSError as exc:
        raise WriteError(f"cannot write {label}: {exc.strerror or exc}") from None
    finally:
        if exclusive or os.path.lexists(tmp):
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return target


def read_existing(path: str, root: str | None = None, *, max_bytes: int = 10 * 1024 * 1024, what: str = "") -> bytes:
    """The bytes of a file we are about to extend (``--write-example``), with
    the same checks as a write: inside the root, not a symlink, a regular file,
    at most ``max_bytes``. b"" when there is none."""
    target = resolve(path, root, what=what)
    label = what or path
    try:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise WriteError(f"cannot read {label}: {exc.strerror or exc}") from None
    regular = stat.S_ISREG(os.fstat(fd).st_mode)  # before fdopen, which refuses a folder itself
    if not regular:
        os.close(fd)
        raise WriteError(f"refusing to read {label}: not a regular file")
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise WriteError(f"refusing to extend {label}: it is over {max_bytes // (1024 * 1024)}MB")
    return raw
