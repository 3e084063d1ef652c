"""Checks at the entry of the training functions: model and loss types, the data, and features worth a warning.

A feature is a row of X (d0, m). :func:`inspect_features` finds what spoils gradient descent
(an identifier, a constant, features on large or very different scales) and
:func:`warn_about_features` says it, one :class:`minifw.DataWarning` each, with the fix. Each rule
was tried on data it was not written for (grams, kilograms, millimetres, prices, ages, counts):
a measurement that happens to be whole numbers is not an identifier, and one feature alone has no
"different scales".
"""

import re
import warnings
from collections.abc import Sequence

import numpy as np
from attrs import define

from ..array import Array
from ..errors import DataWarning, NotALayerError, NotALossError, ShapeError
from ..hints import PYTHON_HINTS, Hints
from ..io.architecture import describe, flatten, input_width
from ..layers.layer import Layer
from ..losses.loss import Loss
from ..number_checks import check_finite
from ..validation import check_batch, float_dtype_of

MIN_EXAMPLES = 10
"""Fewer examples than this are too few to judge a feature by its values."""

LARGE_STD = 10.0
"""A feature whose standard deviation is above this is on a large scale for the slides' σ units."""

SCALE_RATIO = 100.0
"""Features whose standard deviations differ by more than this factor are on very different scales."""

_IDENTIFIER_NAMES = {"id", "index", "idx", "row", "rowid", "row_id", "row_number", "rownum", ""}
"""Header names (stripped, lower case) of columns that number the rows instead of measuring anything."""


def check_data(model: Layer, X: object, Y: object, when: str, outputs: int | None = None) -> tuple[Array, Array]:
    """X (d0, m) and Y (``outputs``, m) as arrays of the model's dtype, checked: d0 as the model takes it (when its
    first layer says), one label column per example, every value finite (else the fix is to remove them ``when``)."""
    params = model.parameters()
    dtype = params[0].value.dtype if params else float_dtype_of(X)  # a Parameter's value is always a float array
    X_checked = check_batch(X, "X", input_width(describe(flatten(model))), dtype)
    Y_checked = check_batch(Y, "Y", outputs, dtype)
    m = X_checked.shape[1]
    if Y_checked.shape[1] != m:
        hint = "give one label column per example of X"
        if Y_checked.shape[0] == m:
            hint = "Y looks transposed (one row per example): pass Y.T, so Y has shape (1, m)"
        raise ShapeError(f"X has m = {m} examples (columns) but Y has shape {Y_checked.shape}. Fix: {hint}.")
    check_finite(X_checked, "X", when)
    check_finite(Y_checked, "Y", when)
    return X_checked, Y_checked


def check_model_and_loss(model: object, loss: object, caller: str) -> None:
    """Raise :class:`NotALayerError` / :class:`NotALossError` unless ``model`` is a Layer and ``loss`` a Loss."""
    if not isinstance(model, Layer):
        message = f"{caller} needs a minifw Layer as model (e.g. mf.Sequential(...)), got {type(model).__name__}."
        raise NotALayerError(message)
    if not isinstance(loss, Loss):
        message = f"{caller} needs a minifw Loss as loss (e.g. mf.BinaryCrossEntropy()), got {type(loss).__name__}."
        raise NotALossError(message)


@define(frozen=True)
class Column:
    """A feature as a CSV file has it: its column number (counted from 1, as in CSV errors) and header name."""

    number: int
    name: str

    def __str__(self) -> str:
        return f"column {self.number} ({self.name})"


def named_like_identifier(name: str) -> bool:
    """Whether a header names an identifier: ``id``, ``index``, ``..._id``, an empty or ``Unnamed: 0`` header."""
    name = name.strip().lower()
    return name in _IDENTIFIER_NAMES or name.endswith("_id") or re.fullmatch(r"unnamed: \d+", name) is not None


def counts_rows(row: Array) -> bool:
    """Whether ``row`` holds m distinct whole numbers k, k+1, ..., k+m-1 in any order: the row numbers or a counter.

    0..m-1 is the index pandas writes, 1..m a spreadsheet's row number. Measurements that happen to be
    whole numbers (grams, prices, ages) repeat or leave gaps, and are not caught.
    """
    m = row.size
    return (
        m >= MIN_EXAMPLES
        and float(row.max() - row.min()) == m - 1
        and np.array_equal(row, np.round(row))
        and np.unique(row).size == m
    )


@define(frozen=True)
class FeatureFindings:
    """What :func:`inspect_features` found, by feature index i (row i of X).

    Attributes:
        identifiers: ``(i, why)`` for each feature that looks like an identifier.
        constants: the features that hold one value.
        large: the features on a large scale (of several that differ), with their standard deviations.
        small: the others of those, when the scales differ.
    """

    identifiers: list[tuple[int, str]]
    constants: list[int]
    large: list[tuple[int, float]]
    small: list[tuple[int, float]]


