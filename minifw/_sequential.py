"""Sequential: layers chained into a network, itself a Layer."""

from collections.abc import Callable, Iterator
from typing import Any, final, overload

import numpy as np

from ._array import Array
from ._dense import Dense
from ._dense_sigmoid import dense_sigmoid_forward
from ._dense_sigmoid_chain import DenseSigmoidChain
from ._errors import ArchitectureError, MinifwError, NotALayerError
from ._layer import Layer
from ._not_computed import not_computed
from ._parameter import Parameter
from ._sigmoid import Sigmoid


def _check_chain(layers: tuple[Layer, ...]) -> None:
    """Check that each Dense takes as many inputs as the Dense before it has neurons."""
    width: int | None = None
    previous: tuple[int, Dense] | None = None
    for index, layer in enumerate(layers):
        if isinstance(layer, Dense):
            if width is not None and previous is not None and layer.in_features != width:
                before_index, before = previous
                message = (
                    f"layer {index} ({layer!r}) takes {layer.in_features} inputs, but layer "
                    f"{before_index} ({before!r}) gives {width}. Fix: use Dense({width}, ...) at "
                    f"layer {index}, or Dense(..., {layer.in_features}) at layer {before_index}."
                )
                raise ArchitectureError(message)
            width, previous = layer.out_features, (index, layer)
        elif not layer.elementwise:
            width, previous = None, None


Forward = Callable[[Array, bool], Array]
"""A step of the forward walk: (x, may the output be a reused buffer?) -> output."""
Backward = Callable[[Array, bool, bool], "Array | None"]
"""A step of the backward walk: (grad, may the result be a reused buffer?, input gradient wanted?) -> result."""


def _user_forward(layer: Layer) -> Forward:
    return lambda x, reuse: layer.forward(x)


def _user_backward(layer: Layer) -> Backward:
    return lambda grad, reuse, input_grad: layer.backward(grad)


def _fused_forward(dense: Dense, sigmoid: Sigmoid) -> Forward:
    return lambda x, reuse: dense_sigmoid_forward(dense, sigmoid, x)


_ForwardPlan = tuple[tuple[int, Layer, Forward, bool], ...]
_BackwardPlan = tuple[tuple[int, Layer, Backward, bool], ...]


def _plan(layers: tuple[Layer, ...]) -> tuple[_ForwardPlan, _BackwardPlan]:
    """The forward and backward walks: which arrays only travel between layers, and so may live in buffers.

    Layer i's output may be a buffer when a ``Dense`` comes after it: the ``Dense`` consumes it
    and nothing it returns refers to it (a ``Sigmoid``'s output refers to its input, z, through
    ``Probabilities.logits``; so the network's output and the z under it stay new arrays). The
    gradient layer i returns may be a buffer when a built-in layer comes before it to consume it.
    A hidden ``Dense`` followed by a ``Sigmoid`` runs forward as one step
    (:func:`~minifw._dense_sigmoid.dense_sigmoid_forward`). Your own layers are called through
    their ``forward`` and ``backward`` only.
    """
    forward: list[tuple[int, Layer, Forward, bool]] = []
    backward: list[tuple[int, Layer, Backward, bool]] = []
    fused_into_previous = False
    for index, layer in enumerate(layers):
        reuse_output = any(isinstance(later, Dense) for later in layers[index + 1 :])
        reuse_gradient = any(isinstance(earlier, Dense | Sigmoid) for earlier in layers[:index])
        built_in = layer if isinstance(layer, Dense | Sigmoid | Sequential) else None
        backward.append(
            (index, layer, built_in._backward if built_in is not None else _user_backward(layer), reuse_gradient)
        )
        if fused_into_previous:
            fused_into_previous = False
            continue
        after = layers[index + 1] if index + 1 < len(layers) else None
        if (
            isinstance(layer, Dense)
            and isinstance(after, Sigmoid)
            and any(isinstance(later, Dense) for later in layers[index + 2 :])
        ):
            forward.append((index, layer, _fused_forward(layer, after), True))
            fused_into_previous = True
        else:
            forward.append(
                (index, layer, built_in._forward if built_in is not None else _user_forward(layer), reuse_output)
            )
    return tuple(forward), tuple(reversed(backward))


