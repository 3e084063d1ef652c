"""The shortcuts a training step takes where no floating-point guard is needed give the same results.

A range check replaces ``np.errstate`` around e^t, and ``GradientDescent`` updates W and b of a
``Dense`` in one pass. These tests pin down when each shortcut applies and that values, warnings
and in-place semantics are those of the guarded, one-by-one computation.
"""

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minifw as mf
from minifw._binary_cross_entropy import _gradient_times_m, gradient_times_m_from_logits
from minifw._dense_sigmoid import dense_sigmoid_forward
from minifw._exp_range import exp_in_range


def test_exp_in_range_answers_true_only_inside_the_bound() -> None:
    assert exp_in_range(np.array([[707.0]]))
    assert exp_in_range(np.array([[-400.0, 400.0]]))
    assert not exp_in_range(np.array([[-600.0, 600.0]]))  # conservative: Σ t² > 707², the guarded path runs
    assert exp_in_range(np.zeros((3, 4)))
    assert not exp_in_range(np.array([[707.5]]))
    assert not exp_in_range(np.array([[-708.0], [0.0]]))
    assert not exp_in_range(np.array([[np.nan]]))
    assert not exp_in_range(np.array([[np.inf]]))
    assert not exp_in_range(np.full((1, 2), 1e200))  # Σ t² overflows to inf
    assert not exp_in_range(np.zeros((2, 2), dtype=np.float32))  # float32 keeps its guard
    assert exp_in_range(np.zeros((4, 1024)))
    assert not exp_in_range(np.zeros((4, 1025)))  # large arrays keep theirs


@settings(max_examples=300)
@given(t=hnp.arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 5)), elements=st.floats(-750, 750)))
def test_exp_in_range_means_exp_raises_nothing(t: npt.NDArray[Any]) -> None:
    if exp_in_range(t):
        assert np.abs(t).max() <= 707.0
        with np.errstate(all="raise"):
            np.exp(t)
            np.exp(-t)


@settings(max_examples=200)
@given(
    z=hnp.arrays(np.float64, (1, 6), elements=st.floats(-800, 800)),
    y=hnp.arrays(np.float64, (1, 6), elements=st.sampled_from([0.0, 1.0])),
)
def test_unguarded_gradient_equals_the_guarded_one(z: npt.NDArray[Any], y: npt.NDArray[Any]) -> None:
    a = mf.sigmoid(z)
    with np.errstate(all="raise"):
        da = gradient_times_m_from_logits(z, a, y, 1.0 - y)
    if exp_in_range(z):
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            expected = _gradient_times_m(z, a, y, 1.0 - y)
        np.testing.assert_array_equal(da, expected)


def test_soft_subnormal_labels_still_raise_no_floating_point_error() -> None:
    model = mf.Sequential(mf.Dense(2, 3, rng=0), mf.Sigmoid(), mf.Dense(3, 1, rng=1), mf.Sigmoid())
    loss = mf.BinaryCrossEntropy()
    X = np.array([[0.5, -1.0], [2.0, 0.25]])
    Y = np.array([[5e-324, 1.0]])  # a label in [0, 1] so small that y / a is subnormal
    with np.errstate(all="raise"):
        J = loss.forward(model.forward(X), Y)
        model.backward(loss.backward())
    assert np.isfinite(J)
    assert all(np.isfinite(p.grad).all() for p in model.parameters())


def _one_by_one(values: list[npt.NDArray[Any]], grads: list[npt.NDArray[Any]], rate: float) -> list[Any]:
    return [v - rate * g for v, g in zip(values, grads, strict=True)]


