"""BinaryCrossEntropy: the slides' cost J for a binary response y ∈ {0, 1}."""

from typing import final

import numpy as np

from ..array import Array
from ..errors import StateError
from ..probabilities import LossGradient, Probabilities
from ..validation import check_batch, check_in_unit_interval, check_same_shape, float_dtype_of
from .loss import Loss

LOG_FLOOR = -100.0
"""log(a) is clamped here when J is computed from probabilities (PyTorch's BCELoss does the same)."""


@final
class BinaryCrossEntropy(Loss):
    """J = (1/m) Σ_i L_i with L = -{y log a + (1 - y) log(1 - a)}, over the m columns.

    For one example (m = 1) this is the slides' J = L. Forward takes a = a^[L] and the
    labels y, both of shape (1, m) (any (d, m) works; J then sums over all entries and
    divides by m). Backward returns

        ∂J/∂a = (1/m) {-y / a + (1 - y) / (1 - a)}          (d, m)

    and, when a came from a :class:`minifw.Sigmoid`, lets that Sigmoid return the
    exact ∂J/∂z = (a - y)/m of the slides (∂J/∂b^[2] = a^[2] - y for m = 1).

    Notes:
        Numerical policy. When ``a`` is the output of a ``Sigmoid``
        (a :class:`minifw.Probabilities`), J is computed from the logits z as
        L = max(z, 0) - y z + log(1 + e^(-|z|)), which equals the slides' L, is finite for
        every z and keeps its precision where a rounds to 0 or 1: at z = 50, y = 0 it is
        log(1 + e^50) ≈ 50, although a rounds to exactly 1.0 there. 1 - a is then σ(-z),
        from the same e^(-|z|), exact too. The gradient reaching z is (a - y)/m exactly, including where ∂J/∂a
        itself is infinite. For plain probabilities (from your own layer), log a and
        log(1 - a) are clamped at -100, as in PyTorch's ``BCELoss``.

        Cache: a, 1 - a and y, what ``backward`` needs. 1/m lives here: the gradient returned
        already carries it, so the layers below only sum over columns.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> loss = mf.BinaryCrossEntropy()
        >>> round(loss.forward(np.array([[0.5, 0.5]]), np.array([[0.0, 1.0]])), 6)
        0.693147
        >>> loss.backward()
        array([[ 1., -1.]])
    """

    def __init__(self) -> None:
        self._a: Array | None = None  # the cache: backward needs a, 1 - a and y
        self._one_minus_a: Array | None = None
        self._y: Array | None = None

    def forward(self, a: Array, y: Array) -> float:
        """J for predictions ``a`` and labels ``y``, both (d, m) with entries in [0, 1]."""
        a = check_batch(a, "a", None, float_dtype_of(a))
        y = check_same_shape(y, "y", a.shape, a.dtype, "the shape of a")
        check_in_unit_interval(y, "y", "labels")
        z = a.logits if isinstance(a, Probabilities) else None
        if z is not None:  # from the logits z: exact also where a rounds to 0 or 1
            with np.errstate(under="ignore"):  # e^(-|z|) = 0 for |z| > 745 is the right value
                e = np.exp(-np.abs(z))  # e^(-|z|) <= 1
                L = np.maximum(z, 0.0) - y * z + np.log1p(e)  # L = max(z, 0) - y z + log(1 + e^(-|z|))
                one_minus_a: Array = np.where(z < 0.0, 1.0, e) / (1.0 + e)  # 1 - a = σ(-z)
        else:  # L = -{y log a + (1 - y) log(1 - a)}, each log at least -100
            check_in_unit_interval(a, "a", "probabilities")
            one_minus_a = 1.0 - a
            with np.errstate(divide="ignore"):  # log 0 = -inf, then clamped
                L = -(y * np.maximum(np.log(a), LOG_FLOOR) + (1.0 - y) * np.maximum(np.log(one_minus_a), LOG_FLOOR))
        self._a, self._one_minus_a, self._y = a, one_minus_a, y
        return float(L.sum()) / int(a.shape[1])

    def backward(self) -> Array:
        """∂J/∂a, shape (d, m), for the ``a`` and ``y`` of the last ``forward``."""
        a, one_minus_a, y = self._a, self._one_minus_a, self._y
        if a is None or one_minus_a is None or y is None:
            message = "BinaryCrossEntropy.backward() was called before forward(). Fix: call forward(a, y) first."
            raise StateError(message)
        m = a.shape[1]
        with np.errstate(divide="ignore", over="ignore"):  # ∂J/∂a is ±inf where a is 0 or 1 (or nearly)
            da: Array = np.divide(1.0 - y, one_minus_a, out=np.zeros(a.shape, a.dtype), where=y != 1.0)
            da -= np.divide(y, a, out=np.zeros(a.shape, a.dtype), where=y != 0.0)
        da /= m  # ∂J/∂a = (1/m) {(1 - y)/(1 - a) - y/a}, a term of weight 0 is 0
        if not isinstance(a, Probabilities) or a.logits is None:
            return da
        return LossGradient.wrap(da, (a - y) / m, a)  # ∂J/∂z = (a - y)/m, the slides' closed form
