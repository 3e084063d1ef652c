"""Whether a trained model learned anything, and if not, the likely causes for this data.

A model that learned nothing is no better than one that ignores the features: always predicting
the majority class gets that class's share of the examples right, and predicting the class ratio
p = P(y = 1) for every example costs J = -(p log p + (1 - p) log(1 - p)). Training that ends at
no better accuracy, or at no lower J with an accuracy within chance of the majority's, has learned
nothing, whatever it printed on the way. A model that gets most labels right with a J above the
ratio's did learn: it is confident where it is wrong (a learning rate too large, say), which is
said too, but not as "learned nothing".
"""

import math
from collections.abc import Sequence

import numpy as np
from attrs import define

from ..array import Array
from ..hints import PYTHON_HINTS, Hints
from ..layers.layer import Layer
from ..losses.binary_cross_entropy import BinaryCrossEntropy
from .checks import Column, FeatureFindings, feature_name, scale_problem
from .metrics import accuracy, predict_proba


@define(frozen=True)
class Verdict:
    """How a trained model compares with a model that ignores the features, on the training data.

    Attributes:
        accuracy: the model's training accuracy.
        majority: the accuracy of always predicting the majority class.
        chance: how far above ``majority`` an accuracy may land by chance on m examples: two
            standard errors, 2 sqrt(majority (1 - majority) / m).
        J: the model's cost J (binary cross-entropy).
        ratio: the class ratio p = P(y = 1) in the data.
        ratio_J: the cost of predicting p for every example, -(p log p + (1 - p) log(1 - p)).
    """

    accuracy: float
    majority: float
    chance: float
    J: float
    ratio: float
    ratio_J: float

    @property
    def learned_nothing(self) -> bool:
        """No better accuracy than the majority class; or J not below the class ratio's, the accuracy within chance."""
        no_lower_J = self.ratio_J <= self.J
        return self.accuracy <= self.majority or (no_lower_J and self.accuracy <= self.majority + self.chance)

    @property
    def overconfident(self) -> bool:
        """Most labels right, but J not below the class ratio's: confident where it is wrong."""
        return not self.learned_nothing and self.ratio_J <= self.J

    def __str__(self) -> str:
        """What was learned, in words: ``the model learned nothing: training accuracy 51.00% is no better ...``."""
        if self.overconfident:
            return (
                f"J = {self.J:.6f} is above {self.ratio_J:.6f}, the cost of predicting P(y = 1) = {self.ratio:.3g} for "
                f"every example, although {100 * self.accuracy:.2f}% of the labels are right: the model is confident "
                "where it is wrong"
            )
        if not self.learned_nothing:
            return f"training accuracy {100 * self.accuracy:.2f}% (the majority class: {100 * self.majority:.2f}%)"
        reasons = []
        majority = f"always predicting {int(self.ratio > 0.5)} ({100 * self.majority:.2f}%)"
        if self.accuracy <= self.majority:
            reasons.append(f"training accuracy {100 * self.accuracy:.2f}% is no better than {majority}")
        else:
            chance = f"within chance ({100 * self.chance:.2f}%)"
            reasons.append(f"training accuracy {100 * self.accuracy:.2f}% is {chance} of {majority}")
        if self.ratio_J <= self.J:
            reasons.append(
                f"J = {self.J:.6f} is not below {self.ratio_J:.6f}, the cost of predicting P(y = 1) = "
                f"{self.ratio:.3g} for every example"
            )
        return "the model learned nothing: " + ", and ".join(reasons)


def judge(model: Layer, X: Array, Y: Array) -> Verdict | None:
    """The :class:`Verdict` on ``model`` (whose output is P(y = 1 | x)) for X (d0, m) and labels Y (1, m).

    None when Y holds one class only: there is nothing to tell apart.
    """
    p = float(np.mean(Y))
    if p in (0.0, 1.0):
        return None
    a = predict_proba(model, X)
    J = BinaryCrossEntropy().forward(a, Y)
    ratio_J = -(p * math.log(p) + (1 - p) * math.log(1 - p))
    majority = max(p, 1 - p)
    chance = 2 * math.sqrt(majority * (1 - majority) / Y.shape[1])
    return Verdict(accuracy(Y, (a >= 0.5).astype(a.dtype)), majority, chance, J, p, ratio_J)


@define(frozen=True)
class TrainingRun:
    """What is known of a training run, to name the likely causes of a poor result.

    Attributes:
        J: J per epoch.
        stopped_at_limit: training ran into the epoch limit.
        learning_rate: α.
        max_epochs: the epoch limit.
        standardized: whether the network saw standardized features.
    """

    J: Sequence[float]
    stopped_at_limit: bool
    learning_rate: float
    max_epochs: int
    standardized: bool


def likely_causes(
    findings: FeatureFindings,
    run: TrainingRun,
    columns: Sequence[Column] | None = None,
    hints: Hints = PYTHON_HINTS,
) -> list[str]:
    """The likely causes of a model that learned nothing, each with its fix, from what is known of this run.

    ``findings`` is what :func:`minifw.training.checks.inspect_features` found in the raw
    features; ``columns`` names them as a CSV file does; ``hints`` spells the fixes.
    """
    causes = []
    if findings.large and not run.standardized:
        causes.append(f"unscaled features: {scale_problem(findings, columns)} (fix: {hints.standardize()})")
    for i, _ in findings.identifiers:
        name = feature_name(i, columns)
        fix = hints.drop(columns[i].name) if columns is not None else "leave it out of X"
        causes.append(f"{name} looks like an identifier (fix: {fix})")
    J, learning_rate = run.J, run.learning_rate
    if J and J[-1] > J[0]:
        causes.append(f"a learning rate too large, J rose (fix: {hints.setting('lr', learning_rate / 10)})")
    if run.stopped_at_limit:
        causes.append(f"too few epochs (fix: {hints.setting('epochs', 10 * run.max_epochs)})")
    if not causes:
        causes.append(
            f"a learning rate too small or too large (fix: {hints.setting('lr', 10 * learning_rate)} or "
            f"{hints.setting('lr', learning_rate / 10)})"
        )
        causes.append("features that say nothing about the label")
    return causes


def verdict_message(
    verdict: Verdict | None,
    findings: FeatureFindings,
    run: TrainingRun,
    columns: Sequence[Column] | None = None,
    hints: Hints = PYTHON_HINTS,
) -> str | None:
    """What to tell about a trained model: that it learned nothing (with :func:`likely_causes`), or that it is
    confident where it is wrong (with the fix for the learning rate); None when there is nothing to tell."""
    if verdict is None or not (verdict.learned_nothing or verdict.overconfident):
        return None
    if verdict.overconfident:
        fix = hints.setting("lr", run.learning_rate / 10)
        return f"{verdict}. Likely cause: a learning rate too large (fix: {fix})."
    return f"{verdict}. Likely causes: {'; '.join(likely_causes(findings, run, columns, hints))}."
