"""``minifw train``: a one-hidden-layer network trained on a built-in data set or a CSV file."""

import argparse
import dataclasses
import importlib.util
import os
import sys
import warnings
from typing import Any, TextIO

import numpy as np

from ..array import Array
from ..data.csv_files import ColumnChoice, Labels, Table, split_label
from ..data.standardizer import Standardizer
from ..data.toy import make_circles, make_flower, make_moons, make_xor
from ..errors import DataError, DataWarning, LearnedNothingWarning, OptionalDependencyError, ValueRangeError, one_line
from ..hints import COMMAND_LINE_HINTS
from ..io.model_file import ColumnNames, save
from ..layers.dense import Dense
from ..layers.layer import Layer
from ..layers.sequential import Sequential
from ..layers.sigmoid import Sigmoid
from ..losses.binary_cross_entropy import BinaryCrossEntropy
from ..training.checks import Column
from ..training.metrics import evaluate, figures_table
from ..training.train import History, train
from .arguments import (
    Parser,
    add_csv_options,
    add_progress,
    non_negative_int,
    number,
    picture_name,
    positive_int,
    probability,
    show_progress,
)
from .console import warn
from .files import check_output_file, read_csv, reading_notes

BUILT_IN_DATA = {"flower": make_flower, "xor": make_xor, "moons": make_moons, "circles": make_circles}
"""The data sets ``--data`` knows by name, made as their functions make them by default (m = 400 for flower, 200
for the others); anything else is read as a CSV file."""

LEARNED_NOTHING = 3
"""The exit code of ``minifw train`` when the model learned nothing (1 is an error, 2 a bad argument)."""


HELP = "train a one-hidden-layer network on a built-in data set or a CSV file"
DESCRIPTION = "Full-batch gradient descent until J stops improving (or the epoch limit)."


def add_arguments(fit: Parser) -> None:
    """``minifw train`` and its options."""
    data = "a built-in data set, or a CSV file with a header row, the features, then the label (two values)"
    fit.add_argument("--data", required=True, metavar="|".join([*BUILT_IN_DATA, "PATH.csv"]), help=data)
    add_csv_options(fit, "the CSV column holding the label, by its header name (default: the last)")
    positive = (
        "the label's value that is class 1 (default: 0 and 1 as they are; yes, true, y... over other words, "
        "other words over no, false, n...; else the later in sorted order; the larger of two numbers)"
    )
    fit.add_argument("--positive", metavar="VALUE", help=positive)
    standardize = (
        "train on x' = (x - μ) / σ, with μ and σ of the training data; the saved model standardizes new data too "
        "(default: on for a CSV file, off for the built-in data, which are on the slides' scale already)"
    )
    fit.add_argument("--standardize", action=argparse.BooleanOptionalAction, help=standardize)
    fit.add_argument("--hidden", type=positive_int, default=4, help="neurons in the hidden layer, d^[1] (default 4)")
    fit.add_argument("--lr", type=number(0.0, strict=True), default=1.2, help="learning rate α (default 1.2)")
    fit.add_argument("--epochs", type=positive_int, default=20_000, help="at most this many epochs (default 20000)")
    tol = "stop when J improves by less than this for 10 epochs in a row (default 1e-6)"
    fit.add_argument("--tol", type=number(0.0, strict=False), default=1e-6, help=tol)
    seed = "seed for built-in data and initial weights (default 0)"
    fit.add_argument("--seed", type=non_negative_int, default=0, help=seed)
    holdout = (
        "keep this share of the rows (seeded by --seed, the same share of each class) out of training, report "
        "the figures on them beside the training ones and judge the model by them (default 0: train on every row)"
    )
    fit.add_argument("--holdout", type=probability, default=0.0, metavar="FRACTION", help=holdout)
    threshold = (
        "report labels ŷ = 1 where a^[2] >= this: changes accuracy, confusion matrix, precision, recall, F1 "
        "(not J or ROC AUC; default 0.5)"
    )
    fit.add_argument("--threshold", type=probability, default=0.5, help=threshold)
    fit.add_argument("--save", metavar="MODEL.npz", help="save the trained model to this file")
    plot = "draw the loss curve, decision boundary and network here"
    fit.add_argument("--plot", type=picture_name, metavar="OUT.png", help=plot)
    add_progress(fit)


def slides_network(d0: int, hidden: int, seed: int) -> Sequential:
    rng = np.random.default_rng(seed)
    return Sequential(Dense(d0, hidden, rng=rng), Sigmoid(), Dense(hidden, 1, rng=rng), Sigmoid())


