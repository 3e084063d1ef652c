"""What the fast training step must not change: values, stable arrays, the input gradient on request.

Inside ``Sequential`` the built-in layers write internal arrays into buffers kept across steps and
skip ∂J/∂x unless asked. These tests pin down what a user can rely on.
"""

import copy
import math
import pickle
import tracemalloc
from typing import Any

import numpy as np
import pytest

import minifw as mf

from .conftest import manual_descent
from .typing_cases.user_layer import Tanh


def network(d0: int = 3, h: int = 4, seed: int = 0, dtype: Any = np.float64) -> mf.Sequential:
    return mf.Sequential(
        mf.Dense(d0, h, rng=seed, dtype=dtype), mf.Sigmoid(), mf.Dense(h, 1, rng=seed + 1, dtype=dtype), mf.Sigmoid()
    )


def data(d0: int = 3, m: int = 5, seed: int = 0) -> tuple[mf.Array, mf.Array]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(d0, m)), (rng.random((1, m)) < 0.5).astype(float)


def layer_by_layer(model: mf.Sequential, X: mf.Array, Y: mf.Array) -> tuple[list[mf.Array], mf.Array]:
    """Gradients from calling each layer's public forward/backward in turn (no buffers, dx computed)."""
    loss = mf.BinaryCrossEntropy()
    a = X
    for layer in model:
        a = layer.forward(a)
    loss.forward(a, Y)
    grad = loss.backward()
    for layer in reversed(model.layers):
        grad = layer.backward(grad)
    return [p.grad.copy() for p in model.parameters()], grad


def test_backward_skips_the_input_gradient_unless_asked() -> None:
    model, loss = network(), mf.BinaryCrossEntropy()
    X, Y = data()
    loss.forward(model.forward(X), Y)
    dX = model.backward(loss.backward())
    assert dX.shape == X.shape
    assert dX.dtype == X.dtype
    with pytest.raises(mf.StateError, match=r"input_grad=True"):
        np.testing.assert_allclose(dX, 0.0)
    with pytest.raises(mf.StateError, match=r"input_grad=True"):
        _ = dX + 1.0
    with pytest.raises(mf.StateError, match=r"input_grad=True"):
        _ = dX[0, 0]
    assert "input_grad=True" in repr(dX)


def test_input_gradient_on_request_equals_the_layer_by_layer_chain() -> None:
    model, loss = network(), mf.BinaryCrossEntropy()
    X, Y = data()
    grads, dX_expected = layer_by_layer(model, X, Y)
    loss.forward(model.forward(X), Y)
    dX = model.backward(loss.backward(), input_grad=True)
    np.testing.assert_array_equal(dX, dX_expected)
    for p, g in zip(model.parameters(), grads, strict=True):
        np.testing.assert_array_equal(p.grad, g)
    # the same parameter gradients when ∂J/∂x is skipped
    loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    for p, g in zip(model.parameters(), grads, strict=True):
        np.testing.assert_array_equal(p.grad, g)


def test_arrays_a_user_holds_survive_the_next_steps() -> None:
    model, loss = network(), mf.BinaryCrossEntropy()
    X, Y = data()
    X2, _ = data(seed=1)
    a = model.forward(X)
    a_copy = np.array(a)
    J = loss.forward(a, Y)
    dX = model.backward(loss.backward(), input_grad=True)
    dX_copy = np.array(dX)
    grads = [p.grad for p in model.parameters()]
    values = [p.value for p in model.parameters()]
    opt = mf.GradientDescent(model.parameters(), learning_rate=0.5)
    for _ in range(3):
        opt.step()
        loss.forward(model.forward(X2), Y)
        model.backward(loss.backward(), input_grad=True)
    np.testing.assert_array_equal(a, a_copy)
    np.testing.assert_array_equal(dX, dX_copy)
    assert mf.BinaryCrossEntropy().forward(a, Y) == J  # the logits a carries were not overwritten
    assert all(p.grad is g for p, g in zip(model.parameters(), grads, strict=True))
    assert all(p.value is v for p, v in zip(model.parameters(), values, strict=True))


def test_layers_called_on_their_own_return_new_arrays() -> None:
    dense, sigmoid = mf.Dense(3, 4, rng=0), mf.Sigmoid()
    X, _ = data()
    z1 = dense.forward(X)
    z1_copy = z1.copy()
    a1 = sigmoid.forward(z1)
    a1_copy = np.array(a1)
    dense.forward(2.0 * X)
    sigmoid.forward(-z1)
    np.testing.assert_array_equal(z1, z1_copy)
    np.testing.assert_array_equal(a1, a1_copy)
    dz = sigmoid.backward(np.ones_like(a1))
    dz_copy = dz.copy()
    sigmoid.backward(2.0 * np.ones_like(a1))
    np.testing.assert_array_equal(dz, dz_copy)


