"""The checks of what the functions around the slide classes are given: number arguments and finite data.

The layers' own checks, cheap enough for every step, are in :mod:`minifw.validation`; these run once, where a
function or command starts (``mf.train``'s ``tol``, ``make_xor``'s ``m``, a CSV file's values).
"""

import math
import numbers
from typing import cast, overload

import numpy as np

from .array import Array
from .errors import ValueRangeError


def expected_number(value: object, minimum: float, *, strict: bool = False, integer: bool = False) -> str | None:
    """What ``value`` should have been, in words (``an integer >= 1``, ``a finite number > 0``), or None if it is that.

    It judges the functions' number keywords (:func:`check_number`) and the command line's number options (the
    learning rate α is the optimizer's own check). A bool is not a number here.
    """
    relation = ">" if strict else ">="
    expected = f"{'an integer' if integer else 'a finite number'} {relation} {minimum:g}"
    if integer and minimum == 1 and not strict:
        expected = "a positive integer"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral if integer else numbers.Real):
        return expected
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float: above any minimum
        return None if integer else expected
    if not math.isfinite(number) or number < minimum or (strict and number == minimum):
        return expected
    return None


@overload
def check_number(value: object, name: str, example: str, *, minimum: float = ..., strict: bool = ...) -> float: ...
@overload
def check_number(
    value: object, name: str, example: str, *, minimum: float = ..., strict: bool = ..., none: str
) -> float | None: ...
def check_number(
    value: object, name: str, example: str, *, minimum: float = 0.0, strict: bool = False, none: str | None = None
) -> float | None:
    """``value`` as a float, if it is a finite real number >= ``minimum`` (> with ``strict``), or None when ``none``
    says what None means; else a :class:`ValueRangeError` whose fix is ``name=example``."""
    if value is None and none is not None:
        return None
    expected = expected_number(value, minimum, strict=strict)
    if expected is not None:
        alternative = "" if none is None else f" or None ({none})"
        raise ValueRangeError(
            f"{name} must be {expected}{alternative}, got {value!r}. Fix: pass e.g. {name}={example}."
        )
    return float(cast(numbers.Real, value))


def check_integer(value: object, name: str, example: str, *, minimum: int = 1) -> int:
    """``value`` as an int, if it is an integer >= ``minimum``; else a :class:`ValueRangeError` whose fix is
    ``name=example``."""
    expected = expected_number(value, minimum, integer=True)
    if expected is not None:
        raise ValueRangeError(f"{name} must be {expected}, got {value!r}. Fix: pass e.g. {name}={example}.")
    return int(cast(numbers.Integral, value))


def check_finite(x: Array, name: str, when: str = "first") -> None:
    """Raise unless every entry of ``x`` is finite: a full scan, for boundaries only (never per step).

    The one NaN/inf check of arrays given to minifw; the fix says to remove or impute the examples ``when``.
    """
    if not np.isfinite(x).all():
        bad = np.argwhere(~np.isfinite(x))
        first = tuple(int(i) for i in bad[0])
        where = f"row {first[0]}, column {first[1]} (example {first[1]})" if len(first) == 2 else f"index {first}"
        message = (
            f"{name} holds {len(bad)} non-finite value(s) (NaN or inf), the first {x[first]} at {where}. "
            f"Fix: remove or impute those examples {when}."
        )
        raise ValueRangeError(message)
