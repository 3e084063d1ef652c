"""The command line: ``minifw demo``, ``minifw train`` and ``minifw predict`` (also ``python -m minifw``).

Every failure the user can cause (a bad argument, a missing or broken file, training that
diverges) ends with one line on stderr, ``minifw: error: ...``, and a non-zero exit code:
2 for bad arguments, 1 for everything else. Never a traceback.
"""

import argparse
import io
import math
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

import numpy as np

from .array import Array
from .data.csv_files import load_csv, read_table
from .data.toy import make_circles, make_flower, make_moons, make_xor
from .errors import DataError, MinifwError, OptionalDependencyError, ValueRangeError
from .io.atomic_write import check_writable
from .io.model_file import load, save
from .layers.dense import Dense
from .layers.layer import Layer
from .layers.sequential import Sequential
from .layers.sigmoid import Sigmoid
from .losses.binary_cross_entropy import BinaryCrossEntropy
from .training.metrics import accuracy, predict, predict_proba
from .training.progress import progress_available
from .training.trace import trace
from .training.train import History, train

BUILT_IN_DATA: dict[str, Callable[[int], tuple[Array, Array]]] = {
    "flower": lambda seed: make_flower(400, seed=seed),
    "xor": lambda seed: make_xor(200, seed=seed),
    "moons": lambda seed: make_moons(200, seed=seed),
    "circles": lambda seed: make_circles(200, seed=seed),
}
"""The data sets ``--data`` knows by name (anything else is read as a CSV file)."""

DEMO_LEARNING_RATE = 2.0
DEMO_EPOCHS = 5000


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


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


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
        if a.startswith("-") and a != "-" and not _is_number(a) and not parser.knows(a)
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
    if extension and extension not in formats:  # no extension: matplotlib writes a PNG (and adds .png)
        message = f"expected a picture file name in a format matplotlib writes (.png, .pdf, .svg...), got {text!r}"
        raise argparse.ArgumentTypeError(message)
    return text


def build_parser() -> _Parser:
    """The ``minifw`` argument parser with its three commands."""
    parser = _Parser(
        prog="minifw",
        description="The slides' neural network with one hidden layer: train it, trace it, use it.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{demo,train,predict}")

    demo = commands.add_parser(
        "demo",
        help="train the slides' 3-4-1 network on built-in data, showing one traced step and J falling",
        description=(
            "Trains Sequential(Dense(3, 4), Sigmoid(), Dense(4, 1), Sigmoid()) on XOR data with three features "
            "(x3 is noise the label does not depend on): prints the trace of one example, J falling, the accuracy."
        ),
    )
    demo.add_argument("--seed", type=_seed, default=0, help="seed for the data and the initial weights (default 0)")
    demo.add_argument("--no-progress", action="store_true", help="no progress bar")
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
    fit.add_argument("--no-progress", action="store_true", help="no progress bar")
    fit.set_defaults(run=_run_train)

    use = commands.add_parser(
        "predict",
        help="predict labels for a CSV file with a saved model",
        description=(
            "Prints one line per example (probability a^[2], label) as CSV. If the file also has the label "
            "column, the accuracy goes to stderr."
        ),
    )
    use.add_argument("--model", required=True, metavar="MODEL.npz", help="a model saved by 'minifw train --save'")
    use.add_argument("--data", required=True, metavar="PATH.csv", help="a CSV file with a header row")
    use.add_argument("--threshold", type=_probability, default=0.5, help="label 1 when a^[2] >= this (default 0.5)")
    use.add_argument("--output", metavar="OUT.csv", help="write the predictions here instead of to stdout")
    use.set_defaults(run=_run_predict)
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


