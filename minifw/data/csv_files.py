"""CSV files: a loader that names bad lines, and a writer, in the slides' (d, m) layout.

``load_csv`` reads one example per row (the file's natural layout) and returns X of shape (d, m),
one column per example, and Y of shape (1, m); ``save_csv`` writes the same layout back.
"""

import csv
import math
import os
from typing import Literal, overload

import numpy as np

from ..array import Array
from ..errors import DataError, ValueRangeError
from ..training.checks import check_finite
from ..validation import check_batch, check_same_shape


def read_table(path: str | os.PathLike[str]) -> tuple[list[str], Array, list[int]]:
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
    header, values, line_numbers = read_table(name)
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
