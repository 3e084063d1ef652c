"""Reading .npz archives without pickle, with size checks before any data is read (``np.savez`` writes them)."""

import contextlib
import errno
import math
import os
import zipfile
from collections.abc import Iterator
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from ..errors import ModelFileError

MAX_ENTRY_BYTES = 1 << 30
"""The largest array a model file may declare (1 GiB); anything larger is refused unread."""

MAX_FILE_BYTES = 1 << 31
"""The most bytes a model file may declare in all, its arrays together (2 GiB): what loading it may cost at most."""

MAX_TEXT_BYTES = 1 << 20
"""The largest text entry (1 MiB; the architecture of a network of 1000 Dense layers takes about 230 KiB)."""

MAX_ENTRIES = 4096
"""The most arrays a model file may hold."""

_MAX_HEADER_BYTES = 10_000
"""The longest .npy header read (NumPy's own default limit)."""

_ALLOWED_KINDS = "fiuU"
"""Array kinds a model file may hold: floats (parameters), integers and text (metadata)."""

_COMPRESSION_NAMES = {zipfile.ZIP_DEFLATED: "deflate", zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma"}

RESAVE = "save the model again with mf.save"
"""The fix for a damaged model file."""

_NOT_OURS = "this is not a model saved by mf.save; check where the file came from"


def cannot_load(path: str, problem: str, fix: str) -> ModelFileError:
    """The error for a model file that cannot be loaded: ``cannot load 'path': problem. Fix: fix.``"""
    return ModelFileError(f"cannot load {path!r}: {problem}. Fix: {fix}.")


def over_budget(arrays: dict[str, npt.NDArray[Any]]) -> str | None:
    """Why :func:`read_npz` would refuse a file of ``arrays`` for its sizes, or None if it would not.

    :func:`minifw.save` asks before writing, so that every file it writes can be loaded.
    """
    for name, array in arrays.items():
        limit = MAX_TEXT_BYTES if array.dtype.kind == "U" else MAX_ENTRY_BYTES
        if array.nbytes > limit:
            return f"{name} takes {array.nbytes} bytes, over the {limit}-byte limit of one entry of a model file"
    total = sum(array.nbytes for array in arrays.values())
    if total > MAX_FILE_BYTES:
        return f"its arrays take {total} bytes in all, over the {MAX_FILE_BYTES}-byte limit of a model file"
    return None


def _check_header(path: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read one entry's .npy header (not its data) and check its dtype and declared size."""
    name = info.filename
    with _damaged_bytes(path), archive.open(info) as entry:
        one = np.lib.format.read_magic(entry) == (1, 0)  # else 2.0 (or 3.0, the same bytes); np.load refuses others
        read = np.lib.format.read_array_header_1_0 if one else np.lib.format.read_array_header_2_0
        shape, _, dtype = read(entry, max_header_size=_MAX_HEADER_BYTES)
        header_bytes = entry.tell()
    if dtype.names is not None or dtype.subdtype is not None or dtype.kind not in _ALLOWED_KINDS:
        problem = f"entry {name!r} has dtype {dtype}; a model file holds plain float, integer or text arrays only"
        raise cannot_load(path, problem, "save the model with mf.save, which never writes Python objects (pickles)")
    data_bytes = math.prod(shape) * dtype.itemsize
    limit, of = (MAX_TEXT_BYTES, " of a text entry") if dtype.kind == "U" else (MAX_ENTRY_BYTES, "")
    if data_bytes > limit:
        problem = f"entry {name!r} declares shape {shape} ({data_bytes} bytes), over the {limit}-byte limit{of}"
        raise cannot_load(path, problem, _NOT_OURS)
    if header_bytes + data_bytes != info.file_size:
        problem = f"entry {name!r} declares {data_bytes} bytes of data but holds {info.file_size - header_bytes}"
        raise cannot_load(path, problem, RESAVE)


def _check_directory(path: str, archive: zipfile.ZipFile, file_bytes: int) -> list[str]:
    """Check the zip directory (entry names, compression, declared sizes) and return the array names.

    Nothing is decompressed or read but the .npy headers. The budget of the whole file: the
    declared sizes, summed, must stay within :data:`MAX_FILE_BYTES` and within the file itself (an
    entry is stored, not compressed, so its bytes are in the file; entries that claim more bytes
    than the file holds share them, as in a zip bomb). Loading a file thus costs at most its size.
    """
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        problem = f"the archive lists {len(infos)} entries, over the limit of {MAX_ENTRIES}"
        raise cannot_load(path, problem, _NOT_OURS)
    names: list[str] = []
    total = 0
    for info in infos:
        if not info.filename.endswith(".npy"):
            raise cannot_load(path, f"entry {info.filename!r} is not a .npy array", _NOT_OURS)
        if info.compress_type != zipfile.ZIP_STORED:
            method = _COMPRESSION_NAMES.get(info.compress_type, f"method {info.compress_type}")
            problem = f"entry {info.filename!r} is compressed ({method}): minifw cannot size it before reading it"
            raise cannot_load(path, problem, "save the model with mf.save, which never compresses")
        name = info.filename.removesuffix(".npy")
        if name in names:
            raise cannot_load(path, f"entry {info.filename!r} appears twice", RESAVE)
        names.append(name)
        total += info.file_size
    if total > min(MAX_FILE_BYTES, file_bytes):
        problem = (
            f"its entries declare {total} bytes in all, more than the {MAX_FILE_BYTES}-byte limit of a model file or "
            f"the {file_bytes} bytes of the file (entries that overlap, as in a zip bomb, or a corrupted directory)"
        )
        raise cannot_load(path, problem, _NOT_OURS)
    for info in infos:
        _check_header(path, archive, info)
    return names


def _refuse_non_zip(path: str, file: BinaryIO) -> int:
    """Refuse empty files, pickles and anything that does not start like a zip archive; return the file's size."""
    size = os.fstat(file.fileno()).st_size
    if size == 0:
        raise cannot_load(path, "the file is empty (0 bytes)", RESAVE)
    start = file.read(4)
    file.seek(0)
    if start[:1] == b"\x80":
        problem = "the file is a Python pickle; minifw never unpickles (it can run arbitrary code)"
        raise cannot_load(path, problem, "save the model with mf.save, which writes a pickle-free .npz")
    if start != b"PK\x03\x04":
        problem = f"the file is not an .npz archive (it starts with {start!r}, not b'PK\\x03\\x04')"
        raise cannot_load(path, problem, "pass a file written by mf.save")
    return size


def read_npz(path: str) -> dict[str, npt.NDArray[Any]]:
    """All arrays of the .npz at ``path``, by name, after checking every declared size.

    Raises ``FileNotFoundError`` for a missing file and :class:`ModelFileError` (a
    ``ValueError``) naming the file for anything else: empty, truncated, corrupted,
    pickled, object arrays, compressed entries, sizes over :data:`MAX_ENTRY_BYTES` (one
    array), :data:`MAX_TEXT_BYTES` (one text entry) or :data:`MAX_FILE_BYTES` (all arrays),
    or more than the file holds. Sizes are checked before any data is read, so loading
    costs at most the file's size in memory.
    """
    with open(path, "rb") as file:
        file_bytes = _refuse_non_zip(path, file)
        with _damaged_bytes(path):
            archive = zipfile.ZipFile(file)
        with archive:
            names = _check_directory(path, archive, file_bytes)
        file.seek(0)
        with _damaged_bytes(path), np.load(file, allow_pickle=False) as npz:
            return {name: npz[name] for name in names}


@contextlib.contextmanager
def _damaged_bytes(path: str) -> Iterator[None]:
    """Around calls of the zip and .npy readers (and nothing of minifw's own, whose bugs must show as they are): what
    those readers raise on damaged bytes becomes a :class:`ModelFileError`."""
    try:
        yield
    except MemoryError:
        raise
    except Exception as error:  # what the readers raise on damaged bytes: BadZipFile, ValueError, EOFError...
        if isinstance(error, OSError) and error.errno != errno.EINVAL:  # EINVAL: an offset points outside the file
            raise  # a real I/O error, not damaged bytes
        problem = f"the file is truncated or corrupted ({type(error).__name__}: {error})"
        raise cannot_load(path, problem, RESAVE) from error