def _train_and_report(
    model: Layer, X: Array, Y: Array, out: TextIO, *, learning_rate: float, max_epochs: int, tol: float, progress: bool
) -> History:
    """Train, print J falling, the stop reason (a ConvergenceWarning as one line) and the accuracy."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
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
    for warning in caught:
        print(f"minifw: warning: {warning.message}", file=sys.stderr)
    print(f"training accuracy: {100 * accuracy(Y, predict(model, X)):.2f}% on m = {X.shape[1]} examples", file=out)
    return history


def _progress(args: argparse.Namespace) -> bool:
    return not args.no_progress and progress_available()


def _run_demo(args: argparse.Namespace, out: TextIO) -> None:
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
    _train_and_report(
        model, X, Y, out, learning_rate=DEMO_LEARNING_RATE, max_epochs=DEMO_EPOCHS, tol=1e-6, progress=_progress(args)
    )
    print("", file=out)
    print("Next: minifw train --data flower --plot flower.png --save flower.npz", file=out)


def _load_data(name: str, seed: int) -> tuple[Array, Array, str]:
    if name in BUILT_IN_DATA:
        X, Y = BUILT_IN_DATA[name](seed)
        return X, Y, f"{name} (built in, seed {seed})"
    if not os.path.exists(name):
        message = f"data {name!r}: no such file, and not a built-in data set ({', '.join(BUILT_IN_DATA)})"
        raise DataError(message)
    if os.path.isdir(name):
        raise DataError(f"data {name!r} is a folder; expected a CSV file")
    X, Y = load_csv(name)
    return X, Y, name


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


def _run_train(args: argparse.Namespace, out: TextIO) -> None:
    _check_output_folder(args.save, "--save")
    _check_output_folder(args.plot, "--plot")
    if args.plot is not None:
        try:
            import matplotlib  # noqa: F401  # only checking that it is installed, before training
        except ImportError:
            message = '--plot needs matplotlib, which is not installed. Fix: pip install "minifw[plot]"'
            raise OptionalDependencyError(message) from None
    X, Y, description = _load_data(args.data, args.seed)
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
    try:
        model = _slides_network(d0, hidden, args.seed)
        print(f"data:  {description}: {d0} features, m = {m} examples", file=out)
        print(f"model: {model!r}, α = {args.lr:g}, seed {args.seed}", file=out)
        history = _train_and_report(
            model, X, Y, out, learning_rate=args.lr, max_epochs=args.epochs, tol=args.tol, progress=_progress(args)
        )
    except MemoryError as error:
        message = (
            f"not enough memory for a hidden layer of {hidden} units: training on m = {m} examples needs about "
            f"{_size(need)} ({error}). Fix: use fewer units, e.g. --hidden 4, or close other programs"
        )
        raise ValueRangeError(message) from None
    if args.save is not None:
        save(model, args.save)
        print(f"saved the model to {args.save}", file=out)
    if args.plot is not None:
        from .plot import plot_training

        plot_training(model, history, X, Y, path=args.plot)
        print(f"saved the pictures to {args.plot}", file=out)


def _input_width(model: Layer) -> int | None:
    layers = model.layers if isinstance(model, Sequential) else (model,)
    for layer in layers:
        if isinstance(layer, Dense):
            return layer.in_features
    return None


def _run_predict(args: argparse.Namespace, out: TextIO) -> None:
    _check_output_folder(args.output, "--output")
    model = load(args.model)
    if os.path.isdir(args.data):
        raise DataError(f"--data {args.data!r} is a folder; expected a CSV file")
    header, values, _ = read_table(args.data)
    d0 = _input_width(model)
    Y: Array | None = None
    if d0 is not None and len(header) == d0 + 1:
        X, Y = load_csv(args.data)
    elif d0 is None or len(header) == d0:
        X = np.ascontiguousarray(values.T)
    else:
        message = (
            f"{args.data} has {len(header)} columns ({', '.join(header)}); the model takes {d0} features "
            f"(a file with {d0} columns, or {d0 + 1} with the label last)"
        )
        raise DataError(message)
    probabilities = predict_proba(model, X)
    labels = predict(model, X, args.threshold)
    lines = ["probability,label"]
    lines += [f"{p!r},{int(label)}" for p, label in zip(probabilities[0].tolist(), labels[0].tolist(), strict=True)]
    if args.output is not None:
        with open(args.output, "w", encoding="utf-8") as file:
            file.write("\n".join(lines) + "\n")
        print(f"wrote {X.shape[1]} predictions to {args.output}", file=sys.stderr)
    else:
        print("\n".join(lines), file=out)
    if Y is not None:
        print(f"accuracy: {100 * accuracy(Y, labels):.2f}% on m = {X.shape[1]} examples", file=sys.stderr)


def _one_line(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror and error.filename is not None:
        return f"{error.filename}: {error.strerror}"
    return " ".join(str(error).split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    args = _parse_arguments(parser, argv)
    run: Callable[[argparse.Namespace, TextIO], None] = args.run
    if isinstance(sys.stdout, io.TextIOWrapper) and sys.stdout.errors == "strict":
        sys.stdout.reconfigure(errors="backslashreplace")  # a file name that is not valid text is printed escaped
    try:
        run(args, sys.stdout)
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
    return 0
