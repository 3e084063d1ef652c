"""Dense: the linear transformation z^[l] = b^[l] + W^[l] a^[l-1] of each "circle"."""

from typing import final

import numpy as np
import numpy.typing as npt

from ..array import Array
from ..errors import ArchitectureError, StateError
from ..validation import check_batch, check_float_dtype, check_layer_size, check_same_shape, generator
from .buffers import Outputs
from .layer import Layer, no_cache_message
from .not_computed import not_computed
from .parameter import Parameter


@final
class Dense(Layer):
    """z = b + W a_prev: the linear part of every neuron of layer l, for m examples at once.

    Forward, for a_prev = a^[l-1] of shape (d_{l-1}, m):

        z^[l] = b^[l] + W^[l] a^[l-1]                       (d_l, m)

    Backward, given dz = ∂J/∂z^[l] of shape (d_l, m) (the 1/m of the cost is already in it):

        ∂J/∂W^[l] = dz (a^[l-1])^T                          (d_l, d_{l-1})
        ∂J/∂b^[l] = dz summed over the m columns            (d_l, 1)
        ∂J/∂a^[l-1] = (W^[l])^T dz                          (d_{l-1}, m)

    For one example (m = 1) these are the slides' ∂J/∂W^[2] = (a^[2] - y)(a^[1])^T and
    ∂J/∂b^[2] = a^[2] - y.

    Args:
        in_features: d_{l-1}, the number of inputs of each neuron.
        out_features: d_l, the number of neurons.
        rng: a ``numpy.random.Generator``, a non-negative int seed, or None (fresh entropy).
            NumPy's global random state is never used.
        dtype: the float dtype of ``W`` and ``b``; inputs are converted to it.
        input_grad: whether ``backward`` returns ∂J/∂a^[l-1] (see :class:`minifw.Layer`).

    Attributes:
        W: ``Parameter`` W^[l], shape (d_l, d_{l-1}).
        b: ``Parameter`` b^[l], shape (d_l, 1).
        in_features: d_{l-1}.
        out_features: d_l.
        input_grad: ``False`` skips ∂J/∂a^[l-1] = (W^[l])^T dz in ``backward``, which then
            returns a placeholder that raises :class:`minifw.StateError` when used.

    Notes:
        Initialisation (Step 1, "randomly initialize θ"): W is drawn from
        U(-r, r) with r = sqrt(6 / (d_{l-1} + d_l)) (Glorot & Bengio, 2010, made for
        sigmoid units), and b = 0. The same ``rng`` seed gives the same W.

        Cache: ``forward`` keeps a reference to a_prev (no copy when it already has the
        dtype of W; other inputs are converted first); ``backward`` needs it for ∂J/∂W and
        then releases it, as PyTorch frees what it saved, so a second ``backward`` after one
        ``forward`` raises :class:`minifw.StateError`. Do not modify a batch in place between
        ``forward`` and ``backward``.

        Memory: z and ∂J/∂a^[l-1] are written with ``out=`` into one array each that the
        layer keeps (:class:`~minifw.layers.buffers.Outputs`), reused only once nobody else
        holds it; the gradients are written into ``W.grad`` and ``b.grad`` in place.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> layer = mf.Dense(3, 4, rng=0)
        >>> layer.W.value.shape, layer.b.value.shape
        ((4, 3), (4, 1))
        >>> layer.forward(np.ones((3, 5))).shape
        (4, 5)
    """

    W: Parameter
    b: Parameter
    in_features: int
    out_features: int

    def __init__(
        self,
        in_features: int,
        out_features: int,
        *,
        rng: np.random.Generator | int | None = None,
        dtype: npt.DTypeLike = np.float64,
        input_grad: bool = True,
    ) -> None:
        self.in_features = check_layer_size(in_features, "in_features")
        self.out_features = check_layer_size(out_features, "out_features")
        float_dtype = check_float_dtype(dtype, "Dense dtype")
        r = np.sqrt(6.0 / (self.in_features + self.out_features))
        W = generator(rng, "Dense rng", "rng", ArchitectureError).uniform(-r, r, (self.out_features, self.in_features))
        self.W = Parameter(W.astype(float_dtype), name="W")
        self.b = Parameter(np.zeros((self.out_features, 1), float_dtype), name="b")
        self.input_grad = input_grad
        self._a_prev: Array | None = None  # the cache: backward needs a_prev for ∂J/∂W, and then releases it
        self._released = False  # whether backward has run since the last forward
        self._z_arrays, self._da_prev_arrays = Outputs(), Outputs()  # where z and ∂J/∂a_prev are written

    def forward(self, x: Array) -> Array:
        """z = b + W a_prev, shape (d_l, m), for a batch ``x`` = a_prev of shape (d_{l-1}, m)."""
        W, b = self.W.value, self.b.value
        a_prev = check_batch(x, "a_prev", self.in_features, W.dtype)
        z = self._z_arrays.new((self.out_features, a_prev.shape[1]), W.dtype)
        np.matmul(W, a_prev, out=z)  # z = W a_prev
        z += b  # z = b + W a_prev, b added to every column
        self._a_prev, self._released = a_prev, False
        return z

    def backward(self, grad: Array) -> Array:
        """Set W.grad = dz a_prev^T and b.grad = Σ_columns dz; return W^T dz, shape (d_{l-1}, m)."""
        a_prev, W = self._a_prev, self.W.value
        if a_prev is None:
            raise StateError(no_cache_message(repr(self), "x", self._released))
        shape = (self.out_features, a_prev.shape[1])
        dz = check_same_shape(grad, "dz", shape, W.dtype, "the shape of z from the last forward")
        self._a_prev, self._released = None, True  # the cache is released: the step's arrays are free again
        np.matmul(dz, a_prev.T, out=self.W.grad)  # ∂J/∂W = dz (a_prev)^T
        dz.sum(axis=1, keepdims=True, out=self.b.grad)  # ∂J/∂b = dz summed over the m columns
        if not self.input_grad:
            return not_computed(a_prev.shape, W.dtype)  # ∂J/∂a_prev skipped: nobody needs it
        da_prev = self._da_prev_arrays.new(a_prev.shape, W.dtype)
        return np.dot(W.T, dz, out=da_prev)  # ∂J/∂a_prev = W^T dz (np.dot: faster than matmul for d_l = 1)

    def parameters(self) -> list[Parameter]:
        """``[W, b]``."""
        return [self.W, self.b]

    def __repr__(self) -> str:
        return f"Dense({self.in_features} -> {self.out_features})"
