"""Time one full-batch training step of minifw against NumPy by hand, PyTorch and scikit-learn.

A step is the slides' Step 2 and Step 3 for the network x -> Dense(d0, h) -> Sigmoid -> Dense(h, 1)
-> Sigmoid with the binary cross-entropy J: forward, J, backward, update θ ← θ - α ∂J/∂θ.

Implementations (all start from the same parameters and data):

- ``reference``: tight hand-written NumPy: preallocated buffers and ``out=`` everywhere, the bias folded
  into the matrix product (a row of ones under X and under a^[1]), α/m folded into ∂J/∂z^[2] once, no
  gradient for the network's input. The ratios in the table are to this one.
- ``reference with .dot``: the same, with ``ndarray.dot(..., out=)`` for the four matrix products
  instead of ``np.matmul(..., out=)``: the same BLAS calls and numbers, less overhead per call (this row
  shows what that trick alone is worth; minifw does not use it).
- ``numpy literal``: the slides' equations written one by one in NumPy, into preallocated buffers: what the
  equations cost by themselves, with no framework around them (no classes, no checks).
- ``textbook OO NumPy``: the object-oriented network a course writes from scratch: small classes (a
  Dense caching a_prev and returning b + W a_prev, a Sigmoid caching a, a BCE loss whose backward is the
  shortcut dz^[2] = (a^[2] - y)/m, a Sequential, plain SGD), fresh arrays every step (no ``out=``), and
  the input layer's gradient (W^[1])^T dz^[1] computed though nobody uses it.
- ``minifw step``: minifw's manual loop body (README): ``loss.forward(model.forward(X), Y)``,
  ``model.backward(loss.backward())``, ``opt.step()``, called once per timed step.
- ``minifw loop``: the same three lines run as a ``for`` loop over a block of steps.
- ``minifw train``: ``mf.train(..., max_epochs=steps, tol=None)`` for a block of steps: the training
  loop with its per-epoch checks (finite J and parameters, gradient norm, history).
- ``torch eager``: PyTorch autograd (``addmm``, ``binary_cross_entropy_with_logits``, ``optim.SGD``).
- ``sklearn``: ``MLPClassifier(activation="logistic", solver="sgd", batch_size=m, momentum=0,
  alpha=0).partial_fit`` once per step. Its loss is the mean log-loss over the m samples and its
  gradient is (1/m) Σ, as minifw's J, so the same α gives the same parameters.

Usage::

    python benchmarks/step.py                 # all five sizes, float64 and float32
    python benchmarks/step.py --quick         # two small sizes, few repeats (a smoke test)
    python benchmarks/step.py --check-only    # only check that all reach the same parameters
    python benchmarks/step.py --plot docs/performance.png --markdown table.md

PyTorch and scikit-learn are optional (``pip install -e ".[bench]"``); a missing one is skipped with a
note. Timings are medians over repeats, implementations alternating within each repeat so that drift of
the machine affects all of them alike; the ratio to the reference is the median over repeats of the
ratio within each repeat (``paired_ratio``), which cancels a drift that lasts a repeat.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import importlib
import importlib.util
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

import minifw as mf

FloatArray = npt.NDArray[np.floating[Any]]

SIZES: tuple[tuple[int, int, int], ...] = (
    (3, 4, 1),
    (2, 4, 400),
    (20, 64, 1000),
    (100, 256, 100000),
    (784, 128, 60000),
)
QUICK_SIZES: tuple[tuple[int, int, int], ...] = ((3, 4, 1), (2, 4, 400))
LARGE = {(100, 256, 100000), (784, 128, 60000)}
LEARNING_RATE = 0.5


@dataclasses.dataclass(frozen=True)
class Start:
    """The data and the starting parameters every implementation gets (slide layout, given dtype)."""

    X: FloatArray  # (d0, m)
    Y: FloatArray  # (1, m)
    W1: FloatArray  # (h, d0)
    b1: FloatArray  # (h, 1)
    W2: FloatArray  # (1, h)
    b2: FloatArray  # (1, 1)

    @property
    def dtype(self) -> np.dtype[Any]:
        return self.X.dtype


def make_start(d0: int, h: int, m: int, dtype: npt.DTypeLike, seed: int = 0) -> Start:
    """Random data (labels from a random teacher) and small random starting parameters."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((d0, m))
    teacher = rng.standard_normal((1, d0))
    Y = (teacher @ X + 0.5 * rng.standard_normal((1, m)) > 0).astype(np.float64)
    W1 = rng.uniform(-1, 1, (h, d0)) * np.sqrt(6.0 / (d0 + h))
    b1 = rng.uniform(-0.1, 0.1, (h, 1))
    W2 = rng.uniform(-1, 1, (1, h)) * np.sqrt(6.0 / (h + 1))
    b2 = rng.uniform(-0.1, 0.1, (1, 1))
    t = np.dtype(dtype)
    return Start(*(np.ascontiguousarray(a, dtype=t) for a in (X, Y, W1, b1, W2, b2)))


def optional(module: str) -> Any:
    """An optional peer of the benchmark (torch, scikit-learn, threadpoolctl), imported by name.

    Raises ImportError when it is not installed. Imported this way, mypy --strict sees it as Any whether or
    not the [bench] extra is installed (scikit-learn and threadpoolctl ship no type information, and the
    test extras install none of the three), so the script type-checks the same everywhere.
    """
    return importlib.import_module(module)


