"""GradientDescent: Step 3 of the slides' algorithm, θ ← θ - α ∂J/∂θ."""

import math
import numbers
from collections.abc import Iterable
from typing import final

import numpy as np

from ._array import Array
from ._buffers import scalar
from ._errors import DTypeError, ValueRangeError
from ._parameter import Parameter


def _check_learning_rate(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        message = (
            f"learning_rate must be a positive real number, got {value!r} of type "
            f"{type(value).__name__}. Fix: pass e.g. learning_rate=0.5."
        )
        raise DTypeError(message)
    rate = float(value)
    if not (math.isfinite(rate) and rate > 0.0):
        message = f"Invalid learning rate: {value!r}. It must be finite and > 0. Fix: pass e.g. learning_rate=0.5."
        raise ValueRangeError(message)
    return rate


def _check_parameters(parameters: object) -> list[Parameter]:
    if not isinstance(parameters, Iterable):
        message = (
            f"GradientDescent takes a list of Parameters, got {type(parameters).__name__}. "
            "Fix: pass model.parameters()."
        )
        raise DTypeError(message)
    params = list(parameters)
    for index, p in enumerate(params):
        if not isinstance(p, Parameter):
            message = (
                f"GradientDescent takes minifw Parameter objects; item {index} is "
                f"{type(p).__name__}. Fix: pass model.parameters()."
            )
            raise DTypeError(message)
    if not params:
        message = (
            "GradientDescent got no parameters, so step() would change nothing. Fix: pass model.parameters() "
            "of a model with a Dense layer (an exhausted generator is empty too: pass a list)."
        )
        raise ValueRangeError(message)
    if len({id(p) for p in params}) != len(params):
        message = (
            "GradientDescent got the same Parameter more than once, so step() would update it twice. "
            "Fix: pass each parameter once, e.g. model.parameters()."
        )
        raise ValueRangeError(message)
    return params


def _block(first: Array, second: Array) -> Array | None:
    """Θ when ``first`` and ``second`` are its two column blocks, Θ = [first second], else None.

    That is: Θ is a C-contiguous 2-D array of their dtype, ``first`` is Θ[:, :k] and ``second``
    is Θ[:, k:] (a :class:`minifw.Dense` keeps W and b, and their gradients, that way).
    """
    base = first.base
    if not (
        isinstance(base, np.ndarray)
        and second.base is base
        and base.ndim == 2
        and base.flags.c_contiguous
        and first.dtype == base.dtype == second.dtype
        and first.strides == base.strides == second.strides
    ):
        return None
    rows, columns = base.shape
    k = first.shape[1]
    if first.shape != (rows, k) or second.shape != (rows, columns - k):
        return None
    start = base.__array_interface__["data"][0]
    if (
        first.__array_interface__["data"][0] != start
        or second.__array_interface__["data"][0] != start + k * base.itemsize
    ):
        return None
    return base


_Pair = tuple[Parameter, Parameter, Array, Array, Array, Array, Array, Array, Array]
"""Parameters p, q; the value and grad arrays of each when paired; Θ = [p q] and ∂J/∂Θ; α in Θ's dtype."""


def _pairs(parameters: list[Parameter], rate: float) -> tuple[list[_Pair], list[Parameter]]:
    """Consecutive parameters whose values, and whose gradients, lie side by side; the others alone.

    Each pair carries α = ``rate`` as a 0-d array of its dtype (:func:`~minifw._buffers.scalar`).
    """
    pairs: list[_Pair] = []
    singles: list[Parameter] = []
    index = 0
    while index < len(parameters):
        p = parameters[index]
        q = parameters[index + 1] if index + 1 < len(parameters) else None
        if q is not None:
            theta = _block(p.value, q.value)
            grad = _block(p.grad, q.grad)
            if theta is not None and grad is not None:
                pairs.append((p, q, p.value, q.value, p.grad, q.grad, theta, grad, scalar(rate, theta.dtype)))
                index += 2
                continue
        singles.append(p)
        index += 1
    return pairs, singles


def _update(p: Parameter, rate: float) -> None:
    """θ ← θ - α ∂J/∂θ for one parameter, in place."""
    theta = p.value
    theta -= rate * p.grad  # in place: ndarray -= never rebinds p.value


@final
class GradientDescent:
    """θ^(t+1) = θ^(t) - α ∂J/∂θ(θ^(t)), for every parameter θ, in place.

    Args:
        parameters: the parameters to update, e.g. ``model.parameters()``.
        learning_rate: α > 0, finite.

    Attributes:
        parameters: the parameters, as a list.
        learning_rate: α; setting it validates it again.

    Notes:
        ``step()`` reads each ``Parameter.grad`` as set by the last ``backward`` and
        updates ``Parameter.value`` in place, so every reference to the arrays stays
        valid. It does not reset the gradients: the next ``backward`` sets them anew.

        Speed: a ``Dense`` keeps W and b (and their gradients) as the two column blocks
        of one array Θ = [W b], so ``step()`` updates both with one NumPy call, entry by
        entry the same numbers as two; a parameter whose ``value`` or ``grad`` was
        replaced is updated alone.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> p = mf.Parameter(np.array([[1.0]]))
        >>> p.grad[...] = 2.0
        >>> mf.GradientDescent([p], learning_rate=0.25).step()
        >>> p.value
        array([[0.5]])
    """

    parameters: list[Parameter]
    _learning_rate: float

    def __init__(self, parameters: Iterable[Parameter], learning_rate: float) -> None:
        self._learning_rate = _check_learning_rate(learning_rate)
        self.parameters = _check_parameters(parameters)
        self._planned = list(self.parameters)
        self._pairs, self._singles = _pairs(self._planned, self._learning_rate)

    @property
    def learning_rate(self) -> float:
        """α, the step size."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._learning_rate = _check_learning_rate(value)
        self._pairs, self._singles = _pairs(self._planned, self._learning_rate)

    def step(self) -> None:
        """θ ← θ - α ∂J/∂θ for every parameter, in place."""
        rate = self._learning_rate
        if self._planned != self.parameters:  # the list was changed since: pair again
            self._planned = list(self.parameters)
            self._pairs, self._singles = _pairs(self._planned, rate)
        for p, q, p_value, q_value, p_grad, q_grad, theta, grad, alpha in self._pairs:
            if p.value is p_value and q.value is q_value and p.grad is p_grad and q.grad is q_grad:
                theta -= alpha * grad  # both parameters in one pass: the same numbers, entry by entry
            else:  # a value or grad was replaced since: update each one alone
                _update(p, rate)
                _update(q, rate)
        for p in self._singles:
            _update(p, rate)

    def __repr__(self) -> str:
        return f"GradientDescent({len(self.parameters)} parameters, learning_rate={self._learning_rate})"
