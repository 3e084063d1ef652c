"""Feature pitfalls a newcomer hits with their own data: warned about with the fix, and the Standardizer."""

import warnings
from collections.abc import Callable

import numpy as np
import pytest

import minifw as mf


def slides_network(d0: int = 2) -> mf.Sequential:
    return mf.Sequential(mf.Dense(d0, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())


def data_warnings(X: mf.Array, Y: mf.Array, max_epochs: int = 5) -> list[str]:
    """The DataWarning messages mf.train gives for X and Y (other warnings are not recorded)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", mf.DataWarning)
        warnings.simplefilter("ignore", mf.ConvergenceWarning)
        mf.train(slides_network(X.shape[0]), mf.BinaryCrossEntropy(), X, Y, learning_rate=0.5, max_epochs=max_epochs)
    return [str(w.message) for w in caught if issubclass(w.category, mf.DataWarning)]


@pytest.mark.parametrize("make", [mf.make_xor, mf.make_flower, mf.make_moons, mf.make_circles])
def test_the_built_in_data_sets_give_no_warning(make: Callable[..., tuple[mf.Array, mf.Array]]) -> None:
    X, Y = make()
    assert data_warnings(X, Y) == []


def test_a_row_index_column_as_pandas_writes_it_is_named_with_the_fix() -> None:
    X, Y = mf.make_circles(200)
    with_index = np.vstack([np.arange(200.0), X])  # df.to_csv() puts the index first
    messages = data_warnings(with_index, Y)
    assert len(messages) == 1
    assert "feature 0" in messages[0]
    assert "row number or an identifier" in messages[0]
    assert messages[0].endswith("Fix: leave it out of X.")  # the general fix, whatever wrote the numbers


def test_shuffled_identifiers_are_caught_too() -> None:
    X, Y = mf.make_moons(100)
    ids = np.random.default_rng(0).permutation(100) + 1000.0
    messages = data_warnings(np.vstack([X, ids]), Y)
    assert any("feature 2" in m and "identifier" in m for m in messages)


def test_a_constant_feature_is_named() -> None:
    X, Y = mf.make_xor(100)
    messages = data_warnings(np.vstack([X, np.full((1, 100), 3.0)]), Y)
    assert messages == ["feature 2 (row 2 of X) is constant (3): it cannot help. Fix: leave it out."]


@pytest.mark.parametrize(("scale", "warned"), [(100.0, True), (1.0, False)])
def test_large_scales_are_warned_about_with_the_standardizer_as_fix(scale: float, warned: bool) -> None:
    X, Y = mf.make_circles(200)
    messages = data_warnings(X * scale, Y)
    assert bool(messages) == warned
    if warned:
        assert "standardize" in messages[0]
        assert "mf.Standardizer().fit_transform(X)" in messages[0]


def test_very_different_scales_are_warned_about() -> None:
    X, Y = mf.make_moons(200)
    X[1] *= 0.001  # std about 0.0005 next to 0.87
    messages = data_warnings(X, Y)
    assert any("very different scales: feature 0 (σ 0.8" in m and "is large, feature 1 (σ 0.000" in m for m in messages)


def test_fewer_than_ten_examples_are_too_few_to_judge() -> None:
    X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0]])  # README's XOR, x3 = 1
    assert data_warnings(X, np.array([[0.0, 1.0, 1.0, 0.0]])) == []


def test_standardized_features_have_mean_zero_and_standard_deviation_one() -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(3, 50)) * [[1000.0], [1.0], [0.01]] + [[5.0], [-2.0], [0.0]]
    scaler = mf.Standardizer()
    Z = scaler.fit_transform(X)
    np.testing.assert_allclose(Z.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=1), 1.0, rtol=1e-12)
    assert scaler.mean is not None
    assert scaler.std is not None
    np.testing.assert_allclose(scaler.mean.ravel(), X.mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(scaler.std.ravel(), X.std(axis=1), rtol=1e-12)
    new = rng.normal(size=(3, 4))
    np.testing.assert_allclose(
        scaler.transform(new), (new - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)
    )


def test_a_constant_feature_becomes_zero_and_errors_name_the_fix() -> None:
    X = np.array([[1.0, 2.0, 3.0], [7.0, 7.0, 7.0]])
    np.testing.assert_array_equal(mf.Standardizer().fit_transform(X)[1], [0.0, 0.0, 0.0])
    with pytest.raises(mf.StateError, match="before fit"):
        mf.Standardizer().transform(X)
    with pytest.raises(mf.ShapeError, match=r"\(2, m\)"):
        mf.Standardizer().fit(X).transform(np.ones((3, 2)))
    with pytest.raises(mf.ValueRangeError, match="non-finite"):
        mf.Standardizer().fit(np.array([[1.0, np.nan]]))


def test_standardizing_turns_a_useless_model_into_a_good_one() -> None:
    X, Y = mf.make_circles(200)
    X = X * 100.0

    def accuracy(features: mf.Array) -> float:
        model = slides_network()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", mf.DataWarning)
            mf.train(model, mf.BinaryCrossEntropy(), features, Y, learning_rate=1.2, max_epochs=20000)
        return mf.accuracy(Y, mf.predict(model, features))

    with pytest.warns(mf.LearnedNothingWarning, match=r"unscaled features: .* \(fix: standardize them"):
        assert accuracy(X) < 0.7  # "converges" far from the minimum, and says so
    assert accuracy(mf.Standardizer().fit_transform(X)) == 1.0
