"""One path through the layers: Sequential calls each layer's own forward and backward, in order.

The built-in layers write their results into arrays they keep (``Outputs``), reused only once
nobody else holds them, and the first layer skips ∂J/∂x unless asked. These tests pin down what
a user can rely on: every layer is called once per step, in order; values and held arrays stay
as they were; the input gradient comes on request.
"""

import copy
import math
import pickle
import tracemalloc
from collections.abc import Callable
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
    sigmoid.forward(z1)
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

    step()  # the first step allocates the arrays; backward releases the caches, so the next reuses them
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
    if with_own_layer:
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


def data_pointer(array: mf.Array) -> int:
    """Where an array's numbers live in memory (an int: holding it keeps no reference to the array)."""
    address: int = array.__array_interface__["data"][0]
    return address


def test_a_hidden_result_is_written_into_the_same_array_every_step() -> None:
    model, loss = network(), mf.BinaryCrossEntropy()
    X, Y = data(m=6)
    pointers = []
    for _ in range(4):
        a = X
        for layer in model:
            a = layer.forward(a)
            if layer is model[1]:
                pointers.append(data_pointer(a))  # a^[1], the hidden layer's output
        loss.forward(a, Y)
        model.backward(loss.backward())
    assert pointers == pointers[:1] * 4  # backward released the caches: last step's a^[1] is free again


def test_outputs_hands_back_only_arrays_that_nobody_else_holds() -> None:
    from minifw.layers.buffers import Outputs

    outputs = Outputs()
    float64 = np.dtype(np.float64)
    first = outputs.new((2, 3), float64)
    last = outputs.new((2, 3), float64)  # `first` is still held here: a new array
    assert not np.shares_memory(first, last)
    last_at = data_pointer(last)
    del last
    again = outputs.new((2, 3), float64)  # the last result is free now: handed back
    assert data_pointer(again) == last_at
    assert not np.shares_memory(first, again)
    view = again[:, :1]
    del again
    assert not np.shares_memory(view, outputs.new((2, 3), float64))  # a view holds it too
    assert outputs.new((3, 2), float64).shape == (3, 2)  # another shape: a new array
    assert outputs.new((2, 3), np.dtype(np.float32)).dtype == np.float32
    assert copy.deepcopy(outputs).new((2, 3), float64) is not None  # a copy starts empty


def counting(calls: list[str], cls: type[mf.Layer], name: str) -> Callable[..., Any]:
    """The class's method, wrapped to record "Class.name" on every call."""
    method = getattr(cls, name)

    def wrapper(self: mf.Layer, *args: Any, **kwargs: Any) -> Any:
        calls.append(f"{cls.__name__}.{name}")
        return method(self, *args, **kwargs)

    return wrapper


@pytest.mark.parametrize("how", ["manual loop", "mf.train"])
@pytest.mark.parametrize("hidden_activation", ["Sigmoid", "Tanh"])
def test_a_training_step_calls_each_layers_own_forward_and_backward_once_in_order(
    monkeypatch: pytest.MonkeyPatch, how: str, hidden_activation: str
) -> None:
    calls: list[str] = []
    for cls in (mf.Dense, mf.Sigmoid, Tanh):
        for name in ("forward", "backward"):
            monkeypatch.setattr(cls, name, counting(calls, cls, name))
    activation: mf.Layer = mf.Sigmoid() if hidden_activation == "Sigmoid" else Tanh()
    model = mf.Sequential(mf.Dense(3, 4, rng=0), activation, mf.Dense(4, 1, rng=1), mf.Sigmoid())
    X, Y = data()
    steps = 3
    if how == "manual loop":
        manual_descent(model, X, Y, 0.5, steps)
    else:
        mf.train(model, mf.BinaryCrossEntropy(), X, Y, learning_rate=0.5, max_epochs=steps, tol=None)
    hidden = type(activation).__name__
    one_step = [
        "Dense.forward", f"{hidden}.forward", "Dense.forward", "Sigmoid.forward",
        "Sigmoid.backward", "Dense.backward", f"{hidden}.backward", "Dense.backward",
    ]  # fmt: skip
    assert calls == one_step * steps


def test_sequential_sets_each_layers_input_grad_switch_before_its_backward() -> None:
    own = Tanh()
    model = mf.Sequential(mf.Dense(3, 4, rng=0), own, mf.Dense(4, 1, rng=1), mf.Sigmoid())
    first = model[0]
    assert isinstance(first, mf.Dense)
    X, Y = data()
    loss = mf.BinaryCrossEntropy()
    loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    assert [layer.input_grad for layer in model] == [False, True, True, True]
    loss.forward(model.forward(X), Y)
    dX = model.backward(loss.backward(), input_grad=True)
    assert [layer.input_grad for layer in model] == [True, True, True, True]
    loss.forward(model.forward(X), Y)  # backward released the caches: the same forward again
    dz1 = own.backward(model[2].backward(model[3].backward(loss.backward())))
    np.testing.assert_allclose(dX, first.W.value.T @ dz1, rtol=1e-14)


def test_a_dense_with_its_switch_off_sets_its_gradients_and_returns_a_placeholder() -> None:
    dense = mf.Dense(3, 2, rng=0, input_grad=False)
    X, _ = data()
    dense.forward(X)
    dz = np.random.default_rng(2).normal(size=(2, 5))
    placeholder = dense.backward(dz)
    np.testing.assert_allclose(dense.W.grad, dz @ X.T, rtol=1e-15)
    np.testing.assert_allclose(dense.b.grad, dz.sum(axis=1, keepdims=True), rtol=1e-15)
    assert placeholder.shape == X.shape
    with pytest.raises(mf.StateError, match="input_grad"):
        float(placeholder.sum())
    dense.input_grad = True
    dense.forward(X)
    np.testing.assert_array_equal(dense.backward(dz), dense.W.value.T @ dz)
