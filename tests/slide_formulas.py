"""The slides' formulas, written out independently of minifw, one example at a time.

Everything here follows the slides literally: neuron j of the hidden layer computes
z_j = b_j + x^T w_j (w_j is row j of W^[1]), D is built as an explicit diagonal matrix,
and the batch forms average the one-example closed forms over the m columns.
"""

import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


def sigma(z: float) -> float:
    """σ(z) = 1 / (1 + e^(-z)) for one number, written so that it cannot overflow."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class OneExample(NamedTuple):
    z1: F64
    a1: F64
    z2: float
    a2: float
    J: float
    D: F64
    dW1: F64
    db1: F64
    dW2: F64
    db2: float


def one_example(x: F64, y: float, W1: F64, b1: F64, W2: F64, b2: float) -> OneExample:
    """Forward and backward propagation for one example (x, y), exactly as on the slides."""
    d1 = W1.shape[0]
    z1 = np.array([[b1[j, 0] + float(x[:, 0] @ W1[j, :])] for j in range(d1)])  # z_j = b_j + x^T w_j
    a1 = np.array([[sigma(float(z1[j, 0]))] for j in range(d1)])
    z2 = b2 + float(W2[0, :] @ a1[:, 0])
    a2 = sigma(z2)
    J = -(y * math.log(a2) + (1.0 - y) * math.log(1.0 - a2))
    D = np.diag([a1[j, 0] * (1.0 - a1[j, 0]) for j in range(d1)])
    db2 = a2 - y  # ∂J/∂b^[2] = a^[2] - y
    dW2 = (a2 - y) * a1.T  # ∂J/∂W^[2] = (a^[2] - y)(a^[1])^T
    db1 = (a2 - y) * D @ W2.T  # ∂J/∂b^[1] = (a^[2] - y) D (W^[2])^T
    dW1 = (a2 - y) * D @ W2.T @ x.T  # ∂J/∂W^[1] = (a^[2] - y) D (W^[2])^T x^T
    return OneExample(z1, a1, z2, a2, J, D, dW1, db1, dW2, db2)


class BatchGradients(NamedTuple):
    J: float
    dW1: F64
    db1: F64
    dW2: F64
    db2: F64


def batch(X: F64, Y: F64, W1: F64, b1: F64, W2: F64, b2: F64) -> BatchGradients:
    """The batch forms: J and every gradient averaged over the m columns of (X, Y)."""
    m = X.shape[1]
    parts = [one_example(X[:, [i]], float(Y[0, i]), W1, b1, W2, float(b2[0, 0])) for i in range(m)]
    return BatchGradients(
        J=sum(p.J for p in parts) / m,
        dW1=sum((p.dW1 for p in parts), np.zeros_like(W1)) / m,
        db1=sum((p.db1 for p in parts), np.zeros_like(b1)) / m,
        dW2=sum((p.dW2 for p in parts), np.zeros_like(W2)) / m,
        db2=np.array([[sum(p.db2 for p in parts) / m]]),
    )
