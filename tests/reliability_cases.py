"""Every bad input and fault tried on minifw, and what the user sees: the source of the Reliability page.

Each :class:`Case` calls one public entry point with one mistake. ``tests/test_reliability.py``
runs them all and checks the exception type, words of the message, and that the model, loss and
optimizer are exactly as they were (parameters, gradients and caches). The table in
``docs/reliability.md`` is generated from the same runs, so it shows the real messages; a test
fails when it drifts. To regenerate it:

    python -m tests.reliability_cases
"""

import contextlib
import hashlib
import io
import os
import pickle
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

import minifw as mf
from minifw.cli import main as cli_main

from .model_state import snapshot
from .typing_cases.user_layer import Tanh

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "reliability.md"
START, END = "<!-- reliability-table:start -->", "<!-- reliability-table:end -->"


class World:
    """A trained-once model, its loss and optimizer, data, and a saved model file, in a scratch folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
        self.loss = mf.BinaryCrossEntropy()
        self.opt = mf.GradientDescent(self.model.parameters(), learning_rate=0.5)
        self.X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0]])
        self.Y = np.array([[0.0, 1.0, 1.0, 0.0]])
        self.loss.forward(self.model.forward(self.X), self.Y)
        self.model.backward(self.loss.backward())
        self.opt.step()
        self.output = self.model.forward(self.X)  # fresh caches; the gradients are those of the step before
        self.loss.forward(self.output, self.Y)
        mf.save(self.model, "model.npz")
        self.good = Path("model.npz").read_bytes()
        Path("data.csv").write_text("x1,x2,x3,y\n0,0,1,0\n0,1,1,1\n1,0,1,1\n1,1,1,0\n", encoding="utf-8")

    def state(self) -> list[dict[str, Any]]:
        return [snapshot(self.model), snapshot(self.loss), snapshot(self.opt)]

    def a(self) -> Any:
        """The output a^[2] of the last forward (a Probabilities carrying its logits)."""
        return self.output

    def file(self, content: bytes, name: str = "bad.npz") -> str:
        Path(name).write_bytes(content)
        return name

    def entries(self) -> dict[str, npt.NDArray[Any]]:
        with np.load(io.BytesIO(self.good), allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}

    def npz(self, arrays: dict[str, npt.NDArray[Any]], *, allow_pickle: bool = False) -> str:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, array in arrays.items():
                with archive.open(f"{name}.npy", "w") as entry:
                    np.lib.format.write_array(entry, array, allow_pickle=allow_pickle)
        return self.file(buffer.getvalue())

    def with_entry(self, name: str, array: npt.NDArray[Any]) -> str:
        arrays = self.entries()
        arrays[name] = array
        return self.npz(arrays)


def cli(*argv: str) -> str:
    """Run the command line; return its exit status and what it printed to stderr."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        try:
            status = cli_main(list(argv))
        except SystemExit as exit_:  # argparse's usage errors
            status = int(exit_.code or 0)
    return f"exit status {status}; stderr: {stderr.getvalue().strip()}"


def misuse(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call ``function`` with arguments of the wrong type on purpose (so the type checker lets it through)."""
    return function(*args, **kwargs)


def dense(w: World, index: int) -> mf.Dense:
    layer = w.model[index]
    assert isinstance(layer, mf.Dense)
    return layer


def same_as_float(result: Any, expected: Any) -> str:
    """Accepted inputs: the result must equal the float input's, bit for bit."""
    assert np.asarray(result).tobytes() == np.asarray(expected).tobytes()
    return "accepted, converted to float: the same result as the float input"


def misuse_value(value: object) -> Any:
    """``value`` typed as anything: a case passes what the signature does not allow, on purpose."""
    return value


def _stale_gradient(w: World) -> object:
    model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    loss = mf.BinaryCrossEntropy()
    loss.forward(model.forward(w.X), w.Y)
    mf.predict(model, w.X[:, ::-1].copy())  # another forward of the same size in between
    return model.backward(loss.backward())


def _backward_twice(w: World) -> object:
    model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    loss = mf.BinaryCrossEntropy()
    loss.forward(model.forward(w.X), w.Y)
    model.backward(loss.backward())
    return model.backward(loss.backward())  # backward released the caches of the layers


@dataclass(frozen=True)
class Case:
    where: str
    fault: str
    call: Callable[[World], object]
    error: type[BaseException] | None  # None: no exception; the call returns the text the user sees
    words: tuple[str, ...] = ()


def _central_size_to_4_gib(w: World) -> str:
    data = bytearray(w.good)
    offset = data.find(b"PK\x01\x02")
    while data[offset + 46 : offset + 52] != b"W1.npy":
        offset = data.find(b"PK\x01\x02", offset + 4)
    data[offset + 24 : offset + 28] = struct.pack("<I", 0xFFFFFFF0)
    return w.file(bytes(data))


def _huge_npy_header(w: World) -> str:
    buffer = io.BytesIO()
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**6, 10**6)})
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("W1.npy", header.getvalue() + b"\0" * 64)
    return w.file(buffer.getvalue())


