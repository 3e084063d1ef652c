"""Whether a trained model learned anything, and if not, the likely causes for this data.

A model that learned nothing is no better than one that ignores the features. Its cost is that of
predicting the base rate p = P(y = 1) for every example, J_base = -(p log p + (1 - p) log(1 - p)),
and its accuracy that of always predicting the majority class. The cost judges, as statsmodels'
likelihood-ratio test does: on the training rows LR = 2 m (J_base - J) is chi-square with as many
degrees of freedom as the model has parameters beyond the intercept, b^[2]; on held-out rows the
mean per-example gain J_base - J is held to its standard error. A model learned nothing when J is
not clearly below J_base (p >= 0.01) and its accuracy is within chance (two standard errors) of
the majority's. With rare events a model whose J is clearly lower often still predicts the majority
at the threshold 0.5: its probabilities carry information, and the threshold decides the labels.
A model that gets most labels right with a J above J_base is confident where it is wrong.
"""

import math
from collections.abc import Sequence

from attrs import define

from ..array import Array
from ..hints import PYTHON_HINTS, Hints
from ..layers.layer import Layer
from .checks import MIN_EXAMPLES, Column, FeatureFindings, drop_fix, feature_name, scale_problem
from .metrics import Evaluation, evaluate

CLEARLY = 0.01
"""J is clearly below J_base when features that say nothing gain this much with a chance below this."""


