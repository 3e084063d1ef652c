"""CSV files: a loader that names bad lines, and a writer, in the slides' (d, m) layout.

``load_csv`` reads one example per row (the file's natural layout) and returns X of shape (d, m),
one column per example, and Y of shape (1, m); ``save_csv`` writes the same layout back.

Every error names the file and the line (counted from 1, the header is line 1) and says the fix.
A fix that needs an option names it as the caller spells it: ``label='y'`` for ``load_csv``,
``--label y`` for the command line (:class:`Hints`).
"""

import array
import codecs
import csv
import difflib
import io
import itertools
import math
import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, TextIO, overload

import numpy as np

from ..array import Array
from ..errors import DataError, DataWarning, ValueRangeError
from ..hints import PYTHON_HINTS, Hints
from ..io.atomic_write import write_text_atomically
from ..validation import check_batch, check_finite, check_same_shape

SEPARATORS = {",": "','", ";": "';'", "\t": "a tab"}
"""The separators (delimiters) a CSV file may use, with their names in messages."""

_LABEL_NAMES = {"y", "label", "labels", "target", "class", "outcome"}
"""Header names that say "this column is the label" (compared in lower case)."""


_OTHER_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
"""Byte-order marks of text that is not UTF-8 (spreadsheets' "Unicode text"), refused with a message."""


def closest_name(name: str, names: Sequence[str]) -> str | None:
    """The name in ``names`` closest to ``name``: the same but for case first, then the most similar, or None."""
    same = [n for n in names if n.lower() == name.lower()]
    if same:
        return same[0]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return close[0] if close else None


@dataclass(frozen=True)
class ColumnChoice:
    """Which columns of a CSV file are the label and the features, by their header names.

    Attributes:
        label: the label column; None: the last column that is not a feature or dropped (no
            label at all when ``label_optional``).
        features: the feature columns, in this order; None: every column but the label and ``drop``.
        drop: columns that are neither, such as an identifier or a column of text.
        label_optional: the file may have no label column (new data to predict): a ``label``
            that the header does not name is then no error, and a file without it has no label.
        features_from: where ``features`` come from, when not from the user (``the model
            m.npz``): a missing feature column is then blamed on the file, not on the option.

    The columns that are neither label nor feature are read as text, never as numbers.
    """

    label: str | None = None
    features: Sequence[str] | None = None
    drop: Sequence[str] = ()
    label_optional: bool = False
    features_from: str | None = None

    def resolve(self, name: str, header: list[str], hints: Hints) -> tuple[int | None, list[int]]:
        """The label's column index (or None) and the features' column indices, for the file ``name``."""
        if len(set(header)) < len(header):
            repeated = next(cell for cell in header if header.count(cell) > 1)
            columns = ", ".join(str(i + 1) for i, cell in enumerate(header) if cell == repeated)
            if repeated in (self.label, *(self.features or ()), *self.drop):
                fix = "rename all but the label column" if repeated == self.label else "give each column its own name"
                raise DataError(f"{name}: columns {columns} are all named {repeated!r}. Fix: {fix}.")
        for option, names in (("features", self.features or ()), ("drop", self.drop)):
            for wanted in names:
                if wanted not in header and option == "features" and self.features_from is not None:
                    close = closest_name(wanted, header)
                    message = (
                        f"{name} has no column {wanted!r}, which {self.features_from} takes as a feature (it takes "
                        f"{', '.join(map(repr, self.features or ()))}); the header names {', '.join(map(repr, header))}"
                        f". Fix: add the column {wanted!r}"
                        + (f", or rename {close!r} to {wanted!r} if it holds that feature." if close else ".")
                    )
                    raise DataError(message)
                if wanted not in header:
                    raise DataError(self._unknown(name, header, wanted, option, hints))
        label: int | None = None
        if self.label is not None:
            if self.label in header:
                label = header.index(self.label)
            elif not self.label_optional:
                raise DataError(self._unknown(name, header, self.label, "label", hints))
        elif not self.label_optional:
            taken = {*(self.features or ()), *self.drop}
            free = [i for i, cell in enumerate(header) if cell not in taken]
            if not free:
                message = f"{name}: every column is a feature or dropped, and none is left for the label. Fix: pass "
                raise DataError(message + f"{hints.label(header[-1])}.")
            label = free[-1]
        label_name = None if label is None else header[label]
        if label_name is not None and label_name in (*(self.features or ()), *self.drop):
            option = "features" if label_name in (self.features or ()) else "drop"
            message = (
                f"{name}: {label_name!r} is the label column, and {hints.columns(option, [label_name])} names it too. "
                f"Fix: leave it out of {hints.option(option)}, or pick another label with {hints.label('NAME')}."
            )
            raise DataError(message)
        if self.features is not None:
            if len(set(self.features)) < len(self.features):
                repeated = next(f for f in self.features if list(self.features).count(f) > 1)
                raise DataError(f"{hints.option('features')} names {repeated!r} twice. Fix: name each column once.")
            both = [f for f in self.features if f in self.drop]
            if both:
                message = (
                    f"{both[0]!r} is both a feature ({hints.option('features')}) and dropped ({hints.option('drop')}). "
                    "Fix: name it in one of them."
                )
                raise DataError(message)
            features = [header.index(f) for f in self.features]
        else:
            features = [i for i, cell in enumerate(header) if i != label and cell not in self.drop]
        return label, features

    @staticmethod
    def _unknown(name: str, header: list[str], wanted: str, option: str, hints: Hints) -> str:
        close = closest_name(wanted, header)
        fix = (
            f"Fix: write it as the header does, {hints.columns(option, [close])}"
            if close is not None
            else f"Fix: pass one of these names, e.g. {hints.columns(option, [header[-1]])}"
        )
        return f"{name}: no column is named {wanted!r}; the header names {', '.join(map(repr, header))}. {fix}."


