"""GradientDescent: Step 3 of the slides' algorithm, θ ← θ - α ∂J/∂θ."""

import math
import numbers
from collections.abc import Iterable
from typing import final

from ..errors import DTypeError, ValueRangeError
from ..layers.parameter import Parameter


def check_learning_rate(value: object) -> float:
    """``value`` as a float α; raise unless it is a finite real number > 0."""
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


def check_parameters(parameters: object) -> list[Parameter]:
    """``parameters`` as a list of distinct :class:`Parameter` objects, at least one."""
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
        self.parameters = check_parameters(parameters)
        self.learning_rate = learning_rate

    @property
    def learning_rate(self) -> float:
        """α, the step size."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        rate = check_learning_rate(value)
        for dtype in {p.value.dtype for p in self.parameters if p.value.dtype.type(rate) == 0}:
            message = (
                f"learning_rate={value!r} rounds to 0 in {dtype}, so step() would change nothing. "
                "Fix: use a larger learning rate."
            )
            raise ValueRangeError(message)
        self._learning_rate = rate

    def step(self) -> None:
        """θ ← θ - α ∂J/∂θ for every parameter, in place."""
        for p in self.parameters:
            theta = p.value
            theta -= self._learning_rate * p.grad  # θ ← θ - α ∂J/∂θ, in place: the same array

    def __repr__(self) -> str:
        return f"GradientDescent({len(self.parameters)} parameters, learning_rate={self._learning_rate})"
