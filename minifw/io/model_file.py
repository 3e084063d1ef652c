"""save, load, load_parameters: a trained model to a pickle-free .npz file and back, bit for bit."""

import json
import os
import sys
from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import define

from ..data.standardizer import Standardizer
from ..errors import ArchitectureError, MinifwError, NotALayerError, ValueRangeError, one_line
from ..layers.layer import Layer
from ..layers.parameter import Parameter
from ..layers.sequential import Sequential
from .architecture import (
    LayerSpec,
    build,
    describe,
    flatten,
    format_architecture,
    input_width,
    named_parameters,
    same_architecture,
    standardizer,
)
from .atomic_write import write_atomically
from .safe_npz import RESAVE, cannot_load, over_budget, read_npz

FORMAT_VERSION = 3
"""The newest version of the model file format, which :func:`load` reads with all earlier ones.

Version 1 holds the architecture and the parameters; version 2 adds the CSV column names the
model was trained on (the ``columns`` entry); version 3 adds to them the label's values for
class 0 and 1 (such as no and yes). :func:`save` writes the oldest version that holds what it is
given, so a file without column names loads in every minifw since the first, and one without
label values in every minifw since column names."""

_METADATA = ("format_version", "dtype", "architecture", "columns")
_NAME_CHARACTERS = 200
"""The longest layer kind or module name a model file may hold."""

StrPath = str | os.PathLike[str]
"""A file name: a ``str`` or a ``pathlib.Path``."""

Shape = tuple[int, ...]


def _check_model(model: object, function: str) -> Layer:
    if not isinstance(model, Layer):
        message = (
            f"{function} takes a minifw Layer (such as a Sequential) as the model, got {type(model).__name__}. "
            "Fix: pass the model object, e.g. mf.Sequential(mf.Dense(3, 4), mf.Sigmoid(), ...)."
        )
        raise NotALayerError(message)
    return model


@define(frozen=True)
class ColumnNames:
    """The names of the CSV columns a model was trained on, saved with it (model file version 2, or 3 with classes).

    Attributes:
        features: the feature columns' header names, in the order of the model's inputs x_1, x_2, ...
        label: the label column's header name, or None.
        classes: the label's values in the training file for class 0 and class 1 (such as
            ``('no', 'yes')``), or None: 0 and 1 themselves.
    """

    features: tuple[str, ...]
    label: str | None = None
    classes: tuple[str, str] | None = None


def _columns_problem(columns: object, specs: list[LayerSpec]) -> str | None:
    """What is wrong with the column names ``columns`` of a model of ``specs``, or None: :func:`save` asks about the
    names it is given, :func:`load_column_names` about the names it reads."""
    if not isinstance(columns, ColumnNames):
        return f"columns must be an mf.ColumnNames, got {type(columns).__name__}"
    features, label, classes = columns.features, columns.label, columns.classes
    strings = isinstance(features, tuple | list) and all(isinstance(name, str) for name in features)
    if not (strings and features and (label is None or isinstance(label, str))):
        return f"column names must be strings: one or more features, and the label or None; got {columns!r}"
    pair = isinstance(classes, tuple | list) and len(classes) == 2 and all(isinstance(c, str) for c in classes)
    if classes is not None and not (pair and classes[0] != classes[1]):
        return f"classes must be the label's two values for class 0 and 1, two different strings, got {classes!r}"
    width = input_width(specs)
    if width is not None and len(features) != width:
        return f"columns names {len(features)} feature(s) ({', '.join(features)}), but the model takes {width}"
    return None


