"""check_loss: a loss's J and ∂J/∂a held to their definition, with the slip named when one is off."""

import copy
import math
import numbers
import warnings
from collections.abc import Callable

import numpy as np

from ..array import Array
from ..errors import NotALossError, ValueRangeError
from ..layers.sigmoid import Sigmoid
from ..losses.loss import Loss
from ..training.gradient_check import DEFAULTS, central_differences
from ..validation import generator
from .instances import new_instance
from .layer_check import CheckSetupError, build, complete, float64_batch, kind_of, merge
from .report import KIND_NAMES, KINDS, Check, CheckReport
from .slips import Slip, Tolerance, backward_before_forward, find_slip, first_line, guarded, raised, scale_slips

LOSS_KINDS = ("bce",)
LOSS_SHAPES = [(1, 7), (1, 2)]
"""(d, m) of the a and y a loss class is checked at."""
ADVICE = ("where σ saturates", "backward before forward", "result is the caller's")
"""The checks of a loss that are engineering advice: they fail the verdict only with strict=True."""
SATURATED_Z = np.array([[40.0, -800.0, 1.5, -0.5]])
"""z^[2] where σ rounds to 1 and to 0 (with the wrong labels: J is large but finite), and two plain ones."""
SATURATED_Y = np.array([[0.0, 1.0, 1.0, 0.0]])

Definition = Callable[[Array, Array], float]
"""J(a, y) written out, for :func:`check_loss` to compare the loss's ``forward`` with."""


def binary_cross_entropy(a: Array, y: Array) -> float:
    """The slides' J = -(1/m) Σ {y log a + (1 - y) log(1 - a)}, written out (a strictly inside (0, 1))."""
    return float(-np.sum(y * np.log(a) + (1.0 - y) * np.log(1.0 - a)) / a.shape[1])


