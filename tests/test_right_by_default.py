"""Your own data, right by default: a hand-made CSV gives a good model, or says plainly why not.

``docs/data/people.csv`` is such a file: ``id,height_cm,label,mass_g``, 200 people, the height in
centimetres, the mass in whole grams, an ``id`` column and the label in the middle. Each rule is
also tried on data it was not written for: kilograms, millimetres, prices, ages, identifiers named
and unnamed, one feature, text columns.
"""

import csv
import re
import shutil
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

import minifw as mf
from minifw import cli
from minifw.training.checks import Column, inspect_features

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = ROOT / "docs" / "data" / "people.csv"
MODEL_FILES = Path(__file__).resolve().parent / "model_files"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """``minifw ARGS`` in this process: the exit code, stdout and stderr."""
    try:
        code = cli.main([str(arg) for arg in args])
    except SystemExit as exit_:  # argparse's usage errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def training_accuracy(out: str) -> float:
    return float(out.split("training accuracy: ")[1].split("%")[0])


def write_csv(path: Path, columns: Mapping[str, Sequence[object]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(list(columns))
        writer.writerows(zip(*columns.values(), strict=True))
    return path


def people(seed: int = 1, m: int = 200) -> dict[str, np.ndarray]:
    """People as in people.csv, drawn afresh: the label says tall and heavy (1) or not (0)."""
    rng = np.random.default_rng(seed)
    label = rng.permutation(np.repeat([0, 1], [m - m // 2, m // 2]))
    height_cm = np.where(label == 1, rng.normal(178, 6, m), rng.normal(162, 6, m)).round(1)
    mass_g = np.where(label == 1, rng.normal(82000, 6000, m), rng.normal(58000, 6000, m)).round()
    return {"label": label.astype(float), "height_cm": height_cm, "mass_g": mass_g}


# 1. The command line standardizes by default ---------------------------------------------------


def test_people_csv_trains_a_good_model_by_default_with_one_warning_about_the_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "train", "--data", PEOPLE, "--label", "label", "--no-progress")
    assert code == 0, err
    assert training_accuracy(out) >= 95.0  # was 51.00%, the share of the majority class
    assert "standardized: x' = (x - μ) / σ" in out
    assert err.splitlines() == [
        "minifw: warning: column 1 (id) is named like an identifier: it says nothing about the label, yet it will be "
        "fitted as a feature. Fix: --drop id."
    ]


def test_no_standardize_on_people_csv_says_the_model_learned_nothing_and_why(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "train", "--data", PEOPLE, "--label", "label", "--no-standardize", "--no-progress")
    assert code == cli.LEARNED_NOTHING == 3
    assert training_accuracy(out) == 51.0
    *warned, verdict = err.splitlines()
    assert len(warned) == 2  # the identifier, the scales
    assert "mass_g (σ 1.3e+04) is large, height_cm (σ 8.85) small" in warned[1]
    assert verdict == (
        "minifw: error: the model learned nothing: training J = 0.692947 is not clearly below 0.692947, the cost of "
        "predicting the base rate P(y = 1) = 0.51 for every example (likelihood-ratio test: LR = 0.0 on 20 degrees of "
        "freedom, p = 1), and training accuracy 51.00% is no better than always predicting 1 (51.00%). Likely causes: "
        "unscaled features: mass_g (σ 1.3e+04) is large, height_cm (σ 8.85) small (fix: "
        "leave out --no-standardize: minifw train standardizes the features by default); column 1 (id) looks like "
        "an identifier (fix: --drop id)."
    )


def test_the_standardize_flag_still_works_and_built_in_data_keep_their_numbers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "train", "--data", PEOPLE, "--label", "label", "--standardize", "--no-progress")
    assert code == 0
    assert "standardized:" in out
    code, out, _ = run(capsys, "train", "--data", "xor", "--no-progress")  # built in: on the slides' scale already
    assert code == 0
    assert "standardized:" not in out
    assert "model: Sequential(Dense(2 -> 4), Sigmoid(), Dense(4 -> 1), Sigmoid())" in out


@pytest.mark.parametrize("name", sorted(cli.BUILT_IN_DATA))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_built_in_data_sets_never_learn_nothing(capsys: pytest.CaptureFixture[str], name: str, seed: int) -> None:
    code, _, err = run(capsys, "train", "--data", name, "--seed", str(seed), "--no-progress")
    assert code == 0, err
    assert "learned nothing" not in err


@pytest.mark.parametrize("make", [mf.make_xor, mf.make_flower, mf.make_moons, mf.make_circles])
def test_mf_train_on_the_built_in_data_sets_does_not_warn(make: Callable[..., tuple[mf.Array, mf.Array]]) -> None:
    X, Y = make()
    model = mf.Sequential(mf.Dense(X.shape[0], 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    mf.train(model, mf.BinaryCrossEntropy(), X, Y, learning_rate=1.2, max_epochs=20_000)  # warnings are errors


# 2. Warnings that are right -----------------------------------------------------------------------

MEASUREMENTS: dict[str, Callable[[np.random.Generator, int], np.ndarray]] = {
    "mass_g": lambda rng, m: rng.permutation(np.arange(m) * 97 + 50_000).astype(float),  # distinct whole grams
    "mass_kg": lambda rng, m: rng.normal(70, 12, m).round(1),
    "height_mm": lambda rng, m: rng.permutation(np.arange(m) * 3 + 1500).astype(float),  # distinct whole mm
    "price_cents": lambda rng, m: rng.permutation(np.arange(m) * 5 + 199).astype(float),
    "age": lambda rng, m: rng.integers(18, 90, m).astype(float),
    "visits": lambda rng, m: rng.poisson(3, m).astype(float),
}


@pytest.mark.parametrize("name", sorted(MEASUREMENTS))
def test_a_measurement_in_whole_numbers_is_not_an_identifier(name: str) -> None:
    rng = np.random.default_rng(0)
    X = MEASUREMENTS[name](rng, 200).reshape(1, -1)
    findings = inspect_features(X, [Column(1, name)])
    assert findings.identifiers == []
    assert inspect_features(X).identifiers == []  # nor without its name


@pytest.mark.parametrize("name", ["id", "ID", "index", "customer_id", "", "Unnamed: 0", " Row "])
def test_a_column_named_like_an_identifier_is_one(name: str) -> None:
    X = np.random.default_rng(0).normal(size=(2, 50))
    findings = inspect_features(X, [Column(1, name), Column(2, "x")])
    assert findings.identifiers == [(0, "is named like an identifier")]


@pytest.mark.parametrize(
    "row",
    [np.arange(200.0), np.arange(1.0, 201.0), np.random.default_rng(0).permutation(200) + 1.0, np.arange(200.0) + 1000],
    ids=["0..m-1", "1..m", "1..m shuffled", "a counter from 1000"],
)
def test_a_column_holding_the_row_numbers_is_an_identifier_whatever_its_name(row: np.ndarray) -> None:
    X = np.vstack([np.random.default_rng(1).normal(size=200), row])
    (index, why), *more = inspect_features(X, [Column(1, "x"), Column(2, "n")]).identifiers
    assert (index, more) == (1, [])
    assert f"holds the numbers {row.min():g}..{row.max():g}, each once" in why


def test_one_feature_has_no_scale_warning_however_large(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = people()
    path = write_csv(tmp_path / "mass.csv", {"mass_g": list(data["mass_g"]), "label": list(data["label"])})
    code, _, err = run(capsys, "train", "--data", path, "--no-standardize", "--epochs", "50", "--no-progress")
    assert "scales" not in err  # it read "the features' standard deviations range from 14.6 to 14.6"
    assert "range from" not in err
    assert code == cli.LEARNED_NOTHING  # a mass in grams saturates σ: the verdict says so
    assert "every example gets the same P(y = 1) = 0.5: saturated hidden units" in err


@pytest.mark.parametrize(
    ("columns", "large", "small"),
    [
        ({"mass_kg": (70, 12), "height_cm": (170, 9)}, ["mass_kg"], ["height_cm"]),
        ({"height_mm": (1700, 90), "age": (45, 15), "score": (0.5, 0.1)}, ["height_mm", "age"], ["score"]),
        ({"x1": (0, 1), "x2": (0, 0.001)}, ["x1"], ["x2"]),
        ({"price": (250, 40), "income": (41000, 9000)}, ["income", "price"], []),
    ],
)
def test_the_scale_warning_names_the_large_and_the_small_columns(
    columns: dict[str, tuple[float, float]], large: list[str], small: list[str]
) -> None:
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(mean, std, 300) for mean, std in columns.values()])
    names = [Column(i + 1, name) for i, name in enumerate(columns)]
    findings = inspect_features(X, names)
    assert [names[i].name for i, _ in findings.large] == large
    assert [names[i].name for i, _ in findings.small] == small


def test_every_warning_about_a_csv_column_names_it_by_its_header(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = people()
    constant = [3.0] * 200
    path = write_csv(
        tmp_path / "p.csv",
        {"customer_id": list(range(500, 700)), "height_cm": list(data["height_cm"]), "unit": constant,
         "mass_g": list(data["mass_g"]), "label": list(data["label"])},
    )  # fmt: skip
    _, _, err = run(capsys, "train", "--data", path, "--no-standardize", "--epochs", "20", "--no-progress")
    assert "column 1 (customer_id) is named like an identifier" in err
    assert "column 3 (unit) is constant (3): it cannot help. Fix: --drop unit." in err
    assert "mass_g (σ" in err
    assert "row " not in err  # never "feature 2 (row 2 of X)" for a CSV column


# 3. A model that learned nothing says so ----------------------------------------------------------


def test_mf_train_warns_learned_nothing_with_the_library_s_fixes() -> None:
    X, Y = mf.load_csv(PEOPLE, label="label")
    model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mf.DataWarning)
        with pytest.warns(mf.LearnedNothingWarning) as caught:
            mf.train(model, mf.BinaryCrossEntropy(), X, Y)
    (message,) = [str(w.message) for w in caught if w.category is mf.LearnedNothingWarning]
    assert message.startswith("the model learned nothing: training J = 0.692947 is not clearly below 0.692947")
    assert "training accuracy 51.00% is no better than always predicting 1" in message
    assert "mf.Standardizer" in message
    assert "feature 0 (row 0 of X) looks like an identifier (fix: leave it out of X)" in message
    assert issubclass(mf.LearnedNothingWarning, mf.ConvergenceWarning)
    scaled = mf.Sequential(mf.Standardizer().fit(X[1:]), mf.Dense(2, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1))
    mf.train(mf.Sequential(*scaled.layers, mf.Sigmoid()), mf.BinaryCrossEntropy(), X[1:], Y)  # learns: no warning


def test_a_model_right_on_most_labels_but_confident_where_wrong_is_no_model_that_learned_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "train", "--data", PEOPLE, "--label", "label", "--drop", "id", "--lr", "200")
    assert code == 0
    assert training_accuracy(out) > 95.0
    assert "learned nothing" not in err
    # J after 200-sized steps is printed to six digits, which differ from CPU to CPU (matrix products round
    # differently): the number is held to what it must be (above the class ratio's cost), the words exactly.
    warning = err.splitlines()[-1]
    printed = re.fullmatch(r"minifw: warning: J = (\S+) is above .*", warning)
    assert printed is not None, warning
    J = float(printed.group(1))
    assert J > 0.692947
    assert warning == (
        f"minifw: warning: J = {J:.6f} is above 0.692947, the cost of predicting P(y = 1) = 0.51 for every example, "
        "although 97.50% of the labels are right: the model is confident where it is wrong. Likely cause: a learning "
        "rate too large (fix: --lr 20)."
    )


def test_an_accuracy_within_chance_of_the_majority_with_no_lower_cost_learned_nothing() -> None:
    from minifw.training.verdict import Verdict

    y = np.repeat([0.0, 1.0], 100)  # 200 examples, chance = 2 sqrt(0.25 / 200) = 7%

    def verdict(right: int, a_right: float) -> Verdict:
        """``right`` labels of each class right, with probability a_right (of the true class) there, 0.5 elsewhere."""
        a = np.full(200, 0.5)
        a[:right], a[100 : 100 + right] = 1 - a_right, a_right
        a[right:100] = 0.5 + 1e-9  # wrong, barely
        a[100 + right :] = 0.5 - 1e-9
        return Verdict(mf.Evaluation(y, a), 16)

    assert verdict(52, 0.5001).learned_nothing  # 52%: chance, J no lower
    assert not verdict(60, 0.9).learned_nothing  # J clearly lower, 60% right: learned a bit
    assert not verdict(60, 0.9).within_chance
    assert verdict(50, 0.5).learned_nothing  # the majority's accuracy, J of the base rate
    confident = Verdict(mf.Evaluation(y, np.r_[np.full(95, 0.0), np.full(5, 1.0), np.full(100, 1.0)]), 16)
    assert (confident.learned_nothing, confident.overconfident) == (False, True)  # 97.5% right, J huge


def test_a_label_with_one_class_is_not_judged(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "one.csv", {"x": list(range(20)), "y": [1] * 20})
    code, _, err = run(capsys, "train", "--data", path, "--epochs", "20", "--no-progress")
    assert "learned nothing" not in err
    assert code == 0


# 4. Columns by name ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [("--features", "height_cm,mass_g"), ("--drop", "id"), ("--features", "height_cm, mass_g", "--drop", "id")],
)
def test_features_and_drop_choose_the_columns(capsys: pytest.CaptureFixture[str], options: tuple[str, ...]) -> None:
    code, out, err = run(capsys, "train", "--data", PEOPLE, "--label", "label", *options, "--no-progress")
    assert code == 0, err
    assert err == ""  # the id is left out: no warning
    assert "2 features, m = 200 examples" in out
    assert "left out: id" in out
    assert training_accuracy(out) >= 95.0


def test_features_in_another_order_give_x_in_that_order() -> None:
    X, _ = mf.load_csv(PEOPLE, label="label", features=["mass_g", "height_cm"])
    full, _ = mf.load_csv(PEOPLE, label="label")
    np.testing.assert_array_equal(X, full[[2, 1]])


@pytest.mark.parametrize(
    ("options", "fragments"),
    [
        (("--drop", "ID"), ("no column is named 'ID'", "Fix: pass a name as the header writes it, e.g. --drop id")),
        (("--features", "height,mass_g"), ("no column is named 'height'", "--features height_cm")),
        (("--features", "label,mass_g"), ("'label' is named 2 times, in --label and --features", "Fix: name it once")),
        (("--drop", "label"), ("'label' is named 2 times, in --label and --drop", "Fix: name it once")),
        (("--features", "mass_g", "--drop", "mass_g"), ("'mass_g' is named 2 times, in --features and --drop",)),
        (("--features", "mass_g,mass_g"), ("'mass_g' is named 2 times, in --features and --features",)),
        (("--drop", "id,height_cm,mass_g"), ("no features", "leave out fewer columns")),
    ],
)
def test_bad_column_options_are_one_line_with_the_fix(
    capsys: pytest.CaptureFixture[str], options: tuple[str, ...], fragments: tuple[str, ...]
) -> None:
    code, _, err = run(capsys, "train", "--data", PEOPLE, "--label", "label", *options, "--no-progress")
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith("minifw: error: ")
    for fragment in fragments:
        assert fragment in line


@pytest.fixture(scope="module")
def people_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """people.csv's model, trained with --drop id (features height_cm, mass_g), saved with its column names."""
    path = tmp_path_factory.mktemp("people") / "people.npz"
    assert cli.main(["train", "--data", str(PEOPLE), "--label", "label", "--drop", "id", "--save", str(path)]) == 0
    return path


def test_the_model_file_carries_the_column_names(people_model: Path) -> None:
    assert mf.load_column_names(people_model) == mf.ColumnNames(("height_cm", "mass_g"), label="label")


def new_people(tmp_path: Path) -> Path:
    """people.csv's first rows with the columns in another order, a name column of text and no label."""
    with open(PEOPLE, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))[:5]
    columns = {
        "mass_g": [r["mass_g"] for r in rows],
        "name": ["Ann", "Bo", "Cy, Jr.", "Di", "Ed"],
        "id": [r["id"] for r in rows],
        "height_cm": [r["height_cm"] for r in rows],
    }
    return write_csv(tmp_path / "new.csv", columns)


def test_predict_reads_the_columns_by_name_and_writes_the_other_columns_beside(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, people_model: Path
) -> None:
    X, _ = mf.load_csv(PEOPLE, label="label", features=["height_cm", "mass_g"])
    expected = mf.predict_proba(mf.load(people_model), X[:, :5])[0]
    out_file = tmp_path / "out.csv"
    code, _, err = run(capsys, "predict", "--model", people_model, "--data", new_people(tmp_path), "--out", out_file)
    assert code == 0, err
    with open(out_file, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["name", "id", "probability", "label"]
    assert [row[:2] for row in rows[1:]] == [["Ann", "1"], ["Bo", "2"], ["Cy, Jr.", "3"], ["Di", "4"], ["Ed", "5"]]
    assert [float(row[2]) for row in rows[1:]] == expected.tolist()
    assert [row[3] for row in rows[1:]] == [str(int(p >= 0.5)) for p in expected]
    code, out, _ = run(capsys, "predict", "--model", people_model, "--data", new_people(tmp_path))
    assert out.splitlines()[1].startswith("Ann,1,")  # the same lines on stdout


def test_predict_names_a_missing_column(capsys: pytest.CaptureFixture[str], tmp_path: Path, people_model: Path) -> None:
    path = write_csv(tmp_path / "short.csv", {"Height_cm": [170.0], "mass_g": [70000.0]})
    code, _, err = run(capsys, "predict", "--model", people_model, "--data", path)
    assert code == 1
    assert err.strip() == (
        f"minifw: error: {path}: no column is named 'height_cm', one of the features the model ({people_model}) takes "
        "('height_cm', 'mass_g'); the header names 'Height_cm', 'mass_g'. Fix: add the column 'height_cm', or "
        "rename 'Height_cm' to 'height_cm' if it holds that feature."
    )


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (("--features", "mass_g,height_cm"), None),  # the model's columns, in another order: read in the model's
        (("--features", "id,mass_g"), "--features id,mass_g names other columns than the model ({model}) was"),
        (("--drop", "id,mass_g"), "--drop mass_g: the model ({model}) takes 'mass_g' as a feature. Fix: leave it out"),
    ],
)
def test_predict_takes_the_saved_features_and_refuses_options_that_differ(
    capsys: pytest.CaptureFixture[str], people_model: Path, options: tuple[str, ...], expected: str | None
) -> None:
    code, out, err = run(capsys, "predict", "--model", people_model, "--data", PEOPLE, *options)
    if expected is None:
        assert code == 0, err
        _, plain, _ = run(capsys, "predict", "--model", people_model, "--data", PEOPLE)
        assert out == plain
    else:
        assert (code, out) == (1, "")
        assert err.startswith(f"minifw: error: {expected.format(model=people_model)}"), err
        assert err.count("\n") == 1


