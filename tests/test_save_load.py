"""save / load / load_parameters: bitwise round trips, atomic writes, and clean refusals of bad files."""

import io
import json
import os
import pickle
import re
import signal
import struct
import subprocess
import sys
import textwrap
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

import minifw as mf
import minifw.io.safe_npz as safe_npz

from .conftest import slides_network
from .model_state import snapshot
from .typing_cases.user_layer import Tanh


class Scale(mf.Layer):
    """A user's own layer with one parameter, a (d, 1) column of scales."""

    elementwise = True

    def __init__(self, d: int) -> None:
        self.s = mf.Parameter(np.full((d, 1), 2.0), name="s")

    def forward(self, x: mf.Array) -> mf.Array:
        self.x = x
        return self.s.value * x

    def backward(self, grad: mf.Array) -> mf.Array:
        self.s.grad[...] = (grad * self.x).sum(axis=1, keepdims=True)
        return grad * self.s.value

    def parameters(self) -> list[mf.Parameter]:
        return [self.s]


def trained(seed: int = 0, dtype: Any = np.float64) -> mf.Sequential:
    """The slides' 3-4-1 network after a few steps, so that b != 0 and every bit matters."""
    model = mf.Sequential(
        mf.Dense(3, 4, rng=seed, dtype=dtype), mf.Sigmoid(), mf.Dense(4, 1, rng=seed + 1, dtype=dtype), mf.Sigmoid()
    )
    loss = mf.BinaryCrossEntropy()
    opt = mf.GradientDescent(model.parameters(), learning_rate=0.5)
    X = np.random.default_rng(seed).normal(size=(3, 8)).astype(dtype)
    Y = (X[:1] > 0).astype(dtype)
    for _ in range(5):
        loss.forward(model.forward(X), Y)
        model.backward(loss.backward())
        opt.step()
    return model


def bits(model: mf.Layer) -> list[tuple[str, tuple[int, ...], bytes]]:
    return [(p.value.dtype.str, p.value.shape, p.value.tobytes()) for p in model.parameters()]


