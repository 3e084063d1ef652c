"""minifw check PATH...: grades students' files and folders, one line per check (or JSON, or Gradescope's file).

Exit code 0 when all pass, 1 when any fails, 2 when any file could not be loaded or run.
"""

import json
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
    assert "  FAIL    forward returns" in out
    joined = " ".join(out.split())
    assert "-> at " in joined
    assert ": forward is not written yet (NotImplementedError: forward: " in joined
    assert "backward is not written yet (NotImplementedError: backward: " in joined
    assert " as the slides' " in out  # the skeleton declares its kind: no --as needed
    assert err.startswith("minifw: error: checks failed: ")
    assert err.count("\n") == 1


def test_a_correct_solution_passes_every_check_with_exit_code_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(SOLUTION))
    assert code == 0, out + err
    assert out.count("check_layer: ") == 2
    assert out.count("check_loss: ") == 1
    assert "FAIL" not in out
    assert "PASS: 10 of 10 checks passed\n" in out  # Dense
    assert "PASS: 5 of 5 checks passed\n" in out  # Sigmoid
    assert "PASS: 7 of 7 checks passed; 1 piece of advice (strict=True fails on it)\n" in out  # np.log at saturation
    assert err == ""


def test_one_class_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, f"{SOLUTION}:Sigmoid")
    assert code == 0
    assert out.startswith(f"{SOLUTION}:Sigmoid\ncheck_layer: Sigmoid as the slides' Sigmoid (a = σ(z)) at 3 shapes: ")
    assert out.count("check_") == 1


MISTAKE = SOLUTION.read_text("utf-8").replace("dz.sum(axis=1, keepdims=True)", "dz.mean(axis=1, keepdims=True)")


def test_a_mistake_gets_its_hint_and_exit_code_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "my_layers.py"
    path.write_text(MISTAKE, "utf-8")
    code, out, err = run(capsys, f"{path}:Dense")
    assert code == 1
    assert "  FAIL    ∂J/∂b " in out
    hint = "-> at W (3, 3), m = 7: ∂J/∂b is the mean of dz over the m columns, 1/m = 1/7 of the right value."
    assert hint in " ".join(out.split())
    assert out.count("FAIL") == 2  # the check and the verdict
    assert "FAIL: 9 of 10 checks passed" in out
    assert err == f"minifw: error: checks failed: {path}:Dense (1 of 10); the hints are above\n"


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
    assert code == 2
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
    assert "PASS: 10 of 10 checks passed" in out


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
    assert "  ok      dJ/dz " in result.stdout
    assert "dJ/dz = da * a * (1 - a)" in result.stdout


def write_folder(folder: Path) -> None:
    """Three students: one right, one with ∂J/∂b averaged, one whose file does not run."""
    folder.mkdir()
    (folder / "ada.py").write_text(SOLUTION.read_text("utf-8"), "utf-8")
    (folder / "ben.py").write_text(MISTAKE, "utf-8")
    (folder / "cy.py").write_text("import numpy as np\n\nW = np.ones((2, 3)) @ np.ones((2, 3))\n", "utf-8")


def test_a_folder_in_json_one_object_with_every_submission_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write_folder(tmp_path / "class")
    code, out, err = run(capsys, str(tmp_path / "class"), "--json")
    assert code == 2  # an error wins over a failure
    assert err == ""
    data = json.loads(out)
    assert list(data) == ["submissions"]
    submissions = data["submissions"]
    keys = ["file", "class", "kind", "status", "score", "max_score", "checks"]
    assert all(list(s) == keys for s in submissions)
    check_keys = ["name", "equation", "passed", "tier", "max_error", "hint"]
    assert all(list(c) == check_keys for s in submissions for c in s["checks"])
    rows = [(Path(s["file"]).name, s["class"], s["kind"], s["status"], s["score"], s["max_score"]) for s in submissions]
    assert rows == [
        ("ada.py", "Dense", "dense", "pass", 10, 10),
        ("ada.py", "Sigmoid", "sigmoid", "pass", 5, 5),
        ("ada.py", "BinaryCrossEntropy", "bce", "pass", 7, 7),
        ("ben.py", "Dense", "dense", "fail", 9, 10),
        ("ben.py", "Sigmoid", "sigmoid", "pass", 5, 5),
        ("ben.py", "BinaryCrossEntropy", "bce", "pass", 7, 7),
        ("cy.py", None, None, "error", 0, 1),
    ]
    failed = [c for c in submissions[3]["checks"] if not c["passed"]]
    assert [(c["name"], c["tier"]) for c in failed] == [("∂J/∂b", "math")]
    assert "the mean of dz over the m columns" in failed[0]["hint"]
    advice = [c["name"] for c in submissions[2]["checks"] if not c["passed"]]
    assert advice == ["where σ saturates"]  # shown, and worth no point without --strict
    error = submissions[6]["checks"]
    assert [c["name"] for c in error] == ["runs"]
    assert "cy.py at line 3: running it raised ValueError: matmul" in error[0]["hint"]


