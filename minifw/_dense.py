"""Dense: the linear transformation z^[l] = b^[l] + W^[l] a^[l-1] of each "circle"."""

import numbers
from typing import Any, final

import numpy as np
import numpy.typing as npt

from ._array import Array
from ._buffers import over_a_row_of_ones, reuse_or_empty
from ._errors import ArchitectureError, StateError
from ._layer import Layer
from ._parameter import Parameter
from ._validation import check_batch, check_same_shape
from ._validation import generator as validated_generator


def _check_size(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) <= 0:
        message = (
            f"Dense {name} must be a positive integer (a number of neurons), got {value!r}. "
            f"Fix: pass e.g. Dense(3, 4) for d^[l-1] = 3 inputs and d^[l] = 4 neurons."
        )
        raise ArchitectureError(message)
    return int(value)


def _check_dtype(dtype: npt.DTypeLike) -> np.dtype[Any]:
    try:
        float_dtype = np.dtype(dtype)
    except TypeError:
        float_dtype = None
    if float_dtype is None or float_dtype.kind != "f":
        message = (
            f"Dense dtype must be a float dtype, got {dtype!r}. Fix: pass dtype=np.float64 (the default) or np.float32."
        )
        raise ArchitectureError(message)
    return float_dtype


_FOLD_MAX_ENTRIES = 4096
"""Batches a_prev of up to this many entries take z = Θ [a_prev; 1] (one matrix product, a_prev
copied under a row of ones); larger ones take z = W a_prev + b, with no copy of a large batch."""


def input_gradient_into(W: Array, dz: Array, out: Array) -> Array:
    """out = W^T dz, ∂J/∂a^[l-1] of shape (d_{l-1}, m), for W (d_l, d_{l-1}) and dz (d_l, m).

    Up to 4096 entries in dz it is ``ndarray.dot``: the same BLAS product as ``np.matmul``, at
    less overhead per call. Above, a single neuron (d_l = 1, the output layer) takes the outer
    product of the column W^T and the row dz by broadcasting: each entry is one product
    w_i dz_j, the same numbers as the matrix product, without the cost of a matrix-product call.
    """
    if dz.size <= _FOLD_MAX_ENTRIES:  # small: ndarray.dot, the same BLAS product as np.matmul with less overhead
        return W.T.dot(dz, out=out)
    if W.shape[0] == 1:
        return np.multiply(W.T, dz, out=out)
    return np.matmul(W.T, dz, out=out)


