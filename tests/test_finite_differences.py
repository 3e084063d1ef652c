"""Backward agrees with central finite differences of J for random shapes and batches (float64)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import minifw as mf


def cost(model: mf.Sequential, X: np.ndarray, Y: np.ndarray) -> float:
    return mf.BinaryCrossEntropy().forward(model.forward(X), Y)


@settings(max_examples=25, deadline=None)
@given(
    d0=st.integers(1, 5),
    hidden=st.integers(1, 6),
    m=st.integers(1, 8),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_parameter_matches_central_differences(d0: int, hidden: int, m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    model = mf.Sequential(mf.Dense(d0, hidden, rng=rng), mf.Sigmoid(), mf.Dense(hidden, 1, rng=rng), mf.Sigmoid())
    for p in model.parameters():
        p.value[...] = rng.normal(size=p.shape)
    X = rng.normal(size=(d0, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    loss = mf.BinaryCrossEntropy()
    loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    h = 1e-6
    for p in model.parameters():
        numeric = np.zeros_like(p.value)
        for index in np.ndindex(p.shape):
            saved = p.value[index]
            p.value[index] = saved + h
            plus = cost(model, X, Y)
            p.value[index] = saved - h
            minus = cost(model, X, Y)
            p.value[index] = saved
            numeric[index] = (plus - minus) / (2 * h)
        np.testing.assert_allclose(p.grad, numeric, rtol=1e-5, atol=1e-8)


@settings(max_examples=15, deadline=None)
@given(d0=st.integers(1, 4), m=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_input_gradient_matches_central_differences(d0: int, m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    model = mf.Sequential(mf.Dense(d0, 3, rng=rng), mf.Sigmoid(), mf.Dense(3, 1, rng=rng), mf.Sigmoid())
    X = rng.normal(size=(d0, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    loss = mf.BinaryCrossEntropy()
    loss.forward(model.forward(X), Y)
    dX = model.backward(loss.backward(), input_grad=True)
    h = 1e-6
    numeric = np.zeros_like(X)
    for index in np.ndindex(X.shape):
        Xp, Xm = X.copy(), X.copy()
        Xp[index] += h
        Xm[index] -= h
        numeric[index] = (cost(model, Xp, Y) - cost(model, Xm, Y)) / (2 * h)
    np.testing.assert_allclose(dX, numeric, rtol=1e-5, atol=1e-8)
