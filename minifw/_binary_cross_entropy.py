"""BinaryCrossEntropy: the slides' cost J for a binary response y ∈ {0, 1}."""

from typing import final

import numpy as np

from ._array import Array
from ._buffers import one, ones_like_cached, scalar
from ._errors import StateError, ValueRangeError
from ._exp_range import exp_in_range
from ._loss import Loss
from ._probabilities import LossGradient, Probabilities
from ._sigmoid import sigmoid
from ._validation import check_batch, check_same_shape, float_dtype_of

_LOG_FLOOR = -100.0
"""log(a) is clamped here on the plain-probabilities path (PyTorch's BCELoss does the same)."""


def _check_in_unit_interval(x: Array, name: str, what: str) -> None:
    """Raise unless every entry of ``x`` lies in [0, 1] (NaN fails too). One pass each for min and max."""
    low, high = np.minimum.reduce(x, axis=None), np.maximum.reduce(x, axis=None)
    if not (low >= 0.0 and high <= 1.0):
        message = (
            f"{name} must hold {what} in [0, 1] with no NaN; got values from {low} to {high}. "
            f"Fix: check {name} (labels are 0 or 1; probabilities come from a Sigmoid)."
        )
        raise ValueRangeError(message)


def _check_labels(y: Array, one_minus_y: Array) -> None:
    """Raise unless every label lies in [0, 1] (NaN fails too), as min(y, 1 - y) >= 0: one pass, one reduction.

    1 - y is exact for 1/2 <= y <= 2 (Sterbenz), so it is negative exactly where y > 1.
    """
    if not np.minimum.reduce(np.minimum(y, one_minus_y), axis=None) >= 0.0:
        _check_in_unit_interval(y, "y", "labels")  # raises, naming the range found


def labels_are_hard(y: Array, one_minus_y: Array) -> bool:
    """True when every label is exactly 0 or 1: two counts of nonzero entries, no arithmetic.

    For each entry, y and 1 - y are never both 0, and exactly one of them is 0 when y is 0 or 1
    (1 - y is exact near 1, so it is 0 only at y = 1). Every other value, NaN and ±inf included,
    makes both nonzero. So the two counts add up to the number of entries exactly when all
    labels are hard.
    """
    return int(np.count_nonzero(y)) + int(np.count_nonzero(one_minus_y)) == y.size


def cost_sum_from_logits(z: Array, y: Array, one_minus_y: Array) -> float:
    """Σ L over all entries, L = -{y log a + (1 - y) log(1 - a)} with a = σ(z), from the logits z.

    Since -log σ(z) = softplus(-z), -log(1 - σ(z)) = softplus(z) and
    softplus(t) = log(1 + e^t) = max(t, 0) + log(1 + e^(-|t|)) (no overflow for any t):

        Σ L = Σ log(1 + e^(-|z|)) + Σ (1 - y) max(z, 0) + Σ y max(-z, 0)

    Three sums of terms >= 0, so nothing cancels: at z = 50 and y = 1, L = log(1 + e^-50)
    ≈ 2e-22 comes out to full relative precision, and at z = 50, y = 0, L ≈ 50. (``exp`` and
    ``log1p`` are vectorised in NumPy; ``np.logaddexp`` is many times slower per entry.)
    """
    t = np.abs(z)
    np.negative(t, out=t)
    if exp_in_range(t):  # e^(-|z|) cannot underflow: no np.errstate needed
        np.exp(t, out=t)
    else:
        with np.errstate(under="ignore"):  # e^(-|z|) underflowing to 0 is the intended result
            np.exp(t, out=t)
    np.log1p(t, out=t)
    total = float(np.add.reduce(t, axis=None))
    np.maximum(z, 0.0, out=t)
    total += float(np.vdot(one_minus_y, t))
    np.minimum(z, 0.0, out=t)
    return total - float(np.vdot(y, t))  # y min(z, 0) = -y max(-z, 0) <= 0


