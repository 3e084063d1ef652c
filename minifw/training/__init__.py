"""Training: ``train`` and its ``History``, ``check_gradients``, ``trace`` of one step, and metrics."""

from .gradient_check import GradientCheckReport, ParameterCheck, check_gradients
from .metrics import Evaluation, accuracy, confusion_matrix, evaluate, predict, predict_proba, roc_auc
from .trace import Trace, TraceStep, trace
from .train import Callback, Epoch, History, train

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
