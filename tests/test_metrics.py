"""Predictions and metrics: probabilities, labels at a threshold, accuracy."""

import numpy as np
import pytest

import minifw as mf

from .conftest import slides_network


def test_predict_proba_is_the_network_output_as_a_plain_copy() -> None:
    model = slides_network()
    X = np.random.default_rng(0).normal(size=(3, 6))
    a = mf.predict_proba(model, X)
    assert type(a) is np.ndarray
    np.testing.assert_array_equal(a, np.asarray(model.forward(X)))
    assert a.shape == (1, 6)


def test_predict_thresholds_the_probabilities() -> None:
    model = mf.Sequential(mf.Dense(1, 1, rng=0), mf.Sigmoid())
    model[0].W.value[...] = 1.0  # type: ignore[attr-defined]
    X = np.array([[-2.0, -0.1, 0.0, 0.1, 2.0]])  # a = σ(x): 0.12, 0.475, 0.5, 0.525, 0.88
    np.testing.assert_array_equal(mf.predict(model, X), [[0, 0, 1, 1, 1]])
    np.testing.assert_array_equal(mf.predict(model, X, threshold=0.51), [[0, 0, 0, 1, 1]])
    np.testing.assert_array_equal(mf.predict(model, X, threshold=0.0), [[1, 1, 1, 1, 1]])
    with pytest.raises(mf.ValueRangeError, match="threshold"):
        mf.predict(model, X, threshold=1.5)
    with pytest.raises(mf.ValueRangeError, match="threshold"):
        mf.predict(model, X, threshold=float("nan"))


def test_accuracy_is_the_fraction_of_equal_labels() -> None:
    assert mf.accuracy(np.array([[0, 1, 1, 0]]), np.array([[0, 1, 0, 0]])) == 0.75
    assert mf.accuracy(np.array([[1.0]]), np.array([[1.0]])) == 1.0
    with pytest.raises(mf.ShapeError, match=r"must have shape \(1, 2\) \(the labels Y\)"):
        mf.accuracy(np.array([[0, 1]]), np.array([[0], [1]]))
    with pytest.raises(mf.ValueRangeError, match=r"mf\.predict"):
        mf.accuracy(np.array([[0, 1]]), np.array([[0.2, 0.9]]))
