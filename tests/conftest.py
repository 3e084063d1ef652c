"""Shared fixtures: the slides' 3-4-1 network."""

import numpy as np
import pytest
from hypothesis import settings

import minifw as mf

# No per-example deadline: what these tests check is values, not speed, and on a loaded machine a
# single example can exceed Hypothesis's default 200 ms (speed lives in benchmarks/).
settings.register_profile("minifw", deadline=None)
settings.load_profile("minifw")


def slides_network(seed: int = 0) -> mf.Sequential:
    """Sequential(Dense(3, 4), Sigmoid(), Dense(4, 1), Sigmoid()): the slides' network."""
    return mf.Sequential(mf.Dense(3, 4, rng=seed), mf.Sigmoid(), mf.Dense(4, 1, rng=seed + 1), mf.Sigmoid())


@pytest.fixture
def model() -> mf.Sequential:
    net = slides_network()
    # Non-zero biases, so that a bias mistake cannot hide behind b = 0.
    rng = np.random.default_rng(42)
    for p in net.parameters():
        p.value[...] = rng.normal(size=p.shape)
    return net


def dense_pair(model: mf.Sequential) -> tuple[mf.Dense, mf.Dense]:
    """The two Dense layers of the slides' network (layers 0 and 2)."""
    dense1, dense2 = model[0], model[2]
    assert isinstance(dense1, mf.Dense)
    assert isinstance(dense2, mf.Dense)
    return dense1, dense2


def manual_descent(model: mf.Sequential, X: np.ndarray, Y: np.ndarray, rate: float, epochs: int) -> list[float]:
    """The README's manual loop: the reference that train must reproduce bit for bit."""
    loss = mf.BinaryCrossEntropy()
    opt = mf.GradientDescent(model.parameters(), learning_rate=rate)
    Js = []
    for _ in range(epochs):
        Js.append(loss.forward(model.forward(X), Y))
        model.backward(loss.backward())
        opt.step()
    return Js
