"""Everything a failed call must leave alone, as comparable data: parameters, gradients, caches."""

from typing import Any

import numpy as np

import minifw as mf


def _freeze(value: object) -> object:
    """An equality-comparable picture of ``value``: arrays by identity, dtype, shape and bytes."""
    if isinstance(value, np.ndarray):
        return ("array", id(value), type(value).__name__, value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, mf.Parameter):
        return ("parameter", value.name, _freeze(value.value), _freeze(value.grad))
    if isinstance(value, list | tuple):
        return tuple(_freeze(item) for item in value)
    if isinstance(value, mf.Layer | mf.Loss | mf.GradientDescent):
        return snapshot(value)
    return repr(value)


def snapshot(obj: object) -> dict[str, Any]:
    """Every attribute of ``obj`` (a layer, model, loss or optimizer), recursively, frozen."""
    return {name: _freeze(value) for name, value in sorted(vars(obj).items())}