def test_a_step_allocates_far_less_than_the_hidden_layer() -> None:
    d0, h, m = 20, 64, 2000
    model, loss = network(d0, h), mf.BinaryCrossEntropy()
    X, Y = data(d0, m)
    opt = mf.GradientDescent(model.parameters(), learning_rate=0.1)

    def step() -> None:
        loss.forward(model.forward(X), Y)
        model.backward(loss.backward())
        opt.step()

    step()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        step()
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    one_hidden_array = h * m * 8
    assert peak < one_hidden_array / 4, (peak, one_hidden_array)


@pytest.mark.parametrize("where", ["first", "last"])
def test_nested_sequential_gives_the_same_gradients(where: str) -> None:
    flat = network(seed=3)
    layers = flat.layers
    if where == "first":
        nested = mf.Sequential(mf.Sequential(*layers[:2]), *layers[2:])
    else:
        nested = mf.Sequential(*layers[:2], mf.Sequential(*layers[2:]))
    X, Y = data()
    grads, dX_expected = layer_by_layer(flat, X, Y)
    loss = mf.BinaryCrossEntropy()
    for _ in range(2):  # the second time through, buffers are reused
        loss.forward(nested.forward(X), Y)
        dX = nested.backward(loss.backward(), input_grad=True)
        np.testing.assert_array_equal(dX, dX_expected)
        for p, g in zip(nested.parameters(), grads, strict=True):
            np.testing.assert_array_equal(p.grad, g)


def test_a_users_first_layer_still_gets_its_gradient_returned() -> None:
    model = mf.Sequential(Tanh(), mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    X, Y = data()
    _grads, dX_expected = layer_by_layer(model, X, Y)
    loss = mf.BinaryCrossEntropy()
    loss.forward(model.forward(X), Y)
    np.testing.assert_array_equal(model.backward(loss.backward()), dX_expected)


def test_sigmoid_far_below_the_overflow_of_exp_is_exact_without_warnings() -> None:
    z = np.array([[-1000.0, -745.0, -720.0, -709.0, -30.0, 0.0, 30.0, 720.0, 1000.0]])
    with np.errstate(all="raise"):
        a = mf.sigmoid(z)
        layer_a = mf.Sigmoid().forward(z)
    expected = [1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v)) for v in z.ravel()]
    np.testing.assert_allclose(a.ravel(), expected, rtol=4e-16, atol=0.0)
    assert a[0, 0] == 0.0
    assert a[0, -1] == 1.0
    assert a[0, 5] == 0.5
    assert a[0, 2] > 0.0  # e^-720 is a subnormal number, not flushed to 0
    np.testing.assert_array_equal(layer_a, a)
    with np.errstate(all="raise"):
        a32 = mf.sigmoid(np.array([[-100.0, -90.0, 0.0, 100.0]], dtype=np.float32))
    assert a32.dtype == np.float32
    smallest_subnormal = float(np.finfo(np.float32).smallest_subnormal)  # e^-100 has only a few bits left
    np.testing.assert_allclose(
        a32.ravel(), [math.exp(-100.0), math.exp(-90.0), 0.5, 1.0], rtol=1e-6, atol=smallest_subnormal
    )


@pytest.mark.parametrize("z", [-800.0, -60.0, -5.0, 0.3, 5.0, 60.0, 800.0])
def test_loss_gradient_da_equals_the_closed_form_also_where_a_saturates(z: float) -> None:
    y = np.array([[0.0, 1.0, 0.25]])
    zz = np.full((1, 3), z)
    sigmoid, loss = mf.Sigmoid(), mf.BinaryCrossEntropy()
    with np.errstate(all="raise"):
        loss.forward(sigmoid.forward(zz), y)
        da = loss.backward()
    a = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    one_minus_a = 1.0 / (1.0 + math.exp(z)) if z <= 0 else math.exp(-z) / (1.0 + math.exp(-z))

    def term(weight: float, p: float) -> float:
        return 0.0 if weight == 0.0 else (math.inf if p == 0.0 else weight / p)

    expected = [(term(1.0 - yi, one_minus_a) - term(yi, a)) / 3.0 for yi in y.ravel()]
    np.testing.assert_allclose(np.asarray(da).ravel(), expected, rtol=1e-14)