@dataclass(frozen=True)
class Table:
    """A CSV file as :func:`read_table` reads it.

    Attributes:
        name: the file's name, for messages.
        header: the column names.
        values: the numbers, shape (rows, columns); NaN in the columns read as text.
        line_numbers: the line of each row in the file (counted from 1, the header is line 1).
        text: the cells of the columns read as text (neither label nor feature), by column index.
        label: the label's column index, or None.
        features: the features' column indices, in order.
        choice: the :class:`ColumnChoice` the columns were read with.
    """

    name: str
    header: list[str]
    values: Array
    line_numbers: Sequence[int]
    text: dict[int, list[str]]
    label: int | None
    features: list[int]
    choice: ColumnChoice


def check_delimiter(delimiter: object) -> str:
    """``delimiter`` if it is one of :data:`SEPARATORS`, else a :class:`minifw.ValueRangeError` with the fix."""
    if not isinstance(delimiter, str) or delimiter not in SEPARATORS:
        message = (
            f"delimiter must be ',', ';' or a tab ('\\t'), got {delimiter!r}. "
            "Fix: pass the character that separates the columns of the file, e.g. delimiter=';'."
        )
        raise ValueRangeError(message)
    return delimiter


def read_table(
    path: str | os.PathLike[str],
    delimiter: str = ",",
    *,
    hints: Hints = PYTHON_HINTS,
    choice: ColumnChoice = ColumnChoice(),  # frozen: one shared default is safe
) -> Table:
    """The header, the values (m, columns) and the line number of each data row of a CSV file.

    ``choice`` says which columns are the label and the features: each of their values is
    checked to be a finite number, and the other columns are kept as text. Errors name the
    line and column and say the fix (with the options spelled as ``hints`` says); a column
    whose first value is text is named as a column of text. The columns are separated by ``delimiter``
    (``','``, ``';'`` or a tab); a header separated by another one is refused with the option
    that reads it. The file is UTF-8 text, with or without a byte-order mark (spreadsheets
    write one: it is not part of the first cell). It is read in blocks, each block's numbers
    stored as they come, so the memory used is about that of the values.
    """
    delimiter = check_delimiter(delimiter)
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
                return _read_rows(name, file, delimiter, hints, choice)
            except UnicodeDecodeError:
                pass  # the position in the error is that within a chunk: find the one in the file
    reason, offset, line = _first_undecodable_byte(name)
    message = (
        f"{name} line {line}: not a UTF-8 text file ({reason} at byte {offset}). Expected a CSV file. "
        "Fix: pass a CSV file saved as UTF-8 text."
    )
    raise DataError(message)


