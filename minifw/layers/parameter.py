"""Parameter: a model parameter θ and its gradient ∂J/∂θ, side by side."""

from typing import Any

import numpy as np
from attrs import define, field

from ..array import Array
from ..errors import DTypeError, ShapeError


def _check_value(instance: "Parameter", attribute: Any, value: object) -> None:
    if not isinstance(value, np.ndarray) or value.dtype.kind != "f":
        message = (
            f"Parameter.value must be a float NumPy array, got {type(value).__name__}"
            f"{' of dtype ' + str(value.dtype) if isinstance(value, np.ndarray) else ''}. "
            "Fix: pass np.asarray(value, dtype=np.float64)."
        )
        raise DTypeError(message)
    grad, name = getattr(instance, "grad", None), instance.name or "Parameter"  # grad is unset in __init__
    if grad is not None and value.shape != grad.shape:
        message = (
            f"{name}.value: shape {value.shape} given, {grad.shape} expected. "
            f"Fix: reshape it, e.g. value.reshape{grad.shape} (a bias is a (d, 1) column)."
        )
        raise ShapeError(message)
    if grad is not None and value.dtype != grad.dtype:
        message = (
            f"{name}.value: dtype {value.dtype} given, {grad.dtype} expected (the parameter's dtype is fixed). "
            f"Fix: convert it, e.g. value.astype(np.{grad.dtype})."
        )
        raise DTypeError(message)


def _check_grad(instance: "Parameter", attribute: Any, grad: object) -> None:
    value = instance.value
    if isinstance(grad, np.ndarray) and grad.shape == value.shape and grad.dtype == value.dtype:
        return
    name = instance.name or "Parameter"
    got = f"an array of shape {grad.shape} and dtype {grad.dtype}" if isinstance(grad, np.ndarray) else repr(grad)
    message = (
        f"{name}.grad must be an array of shape {value.shape} and dtype {value.dtype} (those of {name}.value), "
        f"got {got}. Fix: write into it in place, e.g. {name}.grad[...] = new_grad."
    )
    if isinstance(grad, np.ndarray) and grad.dtype == value.dtype:
        raise ShapeError(message)
    raise DTypeError(message)


@define(eq=False)
class Parameter:
    """A model parameter θ (such as ``W^[l]`` or ``b^[l]``) and its gradient ∂J/∂θ.

    ``grad`` has the shape and dtype of ``value`` and is zeros until the first
    ``backward``; every ``backward`` then *sets* it to ∂J/∂θ at the current θ
    (Step 2 of the slides' algorithm). The optimizer updates ``value`` in place,
    so references to the array (held by an optimizer or by you) stay valid.

    Attributes:
        value: θ, a float array, e.g. (d_l, d_{l-1}) for ``W^[l]``.
        grad: ∂J/∂θ, same shape and dtype as ``value``.
        name: a short label used in messages and reports (``"W"``, ``"b"``).

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> p = mf.Parameter(np.ones((2, 1)), name="b")
        >>> p
        Parameter(name='b', shape=(2, 1), dtype=float64)
        >>> p.grad.tolist()
        [[0.0], [0.0]]
    """

    value: Array = field(validator=_check_value)
    grad: Array = field(init=False, validator=_check_grad)
    name: str = field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        self.grad = np.zeros_like(self.value)

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of ``value`` (and of ``grad``)."""
        return self.value.shape

    def __repr__(self) -> str:
        return f"Parameter(name={self.name!r}, shape={self.value.shape}, dtype={self.value.dtype})"
