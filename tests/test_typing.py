"""mypy --strict accepts minifw, the tests, the examples, the benchmarks and a user's own layer, and reports misuse."""

from pathlib import Path

import numpy as np
import pytest

import minifw as mf

from .conftest import Mypy
from .typing_cases.user_layer import Tanh, build


def test_mypy_strict_passes_on_the_package_tests_examples_and_benchmarks(mypy: Mypy) -> None:
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


@pytest.fixture(scope="module")
def misuse_reports(mypy: Mypy, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What mypy says about each case of MISUSE: one run over all of them, one file (module) per case."""
    folder = tmp_path_factory.mktemp("misuse")
    for case, (source, _) in MISUSE.items():
        (folder / f"{case}.py").write_text(source)
    result = mypy(*(str(folder / f"{case}.py") for case in sorted(MISUSE)))
    assert result.returncode == 1, result.stdout + result.stderr  # 1: errors found; 2 would be a crash
    lines = result.stdout.splitlines()
    return {case: "\n".join(line for line in lines if line.startswith(str(folder / f"{case}.py:"))) for case in MISUSE}


@pytest.mark.parametrize("case", sorted(MISUSE))
def test_mypy_reports_misuse(case: str, misuse_reports: dict[str, str]) -> None:
    _, expected = MISUSE[case]
    report = misuse_reports[case]
    assert ": error:" in report, report
    assert expected.lower() in report.lower(), report
