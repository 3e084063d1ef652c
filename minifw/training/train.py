"""train: the slides' (batch) gradient descent algorithm, Steps 2 to 4, until convergence."""

import math
import numbers
import warnings
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
from attrs import define, field

from ..array import Array
from ..data.standardizer import Standardizer
from ..errors import (
    ArchitectureError,
    ConvergenceWarning,
    DivergenceError,
    DTypeError,
    LearnedNothingWarning,
    ShapeError,
    ValueRangeError,
)
from ..layers.dense import Dense
from ..layers.layer import Layer
from ..layers.parameter import Parameter
from ..layers.sequential import Sequential
from ..losses.binary_cross_entropy import BinaryCrossEntropy
from ..losses.loss import Loss
from ..optim.gradient_descent import GradientDescent
from ..validation import check_batch, check_in_unit_interval
from .checks import check_model_and_loss, warn_about_features
from .progress import progress_bar
from .verdict import TrainingRun, judge, verdict_message

StopReason = Literal["tol", "gradient_tol", "max_epochs", "callback"]
"""Why training stopped: J stopped improving, the gradient vanished, the epoch limit, a callback."""


@define(frozen=True, eq=False)
class Epoch:
    """What a callback sees after each epoch (the update of that epoch is already applied).

    Attributes:
        epoch: the epoch number t, counted from 1.
        J: the cost J(θ^(t-1)) computed in this epoch, before its update.
        gradient_norm: ‖∇J(θ^(t-1))‖, the Euclidean norm of all gradients together.
        model: the model being trained (it now holds θ^(t)).
        J_history: J of every epoch so far (read it, do not change it).
    """

    epoch: int
    J: float
    gradient_norm: float
    model: Layer
    J_history: Sequence[float]


Callback = Callable[[Epoch], bool | None]
"""A function called after each epoch; return True to stop training (anything else continues)."""


@define(frozen=True, eq=False)
class History:
    """What :func:`train` did: J per epoch, the gradient norms, how many epochs, why it stopped.

    Attributes:
        J: J at the start of each epoch, i.e. J(θ^(0)), J(θ^(1)), ... (one float per epoch).
        gradient_norms: ‖∇J‖ at the same parameters as ``J``.
        stop_reason: ``"tol"`` (J stopped improving), ``"gradient_tol"`` (the gradient
            norm fell below its tolerance), ``"callback"`` (a callback returned True) or
            ``"max_epochs"`` (the limit was reached).
        message: the reason in words, e.g. for the command line.
        learning_rate: α.
    """

    J: list[float] = field(repr=False)
    gradient_norms: list[float] = field(repr=False)
    stop_reason: StopReason
    message: str = field(repr=False)
    learning_rate: float

    @property
    def epochs(self) -> int:
        """The number of epochs run (updates applied)."""
        return len(self.J)

    @property
    def converged(self) -> bool:
        """True when a convergence rule (``tol`` or ``gradient_tol``) stopped training and J did not rise.

        A run whose J ended above where it started has not converged, whatever stopped it:
        with too large a learning rate J can settle high (α = 1e300 takes J from 0.7 to 4e299).
        """
        return self.stop_reason in ("tol", "gradient_tol") and bool(self.J) and self.J[-1] <= self.J[0]

    def __repr__(self) -> str:
        last = f", J {self.J[0]:.6g} -> {self.J[-1]:.6g}" if self.J else ""
        return f"History(epochs={self.epochs}, stop_reason={self.stop_reason!r}{last})"