class LossChecks:
    """The checks of :func:`check_loss`, each on its own copy of the loss."""

    def __init__(
        self,
        loss: Loss,
        a: Array,
        y: Array,
        definition: Definition | None,
        rng: np.random.Generator,
        kind: str | None = None,
        make: Callable[[], object] | None = None,
    ) -> None:
        self.template = copy.deepcopy(loss)
        self.a, self.y, self.m, self.rng = a, y, a.shape[1], rng
        self.kind, self.make = kind, make
        self.definition = binary_cross_entropy if kind == "bce" and definition is None else definition
        self.checks: list[Check] = []
        step, rtol, atol = DEFAULTS["float64"]
        self.step, self.tolerance = step, Tolerance(rtol, atol)
        self.binary = kind == "bce"
        self.blocked = ""

    def add(self, name: str, rule: str, passed: bool, max_error: float | None = None, hint: str = "") -> None:
        """Record one check's result."""
        self.checks.append(Check(name, rule, passed, max_error, hint))

    def fresh(self) -> Loss:
        """A new copy of the loss as given."""
        return copy.deepcopy(self.template)

    def cost_at(self, loss: Loss, a: Array, y: Array) -> float:
        """``loss.forward(a, y)`` on copies, as a float."""
        return float(loss.forward(a.copy(), y.copy()))

    def forward_result(self) -> bool:
        """forward returns J, a finite number, and leaves a and y unchanged."""
        a, y = self.a.copy(), self.y.copy()
        name, rule = "forward returns J", "J is a finite number (a float)"
        try:
            J = self.fresh().forward(a, y)
        except Exception as error:
            self.add(name, rule, False, hint=raised("forward", error))
            return False
        problem = ""
        if isinstance(J, np.ndarray):
            problem = f"forward returned an array of shape {J.shape}; J is one number: return float(...) of it."
        elif isinstance(J, bool) or not isinstance(J, numbers.Real):
            problem = f"forward returned {type(J).__name__}; J is one number (a float)."
        elif not np.isfinite(float(J)):
            problem = f"forward returned J = {J}; J is finite at these a and y (log 0 or a division by 0?)."
        self.add(name, rule, not problem, hint=problem)
        unchanged = bool(np.array_equal(a, self.a) and np.array_equal(y, self.y))
        hint = "" if unchanged else "forward changed a or y in place. Compute into new arrays."
        self.add("a and y unchanged", "forward leaves a and y as they were", unchanged, hint=hint)
        if problem:
            return False
        self.binary = self.binary or self.is_binary_cross_entropy(float(J))
        return True

    def is_binary_cross_entropy(self, J: float) -> bool:
        """Whether the numbers say J is (or is meant to be) the slides' binary cross-entropy at (a, y)."""
        if self.a.min() <= 0.0 or self.a.max() >= 1.0 or self.y.min() < 0.0 or self.y.max() > 1.0:
            return False
        bce = binary_cross_entropy(self.a, self.y)
        try:
            meant = bce if self.definition is None else float(self.definition(self.a.copy(), self.y.copy()))
        except Exception:  # reported by the definition's own check
            meant = math.nan
        return bool(np.isclose(J, bce, rtol=1e-9) or np.isclose(meant, bce, rtol=1e-9))

    def backward_first(self) -> None:
        """backward on a loss that never ran forward raises a clear error (a RuntimeError naming forward)."""
        try:
            made = self.make() if self.make is not None else new_instance(type(self.template), (0, 0))
            loss, given = copy.deepcopy(made) if isinstance(made, Loss) else self.fresh(), not isinstance(made, Loss)
        except Exception:  # a constructor that needs arguments: the one given, which should not have run forward
            loss, given = self.fresh(), True
        self.checks.append(backward_before_forward(loss.backward, "a, y", given))

    def definition_check(self) -> None:
        """J against the definition, at (a, y) and at two more points of probabilities with the same labels."""
        if self.definition is None:
            return
        points = [self.a] + [self.rng.uniform(0.05, 0.95, size=self.a.shape) for _ in range(2)]
        try:
            right = np.array([float(self.definition(a.copy(), self.y.copy())) for a in points])
        except Exception as error:
            self.add(
                "J at three points", "J as defined", False, hint=f"the definition itself raised {first_line(error)}."
            )
            return
        got = np.array([self.cost_at(self.fresh(), a, self.y) for a in points])
        tolerance = Tolerance(rtol=1e-9, atol=1e-12)
        ok = tolerance.close(got, right)
        hint = ""
        if not ok:
            equation = "J = (1/m) Σ L, the mean over the m examples"
            slips = [
                Slip(right * self.m, f"J is m = {self.m} times the definition: {equation}; divide the sum by m."),
                Slip(right / self.m, f"J is 1/m = 1/{self.m} of the definition: one 1/m too many; {equation}."),
                Slip(
                    -right,
                    "J has the wrong sign: J = -(1/m) Σ {y log a + (1 - y) log(1 - a)}, and J >= 0."
                    if self.binary
                    else "J has the wrong sign.",
                ),
            ]
            hint = find_slip(got, right, slips, tolerance) or (
                f"J differs from its definition: {', '.join(f'{g:.6g}' for g in got)} where the definition "
                f"gives {', '.join(f'{r:.6g}' for r in right)}."
            )
        rule = "J = -(1/m) Σ {y log a + (1 - y) log(1 - a)}" if self.binary else "J as defined"
        self.add("J at three points", rule, ok, tolerance.error(got, right), hint)

    def mean_check(self) -> None:
        """The 1/m convention: J is a mean over the examples, so the batch taken twice has the same J."""
        twice_a, twice_y = np.concatenate([self.a, self.a], axis=1), np.concatenate([self.y, self.y], axis=1)
        J, J_twice = self.cost_at(self.fresh(), self.a, self.y), self.cost_at(self.fresh(), twice_a, twice_y)
        ok = bool(np.isclose(J_twice, J, rtol=1e-9, atol=1e-12))
        hint = ""
        if not ok:
            hint = f"J of the batch taken twice is {J_twice:.6g}, not J = {J:.6g}"
            if np.isclose(J_twice, 2 * J, rtol=1e-9):
                hint += ": J is a sum over the examples. Divide it by m: J = (1/m) Σ L."
            else:
                hint += ": J is not a mean over the m examples (J = (1/m) Σ L)."
        error = abs(J_twice - J) / max(abs(J), 1e-300)
        self.add("1/m convention", "J = (1/m) Σ L, the mean over the m columns", ok, error, hint)

    def reference_gradient(self, a: Array, cost: Callable[[], float]) -> Array:
        """∂J/∂a to hold backward to: for binary cross-entropy the slides' closed form; else central differences.

        Binary cross-entropy is ``kind="bce"``, or a J that equals the slides' at (a, y): near a = 0 or 1
        (a = 1 - 1e-13) no step of central differences fits inside (0, 1) and is larger than a's rounding.
        Elsewhere, near 0 and 1 the steps shrink to stay inside (0, 1), where a loss of probabilities is defined.
        """
        if self.binary:
            closed: Array = (-self.y / self.a + (1.0 - self.y) / (1.0 - self.a)) / self.m
            return closed
        if not (a.min() > 0.0 and a.max() < 1.0):
            return central_differences(a, cost, self.step)
        steps = np.minimum(self.step, 0.5 * np.minimum(a, 1.0 - a))
        numeric = np.zeros(a.shape, dtype=np.float64)
        for index in np.ndindex(a.shape):
            saved = a[index].copy()
            a[index] = saved + steps[index]
            plus, J_plus = float(a[index]), cost()
            a[index] = saved - steps[index]
            minus, J_minus = float(a[index]), cost()
            a[index] = saved
            numeric[index] = (J_plus - J_minus) / (plus - minus)
        return numeric

    def gradient_check(self) -> bool:
        """∂J/∂a from backward against central differences of forward; True when backward ran."""
        a, y = self.a.copy(), self.y.copy()
        numeric_loss = self.fresh()

        def cost() -> float:
            return float(numeric_loss.forward(a, y))

        right = self.reference_gradient(a, cost)
        loss = self.fresh()
        loss.forward(self.a.copy(), self.y.copy())
        equation = "∂J/∂a = (1/m) {-y/a + (1 - y)/(1 - a)}" if self.binary else "∂J/∂a = derivative of J"
        try:
            g = np.array(loss.backward(), dtype=np.float64)
        except Exception as error:
            self.add("∂J/∂a", equation, False, hint=raised("backward", error))
            return False
        if g.shape != right.shape:
            hint = f"backward returned shape {g.shape}; ∂J/∂a has the shape of a, {right.shape}."
            self.add("∂J/∂a", equation, False, hint=hint)
            return False
        ok = self.tolerance.close(g, right)
        hint = ""
        if not ok:
            slips = []
            if self.binary:
                slips.append(
                    Slip(
                        (self.a - self.y) / self.m,
                        "backward returned (a - y)/m, which is ∂J/∂z^[2], not ∂J/∂a: the Sigmoid's backward "
                        "multiplies by a(1 - a) again. Return ∂J/∂a = (1/m) {-y/a + (1 - y)/(1 - a)}.",
                    )
                )
            slips += scale_slips(right, "∂J/∂a", equation, self.m, "")
            hint = find_slip(g, right, slips, self.tolerance) or (
                f"backward disagrees with central differences of forward {self.tolerance.worst(g, right)}."
            )
        self.add("∂J/∂a", equation, ok, self.tolerance.error(g, right), hint)
        return True

    def cache_checks(self) -> None:
        """Backward follows the last forward, repeats, and is not changed by the caller writing into its result."""
        other_a = self.rng.uniform(0.05, 0.95, size=self.a.shape)
        other_y = self.y[:, ::-1].copy()
        reference = self.fresh()
        reference.forward(other_a.copy(), other_y.copy())
        right = np.array(reference.backward(), dtype=np.float64)
        loss = self.fresh()
        loss.forward(self.a.copy(), self.y.copy())
        first = np.array(loss.backward(), dtype=np.float64)
        loss.forward(other_a.copy(), other_y.copy())
        got = np.array(loss.backward(), dtype=np.float64)
        stale = not self.tolerance.close(got, right)
        hint = ""
        if stale:
            hint = (
                "after forward(a1, y1), forward(a2, y2), backward gave ∂J/∂a of (a1, y1): the cache kept an "
                "earlier batch. Cache a and y in every forward, not only the first."
                if self.tolerance.close(got, first)
                else "after forward(a1, y1), forward(a2, y2), backward gave a gradient that is not that of (a2, y2)."
            )
        self.add("cache follows forward", "backward uses the last forward's batch", not stale, hint=hint)
        loss = self.fresh()
        loss.forward(self.a.copy(), self.y.copy())
        returned = loss.backward()
        kept = np.array(returned, dtype=np.float64)
        if isinstance(returned, np.ndarray) and returned.flags.writeable:
            returned[...] = 1e6
        again = np.array(loss.backward(), dtype=np.float64)
        ok = self.tolerance.close(again, kept)
        hint = (
            ""
            if ok
            else "a second backward gave another ∂J/∂a after the caller wrote into the first: backward returned "
            "its cache (or changed it in place). Return a new array."
        )
        self.add("result is the caller's", "writing into it changes no later backward", ok, hint=hint)

    def saturation_check(self) -> None:
        """Advice for a BCE: J and ∂J/∂z^[2] through mf.Sigmoid stay finite where σ rounds to 0 or 1."""
        if self.kind != "bce":
            return
        z, y = SATURATED_Z, SATURATED_Y
        name, rule = "where σ saturates", "J and ∂J/∂z^[2] finite where σ(z^[2]) rounds to 1 or 0"
        problem = ""
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")  # log 0 and 0 * inf in the code checked: what this check finds
            sigmoid, loss = Sigmoid(), self.fresh()
            try:
                J = float(loss.forward(sigmoid.forward(z.copy()), y.copy()))
                dz = np.array(sigmoid.backward(loss.backward()), dtype=np.float64)
            except Exception as error:
                problem = f"{raised('forward or backward', error)} at z^[2] = {z.tolist()[0]}, y = {y.tolist()[0]}."
                J, dz = math.nan, np.zeros(z.shape)
        fix = (
            "The slides' math is right; in training, once σ saturates on a wrong label, the steps become NaN. "
            "Fix: compute J from z^[2] (mf.BinaryCrossEntropy does, given mf.Sigmoid's output) or clip a, "
            "np.clip(a, 1e-12, 1 - 1e-12)."
        )
        if not problem and not math.isfinite(J):
            problem = (
                f"J = {J} where σ saturates: at z^[2] = 40, a^[2] = σ(z^[2]) rounds to 1.0, and with y = 0, "
                f"log(1 - a) = log 0. {fix}"
            )
        elif not problem and not np.isfinite(dz).all():
            problem = (
                "∂J/∂z^[2] through mf.Sigmoid is not finite where σ saturates: ∂J/∂a = (1 - y)/(1 - a) = 1/0 at "
                f"a^[2] = 1.0, times a(1 - a) = 0. {fix}"
            )
        elif problem:
            problem += f" {fix}"
        self.add(name, rule, not problem, hint=problem)

    def rules(self) -> list[tuple[str, str]]:
        """Every check, in order, with its rule: the same for every loss of a kind."""
        rules = [
            ("forward returns J", "J is a finite number (a float)"),
            ("a and y unchanged", "forward leaves a and y as they were"),
        ]
        if self.definition is not None:
            rules.append(("J at three points", KINDS["bce"] if self.binary else "J as defined"))
        gradient = "∂J/∂a = (1/m) {-y/a + (1 - y)/(1 - a)}" if self.binary else "∂J/∂a = derivative of J"
        rules += [
            ("1/m convention", "J = (1/m) Σ L, the mean over the m columns"),
            ("∂J/∂a", gradient),
            ("cache follows forward", "backward uses the last forward's batch"),
        ]
        if self.binary:
            rules.append(("with Sigmoid", "∂J/∂z^[2] = (a^[2] - y)/m through mf.Sigmoid"))
        if self.kind == "bce":
            rules.append(("where σ saturates", "J and ∂J/∂z^[2] finite where σ(z^[2]) rounds to 1 or 0"))
        return [
            *rules,
            ("backward before forward", "a RuntimeError that says to call forward first"),
            ("result is the caller's", "writing into it changes no later backward"),
        ]

    def run(self) -> list[Check]:
        """Every check, in the order of :meth:`rules`; one that could not run failed, and says why."""
        if guarded(self.checks, ("forward returns J", "a and y unchanged"), self.forward_result):
            self.backward_first()
            guarded(self.checks, ("J at three points",), self.definition_check)
            guarded(self.checks, ("1/m convention",), self.mean_check)
            if guarded(self.checks, ("∂J/∂a",), self.gradient_check):
                guarded(self.checks, ("cache follows forward", "result is the caller's"), self.cache_checks)
                guarded(self.checks, ("with Sigmoid",), self.sigmoid_check)
            else:
                self.blocked = "needs a backward that runs (see '∂J/∂a')"
            self.saturation_check()
        else:
            self.backward_first()
            self.blocked = "needs a forward that works (see 'forward returns J')"
        return complete(self.checks, self.rules(), ADVICE, {}, self.blocked)

    def sigmoid_check(self) -> None:
        """Paired with a Sigmoid, the gradient reaching z^[2] is the slides' a^[2] - y (with the 1/m)."""
        if not self.binary:
            return
        z = np.log(self.a) - np.log1p(-self.a)  # the z^[2] with σ(z^[2]) = a
        sigmoid, loss = Sigmoid(), self.fresh()
        a = sigmoid.forward(z)
        loss.forward(a, self.y.copy())
        rule = "∂J/∂z^[2] = (a^[2] - y)/m through mf.Sigmoid"
        try:
            dz = np.array(sigmoid.backward(loss.backward()), dtype=np.float64)
        except Exception as error:
            self.add("with Sigmoid", rule, False, hint=raised("backward through mf.Sigmoid", error))
            return
        right = (np.asarray(a, dtype=np.float64) - self.y) / self.m
        tolerance = Tolerance(rtol=1e-9, atol=1e-15)
        ok = tolerance.close(dz, right)
        hint = ""
        if not ok:
            slips = [
                Slip(
                    right * self.m,
                    f"∂J/∂z^[2] is a^[2] - y without the 1/m: a 1/m is missing in ∂J/∂a (m = {self.m}).",
                ),
                Slip(right / self.m, "∂J/∂z^[2] is (a^[2] - y)/m²: one 1/m too many in ∂J/∂a."),
                Slip(-right, "∂J/∂z^[2] is (y - a^[2])/m: ∂J/∂a has the wrong sign."),
                Slip(
                    right * np.asarray(a) * (1.0 - np.asarray(a)),
                    "∂J/∂z^[2] is (a^[2] - y)/m ⊙ a^[2](1 - a^[2]): the loss returned ∂J/∂z^[2] where ∂J/∂a belongs, "
                    "and the Sigmoid multiplied by its D again.",
                ),
            ]
            hint = find_slip(dz, right, slips, tolerance) or (
                f"the gradient reaching z^[2] is not (a^[2] - y)/m {tolerance.worst(dz, right)}."
            )
        self.add("with Sigmoid", rule, ok, tolerance.error(dz, right), hint)


