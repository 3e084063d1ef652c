"""The command line on your own data: --standardize, --label, --delimiter, --model errors, warnings, the demo's
next step. Run in this process (``main([...])``), as the command line runs them, with what it prints captured.
"""

import os
import sys
from pathlib import Path
from typing import TextIO, cast

import numpy as np
import pytest

import minifw as mf
from minifw.cli import main
from minifw.cli.train import LEARNED_NOTHING, slides_network
from minifw.io.safe_npz import read_npz
from minifw.training.progress import progress_default


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """``minifw ARGS``: the exit code, stdout and stderr."""
    try:
        code = main([str(arg) for arg in args])
    except SystemExit as exit_:  # argparse's usage errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str, kind: str = "error") -> str:
    """The single line of stderr, checked to be minifw's own: ``minifw: error: ...`` (or warning)."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(("minifw: ", "minifw train: ", "minifw predict: ")), err
    assert f"{kind}: " in lines[0], err
    return lines[0]


def training_accuracy(out: str) -> float:
    return float(out.split("training accuracy: ")[1].split("%")[0])


def predictions(out: str) -> list[str]:
    lines = out.splitlines()
    assert lines[0] == "probability,label"
    return lines[1:]


@pytest.fixture
def circles_x100(tmp_path: Path) -> tuple[Path, np.ndarray, np.ndarray]:
    """The circles with both features times 100: a CSV file, X and Y."""
    X, Y = mf.make_circles(200, seed=0)
    X = 100.0 * X
    path = tmp_path / "circles-x100.csv"
    mf.save_csv(path, X, Y)
    return path, X, Y


# --standardize --------------------------------------------------------------------------------


def test_without_standardize_the_scale_warning_is_one_line_that_names_the_option(
    capsys: pytest.CaptureFixture[str], circles_x100: tuple[Path, np.ndarray, np.ndarray]
) -> None:
    code, out, err = run(capsys, "train", "--data", circles_x100[0], "--no-standardize")
    assert code == LEARNED_NOTHING  # J not clearly below the base rate's, the accuracy within chance
    assert 50.0 < training_accuracy(out) < 60.0  # gradient descent stalls on features of standard deviation ~56
    warning, verdict = err.splitlines()
    assert "Likely causes: unscaled features: x2 (σ 56.3) and x1 (σ 55.6) are large" in verdict
    assert one_line(warning, "warning") == (
        "minifw: warning: the features are on large or very different scales: x2 (σ 56.3) and x1 (σ 55.6) are large "
        "(σ is the standard deviation). Gradient descent crawls along the large ones and may stop far from the "
        "minimum. Fix: leave out --no-standardize: minifw train standardizes the features by default."
    )
    code, out, err = run(capsys, "train", "--data", circles_x100[0])  # the default standardizes a CSV file
    assert code == 0
    assert err == ""
    assert training_accuracy(out) == 100.0
    assert "DataWarning" not in err
    assert ".py:" not in err  # not Python's warning format, with the file and line


def test_standardize_trains_the_network_on_standardized_features_and_saves_a_model_that_standardizes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], circles_x100: tuple[Path, np.ndarray, np.ndarray]
) -> None:
    data, X, Y = circles_x100
    model_path = tmp_path / "circles.npz"
    code, out, err = run(capsys, "train", "--data", data, "--standardize", "--save", model_path)
    assert code == 0, err
    assert err == ""  # no warning about the scales: --standardize is their fix
    assert "standardized: x' = (x - μ) / σ, μ = [0.0763, -0.443], σ = [55.6, 56.3]" in out
    assert "model: Sequential(Standardizer(2 features), Dense(2 -> 4), Sigmoid(), Dense(4 -> 1), Sigmoid())" in out
    assert training_accuracy(out) == 100.0

    model = mf.load(model_path)
    scaler = model[0]
    assert isinstance(scaler, mf.Standardizer)
    reference = mf.Standardizer().fit(X)
    assert scaler.fitted()[0].tobytes() == reference.fitted()[0].tobytes()
    assert scaler.fitted()[1].tobytes() == reference.fitted()[1].tobytes()
    network = slides_network(2, 4, 0)  # what the command line builds: trained on the standardized X
    mf.train(network, mf.BinaryCrossEntropy(), reference.transform(X), Y, learning_rate=1.2, max_epochs=20_000)
    assert [p.value.tobytes() for p in model.parameters()] == [p.value.tobytes() for p in network.parameters()]

    code, out, err = run(capsys, "predict", "--model", model_path, "--data", data)
    assert code == 0, err
    expected = mf.predict_proba(model, X)[0]
    assert [line.split(",")[0] for line in predictions(out)] == [repr(p) for p in expected.tolist()]
    assert err.splitlines()[0] == "accuracy: 100.00% on m = 200 examples"


# --label -------------------------------------------------------------------------------------


@pytest.fixture
def label_first(tmp_path: Path) -> tuple[Path, np.ndarray, np.ndarray]:
    """XOR with the label in the first column, named y: a CSV file, X and Y."""
    X, Y = mf.make_xor(100, seed=1)
    path = tmp_path / "label-first.csv"
    mf.save_csv(path, np.vstack([Y, X]), header=["y", "x1", "x2"])
    return path, X, Y


def test_labels_in_the_first_column_point_to_label(
    capsys: pytest.CaptureFixture[str], label_first: tuple[Path, np.ndarray, np.ndarray]
) -> None:
    """The message said 'Fix: code the two classes as 0 and 1'."""
    code, out, err = run(capsys, "train", "--data", label_first[0])
    assert code == 1
    assert out == ""
    line = one_line(err)
    assert "the label, column 3 (x2, the last column), holds 2 values" not in line  # x2 holds one value per example
    assert "the label, column 3 (x2, the last column), holds " in line
    assert line.endswith("Fix: if column 1 (y), which holds only 0 and 1, is the label, pass --label y.")


def test_label_picks_the_label_column_for_train_and_predict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], label_first: tuple[Path, np.ndarray, np.ndarray]
) -> None:
    data, X, _ = label_first
    model_path = tmp_path / "xor.npz"
    code, out, err = run(capsys, "train", "--data", data, "--label", "y", "--lr", "2", "--save", model_path)
    assert code == 0, err
    assert f"data:  {data} (label: y): 2 features, m = 100 examples" in out
    assert training_accuracy(out) == 100.0
    code, out, err = run(capsys, "predict", "--model", model_path, "--data", data, "--label", "y")
    assert code == 0, err
    assert err.splitlines()[0] == "accuracy: 100.00% on m = 100 examples"
    expected = mf.predict_proba(mf.load(model_path), X)[0]
    assert [line.split(",")[0] for line in predictions(out)] == [repr(p) for p in expected.tolist()]
    code, out_by_name, err = run(capsys, "predict", "--model", model_path, "--data", data)  # the saved label: y
    assert code == 0, err
    assert err.splitlines()[0] == "accuracy: 100.00% on m = 100 examples"
    assert out_by_name == out


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (("--label", "target"), 1, ("no column is named 'target'; the header names 'y', 'x1', 'x2'", "--label x2")),
        (("--delimiter", "|"), 2, ("argument --delimiter: expected ',', ';' or tab, got '|'",)),
    ],
)
def test_bad_label_and_delimiter_options(
    capsys: pytest.CaptureFixture[str],
    label_first: tuple[Path, np.ndarray, np.ndarray],
    args: tuple[str, ...],
    code: int,
    fragments: tuple[str, ...],
) -> None:
    result, out, err = run(capsys, "train", "--data", label_first[0], *args)
    assert result == code
    assert out == ""
    line = one_line(err)
    for fragment in fragments:
        assert fragment in line


@pytest.mark.parametrize("option", [("--label", "y"), ("--delimiter", ";")])
def test_csv_options_with_built_in_data_are_a_usage_error(
    capsys: pytest.CaptureFixture[str], option: tuple[str, str]
) -> None:
    code, out, err = run(capsys, "train", "--data", "flower", *option)
    assert code == 2
    assert out == ""
    assert f"{option[0]} is for a CSV file, and --data flower is built in" in one_line(err)


def test_a_column_named_like_the_label_that_is_not_last_is_one_warning_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    X, Y = mf.make_xor(40, seed=0)
    data = tmp_path / "label-named.csv"
    mf.save_csv(data, np.vstack([Y, X, (X[:1] > 0.5)]), header=["label", "x1", "x2", "x3"])
    code, _, err = run(capsys, "train", "--data", data, "--epochs", "5", "--tol", "0")
    assert code == 0
    assert "minifw: warning: " in err
    fix = "if column 1 (label), which holds only 0 and 1, is the label, pass --label label."
    assert f"the last column (x3) is taken as the label. Fix: {fix}" in err
    assert len(err.splitlines()) == 2  # this warning and the epoch limit's


def test_a_row_number_column_is_one_warning_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    X, Y = mf.make_circles(100, seed=0)
    data = tmp_path / "with-index.csv"
    mf.save_csv(data, np.vstack([np.arange(100.0), X]), Y, header=["index", "x1", "x2", "y"])
    code, _, err = run(capsys, "train", "--data", data, "--epochs", "5", "--tol", "0", "--standardize")
    assert code == 0
    lines = err.splitlines()
    assert lines[0] == (
        "minifw: warning: column 1 (index) is named like an identifier: it says nothing about the label, yet it will "
        "be fitted as a feature. Fix: --drop index."
    )
    assert "Warning:" not in err


# --delimiter --------------------------------------------------------------------------------


@pytest.mark.parametrize(("separator", "option"), [(";", ";"), ("\t", "tab"), ("\t", "\\t")])
def test_semicolon_and_tab_files_train_and_predict_like_comma_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], separator: str, option: str
) -> None:
    X, Y = mf.make_moons(100, seed=3)
    comma, other = tmp_path / "moons.csv", tmp_path / "other.csv"
    mf.save_csv(comma, X, Y)
    other.write_text(comma.read_text().replace(",", separator))

    code, out, err = run(capsys, "train", "--data", other, "--delimiter", ",")  # --delimiter wins
    assert code == 1
    assert out == ""
    name = "';'" if separator == ";" else "a tab"
    expected = f"line 1: the header {'x1,x2,y'.replace(',', separator)!r} is separated by {name}"
    line = one_line(err)
    assert expected in line
    fix = f"Fix: pass --delimiter {'tab' if separator == chr(9) else repr(separator)} (or leave it out: minifw reads"
    assert fix in line

    outputs = []
    for path, delimiter in ((comma, ()), (other, ("--delimiter", option)), (other, ())):  # without: the header's
        model = tmp_path / "model.npz"
        code, out, err = run(capsys, "train", "--data", path, *delimiter, "--epochs", "300", "--save", model)
        assert code == 0, err
        outputs.append(out.replace(str(path), "DATA"))
        code, out, err = run(capsys, "predict", "--model", model, "--data", path, *delimiter)
        assert code == 0, err
        outputs.append(out)
        read = f"read:  separated by {name}, as the header is\n"
        assert err.startswith(read) == (path == other and not delimiter)
    assert outputs[0] == outputs[2] == outputs[4].replace(read, "")
    assert read in outputs[4]
    assert outputs[1] == outputs[3] == outputs[5]


def test_a_header_with_a_semicolon_typo_is_named_in_the_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It said 'line 2: 3 values, expected 2 (one per header column: x1, x2;y).', with no fix."""
    data = tmp_path / "typo.csv"
    data.write_text("x1,x2;y\n2.0379,0.1789,0\n1,2,1\n")
    code, _, err = run(capsys, "train", "--data", data)
    assert code == 1
    line = one_line(err)
    assert f"{data} line 2: 3 values, expected 2 (one per header column: x1, x2;y) (the same on line 3)" in line
    assert line.endswith("Fix: make the row and the header (line 1) the same length, or remove the row.")


