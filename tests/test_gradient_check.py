"""mf.check_gradients: passes on every built-in layer and a user's own, catches planted wrong backwards."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minifw as mf

from .conftest import slides_network
from .typing_cases.user_layer import Tanh


class HalfSquaredError(mf.Loss):
    """A user's loss, J = (1/2m) Σ (a - y)², for layers whose output is not a probability."""

    def forward(self, a: mf.Array, y: mf.Array) -> float:
        self.a, self.y = a, y
        return float(0.5 * np.sum((a - y) ** 2) / a.shape[1])

    def backward(self) -> mf.Array:
        da: mf.Array = (self.a - self.y) / self.a.shape[1]
        return da


class Scale(mf.Layer):
    """A user's layer with a parameter: a = s ⊙ x, with s of shape (d, 1)."""

    def __init__(self, d: int, wrong: bool = False) -> None:
        self.s = mf.Parameter(np.linspace(0.5, 1.5, d).reshape(d, 1), name="s")
        self.wrong = wrong

    def forward(self, x: mf.Array) -> mf.Array:
        self.x = x
        return self.s.value * x

    def backward(self, grad: mf.Array) -> mf.Array:
        self.s.grad[...] = np.sum(grad * self.x, axis=1, keepdims=True)
        if self.wrong:  # planted bug: forgets the sum over examples, keeps only the first column
            self.s.grad[...] = (grad * self.x)[:, :1]
        return grad * self.s.value

    def parameters(self) -> list[mf.Parameter]:
        return [self.s]


class SigmoidWithoutD(mf.Layer):
    """A planted wrong backward: the sigmoid's D = a(1 - a) is forgotten."""

    elementwise = True

    def forward(self, x: mf.Array) -> mf.Array:
        return mf.sigmoid(x)

    def backward(self, grad: mf.Array) -> mf.Array:
        return grad


class TransposedDense(mf.Layer):
    """A planted wrong backward: ∂J/∂W scaled by 2 (a classic missing-1/2 or doubled-term bug)."""

    def __init__(self) -> None:
        self.inner = mf.Dense(3, 4, rng=0)

    def forward(self, x: mf.Array) -> mf.Array:
        return self.inner.forward(x)

    def backward(self, grad: mf.Array) -> mf.Array:
        out = self.inner.backward(grad)
        self.inner.W.grad *= 2.0
        return out

    def parameters(self) -> list[mf.Parameter]:
        return self.inner.parameters()


def batch(d0: int = 3, m: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(d0, m)), (rng.random((1, m)) < 0.5).astype(float)


def test_the_slides_network_passes_with_every_parameter_and_the_input_reported(model: mf.Sequential) -> None:
    X, Y = batch()
    report = mf.check_gradients(model, mf.BinaryCrossEntropy(), X, Y)
    assert report.passed
    assert [c.name for c in report.checks] == ["W1", "b1", "W2", "b2", "X"]
    assert [c.shape for c in report.checks] == [(4, 3), (4, 1), (1, 4), (1, 1), (3, 5)]
    assert all(c.max_relative_error < 1e-6 for c in report.checks)
    text = str(report)
    assert "W1" in text
    assert "ok" in text


def test_dense_alone_passes_with_a_user_loss() -> None:
    X, _ = batch()
    Y = np.random.default_rng(1).normal(size=(4, 5))
    assert mf.check_gradients(mf.Dense(3, 4, rng=0), HalfSquaredError(), X, Y).passed


def test_sigmoid_alone_passes_through_its_input_gradient() -> None:
    X, Y = batch(d0=1)
    report = mf.check_gradients(mf.Sigmoid(), mf.BinaryCrossEntropy(), X, Y)
    assert [c.name for c in report.checks] == ["X"]
    assert report.passed


def test_binary_cross_entropy_on_plain_probabilities_passes() -> None:
    # The loss's own backward (∂J/∂a, not the z shortcut) under a user's layer that outputs probabilities.
    class Squash(mf.Layer):
        elementwise = True

        def forward(self, x: mf.Array) -> mf.Array:
            self.a = 0.25 + 0.5 * np.tanh(x) ** 2
            self.x = x
            return self.a

        def backward(self, grad: mf.Array) -> mf.Array:
            return grad * np.tanh(self.x) * (1.0 - np.tanh(self.x) ** 2)

    X, Y = batch()
    model = mf.Sequential(mf.Dense(3, 1, rng=0), Squash())
    assert mf.check_gradients(model, mf.BinaryCrossEntropy(), X, Y).passed


