"""A Dense layer and the Sigmoid after it, forward in one buffer: what Sequential does for a hidden layer."""

import numpy as np

from ._array import Array
from ._buffers import over_a_row_of_ones
from ._dense import Dense
from ._probabilities import Probabilities
from ._sigmoid import Sigmoid, _sigmoid_saturating_into, sigmoid_of_negated_into
from ._validation import check_batch


def dense_sigmoid_forward(dense: Dense, sigmoid: Sigmoid, x: Array) -> Array:
    """a^[l] = σ(b^[l] + W^[l] a^[l-1]), written into the Sigmoid's buffer (returned), z^[l] never stored.

    The slides' two steps z = b + W a_prev and a = σ(z) = 1 / (1 + e^(-z)), computed as

        out = -z  (:meth:`Dense.z_into <minifw.Dense>` with ``negate``);  out = e^out;  out += 1;  out = 1 / out

    with no array for z. ``Sequential`` uses it for a hidden layer only, where z^[l] is needed
    by nobody: the next layer is a ``Dense``. Both layers' caches are set exactly as their own
    ``forward`` would (a_prev, and a whose ``logits`` are None, since z is not kept). The
    buffer itself is returned, a plain array, for the next ``Dense`` to consume. Where e^(-z)
    overflows, σ is taken the saturating way, as in :func:`minifw.sigmoid`.
    """
    a_prev = check_batch(x, "a_prev", dense.in_features, dense.W.value.dtype)
    return dense_sigmoid_into_buffer(dense, sigmoid, a_prev, None)[0]


def dense_sigmoid_into_buffer(
    dense: Dense, sigmoid: Sigmoid, a_prev: Array, a_prev_1: Array | None
) -> tuple[Array, Array]:
    """:func:`dense_sigmoid_forward` for an ``a_prev`` already checked; returns a^[l] and [a^[l]; 1].

    a^[l] (d_l, m) is the top of a (d_l + 1, m) buffer whose last row is ones, so that the next
    ``Dense`` can take b + W a^[l] as one matrix product (see :meth:`Dense.z_into <minifw.Dense>`).
    ``a_prev_1`` is [a_prev; 1] when the caller has it (the previous hidden layer's buffer).
    """
    shape = (dense.out_features, a_prev.shape[1])
    array, out = sigmoid._ones_buffer = over_a_row_of_ones(sigmoid._ones_buffer, shape, a_prev.dtype)
    dense.z_into(a_prev, out, a_prev_1, negate=True)
    if not sigmoid_of_negated_into(out):  # e^(-z) overflows somewhere: the saturating way, from z
        _sigmoid_saturating_into(dense.z_into(a_prev, np.empty_like(out), a_prev_1), out)
    a = sigmoid._a  # the cache Sigmoid.forward would set (the Dense's is set by z_into):
    if a is None or a.base is not out or a.logits is not None:  # unless it is last step's view of this buffer
        sigmoid._a = Probabilities.wrap(out, None)
    return out, array
