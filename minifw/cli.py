"""The command line: ``minifw demo``, ``train``, ``predict`` and ``check`` (also ``python -m minifw``).

Every failure the user can cause (a bad argument, a missing or broken file, training that
diverges) ends with one line on stderr, ``minifw: error: ...``, and a non-zero exit code:
2 for bad arguments, 3 for a model that learned nothing (``minifw train``: no better than
always predicting the majority class; the line names the likely causes), 1 for everything
else. Never a traceback. Every warning is one line too,
``minifw: warning: ...``. On a console that cannot show the slides' symbols (a code page such as
cp1252, or ASCII), they are written as ASCII names: alpha, sigma, dJ/dz.
"""

import argparse
import codecs
import contextlib
import csv
import dataclasses
import importlib.util
import io
import math
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn, TextIO

import numpy as np

from .array import Array
from .checking import command as check_command
from .data.csv_files import (
    COMMAND_LINE_HINTS,
    ColumnChoice,
    Table,
    features_of,
    is_number,
    read_table,
    split_label,
)
from .data.standardizer import Standardizer
from .data.toy import make_circles, make_flower, make_moons, make_xor
from .errors import (
    ConvergenceWarning,
    DataError,
    DataWarning,
    LearnedNothingWarning,
    MinifwError,
    ModelFileError,
    OptionalDependencyError,
    ValueRangeError,
)
from .io.atomic_write import check_writable
from .io.model_file import ColumnNames, load, load_column_names, save
from .layers.dense import Dense
from .layers.layer import Layer
from .layers.sequential import Sequential
from .layers.sigmoid import Sigmoid
from .losses.binary_cross_entropy import BinaryCrossEntropy
from .training.checks import Column, FeatureFindings, warn_about_features
from .training.metrics import accuracy, predict, predict_proba
from .training.progress import progress_available, progress_default
from .training.trace import trace
from .training.train import History, train
from .training.verdict import TrainingRun, judge, verdict_message

BUILT_IN_DATA: dict[str, Callable[[int], tuple[Array, Array]]] = {
    "flower": lambda seed: make_flower(400, seed=seed),
    "xor": lambda seed: make_xor(200, seed=seed),
    "moons": lambda seed: make_moons(200, seed=seed),
    "circles": lambda seed: make_circles(200, seed=seed),
}
"""The data sets ``--data`` knows by name (anything else is read as a CSV file)."""

DEMO_LEARNING_RATE = 2.0
DEMO_EPOCHS = 5000

LEARNED_NOTHING = 3
"""The exit code of ``minifw train`` when the model learned nothing (1 is an error, 2 a bad argument)."""

ASCII_NAMES = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "Δ": "Delta",
    "ε": "epsilon",
    "η": "eta",
    "θ": "theta",
    "λ": "lambda",
    "μ": "mu",
    "π": "pi",
    "σ": "sigma",
    "Σ": "sum",
    "∑": "sum",
    "∂": "d",
    "∇": "grad ",
    "‖": "||",
    "←": "<-",
    "→": "->",
    "×": "x",
    "·": "*",
    "⊙": "*",
    "±": "+/-",
    "−": "-",
    "–": "-",
    "—": "--",
    "²": "^2",
    "ᵀ": "^T",
    "ŷ": "y_hat",
    "ĝ": "g_hat",
    "∈": "in",
    "≈": "~",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "√": "sqrt",
    "∞": "inf",
    "…": "...",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
}
"""How the slides' symbols are written on a console that cannot show them."""

_ASCII_NAMES_HANDLER = "minifw.ascii_names"


