"""check_gradients: every backward gradient against central finite differences of J."""

from collections.abc import Callable

import numpy as np
from attrs import define, field

from ..array import Array
from ..errors import MinifwError, ValueRangeError
from ..io.architecture import flatten, named_parameters
from ..layers.layer import Layer
from ..layers.sequential import Sequential
from ..losses.loss import Loss
from ..number_checks import check_number
from .checks import check_data, check_model_and_loss

DEFAULTS: dict[str, tuple[float, float, float]] = {"float64": (1e-6, 1e-5, 1e-8), "float32": (1e-2, 1e-2, 1e-4)}
"""(step, rtol, atol) by dtype; other float dtypes use the float32 values."""


@define(frozen=True)
class ParameterCheck:
    """The comparison for one parameter (or for the input X).

    Attributes:
        name: ``"W1"``, ``"b1"``, ``"W2"``, ... as the model file names them (the number counts the
            layers with parameters, as in W^[l]), or ``"X"``.
        shape: the parameter's shape.
        max_relative_error: max over entries of |g - ĝ| / max(|g|, |ĝ|, atol/rtol), with g
            from backward and ĝ from central differences.
        max_absolute_error: max over entries of |g - ĝ|.
        worst_index: the entry with the largest error relative to the tolerance.
        analytic: g at ``worst_index``.
        numeric: ĝ at ``worst_index``.
        passed: every entry satisfies |g - ĝ| <= atol + rtol max(|g|, |ĝ|).
    """

    name: str
    shape: tuple[int, ...]
    max_relative_error: float
    max_absolute_error: float
    worst_index: tuple[int, ...]
    analytic: float
    numeric: float
    passed: bool


@define(frozen=True)
class GradientCheckReport:
    """The result of :func:`check_gradients`: one :class:`ParameterCheck` per parameter.

    ``str(report)`` is a table with the worst relative error of every parameter.
    """

    checks: list[ParameterCheck] = field(repr=False)
    step: float
    rtol: float
    atol: float

    @property
    def passed(self) -> bool:
        """True when every parameter passed."""
        return all(check.passed for check in self.checks)

    @property
    def failed(self) -> list[ParameterCheck]:
        """The parameters that failed."""
        return [check for check in self.checks if not check.passed]

    def __str__(self) -> str:
        lines = [
            f"gradient check: central differences, step {self.step:g}, rtol {self.rtol:g}, atol {self.atol:g}",
            f"{'parameter':<10} {'shape':<10} {'max rel. error':>15} {'max abs. error':>15}  result",
        ]
        for c in self.checks:
            lines.append(
                f"{c.name:<10} {c.shape!s:<10} {c.max_relative_error:>15.3e} {c.max_absolute_error:>15.3e}  "
                + ("ok" if c.passed else f"FAIL at {c.worst_index}: backward {c.analytic:.6g}, numeric {c.numeric:.6g}")
            )
        return "\n".join(lines)


class GradientCheckError(MinifwError, RuntimeError):
    """A backward gradient disagrees with central finite differences beyond the tolerance.

    Attributes:
        report: the :class:`minifw.GradientCheckReport` with every parameter's errors.
    """

    def __init__(self, message: str, *, report: GradientCheckReport) -> None:
        super().__init__(message)
        self.report = report


def compare(name: str, g: Array, g_hat: Array, rtol: float, atol: float) -> ParameterCheck:
    """``g`` (from backward) against ``g_hat`` (numeric): passed where |g - ĝ| <= atol + rtol max(|g|, |ĝ|)."""
    g64, g_hat64 = g.astype(np.float64), g_hat.astype(np.float64)
    difference = np.abs(g64 - g_hat64)
    scale = np.maximum(np.abs(g64), np.abs(g_hat64))
    relative = difference / np.maximum(scale, atol / rtol)
    excess = difference / (atol + rtol * scale)
    worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(excess)), excess.shape))
    return ParameterCheck(
        name=name,
        shape=tuple(g.shape),
        max_relative_error=float(relative.max()),
        max_absolute_error=float(difference.max()),
        worst_index=worst,
        analytic=float(g64[worst]),
        numeric=float(g_hat64[worst]),
        passed=bool(np.all(difference <= atol + rtol * scale)),
    )


def central_differences(target: Array, cost: Callable[[], float], step: float) -> Array:
    """ĝ_i = (J(θ + h e_i) - J(θ - h e_i)) / (2h) for every entry i of ``target``, restored after each."""
    numeric = np.zeros(target.shape, dtype=np.float64)
    for index in np.ndindex(target.shape):
        saved = target[index].copy()
        try:
            target[index] = saved + step
            plus, J_plus = float(target[index]), cost()
            target[index] = saved - step
            minus, J_minus = float(target[index]), cost()
        finally:  # also when J cannot be computed, or the check is interrupted
            target[index] = saved
        numeric[index] = (J_plus - J_minus) / (plus - minus)  # the steps actually taken, after rounding
    return numeric


