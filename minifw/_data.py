"""Data: seeded toy data sets in the slides' (d, m) layout, and a CSV loader that names bad lines.

Every generator returns ``(X, Y)`` with X of shape (d, m), one column per example, and Y of
shape (1, m) holding labels 0.0 and 1.0 (float64). The same ``seed`` gives the same data;
NumPy's global random state is never used.
"""

import csv
import math
import numbers
import os
from typing import Literal, overload

import numpy as np

from ._array import Array
from ._errors import DataError, ValueRangeError
from ._validation import check_batch, check_finite, check_same_shape, generator

Seed = np.random.Generator | int | None
"""An int seed, a ``numpy.random.Generator``, or None (fresh entropy)."""


def _check_count(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < minimum:
        message = f"{name} must be an integer >= {minimum}, got {value!r}. Fix: pass e.g. {name}={max(minimum, 200)}."
        raise ValueRangeError(message)
    return int(value)


def _check_noise(value: object, name: str = "noise") -> float:
    number = float(value) if isinstance(value, numbers.Real) and not isinstance(value, bool) else math.nan
    if not (math.isfinite(number) and number >= 0):
        message = f"{name} must be a finite number >= 0, got {value!r}. Fix: pass e.g. {name}=0.1 (0 for none)."
        raise ValueRangeError(message)
    return number


def _generator(seed: Seed) -> np.random.Generator:
    return generator(seed, "seed", "seed", ValueRangeError)


def make_xor(m: int = 200, *, noise: float = 0.1, d: int = 2, seed: Seed = 0) -> tuple[Array, Array]:
    """XOR: y = x1 XOR x2 around the four corners (0, 0), (0, 1), (1, 0), (1, 1).

    Example i sits at corner i mod 4 plus Gaussian noise of standard deviation ``noise``;
    its label is 1 exactly when the two corner coordinates differ. With ``noise=0`` and
    ``m=4`` this is the truth table. Features 3 to d (for ``d > 2``) are distractors drawn
    uniformly from [0, 1]: the label does not depend on them (``d=3`` gives the slides'
    x = (x1, x2, x3)).

    Args:
        m: number of examples (>= 4).
        noise: standard deviation of the noise added to x1 and x2 (>= 0).
        d: number of features (>= 2).
        seed: an int, a ``numpy.random.Generator`` or None.

    Returns:
        X of shape (d, m) and Y of shape (1, m).

    Examples:
        >>> import minifw as mf
        >>> X, Y = mf.make_xor(4, noise=0.0)
        >>> X
        array([[0., 0., 1., 1.],
               [0., 1., 0., 1.]])
        >>> Y
        array([[0., 1., 1., 0.]])
    """
    m = _check_count(m, "m", 4)
    d = _check_count(d, "d", 2)
    noise = _check_noise(noise)
    rng = _generator(seed)
    corner = np.arange(m) % 4
    x1, x2 = (corner // 2).astype(float), (corner % 2).astype(float)
    X = np.empty((d, m))
    X[0] = x1 + rng.normal(0.0, noise, m) if noise else x1
    X[1] = x2 + rng.normal(0.0, noise, m) if noise else x2
    if d > 2:
        X[2:] = rng.uniform(0.0, 1.0, (d - 2, m))
    Y = (x1 != x2).astype(float).reshape(1, m)
    return X, Y


def make_flower(m: int = 400, *, noise: float = 0.2, seed: Seed = 0) -> tuple[Array, Array]:
    """The planar "flower": two classes interleaved as the petals of r = 4 sin(4t).

    For each class j ∈ {0, 1}, m/2 angles t run over [3.12 j, 3.12 (j + 1)] (plus noise);
    the point is (r sin t, r cos t) with r = 4 sin(4t) + noise. A straight line (logistic
    regression) gets about half right; one hidden layer of 4 sigmoid units about 90%.

    Args:
        m: number of examples (even, >= 2); m/2 per class.
        noise: standard deviation of the noise on t and r (>= 0).
        seed: an int, a ``numpy.random.Generator`` or None.

    Returns:
        X of shape (2, m) and Y of shape (1, m).
    """
    m = _check_count(m, "m", 2)
    if m % 2:
        message = f"make_flower needs an even m (m/2 examples per class), got m={m}. Fix: pass m={m + 1}."
        raise ValueRangeError(message)
    noise = _check_noise(noise)
    rng = _generator(seed)
    half = m // 2
    X = np.empty((2, m))
    Y = np.empty((1, m))
    for j in range(2):
        columns = slice(j * half, (j + 1) * half)
        t = np.linspace(j * 3.12, (j + 1) * 3.12, half) + rng.normal(0.0, noise, half)
        r = 4.0 * np.sin(4.0 * t) + rng.normal(0.0, noise, half)
        X[0, columns] = r * np.sin(t)
        X[1, columns] = r * np.cos(t)
        Y[0, columns] = j
    return X, Y


def make_moons(m: int = 200, *, noise: float = 0.1, seed: Seed = 0) -> tuple[Array, Array]:
    """Two moons: two interleaving half circles (label 0 above, label 1 below), as scikit-learn's.

    Class 0 is (cos t, sin t), class 1 is (1 - cos t, 1/2 - sin t), t ∈ [0, π], plus
    Gaussian noise of standard deviation ``noise`` on both coordinates.

    Args:
        m: number of examples (>= 2); class 0 gets the extra one when m is odd.
        noise: standard deviation of the noise (>= 0).
        seed: an int, a ``numpy.random.Generator`` or None.

    Returns:
        X of shape (2, m) and Y of shape (1, m).
    """
    m = _check_count(m, "m", 2)
    noise = _check_noise(noise)
    rng = _generator(seed)
    m_outer = (m + 1) // 2
    m_inner = m - m_outer
    t_outer = np.linspace(0.0, np.pi, m_outer)
    t_inner = np.linspace(0.0, np.pi, m_inner)
    X = np.vstack(
        [
            np.concatenate([np.cos(t_outer), 1.0 - np.cos(t_inner)]),
            np.concatenate([np.sin(t_outer), 0.5 - np.sin(t_inner)]),
        ]
    )
    if noise:
        X += rng.normal(0.0, noise, X.shape)
    Y = np.concatenate([np.zeros(m_outer), np.ones(m_inner)]).reshape(1, m)
    return X, Y


def make_circles(m: int = 200, *, noise: float = 0.05, factor: float = 0.5, seed: Seed = 0) -> tuple[Array, Array]:
    """Two circles: label 0 on the unit circle, label 1 on the circle of radius ``factor`` inside it.

    Args:
        m: number of examples (>= 2); the outer circle gets the extra one when m is odd.
        noise: standard deviation of the Gaussian noise on both coordinates (>= 0).
        factor: radius of the inner circle, in (0, 1).
        seed: an int, a ``numpy.random.Generator`` or None.

    Returns:
        X of shape (2, m) and Y of shape (1, m).
    """
    m = _check_count(m, "m", 2)
    noise = _check_noise(noise)
    ratio = float(factor) if isinstance(factor, numbers.Real) and not isinstance(factor, bool) else math.nan
    if not 0.0 < ratio < 1.0:
        message = f"factor must be a number in (0, 1) (inner radius / outer radius), got {factor!r}. Fix: factor=0.5."
        raise ValueRangeError(message)
    rng = _generator(seed)
    m_outer = (m + 1) // 2
    m_inner = m - m_outer
    t_outer = np.linspace(0.0, 2.0 * np.pi, m_outer, endpoint=False)
    t_inner = np.linspace(0.0, 2.0 * np.pi, m_inner, endpoint=False)
    X = np.vstack(
        [
            np.concatenate([np.cos(t_outer), factor * np.cos(t_inner)]),
            np.concatenate([np.sin(t_outer), factor * np.sin(t_inner)]),
        ]
    )
    if noise:
        X += rng.normal(0.0, noise, X.shape)
    Y = np.concatenate([np.zeros(m_outer), np.ones(m_inner)]).reshape(1, m)
    return X, Y


def _read_table(path: str | os.PathLike[str]) -> tuple[list[str], Array, list[int]]:
    """The header, the values (m, columns) and the line number of each data row of a CSV file.

    Every value is checked to be a finite number; errors name the line and column.
    """
    name = os.fspath(path)
    try:
        with open(name, newline="", encoding="utf-8") as file:
            lines = list(csv.reader(file))
    except UnicodeDecodeError as error:
        message = f"{name}: not a UTF-8 text file ({error.reason} at byte {error.start}). Expected a CSV file."
        raise DataError(message) from None
    except csv.Error as error:
        message = f"{name}: not a valid CSV file ({error}). Expected comma-separated numbers with a header row."
        raise DataError(message) from None
    numbered = [(number, row) for number, row in enumerate(lines, start=1) if any(cell.strip() for cell in row)]
    if not numbered:
        message = f"{name}: the file is empty. Expected a header row (e.g. x1,x2,y) and one row per example."
        raise DataError(message)
    header_line, header = numbered[0]
    header = [cell.strip() for cell in header]
    if all(_is_number(cell) for cell in header):
        message = (
            f"{name} line {header_line}: {','.join(header)!r} looks like data, not a header. "
            f"Fix: add a header row naming the columns, e.g. {','.join(f'x{i + 1}' for i in range(len(header)))}."
        )
        raise DataError(message)
    if not numbered[1:]:
        message = f"{name}: a header row but no data rows. Expected one row per example after line {header_line}."
        raise DataError(message)
    values = np.empty((len(numbered) - 1, len(header)))
    for row_index, (number, row) in enumerate(numbered[1:]):
        if len(row) != len(header):
            message = (
                f"{name} line {number}: {len(row)} values, expected {len(header)} "
                f"(one per header column: {', '.join(header)})."
            )
            raise DataError(message)
        for column, cell in enumerate(row):
            try:
                value = float(cell)
            except ValueError:
                message = (
                    f"{name} line {number}, column {column + 1} ({header[column]}): {cell!r} is not a number. "
                    "Fix: write a number there, or remove the row."
                )
                raise DataError(message) from None
            if not math.isfinite(value):
                message = (
                    f"{name} line {number}, column {column + 1} ({header[column]}): {cell.strip()} is not a "
                    "finite number. Fix: remove or impute missing values before training."
                )
                raise DataError(message)
            values[row_index, column] = value
    return header, values, [number for number, _ in numbered[1:]]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@overload
def load_csv(path: str | os.PathLike[str], *, labels: Literal[True] = ...) -> tuple[Array, Array]: ...
@overload
def load_csv(path: str | os.PathLike[str], *, labels: Literal[False]) -> Array: ...
def load_csv(path: str | os.PathLike[str], *, labels: bool = True) -> tuple[Array, Array] | Array:
    """Read a CSV file with a header row: one row per example, the features, then the label.

    Returns ``(X, Y)`` with X of shape (d, m) (the file's rows become columns, as on the
    slides) and Y of shape (1, m). With ``labels=False`` every column is a feature and only
    X is returned.

    Raises:
        FileNotFoundError: the file does not exist.
        minifw.DataError: the file is empty, not text, has no header, a row of the wrong
            length, a value that is not a finite number, or a label other than 0 and 1.
            The message names the line (counted from 1, the header is line 1) and column.

    Examples:
        >>> import pathlib, tempfile
        >>> import minifw as mf
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "and.csv"
        >>> _ = path.write_text("x1,x2,y\\n0,0,0\\n0,1,0\\n1,0,0\\n1,1,1\\n")
        >>> X, Y = mf.load_csv(path)
        >>> X.shape, Y.tolist()
        ((2, 4), [[0.0, 0.0, 0.0, 1.0]])
    """
    name = os.fspath(path)
    header, values, line_numbers = _read_table(name)
    if not labels:
        return np.ascontiguousarray(values.T)
    if len(header) < 2:
        message = (
            f"{name}: 1 column ({header[0]}); expected the features, then the label (at least 2 columns, e.g. x1,y)."
        )
        raise DataError(message)
    label_column = values[:, -1]
    bad = np.flatnonzero((label_column != 0.0) & (label_column != 1.0))
    if bad.size:
        first = int(bad[0])
        line = line_numbers[first]
        message = (
            f"{name} line {line}, column {len(header)} ({header[-1]}): label {label_column[first]:g} must be 0 or 1 "
            "(the last column is the label). Fix: code the two classes as 0 and 1."
        )
        raise DataError(message)
    X = np.ascontiguousarray(values[:, :-1].T)
    Y = np.ascontiguousarray(label_column.reshape(1, -1))
    return X, Y


def save_csv(
    path: str | os.PathLike[str], X: Array, Y: Array | None = None, *, header: list[str] | None = None
) -> None:
    """Write X (d, m) and optionally Y (1, m) as a CSV file that :func:`load_csv` reads back.

    The header defaults to ``x1, ..., xd, y``; values are written with full precision
    (``repr`` of each float), so a round trip is exact.
    """
    X_array = check_batch(X, "X", None, np.float64)
    check_finite(X_array, "X")  # load_csv refuses NaN and inf: do not write what cannot be read back
    columns = [X_array]
    if Y is not None:
        Y_array = check_same_shape(Y, "Y", (1, X_array.shape[1]), np.float64, "one label per column of X")
        if not np.isin(Y_array, (0.0, 1.0)).all():
            message = (
                f"Y must hold labels 0 or 1 (load_csv reads nothing else), got values from {Y_array.min()} to "
                f"{Y_array.max()}. Fix: code the two classes as 0 and 1."
            )
            raise ValueRangeError(message)
        columns.append(Y_array)
    table = np.vstack(columns).T
    names = header or [f"x{i + 1}" for i in range(X_array.shape[0])] + (["y"] if Y is not None else [])
    if len(names) != table.shape[1]:
        message = f"header has {len(names)} names for {table.shape[1]} columns. Fix: give one name per column."
        raise ValueRangeError(message)
    with open(os.fspath(path), "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(names)
        writer.writerows([[repr(float(v)) for v in row] for row in table])