def _ascii_names(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: each character the console cannot show as its ASCII name (else a backslash escape)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    names = [ASCII_NAMES.get(c) or c.encode("ascii", "backslashreplace").decode("ascii") for c in text]
    return "".join(names), error.end


codecs.register_error(_ASCII_NAMES_HANDLER, _ascii_names)


@contextlib.contextmanager
def _console_text() -> Iterator[None]:
    """While the command runs, stdout and stderr write what their encoding cannot show as ASCII names.

    A Windows console in cp1252, or ``PYTHONIOENCODING=ascii``, made ``minifw demo`` fail with "'charmap' codec
    can't encode character 'α'"; a file name that is not valid text is escaped the same way.
    """
    changed: list[tuple[io.TextIOWrapper, str]] = []
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in ("strict", "backslashreplace"):
            changed.append((stream, stream.errors))
            stream.reconfigure(errors=_ASCII_NAMES_HANDLER)
    try:
        yield
    finally:
        for stream, errors in changed:
            with contextlib.suppress(ValueError, OSError):  # closed meanwhile, or a broken pipe
                stream.reconfigure(errors=errors)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (plus a pointer to --help) and exit 2.

    It also records its own option strings and commands, so that :func:`_parse_arguments` can
    report an unknown option before a missing argument.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.option_names: set[str] = set()  # before argparse's own __init__ adds -h and --help
        self.commands: dict[str, _Parser] = {}
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        action = super().add_argument(*args, **kwargs)
        self.option_names.update(action.option_strings)
        return action

    def knows(self, token: str) -> bool:
        """Whether ``token`` (``--name`` or ``--name=value``) is one of this parser's options, or a prefix of one."""
        name = token.split("=", 1)[0]
        return name in self.option_names or (len(name) > 2 and any(o.startswith(name) for o in self.option_names))

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _parse_arguments(parser: _Parser, argv: Sequence[str] | None) -> argparse.Namespace:
    """``parser.parse_args(argv)``, except that an unknown option is reported before a missing argument.

    argparse checks the required arguments first, so ``minifw --bogus`` said that the command
    is missing and ``minifw train --bogus`` that --data is. So the options are looked up first.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    command = next((parser.commands[a] for a in args if a in parser.commands), None)
    unknown = [
        a
        for a in args
        if a.startswith("-") and a != "-" and not is_number(a) and not parser.knows(a)
        if command is None or not command.knows(a)
    ]
    if unknown:
        (command or parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    return parser.parse_args(args)


def _integer_at_least(minimum: int, expected: str) -> Callable[[str], int]:
    """An argparse type: an int >= ``minimum``, else an error saying ``expected``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value

    return parse


_positive_int = _integer_at_least(1, "a positive integer")
_seed = _integer_at_least(0, "an integer >= 0")


def _number(minimum: float, strict: bool) -> Callable[[str], float]:
    relation = ">" if strict else ">="

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number {relation} {minimum:g}, got {text!r}") from None
        if not math.isfinite(value) or value < minimum or (strict and value == minimum):
            raise argparse.ArgumentTypeError(f"expected a finite number {relation} {minimum:g}, got {text!r}")
        return value

    return parse


def _probability(text: str) -> float:
    value = _number(0.0, strict=False)(text)
    if value > 1.0:
        raise argparse.ArgumentTypeError(f"expected a probability in [0, 1], got {text!r}")
    return value


def _picture_name(text: str) -> str:
    """An argparse type: a file name whose extension is a picture format matplotlib writes (if it is installed)."""
    try:
        from matplotlib.backend_bases import FigureCanvasBase
    except ImportError:  # reported before training, with the fix
        return text
    formats = FigureCanvasBase.get_supported_filetypes()
    extension = os.path.splitext(text)[1].removeprefix(".").lower()
    if extension and extension not in formats:
        message = f"expected a picture file name in a format matplotlib writes (.png, .pdf, .svg...), got {text!r}"
        raise argparse.ArgumentTypeError(message)
    return text if extension else text + ".png"  # the file matplotlib writes for a name without an extension


def _delimiter(text: str) -> str:
    """An argparse type: the separator of a CSV file: ``,``, ``;`` or a tab (``tab`` or ``\\t``)."""
    names = {",": ",", "comma": ",", ";": ";", "semicolon": ";", "tab": "\t", "\\t": "\t", "\t": "\t"}
    if text.lower() not in names:
        raise argparse.ArgumentTypeError(f"expected ',', ';' or tab, got {text!r}")
    return names[text.lower()]


def _column_names(text: str) -> list[str]:
    """An argparse type: column names separated by commas (``id,name``), each as its header spells it."""
    return [name.strip() for name in text.split(",")]


def _add_columns(command: _Parser, label_help: str) -> None:
    command.add_argument("--label", metavar="NAME", help=label_help)
    command.add_argument(
        "--features",
        type=_column_names,
        metavar="NAME[,NAME...]",
        help="the CSV columns to use as features, by header name, in this order (default: all but label and --drop)",
    )
    command.add_argument(
        "--drop",
        type=_column_names,
        metavar="NAME[,NAME...]",
        help="CSV columns that are not features, such as an identifier or a column of text",
    )


def _add_delimiter(command: _Parser) -> None:
    command.add_argument(
        "--delimiter", type=_delimiter, metavar="SEP", help="what separates the CSV columns: ',' (default), ';' or tab"
    )


def _add_progress(command: _Parser) -> None:
    command.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        help="a progress bar on stderr (needs tqdm); default: shown on an interactive terminal only",
    )


