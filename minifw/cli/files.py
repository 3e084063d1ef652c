"""The files the commands read and write, checked before any long work, each failure naming its option."""

import os

from ..data.csv_files import SEPARATORS, ColumnChoice, Labels, Table, read_table
from ..errors import DataError
from ..hints import COMMAND_LINE_HINTS
from ..io.atomic_write import check_writable


def input_file(option: str, path: str, expected: str, fix: str) -> str:
    """``path``, if it names a file; else the error naming ``option``: a folder, or no such file."""
    if os.path.isdir(path):
        raise DataError(f"{option} {path!r} is a folder; expected {expected}. Fix: {fix}")
    if not os.path.exists(path):
        raise DataError(f"{option} {path!r}: no such file. Fix: {fix}")
    return path


def read_csv(
    option: str, path: str, delimiter: str | None, choice: ColumnChoice, fix: str = "check the name, e.g. with ls"
) -> Table:
    """The CSV file given with ``option``, its columns as ``choice`` says; a missing file or a folder named."""
    return read_table(input_file(option, path, "a CSV file", fix), delimiter, hints=COMMAND_LINE_HINTS, choice=choice)


def reading_notes(table: Table, labels: Labels | None, delimiter: str | None) -> list[str]:
    """The lines that say how a CSV file was read: the header's separator, the rows left out, the labels' classes."""
    found = delimiter is None and table.delimiter != ","  # a separator read from the header, other than ','
    notes = [f"read:  separated by {SEPARATORS[table.delimiter]}, as the header is"] if found else []
    notes += [f"left out {table.left_out}"] if table.left_out else []
    return notes + ([f"label: {labels.said}"] if labels is not None and labels.said else [])


def check_output_file(path: str | None, option: str) -> None:
    """Check, before any long work, that the file ``path`` given with ``option`` can be written."""
    if path is not None:
        try:
            check_writable(path)
        except OSError as error:
            raise DataError(f"{option} {path!r}: {str(error).removeprefix(f'cannot save to {path!r}: ')}") from None
