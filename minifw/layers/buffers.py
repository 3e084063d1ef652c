"""Outputs: the array a layer writes one kind of result into, reused once nobody else holds it."""

import sys
from typing import Any

import numpy as np

from ..array import Array

refcount = getattr(sys, "getrefcount", lambda obj: 0)
"""CPython's reference count of an object; 0 where there is none (PyPy), which then always gets new arrays."""


class Outputs:
    """The array a layer writes one kind of result into (z, a, ∂J/∂z...), handed out again once it is free.

    At (d0, h, m) = (100, 256, 100000) each (h, m) array a layer returns holds 200 MB; a new
    one for every result, every step, costs page faults that take about as long as the
    arithmetic in it, and an array used again while it is still in the CPU's caches is
    written faster. So a built-in layer asks its ``Outputs`` for the array to write into with
    ``out=``: :meth:`new` hands back the layer's last result when no other object refers to it
    any more (no caller, no cache of another layer, no view of it), and a new array otherwise.
    In training the arrays are free again at the next step, because every layer's ``backward``
    releases its cache (as PyTorch frees what it saved), so each layer keeps one array per
    result and a step allocates almost nothing; a result you still hold is never written over.
    An interpreter that counts references differently only gets new arrays. Copies and pickles
    of a layer start with no array.
    """

    def __init__(self) -> None:
        self._array: Array | None = None

    def new(self, shape: tuple[int, ...], dtype: np.dtype[Any]) -> Array:
        """An uninitialised array of ``shape`` and ``dtype``: the last result if it is free, or a new one."""
        # Free: referred to by this object, by `last` and by refcount's argument only: nobody else can read it.
        last = self._array
        if last is None or refcount(last) > 3 or last.shape != shape or last.dtype != dtype:
            self._array = last = np.empty(shape, dtype)
        return last

    def __getstate__(self) -> dict[str, Any]:
        return {"_array": None}
