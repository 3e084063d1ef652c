"""The likely slips behind a wrong value: each one computed from the numbers and tried in turn.

A slip is a wrong value that a known mistake would produce (the right gradient with its sign
flipped, divided by m, transposed, ...), computed from the right value and the arrays at hand.
When what the code returned matches one of them, and not the right value, the hint names it.
"""

import re
from collections.abc import Callable, Sequence

import numpy as np
from attrs import define

from ..array import Array
from ..errors import one_line
from ..training.gradient_check import compare
from .report import Check


@define(frozen=True)
class Slip:
    """A wrong value a known mistake gives, and the hint that names the mistake."""

    value: Array
    hint: str


@define(frozen=True)
class Tolerance:
    """|g - ĝ| <= atol + rtol max(|g|, |ĝ|), entry by entry (as :func:`minifw.check_gradients`)."""

    rtol: float
    atol: float

    def close(self, g: object, g_hat: Array) -> bool:
        """Whether ``g`` has the shape of ``g_hat`` and agrees with it entry by entry (NaN never agrees)."""
        if not isinstance(g, np.ndarray) or g.shape != g_hat.shape or g.dtype.kind not in "fiub":
            return False
        return compare("", g.astype(np.float64), g_hat.astype(np.float64), self.rtol, self.atol).passed

    def error(self, g: Array, g_hat: Array) -> float:
        """The largest relative error |g - ĝ| / max(|g|, |ĝ|, atol/rtol) over the entries."""
        return compare("", g.astype(np.float64), g_hat.astype(np.float64), self.rtol, self.atol).max_relative_error

    def worst(self, g: Array, g_hat: Array) -> str:
        """Where ``g`` and ``g_hat`` disagree most, as ``at (i, j): g, expected ĝ``."""
        check = compare("", g.astype(np.float64), g_hat.astype(np.float64), self.rtol, self.atol)
        return f"at {check.worst_index}: {check.analytic:.6g}, expected {check.numeric:.6g}"


def find_slip(g: Array, right: Array, slips: Sequence[Slip], tolerance: Tolerance) -> str | None:
    """The hint of the first slip whose value ``g`` matches, skipping slips that equal the right value here."""
    for slip in slips:
        if (
            slip.value.shape == right.shape
            and tolerance.close(g, slip.value)
            and not tolerance.close(right, slip.value)
        ):
            return slip.hint
    return None


def scale_slips(right: Array, name: str, equation: str, m: int, carrier: str) -> list[Slip]:
    """The slips any gradient can have: a wrong sign, a 1/m too many or too few, a transpose, never set.

    ``carrier`` names what already carries the 1/m of J (``dz`` for a layer, nothing for a loss).
    """
    slips = [
        Slip(
            -right,
            f"{name} has the wrong sign; the slide: {equation}. The minus belongs to the update "
            "θ ← θ − α ∂J/∂θ, not to the gradient.",
        ),
        Slip(
            right / m,
            f"{name} is 1/m = 1/{m} of the right value: one 1/m too many. "
            + (
                f"The 1/m of J is already in {carrier} (the loss's ∂J/∂a carries it), so {equation} has no 1/m "
                "of its own."
                if carrier
                else f"J = (1/m) Σ L has one 1/m, and so has {name}: divide by m once."
            ),
        ),
        Slip(
            right * m,
            f"{name} is m = {m} times the right value: "
            + (
                f"a 1/m is missing. J = (1/m) Σ L is a mean over the m examples, so {name} carries its 1/m."
                if not carrier
                else f"a factor m too many; {equation}."
            ),
        ),
        Slip(np.zeros_like(right), f"{name} is zero everywhere: backward never set it. The slide: {equation}."),
    ]
    if right.ndim == 2 and right.shape[0] == right.shape[1]:
        slips.append(
            Slip(
                right.T,
                f"{name} is the transpose of the right one; the slide: {equation}, with shape {right.shape}.",
            )
        )
    return slips


SHAPE = re.compile(r"\((\d+),\s*(\d+)\)")


def shapes_in(message: str) -> set[tuple[int, int]]:
    """The 2-D shapes written in an error message, such as NumPy's ``from shape (3,4) into shape (4,3)``."""
    return {(int(rows), int(columns)) for rows, columns in SHAPE.findall(message)}


def first_line(error: BaseException) -> str:
    """``TypeName: message`` on one line, without a final period (the hint adds its own punctuation)."""
    text = one_line(error).rstrip(".")
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class NotAnArrayError(TypeError):
    """forward or backward returned something that is not an array; the message says what."""


def raised(what: str, error: BaseException) -> str:
    """The hint for code that raised: what raised, and the fix for a skeleton's NotImplementedError."""
    if isinstance(error, NotAnArrayError):
        return str(error)
    if isinstance(error, NotImplementedError):
        return f"{what} is not written yet ({first_line(error)}). Implement it."
    return f"{what} raised {first_line(error)}."


def backward_before_forward(call: Callable[[], object], argument: str, given: bool) -> Check:
    """Whether ``call()``, a backward with nothing cached, raises a clear error: a RuntimeError that names forward.

    ``given``: the backward is that of a copy of the object given, not of a new one, which may have run forward.
    """
    name, rule = "backward before forward", "a RuntimeError that says to call forward first"
    ran = " (or the one given had run forward already: pass one that has not)" if given else ""
    fix = (
        f'raise mf.StateError("... backward() was called before forward(). Fix: call forward({argument}) first.") '
        f"when the cache is empty (mf.StateError is a RuntimeError){ran}."
    )
    try:
        call()
    except NotImplementedError as error:  # a RuntimeError, but no answer
        return Check(name, rule, False, hint=raised("backward", error))
    except RuntimeError as error:
        if "forward" in str(error):
            return Check(name, rule, True)
        return Check(
            name, rule, False, hint=f"backward raised {first_line(error)}, which does not say to call forward. {fix}"
        )
    except Exception as error:
        return Check(name, rule, False, hint=f"backward raised {first_line(error)}: not a clear error. {fix}")
    return Check(name, rule, False, hint=f"backward returned a value with nothing cached. {fix}")


def guarded(checks: list[Check], names: Sequence[str], step: Callable[[], object]) -> object:
    """``step()``; if the code under check raises, each check of ``names`` not yet recorded fails with the error.

    Returns what ``step`` returns, or None when it raised.
    """
    done = len(checks)
    try:
        return step()
    except Exception as error:
        recorded = {check.name for check in checks[done:]}
        hint = raised("a later call of forward or backward", error) + (
            " The checks call them several times: backward again, and forward on another batch."
        )
        checks += [Check(name, "could not run to the end", False, hint=hint) for name in names if name not in recorded]
        return None
