"""Exercise: BinaryCrossEntropy, the slides' cost J for a binary response y ∈ {0, 1}.

Write the bodies of ``forward`` and ``backward`` from the slides, then grade your file:

    minifw check binary_cross_entropy.py

Each line of the report is one check; a failure names the slide equation and the likely slip.
a = a^[2] and y have shape (1, m). For m examples J is the mean of the slides' L over the
columns, so the 1/m lives here: the gradient ``backward`` returns carries it.
"""

import minifw as mf


class BinaryCrossEntropy(mf.Loss):
    """J = -(1/m) Σ {y log a + (1 - y) log(1 - a)} over the m columns."""

    kind = "bce"  # minifw check holds the class to the slides' BinaryCrossEntropy equations, whatever the names inside

    def __init__(self) -> None:
        self.a: mf.Array | None = None  # the cache: backward needs a and y
        self.y: mf.Array | None = None

    def forward(self, a: mf.Array, y: mf.Array) -> float:
        """J, a float, for predictions ``a`` and labels ``y`` of shape (1, m); caches a and y."""
        raise NotImplementedError("forward: J = -(1/m) Σ {y log a + (1 - y) log(1 - a)}; cache a, y")

    def backward(self) -> mf.Array:
        """∂J/∂a, shape (1, m), for the a and y of the last forward.

        Before ``forward``, raise ``mf.StateError`` saying to call forward first.
        """
        raise NotImplementedError("backward: return ∂J/∂a = (1/m) {-y/a + (1 - y)/(1 - a)}")
