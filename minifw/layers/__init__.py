"""Layers: ``Layer`` (the base), ``Parameter``, ``Dense``, ``Sigmoid`` and ``Sequential``.

Start reading at ``dense.py``: z = b + W a_prev forward, dW, db and W^T dz backward.
"""

from .dense import Dense as Dense
from .layer import Layer as Layer
from .parameter import Parameter as Parameter
from .sequential import Sequential as Sequential
from .sigmoid import Sigmoid as Sigmoid
from .sigmoid import sigmoid as sigmoid

__all__ = ["Dense", "Layer", "Parameter", "Sequential", "Sigmoid", "sigmoid"]
