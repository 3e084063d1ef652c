"""A student's correct solution of the three exercises (minifw/exercises/): the slides' equations, plainly."""

import numpy as np

import minifw as mf


class Dense(mf.Layer):
    """z = b + W a_prev for a batch a_prev of shape (d_{l-1}, m); z has shape (d_l, m)."""

    kind = "dense"

    def __init__(self, in_features: int, out_features: int, *, rng: np.random.Generator | int | None = None) -> None:
        r = np.sqrt(6.0 / (in_features + out_features))
        W = np.random.default_rng(rng).uniform(-r, r, (out_features, in_features))
        self.W = mf.Parameter(W, name="W")
        self.b = mf.Parameter(np.zeros((out_features, 1)), name="b")
        self.in_features, self.out_features = in_features, out_features
        self.a_prev: mf.Array | None = None

    def forward(self, x: mf.Array) -> mf.Array:
        """z = b + W a_prev."""
        self.a_prev = x
        z: mf.Array = self.b.value + self.W.value @ x
        return z

    def backward(self, grad: mf.Array) -> mf.Array:
        """∂J/∂W = dz (a_prev)ᵀ, ∂J/∂b = Σ_columns dz; returns ∂J/∂a_prev = Wᵀ dz."""
        if self.a_prev is None:
            raise mf.StateError("Dense.backward() was called before forward(). Fix: call forward(x) first.")
        dz = grad
        self.W.grad[...] = dz @ self.a_prev.T
        self.b.grad[...] = dz.sum(axis=1, keepdims=True)
        da_prev: mf.Array = self.W.value.T @ dz
        return da_prev

    def parameters(self) -> list[mf.Parameter]:
        """``[W, b]``."""
        return [self.W, self.b]


class Sigmoid(mf.Layer):
    """a = σ(z); backward multiplies by a ⊙ (1 − a), the slides' D."""

    kind = "sigmoid"

    elementwise = True

    def __init__(self) -> None:
        self.a: mf.Array | None = None

    def forward(self, x: mf.Array) -> mf.Array:
        """a = 1 / (1 + e^(−z))."""
        a: mf.Array = 1.0 / (1.0 + np.exp(-x))
        self.a = a
        return a

    def backward(self, grad: mf.Array) -> mf.Array:
        """∂J/∂z = da ⊙ a ⊙ (1 − a)."""
        if self.a is None:
            raise mf.StateError("Sigmoid.backward() was called before forward(). Fix: call forward(z) first.")
        dz: mf.Array = grad * self.a * (1.0 - self.a)
        return dz


class BinaryCrossEntropy(mf.Loss):
    """J = -(1/m) Σ {y log a + (1 - y) log(1 - a)}."""

    kind = "bce"

    def __init__(self) -> None:
        self.a: mf.Array | None = None
        self.y: mf.Array | None = None

    def forward(self, a: mf.Array, y: mf.Array) -> float:
        """J, the mean of the slides' L over the m columns."""
        self.a, self.y = a, y
        m = a.shape[1]
        return float(-np.sum(y * np.log(a) + (1.0 - y) * np.log(1.0 - a)) / m)

    def backward(self) -> mf.Array:
        """∂J/∂a = (1/m) {-y/a + (1 - y)/(1 - a)}."""
        if self.a is None or self.y is None:
            raise mf.StateError("BinaryCrossEntropy.backward() was called before forward(). Fix: call forward first.")
        a, y, m = self.a, self.y, self.a.shape[1]
        da: mf.Array = (-y / a + (1.0 - y) / (1.0 - a)) / m
        return da
