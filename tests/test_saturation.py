"""Where the sigmoid saturates, J stays finite and exact and ∂J/∂z^[2] stays a^[2] - y."""

import math

import numpy as np
import pytest

import minifw as mf


def softplus(z: float) -> float:
    """log(1 + e^z), computed without overflow: the exact J at logit z for y = 0."""
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


@pytest.mark.parametrize(("z", "y"), [(50.0, 0.0), (800.0, 0.0), (-50.0, 1.0), (-800.0, 1.0), (40.0, 1.0)])
def test_loss_and_gradient_at_a_saturated_output(z: float, y: float) -> None:
    sigmoid, loss = mf.Sigmoid(), mf.BinaryCrossEntropy()
    with np.errstate(all="raise"):
        a = sigmoid.forward(np.array([[z]]))
        J = loss.forward(a, np.array([[y]]))
        dz = sigmoid.backward(loss.backward())
    # J = -log σ(z) for y = 1 and -log(1 - σ(z)) = log(1 + e^z) for y = 0.
    expected = softplus(-z) if y == 1.0 else softplus(z)
    assert math.isfinite(J)
    assert math.isclose(J, expected, rel_tol=1e-12)
    a_exact = 1.0 if z > 0 else 0.0
    if z >= 50 or z <= -800:
        assert float(a[0, 0]) == a_exact  # a rounds to exactly 0 or 1 here...
    assert dz[0, 0] == pytest.approx(float(a[0, 0]) - y, rel=1e-12)  # ...and dJ/dz is still a - y


def test_saturated_batch_keeps_the_one_over_m() -> None:
    z = np.array([[50.0, 800.0, -800.0, 0.0]])
    y = np.array([[0.0, 0.0, 0.0, 1.0]])
    sigmoid, loss = mf.Sigmoid(), mf.BinaryCrossEntropy()
    a = sigmoid.forward(z)
    J = loss.forward(a, y)
    dz = sigmoid.backward(loss.backward())
    expected_J = (softplus(50.0) + softplus(800.0) + softplus(-800.0) + softplus(-0.0)) / 4
    assert pytest.approx(expected_J, rel=1e-12) == J
    np.testing.assert_allclose(dz, (np.array([[1.0, 1.0, 0.0, 0.5]]) - y) / 4, rtol=1e-12)


def test_saturated_network_gradients_are_finite_and_match_the_slides() -> None:
    model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    dense2 = model[2]
    assert isinstance(dense2, mf.Dense)
    dense2.W.value[...] = 0.0
    dense2.b.value[...] = 800.0  # z^[2] = 800 for every example: a^[2] == 1.0 exactly
    X = np.array([[0.1, -0.3], [0.2, 0.5], [-0.4, 0.9]])
    Y = np.array([[0.0, 0.0]])
    loss = mf.BinaryCrossEntropy()
    J = loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    assert pytest.approx(800.0, rel=1e-12) == J
    a1 = model[1].forward(model[0].forward(X))  # recompute a^[1] independently of the caches' use
    np.testing.assert_allclose(dense2.b.grad, [[1.0]], rtol=1e-12)  # (1/m) Σ (a2 - y) = 1
    np.testing.assert_allclose(dense2.W.grad, (np.ones((1, 2)) @ a1.T) / 2, rtol=1e-12)
    for p in model.parameters():
        assert np.all(np.isfinite(p.grad))


def test_sigmoid_is_stable_and_exact_at_the_extremes() -> None:
    with np.errstate(all="raise"):
        a = mf.Sigmoid().forward(np.array([[-1000.0, -50.0, 0.0, 50.0, 1000.0]]))
    assert a[0, 0] == 0.0
    assert a[0, 2] == 0.5
    assert a[0, 4] == 1.0
    assert a[0, 1] == pytest.approx(math.exp(-50.0), rel=1e-15)
    assert a[0, 3] == 1.0


def test_a_modified_gradient_takes_the_ordinary_chain_rule() -> None:
    """The exact shortcut applies only to the loss's own gradient for this very output."""
    sigmoid, loss = mf.Sigmoid(), mf.BinaryCrossEntropy()
    a = sigmoid.forward(np.array([[0.3, -1.0]]))
    loss.forward(a, np.array([[1.0, 0.0]]))
    da = loss.backward()
    doubled = sigmoid.backward(2.0 * da)
    a_plain = np.asarray(a)
    np.testing.assert_allclose(doubled, 2.0 * np.asarray(da) * a_plain * (1 - a_plain), rtol=1e-12)
    assert type(2.0 * da) is np.ndarray
    assert type(a - 1.0) is np.ndarray
