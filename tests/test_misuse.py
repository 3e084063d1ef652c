"""Misuse gets a clear exception that names expected versus actual and the fix; the model is unchanged."""

import copy
import math

import numpy as np
import pytest

import minifw as mf
from minifw.layers.not_computed import NotComputed

from .conftest import slides_network


def state(model: mf.Sequential) -> list[np.ndarray]:
    """Everything a failed call must leave alone: parameter values and gradients."""
    return [a.copy() for p in model.parameters() for a in (p.value, p.grad)]


def trained_once() -> tuple[mf.Sequential, mf.BinaryCrossEntropy]:
    model, loss = slides_network(), mf.BinaryCrossEntropy()
    loss.forward(model.forward(np.ones((3, 2))), np.array([[0.0, 1.0]]))
    model.backward(loss.backward())
    return model, loss


@pytest.mark.parametrize(
    ("X", "words"),
    [
        (np.ones((2, 5)), ["(3, m)", "(2, 5)"]),  # wrong number of input rows
        (np.ones((5, 3)), ["(5, 3)", ".T"]),  # examples as rows
        (np.ones(3), ["2-D", "reshape(-1, 1)"]),  # 1-D
        (np.ones((3, 2, 2)), ["2-D", "3-D"]),  # 3-D
        (np.ones((3, 0)), ["m = 0"]),  # no examples
    ],
)
def test_bad_input_batches(X: np.ndarray, words: list[str]) -> None:
    model, _ = trained_once()
    before = state(model)
    with pytest.raises(mf.ShapeError) as info:
        model.forward(X)
    for word in words:
        assert word in str(info.value)
    assert "layer 0" in str(info.value)
    for a, b in zip(state(model), before, strict=True):
        np.testing.assert_array_equal(a, b)


def test_non_numeric_input_is_a_type_error() -> None:
    with pytest.raises(mf.DTypeError, match="real numbers"):
        slides_network().forward(np.array([["a"], ["b"], ["c"]]))
    with pytest.raises(TypeError, match="complex"):
        slides_network().forward(np.ones((3, 1), dtype=complex))


def test_integer_and_bool_inputs_are_accepted_as_floats() -> None:
    model = slides_network()
    expected = model.forward(np.array([[1.0], [0.0], [1.0]]))
    np.testing.assert_array_equal(model.forward(np.array([[1], [0], [1]])), expected)
    np.testing.assert_array_equal(model.forward(np.array([[True], [False], [True]])), expected)


@pytest.mark.parametrize("layer", [mf.Dense(3, 4), mf.Sigmoid(), slides_network()])
def test_backward_before_forward(layer: mf.Layer) -> None:
    with pytest.raises(mf.StateError, match="before forward"):
        layer.backward(np.ones((4, 1)))


@pytest.mark.parametrize("layer", [mf.Dense(3, 4, rng=0), mf.Sigmoid(), slides_network()])
def test_backward_twice_after_one_forward_is_refused_and_the_next_forward_allows_it(layer: mf.Layer) -> None:
    x = np.linspace(-1.0, 1.0, 6).reshape(3, 2)
    grad = np.ones_like(layer.forward(x))

    def gradients(result: mf.Array) -> list[np.ndarray]:
        """The parameters' gradients and the returned ∂J/∂x, when computed."""
        return [np.array(g) for g in (*(p.grad for p in layer.parameters()), result) if not isinstance(g, NotComputed)]

    first = gradients(layer.backward(grad))
    with pytest.raises(mf.StateError, match=r"ran twice after one forward\(\).*Fix: run forward again") as info:
        layer.backward(grad)  # backward released the cache: nothing to go back through
    assert "before forward" not in str(info.value)
    layer.forward(x)
    for again, before in zip(gradients(layer.backward(grad)), first, strict=True):
        np.testing.assert_array_equal(again, before)  # the same forward again: the same gradients


def test_a_training_step_releases_every_cache_and_the_loss_gradient_cannot_be_used_twice() -> None:
    model, loss = trained_once()
    with pytest.raises(mf.StateError, match=r"layer 3 .*ran twice"):
        model.backward(loss.backward())  # the loss keeps its cache, the layers released theirs
    loss.forward(model.forward(np.ones((3, 2))), np.array([[0.0, 1.0]]))
    model.backward(loss.backward())


def test_loss_backward_before_forward() -> None:
    with pytest.raises(mf.StateError, match="before forward"):
        mf.BinaryCrossEntropy().backward()


