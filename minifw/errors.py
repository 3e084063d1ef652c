"""Exceptions raised by minifw.

Each one subclasses a built-in (``ValueError``, ``TypeError`` or ``RuntimeError``), so
code that already catches those keeps working, and :class:`MinifwError` catches them all.
Messages say what was expected, what came, and how to fix it.

This module imports nothing of minifw. The two errors that carry a result of training are defined
beside it: :class:`minifw.DivergenceError` (with its :class:`minifw.History`) in ``training/train.py``
and :class:`minifw.GradientCheckError` (with its report) in ``training/gradient_check.py``.
"""


class MinifwError(Exception):
    """Base class of every exception minifw raises on purpose."""


class ShapeError(MinifwError, ValueError):
    """An array has the wrong number of dimensions or the wrong shape."""


class ValueRangeError(MinifwError, ValueError):
    """A value is outside its allowed range (labels, probabilities, learning rate...)."""


class ArchitectureError(MinifwError, ValueError):
    """Layers that cannot be chained, or a layer size that is not a positive integer."""


class DTypeError(MinifwError, TypeError):
    """An array or value of a type minifw cannot compute with (complex, object, str...)."""


class NotALayerError(MinifwError, TypeError):
    """Something that is not a :class:`minifw.Layer` was given where a layer belongs."""


class StateError(MinifwError, RuntimeError):
    """A method was called out of order, such as ``backward`` before ``forward``."""


class ModelFileError(MinifwError, ValueError):
    """A model file that cannot be loaded: damaged, not minifw's, or for another architecture."""


class DataError(MinifwError, ValueError):
    """A data file (CSV) that cannot be read as a data set; the message names the line."""


class OptionalDependencyError(MinifwError, ImportError):
    """A feature needs an optional dependency that is not installed (the message gives the pip extra)."""


class ConvergenceWarning(UserWarning):
    """Training stopped at the epoch limit before a convergence rule (``tol``, ``gradient_tol``) was met."""


class LearnedNothingWarning(ConvergenceWarning):
    """After training, the cost J is not clearly below that of predicting the base rate P(y = 1) for every example,
    and the accuracy is within chance of always predicting the majority class: it learned nothing from the features.

    The message names the likely causes the numbers show (unscaled features, an identifier column,
    too few epochs, a learning rate too large, saturated units). A :class:`ConvergenceWarning`, so a
    filter for those catches it too.
    """


class NotALossError(MinifwError, TypeError):
    """Something that is not a :class:`minifw.Loss` was given where a loss belongs."""


class DataWarning(UserWarning):
    """Training data gradient descent will handle badly: an index-like, constant or badly scaled feature."""


def one_line(message: object, limit: int | None = None) -> str:
    """``message`` (an exception, or text) on one line, its runs of white space made one space; cut after ``limit``
    characters if given. How every message from elsewhere (NumPy, the OS, a user's code) is shown inside minifw's."""
    return " ".join(str(message).split())[:limit]
