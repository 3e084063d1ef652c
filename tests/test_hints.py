"""Hints that point the right way: the layer at fault, the array at fault."""

from typing import cast

import numpy as np
import pytest

import minifw as mf


class Total(mf.Layer):
    """A user's layer with a bug: it returns a number, not a (d, m) array."""

    def forward(self, x: mf.Array) -> mf.Array:
        return cast(mf.Array, np.sum(x))  # a NumPy scalar, cast to an array: a bug mypy cannot see

    def backward(self, grad: mf.Array) -> mf.Array:
        return grad


def test_a_layer_returning_a_scalar_is_named_not_the_dense_after_it() -> None:
    model = mf.Sequential(mf.Dense(2, 3, rng=0), Total(), mf.Dense(1, 1, rng=0))
    with pytest.raises(mf.ShapeError) as info:
        model.forward(np.ones((2, 4)))
    message = str(info.value)
    assert message.startswith("layer 1 (Total()).forward returned float64")
    assert "Fix: make Total.forward return one." in message
    assert "a_prev" not in message  # not blamed on the Dense after it


def test_a_labels_row_of_the_wrong_length_is_not_called_a_transposed_x() -> None:
    X, _ = mf.make_xor(200)
    model = mf.Sequential(mf.Dense(2, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    with pytest.raises(mf.ShapeError, match="give one label column per example of X") as info:
        mf.train(model, mf.BinaryCrossEntropy(), X, np.array([[0.0, 1.0]]), learning_rate=1.0)
    assert "transposed" not in str(info.value)
    with pytest.raises(mf.ShapeError, match=r"looks transposed \(examples as rows\): pass X.T"):
        mf.train(model, mf.BinaryCrossEntropy(), X.T, np.zeros((1, 200)), learning_rate=1.0)