def build_parser() -> _Parser:
    """The ``minifw`` argument parser with its four commands."""
    parser = _Parser(
        prog="minifw",
        description="The slides' neural network with one hidden layer: train it, trace it, use it.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{demo,train,predict,check}")

    demo = commands.add_parser(
        "demo",
        help="train the slides' 3-4-1 network on built-in data, showing one traced step and J falling",
        description=(
            "Trains Sequential(Dense(3, 4), Sigmoid(), Dense(4, 1), Sigmoid()) on XOR data with three features "
            "(x3 is noise the label does not depend on): prints the trace of one example, J falling, the accuracy."
        ),
    )
    demo.add_argument("--seed", type=_seed, default=0, help="seed for the data and the initial weights (default 0)")
    _add_progress(demo)
    demo.set_defaults(run=_run_demo)

    fit = commands.add_parser(
        "train",
        help="train a one-hidden-layer network on a built-in data set or a CSV file",
        description="Full-batch gradient descent until J stops improving (or the epoch limit).",
    )
    fit.add_argument(
        "--data",
        required=True,
        metavar="flower|xor|moons|circles|PATH.csv",
        help="a built-in data set, or a CSV file with a header row, the features, then the label (0/1)",
    )
    _add_columns(fit, "the CSV column holding the label, by its header name (default: the last)")
    _add_delimiter(fit)
    fit.add_argument(
        "--standardize",
        action=argparse.BooleanOptionalAction,
        help=(
            "train on x' = (x - μ) / σ, with μ and σ of the training data; the saved model standardizes new data too "
            "(default: on for a CSV file, off for the built-in data, which are on the slides' scale already)"
        ),
    )
    fit.add_argument("--hidden", type=_positive_int, default=4, help="neurons in the hidden layer, d^[1] (default 4)")
    fit.add_argument("--lr", type=_number(0.0, strict=True), default=1.2, help="learning rate α (default 1.2)")
    fit.add_argument("--epochs", type=_positive_int, default=20_000, help="at most this many epochs (default 20000)")
    fit.add_argument(
        "--tol",
        type=_number(0.0, strict=False),
        default=1e-6,
        help="stop when J improves by less than this for 10 epochs in a row (default 1e-6)",
    )
    fit.add_argument("--seed", type=_seed, default=0, help="seed for built-in data and initial weights (default 0)")
    fit.add_argument("--save", metavar="MODEL.npz", help="save the trained model to this file")
    fit.add_argument(
        "--plot", type=_picture_name, metavar="OUT.png", help="draw the loss curve, decision boundary and network here"
    )
    _add_progress(fit)
    fit.set_defaults(run=_run_train)

    use = commands.add_parser(
        "predict",
        help="predict labels for a CSV file with a saved model",
        description=(
            "Prints one line per example as CSV: the file's columns that are neither feature nor label (such as "
            "an id), then the probability a^[2] and the label. The features are read by the column names saved "
            "with the model. If the file also has the label column, the accuracy goes to stderr."
        ),
    )
    use.add_argument("--model", required=True, metavar="MODEL.npz", help="a model saved by 'minifw train --save'")
    use.add_argument("--data", required=True, metavar="PATH.csv", help="a CSV file with a header row")
    _add_columns(
        use,
        "the CSV column holding the label, if any, by its header name (default: the one saved with the model, or "
        "the last column of a file with one column more than the model takes)",
    )
    _add_delimiter(use)
    use.add_argument("--threshold", type=_probability, default=0.5, help="label 1 when a^[2] >= this (default 0.5)")
    use.add_argument(
        "--out", "--output", dest="output", metavar="OUT.csv", help="write the predictions here instead of to stdout"
    )
    use.set_defaults(run=_run_predict)
    check_command.add_check_arguments(
        commands.add_parser("check", help=check_command.HELP, description=check_command.DESCRIPTION)
    )
    parser.commands = {name: command for name, command in commands.choices.items() if isinstance(command, _Parser)}
    return parser