# --model -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        (lambda folder: folder / "none.npz", ("--model '", "none.npz': no such file. Fix: pass a model saved by")),
        (lambda folder: folder, ("--model '", "' is a folder; expected a model file. Fix:")),
        (lambda folder: _written(folder / "m.npz", b"not a model"), ("--model: cannot load '", "Fix:")),
        (lambda folder: _written(folder / "m.csv", b"x1,y\n1,0\n"), ("--model: cannot load '", "not an .npz")),
    ],
)
def test_model_errors_name_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, fragments: tuple[str, ...]
) -> None:
    data = tmp_path / "data.csv"
    mf.save_csv(data, *mf.make_xor(8, noise=0.0))
    assert callable(make)
    code, out, err = run(capsys, "predict", "--model", make(tmp_path), "--data", data)
    assert code == 1
    assert out == ""
    line = one_line(err)
    assert line.startswith("minifw: error: --model")
    for fragment in fragments:
        assert fragment in line


def test_predict_reads_the_model_file_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It read the weights, then the column names: a save in between paired new names with old weights."""
    X, Y = mf.make_moons(40, seed=0)
    data = tmp_path / "data.csv"
    mf.save_csv(data, X, Y, header=["u", "v", "y"])
    trained = slides_network(2, 4, seed=1)
    other = slides_network(2, 4, seed=2)
    path = tmp_path / "model.npz"
    mf.save(trained, path, columns=mf.ColumnNames(("u", "v"), label="y"))
    reads = []

    def read_then_another_save(name: str) -> dict[str, np.ndarray]:
        entries = read_npz(name)
        reads.append(name)
        mf.save(other, path, columns=mf.ColumnNames(("v", "u"), label="y"))  # another process saves meanwhile
        return entries

    monkeypatch.setattr("minifw.io.model_file.read_npz", read_then_another_save)
    code, out, _ = run(capsys, "predict", "--model", path, "--data", data)
    assert code == 0
    assert len(reads) == 1
    expected = mf.predict_proba(trained, X)[0]
    assert [float(line.split(",")[0]) for line in predictions(out)] == expected.tolist()


def test_the_predictions_file_is_written_atomically(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    X, Y = mf.make_xor(8, noise=0.0)
    data, model, output = tmp_path / "data.csv", tmp_path / "model.npz", tmp_path / "out.csv"
    mf.save_csv(data, X, Y)
    mf.save(slides_network(2, 4, seed=0), model)
    output.write_text("yesterday's predictions\n")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    code, _, err = run(capsys, "predict", "--model", model, "--data", data, "--output", output)
    assert code == 1
    assert "No space left on device" in one_line(err)
    assert output.read_text() == "yesterday's predictions\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data.csv", "model.npz", "out.csv"]


def _written(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_a_file_of_other_width_names_the_model_and_the_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "three.npz"
    mf.save(mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid()), model)
    data = tmp_path / "wide.csv"
    data.write_text("a,b,c,d,e,y\n1,2,3,4,5,0\n")
    code, _, err = run(capsys, "predict", "--model", model, "--data", data)
    assert code == 1
    line = one_line(err)
    assert f"the model ({model}) takes 3 features. Fix: pass a file with 3 feature columns" in line


# The demo's next step ----------------------------------------------------------------------------


def next_step(out: str) -> list[str]:
    """The command of the demo's last line, 'Next: minifw ARGS (a remark)', as ARGS."""
    line = out.strip().splitlines()[-1]
    assert line.startswith("Next: minifw ")
    return line.removeprefix("Next: minifw ").split(" (")[0].split()


