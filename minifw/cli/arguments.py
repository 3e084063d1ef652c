"""The parts of the argument parser the commands share: one-line errors, and the types of the options."""

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from ..data.csv_files import is_number
from ..errors import OptionalDependencyError
from ..number_checks import expected_number
from ..training.progress import progress_available, progress_default


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (plus a pointer to --help) and exit 2.

    The ``minifw`` parser also knows its commands' parsers, so that :func:`parse_arguments` can report an unknown
    option before a missing argument.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.commands: dict[str, Parser] = {}
        super().__init__(*args, **kwargs)

    def knows(self, token: str) -> bool:
        """Whether ``token`` (``--name`` or ``--name=value``) is one of this parser's options, or a prefix of one."""
        name = token.split("=", 1)[0]
        options = self._option_string_actions  # argparse's table of the option strings (with -h and --help)
        return name in options or (len(name) > 2 and any(option.startswith(name) for option in options))

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def parse_arguments(parser: Parser, argv: Sequence[str] | None) -> argparse.Namespace:
    """``parser.parse_args(argv)``, except that an unknown option is reported before a missing argument.

    argparse checks the required arguments first, so ``minifw --bogus`` said that the command
    is missing and ``minifw train --bogus`` that --data is. So the options are looked up first (those
    before a ``--``: after it, as in ``minifw check -- -my-file.py``, every argument is positional).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    options = args[: args.index("--")] if "--" in args else args  # after "--", every argument is positional
    command = next((parser.commands[a] for a in options if a in parser.commands), None)
    unknown = [
        a
        for a in options
        if a.startswith("-") and a != "-" and not is_number(a) and not parser.knows(a)
        if command is None or not command.knows(a)
    ]
    if unknown:
        (command or parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    return parser.parse_args(args)


def number(minimum: float, *, strict: bool = False, integer: bool = False) -> Callable[[str], float]:
    """An argparse type: a number >= ``minimum`` (> with ``strict``; an int with ``integer``), judged as the keywords
    of the functions are (:func:`minifw.number_checks.expected_number`)."""

    def parse(text: str) -> float:
        try:
            value: float = int(text) if integer else float(text)
        except ValueError:
            value = math.nan
        expected = expected_number(value, minimum, strict=strict, integer=integer)
        if expected is not None:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value

    return parse


positive_int = number(1, integer=True)
non_negative_int = number(0, integer=True)


def probability(text: str) -> float:
    value = number(0.0)(text)
    if value > 1.0:
        raise argparse.ArgumentTypeError(f"expected a probability in [0, 1], got {text!r}")
    return value


def picture_name(text: str) -> str:
    """An argparse type: a file name whose extension is a picture format matplotlib writes (if it is installed)."""
    try:
        from matplotlib.backend_bases import FigureCanvasBase
    except ImportError:  # reported before training, with the fix
        return text
    extension = os.path.splitext(text)[1].removeprefix(".").lower()
    if extension and extension not in FigureCanvasBase.get_supported_filetypes():
        message = f"expected a picture file name in a format matplotlib writes (.png, .pdf, .svg...), got {text!r}"
        raise argparse.ArgumentTypeError(message)
    return text if extension else text + ".png"  # the file matplotlib writes for a name without an extension


def delimiter(text: str) -> str:
    """An argparse type: the separator of a CSV file: ``,``, ``;`` or a tab (``tab`` or ``\\t``)."""
    names = {",": ",", "comma": ",", ";": ";", "semicolon": ";", "tab": "\t", "\\t": "\t", "\t": "\t"}
    if text.lower() not in names:
        raise argparse.ArgumentTypeError(f"expected ',', ';' or tab, got {text!r}")
    return names[text.lower()]


def column_names(text: str) -> list[str]:
    """An argparse type: column names separated by commas (``id,name``), each as its header spells it."""
    return [name.strip() for name in text.split(",")]


def add_csv_options(command: Parser, label_help: str) -> None:
    """The options on a CSV file: the columns (--label, --features, --drop) and how it is read (--delimiter,
    --drop-incomplete)."""
    command.add_argument("--label", metavar="NAME", help=label_help)
    features = "the CSV columns to use as features, by header name, in this order (default: all but label and --drop)"
    drop = "CSV columns that are not features, such as an identifier or a column of text"
    for option, text in (("--features", features), ("--drop", drop)):
        command.add_argument(option, type=column_names, metavar="NAME[,NAME...]", help=text)
    separator = "what separates the CSV columns: ',', ';' or tab (default: the header's, ',' if it has none of them)"
    command.add_argument("--delimiter", type=delimiter, metavar="SEP", help=separator)
    missing = "leave out the rows with missing cells (empty, NA, NaN) among the features and the label, and say which"
    command.add_argument("--drop-incomplete", action="store_true", help=missing)


def add_progress(command: Parser) -> None:
    """The option --progress / --no-progress (:func:`show_progress` reads it)."""
    shown = "a progress bar on stderr (needs tqdm); default: shown on an interactive terminal only"
    command.add_argument("--progress", action=argparse.BooleanOptionalAction, help=shown)


def show_progress(args: argparse.Namespace) -> bool:
    """Whether to draw the progress bar: as --progress / --no-progress say, else on an interactive terminal only."""
    if args.progress and not progress_available():
        raise OptionalDependencyError(
            'the progress bar (--progress) needs tqdm, which is not installed. Fix: pip install "minifw[progress]"'
        )
    return progress_default() if args.progress is None else bool(args.progress)
