"""CSV files: a loader that names bad lines, and a writer, in the slides' (d, m) layout.

``load_csv`` reads one example per row (the file's natural layout) and returns X of shape (d, m),
one column per example, and Y of shape (1, m); ``save_csv`` writes the same layout back.
"""

import array
import codecs
import csv
import io
import itertools
import math
import os
from collections.abc import Sequence
from typing import Literal, TextIO, overload

import numpy as np

from ..array import Array
from ..errors import DataError, ValueRangeError
from ..validation import check_batch, check_finite, check_same_shape

_OTHER_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
"""Byte-order marks of text that is not UTF-8 (spreadsheets' "Unicode text"), refused with a message."""


def read_table(path: str | os.PathLike[str]) -> tuple[list[str], Array, Sequence[int]]:
    """The header, the values (m, columns) and the line number of each data row of a CSV file.

    Every value is checked to be a finite number; errors name the line and column. The file
    is UTF-8 text, with or without a byte-order mark (spreadsheets write one: it is not part
    of the first cell). It is read in blocks, each block's numbers stored as they come, so
    the memory used is about that of the values.
    """
    name = os.fspath(path)
    with open(name, "rb") as raw:
        start = raw.read(4)
        for mark, encoding in _OTHER_ENCODINGS:
            if start.startswith(mark):
                message = (
                    f"{name}: the file is {encoding} text (it starts with the byte-order mark "
                    f"{mark.hex(' ').upper()}), and minifw reads UTF-8. Fix: save it as UTF-8, e.g. 'CSV UTF-8' "
                    "in a spreadsheet's Save As."
                )
                raise DataError(message)
        raw.seek(0)
        with io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as file:
            try:
                return _read_rows(name, file)
            except UnicodeDecodeError:
                pass  # the position in the error is that within a chunk: find the one in the file
            except csv.Error as error:
                message = f"{name}: not a valid CSV file ({error}). Expected comma-separated numbers with a header row."
                raise DataError(message) from None
    reason, offset = _first_undecodable_byte(name)
    message = (
        f"{name}: not a UTF-8 text file ({reason} at byte {offset}). Expected a CSV file. "
        "Fix: pass a CSV file saved as UTF-8 text."
    )
    raise DataError(message)


def _first_undecodable_byte(name: str) -> tuple[str, int]:
    """Why and where (the offset in the file) UTF-8 decoding of the file ``name`` first fails."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0  # of the first byte the decoder holds back (an incomplete character) or gets next
    with open(name, "rb") as file:
        while True:
            chunk = file.read(1 << 16)
            held = decoder.getstate()[0]
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                return error.reason, offset + error.start
            offset += len(held) + len(chunk) - len(decoder.getstate()[0])
            if not chunk:
                return "no error", offset  # pragma: no cover - the file changed since it was read


_BLOCK_CHARACTERS = 1 << 20
"""Data rows are read in blocks of about this many characters (about 1 MiB)."""


def _read_rows(name: str, file: TextIO) -> tuple[list[str], Array, Sequence[int]]:
    """The header, values and line numbers of the CSV file ``name``, open as ``file``.

    Lines are numbered as the csv module's rows, counted from 1. The header goes through
    the csv module; then the data rows come in blocks of lines. A block without quotes,
    blank lines or anything that is not a finite number is parsed in one go (split at the
    commas, then Python's ``float`` on every cell: the same numbers and rules as row by
    row, about four times faster). Any other block goes through the csv module row by row,
    whose errors name the line and column (:func:`_checked_row`); a quote sends the rest of
    the file there (a quoted cell may hold a line break).
    """
    rows = csv.reader(file)
    header_line, header = 0, []
    for header_line, row in enumerate(rows, start=1):  # noqa: B007  # the line number is used after the loop
        if any(cell.strip() for cell in row):
            header = [cell.strip() for cell in row]
            break
    if not header:
        message = f"{name}: the file is empty. Expected a header row (e.g. x1,x2,y) and one row per example."
        raise DataError(message)
    if all(_is_number(cell) for cell in header):
        message = (
            f"{name} line {header_line}: {','.join(header)!r} looks like data, not a header. "
            f"Fix: add a header row naming the columns, e.g. {','.join(f'x{i + 1}' for i in range(len(header)))}."
        )
        raise DataError(message)
    table = _Table(name, header)
    number = header_line + 1  # of the next line
    while lines := file.readlines(_BLOCK_CHARACTERS):
        text = "".join(lines)
        if '"' in text:
            for number_, row in enumerate(csv.reader(itertools.chain(lines, file)), start=number):
                table.add_row(number_, row)
            break
        if not table.add_block(number, len(lines), text):
            for offset, row in enumerate(csv.reader(lines)):
                table.add_row(number + offset, row)
        number += len(lines)
    if not table.line_numbers:
        message = f"{name}: a header row but no data rows. Expected one row per example after line {header_line}."
        raise DataError(message)
    return header, np.frombuffer(table.values, dtype=np.float64).reshape(-1, len(header)), table.line_numbers


class _Table:
    """The numbers of the data rows as they are read, and the line number of each row."""

    def __init__(self, name: str, header: list[str]) -> None:
        self.name, self.header = name, header
        self.values = array.array("d")
        self.line_numbers = array.array("q")

    def add_block(self, number: int, count: int, text: str) -> bool:
        """Add the ``count`` lines of ``text`` (from line ``number`` on) if each is a row of finite numbers.

        Add nothing and return False if any is not.
        """
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        commas = len(self.header) - 1
        text = text.removesuffix("\n")
        if list(map(str.count, text.split("\n"), itertools.repeat(","))).count(commas) != count:
            return False  # a blank line, or one of another length
        try:
            numbers = list(map(float, text.replace("\n", ",").split(",")))
        except ValueError:
            return False
        if not math.isfinite(sum(numbers)):  # NaN or inf, or finite numbers whose sum overflows
            return False
        self.values.fromlist(numbers)
        self.line_numbers.frombytes(np.arange(number, number + count, dtype=np.int64).tobytes())
        return True

    def add_row(self, number: int, row: list[str]) -> None:
        """Add the numbers of ``row`` (line ``number``) unless it is blank; else raise the error naming a bad cell."""
        try:
            numbers = list(map(float, row))
        except ValueError:
            numbers = []
        if len(numbers) != len(self.header) or not math.isfinite(sum(numbers)):
            if not any(cell.strip() for cell in row):
                return  # a blank line
            numbers = _checked_row(self.name, number, row, self.header)
        self.values.extend(numbers)
        self.line_numbers.append(number)


def _checked_row(name: str, number: int, row: list[str], header: list[str]) -> list[float]:
    """The numbers of ``row`` (line ``number``), or the error naming its first bad cell."""
    if len(row) != len(header):
        message = (
            f"{name} line {number}: {len(row)} values, expected {len(header)} "
            f"(one per header column: {', '.join(header)})."
        )
        raise DataError(message)
    numbers = []
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
        numbers.append(value)
    return numbers


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