def chi2_sf(x: float, df: int) -> float:
    """P(X >= x) for X chi-square with ``df`` >= 1 degrees of freedom, by the closed forms for whole df."""
    if x <= 0:
        return 1.0
    half = x / 2
    odd = df % 2 / 2  # the sum of (x/2)^(k + odd) e^(-x/2) / Γ(k + 1 + odd) over k < df // 2, ...
    terms = [math.exp((k + odd) * math.log(half) - half - math.lgamma(k + 1 + odd)) for k in range(df // 2)]
    if odd:  # ... and erfc(sqrt(x/2)) for an odd df
        terms.append(math.erfc(math.sqrt(half)))
    return min(1.0, math.fsum(terms))


@define(frozen=True)
class Verdict:
    """How a trained model compares with the base rate's model, which ignores the features.

    Attributes:
        figures: the figures judged: on the held-out rows if any were held out, else on the training rows.
        degrees: the model's parameters beyond the intercept b^[2], the likelihood-ratio test's degrees
            of freedom (for one Dense layer, the d0 weights, as statsmodels counts them).
        training: the training figures when ``figures`` are held out, to tell overfitting; else None.
    """

    figures: Evaluation
    degrees: int
    training: Evaluation | None = None

    @property
    def test(self) -> tuple[str, float]:
        """The test of "J no lower than J_base" in words, and its p-value."""
        f = self.figures
        gain = f.base_J - f.J
        if self.training is None:
            LR = 2 * f.m * gain
            words = f"likelihood-ratio test: LR = {LR:.1f} on {self.degrees} degrees of freedom"
            return words, chi2_sf(LR, self.degrees)
        L, L_base = f.costs()
        se = float((L_base - L).std(ddof=1)) / math.sqrt(f.m) if f.m > 1 else math.inf
        z = gain / se if se > 0 else math.copysign(math.inf, gain)
        return f"on held-out rows: {gain:.4f} lower, z = {z:.2f}", 0.5 * math.erfc(z / math.sqrt(2))

    @property
    def informative(self) -> bool:
        """J is clearly below J_base: the probabilities carry information about the label."""
        return self.test[1] < CLEARLY

    @property
    def majority(self) -> float:
        """The accuracy of always predicting the majority class."""
        return max(self.figures.base_rate, 1 - self.figures.base_rate)

    @property
    def chance(self) -> float:
        """Two standard errors of an accuracy near the majority's: 2 sqrt(majority (1 - majority) / m)."""
        return 2 * math.sqrt(self.majority * (1 - self.majority) / self.figures.m)

    @property
    def within_chance(self) -> bool:
        """The accuracy is no more than chance above the majority's."""
        return self.figures.accuracy <= self.majority + self.chance

    @property
    def learned_nothing(self) -> bool:
        """J not clearly below J_base, and the accuracy within chance of the majority's."""
        return not self.informative and self.within_chance

    @property
    def overconfident(self) -> bool:
        """More labels right than chance gives, but J not below J_base: confident where it is wrong."""
        return self.figures.base_J <= self.figures.J and not self.within_chance

    @property
    def overfit(self) -> bool:
        """Held-out J above the training J by more than two of its standard errors and by a tenth of J_base."""
        if self.training is None:
            return False
        f = self.figures
        se = float(f.costs()[0].std(ddof=1)) / math.sqrt(f.m) if f.m > 1 else math.inf
        return max(2 * se, 0.1 * f.base_J) < f.J - self.training.J

    def __str__(self) -> str:
        """What was learned, in words: ``the model learned nothing: J = 0.283 is not clearly below ...``."""
        f = self.figures
        which = "training" if self.training is None else "held-out"
        majority = f"always predicting {int(f.base_rate > 0.5)} ({100 * self.majority:.2f}%)"
        if self.overconfident:
            return (
                f"J = {f.J:.6f} is above {f.base_J:.6f}, the cost of predicting P(y = 1) = {f.base_rate:.3g} for "
                f"every example, although {100 * f.accuracy:.2f}% of the labels are right: the model is confident "
                "where it is wrong"
            )
        words, p = self.test
        pv = f"= {p:.2g}" if p > 0 else "< 1e-300"
        cost = (
            f"{which} J = {f.J:.6f} is {'' if self.informative else 'not '}clearly below {f.base_J:.6f}, the cost of "
            f"predicting the base rate P(y = 1) = {f.base_rate:.3g} for every example ({words}, p {pv})"
        )
        accuracy = f"{which} accuracy {100 * f.accuracy:.2f}%"
        if self.learned_nothing:
            near = "no better than" if f.accuracy <= self.majority else f"within chance ({100 * self.chance:.2f}%) of"
            return f"the model learned nothing: {cost}, and {accuracy} is {near} {majority}"
        if self.within_chance:
            return (
                f"{cost}: its probabilities carry information. At the threshold {f.threshold:g} its labels are no "
                f"better than {majority}: {accuracy}; the threshold decides the labels, a lower one labels more 1s"
            )
        return f"the model learned: {cost}; {accuracy} against {majority}"


def judge(
    model: Layer, X: Array, Y: Array, threshold: float = 0.5, held_out: tuple[Array, Array] | None = None
) -> Verdict | None:
    """The :class:`Verdict` on ``model`` (whose output is P(y = 1 | x)), trained on X (d0, m) with labels Y (1, m).

    It judges the figures on the ``held_out`` rows (X, Y) if any were held out of training (with those on X and Y
    to tell overfitting), else on X and Y. None when the rows judged hold one class only (there is nothing to
    tell apart), or fewer than ten examples.
    """
    training = None if held_out is None else evaluate(model, X, Y, threshold)
    figures = evaluate(model, *(held_out or (X, Y)), threshold)
    if figures.base_rate in (0.0, 1.0) or figures.m < MIN_EXAMPLES:
        return None
    degrees = sum(parameter.value.size for parameter in model.parameters()) - 1
    return Verdict(figures, max(degrees, 1), training)


def verdict_message(
    verdict: Verdict | None,
    findings: FeatureFindings,
    J: Sequence[float],
    learning_rate: float,
    epoch_limit: int | None,
    columns: Sequence[Column] | None = None,
    hints: Hints = PYTHON_HINTS,
) -> str | None:
    """What to warn about a trained model, None when there is nothing: that it learned nothing, with the likely
    causes; that it is confident where it is wrong (a learning rate too large); or that it overfits.

    ``findings`` is what :func:`minifw.training.checks.warn_about_features` found in the raw
    features (training and held-out rows together; no scales when a first Standardizer standardizes
    them); ``columns`` names them as a CSV file does; ``hints`` spells the fixes. ``J`` is J per
    epoch, ``learning_rate`` α, ``epoch_limit`` max_epochs if training stopped there (else None). Each cause
    is one the numbers show; when none is, J settled at the base rate's cost: the features, as far as
    this network can tell, say nothing about the label.
    """
    if verdict is None:
        return None
    f, training = verdict.figures, verdict.training
    if verdict.overconfident:
        return f"{verdict}. Likely cause: a learning rate too large (fix: {hints.setting('lr', learning_rate / 10)})."
    overfitting = None
    if training is not None and training.J + 0.1 * f.base_J < f.J:
        overfitting = (
            f"overfitting: held-out J = {f.J:.6f} against training J = {training.J:.6f} (fix: fewer hidden units, "
            "more examples, or fewer epochs)"
        )
    if not verdict.learned_nothing:
        return overfitting if verdict.overfit else None  # the model fits the training rows better than new ones
    causes = []
    if findings.large:
        causes.append(f"unscaled features: {scale_problem(findings, columns)} (fix: {hints.standardize()})")
    for i, _ in findings.identifiers:
        causes.append(f"{feature_name(i, columns)} looks like an identifier (fix: {drop_fix(i, columns, hints)})")
    if J and J[-1] > J[0]:
        causes.append(f"a learning rate too large, J rose (fix: {hints.setting('lr', learning_rate / 10)})")
    if epoch_limit is not None:
        causes.append(f"too few epochs (fix: {hints.setting('epochs', 10 * epoch_limit)})")
    causes += [overfitting] if overfitting else []
    if not causes and float(f.a.max() - f.a.min()) < 1e-6:
        causes.append(
            f"every example gets the same P(y = 1) = {f.a[0]:.3g}: saturated hidden units, which no step moves "
            f"(fix: {hints.setting('lr', 10 * learning_rate)}, or features on a smaller scale)"
        )
    if not causes and J and J[-1] > (training or f).base_J + 0.01:
        causes.append(
            f"J stopped on a plateau above the base rate's cost (fix: {hints.setting('lr', 10 * learning_rate)})"
        )
    if not causes and training is None:
        judge_apart = "--holdout 0.2" if hints.command_line else "held_out=(X_test, Y_test) in mf.train"
        causes.append(
            f"too little to tell on the training rows: J fell {f.base_J - f.J:.4f} below the base rate's cost, no "
            f"more than fitting noise with {verdict.degrees} parameters can (the features may say nothing; to judge "
            f"on rows it did not learn from: {judge_apart})"
        )
    if not causes:
        causes.append("features that say nothing about the label: held-out J is not clearly below the base rate's cost")
    return f"{verdict}. Likely causes: {'; '.join(causes)}."
