"""mypy --strict accepts minifw, the tests, the examples, the benchmarks and a user's own layer, and reports misuse."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import minifw as mf

from .typing_cases.user_layer import Tanh, build

ROOT = Path(__file__).resolve().parent.parent


def mypy(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_mypy_strict_passes_on_the_package_tests_examples_and_benchmarks() -> None:
    result = mypy("minifw", "tests", "examples", "benchmarks", "docs/hooks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_ships_py_typed() -> None:
    assert (Path(mf.__file__).parent / "py.typed").is_file()


def test_a_user_layer_works_inside_sequential() -> None:
    model = build()
    loss = mf.BinaryCrossEntropy()
    X = np.array([[0.5, -1.0], [2.0, 0.1]])
    loss.forward(model.forward(X), np.array([[1.0, 0.0]]))
    model.backward(loss.backward())
    assert isinstance(model[1], Tanh)
    assert all(np.all(np.isfinite(p.grad)) and np.any(p.grad != 0) for p in model.parameters())


MISUSE = {
    "backward_returns_a_float": (
        """
import minifw as mf
class Bad(mf.Layer):
    def forward(self, x: mf.Array) -> mf.Array:
        return x
    def backward(self, grad: mf.Array) -> float:
        return 1.0
""",
        'Return type "float" of "backward" incompatible',
    ),
    "non_layer_in_sequential": (
        """
import minifw as mf
mf.Sequential(mf.Dense(3, 4), "sigmoid")
""",
        'Argument 2 to "Sequential" has incompatible type "str"',
    ),
    "string_learning_rate": (
        """
import minifw as mf
mf.GradientDescent(mf.Dense(3, 4).parameters(), learning_rate="0.1")
""",
        'Argument "learning_rate" to "GradientDescent" has incompatible type "str"',
    ),
    "loss_forward_is_a_float": (
        """
import numpy as np
import minifw as mf
J: np.ndarray = mf.BinaryCrossEntropy().forward(np.ones((1, 1)), np.ones((1, 1)))
""",
        'incompatible types in assignment (expression has type "float"',
    ),
    "abstract_layer_missing_backward": (
        """
import minifw as mf
class Half(mf.Layer):
    def forward(self, x: mf.Array) -> mf.Array:
        return x
Half()
""",
        'Cannot instantiate abstract class "Half"',
    ),
}


@pytest.mark.parametrize("case", sorted(MISUSE))
def test_mypy_reports_misuse(case: str, tmp_path: Path) -> None:
    source, expected = MISUSE[case]
    path = tmp_path / f"{case}.py"
    path.write_text(source)
    result = mypy("--cache-dir", str(tmp_path / "cache"), str(path))
    assert result.returncode == 1, result.stdout
    assert expected.lower() in result.stdout.lower(), result.stdout
