"""Exercise: Dense, the linear part of each "circle": z^[l] = b^[l] + W^[l] a^[l-1].

Write the bodies of ``forward`` and ``backward`` from the slides, then grade your file:

    minifw check dense.py

Each line of the report is one check; a failure names the slide equation and the likely slip.
Shapes, as on the slides: a batch a_prev is (d_{l-1}, m), one column per example; W is
(d_l, d_{l-1}); b is (d_l, 1). The 1/m of J is already in the dz that ``backward`` receives.
"""

import numpy as np

import minifw as mf


class Dense(mf.Layer):
    """z = b + W a_prev for a batch a_prev of shape (d_{l-1}, m); z has shape (d_l, m)."""

    kind = "dense"  # minifw check holds the class to the slides' Dense equations, whatever the names inside

    def __init__(self, in_features: int, out_features: int, *, rng: np.random.Generator | int | None = None) -> None:
        r = np.sqrt(6.0 / (in_features + out_features))  # Step 1: randomly initialize θ
        W = np.random.default_rng(rng).uniform(-r, r, (out_features, in_features))
        self.W = mf.Parameter(W, name="W")  # W^[l], (d_l, d_{l-1}); its gradient goes in self.W.grad
        self.b = mf.Parameter(np.zeros((out_features, 1)), name="b")  # b^[l], (d_l, 1)
        self.in_features, self.out_features = in_features, out_features
        self.a_prev: mf.Array | None = None  # the cache: backward needs a_prev for ∂J/∂W

    def forward(self, x: mf.Array) -> mf.Array:
        """z = b + W a_prev, shape (d_l, m), for x = a_prev of shape (d_{l-1}, m); caches a_prev."""
        raise NotImplementedError("forward: z = b + W a_prev (b added to every column); cache a_prev")

    def backward(self, grad: mf.Array) -> mf.Array:
        """From dz = ``grad`` (d_l, m): set W.grad and b.grad, return ∂J/∂a_prev (d_{l-1}, m).

        ∂J/∂W = dz (a_prev)ᵀ, ∂J/∂b = dz summed over the m columns,
        ∂J/∂a_prev = Wᵀ dz.
        Write the gradients into the parameters in place (``self.W.grad[...] = ...``); before
        ``forward``, raise ``mf.StateError`` saying to call forward first.
        """
        raise NotImplementedError(
            "backward: W.grad = dz (a_prev)ᵀ, b.grad = dz summed over the m columns; return ∂J/∂a_prev = Wᵀ dz"
        )

    def parameters(self) -> list[mf.Parameter]:
        """``[W, b]``."""
        return [self.W, self.b]
