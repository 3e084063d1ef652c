"""A user's own layer: it implements just forward and backward with mf.Array, and passes mypy --strict."""

import numpy as np

import minifw as mf


class Tanh(mf.Layer):
    """a = tanh(z); backward multiplies by 1 - a^2."""

    elementwise = True

    def __init__(self) -> None:
        self.a: mf.Array | None = None

    def forward(self, x: mf.Array) -> mf.Array:
        self.a = np.tanh(x)
        return self.a

    def backward(self, grad: mf.Array) -> mf.Array:
        if self.a is None:
            raise RuntimeError("Tanh.backward() before forward()")
        return grad * (1.0 - self.a**2)


def build() -> mf.Sequential:
    return mf.Sequential(mf.Dense(2, 3, rng=0), Tanh(), mf.Dense(3, 1, rng=1), mf.Sigmoid())
