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
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TextIO, overload

import numpy as np

from ..array import Array
from ..errors import DataError, DataWarning, ValueRangeError
from ..hints import PYTHON_HINTS, Hints
from ..io.atomic_write import write_text_atomically
from ..number_checks import check_finite
from ..validation import check_batch, check_same_shape

SEPARATORS = {",": "','", ";": "';'", "\t": "a tab"}
"""The separators (delimiters) a CSV file may use, with their names in messages."""

_LABEL_NAMES = {"y", "label", "labels", "target", "class", "outcome"}
"""Header names that say "this column is the label" (compared in lower case)."""


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
        drop_incomplete: leave out the rows with missing cells among the features and the label.
        positive: the label's value that is class 1 (:func:`read_labels`).
        classes: the label's values for class 0 and 1 that a model was trained on.
        width: how many features a model takes, when it knows no column names: a file with no
            ``label`` named, no ``features`` given and one column more than that (after ``drop``)
            has its last column as the label.

    The columns that are neither label nor feature are read as text, never as numbers.
    """

    label: str | None = None
    features: Sequence[str] | None = None
    drop: Sequence[str] = ()
    label_optional: bool = False
    features_from: str | None = None
    drop_incomplete: bool = False
    positive: str | None = None
    classes: tuple[str, str] | None = None
    width: int | None = None

    def resolve(self, name: str, header: list[str], hints: Hints) -> tuple[int | None, list[int]]:
        """The label's column index (or None) and the features' column indices, for the file ``name``."""
        given = [("label", self.label)] if self.label is not None else []  # (option, column) of each name given
        given += [("features", column) for column in self.features or ()] + [("drop", column) for column in self.drop]
        for option, column in given:
            options = [hints.option(other) for other, same in given if same == column]
            if len(options) > 1:
                message = (
                    f"{column!r} is named {len(options)} times, in {' and '.join(options)}: a column is the label, a "
                    "feature or dropped, once. Fix: name it once."
                )
                raise DataError(message)
            if header.count(column) > 1:
                columns = ", ".join(str(i + 1) for i, cell in enumerate(header) if cell == column)
                raise DataError(f"{name}: columns {columns} are all named {column!r}. Fix: rename them.")
            if column not in header and not (option == "label" and self.label_optional):
                raise DataError(self._unknown(name, header, column, option, hints))
        free = [i for i, cell in enumerate(header) if cell not in {column for _, column in given}]
        label = header.index(self.label) if self.label in header else None
        one_more = self.width is not None and self.features is None and len(free) == self.width + 1
        if self.label is None and free and (not self.label_optional or one_more):  # none free: no label (read_labels)
            label = free[-1]
        if self.features is None:
            return label, [i for i in free if i != label]
        return label, [header.index(feature) for feature in self.features]

    def _unknown(self, name: str, header: list[str], wanted: str, option: str, hints: Hints) -> str:
        same = [column for column in header if column.lower() == str(wanted).lower()]  # the same but for case first
        close = next(iter(same or difflib.get_close_matches(str(wanted), header, n=1, cutoff=0.6)), None)
        what, fix = "", f"pass a name as the header writes it, e.g. {hints.columns(option, [close or header[-1]])}"
        if option == "features" and self.features_from is not None:  # the model's features: the file is at fault
            what = f", one of the features {self.features_from} takes ({', '.join(map(repr, self.features or ()))})"
            fix = f"add the column {wanted!r}"
            fix += f", or rename {close!r} to {wanted!r} if it holds that feature" if close is not None else ""
        return (
            f"{name}: no column is named {wanted!r}{what}; the header names {', '.join(map(repr, header))}. Fix: {fix}."
        )


@dataclass(frozen=True)
class Table:
    """A CSV file as :func:`read_table` reads it.

    Attributes:
        name: the file's name, for messages.
        header: the column names.
        values: the numbers, shape (rows, columns); NaN in the columns read as text.
        line_numbers: the line of each row in the file (counted from 1, the header is line 1).
        text: the cells of the columns read as text (those neither label nor feature, and a label
            of words such as yes and no), by column index.
        label: the label's column index, or None.
        features: the features' column indices, in order.
        choice: the :class:`ColumnChoice` the columns were read with.
        delimiter: the separator the file was read with.
        left_out: the rows with missing cells left out (``choice.drop_incomplete``), in words, or ''.
    """

    name: str
    header: list[str]
    values: Array
    line_numbers: Sequence[int]
    text: dict[int, list[str]]
    label: int | None
    features: list[int]
    choice: ColumnChoice
    delimiter: str = ","
    left_out: str = ""

    @property
    def others(self) -> list[int]:
        """The columns that are neither feature nor label (such as an id), in the file's order."""
        return [i for i in self.text if i != self.label]