def test_exit_codes_one_when_any_fails_zero_when_all_pass(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write_folder(tmp_path / "class")
    code, _, err = run(capsys, str(tmp_path / "class"))
    assert code == 2  # cy.py
    assert err.splitlines()[0].startswith(f"minifw: error: {tmp_path / 'class' / 'cy.py'} at line 3: running it raised")
    assert (
        err.splitlines()[1]
        == f"minifw: error: checks failed: {tmp_path / 'class' / 'ben.py'}:Dense (1 of 10); the hints are above"
    )
    assert run(capsys, str(tmp_path / "class" / "ada.py"), str(tmp_path / "class" / "ben.py"))[0] == 1
    assert run(capsys, str(tmp_path / "class" / "ada.py"))[0] == 0
    assert run(capsys, str(tmp_path / "class" / "ada.py"), "--strict")[0] == 1  # the naive BCE's advice


def test_a_file_that_hangs_stops_only_itself(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "slow.py").write_text("import time\n\ntime.sleep(60)\n", "utf-8")
    (tmp_path / "ada.py").write_text(SOLUTION.read_text("utf-8"), "utf-8")
    code, out, err = run(capsys, str(tmp_path / "slow.py"), f"{tmp_path / 'ada.py'}:Sigmoid", "--timeout", "5")
    assert code == 2
    assert "slow.py: did not finish within --timeout 5 s" in err
    assert "PASS: 5 of 5 checks passed" in out


def test_a_file_that_exits_or_prints_does_not_disturb_the_grading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "exits.py").write_text("import sys\n\nsys.exit(3)\n", "utf-8")
    (tmp_path / "talks.py").write_text('print("hello")\n' + SOLUTION.read_text("utf-8"), "utf-8")
    code, out, _ = run(capsys, str(tmp_path / "exits.py"), f"{tmp_path / 'talks.py'}:Sigmoid", "--json")
    assert code == 2
    statuses = [(Path(s["file"]).name, s["status"]) for s in json.loads(out)["submissions"]]
    assert statuses == [("exits.py", "error"), ("talks.py", "pass")]


def test_gradescope_results_for_one_submission_with_points_per_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "ben.py"
    path.write_text(MISTAKE, "utf-8")
    results = tmp_path / "results.json"
    points = ["--points", "dJ/db=3", "--points", "∂J/∂W=2"]
    code, _, _ = run(capsys, f"{path}:Dense", "--gradescope", str(results), *points)
    assert code == 1
    data = json.loads(results.read_text("utf-8"))
    assert data["score"] == 10  # 13 points, 3 of them lost on ∂J/∂b
    tests = {test["name"]: test for test in data["tests"]}
    assert tests["Dense: ∂J/∂b"]["score"] == 0
    assert tests["Dense: ∂J/∂b"]["max_score"] == 3
    assert "the mean of dz" in tests["Dense: ∂J/∂b"]["output"]
    assert tests["Dense: ∂J/∂W"] == {
        "name": "Dense: ∂J/∂W",
        "score": 2,
        "max_score": 2,
        "status": "passed",
        "output": "ok: ∂J/∂W = dz (a_prev)ᵀ",
    }
    assert tests["Dense: backward before forward"]["max_score"] == 0  # advice, without --strict
    assert sum(test["max_score"] for test in data["tests"]) == 13


def test_gradescope_takes_one_submission_and_points_name_a_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, str(SOLUTION), str(SOLUTION), "--gradescope", str(tmp_path / "r.json"))
    assert code == 2
    assert err.startswith("minifw: error: --gradescope writes the results of one submission; 2 files were given")
    code, _, err = run(capsys, f"{SOLUTION}:Sigmoid", "--points", "dJ/dQ=2")
    assert code == 2
    assert "--points 'dJ/dQ' names no check" in err
    code, out, err = run(capsys, f"{SOLUTION}:Sigmoid", "--points", "dJ/dz=-1")
    assert code == 2
    assert out == ""
    assert err == "minifw: error: --points 'dJ/dz=-1': expected CHECK=P with P >= 0, e.g. --points 'dJ/dW=2'\n"
    assert run(capsys, str(SOLUTION), "--timeout", "0") == (
        2,
        "",
        "minifw: error: --timeout 0: expected seconds > 0, e.g. 60\n",
    )


def test_as_leaves_a_class_that_declares_its_kind_to_that_kind(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(SOLUTION), "--as", "dense", "--json")
    assert code == 0
    kinds = [(s["class"], s["kind"]) for s in json.loads(out)["submissions"]]
    assert kinds == [("Dense", "dense"), ("Sigmoid", "sigmoid"), ("BinaryCrossEntropy", "bce")]


def test_as_holds_a_class_of_other_names_to_the_slides(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = SOLUTION.read_text("utf-8").replace('kind = "sigmoid"', "").replace("np.exp(-x)", "np.exp(x)")
    source = source.replace("grad * self.a * (1.0 - self.a)", "-grad * self.a * (1.0 - self.a)")  # σ(−z), consistent
    (tmp_path / "mine.py").write_text(source, "utf-8")
    code, out, _ = run(capsys, f"{tmp_path / 'mine.py'}:Sigmoid")
    assert code == 0
    assert out.split("\n")[1].startswith("Only forward/backward consistency was checked, not the slides' equations")
    code, out, _ = run(capsys, f"{tmp_path / 'mine.py'}:Sigmoid", "--as", "sigmoid")
    assert code == 1
    assert "  FAIL    forward computes a" in out