def save(model: Layer, path: StrPath, *, columns: ColumnNames | None = None) -> None:
    """Write ``model``'s architecture and parameters W1, b1, W2, b2... to the .npz file ``path``.

    The file holds plain arrays only (no pickle): ``format_version``, ``dtype``,
    ``architecture`` (the layer kinds and sizes, as JSON text; a ``Standardizer``'s μ and σ
    too, exactly) and one array per parameter, named after the slides' W^[l], b^[l]
    (``W1``, ``b1``, ``W2``, ``b2``...; l counts the layers that have parameters). Read it
    back with :func:`load`, or with :func:`load_parameters` for a model that has your own layers.

    Args:
        model: a ``Sequential`` (or any ``Layer``); nested ``Sequential`` are flattened.
        path: the file to write, exactly as given (no ``.npz`` is appended).
        columns: the names of the CSV columns the model was trained on (one feature per input
            of the model, in order, and the label), read back with :func:`load_column_names`:
            ``minifw predict`` then reads a file's columns by these names, and writes labels as
            ``columns.classes`` says. With them the file is of format version 2 (a ``columns``
            entry, JSON text), or 3 with ``classes``; without, version 1.

    Raises:
        NotALayerError: ``model`` is not a Layer.
        ArchitectureError: the parameters do not all share one dtype, or the model is too
            large for a model file (over 1 GiB in one array or 2 GiB in all: nothing is written).
        ValueRangeError: a parameter holds NaN or inf, or a ``Standardizer`` a μ or σ that is
            not finite or a σ <= 0; ``columns`` is not an ``mf.ColumnNames`` of strings, its
            ``classes`` are not two different strings, or it names another number of features
            than the model takes (nothing is written).
        StateError: a ``Standardizer`` of the model is not fitted (nothing is written).
        FileNotFoundError: the folder of ``path`` does not exist.
        OSError: no file can be created in the folder, or the name is too long for it.

    Notes:
        The write is atomic: the bytes go to a temporary file in the same folder, which
        is flushed and fsynced, then renamed over ``path``. If the save fails or is
        interrupted by an exception (Ctrl-C included), ``path`` keeps its old content byte
        for byte and the temporary file is removed. A process killed in the middle (SIGTERM,
        SIGKILL) or a power loss leaves a ``.minifw-<tag>-<random>.tmp`` file (``path`` intact
        even then), which the next save to ``path`` removes once no save is writing it. No
        signal handler is changed. The same model always gives the same bytes.

    Examples:
        >>> import tempfile, pathlib
        >>> import numpy as np
        >>> import minifw as mf
        >>> model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
        >>> mf.save(model, path)
        >>> sorted(np.load(path, allow_pickle=False).files)
        ['W1', 'W2', 'architecture', 'b1', 'b2', 'dtype', 'format_version']
    """
    layers = flatten(_check_model(model, "save"))
    nothing = f"nothing was written to {os.fspath(path)!r}"
    for index, layer in enumerate(layers):
        if isinstance(layer, Standardizer):
            try:
                Standardizer(*layer.fitted())  # its own checks: fitted, a finite μ and a finite σ > 0 of shape (d0, 1)
            except MinifwError as error:
                raise type(error)(f"layer {index} ({layer!r}) cannot be saved ({nothing}): {error}") from None
    named = named_parameters(layers)
    dtypes = {p.value.dtype for p in named.values()}
    if len(dtypes) > 1:
        found = ", ".join(f"{name}: {p.value.dtype}" for name, p in named.items())
        message = (
            f"save needs every parameter in one dtype; the model mixes them ({found}). "
            "Fix: build every Dense layer with the same dtype, e.g. dtype=np.float64."
        )
        raise ArchitectureError(message)
    for name, p in named.items():
        if not np.isfinite(p.value).all():
            message = (
                f"{name} holds NaN or inf, so the model cannot be saved ({nothing}). "
                "Fix: training probably diverged; lower the learning rate and train again."
            )
            raise ValueRangeError(message)
    dtype = dtypes.pop() if dtypes else np.dtype(np.float64)
    specs = describe(layers)
    problem = None if columns is None else _columns_problem(columns, specs)
    if problem is not None:
        example = "mf.ColumnNames(('height_cm', 'mass_g'), label='label', classes=('no', 'yes'))"
        raise ValueRangeError(f"{problem} ({nothing}). Fix: one feature name per model input, in order: {example}.")
    arrays: dict[str, npt.NDArray[Any]] = {
        "format_version": np.array(1 if columns is None else 3 if columns.classes is not None else 2, dtype=np.int64),
        "dtype": np.array(str(dtype)),
        "architecture": np.array(json.dumps(specs)),
    }
    if columns is not None:
        entry = {"features": list(columns.features), "label": columns.label}
        arrays["columns"] = np.array(
            json.dumps(entry | ({} if columns.classes is None else {"classes": columns.classes}))
        )
    arrays.update((name, p.value) for name, p in named.items())
    problem = over_budget(arrays)
    if problem is not None:
        message = (
            f"the model is too large for a model file: {problem}, so mf.load would refuse it ({nothing}). "
            "Fix: use fewer or smaller layers, or dtype=np.float32 to halve the bytes."
        )
        raise ArchitectureError(message)
    entries: dict[str, Any] = arrays  # np.savez's stub types **kwds as its allow_pickle (NumPy >= 2.1), a bool
    write_atomically(os.fspath(path), lambda file: np.savez(file, **entries))  # stored, dated 1980: the same bytes