def test_gradient_of_the_wrong_shape_leaves_the_model_unchanged() -> None:
    model, _ = trained_once()
    model.forward(np.ones((3, 2)))  # backward released the caches: a forward to go back through
    before = state(model)
    with pytest.raises(mf.ShapeError, match=r"\(1, 2\)") as info:
        model.backward(np.ones((1, 3)))
    assert "layer 3" in str(info.value)
    for a, b in zip(state(model), before, strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(mf.ShapeError, match="dz"):
        model[2].backward(np.ones((2, 2)))
    for a, b in zip(state(model), before, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("y", "error", "words"),
    [
        (np.zeros((3, 1)), mf.ShapeError, ["(1, 3)", "(3, 1)", "reshape"]),  # would broadcast to (3, 3)
        (np.zeros(3), mf.ShapeError, ["(1, 3)", "reshape"]),
        (np.array([[0.0, 2.0, 1.0]]), mf.ValueRangeError, ["[0, 1]", "2.0"]),
        (np.array([[0.0, -1.0, 1.0]]), mf.ValueRangeError, ["[0, 1]"]),
        (np.array([[0.0, math.nan, 1.0]]), mf.ValueRangeError, ["NaN"]),
    ],
)
def test_bad_labels(y: np.ndarray, error: type[Exception], words: list[str]) -> None:
    loss = mf.BinaryCrossEntropy()
    a = mf.Sigmoid().forward(np.zeros((1, 3)))
    with pytest.raises(error) as info:
        loss.forward(a, y)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("a", [np.array([[0.5, 1.5]]), np.array([[-0.1, 0.5]]), np.array([[math.nan, 0.5]])])
def test_probabilities_outside_the_unit_interval(a: np.ndarray) -> None:
    with pytest.raises(mf.ValueRangeError, match="probabilities"):
        mf.BinaryCrossEntropy().forward(a, np.array([[0.0, 1.0]]))


def test_a_failed_loss_call_keeps_the_previous_cache() -> None:
    loss = mf.BinaryCrossEntropy()
    loss.forward(np.array([[0.25]]), np.array([[1.0]]))
    expected = loss.backward().copy()
    with pytest.raises(mf.ValueRangeError):
        loss.forward(np.array([[0.5]]), np.array([[3.0]]))
    np.testing.assert_array_equal(loss.backward(), expected)


@pytest.mark.parametrize("rate", [0.0, -0.1, math.nan, math.inf])
def test_invalid_learning_rate(rate: float) -> None:
    with pytest.raises(mf.ValueRangeError, match="Invalid learning rate"):
        mf.GradientDescent(slides_network().parameters(), learning_rate=rate)


@pytest.mark.parametrize("rate", ["0.1", None, True])
def test_learning_rate_of_the_wrong_type(rate: object) -> None:
    with pytest.raises(mf.DTypeError, match="learning_rate"):
        mf.GradientDescent(slides_network().parameters(), learning_rate=rate)  # type: ignore[arg-type]  # misuse on purpose


def test_learning_rate_setter_validates() -> None:
    opt = mf.GradientDescent(slides_network().parameters(), learning_rate=0.1)
    with pytest.raises(mf.ValueRangeError):
        opt.learning_rate = -1.0
    assert opt.learning_rate == 0.1


@pytest.mark.parametrize(("d_in", "d_out"), [(0, 4), (3, -1), (2.5, 4), (3, "4"), (True, 4)])
def test_layer_sizes_must_be_positive_integers(d_in: object, d_out: object) -> None:
    with pytest.raises(mf.ArchitectureError, match="positive integer"):
        mf.Dense(d_in, d_out)  # type: ignore[arg-type]  # misuse on purpose


def test_non_layers_in_sequential() -> None:
    with pytest.raises(mf.NotALayerError, match="argument 1"):
        mf.Sequential(mf.Dense(3, 4), "sigmoid")  # type: ignore[arg-type]  # misuse on purpose
    with pytest.raises(mf.NotALayerError, match=r"add \(\)"):
        mf.Sequential(mf.Dense(3, 4), mf.Sigmoid)  # type: ignore[arg-type]  # misuse on purpose
    with pytest.raises(mf.ArchitectureError, match="at least one"):
        mf.Sequential()


def test_dense_sizes_that_do_not_chain() -> None:
    with pytest.raises(mf.ArchitectureError) as info:
        mf.Sequential(mf.Dense(3, 4), mf.Sigmoid(), mf.Dense(5, 1))
    message = str(info.value)
    assert "layer 2 (Dense(5 -> 1)) takes 5 inputs" in message
    assert "layer 0 (Dense(3 -> 4)) gives 4" in message
    assert "Dense(4, ...)" in message


def test_parameter_rejects_non_float_values() -> None:
    with pytest.raises(mf.DTypeError):
        mf.Parameter(np.array([[1, 2]]))
    p = mf.Parameter(np.zeros((2, 1)))
    with pytest.raises(mf.DTypeError):
        p.value = [[1.0], [2.0]]  # type: ignore[assignment]  # misuse on purpose
    with pytest.raises(mf.ShapeError, match=r"\(2,\) given, \(2, 1\) expected"):
        p.value = np.zeros(2)
    assert p.value.shape == (2, 1)


def test_deep_copies_are_independent() -> None:
    model = slides_network()
    clone = copy.deepcopy(model)
    clone.parameters()[0].value[...] = 0.0
    assert np.any(model.parameters()[0].value != 0.0)
