"""minifw check FILE.py[:CLASS]: grades a student's file, one line per check, exit 0 only when all pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from minifw.checking.command import split_target
from minifw.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "minifw" / "exercises"
SOLUTION = ROOT / "tests" / "exercises" / "solution.py"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", ["dense.py", "sigmoid.py", "binary_cross_entropy.py"])
def test_an_untouched_skeleton_fails_saying_what_to_write(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, err = run(capsys, str(EXERCISES / name))
    assert code == 1
    assert "FAIL  forward returns" in out
    assert "-> forward is not written yet (NotImplementedError: forward: " in out
    assert "-> backward is not written yet (NotImplementedError: backward: " in out
    assert err.startswith("minifw: error: checks failed: ")
    assert err.count("\n") == 1


def test_a_correct_solution_passes_every_check_with_exit_code_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(SOLUTION))
    assert code == 0, out + err
    assert out.count("check_layer: ") == 2
    assert out.count("check_loss: ") == 1
    assert "FAIL" not in out
    assert "skip" not in out
    assert "11 of 11 checks passed" in out
    assert "9 of 9 checks passed" in out
    assert err == ""


def test_one_class_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, f"{SOLUTION}:Sigmoid")
    assert code == 0
    assert out.startswith("check_layer: Sigmoid() on z of shape (3, 5):")
    assert out.count("check_") == 1


MISTAKE = SOLUTION.read_text("utf-8").replace("dz.sum(axis=1, keepdims=True)", "dz.mean(axis=1, keepdims=True)")


def test_a_mistake_gets_its_hint_and_exit_code_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "my_layers.py"
    path.write_text(MISTAKE, "utf-8")
    code, out, err = run(capsys, f"{path}:Dense")
    assert code == 1
    assert "  FAIL  ∂J/∂b " in out
    assert "-> ∂J/∂b is the mean of dz over the m columns, 1/m = 1/5 of the right value." in " ".join(out.split("\n"))
    assert out.count("FAIL") == 1
    assert err == "minifw: error: checks failed: Dense (1 of 11); the hints are above\n"


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        (None, "missing.py", "missing.py': no such file"),
        ("def broken(:\n", "bad.py", "bad.py at line 1: running it raised SyntaxError"),
        ("import numpy\nx = 1 / 0\n", "bad.py", "bad.py at line 2: running it raised ZeroDivisionError"),
        ("x = 1\n", "empty.py", "empty.py defines no Layer or Loss class"),
        (
            MISTAKE,
            "layers.py:Tanh",
            "has no Layer or Loss class named 'Tanh' (it has: Dense, Sigmoid, BinaryCrossEntropy)",
        ),
    ],
)
def test_a_file_that_cannot_be_graded_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, source: str | None, target: str, message: str
) -> None:
    if source is not None:
        (tmp_path / target.split(":")[0]).write_text(source, "utf-8")
    code, out, err = run(capsys, str(tmp_path / target))
    assert code == 1
    assert out == ""
    assert err.startswith("minifw: error: "), err
    assert message in err, err
    assert err.count("\n") == 1, err


def test_arguments_after_a_double_dash_are_files_even_when_they_start_with_a_dash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`minifw check -- f.py` was refused: the "--" was reported as an unrecognized argument."""
    assert run(capsys, "--", str(SOLUTION))[0] == 0
    (tmp_path / "-my_layers.py").write_text(SOLUTION.read_text("utf-8"), "utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--", "-my_layers.py")
    assert (code, err) == (0, "")
    assert "11 of 11 checks passed" in out


def test_check_is_listed_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "{demo,train,predict,check,exercises}" in capsys.readouterr().out


def test_the_class_is_split_off_after_the_last_colon_of_a_py_file() -> None:
    assert split_target("dense.py") == ("dense.py", None)
    assert split_target("my/dense.py:Dense") == ("my/dense.py", "Dense")
    assert split_target("C:\\students\\dense.py") == ("C:\\students\\dense.py", None)
    assert split_target("C:\\students\\dense.py:Dense") == ("C:\\students\\dense.py", "Dense")


def test_a_file_imports_its_neighbours_as_python_file_py_would(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "shared.py").write_text("import numpy as np\n\ndef sigma(z):\n    return 1 / (1 + np.exp(-z))\n")
    layer = SOLUTION.read_text("utf-8").replace("1.0 / (1.0 + np.exp(-x))", "sigma(x)")
    (tmp_path / "mine.py").write_text("from shared import sigma\n" + layer, "utf-8")
    code, out, err = run(capsys, f"{tmp_path / 'mine.py'}:Sigmoid")
    assert code == 0, out + err
    assert str(tmp_path) not in sys.path


def test_an_ascii_console_gets_the_report_with_ascii_names() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    command = [sys.executable, "-m", "minifw", "check", f"{SOLUTION}:Sigmoid"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stderr
    assert "  ok    dJ/dz " in result.stdout
    assert "dJ/dz = da * a * (1 - a)" in result.stdout