@pytest.mark.parametrize("out_features", [1, 3])
def test_dense_input_gradient_is_the_matrix_product_exactly(out_features: int) -> None:
    dense = mf.Dense(4, out_features, rng=0)
    X, _ = data(4, 7)
    dense.forward(X)
    dz = np.random.default_rng(1).normal(size=(out_features, 7))
    np.testing.assert_array_equal(dense.backward(dz), dense.W.value.T @ dz)


@pytest.mark.parametrize("with_own_layer", [False, True])
@pytest.mark.parametrize("how", ["deepcopy", "pickle"])
def test_a_copied_model_trains_exactly_as_the_original_and_apart_from_it(how: str, with_own_layer: bool) -> None:
    model = network(seed=5)
    if with_own_layer:  # the general walk, made by a first forward before the copy
        model = mf.Sequential(Tanh(), *model.layers)
    X, Y = data(m=7)
    model.forward(X)
    clone = copy.deepcopy(model) if how == "deepcopy" else pickle.loads(pickle.dumps(model))
    before = [p.value.copy() for p in model.parameters()]
    costs = manual_descent(clone, X, Y, 0.5, 5)
    assert costs[-1] < costs[0]  # it learns
    for p, value in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.value, value)  # the original is untouched
    assert manual_descent(model, X, Y, 0.5, 5) == costs  # and learns the same, bit for bit
    for p, q in zip(model.parameters(), clone.parameters(), strict=True):
        np.testing.assert_array_equal(p.value, q.value)
    first = clone.layers[1 if with_own_layer else 0]
    assert isinstance(first, mf.Dense)
    assert first.W.value.base is first.b.value.base is not None  # the copy keeps Θ = [W b]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_new_learning_rate_is_the_one_the_next_step_uses(dtype: Any) -> None:
    model = network(dtype=dtype)
    X, Y = data()
    X = X.astype(dtype)
    Y = Y.astype(dtype)
    loss = mf.BinaryCrossEntropy()
    opt = mf.GradientDescent(model.parameters(), learning_rate=0.5)
    for rate in (0.5, 0.1, 3.0):
        opt.learning_rate = rate
        loss.forward(model.forward(X), Y)
        model.backward(loss.backward())
        expected = [p.value - rate * p.grad for p in model.parameters()]  # α as a Python float, in the dtype
        opt.step()
        for p, theta in zip(model.parameters(), expected, strict=True):
            assert p.value.dtype == dtype
            np.testing.assert_array_equal(p.value, theta)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_step_constants_are_read_only_zero_d_arrays_of_the_operands_dtype(dtype: Any) -> None:
    from minifw._buffers import one, scalar

    t = np.dtype(dtype)
    for value in (1.0, 0.1, 400, 3):
        c = scalar(value, t)
        assert c.shape == ()
        assert c.dtype == t
        assert not c.flags.writeable
        assert c == t.type(value)  # the value converted to the dtype once, as a ufunc converts a Python number
        assert scalar(value, t) is c  # made once
        x = np.linspace(0.1, 2.0, 7, dtype=t)
        np.testing.assert_array_equal(x / c, x / value)
        np.testing.assert_array_equal(c * x, value * x)
        assert (x / c).dtype == t
    assert one(t) == 1.0
    assert one(t).dtype == t
    with pytest.raises(ValueError, match="read-only"):
        one(t)[...] = 2.0


def test_the_hidden_sigmoids_cache_is_this_steps_a_in_the_same_array_every_step() -> None:
    model = network()
    dense, sigmoid = model.layers[0], model.layers[1]
    assert isinstance(dense, mf.Dense)
    assert isinstance(sigmoid, mf.Sigmoid)
    rng = np.random.default_rng(5)
    X1, X2 = rng.normal(size=(3, 6)), rng.normal(size=(3, 6))
    model.forward(X1)
    cached = sigmoid._a
    model.forward(X2)
    assert sigmoid._a is cached  # the same view of the same buffer: nothing new per step
    expected = 1.0 / (1.0 + np.exp(-(dense.b.value + dense.W.value @ X2)))
    np.testing.assert_allclose(np.asarray(cached), expected, rtol=1e-15, atol=0)
    model.forward(X2[:, :4])  # another batch size: a new buffer and a new cache
    new = sigmoid._a
    assert new is not None
    assert new is not cached
    assert new.shape == (4, 4)
