"""Fuzzing the entry points with arrays of any shape and dtype: a result or a minifw error, never anything else.

Each call either works or raises a :class:`minifw.MinifwError` (a ``ValueError``/``TypeError``/
``RuntimeError`` subclass with a message that says the fix), never a raw NumPy error such as
"operands could not be broadcast"; and a failed call leaves the model, loss and optimizer exactly
as they were.
"""

from typing import Any

import numpy as np
import numpy.typing as npt
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minifw as mf

from .model_state import snapshot

DTYPES = st.sampled_from([np.float64, np.float32, np.int64, np.bool_, np.complex128, np.str_, np.object_])


@st.composite
def any_array(draw: st.DrawFn) -> npt.NDArray[Any]:
    """An array of 0 to 3 dimensions (sides 0 to 5, often 1, 3 or 4, the sizes that almost fit)."""
    side = st.one_of(st.sampled_from([1, 3, 4]), st.integers(0, 5))
    shape = tuple(draw(st.lists(side, min_size=0, max_size=3)))
    dtype = draw(DTYPES)
    if dtype is np.object_:
        return np.full(shape, None, dtype=object)
    if dtype is np.str_:
        return np.full(shape, "1.0")
    elements = st.floats(0, 1) if dtype in (np.float64, np.float32) else None
    array: npt.NDArray[Any] = draw(hnp.arrays(dtype, shape, elements=elements))
    return array


def world() -> tuple[mf.Sequential, mf.BinaryCrossEntropy, mf.GradientDescent]:
    model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    loss = mf.BinaryCrossEntropy()
    opt = mf.GradientDescent(model.parameters(), learning_rate=0.5)
    loss.forward(model.forward(np.ones((3, 4))), np.array([[0.0, 1.0, 1.0, 0.0]]))
    model.backward(loss.backward())
    return model, loss, opt


def check(call: Any, *objects: object) -> None:
    before = [snapshot(obj) for obj in objects]
    failure: mf.MinifwError | None = None
    try:
        call()
    except mf.MinifwError as error:  # anything else fails the test
        failure = error
    if failure is not None:
        assert isinstance(failure, ValueError | TypeError | RuntimeError)
        assert "broadcast" not in str(failure)
        assert [snapshot(obj) for obj in objects] == before


@settings(max_examples=150, deadline=None)
@given(x=any_array())
def test_model_forward_and_backward_take_anything(x: npt.NDArray[Any]) -> None:
    model, loss, opt = world()
    check(lambda: model.forward(x), model, loss, opt)
    check(lambda: model.backward(x), model, loss, opt)


@settings(max_examples=150, deadline=None)
@given(a=any_array(), y=any_array())
def test_loss_takes_anything(a: npt.NDArray[Any], y: npt.NDArray[Any]) -> None:
    model, loss, opt = world()
    check(lambda: loss.forward(a, y), model, loss, opt)


@settings(max_examples=60, deadline=None)
@given(X=any_array(), Y=any_array())
def test_train_and_predict_take_anything(X: npt.NDArray[Any], Y: npt.NDArray[Any]) -> None:
    model, loss, opt = world()
    check(lambda: mf.predict(model, X), model, loss, opt)
    if X.shape[-1:] == Y.shape[-1:] and X.ndim == 2 and X.shape[0] == 3:
        return  # shapes that fit would train; training changes the model on purpose
    check(lambda: mf.train(model, loss, X, Y, max_epochs=2, tol=None), model, loss, opt)


@settings(max_examples=100, deadline=None)
@given(value=any_array())
def test_parameter_assignment_takes_anything(value: npt.NDArray[Any]) -> None:
    model, loss, opt = world()
    dense = model[0]
    assert isinstance(dense, mf.Dense)

    def assign_value() -> None:
        dense.b.value = value

    def assign_grad() -> None:
        dense.b.grad = value

    if not (value.shape == (4, 1) and value.dtype == np.float64):
        check(assign_value, model, loss, opt)
        check(assign_grad, model, loss, opt)
