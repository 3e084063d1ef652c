"""Grading files of students' classes: loading them, one Submission per class, its score and its JSON.

``minifw check`` runs :func:`grade_file` in a process of its own for each file
(``python -m minifw.checking.worker``) and reads back the submissions as JSON.
"""

import importlib.util
import inspect
import os
import sys
from functools import cache
from typing import Any, cast

import numpy as np
from attrs import define

from ..errors import MinifwError
from ..layers.dense import Dense
from ..layers.layer import Layer
from ..layers.sigmoid import Sigmoid
from ..losses.binary_cross_entropy import BinaryCrossEntropy
from ..losses.loss import Loss
from .layer_check import ADVICE, LAYER_KINDS, LayerChecks, check_layer, complete
from .loss_check import ADVICE as LOSS_ADVICE
from .loss_check import LOSS_KINDS, LossChecks, check_loss
from .report import Check, CheckReport

ADVICE_POINTS = 0.0
"""What an advice check is worth by default (1 with --strict, as a math check)."""


class ExerciseFileError(MinifwError, ValueError):
    """A file given to ``minifw check`` that cannot be run, or holds no layer or loss to check."""


def split_target(target: str) -> tuple[str, str | None]:
    """``FILE.py:CLASS`` as (``FILE.py``, ``CLASS``); a drive letter (``C:\\...``) is part of the path."""
    path, colon, name = target.rpartition(":")
    if colon and path.endswith(".py") and name.isidentifier():
        return path, name
    return target, None


@cache
def kind_rules(kind: str) -> tuple[Check, ...]:
    """The checks of ``kind``, in order, each failed with no hint: what a submission of the kind is graded on."""
    rng = np.random.default_rng(0)
    if kind in LOSS_KINDS:
        a, y = np.array([[0.2, 0.7]]), np.array([[1.0, 0.0]])
        rules = LossChecks(BinaryCrossEntropy(), a, y, None, rng, kind).rules()
        return tuple(complete([], rules, LOSS_ADVICE, {}, ""))
    layer = Dense(3, 4, rng=0) if kind == "dense" else Sigmoid()  # a Sigmoid has no "parameters unchanged"
    rules = LayerChecks(layer, rng.normal(size=(3, 2)), rng, kind).rules()
    return tuple(complete([], rules, ADVICE, {}, ""))


def normalized(name: str) -> str:
    """A check's name as a teacher may type it: ``dJ/dW`` for ``∂J/∂W``, in lower case."""
    return name.replace("∂", "d").replace("ᵀ", "T").replace("σ", "sigma").replace("’", "'").lower()


@define
class Submission:
    """One graded class of one file (or a file that could not be graded: ``report`` None, ``message`` why)."""

    file: str
    cls: str | None
    kind: str | None
    report: CheckReport | None
    message: str = ""

    @property
    def status(self) -> str:
        """``pass``, ``fail``, or ``error`` when the file could not be loaded or the checks not run."""
        if self.report is None:
            return "error"
        return "pass" if self.report.ok else "fail"

    def checks(self) -> list[Check]:
        """The report's checks; for an error, the kind's checks (or one, "runs"), each failed with the message."""
        if self.report is not None:
            return self.report.checks
        hint = f"could not run: {self.message}"
        if self.kind is None:
            return [Check("runs", "the file loads and the checks run", False, hint=hint)]
        return [Check(c.name, c.equation, False, hint=hint, tier=c.tier) for c in kind_rules(self.kind)]

    def check_names(self) -> list[str]:
        return [check.name for check in self.checks()]

    @staticmethod
    def matches(given: str, name: str) -> bool:
        """Whether ``--points`` NAME ``given`` is the check ``name`` (as written, or in ASCII)."""
        return given == name or normalized(given) == normalized(name)

    def points(self, check: Check, points: dict[str, float], strict: bool) -> float:
        """What ``check`` is worth: as given by ``points``, else 1 for math (and for advice with ``strict``), else 0."""
        for given, value in points.items():
            if self.matches(given, check.name):
                return value
        return 1.0 if check.counts(strict) else ADVICE_POINTS

    def worth(self, points: dict[str, float], strict: bool) -> list[float]:
        """What each of :meth:`checks` is worth."""
        return [self.points(check, points, strict) for check in self.checks()]

    def as_dict(self, points: dict[str, float], strict: bool) -> dict[str, Any]:
        """The submission as ``minifw check --json`` prints it; ``score`` and ``max_score`` from ``points``."""
        checks = self.checks()
        worth = self.worth(points, strict)
        return {
            "file": self.file,
            "class": self.cls,
            "kind": self.kind,
            "status": self.status,
            "score": number(sum(w for w, check in zip(worth, checks, strict=True) if check.passed)),
            "max_score": number(sum(worth)),
            "checks": [check.as_dict() for check in checks],
        }

    def to_dict(self) -> dict[str, Any]:
        """The submission as the worker process sends it."""
        report = None if self.report is None else self.report.as_dict()
        return {"file": self.file, "cls": self.cls, "kind": self.kind, "report": report, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Submission":
        """The submission :meth:`to_dict` gave."""
        report = None if data["report"] is None else CheckReport.from_dict(data["report"])
        return cls(data["file"], data["cls"], data["kind"], report, data["message"])


def number(value: float) -> float | int:
    """A score as a whole number when it is one (10, not 10.0)."""
    return int(value) if float(value).is_integer() else value


def error_submission(path: str, cls: str | None, kind: str | None, message: str) -> Submission:
    """A file (or class) that could not be loaded or run."""
    return Submission(path, cls, kind, None, message)


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
    except (Exception, SystemExit) as error:
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


def class_kind(cls: type, kind: str | None) -> str | None:
    """``--as KIND`` for a class that declares no kind, of the matching base (a Layer for dense and sigmoid, a Loss
    for bce); else None, and check_layer and check_loss read the class's own ``kind`` attribute.
    """
    if _known(getattr(cls, "kind", None)) is not None:
        return None
    if kind in LAYER_KINDS and issubclass(cls, Layer):
        return kind
    if kind in LOSS_KINDS and issubclass(cls, Loss):
        return kind
    return None


def grade(cls: type, kind: str | None, strict: bool) -> CheckReport:
    """``check_layer`` or ``check_loss`` on the class, at several shapes, with seeded data."""
    if issubclass(cls, Loss):
        return check_loss(cls, kind=kind, strict=strict, rng=0)
    return check_layer(cast(type[Layer], cls), kind=kind, strict=strict, rng=0)


def grade_file(target: str, kind: str | None, strict: bool) -> list[Submission]:
    """One submission per class of the file ``target`` (``FILE.py`` or ``FILE.py:CLASS``)."""
    path, name = split_target(target)
    try:
        classes = load_classes(path, name)
    except ExerciseFileError as error:
        return [error_submission(path, name, kind, str(error))]
    submissions = []
    for cls in classes:
        chosen = class_kind(cls, kind)
        try:
            report = grade(cls, chosen, strict)
        except (Exception, SystemExit) as error:
            message = f"{path}:{cls.__name__}: {type(error).__name__}: {error}"
            declared = getattr(cls, "kind", None)
            submissions.append(error_submission(path, cls.__name__, chosen or _known(declared), message))
        else:
            submissions.append(Submission(path, cls.__name__, report.kind, report))
    return submissions


def _known(kind: object) -> str | None:
    return kind if isinstance(kind, str) and kind in LAYER_KINDS + LOSS_KINDS else None
