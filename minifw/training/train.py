"""train: the slides' (batch) gradient descent algorithm, Steps 2 to 4, until convergence."""

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
from attrs import define, evolve, field

from ..array import Array
from ..data.standardizer import Standardizer
from ..errors import ConvergenceWarning, DTypeError, LearnedNothingWarning, MinifwError
from ..hints import PYTHON_HINTS, Hints
from ..io.architecture import flatten, named_parameters
from ..layers.layer import Layer
from ..layers.parameter import Parameter
from ..layers.sequential import Sequential
from ..losses.binary_cross_entropy import BinaryCrossEntropy
from ..losses.loss import Loss
from ..number_checks import check_integer, check_number
from ..optim.gradient_descent import GradientDescent
from .checks import Column, check_data, check_model_and_loss, warn_about_features
from .metrics import check_threshold
from .progress import progress_bar
from .verdict import Verdict, judge, verdict_message

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
        verdict: how the trained model compares with the base rate's model
            (:class:`minifw.training.verdict.Verdict`): on the ``held_out`` rows if :func:`train` was given
            them (the training figures then in ``verdict.training``), else on the training data; None when
            :func:`train` did not judge it.
    """

    J: list[float] = field(repr=False)
    gradient_norms: list[float] = field(repr=False)
    stop_reason: StopReason
    message: str = field(repr=False)
    learning_rate: float
    verdict: Verdict | None = field(default=None, repr=False)

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


class DivergenceError(MinifwError, RuntimeError):
    """Training produced a non-finite J or parameter (usually: the learning rate is too large).

    Attributes:
        epoch: the epoch (counted from 1) at which the non-finite value appeared.
        history: the :class:`History` of the epochs before it.
    """

    def __init__(self, message: str, *, epoch: int, history: History) -> None:
        super().__init__(message)
        self.epoch = epoch
        self.history = history


def _first_non_finite(named: dict[str, Parameter], what: Literal["value", "grad"]) -> str | None:
    """The name (``W1``, ``b2``...) of the first parameter whose value or gradient holds NaN or inf, or None."""
    return next((name for name, p in named.items() if not np.isfinite(getattr(p, what)).all()), None)


@define
class _StopRules:
    """Step 4's rules, checked (the callbacks are one), and what the ``tol`` rule remembers between epochs."""

    max_epochs: int
    tol: float | None
    n_iter_no_change: int
    gradient_tol: float | None
    callbacks: list[Callback]
    best: float = math.inf
    no_improvement: int = 0

    @property
    def converges(self) -> bool:
        """Whether a convergence rule (``tol`` or ``gradient_tol``) is on."""
        return self.tol is not None or self.gradient_tol is not None

    def stop(self, epoch: Epoch) -> tuple[StopReason, str] | None:
        """Why to stop after ``epoch``, in words; None to go on."""
        if any([bool(callback(epoch)) for callback in self.callbacks]):  # a list: every callback runs
            return "callback", f"a callback stopped training after epoch {epoch.epoch}"
        norm = epoch.gradient_norm
        if self.gradient_tol is not None and norm <= self.gradient_tol:
            return "gradient_tol", f"the gradient norm {norm:.3g} fell to gradient_tol={self.gradient_tol:g} or below"
        if self.tol is not None:
            self.no_improvement = self.no_improvement + 1 if self.best - self.tol < epoch.J else 0
            self.best = min(self.best, epoch.J)
            if self.no_improvement >= self.n_iter_no_change:
                return "tol", f"J improved by less than tol={self.tol:g} for {self.n_iter_no_change} epochs in a row"
        return None

    def warn_unless_converged(self, history: History) -> None:
        """A :class:`ConvergenceWarning` (to the caller of ``train``) when a convergence rule was on and training
        stopped at the epoch limit, or a rule stopped it with J above where it started."""
        J, reason = history.J, history.stop_reason
        if reason in ("tol", "gradient_tol") and not history.converged:
            text = (
                f"training stopped by its {reason} rule with J above where it started "
                f"({J[0]:.6g} -> {J[-1]:.6g}): that is no convergence. "
                f"Fix: lower the learning rate (now {history.learning_rate:g})."
            )
            warnings.warn(text, ConvergenceWarning, stacklevel=3)
        if reason == "max_epochs" and self.converges:
            text = (
                f"training stopped at max_epochs={self.max_epochs} before converging (last J = {J[-1]:.6g}). "
                "Fix: raise max_epochs or the learning rate, or loosen tol."
            )
            warnings.warn(text, ConvergenceWarning, stacklevel=3)