def _first_undecodable_byte(name: str) -> tuple[str, int, int]:
    """Why, where (the offset in the file) and on which line UTF-8 decoding of the file ``name`` first fails."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0  # of the first byte the decoder holds back (an incomplete character) or gets next
    newlines = 0  # before that byte
    with open(name, "rb") as file:
        while True:
            chunk = file.read(1 << 16)
            held = decoder.getstate()[0]
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                return error.reason, offset + error.start, 1 + newlines + (held + chunk)[: error.start].count(b"\n")
            kept = decoder.getstate()[0]
            offset += len(held) + len(chunk) - len(kept)
            newlines += (held + chunk)[: len(held) + len(chunk) - len(kept)].count(b"\n")
            if not chunk:
                return "no error", offset, 1 + newlines  # pragma: no cover - the file changed since it was read


_BLOCK_CHARACTERS = 1 << 20
"""Data rows are read in blocks of about this many characters (about 1 MiB)."""


def _numbered_rows(name: str, lines: Iterable[str], start: int, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The csv module's rows of ``lines``, numbered from ``start``; its errors as a DataError naming the line."""
    rows = csv.reader(lines, delimiter=delimiter)
    while True:
        number = start + rows.line_num  # the row's first line: a quoted cell may hold line breaks
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            fix = "write the line as numbers separated by " + SEPARATORS[delimiter]
            if "field larger than field limit" in str(error):  # a quote that is never closed takes in the lines after
                fix = 'close the quote (") that opens on this line, or remove it'
            raise DataError(f"{name} line {number}: not a valid CSV line ({error}). Fix: {fix}.") from None
        yield number, row


def _other_separator(cells: Sequence[str], delimiter: str) -> str | None:
    """The separator other than ``delimiter`` that the cells hold most often, if any."""
    counts = {s: sum(cell.count(s) for cell in cells) for s in SEPARATORS if s != delimiter}
    separator = max(counts, key=lambda s: counts[s])
    return separator if counts[separator] else None