def parameter_gradients_into(dz: Array, a_prev: Array, dW: Array, db: Array) -> None:
    """dW = dz a_prev^T, (d_l, d_{l-1}), and db = dz summed over the m columns, (d_l, 1), in place.

    For one example (m = 1) dz a_prev^T is an outer product, each entry the single product
    dz_i a_j, and the sum over one column is that column: broadcasting and a copy give exactly
    the same numbers as the matrix product and the sum, without the cost of those calls.
    """
    if dz.shape[1] == 1:
        np.multiply(dz, a_prev.T, out=dW)
        np.copyto(db, dz)
    else:
        np.matmul(dz, a_prev.T, out=dW)
        np.add.reduce(dz, axis=1, keepdims=True, out=db)  # np.sum without its Python wrapper


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

    Attributes:
        W: ``Parameter`` W^[l], shape (d_l, d_{l-1}).
        b: ``Parameter`` b^[l], shape (d_l, 1).
        in_features: d_{l-1}.
        out_features: d_l.

    Notes:
        Initialisation (Step 1, "randomly initialize θ"): W is drawn from
        U(-r, r) with r = sqrt(6 / (d_{l-1} + d_l)) (Glorot & Bengio, 2010, made for
        sigmoid units), and b = 0. The same ``rng`` seed gives the same W.

        Cache: ``forward`` keeps a reference to a_prev (no copy when it already has the
        dtype of W; other inputs are converted first); ``backward`` needs it for ∂J/∂W.
        Do not modify a batch in place between ``forward`` and ``backward``.

        Layout: W and b are the two column blocks of one array Θ = [W b] of shape
        (d_l, d_{l-1} + 1), and their gradients those of ∂J/∂Θ. For a batch of at most
        4096 entries, z = Θ [a_prev; 1] and ∂J/∂Θ = dz [a_prev; 1]^T are then one matrix
        product each, the bias folded in against a row of ones (a_prev is copied under
        it); larger batches take W a_prev + b, with no copy. So ``W.value`` is a view
        whose rows are d_{l-1} + 1 apart in memory. Assigning a new array to ``W.value``
        (or ``b.value``, or a grad) works; that layer then simply stops folding.

        Memory: called on their own, ``forward`` and ``backward`` return new arrays.
        Inside a :class:`minifw.Sequential`, z^[l] and ∂J/∂a^[l-1] that only travel to a
        neighbouring layer are written into arrays kept from the previous step, and the
        first layer's ∂J/∂x is computed only when asked (see :class:`minifw.Sequential`).

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
    _theta: Array
    _dtheta: Array
    _views: tuple[Array, Array, Array, Array]
    _a_prev: Array | None
    _a_prev_1: Array | None
    _ones_buffer: tuple[Array, Array] | None
    _z_buffer: Array | None
    _dx_buffer: Array | None

    def __init__(
        self,
        in_features: int,
        out_features: int,
        *,
        rng: np.random.Generator | int | None = None,
        dtype: npt.DTypeLike = np.float64,
    ) -> None:
        self.in_features = _check_size(in_features, "in_features")
        self.out_features = _check_size(out_features, "out_features")
        float_dtype = _check_dtype(dtype)
        generator = validated_generator(rng, "Dense rng", "rng", ArchitectureError)
        r = np.sqrt(6.0 / (self.in_features + self.out_features))
        W = generator.uniform(-r, r, size=(self.out_features, self.in_features))
        self.W = Parameter(W.astype(float_dtype), name="W")
        self.b = Parameter(np.zeros((self.out_features, 1), float_dtype), name="b")
        self._make_blocks()  # Θ = [W b]
        self._a_prev = None
        self._a_prev_1 = None
        self._ones_buffer = None
        self._z_buffer = None
        self._dx_buffer = None

    def forward(self, x: Array) -> Array:
        """z = b + W a_prev, shape (d_l, m), for a batch ``x`` = a_prev of shape (d_{l-1}, m); a new array."""
        return self._forward(x, reuse=False)

    def backward(self, grad: Array) -> Array:
        """Set W.grad = dz a_prev^T and b.grad = Σ_columns dz; return W^T dz, shape (d_{l-1}, m), a new array."""
        dz = self._set_gradients(grad)
        W = self.W.value
        return input_gradient_into(W, dz, np.empty((self.in_features, dz.shape[1]), W.dtype))

    def _forward(self, x: Array, reuse: bool) -> Array:
        """``forward``; with ``reuse``, z is written into the array of the previous call (see _buffers.py)."""
        W = self.W.value
        a_prev = check_batch(x, "a_prev", self.in_features, W.dtype)
        shape = (self.out_features, a_prev.shape[1])
        if reuse:
            z = self._z_buffer = reuse_or_empty(self._z_buffer, shape, W.dtype)
        else:
            z = np.empty(shape, W.dtype)
        return self.z_into(a_prev, z)

    def z_into(self, a_prev: Array, out: Array | None, a_prev_1: Array | None = None, *, negate: bool = False) -> Array:
        """out = z = b + W a_prev (or -z with ``negate``), shape (d_l, m); caches what backward needs.

        ``out`` None: z is a new array.

        For a batch of at most 4096 entries z = Θ [a_prev; 1], Θ = [W b]: one matrix product, the
        bias a column of Θ against a row of ones under a_prev (``a_prev_1``, if the caller already
        has [a_prev; 1], else a copy). Larger batches take z = W a_prev, then + b. ``a_prev`` must
        be checked already: a (d_{l-1}, m) array of W's dtype.
        """
        if a_prev.size <= _FOLD_MAX_ENTRIES and self._folded():
            if a_prev_1 is None:
                a_prev_1, top = self._ones_buffer = over_a_row_of_ones(self._ones_buffer, a_prev.shape, a_prev.dtype)
                top[...] = a_prev  # [a_prev; 1]
            out = self._theta.dot(a_prev_1, out=out)  # ndarray.dot: the same BLAS product, less overhead than np.matmul
            if negate:
                np.negative(out, out=out)
        else:
            a_prev_1 = None
            out = np.matmul(self.W.value, a_prev, out=out)
            if negate:
                np.subtract(np.negative(self.b.value), out, out=out)  # -(b + W a_prev), one pass
            else:
                out += self.b.value
        self._a_prev, self._a_prev_1 = a_prev, a_prev_1
        return out

    def _folded(self) -> bool:
        """True while W, b and their gradients are still the column blocks of Θ and ∂J/∂Θ (see _make_blocks)."""
        W, b, dW, db = self._views
        return self.W.value is W and self.b.value is b and self.W.grad is dW and self.b.grad is db

    def _make_blocks(self) -> None:
        """Make Θ = [W b] and ∂J/∂Θ from the current W, b and gradients, and make those their column blocks.

        ``z_into`` and ``gradients_into`` use Θ only while W.value, b.value, W.grad and b.grad are
        still these four views (``_views``, see ``_folded``): after you assign a new array to one of
        them, the layer takes W and b apart again.
        """
        d_in = self.in_features
        W, b = self.W, self.b
        theta = self._theta = np.concatenate([W.value, b.value], axis=1)
        dtheta = self._dtheta = np.concatenate([W.grad, b.grad], axis=1)
        W.value, b.value = theta[:, :d_in], theta[:, d_in:]
        W.grad, b.grad = dtheta[:, :d_in], dtheta[:, d_in:]
        self._views = (W.value, b.value, W.grad, b.grad)

    def __getstate__(self) -> dict[str, Any]:
        """What a copy or a pickle keeps: no buffers (a copy of a view is no view; see __setstate__)."""
        state = self.__dict__.copy()
        for name in ("_theta", "_dtheta", "_views", "_a_prev_1", "_ones_buffer", "_z_buffer", "_dx_buffer"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """After ``copy.deepcopy`` or ``pickle``: W and b become the column blocks of a new Θ again."""
        self.__dict__.update(state)
        self._a_prev_1 = None
        self._ones_buffer = self._z_buffer = self._dx_buffer = None
        self._make_blocks()

    def _backward(self, grad: Array, reuse: bool, input_grad: bool) -> Array | None:
        """``backward``; with ``input_grad=False`` only W.grad and b.grad are set and None is returned."""
        dz = self._set_gradients(grad)
        if not input_grad:
            return None
        W = self.W.value
        shape = (self.in_features, dz.shape[1])
        if reuse:
            dx = self._dx_buffer = reuse_or_empty(self._dx_buffer, shape, W.dtype)
        else:
            dx = np.empty(shape, W.dtype)
        return input_gradient_into(W, dz, dx)

    def _set_gradients(self, grad: Array) -> Array:
        """W.grad = dz a_prev^T and b.grad = Σ_columns dz, in place; returns dz (``grad``, checked)."""
        a_prev = self._a_prev
        if a_prev is None:
            message = f"{self!r}.backward() was called before forward(). Fix: call forward(x) first."
            raise StateError(message)
        shape = (self.out_features, a_prev.shape[1])
        dz = check_same_shape(grad, "dz", shape, self.W.value.dtype, "the shape of z from the last forward")
        self.gradients_into(dz)
        return dz

    def gradients_into(self, dz: Array) -> None:
        """W.grad = dz a_prev^T and b.grad = Σ_columns dz for the last forward's a_prev; ``dz`` checked.

        Where forward took z = Θ [a_prev; 1], this is ∂J/∂Θ = dz [a_prev; 1]^T, one matrix product.
        """
        a_prev_1 = self._a_prev_1
        if a_prev_1 is not None and self._folded():
            dz.dot(a_prev_1.T, out=self._dtheta)
        else:
            a_prev = self._a_prev
            assert a_prev is not None
            parameter_gradients_into(dz, a_prev, self.W.grad, self.b.grad)

    def parameters(self) -> list[Parameter]:
        """``[W, b]``."""
        return [self.W, self.b]

    def __repr__(self) -> str:
        return f"Dense({self.in_features} -> {self.out_features})"
