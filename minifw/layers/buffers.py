"""Outputs: the arrays a layer writes its results into, recycled once nobody else holds them."""

import sys
from typing import Any

import numpy as np

from ..array import Array

refcount = getattr(sys, "getrefcount", lambda obj: 0)
"""CPython's reference count of an object; 0 where there is none (PyPy), which then always gets new arrays."""


class Outputs:
    """A layer's last few result arrays, handed out again by :meth:`new` once they are free.

    At (d0, h, m) = (100, 256, 100000) each (h, m) array a layer returns holds 200 MB; a new
    one for every result, every step, costs page faults that take about as long as the
    arithmetic in it. So a built-in layer asks its ``Outputs`` for the array to write into with
    ``out=``: :meth:`new` hands back one of the layer's earlier results when no other object
    refers to it any more (no caller, no cache of the next layer, no view of it), and a new
    array otherwise. From the third training step on, the results of the step before last are
    free again (last step's are still in the next layer's cache), so a step allocates almost
    nothing; a result you still hold is never written over. An interpreter that counts
    references differently only gets new arrays more often. Copies and pickles of a layer
    start with no arrays.
    """

    keep = 2
    """How many earlier results to keep: two, since the next layer's cache holds last step's."""

    def __init__(self) -> None:
        self._arrays: list[Array] = []

    def new(self, shape: tuple[int, ...], dtype: np.dtype[Any]) -> Array:
        """An uninitialised array of ``shape`` and ``dtype``: a free earlier result, or a new one."""
        arrays = self._arrays
        for index in range(len(arrays)):
            # Free: referred to by the list and by refcount's argument only, so nobody else can read it.
            if refcount(arrays[index]) == 2 and arrays[index].shape == shape and arrays[index].dtype == dtype:
                arrays.insert(0, arrays.pop(index))
                return arrays[0]
        arrays.insert(0, np.empty(shape, dtype))
        del arrays[self.keep :]
        return arrays[0]

    def __getstate__(self) -> dict[str, Any]:
        return {"_arrays": []}
