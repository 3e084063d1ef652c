"""Exercise: Sigmoid, the activation of each "circle": a = σ(z) = 1 / (1 + e^(−z)).

Write the bodies of ``forward`` and ``backward`` from the slides, then grade your file:

    minifw check sigmoid.py

Each line of the report is one check; a failure names the slide equation and the likely slip.
z and a have shape (d, m), one column per example. The slides' D = diag(a_j (1 − a_j)) is
written in a: "we only need to cache a^[1] and a^[2]".
"""

import minifw as mf


class Sigmoid(mf.Layer):
    """a = σ(z), elementwise, shape (d, m); backward multiplies by a ⊙ (1 − a): the slides' D."""

    kind = "sigmoid"  # minifw check holds the class to the slides' Sigmoid equations, whatever the names inside

    elementwise = True  # keeps the shape

    def __init__(self) -> None:
        self.a: mf.Array | None = None  # the cache: backward needs only a

    def forward(self, x: mf.Array) -> mf.Array:
        """a = σ(z) for z = ``x`` of shape (d, m); caches a."""
        raise NotImplementedError("forward: a = σ(z) = 1 / (1 + e^(−z)); cache a for backward")

    def backward(self, grad: mf.Array) -> mf.Array:
        """∂J/∂z = da ⊙ a ⊙ (1 − a) for da = ``grad`` of shape (d, m).

        Before ``forward``, raise ``mf.StateError`` saying to call forward first.
        """
        raise NotImplementedError("backward: return ∂J/∂z = da ⊙ a ⊙ (1 − a), a cached by forward")