def hard_label_cost_sum(z: Array, y: Array, one_minus_y: Array) -> tuple[float, Array, Array] | None:
    """Σ L and, for the gradient, s = 1 - 2y and e^(s z): the cost when every label is 0 or 1.

    For y = 1, L = -log σ(z) = log(1 + e^(-z)); for y = 0, L = -log(1 - σ(z)) = log(1 + e^z).
    Both are L = log(1 + e^(s z)) with the sign s = 1 - 2y ∈ {+1, -1}, and log1p(e^(s z)) is
    accurate for every s z where e^(s z) is finite: at z = 50, y = 1 it gives log1p(e^-50) ≈ 2e-22
    to full relative precision, at z = 50, y = 0 it gives 50. The same e^(s z) gives the gradient,
    m ∂J/∂a = s (1 + e^(s z)) (:meth:`BinaryCrossEntropy.backward`). Four passes (s, s z, e^(s z),
    log1p) and a dot product with ones for the sum, instead of the eight passes of
    :func:`cost_sum_from_logits`.

    Returns None where e^(s z) overflows (s z > 709.78 in float64); the caller then takes the
    general path. Underflow of e^(s z) to 0 is the intended result (L ≈ e^(s z) ≈ 0).
    """
    signs = np.subtract(one_minus_y, y)  # exact: 1 - 0 = 1, 0 - 1 = -1
    e = np.multiply(signs, z)
    if exp_in_range(e):  # |s z| <= 707: nothing overflows or underflows, no np.errstate needed
        np.exp(e, out=e)
        L = np.log1p(e)
    else:
        try:
            with np.errstate(over="raise", under="ignore"):
                np.exp(e, out=e)
                L = np.log1p(e)
        except FloatingPointError:
            return None
    return float(np.vdot(L, ones_like_cached(L))), signs, e


def gradient_times_m_from_logits(z: Array, a: Array, y: Array, one_minus_y: Array) -> Array:
    """m ∂J/∂a = (1 - y)/(1 - a) - y/a for a = σ(z), a new (d, m) array.

    1/(1 - a) is computed as 1 + e^z, exact also where a rounds to 1 (z >= 37). Where that
    overflows (z > 709.78) or a is exactly 0 (z < -745), ∂J/∂a is infinite or 0/0 in the
    formula; those batches take :func:`_gradient_times_m_saturated`, which returns ±inf
    there, or 0 where the label's weight is 0. (Labels that are all 0 or 1 take
    :func:`hard_label_cost_sum` instead, unless e^(s z) overflows.)
    """
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            return _gradient_times_m(z, a, y, one_minus_y)
    except FloatingPointError:
        return _gradient_times_m_saturated(sigmoid(-z), a, y, one_minus_y)


def _gradient_times_m(z: Array, a: Array, y: Array, one_minus_y: Array) -> Array:
    """m ∂J/∂a = (1 - y)(1 + e^z) - y/a, a new (d, m) array."""
    da = np.exp(z)
    da += 1.0
    da *= one_minus_y
    da -= np.divide(y, a)
    return da


