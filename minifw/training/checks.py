"""Checks at the entry of the training and data functions: model and loss types, finite data."""

import numpy as np

from ..array import Array
from ..errors import NotALayerError, NotALossError, ValueRangeError
from ..layers.layer import Layer
from ..losses.loss import Loss


def check_model_and_loss(model: object, loss: object, caller: str) -> None:
    """Raise :class:`NotALayerError` / :class:`NotALossError` unless ``model`` is a Layer and ``loss`` a Loss."""
    if not isinstance(model, Layer):
        message = f"{caller} needs a minifw Layer as model (e.g. mf.Sequential(...)), got {type(model).__name__}."
        raise NotALayerError(message)
    if not isinstance(loss, Loss):
        message = f"{caller} needs a minifw Loss as loss (e.g. mf.BinaryCrossEntropy()), got {type(loss).__name__}."
        raise NotALossError(message)


def check_finite(x: Array, name: str) -> None:
    """Raise unless every entry of ``x`` is finite: a full scan, for boundaries only (never per step)."""
    if not np.isfinite(x).all():
        bad = np.argwhere(~np.isfinite(x))
        first = tuple(int(i) for i in bad[0])
        where = f"row {first[0]}, column {first[1]} (example {first[1]})" if len(first) == 2 else f"index {first}"
        message = (
            f"{name} holds {len(bad)} non-finite value(s) (NaN or inf), the first {x[first]} at {where}. "
            "Fix: remove or impute those examples first."
        )
        raise ValueRangeError(message)
