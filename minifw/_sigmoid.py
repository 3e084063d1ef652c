"""Sigmoid: the activation a = σ(z) of each "circle"."""

from typing import Any, final

import numpy as np

from ._array import Array
from ._buffers import one, reuse_or_empty
from ._errors import StateError
from ._exp_range import exp_in_range
from ._layer import Layer
from ._probabilities import LossGradient, Probabilities
from ._validation import check_batch, check_same_shape, float_dtype_of


def sigmoid(z: Array) -> Array:
    """σ(z) = 1 / (1 + e^(-z)), elementwise, for any finite z, without floating-point warnings.

    Accurate to a few units in the last place everywhere: for z very negative e^(-z) is
    large and 1 / (1 + e^(-z)) keeps its relative precision. σ(0) = 0.5 exactly and
    σ(±1000) is exactly 1 or 0. Where e^(-z) would overflow (z < -709.78 in float64,
    z < -88.72 in float32) the whole array is computed instead as e^(-|z|) / (1 + e^(-|z|))
    for z < 0 and 1 / (1 + e^(-|z|)) for z >= 0 (e^(...) <= 1, no overflow). Underflow of
    e^(-z) to 0 for large z is the intended result, so it raises no warning even under
    ``np.errstate(all="raise")``. Returns a new array of z's float dtype and shape.
    """
    z_array = np.asarray(z)
    return sigmoid_into(z_array, np.empty(z_array.shape, dtype=float_dtype_of(z_array)))


def sigmoid_into(z: Array, out: Array) -> Array:
    """out = σ(z) = 1 / (1 + e^(-z)), written into ``out`` (same shape as z); returns ``out``.

    Four passes over ``out`` and no temporary array: -z, e^(-z), 1 + e^(-z), the reciprocal
    (:func:`sigmoid_of_negated_into`). If e^(-z) overflows anywhere, it falls back to
    :func:`_sigmoid_saturating_into`. ``z`` is left unchanged (``out`` must not be ``z``).
    """
    np.negative(z, out=out)
    if sigmoid_of_negated_into(out):
        return out
    return _sigmoid_saturating_into(z, out)


def probabilities_of(z: Array) -> Probabilities:
    """a = σ(z) (as :func:`sigmoid_into`) as a new :class:`Probabilities` carrying z."""
    out = np.negative(z)  # -z, a new array: then e^(-z), 1 + e^(-z), the reciprocal in place
    if not sigmoid_of_negated_into(out):
        _sigmoid_saturating_into(z, out)
    a = out.view(Probabilities)
    a.logits = z
    return a


def sigmoid_of_negated_into(out: Array) -> bool:
    """out = 1 / (1 + e^out) = σ(z) for ``out`` holding -z; False (``out`` then undefined) where e^(-z) overflows.

    Underflow is the intended result and raises nothing: e^(-z) → 0 for large z, and σ(z)
    subnormal for z just above -709.78. When :func:`~minifw._exp_range.exp_in_range` shows
    that |z| <= 707, nothing can overflow or underflow and the three passes run bare;
    otherwise under an ``np.errstate`` that turns overflow into the False answer. Both ways
    compute the same numbers.
    """
    if exp_in_range(out):
        np.exp(out, out=out)
        out += one(out.dtype)
        np.reciprocal(out, out=out)
        return True
    try:
        with np.errstate(over="raise", under="ignore"):
            np.exp(out, out=out)
            out += one(out.dtype)
            np.reciprocal(out, out=out)
    except FloatingPointError:
        return False
    return True


def _sigmoid_saturating_into(z: Array, out: Array) -> Array:
    """out = σ(z) as 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0, with e = e^(-|z|) <= 1."""
    with np.errstate(under="ignore"):
        np.abs(z, out=out)
        np.negative(out, out=out)
        np.exp(out, out=out)
        numerator = np.where(z >= 0, 1.0, out).astype(out.dtype, copy=False)
        out += 1.0
        return np.divide(numerator, out, out=out)