def _read_rows(name: str, file: TextIO, delimiter: str, hints: Hints, choice: ColumnChoice) -> Table:
    """The header, values and line numbers of the CSV file ``name``, open as ``file``.

    Lines are numbered as the csv module's rows, counted from 1. The header goes through
    the csv module; then the data rows come in blocks of lines. A block without quotes,
    blank lines or anything that is not a finite number is parsed in one go (split at the
    separators, then Python's ``float`` on every cell: the same numbers and rules as row by
    row, about four times faster). Any other block goes through the csv module row by row,
    whose errors name the line and column (:func:`_checked_row`); a quote sends the rest of
    the file there (a quoted cell may hold a line break).
    """
    header_line, header = 0, []
    for header_line, row in _numbered_rows(name, file, 1, delimiter):  # noqa: B007  # the number is used below
        if any(cell.strip() for cell in row):
            header = [cell.strip() for cell in row]
            break
    if not header:
        message = (
            f"{name}: the file is empty. Expected a header row (e.g. x1,x2,y) and one row per example. "
            "Fix: pass a CSV file with a header row and data."
        )
        raise DataError(message)
    other = _other_separator(header, delimiter) if len(header) == 1 else None
    if other is not None:  # e.g. 'x1;x2;y' read with ','
        fix = f"pass {hints.delimiter(other)}"
        example = next((line for line in itertools.islice(file, 10) if line.strip()), "")  # the first data row
        commas = [cell.strip() for cell in example.split(other) if "," in cell and is_number(cell.replace(",", "."))]
        if other != "," and commas:
            fix += f", and write decimal points, not commas ({commas[0].replace(',', '.')}, not {commas[0]})"
        message = (
            f"{name} line {header_line}: the header {header[0]!r} is separated by {SEPARATORS[other]}, and the file is "
            f"read as separated by {SEPARATORS[delimiter]}. Fix: {fix}."
        )
        raise DataError(message)
    if all(is_number(cell) for cell in header):
        message = (
            f"{name} line {header_line}: {delimiter.join(header)!r} looks like data, not a header. "
            f"Fix: add a header row naming the columns, e.g. {delimiter.join(f'x{i + 1}' for i in range(len(header)))}."
        )
        raise DataError(message)
    label, features = choice.resolve(name, header, hints)
    text_columns = [i for i in range(len(header)) if i != label and i not in features]
    table = _Table(name, header, header_line, delimiter, hints, label, text_columns)
    number = header_line + 1  # of the next line
    while lines := file.readlines(_BLOCK_CHARACTERS):
        text = "".join(lines)
        if '"' in text:
            for number_, row in _numbered_rows(name, itertools.chain(lines, file), number, delimiter):
                table.add_row(number_, row)
            break
        if not table.add_block(number, len(lines), text):
            for number_, row in _numbered_rows(name, lines, number, delimiter):
                table.add_row(number_, row)
        number += len(lines)
    if not table.line_numbers:
        message = (
            f"{name} line {header_line}: a header row but no data rows after it. Expected one row per example. "
            "Fix: add the examples after the header, one per line."
        )
        raise DataError(message)
    values = np.frombuffer(table.values, dtype=np.float64).reshape(-1, len(header))
    if table.text:
        values = values.copy()  # writable
        values[:, list(table.text)] = np.nan
    return Table(name, header, values, table.line_numbers, table.text, label, features, choice)


