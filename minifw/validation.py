"""Input checks shared by the layers: cheap (O(1)) on the hot path, with messages that teach."""

import numbers
from collections.abc import Iterator
from typing import Any, TypeGuard

import numpy as np
import numpy.typing as npt

from .array import Array
from .errors import ArchitectureError, DTypeError, ShapeError, ValueRangeError


def generator(value: object, name: str, keyword: str, negative_int_error: type[ValueError]) -> np.random.Generator:
    """``value`` as a ``numpy.random.Generator``: a Generator itself, a non-negative int seed, or None (fresh entropy).

    ``name`` is what the message calls it, ``keyword`` the argument in the fix. NumPy's global
    random state is never used. A negative int raises ``negative_int_error``
    (a ValueError subclass); anything else raises :class:`DTypeError`.
    """
    if isinstance(value, np.random.Generator):
        return value
    if value is None:
        return np.random.default_rng()
    message = (
        f"{name} must be a numpy.random.Generator, a non-negative int seed or None, got {value!r}. "
        f"Fix: pass e.g. {keyword}=0 for repeatable results."
    )
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if int(value) >= 0:
            return np.random.default_rng(int(value))
        raise negative_int_error(message)
    raise DTypeError(message)


def check_layer_size(value: object, name: str) -> int:
    """``value`` as an int, a number of neurons; raise :class:`ArchitectureError` unless it is a positive integer."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) <= 0:
        message = (
            f"Dense {name} must be a positive integer (a number of neurons), got {value!r}. "
            f"Fix: pass e.g. Dense(3, 4) for d^[l-1] = 3 inputs and d^[l] = 4 neurons."
        )
        raise ArchitectureError(message)
    return int(value)


def check_float_dtype(dtype: npt.DTypeLike, name: str) -> np.dtype[Any]:
    """``dtype`` as a NumPy float dtype; raise :class:`ArchitectureError` unless it is one."""
    try:
        float_dtype: np.dtype[Any] | None = np.dtype(dtype)
    except TypeError:
        float_dtype = None
    if float_dtype is None or float_dtype.kind != "f":
        message = (
            f"{name} must be a float dtype, got {dtype!r}. Fix: pass dtype=np.float64 (the default) or np.float32."
        )
        raise ArchitectureError(message)
    return float_dtype


def check_in_unit_interval(x: Array, name: str, what: str) -> None:
    """Raise :class:`ValueRangeError` unless every entry of ``x`` lies in [0, 1] (NaN fails too)."""
    low, high = x.min(), x.max()
    if not (low >= 0.0 and high <= 1.0):
        message = (
            f"{name} must hold {what} in [0, 1] with no NaN; got values from {low} to {high}. "
            f"Fix: check {name} (labels are 0 or 1; probabilities come from a Sigmoid)."
        )
        raise ValueRangeError(message)


def is_plain(x: object) -> TypeGuard[Array]:
    """True for an ndarray minifw computes with as it is: not a matrix (``*`` multiplies those) nor masked."""
    return isinstance(x, np.ndarray) and not isinstance(x, np.matrix | np.ma.MaskedArray)


def as_float_array(x: object, name: str, dtype: npt.DTypeLike) -> Array:
    """Return ``x`` as a plain array of ``dtype``; no copy when it already is one.

    Integers and booleans are accepted and converted, and so are nested lists and NumPy
    matrices. Complex, object and string data, masked arrays (their mask would be ignored),
    iterators and ragged nested sequences raise a :class:`DTypeError` or :class:`ShapeError`.
    """
    if isinstance(x, np.ma.MaskedArray):
        message = f"{name} is a masked array: its mask would be ignored. Fix: drop or fill the masked entries first."
        raise DTypeError(message)
    if isinstance(x, Iterator):
        message = f"{name} is an iterator ({type(x).__name__}), not an array. Fix: pass np.array(list(...))."
        raise DTypeError(message)
    try:
        arr: npt.NDArray[Any] = np.asarray(x) if is_plain(x) else np.asarray(x).view(np.ndarray)
    except ValueError:  # a ragged nested sequence: rows of different lengths
        message = f"{name} has rows of different lengths, so it is no (d, m) array. Fix: give every row m numbers."
        raise ShapeError(message) from None
    if arr.dtype.kind not in "fiub":
        message = (
            f"{name} must hold real numbers, got array of shape {arr.shape} and dtype {arr.dtype}. "
            "Fix: convert it with np.asarray(..., dtype=float) first."
        )
        raise DTypeError(message)
    if arr.dtype != dtype:
        arr = arr.astype(dtype)
    return arr


def float_dtype_of(x: object) -> np.dtype[Any]:
    """The dtype minifw computes ``x`` in: its own if it is a float array, else float64."""
    return x.dtype if isinstance(x, np.ndarray) and x.dtype.kind == "f" else np.dtype(np.float64)


def check_batch(x: object, name: str, rows: int | None, dtype: npt.DTypeLike) -> Array:
    """Check that ``x`` is a (rows, m) batch with m >= 1, one column per example.

    ``rows=None`` accepts any number of rows. Returns ``x`` as an array of ``dtype``
    (no copy when it already is one).
    """
    if (  # the common case, in O(1): already a non-empty (rows, m) array of the right dtype
        is_plain(x)
        and x.ndim == 2
        and x.dtype == dtype
        and (x.shape[0] == rows if rows is not None else x.shape[0] > 0)
        and x.shape[1] > 0
    ):
        return x
    arr = as_float_array(x, name, dtype)
    shape_text = f"({'d' if rows is None else rows}, m)"
    if arr.ndim != 2:
        if arr.ndim == 1:
            hint = (
                f"a single example is a column: use {name}.reshape(-1, 1); "
                f"m examples of one feature are a row: use {name}.reshape(1, -1)"
            )
        elif arr.ndim == 0:
            hint = f"wrap the scalar as np.array([[{name}]])"
        else:
            hint = f"flatten each example into a column, so {name} has shape {shape_text}"
        message = (
            f"{name} must be 2-D with shape {shape_text}, one column per example; "
            f"got a {arr.ndim}-D array of shape {arr.shape}. Fix: {hint}."
        )
        raise ShapeError(message)
    d, m = arr.shape
    if rows is not None and d != rows:
        if m == rows:
            hint = f"it looks transposed (examples as rows): pass {name}.T"
        else:
            hint = f"give {rows} rows (features), one column per example"
        message = f"{name} must have shape ({rows}, m); got {arr.shape}. Fix: {hint}."
        raise ShapeError(message)
    if m == 0:
        message = f"{name} has shape {arr.shape}: no examples (m = 0). Fix: pass at least one column (example)."
        raise ShapeError(message)
    if d == 0:
        message = f"{name} has shape {arr.shape}: no features (0 rows). Fix: give at least one row, one per feature."
        raise ShapeError(message)
    return arr


def check_same_shape(x: object, name: str, shape: tuple[int, ...], dtype: npt.DTypeLike, why: str) -> Array:
    """Check that ``x`` has exactly ``shape`` (no broadcasting); ``why`` names the array it must match."""
    if is_plain(x) and x.shape == shape and x.dtype == dtype:  # the common case, in O(1)
        return x
    arr = as_float_array(x, name, dtype)
    if arr.shape != shape:
        hint = f" Fix: pass an array of shape {shape}."
        if arr.ndim == 1 or (arr.ndim == 2 and arr.shape == shape[::-1]):
            hint = f" Fix: reshape it with {name}.reshape{shape}."
        elif arr.ndim == 2 and len(shape) == 2 and arr.shape[0] == shape[0]:
            hint = (
                f" The numbers of examples differ: m = {arr.shape[1]} columns in {name}, {shape[1]} expected."
                f" Fix: pass one column per example, as many as in {why}."
            )
        message = f"{name} must have shape {shape} ({why}); got {arr.shape}.{hint}"
        raise ShapeError(message)
    return arr
