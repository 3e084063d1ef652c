"""The docs' examples, recomputed from the slide formulas with plain NumPy.

Each class page and the walkthrough is run block by block, as the docs build runs it; every
value it computes with minifw is then compared with the slides' closed forms, computed here
independently (no minifw). The walkthrough's printed numbers are also looked up in the built
page. So a page, the code and the slides cannot disagree.
"""

import contextlib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from .conftest import Mypy

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FloatArray = npt.NDArray[np.float64]

# The same fences the docs build (markdown-exec) and the Sybil collector of conftest.py run.
_PYTHON_FENCE = re.compile(r"^```python(?:[ \t][^\n]*)?\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks(page: str) -> list[str]:
    return _PYTHON_FENCE.findall((DOCS / page).read_text("utf-8"))


@dataclass
class Step:
    """One code block of a page after it ran: its source, what it printed, and the values it left."""

    source: str
    printed: str
    values: dict[str, Any]


def _snapshot(namespace: dict[str, Any]) -> dict[str, Any]:
    """Copies of the arrays, floats and parameters in ``namespace`` (later blocks update them in place)."""
    values: dict[str, Any] = {}
    for name, value in namespace.items():
        if isinstance(value, np.ndarray):
            values[name] = np.array(value, dtype=float)
        elif isinstance(value, float):
            values[name] = value
        elif hasattr(value, "W") and hasattr(value, "b"):  # a Dense layer
            for attr in ("W", "b"):
                parameter = getattr(value, attr)
                values[f"{name}.{attr}"] = parameter.value.copy()
                values[f"{name}.{attr}.grad"] = parameter.grad.copy()
    return values


def run_page(page: str) -> list[Step]:
    """Run the page's Python blocks in order in one namespace, as the docs build does."""
    namespace: dict[str, Any] = {"__name__": f"docs.{page}"}
    steps = []
    for source in python_blocks(page):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(source, str(DOCS / page), "exec"), namespace)
        steps.append(Step(source, printed.getvalue(), _snapshot(namespace)))
    return steps


def run_namespace(page: str) -> dict[str, Any]:
    """Run the page's Python blocks in order and return the namespace they leave (the objects themselves)."""
    namespace: dict[str, Any] = {"__name__": f"docs.{page}"}
    with contextlib.redirect_stdout(io.StringIO()):
        for source in python_blocks(page):
            exec(compile(source, str(DOCS / page), "exec"), namespace)
    return namespace


def first(steps: list[Step], name: str) -> Any:
    """The value ``name`` had right after the block that first defined it."""
    for step in steps:
        if name in step.values:
            return step.values[name]
    raise KeyError(f"no block of the page defines {name}")


def after(steps: list[Step], marker: str) -> dict[str, Any]:
    """The values right after the first block whose source contains ``marker``."""
    for step in steps:
        if marker in step.source:
            return step.values
    raise KeyError(f"no block of the page contains {marker!r}")


# The slides' formulas, written out with NumPy only.


def sigma(z: FloatArray) -> FloatArray:
    result: FloatArray = 1.0 / (1.0 + np.exp(-z))
    return result


def close(actual: Any, expected: Any) -> bool:
    return bool(np.allclose(actual, expected, rtol=1e-12, atol=1e-15))


@dataclass
class OneExample:
    """Forward and backward propagation of the slides for one example (x, y)."""

    z1: FloatArray
    a1: FloatArray
    z2: FloatArray
    a2: FloatArray
    J: float
    D: FloatArray
    db2: FloatArray
    dW2: FloatArray
    db1: FloatArray
    dW1: FloatArray


def slides(W1: FloatArray, b1: FloatArray, W2: FloatArray, b2: FloatArray, x: FloatArray, y: float) -> OneExample:
    z1 = b1 + W1 @ x
    a1 = sigma(z1)
    z2 = b2 + W2 @ a1
    a2 = sigma(z2)
    a = float(a2[0, 0])
    J = -(y * math.log(a) + (1 - y) * math.log(1 - a))
    D = np.diag([aj * (1 - aj) for aj in a1[:, 0]])
    db2 = (a2 - y) * np.ones((1, 1))
    dW2 = (a - y) * a1.T
    db1 = (a - y) * D @ W2.T
    dW1 = (a - y) * D @ W2.T @ x.T
    return OneExample(z1, a1, z2, a2, J, D, db2, dW2, db1, dW1)