class _Table:
    """The numbers of the data rows as they are read, and the line number of each row."""

    def __init__(
        self,
        name: str,
        header: list[str],
        header_line: int,
        delimiter: str,
        hints: Hints,
        label: int | None,
        text_columns: list[int],
    ) -> None:
        self.name, self.header, self.header_line = name, header, header_line
        self.delimiter, self.hints, self.label = delimiter, hints, label
        self.values = array.array("d")
        self.line_numbers = array.array("q")
        self.text: dict[int, list[str]] = {i: [] for i in text_columns}  # the cells of the columns read as text

    def add_block(self, number: int, count: int, text: str) -> bool:
        """Add the ``count`` lines of ``text`` (from line ``number`` on) if each is a row of finite numbers.

        Add nothing and return False if any is not.
        """
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        separators = len(self.header) - 1
        text = text.removesuffix("\n")
        if list(map(str.count, text.split("\n"), itertools.repeat(self.delimiter))).count(separators) != count:
            return False  # a blank line, or one of another length
        cells = text.replace("\n", self.delimiter).split(self.delimiter)
        width = len(self.header)
        text_cells = {i: cells[i::width] for i in self.text}
        for i in self.text:
            cells[i::width] = ["0"] * count  # a number in place of the text (NaN in the end)
        try:
            numbers = list(map(float, cells))
        except ValueError:
            return False
        if not math.isfinite(sum(numbers)):  # NaN or inf, or finite numbers whose sum overflows
            return False
        for i, column in text_cells.items():
            self.text[i].extend(column)
        self.values.fromlist(numbers)
        self.line_numbers.frombytes(np.arange(number, number + count, dtype=np.int64).tobytes())
        return True

    def add_row(self, number: int, row: list[str]) -> None:
        """Add the numbers of ``row`` (line ``number``) unless it is blank; else raise the error naming a bad cell."""
        cells = row
        if self.text and len(row) == len(self.header):
            cells = ["0" if i in self.text else cell for i, cell in enumerate(row)]  # NaN in the end
        try:
            numbers = list(map(float, cells))
        except ValueError:
            numbers = []
        if len(numbers) != len(self.header) or not math.isfinite(sum(numbers)):
            if not any(cell.strip() for cell in row):
                return  # a blank line
            numbers = self._checked_row(number, row)
        self.values.extend(numbers)
        self.line_numbers.append(number)
        for i, column in self.text.items():
            column.append(row[i])

    def _checked_row(self, number: int, row: list[str]) -> list[float]:
        """The numbers of ``row`` (line ``number``), or the error naming its first bad cell and the fix."""
        name, header = self.name, self.header
        if len(row) != len(header):
            raise self._wrong_length(number, row)
        numbers = []
        for column, cell in enumerate(row):
            if column in self.text:
                numbers.append(0.0)  # NaN in the end
                continue
            try:
                value = float(cell)
            except ValueError:
                where = f"{name} line {number}, column {column + 1} ({header[column]})"
                raise DataError(f"{where}: {cell!r} is not a number{self._number_fix(column, cell)}.") from None
            if not math.isfinite(value):
                message = (
                    f"{name} line {number}, column {column + 1} ({header[column]}): {cell.strip()} is not a "
                    "finite number. Fix: remove or impute missing values before training."
                )
                raise DataError(message)
            numbers.append(value)
        return numbers

    def _number_fix(self, column: int, cell: str) -> str:
        """Why a cell is not a number, and the fix: a decimal comma, another separator, text, or just a typo."""
        if self.delimiter != "," and is_number(cell.replace(",", ".")):
            return (
                f". Fix: write {cell.strip().replace(',', '.')}: minifw reads a decimal point, not a decimal comma "
                "(a spreadsheet writes points when its decimal separator is set to '.')"
            )
        other = _other_separator([cell], self.delimiter)
        if other is not None:
            return f". Fix: separate the values with {SEPARATORS[self.delimiter]}, not {SEPARATORS[other]}"
        if not self.line_numbers and cell.strip():  # the column's first value: a column of text
            name = self.header[column]
            if column == self.label:
                return f": the label column ({name}) holds text. Fix: code the two classes as 0 and 1"
            return (
                f": {name} is a column of text, and minifw reads numbers only. Fix: leave it out with "
                f"{self.hints.drop(name)}, or encode it as numbers (e.g. 0 and 1 for two values)"
            )
        return ". Fix: write a number there, or remove the row"

    def _wrong_length(self, number: int, row: list[str]) -> DataError:
        """The error for a row of another length than the header: blames the header where it holds the typo."""
        name, header, delimiter, expected = self.name, self.header, self.delimiter, len(self.header)
        columns = ", ".join(header)
        found = f"{name} line {number}: {_values(len(row))}, expected {expected} (one per header column: {columns})"
        other = _other_separator(header, delimiter)
        if other is not None and sum(len(cell.split(other)) for cell in header) == len(row):
            cell = next(cell for cell in header if other in cell)
            fixed = delimiter.join(part.strip() for cell in header for part in cell.split(other))
            message = (
                f"{name} line {self.header_line} (the header): {cell!r} holds {SEPARATORS[other]}, but the columns "
                f"are separated by {SEPARATORS[delimiter]}: the header names {expected} columns, line {number} has "
                f"{_values(len(row))}. Fix: write the header as {fixed!r}."
            )
            return DataError(message)
        other = _other_separator(row, delimiter)
        if other is not None and sum(len(cell.split(other)) for cell in row) == expected:
            cell = next(cell for cell in row if other in cell)
            fix = f"separate the values with {SEPARATORS[delimiter]}, as in the header (line {self.header_line})"
            return DataError(f"{found}; {cell.strip()!r} holds {SEPARATORS[other]}. Fix: {fix}.")
        if not self.line_numbers:  # the first data row: the header may be the one at fault
            fix = (
                f"give the header (line {self.header_line}) one name per column, or this row {expected} values"
                if len(row) > expected
                else f"give this row {expected} values, or the header (line {self.header_line}) fewer names"
            )
        else:
            fix = f"give this row {expected} values, as the rows before it have, or remove it"
        return DataError(f"{found}. Fix: {fix}.")


def _values(count: int) -> str:
    return "1 value" if count == 1 else f"{count} values"


