"""mf.train: each stopping rule, the warning, divergence with parameters restored, callbacks, bad input.

And it learns: XOR to full accuracy, the flower far beyond logistic regression.
"""

import math

import numpy as np
import pytest

import minifw as mf

from .conftest import manual_descent, slides_network


def xor3() -> tuple[np.ndarray, np.ndarray]:
    return mf.make_xor(40, noise=0.1, d=3, seed=0)


def two_four_one(seed: int = 0) -> mf.Sequential:
    return mf.Sequential(mf.Dense(2, 4, rng=seed), mf.Sigmoid(), mf.Dense(4, 1, rng=seed + 1), mf.Sigmoid())


def test_train_is_the_slides_loop_exactly() -> None:
    X, Y = xor3()
    reference, trained = slides_network(), slides_network()
    Js = manual_descent(reference, X, Y, 0.7, 25)
    history = mf.train(trained, mf.BinaryCrossEntropy(), X, Y, learning_rate=0.7, max_epochs=25, tol=None)
    assert Js == history.J
    assert history.epochs == 25
    assert history.stop_reason == "max_epochs"
    assert not history.converged
    for p, q in zip(trained.parameters(), reference.parameters(), strict=True):
        np.testing.assert_array_equal(p.value, q.value)


def test_gradient_norms_are_the_norm_of_all_gradients_at_each_epoch() -> None:
    X, Y = xor3()
    model = slides_network()
    loss = mf.BinaryCrossEntropy()
    loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    expected = math.sqrt(sum(float(np.sum(p.grad**2)) for p in model.parameters()))
    history = mf.train(slides_network(), loss, X, Y, max_epochs=1, tol=None)
    assert history.gradient_norms[0] == pytest.approx(expected, rel=1e-12)


def test_tol_stops_after_n_iter_no_change_epochs_without_enough_improvement() -> None:
    X, Y = xor3()
    tol, patience = 1e-4, 5
    history = mf.train(
        slides_network(), mf.BinaryCrossEntropy(), X, Y, learning_rate=1.0, tol=tol, n_iter_no_change=patience
    )
    assert history.stop_reason == "tol"
    assert history.converged
    J = history.J
    # The rule, checked independently: the last `patience` epochs each failed to beat the best before by tol ...
    for t in range(len(J) - patience, len(J)):
        assert J[t] > min(J[:t]) - tol
    # ... and at no earlier epoch had `patience` such failures happened in a row.
    run = 0
    for t in range(1, len(J) - 1):
        run = run + 1 if J[t] > min(J[:t]) - tol else 0
        assert run < patience


def test_gradient_tol_stops_when_the_gradient_norm_is_small() -> None:
    X, Y = xor3()
    with pytest.warns(mf.LearnedNothingWarning, match="no better than always predicting"):  # it stops on a plateau
        history = mf.train(
            slides_network(), mf.BinaryCrossEntropy(), X, Y, learning_rate=2.0, tol=None, gradient_tol=0.05
        )
    assert history.stop_reason == "gradient_tol"
    assert history.converged
    assert history.gradient_norms[-1] <= 0.05
    assert all(norm > 0.05 for norm in history.gradient_norms[:-1])


def test_the_epoch_limit_warns_when_a_convergence_rule_was_on() -> None:
    X, Y = xor3()
    with pytest.warns(mf.ConvergenceWarning, match="max_epochs=3"):
        history = mf.train(slides_network(), mf.BinaryCrossEntropy(), X, Y, max_epochs=3)
    assert history.stop_reason == "max_epochs"
    assert history.epochs == 3
    assert not history.converged
    assert issubclass(mf.ConvergenceWarning, UserWarning)


def test_no_warning_when_every_convergence_rule_is_off() -> None:
    X, Y = xor3()
    history = mf.train(slides_network(), mf.BinaryCrossEntropy(), X, Y, max_epochs=3, tol=None)  # warnings are errors
    assert history.epochs == 3