def npz_bytes(arrays: dict[str, npt.NDArray[Any]], *, allow_pickle: bool = False) -> bytes:
    """An .npz archive of ``arrays``, built by hand (so that tests can put anything in it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w") as entry:
                np.lib.format.write_array(entry, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


def saved_entries(model: mf.Layer, tmp_path: Path) -> dict[str, npt.NDArray[Any]]:
    path = tmp_path / "reference.npz"
    mf.save(model, path)
    with np.load(path, allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


# Round trips ------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_round_trip_is_bitwise(tmp_path: Path, dtype: Any) -> None:
    model = trained(dtype=dtype)
    path = tmp_path / "model.npz"
    mf.save(model, path)
    copy = mf.load(path)
    assert repr(copy) == repr(model)
    assert bits(copy) == bits(model)
    assert all(p.value.dtype == np.dtype(dtype) for p in copy.parameters())
    X = np.random.default_rng(1).normal(size=(3, 6)).astype(dtype)
    assert model.forward(X).tobytes() == copy.forward(X).tobytes()


def test_file_layout_names_parameters_like_the_slides(tmp_path: Path) -> None:
    model = trained()
    entries = saved_entries(model, tmp_path)
    assert sorted(entries) == ["W1", "W2", "architecture", "b1", "b2", "dtype", "format_version"]
    assert entries["format_version"].item() == 1
    assert entries["dtype"].item() == "float64"
    assert entries["W1"].shape == (4, 3)
    assert entries["b1"].shape == (4, 1)
    assert entries["W2"].tobytes() == model[2].parameters()[0].value.tobytes()
    assert all(not array.dtype.hasobject for array in entries.values())


def test_exact_path_is_written_without_added_suffix(tmp_path: Path) -> None:
    path = tmp_path / "my-model"
    mf.save(trained(), str(path))
    assert sorted(os.listdir(tmp_path)) == ["my-model"]
    assert bits(mf.load(str(path))) == bits(trained())


def test_same_model_gives_same_bytes(tmp_path: Path) -> None:
    mf.save(trained(), tmp_path / "a.npz")
    mf.save(trained(), tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_load_parameters_fills_a_model_with_users_layers(tmp_path: Path) -> None:
    source = mf.Sequential(mf.Dense(2, 3, rng=0), Scale(3), Tanh(), mf.Dense(3, 1, rng=1))
    source[1].parameters()[0].value[...] = [[0.5], [1.5], [-1.0]]
    path = tmp_path / "own.npz"
    mf.save(source, path)
    with np.load(path, allow_pickle=False) as npz:
        assert sorted(npz.files) == ["W1", "W3", "architecture", "b1", "b3", "dtype", "format_version", "s2"]
    target = mf.Sequential(mf.Dense(2, 3, rng=7), Scale(3), Tanh(), mf.Dense(3, 1, rng=8))
    opt = mf.GradientDescent(target.parameters(), learning_rate=0.1)
    arrays_before = [p.value for p in target.parameters()]
    mf.load_parameters(target, path)
    assert bits(target) == bits(source)
    assert all(p.value is a for p, a in zip(target.parameters(), arrays_before, strict=True))
    assert opt.parameters[0].value is target.parameters()[0].value
    X = np.ones((2, 4))
    assert target.forward(X).tobytes() == source.forward(X).tobytes()


def test_load_refuses_users_layers_and_points_to_load_parameters(tmp_path: Path) -> None:
    path = tmp_path / "own.npz"
    mf.save(mf.Sequential(mf.Dense(2, 3, rng=0), Tanh(), mf.Dense(3, 1, rng=1)), path)
    with pytest.raises(
        mf.ModelFileError, match=r"it holds Tanh from .*one of your own.*mf\.load_parameters\(model, path\)"
    ):
        mf.load(path)


def test_load_parameters_zeroes_gradients(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    mf.save(trained(), path)
    target = trained(seed=3)
    assert any(p.grad.any() for p in target.parameters())
    mf.load_parameters(target, path)
    assert not any(p.grad.any() for p in target.parameters())


def test_nested_sequential_is_saved_flat(tmp_path: Path) -> None:
    inner = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid())
    model = mf.Sequential(inner, mf.Dense(4, 1, rng=1), mf.Sigmoid())
    mf.save(model, tmp_path / "m.npz")
    copy = mf.load(tmp_path / "m.npz")
    assert repr(copy) == "Sequential(Dense(3 -> 4), Sigmoid(), Dense(4 -> 1), Sigmoid())"
    assert bits(copy) == bits(model)


# A Standardizer keeps its mean and std in the file ---------------------------------------------


def standardized(seed: int = 0) -> tuple[mf.Sequential, np.ndarray]:
    """A model that leads with a fitted Standardizer (circles on a scale of 100), trained a few steps, and its X."""
    X, Y = mf.make_circles(60, seed=seed)
    X = 100.0 * X
    model = mf.Sequential(
        mf.Standardizer().fit(X), mf.Dense(2, 4, rng=seed), mf.Sigmoid(), mf.Dense(4, 1, rng=seed + 1), mf.Sigmoid()
    )
    mf.train(model, mf.BinaryCrossEntropy(), X, Y, max_epochs=20, tol=None)
    return model, X


def test_a_standardized_model_round_trips_bit_for_bit(tmp_path: Path) -> None:
    model, X = standardized()
    path = tmp_path / "standardized.npz"
    mf.save(model, path)
    copy = mf.load(path)
    assert repr(copy) == "Sequential(Standardizer(2 features), Dense(2 -> 4), Sigmoid(), Dense(4 -> 1), Sigmoid())"
    scaler, loaded = model[0], copy[0]
    assert isinstance(scaler, mf.Standardizer)
    assert isinstance(loaded, mf.Standardizer)
    assert loaded.fitted()[0].tobytes() == scaler.fitted()[0].tobytes()
    assert loaded.fitted()[1].tobytes() == scaler.fitted()[1].tobytes()
    assert bits(copy) == bits(model)
    assert copy.forward(X).tobytes() == model.forward(X).tobytes()
    assert mf.predict_proba(copy, X).tobytes() == mf.predict_proba(model, X).tobytes()
    mf.save(copy, tmp_path / "again.npz")
    assert (tmp_path / "again.npz").read_bytes() == path.read_bytes()


def test_the_mean_and_std_are_json_numbers_in_the_architecture(tmp_path: Path) -> None:
    model, _ = standardized()
    entries = saved_entries(model, tmp_path)
    assert sorted(entries) == ["W1", "W2", "architecture", "b1", "b2", "dtype", "format_version"]  # no new entry
    spec = json.loads(entries["architecture"].item())[0]
    scaler = model[0]
    assert isinstance(scaler, mf.Standardizer)
    assert spec == {
        "kind": "Standardizer",
        "mean": scaler.fitted()[0][:, 0].tolist(),
        "std": scaler.fitted()[1][:, 0].tolist(),
    }


def test_load_parameters_gives_a_fresh_standardizer_the_saved_mean_and_std(tmp_path: Path) -> None:
    model, X = standardized()
    path = tmp_path / "standardized.npz"
    mf.save(model, path)
    fresh = mf.Sequential(mf.Standardizer(), mf.Dense(2, 4), mf.Sigmoid(), mf.Dense(4, 1), mf.Sigmoid())
    mf.load_parameters(fresh, path)
    assert fresh.forward(X).tobytes() == model.forward(X).tobytes()
    wider = mf.Sequential(mf.Standardizer().fit(np.ones((3, 4))), mf.Dense(3, 4), mf.Sigmoid(), mf.Dense(4, 1))
    with pytest.raises(mf.ModelFileError, match=r"layers \[Standardizer\(2 features\), Dense\(2 -> 4\), .*"):
        mf.load_parameters(wider, path)


@pytest.mark.parametrize(
    ("scaler", "error", "match"),
    [
        (
            mf.Standardizer(),
            mf.StateError,
            r"layer 0 \(Standardizer\(not fitted\)\) cannot be saved \(nothing was written.*fit\(\). Fix: call fit",
        ),
        (mf.Standardizer(np.zeros((2, 1)), np.ones((2, 1))), mf.ValueRangeError, "needs a finite mean and a finite"),
    ],
)
def test_save_refuses_a_standardizer_without_a_good_mean_and_std(
    tmp_path: Path, scaler: mf.Standardizer, error: type[Exception], match: str
) -> None:
    if scaler.std is not None:
        scaler.std[1, 0] = 0.0  # broken after it was built
    model = mf.Sequential(scaler, mf.Dense(2, 1, rng=0))
    with pytest.raises(error, match=match):
        mf.save(model, tmp_path / "m.npz")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    ("columns", "match"),
    [
        (("a", "b", "c"), "columns must be an mf.ColumnNames, got tuple"),
        (mf.ColumnNames((1, 2, 3)), r"column names must be strings: .* got ColumnNames\(features=\(1, 2, 3\)"),  # type: ignore[arg-type]
        (mf.ColumnNames(()), "column names must be strings: one or more features"),
        (mf.ColumnNames(("a",), classes=("no", "no")), r"two different strings, got \('no', 'no'\)"),
    ],
)
def test_save_refuses_column_names_that_load_would_refuse(tmp_path: Path, columns: Any, match: str) -> None:
    model = mf.Sequential(Tanh(), mf.Dense(3, 1, rng=0))  # a layer of your own first: how many features is not known
    with pytest.raises(mf.ValueRangeError, match=match + r".*\(nothing was written to .*Fix: .*mf.ColumnNames"):
        mf.save(model, tmp_path / "m.npz", columns=columns)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    ("version", "columns", "match"),
    [
        (2, '{"features": ["a"], "label": null}', r"columns names 1 feature\(s\) \(a\), but the model takes 3"),
        (2, '["a", "b", "c"]', r"the columns entry is malformed: '\[\"a\", \"b\", \"c\"\]'"),
        (2, '{"features": ["a", "b", "c"], "label": 1}', "column names must be strings"),
        (2, '{"features": ["a", "b", "c"], "label": "y", "classes": ["no", "yes"]}', "version 2 and label classes"),
        (3, '{"features": ["a", "b", "c"], "label": "y"}', "version 3 and no label classes"),
        (3, '{"features": ["a", "b", "c"], "label": "y", "classes": ["no", "no"]}', "two different strings"),
    ],
)
def test_damaged_column_names_are_refused_by_every_loader(
    tmp_path: Path, version: int, columns: str, match: str
) -> None:
    entries = saved_entries(trained(), tmp_path)
    entries["format_version"], entries["columns"] = np.array(version), np.array(columns)
    path = tmp_path / "bad.npz"
    path.write_bytes(npz_bytes(entries))
    for read in (mf.load, mf.load_column_names):
        with pytest.raises(mf.ModelFileError, match=match + ".*Fix: save the model again"):
            read(path)


def _with_standardizer_spec(tmp_path: Path, spec: str) -> bytes:
    model, _ = standardized()
    entries = saved_entries(model, tmp_path)
    specs = entries["architecture"].item()
    entries["architecture"] = np.array(specs.replace(specs[1 : specs.index("}") + 1], spec, 1))
    return npz_bytes(entries)


@pytest.mark.parametrize(
    "spec",
    [
        '{"kind": "Standardizer", "mean": [1.0], "std": [1.0, 2.0]}',  # a mean of 1 entry, a std of 2
        '{"kind": "Standardizer", "mean": [], "std": []}',  # no features
        '{"kind": "Standardizer", "mean": 1.0, "std": [1.0]}',  # not a list
        '{"kind": "Standardizer", "mean": [NaN, 1.0], "std": [1.0, 2.0]}',
        '{"kind": "Standardizer", "mean": [1.0, 1.0], "std": [1.0, Infinity]}',
        '{"kind": "Standardizer", "mean": [1.0, 1e999], "std": [1.0, 1.0]}',  # inf once read
        '{"kind": "Standardizer", "mean": [1.0, 1' + "0" * 400 + '], "std": [1.0, 1.0]}',  # an int too large
        '{"kind": "Standardizer", "mean": [1.0, true], "std": [1.0, 1.0]}',
        '{"kind": "Standardizer", "mean": [1.0, "2"], "std": [1.0, 1.0]}',
        '{"kind": "Standardizer", "mean": [1.0, 2.0], "std": [1.0, 0.0]}',  # a std of 0
        '{"kind": "Standardizer", "mean": [1.0, 2.0], "std": [-1.0, 1.0]}',
        '{"kind": "Standardizer", "mean": [1.0, 2.0], "std": [1.0, 1.0], "x": 1}',
        '{"kind": "Standardizer"}',
    ],
)
def test_a_damaged_standardizer_in_a_file_is_refused(tmp_path: Path, spec: str) -> None:
    shown = json.dumps(json.loads(spec))[:200]  # the layer as the message shows it
    match = re.escape(f"layer 0 of the architecture is malformed: {shown}") + ".*Fix: save the model again with mf.save"
    _rejected(tmp_path, _with_standardizer_spec(tmp_path, spec), match)


def test_a_standardizer_before_a_dense_of_another_width_is_refused(tmp_path: Path) -> None:
    spec = '{"kind": "Standardizer", "mean": [1.0, 2.0, 3.0], "std": [1.0, 1.0, 1.0]}'
    _rejected(
        tmp_path,
        _with_standardizer_spec(tmp_path, spec),
        r"layer 1 of the architecture, Dense\(2 -> 4\), takes 2 features, but layer 0, Standardizer\(3 features\), "
        "gives 3. Fix: save the model again",
    )


def test_a_standardizer_after_a_dense_of_another_width_is_refused(tmp_path: Path) -> None:
    model = mf.Sequential(mf.Dense(2, 3, rng=0), mf.Sigmoid(), mf.Standardizer().fit(np.eye(3)), mf.Dense(3, 1, rng=1))
    entries = saved_entries(model, tmp_path)
    entries["architecture"] = np.array(
        entries["architecture"].item().replace('"out_features": 3', '"out_features": 4', 1)
    )
    path = tmp_path / "bad.npz"
    path.write_bytes(npz_bytes(entries))
    with pytest.raises(
        mf.ModelFileError,
        match=r"layer 2 of the architecture, Standardizer\(3 features\), takes 3 features, but layer 0, "
        r"Dense\(2 -> 4\), gives 4",
    ):
        mf.load(path)


# Files written before this version ---------------------------------------------------------------

MODEL_FILES = Path(__file__).resolve().parent / "model_files"


def exact_parameters(model: mf.Layer, step: int) -> None:
    """The values the files of MODEL_FILES hold: dyadic rationals (exact in binary), k/8 - 0.75 counted up."""
    for i, p in enumerate(model.parameters()):
        count = int(np.prod(p.shape))
        p.value[...] = ((np.arange(step * i, step * i + count, dtype=np.float64) - 6.0) / 8.0).reshape(p.shape)


def test_a_model_file_written_before_standardizers_kept_their_mean_and_std_loads_bit_for_bit(tmp_path: Path) -> None:
    """model_files/slides-network-format-1.npz was written by mf.save before Standardizer entries held μ and σ.

    It was made with ``exact_parameters(model, 3)`` on the slides' network. Its format is the one mf.save still
    writes for a model without a Standardizer: saving the loaded model gives the same bytes.
    """
    path = MODEL_FILES / "slides-network-format-1.npz"
    expected = slides_network()
    exact_parameters(expected, 3)
    copy = mf.load(path)
    assert repr(copy) == "Sequential(Dense(3 -> 4), Sigmoid(), Dense(4 -> 1), Sigmoid())"
    assert bits(copy) == bits(expected)
    X = np.random.default_rng(0).normal(size=(3, 5))
    assert copy.forward(X).tobytes() == expected.forward(X).tobytes()
    mf.save(copy, tmp_path / "again.npz")
    assert (tmp_path / "again.npz").read_bytes() == path.read_bytes()


def test_an_old_file_with_a_standardizer_is_refused_by_load_with_the_fix_and_read_by_load_parameters() -> None:
    """model_files/standardizer-without-mean-and-std.npz: a Standardizer saved, before, as a user's layer (its kind
    and module only); made with ``exact_parameters(model, 5)`` and a Standardizer of mean (100, -0.5), std (25, 0.125).
    """
    path = MODEL_FILES / "standardizer-without-mean-and-std.npz"
    with pytest.raises(
        mf.ModelFileError, match=r"a Standardizer saved without its mean and std .*Fix: build the model"
    ):
        mf.load(path)
    scaler = mf.Standardizer(np.array([[100.0], [-0.5]]), np.array([[25.0], [0.125]]))
    expected = mf.Sequential(scaler, mf.Dense(2, 3, rng=0), mf.Sigmoid(), mf.Dense(3, 1, rng=1), mf.Sigmoid())
    exact_parameters(expected, 5)
    model = mf.Sequential(
        mf.Standardizer(scaler.mean, scaler.std),
        mf.Dense(2, 3, rng=7),
        mf.Sigmoid(),
        mf.Dense(3, 1, rng=8),
        mf.Sigmoid(),
    )
    mf.load_parameters(model, path)
    assert bits(model) == bits(expected)
    X = np.array([[90.0, 130.0], [-0.25, -1.0]])
    assert model.forward(X).tobytes() == expected.forward(X).tobytes()


# Atomic writes ----------------------------------------------------------------------------------


def _no_temporary_files(folder: Path) -> bool:
    return not [name for name in os.listdir(folder) if name.endswith(".tmp")]


@pytest.mark.parametrize("fault", [OSError("disk full"), KeyboardInterrupt()])
def test_failure_mid_write_keeps_old_file_and_removes_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: BaseException
) -> None:
    path = tmp_path / "model.npz"
    mf.save(trained(seed=0), path)
    old = path.read_bytes()
    real = np.lib.format.write_array
    calls = []

    def failing_write_array(fp: Any, array: Any, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 4:  # W1 written (after 3 metadata arrays), the crash comes in the middle
            raise fault
        real(fp, array, *args, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", failing_write_array)
    with pytest.raises(type(fault)):
        mf.save(trained(seed=1), path)
    assert path.read_bytes() == old
    assert _no_temporary_files(tmp_path)


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_failure_at_fsync_or_rename_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    path = tmp_path / "model.npz"
    mf.save(trained(seed=0), path)
    old = path.read_bytes()

    def fail(*args: Any) -> None:
        raise OSError(f"{step} failed")

    monkeypatch.setattr(os, step, fail)
    with pytest.raises(OSError, match=f"{step} failed"):
        mf.save(trained(seed=1), path)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert _no_temporary_files(tmp_path)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_process_killed_mid_save_leaves_old_file_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    mf.save(trained(seed=0), path)
    old = path.read_bytes()
    marker = tmp_path / "half-written"
    script = textwrap.dedent(
        f"""
        import time
        import numpy as np
        import minifw as mf
        real = np.lib.format.write_array
        def slow(fp, array, *args, **kwargs):
            real(fp, array, *args, **kwargs)
            if array.ndim == 2:  # after the first parameter: signal, then hang until killed
                open({str(marker)!r}, "w").close()
                time.sleep(60)
        np.lib.format.write_array = slow
        mf.save(mf.Sequential(mf.Dense(3, 4, rng=9), mf.Sigmoid()), {str(path)!r})
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(600):
            if marker.exists() or process.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists(), "the saving process never reached the middle of its write"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert path.read_bytes() == old
    assert bits(mf.load(path)) == bits(trained(seed=0))


