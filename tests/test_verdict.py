"""The verdict judges the cost against the base rate's; held-out figures; the metrics people expect.

The loan files are those of ``docs/data/loans.py``: 2,000 rows, two features, 8% defaults drawn from
logit = -3 + x1 + 0.5 x2 (loans.csv), and the same defaults shuffled across the rows (noise.csv).
"""

import importlib.util
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minifw as mf
from minifw import cli
from minifw.cli import train as cli_train
from minifw.training.verdict import chi2_sf

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("loans", ROOT / "docs" / "data" / "loans.py")
assert SPEC is not None
assert SPEC.loader is not None
LOANS = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(LOANS)


@pytest.fixture(scope="module")
def loan_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    paths: tuple[Path, Path] = LOANS.write(tmp_path_factory.mktemp("loans"))
    return paths


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in args] + ["--no-progress"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# The verdict -------------------------------------------------------------------------------------


def test_the_rare_event_file_learned_and_says_the_threshold_decides_the_labels(
    capsys: pytest.CaptureFixture[str], loan_files: tuple[Path, Path]
) -> None:
    code, out, err = run(capsys, "train", "--data", loan_files[0])
    assert code == 0, err
    assert err == ""
    assert "learned nothing" not in out + err
    (verdict,) = [line for line in out.splitlines() if line.startswith("verdict: ")]
    assert "is clearly below" in verdict
    assert "its probabilities carry information" in verdict
    assert "the threshold decides the labels" in verdict
    assert "ROC AUC" in out
    assert "recall of 1" in out


def test_the_noise_file_learned_nothing_and_the_cause_is_one_the_numbers_show(
    capsys: pytest.CaptureFixture[str], loan_files: tuple[Path, Path]
) -> None:
    code, _, err = run(capsys, "train", "--data", loan_files[1])
    assert code == cli.LEARNED_NOTHING
    assert err.startswith("minifw: error: the model learned nothing: training J = ")
    assert "is not clearly below" in err
    assert "--lr" not in err  # J converged: the learning rate is not the cause
    assert "too little to tell on the training rows" in err
    code, _, err = run(capsys, "train", "--data", loan_files[1], "--holdout", "0.2")
    assert code == cli.LEARNED_NOTHING
    assert "held-out J = " in err


def test_the_cost_test_is_the_likelihood_ratio_test_with_the_parameters_beyond_the_intercept(
    capsys: pytest.CaptureFixture[str], loan_files: tuple[Path, Path]
) -> None:
    _, out, _ = run(capsys, "train", "--data", loan_files[0])
    rows = {line[:22].strip(): line.split()[-1] for line in out.splitlines() if line.startswith("  J")}
    J, base_J = float(rows["J"]), float(rows["J of the base rate"])
    LR = 2 * 2000 * (base_J - J)
    assert f"LR = {LR:.1f} on 16 degrees of freedom" in out  # W^[1] 8, b^[1] 4, W^[2] 4; b^[2] is the intercept


def test_chi2_sf_equals_the_integral_of_the_density() -> None:
    for df in (1, 2, 3, 16, 17):
        for x in (0.5, 3.0, 20.0, 40.0):
            t = np.linspace(x, x + 400, 400_001)
            density = np.exp((df / 2 - 1) * np.log(t) - t / 2 - (df / 2) * math.log(2) - math.lgamma(df / 2))
            integral = float(np.sum((density[1:] + density[:-1]) / 2 * np.diff(t)))
            assert chi2_sf(x, df) == pytest.approx(integral, rel=1e-6)
    assert chi2_sf(0.0, 16) == 1.0
    assert chi2_sf(5000.0, 16) == 0.0 or chi2_sf(5000.0, 16) < 1e-300


def test_the_built_in_data_sets_and_people_csv_with_a_holdout_learn_and_warn_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for data in [*cli.BUILT_IN_DATA, str(ROOT / "docs" / "data" / "people.csv")]:
        more = ["--label", "label", "--drop", "id"] if data.endswith(".csv") else []
        code, out, err = run(capsys, "train", "--data", data, "--holdout", "0.2", *more)
        assert (code, err) == (0, ""), data
        assert "verdict: the model learned: held-out J" in out


def test_the_holdout_is_stratified_and_seeded() -> None:
    Y = np.array([[1.0] * 30 + [0.0] * 170])
    X = np.arange(200.0)[None]  # each column's number
    X_fit, Y_fit, held_out = cli_train._holdout(X, Y, 0.2, 0)
    assert held_out is not None
    X_held, Y_held = held_out
    assert (Y_held.sum(), X_held.size, X_fit.size, Y_fit.sum()) == (6, 40, 160, 24)
    assert sorted([*X_fit[0], *X_held[0]]) == list(range(200))
    again, other = cli_train._holdout(X, Y, 0.2, 0)[2], cli_train._holdout(X, Y, 0.2, 1)[2]
    assert again is not None
    assert other is not None
    np.testing.assert_array_equal(X_held, again[0])
    assert not np.array_equal(X_held, other[0])
    everything = cli_train._holdout(X, Y, 0.0, 0)
    assert everything[0] is X
    assert everything[1] is Y
    assert everything[2] is None
    with pytest.raises(mf.DataError, match="holds out 0 of the 2 examples of class 1"):
        cli_train._holdout(np.zeros((1, 22)), np.array([[1.0, 1.0] + [0.0] * 20]), 0.2, 0)


def test_held_out_figures_much_worse_than_training_name_overfitting(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    small = LOANS.write(tmp_path, m=200)[0]
    code, out, err = run(capsys, "train", "--data", small, "--holdout", "0.25")
    assert "held out" in out
    assert code == cli.LEARNED_NOTHING
    assert "Likely causes: overfitting: held-out J = " in err


def test_the_verdict_is_computed_once_per_minifw_train(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    training_module = sys.modules["minifw.training.train"]
    calls = []
    real = training_module.judge

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(training_module, "judge", counted)
    assert run(capsys, "train", "--data", "xor")[0] == 0
    assert len(calls) == 1
    assert run(capsys, "train", "--data", "xor", "--holdout", "0.2")[0] == 0  # judged by the held-out rows only
    assert len(calls) == 2


def test_mf_train_warns_when_the_model_is_confident_where_it_is_wrong() -> None:
    X, Y = mf.load_csv(ROOT / "docs" / "data" / "people.csv", label="label", drop=["id"])
    network = cli_train.slides_network(2, 4, 0)  # as minifw train --drop id --lr 200 trains it
    X_standardized = mf.Standardizer().fit(X).transform(X)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = mf.train(network, mf.BinaryCrossEntropy(), X_standardized, Y, learning_rate=200.0, max_epochs=20_000)
    told = [str(w.message) for w in caught if w.category is mf.ConvergenceWarning]
    assert any("the model is confident where it is wrong" in message for message in told), told
    assert not any(w.category is mf.LearnedNothingWarning for w in caught)
    assert history.verdict is not None
    assert history.verdict.overconfident


def test_mf_train_says_nothing_about_the_rare_event_model(loan_files: tuple[Path, Path]) -> None:
    X, Y = mf.load_csv(loan_files[0])
    model = mf.Sequential(mf.Dense(2, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = mf.train(model, mf.BinaryCrossEntropy(), X, Y)
    assert history.verdict is not None
    assert history.verdict.informative
    assert history.verdict.within_chance
    assert not history.verdict.learned_nothing


# The metrics -------------------------------------------------------------------------------------


def pairwise_auc(y: np.ndarray, a: np.ndarray) -> float:
    """P(a_positive > a_negative) + P(equal) / 2 over every pair, as the definition says."""
    positives, negatives = a[y == 1], a[y == 0]
    wins = sum(float(p > n) + 0.5 * float(p == n) for p in positives.tolist() for n in negatives.tolist())
    return wins / int(positives.size * negatives.size)


@given(
    st.lists(st.tuples(st.integers(0, 1), st.integers(0, 5)), min_size=2, max_size=40).filter(
        lambda pairs: len({y for y, _ in pairs}) == 2
    )
)
def test_roc_auc_is_the_pairwise_probability_ties_counting_half(pairs: list[tuple[int, int]]) -> None:
    y = np.array([float(label) for label, _ in pairs])
    a = np.array([score / 5 for _, score in pairs])  # few values: many ties
    assert mf.roc_auc(y[None], a[None]) == pytest.approx(pairwise_auc(y, a), rel=1e-12)


@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=1, max_size=40))
def test_confusion_matrix_counts_each_pair_in_scikit_learns_layout(pairs: list[tuple[int, int]]) -> None:
    y = np.array([[float(t) for t, _ in pairs]])
    y_hat = np.array([[float(p) for _, p in pairs]])
    expected = [[sum(1 for t, p in pairs if (t, p) == (row, col)) for col in (0, 1)] for row in (0, 1)]
    matrix = mf.confusion_matrix(y, y_hat)
    assert matrix.tolist() == expected  # [[tn, fp], [fn, tp]]
    figures = mf.Evaluation(y[0], y_hat[0])
    (tn, fp), (fn, tp) = expected
    assert figures.accuracy == pytest.approx((tn + tp) / len(pairs))
    assert figures.precision == pytest.approx(tp / (tp + fp)) if tp + fp else math.isnan(figures.precision)
    assert figures.recall == pytest.approx(tp / (tp + fn)) if tp + fn else math.isnan(figures.recall)


def test_the_metrics_refuse_what_they_cannot_judge() -> None:
    with pytest.raises(mf.ValueRangeError, match="needs both classes in Y"):
        mf.roc_auc(np.ones((1, 4)), np.array([[0.1, 0.2, 0.3, 0.4]]))
    with pytest.raises(mf.ShapeError, match=r"must have shape \(1, 2\) \(the labels Y\)"):
        mf.roc_auc(np.array([[0.0, 1.0]]), np.array([[0.1, 0.2, 0.3]]))
    with pytest.raises(mf.ShapeError):
        mf.confusion_matrix(np.array([0.0, 1.0]), np.array([0.0, 1.0]))  # 1-D: not the slides' (1, m)
    with pytest.raises(mf.ValueRangeError, match="labels 0 or 1"):
        mf.confusion_matrix(np.array([[0.0, 2.0]]), np.array([[0.0, 1.0]]))
    with pytest.raises(mf.ValueRangeError, match="labels 0 or 1"):
        mf.roc_auc(np.array([[-1.0, 1.0]]), np.array([[0.1, 0.2]]))


def test_evaluate_gives_the_cost_of_binary_cross_entropy_and_of_the_base_rate() -> None:
    X, Y = mf.make_moons(200, seed=0)
    model = mf.Sequential(mf.Dense(2, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    figures = mf.evaluate(model, X, Y, threshold=0.3)
    a = mf.predict_proba(model, X)
    assert pytest.approx(mf.BinaryCrossEntropy().forward(a, Y), rel=1e-12) == figures.J
    p = float(Y.mean())
    assert figures.base_J == pytest.approx(-(p * math.log(p) + (1 - p) * math.log(1 - p)), rel=1e-12)
    assert figures.accuracy == mf.accuracy(Y, mf.predict(model, X, threshold=0.3))
    assert figures.auc == pytest.approx(pairwise_auc(Y[0], a[0]), rel=1e-12)


def test_predict_on_labelled_data_reports_the_metrics(
    capsys: pytest.CaptureFixture[str], loan_files: tuple[Path, Path], tmp_path: Path
) -> None:
    model = tmp_path / "m.npz"
    assert run(capsys, "train", "--data", loan_files[0], "--save", model)[0] == 0
    code, _, err = (
        cli.main(["predict", "--model", str(model), "--data", str(loan_files[0]), "--threshold", "0.2"]),
        *capsys.readouterr(),
    )
    assert code == 0
    assert "ŷ = 1 at a >= 0.2" in err
    assert "ROC AUC" in err
    assert "y = 1: ŷ = 0, 1" in err


def test_held_out_figures_much_worse_than_training_warn_of_overfitting_on_a_model_that_learned() -> None:
    from minifw.training.checks import FeatureFindings
    from minifw.training.verdict import Verdict, verdict_message

    y = np.repeat([0.0, 1.0], 100)
    held_out = mf.Evaluation(y, np.where(y == 1, 0.7, 0.3))  # J = -log 0.7 = 0.357, clearly below log 2
    training = mf.Evaluation(y, np.where(y == 1, 0.99, 0.01))  # J = -log 0.99 = 0.010
    verdict = Verdict(held_out, 16, training)
    assert (verdict.informative, verdict.learned_nothing, verdict.overfit) == (True, False, True)
    told = verdict_message(verdict, FeatureFindings([], [], [], []), [0.7, 0.01], learning_rate=1.2, epoch_limit=None)
    assert told is not None
    assert told.startswith("overfitting: held-out J = 0.356675 against training J = 0.010050 (fix: fewer hidden units")
    assert not Verdict(held_out, 16, mf.Evaluation(y, np.where(y == 1, 0.72, 0.28))).overfit  # a little better
