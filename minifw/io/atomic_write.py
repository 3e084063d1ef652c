"""Atomic file replacement: the old file stays byte-identical until the new one is complete on disk.

The bytes go to a temporary file in the target's folder, named ``.minifw-<tag>-<random>.tmp``:
``<tag>`` is 12 hex digits of the SHA-256 of the target's name, ``<random>`` 16 random hex
digits. The name has 41 characters whatever the target's (a file name may have 255 bytes,
so ``.<name>.<random>.tmp`` did not fit for names of 234 and more).
"""

import contextlib
import hashlib
import os
import re
import secrets
import stat
from collections.abc import Callable
from typing import BinaryIO

PREFIX = ".minifw-"
"""How the names of minifw's temporary files start."""


def _tag(base: str) -> str:
    """12 hex digits standing for the target's file name ``base`` in its temporary files' names."""
    return hashlib.sha256(os.fsencode(base)).hexdigest()[:12]


def temporary_name_pattern(path: str) -> re.Pattern[str]:
    """The names of the temporary files of saves to ``path`` (in the same folder), and of nothing else."""
    return re.compile(rf"{re.escape(PREFIX)}{_tag(os.path.basename(os.path.abspath(path)))}-[0-9a-f]{{16}}\.tmp")


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


def _check_target(path: str) -> tuple[str, str]:
    """The folder and file name of ``path``, after checking that a file of that name can be written there."""
    directory, base = os.path.split(os.path.abspath(path))
    if not os.path.isdir(directory):
        message = f"cannot save to {path!r}: the folder {directory!r} does not exist. Fix: create it first."
        raise FileNotFoundError(message)
    if os.path.isdir(path):
        message = f"cannot save to {path!r}: it is a folder. Fix: give a file name, e.g. {path!r}/model.npz."
        raise IsADirectoryError(message)
    limit = _longest_name(directory)
    if limit is not None and len(os.fsencode(base)) > limit:
        message = (
            f"cannot save to {path!r}: its file name has {len(os.fsencode(base))} bytes, and this file system "
            f"allows {limit}. Fix: use a shorter file name."
        )
        raise OSError(message)
    return directory, base


def _longest_name(directory: str) -> int | None:
    """The most bytes a file name may have in ``directory`` (255 on most file systems), or None if unknown."""
    try:
        limit = os.pathconf(directory, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # Windows has no pathconf; some file systems do not say
        return None
    return limit if limit > 0 else None


def _open_temporary(directory: str, base: str) -> tuple[str, BinaryIO]:
    """Create a new temporary file next to the target (mode 0o666 minus the umask)."""
    for _ in range(100):
        temporary = os.path.join(directory, f"{PREFIX}{_tag(base)}-{secrets.token_hex(8)}.tmp")
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
    directory, base = _check_target(path)
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
