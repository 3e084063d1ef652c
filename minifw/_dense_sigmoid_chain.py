"""Dense, Sigmoid, Dense, Sigmoid, ...: the slides' network, walked by Sequential in one function each way.

A ``Sequential`` made only of ``Dense`` layers each followed by a ``Sigmoid`` (the slides'
``Dense(3, 4), Sigmoid(), Dense(4, 1), Sigmoid()`` is one) runs its forward and backward walks
here, as one loop over the (Dense, Sigmoid) pairs instead of one call per layer through the general
plan. The equations, the NumPy calls, the numbers and what each layer caches are the same as
there; what goes is the Python between the calls, which is most of the time of a step for the
slides' sizes (d0, h, m) = (3, 4, 1).
"""

from typing import Any

import numpy as np

from ._array import Array
from ._buffers import reuse_or_empty
from ._dense import Dense, input_gradient_into
from ._dense_sigmoid import dense_sigmoid_into_buffer
from ._errors import MinifwError, StateError
from ._probabilities import LossGradient
from ._sigmoid import Sigmoid, probabilities_of, sigmoid_derivative_times
from ._validation import check_batch, check_same_shape


class DenseSigmoidChain:
    """Forward and backward of a^[l] = σ(b^[l] + W^[l] a^[l-1]), l = 1 … L, for layers given as pairs.

    Forward, for x = a^[0] of shape (d0, m):

        a^[l] = σ(b^[l] + W^[l] a^[l-1])          (d_l, m), hidden layers: into the Sigmoid's buffer
        z^[L] = b^[L] + W^[L] a^[L-1],  a^[L] = σ(z^[L])   new arrays; a^[L] carries z^[L]

    Backward, from ∂J/∂a^[L] (or the exact ∂J/∂z^[L] a loss attached to it):

        ∂J/∂z^[L] = ∂J/∂a^[L] ⊙ a^[L](1 - a^[L])
        ∂J/∂W^[l] = ∂J/∂z^[l] (a^[l-1])^T,   ∂J/∂b^[l] = ∂J/∂z^[l] summed over the m columns
        ∂J/∂z^[l-1] = ((W^[l])^T ∂J/∂z^[l]) ⊙ a^[l-1](1 - a^[l-1])

    and ∂J/∂x = (W^[1])^T ∂J/∂z^[1] only when asked. Each step is the layers' own helper
    (:func:`~minifw._dense_sigmoid.dense_sigmoid_into_buffer`, :func:`~minifw._sigmoid.probabilities_of`,
    :meth:`Dense.gradients_into <minifw.Dense>`, ...), so the results are bit for bit those of
    the general walk.
    """

    def __init__(self, layers: tuple[Any, ...]) -> None:
        self.pairs: tuple[tuple[Dense, Sigmoid], ...] = tuple(zip(layers[::2], layers[1::2], strict=True))
        self.hidden = self.pairs[:-1]
        self.first: Dense = self.pairs[0][0]
        self.output: tuple[Dense, Sigmoid] = self.pairs[-1]

    @staticmethod
    def matches(layers: tuple[Any, ...]) -> bool:
        """True for Dense, Sigmoid, Dense, Sigmoid, ... (at least one pair, nothing else)."""
        return (
            len(layers) >= 2
            and len(layers) % 2 == 0
            and all(type(layer) is Dense for layer in layers[::2])
            and all(type(layer) is Sigmoid for layer in layers[1::2])
        )

    def forward(self, x: Array) -> Array:
        """a^[L] for the batch ``x`` (d0, m): a new :class:`Probabilities` carrying z^[L]."""
        first = self.first
        try:
            a = check_batch(x, "a_prev", first.in_features, first.W.value.dtype)
        except MinifwError as error:
            raise type(error)(f"Sequential layer 0 ({first!r}).forward: {error}") from error
        a_1 = None  # [a; 1], when a hidden layer left a row of ones under its a
        for hidden_dense, hidden_sigmoid in self.hidden:
            a, a_1 = dense_sigmoid_into_buffer(hidden_dense, hidden_sigmoid, a, a_1)
        dense, sigmoid = self.output
        z = dense.z_into(a, None, a_1)  # z^[L] = b^[L] + W^[L] a^[L-1], a new array
        out = sigmoid._a = probabilities_of(z)  # a^[L] = σ(z^[L]), carrying z^[L]
        return out

    def backward(self, grad: Array, input_grad: bool) -> Array | None:
        """Set every W.grad and b.grad from ``grad`` = ∂J/∂a^[L]; return ∂J/∂x if ``input_grad``, else None.

        Raises what the general walk raises (naming the layer) when ``grad`` does not fit the
        last forward, or when a layer has not run forward since (then nothing is changed).
        """
        pairs = self.pairs
        last = len(pairs) - 1
        dense, sigmoid = pairs[last]
        a = sigmoid._a
        if a is None:
            message = "Sigmoid.backward() was called before forward(). Fix: call model.forward(x) first."
            raise StateError(f"Sequential layer {2 * last + 1} ({sigmoid!r}).backward: {message}")
        m = a.shape[1]
        for index, (d, _) in enumerate(pairs):
            a_prev = d._a_prev
            if a_prev is None or a_prev.shape[1] != m:
                message = f"{d!r} has no forward of this batch to go back through. Fix: call model.forward(x) first."
                raise StateError(f"Sequential layer {2 * index} ({d!r}).backward: {message}")
        if isinstance(grad, LossGradient) and grad.a is a and grad.dz is not None:
            dz = grad.dz  # the loss's exact ∂J/∂z^[L] = (a^[L] - y)/m
        else:
            try:
                da = check_same_shape(grad, "da", a.shape, a.dtype, "the shape of a from the last forward")
            except MinifwError as error:
                raise type(error)(f"Sequential layer {2 * last + 1} ({sigmoid!r}).backward: {error}") from error
            out = sigmoid._dz_buffer = reuse_or_empty(sigmoid._dz_buffer, a.shape, a.dtype)
            dz = sigmoid_derivative_times(da.view(np.ndarray), a.view(np.ndarray), out)
        for index in range(last, 0, -1):
            dense = pairs[index][0]
            a_prev = dense._a_prev
            assert a_prev is not None
            W = dense.W.value
            dense.gradients_into(dz)
            da_prev = dense._dx_buffer = reuse_or_empty(dense._dx_buffer, a_prev.shape, W.dtype)
            input_gradient_into(W, dz, da_prev)  # ∂J/∂a^[l-1] = (W^[l])^T ∂J/∂z^[l]
            previous = pairs[index - 1][1]
            out = previous._dz_buffer = reuse_or_empty(previous._dz_buffer, a_prev.shape, W.dtype)
            dz = sigmoid_derivative_times(da_prev, a_prev, out)  # ∂J/∂z^[l-1]
        first = self.first
        x = first._a_prev
        assert x is not None
        first.gradients_into(dz)
        if not input_grad:
            return None
        W = first.W.value
        return input_gradient_into(W, dz, np.empty(x.shape, W.dtype))