def test_overwrite_keeps_file_permissions(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    mf.save(trained(), path)
    path.chmod(0o640)
    mf.save(trained(seed=2), path)
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_a_new_file_gets_the_permissions_the_umask_gives(tmp_path: Path, umask: int) -> None:
    """A new model gets 0o666 minus the umask, as open gives a new file, not a private 0o600."""
    previous = os.umask(umask)
    try:
        mf.save(trained(), tmp_path / "model.npz")
    finally:
        os.umask(previous)
    assert (tmp_path / "model.npz").stat().st_mode & 0o777 == 0o666 & ~umask


# What save refuses -------------------------------------------------------------------------------


def test_save_refuses_non_finite_weights_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    mf.save(trained(), path)
    old = path.read_bytes()
    model = trained()
    model[2].parameters()[1].value[0, 0] = np.nan
    with pytest.raises(mf.ValueRangeError, match=r"b2 holds NaN or inf.*nothing was written.*learning rate"):
        mf.save(model, path)
    assert path.read_bytes() == old
    assert _no_temporary_files(tmp_path)


def test_save_refuses_mixed_dtypes(tmp_path: Path) -> None:
    model = mf.Sequential(mf.Dense(3, 4, dtype=np.float32), mf.Sigmoid(), mf.Dense(4, 1))
    with pytest.raises(mf.ArchitectureError, match=r"W1: float32.*W2: float64"):
        mf.save(model, tmp_path / "m.npz")
    assert os.listdir(tmp_path) == []


def test_save_refuses_what_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(mf.NotALayerError, match="got list"):
        mf.save([mf.Dense(3, 4)], tmp_path / "m.npz")  # type: ignore[arg-type]  # the misuse under test


def test_save_into_missing_folder_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        mf.save(trained(), tmp_path / "no" / "such" / "m.npz")


def test_save_onto_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError, match="it is a folder"):
        mf.save(trained(), tmp_path)


