"""NotComputed: what a ``Dense`` with ``input_grad = False`` returns instead of ∂J/∂x."""

from typing import Any

import numpy as np

from ..array import Array
from ..errors import StateError

MESSAGE = (
    "∂J/∂x, the gradient with respect to the network's input, was not computed: "
    "Sequential.backward(grad) skips it unless asked, because training never uses it and it costs "
    "a matrix product as large as ∂J/∂W^[1]. Fix: call model.backward(grad, input_grad=True) "
    "(or set input_grad = True on the first layer)."
)


class NotComputed(np.ndarray[tuple[int, ...], np.dtype[np.floating[Any]]]):
    """Stands in for ∂J/∂x that was not computed; it has the shape and dtype of x.

    Any use of its values (arithmetic, comparison, indexing, a NumPy function, ``float``,
    ``tolist``) raises :class:`minifw.StateError` saying how to get the real gradient. It holds
    no memory (a read-only, zero-stride view of one NaN).
    """

    def refuse(self, *args: Any, **kwargs: Any) -> Any:
        """Raise :class:`minifw.StateError`: there is no value to use."""
        raise StateError(MESSAGE)

    __array_ufunc__ = __array_function__ = __getitem__ = __float__ = __bool__ = __iter__ = tolist = refuse

    def __repr__(self) -> str:
        return f"NotComputed(shape={self.shape}, dtype={self.dtype}): {MESSAGE}"


def not_computed(shape: tuple[int, ...], dtype: np.dtype[Any]) -> Array:
    """A :class:`NotComputed` of ``shape`` and ``dtype`` (no memory: a broadcast NaN)."""
    nan = np.array(np.nan, dtype=dtype)
    placeholder = NotComputed(shape, dtype, buffer=nan, strides=(0,) * len(shape))  # every entry the one NaN
    placeholder.flags.writeable = False
    return placeholder