def _compressed_zeros(w: World) -> str:
    """The probe's zip bomb, smaller: four entries of zeros behind valid .npy headers, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ("W1", "b1", "W2", "b2"):
            with archive.open(f"{name}.npy", "w") as entry:
                np.lib.format.write_array(entry, np.zeros(1 << 17))
    return w.file(buffer.getvalue())


def _entries_sharing_bytes(w: World) -> str:
    """Ten directory records pointing to the same stored entry: the zip bomb without compression."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, archive.open("W1.npy", "w") as entry:
        np.lib.format.write_array(entry, np.zeros(1 << 10))
    data = buffer.getvalue()
    end = data.rfind(b"PK\x05\x06")
    _, _, size, offset = struct.unpack("<HHII", data[end + 8 : end + 20])
    record = data[offset : offset + size]
    copies = b"".join(record.replace(b"W1.npy", f"W{k}.npy".encode()) for k in range(10))
    end_record = data[end : end + 8] + struct.pack("<HHII", 10, 10, len(copies), offset) + data[end + 20 :]
    return w.file(data[:offset] + copies + end_record)


def _flip_in_weights(w: World) -> str:
    data = bytearray(w.good)
    data[data.index(b"W1.npy") + 200] ^= 0xFF
    return w.file(bytes(data))


def _crash_mid_save(w: World) -> str:
    real = np.lib.format.write_array

    def crash(fp: Any, array: Any, *args: Any, **kwargs: Any) -> None:
        if array.ndim == 2:
            raise KeyboardInterrupt
        real(fp, array, *args, **kwargs)

    np.lib.format.write_array = crash
    try:
        mf.save(mf.Sequential(mf.Dense(3, 4, rng=5)), "model.npz")
    except KeyboardInterrupt:
        pass
    finally:
        np.lib.format.write_array = real
    assert Path("model.npz").read_bytes() == w.good
    assert not [name for name in os.listdir(".") if name.endswith(".tmp")]
    return "the save is interrupted (KeyboardInterrupt); model.npz keeps its old bytes, no temporary file is left"


_HANGING_SAVE = """
import sys, time
import numpy as np
import minifw as mf
real = np.lib.format.write_array
def hang(fp, array, *args, **kwargs):
    real(fp, array, *args, **kwargs)
    if array.ndim == 2:
        open("half-written", "w").close()
        time.sleep(60)
np.lib.format.write_array = hang
mf.save(mf.Sequential(mf.Dense(3, 4, rng=9)), "model.npz")
"""


def _sigterm_mid_save(w: World) -> str:
    process = subprocess.Popen([sys.executable, "-c", _HANGING_SAVE])
    try:
        for _ in range(1200):
            if Path("half-written").exists() or process.poll() is not None:
                break
            time.sleep(0.05)
        assert Path("half-written").exists(), "the saving process never reached the middle of its write"
        assert [name for name in os.listdir(".") if name.endswith(".tmp")]
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait()
    assert code == -signal.SIGTERM
    assert Path("model.npz").read_bytes() == w.good
    (left,) = [name for name in os.listdir(".") if name.endswith(".tmp")]
    os.utime(left, (time.time() - 3600, time.time() - 3600))  # as if killed an hour ago
    mf.save(mf.Sequential(mf.Dense(3, 4, rng=9)), "model.npz")
    assert not [name for name in os.listdir(".") if name.endswith(".tmp")]
    return (
        "the process ends by SIGTERM, as without minifw; model.npz keeps its old bytes; the next save removes the "
        "temporary file"
    )


