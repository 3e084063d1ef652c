"""Sigmoid: the activation a = σ(z) of each "circle"."""

from typing import final

import numpy as np

from ..array import Array
from ..errors import StateError
from ..probabilities import LossGradient, Probabilities
from ..validation import check_batch, check_same_shape, float_dtype_of
from .buffers import Outputs
from .layer import Layer, no_cache_message


def sigmoid(z: Array) -> Array:
    """σ(z) = 1 / (1 + e^(-z)), elementwise, for any z, without floating-point warnings.

    Accurate to a few units in the last place everywhere: for z very negative e^(-z) is large
    and 1 / (1 + e^(-z)) keeps its relative precision. σ(0) = 0.5 exactly and σ(±1000) is
    exactly 1 or 0. Where e^(-z) would overflow (z < -709.78 in float64, z < -88.72 in float32)
    the array is computed instead as e^(-|z|) / (1 + e^(-|z|)) for z < 0 and 1 / (1 + e^(-|z|))
    for z >= 0, so σ(-720) is the subnormal e^-720, not 0. Underflow to 0 or to a subnormal is
    the intended result and raises no warning, even under ``np.errstate(all="raise")``.
    Returns a new array of z's float dtype and shape.
    """
    z_array = np.asarray(z)
    return sigmoid_into(z_array, np.empty(z_array.shape, dtype=float_dtype_of(z_array)))


def sigmoid_into(z: Array, out: Array) -> Array:
    """out = σ(z) = 1 / (1 + e^(-z)), written into ``out`` (same shape as z, not z itself); returns ``out``."""
    try:
        with np.errstate(over="raise", under="ignore"):  # e^(-z) = 0 for large z gives σ = 1, as it should
            np.negative(z, out=out)  # -z
            np.exp(out, out=out)  # e^(-z)
            out += 1.0  # 1 + e^(-z)
            return np.reciprocal(out, out=out)  # σ(z) = 1 / (1 + e^(-z))
    except FloatingPointError:  # e^(-z) overflowed (z < -709.78): σ(z) = e^z / (1 + e^z) there, not 0
        with np.errstate(under="ignore"):
            e = np.exp(-np.abs(z))  # e^(-|z|) <= 1: no overflow
            return np.divide(np.where(z >= 0, 1.0, e), 1.0 + e, out=out)


@final
class Sigmoid(Layer):
    """a = σ(z) = 1 / (1 + e^(-z)), elementwise; backward multiplies by a(1 - a), the slides' D.

    Forward, for z of shape (d, m): a = σ(z), shape (d, m).

    Backward, given da = ∂J/∂a of shape (d, m):

        ∂J/∂z = da ⊙ a ⊙ (1 - a)                            (d, m)

    For one example this is the product with D = diag(a_j(1 - a_j)) on the slides.

    Notes:
        Cache: only a, as on the slides ("we only need to cache a^[1] and a^[2]"); ``backward``
        releases it, as PyTorch frees what it saved, so a second ``backward`` after one
        ``forward`` raises :class:`minifw.StateError`.

        Numerical policy: σ is computed stably (see :func:`minifw.sigmoid`): no
        overflow warnings at z = ±1000, outputs exactly 0 or 1 there. The returned a
        is a :class:`minifw.Probabilities` that remembers z, so that
        ``BinaryCrossEntropy`` can compute J from z. When ``backward`` receives the
        loss's gradient for this very output, it returns the exact ∂J/∂z = (a - y)/m
        the loss computed, instead of ∞ · 0 where a rounds to 0 or 1.

        Memory: a and ∂J/∂z are written with ``out=`` into one array each that the layer
        keeps (:class:`~minifw.layers.buffers.Outputs`), reused only once nobody else holds it.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> mf.Sigmoid().forward(np.array([[-1000.0, 0.0, 1000.0]]))
        array([[0. , 0.5, 1. ]])
    """

    elementwise = True

    def __init__(self) -> None:
        self._a: Probabilities | None = None  # the cache: backward needs only a, and then releases it
        self._released = False  # whether backward has run since the last forward
        self._a_arrays, self._dz_arrays = Outputs(), Outputs()

    def forward(self, x: Array) -> Array:
        """a = σ(z) for z = ``x`` of shape (d, m); returns a (d, m) :class:`Probabilities` carrying z."""
        z = check_batch(x, "z", None, float_dtype_of(x))
        a = sigmoid_into(z, self._a_arrays.new(z.shape, z.dtype))  # a = σ(z)
        self._a, self._released = Probabilities.wrap(a, logits=z), False
        return self._a

    def backward(self, grad: Array) -> Array:
        """∂J/∂z = da ⊙ a(1 - a) for da = ``grad`` of shape (d, m)."""
        a = self._a
        if a is None:
            raise StateError(no_cache_message("Sigmoid", "z", self._released))
        if isinstance(grad, LossGradient) and grad.a is not None and grad.dz is not None:
            if grad.a is not a:
                message = (
                    "Sigmoid.backward() got the loss's gradient for the output of an earlier forward: another "
                    "forward ran in between (mf.predict, say), so the cached a is not the one J was computed at. "
                    "Fix: call loss.forward(model.forward(X), Y) again right before model.backward(loss.backward())."
                )
                raise StateError(message)
            self._a, self._released = None, True  # the cache is released: the step's arrays are free again
            return grad.dz  # the loss's exact ∂J/∂z = (a - y)/m, also where a rounds to 0 or 1
        da = check_same_shape(grad, "da", a.shape, a.dtype, "the shape of a from the last forward")
        self._a, self._released = None, True  # the cache is released: the step's arrays are free again
        dz = self._dz_arrays.new(a.shape, a.dtype)
        np.subtract(1.0, a, out=dz)  # 1 - a
        dz *= a  # a ⊙ (1 - a), the diagonal of the slides' D
        dz *= da  # ∂J/∂z = da ⊙ a ⊙ (1 - a)
        return dz
