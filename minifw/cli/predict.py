"""``minifw predict``: the labels of a CSV file's examples, with a saved model."""

import argparse
import csv
import io
import sys
from typing import TextIO

from ..data.csv_files import ColumnChoice, features_of, split_label
from ..errors import DataError, ModelFileError
from ..hints import COMMAND_LINE_HINTS
from ..io.architecture import describe, flatten, input_width
from ..io.atomic_write import write_text_atomically
from ..io.model_file import ColumnNames, load_with_column_names
from ..training.metrics import Evaluation, accuracy, figures_table, predict, predict_proba
from .arguments import Parser, add_csv_options, probability
from .files import check_output_file, input_file, read_csv, reading_notes

HELP = "predict labels for a CSV file with a saved model"
DESCRIPTION = (
    "Prints one line per example as CSV: the file's columns that are neither feature nor label (such as an id), then "
    "the probability a^[2] of class 1 and the label, written as the training file wrote it (e.g. yes or no). The "
    "features are read by the column names saved with the model. If the file also has the label column, the "
    "accuracy, J against the base rate's, ROC AUC, precision, recall, F1 and the confusion matrix go to stderr."
)


def add_arguments(use: Parser) -> None:
    """``minifw predict`` and its options."""
    use.add_argument("--model", required=True, metavar="MODEL.npz", help="a model saved by 'minifw train --save'")
    use.add_argument("--data", required=True, metavar="PATH.csv", help="a CSV file with a header row")
    add_csv_options(
        use,
        "the CSV column holding the label, if any, by its header name (default: the one saved with the model, or "
        "the last column of a file with one column more than the model takes)",
    )
    use.add_argument(
        "--threshold",
        type=probability,
        default=0.5,
        help="label 1 when a^[2] >= this: changes the labels and, with a label column, the accuracy, confusion matrix, "
        "precision, recall and F1 (not J or ROC AUC; default 0.5)",
    )
    use.add_argument(
        "--out", "--output", dest="output", metavar="OUT.csv", help="write the predictions here instead of to stdout"
    )


def _predict_choice(args: argparse.Namespace, names: ColumnNames | None, d0: int | None) -> ColumnChoice:
    """Which columns of the file to predict for are the features and the label.

    A model file with column names (format version 2) says the features; --features may only repeat them and
    --drop may not name them. An older file takes --features and --drop, else every column, the last being the
    label when there is one more than the model takes (:class:`ColumnChoice` resolves it, with ``width``).
    """
    options = {"drop": args.drop or (), "label_optional": args.label is None, "drop_incomplete": args.drop_incomplete}
    if names is None:
        return ColumnChoice(args.label, args.features, classes=("0", "1"), width=d0, **options)
    saved = list(names.features)
    where = f"the model ({args.model})"
    if args.features is not None and sorted(args.features) != sorted(saved):
        raise DataError(
            f"--features {','.join(args.features)} names other columns than {where} was trained on: "
            f"{','.join(saved)}. Fix: leave out --features: predict reads the model's columns by name"
        )
    dropped = [name for name in args.drop or () if name in saved]
    if dropped:
        message = f"--drop {','.join(dropped)}: {where} takes {dropped[0]!r} as a feature. Fix: leave it out of --drop"
        raise DataError(message)
    label = args.label if args.label is not None else names.label
    return ColumnChoice(label, saved, features_from=where, classes=names.classes or ("0", "1"), **options)


def run(args: argparse.Namespace, out: TextIO) -> int:
    check_output_file(args.output, "--output")
    fix = "pass a model saved by 'minifw train --save MODEL.npz'"
    try:  # the model and the column names saved with it, from one reading of the file
        model, names = load_with_column_names(input_file("--model", args.model, "a model file", fix))
    except ModelFileError as error:
        raise ModelFileError(f"--model: {error}") from None
    except OSError as error:
        raise DataError(f"--model {args.model!r}: {error.strerror or error}. Fix: {fix}") from None
    d0 = input_width(describe(flatten(model)))
    table = read_csv("--data", args.data, args.delimiter, _predict_choice(args, names, d0))
    X, labels = (features_of(table), None) if table.label is None else split_label(table, COMMAND_LINE_HINTS)
    for note in reading_notes(table, None, args.delimiter):
        print(note, file=sys.stderr)
    if d0 is not None and X.shape[0] != d0:  # a model saved without column names (with them, X has its features)
        raise DataError(
            f"--data {args.data} has {len(table.header)} columns ({', '.join(table.header)}); the model ({args.model}) "
            f"takes {d0} features. Fix: pass a file with {d0} feature columns and the label last, or name them with "
            "--features and --label"
        )
    probabilities = predict_proba(model, X)
    predicted = predict(model, X, args.threshold)
    classes = table.choice.classes or ("0", "1")  # the labels as the training file wrote them
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([table.header[i] for i in table.others] + ["probability", "label"])
    for row, (p, label) in enumerate(zip(probabilities[0].tolist(), predicted[0].tolist(), strict=True)):
        writer.writerow([table.text[i][row] for i in table.others] + [repr(p), classes[int(label)]])
    if args.output is not None:
        write_text_atomically(args.output, text.getvalue())
        print(f"wrote {X.shape[1]} predictions to {args.output}", file=sys.stderr)
    else:
        out.write(text.getvalue())
    if labels is not None:
        print(f"accuracy: {100 * accuracy(labels.Y, predicted):.2f}% on m = {X.shape[1]} examples", file=sys.stderr)
        print(figures_table({"this file": Evaluation(labels.Y[0], probabilities[0], args.threshold)}), file=sys.stderr)
    return 0
