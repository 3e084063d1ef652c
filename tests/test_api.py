"""The public API's contract: shapes, in-place updates, containers, reproducibility, dtypes."""

import numpy as np
import pytest

import minifw as mf

from .conftest import slides_network


def test_dense_parameters_have_the_slides_shapes() -> None:
    layer = mf.Dense(3, 4, rng=0)
    assert layer.W.value.shape == (4, 3)  # (d_l, d_{l-1})
    assert layer.b.value.shape == (4, 1)  # (d_l, 1)
    assert layer.parameters() == [layer.W, layer.b]
    np.testing.assert_array_equal(layer.b.value, 0.0)
    np.testing.assert_array_equal(layer.W.grad, 0.0)  # zeros until the first backward


def test_glorot_uniform_initialisation() -> None:
    W = mf.Dense(300, 200, rng=0).W.value
    r = np.sqrt(6.0 / 500)
    assert np.all(np.abs(W) <= r)
    assert W.std() == pytest.approx(r / np.sqrt(3), rel=0.02)  # the std of U(-r, r)


def test_the_same_seed_gives_the_same_weights_and_leaves_global_state_alone() -> None:
    # The legacy global state is what the test must show untouched.
    np.random.seed(123)  # noqa: NPY002
    before = np.random.get_state(legacy=False)["state"]["key"].copy()  # noqa: NPY002
    a, b = mf.Dense(3, 4, rng=7), mf.Dense(3, 4, rng=7)
    np.testing.assert_array_equal(a.W.value, b.W.value)
    assert not np.array_equal(a.W.value, mf.Dense(3, 4, rng=8).W.value)
    generator = np.random.default_rng(5)
    c = mf.Dense(3, 4, rng=generator)
    np.testing.assert_array_equal(c.W.value, mf.Dense(3, 4, rng=np.random.default_rng(5)).W.value)
    mf.Dense(3, 4)  # rng=None: fresh entropy, still not numpy's global state
    np.testing.assert_array_equal(np.random.get_state(legacy=False)["state"]["key"], before)  # noqa: NPY002


def test_dense_forward_is_b_plus_W_a_prev() -> None:  # noqa: N802  # the slide's names
    layer = mf.Dense(3, 2, rng=0)
    layer.b.value[...] = [[1.0], [-1.0]]
    X = np.arange(12.0).reshape(3, 4)
    np.testing.assert_allclose(layer.forward(X), layer.b.value + layer.W.value @ X, rtol=1e-15)


def test_updates_happen_in_place() -> None:
    model, loss = slides_network(), mf.BinaryCrossEntropy()
    values = [p.value for p in model.parameters()]
    grads = [p.grad for p in model.parameters()]
    opt = mf.GradientDescent(model.parameters(), learning_rate=0.1)
    for _ in range(2):
        loss.forward(model.forward(np.ones((3, 2))), np.array([[1.0, 0.0]]))
        model.backward(loss.backward())
        opt.step()
    assert all(p.value is v for p, v in zip(model.parameters(), values, strict=True))
    assert all(p.grad is g for p, g in zip(model.parameters(), grads, strict=True))


def test_sequential_is_a_container_of_layers() -> None:
    model = slides_network()
    assert isinstance(model, mf.Layer)
    assert len(model) == 4
    assert isinstance(model[0], mf.Dense)
    assert isinstance(model[-1], mf.Sigmoid)
    assert [type(layer).__name__ for layer in model] == ["Dense", "Sigmoid", "Dense", "Sigmoid"]
    head = model[:2]
    assert isinstance(head, mf.Sequential)
    assert head[0] is model[0]
    assert repr(model) == "Sequential(Dense(3 -> 4), Sigmoid(), Dense(4 -> 1), Sigmoid())"
    d1, d2 = model[0], model[2]
    assert isinstance(d1, mf.Dense)
    assert isinstance(d2, mf.Dense)
    assert model.parameters() == [d1.W, d1.b, d2.W, d2.b]
    assert [p.name for p in model.parameters()] == ["W", "b", "W", "b"]


def test_sequentials_nest() -> None:
    inner = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid())
    outer = mf.Sequential(inner, mf.Dense(4, 1, rng=1), mf.Sigmoid())
    flat = mf.Sequential(inner[0], inner[1], outer[1], outer[2])
    X = np.ones((3, 2))
    np.testing.assert_array_equal(outer.forward(X), flat.forward(X))
    assert outer.parameters() == flat.parameters()


def test_float32_stays_float32_end_to_end() -> None:
    model = mf.Sequential(
        mf.Dense(3, 4, rng=0, dtype=np.float32), mf.Sigmoid(), mf.Dense(4, 1, rng=1, dtype=np.float32), mf.Sigmoid()
    )
    loss = mf.BinaryCrossEntropy()
    X = np.ones((3, 5), dtype=np.float32)
    Y = np.ones((1, 5), dtype=np.float32)
    a2 = model.forward(X)
    assert a2.dtype == np.float32
    J = loss.forward(a2, Y)
    assert isinstance(J, float)
    dX = model.backward(loss.backward(), input_grad=True)
    assert dX.dtype == np.float32
    mf.GradientDescent(model.parameters(), learning_rate=0.5).step()
    assert all(p.value.dtype == np.float32 and p.grad.dtype == np.float32 for p in model.parameters())


def test_float64_is_the_default() -> None:
    model = slides_network()
    assert all(p.value.dtype == np.float64 for p in model.parameters())
    assert model.forward(np.ones((3, 1), dtype=np.float32)).dtype == np.float64


def test_sigmoid_output_behaves_as_a_plain_array() -> None:
    a = mf.Sigmoid().forward(np.zeros((1, 3)))
    assert isinstance(a, np.ndarray)
    assert repr(a) == "array([[0.5, 0.5, 0.5]])"
    assert type(a.sum()) is np.float64
    assert type(a > 0.4) is np.ndarray
    assert float(np.mean(a)) == 0.5


def test_gradient_descent_takes_any_iterable_of_parameters() -> None:
    model = slides_network()
    opt = mf.GradientDescent(iter(model.parameters()), learning_rate=1.0)
    assert opt.parameters == model.parameters()
    assert repr(opt) == "GradientDescent(4 parameters, learning_rate=1.0)"