def _slides_network(d0: int, hidden: int, seed: int) -> Sequential:
    rng = np.random.default_rng(seed)
    return Sequential(Dense(d0, hidden, rng=rng), Sigmoid(), Dense(hidden, 1, rng=rng), Sigmoid())


def _cost_table(history: History, rows: int = 8) -> str:
    epochs = sorted({round(e) for e in np.linspace(1, history.epochs, min(rows, history.epochs))})
    lines = ["   epoch  J"]
    lines += [f"  {epoch:>6}  {history.J[epoch - 1]:.6f}" for epoch in epochs]
    return "\n".join(lines)


def _warn(message: object) -> None:
    """A warning as the command line shows it: one line on stderr."""
    print(f"minifw: warning: {_one_line_text(str(message))}", file=sys.stderr)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """``warnings.showwarning`` while a command runs: one clean line, not Python's format with file and line."""
    _warn(message)


def _train_and_report(
    model: Layer, X: Array, Y: Array, out: TextIO, *, learning_rate: float, max_epochs: int, tol: float, progress: bool
) -> tuple[History, list[str]]:
    """Train, print J falling, the stop reason and the accuracy; return the history and mf.train's warnings.

    The features were checked before (:func:`_check_features`, with the command line's fixes), so mf.train's own
    feature warnings, the same ones with the library's fixes, are not shown again; nor is its warning that the
    model learned nothing, which ``minifw train`` says in its own words (:func:`_verdict`). The other
    warnings (the epoch limit) are returned for the caller to show.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        warnings.simplefilter("ignore", DataWarning)
        warnings.simplefilter("ignore", LearnedNothingWarning)
        history = train(
            model,
            BinaryCrossEntropy(),
            X,
            Y,
            learning_rate=learning_rate,
            max_epochs=max_epochs,
            tol=tol,
            progress=progress,
        )
    print(_cost_table(history), file=out)
    print(f"stopped after {history.epochs} epochs: {history.message}", file=out)
    print(f"training accuracy: {100 * accuracy(Y, predict(model, X)):.2f}% on m = {X.shape[1]} examples", file=out)
    return history, [str(warning.message) for warning in caught]


def _check_features(X: Array, standardize: bool, columns: list[Column] | None) -> FeatureFindings:
    """Warn about features gradient descent handles badly (as mf.train does), by column name, with the command line's
    fixes. When standardizing, the scales are not checked: standardizing is the fix for them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        findings = warn_about_features(X, columns=columns, hints=COMMAND_LINE_HINTS, scales=not standardize)
    for warning in caught:
        _warn(warning.message)
    return findings


