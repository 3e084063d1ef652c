"""When e^t needs no floating-point guard: a cheap range check that replaces an np.errstate context."""

import math
from typing import Any

import numpy as np

from ._array import Array

_MAX_SIZE = 4096
"""Larger arrays keep the np.errstate guard (its fixed cost is small next to their work)."""


def _squared_bound(dtype: np.dtype[Any]) -> float:
    """T², with T = ⌊min(log(largest), -log(smallest normal))⌋ - 1 of ``dtype`` (707 in float64, 86 in float32)."""
    info = np.finfo(dtype)
    limit = min(float(np.log(info.max)), -float(np.log(info.smallest_normal)))  # in dtype: no overflow
    return float(math.floor(limit) - 1) ** 2


_FLOAT64 = np.dtype(np.float64)
_FLOAT64_SQUARED_BOUND = _squared_bound(_FLOAT64)  # 707²


def exp_in_range(t: Array) -> bool:
    """True when Σ t² <= T², so |t| <= T everywhere and e^t, e^(-t) are finite normal numbers.

    T = ⌊min(log(largest), -log(smallest normal))⌋ - 1 of t's float dtype: 707 in float64.
    Then e^t neither overflows nor underflows, so it needs no
    ``np.errstate`` around it (entering one costs about three small ufunc calls). Σ t² is
    one dot product, which never sets floating-point flags; each rounded partial sum of
    terms >= 0 is at least its largest term, so the test is never fooled by rounding, and a
    NaN, an infinity or an overflowing sum simply answers False. It is conservative: a large
    batch of moderate t may answer False too, and the caller then takes its guarded path,
    which gives the same numbers. Only float64 takes this path: NumPy's vectorised float32
    exp raises an underflow flag for a subnormal t (|t| < 1.2e-38), which Σ t² cannot see.
    Arrays of more than 4096 entries answer False at once: there an ``np.errstate`` costs
    little next to the exp itself, and Σ t² would be one more pass over the array.
    """
    return t.dtype is _FLOAT64 and t.size <= _MAX_SIZE and bool(np.vdot(t, t) <= _FLOAT64_SQUARED_BOUND)