def _check_int(value: object, name: str, example: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 1:
        message = f"{name} must be a positive integer, got {value!r}. Fix: pass e.g. {name}={example}."
        raise ValueRangeError(message)
    return int(value)


def _check_tolerance(value: object, name: str, example: str) -> float | None:
    if value is None:
        return None
    number = float(value) if isinstance(value, numbers.Real) and not isinstance(value, bool) else math.nan
    if not (math.isfinite(number) and number >= 0):
        message = f"{name} must be a finite number >= 0 or None (off), got {value!r}. Fix: pass e.g. {name}={example}."
        raise ValueRangeError(message)
    return number


def _check_finite(x: Array, name: str) -> None:
    """The full NaN/inf scan, done once at the training boundary (never per step)."""
    finite = np.isfinite(x)
    if not finite.all():
        bad = np.argwhere(~finite)
        row, column = (int(i) for i in bad[0])
        message = (
            f"{name} holds {len(bad)} non-finite value(s) (NaN or inf), the first {x[row, column]} at row {row}, "
            f"column {column} (example {column}). Fix: remove or impute those examples before training."
        )
        raise ValueRangeError(message)


def _inputs(model: Layer, otherwise: int) -> int:
    """d0, the number of features the model takes: its first Dense's ``in_features`` (else ``otherwise``)."""
    first = model.layers[0] if isinstance(model, Sequential) else model
    return first.in_features if isinstance(first, Dense) else otherwise


def _check_data(model: Layer, X: Array, Y: Array) -> tuple[Array, Array]:
    params = model.parameters()
    dtype = params[0].value.dtype if params else np.dtype(np.float64)
    X_checked = check_batch(X, "X", None, dtype)
    Y_checked = check_batch(Y, "Y", None, dtype)
    m = X_checked.shape[1]
    if Y_checked.shape[1] != m:
        if Y_checked.shape[0] == m:
            hint = "Y looks transposed (one row per example): pass Y.T, so Y has shape (1, m)"
        elif X_checked.shape[0] == Y_checked.shape[1] and X_checked.shape[1] == _inputs(model, X_checked.shape[0]):
            hint = "X looks transposed (one row per example): pass X.T, so X has shape (d0, m)"
        else:
            hint = "give one label column per example of X"
        message = f"X has m = {m} examples (columns) but Y has shape {Y_checked.shape}. Fix: {hint}."
        raise ShapeError(message)
    _check_finite(X_checked, "X")
    _check_finite(Y_checked, "Y")
    return X_checked, Y_checked


def _gradient_norm(params: list[Parameter]) -> float:
    return math.sqrt(sum(float(np.vdot(p.grad, p.grad)) for p in params))


def _first_non_finite(params: list[Parameter], what: Literal["value", "grad"]) -> str | None:
    counts: dict[str, int] = {}
    for p in params:
        name = p.name or "parameter"
        counts[name] = counts.get(name, 0) + 1
        if not np.isfinite(getattr(p, what)).all():
            return f"{name}{counts[name]}"
    return None


def _attributes(model: Layer, loss: Loss) -> list[tuple[object, dict[str, object]]]:
    """Each layer's and the loss's attributes (references, not copies: forward rebinds its caches)."""
    objects: list[object] = [loss]
    stack: list[Layer] = [model]
    while stack:
        layer = stack.pop()
        objects.append(layer)
        stack.extend(getattr(layer, "layers", ()))
    return [(obj, dict(vars(obj))) for obj in objects if hasattr(obj, "__dict__")]


def _restore(attributes: list[tuple[object, dict[str, object]]]) -> None:
    for obj, saved in attributes:
        current = vars(obj)
        current.clear()
        current.update(saved)


def train(
    model: Layer,
    loss: Loss,
    X: Array,
    Y: Array,
    *,
    learning_rate: float = 1.2,
    max_epochs: int = 10_000,
    tol: float | None = 1e-6,
    n_iter_no_change: int = 10,
    gradient_tol: float | None = None,
    callbacks: Sequence[Callback] = (),
    progress: bool = False,
) -> History:
    """Full-batch gradient descent, θ^(t+1) = θ^(t) - α ∇J(θ^(t)), until a stopping rule holds.

    Each epoch is the slides' Steps 2 and 3 on the whole batch: forward propagation gives
    J(θ^(t)), backpropagation ∇J(θ^(t)), then every parameter is updated in place. Step 4
    ("go back to Step 2 until convergence") stops at the first of these rules:

    - ``tol``: J has not fallen below (best J so far) - ``tol`` for ``n_iter_no_change``
      epochs in a row (scikit-learn's rule); ``tol=None`` turns it off.
    - ``gradient_tol``: ‖∇J(θ^(t))‖ <= ``gradient_tol`` (off by default).
    - a callback returns True.
    - ``max_epochs`` epochs have run. If a convergence rule was on, this warns with
      :class:`minifw.ConvergenceWarning` (raise ``max_epochs`` or the learning rate).

    With :class:`minifw.BinaryCrossEntropy`, when training ran its course (a convergence rule
    was on and no callback stopped it), the trained model is then judged on the training
    data: if its accuracy is no better than always predicting the majority class, or J is not
    below the cost of predicting the class ratio, it learned nothing, and this warns with
    :class:`minifw.LearnedNothingWarning`, naming the likely causes (features on large scales:
    add a fitted :class:`minifw.Standardizer` as the first layer; an identifier column; too few
    epochs; the learning rate). An accuracy above the majority's by no more than chance (two
    standard errors) counts as no better when J is not below that cost either.

    Args:
        model: the network, e.g. ``Sequential(Dense(3, 4), Sigmoid(), Dense(4, 1), Sigmoid())``.
        loss: the cost, e.g. ``BinaryCrossEntropy()``.
        X: the training batch, shape (d0, m), finite.
        Y: the labels, shape (1, m), finite (0 or 1 for ``BinaryCrossEntropy``).
        learning_rate: α > 0.
        max_epochs: the most epochs (updates) to run, >= 1.
        tol: the least improvement of J that counts, >= 0, or None.
        n_iter_no_change: how many epochs in a row without such an improvement stop training.
        gradient_tol: stop once the gradient norm is at most this, or None.
        callbacks: functions called after each epoch with an :class:`Epoch`; return True to stop.
        progress: draw a progress bar (epoch, J) on stderr; needs ``pip install "minifw[progress]"``.

    Returns:
        A :class:`History`: J per epoch, gradient norms, epochs run, stop reason.

    Raises:
        minifw.DivergenceError: J, a gradient or a parameter became NaN or inf (usually a
            learning rate that is too large). The error names the epoch; the model is left
            at the last parameters where J and the gradients were finite (those of
            ``error.history.J[-1]``, or the initial ones), never at NaN.
        ValueError, TypeError: bad inputs (shapes, NaN in X or Y, hyper-parameters); the
            model is then untouched.

    Notes:
        X and Y are scanned for NaN and inf once, here; the per-epoch work is only
        forward, backward, a few O(parameters) finiteness checks and the update.
        NumPy's floating-point warnings are silenced inside the loop because a
        non-finite value is reported as a ``DivergenceError`` instead.

    Examples:
        >>> import minifw as mf
        >>> X, Y = mf.make_xor(200, noise=0.1, seed=0)
        >>> model = mf.Sequential(mf.Dense(2, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
        >>> history = mf.train(model, mf.BinaryCrossEntropy(), X, Y, learning_rate=2.0, max_epochs=5000)
        >>> history.stop_reason, mf.accuracy(Y, mf.predict(model, X))
        ('tol', 1.0)
    """
    check_model_and_loss(model, loss, "train")
    params = model.parameters()
    if not params:
        message = f"{model!r} has no parameters: there is nothing to train. Fix: include a Dense layer."
        raise ArchitectureError(message)
    optimizer = GradientDescent(params, learning_rate)
    max_epochs = _check_int(max_epochs, "max_epochs", "10000")
    n_iter_no_change = _check_int(n_iter_no_change, "n_iter_no_change", "10")
    tol = _check_tolerance(tol, "tol", "1e-6")
    gradient_tol = _check_tolerance(gradient_tol, "gradient_tol", "1e-5")
    callbacks = list(callbacks)
    for index, callback in enumerate(callbacks):
        if not callable(callback):
            message = (
                f"callbacks[{index}] must be callable (a function taking an mf.Epoch), got {callback!r}. "
                "Fix: pass functions, e.g. callbacks=[lambda epoch: epoch.J < 0.1]."
            )
            raise DTypeError(message)
    X, Y = _check_data(model, X, Y)
    first = model.layers[0] if isinstance(model, Sequential) else model
    standardized = isinstance(first, Standardizer)  # then the first Dense sees standardized features
    findings = warn_about_features(X, scales=not standardized)
    if isinstance(loss, BinaryCrossEntropy):  # before any forward, so that a failure leaves the caches alone
        check_in_unit_interval(Y, "Y", "labels")

    J_history: list[float] = []
    norms: list[float] = []
    values = [p.value.copy() for p in params]  # θ at J_history[-1] (or the initial θ)
    grads = [p.grad.copy() for p in params]
    best = math.inf
    no_improvement = 0
    reason: StopReason = "max_epochs"
    message = f"reached max_epochs={max_epochs}"

    def diverge(epoch: int, what: str) -> DivergenceError:
        for p, value, grad in zip(params, values, grads, strict=True):
            np.copyto(p.value, value)
            np.copyto(p.grad, grad)
        if J_history:
            at = f"those at the start of epoch {len(J_history)} (J = {J_history[-1]:.6g})"
        else:
            at = "their initial values"
        text = (
            f"training diverged at epoch {epoch}: {what}. The parameters were restored to {at}. "
            f"Fix: lower the learning rate (now {optimizer.learning_rate:g}), e.g. to {optimizer.learning_rate / 10:g}."
        )
        history = History(J_history, norms, "max_epochs", text, optimizer.learning_rate)
        return DivergenceError(text, epoch=epoch, history=history)

    quiet = np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore")
    before = _attributes(model, loss)
    with quiet, progress_bar(max_epochs, progress) as show_progress:
        for epoch in range(1, max_epochs + 1):
            try:
                J = loss.forward(model.forward(X), Y)  # Step 2: forward propagation ...
                if not math.isfinite(J):
                    raise diverge(epoch, f"J is {J}")
                model.backward(loss.backward())  # ... and backpropagation
            except Exception:
                if epoch == 1:  # e.g. Y with more rows than the model has outputs: leave everything as it was
                    _restore(before)
                    for p, grad in zip(params, grads, strict=True):
                        np.copyto(p.grad, grad)
                raise
            norm = _gradient_norm(params)
            if not math.isfinite(norm):
                raise diverge(epoch, f"the gradient of {_first_non_finite(params, 'grad')} is not finite")
            J_history.append(J)
            norms.append(norm)
            for p, value, grad in zip(params, values, grads, strict=True):
                np.copyto(value, p.value)
                np.copyto(grad, p.grad)
            optimizer.step()  # Step 3: θ ← θ - α ∇J(θ)
            bad = _first_non_finite(params, "value")
            if bad is not None:
                raise diverge(epoch, f"the update made {bad} non-finite")
            show_progress(J)
            if callbacks:
                record = Epoch(epoch, J, norm, model, J_history)
                if any([bool(callback(record)) for callback in callbacks]):  # a list: every callback runs
                    reason, message = "callback", f"a callback stopped training after epoch {epoch}"
                    break
            if gradient_tol is not None and norm <= gradient_tol:
                reason = "gradient_tol"
                message = f"the gradient norm {norm:.3g} fell to gradient_tol={gradient_tol:g} or below"
                break
            if tol is not None:
                no_improvement = no_improvement + 1 if best - tol < J else 0
                best = min(best, J)
                if no_improvement >= n_iter_no_change:
                    reason = "tol"
                    message = f"J improved by less than tol={tol:g} for {n_iter_no_change} epochs in a row"
                    if J_history[0] < J:  # J rose overall
                        message += " (but J rose above its start: the learning rate is probably too large)"
                    break
    history = History(J_history, norms, reason, message, optimizer.learning_rate)
    if reason in ("tol", "gradient_tol") and not history.converged:
        text = (
            f"training stopped by its {reason} rule with J above where it started "
            f"({J_history[0]:.6g} -> {J_history[-1]:.6g}): that is no convergence. "
            f"Fix: lower the learning rate (now {optimizer.learning_rate:g})."
        )
        warnings.warn(text, ConvergenceWarning, stacklevel=2)
    if reason == "max_epochs" and (tol is not None or gradient_tol is not None):
        text = (
            f"training stopped at max_epochs={max_epochs} before converging (last J = {J_history[-1]:.6g}). "
            "Fix: raise max_epochs or the learning rate, or loosen tol."
        )
        warnings.warn(text, ConvergenceWarning, stacklevel=2)
    ran_its_course = reason != "callback" and (tol is not None or gradient_tol is not None)
    verdict = None
    if ran_its_course and isinstance(loss, BinaryCrossEntropy) and Y.shape[0] == 1:
        verdict = judge(model, X, Y)
    run = TrainingRun(J_history, reason == "max_epochs", optimizer.learning_rate, max_epochs, standardized)
    told = verdict_message(verdict, findings, run)
    if told is not None and verdict is not None and verdict.learned_nothing:
        warnings.warn(told, LearnedNothingWarning, stacklevel=2)
    return history
