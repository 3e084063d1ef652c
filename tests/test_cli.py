"""The command line, run as users run it: the real entry points in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import minifw as mf
from minifw import cli

from .conftest import unwritable_folder
from .pictures import assert_png_is_a_picture


def minifw(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m minifw ARGS`` with a clean environment; never raises on a non-zero exit."""
    env = {**os.environ, "PYTHONWARNINGS": "error::DeprecationWarning"}
    return subprocess.run(
        [sys.executable, "-m", "minifw", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, *fragments: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("minifw")
    assert "error:" in lines[0]
    for fragment in fragments:
        assert fragment in lines[0]


def test_the_console_script_runs() -> None:
    script = Path(sys.executable).parent / ("minifw.exe" if os.name == "nt" else "minifw")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0
    for command in ("demo", "train", "predict"):
        assert command in result.stdout


def test_demo_traces_one_example_trains_and_reports_accuracy() -> None:
    result = minifw("demo")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Sequential(Dense(3 -> 4), Sigmoid(), Dense(4 -> 1), Sigmoid())" in out
    for equation in ("z^[1] = b^[1] + W^[1] x", "a^[2] = σ(z^[2])", "∂J/∂W^[1] = (a^[2] - y) D (W^[2])^T x^T"):
        assert equation in out
    table = out[out.index("epoch  J") :].splitlines()[1:]
    Js = [float(line.split()[1]) for line in table if line.strip() and line.split()[0].isdigit()]
    assert len(Js) >= 5
    assert Js == sorted(Js, reverse=True)  # J falling
    assert Js[-1] < 0.1 * Js[0]
    assert "training accuracy: 100.00%" in out
    assert "Traceback" not in result.stderr


def test_train_saves_a_model_and_a_picture_and_predict_uses_them(tmp_path: Path) -> None:
    model_path, picture = tmp_path / "flower.npz", tmp_path / "flower.png"
    result = minifw(
        "train", "--data", "flower", "--hidden", "4", "--lr", "1.2", "--epochs", "3000", "--tol", "1e-7",
        "--seed", "0", "--save", model_path, "--plot", picture, "--no-progress",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    accuracy = float(result.stdout.split("training accuracy: ")[1].split("%")[0])
    assert accuracy >= 85.0
    assert f"saved the model to {model_path}" in result.stdout
    assert_png_is_a_picture(picture)

    model = mf.load(model_path)
    X, Y = mf.make_flower(400, seed=5)
    data = tmp_path / "new_flowers.csv"
    mf.save_csv(data, X, Y)
    predicted = minifw("predict", "--model", model_path, "--data", data)
    assert predicted.returncode == 0, predicted.stderr
    lines = predicted.stdout.splitlines()
    assert lines[0] == "probability,label"
    assert len(lines) == 1 + 400
    probabilities = [float(line.split(",")[0]) for line in lines[1:]]
    labels = [int(line.split(",")[1]) for line in lines[1:]]
    expected = mf.predict_proba(model, X)[0]
    assert probabilities == pytest.approx(expected.tolist(), rel=1e-15)
    assert labels == [int(p >= 0.5) for p in expected]
    reported = float(predicted.stderr.split("accuracy: ")[1].split("%")[0])
    assert reported == pytest.approx(100 * mf.accuracy(Y, mf.predict(model, X)), abs=0.01)
    assert reported >= 85.0

    features_only = tmp_path / "features.csv"
    mf.save_csv(features_only, X)
    out_file = tmp_path / "predictions.csv"
    written = minifw("predict", "--model", model_path, "--data", features_only, "--output", out_file)
    assert written.returncode == 0, written.stderr
    assert out_file.read_text().splitlines() == lines


def test_train_on_a_csv_file_and_the_other_built_in_data(tmp_path: Path) -> None:
    X, Y = mf.make_xor(100, seed=2)
    data = tmp_path / "xor.csv"
    mf.save_csv(data, X, Y)
    result = minifw("train", "--data", data, "--lr", "2", "--epochs", "4000", "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "training accuracy: 100.00%" in result.stdout
    for name in ("moons", "circles"):
        result = minifw("train", "--data", name, "--epochs", "300", "--tol", "0", "--no-progress")
        assert result.returncode == 0, result.stderr
        assert "training accuracy:" in result.stdout


def test_the_epoch_limit_is_a_one_line_warning(tmp_path: Path) -> None:
    result = minifw("train", "--data", "xor", "--epochs", "300", "--no-progress")
    assert result.returncode == 0
    assert result.stderr.strip().startswith("minifw: warning: training stopped at max_epochs=300")
    assert len(result.stderr.strip().splitlines()) == 1


def test_too_few_epochs_to_learn_anything_is_one_line_that_names_them_and_exit_3(tmp_path: Path) -> None:
    result = minifw("train", "--data", "xor", "--epochs", "5", "--no-progress")
    assert result.returncode == 3
    assert result.stderr.strip().startswith("minifw: error: the model learned nothing: ")
    assert result.stderr.strip().endswith("Likely causes: too few epochs (fix: --epochs 50).")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        ((), ("required",)),
        (("fly",), ("invalid choice",)),
        (("train",), ("--data",)),
        (("train", "--data", "flower", "--lr", "-1"), ("--lr", "'-1'")),
        (("train", "--data", "flower", "--lr", "nan"), ("--lr",)),
        (("train", "--data", "flower", "--hidden", "0"), ("--hidden",)),
        (("train", "--data", "flower", "--epochs", "ten"), ("--epochs", "'ten'")),
        (("train", "--data", "flower", "--tol", "-1"), ("--tol",)),
        (("train", "--data", "flower", "--seed", "-3"), ("--seed",)),
        (("predict", "--data", "x.csv"), ("--model",)),
        (("predict", "--model", "m.npz", "--data", "x.csv", "--threshold", "2"), ("--threshold",)),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(args: tuple[str, ...], fragments: tuple[str, ...]) -> None:
    assert_one_line_error(minifw(*args), 2, *fragments)


def test_bad_files_give_one_line_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,y\n1,2,0\n3,abc,1\n")
    assert_one_line_error(minifw("train", "--data", bad), 1, "line 3", "'abc' is not a number")
    assert_one_line_error(minifw("train", "--data", tmp_path / "missing.csv"), 1, "no such file")
    assert_one_line_error(minifw("train", "--data", tmp_path), 1, "folder")
    assert_one_line_error(
        minifw("train", "--data", "xor", "--save", tmp_path / "no" / "m.npz"), 1, "--save", "does not exist"
    )

    not_a_model = tmp_path / "model.npz"
    not_a_model.write_bytes(b"this is not a model")
    good = tmp_path / "good.csv"
    X, Y = mf.make_xor(8, noise=0.0)
    mf.save_csv(good, X, Y)
    assert_one_line_error(minifw("predict", "--model", not_a_model, "--data", good), 1, "model.npz")
    assert_one_line_error(minifw("predict", "--model", tmp_path / "none.npz", "--data", good), 1, "none.npz")

    model_path = tmp_path / "three_features.npz"
    mf.save(mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid()), model_path)
    wide = tmp_path / "wide.csv"
    wide.write_text("a,b,c,d,e,y\n1,2,3,4,5,0\n")
    assert_one_line_error(minifw("predict", "--model", model_path, "--data", wide), 1, "takes 3 features")
    assert_one_line_error(minifw("predict", "--model", model_path, "--data", bad), 1, "line 3")


@pytest.mark.parametrize("text", ["2[", ","])
def test_a_model_file_with_damaged_text_is_one_line(tmp_path: Path, text: str) -> None:
    model_path = tmp_path / "model.npz"
    mf.save(mf.Sequential(mf.Dense(2, 3, rng=0), mf.Sigmoid(), mf.Dense(3, 1, rng=1), mf.Sigmoid()), model_path)
    with np.load(model_path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    arrays["dtype"] = np.array(text)
    np.savez(model_path, **arrays)  # a damaged file, on purpose
    data = tmp_path / "data.csv"
    mf.save_csv(data, *mf.make_xor(8, noise=0.0))
    result = minifw("predict", "--model", model_path, "--data", data)
    assert_one_line_error(result, 1, "model.npz", "'dtype' entry", "Fix: save the model again")


def test_csv_files_with_a_byte_order_mark_on_every_path(tmp_path: Path) -> None:
    X, Y = mf.make_xor(40, seed=1)
    labelled, features = tmp_path / "labelled.csv", tmp_path / "features.csv"
    mf.save_csv(labelled, X, Y)
    mf.save_csv(features, X)
    for path in (labelled, features):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    model = tmp_path / "model.npz"
    trained = minifw("train", "--data", labelled, "--epochs", "50", "--save", model, "--no-progress")
    assert trained.returncode == 0, trained.stderr
    assert "2 features, m = 40 examples" in trained.stdout
    for path in (labelled, features):
        predicted = minifw("predict", "--model", model, "--data", path)
        assert predicted.returncode == 0, predicted.stderr
        assert len(predicted.stdout.splitlines()) == 1 + 40
    headerless = tmp_path / "headerless.csv"
    headerless.write_bytes(b"\xef\xbb\xbf" + b"".join(labelled.read_bytes().splitlines(keepends=True)[1:]))
    assert_one_line_error(minifw("train", "--data", headerless), 1, "line 1", "looks like data, not a header")
    assert_one_line_error(minifw("predict", "--model", model, "--data", headerless), 1, "looks like data")


@pytest.mark.parametrize(
    ("args", "prog"),
    [
        (("--bogus",), "minifw"),
        (("train", "--bogus"), "minifw train"),
        (("--bogus", "train", "--data", "xor"), "minifw train"),
        (("train", "--data", "xor", "--bogus", "3"), "minifw train"),
        (("predict", "--bogus"), "minifw predict"),
        (("demo", "--bogus"), "minifw demo"),
    ],
)
def test_an_unknown_option_is_reported_before_a_missing_argument(args: tuple[str, ...], prog: str) -> None:
    """'minifw --bogus' said that the command was missing, 'minifw train --bogus' that --data was."""
    result = minifw(*args)
    assert_one_line_error(result, 2, f"{prog}: error: unrecognized arguments: --bogus", f"'{prog} --help'")


@pytest.mark.parametrize("hidden", ["1000000000000", "1000000000", "100000000000000000000000000000"])
def test_a_hidden_layer_too_large_for_the_memory_is_one_line_before_allocating(hidden: str) -> None:
    """--hidden 10^12 printed a MemoryError traceback; 10^9 had the process killed by the system."""
    result = minifw("train", "--data", "xor", "--hidden", hidden, "--no-progress")
    assert_one_line_error(result, 1, f"not enough memory for a hidden layer of {hidden} units", "Fix: use fewer units")
    assert result.stdout == ""


def run_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``minifw ARGS`` in this process (so that the test can replace parts of it); the exit code and stderr."""
    try:
        code = cli.main(list(args))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("where", "failure", "expected"),
    [
        (
            "minifw.cli.train.train",
            MemoryError("Unable to allocate 16 GiB"),
            "not enough memory (Unable to allocate 16 GiB). Fix: use less data or a smaller model",
        ),
        (
            "minifw.cli.files.read_table",
            MemoryError(),
            "not enough memory (MemoryError). Fix: use less data or a smaller",
        ),
        ("minifw.cli.train.train", TypeError("boom"), "unexpected TypeError: boom. This is a bug in minifw"),
        ("minifw.cli.train.save", RuntimeError("boom"), "unexpected RuntimeError: boom. This is a bug in minifw"),
    ],
)
def test_any_failure_is_one_line_at_the_boundary(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    where: str,
    failure: BaseException,
    expected: str,
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(where, fail)
    data = tmp_path / "xor.csv"
    mf.save_csv(data, *mf.make_xor(8, noise=0.0))
    args = (
        "train",
        "--data",
        str(data),
        "--epochs",
        "20",
        "--tol",
        "1",
        "--no-progress",
        "--save",
        str(tmp_path / "m.npz"),
    )
    code, err = run_in_process(capsys, *args)
    assert code == 1
    assert err.count("\n") == 1, err
    assert err.startswith("minifw: error: ")
    assert expected in err


@pytest.mark.parametrize("option", ["--save", "--plot"])
def test_an_unwritable_output_folder_is_found_before_training(tmp_path: Path, option: str) -> None:
    """An unwritable --save folder was found only after training, when the model could not be saved."""
    folder = unwritable_folder(tmp_path)
    result = minifw("train", "--data", "xor", option, folder / "out.png", "--no-progress")
    assert_one_line_error(result, 1, option, "no file can be created in the folder", "Fix:")
    assert result.stdout == ""  # nothing trained


def test_an_unwritable_output_folder_for_predict(tmp_path: Path) -> None:
    folder = unwritable_folder(tmp_path)
    model, data = tmp_path / "m.npz", tmp_path / "x.csv"
    mf.save(mf.Sequential(mf.Dense(2, 3, rng=0), mf.Sigmoid(), mf.Dense(3, 1, rng=1), mf.Sigmoid()), model)
    mf.save_csv(data, *mf.make_xor(8, noise=0.0))
    result = minifw("predict", "--model", model, "--data", data, "--output", folder / "p.csv")
    assert_one_line_error(result, 1, "--output", "no file can be created")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--save", "m" * 256), ("--save", "its file name has 256 bytes")),
        (("--plot", "out.xyz"), ("argument --plot", "picture file name", "'out.xyz'")),
    ],
)
def test_other_output_problems_are_found_before_training(
    tmp_path: Path, args: tuple[str, ...], fragments: tuple[str, ...]
) -> None:
    result = minifw("train", "--data", "xor", *args, "--no-progress", cwd=tmp_path)
    assert_one_line_error(result, 2 if "--plot" in args else 1, *fragments)
    assert result.stdout == ""
    assert os.listdir(tmp_path) == []


def test_divergence_is_a_one_line_error() -> None:
    result = minifw("train", "--data", "xor", "--lr", "1e308", "--no-progress")
    assert_one_line_error(result, 1, "diverged at epoch", "learning rate")


def test_without_tqdm_the_command_line_trains_without_a_bar() -> None:
    hide_tqdm = "import sys; sys.modules['tqdm'] = None; from minifw.cli import main; raise SystemExit(main())"
    result = subprocess.run(
        [sys.executable, "-c", hide_tqdm, "train", "--data", "xor", "--lr", "2", "--epochs", "4000"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "training accuracy: 100.00%" in result.stdout
    assert result.stderr == ""


def test_a_plot_name_without_an_extension_is_reported_as_the_png_file_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--plot out wrote out.png (matplotlib adds the extension) but said it had saved the pictures to out."""
    pytest.importorskip("matplotlib")
    target = tmp_path / "out"
    code = cli.main(["train", "--data", "xor", "--epochs", "200", "--plot", str(target), "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"saved the pictures to {target}.png" in out
    assert_png_is_a_picture(tmp_path / "out.png")
    assert not target.exists()