def train_and_report(model: Layer, X: Array, Y: Array, out: TextIO, **settings: Any) -> tuple[History, list[Warning]]:
    """Train (``settings`` are mf.train's), print J falling and the stop reason; return the history and mf.train's
    warnings about the run, for the caller to show after its report. Those about the data are shown at once."""
    told: list[Warning] = []

    def show(message: Warning | str, category: type[Warning], *place: object, **more: object) -> None:
        if issubclass(category, DataWarning):
            warn(message)
        elif isinstance(message, Warning):
            told.append(message)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        history = train(model, BinaryCrossEntropy(), X, Y, **settings)
    epochs = sorted({round(e) for e in np.linspace(1, history.epochs, min(8, history.epochs))})  # 8 rows of J
    print("\n".join(["   epoch  J"] + [f"  {epoch:>6}  {history.J[epoch - 1]:.6f}" for epoch in epochs]), file=out)
    print(f"stopped after {history.epochs} epochs: {history.message}", file=out)
    return history, told


def _holdout(X: Array, Y: Array, fraction: float, seed: int) -> tuple[Array, Array, tuple[Array, Array] | None]:
    """X and Y of the training columns, and of the held-out ones: of each class, round(fraction n) columns chosen at
    random (seeded). With fraction 0, all of X and Y, and None."""
    if not fraction:
        return X, Y, None
    rng = np.random.default_rng(seed)
    held = np.zeros(Y.shape[1], dtype=bool)
    for label in (0.0, 1.0):
        rows = np.flatnonzero(Y[0] == label)
        count = round(fraction * rows.size)
        if not 0 < count < rows.size:
            raise DataError(
                f"--holdout {fraction:g} holds out {count} of the {rows.size} examples of class {label:g}: the "
                "training and the held-out rows both need examples of each class. Fix: another --holdout, or "
                "--holdout 0 to train on every row"
            )
        held[rng.choice(rows, count, replace=False)] = True
    return X[:, ~held], Y[:, ~held], (X[:, held], Y[:, held])


def _report(model: Layer, history: History, X: Array, Y: Array, threshold: float, out: TextIO) -> None:
    """Print the accuracy and the figures (on the training rows, and on the held-out ones), then the verdict's line."""
    verdict = history.verdict
    columns = {"training": evaluate(model, X, Y, threshold) if verdict is None else verdict.training or verdict.figures}
    line = f"training accuracy: {100 * columns['training'].accuracy:.2f}% on m = {columns['training'].m} examples"
    if verdict is not None and verdict.training is not None:
        columns["held out"] = held_out = verdict.figures
        line += f"; held out: {100 * held_out.accuracy:.2f}% on m = {held_out.m}"
    print(line, file=out)
    print(figures_table(columns), file=out)
    if verdict is not None and not (verdict.learned_nothing or verdict.overconfident):
        print(f"verdict: {verdict}", file=out)


def _load_data(args: argparse.Namespace) -> tuple[Array, Array, str, Table | None, Labels | None]:
    """X, Y, a description of the data and, for a CSV file, the table they come from and its labels."""
    name = args.data
    if name in BUILT_IN_DATA:
        X, Y = BUILT_IN_DATA[name](seed=args.seed)
        return X, Y, f"{name} (built in, seed {args.seed})", None, None
    choice = ColumnChoice(args.label, args.features, args.drop or (), drop_incomplete=args.drop_incomplete)
    fix = f"check the name; the built-in data sets are {', '.join(BUILT_IN_DATA)}"
    table = read_csv("--data", name, args.delimiter, dataclasses.replace(choice, positive=args.positive), fix)
    X, labels = split_label(table, COMMAND_LINE_HINTS)
    label = "" if table.label is None else table.header[table.label]  # split_label refuses a table without one
    left_out = f", left out: {', '.join(table.header[i] for i in table.others)}" if table.others else ""
    return X, labels.Y, f"{name} (label: {label}{left_out})", table, labels


def _check_memory(d0: int, hidden: int, m: int) -> None:
    """Refuse, before allocating it, a network the machine's memory cannot train on m examples: the parameters and
    their gradients, and about six arrays of shape (hidden, m), in float64 (measured: 1.0 GB for hidden = 10^5,
    m = 200). Not the system killing the process, or a MemoryError half-way."""
    need = 8 * hidden * (2 * (d0 + 2) + 6 * m)
    try:
        have = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - Windows: the system does not say
        return
    if need > have:
        raise ValueRangeError(
            f"not enough memory for a hidden layer of {hidden} units: training on m = {m} examples needs about "
            f"{need / 1e9:.3g} GB (W^[1] of shape ({hidden}, {d0}) and several arrays of shape ({hidden}, {m})), more "
            "than this machine has. Fix: use fewer units, e.g. --hidden 4"
        )