# What load refuses: a clean ModelFileError (a ValueError) naming the file; the model untouched ---


def test_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        mf.load(tmp_path / "nothing-here.npz")
    model = trained()
    before = snapshot(model)
    with pytest.raises(FileNotFoundError):
        mf.load_parameters(model, tmp_path / "nothing-here.npz")
    assert snapshot(model) == before


def _rejected(tmp_path: Path, content: bytes, match: str) -> None:
    """Both loaders refuse ``content`` with ``match`` in the message, and the model is untouched."""
    path = tmp_path / "bad.npz"
    path.write_bytes(content)
    with pytest.raises(mf.ModelFileError, match=match) as info:
        mf.load(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, ValueError)
    model = trained()
    model.forward(np.ones((3, 2)))  # fill the caches too
    before = snapshot(model)
    with pytest.raises(mf.ModelFileError, match=match):
        mf.load_parameters(model, path)
    assert snapshot(model) == before


def _good_bytes(tmp_path: Path) -> bytes:
    mf.save(trained(), tmp_path / "good.npz")
    return (tmp_path / "good.npz").read_bytes()


def test_empty_file(tmp_path: Path) -> None:
    _rejected(tmp_path, b"", "the file is empty")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_truncated_file(tmp_path: Path, keep: float) -> None:
    good = _good_bytes(tmp_path)
    _rejected(tmp_path, good[: int(len(good) * keep)], "truncated or corrupted")


