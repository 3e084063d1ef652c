"""minifw's J and gradients agree with PyTorch's autograd to float64 rounding, saturation included.

PyTorch is not in the ``test`` extra: on Linux, PyPI's torch wheels are CUDA builds of several GB.
Without it these tests are skipped, and pytest's summary says so in one line, with the command that
installs the CPU build (INSTALL_TORCH). In CI (the environment variable CI set to true; .ci/run
installs the CPU build first) a missing torch fails the run instead, so that the agreement is never
left unchecked unnoticed.
"""

import importlib
import os
from typing import Any

import numpy as np
import pytest

import minifw as mf

from .conftest import slides_network

INSTALL_TORCH = ".venv/bin/python -m pip install torch --index-url https://download.pytorch.org/whl/cpu"
"""The CPU build of PyTorch, from PyTorch's own index (on Linux, PyPI has CUDA builds only)."""

LEFT_OUT = (
    "the agreement with PyTorch's autograd (tests/test_against_pytorch.py) was left out: PyTorch is not "
    f"installed. To run it: {INSTALL_TORCH} && .venv/bin/python -m pytest tests/test_against_pytorch.py"
)


@pytest.fixture(scope="module")
def torch() -> Any:
    """The torch module, imported by the worker that runs these tests only (it takes seconds).

    Without PyTorch these tests are skipped, except in CI, where they fail.
    """
    try:
        return importlib.import_module("torch")
    except ImportError as error:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"CI=true and PyTorch is not installed ({error}). Fix: {INSTALL_TORCH}")
        pytest.skip(LEFT_OUT)


def torch_reference(torch: Any, model: mf.Sequential, X: np.ndarray, Y: np.ndarray) -> tuple[float, list[np.ndarray]]:
    """J and ∂J/∂θ from PyTorch: Linear-Sigmoid-Linear, then BCEWithLogitsLoss on z^[2] (mean over m)."""
    params = [torch.tensor(p.value, dtype=torch.float64, requires_grad=True) for p in model.parameters()]
    W1, b1, W2, b2 = params
    x, y = torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)
    z2 = b2 + W2 @ torch.sigmoid(b1 + W1 @ x)
    J = torch.nn.functional.binary_cross_entropy_with_logits(z2, y, reduction="mean")
    J.backward()
    return float(J.detach()), [p.grad.numpy() for p in params]


@pytest.mark.parametrize("scale", [1.0, 30.0, 400.0])  # 400: z^[2] far into saturation
@pytest.mark.parametrize("m", [1, 5, 64])
def test_j_and_gradients_agree_with_pytorch(torch: Any, scale: float, m: int) -> None:
    rng = np.random.default_rng(m)
    model = slides_network()
    for p in model.parameters():
        p.value[...] = rng.normal(size=p.shape) * (scale if p.shape[0] == 1 else 1.0)
    X = rng.normal(size=(3, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    loss = mf.BinaryCrossEntropy()
    J = loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    J_torch, grads_torch = torch_reference(torch, model, X, Y)
    # Relative 1e-12, or absolute 1e-12 where J is tiny: there PyTorch cancels max(z, 0) - y z and
    # log(1 + e^-|z|) against each other (J = 4.4e-13 comes out 1e-15 off, e^-380 comes out 0).
    assert abs(J - J_torch) <= 1e-12 * max(abs(J_torch), 1.0)
    for p, g in zip(model.parameters(), grads_torch, strict=True):
        np.testing.assert_allclose(p.grad, g, rtol=1e-12, atol=1e-15)
