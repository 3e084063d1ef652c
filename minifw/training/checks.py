"""Checks at the entry of the training functions: model and loss types, and features worth a warning."""

import warnings

import numpy as np

from ..array import Array
from ..errors import DataWarning, NotALayerError, NotALossError
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


def warn_about_features(
    X: Array, *, standardize_hint: str = "mf.Standardizer().fit_transform(X)", scales: bool = True
) -> None:
    """Warn (:class:`DataWarning`, one line each, with the fix) about features that spoil gradient descent.

    A feature is a row of X (d0, m). With at least 10 examples, it warns about a feature that
    holds m distinct whole numbers (a row number or an identifier, such as the index column
    pandas writes), a constant feature, and features on large (standard deviation above 10) or
    very different (a ratio above 100) scales (unless ``scales`` is False, for data that will be
    standardized). Fewer examples are too few to judge.
    """
    d0, m = X.shape
    if m < 10:
        return
    flagged = set()
    low, high = X.min(axis=1), X.max(axis=1)
    for i in range(d0):
        row = X[i]
        # m distinct whole numbers span at least m - 1: only such a row is worth the sort in np.unique
        if high[i] - low[i] >= m - 1 and np.array_equal(row, np.round(row)) and np.unique(row).size == m:
            message = (
                f"feature {i} (row {i} of X) holds {m} distinct whole numbers ({row[0]:g}, {row[1]:g}, ...), like a "
                "row number or an identifier: it says nothing about the label, yet it will be fitted. "
                "Fix: leave it out (a CSV from pandas: write it with df.to_csv(index=False))."
            )
            warnings.warn(message, DataWarning, stacklevel=3)
            flagged.add(i)
        elif low[i] == high[i]:
            message = f"feature {i} (row {i} of X) is constant ({row[0]:g}): it cannot help. Fix: leave it out."
            warnings.warn(message, DataWarning, stacklevel=3)
    std = np.array([row.std() for row in X])  # row by row: X.std(axis=1) would hold a copy of all of X
    spread = std[[i for i in range(d0) if i not in flagged and std[i] > 0]]  # of the features worth keeping
    if scales and spread.size and (spread.max() > 10 or spread.max() > 100 * spread.min()):
        message = (
            f"the features' standard deviations range from {spread.min():.3g} to {spread.max():.3g}: gradient descent "
            f"crawls along the large ones and may stop far from the minimum. Fix: standardize them: {standardize_hint}."
        )
        warnings.warn(message, DataWarning, stacklevel=3)
