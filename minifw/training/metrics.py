"""Predictions and metrics: a^[2] as P(y = 1 | x), labels at a threshold, accuracy."""

import numbers

import numpy as np

from ..array import Array
from ..errors import ShapeError, ValueRangeError
from ..layers.layer import Layer
from ..validation import check_batch, check_finite, float_dtype_of


def predict_proba(model: Layer, X: Array) -> Array:
    """a^[L] for every column of X: the estimated P(y = 1 | x), shape (1, m).

    Runs ``model.forward(X)`` (so the layers' caches now hold this batch) and returns a
    plain float array (a copy, not the cached output).

    Args:
        model: the trained network, e.g. ``Sequential(Dense(3, 4), Sigmoid(), Dense(4, 1), Sigmoid())``.
        X: the batch, shape (d0, m).

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> model = mf.Sequential(mf.Dense(2, 1, rng=0), mf.Sigmoid())
        >>> mf.predict_proba(model, np.zeros((2, 3)))
        array([[0.5, 0.5, 0.5]])
    """
    X_checked = check_batch(X, "X", None, float_dtype_of(X))
    check_finite(X_checked, "X")  # a boundary: NaN would silently predict label 0
    a = model.forward(X_checked)
    return np.array(a, dtype=a.dtype, copy=True).view(np.ndarray)


def _check_threshold(threshold: object) -> float:
    number = float(threshold) if isinstance(threshold, numbers.Real) and not isinstance(threshold, bool) else -1.0
    if not 0.0 <= number <= 1.0:
        message = f"threshold must be a probability in [0, 1], got {threshold!r}. Fix: pass e.g. threshold=0.5."
        raise ValueRangeError(message)
    return number


def predict(model: Layer, X: Array, threshold: float = 0.5) -> Array:
    """ŷ = 1 where a^[L] >= threshold, else 0; shape (1, m), float 0.0/1.0 like the labels Y.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> model = mf.Sequential(mf.Dense(1, 1, rng=0), mf.Sigmoid())
        >>> model[0].W.value[...] = 1.0
        >>> mf.predict(model, np.array([[-2.0, 0.0, 3.0]]))
        array([[0., 1., 1.]])
    """
    cut = _check_threshold(threshold)
    a = predict_proba(model, X)
    return (a >= cut).astype(a.dtype)


def accuracy(Y: Array, Y_hat: Array) -> float:
    """The fraction of columns where the predicted label ŷ equals the label y.

    Args:
        Y: the labels, shape (1, m), entries 0 or 1.
        Y_hat: the predicted labels (from :func:`predict`), same shape, entries 0 or 1.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> mf.accuracy(np.array([[0, 1, 1, 0]]), np.array([[0, 1, 0, 0]]))
        0.75
    """
    y = check_batch(Y, "Y", None, np.float64)
    y_hat = check_batch(Y_hat, "Y_hat", None, np.float64)
    if y.shape != y_hat.shape:
        message = (
            f"Y and Y_hat must have the same shape; got Y {y.shape} and Y_hat {y_hat.shape}. "
            "Fix: pass the labels and mf.predict(model, X) for the same X."
        )
        raise ShapeError(message)
    for name, labels in (("Y", y), ("Y_hat", y_hat)):
        if not np.all((labels == 0.0) | (labels == 1.0)):
            message = (
                f"{name} must hold labels 0 or 1; got values such as {labels[(labels != 0) & (labels != 1)][0]!r}. "
                "Fix: for probabilities, use mf.predict(model, X) to get labels at a threshold."
            )
            raise ValueRangeError(message)
    return float(np.mean(y == y_hat))