def test_flipped_byte_in_weights_fails_the_checksum(tmp_path: Path) -> None:
    good = bytearray(_good_bytes(tmp_path))
    start = good.index(b"W1.npy")
    good[start + 200] ^= 0xFF  # inside W1's data
    _rejected(tmp_path, bytes(good), r"truncated or corrupted \(BadZipFile: Bad CRC-32")


def test_text_file(tmp_path: Path) -> None:
    _rejected(tmp_path, b"W1 = [[1, 2, 3]]\n", "not an .npz archive")


def test_pickle_file(tmp_path: Path) -> None:
    _rejected(tmp_path, pickle.dumps({"W1": np.ones((4, 3))}), "is a Python pickle; minifw never unpickles")


def test_object_array_entry(tmp_path: Path) -> None:
    content = npz_bytes({"W1": np.array([{"evil": 1}, None], dtype=object)}, allow_pickle=True)
    _rejected(
        tmp_path,
        content,
        r"entry 'W1.npy' has dtype object; a model file holds plain float, integer or text arrays only. "
        "Fix: .*Python objects",
    )


def test_npz_that_is_not_a_model(tmp_path: Path) -> None:
    _rejected(tmp_path, npz_bytes({"x": np.ones(3)}), r"not a minifw model file: it has no 'format_version' entry")


def test_unknown_format_version(tmp_path: Path) -> None:
    entries = saved_entries(trained(), tmp_path)
    entries["format_version"] = np.array(4)
    _rejected(tmp_path, npz_bytes(entries), r"format version 4, and this minifw reads versions 1 to 3. Fix: upgrade")


def test_missing_and_unexpected_parameters_are_both_listed(tmp_path: Path) -> None:
    entries = saved_entries(trained(), tmp_path)
    entries["W3"] = entries.pop("W2")
    _rejected(tmp_path, npz_bytes(entries), r"missing \['W2'\], unexpected \['W3'\]")


def test_bias_of_shape_d_instead_of_d_1(tmp_path: Path) -> None:
    entries = saved_entries(trained(), tmp_path)
    entries["b1"] = entries["b1"].ravel()
    _rejected(tmp_path, npz_bytes(entries), r"b1: \(4,\) in file, \(4, 1\) expected")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_weights(tmp_path: Path, bad: float) -> None:
    entries = saved_entries(trained(), tmp_path)
    entries["W2"][0, 1] = bad
    _rejected(tmp_path, npz_bytes(entries), "W2 holds NaN or inf")