def _scalar(path: str, entries: dict[str, npt.NDArray[Any]], name: str, kinds: str) -> Any:
    """The 0-d metadata array ``name`` as a Python value, checked to be of one of ``kinds``."""
    if name not in entries:
        problem = f"it is not a minifw model file: it has no {name!r} entry (entries: {', '.join(sorted(entries))})"
        raise cannot_load(path, problem, "pass a file written by mf.save")
    array = entries[name]
    if array.shape != () or array.dtype.kind not in kinds:
        problem = f"the {name!r} entry is an array of shape {array.shape} and dtype {array.dtype}, not a single value"
        raise cannot_load(path, problem, RESAVE)
    return array.item()


def _shown(text: str) -> str:
    """``text`` quoted for a message (escapes visible), cut after 80 characters."""
    return repr(text[:80]) + ("..." if len(text) > 80 else "")


def _parse_text(path: str, entries: dict[str, npt.NDArray[Any]], name: str) -> tuple[Any, str]:
    """The text entry ``name``, read, and its text: the one guard that every text entry of a model file goes through.

    The text comes from a file, so it may be anything. Its reader (``np.dtype`` for ``dtype``, the JSON reader for
    the others) is the only code under the broad guard: whatever it raises on damaged text, such as a ValueError,
    SyntaxError, RecursionError or UnicodeError, becomes a :class:`ModelFileError`, never escapes as itself. What
    it reads is then checked by minifw's own code (``_check_dtype``, ``_check_specs``...), outside the guard: a bug
    in it shows as what it is.
    """
    text = _scalar(path, entries, name, "U")
    try:
        return (np.dtype(text) if name == "dtype" else json.loads(text)), text
    except MemoryError:
        raise
    except Exception as error:  # anything the reader raises on damaged text
        problem = f"the {name!r} entry {_shown(text)} cannot be read ({type(error).__name__}: {one_line(error, 200)})"
        raise cannot_load(path, problem, RESAVE) from error


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _is_name(value: object) -> bool:
    """A layer kind or module name as a model file may hold it: printable text of at most 200 characters."""
    return isinstance(value, str) and 0 < len(value) <= _NAME_CHARACTERS and value.isprintable()


def _is_number(value: object) -> bool:
    """A JSON number that is a finite float: an int or a float (not a bool), not NaN, inf or an int too large."""
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) <= sys.float_info.max