def test_predict_with_the_label_column_reports_the_accuracy(
    capsys: pytest.CaptureFixture[str], people_model: Path
) -> None:
    code, out, err = run(capsys, "predict", "--model", people_model, "--data", PEOPLE)
    assert code == 0
    assert out.splitlines()[0] == "id,probability,label"
    assert err.startswith("accuracy: ")


def test_a_model_file_of_the_earlier_version_predicts_exactly_as_before(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """people-format-1.npz and its predictions were written by minifw before column names (train --standardize)."""
    old = MODEL_FILES / "people-format-1.npz"
    assert mf.load_column_names(old) is None
    out_file = tmp_path / "predictions.csv"
    code, _, err = run(capsys, "predict", "--model", old, "--data", PEOPLE, "--label", "label", "--output", out_file)
    assert code == 0, err
    # The probabilities come through matrix products, whose last digits differ from CPU to CPU: they are held
    # to the stored ones to rtol 1e-12, the header and the labels exactly.
    with open(out_file, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    with open(MODEL_FILES / "people-format-1-predictions.csv", newline="", encoding="utf-8") as file:
        stored = list(csv.reader(file))
    assert rows[0] == stored[0] == ["probability", "label"]
    assert len(rows) == len(stored)
    np.testing.assert_allclose([float(r[0]) for r in rows[1:]], [float(r[0]) for r in stored[1:]], rtol=1e-12, atol=0)
    assert [r[1] for r in rows[1:]] == [r[1] for r in stored[1:]]
    assert err.splitlines()[1] == "accuracy: 99.50% on m = 200 examples"


def test_the_plot_labels_its_axes_with_the_column_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("matplotlib")
    from minifw import plot

    drawn: list[object] = []
    original = plot.plot_training

    def spy(*args: object, **kwargs: object) -> object:
        figure = original(*args, **kwargs)  # type: ignore[arg-type]
        drawn.append(figure)
        return figure

    monkeypatch.setattr(plot, "plot_training", spy)
    picture = tmp_path / "people.png"
    code, _, err = run(capsys, "train", "--data", PEOPLE, "--label", "label", "--drop", "id", "--plot", picture)
    assert code == 0, err
    (figure,) = drawn
    boundary = figure.axes[1]  # type: ignore[attr-defined]
    assert (boundary.get_xlabel(), boundary.get_ylabel()) == ("height_cm", "mass_g")


# 5. Messages that point the right way -------------------------------------------------------------


def test_label_suggests_the_header_that_differs_only_in_case(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "train", "--data", PEOPLE, "--label", "Label")
    assert code == 1
    assert err.strip().endswith(
        "Fix: pass a name as the header writes it, e.g. --label label."
    )  # was "e.g. --label mass_g"


def test_a_text_column_is_named_as_a_column_of_text_with_the_fix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = people(m=40)
    sex = ["M" if v else "F" for v in data["label"]]
    path = write_csv(
        tmp_path / "sex.csv", {"sex": sex, "height_cm": list(data["height_cm"]), "label": list(data["label"])}
    )
    code, _, err = run(capsys, "train", "--data", path)
    assert code == 1
    assert err.strip() == (
        f"minifw: error: {path}: column 1 (sex: '{sex[0]}' on line 2) holds text, and minifw reads numbers only. "
        "Fix: leave it out with --drop sex, or encode it as numbers (e.g. 0 and 1 for two values)."
    )
    code, out, err = run(capsys, "train", "--data", path, "--drop", "sex", "--no-progress")
    assert code == 0, err
    assert "left out: sex" in out


def test_a_typo_in_a_column_of_numbers_is_still_a_typo(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "typo.csv", {"x": ["1", "2", "abc", "4"], "y": ["0", "1", "0", "1"]})
    code, _, err = run(capsys, "train", "--data", path)
    assert code == 1
    assert err.strip().endswith(
        "line 4, column 1 (x): 'abc' is not a number. Fix: write a number there, or remove the row."
    )


def test_a_text_column_in_the_python_api_names_the_drop_argument(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", {"city": ["Oslo", "Rome"], "x": [1, 2], "y": [0, 1]})
    with pytest.raises(
        mf.DataError, match=r"column 1 \(city: 'Oslo' on line 2\) holds text.*Fix: leave it out with drop=\['city'\]"
    ):
        mf.load_csv(path)
    X, Y = mf.load_csv(path, drop="city")
    assert (X.tolist(), Y.tolist()) == ([[1.0, 2.0]], [[0.0, 1.0]])


# 6. Model files --------------------------------------------------------------------------------------


def test_new_files_are_version_2_with_names_and_version_1_without(tmp_path: Path) -> None:
    model = mf.Sequential(mf.Dense(2, 3, rng=0), mf.Sigmoid(), mf.Dense(3, 1, rng=1), mf.Sigmoid())
    mf.save(model, tmp_path / "plain.npz")
    mf.save(model, tmp_path / "named.npz", columns=mf.ColumnNames(("a", "b"), label=None))
    with np.load(tmp_path / "plain.npz") as plain, np.load(tmp_path / "named.npz") as named:
        assert (int(plain["format_version"]), int(named["format_version"])) == (1, 2)
        assert "columns" not in plain.files
        assert str(named["columns"]) == '{"features": ["a", "b"], "label": null}'
    X = np.ones((2, 3))
    assert (mf.load(tmp_path / "named.npz").forward(X) == model.forward(X)).all()
    with pytest.raises(mf.ValueRangeError, match="names 1 feature"):
        mf.save(model, tmp_path / "bad.npz", columns=mf.ColumnNames(("a",)))
    assert not (tmp_path / "bad.npz").exists()


def test_a_model_with_label_classes_is_version_3_and_one_without_is_byte_for_byte_as_before(tmp_path: Path) -> None:
    model = mf.Sequential(mf.Dense(2, 3, rng=0), mf.Sigmoid(), mf.Dense(3, 1, rng=1), mf.Sigmoid())
    names = mf.ColumnNames(("a", "b"), label="approved", classes=("no", "yes"))
    mf.save(model, tmp_path / "classes.npz", columns=names)
    with np.load(tmp_path / "classes.npz") as saved:
        assert int(saved["format_version"]) == 3
        assert str(saved["columns"]) == '{"features": ["a", "b"], "label": "approved", "classes": ["no", "yes"]}'
    assert mf.load_column_names(tmp_path / "classes.npz") == names
    mf.save(model, tmp_path / "v2.npz", columns=mf.ColumnNames(("a", "b"), label="y"))
    with np.load(tmp_path / "v2.npz") as saved:
        entries = {name: saved[name] for name in saved.files}
    assert int(entries["format_version"]) == 2
    assert str(entries["columns"]) == '{"features": ["a", "b"], "label": "y"}'
    for classes in (("yes", "yes"), ("no",), ("no", 1)):
        with pytest.raises(mf.ValueRangeError, match="two different strings"):
            mf.save(model, tmp_path / "bad.npz", columns=mf.ColumnNames(("a", "b"), classes=classes))  # type: ignore[arg-type]
    assert not (tmp_path / "bad.npz").exists()


def test_old_fixture_files_still_load(tmp_path: Path) -> None:
    copy = tmp_path / "old.npz"
    shutil.copy(MODEL_FILES / "people-format-1.npz", copy)
    model = mf.load(copy)
    assert repr(model).startswith("Sequential(Standardizer(3 features), Dense(3 -> 4)")
