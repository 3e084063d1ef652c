"""``minifw check FILE.py[:CLASS]``: grade the layers and losses of a student's file with check_layer and check_loss.

The command line (``minifw/cli/``) adds the subcommand with :func:`add_check_arguments`;
everything else about it lives here.
"""

import argparse
import importlib.util
import inspect
import os
import sys
from typing import TextIO

import numpy as np

from ..array import Array
from ..errors import MinifwError
from ..layers.layer import Layer
from ..losses.loss import Loss
from .instances import new_instance
from .layer_check import check_layer
from .loss_check import Definition, binary_cross_entropy, check_loss
from .report import CheckReport

HELP = "grade your own layer or loss (such as an exercise written by 'minifw exercises DIR') against the slides"
DESCRIPTION = (
    "Runs mf.check_layer or mf.check_loss on each Layer and Loss class defined in FILE.py (or only CLASS): "
    "one line per check, the hint for each failure. A class that takes (in_features, out_features), as the "
    "Dense exercise does, is made with (3, 4), the slides' W^[1]; any other class with no arguments. "
    "Exit code 0 only when every check passes."
)


class ExerciseFileError(MinifwError, ValueError):
    """A file given to ``minifw check`` that cannot be run, or holds no layer or loss to check."""


IN_FEATURES, OUT_FEATURES, M = 3, 4, 5
"""The sizes a graded class is made and checked with: the slides' first layer, on m = 5 examples."""
DEFINITIONS: dict[str, Definition] = {"BinaryCrossEntropy": binary_cross_entropy}
"""J written out for the exercises' losses, by class name: checked against the loss's forward."""


def add_check_arguments(command: argparse.ArgumentParser) -> None:
    """Give the ``check`` subcommand its argument and what it runs."""
    command.add_argument(
        "target", metavar="FILE.py[:CLASS]", help="a Python file, and optionally the one class in it to grade"
    )
    command.set_defaults(run=run_check)


def split_target(target: str) -> tuple[str, str | None]:
    """``FILE.py:CLASS`` as (``FILE.py``, ``CLASS``); a drive letter (``C:\\...``) is part of the path."""
    path, colon, name = target.rpartition(":")
    if colon and path.endswith(".py") and name.isidentifier():
        return path, name
    return target, None


def load_classes(path: str, name: str | None) -> list[type]:
    """The Layer and Loss classes that ``path`` defines (or only ``name``), in the order of the file."""
    if not os.path.isfile(path):
        what = "is a folder" if os.path.isdir(path) else "no such file"
        raise ExerciseFileError(f"{path!r}: {what}. Fix: pass a Python file, e.g. my-exercises/dense.py")
    module_name = f"minifw_check_{abs(hash(os.path.abspath(path)))}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ExerciseFileError(f"{path!r} is not a Python file. Fix: pass a .py file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # so that dataclasses and pickling inside it work
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))  # its own folder first, as `python FILE.py` has it
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        line = error.lineno if isinstance(error, SyntaxError) else _line_in(error, path)
        where = f" at line {line}" if line else ""
        message = f"{path}{where}: running it raised {type(error).__name__}: {error}. Fix: correct the file"
        raise ExerciseFileError(message) from None
    finally:
        del sys.modules[module_name]
        sys.path.pop(0)
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and value.__module__ == module_name
        and issubclass(value, Layer | Loss)
        and not inspect.isabstract(value)
    ]
    if name is not None:
        chosen = [cls for cls in found if cls.__name__ == name]
        if not chosen:
            known = ", ".join(cls.__name__ for cls in found) or "none"
            message = f"{path} has no Layer or Loss class named {name!r} (it has: {known})"
            raise ExerciseFileError(message)
        return chosen
    if not found:
        message = (
            f"{path} defines no Layer or Loss class. Fix: subclass mf.Layer or mf.Loss, as the files that "
            "'minifw exercises DIR' writes do"
        )
        raise ExerciseFileError(message)
    return found


def _line_in(error: BaseException, path: str) -> int | None:
    """The line of ``path`` where ``error`` was raised, from its traceback."""
    line = None
    frame = error.__traceback__
    while frame is not None:
        if os.path.abspath(frame.tb_frame.f_code.co_filename) == os.path.abspath(path):
            line = frame.tb_lineno
        frame = frame.tb_next
    return line


def make(cls: type) -> Layer | Loss:
    """An instance of ``cls``: with (in_features, out_features) = (3, 4) when it takes two, else with none."""
    try:
        instance: object = new_instance(cls, (IN_FEATURES, OUT_FEATURES))
    except Exception as error:
        message = (
            f"cannot make a {cls.__name__} to check: {cls.__name__}{inspect.signature(cls)} raised "
            f"{type(error).__name__}: {error}. Fix: minifw check makes layers with no arguments, or with "
            f"(in_features, out_features) = ({IN_FEATURES}, {OUT_FEATURES})"
        )
        raise ExerciseFileError(message) from None
    if not isinstance(instance, Layer | Loss):  # pragma: no cover - cls was chosen as a subclass of one
        raise ExerciseFileError(f"{cls.__name__} is neither a Layer nor a Loss")
    return instance


def grade(cls: type) -> CheckReport:
    """``check_layer`` or ``check_loss`` on an instance of ``cls``, with seeded data of the slides' shapes."""
    instance = make(cls)
    rng = np.random.default_rng(0)
    if isinstance(instance, Loss):
        a: Array = rng.uniform(0.1, 0.9, size=(1, M))
        y: Array = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])
        return check_loss(instance, a, y, definition=DEFINITIONS.get(cls.__name__), rng=rng)
    d = getattr(instance, "in_features", IN_FEATURES)
    x: Array = rng.normal(size=(d if isinstance(d, int) else IN_FEATURES, M))
    if instance.elementwise:
        x *= 2.0  # pre-activations from about -4 to 4: where σ bends
    return check_layer(instance, x, rng=rng)


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    """Print the report of each class of the file; return 0 when every check passed, else 1 (and say so on stderr)."""
    path, name = split_target(args.target)
    failed = []
    for index, cls in enumerate(load_classes(path, name)):
        report = grade(cls)
        print(f"\n{report}" if index else report, file=out)  # a blank line between the reports
        if not report.ok:
            failed.append(f"{cls.__name__} ({len(report.failed)} of {len(report.checks)})")
    out.flush()
    if failed:
        print(f"minifw: error: checks failed: {', '.join(failed)}; the hints are above", file=sys.stderr)
        return 1
    return 0
