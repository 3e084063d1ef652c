"""The handshake between a ``Sigmoid`` and the loss that keeps J and ∂J/∂z exact where σ saturates.

At z^[2] = 50 the sigmoid a^[2] = σ(z^[2]) rounds to exactly 1.0, and from a^[2] alone the
cost -log(1 - a^[2]) is infinite and the chain (∂J/∂a)·a(1 - a) is ∞·0. The exact values are
J = log(1 + e^50) ≈ 50 and ∂J/∂z^[2] = a^[2] - y. So:

- :class:`Probabilities` is the array a ``Sigmoid`` returns; it remembers z, and
  ``BinaryCrossEntropy`` computes J from z (as PyTorch's ``BCEWithLogitsLoss`` does).
- :class:`LossGradient` is the ∂J/∂a a loss returns for such an ``a``; it also carries
  ∂J/∂z = (a - y)/m, and the ``Sigmoid`` that produced that very ``a`` returns it unchanged.

Anything computed *from* these arrays (``a - y``, ``a[:, :5]``, ``2 * da``) is a plain array
again, so the shortcut applies only where the slides' closed form holds exactly.
"""

from typing import Any

import numpy as np

from .array import Array


class CarrierArray(np.ndarray[tuple[int, ...], np.dtype[np.floating[Any]]]):
    """A float array with side information that arrays derived from it do not inherit."""

    def __array_wrap__(self, array: Any, context: Any = None, return_scalar: bool = False) -> Any:
        plain = array.view(np.ndarray)  # results of ufuncs and reductions are plain arrays
        return plain[()] if return_scalar else plain

    def __repr__(self) -> str:
        return repr(self.view(np.ndarray))


class Probabilities(CarrierArray):
    """a = σ(z), shape (d, m), as returned by ``Sigmoid.forward``; ``logits`` is z (or None).

    It behaves as a plain float array; a loss may read ``logits`` to stay exact.
    """

    logits: Array | None = None  # a class default, so that views and copies start without logits

    @classmethod
    def wrap(cls, a: Array, logits: Array | None) -> "Probabilities":
        """View ``a`` (no copy) as probabilities whose logits are ``logits`` (same shape), or None if unknown."""
        out = a.view(cls)
        out.logits = logits
        return out


class LossGradient(CarrierArray):
    """∂J/∂a, shape (d, m), that also carries ∂J/∂z for the ``a`` it was computed at.

    Attributes:
        dz: ∂J/∂z (shape (d, m)), exact even where ∂J/∂a is infinite.
        a: the :class:`Probabilities` object the loss was evaluated at; only the
            ``Sigmoid`` that returned this very object uses ``dz``.
    """

    dz: Array | None = None  # class defaults, so that views and copies carry nothing
    a: Probabilities | None = None

    @classmethod
    def wrap(cls, da: Array, dz: Array, a: Probabilities) -> "LossGradient":
        """View ``da`` (no copy) as a gradient carrying ``dz`` for the output ``a``."""
        out = da.view(cls)
        out.dz = dz
        out.a = a
        return out