def inspect_features(X: Array, columns: Sequence[Column] | None = None, scales: bool = True) -> FeatureFindings:
    """The features of X (d0, m) that gradient descent handles badly; ``columns`` names them (else none).

    - an identifier: a column named like one (needs ``columns``), or one holding the row numbers
      (with at least 10 examples);
    - a constant (with at least 10 examples);
    - scales (unless ``scales`` is False), among at least two features that are neither: a
      standard deviation above 10, or standard deviations more than 100 times apart. Then ``large``
      holds the large ones (above 10, or above the geometric middle of the smallest and the
      largest, if that is lower) and ``small`` the rest.
    """
    d0, m = X.shape
    identifiers: list[tuple[int, str]] = []
    constants: list[int] = []
    for i in range(d0):
        row = X[i]
        if columns is not None and named_like_identifier(columns[i].name):
            identifiers.append((i, "is named like an identifier"))
        elif counts_rows(row):
            shown = f"{row.min():g}..{row.max():g}"
            identifiers.append((i, f"holds the numbers {shown}, each once, like a row number or an identifier"))
        elif m >= MIN_EXAMPLES and row.min() == row.max():
            constants.append(i)
    skipped = {i for i, _ in identifiers} | set(constants)
    std = {i: float(X[i].std()) for i in range(d0) if i not in skipped}  # row by row: no copy of X
    std = {i: s for i, s in std.items() if s > 0}
    large: list[tuple[int, float]] = []
    small: list[tuple[int, float]] = []
    if scales and len(std) >= 2:
        lowest, highest = min(std.values()), max(std.values())
        if highest > LARGE_STD or highest > SCALE_RATIO * lowest:
            cut = min(LARGE_STD, float(np.sqrt(lowest * highest)))  # large: above 10, or far above the smallest
            by_size = sorted(std.items(), key=lambda item: -item[1])
            large = [(i, s) for i, s in by_size if s > cut]
            small = [(i, s) for i, s in by_size if s <= cut]
    return FeatureFindings(identifiers, constants, large, small)


def feature_name(i: int, columns: Sequence[Column] | None) -> str:
    """How messages name feature i: ``column 4 (mass_g)`` for a CSV file, else ``feature 2 (row 2 of X)``."""
    return str(columns[i]) if columns is not None else f"feature {i} (row {i} of X)"


def drop_fix(i: int, columns: Sequence[Column] | None, hints: Hints, otherwise: str = "leave it out of X") -> str:
    """The fix that leaves feature i out: the option that drops its CSV column, else ``otherwise``."""
    return hints.drop(columns[i].name) if columns is not None else otherwise


def _listed(features: list[tuple[int, float]], columns: Sequence[Column] | None) -> str:
    names = [columns[i].name if columns is not None else f"feature {i}" for i, _ in features]
    listed = [f"{name} (σ {s:.3g})" for name, (_, s) in zip(names, features, strict=True)]
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def scale_problem(findings: FeatureFindings, columns: Sequence[Column] | None) -> str:
    """The scale finding in words, when there is one: which features are large and which small, by name.

    For example ``mass_g (σ 1.31e+04) is large, height_cm (σ 9.7) small``.
    """
    text = f"{_listed(findings.large, columns)} {'is' if len(findings.large) == 1 else 'are'} large"
    if findings.small:
        text += f", {_listed(findings.small, columns)} small"
    return text


def warn_about_features(
    X: Array, *, columns: Sequence[Column] | None = None, hints: Hints = PYTHON_HINTS, scales: bool = True
) -> FeatureFindings:
    """Warn (:class:`DataWarning`, one line each, with the fix) about features that spoil gradient descent.

    See :func:`inspect_features` for the rules. ``columns`` names the features as the CSV file
    does (``column 4 (mass_g)``); the fixes are spelled as ``hints`` says (``--drop id`` on the
    command line). With ``scales=False`` (data that will be standardized) the scales are not
    warned about, nor found. Returns the findings.
    """
    findings = inspect_features(X, columns, scales)
    for i, why in findings.identifiers:
        name = feature_name(i, columns)
        fix = drop_fix(i, columns, hints)
        message = f"{name} {why}: it says nothing about the label, yet it will be fitted as a feature. Fix: {fix}."
        warnings.warn(message, DataWarning, stacklevel=3)
    for i in findings.constants:
        fix = drop_fix(i, columns, hints, "leave it out")
        message = f"{feature_name(i, columns)} is constant ({X[i, 0]:g}): it cannot help. Fix: {fix}."
        warnings.warn(message, DataWarning, stacklevel=3)
    if findings.large:
        message = (
            f"the features are on large or very different scales: {scale_problem(findings, columns)} (σ is the "
            "standard deviation). Gradient descent crawls along the large ones and may stop far from the minimum. "
            f"Fix: {hints.standardize()}."
        )
        warnings.warn(message, DataWarning, stacklevel=3)
    return findings