def sigmoid_derivative_times(da: Array, a: Array, out: Array) -> Array:
    """out = da ⊙ a ⊙ (1 - a), the slides' D applied to ∂J/∂a, in three passes into ``out``.

    Computed as ((1 - a) ⊙ a) ⊙ da, the same products as da ⊙ (a ⊙ (1 - a)). ``out`` must
    not be ``da`` or ``a``.
    """
    np.subtract(one(a.dtype), a, out=out)
    out *= a
    out *= da
    return out


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

        Memory: called on their own, ``forward`` and ``backward`` return new arrays.
        Inside a :class:`minifw.Sequential`, where a^[l] and ∂J/∂z^[l] only travel to
        the next layer, they are written into arrays kept from the previous step (see
        :class:`minifw.Sequential`, "Buffers").

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> mf.Sigmoid().forward(np.array([[-1000.0, 0.0, 1000.0]]))
        array([[0. , 0.5, 1. ]])
    """

    elementwise = True
    _a: Probabilities | None
    _a_buffer: Array | None
    _ones_buffer: tuple[Array, Array] | None
    _dz_buffer: Array | None

    def __init__(self) -> None:
        self._a = None
        self._a_buffer = None
        self._ones_buffer = None  # a hidden layer's a, over a row of ones (see _dense_sigmoid.py)
        self._dz_buffer = None

    def forward(self, x: Array) -> Array:
        """a = σ(z) for z = ``x`` of shape (d, m); returns a new (d, m) :class:`Probabilities`."""
        return self._forward(x, reuse=False)

    def backward(self, grad: Array) -> Array:
        """∂J/∂z = da ⊙ a(1 - a) for da = ``grad`` of shape (d, m); returns a new array."""
        return self._gradient(grad, reuse=False)

    def _forward(self, x: Array, reuse: bool) -> Array:
        """``forward``; with ``reuse``, a is written into the array of the previous call (see _buffers.py)."""
        z = check_batch(x, "z", None, float_dtype_of(x))
        if reuse:
            out = self._a_buffer = reuse_or_empty(self._a_buffer, z.shape, z.dtype)
        else:
            out = np.empty(z.shape, z.dtype)
        a = Probabilities.wrap(sigmoid_into(z, out), z)
        self._a = a
        return a

    def _backward(self, grad: Array, reuse: bool, input_grad: bool) -> Array | None:
        """``backward``; ``input_grad=False`` only checks ``grad`` (no parameters to set) and returns None."""
        if input_grad:
            return self._gradient(grad, reuse)
        a = self._cached_a()
        if not (isinstance(grad, LossGradient) and grad.a is a):
            check_same_shape(grad, "da", a.shape, a.dtype, "the shape of a from the last forward")
        return None

    def _gradient(self, grad: Array, reuse: bool) -> Array:
        a = self._cached_a()
        if isinstance(grad, LossGradient) and grad.a is a and grad.dz is not None:
            return grad.dz
        da = check_same_shape(grad, "da", a.shape, a.dtype, "the shape of a from the last forward")
        if reuse:
            out = self._dz_buffer = reuse_or_empty(self._dz_buffer, a.shape, a.dtype)
        else:
            out = np.empty(a.shape, a.dtype)
        return sigmoid_derivative_times(da.view(np.ndarray), a.view(np.ndarray), out)

    def __getstate__(self) -> dict[str, Any]:
        """What a copy or a pickle keeps: the cache, no buffers (a copy of a view is no view)."""
        state = self.__dict__.copy()
        state.update(_a_buffer=None, _ones_buffer=None, _dz_buffer=None)
        return state

    def _cached_a(self) -> Probabilities:
        a = self._a
        if a is None:
            message = "Sigmoid.backward() was called before forward(). Fix: call forward(z) first."
            raise StateError(message)
        return a
