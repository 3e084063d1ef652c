"""Sigmoid: the activation a = σ(z) of each "circle"."""

from typing import final

import numpy as np

from ._array import Array
from ._errors import StateError
from ._layer import Layer
from ._probabilities import LossGradient, Probabilities
from ._validation import check_batch, check_same_shape, float_dtype_of


def sigmoid(z: Array) -> Array:
    """σ(z) = 1 / (1 + e^(-z)), elementwise, without overflow for any finite z.

    Computed as 1 / (1 + e^(-|z|)) for z >= 0 and e^(-|z|) / (1 + e^(-|z|)) for z < 0,
    so e^(...) never exceeds 1: no overflow, σ(0) = 0.5 exactly, and σ(±1000) is
    exactly 1 or 0 (the underflow of e^(-1000) to 0 is the intended result).
    """
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(z))
    numerator = np.where(z >= 0, 1.0, e).astype(z.dtype, copy=False)
    e += 1.0
    return np.divide(numerator, e, out=numerator)


@final
class Sigmoid(Layer):
    """a = σ(z) = 1 / (1 + e^(-z)), elementwise; backward multiplies by a(1 - a), the slides' D.

    Forward, for z of shape (d, m): a = σ(z), shape (d, m).

    Backward, given da = ∂J/∂a of shape (d, m):

        ∂J/∂z = da ⊙ a ⊙ (1 - a)                            (d, m)

    For one example this is the product with D = diag(a_j(1 - a_j)) on the slides.

    Notes:
        Cache: only a, as on the slides ("we only need to cache a^[1] and a^[2]").

        Numerical policy: σ is computed stably (see :func:`minifw.sigmoid`): no
        overflow warnings at z = ±1000, outputs exactly 0 or 1 there. The returned a
        is a :class:`minifw.Probabilities` that remembers z, so that
        ``BinaryCrossEntropy`` can compute J from z. When ``backward`` receives the
        loss's gradient for this very output, it returns the exact ∂J/∂z = (a - y)/m
        the loss computed, instead of ∞ · 0 where a rounds to 0 or 1.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> mf.Sigmoid().forward(np.array([[-1000.0, 0.0, 1000.0]]))
        array([[0. , 0.5, 1. ]])
    """

    elementwise = True
    _a: Probabilities | None

    def __init__(self) -> None:
        self._a = None

    def forward(self, x: Array) -> Array:
        """a = σ(z) for z = ``x`` of shape (d, m); returns a (d, m) :class:`Probabilities`."""
        z = check_batch(x, "z", None, float_dtype_of(x))
        a = Probabilities.wrap(sigmoid(z), z)
        self._a = a
        return a

    def backward(self, grad: Array) -> Array:
        """∂J/∂z = da ⊙ a(1 - a) for da = ``grad`` of shape (d, m)."""
        a = self._a
        if a is None:
            message = "Sigmoid.backward() was called before forward(). Fix: call forward(z) first."
            raise StateError(message)
        if isinstance(grad, LossGradient) and grad.a is a and grad.dz is not None:
            return grad.dz
        da = check_same_shape(grad, "da", a.shape, a.dtype, "the shape of a from the last forward")
        a_plain = a.view(np.ndarray)
        return da * (a_plain * (1.0 - a_plain))
