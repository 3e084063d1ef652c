"""The examples are the scripts a user runs to learn; they run and print what they promise."""

import re
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import minifw as mf

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXERCISES = Path(mf.__file__).resolve().parent / "exercises"


def run(script: str) -> str:
    result = subprocess.run(
        [sys.executable, "-W", "error", str(EXAMPLES / script)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_one_example_prints_every_slide_quantity_and_each_matches() -> None:
    out = run("one_example.py")
    for name in ["z^[1]", "a^[1]", "z^[2]", "a^[2]", "J", "D", "∂J/∂b^[2]", "∂J/∂W^[2]", "∂J/∂b^[1]", "∂J/∂W^[1]"]:
        assert f"{name} = " in out
    assert out.count("[matches the slide formula]") == 10
    assert "MISMATCH" not in out
    before, after = map(float, re.findall(r"J before the step = ([\d.]+), after = ([\d.]+)", out)[0])
    assert after < before


def test_one_example_reads_d_off_minifws_sigmoid(monkeypatch: pytest.MonkeyPatch) -> None:
    """The D line checks minifw: a Sigmoid.backward that forgets D = diag(a(1 - a)) stops the script there."""

    def forgets_d(self: mf.Sigmoid, grad: mf.Array) -> mf.Array:
        return grad

    monkeypatch.setattr(mf.Sigmoid, "backward", forgets_d)
    with np.printoptions(), pytest.raises(SystemExit, match=r"^D: minifw and the slide formula disagree$"):
        runpy.run_path(str(EXAMPLES / "one_example.py"), run_name="__main__")


def test_train_batch_beats_logistic_regression() -> None:
    out = run("train_batch.py")
    accuracies = [float(x) for x in re.findall(r"accuracy = ([\d.]+)%", out)]
    assert len(accuracies) == 2
    assert accuracies[0] < 65.0
    assert accuracies[1] > 85.0


def test_examples_holds_only_the_scripts_a_user_runs_to_learn() -> None:
    """Each script here is tested above, the notebooks in tests/test_notebooks.py; tooling lives elsewhere."""
    assert sorted(path.name for path in EXAMPLES.iterdir() if path.name != "__pycache__") == [
        "notebooks",
        "one_example.py",
        "train_batch.py",
    ]


def test_the_exercise_skeletons_are_in_the_package() -> None:
    """Shipped in the wheel and written out by `minifw exercises DIR` (tests/test_cli_exercises.py)."""
    assert sorted(path.name for path in EXERCISES.glob("*.py")) == [
        "binary_cross_entropy.py",
        "dense.py",
        "sigmoid.py",
    ]


@pytest.mark.parametrize("name", ["dense", "sigmoid", "binary_cross_entropy"])
def test_an_exercise_skeleton_raises_not_implemented_with_the_slide_equation(name: str) -> None:
    """Each skeleton's forward and backward are left to the student, with the equation to write."""
    namespace = runpy.run_path(str(EXERCISES / f"{name}.py"))
    cls = next(v for v in namespace.values() if isinstance(v, type) and v.__module__ == "<run_path>")
    instance = cls(3, 4) if name == "dense" else cls()
    with pytest.raises(NotImplementedError, match=r"forward: .* = "):
        instance.forward(np.ones((3, 2))) if name != "binary_cross_entropy" else instance.forward(
            np.full((1, 2), 0.5), np.ones((1, 2))
        )
    with pytest.raises(NotImplementedError, match=r"backward: .* = "):
        instance.backward(np.ones((4, 2))) if name != "binary_cross_entropy" else instance.backward()
