"""Sequential: layers chained into a network, itself a Layer."""

from collections.abc import Iterator
from typing import final, overload

from ._array import Array
from ._dense import Dense
from ._errors import ArchitectureError, MinifwError, NotALayerError
from ._layer import Layer
from ._parameter import Parameter


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
        ``parameters()`` is ``[W1, b1, W2, b2, ...]`` in layer order. ``backward(grad)``
        takes ∂J/∂a^[L] and returns ∂J/∂x. A failure inside a layer is re-raised with
        the same exception type, naming the layer's index.

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

    def forward(self, x: Array) -> Array:
        """The output of the last layer for the batch ``x`` of shape (d0, m)."""
        for index, layer in enumerate(self.layers):
            try:
                x = layer.forward(x)
            except MinifwError as error:
                raise type(error)(f"Sequential layer {index} ({layer!r}).forward: {error}") from error
        return x

    def backward(self, grad: Array) -> Array:
        """Walk the layers in reverse from ∂J/∂a^[L]; every parameter's grad is set; returns ∂J/∂x."""
        for index in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[index]
            try:
                grad = layer.backward(grad)
            except MinifwError as error:
                raise type(error)(f"Sequential layer {index} ({layer!r}).backward: {error}") from error
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
