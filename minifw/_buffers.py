"""Reusable output buffers: what lets a training step allocate (almost) nothing.

Inside a :class:`minifw.Sequential`, the arrays that only travel between layers (z^[1] and
a^[1] forward, ∂J/∂a^[1] and ∂J/∂z^[1] backward) are written with ``out=`` into arrays each
layer keeps from one call to the next, as long as the shapes stay the same. Fresh arrays for
them every step cost page faults and memory traffic at large sizes. The arrays a caller gets
back from ``Sequential`` (the network's output, ∂J/∂x) and from a layer called on its own
are always new.
"""

from typing import Any

import numpy as np

from ._array import Array


def reuse_or_empty(buffer: Array | None, shape: tuple[int, ...], dtype: np.dtype[Any]) -> Array:
    """``buffer`` itself if it has ``shape`` and ``dtype``, else a new uninitialised array.

    The caller stores the result and passes it back next time.
    """
    if buffer is not None and buffer.shape == shape and buffer.dtype == dtype:
        return buffer
    return np.empty(shape, dtype)


def over_a_row_of_ones(
    buffer: tuple[Array, Array] | None, shape: tuple[int, int], dtype: np.dtype[Any]
) -> tuple[Array, Array]:
    """(array, top): a (d + 1, m) array whose last row is ones, and its top d rows, for ``shape`` = (d, m).

    ``buffer`` itself when it has that shape and dtype (the ones are never written over: only
    the top rows are), else a new one. What goes into the top rows, x or a^[l], makes the array
    [x; 1] that folds a bias into a matrix product (see :meth:`Dense.z_into <minifw.Dense>`).
    """
    if buffer is None or buffer[1].shape != shape or buffer[0].dtype is not dtype:
        array = np.ones((shape[0] + 1, shape[1]), dtype)
        buffer = array, array[: shape[0]]
    return buffer


_ONES: dict[tuple[tuple[int, ...], np.dtype[Any]], Array] = {}


def ones_like_cached(x: Array) -> Array:
    """A read-only array of ones with the shape and dtype of ``x``, made once per shape and dtype.

    Σ x is then ``np.vdot(x, ones)``: one BLAS dot product, cheaper than ``np.sum`` for the small
    arrays of a training step. Up to 64 shapes are kept.
    """
    key = (x.shape, x.dtype)
    ones = _ONES.get(key)
    if ones is None:
        if len(_ONES) >= 64:
            _ONES.clear()
        ones = _ONES[key] = np.ones(x.shape, x.dtype)
        ones.flags.writeable = False
    return ones


_SCALARS: dict[tuple[float, np.dtype[Any]], Array] = {}


def scalar(value: float, dtype: np.dtype[Any]) -> Array:
    """``value`` as a read-only 0-d array of ``dtype``, made once per value and dtype (up to 64 kept).

    For the constants of a step (the 1 of 1 + e^(-z) and 1 - a, the m of (a - y)/m, the α of
    α ∂J/∂θ). A ufunc converts a Python number to the other operand's dtype on every call,
    which at the slides' sizes costs about 0.17 µs (0.3 µs for an int) on top of the 0.4 µs of
    the call itself; a 0-d array of that same dtype needs no conversion. The numbers are the
    same: it holds the value converted to ``dtype`` once, as the ufunc would.
    """
    key = (value, dtype)
    array = _SCALARS.get(key)
    if array is None:
        if len(_SCALARS) >= 64:
            _SCALARS.clear()
        array = _SCALARS[key] = np.array(value, dtype)
        array.flags.writeable = False
    return array


_FLOAT64 = np.dtype(np.float64)
_ONE_FLOAT64 = scalar(1.0, _FLOAT64)


def one(dtype: np.dtype[Any]) -> Array:
    """1 as a read-only 0-d array of ``dtype`` (see :func:`scalar`), at once for float64."""
    return _ONE_FLOAT64 if dtype is _FLOAT64 else scalar(1.0, dtype)