def _gradient_times_m_saturated(one_minus_a: Array, a: Array, y: Array, one_minus_y: Array) -> Array:
    """m ∂J/∂a = (1 - y)/(1 - a) - y/a, each term 0 where its label weight is 0 (even if a is 0 or 1)."""
    with np.errstate(divide="ignore", over="ignore"):  # ∂J/∂a is infinite where a rounds to 0 or 1
        da = -np.divide(y, a, out=np.zeros_like(a), where=y != 0)
        da += np.divide(one_minus_y, one_minus_a, out=np.zeros_like(a), where=one_minus_y != 0)
    return da


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
        (a :class:`minifw.Probabilities`), J is computed from the logits z: for labels
        that are all 0 or 1 as L = log(1 + e^(s z)) with the sign s = 1 - 2y, otherwise as
        L = max(z, 0) - y z + log(1 + e^(-|z|)). Both equal the slides' L, are finite for
        every finite z and never understate the error: at z = 50, y = 0 it is
        log(1 + e^50) ≈ 50, although a rounds to exactly 1.0 there. The gradient reaching z is (a - y)/m exactly,
        including where ∂J/∂a itself is infinite. For plain probabilities (from your own
        layer), log a and log(1 - a) are clamped at -100, as in PyTorch's ``BCELoss``.

        Cache: a and y (and m), what ``backward`` needs. 1/m lives here: the gradient
        returned already carries it, so the layers below only sum over columns.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> loss = mf.BinaryCrossEntropy()
        >>> round(loss.forward(np.array([[0.5, 0.5]]), np.array([[0.0, 1.0]])), 6)
        0.693147
        >>> loss.backward()
        array([[ 1., -1.]])
    """

    _a: Array | None
    _y: Array | None
    _one_minus_y: Array | None
    _softplus: tuple[Array, Array, Probabilities] | None

    def __init__(self) -> None:
        self._a = None
        self._y = None
        self._one_minus_y = None
        self._softplus = None

    def forward(self, a: Array, y: Array) -> float:
        """J for predictions ``a`` and labels ``y``, both (d, m) with entries in [0, 1]."""
        if type(a) is Probabilities and type(y) is np.ndarray and y.shape == a.shape and y.dtype is a.dtype and a.size:
            a_checked: Array = a
            y_checked: Array = y  # the common case in O(1): a Sigmoid's output (float) and labels like it
            if a.ndim != 2:
                a_checked = check_batch(a, "a", None, a.dtype)  # raises, naming the shape
        else:
            a_checked = check_batch(a, "a", None, float_dtype_of(a))
            y_checked = check_same_shape(y, "y", a_checked.shape, a_checked.dtype, "the shape of a")
        one_minus_y = np.subtract(one(y_checked.dtype), y_checked)
        hard = labels_are_hard(y_checked, one_minus_y)
        if not hard:
            _check_labels(y_checked, one_minus_y)
        m = a_checked.shape[1]
        carrier = a_checked if isinstance(a_checked, Probabilities) else None
        logits = None if carrier is None else carrier.logits
        softplus = None
        if carrier is not None and logits is not None:
            hard_cost = hard_label_cost_sum(logits, y_checked, one_minus_y) if hard else None
            if hard_cost is not None:
                total, signs, e = hard_cost
                softplus = signs, e, carrier
            else:
                total = cost_sum_from_logits(logits, y_checked, one_minus_y)
        else:
            _check_in_unit_interval(a_checked, "a", "probabilities")
            with np.errstate(divide="ignore"):
                log_a = np.maximum(np.log(a_checked), _LOG_FLOOR)
                log_1ma = np.maximum(np.log1p(-a_checked), _LOG_FLOOR)
            total = float((-(y_checked * log_a + one_minus_y * log_1ma)).sum())
        self._a, self._y, self._one_minus_y, self._softplus = a_checked, y_checked, one_minus_y, softplus
        return total / float(m)

    def backward(self) -> Array:
        """∂J/∂a, shape (d, m), for the ``a`` and ``y`` of the last ``forward``; a new array."""
        a, y, one_minus_y = self._a, self._y, self._one_minus_y
        if a is None or y is None or one_minus_y is None:
            message = "BinaryCrossEntropy.backward() was called before forward(). Fix: call forward(a, y) first."
            raise StateError(message)
        m = scalar(a.shape[1], a.dtype)  # m as a 0-d array of a's dtype: the same division, less overhead
        a_plain = a.view(np.ndarray)
        softplus = self._softplus
        if softplus is not None:  # hard labels, from the logits: m ∂J/∂a = s (1 + e^(s z)), see hard_label_cost_sum
            signs, e, carrier = softplus
            da = np.add(e, one(e.dtype))
            da *= signs
            da /= m
            dz = np.subtract(a_plain, y)
            dz /= m
            return LossGradient.wrap(da, dz, carrier)
        if not isinstance(a, Probabilities) or a.logits is None:
            da = _gradient_times_m_saturated(1.0 - a_plain, a_plain, y, one_minus_y)
            da /= m
            return da
        da = gradient_times_m_from_logits(a.logits, a_plain, y, one_minus_y)
        da /= m
        dz = np.subtract(a_plain, y)
        dz /= m
        return LossGradient.wrap(da, dz, a)