def mean_over_examples(
    W1: FloatArray, b1: FloatArray, W2: FloatArray, b2: FloatArray, X: FloatArray, Y: FloatArray
) -> OneExample:
    """J and every gradient for a batch: the mean over its columns of the one-example results."""
    each = [slides(W1, b1, W2, b2, X[:, i : i + 1], float(Y[0, i])) for i in range(X.shape[1])]

    def mean(name: str) -> Any:
        return np.mean([getattr(e, name) for e in each], axis=0)

    a2 = np.hstack([e.a2 for e in each])
    return OneExample(
        z1=np.hstack([e.z1 for e in each]),
        a1=np.hstack([e.a1 for e in each]),
        z2=np.hstack([e.z2 for e in each]),
        a2=a2,
        J=float(np.mean([e.J for e in each])),
        D=np.zeros((0, 0)),
        db2=mean("db2"),
        dW2=mean("dW2"),
        db1=mean("db1"),
        dW1=mean("dW1"),
    )


# The walkthrough.


@pytest.fixture(scope="module")
def walkthrough() -> list[Step]:
    return run_page("walkthrough.md")


@pytest.fixture(scope="module")
def walkthrough_expected(walkthrough: list[Step]) -> OneExample:
    setup = walkthrough[0].values
    return slides(
        setup["dense1.W"],
        setup["dense1.b"],
        setup["dense2.W"],
        setup["dense2.b"],
        setup["x"],
        float(setup["y"][0, 0]),
    )


def test_walkthrough_uses_the_slides_network_and_one_example(walkthrough: list[Step]) -> None:
    setup = walkthrough[0].values
    assert setup["x"].shape == (3, 1)
    assert setup["dense1.W"].shape == (4, 3)
    assert setup["dense1.b"].shape == (4, 1)
    assert setup["dense2.W"].shape == (1, 4)
    assert setup["dense2.b"].shape == (1, 1)


def test_walkthrough_forward_propagation_matches_the_slides(
    walkthrough: list[Step], walkthrough_expected: OneExample
) -> None:
    values = after(walkthrough, "loss.forward(a2, y)")
    for name in ("z1", "a1", "z2", "a2"):
        assert close(values[name], getattr(walkthrough_expected, name)), name
    assert math.isclose(values["J"], walkthrough_expected.J, rel_tol=1e-12)


def test_walkthrough_backpropagation_matches_the_slides(
    walkthrough: list[Step], walkthrough_expected: OneExample
) -> None:
    values = after(walkthrough, "dense1.backward(dz1)")
    e = walkthrough_expected
    assert close(values["dz2"], e.a2 - first(walkthrough, "y"))
    assert close(values["dense2.b.grad"], e.db2)
    assert close(values["dense2.W.grad"], e.dW2)
    assert close(values["D"], e.D)
    assert close(values["dense1.b.grad"], e.db1)
    assert close(values["dense1.W.grad"], e.dW1)


def test_walkthrough_gradient_step_matches_the_slides(
    walkthrough: list[Step], walkthrough_expected: OneExample
) -> None:
    setup = walkthrough[0].values
    values = after(walkthrough, "opt.step()")
    e = walkthrough_expected
    alpha = 0.5
    assert "learning_rate=0.5" in next(s.source for s in walkthrough if "opt.step()" in s.source)
    assert close(values["dense1.W"], setup["dense1.W"] - alpha * e.dW1)
    assert close(values["dense1.b"], setup["dense1.b"] - alpha * e.db1)
    assert close(values["dense2.W"], setup["dense2.W"] - alpha * e.dW2)
    assert close(values["dense2.b"], setup["dense2.b"] - alpha * e.db2)
    stepped = slides(values["dense1.W"], values["dense1.b"], values["dense2.W"], values["dense2.b"], setup["x"], 1.0)
    assert math.isclose(values["J_next"], stepped.J, rel_tol=1e-12)
    assert stepped.J < e.J


def test_walkthrough_converges(walkthrough: list[Step]) -> None:
    last = next(step for step in walkthrough if "break" in step.source)
    assert "break" in last.source
    final = last.printed.strip().splitlines()[-1]
    largest = float(final.rsplit("=", 1)[1])
    assert largest < 1e-3, final