@final
class Sequential(Layer):
    """a^[L] = f_L(... f_2(f_1(x))): the layers applied in order; backward walks them in reverse.

    The slides' network with one hidden layer is
    ``Sequential(Dense(3, 4), Sigmoid(), Dense(4, 1), Sigmoid())``: x (3, m) ->
    z^[1], a^[1] (4, m) -> z^[2], a^[2] (1, m).

    Args:
        *layers: the layers, first to last; at least one. Consecutive ``Dense`` layers
            (with elementwise layers such as ``Sigmoid`` between them) must chain:
            d_l inputs for the layer after one with d_l neurons.

    Attributes:
        layers: the layers, as a tuple.

    Notes:
        ``parameters()`` is ``[W1, b1, W2, b2, ...]`` in layer order. A failure inside a
        layer is re-raised with the same exception type, naming the layer's index.

        The input gradient. ``backward(grad)`` takes ∂J/∂a^[L], sets every parameter's
        grad and skips ∂J/∂x = (W^[1])^T ∂J/∂z^[1], which training never needs (at
        (d0, h, m) = (784, 128, 60000) it would add half again the matrix work of a
        step). Ask for it with ``backward(grad, input_grad=True)``; without it the
        value returned is a placeholder that raises :class:`minifw.StateError` on use.
        A ``Sequential`` nested in another one always computes it, since the layer
        before it needs it; so does a first layer of your own.

        Buffers. The arrays that only travel between layers inside the network
        (z^[1] and a^[1] forward, ∂J/∂a^[1] and ∂J/∂z^[1] backward) are written into
        arrays each layer keeps from the previous step when the shapes are the same:
        a training step then allocates almost nothing. They are internal: the
        network's output (and the z^[L] it carries), ∂J/∂x, parameter values and
        gradients, and anything a layer returns when you call it yourself are new or
        stable arrays you may keep. Only a layer's private caches are overwritten by
        the next step, as before.

        The slides' shape. A network made only of ``Dense`` layers each followed by a
        ``Sigmoid`` (the slides' network is one) is walked by one function each way
        (``minifw._dense_sigmoid_chain``) instead of one call per layer: the same NumPy
        calls and the same numbers, with less Python between them, which is most of the
        time of a step at the slides' sizes.

    Examples:
        >>> import minifw as mf
        >>> model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
        >>> model
        Sequential(Dense(3 -> 4), Sigmoid(), Dense(4 -> 1), Sigmoid())
        >>> [p.shape for p in model.parameters()]
        [(4, 3), (4, 1), (1, 4), (1, 1)]
    """

    layers: tuple[Layer, ...]

    def __init__(self, *layers: Layer) -> None:
        for index, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                hint = " (a class, not an instance: add ())" if isinstance(layer, type) else ""
                message = (
                    f"Sequential takes minifw Layer objects; argument {index} is "
                    f"{layer!r} of type {type(layer).__name__}{hint}. "
                    "Fix: pass layers such as mf.Dense(3, 4) or mf.Sigmoid(), or subclass mf.Layer."
                )
                raise NotALayerError(message)
        if not layers:
            message = "Sequential needs at least one layer, got none. Fix: Sequential(mf.Dense(3, 4), mf.Sigmoid())."
            raise ArchitectureError(message)
        _check_chain(layers)
        self.layers = layers
        self._chain = DenseSigmoidChain(layers) if DenseSigmoidChain.matches(layers) else None
        self._plans: tuple[_ForwardPlan, _BackwardPlan] | None = None  # made on first use (see _plan)
        self._x_shape: tuple[int, ...] = ()
        self._x_dtype: np.dtype[Any] = np.dtype(np.float64)
        self._not_computed: Array | None = None

    def forward(self, x: Array) -> Array:
        """The output of the last layer for the batch ``x`` of shape (d0, m); a new array every call."""
        chain = self._chain
        if chain is None:
            return self._forward(x, reuse=False)
        return chain.forward(x)  # the first Dense keeps the checked x: see backward

    def backward(self, grad: Array, *, input_grad: bool = False) -> Array:
        """Walk the layers in reverse from ∂J/∂a^[L], setting every parameter's grad.

        Args:
            grad: ∂J/∂a^[L], the shape of the last output (``loss.backward()``).
            input_grad: also compute ∂J/∂x, the gradient with respect to the network's
                input. Off by default: training never uses it, and for a first ``Dense``
                layer it is one more matrix product as large as the one for ∂J/∂W^[1].

        Returns:
            ∂J/∂x, shape (d0, m), a new array, when ``input_grad=True`` (or when the first
            layer is one of your own, whose ``backward`` always returns it). Otherwise a
            placeholder of that shape whose every use raises :class:`minifw.StateError`
            naming the fix.
        """
        chain = self._chain
        dx = self._backward(grad, False, input_grad) if chain is None else chain.backward(grad, input_grad)
        if dx is not None:
            return dx
        x = None if chain is None else chain.first._a_prev  # the x of the last forward, else its shape and dtype:
        x_shape, x_dtype = (self._x_shape, self._x_dtype) if x is None else (x.shape, x.dtype)
        placeholder = self._not_computed
        if placeholder is None or placeholder.shape != x_shape or placeholder.dtype != x_dtype:
            placeholder = self._not_computed = not_computed(x_shape, x_dtype)  # read-only: reusable
        return placeholder

    def _forward(self, x: Array, reuse: bool) -> Array:
        """``forward``; ``reuse`` lets the last layer write into a buffer too (when nested, see _buffers.py)."""
        x_shape = x.shape if isinstance(x, np.ndarray) else np.shape(x)
        for index, layer, forward, reuse_output in self._general_plan()[0]:
            try:
                x = forward(x, reuse or reuse_output)
            except MinifwError as error:
                raise type(error)(f"Sequential layer {index} ({layer!r}).forward: {error}") from error
        self._x_shape = x_shape
        self._x_dtype = x.dtype if isinstance(x, np.ndarray) else np.dtype(np.float64)
        return x

    def _backward(self, grad: Array, reuse: bool, input_grad: bool) -> Array | None:
        """``backward``; returns None where the first layer skipped ∂J/∂x."""
        result: Array | None = grad
        for index, layer, backward, reuse_gradient in self._general_plan()[1]:
            try:
                result = backward(grad, reuse or reuse_gradient, input_grad or index > 0)
            except MinifwError as error:
                raise type(error)(f"Sequential layer {index} ({layer!r}).backward: {error}") from error
            if result is None:
                break
            grad = result
        return result

    def _general_plan(self) -> tuple[_ForwardPlan, _BackwardPlan]:
        """The general forward and backward walks, made the first time they are needed."""
        plans = self._plans
        if plans is None:
            plans = self._plans = _plan(self.layers)
        return plans

    def __getstate__(self) -> dict[str, Any]:
        """What a copy or a pickle keeps: the layers, not the walks made for them (they refer to them)."""
        state = self.__dict__.copy()
        state.update(_plans=None, _chain=None, _not_computed=None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        layers = self.layers
        self._chain = DenseSigmoidChain(layers) if DenseSigmoidChain.matches(layers) else None

    def parameters(self) -> list[Parameter]:
        """``[W1, b1, W2, b2, ...]``: every layer's parameters, in layer order."""
        return [p for layer in self.layers for p in layer.parameters()]

    def __len__(self) -> int:
        return len(self.layers)

    @overload
    def __getitem__(self, index: int) -> Layer: ...
    @overload
    def __getitem__(self, index: slice) -> "Sequential": ...
    def __getitem__(self, index: int | slice) -> "Layer | Sequential":
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __iter__(self) -> Iterator[Layer]:
        return iter(self.layers)

    def __repr__(self) -> str:
        return f"Sequential({', '.join(repr(layer) for layer in self.layers)})"
