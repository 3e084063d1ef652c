"""Predictions and metrics: a^[2] as P(y = 1 | x), labels at a threshold, accuracy, the confusion matrix,
precision, recall, F1, ROC AUC and the cost against the base rate's."""

import numbers

import numpy as np
import numpy.typing as npt
from attrs import define, field

from ..array import Array
from ..errors import ValueRangeError
from ..layers.layer import Layer
from ..losses.binary_cross_entropy import LOG_FLOOR
from ..number_checks import check_finite
from ..validation import check_batch, check_same_shape, float_dtype_of


def predict_proba(model: Layer, X: Array) -> Array:
    """a^[L] for every column of X: the estimated P(y = 1 | x), shape (1, m).

    Runs ``model.forward(X)`` (so the layers' caches now hold this batch) and returns a
    plain float array (a copy, not the cached output).

    Args:
        model: the trained network, e.g. ``Sequential(Dense(3, 4), Sigmoid(), Dense(4, 1), Sigmoid())``.
        X: the batch, shape (d0, m).

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> model = mf.Sequential(mf.Dense(2, 1, rng=0), mf.Sigmoid())
        >>> mf.predict_proba(model, np.zeros((2, 3)))
        array([[0.5, 0.5, 0.5]])
    """
    X_checked = check_batch(X, "X", None, float_dtype_of(X))
    check_finite(X_checked, "X")  # a boundary: NaN would silently predict label 0
    a = model.forward(X_checked)
    return np.array(a, dtype=a.dtype, copy=True).view(np.ndarray)


def check_threshold(threshold: object) -> float:
    number = float(threshold) if isinstance(threshold, numbers.Real) and not isinstance(threshold, bool) else -1.0
    if not 0.0 <= number <= 1.0:
        message = f"threshold must be a probability in [0, 1], got {threshold!r}. Fix: pass e.g. threshold=0.5."
        raise ValueRangeError(message)
    return number


def predict(model: Layer, X: Array, threshold: float = 0.5) -> Array:
    """ŷ = 1 where a^[L] >= threshold, else 0; shape (1, m), float 0.0/1.0 like the labels Y.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> model = mf.Sequential(mf.Dense(1, 1, rng=0), mf.Sigmoid())
        >>> model[0].W.value[...] = 1.0
        >>> mf.predict(model, np.array([[-2.0, 0.0, 3.0]]))
        array([[0., 1., 1.]])
    """
    cut = check_threshold(threshold)
    a = predict_proba(model, X)
    return (a >= cut).astype(a.dtype)


def _pair(Y: Array, other: Array, other_name: str, other_is_labels: bool, rows: int | None = 1) -> tuple[Array, Array]:
    """Y (1, m) of labels 0/1 and ``other`` of the same shape (labels too, or scores), flattened."""
    y = check_batch(Y, "Y", rows, np.float64)
    x = check_same_shape(other, other_name, y.shape, np.float64, "the labels Y")
    for name, values in (("Y", y), (other_name, x)) if other_is_labels else (("Y", y),):
        if not np.all((values == 0.0) | (values == 1.0)):
            raise ValueRangeError(
                f"{name} must hold labels 0 or 1; got values such as {values[(values != 0) & (values != 1)][0]!r}. "
                "Fix: for probabilities, use mf.predict(model, X) to get labels at a threshold."
            )
    check_finite(x, other_name)
    return y.reshape(-1), x.reshape(-1)


def accuracy(Y: Array, Y_hat: Array) -> float:
    """The fraction of columns where the predicted label ŷ equals the label y.

    Args:
        Y: the labels, shape (1, m), entries 0 or 1.
        Y_hat: the predicted labels (from :func:`predict`), same shape, entries 0 or 1.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> mf.accuracy(np.array([[0, 1, 1, 0]]), np.array([[0, 1, 0, 0]]))
        0.75
    """
    y, y_hat = _pair(Y, Y_hat, "Y_hat", True, rows=None)
    return float(np.mean(y == y_hat))