def _check_specs(path: str, specs: Any, text: str) -> list[LayerSpec]:
    """The ``architecture`` entry, read as JSON, as a checked list of layer specs, each taking what the one before
    gives (elementwise layers aside)."""
    if not isinstance(specs, list) or not all(isinstance(s, dict) and isinstance(s.get("kind"), str) for s in specs):
        raise cannot_load(path, "the architecture entry is not a list of layers with a 'kind' each", RESAVE)
    for index, spec in enumerate(specs):
        keys = set(spec)
        if spec["kind"] == "Dense" and "module" not in spec:
            good = keys == {"kind", "in_features", "out_features"} and all(
                _is_size(spec[k]) for k in ("in_features", "out_features")
            )
        elif spec["kind"] == "Sigmoid":
            good = keys == {"kind"}
        elif spec["kind"] == "Standardizer" and "module" not in spec:
            mean, std = spec.get("mean"), spec.get("std")
            good = keys == {"kind", "mean", "std"} and isinstance(mean, list) and isinstance(std, list)
            good = good and 0 < len(mean) == len(std) and all(_is_number(v) for v in mean + std)
            good = good and all(s > 0 for s in std)  # μ and σ: finite numbers, one each per feature, σ > 0
        else:
            good = keys == {"kind", "module"} and _is_name(spec["kind"]) and _is_name(spec["module"])
        if not good:
            raise cannot_load(path, f"layer {index} of the architecture is malformed: {json.dumps(spec)[:200]}", RESAVE)
    gives: tuple[int, int] | None = None  # the last Dense or Standardizer before, and its width: d^[l] or d0
    for index, spec in enumerate(specs):
        if "module" in spec:
            gives = None  # a layer of your own: any width may come out
        elif spec["kind"] != "Sigmoid":
            takes = spec["in_features"] if spec["kind"] == "Dense" else len(spec["mean"])
            if gives is not None and takes != gives[1]:
                problem = (
                    f"layer {index} of the architecture, {format_architecture([spec])}, takes {takes} features, but "
                    f"layer {gives[0]}, {format_architecture([specs[gives[0]]])}, gives {gives[1]}"
                )
                raise cannot_load(path, problem, RESAVE)
            gives = (index, spec.get("out_features", takes))
    return specs


def _check_dtype(path: str, dtype: np.dtype[Any], text: str) -> np.dtype[Any]:
    """The ``dtype`` entry, read by NumPy, if it is a float dtype in the machine's byte order (what every Dense
    holds)."""
    if dtype.kind != "f" or not dtype.isnative:
        raise cannot_load(
            path, f"it declares dtype {_shown(text)}, not a float dtype such as 'float64' or 'float32'", RESAVE
        )
    return dtype


def _check_columns_entry(path: str, columns: Any, text: str, specs: list[LayerSpec], version: int) -> ColumnNames:
    """The ``columns`` entry, read as JSON, as checked column names: ``{"features": [...], "label": ..., "classes":
    [...]}``, the classes from format version 3 on."""
    if not isinstance(columns, dict) or set(columns) - {"classes"} != {"features", "label"}:
        raise cannot_load(path, f"the columns entry is malformed: {_shown(text)}", RESAVE)
    names = ColumnNames(columns["features"], columns["label"], columns.get("classes"))
    problem = _columns_problem(names, specs)
    if problem is not None:
        raise cannot_load(path, problem, RESAVE)
    if (names.classes is not None) != (version >= 3):
        raise cannot_load(
            path, f"it has format version {version} and {'' if names.classes else 'no '}label classes", RESAVE
        )
    classes = None if names.classes is None else (names.classes[0], names.classes[1])
    return ColumnNames(tuple(names.features), names.label, classes)


@define(frozen=True)
class _ModelFile:
    """A model file's entries, read once, with its dtype, architecture and column names, checked."""

    name: str
    entries: dict[str, npt.NDArray[Any]]
    dtype: np.dtype[Any]
    specs: list[LayerSpec]
    columns: ColumnNames | None


def _read(path: StrPath) -> _ModelFile:
    """The model file ``path``, read once: its entries, and its format version, dtype, architecture and column names
    checked."""
    name = os.fspath(path)
    entries = read_npz(name)
    version = _scalar(name, entries, "format_version", "iu")
    if not 1 <= version <= FORMAT_VERSION:
        problem = f"it has format version {version}, and this minifw reads versions 1 to {FORMAT_VERSION}"
        raise cannot_load(name, problem, "upgrade minifw" if version > FORMAT_VERSION else RESAVE)
    if ("columns" in entries) != (version >= 2):
        problem = f"it has format version {version} and {'a' if 'columns' in entries else 'no'} 'columns' entry"
        raise cannot_load(name, problem, RESAVE)
    dtype = _check_dtype(name, *_parse_text(name, entries, "dtype"))
    specs = _check_specs(name, *_parse_text(name, entries, "architecture"))
    if version == 1:
        return _ModelFile(name, entries, dtype, specs, None)
    columns = _check_columns_entry(name, *_parse_text(name, entries, "columns"), specs, version)
    return _ModelFile(name, entries, dtype, specs, columns)