def _descend(
    model: Layer, network: Layer, loss: Loss, X: Array, Y: Array, optimizer: GradientDescent, rules: _StopRules
) -> History:
    """Steps 2 to 4 of the slides until one of ``rules`` holds, on checked arguments.

    ``network`` is ``model``, or its layers after a first Standardizer, with ``X`` standardized once."""
    params = optimizer.parameters
    named = named_parameters(flatten(model))
    J_history: list[float] = []
    norms: list[float] = []
    last = [(p.value.copy(), p.grad.copy()) for p in params]  # θ and ∇J of the last epoch whose J and ∇J were finite
    # each layer's and the loss's attributes (references, not copies: forward rebinds its caches)
    before = [(obj, dict(vars(obj))) for obj in [loss, model, *flatten(model)] if hasattr(obj, "__dict__")]

    def restore() -> None:
        for p, (value, grad) in zip(params, last, strict=True):
            np.copyto(p.value, value)
            np.copyto(p.grad, grad)

    def diverged(what: str) -> DivergenceError:
        """The error for a run that diverged in this epoch, θ and ∇J restored to the last finite ones."""
        restore()
        rate = optimizer.learning_rate
        at = "their initial values"
        if J_history:
            at = f"those at the start of epoch {len(J_history)} (J = {J_history[-1]:.6g})"
        text = (
            f"training diverged at epoch {epoch}: {what}. The parameters were restored to {at}. "
            f"Fix: lower the learning rate (now {rate:g}), e.g. to {rate / 10:g}."
        )
        return DivergenceError(text, epoch=epoch, history=History(J_history, norms, "max_epochs", text, rate))

    stopped: tuple[StopReason, str] | None = None
    with np.errstate(all="ignore"):
        for epoch in range(1, rules.max_epochs + 1):
            try:
                J = loss.forward(network.forward(X), Y)  # Step 2: forward propagation ...
                if not math.isfinite(J):
                    raise diverged(f"J is {J}")
                network.backward(loss.backward())  # ... and backpropagation
            except Exception:
                if epoch == 1:  # e.g. Y with more rows than the model has outputs: leave everything as it was
                    for obj, saved in before:
                        vars(obj).clear()
                        vars(obj).update(saved)
                    restore()  # the initial θ, and ∇J as it was
                raise
            norm = math.sqrt(sum(float(np.vdot(p.grad, p.grad)) for p in params))  # ‖∇J‖, all gradients together
            if not math.isfinite(norm):
                raise diverged(f"the gradient of {_first_non_finite(named, 'grad')} is not finite")
            J_history.append(J)
            norms.append(norm)
            for p, (value, grad) in zip(params, last, strict=True):
                np.copyto(value, p.value)
                np.copyto(grad, p.grad)
            optimizer.step()  # Step 3: θ ← θ - α ∇J(θ)
            if (bad := _first_non_finite(named, "value")) is not None:
                raise diverged(f"the update made {bad} non-finite")
            stopped = rules.stop(Epoch(epoch, J, norm, model, J_history))
            if stopped is not None:
                break
    reason, message = stopped or ("max_epochs", f"reached max_epochs={rules.max_epochs}")
    return History(J_history, norms, reason, message, optimizer.learning_rate)


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
    held_out: tuple[Array, Array] | None = None,
    threshold: float = 0.5,
    columns: Sequence[Column] | None = None,
    hints: Hints = PYTHON_HINTS,
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
    was on and no callback stopped it), the trained model is then judged on the ``held_out`` rows
    if given, else on the training data (:attr:`History.verdict`): if J is not clearly below the
    cost of predicting the base rate (the likelihood-ratio test, p >= 0.01) and the accuracy is
    within chance (two standard errors) of always predicting the majority class, it learned
    nothing, and this warns with
    :class:`minifw.LearnedNothingWarning`, naming the likely causes the numbers show (features
    on large scales: add a fitted :class:`minifw.Standardizer` as the first layer; an
    identifier column; too few epochs; a learning rate too large; overfitting, with ``held_out``;
    saturated hidden units; a plateau). A model right on most labels whose J is above the base
    rate's is confident where it is wrong, and one whose held-out J is clearly above its training
    J overfits: a :class:`minifw.ConvergenceWarning` says so. A clearly lower J with the majority's labels
    (rare events) is no warning: :func:`minifw.evaluate` gives the figures.

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
        held_out: examples (X, Y) left out of training, to judge the model by (the verdict then holds
            the training figures too, and names overfitting); None judges it on the training data.
        threshold: the verdict's labels are ŷ = 1 where a >= ``threshold``.
        columns: the features' names, as a CSV file has them, for the warnings (the command line's).
        hints: how the warnings spell their fixes (the command line's options instead of Python's).

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
    optimizer = GradientDescent(model.parameters(), learning_rate)  # at least one parameter, α > 0
    rules = _StopRules(
        check_integer(max_epochs, "max_epochs", "10000"),
        check_number(tol, "tol", "1e-6", none="off"),
        check_integer(n_iter_no_change, "n_iter_no_change", "10"),
        check_number(gradient_tol, "gradient_tol", "1e-5", none="off"),
        list(callbacks),
    )
    for index, callback in enumerate(rules.callbacks):
        if not callable(callback):
            message = f"callbacks[{index}] must be callable (a function taking an mf.Epoch), got {callback!r}. "
            raise DTypeError(message + "Fix: pass functions, e.g. callbacks=[lambda epoch: epoch.J < 0.1].")
    threshold = check_threshold(threshold)
    X, Y = check_data(model, X, Y, "before training")
    held = None if held_out is None else check_data(model, *held_out, "before training")
    layers = flatten(model)
    standardized = isinstance(layers[0], Standardizer)  # then the first Dense sees standardized features
    features = X if held is None else np.hstack([X, held[0]])  # every row: a row number is one with no gaps
    findings = warn_about_features(features, columns=columns, hints=hints, scales=not standardized)
    # a first Standardizer standardizes X once, not in every epoch (and the Dense after it needs no ∂J/∂x)
    network, X_seen = (Sequential(*layers[1:]), layers[0].forward(X)) if standardized else (model, X)
    with progress_bar(rules.max_epochs, progress) as show_progress:  # drawn by a callback, before the others
        rules.callbacks.insert(0, lambda epoch: show_progress(epoch.J))
        history = _descend(model, network, loss, X_seen, Y, optimizer, rules)
    reason = history.stop_reason
    rules.warn_unless_converged(history)
    judged = reason != "callback" and rules.converges and isinstance(loss, BinaryCrossEntropy) and Y.shape[0] == 1
    verdict = judge(model, X, Y, threshold, held) if judged else None
    limit = rules.max_epochs if reason == "max_epochs" else None
    told = verdict_message(verdict, findings, history.J, optimizer.learning_rate, limit, columns, hints)
    if told is not None and verdict is not None:  # learned nothing, or confident where it is wrong
        warnings.warn(told, LearnedNothingWarning if verdict.learned_nothing else ConvergenceWarning, stacklevel=2)
    return evolve(history, verdict=verdict)