def check_gradients(
    model: Layer,
    loss: Loss,
    X: Array,
    Y: Array,
    *,
    step: float | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    check_input: bool = True,
    raise_on_failure: bool = True,
) -> GradientCheckReport:
    """∂J/∂θ from backward against (J(θ + h) - J(θ - h)) / 2h, for every entry of every parameter.

    Runs one forward and backward on (X, Y) for the analytic gradients g, then, entry by
    entry, two forward passes with the entry moved by ±h for the numeric ĝ. An entry
    passes when |g - ĝ| <= atol + rtol max(|g|, |ĝ|). With ``check_input`` the gradient
    that ``model.backward`` returns, ∂J/∂X, is checked too (as ``"X"``): that is how a
    layer without parameters, such as ``Sigmoid`` or your own activation, gets checked.

    Works for any :class:`Layer` (your own too) and any :class:`Loss`. The cost is two
    forward passes per entry, so use a small batch (a few columns).

    Args:
        model: the layer or network to check.
        loss: the cost J.
        X: a small batch, shape (d0, m).
        Y: its labels, shape (1, m) (whatever ``loss`` expects).
        step: h. Default: 1e-6 for float64, 1e-2 for float32 parameters.
        rtol: relative tolerance. Default: 1e-5 for float64, 1e-2 for float32.
        atol: absolute tolerance. Default: 1e-8 for float64, 1e-4 for float32.
        check_input: also check ∂J/∂X.
        raise_on_failure: raise :class:`minifw.GradientCheckError` if any entry fails.

    Returns:
        A :class:`GradientCheckReport`; ``print(report)`` shows the worst relative error
        per parameter.

    Notes:
        Why these defaults: the central difference has a truncation error of order h²
        and a rounding error of order ε J / h (ε is the machine epsilon). In float64
        (ε ≈ 2e-16) h = 1e-6 balances them near 1e-10. In float32 (ε ≈ 1.2e-7) h = 1e-4
        leaves a rounding error near 1e-3, which is noise; h = 1e-2 with atol = 1e-4
        and rtol = 1e-2 works. The parameters are restored entry by entry, bit for bit,
        also when J raises or the check is interrupted; each ``grad`` holds the analytic
        gradient at (X, Y).

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
        >>> X, Y = np.array([[1.0], [2.0], [3.0]]), np.array([[1.0]])
        >>> mf.check_gradients(model, mf.BinaryCrossEntropy(), X, Y).passed
        True
    """
    check_model_and_loss(model, loss, "check_gradients")
    X_checked, Y_checked = check_data(model, X, Y, "for a gradient check")
    X_checked = X_checked.copy()  # its entries are moved by ±h
    defaults = DEFAULTS.get(X_checked.dtype.name, DEFAULTS["float32"])  # the dtype of the parameters
    h, rtol_, atol_ = (
        default if value is None else check_number(value, name, f"{default:g}", strict=True)
        for name, value, default in zip(("step", "rtol", "atol"), (step, rtol, atol), defaults, strict=True)
    )

    def cost() -> float:
        return loss.forward(model.forward(X_checked), Y_checked)

    J = cost()
    if not np.isfinite(J):
        raise ValueRangeError(f"J is {J} at the current parameters; a gradient check needs a finite J.")
    grad = loss.backward()
    # Sequential skips ∂J/∂X unless asked; every other Layer returns it from backward.
    dX = model.backward(grad, input_grad=True) if isinstance(model, Sequential) else model.backward(grad)
    checks = []
    for name, p in named_parameters(flatten(model)).items():  # forward passes only: each grad keeps g
        checks.append(compare(name, p.grad, central_differences(p.value, cost, h), rtol_, atol_))
    if check_input:
        checks.append(compare("X", dX, central_differences(X_checked, cost, h), rtol_, atol_))
    cost()  # leave the caches at the unperturbed parameters
    report = GradientCheckReport(checks, h, rtol_, atol_)
    if raise_on_failure and not report.passed:
        names = ", ".join(check.name for check in report.failed)
        message = (
            f"backward disagrees with central finite differences for {names}:\n{report}\n"
            "Fix: compare your backward with the derivative of your forward (a missing factor, a transpose, "
            "or a missing 1/m is the usual cause)."
        )
        raise GradientCheckError(message, report=report)
    return report