def read_table(
    path: str | os.PathLike[str],
    delimiter: str | None = None,
    *,
    hints: Hints = PYTHON_HINTS,
    choice: ColumnChoice = ColumnChoice(),  # frozen: one shared default is safe
) -> Table:
    """The header, the values (m, columns) and the line number of each data row of a CSV file.

    ``choice`` says which columns are the label and the features: each of their values is
    checked to be a finite number, and the other columns are kept as text (so is a label of words,
    such as yes and no). Every problem of the file is said in one error, each with its line and
    column and the fix (with the options spelled as ``hints`` says): the columns of text, the rows
    with missing cells (empty, NA or NaN; left out with ``choice.drop_incomplete``), the cells that are
    not numbers, the rows of another length. The columns are separated by ``delimiter`` (``','``, ``';'``
    or a tab); None: the header's (a header with ``';'`` or tabs and no comma is read so). A header
    separated by another one than the given ``delimiter`` is refused with the option that reads it. The
    file is UTF-8 text, with or without a byte-order mark (spreadsheets write one: it is not part of the
    first cell). It is read in blocks, each block's numbers stored as they come, so the memory used is
    about that of the values.
    """
    if delimiter is not None and (not isinstance(delimiter, str) or delimiter not in SEPARATORS):
        message = f"delimiter must be ',', ';' or a tab ('\\t'), got {delimiter!r}. Fix: pass one, e.g. delimiter=';'."
        raise ValueRangeError(message)
    name = os.fspath(path)
    with open(name, encoding="utf-8-sig", newline="") as file:
        try:
            return _read_rows(name, file, delimiter, hints, choice)
        except UnicodeDecodeError as error:
            raise _not_utf8(name, error) from None


def _not_utf8(name: str, error: UnicodeDecodeError) -> DataError:
    """The error for the file ``name`` that is not UTF-8: the line and offset of its first byte that is not.

    ``error`` has the place in a chunk of the file; the one in the file is found line by line (a line break is
    never part of a UTF-8 character), so that the memory used is that of one line.
    """
    line, offset = 0, error.start  # as in ``error``, if the file has changed since
    with open(name, "rb") as file:
        for number, text in enumerate(file, start=1):
            try:
                text.decode("utf-8")
            except UnicodeDecodeError as in_line:
                error, offset, line = in_line, file.tell() - len(text) + in_line.start, number
                break
    wide = line == 1 and error.object.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE))
    message = (
        f"{name} line {line}: not a UTF-8 text file ({error.reason} at byte {offset})"
        + ("; it starts with a UTF-16 or UTF-32 byte-order mark (a spreadsheet's 'Unicode text')" if wide else "")
        + ". Expected a CSV file. Fix: pass a CSV file saved as UTF-8 text ('CSV UTF-8' in a spreadsheet's Save As)."
    )
    return DataError(message)


_BLOCK_CHARACTERS = 1 << 20
"""Data rows are read in blocks of about this many characters (about 1 MiB)."""