def test_step_updates_w_and_b_together_and_each_alone_after_a_replacement() -> None:
    dense = mf.Dense(3, 2, rng=0)
    W, b = dense.W, dense.b
    W_array, b_array = W.value, b.value
    rng = np.random.default_rng(1)
    W.grad[...] = rng.standard_normal(W.shape)
    b.grad[...] = rng.standard_normal(b.shape)
    opt = mf.GradientDescent(dense.parameters(), learning_rate=0.3)

    expected = _one_by_one([W.value, b.value], [W.grad, b.grad], 0.3)
    opt.step()
    np.testing.assert_array_equal(W.value, expected[0])
    np.testing.assert_array_equal(b.value, expected[1])
    assert W.value is W_array  # in place
    assert b.value is b_array

    W.value = np.ones((2, 3))  # replaced: no longer next to b in memory
    expected = _one_by_one([W.value, b.value], [W.grad, b.grad], 0.3)
    opt.step()
    np.testing.assert_array_equal(W.value, expected[0])
    np.testing.assert_array_equal(b.value, expected[1])

    b.grad = np.full((2, 1), 2.0)
    extra = mf.Parameter(np.array([[1.0]]))
    extra.grad[...] = 4.0
    opt.parameters.append(extra)  # the list changed: the new parameter is updated too
    expected = _one_by_one([W.value, b.value], [W.grad, b.grad], 0.3)
    opt.step()
    np.testing.assert_array_equal(W.value, expected[0])
    np.testing.assert_array_equal(b.value, expected[1])
    np.testing.assert_array_equal(extra.value, [[1.0 - 0.3 * 4.0]])


def test_a_dense_keeps_w_and_b_as_the_column_blocks_of_one_array() -> None:
    dense = mf.Dense(4, 3, rng=0)
    for value, grad in ((dense.W.value, dense.W.grad), (dense.b.value, dense.b.grad)):
        assert value.flags.writeable
        assert grad.flags.writeable
        assert not np.shares_memory(value, grad)
    assert not np.shares_memory(dense.W.value, dense.b.value)  # views of the same array, disjoint columns
    theta = dense.W.value.base
    assert theta is not None
    assert theta is dense.b.value.base
    assert theta.shape == (3, 5)
    assert theta.flags.c_contiguous
    np.testing.assert_array_equal(theta, np.hstack([dense.W.value, dense.b.value]))
    np.testing.assert_array_equal(dense.b.value, np.zeros((3, 1)))


def test_small_batches_fold_the_bias_into_one_matrix_product_and_agree_with_the_formula() -> None:
    dense = mf.Dense(3, 4, rng=0)
    dense.b.value[...] = np.arange(4.0).reshape(4, 1)
    rng = np.random.default_rng(2)
    for m in (1, 7, 1400):  # 3 * 1400 > 4096: W a_prev + b, no copy
        x = rng.standard_normal((3, m))
        z = dense.forward(x)
        np.testing.assert_allclose(z, dense.W.value @ x + dense.b.value, rtol=1e-13, atol=1e-15)
        dz = rng.standard_normal((4, m))
        dense.backward(dz)
        np.testing.assert_allclose(dense.W.grad, dz @ x.T, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(dense.b.grad, dz.sum(axis=1, keepdims=True), rtol=1e-12, atol=1e-14)
    W = dense.W.value
    dense.W.value = W.copy()  # replaced: W is no longer a block of Θ, so nothing is folded
    x = rng.standard_normal((3, 5))
    np.testing.assert_array_equal(dense.forward(x), np.matmul(dense.W.value, x) + dense.b.value)


def test_sigmoid_just_above_the_overflow_of_exp_is_subnormal_and_raises_nothing() -> None:
    z = np.array([[-709.7, -709.2, -708.6]])  # e^(-z) is finite, σ(z) = 1 / (1 + e^(-z)) is subnormal
    expected = [math.exp(v) / (1.0 + math.exp(v)) for v in z.ravel()]
    dense, sigmoid = mf.Dense(1, 3, rng=0), mf.Sigmoid()
    dense.W.value[...] = 0.0
    dense.b.value[...] = z.T  # z = b: a hidden layer whose sigmoid is subnormal
    with np.errstate(all="raise"):
        a = mf.sigmoid(z)
        a_hidden = dense_sigmoid_forward(dense, sigmoid, np.ones((1, 2)))  # what Sequential runs for it
    assert 0.0 < a.min() < np.finfo(np.float64).smallest_normal
    np.testing.assert_allclose(a.ravel(), expected, rtol=1e-14, atol=0.0)
    np.testing.assert_array_equal(a_hidden, np.repeat(a.T, 2, axis=1))
