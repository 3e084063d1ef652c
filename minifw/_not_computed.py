"""The value ``Sequential.backward`` returns when ∂J/∂x was not asked for."""

from typing import Any

import numpy as np

from ._array import Array
from ._errors import StateError

_MESSAGE = (
    "∂J/∂x, the gradient with respect to the network's input, was not computed: "
    "Sequential.backward(grad) skips it unless asked, because training never uses it and it costs "
    "a matrix product as large as ∂J/∂W^[1]. Fix: call model.backward(grad, input_grad=True)."
)


class NotComputed(np.ndarray[tuple[int, ...], np.dtype[np.floating[Any]]]):
    """Stands in for ∂J/∂x that was not computed; it has the shape and dtype of x.

    Any computation with it (arithmetic, comparison, indexing, a NumPy function) raises
    :class:`minifw.StateError` saying how to get the real gradient. It holds no memory
    (a read-only, zero-stride view of one NaN).
    """

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        raise StateError(_MESSAGE)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        raise StateError(_MESSAGE)

    def __getitem__(self, key: Any) -> Any:
        raise StateError(_MESSAGE)

    def __float__(self) -> float:
        raise StateError(_MESSAGE)

    def __bool__(self) -> bool:
        raise StateError(_MESSAGE)

    def __iter__(self) -> Any:
        raise StateError(_MESSAGE)

    def tolist(self) -> Any:
        raise StateError(_MESSAGE)

    def __repr__(self) -> str:
        return f"NotComputed(shape={self.shape}, dtype={self.dtype}): {_MESSAGE}"

    __str__ = __repr__


def not_computed(shape: tuple[int, ...], dtype: np.dtype[Any]) -> Array:
    """A :class:`NotComputed` of ``shape`` and ``dtype`` (no memory: a broadcast NaN)."""
    view: Array = np.broadcast_to(np.array(np.nan, dtype=dtype), shape).view(NotComputed)
    return view