def test_weights_of_another_dtype_than_declared(tmp_path: Path) -> None:
    entries = saved_entries(trained(), tmp_path)
    entries["W1"] = entries["W1"].astype(np.float32)
    _rejected(tmp_path, npz_bytes(entries), "W1: dtype float32 in file, but the file declares float64")


def test_integer_weights(tmp_path: Path) -> None:
    entries = saved_entries(trained(), tmp_path)
    entries["W1"] = np.ones((4, 3), dtype=np.int64)
    _rejected(tmp_path, npz_bytes(entries), "W1: dtype int64 in file")


@pytest.mark.parametrize(
    ("architecture", "match"),
    [
        ("not json", r"the 'architecture' entry 'not json' cannot be read \(JSONDecodeError: Expecting value"),
        ('{"kind": "Dense"}', "not a list of layers"),
        ('[{"kind": "Dense", "in_features": 0, "out_features": 4}]', "layer 0 of the architecture is malformed"),
        ('[{"kind": "Dense", "in_features": true, "out_features": 4}]', "malformed"),
        ("[" * 100_000 + "]" * 100_000, r"cannot be read \(RecursionError: "),
    ],
)
def test_malformed_architecture(tmp_path: Path, architecture: str, match: str) -> None:
    entries = saved_entries(trained(), tmp_path)
    entries["architecture"] = np.array(architecture)
    _rejected(tmp_path, npz_bytes(entries), match)


def test_architecture_that_does_not_chain(tmp_path: Path) -> None:
    entries = saved_entries(trained(), tmp_path)
    dense = '{"kind": "Dense", "in_features": %d, "out_features": %d}'
    entries["architecture"] = np.array(f"[{dense % (3, 4)}, {dense % (5, 1)}]")
    entries["W2"] = np.ones((1, 5))
    path = tmp_path / "bad.npz"
    path.write_bytes(npz_bytes(entries))
    with pytest.raises(mf.ModelFileError, match=r"layer 1 of the architecture, Dense\(5 -> 1\), takes 5 features, but"):
        mf.load(path)


def test_declared_dtype_that_is_not_a_float(tmp_path: Path) -> None:
    entries = saved_entries(trained(), tmp_path)
    entries["dtype"] = np.array("complex128")
    _rejected(tmp_path, npz_bytes(entries), "declares dtype 'complex128', not a float dtype")


# Text entries: whatever their text, one guard turns any failure into a ModelFileError -----------


@pytest.mark.parametrize(
    "text",
    [
        "2[",  # NumPy: ValueError
        ",",  # NumPy: SyntaxError
        "(",
        "float64)",
        "",
        "\udc80",  # a lone surrogate: UnicodeEncodeError in NumPy
        "[('a', '<f8')]",
        "f8,f8",
        ">f8",  # a float, but not in the machine's byte order
        "O",
        "U5",
        "M8[D]",
        "__import__('os')",
        "2" * 10_000,
    ],
)
def test_damaged_dtype_text(tmp_path: Path, text: str) -> None:
    entries = saved_entries(trained(), tmp_path)
    entries["dtype"] = np.array(text)
    _rejected(tmp_path, npz_bytes(entries), r"(the 'dtype' entry .* cannot be read \(|declares dtype ).*Fix: save")


@pytest.mark.parametrize(
    ("architecture", "match"),
    [
        ("\udc80", "cannot be read"),
        (
            '[{"kind": "Dense", "in_features": 3, "out_features": 4' + "0" * 5000 + "}]",
            r"cannot be read \(ValueError: Exceeds the limit",
        ),
        ('[{"kind": "Tanh", "module": 1}]', "layer 0 of the architecture is malformed"),
        ('[{"kind": "Ta\\nnh", "module": "m"}]', "layer 0 of the architecture is malformed"),
        ('[{"kind": "' + "T" * 300 + '", "module": "m"}]', "layer 0 of the architecture is malformed"),
        ('[{"kind": "Tanh", "module": "\\udc80"}]', "layer 0 of the architecture is malformed"),
        ("[NaN]", "not a list of layers"),
        ('"[]"', "not a list of layers"),
        ("[" * 5000 + "]" * 4999, r"cannot be read \((RecursionError|JSONDecodeError): "),
    ],
)
def test_damaged_architecture_text(tmp_path: Path, architecture: str, match: str) -> None:
    entries = saved_entries(trained(), tmp_path)
    entries["architecture"] = np.array(architecture)
    _rejected(tmp_path, npz_bytes(entries), match)


@pytest.mark.parametrize("surprise", [TypeError("a"), LookupError("b"), AttributeError("c"), AssertionError("d")])
def test_any_failure_parsing_a_text_entry_is_a_model_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, surprise: Exception
) -> None:
    """The guard does not list what parsers raise: an exception no one expected is caught too."""
    good = _good_bytes(tmp_path)

    def parse(text: str) -> None:
        raise surprise

    monkeypatch.setattr(json, "loads", parse)
    _rejected(tmp_path, good, rf"the 'architecture' entry .* cannot be read \({type(surprise).__name__}: ")