def check_loss(
    loss: Loss | Callable[..., Loss],
    a: Array | None = None,
    y: Array | None = None,
    *,
    kind: str | None = None,
    definition: Definition | None = None,
    strict: bool = False,
    rng: np.random.Generator | int | None = None,
) -> CheckReport:
    """J and ∂J/∂a of ``loss`` held to their definition; each failure names the equation and the likely slip.

    Checks, on predictions ``a`` and labels ``y`` (each check on a fresh copy of ``loss``), the
    same checks in the same order for every loss of a kind:

    - ``forward`` returns J, a finite number, and leaves ``a`` and ``y`` unchanged;
    - J against ``definition`` (for ``kind="bce"``, the slides' J) at (a, y) and two more points
      with the same labels;
    - the 1/m convention: J is the mean over the m columns (the batch taken twice has the same J);
    - ∂J/∂a: for ``kind="bce"`` the slides' (1/m) {-y/a + (1 - y)/(1 - a)}; else central
      differences of ``forward`` (float64, with steps that stay inside (0, 1) near its ends);
    - the cache follows forward: a ``forward`` on another batch in between gives that batch's ∂J/∂a;
    - for binary cross-entropy (``kind="bce"``, or recognised from its numbers: J, or
      ``definition``, equals the slides' J at (a, y)), paired with :class:`minifw.Sigmoid`: the
      gradient reaching z^[2] is the slides' a^[2] − y, divided by m, to float64 rounding;
    - advice (fails only with ``strict=True``): for ``kind="bce"``, J and ∂J/∂z^[2] stay finite
      where σ saturates (a^[2] rounds to 1 or 0: a ``np.log(a)`` without care gives J = inf there);
      ``backward`` before ``forward`` raises a clear error; writing into the array ``backward``
      returned changes no later ``backward``.

    A failure's hint names the likely slip, found from the numbers: a missing or doubled 1/m,
    a sign error, ∂J/∂z returned where ∂J/∂a belongs.

    Args:
        loss: the loss to check: an instance of a :class:`minifw.Loss` (checked on ``a`` and
            ``y``), or a class or function that makes one with no arguments (checked on batches
            of its own with m = 7 and m = 2).
        a: for an instance, predictions, shape (d, m), m >= 2; for a loss of probabilities,
            strictly inside (0, 1).
        y: labels, the shape of ``a``.
        kind: ``"bce"``: the slides' binary cross-entropy, whatever the class's name. By default
            the class's own ``kind`` attribute, or that of minifw's ``BinaryCrossEntropy``.
        definition: J(a, y) written out, e.g. ``lambda a, y: float(np.sum((a - y) ** 2)) / (2 * a.shape[1])``.
        strict: whether engineering advice fails the report too.
        rng: the ``numpy.random.Generator`` (or int seed) of the extra points.

    Returns:
        A :class:`minifw.CheckReport`; ``print(report)`` for the lines with their hints.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> a, y = np.array([[0.2, 0.7, 0.9]]), np.array([[0.0, 1.0, 1.0]])
        >>> mf.check_loss(mf.BinaryCrossEntropy(), a, y, rng=0).ok
        True
    """
    random = generator(rng, "check_loss rng", "rng", ValueRangeError)
    if isinstance(loss, Loss):
        chosen = kind_of(loss, kind, LOSS_KINDS)
        if a is None or y is None:
            message = (
                f"check_loss({loss!r}) needs a and y, the batch to check it on. Fix: pass both, or the class, "
                f"check_loss({type(loss).__name__}), to check it on batches of its own"
            )
            raise CheckSetupError(message)
        a_checked = float64_batch(a, "a")
        y_checked = float64_batch(y, "y", a_checked.shape)
        if chosen == "bce" and not (a_checked.min() > 0.0 and a_checked.max() < 1.0):
            message = "a holds probabilities strictly inside (0, 1) for kind='bce'. Fix: pass a = σ(z) for finite z"
            raise ValueRangeError(message)
        checks = LossChecks(loss, a_checked, y_checked, definition, random, chosen).run()
        as_kind = f" as the slides' {KIND_NAMES[chosen]} ({KINDS[chosen]})" if chosen else ""
        subject = f"check_loss: {loss!r}{as_kind} on a and y of shape {a_checked.shape}"
        return CheckReport(subject, checks, kind=chosen, strict=strict)
    if not callable(loss) or (isinstance(loss, type) and not issubclass(loss, Loss)):
        shown = loss if isinstance(loss, type) else type(loss).__name__
        message = (
            f"check_loss takes a minifw Loss, got {shown}. "
            "Fix: pass an instance of your loss class, e.g. check_loss(MyLoss(), a, y), or the class."
        )
        raise NotALossError(message)
    chosen = kind_of(loss, kind, LOSS_KINDS)
    if a is not None or y is not None:
        raise CheckSetupError(
            "a and y are for a loss instance; a class is checked on batches of its own. Fix: drop them"
        )
    runs = []
    for d, m in LOSS_SHAPES:
        make = build(loss, (0, 0), Loss)
        a_at: Array = random.uniform(0.1, 0.9, size=(d, m))
        y_at: Array = (random.uniform(size=(d, m)) < 0.5).astype(np.float64)
        y_at[0, :2] = [1.0, 0.0]  # both labels
        at_shape = LossChecks(make(), a_at, y_at, definition, random, chosen, make)
        runs.append((f"a ({d}, {m})", at_shape.run()))
    name = getattr(loss, "__name__", repr(loss))
    as_kind = f" as the slides' {KIND_NAMES[chosen]} ({KINDS[chosen]})" if chosen else ""
    subject = f"check_loss: {name}{as_kind} at {len(runs)} shapes: {'; '.join(label for label, _ in runs)}"
    return CheckReport(subject, merge(runs), kind=chosen, strict=strict)