def test_user_layers_pass() -> None:
    X, Y = batch()
    model = mf.Sequential(mf.Dense(3, 4, rng=0), Tanh(), Scale(4), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    report = mf.check_gradients(model, mf.BinaryCrossEntropy(), X, Y)
    assert report.passed
    # named as mf.save names them in a model file: the number l counts the layers with parameters, as W^[l]
    assert [c.name for c in report.checks] == ["W1", "b1", "s2", "W3", "b3", "X"]


def test_the_gradient_report_names_the_parameters_as_the_model_file_does(tmp_path: Path) -> None:
    X, Y = batch()
    model = mf.Sequential(mf.Dense(3, 4, rng=0), Tanh(), Scale(4), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    mf.save(model, tmp_path / "model.npz")
    names = [c.name for c in mf.check_gradients(model, mf.BinaryCrossEntropy(), X, Y).checks]
    with np.load(tmp_path / "model.npz", allow_pickle=False) as npz:
        assert sorted(names[:-1]) == sorted(set(npz.files) - {"format_version", "dtype", "architecture"})


@pytest.mark.parametrize(
    ("model", "culprit"),
    [
        (mf.Sequential(mf.Dense(3, 4, rng=0), SigmoidWithoutD(), mf.Dense(4, 1, rng=1), mf.Sigmoid()), "W1"),
        (mf.Sequential(TransposedDense(), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid()), "W1"),
        (mf.Sequential(mf.Dense(3, 4, rng=0), Scale(4, wrong=True), mf.Dense(4, 1, rng=1), mf.Sigmoid()), "s2"),
    ],
)
def test_a_planted_wrong_backward_is_caught_and_named(model: mf.Sequential, culprit: str) -> None:
    X, Y = batch()
    with pytest.raises(mf.GradientCheckError, match=culprit) as caught:
        mf.check_gradients(model, mf.BinaryCrossEntropy(), X, Y)
    assert isinstance(caught.value, RuntimeError)
    report = caught.value.report
    assert not report.passed
    assert culprit in [c.name for c in report.failed]
    failed = next(c for c in report.checks if c.name == culprit)
    assert failed.max_relative_error > 0.1
    assert failed.analytic != pytest.approx(failed.numeric)


def test_raise_on_failure_false_returns_the_report() -> None:
    X, Y = batch()
    model = mf.Sequential(mf.Dense(3, 4, rng=0), SigmoidWithoutD(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    report = mf.check_gradients(model, mf.BinaryCrossEntropy(), X, Y, raise_on_failure=False)
    assert not report.passed
    assert "FAIL" in str(report)


def test_parameters_are_restored_bit_for_bit_and_grads_hold_the_analytic_gradient(model: mf.Sequential) -> None:
    X, Y = batch()
    before = [p.value.copy() for p in model.parameters()]
    mf.check_gradients(model, mf.BinaryCrossEntropy(), X, Y)
    for p, value in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.value, value)
    reference = slides_network()
    for p, q in zip(reference.parameters(), model.parameters(), strict=True):
        p.value[...] = q.value
    loss = mf.BinaryCrossEntropy()
    loss.forward(reference.forward(X), Y)
    reference.backward(loss.backward())
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        np.testing.assert_array_equal(p.grad, q.grad)


def test_float32_uses_the_documented_step_and_tolerances() -> None:
    X, Y = batch()
    model = mf.Sequential(
        mf.Dense(3, 4, rng=0, dtype=np.float32), mf.Sigmoid(), mf.Dense(4, 1, rng=1, dtype=np.float32), mf.Sigmoid()
    )
    report = mf.check_gradients(model, mf.BinaryCrossEntropy(), X, Y)
    assert (report.step, report.rtol, report.atol) == (1e-2, 1e-2, 1e-4)
    assert report.passed
    assert all(p.value.dtype == np.float32 for p in model.parameters())


def test_float32_with_the_float64_step_is_noise() -> None:
    # The documented reason for the float32 defaults: h = 1e-6 cancels to noise in float32.
    X, Y = batch()
    model = mf.Sequential(
        mf.Dense(3, 4, rng=0, dtype=np.float32), mf.Sigmoid(), mf.Dense(4, 1, rng=1, dtype=np.float32), mf.Sigmoid()
    )
    report = mf.check_gradients(model, mf.BinaryCrossEntropy(), X, Y, step=1e-6, raise_on_failure=False)
    assert not report.passed


@settings(max_examples=20, deadline=None)
@given(d0=st.integers(1, 4), hidden=st.integers(1, 5), m=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_random_networks_pass_in_float64_and_float32(d0: int, hidden: int, m: int, seed: int) -> None:
    X, Y = batch(d0, m, seed)
    for dtype in (np.float64, np.float32):
        rng = np.random.default_rng(seed)
        model = mf.Sequential(
            mf.Dense(d0, hidden, rng=rng, dtype=dtype), mf.Sigmoid(), mf.Dense(hidden, 1, rng=rng, dtype=dtype)
        )
        model = mf.Sequential(*model.layers, mf.Sigmoid())
        assert mf.check_gradients(model, mf.BinaryCrossEntropy(), X, Y).passed


def test_bad_arguments() -> None:
    X, Y = batch()
    with pytest.raises(mf.ValueRangeError, match="step"):
        mf.check_gradients(slides_network(), mf.BinaryCrossEntropy(), X, Y, step=0.0)
    with pytest.raises(mf.ValueRangeError, match="NaN"):
        mf.check_gradients(slides_network(), mf.BinaryCrossEntropy(), X * np.nan, Y)
    with pytest.raises(mf.NotALayerError):
        mf.check_gradients(object(), mf.BinaryCrossEntropy(), X, Y)  # type: ignore[arg-type]
    with pytest.raises(mf.NotALossError):
        mf.check_gradients(slides_network(), object(), X, Y)  # type: ignore[arg-type]
