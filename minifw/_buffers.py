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
