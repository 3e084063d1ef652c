"""Loss: the abstract base of cost functions J."""

import abc

from ..array import Array


class Loss(abc.ABC):
    """A cost J(a, y): ``forward`` returns J as a float, ``backward`` returns ∂J/∂a.

    Subclass it and implement ``forward(a, y)``, which caches what ``backward()``
    needs, and ``backward()``, which returns ∂J/∂a with the shape of ``a``.

    Conventions, for a and y of shape (d, m), one column per example:

    - J is a mean over the m examples (the columns): it divides by m = ``a.shape[1]``.
    - The 1/m lives in the loss: ``backward`` returns ∂J/∂a with the 1/m in it, and
      nothing after it divides again (``Dense.backward`` only sums over the columns).
      For the mean squared error J = (1/2m) Σ (a - y)², ∂J/∂a = (a - y)/m.
    - Through a :class:`minifw.Sigmoid`, your ∂J/∂a gets the plain chain rule,
      ∂J/∂z = ∂J/∂a ⊙ a(1 - a). Only ``BinaryCrossEntropy`` hands the Sigmoid its
      exact ∂J/∂z = (a - y)/m, which matters where a rounds to 0 or 1 and ∂J/∂a is
      infinite.

    ``mf.check_loss(loss, a, y, definition=...)`` holds a loss of your own to its
    definition and to these conventions, and ``mf.check_gradients(model, loss, X, Y)``
    checks it in a model against finite differences. The docs page "Write your own
    loss" works through an example.
    """

    @abc.abstractmethod
    def forward(self, a: Array, y: Array) -> float:
        """The cost J of predictions ``a`` against labels ``y`` (both (d, m))."""

    @abc.abstractmethod
    def backward(self) -> Array:
        """∂J/∂a for the ``a`` of the last ``forward``, shape (d, m)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