def test_walkthrough_trace_section_shows_the_same_step(
    walkthrough: list[Step], walkthrough_expected: OneExample
) -> None:
    last = walkthrough[-1]
    assert "mf.trace(" in last.source
    e = walkthrough_expected
    for value in (e.J, float(e.a2[0, 0]), float(e.db2[0, 0])):
        assert np.array2string(np.array([[value]]), precision=6) in last.printed


def test_built_walkthrough_shows_the_numbers_of_the_slides(site_dir: Path, walkthrough_expected: OneExample) -> None:
    """The page was generated by running its code: its numbers are the slides' numbers."""
    html = (site_dir / "walkthrough.html").read_text("utf-8")
    e = walkthrough_expected
    assert f"J = {e.J:.6f}" in html
    for value in [*e.z1.ravel(), *e.a1.ravel(), *e.z2.ravel(), *e.a2.ravel(), *e.dW1.ravel(), *e.db1.ravel()]:
        shown = np.array2string(np.array([value]), precision=6, suppress_small=True)[1:-1].strip()
        assert shown in html, f"{value} (shown as {shown}) is not on the built page"


# The class pages.


def test_dense_page_example_matches_the_slides() -> None:
    ns = after(run_page("dense.md"), "dense.backward(dZ)")
    W, b, X, dZ = ns["dense.W"], ns["dense.b"], ns["X"], ns["dZ"]
    assert (W.shape, b.shape, X.shape) == ((4, 3), (4, 1), (3, 2))
    assert close(ns["Z"], b + W @ X)
    assert close(ns["dense.W.grad"], sum(dZ[:, i : i + 1] @ X[:, i : i + 1].T for i in range(2)))
    assert close(ns["dense.b.grad"], dZ[:, [0]] + dZ[:, [1]])
    assert close(ns["dX"], W.T @ dZ)


def test_sigmoid_page_example_matches_the_slides() -> None:
    ns = after(run_page("sigmoid.md"), "sigmoid.backward(dA)")
    A = sigma(ns["Z"])
    assert close(ns["A"], A)
    for i in range(ns["Z"].shape[1]):  # D = diag(a_j (1 - a_j)), one example (column) at a time
        D = np.diag(A[:, i] * (1 - A[:, i]))
        assert close(ns["dZ"][:, i], D @ ns["dA"][:, i])