def confusion_matrix(Y: Array, Y_hat: Array) -> npt.NDArray[np.int64]:
    """The counts [[tn, fp], [fn, tp]]: row = the label y, column = the predicted ŷ, as scikit-learn lays them out.

    Always (2, 2), also when a class is missing from both (scikit-learn's ``labels=[0, 1]``). Y, the labels, and
    Y_hat, the predicted labels (from :func:`predict`), have shape (1, m) and entries 0 or 1.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> mf.confusion_matrix(np.array([[0, 0, 1, 1, 1]]), np.array([[0, 1, 0, 1, 1]]))
        array([[1, 1],
               [1, 2]])
    """
    y, y_hat = _pair(Y, Y_hat, "Y_hat", True)
    return np.bincount((2 * y + y_hat).astype(np.int64), minlength=4).reshape(2, 2)


def roc_auc(Y: Array, A: Array) -> float:
    """The area under the ROC curve: P(a > a') + P(a = a') / 2 for a random positive's a and negative's a'.

    The Mann-Whitney statistic, (sum of the positives' ranks - n1 (n1 + 1) / 2) / (n1 n0), ties at
    their mean rank: equal to scikit-learn's ``roc_auc_score``. 0.5 is a model that ranks at random,
    1 one that scores every positive above every negative. The threshold plays no part.

    Args:
        Y: the labels, shape (1, m), entries 0 or 1, both classes present.
        A: the scores, e.g. P(y = 1 | x) from :func:`predict_proba`, shape (1, m).

    Raises:
        minifw.ValueRangeError: Y holds one class only (the area is undefined), or labels other than 0 and 1.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> mf.roc_auc(np.array([[0, 0, 1, 1]]), np.array([[0.1, 0.4, 0.35, 0.8]]))
        0.75
    """
    y, a = _pair(Y, A, "A", False)
    positives = int(y.sum())
    negatives = y.size - positives
    if positives == 0 or negatives == 0:
        raise ValueRangeError(
            f"the ROC AUC needs both classes in Y; all {y.size} labels are {int(y[0])}. "
            "Fix: evaluate on examples of both classes."
        )
    _, where, counts = np.unique(a, return_inverse=True, return_counts=True)
    mean_rank = np.cumsum(counts) - (counts - 1) / 2  # ranks from 1, ties at their mean
    rank_sum = float(mean_rank[where.reshape(-1)][y == 1].sum())
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