def is_number(cell: str) -> bool:
    """Whether ``cell`` reads as a number (``float`` accepts it)."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _label_like_column(table: Table) -> int | None:
    """The feature column that looks most like the label: it holds only 0 and 1.

    A column named like a label (y, label, target, class...) comes first, then the first such column.
    """
    header, values = table.header, table.values
    binary = [i for i in table.features if bool(np.isin(values[:, i], (0.0, 1.0)).all())]
    named = [i for i in binary if header[i].lower() in _LABEL_NAMES]
    return (named or binary)[0] if binary else None


def features_of(table: Table) -> Array:
    """X, shape (d, m): the feature columns of ``table``, in order, one column per example; an error if none."""
    if not table.features:
        header, label = table.header, table.label
        if label is not None and len(header) == 1:
            message = (
                f"{table.name}: 1 column ({header[0]}), the label: no features. Fix: add the feature columns before "
                "the label (at least 2 columns, e.g. x1,y)."
            )
        else:
            message = (
                f"{table.name}: {len(header)} columns ({', '.join(header)}), each the label or left out: no features. "
                "Fix: leave out fewer columns."
            )
        raise DataError(message)
    return np.ascontiguousarray(table.values[:, table.features].T)


def split_label(table: Table, hints: Hints = PYTHON_HINTS) -> tuple[Array, Array]:
    """X (d, m) and Y (1, m) from a table read by :func:`read_table`, its label checked to be 0 or 1.

    Errors say the fix as ``hints`` spell it.
    """
    name, header, column = table.name, table.header, table.label
    X = features_of(table)
    if column is None:
        message = f"{name}: the file has no label column. Fix: add one, or name it with {hints.label('NAME')}."
        raise DataError(message)
    given = table.choice.label is not None
    which = f"{hints.label(header[column])} picks it as the label" if given else "the last column is the label"
    labels = table.values[:, column]
    bad = np.flatnonzero((labels != 0.0) & (labels != 1.0))
    other = _label_like_column(table)
    if bad.size:
        first = int(bad[0])
        where = f"{name} line {table.line_numbers[first]}, column {column + 1} ({header[column]})"
        message = f"{where}: label {labels[first]:g} must be 0 or 1 ({which})."
        if other is None:
            message += " Fix: code the two classes as 0 and 1."
        else:
            message += (
                f" Column {other + 1} ({header[other]}) holds only 0 and 1. Fix: if it is the label, pass "
                f"{hints.label(header[other])}; else code the two classes as 0 and 1."
            )
        raise DataError(message)
    named = other is not None and header[other].lower() in _LABEL_NAMES
    if not given and other is not None and named and header[column].lower() not in _LABEL_NAMES:
        message = (
            f"{name}: the last column ({header[column]}) is taken as the label, but column {other + 1} is named "
            f"{header[other]!r} and holds only 0 and 1. Fix: if {header[other]!r} is the label, pass "
            f"{hints.label(header[other])}."
        )
        warnings.warn(message, DataWarning, stacklevel=3)
    return X, np.ascontiguousarray(labels.reshape(1, -1))


@overload
def load_csv(
    path: str | os.PathLike[str],
    *,
    labels: Literal[True] = ...,
    label: str | None = ...,
    features: Sequence[str] | None = ...,
    drop: Sequence[str] = ...,
    delimiter: str = ...,
) -> tuple[Array, Array]: ...
@overload
def load_csv(
    path: str | os.PathLike[str],
    *,
    labels: Literal[False],
    label: None = ...,
    features: Sequence[str] | None = ...,
    drop: Sequence[str] = ...,
    delimiter: str = ...,
) -> Array: ...
def load_csv(
    path: str | os.PathLike[str],
    *,
    labels: bool = True,
    label: str | None = None,
    features: Sequence[str] | None = None,
    drop: Sequence[str] = (),
    delimiter: str = ",",
) -> tuple[Array, Array] | Array:
    """Read a CSV file with a header row: one row per example, the features, then the label.

    Returns ``(X, Y)`` with X of shape (d, m) (the file's rows become columns, as on the
    slides) and Y of shape (1, m). With ``labels=False`` every column is a feature and only
    X is returned.

    Args:
        path: the file: UTF-8 text, a header row naming the columns, then one row per example.
        labels: whether the file has a label column (0 or 1).
        label: the header name of the label column; default: the last column that is not
            a feature or dropped.
        features: the header names of the feature columns, in the order X gets them; default:
            every column but the label and ``drop``, in the file's order.
        drop: header names of columns to leave out (an identifier, a column of text); they are
            not read as numbers.
        delimiter: what separates the columns: ``','`` (the default), ``';'`` or ``'\\t'`` (a tab).

    Raises:
        FileNotFoundError: the file does not exist.
        minifw.DataError: the file is empty, not text, has no header, a row of the wrong
            length, a value that is not a finite number (a column of text among the features),
            a label other than 0 and 1, or no column named ``label`` (or one of ``features``
            or ``drop``: the closest header is suggested); a header separated by another
            delimiter. The message names the line (counted from 1, the header is line 1) and
            column, and the fix.
        minifw.ValueRangeError: a ``delimiter`` other than those three.

    Warns:
        minifw.DataWarning: the last column is taken as the label, but another column that
            holds only 0 and 1 is named like a label (``y``, ``label``, ``target``, ``class``...).

    Examples:
        >>> import pathlib, tempfile
        >>> import minifw as mf
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "and.csv"
        >>> _ = path.write_text("x1,x2,y\\n0,0,0\\n0,1,0\\n1,0,0\\n1,1,1\\n")
        >>> X, Y = mf.load_csv(path)
        >>> X.shape, Y.tolist()
        ((2, 4), [[0.0, 0.0, 0.0, 1.0]])
        >>> _ = path.write_text("y;x1;x2\\n0;0;0\\n0;0;1\\n0;1;0\\n1;1;1\\n")
        >>> X, Y = mf.load_csv(path, label="y", delimiter=";")
        >>> X.shape, Y.tolist()
        ((2, 4), [[0.0, 0.0, 0.0, 1.0]])
        >>> _ = path.write_text("id,name,x1,y\\n7,Ann,0.5,1\\n9,Bo,-0.5,0\\n")
        >>> X, Y = mf.load_csv(path, features=["x1"])
        >>> X.tolist(), Y.tolist()
        ([[0.5, -0.5]], [[1.0, 0.0]])
    """
    name = os.fspath(path)
    if not labels and label is not None:
        message = (
            f"label={label!r} names the label column, but labels=False says the file has none. "
            "Fix: pass one of them, not both."
        )
        raise ValueRangeError(message)
    choice = ColumnChoice(label, _names(features, "features"), _names(drop, "drop") or (), label_optional=not labels)
    table = read_table(name, delimiter, choice=choice)
    if not labels:
        return features_of(table)
    return split_label(table)


def _names(value: Sequence[str] | None, option: str) -> Sequence[str] | None:
    """Column names as given to ``option``: a list of strings (one string is one name), or None."""
    if value is None or isinstance(value, str):
        return None if value is None else [value]
    names = list(value)
    if not all(isinstance(name, str) for name in names):
        message = f"{option} must be a list of column names (strings), got {value!r}. Fix: e.g. {option}=['id']."
        raise ValueRangeError(message)
    return names


def save_csv(
    path: str | os.PathLike[str], X: Array, Y: Array | None = None, *, header: list[str] | None = None
) -> None:
    """Write X (d, m) and optionally Y (1, m) as a CSV file that :func:`load_csv` reads back.

    The header defaults to ``x1, ..., xd, y``; values are written with full precision
    (``repr`` of each float), so a round trip is exact. The file is written atomically, as :func:`minifw.save`
    writes a model: an existing file keeps its bytes until the new one is complete.
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
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(names)
    writer.writerows([[repr(float(v)) for v in row] for row in table])
    write_text_atomically(os.fspath(path), text.getvalue())