@pytest.mark.parametrize(
    ("where", "bug"),
    [
        ("minifw.io.safe_npz._check_header", KeyError("a bug of ours")),
        ("minifw.io.model_file._check_specs", IndexError()),
    ],
)
def test_a_bug_in_minifws_own_reading_code_is_not_called_a_damaged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, bug: Exception
) -> None:
    """A KeyError or IndexError raised by minifw's own checks was reported as a corrupted file, hiding the bug."""
    path = tmp_path / "model.npz"
    mf.save(trained(), path)

    def buggy(*args: object) -> None:
        raise bug

    monkeypatch.setattr(where, buggy)
    with pytest.raises(type(bug)) as caught:
        mf.load(path)
    assert not isinstance(caught.value, mf.ModelFileError)


def _npy_header(shape: tuple[int, ...]) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": "<f8", "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def test_zip_bomb_guard_checks_npy_header_shape_before_reading(tmp_path: Path) -> None:
    entries = saved_entries(trained(), tmp_path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in entries.items():
            with archive.open(f"{name}.npy", "w") as entry:
                np.lib.format.write_array(entry, array, allow_pickle=False)
        archive.writestr("W9.npy", _npy_header((10**6, 10**6)) + b"\0" * 64)  # declares 8 TB, holds 64 bytes
    _rejected(
        tmp_path,
        buffer.getvalue(),
        r"entry 'W9.npy' declares shape \(1000000, 1000000\) \(8000000000000 bytes\), over the 1073741824-byte limit",
    )


def _central_record(archive: bytes, name: bytes) -> int:
    """The offset of the zip central directory record of entry ``name``."""
    offset = archive.find(b"PK\x01\x02")
    while offset >= 0:
        (name_length,) = struct.unpack("<H", archive[offset + 28 : offset + 30])
        if archive[offset + 46 : offset + 46 + name_length] == name:
            return offset
        offset = archive.find(b"PK\x01\x02", offset + 4)
    raise AssertionError(f"no central directory record for {name!r}")


def test_zip_bomb_guard_checks_directory_sizes_before_reading(tmp_path: Path) -> None:
    good = bytearray(_good_bytes(tmp_path))
    record = _central_record(bytes(good), b"W1.npy")
    good[record + 24 : record + 28] = struct.pack("<I", 0xFFFFFFF0)  # the declared uncompressed size: ~4 GiB
    with zipfile.ZipFile(io.BytesIO(bytes(good))) as archive:
        declared = sum(info.file_size for info in archive.infolist())
    assert declared > 0xFFFFFFF0
    _rejected(
        tmp_path, bytes(good), rf"its entries declare {declared} bytes in all, .* the {len(good)} bytes of the file"
    )


# The budget of the whole file: sizes summed, compressed entries refused, nothing read first ------


def _peak_bytes_of_load(path: Path) -> int:
    """The most memory mf.load allocates on the way to a ModelFileError (NumPy's arrays included)."""
    tracemalloc.start()
    try:
        with pytest.raises(mf.ModelFileError):
            mf.load(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA], ids=["deflate", "bzip2", "lzma"]
)
def test_compressed_entries_are_refused_before_anything_is_decompressed(tmp_path: Path, compression: int) -> None:
    """The probe's file, smaller: four entries of zeros behind valid .npy headers, a few KiB compressed."""
    zeros = np.zeros(1 << 20)  # 8 MiB each, 32 MiB in all
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name in ("W1", "b1", "W2", "b2"):
            with archive.open(f"{name}.npy", "w") as entry:
                np.lib.format.write_array(entry, zeros)
    path = tmp_path / "bomb.npz"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 1 << 20
    _rejected(
        tmp_path, buffer.getvalue(), r"entry 'W1.npy' is compressed \((deflate|bzip2|lzma)\): minifw cannot size it"
    )
    assert _peak_bytes_of_load(path) < 1 << 20  # nothing decompressed: 8 MiB for one entry before


def test_a_model_file_compressed_afterwards_is_refused(tmp_path: Path) -> None:
    good = io.BytesIO(_good_bytes(tmp_path))
    buffer = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    _rejected(tmp_path, buffer.getvalue(), r"entry 'format_version.npy' is compressed \(deflate\)")


def test_the_sizes_of_all_entries_count_against_one_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = _good_bytes(tmp_path)
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        total = sum(info.file_size for info in archive.infolist())
    monkeypatch.setattr(safe_npz, "MAX_ENTRY_BYTES", total)  # each entry alone is within its limit...
    monkeypatch.setattr(safe_npz, "MAX_FILE_BYTES", total - 1)  # ...but not all of them together
    _rejected(tmp_path, good, rf"its entries declare {total} bytes in all, more than the {total - 1}-byte limit")


def _with_overlapping_entries(archive: bytes, name: bytes, copies: int) -> bytes:
    """``archive`` (plain zip, no zip64) with ``copies`` more directory records, all pointing to entry ``name``'s data.

    The zip bomb without compression: each new entry (``copy0.npy``, ``copy1.npy``...) is as large
    as ``name``'s, and they all share its bytes.
    """
    start = _central_record(archive, name)
    name_length, extra_length, comment_length = struct.unpack("<HHH", archive[start + 28 : start + 34])
    record = archive[start : start + 46 + name_length + extra_length + comment_length]
    end = archive.rfind(b"PK\x05\x06")
    disk_entries, entries, directory_size, directory_offset = struct.unpack("<HHII", archive[end + 8 : end + 20])
    added = b""
    for k in range(copies):
        new_name = f"copy{k}.npy".encode()
        added += record[:28] + struct.pack("<H", len(new_name)) + record[30:46] + new_name + record[46 + name_length :]
    directory = archive[directory_offset : directory_offset + directory_size] + added
    end_record = (
        archive[end : end + 8]
        + struct.pack("<HHII", disk_entries + copies, entries + copies, len(directory), directory_offset)
        + archive[end + 20 :]
    )
    return archive[:directory_offset] + directory + end_record