def _numbered_rows(name: str, lines: Iterable[str], start: int, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The csv module's rows of ``lines``, numbered from ``start``; its errors as a DataError naming the line."""
    rows, number = csv.reader(lines, delimiter=delimiter), start
    try:
        for row in rows:
            yield number, row
            number = start + rows.line_num  # the next row's first line: a quoted cell may hold line breaks
    except csv.Error as error:
        fix = f'close any quote (") that opens on this line, and separate the values with {SEPARATORS[delimiter]}'
        raise DataError(f"{name} line {number}: not a valid CSV line ({error}). Fix: {fix}.") from None


def _other_separator(cells: Sequence[str], delimiter: str) -> str | None:
    """The separator other than ``delimiter`` that the cells hold most often, if any."""
    counts = {s: sum(cell.count(s) for cell in cells) for s in SEPARATORS if s != delimiter}
    separator = max(counts, key=lambda s: counts[s])
    return separator if counts[separator] else None


def _header(name: str, lines: Iterable[str], delimiter: str) -> tuple[int, list[str]]:
    """The line of the first row that is not blank, and its cells (stripped): the header; (0, []) if none."""
    for number, row in _numbered_rows(name, lines, 1, delimiter):
        if any(cell.strip() for cell in row):
            return number, [cell.strip() for cell in row]
    return 0, []


def _read_rows(name: str, file: TextIO, delimiter: str | None, hints: Hints, choice: ColumnChoice) -> Table:
    """The header, values and line numbers of the CSV file ``name``, open as ``file``.

    Lines are numbered as the file's lines, counted from 1 (a quoted cell may hold line breaks). The
    header goes through the csv module; then the data rows come in blocks of lines. A block without
    quotes, blank lines or anything that is not a finite number is parsed by ``np.loadtxt`` (the same
    numbers as Python's ``float`` gives). Any other block goes through the csv module row by row, which
    notes every problem with its line and column (:meth:`_Table.add_row`); a quote sends the rest of the
    file there (a quoted cell may hold a line break).
    """
    first, again = itertools.tee(file)  # ``again``: the lines read for the header, to read them once more
    header_line, header = _header(name, first, delimiter or ",")
    if delimiter is None:  # the header's: ';' or a tab if it has one of them and no comma
        delimiter = (_other_separator(header, ",") if len(header) == 1 else None) or ","
        if delimiter != ",":
            header_line, header = _header(name, again, delimiter)
    if not header:
        message = (
            f"{name}: the file is empty. Expected a header row (e.g. x1,x2,y) and one row per example. "
            "Fix: pass a CSV file with a header row and data."
        )
        raise DataError(message)
    other = _other_separator(header, delimiter) if len(header) == 1 else None
    if other is not None:  # e.g. 'x1;x2;y' read with ','
        message = (
            f"{name} line {header_line}: the header {header[0]!r} is separated by {SEPARATORS[other]}, and the file is "
            f"read as separated by {SEPARATORS[delimiter]}. Fix: pass {hints.delimiter(other)} (or leave it out: "
            "minifw reads the header's separator)."
        )
        raise DataError(message)
    if all(is_number(cell) for cell in header):
        message = (
            f"{name} line {header_line}: {delimiter.join(header)!r} looks like data, not a header. "
            f"Fix: add a header row naming the columns, e.g. {delimiter.join(f'x{i + 1}' for i in range(len(header)))}."
        )
        raise DataError(message)
    label, features = choice.resolve(name, header, hints)
    others = [i for i in range(len(header)) if i != label and i not in features]
    table = _Table(name, header, header_line, delimiter, label, others)
    number = header_line + 1  # of the next line
    while lines := file.readlines(_BLOCK_CHARACTERS):
        quoted = '"' in (text := "".join(lines))  # a quoted cell may hold a line break: the rest goes row by row
        if quoted or not table.add_block(number, lines, text):
            rows = _numbered_rows(name, itertools.chain(lines, file) if quoted else lines, number, delimiter)
            for number_, row in rows:
                table.add_row(number_, row)
        number += len(lines)
    return table.finish(features, choice, hints)


_MISSING = frozenset({"", "na", "n/a", "nan", "-nan", "null", "none", "#n/a", "<na>"})
"""Cells that mean "no value" (compared stripped and in lower case), as spreadsheets and pandas write them."""

_SHOWN = 5
"""A message names the lines of the first this many cases of each problem."""


def _lines(lines: Sequence[int], count: int) -> str:
    """``line 7``, or ``lines 7, 9, 12, 20, 31 and 4 more``: the first few of ``count`` lines."""
    more = f" and {count - len(lines)} more" if count > len(lines) else ""
    return f"line{'s' if count > 1 else ''} {', '.join(map(str, lines))}{more}"


def _and(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)


@dataclass
class _Cases:
    """The cases of one problem of a file: how many, the lines of the first few, and the first one's cell and column."""

    count: int = 0
    lines: list[int] = field(default_factory=list)
    cell: str = ""
    column: int = 0

    def add(self, line: int, cell: str = "", column: int = 0) -> None:
        if not self.count:
            self.cell, self.column = cell, column
        self.count += 1
        if len(self.lines) < _SHOWN:
            self.lines.append(line)

    def more(self, problem: str) -> str:
        """``problem`` (``...: what is wrong. Fix: ...``) naming the other cases, ``what``, before the fix."""
        found, fix = problem.split(". Fix: ", 1)
        same = f" (the same on {_lines(self.lines[1:], self.count - 1)})" if self.count > 1 else ""
        return f"{found}{same}. Fix: {fix}"


def _failure(name: str, problems: Sequence[str]) -> DataError:
    """One error saying every problem of the file ``name``; each starts with its line, if it has one."""
    if len(problems) == 1:
        return DataError(f"{name}{'' if problems[0].startswith('line ') else ':'} {problems[0]}")
    numbered = " ".join(f"({i}) {problem}" for i, problem in enumerate(problems, start=1))
    return DataError(f"{name}: {len(problems)} problems. {numbered}")


@dataclass(eq=False)
class _Table:
    """The numbers of the data rows as they are read, the line of each row, and the problems found."""

    name: str
    header: list[str]
    header_line: int
    delimiter: str
    label: int | None
    others: list[int]  # the columns neither feature nor label, read as text (a label of words joins them in text)

    def __post_init__(self) -> None:
        self.values = array.array("d")
        self.line_numbers = array.array("q")
        self.text: dict[int, list[str]] = {i: [] for i in self.others}  # the cells of the columns read as text
        self.numbers = [0] * len(self.header)  # how many cells of each column are numbers
        self.bad: dict[int, _Cases] = {}  # the cells that are not numbers, by column
        self.commas = _Cases()  # the numbers written with a decimal comma
        self.missing, self.empty, self.missing_columns = _Cases(), 0, set[int]()  # the rows with missing cells
        self.wrong = _Cases()  # the rows of another length, the first one's problem as its cell

    def add_block(self, number: int, lines: list[str], text: str) -> bool:
        """Add the rows of ``lines`` (from line ``number`` on; ``text``: them joined) if each is a row of finite
        numbers (words where the label is read as text). Add nothing and return False if any is not."""
        width, delimiter, count = len(self.header), self.delimiter, len(lines)
        if width < 2 or list(map(str.count, lines, itertools.repeat(delimiter))).count(width - 1) != count:
            return False  # a blank line, or one of another length
        numeric = [i for i in range(width) if i not in self.text]
        try:
            numbers = np.loadtxt(lines, delimiter=delimiter, comments=None, usecols=numeric, ndmin=2)
        except ValueError:
            return False
        if numbers.shape[0] != count or not np.isfinite(numbers).all():  # NaN or inf
            return False
        text = text.replace("\r\n", "\n").replace("\r", "\n").removesuffix("\n") if self.text else ""
        cells = text.replace("\n", delimiter).split(delimiter)
        columns = {i: cells[i::width] for i in self.text}
        if self.label in columns and any(cell.strip().lower() in _MISSING for cell in columns[self.label]):
            return False
        for i, column in columns.items():
            self.text[i].extend(column)
        if self.text:  # NaN in the columns read as text
            numbers, block = np.full((count, width), np.nan), numbers
            numbers[:, numeric] = block
        self.values.frombytes(numbers.tobytes())
        self.line_numbers.frombytes(np.arange(number, number + count, dtype=np.int64).tobytes())
        for i in numeric:
            self.numbers[i] += count
        return True

    def add_row(self, number: int, row: list[str]) -> None:
        """Add the numbers of ``row`` (line ``number``) unless it is a blank line; else note what is wrong with it."""
        width, blank = len(self.header), not any(cell.strip() for cell in row)
        if blank and len(row) <= 1:
            return  # a blank line; a row of empty cells is one with missing cells
        if len(row) != width and not blank:
            self.wrong.add(number, "" if self.wrong.count else self._wrong_length(number, row))
            return
        row = (row + [""] * width)[:width]
        numbers, kept = [], True
        for i, cell in enumerate(row):
            value = float(cell) if i not in self.text and is_number(cell) else math.nan
            numbers.append(value)
            if math.isfinite(value) or i in self.text or cell.strip().lower() in _MISSING:
                self.numbers[i] += math.isfinite(value)  # how many numbers: text and missing cells are not
            elif i == self.label and not self.numbers[i] and not is_number(cell):
                self.text[i] = []  # the label's first value is a word: the label is read as text
            else:
                comma = self.delimiter != "," and is_number(cell.replace(",", "."))
                self.numbers[i] += comma or _other_separator([cell], self.delimiter) is not None  # not text
                (self.commas if comma else self.bad.setdefault(i, _Cases())).add(number, cell, i)
                kept = False
        missing = [i for i, cell in enumerate(row) if i not in self.others and cell.strip().lower() in _MISSING]
        if missing:
            self.missing.add(number)
            self.missing_columns.update(missing)
            self.empty += blank
        elif kept:
            self.values.extend(numbers)
            self.line_numbers.append(number)
            for i, column in self.text.items():
                column.append(row[i])

    def finish(self, features: list[int], choice: ColumnChoice, hints: Hints) -> Table:
        """The table read, or one error that says every problem found, each with its fix (spelled as ``hints`` says)."""
        header = self.header
        problems = [self.wrong.more(self.wrong.cell)] if self.wrong.count else []
        text = [i for i, cases in self.bad.items() if i != self.label and cases.count > self.numbers[i]]
        if text:
            shown = [f"{i + 1} ({header[i]}: {self.bad[i].cell!r} on line {self.bad[i].lines[0]})" for i in text]
            them = "them" if len(text) > 1 else "it"
            problems.append(
                f"{'columns' if len(text) > 1 else 'column'} {_and(shown)} hold{'' if len(text) > 1 else 's'} text, "
                f"and minifw reads numbers only. Fix: leave {them} out with "
                f"{hints.columns('drop', [header[i] for i in text])}, or encode {them} as numbers (e.g. 0 and 1 for "
                "two values)."
            )
        not_numbers = [cases for i, cases in sorted(self.bad.items()) if i not in text]  # in columns of numbers
        for cases in not_numbers + ([self.commas] if self.commas.count else []):
            where, cell = f"line {cases.lines[0]}, column {cases.column + 1} ({header[cases.column]})", cases.cell
            what = f"{cell.strip()} is not a finite number" if is_number(cell) else f"{cell!r} is not a number"
            fix = f"write a {'finite ' if is_number(cell) else ''}number there, or remove the row"
            if cases is self.commas:
                what, point = f"{cell!r} has a decimal comma", cell.strip().replace(",", ".")
                fix = f"write {point}: minifw reads a decimal point, not a decimal comma (a spreadsheet writes points "
                fix += "when its decimal separator is set to '.')"
            problems.append(cases.more(f"{where}: {what}. Fix: {fix}."))
        left_out = ""
        if self.missing.count:
            columns = _and([header[i] for i in sorted(self.missing_columns)])
            empty = f"; {self.empty} of them all empty" if self.empty else ""
            rows, lines = "1 row" if self.missing.count == 1 else f"{self.missing.count} rows", self.missing.lines
            left_out = f"{rows} with missing cells, in {columns} ({_lines(lines, self.missing.count)}{empty})"
            if not choice.drop_incomplete or not self.line_numbers:
                found = f"line {lines[0]}: missing cells in {columns}" if self.missing.count == 1 else left_out
                fix = f", or leave {'those rows' if lines[1:] else 'the row'} out with {hints.drop_incomplete()}"
                problems.append(f"{found}. Fix: fill them in{'' if choice.drop_incomplete else fix}.")
        if not self.line_numbers and not problems:
            message = (
                f"{self.name} line {self.header_line}: a header row but no data rows after it. Expected one row per "
                "example. Fix: add the examples after the header, one per line."
            )
            raise DataError(message)
        values = np.frombuffer(self.values, dtype=np.float64).reshape(-1, len(header))
        table = Table(self.name, header, values, self.line_numbers, self.text, self.label, features, choice)
        table = replace(table, delimiter=self.delimiter, left_out=left_out if not problems else "")
        if problems and self.label is not None and self.line_numbers:
            try:
                read_labels(table, hints)
            except _LabelError as problem:  # one value may be all the rows kept have: said with the rest only
                problems += [str(problem)] if _ONE_CLASS not in str(problem) else []
        if problems:
            raise _failure(self.name, problems)
        return table

    def _wrong_length(self, number: int, row: list[str]) -> str:
        """The problem of a row of another length than the header (which may be the one at fault)."""
        values = f"{len(row)} value{'s' if len(row) != 1 else ''}"
        return (
            f"line {number}: {values}, expected {len(self.header)} (one per header column: {', '.join(self.header)})"
            f". Fix: make the row and the header (line {self.header_line}) the same length, or remove the row."
        )


def is_number(cell: str) -> bool:
    """Whether ``cell`` reads as a number (``float`` accepts it)."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _other_label(table: Table, hints: Hints) -> str:
    """The fix that picks the first feature column named like a label (y, label, target, class...) that holds only
    0 and 1 as the label, or '' if there is none."""
    header, named = table.header, [i for i in table.features if table.header[i].lower() in _LABEL_NAMES]
    i = next((i for i in named if np.isin(table.values[:, i], (0.0, 1.0)).all()), None)
    if i is None:
        return ""
    return f"if column {i + 1} ({header[i]}), which holds only 0 and 1, is the label, pass {hints.label(header[i])}"


def features_of(table: Table) -> Array:
    """X, shape (d, m): the feature columns of ``table``, in order, one column per example; an error if none."""
    if not table.features:
        columns = f"{len(table.header)} column{'s' if len(table.header) > 1 else ''} ({', '.join(table.header)})"
        raise DataError(
            f"{table.name}: {columns}, each the label or left out: no features. Fix: add the feature columns, or leave "
            "out fewer columns."
        )
    return np.ascontiguousarray(table.values[:, table.features].T)


_POSITIVE = frozenset({"yes", "y", "true", "t", "positive", "pos"})
_NEGATIVE = frozenset({"no", "n", "false", "f", "negative", "neg"})
"""Label words read as class 1 and as class 0 (compared in lower case)."""


_ONE_CLASS = "training needs both"


class _LabelError(DataError):
    """What is wrong with the label column, said without the file's name (it goes with the file's other problems)."""


@dataclass(frozen=True)
class Labels:
    """The label column of a CSV file read as Y.

    Attributes:
        Y: shape (1, m), the classes 0 and 1.
        classes: the file's values for class 0 and class 1; None: the file's 0 and 1 themselves.
        said: how the values became 0 and 1 (``approved: no → 0, yes → 1``), or None.
    """

    Y: Array
    classes: tuple[str, str] | None = None
    said: str | None = None


def _counted(counts: Counter[str]) -> str:
    """``3 values: no (150 rows), yes (140 rows), maybe (1 row)``: the most common first."""
    common = counts.most_common()
    shown = ", ".join(f"{value} ({n} row{'s' if n > 1 else ''})" for value, n in common[:_SHOWN])
    more = f" and {len(common) - _SHOWN} more" if len(common) > _SHOWN else ""
    return f"{len(common)} value{'s' if len(common) > 1 else ''}: {shown}{more}"


def read_labels(table: Table, hints: Hints = PYTHON_HINTS) -> Labels:
    """Y from the label column of ``table``: its 0 and 1 as they are, or its two values as 0 and 1.

    Which value is 1: ``table.choice.classes[1]`` (a model's classes); else ``table.choice.positive``;
    else a word that reads as yes (yes, y, true, t, positive, pos, in any case) over any other, any word
    over one that reads as no (no, n, false, f, negative, neg), the larger of two whole numbers; else
    the later of two words in sorted order. Problems raise :class:`_LabelError`, fixes spelled as
    ``hints`` says.
    """
    column, choice, header = table.label, table.choice, table.header
    if column is None:
        raise _LabelError(f"every column is a feature or dropped. Fix: name the label with {hints.label('NAME')}.")
    words = column in table.text
    cells: Any = [cell.strip() for cell in table.text[column]] if words else table.values[:, column]
    counts = Counter(cells if words else ())
    if not words:  # each value written once, as the file would write it: 2, -1, 0.5
        found, how_many = (part.tolist() for part in np.unique(cells, return_counts=True))
        counts.update({str(int(v)) if v.is_integer() else repr(v): n for v, n in zip(found, how_many, strict=True)})
    values = sorted(counts, key=lambda value: value if words else float(value))
    where = f"the label, column {column + 1} ({header[column]}{'' if choice.label else ', the last column'}),"
    if choice.classes is not None:
        classes, unknown = choice.classes, [value for value in values if value not in choice.classes]
        if unknown:
            message = (
                f"{where} holds {', '.join(map(repr, unknown))}, which the model was not trained on: it knows "
                f"{classes[0]} → 0, {classes[1]} → 1. Fix: write the labels as the training file did."
            )
            raise _LabelError(message)
    elif not words and set(values) <= {"0", "1"} and choice.positive is None:
        return Labels(np.ascontiguousarray(cells.reshape(1, -1)))
    elif len(values) != 2 or not (words or all(value.lstrip("-").isdigit() for value in values)):
        fix = f"pick the label column with {hints.label('NAME')}, or merge its values into two classes"
        fix = f"add examples of the other class: {_ONE_CLASS}" if len(values) == 1 else fix
        fix = _other_label(table, hints) or fix
        message = f"{where} holds {_counted(counts)}; a label holds two classes, such as 0 and 1, or yes and no"
        raise _LabelError(f"{message}. Fix: {fix}.")
    else:
        classes, by_order = _classes(values, choice.positive, words)
        if not classes[1]:
            message = (
                f"{hints.positive(choice.positive or '')} names no value of {where} which holds {_counted(counts)}. "
                f"Fix: pass one of them, e.g. {hints.positive(values[-1])}."
            )
            raise _LabelError(message)
    Y = np.array([cell == classes[1] for cell in cells]) if words else cells == float(classes[1])
    said = f"{header[column]}: {classes[0]} → 0, {classes[1]} → 1"
    if choice.classes is None and choice.positive is None:
        said += f" ({'in sorted order; ' if by_order else ''}{hints.positive(classes[0])} for the other way)"
    return Labels(np.ascontiguousarray(Y, dtype=np.float64).reshape(1, -1), classes, said)


def _classes(values: list[str], positive: str | None, words: bool) -> tuple[tuple[str, str], bool]:
    """The two label ``values`` (sorted) for class 0 and 1 as :func:`read_labels` chooses them ('' for 1 if
    ``positive`` is neither), and whether by their sorted order alone."""
    ranks = [(value.lower() in _POSITIVE, value.lower() not in _NEGATIVE) for value in values]  # yes > other > no
    if positive is not None:
        number = not words and is_number(positive)
        one = next((v for v in values if v == positive.strip() or (number and float(v) == float(positive))), "")
    else:  # of two of the same rank, the larger number or the later word in sorted order
        one = values[1] if ranks[1] >= ranks[0] else values[0]
    by_order = words and positive is None and ranks[0] == ranks[1]
    return (next(value for value in values if value != one), one), by_order


def split_label(table: Table, hints: Hints = PYTHON_HINTS) -> tuple[Array, Labels]:
    """X (d, m) and the labels (:func:`read_labels`) from a table read by :func:`read_table`.

    Errors say the fix as ``hints`` spell it.
    """
    X = features_of(table)
    try:
        labels = read_labels(table, hints)
    except _LabelError as problem:
        raise _failure(table.name, [str(problem)]) from None
    last, fix = table.header[table.label or 0], _other_label(table, hints)  # in doubt: another is named like a label
    if table.choice.label is None and fix and last.lower() not in _LABEL_NAMES:
        message = f"{table.name}: the last column ({last}) is taken as the label. Fix: {fix}."
        warnings.warn(message, DataWarning, stacklevel=3)
    return X, labels


@overload
def load_csv(
    path: str | os.PathLike[str],
    *,
    labels: Literal[True] = ...,
    label: str | None = ...,
    features: Sequence[str] | None = ...,
    drop: Sequence[str] = ...,
    delimiter: str | None = ...,
    drop_incomplete: bool = ...,
    positive: str | float | None = ...,
) -> tuple[Array, Array]: ...
@overload
def load_csv(
    path: str | os.PathLike[str],
    *,
    labels: Literal[False],
    label: None = ...,
    features: Sequence[str] | None = ...,
    drop: Sequence[str] = ...,
    delimiter: str | None = ...,
    drop_incomplete: bool = ...,
    positive: None = ...,
) -> Array: ...
def load_csv(
    path: str | os.PathLike[str],
    *,
    labels: bool = True,
    label: str | None = None,
    features: Sequence[str] | None = None,
    drop: Sequence[str] = (),
    delimiter: str | None = None,
    drop_incomplete: bool = False,
    positive: str | float | None = None,
) -> tuple[Array, Array] | Array:
    """Read a CSV file with a header row: one row per example, the features, then the label.

    Returns ``(X, Y)`` with X of shape (d, m) (the file's rows become columns, as on the
    slides) and Y of shape (1, m) of 0 and 1. With ``labels=False`` every column is a feature and
    only X is returned.

    Args:
        path: the file: UTF-8 text, a header row naming the columns, then one row per example.
        labels: whether the file has a label column: two values, as people write them (0 and 1,
            1 and 2, -1 and 1, yes and no, Y and N, true and false, spam and ham...).
        label: the header name of the label column; default: the last column that is not
            a feature or dropped.
        features: the header names of the feature columns, in the order X gets them; default:
            every column but the label and ``drop``, in the file's order.
        drop: header names of columns to leave out (an identifier, a column of text); they are
            not read as numbers. For ``features`` and ``drop``, one string is one name.
        delimiter: what separates the columns: ``','``, ``';'`` or ``'\\t'`` (a tab); default: the
            header's (``';'`` or a tab if the header has one and no comma, else ``','``).
        drop_incomplete: leave out the rows with missing cells (empty, NA, NaN) among the
            features and the label; by default they are an error that counts them.
        positive: the label's value that becomes 1. Default: 0 and 1 as they are; of two words,
            one that reads as yes (yes, y, true, t, positive, pos) or the one that does not read
            as no (no, n, false, f, negative, neg), else the later in sorted order (ham 0, spam 1);
            of two whole numbers the larger.

    Raises:
        FileNotFoundError: the file does not exist.
        minifw.DataError: the file is empty, not text, has no header; or any of: rows of the
            wrong length, columns of text among the features, cells that are not finite numbers,
            rows with missing cells, a label column without two values, no column named
            ``label`` (or one of ``features`` or ``drop``, or a name that is not a string: the
            closest header is suggested); a column named in two of ``label``, ``features`` and
            ``drop``; no feature columns left; a header separated by another delimiter than the
            one given. One error says all of
            them, each with its line (counted from 1, the header is line 1), column and fix.
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
        >>> _ = path.write_text("y;x1;x2\\nno;0;0\\nno;0;1\\nno;1;0\\nyes;1;1\\n")
        >>> X, Y = mf.load_csv(path, label="y")
        >>> X.shape, Y.tolist()
        ((2, 4), [[0.0, 0.0, 0.0, 1.0]])
        >>> _ = path.write_text("id,name,x1,y\\n7,Ann,0.5,1\\n9,Bo,-0.5,0\\n8,Cy,,1\\n")
        >>> X, Y = mf.load_csv(path, features=["x1"], drop_incomplete=True)
        >>> X.tolist(), Y.tolist()
        ([[0.5, -0.5]], [[1.0, 0.0]])
    """
    if not labels and label is not None:
        message = (
            f"label={label!r} names the label column, but labels=False says the file has none. "
            "Fix: pass one of them, not both."
        )
        raise ValueRangeError(message)
    features = [features] if isinstance(features, str) else features  # one string is one name
    drop = [drop] if isinstance(drop, str) else drop
    choice = ColumnChoice(
        label,
        features,
        drop or (),
        label_optional=not labels,
        drop_incomplete=bool(drop_incomplete),
        positive=None if positive is None else str(positive),
    )
    table = read_table(path, delimiter, choice=choice)
    if not labels:
        return features_of(table)
    X, read = split_label(table)
    return X, read.Y


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
    table = X_array.T  # one row per example
    if Y is not None:
        Y_array = check_same_shape(Y, "Y", (1, X_array.shape[1]), np.float64, "one label per column of X")
        if not np.isin(Y_array, (0.0, 1.0)).all():
            message = (
                f"Y must hold labels 0 or 1 (the classes minifw trains on), got values from {Y_array.min()} to "
                f"{Y_array.max()}. Fix: code the two classes as 0 and 1."
            )
            raise ValueRangeError(message)
        table = np.vstack([X_array, Y_array]).T
    names = header or [f"x{i + 1}" for i in range(X_array.shape[0])] + (["y"] if Y is not None else [])
    if len(names) != table.shape[1]:
        message = f"header has {len(names)} names for {table.shape[1]} columns. Fix: give one name per column."
        raise ValueRangeError(message)
    text = io.StringIO()
    csv.writer(text).writerows([names, *([repr(v) for v in row] for row in table.tolist())])
    write_text_atomically(os.fspath(path), text.getvalue())
