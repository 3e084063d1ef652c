"""Fuzzing the model loader: mutated, truncated and spliced files load cleanly or raise a clean ValueError.

Every result must be a model or a :class:`minifw.ModelFileError` (a ``ValueError``): never another
exception, a hang or a crash; and a failed ``load_parameters`` leaves the model untouched. The normal
suite runs a modest number of examples; for a long run set ``MINIFW_FUZZ_EXAMPLES``, e.g.

    MINIFW_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz_loader.py -q
"""

import io
import json
import os
import struct
import tempfile
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import minifw as mf

from .model_state import snapshot
from .typing_cases.user_layer import Tanh

EXAMPLES = int(os.environ.get("MINIFW_FUZZ_EXAMPLES", "150"))
SLOW_SECONDS = 10.0
"""A load taking longer than this counts as a hang (a good load takes about a millisecond)."""
MEMORY_PER_FILE_BYTE, MEMORY_OVERHEAD = 4, 1 << 20
"""A load may allocate at most this much memory (traced, NumPy's arrays included): a few times the file's size."""


def _models() -> list[mf.Sequential]:
    return [
        mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid()),
        mf.Sequential(mf.Dense(2, 2, rng=2, dtype=np.float32), mf.Sigmoid(), mf.Dense(2, 1, rng=3, dtype=np.float32)),
        mf.Sequential(mf.Dense(3, 4, rng=4), Tanh(), mf.Dense(4, 1, rng=5), mf.Sigmoid()),
    ]


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@pytest.fixture(scope="module")
def valid_files(folder: Path) -> list[bytes]:
    files = []
    for index, model in enumerate(_models()):
        path = folder / f"valid{index}.npz"
        mf.save(model, path)
        files.append(path.read_bytes())
    return files


def _structural_offsets(data: bytes) -> list[int]:
    """Where the zip records and .npy headers start: the bytes most worth mutating."""
    offsets = []
    for marker in (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07", b"\x93NUMPY"):
        start = data.find(marker)
        while start >= 0:
            offsets.append(start)
            start = data.find(marker, start + 1)
    return offsets or [0]


@st.composite
def damaged(draw: st.DrawFn, files: list[bytes]) -> bytes:
    """A valid file, then one to four damages: byte flips, integer overwrites, cuts, splices, inserts."""
    data = bytearray(draw(st.sampled_from(files)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "integer", "truncate", "splice", "insert", "delete"]))
        if not data:
            data = bytearray(draw(st.binary(max_size=64)))
            continue
        near = draw(st.sampled_from(_structural_offsets(bytes(data))))
        position = draw(st.one_of(st.integers(0, len(data) - 1), st.integers(near, near + 80)))
        position = min(position, len(data) - 1)
        if kind == "flip":
            data[position] ^= draw(st.integers(1, 255))
        elif kind == "integer":
            size = draw(st.sampled_from([1, 2, 4, 8]))
            value = draw(st.sampled_from([0, 1, 0x7F, 0xFF, 0xFFFF, 0xFFFFFFFF, 2**63 - 1, 2**64 - 1]))
            data[position : position + size] = (value & (2 ** (8 * size) - 1)).to_bytes(size, "little")
        elif kind == "truncate":
            del data[position:]
        elif kind == "splice":
            other = draw(st.sampled_from(files))
            cut = draw(st.integers(0, len(other)))
            data[position:] = other[cut:]
        elif kind == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=32))
        else:
            del data[position : position + draw(st.integers(1, 64))]
    return bytes(data)


STRUCTURE = "[]{}(),:'\"<>|=!. 0123456789-+eEfiuUSOVMmcb_"
"""Characters that matter to the parsers of text entries (JSON, dtype names, .npy headers)."""

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["kind", "in_features", "out_features", "module", "x"]), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def edited_text(draw: st.DrawFn, original: str) -> str:
    """``original`` with one to four characters inserted, deleted or replaced, mostly structural ones."""
    text = original
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        character = draw(st.sampled_from(STRUCTURE) | st.characters())
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        if kind == "insert":
            text = text[:position] + character + text[position:]
        elif kind == "delete":
            text = text[:position] + text[position + 1 :]
        else:
            text = text[:position] + character + text[position + 1 :]
    return text


