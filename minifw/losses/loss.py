"""Loss: the abstract base of cost functions J."""

import abc

from ..array import Array


class Loss(abc.ABC):
    """A cost J(a, y): ``forward`` returns J as a float, ``backward`` returns ∂J/∂a.

    Subclass it and implement ``forward(a, y)``, which caches what ``backward()``
    needs, and ``backward()``, which returns ∂J/∂a with the shape of ``a``.
    """

    @abc.abstractmethod
    def forward(self, a: Array, y: Array) -> float:
        """The cost J of predictions ``a`` against labels ``y`` (both (d, m))."""

    @abc.abstractmethod
    def backward(self) -> Array:
        """∂J/∂a for the ``a`` of the last ``forward``, shape (d, m)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