def _check_outputs(args: argparse.Namespace) -> None:
    """Before any long work: --save and --plot can be written, and --plot has matplotlib to draw with."""
    check_output_file(args.save, "--save")
    check_output_file(args.plot, "--plot")
    if args.plot is not None and importlib.util.find_spec("matplotlib") is None:  # found without importing it
        message = '--plot needs matplotlib, which is not installed. Fix: pip install "minifw[plot]"'
        raise OptionalDependencyError(message)


def _column_names(table: Table | None, labels: Labels | None) -> ColumnNames | None:
    """The names saved with a model trained on a CSV file: the feature columns', the label's and its classes."""
    if table is None or labels is None:
        return None
    label = None if table.label is None else table.header[table.label]
    return ColumnNames(tuple(table.header[i] for i in table.features), label, labels.classes)


def _save_and_plot(
    args: argparse.Namespace, model: Layer, history: History, X: Array, Y: Array, names: ColumnNames | None, out: TextIO
) -> None:
    """Write the files --save and --plot ask for (with the CSV file's column names and label classes, if any)."""
    if args.save is not None:
        save(model, args.save, columns=names)
        print(f"saved the model to {args.save}", file=out)
    if args.plot is not None:
        from ..plot import plot_training

        feature_names = None if names is None else list(names.features)
        plot_training(model, history, X, Y, path=args.plot, feature_names=feature_names)
        print(f"saved the pictures to {args.plot}", file=out)


def run(args: argparse.Namespace, out: TextIO) -> int:
    _check_outputs(args)
    progress = show_progress(args)
    X, Y, description, table, labels = _load_data(args)
    # the feature columns, numbered from 1 as in the file
    columns = None if table is None else [Column(i + 1, table.header[i]) for i in table.features]
    standardize = args.standardize if args.standardize is not None else table is not None
    (d0, m), hidden = X.shape, args.hidden
    _check_memory(d0, hidden, m)
    X, Y, held = _holdout(X, Y, args.holdout, args.seed)
    model = slides_network(d0, hidden, args.seed)
    print(f"data:  {description}: {d0} features, m = {m} examples", file=out)
    if held:
        print(f"held out: {held[1].shape[1]} rows ({args.holdout:.0%} of each class, seed {args.seed})", file=out)
    for note in [] if table is None else reading_notes(table, labels, args.delimiter):
        print(note, file=out)
    if standardize:  # the network learns on standardized features; the model standardizes what it is given
        scaler = Standardizer().fit(X)
        model = Sequential(scaler, *model.layers)
        mean, std = scaler.fitted()
        print(f"standardized: x' = (x - μ) / σ, μ = {_numbers(mean)}, σ = {_numbers(std)}", file=out)
    print(f"model: {model!r}, α = {args.lr:g}, seed {args.seed}", file=out)
    settings = {"held_out": held, "threshold": args.threshold, "columns": columns, "hints": COMMAND_LINE_HINTS}
    history, told = train_and_report(
        model, X, Y, out, learning_rate=args.lr, max_epochs=args.epochs, tol=args.tol, progress=progress, **settings
    )
    _report(model, history, X, Y, args.threshold, out)
    _save_and_plot(args, model, history, X, Y, _column_names(table, labels), out)
    for message in told:
        if isinstance(message, LearnedNothingWarning):  # one line, with the causes, instead of the other warnings
            print(f"minifw: error: {one_line(message)}", file=sys.stderr)
            return LEARNED_NOTHING
    for message in told:
        warn(message)
    return 0


def _numbers(column: Array, shown: int = 4) -> str:
    """The first values of a (d, 1) column, short: ``[0.0763, -0.443]`` or ``[1, 2, 3, 4, ...] (10 features)``."""
    values = [f"{v:.3g}" for v in column[:shown, 0].tolist()]
    more = f", ...] ({column.shape[0]} features)" if column.shape[0] > shown else "]"
    return "[" + ", ".join(values) + more


def check_csv_options(parser: Parser, args: argparse.Namespace) -> None:
    """--label, --features, --drop and --delimiter are about a CSV file: refuse them with a built-in data set (a usage
    error, exit 2)."""
    csv_options = ("label", "features", "drop", "delimiter", "drop_incomplete", "positive")
    given = [option for option in csv_options if getattr(args, option, None) not in (None, False)]
    if args.command == "train" and args.data in BUILT_IN_DATA and given:
        options = " and ".join(f"--{option.replace('_', '-')}" for option in given)
        verb = "are" if len(given) > 1 else "is"
        parser.commands["train"].error(f"{options} {verb} for a CSV file, and --data {args.data} is built in")