def test_binary_cross_entropy_page_example_matches_the_slides() -> None:
    ns = after(run_page("binary-cross-entropy.md"), "dZ_sat")
    Z, Y = ns["Z"], ns["Y"]
    m = Z.shape[1]
    A = sigma(Z)
    L = -(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    assert math.isclose(ns["J"], float(L.sum()) / m, rel_tol=1e-12)
    assert close(ns["dA"], (-Y / A + (1 - Y) / (1 - A)) / m)
    assert close(ns["dZ"], (A - Y) / m)
    # Saturation: z = 50, y = 0; J = log(1 + e^50) and dJ/dz = a - y = 1.
    assert ns["A_sat"][0, 0] == 1.0
    assert math.isclose(ns["J_sat"], 50.0 + math.log1p(math.exp(-50.0)), rel_tol=1e-15)
    assert ns["dZ_sat"][0, 0] == 1.0


def test_sequential_page_example_matches_the_slides() -> None:
    page = run_namespace("sequential.md")
    model = page["model"]  # no step is taken on the page: the parameters are those of the example
    W1, b1, W2, b2 = (np.array(p.value) for p in model.parameters())
    e = mean_over_examples(W1, b1, W2, b2, page["X"], page["Y"])
    assert close(page["A2"], e.a2)
    assert math.isclose(page["J"], e.J, rel_tol=1e-12)
    for p, expected in zip(model.parameters(), (e.dW1, e.db1, e.dW2, e.db2), strict=True):
        assert close(p.grad, expected)


def test_gradient_descent_page_example_matches_the_slides() -> None:
    page = run_namespace("gradient-descent.md")
    model, alpha = page["model"], page["opt"].learning_rate
    assert alpha == 0.5
    for p, before in zip(model.parameters(), page["theta_before"], strict=True):
        assert close(p.value, before - alpha * p.grad)  # θ^(t+1) = θ^(t) − α ∂J/∂θ(θ^(t))
    W1, b1, W2, b2 = page["theta_before"]
    e = mean_over_examples(W1, b1, W2, b2, page["X"], page["Y"])
    assert math.isclose(page["J_before"], e.J, rel_tol=1e-12)
    for p, expected in zip(model.parameters(), (e.dW1, e.db1, e.dW2, e.db2), strict=True):
        assert close(p.grad, expected)
    assert page["J_after"] < page["J_before"]


# Write your own layer.


def test_custom_layer_page_passes_mypy_strict(tmp_path: Path, mypy: Mypy) -> None:
    source = "\n\n".join(python_blocks("custom-layer.md"))
    module = tmp_path / "my_layers.py"
    module.write_text(source, "utf-8")
    result = mypy(str(module))
    assert result.returncode == 0, result.stdout + result.stderr


def test_custom_layer_page_gradient_check_catches_a_wrong_backward() -> None:
    """The page's check is a real check: a Tanh whose backward forgets the derivative fails it."""
    page = run_namespace("custom-layer.md")
    mf = page["mf"]

    class WrongTanh(page["Tanh"].__base__):  # type: ignore[misc]  # mf.Layer, taken from the page
        elementwise = True

        def forward(self, x: FloatArray) -> FloatArray:
            return np.tanh(x)

        def backward(self, grad: FloatArray) -> FloatArray:
            return grad  # wrong: misses the factor 1 - a²

    model = mf.Sequential(mf.Dense(3, 4, rng=0), WrongTanh(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    assert page["gradient_check"](model, page["X"], page["Y"]) > 1e-4


# Write your own loss.


def test_custom_loss_page_passes_mypy_strict(tmp_path: Path, mypy: Mypy) -> None:
    source = "\n\n".join(python_blocks("custom-loss.md"))
    module = tmp_path / "my_losses.py"
    module.write_text(source, "utf-8")
    result = mypy(str(module))
    assert result.returncode == 0, result.stdout + result.stderr


def test_custom_loss_page_mean_squared_error_is_the_formula() -> None:
    """J = (1/2m) Σ (a - y)² and ∂J/∂a = (a - y)/m, written out here entry by entry, for d = 1 and d = 3."""
    page = run_namespace("custom-loss.md")
    rng = np.random.default_rng(7)
    for d, m in ((1, 1), (1, 6), (3, 5)):
        a, y = rng.random((d, m)), rng.random((d, m))
        loss = page["MeanSquaredError"]()
        J = loss.forward(a, y)
        expected_J = sum((a[j, i] - y[j, i]) ** 2 for j in range(d) for i in range(m)) / (2 * m)
        assert math.isclose(J, expected_J, rel_tol=1e-12)
        assert close(loss.backward(), (a - y) / m)


def test_custom_loss_page_meets_sigmoid_by_the_chain_rule() -> None:
    """Through a Sigmoid: (a - y) a (1 - a)/m for the mean squared error, (a - y)/m for the cross-entropy."""
    page = run_namespace("custom-loss.md")
    mf = page["mf"]
    z = np.random.default_rng(3).normal(scale=4.0, size=(2, 7))
    y = (np.random.default_rng(4).random((2, 7)) < 0.5).astype(float)
    a, m = sigma(z), z.shape[1]
    sigmoid = mf.Sigmoid()
    mse, bce = page["MeanSquaredError"](), mf.BinaryCrossEntropy()
    mse.forward(sigmoid.forward(z), y)
    assert close(sigmoid.backward(mse.backward()), (a - y) * a * (1 - a) / m)
    bce.forward(sigmoid.forward(z), y)
    assert close(sigmoid.backward(bce.backward()), (a - y) / m)


def test_custom_loss_page_gradient_check_catches_the_missing_one_over_m() -> None:
    page = run_namespace("custom-loss.md")
    mf, net, X, Y = page["mf"], page["net"], page["X_check"], page["Y_check"]
    assert mf.check_gradients(net, page["MeanSquaredError"](), X, Y).passed
    report = mf.check_gradients(net, page["ForgetsOneOverM"](), X, Y, raise_on_failure=False)
    assert not report.passed


def test_custom_loss_page_refuses_mismatched_shapes_with_a_clear_error() -> None:
    page = run_namespace("custom-loss.md")
    loss = page["MeanSquaredError"]()
    with pytest.raises(page["mf"].ShapeError, match=r"got a of shape \(1, 4\) and y of shape \(4,\)"):
        loss.forward(np.zeros((1, 4)), np.zeros(4))
    with pytest.raises(page["mf"].StateError, match="before forward"):
        page["MeanSquaredError"]().backward()
