"""minifw: the slides' neural network with one hidden layer, as small, exact, typed NumPy layers.

>>> import minifw as mf
>>> model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
>>> loss = mf.BinaryCrossEntropy()
>>> opt = mf.GradientDescent(model.parameters(), learning_rate=0.5)
"""

from .array import Array as Array
from .checking.layer_check import check_layer as check_layer
from .checking.loss_check import check_loss as check_loss
from .checking.report import Check as Check
from .checking.report import CheckReport as CheckReport
from .data.csv_files import load_csv as load_csv
from .data.csv_files import save_csv as save_csv
from .data.standardizer import Standardizer as Standardizer
from .data.toy import make_circles as make_circles
from .data.toy import make_flower as make_flower
from .data.toy import make_moons as make_moons
from .data.toy import make_xor as make_xor
from .errors import ArchitectureError as ArchitectureError
from .errors import ConvergenceWarning as ConvergenceWarning
from .errors import DataError as DataError
from .errors import DataWarning as DataWarning
from .errors import DTypeError as DTypeError
from .errors import LearnedNothingWarning as LearnedNothingWarning
from .errors import MinifwError as MinifwError
from .errors import ModelFileError as ModelFileError
from .errors import NotALayerError as NotALayerError
from .errors import NotALossError as NotALossError
from .errors import OptionalDependencyError as OptionalDependencyError
from .errors import ShapeError as ShapeError
from .errors import StateError as StateError
from .errors import ValueRangeError as ValueRangeError
from .io.model_file import ColumnNames as ColumnNames
from .io.model_file import load as load
from .io.model_file import load_column_names as load_column_names
from .io.model_file import load_parameters as load_parameters
from .io.model_file import save as save
from .layers.dense import Dense as Dense
from .layers.layer import Layer as Layer
from .layers.parameter import Parameter as Parameter
from .layers.sequential import Sequential as Sequential
from .layers.sigmoid import Sigmoid as Sigmoid
from .layers.sigmoid import sigmoid as sigmoid
from .losses.binary_cross_entropy import BinaryCrossEntropy as BinaryCrossEntropy
from .losses.loss import Loss as Loss
from .optim.gradient_descent import GradientDescent as GradientDescent
from .plot import plot_decision_boundary as plot_decision_boundary
from .plot import plot_loss as plot_loss
from .plot import plot_network as plot_network
from .plot import plot_training as plot_training
from .probabilities import LossGradient as LossGradient
from .probabilities import Probabilities as Probabilities
from .training.gradient_check import GradientCheckError as GradientCheckError
from .training.gradient_check import GradientCheckReport as GradientCheckReport
from .training.gradient_check import ParameterCheck as ParameterCheck
from .training.gradient_check import check_gradients as check_gradients
from .training.metrics import Evaluation as Evaluation
from .training.metrics import accuracy as accuracy
from .training.metrics import confusion_matrix as confusion_matrix
from .training.metrics import evaluate as evaluate
from .training.metrics import predict as predict
from .training.metrics import predict_proba as predict_proba
from .training.metrics import roc_auc as roc_auc
from .training.trace import Trace as Trace
from .training.trace import TraceStep as TraceStep
from .training.trace import trace as trace
from .training.train import Callback as Callback
from .training.train import DivergenceError as DivergenceError
from .training.train import Epoch as Epoch
from .training.train import History as History
from .training.train import train as train


def _installed_version() -> str:
    """The version of the installed minifw, from its metadata (pyproject.toml's, when it was installed)."""
    import importlib.metadata

    try:
        return importlib.metadata.version("minifw")
    except importlib.metadata.PackageNotFoundError:  # imported from a source tree that was never installed
        return "0+unknown"


__version__ = _installed_version()
"""minifw's version, as ``minifw --version`` prints it (``minifw 0.3.0``), from the installed package's metadata."""

__all__ = [
    "ArchitectureError",
    "Array",
    "BinaryCrossEntropy",
    "Callback",
    "Check",
    "CheckReport",
    "ColumnNames",
    "ConvergenceWarning",
    "DTypeError",
    "DataError",
    "DataWarning",
    "Dense",
    "DivergenceError",
    "Epoch",
    "Evaluation",
    "GradientCheckError",
    "GradientCheckReport",
    "GradientDescent",
    "History",
    "Layer",
    "LearnedNothingWarning",
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
    "Standardizer",
    "StateError",
    "Trace",
    "TraceStep",
    "ValueRangeError",
    "accuracy",
    "check_gradients",
    "check_layer",
    "check_loss",
    "confusion_matrix",
    "evaluate",
    "load",
    "load_column_names",
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
    "roc_auc",
    "save",
    "save_csv",
    "sigmoid",
    "trace",
    "train",
]
