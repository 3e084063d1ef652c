"""Input checks added for reliability: each names expected versus actual and the fix; failures change nothing."""

from typing import Any

import numpy as np
import pytest

import minifw as mf

from .conftest import slides_network
from .model_state import snapshot


def worked() -> tuple[mf.Sequential, mf.BinaryCrossEntropy, mf.GradientDescent]:
    """A model, loss and optimizer after one forward and backward, so caches and gradients are filled."""
    model, loss = slides_network(), mf.BinaryCrossEntropy()
    opt = mf.GradientDescent(model.parameters(), learning_rate=0.1)
    loss.forward(model.forward(np.ones((3, 4))), np.array([[0.0, 1.0, 1.0, 0.0]]))
    model.backward(loss.backward())
    return model, loss, opt


def test_zero_rows_are_refused_by_elementwise_layers() -> None:
    with pytest.raises(mf.ShapeError, match=r"z has shape \(0, 2\): no features \(0 rows\)"):
        mf.Sigmoid().forward(np.ones((0, 2)))


def test_mismatched_sample_counts_name_both_counts() -> None:
    model, loss, opt = worked()
    before = [snapshot(model), snapshot(loss), snapshot(opt)]
    with pytest.raises(mf.ShapeError, match=r"m = 3 columns in y, 4 expected. Fix: pass one column per example"):
        loss.forward(model.forward(np.ones((3, 4))), np.ones((1, 3)))
    assert snapshot(loss) == before[1]


@pytest.mark.parametrize(
    ("parameters", "error", "words"),
    [
        (None, mf.DTypeError, "got NoneType. Fix: pass model.parameters()"),
        ([], mf.ValueRangeError, "got no parameters"),
        (iter([]), mf.ValueRangeError, "exhausted generator"),
        ("twice", mf.ValueRangeError, "the same Parameter more than once"),
        ("model", mf.DTypeError, "item 0 is Dense. Fix: pass model.parameters()"),
    ],
)
def test_gradient_descent_parameters(parameters: Any, error: type[Exception], words: str) -> None:
    model = slides_network()
    if parameters == "twice":
        parameters = model.parameters() * 2
    elif parameters == "model":
        parameters = model
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        mf.GradientDescent(parameters, learning_rate=0.1)


@pytest.mark.parametrize(
    ("rng", "error"),
    [("seed", mf.DTypeError), (-1, mf.ArchitectureError), (1.5, mf.DTypeError), (True, mf.DTypeError)],
)
def test_dense_rng_must_be_a_generator_a_seed_or_none(rng: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=r"Dense rng must be a numpy.random.Generator, a non-negative int seed or None"):
        mf.Dense(3, 4, rng=rng)


@pytest.mark.parametrize("rng", [None, 0, np.int64(3), np.random.default_rng(1)])
def test_dense_rng_accepts_generators_seeds_and_none(rng: Any) -> None:
    assert mf.Dense(3, 4, rng=rng).W.value.shape == (4, 3)


@pytest.mark.parametrize("dtype", ["junk", int, np.complex128, object])
def test_dense_dtype_must_be_a_float_dtype(dtype: Any) -> None:
    with pytest.raises(mf.ArchitectureError, match="Dense dtype must be a float dtype"):
        mf.Dense(3, 4, dtype=dtype)


def test_parameter_value_keeps_its_dtype() -> None:
    p = mf.Parameter(np.zeros((3, 1)), name="b")
    with pytest.raises(mf.DTypeError, match=r"b.value: dtype float32 given, float64 expected.*astype\(np.float64\)"):
        p.value = np.zeros((3, 1), dtype=np.float32)
    assert p.value.dtype == np.float64


@pytest.mark.parametrize(
    ("grad", "error", "words"),
    [
        (
            np.zeros(3),
            mf.ShapeError,
            r"b.grad must be an array of shape \(3, 1\) and dtype float64.*got an array of shape \(3,\)",
        ),
        (np.zeros((3, 1), dtype=np.float32), mf.DTypeError, "dtype float32"),
        ([[0.0], [0.0], [0.0]], mf.DTypeError, r"got \[\[0.0\]"),
    ],
)
def test_parameter_grad_keeps_shape_and_dtype(grad: Any, error: type[Exception], words: str) -> None:
    p = mf.Parameter(np.zeros((3, 1)), name="b")
    with pytest.raises(error, match=words):
        p.grad = grad
    assert p.grad.shape == (3, 1)
    p.grad = np.ones((3, 1))  # the right shape and dtype is fine
    assert p.grad.sum() == 3.0