def _verdict(
    model: Layer,
    X: Array,
    Y: Array,
    history: History,
    findings: FeatureFindings,
    args: argparse.Namespace,
    standardize: bool,
    columns: list[Column] | None,
) -> tuple[str, bool] | None:
    """The one line on the trained model, and whether it learned nothing; None if there is nothing to say."""
    verdict = judge(model, X, Y)
    run = TrainingRun(history.J, history.stop_reason == "max_epochs", args.lr, args.epochs, standardize)
    text = verdict_message(verdict, findings, run, columns, COMMAND_LINE_HINTS)
    return None if text is None or verdict is None else (text, verdict.learned_nothing)


def _progress(args: argparse.Namespace) -> bool:
    """Whether to draw the progress bar: as --progress / --no-progress say, else on an interactive terminal only."""
    if args.progress is None:
        return progress_default()
    if args.progress and not progress_available():
        message = (
            'the progress bar (--progress) needs tqdm, which is not installed. Fix: pip install "minifw[progress]"'
        )
        raise OptionalDependencyError(message)
    return bool(args.progress)


def _installed(module: str) -> bool:
    """Whether ``module`` can be imported (found without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _run_demo(args: argparse.Namespace, out: TextIO) -> int:
    progress = _progress(args)
    X, Y = make_xor(200, noise=0.1, d=3, seed=args.seed)
    model = _slides_network(3, 4, args.seed)
    print("minifw demo: the slides' network with one hidden layer", file=out)
    print(f"  model: {model!r}", file=out)
    print("  data:  XOR of x1 and x2, m = 200 examples; x3 is noise the label does not depend on", file=out)
    print("", file=out)
    print("Step 1: the parameters are initialised at random. One step on the first example, value by value:", file=out)
    print("", file=out)
    print(trace(model, BinaryCrossEntropy(), X[:, :1], Y[:, :1], learning_rate=DEMO_LEARNING_RATE), file=out)
    print("", file=out)
    print(f"Steps 2-4 on all {X.shape[1]} examples (α = {DEMO_LEARNING_RATE:g}) until convergence:", file=out)
    _, caught = _train_and_report(
        model, X, Y, out, learning_rate=DEMO_LEARNING_RATE, max_epochs=DEMO_EPOCHS, tol=1e-6, progress=progress
    )
    for message in caught:
        _warn(message)
    print("", file=out)
    print(_next_step(), file=out)
    return 0


def _next_step() -> str:
    """The demo's last line: a command to try next, which works with what is installed."""
    if _installed("matplotlib"):
        return "Next: minifw train --data flower --plot flower.png --save flower.npz"
    return (
        "Next: minifw train --data flower --save flower.npz "
        '(add --plot flower.png for the pictures after pip install "minifw[plot]")'
    )


def _read_csv(option: str, path: str, delimiter: str | None, choice: ColumnChoice) -> Table:
    """The CSV file given with ``option``, its columns as ``choice`` says; a missing file or a folder named."""
    if os.path.isdir(path):
        raise DataError(f"{option} {path!r} is a folder; expected a CSV file")
    if not os.path.exists(path):
        raise DataError(f"{option} {path!r}: no such file. Fix: check the name, e.g. with ls")
    return read_table(path, delimiter or ",", hints=COMMAND_LINE_HINTS, choice=choice)


def _columns(table: Table) -> list[Column]:
    """The feature columns of ``table``, numbered from 1 as in the file."""
    return [Column(i + 1, table.header[i]) for i in table.features]


def _load_data(args: argparse.Namespace) -> tuple[Array, Array, str, Table | None]:
    """X, Y, a description of the data and, for a CSV file, the table they come from."""
    name = args.data
    if name in BUILT_IN_DATA:
        X, Y = BUILT_IN_DATA[name](args.seed)
        return X, Y, f"{name} (built in, seed {args.seed})", None
    if not os.path.exists(name):
        message = f"--data {name!r}: no such file, and not a built-in data set ({', '.join(BUILT_IN_DATA)})"
        raise DataError(message)
    choice = ColumnChoice(args.label, args.features, args.drop or ())
    table = _read_csv("--data", name, args.delimiter, choice)
    X, Y = split_label(table, COMMAND_LINE_HINTS)
    label = "" if table.label is None else table.header[table.label]  # split_label refuses a table without one
    left_out = f", left out: {', '.join(table.header[i] for i in table.text)}" if table.text else ""
    return X, Y, f"{name} (label: {label}{left_out})", table


