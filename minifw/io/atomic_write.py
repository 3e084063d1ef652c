"""Atomic file replacement: the old file stays byte-identical until the new one is complete on disk."""

import contextlib
import os
import secrets
import stat
from collections.abc import Callable
from typing import BinaryIO


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _open_temporary(directory: str, base: str) -> tuple[str, BinaryIO]:
    """Create a new, private-named file next to the target (mode 0o666 minus the umask)."""
    for _ in range(100):
        temporary = os.path.join(directory, f".{base}.{secrets.token_hex(8)}.tmp")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        return temporary, os.fdopen(fd, "wb")
    message = f"could not create a temporary file in {directory!r}"  # pragma: no cover - 100 random collisions
    raise FileExistsError(message)  # pragma: no cover


def write_atomically(path: str, write: Callable[[BinaryIO], None]) -> None:
    """Write ``path`` through ``write(file)``, all or nothing.

    The bytes go to a temporary file in the same folder, which is flushed and fsynced,
    then renamed over ``path`` with ``os.replace`` (atomic on POSIX and Windows). If
    anything fails before the rename (an exception, Ctrl-C), the temporary file is
    removed and ``path`` is left exactly as it was. An existing file's permission bits
    are kept.
    """
    directory, base = os.path.split(os.path.abspath(path))
    if not os.path.isdir(directory):
        message = f"cannot save to {path!r}: the folder {directory!r} does not exist. Fix: create it first."
        raise FileNotFoundError(message)
    if os.path.isdir(path):
        message = f"cannot save to {path!r}: it is a folder. Fix: give a file name, e.g. {path!r}/model.npz."
        raise IsADirectoryError(message)
    temporary, file = _open_temporary(directory, base)
    try:
        with file:
            with contextlib.suppress(FileNotFoundError):
                mode = stat.S_IMODE(os.stat(path).st_mode)
                if hasattr(os, "fchmod"):  # POSIX; Windows keeps its own defaults
                    os.fchmod(file.fileno(), mode)
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(directory)
