"""Exceptions raised by minifw.

Each one subclasses a built-in (``ValueError``, ``TypeError`` or ``RuntimeError``), so
code that already catches those keeps working, and :class:`MinifwError` catches them all.
Messages say what was expected, what came, and how to fix it.
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
