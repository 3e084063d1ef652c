"""A Dense layer and the Sigmoid after it, forward in one buffer: what Sequential does for a hidden layer."""

import numpy as np

from ._array import Array
from ._buffers import reuse_or_empty
from ._dense import Dense
from ._probabilities import Probabilities
from ._sigmoid import Sigmoid, _sigmoid_saturating_into, exp_of_negated_into
from ._validation import check_batch


def dense_sigmoid_forward(dense: Dense, sigmoid: Sigmoid, x: Array) -> Array:
    """a^[l] = σ(b^[l] + W^[l] a^[l-1]), written into the Sigmoid's buffer, z^[l] never stored.

    The slides' two steps z = b + W a_prev and a = σ(z) = 1 / (1 + e^(-z)), computed as

        out = W a_prev;   out = (-b) - out   (that is -z);   out = e^out;   out += 1;   out = 1 / out

    one pass over the (d_l, m) array fewer than ``dense.forward`` then ``sigmoid.forward``
    (the bias is added while negating), and no array for z. ``Sequential`` uses it for a
    hidden layer only, where z^[l] is needed by nobody: the next layer is a ``Dense``.
    Both layers' caches are set exactly as their own ``forward`` would (a_prev, and a whose
    ``logits`` are None, since z is not kept). Where e^(-z) overflows, z is recomputed and
    σ is taken the saturating way, as in :func:`minifw.sigmoid`.
    """
    W, b = dense.W.value, dense.b.value
    a_prev = check_batch(x, "a_prev", dense.in_features, W.dtype)
    out = sigmoid._a_buffer = reuse_or_empty(sigmoid._a_buffer, (dense.out_features, a_prev.shape[1]), W.dtype)
    np.matmul(W, a_prev, out=out)
    np.subtract(np.negative(b), out, out=out)
    if exp_of_negated_into(out, out):
        out += 1.0
        np.reciprocal(out, out=out)
    else:
        z = np.matmul(W, a_prev)
        z += b
        _sigmoid_saturating_into(z, out)
    dense._a_prev = a_prev
    a = sigmoid._a
    if a is None or a.base is not out or a.logits is not None:  # else: last step's view of this same buffer
        a = sigmoid._a = Probabilities.wrap(out, None)
    return a