def load_column_names(path: StrPath) -> ColumnNames | None:
    """The CSV column names saved with the model in ``path`` (by ``save(..., columns=...)``), or None.

    Files of format version 1 (saved without names, as every file was before names existed) give None.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ModelFileError: the file cannot be loaded (as :func:`load` says), or its names do not
            fit the model (another number of features than it takes).

    Examples:
        >>> import tempfile, pathlib
        >>> import minifw as mf
        >>> model = mf.Sequential(mf.Dense(2, 3, rng=0), mf.Sigmoid(), mf.Dense(3, 1, rng=1), mf.Sigmoid())
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
        >>> mf.save(model, path, columns=mf.ColumnNames(("height_cm", "mass_g"), label="label"))
        >>> mf.load_column_names(path)
        ColumnNames(features=('height_cm', 'mass_g'), label='label', classes=None)
    """
    return _read(path).columns


def _take_parameters(file: _ModelFile, expected: dict[str, tuple[Shape, np.dtype[Any]]]) -> dict[str, npt.NDArray[Any]]:
    """The parameter arrays of the file, checked against ``expected`` names, shapes and dtypes."""
    path, entries, dtype = file.name, file.entries, file.dtype
    found = [name for name in entries if name not in _METADATA]
    missing = [name for name in expected if name not in entries]
    unexpected = [name for name in found if name not in expected]
    if missing or unexpected:
        problem = (
            f"its parameters do not match the model: missing {missing or 'none'}, unexpected "
            f"{unexpected or 'none'} (model expects {list(expected)}; file has {found})"
        )
        raise cannot_load(path, problem, "load it into a model of the architecture it was saved from")
    values: dict[str, npt.NDArray[Any]] = {}
    for name, (shape, want) in expected.items():
        array = entries[name]
        if array.dtype.kind != "f" or array.dtype.newbyteorder("=") != dtype:
            raise cannot_load(path, f"{name}: dtype {array.dtype} in file, but the file declares {dtype}", RESAVE)
        if array.shape != shape:
            problem = f"{name}: {array.shape} in file, {shape} expected"
            raise cannot_load(path, problem, "load it into a model of the architecture it was saved from")
        if want != dtype:
            problem = f"{name}: {dtype} in file, {want} in the model"
            raise cannot_load(path, problem, f"build the model with dtype=np.{dtype}")
        if not np.isfinite(array).all():
            raise cannot_load(path, f"{name} holds NaN or inf", "save a model whose training did not diverge")
        values[name] = array
    return values


def _assign(named: dict[str, Parameter], values: dict[str, npt.NDArray[Any]]) -> None:
    """Copy every checked value in place (references stay valid) and zero the gradients."""
    for name, p in named.items():
        p.value[...] = values[name]
        p.grad[...] = 0.0


def load(path: StrPath) -> Sequential:
    """The ``Sequential`` model saved in ``path`` by :func:`save`, bit for bit.

    Rebuilds the built-in layers (``Dense``, ``Sigmoid``, ``Standardizer``) with the saved
    sizes and dtype and copies the parameters in: the same W and b, the same dtype, the same
    μ and σ, the same predictions. Files written by earlier versions of minifw load too.
    For a model with your own layers, build it yourself and use :func:`load_parameters`.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ModelFileError: (a ``ValueError``) the file cannot be loaded; the message names
            the file and the problem: empty, truncated or corrupted; a pickle or an object
            array; missing or unexpected parameters; a shape mismatch; NaN or inf; an
            unknown format version; a compressed entry; an array larger than 1 GiB, a text
            entry larger than 1 MiB, or more than 2 GiB in all (checked before reading).

    Examples:
        >>> import tempfile, pathlib
        >>> import numpy as np
        >>> import minifw as mf
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
        >>> model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
        >>> mf.save(model, path)
        >>> copy = mf.load(path)
        >>> copy
        Sequential(Dense(3 -> 4), Sigmoid(), Dense(4 -> 1), Sigmoid())
        >>> X = np.ones((3, 2))
        >>> bool((copy.forward(X) == model.forward(X)).all())
        True
    """
    return _model(_read(path))


