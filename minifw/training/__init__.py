"""Training: ``train`` and its ``History``, ``check_gradients``, ``trace`` of one step, and metrics."""

from .gradient_check import GradientCheckReport as GradientCheckReport
from .gradient_check import ParameterCheck as ParameterCheck
from .gradient_check import check_gradients as check_gradients
from .metrics import Evaluation as Evaluation
from .metrics import accuracy as accuracy
from .metrics import confusion_matrix as confusion_matrix
from .metrics import evaluate as evaluate
from .metrics import predict as predict
from .metrics import predict_proba as predict_proba
from .metrics import roc_auc as roc_auc
from .trace import Trace as Trace
from .trace import TraceStep as TraceStep
from .trace import trace as trace
from .train import Callback as Callback
from .train import Epoch as Epoch
from .train import History as History
from .train import train as train

__all__ = [
    "Callback",
    "Epoch",
    "Evaluation",
    "GradientCheckReport",
    "History",
    "ParameterCheck",
    "Trace",
    "TraceStep",
    "accuracy",
    "check_gradients",
    "confusion_matrix",
    "evaluate",
    "predict",
    "predict_proba",
    "roc_auc",
    "trace",
    "train",
]