def _files_of_killed_saves(w: World) -> str:
    tag = hashlib.sha256(b"model.npz").hexdigest()[:12]
    left = [f".minifw-{tag}-{k:08x}.tmp" for k in range(3)]
    for name in [*left, ".other.tmp"]:
        Path(name).write_bytes(b"half a model")
        os.utime(name, (time.time() - 3600, time.time() - 3600))
    mf.save(w.model, "model.npz")
    assert not any(Path(name).exists() for name in left)
    assert Path(".other.tmp").exists()
    return (
        "the next save to model.npz removes them (files named like its temporary files, written over a minute ago "
        "and not locked by a save still writing); other files stay"
    )


def _long_name(w: World) -> str:
    name = "m" * 251 + ".npz"
    mf.save(w.model, name)
    assert name in os.listdir(".")
    return "saved (the temporary file's name has 33 characters, whatever the target's)"


def _nan_model(w: World) -> mf.Sequential:
    model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid())
    layer = model[0]
    assert isinstance(layer, mf.Dense)
    layer.W.value[0, 0] = np.nan
    return model


def _users_layer_file(w: World) -> str:
    mf.save(mf.Sequential(mf.Dense(3, 4, rng=0), Tanh(), mf.Dense(4, 1, rng=1)), "own.npz")
    return "own.npz"


DENSE_X = "Dense / Sequential.forward(X)"
LOSS = "BinaryCrossEntropy.forward(a, y)"
GD = "GradientDescent(parameters, learning_rate)"
TRAIN = "train(model, loss, X, Y, ...)"
LOAD = "load(path) / load_parameters(model, path)"
SAVE = "save(model, path)"

