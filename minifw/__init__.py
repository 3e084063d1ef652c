"""minifw: the slides' neural network with one hidden layer, as small, exact, typed NumPy layers.

>>> import minifw as mf
>>> model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
>>> loss = mf.BinaryCrossEntropy()
>>> opt = mf.GradientDescent(model.parameters(), learning_rate=0.5)
"""

from ._array import Array as Array
from ._binary_cross_entropy import BinaryCrossEntropy as BinaryCrossEntropy
from ._data import load_csv as load_csv
from ._data import make_circles as make_circles
from ._data import make_flower as make_flower
from ._data import make_moons as make_moons
from ._data import make_xor as make_xor
from ._data import save_csv as save_csv
from ._dense import Dense as Dense
from ._errors import ArchitectureError as ArchitectureError
from ._errors import ConvergenceWarning as ConvergenceWarning
from ._errors import DataError as DataError
from ._errors import DivergenceError as DivergenceError
from ._errors import DTypeError as DTypeError
from ._errors import GradientCheckError as GradientCheckError
from ._errors import MinifwError as MinifwError
from ._errors import ModelFileError as ModelFileError
from ._errors import NotALayerError as NotALayerError
from ._errors import NotALossError as NotALossError
from ._errors import OptionalDependencyError as OptionalDependencyError
from ._errors import ShapeError as ShapeError
from ._errors import StateError as StateError
from ._errors import ValueRangeError as ValueRangeError
from ._gradient_check import GradientCheckReport as GradientCheckReport
from ._gradient_check import ParameterCheck as ParameterCheck
from ._gradient_check import check_gradients as check_gradients
from ._gradient_descent import GradientDescent as GradientDescent
from ._layer import Layer as Layer
from ._loss import Loss as Loss
from ._metrics import accuracy as accuracy
from ._metrics import predict as predict
from ._metrics import predict_proba as predict_proba
from ._parameter import Parameter as Parameter
from ._plot import plot_decision_boundary as plot_decision_boundary
from ._plot import plot_loss as plot_loss
from ._plot import plot_network as plot_network
from ._plot import plot_training as plot_training
from ._probabilities import LossGradient as LossGradient
from ._probabilities import Probabilities as Probabilities
from ._sequential import Sequential as Sequential
from ._serialization import load as load
from ._serialization import load_parameters as load_parameters
from ._serialization import save as save
from ._sigmoid import Sigmoid as Sigmoid
from ._sigmoid import sigmoid as sigmoid
from ._trace import Trace as Trace
from ._trace import TraceStep as TraceStep
from ._trace import trace as trace
from ._train import Callback as Callback
from ._train import Epoch as Epoch
from ._train import History as History
from ._train import train as train

__version__ = "0.1.0"

__all__ = [
    "ArchitectureError",
    "Array",
    "BinaryCrossEntropy",
    "Callback",
    "ConvergenceWarning",
    "DTypeError",
    "DataError",
    "Dense",
    "DivergenceError",
    "Epoch",
    "GradientCheckError",
    "GradientCheckReport",
    "GradientDescent",
    "History",
    "Layer",
    "Loss",
    "LossGradient",
    "MinifwError",
    "ModelFileError",
    "NotALayerError",
    "NotALossError",
    "OptionalDependencyError",
    "Parameter",
    "ParameterCheck",
    "Probabilities",
    "Sequential",
    "ShapeError",
    "Sigmoid",
    "StateError",
    "Trace",
    "TraceStep",
    "ValueRangeError",
    "accuracy",
    "check_gradients",
    "load",
    "load_csv",
    "load_parameters",
    "make_circles",
    "make_flower",
    "make_moons",
    "make_xor",
    "plot_decision_boundary",
    "plot_loss",
    "plot_network",
    "plot_training",
    "predict",
    "predict_proba",
    "save",
    "save_csv",
    "sigmoid",
    "trace",
    "train",
]
