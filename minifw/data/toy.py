"""Toy data sets in the slides' (d, m) layout: XOR, flower, moons and circles, seeded.

Every generator returns ``(X, Y)`` with X of shape (d, m), one column per example, and Y of
shape (1, m) holding labels 0.0 and 1.0 (float64). The same ``seed`` gives the same data;
NumPy's global random state is never used.
"""

from collections.abc import Callable

import numpy as np

from ..array import Array
from ..errors import ValueRangeError
from ..number_checks import check_integer, check_number, expected_number
from ..validation import generator

Seed = np.random.Generator | int | None
"""An int seed, a ``numpy.random.Generator``, or None (fresh entropy)."""


def _checked(m: int, noise: float, seed: Seed, minimum: int) -> tuple[int, float, np.random.Generator]:
    """The arguments every generator takes, checked: m >= ``minimum`` examples, noise >= 0, and the seed's generator."""
    m = check_integer(m, "m", "200", minimum=minimum)
    return m, check_number(noise, "noise", "0.1 (0 for none)"), generator(seed, "seed", "seed", ValueRangeError)


def make_xor(m: int = 200, *, noise: float = 0.1, d: int = 2, seed: Seed = 0) -> tuple[Array, Array]:
    """XOR: y = x1 XOR x2 around the four corners (0, 0), (0, 1), (1, 0), (1, 1).

    Example i sits at corner i mod 4 plus Gaussian noise of standard deviation ``noise``;
    its label is 1 exactly when the two corner coordinates differ. With ``noise=0`` and
    ``m=4`` this is the truth table. Features 3 to d (for ``d > 2``) are distractors drawn
    uniformly from [0, 1]: the label does not depend on them (``d=3`` gives the slides'
    x = (x1, x2, x3)).

    Args:
        m: number of examples (>= 4).
        noise: standard deviation of the noise added to x1 and x2 (>= 0).
        d: number of features (>= 2).
        seed: an int, a ``numpy.random.Generator`` or None.

    Returns:
        X of shape (d, m) and Y of shape (1, m).

    Examples:
        >>> import minifw as mf
        >>> X, Y = mf.make_xor(4, noise=0.0)
        >>> X
        array([[0., 0., 1., 1.],
               [0., 1., 0., 1.]])
        >>> Y
        array([[0., 1., 1., 0.]])
    """
    m, noise, rng = _checked(m, noise, seed, minimum=4)
    d = check_integer(d, "d", "3", minimum=2)
    x1, x2 = np.arange(m) % 4 // 2, np.arange(m) % 2  # the corner of each example
    X = np.empty((d, m))
    X[:2] = np.vstack([x1, x2]) + (rng.normal(0.0, noise, (2, m)) if noise else 0.0)
    X[2:] = rng.uniform(0.0, 1.0, (d - 2, m))
    Y = (x1 != x2).astype(float).reshape(1, m)
    return X, Y


def make_flower(m: int = 400, *, noise: float = 0.2, seed: Seed = 0) -> tuple[Array, Array]:
    """The planar "flower": two classes interleaved as the petals of r = 4 sin(4t).

    For each class j ∈ {0, 1}, m/2 angles t run over [3.12 j, 3.12 (j + 1)] (plus noise);
    the point is (r sin t, r cos t) with r = 4 sin(4t) + noise. A straight line (logistic
    regression) gets about half right; one hidden layer of 4 sigmoid units about 90%.

    Args:
        m: number of examples (even, >= 2); m/2 per class.
        noise: standard deviation of the noise on t and r (>= 0).
        seed: an int, a ``numpy.random.Generator`` or None.

    Returns:
        X of shape (2, m) and Y of shape (1, m).
    """
    m, noise, rng = _checked(m, noise, seed, minimum=2)
    if m % 2:
        message = f"make_flower needs an even m (m/2 examples per class), got m={m}. Fix: pass m={m + 1}."
        raise ValueRangeError(message)
    half = m // 2
    X, Y = np.empty((2, m)), np.repeat([[0.0, 1.0]], half, axis=1)  # class j: the columns j m/2 to (j + 1) m/2
    for j in range(2):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, half) + rng.normal(0.0, noise, half)
        r = 4.0 * np.sin(4.0 * t) + rng.normal(0.0, noise, half)
        X[:, j * half : (j + 1) * half] = r * np.sin(t), r * np.cos(t)
    return X, Y


def make_moons(m: int = 200, *, noise: float = 0.1, seed: Seed = 0) -> tuple[Array, Array]:
    """Two moons: two interleaving half circles (label 0 above, label 1 below), as scikit-learn's.

    Class 0 is (cos t, sin t), class 1 is (1 - cos t, 1/2 - sin t), t ∈ [0, π], plus
    Gaussian noise of standard deviation ``noise`` on both coordinates.

    Args:
        m: number of examples (>= 2); class 0 gets the extra one when m is odd.
        noise: standard deviation of the noise (>= 0).
        seed: an int, a ``numpy.random.Generator`` or None.

    Returns:
        X of shape (2, m) and Y of shape (1, m).
    """
    return _outer_and_inner(m, noise, seed, lambda t: np.vstack([1.0 - np.cos(t), 0.5 - np.sin(t)]))


def make_circles(m: int = 200, *, noise: float = 0.05, factor: float = 0.5, seed: Seed = 0) -> tuple[Array, Array]:
    """Two circles: label 0 on the unit circle, label 1 on the circle of radius ``factor`` inside it.

    Args:
        m: number of examples (>= 2); the outer circle gets the extra one when m is odd.
        noise: standard deviation of the Gaussian noise on both coordinates (>= 0).
        factor: radius of the inner circle, in (0, 1).
        seed: an int, a ``numpy.random.Generator`` or None.

    Returns:
        X of shape (2, m) and Y of shape (1, m).
    """
    if expected_number(factor, 0.0, strict=True) is not None or not float(factor) < 1.0:
        message = f"factor must be a number in (0, 1) (inner radius / outer radius), got {factor!r}. Fix: factor=0.5."
        raise ValueRangeError(message)
    ratio = float(factor)
    return _outer_and_inner(m, noise, seed, lambda t: ratio * np.vstack([np.cos(t), np.sin(t)]), full_circle=True)


def _outer_and_inner(
    m: int, noise: float, seed: Seed, inner: Callable[[Array], Array], *, full_circle: bool = False
) -> tuple[Array, Array]:
    """Class 0 at (cos t, sin t) for the first ⌈m/2⌉ angles t, class 1 at ``inner(t)`` (shape (2, n)) for the
    other ⌊m/2⌋, plus Gaussian noise of standard deviation ``noise``: X (2, m) and Y (1, m).

    The angles of each class are evenly spaced over [0, π], or over [0, 2π) with ``full_circle``. ``m`` (>= 2) and
    ``noise`` (>= 0) are checked here, for both callers.
    """
    m, noise, rng = _checked(m, noise, seed, minimum=2)
    m_outer = (m + 1) // 2
    stop = 2.0 * np.pi if full_circle else np.pi
    t_outer, t_inner = (np.linspace(0.0, stop, n, endpoint=not full_circle) for n in (m_outer, m - m_outer))
    X = np.hstack([np.vstack([np.cos(t_outer), np.sin(t_outer)]), inner(t_inner)]) + rng.normal(0.0, noise, (2, m))
    Y = np.concatenate([np.zeros(m_outer), np.ones(m - m_outer)]).reshape(1, m)
    return X, Y