def _training_bytes(d0: int, hidden: int, m: int) -> int:
    """About the memory full-batch training of a (d0, hidden, 1) network on m examples takes (float64).

    The parameters and their gradients, and about six arrays of shape (hidden, m): the
    activations of the hidden layer and their gradients (measured: 1.0 GB for hidden = 10^5,
    m = 200).
    """
    return 8 * hidden * (2 * (d0 + 2) + 6 * m)


def _physical_memory() -> int | None:
    """The machine's memory in bytes, or None where the system does not say."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - Windows
        return None


def _size(n: int) -> str:
    """``n`` bytes, readably: 512 bytes, 1.5 MB, 16.0 TB, 9.7e+32 bytes."""
    value = float(n)
    for unit in ("bytes", "kB", "MB", "GB", "TB", "PB"):
        if value < 1000:
            return f"{n} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n:.1e} bytes"


def _check_output_folder(path: str | None, option: str) -> None:
    """Check, before any long work, that the file ``path`` given with ``option`` can be written."""
    if path is None:
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise DataError(f"{option} {path!r}: the folder {folder!r} does not exist")
    if os.path.isdir(path):
        raise DataError(f"{option} {path!r} is a folder; expected a file name")
    try:
        check_writable(path)
    except OSError as error:
        raise DataError(f"{option} {path!r}: {str(error).removeprefix(f'cannot save to {path!r}: ')}") from None


def _run_train(args: argparse.Namespace, out: TextIO) -> int:
    _check_output_folder(args.save, "--save")
    _check_output_folder(args.plot, "--plot")
    if args.plot is not None:
        try:
            import matplotlib  # noqa: F401  # only checking that it is installed, before training
        except ImportError:
            message = '--plot needs matplotlib, which is not installed. Fix: pip install "minifw[plot]"'
            raise OptionalDependencyError(message) from None
    progress = _progress(args)
    X, Y, description, table = _load_data(args)
    columns = None if table is None else _columns(table)
    standardize = args.standardize if args.standardize is not None else table is not None
    (d0, m), hidden = X.shape, args.hidden
    need = _training_bytes(d0, hidden, m)
    have = _physical_memory()
    if have is not None and need > have:  # found before allocating, not by the system killing the process
        message = (
            f"not enough memory for a hidden layer of {hidden} units: training on m = {m} examples needs about "
            f"{_size(need)} (W^[1] of shape ({hidden}, {d0}) and several arrays of shape ({hidden}, {m})), more "
            "than this machine has. Fix: use fewer units, e.g. --hidden 4"
        )
        raise ValueRangeError(message)
    findings = _check_features(X, standardize, columns)
    try:
        network = _slides_network(d0, hidden, args.seed)
        print(f"data:  {description}: {d0} features, m = {m} examples", file=out)
        model, X_train = network, X
        if standardize:  # the network learns on standardized features; the model standardizes what it is given
            scaler = Standardizer().fit(X)
            model, X_train = Sequential(scaler, *network.layers), scaler.transform(X)
            mean, std = scaler.fitted()
            print(f"standardized: x' = (x - μ) / σ, μ = {_numbers(mean)}, σ = {_numbers(std)}", file=out)
        print(f"model: {model!r}, α = {args.lr:g}, seed {args.seed}", file=out)
        history, caught = _train_and_report(
            network, X_train, Y, out, learning_rate=args.lr, max_epochs=args.epochs, tol=args.tol, progress=progress
        )
    except MemoryError as error:
        message = (
            f"not enough memory for a hidden layer of {hidden} units: training on m = {m} examples needs about "
            f"{_size(need)} ({error}). Fix: use fewer units, e.g. --hidden 4, or close other programs"
        )
        raise ValueRangeError(message) from None
    if args.save is not None:
        names = None
        if table is not None:
            label = None if table.label is None else table.header[table.label]
            names = ColumnNames(tuple(column.name for column in columns or ()), label)
        save(model, args.save, columns=names)
        print(f"saved the model to {args.save}", file=out)
    if args.plot is not None:
        from .plot import plot_training

        feature_names = None if columns is None else [column.name for column in columns]
        plot_training(model, history, X, Y, path=args.plot, feature_names=feature_names)
        print(f"saved the pictures to {args.plot}", file=out)
    verdict = _verdict(model, X, Y, history, findings, args, standardize, columns)
    if verdict is not None and verdict[1]:  # one line, which names the epoch limit among the causes if it was reached
        print(f"minifw: error: {_one_line_text(verdict[0])}", file=sys.stderr)
        return LEARNED_NOTHING
    for message in caught + ([] if verdict is None else [verdict[0]]):
        _warn(message)
    return 0


def _numbers(column: Array, shown: int = 4) -> str:
    """The first values of a (d, 1) column, short: ``[0.0763, -0.443]`` or ``[1, 2, 3, 4, ...] (10 features)``."""
    values = [f"{v:.3g}" for v in column[:shown, 0].tolist()]
    more = f", ...] ({column.shape[0]} features)" if column.shape[0] > shown else "]"
    return "[" + ", ".join(values) + more


def _input_width(model: Layer) -> int | None:
    layers = model.layers if isinstance(model, Sequential) else (model,)
    for layer in layers:
        if isinstance(layer, Dense):
            return layer.in_features
    return None


def _load_column_names(path: str) -> ColumnNames | None:
    """The column names saved with the model of ``--model`` (loaded before, so the file is one)."""
    try:
        return load_column_names(path)
    except ModelFileError as error:
        raise ModelFileError(f"--model: {error}") from None


def _load_model(path: str) -> Layer:
    """The model of ``--model``; every failure names the option and says the fix."""
    fix = "Fix: pass a model saved by 'minifw train --save MODEL.npz'"
    if os.path.isdir(path):
        raise DataError(f"--model {path!r} is a folder; expected a model file. {fix}")
    if not os.path.exists(path):
        raise DataError(f"--model {path!r}: no such file. {fix}")
    try:
        return load(path)
    except ModelFileError as error:
        raise ModelFileError(f"--model: {error}") from None
    except OSError as error:
        raise DataError(f"--model {path!r}: {error.strerror or error}. {fix}") from None


def _predict_choice(args: argparse.Namespace, names: ColumnNames | None) -> ColumnChoice:
    """Which columns of the file to predict for are the features and the label.

    A model file with column names (format version 2) says the features; --features may only repeat them and
    --drop may not name them. An older file takes --features and --drop, else every column.
    """
    if names is None:
        return ColumnChoice(args.label, args.features, args.drop or (), label_optional=args.label is None)
    saved = list(names.features)
    where = f"the model ({args.model})"
    if args.features is not None and sorted(args.features) != sorted(saved):
        message = (
            f"--features {','.join(args.features)} names other columns than {where} was trained on: "
            f"{','.join(saved)}. Fix: leave out --features: predict reads the model's columns by name"
        )
        raise DataError(message)
    dropped = [name for name in args.drop or () if name in saved]
    if dropped:
        message = f"--drop {','.join(dropped)}: {where} takes {dropped[0]!r} as a feature. Fix: leave it out of --drop"
        raise DataError(message)
    label = args.label if args.label is not None else names.label
    return ColumnChoice(label, saved, args.drop or (), label_optional=args.label is None, features_from=where)


def _run_predict(args: argparse.Namespace, out: TextIO) -> int:
    _check_output_folder(args.output, "--output")
    model = _load_model(args.model)
    names = _load_column_names(args.model)
    table = _read_csv("--data", args.data, args.delimiter, _predict_choice(args, names))
    d0 = _input_width(model)
    legacy = names is None and args.label is None and args.features is None
    if legacy and table.label is None and d0 is not None and len(table.features) == d0 + 1:
        table = dataclasses.replace(table, label=table.features[-1], features=table.features[:-1])  # the last
    Y: Array | None = None
    if table.label is not None:
        X, Y = split_label(table, COMMAND_LINE_HINTS)
    else:
        X = features_of(table)
    if d0 is not None and X.shape[0] != d0:
        header = table.header
        label = "last" if args.label is None else f"in the column --label names ({args.label})"
        message = (
            f"--data {args.data} has {len(header)} columns ({', '.join(header)}); the model ({args.model}) takes "
            f"{d0} features. Fix: pass a file with {d0} feature columns, and the label {label} if it has one "
            "(or name the features with --features)"
        )
        raise DataError(message)
    probabilities = predict_proba(model, X)
    labels = predict(model, X, args.threshold)
    others = list(table.text)  # the columns that are neither feature nor label, such as an id, in the file's order
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([table.header[i] for i in others] + ["probability", "label"])
    for row, (p, label) in enumerate(zip(probabilities[0].tolist(), labels[0].tolist(), strict=True)):
        writer.writerow([table.text[i][row] for i in others] + [repr(p), int(label)])
    if args.output is not None:
        with open(args.output, "w", encoding="utf-8", newline="") as file:
            file.write(text.getvalue())
        print(f"wrote {X.shape[1]} predictions to {args.output}", file=sys.stderr)
    else:
        out.write(text.getvalue())
    if Y is not None:
        print(f"accuracy: {100 * accuracy(Y, labels):.2f}% on m = {X.shape[1]} examples", file=sys.stderr)
    return 0


def _one_line_text(text: str) -> str:
    return " ".join(text.split())


def _one_line(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror and error.filename is not None:
        return f"{error.filename}: {error.strerror}"
    return _one_line_text(str(error))


def _check_csv_options(parser: _Parser, args: argparse.Namespace) -> None:
    """--label, --features, --drop and --delimiter are about a CSV file: refuse them with a built-in data set (a usage
    error, exit 2)."""
    csv_options = ("label", "features", "drop", "delimiter")
    given = [option for option in csv_options if getattr(args, option, None) is not None]
    if args.command == "train" and args.data in BUILT_IN_DATA and given:
        options = " and ".join(f"--{option}" for option in given)
        verb = "are" if len(given) > 1 else "is"
        parser.commands["train"].error(f"{options} {verb} for a CSV file, and --data {args.data} is built in")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    with _console_text(), warnings.catch_warnings():
        warnings.showwarning = _show_warning
        for category in (DataWarning, ConvergenceWarning):  # shown, once per place, whatever the filters say
            warnings.simplefilter("default", category)
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = _parse_arguments(parser, argv)
    _check_csv_options(parser, args)
    run: Callable[[argparse.Namespace, TextIO], int] = args.run
    try:
        code = run(args, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped reading: not an error worth a message
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except (MinifwError, OSError, ValueError) as error:
        print(f"minifw: error: {_one_line(error)}", file=sys.stderr)
        return 1
    except MemoryError as error:
        message = f"not enough memory ({_one_line(error) or 'MemoryError'}). Fix: use less data or a smaller model"
        print(f"minifw: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("minifw: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: one line still, and the traceback in Python's development mode
        if sys.flags.dev_mode:
            raise
        message = (
            f"unexpected {type(error).__name__}: {_one_line(error)}. This is a bug in minifw: please report it "
            "with the command that caused it (python -X dev -m minifw ... shows the traceback)"
        )
        print(f"minifw: error: {message}", file=sys.stderr)
        return 1
    return code