def test_callbacks_see_every_epoch_and_can_stop() -> None:
    X, Y = xor3()
    seen: list[tuple[int, float]] = []

    def log(epoch: mf.Epoch) -> None:
        seen.append((epoch.epoch, epoch.J))
        assert epoch.J_history[-1] == epoch.J
        assert epoch.model is model

    def stop_at_seven(epoch: mf.Epoch) -> bool:
        return epoch.epoch == 7

    model = slides_network()
    history = mf.train(model, mf.BinaryCrossEntropy(), X, Y, callbacks=[log, stop_at_seven])
    assert history.stop_reason == "callback"
    assert history.epochs == 7
    assert seen == list(enumerate(history.J, start=1))


def test_a_callback_sees_the_updated_parameters() -> None:
    X, Y = xor3()
    reference = slides_network()
    manual_descent(reference, X, Y, 1.2, 1)
    captured: list[np.ndarray] = []
    model = slides_network()
    mf.train(
        model,
        mf.BinaryCrossEntropy(),
        X,
        Y,
        max_epochs=1,
        tol=None,
        callbacks=[lambda e: captured.append(e.model.parameters()[0].value.copy())],
    )
    np.testing.assert_array_equal(captured[0], reference.parameters()[0].value)


def test_divergence_raises_naming_the_epoch_and_restores_finite_parameters() -> None:
    X, Y = xor3()
    model = slides_network()
    with pytest.raises(mf.DivergenceError, match=r"diverged at epoch (\d+)") as caught:
        mf.train(model, mf.BinaryCrossEntropy(), X, Y, learning_rate=1e308, tol=None)
    error = caught.value
    assert isinstance(error, RuntimeError)
    assert f"epoch {error.epoch}" in str(error)
    assert "learning rate" in str(error)
    for p in model.parameters():
        assert np.isfinite(p.value).all()
        assert np.isfinite(p.grad).all()
    history = error.history
    assert isinstance(history, mf.History)
    assert all(math.isfinite(J) for J in history.J)
    # The model holds exactly the parameters at which history.J[-1] was computed.
    reference = slides_network()
    with np.errstate(over="ignore"):
        manual_descent(reference, X, Y, 1e308, history.epochs - 1)
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        np.testing.assert_array_equal(p.value, q.value)
    assert mf.BinaryCrossEntropy().forward(model.forward(X), Y) == history.J[-1]


class SquaredError(mf.Loss):
    """A user's loss, J = (1/m) Σ (a - y)², whose gradients grow without bound."""

    def forward(self, a: mf.Array, y: mf.Array) -> float:
        self.a, self.y = a, y
        return float(np.sum((a - y) ** 2) / a.shape[1])

    def backward(self) -> mf.Array:
        da: mf.Array = 2.0 * (self.a - self.y) / self.a.shape[1]
        return da


def test_a_too_large_learning_rate_diverges_geometrically_and_is_caught() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 50))
    Y = rng.normal(size=(1, 50))
    model = mf.Sequential(mf.Dense(3, 1, rng=0))
    with pytest.raises(mf.DivergenceError, match="diverged at epoch") as caught:
        mf.train(model, SquaredError(), X, Y, learning_rate=5.0, tol=None)
    assert caught.value.epoch > 10  # J grew for many epochs before overflowing
    assert caught.value.history.J[-1] > 1e100
    assert all(np.isfinite(p.value).all() for p in model.parameters())
    assert SquaredError().forward(model.forward(X), Y) == caught.value.history.J[-1]


class BlowUp(mf.Layer):
    """A user layer that returns NaN from its third forward on: J becomes NaN mid-training."""

    elementwise = True

    def __init__(self) -> None:
        self.calls = 0

    def forward(self, x: mf.Array) -> mf.Array:
        self.calls += 1
        return x * np.nan if self.calls >= 3 else x

    def backward(self, grad: mf.Array) -> mf.Array:
        return grad


def test_a_nan_J_restores_the_parameters_of_the_last_finite_J() -> None:  # noqa: N802  # the slide's J
    X, Y = xor3()
    model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), BlowUp(), mf.Sigmoid())
    reference = slides_network()
    manual_descent(reference, X, Y, 1.2, 1)  # θ^(1): the parameters of epoch 2's J
    with pytest.raises(mf.DivergenceError, match="epoch 3: J is nan") as caught:
        mf.train(model, mf.BinaryCrossEntropy(), X, Y, tol=None)
    assert caught.value.epoch == 3
    assert caught.value.history.epochs == 2
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        np.testing.assert_array_equal(p.value, q.value)