def load_with_column_names(path: StrPath) -> tuple[Sequential, ColumnNames | None]:
    """:func:`load` and :func:`load_column_names` from one reading of ``path`` (a save in between cannot pair the
    column names of one file with the weights of another)."""
    file = _read(path)
    return _model(file), file.columns


def _model(file: _ModelFile) -> Sequential:
    name, dtype, specs = file.name, file.dtype, file.specs
    for spec in specs:
        if "module" in spec:  # a layer of your own, or a Standardizer saved without μ and σ by an older minifw
            problem = (
                f"it holds {spec['kind']} from {spec['module']}, a layer mf.load cannot rebuild (one of your own, "
                "or a Standardizer saved without its mean and std by an older minifw)"
            )
            fix = "build the model yourself (a Standardizer fitted) and call mf.load_parameters(model, path)"
            raise cannot_load(name, problem, fix)
    expected: dict[str, tuple[Shape, np.dtype[Any]]] = {}
    dense = [spec for spec in specs if spec["kind"] == "Dense"]
    for number, spec in enumerate(dense, start=1):
        expected[f"W{number}"] = ((spec["out_features"], spec["in_features"]), dtype)
        expected[f"b{number}"] = ((spec["out_features"], 1), dtype)
    values = _take_parameters(file, expected)
    model = build(specs, dtype)  # its layers chain: _check_specs checked their widths
    _assign(named_parameters(flatten(model)), values)
    return model


def load_parameters(model: Layer, path: StrPath) -> None:
    """Copy the parameters saved in ``path`` into ``model``, which has the saved architecture.

    For models with your own layers (which :func:`load` cannot rebuild): build the model
    as it was when saved, then load its parameters. Values are copied in place, so an
    optimizer holding ``model.parameters()`` keeps working; gradients are set to zero.
    A ``Standardizer`` of the model gets the saved μ and σ (it need not be fitted before).
    If anything does not match (layer kinds and sizes, parameter names, shapes, dtype),
    a ``ModelFileError`` (a ``ValueError``) says what, and ``model`` is left untouched.

    Args:
        model: the model to fill in, with the layers it had when saved.
        path: a file written by :func:`save`.

    Examples:
        >>> import tempfile, pathlib
        >>> import numpy as np
        >>> import minifw as mf
        >>> trained = mf.Sequential(mf.Dense(2, 3, rng=0), mf.Sigmoid(), mf.Dense(3, 1, rng=1))
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
        >>> mf.save(trained, path)
        >>> fresh = mf.Sequential(mf.Dense(2, 3, rng=5), mf.Sigmoid(), mf.Dense(3, 1, rng=6))
        >>> mf.load_parameters(fresh, path)
        >>> bool((fresh[0].W.value == trained[0].W.value).all())
        True
    """
    layers = flatten(_check_model(model, "load_parameters"))
    file = _read(path)
    name, specs = file.name, file.specs
    model_specs = describe(layers)
    if not same_architecture(specs, model_specs):
        problem = (
            f"it holds a model with layers [{format_architecture(specs)}], "
            f"but the model given has layers [{format_architecture(model_specs)}]"
        )
        raise cannot_load(name, problem, "build the model with the layers it was saved with, or use mf.load(path)")
    named = named_parameters(layers)
    expected = {key: (p.value.shape, p.value.dtype) for key, p in named.items()}
    _assign(named, _take_parameters(file, expected))
    for layer, spec in zip(layers, specs, strict=True):
        if isinstance(layer, Standardizer) and "mean" in spec:
            saved = standardizer(spec)
            layer.mean, layer.std = saved.mean, saved.std
