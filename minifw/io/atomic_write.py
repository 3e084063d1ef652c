"""Atomic file replacement: the old file stays byte-identical until the new one is complete on disk.

The bytes go to a new temporary file in the target's folder (created with ``O_EXCL``, so never
an existing one), named ``.minifw-<tag>-<random>.tmp``: ``<tag>`` is 12 hex digits of the SHA-256
of the target's name, ``<random>`` 8 random hex digits. The name has 33 characters whatever the target's
(a file name may have 255 bytes, so ``.<name>.<random>.tmp`` did not fit for names of 234 and
more). The file is flushed and fsynced, then renamed over the target with :func:`os.replace`.
While it writes, the saving process holds an advisory lock (``flock``) on its temporary file;
the kernel releases it when the process ends, however it ends.

A save that fails or is interrupted by an exception (Ctrl-C, or a signal handler of the program
that raises) removes its temporary file at once. A process killed in the middle of a save (a
signal such as SIGTERM or SIGKILL, a power loss) leaves it behind: each save removes the ones that
earlier saves to the same target left, and only those: a name of exactly the pattern for that
target, a regular file (not a link), last written more than :data:`STALE_SECONDS` ago, and not
locked (a save still writing it holds its lock; the age covers the instant between creating the
file and locking it). Where ``flock`` does not exist (Windows), a file another process has open
cannot be deleted, which protects it. A save changes nothing process-wide: no signal handler, no
umask.
"""

import contextlib
import hashlib
import os
import re
import secrets
import stat
import time
from collections.abc import Callable
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

PREFIX = ".minifw-"
"""How the names of minifw's temporary files start."""

STALE_SECONDS = 60.0
"""A temporary file last written longer ago than this, and not locked, is left over from a killed save."""

_OPEN_FLAGS = getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _tag(base: str) -> str:
    """12 hex digits standing for the target's file name ``base`` in its temporary files' names."""
    return hashlib.sha256(os.fsencode(base)).hexdigest()[:12]


def temporary_name_pattern(path: str) -> re.Pattern[str]:
    """The names of the temporary files of saves to ``path`` (in the same folder), and of nothing else."""
    return re.compile(rf"{re.escape(PREFIX)}{_tag(os.path.basename(os.path.abspath(path)))}-[a-z0-9_]{{8}}\.tmp")


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _open_temporary(path: str) -> tuple[str, BinaryIO]:
    """Check that a file named ``path`` can be written, then create and lock a new temporary file next to it, with the
    permission bits ``open`` gives a new file: 0o666 minus the umask, which the system applies (a library never sets
    it: ``os.umask`` is process-wide)."""
    directory, base = os.path.split(os.path.abspath(path))
    if not os.path.isdir(directory):
        message = f"cannot save to {path!r}: the folder {directory!r} does not exist. Fix: create it first."
        raise FileNotFoundError(message)
    if os.path.isdir(path):
        message = f"cannot save to {path!r}: it is a folder. Fix: give the name of a file, such as one inside it."
        raise IsADirectoryError(message)
    try:
        limit = os.pathconf(directory, "PC_NAME_MAX")  # 255 bytes on most file systems
    except (OSError, ValueError, AttributeError):  # Windows has no pathconf; some file systems do not say
        limit = -1
    if 0 < limit < len(os.fsencode(base)):
        message = (
            f"cannot save to {path!r}: its file name has {len(os.fsencode(base))} bytes, and this file system "
            f"allows {limit}. Fix: use a shorter file name."
        )
        raise OSError(message)
    temporary = os.path.join(directory, f"{PREFIX}{_tag(base)}-{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as error:
        message = (
            f"cannot save to {path!r}: no file can be created in the folder {directory!r} "
            f"({error.strerror or error}). Fix: save into a folder you can write to."
        )
        raise type(error)(message) from error
    if fcntl is not None:
        with contextlib.suppress(OSError):  # a file system without locks: the age alone protects the file
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return temporary, os.fdopen(fd, "wb")


def check_writable(path: str) -> None:
    """Check that :func:`write_atomically` can write ``path``, without writing it: for checks before long work.

    The folder must exist and a file must be creatable in it (one is created and removed),
    ``path`` must not be a folder and its name must fit the file system.
    """
    temporary, file = _open_temporary(path)
    file.close()
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def _remove_if_abandoned(path: str) -> bool:
    """Remove the temporary file ``path`` if no save is writing it any more; return whether it was removed."""
    try:
        fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS)  # O_NOFOLLOW: a link fails; O_NONBLOCK: a FIFO does not hang
    except OSError:
        return False
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or time.time() - opened.st_mtime < STALE_SECONDS:
            return False
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # an OSError while the save writing it holds its lock
            current = os.lstat(path)
            if (current.st_dev, current.st_ino) != (opened.st_dev, opened.st_ino):
                return False  # another file under that name since it was opened
            os.unlink(path)  # while holding the lock
            return True
    except OSError:  # locked (or a file system without locks: keep it), or gone
        return False
    finally:
        os.close(fd)
    try:  # pragma: no cover - Windows: deleting a file another process has open fails
        os.unlink(path)
    except OSError:  # pragma: no cover
        return False
    return True  # pragma: no cover


def remove_stale_temporary_files(path: str) -> list[str]:
    """Remove the temporary files that saves to ``path`` left when they were killed; return their names.

    Only files named by the pattern of ``path`` (:func:`temporary_name_pattern`) are looked at,
    and of those only regular files that no save is writing: not locked, and last written more
    than :data:`STALE_SECONDS` ago. Never raises: a file that cannot be removed stays.
    """
    pattern = temporary_name_pattern(path)
    directory = os.path.dirname(os.path.abspath(path))
    try:
        names = sorted(name for name in os.listdir(directory) if pattern.fullmatch(name))
    except OSError:
        return []
    return [name for name in names if _remove_if_abandoned(os.path.join(directory, name))]


def write_atomically(path: str, write: Callable[[BinaryIO], object]) -> None:
    """Write ``path`` through ``write(file)``, all or nothing.

    The bytes go to a temporary file in the same folder, which is flushed and fsynced,
    then renamed over ``path`` with ``os.replace`` (atomic on POSIX and Windows). If
    anything fails before the rename (an exception, Ctrl-C), the temporary file
    is removed and ``path`` is left exactly as it was. An existing file's permission bits
    are kept; a new file gets those ``open`` would give it (0o666 minus the umask).
    Temporary files left by earlier saves to ``path`` that were killed are removed before it
    writes (:func:`remove_stale_temporary_files`).
    """
    temporary, file = _open_temporary(path)
    try:
        with file:
            remove_stale_temporary_files(path)  # not this save's own file: it is locked, and new
            with contextlib.suppress(FileNotFoundError):  # an existing file keeps its permission bits
                os.chmod(temporary, stat.S_IMODE(os.stat(path).st_mode))
            write(file)
            file.flush()
            os.fsync(file.fileno())
            if os.name == "posix":  # rename while still holding the lock; Windows renames closed files only
                os.replace(temporary, path)
        if os.name != "posix":  # pragma: no cover - Windows
            os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(os.path.dirname(temporary))


def write_text_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8, all or nothing (:func:`write_atomically`): a CSV file, say."""
    write_atomically(path, lambda file: file.write(text.encode("utf-8")))
