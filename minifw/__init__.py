"""minifw: the slides' neural network with one hidden layer, as small, exact, typed NumPy layers.

>>> import minifw as mf
>>> model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
>>> loss = mf.BinaryCrossEntropy()
>>> opt = mf.GradientDescent(model.parameters(), learning_rate=0.5)
"""

from ._array import Array as Array
from ._binary_cross_entropy import BinaryCrossEntropy as BinaryCrossEntropy
from ._dense import Dense as Dense
from ._errors import ArchitectureError as ArchitectureError
from ._errors import DTypeError as DTypeError
from ._errors import MinifwError as MinifwError
from ._errors import ModelFileError as ModelFileError
from ._errors import NotALayerError as NotALayerError
from ._errors import ShapeError as ShapeError
from ._errors import StateError as StateError
from ._errors import ValueRangeError as ValueRangeError
from ._gradient_descent import GradientDescent as GradientDescent
from ._layer import Layer as Layer
from ._loss import Loss as Loss
from ._parameter import Parameter as Parameter
from ._probabilities import LossGradient as LossGradient
from ._probabilities import Probabilities as Probabilities
from ._sequential import Sequential as Sequential
from ._serialization import load as load
from ._serialization import load_parameters as load_parameters
from ._serialization import save as save
from ._sigmoid import Sigmoid as Sigmoid
from ._sigmoid import sigmoid as sigmoid

__version__ = "0.1.0"

__all__ = [
    "ArchitectureError",
    "Array",
    "BinaryCrossEntropy",
    "DTypeError",
    "Dense",
    "GradientDescent",
    "Layer",
    "Loss",
    "LossGradient",
    "MinifwError",
    "ModelFileError",
    "NotALayerError",
    "Parameter",
    "Probabilities",
    "Sequential",
    "ShapeError",
    "Sigmoid",
    "StateError",
    "ValueRangeError",
    "load",
    "load_parameters",
    "save",
    "sigmoid",
]
