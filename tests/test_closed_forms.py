"""Every forward value and gradient equals the slides' closed forms, to float64 rounding."""

import math

import numpy as np
import pytest

import minifw as mf

from . import slide_formulas
from .conftest import dense_pair

RTOL = 1e-12


def close(actual: object, expected: object) -> None:
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=RTOL, atol=1e-15)


def params(model: mf.Sequential) -> tuple[np.ndarray, ...]:
    return tuple(p.value.copy() for p in model.parameters())


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_one_example_forward_and_backward_match_the_slides(model: mf.Sequential, y: float) -> None:
    x = np.array([[0.5], [-1.2], [2.0]])  # d0 = 3, m = 1
    W1, b1, W2, b2 = params(model)
    expected = slide_formulas.one_example(x, y, W1, b1, W2, float(b2[0, 0]))
    dense1, dense2 = dense_pair(model)
    sigmoid1, sigmoid2 = model[1], model[3]
    loss = mf.BinaryCrossEntropy()

    z1 = dense1.forward(x)
    a1 = sigmoid1.forward(z1)
    z2 = dense2.forward(a1)
    a2 = sigmoid2.forward(z2)
    J = loss.forward(a2, np.array([[y]]))
    close(z1, expected.z1)
    close(a1, expected.a1)
    close(z2, [[expected.z2]])
    close(a2, [[expected.a2]])
    assert math.isclose(J, expected.J, rel_tol=RTOL)

    dz2 = sigmoid2.backward(loss.backward())
    close(dz2, [[expected.a2 - y]])
    da1 = dense2.backward(dz2)
    dz1 = sigmoid1.backward(da1)
    close(dz1, (expected.a2 - y) * expected.D @ W2.T)  # the slides' D, explicitly
    dense1.backward(dz1)
    close(dense2.b.grad, [[expected.db2]])
    close(dense2.W.grad, expected.dW2)
    close(dense1.b.grad, expected.db1)
    close(dense1.W.grad, expected.dW1)


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_sequential_gives_the_same_gradients_as_the_layers_by_hand(model: mf.Sequential, y: float) -> None:
    x = np.array([[1.0], [0.0], [-3.0]])
    W1, b1, W2, b2 = params(model)
    expected = slide_formulas.one_example(x, y, W1, b1, W2, float(b2[0, 0]))
    loss = mf.BinaryCrossEntropy()
    J = loss.forward(model.forward(x), np.array([[y]]))
    model.backward(loss.backward())
    assert math.isclose(J, expected.J, rel_tol=RTOL)
    dW1, db1, dW2, db2 = (p.grad for p in model.parameters())
    close(dW1, expected.dW1)
    close(db1, expected.db1)
    close(dW2, expected.dW2)
    close(db2, [[expected.db2]])


@pytest.mark.parametrize("m", [1, 2, 7, 50])
def test_batch_forms_average_the_one_example_closed_forms(model: mf.Sequential, m: int) -> None:
    rng = np.random.default_rng(m)
    X = rng.normal(size=(3, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    W1, b1, W2, b2 = params(model)
    expected = slide_formulas.batch(X, Y, W1, b1, W2, b2)
    loss = mf.BinaryCrossEntropy()
    J = loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    assert math.isclose(J, expected.J, rel_tol=RTOL)
    for p, e in zip(model.parameters(), expected[1:], strict=True):
        close(p.grad, e)


def test_one_gradient_descent_step_is_theta_minus_alpha_gradient(model: mf.Sequential) -> None:
    x, y = np.array([[0.3], [0.1], [-0.7]]), np.array([[1.0]])
    before = params(model)
    W1, b1, W2, b2 = before
    expected = slide_formulas.one_example(x, 1.0, W1, b1, W2, float(b2[0, 0]))
    loss = mf.BinaryCrossEntropy()
    opt = mf.GradientDescent(model.parameters(), learning_rate=0.5)
    loss.forward(model.forward(x), y)
    model.backward(loss.backward())
    opt.step()
    gradients = (expected.dW1, expected.db1, expected.dW2, [[expected.db2]])
    for p, theta, grad in zip(model.parameters(), before, gradients, strict=True):
        close(p.value, theta - 0.5 * np.asarray(grad))


def test_backward_sets_gradients_rather_than_accumulating(model: mf.Sequential) -> None:
    x, y = np.array([[0.3], [0.1], [-0.7]]), np.array([[0.0]])
    loss = mf.BinaryCrossEntropy()
    for _ in range(3):
        loss.forward(model.forward(x), y)
        model.backward(loss.backward())
    once = [p.grad.copy() for p in model.parameters()]
    loss.forward(model.forward(x), y)
    model.backward(loss.backward())
    for p, g in zip(model.parameters(), once, strict=True):
        np.testing.assert_array_equal(p.grad, g)


def test_sigmoid_backward_multiplies_by_the_slides_diagonal_matrix() -> None:
    z = np.array([[-2.0], [0.0], [0.5], [3.0]])
    sigmoid = mf.Sigmoid()
    a = sigmoid.forward(z)
    da = np.array([[1.0], [-2.0], [0.25], [4.0]])
    D = np.diag([slide_formulas.sigma(v) * (1 - slide_formulas.sigma(v)) for v in z[:, 0]])
    close(a, [[slide_formulas.sigma(v)] for v in z[:, 0]])
    close(sigmoid.backward(da), D @ da)


def test_loss_gradient_with_respect_to_plain_probabilities() -> None:
    a = np.array([[0.2, 0.9, 0.5]])
    y = np.array([[0.0, 1.0, 1.0]])
    loss = mf.BinaryCrossEntropy()
    J = loss.forward(a, y)
    expected_J = -sum(yi * math.log(ai) + (1 - yi) * math.log(1 - ai) for ai, yi in zip(a[0], y[0], strict=True)) / 3
    assert math.isclose(J, expected_J, rel_tol=RTOL)
    close(loss.backward(), (-(y / a) + (1 - y) / (1 - a)) / 3)