def test_nan_in_the_first_epoch_leaves_the_initial_parameters() -> None:
    X, Y = xor3()
    layer = BlowUp()
    layer.calls = 5
    model = mf.Sequential(mf.Dense(3, 1, rng=0), layer, mf.Sigmoid())
    initial = [p.value.copy() for p in model.parameters()]
    with pytest.raises(mf.DivergenceError, match=r"epoch 1.*initial values"):
        mf.train(model, mf.BinaryCrossEntropy(), X, Y)
    for p, value in zip(model.parameters(), initial, strict=True):
        np.testing.assert_array_equal(p.value, value)


# Learning. mf.train is the manual loop of the docs exactly (test_train_is_the_slides_loop_exactly),
# so these runs also show that the loop a reader writes learns.

XOR_CORNERS = (np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]]), np.array([[0.0, 1.0, 1.0, 0.0]]))


@pytest.mark.parametrize(
    "data", [XOR_CORNERS, mf.make_xor(200, noise=0.1, seed=0)], ids=["four-corners", "make_xor-200"]
)
def test_xor_is_learned_to_full_accuracy(data: tuple[np.ndarray, np.ndarray]) -> None:
    X, Y = data
    model = two_four_one()
    history = mf.train(model, mf.BinaryCrossEntropy(), X, Y, learning_rate=2.0, max_epochs=5000)
    assert history.converged
    assert mf.accuracy(Y, mf.predict(model, X)) == 1.0
    assert history.J[-1] < 0.1 * history.J[0]


def test_the_hidden_layer_learns_the_flower_that_logistic_regression_cannot() -> None:
    X, Y = mf.make_flower(400, seed=0)
    network = two_four_one()
    history = mf.train(network, mf.BinaryCrossEntropy(), X, Y, learning_rate=1.2, max_epochs=3000, tol=None)
    logistic = mf.Sequential(mf.Dense(2, 1, rng=0), mf.Sigmoid())
    mf.train(logistic, mf.BinaryCrossEntropy(), X, Y, learning_rate=1.2, max_epochs=2000, tol=None)
    network_accuracy = mf.accuracy(Y, mf.predict(network, X))
    logistic_accuracy = mf.accuracy(Y, mf.predict(logistic, X))
    assert logistic_accuracy < 0.65  # a straight line cannot separate the petals
    assert network_accuracy > 0.85
    assert network_accuracy > logistic_accuracy + 0.25
    J = history.J
    assert J[-1] < J[0]
    assert all(later <= earlier + 1e-12 for earlier, later in zip(J[100::100], J[200::100], strict=False))
    # Held-out flower data from another seed: the boundary generalises.
    X_test, Y_test = mf.make_flower(400, seed=1)
    assert mf.accuracy(Y_test, mf.predict(network, X_test)) >= 0.85


def test_float32_training_stays_float32() -> None:
    X, Y = xor3()
    model = mf.Sequential(
        mf.Dense(3, 4, rng=0, dtype=np.float32), mf.Sigmoid(), mf.Dense(4, 1, rng=1, dtype=np.float32), mf.Sigmoid()
    )
    history = mf.train(model, mf.BinaryCrossEntropy(), X, Y, max_epochs=20, tol=None)
    assert history.J[-1] < history.J[0]
    assert all(p.value.dtype == np.float32 for p in model.parameters())


def test_the_progress_bar_shows_epoch_and_J(  # noqa: N802  # the slide's J
    capsys: pytest.CaptureFixture[str],
) -> None:
    X, Y = xor3()
    mf.train(slides_network(), mf.BinaryCrossEntropy(), X, Y, max_epochs=5, tol=None, progress=True)
    err = capsys.readouterr().err
    assert "5/5" in err
    assert "J=" in err


def test_no_progress_output_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    X, Y = xor3()
    mf.train(slides_network(), mf.BinaryCrossEntropy(), X, Y, max_epochs=5, tol=None)
    assert capsys.readouterr() == ("", "")