COMPRESSIONS = st.sampled_from([zipfile.ZIP_STORED] * 5 + [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
"""How an entry is written: mostly stored (as mf.save does), sometimes compressed (which load refuses)."""


def _entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


@st.composite
def damaged_entries(draw: st.DrawFn, files: list[bytes]) -> bytes:
    """A well-formed zip (right checksums) whose .npy entries are damaged, renamed, dropped or swapped.

    The checksums being right, these reach the .npy header checks and the model checks behind them.
    """
    entries = _entries(draw(st.sampled_from(files)))
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(entries) - 1))
        name, content = entries[index]
        kind = draw(
            st.sampled_from(["flip", "truncate", "splice", "rename", "drop", "duplicate", "header", "header text"])
        )
        if kind == "flip" and content:
            position = draw(st.integers(0, len(content) - 1))
            content = (
                content[:position] + bytes([content[position] ^ draw(st.integers(1, 255))]) + content[position + 1 :]
            )
        elif kind == "truncate":
            content = content[: draw(st.integers(0, len(content)))]
        elif kind == "splice":
            other = draw(st.sampled_from(entries))[1]
            content = content[: draw(st.integers(0, len(content)))] + other[draw(st.integers(0, len(other))) :]
        elif kind == "rename":
            name = draw(st.sampled_from(["W1.npy", "b1.npy", "W3.npy", "theta1.npy", "dtype.npy", "x", "W1"]))
        elif kind == "drop" and len(entries) > 1:
            del entries[index]
            continue
        elif kind == "duplicate":
            entries.append((name, content))
        elif kind == "header":  # rewrite the text of the .npy header (shape, dtype, order)
            header = draw(
                st.sampled_from(
                    [
                        "{'descr': '<f8', 'fortran_order': True, 'shape': (4, 3), }",
                        "{'descr': '>f8', 'fortran_order': False, 'shape': (4, 3), }",
                        "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 1), }",
                        "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }",
                        "{'descr': '<c16', 'fortran_order': False, 'shape': (), }",
                        "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }",
                        "{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 3), }",
                        "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 99999999999), }",
                        "{'descr': '<U5', 'fortran_order': False, 'shape': (), }",
                        "{'descr': '<f8', 'fortran_order': False, 'shape': __import__('os'), }",
                    ]
                )
            )
        if kind == "header text":  # edit the text of the .npy header character by character
            start, end = content.find(b"{"), content.find(b"\n")
            original = content[start:end].decode("latin1") if 0 <= start < end else ""
            header = draw(edited_text(original) | st.text(alphabet=STRUCTURE, max_size=80))
        if kind in ("header", "header text"):
            body = content[content.find(b"\n") + 1 :] if b"\n" in content else b""
            text = header.encode("latin1", errors="replace")
            text += b" " * (-(len(text) + 11) % 64) + b"\n"
            content = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + body
        entries[index] = (name, content)
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": a duplicate is what we want here
        for name, content in entries:
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=draw(COMPRESSIONS))
    return buffer.getvalue()


@st.composite
def damaged_text(draw: st.DrawFn, files: list[bytes]) -> bytes:
    """A valid file whose text entries (``dtype``, ``architecture``) hold edited, arbitrary or JSON text.

    The rest of the file is well formed, so the text reaches its parsers (NumPy's dtype parser, the JSON reader).
    """
    with np.load(io.BytesIO(draw(st.sampled_from(files))), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    for name in draw(st.sets(st.sampled_from(["dtype", "architecture"]), min_size=1)):
        original = str(arrays[name].item())
        kind = draw(st.sampled_from(["edit", "any", "structure", "json"]))
        if kind == "edit":
            text = draw(edited_text(original))
        elif kind == "any":
            text = draw(st.text(max_size=40))
        elif kind == "structure":
            text = draw(st.text(alphabet=STRUCTURE, max_size=24))
        else:
            text = json.dumps(draw(JSON_VALUES))
        arrays[name] = np.array(text)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w") as entry:
                np.lib.format.write_array(entry, array, allow_pickle=False)
    return buffer.getvalue()


def _check_one(folder: Path, content: bytes) -> None:
    path = folder / "fuzzed.npz"
    path.write_bytes(content)
    start = time.perf_counter()
    message = ""
    tracemalloc.start()
    try:
        model = mf.load(path)
    except mf.ModelFileError as error:  # a ValueError subclass; anything else fails the test
        message = str(error)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < MEMORY_PER_FILE_BYTE * len(content) + MEMORY_OVERHEAD, (peak, message)
    if message:
        assert message.startswith(f"cannot load {str(path)!r}: ")
    else:
        assert isinstance(model, mf.Sequential)
        assert all(np.isfinite(p.value).all() for p in model.parameters())
    for target in _models():
        before = snapshot(target)
        try:
            mf.load_parameters(target, path)
        except mf.ModelFileError:
            assert snapshot(target) == before
    assert time.perf_counter() - start < SLOW_SECONDS


def test_fuzz_damaged_files(folder: Path, valid_files: list[bytes]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(content=damaged(valid_files))
    def run(content: bytes) -> None:
        _check_one(folder, content)

    run()


def test_fuzz_damaged_entries_with_valid_checksums(folder: Path, valid_files: list[bytes]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(content=damaged_entries(valid_files))
    def run(content: bytes) -> None:
        _check_one(folder, content)

    run()


def test_fuzz_damaged_text_entries(folder: Path, valid_files: list[bytes]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(content=damaged_text(valid_files))
    def run(content: bytes) -> None:
        _check_one(folder, content)

    run()


@settings(max_examples=max(EXAMPLES // 3, 20), deadline=None, database=None)
@given(content=st.binary(max_size=512))
def test_fuzz_random_bytes(folder: Path, content: bytes) -> None:
    _check_one(folder, b"PK\x03\x04" + content if content[:1] == b"\x00" else content)


def test_every_single_truncation_of_a_valid_file(folder: Path, valid_files: list[bytes]) -> None:
    data = valid_files[0]
    for length in range(0, len(data), max(1, len(data) // 300)):
        _check_one(folder, data[:length])


def test_every_single_byte_of_the_headers_flipped(folder: Path, valid_files: list[bytes]) -> None:
    data = valid_files[1]
    positions = sorted({p + k for p in _structural_offsets(data) for k in range(0, 64, 3)} & set(range(len(data))))
    for position in positions:
        mutated = bytearray(data)
        mutated[position] ^= 0xFF
        _check_one(folder, bytes(mutated))


def test_sizes_in_the_zip64_end_record_set_to_the_maximum(folder: Path, valid_files: list[bytes]) -> None:
    data = bytearray(valid_files[0])
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 0xFFFF, 0xFFFF)  # entry counts: "see the zip64 record"
    _check_one(folder, bytes(data))