def test_entries_that_share_their_bytes_are_refused(tmp_path: Path) -> None:
    """Stored entries take their bytes in the file: together they cannot declare more than the file holds."""
    entries = saved_entries(trained(), tmp_path)
    entries["W1"] = np.zeros((4, 3))
    entries["big"] = np.zeros(1 << 16)  # 512 KiB
    content = _with_overlapping_entries(npz_bytes(entries), b"big.npy", 50)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        declared = sum(info.file_size for info in archive.infolist())
    assert declared > 50 * len(content) // 2  # about 25 MiB declared by a file of about 0.5 MiB
    _rejected(tmp_path, content, rf"its entries declare {declared} bytes in all, .* the {len(content)} bytes of the")
    path = tmp_path / "bad.npz"
    assert _peak_bytes_of_load(path) < 1 << 20


def test_a_text_entry_over_its_limit_is_refused_unread(tmp_path: Path) -> None:
    entries = saved_entries(trained(), tmp_path)
    entries["architecture"] = np.array("[" * 150_000 + "]" * 150_000)  # 1.2 MB of text (4 bytes a character)
    _rejected(
        tmp_path, npz_bytes(entries), r"entry 'architecture.npy' declares .* over the 1048576-byte limit of a text"
    )


@pytest.mark.parametrize("limit", ["MAX_ENTRY_BYTES", "MAX_FILE_BYTES"])
def test_save_refuses_a_model_that_load_would_refuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str
) -> None:
    path = tmp_path / "model.npz"
    mf.save(trained(), path)
    old = path.read_bytes()
    monkeypatch.setattr(safe_npz, limit, 64)  # a (4, 3) W1 takes 96 bytes
    with pytest.raises(mf.ArchitectureError, match=r"too large for a model file: .*-byte limit .*nothing was written"):
        mf.save(trained(seed=1), path)
    assert path.read_bytes() == old
    assert _no_temporary_files(tmp_path)


def test_too_many_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_npz, "MAX_ENTRIES", 5)
    _rejected(tmp_path, _good_bytes(tmp_path), "the archive lists 7 entries, over the limit of 5")


def test_entry_that_is_not_npy(tmp_path: Path) -> None:
    buffer = io.BytesIO(_good_bytes(tmp_path))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("payload.sh", b"rm -rf /")
    _rejected(tmp_path, buffer.getvalue(), r"entry 'payload.sh' is not a .npy array")


# Loading into another architecture ---------------------------------------------------------------


@pytest.mark.parametrize(
    "other",
    [
        lambda: mf.Sequential(mf.Dense(3, 5), mf.Sigmoid(), mf.Dense(5, 1), mf.Sigmoid()),
        lambda: mf.Sequential(mf.Dense(3, 4), Tanh(), mf.Dense(4, 1), mf.Sigmoid()),
        lambda: mf.Sequential(mf.Dense(3, 4), mf.Sigmoid(), mf.Dense(4, 1)),
        lambda: mf.Sequential(mf.Dense(3, 4), mf.Sigmoid(), mf.Dense(4, 1), mf.Sigmoid(), mf.Dense(1, 1)),
    ],
)
def test_load_parameters_into_another_architecture_raises(tmp_path: Path, other: Any) -> None:
    path = tmp_path / "model.npz"
    mf.save(slides_network(), path)
    model = other()
    before = snapshot(model)
    with pytest.raises(mf.ModelFileError, match=r"it holds a model with layers \[Dense\(3 -> 4\), Sigmoid\(\), "):
        mf.load_parameters(model, path)
    assert snapshot(model) == before


def test_load_parameters_into_another_dtype_raises(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    mf.save(trained(dtype=np.float32), path)
    model = trained()
    before = snapshot(model)
    with pytest.raises(mf.ModelFileError, match=r"W1: float32 in file, float64 in the model. Fix: .*dtype=np.float32"):
        mf.load_parameters(model, path)
    assert snapshot(model) == before


def test_load_parameters_refuses_what_is_not_a_model(tmp_path: Path) -> None:
    mf.save(trained(), tmp_path / "m.npz")
    with pytest.raises(mf.NotALayerError, match="load_parameters takes a minifw Layer"):
        mf.load_parameters("model", tmp_path / "m.npz")  # type: ignore[arg-type]  # the misuse under test


def test_big_endian_and_fortran_order_arrays_load_to_the_same_values(tmp_path: Path) -> None:
    model = trained()
    entries = saved_entries(model, tmp_path)
    entries["W1"] = np.asfortranarray(entries["W1"].astype(">f8"))  # (4, 3), stored column by column
    assert not entries["W1"].flags.c_contiguous
    path = tmp_path / "other-layout.npz"
    path.write_bytes(npz_bytes(entries))
    copy = mf.load(path)
    assert bits(copy) == bits(model)
    assert all(p.value.dtype == np.dtype(np.float64) for p in copy.parameters())  # native byte order
    dense = [layer for layer in copy if isinstance(layer, mf.Dense)]
    assert all(d.W.value.flags.c_contiguous and d.W.value.dtype.isnative for d in dense)


def test_a_folder_is_not_a_model_file(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        mf.load(tmp_path)
