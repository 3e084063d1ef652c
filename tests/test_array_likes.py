"""Every array-like input is converted faithfully or refused with a minifw error; stale gradients are refused.

Found by a break-it probe: a masked array hid a NaN from the finite checks, a ragged nested list
raised NumPy's "inhomogeneous shape" error, and a gradient computed for an earlier forward was
applied to a later one without a word. Each class is covered here, not only the first example.
"""

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minifw as mf

from .model_state import snapshot


def network(dtype: Any = np.float64) -> mf.Sequential:
    return mf.Sequential(
        mf.Dense(3, 4, rng=0, dtype=dtype), mf.Sigmoid(), mf.Dense(4, 1, rng=1, dtype=dtype), mf.Sigmoid()
    )


def data() -> tuple[mf.Array, mf.Array]:
    rng = np.random.default_rng(0)
    return rng.normal(size=(3, 6)), np.array([[0.0, 1.0, 1.0, 0.0, 1.0, 0.0]])


def as_given(x: object) -> Any:
    """``x`` typed as anything: these tests pass what the signatures do not allow, on purpose."""
    return x


def matrix(x: mf.Array) -> Any:
    """``x`` as a NumPy matrix (a class NumPy itself discourages, so its warning is silenced here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        return np.asmatrix(x)


def refused(call: Callable[[], object], *objects: object) -> mf.MinifwError:
    """The minifw error ``call`` raises; the objects it was given are exactly as before."""
    before = [snapshot(obj) for obj in objects]
    with pytest.raises(mf.MinifwError) as info:
        call()
    assert [snapshot(obj) for obj in objects] == before
    return info.value


def test_a_masked_array_is_refused_everywhere_instead_of_hiding_a_nan() -> None:
    X, Y = data()
    X[1, 2] = np.nan
    masked = np.ma.masked_invalid(X)  # the NaN is masked: np.isfinite(masked).all() is True
    assert bool(np.isfinite(masked).all())
    model, loss = network(), mf.BinaryCrossEntropy()
    for call in (
        lambda: mf.predict(model, masked),
        lambda: mf.predict_proba(model, masked),
        lambda: mf.train(model, loss, masked, Y, learning_rate=0.5, max_epochs=3),
        lambda: model.forward(masked),
        lambda: loss.forward(as_given(np.ma.masked_invalid(np.full((1, 6), 0.5))), Y),
        lambda: mf.train(model, loss, data()[0], np.ma.masked_less(Y, 0.5), learning_rate=0.5, max_epochs=3),
    ):
        error = refused(call, model, loss)
        assert isinstance(error, mf.DTypeError)
        assert "masked array" in str(error)
        assert "Fix:" in str(error)


def test_a_matrix_is_read_as_the_plain_array_it_holds() -> None:
    X, Y = data()
    model = network()
    expected = np.asarray(model.forward(X)).copy()
    np.testing.assert_array_equal(model.forward(matrix(X)), expected)  # `*` on a matrix would multiply them
    J = mf.BinaryCrossEntropy().forward(model.forward(X), Y)
    assert mf.BinaryCrossEntropy().forward(model.forward(matrix(X)), matrix(Y)) == J
    np.testing.assert_array_equal(mf.predict(model, matrix(X)), mf.predict(model, X))


@pytest.mark.parametrize(
    "ragged",
    [
        [[0.1, 0.2], [0.3], [0.4, 0.5]],
        [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8]],
        [[[0.1], [0.2]], [[0.3]], [[0.4]]],
    ],
    ids=["short-row", "short-last-row", "ragged-3d"],
)
def test_a_ragged_nested_list_gets_a_minifw_error_with_a_fix(ragged: list[Any]) -> None:
    model, loss = network(), mf.BinaryCrossEntropy()
    Y = np.array([[0.0, 1.0]])
    for call in (
        lambda: model.forward(as_given(ragged)),
        lambda: mf.predict(model, as_given(ragged)),
        lambda: mf.train(model, loss, as_given(ragged), Y, learning_rate=0.5, max_epochs=2),
        lambda: mf.Dense(3, 2, rng=0).forward(as_given(ragged)),
        lambda: mf.Sigmoid().forward(as_given(ragged)),
    ):
        error = refused(call, model, loss)
        assert isinstance(error, mf.ShapeError)
        assert "rows of different lengths" in str(error)
        assert "inhomogeneous" not in str(error)


def test_an_iterator_is_refused_with_the_fix() -> None:
    model = network()
    rows = ([0.1, 0.2, 0.3] for _ in range(3))
    error = refused(lambda: model.forward(as_given(rows)), model)
    assert isinstance(error, mf.DTypeError)
    assert "np.array(list(...))" in str(error)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(-3, 3), min_size=0, max_size=4),
        min_size=0,
        max_size=4,
    )
)
def test_any_nested_list_works_or_raises_a_minifw_error(rows: list[list[float]]) -> None:
    model, loss = network(), mf.BinaryCrossEntropy()
    before = [snapshot(model), snapshot(loss)]
    try:
        a = model.forward(as_given(rows))
    except (ValueError, TypeError) as error:
        failure: Exception = error
    else:
        expected = model.forward(np.array(rows, dtype=np.float64))  # rectangular, 3 rows: the same numbers
        np.testing.assert_array_equal(a, expected)
        return
    assert isinstance(failure, mf.MinifwError), repr(failure)  # never a raw NumPy error
    assert [snapshot(model), snapshot(loss)] == before


def test_a_gradient_for_an_earlier_forward_is_refused_and_nothing_changes() -> None:
    X, Y = data()
    model, loss = network(), mf.BinaryCrossEntropy()
    loss.forward(model.forward(X), Y)
    mf.predict(model, X[:, ::-1].copy())  # another forward of the same size in between
    grads = [p.grad.copy() for p in model.parameters()]
    with pytest.raises(mf.StateError, match="earlier forward") as info:
        model.backward(loss.backward())
    assert "Fix: call loss.forward(model.forward(X), Y) again" in str(info.value)
    for p, grad in zip(model.parameters(), grads, strict=True):
        np.testing.assert_array_equal(p.grad, grad)
    loss.forward(model.forward(X), Y)  # the fix works
    model.backward(loss.backward())


def test_the_same_loss_gradient_on_a_layer_by_layer_path_is_still_exact() -> None:
    sigmoid, loss = mf.Sigmoid(), mf.BinaryCrossEntropy()
    a = sigmoid.forward(np.array([[50.0, -3.0]]))
    loss.forward(a, np.array([[0.0, 1.0]]))
    da = loss.backward()
    np.testing.assert_array_equal(sigmoid.backward(da), (np.asarray(a) - [[0.0, 1.0]]) / 2)
    sigmoid.forward(np.array([[50.0, -3.0]]))  # a new forward: the old gradient no longer belongs
    with pytest.raises(mf.StateError):
        sigmoid.backward(da)


def test_a_learning_rate_that_rounds_to_zero_in_the_models_dtype_is_refused() -> None:
    X, Y = data()
    model = network(np.float32)
    with pytest.raises(mf.ValueRangeError, match="rounds to 0 in float32"):
        mf.train(model, mf.BinaryCrossEntropy(), X.astype(np.float32), Y.astype(np.float32), learning_rate=1e-50)
    opt = mf.GradientDescent(model.parameters(), learning_rate=0.5)
    with pytest.raises(mf.ValueRangeError, match="rounds to 0"):
        opt.learning_rate = 1e-50
    assert opt.learning_rate == 0.5  # unchanged
    mf.GradientDescent(network().parameters(), learning_rate=1e-50)  # fine in float64


def test_a_run_whose_cost_rose_is_not_converged_and_says_so() -> None:
    X, Y = mf.make_xor(200)
    model = mf.Sequential(mf.Dense(2, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = mf.train(model, mf.BinaryCrossEntropy(), X, Y, learning_rate=1e300, max_epochs=300)
    assert history.stop_reason == "tol"
    assert history.J[-1] > history.J[0]
    assert not history.converged
    messages = [str(w.message) for w in caught if issubclass(w.category, mf.ConvergenceWarning)]
    assert any("no convergence" in m and "lower the learning rate" in m for m in messages)


def test_a_callback_that_is_not_callable_is_a_minifw_type_error() -> None:
    X, Y = data()
    model = network()
    error = refused(
        lambda: mf.train(model, mf.BinaryCrossEntropy(), X, Y, learning_rate=0.5, callbacks=as_given([1])),
        model,
    )
    assert isinstance(error, mf.DTypeError)
    assert isinstance(error, TypeError)
    assert "Fix:" in str(error)
