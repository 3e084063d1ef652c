"""Standardizer: x' = (x - μ) / σ for every feature, the usual cure for features on different scales."""

from typing import final

import numpy as np

from ..array import Array
from ..errors import StateError, ValueRangeError
from ..layers.layer import Layer
from ..number_checks import check_finite
from ..validation import check_batch, check_same_shape


@final
class Standardizer(Layer):
    """x' = (x - μ) / σ, feature by feature (row by row of X), with μ and σ of the training data.

    Gradient descent takes one step size α for every parameter. When one feature spans
    thousands and another spans one, the cost J is a long narrow valley: an α small enough
    for the steep direction crawls along the flat one. Standardized features all have mean 0
    and standard deviation 1, and the same α suits them all.

    Use it on the data (``fit_transform(X)`` for training, ``transform(X_new)`` later), or as
    the first layer of a model, which then standardizes what it is given:
    ``Sequential(scaler, Dense(...), ...)``. ``mf.save`` keeps μ and σ in the model file, so a
    loaded model standardizes new data the same way. It has no parameters: training leaves
    μ and σ alone.

    Attributes:
        mean: μ, shape (d0, 1), after ``fit``.
        std: σ, shape (d0, 1), after ``fit`` (1 for a constant feature, which then becomes 0).

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> X = np.array([[100.0, 200.0, 300.0], [1.0, 2.0, 3.0]])
        >>> scaler = mf.Standardizer().fit(X)
        >>> scaler.transform(X).round(4).tolist()
        [[-1.2247, 0.0, 1.2247], [-1.2247, 0.0, 1.2247]]
        >>> scaler.transform(np.array([[400.0], [4.0]])).round(4).tolist()
        [[2.4495], [2.4495]]
    """

    elementwise = True
    mean: Array | None
    std: Array | None

    def __init__(self, mean: Array | None = None, std: Array | None = None) -> None:
        if mean is not None or std is not None:
            mean = check_batch(mean, "mean", None, np.float64)
            std = check_same_shape(std, "std", mean.shape, np.float64, "the shape of mean")
            if mean.shape[1] != 1 or not (np.all(np.isfinite(mean)) and np.all(std > 0) and np.all(np.isfinite(std))):
                message = (
                    f"Standardizer needs a finite mean and a finite std > 0, both of shape (d0, 1); got shapes "
                    f"{mean.shape} and {std.shape}. Fix: fit it on data: mf.Standardizer().fit(X)."
                )
                raise ValueRangeError(message)
        self.mean, self.std = mean, std

    def fit(self, X: Array) -> "Standardizer":
        """Learn μ and σ of each feature (row) of X, shape (d0, m); returns the standardizer itself."""
        X = check_batch(X, "X", None, np.float64)
        check_finite(X, "X")
        std = X.std(axis=1, keepdims=True)
        self.mean, self.std = X.mean(axis=1, keepdims=True), np.where(std > 0, std, 1.0)
        return self

    def transform(self, X: Array) -> Array:
        """(X - μ) / σ, a new array of X's shape (d0, m), with the μ and σ of ``fit``."""
        mean, std = self.fitted()
        X = check_batch(X, "X", mean.shape[0], np.float64)
        return (X - mean) / std

    def fit_transform(self, X: Array) -> Array:
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def forward(self, x: Array) -> Array:
        """x' = (x - μ) / σ for a batch x of shape (d0, m): ``transform`` as a layer."""
        return self.transform(x)

    def backward(self, grad: Array) -> Array:
        """∂J/∂x = ∂J/∂x' / σ, shape (d0, m)."""
        _, std = self.fitted()
        return check_batch(grad, "grad", std.shape[0], np.float64) / std

    def fitted(self) -> tuple[Array, Array]:
        """(μ, σ); raises :class:`minifw.StateError` before ``fit``."""
        if self.mean is None or self.std is None:
            message = "the Standardizer was used before fit(). Fix: call fit(X_train) first."
            raise StateError(message)
        return self.mean, self.std

    def __repr__(self) -> str:
        return f"Standardizer({'not fitted' if self.mean is None else f'{self.mean.shape[0]} features'})"