@define(frozen=True)
class Evaluation:
    """A binary classifier's figures on m examples, from the labels y and the probabilities a = P(y = 1 | x).

    ``attrs.evolve(evaluation, threshold=0.2)`` gives the figures at another threshold: it changes
    the labels ŷ, so the accuracy, the confusion matrix, precision, recall and F1, not J or the AUC.

    Attributes:
        y: the labels, shape (m,), entries 0 or 1.
        a: the probabilities, shape (m,).
        threshold: ŷ = 1 where a >= threshold.
    """

    y: Array = field(repr=False)
    a: Array = field(repr=False)
    threshold: float = 0.5

    @property
    def m(self) -> int:
        """The number of examples."""
        return int(self.y.size)

    @property
    def base_rate(self) -> float:
        """p = P(y = 1), the share of positive labels."""
        return float(self.y.mean())

    def costs(self) -> tuple[Array, Array]:
        """Per example, the cost of the model, -(y log a + (1 - y) log(1 - a)), and of the base rate p in place of a."""
        y = self.y
        with np.errstate(divide="ignore"):  # log 0 = -inf, at least -100 as in BinaryCrossEntropy

            def cost(a: Array) -> Array:
                return -(y * np.maximum(np.log(a), LOG_FLOOR) + (1 - y) * np.maximum(np.log1p(-a), LOG_FLOOR))

            return cost(self.a), cost(np.full_like(self.a, self.base_rate))

    @property
    def J(self) -> float:  # noqa: N802 - the slides write J
        """The cost J, the mean of the model's per-example costs (binary cross-entropy)."""
        return float(self.costs()[0].mean())

    @property
    def base_J(self) -> float:  # noqa: N802 - the slides write J
        """The cost of predicting the base rate p for every example, -(p log p + (1 - p) log(1 - p))."""
        return float(self.costs()[1].mean())

    @property
    def labels(self) -> Array:
        """ŷ, shape (m,): 1.0 where a >= threshold, else 0.0."""
        return (self.a >= self.threshold).astype(np.float64)

    @property
    def accuracy(self) -> float:
        """The fraction of labels right at the threshold."""
        return float(np.mean(self.labels == self.y))

    @property
    def confusion(self) -> npt.NDArray[np.int64]:
        """[[tn, fp], [fn, tp]] at the threshold (:func:`confusion_matrix`)."""
        return confusion_matrix(self.y[None], self.labels[None])

    @property
    def auc(self) -> float | None:
        """The ROC AUC (:func:`roc_auc`); None when y holds one class."""
        return roc_auc(self.y[None], self.a[None]) if 0.0 < self.base_rate < 1.0 else None

    @property
    def precision(self) -> float:
        """tp / (tp + fp): the share of predicted positives that are positive; NaN when none is predicted."""
        (_, fp), (_, tp) = self.confusion.tolist()
        return tp / (tp + fp) if tp + fp else np.nan

    @property
    def recall(self) -> float:
        """tp / (tp + fn): the share of positives predicted positive; NaN when there is none."""
        (_, _), (fn, tp) = self.confusion.tolist()
        return tp / (tp + fn) if tp + fn else np.nan

    @property
    def f1(self) -> float:
        """2 tp / (2 tp + fp + fn), the harmonic mean of precision and recall; NaN when both are undefined."""
        (_, fp), (fn, tp) = self.confusion.tolist()
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan

    def rows(self) -> list[tuple[str, str]]:
        """The figures as (name, text) rows of a report, NaN as n/a."""
        (tn, fp), (fn, tp) = self.confusion.tolist()
        auc = "n/a" if self.auc is None else f"{self.auc:.4f}"
        shown = [f"{100 * v:.2f}%" for v in (self.precision, self.recall)] + [f"{self.f1:.4f}"]
        names = ["precision of 1", "recall of 1", "F1 of 1"]
        return [
            ("J", f"{self.J:.6f}"),
            ("J of the base rate", f"{self.base_J:.6f}"),
            ("ROC AUC", auc),
            *[(name, "n/a" if "nan" in text else text) for name, text in zip(names, shown, strict=True)],
            ("y = 0: ŷ = 0, 1", f"{tn}, {fp}"),
            ("y = 1: ŷ = 0, 1", f"{fn}, {tp}"),
        ]


def figures_table(columns: dict[str, Evaluation]) -> str:
    """The rows of :meth:`Evaluation.rows` side by side, one column per named evaluation (same threshold)."""
    threshold = next(iter(columns.values())).threshold
    lines = [f"  {f'ŷ = 1 at a >= {threshold:g}':<20}" + "".join(f"{name:>12}" for name in columns)]
    for rows in zip(*(figures.rows() for figures in columns.values()), strict=True):
        lines.append(f"  {rows[0][0]:<20}" + "".join(f"{text:>12}" for _, text in rows))
    return "\n".join(lines)


def evaluate(model: Layer, X: Array, Y: Array, threshold: float = 0.5) -> Evaluation:
    """The :class:`Evaluation` of ``model`` (whose output is P(y = 1 | x)) on X (d0, m) with labels Y (1, m).

    Examples:
        >>> import minifw as mf
        >>> X, Y = mf.make_xor(200, seed=0)
        >>> model = mf.Sequential(mf.Dense(2, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
        >>> _ = mf.train(model, mf.BinaryCrossEntropy(), X, Y, learning_rate=2.0, max_epochs=5000)
        >>> figures = mf.evaluate(model, X, Y)
        >>> figures.J < figures.base_J, figures.accuracy, figures.auc, figures.confusion.tolist()
        (True, 1.0, 1.0, [[100, 0], [0, 100]])
    """
    cut = check_threshold(threshold)  # before the forward pass
    return Evaluation(*_pair(Y, predict_proba(model, X), "a", False), cut)