CASES: list[Case] = [
    # Batches into the layers (O(1) checks on the hot path).
    Case(DENSE_X, "1-D X of shape (3,)", lambda w: w.model.forward(np.ones(3)), mf.ShapeError, ("reshape(-1, 1)",)),
    Case(DENSE_X, "0-D X (a scalar)", lambda w: misuse(w.model.forward, np.float64(1.0)), mf.ShapeError, ("0-D",)),
    Case(DENSE_X, "3-D X of shape (3, 2, 2)", lambda w: w.model.forward(np.ones((3, 2, 2))), mf.ShapeError, ("3-D",)),
    Case(DENSE_X, "transposed X, (m, d0) = (5, 3)", lambda w: w.model.forward(np.ones((5, 3))), mf.ShapeError, (".T",)),
    Case(DENSE_X, "X with the wrong number of features", lambda w: w.model.forward(np.ones((2, 5))), mf.ShapeError),
    Case(DENSE_X, "X with zero columns (m = 0)", lambda w: w.model.forward(np.ones((3, 0))), mf.ShapeError, ("m = 0",)),
    Case("Sigmoid.forward(z)", "z with zero rows", lambda w: mf.Sigmoid().forward(np.ones((0, 2))), mf.ShapeError),
    Case(DENSE_X, "strings", lambda w: w.model.forward(np.array([["a"], ["b"], ["c"]])), mf.DTypeError),
    Case(DENSE_X, "Python objects", lambda w: w.model.forward(np.array([[None], [1], [2]])), mf.DTypeError),
    Case(DENSE_X, "complex numbers", lambda w: w.model.forward(np.ones((3, 1), dtype=complex)), mf.DTypeError),
    Case(
        DENSE_X,
        "integers",
        lambda w: same_as_float(w.model.forward(np.ones((3, 2), dtype=int)), w.model.forward(np.ones((3, 2)))),
        None,
        ("accepted",),
    ),
    Case(
        DENSE_X,
        "booleans",
        lambda w: same_as_float(w.model.forward(np.ones((3, 2), dtype=bool)), w.model.forward(np.ones((3, 2)))),
        None,
        ("accepted",),
    ),
    Case(
        "Dense.backward(dz)",
        "dz of the wrong shape",
        lambda w: w.model.layers[2].backward(np.ones((2, 2))),
        mf.ShapeError,
        ("dz",),
    ),
    Case(
        "Sigmoid.backward(da)",
        "backward before forward",
        lambda w: mf.Sigmoid().backward(np.ones((1, 1))),
        mf.StateError,
    ),
    # Labels into the loss.
    Case(
        LOSS, "y of shape (m, 1) against a (1, m)", lambda w: w.loss.forward(w.a(), w.Y.T), mf.ShapeError, ("reshape",)
    ),
    Case(LOSS, "1-D y", lambda w: w.loss.forward(w.a(), w.Y.ravel()), mf.ShapeError),
    Case(LOSS, "fewer labels than examples", lambda w: w.loss.forward(w.a(), w.Y[:, :3]), mf.ShapeError, ("m = 3",)),
    Case(LOSS, "labels outside [0, 1]", lambda w: w.loss.forward(w.a(), 2 * w.Y), mf.ValueRangeError, ("2.0",)),
    Case(LOSS, "NaN in y", lambda w: w.loss.forward(w.a(), np.array([[0.0, np.nan, 1.0, 0.0]])), mf.ValueRangeError),
    Case(
        LOSS,
        "probabilities outside [0, 1] (from your own layer)",
        lambda w: mf.BinaryCrossEntropy().forward(np.array([[1.5]]), np.array([[1.0]])),
        mf.ValueRangeError,
    ),
    Case(
        LOSS,
        "boolean labels",
        lambda w: same_as_float(w.loss.forward(w.a(), w.Y.astype(bool)), w.loss.forward(w.a(), w.Y)),
        None,
    ),
    Case(
        "BinaryCrossEntropy.backward()",
        "backward before forward",
        lambda w: mf.BinaryCrossEntropy().backward(),
        mf.StateError,
    ),
    # Hyper-parameters.
    Case(GD, "learning rate 0", lambda w: mf.GradientDescent(w.model.parameters(), 0.0), mf.ValueRangeError),
    Case(
        GD,
        "a learning rate that rounds to 0 in float32",
        lambda w: mf.GradientDescent(mf.Dense(3, 4, rng=0, dtype=np.float32).parameters(), 1e-50),
        mf.ValueRangeError,
        ("rounds to 0 in float32",),
    ),
    Case(GD, "negative learning rate", lambda w: mf.GradientDescent(w.model.parameters(), -0.1), mf.ValueRangeError),
    Case(GD, "NaN learning rate", lambda w: mf.GradientDescent(w.model.parameters(), float("nan")), mf.ValueRangeError),
    Case(
        GD,
        "infinite learning rate",
        lambda w: mf.GradientDescent(w.model.parameters(), float("inf")),
        mf.ValueRangeError,
    ),
    Case(
        GD,
        "learning rate as a string",
        lambda w: misuse(mf.GradientDescent, w.model.parameters(), "0.1"),
        mf.DTypeError,
    ),
    Case(GD, "the model instead of its parameters", lambda w: misuse(mf.GradientDescent, w.model, 0.1), mf.DTypeError),
    Case(GD, "no parameters", lambda w: mf.GradientDescent([], 0.1), mf.ValueRangeError),
    Case(GD, "a parameter twice", lambda w: mf.GradientDescent(w.model.parameters() * 2, 0.1), mf.ValueRangeError),
    Case(
        "Parameter.value = ...",
        "a bias of shape (d,) for (d, 1)",
        lambda w: setattr(dense(w, 0).b, "value", np.zeros(4)),
        mf.ShapeError,
        ("(4, 1)",),
    ),
    Case(
        "Parameter.value = ...",
        "another dtype",
        lambda w: setattr(dense(w, 0).b, "value", np.zeros((4, 1), np.float32)),
        mf.DTypeError,
    ),
    Case(
        "Parameter.grad = ...",
        "a gradient of another shape",
        lambda w: setattr(dense(w, 0).b, "grad", np.zeros(4)),
        mf.ShapeError,
    ),
    Case("Dense(in, out, ...)", "zero neurons", lambda w: mf.Dense(3, 0), mf.ArchitectureError),
    Case("Dense(in, out, ...)", "a float size", lambda w: misuse(mf.Dense, 2.5, 4), mf.ArchitectureError),
    Case("Dense(in, out, ...)", "an integer dtype", lambda w: mf.Dense(3, 4, dtype=int), mf.ArchitectureError),
    Case("Dense(in, out, ...)", "a bad rng", lambda w: misuse(mf.Dense, 3, 4, rng="seed"), mf.DTypeError),
    Case(
        "Sequential(*layers)",
        "sizes that do not chain",
        lambda w: mf.Sequential(mf.Dense(3, 4), mf.Dense(5, 1)),
        mf.ArchitectureError,
    ),
    Case(
        "Sequential(*layers)",
        "a class instead of a layer",
        lambda w: misuse(mf.Sequential, mf.Dense(3, 4), mf.Sigmoid),
        mf.NotALayerError,
    ),
    # Training: the boundary, where the full NaN scans live.
    Case(
        TRAIN, "NaN in X", lambda w: mf.train(w.model, w.loss, np.where(w.X == 1, np.nan, w.X), w.Y), mf.ValueRangeError
    ),
    Case(
        TRAIN,
        "inf in Y",
        lambda w: mf.train(w.model, w.loss, w.X, np.array([[0.0, 1.0, np.inf, 0.0]])),
        mf.ValueRangeError,
    ),
    Case(TRAIN, "Y of shape (m, 1)", lambda w: mf.train(w.model, w.loss, w.X, w.Y.T), mf.ShapeError, ("Y.T",)),
    Case(TRAIN, "transposed X", lambda w: mf.train(w.model, w.loss, w.X.T, w.Y), mf.ShapeError, ("X.T",)),
    Case(TRAIN, "mismatched sample counts", lambda w: mf.train(w.model, w.loss, w.X, w.Y[:, :3]), mf.ShapeError),
    Case(
        TRAIN,
        "a masked array hiding a NaN",
        lambda w: mf.train(w.model, w.loss, np.ma.masked_invalid(np.where(w.X == 1.0, np.nan, w.X)), w.Y),
        mf.DTypeError,
        ("masked array",),
    ),
    Case(
        TRAIN,
        "a ragged nested list as X",
        lambda w: mf.train(w.model, w.loss, misuse_value([[0.0, 1.0, 0.0, 1.0], [0.0, 1.0], [1.0] * 4]), w.Y),
        mf.ShapeError,
        ("rows of different lengths",),
    ),
    Case(
        TRAIN,
        "a callback that is not callable",
        lambda w: mf.train(w.model, w.loss, w.X, w.Y, callbacks=misuse_value([1])),
        mf.DTypeError,
        ("callable",),
    ),
    Case(
        "Sequential.backward(loss.backward())",
        "another forward (mf.predict) between loss.forward and backward",
        _stale_gradient,
        mf.StateError,
        ("earlier forward",),
    ),
    Case(
        "Sequential.backward(loss.backward())",
        "backward twice after one forward",
        _backward_twice,
        mf.StateError,
        ("twice", "forward"),
    ),
    Case(
        TRAIN,
        "Y with 2 rows for a model with 1 output",
        lambda w: mf.train(w.model, w.loss, w.X, np.zeros((2, 4))),
        mf.ShapeError,
    ),
    Case(TRAIN, "labels outside [0, 1]", lambda w: mf.train(w.model, w.loss, w.X, 2 * w.Y), mf.ValueRangeError),
    Case(TRAIN, "max_epochs = 0", lambda w: mf.train(w.model, w.loss, w.X, w.Y, max_epochs=0), mf.ValueRangeError),
    Case(TRAIN, "negative tolerance", lambda w: mf.train(w.model, w.loss, w.X, w.Y, tol=-1e-6), mf.ValueRangeError),
    Case(
        TRAIN,
        "learning rate <= 0",
        lambda w: mf.train(w.model, w.loss, w.X, w.Y, learning_rate=0.0),
        mf.ValueRangeError,
    ),
    Case("predict(model, X)", "NaN in X", lambda w: mf.predict(w.model, np.full((3, 2), np.nan)), mf.ValueRangeError),
    Case("predict(model, X)", "threshold outside [0, 1]", lambda w: mf.predict(w.model, w.X, 2.0), mf.ValueRangeError),
    Case("make_flower(m, ...)", "a bad seed", lambda w: misuse(mf.make_flower, 100, seed="x"), mf.DTypeError),
    Case(
        "trace(model, loss, X, Y)",
        "NaN in X",
        lambda w: mf.trace(w.model, w.loss, np.full((3, 1), np.nan), w.Y[:, :1]),
        mf.ValueRangeError,
    ),
    # Data files.
    Case(
        "save_csv(path, X, Y)",
        "NaN in X",
        lambda w: mf.save_csv("out.csv", np.full((2, 2), np.nan), np.zeros((1, 2))),
        mf.ValueRangeError,
    ),
    Case(
        "save_csv(path, X, Y)",
        "labels other than 0 and 1",
        lambda w: mf.save_csv("out.csv", w.X, 2 * w.Y),
        mf.ValueRangeError,
    ),
    Case(
        "save_csv(path, X, Y)",
        "Y of shape (m, 1)",
        lambda w: mf.save_csv("out.csv", w.X, w.Y.T),
        mf.ShapeError,
        ("reshape",),
    ),
    Case("load_csv(path)", "a missing file", lambda w: mf.load_csv("missing.csv"), FileNotFoundError),
    Case(
        "load_csv(path)",
        "an empty cell",
        lambda w: mf.load_csv(w.file(b"x1,y\n1,0\n,1\n", "holes.csv")),
        mf.DataError,
        ("line 3",),
    ),
    Case(
        "load_csv(path)",
        "three labels: 0, 1 and 2",
        lambda w: mf.load_csv(w.file(b"x1,y\n1,0\n3,2\n4,1\n", "labels.csv")),
        mf.DataError,
        ("3 values",),
    ),
    Case(
        "load_csv(path)",
        "two columns of text, and empty cells on two lines",
        lambda w: mf.load_csv(w.file(b"name,city,x1,y\nAnn,Oslo,1,0\nBo,Rome,,1\nCy,Pisa,2,\n", "people.csv")),
        mf.DataError,
        ("drop=['name', 'city']", "drop_incomplete=True"),
    ),
    Case(
        "load_csv(path)",
        "not text (a PNG picture)",
        lambda w: mf.load_csv(w.file(b"\x89PNG\r\n\x1a\n\x00\x00", "binary.csv")),
        mf.DataError,
    ),
    Case(
        "load_csv(path)",
        "UTF-16 text",
        lambda w: mf.load_csv(w.file("x1,y\n1,0\n".encode("utf-16"), "wide.csv")),
        mf.DataError,
        ("UTF-16",),
    ),
    Case(
        "load_csv(path)",
        "no header, and a UTF-8 byte-order mark",
        lambda w: mf.load_csv(w.file("\ufeff1,0\n3,1\n".encode(), "bom.csv")),
        mf.DataError,
        ("looks like data",),
    ),
    # Saving.
    Case(
        SAVE,
        "NaN in the weights",
        lambda w: mf.save(_nan_model(w), "model.npz"),
        mf.ValueRangeError,
        ("nothing was written",),
    ),
    Case(
        SAVE, "a folder that does not exist", lambda w: mf.save(w.model, "no/such/folder/model.npz"), FileNotFoundError
    ),
    Case(SAVE, "a crash in the middle of the save", _crash_mid_save, None, ("old bytes",)),
    Case(SAVE, "SIGTERM in the middle of the save", _sigterm_mid_save, None, ("the next save removes",)),
    Case(SAVE, "temporary files of saves killed (SIGKILL) earlier", _files_of_killed_saves, None, ("removes",)),
    Case(SAVE, "a file name of 255 characters", _long_name, None, ("saved",)),
    Case(
        SAVE,
        "a file name of 256 characters",
        lambda w: mf.save(w.model, "m" * 252 + ".npz"),
        OSError,
        ("256 bytes",),
    ),
    # Loading.
    Case(LOAD, "a missing file", lambda w: mf.load("missing.npz"), FileNotFoundError),
    Case(LOAD, "an empty file", lambda w: mf.load(w.file(b"")), mf.ModelFileError, ("empty",)),
    Case(LOAD, "a truncated file", lambda w: mf.load(w.file(w.good[: len(w.good) // 2])), mf.ModelFileError),
    Case(LOAD, "a flipped byte in the weights", lambda w: mf.load(_flip_in_weights(w)), mf.ModelFileError, ("CRC",)),
    Case(LOAD, "a text file", lambda w: mf.load(w.file(b"W1 = [[1, 2]]\n")), mf.ModelFileError),
    Case(LOAD, "a pickle", lambda w: mf.load(w.file(pickle.dumps({"W1": [1.0]}))), mf.ModelFileError, ("pickle",)),
    Case(
        LOAD,
        "an object array",
        lambda w: mf.load(w.npz({"W1": np.array([None], dtype=object)}, allow_pickle=True)),
        mf.ModelFileError,
        ("objects",),
    ),
    Case(LOAD, "an .npz that is not a model", lambda w: mf.load(w.npz({"x": np.ones(2)})), mf.ModelFileError),
    Case(
        LOAD,
        "an unknown format version",
        lambda w: mf.load(w.with_entry("format_version", np.array(4))),
        mf.ModelFileError,
    ),
    Case(
        LOAD,
        "a missing and an unexpected parameter",
        lambda w: mf.load(w.npz({("W3" if k == "W2" else k): v for k, v in w.entries().items()})),
        mf.ModelFileError,
        ("missing ['W2']", "unexpected ['W3']"),
    ),
    Case(
        LOAD,
        "a bias of shape (d,) for (d, 1)",
        lambda w: mf.load(w.with_entry("b1", np.zeros(4))),
        mf.ModelFileError,
        ("b1: (4,) in file, (4, 1) expected",),
    ),
    Case(
        LOAD,
        "a dtype entry holding damaged text",
        lambda w: mf.load(w.with_entry("dtype", np.array("2["))),
        mf.ModelFileError,
        ("'dtype' entry",),
    ),
    Case(
        LOAD,
        "an architecture entry holding damaged text",
        lambda w: mf.load(w.with_entry("architecture", np.array('[{"kind": "Dense", "in_features": 3,'))),
        mf.ModelFileError,
        ("'architecture' entry", "cannot be read"),
    ),
    Case(LOAD, "NaN in the weights", lambda w: mf.load(w.with_entry("W2", np.full((1, 4), np.nan))), mf.ModelFileError),
    Case(
        LOAD,
        "an entry declaring 4 GiB (zip directory)",
        lambda w: mf.load(_central_size_to_4_gib(w)),
        mf.ModelFileError,
    ),
    Case(LOAD, "an entry declaring 8 TB (.npy header)", lambda w: mf.load(_huge_npy_header(w)), mf.ModelFileError),
    Case(
        LOAD,
        "compressed entries (4 MiB of zeros in a 5 KB file, a zip bomb)",
        lambda w: mf.load(_compressed_zeros(w)),
        mf.ModelFileError,
        ("compressed",),
    ),
    Case(
        LOAD,
        "entries that share their bytes (a zip bomb without compression)",
        lambda w: mf.load(_entries_sharing_bytes(w)),
        mf.ModelFileError,
        ("more than the",),
    ),
    Case(
        LOAD,
        "a model with your own layer",
        lambda w: mf.load(_users_layer_file(w)),
        mf.ModelFileError,
        ("load_parameters",),
    ),
    Case(
        "load_parameters(model, path)",
        "another architecture",
        lambda w: mf.load_parameters(
            mf.Sequential(mf.Dense(3, 5), mf.Sigmoid(), mf.Dense(5, 1), mf.Sigmoid()), "model.npz"
        ),
        mf.ModelFileError,
    ),
    Case(
        "load_parameters(model, path)",
        "another dtype",
        lambda w: mf.load_parameters(
            mf.Sequential(
                mf.Dense(3, 4, dtype=np.float32), mf.Sigmoid(), mf.Dense(4, 1, dtype=np.float32), mf.Sigmoid()
            ),
            "model.npz",
        ),
        mf.ModelFileError,
        ("dtype=np.float64",),
    ),
    # The command line.
    Case(
        "minifw predict",
        "a corrupted model file",
        lambda w: cli("predict", "--model", w.file(b"PK\x03\x04junk"), "--data", "data.csv"),
        None,
        ("exit status 1", "cannot load"),
    ),
    Case(
        "minifw predict",
        "a model file whose dtype entry holds damaged text",
        lambda w: cli("predict", "--model", w.with_entry("dtype", np.array(",")), "--data", "data.csv"),
        None,
        ("exit status 1", "'dtype' entry"),
    ),
    Case(
        "minifw predict",
        "a missing model file",
        lambda w: cli("predict", "--model", "missing.npz", "--data", "data.csv"),
        None,
        ("exit status 1",),
    ),
    Case(
        "minifw",
        "an unknown option",
        lambda w: cli("--bogus"),
        None,
        ("exit status 2", "unrecognized arguments: --bogus"),
    ),
    Case(
        "minifw train",
        "a hidden layer of 10^12 units (more memory than the machine has)",
        lambda w: cli("train", "--data", "xor", "--hidden", "1000000000000"),
        None,
        ("exit status 1", "not enough memory"),
    ),
    Case(
        "minifw train",
        "a negative learning rate",
        lambda w: cli("train", "--data", "xor", "--lr", "-1"),
        None,
        ("exit status 2",),
    ),
    Case(
        "minifw train",
        "zero epochs",
        lambda w: cli("train", "--data", "xor", "--epochs", "0"),
        None,
        ("exit status 2",),
    ),
    Case(
        "minifw train",
        "--plot in a format matplotlib cannot write",
        lambda w: cli("train", "--data", "xor", "--plot", "out.xyz"),
        None,
        ("exit status 2",),
    ),
    Case(
        "minifw train",
        "--save into a missing folder",
        lambda w: cli("train", "--data", "xor", "--save", "no/such/m.npz"),
        None,
        ("exit status 1",),
    ),
]


@contextlib.contextmanager
def world() -> Iterator[World]:
    """A fresh World in a fresh scratch folder, which is the working folder meanwhile."""
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        yield World(Path(folder))


def outcome(case: Case, w: World) -> str:
    """Run ``case``; return what the user sees (``Type: message`` or the returned text).

    The scratch folder's absolute path is shown as ``.``, so that the table does not change from run to run.
    """
    try:
        result = case.call(w)
    except Exception as error:  # any exception is an outcome to report and check
        text = f"{type(error).__name__}: {error}"
    else:
        text = str(result) if case.error is None else f"no error (returned {type(result).__name__})"
    for folder in {str(w.folder), os.path.realpath(w.folder)}:
        text = text.replace(folder, ".")
    return text


def render() -> str:
    """The Markdown table of every case and its outcome."""
    rows = ["| Where | Bad input or fault | What you get |", "| --- | --- | --- |"]
    for case in CASES:
        with world() as w:
            text = " ".join(outcome(case, w).split())
        cells = [f"`{case.where}`", case.fault, text.replace("|", "\\|")]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def page_with_table(page: str, table: str) -> str:
    before, _, rest = page.partition(START)
    _, _, after = rest.partition(END)
    return f"{before}{START}\n\n{table}\n{END}{after}"


def write_page() -> None:
    """Write the current outcomes into docs/reliability.md, between its markers."""
    text = PAGE.read_text(encoding="utf-8")
    PAGE.write_text(page_with_table(text, render()), encoding="utf-8")
    print(f"wrote {len(CASES)} cases to {PAGE}", file=sys.stderr)


if __name__ == "__main__":
    # Import the module by its package name, so that classes defined here are named as in the tests.
    from tests import reliability_cases

    reliability_cases.write_page()