def test_the_demo_suggests_a_command_that_works_without_matplotlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """README's 'Run it' installs minifw without matplotlib, where the suggested --plot failed."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as after `pip install .`
    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert (
        out.strip()
        .splitlines()[-1]
        .endswith('(add --plot flower.png for the pictures, with matplotlib: pip install "minifw[plot]")')
    )
    command = next_step(out)
    assert " ".join(command) == "train --data flower --save flower.npz"
    code, out, err = run(capsys, *command)
    assert code == 0, err
    assert (tmp_path / "flower.npz").is_file()


# The progress bar -------------------------------------------------------------------------------


def test_progress_forces_the_bar_when_stderr_is_no_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    code, _, err = run(capsys, "train", "--data", "xor", "--epochs", "20")
    assert code == LEARNED_NOTHING  # 20 epochs learn nothing: the verdict says so, naming the epochs
    assert "training:" not in err  # captured stderr is no terminal: no bar by default
    assert "too few epochs (fix: --epochs 200)" in err
    code, _, err = run(capsys, "train", "--data", "xor", "--epochs", "20", "--progress")
    assert code == LEARNED_NOTHING
    assert "training: 100%" in err
    assert "20/20" in err


def test_progress_without_tqdm_is_one_line_before_training(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    code, out, err = run(capsys, "train", "--data", "xor", "--progress")
    assert code == 1
    assert out == ""
    assert 'needs tqdm, which is not installed. Fix: pip install "minifw[progress]"' in one_line(err)
    code, out, err = run(capsys, "train", "--data", "xor", "--epochs", "20")  # by default: no bar, and no error
    assert code == LEARNED_NOTHING  # the verdict on 20 epochs, not an error about tqdm
    assert "training:" not in err
    assert "tqdm" not in err


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_the_bar_is_drawn_by_default_on_a_terminal_with_tqdm(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("tqdm")
    assert progress_default(cast(TextIO, _Stream(True)))
    assert not progress_default(cast(TextIO, _Stream(False)))
    assert not progress_default(cast(TextIO, object()))  # a stream without isatty
    monkeypatch.setitem(sys.modules, "tqdm", None)
    assert not progress_default(cast(TextIO, _Stream(True)))


# A file as people make it: text columns, yes/no labels, missing cells ----------------------------


@pytest.fixture
def loans(tmp_path: Path) -> tuple[Path, list[str]]:
    """40 loan applications: name, date, age, income, loan, approved (yes or no); two cells missing."""
    rng = np.random.default_rng(1)
    lines, approved = ["applicant,date,age,income,loan,approved"], []
    for i in range(40):
        age, income, loan = (
            int(rng.integers(20, 70)),
            int(rng.integers(20, 150)) * 1000,
            int(rng.integers(2, 80)) * 1000,
        )
        approved.append("yes" if loan < 0.45 * income else "no")
        age_cell = "" if i == 7 else str(age)
        lines.append(f"Ann {i},2024-01-{i % 28 + 1:02},{age_cell},{income},{'NA' if i == 20 else loan},{approved[-1]}")
    path = tmp_path / "loans.csv"
    path.write_text("\n".join(lines) + "\n")
    return path, approved


def test_a_loan_file_is_said_wrong_once_then_trains_and_predicts_yes_and_no(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], loans: tuple[Path, list[str]]
) -> None:
    path, approved = loans
    code, out, err = run(capsys, "train", "--data", path)
    assert (code, out) == (1, "")
    assert one_line(err) == (
        f"minifw: error: {path}: 2 problems. (1) columns 1 (applicant: 'Ann 0' on line 2) and 2 (date: '2024-01-01' "
        "on line 2) hold text, and minifw reads numbers only. Fix: leave them out with --drop applicant,date, or "
        "encode them as numbers (e.g. 0 and 1 for two values). (2) 2 rows with missing cells, in age and loan (lines "
        "9, 22). Fix: fill them in, or leave those rows out with --drop-incomplete."
    )
    model = tmp_path / "loans.npz"
    code, out, err = run(
        capsys, "train", "--data", path, "--drop", "applicant,date", "--drop-incomplete", "--save", model
    )
    assert code == 0, err
    assert "left out 2 rows with missing cells, in age and loan (lines 9, 22)\n" in out
    assert "label: approved: no → 0, yes → 1 (--positive no for the other way)\n" in out
    assert mf.load_column_names(model) == mf.ColumnNames(("age", "income", "loan"), "approved", ("no", "yes"))
    code, out, err = run(capsys, "predict", "--model", model, "--data", path, "--drop-incomplete")
    assert code == 0, err
    rows = out.splitlines()
    assert rows[0] == "applicant,date,probability,label"
    written = [row.split(",")[-1] for row in rows[1:]]
    assert len(written) == 38
    assert set(written) == {"yes", "no"}
    kept = [label for i, label in enumerate(approved) if i not in (7, 20)]
    accuracy = float(err.split("accuracy: ")[1].split("%")[0])
    assert accuracy == pytest.approx(100 * np.mean([a == b for a, b in zip(written, kept, strict=True)]), abs=0.01)
    assert err.startswith("left out 2 rows with missing cells")


def test_positive_picks_the_class_1_and_predict_writes_the_training_files_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], loans: tuple[Path, list[str]]
) -> None:
    path, _ = loans
    model = tmp_path / "loans.npz"
    options = ("--drop", "applicant,date", "--drop-incomplete", "--epochs", "50")
    code, out, err = run(capsys, "train", "--data", path, *options, "--positive", "no", "--save", model)
    assert code == 0, err
    assert "label: approved: yes → 0, no → 1\n" in out
    assert mf.load_column_names(model) == mf.ColumnNames(("age", "income", "loan"), "approved", ("yes", "no"))
    code, _, err = run(capsys, "train", "--data", path, *options, "--positive", "maybe")
    assert one_line(err).endswith("Fix: pass one of them, e.g. --positive yes.")
    other = tmp_path / "other.csv"
    other.write_text("age,income,loan,approved\n30,50000,1000,maybe\n")
    code, _, err = run(capsys, "predict", "--model", model, "--data", other)
    assert code == 1
    assert "holds 'maybe', which the model was not trained on: it knows yes → 0, no → 1." in one_line(err)
    code, _, err = run(capsys, "train", "--data", "xor", "--positive", "1", "--drop-incomplete")
    assert code == 2
    assert "--drop-incomplete and --positive are for a CSV file" in err