def test_history_repr_names_the_reason() -> None:
    X, Y = xor3()
    history = mf.train(slides_network(), mf.BinaryCrossEntropy(), X, Y, max_epochs=2, tol=None)
    assert repr(history).startswith("History(epochs=2, stop_reason='max_epochs', J ")


NAN_X = np.array([[0.0, np.nan], [1.0, 1.0], [0.0, 1.0]])


@pytest.mark.parametrize(
    ("X", "Y", "options", "error", "match"),
    [
        (NAN_X, np.array([[0.0, 1.0]]), {}, mf.ValueRangeError, r"X holds 1 non-finite .* row 0, column 1"),
        (np.ones((3, 2)), np.array([[0.0, np.inf]]), {}, mf.ValueRangeError, "Y holds 1 non-finite"),
        (np.ones((3, 2)), np.array([[0.0], [1.0]]), {}, mf.ShapeError, "Y looks transposed"),
        (np.ones((3, 2)), np.array([[0.0, 1.0, 1.0]]), {}, mf.ShapeError, "m = 2 examples"),
        (np.ones((2, 3)), np.array([[0.0, 1.0]]), {}, mf.ShapeError, "transposed"),
        (np.ones(3), np.array([[0.0]]), {}, mf.ShapeError, "reshape"),
        (np.ones((3, 1)), np.array([[1.0]]), {"learning_rate": 0.0}, mf.ValueRangeError, "learning rate"),
        (np.ones((3, 1)), np.array([[1.0]]), {"learning_rate": math.nan}, mf.ValueRangeError, "learning rate"),
        (np.ones((3, 1)), np.array([[1.0]]), {"max_epochs": 0}, mf.ValueRangeError, "max_epochs"),
        (np.ones((3, 1)), np.array([[1.0]]), {"max_epochs": 2.5}, mf.ValueRangeError, "max_epochs"),
        (np.ones((3, 1)), np.array([[1.0]]), {"tol": -1.0}, mf.ValueRangeError, "tol"),
        (np.ones((3, 1)), np.array([[1.0]]), {"n_iter_no_change": 0}, mf.ValueRangeError, "n_iter_no_change"),
        (np.ones((3, 1)), np.array([[1.0]]), {"gradient_tol": math.inf}, mf.ValueRangeError, "gradient_tol"),
        (np.ones((3, 1)), np.array([[1.0]]), {"callbacks": [3]}, TypeError, "callable"),
        (np.ones((3, 1)), np.array([[2.0]]), {}, mf.ValueRangeError, r"labels in \[0, 1\]"),
    ],
)
def test_bad_input_is_refused_and_the_model_is_untouched(
    X: np.ndarray, Y: np.ndarray, options: dict[str, object], error: type[Exception], match: str
) -> None:
    model = slides_network()
    before = [p.value.copy() for p in model.parameters()]
    with pytest.raises(error, match=match):
        mf.train(model, mf.BinaryCrossEntropy(), X, Y, **{"max_epochs": 5, **options})  # type: ignore[arg-type]
    for p, value in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.value, value)


def test_model_and_loss_types_are_checked() -> None:
    X, Y = xor3()
    with pytest.raises(mf.NotALayerError):
        mf.train("model", mf.BinaryCrossEntropy(), X, Y)  # type: ignore[arg-type]
    with pytest.raises(mf.NotALossError):
        mf.train(slides_network(), mf.Sigmoid(), X, Y)  # type: ignore[arg-type]
    with pytest.raises(mf.ValueRangeError, match="got no parameters, so step"):  # GradientDescent's check
        mf.train(mf.Sequential(mf.Sigmoid()), mf.BinaryCrossEntropy(), X[:1], Y)


def test_integer_data_is_accepted() -> None:
    X = np.array([[0, 0, 1, 1], [0, 1, 0, 1], [1, 1, 1, 1]])
    Y = np.array([[0, 1, 1, 0]])
    history = mf.train(slides_network(), mf.BinaryCrossEntropy(), X, Y, max_epochs=3, tol=None)
    assert history.epochs == 3