class Impl(Protocol):
    """One implementation of the training step."""

    def step(self) -> None: ...
    def run(self, steps: int) -> None: ...
    def params(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]: ...


class Reference:
    """Tight NumPy: buffers, out=, bias folded, α/m folded into dz2, no input gradient.

    Θ1 = [W1 b1] (h, d0+1), X1 = [X; 1] (d0+1, m), Θ2 = [W2 b2] (1, h+1), A1 = [a1; 1] (h+1, m):

        z1 = Θ1 X1,  a1 = σ(z1),  z2 = Θ2 A1,  a2 = σ(z2),  J = mean(log(1 + e^-|z2|) + max(z2, 0) - y z2)
        g2 = (α/m)(a2 - y),  Θ2 -= g2 A1^T,  g1 = (W2^T g2) ⊙ a1 ⊙ (1 - a1),  Θ1 -= g1 X1^T

    σ(z) = 1/(1 + e^(-z)) is accurate for every z; e^(-z) may overflow to inf (then σ = 0), so the
    step runs under one ``np.errstate(over="ignore", under="ignore")``.
    """

    def __init__(self, s: Start, rate: float) -> None:
        d0, m = s.X.shape
        h = s.W1.shape[0]
        t = s.dtype
        self.h, self.d0 = h, d0
        self.X1 = np.vstack([s.X, np.ones((1, m), t)])
        self.Y = s.Y
        self.T1 = np.hstack([s.W1, s.b1])
        self.T2 = np.hstack([s.W2, s.b2])
        self.A1 = np.ones((h + 1, m), t)
        self.a1 = self.A1[:h]
        self.z2 = np.empty((1, m), t)
        self.a2 = np.empty((1, m), t)
        self.L = np.empty((1, m), t)
        self.g2 = np.empty((1, m), t)
        self.G2 = np.empty((1, h + 1), t)
        self.g1 = np.empty((h, m), t)
        self.s1 = np.empty((h, m), t)
        self.G1 = np.empty((h, d0 + 1), t)
        self.scale = t.type(rate / m)
        self.inv_m = 1.0 / m
        self.J = 0.0

    def step(self) -> None:
        a1, a2, z2, g1, g2, s1 = self.a1, self.a2, self.z2, self.g1, self.g2, self.s1
        with np.errstate(over="ignore", under="ignore"):
            np.matmul(self.T1, self.X1, out=a1)
            np.negative(a1, out=a1)
            np.exp(a1, out=a1)
            a1 += 1.0
            np.reciprocal(a1, out=a1)
            np.matmul(self.T2, self.A1, out=z2)
            np.negative(z2, out=a2)
            np.exp(a2, out=a2)
            a2 += 1.0
            np.reciprocal(a2, out=a2)
            L = self.L  # J = (1/m) Σ log(1 + e^-|z2|) + max(z2, 0) - y z2
            np.abs(z2, out=L)
            np.negative(L, out=L)
            np.exp(L, out=L)
            np.log1p(L, out=L)
            total = float(L.sum())
            np.maximum(z2, 0.0, out=L)
            self.J = (total + float(L.sum()) - float(np.vdot(self.Y, z2))) * self.inv_m
        np.subtract(a2, self.Y, out=g2)
        g2 *= self.scale
        np.matmul(g2, self.A1.T, out=self.G2)
        np.subtract(1.0, a1, out=s1)
        s1 *= a1
        np.multiply(self.T2[:, : self.h].T, g2, out=g1)
        g1 *= s1
        np.matmul(g1, self.X1.T, out=self.G1)
        self.T1 -= self.G1
        self.T2 -= self.G2

    def run(self, steps: int) -> None:
        for _ in range(steps):
            self.step()

    def params(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        d0, h = self.d0, self.h
        return self.T1[:, :d0], self.T1[:, d0:], self.T2[:, :h], self.T2[:, h:]


class ReferenceDot(Reference):
    """The reference with its four matrix products through ``ndarray.dot(..., out=)`` instead of ``np.matmul``.

    The same BLAS calls and the same numbers; for small matrices ``ndarray.dot`` costs less per
    call than the ``np.matmul`` ufunc machinery. minifw uses it for batches of at most 4096
    entries, so this row shows what that trick alone is worth.
    """

    def step(self) -> None:
        a1, a2, z2, g1, g2, s1 = self.a1, self.a2, self.z2, self.g1, self.g2, self.s1
        with np.errstate(over="ignore", under="ignore"):
            self.T1.dot(self.X1, out=a1)
            np.negative(a1, out=a1)
            np.exp(a1, out=a1)
            a1 += 1.0
            np.reciprocal(a1, out=a1)
            self.T2.dot(self.A1, out=z2)
            np.negative(z2, out=a2)
            np.exp(a2, out=a2)
            a2 += 1.0
            np.reciprocal(a2, out=a2)
            L = self.L
            np.abs(z2, out=L)
            np.negative(L, out=L)
            np.exp(L, out=L)
            np.log1p(L, out=L)
            total = float(L.sum())
            np.maximum(z2, 0.0, out=L)
            self.J = (total + float(L.sum()) - float(np.vdot(self.Y, z2))) * self.inv_m
        np.subtract(a2, self.Y, out=g2)
        g2 *= self.scale
        g2.dot(self.A1.T, out=self.G2)
        np.subtract(1.0, a1, out=s1)
        s1 *= a1
        np.multiply(self.T2[:, : self.h].T, g2, out=g1)
        g1 *= s1
        g1.dot(self.X1.T, out=self.G1)
        self.T1 -= self.G1
        self.T2 -= self.G2


class Literal:
    """The slides' equations one by one, with preallocated buffers (b added, db summed, dx skipped).

    No classes, no checks, no exact ∂J/∂a: what the slides' equations cost with no framework around them.
    (W^[2])^T ∂J/∂z^[2] goes through ``np.dot``, as in minifw's ``Dense``.
    """

    def __init__(self, s: Start, rate: float) -> None:
        self.X, self.Y = s.X, s.Y
        self.W1, self.b1, self.W2, self.b2 = (a.copy() for a in (s.W1, s.b1, s.W2, s.b2))
        h, m = s.W1.shape[0], s.X.shape[1]
        t = s.dtype
        self.z1, self.a1, self.da1, self.dz1, self.tmp1 = (np.empty((h, m), t) for _ in range(5))
        self.z2, self.a2, self.dz2, self.L = (np.empty((1, m), t) for _ in range(4))
        self.dW1, self.db1 = np.empty_like(self.W1), np.empty_like(self.b1)
        self.dW2, self.db2 = np.empty_like(self.W2), np.empty_like(self.b2)
        self.m, self.rate, self.J = m, rate, 0.0

    @staticmethod
    def _sigmoid(z: FloatArray, out: FloatArray) -> None:
        np.negative(z, out=out)
        np.exp(out, out=out)
        out += 1.0
        np.reciprocal(out, out=out)

    def step(self) -> None:
        with np.errstate(over="ignore", under="ignore"):
            np.matmul(self.W1, self.X, out=self.z1)  # z1 = b1 + W1 x
            self.z1 += self.b1
            self._sigmoid(self.z1, self.a1)  # a1 = σ(z1)
            np.matmul(self.W2, self.a1, out=self.z2)  # z2 = b2 + W2 a1
            self.z2 += self.b2
            self._sigmoid(self.z2, self.a2)  # a2 = σ(z2)
            np.abs(self.z2, out=self.L)  # L = max(z2, 0) - y z2 + log(1 + e^-|z2|)
            np.negative(self.L, out=self.L)
            np.exp(self.L, out=self.L)
            np.log1p(self.L, out=self.L)
            self.L += np.maximum(self.z2, 0.0)
            self.L -= self.Y * self.z2
            self.J = float(self.L.sum()) / self.m
        np.subtract(self.a2, self.Y, out=self.dz2)  # dz2 = (a2 - y)/m
        self.dz2 /= self.m
        np.matmul(self.dz2, self.a1.T, out=self.dW2)  # dW2 = dz2 a1^T
        np.sum(self.dz2, axis=1, keepdims=True, out=self.db2)  # db2 = Σ dz2
        np.dot(self.W2.T, self.dz2, out=self.da1)  # da1 = W2^T dz2
        np.subtract(1.0, self.a1, out=self.tmp1)  # D = a1 (1 - a1)
        self.tmp1 *= self.a1
        np.multiply(self.da1, self.tmp1, out=self.dz1)  # dz1 = da1 ⊙ D
        np.matmul(self.dz1, self.X.T, out=self.dW1)  # dW1 = dz1 x^T
        np.sum(self.dz1, axis=1, keepdims=True, out=self.db1)  # db1 = Σ dz1
        for theta, grad in ((self.W1, self.dW1), (self.b1, self.db1), (self.W2, self.dW2), (self.b2, self.db2)):
            grad *= self.rate
            theta -= grad

    def run(self, steps: int) -> None:
        for _ in range(steps):
            self.step()

    def params(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        return self.W1, self.b1, self.W2, self.b2


class TextbookDense:
    """z = b + W a_prev, the object-oriented way a course writes it: cache a_prev, new arrays every step."""

    def __init__(self, W: FloatArray, b: FloatArray) -> None:
        self.W = W.copy()  # (d_l, d_{l-1})
        self.b = b.copy()  # (d_l, 1)
        self.dW: FloatArray = np.zeros_like(self.W)
        self.db: FloatArray = np.zeros_like(self.b)
        self.a_prev: FloatArray = np.zeros((W.shape[1], 1), W.dtype)

    def forward(self, a_prev: FloatArray) -> FloatArray:
        self.a_prev = a_prev
        return self.b + self.W @ a_prev

    def backward(self, dz: FloatArray) -> FloatArray:
        """dW = dz a_prev^T, db = Σ dz over the examples; returns da_prev = W^T dz (for every layer)."""
        self.dW = dz @ self.a_prev.T
        self.db = np.sum(dz, axis=1, keepdims=True)
        return self.W.T @ dz


class TextbookSigmoid:
    """a = σ(z) = 1/(1 + e^(-z)), caching a; backward: dz = da ⊙ a ⊙ (1 - a)."""

    def __init__(self) -> None:
        self.a: FloatArray = np.zeros((1, 1))

    def forward(self, z: FloatArray) -> FloatArray:
        with np.errstate(over="ignore"):  # e^(-z) = inf for z << 0 gives σ = 0, as it should
            self.a = 1.0 / (1.0 + np.exp(-z))
        return self.a

    def backward(self, da: FloatArray) -> FloatArray:
        return da * self.a * (1.0 - self.a)


class TextbookBCE:
    """J = -(1/m) Σ [y log a + (1 - y) log(1 - a)]; backward gives dJ/dz of the output layer, (a - y)/m."""

    def __init__(self) -> None:
        self.a: FloatArray = np.zeros((1, 1))
        self.y: FloatArray = np.zeros((1, 1))

    def forward(self, a: FloatArray, y: FloatArray) -> float:
        self.a, self.y = a, y
        eps = np.finfo(a.dtype).eps
        a = np.clip(a, eps, 1.0 - eps)  # keeps log finite; J is reported, not differentiated
        return float(-np.mean(y * np.log(a) + (1.0 - y) * np.log(1.0 - a)))

    def backward(self) -> FloatArray:
        """The slides' shortcut dz^[2] = a^[2] - y (per example): σ' cancels the loss's denominator."""
        m = self.y.shape[1]
        dz: FloatArray = (self.a - self.y) / m  # (1, m)
        return dz


class TextbookSequential:
    """Layers in a list; forward in order, backward in reverse from the output layer's dz."""

    def __init__(self, layers: list[TextbookDense | TextbookSigmoid]) -> None:
        self.layers = layers

    def forward(self, x: FloatArray) -> FloatArray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dz: FloatArray) -> FloatArray:
        """dz is dJ/dz of the last Dense: the output Sigmoid's derivative is already in the loss's shortcut."""
        grad = dz
        for layer in reversed(self.layers[:-1]):
            grad = layer.backward(grad)
        return grad


class TextbookSGD:
    """θ ← θ - α dθ for the W and b of every Dense, as new arrays."""

    def __init__(self, model: TextbookSequential, learning_rate: float) -> None:
        self.model = model
        self.learning_rate = learning_rate

    def step(self) -> None:
        for layer in self.model.layers:
            if isinstance(layer, TextbookDense):
                layer.W = layer.W - self.learning_rate * layer.dW
                layer.b = layer.b - self.learning_rate * layer.db


class Textbook:
    """The from-scratch object-oriented network a course writes (the Textbook classes above).

    Fresh temporaries every step, no ``out=``, and the input layer's gradient (W^[1])^T dz^[1] computed
    though nobody uses it.
    """

    def __init__(self, s: Start, rate: float) -> None:
        self.X, self.Y = s.X, s.Y
        self.dense1 = TextbookDense(s.W1, s.b1)
        self.dense2 = TextbookDense(s.W2, s.b2)
        self.model = TextbookSequential([self.dense1, TextbookSigmoid(), self.dense2, TextbookSigmoid()])
        self.loss = TextbookBCE()
        self.optimizer = TextbookSGD(self.model, rate)
        self.J = 0.0

    def step(self) -> None:
        a2 = self.model.forward(self.X)
        self.J = self.loss.forward(a2, self.Y)
        self.model.backward(self.loss.backward())
        self.optimizer.step()

    def run(self, steps: int) -> None:
        for _ in range(steps):
            self.step()

    def params(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        return self.dense1.W, self.dense1.b, self.dense2.W, self.dense2.b


class Minifw:
    """minifw's manual loop, exactly as in README."""

    def __init__(self, s: Start, rate: float) -> None:
        d0, h = s.W1.shape[1], s.W1.shape[0]
        dense1 = mf.Dense(d0, h, dtype=s.dtype)
        dense2 = mf.Dense(h, 1, dtype=s.dtype)
        dense1.W.value[...], dense1.b.value[...] = s.W1, s.b1
        dense2.W.value[...], dense2.b.value[...] = s.W2, s.b2
        self.X, self.Y = s.X, s.Y
        self.model = mf.Sequential(dense1, mf.Sigmoid(), dense2, mf.Sigmoid())
        self.loss = mf.BinaryCrossEntropy()
        self.opt = mf.GradientDescent(self.model.parameters(), learning_rate=rate)
        self.J = 0.0

    def step(self) -> None:
        model, loss, opt, X, Y = self.model, self.loss, self.opt, self.X, self.Y
        self.J = loss.forward(model.forward(X), Y)
        model.backward(loss.backward())
        opt.step()

    def run(self, steps: int) -> None:
        model, loss, opt, X, Y = self.model, self.loss, self.opt, self.X, self.Y
        for _ in range(steps):
            J = loss.forward(model.forward(X), Y)
            model.backward(loss.backward())
            opt.step()
        self.J = J

    def params(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        W1, b1, W2, b2 = (p.value for p in self.model.parameters())
        return W1, b1, W2, b2


class MinifwLoop(Minifw):
    """The same, timed as a ``for`` loop over a block of steps (``run``); ``step`` is the loop of one."""

    def step(self) -> None:
        self.run(1)


class MinifwTrain(Minifw):
    """``mf.train`` (full-batch gradient descent with its checks and history), one call per block of steps."""

    def run(self, steps: int) -> None:
        mf.train(
            self.model, self.loss, self.X, self.Y, learning_rate=self.opt.learning_rate, max_epochs=steps, tol=None
        )

    def step(self) -> None:
        self.run(1)


class Torch:
    """PyTorch eager autograd, slide layout: z = addmm(b, W, a_prev); BCE with logits; optim.SGD."""

    def __init__(self, s: Start, rate: float) -> None:
        torch = optional("torch")
        self.torch = torch
        self.X = torch.from_numpy(s.X)
        self.Y = torch.from_numpy(s.Y)
        self.W1, self.b1, self.W2, self.b2 = (
            torch.tensor(a.copy(), requires_grad=True) for a in (s.W1, s.b1, s.W2, s.b2)
        )
        self.opt = torch.optim.SGD([self.W1, self.b1, self.W2, self.b2], lr=rate)

    def step(self) -> None:
        torch = self.torch
        self.opt.zero_grad()
        a1 = torch.sigmoid(torch.addmm(self.b1, self.W1, self.X))
        z2 = torch.addmm(self.b2, self.W2, a1)
        J = torch.nn.functional.binary_cross_entropy_with_logits(z2, self.Y)
        J.backward()
        self.opt.step()

    def run(self, steps: int) -> None:
        for _ in range(steps):
            self.step()

    def params(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        W1, b1, W2, b2 = (p.detach().numpy() for p in (self.W1, self.b1, self.W2, self.b2))
        return W1, b1, W2, b2


class Sklearn:
    """scikit-learn MLPClassifier.partial_fit, one step per call, started from our parameters."""

    def __init__(self, s: Start, rate: float) -> None:
        import warnings

        MLPClassifier = optional("sklearn.neural_network").MLPClassifier

        h, m = s.W1.shape[0], s.X.shape[1]
        self.Xt = np.ascontiguousarray(s.X.T)  # sklearn takes (m, d0)
        self.y = s.Y.ravel().astype(np.int64)
        self.classes = np.array([0, 1])
        self.model = MLPClassifier(
            hidden_layer_sizes=(h,),
            activation="logistic",
            solver="sgd",
            batch_size=m,
            learning_rate="constant",
            learning_rate_init=rate,
            momentum=0.0,
            nesterovs_momentum=False,
            alpha=0.0,
            shuffle=False,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.model.partial_fit(self.Xt, self.y, classes=self.classes)  # allocates; then we overwrite
        # In place: the optimizer keeps references to these very arrays.
        self.model.coefs_[0][...] = s.W1.T
        self.model.coefs_[1][...] = s.W2.T
        self.model.intercepts_[0][...] = s.b1.ravel()
        self.model.intercepts_[1][...] = s.b2.ravel()

    def step(self) -> None:
        self.model.partial_fit(self.Xt, self.y)

    def run(self, steps: int) -> None:
        for _ in range(steps):
            self.step()

    def params(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        c, i = self.model.coefs_, self.model.intercepts_
        return c[0].T, i[0].reshape(-1, 1), c[1].T, i[1].reshape(1, 1)


@dataclasses.dataclass(frozen=True)
class Entry:
    name: str
    factory: Callable[[Start, float], Impl]
    module: str | None = None  # an optional package it needs
    numpy_memory: bool = True  # tracemalloc sees its allocations


ENTRIES: tuple[Entry, ...] = (
    Entry("reference", Reference),
    Entry("reference with .dot", ReferenceDot),
    Entry("numpy literal", Literal),
    Entry("textbook OO NumPy", Textbook),
    Entry("minifw step", Minifw),
    Entry("minifw loop", MinifwLoop),
    Entry("minifw train", MinifwTrain),
    Entry("torch eager", Torch, "torch", numpy_memory=False),
    Entry("sklearn", Sklearn, "sklearn"),
)


def available(entries: Sequence[Entry]) -> tuple[list[Entry], list[str]]:
    """The entries whose optional package imports, and a note for each one skipped."""
    kept: list[Entry] = []
    notes: list[str] = []
    for entry in entries:
        if entry.module is not None:
            try:
                importlib.import_module(entry.module)
            except ImportError:
                notes.append(f"{entry.name}: skipped, {entry.module} is not installed (pip install -e '.[bench]')")
                continue
        kept.append(entry)
    return kept, notes


def check_same_parameters(
    sizes: Sequence[tuple[int, int, int]] = QUICK_SIZES,
    dtypes: Sequence[npt.DTypeLike] = (np.float64, np.float32),
    steps: int = 3,
    entries: Sequence[Entry] | None = None,
) -> list[str]:
    """Run ``steps`` steps of every available implementation from the same start; compare to the reference.

    Raises AssertionError naming the implementation, the size and the worst relative difference when one
    differs by more than 1e-10 (float64) or 1e-4 (float32). Returns one line of report per comparison.
    """
    kept, notes = available(ENTRIES if entries is None else entries)
    report = list(notes)
    for d0, h, m in sizes:
        for dtype in dtypes:
            start = make_start(d0, h, m, dtype)
            t = np.dtype(dtype)
            tol = 1e-10 if t == np.float64 else 1e-4
            results = {}
            for entry in kept:
                impl = entry.factory(start, LEARNING_RATE)
                impl.run(steps)
                results[entry.name] = [np.asarray(p, dtype=np.float64) for p in impl.params()]
            ref = results["reference"]
            moved = max(float(np.max(np.abs(p - q))) for p, q in zip(ref, start_params(start), strict=True))
            assert moved > 0.0, "the reference did not move: the check would be vacuous"
            for name, params in results.items():
                scale = max(float(np.max(np.abs(p))) for p in ref)
                worst = max(float(np.max(np.abs(p - q))) for p, q in zip(params, ref, strict=True)) / scale
                line = f"({d0}, {h}, {m}) {t.name} {name}: max |Δθ| / max |θ| = {worst:.1e} after {steps} steps"
                assert worst <= tol, line + f" > {tol:g}"
                report.append(line)
    return report


def start_params(s: Start) -> list[FloatArray]:
    return [np.asarray(p, dtype=np.float64) for p in (s.W1, s.b1, s.W2, s.b2)]


def steps_per_block(seconds_per_step: float, target: float) -> int:
    return max(1, min(10000, round(target / max(seconds_per_step, 1e-9))))


CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
clock = CLOCKS["wall"]


def time_block(impl: Impl, steps: int, timer: Callable[[], float] | None = None) -> float:
    """Seconds per step of a block of ``steps`` steps (``run``), with the garbage collector off.

    ``timer`` is the clock to read (``time.perf_counter`` for the elapsed time); the ``--clock`` of the run by default.
    """
    read = clock if timer is None else timer
    gc.disable()
    try:
        t0 = read()
        impl.run(steps)
        return (read() - t0) / steps
    finally:
        gc.enable()


THREADED = ("minifw step", "torch eager")
"""The rows that get the column with more threads: minifw and what a user would pick instead."""


@contextlib.contextmanager
def thread_limit(threads: int) -> Iterator[None]:
    """BLAS/OpenMP (threadpoolctl) and PyTorch limited to ``threads`` threads inside the block.

    PyTorch's own number is read before threadpoolctl changes OpenMP's, which PyTorch reports as its own.
    """
    torch = sys.modules.get("torch")
    before = torch.get_num_threads() if torch is not None else 0
    with optional("threadpoolctl").threadpool_limits(threads):
        if torch is not None:
            torch.set_num_threads(threads)
        try:
            yield
        finally:
            if torch is not None:
                torch.set_num_threads(before)


def thread_gains(
    impls: Sequence[tuple[Entry, Impl]], blocks: dict[str, int], repeats: int, threads: int
) -> dict[str, tuple[float, float]]:
    """For each of ``impls``: the elapsed time per step with ``threads`` threads, and the gain over one thread.

    Elapsed (wall-clock) time, whatever ``--clock`` says: the CPU time of a process adds up the time of
    all its threads, so it cannot show what a second thread gains. In each repeat, every implementation
    runs a block of steps on one thread and then a block on ``threads`` threads; the gain is the median
    over repeats of the quotient within a repeat (one-thread time / ``threads``-thread time), as in
    :func:`paired_ratio`.
    """
    one: dict[str, list[float]] = {entry.name: [] for entry, _ in impls}
    more: dict[str, list[float]] = {entry.name: [] for entry, _ in impls}
    for _ in range(repeats):
        for entry, impl in impls:
            with thread_limit(1):
                one[entry.name].append(time_block(impl, blocks[entry.name], time.perf_counter))
            with thread_limit(threads):
                more[entry.name].append(time_block(impl, blocks[entry.name], time.perf_counter))
    return {name: (statistics.median(more[name]), paired_ratio(one[name], more[name])) for name in one}


def peak_memory(factory: Callable[[Start, float], Impl], start: Start) -> int:
    """Peak bytes a steady-state step needs: what the implementation holds (its buffers, its copies of the
    parameters and data) plus what one step allocates on top, as seen by tracemalloc (NumPy reports to it).
    The data X, Y and the starting parameters, which every implementation is given, are not counted.
    """
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        impl = factory(start, LEARNING_RATE)
        impl.step()  # the first step allocates the buffers
        tracemalloc.reset_peak()
        impl.step()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def paired_ratio(times: Sequence[float], reference_times: Sequence[float]) -> float:
    """The median over repeats of (time per step in repeat r) / (the reference's in repeat r).

    Both blocks of a repeat ran within seconds of each other, so a slow spell of the machine that
    covers a repeat scales both and cancels in the quotient; the median then drops the repeats
    in which a shorter spell hit only one of the two. (The ratio of the two medians does not
    cancel drift: each median may come from a different repeat.)
    """
    return statistics.median(t / r for t, r in zip(times, reference_times, strict=True))


def flops_per_step(d0: int, h: int, m: int) -> float:
    """Multiply-adds of the essential step, counted as 2 flops: z1, dW1 (2 h d0 m each); z2, dW2, da1 (2 h m each)."""
    return 4.0 * h * d0 * m + 6.0 * h * m


@dataclasses.dataclass
class Row:
    size: tuple[int, int, int]
    dtype: str
    name: str
    seconds: float
    ratio: float
    peak: int | None
    gflops: float
    threads: int | None = None  # the column with more threads: how many,
    threads_seconds: float | None = None  # the elapsed time per step with them,
    threads_gain: float | None = None  # and one thread's elapsed time over theirs


def measure(
    sizes: Sequence[tuple[int, int, int]],
    dtypes: Sequence[npt.DTypeLike],
    repeats: int,
    block_seconds: float,
    entries: Sequence[Entry],
    log: Callable[[str], None],
    threads: int | None = None,
) -> list[Row]:
    """Time every entry at every size and dtype; with ``threads``, also the :data:`THREADED` rows with that many."""
    rows: list[Row] = []
    for d0, h, m in sizes:
        for dtype in dtypes:
            start = make_start(d0, h, m, dtype)
            impls = [(e, e.factory(start, LEARNING_RATE)) for e in entries]
            blocks: dict[str, int] = {}
            for entry, impl in impls:  # warm up, and size the blocks to about block_seconds
                impl.run(2)
                blocks[entry.name] = steps_per_block(time_block(impl, 1), block_seconds)
                blocks[entry.name] = steps_per_block(time_block(impl, blocks[entry.name]), block_seconds)
            times: dict[str, list[float]] = {e.name: [] for e, _ in impls}
            for r in range(repeats):
                order = impls[r % len(impls) :] + impls[: r % len(impls)]  # alternate who goes first
                for entry, impl in order:
                    times[entry.name].append(time_block(impl, blocks[entry.name]))
            gains = {}
            if threads is not None:
                gains = thread_gains([(e, i) for e, i in impls if e.name in THREADED], blocks, repeats, threads)
            names = [entry for entry, _ in impls]
            del impls, order
            gc.collect()
            for entry in names:
                median = statistics.median(times[entry.name])
                peak = peak_memory(entry.factory, start) if entry.numpy_memory else None
                rows.append(
                    Row(
                        (d0, h, m),
                        np.dtype(dtype).name,
                        entry.name,
                        median,
                        paired_ratio(times[entry.name], times["reference"]),
                        peak,
                        flops_per_step(d0, h, m) / median / 1e9,
                        *((threads, *gains[entry.name]) if entry.name in gains else ()),
                    )
                )
            log(f"measured ({d0}, {h}, {m}) {np.dtype(dtype).name}")
            gc.collect()
    return rows


def format_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def format_bytes(n: int | None) -> str:
    if n is None:
        return "n/a"
    if n < 1 << 20:
        return f"{n / 1024:.1f} KiB"
    return f"{n / (1 << 20):.1f} MiB"


def table(rows: Sequence[Row]) -> str:
    """A Markdown table: one line per size, dtype and implementation.

    With rows timed on more threads too (``--also-threads``), two more columns: their elapsed time per
    step on that many threads, and the gain, one thread's elapsed time over theirs.
    """
    threads = next((r.threads for r in rows if r.threads is not None), None)
    more = "" if threads is None else f" {threads} threads: elapsed time / step | gain from {threads} threads |"
    lines = [
        "| (d0, h, m) | dtype | implementation | median time / step | ratio to reference | peak memory of a step "
        "| memory ratio | GFLOP/s |" + more,
        "| --- | --- | --- | --- | --- | --- | --- | --- |" + ("" if threads is None else " --- | --- |"),
    ]
    refs = {(r.size, r.dtype): r for r in rows if r.name == "reference"}
    for r in rows:
        ref = refs[(r.size, r.dtype)]
        mem_ratio = "n/a" if r.peak is None or not ref.peak else f"{r.peak / ref.peak:.2f}x"
        gflops = f"{r.gflops:.1f}" if r.size in LARGE else ""
        cells = "" if threads is None else "  |  |"
        if r.threads_seconds is not None and r.threads_gain is not None:
            cells = f" {format_time(r.threads_seconds)} | {r.threads_gain:.2f}x |"
        lines.append(
            f"| {r.size} | {r.dtype} | {r.name} | {format_time(r.seconds)} | {r.ratio:.2f}x "
            f"| {format_bytes(r.peak)} | {mem_ratio} | {gflops} |" + cells
        )
    return "\n".join(lines)


def speedup_lines(rows: Sequence[Row]) -> list[str]:
    """float64 time over float32 time, per implementation, at the large sizes."""
    by = {(r.size, r.dtype, r.name): r for r in rows}
    out = []
    for size in sorted({r.size for r in rows if r.size in LARGE}):
        for name in dict.fromkeys(r.name for r in rows):
            f64, f32 = by.get((size, "float64", name)), by.get((size, "float32", name))
            if f64 and f32:
                out.append(f"{size} {name}: float32 is {f64.seconds / f32.seconds:.2f}x faster than float64")
    return out


def plot(rows: Sequence[Row], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(r.name for r in rows))
    dtypes = list(dict.fromkeys(r.dtype for r in rows))
    sizes = list(dict.fromkeys(r.size for r in rows))
    fig, axes = plt.subplots(1, len(dtypes), figsize=(6.5 * len(dtypes), 4.2), squeeze=False, sharey=True)
    width = 0.8 / len(names)
    by = {(r.size, r.dtype, r.name): r for r in rows}
    for ax, dtype in zip(axes[0], dtypes, strict=True):
        for k, name in enumerate(names):
            xs = [i + (k - (len(names) - 1) / 2) * width for i in range(len(sizes))]
            ys = [by[(s, dtype, name)].ratio if (s, dtype, name) in by else float("nan") for s in sizes]
            ax.bar(xs, ys, width, label=name)
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_yscale("log")
        ax.set_xticks(range(len(sizes)), [f"{s}" for s in sizes], rotation=20, fontsize=8)
        ax.set_title(f"{dtype}: time per step / reference (lower is better)")
        ax.set_xlabel("(d0, h, m)")
        ax.grid(axis="y", which="both", alpha=0.3)
    axes[0][0].set_ylabel("ratio to the tight NumPy reference")
    axes[0][-1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def machine() -> list[str]:
    lines = [f"python {platform.python_version()}, numpy {np.__version__}, minifw {mf.__version__}"]
    for module in ("torch", "sklearn"):
        with contextlib.suppress(ImportError):
            lines.append(f"{module} {optional(module).__version__}")
    try:
        for info in optional("threadpoolctl").threadpool_info():
            lines.append(
                f"{info.get('internal_api')} {info.get('version')} ({info.get('prefix')}), "
                f"kernel {info.get('architecture')}, {info.get('num_threads')} threads"
            )
    except ImportError:
        lines.append("threadpoolctl not installed: BLAS kernel unknown")
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
        if model:
            lines.append(f"cpu: {model}")
    except OSError:
        pass
    return lines


def parse_sizes(text: str) -> tuple[tuple[int, int, int], ...]:
    """``"3,4,1;2,4,400"`` -> ((3, 4, 1), (2, 4, 400)): sizes (d0, h, m) separated by semicolons."""
    sizes: list[tuple[int, int, int]] = []
    for part in text.split(";"):
        try:
            d0, h, m = (int(v) for v in part.split(","))
        except ValueError:
            message = f"expected three positive integers d0,h,m per size, got {part!r}; e.g. --sizes '3,4,1;2,4,400'"
            raise argparse.ArgumentTypeError(message) from None
        if min(d0, h, m) < 1:
            message = f"expected three positive integers d0,h,m per size, got {part!r}"
            raise argparse.ArgumentTypeError(message)
        sizes.append((d0, h, m))
    return tuple(sizes)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="two small sizes, few repeats")
    parser.add_argument("--check-only", action="store_true", help="only check that all reach the same parameters")
    parser.add_argument("--repeats", type=int, default=None, help="timed repeats per implementation (default 9)")
    parser.add_argument("--dtype", choices=("float64", "float32", "both"), default="both")
    parser.add_argument("--only", default=None, help="comma-separated implementation names to run")
    parser.add_argument("--sizes", type=parse_sizes, default=None, help='e.g. "3,4,1;2,4,400"')
    parser.add_argument(
        "--clock",
        choices=tuple(CLOCKS),
        default="wall",
        help="wall: elapsed time (default); cpu: CPU time of the process, steadier on a busy machine",
    )
    parser.add_argument("--threads", type=int, default=None, help="limit BLAS/OpenMP (and torch) to this many threads")
    parser.add_argument(
        "--also-threads",
        type=int,
        default=None,
        metavar="N",
        help="also time minifw step and torch eager on N threads (elapsed time), for a column of what they gain",
    )
    parser.add_argument("--plot", default=None, help="write a PNG of the ratios here (needs matplotlib)")
    parser.add_argument("--markdown", default=None, help="write the Markdown table here")
    args = parser.parse_args(argv)
    if args.also_threads is not None and args.also_threads < 1:
        parser.error(f"--also-threads takes a number of threads, at least 1; got {args.also_threads}")
    if args.also_threads is not None and importlib.util.find_spec("threadpoolctl") is None:
        parser.error("--also-threads needs threadpoolctl to set the number of threads (pip install -e '.[bench]')")
    args.command_line = " ".join(sys.argv[1:] if argv is None else argv)
    global clock
    clock = CLOCKS[args.clock]
    limiter: contextlib.AbstractContextManager[object] = contextlib.nullcontext()
    if args.threads is not None:
        threadpool_limits = optional("threadpoolctl").threadpool_limits
        for module in ("torch", "sklearn.neural_network"):  # load their thread pools first, so the limit reaches them
            with contextlib.suppress(ImportError):
                optional(module)

        limiter = threadpool_limits(args.threads)
        with contextlib.suppress(ImportError):
            optional("torch").set_num_threads(args.threads)
    with limiter:
        return run(args)


def run(args: argparse.Namespace) -> int:
    sizes: tuple[tuple[int, int, int], ...] = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    dtypes = (np.float64, np.float32) if args.dtype == "both" else (np.dtype(args.dtype),)
    repeats = args.repeats or (3 if args.quick else 9)
    entries = [e for e in ENTRIES if args.only is None or e.name in args.only.split(",") or e.name == "reference"]
    kept, notes = available(entries)

    for line in machine():
        print(line)
    print(f"clock: {args.clock}; command: python benchmarks/step.py {args.command_line}")
    for note in notes:
        print(note)
    print("checking that every implementation reaches the same parameters...")
    for line in check_same_parameters(sizes=QUICK_SIZES if args.quick else sizes[:3], dtypes=dtypes, entries=kept):
        print("  " + line)
    if args.check_only:
        return 0
    block = 0.02 if args.quick else 0.3
    rows = measure(sizes, dtypes, repeats, block, kept, lambda s: print(s, file=sys.stderr), args.also_threads)
    text = table(rows)
    print()
    print(text)
    print()
    for line in speedup_lines(rows):
        print(line)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    if args.plot:
        plot(rows, args.plot)
        print(f"plot written to {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
