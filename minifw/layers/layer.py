"""Layer: the abstract base every layer, built-in or yours, subclasses."""

import abc
from typing import ClassVar

from ..array import Array
from .parameter import Parameter


class Layer(abc.ABC):
    """A step of the network: ``forward`` computes its output, ``backward`` its gradients.

    Subclass it and implement two methods:

    - ``forward(x)``: the layer's output for a batch ``x`` of shape (d, m), caching
      what ``backward`` will need (the slides: "we only need to cache a^[1] and a^[2]").
    - ``backward(grad)``: given ∂J/∂(output), set the gradient of every parameter and
      return ∂J/∂x, the same shape as the ``x`` of the last ``forward``.

    ``parameters()`` lists the layer's :class:`Parameter` objects; it defaults to none.

    Attributes:
        elementwise: ``True`` for layers that act on each entry alone and so keep the
            shape, like ``Sigmoid``; ``Sequential`` then checks that the ``Dense``
            layers on either side chain. Defaults to ``False`` (shape unknown).
        input_grad: whether ``backward`` must return ∂J/∂x. ``True`` by default. A
            ``Dense`` with ``input_grad = False`` skips that matrix product and returns a
            placeholder (:class:`~minifw.layers.not_computed.NotComputed`). ``Sequential``
            sets it on each layer before calling its ``backward``: ``True`` for every layer
            but the first, and for the first only when asked with
            ``backward(grad, input_grad=True)``, since training never uses ∂J/∂x.
            Your own layers may ignore it and always return ∂J/∂x.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> class Tanh(mf.Layer):
        ...     elementwise = True
        ...     def forward(self, x: mf.Array) -> mf.Array:
        ...         self.a = np.tanh(x)
        ...         return self.a
        ...     def backward(self, grad: mf.Array) -> mf.Array:
        ...         return grad * (1.0 - self.a**2)
        >>> mf.Sequential(mf.Dense(2, 3, rng=0), Tanh(), mf.Dense(3, 1, rng=1))
        Sequential(Dense(2 -> 3), Tanh(), Dense(3 -> 1))
    """

    elementwise: ClassVar[bool] = False
    input_grad: bool = True

    @abc.abstractmethod
    def forward(self, x: Array) -> Array:
        """The layer's output for the batch ``x``; caches what ``backward`` needs."""

    @abc.abstractmethod
    def backward(self, grad: Array) -> Array:
        """Set the parameters' gradients from ∂J/∂(output) and return ∂J/∂(input)."""

    def parameters(self) -> list[Parameter]:
        """The layer's parameters, in a fixed order; none by default."""
        return []

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def no_cache_message(name: str, x: str, released: bool) -> str:
    """The error of a ``backward`` with nothing cached: before any ``forward``, or run twice after one."""
    if released:
        return (
            f"{name}.backward() ran twice after one forward(): backward releases what forward cached, as "
            "PyTorch frees what it saved, so that the next step can reuse the layer's arrays. Fix: run forward "
            "again before each backward; in training, loss.forward(model.forward(X), Y) and then "
            "model.backward(loss.backward())."
        )
    return f"{name}.backward() was called before forward(). Fix: call forward({x}) first."
