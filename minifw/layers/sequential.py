"""Sequential: layers chained into a network, itself a Layer."""

from collections.abc import Callable, Iterator
from typing import final, overload

import numpy as np

from ..array import Array
from ..errors import ArchitectureError, MinifwError, NotALayerError, ShapeError
from .dense import Dense
from .layer import Layer
from .parameter import Parameter


def check_chain(layers: tuple[Layer, ...]) -> None:
    """Check that each Dense takes as many inputs as the Dense before it has neurons."""
    previous: tuple[int, Dense] | None = None
    for index, layer in enumerate(layers):
        if isinstance(layer, Dense) and previous is not None and layer.in_features != previous[1].out_features:
            before_index, width = previous[0], previous[1].out_features
            message = (
                f"layer {index} ({layer!r}) takes {layer.in_features} inputs, but layer "
                f"{before_index} ({previous[1]!r}) gives {width}. Fix: use Dense({width}, ...) at "
                f"layer {index}, or Dense(..., {layer.in_features}) at layer {before_index}."
            )
            raise ArchitectureError(message)
        if isinstance(layer, Dense) or not layer.elementwise:
            previous = (index, layer) if isinstance(layer, Dense) else None


def call_layer(index: int, layer: Layer, method: Callable[[Array], Array], value: Array) -> Array:
    """``method(value)``, layer ``index``'s forward or backward; an error names the layer, and so does a bad result.

    A minifw error inside the layer is raised again with the same type, naming the layer's index; a
    result that is not a 2-D (d, m) array is a :class:`ShapeError` naming the layer, not the next one.
    """
    name = getattr(method, "__name__", "call")  # "forward" or "backward"
    try:
        result = method(value)
    except MinifwError as error:
        raise type(error)(f"Sequential layer {index} ({layer!r}).{name}: {error}") from error
    if not isinstance(result, np.ndarray) or result.ndim != 2:
        what = f"an array of shape {result.shape}" if isinstance(result, np.ndarray) else type(result).__name__
        message = (
            f"layer {index} ({layer!r}).{name} returned {what}, not a 2-D (d, m) array with one column per "
            f"example. Fix: make {type(layer).__name__}.{name} return one."
        )
        raise ShapeError(message)
    return result


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
        input_grad: whether ``backward`` computes ∂J/∂x even when not asked; ``False``.
            A ``Sequential`` inside another one gets it set like any layer.

    Notes:
        ``forward`` calls each layer's own ``forward`` in order, ``backward`` each layer's
        own ``backward`` in reverse: the same for built-in layers and yours, so a
        breakpoint in ``Dense.forward`` stops during training.

        ``parameters()`` is ``[W1, b1, W2, b2, ...]`` in layer order. A failure inside a
        layer is re-raised with the same exception type, naming the layer's index.

        The input gradient. Training never needs ∂J/∂x = (W^[1])^T ∂J/∂z^[1], a matrix
        product as large as the one for ∂J/∂W^[1]. So before calling each layer's
        ``backward``, ``Sequential`` sets that layer's public ``input_grad`` switch: ``True``
        for every layer but the first, whose ∂J/∂x is wanted only when asked with
        ``backward(grad, input_grad=True)``. A first ``Dense`` then returns a placeholder
        that raises :class:`minifw.StateError` on use; your own first layer may ignore
        the switch.

    Examples:
        >>> import minifw as mf
        >>> model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
        >>> model
        Sequential(Dense(3 -> 4), Sigmoid(), Dense(4 -> 1), Sigmoid())
        >>> [p.shape for p in model.parameters()]
        [(4, 3), (4, 1), (1, 4), (1, 1)]
    """

    layers: tuple[Layer, ...]
    input_grad = False

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
        check_chain(layers)
        self.layers = layers

    def forward(self, x: Array) -> Array:
        """a^[L], the last layer's output, for the batch ``x`` of shape (d0, m): each layer's ``forward`` in order."""
        for index, layer in enumerate(self.layers):
            x = call_layer(index, layer, layer.forward, x)
        return x

    def backward(self, grad: Array, *, input_grad: bool = False) -> Array:
        """Each layer's ``backward`` in reverse, from ``grad`` = ∂J/∂a^[L]; sets every parameter's grad.

        Args:
            grad: ∂J/∂a^[L], the shape of the last output (``loss.backward()``).
            input_grad: also compute ∂J/∂x, the gradient with respect to the network's
                input (it turns on the first layer's ``input_grad``). Off by default: training
                never uses it.

        Returns:
            ∂J/∂x, shape (d0, m), when asked (or when the first layer is one of your own
            that always returns it); otherwise a placeholder of that shape whose every
            use raises :class:`minifw.StateError` naming the fix.
        """
        for index in reversed(range(len(self.layers))):
            layer = self.layers[index]
            layer.input_grad = index > 0 or input_grad or self.input_grad  # only the first may skip ∂J/∂x
            grad = call_layer(index, layer, layer.backward, grad)
        return grad

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
