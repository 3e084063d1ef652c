"""A Dense layer and the Sigmoid after it, forward in one buffer: what Sequential does for a hidden layer."""

import numpy as np

from ._array import Array
from ._dense import Dense
from ._exp_range import exp_in_range
from ._probabilities import Probabilities
from ._sigmoid import Sigmoid, _sigmoid_saturating_into, exp_of_negated_into
from ._validation import check_batch


def dense_sigmoid_forward(dense: Dense, sigmoid: Sigmoid, x: Array) -> Array:
    """a^[l] = σ(b^[l] + W^[l] a^[l-1]), written into the Sigmoid's buffer (returned), z^[l] never stored.

    The slides' two steps z = b + W a_prev and a = σ(z) = 1 / (1 + e^(-z)), computed as

        out = W a_prev;   out = (-b) - out   (that is -z);   out = e^out;   out += 1;   out = 1 / out

    one pass over the (d_l, m) array fewer than ``dense.forward`` then ``sigmoid.forward``
    (the bias is added while negating), and no array for z. ``Sequential`` uses it for a
    hidden layer only, where z^[l] is needed by nobody: the next layer is a ``Dense``.
    Both layers' caches are set exactly as their own ``forward`` would (a_prev, and a whose
    ``logits`` are None, since z is not kept). The buffer itself is returned, a plain array,
    for the next ``Dense`` to consume. Where e^(-z) overflows, z is recomputed and
    σ is taken the saturating way, as in :func:`minifw.sigmoid`.
    """
    return dense_sigmoid_into_buffer(dense, sigmoid, check_batch(x, "a_prev", dense.in_features, dense.W.value.dtype))


def dense_sigmoid_into_buffer(dense: Dense, sigmoid: Sigmoid, a_prev: Array) -> Array:
    """:func:`dense_sigmoid_forward` for an ``a_prev`` already checked: a (d_{l-1}, m) array of W's dtype."""
    W = dense.W.value
    out = sigmoid._a_buffer
    if out is None or out.shape[1] != a_prev.shape[1] or out.shape[0] != W.shape[0] or out.dtype is not W.dtype:
        out = sigmoid._a_buffer = np.empty((W.shape[0], a_prev.shape[1]), W.dtype)
    np.matmul(W, a_prev, out=out)
    np.subtract(np.negative(dense.b.value), out, out=out)
    if exp_in_range(out):
        np.exp(out, out=out)
    elif not exp_of_negated_into(out, out):
        z = np.matmul(W, a_prev)
        z += dense.b.value
        _sigmoid_saturating_into(z, out)
        return _cache(dense, sigmoid, a_prev, out)
    out += 1.0
    np.reciprocal(out, out=out)
    return _cache(dense, sigmoid, a_prev, out)


def _cache(dense: Dense, sigmoid: Sigmoid, a_prev: Array, out: Array) -> Array:
    """Set the caches both layers' own ``forward`` would set; return ``out``."""
    dense._a_prev = a_prev
    a = sigmoid._a
    if a is None or a.base is not out or a.logits is not None:  # else: last step's view of this same buffer
        sigmoid._a = Probabilities.wrap(out, None)
    return out
